"""Shell completion, driven the way each shell drives it: bash through the script cnncalc prints for it,
zsh and fish through the environment protocol their scripts use (those shells are rarely installed)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VGG = ["vgg11", "vgg11_bn", "vgg13", "vgg13_bn", "vgg16", "vgg16_bn", "vgg19", "vgg19_bn"]


@pytest.fixture
def shell_env(tmp_path: Path) -> dict[str, str]:
    """PATH with a `cnncalc` that runs this checkout, as the installed entry point would."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "cnncalc"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m cnncalc "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("_CNNCALC", "_TYPER", "COMP_"))}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT)
    return env


def complete(env: dict[str, str], shell: str, line: str, cwd: Path = ROOT) -> list[str]:
    """What `shell` offers for the last word of `line` (an empty last word after a trailing space)."""
    extra = {"_CNNCALC_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": line}
    if shell == "bash":
        words = line.split(" ")
        extra |= {"COMP_WORDS": " ".join(words), "COMP_CWORD": str(len(words) - 1)}
    if shell == "fish":
        extra["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    done = subprocess.run(
        [sys.executable, "-m", "cnncalc"], env=env | extra, cwd=cwd, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return done.stdout.splitlines()


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash on this machine")
def test_bash_completes_bundled_names_through_the_script_cnncalc_prints(shell_env, tmp_path):
    script = subprocess.run(
        ["cnncalc", "--show-completion", "bash"], env=shell_env, capture_output=True, text=True, timeout=60
    ).stdout
    assert "complete -o default -F" in script
    (tmp_path / "completion.bash").write_text(script, encoding="utf-8")
    probe = (
        f"source {tmp_path / 'completion.bash'}\n"
        "COMP_WORDS=(cnncalc summary vg); COMP_CWORD=2\n"
        "_cnncalc_completion cnncalc\n"
        "printf '%s\\n' \"${COMPREPLY[@]}\"\n"
    )
    done = subprocess.run(["bash", "--norc", "-c", probe], env=shell_env, capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == VGG, done.stderr


def test_running_cnncalc_alone_shows_the_help_without_a_traceback(shell_env):
    done = subprocess.run([sys.executable, "-m", "cnncalc"], env=shell_env, capture_output=True, text=True)
    assert done.returncode in (0, 2)
    assert "Usage: cnncalc" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_every_shell_completes_commands_names_and_option_values(shell_env, shell):
    def offered(line: str) -> str:
        return "\n".join(complete(shell_env, shell, line))

    assert "summary" in offered("cnncalc sum")
    assert all(name in offered("cnncalc summary vg") for name in VGG)
    assert "resnet50" not in offered("cnncalc summary vg")
    assert "--format" in offered("cnncalc summary vgg16 --f")
    for value in ("table", "json", "markdown", "csv"):
        assert value in offered("cnncalc summary vgg16 --format ")
    for command in ("memory", "summary"):
        for value in ("float32", "float16", "bfloat16", "int8"):
            assert value in offered(f"cnncalc {command} vgg16 --dtype ")
    narrowed = offered("cnncalc summary vgg16 --dtype bf")
    assert "bfloat16" in narrowed and "float32" not in narrowed
    assert "fvcore" in offered("cnncalc summary vgg16 --convention f")
    codes = offered("cnncalc lint --select S00").split()
    assert "S001" in "\n".join(codes) and "R001" not in "\n".join(codes)


def test_spec_arguments_complete_spec_files_and_folders(shell_env, tmp_path):
    (tmp_path / "nets").mkdir()
    (tmp_path / "nets" / "mine.yaml").write_text("input: 8x8x3\nlayers: [relu]\n", encoding="utf-8")
    (tmp_path / "nets" / "notes.pdf").write_bytes(b"%PDF")
    assert complete(shell_env, "bash", "cnncalc summary ne", cwd=tmp_path) == ["nets/"]
    assert complete(shell_env, "bash", "cnncalc lint nets/", cwd=tmp_path) == ["nets/mine.yaml"]
    assert complete(shell_env, "fish", "cnncalc diff nets/m", cwd=tmp_path) == ["nets/mine.yaml"]
