"""`cnncalc export SPEC --to pytorch`: write framework code for a spec."""

from typing import Annotated, Literal

import typer

from cnncalc.cli.common import bad_input_exits, echo_artifact, parse_set_options
from cnncalc.cli.options import Format, InputSize, OutputFile, Overwrite, SetParameters, Spec, default_format
from cnncalc.i18n import _


def export(
    spec: Spec,
    to: Annotated[Literal["pytorch", "keras", "onnx"], typer.Option("--to", help=_("Target framework."))] = "pytorch",
    input: InputSize = None,
    set_: SetParameters = None,
    class_name: Annotated[str, typer.Option("--class-name", help=_("Name of the generated class."))] = "Net",
    output: OutputFile = None,
    force: Overwrite = False,
    format: Annotated[str, Format("artifact")] = default_format("artifact"),
    fixed_batch: Annotated[
        int | None,
        typer.Option("--fixed-batch", min=1, help=_("ONNX: a fixed batch size instead of the symbolic axis 'batch'.")),
    ] = None,
) -> None:
    """Write a self-contained, readable PyTorch nn.Module or Keras builder (or, with --to onnx -o FILE, ONNX)."""
    from cnncalc.api import load
    from cnncalc.errors import ValidationSpecError
    from cnncalc.export.pytorch import check_class_name, to_pytorch
    from cnncalc.output import write_atomic

    as_json = format == "json"
    with bad_input_exits(as_json):
        check_class_name(class_name)
        graph = load(spec, input=input, params=parse_set_options(set_)).graph
        if to == "onnx":
            from cnncalc.export.onnx_model import to_onnx

            if output is None:
                raise ValidationSpecError(
                    _("--to onnx writes a binary file: give {option}").format(option="-o FILE.onnx")
                )
            write_atomic(output, to_onnx(graph, batch=fixed_batch).SerializeToString(), force)
            echo_artifact("export", None, as_json, output, to=to)
            return
        if to == "keras":
            from cnncalc.export.keras_model import to_keras

            code = to_keras(graph)
        else:
            code = to_pytorch(graph, class_name)
        if output is not None:
            write_atomic(output, code, force)
    echo_artifact("export", code, as_json, output, to=to)
