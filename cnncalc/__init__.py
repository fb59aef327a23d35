"""cnncalc: shapes, parameters, cost and receptive fields of CNNs from a text spec.

The public API is re-exported lazily so that `import cnncalc` (and the CLI) stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = [
    "Network",
    "SpecError",
    "__version__",
    "convolve",
    "keep_size_padding",
    "load",
    "mappings",
    "out_size",
    "pool",
]

if TYPE_CHECKING:
    from cnncalc.analysis.quick import out_size
    from cnncalc.analysis.solve import keep_size_padding, mappings
    from cnncalc.api import Network, load
    from cnncalc.errors import SpecError
    from cnncalc.executor.worked import convolve, pool

_LAZY = {
    "Network": "cnncalc.api",
    "load": "cnncalc.api",
    "SpecError": "cnncalc.errors",
    "out_size": "cnncalc.analysis.quick",
    "keep_size_padding": "cnncalc.analysis.solve",
    "mappings": "cnncalc.analysis.solve",
    "convolve": "cnncalc.executor.worked",  # worked examples import NumPy, only when used
    "pool": "cnncalc.executor.worked",
}


# Functions whose arguments are checked against their annotations when called from here, so a
# wrong type is a SpecError naming the argument (Network's methods and load check their own).
_CHECKED = frozenset({"out_size", "keep_size_padding", "mappings", "convolve", "pool"})


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cnncalc' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    if name in _CHECKED:
        value = importlib.import_module("cnncalc.api_arguments").checked(value)
    globals()[name] = value  # looked up once: the module attribute answers from now on
    return value
