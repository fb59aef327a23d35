"""Reading arrays and weights, writing activations: clear errors, atomic writes, no overwrites."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from cnncalc.errors import SpecError, ValidationSpecError


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


def check_writable(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise SpecError(f"{path} exists", hint="pass --force to overwrite it")
    if not path.parent.exists():
        raise SpecError(f"folder {path.parent} does not exist")


def save_activations(path: Path, activations: Mapping[str, np.ndarray], force: bool) -> None:
    """Write atomically: a temporary file in the same folder, then a rename."""
    check_writable(path, force)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".npz")
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez(stream, **dict(activations))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
