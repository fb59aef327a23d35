"""Grading a class against an answer key: points per question, blanks count, a gradebook.

An answer key lists the questions, each with its points, in the order of the gradebook's columns:

spec: exercise.yaml          # the network the questions that name a layer are about (optional)
points: 1                    # each question's points unless it says (optional; 1)
questions:
  q1: {layer: conv, quantity: output_shape, points: 2}   # computed from the spec when grading
  q2: {layer: total, quantity: params}
  q3: {answer: 28, kind: int, working: ["⌊(32 − 5)/1⌋ + 1 = 28"]}  # a value the key carries
  q4: {spec: "INPUT(8x8x1) → CONV(4, 3)", layer: conv_1, quantity: macs}

A student's answers file answers a question by its id (`q3: 28`) or, for a question about a
layer of the key's spec, as `cnncalc check` always read them (`conv: {output_shape: 32x32x10}`).
Networks are loaded by the caller (api.grade_files): analyses do not load files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from cnncalc.analysis.check import (
    ANSWER_KINDS,
    QUANTITIES,
    TOTALS,
    Claim,
    answer_value,
    as_json,
    check_layer,
    check_total,
    did_you_mean,
    english_key,
    english_keys,
    layer_name,
    read_answer,
    shape_matches,
)
from cnncalc.display import Displayed
from cnncalc.errors import Location, SpecError, ValidationSpecError
from cnncalc.i18n import _
from cnncalc.spec.located import LocDict

RIGHT, CARRIED, WRONG, BLANK = "right", "follow-through", "wrong", "blank"
CARRIED_QUANTITIES = ("output_shape", "params", "trainable_params", "macs")


@dataclass(frozen=True)
class Question:
    """One column of the gradebook: a quantity of a spec's layer, or a value the key carries."""

    id: str
    points: Fraction
    spec: str | None = None  # None: the key's own spec
    layer: str | None = None
    quantity: str | None = None
    answer: object = None
    kind: str = "int"
    working: tuple[str, ...] = ()
    text: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "points": number(self.points),
            "layer": self.layer,
            "quantity": self.quantity,
            "text": self.text,
        }


@dataclass(frozen=True)
class Key:
    """An answer key: its questions, and the networks they are about by spec (None: the key's)."""

    file: str
    questions: tuple[Question, ...]
    networks: tuple[tuple[str | None, Any], ...]
    spec: str | None = None  # where the key's own spec is (a file, a bundled name or a chain)
    network_of: Callable[[Any], Any] | None = None  # a Graph → a network (cnncalc.Network), for follow-through
    language: str = "en"  # how the key writes the numbers of the answers it carries

    def network(self, spec: str | None) -> Any:
        return dict(self.networks)[spec]

    @property
    def max_points(self) -> Fraction:
        return sum((q.points for q in self.questions), Fraction(0))


@dataclass(frozen=True)
class Cell:
    """A student's answer to one question, marked."""

    question: str
    status: str  # right, follow-through, wrong or blank
    claimed: object
    correct: object
    points: Fraction
    working: tuple[str, ...] = ()
    note: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "question": self.question,
            "status": self.status,
            "claimed": as_json(self.claimed),
            "correct": as_json(self.correct),
            "points": number(self.points),
            "working": list(self.working),
            "note": self.note,
        }


@dataclass(frozen=True)
class Row:
    """One student's line of the gradebook, and what in the file could not be matched to a question."""

    id: str
    student: str | None
    file: str
    cells: tuple[Cell, ...]
    notes: tuple[str, ...] = ()

    @property
    def points(self) -> Fraction:
        return sum((c.points for c in self.cells), Fraction(0))

    def count(self, status: str) -> int:
        return sum(c.status == status for c in self.cells)

    def to_dict(self, max_points: Fraction) -> dict[str, object]:
        return {
            "id": self.id,
            "student": self.student,
            "file": self.file,
            "points": number(self.points),
            "max_points": number(max_points),
            "answered": len(self.cells) - self.count(BLANK),
            "cells": [c.to_dict() for c in self.cells],
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Gradebook(Displayed):
    key: Key
    rows: tuple[Row, ...]
    errors: tuple[SpecError, ...]
    follow_through: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "schema": "cnncalc.gradebook/1",
            "key": self.key.file,
            "follow_through": self.follow_through,
            "max_points": number(self.key.max_points),
            "questions": [q.to_dict() for q in self.key.questions],
            "students": [r.to_dict(self.key.max_points) for r in self.rows],
            "errors": [e.to_dict() for e in self.errors],
        }


def number(value: Fraction) -> int | float:
    """Points as JSON writes them: whole points as integers, halves and tenths as decimals."""
    return value.numerator if value.denominator == 1 else float(value)


def points_of(value: object, where: Location) -> Fraction:
    """Points as written: a whole or decimal number, at least 0."""
    points = answer_value(value, "number")
    if not isinstance(points, Fraction) or points < 0:
        raise ValidationSpecError(_("points must be a number of at least 0, got {value!r}").format(value=value),
                                  location=where, hint=_("e.g. points: 2 or points: 0.5"))  # fmt: skip
    return points


# Reading an answer key.


def key_questions(document: Mapping[str, object], where: Location) -> list[tuple[str, Mapping[str, object], Location]]:
    """The key's questions in order, each as (id, its fields in English, where it is written)."""
    questions = document.get("questions")
    if not isinstance(questions, dict) or not questions:
        raise ValidationSpecError(
            _("an answer key needs 'questions:', a mapping of question ids to questions"),
            location=where,
            hint=_("e.g. questions: {example}").format(example="{q1: {layer: conv, quantity: params}}"),
        )
    listed: list[tuple[str, Mapping[str, object], Location]] = []
    for id, fields in questions.items():
        at = questions.where(str(id)) if isinstance(questions, LocDict) else where
        if not isinstance(fields, dict):
            example = "{layer: conv, quantity: params}"
            message = _("question {id!r} must be a mapping like {example}").format(id=id, example=example)
            raise ValidationSpecError(message, location=at)
        listed.append((str(id), english_keys(fields), at))
    return listed


def make_question(
    id: str, fields: Mapping[str, object], default: Fraction, net: Any, where: Location, language: str = "en"
) -> Question:
    """A question checked against its network (`net`, None when it carries its answer, written in
    the key's `language`)."""
    from cnncalc.analysis.check import QUESTION_KEYS

    unknown = [k for k in fields if k not in QUESTION_KEYS]
    if unknown:
        close = did_you_mean(unknown[0], QUESTION_KEYS)
        message = _("unknown key {key!r} in question {id!r}").format(key=unknown[0], id=id)
        hint = _("a question has {keys}").format(keys=", ".join(QUESTION_KEYS))
        raise ValidationSpecError(message + close, location=where, hint=hint)
    points = points_of(fields["points"], where) if "points" in fields else default
    written = fields.get("working")
    working = tuple(str(w) for w in written) if isinstance(written, list) else ()
    text = None if fields.get("text") is None else str(fields["text"])
    spec = None if fields.get("spec") is None else str(fields["spec"])
    if "answer" in fields:
        kind = str(fields.get("kind", "int"))
        if kind not in ANSWER_KINDS or answer_value(fields["answer"], kind, language) is None:
            message = _("question {id!r}: the answer {answer!r} is not of kind {kind!r}")
            raise ValidationSpecError(message.format(id=id, answer=fields["answer"], kind=kind), location=where,
                                      hint=_("kinds: {kinds}").format(kinds=", ".join(ANSWER_KINDS)))  # fmt: skip
        return Question(id, points, spec, None, None, fields["answer"], kind, working, text)
    layer, quantity = str(fields.get("layer", "")), english_key(fields.get("quantity", ""))
    return Question(id, points, spec, _key_layer(net, id, layer, quantity, where), quantity, text=text)


def _key_layer(net: Any, id: str, layer: str, quantity: str, where: Location) -> str:
    if net is None:
        raise ValidationSpecError(
            _("question {id!r} is about a layer, but the key has no spec:").format(id=id),
            location=where,
            hint=_("give spec: in the key or in the question, or the question's answer:"),
        )
    name = "total" if layer == "total" else layer_name(net, layer)
    known = TOTALS if name == "total" else QUANTITIES
    if name is None:
        close = did_you_mean(layer, (*net.layer_names, "total"))
        message = _("question {id!r}: the spec has no layer {layer!r}").format(id=id, layer=layer)
        raise ValidationSpecError(message + close, location=where)
    if quantity not in known:
        message = _("question {id!r}: unknown quantity {quantity!r}").format(id=id, quantity=quantity)
        raise ValidationSpecError(message + did_you_mean(quantity, known), location=where,
                                  hint=_("one of {names}").format(names=", ".join(known)))  # fmt: skip
    return name


# Matching a student's answers to the key's questions.


def matched_answers(key: Key, answers: Mapping[str, object]) -> tuple[dict[str, object], list[str]]:
    """Each answered question's value by id, and notes on what matched no question (with a "did
    you mean"): a typo costs that answer, never the rest of the file."""
    by_layer: dict[tuple[str | None, str | None], str] = {
        (q.layer, q.quantity): q.id for q in key.questions if q.spec is None and q.layer
    }
    ids = [q.id for q in key.questions]
    values: dict[str, object] = {}
    notes: list[str] = []
    for written, value in answers.items():
        name = str(written)
        if not isinstance(value, dict):
            if name in ids:
                values[name] = value
            else:
                notes.append(_("{name!r} is not a question of the key").format(name=name) + did_you_mean(name, ids))
            continue
        values_of_layer, layer_notes = _layer_answers(key, name, value, by_layer)
        values.update(values_of_layer)
        notes.extend(layer_notes)
    return values, notes


def _layer_answers(
    key: Key, written: str, claims: Mapping[str, object], by_layer: Mapping[tuple[str | None, str | None], str]
) -> tuple[dict[str, object], list[str]]:
    net = dict(key.networks).get(None)
    layers = {layer for layer, _ in by_layer}
    name = "total" if written == "total" else (layer_name(net, written) if net is not None else None)
    if name is None or name not in layers:
        suggestion = did_you_mean(written, sorted(map(str, layers)))
        return {}, [_("{layer!r} is not a layer the key asks about").format(layer=written) + suggestion]
    values, notes = {}, []
    for quantity, value in english_keys(claims).items():
        id = by_layer.get((name, english_key(quantity)))
        if id is None:
            asked = [q for layer, q in by_layer if layer == name]
            suggestion = did_you_mean(quantity, [str(a) for a in asked])
            notes.append(
                _("the key does not ask for {layer} {quantity}").format(layer=name, quantity=quantity) + suggestion
            )
        else:
            values[id] = value
    return values, notes


# Marking.


def grade(
    key: Key, answers: Mapping[str, object], follow_through: bool, language: str = "en"
) -> tuple[tuple[Cell, ...], list[str]]:
    """Every question of the key marked for one student's answers (numbers as `language` writes
    them); unanswered ones are blank."""
    values, notes = matched_answers(key, answers)
    cells = tuple(_cell(key, q, values, follow_through, language) for q in key.questions)
    return cells, notes


def _cell(key: Key, question: Question, values: Mapping[str, object], follow_through: bool, language: str) -> Cell:
    if question.id not in values or values[question.id] is None or values[question.id] == "":
        correct, working = _correct(key, question)
        return Cell(question.id, BLANK, None, correct, Fraction(0), working)
    value = values[question.id]
    if question.quantity is None:
        return _fixed(question, value, key.language, language)
    claim = _claim(key.network(question.spec), question, value, language)
    if not claim.ok and follow_through:
        carried = _carried(key, question, values, language)
        if carried is not None:
            return Cell(question.id, CARRIED, value, claim.correct, question.points, claim.working, carried)
    return _marked(question, value, claim.correct, claim.ok, claim.working, claim.note)


def _fixed(question: Question, value: object, key_language: str, language: str) -> Cell:
    """A question whose answer the key carries, marked: equal as values of its kind, each read in
    its own file's language."""
    correct = answer_value(question.answer, question.kind, key_language)
    claimed, note = read_answer(value, question.kind, language)
    if question.kind == "shape" and isinstance(correct, tuple):
        ok, note = shape_matches(value, correct, language)
    else:
        ok = claimed == correct
    if claimed is None and note is None:
        note = _("cannot read {value!r} as a {kind}").format(value=value, kind=question.kind)
    return _marked(question, value, question.answer, ok, question.working, note)


def _marked(
    question: Question, value: object, correct: object, ok: bool, working: Sequence[str], note: str | None
) -> Cell:
    status, points = (RIGHT, question.points) if ok else (WRONG, Fraction(0))
    return Cell(question.id, status, value, correct, points, tuple(working), note)


def _claim(net: Any, question: Question, value: object, language: str = "en") -> Claim:
    where = Location()
    if question.layer == "total":
        return check_total(net, str(question.quantity), value, where, language)
    return check_layer(net, str(question.layer), str(question.quantity), value, where, language)


def _correct(key: Key, question: Question) -> tuple[object, tuple[str, ...]]:
    """The right answer and its working, for a question left blank."""
    if question.quantity is None:
        return question.answer, question.working
    claim = _claim(key.network(question.spec), question, None)
    return claim.correct, claim.working


# Follow-through: a later answer right given the student's own earlier one.


def _carried(key: Key, question: Question, values: Mapping[str, object], language: str) -> str | None:
    """Why a wrong answer is credited, or None: it is what the engine computes from the student's own
    earlier (wrong) output shape, or, for a total, the sum of the student's own layer values."""
    if question.quantity not in CARRIED_QUANTITIES:
        return None
    net = key.network(question.spec)
    own = {(q.layer, q.quantity): values[q.id] for q in key.questions if q.spec == question.spec and q.id in values}
    if question.layer == "total":
        return _carried_total(net, question, own, language)
    return _carried_layer(key, net, question, own, language)


def _carried_total(
    net: Any, question: Question, own: Mapping[tuple[str | None, str | None], object], language: str
) -> str | None:
    quantity = str(question.quantity)
    if quantity not in ("params", "trainable_params", "macs"):
        return None
    total = 0
    for record in net.summary().layers:
        claimed = answer_value(own.get((record.name, quantity)), "int", language)
        total += claimed if isinstance(claimed, int) else getattr(record, quantity)
    claimed_total = answer_value(own.get(("total", quantity)), "int", language)
    return _("the sum of your own layer values is {total:,}").format(total=total) if claimed_total == total else None


def _carried_layer(
    key: Key, net: Any, question: Question, own: Mapping[tuple[str | None, str | None], object], language: str
) -> str | None:
    names = list(net.layer_names)
    position = names.index(question.layer)
    for earlier in reversed(names[:position]):
        shape = answer_value(own.get((earlier, "output_shape")), "shape", language)
        if not isinstance(shape, tuple) or shape == net.summary().layers[names.index(earlier)].output_shape:
            continue
        rest = _network_after(net, earlier, shape, key.network_of)
        if rest is None:
            return None
        carried = check_layer(
            rest,
            str(question.layer),
            str(question.quantity),
            own[(question.layer, question.quantity)],
            Location(),
            language,
        )
        shown = "x".join(map(str, shape))
        return (
            _("right from your own {layer} output {shape}").format(layer=earlier, shape=shown) if carried.ok else None
        )
    return None


def _network_after(net: Any, start: str, shape: tuple[int, ...], network_of: Callable[[Any], Any] | None) -> Any:
    """The network from `start` on, fed `shape` where `start`'s output was: None when a later layer
    reads a layer before `start` (a branch the chain does not carry) or the shape does not fit."""
    from cnncalc.graph import build_graph
    from cnncalc.layers.dense import Input

    nodes = list(net.spec.nodes)
    position = [n.name for n in nodes].index(start)
    later = nodes[position + 1 :]
    carried = {start} | {n.name for n in later}
    if network_of is None or any(name not in carried for node in later for name in node.inputs):
        return None
    try:
        first = replace(nodes[position], layer=Input(shape=shape), inputs=())
        return network_of(build_graph(replace(net.spec, nodes=(first, *later))))
    except (SpecError, ValueError):
        return None
