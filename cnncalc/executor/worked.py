"""Worked examples for teaching: a convolution or pooling of small matrices, cell by cell.

Arrays are channels-last: a matrix is (H, W) or (H, W, C); a single row is a 1-D signal.
Cross-correlation by default (what CNN layers compute); `flip` gives the true convolution.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike

from cnncalc.display import Displayed
from cnncalc.errors import ValidationSpecError
from cnncalc.executor.kernels.windows import pad_spatial, windows
from cnncalc.formulas import conv_output_size, effective_kernel, full_padding, same_padding
from cnncalc.i18n import N_, _, ngettext, written
from cnncalc.i18n import number as i18n_number

POOL_TYPES = ("max", "avg", "lp")
MAX_WORKED_CELLS = 100  # working written out for this many outputs; a page of it is enough to teach
MAX_MATRIX_CHARS = 1_000_000  # worked examples are hand-sized: larger inputs are a mistake
_SMALL_HINT = N_("worked examples are for small matrices; use `cnncalc run` for real inputs")


def parse_matrix(text: str, what: str, language: str = "en") -> np.ndarray:
    """Inline 'a b c; d e f' (rows by ';', channels by '|'), or a .csv / .npy file; numbers written
    as `language` writes them (cnncalc.notation: 0,25 is a quarter in Spanish, ambiguous in English)."""
    if text.endswith(".npy"):
        from cnncalc.executor.io import load_array

        return np.asarray(
            load_array(Path(text), MAX_MATRIX_CHARS, what.removeprefix("the "), _(_SMALL_HINT)), dtype=np.float64
        )
    if text.endswith(".csv"):
        from cnncalc.reading import read_text_limited

        text = read_text_limited(
            Path(text), MAX_MATRIX_CHARS, what=f"{what.removeprefix('the ')} (.csv)", hint=_(_SMALL_HINT)
        )
        text = _csv_rows(text, language)
    if len(text) > MAX_MATRIX_CHARS:
        raise ValidationSpecError(
            _("{what} has {count} characters, over the limit of {limit} for a worked example").format(
                what=what, count=i18n_number(len(text)), limit=i18n_number(MAX_MATRIX_CHARS)
            ),
            hint=_(_SMALL_HINT),
        )
    channels = [_parse_rows(part, what, language) for part in text.split("|")]
    if len({c.shape for c in channels}) > 1:
        raise ValidationSpecError(_("the channels of {what} have different shapes").format(what=what))
    return channels[0] if len(channels) == 1 else np.stack(channels, axis=-1)


def _csv_rows(text: str, language: str) -> str:
    """A CSV's fields as an inline matrix: commas delimit fields, or semicolons in a Spanish CSV that
    has them (spreadsheets in decimal-comma languages write 0,25;0,75)."""
    delimiter = ";" if language.startswith("es") and ";" in text else ","
    return ";".join(" ".join(line.split(delimiter)) for line in text.strip().splitlines())


def _parse_rows(text: str, what: str, language: str) -> np.ndarray:
    from cnncalc.notation import read_matrix

    rows = read_matrix(text, language, what)
    if not rows:
        hint = _("write rows separated by ';', e.g. {example}").format(example="'1 0; 0 2'")
        raise ValidationSpecError(_("{what} is empty").format(what=what), hint=hint)
    if len({len(r) for r in rows}) > 1:
        lengths = ", ".join(str(len(r)) for r in rows)
        raise ValidationSpecError(
            _("the rows of {what} have different lengths ({lengths})").format(what=what, lengths=lengths)
        )
    try:
        return np.array([[float(v) for v in row] for row in rows], dtype=np.float64)
    except OverflowError:
        message = _("{what} holds a number too large for a float (beyond {limit})").format(what=what, limit="±1.8e308")
        raise ValidationSpecError(message) from None


def _as_volume(array: ArrayLike, what: str) -> np.ndarray:
    """(H, W) → (H, W, 1); (1, W) stays a 2-D array of one row; (H, W, C) as is. Lists are welcome."""
    try:
        array = np.asarray(array)
    except ValueError:
        raise ValidationSpecError(_("{what} has rows of different lengths").format(what=what)) from None
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_):
        raise ValidationSpecError(
            _("{what} must hold numbers, not {dtype} values").format(what=what, dtype=array.dtype)
        )
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim == 2:
        return array[..., None]
    if array.ndim == 3:
        return array
    message = _("{what} must be 1-D, 2-D or 2-D with channels (H, W, C), not {ndim}-D")
    raise ValidationSpecError(message.format(what=what, ndim=array.ndim))


@dataclass(frozen=True)
class Geometry:
    """Kernel size, stride, dilation and resolved (begin, end) padding per axis (H, W)."""

    kernel: tuple[int, int]
    stride: tuple[int, int]
    dilation: tuple[int, int]
    pads: tuple[tuple[int, int], ...]  # (begin, end) per axis, as pad_spatial takes them


def resolve(size: tuple[int, int], kernel: tuple[int, int], stride: int, dilation: int, padding: str) -> Geometry:
    one_d = size[0] == 1 and kernel[0] == 1
    strides = (1 if one_d else stride, stride)
    dilations = (1 if one_d else dilation, dilation)
    pads: tuple[tuple[int, int], ...]
    if padding == "valid":
        pads = ((0, 0), (0, 0))
    elif padding == "same":
        pads = tuple(same_padding(w, k, s, d) for w, k, s, d in zip(size, kernel, strides, dilations, strict=True))
    elif padding == "full":
        pads = tuple(full_padding(k, d) for k, d in zip(kernel, dilations, strict=True))
    else:
        values = _padding_numbers(padding)
        pads = tuple((p, p) for p in ((0, values[-1]) if one_d else (values[0], values[-1])))
    return Geometry(kernel, strides, dilations, pads)


def _padding_numbers(padding: str, choices: str = "valid, same, full") -> tuple[int, ...]:
    try:
        values = tuple(int(p) for p in padding.lower().replace("x", ",").split(","))
    except ValueError:
        values = ()
    if not values or len(values) > 2 or min(values) < 0:
        hint = _("use {choices}, a number P, or PxQ per axis").format(choices=choices)
        raise ValidationSpecError(_("padding {padding!r} is not valid").format(padding=padding), hint=hint)
    return values


@dataclass(frozen=True)
class Cell:
    """One output value with its working: the terms that were combined and how."""

    index: tuple[int, ...]
    text: str
    value: float


@dataclass(frozen=True)
class Worked(Displayed):
    """A worked convolution or pooling: the output, its parameters, the cells' working, gradients."""

    output: np.ndarray
    parameters: dict[str, object]
    cells: tuple[Cell, ...] = ()
    grad_input: np.ndarray | None = None
    grad_kernel: np.ndarray | None = None
    notes: tuple[str, ...] = field(default=())
    grad_bias: float | None = None  # dL/db of a convolution: the upstream gradient summed
    grad_input_cells: tuple[Cell, ...] = ()  # with explain: each dL/dx term by term
    grad_kernel_cells: tuple[Cell, ...] = ()  # with explain: each dL/dw term by term
    matrix: np.ndarray | None = None  # with as_matrix: the weights T with output = T · input, both flattened

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"output": _listed(self.output), "parameters": self.parameters}
        if self.notes:
            data["notes"] = list(self.notes)
        if self.cells:
            data["cells"] = _cells_dict(self.cells)
        if self.grad_input is not None:
            data["grad_input"] = _listed(self.grad_input)
        if self.grad_kernel is not None:
            data["grad_kernel"] = _listed(self.grad_kernel)
        if self.grad_bias is not None:
            data["grad_bias"] = _finite_or_named(self.grad_bias)
        for key, cells in (("grad_input_cells", self.grad_input_cells), ("grad_kernel_cells", self.grad_kernel_cells)):
            if cells:
                data[key] = _cells_dict(cells)
        if self.matrix is not None:
            data["matrix"] = _listed(self.matrix)
        return data


def _cells_dict(cells: tuple[Cell, ...]) -> list[dict[str, object]]:
    return [{"index": list(c.index), "working": c.text, "value": _finite_or_named(c.value)} for c in cells]


def _listed(array: np.ndarray) -> list:
    if array.ndim == 1:
        return [_finite_or_named(_clean(v)) for v in array.tolist()]
    return [_listed(row) for row in array]


def _finite_or_named(value: float) -> float | str:
    """JSON has no NaN or infinities (LP pooling of a negative sum, a max over padding only): they
    are written as the strings "NaN", "Infinity" and "-Infinity", as protobuf's JSON mapping does."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def _clean(value: float) -> int | float:
    rounded = round(value, 10)
    return int(rounded) if float(rounded).is_integer() else rounded


def number(value: float) -> str:
    """0.25 or 0,25: as the reader's language writes a decimal (cnncalc.i18n.written)."""
    cleaned = _clean(float(value))
    return written(str(cleaned) if isinstance(cleaned, int) else f"{cleaned:.6g}")


def _squeeze(out: np.ndarray, one_d: bool) -> np.ndarray:
    return out[0] if one_d else out


def _matrix(volume: np.ndarray, one_d: bool) -> np.ndarray:
    """A per-channel result as the user gave the input: no channel axis for one channel, one row for 1-D."""
    return _squeeze(volume[..., 0] if volume.shape[-1] == 1 else volume, one_d)


def convolve(
    x: ArrayLike,
    k: ArrayLike,
    *,
    stride: int = 1,
    padding: str = "valid",
    dilation: int = 1,
    flip: bool = False,
    padding_mode: str = "zeros",
    explain: bool = False,
    upstream: ArrayLike | None = None,
    as_matrix: bool = False,
) -> Worked:
    """Cross-correlation (or convolution with `flip`) of a matrix with a kernel, summed over channels.

    With `as_matrix`, also the matrix T of the same linear map: output = T · input, both flattened
    row by row (channels innermost), as a fully connected layer with shared and zero weights.

    >>> import numpy as np
    >>> result = convolve(np.array([[0, 10], [20, 30]]), np.array([[1, 0], [0, -1]]), explain=True)
    >>> result.cells[0].text
    'out[0,0] = 1*0 + 0*10 + 0*20 + -1*30 = -30'
    """
    volume, kern = _as_volume(x, _("the input")), _as_volume(k, _("the kernel"))
    if volume.shape[-1] != kern.shape[-1]:
        message = ngettext(
            "the input has {count} channel but the kernel {kernel}",
            "the input has {count} channels but the kernel {kernel}",
            volume.shape[-1],
        )
        raise ValidationSpecError(message.format(count=volume.shape[-1], kernel=kern.shape[-1]))
    if flip:
        kern = kern[::-1, ::-1]
    geo = resolve(volume.shape[:2], kern.shape[:2], stride, dilation, padding)
    _check_fits(volume.shape[:2], geo)
    weights = np.moveaxis(kern, -1, 0)  # (C, kh, kw)
    padded, cols, out = _correlate(volume, weights, geo, padding_mode)
    one_d = volume.shape[0] == 1 and kern.shape[0] == 1
    params = _parameters(volume, kern, geo, padding, padding_mode, flip=flip)
    cells = _conv_cells(cols, weights, out, one_d) if explain else ()
    matrix = _linear_map(volume.shape, weights, geo, padding_mode, out.size) if as_matrix else None
    notes = (*_misfits(volume.shape[:2], geo, one_d), *_elided(out.size, explain))
    result = Worked(_squeeze(out, one_d), params, cells, notes=notes, matrix=matrix)
    if upstream is None:
        return result
    gradients = _with_gradients(result, volume, padded, cols, weights, geo, upstream, one_d, flip, padding_mode)
    if not explain:
        return gradients
    grad = _upstream(upstream, cols.shape[:2])
    input_cells, kernel_cells = _conv_grad_cells(volume, weights, grad, geo, one_d, flip)
    return replace(gradients, grad_input_cells=input_cells, grad_kernel_cells=kernel_cells)


def _correlate(volume: np.ndarray, weights: np.ndarray, geo: Geometry, mode: str) -> tuple[np.ndarray, ...]:
    """The padded input, its windows (Ho, Wo, C, kh, kw) and the output (Ho, Wo)."""
    padded = pad_spatial(volume[None], geo.pads, mode)[0]
    cols = windows(padded[None], geo.kernel, geo.stride, geo.dilation)[0]
    return padded, cols, np.tensordot(cols, weights, axes=([2, 3, 4], [0, 1, 2]))


MAX_MATRIX_ENTRIES = 10_000  # a matrix to read: 100 outputs × 100 inputs is already a wall of numbers


def _linear_map(shape: tuple[int, ...], weights: np.ndarray, geo: Geometry, mode: str, outputs: int) -> np.ndarray:
    """T with out = T · x: column k is the output for the k-th unit input. Every padding mode is
    linear (zeros, reflect, replicate, circular copy or drop inputs), so the columns are the map."""
    inputs = math.prod(shape)
    if inputs * outputs > MAX_MATRIX_ENTRIES:
        raise ValidationSpecError(
            _("the matrix would be {rows} × {columns}, over {limit} entries to show").format(
                rows=i18n_number(outputs), columns=i18n_number(inputs), limit=i18n_number(MAX_MATRIX_ENTRIES)
            ),
            hint=_("use a smaller input for --as-matrix"),
        )
    units = np.eye(inputs).reshape(inputs, *shape)
    return np.stack([_correlate(unit, weights, geo, mode)[2].ravel() for unit in units], axis=1)


def _misfits(size: tuple[int, int], geo: Geometry, one_d: bool) -> tuple[str, ...]:
    """The stride-does-not-fit lesson for each axis it applies to, as a layer's working says it."""
    from cnncalc.layers.window import AxisWindow

    axes = zip("HW", size, geo.kernel, geo.stride, geo.dilation, geo.pads, strict=True)
    texts = (AxisWindow(w, k, s, d, b, e).misfit(axis) for axis, w, k, s, d, (b, e) in axes)
    return tuple(text for axis, text in zip("HW", texts, strict=True) if text and not (one_d and axis == "H"))


def _check_fits(size: tuple[int, int], geo: Geometry) -> None:
    for axis, (w, k, s, (b, e), d) in enumerate(zip(size, geo.kernel, geo.stride, geo.pads, geo.dilation, strict=True)):
        if conv_output_size(w, k, s, b, e, d) < 1:
            raise ValidationSpecError(
                (
                    _("the kernel (span {span}) is larger than the padded input ({size}) along rows")
                    if axis == 0
                    else _("the kernel (span {span}) is larger than the padded input ({size}) along columns")
                ).format(span=effective_kernel(k, d), size=w + b + e),
                hint=_("use padding 'full' or 'same', or a smaller kernel"),
            )


def _parameters(volume, kern, geo: Geometry, padding: str, mode: str, **extra) -> dict[str, object]:
    return {
        "input_shape": list(volume.shape),
        "kernel_shape": list(kern.shape),
        "stride": list(geo.stride),
        "dilation": list(geo.dilation),
        "padding": padding,
        "pads": [list(p) for p in geo.pads],
        "padding_mode": mode,
        **extra,
    }


def _index(i: int, j: int, one_d: bool) -> tuple[int, ...]:
    return (j,) if one_d else (i, j)


def _conv_cells(cols: np.ndarray, weights: np.ndarray, out: np.ndarray, one_d: bool) -> tuple[Cell, ...]:
    """Each output's products and sum; with several channels, one bracket per channel (the dot
    product over a K×K×C volume, channel by channel, as the lecture writes it), then their sum."""
    cells = []
    for i, j in itertools.islice(np.ndindex(out.shape), MAX_WORKED_CELLS):
        per_channel = [_products(weights[c], cols[i, j][c]) for c in range(weights.shape[0])]
        if len(per_channel) == 1:
            working = per_channel[0]
        else:
            sums = " + ".join(number(float((weights[c] * cols[i, j][c]).sum())) for c in range(weights.shape[0]))
            working = " + ".join(f"({terms})" for terms in per_channel) + f" = {sums}"
        index = _index(i, j, one_d)
        name = "out[" + ",".join(map(str, index)) + "]"
        cells.append(Cell(index, f"{name} = {working} = {number(float(out[i, j]))}", float(out[i, j])))
    return tuple(cells)


def _products(kernel: np.ndarray, window: np.ndarray) -> str:
    return " + ".join(f"{number(w)}*{number(v)}" for w, v in zip(kernel.ravel(), window.ravel(), strict=True))


def _with_gradients(
    result: Worked, volume, padded, cols, weights, geo: Geometry, upstream, one_d, flip, mode
) -> Worked:
    """dL/dx scatters G·w back over each window (the 'full' convolution with the flipped kernel for
    stride 1); dL/dw correlates the input with G. Zero padding only: other modes fold gradients."""
    if mode != "zeros":
        raise ValidationSpecError(_("--grad supports zero padding only"), hint=_("drop --padding-mode"))
    grad = _upstream(upstream, cols.shape[:2])
    grad_kernel = np.tensordot(grad, cols, axes=([0, 1], [0, 1]))  # (C, kh, kw)
    grad_padded = np.zeros(padded.shape)
    kh, kw = geo.kernel
    for u in range(kh):
        for v in range(kw):
            rows = slice(u * geo.dilation[0], u * geo.dilation[0] + geo.stride[0] * grad.shape[0], geo.stride[0])
            columns = slice(v * geo.dilation[1], v * geo.dilation[1] + geo.stride[1] * grad.shape[1], geo.stride[1])
            grad_padded[rows, columns, :] += grad[..., None] * weights[:, u, v]
    (top, _bottom), (left, _right) = geo.pads
    grad_input = grad_padded[top : top + volume.shape[0], left : left + volume.shape[1]]
    grad_kernel = np.moveaxis(grad_kernel, 0, -1)  # (kh, kw, C)
    if flip:
        grad_kernel = grad_kernel[::-1, ::-1]
    # dL/db: the bias is added to every output, so its gradient is the sum of the upstream gradient
    bias = float(grad.sum())
    gi, gk = _matrix(grad_input, one_d), _matrix(grad_kernel, one_d)
    return replace(result, grad_input=gi, grad_kernel=gk, grad_bias=bias)


def _conv_grad_cells(
    volume: np.ndarray, weights: np.ndarray, grad: np.ndarray, geo: Geometry, one_d: bool, flip: bool
) -> tuple[tuple[Cell, ...], tuple[Cell, ...]]:
    """The backpropagation by hand: input x[i] feeds output o through kernel tap w[t], so
    dL/dx[i] = Σ G[o]·w[t] over the windows that hold it, and dL/dw[t] = Σ G[o]·x[i] over the outputs.
    A tap that lands on zero padding adds nothing to either."""
    (top, _bottom), (left, _right) = geo.pads
    height, width, channels = volume.shape
    kh, kw = geo.kernel
    to_input: dict[tuple[int, ...], list[tuple[tuple[int, int], tuple[int, ...]]]] = defaultdict(list)
    to_kernel: dict[tuple[int, ...], list[tuple[tuple[int, int], tuple[int, ...]]]] = defaultdict(list)
    for o in np.ndindex(*grad.shape[:2]):
        for u, v, c in np.ndindex(kh, kw, channels):
            i = o[0] * geo.stride[0] + u * geo.dilation[0] - top
            j = o[1] * geo.stride[1] + v * geo.dilation[1] - left
            if 0 <= i < height and 0 <= j < width:
                tap = (kh - 1 - u, kw - 1 - v, c) if flip else (u, v, c)  # as the user wrote the kernel
                to_input[(i, j, c)].append((o, tap))
                to_kernel[tap].append((o, (i, j, c)))

    def tap_value(tap: tuple[int, ...]) -> float:
        u, v, c = tap
        return float(weights[c, kh - 1 - u, kw - 1 - v] if flip else weights[c, u, v])

    def shown(index: tuple[int, ...], channel: int | None = None) -> tuple[int, ...]:
        """x[i,j] as the user indexes it: no row for a 1-D signal, a channel only when there are several."""
        return (*(index[1:] if one_d else index), *(() if channel is None or channels == 1 else (channel,)))

    def name(symbol: str, index: tuple[int, ...], channel: int | None = None) -> str:
        return f"{symbol}[{','.join(map(str, shown(index, channel)))}]"

    def cell(of: str, index: tuple[int, ...], terms: list, symbol: str, value_of) -> Cell:
        target, position = f"dL/d{name(of, index[:2], index[2])}", shown(index[:2], index[2])
        if not terms:
            return Cell(position, f"{target} = 0 (no output window reads it)", 0.0)
        total = sum(float(grad[o]) * value_of(other) for o, other in terms)
        symbols = " + ".join(f"{name('G', o)}*{name(symbol, other[:2], other[2])}" for o, other in terms)
        numbers = " + ".join(f"{number(float(grad[o]))}*{number(value_of(other))}" for o, other in terms)
        return Cell(position, f"{target} = {symbols} = {numbers} = {number(total)}", total)

    def x_value(index: tuple[int, ...]) -> float:
        return float(volume[index])

    input_cells = tuple(
        cell("x", index, to_input[index], "w", tap_value)
        for index in itertools.islice(np.ndindex(height, width, channels), MAX_WORKED_CELLS)
    )
    kernel_cells = tuple(
        cell("w", index, to_kernel[index], "x", x_value)
        for index in itertools.islice(np.ndindex(kh, kw, channels), MAX_WORKED_CELLS)
    )
    return input_cells, kernel_cells


def _upstream(upstream: ArrayLike, shape: tuple[int, ...]) -> np.ndarray:
    """dL/dout as a (Ho, Wo) or (Ho, Wo, C) array matching the output."""
    grad = np.asarray(upstream, dtype=np.float64)
    grad = grad[None, :] if grad.ndim == 1 else grad
    if grad.shape != shape and grad.shape != shape[:2]:
        raise ValidationSpecError(
            _("the upstream gradient has shape {shape}, but the output is {output}").format(
                shape=grad.shape, output=shape[:2]
            ),
            hint=_("give one gradient value per output cell"),
        )
    return grad


def pool(
    x: ArrayLike,
    kernel: int | tuple[int, int],
    *,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
    kind: str = "max",
    power: float = 2.0,
    explain: bool = False,
    upstream: ArrayLike | None = None,
) -> Worked:
    """Max, average or LP pooling of a matrix (each channel separately); with `upstream`, dL/dx too.

    >>> import numpy as np
    >>> pool(np.array([[1, 3, 2, 4], [5, 6, 1, 2], [7, 2, 3, 0], [1, 2, 8, 1]]), (2, 2)).output.tolist()
    [[6, 4], [7, 8]]
    """
    if kind not in POOL_TYPES:
        hint = _("use {names}").format(names=", ".join(POOL_TYPES))
        raise ValidationSpecError(_("unknown pooling {kind!r}").format(kind=kind), hint=hint)
    if kind == "lp" and not 0 < power < math.inf:  # x^∞ overflows, and the root 1/∞ makes every output 1
        hint = (
            _("p = ∞ is max pooling: {option}").format(option="--type max")
            if power == math.inf
            else _("p = 2 is the usual")
        )
        message = _("LP pooling needs a power p > 0 that is finite, not {power}").format(power=number(power))
        raise ValidationSpecError(message, hint=hint)
    volume = _as_volume(x, _("the input"))
    one_d = volume.shape[0] == 1
    kernel = (kernel, kernel) if isinstance(kernel, int) else kernel
    kernel = (1, kernel[1]) if one_d else kernel
    strides = (stride, stride) if isinstance(stride, int) else stride or kernel
    geo = Geometry(kernel, (1, strides[1]) if one_d else strides, (1, 1), ((0, 0), (0, 0)))
    if padding != "valid":
        values = _padding_numbers(padding, "valid")
        geo = Geometry(
            geo.kernel,
            geo.stride,
            (1, 1),
            tuple((p, p) for p in ((0, values[-1]) if one_d else (values[0], values[-1]))),
        )
    _check_fits(volume.shape[:2], geo)
    fill = -np.inf if kind == "max" else 0.0
    cols = windows(pad_spatial(volume[None], geo.pads, value=fill), geo.kernel, geo.stride, (1, 1))[0]
    flat = cols.reshape(*cols.shape[:3], -1)  # (Ho, Wo, C, taps)
    if kind == "max":
        out = flat.max(axis=-1)
    elif kind == "avg":
        out = flat.mean(axis=-1)
    else:
        with np.errstate(invalid="ignore"):  # a negative sum has no real root: NaN, as in PyTorch
            out = np.power(np.power(flat, power).sum(axis=-1), 1.0 / power)
    params = _parameters(volume, np.zeros((*geo.kernel, 1)), geo, padding, "zeros", type=kind)
    if kind == "lp":
        params["power"] = power
    cells = _pool_cells(flat, out, kind, power, one_d) if explain else ()
    notes = (*_misfits(volume.shape[:2], geo, one_d), *_elided(out.size, explain))
    result = Worked(_matrix(out, one_d), params, cells, notes=notes)
    if upstream is None:
        return result
    grad = _upstream(upstream, out.shape[:2])
    grad = np.broadcast_to(grad[..., None] if grad.ndim == 2 else grad, out.shape)
    grad_volume = _pool_backward(volume, flat, out, grad, geo, kind, power)
    shares = _pool_grad_cells(grad_volume, flat, out, grad, geo, kind, power, one_d) if explain else ()
    return replace(result, grad_input=_matrix(grad_volume, one_d), grad_input_cells=shares)


def _pool_backward(volume, flat, out, grad, geo: Geometry, kind: str, power: float) -> np.ndarray:
    """dL/dx of pooling, window by window: max sends each upstream value to its window's (first)
    largest input, as PyTorch does; average shares it equally among the K cells; LP pooling gives
    cell x its share G·(x/out)^(p−1)."""
    (top, bottom), (left, right) = geo.pads
    padded = np.zeros((volume.shape[0] + top + bottom, volume.shape[1] + left + right, volume.shape[2]))
    kh, kw = geo.kernel
    for i, j, c in np.ndindex(*out.shape):
        window = flat[i, j, c]
        if kind == "max":
            share = np.zeros(window.shape)
            share[int(np.argmax(window))] = 1.0
        elif kind == "avg":
            share = np.full(window.shape, 1.0 / window.size)
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                share = np.nan_to_num(np.power(window / out[i, j, c], power - 1))
        rows = slice(i * geo.stride[0], i * geo.stride[0] + kh)
        columns = slice(j * geo.stride[1], j * geo.stride[1] + kw)
        padded[rows, columns, c] += grad[i, j, c] * share.reshape(kh, kw)
    return padded[top : top + volume.shape[0], left : left + volume.shape[1]]


def _pool_grad_cells(grad_volume, flat, out, grad, geo: Geometry, kind: str, power: float, one_d: bool):
    """dL/dx[i] term by term: each window o that holds x[i] sends back G[o] times x[i]'s share of
    its output: 1 for the window's (first) max and 0 for the rest, 1/K for average, (x/out)^(p−1) for LP."""
    top, left = geo.pads[0][0], geo.pads[1][0]
    kw = geo.kernel[1]
    height, width, channels = grad_volume.shape
    terms: dict[tuple[int, ...], list[tuple[str, str]]] = defaultdict(list)  # (symbols, numbers) per term
    for i, j, c in np.ndindex(*out.shape):
        window, g = flat[i, j, c], number(float(grad[i, j, c]))
        symbol = f"G[{','.join(map(str, _index(i, j, one_d) + ((c,) if channels > 1 else ())))}]"
        for tap, value in enumerate(window):
            index = (i * geo.stride[0] + tap // kw - top, j * geo.stride[1] + tap % kw - left, c)
            if not (0 <= index[0] < height and 0 <= index[1] < width):
                continue  # a tap on the padding
            if kind == "avg":
                terms[index].append((f"{symbol}/{window.size}", f"{g}/{window.size}"))
            elif kind == "lp":
                share = f"({number(value)}/{number(out[i, j, c])})^{number(power - 1)}"
                terms[index].append((f"{symbol}*{share}", f"{g}*{share}"))
            elif tap == int(np.argmax(window)):
                terms[index].append((_("{symbol} (the max of its window)").format(symbol=symbol), g))
    lacking = _("not the max of any window") if kind == "max" else _("no window holds it")
    cells = []
    for index in itertools.islice(np.ndindex(height, width, channels), MAX_WORKED_CELLS):
        shown = _index(*index[:2], one_d) + ((index[2],) if channels > 1 else ())
        target, value = f"dL/dx[{','.join(map(str, shown))}]", float(grad_volume[index])
        if terms[index]:
            symbols, numbers = (" + ".join(part) for part in zip(*terms[index], strict=True))
            result = "" if numbers == number(value) else f" = {number(value)}"  # a lone max: G itself
            cells.append(Cell(shown, f"{target} = {symbols} = {numbers}{result}", value))
        else:
            cells.append(Cell(shown, f"{target} = 0 ({lacking})", value))
    return tuple(cells)


def _elided(outputs: int, explain: bool) -> tuple[str, ...]:
    if not explain or outputs <= MAX_WORKED_CELLS:
        return ()
    return (f"working shown for the first {MAX_WORKED_CELLS} of {outputs:,} outputs",)


def _pool_cells(flat: np.ndarray, out: np.ndarray, kind: str, power: float, one_d: bool) -> tuple[Cell, ...]:
    cells = []
    for i, j, c in itertools.islice(np.ndindex(out.shape), MAX_WORKED_CELLS):
        values = [number(v) for v in flat[i, j, c]]
        if kind == "max":
            working = f"max({', '.join(values)})"
        elif kind == "avg":
            working = f"({' + '.join(values)})/{len(values)}"
        else:
            working = f"({' + '.join(f'{v}^{number(power)}' for v in values)})^(1/{number(power)})"
        index = _index(i, j, one_d) + ((c,) if out.shape[-1] > 1 else ())
        name = "out[" + ",".join(map(str, index)) + "]"
        cells.append(Cell(index, f"{name} = {working} = {number(float(out[i, j, c]))}", float(out[i, j, c])))
    return tuple(cells)


__all__ = ["Worked", "convolve", "parse_matrix", "pool"]
