"""`cnncalc check ANSWERS...`: mark students' answers ✓/✗ with the working for every wrong one."""

from pathlib import Path
from typing import Annotated

import typer

from cnncalc.cli.common import EXIT_BAD_INPUT, EXIT_FINDINGS, console
from cnncalc.cli.options import Format, default_format
from cnncalc.render.escape import json_text


def check(
    answers: Annotated[list[Path], typer.Argument(help="Answers files (YAML).", show_default=False)],
    format: Annotated[str, Format("check")] = default_format("check"),
) -> None:
    """Check answers against the spec they name: ✓/✗, the correct value and its working, a score.

    Exit 0 when every answer is right, 1 when any is wrong, 2 when a file cannot be read.
    """
    from cnncalc.api import mark_files
    from cnncalc.render.escape import markup as escape
    from cnncalc.render.lint import error_markup

    results = mark_files(answers)
    markings = [r for r in results if not isinstance(r, Exception)]
    errors = [r for r in results if isinstance(r, Exception)]
    if format == "json":
        data = {
            "schema": "cnncalc.check/1",
            "results": [m.to_dict() for m in markings],
            "errors": [e.to_dict() for e in errors],
        }
        typer.echo(json_text(data))
    else:
        out, err = console(soft_wrap=True), console(stderr=True)
        for marking in markings:
            who = f" ({escape(marking.student)})" if marking.student else ""
            out.print(f"[bold]{escape(marking.file)}[/]{who}")
            for claim in marking.claims:
                mark = "[green]✓[/]" if claim.ok else "[bold red]✗[/]"
                text = f"  {mark} {escape(claim.layer)} {escape(claim.quantity)}: {escape(str(claim.claimed))}"
                if not claim.ok:
                    text += f" — correct: {escape(str(claim.correct))}"
                out.print(text)
                for line in claim.working:
                    out.print(f"      {escape(line)}")
            out.print(f"  score: {marking.score}/{len(marking.claims)}")
        for error in errors:
            err.print(error_markup(error))
    if errors:
        raise typer.Exit(EXIT_BAD_INPUT)
    if not all(m.ok for m in markings):
        raise typer.Exit(EXIT_FINDINGS)
