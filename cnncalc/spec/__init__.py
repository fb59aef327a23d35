"""Spec layer: text or file → validated, expanded `Spec` (nodes in definition order)."""

from cnncalc.spec.load import bundled_names, bundled_specs_dir, load_spec
from cnncalc.spec.model import Node, Spec

__all__ = ["Node", "Spec", "bundled_names", "bundled_specs_dir", "load_spec"]
