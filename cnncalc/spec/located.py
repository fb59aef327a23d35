"""Mappings and sequences read from a spec file that remember where each part was written."""

from __future__ import annotations

from cnncalc.errors import Location


class LocDict(dict):
    """A mapping that remembers its own location and the location of each key."""

    def __init__(self, location: Location) -> None:
        super().__init__()
        self.location = location
        self.key_locations: dict[str, Location] = {}

    def where(self, key: str) -> Location:
        return self.key_locations.get(key, self.location)


class LocList(list):
    """A sequence that remembers its own location and that of each item."""

    def __init__(self, location: Location) -> None:
        super().__init__()
        self.location = location
        self.item_locations: list[Location] = []

    def where(self, index: int) -> Location:
        if 0 <= index < len(self.item_locations):
            return self.item_locations[index]
        return self.location


def location_of(obj: object, fallback: Location) -> Location:
    return getattr(obj, "location", fallback)
