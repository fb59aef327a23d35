"""Hostile input: random and mutated specs never raise anything but the tool's own error."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cnncalc
from cnncalc.errors import SpecError

VALID_CHAINS = [
    "INPUT(32x32x3) → CONV(10, k=5, s=1, p=2) → RELU → POOL(2) → FC(10)",
    "INPUT(40x1) → [CONV1D(15, k=3, s=2) → RELU] x 3 → FLATTEN → FC(10)",
    "INPUT(17x17x8) → CONV(8, k=1x7, p=((0,1),(3,3))) → BN → DECONV(4, 3, s=2, op=1) → GAP",
]
VALID_YAML = [
    "input: 8x8x3\nlayers:\n  - conv: {filters: 4, kernel: 3}\n  - relu\n",
    "params: {c: 4}\ninput: 16x16x3\nblocks:\n  b:\n    params: {w: null}\n    layers:\n      - CONV(w, 3, p=1)\n"
    "layers:\n  - {block: b, w: c, repeat: 2}\n  - {name: s, add: null, inputs: [input_1, input]}\n",
]
ALPHABET = string.printable + "→×⌊"
TRIED = {"count": 0}


def attempt(source: object) -> None:
    TRIED["count"] += 1
    try:
        net = cnncalc.load(source)
        summary = net.summary()
        net.receptive_field()
        net.lint()
    except SpecError:
        return
    # A valid spec's analyses agree with themselves.
    assert summary.totals.params == sum(r.params for r in summary.layers)
    for record in summary.layers:
        assert record.output_shape == net.shape(record.name)
    totals = summary.totals
    if totals.macs + totals.activations + totals.input_bytes // 4 < 2_000_000:  # small enough to really run
        result = net.run()
        assert result.ok, [c.to_dict() for c in result.checks if not c.ok]


def mutate(text: str, data: st.DataObject) -> str:
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = data.draw(st.text(alphabet=ALPHABET, min_size=1, max_size=3))
        if action == "insert":
            text = text[:position] + piece + text[position:]
        elif action == "delete":
            text = text[:position] + text[position + len(piece) :]
        else:
            text = text[:position] + piece + text[position + len(piece) :]
    return text


FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.sampled_from(VALID_CHAINS), st.data())
def test_mutated_chains(chain, data):
    attempt(mutate(chain, data))


@FUZZ
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_random_text_as_chain(text):
    attempt(text if any(m in text for m in "(→[") else text + "(")


@FUZZ
@given(document=st.sampled_from(VALID_YAML), data=st.data())
def test_mutated_yaml(tmp_path_factory, document, data):
    path = tmp_path_factory.mktemp("fuzz") / "spec.yaml"
    path.write_text(mutate(document, data), encoding="utf-8")
    attempt(path)


def test_report_inputs_tried():
    print(f"\nrobustness: {TRIED['count']} inputs tried")
    assert TRIED["count"] >= 900


def test_resource_bounds_give_clear_errors(tmp_path, monkeypatch):
    import pytest

    huge = "9" * 5000
    cases = {
        f"INPUT({huge}x3) → RELU": "number with more than 18 digits",
        "INPUT(8x8x3) → " + "[" * 5000 + "RELU" + "] x 2" * 5000: "groups nested deeper than 100 levels",
        "INPUT(8x8x3) → [RELU] x 1000000000000": "repeat count 1000000000000 is outside 1..20000",
        "INPUT(9999999x9999999x99999) → RELU": "over the limit of 1099511627776",
    }
    for chain, message in cases.items():
        with pytest.raises(SpecError, match=message):
            cnncalc.load(chain)
    bomb = "a: &a [1,2]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=False)
    )
    for text, message in (
        (bomb + "input: 8x8x3\nlayers: [relu]\n", "expands to more than 1000000 nodes"),
        (f"input: {huge}\nlayers: [relu]\n", r"invalid YAML value '9{40}…' \(5000 characters\)"),
        ("a: " + "[" * 3000 + "]" * 3000 + "\n", "nested too deeply"),
        ("params: {c: 2}\ninput: 8x8x3\nlayers:\n  - conv: {filters: 'c**99', kernel: 1}\n", "exponents"),
    ):
        path = tmp_path / "hostile.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(SpecError, match=message):
            cnncalc.load(path)


def test_limits_are_adjustable_from_the_environment():
    import os

    from cnncalc.limits import Limits

    os.environ["CNNCALC_MAX_REPEAT"] = "5"
    try:
        assert Limits.from_env().max_repeat == 5
    finally:
        del os.environ["CNNCALC_MAX_REPEAT"]


def test_fifty_megabyte_inputs_are_refused_at_once(tmp_path):
    import pytest

    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:  # 50 MB of a valid-looking spec, written without holding it in memory
        handle.write(b"input: 8x8x3\nlayers:\n")
        line = b"  - relu\n"
        handle.write(line * (50_000_000 // len(line)))
    with pytest.raises(SpecError, match=r"big.yaml is 5\d{7} bytes, over the limit of 2097152"):
        cnncalc.load(big)
    chain = "INPUT(8x8x3)" + " → RELU" * 7_000_000
    with pytest.raises(SpecError, match="exceeds the limit of 2097152"):
        cnncalc.load(chain)
    TRIED["count"] += 2


def test_searches_and_worked_examples_are_bounded(run_cli):
    code, _, err = run_cli("solve", "map", "-W", "100", "--to", "7", "--max-kernel", "100000", "--max-stride", "1000")
    assert code == 2
    assert "covers 400,000,000 (kernel, stride, padding) combinations, over the limit of 1,000,000" in err
    matrix = "; ".join(" ".join(str((i * j) % 7) for j in range(20)) for i in range(20))
    code, out, _ = run_cli("conv", "--input", matrix, "--kernel", "1 0; 0 1", "--explain")
    assert code == 0
    worked = [line for line in out.splitlines() if line.startswith("out[")]
    assert len(worked) == 100  # 19×19 = 361 outputs, the working of the first 100
    assert "working shown for the first 100 of 361 outputs" in out
    code, _, err = run_cli("pool", "--input", "1 " * 600_000, "--kernel", "2")
    assert code == 2 and "over the limit of 1,000,000 for a worked example" in err


def test_a_forced_run_that_cannot_fit_in_memory_is_a_clear_error(run_cli):
    code, _, err = run_cli("run", "lenet5", "--batch", "10000000000", "--force")
    assert code == 2 and "the run ran out of memory (batch 10000000000)" in err


def test_an_alias_is_converted_once_and_shared_yet_nesting_stays_bounded(tmp_path):
    """An alias names a node: a million references to it are one object (PyYAML's own behaviour),
    and an alias that puts a deep node deeper still meets the nesting limit."""
    from cnncalc.spec.files import parse_document

    text = "unit: &u {conv: [4, 3]}\nlayers: [*u, *u, *u]\nfan: &f [*u, *u]\nmore: [*f, *f, *f]\n"
    document = parse_document(text, "shared.yaml")
    assert document["layers"][0] is document["layers"][2] is document["unit"]
    assert document["more"][0] is document["fan"]
    chain = ["x0: &x0 [1]"] + [f"x{i}: &x{i} [*x{i - 1}]" for i in range(1, 150)]
    (tmp_path / "deep.yaml").write_text("\n".join([*chain, "input: 8x8x3", "layers: [relu]"]), encoding="utf-8")
    with pytest.raises(SpecError, match="YAML nested deeper than 100 levels"):
        cnncalc.load(tmp_path / "deep.yaml")
