"""Hypothesis properties of parameter counts and MACs, against explicit enumeration of weights."""

from __future__ import annotations

import itertools
import math

from hypothesis import given, settings
from hypothesis import strategies as st

import cnncalc


def conv_weights_by_enumeration(c_in, c_out, kernel, groups):
    """Count (output channel, input channel, kernel offset) triples that a grouped conv connects."""
    per_in, per_out = c_in // groups, c_out // groups
    count = 0
    for out_channel in range(c_out):
        group = out_channel // per_out
        connected = range(group * per_in, (group + 1) * per_in)
        assert connected.stop <= c_in
        count += len(connected) * sum(1 for _ in itertools.product(*(range(k) for k in kernel)))
    return count


@st.composite
def grouped_convs(draw):
    ndim = draw(st.integers(1, 3))
    groups = draw(st.integers(1, 4))
    c_in = groups * draw(st.integers(1, 4))
    c_out = groups * draw(st.integers(1, 4))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(ndim))
    size = tuple(draw(st.integers(max(kernel), 7)) for _ in range(ndim))
    bias = draw(st.booleans())
    return ndim, groups, c_in, c_out, kernel, size, bias


@settings(max_examples=60, deadline=None)
@given(grouped_convs())
def test_conv_params_and_macs(case):
    ndim, groups, c_in, c_out, kernel, size, bias = case
    shape = "x".join(map(str, (*size, c_in)))
    k = "x".join(map(str, kernel)) if ndim > 1 else str(kernel[0])
    net = cnncalc.load(f"INPUT({shape}) → CONV({c_out}, k={k}, g={groups}, bias={str(bias).lower()})")
    record = net.summary().layers[1]
    weights = conv_weights_by_enumeration(c_in, c_out, kernel, groups)
    assert record.params == weights + (c_out if bias else 0)
    positions = math.prod(s - kk + 1 for s, kk in zip(size, kernel, strict=True))
    assert record.macs == positions * weights  # one multiply-accumulate per weight per position


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 6), min_size=1, max_size=3), st.integers(1, 50), st.booleans())
def test_dense_connects_every_input_value(shape, units, bias):
    net = cnncalc.load(f"INPUT({'x'.join(map(str, shape))}) → FC({units}, bias={str(bias).lower()})")
    record = net.summary().layers[1]
    connections = sum(1 for _ in itertools.product(*(range(d) for d in shape), range(units)))
    assert record.params == connections + (units if bias else 0)
    assert record.macs == connections


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(1, 3), st.integers(1, 2))
def test_separable_is_depthwise_plus_pointwise(c_in, c_out, kernel, multiplier):
    shape = f"8x8x{c_in}"
    separable = cnncalc.load(f"INPUT({shape}) → SEPARABLE_CONV({c_out}, k={kernel}, dm={multiplier})")
    mid = c_in * multiplier
    two_step = cnncalc.load(
        f"INPUT({shape}) → DEPTHWISE_CONV({kernel}, dm={multiplier}, bias=false) → CONV({c_out}, 1)"
    )
    s, t = separable.summary(), two_step.summary()
    assert s.totals.params == t.totals.params == c_in * multiplier * kernel**2 + mid * c_out + c_out
    assert s.totals.macs == t.totals.macs
    assert s.output_shapes == t.output_shapes


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 4), st.integers(1, 3), st.integers(3, 8))
def test_transposed_conv_macs_count_scattered_products(c_in, c_out, kernel, stride, size):
    # Brute force: each input position multiplies its Ci values into Co·K output taps.
    net = cnncalc.load(f"INPUT({size}x{size}x{c_in}) → DECONV({c_out}, k={kernel}, s={stride})")
    record = net.summary().layers[1]
    products = sum(
        1
        for _pos in itertools.product(range(size), range(size))
        for _ci in range(c_in)
        for _co in range(c_out)
        for _tap in itertools.product(range(kernel), range(kernel))
    )
    assert record.macs == products
    assert record.params == c_in * c_out * kernel**2 + c_out
