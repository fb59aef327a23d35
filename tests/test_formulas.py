"""Hypothesis properties of the shape rules, checked against brute-force enumeration."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cnncalc.formulas import (
    conv_output_size,
    count_unread,
    dropped_pixels,
    effective_kernel,
    same_padding,
    stride_fits,
    transposed_output_size,
    unread_at_end,
    unread_inputs,
)

sizes = st.integers(1, 60)
kernels = st.integers(1, 9)
strides = st.integers(1, 5)
pads = st.integers(0, 6)
dilations = st.integers(1, 4)


def window_starts(size, kernel, stride, pad_begin, pad_end, dilation):
    """Every position a window of the dilated kernel can take inside the padded input."""
    span = dilation * (kernel - 1) + 1
    padded = size + pad_begin + pad_end
    return [start for start in range(0, padded, stride) if start + span <= padded]


@given(sizes, kernels, strides, pads, pads, dilations)
def test_output_size_counts_window_positions(size, kernel, stride, pb, pe, dilation):
    starts = window_starts(size, kernel, stride, pb, pe, dilation)
    out = conv_output_size(size, kernel, stride, pb, pe, dilation)
    assert max(out, 0) == len(starts)


@given(sizes, kernels, strides, pads, pads, dilations)
def test_dropped_pixels_are_those_no_window_reaches(size, kernel, stride, pb, pe, dilation):
    starts = window_starts(size, kernel, stride, pb, pe, dilation)
    if not starts:
        return
    last_covered = starts[-1] + effective_kernel(kernel, dilation)
    assert dropped_pixels(size, kernel, stride, pb, pe, dilation) == size + pb + pe - last_covered
    assert stride_fits(size, kernel, stride, pb, pe, dilation) == (last_covered == size + pb + pe)


@given(sizes, kernels, strides, st.integers(0, 4), dilations)
def test_ceil_mode_keeps_partial_windows_that_start_inside(size, kernel, stride, pad, dilation):
    # PyTorch's ceil mode: the last window may hang over the end of the padded input by less
    # than a stride, but it must start inside the input or its left padding.
    # PyTorch requires pad ≤ kernel/2 for pooling; under it only the partial window can go.
    span = effective_kernel(kernel, dilation)
    padded = size + 2 * pad
    if span > padded or pad > span // 2:
        return
    last_full_start = padded - span
    starts = [s for s in range(0, padded + stride, stride) if s <= last_full_start + stride - 1 and s < size + pad]
    assert conv_output_size(size, kernel, stride, pad, pad, dilation, ceil_mode=True) == len(starts)


@given(sizes, kernels, strides, dilations)
def test_same_padding_gives_ceil_of_size_over_stride(size, kernel, stride, dilation):
    begin, end = same_padding(size, kernel, stride, dilation)
    assert end - begin in (0, 1)  # the odd pixel goes at the end, as in TensorFlow
    assert conv_output_size(size, kernel, stride, begin, end, dilation) == -(-size // stride)


@given(sizes, kernels, strides, pads, dilations)
def test_transposed_inverts_convolution_shape(size, kernel, stride, pad, dilation):
    out = conv_output_size(size, kernel, stride, pad, pad, dilation)
    if out < 1:
        return
    lost = dropped_pixels(size, kernel, stride, pad, pad, dilation)
    back = transposed_output_size(out, kernel, stride, pad, pad, dilation)
    assert back == size - lost
    if lost < stride:  # output_padding picks the size the stride made ambiguous
        assert transposed_output_size(out, kernel, stride, pad, pad, dilation, lost) == size


@given(sizes, kernels, strides, pads, pads, dilations)
def test_unread_inputs_are_the_input_positions_no_tap_touches(size, kernel, stride, pad_begin, pad_end, dilation):
    touched = {
        start + tap * dilation - pad_begin
        for start in window_starts(size, kernel, stride, pad_begin, pad_end, dilation)
        for tap in range(kernel)
    }
    expected = tuple(p for p in range(size) if p not in touched)
    assert unread_inputs(size, kernel, stride, pad_begin, pad_end, dilation) == expected


@given(sizes, kernels, strides, pads, pads, dilations)
def test_unread_at_end_is_what_one_more_window_would_read(size, kernel, stride, pad_begin, pad_end, dilation):
    starts = window_starts(size, kernel, stride, pad_begin, pad_end, dilation)
    lost = unread_at_end(size, kernel, stride, pad_begin, pad_end, dilation)
    if not starts:
        assert lost == 0
        return
    span = dilation * (kernel - 1) + 1
    # positions before the next window's start (or past the last tap, whichever is later) are gaps
    next_start = starts[-1] + max(span, stride)
    assert lost == len([p for p in range(size) if p + pad_begin >= next_start])
    assert set(range(size - lost, size)) <= set(unread_inputs(size, kernel, stride, pad_begin, pad_end, dilation))


def test_ceil_mode_lets_one_window_overhang_a_short_input():
    # PyTorch: ⌈(W + 2P − F)/S⌉ + 1 = ⌈(1 − 2)/2⌉ + 1 = 1 window of 2 over a length-1 input
    assert conv_output_size(1, 2, 2, ceil_mode=True) == 1
    assert conv_output_size(3, 4, 4, ceil_mode=True) == 1  # ⌈−1/4⌉ + 1
    assert conv_output_size(1, 2, 2) == 0  # floor mode: ⌊−1/2⌋ + 1 = 0, the output collapses
    assert conv_output_size(1, 4, 2, ceil_mode=True) == 0  # ⌈−3/2⌉ + 1 = 0: overhangs by more than S − 1


@given(st.integers(1, 400), kernels, strides, pads, pads, dilations, st.booleans())
def test_folding_a_long_axis_changes_nothing(size, kernel, stride, pad_begin, pad_end, dilation, ceil_mode):
    # With no axis short enough to mark whole, every axis is folded: it must still be exact.
    import cnncalc.formulas as formulas

    args = (size, kernel, stride, pad_begin, pad_end, dilation, ceil_mode)
    marked = unread_inputs(*args)
    saved, formulas.EXACT_AXIS = formulas.EXACT_AXIS, 0
    try:
        assert unread_inputs(*args) == marked
        assert count_unread(*args) == len(marked)
        assert unread_inputs(*args, limit=3) == marked[:3]
    finally:
        formulas.EXACT_AXIS = saved


def test_a_very_long_axis_is_counted_not_marked():
    # 10^11 samples, a 1×1 window every second one: every odd sample, 5·10^10 of them, is unread
    assert count_unread(10**11, 1, 2) == 5 * 10**10
    assert unread_inputs(10**11, 1, 2, limit=3) == (1, 3, 5)
    # 3-wide windows every 3 samples on 10^11 + 1: the last window ends at 10^11 − 2
    assert unread_inputs(10**11 + 1, 3, 3) == (10**11 - 1, 10**11)
