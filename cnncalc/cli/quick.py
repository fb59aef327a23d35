"""`cnncalc out-size`: the output size of one layer, with the working and a stride-fit verdict."""

import json
from typing import Annotated

import typer

from cnncalc.cli.common import bad_input_exits, console
from cnncalc.cli.options import Format, default_format


def sizes(text: str, option: str) -> tuple[int, ...]:
    from cnncalc.errors import ValidationSpecError

    try:
        return tuple(int(v) for v in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise ValidationSpecError(f"{option} {text!r} is not an integer or sizes like 7x9") from None


def out_size(
    width: Annotated[str, typer.Option("-W", help="Input size (per axis: 7x9).", show_default=False)],
    kernel: Annotated[str, typer.Option("-F", help="Kernel size.", show_default=False)],
    stride: Annotated[str, typer.Option("-S", help="Stride.")] = "1",
    padding: Annotated[str, typer.Option("-P", help="Padding on each side.")] = "0",
    dilation: Annotated[str, typer.Option("-D", help="Dilation.")] = "1",
    transposed: Annotated[bool, typer.Option("--transposed", help="A transposed convolution.")] = False,
    output_padding: Annotated[str, typer.Option("--output-padding", help="Transposed only.")] = "0",
    format: Annotated[str, Format("out_size")] = default_format("out_size"),
) -> None:
    """D = ⌊(W − F + 2P)/S⌋ + 1 with the working; says when the stride does not fit."""
    from cnncalc.analysis.quick import out_sizes

    with bad_input_exits(format == "json"):
        answers = out_sizes(
            sizes(width, "-W"), sizes(kernel, "-F"), sizes(stride, "-S"), sizes(padding, "-P"),
            sizes(dilation, "-D"), transposed, sizes(output_padding, "--output-padding"),
        )  # fmt: skip
    if format == "json":
        typer.echo(json.dumps({"schema": "cnncalc.out_size/1", "axes": [a.to_dict() for a in answers]}, indent=2))
        return
    out = console(soft_wrap=True)
    for answer in answers:
        out.print(answer.working)
        if not answer.fits:
            out.print(
                f"  [yellow]the stride does not fit[/]: (W − F + 2P)/S + 1 = {answer.exact:.2f} → ⌊⌋ = {answer.size}"
            )
        if answer.unread:
            out.print(f"  [yellow]never read[/]: input {answer.unread_text} on {answer.axis}")
        elif not answer.fits:
            out.print(f"  every input position is read: only {answer.dropped} position(s) of end padding are left over")
        if answer.unread or not answer.fits:
            options = [f"padding {p}" for p in answer.fitting_paddings[:2]]
            options += [f"stride {s}" for s in answer.fitting_strides[:2]]
            if options:
                out.print(f"  would fit and read every input: {', '.join(options)}")
    out.print("output size: " + "×".join(str(a.size) for a in answers))
