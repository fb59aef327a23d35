"""Inverse questions: which padding keeps a size, which (F, S, P) map W to D, which inputs a spec accepts."""

from __future__ import annotations

from dataclasses import dataclass, replace

from cnncalc.errors import ShapeError, SpecError, ValidationSpecError
from cnncalc.formulas import conv_output_size, count_unread, dropped_pixels, same_padding, unread_at_end
from cnncalc.graph import build_graph
from cnncalc.i18n import _, ngettext, number
from cnncalc.layers.dense import Input
from cnncalc.layers.window import WindowLayer
from cnncalc.spec.model import Spec


@dataclass(frozen=True)
class Mapping:
    kernel: int
    stride: int
    padding: int
    dilation: int
    fits: bool
    unread: int = 0  # input positions no window reads

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)

    @property
    def verdict(self) -> str:
        if self.fits:
            return _("fits exactly")
        if self.unread:
            template = ngettext(
                "never reads {count} input position", "never reads {count} input positions", self.unread
            )
            return template.format(count=self.unread)
        return _("does not fit, but reads every input")


def keep_size_padding(W: int, F: int, S: int = 1, D: int = 1) -> tuple[int, int]:
    """'same' padding: (begin, end) that gives ⌈W/S⌉ outputs; equal sides when F_eff is odd.

    >>> keep_size_padding(32, 5), keep_size_padding(224, 2, S=2)
    ((2, 2), (0, 0))
    """
    if min(W, F, S, D) < 1:
        raise ValidationSpecError(_("W, F, S and D must be positive"))
    return same_padding(W, F, S, D)


MAX_COMBINATIONS = 1_000_000


def mappings(
    W: int, target: int, max_kernel: int = 7, max_stride: int = 4, max_padding: int = 3, dilation: int = 1
) -> tuple[Mapping, ...]:
    """Every (F, S, P) in the ranges with ⌊(W − F_eff + 2P)/S⌋ + 1 = target, smallest first.

    A mapping fits when the quotient is exact and every input position is read (no gaps).

    >>> [(m.kernel, m.stride, m.padding) for m in mappings(7, 3) if m.fits][:3]
    [(3, 2, 0), (3, 3, 1), (5, 1, 0)]
    """
    if min(W, target) < 1:
        raise ValidationSpecError(_("sizes must be positive"))
    if min(max_kernel, max_stride) < 1 or max_padding < 0:
        raise ValidationSpecError(
            _("--max-kernel and --max-stride must be at least 1 and --max-padding at least 0"),
            hint=_("e.g. {example}").format(example="--max-kernel 7 --max-stride 4 --max-padding 3"),
        )
    combinations = max(max_kernel, 0) * max(max_stride, 0) * (max(max_padding, -1) + 1)
    if combinations > MAX_COMBINATIONS:
        raise ValidationSpecError(
            _("the search covers {count} (kernel, stride, padding) combinations, over the limit of {limit}").format(
                count=number(combinations), limit=number(MAX_COMBINATIONS)
            ),
            hint=_("narrow --max-kernel, --max-stride or --max-padding"),
        )
    found = [
        _mapping(W, f, s, p, dilation)
        for f in range(1, max_kernel + 1)
        for s in range(1, max_stride + 1)
        for p in range(0, max_padding + 1)
        if conv_output_size(W, f, s, p, p, dilation) == target
    ]
    return tuple(found)


def _mapping(W: int, F: int, S: int, P: int, D: int) -> Mapping:
    unread = count_unread(W, F, S, P, P, D)
    return Mapping(F, S, P, D, not dropped_pixels(W, F, S, P, P, D) and not unread, unread)


def with_input(spec: Spec, shape: tuple[int, ...]) -> Spec:
    """The same spec with another input shape (no re-parsing)."""
    first = spec.nodes[0]
    return replace(spec, nodes=(replace(first, layer=Input(shape=shape)), *spec.nodes[1:]))


def accepts_cleanly(spec: Spec) -> bool:
    """True when every shape works out and no window layer stops short of the input's end (S001)."""
    try:
        graph = build_graph(spec)
    except ShapeError:
        return False
    for node in graph.nodes:
        layer = node.layer
        if isinstance(layer, WindowLayer) and not layer.uses_ceil() and not layer.transposed:
            for w in layer.windows(graph.input_shapes(node)[0]):
                if unread_at_end(*w.sweep()):
                    return False
    return True


def valid_inputs(spec: Spec, low: int = 1, high: int = 1024) -> tuple[int, ...]:
    """Input sizes (the same on every spatial axis) that the spec takes without a dropped pixel."""
    if not isinstance(spec.nodes[0].layer, Input):
        raise SpecError(_("the spec has no input layer to vary"))
    shape = spec.nodes[0].layer.output_shape(())
    if len(shape) < 2:
        raise ValidationSpecError(_("the input has no spatial axes to vary"))
    if not 1 <= low <= high or high - low > 100_000:
        raise ValidationSpecError(
            _("give 1 ≤ --min ≤ --max, at most {count} sizes apart").format(count=number(100_000))
        )
    ndim = len(shape) - 1
    return tuple(n for n in range(low, high + 1) if accepts_cleanly(with_input(spec, (*(n,) * ndim, shape[-1]))))
