"""pydantic's English validation messages are rebuilt from its error types, in the active language.

Every error type cnncalc's own models can raise (each layer kind's arguments, the spec file's top
level and its blocks) is made here by feeding them wrong values, and must have an entry in
cnncalc.pydantic_messages; a type without one would reach a Spanish reader in English.
"""

from __future__ import annotations

import math

import pytest

from cnncalc.i18n import language
from cnncalc.pydantic_messages import MESSAGES, pydantic_message

pydantic = pytest.importorskip("pydantic")

WRONG_VALUES = ["x", "", 1.5, 2.0, -1, 0, 10**40, "9" * 5000, [1], (), (0,), (1, 2, 3, 4, 5), ((1, 2, 3),), ("a", "b"),
                (1.5,), None, math.nan, math.inf, True, {"a": 1}]  # fmt: skip
WRONG_DOCUMENTS = [
    {},
    {"layers": []},
    {"layers": "x"},
    {"layers": [1], "name": 3},
    {"layers": [1], "params": [1]},
    {"layers": [1], "params": {"a": {"b": 1}}},
    {"layers": [1], "blocks": 3},
    {"layers": [1], "blocks": {"b": {}}},
    {"layers": [1], "blocks": {"b": {"layers": [1], "extra": 1}}},
    {"layers": [1], "blocks": {"b": {"layers": [1], "inputs": []}}},
    {"layers": [1], "outputs": "a"},
    {"layers": [1], "outputs": [1]},
    {"layers": [1], "lint": 3},
    {"layers": [1], "input": 3},
    {"layers": [1], "extra": 3},
]
SIZED = {"too_short", "too_long"}  # built with ngettext, not from the table


def raised_errors() -> list[dict]:
    """Every error pydantic raises for the wrong values above, in each model cnncalc validates with."""
    from cnncalc.layers import registry
    from cnncalc.layers.models import pydantic_model
    from cnncalc.spec.model import SpecFile

    errors = []
    for cls in registry().values():
        model = pydantic_model(cls)
        tries = [{name: value} for name in cls.arguments for value in WRONG_VALUES] + [{"not_an_argument": 1}]
        for given in tries:
            try:
                model.model_validate(given)
            except pydantic.ValidationError as exc:
                errors += exc.errors()
    adapter = pydantic.TypeAdapter(SpecFile)
    for document in WRONG_DOCUMENTS:
        try:
            adapter.validate_python(document)
        except pydantic.ValidationError as exc:
            errors += exc.errors()
    return errors


def test_every_error_type_cnncalc_models_raise_has_a_message():
    errors = raised_errors()
    types = {error["type"] for error in errors}
    assert {"missing", "extra_forbidden", "int_type", "greater_than", "too_short", "literal_error"} <= types
    untranslated = sorted(types - set(MESSAGES) - SIZED)
    assert not untranslated, f"pydantic error types without a message in cnncalc/pydantic_messages.py: {untranslated}"
    with language("es"):  # and each one is rebuilt in Spanish, not left as pydantic's English
        english_left = [e["type"] for e in errors if pydantic_message(e).lower() == str(e["msg"]).lower()]
    assert not english_left, sorted(set(english_left))


def test_the_english_follows_pydantic_and_the_spanish_the_notes():
    error = {"type": "greater_than", "loc": ("stride",), "msg": "Input should be greater than 0", "ctx": {"gt": 0}}
    assert pydantic_message(error) == "input should be greater than 0"
    with language("es"):
        assert pydantic_message(error) == "debe ser mayor que 0"
        short = {"type": "too_short", "msg": "", "ctx": {"field_type": "List", "min_length": 1, "actual_length": 0}}
        assert pydantic_message(short) == "una lista debería tener al menos 1 elemento, no 0"
        bound = {"type": "less_than_equal", "msg": "", "ctx": {"le": 0.5}}
        assert pydantic_message(bound) == "debe ser menor o igual que 0,5"  # a decimal comma, as Spanish writes it
        literal = {"type": "literal_error", "msg": "", "ctx": {"expected": "'same', 'valid' or 'full'"}}
        assert pydantic_message(literal) == "debe ser 'same', 'valid' o 'full'"


def test_a_type_without_a_message_keeps_pydantics_text():
    error = {"type": "a_type_pydantic_adds_later", "msg": "Input should be something new", "ctx": {}}
    with language("es"):
        assert pydantic_message(error) == "input should be something new"
    odd_context = {"type": "greater_than", "msg": "Input should be greater than 0", "ctx": {"bound": 0}}
    assert pydantic_message(odd_context) == "input should be greater than 0"  # a ctx named otherwise: no KeyError
