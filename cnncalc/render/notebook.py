"""The notebook and `print()` forms of every displayed record (see cnncalc/display.py)."""

from __future__ import annotations

from collections.abc import Mapping

from cnncalc.analysis.explain import Explanation
from cnncalc.analysis.memory import TrainingMemory
from cnncalc.analysis.receptive_field import ReceptiveFields
from cnncalc.analysis.summary import Summary
from cnncalc.display import Display
from cnncalc.render import explain, memory, receptive_field, run, summary


def _displays() -> dict[type, Display]:
    from cnncalc.executor.run import RunResult  # NumPy: only once a run is shown

    return {
        Summary: Display(lambda s: summary.render_markdown(s, "hwc"), lambda s: summary.render_html(s, "hwc")),
        Explanation: Display(explain.render_markdown, explain.render_html),
        TrainingMemory: Display(memory.render_markdown, memory.render_html),
        ReceptiveFields: Display(
            lambda r: receptive_field.render_markdown(r, r.layers), lambda r: receptive_field.render_html(r, r.layers)
        ),
        RunResult: Display(run.render_markdown, run.render_html),
    }


def __getattr__(name: str) -> Mapping[type, Display]:
    if name == "DISPLAYS":
        return _displays()
    raise AttributeError(name)
