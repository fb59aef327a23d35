"""Renderers of `cnncalc diff`: table, Markdown for a pull-request comment, JSON, GitHub annotations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from cnncalc.analysis.diff import Diff, LayerChange, TotalChange
from cnncalc.errors import Location
from cnncalc.i18n import N_, _, ngettext, written
from cnncalc.render.escape import json_text, markdown, markup, workflow_data, workflow_property
from cnncalc.render.numbers import grouped

if TYPE_CHECKING:
    from rich.console import Console

TOTAL_COLUMNS = (N_("quantity"), N_("old"), N_("new"), N_("change"))
LAYER_COLUMNS = (N_("layer"), N_("change"), N_("output shape"), N_("params"), N_("MACs"))
# LayerChange.change is a JSON value ("added", "removed", "changed"), translated where shown.
CHANGES = (N_("added"), N_("removed"), N_("changed"))


def _shape(shape: tuple[int, ...] | None) -> str:
    return "—" if shape is None else "×".join(map(str, shape))


def _change_text(old: int, new: int) -> str:
    if old == new:
        return "="
    sign = "+" if new > old else "−"
    percent = " (" + written(f"{(new - old) / old:+.1%}") + ")" if old else ""
    return f"{sign}{grouped(abs(new - old))}{percent}"


def total_row(total: TotalChange) -> tuple[str, ...]:
    return (_(total.label), grouped(total.old), grouped(total.new), _change_text(total.old, total.new))


def layer_row(change: LayerChange) -> tuple[str, ...]:
    shape = _shape(change.new_shape) if change.old_shape == change.new_shape else (
        f"{_shape(change.old_shape)} → {_shape(change.new_shape)}"
    )  # fmt: skip
    return (
        change.name,
        _(change.change),
        shape,
        f"{grouped(change.old_params)} → {grouped(change.new_params)}",
        f"{grouped(change.old_macs)} → {grouped(change.new_macs)}",
    )


def render_markdown(result: Diff) -> str:
    lines = [f"### cnncalc diff: {markdown(result.old_name)} → {markdown(result.new_name)}", ""]
    lines += ["| " + " | ".join(map(_, TOTAL_COLUMNS)) + " |", "|---|---:|---:|---:|"]
    lines += [_markdown_row(total_row(t)) for t in result.totals]
    if result.layers:
        count = len(result.layers)
        lines += ["", ngettext("{count} layer changed:", "{count} layers changed:", count).format(count=count), ""]
        lines += ["| " + " | ".join(map(_, LAYER_COLUMNS)) + " |", "|---|---|---|---:|---:|"]
        lines += [_markdown_row(layer_row(c)) for c in result.layers]
    else:
        lines += ["", _("no layer changed")]
    if result.failed:
        lines += ["", _("**Over the limits:**"), *(f"- {markdown(line)}" for line in result.failed)]
    return "\n".join(lines) + "\n"


def _markdown_row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(markdown(cell) for cell in cells) + " |"


def render_json(result: Diff) -> str:
    return json_text(result.to_dict())


LISTED = 20  # changed layers named in one annotation; a pull request needs the gist, not every row


def render_github(result: Diff, locations: Mapping[str, Location]) -> str:
    """Workflow commands: one notice per file with changed layers, an error per exceeded threshold.

    A notice per layer buried a pull request under a hundred annotations (ResNet-18 → 34); one per
    file says how many layers changed and how the totals moved, then names the first few layers."""
    lines = []
    for file, changes in _by_file(result.layers, locations).items():
        place = [f"file={workflow_property(file)}"] if file else []
        where = [locations.get(c.name) for c in changes]
        numbered = [w.line for w in where if w is not None and w.line is not None and w.file == file]
        place += [f"line={min(numbered)}"] if file and numbered else []
        props = ",".join([*place, "title=cnncalc diff"])
        message = "%0A".join(workflow_data(line) for line in _file_summary(result, changes))
        lines.append(f"::notice {props}::{message}")
    lines += [f"::error title=cnncalc diff::{workflow_data(line)}" for line in result.failed]
    return "\n".join(lines)


def _by_file(changes: tuple[LayerChange, ...], locations: Mapping[str, Location]) -> dict[str | None, list]:
    """Changed layers grouped by the file that defines them; a removed layer goes with the new spec's file."""
    files = [where.file for where in locations.values() if where.file]
    default = files[0] if files else None
    grouped_changes: dict[str | None, list] = {}
    for change in changes:
        where = locations.get(change.name)
        grouped_changes.setdefault(where.file if where is not None and where.file else default, []).append(change)
    return grouped_changes


def _file_summary(result: Diff, changes: list[LayerChange]) -> list[str]:
    """'3 layer(s) changed (1 added, 2 changed) from A to B: parameters 112 → 224, +112 (+100.0%); …',
    then a line per layer."""
    counts = {kind: sum(1 for c in changes if c.change == kind) for kind in CHANGES}
    parts = ", ".join(_counted(kind, n) for kind, n in counts.items() if n)
    totals = "; ".join(
        f"{_(t.label)} {grouped(t.old)} → {grouped(t.new)}, {_change_text(t.old, t.new)}" for t in result.totals
    )
    head = ngettext(
        "{count} layer changed ({parts}) from {old} to {new}: {totals}",
        "{count} layers changed ({parts}) from {old} to {new}: {totals}",
        len(changes),
    ).format(count=len(changes), parts=parts, old=result.old_name, new=result.new_name, totals=totals)
    rows = [layer_row(c) for c in changes[:LISTED]]
    line = _("{name} {change}: shape {shape}, params {params}, MACs {macs}")
    listed = [
        line.format(name=name, change=change, shape=shape, params=params, macs=macs)
        for name, change, shape, params, macs in rows
    ]
    more = [_("… and {count} more").format(count=len(changes) - LISTED)] if len(changes) > LISTED else []
    return [head, *listed, *more]


def _counted(kind: str, n: int) -> str:
    """'2 added': the word agrees with the number in Spanish (2 añadidas), so each kind is its own message."""
    if kind == "added":
        template = ngettext("{n} added", "{n} added", n)
    elif kind == "removed":
        template = ngettext("{n} removed", "{n} removed", n)
    else:
        template = ngettext("{n} changed", "{n} changed", n)
    return template.format(n=n)


def render_table(result: Diff, console: Console) -> None:
    from cnncalc.render.table import Column, print_table

    columns = [Column(_(c), right=c != "quantity") for c in TOTAL_COLUMNS]
    print_table(console, f"{result.old_name} → {result.new_name}", columns, [total_row(t) for t in result.totals])
    if result.layers:
        layer_columns = [Column(_(c), right=c in ("params", "MACs")) for c in LAYER_COLUMNS]
        print_table(console, _("changed layers"), layer_columns, [layer_row(c) for c in result.layers])
    else:
        console.print(_("no layer changed"))
    over = markup(_("over the limit"))
    for line in result.failed:
        console.print(f"[bold red]{over}[/] {markup(line)}")
