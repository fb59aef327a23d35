"""`cnncalc memory SPEC --batch 32`: what training one step needs, layer by layer."""

from enum import StrEnum
from typing import Annotated

import typer

from cnncalc.cli.common import bad_input_exits, parse_set_options, show
from cnncalc.cli.options import Dtype, Format, InputSize, SetParameters, Spec, default_format
from cnncalc.i18n import _


class Optimizer(StrEnum):
    sgd = "sgd"
    momentum = "momentum"
    adam = "adam"
    adamw = "adamw"


def memory(
    spec: Spec,
    batch: Annotated[int, typer.Option("--batch", "-b", help=_("Batch size."))] = 1,
    dtype: Dtype = "float32",
    amp: Annotated[
        bool, typer.Option("--amp", help=_("Mixed precision: float16 activations, float32 weights."))
    ] = False,
    optimizer: Annotated[Optimizer, typer.Option("--optimizer", help=_("Optimizer state kept."))] = Optimizer.sgd,
    input: InputSize = None,
    set_: SetParameters = None,
    format: Annotated[str, Format("memory")] = default_format("memory"),
) -> None:
    """Training memory: weights, gradients, optimizer state and the activations autograd keeps.

    What each layer keeps follows PyTorch (ReLU its output, max pooling its input and indices,
    batch norm its input and two statistics per channel, views nothing); a tensor two layers keep
    is counted once. The peak adds the largest layer output being computed.
    """
    from cnncalc.api import load

    with bad_input_exits(format == "json"):
        network = load(spec, input=input, params=parse_set_options(set_))
        result = network.memory(batch, dtype, optimizer.value, amp)
    show("memory", format, result)
