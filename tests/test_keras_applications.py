"""Every keras.applications model, as model.to_json() writes it, imports untouched and equals Keras' counts.

The fixtures and facts.json (Keras' own trainable and non-trainable weight sizes and output shape)
come from tests/fixtures/keras/generate.py; this test needs no Keras.
"""

from __future__ import annotations

import gzip
import json

import pytest
from tests_support import ROOT

import cnncalc

FIXTURES = ROOT / "tests" / "fixtures" / "keras"
FACTS = json.loads((FIXTURES / "facts.json").read_text(encoding="utf-8"))

# Keras layers with no exact layer kind: the import refuses them by name (never a wrong number).
REFUSED: dict[str, str] = {}
# Not imported yet (strict: each fails the test the day it starts to pass, so the list only shrinks).
NOT_YET = {
    *(f"ConvNeXt{size}{pre}" for size in ("Tiny", "Small", "Base", "Large", "XLarge") for pre in ("", "_nopre")),
    *(f"EfficientNetB{i}" for i in range(8)),
    *(f"EfficientNetV2{size}" for size in ("B0", "B1", "B2", "B3", "S", "M", "L")),
    *(f"MobileNetV3{size}{pre}" for size in ("Small", "Large") for pre in ("", "_nopre")),
    "InceptionResNetV2",
}


def fixture(tmp_path, name: str):
    path = tmp_path / f"{name}.json"
    path.write_bytes(gzip.decompress((FIXTURES / f"{name}.json.gz").read_bytes()))
    return path


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pytest.mark.xfail(strict=True)) if n in NOT_YET else n for n in sorted(FACTS)],
    ids=str,
)
def test_keras_application_equals_keras(tmp_path, name):
    fact, path = FACTS[name], fixture(tmp_path, name)
    if name in REFUSED:
        with pytest.raises(cnncalc.SpecError, match=REFUSED[name]):
            cnncalc.load(path)
        return
    summary = cnncalc.load(path).summary()
    assert summary.input_shape == tuple(fact["input_shape"])
    assert summary.totals.trainable_params == fact["trainable"]
    assert summary.totals.non_trainable_params == fact["non_trainable"]
    assert summary.output_shapes == (tuple(fact["output_shape"]),)


def test_every_application_has_a_fixture():
    """facts.json and the .json.gz files agree, so no application drops out of the test unnoticed."""
    assert {p.name.removesuffix(".json.gz") for p in FIXTURES.glob("*.json.gz")} == set(FACTS)
    assert len(FACTS) == 54  # 40 constructors, 14 of them (ConvNeXt, EfficientNetV2, MobileNetV3) twice
