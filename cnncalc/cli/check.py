"""`cnncalc check ANSWERS...`: mark students' answers ✓/✗ with the working for every wrong one."""

from pathlib import Path
from typing import Annotated

import typer

from cnncalc.cli.common import EXIT_BAD_INPUT, EXIT_FINDINGS, console, show
from cnncalc.cli.options import Format, default_format


def check(
    answers: Annotated[list[Path], typer.Argument(help="Answers files (YAML).", show_default=False)],
    format: Annotated[str, Format("check")] = default_format("check"),
) -> None:
    """Check answers against the spec they name: ✓/✗, the correct value and its working, a score.

    Exit 0 when every answer is right, 1 when any is wrong, 2 when a file cannot be read.
    """
    from cnncalc.api import mark_files

    results = mark_files(answers)
    markings = [r for r in results if not isinstance(r, Exception)]
    errors = [r for r in results if isinstance(r, Exception)]
    show("check", format, results)
    if format != "json":
        from cnncalc.render.lint import error_markup

        err = console(stderr=True)
        for error in errors:
            err.print(error_markup(error))
    if errors:
        raise typer.Exit(EXIT_BAD_INPUT)
    if not all(m.ok for m in markings):
        raise typer.Exit(EXIT_FINDINGS)
