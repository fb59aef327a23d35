"""`cnncalc zoo`: the bundled architectures with their size and cost."""

from typing import Annotated

from cnncalc.cli.common import bad_input_exits, show
from cnncalc.cli.options import Format, default_format


def zoo(
    format: Annotated[str, Format("zoo")] = default_format("zoo"),
) -> None:
    """List the bundled networks (use their names as SPEC: `cnncalc summary resnet50`)."""
    from cnncalc.analysis.zoo import zoo as entries

    with bad_input_exits(format == "json"):
        rows = entries()
    show("zoo", format, rows)
