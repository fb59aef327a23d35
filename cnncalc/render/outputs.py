"""Which formats each record can be written in, and the renderer of each, declared once.

The command line takes its --format choices, their completion and their help from `OUTPUTS`, and
looks a renderer up here instead of choosing one itself. A format with no renderer listed is
written by its command (a binary file, a document assembled from several records). Renderer
modules are named, not imported: importing this table costs nothing at start-up.

Add an output format: a renderer function in the record's module under render/, and one entry in
its record's `Output` below.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from cnncalc.i18n import N_

FORMAT_HELP = N_("Output format.")


@dataclass(frozen=True)
class Renderer:
    """`target` ("module:function") renders the record (and the command's extra arguments) as text,
    or, when `prints`, onto a rich console passed last, made with `soft_wrap`."""

    format: str
    target: str
    prints: bool = False
    soft_wrap: bool | None = None

    def function(self) -> Callable[..., Any]:
        module, _, name = self.target.partition(":")
        return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Output:
    """The formats of one record type, the first being the default, and their renderers."""

    formats: tuple[str, ...]
    renderers: tuple[Renderer, ...] = ()
    help: str = FORMAT_HELP

    @property
    def default(self) -> str:
        return self.formats[0]

    def renderer(self, format: str) -> Renderer:
        return next(r for r in self.renderers if r.format == format)


def _text(format: str, target: str) -> Renderer:
    return Renderer(format, f"cnncalc.render.{target}")


def _printed(format: str, target: str, soft_wrap: bool | None = None) -> Renderer:
    return Renderer(format, f"cnncalc.render.{target}", prints=True, soft_wrap=soft_wrap)


def _tabular(module: str, json: str | None = None) -> tuple[Renderer, ...]:
    """The usual three: a rich table, a JSON document and a Markdown table."""
    return (
        _printed("table", f"{module}:render_table"),
        _text("json", json or f"{module}:render_json"),
        _text("markdown", f"{module}:render_markdown"),
    )


def record_json(record: Any) -> str:
    """The JSON document of a record that describes itself (`to_dict()` carries its schema)."""
    from cnncalc.render.escape import json_text

    return json_text(record.to_dict())


_TABULAR = ("table", "json", "markdown")
_TEXT_OR_JSON = ("text", "json")
_WORKED = ("table", "json", "markdown", "latex")  # the cells and matrices of a worked convolution or pooling
_worked_text = (
    _printed("table", "worked:render_table", soft_wrap=True),
    _text("markdown", "worked:render_markdown"),
    _text("latex", "worked:render_latex"),
)

OUTPUTS: Mapping[str, Output] = MappingProxyType(
    {
        "summary": Output(  # its table is the command's: the convention line and workings follow it
            ("table", "json", "markdown", "csv"),
            (
                _text("json", "summary:render_json"),
                _text("markdown", "summary:render_markdown"),
                _text("csv", "summary:render_csv"),
            ),
        ),
        "symbolic": Output(
            ("table", "json", "markdown"),
            _tabular("symbolic", json="outputs:record_json"),
        ),
        "explain": Output(
            ("text", "json", "markdown", "latex"),
            (
                _printed("text", "explain:render_text", soft_wrap=True),
                _text("json", "explain:render_json"),
                _text("markdown", "explain:render_markdown"),
                _text("latex", "explain:render_latex"),
            ),
        ),
        "memory": Output(_TABULAR, _tabular("memory")),
        "comparison": Output(_TABULAR, _tabular("compare", json="outputs:record_json")),
        "conventions": Output(
            _TABULAR,
            (
                _printed("table", "compare:conventions_table"),
                _text("markdown", "compare:conventions_markdown"),
            ),
        ),
        "diagram": Output(
            ("mermaid", "dot", "svg", "png", "html", "json"),
            (
                _text("mermaid", "diagram:to_mermaid"),
                _text("dot", "diagram:to_dot"),
                _text("json", "diagram:to_graph_json"),
            ),
            help=N_("Diagram language, or json: the nodes and edges as data."),
        ),
        "diff": Output(
            ("table", "json", "markdown", "github"), (*_tabular("diff"), _text("github", "diff:render_github"))
        ),
        "lint": Output(
            ("human", "table", "json", "github", "sarif"),
            (
                _printed("human", "lint:render_human", soft_wrap=True),
                _printed("table", "lint:render_table", soft_wrap=False),
                _text("json", "lint:render_json"),
                _text("github", "lint:render_github"),
                _text("sarif", "lint:render_sarif"),
            ),
        ),
        "receptive_field": Output(_TABULAR, _tabular("receptive_field")),
        "report": Output(("html", "json"), help=N_("html, or the same content as JSON.")),
        "run": Output(("table", "json"), (_printed("table", "run:render_table"), _text("json", "outputs:record_json"))),
        "scale": Output(_TABULAR, _tabular("scale")),
        "zoo": Output(_TABULAR, _tabular("zoo")),
        "layers": Output(
            ("table", "json"), (_printed("table", "catalog:render_table"), _text("json", "catalog:render_json"))
        ),
        "check": Output(
            ("text", "table", "csv", "json"),
            (
                _printed("text", "check:render_text", soft_wrap=True),
                _printed("table", "check:render_table"),
                _text("csv", "check:render_csv"),
                _text("json", "check:render_json"),
            ),
            help=N_("Output format; table and csv are the gradebook of --key."),
        ),
        "exercise": Output(
            ("markdown", "latex", "key", "answers", "json"),
            (
                _text("markdown", "exercise:render_markdown"),
                _text("latex", "exercise:render_latex"),
                _text("key", "exercise:render_key"),
                _text("answers", "exercise:render_answers"),
                _text("json", "exercise:render_json"),
            ),
            help=N_(
                "The sheet (markdown, latex), its answer key, an answers file with every answer right, "
                "or json: the sheet with its answers."
            ),
        ),
        "out_size": Output(
            _TEXT_OR_JSON, (_printed("text", "quick:render_text", soft_wrap=True), _text("json", "quick:render_json"))
        ),
        "solve": Output(_TEXT_OR_JSON),
        "conv": Output(_WORKED, (*_worked_text, _text("json", "worked:conv_json"))),
        "pool": Output(_WORKED, (*_worked_text, _text("json", "worked:pool_json"))),
        "schema": Output(("json",), help=N_("The schema is JSON.")),
        "artifact": Output(
            _TEXT_OR_JSON, help=N_("text: the content itself; json: a document with it and where it was written.")
        ),
    }
)
