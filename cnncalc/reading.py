"""Reading user files without trusting them: only regular files, never blocking, never past a limit.

Every file cnncalc reads (specs, configs, models, arrays, answer files) comes through here, so a FIFO
cannot hang a grader, `/dev/zero` cannot fill memory and a size check cannot be raced by a growing file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from cnncalc.errors import LimitError, SpecError

# O_NONBLOCK makes opening a FIFO with no writer return at once instead of waiting for one;
# O_NOCTTY keeps a terminal device from becoming the process's controlling terminal.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_CHUNK = 1 << 20
_SMALLER = "give a smaller file"


def read_limited(path: Path, limit: int, *, what: str = "file", hint: str = "") -> bytes:
    """The bytes of the regular file at `path`, refusing anything else and anything over `limit` bytes."""
    name = str(path)
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise SpecError(f"no such {what}: {name}", hint="check the path") from None
    except IsADirectoryError:
        raise SpecError(f"{name} is a directory, not a {what}") from None
    except OSError as exc:
        raise SpecError(f"cannot read {name}: {exc.strerror}") from None
    with os.fdopen(descriptor, "rb", buffering=0) as stream:
        status = os.fstat(descriptor)
        _require_regular(status, name, what)
        if status.st_size > limit:  # refused before reading a byte; _read_at_most catches a file that grows
            raise LimitError(f"{name} is {status.st_size} bytes, over the limit of {limit}", hint=hint or _SMALLER)
        return _read_at_most(stream, limit, name, what, hint)


def _require_regular(status: os.stat_result, name: str, what: str) -> None:
    if stat.S_ISDIR(status.st_mode):
        raise SpecError(f"{name} is a directory, not a {what}")
    if not stat.S_ISREG(status.st_mode):
        raise SpecError(
            f"{name} is not a regular file ({_file_type(status.st_mode)}), so cnncalc will not read it",
            hint=f"save the {what} to an ordinary file and give that",
        )


def _read_at_most(stream: object, limit: int, name: str, what: str, hint: str) -> bytes:
    """Read until end of file, but never more than limit + 1 bytes (enough to know it is too long)."""
    parts: list[bytes] = []
    total = 0
    try:
        while total <= limit:
            chunk = stream.read(min(_CHUNK, limit + 1 - total))  # type: ignore[attr-defined]
            if not chunk:
                break
            parts.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise SpecError(f"cannot read {name}: {exc.strerror}") from None
    if total > limit:
        raise LimitError(
            f"{name} is larger than the limit of {limit:,} bytes for a {what}",
            hint=hint or _SMALLER,
        )
    return b"".join(parts)


def _file_type(mode: int) -> str:
    kinds = (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((label for test, label in kinds if test(mode)), "not a regular file")
