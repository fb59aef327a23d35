"""The validated spec both front ends produce, and the top level of a spec file.

`SpecFile` and `Block` are the one declaration of the file format: the quick check
(`file_check`), pydantic's validation and its error messages (`spec/load.py`) and the JSON Schema
(`spec/schema.py`) all read these two classes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar

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
    # Batch norms an exporter folded into convolutions (ONNX): the graph holds no trace of them but a
    # conv bias, so its counts differ from the framework's, and the summary says so.
    folded_batch_norms: int = 0
    # Layers whose all-zero bias an exporter's optimiser removed (an untrained model's zero-initialised
    # biases): counted without one, as the graph holds them, and the summary says so.
    removed_zero_biases: int = 0


class MinItems:
    """Annotated metadata: at least `count` items. The quick check reads `count`; pydantic reads it
    through the hook below, only when it is asked. (annotated_types.MinLen says the same, but
    importing it costs 35 ms, a quarter of the start-up budget.)"""

    def __init__(self, count: int) -> None:
        self.count = count

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        schema = handler(source)
        schema["min_length"] = self.count  # a list schema's bound; the JSON Schema's minItems
        return schema


Scalar = int | float | bool | str | None
Params = dict[str, Scalar | list[Any]]
Layers = Annotated[list[Any], MinItems(1)]
FORBID_OTHER_KEYS = {"extra": "forbid"}  # pydantic's ConfigDict, as a plain dict


@dataclass(frozen=True)
class Block:
    """A reusable block: parameters (null = required), named inputs, layers and an output."""

    __pydantic_config__: ClassVar[dict[str, str]] = FORBID_OTHER_KEYS

    layers: Layers
    description: str | None = None
    params: Params = field(default_factory=dict)
    inputs: Annotated[list[str], MinItems(1)] = field(default_factory=lambda: ["input"])
    output: str | None = None


@dataclass(frozen=True)
class SpecFile:
    """The top level of a YAML/JSON spec file."""

    __pydantic_config__: ClassVar[dict[str, str]] = FORBID_OTHER_KEYS

    layers: Layers
    name: str | None = None
    description: str | None = None
    source: str | None = None
    params: Params = field(default_factory=dict)
    input: str | list[Any] | None = None
    blocks: dict[str, Block] = field(default_factory=dict)
    outputs: list[str] | None = None
    lint: dict[str, Any] | None = None
