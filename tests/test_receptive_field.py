"""Receptive fields: the seeds' statements, closed forms, brute-force dependence, published figures."""

from __future__ import annotations

import json
import math
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

import cnncalc


def field(chain_or_spec, layer=None):
    net = cnncalc.load(chain_or_spec)
    record = net.receptive_field(layer) if layer else net.receptive_field().final()
    return record.axes[0]


def test_seed_statements_stacked_3x3():
    # Seed 003/000: two stacked 3×3 convolutions see 5×5; three see 7×7.
    assert field("INPUT(32x32x3) → CONV(8,3) → CONV(8,3)").size == 5
    assert field("INPUT(32x32x3) → CONV(8,3) → RELU → CONV(8,3) → RELU → CONV(8,3)").size == 7


def test_worked_example_closed_form():
    # conv 5×5/1 p2, pool 2/2, conv 3×3/1 p1, pool 2/2:
    # r = 1 + (5−1)·1 + (2−1)·1 + (3−1)·2 + (2−1)·2 = 12; j = 1·2·1·2 = 4;
    # P = 2·1 + 0·1 + 1·2 + 0·2 = 4; start = (r − 1)/2 − P = 5.5 − 4 = 1.5.
    axis = field("INPUT(32x32x3) → CONV(8,5,p=2) → POOL(2) → CONV(8,3,p=1) → POOL(2)")
    assert (axis.size, axis.jump, axis.padding, axis.start) == (12, 4, 4, Fraction(3, 2))


# -- properties ------------------------------------------------------------------------------
layer_params = st.tuples(
    st.sampled_from(["CONV", "POOL"]),
    st.integers(1, 5),  # kernel
    st.integers(1, 3),  # stride
    st.integers(0, 2),  # padding
    st.integers(1, 3),  # dilation
)


def chain_of(layers, size=64):
    parts = [f"INPUT({size}x1)"]
    for kind, k, s, p, d in layers:
        if kind == "CONV":
            parts.append(f"CONV1D(1, k={k}, s={s}, p={p}, d={d})")
        else:
            parts.append(f"MAXPOOL1D(k={k}, s={s}, p={min(p, k // 2)}, d={d})")
    return " → ".join(parts)


def effective(layers):
    return [(d * (k - 1) + 1, s, p if kind == "CONV" else min(p, k // 2)) for kind, k, s, p, d in layers]


@settings(max_examples=80, deadline=None)
@given(st.lists(layer_params, min_size=1, max_size=6))
def test_composition_equals_the_closed_form_recurrence(layers):
    # Araujo et al. eq. (closed form): r = 1 + Σ (k_l − 1)·Π_{i<l} s_i,  j = Π s_l,
    # P = Σ p_l·Π_{i<l} s_i.
    size = 4096
    axis = field(chain_of(layers, size))
    eff = effective(layers)
    products = [math.prod(s for _, s, _ in eff[:index]) for index in range(len(eff))]
    assert axis.size == 1 + sum((k - 1) * prod for (k, _, _), prod in zip(eff, products, strict=True))
    assert axis.jump == math.prod(s for _, s, _ in eff)
    assert axis.padding == sum(p * prod for (_, _, p), prod in zip(eff, products, strict=True))


def dependence(layers, unit):
    """Input coordinates (padding included) that a final-layer unit depends on, by brute force."""
    positions = {unit}
    for kind, k, s, p, d in reversed(layers):
        pad = p if kind == "CONV" else min(p, k // 2)
        positions = {u * s - pad + t * d for u in positions for t in range(k)}
    return positions


@settings(max_examples=80, deadline=None)
@given(st.lists(layer_params, min_size=1, max_size=5), st.integers(0, 3))
def test_field_is_the_set_of_positions_a_unit_depends_on(layers, unit):
    net = cnncalc.load(chain_of(layers, 100_000))
    record = net.receptive_field().final()
    positions = dependence(layers, unit)
    first, last = record.axes[0].window(unit)
    assert (min(positions), max(positions)) == (first, last)
    if all(d == 1 and k >= s for _, k, s, _, d in layers):  # no holes: the field is contiguous
        assert len(positions) == record.axes[0].size


# -- published figures -----------------------------------------------------------------------
def test_vgg16_pool5_matches_google_research_table():
    # google-research/receptive_field: vgg_16 — RF 212, effective stride 32, effective padding 90.
    axis = cnncalc.load("vgg16").receptive_field("stage5.max_pool_1").axes[0]
    assert (axis.size, axis.jump, axis.padding) == (212, 32, 90)


def test_alexnet_v2_matches_google_research_table():
    # TF-slim alexnet_v2 up to pool5: RF 195, effective stride 32, effective padding 64.
    chain = (
        "INPUT(224x224x3) → CONV(64, 11, s=4) → POOL(3, 2) → CONV(192, 5, p=same) → POOL(3, 2)"
        " → CONV(384, 3, p=same) → CONV(384, 3, p=same) → CONV(256, 3, p=same) → POOL(3, 2)"
    )
    axis = field(chain)
    assert (axis.size, axis.jump, axis.padding) == (195, 32, 64)


def test_mobilenet_v1_matches_google_research_table():
    # TF-slim mobilenet_v1 (SAME padding, 224×224) to Conv2d_13_pointwise: RF 315, stride 32,
    # effective padding 126.
    strides = [1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1]
    blocks = " → ".join(f"DWCONV(3, s={s}, p=same) → CONV(64, 1)" for s in strides)
    axis = field(f"INPUT(224x224x3) → CONV(32, 3, s=2, p=same) → {blocks}")
    assert (axis.size, axis.jump, axis.padding) == (315, 32, 126)


# -- graphs, upsampling, transposed ----------------------------------------------------------
def test_merge_is_union_and_different_jumps_are_reported(tmp_path):
    spec = tmp_path / "m.yaml"
    spec.write_text(
        """
input: 8x8x4
layers:
  - {name: wide, inputs: input, conv: {filters: 4, kernel: 5, padding: 2}}
  - {name: narrow, inputs: input, conv: {filters: 4, kernel: 3, padding: 1}}
  - {name: union, add: null, inputs: [wide, narrow]}
  - {name: pooled, inputs: input, max_pool: 2}
  - {name: valid, inputs: input, conv: {filters: 4, kernel: 5}}
  - {name: clash, add: null, inputs: [pooled, valid]}
""",
        encoding="utf-8",
    )
    fields = cnncalc.load(spec).receptive_field()
    assert fields.layer("union").axes[0].size == 5
    clash = fields.layer("clash")
    assert clash.axes is None and "different jumps (1, 2)" in clash.note


def test_misaligned_centres_give_the_union_with_a_note(tmp_path):
    spec = tmp_path / "c.yaml"
    spec.write_text(
        """
input: 8x8x4
layers:
  - {name: a, inputs: input, conv: {filters: 4, kernel: 3, padding: [[0, 2], [1, 1]]}}
  - {name: b, inputs: input, conv: {filters: 4, kernel: 3, padding: 1}}
  - {name: u, add: null, inputs: [a, b]}
""",
        encoding="utf-8",
    )
    record = cnncalc.load(spec).receptive_field("u")
    # a's unit 0 sees rows 0..2, b's sees −1..1: union −1..2, 4 rows; columns agree (3).
    assert [a.size for a in record.axes] == [4, 3]
    assert "centres differ on axis H" in record.note


def test_upsampling_has_a_fractional_jump():
    axis = field("INPUT(16x16x1) → POOL(2) → UPSAMPLE(2)")
    assert axis.jump == 1 and axis.size == 2
    axis = field("INPUT(16x16x1) → UPSAMPLE(2)")
    assert axis.jump == Fraction(1, 2) and axis.start == Fraction(-1, 4)


def test_transposed_convolution_undoes_the_jump():
    net = cnncalc.load("INPUT(16x16x1) → CONV(4, 3, s=2, p=1) → DECONV(4, 3, s=2, p=1, op=1)")
    axis = net.receptive_field().final().axes[0]
    assert axis.jump == 1
    # Brute force: deconv unit o reads conv units i with o = 2i − 1 + t, t ∈ {0, 1, 2}; conv unit i
    # sees input 2i − 1 .. 2i + 1. Unit 1 reads conv units 0 and 1 → input −1..3 (5 positions);
    # unit 0 reads conv unit 0 only (−1..1). The field is the bound: 5, centred as unit 1's.
    assert axis.size == 5
    assert axis.window(1) == (-1, 3)


def test_non_square_and_3d_fields():
    record = cnncalc.load("INPUT(17x17x8) → CONV(8, k=1x7, p=0x3) → CONV(8, k=7x1, p=3x0)").receptive_field()
    assert [a.size for a in record.final().axes] == [7, 7]
    record = cnncalc.load("INPUT(8x32x32x3) → CONV3D(8, k=3) → CONV3D(8, k=3x5x5)").receptive_field()
    assert [a.size for a in record.final().axes] == [5, 7, 7]


# -- CLI -------------------------------------------------------------------------------------
def test_cli_layer_at_and_formats(run_cli):
    chain = "INPUT(7x7x1) → CONV(1,3) → CONV(1,3,s=2,p=1)"
    code, out, _ = run_cli("receptive-field", chain, "--layer", "conv_2", "--at", "0,2", "-f", "json")
    assert code == 0
    data = json.loads(out)
    # conv_1: r 3, start 1; conv_2 (k3 s2 p1): r = 3 + 2·1 = 5, j = 2, start = 1 + (1 − 1)·1 = 1,
    # P = 0 + 1·1 = 1. Unit 0 on H: centre 1, window −1..3 (clipped 0..3); unit 2 on W: centre
    # 1 + 2·2 = 5, window 3..7 (clipped 3..6).
    assert data["layers"][0]["axes"][0] == {"size": 5, "jump": 2, "start": 1, "padding": 1}
    assert data["at"]["windows"][0] == {"axis": "H", "unit": 0, "first": -1, "last": 3, "clipped": [0, 3]}
    assert data["at"]["windows"][1]["clipped"] == [3, 6]
    code, out, _ = run_cli("receptive-field", chain, "-f", "markdown")
    assert "| 2 | conv\\_2 | conv | 5 | 2 | 1 | 1 |" in out
    assert "one unit sees 5×5 of the 7×7 input" in out
    code, out, _ = run_cli("receptive-field", chain, "--layer", "conv_1", "--at", "1,1")
    assert "axis H: input 1..3" in out  # unit 1 of a valid 3×3 conv: centre 2
    code, _, err = run_cli("receptive-field", chain, "--layer", "nope")
    assert code == 2 and "no layer named 'nope'" in err


def test_summary_rf_column(run_cli):
    _, out, _ = run_cli("summary", "INPUT(32x32x3) → CONV(8,3) → CONV(8,3) → POOL(2)", "--rf", "-f", "markdown")
    assert "| RF size / jump |" in out and "| 6 / 2 |" in out
    _, out, _ = run_cli("summary", "INPUT(32x32x3) → CONV(8,3)", "--rf", "-f", "json")
    assert json.loads(out)["layers"][1]["receptive_field"][0]["size"] == 3


def test_at_refuses_units_outside_the_layer(run_cli):
    code, _, err = run_cli("receptive-field", "vgg16", "--layer", "stage1.conv_1", "--at", "300,0")
    assert code == 2 and "--at unit 300 on axis H is outside stage1.conv_1's output (0..223)" in err
    code, _, err = run_cli("receptive-field", "mnist1d_cnn", "--layer", "dense_1", "--at", "3")
    assert code == 2 and "use 0" in err
    code, out, _ = run_cli("receptive-field", "vgg16", "--layer", "stage1.conv_1", "--at", "223,0")
    assert code == 0 and "input 222..224 (clipped to the input: 222..223, 2 positions)" in out  # 3×3, p=1
