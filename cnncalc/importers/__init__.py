"""Importers: models from other tools (ONNX files, PyTorch modules) → spec documents.

Each importer returns a plain spec document (the YAML/JSON format), so everything downstream —
validation, shapes, analyses — is the same as for a hand-written spec. Operators an importer does
not understand are listed in one error, never skipped.

`IMPORTERS` declares them all; `spec/load.py` walks it. Adding an importer is one entry here plus
its module, which is imported only when a source is handed to it (start-up stays light).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from cnncalc.errors import Location
from cnncalc.spec.located import LocDict

# Keys a "file" importer may add to its document: how many batch norms the exporter folded into
# convolutions, how many all-zero biases it removed. The loader takes them out before validation (a spec
# file cannot set them) and keeps them on the Spec, in the fields of the same names.
FOLDED_BATCH_NORMS = "folded_batch_norms"
REMOVED_ZERO_BIASES = "removed_zero_biases"
EXPORTER_COUNTS = (FOLDED_BATCH_NORMS, REMOVED_ZERO_BIASES)

# Where in loading an importer takes over, and so how its reader is called:
#   "object":   reader(obj, input_shape, label) -> (document, checks); the importer applies --input itself
#   "file":     reader(path, limits, input_given=bool) -> (document, checks); before any text is read
#   "document": reader(document, file, input_shape=tuple|None) -> document; after a YAML/JSON file is
#               parsed (input_shape is --input: a Keras model without one takes its rank from it)
Stage = Literal["object", "file", "document"]


@dataclass(frozen=True)
class Importer:
    """One importer: the sources it claims (by file suffix, or by a cheap look that imports nothing)
    and the `module:function` that reads them."""

    name: str
    stage: Stage
    reader: str
    suffixes: tuple[str, ...] = ()
    sniff: Callable[[object], bool] | None = None

    def claims(self, subject: object, suffix: str = "") -> bool:
        return suffix in self.suffixes or (self.sniff is not None and self.sniff(subject))

    def read_function(self) -> Callable[..., Any]:
        module, _, function = self.reader.partition(":")
        return getattr(importlib.import_module(module), function)  # type: ignore[no-any-return]


def _torch_module(subject: object) -> bool:
    """An nn.Module, recognised without importing torch."""
    return hasattr(subject, "named_modules") and hasattr(subject, "forward")


def _keras_model_json(document: object) -> bool:
    """What Keras's model.to_json() writes; a spec file has neither key."""
    return isinstance(document, Mapping) and "class_name" in document and "config" in document


IMPORTERS: tuple[Importer, ...] = (
    Importer("torch.fx", "object", "cnncalc.importers.torch_fx:read_module", sniff=_torch_module),
    Importer("ONNX", "file", "cnncalc.importers.onnx_model:read_onnx", suffixes=(".onnx",)),
    Importer("Keras JSON", "document", "cnncalc.importers.keras_json:read_keras", sniff=_keras_model_json),
)


def importer_for(stage: Stage, subject: object, suffix: str = "") -> Importer | None:
    """The first declared importer of `stage` that claims `subject`, if any. The registry is read
    at each call so that a test can stand a throwaway importer in for it."""
    return next((i for i in IMPORTERS if i.stage == stage and i.claims(subject, suffix)), None)


def located(entry: Mapping[str, object], where: Location) -> LocDict:
    """A layer entry that remembers the imported node or layer it came from.

    The spec loader reports a bad value at its entry's location, so a wrong `filters:` in an imported
    model names the model file and the layer (with its line, for JSON) rather than the file alone.
    """
    result = LocDict(where)
    result.update(entry)
    return result
