"""Spec names are data in every export: hostile names (quotes, triple quotes, newlines, backslashes,
lookalike letters, lone surrogates, keywords, `self`) never become code, never collide, never crash.

The exported modules are parsed with `ast` and held to the exact shape the exporters write; the
spec's names must come back out of the module as string constants, unchanged.
"""

from __future__ import annotations

import ast
import keyword
import subprocess
import sys

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import cnncalc
from cnncalc.errors import SpecError
from cnncalc.export.keras_model import to_keras
from cnncalc.export.python_source import identifier, literal
from cnncalc.export.pytorch import to_pytorch

TOUCH = 'import os; os.system("touch PWNED")'
HOSTILE = [
    f'x"""; {TOUCH}; """',
    f"x'''; {TOUCH}; '''",
    f"a')\n{TOUCH}\n('",
    f"a\\\n{TOUCH}",
    "a",
    "ａ",  # fullwidth: Python folds it to a
    "a²",  # NFKC: a2
    "a2",
    "ｓｅｌｆ",
    "self",
    "x",
    "ｘ",
    "class",
    "match",
    "type",
    "torch",
    "nn",
    "F",
    "keras",
    "layers",
    "forward",
    "training",
    "build",
    "Net",
    "float",
    "__init__",
    "__class__",
    "_every_layer",
    "a.b",
    "a..b",
    "a.b.c",
    ".a",
    "0",
    "1.0",
    "keys",
    "\ud800",  # a lone surrogate: valid in a Python str, not in UTF-8
    "\\ud800",
    "\u202eevil",  # right-to-left override
    "a\nb",
    "a\x00b",
    "a\x1b[2Jb",
    "é",
    "e\u0301",
    "层",
    "a b",
    "a-b",
    "a_b",
]
FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
names = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=12)), min_size=1, max_size=7, unique=True
)
KINDS = [{"conv": {"filters": 2, "kernel": 1}}, {"relu": None}, {"batch_norm": None}, {"prelu": None}]


def network(layer_names: list[str], title: str) -> cnncalc.Network:
    """A chain with the given names, closed by a merge of the last layer and the first."""
    layers = [{"name": name, **KINDS[i % len(KINDS)]} for i, name in enumerate(layer_names)]
    layers.append({"name": "merged", "add": None, "inputs": [layer_names[-1], layer_names[0]]})
    try:
        return cnncalc.load({"name": title, "input": [5, 5, 2], "layers": layers})
    except SpecError:  # names the spec language itself refuses (blank, 'input', a repeat of an automatic one)
        assume(False)
        raise


def dotted(node: ast.expr) -> str:
    """self.layer1['0']['conv1'] → self.layer1.0.conv1 (so that two module placements can be compared)."""
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Subscript):
        assert isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)
        return f"{dotted(node.value)}.{node.slice.value}"
    assert isinstance(node, ast.Name)
    return node.id


def is_docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def constant_tuple(statement: ast.stmt) -> tuple[str, ...]:
    assert isinstance(statement, ast.Assign)
    value = ast.literal_eval(statement.value)
    assert isinstance(value, tuple)
    return value


def assigned_names(body: list[ast.stmt]) -> list[str]:
    targets = []
    for statement in body:
        assert isinstance(statement, ast.Assign) and len(statement.targets) == 1, ast.dump(statement)
        assert isinstance(statement.targets[0], ast.Name)
        targets.append(statement.targets[0].id)
    return targets


def check_plain(name: str, forbidden: set[str]) -> None:
    assert name.isascii() and name.isidentifier(), name
    assert not keyword.iskeyword(name) and not keyword.issoftkeyword(name) and name not in forbidden, name


def check_pytorch(source: str, net: cnncalc.Network) -> None:
    assert source.isascii()
    module = ast.parse(source)
    *head, cls = module.body
    assert is_docstring(head[0])
    assert [ast.unparse(s) for s in head[1:4]] == [
        "import torch",
        "import torch.nn.functional as F",
        "from torch import nn",
    ]
    assert all(isinstance(s, ast.FunctionDef) and s.name == "_without" for s in head[4:])
    assert isinstance(cls, ast.ClassDef) and cls.name == "Net" and ast.unparse(cls.bases[0]) == "nn.Module"
    methods = {s.name: s for s in cls.body if isinstance(s, ast.FunctionDef)}
    assert [s.name for s in cls.body] == ["__init__", "forward", "activations", "_every_layer"]  # type: ignore[attr-defined]
    init, forward, activations, every = (methods[m] for m in ("__init__", "forward", "activations", "_every_layer"))
    assert ast.unparse(init.body[0]) == "super().__init__()"
    places = []
    for statement in init.body[1:]:
        assert isinstance(statement, ast.Assign) and len(statement.targets) == 1
        assert isinstance(statement.value, ast.Call)
        assert ast.unparse(statement.value.func).startswith(("nn.", "_without"))
        places.append(dotted(statement.targets[0]))
    assert len(places) == len(set(places)), "a module replaced another"
    assert all(p.split(".")[1] not in {"forward", "activations", "training", "type"} for p in places)
    assert is_docstring(forward.body[0]) and ast.unparse(forward.body[1]) == "values = self._every_layer(x)"
    assert isinstance(forward.body[2], ast.Return) and len(forward.body) == 3
    assert is_docstring(activations.body[0]) and len(activations.body) == 3
    assert constant_tuple(activations.body[1]) == net.layer_names  # the names come back as data, unchanged
    assert ast.unparse(activations.body[2]) == "return dict(zip(names, self._every_layer(x)))"
    *steps, returned = every.body
    variables = assigned_names(steps)
    assert len(variables) == len(set(variables)) == len(net.layer_names), "a layer's value replaced another's"
    for variable in variables:
        check_plain(variable, {"x", "self", "torch", "nn", "F", "Net", "float", "values", "names"})
    assert isinstance(returned, ast.Return) and ast.unparse(returned.value) == "(" + ", ".join(variables) + ")"


def check_keras(source: str, net: cnncalc.Network) -> None:
    assert source.isascii()
    module = ast.parse(source)
    assert is_docstring(module.body[0])
    assert [ast.unparse(s) for s in module.body[1:3]] == ["import keras", "from keras import layers"]
    assert len(module.body) == 4 and isinstance(module.body[3], ast.FunctionDef) and module.body[3].name == "build"
    *steps, returned = module.body[3].body
    variables = assigned_names(steps)
    assert len(variables) == len(set(variables)) >= len(net.layer_names)
    for statement, variable in zip(steps, variables, strict=True):
        check_plain(variable, {"keras", "layers", "build"})
        call = statement.value
        assert isinstance(call, ast.Call)
        layer = call.func if isinstance(call.func, ast.Call) else call  # layers.X(...)(source) or keras.Input(...)
        assert ast.unparse(layer.func).startswith(("layers.", "keras.Input"))  # type: ignore[attr-defined]
        given = {k.arg: ast.literal_eval(k.value) for k in layer.keywords}  # type: ignore[attr-defined]
        assert given["name"] == variable  # every Keras layer is named as its variable: unique, plain
    assert isinstance(returned, ast.Return) and ast.unparse(returned.value).startswith("keras.Model(")


@FUZZ
@given(names, st.sampled_from(HOSTILE))
def test_hostile_names_stay_data_in_pytorch_exports(layer_names, title):
    net = network(layer_names, title)
    check_pytorch(to_pytorch(net.graph), net)


@FUZZ
@given(names, st.sampled_from(HOSTILE))
def test_hostile_names_stay_data_in_keras_exports(layer_names, title):
    net = network(layer_names, title)
    check_keras(to_keras(net.graph), net)


@settings(max_examples=500, deadline=None)
@given(st.text(), st.sets(st.text(max_size=6), max_size=5))
def test_identifier_is_plain_ascii_and_avoids_what_is_taken(name, taken):
    made = identifier(name, taken)
    check_plain(made, taken)
    assert made[0].isalpha()  # never _private, __mangled or a __dunder__


@settings(max_examples=500, deadline=None)
@given(st.text() | st.lists(st.sampled_from(["#", "[", "\\", "x", "'"])).map("".join))
@example("##[error]forged")
@example("\\##[")
def test_literal_is_one_printable_ascii_line_that_reads_back(text):
    made = literal(text)
    assert all(" " <= c <= "~" for c in made)
    assert "##[" not in made  # a CI log acts on it anywhere in a line
    assert ast.literal_eval(made) == text


def test_identifier_folds_as_python_does_and_keeps_names_apart():
    assert identifier("a²") == "a2"  # a SyntaxError once
    assert identifier("ａ") == "a"
    assert identifier("ａ", {"a"}) == "a_2"  # a and fullwidth a fold together, and must stay two layers
    assert identifier("é") == "e"
    assert identifier("layer1.0.conv1") == "layer1_0_conv1"
    assert identifier("class") == "class_"
    assert identifier("match") == "match_"  # a soft keyword
    assert identifier("print") == "print_"  # a builtin, which a local of that name would hide
    assert identifier("0") == "layer_0"
    assert identifier("__init__") == "layer___init__"


def test_module_attributes_match_torch():
    """The export's list of nn.Module attributes (kept so the export needs no torch) is complete."""
    torch = pytest.importorskip("torch")
    from cnncalc.export.pytorch import MODULE_ATTRIBUTES, MODULE_DICT_ATTRIBUTES

    public = {n for n in dir(torch.nn.Module) if not n.startswith("_")} | {"training"}
    assert public <= MODULE_ATTRIBUTES
    assert {n for n in dir(torch.nn.ModuleDict) if not n.startswith("_")} <= MODULE_DICT_ATTRIBUTES


@pytest.mark.parametrize("target", ["pytorch", "keras"])
def test_running_an_export_of_an_evil_spec_runs_no_command(run_cli, tmp_path, target):
    """The published attack: the spec's name closed the docstring and ran a command on import,
    before `import torch`, so it needed no torch. Run the exported file as a victim would."""
    evil = tmp_path / "evil.yaml"
    layers = [{"name": f"a')\n{TOUCH}\n('", "conv": [2, 1]}, {"name": f'b"""\n{TOUCH}', "relu": None}]
    evil.write_text(
        yaml.safe_dump({"name": f'x"""; {TOUCH}; """', "input": "5x5x2", "layers": layers}), encoding="utf-8"
    )
    assert cnncalc.load(str(evil)).graph.spec.name == f'x"""; {TOUCH}; """'  # the attack reached the spec
    exported = tmp_path / "net.py"
    code, _, err = run_cli("export", str(evil), "--to", target, "-o", str(exported))
    assert code == 0, err
    subprocess.run([sys.executable, str(exported)], cwd=tmp_path, capture_output=True, timeout=300, check=False)
    assert not (tmp_path / "PWNED").exists()
    ast.parse(exported.read_text(encoding="utf-8"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(names)
def test_hostile_pytorch_exports_build_and_name_every_value(layer_names):
    """With torch: the module builds, has cnncalc's parameter count, and activations() is keyed by the
    spec's own names."""
    torch = pytest.importorskip("torch")
    net = network(layer_names, "net")
    namespace: dict[str, object] = {}
    exec(compile(to_pytorch(net.graph), "generated", "exec"), namespace)  # the test runs generated code
    model = namespace["Net"]().eval()
    assert sum(p.numel() for p in model.parameters()) == net.summary().totals.trainable_params
    with torch.no_grad():
        values = model.activations(torch.randn(2, 2, 5, 5))
    assert list(values) == list(net.layer_names)
    assert all(tuple(v.shape[1:]) == (2, 5, 5) for v in values.values())


def test_onnx_names_survive_lone_surrogates_and_stay_unique():
    onnx = pytest.importorskip("onnx")
    from cnncalc.export.onnx_model import to_onnx

    net = network(["\ud800", "\\ud800", "a.weight", "a", "merged:1"], "\udc00 net")
    model = to_onnx(net.graph)
    onnx.checker.check_model(onnx.load_from_string(model.SerializeToString()), full_check=True)
    tensors = [t.name for t in model.graph.initializer] + [o for n in model.graph.node for o in n.output]
    assert len(tensors) == len(set(tensors))
    nodes = [n.name for n in model.graph.node]
    assert len(nodes) == len(set(nodes))
    assert {"a", "a.weight", "\\ud800", "merged:1"} <= set(tensors)  # the names UTF-8 can carry are kept


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(names, st.sampled_from(HOSTILE))
def test_hostile_names_in_onnx_exports_serialise_and_stay_apart(layer_names, title):
    onnx = pytest.importorskip("onnx")
    from cnncalc.export.onnx_model import to_onnx

    net = network(layer_names, title)
    model = onnx.load_from_string(to_onnx(net.graph).SerializeToString())
    onnx.checker.check_model(model, full_check=True)
    produced = [o for n in model.graph.node for o in n.output]
    tensors = [t.name for t in model.graph.initializer] + produced + [i.name for i in model.graph.input]
    assert len(tensors) == len(set(tensors)) == len(model.graph.initializer) + len(model.graph.node) + 1
    # every name that UTF-8 can carry is kept as the spec wrote it
    kept = {
        name for name in net.layer_names if name.encode("utf-8", "surrogatepass").decode("utf-8", "replace") == name
    }
    assert kept <= set(tensors)
