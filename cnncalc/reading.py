"""Reading user files without trusting them: only regular files, never blocking, never past a limit.

Every file cnncalc reads (specs, configs, answer files, baselines, arrays and weights) comes through
here, so a FIFO cannot hang a grader, `/dev/zero` cannot fill memory and a size check cannot be
raced by a growing file: the file is opened first (without blocking), then its type and size are
read from the open descriptor, so what is checked is what is read. (Numbers, matrices and shapes
inside what is read, per language: cnncalc.notation.)
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from cnncalc.errors import LimitError, SpecError
from cnncalc.i18n import N_, _, number

# O_NONBLOCK makes opening a FIFO with no writer return at once instead of waiting for one;
# O_NOCTTY keeps a terminal device from becoming the process's controlling terminal.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_CHUNK = 1 << 20
_SMALLER = N_("give a smaller file")


@contextmanager
def open_limited(path: Path, limit: int, *, what: str = N_("file"), hint: str = "") -> Iterator[BinaryIO]:
    """An open binary stream on the regular file at `path`, refused when it is over `limit` bytes.

    For readers that parse as they go (NumPy's .npy and .npz): they must still read no more than
    the size checked here, which `read_limited` guarantees for everything read whole.
    """
    name = str(path)
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise SpecError(_("no such {what}: {name}").format(what=_(what), name=name), hint=_("check the path")) from None
    except IsADirectoryError:
        raise SpecError(_("{name} is a directory, not {a_what}").format(name=name, a_what=_a(what))) from None
    except OSError as exc:
        raise SpecError(_("cannot read {name}: {reason}").format(name=name, reason=exc.strerror)) from None
    try:
        status = os.fstat(descriptor)
        _require_regular(status, name, what)
    except BaseException:
        os.close(descriptor)
        raise
    with os.fdopen(descriptor, "rb") as stream:
        if status.st_size > limit:  # refused before reading a byte
            raise LimitError(
                _("{name} is {size} bytes, over the limit of {limit} for {a_what}").format(
                    name=name, size=status.st_size, limit=limit, a_what=_a(what)
                ),
                hint=hint or _(_SMALLER),
            )
        yield stream


def read_limited(path: Path, limit: int, *, what: str = "file", hint: str = "") -> bytes:
    """The bytes of the regular file at `path`, refusing anything else and anything over `limit` bytes."""
    with open_limited(path, limit, what=what, hint=hint) as stream:
        return _read_at_most(stream, limit, str(path), what, hint)  # catches a file that grows meanwhile


def read_text_limited(path: Path, limit: int, *, what: str = "file", hint: str = "") -> str:
    """`read_limited`, decoded as UTF-8 (a byte-order mark allowed), with the offending byte named."""
    data = read_limited(path, limit, what=what, hint=hint).removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError(
            _("{name} is not valid UTF-8 (byte {offset}: 0x{byte:02x})").format(
                name=path, offset=exc.start, byte=data[exc.start]
            ),
            hint=_("save the {what} as UTF-8").format(what=_(what)),
        ) from None


def _require_regular(status: os.stat_result, name: str, what: str) -> None:
    if stat.S_ISDIR(status.st_mode):
        raise SpecError(_("{name} is a directory, not {a_what}").format(name=name, a_what=_a(what)))
    if not stat.S_ISREG(status.st_mode):
        raise SpecError(
            _("{name} is not a regular file ({kind}), so cnncalc will not read it").format(
                name=name, kind=file_kind(status.st_mode)
            ),
            hint=_("save the {what} to an ordinary file and give that").format(what=_(what)),
        )


def _read_at_most(stream: BinaryIO, limit: int, name: str, what: str, hint: str) -> bytes:
    """Read until end of file, but never more than limit + 1 bytes (enough to know it is too long)."""
    parts: list[bytes] = []
    total = 0
    try:
        while total <= limit:
            chunk = stream.read(min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            parts.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise SpecError(_("cannot read {name}: {reason}").format(name=name, reason=exc.strerror)) from None
    if total > limit:
        raise LimitError(
            _("{name} is larger than the limit of {limit} bytes for {a_what}").format(
                name=name, limit=number(limit), a_what=_a(what)
            ),
            hint=hint or _(_SMALLER),
        )
    return b"".join(parts)


def file_kind(mode: int) -> str:
    """'a FIFO', 'a character device', … for a mode that is not a regular file or a directory."""
    kinds = (
        (stat.S_ISLNK, N_("a symbolic link")),
        (stat.S_ISFIFO, N_("a FIFO")),
        (stat.S_ISCHR, N_("a character device")),
        (stat.S_ISBLK, N_("a block device")),
        (stat.S_ISSOCK, N_("a socket")),
    )
    label = next((label for test, label in kinds if test(mode)), N_("not a regular file"))
    return _(label)


def _a(what: str) -> str:
    """`what` with its article, in the active language (a spec file, an ONNX model)."""
    article = _("an {what}") if what[:1] in "aeiou" else _("a {what}")
    return article.format(what=_(what))
