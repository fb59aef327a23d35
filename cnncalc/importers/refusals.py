"""One short refusal for everything an importer cannot represent.

A model with a hundred unsupported nodes of two operators must not print a hundred names: the user
needs to know WHICH operations are missing, how often, and where to look. Each distinct operation is
named once, in the order it first appears, with its count and its first few places.
"""

from __future__ import annotations

from collections.abc import Iterable

SHOWN_PLACES = 3  # enough to find the operation in the model; the count says how many more
_LONGEST_PLACE = 60  # a node or layer name is user data: a hostile one must not flood the message


def _short(place: str) -> str:
    return place if len(place) <= _LONGEST_PLACE else place[: _LONGEST_PLACE - 1] + "…"


def grouped(refused: Iterable[tuple[str, str]], shown: int = SHOWN_PLACES) -> str:
    """`(operation, place)` pairs → 'TopK ×3 (a, b, c), Einsum (e)': each operation once.

    The count appears when it is above one; places beyond `shown` become '…'.
    """
    places: dict[str, list[str]] = {}
    for operation, place in refused:
        places.setdefault(operation, []).append(place)
    parts = []
    for operation, where in places.items():
        count = f" ×{len(where)}" if len(where) > 1 else ""
        listed = ", ".join(_short(p) for p in where[:shown]) + (", …" if len(where) > shown else "")
        parts.append(f"{operation}{count} ({listed})")
    return ", ".join(parts)


def distinct(refused: Iterable[tuple[str, str]]) -> int:
    """How many different operations `grouped` names: the count that decides 'operator' or 'operators'."""
    return len({operation for operation, _place in refused})
