"""B003: the activations of one forward pass take more memory than the budget (max-activations)."""

from __future__ import annotations

from collections.abc import Iterator

from cnncalc.analysis.lint.model import Issue, LintContext, Rule
from cnncalc.i18n import _, number

DOC = """\
What it does: with a budget `max-activations` (e.g. `--max-activations 100MB`), reports a
network whose layer outputs for one input, summed, exceed it (float32 unless the summary was
made with another dtype).

Why is this bad: activation memory, not weights, is what runs out first on small devices and
at large batch sizes.

Example: vgg16 (about 115 MB of float32 layer outputs per image) with max-activations 50MB.

Use instead: downsample earlier, use fewer channels at high resolution, or a smaller input.
"""


def check(ctx: LintContext) -> Iterator[Issue]:
    limit, total = ctx.budgets.max_activation_bytes, ctx.summary.totals.activation_bytes
    if limit is not None and total > limit:
        yield Issue(
            None,
            _("activations take {total} bytes, over the budget of {limit}").format(
                total=number(total), limit=number(limit)
            ),
            _("downsample earlier or use fewer channels at high resolution"),
        )


RULE = Rule("B003", "activations-over-budget", "error", "more activation memory than max-activations", DOC, check)
