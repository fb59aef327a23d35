"""The kernel registry: for every layer kind, its weights' shapes and its forward function.

Arrays are batch-first and channels-last: (N, *spatial, C). Weight layouts follow PyTorch
(`weight` of a conv is (Co, Ci/groups, *K)), so weights can be compared with or loaded from it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar, cast

import numpy as np

from cnncalc.errors import UnsupportedSpecError
from cnncalc.i18n import _
from cnncalc.layers import Layer, Shape

Arrays = Mapping[str, np.ndarray]
Forward = Callable[[Layer, list[np.ndarray], Arrays, tuple[Shape, ...], Shape], np.ndarray]
LayerT = TypeVar("LayerT", bound=Layer)
KindForward = Callable[[LayerT, list[np.ndarray], Arrays, tuple[Shape, ...], Shape], np.ndarray]
WeightShapes = Callable[[Layer, tuple[Shape, ...], Shape], dict[str, tuple[tuple[int, ...], bool]]]


def no_weights(layer: Layer, inputs: tuple[Shape, ...], output: Shape) -> dict[str, tuple[tuple[int, ...], bool]]:
    return {}


@dataclass(frozen=True)
class Kernel:
    """How the executor runs one kind: the weights it needs (shape, trainable) and its forward."""

    forward: Forward
    weights: WeightShapes = field(default=no_weights)


class KernelTable(dict[str, Kernel]):
    """kind → kernel; a kind with no kernel is refused by name, never a bare KeyError."""

    def __missing__(self, kind: str) -> Kernel:
        raise UnsupportedSpecError(
            _("the NumPy executor has no kernel for layer kind {kind!r}").format(kind=kind),
            hint=_("run the other analyses, which need no kernel; or add one in {folder}").format(
                folder="cnncalc/executor/kernels/"
            ),
        )


_KERNELS = KernelTable()


def kernel(*kinds: str, weights: WeightShapes = no_weights) -> Callable[[KindForward[LayerT]], KindForward[LayerT]]:
    """Decorator registering a forward function for one or more kinds; it may take its own kind's
    layer class (`layer: ConvTranspose`)."""

    def register(forward: KindForward[LayerT]) -> KindForward[LayerT]:
        for kind in kinds:
            if kind in _KERNELS:
                raise RuntimeError(f"kernel for {kind!r} registered twice")
            # The table is looked up by the layer's kind, so a forward only ever gets its own kinds.
            _KERNELS[kind] = Kernel(cast(Forward, forward), weights)
        return forward

    return register


def kernels() -> Mapping[str, Kernel]:
    return _KERNELS
