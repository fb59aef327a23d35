"""Every layer-kind class under one name, for the per-kind tables outside layers/ (the counting
conventions and the three exporters): they key on these classes and write `k.Conv`, so the
list of kinds is written once, here, instead of at the top of each table."""

# ruff: noqa: F401  (re-exported names)

from cnncalc.layers.activation import (
    ELU,
    Dropout,
    Gelu,
    HardSigmoid,
    HardSwish,
    Identity,
    LeakyReLU,
    LogSoftmax,
    Mish,
    PReLU,
    Relu,
    Relu6,
    Selu,
    Sigmoid,
    Silu,
    Softmax,
    Softplus,
    Softsign,
    SpatialDropout,
    Tanh,
)
from cnncalc.layers.conv import Conv, ConvTranspose, DepthwiseConv, LocallyConnected, SeparableConv
from cnncalc.layers.dense import Dense, Input, PointwiseLinear
from cnncalc.layers.merge import (
    AddMerge,
    AverageMerge,
    Concat,
    MaximumMerge,
    MinimumMerge,
    MultiplyMerge,
    SubtractMerge,
)
from cnncalc.layers.norm import (
    BatchNorm,
    GroupNorm,
    InstanceNorm,
    LayerNorm,
    LayerScale,
    LocalContrastNorm,
    LocalResponseNorm,
    Normalization,
    Rescaling,
)
from cnncalc.layers.pool import (
    AdaptiveAvgPool,
    AdaptiveMaxPool,
    AdaptivePool,
    AvgPool,
    GlobalAvgPool,
    GlobalMaxPool,
    GlobalPool,
    LPPool,
    MaxPool,
    ReduceMean,
)
from cnncalc.layers.resample import Upsample
from cnncalc.layers.reshape import CenterCrop, ChannelShuffle, Crop, Flatten, Reshape, Slice, ZeroPad
