"""The zoo's JSON documents are byte-identical to the recorded ones (tests/golden/regenerate.py).

A guard for refactors, not a source of numbers: tests/test_zoo.py checks the numbers against
torchvision's and Keras' published figures. If a change is meant to alter a document, regenerate
the digests and say why in the commit.
"""

from __future__ import annotations

import pytest
from golden.regenerate import GOLDEN, documents


def test_every_zoo_document_is_unchanged():
    recorded = dict(reversed(line.split("  ", 1)) for line in GOLDEN.read_text(encoding="utf-8").splitlines())
    current = documents()
    assert set(current) == set(recorded), "the zoo changed: regenerate tests/golden/zoo_json.sha256"
    changed = sorted(key for key in current if current[key] != recorded[key])
    if changed:
        pytest.fail("JSON changed for: " + ", ".join(changed) + " (tests/golden/regenerate.py if on purpose)")
