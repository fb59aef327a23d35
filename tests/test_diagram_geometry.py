"""The architecture pictures checked by their geometry: nothing outside the picture, no edge
through a box it does not connect, no label wider than its box.

Checked twice: from the SVG text itself (every bundled spec; label widths estimated by the
renderer's own measure, `svg.text_width`), and from what headless Chromium draws (getBoundingClientRect
and points along each path, with the real font) for a chain, ResNet-50, U-Net, Inception-v3 and a
10,000-layer spec. The browser half skips without Chromium.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html import unescape
from itertools import pairwise
from pathlib import Path

import pytest

import cnncalc
from cnncalc.render.svg import architecture, text_width
from cnncalc.spec.load import bundled_names

SVG = "{http://www.w3.org/2000/svg}"
Box = tuple[float, float, float, float]  # left, top, right, bottom
Point = tuple[float, float]


@dataclass
class Picture:
    bounds: Box
    nodes: dict[str, Box] = field(default_factory=dict)
    texts: list[tuple[Box, str | None]] = field(default_factory=list)
    paths: list[tuple[tuple[str, str], list[Point]]] = field(default_factory=list)
    shapes: list[Box] = field(default_factory=list)


def _numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text)]


def _around(points: list[Point]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _text_box(element: ET.Element) -> Box:
    """Where a text is drawn, as the renderer measures it: its advance width, one em above the
    baseline and a descender below, turned by its rotate() if it has one."""
    size = float(element.get("font-size", "10"))
    x, y = float(element.get("x", "0")), float(element.get("y", "0"))
    width = text_width(element.text or "", size)
    start = {"start": x, "middle": x - width / 2, "end": x - width}[element.get("text-anchor", "start")]
    corners = [(start, y - size), (start + width, y - size), (start, y + 0.3 * size), (start + width, y + 0.3 * size)]
    rotation = re.search(r"rotate\(([^)]*)\)", element.get("transform", ""))
    if rotation:
        angle, cx, cy = _numbers(rotation.group(1))
        c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        corners = [(cx + c * (px - cx) - s * (py - cy), cy + s * (px - cx) + c * (py - cy)) for px, py in corners]
    return _around(corners)


def _path_points(d: str) -> list[Point]:
    """The points of an M/L/C path, each cubic sampled at 16 steps."""
    points: list[Point] = []
    for command, args in re.findall(r"([MLC])([^MLC]*)", d):
        values = _numbers(args)
        pairs = list(zip(values[::2], values[1::2], strict=True))
        if command in "ML":
            points += pairs
            continue
        (x0, y0), ((x1, y1), (x2, y2), (x3, y3)) = points[-1], pairs
        for step in range(1, 17):
            t = step / 16
            a, b, c, e = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
            points.append((a * x0 + b * x1 + c * x2 + e * x3, a * y0 + b * y1 + c * y2 + e * y3))
    return points


def parse(svg: str) -> Picture:
    root = ET.fromstring(svg)
    left, top, width, height = _numbers(root.get("viewBox", ""))
    picture = Picture((left, top, left + width, top + height))
    for element in root.iter():
        tag = element.tag.removeprefix(SVG)
        if tag == "rect" and element.get("width") != "100%":
            x, y = float(element.get("x", "0")), float(element.get("y", "0"))
            box = (x, y, x + float(element.get("width", "0")), y + float(element.get("height", "0")))
            if element.get("data-node"):
                picture.nodes[element.get("data-node", "")] = box
            else:
                picture.shapes.append(box)
        elif tag == "polygon":
            values = _numbers(element.get("points", ""))
            picture.shapes.append(_around(list(zip(values[::2], values[1::2], strict=True))))
        elif tag == "text":
            picture.texts.append((_text_box(element), element.get("data-in")))
        elif tag == "path" and element.get("data-edge"):
            source, target = element.get("data-edge", "").split()
            picture.paths.append(((source, target), _path_points(element.get("d", ""))))
    return picture


def _inside(box: Box, bounds: Box, slack: float = 0.5) -> bool:
    return (
        box[0] >= bounds[0] - slack
        and box[1] >= bounds[1] - slack
        and box[2] <= bounds[2] + slack
        and box[3] <= bounds[3] + slack
    )


def _crosses(a: Point, b: Point, box: Box) -> bool:
    """True when segment a–b enters the inside of `box` (shrunk by 1 px: touching is not crossing)."""
    left, top, right, bottom = box[0] + 1, box[1] + 1, box[2] - 1, box[3] - 1
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - left), (dx, right - a[0]), (-dy, a[1] - top), (dy, bottom - a[1])):
        if p == 0:
            if q < 0:
                return False
        else:
            r = q / p
            if p < 0:
                t0 = max(t0, r)
            else:
                t1 = min(t1, r)
    return t0 < t1


def problems(picture: Picture) -> list[str]:
    """Every way the picture is wrong: an element outside it, an edge through a box, a cut label."""
    found = []
    for kind, boxes in (("box", picture.nodes.values()), ("shape", picture.shapes)):
        found += [f"{kind} {b} outside {picture.bounds}" for b in boxes if not _inside(b, picture.bounds)]
    found += [f"text {b} outside {picture.bounds}" for b, _ in picture.texts if not _inside(b, picture.bounds)]
    for (source, target), points in picture.paths:
        found += [f"edge {source}→{target} outside" for p in points if not _inside((*p, *p), picture.bounds)]
        for name, box in picture.nodes.items():
            if name in (source, target) or box[3] < min(y for _, y in points) or box[1] > max(y for _, y in points):
                continue
            if any(_crosses(a, b, box) for a, b in pairwise(points)):
                found.append(f"edge {source}→{target} passes through {name}")
    for box, node in picture.texts:
        if node is not None and not _inside(
            (box[0], 0, box[2], 0), (picture.nodes[node][0], 0, picture.nodes[node][2], 0)
        ):
            found.append(f"label {box} wider than its box {node} {picture.nodes[node]}")
    return found


@pytest.mark.parametrize("name", bundled_names())
def test_every_bundled_picture_is_whole(name):
    picture = parse(architecture(cnncalc.load(name).summary()))
    assert picture.nodes or picture.shapes
    assert problems(picture) == []


@pytest.mark.parametrize("name", ["resnet50", "unet", "inception_v3", "googlenet", "densenet121"])
def test_every_layer_drawn_keeps_every_edge_clear(name):
    summary = cnncalc.load(name).summary()
    picture = parse(architecture(summary, "none"))
    assert len(picture.nodes) == len(summary.layers)
    assert len(picture.paths) == sum(len(r.inputs) for r in summary.layers)
    assert problems(picture) == []


def test_the_checks_catch_what_the_issue_measured():
    # The old layered drawing: a straight shortcut behind the boxes between its ends, a label
    # cut to the box; and a volume label above the picture's top.
    behind = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 300">'
        '<rect x="50" y="0" width="100" height="40" data-node="a"/>'
        '<rect x="50" y="100" width="100" height="40" data-node="b"/>'
        '<rect x="50" y="200" width="100" height="40" data-node="c"/>'
        '<path d="M100,40 L100,200" data-edge="a c"/>'
        '<text x="100" y="120" font-size="11" text-anchor="middle" data-in="b">Mixed_6e.branch7x7dbl_3.conv</text>'
        '<text x="10" y="-4" font-size="9">224×224×64</text></svg>'
    )
    found = problems(parse(behind))
    assert any("a→c passes through b" in p for p in found)
    assert any("wider than its box b" in p for p in found)
    assert any(p.startswith("text") and "outside" in p for p in found)


def test_text_box_turns_with_rotate():
    element = ET.fromstring('<text x="0" y="0" font-size="10" transform="rotate(-90 0 0)">ab</text>')
    left, top, right, bottom = _text_box(element)
    # Turned a quarter left, the width runs upwards: as tall as the text is wide.
    assert bottom - top == pytest.approx(text_width("ab", 10)) and right - left == pytest.approx(13)


# --- in the browser -----------------------------------------------------------------------------

_MEASURE = """
<script>
const svg = document.querySelector('svg'), origin = svg.getBoundingClientRect();
const box = e => { const b = e.getBoundingClientRect();
  return [b.left - origin.left, b.top - origin.top, b.right - origin.left, b.bottom - origin.top]; };
const out = {size: [origin.width, origin.height], nodes: {}, texts: [], paths: [], shapes: []};
svg.querySelectorAll('rect[data-node]').forEach(e => { out.nodes[e.dataset.node] = box(e); });
svg.querySelectorAll('text').forEach(e => out.texts.push([box(e), e.dataset.in || null]));
svg.querySelectorAll('polygon, rect:not([data-node]):not([width="100%"])').forEach(e => out.shapes.push(box(e)));
svg.querySelectorAll('path[data-edge]').forEach(e => {
  const length = e.getTotalLength(), matrix = e.getScreenCTM(), points = [];
  for (let at = 0; at <= length + 2; at += 2) {
    const p = e.getPointAtLength(Math.min(at, length)).matrixTransform(matrix);
    points.push([p.x - origin.left, p.y - origin.top]);
  }
  out.paths.push([e.dataset.edge.split(' '), points]);
});
const pre = document.createElement('pre'); pre.id = 'geometry'; pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
</script>
"""
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name) or (f"/usr/bin/{name}" if os.path.exists(f"/usr/bin/{name}") else None)
        if found:
            return found
    return None


def in_browser(svg: str, browser: str, **flags: str) -> str:
    """Run `browser` headless on a page holding `svg` and the measuring script; returns its DOM."""
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "page.html"
        page.write_text(f'<!DOCTYPE html><html><body style="margin:0">{svg}{_MEASURE}</body></html>', "utf-8")
        extra = [f"--{key.replace('_', '-')}={value}" for key, value in flags.items()]
        command = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={folder}/profile", *extra, page.as_uri()]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    return done.stdout


def measured(svg: str, browser: str) -> Picture:
    dom = in_browser(svg, browser, dump_dom="")
    found = re.search(r'<pre id="geometry">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    data = json.loads(unescape(found.group(1)))
    picture = Picture((0.0, 0.0, *data["size"]))
    picture.nodes = {k: tuple(v) for k, v in data["nodes"].items()}
    picture.texts = [(tuple(b), n) for b, n in data["texts"]]
    picture.shapes = [tuple(b) for b in data["shapes"]]
    picture.paths = [(tuple(ends), [tuple(p) for p in points]) for ends, points in data["paths"]]
    return picture


BROWSER_CASES = {
    "lenet5": ("lenet5", "auto"),
    "resnet50": ("resnet50", "none"),
    "unet": ("unet", "none"),
    "inception_v3": ("inception_v3", "none"),
    "10k_layers": ("INPUT(32x32x3) → [CONV(3,3,p=1) → RELU] x 5000", "auto"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", BROWSER_CASES)
def test_chromium_draws_every_picture_whole(case):
    browser = chromium()
    if browser is None:
        pytest.skip("headless Chromium is not installed")
    spec, collapse = BROWSER_CASES[case]
    summary = cnncalc.load(spec).summary()
    picture = measured(architecture(summary, collapse), browser)
    assert picture.texts and (picture.nodes or picture.shapes)
    assert problems(picture) == []
