"""R001: no unit of the last feature map sees the whole input."""

from __future__ import annotations

from collections.abc import Iterator

from cnncalc.analysis.lint.model import Issue, LintContext, Rule
from cnncalc.analysis.lint.walk import final_field_axes
from cnncalc.i18n import _
from cnncalc.layers.base import axis_name

DOC = """\
What it does: compares the receptive field of the last spatial feature map with the input size.

Why is this bad: a classifier whose final units each see only part of the image cannot relate
distant parts of it; objects larger than the field are never seen whole (Araujo et al., 2019).

Example: INPUT(224x224x3) → [CONV(16, 3, p=1) → RELU] x 3 → GAP → FC(10)   (field 7×7)

Use instead: more layers, larger strides or dilation — or a smaller input. Dense prediction nets
(segmentation) usually want a field smaller than the image: ignore R001 for them.
"""


def check(ctx: LintContext) -> Iterator[Issue]:
    node, axes = final_field_axes(ctx)
    short = [(axis, field, size) for axis, field, size in axes if field < size]
    if node is not None and short:
        text = ", ".join(f"{axis_name(a, len(axes))} {f} < {s}" for a, f, s in short)
        yield Issue(
            node,
            _(
                "the receptive field of the last feature map is smaller than the input ({text}):"
                " no unit sees the whole image"
            ).format(text=text),
            _("add layers, stride or dilation to grow the field, or use a smaller input"),
        )


RULE = Rule("R001", "field-smaller-than-input", "warning", "final receptive field smaller than the input", DOC, check)
