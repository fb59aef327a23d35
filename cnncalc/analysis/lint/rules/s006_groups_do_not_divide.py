"""S006: groups do not divide the channel counts."""

from cnncalc.analysis.lint.model import Rule

DOC = """\
What it does: reports grouped convolutions (and group norm) whose groups do not divide the input
and output channels.

Why is this bad: each group must see Ci/groups channels and produce Co/groups; frameworks reject it.

Example: INPUT(8x8x3) → CONV(4, k=1, g=2)

Use instead: groups that divide both channel counts (AlexNet: 2; depthwise: groups = Ci).
"""

RULE = Rule("S006", "groups-do-not-divide", "error", "groups do not divide the channels", DOC)
