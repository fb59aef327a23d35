"""Renderers for worked convolutions and poolings on small matrices (`cnncalc conv`, `cnncalc pool`).

Every format walks the same sections (`sections`): the forward working and output, the matrix view
of the map (--as-matrix), then each gradient with its working; only how a line and a matrix are
written differs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cnncalc.executor.worked import Cell, Worked, number
from cnncalc.i18n import _
from cnncalc.render.escape import latex, markdown, markup, xml
from cnncalc.render.working import math_digits

if TYPE_CHECKING:
    import numpy as np
    from rich.console import Console


@dataclass(frozen=True)
class Section:
    """A titled block: its working line by line, then its matrix (None when the lines are all)."""

    title: str
    lines: tuple[str, ...]
    array: np.ndarray | None


def sections(result: Worked) -> list[Section]:
    found = [Section(_("output"), _texts(result.cells) + tuple(f"… {note}" for note in result.notes), result.output)]
    if result.matrix is not None:
        found += _matrix_sections(result)
    if result.grad_kernel is not None and result.grad_input is not None:
        found += [
            Section(
                _("dL/dx (upstream scattered back through the kernel)"),
                _texts(result.grad_input_cells),
                result.grad_input,
            ),
            Section(
                _("dL/dw (input correlated with the upstream gradient)"),
                _texts(result.grad_kernel_cells),
                result.grad_kernel,
            ),
        ]
    elif result.grad_input is not None:
        title = _("dL/dx (each upstream value sent back to the inputs of its window)")
        found.append(Section(title, _texts(result.grad_input_cells), result.grad_input))
    if result.grad_bias is not None:
        summed = _("dL/db (the upstream gradient summed) = {value}").format(value=number(result.grad_bias))
        found.append(Section(summed, (), None))
    return found


def _texts(cells: tuple[Cell, ...]) -> tuple[str, ...]:
    return tuple(cell.text for cell in cells)


def _matrix_sections(result: Worked) -> list[Section]:
    """The convolution as a fully connected layer: T holds the kernel once per output, shifted,
    and zeros where an output does not see an input; T times the flattened input is the output."""
    import numpy as np

    assert result.matrix is not None
    inputs, outputs = result.matrix.shape[1], result.matrix.shape[0]
    flat = np.asarray(result.output).reshape(1, -1)
    explained = (
        _(
            "T ({outputs} outputs × {inputs} inputs): output = T · x, both flattened row by row (channels innermost);"
            " each row is the kernel, shifted, with zeros where that output does not see the input"
        ).format(outputs=outputs, inputs=inputs),
    )
    product = _("as a matrix product (a fully connected layer with shared and zero weights)")
    return [Section(product, explained, result.matrix), Section(_("T · x (the output, flattened)"), (), flat)]


def render_table(result: Worked, console: Console) -> None:
    """Each section's working, then its matrix right-aligned (channel by channel when there are several)."""
    for index, section in enumerate(sections(result)):
        if index == 0:  # the forward working comes before the output's title, as it always has
            _print_lines(console, section.lines)
        console.print(f"[bold]{markup(section.title)}[/]")
        if index > 0:
            _print_lines(console, section.lines)
        if section.array is not None:
            _print_array(console, section.array)


def _print_lines(console: Console, lines: tuple[str, ...]) -> None:
    for line in lines:
        console.print(f"[dim]{markup(line)}[/]" if line.startswith("…") else markup(line))


def _print_array(console: Console, array: np.ndarray) -> None:
    rows = array[None] if array.ndim == 1 else array
    if rows.ndim == 3:  # several channels: show each
        for channel in range(rows.shape[-1]):
            console.print(_("channel {c}").format(c=channel))
            _print_rows(console, rows[..., channel])
    else:
        _print_rows(console, rows)


def _print_rows(console: Console, rows: np.ndarray) -> None:
    cells = [[number(v) for v in row] for row in rows]
    width = max(len(c) for row in cells for c in row)
    for row in cells:
        console.print("  " + "  ".join(c.rjust(width) for c in row))


def _planes(array: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """(label, 2-D matrix) per channel: a 1-D signal is one row; one channel needs no label."""
    rows = array[None] if array.ndim == 1 else array
    if rows.ndim == 2:
        return [("", rows)]
    return [(_("channel {c}").format(c=c), rows[..., c]) for c in range(rows.shape[-1])]


def render_markdown(result: Worked) -> str:
    """Headings, the working as a list, each matrix as a table with its column numbers as header."""
    out: list[str] = []
    for section in sections(result):
        out += [f"**{markdown(section.title)}**", ""]
        out += [f"- {markdown(line)}" for line in section.lines]
        if section.lines:
            out.append("")
        for label, plane in _planes(section.array) if section.array is not None else []:
            if label:
                out += [markdown(label), ""]
            out.append("| " + " | ".join(str(j) for j in range(plane.shape[1])) + " |")
            out.append("|" + "---:|" * plane.shape[1])
            out += ["| " + " | ".join(markdown(number(v)) for v in row) + " |" for row in plane]
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def render_html(result: Worked) -> str:
    """The notebook's form of the Markdown one: headings, the working as a list, matrices as tables."""
    from cnncalc.render.html import html_table

    out: list[str] = []
    for section in sections(result):
        out.append(f"<h4>{xml(section.title)}</h4>")
        if section.lines:
            out.append("<ul>" + "".join(f"<li>{xml(line)}</li>" for line in section.lines) + "</ul>")
        for label, plane in _planes(section.array) if section.array is not None else []:
            if label:
                out.append(f"<p>{xml(label)}</p>")
            columns = [str(j) for j in range(plane.shape[1])]
            out.append(html_table(columns, [[number(v) for v in row] for row in plane], right=columns))
    return "".join(out)


def render_latex(result: Worked) -> str:
    """Text lines in \\texttt, each matrix as display math (an array: no column limit, unlike bmatrix)."""
    out: list[str] = []
    for section in sections(result):
        out.append(r"\paragraph{" + latex(section.title) + "}")
        out += [r"\texttt{" + latex(line) + r"}\\" for line in section.lines]
        for label, plane in _planes(section.array) if section.array is not None else []:
            body = r" \\ ".join(" & ".join(math_digits(latex(number(v))) for v in row) for row in plane)
            name = r"\text{" + latex(label) + "}: " if label else ""
            out.append(rf"\[ {name}\left[\begin{{array}}{{{'r' * plane.shape[1]}}} {body} \end{{array}}\right] \]")
    return "\n".join(out) + "\n"


def _json(result: Worked, command: str) -> str:
    return json.dumps({"schema": f"cnncalc.{command}/1", **result.to_dict()}, indent=2)


def conv_json(result: Worked) -> str:
    return _json(result, "conv")


def pool_json(result: Worked) -> str:
    return _json(result, "pool")
