"""Renderers for explanations: terminal text, Markdown, LaTeX (for pasting into a report)."""

from __future__ import annotations

import json
import re

from cnncalc.analysis.explain import Explanation, LayerWorking

LATEX = str.maketrans(
    {
        "⌊": r"\lfloor ", "⌋": r"\rfloor ", "⌈": r"\lceil ", "⌉": r"\rceil ", "·": r"\cdot ",
        "−": "-", "×": r"\times ", "²": "^{2}", "³": "^{3}", "→": r"\to ", "γ": r"\gamma", "β": r"\beta",
        "…": r"\ldots", "_": r"\_", "%": r"\%", "&": r"\&", "#": r"\#",
    }
)  # fmt: skip


def lines_of(working: LayerWorking) -> list[str]:
    lines = list(working.shape)
    lines += [text for text in (working.params, working.macs) if text]
    lines += [f"RF {text}" for text in working.field]
    return lines


def render_text(explanation: Explanation, console: object) -> None:
    from rich.markup import escape

    for working in explanation.layers:
        console.print(f"[bold]{working.index} {escape(working.name)}[/] [dim]({working.kind})[/]")  # type: ignore[attr-defined]
        for line in lines_of(working):
            console.print(f"    {escape(line)}")  # type: ignore[attr-defined]


def render_markdown(explanation: Explanation) -> str:
    out = [f"## {explanation.name or 'Network'}: the working", ""]
    for working in explanation.layers:
        out.append(f"**{working.index}. {working.name}** ({working.kind})")
        out.append("")
        out += [f"- `{line}`" for line in lines_of(working)]
        out.append("")
    return "\n".join(out)


def render_html(explanation: Explanation) -> str:
    from html import escape

    parts = [f"<h4>{escape(explanation.name or 'Network')}: the working</h4>"]
    for working in explanation.layers:
        items = "".join(f"<li><code>{escape(line)}</code></li>" for line in lines_of(working))
        parts.append(f"<p><b>{working.index}. {escape(working.name)}</b> ({escape(working.kind)})</p><ul>{items}</ul>")
    return "".join(parts)


def latex_line(text: str) -> str:
    """One working line as display math: words upright, digit groups kept, clauses spaced."""
    body = re.sub(r"(\d),(\d{3})", r"\1{,}\2", text)
    body = re.sub(r"\b([A-Za-z][A-Za-z_.]+)\b", lambda m: r"\text{" + m.group(1).replace("_", "-") + "}", body)
    body = body.translate(LATEX).replace(", ", r",\quad ").replace("'", "")
    return r"\[ " + body + r" \]"


def render_latex(explanation: Explanation) -> str:
    out = [r"\section*{" + (explanation.name or "Network").replace("_", r"\_") + " --- working}"]
    for working in explanation.layers:
        out.append(
            r"\paragraph{"
            + f"{working.index}. "
            + working.name.replace("_", r"\_")
            + f" ({working.kind.replace('_', ' ')})"
            + "}"
        )
        out += [latex_line(line) for line in lines_of(working)]
    return "\n".join(out) + "\n"


def render_json(explanation: Explanation) -> str:
    return json.dumps(explanation.to_dict(), indent=2, ensure_ascii=False)
