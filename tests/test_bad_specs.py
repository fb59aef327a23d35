"""The corpus in tests/bad_specs/: each malformed input gets its exact message and exit code 2."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "bad_specs"
ALL_CASES = sorted(p.name for p in CORPUS.iterdir() if p.suffix not in (".expected", ".md"))
# An .onnx case's message comes from parsing the file with the onnx package, an optional extra: without
# it every .onnx input gets "needs the onnx package" instead, so those cases run only where onnx is.
CASES = [name for name in ALL_CASES if not name.endswith(".onnx") or importlib.util.find_spec("onnx")]


def spec_argument(name: str) -> str:
    path = CORPUS / name
    return path.read_text(encoding="utf-8") if path.suffix == ".arg" else name


def expected_message(name: str) -> str:
    return (CORPUS / f"{name}.expected").read_text(encoding="utf-8")


def test_the_corpus_covers_at_least_sixty_inputs_each_with_its_message():
    assert len(ALL_CASES) >= 60
    orphans = {p.name[: -len(".expected")] for p in CORPUS.glob("*.expected")} - set(ALL_CASES)
    assert not orphans
    for name in ALL_CASES:
        assert expected_message(name).startswith("error: ")


@pytest.mark.parametrize("name", CASES)
def test_summary_prints_exactly_the_expected_message(name, run_cli, monkeypatch):
    monkeypatch.chdir(CORPUS)
    code, out, err = run_cli("summary", spec_argument(name))
    assert (code, out) == (2, "")
    assert err == expected_message(name)


COMMANDS = (
    ("receptive-field",),
    ("explain",),
    ("diagram", "--format", "mermaid"),
    ("export", "--to", "pytorch"),
    ("compare", "vgg11"),
)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_every_command_that_reads_a_spec_gives_the_same_message(command, run_cli, monkeypatch):
    monkeypatch.chdir(CORPUS)
    for name in CASES:
        args = (command[0], spec_argument(name), *command[1:])
        code, _out, err = run_cli(*args)
        assert (code, err) == (2, expected_message(name)), name


def test_lint_reports_shape_problems_as_findings_and_everything_else_as_bad_input(run_cli, monkeypatch):
    monkeypatch.chdir(CORPUS)
    for name in CASES:
        code, out, err = run_cli("lint", spec_argument(name))
        if code == 1:  # a collapsing shape or a mismatched merge is what lint is for
            assert "S00" in out and err == "", name
        else:  # lint goes on through many specs, so a spec it cannot read is part of its report
            assert code == 2 and out.startswith(expected_message(name)), name


@pytest.mark.parametrize("name", CASES)
def test_json_errors_carry_the_same_message(name, run_cli, monkeypatch):
    monkeypatch.chdir(CORPUS)
    code, out, err = run_cli("summary", spec_argument(name), "--format", "json")
    assert (code, out) == (2, "")
    error = json.loads(err)
    text = expected_message(name)[len("error: ") :].rstrip("\n")
    message = text.split("\n  hint: ")[0]
    assert message.endswith(error["message"]), name
    assert error["hint"] == (text.split("\n  hint: ")[1] if "\n  hint: " in text else None)
