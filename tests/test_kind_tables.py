"""Every per-kind table covers every registered layer kind, or the kind is refused on purpose.

A kind declared only in cnncalc/layers/ must make these tests fail, naming each table it is
missing from — never count 0 somewhere without a word (issue 21).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cnncalc.analysis.conventions import TABLES, LayerCost, rule_of
from cnncalc.errors import UnsupportedSpecError
from cnncalc.executor.kernels import kernels
from cnncalc.export import keras_model, onnx_model, pytorch
from cnncalc.layers import registry
from cnncalc.layers.base import Family, Layer, ParamCount, Saved, Shape, register, undeclared
from cnncalc.render.svg import COLOURS


def _tables() -> dict[str, Callable[[type[Layer]], bool]]:
    """Table name → does it know this kind?"""
    found: dict[str, Callable[[type[Layer]], bool]] = {
        "executor kernels (cnncalc/executor/kernels/)": lambda cls: cls.kind in kernels(),
        "diagram colours (cnncalc/render/svg.py COLOURS)": lambda cls: cls.family in COLOURS,
    }
    for convention, rules in TABLES.items():
        found[f"{convention} convention (cnncalc/analysis/conventions.py)"] = lambda cls, rules=rules: cls in rules
    for module in (pytorch, keras_model, onnx_model):  # written, or refused on purpose with why
        where = f"{module.TABLE.target} export (cnncalc/export/{module.__name__.rsplit('.', 1)[-1]}.py TABLE)"
        found[where] = module.TABLE.knows
    return found


def missing_tables(cls: type[Layer]) -> list[str]:
    return [name for name, knows in _tables().items() if not knows(cls)]


@pytest.mark.parametrize("kind", sorted(registry()))
def test_every_table_knows_every_kind(kind):
    missing = missing_tables(registry()[kind])
    assert not missing, f"layer kind {kind!r} is missing from: " + "; ".join(missing)


def test_every_table_lists_only_registered_kinds():
    known = set(registry().values())
    for convention, rules in TABLES.items():
        assert set(rules) <= known, convention
    assert set(kernels()) <= set(registry())
    assert set(COLOURS) == set(Family)
    for module in (pytorch, keras_model, onnx_model):
        table = module.TABLE
        assert set(table.handlers) | set(table.refused) <= known, table.target
        assert not set(table.handlers) & set(table.refused), table.target  # written or refused, never both


def test_the_kinds_module_names_every_registered_kind():
    """cnncalc/layers/kinds.py, which the tables import as `k`, holds every kind class (and the two
    groups some tables key on): a new kind is there to be written in a table as `k.NewKind`."""
    from cnncalc.layers import kinds

    named = {getattr(kinds, name) for name in dir(kinds) if isinstance(getattr(kinds, name), type)}
    assert set(registry().values()) <= named
    assert {cls.__name__ for cls in named - set(registry().values())} == {"AdaptivePool", "GlobalPool"}


def test_no_exporter_compares_kind_names():
    """The exporters dispatch on kind classes through their tables (issue 21): no `kind == "…"`."""
    import re
    from pathlib import Path

    import cnncalc.export

    folder = Path(cnncalc.export.__file__).parent
    for path in sorted(folder.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        found = re.findall(r"\bkind\s*(?:==|!=|\bin\b|\bnot in\b)\s*[(\[{\"'A-Z]", text)
        assert not found, (path.name, found)
        assert not re.search(r"node\.kind\s*(?:==|!=|\bin\b)", text), path.name


def test_refused_on_purpose_says_why():
    """A kind an exporter lists as unsupported is refused with that reason, naming the kind once."""
    from cnncalc.layers.conv import LocallyConnected

    graph = _network_of(LocallyConnected).graph
    exporters = _exporters()
    for name, module in (("pytorch", pytorch), ("keras", keras_model), ("onnx", onnx_model)):
        if name not in exporters:
            continue  # onnx not installed
        with pytest.raises(UnsupportedSpecError) as refused:
            exporters[name](graph)
        table = module.TABLE
        assert (
            refused.value.message
            == f"locally_connected cannot be exported to {table.target}: " + table.refused[LocallyConnected]
        )


class RMSNorm(Layer):
    """A throwaway kind, declared only here (never registered): what a newcomer would add."""

    kind = "rms_norm"
    family = Family.NORMALIZATION
    backward_saves = (Saved.INPUT,)

    def params(self, inputs: tuple[Shape, ...], output: Shape) -> ParamCount:
        return ParamCount(output[-1])

    def macs(self, inputs: tuple[Shape, ...], output: Shape) -> int:
        return 0


def test_a_kind_declared_only_in_layers_is_missing_from_every_table():
    missing = missing_tables(RMSNorm)
    assert missing == [name for name in _tables() if not name.startswith("diagram colours")]
    assert any("executor" in name for name in missing) and sum("convention" in name for name in missing) == 5
    assert [name.split(" ")[0] for name in missing if " export " in name] == ["PyTorch", "Keras", "ONNX"]


# -- exporters: every kind is written, or refused by name ------------------------------------------
INPUT = "16x16x32"
ON_THIS_INPUT = {"center_crop": "CENTER_CROP(8)", "reshape": "RESHAPE(4x4x512)"}  # their examples need others


def _network_of(cls: type[Layer]):
    import cnncalc

    if cls.min_inputs >= 2:  # a merge of two branches
        branches = [{"name": "a", "relu": None}, {"name": "b", "relu": None, "inputs": ["input"]}]
        return cnncalc.load(
            {"input": INPUT, "layers": [*branches, {"name": "m", cls.kind: None, "inputs": ["a", "b"]}]}
        )
    return cnncalc.load(f"INPUT({INPUT}) → {ON_THIS_INPUT.get(cls.kind, cls.example or cls.kind)}")


def _exporters() -> dict[str, Callable[[object], object]]:
    from cnncalc.export.keras_model import to_keras
    from cnncalc.export.pytorch import to_pytorch

    found: dict[str, Callable[[object], object]] = {"pytorch": to_pytorch, "keras": to_keras}
    try:
        import onnx  # noqa: F401

        from cnncalc.export.onnx_model import to_onnx

        found["onnx"] = to_onnx
    except ImportError:
        pass
    return found


@pytest.mark.parametrize("kind", sorted(set(registry()) - {"input"}))
def test_every_exporter_writes_or_refuses_every_kind_by_name(kind):
    graph = _network_of(registry()[kind]).graph
    for exporter, export in _exporters().items():
        try:
            export(graph)
        except UnsupportedSpecError as error:
            assert error.message.startswith(f"{kind} cannot be exported to "), (exporter, error.message)
            assert error.location.layer, (exporter, str(error))  # the layer is named once, by the location


def test_every_exporter_refuses_a_kind_declared_only_in_layers():
    from cnncalc.graph import build_graph
    from cnncalc.layers.dense import Input
    from cnncalc.spec.model import Node, Spec

    nodes = (Node("input", Input(shape=(8, 8, 4)), ()), Node("norm", RMSNorm.trusted({}), ("input",)))
    graph = build_graph(Spec(nodes, ("norm",)))
    for export in _exporters().values():
        with pytest.raises(UnsupportedSpecError, match="rms_norm") as refused:  # ONNX's weights come from the executor
            export(graph)
        assert (
            refused.value.message.startswith("rms_norm cannot be exported to ") or "no kernel" in refused.value.message
        )


def test_conventions_refuse_a_kind_they_do_not_know():
    cost = LayerCost(RMSNorm, 0, 8, 8, 8, False, True, 0)
    for convention, rules in TABLES.items():
        with pytest.raises(UnsupportedSpecError, match=f"{convention} convention does not know .* 'rms_norm'"):
            rule_of(convention, rules, cost)


def test_the_executor_refuses_a_kind_with_no_kernel():
    with pytest.raises(UnsupportedSpecError, match="no kernel for layer kind 'rms_norm'"):
        kernels()["rms_norm"]


def test_a_kind_must_declare_its_hooks_and_traits():
    class Forgetful(Layer):
        kind = "forgetful"

    assert undeclared(Forgetful) == ["family", "backward_saves", "params", "macs"]
    with pytest.raises(TypeError, match="'forgetful' does not declare family, backward_saves, params, macs"):
        register(Forgetful)
    assert "forgetful" not in registry()


def test_every_registered_kind_declares_its_own_hooks_and_traits():
    for kind, cls in registry().items():
        assert undeclared(cls) == [], kind
        assert isinstance(cls.family, Family) and all(isinstance(token, Saved) for token in cls.backward_saves), kind
