"""Renderers for executor runs."""

from __future__ import annotations

from cnncalc.render.escape import markdown, markup
from cnncalc.render.numbers import grouped, shape_text

MARK = {True: "[green]✓[/]", False: "[bold red]✗[/]"}
PLAIN_MARK = {True: "✓", False: "✗"}


RUN_COLUMNS = ("#", "name", "kind", "calculated", "actual", "shape", "params", "weights", "count")


def run_rows(result, marks: dict[bool, str] = PLAIN_MARK) -> list[tuple[str, ...]]:
    return [
        (
            str(c.index),
            c.name,
            c.kind,
            shape_text(c.expected_shape),
            shape_text(c.actual_shape),
            marks[c.shape_ok],
            grouped(c.expected_params),
            grouped(c.actual_params),
            marks[c.params_ok],
        )
        for c in result.checks
    ]


def render_markdown(result) -> str:
    lines = ["| " + " | ".join(RUN_COLUMNS) + " |", "|" + "---|" * len(RUN_COLUMNS)]
    lines += ["| " + " | ".join(markdown(cell) for cell in row) + " |" for row in run_rows(result)]
    return "\n".join(lines) + "\n"


def render_html(result) -> str:
    from cnncalc.render.html import html_table

    return html_table(RUN_COLUMNS, run_rows(result), right=("#", "params", "weights"))


def render_table(result, out) -> None:
    from rich.table import Table

    table = Table(title=f"NumPy run, batch {result.batch}", title_justify="left")
    for column in ("#", "name", "kind", "calculated", "actual", "", "params", "weights", " "):
        table.add_column(column, overflow="fold", justify="right" if column in ("#", "params", "weights") else "left")
    for row in run_rows(result, MARK):
        table.add_row(*(cell if cell in MARK.values() else markup(cell) for cell in row))
    out.print(table)
    bad = [c for c in result.checks if not c.ok]
    if bad:
        out.print(f"[bold red]{len(bad)} layer(s) disagree with the calculation[/]")
    else:
        out.print(f"[green]all {len(result.checks)} layers match the calculated shapes and parameters[/]")
