"""Run a built graph on real arrays and compare every layer with what the calculator predicted."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from cnncalc.display import Displayed
from cnncalc.errors import LimitError, ValidationSpecError
from cnncalc.executor.kernels import kernels
from cnncalc.graph import Graph
from cnncalc.i18n import _, number
from cnncalc.layers.base import format_shape, spatial


@dataclass(frozen=True)
class LayerCheck:
    """One executed layer: predicted and actual output shape and parameter count."""

    index: int
    name: str
    kind: str
    expected_shape: tuple[int, ...]
    actual_shape: tuple[int, ...]
    expected_params: int
    actual_params: int

    @property
    def shape_ok(self) -> bool:
        return self.expected_shape == self.actual_shape

    @property
    def params_ok(self) -> bool:
        return self.expected_params == self.actual_params

    @property
    def ok(self) -> bool:
        return self.shape_ok and self.params_ok

    def to_dict(self) -> dict[str, object]:
        return {
            "index": self.index,
            "name": self.name,
            "kind": self.kind,
            "expected_shape": list(self.expected_shape),
            "actual_shape": list(self.actual_shape),
            "expected_params": self.expected_params,
            "actual_params": self.actual_params,
            "ok": self.ok,
        }


@dataclass(frozen=True)
class RunResult(Displayed):
    """Result of `Network.run()`: a check per layer, the outputs and (optionally) all activations."""

    checks: tuple[LayerCheck, ...]
    outputs: Mapping[str, np.ndarray]
    activations: Mapping[str, np.ndarray]
    batch: int
    peak_bytes: int

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def to_dict(self) -> dict[str, object]:
        return {
            "schema": "cnncalc.run/1",
            "ok": self.ok,
            "batch": self.batch,
            "expected_peak_bytes": self.peak_bytes,
            "layers": [c.to_dict() for c in self.checks],
            "outputs": {name: list(a.shape[1:]) for name, a in self.outputs.items()},
        }


def expected_peak_bytes(graph: Graph, batch: int, itemsize: int = 4, keep_all: bool = False) -> int:
    """Largest activation memory the run holds at once: live activations plus one layer's window buffer."""
    return _activation_peak(
        graph, batch, itemsize, keep_all, lambda node: _window_buffer(graph, node) * batch * itemsize
    )


def _activation_peak(graph: Graph, batch: int, itemsize: int, keep_all: bool, scratch: Callable[[object], int]) -> int:
    """Live activations (freed once their last reader ran) plus a layer's `scratch` bytes, at the busiest layer."""
    remaining = {name: len(users) for name, users in graph.consumers.items()}
    live = peak = 0
    for node in graph.nodes:
        live += math.prod(graph.shapes[node.name]) * batch * itemsize
        peak = max(peak, live + scratch(node))
        if not keep_all:
            for name in node.inputs:
                remaining[name] -= 1
                if remaining[name] == 0 and name not in graph.spec.outputs:
                    live -= math.prod(graph.shapes[name]) * batch * itemsize
    return peak


@dataclass(frozen=True)
class MemoryEstimate:
    """What a run holds at its busiest, in bytes: every layer's weights for the whole run, plus
    the larger of making them (a seeded tensor and a temporary beside the largest one) and
    running the busiest layer (live activations, the im2col matrix twice — built, then regrouped
    or multiplied — and a reshaped copy of the layer's own weights)."""

    weights: int
    making_weights: int
    running: int

    @property
    def total(self) -> int:
        return self.weights + max(self.making_weights, self.running)

    def refusal(self, available: int) -> LimitError:
        mib = 2**20
        return LimitError(
            _(
                "the run needs about {total} MiB ({weights} MiB of weights, {more} MiB more for activations "
                "and scratch), more than the {available} MiB available"
            ).format(
                total=number(self.total / mib, ",.0f"),
                weights=number(self.weights / mib, ",.0f"),
                more=number(max(self.making_weights, self.running) / mib, ",.0f"),
                available=number(available / mib, ",.0f"),
            ),
            hint=_("use a smaller --input or --batch, or --force to run anyway"),
        )


def estimate_memory(graph: Graph, batch: int, itemsize: int = 4, keep_all: bool = False) -> MemoryEstimate:
    """Weights plus activations plus kernel scratch: what `run` checks against the memory available."""
    sizes = {node.name: _weight_values(graph, node) for node in graph.nodes}
    largest = max((size for per_layer in sizes.values() for size in per_layer), default=0)

    def scratch(node) -> int:
        return (2 * _window_buffer(graph, node) * batch + sum(sizes[node.name])) * itemsize

    running = _activation_peak(graph, batch, itemsize, keep_all, scratch)
    total_weights = sum(sum(per_layer) for per_layer in sizes.values())
    return MemoryEstimate(total_weights * itemsize, 2 * largest * itemsize, running)


def _weight_values(graph: Graph, node) -> list[int]:
    """Values of each weight tensor of a layer, as the kernels make them."""
    shapes = kernels()[node.kind].weights(node.layer, graph.input_shapes(node), graph.shapes[node.name])
    return [math.prod(shape) for shape, _ in shapes.values()]


def _window_buffer(graph: Graph, node) -> int:
    """Values of the im2col matrix a window layer builds (output positions × Ci × taps)."""
    layer = node.layer
    if not hasattr(layer, "windows"):
        return 0
    shape = graph.input_shapes(node)[0]
    taps = math.prod(w.kernel for w in layer.windows(shape))
    return math.prod(spatial(graph.shapes[node.name])) * shape[-1] * taps


def available_memory() -> int | None:
    """MemAvailable from /proc/meminfo, or physical memory where that is all there is."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def random_weights(graph: Graph, seed: int) -> dict[str, dict[str, np.ndarray]]:
    """Seeded weights per layer: uniform in ±1/√fan_in (PyTorch's default bound); variances > 0."""
    table = kernels()
    weights: dict[str, dict[str, np.ndarray]] = {}
    for index, node in enumerate(graph.nodes):
        shapes = table[node.kind].weights(node.layer, graph.input_shapes(node), graph.shapes[node.name])
        rng = np.random.default_rng([seed, index])
        arrays = {}
        for key, (shape, _trainable) in shapes.items():
            unit = rng.random(shape, dtype=np.float32)  # float32 directly: VGG has 138 M weights
            if key == "running_var":
                arrays[key] = unit + np.float32(0.5)
            else:
                fan_in = math.prod(shape[1:]) if len(shape) > 1 else max(shape[0], 1)
                bound = np.float32(1.0 / math.sqrt(fan_in))
                arrays[key] = (unit * 2 - 1) * bound
        weights[node.name] = arrays
    return weights


def check_weights(graph: Graph, given: Mapping[str, Mapping[str, ArrayLike]]) -> dict[str, dict[str, np.ndarray]]:
    """Validate user weights against the shapes each layer needs; missing ones are an error."""
    table = kernels()
    checked: dict[str, dict[str, np.ndarray]] = {}
    known = {node.name for node in graph.nodes}
    for name in given:
        if name not in known:
            raise ValidationSpecError(
                _("weights for unknown layer {name!r}").format(name=name),
                hint=_("keys are {keys}").format(keys="LAYER.weight, LAYER.bias, …"),
            )
    for node in graph.nodes:
        shapes = table[node.kind].weights(node.layer, graph.input_shapes(node), graph.shapes[node.name])
        arrays = dict(given.get(node.name, {}))
        for key, (shape, _kind) in shapes.items():
            if key not in arrays:
                message = _("missing weights {key} of shape {shape}")
                raise ValidationSpecError(message.format(key=f"{node.name}.{key}", shape=format_shape(shape)))
            if np.shape(arrays[key]) != shape:  # a list of numbers has no .shape
                raise ValidationSpecError(
                    _("weights {key} have shape {shape}, expected {expected}").format(
                        key=f"{node.name}.{key}",
                        shape=format_shape(np.shape(arrays[key])),
                        expected=format_shape(shape),
                    ),
                    hint=_("convolution weights are (out channels, in channels/groups, *kernel), as in PyTorch"),
                )
        extra = set(arrays) - set(shapes)
        if extra:
            message = _("layer {name!r} takes no weights named {keys}")
            raise ValidationSpecError(message.format(name=node.name, keys=", ".join(map(repr, sorted(extra)))))
        checked[node.name] = {k: np.asarray(v, dtype=np.float32) for k, v in arrays.items()}
    return checked


def run_graph(
    graph: Graph,
    *,
    batch: int = 1,
    seed: int = 0,
    input: ArrayLike | None = None,
    weights: Mapping[str, Mapping[str, ArrayLike]] | None = None,
    keep: bool = False,
    memory_limit: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> RunResult:
    """Execute every node in order; free activations as soon as nothing else reads them."""
    batch = resolve_batch(graph, input, batch)
    peak = expected_peak_bytes(graph, batch, keep_all=keep)
    if memory_limit is not None:
        estimate = estimate_memory(graph, batch, keep_all=keep)
        if estimate.total > memory_limit:
            raise estimate.refusal(memory_limit)
    params = weights_for(graph, weights, seed)
    values = _inputs(graph, batch, seed, input)
    remaining = {name: len(users) for name, users in graph.consumers.items()}
    kept: dict[str, np.ndarray] = {}
    checks = []
    table = kernels()
    for index, node in enumerate(graph.nodes):
        xs = [values[name] for name in node.inputs] or [values[node.name]]
        layer_weights = params[node.name]
        out = table[node.kind].forward(node.layer, xs, layer_weights, graph.input_shapes(node), graph.shapes[node.name])
        out = np.asarray(out, dtype=np.float32)
        values[node.name] = out
        if keep:
            kept[node.name] = out
        checks.append(_check(index, node, graph, out, layer_weights))
        for name in node.inputs:
            remaining[name] -= 1
            if remaining[name] == 0 and name not in graph.spec.outputs:
                del values[name]
        if progress is not None:
            progress(index + 1, len(graph.nodes), node.name)
    outputs = {name: values[name] for name in graph.spec.outputs}
    return RunResult(tuple(checks), outputs, kept, batch, peak)


def weights_for(graph: Graph, given, seed: int) -> dict[str, dict[str, np.ndarray]]:
    return random_weights(graph, seed) if given is None else check_weights(graph, given)


def resolve_batch(graph: Graph, given: ArrayLike | None, batch: int) -> int:
    """The batch a run uses: the input array's own when it has a batch axis; a --batch that differs is an error."""
    if batch < 1:
        raise ValidationSpecError(_("--batch must be at least 1"))
    if given is None:
        return batch
    shape, array_shape = graph.shapes[graph.nodes[0].name], tuple(np.shape(given))
    if len(array_shape) != len(shape) + 1 or array_shape[1:] != shape:
        return batch  # one sample (broadcast to the batch), or a mismatch _inputs reports
    if batch not in (1, array_shape[0]):
        raise ValidationSpecError(
            _("--batch {batch}, but the input array holds {count} samples").format(batch=batch, count=array_shape[0]),
            hint=_("leave out --batch, or give {option}").format(option=f"--batch {array_shape[0]}"),
        )
    return array_shape[0]


def _inputs(graph: Graph, batch: int, seed: int, given: ArrayLike | None) -> dict[str, np.ndarray]:
    values = {}
    rng = np.random.default_rng([seed, 10**6])
    for node in graph.nodes:
        if node.inputs:
            continue
        shape = graph.shapes[node.name]
        if given is None:
            values[node.name] = rng.standard_normal((batch, *shape)).astype(np.float32)
            continue
        array = np.asarray(given, dtype=np.float32)
        if tuple(array.shape) == shape:
            array = np.broadcast_to(array, (batch, *shape)).copy()
        if tuple(array.shape[1:]) != shape:
            raise ValidationSpecError(
                _(
                    "--input array has shape {shape}, but the spec's input is {expected} "
                    "(channels last; optionally with a batch axis first)"
                ).format(shape=format_shape(array.shape), expected=format_shape(shape)),
            )
        values[node.name] = array
    return values


def _check(index: int, node, graph: Graph, out: np.ndarray, weights: Mapping[str, np.ndarray]) -> LayerCheck:
    inputs, expected = graph.input_shapes(node), graph.shapes[node.name]
    return LayerCheck(
        index=index,
        name=node.name,
        kind=node.kind,
        expected_shape=expected,
        actual_shape=tuple(out.shape[1:]),
        expected_params=node.layer.params(inputs, expected).total,
        actual_params=sum(int(a.size) for a in weights.values()),
    )
