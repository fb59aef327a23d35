"""`cnncalc summary SPEC`: per-layer shapes, parameters and MACs with totals."""

from typing import TYPE_CHECKING, Annotated

import typer

from cnncalc.cli.common import bad_input_exits, console, parse_set_options, rendered, show
from cnncalc.cli.completion import complete_convention
from cnncalc.cli.options import Dtype, Format, InputSize, Layout, OptionalSpec, SetParameters, default_format
from cnncalc.i18n import _, number
from cnncalc.render.escape import json_text

if TYPE_CHECKING:
    from torch.nn import Module


def summary(
    spec: OptionalSpec = None,
    input: InputSize = None,
    torch_factory: Annotated[
        str | None, typer.Option("--torch", help=_("Trace a PyTorch module instead: MODULE:FACTORY (needs --input)."))
    ] = None,
    set_: SetParameters = None,
    format: Annotated[str, Format("summary")] = default_format("summary"),
    layout: Layout = "hwc",
    dtype: Dtype = "float32",
    rf: Annotated[bool, typer.Option("--rf", help=_("Add each layer's receptive field (size / jump)."))] = False,
    explain: Annotated[bool, typer.Option("--explain", help=_("Also show every layer's working."))] = False,
    symbolic: Annotated[
        bool, typer.Option("--symbolic", help=_("Shapes and MACs as expressions in H and W (or --input HxWx3)."))
    ] = False,
    convention: Annotated[
        str,
        typer.Option(
            "--convention",
            help=_("Also count as torchvision, fvcore, thop, ptflops, torchinfo or keras does."),
            autocompletion=complete_convention,
        ),
    ] = "torchvision",
    batch: Annotated[
        int, typer.Option("--batch", help=_("With --convention: the batch the tool is given."), min=1)
    ] = 1,
) -> None:
    """Shapes, parameters and multiply-accumulates of every layer, with totals.

    MACs are weights-only (the torchvision convention); --convention adds the total another tool
    would report for the same network (docs/conventions.md explains each).
    """
    from cnncalc.api import load

    as_json = format == "json"
    names = _letters(input)
    if symbolic or names:
        with bad_input_exits(as_json):
            network = load(_source(spec, torch_factory), params=parse_set_options(set_))
            channels = (input or "").replace("×", "x").split("x")[-1].strip()
            reference = network.shape(network.layer_names[0])
            if names and channels.isdigit() and int(channels) != reference[-1]:  # HxWx5: another channel count
                size = "x".join(str(s) for s in reference[:-1])
                network = load(_source(spec, torch_factory), input=f"{size}x{channels}", params=parse_set_options(set_))
            expressions = network.symbolic(names)
        show("symbolic", "table" if format == "csv" else format, expressions)  # no CSV: the table
        return
    from cnncalc.cli.progress import progress_bar

    with bad_input_exits(as_json), progress_bar(_("summary"), quiet=as_json) as advance:
        net = load(_source(spec, torch_factory), input=input, params=parse_set_options(set_))
        result = net.summary(dtype, progress=advance)
        # The stride notes under the table (lint S001) need the receptive fields: counted in the bar.
        unfit = net.lint(select=["S001"], progress=advance) if format == "table" else ()
        fields = net.receptive_field() if rf else None
        explanation = net.explain() if explain else None
        if batch != 1 and convention == "torchvision":
            from cnncalc.errors import ValidationSpecError

            raise ValidationSpecError(
                _("--batch goes with --convention: fvcore, thop and torchinfo count the batch they are given"),
                hint=_("for training memory at a batch size, use {command}").format(
                    command="`cnncalc memory SPEC --batch N`"
                ),
            )
        counted = net.count(convention, batch) if convention != "torchvision" else None
    if format == "table":  # with the convention line and the workings below it
        from cnncalc.render.summary import render_table
        from cnncalc.render.table import print_styled

        render_table(result, layout, console(), fields)
        print_styled(console(), _convention_line(counted), ())
        from cnncalc.render.escape import terminal

        for finding in unfit:  # the lecture's 2.33: where students look, not only in lint
            note = _("note: {layer}: {message} (lint S001)").format(layer=finding.layer, message=finding.message)
            note = terminal(note)  # a layer name may hold controls or bidi marks: written out, as the table does
            print_styled(console(), note, ())
        if explanation is not None:
            from cnncalc.render.explain import render_text

            render_text(explanation, console(soft_wrap=True))
        return
    if format == "json" and counted is not None:  # a --convention other than torchvision
        import json

        data = json.loads(rendered("summary", format, result, layout, fields))
        data["convention"] = counted.to_dict()
        typer.echo(json_text(data))
        return
    show("summary", format, result, layout, fields)


def _source(spec: str | None, torch: str | None) -> "str | Module":
    """The SPEC argument, or the module a --torch MODULE:FACTORY builds."""
    from cnncalc.errors import ValidationSpecError

    if spec is not None and torch is None:
        return spec
    if torch is None or spec is not None:
        raise ValidationSpecError(_("give a SPEC or --torch MODULE:FACTORY (one of them)"))
    from cnncalc.importers.torch_fx import load_factory

    return load_factory(torch)


def _letters(input: str | None) -> tuple[str, ...] | None:
    """'HxWx3' → ('H', 'W'): an input given with letters asks for symbolic shapes."""
    if input is None:
        return None
    parts = [p.strip() for p in input.lower().replace("×", "x").split("x")]
    original = [p.strip() for p in input.replace("×", "x").replace("X", "x").split("x")]
    if not any(part.isalpha() for part in parts):
        return None
    return tuple(name for name in original[:-1])


def _convention_line(counted) -> str:
    if counted is None:
        return _(
            "MACs convention: torchvision (weights only; --convention fvcore|thop|ptflops|torchinfo|keras for theirs)"
        )
    batch = _(" for a batch of {batch}").format(batch=counted.batch) if counted.batch != 1 else ""
    return _("as {convention} counts it{batch}: {total} ({description})").format(
        convention=counted.convention, batch=batch, total=number(counted.total), description=_(counted.description)
    )
