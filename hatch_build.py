"""Build hook: compile the gettext catalogues (cnncalc/locale/*/LC_MESSAGES/cnncalc.po) into the wheel.

The .mo files are build products, not committed (.gitignore): each build compiles them from the .po
with Babel (a build requirement) through cnncalc/_catalogues.py, the function the test suite uses
for a source checkout. That file is loaded by path: the build environment has Babel, not cnncalc's
dependencies.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def _catalogues(root: Path) -> Any:
    spec = importlib.util.spec_from_file_location("cnncalc_catalogues", root / "cnncalc" / "_catalogues.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class CataloguesHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":  # the sdist ships the .po; its wheel compiles them
            return
        root = Path(self.root)
        catalogues = _catalogues(root)
        for mo in catalogues.compile_all(root / "cnncalc" / "locale"):
            # .gitignore'd files are left out of the wheel unless included by name
            build_data["force_include"][str(mo)] = mo.relative_to(root).as_posix()
