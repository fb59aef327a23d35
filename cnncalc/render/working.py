"""Workings (cnncalc.working) as Markdown, HTML and LaTeX: each a formatter of the same tree.

Markdown and HTML show the notes' plain notation in code; LaTeX is a notation of its own for the
same tree walk, so a number's digit groups, a symbol's subscript and a word are known for what
they are, never guessed back from text.
"""

from __future__ import annotations

import re

from cnncalc.i18n import _ as translated
from cnncalc.render.escape import latex as latex_text
from cnncalc.render.escape import visible, xml
from cnncalc.working import MINUS, OVER, PLUS, TIMES, Line, Notation, Value, line_text, number_text, write_line

# Symbols written as commands; any other symbol of one letter is math italic, longer ones upright.
_LATEX_SYMBOLS = {"γ": r"\gamma ", "β": r"\beta ", "→": r"\to ", "≥": r"\geq "}


def tagged(tag: str, shown: str) -> str:
    """'RF H: r = …': a line with the tag that tells its kind, if any."""
    return f"{translated(tag)} {shown}" if tag else shown


def markdown(line: Line, tag: str = "") -> str:
    """A Markdown code span holding the line as the notes write it: fenced by more backticks than it holds."""
    shown = visible(tagged(tag, line_text(line)))
    fence = "`" * (1 + max((len(run) for run in re.findall("`+", shown)), default=0))
    pad = " " if shown.startswith("`") or shown.endswith("`") else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def html(line: Line, tag: str = "") -> str:
    return f"<code>{xml(tagged(tag, line_text(line)))}</code>"


def latex(line: Line, tag: str = "") -> str:
    """The line as display math: symbols italic or upright, words as text, workings a quad apart."""
    return r"\[ " + (r"\text{" + latex_text(translated(tag)) + "} " if tag else "") + write_line(line, LATEX) + r" \]"


def latex_number(value: Value, grouped: bool) -> str:
    """Digit groups joined by {,}: a bare comma in math mode is a list comma and spaces the digits.
    Spanish groups with a no-break space, a thin space (\\,) in LaTeX, and its decimal comma is {,} too."""
    return math_digits(number_text(value, grouped))


def math_digits(text: str) -> str:
    """A number as people read it, set for math mode: 1,228,800 → 1{,}228{,}800 and 0,5 → 0{,}5 (a bare
    comma is a list comma there), Spanish's no-break group space → a thin space (\\,)."""
    return text.replace(",", "{,}").replace("\u00a0", r"\,")


def latex_symbol(name: str) -> str:
    """W, K; upright Ci and positions; F_eff with an upright subscript; γ, β, → and ≥ as commands."""
    if name in _LATEX_SYMBOLS:
        return _LATEX_SYMBOLS[name]
    base, _, subscript = translated(name).partition("_")
    shown = latex_text(base) if len(base) == 1 else r"\text{" + latex_text(base) + "}"
    return shown + (r"_{\text{" + latex_text(subscript) + "}}" if subscript else "")


LATEX = Notation(
    signs={PLUS: " + ", MINUS: " - ", TIMES: r"\cdot ", OVER: "/"},
    tight_signs={PLUS: "+", MINUS: "-", TIMES: r"\cdot ", OVER: "/"},
    spaced_times=r" \cdot ",
    floor=(r"\lfloor ", r"\rfloor "),
    ceil=(r"\lceil ", r"\rceil "),
    size_gap=r"\times ",
    label_gap=r"\ ",  # a space in math mode is dropped: words are set apart by an explicit one
    workings_gap=r",\quad ",
    number=latex_number,
    symbol=latex_symbol,
    power=lambda base, exponent: f"{base}^{{{exponent}}}",
    words=lambda words: r"\text{" + latex_text(translated(words)) + "}",
)
