"""A block parameter's default may be an expression over the parameters declared before it
(`bottleneck(out, mid = out // 4)`); a default that names a later one (or itself) is one clear error
naming the block and the parameter. Expected counts are hand arithmetic written here."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from tests_support import assert_one_message

import cnncalc


def spec(params: dict, calls: list[dict], top: dict | None = None) -> dict:
    layers = [{"name": "reduce", "conv": {"filters": "mid", "kernel": 1}}, {"name": "expand", "conv": {"filters": "out", "kernel": 1}}]  # fmt: skip
    return {
        "name": "t", "input": "8x8x16", "params": top or {},
        "blocks": {"bottleneck": {"params": params, "layers": layers}},
        "layers": [{"block": "bottleneck", "name": f"b{n}", **call} for n, call in enumerate(calls)],
    }  # fmt: skip


def test_a_default_computed_from_an_earlier_parameter():
    net = cnncalc.load(spec({"out": None, "mid": "out // 4"}, [{"out": 32}, {"out": 64, "mid": 8}]))
    assert net.shape("b0.reduce") == (8, 8, 8)  # 32 // 4
    assert net.shape("b1.reduce") == (8, 8, 8)  # given
    # b0: 16·8 + 8 = 136 and 8·32 + 32 = 288; b1: 32·8 + 8 = 264 and 8·64 + 64 = 576
    assert net.summary().totals.params == 136 + 288 + 264 + 576


def test_a_default_may_use_the_spec_parameters_and_the_repetition_index():
    document = spec({"out": None, "mid": "max(out // 4, width) + i"}, [{"out": 32, "repeat": 2}], top={"width": 10})
    net = cnncalc.load(document)
    assert [net.shape(f"b0.{rep}.reduce")[-1] for rep in (0, 1)] == [10, 11]


@pytest.mark.parametrize(
    ("params", "named", "hint"),
    [
        ({"mid": "out // 4", "out": None}, "'out'", "declare 'out' before 'mid'"),
        ({"out": None, "mid": "mid + 1"}, "'mid'", "earlier parameters (out)"),
        ({"mid": ["out", 2], "out": 8}, "'out'", "declare 'out' before 'mid'"),
    ],
    ids=("later", "itself", "in_a_list"),
)
def test_a_default_naming_a_later_parameter_is_refused_by_name(tmp_path, run_cli, params, named, hint):
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec(params, [{"out": 32}]), sort_keys=False), encoding="utf-8")
    assert_one_message(run_cli, path, "block 'bottleneck': the default of 'mid' refers to " + named, hint)


def test_a_later_parameter_is_not_read_from_the_caller_either(tmp_path, run_cli):
    """The spec's own `out` must not stand in for the block's later one: that would be silently wrong."""
    path = tmp_path / "spec.yaml"
    path.write_text(
        yaml.safe_dump(spec({"mid": "out // 4", "out": None}, [{"out": 32}], top={"out": 400}), sort_keys=False)
    )
    assert_one_message(run_cli, path, "the default of 'mid' refers to 'out', which is not declared before it")


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 8), st.lists(st.integers(0, 5), min_size=1, max_size=6))
def test_a_chain_of_defaults_adds_up(first, steps):
    """p1 = p0 + s1, p2 = p1 + s2, …: the last is p0 plus every step, whatever their number."""
    names = [f"p{k}" for k in range(len(steps) + 1)]
    params = {names[0]: None, **{names[k + 1]: f"{names[k]} + {s}" for k, s in enumerate(steps)}}
    document = {
        "input": "4x4x2",
        "blocks": {"b": {"params": params, "layers": [{"name": "c", "conv": {"filters": names[-1], "kernel": 1}}]}},
        "layers": [{"block": "b", "name": "x", names[0]: first}],
    }
    assert cnncalc.load(document).shape("x.c") == (4, 4, first + sum(steps))
