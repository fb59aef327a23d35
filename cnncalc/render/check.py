"""Renderers for marked answers files and gradebooks (`cnncalc check`, with `--key`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cnncalc.analysis.check import Marking
from cnncalc.analysis.grading import BLANK, CARRIED, RIGHT, Cell, Gradebook, Row, number
from cnncalc.errors import SpecError
from cnncalc.i18n import N_, _
from cnncalc.render.escape import csv_cell, json_text, markdown, markup, visible, xml
from cnncalc.render.html import html_table

if TYPE_CHECKING:
    from rich.console import Console

Results = Sequence[Marking | SpecError] | Gradebook
MARKS = {RIGHT: "✓", CARRIED: "↪", BLANK: "·"}  # anything else is wrong: ✗
LEGEND = N_("✓ right  ↪ right from the student's own earlier answer  ✗ wrong  · blank")


def render_text(results: Results, console: Console) -> None:
    """Each file's claims ✓/✗, with the correct value and its working for a wrong one, and a score.
    Files that could not be read are the command's to report, on stderr."""
    if isinstance(results, Gradebook):
        for row in results.rows:
            for line in feedback_text(results, row).splitlines():
                console.print(markup(line))
        render_table(results, console)
        return
    for marking in (r for r in results if isinstance(r, Marking)):
        who = f" ({markup(marking.student)})" if marking.student else ""
        console.print(f"[bold]{markup(marking.file)}[/]{who}")
        for claim in marking.claims:
            mark = "[green]✓[/]" if claim.ok else "[bold red]✗[/]"
            text = f"  {mark} {markup(claim.layer)} {markup(claim.quantity)}: {markup(str(claim.claimed))}"
            if claim.note:
                text += f" — {markup(claim.note)}"
            elif not claim.ok:
                text += " — " + _("correct: {value}").format(value=markup(str(claim.correct)))
            console.print(text)
            for line in claim.working:
                console.print(f"      {markup(line)}")
        console.print("  " + _("score: {score}/{total}").format(score=marking.score, total=len(marking.claims)))
    if any(isinstance(r, Marking) for r in results):
        console.print(
            _("(no answer key: each file is marked on the answers it gives; give --key to count unanswered ones)")
        )


def render_json(results: Results) -> str:
    """One document: the marked files (or the gradebook) and the files that could not be read."""
    if isinstance(results, Gradebook):
        return json_text(results.to_dict())
    return json_text(
        {
            "schema": "cnncalc.check/1",
            "results": [r.to_dict() for r in results if isinstance(r, Marking)],
            "errors": [r.to_dict() for r in results if isinstance(r, SpecError)],
        }
    )


def render_table(gradebook: Gradebook, console: Console) -> None:
    """One row per student, one column per question (✓ right, ↪ follow-through, ✗ wrong, · blank)."""
    from rich.table import Table

    total = shown_points(gradebook.key.max_points)
    table = Table(title=_("gradebook: {key}").format(key=markup(gradebook.key.file)))
    table.add_column(_("student"), overflow="fold")
    for question in gradebook.key.questions:  # a narrow console folds the ids rather than cutting them
        table.add_column(f"{markup(question.id)}\n({shown_points(question.points)})", justify="center", overflow="fold")
    table.add_column(_("points\n(of {total})").format(total=total), justify="right")
    for row in gradebook.rows:
        marks = [MARKS.get(cell.status, "✗") for cell in row.cells]
        table.add_row(markup(row.id), *marks, shown_points(row.points))
    console.print(table)
    console.print(_(LEGEND))


def _grid(gradebook: Gradebook) -> tuple[list[str], list[tuple[str, ...]]]:
    """The gradebook's columns and rows as text, for Markdown and HTML (the console table styles its own)."""
    total = shown_points(gradebook.key.max_points)
    questions = [f"{q.id} ({shown_points(q.points)})" for q in gradebook.key.questions]
    columns = [_("student"), *questions, _("points\n(of {total})").format(total=total).replace("\n", " ")]
    rows = [
        (row.id, *(MARKS.get(cell.status, "✗") for cell in row.cells), shown_points(row.points))
        for row in gradebook.rows
    ]
    return columns, rows


def render_markdown(gradebook: Gradebook) -> str:
    columns, rows = _grid(gradebook)
    lines = [_("gradebook: {key}").format(key=markdown(gradebook.key.file)), ""]
    lines.append("| " + " | ".join(markdown(c) for c in columns) + " |")
    lines.append("|---|" + ":---:|" * (len(columns) - 2) + "---:|")
    lines += ["| " + " | ".join(markdown(cell) for cell in row) + " |" for row in rows]
    return "\n".join([*lines, "", _(LEGEND)]) + "\n"


def render_html(gradebook: Gradebook) -> str:
    columns, rows = _grid(gradebook)
    title = xml(_("gradebook: {key}").format(key=gradebook.key.file))
    table = html_table(columns, rows, right=[columns[-1]])
    return f"<h4>{title}</h4>{table}<p>{xml(_(LEGEND))}</p>"


def render_csv(gradebook: Gradebook) -> str:
    """One row per student: id, file, each question's points (empty when blank), points and the most.
    Names and ids through `csv_cell`: a student named `=cmd()` is text in a spreadsheet."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", "file", *(csv_cell(q.id) for q in gradebook.key.questions), "points", "max_points"])
    for row in gradebook.rows:
        cells = ["" if c.status == BLANK else number(c.points) for c in row.cells]
        writer.writerow(
            [csv_cell(row.id), csv_cell(row.file), *cells, number(row.points), number(gradebook.key.max_points)]
        )
    return out.getvalue()


def feedback_text(gradebook: Gradebook, row: Row) -> str:
    """A student's feedback: each question marked, the correct value and its working, and the points."""
    who = f" ({row.student})" if row.student and row.student != row.id else ""
    lines = [f"{row.id}{who}: {row.file}"]
    for question, cell in zip(gradebook.key.questions, row.cells, strict=True):
        lines += _cell_lines(question.text, cell, shown_points(question.points))
    lines += ["  " + _("note: {note}").format(note=note) for note in row.notes]
    points = _("points: {points}/{total}").format(
        points=shown_points(row.points), total=shown_points(gradebook.key.max_points)
    )
    lines.append("  " + points)
    return "".join(visible(line) + "\n" for line in lines)


def _cell_lines(text: str | None, cell: Cell, points: str) -> list[str]:
    mark = MARKS.get(cell.status, "✗")
    asked = f" {text}" if text else ""
    head = f"  {mark} {cell.question}{asked} [{shown_points(cell.points)}/{points}]: "
    if cell.status == BLANK:
        head += _("not answered — correct: {value}").format(value=shown(cell.correct))
    else:
        head += shown(cell.claimed)
    head += f" — {cell.note}" if cell.note else ""
    if cell.status not in (RIGHT, CARRIED, BLANK):
        head += " — " + _("correct: {value}").format(value=shown(cell.correct))
    return [head, *(f"      {line}" for line in cell.working if cell.status != RIGHT)]


def shown(value: object) -> str:
    """An answer as a person wrote it: a list as 6x6 or rows `1 2; 3 4`."""
    if isinstance(value, list):
        if value and all(isinstance(v, list) for v in value):
            return "; ".join(" ".join(map(str, r)) for r in value)
        return "x".join(map(str, value))
    return str(value)


def shown_points(value: object) -> str:
    from fractions import Fraction

    return str(number(value)) if isinstance(value, Fraction) else str(value)
