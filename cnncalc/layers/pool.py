"""Pooling: max, average and LP (power-average) windows; global and adaptive pooling."""

from typing import Annotated

from cnncalc.errors import ShapeError
from cnncalc.i18n import N_, _
from cnncalc.layers.arguments import Bounds
from cnncalc.layers.base import (
    OUTPUT,
    Dims,
    Family,
    Layer,
    PerAxis,
    RFStep,
    Saved,
    Shape,
    Weightless,
    format_shape,
    per_axis,
    register,
    spatial,
    whole_input_steps,
)
from cnncalc.layers.window import WINDOW_ALIASES, WindowLayer, check_spatial_input
from cnncalc.working import Line, Sizes, Working

POOL_ALIASES = {**WINDOW_ALIASES, "ceil": "ceil_mode"}


class PoolLayer(Weightless, WindowLayer):
    """A window pool: stride defaults to the kernel, as in Keras and PyTorch."""

    family = Family.POOLING

    # A pool's stride may be None (= the kernel), wider than WindowLayer's; WindowLayer reads strides
    # only through stride_value(), which pools override.
    stride: PerAxis | None = None  # type: ignore[assignment]
    ceil_mode: bool = False

    positional = ("kernel", "stride", "padding")
    arg_aliases = POOL_ALIASES

    def stride_value(self) -> PerAxis:
        return self.kernel if self.stride is None else self.stride

    def uses_ceil(self) -> bool:
        return self.ceil_mode

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        shape = inputs[0]
        return (*self.output_spatial(shape), shape[-1])


@register
class MaxPool(PoolLayer):
    """Max pooling: the largest value in each window."""

    kind = "max_pool"
    backward_saves = (Saved.INPUT, Saved.INDICES)
    description = N_("max pooling: largest value of each window, per channel; no parameters")
    aliases = (
        "max_pool",
        "maxpool",
        "maxpooling",
        "pool",
        "pooling",
        "union",
        "subsampling",
        "agrupación",
        "agrupación_máxima",
        "agrupamiento",  # another Spanish word for pooling: never APLANAMIENTO (flatten), its look-alike
        "submuestreo",
    )
    example = "POOL(2)"


@register
class AvgPool(PoolLayer):
    """Average pooling: the mean of each window."""

    kind = "avg_pool"
    linear = True
    backward_saves = (Saved.INPUT,)
    description = N_("average pooling: mean of each window, per channel; no parameters")
    aliases = ("avg_pool", "avgpool", "averagepool", "averagepooling", "avgpooling", "meanpool",
               "agrupación_promedio", "agrupacion_media")  # fmt: skip
    example = "AVGPOOL(2)"

    count_include_pad: bool | None = None  # unset: PyTorch's True, but TensorFlow's False for 'same'

    @property
    def counts_padding(self) -> bool:
        """Whether padded cells count in the divisor: as given, else True except for 'same' padding."""
        return self.count_include_pad if self.count_include_pad is not None else self.padding != "same"


@register
class LPPool(PoolLayer):
    """Power-average pooling: (Σ x^p)^(1/p) over each window (PyTorch LPPool)."""

    kind = "lp_pool"
    backward_saves = (Saved.INPUT, Saved.INPUT_COPY, *(Saved.OUTPUT_COPY,) * 4)
    description = N_("power-average pooling (Σ x^p)^(1/p) over each window, per channel")
    aliases = ("lp_pool", "lppool", "lppooling", "powerpool", "poweraveragepool")
    positional = ("power", "kernel", "stride")
    arg_aliases = {**POOL_ALIASES, "p": "power", "norm_type": "power"}
    example = "LPPOOL(2, k=2)"

    power: Annotated[float, Bounds(gt=0)]
    padding: Annotated[int, Bounds(ge=0, le=0)] = 0  # PyTorch's LPPool has no padding


class GlobalPool(Weightless, Layer):
    """Pooling over the whole spatial extent, leaving one value per channel."""

    family = Family.POOLING

    dims: Dims = None
    keepdims: bool = False

    spatial_kind = True

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        shape = inputs[0]
        check_spatial_input(self.kind, self.dims, shape)
        return (*(1,) * (len(shape) - 1), shape[-1]) if self.keepdims else (shape[-1],)

    def rf_steps(self, inputs: tuple[Shape, ...], output: Shape) -> tuple[RFStep, ...]:
        return whole_input_steps(inputs[0])

    def shape_working(self, inputs: tuple[Shape, ...], output: Shape) -> list[Line]:
        lead = (N_("one value per channel over "), Sizes(spatial(inputs[0])), ": ")
        return [(Working(OUTPUT, result=Sizes(output), lead=lead),)]


@register
class GlobalAvgPool(GlobalPool):
    kind = "global_avg_pool"
    linear = True
    backward_saves = ()
    description = N_("global average pooling: the mean of each channel")
    aliases = (
        "global_avg_pool",
        "globalavgpool",
        "globalaveragepooling",
        "gap",
        "globalaveragepool",
        "agrupación_global",
        "agrupación_promedio_global",
    )
    example = "GAP"


@register
class GlobalMaxPool(GlobalPool):
    kind = "global_max_pool"
    backward_saves = (Saved.INPUT, Saved.INDICES)
    description = N_("global max pooling: the largest value of each channel")
    aliases = ("global_max_pool", "globalmaxpool", "globalmaxpooling", "gmp")
    example = "GLOBALMAXPOOL"


class AdaptivePool(Weightless, Layer):
    """Pooling to a fixed output size: PyTorch's windows start at ⌊iW/O⌋ and end at ⌈(i+1)W/O⌉."""

    family = Family.POOLING

    output_size: PerAxis
    dims: Dims = None

    positional = ("output_size",)
    arg_aliases = {"size": "output_size", "out": "output_size"}
    spatial_kind = True

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        shape = inputs[0]
        check_spatial_input(self.kind, self.dims, shape)
        return (*per_axis(self.output_size, len(shape) - 1, "output_size"), shape[-1])

    def rf_steps(self, inputs: tuple[Shape, ...], output: Shape) -> tuple[RFStep, ...]:
        """Windows of ⌈W/O⌉ (or one more) cells every W/O cells: the step uses the widest window.

        When O divides W this is exact; otherwise the field is the bound over units.
        """
        from fractions import Fraction

        steps = []
        for size, out in zip(spatial(inputs[0]), spatial(output), strict=True):
            widest = max(-(-(i + 1) * size // out) - i * size // out for i in range(out))
            first = -(-size // out)
            steps.append(RFStep(Fraction(widest), Fraction(size, out), Fraction(widest - first, 2)))
        return tuple(steps)


@register
class AdaptiveAvgPool(AdaptivePool):
    kind = "adaptive_avg_pool"
    linear = True
    backward_saves = (Saved.INPUT_UNLESS_GLOBAL,)  # a 1×1 output is a mean, which keeps nothing
    description = N_("adaptive average pooling to a fixed output size")
    aliases = ("adaptive_avg_pool", "adaptiveavgpool", "adaptiveaveragepool", "adaptiveavgpooling")
    example = "ADAPTIVE_AVG_POOL(7)"


@register
class AdaptiveMaxPool(AdaptivePool):
    kind = "adaptive_max_pool"
    backward_saves = (Saved.INPUT, Saved.INDICES)
    description = N_("adaptive max pooling to a fixed output size")
    aliases = ("adaptive_max_pool", "adaptivemaxpool", "adaptivemaxpooling")
    example = "ADAPTIVE_MAX_POOL(7)"


@register
class ReduceMean(Weightless, Layer):
    """The mean over some axes of a tensor (PyTorch's x.mean(dims), ONNX ReduceMean, keras.ops.mean).

    Numerically a global average pool when it reduces the spatial axes (its default), but counted as
    its own operation: fvcore counts adaptive average pooling (one per input value) and not aten::mean.
    `axes` number cnncalc's shape, channels last and without the batch: H×W×C's spatial axes are
    (0, 1), which PyTorch's (N, C, H, W) numbers (2, 3).
    """

    kind = "reduce_mean"
    family = Family.POOLING
    linear = True
    backward_saves = ()  # the gradient of a mean needs only the input's shape
    description = N_("mean over axes (default: the spatial ones), keepdims optional; no parameters")
    aliases = ("reduce_mean", "reducemean", "tensor_mean", "mean_axes", "mean_over")
    positional = ("axes",)
    arg_aliases = {"axis": "axes", "dim": "axes", "dims": "axes", "keepdim": "keepdims", "keep_dims": "keepdims"}
    example = "REDUCE_MEAN"

    axes: int | tuple[int, ...] | None = None
    keepdims: bool = False

    def reduced(self, shape: Shape) -> tuple[int, ...]:
        """The reduced axes, 0-based and sorted; refuses an axis outside the shape or one given twice."""
        rank = len(shape)
        given = tuple(range(rank - 1)) if self.axes is None else (
            (self.axes,) if isinstance(self.axes, int) else self.axes
        )  # fmt: skip
        if not given or any(not -rank <= a < rank for a in given) or len({a % rank for a in given}) < len(given):
            raise ShapeError(
                _("reduce_mean axes {axes} do not name distinct axes of {shape} (rank {rank})").format(
                    axes=self.axes, shape=format_shape(shape), rank=rank
                ),
                hint=_(
                    "axes count from 0 in the channels-last shape without the batch: 0 … {last}, or -1 for C"
                ).format(last=rank - 1),
            )
        return tuple(sorted(a % rank for a in given))

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        shape = inputs[0]
        axes = self.reduced(shape)
        if self.keepdims:
            return tuple(1 if a in axes else d for a, d in enumerate(shape))
        if axes != tuple(range(len(shape) - 1)):
            # Removing another set of axes would make a spatial axis the channel axis (or leave a scalar).
            raise ShapeError(
                _(
                    "reduce_mean over axes {axes} of {shape} without keepdims removes axes "
                    "cnncalc keeps (the channel axis, or only some spatial axes)"
                ).format(axes=axes, shape=format_shape(shape)),
                hint=_("reduce every spatial axis (the default), or write keepdims=true"),
            )
        return (shape[-1],)

    def rf_steps(self, inputs: tuple[Shape, ...], output: Shape) -> tuple[RFStep, ...]:
        axes = self.reduced(inputs[0])
        return tuple(RFStep(w, w, 0) if a in axes else RFStep(1, 1, 0) for a, w in enumerate(spatial(inputs[0])))

    def shape_working(self, inputs: tuple[Shape, ...], output: Shape) -> list[Line]:
        axes = ", ".join(str(a) for a in self.reduced(inputs[0]))
        lead = (_("mean over axes ({axes}) of ").format(axes=axes), Sizes(inputs[0]), ": ")
        return [(Working(OUTPUT, result=Sizes(output), lead=lead),)]


__all__ = ["AvgPool", "GlobalAvgPool", "GlobalMaxPool", "LPPool", "MaxPool", "ReduceMean"]
