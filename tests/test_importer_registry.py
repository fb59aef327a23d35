"""Importers are a declared registry that loading consults (issue 21): a throwaway importer put in
the registry is what `load()` reaches, for each stage, and no importer is imported until used."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests_support import imported_after

import cnncalc
from cnncalc import importers
from cnncalc.importers import IMPORTERS, Importer
from cnncalc.limits import Limits

# A two-layer network every throwaway importer returns: 4×4×2 in, FC(3) → 4·4·2·3 + 3 = 99 params.
TOY = {"input": "4x4x2", "layers": ["FC(3)"]}
TOY_PARAMS = 4 * 4 * 2 * 3 + 3


def read_toy_file(path: Path, limits: Limits, *, input_given: bool = False) -> tuple[dict[str, Any], tuple]:
    assert path.suffix == ".toy" and not input_given
    return dict(TOY), ()


def read_toy_document(document: Any, file: str, *, input_shape: tuple[int, ...] | None = None) -> dict[str, Any]:
    assert document == {"toy_format": 1}
    return dict(TOY)


def read_toy_object(
    subject: Any, input_shape: tuple[int, ...] | None, label: str
) -> tuple[dict[str, Any], tuple[Any, ...]]:
    assert label == "ToyModel" and input_shape is None
    return dict(TOY), ()


class ToyModel:
    toy = True


def _with(monkeypatch: pytest.MonkeyPatch, importer: Importer) -> None:
    monkeypatch.setattr(importers, "IMPORTERS", (*IMPORTERS, importer))


def test_a_file_importer_in_the_registry_reaches_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = tmp_path / "net.toy"
    model.write_bytes(b"\x00not text")
    _with(monkeypatch, Importer("toy", "file", f"{__name__}:read_toy_file", suffixes=(".toy",)))
    assert cnncalc.load(str(model)).summary().totals.params == TOY_PARAMS


def test_a_file_suffix_nobody_claims_is_not_imported(tmp_path: Path) -> None:
    model = tmp_path / "net.toy"
    model.write_text("input: 4x4x2\nlayers: [FC(3)]\n", encoding="utf-8")
    assert cnncalc.load(str(model)).summary().totals.params == TOY_PARAMS  # read as a spec file


def test_a_document_importer_is_chosen_by_its_sniff(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = tmp_path / "net.json"
    model.write_text('{"toy_format": 1}', encoding="utf-8")
    sniff = lambda document: isinstance(document, dict) and "toy_format" in document  # noqa: E731
    _with(monkeypatch, Importer("toy", "document", f"{__name__}:read_toy_document", sniff=sniff))
    assert cnncalc.load(str(model)).summary().totals.params == TOY_PARAMS


def test_an_object_importer_is_chosen_by_its_sniff(monkeypatch: pytest.MonkeyPatch) -> None:
    sniff = lambda subject: getattr(subject, "toy", False)  # noqa: E731
    _with(monkeypatch, Importer("toy", "object", f"{__name__}:read_toy_object", sniff=sniff))
    from cnncalc.spec.load import load_spec

    assert load_spec(ToyModel()).nodes[-1].layer.units == 3  # type: ignore[arg-type,attr-defined]


def test_the_shell_completes_files_a_declared_importer_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cnncalc.cli.completion import complete_spec

    (tmp_path / "net.toy").write_bytes(b"")
    (tmp_path / "net.onnx").write_bytes(b"")
    (tmp_path / "notes.pdf").write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    assert complete_spec("net") == ["net.onnx"]
    _with(monkeypatch, Importer("toy", "file", f"{__name__}:read_toy_file", suffixes=(".toy",)))
    assert complete_spec("net") == ["net.onnx", "net.toy"]


def test_every_declared_reader_resolves_to_a_function() -> None:
    for importer in IMPORTERS:
        assert callable(importer.read_function()), importer.name


def test_no_importer_module_is_imported_until_a_source_needs_it() -> None:
    modules = sorted({i.reader.partition(":")[0] for i in IMPORTERS})
    code = "import cnncalc; cnncalc.load('vgg16').summary(); cnncalc.load('INPUT(8x8x1) → FC(2)')"
    assert imported_after(code, modules) == []
