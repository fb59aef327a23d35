"""Sliding windows over the spatial axes, without Python loops over pixels."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

NUMPY_PAD_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def pad_spatial(
    x: np.ndarray, pads: tuple[tuple[int, int], ...], mode: str = "zeros", value: float = 0.0
) -> np.ndarray:
    """Pad the spatial axes of (N, *S, C); negative amounts crop (transposed convolutions)."""
    crop = tuple(slice(max(-b, 0), x.shape[i + 1] - max(-e, 0)) for i, (b, e) in enumerate(pads))
    x = x[(slice(None), *crop, slice(None))]
    widths = [(0, 0), *((max(b, 0), max(e, 0)) for b, e in pads), (0, 0)]
    if not any(b or e for b, e in widths):
        return x
    if mode == "zeros":
        return np.pad(x, widths, mode="constant", constant_values=value)
    return np.pad(x, widths, mode=NUMPY_PAD_MODE[mode])  # type: ignore[call-overload]


def windows(x: np.ndarray, kernel: tuple[int, ...], stride: tuple[int, ...], dilation: tuple[int, ...]) -> np.ndarray:
    """A view (N, *O, C, *K) of every window of a padded (N, *S, C) array."""
    ndim = len(kernel)
    spans = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation, strict=True))
    view = sliding_window_view(x, spans, axis=tuple(range(1, ndim + 1)))
    picks = (slice(None), *(slice(None, None, s) for s in stride), slice(None))
    return view[(*picks, *(slice(None, None, d) for d in dilation))]
