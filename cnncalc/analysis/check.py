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
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cnncalc.errors import Location, ValidationSpecError
from cnncalc.spec.expr import MAX_DIGITS, parse_dims, whole_number
from cnncalc.spec.files import parse_document, read_text
from cnncalc.spec.located import LocDict

QUANTITIES = ("output_shape", "params", "trainable_params", "macs", "receptive_field")
TOTALS = ("params", "trainable_params", "non_trainable_params", "macs", "activations")


@dataclass(frozen=True)
class Claim:
    layer: str
    quantity: str
    claimed: object
    correct: object
    ok: bool
    working: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "layer": self.layer,
            "quantity": self.quantity,
            "claimed": _as_json(self.claimed),
            "correct": self.correct,
            "ok": self.ok,
            "working": list(self.working),
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


def _as_json(value: object) -> object:
    """A claim as JSON can hold it: what YAML reads that JSON has no type for (a date, .nan, .inf) as text."""
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | str) or (isinstance(value, float) and math.isfinite(value)):
        return value
    return str(value)


def _as_shape(value: object) -> tuple[int, ...] | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,)
    if isinstance(value, str):
        text = value.strip()
        return parse_dims(text) or ((whole_number(text),) if text.isascii() and text.isdigit() else None)
    if isinstance(value, list) and all(isinstance(v, int) for v in value):
        return tuple(value)
    return None


def _as_int(value: object) -> int | None:
    """760, '760', '7,600', 760.0, 7.6e2 and '7.6e2' (YAML reads it as text) are whole numbers."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.replace(",", "").replace("_", "").strip()
        if text.isascii() and text.isdigit():
            return whole_number(text)
        try:
            value = float(text)
        except ValueError:
            return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _shape_text(value: object) -> object:
    """A claimed shape as the text the correct one is shown in: 6x6, not [6, 6] or 6."""
    if isinstance(value, list):
        return "x".join(map(str, value))
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def read_answers(path: Path) -> tuple[LocDict | dict[str, object], Location]:
    """An answers file's document, checked for its keys, and where it is."""
    document = parse_document(read_text(path), str(path))
    where = document.location if isinstance(document, LocDict) else Location(file=str(path))
    if not isinstance(document, dict) or "spec" not in document or "answers" not in document:
        spec_like = isinstance(document, dict) and "layers" in document
        raise ValidationSpecError("an answers file needs 'spec:' and 'answers:'", location=where,
                                  hint="this is a spec (it has layers:): pass only the answers files"
                                  if spec_like else "see examples/homework/ for one")  # fmt: skip
    unknown = set(document) - {"spec", "input", "set", "student", "answers"}
    if unknown:
        raise ValidationSpecError(f"unknown key(s) {sorted(unknown)} in an answers file", location=where)
    return document, where


def spec_source(path: Path, document: Mapping[str, object]) -> str:
    """What the answers file's `spec:` names: a file beside it, else a bundled name or a chain."""
    spec = str(document["spec"])
    relative = path.parent / spec
    return str(relative) if relative.exists() else spec


def mark_answers(net: Any, document: Mapping[str, object], where: Location, path: Path) -> Marking:
    """Check every claim of an answers document against the network its `spec:` names (a
    cnncalc.Network, loaded by the caller: analyses do not load files)."""
    answers = document["answers"]
    if not isinstance(answers, dict) or not answers:
        raise ValidationSpecError(
            "'answers:' must map layer names (or 'total') to claims" + ("" if answers else ", and it is empty"),
            location=where,
            hint="e.g. answers: {conv_1: {output_shape: 32x32x10, params: 760}}",
        )
    claims: list[Claim] = []
    for layer, claimed in answers.items():
        claims.extend(_check_entry(net, str(layer), claimed, _where(answers, str(layer), where)))
    student = document.get("student")
    return Marking(str(path), None if student is None else str(student), tuple(claims))


def _where(mapping: object, key: str, fallback: Location) -> Location:
    return mapping.where(key) if isinstance(mapping, LocDict) else fallback


def _check_entry(net, layer: str, claimed: object, where: Location) -> list[Claim]:
    if not isinstance(claimed, dict):
        raise ValidationSpecError(f"the answers for {layer!r} must be a mapping like {{params: 760}}", location=where)
    if layer == "total":
        return [_check_total(net, quantity, value, where) for quantity, value in claimed.items()]
    name = _layer_name(net, layer, where)
    return [_check_layer(net, name, quantity, value, where) for quantity, value in claimed.items()]


def _layer_name(net, layer: str, where: Location) -> str:
    names = net.layer_names
    if layer.isascii() and layer.isdigit() and len(layer) <= MAX_DIGITS and int(layer) < len(names):
        return names[int(layer)]
    if layer in names:
        return layer
    raise ValidationSpecError(f"the spec has no layer {layer!r}", location=where,
                              hint="use a name or index from `cnncalc summary`")  # fmt: skip


def _check_total(net, quantity: str, value: object, where: Location) -> Claim:
    if quantity not in TOTALS:
        raise ValidationSpecError(f"unknown total {quantity!r}", location=where, hint=f"totals: {', '.join(TOTALS)}")
    correct = getattr(net.summary().totals, quantity)
    claimed = _as_int(value)
    working = () if claimed == correct else _total_working(net, quantity)
    return Claim("total", quantity, value, correct, claimed == correct, working)


def _total_working(net, quantity: str) -> tuple[str, ...]:
    rows = [r for r in net.summary().layers if getattr(r, quantity, 0)]
    return (
        " + ".join(f"{getattr(r, quantity):,} ({r.name})" for r in rows)
        + f" = {getattr(net.summary().totals, quantity):,}",
    )


def _check_layer(net, name: str, quantity: str, value: object, where: Location) -> Claim:
    if quantity not in QUANTITIES:
        raise ValidationSpecError(f"unknown quantity {quantity!r}", location=where,
                                  hint=f"claims are {', '.join(QUANTITIES)}")  # fmt: skip
    record = next(r for r in net.summary().layers if r.name == name)
    working = net.explain(name).layers[0]
    if quantity in ("output_shape", "receptive_field"):
        value = _shape_text(value)
    if quantity == "output_shape":
        correct: object = "x".join(map(str, record.output_shape))
        ok = _as_shape(value) == record.output_shape
        lines = working.shape
    elif quantity == "receptive_field":
        from cnncalc.analysis.receptive_field import plain_number

        field = net.receptive_field(name)
        sizes = tuple(a.size for a in field.axes) if field.axes else ()  # exact: after upsampling, halves
        correct = "x".join(str(plain_number(size)) for size in sizes)
        claimed = _as_shape(value)
        ok = bool(sizes) and (
            claimed == sizes or (claimed is not None and len(claimed) == 1 and set(sizes) == set(claimed))
        )
        lines = working.field
    else:
        correct = getattr(record, quantity)
        ok = _as_int(value) == correct
        line = working.params if quantity != "macs" else working.macs
        lines = (line,) if line else ()
    return Claim(name, quantity, value, correct, ok, () if ok else tuple(lines))
