"""Export the zoo nets `.ci/run` checks in the oldest onnxruntime, and their expected output shapes.

    python tests/onnx_floor_models.py FOLDER

Writes FOLDER/NAME.onnx and FOLDER/expected.json (output shapes for a batch of 4, channels first,
from cnncalc's own summary). The nets cover every layer kind the zoo uses.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import cnncalc
from cnncalc.export.onnx_model import to_onnx

NETS = ("lenet5", "alexnet_original", "resnet18", "googlenet", "inception_v3", "inception_resnet_v2",
        "mobilenet_v2", "densenet121", "squeezenet1_0", "unet", "hourglass", "mnist1d_cnn")  # fmt: skip


def channels_first(shape: tuple[int, ...]) -> list[int]:
    return [4, shape[-1], *shape[:-1]] if len(shape) > 1 else [4, *shape]


def main(folder: Path) -> None:
    import onnx

    folder.mkdir(parents=True, exist_ok=True)
    expected = {}
    for name in NETS:
        net = cnncalc.load(name)
        onnx.save(to_onnx(net.graph), str(folder / f"{name}.onnx"))
        expected[f"{name}.onnx"] = [channels_first(shape) for shape in net.summary().output_shapes]
    (folder / "expected.json").write_text(json.dumps(expected), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
