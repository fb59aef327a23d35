"""One self-contained HTML page per network: summary, totals, diagram, receptive fields, lint.

Everything is inline (CSS and SVG, no scripts, no fonts or images fetched), so the file can be
mailed, attached to a pull request or opened offline.
"""

from __future__ import annotations

from collections.abc import Sequence

from cnncalc.analysis.lint.model import Finding
from cnncalc.analysis.receptive_field import ReceptiveFields
from cnncalc.analysis.summary import Summary
from cnncalc.render.escape import xml

STYLE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1100px; color: #212529; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.9em; }
th, td { border: 1px solid #dee2e6; padding: 0.25em 0.6em; }
thead th { background: #f1f3f5; }
.figure { overflow-x: auto; border: 1px solid #dee2e6; padding: 0.5em; }
.error { color: #c92a2a; } .warning { color: #e67700; } .info { color: #1864ab; }
.muted { color: #6c757d; }
"""


def render_report(
    summary: Summary,
    fields: ReceptiveFields,
    findings: Sequence[Finding],
    *,
    description: str | None = None,
    source: str | None = None,
) -> str:
    from cnncalc.render.receptive_field import render_html as fields_html
    from cnncalc.render.summary import render_html as summary_html
    from cnncalc.render.svg import architecture, field_growth

    title = summary.name or "network"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{xml(title)} — cnncalc report</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{xml(title)}</h1>",
    ]
    if description:
        parts.append(f"<p>{xml(description)}</p>")
    if source:
        parts.append(f'<p class="muted">published figures: {xml(source)}</p>')
    parts += [
        "<h2>Totals</h2>",
        _totals_html(summary),
        "<h2>Architecture</h2>",
        f'<div class="figure">{architecture(summary)}</div>',
        "<h2>Receptive field per layer</h2>",
        f'<div class="figure">{_growth_chart(fields, field_growth)}</div>',
        "<h2>Lint</h2>",
        _findings_html(findings),
        "<h2>Layers</h2>",
        summary_html(summary, "hwc"),
        "<h2>Receptive fields</h2>",
        fields_html(fields, fields.layers),
        '<p class="muted">made by cnncalc from the text of the spec: no framework, no forward pass.</p>',
        "</body></html>",
        "",
    ]
    return "\n".join(parts)


def _totals_html(summary: Summary) -> str:
    from cnncalc.render.summary import totals_lines

    rows = "".join(f"<tr><th>{xml(k)}</th><td>{xml(v)}</td></tr>" for k, v in totals_lines(summary))
    return f"<table>{rows}</table>"


def _growth_chart(fields: ReceptiveFields, field_growth) -> str:
    sizes = [
        # No axes (a vector input such as INPUT(64)): no spatial field to draw, like a flattened layer.
        (record.name, float(max(axis.size for axis in record.axes)) if record.axes else None)
        for record in fields.layers
    ]
    extent = max(fields.input_size) if fields.input_size else 1
    return field_growth(sizes, extent, "receptive-field size (largest axis) after each layer")


def _findings_html(findings: Sequence[Finding]) -> str:
    if not findings:
        return "<p>no findings</p>"
    items = []
    for finding in findings:
        where = f"line {finding.line}, " if finding.line else ""
        layer = f"layer {finding.layer}: " if finding.layer else ""
        hint = f'<br><span class="muted">hint: {xml(finding.hint)}</span>' if finding.hint else ""
        items.append(
            f'<li><b class="{xml(finding.severity)}">{xml(finding.code)} {xml(finding.severity)}</b> '
            f"{xml(where + layer + finding.message)}{hint}</li>"
        )
    return "<ul>" + "".join(items) + "</ul>"
