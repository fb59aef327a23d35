"""R002: the final receptive field is many times the input: outer units see mostly padding."""

from __future__ import annotations

from collections.abc import Iterator

from cnncalc.analysis.lint.model import Issue, LintContext, Rule
from cnncalc.analysis.lint.walk import final_field_axes
from cnncalc.i18n import _, number
from cnncalc.layers.base import axis_name

RATIO = 4
DOC = f"""\
What it does: reports a last feature map whose receptive field exceeds {RATIO}× the input size.

Why is this bad: most of each field lies in the zero padding, so the outer units mix image and
padding and the effective field is far smaller than the theoretical one (Luo et al., 2016).

Example: a ResNet-152 run on a 64×64 input.

Use instead: a larger input, or fewer downsampling stages for small images.
"""


def check(ctx: LintContext) -> Iterator[Issue]:
    node, axes = final_field_axes(ctx)
    for axis, field, size in axes:
        if node is not None and field > RATIO * size:
            yield Issue(
                node,
                _(
                    "receptive field {field} on axis {axis} is {times}× the input ({size}):"
                    " outer units see mostly padding"
                ).format(
                    field=field, axis=axis_name(axis, len(axes)), times=number(float(field) / size, ".1f"), size=size
                ),
                _("use a larger input or fewer downsampling stages"),
            )
            return


RULE = Rule("R002", "field-much-larger-than-input", "info", "final field many times the input", DOC, check)
