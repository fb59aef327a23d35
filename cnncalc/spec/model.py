"""The validated spec both front ends produce, and the pydantic models of the file format."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from cnncalc.errors import Location
from cnncalc.layers import Layer

Scalar = int | float | bool | str | None


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


class BlockModel(BaseModel):
    """A reusable block: parameters (null = required), named inputs, layers and an output."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    description: str | None = None
    params: dict[str, Scalar | list[Any]] = Field(default_factory=dict)
    inputs: list[str] = Field(default_factory=lambda: ["input"], min_length=1)
    layers: list[Any] = Field(min_length=1)
    output: str | None = None


class SpecFileModel(BaseModel):
    """The top level of a YAML/JSON spec file."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    name: str | None = None
    description: str | None = None
    source: str | None = None
    params: dict[str, Scalar | list[Any]] = Field(default_factory=dict)
    input: str | list[Any] | None = None
    layers: list[Any] = Field(min_length=1)
    blocks: dict[str, BlockModel] = Field(default_factory=dict)
    outputs: list[str] | None = None
    lint: dict[str, Any] | None = None
