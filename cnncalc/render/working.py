"""Workings (cnncalc.working) as Markdown, HTML and LaTeX: each a formatter of the same tree.

Markdown and HTML show the notes' plain notation in code; LaTeX walks the tree, so a number's
digit groups, a symbol's subscript and a word are known for what they are, never guessed back
from text.
"""

from __future__ import annotations

import re

from cnncalc.render.escape import latex as latex_text
from cnncalc.render.escape import visible, xml
from cnncalc.working import (
    MINUS,
    OVER,
    PLUS,
    TIMES,
    Aside,
    Expr,
    Group,
    Labelled,
    Line,
    Num,
    Op,
    Phrase,
    Power,
    Round,
    Sizes,
    Sym,
    Working,
    evaluate,
    line_text,
    needs_brackets,
    number_text,
)

_LATEX_OPS = {PLUS: " + ", MINUS: " - ", TIMES: r"\cdot ", OVER: "/"}
_LATEX_TIGHT = {PLUS: "+", MINUS: "-", TIMES: r"\cdot ", OVER: "/"}
# Symbols written as commands; any other symbol of one letter is math italic, longer ones upright.
_LATEX_SYMBOLS = {"γ": r"\gamma ", "β": r"\beta ", "→": r"\to ", "≥": r"\geq "}


def tagged(tag: str, shown: str) -> str:
    """'RF H: r = …': a line with the tag that tells its kind, if any."""
    return f"{tag} {shown}" if tag else shown


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
    shown = r",\quad ".join(latex_working(working) for working in line)
    return r"\[ " + (r"\text{" + latex_text(tag) + "} " if tag else "") + shown + r" \]"


def latex_working(working: Working) -> str:
    axis = f"{latex_symbol(working.axis)}: " if working.axis else ""
    chain = " = ".join(latex_expr(part) for part in working.chain())
    return f"{axis}{latex_phrase(working.lead)}{chain}{latex_phrase(working.note)}"


def latex_phrase(phrase: Phrase) -> str:
    return "".join(r"\text{" + latex_text(part) + "}" if isinstance(part, str) else latex_expr(part) for part in phrase)


def latex_number(value: Num) -> str:
    """Digit groups joined by {,}: a bare comma in math mode is a list comma and spaces the digits."""
    return number_text(value.value, value.grouped).replace(",", "{,}")


def latex_symbol(name: str) -> str:
    """W, K; upright Ci and positions; F_eff with an upright subscript; γ, β and → as commands."""
    if name in _LATEX_SYMBOLS:
        return _LATEX_SYMBOLS[name]
    base, _, subscript = name.partition("_")
    shown = latex_text(base) if len(base) == 1 else r"\text{" + latex_text(base) + "}"
    return shown + (r"_{\text{" + latex_text(subscript) + "}}" if subscript else "")


def latex_expr(expr: Expr, tight: bool = False) -> str:
    match expr:
        case Num():
            return latex_number(expr)
        case Sym(name):
            return latex_symbol(name)
        case Op(op, left, right, spaced):
            a = _latex_operand(expr, left, tight, right=False)
            b = _latex_operand(expr, right, tight, right=True)
            sign = (_LATEX_TIGHT if tight else _LATEX_OPS)[op]
            return f"{a}{f' {sign}' if spaced else sign}{b}"
        case Round(inner, ceil):
            opening, closing = (r"\lceil ", r"\rceil ") if ceil else (r"\lfloor ", r"\rfloor ")
            return f"{opening}{latex_expr(inner, tight)}{closing}"
        case Power(base, exponent):
            return f"{latex_expr(base, tight)}^{{{exponent}}}"
        case Group(inner):
            return f"({latex_expr(inner, tight)})"
        case Aside(inner):
            return f"[{latex_expr(inner, tight=True)} = {latex_number(Num(evaluate(inner)))}]"
        case Sizes(sizes):
            return r"\times ".join(str(size) for size in sizes)
        case Labelled(inner, label, before):
            words = latex_phrase(label)
            # A space in math mode is dropped: the words are set apart by an explicit one.
            return rf"{words}\ {latex_expr(inner, tight)}" if before else rf"{latex_expr(inner, tight)}\ ({words})"
    raise TypeError(f"not an expression: {expr!r}")


def _latex_operand(parent: Op, child: Expr, tight: bool, right: bool) -> str:
    shown = latex_expr(child, tight)
    return f"({shown})" if needs_brackets(parent, child, right) else shown
