"""One self-contained HTML page per network: summary, totals, diagram, receptive fields, lint.

Everything is inline (CSS, SVG and one small script; no fonts, images or scripts fetched), so the
file can be mailed, attached to a pull request or opened offline. The page reads whole with
scripts off: drawings fit the page's width by CSS and their viewBox, wide tables scroll inside
their own box, so a phone never scrolls the page sideways. The inline script only adds zoom and
pan to the drawings (buttons, Ctrl + wheel, drag).

Its size is bounded before anything is built: past `MAX_DETAILED_LAYERS` layers the page is a
summary (totals, layers per kind, stages, lint) and says so, as does a drawing too long to read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from cnncalc.analysis.lint.model import Finding
from cnncalc.analysis.receptive_field import ReceptiveFields
from cnncalc.analysis.summary import LayerRecord, Summary
from cnncalc.i18n import _, active
from cnncalc.render.escape import html_document_attribute, xml
from cnncalc.render.numbers import grouped

# About 1.2 KB of HTML a layer (measured on chains and residual graphs of 1,000 and 4,000 layers),
# so a detailed page stays near 6 MB at most; a 100,000-layer spec made a 127 MB one.
MAX_DETAILED_LAYERS = 5_000
# A drawing longer than this is a hairline at the page's width and too heavy to zoom: left out.
MAX_DRAWING_PX = 60_000
# Findings and stages listed at most; the rest are counted (`cnncalc lint` lists every finding).
MAX_LISTED = 200

STYLE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em;
       color: #212529; overflow-wrap: anywhere; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.9em; overflow-wrap: normal; }
th, td { border: 1px solid #dee2e6; padding: 0.25em 0.6em; }
thead th { background: #f1f3f5; }
.scroll { overflow-x: auto; }
.figure { margin: 0.5em 0; border: 1px solid #dee2e6; padding: 0.5em; }
.figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
.zoom { text-align: right; margin-bottom: 0.3em; }  /* above the drawing, never over it */
.zoom button { font-size: 1em; min-width: 2em; margin-left: 0.2em; }
.notice { border-left: 4px solid #e67700; padding: 0.3em 0.8em; background: #fff4e6; }
.error { color: #c92a2a; } .warning { color: #e67700; } .info { color: #1864ab; }
.muted { color: #6c757d; }
"""

# Zoom and pan by changing each drawing's viewBox: the drawing keeps its place and size on the page,
# what it shows changes. Ctrl + wheel (a trackpad's pinch) zooms, so plain scrolling still scrolls
# the page; dragging pans only once zoomed in, so a finger on a phone still scrolls the page.
SCRIPT = """
document.querySelectorAll("figure[data-zoom]").forEach(function (figure) {
  var svg = figure.querySelector("svg"), buttons = figure.querySelector(".zoom");
  if (!svg || !svg.viewBox.baseVal || !svg.viewBox.baseVal.width) return;
  var v = svg.viewBox.baseVal, home = [v.x, v.y, v.width, v.height], box = home.slice(), drag = null;
  function show() {
    var x = Math.max(home[0], Math.min(box[0], home[0] + home[2] - box[2]));
    var y = Math.max(home[1], Math.min(box[1], home[1] + home[3] - box[3]));
    box = [x, y, box[2], box[3]];
    svg.setAttribute("viewBox", box.join(" "));
    svg.style.touchAction = box[2] < home[2] ? "none" : "";
    svg.style.cursor = box[2] < home[2] ? "grab" : "";
  }
  function zoom(factor, fx, fy) {
    factor = Math.min(Math.max(factor, box[2] / home[2]), box[2] / 8);
    var w = box[2] / factor, h = box[3] / factor;
    box = [box[0] + (box[2] - w) * fx, box[1] + (box[3] - h) * fy, w, h];
    show();
  }
  buttons.hidden = false;
  buttons.addEventListener("click", function (event) {
    var step = Number(event.target.getAttribute("data-step"));
    if (!step) { box = home.slice(); show(); } else zoom(step, 0.5, 0.5);
  });
  svg.addEventListener("wheel", function (event) {
    if (!event.ctrlKey && !event.metaKey) return;
    event.preventDefault();
    var r = svg.getBoundingClientRect();
    zoom(event.deltaY < 0 ? 1.25 : 0.8, (event.clientX - r.left) / r.width, (event.clientY - r.top) / r.height);
  }, {passive: false});
  svg.addEventListener("pointerdown", function (event) {
    if (box[2] >= home[2]) return;
    drag = [event.clientX, event.clientY];
    svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var r = svg.getBoundingClientRect();
    box[0] -= (event.clientX - drag[0]) * box[2] / r.width;
    box[1] -= (event.clientY - drag[1]) * box[3] / r.height;
    drag = [event.clientX, event.clientY];
    show();
  });
  svg.addEventListener("pointerup", function () { drag = null; });
});
"""


@dataclass(frozen=True)
class Report:
    """A report page: `str()` is the HTML; a notebook shows the page itself, in a frame.

    `omissions` says what the page leaves out and why (the page says it too; the CLI on stderr).
    """

    html: str
    omissions: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.html

    def _repr_html_(self) -> str:
        # srcdoc keeps the page's own styles and script away from the notebook's, and vice versa.
        title = xml(_("cnncalc report"))
        style = "width:100%;height:80vh;border:1px solid #dee2e6"
        return f'<iframe title="{title}" style="{style}" srcdoc="{html_document_attribute(self.html)}"></iframe>'


def render_report(
    summary: Summary,
    fields: ReceptiveFields,
    findings: Sequence[Finding],
    *,
    description: str | None = None,
    source: str | None = None,
) -> Report:
    title = summary.name or _("network")
    page_title = _("{network} — cnncalc report").format(network=title)
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{xml(active())}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{xml(page_title)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{xml(title)}</h1>",
    ]
    if description:
        head.append(f"<p>{xml(description)}</p>")
    if source:
        published = _("published figures: {source}").format(source=source)
        head.append(f'<p class="muted">{xml(published)}</p>')
    if len(summary.layers) > MAX_DETAILED_LAYERS:
        body, omissions = _summarised(summary, findings)
    else:
        body, omissions = _detailed(summary, fields, findings)
    notices = [f'<p class="notice">{xml(text)}</p>' for text in omissions]
    footer = _("made by cnncalc from the text of the spec: no framework, no forward pass.")
    tail = [f'<p class="muted">{xml(footer)}</p>', f"<script>{SCRIPT}</script>", "</body></html>", ""]
    return Report("\n".join([*head, *notices, *body, *tail]), tuple(omissions))


def _detailed(summary: Summary, fields: ReceptiveFields, findings: Sequence[Finding]) -> tuple[list[str], list[str]]:
    """Every section, each layer in the tables; a drawing past MAX_DRAWING_PX is left out, saying so."""
    from cnncalc.render.receptive_field import render_html as fields_html
    from cnncalc.render.svg import architecture

    drawing, omissions = architecture(summary), []
    longest = _drawing_extent(drawing)
    if longest > MAX_DRAWING_PX:
        omissions.append(
            _(
                "the architecture drawing is left out: it would be {size} px long, more than the {limit} px "
                "a page can show; `cnncalc diagram` draws it"
            ).format(size=grouped(round(longest)), limit=grouped(MAX_DRAWING_PX))
        )
    parts = [
        _heading(_("Totals")),
        _totals_html(summary),
        _heading(_("Architecture")),
        _figure(drawing) if longest <= MAX_DRAWING_PX else "",
        _heading(_("Receptive field per layer")),
        _figure(_growth_chart(fields)),
        _heading(_("Lint")),
        _findings_html(findings),
        _heading(_("Layers")),
        _layers_html(summary),
        _heading(_("Receptive fields")),
        f'<div class="scroll">{fields_html(fields, fields.layers)}</div>',
    ]
    return parts, omissions


def _summarised(summary: Summary, findings: Sequence[Finding]) -> tuple[list[str], list[str]]:
    """Totals, layers per kind, stages and lint: what stays readable, and small, at any depth."""
    omission = _(
        "this network has {count} layers, more than the {limit} a report shows one by one: this page gives "
        "the totals, the layers per kind and per stage and the lint findings, without the per-layer tables "
        "and drawings; `cnncalc summary` lists every layer"
    ).format(count=grouped(len(summary.layers)), limit=grouped(MAX_DETAILED_LAYERS))
    stage = _("a stage: consecutive layers whose output has the same spatial size")
    parts = [
        _heading(_("Totals")),
        _totals_html(summary),
        _heading(_("Layers per kind")),
        _kinds_html(summary.layers),
        _heading(_("Stages")),
        f'<p class="muted">{xml(stage)}</p>',
        _stages_html(summary.layers),
        _heading(_("Lint")),
        _findings_html(findings),
    ]
    return parts, [omission]


def _heading(text: str) -> str:
    return f"<h2>{xml(text)}</h2>"


def _figure(svg: str) -> str:
    """A drawing with zoom buttons that stay hidden unless the inline script runs."""
    zoom_in, zoom_out, fit = xml(_("zoom in")), xml(_("zoom out")), xml(_("fit to the page"))
    buttons = (
        f'<div class="zoom" hidden><button type="button" data-step="1.25" title="{zoom_in}">+</button>'
        f'<button type="button" data-step="0.8" title="{zoom_out}">−</button>'
        f'<button type="button" data-step="0" title="{fit}">↺</button></div>'
    )
    return f'<figure class="figure" data-zoom>{buttons}{svg}</figure>'


def _drawing_extent(svg: str) -> float:
    """The longer side of an SVG drawing, from its root element's width and height."""
    root = svg[: svg.find(">")]
    sizes = [float(value) for value in re.findall(r'\s(?:width|height)="([0-9.]+)"', root)]
    return max(sizes, default=0.0)


def _table(columns: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[str] = ()) -> str:
    from cnncalc.render.html import html_table

    return f'<div class="scroll">{html_table(columns, rows, right)}</div>'


def _totals_html(summary: Summary) -> str:
    from cnncalc.render.summary import totals_lines

    rows = "".join(f"<tr><th>{xml(k)}</th><td>{xml(v)}</td></tr>" for k, v in totals_lines(summary))
    return f'<div class="scroll"><table>{rows}</table></div>'


def _layers_html(summary: Summary) -> str:
    """The summary's per-layer table and notes, without its totals: the page shows those once, above."""
    from cnncalc.render.summary import NUMERIC, notes, summary_columns, summary_rows

    columns = summary_columns(summary)
    table = _table([_(c) for c in columns], summary_rows(summary, "hwc"), [_(c) for c in NUMERIC])
    return table + "".join(f"<p>{xml(note)}</p>" for note in notes(summary))


def _kinds_html(layers: Sequence[LayerRecord]) -> str:
    counts = Counter(record.kind for record in layers)
    params, macs = Counter[str](), Counter[str]()
    for record in layers:
        params[record.kind] += record.params
        macs[record.kind] += record.macs
    columns = [_("kind"), _("layers"), _("params"), _("MACs")]
    rows = [(kind, grouped(n), grouped(params[kind]), grouped(macs[kind])) for kind, n in counts.most_common()]
    return _table(columns, rows, columns[1:])


def _stages(layers: Sequence[LayerRecord]) -> list[list[LayerRecord]]:
    """Runs of consecutive layers (graph order) whose outputs have one spatial size."""
    stages: list[list[LayerRecord]] = []
    for record in layers:
        if stages and stages[-1][-1].output_shape[:-1] == record.output_shape[:-1]:
            stages[-1].append(record)
        else:
            stages.append([record])
    return stages


def _stages_html(layers: Sequence[LayerRecord]) -> str:
    from cnncalc.render.numbers import shape_text

    stages = _stages(layers)
    columns = [_("stage"), _("spatial size"), _("layers"), _("first → last"), _("params"), _("MACs")]
    rows = [
        (
            grouped(number + 1),
            shape_text(stage[0].output_shape[:-1]) if len(stage[0].output_shape) > 1 else "—",
            grouped(len(stage)),
            f"{stage[0].name} → {stage[-1].name}",
            grouped(sum(r.params for r in stage)),
            grouped(sum(r.macs for r in stage)),
        )
        for number, stage in enumerate(stages[:MAX_LISTED])
    ]
    return _table(columns, rows, [columns[0], columns[2], columns[4], columns[5]]) + _more(len(stages))


def _more(count: int) -> str:
    """What a list cut at MAX_LISTED leaves out, counted."""
    if count <= MAX_LISTED:
        return ""
    hidden = count - MAX_LISTED
    text = _("… and {count} more").format(count=grouped(hidden))
    return f'<p class="muted">{xml(text)}</p>'


def _growth_chart(fields: ReceptiveFields) -> str:
    from cnncalc.render.svg import field_growth

    sizes = [
        # No axes (a vector input such as INPUT(64)): no spatial field to draw, like a flattened layer.
        (record.name, float(max(axis.size for axis in record.axes)) if record.axes else None)
        for record in fields.layers
    ]
    extent = max(fields.input_size) if fields.input_size else 1
    return field_growth(sizes, extent, _("receptive-field size (largest axis) after each layer"))


def _findings_html(findings: Sequence[Finding]) -> str:
    if not findings:
        return "<p>" + xml(_("no findings")) + "</p>"
    items = []
    for finding in findings[:MAX_LISTED]:
        where = _("line {line}, ").format(line=finding.line) if finding.line else ""
        layer = _("layer {layer}: ").format(layer=finding.layer) if finding.layer else ""
        hint = _("hint: {hint}").format(hint=finding.hint) if finding.hint else ""
        items.append(
            f'<li><b class="{xml(finding.severity)}">{xml(finding.code)} {xml(finding.severity)}</b> '
            f"{xml(where + layer + finding.message)}"
            + (f'<br><span class="muted">{xml(hint)}</span>' if hint else "")
            + "</li>"
        )
    return "<ul>" + "".join(items) + "</ul>" + _more(len(findings))
