"""Argument checking for the public Python API: a wrong type is a SpecError naming the argument.

The annotations of the public functions are the contract, so the check reads them: `int`,
`float`, `str`, `bool`, `None`, `Path`, `Mapping[…]`, `Sequence[…]`, `tuple[…]`, `ArrayLike`,
`Limits`, `Network` and unions of those. Without it, `out_size("a", 3)` or `net.scale(5)` ended
in a bare TypeError, ValueError or ZeroDivisionError from deep inside.
"""

from __future__ import annotations

import functools
import inspect
import math
import os
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from cnncalc.errors import ValidationSpecError
from cnncalc.shown import quote

F = TypeVar("F", bound=Callable[..., Any])
MAX_INT = 2**62  # the largest integer an argument may be: the spec language's own bound
# Arguments that must not be negative (a seed for NumPy's generator, a byte count), and the
# strides, dilations and kernels that must be at least 1 (they divide, or step through, an axis).
NON_NEGATIVE = frozenset({"seed", "memory_limit"})
POSITIVE = frozenset({"batch", "stride", "dilation", "kernel", "S", "D", "F"})


class ArgumentError(ValidationSpecError):
    """A Python API call got an argument of the wrong type or out of range."""

    code = "argument"


def checked(function: F) -> F:
    """`function` with its arguments checked against its annotations before it runs."""
    signature = inspect.signature(function)
    annotations = {
        name: str(p.annotation)
        for name, p in signature.parameters.items()
        if p.annotation is not inspect.Parameter.empty and name != "self"
    }

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise ArgumentError(f"{function.__name__}(): {exc}") from None
        for name, value in bound.arguments.items():
            if name in annotations:
                check_argument(function.__name__, name, value, annotations[name])
        return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def check_argument(function: str, name: str, value: object, annotation: str) -> None:
    """Raise ArgumentError unless `value` fits `annotation` (the annotation's text)."""
    if not any(_fits(value, option) for option in _alternatives(annotation)):
        raise ArgumentError(
            f"{function}(): argument {name!r} must be {_describe(annotation)}, got {_shown(value)}",
            hint=f"see help(cnncalc.{function}) for the arguments it takes",
        )
    numbers = value if isinstance(value, tuple | list) else (value,)
    least = 1 if name in POSITIVE else 0 if name in NON_NEGATIVE else None
    if least is not None and any(_is_int(n) and n < least for n in numbers):
        raise ArgumentError(
            f"{function}(): argument {name!r} must be at least {least}, got {_shown(value)}",
            hint=f"see help(cnncalc.{function}) for the arguments it takes",
        )


def _alternatives(annotation: str) -> list[str]:
    """Top-level parts of a union: 'int | tuple[int, int] | None' → ['int', 'tuple[int, int]', 'None']."""
    return _split_top(annotation, "|")


def _arguments(annotation: str) -> tuple[str, list[str]]:
    """'Mapping[str, object]' → ('Mapping', ['str', 'object'])."""
    if "[" not in annotation:
        return annotation, []
    head, inner = annotation.split("[", 1)
    return head.strip(), _split_top(inner[:-1], ",")


def _split_top(text: str, separator: str) -> list[str]:
    """`text` split at `separator` outside brackets, each part stripped."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += (char == "[") - (char == "]")
        if char == separator and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return [*parts, current.strip()]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= MAX_INT


def _fits(value: object, annotation: str) -> bool:
    head, args = _arguments(annotation)
    simple = _SIMPLE.get(head)
    if simple is not None:
        return simple(value)
    if head in ("Mapping", "dict"):
        return isinstance(value, Mapping) and all(_fits(v, args[1]) for v in value.values())
    if head in ("Sequence", "tuple", "list"):
        if not isinstance(value, list | tuple):
            return False
        if len(args) == 2 and args[1] == "...":
            args = args[:1]
        elif head == "tuple":
            return len(value) == len(args) and all(_fits(v, a) for v, a in zip(value, args, strict=True))
        return all(_fits(v, args[0]) for v in value)
    return True  # an annotation this checker does not know is left to the function


def _is_array_like(value: object) -> bool:
    """A number, a (nested) list or tuple, or a numeric NumPy array. What the rows hold is left to
    the function, whose messages name the row ('rows of different lengths')."""
    if isinstance(value, bool | str | bytes) or value is None:
        return False
    if isinstance(value, int | float):
        return math.isfinite(value) if isinstance(value, float) else abs(value) <= MAX_INT
    if isinstance(value, list | tuple):
        return True
    kind = getattr(getattr(value, "dtype", None), "kind", None)  # a NumPy array, without importing NumPy
    return kind is not None and kind in "biuf"


def _is_limits(value: object) -> bool:
    from cnncalc.limits import Limits

    return isinstance(value, Limits)


def _is_network(value: object) -> bool:
    # By its class's name and module: this module comes before the API in the flow of imports
    # (tests/test_import_contract.py), so it cannot import Network to compare.
    kind = type(value)
    return kind.__name__ == "Network" and kind.__module__ == "cnncalc.api"


def _is_torch_module(value: object) -> bool:
    # As spec/load.py recognises one, without importing torch.
    return hasattr(value, "named_modules") and hasattr(value, "forward")


_SIMPLE: dict[str, Callable[[object], bool]] = {
    "int": _is_int,
    "float": lambda v: (isinstance(v, float) and math.isfinite(v)) or _is_int(v),
    "str": lambda v: isinstance(v, str),
    "bool": lambda v: isinstance(v, bool),
    "None": lambda v: v is None,
    "object": lambda v: True,
    "Path": lambda v: isinstance(v, os.PathLike),
    "ArrayLike": _is_array_like,
    "Limits": _is_limits,
    "Network": _is_network,
    "Module": _is_torch_module,
}
_WORDS = {
    "int": f"an integer (at most {MAX_INT} in size)",
    "float": "a finite number",
    "str": "text",
    "bool": "True or False",
    "None": "None",
    "Path": "a path",
    "ArrayLike": "a list of numbers or a NumPy array",
    "Limits": "a cnncalc.limits.Limits",
    "Network": "a cnncalc Network (from cnncalc.load)",
    "Module": "a torch.nn.Module",
}

_PLURAL = {"int": "integers", "str": "texts", "float": "numbers", "object": "values"}


def _describe(annotation: str) -> str:
    words = []
    for option in _alternatives(annotation):
        head, args = _arguments(option)
        if head in _WORDS:
            words.append(_WORDS[head])
        elif head in ("Mapping", "dict"):
            words.append("a mapping")
        elif head == "tuple" and args and args[-1] != "...":
            words.append(f"a tuple of {len(args)} {' and '.join(_PLURAL.get(a, a) for a in sorted(set(args)))}")
        else:
            words.append(f"a list or tuple of {_PLURAL.get(args[0], args[0]) if args else 'values'}")
    return " or ".join(words)


def _shown(value: object) -> str:
    kind = type(value).__name__
    return f"{quote(value)} ({kind})" if not isinstance(value, str) else quote(value)
