"""What both front ends produce before expansion: layer calls and repeated groups, with positions."""

from __future__ import annotations

from dataclasses import dataclass, field

from cnncalc.errors import Location


@dataclass(frozen=True)
class LayerCall:
    """One layer as the user wrote it: a spelling, positional and keyword arguments."""

    spelling: str
    positional: tuple[object, ...] = ()
    keywords: tuple[tuple[str, object], ...] = ()
    location: Location = field(default_factory=Location)


@dataclass(frozen=True)
class Group:
    """`[ … ] x N` in a chain: the items repeated N times."""

    items: tuple[LayerCall | Group, ...]
    count: int
    location: Location = field(default_factory=Location)
