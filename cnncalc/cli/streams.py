"""Standard output that cannot take the output: one message and exit 2, never a lost result.

With stdout closed (`cnncalc summary vgg16 >&-`) Python sets `sys.stdout` to None and rich and
click drop every line without a word, so the command "succeeded" with nothing written; with stdout
on a full device the write, or the flush at exit, raised a traceback or Python's exit status 120.
A reader that leaves (`| head -1`) is not an error: SIGPIPE ends the process quietly, status 141,
as it ends cat or grep (set in `cnncalc.cli.main`).
"""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from cnncalc.cli.common import EXIT_BAD_INPUT
from cnncalc.i18n import _

# What writing to a stream can fail with; any other OSError reaching the top is a bug to show.
_WRITE_ERRORS = {errno.EBADF, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EPIPE}


class _ClosedOutput(io.RawIOBase):
    """Stands for a closed file descriptor 1: every write fails as writing to it would."""

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        raise OSError(errno.EBADF, _("standard output is closed"))


@contextmanager
def stdout_failures_exit(as_json: bool) -> Iterator[None]:
    """Run the command; if its output cannot be written, say so on stderr and exit 2."""
    if sys.stdout is None:
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(_ClosedOutput()), encoding="utf-8")
    try:
        try:
            yield
        finally:
            sys.stdout.flush()  # what is still buffered fails here, not in the interpreter's exit
    except OSError as exc:
        if exc.errno not in _WRITE_ERRORS:
            raise
        _report(exc, as_json)
        raise SystemExit(EXIT_BAD_INPUT) from None


def _report(exc: OSError, as_json: bool) -> None:
    from cnncalc.cli.common import fail
    from cnncalc.errors import SpecError

    # The unwritten rest goes nowhere, so Python's final flush of stdout does not fail again.
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (lives until the process ends)
    error = SpecError(
        _("cannot write the output to standard output: {why}").format(why=exc.strerror or exc),
        hint=_("write the output to a file with -o, or to a device with free space"),
    )
    with suppress(OSError):  # stderr may be just as broken: the exit status still says it
        fail(error, as_json)
