"""User values as error messages quote them: a few dozen characters at most, whatever the value.

A message that embeds a whole hostile value (a 1 GB string, a tuple of a million items, an
integer of 100,000 digits) costs as much to build and print as the value itself, so every
message that shows a value the user wrote goes through `quote`.
"""

from __future__ import annotations

import itertools
import reprlib

from cnncalc.i18n import _, number

QUOTE_CHARS = 40
_SMALL_INT_BITS = 128  # up to ~38 digits shown in full; larger ones by their size


def _repr_limited(limit: int) -> reprlib.Repr:
    shortener = reprlib.Repr()
    shortener.maxlevel = 3
    shortener.maxtuple = shortener.maxlist = shortener.maxdict = shortener.maxset = 6
    shortener.maxstring = shortener.maxother = shortener.maxlong = limit
    return shortener


def quote(value: object, limit: int = QUOTE_CHARS) -> str:
    """`repr(value)` cut to about `limit` characters, ending in … when cut.

    Costs O(limit) for strings and for the items shown of containers, never O(len(value)),
    and never calls `repr` on an integer too large to print (Python refuses over 4,300 digits).
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > _SMALL_INT_BITS:
        digits = int(value.bit_length() * 0.30103) + 1
        return ("-" if value < 0 else "") + _("an integer of about {digits} digits").format(digits=number(digits))
    text = repr(value[: limit + 1]) if isinstance(value, str) else _repr_limited(limit).repr(_ints_shortened(value))
    return text if len(text) <= limit + 2 else text[:limit] + "…"


def clip(text: str, limit: int = 2 * QUOTE_CHARS) -> str:
    """Plain text (a Python error's sentence, a list of names) cut to `limit` characters with …."""
    return text if len(text) <= limit else text[:limit] + "…"


def _ints_shortened(value: object, depth: int = 0) -> object:
    """The first few items of containers as plain tuples/lists/dicts (reprlib would print a
    subclass, such as a spec file's located mapping, whole) with huge integers replaced by a
    marker, so reprlib never prints them."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > _SMALL_INT_BITS:
        return _Huge(value)
    if depth >= 3:
        return value if isinstance(value, str | int | float | bool | None) else _Elided()
    if isinstance(value, tuple | list):
        items = [_ints_shortened(v, depth + 1) for v in value[:7]]
        return tuple(items) if isinstance(value, tuple) else items
    if isinstance(value, dict):
        pairs = itertools.islice(value.items(), 7)
        return {_ints_shortened(k, depth + 1): _ints_shortened(v, depth + 1) for k, v in pairs}
    return value


class _Elided:
    def __repr__(self) -> str:
        return "..."


class _Huge:
    def __init__(self, value: int) -> None:
        self.digits = int(value.bit_length() * 0.30103) + 1

    def __repr__(self) -> str:
        return f"<{self.digits:,}-digit integer>"
