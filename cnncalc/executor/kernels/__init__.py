"""NumPy kernels, one module per layer family, keyed by the layer registry's kind names."""

from cnncalc.executor.kernels import activation, conv, dense, merge, norm, pool, resample, reshape
from cnncalc.executor.kernels.base import Kernel, kernels

__all__ = ["Kernel", "kernels"]
_FAMILIES = (activation, conv, dense, merge, norm, pool, resample, reshape)
