"""An exporter's table: layer kind class → the function that writes it, or the reason it cannot.

Every registered kind is in one of the two (tests/test_kind_tables.py proves it), so a kind added
in cnncalc/layers/ alone is refused by name — "<kind> cannot be exported to X: <why>" — never
written wrong or met with a bare KeyError.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Generic, TypeVar

from cnncalc.errors import UnsupportedSpecError
from cnncalc.i18n import _

if TYPE_CHECKING:
    from cnncalc.layers import Layer
    from cnncalc.spec.model import Node

H = TypeVar("H", bound=Callable[..., object])
L = TypeVar("L")


def layer_as(node: Node, kind: type[L]) -> L:
    """The node's layer as the class its handler was registered for (the table looked it up by it)."""
    assert isinstance(node.layer, kind)
    return node.layer


class ExportTable(Generic[H]):
    """The handlers of one export target, by exact kind class (each kind is its own class)."""

    def __init__(self, target: str, refused: Mapping[type[Layer], str]) -> None:
        self.target = target
        self.handlers: dict[type[Layer], H] = {}
        self.refused = dict(refused)  # unsupported on purpose, with why

    def writes(self, *kinds: type[Layer]) -> Callable[[H], H]:
        """Decorator: `handler` writes each of `kinds`."""

        def register(handler: H) -> H:
            for kind in kinds:
                if kind in self.handlers or kind in self.refused:
                    raise RuntimeError(f"layer kind {kind.kind!r} listed twice in the {self.target} export")
                self.handlers[kind] = handler
            return handler

        return register

    def knows(self, kind: type[Layer]) -> bool:
        return kind in self.handlers or kind in self.refused

    def refusal(self, node: Node, why: str) -> UnsupportedSpecError:
        # The location names the layer; the message names its kind.
        message = _("{kind} cannot be exported to {target}: {why}").format(kind=node.kind, target=self.target, why=why)
        return UnsupportedSpecError(message, location=node.location)

    def handler(self, node: Node) -> H:
        """The handler of the node's kind, or the refusal naming it and why."""
        kind = type(node.layer)
        found = self.handlers.get(kind)
        if found is not None:
            return found
        reason = self.refused.get(kind)  # marked with N_() where each exporter lists it
        why = _("{folder} has no {target} export for this kind").format(folder="cnncalc/export", target=self.target)
        raise self.refusal(node, why if reason is None else _(reason))
