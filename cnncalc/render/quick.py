"""Renderers for `cnncalc out-size`: each axis's D with its working and a stride-fit verdict."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cnncalc.analysis.quick import AxisAnswer

if TYPE_CHECKING:
    from rich.console import Console


def render_text(answers: Sequence[AxisAnswer], console: Console) -> None:
    for answer in answers:
        console.print(answer.working)
        if not answer.fits:
            console.print(
                f"  [yellow]the stride does not fit[/]: (W − F + 2P)/S + 1 = {answer.exact:.2f} → ⌊⌋ = {answer.size}"
            )
        if answer.unread:
            console.print(f"  [yellow]never read[/]: input {answer.unread_text} on {answer.axis}")
        elif not answer.fits:
            console.print(
                f"  every input position is read: only {answer.dropped} position(s) of end padding are left over"
            )
        if answer.unread or not answer.fits:
            options = [f"padding {p}" for p in answer.fitting_paddings[:2]]
            options += [f"stride {s}" for s in answer.fitting_strides[:2]]
            if options:
                console.print(f"  would fit and read every input: {', '.join(options)}")
    console.print("output size: " + "×".join(str(a.size) for a in answers))


def render_json(answers: Sequence[AxisAnswer]) -> str:
    return json.dumps({"schema": "cnncalc.out_size/1", "axes": [a.to_dict() for a in answers]}, indent=2)
