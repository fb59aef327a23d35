"""The spec-language guide's example spec is real: extract it and check its numbers by hand."""

from __future__ import annotations

import re

from tests_support import ROOT

import cnncalc


def test_readme_yaml_example_loads(tmp_path):
    text = (ROOT / "docs" / "spec-language.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(name: tiny_resnet.*?)```", text, re.S).group(1)
    path = tmp_path / "tiny.yaml"
    path.write_text(block, encoding="utf-8")
    summary = cnncalc.load(path).summary()
    assert summary.output_shapes == ((10,),)
    names = [r.name for r in summary.layers]
    assert "stage.2.sum" in names
    # stage i has c = 16·2^i channels and stride 1, 2, 2: 32 → 32 → 16 → 8.
    shapes = {r.name: r.output_shape for r in summary.layers}
    assert shapes["stage.0.sum"] == (32, 32, 16)
    assert shapes["stage.1.sum"] == (16, 16, 32)
    assert shapes["stage.2.sum"] == (8, 8, 64)
