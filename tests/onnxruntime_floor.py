"""Run exported ONNX models in the oldest onnxruntime cnncalc supports (1.17), with a batch of 4.

    python tests/onnxruntime_floor.py MODEL.onnx... EXPECTED.json

Not a pytest module: `.ci/run` exports the models with the project's environment, then runs this
script with a separate one holding only onnxruntime 1.17 and NumPy, so no newer library can help.
EXPECTED.json maps each file name to its output shapes for batch 4 (from cnncalc's summary).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import onnxruntime


def main(argv: list[str]) -> int:
    *models, expected_file = argv
    expected = json.loads(Path(expected_file).read_text(encoding="utf-8"))
    failures = 0
    for model in models:
        session = onnxruntime.InferenceSession(model, providers=["CPUExecutionProvider"])
        (given,) = session.get_inputs()
        shape = [4 if not isinstance(size, int) else size for size in given.shape]
        outputs = session.run(None, {given.name: np.random.default_rng(0).random(shape, dtype=np.float32)})
        got = [list(output.shape) for output in outputs]
        ok = got == expected[Path(model).name]
        failures += not ok
        print(f"{'ok ' if ok else 'BAD'} {Path(model).name}: input {given.shape} -> {got}")
    print(f"onnxruntime {onnxruntime.__version__}: {len(models) - failures} of {len(models)} models run with batch 4")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
