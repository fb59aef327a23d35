"""A006: a layer whose output nothing reads and that is not a network output."""

from __future__ import annotations

from collections.abc import Iterator

from cnncalc.analysis.lint.model import Issue, LintContext, Rule
from cnncalc.i18n import _

DOC = """\
What it does: finds layers that no other layer reads and that are not listed in `outputs:`.

Why is this bad: a dead branch still counts in parameters and cost, and usually means a wrong
`inputs:` reference.

Example: a branch `aux` computed but missing from `outputs: [head, aux]`.

Use instead: connect it, list it in `outputs:`, or remove it.
"""


def check(ctx: LintContext) -> Iterator[Issue]:
    outputs = set(ctx.graph.spec.outputs)
    for node in ctx.graph.nodes:
        if not ctx.graph.consumers[node.name] and node.name not in outputs:
            yield Issue(
                node,
                _("nothing reads this layer and it is not an output"),
                _("connect it, add it to outputs:, or remove it"),
            )


RULE = Rule("A006", "unused-layer", "warning", "a layer nothing reads", DOC, check)
