"""`cnncalc report SPEC -o net.html`: one self-contained HTML page to share."""

from typing import TYPE_CHECKING, Annotated

import typer

from cnncalc.cli.common import bad_input_exits, console, parse_set_options
from cnncalc.cli.options import Format, InputSize, OutputFile, Overwrite, SetParameters, Spec, default_format
from cnncalc.i18n import _
from cnncalc.render.escape import json_text, terminal

if TYPE_CHECKING:
    from cnncalc.api import Network, Progress


def report(
    spec: Spec,
    output: OutputFile = None,
    format: Annotated[str, Format("report")] = default_format("report"),
    input: InputSize = None,
    set_: SetParameters = None,
    force: Overwrite = False,
) -> None:
    """Summary, totals, architecture diagram, receptive-field chart and lint findings in one file.

    The HTML is self-contained (inline CSS, SVG and a small zoom script; nothing fetched, readable
    with scripts off): open it offline, mail it or attach it to a pull request. Past 5,000 layers
    it is a summary, and says so. Existing files are kept unless --force.
    """
    from cnncalc.api import load
    from cnncalc.cli.progress import progress_bar
    from cnncalc.output import write_atomic

    as_json = format == "json"
    with bad_input_exits(as_json):
        with progress_bar(_("report"), quiet=as_json) as advance:
            network = load(spec, input=input, params=parse_set_options(set_))
            text, omissions = _document(network) if as_json else _page(network, advance)
        for omission in omissions:  # the page says it too: said here for whoever reads the terminal
            console(stderr=True).print(_("note: {omission}").format(omission=terminal(omission)), markup=False)
        if output is not None:
            write_atomic(output, text, force)
            return
    typer.echo(text.rstrip("\n"))


def _document(network: "Network") -> tuple[str, tuple[str, ...]]:
    """The report as JSON: the API's own records (never cut short: a machine reads it)."""
    document = {
        "schema": "cnncalc.report/1",
        "summary": network.summary().to_dict(),
        "receptive_field": network.receptive_field().to_dict(),
        "lint": [finding.to_dict() for finding in network.lint()],
    }
    return json_text(document) + "\n", ()


def _page(network: "Network", advance: "Progress") -> tuple[str, tuple[str, ...]]:
    page = network.report(progress=advance)
    return page.html, page.omissions
