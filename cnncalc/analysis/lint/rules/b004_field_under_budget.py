"""B004: the last feature map's receptive field is smaller than required (min-rf)."""

from __future__ import annotations

from collections.abc import Iterator

from cnncalc.analysis.lint.model import Issue, LintContext, Rule
from cnncalc.analysis.lint.walk import last_feature_map
from cnncalc.i18n import _, number

DOC = """\
What it does: with `min-rf` (e.g. `--min-rf 224`), reports a network whose last spatial layer
sees less than that many input pixels along some axis.

Why is this bad: a unit can only use context inside its receptive field; detection and
segmentation heads need fields as large as the objects they must recognise.

Example: INPUT(224x224x3) → CONV(8, 3) → CONV(8, 3) with min-rf 64 (the field is 5).

Use instead: more layers, larger strides or dilation before the head.
"""


def check(ctx: LintContext) -> Iterator[Issue]:
    limit = ctx.budgets.min_rf
    node = last_feature_map(ctx) if limit is not None else None
    if node is None:
        return
    record = ctx.fields.layer(node.name)
    if record.axes is None or record.whole_input:
        return
    smallest = min(axis.size for axis in record.axes)
    if smallest < limit:  # type: ignore[operator]
        yield Issue(
            node,
            _("the receptive field of the last feature map is {field}, under the required {limit}").format(
                field=number(float(smallest), "g"), limit=limit
            ),
            _("add layers, strides or dilation before the head"),
        )


RULE = Rule("B004", "field-under-budget", "error", "receptive field smaller than min-rf", DOC, check)
