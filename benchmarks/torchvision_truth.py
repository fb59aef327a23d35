"""Maintainer script: torchvision's own figures for its models, recorded as ground truth.

    /work/tvvenv/bin/python benchmarks/torchvision_truth.py --models resnet50,convnext_tiny \
        --sizes 224,97 --out tests/fixtures/torchvision/truth.json
    /work/tvvenv/bin/python benchmarks/torchvision_truth.py --all --sizes 224 --out FILE.json

Runs where torchvision is installed (CI never has it: tests read the JSON this writes). Each
model is built with `weights=None` in eval mode and run on one S×S RGB image (batch 1, N×C×H×W);
for every (model, size) it records:

- `trainable`: sum of `p.numel()` over parameters with requires_grad — torchvision's `num_params`
  (the figure in its model tables); `non_trainable_params`: parameters without requires_grad (0 for
  a freshly built model, recorded so nothing is assumed).
- `running_stats`: elements of the batch-norm buffers `running_mean` and `running_var` — what
  cnncalc calls non-trainable parameters; `num_batches_tracked`: the number of those counter
  buffers (one scalar each, which cnncalc does not count); `other_buffers`: elements of every other
  buffer (e.g. Swin's relative position index), by name suffix.
- `macs`: weights-only multiply-accumulates, cnncalc's default convention (docs/conventions.md:
  "one per use of a weight in convolutions and dense layers, no bias, nothing else"), counted by
  forward hooks on every nn.Conv*d / nn.Linear / nn.MultiheadAttention call, per sample:
  convolution: output elements × in_channels/groups × prod(kernel_size);
  transposed convolution: input elements × out_channels/groups × prod(kernel_size) (per input
  position, as cnncalc and fvcore count it); linear (on any rank, e.g. ConvNeXt's per-position
  Linear): output elements × in_features; multi-head attention: its q, k, v and output
  projections per token (queries·E·E·2 + keys·E·(kdim + vdim)). Bias additions, batch/layer norm,
  activations, pooling, merges, element-wise products (SE gates, layer scale) and products of two
  activations (attention's q·kᵀ and its weights · v) count 0. A module called twice counts twice.
  This is the convention of torchvision's published GFLOPS for convolutional nets (ResNet-50
  4.09 G); for transformers torchvision also counts the attention products (ViT-B/16: 17.56 G
  published, 16.85 G here). Two figures show what the hooks cannot see:
  `params_outside_counted_modules` (parameters outside Conv/Linear/attention/norm modules:
  ConvNeXt's layer scale, Swin's relative position bias) and `params_in_uncalled_modules`
  (Conv/Linear modules the forward pass never called, their weights used some other way: Swin
  passes its qkv Linear's weight to F.linear, so those MACs are missing from `macs`).
- `fvcore`: fvcore.nn.FlopCountAnalysis(model, x).total() when fvcore is importable (its own
  convention: MACs plus batch norm, adaptive pooling, upsampling …; see docs/conventions.md), the
  error fvcore raises when its tracer fails, or no key without fvcore.
- `output_shape`: the output's shape without the batch axis, PyTorch's layout (C, H, W or classes).
- `error`: instead of the figures above (except parameters and buffers, which do not depend on the
  input), the exception torchvision raises at this size ("TypeName: message"), when it does.

Per model (not per size) it also records `published`: the DEFAULT weights' `num_params`, `_ops`
(GFLOPS) and `min_size` from torchvision's weight metadata, and the weights' crop size.

Shapes and hooks are computed on the "meta" device (shapes, no data, no memory); a model whose
builder or forward needs an operator without a meta kernel is built and run on the CPU, and its
error, if it still fails, is the CPU's (so is fvcore's). Results are merged into --out keyed by
model then size; a rerun computes only the pairs missing from it (--force recomputes them).
`truth(name, size)` returns one record, for other maintainer scripts.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import warnings
from pathlib import Path
from typing import Any

RUNNING_STATS = ("running_mean", "running_var")
COUNTER = "num_batches_tracked"


def _build(name: str, device: str) -> Any:
    import torch
    import torchvision  # type: ignore[import-not-found]

    with torch.device(device), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # googlenet/inception_v3 warn about their init without weights
        return torchvision.models.get_model(name, weights=None).eval()


class HookError(Exception):
    """A failure inside this script's hook: a bug here, never recorded as torchvision's fact."""


def _attention_macs(module: Any, inputs: tuple) -> int:
    """nn.MultiheadAttention's projections: q, k, v in and the output projection, per token."""
    if len(inputs) < 3:
        raise ValueError("query, key and value must be passed positionally for this count")
    axis = 1 if module.batch_first else 0
    queries, keys = inputs[0].shape[axis], inputs[1].shape[axis]
    e = module.embed_dim
    return queries * e * e * 2 + keys * e * (module.kdim + module.vdim)


def _macs_hook(totals: list[int], called: set[int]) -> Any:
    import torch.nn as nn

    def count(module: Any, inputs: tuple, output: Any) -> int:
        if isinstance(module, nn.modules.conv._ConvTransposeNd):
            per_input = inputs[0].numel() // inputs[0].shape[0]
            return per_input * module.out_channels // module.groups * math.prod(module.kernel_size)
        if isinstance(module, nn.modules.conv._ConvNd):
            per_output = output.numel() // output.shape[0]
            return per_output * module.in_channels // module.groups * math.prod(module.kernel_size)
        if isinstance(module, nn.Linear):
            return output.numel() // output.shape[0] * module.in_features
        if isinstance(module, nn.MultiheadAttention):
            called.add(id(module.out_proj))  # used through F.linear inside, never called: counted here
            return _attention_macs(module, inputs)
        return 0

    def hook(module: Any, inputs: tuple, output: Any) -> None:
        called.add(id(module))
        try:
            totals[0] += count(module, inputs, output)
        except Exception as exc:
            raise HookError(f"{type(module).__name__}: {_error(exc)}") from exc

    return hook


def _weighted() -> Any:  # a tuple of classes, for isinstance
    """The modules whose weights the MACs count."""
    import torch.nn as nn

    return (nn.modules.conv._ConvNd, nn.Linear, nn.MultiheadAttention)


def _counted(module: Any) -> bool:
    import torch.nn as nn

    norms = (nn.modules.batchnorm._NormBase, nn.LayerNorm, nn.GroupNorm)
    return isinstance(module, (*_weighted(), *norms))


def parameters_and_buffers(model: Any) -> dict:
    """Counts that do not depend on the input size."""
    params = list(model.parameters())
    in_counted = {id(p) for m in model.modules() if _counted(m) for p in m.parameters(recurse=False)}
    stats = counters = 0
    other: dict[str, int] = {}
    for buffer_name, buffer in model.named_buffers():
        suffix = buffer_name.rsplit(".", 1)[-1]
        if suffix in RUNNING_STATS:
            stats += buffer.numel()
        elif suffix == COUNTER:
            counters += 1
        else:
            other[suffix] = other.get(suffix, 0) + buffer.numel()
    return {
        "trainable": sum(p.numel() for p in params if p.requires_grad),
        "non_trainable_params": sum(p.numel() for p in params if not p.requires_grad),
        "running_stats": stats,
        "num_batches_tracked": counters,
        "other_buffers": other,
        "params_outside_counted_modules": sum(p.numel() for p in params if id(p) not in in_counted),
    }


def forward_figures(model: Any, size: int, device: str) -> dict:
    """Weights-only MACs (hooks) and output shape of one size×size RGB image through `model`, and
    the parameters of weighted modules the forward pass never called (their weights used some other
    way, e.g. Swin's F.linear on its qkv Linear's weight: MACs the hooks cannot see)."""
    import torch

    totals, called = [0], set[int]()
    hook = _macs_hook(totals, called)
    handles = [m.register_forward_hook(hook) for m in model.modules()]
    try:
        with torch.no_grad():
            output = model(torch.zeros((1, 3, size, size), device=device))
    finally:
        for handle in handles:
            handle.remove()
    uncalled = sum(
        p.numel()
        for m in model.modules()
        if isinstance(m, _weighted()) and id(m) not in called
        for p in m.parameters(recurse=False)
    )
    return {"macs": totals[0], "output_shape": list(output.shape[1:]), "params_in_uncalled_modules": uncalled}


def _fvcore(model: Any, size: int, device: str) -> int | None:
    try:
        from fvcore.nn import FlopCountAnalysis  # type: ignore[import-untyped]
    except ImportError:
        return None
    import torch

    analysis = FlopCountAnalysis(model, torch.zeros((1, 3, size, size), device=device))
    analysis.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
    return int(analysis.total())


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".strip().splitlines()[0]


def truth(name: str, size: int) -> dict:
    """Torchvision's figures for model `name` on one size×size RGB image (see the module docstring)."""
    record: dict[str, Any] = {}
    for device in ("meta", "cpu"):
        try:
            model = _build(name, device)
        except NotImplementedError:  # a builder computing widths with tensors (RegNet) needs data
            continue
        record = parameters_and_buffers(model)
        try:
            record.update(forward_figures(model, size, device))
        except HookError:
            raise
        except NotImplementedError as exc:  # an operator without a meta kernel: try for real
            record["error"] = _error(exc)
            continue
        except Exception as exc:  # torchvision itself refuses this size: that is the fact
            record["error"] = _error(exc)
            if device == "meta":
                continue  # confirm on real tensors, so the recorded error is the CPU's
            return record
        fv = _fvcore_or_error(name, model, size, device)
        if fv is not None:
            record["fvcore"] = fv
        record["device"] = device
        return record
    return record


def _fvcore_or_error(name: str, model: Any, size: int, device: str) -> int | str | None:
    try:
        return _fvcore(model, size, device)
    except Exception as exc:  # fvcore's tracer failing is fvcore's fact, not the model's
        if device == "meta":  # rebuilt for real: a meta model's buffers (Swin's indices) hold no data
            return _fvcore_or_error(name, _build(name, "cpu"), size, "cpu")
        return _error(exc)


def published(name: str) -> dict:
    """What torchvision's DEFAULT weights' metadata publishes for the model."""
    from torchvision.models import get_model_weights  # type: ignore[import-not-found]

    try:
        weights = get_model_weights(name).DEFAULT
    except (ValueError, KeyError, AttributeError) as exc:
        return {"error": _error(exc)}
    meta = weights.meta
    crop = getattr(weights.transforms(), "crop_size", None)
    return {
        "weights": str(weights),
        "num_params": meta.get("num_params"),
        "gflops": meta.get("_ops"),
        "min_size": list(meta["min_size"]) if "min_size" in meta else None,
        "crop_size": list(crop) if crop is not None else None,
    }


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    def installed(package: str) -> str | None:
        try:
            return version(package)
        except PackageNotFoundError:
            return None

    return {package: installed(package) for package in ("torch", "torchvision", "fvcore")}


def update(path: Path, names: list[str], sizes: list[int], force: bool = False) -> dict:
    """Merge the missing (model, size) records into the JSON at `path`, saving after each model."""
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data["versions"] = _versions()
    models = data.setdefault("models", {})
    for name in names:
        entry = models.setdefault(name, {})
        if force or "published" not in entry:
            entry["published"] = published(name)
        for size in sizes:
            if force or str(size) not in entry:
                print(f"{name} @ {size}", file=sys.stderr, flush=True)
                entry[str(size)] = truth(name, size)
        models[name] = dict(
            sorted(entry.items(), key=lambda kv: (not kv[0].isdigit(), int(kv[0]) if kv[0].isdigit() else 0))
        )
        data["models"] = dict(sorted(models.items()))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--models", help="comma-separated torchvision model names")
    which.add_argument("--all", action="store_true", help="every classification model in torchvision.models")
    parser.add_argument("--sizes", default="224", help="comma-separated input sizes (square), default 224")
    parser.add_argument("--out", required=True, type=Path, help="JSON file to merge the records into")
    parser.add_argument("--force", action="store_true", help="recompute records already in --out")
    args = parser.parse_args(argv)
    if args.all:
        import torchvision  # type: ignore[import-not-found]

        names = list(torchvision.models.list_models(module=torchvision.models))
    else:
        names = [n.strip() for n in args.models.split(",") if n.strip()]
    sizes = [int(s) for s in args.sizes.split(",")]
    update(args.out, names, sizes, args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
