"""Homework helpers: explain (formulas with numbers), out-size, and their formats."""

from __future__ import annotations

import json

import cnncalc

CHAIN = "INPUT(32x32x3) → CONV(10, k=5, s=1, p=2) → RELU → POOL(2) → FC(10)"


def test_explain_writes_the_formulas_as_a_teacher_does(run_cli):
    code, out, _ = run_cli("explain", CHAIN)
    assert code == 0
    assert "H: D = ⌊(32 − 5 + 2·2)/1⌋ + 1 = 32" in out
    assert "params = Ci·Co·K² + Co = 3·10·5² + 10 = 760" in out
    assert "MACs = positions·Co·Ci·K² = 32·32·10·3·5² = 768,000" in out
    assert "H: r = 1 + (5 − 1)·1 = 5, j = 1·1 = 1" in out  # receptive-field recurrence
    assert "params = In·Out + Out = (16·16·10)·10 + 10 = 25,610" in out


def test_explain_other_kinds():
    net = cnncalc.load("INPUT(7x7x16) → DECONV(8, 3, s=2, p=1, op=1) → BN → DWCONV(3, p=1) → GAP")
    rows = {w.name: w for w in net.explain().layers}
    assert rows["conv_transpose_1"].shape[0] == "H: D = (7 − 1)·2 − 1 − 1 + 1·(3 − 1) + 1 + 1 = 14"
    assert rows["batch_norm_1"].params.endswith("= 2·8 + 2·8 = 16 + 16 = 32")
    assert rows["depthwise_conv_1"].params == "params = Ci·m·K² + Ci·m = 8·1·3² + 8 = 80"
    dilated = cnncalc.load("INPUT(9x9x1) → CONV(1, 3, d=2, s=2)").explain("conv_1").layers[0]
    assert dilated.shape[0] == "H: D = ⌊(9 − [2·(3−1)+1 = 5] + 2·0)/2⌋ + 1 = 3"


INPUTS_FOR_EXAMPLES = ("16x16x32", "16x32", "8x8x8x32", "64", "3136", "400x400x2")  # the first that suits


def test_every_layer_kind_explains_and_its_working_reaches_its_count():
    from cnncalc.layers import registry

    for kind, cls in registry().items():
        if kind == "input" or cls.example.islower():  # merges need two inputs: covered by the zoo
            continue
        for shape in INPUTS_FOR_EXAMPLES:
            try:
                net = cnncalc.load(f"INPUT({shape}) → {cls.example}")
            except cnncalc.SpecError:
                continue
            name = net.layer_names[1]
            working = net.explain(name).layers[0]
            count = net.summary().layers[1].params  # trainable + non-trainable
            if working.params is not None:
                assert f"= {count:,}" in working.params, (kind, working.params)
            else:
                assert count == 0, kind
            if working.macs is not None:
                assert f"= {net.summary().layers[1].macs:,}" in working.macs, (kind, working.macs)
            break
        else:
            raise AssertionError(f"no input shape suits {kind}'s example {cls.example}")


def test_batch_norm_working_follows_its_flags():
    def working(options: str) -> str | None:
        return cnncalc.load(f"INPUT(4x4x16) → BN({options})").explain("batch_norm_1").layers[0].params

    assert working("affine=false") == "params = 2·C (running mean and variance, not trained) = 2·16 = 32"
    assert working("track_running_stats=false") == "params = 2·C (γ, β) = 2·16 = 32"
    assert working("affine=false, track_running_stats=false") is None
    assert (
        working("scale=false")
        == "params = C (β) + 2·C (running mean and variance, not trained) = 16 + 2·16 = 16 + 32 = 48"
    )


def test_explain_markdown_latex_json(run_cli):
    _, md, _ = run_cli("explain", CHAIN, "-f", "markdown")
    assert "- `params = Ci·Co·K² + Co = 3·10·5² + 10 = 760`" in md
    _, tex, _ = run_cli("explain", CHAIN, "-f", "latex")
    assert r"\lfloor (32 - 5 + 2\cdot 2)/1\rfloor" in tex and r"768{,}000" in tex and r"\text{params}" in tex
    _, text, _ = run_cli("explain", CHAIN, "-f", "json", "--layer", "conv_1")
    data = json.loads(text)
    assert [w["name"] for w in data["layers"]] == ["conv_1"]
    code, _, err = run_cli("explain", CHAIN, "--layer", "nope")
    assert code == 2 and "no layer named 'nope'" in err


def test_summary_and_receptive_field_explain_flags(run_cli):
    _, out, _ = run_cli("summary", CHAIN, "--explain")
    assert "25,610" in out and "3·10·5² + 10 = 760" in out
    _, out, _ = run_cli("receptive-field", CHAIN, "--explain")
    assert "max_pool_1 H: r = 5 + (2 − 1)·1 = 6, j = 1·2 = 2" in out


def test_out_size_stride_does_not_fit(run_cli):
    code, out, _ = run_cli("out-size", "-W", "7", "-F", "3", "-S", "3", "-P", "0")
    assert code == 0
    assert "W: D = ⌊(7 − 3 + 2·0)/3⌋ + 1 = 2" in out
    assert "2.33 → ⌊⌋ = 2" in out and "never read: input position 6 (the last) on W" in out  # read 0..5
    assert "would fit and read every input: padding 1, stride 1, stride 2" in out
    _, out, _ = run_cli("out-size", "-W", "7", "-F", "3", "-S", "3", "-f", "json")
    axis = json.loads(out)["axes"][0]
    assert (axis["size"], axis["fits"], axis["dropped"], axis["exact"]) == (2, False, 1, 2.333333)
    assert axis["unread_inputs"] == [6] and axis["unread_count"] == 1
    _, out, _ = run_cli("out-size", "-W", "100000000000", "-F", "1", "-S", "2", "-f", "json")
    axis = json.loads(out)["axes"][0]  # every odd sample of 10^11: counted, and only the first 1,000 listed
    assert axis["unread_count"] == 5 * 10**10 and axis["unread_inputs"][:3] == [1, 3, 5]
    assert len(axis["unread_inputs"]) == 1000


def test_out_size_tells_padding_left_over_from_input_never_read(run_cli):
    # (8 − 3 + 2·1)/2 + 1 = 4.5: windows start at padded 0, 2, 4, 6 and read padded 0..8 = input −1..7
    code, out, _ = run_cli("out-size", "-W", "8", "-F", "3", "-S", "2", "-P", "1")
    assert code == 0 and "every input position is read: only 1 position of end padding is left over" in out
    # 1×1 windows every 2 positions on 7: (7 − 1)/2 + 1 = 4 fits, yet 1, 3 and 5 are never read
    _, out, _ = run_cli("out-size", "-W", "7", "-F", "1", "-S", "2")
    assert "does not fit" not in out and "never read: input 3 of 7 positions (1, 3, 5) on W" in out


def test_out_size_per_axis_and_transposed(run_cli):
    _, out, _ = run_cli("out-size", "-W", "7x9", "-F", "3", "-S", "2")
    assert "output size: 3×4" in out
    _, out, _ = run_cli(
        "out-size", "-W", "14", "-F", "3", "-S", "2", "-P", "1", "--transposed", "--output-padding", "1"
    )
    assert "D = (14 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 28" in out
    code, _, err = run_cli("out-size", "-W", "3", "-F", "5")
    assert code == 2 and "larger than the padded input" in err
    code, _, err = run_cli("out-size", "-W", "7x9x3", "-F", "3x3")
    assert code == 2 and "-F has 2 values" in err


def test_out_size_api():
    result = cnncalc.out_size(7, 3, S=3)
    assert (result.size, round(result.exact, 2), result.fits) == (2, 2.33, False)


def test_ceil_mode_working_shows_the_dropped_last_window():
    # ⌈(5 − 2 + 2)/2⌉ + 1 = 4, but window 4 starts at 3·2 = 6 = W + P_begin: PyTorch keeps 3
    working = cnncalc.load("INPUT(5x5x1) → POOL(2, 2, p=1, ceil_mode=true)").explain("max_pool_1").layers[0].shape
    assert working[0] == (
        "H: D = ⌈(5 − 2 + 2·1)/2⌉ + 1 = 4, but window 4 would start at (4 − 1)·2 = 6 ≥ W + P_begin = 6, "
        "in the end padding, so it is dropped: 3"
    )
    plain = cnncalc.load("INPUT(6x6x1) → POOL(3, 2, ceil_mode=true)").explain("max_pool_1").layers[0].shape
    assert plain[0] == "H: D = ⌈(6 − 3 + 2·0)/2⌉ + 1 = 3"
