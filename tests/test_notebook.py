"""The walkthrough notebooks run top to bottom (their cells assert the notes' own arithmetic), and
the outputs stored in them are what a fresh run prints: never stale.

The two notebooks (Spanish and its English twin) are written by examples/make_walkthroughs.py;
after changing it, or any output cnncalc prints, refresh the stored outputs with
`CNNCALC_REFRESH_NOTEBOOKS=1 pytest tests/test_notebook.py`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NOTEBOOKS = {"es": EXAMPLES / "seeds_walkthrough.ipynb", "en": EXAMPLES / "seeds_walkthrough_en.ipynb"}
REFRESH = "CNNCALC_REFRESH_NOTEBOOKS"


def _generator():
    spec = importlib.util.spec_from_file_location("make_walkthroughs", EXAMPLES / "make_walkthroughs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sources(notebook: dict) -> list[tuple[str, str]]:
    return [(cell["cell_type"], "".join(cell["source"])) for cell in notebook["cells"]]


@pytest.mark.parametrize("language", NOTEBOOKS)
def test_notebook_sources_are_the_generators(language):
    """Twins stay twins: the stored cells are what make_walkthroughs.py writes (outputs aside)."""
    stored = json.loads(NOTEBOOKS[language].read_text(encoding="utf-8"))
    assert _sources(stored) == _sources(_generator().notebook(language)), "run python examples/make_walkthroughs.py"


def test_no_link_leaves_the_repository():
    """The notes are cited by title and section, never by a path outside the repository."""
    for path in NOTEBOOKS.values():
        text = "".join(source for _, source in _sources(json.loads(path.read_text(encoding="utf-8"))))
        assert "../" not in text and "shared/seeds" not in text, path
        assert not re.search(r"\]\((?!#)[^)]*\)", text), path  # no Markdown link at all


def _shown(output: dict) -> dict:
    """What a reader sees of an output: its text, or the richest form Jupyter shows of a value (a
    record's table, not the dataclass repr behind it), without counters, timings or metadata."""
    if output["output_type"] == "stream":
        return {"stream": output["name"], "text": "".join(output["text"])}
    if output["output_type"] == "error":
        return {"error": output["ename"], "value": output["evalue"]}
    data = output["data"]
    kind = next(k for k in ("text/html", "text/markdown", "text/plain", *data) if k in data)
    value = data[kind]
    return {kind: "".join(value) if isinstance(value, list) else value}


def _outputs(notebook: dict) -> list[list[dict]]:
    return [[_shown(o) for o in cell["outputs"]] for cell in notebook["cells"] if cell["cell_type"] == "code"]


@pytest.mark.parametrize("language", NOTEBOOKS)
def test_the_notebook_runs_and_its_stored_outputs_are_current(language):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    path = NOTEBOOKS[language]
    notebook = nbformat.read(path, as_version=4)
    stored = _outputs(json.loads(path.read_text(encoding="utf-8")))
    nbclient.NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        record_timing=False,  # stored notebooks change only when an output does
        resources={"metadata": {"path": str(EXAMPLES)}},
    ).execute()
    fresh = _outputs(json.loads(nbformat.writes(notebook)))
    assert not [o for cell in fresh for o in cell if "error" in o], fresh
    assert any("conv_1" in o.get("text/html", "") and "760" in o["text/html"] for cell in fresh for o in cell)
    if os.environ.get(REFRESH):
        nbformat.write(notebook, path)
        return
    assert fresh == stored, f"{path.name}: stored outputs are stale; run {REFRESH}=1 pytest tests/test_notebook.py"
