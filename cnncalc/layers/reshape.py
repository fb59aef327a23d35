"""Layers that move values without arithmetic: flatten, reshape, zero padding, cropping."""

from cnncalc.errors import ShapeError
from cnncalc.i18n import N_, _
from cnncalc.layers.base import (
    OUTPUT,
    Family,
    Layer,
    NonNegInt,
    PerAxis,
    PosInt,
    RFStep,
    Shape,
    Weightless,
    axis_name,
    divisible_channels,
    format_shape,
    output_line,
    per_axis,
    prod,
    register,
    spatial,
    whole_input_steps,
)
from cnncalc.layers.window import check_spatial_input, per_side
from cnncalc.working import TIMES, Line, Num, Sym, Working, chain, minus

SidePad = NonNegInt | tuple[NonNegInt, ...] | tuple[tuple[NonNegInt, NonNegInt], ...]


@register
class Flatten(Weightless, Layer):
    """Flattens a volume into a vector of H·W·C values."""

    kind = "flatten"
    family = Family.RESHAPE
    linear = True
    backward_saves = ()
    is_view = True
    description = N_("flatten to a vector; no parameters")
    aliases = ("flatten", "flat", "vectorize", "aplanar", "aplanado", "aplanamiento")
    example = "FLATTEN"

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        return (prod(inputs[0]),)

    def shape_working(self, inputs: tuple[Shape, ...], output: Shape) -> list[Line]:
        values = chain(TIMES, inputs[0], spaced=True)  # 4 · 4 · 16: the volume laid out as one vector
        return [(Working(OUTPUT, substituted=values, result=Num(output[0])),)]

    def rf_steps(self, inputs: tuple[Shape, ...], output: Shape) -> tuple[RFStep, ...]:
        return whole_input_steps(inputs[0])


@register
class Reshape(Weightless, Layer):
    """Reshapes to `shape` (channels last); one entry may be -1 and is inferred."""

    kind = "reshape"
    family = Family.RESHAPE
    linear = True
    backward_saves = ()
    is_view = True
    description = N_("reshape, channels last; one size may be -1; no parameters")
    aliases = ("reshape", "view")
    positional = ("shape",)
    arg_aliases = {"target_shape": "shape", "size": "shape"}
    example = "RESHAPE(7x7x64)"

    shape: tuple[int, ...]

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        total = prod(inputs[0])
        known = prod(tuple(d for d in self.shape if d != -1))
        unknown = sum(1 for d in self.shape if d == -1)
        bad = [d for d in self.shape if d < 1 and d != -1]
        if bad or unknown > 1 or (unknown and total % known) or (not unknown and known != total):
            raise ShapeError(
                _("cannot reshape {shape} ({total} values) into {target}").format(
                    shape=format_shape(inputs[0]), total=total, target=format_shape(self.shape)
                ),
                hint=_("the sizes must multiply to the same number of values; one may be -1"),
            )
        return tuple(total // known if d == -1 else d for d in self.shape)

    def rf_steps(self, inputs: tuple[Shape, ...], output: Shape) -> tuple[RFStep, ...]:
        return whole_input_steps(inputs[0])


@register
class ZeroPad(Weightless, Layer):
    """Pads the spatial axes (zeros by default)."""

    kind = "zero_pad"
    family = Family.RESHAPE
    linear = True
    backward_saves = ()
    description = N_("pad the spatial axes; no parameters")
    aliases = ("zero_pad", "zeropad", "zeropadding", "pad", "padding")
    positional = ("padding",)
    arg_aliases = {"p": "padding", "pad": "padding"}
    example = "ZEROPAD(1)"
    spatial_kind = True

    padding: SidePad

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        shape = inputs[0]
        check_spatial_input(self.kind, None, shape)
        pads = per_side(self.padding, len(shape) - 1, "padding")
        return (*(w + b + e for w, (b, e) in zip(spatial(shape), pads, strict=True)), shape[-1])

    def rf_steps(self, inputs: tuple[Shape, ...], output: Shape) -> tuple[RFStep, ...]:
        pads = per_side(self.padding, len(inputs[0]) - 1, "padding")
        return tuple(RFStep(1, 1, b) for b, _e in pads)


def crop_sizes(kind: str, shape: Shape, crops: tuple[tuple[int, int], ...]) -> Shape:
    ndim = len(crops)
    sizes = []
    for axis, (w, (b, e)) in enumerate(zip(spatial(shape), crops, strict=True)):
        if b + e >= w:
            raise ShapeError(
                _("{kind} removes {begin}+{end} from axis {axis} of size {size}, leaving nothing").format(
                    kind=kind, begin=b, end=e, axis=axis_name(axis, ndim), size=w
                ),
                hint=_("crop less, or crop a larger input"),
            )
        sizes.append(w - b - e)
    return (*sizes, shape[-1])


@register
class Crop(Weightless, Layer):
    """Removes `cropping` values from the borders of the spatial axes."""

    kind = "crop"
    family = Family.RESHAPE
    linear = True
    backward_saves = ()
    is_view = True
    description = N_("crop the spatial borders; no parameters")
    aliases = ("crop", "cropping", "cropping2d")
    positional = ("cropping",)
    arg_aliases = {"c": "cropping", "crop": "cropping"}
    example = "CROP(4)"
    spatial_kind = True

    cropping: SidePad

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        shape = inputs[0]
        check_spatial_input(self.kind, None, shape)
        return crop_sizes(self.kind, shape, per_side(self.cropping, len(shape) - 1, "cropping"))

    def rf_steps(self, inputs: tuple[Shape, ...], output: Shape) -> tuple[RFStep, ...]:
        crops = per_side(self.cropping, len(inputs[0]) - 1, "cropping")
        return tuple(RFStep(1, 1, -b) for b, _e in crops)


@register
class CenterCrop(Weightless, Layer):
    """Crops the centre to `size`, or, given two inputs, the first to the second's spatial size.

    The second form is U-Net's crop-and-copy: the encoder map is cut to the decoder map's size.
    When the difference is odd, the extra row or column is removed at the end.
    """

    kind = "center_crop"
    family = Family.RESHAPE
    linear = True
    backward_saves = ()
    is_view = True
    description = N_("crop the centre to a size, or to the spatial size of a second input")
    aliases = ("center_crop", "centercrop", "centre_crop", "crop_to", "cropto")
    positional = ("size",)
    example = "CENTER_CROP(392)"
    max_inputs = 2
    spatial_kind = True

    size: PerAxis | None = None

    def _crops(self, inputs: tuple[Shape, ...]) -> tuple[tuple[int, int], ...]:
        shape = inputs[0]
        check_spatial_input(self.kind, None, shape)
        ndim = len(shape) - 1
        if (self.size is None) == (len(inputs) == 1):
            raise ShapeError(
                _("center_crop needs either a size or a second input to match"),
                hint=_("write center_crop(392) or give inputs: [encoder, decoder]"),
            )
        target = per_axis(self.size, ndim, "size") if self.size else spatial(inputs[1])
        if len(target) != ndim:
            raise ShapeError(
                _("center_crop target {target} does not have {ndim} axes").format(
                    target=format_shape(target), ndim=ndim
                ),
                hint=_("crop to a map of the same rank"),
            )
        crops = []
        for axis, (w, t) in enumerate(zip(spatial(shape), target, strict=True)):
            if t > w:
                raise ShapeError(
                    _("center_crop cannot grow axis {axis} from {size} to {target}").format(
                        axis=axis_name(axis, ndim), size=w, target=t
                    ),
                    hint=_("crop the larger map to the smaller one"),
                )
            crops.append(((w - t) // 2, w - t - (w - t) // 2))
        return tuple(crops)

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        shape = inputs[0]
        crops = self._crops(inputs)
        return (*(w - b - e for w, (b, e) in zip(spatial(shape), crops, strict=True)), shape[-1])

    def rf_steps(self, inputs: tuple[Shape, ...], output: Shape) -> tuple[RFStep, ...]:
        return tuple(RFStep(1, 1, -b) for b, _ in self._crops(inputs))


@register
class Slice(Weightless, Layer):
    """Channels [start, stop) of its input: a split is two slices of the same input.

    ShuffleNetV2's `x.chunk(2, dim=1)`, the CSP and C2f blocks' splits: write one slice per part,
    each reading the same layer (`inputs: [x]`), as ONNX's Split is several Slices.
    """

    kind = "slice"
    family = Family.RESHAPE
    linear = True
    backward_saves = ()
    is_view = True  # x[:, start:stop] shares its input's memory
    description = N_("channels [start, stop) of the input; a split is several slices; no parameters")
    aliases = ("slice", "channel_slice", "slice_channels", "narrow")
    positional = ("start", "stop")
    arg_aliases = {"begin": "start", "end": "stop"}
    example = "SLICE(0, 16)"

    start: NonNegInt
    stop: PosInt

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        channels = inputs[0][-1]
        if not self.start < self.stop <= channels:
            raise ShapeError(
                _("slice [{start}, {stop}) does not fit in {channels} channels (input {shape})").format(
                    start=self.start, stop=self.stop, channels=channels, shape=format_shape(inputs[0])
                ),
                hint=_("choose 0 <= start < stop <= {channels}").format(channels=channels),
            )
        return (*inputs[0][:-1], self.stop - self.start)

    def shape_working(self, inputs: tuple[Shape, ...], output: Shape) -> list[Line]:
        channels = Working(
            Sym("C"), minus(Sym(N_("stop")), Sym(N_("start"))), minus(self.stop, self.start), Num(output[-1])
        )
        return [(channels,), output_line(output)]


@register
class ChannelShuffle(Weightless, Layer):
    """Interleaves `groups` groups of channels (ShuffleNet): channel g·(C/groups)+j moves to j·groups+g."""

    kind = "channel_shuffle"
    family = Family.RESHAPE
    linear = True
    backward_saves = ()
    description = N_("channel shuffle between groups (ShuffleNet); shape unchanged; no parameters")
    aliases = ("channel_shuffle", "channelshuffle", "shuffle")
    positional = ("groups",)
    arg_aliases = {"g": "groups"}
    example = "CHANNEL_SHUFFLE(2)"

    groups: PosInt

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        return divisible_channels(self.kind, self.groups, inputs[0])
