"""`cnncalc report`: one self-contained HTML page, written safely, and seen in a real browser."""

from __future__ import annotations

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
    assert "<script" not in page
    assert not re.search(r"(src|href)=", page)
    assert re.findall(r"https?://[^\"' ]+", page) == ["http://www.w3.org/2000/svg"] * 2  # namespaces only
    assert target.stat().st_mode & 0o777 != 0o600  # an ordinary file, not mkstemp's private one


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
