"""What every layer kind answers: its config (a frozen pydantic model) and its hooks.

A kind declares, side by side, its output shape rule, parameter count, multiply-accumulates and
receptive-field step. Kinds register themselves by name; user spellings live in `aliases`.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict

from cnncalc.errors import ShapeError

Shape = tuple[int, ...]
Int = Annotated[int, Strict()]
PosInt = Annotated[int, Strict(), Field(gt=0)]
NonNegInt = Annotated[int, Strict(), Field(ge=0)]
Number = Annotated[float, Field(allow_inf_nan=False)]
PerAxis = PosInt | tuple[PosInt, ...]
PerAxisNonNeg = NonNegInt | tuple[NonNegInt, ...]
PadSpec = NonNegInt | tuple[NonNegInt, ...] | tuple[tuple[NonNegInt, NonNegInt], ...] | Literal["same", "valid", "full"]
Dims = Literal[1, 2, 3] | None

AXIS_NAMES = {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}


@dataclass(frozen=True)
class ParamCount:
    """Parameters of one layer: trainable (weights, biases, scales) and non-trainable (statistics)."""

    trainable: int = 0
    non_trainable: int = 0

    @property
    def total(self) -> int:
        return self.trainable + self.non_trainable


Exact = int | Fraction  # receptive-field arithmetic: ints where possible (fast), fractions where needed


def exact(value: Exact) -> Exact:
    """A Fraction with denominator 1 becomes an int, so integer-only nets never pay for fractions."""
    return value if type(value) is int else (value.numerator if value.denominator == 1 else value)


def half(value: Exact) -> Exact:
    """value / 2, exactly."""
    if type(value) is int:
        return value // 2 if value % 2 == 0 else Fraction(value, 2)
    return exact(value / 2)


@dataclass(frozen=True)
class RFStep:
    """One layer's receptive-field contribution along one spatial axis (Araujo et al., 2019).

    `kernel` is the span of one output unit in units of this layer's input (the dilated kernel;
    fractional for transposed convolutions), `stride` how many input units one output step moves
    (a fraction below 1 for upsampling), `pad_begin` the padding before the first input unit, so
    that the first output unit is centred at (kernel − 1)/2 − pad_begin.
    """

    kernel: Exact
    stride: Exact
    pad_begin: Exact


def axis_name(axis: int, ndim: int) -> str:
    names = AXIS_NAMES.get(ndim)
    return names[axis] if names else f"axis {axis}"


def format_shape(shape: Shape) -> str:
    return "×".join(str(d) for d in shape)


def prod(values: tuple[int, ...]) -> int:
    return math.prod(values)


def spatial(shape: Shape) -> Shape:
    """The spatial part of a channels-last shape."""
    return shape[:-1]


def per_axis(value: int | tuple[int, ...], ndim: int, what: str) -> tuple[int, ...]:
    """Expand an int to one value per spatial axis; check a tuple has one value per axis."""
    if isinstance(value, int):
        return (value,) * ndim
    if len(value) != ndim:
        raise ShapeError(
            f"{what} {format_shape(value)} has {len(value)} values but the input has {ndim} spatial axes",
            hint=f"give one {what} or exactly {ndim} values",
        )
    return tuple(value)


class Layer(BaseModel):
    """Base of every layer kind. Subclasses are configs with hooks; instances are immutable."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    kind: ClassVar[str]
    description: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    positional: ClassVar[tuple[str, ...]] = ()
    arg_aliases: ClassVar[Mapping[str, str]] = {}
    example: ClassVar[str] = ""
    min_inputs: ClassVar[int] = 1
    max_inputs: ClassVar[int | None] = 1
    min_rank: ClassVar[int] = 1
    spatial_kind: ClassVar[bool] = False
    # What autograd keeps for the backward pass (PyTorch CPU 2.13, measured with
    # saved_tensors_hooks): "input"/"inputs"/"output" (and "input_unless_global", for adaptive
    # average pooling) name tensors the graph already holds (shared
    # when two layers keep the same one); "indices" (int64, output-sized), "output_copy",
    # "input_copy", "depthwise_output", "channel_stats" and "sample_stats" are tensors of its own.
    backward_saves: ClassVar[tuple[str, ...]] = ()
    is_view: ClassVar[bool] = False  # its output shares its input's memory (flatten, crop)

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        """Shape of the output, channels last, given the shapes of the inputs."""
        return inputs[0]

    def params(self, inputs: tuple[Shape, ...], output: Shape) -> ParamCount:
        """Trainable and non-trainable parameters."""
        return ParamCount()

    def macs(self, inputs: tuple[Shape, ...], output: Shape) -> int:
        """Weights-only multiply-accumulates (torchvision's GFLOPS convention)."""
        return 0

    def rf_steps(self, inputs: tuple[Shape, ...], output: Shape) -> tuple[RFStep, ...]:
        """Receptive-field step per spatial axis; the identity for point-wise layers."""
        return tuple(RFStep(1, 1, 0) for _ in spatial(inputs[0]))

    def shape_working(self, inputs: tuple[Shape, ...], output: Shape) -> list[str]:
        """How the output shape follows from the inputs, with the numbers filled in."""
        if inputs and output == inputs[0]:
            return [f"output = input = {format_shape(output)}"]
        return [f"output = {format_shape(output)}"]

    def params_working(self, inputs: tuple[Shape, ...], output: Shape) -> str | None:
        """The parameter count as a formula with numbers, or None when there are none."""
        return None

    def macs_working(self, inputs: tuple[Shape, ...], output: Shape) -> str | None:
        """The multiply-accumulates as a formula with numbers, or None when there are none."""
        return None

    def args(self) -> dict[str, object]:
        """The arguments that differ from their defaults, for round-trips and display."""
        return self.model_dump(exclude_defaults=True)


_REGISTRY: dict[str, type[Layer]] = {}


def register(cls: type[Layer]) -> type[Layer]:
    """Class decorator adding a kind to the registry (done once, at import of its module)."""
    if cls.kind in _REGISTRY:
        raise RuntimeError(f"layer kind {cls.kind!r} registered twice")
    _REGISTRY[cls.kind] = cls
    return cls


def registry() -> Mapping[str, type[Layer]]:
    return _REGISTRY


def whole_input_steps(shape: Shape) -> tuple[RFStep, ...]:
    """The step of a layer whose every output sees its whole input (dense, global pooling)."""
    return tuple(RFStep(w, w, 0) for w in spatial(shape))


def taps_text(kernel: tuple[int, ...]) -> str:
    """K^n as a teacher writes it: 5² for a square kernel, 3³ for a cube, (1·7) otherwise."""
    if len(set(kernel)) == 1 and len(kernel) in (2, 3):
        return f"{kernel[0]}{'²' if len(kernel) == 2 else '³'}"
    if len(kernel) == 1:
        return str(kernel[0])
    return "(" + "·".join(str(k) for k in kernel) + ")"


def product_text(values: tuple[int, ...]) -> str:
    return "·".join(str(v) for v in values)
