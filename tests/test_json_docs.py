"""docs/json.md stays true: every command's JSON names its schema and has the documented top-level keys."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parent.parent / "docs" / "json.md"
ANSWERS = str(Path(__file__).resolve().parent.parent / "examples" / "homework" / "ana.yaml")

# One invocation per documented schema (the pytest CliRunner runs the real commands in-process).
COMMANDS = {
    "cnncalc.summary/1": ("summary", "lenet5"),
    "cnncalc.layers/1": ("layers",),
    "cnncalc.lint/1": ("lint", "lenet5"),
    "cnncalc.receptive_field/1": ("receptive-field", "lenet5"),
    "cnncalc.run/1": ("run", "lenet5"),
    "cnncalc.conv/1": ("conv", "-x", "1 2; 3 4", "-k", "1"),
    "cnncalc.pool/1": ("pool", "-x", "1 2; 3 4", "-k", "2"),
    "cnncalc.zoo/1": ("zoo",),
    "cnncalc.explain/1": ("explain", "lenet5"),
    "cnncalc.out_size/1": ("out-size", "-W", "7", "-F", "3"),
    "cnncalc.compare/1": ("compare", "lenet5", "alexnet"),
    "cnncalc.conventions/1": ("compare", "lenet5", "--conventions"),
    "cnncalc.check/1": ("check", ANSWERS),
    "cnncalc.convert/1": ("convert", "lenet5"),
    "cnncalc.diff/1": ("diff", "lenet5", "alexnet"),
    "cnncalc.export/1": ("export", "lenet5"),
    "cnncalc.diagram/1": ("diagram", "lenet5"),
    "cnncalc.memory/1": ("memory", "lenet5"),
    "cnncalc.scale/1": ("scale", "lenet5", "--sizes", "32,64"),
    "cnncalc.report/1": ("report", "lenet5"),
    "cnncalc.solve_padding/1": ("solve", "padding", "-W", "7", "-F", "3"),
    "cnncalc.solve_map/1": ("solve", "map", "-W", "7", "--to", "3"),
    "cnncalc.solve_inputs/1": ("solve", "inputs", "lenet5", "--max", "40"),
}


def documented() -> dict[str, set[str]]:
    rows = re.findall(r"^\| `(cnncalc\.[a-z_]+/\d+)` \| [^|]+ \| ([^|]+) \|$", DOC.read_text(encoding="utf-8"), re.M)
    return {schema: {key.strip() for key in keys.split(",")} for schema, keys in rows}


def test_every_documented_schema_has_a_command_here():
    assert set(documented()) == set(COMMANDS)


@pytest.mark.parametrize("schema", sorted(COMMANDS))
def test_command_json_matches_the_doc(schema, run_cli):
    code, out, err = run_cli(*COMMANDS[schema], "--format", "json")
    assert code in (0, 1), err  # lint, diff and run may report findings
    document = json.loads(out)
    assert document["schema"] == schema
    assert set(document) == documented()[schema]


def test_every_command_takes_format_json(run_cli):
    from cnncalc.cli.app import COMMANDS as NAMES
    from cnncalc.cli.app import GROUPS

    for name, *_ in NAMES:
        _, help_text, _ = run_cli(name, "--help")
        assert "--format" in help_text, name
    for name, *_ in GROUPS:
        assert "--format" in run_cli(name, "padding", "--help")[1], name
