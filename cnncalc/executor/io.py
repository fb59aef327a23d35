"""Reading arrays and weights, writing activations: clear errors, atomic writes, no overwrites."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from cnncalc.errors import SpecError, ValidationSpecError
from cnncalc.output import check_writable, write_atomic

__all__ = ["check_writable", "load_array", "load_weights", "save_activations"]


def load_array(path: Path) -> np.ndarray:
    try:
        return np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise SpecError(f"no such file: {path}") from None
    except (OSError, ValueError) as exc:
        raise ValidationSpecError(f"{path} is not a readable .npy array: {exc}") from None


def load_weights(path: Path) -> dict[str, dict[str, np.ndarray]]:
    """An .npz whose keys are LAYER.PARAM (e.g. stage1.conv_1.weight) → {layer: {param: array}}."""
    try:
        archive = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise SpecError(f"no such file: {path}") from None
    except (OSError, ValueError) as exc:
        raise ValidationSpecError(f"{path} is not a readable .npz archive: {exc}") from None
    weights: dict[str, dict[str, np.ndarray]] = {}
    for key in archive.files:
        layer, sep, param = key.rpartition(".")
        if not sep:
            raise ValidationSpecError(f"weights key {key!r} is not LAYER.PARAM", hint="e.g. conv_1.weight, conv_1.bias")
        weights.setdefault(layer, {})[param] = archive[key]
    return weights


def save_activations(path: Path, activations: Mapping[str, np.ndarray], force: bool) -> None:
    """All activations in one .npz, written atomically."""
    buffer = io.BytesIO()
    np.savez(buffer, **dict(activations))
    write_atomic(path, buffer.getvalue(), force)
