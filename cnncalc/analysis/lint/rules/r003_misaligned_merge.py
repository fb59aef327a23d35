"""R003: paths reach a merge with different jumps, so no single receptive field exists."""

from __future__ import annotations

from collections.abc import Iterator

from cnncalc.analysis.lint.model import Issue, LintContext, Rule
from cnncalc.i18n import _

DOC = """\
What it does: finds merges whose inputs have different effective strides (jumps).

Why is this bad: neighbouring output units then see input regions with different spacing; the
receptive field is not a single window (Araujo et al. 2019, "alignment").

Example: add(pool2(x), conv5_valid(x)) on an 8×8 input: both 4×4, jumps 2 and 1.

Use instead: give both paths the same total stride.
"""


def check(ctx: LintContext) -> Iterator[Issue]:
    for record in ctx.fields.layers:
        node = ctx.node(record.name)
        if record.axes is None and len(node.inputs) > 1:
            yield Issue(node, record.note or _("inputs are misaligned"), _("make both paths use the same total stride"))


RULE = Rule("R003", "misaligned-merge", "warning", "inputs of a merge have different jumps", DOC, check)
