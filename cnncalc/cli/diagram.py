"""`cnncalc diagram SPEC`: the architecture as a Mermaid or Graphviz DOT diagram."""

from pathlib import Path
from typing import Annotated

import typer

from cnncalc.cli.common import bad_input_exits, parse_set_options, rendered
from cnncalc.cli.options import Format, InputSize, Layout, OutputFile, Overwrite, SetParameters, Spec, default_format
from cnncalc.i18n import _


def diagram(
    spec: Spec,
    format: Annotated[str, Format("diagram")] = default_format("diagram"),
    input: InputSize = None,
    set_: SetParameters = None,
    layout: Layout = "hwc",
    output: OutputFile = None,
    force: Overwrite = False,
) -> None:
    """Draw the layers and their connections, labelled with kind, output shape and parameters.

    Mermaid renders inside GitHub Markdown (```mermaid); DOT renders with Graphviz (dot -Tsvg);
    SVG is drawn directly: volumes for sequential networks, a layered graph for branching ones;
    PNG is that SVG rendered by cairosvg (extra 'png') and needs -o FILE; JSON lists the nodes
    (layer, kind, output shape, parameters) and the edges for other tools to draw.
    """
    from cnncalc.api import load
    from cnncalc.output import write_atomic

    with bad_input_exits(format == "json"):
        summary = load(spec, input=input, params=parse_set_options(set_)).summary()
        if format in ("svg", "png"):
            from cnncalc.render.svg import architecture

            text = architecture(summary)
            if format == "png":
                write_atomic(_png_target(output), svg_to_png(text), force)
                return
        else:
            text = rendered("diagram", format, summary, layout)
        if output is not None:
            write_atomic(output, text, force)
    if output is None:
        typer.echo(text.rstrip("\n"))


def _png_target(output: Path | None) -> Path:
    from cnncalc.errors import ValidationSpecError

    if output is None:
        raise ValidationSpecError(_("--format png writes a binary file: give {option}").format(option="-o FILE.png"))
    return output


def svg_to_png(svg: str) -> bytes:
    from cnncalc.errors import SpecError

    try:
        import cairosvg
    except (ImportError, OSError):
        raise SpecError(
            _("PNG output needs cairosvg (and the Cairo library)"), hint="pip install 'cnncalc[png]'"
        ) from None
    return cairosvg.svg2png(bytestring=svg.encode("utf-8"))
