"""`cnncalc convert SPEC`: rewrite a spec as YAML, JSON or a chain; fc-to-conv."""

from typing import Annotated, Literal

import typer

from cnncalc.cli.common import bad_input_exits, console, echo_artifact, parse_set_options
from cnncalc.cli.options import Format, OutputFile, Overwrite, SetParameters, Spec, default_format
from cnncalc.i18n import _


def convert(
    spec: Spec,
    to: Annotated[Literal["yaml", "json", "chain"], typer.Option("--to", help=_("Output format."))] = "yaml",
    fc_to_conv: Annotated[
        bool, typer.Option("--fc-to-conv", help=_("Turn dense layers after the last spatial layer into convolutions."))
    ] = False,
    input: Annotated[
        str | None,
        typer.Option("--input", "-i", help=_("With --fc-to-conv: show the output map on this larger input.")),
    ] = None,
    set_: SetParameters = None,
    output: OutputFile = None,
    force: Overwrite = False,
    format: Annotated[str, Format("artifact")] = default_format("artifact"),
) -> None:
    """Round-trip a spec between YAML, JSON and chain, or convert FC layers to convolutions."""
    from cnncalc.api import Network, load
    from cnncalc.cli.progress import progress_bar
    from cnncalc.graph import build_graph
    from cnncalc.output import write_atomic
    from cnncalc.spec import write

    as_json = format == "json"
    with bad_input_exits(as_json):
        with progress_bar(_("reading"), quiet=as_json):  # importing a large model takes seconds
            net = load(spec, input=None if fc_to_conv else input, params=parse_set_options(set_))
        result = net.spec
        note = None
        if fc_to_conv:
            from cnncalc.analysis.convert import fc_to_conv as convert_graph
            from cnncalc.analysis.solve import with_input
            from cnncalc.spec.load import parse_shape, same_rank

            result = convert_graph(net.graph)
            if input:
                shape = parse_shape(input, net.spec.nodes[0].location)
                same_rank(shape, net.shape(net.layer_names[0]))
                result = with_input(result, shape)  # the file written runs on the larger input
                outputs = ", ".join("×".join(map(str, s)) for s in Network(build_graph(result)).summary().output_shapes)
                note = _("on a {shape} input the converted network outputs {outputs}").format(
                    shape="×".join(map(str, shape)), outputs=outputs
                )
        text = {"yaml": write.to_yaml, "json": write.to_json, "chain": write.to_chain}[to](result)
        if output is not None:
            write_atomic(output, text if text.endswith("\n") else text + "\n", force)
    echo_artifact("convert", text, as_json, output, to=to, note=note)
    if note and not as_json:
        console(stderr=True).print(note)
