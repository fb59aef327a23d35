"""`cnncalc diff OLD NEW`: what a change to a network changes, with limits for CI."""

from pathlib import Path
from typing import Annotated

import typer

from cnncalc.cli.common import EXIT_FINDINGS, bad_input_exits, show
from cnncalc.cli.completion import complete_spec
from cnncalc.cli.options import Format, default_format
from cnncalc.i18n import _

SIDE_HELP = _("A spec, a bundled name, a chain, or a summary saved with --format json (a baseline).")


def _baseline(source: str):
    """The summary document saved in SOURCE, or None when SOURCE is a spec."""
    import json

    from cnncalc.analysis.diff import read_summary_document

    path = Path(source)
    if path.suffix != ".json" or not path.is_file():
        return None
    from cnncalc.limits import DEFAULT_LIMITS
    from cnncalc.reading import read_text_limited

    text = read_text_limited(path, DEFAULT_LIMITS.max_baseline_bytes, what=_("baseline (.json)"))
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # not a baseline; read as a spec, whose errors say why
        return None
    return read_summary_document(data, source) if isinstance(data, dict) and "schema" in data else None


def _sides(old: str, new: str):
    """Both summary documents, and name → location for a NEW that is a spec.

    A spec is summarised in the dtype a baseline on the other side was saved with, so activation
    memory is counted alike on both sides.
    """
    from cnncalc.api import load

    documents = [_baseline(old), _baseline(new)]
    dtype = next((str(d.get("dtype", "float32")) for d in documents if d is not None), "float32")
    locations = {}
    for index, source in enumerate((old, new)):
        if documents[index] is None:
            network = load(source)
            documents[index] = network.summary(dtype).to_dict()
            locations = {node.name: node.location for node in network.spec.nodes}
    return documents[0], documents[1], locations


def diff(
    old: Annotated[str, typer.Argument(help=SIDE_HELP, show_default=False, autocompletion=complete_spec)],
    new: Annotated[str, typer.Argument(help=SIDE_HELP, show_default=False, autocompletion=complete_spec)],
    fail_on: Annotated[
        str | None, typer.Option("--fail-on", help=_("Exit 1 past these increases, e.g. params+10%,macs+5%."))
    ] = None,
    format: Annotated[str, Format("diff")] = default_format("diff"),
) -> None:
    """Per-layer and total changes in shapes, parameters, MACs and activation memory.

    OLD may be a baseline saved with `cnncalc summary SPEC --format json > baseline.json`.
    --fail-on takes relative (params+10%) or absolute (macs+1G) increases and exits 1 past them;
    --format markdown gives a table to post on a pull request, github annotates the changed layers.
    """
    from cnncalc.analysis.diff import diff as diff_documents
    from cnncalc.analysis.diff import parse_thresholds

    with bad_input_exits(format == "json"):
        thresholds = parse_thresholds(fail_on) if fail_on else ()
        old_document, new_document, locations = _sides(old, new)
        result = diff_documents(old_document, new_document, old, new, thresholds)
    show("diff", format, result, *((locations,) if format == "github" else ()))
    if result.failed:
        raise typer.Exit(EXIT_FINDINGS)
