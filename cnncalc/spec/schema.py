"""The JSON Schema of spec files, built from the pydantic models of every layer kind.

Editors use it to validate and complete specs/*.yaml (`cnncalc schema > cnncalc.schema.json`).
"""

from __future__ import annotations

from typing import Any

from cnncalc.layers import registry
from cnncalc.layers.models import json_schema
from cnncalc.spec.model import Block, SpecFile

ENTRY_KEYS = {
    "name": {"type": "string", "description": "The layer's name; other layers refer to it in inputs:"},
    "inputs": {
        "description": "The earlier layers this one reads (default: the previous entry)",
        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
    },
    "repeat": {
        "description": "Repeat this entry N times (index i)",
        "anyOf": [{"type": "integer"}, {"type": "string"}],
    },
    "if": {
        "description": "Include the entry only when this is true",
        "anyOf": [{"type": "boolean"}, {"type": "string"}],
    },
    "noqa": {"description": "Lint codes to silence", "anyOf": [{"type": "string"}, {"type": "array"}]},
}


def _expressions(schema: dict[str, Any]) -> dict[str, Any]:
    """Every argument may also be a parameter or an expression (a string), also inside lists."""
    expression = {"type": "string", "description": "a parameter or an expression, e.g. 4*c"}
    return {"anyOf": [schema, expression, {"type": "array"}]}


ACTIVATION = {"type": ["string", "null"], "description": "an activation added after the layer, e.g. relu"}


def kind_schema(kind: str) -> dict[str, Any]:
    cls = registry()[kind]
    args = json_schema(cls)
    properties = {name: _expressions(prop) for name, prop in args.get("properties", {}).items()}
    properties.setdefault("activation", ACTIVATION)
    arguments = {
        "anyOf": [
            {
                "type": "object",
                "properties": properties,
                "additionalProperties": False,
                "required": args.get("required", []),
            },
            {"type": "array", "description": f"positional: {', '.join(cls.positional) or 'none'}"},
            {"type": ["integer", "number", "string", "boolean"]},
            {"type": "null"},
        ],
        "description": cls.description,
    }
    return {
        "type": "object",
        "properties": {kind: arguments, **ENTRY_KEYS},
        "required": [kind],
        "additionalProperties": False,
        "description": f"{kind}: {cls.description}. Example: {cls.example}",
    }


def spec_schema() -> dict[str, Any]:
    """A draft 2020-12 JSON Schema for spec files."""
    entry = {
        "anyOf": [
            {"type": "string", "description": "a layer name or a chain like 'CONV(64, 3, p=1) → RELU'"},
            {"$ref": "#/$defs/block_call"},
            {"$ref": "#/$defs/group"},
            *({"$ref": f"#/$defs/kind_{kind}"} for kind in sorted(registry())),
        ]
    }
    from pydantic import TypeAdapter

    top = TypeAdapter(SpecFile).json_schema()
    block = TypeAdapter(Block).json_schema()
    top["properties"]["layers"] = {"type": "array", "items": entry, "minItems": 1}
    block["properties"]["layers"] = {"type": "array", "items": entry, "minItems": 1}
    top["properties"]["input"]["description"] = "channels last: 224x224x3 (or a list)"
    top["properties"]["blocks"] = {"type": "object", "additionalProperties": {"$ref": "#/$defs/block"}}
    defs: dict[str, Any] = {f"kind_{kind}": kind_schema(kind) for kind in registry()}
    defs["block"] = {k: v for k, v in block.items() if k != "$defs"}
    defs["block_call"] = {
        "type": "object",
        "properties": {"block": {"type": "string"}, **ENTRY_KEYS},
        "required": ["block"],
        "description": "Use a block; other keys are its parameters",
    }
    defs["group"] = {
        "type": "object",
        "properties": {"layers": {"type": "array", "items": entry}, **ENTRY_KEYS},
        "required": ["layers"],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:cnncalc:schema:spec:1",  # an identifier, not an address: no page serves it
        **{k: v for k, v in top.items() if k not in ("$defs", "title")},
        "title": "cnncalc spec",
        "$defs": defs,
    }
