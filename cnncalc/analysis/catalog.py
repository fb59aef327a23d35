"""The catalogue of layer kinds: what `cnncalc layers` lists and the docs describe."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from cnncalc.layers import registry


@dataclass(frozen=True)
class KindInfo:
    kind: str
    description: str
    aliases: tuple[str, ...]
    positional: tuple[str, ...]
    arguments: tuple[str, ...]
    example: str

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


def layer_catalog() -> tuple[KindInfo, ...]:
    """Every registered kind with its spellings and arguments, sorted by name."""
    return tuple(
        KindInfo(
            kind=kind,
            description=cls.description,
            aliases=tuple(sorted(set(cls.aliases) - {kind})),
            positional=cls.positional,
            arguments=tuple(cls.arguments),
            example=cls.example,
        )
        for kind, cls in sorted(registry().items())
    )
