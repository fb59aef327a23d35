"""The top level of a spec file checked without pydantic, for the common case that it is right.

The check is derived from the one declaration of the format, the dataclasses `SpecFile` and
`Block` in `spec/model.py`: their fields name the keys, their annotations the accepted values.
It returns None for anything it does not accept outright (a missing or unknown key, a value of an
unexpected type), and the loader then asks pydantic, which validates the same dataclasses and words
the message. It accepts only what pydantic accepts, with the same result (tests/test_layer_arguments.py
checks this with hypothesis).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from cnncalc.spec.model import MinItems, SpecFile

Check = Callable[[object], bool]
_NOTHING = object()


def _accepts(annotation: object) -> Check:
    """A predicate accepting exactly the values pydantic's reading of `annotation` keeps as they are:
    scalars of that very type, and lists and mappings (a spec file's located ones included)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if annotation is Any:
        return lambda value: True
    if annotation is type(None):
        return lambda value: value is None
    if annotation in (int, float, bool, str):
        return lambda value: type(value) is annotation
    if origin is typing.Annotated:
        inner, least = _accepts(args[0]), max((m.count for m in args[1:] if isinstance(m, MinItems)), default=0)
        return lambda value: inner(value) and len(value) >= least  # type: ignore[arg-type]
    if origin in (typing.Union, types.UnionType):
        options = [_accepts(option) for option in args]
        return lambda value: any(accepts(value) for accepts in options)
    if origin is list:
        item = _accepts(args[0]) if args else _accepts(Any)
        return lambda value: isinstance(value, list) and all(item(v) for v in value)
    if origin is dict:
        item = _accepts(args[1])
        return lambda value: isinstance(value, dict) and all(type(k) is str and item(v) for k, v in value.items())
    if dataclasses.is_dataclass(annotation):
        return lambda value: _valid(annotation, value)  # type: ignore[arg-type]
    raise TypeError(f"the quick check does not know {annotation!r}; teach spec/file_check.py or use pydantic")


@cache
def _fields(cls: type) -> dict[str, tuple[Check, bool, type | None]]:
    """key → (predicate, required, the dataclass its mapping's values become) for a format dataclass."""
    hints = typing.get_type_hints(cls, include_extras=True)
    return {
        f.name: (
            _accepts(hints[f.name]),
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
            next((a for a in typing.get_args(hints[f.name]) if dataclasses.is_dataclass(a)), None),  # type: ignore[misc]
        )
        for f in dataclasses.fields(cls)
    }


def _valid(cls: type, value: object) -> bool:
    """Does `cls` accept this mapping outright (nested dataclasses checked too)?"""
    fields = _fields(cls)
    if not isinstance(value, dict) or not value.keys() <= fields.keys():
        return False
    if any(required and key not in value for key, (_, required, _) in fields.items()):
        return False
    return all(fields[key][0](item) for key, item in value.items())


def _make(cls: type, value: Mapping[str, Any]) -> Any:
    """The instance of `cls` from a mapping already found valid (nested dataclasses made too)."""
    fields = _fields(cls)
    return cls(**{key: _copy(fields[key][2], item) for key, item in value.items()})


def _copy(nested: type | None, value: Any) -> Any:
    """pydantic hands back new containers (and builds nested dataclasses); so does this."""
    if nested is not None and isinstance(value, dict):
        return {name: _make(nested, item) for name, item in value.items()}
    return dict(value) if isinstance(value, dict) else list(value) if isinstance(value, list) else value


def quick_spec_file(document: Mapping[str, object]) -> SpecFile | None:
    """The checked top level, or None when pydantic must decide."""
    return _make(SpecFile, document) if _valid(SpecFile, document) else None
