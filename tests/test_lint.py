"""Lint: each rule fires on a minimal bad spec and is silent on its fixed version; formats; config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cnncalc.analysis.lint import LintConfig, all_rules, lint_spec

# code: (bad spec, fixed spec). Each bad spec triggers the rule; its fix does not.
BUDGET = "input: 8x8x3\nlint: {{{budget}}}\nlayers:\n{layers}"
RULE_CASES = {
    # budgets: 3·4·3² + 4 = 112 parameters; 6·6·4·27 = 3,888 MACs; 6·6·4 outputs · 4 bytes = 576 bytes
    "B001": (
        BUDGET.format(budget="max-params: 100", layers="  - CONV(4, 3)\n"),
        BUDGET.format(budget="max-params: 100", layers="  - CONV(2, 3)\n"),
    ),
    "B002": (
        BUDGET.format(budget="max-macs: 1000", layers="  - CONV(4, 3)\n"),
        BUDGET.format(budget="max-macs: 1000", layers="  - CONV(1, 3)\n"),
    ),
    "B003": (
        BUDGET.format(budget="max-activations: 500B", layers="  - CONV(4, 3)\n"),
        BUDGET.format(budget="max-activations: 1KB", layers="  - CONV(4, 3)\n"),
    ),
    "B004": (
        BUDGET.format(budget="min-rf: 5", layers="  - CONV(4, 3)\n"),
        BUDGET.format(budget="min-rf: 5", layers="  - CONV(4, 3)\n  - CONV(4, 3)\n"),
    ),
    "B005": (
        BUDGET.format(budget="max-depth: 1", layers="  - CONV(4, 3)\n  - CONV(4, 3)\n"),
        BUDGET.format(budget="max-depth: 1", layers="  - CONV(4, 3)\n"),
    ),
    "S001": ("INPUT(7x7x1) → CONV(1, k=3, s=3)", "INPUT(7x7x1) → CONV(1, k=3, s=2)"),
    "S002": ("INPUT(4x4x3) → CONV(8, k=5)", "INPUT(4x4x3) → CONV(8, k=5, p=2)"),
    "S003": ("INPUT(32x32x3) → CONV(8, k=4, p=same)", "INPUT(32x32x3) → CONV(8, k=3, p=same)"),
    "S004": ("INPUT(8x8x3) → CONV(4, k=3, p=3)", "INPUT(8x8x3) → CONV(4, k=3, p=1)"),
    "S005": (
        "input: 8x8x3\nlayers:\n  - {name: a, conv: [4, 1]}\n  - {name: s, add: null, inputs: [input, a]}\n",
        "input: 8x8x3\nlayers:\n  - {name: a, conv: [3, 1]}\n  - {name: s, add: null, inputs: [input, a]}\n",
    ),
    "S006": ("INPUT(8x8x3) → CONV(4, k=1, g=2)", "INPUT(8x8x4) → CONV(4, k=1, g=2)"),
    "S007": ("INPUT(10) → CONV(4, 3)", "INPUT(10x1) → CONV1D(4, 3)"),
    "S008": ("INPUT(8x8x16) → CONV(32, k=1, s=2)", "INPUT(8x8x16) → AVGPOOL(2) → CONV(32, k=1)"),
    "S009": ("INPUT(28x28) → CONV(8, 3) → POOL(2)", "INPUT(28x28x1) → CONV(8, 3) → POOL(2)"),
    "R001": (
        "INPUT(64x64x3) → CONV(8, 3) → RELU → GAP",
        "INPUT(64x64x3) → CONV(8, 3, s=2) → RELU → POOL(2) → CONV(8, 3, d=16) → RELU → GAP",
    ),
    "R002": (
        "INPUT(8x8x1) → CONV(4, 3, p=8, d=8) → RELU → CONV(4, 3, p=8, d=8)",
        "INPUT(8x8x1) → CONV(4, 3, p=1) → RELU → CONV(4, 3, p=1)",
    ),
    "R003": (
        "input: 8x8x4\nlayers:\n  - {name: p, inputs: input, max_pool: 2}\n  - {name: v, inputs: input, conv: [4, 5]}\n  - {name: s, add: null, inputs: [p, v]}\n",
        "input: 8x8x4\nlayers:\n  - {name: p, inputs: input, max_pool: 2}\n  - {name: v, inputs: input, conv: {filters: 4, kernel: 2, stride: 2}}\n  - {name: s, add: null, inputs: [p, v]}\n",
    ),
    "P001": (
        "INPUT(32x32x3) → CONV(8, 3, p=1) → RELU → FLATTEN → FC(100)",
        "INPUT(32x32x3) → CONV(8, 3, p=1) → RELU → GAP → FC(10)",
    ),
    "A001": ("INPUT(8x8x3) → POOL(8) → CONV(16, 3, p=1)", "INPUT(8x8x3) → POOL(2) → CONV(16, 3, p=1)"),
    "A002": ("INPUT(8x8x3) → CONV(8, 3) → RELU → RELU", "INPUT(8x8x3) → CONV(8, 3) → RELU"),
    "A003": (
        "INPUT(8x8x3) → CONV(8, 3) → RELU → DROPOUT(0.2) → BN",
        "INPUT(8x8x3) → CONV(8, 3) → BN → RELU → DROPOUT(0.2) → CONV(8, 1)",
    ),
    "A004": ("INPUT(8) → FC(4) → DROPOUT(0.5)", "INPUT(8) → FC(4) → DROPOUT(0.5) → FC(2)"),
    "A005": (
        "INPUT(32x32x3) → CONV(16, 3) → BN → CONV(16, 3)",
        "INPUT(32x32x3) → CONV(16, 3) → BN → RELU → CONV(16, 3)",
    ),
    "A006": (
        "input: 8x8x3\nlayers:\n  - {name: a, conv: [4, 1]}\n  - {name: b, inputs: input, conv: [4, 1]}\n",
        "input: 8x8x3\nlayers:\n  - {name: a, conv: [4, 1]}\n  - {name: b, inputs: input, conv: [4, 1]}\noutputs: [a, b]\n",
    ),
}


def codes(source: str, tmp_path: Path, **config) -> list[str]:
    if "\n" in source:
        path = tmp_path / f"spec{abs(hash(source))}.yaml"
        path.write_text(source, encoding="utf-8")
        source = str(path)
    result = lint_spec(source, LintConfig(**config))
    assert result.error is None, result.error
    return [f.code for f in result.findings]


def test_every_rule_has_a_case_and_documentation():
    assert {r.code for r in all_rules()} == set(RULE_CASES)
    for found in all_rules():
        for part in ("What it does", "Why is this bad", "Example", "Use instead"):
            assert part in found.doc, (found.code, part)


@pytest.mark.parametrize("code", sorted(RULE_CASES))
def test_rule_fires_on_bad_and_not_on_fixed(code, tmp_path):
    bad, fixed = RULE_CASES[code]
    assert code in codes(bad, tmp_path)
    assert code not in codes(fixed, tmp_path)


def test_stride_finding_shows_the_arithmetic_and_fixes(tmp_path):
    finding = lint_spec("INPUT(7x7x1) → CONV(1, k=3, s=3)").findings
    s001 = next(f for f in finding if f.code == "S001")
    assert "(7 − 3 + 2·0)/3 + 1 = 2.33" in s001.message
    assert "input position 6 (the last) is never read" in s001.message  # windows read 0..2 and 3..5
    assert s001.hint == "would fit: padding 1, stride 1 or 2, 2 more padding at the end"
    assert (s001.line, s001.column, s001.layer) == (1, 16, "conv_1")


def test_only_end_padding_left_over_is_no_finding(tmp_path):
    # (32 − 3 + 2·1)/2 + 1 = 16.5, but the 16 windows start at padded 0, 2, …, 30 and read padded
    # 0..32 = input −1..31: every input position is read, only the right padding column is not.
    assert "S001" not in codes("INPUT(32x32x3) → CONV(16, 3, s=2, p=1)", tmp_path)
    # 7×7/2 p3 on 224: (224 − 7 + 6)/2 + 1 = 112.5; windows read padded 0..228 = input −3..225
    assert "S001" not in codes("INPUT(224x224x3) → CONV(64, 7, s=2, p=3)", tmp_path)
    # pooling 2×2 of 7: windows read 0..5, so row 6 is lost (Keras's 7×7 → 3×3)
    assert "S001" in codes("INPUT(7x7x8) → POOL(2)", tmp_path)


def test_gaps_between_windows_name_the_skipped_positions(tmp_path):
    finding = lint_spec("INPUT(7x7x1) → CONV(1, k=3, s=4)").findings
    s008 = next(f for f in finding if f.code == "S008")
    assert "input position 3 is never read" in s008.message  # windows read 0..2 and 4..6
    assert "S001" not in [f.code for f in finding]
    dilated = lint_spec("INPUT(9x9x1) → CONV(1, k=3, d=2, s=2)").findings  # taps 0, 2, 4 every 2
    assert "input 4 of 9 positions (1, 3, 5, 7) are never read" in next(f for f in dilated if f.code == "S008").message
    assert "S008" not in [f.code for f in lint_spec("INPUT(9x9x1) → CONV(1, k=3, d=2)").findings]


def test_select_ignore_and_prefixes(tmp_path):
    bad = "INPUT(8x8x3) → CONV(8, 3) → RELU → RELU → FLATTEN → FC(100)"
    everything = codes(bad, tmp_path)
    assert {"A002", "P001"} <= set(everything)
    assert codes(bad, tmp_path, select=("A",)) == ["A002"]
    assert "A002" not in codes(bad, tmp_path, ignore=("A002",))
    assert codes(bad, tmp_path, select=("A",), ignore=("A002",)) == []


def test_severity_override_and_exit_codes(run_cli, tmp_path):
    chain = "INPUT(7x7x1) → CONV(1, k=3, s=3) → RELU → GAP"
    assert run_cli("lint", chain)[0] == 0  # warnings only
    assert run_cli("lint", chain, "--strict")[0] == 1
    config = tmp_path / ".cnncalc.toml"
    config.write_text('severity = {S001 = "error"}\n', encoding="utf-8")
    assert run_cli("lint", chain, "--config", str(config))[0] == 1
    config.write_text('[tool.cnncalc]\nseverity = {S001 = "error"}\n', encoding="utf-8")  # pasted from pyproject
    assert run_cli("lint", chain, "--config", str(config))[0] == 1
    assert run_cli("lint", "INPUT(4x4x3) → CONV(8, k=5)")[0] == 1  # S002 is an error
    assert run_cli("lint", "INPUT(4x4x3) → CONVV(8, k=5)")[0] == 2  # bad input


def test_config_discovered_from_pyproject(run_cli, tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.cnncalc]\nignore = ["S001", "R"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli("lint", "INPUT(7x7x1) → CONV(1, k=3, s=3)")
    assert code == 0 and "clean" in out


def test_inline_noqa_and_spec_level_ignore(tmp_path):
    spec = "input: 7x7x1\nlayers:\n  - {conv: {filters: 1, kernel: 3, stride: 3}, noqa: S001}\n  - relu\n  - gap\n"
    assert "S001" not in codes(spec, tmp_path)
    spec = "input: 7x7x1\nlint: {ignore: [S001]}\nlayers:\n  - CONV(1, k=3, s=3) → RELU → GAP\n"
    assert "S001" not in codes(spec, tmp_path)


def test_bad_lint_settings_are_bad_input(run_cli, tmp_path):
    config = tmp_path / ".cnncalc.toml"
    config.write_text('select = ["Z999"]\n', encoding="utf-8")
    code, _, err = run_cli("lint", "vgg16", "--config", str(config))
    assert code == 2 and "no lint rule matches 'Z999'" in err


def test_several_files_and_json(run_cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(RULE_CASES["S005"][0], encoding="utf-8")
    code, out, _ = run_cli("lint", "vgg16", str(bad), "INPUT(7x7x1) → CONV(1, k=3, s=3)", "-f", "json")
    data = json.loads(out)
    assert code == 1
    assert [r["source"] for r in data["results"]] == ["vgg16", str(bad), "<chain>"]
    assert data["results"][0]["findings"] == []
    s005 = data["results"][1]["findings"][0]
    assert s005["code"] == "S005" and s005["severity"] == "error" and s005["line"] == 4


def test_github_annotations(run_cli):
    _, out, _ = run_cli("lint", "INPUT(7x7x1) → CONV(1, k=3, s=3) → RELU → GAP", "-f", "github")
    line = out.strip().splitlines()[0]
    # A chain is in no file: GitHub would attach `file=<chain>` to nothing, so the place is in the title.
    assert line.startswith("::warning title=S001 stride-does-not-fit (<chain>%3A1%3A16)::stride 3")


def test_github_annotations_of_a_file(run_cli, tmp_path):
    bad = tmp_path / "net.yaml"
    bad.write_text("input: 7x7x1\nlayers:\n  - conv: {filters: 1, kernel: 3, stride: 3}\n", encoding="utf-8")
    _, out, _ = run_cli("lint", str(bad), "-f", "github")
    stride = next(line for line in out.splitlines() if "S001" in line)
    assert stride.startswith(f"::warning file={bad},line=3,") and ",title=S001 stride-does-not-fit::" in stride


def test_sarif_structure(run_cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(RULE_CASES["S005"][0], encoding="utf-8")
    code, out, _ = run_cli("lint", str(bad), "INPUT(7x7x1) → CONV(1, k=3, s=3)", "-f", "sarif")
    assert code == 1  # the S005 error
    log = json.loads(out)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "cnncalc"
    rule_ids = [r["id"] for r in driver["rules"]]
    assert rule_ids == sorted(RULE_CASES)
    for rule in driver["rules"]:
        assert {"id", "name", "shortDescription", "fullDescription", "help", "defaultConfiguration"} <= set(rule)
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert run["results"], "expected results"
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note", "none")
        assert result["message"]["text"]
        (location,) = result["locations"]
        if "physicalLocation" in location:  # the spec file (outside the working directory: an absolute URI)
            assert location["physicalLocation"]["artifactLocation"]["uri"] == bad.resolve().as_uri()
            assert location["physicalLocation"]["region"]["startLine"] >= 1
        else:  # the chain is in no file: located by its position and layer
            assert location["logicalLocations"][0]["fullyQualifiedName"].startswith("<chain>:1:")
    assert run["invocations"][0]["executionSuccessful"] is True


def test_explain_and_list(run_cli):
    code, out, _ = run_cli("lint", "--explain", "S001")
    assert code == 0 and "stride-does-not-fit" in out and "2.33" in out
    code, out, _ = run_cli("lint", "--list")
    assert code == 0 and "A005" in out


def test_bundled_specs_lint_clean(run_cli):
    specs = sorted(str(p) for p in (Path(__file__).parent.parent / "specs").glob("*.yaml"))
    code, out, _ = run_cli("lint", "--strict", *specs)
    assert code == 0, out


def test_pre_commit_hook_is_declared():
    import yaml

    hooks = yaml.safe_load((Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks[0]["id"] == "cnncalc-lint" and hooks[0]["entry"] == "cnncalc lint"


def test_the_lint_guide_lists_every_rule():
    readme = (Path(__file__).parent.parent / "docs" / "lint.md").read_text(encoding="utf-8")
    for found in all_rules():
        assert f"| {found.code} | {found.name}" in readme, found.code


def test_a_mistyped_noqa_code_is_bad_input(tmp_path, run_cli):
    spec = tmp_path / "typo.yaml"
    spec.write_text("input: 7x7x1\nlayers:\n  - {conv: {filters: 1, kernel: 3, stride: 3}, noqa: S0001}\n  - gap\n")
    code, out, err = run_cli("lint", str(spec))
    assert code == 2 and "noqa names no lint rule: 'S0001'" in out + err and ":3:5" in out + err


def test_the_last_line_counts_severities_and_table_lists_them(run_cli):
    chain = "INPUT(4x4x3) → CONV(8, k=5)"  # S002 (error): a 5-wide kernel on 4
    code, out, _ = run_cli("lint", chain)
    assert code == 1 and out.strip().splitlines()[-1] == "1 finding(s) in 1 spec (1 error)"
    _, out, _ = run_cli("lint", "INPUT(7x7x1) → CONV(1, k=3, s=3) → RELU → GAP")  # S001 and R001
    assert out.strip().splitlines()[-1] == "2 finding(s) in 1 spec (2 warnings)"
    code, out, _ = run_cli("lint", chain, "--format", "table")
    assert code == 1 and "severity" in out and "S002" in out and "error" in out


def test_a_directory_lints_the_specs_in_it(tmp_path, run_cli):
    (tmp_path / "a.yaml").write_text("input: 8x8x3\nlayers:\n  - CONV(4, 3, p=1) → RELU\n")
    (tmp_path / "b.json").write_text('{"input": "7x7x1", "layers": ["CONV(1, k=3, s=3)"]}')
    (tmp_path / "notes.txt").write_text("not a spec")
    code, out, _ = run_cli("lint", str(tmp_path), "-f", "json")
    sources = [r["source"] for r in json.loads(out)["results"]]
    assert code == 0 and sources == [str(tmp_path / "a.yaml"), str(tmp_path / "b.json")]


def test_sarif_locates_files_under_srcroot_and_fragments_in_their_file(run_cli, tmp_path, monkeypatch):
    """Code scanning maps results through %SRCROOT%; a chain inside a file is found in that file."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "frag.yaml").write_text(
        'input: 7x7x3\nlayers:\n  - RELU\n  - "RELU → CONV(4, 3, s=3)"\n', encoding="utf-8"
    )
    code, out, _ = run_cli("lint", "specs/frag.yaml", "-f", "sarif")
    assert code == 0  # S001 is a warning: only errors (or --strict) fail
    (run,) = json.loads(out)["runs"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    s001 = [r for r in run["results"] if r["ruleId"] == "S001"]
    assert s001, run["results"]
    location = s001[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "specs/frag.yaml", "uriBaseId": "%SRCROOT%"}
    assert location["region"]["startLine"] == 4  # the fragment's line, not the file's first
    text = s001[0]["message"]["text"]
    assert ". Hint: " in text and not text.endswith("..")  # the hint is a sentence of its own
