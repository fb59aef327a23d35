"""The language people read: stdlib gettext catalogues, chosen per invocation.

Messages are written in English in the code and wrapped in `_()` (or `ngettext()` when a number
decides the form); `N_()` marks a string for the catalogue where it is translated later, when read.
The catalogues are `locale/<lang>/LC_MESSAGES/cnncalc.po` (the source, edited by people) compiled
to `.mo` when the wheel is built (hatch_build.py); CONTRIBUTING.md has the maintainer's commands.

English is the default. The active language lives in a context variable, never in a global: the
command line sets it for one invocation (`--lang es`, CNNCALC_LANG, or LANGUAGE / LC_ALL /
LC_MESSAGES / LANG saying Spanish), a library user opts in with `with cnncalc.i18n.language("es"):`.
Machine output (JSON) is written in English whatever the language: its keys, the rule codes and the
exit codes never change with it.
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

DOMAIN = "cnncalc"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE_LANGUAGE = "en"  # the language the messages are written in: it needs no catalogue
# Where the language is read from, first set first: cnncalc's own variable, then gettext's order.
# How each language writes numbers where it differs from English (1,228,800.5): the thousands
# separator, the decimal sign, and the fewest digits a whole part has before it is grouped. Spanish
# follows the RAE and ISO 80000: a no-break space between groups, none in four-digit numbers
# (1216, 30 122, 1 228 800), a decimal comma (2,33). docs/i18n.md. JSON never goes through here.
NUMBER_STYLE = {"es": ("\u00a0", ",", 5)}
_ENGLISH_NUMBER = re.compile(r"([-+−]?)(\d[\d,]*)(?:\.(\d*))?(.*)", re.DOTALL)
ENVIRONMENT = ("CNNCALC_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
EXPLICIT = "CNNCALC_LANG"  # like --lang: a language cnncalc does not have is an error, not English


# The active catalogue (None: English, the messages as written). Its language is its header's.
_ACTIVE: ContextVar[gettext.NullTranslations | None] = ContextVar("cnncalc_language", default=None)
_ENGLISH = gettext.NullTranslations()  # translates nothing, so nothing about it ever changes


def _current() -> gettext.NullTranslations:
    return _ACTIVE.get() or _ENGLISH


def _(message: str) -> str:
    """`message` in the active language (itself when the catalogue has no translation for it)."""
    return _current().gettext(message) if message else message  # gettext("") is the catalogue's header


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for `n` in the active language: Spanish and English differ in which n are plural."""
    return _current().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks `message` for extraction only; it is translated with `_()` where it is read."""
    return message


def active() -> str:
    """The active language's code ("en", "es")."""
    return _current().info().get("language", SOURCE_LANGUAGE)


def number(value: float, spec: str = ",") -> str:
    """`value` formatted with `spec` (format()'s mini-language: ",", ",.2f", "g") as the active language
    writes numbers: 1,228,800 and 2.33 in English, 1 228 800 and 2,33 in Spanish."""
    return written(format(value, spec))


def written(english: str) -> str:
    """A number written the English way ('1,228,800', '-2.33', '61.71') as the active language writes it.

    The one place numbers in people's output change with the language; anything that is not a
    number in English form is returned as it is.
    """
    style = NUMBER_STYLE.get(active())
    match = _ENGLISH_NUMBER.fullmatch(english) if style else None
    if style is None or match is None:
        return english
    thousands, decimal, fewest = style
    sign, whole, fraction, rest = match.groups()
    digits = whole.replace(",", "")
    if "," in whole and len(digits) >= fewest:  # grouped in English: grouped here too
        head = len(digits) % 3 or 3
        digits = thousands.join([digits[:head], *(digits[i : i + 3] for i in range(head, len(digits), 3))])
    return sign + digits + ("" if fraction is None else decimal + fraction) + rest


def available() -> tuple[str, ...]:
    """English and every language with a catalogue, sorted."""
    found = {path.parent.parent.name for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.[mp]o")}
    return tuple(sorted({SOURCE_LANGUAGE, *found}))


@contextmanager
def language(code: str) -> Iterator[None]:
    """Speak `code` ("es", "es_AR.UTF-8", …) inside the block; raises ValueError for a language cnncalc lacks."""
    token = _ACTIVE.set(translation(_required(code)))
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def use(code: str) -> None:
    """Speak `code` from here on in the current context, for a session rather than a block: a
    notebook's first cell (each cell runs in the context the previous one left). The choice is
    the context variable's, as with `language()`: other threads and tasks are not affected."""
    _ACTIVE.set(translation(_required(code)))


def supported(value: str) -> str | None:
    """The language of a code or locale name ("es", "es_ES.UTF-8", "es-AR", "C") if cnncalc has it."""
    base = value.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    if base in ("c", "posix"):  # the C locale is the untranslated one
        return SOURCE_LANGUAGE
    return base if base in available() else None


def unsupported_message(value: str) -> str:
    template = _("no messages in language {value!r}; cnncalc speaks {languages}")
    return template.format(value=value, languages=", ".join(available()))


def chosen(flag: str | None, environ: Mapping[str, str]) -> str:
    """The language an invocation speaks: the --lang flag, else the first environment variable set.

    LANGUAGE may list several languages ("es:en"): the first cnncalc has wins. A variable naming a
    language cnncalc lacks means English (as for any program without that catalogue), except
    --lang and CNNCALC_LANG, which are asked of cnncalc alone: those raise ValueError.
    """
    if flag:
        return _required(flag)
    for name in ENVIRONMENT:
        value = environ.get(name, "")
        if not value:
            continue
        if name == EXPLICIT:
            return _required(value)
        return next(filter(None, map(supported, value.split(":"))), SOURCE_LANGUAGE)
    return SOURCE_LANGUAGE


def _required(value: str) -> str:
    known = supported(value)
    if known is None:
        raise ValueError(unsupported_message(value))
    return known


@cache
def translation(code: str) -> gettext.NullTranslations:
    """The catalogue of `code`, read once per process.

    A built package has the .mo its build hook compiled. A source checkout has the .po only (the .mo
    is not committed) or a .mo older than its .po: then Babel, when installed (the test extra), compiles
    it in memory. Without either, the messages stay in English rather than fail the command.
    """
    if code == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    directory = LOCALE_DIR / code / "LC_MESSAGES"
    mo, po = directory / f"{DOMAIN}.mo", directory / f"{DOMAIN}.po"
    if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        fresh = _compiled_from_source(po)
        if fresh is not None:
            return gettext.GNUTranslations(io.BytesIO(fresh))
    if mo.exists():
        with mo.open("rb") as stream:
            return gettext.GNUTranslations(stream)
    return gettext.NullTranslations()


def _compiled_from_source(po: Path) -> bytes | None:
    try:
        from cnncalc._catalogues import compiled

        return compiled(po)
    except ImportError:  # Babel is a build and test requirement, not a runtime one
        return None
