"""Shape arithmetic as small pure functions of integers: the one source of truth.

Summary, lint and explain all read these. Integer division only, never float floor.
"""

from __future__ import annotations

from dataclasses import dataclass


def effective_kernel(kernel: int, dilation: int = 1) -> int:
    """Span of a dilated kernel: F_eff = d(F - 1) + 1."""
    return dilation * (kernel - 1) + 1


def conv_output_size(
    size: int,
    kernel: int,
    stride: int = 1,
    pad_begin: int = 0,
    pad_end: int = 0,
    dilation: int = 1,
    ceil_mode: bool = False,
) -> int:
    """Output length of a convolution or pooling window sweep along one axis.

    D = floor((W + P_begin + P_end - F_eff) / S) + 1, or ceil in ceil mode. In ceil mode the
    last window must start inside the input or the left padding (PyTorch's rule), otherwise it
    is dropped. The result may be zero or negative; callers decide how to report that.
    """
    span = size + pad_begin + pad_end - effective_kernel(kernel, dilation)
    if span < 0:
        return span // stride + 1
    out = (-(-span // stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= size + pad_begin:
        out -= 1
    return out


def dropped_pixels(
    size: int, kernel: int, stride: int = 1, pad_begin: int = 0, pad_end: int = 0, dilation: int = 1
) -> int:
    """Input positions (padding included) that no window reaches: (W + P - F_eff) mod S."""
    span = size + pad_begin + pad_end - effective_kernel(kernel, dilation)
    return span % stride if span >= 0 else 0


def stride_fits(
    size: int, kernel: int, stride: int = 1, pad_begin: int = 0, pad_end: int = 0, dilation: int = 1
) -> bool:
    """True when the windows tile the padded input exactly: (W − F_eff + P) is divisible by S."""
    return dropped_pixels(size, kernel, stride, pad_begin, pad_end, dilation) == 0


def same_padding(size: int, kernel: int, stride: int = 1, dilation: int = 1) -> tuple[int, int]:
    """TensorFlow 'same' padding: output ceil(W/S), extra pixel at the end when the total is odd."""
    out = -(-size // stride)
    total = max((out - 1) * stride + effective_kernel(kernel, dilation) - size, 0)
    return total // 2, total - total // 2


def full_padding(kernel: int, dilation: int = 1) -> tuple[int, int]:
    """'full' padding: every partial overlap of kernel and input produces an output."""
    extra = effective_kernel(kernel, dilation) - 1
    return extra, extra


def transposed_output_size(
    size: int,
    kernel: int,
    stride: int = 1,
    pad_begin: int = 0,
    pad_end: int = 0,
    dilation: int = 1,
    output_padding: int = 0,
) -> int:
    """Output length of a transposed convolution: (W−1)S − P_begin − P_end + d(F−1) + op + 1."""
    return (size - 1) * stride - pad_begin - pad_end + effective_kernel(kernel, dilation) + output_padding


@dataclass(frozen=True)
class OutSize:
    """Result of the quick calculator: the exact quotient and what a layer really produces."""

    size: int
    numerator: int
    stride: int
    dropped: int

    @property
    def exact(self) -> float:
        """(W − F_eff + 2P)/S + 1 before flooring; not an integer when the stride does not fit."""
        return self.numerator / self.stride + 1

    @property
    def fits(self) -> bool:
        return self.dropped == 0


def out_size(W: int, F: int, S: int = 1, P: int = 0, D: int = 1) -> OutSize:
    """Quick calculator of the lecture formula D = (W − F + 2P)/S + 1, with dilation.

    >>> out_size(7, 3, S=3).size, round(out_size(7, 3, S=3).exact, 2), out_size(7, 3, S=3).fits
    (2, 2.33, False)
    >>> out_size(32, 5, P=2).size
    32
    """
    numerator = W - effective_kernel(F, D) + 2 * P
    size = conv_output_size(W, F, S, P, P, D)
    return OutSize(size=size, numerator=numerator, stride=S, dropped=dropped_pixels(W, F, S, P, P, D))


def fitting_paddings(size: int, kernel: int, stride: int, dilation: int = 1, limit: int = 8) -> list[int]:
    """Symmetric paddings P (smallest first, P < F_eff) for which (W − F_eff + 2P) is divisible by S."""
    span = effective_kernel(kernel, dilation)
    return [p for p in range(0, min(span, limit + 1)) if size + 2 * p >= span and (size + 2 * p - span) % stride == 0]


def fitting_strides(size: int, kernel: int, pad_total: int = 0, dilation: int = 1, limit: int = 8) -> list[int]:
    """Strides S ≤ limit that tile W + P exactly with the dilated kernel."""
    span_left = size + pad_total - effective_kernel(kernel, dilation)
    if span_left < 0:
        return []
    return [s for s in range(1, limit + 1) if span_left % s == 0]
