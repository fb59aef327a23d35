"""Exercise sheets from the lecture notes' families, seeded and reproducible, with their answer key.

Every answer is computed by the engine — the out-size and solve analyses, a loaded network, the
fc-to-conv conversion, the NumPy executor for convolution and pooling by hand — never typed: the
generator only draws the numbers of each statement. Networks come from the caller's `load`
(cnncalc.load): the executor stage comes before the API in the flow. The key it writes is graded by
`cnncalc check --key` (analysis/grading.py); questions about a network name its spec, so the
grader recomputes them (and can follow a slip through).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from cnncalc.i18n import N_, _, written

LEVELS = (1, 2, 3)
Matrix = tuple[tuple[str, ...], ...]
Load = Callable[[str], Any]


@dataclass(frozen=True)
class Problem:
    """One question: its statement, and the answer the engine computed, in the key's words."""

    id: str
    text: str
    answer: object
    kind: str = "int"
    working: tuple[str, ...] = ()
    points: int = 1
    spec: str | None = None  # a question about a network: the grader recomputes it from the spec
    layer: str | None = None
    quantity: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "text": self.text, "points": self.points, "kind": self.kind, "answer": self.answer,
                "working": list(self.working), "spec": self.spec, "layer": self.layer,
                "quantity": self.quantity}  # fmt: skip

    def key_entry(self) -> dict[str, object]:
        """The question as an answer key writes it."""
        entry: dict[str, object] = {"text": self.text, "points": self.points}
        if self.spec is not None:
            return {**entry, "spec": self.spec, "layer": self.layer, "quantity": self.quantity}
        return {**entry, "answer": self.answer, "kind": self.kind, "working": list(self.working)}


@dataclass(frozen=True)
class Exercise:
    """A statement shared by its questions, the matrices it shows, and the questions."""

    title: str
    statement: str
    problems: tuple[Problem, ...]
    matrices: tuple[tuple[str, Matrix], ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "statement": self.statement,
            "matrices": [{"label": label, "rows": [list(row) for row in rows]} for label, rows in self.matrices],
            "questions": [p.to_dict() for p in self.problems],
        }


@dataclass(frozen=True)
class Sheet:
    seed: int
    level: int
    exercises: tuple[Exercise, ...] = field(default=())

    @property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(p for e in self.exercises for p in e.problems)

    def to_dict(self) -> dict[str, object]:
        return {"schema": "cnncalc.exercise/1", "seed": self.seed, "level": self.level,
                "exercises": [e.to_dict() for e in self.exercises]}  # fmt: skip

    def key_document(self) -> dict[str, object]:
        """The answer key `cnncalc check --key` reads."""
        title = f"cnncalc exercise --seed {self.seed} --level {self.level}"
        # language: en — its numbers are written as Python writes them (83.75), whatever language
        # `check` is then run in (a Spanish grader would read 83.75 as ambiguous)
        return {"title": title, "language": "en", "questions": {p.id: p.key_entry() for p in self.problems}}

    def answers_document(self) -> dict[str, object]:
        """Every question answered right: an answers file that scores full marks."""
        return {"student": "key", "language": "en", "answers": {p.id: p.answer for p in self.problems}}


def sheet(seed: int, level: int, load: Load) -> Sheet:
    """The sheet of one seed and level: every family once, numbers drawn from a generator of its own;
    `load` turns a chain into a network (cnncalc.load)."""
    from cnncalc.errors import ValidationSpecError

    if level not in LEVELS:
        raise ValidationSpecError(
            _("--level is 1, 2 or 3, not {level}").format(level=level), hint=_("1 is the easiest")
        )
    rng = random.Random(f"{seed}/{level}")  # a string seed: the same numbers on every platform
    exercises = tuple(family(rng, level, str(n), load) for n, family in enumerate(FAMILIES, start=1))
    return Sheet(seed, level, exercises)


# Exact numbers as a key writes them.


def exact(value: float) -> int | str:
    """A result of the executor exactly: 8.75, not 8.750000001 (its inputs are small integers, so
    results are whole or short binary fractions, which decimals write exactly)."""
    fraction = Fraction(value)
    if fraction.denominator == 1:
        return fraction.numerator
    return str(Decimal(fraction.numerator) / Decimal(fraction.denominator))


def matrix_text(array: Any) -> str:
    """A matrix as rows of exact numbers: `1 2; 3 4`."""
    return "; ".join(" ".join(str(exact(v)) for v in row) for row in array.tolist())


def shown(array: Sequence[Sequence[int]]) -> Matrix:
    return tuple(tuple(str(v) for v in row) for row in array)


def _ids(number: str, count: int) -> list[str]:
    return [f"{number}{chr(ord('a') + i)}" for i in range(count)]


# The families, in the order of the notes.


def output_size(rng: random.Random, level: int, number: str, load: Load) -> Exercise:
    from cnncalc.analysis.quick import axis_answer

    problems = []
    for id in _ids(number, 2):
        F = rng.choice((3, 5) if level == 1 else (3, 5, 7))
        S = 1 if level == 1 else rng.choice((1, 2) if level == 2 else (2, 3))
        P = rng.choice((0, 1, 2))
        W = rng.choice((28, 32, 64) if level < 3 else (31, 57, 112, 227))
        answer = axis_answer("W", W, F, S, P)
        text = _("W = {W}, F = {F}, S = {S}, P = {P}: the output size D?").format(W=W, F=F, S=S, P=P)
        problems.append(Problem(id, text, answer.size, working=(answer.working,)))
    statement = _("A square input of width W goes through a convolution of F×F filters, stride S and padding P.")
    return Exercise(_("Output size"), statement, tuple(problems))


def stride_fit(rng: random.Random, level: int, number: str, load: Load) -> Exercise:
    from cnncalc.analysis.quick import axis_answer

    W, F = rng.choice((7, 9, 10, 11) if level < 3 else (13, 15, 17, 224)), rng.choice((3, 5))
    S, P = rng.choice((2, 3)), rng.choice((0,) if level == 1 else (0, 1))
    answer = axis_answer("W", W, F, S, P)
    fits = N_("yes") if answer.fits else N_("no")  # the key's word (check reads it); shown translated
    lines = (answer.working, "(W − F + 2P)/S + 1 = " + written(f"{answer.exact:.2f}"))
    statement = f"W = {W}, F = {F}, S = {S}, P = {P}."  # symbols, the same in every language
    problems = (
        Problem(f"{number}a", _("Does the stride fit (is (W − F + 2P)/S + 1 whole)? yes or no"), fits, "choice", lines),
        Problem(f"{number}b", _("How many outputs does the layer give?"), answer.size, working=lines),
    )
    return Exercise(_("Stride fit"), statement, problems)


def padding_to_keep(rng: random.Random, level: int, number: str, load: Load) -> Exercise:
    from cnncalc.analysis.quick import axis_answer
    from cnncalc.analysis.solve import keep_size_padding

    W, F = rng.choice((28, 32, 64, 100)), rng.choice((3, 5) if level == 1 else (3, 5, 7, 9, 11))
    P = keep_size_padding(W, F)[0]
    working = (axis_answer("W", W, F, 1, P).working,)
    text = _("W = {W}, F = {F}, S = 1: which padding P keeps the output {W}×{W}?").format(W=W, F=F)
    return Exercise(_("Padding to keep the size"), text, (Problem(f"{number}a", "P?", P, working=working),))


def net_counts(rng: random.Random, level: int, number: str, load: Load) -> Exercise:
    H, C = rng.choice((16, 32) if level < 3 else (32, 64)), rng.choice((1, 3))
    f1, f2 = rng.choice((4, 6, 8)), rng.choice((8, 16))
    k1, k2, n = rng.choice((3, 5)), rng.choice((3, 5)), rng.choice((10, 20))
    spec = (
        f"INPUT({H}x{H}x{C}) → CONV({f1}, {k1}, p={k1 // 2}) → RELU → POOL(2) → CONV({f2}, {k2})"
        f" → RELU → FLATTEN → FC({n})"
    )
    net = load(spec)
    names = net.layer_names  # input, conv_1, relu_1, pool, conv_2, relu_2, flatten, dense
    asked = [(names[1], "params", _("parameters of the first convolution")),
             (names[1], "macs", _("multiply-accumulates (MACs) of the first convolution")),
             (names[4], "output_shape", _("output shape (H×W×C) of the second convolution")),
             ("total", "params", _("parameters of the whole network"))]  # fmt: skip
    if level == 1:
        asked = asked[:1] + asked[2:]
    problems = []
    for id, (layer, quantity, text) in zip(_ids(number, len(asked)), asked, strict=True):
        problems.append(_network_problem(net, spec, id, layer, quantity, text))
    statement = _("The network {spec} (channels last).").format(spec=spec)
    return Exercise(_("Parameters and MACs of a network"), statement, tuple(problems))


def _network_problem(net: Any, spec: str, id: str, layer: str, quantity: str, text: str) -> Problem:
    """A question the grader recomputes from `spec`; the sheet's solution is the engine's value now."""
    from cnncalc.analysis.check import check_layer, check_total
    from cnncalc.errors import Location

    if layer == "total":
        claim = check_total(net, quantity, None, Location())
    else:
        claim = check_layer(net, layer, quantity, None, Location())
    return Problem(
        id,
        text,
        claim.correct,
        "shape" if quantity in ("output_shape", "receptive_field") else "int",  # 6x6x16; a field of 43x43
        claim.working,
        1,
        spec,
        layer,
        quantity,
    )


def receptive_field(rng: random.Random, level: int, number: str, load: Load) -> Exercise:
    count = 2 + level
    layers = [rng.choice(("CONV(8, 3)", "CONV(8, 5)", "POOL(2)", "CONV(8, 3, s=2)")) for _layer in range(count)]
    spec = "INPUT(128x128x1) → " + " → ".join(layers)
    net = load(spec)
    text = _("the receptive field (in input pixels, per side) of one output of the last layer")
    problem = _network_problem(net, spec, f"{number}a", net.layer_names[-1], "receptive_field", text)
    return Exercise(_("Receptive field"), _("The network {spec}.").format(spec=spec), (problem,))


def _small(rng: random.Random, rows: int, columns: int, low: int, high: int) -> list[list[int]]:
    return [[rng.randint(low, high) for _column in range(columns)] for _row in range(rows)]


def _distinct(rng: random.Random, size: int) -> list[list[int]]:
    """A size×size matrix of distinct values: max pooling has a single maximum in every window."""
    values = rng.sample(range(1, 10 * size * size), size * size)
    return [values[i * size : (i + 1) * size] for i in range(size)]


def conv_by_hand(rng: random.Random, level: int, number: str, load: Load) -> Exercise:
    import numpy as np

    from cnncalc.executor.worked import convolve

    n, k, stride = {1: (4, 2, 1), 2: (5, 3, 1), 3: (5, 3, 2)}[level]
    x, w = _small(rng, n, n, 0, 5), _small(rng, k, k, -1, 2)
    worked = convolve(np.array(x), np.array(w), stride=stride, explain=True)
    statement = _(
        "Cross-correlate the input x with the kernel w (stride {stride}, no padding, no bias), as a CNN layer does."
    ).format(stride=stride)
    problem = Problem(f"{number}a", _("the output matrix"), matrix_text(worked.output), "matrix",
                      tuple(c.text for c in worked.cells), 2)  # fmt: skip
    return Exercise(_("Convolution by hand"), statement, (problem,), (("x", shown(x)), ("w", shown(w))))


def pool_by_hand(rng: random.Random, level: int, number: str, load: Load) -> Exercise:
    import numpy as np

    from cnncalc.executor.worked import pool

    kind, kernel, stride = {1: ("max", 2, 2), 2: ("avg", 2, 2), 3: ("max", 3, 1)}[level]
    x = _distinct(rng, 4)
    worked = pool(np.array(x), (kernel, kernel), stride=stride, kind=kind, explain=True)
    template = (
        _("Max pooling of x with a {kernel}×{kernel} window and stride {stride}.")
        if kind == "max"
        else _("Average pooling of x with a {kernel}×{kernel} window and stride {stride}.")
    )
    statement = template.format(kernel=kernel, stride=stride)
    problem = Problem(f"{number}a", _("the output matrix"), matrix_text(worked.output), "matrix",
                      tuple(c.text for c in worked.cells), 2)  # fmt: skip
    return Exercise(_("Pooling by hand"), statement, (problem,), (("x", shown(x)),))


def backpropagation(rng: random.Random, level: int, number: str, load: Load) -> Exercise:
    import numpy as np

    from cnncalc.executor.worked import convolve, pool

    if level == 1:
        x, g = _distinct(rng, 4), _small(rng, 2, 2, 1, 4)
        worked = pool(np.array(x), (2, 2), kind="max", upstream=np.array(g))
        statement = _("Max pooling (2×2, stride 2) of x; the upstream gradient dL/dy is G.")
        problems = (Problem(f"{number}a", "dL/dx", matrix_text(worked.grad_input), "matrix", points=2),)
        given = (("x", shown(x)), ("G", shown(g)))
        return Exercise(_("Backpropagation through pooling"), statement, problems, given)
    x, w, g = _small(rng, 3, 3, 0, 4), _small(rng, 2, 2, -1, 2), _small(rng, 2, 2, -1, 2)
    worked = convolve(np.array(x), np.array(w), upstream=np.array(g))
    statement = _("y = x ⋆ w (cross-correlation, stride 1, no padding); the upstream gradient dL/dy is G.")
    asked = [Problem(f"{number}a", "dL/dw", matrix_text(worked.grad_kernel), "matrix", points=2)]
    if level == 3:
        asked.append(Problem(f"{number}b", "dL/dx", matrix_text(worked.grad_input), "matrix", points=2))
    matrices = (("x", shown(x)), ("w", shown(w)), ("G", shown(g)))
    return Exercise(_("Backpropagation through a convolution"), statement, tuple(asked), matrices)


def fc_as_conv(rng: random.Random, level: int, number: str, load: Load) -> Exercise:
    from cnncalc.analysis.convert import fc_to_conv
    from cnncalc.analysis.summary import summarize
    from cnncalc.graph import build_graph

    side, channels, units = {1: (4, 8, 10), 2: (7, 64, 256), 3: (7, 512, 4096)}[level]
    side += rng.choice((0, 1))
    spec = f"INPUT({2 * side}x{2 * side}x{channels}) → POOL(2) → FLATTEN → FC({units})"
    converted = fc_to_conv(load(spec).graph)
    conv: dict[str, Any] = dict(converted.nodes[-1].layer.args())  # the dense layer, now a convolution
    params = summarize(build_graph(converted), "float32").totals.params
    statement = _(
        "A {side}×{side}×{channels} volume is flattened into a fully connected layer of {units} units. "
        "Write that layer as a convolution (padding 0, stride 1)."
    ).format(side=side, channels=channels, units=units)
    problems = (
        Problem(f"{number}a", _("the filters' size F (F×F)"), conv["kernel"][0]),
        Problem(f"{number}b", _("the number of filters"), conv["filters"]),
        Problem(f"{number}c", _("the parameters of either form"), params),
    )
    return Exercise(_("Fully connected as a convolution"), statement, problems)


def design_comparison(rng: random.Random, level: int, number: str, load: Load) -> Exercise:
    C = rng.choice((16, 32, 64))
    big, small, count = (7, 3, 3) if level == 3 else (5, 3, 2)
    one = f"INPUT(32x32x{C}) → CONV({C}, {big}, p={big // 2}, bias=false)"
    stacked = f"INPUT(32x32x{C}) → " + " → ".join([f"CONV({C}, {small}, p={small // 2}, bias=false)"] * count)
    nets = load(one), load(stacked)
    fields = [_field_size(n) for n in nets]
    same = "yes" if fields[0] == fields[1] else "no"
    statement = _(
        "A: one {big}×{big} convolution; B: {count} stacked {small}×{small} convolutions; "
        "{channels} channels in and out, no biases."
    ).format(big=big, count=count, small=small, channels=C)
    problems = (
        _network_problem(nets[0], one, f"{number}a", "total", "params", _("the parameters of A")),
        _network_problem(nets[1], stacked, f"{number}b", "total", "params", _("the parameters of B")),
        Problem(f"{number}c", _("Do A and B see the same receptive field? yes or no"), same, "choice",
                (f"A: {fields[0]}×{fields[0]}, B: {fields[1]}×{fields[1]}",)),
    )  # fmt: skip
    return Exercise(_("Design comparison"), statement, problems)


def _field_size(net: Any) -> object:
    """The receptive field of the network's last layer along its first axis (square here)."""
    axes = net.receptive_field(net.layer_names[-1]).axes
    return axes[0].size if axes else None


FAMILIES: tuple[Callable[[random.Random, int, str, Load], Exercise], ...] = (
    output_size,
    stride_fit,
    padding_to_keep,
    net_counts,
    receptive_field,
    conv_by_hand,
    pool_by_hand,
    backpropagation,
    fc_as_conv,
    design_comparison,
)
