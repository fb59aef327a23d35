"""Lint records: rules (data plus one check function), the issues they raise, and findings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from cnncalc.analysis.lint.budgets import Budgets
from cnncalc.display import Displayed
from cnncalc.errors import Location

if TYPE_CHECKING:
    from cnncalc.analysis.receptive_field import ReceptiveFields
    from cnncalc.analysis.summary import Summary
    from cnncalc.graph import Graph
    from cnncalc.spec.model import Node

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Issue:
    """What a check reports: the layer it concerns, what is wrong and how to fix it."""

    node: Node | None
    message: str
    hint: str | None = None


class LintContext:
    """Everything a check may read; analyses are computed once, on first use."""

    def __init__(
        self,
        graph: Graph,
        summary: Summary | None = None,
        fields: ReceptiveFields | None = None,
        budgets: Budgets | None = None,
    ) -> None:
        self.graph = graph
        self.budgets = budgets or Budgets()
        # Analyses the caller already has are reused instead of computed again.
        if summary is not None:
            self.__dict__["summary"] = summary
        if fields is not None:
            self.__dict__["fields"] = fields

    @cached_property
    def summary(self) -> Summary:
        from cnncalc.analysis.summary import summarize

        return summarize(self.graph)

    @cached_property
    def fields(self) -> ReceptiveFields:
        from cnncalc.analysis.receptive_field import receptive_fields

        return receptive_fields(self.graph)

    def node(self, name: str) -> Node:
        return self.graph.spec.nodes[self._index[name]]

    @cached_property
    def _index(self) -> dict[str, int]:
        return {n.name: i for i, n in enumerate(self.graph.nodes)}

    def producers(self, node: Node) -> list[Node]:
        return [self.node(name) for name in node.inputs]

    def consumers(self, node: Node) -> list[Node]:
        return [self.node(name) for name in self.graph.consumers[node.name]]


Check = Callable[[LintContext], Iterator[Issue]]


@dataclass(frozen=True)
class Rule:
    """A lint rule: stable code, kebab-case name, default severity, docs and its check."""

    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    check: Check | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Finding:
    """One reported problem. Field names are the JSON schema's."""

    code: str
    name: str
    severity: Severity
    message: str
    hint: str | None
    file: str | None
    line: int | None
    column: int | None
    layer: str | None

    @classmethod
    def of(cls, rule: Rule, severity: Severity, issue_message: str, hint: str | None, location: Location) -> Finding:
        return cls(
            rule.code,
            rule.name,
            severity,
            issue_message,
            hint,
            location.file,
            location.line,
            location.column,
            location.layer,
        )

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


class Findings(Displayed, tuple[Finding, ...]):
    """The findings of `Network.lint()`: a tuple, shown in a notebook as a table."""

    __slots__ = ()
