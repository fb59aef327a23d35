"""Writing a validated spec back out: YAML/JSON documents and inline chains, without loss.

Blocks and repeats are expanded, so the written spec lists every layer by name; loading it gives
the same layers, shapes and counts.
"""

from __future__ import annotations

from typing import Any

from cnncalc.errors import ValidationSpecError
from cnncalc.i18n import _
from cnncalc.layers.dense import Input
from cnncalc.serialize import json_text, yaml_text
from cnncalc.shown import quote
from cnncalc.spec.model import Node, Spec


def _plain(value: object) -> object:
    """Tuples and the loader's located containers → plain lists and dicts."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def node_entry(node: Node, previous: str | None) -> dict[str, Any]:
    args = {k: _plain(v) for k, v in node.layer.args().items()}
    entry: dict[str, Any] = {"name": node.name, node.kind: args or None}
    if node.inputs != ((previous,) if previous else ()):
        entry["inputs"] = list(node.inputs)
    if node.noqa:
        entry["noqa"] = sorted(node.noqa)
    return entry


def to_document(spec: Spec) -> dict[str, Any]:
    """A plain dict in the spec-file format (the first input becomes `input:`)."""
    first, rest = spec.nodes[0], spec.nodes[1:]
    if not isinstance(first.layer, Input):
        raise ValidationSpecError(_("the spec does not start with an input"))
    document: dict[str, Any] = {}
    for key in ("name", "description", "source"):
        if getattr(spec, key):
            document[key] = getattr(spec, key)
    if spec.lint:
        document["lint"] = _plain(spec.lint)
    document["input"] = "x".join(map(str, first.layer.shape))
    layers, previous = [], first.name
    for node in rest:
        layers.append(node_entry(node, previous))
        previous = node.name
    document["layers"] = layers
    if spec.outputs != (previous,):
        document["outputs"] = list(spec.outputs)
    if first.name != "input":
        raise ValidationSpecError(
            _("the input layer is named {name}; written specs call it 'input'").format(name=quote(first.name))
        )
    return document


def to_yaml(spec: Spec) -> str:
    return yaml_text(to_document(spec))


def to_json(spec: Spec) -> str:
    return json_text(to_document(spec))


def _chain_value(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, tuple):
        if all(isinstance(v, int) for v in value) and len(value) > 1:
            return "x".join(map(str, value))
        return "(" + ", ".join(_chain_value(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, str):
        return value if value.isidentifier() else repr(value)
    return repr(value)


def to_chain(spec: Spec) -> str:
    """INPUT(…) → KIND(key=value, …) → …; only for networks where each layer reads the previous one."""
    parts, previous = [], None
    for node in spec.nodes:
        if node.inputs != ((previous,) if previous else ()):
            raise ValidationSpecError(
                _("layer {name} does not read the layer before it: a branching network has no chain form").format(
                    name=quote(node.name)
                ),
                hint=_("write it as YAML or JSON (--to yaml)"),
            )
        args = ", ".join(f"{k}={_chain_value(v)}" for k, v in node.layer.args().items())
        parts.append(f"{node.kind.upper()}({args})" if args else node.kind.upper())
        previous = node.name
    return " → ".join(parts)
