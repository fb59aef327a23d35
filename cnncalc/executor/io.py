"""Reading arrays and weights, writing activations: clear errors, bounded reads, atomic writes.

An .npy or .npz file says how large its arrays are before it holds them: the .npy header gives
dtype and shape, the zip directory each member's uncompressed size. Both are checked against the
limits (and against what the file can really hold) before a byte of array data is allocated, so a
3 MB zip bomb is refused, not decompressed; arrays of Python objects (pickles) are never loaded.
"""

from __future__ import annotations

import io
import math
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from cnncalc.errors import LimitError, ValidationSpecError
from cnncalc.i18n import N_, _, number
from cnncalc.limits import DEFAULT_LIMITS
from cnncalc.output import check_writable, write_atomic
from cnncalc.reading import open_limited

if TYPE_CHECKING:
    from cnncalc.graph import Graph

__all__ = ["check_writable", "load_array", "load_weights", "read_npy", "save_activations", "weight_shapes"]

_NUMERIC_KINDS = "biufc"  # bool, signed and unsigned integers, floats, complex
_LIMIT_HINT = N_("raise {variable} if the file is really this large")


def load_array(path: Path, limit: int = DEFAULT_LIMITS.max_data_bytes, what: str = "", hint: str = "") -> np.ndarray:
    """The array in an .npy file, its header checked against the file's size and `limit` first."""
    what = what or _("input array")
    hint = hint or _(_LIMIT_HINT).format(variable="CNNCALC_MAX_DATA_BYTES")
    with open_limited(path, limit, what=f"{what} (.npy)", hint=hint) as stream:
        size = _file_size(stream)
        return read_npy(stream, size, limit, str(path))


def load_weights(
    path: Path, limit: int = DEFAULT_LIMITS.max_weights_bytes, expected: Mapping[str, tuple[int, ...]] | None = None
) -> dict[str, dict[str, np.ndarray]]:
    """An .npz whose keys are LAYER.PARAM (e.g. stage1.conv_1.weight) → {layer: {param: array}}.

    With `expected` (LAYER.PARAM → shape, see `weight_shapes`), only members of an expected
    shape are decompressed; any other is given as a stand-in of its declared shape that holds no
    data, so `check_weights` refuses it with its usual message and a zip bomb costs nothing.
    """
    hint = _(_LIMIT_HINT).format(variable="CNNCALC_MAX_WEIGHTS_BYTES")
    name = str(path)
    with open_limited(path, limit, what=_("weights file (.npz)"), hint=hint) as stream:
        try:
            archive = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise ValidationSpecError(
                _("{file} is not a readable .npz archive: {why}").format(file=name, why=exc)
            ) from None
        with archive:
            members = _npy_members(archive, name)
            _check_declared_sizes(members, limit, name, hint)
            weights: dict[str, dict[str, np.ndarray]] = {}
            for info in members:
                key = info.filename.removesuffix(".npy")
                layer, sep, param = key.rpartition(".")
                if not sep:
                    raise ValidationSpecError(
                        _("weights key {key!r} is not LAYER.PARAM").format(key=key),
                        hint=_("e.g. {example}").format(example="conv_1.weight, conv_1.bias"),
                    )
                with _open_member(archive, info, name) as member:
                    shape, fortran_order, dtype = _npy_header(member, f"{name}[{key}]")
                    if expected is not None and expected.get(key) != shape:
                        array = _stand_in(shape, dtype)
                    else:
                        array = _npy_data(member, shape, fortran_order, dtype, info.file_size, limit, f"{name}[{key}]")
                weights.setdefault(layer, {})[param] = array
    return weights


def _stand_in(shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """An array of `shape` that occupies one element: every entry is the same zero (stride 0)."""
    return np.lib.stride_tricks.as_strided(np.zeros(1, dtype), shape, (0,) * len(shape), writeable=False)


def read_npy(stream: BinaryIO, size: int, limit: int, name: str) -> np.ndarray:
    """One .npy array from `stream` (`size` bytes long), refused from its header when it cannot be right."""
    shape, fortran_order, dtype = _npy_header(stream, name)
    return _npy_data(stream, shape, fortran_order, dtype, size, limit, name)


def _npy_header(stream: BinaryIO, name: str) -> tuple[tuple[int, ...], bool, np.dtype]:
    """Shape, order and dtype from an .npy header; arrays of anything but numbers are refused."""
    try:
        version = np.lib.format.read_magic(stream)
        reader = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
        if version not in reader:
            message = _(".npy format version {version} is not supported (1.0 and 2.0 are)")
            raise ValueError(message.format(version=f"{version[0]}.{version[1]}"))
        shape, fortran_order, dtype = reader[version](stream)
    except (ValueError, OSError, EOFError, SyntaxError, zipfile.BadZipFile) as exc:
        raise ValidationSpecError(_("{file} is not a readable .npy array: {why}").format(file=name, why=exc)) from None
    if dtype.hasobject or dtype.kind not in _NUMERIC_KINDS or dtype.fields is not None:
        raise ValidationSpecError(
            _("{file} holds {dtype} values, not numbers").format(file=name, dtype=dtype),
            hint=_("save plain numeric arrays (arrays of Python objects are pickles, which cnncalc never loads)"),
        )
    return shape, fortran_order, dtype


def _npy_data(
    stream: BinaryIO, shape: tuple[int, ...], fortran_order: bool, dtype: np.dtype, size: int, limit: int, name: str
) -> np.ndarray:
    """The array after its header, allocated only once its size is known to fit the file and `limit`."""
    needed = math.prod(shape) * dtype.itemsize
    shown = "x".join(map(str, shape)) or _("a scalar")
    if needed > limit:
        message = _("{file} declares {shape} values, {needed} bytes, over the limit of {limit}")
        raise LimitError(message.format(file=name, shape=shown, needed=number(needed), limit=number(limit)))
    available = size - stream.tell()
    if needed > available:
        raise ValidationSpecError(
            _("{file} declares {shape} values ({needed} bytes) but holds only {available}").format(
                file=name, shape=shown, needed=number(needed), available=number(max(available, 0))
            ),
            hint=_("the file is truncated or damaged: save it again"),
        )
    return _read_data(stream, needed, name).view(dtype).reshape(shape, order="F" if fortran_order else "C")


def _read_data(stream: BinaryIO, needed: int, name: str) -> np.ndarray:
    """Exactly `needed` bytes into one buffer, which becomes the array without a copy."""
    buffer = bytearray(needed)
    view = memoryview(buffer)
    done = 0
    try:
        while done < needed:
            count = stream.readinto(view[done:])  # type: ignore[attr-defined]
            if not count:
                message = _("{file} ends after {done} of its {needed} bytes of data")
                raise ValidationSpecError(message.format(file=name, done=number(done), needed=number(needed)))
            done += count
    except (OSError, EOFError, zipfile.BadZipFile) as exc:
        raise ValidationSpecError(_("{file} cannot be read: {why}").format(file=name, why=exc)) from None
    return np.frombuffer(buffer, dtype=np.uint8)


# What numpy.savez and savez_compressed write. bzip2 and LZMA members are refused: zipfile
# decompresses them without an output bound, so one small read could expand to gigabytes.
_COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def _npy_members(archive: zipfile.ZipFile, name: str) -> list[zipfile.ZipInfo]:
    members = archive.infolist()
    names = [info.filename for info in members]
    twice = sorted({n for n in names if names.count(n) > 1}) if len(set(names)) < len(names) else []
    if twice:
        message = _("{file} holds {key!r} twice").format(file=name, key=twice[0])
        raise ValidationSpecError(message, hint=_("each weights key may appear once"))
    for info in members:
        if not info.filename.endswith(".npy") or info.is_dir() or info.compress_type not in _COMPRESSIONS:
            raise ValidationSpecError(
                _("{file} holds {member!r}, which is not an .npy array as numpy.savez writes it").format(
                    file=name, member=info.filename
                ),
                hint=_("save the weights with numpy.savez or numpy.savez_compressed"),
            )
    return members


def _check_declared_sizes(members: list[zipfile.ZipInfo], limit: int, name: str, hint: str) -> None:
    """The sizes the zip directory declares, added up before anything is decompressed."""
    declared = sum(info.file_size for info in members)
    if declared > limit:
        raise LimitError(
            _("{file} would decompress to {declared} bytes, over the limit of {limit} for a weights file").format(
                file=name, declared=number(declared), limit=number(limit)
            ),
            hint=hint,
        )


def _open_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> BinaryIO:
    try:
        return archive.open(info)  # type: ignore[return-value]
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, ValueError) as exc:
        message = _("{file}: cannot open {member!r}: {why}").format(file=name, member=info.filename, why=exc)
        raise ValidationSpecError(message) from None


def _file_size(stream: BinaryIO) -> int:
    return os.fstat(stream.fileno()).st_size


def weight_shapes(graph: Graph) -> dict[str, tuple[int, ...]]:
    """LAYER.PARAM → the shape `graph` needs there: what a weights file for it may hold."""
    from cnncalc.executor.kernels import kernels

    table = kernels()
    return {
        f"{node.name}.{key}": shape
        for node in graph.nodes
        for key, (shape, _) in table[node.kind]
        .weights(node.layer, graph.input_shapes(node), graph.shapes[node.name])
        .items()
    }


def save_activations(path: Path, activations: Mapping[str, np.ndarray], force: bool) -> None:
    """All activations in one .npz, written atomically."""
    buffer = io.BytesIO()
    # What numpy.savez writes (one stored .npy member per array), without its keyword interface:
    # a layer called `file` or `allow_pickle` would collide with savez's own parameters.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, array in activations.items():
            with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asanyarray(array), allow_pickle=False)
    write_atomic(path, buffer.getvalue(), force)
