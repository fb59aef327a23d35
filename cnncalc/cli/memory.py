"""`cnncalc memory SPEC --batch 32`: what training one step needs, layer by layer."""

from enum import StrEnum
from typing import Annotated

import typer

from cnncalc.cli.common import bad_input_exits, console, parse_set_options
from cnncalc.cli.completion import complete_spec
from cnncalc.cli.summary import SPEC_HELP


class MemoryFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


class Precision(StrEnum):
    float32 = "float32"
    float16 = "float16"
    bfloat16 = "bfloat16"
    int8 = "int8"


class Optimizer(StrEnum):
    sgd = "sgd"
    momentum = "momentum"
    adam = "adam"
    adamw = "adamw"


def memory(
    spec: Annotated[str, typer.Argument(help=SPEC_HELP, show_default=False, autocompletion=complete_spec)],
    batch: Annotated[int, typer.Option("--batch", "-b", help="Batch size.")] = 1,
    dtype: Annotated[Precision, typer.Option("--dtype", help="Weights and activations.")] = Precision.float32,
    amp: Annotated[bool, typer.Option("--amp", help="Mixed precision: float16 activations, float32 weights.")] = False,
    optimizer: Annotated[Optimizer, typer.Option("--optimizer", help="Optimizer state kept.")] = Optimizer.sgd,
    input: Annotated[str | None, typer.Option("--input", "-i", help="Another input size.")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override a spec parameter.")] = None,
    format: Annotated[MemoryFormat, typer.Option("--format", "-f", help="Output format.")] = MemoryFormat.table,
) -> None:
    """Training memory: weights, gradients, optimizer state and the activations autograd keeps.

    What each layer keeps follows PyTorch (ReLU its output, max pooling its input and indices,
    batch norm its input and two statistics per channel, views nothing); a tensor two layers keep
    is counted once. The peak adds the largest layer output being computed.
    """
    from cnncalc.api import load
    from cnncalc.render import memory as render

    with bad_input_exits(format is MemoryFormat.json):
        network = load(spec, input=input, params=parse_set_options(set_))
        result = network.memory(batch, dtype.value, optimizer.value, amp)
    if format is MemoryFormat.json:
        typer.echo(render.render_json(result))
    elif format is MemoryFormat.markdown:
        typer.echo(render.render_markdown(result).rstrip("\n"))
    else:
        render.render_table(result, console())
