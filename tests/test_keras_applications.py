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
# None today: Rescaling and Normalization, which EfficientNet, EfficientNetV2, MobileNetV3 and ConvNeXt
# begin with, and InceptionResNetV2's CustomScaleLayer (x + scale·y) import and must match.
REFUSED: dict[str, str] = {}


def fixture(tmp_path, name: str):
    path = tmp_path / f"{name}.json"
    path.write_bytes(gzip.decompress((FIXTURES / f"{name}.json.gz").read_bytes()))
    return path


@pytest.mark.parametrize("name", sorted(FACTS), ids=str)
def test_keras_application_equals_keras(tmp_path, name):
    fact, path = FACTS[name], fixture(tmp_path, name)
    if name in REFUSED:
        with pytest.raises(cnncalc.SpecError, match=REFUSED[name]):
            cnncalc.load(path, input=fact["input_given"])
        return
    summary = cnncalc.load(path, input=fact["input_given"]).summary()  # MobileNetV3 takes any size
    given = fact["input_given"]  # "224x224x3" where Keras leaves the sizes open
    assert summary.input_shape == (tuple(map(int, given.split("x"))) if given else tuple(fact["input_shape"]))
    assert summary.totals.trainable_params == fact["trainable"]
    assert summary.totals.non_trainable_params == fact["non_trainable"]
    assert summary.output_shapes == (tuple(fact["output_shape"]),)


def test_every_application_has_a_fixture():
    """facts.json and the .json.gz files agree, so no application drops out of the test unnoticed."""
    assert {p.name.removesuffix(".json.gz") for p in FIXTURES.glob("*.json.gz")} == set(FACTS)
    assert len(FACTS) == 54  # 40 constructors, 14 of them (ConvNeXt, EfficientNetV2, MobileNetV3) twice
