"""Marking homework: an answers file lists what a student claims; each claim is checked and explained.

spec: exercise.yaml          # a path (relative to the answers file), a bundled name or a chain
input: 32x32x3               # optional, like --input
set: {num_classes: 10}       # optional, like --set
student: Ana                 # optional
answers:
  conv_1:                    # a layer name, or its index in `cnncalc summary`
    output_shape: 32x32x10
    params: 760
    macs: 768000
    receptive_field: 5
  total:
    params: 26370
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from cnncalc import errors
from cnncalc.errors import Location, ValidationSpecError
from cnncalc.i18n import _, ngettext, number
from cnncalc.spec.expr import MAX_DIGITS
from cnncalc.spec.files import parse_document, read_text
from cnncalc.spec.located import LocDict

QUANTITIES = ("output_shape", "params", "trainable_params", "macs", "receptive_field")
TOTALS = ("params", "trainable_params", "non_trainable_params", "macs", "activations")
FILE_KEYS = ("spec", "input", "set", "student", "id", "language", "answers")
KEY_FILE_KEYS = ("spec", "input", "set", "title", "language", "points", "questions")
QUESTION_KEYS = ("layer", "quantity", "spec", "answer", "kind", "points", "working", "text")

# The Spanish names of the keys above, as the course writes them (accents and case do not matter:
# `fold` removes them). One table for answers files and answer keys alike.
SPANISH_KEYS = {
    "red": "spec",
    "especificacion": "spec",
    "entrada": "input",
    "fijar": "set",
    "estudiante": "student",
    "alumno": "student",
    "alumna": "student",
    "idioma": "language",
    "respuestas": "answers",
    "titulo": "title",
    "puntos": "points",
    "preguntas": "questions",
    "capa": "layer",
    "magnitud": "quantity",
    "respuesta": "answer",
    "tipo": "kind",
    "desarrollo": "working",
    "enunciado": "text",
    "forma_de_salida": "output_shape",
    "forma_salida": "output_shape",
    "salida": "output_shape",
    "parametros": "params",
    "parametros_entrenables": "trainable_params",
    "parametros_no_entrenables": "non_trainable_params",
    "activaciones": "activations",
    "campo_receptivo": "receptive_field",
}


def fold(name: str) -> str:
    """A key as compared: lower case, no accents, words joined by `_` (`Campo receptivo` → campo_receptivo)."""
    decomposed = unicodedata.normalize("NFKD", name.strip().lower())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "_".join(bare.replace("-", " ").split())


def english_key(name: object) -> str:
    """An answers file's or key's key in English: Spanish names translated, others as written."""
    text = str(name)
    return SPANISH_KEYS.get(fold(text), fold(text) if fold(text) in _ENGLISH else text)


_ENGLISH = frozenset((*QUANTITIES, *TOTALS, *FILE_KEYS, *KEY_FILE_KEYS, *QUESTION_KEYS))


def english_keys(document: Mapping[Any, object]) -> dict[str, object]:
    """The mapping with its keys in English; a LocDict keeps each key's location under its new name."""
    if not isinstance(document, LocDict):
        return {english_key(k): v for k, v in document.items()}
    translated = LocDict(document.location)
    for key, value in document.items():
        translated[english_key(key)] = value
        translated.key_locations[english_key(key)] = document.where(key)
    return translated


def did_you_mean(name: str, known: Sequence[str]) -> str:
    """' — did you mean 'conv'?' to end a message, when a known name is near `name` (errors.closest), else ''."""
    hint = errors.did_you_mean(name, known)
    return f" — {hint}" if hint else ""


@dataclass(frozen=True)
class Claim:
    layer: str
    quantity: str
    claimed: object
    correct: object
    ok: bool
    working: tuple[str, ...]
    note: str | None = None  # why it could not be marked (a layer or quantity the spec lacks)

    def to_dict(self) -> dict[str, object]:
        return {
            "layer": self.layer,
            "quantity": self.quantity,
            "claimed": as_json(self.claimed),
            "correct": self.correct,
            "ok": self.ok,
            "working": list(self.working),
            "note": self.note,
        }


@dataclass(frozen=True)
class Marking:
    file: str
    student: str | None
    claims: tuple[Claim, ...]

    @property
    def score(self) -> int:
        return sum(c.ok for c in self.claims)

    @property
    def ok(self) -> bool:
        return self.score == len(self.claims)

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "student": self.student,
            "score": self.score,
            "total": len(self.claims),
            "claims": [c.to_dict() for c in self.claims],
        }


def as_json(value: object) -> object:
    """A claim as JSON can hold it: what YAML reads that JSON has no type for (a date, .nan, .inf) as text."""
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | str) or (isinstance(value, float) and math.isfinite(value)):
        return value
    return str(value)


ANSWER_KINDS = ("int", "shape", "number", "matrix", "choice")


def answer_value(value: object, kind: str, language: str = "en") -> object | None:
    """An answer read as a value of `kind` (one of ANSWER_KINDS), None when it cannot be read as one."""
    return read_answer(value, kind, language)[0]


def read_answer(value: object, kind: str, language: str = "en") -> tuple[object | None, str | None]:
    """An answer as a value of `kind`, or None and why not (an ambiguous `1,216` in Spanish, with both
    readings: never guessed). Text is read by cnncalc.notation in `language`; a number YAML already
    read (a file parsed without numbers_as_text) is taken as it is. The one place answers are read."""
    from cnncalc.errors import SpecError

    if value is None or (isinstance(value, bool) and kind != "choice"):
        return None, None
    try:
        return _READERS[kind](value, language), None
    except SpecError as error:
        return None, error.message
    except (ValueError, TypeError, ZeroDivisionError, OverflowError):
        return None, None


def _as_int(value: object, language: str) -> int | None:
    """760, '760', '7.6e2', 760.0; '1.216' in Spanish is 1216 (notation.answer_count)."""
    from cnncalc import notation

    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    return notation.answer_count(value, language)


def _as_shape(value: object, language: str) -> tuple[int, ...] | None:
    """32x32x10, (32, 32, 10), [32, 32, 10] or one number (notation.answer_shape)."""
    from cnncalc import notation

    return notation.answer_shape(value, language)


def _as_fraction(value: object, language: str) -> Fraction | None:
    """8.75, '8.75' ('8,75' in Spanish), '35/4' exactly; a float YAML read, through its shortest text."""
    from cnncalc import notation

    if isinstance(value, int | Fraction):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(repr(value)) if math.isfinite(value) else None
    return notation.read_number(value, language, "the answer") if isinstance(value, str) else None


def _as_matrix(value: object, language: str) -> tuple[tuple[Fraction, ...], ...] | None:
    """[[1, 2], [3, 4]] or '1 2; 3 4' (rows by `;`): a rectangle of exact numbers."""
    from cnncalc import notation

    if isinstance(value, str):
        rows: list[list[Any]] = list(notation.read_matrix(value, language, "the answer"))
    elif isinstance(value, list) and value:
        rows = [row if isinstance(row, list) else [row] for row in value]
    else:
        return None
    cells = [tuple(_as_fraction(cell, language) for cell in row) for row in rows]
    if not cells or len({len(row) for row in cells}) != 1 or any(c is None for row in cells for c in row):
        return None
    return tuple(cells)  # type: ignore[arg-type]  # no None left


_YES = frozenset(("yes", "y", "si", "s", "true"))
_NO = frozenset(("no", "n", "false"))


def _as_choice(value: object, language: str) -> str | None:
    """Yes/no in either language (sí, true) as yes/no; any other choice as its folded text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if not isinstance(value, str | int):
        return None
    text = fold(str(value))
    return "yes" if text in _YES else "no" if text in _NO else text


_READERS: dict[str, Callable[[Any, str], object]] = {
    "int": _as_int,
    "shape": _as_shape,
    "number": _as_fraction,
    "matrix": _as_matrix,
    "choice": _as_choice,
}


def _shape_text(value: object) -> object:
    """A claimed shape as the text the correct one is shown in: 6x6, not [6, 6] or 6."""
    if isinstance(value, list):
        return "x".join(map(str, value))
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def read_answers(path: Path, keyed: bool = False) -> tuple[dict[str, object], Location]:
    """An answers file's document, checked for its keys, and where it is. Graded against a key
    (`keyed`), it needs no `spec:`: the key names it."""
    document, where = answers_document(path)
    needed = ("answers",) if keyed else ("spec", "answers")
    if not isinstance(document, dict) or any(key not in document for key in needed):
        spec_like = isinstance(document, dict) and "layers" in document
        key_like = isinstance(document, dict) and "questions" in document
        hint = (_("this is a spec (it has layers:): pass only the answers files") if spec_like else
                _("this is an answer key (it has questions:): give it with --key") if key_like else
                _("see examples/homework/ for one"))  # fmt: skip
        keys = (" " + _("and") + " ").join(repr(k + ":") for k in needed)
        message = _("an answers file needs {keys}").format(keys=keys)
        raise ValidationSpecError(message, location=where, hint=hint)
    unknown = set(document) - set(FILE_KEYS)
    if unknown:
        message = ngettext(
            "unknown key {keys} in an answers file", "unknown keys {keys} in an answers file", len(unknown)
        )
        raise ValidationSpecError(message.format(keys=", ".join(map(repr, sorted(unknown)))), location=where)
    return document, where


def answers_document(path: Path, answers_as_text: bool = True) -> tuple[object, Location]:
    """An answers file's document with its keys in English (`respuestas:` is `answers:`). With
    `answers_as_text` the answers keep their digits as written — YAML would read Spanish 1.216 as
    the decimal 1.216 — while `set:` and `input:` are read as in a spec."""
    text = read_text(path)
    document = parse_document(text, str(path))
    where = document.location if isinstance(document, LocDict) else Location(file=str(path))
    if not isinstance(document, dict):
        return document, where
    translated = english_keys(document)
    if answers_as_text and isinstance(translated.get("answers"), dict):
        written = english_keys(_mapping(parse_document(text, str(path), numbers_as_text=True)))
        translated["answers"] = written["answers"]
    if isinstance(translated.get("answers"), dict):
        translated["answers"] = english_keys(translated["answers"])  # type: ignore[arg-type]
    return translated, where


def _mapping(document: object) -> Mapping[Any, object]:
    return document if isinstance(document, dict) else {}


def spec_source(path: Path, document: Mapping[str, object]) -> str:
    """What the answers file's `spec:` names: a file beside it, else a bundled name or a chain."""
    spec = str(document["spec"])
    relative = path.parent / spec
    return str(relative) if relative.exists() else spec


def mark_answers(
    net: Any, document: Mapping[str, object], where: Location, path: Path, language: str = "en"
) -> Marking:
    """Check every claim of an answers document against the network its `spec:` names (a
    cnncalc.Network, loaded by the caller: analyses do not load files)."""
    answers = document["answers"]
    if not isinstance(answers, dict) or not answers:
        raise ValidationSpecError(
            _("'answers:' must map layer names (or 'total') to claims")
            if answers
            else _("'answers:' must map layer names (or 'total') to claims, and it is empty"),
            location=where,
            hint=_("e.g. {example}").format(example="answers: {conv_1: {output_shape: 32x32x10, params: 760}}"),
        )
    claims: list[Claim] = []
    language = file_language(document, language)
    for layer, claimed in answers.items():
        claims.extend(_check_entry(net, str(layer), claimed, _where(answers, str(layer), where), language))
    student = document.get("student")
    return Marking(str(path), None if student is None else str(student), tuple(claims))


def _where(mapping: object, key: str, fallback: Location) -> Location:
    return mapping.where(key) if isinstance(mapping, LocDict) else fallback


def file_language(document: Mapping[str, object], default: str = "en") -> str:
    """The language a file's numbers are written in: its `language:` (es, en), else `default`."""
    written = document.get("language")
    return default if written is None else str(written)


def _check_entry(net, layer: str, claimed: object, where: Location, language: str) -> list[Claim]:
    """A layer's claims marked; a layer or quantity the spec lacks is a wrong claim with a note
    (a typo costs that answer, not the whole file)."""
    if not isinstance(claimed, dict):
        message = _("the answers for {layer!r} must be a mapping like {example}").format(
            layer=layer, example="{params: 760}"
        )
        raise ValidationSpecError(message, location=where)
    name = layer if layer == "total" else layer_name(net, layer)
    known = TOTALS if layer == "total" else QUANTITIES
    claims = []
    for written, value in english_keys(claimed).items():
        quantity = english_key(written)
        note = unknown_note(net, layer, name, quantity, known)
        if note:
            claims.append(Claim(layer, quantity, value, "", False, (), note))
        elif name == "total":
            claims.append(check_total(net, quantity, value, where, language))
        else:
            claims.append(check_layer(net, str(name), quantity, value, where, language))
    return claims


def unknown_note(net, layer: str, name: str | None, quantity: str, known: Sequence[str]) -> str | None:
    """Why a claim cannot be marked — no such layer, or no such quantity — with a "did you mean"."""
    if name is None:
        return _("the spec has no layer {layer!r}").format(layer=layer) + did_you_mean(
            layer, (*net.layer_names, "total")
        )
    if quantity not in known:
        suggestion = did_you_mean(quantity, known)
        return _("unknown quantity {quantity!r}{suggestion} (one of {known})").format(
            quantity=quantity, suggestion=suggestion, known=", ".join(known)
        )
    return None


def layer_name(net, layer: str) -> str | None:
    """The spec's name of a layer named or numbered as in `cnncalc summary`; None when it has none."""
    names = net.layer_names
    if layer.isascii() and layer.isdigit() and len(layer) <= MAX_DIGITS and int(layer) < len(names):
        return str(names[int(layer)])
    return layer if layer in names else None


def check_total(net, quantity: str, value: object, where: Location, language: str = "en") -> Claim:
    if quantity not in TOTALS:
        hint = _("totals: {names}").format(names=", ".join(TOTALS))
        raise ValidationSpecError(_("unknown total {name!r}").format(name=quantity), location=where, hint=hint)
    correct = getattr(net.summary().totals, quantity)
    claimed, note = read_answer(value, "int", language)
    working = () if claimed == correct else _total_working(net, quantity)
    return Claim("total", quantity, value, correct, claimed == correct, working, note)


def _total_working(net, quantity: str) -> tuple[str, ...]:
    rows = [r for r in net.summary().layers if getattr(r, quantity, 0)]
    return (
        " + ".join(f"{number(getattr(r, quantity))} ({r.name})" for r in rows)
        + f" = {number(getattr(net.summary().totals, quantity))}",
    )


def check_layer(net, name: str, quantity: str, value: object, where: Location, language: str = "en") -> Claim:
    if quantity not in QUANTITIES:
        hint = _("claims are {names}").format(names=", ".join(QUANTITIES))
        raise ValidationSpecError(_("unknown quantity {name!r}").format(name=quantity), location=where, hint=hint)
    record = next(r for r in net.summary().layers if r.name == name)
    working = net.explain(name).layers[0]
    if quantity in ("output_shape", "receptive_field"):
        value = _shape_text(value)
    note = None
    if quantity == "output_shape":
        correct: object = "x".join(map(str, record.output_shape))
        ok, note = shape_matches(value, record.output_shape, language)
        lines = working.shape
    elif quantity == "receptive_field":
        from cnncalc.analysis.receptive_field import plain_number

        field = net.receptive_field(name)
        sizes = tuple(a.size for a in field.axes) if field.axes else ()  # exact: after upsampling, halves
        correct = "x".join(str(plain_number(size)) for size in sizes)
        claimed, note = read_answer(value, "shape", language)
        ok = bool(sizes) and (
            claimed == sizes or (isinstance(claimed, tuple) and len(claimed) == 1 and set(sizes) == set(claimed))
        )
        lines = working.field
    else:
        correct = getattr(record, quantity)
        claimed, note = read_answer(value, "int", language)
        ok = claimed == correct
        line = working.params if quantity != "macs" else working.macs
        lines = (line,) if line else ()
    return Claim(name, quantity, value, correct, ok, () if ok else tuple(lines), note)


def shape_matches(value: object, correct: tuple[int, ...], language: str = "en") -> tuple[bool, str | None]:
    """Whether a claimed shape is the correct one; PyTorch's channels-first order is right too, with
    a note saying so (16x32x32 for 32x32x16: the student knows the shape, in the other order)."""
    claimed, unread = read_answer(value, "shape", language)
    if claimed == correct:
        return True, None
    if isinstance(claimed, tuple) and len(correct) >= 2 and claimed == correct[-1:] + correct[:-1]:
        shown = "x".join(map(str, correct))
        return True, _("channels first (PyTorch's order): cnncalc writes channels last, {shown}").format(shown=shown)
    return False, unread
