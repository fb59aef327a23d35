"""Write the small ONNX fixtures the import tests read without torch, and the facts torch gives for them.

    python tests/onnx_fixtures.py        (needs torch, onnx and, for the dynamo files, onnxscript)

Each module of tests/onnx_torch_nets.py is exported, then its weight data is removed: every
initializer of more than a few values is marked as stored in NAME.onnx.data, which is never written
(cnncalc reads dims only, and never opens external data). Node metadata (the dynamo exporter's stack
traces) is dropped too, except the optimiser's rule names. facts.json records, from torch: the
module's parameter count, the count as the graph holds it (batch norm folded into convolutions by the
exporter), and the output shape.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import sys
import warnings
from pathlib import Path

import onnx
import torch

sys.path.insert(0, str(Path(__file__).parent))
from onnx_torch_nets import BasicBlockNet, ConvNeXtBlock, MobileNetV3Block, ShuffleBlock

FOLDER = Path(__file__).parent / "fixtures" / "onnx"
SMALL = 16  # initializers up to this many values (shape targets, axes) stay in the file
FIXTURES = {  # file: (module, exporter, options)
    "basic_legacy_dynamic_batch": (BasicBlockNet, False, {"do_constant_folding": False, "input_names": ["x"],
                                                          "dynamic_axes": {"x": {0: "n"}}}),
    "basic_legacy_folded": (BasicBlockNet, False, {"do_constant_folding": True}),
    "mobilenetv3_dynamo": (MobileNetV3Block, True, {"optimize": True}),
    "mobilenetv3_legacy_training": (MobileNetV3Block, False, {"training": torch.onnx.TrainingMode.TRAINING}),
    "convnext_dynamo": (ConvNeXtBlock, True, {"optimize": True}),
    "shuffle_legacy": (ShuffleBlock, False, {}),
    "shuffle_dynamo_unoptimised": (ShuffleBlock, True, {"optimize": False}),
}  # fmt: skip


def stripped(model: onnx.ModelProto, data_file: str) -> onnx.ModelProto:
    offset = 0
    for tensor in model.graph.initializer:
        if math.prod(tensor.dims) <= SMALL:
            continue
        length = len(onnx.numpy_helper.to_array(tensor).tobytes())
        for field in ("raw_data", "float_data", "int64_data", "int32_data", "double_data"):
            tensor.ClearField(field)
        tensor.data_location = onnx.TensorProto.EXTERNAL
        for key, value in (("location", data_file), ("offset", str(offset)), ("length", str(length))):
            entry = tensor.external_data.add()
            entry.key, entry.value = key, value
        offset += length
    for node in model.graph.node:  # keep the optimiser's rule names: they say a BN was folded
        kept = [(p.key, p.value) for p in node.metadata_props if p.key == "pkg.onnxscript.rewriter.rule_name"]
        node.ClearField("metadata_props")
        for key, value in kept:
            entry = node.metadata_props.add()
            entry.key, entry.value = key, value
        node.doc_string = ""
    return model


def graph_count(module: torch.nn.Module, model: onnx.ModelProto) -> int:
    """torch's count with batch norm as the graph holds it (see test_import_onnx_torch.graph_parameters)."""
    from test_import_onnx_torch import graph_parameters

    return graph_parameters(module, model)


def main() -> None:
    facts = {}
    for name, (make, dynamo, options) in FIXTURES.items():
        torch.manual_seed(0)
        module = make().train(options.get("training") == torch.onnx.TrainingMode.TRAINING)
        path = FOLDER / f"{name}.onnx"
        quiet = io.StringIO()
        with warnings.catch_warnings(), contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
            warnings.simplefilter("ignore")
            torch.onnx.export(module, (torch.randn(1, 3, 32, 32),), str(path), dynamo=dynamo, **options)
        model = onnx.load(str(path))
        for extra in FOLDER.glob(f"{name}.onnx.data"):
            extra.unlink()
        onnx.save(stripped(model, f"{name}.onnx.data"), str(path))
        output = module.eval()(torch.randn(1, 3, 32, 32))
        facts[name] = {
            "torch_params": sum(p.numel() for p in module.parameters()),
            "graph_params": graph_count(module, model),
            "output_shape": list(output.shape[1:]),
        }
    (FOLDER / "facts.json").write_text(json.dumps(facts, indent=2) + "\n")


if __name__ == "__main__":
    main()
