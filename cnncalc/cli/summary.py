"""`cnncalc summary SPEC`: per-layer shapes, parameters and MACs with totals."""

from typing import Annotated

import typer

from cnncalc.cli.common import Layout, SummaryFormat, bad_input_exits, console, parse_set_options

SPEC_HELP = "A spec file (.yaml/.json), a bundled name (vgg16) or an inline chain in quotes."


def summary(
    spec: Annotated[str | None, typer.Argument(help=SPEC_HELP, show_default=False)] = None,
    input: Annotated[
        str | None,
        typer.Option("--input", "-i", help="Run the spec at another input size, e.g. 64x64x3."),
    ] = None,
    torch_factory: Annotated[
        str | None, typer.Option("--torch", help="Trace a PyTorch module instead: MODULE:FACTORY (needs --input).")
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a spec parameter: NAME=VALUE (repeatable)."),
    ] = None,
    format: Annotated[SummaryFormat, typer.Option("--format", "-f", help="Output format.")] = SummaryFormat.table,
    layout: Annotated[Layout, typer.Option(help="Shape order: hwc (channels last) or chw (PyTorch).")] = Layout.hwc,
    dtype: Annotated[str, typer.Option(help="Element type for memory figures.")] = "float32",
    rf: Annotated[bool, typer.Option("--rf", help="Add each layer's receptive field (size / jump).")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Also show every layer's working.")] = False,
    convention: Annotated[
        str, typer.Option("--convention", help="Also count as torchvision, fvcore, thop, ptflops or torchinfo does.")
    ] = "torchvision",
) -> None:
    """Shapes, parameters and multiply-accumulates of every layer, with totals.

    MACs are weights-only (the torchvision convention); --convention adds the total another tool
    would report for the same network (docs/conventions.md explains each).
    """
    from cnncalc.api import load

    as_json = format is SummaryFormat.json
    with bad_input_exits(as_json):
        net = load(_source(spec, torch_factory), input=input, params=parse_set_options(set_))
        result = net.summary(dtype)
        fields = net.receptive_field() if rf else None
        explanation = net.explain() if explain else None
        counted = net.count(convention)
    from cnncalc.render import summary as render

    if format is SummaryFormat.table:
        render.render_table(result, layout.value, console(), fields)  # type: ignore[arg-type]
        console(soft_wrap=True).print(f"convention: {counted.convention} — {counted.description}: {counted.total:,}")  # type: ignore[attr-defined]
        if explanation is not None:
            from cnncalc.render.explain import render_text

            render_text(explanation, console(soft_wrap=True))
        return
    if format is SummaryFormat.json and convention != "torchvision":
        import json

        data = json.loads(render.render_json(result, layout.value, fields))
        data["convention"] = counted.to_dict()
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    text = {
        SummaryFormat.json: render.render_json,
        SummaryFormat.markdown: render.render_markdown,
        SummaryFormat.csv: render.render_csv,
    }[format](result, layout.value, fields)  # type: ignore[arg-type]
    typer.echo(text.rstrip("\n"))


def _source(spec: str | None, torch: str | None) -> object:
    """The SPEC argument, or the module a --torch MODULE:FACTORY builds."""
    from cnncalc.errors import ValidationSpecError

    if (spec is None) == (torch is None):
        raise ValidationSpecError("give a SPEC or --torch MODULE:FACTORY (one of them)")
    if torch is None:
        return spec
    from cnncalc.importers.torch_fx import load_factory

    return load_factory(torch)
