"""Renderers for lint results: human (rich), JSON, GitHub Actions annotations and SARIF 2.1.0."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cnncalc import __version__
from cnncalc.analysis.lint import Finding, LintResult, Rule
from cnncalc.i18n import _, ngettext, number
from cnncalc.render.escape import json_text, markup, terminal_error, workflow_data, workflow_property

if TYPE_CHECKING:
    from rich.console import Console

SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
# The terminal shows this many findings of one rule per spec, then how many more: a 100,000-layer
# chain of ReLUs has 99,999 A002 findings, and printing each costs rich about half a millisecond.
SHOWN_PER_RULE = 20
STYLE = {"error": "bold red", "warning": "yellow", "info": "blue"}


def where(finding: Finding, source: str) -> str:
    text = finding.file or source
    if finding.line is not None:
        text += f":{finding.line}"
        if finding.column is not None:
            text += f":{finding.column}"
    return text


def render_human(results: Sequence[LintResult], console: Console) -> None:
    for result in results:
        if result.error is not None:
            console.print(error_markup(result.error))
            continue
        shown: dict[str, int] = {}
        for f in result.findings:
            shown[f.code] = shown.get(f.code, 0) + 1
            if shown[f.code] > SHOWN_PER_RULE:
                continue
            layer = f" [dim]({markup(f.layer)})[/]" if f.layer else ""
            console.print(
                f"{markup(where(f, result.source))}: [{STYLE[f.severity]}]{f.code}[/] {markup(f.message)}{layer}"
            )
            if f.hint:
                console.print("  [dim]" + _("hint: {hint}").format(hint=markup(f.hint)) + "[/]")
        for code, count in shown.items():
            if count > SHOWN_PER_RULE:
                more = _("… and {n} more {code} findings (--format json lists them all)")
                console.print(f"{markup(result.source)}: " + more.format(n=number(count - SHOWN_PER_RULE), code=code))
    console.print(summary_line(results))


def error_markup(error) -> str:
    """A spec that could not be read, as console markup."""
    from rich.markup import escape

    label = _("error:")
    return f"[bold red]{label}[/] {escape(terminal_error(error))}"


def summary_line(results: Sequence[LintResult]) -> str:
    """'3 finding(s) in 2 specs (1 error, 2 warnings)': which severities decide the exit code."""
    found = [f for r in results for f in r.findings]
    files = len(results)
    unread = sum(1 for r in results if r.error is not None)
    if found or unread:
        summary = ngettext("{n} finding(s) in {files} spec", "{n} finding(s) in {files} specs", files)
    else:
        summary = ngettext("all {files} spec clean", "all {files} specs clean", files)
    summary = summary.format(n=len(found), files=files)
    counts = {level: sum(1 for f in found if f.severity == level) for level in STYLE}
    forms = {
        "error": ngettext("{n} error", "{n} errors", counts["error"]),
        "warning": ngettext("{n} warning", "{n} warnings", counts["warning"]),
        "info": ngettext("{n} info", "{n} infos", counts["info"]),
    }
    parts = [forms[level].format(n=n) for level, n in counts.items() if n]
    if parts:
        summary += f" ({', '.join(parts)})"
    if unread:
        summary += _("; {n} could not be read").format(n=unread)
    return summary


def render_table(results: Sequence[LintResult], console: Console) -> None:
    """One row per finding: where, code, severity, layer, message and hint; unreadable specs after."""
    from rich.table import Table

    table = Table(title="lint findings", title_justify="left")
    for column in ("where", "code", "severity", "layer", "message"):
        table.add_column(column, overflow="fold")
    for result in results:
        for f in result.findings:
            message = markup(f.message) + (f"\n[dim]hint: {markup(f.hint)}[/]" if f.hint else "")
            style = STYLE[f.severity]
            layer = markup(f.layer or "")
            table.add_row(markup(where(f, result.source)), f.code, f"[{style}]{f.severity}[/]", layer, message)
    if table.rows:
        console.print(table)
    for result in results:
        if result.error is not None:
            console.print(error_markup(result.error))
    console.print(summary_line(results))


def render_json(results: Sequence[LintResult]) -> str:
    return json_text({"schema": "cnncalc.lint/1", "results": [r.to_dict() for r in results]})


def render_github(results: Sequence[LintResult]) -> str:
    """GitHub Actions workflow commands: ::error file=…,line=…,col=…,title=…::message."""
    lines = []
    for result in results:
        items: list[tuple[str, str | None, int | None, int | None, str, str]] = []
        if result.error is not None:
            loc = result.error.location
            items.append(("error", loc.file or result.source, loc.line, loc.column, "cnncalc", result.error.message))
        for f in result.findings:
            level = {"error": "error", "warning": "warning", "info": "notice"}[f.severity]
            message = f.message + (f" (hint: {f.hint})" if f.hint else "")
            items.append((level, f.file or result.source, f.line, f.column, f"{f.code} {f.name}", message))
        for level, file, line, column, title, message in items:
            props = [*_workflow_place(file or result.source, line, column, title)]
            lines.append(f"::{level} {','.join(props)}::{workflow_data(message)}")
    return "\n".join(lines)


def _workflow_place(file: str, line: int | None, column: int | None, title: str) -> list[str]:
    """The file=, line=, col= and title= of an annotation. A chain typed on the command line is in no
    file: GitHub would attach `file=<chain>` to nothing, so its position goes into the title instead."""
    if not in_a_file(file):
        where = ":".join(str(part) for part in (file, line, column) if part is not None)
        return [f"title={workflow_property(f'{title} ({where})')}"]
    props = [f"file={workflow_property(file)}"]
    props += [f"line={line}"] if line is not None else []
    props += [f"col={column}"] if column is not None else []
    return [*props, f"title={workflow_property(title)}"]


def in_a_file(file: str) -> bool:
    """Whether a finding's `file` names a file (not '<chain>': text from the command line)."""
    return not file.startswith("<") and Path(file).is_file()


SRCROOT = "%SRCROOT%"


def render_sarif(results: Sequence[LintResult], rules: Sequence[Rule], root: Path) -> str:
    """A SARIF 2.1.0 log with one run, the rule metadata and a result per finding.

    Files under `root` (the directory cnncalc ran in: the repository in CI) are named relative to
    %SRCROOT%, so code scanning maps them onto the repository; a chain given on the command line is
    in no file and is located logically (the chain, then the layer)."""
    index = {r.code: i for i, r in enumerate(rules)}
    sarif_results = [
        {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": SARIF_LEVEL[f.severity],
            "message": {"text": _sentence(f.message) + (f" Hint: {_sentence(f.hint)}" if f.hint else "")},
            "locations": [_sarif_location(f, f.file or result.source, root)],
        }
        for result in results
        for f in result.findings
    ]
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {"name": "cnncalc", "version": __version__, "rules": [_sarif_rule(r) for r in rules]}
                },
                "originalUriBaseIds": {SRCROOT: {"uri": root.resolve().as_uri().rstrip("/") + "/"}},
                "results": sarif_results,
                "invocations": [
                    {
                        "executionSuccessful": all(r.error is None for r in results),
                        "toolExecutionNotifications": [
                            {"level": "error", "message": {"text": str(r.error)}}
                            for r in results
                            if r.error is not None
                        ],
                    }
                ],
            }
        ],
    }
    return json_text(log)


def _sentence(text: str) -> str:
    """`text` ending in a full stop, so a message and its hint read as two sentences."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _sarif_location(finding: Finding, file: str, root: Path) -> dict[str, object]:
    """Where a finding is: a region of a file (relative to %SRCROOT% when inside it) or, for an
    inline chain, a logical location naming the chain's position and the layer."""
    layer = [{"name": finding.layer, "kind": "member"}] if finding.layer else []
    path = Path(file)
    if not in_a_file(file):
        where = f"{file}:{finding.line}:{finding.column}" if finding.line is not None else file
        qualified = f"{where} {finding.layer}" if finding.layer else where
        return {"logicalLocations": [{"name": finding.layer or where, "fullyQualifiedName": qualified,
                                      "kind": "member" if finding.layer else "module"}]}  # fmt: skip
    region = {"startLine": finding.line or 1}
    if finding.column is not None:
        region["startColumn"] = finding.column
    physical = {"artifactLocation": _artifact(path, root), "region": region}
    return {"physicalLocation": physical, **({"logicalLocations": layer} if layer else {})}


def _artifact(path: Path, root: Path) -> dict[str, str]:
    from urllib.parse import quote

    absolute = path.resolve()
    try:
        relative = absolute.relative_to(root.resolve())
    except ValueError:  # outside the repository (a bundled spec, /tmp): an absolute file URI
        return {"uri": absolute.as_uri()}
    return {"uri": quote(relative.as_posix()), "uriBaseId": SRCROOT}


def _sarif_rule(found: Rule) -> dict[str, object]:
    return {
        "id": found.code,
        "name": found.name,
        "shortDescription": {"text": found.summary},
        "fullDescription": {"text": found.doc.split("\n\n")[0].replace("What it does: ", "")},
        "help": {"text": found.doc},
        "defaultConfiguration": {"level": SARIF_LEVEL[found.severity]},
    }


def render_rule_list(rules: Sequence[Rule], console: Console) -> None:
    from rich.table import Table

    table = Table(title="lint rules", title_justify="left")
    for column in ("code", "name", "default", "what it reports"):
        table.add_column(column, overflow="fold")
    for r in rules:
        table.add_row(r.code, r.name, r.severity, r.summary)
    console.print(table)
