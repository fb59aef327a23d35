"""The pydantic models of the spec file format: the judge of any top level the fast check in
`file_check` does not accept outright, the author of its error messages, and the JSON Schema.

Imported only when needed, so loading a well-formed spec never loads pydantic.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

Scalar = int | float | bool | str | None


class BlockModel(BaseModel):
    """A reusable block: parameters (null = required), named inputs, layers and an output."""

    model_config = ConfigDict(extra="forbid")

    description: str | None = None
    params: dict[str, Scalar | list[Any]] = Field(default_factory=dict)
    inputs: list[str] = Field(default_factory=lambda: ["input"], min_length=1)
    layers: list[Any] = Field(min_length=1)
    output: str | None = None


class SpecFileModel(BaseModel):
    """The top level of a YAML/JSON spec file."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    description: str | None = None
    source: str | None = None
    params: dict[str, Scalar | list[Any]] = Field(default_factory=dict)
    input: str | list[Any] | None = None
    layers: list[Any] = Field(min_length=1)
    blocks: dict[str, BlockModel] = Field(default_factory=dict)
    outputs: list[str] | None = None
    lint: dict[str, Any] | None = None
