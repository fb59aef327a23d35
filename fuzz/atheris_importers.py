"""Coverage-guided fuzzing of the importers with atheris (a separate job, not part of the tests).

    python -m pip install atheris '.[test,onnx]'
    python fuzz/atheris_importers.py keras fuzz/corpus-keras -max_total_time=600 -rss_limit_mb=2048
    python fuzz/atheris_importers.py onnx fuzz/corpus-onnx -max_total_time=600 -rss_limit_mb=2048

Each input is used twice: as the file itself (libFuzzer's byte mutations of a Keras JSON text or an
ONNX protobuf), and as the seed of the structural mutations of tests/test_fuzz_tier.py applied to
the test models (so a short input reaches deep into a valid document). Both go through
`cnncalc.load(...).summary()`; anything but cnncalc's own SpecError is a bug, and so is opening
the external-data file a mutated ONNX tensor may point at. atheris stops, prints the traceback and
saves the input as crash-*. The seed corpus is the test models (written on first run).
"""

from __future__ import annotations

import json
import os
import random
import sys
from functools import partial
from pathlib import Path

from harness import fuzz, instrumented

WORK = instrumented(
    (  # cnncalc imports lazily: name every module an import reaches
        "cnncalc",
        "cnncalc.importers",
        "cnncalc.importers.keras_json",
        "cnncalc.importers.onnx_model",
        "cnncalc.reading",
        "cnncalc.spec.expand",
        "cnncalc.spec.files",
        "cnncalc.spec.load",
        "cnncalc.analysis.summary",
    )
)
# The mutations and the one check the test tier uses: success or SpecError, nothing else.
from test_fuzz_tier import (  # noqa: E402
    KERAS_DOCUMENTS,
    SENTINEL,
    load_or_refuse,
    mutate_json,
    mutate_model,
    onnx_models,
)

(WORK / SENTINEL).write_bytes(b"\0" * 4096)


def _refuse_sentinel(event: str, args: tuple) -> None:
    if event == "open" and isinstance(args[0], str | bytes) and SENTINEL in os.fsdecode(args[0]):
        raise AssertionError(f"the ONNX importer opened external data: {os.fsdecode(args[0])}")


def keras(data: bytes) -> None:
    path = WORK / "model.json"
    path.write_bytes(data)
    load_or_refuse(path)
    rng = random.Random(data)
    path.write_text(json.dumps(mutate_json(rng.choice(KERAS_DOCUMENTS), rng)), encoding="utf-8")
    load_or_refuse(path)


MODELS: list[object] = []


def onnx(data: bytes) -> None:
    path = WORK / "model.onnx"
    path.write_bytes(data)
    load_or_refuse(path)
    rng = random.Random(data)
    path.write_bytes(mutate_model(rng.choice(MODELS), rng))
    load_or_refuse(path)


def seed_corpus(target: str, folder: Path) -> None:
    if target == "keras":
        for index, document in enumerate(KERAS_DOCUMENTS):
            (folder / f"keras{index}.json").write_text(json.dumps(document, indent=1), encoding="utf-8")
    else:
        for index, model in enumerate(MODELS):
            (folder / f"model{index}.onnx").write_bytes(model.SerializeToString())  # type: ignore[attr-defined]


TARGETS = {"keras": keras, "onnx": onnx}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        raise SystemExit(f"usage: {sys.argv[0]} {'|'.join(TARGETS)} [CORPUS] [libFuzzer options]")
    target, args = sys.argv[1], sys.argv[2:]
    if target == "onnx":
        MODELS.extend(onnx_models())
        sys.addaudithook(_refuse_sentinel)
    fuzz(TARGETS[target], args, partial(seed_corpus, target))


if __name__ == "__main__":
    main()
