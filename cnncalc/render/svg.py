"""SVG pictures drawn without any library: the architecture and a unit's receptive field.

Sequential networks get the classic "volumes" view (a box per layer, sized by its output's
spatial size and channels, as in the LeNet and AlexNet figures); branching networks get a layered
graph (one row per depth, arrows from inputs). Every box is labelled with its shape.
"""

from __future__ import annotations

import math

from cnncalc.analysis.summary import Summary
from cnncalc.layers import family_of
from cnncalc.layers.base import Family
from cnncalc.render.escape import xml
from cnncalc.render.numbers import shape_text
from cnncalc.render.summary import is_branching

FONT = 'font-family="Helvetica, Arial, sans-serif"'
PLAIN = "#e9ecef"
# A fill for every family (tests/test_kind_tables.py proves it total): the kinds that shape a
# network stand out, the plumbing stays grey.
COLOURS: dict[Family, str] = {
    Family.CONVOLUTION: "#8ecae6",
    Family.POOLING: "#ffb703",
    Family.DENSE: "#fb8500",
    Family.NORMALIZATION: "#cdb4db",
    Family.MERGE: "#a7c957",
    Family.INPUT: PLAIN,
    Family.ACTIVATION: PLAIN,
    Family.REGULARIZATION: PLAIN,
    Family.RESHAPE: PLAIN,
    Family.RESAMPLING: PLAIN,
}


def colour(kind: str) -> str:
    return COLOURS[family_of(kind)]


def _svg(width: float, height: float, body: list[str], title: str) -> str:
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}">',
            f"<title>{xml(title)}</title>",
            '<rect width="100%" height="100%" fill="white"/>',
            *body,
            "</svg>",
            "",
        ]
    )


def volumes(summary: Summary) -> str:
    """A box per layer left to right: height ∝ log(spatial size), depth ∝ log(channels)."""
    body, x = [], 20.0
    baseline = 230.0
    for record in summary.layers:
        shape = record.output_shape
        side = shape[0] if len(shape) > 1 else 1
        channels = shape[-1]
        height = 20 + 28 * math.log2(side + 1)
        depth = 6 + 6 * math.log2(channels + 1)
        width = 14 if len(shape) > 1 else 10
        top = baseline - height
        fill = colour(record.kind)
        body.append(
            f'<polygon points="{x:.1f},{top:.1f} {x + depth:.1f},{top - depth / 2:.1f} '
            f'{x + depth + width:.1f},{top - depth / 2:.1f} {x + width:.1f},{top:.1f}" fill="{fill}" stroke="#333"/>'
        )
        body.append(
            f'<polygon points="{x + width:.1f},{top:.1f} {x + width + depth:.1f},{top - depth / 2:.1f} '
            f'{x + width + depth:.1f},{baseline - depth / 2:.1f} {x + width:.1f},{baseline:.1f}" fill="{fill}" '
            f'stroke="#333" opacity="0.8"/>'
        )
        body.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="{width}" height="{height:.1f}" fill="{fill}" stroke="#333"/>'
        )
        label_x = x + width / 2
        body.append(
            f'<text x="{label_x:.1f}" y="{baseline + 14:.1f}" {FONT} font-size="10" text-anchor="end" '
            f'transform="rotate(-45 {label_x:.1f} {baseline + 14:.1f})">{xml(record.name)}</text>'
        )
        body.append(
            f'<text x="{label_x:.1f}" y="{top - depth / 2 - 6:.1f}" {FONT} font-size="9" text-anchor="start" '
            f'transform="rotate(-45 {label_x:.1f} {top - depth / 2 - 6:.1f})">{xml(shape_text(shape))}</text>'
        )
        x += width + depth + 18
    return _svg(x + 20, baseline + 110, body, summary.name or "network")


def layered(summary: Summary) -> str:
    """Branching networks: rows by depth (longest path from the input), arrows from each input."""
    depth: dict[str, int] = {}
    for record in summary.layers:
        depth[record.name] = 1 + max((depth[i] for i in record.inputs), default=-1)
    rows: dict[int, list[str]] = {}
    for record in summary.layers:
        rows.setdefault(depth[record.name], []).append(record.name)
    box_w, box_h, gap_x, gap_y = 150, 38, 20, 34
    width = max(len(r) for r in rows.values()) * (box_w + gap_x) + gap_x
    position: dict[str, tuple[float, float]] = {}
    for level, names in rows.items():
        offset = (width - len(names) * (box_w + gap_x) + gap_x) / 2
        for column, name in enumerate(names):
            position[name] = (offset + column * (box_w + gap_x), 20 + level * (box_h + gap_y))
    body = ['<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto">'
            '<path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker></defs>']  # fmt: skip
    records = {r.name: r for r in summary.layers}
    for record in summary.layers:
        x2, y2 = position[record.name]
        for source in record.inputs:
            x1, y1 = position[source]
            body.append(
                f'<line x1="{x1 + box_w / 2:.1f}" y1="{y1 + box_h:.1f}" x2="{x2 + box_w / 2:.1f}" y2="{y2:.1f}" '
                'stroke="#555" marker-end="url(#arrow)"/>'
            )
    for name, (x, y) in position.items():
        record = records[name]
        body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{box_w}" height="{box_h}" rx="5" '
                    f'fill="{colour(record.kind)}" stroke="#333"/>')  # fmt: skip
        body.append(f'<text x="{x + box_w / 2:.1f}" y="{y + 15:.1f}" {FONT} font-size="11" text-anchor="middle">'
                    f"{xml(name[-24:])}</text>")  # fmt: skip
        detail = f"{record.kind} · {shape_text(record.output_shape)}"
        body.append(f'<text x="{x + box_w / 2:.1f}" y="{y + 30:.1f}" {FONT} font-size="10" text-anchor="middle" '
                    f'fill="#333">{xml(detail[:30])}</text>')  # fmt: skip
    height = 20 + len(rows) * (box_h + gap_y)
    return _svg(width, height, body, summary.name or "network")


def architecture(summary: Summary) -> str:
    return layered(summary) if is_branching(summary) else volumes(summary)


def field_plot(input_size: tuple[int, int], window: tuple[tuple[float, float], tuple[float, float]], title: str) -> str:
    """The input grid with one unit's receptive field: the clipped part solid, the padding dashed."""
    (top, bottom), (left, right) = window
    rows, cols = input_size
    cell = max(4.0, min(24.0, 480 / max(rows, cols)))
    margin = cell * max(0, -min(top, left), max(bottom - rows + 1, right - cols + 1, 0)) + 20
    body = []
    for r in range(rows):
        for c in range(cols):
            body.append(f'<rect x="{margin + c * cell:.1f}" y="{margin + r * cell:.1f}" width="{cell:.1f}" '
                        f'height="{cell:.1f}" fill="#f8f9fa" stroke="#dee2e6" stroke-width="0.5"/>')  # fmt: skip
    x0, y0 = margin + left * cell, margin + top * cell
    width, height = (right - left + 1) * cell, (bottom - top + 1) * cell
    body.append(f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{width:.1f}" height="{height:.1f}" fill="none" '
                'stroke="#d62828" stroke-width="2" stroke-dasharray="6,3"/>')  # fmt: skip
    clip_x0, clip_y0 = margin + max(left, 0) * cell, margin + max(top, 0) * cell
    clip_w = (min(right, cols - 1) - max(left, 0) + 1) * cell
    clip_h = (min(bottom, rows - 1) - max(top, 0) + 1) * cell
    body.append(f'<rect x="{clip_x0:.1f}" y="{clip_y0:.1f}" width="{clip_w:.1f}" height="{clip_h:.1f}" '
                'fill="#d62828" fill-opacity="0.35" stroke="#d62828"/>')  # fmt: skip
    body.append(f'<text x="{margin:.1f}" y="14" {FONT} font-size="12">{xml(title)}</text>')
    side = 2 * margin + max(rows, cols) * cell
    return _svg(side, side, body, title)


def field_growth(sizes: list[tuple[str, float | None]], input_extent: int, title: str) -> str:
    """Receptive-field size per layer (largest axis) as a line chart, with the input size marked.

    `sizes` holds (layer name, size) in graph order; None where no single field exists.
    """
    caption = f"layer (0 … {len(sizes) - 1})"
    body = _line_chart(sizes, title, caption, (float(input_extent), f"input {input_extent}"), ticks=False)
    return _svg(CHART_WIDTH, CHART_HEIGHT, body, title)


def scale_plot(points: list[tuple[str, float | None, float | None]], title: str) -> str:
    """MACs and activation memory against input size: two charts, one above the other.

    `points` holds (size label, GMACs, activation MiB); None where the network fails at a size.
    """
    macs = _line_chart([(label, m) for label, m, _ in points], "GMACs", "input size", None, ticks=True)
    memory = _line_chart([(label, a) for label, _, a in points], "activation memory (MiB)", "input size", None, True)
    body = [
        f'<text x="8" y="14" {FONT} font-size="13" font-weight="bold">{xml(title)}</text>',
        '<g transform="translate(0, 16)">',
        *macs,
        "</g>",
        f'<g transform="translate(0, {CHART_HEIGHT + 16})">',
        *memory,
        "</g>",
    ]
    return _svg(CHART_WIDTH, 2 * CHART_HEIGHT + 16, body, title)


CHART_WIDTH, CHART_HEIGHT = 640.0, 300.0


def _line_chart(
    values: list[tuple[str, float | None]],
    title: str,
    caption: str,
    reference: tuple[float, str] | None,
    ticks: bool,
) -> list[str]:
    """The body of one line chart: axes, an optional dashed reference line, points with tooltips."""
    width, height, left, bottom, top = CHART_WIDTH, CHART_HEIGHT, 64.0, 40.0, 28.0
    known = [v for _, v in values if v is not None]
    peak = max([*known, reference[0] if reference else 0.0, 1e-9])
    ceiling = peak * 1.1
    step = (width - left - 24) / max(1, len(values) - 1)

    def x(index: int) -> float:
        return left + index * step

    def y(value: float) -> float:
        return height - bottom - value / ceiling * (height - bottom - top)

    body = [
        f'<text x="{left:.0f}" y="18" {FONT} font-size="13">{xml(title)}</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 8}" y2="{height - bottom}" stroke="#495057"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#495057"/>',
    ]
    if reference:
        level, label = reference
        body += [
            f'<line x1="{left}" y1="{y(level):.1f}" x2="{width - 8}" y2="{y(level):.1f}" '
            'stroke="#6c757d" stroke-dasharray="5,4"/>',
            f'<text x="{width - 10}" y="{y(level) - 5:.1f}" {FONT} font-size="11" text-anchor="end" '
            f'fill="#6c757d">{xml(label)}</text>',
        ]
    for fraction in (0.0, 0.5, 1.0):
        body.append(f'<text x="{left - 6}" y="{y(peak * fraction) + 4:.1f}" {FONT} font-size="10" '
                    f'text-anchor="end">{peak * fraction:.3g}</text>')  # fmt: skip
    points = [(x(i), y(v)) for i, (_, v) in enumerate(values) if v is not None]
    path = " ".join(f"{'M' if i == 0 else 'L'}{px:.1f},{py:.1f}" for i, (px, py) in enumerate(points))
    body.append(f'<path d="{path}" fill="none" stroke="#d62828" stroke-width="2"/>')
    for index, (label, value) in enumerate(values):
        if value is not None:
            body.append(f'<circle cx="{x(index):.1f}" cy="{y(value):.1f}" r="2.5" fill="#d62828">'
                        f"<title>{xml(label)}: {value:g}</title></circle>")  # fmt: skip
        if ticks:
            body.append(f'<text x="{x(index):.1f}" y="{height - bottom + 14}" {FONT} font-size="10" '
                        f'text-anchor="middle">{xml(label)}</text>')  # fmt: skip
    body.append(f'<text x="{(width + left) / 2:.0f}" y="{height - 6}" {FONT} font-size="11" text-anchor="middle">'
                f"{xml(caption)}</text>")  # fmt: skip
    return body
