"""A layer kind's arguments: their declared types, and a fast check that needs no pydantic.

Kinds declare arguments as annotated class attributes (`filters: PosInt`, `bias: bool = True`).
Almost every spec writes well-typed values, which a few `type(...) is` tests accept, so the command
line never imports pydantic on the way to an answer. Anything the fast check does not accept
outright — a wrong type, a value out of bounds, an unknown or missing argument, or a value pydantic
would coerce (`True` for 1, `2.0` for 2) — goes to the pydantic model of the kind
(`cnncalc.layers.models`), built on first use, which decides and words the message. The fast check
therefore only ever accepts a subset of what pydantic accepts, with the same result
(tests/test_layer_arguments.py checks this with hypothesis).

Integers and booleans are strict (`True` is not 1, `2.0` is not 2); floats are finite.
"""

from __future__ import annotations  # Layer is imported for annotations only: base imports this module

import math
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

if TYPE_CHECKING:
    from cnncalc.layers.base import Layer

MISSING: Any = object()  # the default of a required argument


@dataclass(frozen=True)
class Bounds:
    """Limits on a number (gt, ge, lt, le) or on a tuple's length (min_length)."""

    gt: float | None = None
    ge: float | None = None
    lt: float | None = None
    le: float | None = None
    min_length: int | None = None

    def admits(self, value: float) -> bool:
        return (
            (self.gt is None or value > self.gt)
            and (self.ge is None or value >= self.ge)
            and (self.lt is None or value < self.lt)
            and (self.le is None or value <= self.le)
        )


@dataclass(frozen=True)
class Argument:
    """One declared argument of a layer kind."""

    name: str
    annotation: Any
    default: Any = MISSING

    @property
    def required(self) -> bool:
        return self.default is MISSING


class Rejected(Exception):
    """The fast check does not accept a value; pydantic decides instead."""


Check = Callable[[object], object]


def _reject(value: object) -> object:
    raise Rejected


def _strict_int(bounds: Bounds) -> Check:
    def check(value: object) -> object:
        if type(value) is int and bounds.admits(value):
            return value
        raise Rejected

    return check


def _strict_bool(value: object) -> object:
    if type(value) is bool:
        return value
    raise Rejected


def _finite_float(bounds: Bounds) -> Check:
    def check(value: object) -> object:
        # pydantic turns an int into a float; beyond 2**53 the conversion is its business.
        if type(value) is int and abs(value) <= 2**53:
            value = float(value)
        if type(value) is float and math.isfinite(value) and bounds.admits(value):
            return value
        raise Rejected

    return check


def _literal(options: tuple[object, ...]) -> Check:
    def check(value: object) -> object:
        if any(type(value) is type(option) and value == option for option in options):
            return value
        raise Rejected

    return check


def _tuple_of(item: Check, bounds: Bounds) -> Check:
    def check(value: object) -> object:
        if type(value) is not tuple and type(value) is not list:
            raise Rejected
        if bounds.min_length is not None and len(value) < bounds.min_length:
            raise Rejected
        return tuple(item(v) for v in value)

    return check


def _fixed_tuple(items: tuple[Check, ...]) -> Check:
    def check(value: object) -> object:
        if (type(value) is not tuple and type(value) is not list) or len(value) != len(items):
            raise Rejected
        return tuple(item(v) for item, v in zip(items, value, strict=True))

    return check


def _union(options: tuple[Check, ...]) -> Check:
    def check(value: object) -> object:
        for option in options:
            try:
                return option(value)
            except Rejected:
                continue
        raise Rejected

    return check


def _none(value: object) -> object:
    if value is None:
        return None
    raise Rejected


def split_annotation(annotation: Any) -> tuple[Any, Bounds]:
    """`Annotated[int, Bounds(gt=0)]` → (int, Bounds(gt=0)); anything else → (it, no bounds)."""
    if typing.get_origin(annotation) is Annotated:
        base, *extras = typing.get_args(annotation)
        bounds = next((e for e in extras if isinstance(e, Bounds)), Bounds())
        return base, bounds
    return annotation, Bounds()


@cache
def checker(annotation: Any) -> Check:
    """The fast check of one declared type."""
    base, bounds = split_annotation(annotation)
    origin = typing.get_origin(base)
    if base is int:
        return _strict_int(bounds)
    if base is bool:
        return _strict_bool
    if base is float:
        return _finite_float(bounds)
    if base is None or base is type(None):
        return _none
    if origin is Literal:
        return _literal(typing.get_args(base))
    if origin is tuple:
        items = typing.get_args(base)
        if len(items) == 2 and items[1] is Ellipsis:
            return _tuple_of(checker(items[0]), bounds)
        return _fixed_tuple(tuple(checker(item) for item in items))
    if origin is Union or origin is types.UnionType:
        return _union(tuple(checker(option) for option in typing.get_args(base)))
    return _reject


def declared_arguments(cls: type) -> dict[str, Argument]:
    """Every argument a class declares or inherits, in declaration order (bases first)."""
    found: dict[str, Argument] = {}
    for klass in reversed(cls.__mro__):
        for name, annotation in vars(klass).get("__annotations__", {}).items():
            if typing.get_origin(annotation) is typing.ClassVar or annotation is typing.ClassVar:
                continue
            found[name] = Argument(name, annotation, getattr(cls, name, MISSING))
    return found


@cache
def argument_checks(kind: type[Layer]) -> tuple[tuple[str, Check, Any], ...]:
    """(name, check, default) per argument of a layer kind, built once per kind."""
    return tuple((a.name, checker(a.annotation), a.default) for a in kind.arguments.values())


def fast_check(kind: type[Layer], given: Mapping[str, object]) -> dict[str, object]:
    """The validated values of a layer kind's arguments, or Rejected when pydantic must decide."""
    if not given.keys() <= kind.arguments.keys():
        raise Rejected
    values: dict[str, object] = {}
    # mypy takes a class for unhashable (python/mypy#20409), hence the ignore on the cached call.
    for name, check, default in argument_checks(kind):  # type: ignore[arg-type]
        if name in given:
            values[name] = check(given[name])
        elif default is MISSING:
            raise Rejected
        else:
            values[name] = default
    return values
