"""The options many commands share, declared once: a command's signature names them, typer reads them.

A command that gives one of them another meaning (compare's two specs, convert's larger input)
declares its own beside it.
"""

from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from typer.main import get_click_type
from typer.models import OptionInfo

from cnncalc.cli.completion import complete_dtype, complete_spec
from cnncalc.i18n import _
from cnncalc.render.outputs import OUTPUTS

SPEC_HELP = _("A spec file (.yaml/.json), a bundled name (vgg16) or an inline chain in quotes.")

Spec = Annotated[str, typer.Argument(help=SPEC_HELP, show_default=False, autocompletion=complete_spec)]
OptionalSpec = Annotated[str | None, typer.Argument(help=SPEC_HELP, show_default=False, autocompletion=complete_spec)]
InputSize = Annotated[
    str | None, typer.Option("--input", "-i", help=_("Run the spec at another input size, e.g. 64x64x3."))
]
# A string, checked by the library against its one dtype table (analysis/summary.DTYPE_BYTES).
Dtype = Annotated[
    str,
    typer.Option(
        "--dtype",
        help=_("Element type: float32, float16, bfloat16, float64, int8 or uint8."),
        autocompletion=complete_dtype,
    ),
]
SetParameters = Annotated[
    list[str] | None, typer.Option("--set", help=_("Override a spec parameter: NAME=VALUE (repeatable)."))
]
OutputFile = Annotated[Path | None, typer.Option("--output", "-o", help=_("Write to this file instead of stdout."))]
Overwrite = Annotated[bool, typer.Option("--force", help=_("Overwrite an existing --output file."))]


def choice(values: tuple[str, ...]) -> Any:
    """The parameter type typer gives a Literal of `values`: the choices in help, errors and completion.

    Built from values known only at run time (a declaration elsewhere), which an annotation cannot hold."""
    return get_click_type(annotation=Literal[values], parameter_info=OptionInfo())


Layout = Annotated[
    str,
    typer.Option(
        "--layout", click_type=choice(("hwc", "chw")), help=_("Shape order: hwc (channels last) or chw (PyTorch).")
    ),
]


def Format(record: str) -> Any:
    """--format/-f with the formats render/outputs.py declares for `record`: its choices (which the
    shell completes) and help come from there; the default is `default_format(record)`."""
    output = OUTPUTS[record]
    return typer.Option("--format", "-f", click_type=choice(output.formats), help=_(output.help))


def default_format(record: str) -> str:
    return OUTPUTS[record].default
