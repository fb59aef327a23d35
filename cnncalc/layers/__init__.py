"""Layer kinds. Importing this package registers every kind; `lookup` finds one by user spelling."""

import difflib
import re
from collections.abc import Mapping
from functools import cache, lru_cache

from cnncalc.layers import activation, conv, dense, merge, norm, pool, resample, reshape
from cnncalc.layers.base import Family, Layer, ParamCount, RFStep, Shape, format_shape, registry

__all__ = [
    "Family",
    "Layer",
    "ParamCount",
    "RFStep",
    "Shape",
    "alias_table",
    "family_of",
    "format_shape",
    "lookup",
    "normalize_name",
    "registry",
    "suggest_kind",
]
_FAMILIES = (activation, conv, dense, merge, norm, pool, resample, reshape)


@lru_cache(maxsize=4096)  # a net spells a few kinds hundreds of times
def normalize_name(name: str) -> str:
    """Case, underscores, hyphens and spaces do not matter in layer names."""
    if name.isalnum():  # the usual spelling: no separators to remove
        return name.lower()
    return re.sub(r"[\s_\-]", "", name).lower()


@cache
def alias_table() -> Mapping[str, tuple[str, dict[str, object]]]:
    """Every user spelling → (kind, implied arguments). `CONV1D` implies dims=1, and so on."""
    table: dict[str, tuple[str, dict[str, object]]] = {}
    for kind, cls in registry().items():
        names = {normalize_name(kind), *(normalize_name(a) for a in cls.aliases)}
        for name in names:
            table[name] = (kind, {})
            if "dims" in cls.arguments:
                for dims in (1, 2, 3):
                    table[f"{name}{dims}d"] = (kind, {"dims": dims})
    return table


def lookup(name: str) -> tuple[type[Layer], dict[str, object]] | None:
    """The kind a user spelling names, with the arguments the spelling implies."""
    found = alias_table().get(normalize_name(name))
    if found is None:
        return None
    kind, implied = found
    return registry()[kind], dict(implied)


def family_of(kind: str) -> Family:
    """The family of a registered kind, by its canonical name (as records carry it)."""
    return registry()[kind].family


def suggest_kind(name: str) -> str | None:
    """The closest known layer name, for 'did you mean' messages."""
    matches = difflib.get_close_matches(normalize_name(name), list(alias_table()), n=1, cutoff=0.6)
    return matches[0] if matches else None
