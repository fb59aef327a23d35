"""`cnncalc exercise`: a seeded exercise sheet from the notes' families, and its answer key."""

from typing import Annotated

import typer

from cnncalc.cli.common import bad_input_exits, rendered
from cnncalc.cli.options import Format, OutputFile, Overwrite, default_format
from cnncalc.i18n import _


def exercise(
    seed: Annotated[int, typer.Option("--seed", help=_("The same seed gives the same sheet."), min=0)] = 0,
    level: Annotated[int, typer.Option("--level", help=_("Difficulty, 1 to 3."), min=1, max=3)] = 1,
    solutions: Annotated[
        bool,
        typer.Option("--solutions", help=_("Markdown and LaTeX: the answers and their working after the questions.")),
    ] = False,
    output: OutputFile = None,
    force: Overwrite = False,
    format: Annotated[str, Format("exercise")] = default_format("exercise"),
) -> None:
    """Generate an exercise sheet (output size, stride fit, padding, parameters and MACs, receptive
    field, convolution and pooling by hand, backpropagation, FC as a convolution, design comparison).

    Every answer is computed by cnncalc. `--format key` is the answer key and `--format answers`
    a fully answered file: `cnncalc check ANSWERS --key KEY` grades students against the key.
    """
    from cnncalc.api import load
    from cnncalc.executor.exercise import sheet
    from cnncalc.output import write_atomic

    with bad_input_exits():
        text = rendered("exercise", format, sheet(seed, level, load), solutions)
        if output is not None:
            write_atomic(output, text, force)
    if output is None:
        typer.echo(text.rstrip("\n"))
