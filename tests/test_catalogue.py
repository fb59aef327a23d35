"""The Spanish catalogue is complete, compiles, and fits the messages it translates.

The messages are found as the maintainer's `pybabel extract` finds them (pyproject's
[tool.babel] mapping, keywords _, ngettext and N_), so a message wrapped in the code but missing
from the catalogue fails here, and so does a translation whose placeholders differ from its
message's (a KeyError in Spanish only).
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import string
import subprocess

import pytest
from tests_support import ROOT

babel_extract = pytest.importorskip("babel.messages.extract")
from babel.messages.pofile import read_po  # noqa: E402  (after the skip: Babel is in the test extra)

PACKAGE = ROOT / "cnncalc"
PO = PACKAGE / "locale" / "es" / "LC_MESSAGES" / "cnncalc.po"
KEYWORDS = {**babel_extract.DEFAULT_KEYWORDS, "N_": None}
MARKERS = {"_", "ngettext", "N_"}


def catalogue():
    with PO.open("rb") as stream:
        return read_po(stream, domain="cnncalc")


def wrapped_messages() -> dict[str, str]:
    """msgid → 'file:line' of every message marked in the package."""
    method_map = [("cli/*.py", "cnncalc._catalogues:extract_commands"), ("**.py", "python")]  # as pyproject's
    found = babel_extract.extract_from_dir(str(PACKAGE), method_map=method_map, keywords=KEYWORDS)
    return {
        (message[0] if isinstance(message, tuple) else message): f"{path}:{line}"
        for path, line, message, _comments, _context in found
    }


def test_msgfmt_finds_no_untranslated_or_fuzzy_entry():
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext's msgfmt is not installed")
    done = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", os.devnull, str(PO)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"\d+ translated messages?\.\n", done.stderr), done.stderr


def test_every_wrapped_message_is_translated():
    entries = catalogue()
    missing = [f"{where}: {msgid!r}" for msgid, where in wrapped_messages().items() if msgid not in entries]
    untranslated = [
        repr(entry.id) for entry in entries if entry.id and (entry.fuzzy or not all(_strings(entry.string)))
    ]
    hint = "run CONTRIBUTING.md's pybabel extract + update, then translate in " + str(PO.relative_to(ROOT))
    assert not missing, f"{len(missing)} messages not in the catalogue ({hint}):\n" + "\n".join(missing)
    assert not untranslated, f"{len(untranslated)} untranslated or fuzzy ({hint}):\n" + "\n".join(untranslated)


def test_the_catalogue_holds_no_message_the_code_no_longer_has():
    ids = {entry.id if isinstance(entry.id, str) else entry.id[0] for entry in catalogue() if entry.id}
    stale = sorted(ids - set(wrapped_messages()))
    assert not stale, "remove (pybabel update --ignore-obsolete):\n" + "\n".join(map(repr, stale))


def _strings(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def fields(text: str) -> set[str]:
    """The str.format placeholders of `text` ({layer}, {n:,}, {value!r} → layer, n, value)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_translations_keep_their_messages_placeholders():
    wrong = []
    for entry in catalogue():
        if not entry.id:
            continue
        expected = set().union(*(fields(text) for text in _strings(entry.id)))
        wrong += [f"{entry.id!r} → {text!r}" for text in _strings(entry.string) if fields(text) != expected]
    assert not wrong, "placeholders differ (the Spanish would raise KeyError or lose a number):\n" + "\n".join(wrong)


def test_every_message_marked_in_the_code_is_in_the_catalogue():
    """Read from the syntax tree, independently of Babel's extractor (which misses calls inside f-strings)."""
    ids = {entry.id if isinstance(entry.id, str) else entry.id[0] for entry in catalogue() if entry.id}
    missing = [f"{where}: {message!r}" for where, message in marked() if message not in ids]
    assert not missing, "not in the catalogue (never inside an f-string: Babel cannot see it):\n" + "\n".join(missing)


def marked() -> list[tuple[str, str]]:
    """('file:line', message) of every _(), ngettext() and N_() call with a literal message."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS:
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", first.value))
    return found


def test_messages_are_literals_the_catalogue_can_hold():
    """_(f"…") or _("a" + b) is extracted as nothing and never translated: placeholders instead."""
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS:
                literal = [a for a in node.args[: 2 if node.func.id == "ngettext" else 1] if not _literal(a)]
                bad += [f"{path.relative_to(ROOT)}:{node.lineno}: {node.func.id}({ast.unparse(a)})" for a in literal]
    assert not bad, "\n".join(bad)


def _literal(node: ast.expr) -> bool:
    """A string literal, or a name or attribute (a constant marked with N_ where it is defined)."""
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)) or isinstance(
        node, ast.Name | ast.Attribute
    )
