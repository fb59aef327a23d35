"""The typer application. Commands live in their own modules and import the engine lazily."""

from typing import Annotated

import typer

from cnncalc import __version__
from cnncalc.cli.check import check
from cnncalc.cli.compare import compare
from cnncalc.cli.convert import convert
from cnncalc.cli.diagram import diagram
from cnncalc.cli.diff import diff
from cnncalc.cli.explain import explain
from cnncalc.cli.export import export
from cnncalc.cli.layers import layers
from cnncalc.cli.lint import lint
from cnncalc.cli.memory import memory
from cnncalc.cli.quick import out_size
from cnncalc.cli.receptive_field import receptive_field
from cnncalc.cli.report import report
from cnncalc.cli.run import run
from cnncalc.cli.scale import scale
from cnncalc.cli.schema import schema
from cnncalc.cli.solve import solve
from cnncalc.cli.summary import summary
from cnncalc.cli.worked import conv, pool
from cnncalc.cli.zoo import zoo

app = typer.Typer(
    name="cnncalc",
    help="Shapes, parameters, MACs and receptive fields of CNNs from a text spec — no framework needed.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
app.command()(summary)
app.command()(layers)
app.command()(lint)
app.command("receptive-field")(receptive_field)
app.command()(run)
app.command()(conv)
app.command()(pool)
app.command()(zoo)
app.command()(explain)
app.command("out-size")(out_size)
app.command()(compare)
app.command()(check)
app.command()(convert)
app.command()(schema)
app.command()(export)
app.command()(diagram)
app.command()(report)
app.command()(scale)
app.command()(diff)
app.command()(memory)
app.add_typer(solve, name="solve")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cnncalc {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """cnncalc: a CNN shape and parameter calculator."""


def main() -> None:
    app()
