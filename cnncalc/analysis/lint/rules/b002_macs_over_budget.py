"""B002: the network needs more multiply-accumulates than the budget allows (max-macs)."""

from __future__ import annotations

from collections.abc import Iterator

from cnncalc.analysis.lint.model import Issue, LintContext, Rule
from cnncalc.i18n import _, number

DOC = """\
What it does: with a budget `max-macs` (e.g. `--max-macs 2G`), reports a network whose
multiply-accumulates for one input (weights-only, torchvision's convention) exceed it.

Why is this bad: MACs set inference time and energy; a latency budget for a device is a MAC
budget in practice.

Example: resnet50 (4.09 G MACs) with max-macs 2G.

Use instead: a smaller input, earlier downsampling, depthwise-separable convolutions, fewer
channels; or raise the budget deliberately.
"""


def check(ctx: LintContext) -> Iterator[Issue]:
    limit, total = ctx.budgets.max_macs, ctx.summary.totals.macs
    if limit is not None and total > limit:
        message = _("{total} MACs, over the budget of {limit}").format(total=number(total), limit=number(limit))
        yield Issue(None, message, _("reduce the computation or raise max-macs"))


RULE = Rule("B002", "macs-over-budget", "error", "more MACs than max-macs", DOC, check)
