"""`cnncalc receptive-field SPEC`: size, jump, start and effective padding of every layer."""

import json
from pathlib import Path
from typing import Annotated

import typer

from cnncalc.cli.common import bad_input_exits, parse_set_options, rendered, show
from cnncalc.cli.options import Format, InputSize, SetParameters, Spec, default_format
from cnncalc.i18n import _
from cnncalc.render.escape import json_text


def parse_units(text: str) -> tuple[int, ...]:
    from cnncalc.errors import ValidationSpecError

    try:
        return tuple(int(part) for part in text.split(","))
    except ValueError:
        hint = _("e.g. {example}").format(example="--at 0,3")
        raise ValidationSpecError(_("--at {text!r} is not a list of integers").format(text=text), hint=hint) from None


def write_plot(path: Path, fields, layer: str, windows, force: bool) -> None:
    from cnncalc.errors import ValidationSpecError
    from cnncalc.output import write_atomic
    from cnncalc.render.svg import field_plot

    if len(windows) != 2:
        raise ValidationSpecError(_("--plot draws 2-D inputs only"))
    window = tuple((float(w.first), float(w.last)) for w in windows)
    units = ", ".join(str(w.unit) for w in windows)
    title = _("receptive field of {layer} unit ({units})").format(layer=layer, units=units)
    write_atomic(path, field_plot(fields.input_size, window, title), force)  # type: ignore[arg-type]


def receptive_field(
    spec: Spec,
    layer: Annotated[str | None, typer.Option("--layer", "-l", help=_("Show one layer only."))] = None,
    at: Annotated[
        str | None, typer.Option("--at", help=_("Map output unit i,j of --layer to the input window it sees."))
    ] = None,
    input: InputSize = None,
    set_: SetParameters = None,
    format: Annotated[str, Format("receptive_field")] = default_format("receptive_field"),
    explain: Annotated[bool, typer.Option("--explain", help=_("Show the recurrence steps of every layer."))] = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help=_("Draw the --at unit's field over the input grid (SVG)."))
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=_("Overwrite an existing --plot file."))] = False,
) -> None:
    """Receptive field of every layer: size, jump (effective stride), start and effective padding."""
    from cnncalc.api import load

    as_json = format == "json"
    with bad_input_exits(as_json):
        net = load(spec, input=input, params=parse_set_options(set_))
        fields = net.receptive_field()
        records = (fields.layer(layer),) if layer is not None else fields.layers
        windows = net.unit_window(layer or records[-1].name, parse_units(at or "0,0")) if at or plot else None
        explanation = net.explain(layer) if explain else None
        if plot is not None:
            write_plot(plot, fields, layer or records[-1].name, windows, force)
    name = layer or records[-1].name
    if as_json:
        data = json.loads(rendered("receptive_field", format, fields, records))
        if windows is not None:
            data["at"] = {"layer": name, "windows": [w.to_dict() for w in windows]}
        typer.echo(json_text(data))
        return
    from cnncalc.render.escape import markdown, terminal
    from cnncalc.render.receptive_field import window_lines

    show("receptive_field", format, fields, records)
    shown = markdown if format == "markdown" else terminal  # the lines below follow the table
    if explanation is not None:
        steps = [f"{working.name} {line}" for working in explanation.layers for line in working.field]
        typer.echo("\n".join(shown(step) for step in steps))
    if windows is not None:
        typer.echo("\n".join(shown(line) for line in window_lines(name, windows)))
