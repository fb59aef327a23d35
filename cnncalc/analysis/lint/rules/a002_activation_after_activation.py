"""A002: an activation applied directly to another activation's output."""

from __future__ import annotations

from collections.abc import Iterator

from cnncalc.analysis.lint.model import Issue, LintContext, Rule
from cnncalc.analysis.lint.walk import single_producer
from cnncalc.i18n import _

DOC = """\
What it does: finds an activation whose only input is another activation.

Why is this bad: usually a mistake (an `activation=relu` on a layer followed by an explicit RELU);
ReLU after ReLU does nothing, and softmax after ReLU discards negative logits.

Example: INPUT(8x8x3) → CONV(8, 3) → RELU → RELU

Use instead: one activation.
"""


def check(ctx: LintContext) -> Iterator[Issue]:
    for node in ctx.graph.nodes:
        producer = single_producer(ctx, node)
        if producer is not None and node.layer.nonlinear and producer.layer.nonlinear:
            yield Issue(
                node,
                _("{kind} directly after {producer} ({name})").format(
                    kind=node.kind, producer=producer.kind, name=producer.name
                ),
                _("remove one of the two activations"),
            )


RULE = Rule("A002", "activation-after-activation", "warning", "two activations in a row", DOC, check)
