"""The validated spec both front ends produce, and the checked top level of a spec file."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cnncalc.errors import Location
from cnncalc.layers import Layer


@dataclass(frozen=True)
class Node:
    """One expanded layer of the network: a unique name, its config and the nodes it reads."""

    name: str
    layer: Layer
    inputs: tuple[str, ...]
    location: Location = field(default_factory=Location)
    noqa: frozenset[str] = frozenset()  # lint codes silenced for this layer

    @property
    def kind(self) -> str:
        return self.layer.kind


@dataclass(frozen=True)
class Spec:
    """A validated, fully expanded network: nodes in an order where inputs come first."""

    nodes: tuple[Node, ...]
    outputs: tuple[str, ...]
    name: str | None = None
    description: str | None = None
    source: str | None = None
    params: Mapping[str, object] = field(default_factory=dict)
    file: str | None = None
    lint: Mapping[str, object] = field(default_factory=dict)
    # What an importer asks of the graph once shapes are known (an ONNX weight made for another
    # input): each is called with the built graph and raises SpecError. The importer cannot build
    # the graph itself: the flow runs importers → spec → graph.
    checks: tuple[Callable[[Any], None], ...] = ()


@dataclass(frozen=True)
class Block:
    """A reusable block: parameters (null = required), named inputs, layers and an output."""

    layers: list[Any]
    description: str | None = None
    params: Mapping[str, object] = field(default_factory=dict)
    inputs: list[str] = field(default_factory=lambda: ["input"])
    output: str | None = None


@dataclass(frozen=True)
class SpecFile:
    """The top level of a YAML/JSON spec file, checked (`cnncalc.spec.file_check`)."""

    layers: list[Any]
    name: str | None = None
    description: str | None = None
    source: str | None = None
    params: Mapping[str, object] = field(default_factory=dict)
    input: str | list[Any] | None = None
    blocks: Mapping[str, Block] = field(default_factory=dict)
    outputs: list[str] | None = None
    lint: Mapping[str, Any] | None = None
