"""Importers: models from other tools (ONNX files, PyTorch modules) → spec documents.

Each importer returns a plain spec document (the YAML/JSON format), so everything downstream —
validation, shapes, analyses — is the same as for a hand-written spec. Operators an importer does
not understand are listed in one error, never skipped.
"""

from __future__ import annotations

from collections.abc import Mapping

from cnncalc.errors import Location
from cnncalc.spec.located import LocDict


def located(entry: Mapping[str, object], where: Location) -> LocDict:
    """A layer entry that remembers the imported node or layer it came from.

    The spec loader reports a bad value at its entry's location, so a wrong `filters:` in an imported
    model names the model file and the layer (with its line, for JSON) rather than the file alone.
    """
    result = LocDict(where)
    result.update(entry)
    return result
