"""Renderers for explanations: terminal text, Markdown, LaTeX (for pasting into a report)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cnncalc.analysis.explain import Explanation, LayerWorking
from cnncalc.render.escape import json_text, latex, markdown, markup, visible, xml

if TYPE_CHECKING:
    from rich.console import Console

# Math mode: the working's symbols as commands, and every LaTeX special as itself (the quote,
# a prime in math, is dropped), so no text of a spec can become a command.
LATEX = str.maketrans(
    {
        "⌊": r"\lfloor ", "⌋": r"\rfloor ", "⌈": r"\lceil ", "⌉": r"\rceil ", "·": r"\cdot ",
        "−": "-", "×": r"\times ", "²": "^{2}", "³": "^{3}", "→": r"\to ", "γ": r"\gamma", "β": r"\beta",
        "…": r"\ldots", "_": r"\_", "%": r"\%", "&": r"\&", "#": r"\#", "$": r"\$", "{": r"\{", "}": r"\}",
        "\\": r"\backslash ", "~": r"\sim ", "^": r"\hat{}", "'": "",
    }
)  # fmt: skip
# A word (set upright), or the comma of a digit group (kept from spacing out as a list comma).
_LATEX_PIECE = re.compile(r"(\b[A-Za-z][A-Za-z_.]+\b|(?<=\d),(?=\d{3}))")


def lines_of(working: LayerWorking) -> list[str]:
    lines = list(working.shape)
    lines += [text for text in (working.params, working.macs) if text]
    lines += [f"RF {text}" for text in working.field]
    return lines


def render_text(explanation: Explanation, console: Console) -> None:
    for working in explanation.layers:
        console.print(f"[bold]{working.index} {markup(working.name)}[/] [dim]({markup(working.kind)})[/]")
        for line in lines_of(working):
            console.print(f"    {markup(line)}")


def render_markdown(explanation: Explanation) -> str:
    out = [f"## {markdown(explanation.name or 'Network')}: the working", ""]
    for working in explanation.layers:
        out.append(f"**{working.index}. {markdown(working.name)}** ({markdown(working.kind)})")
        out.append("")
        out += [f"- {_code_span(line)}" for line in lines_of(working)]
        out.append("")
    return "\n".join(out)


def _code_span(text: str) -> str:
    """A Markdown code span holding `text` as written: fenced by more backticks than it holds."""
    shown = visible(text)
    fence = "`" * (1 + max((len(run) for run in re.findall("`+", shown)), default=0))
    pad = " " if shown.startswith("`") or shown.endswith("`") else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def render_html(explanation: Explanation) -> str:
    parts = [f"<h4>{xml(explanation.name or 'Network')}: the working</h4>"]
    for working in explanation.layers:
        items = "".join(f"<li><code>{xml(line)}</code></li>" for line in lines_of(working))
        parts.append(f"<p><b>{working.index}. {xml(working.name)}</b> ({xml(working.kind)})</p><ul>{items}</ul>")
    return "".join(parts)


def latex_line(text: str) -> str:
    """One working line as display math: words upright, digit groups kept, clauses spaced."""
    pieces = _LATEX_PIECE.split(visible(text))  # odd indices: a word or a digit-group comma
    body = "".join(
        (r"\text{" + latex(piece.replace("_", "-")) + "}" if piece != "," else "{,}")
        if index % 2
        else piece.replace(", ", ",\x00").translate(LATEX).replace("\x00", r"\quad ")
        for index, piece in enumerate(pieces)
    )
    return r"\[ " + body + r" \]"


def render_latex(explanation: Explanation) -> str:
    out = [r"\section*{" + latex(explanation.name or "Network") + " --- working}"]
    for working in explanation.layers:
        out.append(
            r"\paragraph{" + f"{working.index}. {latex(working.name)} ({latex(working.kind.replace('_', ' '))})}}"
        )
        out += [latex_line(line) for line in lines_of(working)]
    return "\n".join(out) + "\n"


def render_json(explanation: Explanation) -> str:
    return json_text(explanation.to_dict())
