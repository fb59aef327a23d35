"""The torchvision table in docs/interop.md is what benchmarks/model_table.py renders from the
committed facts (tests/fixtures/torchvision/table.json, recorded where torchvision is installed),
so the docs cannot drift from the measurement; and every refusal in it names an operation from the
committed list of operations cnncalc has no kind for.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.model_table import BEGIN, DOC, END, MISSING, PATHS, TABLE, operations, render

DATA = json.loads(TABLE.read_text(encoding="utf-8"))
CELLS = [(name, path, entry[path]) for name, entry in DATA["models"].items() for path in PATHS if path in entry]


def test_the_docs_table_is_the_one_rendered_from_the_facts():
    text = Path(DOC).read_text(encoding="utf-8")
    assert text.count(BEGIN) == 1 and text.count(END) == 1
    assert text.split(BEGIN, 1)[1].split(END, 1)[0].strip() == render(DATA).strip()


def test_the_table_covers_every_torchvision_classification_model():
    # torchvision 0.29's list_models(module=torchvision.models): 80 classification models
    assert len(DATA["models"]) == 80 and "resnet50" in DATA["models"] and "vit_h_14" in DATA["models"]


@pytest.mark.parametrize("name,path,record", CELLS, ids=[f"{n}-{p}" for n, p, _ in CELLS])
def test_no_path_prints_a_traceback(name, path, record):
    assert record["result"] != "error", record.get("message")


@pytest.mark.parametrize("name", sorted(DATA["models"]))
def test_torch_import_equals_torchvision_or_is_refused_by_name(name):
    record = DATA["models"][name]["torch"]
    assert record["result"] in ("equal", "refused"), record


def test_every_refusal_names_a_known_missing_operation():
    known = json.loads(MISSING.read_text(encoding="utf-8"))
    named = {op for _, _, record in CELLS if record["result"] == "refused" for op in operations(record["message"])}
    assert named <= known.keys(), sorted(named - known.keys())
    assert all(isinstance(why, str) and why for why in known.values())


def test_operations_are_read_from_a_grouped_refusal_each_once():
    message = (
        "SwinTransformer: cnncalc does not understand _get_relative_position_bias() ×12 (features.1.0.attn, …), "
        ".permute(): dims=(0, 3, 2, 1) (only N×C×… to N×…×C and back) ×2 (permute, permute_1), "
        "MultiheadAttention (attn)\n  hint: …"
    )
    assert operations(message) == ["_get_relative_position_bias()", ".permute()", "MultiheadAttention"]
    assert operations("x.onnx: unsupported ONNX operator(s): Einsum ×12 (/a, /b, …), Mod (/c)") == ["Einsum", "Mod"]
    one_node = "m.onnx, layer '/a/Reshape_3': ONNX Reshape node: its input 'idx' is not a short list of numbers"
    assert operations(one_node) == ["Reshape: its input … is not a short list of numbers"]


def test_an_operation_with_a_bracketed_argument_is_one_operation():
    message = (
        "m.onnx: unsupported ONNX operator(s): Transpose with perm [0, 2, 4, 3, 5, 1] (node_permute), Einsum ×2 (a, b)"
    )
    assert operations(message) == ["Transpose with perm", "Einsum"]
