"""PyTorch → spec document, by symbolic tracing with torch.fx (no forward pass, no data).

Each leaf module and tensor function of the traced graph becomes a layer; anything not understood
is listed in one error.
"""

from __future__ import annotations

import importlib
import operator
import sys
from pathlib import Path
from typing import Any

from cnncalc.errors import SpecError, ValidationSpecError

ACTIVATION_MODULES = {
    "ReLU": "relu", "ReLU6": "relu6", "Tanh": "tanh", "Sigmoid": "sigmoid", "GELU": "gelu", "SiLU": "silu",
    "Hardswish": "hard_swish", "Hardsigmoid": "hard_sigmoid", "Mish": "mish", "Softplus": "softplus",
    "Softsign": "softsign", "SELU": "selu", "Identity": "identity", "Softmax": "softmax", "LogSoftmax": "log_softmax",
}  # fmt: skip


_SHOWN = 200  # characters of a user exception's message: enough to act on, never a wall of text


def _described(error: BaseException) -> str:
    """'ValueError: bad size': the exception's type and message, without its traceback."""
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def load_factory(target: str) -> Any:
    """'package.module:factory' → the nn.Module that factory() (a class or a function) returns.

    This imports and runs the user's own code; whatever it raises becomes one message naming the
    factory and the exception, since its failures are not cnncalc's to show as a traceback.
    """
    module_name, sep, attribute = target.partition(":")
    if not sep or not module_name or not attribute:
        raise ValidationSpecError(f"--torch {target!r} is not MODULE:FACTORY", hint="e.g. --torch mynets:make_net")
    try:
        import torch
    except ImportError:
        raise SpecError("--torch needs PyTorch", hint="install torch (pip install torch), then try again") from None
    if str(Path.cwd()) not in sys.path:
        sys.path.insert(0, str(Path.cwd()))
    try:
        module = importlib.import_module(module_name)
    except (Exception, SystemExit) as error:  # the module's own code runs on import and may raise anything
        raise SpecError(
            f"cannot load {target}: importing {module_name} raised {_described(error)}",
            hint="run `python -c 'import " + module_name + "'` in this folder to see where",
        ) from None
    factory = getattr(module, attribute, None)
    if not callable(factory):
        raise SpecError(f"cannot load {target}: {module_name} has no function or class {attribute!r}")
    try:
        model = factory()
    except (Exception, SystemExit) as error:  # the user's factory, likewise
        raise SpecError(
            f"--torch {target}: the factory raised {_described(error)}",
            hint="call the factory in Python to see where; it must build the module without arguments",
        ) from None
    if not isinstance(model, torch.nn.Module):
        raise SpecError(f"--torch {target}: the factory returned {type(model).__name__}, not a torch.nn.Module")
    return model


def _pair(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _unrepresentable(module: Any) -> str | None:
    """Why a module cnncalc knows by class has arguments it cannot represent (or None)."""
    cls = type(module).__name__
    checks = {
        "Softmax": lambda m: m.dim not in (None, 1, -1) and f"dim={m.dim} (cnncalc's softmax is over channels)",
        "LogSoftmax": lambda m: m.dim not in (None, 1, -1) and f"dim={m.dim} (cnncalc's softmax is over channels)",
        "Softplus": lambda m: (m.beta, m.threshold) != (1, 20) and f"beta={m.beta}, threshold={m.threshold}",
        "GELU": lambda m: m.approximate != "none" and f"approximate={m.approximate!r}",
        "Flatten": lambda m: (m.start_dim, m.end_dim) != (1, -1) and f"start_dim={m.start_dim}, end_dim={m.end_dim}",
        "Upsample": _upsample_problem,
    }
    if cls.startswith("AvgPool") and getattr(module, "divisor_override", None) is not None:
        return f"divisor_override={module.divisor_override}"
    check = checks.get(cls)
    problem = check(module) if check else None
    return problem if isinstance(problem, str) else None


def _upsample_problem(module: Any) -> str | bool:
    if module.scale_factor is None:
        return "a target size instead of scale_factor"
    scales = module.scale_factor if isinstance(module.scale_factor, tuple) else (module.scale_factor,)
    if any(float(s) != int(s) for s in scales):
        return f"scale_factor={module.scale_factor} (cnncalc scales by whole numbers)"
    if module.mode not in ("nearest", "linear", "bilinear", "trilinear"):
        return f"mode={module.mode!r}"
    return bool(module.align_corners) and "align_corners=True"


def _module_entry(module: Any) -> dict[str, Any] | None:
    cls = type(module).__name__
    if cls in ACTIVATION_MODULES:
        return {ACTIVATION_MODULES[cls]: None}
    if cls.startswith("Conv") and not cls.startswith("ConvTranspose"):
        padding = module.padding if isinstance(module.padding, str) else _pair(module.padding)
        args = {"filters": module.out_channels, "kernel": _pair(module.kernel_size), "stride": _pair(module.stride)}
        args |= {"padding": padding, "dilation": _pair(module.dilation), "groups": module.groups}
        return {"conv": {**args, "bias": module.bias is not None, "padding_mode": module.padding_mode}}
    if cls.startswith("ConvTranspose"):
        return {"conv_transpose": {"filters": module.out_channels, "kernel": _pair(module.kernel_size),
                                   "stride": _pair(module.stride), "padding": _pair(module.padding),
                                   "output_padding": _pair(module.output_padding), "dilation": _pair(module.dilation),
                                   "groups": module.groups, "bias": module.bias is not None}}  # fmt: skip
    if cls == "Linear":
        return {
            "dense": {"units": module.out_features, "bias": module.bias is not None, "in_features": module.in_features}
        }
    if cls.startswith("BatchNorm"):
        return {"batch_norm": {"epsilon": module.eps, "momentum": module.momentum or 0.1, "affine": module.affine,
                               "track_running_stats": module.track_running_stats}}  # fmt: skip
    if cls.startswith("MaxPool") or cls.startswith("AvgPool"):
        kind = "max_pool" if cls.startswith("Max") else "avg_pool"
        args = {"kernel": _pair(module.kernel_size), "stride": _pair(module.stride), "padding": _pair(module.padding),
                "ceil_mode": module.ceil_mode}  # fmt: skip
        if kind == "max_pool":
            args["dilation"] = _pair(module.dilation)
        else:
            args["count_include_pad"] = module.count_include_pad
        return {kind: args}
    if cls.startswith("AdaptiveAvgPool") or cls.startswith("AdaptiveMaxPool"):
        kind = "adaptive_avg_pool" if "Avg" in cls else "adaptive_max_pool"
        return {kind: {"output_size": _pair(module.output_size)}}
    if cls.startswith("Dropout") or cls == "Dropout":
        return {"dropout" if cls == "Dropout" else "spatial_dropout": {"rate": module.p}}
    if cls == "Flatten":
        return {"flatten": None}
    if cls == "LeakyReLU":
        return {"leaky_relu": {"alpha": module.negative_slope}}
    if cls == "ELU":
        return {"elu": {"alpha": module.alpha}}
    if cls == "PReLU":
        return {"prelu": {"shared": module.num_parameters == 1}}
    if cls == "GroupNorm":
        return {"group_norm": {"groups": module.num_groups, "epsilon": module.eps, "affine": module.affine}}
    if cls == "LocalResponseNorm":
        return {"lrn": {"size": module.size, "alpha": module.alpha, "beta": module.beta, "k": module.k}}
    if cls == "Upsample":
        scale = module.scale_factor
        scale = [int(s) for s in scale] if isinstance(scale, tuple) else int(scale)
        return {"upsample": {"scale": scale, "mode": "nearest" if module.mode == "nearest" else "linear"}}
    return None


def _function_entry(node: Any) -> dict[str, Any] | None:
    import torch
    import torch.nn.functional as F

    target = node.target
    if target in (operator.add, torch.add):
        return {"add": None} if node.kwargs.get("alpha", 1) == 1 else None
    if target in (operator.mul, torch.mul):
        return {"multiply": None}
    if target in (operator.sub, torch.sub):
        return {"subtract": None}
    if target is torch.cat:
        dim = node.kwargs.get("dim", node.args[1] if len(node.args) > 1 else 0)
        return {"concat": None} if dim == 1 else None
    if target is torch.flatten:
        return {"flatten": None} if _flattens_all(node.args[1:], node.kwargs) else None
    if target in (F.relu, torch.relu):
        return {"relu": None}
    if target in (torch.sigmoid, F.sigmoid):
        return {"sigmoid": None}
    if target in (torch.tanh, F.tanh):
        return {"tanh": None}
    return None


def _flattens_all(args: tuple, kwargs: dict) -> bool:
    """torch.flatten(x, 1) / x.flatten(1): everything but the batch axis, nothing else."""
    start = kwargs.get("start_dim", args[0] if args else 0)
    end = kwargs.get("end_dim", args[1] if len(args) > 1 else -1)
    return (start, end) == (1, -1)


def _keeps_batch_only(args: tuple) -> bool:
    """x.view(x.size(0), -1) / x.reshape(N, -1): one batch axis, then everything."""
    sizes = args[0] if len(args) == 1 and isinstance(args[0], tuple | list) else args
    return len(sizes) == 2 and sizes[1] == -1


def _method_entry(node: Any) -> dict[str, Any] | None:
    if node.target == "flatten":
        return {"flatten": None} if _flattens_all(node.args[1:], node.kwargs) else None
    if node.target in ("view", "reshape"):
        return {"flatten": None} if _keeps_batch_only(node.args[1:]) else None
    if node.target == "relu":
        return {"relu": None}
    return None


def _asks_for_a_size(node: Any, sizes: set[str]) -> bool:
    if node.op == "call_method" and node.target in ("size", "dim"):
        return True
    if node.op == "call_function" and node.target is getattr and node.args[1:] == ("shape",):
        return True
    return node.op == "call_function" and node.target is operator.getitem and node.args[0].name in sizes


def read_module(model: Any, input_shape: tuple[int, ...] | None, source: str = "module") -> dict[str, Any]:
    """The spec document of an nn.Module; `input_shape` is channels last (H×W×C)."""
    import torch.fx

    if input_shape is None:
        raise ValidationSpecError("a PyTorch module needs --input (channels last, e.g. 32x32x3)")
    try:
        traced = torch.fx.symbolic_trace(model)
    except Exception as exc:  # tracing fails in many ways on dynamic control flow
        raise SpecError(
            f"torch.fx cannot trace {source}: {exc}", hint="the forward must not branch on tensor values"
        ) from None
    names: dict[str, str] = {}
    sizes: set[str] = set()
    layers, unsupported, outputs = [], [], []
    for node in traced.graph.nodes:
        if node.op == "placeholder":
            names[node.name] = "input"
            continue
        if node.op == "output":
            results = node.args[0] if isinstance(node.args[0], tuple | list) else (node.args[0],)
            outputs = [names[r.name] for r in results if r.name in names]
            continue
        if _asks_for_a_size(node, sizes):  # x.size(0), x.shape[0]: arguments of a view, not layers
            sizes.add(node.name)
            continue
        if node.op == "call_module":
            module = traced.get_submodule(node.target)
            problem = _unrepresentable(module)
            entry = None if problem else _module_entry(module)
            label = f"{type(module).__name__} ({node.target}{': ' + problem if problem else ''})"
        elif node.op == "call_function":
            entry, label = _function_entry(node), f"{getattr(node.target, '__name__', node.target)} ({node.name})"
        elif node.op == "call_method":
            entry, label = _method_entry(node), f".{node.target}() ({node.name})"
        else:
            entry, label = None, f"{node.op} ({node.name})"
        if entry is None:
            unsupported.append(label)
            continue
        name = str(node.target) if node.op == "call_module" else node.name
        if name in names.values():
            raise ValidationSpecError(
                f"{source}: module {name!r} is called more than once; cnncalc counts each layer's weights once "
                "per layer and has no shared weights",
                hint="trace a module that calls each submodule once",
            )
        sources = [a for a in node.all_input_nodes if a.name in names]
        layers.append({"name": name, **entry, "inputs": [names[s.name] for s in sources]})
        names[node.name] = name
    if unsupported:
        raise ValidationSpecError(f"{source}: cnncalc does not understand {', '.join(unsupported)}")
    document = {
        "name": type(model).__name__,
        "input": "x".join(map(str, input_shape)),
        "layers": layers,
        "outputs": outputs,
    }
    return document
