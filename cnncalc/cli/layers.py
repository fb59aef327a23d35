"""`cnncalc layers`: the layer kinds, their spellings and arguments."""

from typing import Annotated

from cnncalc.cli.common import show
from cnncalc.cli.options import Format, default_format


def layers(format: Annotated[str, Format("layers")] = default_format("layers")) -> None:
    """List every layer kind with its aliases, positional arguments and an example."""
    from cnncalc.analysis.catalog import layer_catalog

    show("layers", format, layer_catalog())
