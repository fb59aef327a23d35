"""The quick checks that spare the command line from importing pydantic accept only what pydantic
accepts, with the same values: for every layer kind's arguments and for the spec file's top level.
"""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests_support import imported_after

from cnncalc.errors import SpecError
from cnncalc.layers import registry
from cnncalc.layers.arguments import Rejected, fast_check
from cnncalc.layers.models import validate_with_pydantic
from cnncalc.spec.file_check import quick_spec_file

SCALARS = st.one_of(
    st.integers(-3, 12),
    st.sampled_from([0, 1, 2, 3, 2**60, -(2**60), True, False]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.5, 2.0, 1e-5, 0.1, 0.99, 1.0]),
    st.sampled_from(["same", "valid", "full", "zeros", "reflect", "nearest", "bilinear", "x", ""]),
    st.none(),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner), max_leaves=8)
KINDS = sorted(registry())


def _typed(value: object) -> object:
    """A value with its types spelled out, so that 3 and 3.0 (and True and 1) differ."""
    if isinstance(value, tuple | list):
        return (type(value).__name__, tuple(_typed(v) for v in value))
    if isinstance(value, dict):  # the same entries, in whatever order
        return tuple(sorted(((str(k), _typed(v)) for k, v in value.items()), key=lambda item: item[0]))
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)
    return (type(value).__name__, value)


@st.composite
def layer_arguments(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    kind = draw(st.sampled_from(KINDS))
    names = sorted(registry()[kind].arguments)
    chosen = draw(st.lists(st.sampled_from([*names, "kernal"]) if names else st.just("kernal"), unique=True))
    return kind, {name: draw(VALUES) for name in chosen}


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layer_arguments())
def test_the_quick_layer_check_accepts_only_what_pydantic_accepts_with_equal_values(case) -> None:
    kind, given_args = case
    cls = registry()[kind]
    prepared = cls.prepare_arguments(given_args)
    try:
        quick = fast_check(cls, prepared)
    except Rejected:
        quick = None
    try:
        judged = validate_with_pydantic(cls, prepared, kind.upper())
    except ValueError:
        judged = None
    if quick is not None:
        assert judged is not None, (kind, given_args)
        assert _typed(quick) == _typed(judged), (kind, given_args)


def test_the_quick_layer_check_accepts_the_usual_spellings() -> None:
    cls = registry()["conv"]
    assert fast_check(cls, {"filters": 64, "kernel": [1, 7], "padding": [[0, 1], [2, 3]]}) is not None
    assert fast_check(registry()["batch_norm"], {"epsilon": 1e-3, "momentum": 0}) is not None


TEXT = st.one_of(st.none(), st.text(max_size=3), st.integers(0, 2))
NAMES = st.lists(st.sampled_from(["x", "y"]), max_size=2) | st.none() | st.just("x")
LAYERS = st.lists(VALUES, max_size=3) | st.just([]) | st.just("RELU")
PARAMS = st.dictionaries(st.sampled_from(["a", "b", 1]), VALUES, max_size=3) | VALUES
BLOCK = (
    st.fixed_dictionaries(
        {"layers": LAYERS},
        optional={"description": TEXT, "params": PARAMS, "inputs": NAMES, "output": TEXT, "extra": VALUES},
    )
    | VALUES
)
DOCUMENT = st.fixed_dictionaries(
    {"layers": LAYERS},
    optional={
        "name": TEXT,
        "description": TEXT,
        "source": TEXT,
        "params": PARAMS,
        "input": st.one_of(st.just("8x8x3"), st.lists(VALUES, max_size=3), VALUES),
        "outputs": NAMES,
        "lint": st.dictionaries(st.sampled_from(["a", 1]), VALUES, max_size=2) | VALUES,
        "blocks": st.dictionaries(st.sampled_from(["b1", "b2", 3]), BLOCK, max_size=2) | VALUES,
        "x": VALUES,
    },
) | st.dictionaries(st.sampled_from(["name", "layers", "x"]), VALUES, max_size=3)


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(DOCUMENT)
def test_the_quick_file_check_accepts_only_what_pydantic_accepts_with_equal_values(document) -> None:
    from dataclasses import asdict

    from pydantic import TypeAdapter, ValidationError

    from cnncalc.spec.model import SpecFile

    quick = quick_spec_file(document)
    try:
        judged = asdict(TypeAdapter(SpecFile).validate_python(document))
    except ValidationError:
        judged = None
    if quick is not None:
        assert judged is not None, document
        assert _typed(asdict(quick)) == _typed(judged), document


def test_no_bundled_spec_file_loads_pydantic() -> None:
    """Spec files are read into located mappings and lists; the quick check must take them, or
    every command would pay pydantic's import (about 0.1 s, most of the start-up budget)."""
    code = (
        "import pathlib, cnncalc\n"
        "for path in sorted(pathlib.Path('specs').glob('*.yaml')): cnncalc.load(str(path)).summary()"
    )
    assert imported_after(code, ["pydantic"]) == []


def test_a_well_formed_spec_file_needs_no_pydantic() -> None:
    document = {"input": "8x8x3", "layers": ["CONV(4, 3)"], "blocks": {"b": {"layers": ["RELU"]}}}
    assert quick_spec_file(document) is not None


def test_direct_construction_validates_and_names_the_problem() -> None:
    conv = registry()["conv"]
    assert conv(filters=8, kernel=3).args() == {"filters": 8, "kernel": 3}
    try:
        conv(filters=0, kernel=3)
    except SpecError as exc:
        assert "filters" in exc.message and "greater than 0" in exc.message
    else:
        raise AssertionError("filters=0 was accepted")
