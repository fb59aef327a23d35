"""Renderers for worked convolutions and poolings on small matrices (`cnncalc conv`, `cnncalc pool`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from cnncalc.executor.worked import Worked, number

if TYPE_CHECKING:
    import numpy as np
    from rich.console import Console


def render_table(result: Worked, console: Console) -> None:
    """Each cell's working, the notes, then the output (and gradients) as right-aligned matrices."""
    for cell in result.cells:
        console.print(cell.text)
    for note in result.notes:
        console.print(f"[dim]… {note}[/]")
    for title, array in _blocks(result):
        console.print(f"[bold]{title}[/]")
        rows = array[None] if array.ndim == 1 else array
        if rows.ndim == 3:  # several channels: show each
            for channel in range(rows.shape[-1]):
                console.print(f"channel {channel}")
                _print_rows(console, rows[..., channel])
        else:
            _print_rows(console, rows)
    if result.grad_bias is not None:
        console.print(f"[bold]dL/db[/] (the upstream gradient summed) = {number(result.grad_bias)}")


def _blocks(result: Worked) -> list[tuple[str, np.ndarray]]:
    blocks = [("output", result.output)]
    if result.grad_kernel is not None and result.grad_input is not None:
        blocks += [
            ("dL/dx (upstream scattered back through the kernel)", result.grad_input),
            ("dL/dw (input correlated with the upstream gradient)", result.grad_kernel),
        ]
    elif result.grad_input is not None:
        blocks.append(("dL/dx (each upstream value sent back to the inputs of its window)", result.grad_input))
    return blocks


def _print_rows(console: Console, rows: np.ndarray) -> None:
    cells = [[number(v) for v in row] for row in rows]
    width = max(len(c) for row in cells for c in row)
    for row in cells:
        console.print("  " + "  ".join(c.rjust(width) for c in row))


def _json(result: Worked, command: str) -> str:
    return json.dumps({"schema": f"cnncalc.{command}/1", **result.to_dict()}, indent=2)


def conv_json(result: Worked) -> str:
    return _json(result, "conv")


def pool_json(result: Worked) -> str:
    return _json(result, "pool")
