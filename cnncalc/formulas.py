"""Shape arithmetic as small pure functions of integers: the one source of truth.

Summary, lint and explain all read these. Integer division only, never float floor.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from cnncalc.i18n import _
from cnncalc.working import Expr, Round, minus, over, plus, times


def effective_kernel(kernel: int, dilation: int = 1) -> int:
    """Span of a dilated kernel: F_eff = d(F - 1) + 1."""
    return dilation * (kernel - 1) + 1


def conv_output_size(
    size: int,
    kernel: int,
    stride: int = 1,
    pad_begin: int = 0,
    pad_end: int = 0,
    dilation: int = 1,
    ceil_mode: bool = False,
) -> int:
    """Output length of a convolution or pooling window sweep along one axis.

    D = floor((W + P_begin + P_end - F_eff) / S) + 1, or ceil in ceil mode. In ceil mode the
    last window must start inside the input or the left padding (PyTorch's rule), otherwise it
    is dropped. The result may be zero or negative; callers decide how to report that.
    """
    span = size + pad_begin + pad_end - effective_kernel(kernel, dilation)
    out = (-(-span // stride) if ceil_mode else span // stride) + 1  # ceil mode lets a window overhang the end
    if ceil_mode and (out - 1) * stride >= size + pad_begin:
        out -= 1
    return out


def effective_kernel_expr(kernel: Expr | int, dilation: Expr | int) -> Expr:
    """F_eff = d·(F − 1) + 1 as an expression: effective_kernel's working."""
    return plus(times(dilation, minus(kernel, 1)), 1)


def output_size_expr(
    size: Expr | int, span: Expr | int, padding: Expr | int, stride: Expr | int, ceil: bool = False
) -> Expr:
    """D = ⌊(W − F_eff + P)/S⌋ + 1 (⌈ ⌉ in ceil mode) as an expression: conv_output_size's working.

    The one place the lecture formula is written; the padding is whatever the working shows for
    it (2·P for equal sides, P_begin + P_end for unequal ones)."""
    return plus(Round(over(plus(minus(size, span), padding), stride), ceil), 1)


def dropped_pixels(
    size: int, kernel: int, stride: int = 1, pad_begin: int = 0, pad_end: int = 0, dilation: int = 1
) -> int:
    """Input positions (padding included) that no window reaches: (W + P - F_eff) mod S."""
    span = size + pad_begin + pad_end - effective_kernel(kernel, dilation)
    return span % stride if span >= 0 else 0


EXACT_AXIS = 1 << 16  # axes up to this long are marked position by position; longer ones are folded


def unread_inputs(
    size: int,
    kernel: int,
    stride: int = 1,
    pad_begin: int = 0,
    pad_end: int = 0,
    dilation: int = 1,
    ceil_mode: bool = False,
    limit: int | None = None,
) -> tuple[int, ...]:
    """Input positions (0-based, padding excluded) that no window reads; the first `limit` if given.

    Two causes: windows that stop before the end (the stride does not fit), and gaps between
    windows when the stride exceeds the dilated kernel or dilation holes are not covered by a
    neighbouring window. Trailing positions that are only padding do not count: nothing is lost.

    >>> unread_inputs(7, 3, 3)  # the lecture's (7 − 3)/3 + 1 = 2.33: windows read 0..5
    (6,)
    >>> unread_inputs(8, 3, 2, 1, 1)  # (8 − 3 + 2)/2 + 1 = 4.5, yet only end padding is skipped
    ()
    >>> unread_inputs(7, 1, 2)  # a 1×1 window every second position
    (1, 3, 5)
    """
    positions = _unread((size, kernel, stride, pad_begin, pad_end, dilation, ceil_mode))
    return tuple(itertools.islice(positions, limit))


def count_unread(
    size: int,
    kernel: int,
    stride: int = 1,
    pad_begin: int = 0,
    pad_end: int = 0,
    dilation: int = 1,
    ceil_mode: bool = False,
) -> int:
    """How many input positions no window reads, in time independent of the axis length.

    >>> count_unread(10**9, 1, 2)  # a 1×1 window every second sample of 10⁹
    500000000
    """
    sweep = (size, kernel, stride, pad_begin, pad_end, dilation, ceil_mode)
    short, _, periods, gaps = _folded(sweep)
    return _count_marked((short, *sweep[1:])) + periods * len(gaps)


# An axis's window sweep as conv_output_size takes it: (size, kernel, stride, pad_begin, pad_end,
# dilation, ceil_mode).
Sweep = tuple[int, int, int, int, int, int, bool]


def _unread(sweep: Sweep) -> Iterator[int]:
    short, split, periods, gaps = _folded(sweep)
    stride = sweep[2]
    # Lazily, in increasing order: the caller usually wants only the first few of a long axis.
    yield from itertools.takewhile(lambda p: p < split, _marked((short, *sweep[1:])))
    for period in range(periods if gaps else 0):  # the steady middle: the same gaps every S positions
        yield from (split + period * stride + offset for offset in gaps)
    yield from (p + periods * stride for p in _marked((short, *sweep[1:])) if p >= split)


def _folded(sweep: Sweep) -> tuple[int, int, int, tuple[int, ...]]:
    """A long axis as a short one plus `periods` stretches of `stride` positions inserted at `split`.

    Far from both ends every window offset occurs, so a position is read exactly when its padded
    index modulo S is one of the taps' offsets d·t mod S: the middle repeats every S positions and
    its `gaps` (offsets from the start of a stretch) are the same in every stretch. An axis too
    short to hold such a middle (a collapsed one among them) is not folded.
    """
    size, kernel, stride, pad_begin, pad_end, dilation, _ = sweep
    span = effective_kernel(kernel, dilation)
    keep = 4 * (span + stride) + pad_begin + pad_end
    if size <= max(EXACT_AXIS, keep + stride):
        return size, size, 0, ()
    periods = (size - keep) // stride
    split = max(span - 1 - pad_begin, 0)
    taps = {tap * dilation % stride for tap in range(min(kernel, stride))}
    gaps = tuple(j for j in range(stride) if (split + pad_begin + j) % stride not in taps)
    return size - periods * stride, split, periods, gaps


def _marked(sweep: Sweep) -> Iterator[int]:
    """The unread positions of an axis that is not folded, in increasing order.

    Only the input's own positions are looked at, so the work and memory never grow with the
    stride (a stride of 10^10 once sized an array by it)."""
    size, kernel, stride, pad_begin, _, dilation, _ = sweep
    windows = conv_output_size(*sweep)
    if windows < 1:
        yield from range(size)
    elif dilation == 1 or kernel == 1:
        yield from _gaps_between_runs(size, kernel, stride, pad_begin, windows)
    else:
        yield from _marked_positions(size, kernel, stride, pad_begin, dilation, windows)


def _gaps_between_runs(size: int, kernel: int, stride: int, pad_begin: int, windows: int) -> Iterator[int]:
    """Undilated windows read the runs [wS, wS + F): what lies between them, and after the last.

    Arithmetic on the runs, so an axis of 10^9 positions costs only the positions yielded."""
    end = pad_begin + size  # padded coordinates of the input: [pad_begin, end)
    last = (windows - 1) * stride + kernel  # one past the last position read
    if kernel < stride:  # gaps of S − F between consecutive windows
        first = pad_begin // stride  # earlier gaps end inside the left padding
        for window in range(first, windows - 1):
            start = window * stride + kernel
            if start >= end:
                return
            yield from (p - pad_begin for p in range(max(start, pad_begin), min(start + stride - kernel, end)))
    yield from (p - pad_begin for p in range(max(last, pad_begin), end))


def _read_before(x: int, kernel: int, stride: int, windows: int) -> int:
    """How many positions in [0, x) the undilated windows read (runs [wS, wS + F), w < windows)."""
    if kernel >= stride:  # the runs touch or overlap: one run [0, (W − 1)·S + F)
        return max(0, min(x, (windows - 1) * stride + kernel))
    whole, rest = divmod(max(x, 0), stride)
    return min(whole, windows) * kernel + (min(rest, kernel) if whole < windows else 0)


def _count_marked(sweep: Sweep) -> int:
    """How many positions of an axis that is not folded no window reads."""
    size, kernel, stride, pad_begin, _, dilation, _ = sweep
    windows = conv_output_size(*sweep)
    if windows < 1:
        return size
    if dilation == 1 or kernel == 1:
        read = _read_before(pad_begin + size, kernel, stride, windows) - _read_before(
            pad_begin, kernel, stride, windows
        )
        return size - read
    return sum(1 for _ in _marked(sweep))


def _marked_positions(
    size: int, kernel: int, stride: int, pad_begin: int, dilation: int, windows: int
) -> Iterator[int]:
    """Dilated windows, position by position over the input's own positions (never the stride's)."""
    end = pad_begin + size
    read = bytearray(end)
    for tap in range(kernel):  # one strided slice per tap: O(kernel) C-level loops, not O(size·kernel)
        start = tap * dilation
        if start >= end:
            break
        count = min(windows, (end - 1 - start) // stride + 1)
        read[start : start + stride * (count - 1) + 1 : stride] = b"\x01" * count
    inside = read[pad_begin:end]
    if 0 in inside:
        yield from (i for i, was_read in enumerate(inside) if not was_read)


def unread_at_end(
    size: int,
    kernel: int,
    stride: int = 1,
    pad_begin: int = 0,
    pad_end: int = 0,
    dilation: int = 1,
    ceil_mode: bool = False,
) -> int:
    """Input positions at the end that one more window would have read: what a stride that does not fit loses.

    A window reaches max(F_eff, S) positions from its start: positions inside that reach but outside
    the kernel are gaps between windows (stride wider than the kernel), not a misfit at the end.

    >>> unread_at_end(7, 3, 3), unread_at_end(8, 3, 2, 1, 1), unread_at_end(8, 1, 2)
    (1, 0, 0)
    """
    windows = conv_output_size(size, kernel, stride, pad_begin, pad_end, dilation, ceil_mode)
    if windows < 1:
        return 0
    reach = stride * (windows - 1) + max(effective_kernel(kernel, dilation), stride)
    return min(max(pad_begin + size - reach, 0), size)


def describe_positions(positions: tuple[int, ...], size: int, shown: int = 4, count: int | None = None) -> str:
    """'position 6 (the last)', 'the last 2 positions (5, 6)', '3 of 7 positions (1, 3, 5)', or a few of many.

    `positions` may be only the first of `count` (a long axis is not listed whole)."""
    count = len(positions) if count is None else count
    listed = ", ".join(str(p) for p in positions[:shown]) + (", …" if count > shown else "")
    trailing = bool(positions) and positions[0] == size - count and (count == len(positions) or count <= shown)
    if count == 1:
        return (_("position {p} (the last)") if trailing else _("position {p}")).format(p=positions[0])
    if trailing:
        return _("the last {count} positions ({listed})").format(count=count, listed=listed)
    return _("{count} of {size} positions ({listed})").format(count=count, size=size, listed=listed)


def stride_fits(
    size: int, kernel: int, stride: int = 1, pad_begin: int = 0, pad_end: int = 0, dilation: int = 1
) -> bool:
    """True when the windows tile the padded input exactly: (W − F_eff + P) is divisible by S."""
    return dropped_pixels(size, kernel, stride, pad_begin, pad_end, dilation) == 0


def same_padding(size: int, kernel: int, stride: int = 1, dilation: int = 1) -> tuple[int, int]:
    """TensorFlow 'same' padding: output ceil(W/S), extra pixel at the end when the total is odd."""
    out = -(-size // stride)
    total = max((out - 1) * stride + effective_kernel(kernel, dilation) - size, 0)
    return total // 2, total - total // 2


def full_padding(kernel: int, dilation: int = 1) -> tuple[int, int]:
    """'full' padding: every partial overlap of kernel and input produces an output."""
    extra = effective_kernel(kernel, dilation) - 1
    return extra, extra


def transposed_output_size(
    size: int,
    kernel: int,
    stride: int = 1,
    pad_begin: int = 0,
    pad_end: int = 0,
    dilation: int = 1,
    output_padding: int = 0,
) -> int:
    """Output length of a transposed convolution: (W−1)S − P_begin − P_end + d(F−1) + op + 1."""
    return (size - 1) * stride - pad_begin - pad_end + effective_kernel(kernel, dilation) + output_padding


def transposed_output_expr(
    size: Expr | int,
    stride: Expr | int,
    pads: tuple[Expr | int, ...],
    dilation: Expr | int,
    kernel: Expr | int,
    output_padding: Expr | int,
) -> Expr:
    """(W − 1)·S − P… + d·(F − 1) + op + 1 as an expression: transposed_output_size's working.

    Each of `pads` is subtracted in turn (P_begin and P_end, or 2·P for equal sides)."""
    cropped = minus(times(minus(size, 1), stride), *pads)
    return plus(cropped, times(dilation, minus(kernel, 1)), output_padding, 1)


def fitting_paddings(size: int, kernel: int, stride: int, dilation: int = 1, limit: int = 8) -> list[int]:
    """Symmetric paddings P (smallest first, P < F_eff) for which (W − F_eff + 2P) is divisible by S
    and every input position is read."""
    span = effective_kernel(kernel, dilation)
    return [
        p
        for p in range(0, min(span, limit + 1))
        if size + 2 * p >= span
        and (size + 2 * p - span) % stride == 0
        and not unread_inputs(size, kernel, stride, p, p, dilation, limit=1)
    ]


def fitting_strides(size: int, kernel: int, pad_total: int = 0, dilation: int = 1, limit: int = 8) -> list[int]:
    """Strides S ≤ limit that tile W + P exactly with the dilated kernel, reading every input position."""
    span_left = size + pad_total - effective_kernel(kernel, dilation)
    if span_left < 0:
        return []
    begin, end = pad_total // 2, pad_total - pad_total // 2
    return [
        s
        for s in range(1, limit + 1)
        if span_left % s == 0 and not unread_inputs(size, kernel, s, begin, end, dilation, limit=1)
    ]
