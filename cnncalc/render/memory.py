"""Renderers of `cnncalc memory`: per-layer table with totals, Markdown, HTML and JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cnncalc.analysis.memory import TrainingMemory
from cnncalc.i18n import N_, _
from cnncalc.render.escape import json_text, markdown, xml
from cnncalc.render.numbers import binary_bytes

if TYPE_CHECKING:
    from rich.console import Console

COLUMNS = (N_("name"), N_("kind"), N_("kept for backward"), N_("parameters"))
RIGHT = ("kept for backward", "parameters")


def headers() -> tuple[str, ...]:
    return tuple(map(_, COLUMNS))


def rows(result: TrainingMemory) -> list[tuple[str, ...]]:
    return [
        (layer.name, layer.kind, binary_bytes(layer.saved_bytes), binary_bytes(layer.param_bytes))
        for layer in result.layers
    ]


def total_lines(result: TrainingMemory) -> list[tuple[str, str]]:
    precision = _("float16 activations, float32 master weights (AMP)") if result.amp else result.dtype
    kept = _("activations kept for backward (batch {batch})").format(batch=result.batch)
    return [
        (_("weights"), binary_bytes(result.weights)),
        (_("gradients"), binary_bytes(result.gradients)),
        (_("optimizer state ({optimizer})").format(optimizer=result.optimizer), binary_bytes(result.optimizer_state)),
        (_("buffers (running statistics)"), binary_bytes(result.buffers)),
        (kept, binary_bytes(result.saved_activations)),
        (_("largest layer output (working memory)"), binary_bytes(result.largest_output)),
        (_("estimated peak"), binary_bytes(result.peak)),
        (_("precision"), precision),
    ]


def render_table(result: TrainingMemory, console: Console) -> None:
    from cnncalc.render.table import Column, print_table, print_totals

    columns = [Column(_(c), right=c in RIGHT, wrap=c == "name") for c in COLUMNS]
    print_table(console, _("training memory, batch {batch}").format(batch=result.batch), columns, rows(result))
    print_totals(console, total_lines(result))


def render_markdown(result: TrainingMemory) -> str:
    lines = ["| " + " | ".join(headers()) + " |", "|---|---|---:|---:|"]
    lines += ["| " + " | ".join(markdown(cell) for cell in row) + " |" for row in rows(result)]
    totals = [f"| {markdown(label)} | {markdown(value)} |" for label, value in total_lines(result)]
    lines += ["", "| " + _("total") + " | |", "|---|---:|", *totals]
    return "\n".join(lines) + "\n"


def render_html(result: TrainingMemory) -> str:
    from cnncalc.render.html import html_table

    table = html_table(headers(), rows(result), right=tuple(map(_, RIGHT)))
    totals = "".join(f"<tr><th>{xml(k)}</th><td>{xml(v)}</td></tr>" for k, v in total_lines(result))
    return f"{table}<table>{totals}</table>"


def render_json(result: TrainingMemory) -> str:
    return json_text(result.to_dict())
