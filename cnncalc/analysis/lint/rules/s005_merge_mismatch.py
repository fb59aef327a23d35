"""S005: inputs of add/concat/multiply do not agree in shape."""

from cnncalc.analysis.lint.model import Rule

DOC = """\
What it does: reports element-wise merges (add, multiply, …) whose inputs differ in channels or
spatial size, and concatenations whose inputs differ in anything but the channel axis.

Why is this bad: the network cannot run; a residual connection needs a projection, a U-Net skip
needs a crop.

Example: input 8×8×3 added to a conv output of 8×8×4.

Use instead: a 1×1 convolution (with the same stride) on the shortcut, or center_crop/zero_pad.
"""

RULE = Rule("S005", "merge-shape-mismatch", "error", "channel or spatial mismatch at a merge", DOC)
