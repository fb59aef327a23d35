"""`cnncalc solve …`: inverse questions about sizes."""

import inspect
import json
from dataclasses import replace
from typing import Annotated

import typer

from cnncalc.cli.common import bad_input_exits, console, parse_set_options
from cnncalc.cli.options import Format, SetParameters, Spec, default_format
from cnncalc.i18n import _, ngettext

solve = typer.Typer(help=_("Inverse questions: padding that keeps the size, (F, S, P) that map W to D, valid inputs."))


@solve.command("padding")
def padding(
    width: Annotated[int, typer.Option("-W", help=_("Input size."), show_default=False)],
    kernel: Annotated[int, typer.Option("-F", help=_("Kernel size."), show_default=False)],
    stride: Annotated[int, typer.Option("-S", help=_("Stride."))] = 1,
    dilation: Annotated[int, typer.Option("-D", help=_("Dilation."))] = 1,
    format: Annotated[str, Format("solve")] = default_format("solve"),
) -> None:
    """The padding that keeps the size ('same': ⌈W/S⌉ outputs)."""
    from cnncalc.analysis.solve import keep_size_padding

    with bad_input_exits(format == "json"):
        begin, end = keep_size_padding(width, kernel, stride, dilation)
    out_size = -(-width // stride)
    if format == "json":
        document = {"pad_begin": begin, "pad_end": end, "symmetric": begin == end, "output": out_size}
        typer.echo(json.dumps({"schema": "cnncalc.solve_padding/1", **document}))
        return
    span = dilation * (kernel - 1) + 1
    working = f"(⌈W/S⌉ − 1)·S + F_eff − W = ({out_size} − 1)·{stride} + {span} − {width} = {begin + end}"
    typer.echo(_("total padding = {working}").format(working=working))
    if begin == end:
        typer.echo(_("P = {begin} on each side → output {size}").format(begin=begin, size=out_size))
    else:
        message = _("P = {begin} before and {end} after (odd total: asymmetric, as TensorFlow pads) → output {size}")
        typer.echo(message.format(begin=begin, end=end, size=out_size))


@solve.command("map")
def map_sizes(
    width: Annotated[int, typer.Option("-W", help=_("Input size."), show_default=False)],
    target: Annotated[int, typer.Option("--to", help=_("Wanted output size D."), show_default=False)],
    max_kernel: Annotated[int, typer.Option("--max-kernel")] = 7,
    max_stride: Annotated[int, typer.Option("--max-stride")] = 4,
    max_padding: Annotated[int, typer.Option("--max-padding")] = 3,
    dilation: Annotated[int, typer.Option("-D", help=_("Dilation."))] = 1,
    format: Annotated[str, Format("solve")] = default_format("solve"),
) -> None:
    """Every kernel/stride/padding in a small range that maps W to D, smallest first."""
    from cnncalc.analysis.solve import mappings

    with bad_input_exits(format == "json"):
        found = mappings(width, target, max_kernel, max_stride, max_padding, dilation)
    if format == "json":
        typer.echo(json.dumps({"schema": "cnncalc.solve_map/1", "solutions": [m.to_dict() for m in found]}, indent=2))
        return
    if not found:
        message = _("no kernel ≤ {kernel}, stride ≤ {stride}, padding ≤ {padding} maps {width} to {target}")
        typer.echo(
            message.format(kernel=max_kernel, stride=max_stride, padding=max_padding, width=width, target=target)
        )
        return
    from cnncalc.layers.window import AxisWindow
    from cnncalc.working import working_text

    for m in found:  # the layer's own D working: a dilated kernel shows its span F_eff, not F
        working = AxisWindow(width, m.kernel, m.stride, dilation, m.padding, m.padding).working("", fit=False)
        shown = working_text(replace(working, quantity=None))
        typer.echo(f"F={m.kernel} S={m.stride} P={m.padding}: {shown} ({m.verdict})")


@solve.command("inputs")
def inputs(
    spec: Spec,
    low: Annotated[int, typer.Option("--min", help=_("Smallest size to try."))] = 1,
    high: Annotated[int, typer.Option("--max", help=_("Largest size to try."))] = 1024,
    set_: SetParameters = None,
    format: Annotated[str, Format("solve")] = default_format("solve"),
) -> None:
    """Input sizes (square) that the whole spec accepts without collapsing or dropping pixels."""
    from cnncalc.analysis.solve import valid_inputs
    from cnncalc.spec import load_spec

    with bad_input_exits(format == "json"):
        sizes = valid_inputs(load_spec(spec, params=parse_set_options(set_)), low, high)
    if format == "json":
        typer.echo(json.dumps({"schema": "cnncalc.solve_inputs/1", "sizes": list(sizes)}))
        return
    out = console(soft_wrap=True)
    if not sizes:
        out.print(_("no size from {low} to {high} works without dropped pixels").format(low=low, high=high))
        return
    found = ngettext(
        "{count} valid size from {low} to {high}: {sizes}",
        "{count} valid sizes from {low} to {high}: {sizes}",
        len(sizes),
    )
    out.print(found.format(count=len(sizes), low=low, high=high, sizes=", ".join(map(str, sizes))))


# Each subcommand's help is its docstring, in the reader's language (the catalogue has the
# docstrings: cnncalc._catalogues.extract_commands); this module is imported once the language is chosen.
for _info in solve.registered_commands:
    _doc = inspect.getdoc(_info.callback) or ""
    _info.help = _(_doc)
