"""`cnncalc schema`: a JSON Schema every bundled spec satisfies, and that catches mistakes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

jsonschema = pytest.importorskip("jsonschema")
SPECS = sorted((Path(__file__).resolve().parent.parent / "specs").glob("*.yaml"))


@pytest.fixture(scope="module")
def validator(request):
    from typer.testing import CliRunner

    from cnncalc.cli.app import app

    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.stem)
def test_bundled_specs_validate(validator, path):
    errors = list(validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
    assert not errors, errors[0].message


def test_schema_catches_unknown_keys_and_arguments(validator):
    assert not validator.is_valid({"input": "8x8x3", "layer": ["relu"]})
    assert not validator.is_valid({"input": "8x8x3", "layers": [{"conv": {"filters": 4, "kernal": 3}}]})
    assert validator.is_valid({"input": "8x8x3", "layers": [{"conv": {"filters": 4, "kernel": 3}}, "relu"]})
