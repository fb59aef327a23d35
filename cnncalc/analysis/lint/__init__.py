"""Lint: rules with stable codes run over a built graph; shape errors become findings too.

Rules live one per module in `rules/` and are discovered by name, so adding a rule is adding a
file. Selection, ignoring and severities are generic over the rule list (like ruff and yamllint).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache

from cnncalc.analysis.lint import rules as rules_package
from cnncalc.analysis.lint.budgets import NAMES as BUDGET_NAMES
from cnncalc.analysis.lint.budgets import Budgets
from cnncalc.analysis.lint.model import SEVERITIES, Finding, Issue, LintContext, Rule, Severity
from cnncalc.errors import Location, ShapeError, SpecError, ValidationSpecError
from cnncalc.i18n import _, ngettext

__all__ = ["Finding", "LintConfig", "LintResult", "Rule", "all_rules", "lint_graph", "lint_spec", "rule"]


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule, sorted by code, discovered from the modules of `rules/`."""
    found = []
    for module in pkgutil.iter_modules(rules_package.__path__):
        loaded = importlib.import_module(f"{rules_package.__name__}.{module.name}")
        found.append(loaded.RULE)
    codes = [r.code for r in found]
    if len(set(codes)) != len(codes):
        raise RuntimeError(f"duplicate lint codes: {sorted(codes)}")
    return tuple(sorted(found, key=lambda r: r.code))


def rule(code: str) -> Rule:
    for candidate in all_rules():
        if candidate.code == code.upper() or candidate.name == code.lower():
            return candidate
    hint = _("{command} shows them all").format(command="`cnncalc lint --list`")
    raise ValidationSpecError(_("no lint rule {code!r}").format(code=code), hint=hint)


@dataclass(frozen=True)
class LintConfig:
    """Which rules run and how severe they are. Later sources override earlier ones."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    strict: bool = False
    budgets: Budgets = field(default_factory=Budgets)

    def enabled(self, code: str) -> bool:
        """Prefix matching like ruff: 'S' selects every S rule; a longer match wins."""
        selected = max((len(p) for p in self.select if code.startswith(p)), default=-1)
        ignored = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        if self.select and selected < 0:
            return False
        return ignored < 0 or selected > ignored

    def severity_of(self, found: Rule) -> Severity:
        return self.severity.get(found.code, found.severity)

    def fails(self, finding: Finding) -> bool:
        return finding.severity == "error" or (self.strict and finding.severity == "warning")

    def override(self, other: LintConfig | None) -> LintConfig:
        """Settings of `other` layered on top of these (its lists extend, its severities win)."""
        if other is None:
            return self
        return LintConfig(
            select=other.select or self.select,
            ignore=(*self.ignore, *other.ignore),
            severity={**self.severity, **other.severity},
            strict=self.strict or other.strict,
            budgets=self.budgets.override(other.budgets),
        )

    @classmethod
    def from_mapping(cls, data: Mapping[str, object], where: str) -> LintConfig:
        """Build from a TOML table or a spec's `lint:` mapping, with clear errors."""
        known = {"select", "ignore", "severity", "strict", *BUDGET_NAMES}
        unknown = {key for key in data if key.replace("_", "-") not in known}
        if unknown:
            raise ValidationSpecError(
                ngettext(
                    "{where}: unknown lint setting {names}", "{where}: unknown lint settings {names}", len(unknown)
                ).format(where=where, names=", ".join(map(repr, sorted(unknown)))),
                hint=_("lint settings are {names}").format(names=", ".join(sorted(known))),
            )
        select = _codes(data.get("select", ()), where)
        ignore = _codes(data.get("ignore", ()), where)
        severity = data.get("severity", {}) or {}
        if not isinstance(severity, Mapping) or not all(v in SEVERITIES for v in severity.values()):
            raise ValidationSpecError(
                _("{where}: severity must map codes to error, warning or info").format(where=where)
            )
        codes = {rule(str(code)).code: level for code, level in severity.items()}
        strict = data.get("strict", False)
        if not isinstance(strict, bool):
            raise ValidationSpecError(_("{where}: strict must be true or false").format(where=where))
        budgets = Budgets.from_mapping(data, where)
        return cls(select, ignore, codes, strict, budgets)


def _codes(value: object, where: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(v, str) for v in items):
        message = _("{where}: select/ignore take a list of rule codes like {example}")
        raise ValidationSpecError(message.format(where=where, example="[S001, A]"))
    codes = tuple(part.strip().upper() for item in items for part in item.split(",") if part.strip())
    for code in codes:
        if not any(r.code.startswith(code) for r in all_rules()):
            raise ValidationSpecError(
                _("{where}: no lint rule matches {code!r}").format(where=where, code=code),
                hint=_("{command} shows the codes").format(command="`cnncalc lint --list`"),
            )
    return codes


@dataclass(frozen=True)
class LintResult:
    """Findings for one spec, or the bad-input error that stopped it from being read."""

    source: str
    findings: tuple[Finding, ...] = ()
    error: SpecError | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "findings": [f.to_dict() for f in self.findings],
            "error": None if self.error is None else self.error.to_dict(),
        }


def lint_graph(graph, config: LintConfig, summary=None, fields=None, progress=None) -> tuple[Finding, ...]:
    """Run every enabled rule over a built graph, honouring per-layer `noqa:`.

    `summary` and `fields`, when the caller has them, are reused instead of computed again;
    `progress(done, total, rule code)` is called as each rule starts (a command line's progress bar).
    """
    _check_noqa_codes(graph)
    context = LintContext(graph, summary, fields, config.budgets)
    findings: list[Finding] = []
    enabled = [(found, found.check) for found in all_rules() if found.check is not None and config.enabled(found.code)]
    for done, (found, check) in enumerate(enabled, 1):
        if progress is not None:
            progress(done, len(enabled), found.code)
        for issue in check(context):
            if issue.node is not None and found.code in issue.node.noqa:
                continue
            location = issue.node.location if issue.node else Location(file=graph.spec.file)
            findings.append(Finding.of(found, config.severity_of(found), issue.message, issue.hint, location))
    return tuple(sorted(findings, key=_finding_order))


def _check_noqa_codes(graph) -> None:
    """A mistyped `noqa:` code would silence nothing, quietly: refuse it like a mistyped `ignore:`."""
    codes = {r.code for r in all_rules()}
    for node in graph.nodes:
        unknown = sorted(code for code in node.noqa if code.upper() not in codes)
        if unknown:
            raise ValidationSpecError(
                _("noqa names no lint rule: {codes}").format(codes=", ".join(map(repr, unknown))),
                location=node.location,
                hint=_("{command} shows the codes, e.g. {example}").format(
                    command="`cnncalc lint --list`", example="noqa: S001"
                ),
            )


def _finding_order(finding: Finding) -> tuple[int, int, str]:
    return (finding.line or 0, finding.column or 0, finding.code)


def shape_error_finding(error: ShapeError, config: LintConfig) -> tuple[Finding, ...]:
    """A shape that cannot be computed is itself a finding (S002, S005, S006 or S007)."""
    found = rule(error.rule or "S007")
    if not config.enabled(found.code):
        return ()
    return (Finding.of(found, config.severity_of(found), error.message, error.hint, error.location),)


def lint_spec(
    source: str,
    config: LintConfig = LintConfig(),
    *,
    input: str | None = None,
    params: Mapping[str, object] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> LintResult:
    """Load and lint one spec; bad input is returned as the result's error, not raised."""
    from cnncalc.graph import build_graph
    from cnncalc.spec import load_spec
    from cnncalc.spec.load import looks_like_chain

    label = "<chain>" if looks_like_chain(source) else source
    try:
        spec = load_spec(source, input_shape=input, params=params)
        effective = config.override(_spec_config(spec)) if spec.lint else config
        effective = replace(effective, select=config.select or effective.select)
        try:
            graph = build_graph(spec)
        except ShapeError as error:
            return LintResult(label, shape_error_finding(error, effective))
        return LintResult(label, lint_graph(graph, effective, progress=progress))
    except SpecError as error:
        return LintResult(label, error=error)


def _spec_config(spec) -> LintConfig:
    return LintConfig.from_mapping(spec.lint, f"{spec.file or 'spec'}: lint")


def issues_of(found: Iterable[Issue]) -> list[Issue]:
    return list(found)
