"""B001: the network has more parameters than the budget allows (max-params)."""

from __future__ import annotations

from collections.abc import Iterator

from cnncalc.analysis.lint.model import Issue, LintContext, Rule
from cnncalc.i18n import _, number

DOC = """\
What it does: with a budget `max-params` (`cnncalc lint --max-params 5M`, `[tool.cnncalc]` or a
spec's `lint:`), reports a network whose total parameters exceed it.

Why is this bad: parameters are the model's size on disk and in memory; a pull request that
grows them past an agreed limit should fail in CI, not be noticed at deployment.

Example: vgg16 with max-params 100M (it has 138,357,544).

Use instead: fewer or narrower layers, global pooling instead of large dense layers, or raise
the budget deliberately in the same change.
"""


def check(ctx: LintContext) -> Iterator[Issue]:
    limit, total = ctx.budgets.max_params, ctx.summary.totals.params
    if limit is not None and total > limit:
        yield Issue(
            None,
            _("{total} parameters, over the budget of {limit}").format(total=number(total), limit=number(limit)),
            _("shrink the network or raise max-params"),
        )


RULE = Rule("B001", "params-over-budget", "error", "more parameters than max-params", DOC, check)
