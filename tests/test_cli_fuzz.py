"""Fuzz the command line: every command, random options and values, valid and mutated specs.

Whatever the arguments, a command ends with exit code 0, 1 or 2 and never with a traceback
(click's own usage errors are exit 2 as well). The commands and their options are read from the
app itself, so a new command is fuzzed without touching this file.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_robustness import ALPHABET, VALID_CHAINS, mutate
from typer.testing import CliRunner

from cnncalc.cli.app import app

BAD_SPECS = Path(__file__).resolve().parent / "bad_specs"
# Options that run the user's own code, or install things into the user's shell, are not fuzzed.
NOT_FUZZED = {"--torch", "--install-completion", "--show-completion", "--help"}
VALUES = [
    "0", "1", "2", "3", "7", "-1", "2x2", "1x7", "0,0", "1,2", "", "abc", "nan", "1e3", "10000000000",
    "json", "table", "markdown", "latex", "yaml", "mermaid", "svg", "pytorch", "keras", "max", "avg", "lp",
    "same", "valid", "full", "conv_1", "input", "out.txt", "1 2; 3 4", "0 10 10 0; 20 30 30 20; 1 2 3 4",
    "S001", "num_classes=3", "x=1", "8x8x3",
]  # fmt: skip
SPECS = [*VALID_CHAINS, "lenet5", "cs231n_example", "mnist1d_cnn", "INPUT(6x6x1) → CONV(2, 3) → RELU"]


def leaf_commands(command: object, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], object]:
    subcommands = getattr(command, "commands", None)
    if not subcommands:
        return {prefix: command}
    found = {}
    for name, sub in subcommands.items():
        found.update(leaf_commands(sub, (*prefix, name)))
    return found


COMMANDS = leaf_commands(typer.main.get_command(app))


@st.composite
def spec_argument(draw: st.DrawFn) -> str:
    choice = draw(st.integers(0, 5))
    if choice >= 3:
        return draw(st.sampled_from(SPECS))
    if choice == 1:
        return mutate(draw(st.sampled_from(VALID_CHAINS)), draw(st.data()))
    if choice == 2:
        names = sorted(p.name for p in BAD_SPECS.iterdir() if p.suffix not in (".expected", ".md", ".arg"))
        return str(BAD_SPECS / draw(st.sampled_from(names)))
    return draw(st.text(alphabet=ALPHABET, max_size=20))


@st.composite
def command_line(draw: st.DrawFn) -> list[str]:
    path = draw(st.sampled_from(sorted(COMMANDS)))
    command = COMMANDS[path]
    argv = list(path)
    for param in command.params:
        if getattr(param, "opts", [""])[0].startswith("-"):
            continue
        argv.append(draw(spec_argument()))
    options = [p for p in command.params if p.opts[0].startswith("-") and not NOT_FUZZED & set(p.opts)]
    required = [p for p in options if p.required]
    chosen = draw(st.lists(st.sampled_from(options), max_size=3, unique_by=id)) if options else []
    for option in [*required, *(p for p in chosen if not p.required)]:
        argv.append(draw(st.sampled_from(option.opts)))
        if not getattr(option, "is_flag", False):
            argv.append(draw(st.one_of(st.sampled_from(VALUES), st.text(alphabet=ALPHABET, max_size=6))))
    return argv


TRIED = {"count": 0}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(argv=command_line())
def test_any_command_line_ends_in_a_clear_exit(tmp_path_factory, argv):
    TRIED["count"] += 1
    folder = tmp_path_factory.mktemp("cli")
    here = os.getcwd()
    os.chdir(folder)  # files a command writes land here, never in the checkout
    try:
        result = CliRunner().invoke(app, argv, catch_exceptions=True, env={"CNNCALC_MAX_LAYERS": "20000"})
    finally:
        os.chdir(here)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1, 2), (argv, result.output)
    assert "Traceback" not in result.output


def test_report_command_lines_tried():
    print(f"\ncli fuzz: {TRIED['count']} command lines tried over {len(COMMANDS)} commands")
    assert TRIED["count"] >= 400


def test_the_fuzzer_sees_every_command():
    names = {" ".join(path) for path in COMMANDS}
    assert {"summary", "lint", "run", "conv", "solve map", "export", "diagram", "check"} <= names
