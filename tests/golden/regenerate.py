"""Write tests/golden/zoo_json.sha256: the digest of every zoo net's JSON documents.

Run it only when a number is meant to change, and say in the commit which and why. The golden file
guards refactors (issue 21): the zoo's summary, receptive-field, memory, explain and conventions JSON must
stay byte-identical while the code around them moves. It is not a source of truth for the numbers
themselves; tests/test_zoo.py checks those against published figures.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

GOLDEN = Path(__file__).with_name("zoo_json.sha256")
CONVENTIONS = ("torchvision", "fvcore", "thop", "ptflops", "torchinfo", "keras")
COMMANDS = (
    ("summary",),
    ("receptive-field",),
    ("memory",),
    ("explain",),
    *(("summary", "--convention", convention) for convention in CONVENTIONS),
)


def documents() -> dict[str, str]:
    """'net command…' → sha256 of the command's JSON output, for every bundled net."""
    from typer.testing import CliRunner

    from cnncalc.cli.app import app

    specs = sorted(path.stem for path in (Path(__file__).resolve().parents[2] / "specs").glob("*.yaml"))
    runner = CliRunner()
    digests = {}
    for name in specs:
        for command in COMMANDS:
            result = runner.invoke(app, [command[0], name, *command[1:], "--format", "json"], catch_exceptions=False)
            assert result.exit_code == 0, (name, command, result.output)
            digests[" ".join((name, *command))] = hashlib.sha256(result.stdout.encode("utf-8")).hexdigest()
    return digests


def main() -> None:
    lines = [f"{digest}  {key}" for key, digest in documents().items()]
    GOLDEN.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} digests to {GOLDEN}", file=sys.stderr)


if __name__ == "__main__":
    main()
