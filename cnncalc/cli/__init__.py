"""The command line: thin typer commands that parse options, call the API and render."""

import gc
import signal

# A command is one short process: its start-up makes tens of thousands of objects that live until
# it exits (modules, classes, the loaded network), so the collector's default rhythm (a pass every
# 700 new objects) only re-examines them, at a cost of several milliseconds per run. A pass every
# 100,000 net allocations keeps memory bounded in long runs (lint of many files, the executor).
_COLLECT_EVERY = 100_000


def main() -> None:
    """The `cnncalc` command (the console script and `python -m cnncalc`)."""
    gc.set_threshold(_COLLECT_EVERY, *gc.get_threshold()[1:])
    if hasattr(signal, "SIGPIPE"):
        # `cnncalc summary … | head`: end quietly when the reader leaves, as cat and grep do (the shell
        # reports 141), instead of click turning the broken pipe into exit 1, the lint-findings code.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        from cnncalc.cli.app import main as run

        run()
    finally:
        # The process ends next and the OS takes its memory back; frozen objects are left out of
        # the interpreter's final collection, a pass over everything the command made.
        gc.freeze()
