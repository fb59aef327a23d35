"""Renderers for exercise sheets (`cnncalc exercise`): Markdown, LaTeX, the answer key and a
fully answered answers file (both YAML, read by `cnncalc check --key`)."""

from __future__ import annotations

import re

from cnncalc.executor.exercise import Exercise, Matrix, Problem, Sheet
from cnncalc.i18n import _, ngettext, written
from cnncalc.render.escape import json_text, latex, markdown


def _title(sheet: Sheet) -> str:
    return _("Exercises (seed {seed}, level {level})").format(seed=sheet.seed, level=sheet.level)


def _answer_text(problem: Problem) -> str:
    """The answer as the sheet shows it: a choice (yes, no) in the reader's language, decimals with
    its decimal sign (52,5 in Spanish; the key keeps the value itself)."""
    if problem.kind == "choice" and isinstance(problem.answer, str):
        return _(problem.answer)
    return re.sub(r"\d+\.\d+", lambda found: written(found.group()), str(problem.answer))


def render_markdown(sheet: Sheet, solutions: bool = False) -> str:
    """The sheet; with `solutions`, each answer and its working after the questions."""
    out = [f"# {markdown(_title(sheet))}", ""]
    for number, exercise in enumerate(sheet.exercises, start=1):
        out += _markdown_exercise(number, exercise)
    if solutions:
        out += [f"## {markdown(_('Solutions'))}", ""]
        for problem in sheet.problems:
            out.append(f"- **{markdown(problem.id)}** {markdown(_answer_text(problem))}")
            out += [f"  - {markdown(line)}" for line in problem.working]
        out.append("")
    return "\n".join(out)


def _markdown_exercise(number: int, exercise: Exercise) -> list[str]:
    out = [f"## {number}. {markdown(exercise.title)}", "", markdown(exercise.statement), ""]
    for name, matrix in exercise.matrices:
        out += [f"{markdown(name)} =", "", "```text", *_aligned(matrix), "```", ""]
    for problem in exercise.problems:
        out.append(f"- **{markdown(problem.id)}** ({_points(problem)}) {markdown(problem.text)}")
    out.append("")
    return out


def _aligned(matrix: Matrix) -> list[str]:
    width = max(len(cell) for row in matrix for cell in row)
    return [" ".join(cell.rjust(width) for cell in row) for row in matrix]


def _points(problem: Problem) -> str:
    return ngettext("{n} point", "{n} points", problem.points).format(n=problem.points)


# LaTeX: a whole document that pdflatex compiles; every text through `latex`, the characters of
# the workings declared once so that the document needs no Unicode engine.
_UNICODE = {
    "×": r"\ensuremath{\times}",
    "→": r"\ensuremath{\rightarrow}",
    "−": r"\ensuremath{-}",
    "⌊": r"\ensuremath{\lfloor}",
    "⌋": r"\ensuremath{\rfloor}",
    "·": r"\ensuremath{\cdot}",
    "²": r"\ensuremath{^2}",
    "⋆": r"\ensuremath{\star}",
}
_PREAMBLE = [
    r"\documentclass[11pt]{article}",
    r"\usepackage[utf8]{inputenc}",
    r"\usepackage[T1]{fontenc}",
    r"\usepackage{amsmath}",
    *(rf"\DeclareUnicodeCharacter{{{ord(c):04X}}}{{{command}}}" for c, command in _UNICODE.items()),
]


def render_latex(sheet: Sheet, solutions: bool = False) -> str:
    out = [*_PREAMBLE, r"\begin{document}", r"\section*{" + latex(_title(sheet)) + "}"]
    for exercise in sheet.exercises:
        out += _latex_exercise(exercise)
    if solutions:
        out += [r"\section*{" + latex(_("Solutions")) + "}", r"\begin{description}"]
        for problem in sheet.problems:
            out.append(rf"\item[{latex(problem.id)}] {latex(_answer_text(problem))}")
            out += [rf"\\ \texttt{{{latex(line)}}}" for line in problem.working]
        out.append(r"\end{description}")
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def _latex_exercise(exercise: Exercise) -> list[str]:
    out = [r"\subsection*{" + latex(exercise.title) + "}", latex(exercise.statement)]
    for name, matrix in exercise.matrices:
        rows = r" \\ ".join(" & ".join(latex(cell) for cell in row) for row in matrix)
        out.append(rf"\[ {latex(name)} = \begin{{pmatrix}} {rows} \end{{pmatrix}} \]")
    out.append(r"\begin{itemize}")
    out += [rf"\item[{latex(p.id)}] ({_points(p)}) {latex(p.text)}" for p in exercise.problems]
    out.append(r"\end{itemize}")
    return out


def render_json(sheet: Sheet, solutions: bool = False) -> str:
    """The sheet with every answer and its working, for programs (always in English, as all JSON)."""
    return json_text(sheet.to_dict())


def render_key(sheet: Sheet, solutions: bool = False) -> str:
    """The answer key: `cnncalc check ANSWERS --key KEY` (the key is its own solutions)."""
    return _yaml(sheet.key_document())


def render_answers(sheet: Sheet, solutions: bool = False) -> str:
    """An answers file with every question answered right (full marks against the key; the
    answers are the solutions)."""
    return _yaml(sheet.answers_document())


def _yaml(document: dict[str, object]) -> str:
    import yaml

    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1000)
