"""S002: a size collapses to zero or below (a kernel larger than its padded input)."""

from cnncalc.analysis.lint.model import Rule

DOC = """\
What it does: reports a layer whose output would have zero or negative size on an axis — its
(dilated) kernel is larger than its padded input.

Why is this bad: the network cannot run; frameworks fail with "Computed output size would be
zero or negative" or "Kernel size can't be greater than actual input size".

Example: INPUT(4x4x3) → CONV(8, k=5)

Use instead: a smaller kernel or stride, padding, fewer downsampling layers or a larger input.
"""

RULE = Rule("S002", "output-collapses", "error", "output size reaches zero (kernel larger than input)", DOC)
