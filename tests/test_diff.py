"""`cnncalc diff`: per-layer and total changes, baselines, thresholds for CI — by hand arithmetic."""

from __future__ import annotations

import json

OLD = "INPUT(8x8x3) → CONV(4, 3) → RELU"  # 3·4·3² + 4 = 112 params; 6·6·4·27 = 3,888 MACs
NEW = "INPUT(8x8x3) → CONV(8, 3) → RELU"  # 3·8·3² + 8 = 224 params; 6·6·8·27 = 7,776 MACs


def test_totals_and_layers(run_cli):
    code, out, _ = run_cli("diff", OLD, NEW, "--format", "json")
    result = json.loads(out)
    assert code == 0 and result["schema"] == "cnncalc.diff/1"
    totals = {t["quantity"]: (t["old"], t["new"], t["difference"]) for t in result["totals"]}
    assert totals["params"] == (112, 224, 112)
    assert totals["macs"] == (3_888, 7_776, 3_888)
    assert totals["activation_bytes"] == (2 * 144 * 4, 2 * 288 * 4, 2 * 144 * 4)  # conv and relu outputs
    changed = {c["name"]: c for c in result["layers"]}
    assert set(changed) == {"conv_1", "relu_1"}
    assert changed["conv_1"]["old_shape"] == [6, 6, 4] and changed["conv_1"]["new_shape"] == [6, 6, 8]
    assert changed["conv_1"]["params"] == [112, 224]


def test_thresholds_fail_the_build(run_cli):
    code, out, _ = run_cli("diff", OLD, NEW, "--fail-on", "params+50%")
    assert code == 1 and "params+50%: parameters 112 → 224" in out
    assert run_cli("diff", OLD, NEW, "--fail-on", "params+100%,macs+100%")[0] == 0  # exactly doubled: allowed
    code, out, _ = run_cli("diff", OLD, NEW, "--fail-on", "macs+1k", "--format", "markdown")
    assert code == 1 and "**Over the limits:**" in out and "- macs+1k: MACs 3,888 → 7,776" in out
    code, _, err = run_cli("diff", OLD, NEW, "--fail-on", "weights+5%")
    assert code == 2 and "is not QUANTITY+AMOUNT" in err


def test_against_a_saved_baseline(tmp_path, run_cli):
    baseline = tmp_path / "baseline.json"
    baseline.write_text(run_cli("summary", OLD, "--format", "json")[1], encoding="utf-8")
    code, out, _ = run_cli("diff", str(baseline), OLD, "--format", "json")
    result = json.loads(out)
    assert code == 0 and result["layers"] == [] and all(t["difference"] == 0 for t in result["totals"])
    code, out, _ = run_cli("diff", str(baseline), "INPUT(8x8x3) → CONV(4, 3)", "--format", "json")
    assert [(c["name"], c["change"]) for c in json.loads(out)["layers"]] == [("relu_1", "removed")]
    spec = tmp_path / "spec.json"  # a JSON spec, not a baseline, is loaded as a spec
    spec.write_text('{"input": "8x8x3", "layers": ["CONV(8, 3)", "RELU"]}', encoding="utf-8")
    code, out, _ = run_cli("diff", str(baseline), str(spec), "--format", "json")
    assert code == 0 and {t["quantity"]: t["new"] for t in json.loads(out)["totals"]}["params"] == 224


def test_github_annotations_point_at_the_changed_lines(tmp_path, run_cli):
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    old.write_text("input: 8x8x3\nlayers:\n  - CONV(4, 3)\n  - RELU\n", encoding="utf-8")
    new.write_text("input: 8x8x3\nlayers:\n  - CONV(8, 3)\n  - RELU\n", encoding="utf-8")
    code, out, _ = run_cli("diff", str(old), str(new), "--format", "github", "--fail-on", "params+10%")
    lines = out.splitlines()
    assert code == 1
    # one notice for the file, at its first changed line: the counts, the totals, then each layer;
    # % is written %25 and a line break %0A, as workflow commands require
    summary = (
        f"2 layers changed (2 changed) from {old} to {new}: parameters 112 → 224, +112 (+100.0%25); "
        "MACs 3,888 → 7,776, +3,888 (+100.0%25); activation memory (bytes) 1,152 → 2,304, +1,152 (+100.0%25)"
    )  # 2·144·4 = 1,152 bytes of conv and relu outputs before, 2·288·4 = 2,304 after
    layers = [
        "conv_1 changed: shape 6×6×4 → 6×6×8, params 112 → 224, MACs 3,888 → 7,776",
        "relu_1 changed: shape 6×6×4 → 6×6×8, params 0 → 0, MACs 0 → 0",
    ]
    assert lines[0] == f"::notice file={new},line=3,title=cnncalc diff::" + "%0A".join([summary, *layers])
    assert lines[1:] == ["::error title=cnncalc diff::params+10%25: parameters 112 → 224"]


def test_an_incomplete_or_edited_baseline_is_bad_input(tmp_path, run_cli):
    complete = json.loads(run_cli("summary", OLD, "--format", "json")[1])
    broken = {
        "no_totals": ({"schema": "cnncalc.summary/1"}, "'totals' is missing"),
        "no_macs": ({**complete, "layers": [{**complete["layers"][1], "macs": None}]}, "'layers[0].macs' is missing"),
        "text": (
            {**complete, "totals": {**complete["totals"], "params": "lots"}},
            "'totals.params' must be an integer",
        ),
        "shape": (
            {**complete, "layers": [{**complete["layers"][1], "output_shape": ["6"]}]},
            "layers[0].output_shape must be a list of positive integers",
        ),
    }
    for name, (document, problem) in broken.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        for sides in ((str(path), OLD), (OLD, str(path))):
            code, _, err = run_cli("diff", *sides)
            assert code == 2 and f"{path} is not a complete cnncalc summary: {problem}" in err, (name, err)


def test_a_baseline_keeps_its_layout_and_dtype(tmp_path, run_cli):
    chw, half = tmp_path / "chw.json", tmp_path / "half.json"
    chw.write_text(run_cli("summary", OLD, "--format", "json", "--layout", "chw")[1], encoding="utf-8")
    half.write_text(run_cli("summary", OLD, "--format", "json", "--dtype", "float16")[1], encoding="utf-8")
    for baseline in (chw, half):
        code, out, _ = run_cli("diff", str(baseline), OLD, "--format", "json", "--fail-on", "activations+1%")
        assert code == 0 and json.loads(out)["layers"] == [], baseline
    totals = {t["quantity"]: t["new"] for t in json.loads(run_cli("diff", str(half), NEW, "-f", "json")[1])["totals"]}
    assert totals["activation_bytes"] == 2 * 288 * 2  # NEW counted in the baseline's 2-byte float16
    code, _, err = run_cli("diff", str(half), str(chw))
    assert code == 2 and "different dtypes (float16 and float32)" in err
