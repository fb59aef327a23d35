"""Names and text in generated Python: spec names are data, so they reach the source only through here.

A spec travels between people; whatever its names hold (quotes, newlines, lookalike letters, lone
surrogates), the exported module must parse to the statements the exporter meant and nothing else.
`identifier` is the only way a name becomes code and `literal` the only way text becomes a string.
"""

from __future__ import annotations

import builtins
import keyword
import unicodedata
from collections.abc import Collection, Container, Iterable

# Never produced: Python's keywords and soft keywords ('type' became one after 3.11), and the
# builtins, which a local variable of the same name would hide from the generated code.
_NEVER = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | {"type"} | frozenset(dir(builtins))
_MAX_LENGTH = 60  # longer names are cut (uniqueness is restored by the numbering) to keep lines readable
PREFIX = "layer_"  # before a name that would not start with a letter (digits, underscores, nothing)


def _ascii(character: str) -> str:
    if character.isascii() and (character.isalnum() or character == "_"):
        return character
    if unicodedata.combining(character):  # the accent of é: NFKD split it off, the letter stays
        return ""
    # Other letters and digits keep a trace of themselves so that different names stay apart.
    return f"u{ord(character):x}" if character.isalnum() else "_"


class Taken:
    """Names in any of several collections, looked up in place: copying a growing set of given
    names into a union for every new name made exporting n layers cost n²."""

    def __init__(self, *parts: Container[str]) -> None:
        self.parts = parts

    def __contains__(self, name: object) -> bool:
        return any(name in part for part in self.parts)


def identifier(name: str, taken: Container[str] = ()) -> str:
    """An ASCII Python identifier for `name` that is not in `taken`, not a keyword and not a builtin.

    NFKC first, as Python itself folds identifiers (fullwidth ａ is a, ² is 2), then accents are
    dropped and anything else outside [A-Za-z0-9_] is spelled out; the result starts with a letter,
    so it is never private, mangled or a dunder. Uniqueness is the caller's part: it passes the
    names already given (and those the generated module uses), and a clash gets _2, _3, ….
    """
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name))
    base = "".join(map(_ascii, decomposed))[:_MAX_LENGTH]
    if not base[:1].isalpha():
        base = PREFIX + base
    if base in _NEVER:
        base += "_"  # PEP 8's spelling for a name that would shadow a keyword: class_
    candidate, number = base, 1
    while candidate in taken or candidate in _NEVER:
        number += 1
        candidate = f"{base}_{number}"
    return candidate


def identifiers(names: Iterable[str], reserved: Collection[str]) -> dict[str, str]:
    """One distinct identifier per name, given in order (the first of two that fold together keeps
    the plain spelling), none of them in `reserved`."""
    given: dict[str, str] = {}
    taken = set(reserved)
    for name in names:
        given[name] = made = identifier(name, taken)
        taken.add(made)
    return given


def literal(text: str) -> str:
    """A Python string literal of `text` in printable ASCII: quotes, newlines, bidi controls and
    lone surrogates are escapes, so the literal can end neither itself nor the line it is on.
    `##[` is written `##\\x5b` (the same text): a CI log acts on it anywhere in a line, and the
    exported module is often printed to one."""
    return ascii(str(text)).replace("##[", "##\\x5b")
