"""Shell completion of values: bundled network names and spec files, lint codes, counting conventions.

Typer asks these while the shell completes a word (`cnncalc summary vg<Tab>`); each returns the
candidates that start with what was typed so far. Nothing heavy is imported until a completion runs.
"""

from __future__ import annotations

from pathlib import Path

_MAX_FILE_CANDIDATES = 200  # a folder of thousands of files still completes at once


def complete_spec(incomplete: str) -> list[str]:
    """Bundled names, then spec files and folders whose path starts with what was typed."""
    from cnncalc.spec.load import bundled_names

    names = [name for name in bundled_names() if name.startswith(incomplete)]
    return names + _matching_paths(incomplete)


def _matching_paths(incomplete: str) -> list[str]:
    from cnncalc.spec.load import spec_file_suffixes  # besides bundled names, the files load() reads

    suffixes = spec_file_suffixes()
    folder, slash, stem = incomplete.rpartition("/")
    prefix = folder + slash  # "" for the current folder, "/" for the root, "specs/" …
    try:
        entries = sorted(Path(prefix or ".").iterdir())
    except OSError:
        return []
    found = []
    for entry in entries:
        hidden = entry.name.startswith(".") and not stem.startswith(".")
        if hidden or not entry.name.startswith(stem):
            continue
        if entry.is_dir():
            found.append(f"{prefix}{entry.name}/")
        elif entry.suffix.lower() in suffixes:
            found.append(f"{prefix}{entry.name}")
        if len(found) >= _MAX_FILE_CANDIDATES:
            break
    return found


def complete_rule_code(incomplete: str) -> list[str]:
    """Lint rule codes (S001 …) and their family letters, as --select and --ignore take them."""
    from cnncalc.analysis.lint import all_rules

    codes = [rule.code for rule in all_rules()]
    families = sorted({code[0] for code in codes})
    typed = incomplete.upper()
    return [value for value in (*families, *codes) if value.startswith(typed)]


def complete_dtype(incomplete: str) -> list[str]:
    """Element types for --dtype."""
    from cnncalc.analysis.summary import DTYPE_BYTES

    return [name for name in DTYPE_BYTES if name.startswith(incomplete)]


def complete_convention(incomplete: str) -> list[str]:
    """The tools whose counting convention --convention reproduces."""
    from cnncalc.analysis.conventions import CONVENTIONS

    return [name for name in CONVENTIONS if name.startswith(incomplete.lower())]
