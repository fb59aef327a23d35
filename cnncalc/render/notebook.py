"""The notebook and `print()` forms of every displayed record (see cnncalc/display.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cnncalc.analysis.conventions import ConventionTotal
from cnncalc.analysis.diff import Diff
from cnncalc.analysis.explain import Explanation
from cnncalc.analysis.grading import Gradebook
from cnncalc.analysis.lint.model import Finding, Findings
from cnncalc.analysis.memory import TrainingMemory
from cnncalc.analysis.receptive_field import FieldRecord, ReceptiveFields
from cnncalc.analysis.scale import Scaling
from cnncalc.analysis.summary import Summary, Totals
from cnncalc.analysis.symbolic import SymbolicSummary
from cnncalc.display import Display
from cnncalc.i18n import N_, _, ngettext
from cnncalc.render import check, compare, diff, explain, memory, receptive_field, run, scale, summary, symbolic
from cnncalc.render.escape import markdown, xml
from cnncalc.render.html import html_table
from cnncalc.render.numbers import grouped


def _displays() -> dict[type, Display]:
    from cnncalc.executor.run import RunResult  # NumPy: only once a run is shown
    from cnncalc.executor.worked import Worked
    from cnncalc.render import worked

    return {
        Summary: Display(lambda s: summary.render_markdown(s, "hwc"), lambda s: summary.render_html(s, "hwc")),
        Totals: Display(totals_markdown, totals_html),
        Explanation: Display(explain.render_markdown, explain.render_html),
        TrainingMemory: Display(memory.render_markdown, memory.render_html),
        ReceptiveFields: Display(
            lambda r: receptive_field.render_markdown(r, r.layers), lambda r: receptive_field.render_html(r, r.layers)
        ),
        RunResult: Display(run.render_markdown, run.render_html),
        Worked: Display(worked.render_markdown, worked.render_html),
        FieldRecord: Display(receptive_field.record_markdown, receptive_field.record_html),
        Findings: Display(findings_markdown, findings_html),
        Scaling: Display(scale.render_markdown, scaling_html),
        Diff: Display(diff.render_markdown, diff_html),
        SymbolicSummary: Display(symbolic.render_markdown, symbolic.render_html),
        Gradebook: Display(check.render_markdown, check.render_html),
        ConventionTotal: Display(lambda t: compare.conventions_markdown([t]), lambda t: compare.conventions_html([t])),
    }


def __getattr__(name: str) -> Mapping[type, Display]:
    if name == "DISPLAYS":
        return _displays()
    raise AttributeError(name)


def totals_markdown(totals: Totals) -> str:
    return "\n".join(f"- **{label}**: {markdown(value)}" for label, value in summary.totals_rows(totals)) + "\n"


def totals_html(totals: Totals) -> str:
    rows = "".join(f"<tr><th>{xml(k)}</th><td>{xml(v)}</td></tr>" for k, v in summary.totals_rows(totals))
    return f"<table>{rows}</table>"


FINDING_COLUMNS = (N_("code"), N_("severity"), N_("line"), N_("layer"), N_("message"))


def _finding_cells(finding: Finding) -> tuple[str, ...]:
    hint = " — " + _("hint: {hint}").format(hint=finding.hint) if finding.hint else ""
    line = "" if finding.line is None else str(finding.line)
    return (finding.code, finding.severity, line, finding.layer or "", finding.message + hint)


def _findings_count(findings: Sequence[Finding]) -> str:
    if not findings:
        return _("no findings")
    return ngettext("{count} finding", "{count} findings", len(findings)).format(count=grouped(len(findings)))


def findings_markdown(findings: Findings) -> str:
    lines = [_findings_count(findings)]
    if findings:
        lines += ["", "| " + " | ".join(_(c) for c in FINDING_COLUMNS) + " |", "|---|---|---:|---|---|"]
        lines += ["| " + " | ".join(markdown(c) for c in _finding_cells(f)) + " |" for f in findings]
    return "\n".join(lines) + "\n"


def findings_html(findings: Findings) -> str:
    head = f"<p>{xml(_findings_count(findings))}</p>"
    if not findings:
        return head
    columns = [_(c) for c in FINDING_COLUMNS]
    return head + html_table(columns, [_finding_cells(f) for f in findings], right=[columns[2]])


def scaling_html(result: Scaling) -> str:
    title = xml(result.name or _("network"))
    columns = [_(c) for c in scale.COLUMNS]
    numeric = [_(c) for c in ("params", "MACs", "activations")]
    line = scale.valid_line(result)
    return (
        f"<h4>{title}</h4>"
        + html_table(columns, scale.rows(result), right=numeric)
        + (f"<p>{xml(line)}</p>" if line else "")
    )


def diff_html(result: Diff) -> str:
    """The totals and what went over a limit, in sight; the changed layers folded (a diff of two
    ResNets lists hundreds)."""
    title = xml(f"{result.old_name} → {result.new_name}")
    totals = html_table([_(c) for c in diff.TOTAL_COLUMNS], [diff.total_row(t) for t in result.totals])
    over = _("over the limit: {line}")
    failed = "".join("<li>" + xml(over.format(line=line)) + "</li>" for line in result.failed)
    parts = [f"<h4>{title}</h4>", totals, f"<ul>{failed}</ul>" if failed else ""]
    if not result.layers:
        return "".join([*parts, "<p>" + xml(_("no layer changed")) + "</p>"])
    count = ngettext("{count} layer changed", "{count} layers changed", len(result.layers))
    folded = xml(count.format(count=grouped(len(result.layers))))
    layers = html_table([_(c) for c in diff.LAYER_COLUMNS], [diff.layer_row(c) for c in result.layers])
    return "".join([*parts, f"<details><summary>{folded}</summary>{layers}</details>"])
