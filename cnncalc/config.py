"""Project configuration: `[tool.cnncalc]` in pyproject.toml or a `.cnncalc.toml`, found upwards.

A repository's config is input from whoever wrote the repository: it is read like any other file
(bounded, regular files only) and every way it can be wrong is a SpecError naming the file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

from cnncalc.errors import LimitError, Location, SpecError, SyntaxSpecError, ValidationSpecError
from cnncalc.i18n import N_, _
from cnncalc.limits import DEFAULT_LIMITS
from cnncalc.reading import read_limited, read_text_limited

CONFIG_FILES = (".cnncalc.toml", "pyproject.toml")


def find_config_file(start: Path) -> Path | None:
    """The nearest .cnncalc.toml, or pyproject.toml with a [tool.cnncalc] table, from `start` up."""
    for folder in (start.resolve(), *start.resolve().parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    """Whether a pyproject.toml configures cnncalc. One that cannot be read is refused when it names
    cnncalc (its settings would be silently lost), and otherwise left to the tools it is for."""
    try:
        tool = _parse(path).get("tool")
    except SpecError:
        if _names_cnncalc(path):
            raise
        return False
    return isinstance(tool, Mapping) and "cnncalc" in tool


def _names_cnncalc(path: Path) -> bool:
    try:
        return b"cnncalc" in read_limited(path, DEFAULT_LIMITS.max_config_bytes, what="config file")
    except SpecError:
        return False


def read_config(path: Path) -> dict[str, object]:
    """The cnncalc settings table of a config file."""
    data = _parse(path)
    if path.name == "pyproject.toml" or set(data) == {"tool"}:  # a [tool.cnncalc] table pasted as it is
        return dict(_table(_table(data.get("tool", {}), "tool", path).get("cnncalc", {}), "tool.cnncalc", path))
    return data


def _parse(path: Path) -> dict[str, object]:
    where = Location(file=str(path))
    text = read_text_limited(path, DEFAULT_LIMITS.max_config_bytes, what=N_("config file"))
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SyntaxSpecError(_("invalid TOML: {problem}").format(problem=exc), location=where) from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise LimitError(_("the TOML is nested too deeply"), location=where) from None
    except ValueError as exc:  # an integer past Python's 4,300-digit conversion limit
        raise SyntaxSpecError(_("invalid TOML: {problem}").format(problem=str(exc)[:80]), location=where) from None


def _table(value: object, key: str, path: Path) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise ValidationSpecError(
            _("'{key}' is {type} {value}, not a table").format(key=key, type=type(value).__name__, value=_short(value)),
            location=Location(file=str(path)),
            hint=_("write it as a [{key}] section").format(key=key),
        )
    return value


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"
