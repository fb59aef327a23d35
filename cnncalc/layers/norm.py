"""Normalization layers: batch, group, instance and layer norm; local response/contrast."""

import math
from typing import Annotated

from cnncalc.errors import ValidationSpecError
from cnncalc.i18n import N_, _
from cnncalc.layers.arguments import Bounds
from cnncalc.layers.base import (
    PARAMS,
    Family,
    Layer,
    NoWeightMacs,
    ParamCount,
    PosInt,
    RFStep,
    Saved,
    Shape,
    Weightless,
    count,
    divisible_channels,
    half,
    register,
    spatial,
)
from cnncalc.working import Labelled, Num, Sym, Working, plus, times

Positive = Annotated[float, Bounds(gt=0)]
C = Sym("C")
GAMMA_BETA = Labelled(times(2, C), (Sym("γ"), ", ", Sym("β")))  # a scale and a shift per channel
NORM_ALIASES = {"eps": "epsilon", "scale": "affine", "center": "affine"}


@register
class BatchNorm(NoWeightMacs, Layer):
    """Batch normalization: γ, β trainable; running mean and variance kept as non-trainable."""

    kind = "batch_norm"
    family = Family.NORMALIZATION
    linear = True  # at inference: a per-channel affine map
    backward_saves = (Saved.INPUT, Saved.CHANNEL_STATS)
    description = N_("batch normalization: 2C trainable (γ, β) + 2C non-trainable (mean, variance)")
    aliases = ("batch_norm", "batchnorm", "bn", "batchnormalization", "normalización_por_lotes")
    arg_aliases = {"eps": "epsilon"}  # scale and center are its own arguments (γ and β apart)
    example = "BN"

    epsilon: Positive = 1e-5
    momentum: Annotated[float, Bounds(ge=0, le=1)] = 0.1
    affine: bool = True
    track_running_stats: bool = True
    scale: bool = True  # Keras's names: scale=False drops γ (as Keras Inception builds it), center=False β
    center: bool = True

    @property
    def has_gamma(self) -> bool:
        return self.affine and self.scale

    @property
    def has_beta(self) -> bool:
        return self.affine and self.center

    def params(self, inputs: tuple[Shape, ...], output: Shape) -> ParamCount:
        channels = output[-1]
        trained = channels * (self.has_gamma + self.has_beta)
        return ParamCount(trained, 2 * channels if self.track_running_stats else 0)

    def params_working(self, inputs: tuple[Shape, ...], output: Shape) -> Working | None:
        counted, c = self.params(inputs, output), output[-1]
        learned = {
            (True, True): (GAMMA_BETA, times(2, c)),
            (True, False): (Labelled(C, (Sym("γ"),)), Num(c)),
            (False, True): (Labelled(C, (Sym("β"),)), Num(c)),
        }
        terms = [learned[self.has_gamma, self.has_beta]] if self.has_gamma or self.has_beta else []
        if self.track_running_stats:
            terms.append((Labelled(times(2, C), (N_("running mean and variance, not trained"),)), times(2, c)))
        if not terms:
            return None
        split = (plus(count(counted.trainable), count(counted.non_trainable)),) if len(terms) == 2 else ()
        formula, numbers = plus(*(t[0] for t in terms)), plus(*(t[1] for t in terms))
        return Working(PARAMS, formula, numbers, count(counted.total), steps=split)


class AffineNorm(NoWeightMacs, Layer):
    """A normalization with an optional per-channel scale γ and shift β: 2C trainable parameters."""

    family = Family.NORMALIZATION
    # not linear even at inference: unlike batch norm's running statistics, these divide each sample
    # (or position) by its own spread, so dwconv → layer norm → linear is no single linear map (A005)
    linear = False

    epsilon: Positive = 1e-5
    affine: bool = True

    def params(self, inputs: tuple[Shape, ...], output: Shape) -> ParamCount:
        return ParamCount(2 * output[-1] if self.affine else 0)

    def params_working(self, inputs: tuple[Shape, ...], output: Shape) -> Working | None:
        return Working(PARAMS, GAMMA_BETA, times(2, output[-1]), count(2 * output[-1])) if self.affine else None


@register
class GroupNorm(AffineNorm):
    """Group normalization: statistics over groups of channels; γ and β per channel."""

    kind = "group_norm"
    backward_saves = (Saved.INPUT, Saved.SAMPLE_STATS)
    description = N_("group normalization: 2C trainable parameters")
    aliases = ("group_norm", "groupnorm", "gn", "groupnormalization")
    positional = ("groups",)
    arg_aliases = {**NORM_ALIASES, "g": "groups", "num_groups": "groups"}
    example = "GROUPNORM(32)"

    groups: PosInt

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        return divisible_channels(self.kind, self.groups, inputs[0])


@register
class InstanceNorm(AffineNorm):
    """Instance normalization: statistics per sample and channel (no affine by default)."""

    kind = "instance_norm"
    backward_saves = (Saved.INPUT, Saved.SAMPLE_STATS)
    description = N_("instance normalization: 2C trainable parameters when affine")
    aliases = ("instance_norm", "instancenorm", "instancenormalization", "in_norm")
    arg_aliases = NORM_ALIASES
    example = "INSTANCENORM"

    affine: bool = False  # PyTorch's default for instance norm


@register
class LayerNorm(AffineNorm):
    """Layer normalization over the channel axis, with γ and β per channel."""

    kind = "layer_norm"
    backward_saves = (Saved.INPUT, Saved.SAMPLE_STATS)
    description = N_("layer normalization over channels: 2C trainable parameters")
    aliases = ("layer_norm", "layernorm", "ln", "layernormalization")
    arg_aliases = NORM_ALIASES
    example = "LAYERNORM"


@register
class LocalResponseNorm(Weightless, Layer):
    """Local response normalization across `size` neighbouring channels (AlexNet)."""

    kind = "lrn"
    family = Family.NORMALIZATION
    backward_saves = (Saved.INPUT, Saved.INPUT_COPY, Saved.INPUT_COPY)
    description = N_("local response normalization across neighbouring channels; no parameters")
    aliases = ("lrn", "localresponsenorm", "localresponsenormalization")
    positional = ("size",)
    arg_aliases = {"n": "size", "depth_radius": "size"}
    example = "LRN(5)"

    size: PosInt = 5
    alpha: Positive = 1e-4
    beta: Positive = 0.75
    k: Positive = 1.0


@register
class LocalContrastNorm(Weightless, Layer):
    """Local contrast normalization: subtract and divide by a local mean/std over a window."""

    kind = "lcn"
    family = Family.NORMALIZATION
    backward_saves = (Saved.INPUT, Saved.INPUT_COPY)
    description = N_("local contrast normalization over a spatial window; no parameters")
    aliases = ("lcn", "localcontrastnorm", "localcontrastnormalization")
    positional = ("size",)
    arg_aliases = {"k": "size", "kernel": "size"}
    example = "LCN(9)"

    size: PosInt = 9
    epsilon: Positive = 1e-5

    def rf_steps(self, inputs: tuple[Shape, ...], output: Shape) -> tuple[RFStep, ...]:
        """Each output mixes a size×size neighbourhood centred on its own position."""
        pad = half(self.size - 1)
        return tuple(RFStep(self.size, 1, pad) for _ in spatial(inputs[0]))


@register
class LayerScale(NoWeightMacs, Layer):
    """A learnt multiplier per channel (ConvNeXt, CaiT, MetaFormers): y = γ ⊙ x, γ of C values.

    Its multiplications are element-wise, like a norm's γ: no weights-only MACs (torchvision's
    ConvNeXt-T GFLOPS count convolutions and linear layers only).
    """

    kind = "layer_scale"
    family = Family.NORMALIZATION
    linear = True
    backward_saves = (Saved.INPUT,)  # γ's gradient needs x
    description = N_("layer scale: a learnt multiplier per channel, C trainable parameters")
    aliases = ("layer_scale", "layerscale", "channel_scale")
    example = "LAYER_SCALE"

    def params(self, inputs: tuple[Shape, ...], output: Shape) -> ParamCount:
        return ParamCount(output[-1])

    def params_working(self, inputs: tuple[Shape, ...], output: Shape) -> Working:
        return Working(PARAMS, Labelled(C, (Sym("γ"),)), result=count(output[-1]))


@register
class Rescaling(Weightless, Layer):
    """A constant affine map of every value, y = x·scale + offset (Keras' Rescaling): no weights.

    Scale and offset are one number, or one per channel (Keras takes both). Its two multiplications
    by constants are element-wise: no weights-only MACs.
    """

    kind = "rescaling"
    family = Family.NORMALIZATION
    linear = True
    backward_saves = ()  # a product by a constant keeps nothing for its gradient
    description = N_("rescaling: y = x·scale + offset with constants; no parameters")
    aliases = ("rescaling", "rescale")
    positional = ("scale",)
    example = "RESCALING(0.00392156862745098)"

    scale: float | tuple[float, ...] = 1.0
    offset: float | tuple[float, ...] = 0.0

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        shape = inputs[0]
        for name, value in (("scale", self.scale), ("offset", self.offset)):
            if isinstance(value, tuple) and len(value) not in (1, shape[-1]):
                raise ValidationSpecError(
                    _("rescaling's {name} has {count} values for {channels} channels").format(
                        name=name, count=len(value), channels=shape[-1]
                    ),
                    hint=_("give one number, or one per channel"),
                )
        return shape


# keras.backend.epsilon(): the floor of Normalization's standard deviation (the executor and the
# exporters compute it alike).
KERAS_EPSILON = 1e-7


@register
class Normalization(NoWeightMacs, Layer):
    """Keras' Normalization: y = (x − mean)/max(√variance, ε) per channel, mean and variance fixed.

    Given `mean` and `variance` (one per channel) they are constants, no weights; when they are to
    be adapted (left out, as in Keras' EfficientNet) Keras keeps mean (C), variance (C) and the
    count of values seen (1) as non-trainable weights: 2C + 1.
    """

    kind = "normalization"
    family = Family.NORMALIZATION
    linear = True  # at inference: a per-channel affine map
    backward_saves = ()  # subtracting and dividing by constants keeps nothing for the gradient
    description = N_("normalization by a fixed mean and variance per channel; 2C + 1 non-trainable when adapted")
    aliases = ("normalization", "normalisation")
    example = "NORMALIZATION"

    mean: tuple[float, ...] | None = None
    variance: tuple[float, ...] | None = None

    @property
    def adapted(self) -> bool:
        """Mean and variance are weights Keras learns by `adapt` (not given as constants)."""
        return self.mean is None

    def deviations(self) -> tuple[float, ...]:
        """The divisors of given statistics, max(√variance, ε) per channel as Keras computes them."""
        return tuple(max(math.sqrt(v), KERAS_EPSILON) for v in self.variance or ())

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        shape = inputs[0]
        if (self.mean is None) != (self.variance is None):
            raise ValidationSpecError(
                _("normalization needs both mean and variance, or neither (adapted)"),
                hint=_("give both, one value per channel, or leave both out"),
            )
        for name, values in (("mean", self.mean), ("variance", self.variance)):
            if values is not None and len(values) not in (1, shape[-1]):
                raise ValidationSpecError(
                    _("normalization's {name} has {count} values for {channels} channels").format(
                        name=name, count=len(values), channels=shape[-1]
                    ),
                    hint=_("give one value per channel, or one for all"),
                )
        if any(v < 0 for v in self.variance or ()):  # its square root is the divisor
            raise ValidationSpecError(
                _("normalization's variance {values} holds a negative value").format(values=list(self.variance or ())),
                hint=_("a variance is never negative"),
            )
        return shape

    def params(self, inputs: tuple[Shape, ...], output: Shape) -> ParamCount:
        return ParamCount(0, 2 * output[-1] + 1 if self.adapted else 0)

    def params_working(self, inputs: tuple[Shape, ...], output: Shape) -> Working | None:
        if not self.adapted:
            return None
        formula = Labelled(plus(times(2, C), Num(1)), (N_("mean, variance and count, not trained"),))
        return Working(PARAMS, formula, plus(times(2, output[-1]), Num(1)), count(2 * output[-1] + 1))
