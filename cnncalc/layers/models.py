"""The pydantic model of each layer kind, built on first use: the judge of every argument the fast
check in `arguments` does not accept, the author of the error messages, and the JSON Schema.

Imported only when needed, so the common path of the command line never loads pydantic.
"""

import types
import typing
from collections.abc import Mapping
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError, create_model

from cnncalc.i18n import N_, _
from cnncalc.layers.arguments import split_annotation
from cnncalc.layers.base import Layer
from cnncalc.pydantic_messages import pydantic_message
from cnncalc.shown import quote

_EXPECTED = {
    "kernel": N_("{field} must be a positive integer, or one per axis like 1x7, got {value}"),
    "stride": N_("{field} must be a positive integer, or one per axis like 2x1, got {value}"),
    "dilation": N_(
        "{field} must be a positive integer (1 = no dilation; some texts write that as 0), or one per axis, got {value}"
    ),
    "padding": N_(
        "{field} must be a non-negative integer, one per axis like 1x2, (begin, end) pairs like "
        "((0,1),(0,1)), or 'same', 'valid' or 'full', got {value}"
    ),
    "shape": N_("{field} must be positive sizes like 32x32x3, got {value}"),
    "output_size": N_("{field} must be a positive integer, or one per axis, got {value}"),
    "scale": N_("{field} must be a positive integer, or one per axis, got {value}"),
}


def pydantic_type(annotation: Any) -> Any:
    """Our declared type as pydantic spells it: strict ints and booleans, finite floats."""
    base, bounds = split_annotation(annotation)
    limits = {k: v for k, v in vars(bounds).items() if v is not None}
    origin = typing.get_origin(base)
    if base is int or base is bool:
        return Annotated[base, Strict(), Field(**limits)]
    if base is float:
        return Annotated[float, Field(allow_inf_nan=False, **limits)]
    if origin is tuple:
        items = typing.get_args(base)
        if len(items) == 2 and items[1] is Ellipsis:
            # GenericAlias is what `tuple[X, ...]` evaluates to; the call spells it for a computed X.
            return Annotated[types.GenericAlias(tuple, (pydantic_type(items[0]), ...)), Field(**limits)]
        return types.GenericAlias(tuple, tuple(pydantic_type(item) for item in items))
    if origin is typing.Union or origin is types.UnionType:
        options = tuple(pydantic_type(option) for option in typing.get_args(base))
        return typing.Union[options]  # noqa: UP007 - built from a tuple of types
    return base


@cache
def pydantic_model(cls: type[Layer]) -> type[BaseModel]:
    """A frozen pydantic model with the kind's arguments, its name and its docstring."""
    # (type, default) per field; typed Any because mypy matches a `**dict` against every keyword
    # of create_model, `__config__` and `__doc__` included, not only the field definitions.
    fields: dict[str, Any] = {
        name: (pydantic_type(argument.annotation), ... if argument.required else argument.default)
        for name, argument in cls.arguments.items()
    }
    return create_model(
        cls.__name__,
        __config__=ConfigDict(frozen=True, extra="forbid"),
        __doc__=cls.__doc__,
        __module__=cls.__module__,
        **fields,
    )


def validate_with_pydantic(cls: type[Layer], given: Mapping[str, object], spelling: str) -> dict[str, object]:
    """The values pydantic accepts, or ValueError with one readable sentence per problem."""
    try:
        # mypy takes a class for unhashable (python/mypy#20409), hence the ignore on cached calls.
        model = pydantic_model(cls).model_validate(dict(given))  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ValueError(describe_errors(cls, spelling, exc, given)) from None
    return {name: getattr(model, name) for name in cls.arguments}


def json_schema(cls: type[Layer]) -> dict[str, Any]:
    return pydantic_model(cls).model_json_schema()  # type: ignore[arg-type]  # python/mypy#20409


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
    parts = [_("{layer} needs {names}").format(layer=spelling, names=_and_list(needed))] if needed else []
    seen = set(missing)
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        if field in seen:
            continue
        seen.add(field)
        if error["type"] == "extra_forbidden":
            parts.append(_unknown_argument(cls, spelling, field))
        else:
            value = given[field] if given and field in given else error["input"]
            shown = _shown(value)
            if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
                shown += _("; write {whole}, without a decimal point or exponent").format(whole=int(value))
            template = _EXPECTED.get(field)
            parts.append(
                _(template).format(field=field, value=shown)
                if template
                else _("{field}: {problem} (got {value})").format(
                    field=field, problem=pydantic_message(error), value=shown
                )
            )
    return "; ".join(parts)


def _shown(value: object) -> str:
    if isinstance(value, tuple) and value and all(isinstance(v, int) for v in value):
        return quote("x".join(str(v) for v in value)).strip("'")
    return quote(value)


@cache
def _argument_meanings() -> Mapping[str, str]:
    """What some kind calls each argument spelling: paso → stride, p → padding, filtros → filters."""
    from cnncalc.layers import registry

    meanings: dict[str, str] = {}
    for kind in registry().values():
        meanings.update({field: field for field in kind.arguments})
        meanings.update({alias: field for alias, field in kind.arg_aliases.items() if alias not in meanings})
    return meanings


def _closest(cls: type[Layer], name: str) -> str | None:
    """The argument a misspelt `name` was meant to be (its field)."""
    spelling = _closest_spelling(cls, name)
    return cls.arg_aliases.get(spelling, spelling) if spelling else None


def _closest_spelling(cls: type[Layer], name: str) -> str | None:
    """The spelling a misspelt `name` was meant to be, in the words typed: relleo → relleno, pading → padding."""
    from cnncalc.errors import closest

    meaning = _argument_meanings().get(name)
    if meaning is not None:  # a known word (paso is the stride): never a look-alike (padding) instead
        return meaning if meaning in cls.arguments else None
    close = closest(name, sorted(set(cls.arguments) | set(cls.arg_aliases)), cutoff=0.5)
    return close[0] if close else None


def _unknown_argument(cls: type[Layer], spelling: str, name: str) -> str:
    close = _closest_spelling(cls, name)
    if close:
        return _("{layer} has no argument {name!r} (did you mean {close!r}?)").format(
            layer=spelling, name=name, close=close
        )
    meaning = _argument_meanings().get(name)
    means = _("{name!r} means {meaning}; ").format(name=name, meaning=meaning) if meaning and meaning != name else ""
    if not cls.arguments:
        return _("{layer} has no argument {name!r} ({means}it takes none)").format(
            layer=spelling, name=name, means=means
        )
    return _("{layer} has no argument {name!r} ({means}it takes {names})").format(
        layer=spelling, name=name, means=means, names=", ".join(sorted(cls.arguments))
    )


def _and_list(names: list[str]) -> str:
    quoted = [repr(n) for n in names]
    return (
        quoted[0] if len(quoted) == 1 else _("{names} and {last}").format(names=", ".join(quoted[:-1]), last=quoted[-1])
    )
