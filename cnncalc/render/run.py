"""Renderers for executor runs."""

from __future__ import annotations

from cnncalc.i18n import N_, _, ngettext
from cnncalc.render.escape import markdown, markup
from cnncalc.render.numbers import grouped, shape_text

MARK = {True: "[green]✓[/]", False: "[bold red]✗[/]"}
PLAIN_MARK = {True: "✓", False: "✗"}


RUN_COLUMNS = ("#", N_("name"), N_("kind"), N_("calculated"), N_("actual"), N_("shape"), N_("params"), N_("weights"),
               N_("count"))  # fmt: skip
RIGHT = ("#", "params", "weights")


def headers() -> tuple[str, ...]:
    return tuple(map(_, RUN_COLUMNS))


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
    lines = ["| " + " | ".join(headers()) + " |", "|" + "---|" * len(RUN_COLUMNS)]
    lines += ["| " + " | ".join(markdown(cell) for cell in row) + " |" for row in run_rows(result)]
    return "\n".join(lines) + "\n"


def render_html(result) -> str:
    from cnncalc.render.html import html_table

    return html_table(headers(), run_rows(result), right=tuple(map(_, RIGHT)))


def render_table(result, out) -> None:
    from rich.table import Table

    table = Table(title=_("NumPy run, batch {batch}").format(batch=result.batch), title_justify="left")
    # The two mark columns have no header on a terminal: the ✓/✗ speaks for itself.
    for column in (*RUN_COLUMNS[:5], "", *RUN_COLUMNS[6:8], ""):
        table.add_column(_(column), overflow="fold", justify="right" if column in RIGHT else "left")
    for row in run_rows(result, MARK):
        table.add_row(*(cell if cell in MARK.values() else markup(cell) for cell in row))
    out.print(table)
    bad = [c for c in result.checks if not c.ok]
    if bad:
        message = ngettext(
            "{count} layer disagrees with the calculation", "{count} layers disagree with the calculation", len(bad)
        )
        out.print(f"[bold red]{markup(message.format(count=len(bad)))}[/]")
    else:
        message = ngettext(
            "all {count} layer matches the calculated shapes and parameters",
            "all {count} layers match the calculated shapes and parameters",
            len(result.checks),
        )
        out.print(f"[green]{markup(message.format(count=len(result.checks)))}[/]")
