"""The top level of a spec file checked without pydantic, for the common case that it is right.

Returns None for anything it does not accept outright (a missing or unknown key, a value of an
unexpected type), and the loader then asks the pydantic models in `file_models`, which decide and
word the message. It accepts only what pydantic accepts, with the same result
(tests/test_layer_arguments.py checks this with hypothesis).
"""

from collections.abc import Callable, Mapping
from typing import Any, TypeGuard

from cnncalc.spec.model import Block, SpecFile

_SCALARS = (int, float, bool, str, type(None), list)


def _text(value: object) -> bool:
    return value is None or type(value) is str


def _names(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(type(v) is str for v in value)


def _mapping(value: object) -> TypeGuard[dict[str, object]]:
    return isinstance(value, dict) and all(type(k) is str for k in value)


def _params(value: object) -> bool:
    return _mapping(value) and all(type(v) in _SCALARS for v in value.values())


def _layers(value: object) -> bool:
    return isinstance(value, list) and len(value) > 0


def _copy(value: Any) -> Any:
    """pydantic hands back new containers; so does this."""
    return dict(value) if isinstance(value, dict) else list(value) if isinstance(value, list) else value


_BLOCK_KEYS: dict[str, Callable[[object], bool]] = {
    "description": _text,
    "params": _params,
    "inputs": lambda v: _names(v) and len(v) > 0,
    "layers": _layers,
    "output": _text,
}


def _block(value: object) -> Block | None:
    if not _mapping(value) or "layers" not in value or not value.keys() <= _BLOCK_KEYS.keys():
        return None
    if not all(_BLOCK_KEYS[k](v) for k, v in value.items()):
        return None
    return Block(**{k: _copy(v) for k, v in value.items()})


def _blocks(value: object) -> dict[str, Block] | None:
    if not _mapping(value):
        return None
    blocks = {name: _block(block) for name, block in value.items()}
    checked = {name: block for name, block in blocks.items() if block is not None}
    return checked if len(checked) == len(blocks) else None


_TOP_KEYS: dict[str, Callable[[object], bool]] = {
    "name": _text,
    "description": _text,
    "source": _text,
    "params": _params,
    "input": lambda v: v is None or type(v) is str or isinstance(v, list),
    "layers": _layers,
    "blocks": lambda v: True,  # checked by _blocks
    "outputs": lambda v: v is None or _names(v),
    "lint": lambda v: v is None or _mapping(v),
}


def quick_spec_file(document: Mapping[str, object]) -> SpecFile | None:
    """The checked top level, or None when pydantic must decide."""
    if "layers" not in document or not document.keys() <= _TOP_KEYS.keys():
        return None
    if not all(_TOP_KEYS[k](v) for k, v in document.items()):
        return None
    values: dict[str, Any] = {k: _copy(v) for k, v in document.items()}
    if "blocks" in values:
        blocks = _blocks(document["blocks"])
        if blocks is None:
            return None
        values["blocks"] = blocks
    return SpecFile(**values)
