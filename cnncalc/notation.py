"""Numbers, matrices and shapes as people write them, read per language and never guessed.

English writes 1,216.5 (comma groups thousands, point marks decimals); Spanish writes 1.216,5 or
1 216,5 (point or space groups, comma marks decimals). The active language decides which is which.
The rules (docs/spec-language.md, "Numbers as people write them"):

* Grouping marks (the language's own, a space, a no-break or thin space, or `_`) split the whole
  part into groups of exactly three digits after a first group of one to three: `1.216.000` (es),
  `1,216,000` (en), `4 640` (both).
* The language's decimal mark followed by exactly three digits, after a whole part of one to three
  digits that is not 0 (`1,216` in Spanish, `1.216` in English) is AMBIGUOUS: it is a whole number in
  the other language. Refused with both readings; `0,216` and `1,2160` are plain decimals.
* A number valid only in the other language (`0,25` in English) is refused, naming what it would be
  there: the language is chosen by --lang or LANG, not guessed from the number.
* Matrices: rows by `;` or new lines, values by spaces or by a comma followed by a space. A comma
  between digits is the language's mark; in English it may also separate values (`1,2,3`), but only
  where no other reading exists (`1,0` could be Spanish 1.0: refused).
* Shapes: `16x16x32`, `16×16×32`, `(16, 16, 32)`, `[16 16 32]`, `16, 16, 32`; a text that is both a
  number and a list (`1,216`, `4 640`) is refused with both readings.

Pure functions of text and a language code ("en", "es"); no global state, no numpy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from cnncalc.errors import Location, ValidationSpecError
from cnncalc.i18n import N_, _

MAX_NUMBER_CHARS = 100  # no number a person writes is longer; bounds every regex below
_SPACES = " \u00a0\u2009\u202f"  # space, no-break space, thin space, narrow no-break space
_MINUS = "-\u2212"  # ASCII hyphen-minus and the typographic minus sign


@dataclass(frozen=True)
class Convention:
    """How one language writes numbers: its decimal mark and its own thousands mark."""

    language: str
    name: str
    decimal: str
    grouping: str


ENGLISH = Convention("en", N_("English"), ".", ",")
SPANISH = Convention("es", N_("Spanish"), ",", ".")
_CONVENTIONS = {"en": ENGLISH, "es": SPANISH}


def convention(language: str) -> Convention:
    """The convention of a language code ('es', 'es_ES.UTF-8', 'en'); English for any other."""
    return _CONVENTIONS.get(language.lower()[:2], ENGLISH)


def _named(conv: Convention) -> str:
    """'English' or 'Spanish' in the reader's language (the names are marked with N_ above)."""
    name = conv.name
    return _(name)


def _other(conv: Convention) -> Convention:
    return SPANISH if conv is ENGLISH else ENGLISH


class AmbiguousNumber(ValidationSpecError):
    """A text with two readings; `readings` holds each as shown to the reader."""

    def __init__(self, message: str, *, readings: tuple[str, ...] = (), **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.readings = readings

    def located(self, location: Location) -> AmbiguousNumber:
        return AmbiguousNumber(
            self.message, readings=self.readings, location=self.location.merged(location), hint=self.hint
        )


def _pattern(conv: Convention) -> re.Pattern[str]:
    group = "[" + re.escape(conv.grouping + _SPACES + "_") + "]"
    decimal = re.escape(conv.decimal)
    return re.compile(
        rf"(?P<whole>\d{{1,3}}(?P<g>{group})\d{{3}}(?:(?P=g)\d{{3}})*|\d+)?"
        rf"(?:{decimal}(?P<fraction>\d+))?"
        rf"(?:[eE](?P<exponent>[-+]?\d{{1,3}}))?"
    )


_PATTERNS = {conv.language: _pattern(conv) for conv in (ENGLISH, SPANISH)}


def _read_in(text: str, conv: Convention) -> Fraction | None:
    """`text` (no sign) read in one convention, or None when it is not a number there."""
    match = _PATTERNS[conv.language].fullmatch(text)
    if match is None or not (match["whole"] or match["fraction"]):
        return None
    digits = re.sub(r"\D", "", match["whole"] or "0")
    value = Fraction(int(digits + (match["fraction"] or "")), 10 ** len(match["fraction"] or ""))
    exponent = int(match["exponent"] or 0)
    return value * Fraction(10) ** exponent


def _ambiguous_decimal(text: str, conv: Convention) -> bool:
    """1,216 (es) or 1.216 (en): the decimal mark where the other language groups thousands."""
    return re.fullmatch(rf"[1-9]\d{{0,2}}{re.escape(conv.decimal)}\d{{3}}", text) is not None


def shown(value: Fraction, conv: Convention) -> str:
    """An exact value as the convention writes it, without grouping: 1216, 1,216 (es), 1.216 (en)."""
    if value.denominator == 1:
        return str(value.numerator)
    if (10**30) % value.denominator == 0:  # a terminating decimal: write it out
        places = next(p for p in range(31) if (10**p) % value.denominator == 0)
        whole = abs(value.numerator) * 10**places // value.denominator
        digits = str(whole).rjust(places + 1, "0")
        sign = "-" if value < 0 else ""
        return f"{sign}{digits[:-places]}{conv.decimal}{digits[-places:]}"
    return f"{value.numerator}/{value.denominator}"


def read_number(text: str, language: str = "en", what: str = N_("the input")) -> Fraction:
    """One number, exactly, as `language` writes it; fractions like 1/5 too. Refuses the ambiguous."""
    conv = convention(language)
    text = text.strip()
    if len(text) > MAX_NUMBER_CHARS:
        raise ValidationSpecError(
            _("a number in {what} has {count} characters; no number is that long").format(what=_(what), count=len(text))
        )
    if "/" in text:
        numerator, _slash, denominator = text.partition("/")
        bottom = read_number(denominator, language, what)
        if bottom == 0:
            raise ValidationSpecError(_("{text!r} in {what} divides by zero").format(text=text, what=_(what)))
        return read_number(numerator, language, what) / bottom
    sign = -1 if text[:1] and text[0] in _MINUS else 1
    body = text[1:] if text[:1] and text[0] in _MINUS + "+" else text
    value = _read_in(body, conv)
    if value is None:
        raise _not_a_number(text, body, conv, what)
    if _ambiguous_decimal(body, conv):
        whole = Fraction(int(body.replace(conv.decimal, "")))  # the mark read as the other language's grouping
        raise _ambiguity(text, (sign * value, sign * whole), conv, what)
    return sign * value


def _not_a_number(text: str, body: str, conv: Convention, what: str) -> ValidationSpecError:
    other = _other(conv)
    elsewhere = _read_in(body, other)
    if elsewhere is None:
        example = f"12{conv.decimal}5" if conv is ENGLISH else "12,5"
        return ValidationSpecError(
            _("{text!r} in {what} is not a number").format(text=text, what=_(what)),
            hint=_("write numbers like 3, -2, {example} or 1/5").format(example=example),
        )
    return ValidationSpecError(
        _("{text!r} in {what} is not a number in {name} notation (in {other} notation it is {value})").format(
            text=text, what=_(what), name=_named(conv), other=_named(other), value=shown(elsewhere, conv)
        ),
        hint=_("give --lang {code} to read {other} notation, or write it as {value}").format(
            code=other.language, other=_named(other), value=shown(elsewhere, conv)
        ),
    )


def _ambiguity(text: str, readings: tuple[Fraction, Fraction], conv: Convention, what: str) -> AmbiguousNumber:
    decimal, whole = readings
    other = _other(conv)
    if conv.decimal == ",":
        template = _(
            "{text!r} in {what} is ambiguous: {decimal} with a decimal comma ({name}), "
            "or {whole} with a thousands comma ({other})"
        )
    else:
        template = _(
            "{text!r} in {what} is ambiguous: {decimal} with a decimal point ({name}), "
            "or {whole} with a thousands point ({other})"
        )
    return AmbiguousNumber(
        template.format(
            text=text, what=_(what), decimal=shown(decimal, conv), whole=whole, name=_named(conv), other=_named(other)
        ),
        readings=(shown(decimal, conv), str(whole)),
        hint=_("write {whole} for the whole number, or {decimal}0 for the decimal").format(
            whole=whole, decimal=shown(decimal, conv)
        ),
    )


def read_whole(text: str, language: str = "en", what: str = N_("the input")) -> int:
    """A whole number as `language` writes it (1.216 or 1 216 in Spanish, 1,216 in English)."""
    value = read_number(text, language, what)
    if value.denominator != 1:
        raise ValidationSpecError(
            _("{text!r} in {what} is not a whole number").format(text=text, what=_(what)),
            hint=_("sizes and counts are whole numbers"),
        )
    return value.numerator


_ROWS = re.compile(r"[;\n]")


def read_matrix(text: str, language: str = "en", what: str = N_("the matrix")) -> list[list[Fraction]]:
    """Rows of exact values: rows by ';' or new lines, values by spaces or ', '."""
    rows = [row for row in _ROWS.split(text) if row.strip()]
    return [[v for token in _tokens(row) for v in _matrix_values(token, language, what)] for row in rows]


def _tokens(row: str) -> list[str]:
    """The values of a row split at spaces, a comma followed by a space or ending the row counting as one."""
    return [token.removesuffix(",") for token in row.split() if token != ","]


def _matrix_values(token: str, language: str, what: str) -> list[Fraction]:
    """One token of a matrix row: a number, or, in English only, values joined by bare commas."""
    conv = convention(language)
    if "," not in token:
        return [read_number(token, language, what)]
    if conv.decimal == ",":
        try:
            return [read_number(token, language, what)]
        except AmbiguousNumber:
            raise
        except ValidationSpecError as exc:  # 1,2,3 in Spanish: the comma is the decimal mark
            raise ValidationSpecError(str(exc.message), hint=_("separate values with spaces or ', '")) from None
    whole = _quiet(lambda: [read_number(token, language, what)])
    pieces = token.split(",")
    listed = _quiet(lambda: [read_number(p, language, what) for p in pieces]) if all(pieces) else None
    spanish = _quiet(lambda: [read_number(token, "es", what)])
    labelled = [
        (reading, label.format(" ".join(shown(v, ENGLISH) for v in reading or ())))
        for reading, label in (
            (whole, _("the number {}")),
            (listed, _("the values {}")),
            (spanish, _("{} with a decimal comma (--lang es)")),
        )
        if reading is not None
    ]
    if len(labelled) == 1:
        return labelled[0][0]
    if not labelled:
        raise ValidationSpecError(
            _("{text!r} in {what} is not a number").format(text=token, what=_(what)),
            hint=_("separate values with spaces"),
        )
    choices = tuple(label for _reading, label in labelled)
    raise AmbiguousNumber(
        _("{text!r} in {what} is ambiguous: {readings}").format(text=token, what=_(what), readings=" | ".join(choices)),
        readings=choices,
        hint=_("separate values with spaces; for a decimal comma give --lang es"),
    )


def _quiet(read):  # type: ignore[no-untyped-def]
    """What `read()` gives, or None when it refuses (an ambiguous text has no single reading either)."""
    try:
        return read()
    except ValidationSpecError:
        return None


_BRACKETS = {"(": ")", "[": "]"}
_TIMES = re.compile(r"\s*[xX×*]\s*")


def read_shape(text: str, language: str = "en", what: str = N_("the shape")) -> tuple[int, ...]:
    """A shape: 16x16x32, 16×16×32, (16, 16, 32), [16 16 32], 16, 16, 32 or one number."""
    text = text.strip()
    if len(text) > MAX_NUMBER_CHARS:
        raise ValidationSpecError(
            _("{what} has {count} characters; no shape is that long").format(what=_(what), count=len(text))
        )
    bracketed = len(text) >= 2 and _BRACKETS.get(text[0]) == text[-1]
    inner = text[1:-1].strip() if bracketed else text
    if _TIMES.search(inner):
        return tuple(read_whole(part, language, what) for part in _TIMES.split(inner))
    listed = _listed(inner)
    if bracketed:
        if listed is None:
            raise ValidationSpecError(
                _("{text!r} in {what} is not a list of sizes").format(text=text, what=_(what)), hint="e.g. (16, 16, 32)"
            )
        return listed
    if listed is not None and len(listed) > 1:
        number = _as_one_number(inner, convention(language))
        if number is not None:  # 1,216 or 4 640: one size, or two?
            choices = (number, "x".join(map(str, listed)))
            raise AmbiguousNumber(
                _("{text!r} in {what} is ambiguous: the number {number} or the shape {shape}").format(
                    text=text, what=_(what), number=choices[0], shape=choices[1]
                ),
                readings=choices,
                hint=_("write {shape} for the shape, or the number without separators").format(shape=choices[1]),
            )
        return listed
    return (read_whole(inner, language, what),)


def _listed(inner: str) -> tuple[int, ...] | None:
    """Sizes separated by commas (or, with no comma, by spaces), each plain digits; else None."""
    parts = [p.strip() for p in inner.split(",")] if "," in inner else inner.split()
    if not parts or not all(p.isascii() and p.isdigit() and len(p) <= 30 for p in parts):
        return None
    return tuple(int(p) for p in parts)


def _as_one_number(text: str, conv: Convention) -> str | None:
    """`text` as one number in either language (a whole reading first), or None."""
    values = [v for v in (_read_in(text, conv), _read_in(text, _other(conv))) if v is not None]
    wholes = [v for v in values if v.denominator == 1]
    return shown((wholes or values)[0], conv) if values else None


def answer_count(value: object, language: str = "en", what: str = N_("the answer")) -> int:
    """A whole-number answer as a file holds it: an int, or text read per language (the file read
    with numbers_as_text, so YAML has not turned 1.216 into a float first)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        return read_whole(value, language, what)
    if isinstance(value, float):  # YAML read the digits; which notation they were in is lost
        raise ValidationSpecError(
            _("{value!r} in {what} was read as a decimal").format(value=value, what=_(what)),
            hint=_("quote the answer: '1.216'"),
        )
    raise ValidationSpecError(_("{what} is not a number").format(what=_(what)), hint="e.g. 760")


def answer_shape(value: object, language: str = "en", what: str = N_("the answer")) -> tuple[int, ...]:
    """A shape answer as a file holds it: text (read_shape), one int, or a list of ints."""
    if isinstance(value, list | tuple) and value and all(isinstance(v, int | str) for v in value):
        return tuple(answer_count(v, language, what) for v in value)
    if isinstance(value, str):
        return read_shape(value, language, what)
    return (answer_count(value, language, what),)


def channels_first(claimed: tuple[int, ...], correct: tuple[int, ...]) -> bool:
    """Whether `claimed` is `correct` (channels last, as cnncalc writes it) in PyTorch's channels-first
    order: 16x32x32 for 32x32x16."""
    return len(correct) >= 2 and claimed != correct and claimed == correct[-1:] + correct[:-1]
