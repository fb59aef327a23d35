"""Layer kinds. Importing this package registers every kind; `lookup` finds one by user spelling."""

import re
import unicodedata
from collections.abc import Mapping
from functools import cache, lru_cache

from cnncalc.i18n import N_, _
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
    "unknown_kind_hint",
    "without_accents",
]
_FAMILIES = (activation, conv, dense, merge, norm, pool, resample, reshape)


def without_accents(text: str) -> str:
    """Convolución → Convolucion, tamaño → tamano: students type the notes' words with or without."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=4096)  # a net spells a few kinds hundreds of times
def normalize_name(name: str) -> str:
    """Case, accents, underscores, hyphens and spaces do not matter in layer names."""
    if name.isascii() and name.isalnum():  # the usual spelling: no separators to remove
        return name.lower()
    return re.sub(r"[\s_\-]", "", without_accents(name)).lower()


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


# A typo scores 0.75 or more against the word meant (CONVV/conv 0.89, agrupasion/agrupacion 0.9);
# a false friend sharing only a stem scores less (Activación/linearactivation 0.69, APLANAR/pwlinear
# 0.67), and suggesting it would mislead more than suggesting nothing.
_TYPO = 0.75
# Words that name a family rather than one kind: any one member would be a guess.
_ACTIVATIONS = N_("an activation is named by its function: RELU, TANH, SIGMOID, SOFTMAX, …")
_FAMILY_WORDS = {"activation": _ACTIVATIONS, "activacion": _ACTIVATIONS}


@cache
def _spellings() -> Mapping[str, str]:
    """Every normalized spelling → the spelling to show, as a kind writes it (TOTALMENTE_CONECTADA)."""
    shown: dict[str, str] = {}
    for kind, cls in registry().items():
        for spelling in (kind, *cls.aliases):
            key = normalize_name(spelling)
            if key not in shown or not spelling.isascii():  # the notes' accents: CONVOLUCIÓN, not CONVOLUCION
                shown[key] = spelling
    return shown


def suggest_kind(name: str) -> str | None:
    """The known spelling a typo was meant to be, in the words the user typed (Spanish aliases are
    spellings like any other), or None rather than a false friend."""
    from cnncalc.errors import closest

    if normalize_name(name) in _FAMILY_WORDS:
        return None
    matches = closest(name, _spellings().values(), cutoff=_TYPO)
    return matches[0] if matches else None


def unknown_kind_hint(name: str) -> str:
    """The hint for a layer name no kind has: the typo's fix, the family's members, or the list."""
    family = _FAMILY_WORDS.get(normalize_name(name))
    if family:
        return _(family)
    suggestion = suggest_kind(name)
    return (
        _("did you mean {kind}?").format(kind=suggestion.upper())
        if suggestion
        else _("run `cnncalc layers` for the list")
    )
