"""S007: any other impossible shape (reshape, crop, output padding, rank)."""

from cnncalc.analysis.lint.model import Rule

DOC = """\
What it does: reports shape problems other than S002/S005/S006: a reshape to a different number of
values, a crop that removes everything, output padding not smaller than the stride, a spatial
layer applied to a flat vector, a per-axis value with the wrong number of axes.

Why is this bad: the network cannot run.

Example: INPUT(10) → CONV(4, 3)

Use instead: what the message's hint says for the case at hand.
"""

RULE = Rule("S007", "invalid-shape", "error", "an impossible shape", DOC)
