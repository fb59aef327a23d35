"""Element-wise activations and dropout: shape-preserving, no MACs under the weights-only rule."""

from typing import Annotated

from cnncalc.i18n import N_
from cnncalc.layers.arguments import Bounds
from cnncalc.layers.base import PARAMS, Family, Layer, NoWeightMacs, ParamCount, Saved, Shape, Weightless, register
from cnncalc.working import Num, Sym, Working

Rate = Annotated[float, Bounds(ge=0, lt=1)]
Slope = float


class Activation(Layer):
    """A point-wise non-linearity (or identity)."""

    family = Family.ACTIVATION
    nonlinear = True


# kind: (description, aliases); each becomes a parameterless registered kind. The description is
# whole here (N_) so that `cnncalc layers` translates it as one message.
_PARAMETERLESS = {
    "relu": (N_("activation: max(0, x)"), ("relu", "rectifier", "rectificador")),
    "relu6": (N_("activation: min(max(0, x), 6)"), ("relu6",)),
    "tanh": (N_("activation: hyperbolic tangent"), ("tanh", "tangente_hiperbolica", "tangencial")),
    "sigmoid": (N_("activation: logistic 1/(1+e^−x)"), ("sigmoid", "logistic", "sigmoide", "logistica")),
    "hard_sigmoid": (N_("activation: piecewise-linear sigmoid"), ("hard_sigmoid", "hardsigmoid")),
    "gelu": (N_("activation: x·Φ(x)"), ("gelu",)),
    "silu": (N_("activation: x·sigmoid(x) (swish)"), ("silu", "swish")),
    "hard_swish": (N_("activation: x·relu6(x+3)/6"), ("hard_swish", "hardswish", "hswish")),
    "mish": (N_("activation: x·tanh(softplus(x))"), ("mish",)),
    "softplus": (N_("activation: log(1 + e^x)"), ("softplus",)),
    "softsign": (N_("activation: x/(1 + |x|)"), ("softsign",)),
    "selu": (N_("activation: scaled ELU"), ("selu",)),
    "log_softmax": (N_("activation: log of softmax over channels"), ("log_softmax", "logsoftmax")),
    "softmax": (N_("activation: softmax over channels"), ("softmax",)),
    "identity": (N_("activation: identity (no-op)"), ("identity", "linear_activation", "noop")),
}


# Which tensor each keeps for the backward pass (measured on PyTorch CPU 2.13).
_SAVES_OUTPUT = frozenset({"relu", "sigmoid", "tanh", "softmax", "log_softmax"})
_SAVES_INPUT_AND_COPY = frozenset({"softsign"})


def _saves(kind: str) -> tuple[Saved, ...]:
    if kind == "identity":
        return ()
    if kind in _SAVES_OUTPUT:
        return (Saved.OUTPUT,)
    return (Saved.INPUT, Saved.INPUT_COPY) if kind in _SAVES_INPUT_AND_COPY else (Saved.INPUT,)


def _make_activation(kind: str, description: str, aliases: tuple[str, ...]) -> type[Layer]:
    name = "".join(part.title() for part in kind.split("_"))
    attrs = {
        "backward_saves": _saves(kind),
        # The identity is linear: a weighted layer followed by it alone stays one linear map.
        "nonlinear": kind != "identity",
        "linear": kind == "identity",
        "kind": kind,
        "description": description,
        "aliases": aliases,
        "example": kind.upper(),
        "__module__": __name__,
        "__doc__": f"Activation {kind}: {description.removeprefix('activation: ')}.",
    }
    return register(type(name, (Weightless, Activation), attrs))


ACTIVATIONS = {kind: _make_activation(kind, desc, aliases) for kind, (desc, aliases) in _PARAMETERLESS.items()}
# Module attributes like any class defined here, so that layers (and networks) can be pickled and
# the per-kind tables elsewhere (conventions, exporters, kernels) can name them.
Relu = ACTIVATIONS["relu"]
Relu6 = ACTIVATIONS["relu6"]
Tanh = ACTIVATIONS["tanh"]
Sigmoid = ACTIVATIONS["sigmoid"]
HardSigmoid = ACTIVATIONS["hard_sigmoid"]
Gelu = ACTIVATIONS["gelu"]
Silu = ACTIVATIONS["silu"]
HardSwish = ACTIVATIONS["hard_swish"]
Mish = ACTIVATIONS["mish"]
Softplus = ACTIVATIONS["softplus"]
Softsign = ACTIVATIONS["softsign"]
Selu = ACTIVATIONS["selu"]
LogSoftmax = ACTIVATIONS["log_softmax"]
Softmax = ACTIVATIONS["softmax"]
Identity = ACTIVATIONS["identity"]


@register
class LeakyReLU(Weightless, Activation):
    """max(αx, x) with a small slope α for negative inputs."""

    kind = "leaky_relu"
    backward_saves = (Saved.INPUT,)
    description = N_("activation: max(αx, x)")
    aliases = ("leaky_relu", "leakyrelu", "lrelu")
    positional = ("alpha",)
    arg_aliases = {"negative_slope": "alpha", "slope": "alpha", "a": "alpha"}
    example = "LEAKY_RELU(0.1)"

    alpha: Slope = 0.01


@register
class ELU(Weightless, Activation):
    """x for x > 0, α(e^x − 1) otherwise."""

    kind = "elu"
    backward_saves = (Saved.INPUT,)
    description = N_("activation: x if x > 0 else α(e^x − 1)")
    aliases = ("elu",)
    positional = ("alpha",)
    arg_aliases = {"a": "alpha"}
    example = "ELU(1.0)"

    alpha: Slope = 1.0


@register
class PReLU(NoWeightMacs, Activation):
    """Leaky ReLU whose slope is learnt, one per channel (or one shared)."""

    kind = "prelu"
    backward_saves = (Saved.INPUT,)
    description = N_("activation: leaky ReLU with a learnt slope per channel")
    aliases = ("prelu",)
    example = "PRELU"

    shared: bool = False

    def params(self, inputs: tuple[Shape, ...], output: Shape) -> ParamCount:
        return ParamCount(1 if self.shared else output[-1])

    def params_working(self, inputs: tuple[Shape, ...], output: Shape) -> Working:
        if self.shared:
            return Working(PARAMS, result=Num(1), note=(N_(" (one shared slope)"),))
        return Working(PARAMS, Sym("C"), result=Num(output[-1]), note=(N_(" (a slope per channel)"),))


@register
class Dropout(Weightless, Layer):
    """Randomly zeroes a fraction `rate` of the values during training; identity at inference."""

    family = Family.REGULARIZATION
    linear = True  # the identity at inference
    dropout = True

    kind = "dropout"
    backward_saves = (Saved.OUTPUT_COPY,)  # the scaled keep-mask, in the activation dtype on CPU
    description = N_("dropout: zeroes a fraction of values in training; no parameters")
    aliases = ("dropout", "drop")
    positional = ("rate",)
    arg_aliases = {"p": "rate"}
    example = "DROPOUT(0.5)"

    rate: Rate = 0.5


@register
class SpatialDropout(Weightless, Layer):
    """Drops whole channels (PyTorch Dropout2d, Keras SpatialDropout2D)."""

    family = Family.REGULARIZATION
    linear = True  # the identity at inference
    dropout = True

    kind = "spatial_dropout"
    backward_saves = (Saved.CHANNEL_MASK,)
    description = N_("spatial dropout: zeroes whole channels in training; no parameters")
    aliases = ("spatial_dropout", "spatialdropout", "dropout2d", "dropout1d", "dropout3d")
    positional = ("rate",)
    arg_aliases = {"p": "rate"}
    example = "SPATIAL_DROPOUT(0.2)"

    rate: Rate = 0.5
