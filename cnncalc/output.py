"""Writing result files safely: atomically, never over anything without --force, never over
anything but a regular file, and every way a write can fail is one message (exit 2).

The content goes to a temporary file `.cnncalc-XXXXXXXX.tmp` in the target's folder (a short
name, so a long target name still fits the 255-byte limit), which is then published:
without --force by link(), which fails when the target exists, so of two processes writing the
same new file one wins and the other is told the file exists; with --force by rename(), which
replaces the old file in one step. The temporary file is removed on any error, on SIGINT and on
SIGTERM; only SIGKILL can leave one behind, under that recognisable name.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType

from cnncalc.errors import SpecError
from cnncalc.i18n import N_, _
from cnncalc.reading import file_kind

TEMPORARY_PREFIX, TEMPORARY_SUFFIX = ".cnncalc-", ".tmp"
_FORCE_HINT = N_("pass --force to overwrite it")
# link() is not offered everywhere (some network and FAT file systems): then an exclusive create
# claims the name instead.
_NO_LINK = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EXDEV, errno.EMLINK}
_HINTS = {
    errno.EACCES: N_("the folder is not writable for you: choose another"),
    errno.EPERM: N_("the folder is not writable for you: choose another"),
    errno.EROFS: N_("the file system is read-only: choose another folder"),
    errno.ENOSPC: N_("the disk is full: free some space or write elsewhere"),
    errno.EDQUOT: N_("your disk quota is used up: free some space or write elsewhere"),
    errno.ENAMETOOLONG: N_("the file name is too long for the file system: choose a shorter one"),
    errno.ENOTDIR: N_("a part of the path is a file, not a folder"),
}


def check_writable(path: Path, force: bool) -> None:
    """Refuse, before any work, a target that cnncalc will not replace or cannot create."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        status = None
    except OSError as exc:
        raise write_error(path, exc) from None
    if status is not None:
        _check_replaceable(path, status)
        if not force:
            raise SpecError(_("{path} exists").format(path=path), hint=_(_FORCE_HINT))
    parent = path.parent
    if not parent.exists():
        raise SpecError(_("folder {folder} does not exist").format(folder=parent))
    if not parent.is_dir():
        raise SpecError(
            _("{folder} is a file, not a folder").format(folder=parent),
            hint=_("give a path like {path}").format(path=parent.parent / path.name),
        )


def _check_replaceable(path: Path, status: os.stat_result) -> None:
    """Only a regular file is ever replaced: --force over a device or FIFO would swap a system
    file for ours, and over a symbolic link it would drop the link rather than write through it."""
    if stat.S_ISDIR(status.st_mode):
        raise SpecError(_("{path} is a directory").format(path=path), hint=_("give a file name"))
    if not stat.S_ISREG(status.st_mode):
        raise SpecError(
            _("{path} is {kind}, not a regular file: cnncalc replaces only regular files, even with --force").format(
                path=path, kind=file_kind(status.st_mode)
            ),
            hint=_("write to another name (to see the output, leave out -o)"),
        )


def write_error(path: Path, exc: OSError) -> SpecError:
    """One message for an operating-system error while writing `path`."""
    reason = exc.strerror or str(exc)
    hint = _HINTS.get(exc.errno or 0)
    return SpecError(
        _("cannot write {path}: {reason}").format(path=path, reason=reason), hint=None if hint is None else _(hint)
    )


def write_atomic(path: Path, data: bytes | str, force: bool = False) -> None:
    """Write `data` to `path` as one step: readers see the old file or the new one, never a part."""
    check_writable(path, force)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    mode = _file_mode(path)
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=TEMPORARY_PREFIX, suffix=TEMPORARY_SUFFIX)
    except OSError as exc:
        raise write_error(path, exc) from None
    try:
        with _removed_on_signals(temporary):
            try:
                _write_all(handle, payload)
            finally:
                os.close(handle)
            os.chmod(temporary, mode)  # mkstemp makes files private (0600); os.fchmod is POSIX-only before 3.13
            _publish(temporary, path, force)
    except OSError as exc:
        raise write_error(path, exc) from None
    finally:
        with suppress(OSError):
            os.unlink(temporary)  # after link() the published name stays; after rename() it is gone


def _write_all(handle: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        view = view[os.write(handle, view) :]
    os.fsync(handle)  # a full disk may only say so here, and before the file is published


def _publish(temporary: str, path: Path, force: bool) -> None:
    """Give the written file its name: exclusively without force, replacing a regular file with it."""
    if force:
        with suppress(FileNotFoundError):
            _check_replaceable(path, os.lstat(path))  # again: something else may stand there now
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise SpecError(f"{path} exists (written meanwhile by another process)", hint=_FORCE_HINT) from None
    except OSError as exc:
        if exc.errno not in _NO_LINK:
            raise
        _claim(path)
        os.replace(temporary, path)


def _claim(path: Path) -> None:
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise SpecError(f"{path} exists (written meanwhile by another process)", hint=_FORCE_HINT) from None


@contextmanager
def _removed_on_signals(temporary: str) -> Iterator[None]:
    """While writing, SIGINT and SIGTERM first remove the temporary file, then do what they did before."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; the caller's `finally` still cleans up
        return
    installed = {int(number): signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    previous = {number: before for number, before in installed.items() if before is not None}  # None: set in C

    def handler(number: int, frame: FrameType | None) -> None:
        with suppress(OSError):
            os.unlink(temporary)
        before = previous[number]
        signal.signal(number, before)
        if callable(before):
            before(number, frame)  # Python's SIGINT handler raises KeyboardInterrupt
        elif before == signal.SIG_DFL:
            os.kill(os.getpid(), number)  # die of the same signal, as the caller expects

    for number in previous:
        signal.signal(number, handler)
    try:
        yield
    finally:
        for number, before in previous.items():
            signal.signal(number, before)


def _file_mode(path: Path) -> int:
    """The mode an ordinary new file would get (0666 less the umask), or the replaced file's."""
    with suppress(OSError):
        return os.lstat(path).st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
