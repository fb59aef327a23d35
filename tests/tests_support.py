import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def assert_one_message(run_cli, path: Path, *fragments: str) -> None:
    """`summary PATH` ends with exit 2 and one message (and hint) that starts with the file and holds each fragment."""
    code, out, err = run_cli("summary", str(path))  # catch_exceptions=False: any other exception fails here
    assert code == 2, out
    assert "Traceback" not in err and err.count("\n") <= 2, err
    assert err.startswith(f"error: {path}"), err
    assert all(fragment in err for fragment in fragments), err


def imported_after(code: str, modules: Iterable[str]) -> list[str]:
    """Which of `modules` a fresh interpreter has imported once it has run `code` (from the checkout's root)."""
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(m for m in {sorted(modules)!r} if m in sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return result.stdout.split()


def command_paths(group=None, path=()):
    """Every command's path in the app, read from the app itself: a command added later is walked too."""
    import typer

    from cnncalc.cli.app import app

    group = group or typer.main.get_command(app)
    for name, command in sorted(group.commands.items()):
        yield (*path, name)
        if hasattr(command, "commands"):
            yield from command_paths(command, (*path, name))
