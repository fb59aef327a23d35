"""`cnncalc run SPEC`: execute a spec with NumPy and check every predicted shape and count."""

from pathlib import Path
from typing import Annotated

import typer

from cnncalc.cli.common import EXIT_FINDINGS, bad_input_exits, console, parse_set_options, show
from cnncalc.cli.options import Format, InputSize, SetParameters, Spec, default_format
from cnncalc.i18n import _


def run(
    spec: Spec,
    input: InputSize = None,
    set_: SetParameters = None,
    data: Annotated[Path | None, typer.Option("--data", help=_("Input array (.npy), channels last."))] = None,
    weights: Annotated[
        Path | None, typer.Option("--weights", help=_("Weights (.npz) with keys LAYER.weight, LAYER.bias…"))
    ] = None,
    batch: Annotated[int, typer.Option("--batch", "-b", help=_("Batch size."))] = 1,
    seed: Annotated[int, typer.Option("--seed", min=0, help=_("Seed of the random input and weights."))] = 0,
    save: Annotated[
        Path | None, typer.Option("--save", help=_("Write every layer's activations to this .npz."))
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help=_("Run even when the expected memory exceeds what is free; overwrite --save.")),
    ] = False,
    format: Annotated[str, Format("run")] = default_format("run"),
) -> None:
    """Run the spec for real (NumPy) and mark each layer ✓/✗ against the calculated shapes and parameters.

    Exit 1 when any layer disagrees. `--data x.npy` may be given as `--input x.npy` too.
    """
    from cnncalc.api import load
    from cnncalc.executor import io

    as_json = format == "json"
    out = console()
    with bad_input_exits(as_json):
        if input and input.endswith(".npy"):
            data, input = Path(input), None
        net = load(spec, input=input, params=parse_set_options(set_))
        array = io.load_array(data) if data else None
        given = io.load_weights(weights, expected=io.weight_shapes(net.graph)) if weights else None
        if save is not None:
            io.check_writable(save, force)
        result = _run_with_progress(
            net,
            out,
            batch=batch,
            seed=seed,
            data=array,
            weights=given,
            keep=save is not None,
            force=force,
            quiet=as_json,
        )
        if save is not None:
            io.save_activations(save, result.activations, force)
    show("run", format, result)
    if not result.ok:
        raise typer.Exit(EXIT_FINDINGS)


def _run_with_progress(net, out, *, quiet: bool, force: bool, **options):
    """Run with a transient progress bar on stderr when it is a terminal (whatever stdout is);
    report the expected peak memory first."""
    from cnncalc.cli.progress import progress_bar
    from cnncalc.executor.run import available_memory, expected_peak_bytes, resolve_batch
    from cnncalc.render.numbers import binary_bytes

    options["batch"] = resolve_batch(net.graph, options.get("data"), options["batch"])
    peak = expected_peak_bytes(net.graph, options["batch"], keep_all=options["keep"])
    if not quiet:
        out.print(_("expected peak activation memory: {size}").format(size=binary_bytes(peak)))
    limit = None if force else available_memory()
    with progress_bar(_("running"), quiet=quiet) as advance:
        return net.run(memory_limit=limit, progress=advance, **options)
