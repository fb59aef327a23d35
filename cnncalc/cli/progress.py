"""Progress on long work: a transient bar on stderr when stderr is a terminal, whatever stdout is.

`cnncalc run resnet152 > out.txt` and a summary of 100,000 layers used to be silent for seconds.
The library reports progress through a plain callback (done, total, what) and never prints; the
command line turns it into rich's bar here. Nothing is drawn when stderr is not a terminal (a CI
log, a pipe) or for JSON, and nothing for work shorter than DELAY: a quick command never flashes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

DELAY = 0.5  # seconds of work before the bar shows
STEP = 50  # the bar is redrawn every STEP layers: 100,000 updates would cost a second themselves


def terminal() -> Console | None:
    """stderr's console when stderr is a terminal (the one place tests put a fake terminal)."""
    if not sys.stderr.isatty():
        return None
    from cnncalc.cli.common import console

    return console(stderr=True)


def _ignore(done: int, total: int, what: str) -> None:
    """The callback when no bar is shown."""


@contextmanager
def progress_bar(description: str, quiet: bool = False) -> Iterator[Callable[[int, int, str], None]]:
    """A callback drawing `description`, a bar and the layer reached; an indeterminate one until the
    first call (reading a spec has no count)."""
    out = None if quiet else terminal()
    if out is None:
        yield _ignore
        return
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    bar = _delayed()(*columns, console=out, transient=True, redirect_stdout=False, redirect_stderr=False)
    with bar:
        task = bar.add_task(escape(description), total=None)

        def advance(done: int, total: int, what: str) -> None:
            if done % STEP == 0 or done == total:
                bar.update(task, completed=done, total=total, description=escape(f"{description}: {what}"))

        yield advance


def _delayed() -> type[Progress]:
    """rich's Progress drawing nothing until DELAY has passed (rich is imported only for a bar)."""
    from rich.progress import Progress

    class Delayed(Progress):
        def get_renderables(self):  # type: ignore[no-untyped-def]
            started = min((task.start_time or 0.0 for task in self.tasks), default=None)
            if started is not None and self.get_time() - started >= DELAY:
                yield from super().get_renderables()

    return Delayed
