"""Renderers for `cnncalc out-size`: each axis's D with its working and a stride-fit verdict."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cnncalc.analysis.quick import AxisAnswer
from cnncalc.i18n import _, ngettext, number

if TYPE_CHECKING:
    from rich.console import Console


def render_text(answers: Sequence[AxisAnswer], console: Console) -> None:
    for answer in answers:
        console.print(answer.working)
        if not answer.fits:
            exact = number(answer.exact, ".2f")
            verdict = _("the stride does not fit")
            console.print(f"  [yellow]{verdict}[/]: (W − F + 2P)/S + 1 = {exact} → ⌊⌋ = {answer.size}")
        if answer.unread:
            where = _("input {positions} on {axis}").format(positions=answer.unread_text, axis=answer.axis)
            never = _("never read")
            console.print(f"  [yellow]{never}[/]: {where}")
        elif not answer.fits:
            left = ngettext(
                "every input position is read: only {n} position of end padding is left over",
                "every input position is read: only {n} positions of end padding are left over",
                answer.dropped,
            )
            console.print("  " + left.format(n=answer.dropped))
        if answer.unread or not answer.fits:
            options = [_("padding {p}").format(p=p) for p in answer.fitting_paddings[:2]]
            options += [_("stride {s}").format(s=s) for s in answer.fitting_strides[:2]]
            if options:
                console.print("  " + _("would fit and read every input: {options}").format(options=", ".join(options)))
    console.print(_("output size: ") + "×".join(str(a.size) for a in answers))


def render_json(answers: Sequence[AxisAnswer]) -> str:
    return json.dumps({"schema": "cnncalc.out_size/1", "axes": [a.to_dict() for a in answers]}, indent=2)
