"""The options many commands share, declared once: a command's signature names them, typer reads them.

A command that gives one of them another meaning (compare's two specs, convert's larger input)
declares its own beside it.
"""

from typing import Annotated

import typer

from cnncalc.cli.completion import complete_dtype, complete_spec

SPEC_HELP = "A spec file (.yaml/.json), a bundled name (vgg16) or an inline chain in quotes."

Spec = Annotated[str, typer.Argument(help=SPEC_HELP, show_default=False, autocompletion=complete_spec)]
OptionalSpec = Annotated[str | None, typer.Argument(help=SPEC_HELP, show_default=False, autocompletion=complete_spec)]
InputSize = Annotated[
    str | None, typer.Option("--input", "-i", help="Run the spec at another input size, e.g. 64x64x3.")
]
# A string, checked by the library against its one dtype table (analysis/summary.DTYPE_BYTES).
Dtype = Annotated[
    str,
    typer.Option(
        "--dtype",
        help="Element type: float32, float16, bfloat16, float64, int8 or uint8.",
        autocompletion=complete_dtype,
    ),
]
SetParameters = Annotated[
    list[str] | None, typer.Option("--set", help="Override a spec parameter: NAME=VALUE (repeatable).")
]
