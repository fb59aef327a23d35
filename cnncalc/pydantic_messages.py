"""pydantic's validation messages in the language people read, by pydantic's stable error codes.

pydantic writes its messages in English only ("Input should be a valid integer"). Its error `type`
(missing, int_type, greater_than, …) and `ctx` (the bound, the expected literals) do not change
between versions, so the message is rebuilt here from them: one table, each entry a whole sentence
for the catalogue. A type without an entry keeps pydantic's own English text rather than fail;
tests/test_pydantic_messages.py makes every type cnncalc's models raise and requires an entry for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cnncalc.i18n import N_, _, ngettext, number

MESSAGES = {
    "missing": N_("field required"),
    "extra_forbidden": N_("extra inputs are not permitted"),
    "unexpected_keyword_argument": N_("unexpected keyword argument"),
    "int_type": N_("input should be a valid integer"),
    "int_parsing": N_("input should be a valid integer, unable to parse string as an integer"),
    "int_parsing_size": N_("unable to parse input string as an integer, exceeded maximum size"),
    "int_from_float": N_("input should be a valid integer, got a number with a fractional part"),
    "bool_type": N_("input should be a valid boolean"),
    "bool_parsing": N_("input should be a valid boolean, unable to interpret input"),
    "float_type": N_("input should be a valid number"),
    "float_parsing": N_("input should be a valid number, unable to parse string as a number"),
    "finite_number": N_("input should be a finite number"),
    "string_type": N_("input should be a valid string"),
    "list_type": N_("input should be a valid list"),
    "tuple_type": N_("input should be a valid tuple"),
    "dict_type": N_("input should be a valid dictionary"),
    "greater_than": N_("input should be greater than {gt}"),
    "greater_than_equal": N_("input should be greater than or equal to {ge}"),
    "less_than": N_("input should be less than {lt}"),
    "less_than_equal": N_("input should be less than or equal to {le}"),
    "literal_error": N_("input should be {expected}"),
}
CONTAINERS = {"Tuple": N_("a tuple"), "List": N_("a list"), "Dictionary": N_("a dictionary")}


def pydantic_message(error: Mapping[str, Any]) -> str:
    """One of pydantic's `ValidationError.errors()` as a sentence in the active language, lower case."""
    kind = str(error.get("type", ""))
    context = dict(error.get("ctx") or {})
    template = MESSAGES.get(kind)
    try:
        if kind in ("too_short", "too_long"):
            return _sized(kind, context)
        if template is not None:
            return _(template).format(**{key: _shown(value) for key, value in context.items()})
    except (KeyError, TypeError, ValueError):  # a ctx this pydantic version names otherwise: its own text
        pass
    return str(error.get("msg", kind)).lower()


def _sized(kind: str, context: Mapping[str, Any]) -> str:
    """too_short / too_long: how many items a tuple or list should have, and how many it has."""
    field = str(context["field_type"])
    container = CONTAINERS[field]  # KeyError for another container: pydantic's own text
    what = _(container)
    actual = number(int(context["actual_length"]))
    if kind == "too_short":
        least = int(context["min_length"])
        return ngettext(
            "{what} should have at least {count} item, not {actual}",
            "{what} should have at least {count} items, not {actual}",
            least,
        ).format(what=what, count=number(least), actual=actual)
    most = int(context["max_length"])
    return ngettext(
        "{what} should have at most {count} item, not {actual}",
        "{what} should have at most {count} items, not {actual}",
        most,
    ).format(what=what, count=number(most), actual=actual)


def _shown(value: object) -> str:
    """A bound as people write numbers (2.5 → 2,5 in Spanish); the literals' 'or' in the language."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return number(value, "g")
    return str(value).replace(" or ", _(" or "))
