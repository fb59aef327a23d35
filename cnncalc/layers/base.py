"""What every layer kind answers: its config (immutable, validated arguments) and its hooks.

A kind declares, side by side, its output shape rule, parameter count, multiply-accumulates and
receptive-field step. Kinds register themselves by name; user spellings live in `aliases`.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Self, TypeAlias

from cnncalc.errors import ShapeError, UnsupportedSpecError, ValidationSpecError
from cnncalc.i18n import N_, _
from cnncalc.layers.arguments import Argument, Bounds, Rejected, declared_arguments, fast_check
from cnncalc.working import Expr, Group, Line, Num, Power, Sizes, Sym, Working, times

Shape = tuple[int, ...]
# Argument types (see cnncalc.layers.arguments): ints and bools are strict, floats finite.
Int = int
PosInt = Annotated[int, Bounds(gt=0)]
NonNegInt = Annotated[int, Bounds(ge=0)]
Number = float
PerAxis = PosInt | tuple[PosInt, ...]
PerAxisNonNeg = NonNegInt | tuple[NonNegInt, ...]
PadSpec = NonNegInt | tuple[NonNegInt, ...] | tuple[tuple[NonNegInt, NonNegInt], ...] | Literal["same", "valid", "full"]
Dims = Literal[1, 2, 3] | None

AXIS_NAMES = {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}


class Family(StrEnum):
    """What a kind is, for people: diagrams colour by it, `cnncalc layers` groups by it."""

    INPUT = "input"
    CONVOLUTION = "convolution"
    DENSE = "dense"
    POOLING = "pooling"
    NORMALIZATION = "normalization"
    ACTIVATION = "activation"
    REGULARIZATION = "regularization"
    MERGE = "merge"
    RESHAPE = "reshape"
    RESAMPLING = "resampling"


class Saved(StrEnum):
    """A tensor autograd keeps for a layer's backward pass (PyTorch CPU 2.13, measured with
    saved_tensors_hooks). The first four name tensors the graph already holds (shared when two
    layers keep the same one); the others are tensors of the layer's own."""

    INPUT = "input"
    INPUTS = "inputs"
    OUTPUT = "output"
    INPUT_UNLESS_GLOBAL = "input_unless_global"  # adaptive average pooling: a 1×1 mean keeps nothing
    INDICES = "indices"  # int64, output-sized
    OUTPUT_COPY = "output_copy"
    INPUT_COPY = "input_copy"
    DEPTHWISE_OUTPUT = "depthwise_output"
    CHANNEL_STATS = "channel_stats"
    SAMPLE_STATS = "sample_stats"
    CHANNEL_MASK = "channel_mask"


# The hooks and traits every registered kind declares itself: none has a silent default.
REQUIRED_HOOKS = ("params", "macs")
REQUIRED_TRAITS = ("family", "backward_saves")


@dataclass(frozen=True)
class ParamCount:
    """Parameters of one layer: trainable (weights, biases, scales) and non-trainable (statistics)."""

    trainable: int = 0
    non_trainable: int = 0

    @property
    def total(self) -> int:
        return self.trainable + self.non_trainable


if TYPE_CHECKING:
    from fractions import Fraction
# Receptive-field arithmetic: ints where possible (fast), fractions where needed. `fractions` is
# imported only by the layers that make one, so the summary path does not load it.
Exact: TypeAlias = "int | Fraction"


def exact(value: Exact) -> Exact:
    """A Fraction with denominator 1 becomes an int, so integer-only nets never pay for fractions."""
    return value if type(value) is int else (value.numerator if value.denominator == 1 else value)


def half(value: Exact) -> Exact:
    """value / 2, exactly."""
    if isinstance(value, int):
        if value % 2 == 0:
            return value // 2
        from fractions import Fraction

        return Fraction(value, 2)
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
    return names[axis] if names else _("axis {axis}").format(axis=axis)


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
            _("{what} {value} has {count} values but the input has {ndim} spatial axes").format(
                what=what, value=format_shape(value), count=len(value), ndim=ndim
            ),
            hint=_("give one {what} or exactly {ndim} values").format(what=what, ndim=ndim),
        )
    return tuple(value)


class Layer:
    """Base of every layer kind. Subclasses are configs with hooks; instances are immutable.

    A kind's arguments are its annotated class attributes; the value of one is its default.
    `Conv(filters=10, kernel=5)` validates its arguments and raises ValidationSpecError on bad ones.
    """

    arguments: ClassVar[Mapping[str, Argument]] = {}
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
    family: ClassVar[Family]
    backward_saves: ClassVar[tuple[Saved, ...]]  # what autograd keeps for the backward pass
    is_view: ClassVar[bool] = False  # its output shares its input's memory (flatten, crop)
    # It multiplies its inputs by a weight tensor: its outputs are neurons in the lecture's sense
    # (a weighted sum of inputs, e.g. AlexNet's "650,000 neurons"), and it is what a network's
    # depth counts (VGG-16: 13 convolutions + 3 dense). Convolutions and dense layers; not
    # activations, pools or norms.
    weighted: ClassVar[bool] = False
    # Point-wise non-linear: what makes a stack of weighted layers more than one linear map.
    nonlinear: ClassVar[bool] = False
    # Keeps a linear map linear when composed with it (norms at inference, pads, crops, average
    # pooling, reshapes, dropout at inference, upsampling).
    linear: ClassVar[bool] = False
    dropout: ClassVar[bool] = False  # drops values at random while training
    # Its windows spread each input value over the output (a transposed convolution): it grows a
    # map, and strides that do not fit or skip inputs mean nothing for it.
    transposed: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.arguments = declared_arguments(cls)

    def __init__(self, **arguments: object) -> None:
        values = type(self).validate_arguments(arguments, getattr(self, "kind", type(self).__name__).upper())
        self.__dict__.update(values)

    @classmethod
    def validate_arguments(cls, given: Mapping[str, object], spelling: str) -> dict[str, object]:
        """The checked values of every argument, or ValidationSpecError naming each problem."""
        given = cls.prepare_arguments(given)
        try:
            return fast_check(cls, given)
        except Rejected:
            from cnncalc.layers.models import validate_with_pydantic  # only for unusual values

            try:
                return validate_with_pydantic(cls, given, spelling)
            except ValueError as exc:
                hint = _("e.g. {example}").format(example=cls.example) if cls.example else None
                raise ValidationSpecError(str(exc), hint=hint) from None

    @classmethod
    def prepare_arguments(cls, given: Mapping[str, object]) -> Mapping[str, object]:
        """A kind's chance to accept a shorthand before validation (a single size for a shape)."""
        return given

    # Pickle and copy restore an instance by filling its __dict__, which these do not guard.
    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; build a new one")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.arguments)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self), self._values()))

    def __repr__(self) -> str:
        listed = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.arguments)
        return f"{type(self).__name__}({listed})"

    @classmethod
    def trusted(cls, values: Mapping[str, object]) -> Self:
        """An instance from values already validated (a copy with one argument changed, say)."""
        layer = object.__new__(cls)
        layer.__dict__.update(values)
        return layer

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        """Shape of the output, channels last, given the shapes of the inputs."""
        return inputs[0]

    def params(self, inputs: tuple[Shape, ...], output: Shape) -> ParamCount:
        """Trainable and non-trainable parameters. Every kind declares it (`no_params` for none)."""
        raise UnsupportedSpecError(_("layer kind {kind!r} does not declare its parameters").format(kind=self.kind))

    def macs(self, inputs: tuple[Shape, ...], output: Shape) -> int:
        """Weights-only multiply-accumulates (torchvision's GFLOPS convention). Every kind declares it."""
        raise UnsupportedSpecError(
            _("layer kind {kind!r} does not declare its multiply-accumulates").format(kind=self.kind)
        )

    def rf_steps(self, inputs: tuple[Shape, ...], output: Shape) -> tuple[RFStep, ...]:
        """Receptive-field step per spatial axis; the identity for point-wise layers."""
        return tuple(RFStep(1, 1, 0) for _ in spatial(inputs[0]))

    def shape_working(self, inputs: tuple[Shape, ...], output: Shape) -> list[Line]:
        """How the output shape follows from the inputs, with the numbers filled in."""
        if inputs and output == inputs[0]:
            return [(Working(OUTPUT, Sym(N_("input")), result=Sizes(output)),)]
        return [output_line(output)]

    def params_working(self, inputs: tuple[Shape, ...], output: Shape) -> Working | None:
        """The parameter count as a formula with numbers, or None when there are none."""
        return None

    def macs_working(self, inputs: tuple[Shape, ...], output: Shape) -> Working | None:
        """The multiply-accumulates as a formula with numbers, or None when there are none."""
        return None

    def args(self) -> dict[str, object]:
        """The arguments that differ from their defaults, for round-trips and display."""
        return {
            name: getattr(self, name)
            for name, argument in self.arguments.items()
            if argument.required or getattr(self, name) != argument.default
        }


_REGISTRY: dict[str, type[Layer]] = {}


class Weightless:
    """Mixin for kinds with no weights: they declare zero parameters and zero weight MACs."""

    def params(self, inputs: tuple[Shape, ...], output: Shape) -> ParamCount:
        return ParamCount()

    def macs(self, inputs: tuple[Shape, ...], output: Shape) -> int:
        return 0


class NoWeightMacs:
    """Mixin for kinds whose parameters scale or shift values (norms, PReLU): they declare zero
    weights-only MACs, as torchvision's convention counts only convolutions and dense layers."""

    def macs(self, inputs: tuple[Shape, ...], output: Shape) -> int:
        return 0


def undeclared(cls: type[Layer]) -> list[str]:
    """The hooks and traits `cls` leaves to the base class, which has no answer for them."""
    missing = [name for name in REQUIRED_TRAITS if not hasattr(cls, name)]
    return missing + [name for name in REQUIRED_HOOKS if getattr(cls, name) is getattr(Layer, name)]


def register(cls: type[Layer]) -> type[Layer]:
    """Class decorator adding a kind to the registry (done once, at import of its module)."""
    if cls.kind in _REGISTRY:
        raise RuntimeError(f"layer kind {cls.kind!r} registered twice")
    missing = undeclared(cls)
    if missing:
        raise TypeError(f"layer kind {cls.kind!r} does not declare {', '.join(missing)}")
    _REGISTRY[cls.kind] = cls
    return cls


def registry() -> Mapping[str, type[Layer]]:
    return _REGISTRY


def divisible_channels(kind: str, groups: int, shape: Shape) -> Shape:
    """`shape`, whose channels split into `groups` equal groups (group norm, channel shuffle), or S006."""
    if shape[-1] % groups:
        raise ShapeError(
            _("{kind} with {groups} groups needs channels divisible by {groups}, but there are {channels}").format(
                kind=kind, groups=groups, channels=shape[-1]
            ),
            hint=_("choose a number of groups that divides the channels"),
            rule="S006",
        )
    return shape


def whole_input_steps(shape: Shape) -> tuple[RFStep, ...]:
    """The step of a layer whose every output sees its whole input (dense, global pooling)."""
    return tuple(RFStep(w, w, 0) for w in spatial(shape))


# The quantities workings name.
OUTPUT, PARAMS, MACS = Sym(N_("output")), Sym(N_("params")), Sym(N_("MACs"))


def output_line(output: Shape) -> Line:
    """'output = 16×16×10'."""
    return (Working(OUTPUT, result=Sizes(output)),)


def count(value: int) -> Num:
    """A parameter or MAC count, written with thousands separators."""
    return Num(value, grouped=True)


def taps(kernel: tuple[int, ...]) -> Expr:
    """K^n as a teacher writes it: 5² for a square kernel, 3³ for a cube, (1·7) otherwise."""
    if len(set(kernel)) == 1 and len(kernel) in (2, 3):
        return Power(Num(kernel[0]), len(kernel))
    if len(kernel) == 1:
        return Num(kernel[0])
    return Group(times(*kernel))


def kernel_symbol(ndim: int) -> Expr:
    """K, K² or K³: the kernel's taps in symbols."""
    return Power(Sym("K"), ndim) if ndim in (2, 3) else Sym("K")
