"""Every command on a console that cannot encode →, ×, ⌊, · or box drawing: ASCII look-alikes, never a crash.

A Windows console, or `cnncalc summary … > notas.txt` there, writes cp1252; `PYTHONIOENCODING=ascii`
is the strictest. A UnicodeEncodeError there exited 1, which a grading script reads as "answers
wrong". Each command runs in a real process (the stream's encoding is fixed at start-up), with the
exit code it has on UTF-8 written here by hand.
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOMEWORK = ROOT / "examples" / "homework"
NET = "INPUT(7x7x1) → CONV(2, k=3, s=3) → RELU → POOL(2) → FC(3)"  # the stride does not fit: S001

# (arguments, exit code): one line per command, with its richest text output.
COMMANDS: tuple[tuple[list[str], int], ...] = (
    (["--help"], 0),
    (["summary", "cs231n_example"], 0),
    (["summary", NET, "--rf", "--explain"], 0),
    (["layers"], 0),
    (["lint", NET, "--strict"], 1),
    (["receptive-field", "cs231n_example", "--explain"], 0),
    (["run", "cs231n_example"], 0),
    (["conv", "-x", "1 2 3; 4 5 6; 7 8 9", "-k", "1 0; 0 -1", "--explain", "--grad", "1 1; 1 1"], 0),
    (["pool", "-x", "1 2 3 4; 5 6 7 8; 9 10 11 12; 13 14 15 16", "-k", "2", "--explain"], 0),
    (["conv", "-x", "1 2 3; 4 5 6; 7 8 9", "-k", "1 0; 0 -1", "--as-matrix", "-f", "latex"], 0),
    (["pool", "-x", "1 2; 3 4", "-k", "2", "--grad", "1", "--explain", "-f", "markdown"], 0),
    (["zoo"], 0),
    (["explain", NET], 0),
    (["out-size", "-W", "7", "-F", "3", "-S", "3"], 0),
    (["compare", "cs231n_example", NET], 0),
    (["check", str(HOMEWORK / "ana.yaml"), str(HOMEWORK / "bruno.yaml"), "--fail-under", "3"], 1),  # Bruno: 2
    (["check", str(HOMEWORK), "--key", str(HOMEWORK / "key.yaml"), "--follow-through"], 0),  # the gradebook
    (["exercise", "--seed", "1", "--level", "3", "--solutions"], 0),
    (["convert", NET, "--to", "chain"], 0),
    (["schema"], 0),
    (["export", NET], 0),
    (["diagram", NET], 0),
    (["report", NET, "-f", "json"], 0),
    (["scale", "cs231n_example", "--sizes", "16,32"], 0),
    (["diff", "cs231n_example", NET], 0),
    (["memory", "cs231n_example"], 0),
    (["solve", "padding", "-W", "32", "-F", "5"], 0),
    (["summary", "nope.yaml"], 2),
    (["conv", "-x", "1 2; 3", "-k", "1"], 2),
)


def run(args: list[str], encoding: str, to_file: Path | None) -> tuple[int, bytes, str]:
    """cnncalc ARGS with stdout in `encoding`, piped or (`> notas.txt`) written to a file."""
    environment = {"PYTHONIOENCODING": encoding, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    command = [sys.executable, "-m", "cnncalc", *args]
    if to_file is None:
        result = subprocess.run(command, capture_output=True, env=environment, timeout=120)
        return result.returncode, result.stdout, result.stderr.decode(encoding)
    with to_file.open("wb") as out:
        result = subprocess.run(command, stdout=out, stderr=subprocess.PIPE, env=environment, timeout=120)
    return result.returncode, to_file.read_bytes(), result.stderr.decode(encoding)


@pytest.mark.parametrize(("encoding", "redirected"), [("ascii", False), ("cp1252", True)])
def test_every_command_prints_on_a_narrow_console(encoding, redirected, tmp_path):
    def one(index: int) -> tuple[list[str], int, tuple[int, bytes, str]]:
        args, expected = COMMANDS[index]
        target = tmp_path / f"notas{index}.txt" if redirected else None
        return args, expected, run(args, encoding, target)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(one, range(len(COMMANDS))))
    for args, expected, (code, out, err) in results:
        assert code == expected, (args, err)
        assert "Traceback" not in err and "UnicodeEncodeError" not in err, (args, err)
        text = out.decode(encoding)  # every byte is one the console can show
        assert text.strip() or expected == 2, args
        if expected == 2:
            assert err.startswith("error:") and err.count("\n") <= 2, (args, err)
        for box in boxes(text):
            assert misaligned(box) == [], (args, encoding, "\n".join(box))


def boxes(text: str) -> list[list[str]]:
    """The boxes drawn in ASCII: runs of lines that open with a +---+ rule and stay inside | … |."""
    found: list[list[str]] = []
    for line in text.splitlines():
        inside = bool(found and found[-1] and line.strip()) and line[0] in "|+" and line.rstrip()[-1] in "|+"
        if inside:
            found[-1].append(line.rstrip())
        elif line.startswith("+") and line.rstrip().endswith("+"):
            found.append([line.rstrip()])
        elif found and found[-1]:
            found.append([])
    return [box for box in found if len(box) > 1]


def misaligned(box: list[str]) -> list[str]:
    """The lines of `box` whose width or column borders differ from its opening rule's.

    A look-alike wider than the character measured (→ printed as ->, ✓ as ok) shifts every border
    after it on its line; the rule's + marks where each column's border must be."""
    rule = box[0]
    borders = [i for i, char in enumerate(rule) if char == "+"]
    return [line for line in box[1:] if len(line) != len(rule) or any(line[i] not in "|+" for i in borders)]


def test_the_alignment_check_finds_a_shifted_border():
    drawn = ["+---+----+", "| a | ok |", "+---+----+"]
    assert boxes("\n".join(drawn)) == [drawn] and misaligned(drawn) == []
    shifted = ["+---+---+", "| ok | x |", "+---+---+"]  # ✓ measured as one cell, printed as two
    assert misaligned(shifted) == ["| ok | x |"]


def test_a_stream_without_an_encoding_is_left_alone(monkeypatch):
    # An embedder may set sys.stdout to an io.StringIO, whose encoding is None: nothing to re-encode.
    import io

    from cnncalc.cli.common import tolerant_streams

    stream = io.StringIO()
    monkeypatch.setattr(sys, "stdout", stream)
    tolerant_streams()
    assert sys.stdout is stream
    print("→ ×")
    assert stream.getvalue() == "→ ×\n"
