"""Budgets for CI: limits on parameters, MACs, activation memory, receptive field and depth.

Given on the command line (`--max-params 5M`), in `[tool.cnncalc]` or in a spec's `lint:`
mapping, with the same names (`max-params`, `max-macs`, `max-activations`, `min-rf`,
`max-depth`). Quantities take decimal suffixes (k, M, G, T: 5M = 5,000,000) and, for memory,
bytes with decimal or binary units (100MB = 100,000,000 bytes; 100MiB = 104,857,600).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from cnncalc.errors import ValidationSpecError
from cnncalc.i18n import _

COUNT_SUFFIXES = {"": 1, "k": 10**3, "K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}
BYTE_UNITS = {
    "": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
    "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40,
}  # fmt: skip
NAMES = ("max-params", "max-macs", "max-activations", "min-rf", "max-depth")
_QUANTITY = re.compile(r"^\s*(\d+(?:\.\d{1,30})?)\s*([A-Za-z]*)\s*$")
_MAX_DIGITS = 30  # 10³⁰ parameters or bytes is beyond any budget; longer numbers are mistakes


@dataclass(frozen=True)
class Budgets:
    """Limits a network must stay within; None means no limit."""

    max_params: int | None = None
    max_macs: int | None = None
    max_activation_bytes: int | None = None
    min_rf: int | None = None
    max_depth: int | None = None

    def override(self, other: Budgets) -> Budgets:
        """Limits of `other` win where it sets them."""
        return Budgets(*(b if b is not None else a for a, b in zip(self._values(), other._values(), strict=True)))

    def _values(self) -> tuple[int | None, ...]:
        return (self.max_params, self.max_macs, self.max_activation_bytes, self.min_rf, self.max_depth)

    @classmethod
    def from_mapping(cls, data: Mapping[str, object], where: str) -> Budgets:
        def value(name: str, parse) -> int | None:
            raw = data.get(name, data.get(name.replace("-", "_")))
            if isinstance(raw, int) and raw.bit_length() > 100:  # str() of it fails past 4,300 digits
                message = _("{where}: {name}: the number is far too large for a budget")
                raise ValidationSpecError(message.format(where=where, name=name))
            return None if raw is None else parse(str(raw), f"{where}: {name}")

        return cls(
            value("max-params", parse_count),
            value("max-macs", parse_count),
            value("max-activations", parse_bytes),
            value("min-rf", parse_count),
            value("max-depth", parse_count),
        )


def parse_count(text: str, what: str) -> int:
    """'5M' → 5,000,000; '2.5G' → 2,500,000,000; '224' → 224."""
    number, suffix = _split(text, what)
    if suffix not in COUNT_SUFFIXES:
        raise ValidationSpecError(
            _("{what}: unknown suffix {suffix!r} in {text!r}").format(what=what, suffix=suffix[:20], text=text[:40]),
            hint=_("use k, M, G or T, e.g. {example}").format(example="5M"),
        )
    return round(number * COUNT_SUFFIXES[suffix])


def parse_bytes(text: str, what: str) -> int:
    """'100MB' → 100,000,000 bytes; '1GiB' → 1,073,741,824."""
    number, unit = _split(text, what)
    if unit.upper() not in BYTE_UNITS:
        raise ValidationSpecError(
            _("{what}: unknown unit {unit!r} in {text!r}").format(what=what, unit=unit[:20], text=text[:40]),
            hint=_("use {units}").format(units="B, KB, MB, GB, KiB, MiB, GiB"),
        )
    return round(number * BYTE_UNITS[unit.upper()])


def _split(text: str, what: str) -> tuple[Fraction, str]:
    """The number (exact: 2.5G is 2,500,000,000, not a float's neighbour) and its suffix."""
    shown = text if len(text) <= 40 else text[:40] + "…"
    match = _QUANTITY.match(text)
    if match is None:
        message = _("{what}: {text!r} is not a quantity").format(what=what, text=shown)
        raise ValidationSpecError(message, hint=_("e.g. {example}").format(example="5M, 2G, 100MB, 224"))
    number = match.group(1)
    if len(number.partition(".")[0].lstrip("0")) > _MAX_DIGITS:
        raise ValidationSpecError(
            _("{what}: {text!r} has more than {count} digits before the point").format(
                what=what, text=shown, count=_MAX_DIGITS
            ),
            hint=_("budgets are realistic numbers; use a suffix, e.g. {example}").format(example="5M, 2T"),
        )
    return Fraction(number), match.group(2)
