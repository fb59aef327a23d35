"""The graph every diagram draws: a node per layer, or per block when repeated blocks are collapsed.

ResNet-152 has 516 layers and Inception-ResNet-v2 783: one box each is a picture nobody can read
and more than Mermaid accepts (500 edges, 50,000 characters by default). Collapsing draws a block
(the layers one dotted name prefix holds, `layer3.4`) or a stage (`layer3`) as one box, and a run
of identical blocks as one box with a count ("×35"). Identical means the same kinds, the same
wiring and the same output shapes, so every number written on a collapsed box is exact for each
repeat. Specs written in the notation (`[CONV → RELU] x 5000`) have no dotted names; their runs are
found by the same comparison, layer by layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line reads MODES at start-up; the analysis is imported only to draw
    from cnncalc.analysis.summary import LayerRecord, Summary
    from cnncalc.layers import Shape

MODES = ("auto", "none", "blocks", "stages")
FULL_LIMIT = 100  # `auto` draws one box per layer up to this many layers, blocks above
_MAX_PERIOD = 16  # the longest run of unnamed layers compared as one repeated block
_MAJORITY = 0.9  # a name prefix holding this share of the layers is a wrapper, not a stage


@dataclass(frozen=True)
class Node:
    """One box: a layer (`kind` set, `count` 1) or `count` repeats of a block of `size` layers."""

    id: str
    title: str
    kind: str | None
    count: int
    size: int
    output_shape: Shape
    params: int
    inputs: tuple[str, ...]

    @property
    def grouped(self) -> bool:
        return self.kind is None


@dataclass(frozen=True)
class Graph:
    name: str | None
    nodes: tuple[Node, ...]

    @property
    def collapsed(self) -> bool:
        return any(node.grouped for node in self.nodes)

    @property
    def edges(self) -> int:
        return sum(len(node.inputs) for node in self.nodes)


def resolve(mode: str, layers: int) -> str:
    """`auto` as the size asks: every layer for a small net, blocks for a large one."""
    if mode != "auto":
        return mode
    return "none" if layers <= FULL_LIMIT else "blocks"


def build(summary: Summary, mode: str = "auto") -> Graph:
    """The graph of `summary` with its repeated blocks or stages collapsed as `mode` says."""
    records = summary.layers
    mode = resolve(mode, len(records))
    if mode == "none":
        return Graph(summary.name, _nodes(records, [[i] for i in range(len(records))], merge=False))
    depth = _stage_depth([r.name for r in records]) + (1 if mode == "blocks" else 0)
    return Graph(summary.name, _nodes(records, _units(records, depth), merge=True))


def _prefix(name: str, depth: int) -> str:
    parts = name.split(".")
    return ".".join(parts[:depth]) if len(parts) > depth else name


def _stage_depth(names: Sequence[str]) -> int:
    """The name depth whose prefixes are stages: the first one no prefix holds 90 % of the layers of.

    ResNet's stages are `layer1`…`layer4` (depth 1); EfficientNet's `features.1`… (depth 2)
    because `features` holds nearly every layer."""
    deepest = max(len(name.split(".")) for name in names)
    for depth in range(1, deepest):
        counts: dict[str, int] = {}
        for name in names:
            counts[_prefix(name, depth)] = counts.get(_prefix(name, depth), 0) + 1
        if max(counts.values()) < _MAJORITY * len(names):
            return depth
    return deepest


def _units(records: Sequence[LayerRecord], depth: int) -> list[list[int]]:
    """Consecutive layers sharing their name prefix at `depth`, as lists of layer indices."""
    units: list[list[int]] = []
    previous = None
    for index, record in enumerate(records):
        key = _prefix(record.name, depth)
        if key != previous or "." not in record.name:
            units.append([])
        units[-1].append(index)
        previous = key
    return units


def _signature(records: Sequence[LayerRecord], position: dict[str, int], index: int) -> tuple[object, ...]:
    """What must match for two layers to be repeats: kind, output shape and where inputs come from."""
    record = records[index]
    return record.kind, record.output_shape, tuple(index - position[i] for i in record.inputs)


def _nodes(records: Sequence[LayerRecord], units: list[list[int]], merge: bool) -> tuple[Node, ...]:
    position = {r.name: i for i, r in enumerate(records)}
    signatures = [_signature(records, position, i) for i in range(len(records))]
    keys: list[tuple[object, ...]] = [tuple(signatures[i] for i in unit) for unit in units]
    runs = _runs(keys) if merge else [[u] for u in range(len(units))]
    owner = {i: units[run[0]][0] for run in runs for u in run for i in units[u]}
    return tuple(_node(records, position, owner, [units[u] for u in run], _period(keys, run)) for run in runs)


def _node(
    records: Sequence[LayerRecord],
    position: dict[str, int],
    owner: dict[int, int],
    units: list[list[int]],
    period: int,
) -> Node:
    """The box of `units` (a run of `period`-unit windows): a layer as itself, a block by name."""
    group = [i for unit in units for i in unit]
    inputs: list[str] = []
    for index in group:
        for source in records[index].inputs:
            node = f"n{owner[position[source]]}"
            if owner[position[source]] != group[0] and node not in inputs:
                inputs.append(node)
    count = len(units) // period
    single = len(group) == 1
    return Node(
        id=f"n{group[0]}",
        title=records[group[0]].name if single else _title(records, units, period),
        kind=records[group[0]].kind if single else None,
        count=count,
        size=len(group) // count,
        output_shape=records[group[-1]].output_shape,
        params=sum(records[i].params for i in group),
        inputs=tuple(inputs),
    )


def _title(records: Sequence[LayerRecord], units: list[list[int]], period: int) -> str:
    """A block by the name prefix its layers share; a run by its first and last block's
    (`layer3.1 … layer3.35`), or by its first and last layer's when its layers share none."""
    windows = [[records[i].name for u in units[k : k + period] for i in u] for k in range(0, len(units), period)]
    first, last = _common(windows[0]), _common(windows[-1])
    if len(windows) == 1:
        return first or f"{windows[0][0]} … {windows[0][-1]}"
    return f"{first} … {last}" if first and last else f"{windows[0][0]} … {windows[-1][-1]}"


def _common(names: list[str]) -> str:
    """The dotted prefix all `names` share ('' when none): the block they belong to."""
    parts = [name.split(".") for name in names]
    shared = []
    for column in zip(*parts, strict=False):
        if len(set(column)) > 1:
            break
        shared.append(column[0])
    if len(shared) == min(len(p) for p in parts):
        shared = shared[:-1]  # the name of a layer, not of a block holding it
    return ".".join(shared)


def _runs(keys: list[tuple[object, ...]]) -> list[list[int]]:
    """Unit indices grouped into runs: a window of units repeated back to back is one run.

    Greedy from the left; at each unit the period covering most units wins (the shorter on a tie),
    so `[CONV → RELU] x 5000` becomes one run of period 2."""
    runs: list[list[int]] = []
    start = 0
    while start < len(keys):
        best_period, best_repeats = 1, 1
        for period in range(1, _MAX_PERIOD + 1):
            repeats = _repeats(keys, start, period)
            if repeats > 1 and period * repeats > best_period * best_repeats:
                best_period, best_repeats = period, repeats
        span = best_period * best_repeats if best_repeats > 1 else 1
        runs.append(list(range(start, start + span)))
        start += span
    return runs


def _repeats(keys: list[tuple[object, ...]], start: int, period: int) -> int:
    window = keys[start : start + period]
    if len(window) < period:
        return 0
    repeats = 1
    while keys[start + repeats * period : start + (repeats + 1) * period] == window:
        repeats += 1
    return repeats


def _period(keys: list[tuple[object, ...]], run: list[int]) -> int:
    """The shortest window whose repeats make up `run` (1 for a single unit)."""
    for period in range(1, len(run) + 1):
        if len(run) % period == 0 and _repeats(keys, run[0], period) * period >= len(run):
            return period
    return len(run)
