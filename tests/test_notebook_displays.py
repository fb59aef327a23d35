"""Every result a notebook shows is a table, not a dataclass repr: lint findings, totals, scale,
diff (its changed layers folded) and the report, which shows as the page itself.

Expected numbers are worked by hand here; names a spec's author chose stay text."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import cnncalc


def _spec(filters: int, stride: int = 1) -> dict:
    """A 7×7×3 input and one convolution named `<script>`: 3·F·3² + F parameters."""
    conv = {"filters": filters, "kernel": 3, "stride": stride}
    return {"input": [7, 7, 3], "layers": [{"name": "<script>", "conv": conv}]}


def _well_formed(html: str) -> ElementTree.Element:
    """The fragment parses as XML (every tag closed, every name escaped) and holds no markup of a name's."""
    root = ElementTree.fromstring(f"<div>{html}</div>")
    assert all(element.tag not in ("script", "iframe") for element in root.iter())
    return root


def _cells(root: ElementTree.Element) -> list[list[str]]:
    return [["".join(td.itertext()) for td in tr.findall("td")] for tr in root.iter("tr") if tr.findall("td")]


def test_lint_findings_show_as_a_table():
    findings = cnncalc.load(_spec(4, stride=3)).lint(select=["S001"])
    # (7 − 3)/3 + 1 = 2.33: the stride does not fit, S001 on the layer named <script>.
    assert [(f.code, f.layer) for f in findings] == [("S001", "<script>")]
    assert isinstance(findings, tuple) and findings == tuple(findings)  # still the tuple it was
    root = _well_formed(findings._repr_html_())
    rows = _cells(root)
    assert len(rows) == 1 and rows[0][:2] == ["S001", "warning"] and rows[0][3] == "<script>"
    assert "1 finding" in "".join(root.itertext())
    assert "| S001 | warning |" in findings._repr_markdown_() and "\\<script\\>" in str(findings)


def test_no_findings_say_so():
    findings = cnncalc.load(_spec(4)).lint(select=["S001"])
    assert findings == () and findings._repr_html_() == "<p>no findings</p>"


def test_totals_show_as_a_table():
    totals = cnncalc.load(_spec(4)).summary().totals
    root = _well_formed(totals._repr_html_())
    rows = {"".join(tr.find("th").itertext()): "".join(tr.find("td").itertext()) for tr in root.iter("tr")}
    assert rows["total params (= Keras Total params)"] == "112"  # 3·4·3² + 4
    assert rows["MACs (weights only)"].startswith("2,700 ")  # 5·5·4 = 100 outputs · 3·3² = 27 weights each
    assert "- **total params (= Keras Total params)**: 112" in str(totals)


def test_scale_shows_as_a_table():
    scaling = cnncalc.load("lenet5").scale([32, 28])
    rows = _cells(_well_formed(scaling._repr_html_()))
    # LeNet-5's published 61,706 at 32×32; at 28×28 the first dense layer reads 4·4·16 = 256 values:
    # 156 + 2,416 (convolutions) + 256·120 + 120 + 120·84 + 84 + 84·10 + 10 = 44,426.
    assert [(row[0], row[1]) for row in rows] == [("32×32×1", "61,706"), ("28×28×1", "44,426")]
    assert "| 32×32×1 | 61,706 |" in scaling._repr_markdown_()


def test_diff_shows_totals_and_folds_the_layers():
    old, new = cnncalc.load(_spec(4)), cnncalc.load(_spec(8))
    html = old.diff(new)._repr_html_()
    root = _well_formed(html)
    totals = _cells(root.find("table"))
    assert totals[0][:3] == ["parameters", "112", "224"]  # 3·8·3² + 8 = 224
    details = root.find("details")
    assert details is not None and "".join(details.find("summary").itertext()) == "1 layer changed"
    layers = _cells(details)
    assert layers[0][0] == "<script>" and "&lt;script&gt;" in html
    assert not re.search(r"<script", html)


def test_a_long_diff_stays_short_until_opened():
    old, new = cnncalc.load("resnet18"), cnncalc.load("resnet34")
    root = _well_formed(old.diff(new)._repr_html_())
    visible = [e for e in root if e.tag != "details"]
    assert sum(len(_cells(e)) for e in visible if e.tag == "table") == len(old.diff(new).totals)
    assert len(_cells(root.find("details"))) == len(old.diff(new).layers) > 20


def test_symbolic_shapes_show_as_a_table():
    symbolic = cnncalc.load(_spec(4)).symbolic()
    root = _well_formed(symbolic._repr_html_())
    rows = _cells(root)
    # 7×7×3 read as H×W×3; the 3×3 convolution gives (H − 2)×(W − 2)×4, with 3·3²·4 = 108 MACs a position
    assert rows[1][1:4] == ["<script>", "conv", "(H − 2) × (W − 2) × 4"]
    assert "108·H·W − 216·H − 216·W + 432" in "".join(root.itertext())
    assert "\\<script\\>" in str(symbolic)


def test_symbolic_axis_names_are_escaped_in_every_line():
    symbolic = cnncalc.load(_spec(4)).symbolic(names=("<b>", "W"))
    text = str(symbolic)
    assert "<b>" not in text and "\\<b\\>" in text.splitlines()[-1]  # the total too, not only the rows
    assert text.splitlines()[-2] == ""  # the total is a paragraph of its own, not one more table row
    assert "<b>" not in symbolic._repr_html_()


def test_a_gradebook_shows_as_the_class_table():
    from pathlib import Path

    from cnncalc.api import grade_files, load_key

    homework = Path(__file__).resolve().parent.parent / "examples" / "homework"
    key = load_key(homework / "key.yaml")
    gradebook = grade_files(key, [homework / "ana.yaml", homework / "bruno.yaml"])
    root = _well_formed(gradebook._repr_html_())
    heads = ["".join(th.itertext()) for th in root.iter("th")]
    assert heads[0] == "student" and heads[-1] == "points (of 10)" and len(heads) == len(key.questions) + 2
    rows = _cells(root)
    marks = {"right": "✓", "follow-through": "↪", "blank": "·"}
    for shown, row in zip(rows, gradebook.rows, strict=True):
        assert shown[0] == row.id and shown[-1] == str(row.points)
        assert shown[1:-1] == [marks.get(cell.status, "✗") for cell in row.cells]
    assert rows[0][-1] == "10"  # Ana answers every question right: the key's 10 points
    assert "| Ana |" in str(gradebook) and "✓ right" in str(gradebook)


def test_a_count_in_another_tools_convention_shows_as_a_table():
    total = cnncalc.load("lenet5").count("fvcore", batch=2)
    # fvcore counts LeNet-5's convolutions and dense layers, without biases, for the whole batch:
    # 2·(28·28·6·25 + 10·10·16·150 + 400·120 + 120·84 + 84·10) = 2·416,520
    rows = _cells(_well_formed(total._repr_html_()))
    assert rows[0][:2] == ["fvcore", f"{2 * 416_520:,}"]
    assert "| fvcore | 833,040 |" in str(total) and "batch of 2" in str(total)


def test_a_worked_convolution_shows_its_working_and_output():
    worked = cnncalc.convolve([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 0], [0, -1]], explain=True)
    root = _well_formed(worked._repr_html_())
    # every 2×2 window gives its top-left minus its bottom-right: 1 − 5 = 2 − 6 = 4 − 8 = 5 − 9 = −4
    assert "out[0,0] = 1*1 + 0*2 + 0*4 + -1*5 = -4" in [("".join(li.itertext())) for li in root.iter("li")]
    assert _cells(root) == [["-4", "-4"], ["-4", "-4"]]
    assert "| -4 | -4 |" in str(worked)


def test_one_layers_receptive_field_shows_as_its_row():
    record = cnncalc.load("lenet5").receptive_field("conv_2")
    # 5×5 conv, 2×2 pool, 5×5 conv: 5 + (2 − 1)·1 + (5 − 1)·2 = 14, jump 1·1·2 = 2
    (row,) = _cells(_well_formed(record._repr_html_()))
    assert row[1:5] == ["conv_2", "conv", "14", "2"]
    assert "| 4 | conv\\_2 | conv | 14 | 2 |" in str(record)
