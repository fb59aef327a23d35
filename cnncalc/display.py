"""How records show themselves in a notebook and in `print()`: a plug-in point for the renderers.

Records (analysis results, executor runs) are data and never import a renderer: the flow runs one
way, spec → graph → analyses → records → renderers. A record class inherits `Displayed`; the
renderers for its type are listed in cnncalc/render/notebook.py, which is loaded by name the
first time a record is shown — late binding, as IPython's `for_type_by_name` does it, so that
neither side imports the other backwards and `import cnncalc` loads no renderer.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

RENDERERS = "cnncalc.render.notebook"


@dataclass(frozen=True)
class Display:
    """A record type's two notebook forms; `print()` shows the Markdown one."""

    markdown: Callable[[Any], str]
    html: Callable[[Any], str]


def displays() -> Mapping[type, Display]:
    """Record type → its display, from the renderers' side."""
    return importlib.import_module(RENDERERS).DISPLAYS


class Displayed:
    """Mixin for records: Jupyter renders them as tables, `print()` shows the same table in Markdown."""

    __slots__ = ()

    def __str__(self) -> str:
        return self._repr_markdown_()

    def _repr_markdown_(self) -> str:
        return displays()[type(self)].markdown(self)

    def _repr_html_(self) -> str:
        return displays()[type(self)].html(self)
