"""Number and shape formatting shared by the human-readable renderers."""

from __future__ import annotations

from cnncalc.analysis.summary import to_layout
from cnncalc.i18n import number
from cnncalc.layers import Shape


def shape_text(shape: Shape, layout: str = "hwc") -> str:
    return "×".join(str(d) for d in to_layout(shape, layout))


def grouped(value: int) -> str:
    """1,228,800 (English) or 1 228 800 (Spanish): a count as people read it."""
    return number(value)


def si(value: float, unit: str = "") -> str:
    """1234567 → '1.23 M': the short form beside exact counts."""
    for factor, prefix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= factor:
            return f"{number(value / factor, '.2f')} {prefix}{unit}"
    return f"{number(value, 'g')} {unit}".rstrip()


def binary_bytes(value: int) -> str:
    for factor, prefix in ((2**40, "TiB"), (2**30, "GiB"), (2**20, "MiB"), (2**10, "KiB")):
        if value >= factor:
            return f"{number(value / factor, ',.2f')} {prefix}"
    return f"{value} B"
