"""SVG pictures drawn by cnncalc: the architecture and a unit's receptive field.

Sequential networks get the classic "volumes" view (a box per layer, sized by its output's
spatial size and channels, as in the LeNet and AlexNet figures); branching networks, and any
network drawn with collapsed blocks, get a layered graph laid out by grandalf's Sugiyama layout
(ranks, crossing reduction, dummy vertices for long edges), so a shortcut runs beside the trunk
through its own slots instead of behind the boxes it skips. Every box is wide enough for its
label, as `text_width` measures it, and every element lies inside the picture.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from cnncalc.analysis.summary import Summary
from cnncalc.i18n import N_, _
from cnncalc.layers import family_of
from cnncalc.layers.base import Family
from cnncalc.render.escape import xml
from cnncalc.render.graph import Graph, Node, build
from cnncalc.render.numbers import shape_text
from cnncalc.render.summary import is_branching

FONT = 'font-family="Helvetica, Arial, sans-serif"'
PLAIN = "#e9ecef"
BLOCK = "#ffd6e0"  # a collapsed block or run of blocks: many kinds, so a colour of its own
# A fill for every family (tests/test_kind_tables.py proves it total): the kinds that shape a
# network stand out, the plumbing stays grey. DOT boxes take theirs from here too.
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
# The legend's words for each fill, in the order the legend lists them.
LEGEND = {
    COLOURS[Family.CONVOLUTION]: N_("convolution"),
    COLOURS[Family.POOLING]: N_("pooling"),
    COLOURS[Family.DENSE]: N_("fully connected"),
    COLOURS[Family.NORMALIZATION]: N_("normalization"),
    COLOURS[Family.MERGE]: N_("merge (add, concatenate)"),
    PLAIN: N_("other layers"),
    BLOCK: N_("block of layers"),
}


def colour(kind: str) -> str:
    return COLOURS[family_of(kind)]


def fill(node: Node) -> str:
    return BLOCK if node.kind is None else colour(node.kind)


# Advance widths of Helvetica (and its metric twins Arial and Liberation Sans) in thousandths of
# an em, from the font's AFM file; a character not listed counts as a full em, so a label is never
# measured shorter than it is drawn. MEASURE_MARGIN covers a fallback font a little wider.
_WIDTHS = {
    **dict.fromkeys("0123456789abdeghnopqu_$#?", 556),
    **dict.fromkeys("ckssvxyzJ", 500),
    **dict.fromkeys("fIt !,./:;[]\\·'", 278),
    **dict.fromkeys("ijl|", 222),
    **dict.fromkeys('r-()`{}"', 333),
    **dict.fromkeys("mM", 833),
    **dict.fromkeys("w", 722),
    **dict.fromkeys("ABEKPSVXY&", 667),
    **dict.fromkeys("CDHNRUw", 722),
    **dict.fromkeys("GOQ", 778),
    **dict.fromkeys("FTZ", 611),
    **dict.fromkeys("L", 556),
    **dict.fromkeys("W%", 944),
    **dict.fromkeys("×+<>=~", 584),
}
MEASURE_MARGIN = 1.15


def text_width(text: str, size: float) -> float:
    """The drawn width of `text` at font size `size`, never less than the browser draws it."""
    return MEASURE_MARGIN * size * sum(_WIDTHS.get(char, 1000) for char in text) / 1000


def _svg(width: float, height: float, body: list[str], title: str, origin: tuple[float, float] = (0, 0)) -> str:
    left, top = origin
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="{left:.0f} {top:.0f} {width:.0f} {height:.0f}">',
            f"<title>{xml(title)}</title>",
            f'<rect x="{left:.0f}" y="{top:.0f}" width="100%" height="100%" fill="white"/>',
            *body,
            "</svg>",
            "",
        ]
    )


class _Extent:
    """The smallest rectangle holding every point added: the picture's viewBox."""

    def __init__(self) -> None:
        self.left = self.top = math.inf
        self.right = self.bottom = -math.inf

    def add(self, points: Iterable[tuple[float, float]]) -> None:
        for x, y in points:
            self.left, self.right = min(self.left, x), max(self.right, x)
            self.top, self.bottom = min(self.top, y), max(self.bottom, y)

    def add_rotated_text(self, x: float, y: float, width: float, size: float, anchor_end: bool) -> None:
        """A label rotated by -45° about its anchor (x, y), running up-right (or ending there)."""
        along = -width if anchor_end else width
        c = math.sqrt(0.5)
        for u, v in ((0, -size), (along, -size), (0, size * 0.3), (along, size * 0.3)):
            self.add([(x + c * (u + v), y + c * (v - u))])


def volumes(summary: Summary) -> str:
    """A box per layer left to right: height ∝ log(spatial size), depth ∝ log(channels)."""
    body, x = [], 20.0
    baseline = 230.0
    extent = _Extent()
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
        extent.add([(x, top - depth / 2), (x + width + depth, baseline)])
        label_x = x + width / 2
        body.append(
            f'<text x="{label_x:.1f}" y="{baseline + 14:.1f}" {FONT} font-size="10" text-anchor="end" '
            f'transform="rotate(-45 {label_x:.1f} {baseline + 14:.1f})">{xml(record.name)}</text>'
        )
        extent.add_rotated_text(label_x, baseline + 14, text_width(xml_free(record.name), 10), 10, anchor_end=True)
        shape_label, shape_y = shape_text(shape), top - depth / 2 - 6
        body.append(
            f'<text x="{label_x:.1f}" y="{shape_y:.1f}" {FONT} font-size="9" text-anchor="start" '
            f'transform="rotate(-45 {label_x:.1f} {shape_y:.1f})">{xml(shape_label)}</text>'
        )
        extent.add_rotated_text(label_x, shape_y, text_width(shape_label, 9), 9, anchor_end=False)
        x += width + depth + 18
    margin = 12
    return _svg(
        extent.right - extent.left + 2 * margin,
        extent.bottom - extent.top + 2 * margin,
        body,
        summary.name or _("network"),
        (extent.left - margin, extent.top - margin),
    )


def xml_free(text: str) -> str:
    """`text` as the picture shows it: what `xml()` escapes is drawn as the character it stands for."""
    from html import unescape

    return unescape(xml(text))


TITLE_SIZE, DETAIL_SIZE, LINE, PAD = 11, 10, 14, 10
GAP_X, GAP_Y = 28, 44


def _box_size(lines: list[str]) -> tuple[float, float]:
    widths = [text_width(line, TITLE_SIZE if i == 0 else DETAIL_SIZE) for i, line in enumerate(lines)]
    return max(widths) + 2 * PAD, LINE * len(lines) + PAD


def layered(graph: Graph) -> str:
    """The graph laid out in ranks by grandalf's Sugiyama layout, edges routed through the gaps."""
    from cnncalc.render.diagram import node_lines

    lines = {node.id: [xml_free(line) for line in node_lines(node, "hwc")] for node in graph.nodes}
    boxes = _sugiyama(graph, {node_id: _box_size(text) for node_id, text in lines.items()})
    legend, legend_height = _legend(graph)
    body = ['<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto">'
            '<path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker></defs>', *legend]  # fmt: skip
    shift = legend_height + 16
    for (source, target), path in boxes.paths:  # data-edge and data-node let a reader check the geometry
        body.append(f'<path d="{_curve(path, shift)}" fill="none" stroke="#555" marker-end="url(#arrow)" '
                    f'data-edge="{source} {target}"/>')  # fmt: skip
    for node in graph.nodes:
        x, y, w, h = boxes.box[node.id]
        body.append(f'<rect x="{x:.1f}" y="{y + shift:.1f}" width="{w:.1f}" height="{h:.1f}" rx="5" '
                    f'fill="{fill(node)}" stroke="#333" data-node="{node.id}"/>')  # fmt: skip
        for row, text in enumerate(lines[node.id]):
            size = TITLE_SIZE if row == 0 else DETAIL_SIZE
            body.append(f'<text x="{x + w / 2:.1f}" y="{y + shift + PAD / 2 + LINE * (row + 1) - 3:.1f}" {FONT} '
                        f'font-size="{size}" text-anchor="middle" data-in="{node.id}">{xml(text)}</text>')  # fmt: skip
    width = max(boxes.width, _legend_width(graph)) + 2 * PAD
    return _svg(width, boxes.height + shift + PAD, body, graph.name or _("network"), (-PAD, -PAD))


class _Layout:
    """Boxes (x, y, width, height) by node id, edge paths as point lists, and the drawing's size."""

    def __init__(self) -> None:
        self.box: dict[str, tuple[float, float, float, float]] = {}
        self.paths: list[tuple[tuple[str, str], list[tuple[float, float]]]] = []
        self.width = self.height = 0.0


def _sugiyama(graph: Graph, sizes: dict[str, tuple[float, float]]) -> _Layout:
    """Boxes placed by grandalf; each edge leaves its source's bottom, passes every rank it spans
    through its dummy vertex's slot (a column no box occupies) and enters its target's top."""
    from grandalf.graphs import Edge, Vertex  # type: ignore[import-untyped]
    from grandalf.graphs import Graph as Grandalf
    from grandalf.layouts import SugiyamaLayout, VertexViewer  # type: ignore[import-untyped]

    vertices = {node.id: Vertex(node.id) for node in graph.nodes}
    for node_id, vertex in vertices.items():
        vertex.view = VertexViewer(*sizes[node_id])
    edges = [Edge(vertices[s], vertices[n.id]) for n in graph.nodes for s in n.inputs]
    layout, left = _Layout(), 0.0
    for component in Grandalf(list(vertices.values()), edges).C:
        sugiyama = SugiyamaLayout(component)
        sugiyama.xspace, sugiyama.yspace, sugiyama.dw = GAP_X, GAP_Y, 12
        sugiyama.init_all()
        sugiyama.draw(N=1.5 if len(component.sV) < 400 else 0.5)
        low = min(v.view.xy[0] - v.view.w / 2 for layer in sugiyama.layers for v in layer)
        _place(sugiyama, left - low, layout)
        left = layout.width + GAP_X
    return layout


def _place(sugiyama: Any, dx: float, layout: _Layout) -> None:
    """Copy one component's boxes (moved right by `dx`) and route its edges into `layout`."""
    bands = []
    for layer in sugiyama.layers:
        top = min(v.view.xy[1] - v.view.h / 2 for v in layer)
        bands.append((top, max(v.view.xy[1] + v.view.h / 2 for v in layer)))
    for vertex in sugiyama.g.sV:
        (x, y), w, h = vertex.view.xy, vertex.view.w, vertex.view.h
        layout.box[vertex.data] = (x - w / 2 + dx, y - h / 2, w, h)
        layout.width = max(layout.width, x + w / 2 + dx)
        layout.height = max(layout.height, y + h / 2)
    for vertex in sugiyama.g.sV:
        incoming = sorted(vertex.e_in(), key=lambda e: e.v[0].view.xy[0])
        for slot, edge in enumerate(incoming):
            route = _route(sugiyama, edge, bands, dx, slot, len(incoming))
            layout.paths.append(((edge.v[0].data, edge.v[1].data), route))


def _route(
    sugiyama: Any, edge: Any, bands: list[tuple[float, float]], dx: float, slot: int, slots: int
) -> list[tuple[float, float]]:
    """Source bottom → down its rank's band → through each dummy's slot → target's top.

    Targets with several inputs take them side by side along their top edge, in the order the
    sources stand, so arrows into a merge do not land on one point."""
    source, target = edge.v
    ranks = sugiyama.grx[source].rank, sugiyama.grx[target].rank
    (sx, sy), (tx, ty) = source.view.xy, target.view.xy
    spread = min(14.0, target.view.w / (slots + 1))
    tx += (slot - (slots - 1) / 2) * spread
    points = [(sx + dx, sy + source.view.h / 2), (sx + dx, bands[ranks[0]][1])]
    controls = sugiyama.ctrls.get(edge, {})
    for rank in range(ranks[0] + 1, ranks[1]):
        x = controls[rank].view.xy[0] + dx
        points += [(x, bands[rank][0]), (x, bands[rank][1])]
    points += [(tx + dx, bands[ranks[1]][0]), (tx + dx, ty - target.view.h / 2)]
    return points


def _curve(points: list[tuple[float, float]], shift: float) -> str:
    """The route as a path: straight inside a rank's band, an S-curve across each gap between ranks
    (its control points at the gap's middle height, so it never leaves the gap)."""
    (x, y), rest = points[0], points[1:]
    parts = [f"M{x:.1f},{y + shift:.1f}"]
    for index, (px, py) in enumerate(rest):
        if index % 2 == 0:
            parts.append(f"L{px:.1f},{py + shift:.1f}")
        else:
            (ax, ay) = rest[index - 1]
            middle = (ay + py) / 2 + shift
            parts.append(f"C{ax:.1f},{middle:.1f} {px:.1f},{middle:.1f} {px:.1f},{py + shift:.1f}")
    return " ".join(parts)


def _legend_entries(graph: Graph) -> list[tuple[str, str]]:
    used = {fill(node) for node in graph.nodes}
    return [(colour, _(label)) for colour, label in LEGEND.items() if colour in used]


def _legend_width(graph: Graph) -> float:
    return sum(24 + text_width(label, DETAIL_SIZE) + 16 for _, label in _legend_entries(graph))


def _legend(graph: Graph) -> tuple[list[str], float]:
    """A row of swatches, one per fill the picture uses, each with what it means."""
    body, x = [], 0.0
    for colour, label in _legend_entries(graph):
        body.append(f'<rect x="{x:.1f}" y="0" width="16" height="12" rx="2" fill="{colour}" stroke="#333"/>')
        body.append(f'<text x="{x + 22:.1f}" y="10" {FONT} font-size="{DETAIL_SIZE}">{xml(label)}</text>')
        x += 24 + text_width(label, DETAIL_SIZE) + 16
    return body, 12.0


def architecture(summary: Summary, collapse: str = "auto") -> str:
    """Volumes for a chain drawn layer by layer; otherwise the layered graph, collapsed as asked."""
    graph = build(summary, collapse)
    if not is_branching(summary) and not graph.collapsed:
        return volumes(summary)
    return layered(graph)


def page(svg: str, title: str | None) -> str:
    """A self-contained HTML page showing `svg`, scaled down to the window's width when wider."""
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{xml(title or 'network')}</title>"
        "<style>body{margin:0;padding:8px}svg{max-width:100%;height:auto}</style></head>"
        f"<body>\n{svg}</body></html>\n"
    )


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
