"""The flow runs one way: no module imports one that comes later in it (issue 21).

    errors, limits, reading, notation, shown, output, display, working ─► formulas ─► layers ─► importers ─► spec
    ─► graph ─► analysis ─► executor ─► export ─► render ─► config, api ─► cli

Every `import` and `from … import` of a cnncalc module counts, at the top of a module or inside a
function (a lazy import is still a dependency); imports only for type checkers
(`if TYPE_CHECKING:`) do not. Records reach their renderers through cnncalc/display.py, which
loads cnncalc/render/notebook.py by name; importers return spec documents, which spec/load.py
turns into specs.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests_support import ROOT

PACKAGE = ROOT / "cnncalc"
# Position in the flow, by module prefix (the longest prefix wins). Equal positions may import
# each other only within one prefix.
ORDER = {
    "cnncalc": 0,  # the package itself: __version__ and a lazy facade (its imports are checked below)
    "cnncalc.i18n": -1,  # the language of the messages: every stage's messages read it
    "cnncalc._catalogues": -1,  # compiles the catalogues for i18n, the build hook and the tests
    "cnncalc.errors": 0,
    "cnncalc.limits": 0,
    "cnncalc.reading": 0,
    "cnncalc.notation": 0,  # numbers, matrices and shapes as people write them, per language
    "cnncalc.pydantic_messages": 0,  # pydantic's validation texts in the active language
    "cnncalc.shown": 0,
    "cnncalc.output": 0,
    "cnncalc.display": 0,
    "cnncalc.serialize": 0,
    "cnncalc.working": 0,  # workings as data: the formulas build them, the renderers format them
    "cnncalc.formulas": 1,
    "cnncalc.spec.located": 1,  # located mappings and lists: the data structure, not the parser
    "cnncalc.layers": 2,
    "cnncalc.importers": 3,
    "cnncalc.spec": 4,
    "cnncalc.graph": 5,
    "cnncalc.analysis": 6,
    "cnncalc.executor": 7,
    "cnncalc.export": 8,
    "cnncalc.render": 9,
    "cnncalc.schemas": 9,
    "cnncalc.config": 10,
    "cnncalc.api": 10,
    "cnncalc.api_arguments": 0,  # checks API arguments by their annotations; imports errors and shown only
    "cnncalc.cli": 11,
    "cnncalc.__main__": 12,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def place(module: str) -> tuple[int, str]:
    prefix = max((p for p in ORDER if module == p or module.startswith(p + ".")), key=len)
    return ORDER[prefix], prefix


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every runtime import of a cnncalc module."""
    found: list[tuple[int, str]] = []
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and _type_checking_only(node):
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.startswith("cnncalc"):
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names if alias.name.startswith("cnncalc"))
        pending.extend(ast.iter_child_nodes(node))
    return found


def backward_edges() -> list[str]:
    edges = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = module_name(path)
        rank, prefix = place(source)
        for line, target in imports(ast.parse(path.read_text(encoding="utf-8"))):
            target_rank, target_prefix = place(target)
            if target_rank > rank or (target_rank == rank and target_prefix != prefix and rank > 0):
                edges.append(f"{path.relative_to(ROOT)}:{line}: {source} imports {target}, later in the flow")
    return edges


def test_no_module_imports_a_later_stage_of_the_flow():
    edges = backward_edges()
    assert not edges, "\n".join(edges)


def test_the_package_facade_imports_nothing_eagerly():
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    assert imports(tree) == []  # the public API is re-exported lazily, so `import cnncalc` stays light


def test_every_module_has_a_place_in_the_flow():
    for path in PACKAGE.rglob("*.py"):
        assert place(module_name(path))[1] != "cnncalc" or path.name == "__init__.py", path


def test_the_checker_sees_every_runtime_import_and_skips_type_only_ones():
    tree = ast.parse(
        "import os\nfrom cnncalc.render.summary import render_markdown\ndef f():\n    import cnncalc.cli\n"
    )
    assert sorted(module for _, module in imports(tree)) == ["cnncalc.cli", "cnncalc.render.summary"]
    guarded = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from cnncalc.api import Network\n")
    assert imports(guarded) == []
