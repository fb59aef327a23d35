"""B005: more weighted layers on the longest path than the budget allows (max-depth)."""

from __future__ import annotations

from collections.abc import Iterator

from cnncalc.analysis.lint.model import Issue, LintContext, Rule
from cnncalc.analysis.lint.walk import weighted_depth
from cnncalc.i18n import _

DOC = """\
What it does: with `max-depth` (e.g. `--max-depth 50`), reports a network with more convolution
and dense layers on its longest path than that: the depth in the names VGG-16 and ResNet-50.

Why is this bad: every layer on the path adds latency that batching cannot hide, and very deep
plain networks are hard to train.

Example: resnet101 with max-depth 50.

Use instead: fewer blocks per stage, or raise the budget deliberately.
"""


def check(ctx: LintContext) -> Iterator[Issue]:
    limit = ctx.budgets.max_depth
    if limit is None:
        return
    depth = weighted_depth(ctx)
    if depth > limit:
        message = _("depth {depth} (weighted layers on the longest path), over the budget of {limit}")
        yield Issue(None, message.format(depth=depth, limit=limit), None)


RULE = Rule("B005", "depth-over-budget", "error", "deeper than max-depth", DOC, check)
