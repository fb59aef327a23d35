"""Fully connected layers and the input layer."""

from collections.abc import Mapping
from typing import Annotated

from cnncalc.errors import ShapeError
from cnncalc.i18n import N_, _, number
from cnncalc.layers.arguments import Bounds
from cnncalc.layers.base import (
    MACS,
    OUTPUT,
    PARAMS,
    Family,
    Layer,
    ParamCount,
    PosInt,
    RFStep,
    Saved,
    Shape,
    Weightless,
    count,
    format_shape,
    prod,
    register,
    whole_input_steps,
)
from cnncalc.working import Group, Line, Num, Sizes, Sym, Working, plus, times


@register
class Input(Weightless, Layer):
    """The network's input: a shape, channels last (L×C, H×W×C or D×H×W×C)."""

    kind = "input"
    family = Family.INPUT
    backward_saves = ()
    description = N_("input volume, channels last")
    aliases = ("input", "entrada", "in", "inputlayer", "data")
    positional = ("shape",)
    arg_aliases = {"size": "shape", "input_shape": "shape"}
    example = "INPUT(32x32x3)"
    min_inputs = 0
    max_inputs = 0

    shape: Annotated[tuple[PosInt, ...], Bounds(min_length=1)]

    @classmethod
    def prepare_arguments(cls, given: Mapping[str, object]) -> Mapping[str, object]:
        value = given.get("shape")
        if isinstance(value, int) and not isinstance(value, bool):
            return {**given, "shape": (value,)}  # INPUT(784): a single size
        return given

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        return self.shape


@register
class Dense(Layer):
    """Fully connected: every output unit sees every input value.

    Applied to a volume it connects to all of its H·W·C values, as the lecture notes and cs231n
    describe (an implicit flatten).
    """

    kind = "dense"
    family = Family.DENSE
    backward_saves = (Saved.INPUT,)
    description = N_("fully connected: In·Out weights + Out biases over all input values")
    aliases = ("dense", "fc", "linear", "fullyconnected", "completa", "fullconnection", "affine",
               "densa", "totalmente_conectada", "completamente_conectada", "capa_completa")  # fmt: skip
    positional = ("units",)
    weighted = True
    arg_aliases = {
        "n": "units",
        "out": "units",
        "out_features": "units",
        "outputs": "units",
        "use_bias": "bias",
        "unidades": "units",
        "neuronas": "units",
        "salidas": "units",
        "sesgo": "bias",
    }
    example = "FC(10)"

    units: PosInt
    bias: bool = True
    # How many input values the layer was written for (PyTorch's Linear in_features): when given,
    # an input of another size is refused instead of silently sizing the weights to it.
    in_features: PosInt | None = None

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        given = prod(inputs[0])
        if self.in_features is not None and given != self.in_features:
            raise ShapeError(
                _("dense layer written for in_features={features} receives {shape} = {count} values").format(
                    features=self.in_features, shape=format_shape(inputs[0]), count=number(given)
                ),
                hint=_(
                    "PyTorch's Linear applies it to the last axis only, which cnncalc's dense layer does not "
                    "represent: flatten before it (torch.flatten(x, 1)), or use a 1×1 convolution"
                ),
            )
        return (self.units,)

    def params(self, inputs: tuple[Shape, ...], output: Shape) -> ParamCount:
        return ParamCount(prod(inputs[0]) * self.units + (self.units if self.bias else 0))

    def macs(self, inputs: tuple[Shape, ...], output: Shape) -> int:
        return prod(inputs[0]) * self.units

    def rf_steps(self, inputs: tuple[Shape, ...], output: Shape) -> tuple[RFStep, ...]:
        return whole_input_steps(inputs[0])

    def shape_working(self, inputs: tuple[Shape, ...], output: Shape) -> list[Line]:
        return [(Working(OUTPUT, Sym(N_("units")), result=Num(self.units)),)]

    def params_working(self, inputs: tuple[Shape, ...], output: Shape) -> Working:
        source = Num(inputs[0][0]) if len(inputs[0]) == 1 else Group(times(*inputs[0]))
        weights = times(source, self.units)
        formula = plus(IN_OUT, OUT) if self.bias else IN_OUT
        numbers = plus(weights, self.units) if self.bias else weights
        return Working(PARAMS, formula, numbers, count(self.params(inputs, output).trainable))

    def macs_working(self, inputs: tuple[Shape, ...], output: Shape) -> Working:
        return Working(MACS, IN_OUT, times(prod(inputs[0]), self.units), count(self.macs(inputs, output)))


OUT = Sym("Out")
IN_OUT = times(Sym("In"), OUT)


@register
class PointwiseLinear(Layer):
    """A dense layer applied at every position: over the last (channel) axis of a tensor of any rank.

    PyTorch's nn.Linear and Keras's Dense on a rank > 2 input, ONNX's MatMul + Add: each position's
    C values feed `units` outputs with the same weights (a 1×1 convolution on a map, a per-token
    projection on L×C). cnncalc's `dense` (`fc`, `linear`) keeps its meaning on a volume: every
    value feeds every unit.
    """

    kind = "pointwise_linear"
    family = Family.DENSE
    backward_saves = (Saved.INPUT,)
    description = N_("dense over the last axis at every position: C·Out weights + Out biases")
    aliases = ("pointwise_linear", "pwlinear", "per_position_linear", "position_linear", "dense_last_axis",
               "linear_last_axis", "token_linear")  # fmt: skip
    positional = ("units",)
    weighted = True
    arg_aliases = {"n": "units", "out": "units", "out_features": "units", "use_bias": "bias"}
    example = "POINTWISE_LINEAR(10)"

    units: PosInt
    bias: bool = True
    in_features: PosInt | None = None  # PyTorch's Linear in_features: an input of other channels is refused

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        channels = inputs[0][-1]
        if self.in_features is not None and channels != self.in_features:
            raise ShapeError(
                _(
                    "pointwise_linear written for in_features={features} receives {shape}, "
                    "whose last axis has {channels}"
                ).format(features=self.in_features, shape=format_shape(inputs[0]), channels=channels),
                hint=_("give the layer before it that many channels, or drop in_features"),
            )
        return (*inputs[0][:-1], self.units)

    def params(self, inputs: tuple[Shape, ...], output: Shape) -> ParamCount:
        return ParamCount(inputs[0][-1] * self.units + (self.units if self.bias else 0))

    def macs(self, inputs: tuple[Shape, ...], output: Shape) -> int:
        return prod(inputs[0]) * self.units  # positions · C · Out

    def shape_working(self, inputs: tuple[Shape, ...], output: Shape) -> list[Line]:
        lead = (N_("last axis "), Num(inputs[0][-1]), " ", Sym("→"), N_(" units = "), Num(self.units), ": ")
        return [(Working(OUTPUT, result=Sizes(output), lead=lead),)]

    def params_working(self, inputs: tuple[Shape, ...], output: Shape) -> Working:
        weights = times(inputs[0][-1], self.units)
        formula = plus(C_OUT, OUT) if self.bias else C_OUT
        numbers = plus(weights, self.units) if self.bias else weights
        return Working(PARAMS, formula, numbers, count(self.params(inputs, output).trainable))

    def macs_working(self, inputs: tuple[Shape, ...], output: Shape) -> Working:
        numbers = times(prod(inputs[0][:-1]), inputs[0][-1], self.units)
        return Working(MACS, times(Sym(N_("positions")), C_OUT), numbers, count(self.macs(inputs, output)))


C_OUT = times(Sym("C"), OUT)
