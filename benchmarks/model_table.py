"""Maintainer script: every torchvision classification model through every cnncalc import path.

    PYTHONPATH=$PWD nice -n 10 /work/tvvenv/bin/python benchmarks/model_table.py \
        [--paths spec,torch,onnx_legacy,onnx_dynamo] [--only NAME,...] [--redo PATH,...] [--table-only]

Runs where torchvision is installed (CI never has it: tests/test_model_table.py reads what this
writes). For each model of `torchvision.models.list_models(module=torchvision.models)`, built with
`weights=None` in eval mode at 224×224, it records torchvision's figures (benchmarks/
torchvision_truth.py: trainable parameters, weights-only MACs by forward hooks, output shape) and
what cnncalc says through each path:

- `spec`: the bundled zoo spec of the same name, at --input 224x224x3 (no row when there is none);
- `torch`: `cnncalc.load(model, input="3x224x224")`, the library side of `--torch`;
- `onnx_legacy` / `onnx_dynamo`: `torch.onnx.export(..., dynamo=False / True)` of the model (with
  `do_constant_folding=False` / `optimize=False`, which keep each batch norm apart as the model
  has it), then cnncalc's ONNX importer on the file. The export keeps initializer dims and drops their data
  (cnncalc reads dims only), so the stripped graphs are cached and a rerun after an importer change
  redoes only the import.

Each path's result is `equal` (trainable parameters, weights-only MACs and output shape all equal
torchvision's), `refused` (with the operations cnncalc names), `differs` (with both figures: a bug),
`error` (a traceback: a bug) or `not run`. Results go to tests/fixtures/torchvision/table.json,
merged per model and path (a rerun computes only what is missing, or what --redo names), and the
Markdown table between the markers in docs/interop.md is rendered from that file alone, by
`render()`, which the CI test calls to check the docs did not drift. Every model and path runs in
its own process with a time limit, so a crash or a 2 GB export cannot take the others down.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "tests" / "fixtures" / "torchvision" / "table.json"
MISSING = ROOT / "tests" / "fixtures" / "torchvision" / "missing_operations.json"
DOC = ROOT / "docs" / "interop.md"
CACHE = Path(os.environ.get("MODEL_TABLE_CACHE", Path.home() / ".cache" / "cnncalc-model-table"))
BEGIN, END = "<!-- torchvision table: begin -->", "<!-- torchvision table: end -->"
SIZE = 224
PATHS = ("spec", "torch", "onnx_legacy", "onnx_dynamo")
HEADINGS = {"spec": "zoo spec", "torch": "`--torch`", "onnx_legacy": "ONNX legacy", "onnx_dynamo": "ONNX dynamo"}
TIME_LIMIT = {"spec": 60, "torch": 300, "onnx_legacy": 600, "onnx_dynamo": 1200}  # seconds, per model
CHUNK = 20  # models per worker process
# Either exporter's defaults fold each batch norm into the convolution before it (the graph then holds
# other weights than the model, and cnncalc counts the graph as it holds them); these settings keep
# the model's layers as they are.
EXPORT: dict[str, dict[str, Any]] = {
    "onnx_legacy": {"dynamo": False, "do_constant_folding": False},
    "onnx_dynamo": {"dynamo": True, "optimize": False, "external_data": True},
}
RECORD = '{"name"'  # how a worker's result lines start
SMALL = 64  # initializers up to this many values keep their data (shape constants the importer reads)


# --- the worker: one model, one path, in its own process ---------------------------------------------


# The auxiliary heads of GoogLeNet and Inception v3 (built by default without weights) are never run
# by the eval forward, so no count of what the forward computes equals sum(p.numel()); cnncalc refuses
# such a module naming them. The rows use torchvision's aux_logits=False (GoogLeNet's published form).
ARGUMENTS = {"googlenet": {"aux_logits": False}, "inception_v3": {"aux_logits": False}}


def _model(name: str, device: str = "cpu") -> Any:
    """The model without initialising its weights (their values never matter here, and initialising
    the 600 M parameters of vit_h_14 or regnet_y_128gf takes minutes)."""
    import warnings

    import torch
    import torchvision  # type: ignore[import-not-found]

    inits = {k: v for k, v in vars(torch.nn.init).items() if k.endswith("_") and callable(v)}
    try:
        for key in inits:
            setattr(torch.nn.init, key, lambda tensor, *args, **kwargs: tensor)
        with warnings.catch_warnings(), torch.device(device):
            warnings.simplefilter("ignore")
            return torchvision.models.get_model(name, weights=None, **ARGUMENTS.get(name, {})).eval()
    finally:
        for key, value in inits.items():
            setattr(torch.nn.init, key, value)


def _figures(summary: Any) -> dict:
    shape = list(summary.output_shapes[0]) if len(summary.output_shapes) == 1 else None
    pytorch_shape = [shape[-1], *shape[:-1]] if shape else shape  # cnncalc's channels last → PyTorch's
    return {"trainable": summary.totals.trainable_params, "macs": summary.totals.macs, "output_shape": pytorch_shape}


def _stripped(model: Any) -> Any:
    """The ONNX graph with each large initializer's data gone (dims kept, marked external)."""
    import math

    import onnx

    for tensor in model.graph.initializer:
        if math.prod(tensor.dims) <= SMALL:
            continue
        for field in ("raw_data", "float_data", "int64_data", "int32_data", "double_data"):
            tensor.ClearField(field)
        del tensor.external_data[:]
        tensor.data_location = onnx.TensorProto.EXTERNAL
        entry = tensor.external_data.add()
        entry.key, entry.value = "location", "stripped.onnx.data"
    return model


def _export(name: str, path: str, target: Path) -> None:
    import tempfile
    import warnings

    import onnx
    import torch

    model = _model(name)
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exported = Path(folder) / f"{name}.onnx"
        arguments = EXPORT[path]
        torch.onnx.export(model, (torch.zeros(1, 3, SIZE, SIZE),), str(exported), **arguments)
        graph = onnx.load(str(exported), load_external_data=False)
    target.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(_stripped(graph), str(target))


def _run(name: str, path: str) -> dict:
    """cnncalc's figures for one model through one path: {'figures': …} or {'refused': message}."""
    import cnncalc
    from cnncalc.errors import SpecError

    try:
        if path == "spec":
            from cnncalc.spec.load import bundled_names

            if name not in bundled_names():
                return {"result": "no spec"}
            summary = cnncalc.load(name, input=f"{SIZE}x{SIZE}x3").summary()
        elif path == "torch":
            summary = cnncalc.load(_model(name), input=f"3x{SIZE}x{SIZE}").summary()
        else:
            target = CACHE / f"{name}.{path}.onnx"
            if not target.exists():
                try:
                    _export(name, path, target)
                except Exception as exc:  # the exporter's failure, not cnncalc's: recorded as such
                    return {"result": "not exported", "message": f"{type(exc).__name__}: {exc}"[:300]}
            summary = cnncalc.load(target).summary()
    except SpecError as error:
        return {"result": "refused", "message": str(error)[:1500]}
    return {"figures": _figures(summary)}


def worker(names: str, paths: str) -> None:
    """One JSON line per model and path, flushed as each is done (the driver saves as they come)."""
    import traceback

    for name in names.split(","):
        for path in paths.split(","):
            try:
                record = _run(name, path)
            except BaseException:  # a traceback is a bug in cnncalc: recorded, never hidden
                record = {"result": "error", "message": traceback.format_exc()[-1500:]}
            print(json.dumps({"name": name, "path": path, **record}), flush=True)


# --- the driver: truth, comparison, caching ---------------------------------------------------------


def _truth(name: str) -> dict:
    """torchvision's figures (benchmarks/torchvision_truth.py's, without fvcore's, which this table
    does not show): on the meta device, or on the CPU for a model that cannot be built on it."""
    from benchmarks.torchvision_truth import _forward, parameters_and_buffers

    try:
        model, device = _model(name, "meta"), "meta"
    except NotImplementedError:  # regnet computes its widths with tensors, which "meta" has no values for
        model, device = _model(name), "cpu"
    return {"trainable": parameters_and_buffers(model)["trainable"], **_forward(model, SIZE, device)}


def _compared(record: dict, truth: dict) -> dict:
    if "figures" not in record:
        return record
    got = record["figures"]
    if all(got[key] == truth[key] for key in ("trainable", "macs", "output_shape")):
        return {"result": "equal"}
    return {"result": "differs", "got": got}


def _results(names: list[str], path: str) -> Any:
    """(name, record) as a worker process computes them; 'not run' for what it did not reach in time.

    Each worker takes a chunk of models: importing torch and torchvision costs more than most models.
    """
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    for start in range(0, len(names), CHUNK):
        chunk, done = names[start : start + CHUNK], set()
        command = [sys.executable, __file__, "--worker", ",".join(chunk), path]
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env) as work:
            deadline = time.time() + TIME_LIMIT[path] * len(chunk)
            for line in work.stdout or ():
                if not line.startswith(RECORD):  # torch.onnx.export(dynamo=True) prints its progress to stdout
                    continue
                record = json.loads(line)
                done.add(record["name"])
                yield record.pop("name"), {k: v for k, v in record.items() if k != "path"}
                if time.time() > deadline:
                    work.kill()
                    break
        for name in chunk:
            if name not in done:
                yield name, {"result": "not run", "message": "the worker stopped before it (time limit or crash)"}


def update(names: list[str], paths: list[str], redo: set[str]) -> None:
    data = json.loads(TABLE.read_text(encoding="utf-8")) if TABLE.exists() else {}
    import torch
    import torchvision  # type: ignore[import-not-found]

    data["versions"] = {"torch": torch.__version__, "torchvision": torchvision.__version__}
    data["size"] = SIZE
    models = data.setdefault("models", {})
    for name in names:
        if "truth" not in models.setdefault(name, {}):
            models[name]["truth"] = _truth(name)
            _save(data)
    for path in paths:
        todo = [n for n in names if path in redo or models[n].get(path, {}).get("result", "not run") == "not run"]
        if path in redo and path.startswith("onnx") and "--reexport" in sys.argv:
            for name in todo:
                (CACHE / f"{name}.{path}.onnx").unlink(missing_ok=True)
        for name, record in _results(todo, path):
            models[name][path] = _compared(record, models[name]["truth"])
            print(f"{name:24} {path:12} {models[name][path]['result']}", flush=True)
            _save(data)


def _save(data: dict) -> None:
    data["models"] = dict(sorted(data["models"].items()))
    TABLE.parent.mkdir(parents=True, exist_ok=True)
    TABLE.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


# --- the table ---------------------------------------------------------------------------------------


def operations(message: str) -> list[str]:
    """The operations a refusal names, each once: the heads of its 'Op: why ×n (places)' items."""
    text = message.split("\n")[0]
    if "trainable parameters its forward never uses" in text:  # GoogLeNet's, Inception's auxiliary heads
        return ["parameters the forward never uses"]
    node = re.search(r"ONNX (\w+) node: (.*)", text)  # one node refused for its arguments
    if node:
        reason = re.sub(r"'[^']*'", "…", node.group(2))  # the names in it are the model's, not the operation's
        return [f"{node.group(1)}: {reason}"]
    for marker in ("does not understand ", "operator(s): ", "layer(s): "):
        if marker in text:
            text = text.split(marker, 1)[1]
            break
    else:
        return [text.split(":")[-1].strip()] if ":" in text else [text]
    items, depth, current = [], 0, ""
    for char in text:  # the items are separated by ', ' outside parentheses and brackets
        depth += {"(": 1, ")": -1, "[": 1, "]": -1}.get(char, 0)
        if char == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    heads = []
    for item in items:
        head = item.strip().split(" ×")[0].split(" (")[0].split(": ")[0].split(" [")[0]  # not its arguments
        if head and head not in heads:
            heads.append(head)
    return heads


def cell(record: dict | None, truth: dict) -> str:
    if record is None:
        return "not run"
    result = record["result"]
    if result == "equal":
        return "✓"
    if result == "refused":
        return "refused: " + ", ".join(f"`{op}`" for op in operations(record["message"]))
    if result == "differs":
        got = record["got"]
        diffs = [f"{key} {got[key]} ≠ {truth[key]}" for key in ("trainable", "macs", "output_shape")
                 if got[key] != truth[key]]  # fmt: skip
        return "✗ " + "; ".join(diffs)
    if result == "no spec":
        return "—"
    if result == "error":
        return "✗ traceback"
    return result  # 'not run', 'not exported'


def render(data: dict) -> str:
    """The Markdown table of table.json: what the docs show, and what the CI test compares."""
    versions = data["versions"]
    lines = [
        f"torchvision {versions['torchvision']} (torch {versions['torch']}), `weights=None`, eval mode, "
        f"{data['size']}×{data['size']} px; googlenet and inception_v3 with `aux_logits=False` (their eval "
        "forward never runs the auxiliary heads: cnncalc refuses a module holding weights its forward "
        "never uses, naming them). ONNX: `torch.onnx.export` with `do_constant_folding=False` (legacy) "
        "or `optimize=False` (dynamo), which keep each batch norm apart (the defaults fold it into the "
        "convolution, and cnncalc counts the folded graph as it holds it). ✓: trainable parameters "
        "(torchvision's `num_params`), weights-only MACs and output shape all equal torchvision's; "
        "`refused: op`: cnncalc names the operation it has no kind for; — : no zoo spec of that name; "
        "`not run`: not measured in the time the table was made.",
        "",
        "| model | trainable | MACs | " + " | ".join(HEADINGS[p] for p in PATHS) + " |",
        "| --- | ---: | ---: | " + " | ".join("---" for _ in PATHS) + " |",
    ]
    for name, entry in data["models"].items():
        truth = entry["truth"]
        cells = [cell(entry.get(path), truth) for path in PATHS]
        lines.append(f"| {name} | {truth['trainable']:,} | {truth['macs']:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_table() -> None:
    data = json.loads(TABLE.read_text(encoding="utf-8"))
    text = DOC.read_text(encoding="utf-8")
    if BEGIN not in text:
        raise SystemExit(f"{DOC} has no {BEGIN!r} marker")
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    DOC.write_text(f"{head}{BEGIN}\n{render(data)}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=2, metavar=("NAMES", "PATHS"), help=argparse.SUPPRESS)
    parser.add_argument("--paths", default=",".join(PATHS), help="comma-separated paths to run")
    parser.add_argument("--only", help="comma-separated model names (default: every classification model)")
    parser.add_argument("--redo", default="", help="comma-separated paths to recompute although recorded")
    parser.add_argument("--reexport", action="store_true", help="with --redo onnx_*: export again too")
    parser.add_argument("--table-only", action="store_true", help="only rewrite the table in docs/interop.md")
    options = parser.parse_args(argv)
    if options.worker:
        worker(*options.worker)
        return 0
    if not options.table_only:
        import torchvision  # type: ignore[import-not-found]

        names = options.only.split(",") if options.only else torchvision.models.list_models(module=torchvision.models)
        update(names, [p for p in options.paths.split(",") if p], set(options.redo.split(",")) - {""})
    write_table()
    return 0


if __name__ == "__main__":
    sys.exit(main())
