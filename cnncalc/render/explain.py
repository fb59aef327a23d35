"""Renderers for explanations: terminal text, Markdown, LaTeX (for pasting into a report), HTML."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cnncalc.analysis.explain import Explanation, LayerWorking
from cnncalc.i18n import N_, _
from cnncalc.render import working as formats
from cnncalc.render.escape import json_text, latex, markdown, markup, xml
from cnncalc.working import Line, line_text

if TYPE_CHECKING:
    from rich.console import Console


RF = N_("RF")  # TRANSLATORS: the tag of a receptive-field line of the working (campo receptivo: CR)


def lines_of(working: LayerWorking) -> list[tuple[str, Line]]:
    """Every line of a layer's working with its tag: 'RF' marks the receptive-field lines."""
    lines = [("", line) for line in working.shape_lines]
    lines += [("", line) for line in (working.params_line, working.macs_line) if line]
    lines += [(RF, line) for line in working.field_lines]
    return lines


def render_text(explanation: Explanation, console: Console) -> None:
    for working in explanation.layers:
        console.print(f"[bold]{working.index} {markup(working.name)}[/] [dim]({markup(working.kind)})[/]")
        for tag, line in lines_of(working):
            console.print(f"    {markup(formats.tagged(tag, line_text(line)))}")


def render_markdown(explanation: Explanation) -> str:
    out = ["## " + _("{network}: the working").format(network=markdown(explanation.name or _("Network"))), ""]
    for working in explanation.layers:
        out.append(f"**{working.index}. {markdown(working.name)}** ({markdown(working.kind)})")
        out.append("")
        out += [f"- {formats.markdown(line, tag)}" for tag, line in lines_of(working)]
        out.append("")
    return "\n".join(out)


def render_html(explanation: Explanation) -> str:
    parts = ["<h4>" + _("{network}: the working").format(network=xml(explanation.name or _("Network"))) + "</h4>"]
    for working in explanation.layers:
        items = "".join(f"<li>{formats.html(line, tag)}</li>" for tag, line in lines_of(working))
        parts.append(f"<p><b>{working.index}. {xml(working.name)}</b> ({xml(working.kind)})</p><ul>{items}</ul>")
    return "".join(parts)


def render_latex(explanation: Explanation) -> str:
    out = [r"\section*{" + _("{network} --- working").format(network=latex(explanation.name or _("Network"))) + "}"]
    for working in explanation.layers:
        out.append(
            r"\paragraph{" + f"{working.index}. {latex(working.name)} ({latex(working.kind.replace('_', ' '))})}}"
        )
        out += [formats.latex(line, tag) for tag, line in lines_of(working)]
    return "\n".join(out) + "\n"


def render_json(explanation: Explanation) -> str:
    return json_text(explanation.to_dict())
