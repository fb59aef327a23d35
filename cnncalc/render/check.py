"""Renderers for marked answers files (`cnncalc check`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cnncalc.analysis.check import Marking
from cnncalc.errors import SpecError
from cnncalc.render.escape import json_text, markup

if TYPE_CHECKING:
    from rich.console import Console


def render_text(results: Sequence[Marking | SpecError], console: Console) -> None:
    """Each file's claims ✓/✗, with the correct value and its working for a wrong one, and a score.
    Files that could not be read are the command's to report, on stderr."""
    for marking in (r for r in results if isinstance(r, Marking)):
        who = f" ({markup(marking.student)})" if marking.student else ""
        console.print(f"[bold]{markup(marking.file)}[/]{who}")
        for claim in marking.claims:
            mark = "[green]✓[/]" if claim.ok else "[bold red]✗[/]"
            text = f"  {mark} {markup(claim.layer)} {markup(claim.quantity)}: {markup(str(claim.claimed))}"
            if not claim.ok:
                text += f" — correct: {markup(str(claim.correct))}"
            console.print(text)
            for line in claim.working:
                console.print(f"      {markup(line)}")
        console.print(f"  score: {marking.score}/{len(marking.claims)}")


def render_json(results: Sequence[Marking | SpecError]) -> str:
    """One document: the marked files and the files that could not be read."""
    return json_text(
        {
            "schema": "cnncalc.check/1",
            "results": [r.to_dict() for r in results if isinstance(r, Marking)],
            "errors": [r.to_dict() for r in results if isinstance(r, SpecError)],
        }
    )
