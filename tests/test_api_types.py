"""Wrong-type arguments to the public Python API: a SpecError naming the argument, never a bare
TypeError, ValueError or ZeroDivisionError from deep inside.

The cases are generated from the signatures of everything `cnncalc.__all__` exports (and the
methods of a loaded Network): every parameter gets every hostile value in turn, the others
keeping a valid value.
"""

from __future__ import annotations

import inspect
import math

import pytest

import cnncalc
from cnncalc import SpecError

NET = cnncalc.load("INPUT(8x8x3) → CONV(4, 3) → RELU → FC(2)")
HOSTILE = {
    "None": None,
    "text": "abc",
    "negative": -1,
    "zero": 0,
    "nan": math.nan,
    "infinity": math.inf,
    "bool": True,
    "huge": 10**400,
    "list": [1, 2],
    "dict": {"a": 1},
    "float": 1.5,
    "object": object(),
}
# A valid call of each function: the parameters not under test keep these values.
VALID: dict[str, dict[str, object]] = {
    "out_size": {"W": 32, "F": 3},
    "keep_size_padding": {"W": 32, "F": 3},
    "mappings": {"W": 32, "target": 16},
    "convolve": {"x": [[1, 2, 3], [4, 5, 6], [7, 8, 9]], "k": [[1, 0], [0, 1]]},
    "pool": {"x": [[1, 2], [3, 4]], "kernel": 2},
    "load": {"spec": "INPUT(8x8x3) → RELU"},
    "Network.shape": {"layer": "conv_1"},
    "Network.summary": {},
    "Network.explain": {},
    "Network.receptive_field": {},
    "Network.lint": {},
    "Network.run": {},
    "Network.memory": {},
    "Network.count": {},
    "Network.symbolic": {},
    "Network.scale": {"sizes": [8, 16]},
    "Network.diff": {"other": NET},
    "Network.unit_window": {"layer": "conv_1", "units": (0, 0)},
    "Network.report": {},
}
SKIPPED_PARAMETERS = {"progress"}  # a callback: any object is passed through to be called


def target(name: str):
    return getattr(NET, name.split(".", 1)[1]) if name.startswith("Network.") else getattr(cnncalc, name)


def cases() -> list[tuple[str, str, str]]:
    found = []
    for name in VALID:
        for parameter in inspect.signature(target(name)).parameters.values():
            if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                continue
            if parameter.name in SKIPPED_PARAMETERS:
                continue
            found += [(name, parameter.name, label) for label in HOSTILE]
    return found


CASES = cases()


def test_every_exported_function_is_covered():
    exported = {name for name in cnncalc.__all__ if inspect.isfunction(getattr(cnncalc, name))}
    assert exported <= set(VALID)
    methods = {f"Network.{n}" for n, m in inspect.getmembers(NET, inspect.ismethod) if not n.startswith("_")}
    with_arguments = {m for m in methods if len(inspect.signature(target(m)).parameters) > 0}
    assert with_arguments <= set(VALID)
    assert len(CASES) >= 200


@pytest.mark.parametrize(("function", "parameter", "label"), CASES)
def test_a_hostile_argument_is_accepted_or_refused_by_name(function: str, parameter: str, label: str) -> None:
    arguments = {**VALID[function], parameter: HOSTILE[label]}
    try:
        target(function)(**arguments)
    except SpecError as error:
        if error.code == "argument":  # refused by type or range: the message names the argument
            assert f"argument {parameter!r}" in error.message
    # anything else (TypeError, ValueError, ZeroDivisionError, OverflowError…) fails the test


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: cnncalc.out_size("a", 3), "out_size(): argument 'W' must be an integer"),
        (lambda: cnncalc.out_size(32, 3, S=0), "out_size(): argument 'S' must be at least 1, got 0"),
        (lambda: cnncalc.out_size(32, 3, P=10**400), "argument 'P' must be an integer"),
        (lambda: cnncalc.keep_size_padding(32, None), "keep_size_padding(): argument 'F' must be an integer"),
        (lambda: cnncalc.pool([[1, 2], [3, 4]], 2, stride=0), "pool(): argument 'stride' must be at least 1"),
        (lambda: cnncalc.convolve("abc", [[1]]), "convolve(): argument 'x' must be a list of numbers"),
        (lambda: NET.scale(5), "scale(): argument 'sizes' must be a list or tuple of integers, got 5 (int)"),
        (lambda: NET.shape(None), "shape(): argument 'layer' must be text, got None"),
        (lambda: NET.run(seed=-1), "run(): argument 'seed' must be at least 0, got -1"),
        (lambda: NET.run(batch=1.5), "run(): argument 'batch' must be an integer"),
        (lambda: NET.summary(dtype=["float32"]), "summary(): argument 'dtype' must be text"),
        (lambda: NET.unit_window("conv_1", 3), "unit_window(): argument 'units' must be a list or tuple"),
        (lambda: cnncalc.load(None), "load(): argument 'spec' must be"),
        (lambda: cnncalc.load("INPUT(8x8x3) → RELU", limits=5), "argument 'limits' must be a cnncalc.limits.Limits"),
        (lambda: NET.diff("vgg16"), "diff(): argument 'other' must be a cnncalc Network"),
        (lambda: cnncalc.out_size(32), "out_size(): missing a required argument: 'F'"),
    ],
)
def test_named_refusals(call, message: str) -> None:
    with pytest.raises(SpecError) as caught:
        call()
    assert message in caught.value.message
