"""Turn a layer call (spelling + arguments) into a validated layer config, with clear messages."""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from pydantic import ValidationError

from cnncalc.errors import Location, ValidationSpecError
from cnncalc.layers import Layer, lookup, suggest_kind
from cnncalc.spec.calls import LayerCall

_EXPECTED = {
    "kernel": "a positive integer, or one per axis like 1x7",
    "stride": "a positive integer, or one per axis like 2x1",
    "dilation": "a positive integer, or one per axis",
    "padding": "a non-negative integer, one per axis like 1x2, (begin, end) pairs like "
    "((0,1),(0,1)), or 'same', 'valid' or 'full'",
    "shape": "positive sizes like 32x32x3",
    "output_size": "a positive integer, or one per axis",
    "scale": "a positive integer, or one per axis",
}


def unknown_kind_error(spelling: str, location: Location) -> ValidationSpecError:
    suggestion = suggest_kind(spelling)
    hint = f"did you mean {suggestion.upper()}?" if suggestion else "run `cnncalc layers` for the list"
    return ValidationSpecError(f"unknown layer {spelling!r}", location=location, hint=hint)


def arguments_of(cls: type[Layer], call: LayerCall, implied: Mapping[str, object]) -> dict[str, object]:
    """Map positional arguments and aliases onto the kind's field names."""
    args: dict[str, object] = dict(implied)
    if len(call.positional) > len(cls.positional):
        names = ", ".join(cls.positional) or "none"
        raise ValidationSpecError(
            f"{call.spelling} takes {len(cls.positional)} positional argument(s) ({names}) "
            f"but {len(call.positional)} were given",
            location=call.location,
            hint=f"e.g. {cls.example}" if cls.example else None,
        )
    for name, value in zip(cls.positional, call.positional, strict=False):
        args[name] = value
    for key, value in call.keywords:
        field = cls.arg_aliases.get(key.lower(), key.lower())
        if field in args and field not in implied:
            raise ValidationSpecError(
                f"{call.spelling} gets {field!r} twice",
                location=call.location,
                hint="give each argument once, either by position or by name",
            )
        args[field] = value
    return args


def build_layer(call: LayerCall) -> Layer:
    """Validate one call into a frozen layer config, or raise one error listing every problem."""
    found = lookup(call.spelling)
    if found is None:
        raise unknown_kind_error(call.spelling, call.location)
    cls, implied = found
    args = arguments_of(cls, call, implied)
    try:
        return cls.model_validate(args)
    except ValidationError as exc:
        raise ValidationSpecError(
            describe_errors(cls, call.spelling, exc, args),
            location=call.location,
            hint=f"e.g. {cls.example}" if cls.example else None,
        ) from None


def missing_fields(cls: type[Layer], exc: ValidationError) -> list[str]:
    """Missing arguments, in the order they are written positionally."""
    missing = [str(e["loc"][0]) for e in exc.errors() if e["type"] == "missing"]
    order = {name: i for i, name in enumerate(cls.positional)}
    return sorted(missing, key=lambda name: order.get(name, len(order)))


def describe_errors(
    cls: type[Layer], spelling: str, exc: ValidationError, given: Mapping[str, object] | None = None
) -> str:
    """One readable sentence per field: missing, unknown (with suggestion) or invalid.

    An invalid element of a tuple is shown with the whole value the user wrote (`8x0x3`, not `0`).
    """
    missing = missing_fields(cls, exc)
    unknown = [str(e["loc"][0]) for e in exc.errors() if e["type"] == "extra_forbidden"]
    # A misspelt argument also shows up as missing; the suggestion for it says enough.
    suggested = {_closest(cls, name) for name in unknown}
    needed = [name for name in missing if name not in suggested]
    parts = [f"{spelling} needs {_and_list(needed)}"] if needed else []
    seen = set(missing)
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        if field in seen:
            continue
        seen.add(field)
        if error["type"] == "extra_forbidden":
            parts.append(_unknown_argument(cls, spelling, field))
        else:
            expected = _EXPECTED.get(field) or error["msg"].lower()
            value = given[field] if given and field in given else error["input"]
            shown = _shown(value)
            if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
                shown += f"; write {int(value)}, without a decimal point or exponent"
            parts.append(
                f"{field} must be {expected}, got {shown}"
                if field in _EXPECTED
                else f"{field}: {expected} (got {shown})"
            )
    return "; ".join(parts)


def _shown(value: object) -> str:
    if isinstance(value, tuple) and value and all(isinstance(v, int) for v in value):
        return "x".join(str(v) for v in value)
    return repr(value)


def _closest(cls: type[Layer], name: str) -> str | None:
    known = sorted(set(cls.model_fields) | set(cls.arg_aliases))
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    return cls.arg_aliases.get(close[0], close[0]) if close else None


def _unknown_argument(cls: type[Layer], spelling: str, name: str) -> str:
    close = _closest(cls, name)
    text = f"{spelling} has no argument {name!r}"
    if close:
        return f"{text} (did you mean {close!r}?)"
    return f"{text} (it takes {', '.join(sorted(cls.model_fields))})"


def _and_list(names: list[str]) -> str:
    quoted = [repr(n) for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
