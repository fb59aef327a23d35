"""`cnncalc report SPEC -o net.html`: one self-contained HTML page to share."""

from typing import Annotated

import typer

from cnncalc.cli.common import bad_input_exits, parse_set_options
from cnncalc.cli.options import Format, InputSize, OutputFile, Overwrite, SetParameters, Spec, default_format
from cnncalc.render.escape import json_text


def report(
    spec: Spec,
    output: OutputFile = None,
    format: Annotated[str, Format("report")] = default_format("report"),
    input: InputSize = None,
    set_: SetParameters = None,
    force: Overwrite = False,
) -> None:
    """Summary, totals, architecture diagram, receptive-field chart and lint findings in one file.

    The HTML is self-contained (inline CSS and SVG, no scripts, nothing fetched): open it offline,
    mail it or attach it to a pull request. Existing files are kept unless --force.
    """
    from cnncalc.api import load
    from cnncalc.output import write_atomic

    with bad_input_exits(format == "json"):
        network = load(spec, input=input, params=parse_set_options(set_))
        if format == "json":
            document = {
                "schema": "cnncalc.report/1",
                "summary": network.summary().to_dict(),
                "receptive_field": network.receptive_field().to_dict(),
                "lint": [finding.to_dict() for finding in network.lint()],
            }
            text = json_text(document) + "\n"
        else:
            text = network.report()
        if output is not None:
            write_atomic(output, text, force)
            return
    typer.echo(text.rstrip("\n"))
