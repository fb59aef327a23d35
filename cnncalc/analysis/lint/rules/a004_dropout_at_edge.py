"""A004: dropout on the network's input or as its output."""

from __future__ import annotations

from collections.abc import Iterator

from cnncalc.analysis.lint.model import Issue, LintContext, Rule
from cnncalc.i18n import _

DOC = """\
What it does: finds dropout applied directly to the input image, or producing a network output.

Why is this bad: dropout on the output zeroes predictions in training with nothing after it to
adapt; on raw pixels it is a (poor) form of noise augmentation, rarely intended.

Example: INPUT(32x32x3) → … → FC(10) → DROPOUT(0.5)

Use instead: dropout between hidden layers, before the last dense layer.
"""


def check(ctx: LintContext) -> Iterator[Issue]:
    outputs = set(ctx.graph.spec.outputs)
    for node in ctx.graph.nodes:
        if not node.layer.dropout:
            continue
        if node.name in outputs:
            yield Issue(node, _("dropout produces a network output"), _("put dropout before the last layer"))
        elif any(not p.inputs for p in ctx.producers(node)):
            yield Issue(
                node,
                _("dropout applied directly to the network input"),
                _("use data augmentation, or dropout on hidden layers"),
            )


RULE = Rule("A004", "dropout-at-edge", "warning", "dropout on the input or as the output", DOC, check)
