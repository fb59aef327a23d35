"""Output plumbing is declared once (issue 21): render/outputs.py says which formats each record
has and which function renders each; the command line takes its --format choices from there."""

from __future__ import annotations

import pytest
import typer.main

from cnncalc.cli.app import app
from cnncalc.render.outputs import OUTPUTS


def _format_choices() -> dict[str, tuple[str, ...]]:
    """command path → the choices its --format offers."""
    found: dict[str, tuple[str, ...]] = {}
    pending = [("", typer.main.get_command(app))]
    while pending:
        path, command = pending.pop()
        for name, sub in getattr(command, "commands", {}).items():
            pending.append((f"{path} {name}".strip(), sub))
        for param in command.params:
            if param.name == "format":
                found[path] = tuple(param.type.choices)
    return found


def test_every_format_option_offers_one_declared_set_of_formats() -> None:
    declared = {output.formats for output in OUTPUTS.values()}
    choices = _format_choices()
    assert len(choices) >= 20  # every command but the top-level group has --format
    for command, offered in choices.items():
        assert offered in declared, command


@pytest.mark.parametrize("record", sorted(OUTPUTS))
def test_every_declared_renderer_exists_for_a_declared_format(record: str) -> None:
    output = OUTPUTS[record]
    for renderer in output.renderers:
        assert renderer.format in output.formats, (record, renderer.format)
        assert callable(renderer.function()), renderer.target
    assert len({r.format for r in output.renderers}) == len(output.renderers)  # one renderer per format


def test_the_default_format_is_the_first_declared(run_cli) -> None:
    code, out, _ = run_cli("zoo")
    assert code == 0 and out == run_cli("zoo", "--format", OUTPUTS["zoo"].formats[0])[1]


def test_an_undeclared_format_is_refused_naming_the_declared_ones(run_cli) -> None:
    code, _, err = run_cli("memory", "lenet5", "--format", "csv")
    assert code == 2
    assert "'csv' is not one of 'table', 'json', 'markdown'" in " ".join(err.replace("│", " ").split())
