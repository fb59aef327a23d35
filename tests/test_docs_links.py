"""Every relative link in the README, CONTRIBUTING.md and docs/ points at a file of the repository,
as GitHub resolves it (from the folder of the page that holds it)."""

from __future__ import annotations

import re

import pytest
from tests_support import ROOT

PAGES = sorted([ROOT / "README.md", ROOT / "CONTRIBUTING.md", *(ROOT / "docs").glob("*.md")])
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def relative_links(text: str) -> list[str]:
    return [target for target in LINK.findall(text) if not re.match(r"[a-z]+:", target)]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_relative_link_resolves(page):
    broken = [t for t in relative_links(page.read_text(encoding="utf-8")) if not (page.parent / t).exists()]
    assert not broken, f"{page.relative_to(ROOT)}: {broken}"


def test_links_are_read_as_github_reads_them():
    text = "see [a](json.md), [b](../README.md#install), [c](https://example.org/x) and [d](mailto:x@y)"
    assert relative_links(text) == ["json.md", "../README.md"]
