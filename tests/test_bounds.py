"""Bounded work: what a spec within the limits may cost, and how values appear in messages.

Each test asserts the refusal (or the right answer) rather than a wall-clock time; the sizes are
chosen so that the old behaviour (building the value, expanding the network) would take
gigabytes or minutes, so a regression shows up as a MemoryError or a hung test.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cnncalc
from cnncalc.analysis.symbolic import MAX_FLOOR_DEPTH
from cnncalc.errors import LimitError, SpecError
from cnncalc.formulas import count_unread, unread_inputs
from cnncalc.limits import Limits
from cnncalc.shown import QUOTE_CHARS, quote
from cnncalc.spec.expr import MAX_SIZE, evaluate

# -- expressions: strings and tuples are measured before they are built ------------------------
HUGE_EXPRESSIONS = [
    "(1,) * 2**40",  # a tuple of 10^12 items
    "2**40 * (1,)",
    "'a' * 10**9",  # a 1 GB string
    "'ab' * 501",  # 1,002 characters: just past the bound
    "((1,) * 500,) * 3",  # nested: 3 × (500 + 1) items
    "'a' * 999 + 'bb'",  # 1,001 characters by concatenation
]


@pytest.mark.parametrize("text", HUGE_EXPRESSIONS)
def test_sequences_past_the_bound_are_refused_before_being_built(text: str) -> None:
    with pytest.raises(SpecError, match=f"longer than {MAX_SIZE} characters or items"):
        evaluate(text, {})


@pytest.mark.parametrize("text", ["'%0999999999d' % 1", "'%.*d' % (5, 1)", "'%s' % 'x'"])
def test_text_formatting_is_refused(text: str) -> None:
    with pytest.raises(SpecError, match="formatting text with % is not allowed"):
        evaluate(text, {})


@pytest.mark.parametrize("text", ["f'{1:999999999}'", "'{:999999999}'.format(1)", "format(1, '999999999')"])
def test_format_widths_cannot_be_reached(text: str) -> None:
    with pytest.raises(SpecError, match=r"not allowed|may be called"):
        evaluate(text, {})


def test_sequences_within_the_bound_still_work() -> None:
    assert evaluate("(1, 2) + (3,)", {}) == (1, 2, 3)
    assert evaluate("(3,) * 2", {}) == (3, 3)
    assert evaluate("'ab' * 500", {}) == "ab" * 500  # exactly 1,000 characters
    assert evaluate("7 % 3", {}) == 1  # % on numbers is arithmetic, still allowed


def test_a_huge_value_in_a_yaml_spec_fails_quickly_with_a_short_message() -> None:
    document = {"input": "8x8x3", "layers": [{"conv": {"filters": "'a' * 10**9", "kernel": 3}}]}
    with pytest.raises(SpecError) as caught:
        cnncalc.load(document)
    assert len(str(caught.value)) < 400


# -- quoting values in messages ----------------------------------------------------------------
def test_quote_cuts_long_text_and_ends_in_an_ellipsis() -> None:
    shown = quote("a" * 10**7)
    assert shown == "'" + "a" * (QUOTE_CHARS - 1) + "…"  # the opening quote counts in the 40


def test_quote_keeps_short_values_whole() -> None:
    assert quote("relu") == "'relu'"
    assert quote((3, 3)) == "(3, 3)"
    assert quote(None) == "None"


def test_quote_names_a_huge_integer_by_its_size_without_printing_it() -> None:
    # 10**100000 has 100,001 digits; Python refuses to print integers over 4,300 digits.
    assert quote(10**100000) == "an integer of about 100,001 digits"
    assert "5,001-digit integer" in quote((10**5000, 1))


def test_quote_shows_only_the_first_items_of_a_long_tuple() -> None:
    assert quote((1,) * 10**6) == "(1, 1, 1, 1, 1, 1, ...)"


def test_a_long_layer_name_is_quoted_short_in_a_duplicate_name_error() -> None:
    name = "n" * 100_000
    document = {"input": "8x8x3", "layers": [{"name": name, "relu": None}, {"name": name, "relu": None}]}
    with pytest.raises(SpecError, match="duplicate layer name") as caught:
        cnncalc.load(document)
    assert "n" * (QUOTE_CHARS + 1) not in str(caught.value)


def test_a_long_chain_is_quoted_short_when_one_of_its_layers_is_wrong() -> None:
    chain = "CONV(4, 3) → " * 15_000 + "NOSUCH"  # 195 kB of text, within the 20,000-layer limit
    document = {"input": "8x8x3", "layers": [chain]}
    with pytest.raises(SpecError, match="NOSUCH") as caught:
        cnncalc.load(document)
    assert len(str(caught.value)) < 500


# -- expansion: repeats are multiplied out before anything is built ----------------------------
def test_a_chain_of_a_million_layers_is_refused_before_expanding() -> None:
    # 1 input + 1000 × 1000 ReLUs = 1,000,001 layers, fifty times the 20,000-layer limit.
    with pytest.raises(LimitError, match="the chain expands to 1,000,001 layers: more than the limit of 20,000"):
        cnncalc.load("INPUT(8x8x3) → [[RELU] x 1000] x 1000")


def test_one_repeat_past_the_repeat_limit_is_refused() -> None:
    with pytest.raises(SpecError, match=r"repeat count 1000000 is outside 1\.\.20000"):
        cnncalc.load("INPUT(8x8x3) → [RELU] x 1000000")


def test_a_chain_exactly_at_the_layer_limit_loads_and_one_more_does_not() -> None:
    limits = Limits(max_layers=10)
    assert len(cnncalc.load("INPUT(4x4x1) → [RELU] x 9", limits=limits).layer_names) == 10  # input + 9
    with pytest.raises(LimitError, match="the chain expands to 11 layers"):
        cnncalc.load("INPUT(4x4x1) → [RELU] x 10", limits=limits)


RECURSIVE = """\
input: 8x8x3
blocks:
  b:
    params: {d: 30}
    layers:
      - relu
      - {block: b, d: d-1, repeat: 2, if: d > 0}
layers:
  - {block: b}
"""


def test_a_recursive_block_doubling_each_level_is_refused_when_its_repeats_multiply_past_the_limit(tmp_path):
    # Level k of the recursion runs 2^k times; 2^15 = 32,768 is the first power of two past 20,000.
    # Expanded, it would make 2^31 − 1 ReLUs (the old code built 2,000,000 of them: 3 GB, a minute).
    path = tmp_path / "recursive.yaml"
    path.write_text(RECURSIVE, encoding="utf-8")
    with pytest.raises(LimitError, match="run it 32,768 times, more than the limit of 20,000 layers"):
        cnncalc.load(path)


def test_nested_yaml_repeats_are_multiplied_before_expanding() -> None:
    inner = {"layers": ["relu"], "repeat": 1000}
    document = {"input": "8x8x3", "layers": [{"layers": [inner], "repeat": 1000}]}
    with pytest.raises(LimitError, match="run it 1,000,000 times"):
        cnncalc.load(document)


def test_entries_that_make_no_layer_still_count_against_the_limit() -> None:
    # 5 groups × (1 entry + 100 turns × (1 turn + 1 entry left out)) = 1,005 steps > 4 × 100.
    skipped = {"relu": None, "if": False}
    document = {"input": "8x8x3", "layers": [{"layers": [skipped], "repeat": 100} for _ in range(5)]}
    with pytest.raises(LimitError, match="takes more than 400 steps"):
        cnncalc.load(document, limits=Limits(max_layers=100))
    one_group = {**document, "layers": document["layers"][:1]}  # 201 steps: within the bound
    assert cnncalc.load(one_group, limits=Limits(max_layers=100)).layer_names == ("input",)


# -- lint and report: the cost of a stride does not grow with it --------------------------------
def test_unread_positions_of_a_huge_stride_are_counted_not_marked() -> None:
    # One 3-wide window at position 0 (the next would start at 10^10): positions 3..63 are unread.
    assert count_unread(64, 3, 10**10) == 61
    assert unread_inputs(64, 3, 10**10, limit=3) == (3, 4, 5)
    # Dilation 2 reads 0, 2 and 4: 64 − 3 = 61 unread, the first being 1, 3, 5.
    assert count_unread(64, 3, 10**10, dilation=2) == 61
    assert unread_inputs(64, 3, 10**10, dilation=2, limit=3) == (1, 3, 5)
    # 10^9 samples, one window of 3: all but 3 unread, counted without an array of 10^9.
    assert count_unread(10**9, 3, 10**9) == 10**9 - 3


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 60),
    st.integers(1, 6),
    st.integers(1, 9),
    st.integers(0, 3),
    st.integers(0, 3),
    st.integers(1, 3),
)
def test_unread_count_matches_marking_every_tap(size, kernel, stride, pad_begin, pad_end, dilation):
    span = dilation * (kernel - 1) + 1
    starts = range(0, size + pad_begin + pad_end - span + 1, stride)  # floor mode: windows that fit
    read = {start + tap * dilation - pad_begin for start in starts for tap in range(kernel)}
    unread = [p for p in range(size) if p not in read]
    assert count_unread(size, kernel, stride, pad_begin, pad_end, dilation) == len(unread)
    assert unread_inputs(size, kernel, stride, pad_begin, pad_end, dilation) == tuple(unread)


@pytest.mark.parametrize("stride", [10**9, 10**10])
def test_lint_and_report_of_a_huge_stride_finish(run_cli, stride: int) -> None:
    chain = f"INPUT(64x64x3) → CONV(8, 3, s={stride})"
    code, out, _ = run_cli("lint", "-f", "json", chain)
    assert code == 0  # warnings only
    messages = {f["code"]: f["message"] for f in json.loads(out)["results"][0]["findings"]}
    assert "61 of 64 positions (3, 4, 5, 6, …) are never read" in messages["S008"]  # 64 − 3 per axis
    code, out, _ = run_cli("report", chain)
    assert code == 0 and "61 of 64 positions" in out


# -- symbolic shapes: nesting is bounded, and nothing recurses past it ---------------------------
def test_symbolic_refuses_sizes_nested_past_the_floor_depth() -> None:
    # conv_k's size holds k nested floors: ⌊(2·⌊…⌋ + 1)/2⌋ + 1; conv_33 is the first past 32.
    net = cnncalc.load("INPUT(64x64x3) → [CONV(4, 3, s=2, p=1) → UPSAMPLE(2)] x 150")
    with pytest.raises(SpecError, match=f"conv_33.*more than {MAX_FLOOR_DEPTH} floors"):
        net.symbolic()


def test_symbolic_at_the_floor_depth_still_evaluates_exactly() -> None:
    # At 64×64 each CONV(3, s=2, p=1) gives ⌊(64 + 2 − 3)/2⌋ + 1 = 32 and each UPSAMPLE(2) 64 again.
    net = cnncalc.load("INPUT(64x64x3) → [CONV(4, 3, s=2, p=1) → UPSAMPLE(2)] x 32")
    values = net.symbolic().evaluate({"H": 64, "W": 64})
    assert values[-2][0] == (32, 32, 4)
    assert values[-1][0] == (64, 64, 4)
    assert values[-2][1] == 32 * 32 * 4 * 3 * 3 * 4  # the last conv's MACs: positions × filters × 3·3·4


# -- run: weights and scratch count before the run starts ----------------------------------------
def test_run_refuses_a_dense_layer_whose_weights_do_not_fit(run_cli, monkeypatch) -> None:
    import cnncalc.executor.run as run_module

    monkeypatch.setattr(run_module, "available_memory", lambda: 8 * 2**30)
    # FC(20000) on 224·224·3 = 150,528 inputs: 150,528 × 20,000 weights + 20,000 biases, 4 bytes each
    # (the old estimate counted activations only: 666 KiB). Making the seeded weights holds the
    # largest tensor twice more (the random draw and a temporary).
    largest = 150_528 * 20_000 * 4
    weights = largest + 20_000 * 4
    total = weights + 2 * largest
    code, _, err = run_cli("run", "INPUT(224x224x3) → FC(20000)")
    assert code == 2
    assert f"the run needs about {total / 2**20:,.0f} MiB ({weights / 2**20:,.0f} MiB of weights" in err
    assert "more than the 8,192 MiB available" in err


def test_run_within_available_memory_still_runs(run_cli, monkeypatch) -> None:
    import cnncalc.executor.run as run_module

    monkeypatch.setattr(run_module, "available_memory", lambda: 2**30)
    code, out, _ = run_cli("run", "lenet5")
    assert code == 0 and "match" in out


# -- small items: a vector input's report, check answers, diff baselines, --set values ----------
def test_report_of_a_vector_input_has_no_field_to_draw(run_cli) -> None:
    code, out, _ = run_cli("report", "INPUT(64) → RELU")
    assert code == 0 and out.lstrip().startswith("<!DOCTYPE html")


@pytest.mark.parametrize("answer", ["²", "1²", "٣", "1e400", "nan"])
def test_check_marks_odd_answers_wrong_without_a_traceback(run_cli, tmp_path, answer: str) -> None:
    # LeNet-5's conv_1 has 6·(5·5·1) + 6 = 156 parameters: none of these answers is that.
    answers = tmp_path / "answers.yaml"
    answers.write_text(f"spec: lenet5\nanswers:\n  conv_1: {{params: '{answer}', output_shape: '{answer}'}}\n")
    code, out, err = run_cli("check", str(answers))
    assert (code, err) == (0, "")  # marked wrong: the students' mistake, not the run's
    assert "156" in out


def _baseline(run_cli, tmp_path, edit) -> str:
    document = json.loads(run_cli("summary", "lenet5", "--format", "json")[1])
    edit(document)
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda d: d.update(dtype=5), "dtype must be a name such as 'float32', not 5"),
        (lambda d: d["totals"].update(params=10**400), "'totals.params' must be a count from 0 to 2^63"),
        (lambda d: d["layers"][1].update(macs=-1), "'layers[1].macs' must be a count from 0 to 2^63, not -1"),
    ],
)
def test_diff_refuses_a_baseline_with_impossible_values(run_cli, tmp_path, edit, problem: str) -> None:
    path = _baseline(run_cli, tmp_path, edit)
    code, _, err = run_cli("diff", path, "lenet5")
    assert code == 2 and f"is not a complete cnncalc summary: {problem}" in err


PARAMETRISED = "params: {c: 4}\ninput: 8x8x3\nlayers:\n  - conv: {filters: c, kernel: 3}\n"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1" * 1001, "has 1,001 characters, over the limit of 1,000"),
        ("[" * 499 + "]" * 499, "nested too deeply|lists at most two deep"),
        ("[[[1]]]", "lists at most two deep"),
        ("[" + ",".join(["1"] * 499) + "]" * 1, "filters"),  # 499 items: allowed, then not a filter count
        ("99999999999999999999999", "exceeds 4611686018427387904"),
    ],
)
def test_set_values_are_bounded(run_cli, tmp_path, value: str, message: str) -> None:
    import re

    spec = tmp_path / "net.yaml"
    spec.write_text(PARAMETRISED, encoding="utf-8")
    code, _, err = run_cli("summary", str(spec), "--set", f"c={value}")
    assert code == 2 and re.search(message, err), err


def test_set_values_within_the_bounds_still_work(run_cli, tmp_path) -> None:
    spec = tmp_path / "net.yaml"
    spec.write_text(PARAMETRISED, encoding="utf-8")
    code, out, _ = run_cli("summary", str(spec), "--set", "c=7", "--format", "json")
    assert code == 0 and json.loads(out)["totals"]["params"] == 7 * (3 * 3 * 3) + 7  # 196


def test_params_given_to_load_are_bounded_too(tmp_path) -> None:
    spec = tmp_path / "net.yaml"
    spec.write_text(PARAMETRISED, encoding="utf-8")
    with pytest.raises(SpecError, match="lists at most two deep"):
        cnncalc.load(spec, params={"c": [[[4]]]})


def test_lint_shows_twenty_findings_of_a_rule_then_counts_the_rest(run_cli) -> None:
    # 100 ReLUs in a row: relu_2 … relu_100 each follow an activation, 99 A002 findings.
    code, out, _ = run_cli("lint", "INPUT(8x8x3) → [RELU] x 100")
    assert code == 0
    assert out.count("A002") == 20 + 1  # twenty shown, and the line that counts the rest
    assert "… and 79 more A002 findings (--format json lists them all)" in out
    code, out, _ = run_cli("lint", "INPUT(8x8x3) → [RELU] x 100", "--format", "json")
    assert sum(f["code"] == "A002" for f in json.loads(out)["results"][0]["findings"]) == 99
