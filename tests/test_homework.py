"""compare, solve, check and convert: the design arguments of the seeds, answers marking, round trips."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import cnncalc
from cnncalc.analysis.compare import compare
from cnncalc.analysis.convert import fc_to_conv
from cnncalc.graph import build_graph
from cnncalc.spec import bundled_names, load_spec
from cnncalc.spec.write import to_chain, to_json, to_yaml

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "homework"


def notes(a: str, b: str) -> tuple[str, ...]:
    return compare(cnncalc.load(a).graph, cnncalc.load(b).graph).notes


def test_two_3x3_against_one_5x5():
    # Weights per channel pair: 2·9 = 18 against 25 → 0.72× (plus biases: 2C against C).
    c = 64
    result = compare(
        cnncalc.load(f"INPUT(32x32x{c}) → CONV({c}, 5, p=2)").graph,
        cnncalc.load(f"INPUT(32x32x{c}) → CONV({c}, 3, p=1) → RELU → CONV({c}, 3, p=1)").graph,
    )
    rows = {r.quantity: r for r in result.rows}
    assert (rows["parameters"].a, rows["parameters"].b) == (25 * c * c + c, 2 * (9 * c * c + c))
    assert "same receptive field (5×5)" in result.notes


def test_three_3x3_against_7x7_and_factorised_3x3():
    c = 32
    three = f"INPUT(32x32x{c}) → " + " → ".join([f"CONV({c}, 3, p=1, bias=false) → RELU"] * 3)
    seven = f"INPUT(32x32x{c}) → CONV({c}, 7, p=3, bias=false)"
    assert "same receptive field (7×7)" in notes(seven, three)
    assert f"B has {1 - 27 / 49:.0%} fewer parameters than A ({27 / 49:.2f}×)" in notes(seven, three)
    # The seeds' "33% cheaper": 1×3 + 3×1 = 6 weights per channel pair against 9.
    full = "INPUT(17x17x64) → CONV(64, 3, p=1, bias=false)"
    factorised = "INPUT(17x17x64) → CONV(64, k=1x3, p=0x1, bias=false) → CONV(64, k=3x1, p=1x0, bias=false)"
    assert "B has 33% fewer parameters than A (0.67×)" in notes(full, factorised)


def test_depthwise_separable_against_full(run_cli):
    code, out, _ = run_cli(
        "compare", "INPUT(56x56x128) → CONV(128, 3, p=1, bias=false)",
        "INPUT(56x56x128) → SEPARABLE_CONV(128, 3, p=1, bias=false)", "-f", "json",
    )  # fmt: skip
    rows = {r["quantity"]: r for r in json.loads(out)["rows"]}
    assert code == 0
    assert rows["parameters"]["a"] == 9 * 128 * 128
    assert rows["parameters"]["b"] == 9 * 128 + 128 * 128
    assert round(rows["parameters"]["ratio"], 4) == round((9 * 128 + 128 * 128) / (9 * 128 * 128), 4)


def test_solve_padding_map_and_inputs(run_cli):
    _, out, _ = run_cli("solve", "padding", "-W", "32", "-F", "5")
    assert "P = 2 on each side → output 32" in out
    _, out, _ = run_cli("solve", "padding", "-W", "224", "-F", "3", "-S", "2", "-f", "json")
    assert json.loads(out) == {
        "schema": "cnncalc.solve_padding/1",
        "pad_begin": 0,
        "pad_end": 1,
        "symmetric": False,
        "output": 112,
    }
    _, out, _ = run_cli(
        "solve", "map", "-W", "32", "--to", "16", "--max-kernel", "4", "--max-stride", "2", "-f", "json"
    )
    solutions = [(s["kernel"], s["stride"], s["padding"], s["fits"]) for s in json.loads(out)["solutions"]]
    assert solutions == [(1, 2, 0, False), (2, 2, 0, True), (3, 2, 1, False), (4, 2, 1, True)]
    _, out, _ = run_cli("solve", "map", "-W", "7", "--to", "3", "--max-kernel", "3")
    # F=1 S=4 P=1: windows at padded 0, 4, 8 read only input 3 (padded 4); the quotient (7−1+2)/4 = 2 is exact
    assert "F=1 S=4 P=1: ⌊(7 − 1 + 2·1)/4⌋ + 1 = 3 (never reads 6 input positions)" in out
    # F=3 S=3 P=2: (7 − 3 + 4)/3 = 2.67, but windows read padded 0..8 ⊇ input at padded 2..8
    assert "F=3 S=3 P=2: ⌊(7 − 3 + 2·2)/3⌋ + 1 = 3 (does not fit, but reads every input)" in out
    assert "F=3 S=2 P=0: ⌊(7 − 3 + 2·0)/2⌋ + 1 = 3 (fits exactly)" in out
    # U-Net takes 188 + 16k (the paper's 572 = 188 + 16·24).
    _, out, _ = run_cli("solve", "inputs", "unet", "--min", "100", "--max", "600", "-f", "json")
    sizes = json.loads(out)["sizes"]
    assert sizes == list(range(188, 601, 16)) and 572 in sizes


def test_check_marks_answers_with_working(run_cli):
    code, out, _ = run_cli("check", str(EXAMPLES / "ana.yaml"))
    assert code == 0 and "score: 9/9" in out
    code, out, _ = run_cli("check", str(EXAMPLES / "ana.yaml"), str(EXAMPLES / "bruno.yaml"))
    assert code == 0  # the run worked; the students' mistakes are not the command's failure
    assert run_cli("check", str(EXAMPLES / "ana.yaml"), str(EXAMPLES / "bruno.yaml"), "--fail-under", "3")[0] == 1
    assert run_cli("check", str(EXAMPLES / "bruno.yaml"), "--fail-under", "2")[0] == 0  # Bruno scores 2
    assert "✗ conv params: 750 — correct: 760" in out
    assert "params = Ci·Co·K² + Co = 3·10·5² + 10 = 760" in out
    assert "H: D = ⌊(32 − 5 + 2·2)/1⌋ + 1 = 32" in out
    assert "score: 2/6" in out


def test_check_json_for_a_class_and_bad_files(run_cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("spec: nowhere.yaml\nanswers: {}\n", encoding="utf-8")
    code, out, _ = run_cli("check", str(EXAMPLES / "bruno.yaml"), str(bad), "-f", "json")
    data = json.loads(out)
    assert code == 2
    (bruno,) = data["results"]
    assert (bruno["student"], bruno["score"], bruno["total"]) == ("Bruno", 2, 6)
    wrong = {(c["layer"], c["quantity"]): c for c in bruno["claims"] if not c["ok"]}
    assert wrong[("conv", "output_shape")]["correct"] == "32x32x10"
    assert "no such file" in data["errors"][0]["message"]


def test_check_reads_answers_as_students_write_them(run_cli, tmp_path):
    chain = '"INPUT(32x32x3) → CONV(10, k=5, p=2)"'  # 3·10·5² + 10 = 760 params, 32×32×10 out
    answers = tmp_path / "ana.yaml"
    answers.write_text(f"spec: {chain}\nanswers: {{conv_1: {{params: 7.6e2, output_shape: [32, 32, 10]}}}}\n")
    code, out, _ = run_cli("check", str(answers), "-f", "json")
    claims = json.loads(out)["results"][0]["claims"]
    assert code == 0 and all(c["ok"] for c in claims)
    assert {c["quantity"]: c["claimed"] for c in claims}["output_shape"] == "32x32x10"  # as text, like "correct"
    empty = tmp_path / "empty.yaml"
    empty.write_text(f"spec: {chain}\nanswers: {{}}\n")
    code, _, err = run_cli("check", str(empty))
    assert code == 2 and "and it is empty" in err
    lost = tmp_path / "lost.yaml"
    lost.write_text("spec: nothere.yaml\nanswers: {conv_1: {params: 760}}\n")
    code, _, err = run_cli("check", str(lost))
    assert code == 2 and f"(the spec: of {lost})" in err
    code, _, err = run_cli("check", str(EXAMPLES / "exercise.yaml"))
    assert code == 2 and "this is a spec (it has layers:)" in err


def test_check_refuses_an_answers_files_bad_set_and_input_as_its_own(run_cli, tmp_path):
    chain = '"INPUT(32x32x3) → CONV(10, k=5, p=2)"'
    for line, said in (
        ("set: 5", "'set:' in an answers file maps parameter names to values, got 5"),  # was a TypeError
        ("set: [1, 2]", "'set:' in an answers file maps parameter names to values"),
        ("input: [0, 16, 3]", "input shape must be positive sizes like 32x32x3"),
    ):
        answers = tmp_path / "answers.yaml"
        answers.write_text(f"spec: {chain}\n{line}\nanswers: {{conv_1: {{params: 760}}}}\n", encoding="utf-8")
        code, _, err = run_cli("check", str(answers))
        assert code == 2 and said in err and "Traceback" not in err, (line, err)
        assert f"{answers}:1:1" in err and "(the spec: of" not in err, err  # the answers file's mistake
    answers.write_text(f"spec: {chain}\ninput: [16, 16, 3]\nanswers: {{conv_1: {{params: 760}}}}\n")
    assert run_cli("check", str(answers))[0] == 0  # 3·10·5² + 10 = 760 at any input size


def test_check_gives_a_half_receptive_field_as_it_is(run_cli, tmp_path):
    # Upsampling by 2 halves the jump: a 2-wide kernel after it sees r = 1 + (2 − 1)·½ = 1.5 inputs.
    answers = tmp_path / "half.yaml"
    answers.write_text('spec: "INPUT(8x8x1) → UPSAMPLE(2) → CONV(1, k=2)"\nanswers: {conv_1: {receptive_field: 1x1}}\n')
    code, out, _ = run_cli("check", str(answers), "-f", "json")
    (claim,) = json.loads(out)["results"][0]["claims"]
    assert code == 0 and not claim["ok"] and claim["correct"] == "1.5x1.5"


def test_convert_round_trips_every_bundled_spec():
    for name in bundled_names():
        spec = load_spec(name)
        original = cnncalc.load(name).summary().to_dict()
        for text, suffix in ((to_yaml(spec), ".yaml"), (to_json(spec), ".json")):
            document = __import__("yaml").safe_load(text) if suffix == ".yaml" else json.loads(text)
            again = cnncalc.load(document).summary().to_dict()
            assert again["layers"] == original["layers"], name
            assert again["totals"] == original["totals"] and again["outputs"] == original["outputs"]


def test_convert_to_chain_and_back():
    original = (
        "INPUT(17x17x8) → CONV(8, k=1x7, p=((0,1),(3,3)), d=2) → POOL(2, ceil_mode=true) → LPPOOL(2, k=2) → FC(3)"
    )
    chain = to_chain(load_spec(original))
    assert chain.startswith("INPUT(shape=17x17x8) → CONV(")
    assert cnncalc.load(chain).summary().to_dict() == cnncalc.load(original).summary().to_dict()
    with pytest.raises(cnncalc.SpecError, match="branching network has no chain form"):
        to_chain(load_spec("inception_3a"))


def test_convert_cli_writes_atomically_and_refuses_to_overwrite(run_cli, tmp_path):
    target = tmp_path / "vgg.json"
    assert run_cli("convert", "vgg16", "--to", "json", "-o", str(target))[0] == 0
    assert cnncalc.load(target).summary().totals.params == 138_357_544
    code, _, err = run_cli("convert", "vgg16", "--to", "json", "-o", str(target))
    assert code == 2 and "exists" in err
    assert run_cli("convert", "vgg16", "-o", str(target), "--force")[0] == 0
    assert [p.name for p in tmp_path.iterdir()] == ["vgg.json"]  # no temporary left behind


def test_fc_to_conv_shapes_on_a_larger_input(run_cli):
    # Seed 000: V filters of the input's width and height, P = 0, S = 1. VGG-16 on 384×384:
    # pool5 is 12×12, fc6 (7×7) gives 6×6, fc7 and fc8 (1×1) keep it: a 6×6 map of 1000 scores.
    code, _, err = run_cli("convert", "vgg16", "--fc-to-conv", "--input", "384x384x3")
    assert code == 0 and "outputs 6×6×1000" in err
    converted = fc_to_conv(cnncalc.load("vgg16").graph)
    kinds = {n.name: (n.kind, n.layer.args().get("kernel")) for n in converted.nodes}
    assert kinds["dense_1"] == ("conv", (7, 7)) and kinds["dense_3"] == ("conv", (1, 1))
    assert "flatten_1" not in kinds and "adaptive_avg_pool_1" not in kinds


def test_the_written_chain_runs_on_the_larger_input(tmp_path, run_cli):
    target = tmp_path / "vgg16_fcn.chain"
    assert (
        run_cli("convert", "vgg16", "--fc-to-conv", "--input", "384x384x3", "--to", "chain", "-o", str(target))[0] == 0
    )
    assert target.read_text(encoding="utf-8").startswith("INPUT(shape=384x384x3)")
    _, out, _ = run_cli("summary", str(target), "-f", "json")
    assert json.loads(out)["outputs"] == [[6, 6, 1000]] and json.loads(out)["totals"]["params"] == 138_357_544
    assert run_cli("convert", "vgg16", "--fc-to-conv", "--input", "384x384")[0] == 2  # the rank must match


def test_fc_to_conv_is_equivalent_on_the_executor():
    from cnncalc.executor.convert import fc_to_conv_weights
    from cnncalc.executor.run import random_weights

    net = cnncalc.load("INPUT(12x12x3) → CONV(8, 3) → RELU → POOL(2) → FLATTEN → FC(16) → RELU → FC(5) → SOFTMAX")
    converted = build_graph(fc_to_conv(net.graph))
    weights = random_weights(net.graph, seed=3)
    x = np.random.default_rng(4).standard_normal((2, 12, 12, 3)).astype(np.float32)
    before = net.run(data=x, weights=weights).outputs["softmax_1"]
    after_weights = fc_to_conv_weights(net.graph, converted, weights)
    after = cnncalc.Network(converted).run(data=x, weights=after_weights).outputs["softmax_1"]
    assert after.shape == (2, 1, 1, 5)
    np.testing.assert_allclose(after.reshape(2, 5), before, rtol=1e-5, atol=1e-6)


def test_search_bounds_and_options_that_do_not_apply_are_refused(run_cli):
    code, _, err = run_cli("solve", "map", "-W", "7", "--to", "3", "--max-kernel", "-5")
    assert code == 2 and "--max-kernel and --max-stride must be at least 1" in err
    code, _, err = run_cli("out-size", "-W", "7", "-F", "3", "--output-padding", "1")
    assert code == 2 and "--output-padding applies to transposed convolutions" in err


def test_compare_says_when_the_inputs_differ():
    # LeNet-5: 61,706 parameters; the single 5×5 conv: 1·6·25 + 6 = 156, a ratio of 0.00253
    notes = compare(cnncalc.load("lenet5").graph, cnncalc.load("INPUT(64x64x1) → CONV(6, 5)").graph).notes
    assert "the inputs differ (A 32×32×1, B 64×64×1): MACs and memory grow with the input" in notes
    assert "B has far fewer parameters than A (0.00253×)" in notes
