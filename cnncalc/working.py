"""A working as data: a quantity in symbols, with the numbers put in, and what it comes to.

Layers describe their arithmetic as small expression trees (numbers, symbols, + − · /, floor and
ceiling, powers); the renderers format the same tree as the notes' plain text, Markdown, LaTeX or
HTML, so no output is made by re-reading another's text. The plain-text form lives here because it
is the working's own notation: JSON and the library's `Explanation` carry it as strings.

Nothing here imports the rest of cnncalc but cnncalc.i18n (the plain text is written in the
reader's language): the formulas (cnncalc.formulas) build these values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import reduce
from typing import TYPE_CHECKING, TypeAlias

from cnncalc.i18n import _, number

if TYPE_CHECKING:  # fractions is loaded only where a working divides: the summary path never does
    from fractions import Fraction

Value: TypeAlias = "int | Fraction"


@dataclass(frozen=True)
class Num:
    """A number; `grouped` writes it with thousands separators (1,228,800), as counts are written."""

    value: int | Fraction
    grouped: bool = False


@dataclass(frozen=True)
class Sym:
    """A symbol of the notes: W, S, Ci, positions; 'F_eff' is F with the subscript eff."""

    name: str


# Operators by the symbol the notes write, and how tightly each binds.
PLUS, MINUS, TIMES, OVER = "+", "−", "·", "/"
_PRECEDENCE = {PLUS: 1, MINUS: 1, TIMES: 2, OVER: 2}
_ATOM = 4


@dataclass(frozen=True)
class Op:
    """left op right. `spaced` writes a product with spaces (4 · 4 · 16), as flatten's working does."""

    op: str
    left: Expr
    right: Expr
    spaced: bool = False

    def __post_init__(self) -> None:
        if self.op not in _PRECEDENCE:
            raise ValueError(f"unknown operator {self.op!r}")


@dataclass(frozen=True)
class Round:
    """⌊inner⌋, or ⌈inner⌉ when `ceil`."""

    inner: Expr
    ceil: bool = False


@dataclass(frozen=True)
class Power:
    """base² or base³: a kernel's taps (5², K³)."""

    base: Expr
    exponent: int


@dataclass(frozen=True)
class Group:
    """Brackets the notes write though precedence does not need them: 3·10·(1·7)."""

    inner: Expr


@dataclass(frozen=True)
class Aside:
    """A sub-calculation shown in place with its value, written tight: [2·(3−1)+1 = 5]."""

    inner: Expr


@dataclass(frozen=True)
class Sizes:
    """A shape, 32×32×3: not a number, so it ends a working but takes no part in arithmetic."""

    sizes: tuple[int, ...]


@dataclass(frozen=True)
class Labelled:
    """A term with words: '2·C (γ, β)', or with `before`, 'depthwise Ci·m·K²'."""

    inner: Expr
    label: Phrase
    before: bool = False


Expr: TypeAlias = Num | Sym | Op | Round | Power | Group | Aside | Sizes | Labelled
# Words and expressions in a row: 'one value per channel over 7×7'.
Phrase: TypeAlias = tuple[str | Expr, ...]


@dataclass(frozen=True)
class Working:
    """quantity = formula = substituted = steps… = result, after an axis or lead and before a note.

    Any part may be absent: 'output = 64×64×3' has no formula, 'H: D = ⌊(32 − 5 + 2·2)/1⌋ + 1 = 32'
    shows the numbers only (the formula is the lecture's, known to the reader).
    """

    quantity: Expr | None = None
    formula: Expr | None = None
    substituted: Expr | None = None
    result: Expr | None = None
    steps: tuple[Expr, ...] = ()
    axis: str | None = None
    lead: Phrase = ()
    note: Phrase = ()

    def sides(self) -> tuple[Expr, ...]:
        """The expressions joined by '=', in order."""
        parts = (self.quantity, self.formula, self.substituted, *self.steps, self.result)
        return tuple(part for part in parts if part is not None)


# One line of working: several workings side by side ('r = … = 5, j = 1·1 = 1').
Line: TypeAlias = tuple[Working, ...]


# What the builders below take: an expression, or a number that becomes one.
Term: TypeAlias = "Expr | int | Fraction"
_EXPRESSIONS = (Num, Sym, Op, Round, Power, Group, Aside, Sizes, Labelled)


def term(value: Term) -> Expr:
    return value if isinstance(value, _EXPRESSIONS) else Num(value)


def chain(op: str, terms: tuple[Term, ...], spaced: bool = False) -> Expr:
    """t1 op t2 op t3…, grouped from the left as the notes read it."""
    return reduce(lambda left, right: Op(op, left, right, spaced), map(term, terms))


def plus(*terms: Term) -> Expr:
    return chain(PLUS, terms)


def minus(*terms: Term) -> Expr:
    return chain(MINUS, terms)


def times(*factors: Term) -> Expr:
    return chain(TIMES, factors)


def over(numerator: Term, denominator: Term) -> Expr:
    return chain(OVER, (numerator, denominator))


def evaluate(expr: Expr, env: Mapping[str, Value] | None = None) -> Value:
    """The exact value of `expr`, symbols taken from `env`; '/' divides exactly (a Fraction)."""
    match expr:
        case Num(value):
            return value
        case Sym(name):
            if env is None or name not in env:
                raise ValueError(f"symbol {name} has no value")
            return env[name]
        case Op(op, left, right):
            a, b = evaluate(left, env), evaluate(right, env)
            if op == OVER:
                from fractions import Fraction

                quotient = Fraction(a) / Fraction(b)
                return quotient.numerator if quotient.denominator == 1 else quotient
            return a + b if op == PLUS else a - b if op == MINUS else a * b
        case Round(inner, ceil):
            value = evaluate(inner, env)
            return math.ceil(value) if ceil else math.floor(value)
        case Power(base, exponent):
            return evaluate(base, env) ** exponent
        case Group(inner) | Aside(inner) | Labelled(inner):
            return evaluate(inner, env)
    raise TypeError(f"{type(expr).__name__} is not a number")


def precedence(expr: Expr) -> int:
    """How tightly an expression binds: a sum needs brackets inside a product, an atom never."""
    match expr:
        case Op(op):
            return _PRECEDENCE[op]
        case Power():
            return 3
        case Labelled():
            return _PRECEDENCE[PLUS]  # a term with words: bracketed inside a product
    return _ATOM


def needs_brackets(parent: Op, child: Expr, right: bool) -> bool:
    """Whether `child` of `parent` is bracketed: lower precedence, or the right side of − and /."""
    mine, theirs = _PRECEDENCE[parent.op], precedence(child)
    return theirs < mine or (right and theirs == mine and parent.op in (MINUS, OVER))


def number_text(value: Value, grouped: bool = False) -> str:
    """12 or 12,000; a fraction as a short decimal (0.5), as the receptive-field working writes it.
    In the reader's language: 12 000 and 0,5 in Spanish."""
    if value.denominator != 1:
        return number(float(value), "g")
    whole = int(value)
    return number(whole) if grouped else str(whole)


@dataclass(frozen=True)
class Notation:
    """How one output writes each part of a working; `write` walks the tree the same way for all.

    The notes' plain text is TEXT below; LaTeX is declared with its renderer (cnncalc.render)."""

    signs: Mapping[str, str]  # an operator as written between its operands: " + ", "·"
    tight_signs: Mapping[str, str]  # the same inside an aside, where nothing is spaced
    spaced_times: str  # flatten's " · "
    floor: tuple[str, str]
    ceil: tuple[str, str]
    size_gap: str  # between the sizes of a shape: "×"
    label_gap: str  # between a term and its words
    workings_gap: str  # between the workings of one line
    number: Callable[[Value, bool], str]  # (value, grouped)
    symbol: Callable[[str], str]
    power: Callable[[str, int], str]  # (base as written, exponent)
    words: Callable[[str], str]


def write(expr: Expr, notation: Notation, tight: bool = False) -> str:
    """`expr` in `notation`; `tight` (inside an aside) drops the spaces around + and −."""
    match expr:
        case Num(value, grouped):
            return notation.number(value, grouped)
        case Sym(name):
            return notation.symbol(name)
        case Op(op, left, right, spaced):
            a, b = (_operand(expr, child, notation, tight, side) for child, side in ((left, False), (right, True)))
            sign = notation.spaced_times if spaced else (notation.tight_signs if tight else notation.signs)[op]
            return f"{a}{sign}{b}"
        case Round(inner, ceil):
            opening, closing = notation.ceil if ceil else notation.floor
            return f"{opening}{write(inner, notation, tight)}{closing}"
        case Power(base, exponent):
            return notation.power(write(base, notation, tight), exponent)
        case Group(inner):
            return f"({write(inner, notation, tight)})"
        case Aside(inner):
            return f"[{write(inner, notation, tight=True)} = {notation.number(evaluate(inner), False)}]"
        case Sizes(sizes):
            return notation.size_gap.join(str(size) for size in sizes)
        case Labelled(inner, label, before):
            words, term = write_phrase(label, notation), write(inner, notation, tight)
            return f"{words}{notation.label_gap}{term}" if before else f"{term}{notation.label_gap}({words})"
    raise TypeError(f"not an expression: {expr!r}")


def _operand(parent: Op, child: Expr, notation: Notation, tight: bool, right: bool) -> str:
    shown = write(child, notation, tight)
    return f"({shown})" if needs_brackets(parent, child, right) else shown


def write_phrase(phrase: Phrase, notation: Notation) -> str:
    return "".join(notation.words(part) if isinstance(part, str) else write(part, notation) for part in phrase)


def write_working(working: Working, notation: Notation) -> str:
    axis = f"{notation.symbol(working.axis)}: " if working.axis else ""
    equalities = " = ".join(write(part, notation) for part in working.sides())
    return f"{axis}{write_phrase(working.lead, notation)}{equalities}{write_phrase(working.note, notation)}"


def write_line(line: Line, notation: Notation) -> str:
    return notation.workings_gap.join(write_working(working, notation) for working in line)


_SUPERSCRIPT = {2: "²", 3: "³"}
TEXT = Notation(
    signs={PLUS: " + ", MINUS: " − ", TIMES: "·", OVER: "/"},
    tight_signs={PLUS: "+", MINUS: "−", TIMES: "·", OVER: "/"},
    spaced_times=" · ",
    floor=("⌊", "⌋"),
    ceil=("⌈", "⌉"),
    size_gap="×",
    label_gap=" ",
    workings_gap=", ",
    number=number_text,
    symbol=_,  # the symbols that are words (positions, output) are in the catalogue; W, S are not
    power=lambda base, exponent: base + _SUPERSCRIPT.get(exponent, f"^{exponent}"),
    words=_,
)


def text(expr: Expr) -> str:
    """The notes' plain notation: ⌊(32 − 5 + 2·2)/1⌋ + 1."""
    return write(expr, TEXT)


def working_text(working: Working) -> str:
    return write_working(working, TEXT)


def line_text(line: Line) -> str:
    """A line of workings as the notes write it; the form JSON and the library return."""
    return write_line(line, TEXT)
