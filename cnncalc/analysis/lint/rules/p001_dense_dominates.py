"""P001: one fully connected layer holds most of the network's parameters."""

from __future__ import annotations

from collections.abc import Iterator

from cnncalc.analysis.lint.model import Issue, LintContext, Rule
from cnncalc.i18n import _, number
from cnncalc.layers.dense import Dense

SHARE = 0.5
DOC = f"""\
What it does: reports a dense layer holding more than {SHARE:.0%} of all parameters.

Why is this bad: the lecture notes' point about fully connected layers on images — a dense layer
on a flattened feature map has In·Out weights (VGG-16's first: 25,088 × 4,096 = 102.8 M, three
quarters of the net) and ties the network to one input size.

Example: INPUT(224x224x3) → CONV(64, 3, p=1) → FLATTEN → FC(4096)

Use instead: global average pooling before the classifier, or fewer units; or convert the dense
layers to convolutions (`cnncalc convert --fc-to-conv`).
"""


def check(ctx: LintContext) -> Iterator[Issue]:
    total = ctx.summary.totals.params
    if not total:
        return
    for record in ctx.summary.layers:
        if isinstance(ctx.node(record.name).layer, Dense) and record.params > SHARE * total:
            yield Issue(
                ctx.node(record.name),
                _("this dense layer holds {params} of {total} parameters ({share}%)").format(
                    params=number(record.params), total=number(total), share=round(100 * record.params / total)
                ),
                _("pool globally before it, reduce its units, or use a convolutional head"),
            )


RULE = Rule("P001", "dense-dominates", "warning", "a dense layer holds most parameters", DOC, check)
