"""A003: batch normalization right after dropout."""

from __future__ import annotations

from collections.abc import Iterator

from cnncalc.analysis.lint.model import Issue, LintContext, Rule
from cnncalc.analysis.lint.walk import single_producer
from cnncalc.i18n import _
from cnncalc.layers.norm import BatchNorm

DOC = """\
What it does: finds batch normalization whose input is a dropout layer.

Why is this bad: dropout changes the variance of its output between training and inference, so
the statistics batch norm learns in training are wrong at inference ("variance shift", Li et al.,
"Understanding the Disharmony between Dropout and Batch Normalization", CVPR 2019).

Example: … → DROPOUT(0.5) → BN → …

Use instead: dropout after the last batch-norm layer (before the classifier).
"""


def check(ctx: LintContext) -> Iterator[Issue]:
    for node in ctx.graph.nodes:
        producer = single_producer(ctx, node)
        if isinstance(node.layer, BatchNorm) and producer is not None and producer.layer.dropout:
            yield Issue(
                node,
                _("batch norm directly after {kind} ({name})").format(kind=producer.kind, name=producer.name),
                _("move the dropout after the batch-norm layers"),
            )


RULE = Rule("A003", "dropout-before-batch-norm", "warning", "batch norm right after dropout", DOC, check)
