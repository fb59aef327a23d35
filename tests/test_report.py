"""`cnncalc report`: one self-contained HTML page, written safely, and seen in a real browser."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess

import pytest

import cnncalc

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def test_report_holds_every_section_and_fetches_nothing(tmp_path, run_cli):
    target = tmp_path / "vgg16.html"
    code, out, err = run_cli("report", "vgg16", "-o", str(target))
    assert (code, out, err) == (0, "", "")
    page = target.read_text(encoding="utf-8")
    assert "138,357,544" in page  # torchvision's published VGG-16 parameter count, in the totals
    for heading in ("Totals", "Architecture", "Receptive field per layer", "Lint", "Layers", "Receptive fields"):
        assert f"<h2>{heading}</h2>" in page
    assert page.count("<svg") == 2  # the architecture and the receptive-field chart
    assert "212" in page  # VGG-16 pool5's receptive field (google-research receptive_field table)
    assert page.count("<script") == 1  # the zoom: inline, and nothing it could fetch
    assert not re.search(r"(src|href)=|fetch\(|XMLHttpRequest|import\(|@import|url\(", page)
    assert re.findall(r"https?://[^\"' ]+", page) == ["http://www.w3.org/2000/svg"] * 2  # namespaces only
    assert target.stat().st_mode & 0o777 != 0o600  # an ordinary file, not mkstemp's private one


def test_report_fits_a_phone_and_shows_the_totals_once():
    page = str(cnncalc.load("vgg16").report())
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert page.count("total params (= Keras Total params)") == 1  # the layer table no longer repeats them
    assert page.count("MACs (weights only)") == 1
    # Readable without the script: drawings shrink to the width, the zoom buttons are hidden until it runs.
    assert ".figure svg { display: block; max-width: 100%; height: auto;" in page
    assert page.count('<div class="zoom" hidden>') == 2


def test_report_speaks_the_active_language():
    from cnncalc.i18n import language

    net = cnncalc.load("lenet5")
    assert '<html lang="en">' in str(net.report())
    with language("es"):
        page = str(net.report())
    assert '<html lang="es">' in page and "<h2>Totales</h2>" in page and "<h2>Totals</h2>" not in page


def _long_chain(layers: int) -> str:
    """INPUT then conv/relu pairs: `layers` layers in all (odd), the spatial size kept by padding."""
    return "INPUT(8x8x4)" + " → CONV(4, 3, p=1) → RELU" * ((layers - 1) // 2)


def test_a_deep_network_gets_a_summary_that_says_so(run_cli, tmp_path):
    """A 100,000-layer spec once made a 127 MB page; past 5,000 layers the page summarises instead,
    decided from the layer count before anything is drawn, and says so on the page and on stderr."""
    from cnncalc.render.report import MAX_DETAILED_LAYERS

    layers = MAX_DETAILED_LAYERS + 1
    target = tmp_path / "deep.html"
    code, out, err = run_cli("report", _long_chain(layers), "-o", str(target))
    page = target.read_text(encoding="utf-8")
    assert code == 0 and out == ""
    assert "5,001 layers, more than the 5,000" in err and "5,001 layers, more than the 5,000" in page
    assert len(page.encode()) < 64_000  # 1.2 KB a layer would be 6 MB
    assert "<svg" not in page and "<h2>Layers</h2>" not in page
    # Totals by hand: 2,500 convolutions of 4·4·3² + 4 = 148 parameters, each 8·8·4·4·3² MACs.
    assert grouped_cells(page, "total params (= Keras Total params)").startswith("370,000 ")
    assert grouped_cells(page, "MACs (weights only)").startswith("23,040,000 ")  # 2,500 · (8·8·4 outputs · 4·3²)
    kinds = re.findall(r"<tr><td[^>]*>(\w+)</td><td[^>]*>([\d,]+)</td><td[^>]*>([\d,]+)</td>", page)
    assert kinds == [("conv", "2,500", "370,000"), ("relu", "2,500", "0"), ("input", "1", "0")]


def test_a_drawing_too_long_to_read_is_left_out_saying_so():
    """1,200 convolutions of differing widths (no block repeats, so the drawing cannot collapse
    them) are drawn about 84,000 px wide: past 60,000 px the page keeps its tables and the field
    chart, and says where the drawing is."""
    from cnncalc.render.report import MAX_DRAWING_PX, _drawing_extent
    from cnncalc.render.svg import architecture

    net = cnncalc.load("INPUT(8x8x4)" + "".join(f" → CONV({4 + i % 97}, 3, p=1)" for i in range(1_200)))
    assert _drawing_extent(architecture(net.summary())) > MAX_DRAWING_PX
    report = net.report()
    assert len(report.omissions) == 1 and "the architecture drawing is left out" in report.omissions[0]
    assert report.html.count("<svg") == 1 and "<h2>Layers</h2>" in report.html  # the field chart only
    assert xml_text(report.omissions[0]) in report.html


def xml_text(text: str) -> str:
    return html.escape(text, quote=True)


def grouped_cells(page: str, label: str) -> str:
    """The value beside a totals label."""
    match = re.search(rf"<th>{re.escape(label)}</th><td>([^<]*)</td>", page)
    assert match, label
    return match.group(1)


def test_report_in_a_notebook_is_the_page():
    spec = {"input": [8, 8, 3], "layers": [{"name": "<script>", "conv": {"filters": 4, "kernel": 3}}]}
    report = cnncalc.load(spec).report()
    frame = report._repr_html_()
    assert frame.startswith("<iframe") and frame.endswith("></iframe>")
    srcdoc = re.fullmatch(r'<iframe [^<>]*srcdoc="([^"<>]*)"></iframe>', frame)
    assert srcdoc is not None  # the whole page inside one escaped attribute
    page = str(report)
    assert page.startswith("<!DOCTYPE html>") and html.unescape(srcdoc.group(1)) == page
    assert page.count("<script>") == 1 and "&lt;script&gt;" in page  # the zoom script; the layer's name is text


def test_report_never_overwrites_without_force(tmp_path, run_cli):
    target = tmp_path / "net.html"
    target.write_text("mine", encoding="utf-8")
    code, _, err = run_cli("report", "lenet5", "-o", str(target))
    assert code == 2 and "exists" in err and "--force" in err
    assert target.read_text(encoding="utf-8") == "mine"
    assert run_cli("report", "lenet5", "-o", str(target), "--force")[0] == 0
    assert "lenet5" in target.read_text(encoding="utf-8")


def test_report_json_is_the_api(run_cli):
    code, out, _ = run_cli("report", "cs231n_example", "--format", "json")
    document = json.loads(out)
    net = cnncalc.load("cs231n_example")
    assert code == 0 and document["schema"] == "cnncalc.report/1"
    assert document["summary"] == net.summary().to_dict()
    assert document["receptive_field"] == net.receptive_field().to_dict()
    assert document["lint"] == [f.to_dict() for f in net.lint()]


def test_every_result_renders_in_notebooks():
    net = cnncalc.load("cs231n_example")
    results = (net.summary(), net.receptive_field(), net.explain(), net.run())
    for result in results:
        assert result._repr_html_().count("<table") + result._repr_html_().count("<ul") >= 1
        assert result._repr_markdown_().strip()
    assert "| 1 | conv\\_1 | conv | 5 | 1 | 0 | 2 |" in results[1]._repr_markdown_()
    assert "params = Ci·Co·K² + Co = 3·10·5² + 10 = 760" in results[2]._repr_html_()
    assert "| 1 | conv\\_1 | conv | 32×32×10 | 32×32×10 | ✓ | 760 | 760 | ✓ |" in results[3]._repr_markdown_()


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine")
def test_report_renders_in_headless_chromium(tmp_path, run_cli):
    target = tmp_path / "resnet18.html"
    assert run_cli("report", "resnet18", "-o", str(target))[0] == 0
    browser = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0"]
    dom = subprocess.run([*browser, "--dump-dom", target.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "<table>" in dom.stdout and dom.stdout.count("<svg") == 2 and "11,689,512" in dom.stdout
    assert "CONSOLE" not in dom.stderr and "Uncaught" not in dom.stderr
    shot = tmp_path / "report.png"
    subprocess.run(
        [*browser, f"--screenshot={shot}", "--window-size=1200,1600", target.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


# Measures a report from inside the page (loaded in an iframe of a given width: headless Chromium's
# window is never narrower than 500 px) and hands the figures to the page around it.
PROBE = """
(function () {
  function scrolled(el) { return el.parentElement && el.parentElement.closest(".scroll") !== null; }
  var out = {width: innerWidth, scrollWidth: document.scrollingElement.scrollWidth, outside: [], figures: [],
             clipped: [], buttons: document.querySelectorAll(".zoom:not([hidden]) button").length, zoom: []};
  document.querySelectorAll("body *").forEach(function (el) {
    var b = el.getBoundingClientRect();
    if (el.closest("svg") || scrolled(el) || !b.width) return;  // a wide table scrolls in its own box
    if (b.left < -0.5 || b.right > innerWidth + 0.5) out.outside.push(el.tagName + " " + b.left + ".." + b.right);
  });
  document.querySelectorAll("figure").forEach(function (figure) {
    var f = figure.getBoundingClientRect(), svg = figure.querySelector("svg"), s = svg.getBoundingClientRect();
    out.figures.push({figure: [f.left, f.right], svg: [s.left, s.right]});
    svg.querySelectorAll("text").forEach(function (t) {
      var b = t.getBoundingClientRect();
      if (b.left < s.left - 0.5 || b.right > s.right + 0.5 || b.top < s.top - 0.5 || b.bottom > s.bottom + 0.5)
        out.clipped.push(t.textContent);
    });
  });
  var first = document.querySelector("figure svg");
  if (first && out.buttons) {  // the script's zoom: in, in, back to the whole drawing
    var buttons = first.parentElement.querySelectorAll(".zoom button");
    out.zoom.push(first.getAttribute("viewBox"));
    buttons[0].click(); buttons[0].click(); out.zoom.push(first.getAttribute("viewBox"));
    buttons[2].click(); out.zoom.push(first.getAttribute("viewBox"));
  }
  var pre = parent.document.createElement("pre");
  pre.id = "probe-" + innerWidth;
  pre.textContent = JSON.stringify(out);
  parent.document.body.appendChild(pre);
})();
"""
WIDTHS = (390, 1280)  # a phone (iPhone 12–15) and a laptop


def _measured(page: str, tmp_path) -> dict[int, dict]:
    """The probe's figures for `page` at each of WIDTHS, from one headless Chromium run."""
    probed = html.escape(page.replace("</body>", f"<script>{PROBE}</script></body>"), quote=True)
    frames = "".join(f'<iframe style="border:0;width:{w}px;height:900px" srcdoc="{probed}"></iframe>' for w in WIDTHS)
    outer = tmp_path / "measure.html"
    outer.write_text(f"<!DOCTYPE html><html><body style='margin:0'>{frames}</body></html>", encoding="utf-8")
    browser = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1800,1000", "--dump-dom"]
    dom = subprocess.run([*browser, outer.as_uri()], capture_output=True, text=True, timeout=180)
    assert dom.returncode == 0, dom.stderr[-2000:]
    found = {
        int(w): json.loads(html.unescape(data))
        for w, data in re.findall(r'<pre id="probe-(\d+)">(.*?)</pre>', dom.stdout)
    }
    assert set(found) == set(WIDTHS), dom.stdout[-2000:]
    return found


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine")
@pytest.mark.parametrize("spec", ["lenet5", "resnet50", "unet", "inception_v3", "chain of 10,001 layers"])
def test_report_fits_phone_and_laptop_in_chromium(spec, tmp_path):
    """Looked at in a browser: nothing wider than the window (so no sideways scrolling on a phone),
    each drawing inside its frame with no label cut off, and the zoom buttons zoom."""
    source = _long_chain(10_001) if spec.startswith("chain") else spec
    page = str(cnncalc.load(source).report())
    for width, seen in _measured(page, tmp_path).items():
        assert seen["width"] == width
        assert seen["scrollWidth"] <= width and seen["outside"] == [], (width, seen["outside"])
        for box in seen["figures"]:
            (figure_left, figure_right), (svg_left, svg_right) = box["figure"], box["svg"]
            assert figure_left - 0.5 <= svg_left and svg_right <= figure_right + 0.5, (width, box)
        assert seen["clipped"] == [], (width, seen["clipped"][:10])
        drawings = 0 if spec.startswith("chain") else 2
        assert len(seen["figures"]) == drawings and seen["buttons"] == 3 * drawings
        if drawings:
            whole, zoomed, back = ([float(v) for v in box.split()] for box in seen["zoom"])
            assert zoomed[2] == pytest.approx(whole[2] / 1.25**2) and zoomed[3] == pytest.approx(whole[3] / 1.25**2)
            assert back == whole
