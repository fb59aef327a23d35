"""`cnncalc diagram SPEC`: the architecture as a Mermaid, DOT, SVG, PNG, HTML or JSON diagram."""

from pathlib import Path
from typing import Annotated

import typer

from cnncalc.cli.common import bad_input_exits, console, parse_set_options, rendered
from cnncalc.cli.options import Format, InputSize, Layout, OutputFile, Overwrite, SetParameters, Spec, choice
from cnncalc.i18n import _
from cnncalc.render.graph import MODES

# The format an output file's extension names, when --format does not say.
EXTENSIONS = {
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".dot": "dot",
    ".gv": "dot",
    ".svg": "svg",
    ".png": "png",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
}
Collapse = Annotated[
    str,
    typer.Option(
        "--collapse",
        click_type=choice(MODES),
        help=_(
            "Draw repeated blocks or whole stages as one box with a count (×36); "
            "auto: every layer up to 100 layers, blocks above."
        ),
    ),
]


def diagram(
    spec: Spec,
    format: Annotated[str | None, Format("diagram")] = None,
    input: InputSize = None,
    set_: SetParameters = None,
    layout: Layout = "hwc",
    output: OutputFile = None,
    force: Overwrite = False,
    collapse: Collapse = "auto",
) -> None:
    """Draw the layers and their connections, labelled with kind, output shape and parameters.

    Mermaid renders inside GitHub Markdown (```mermaid); DOT renders with Graphviz (dot -Tsvg);
    SVG is drawn directly: volumes for sequential networks, a layered graph for branching ones;
    PNG is that SVG rendered by cairosvg (extra 'png') and needs -o FILE; HTML is a page holding
    the SVG; JSON lists the nodes (layer, kind, output shape, parameters) and the edges for other
    tools to draw. With -o the file's extension (.mmd .dot .svg .png .html .json) picks the format.
    """
    from cnncalc.api import load
    from cnncalc.output import write_atomic

    with bad_input_exits(format == "json"):
        chosen = output_format(format, output)
        summary = load(spec, input=input, params=parse_set_options(set_)).summary()
        if chosen in ("svg", "png", "html"):
            from cnncalc.render.svg import architecture, page

            text = architecture(summary, collapse)
            if chosen == "png":
                write_atomic(_png_target(output), svg_to_png(text), force)
                return
            text = page(text, summary.name) if chosen == "html" else text
        elif chosen == "json":
            text = rendered("diagram", chosen, summary, layout)  # data: every layer, never collapsed
        else:
            text = rendered("diagram", chosen, summary, layout, collapse)
        if chosen == "mermaid":
            _warn_past_mermaid_limits(text)
        if output is not None:
            write_atomic(output, text, force)
    if output is None:
        typer.echo(text.rstrip("\n"))


def output_format(format: str | None, output: Path | None) -> str:
    """--format when given, else the format the output file's extension names, else Mermaid.

    A file named for one format and asked for in another is refused: `-o net.svg -f mermaid`
    would write Mermaid text into a file every viewer opens as a picture."""
    from cnncalc.errors import UsageSpecError
    from cnncalc.render.outputs import OUTPUTS

    named = EXTENSIONS.get(output.suffix.lower()) if output is not None else None
    if format is not None and named is not None and format != named:
        raise UsageSpecError(
            _("--format {format} conflicts with the output file {file}, whose extension means {named}").format(
                format=format, file=output, named=named
            ),
            hint=_("drop --format, or name the file for the format you want"),
        )
    return format or named or OUTPUTS["diagram"].default


def _warn_past_mermaid_limits(text: str) -> None:
    from cnncalc.i18n import number
    from cnncalc.render.diagram import MERMAID_MAX_EDGES, MERMAID_MAX_TEXT, fits_mermaid

    if fits_mermaid(text):
        return
    console(stderr=True).print(
        _(
            "warning: this diagram has {edges} arrows and {chars} characters, past Mermaid's default limits "
            "({max_edges} arrows, {max_chars} characters): Mermaid (and GitHub) will draw only an error. "
            "Use --collapse stages, or --format svg or dot."
        ).format(
            edges=number(text.count(" --> ")),
            chars=number(len(text)),
            max_edges=number(MERMAID_MAX_EDGES),
            max_chars=number(MERMAID_MAX_TEXT),
        ),
        markup=False,
    )


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
