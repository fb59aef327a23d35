"""Project configuration: `[tool.cnncalc]` in pyproject.toml or a `.cnncalc.toml`, found upwards."""

from __future__ import annotations

import tomllib
from pathlib import Path

from cnncalc.errors import Location, SyntaxSpecError

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
    try:
        return "cnncalc" in tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
        return False


def read_config(path: Path) -> dict[str, object]:
    """The cnncalc settings table of a config file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SyntaxSpecError(f"invalid TOML: {exc}", location=Location(file=str(path))) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SyntaxSpecError(f"cannot read config: {exc}", location=Location(file=str(path))) from None
    if path.name == "pyproject.toml" or set(data) == {"tool"}:  # a [tool.cnncalc] table pasted as it is
        return dict(data.get("tool", {}).get("cnncalc", {}))
    return data
