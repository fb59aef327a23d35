"""The fuzz tier of the default test run: bounded, seeded fuzzing of the importers and the command line.

Each target runs for CNNCALC_FUZZ_SECONDS (default 3) from the seed CNNCALC_FUZZ_SEED (random when
unset, and printed with every failure so the run can be repeated exactly). Every case has its own
time limit (CNNCALC_FUZZ_CASE_SECONDS, default 10): a case that takes longer is a hang and fails.

- Keras JSON: the documents of tests/test_import_keras.py and four keras.applications models as
  Keras wrote them (tests/fixtures/keras: Rescaling, Normalization, layer norm and scale, nested
  models), mutated structurally (keys dropped, values replaced by other JSON types and hostile
  numbers, items duplicated) and byte by byte.
- ONNX: the models of tests/test_import_onnx.py, the torch exports of tests/fixtures/onnx (both
  exporters: Identity chains, shape arithmetic, Split/Slice, SplitToSequence, channel shuffles) and
  torch.chunk's shape arithmetic (tests/test_import_onnx_ops.py), mutated in the protobuf (attributes
  retyped and rescaled, inputs renamed, initializers reshaped or pointed at external files, nodes
  deleted, duplicated and reordered, op types swapped) and then byte by byte. External data must
  never be opened.
- The command line: every command × --format pair, on mutated chains, YAML specs and both model
  kinds, with random values for the options a command requires.

Only cnncalc's own SpecError (exit code 2) may come out of bad input; anything else is a bug.
"""

from __future__ import annotations

import ast
import copy
import gzip
import json
import os
import random
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from test_cli_fuzz import COMMANDS, SPECS, VALUES
from test_import_keras import fashion_mnist_keras2, functional, sequential
from test_robustness import ALPHABET, VALID_YAML
from tests_support import ROOT
from typer.testing import CliRunner

import cnncalc
from cnncalc.cli.app import app
from cnncalc.errors import SpecError

SEED = int(os.environ.get("CNNCALC_FUZZ_SEED") or random.SystemRandom().randrange(2**32))
BUDGET = float(os.environ.get("CNNCALC_FUZZ_SECONDS") or 3)
CASE_LIMIT = float(os.environ.get("CNNCALC_FUZZ_CASE_SECONDS") or 10)
REPEAT = f"CNNCALC_FUZZ_SEED={SEED}"
FIXTURES = ROOT / "tests" / "fixtures"
SENTINEL = "cnncalc-fuzz-external-sentinel.bin"  # an external-data file the ONNX importer must never open


class Hang(BaseException):
    """A case over its time limit (a BaseException, so no `except Exception` in cnncalc can hide it)."""


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Interrupt the case after `seconds` (SIGALRM: only where the platform has it, in the main thread)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def alarm(signum: int, frame: object) -> None:
        raise Hang(f"{what} took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def fuzz(target: str, case: Callable[[random.Random, int], str | None], minimum: int = 1) -> int:
    """Run `case(rng, index)` until the budget is spent (and `minimum` cases ran); failures name the seed."""
    print(f"\nfuzz {target}: seed {SEED} ({REPEAT} repeats it), {BUDGET} s")
    rng = random.Random(f"{SEED}:{target}")
    deadline = time.monotonic() + BUDGET
    index = 0
    while index < minimum or time.monotonic() < deadline:
        case_rng = random.Random(rng.getrandbits(64))
        try:
            with time_limit(CASE_LIMIT, f"{target} case {index}"):
                problem = case(case_rng, index)
        except (Exception, Hang) as error:
            raise AssertionError(f"{target} case {index} with {REPEAT}: {type(error).__name__}: {error}") from error
        assert problem is None, f"{target} case {index} with {REPEAT}: {problem}"
        index += 1
    print(f"fuzz {target}: {index} cases")
    return index


def load_or_refuse(path: Path, input: str | None = None) -> None:
    """Load and summarise: success or SpecError, nothing else (the caller reports anything else)."""
    with suppress(SpecError):
        cnncalc.load(path, input=input).summary()


# -- mutations --------------------------------------------------------------------------------
HOSTILE_NUMBERS = [-(2**63), -1, 0, 1, 2, 3, 7, 2**31 - 1, 2**40, 2**62, 2**63 - 1]
HOSTILE_JSON = [
    None, True, False, 0, -1, 1, 3, 1.5, 1e308, 10**30, -(10**30), "", "same", "relu", "Conv2D", "InputLayer",
    "Sequential", "__keras_tensor__", [], [None], [1, 2], [[]], [[None, 0, 0]], ["x", 0, 0], {}, {"a": None},
    {"class_name": "__keras_tensor__", "config": {"keras_history": ["nothere", 0, 0]}}, "\u202e\x1b[2J", "a" * 300,
]  # fmt: skip


def mutate_text(text: str, rng: random.Random) -> str:
    """1–4 insertions, deletions or replacements of 1–3 characters (as test_robustness.mutate does)."""
    for _ in range(rng.randint(1, 4)):
        position = rng.randint(0, len(text))
        piece = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 3)))
        action = rng.choice(("insert", "delete", "replace"))
        after = position if action == "insert" else position + len(piece)
        text = text[:position] + ("" if action == "delete" else piece) + text[after:]
    return text


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    """Flip, drop, insert or cut bytes: damaged files as a disk or a download leaves them."""
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        position = rng.randrange(len(buffer) + 1)
        action = rng.choice(("flip", "drop", "insert", "cut"))
        if action == "flip" and position < len(buffer):
            buffer[position] ^= 1 << rng.randrange(8)
        elif action == "drop":
            del buffer[position : position + rng.randint(1, 4)]
        elif action == "insert":
            buffer[position:position] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
        elif action == "cut":
            del buffer[position:]
    return bytes(buffer)


def json_slots(value: object) -> list[tuple[object, object]]:
    """Every (container, key or index) of a JSON document, so any value can be replaced or removed."""
    slots: list[tuple[object, object]] = []
    pending = [value]
    while pending:
        current = pending.pop()
        keys = list(current) if isinstance(current, dict) else range(len(current)) if isinstance(current, list) else []
        for key in keys:
            slots.append((current, key))
            pending.append(current[key])  # type: ignore[index]
    return slots


def mutate_json(document: object, rng: random.Random) -> object:
    """Replace, delete, duplicate or wrap 1–4 values anywhere in the document."""
    result = copy.deepcopy(document)
    for _ in range(rng.randint(1, 4)):
        slots = json_slots(result)
        if not slots:
            break
        container, key = rng.choice(slots)
        action = rng.choice(("replace", "replace", "delete", "duplicate", "wrap", "number"))
        if action == "delete":
            del container[key]  # type: ignore[index,attr-defined]
        elif action == "duplicate" and isinstance(container, list):
            container.insert(key, copy.deepcopy(container[key]))  # type: ignore[arg-type]
        elif action == "wrap":
            container[key] = [container[key]]  # type: ignore[index]
        elif action == "number":
            container[key] = rng.choice(HOSTILE_NUMBERS)  # type: ignore[index]
        else:
            container[key] = copy.deepcopy(rng.choice(HOSTILE_JSON))  # type: ignore[index]
    return result


KERAS_DOCUMENTS = [fashion_mnist_keras2(), sequential(), functional()]
# Whole networks take a second or two each: a target of their own, so that the small documents' many
# cases are not crowded out
KERAS_APPLICATIONS = [
    json.loads(gzip.decompress((FIXTURES / "keras" / f"{name}.json.gz").read_bytes()))
    for name in ("MobileNetV3Small", "ConvNeXtTiny", "ResNet50V2", "EfficientNetB0")
]


def keras_case(folder: Path, documents: list[object]) -> Callable[[random.Random, int], None]:
    def case(rng: random.Random, index: int) -> None:
        document = mutate_json(rng.choice(documents), rng)
        text = json.dumps(document, indent=rng.choice((None, 1)))
        path = folder / "model.json"
        if rng.random() < 0.3:
            path.write_bytes(mutate_bytes(text.encode(), rng))
        else:
            path.write_text(text, encoding="utf-8")
        load_or_refuse(path, input=rng.choice((None, "32x32x3", "224x224x3")))  # MobileNetV3 takes any size

    return case


def test_fuzz_keras_json(tmp_path):
    assert fuzz("keras-json", keras_case(tmp_path, KERAS_DOCUMENTS)) > 0


def test_fuzz_keras_applications(tmp_path):
    assert fuzz("keras-applications", keras_case(tmp_path, KERAS_APPLICATIONS)) > 0


# -- ONNX -------------------------------------------------------------------------------------
def onnx_models() -> list[object]:
    helper = pytest.importorskip("onnx").helper
    from test_import_onnx import W, conv, ints, model_of, small_model, tensor
    from test_import_onnx_ops import _chunked_model

    reshape = model_of([helper.make_node("Reshape", ["x", "s"], ["y"], name="flat")], [ints("s", 1, -1)])
    head = [conv(output="c"), helper.make_node("Relu", ["c"], ["r"], name="relu"),
            helper.make_node("Resize", ["r", "", "sc"], ["u"], name="up", mode="nearest"),
            helper.make_node("Pad", ["u", "p"], ["y"], name="pad")]  # fmt: skip
    scales = tensor("sc", 4)
    scales.ClearField("raw_data")
    scales.float_data[:] = [1, 1, 2, 2]
    padded = model_of(head, [W, scales, ints("p", 0, 0, 1, 1, 0, 0, 1, 1)])
    onnx = pytest.importorskip("onnx")
    exported = [onnx.load(str(path), load_external_data=False) for path in sorted((FIXTURES / "onnx").glob("*.onnx"))]
    return [small_model(), reshape, padded, _chunked_model([1, 6, 4, 4]), _chunked_model(["n", 6, 4, 4]), *exported]


def mutate_model(model: object, rng: random.Random) -> bytes:
    """1–4 structural edits of the protobuf, then sometimes byte damage."""
    copied = type(model)()
    copied.CopyFrom(model)
    graph = copied.graph
    for _ in range(rng.randint(1, 4)):
        rng.choice(ONNX_EDITS)(graph, rng)
    data = copied.SerializeToString()
    return mutate_bytes(data, rng) if rng.random() < 0.3 else data


def _some(items: object, rng: random.Random) -> object | None:
    return items[rng.randrange(len(items))] if len(items) else None  # type: ignore[arg-type,index]


def _edit_attribute(graph, rng):
    node = _some(graph.node, rng)
    attribute = _some(node.attribute, rng) if node else None
    if attribute is None:
        return
    choice = rng.randrange(4)
    if choice == 0:
        attribute.type = rng.randrange(15)
    elif choice == 1:
        attribute.ints[:] = [rng.choice(HOSTILE_NUMBERS) for _ in range(rng.randint(0, 5))]
    elif choice == 2:
        attribute.i = rng.choice(HOSTILE_NUMBERS)
    else:
        node.attribute.remove(attribute)


def _edit_inputs(graph, rng):
    node = _some(graph.node, rng)
    if node is None:
        return
    names = [n for other in graph.node for n in (*other.input, *other.output)] + ["", "ghost", "x"]
    if node.input and rng.random() < 0.5:
        node.input[rng.randrange(len(node.input))] = rng.choice(names)
    elif node.input:
        del node.input[rng.randrange(len(node.input))]
    else:
        node.input.append(rng.choice(names))


def _edit_outputs(graph, rng):
    node = _some(graph.node, rng)
    if node is not None and node.output:
        node.output[0] = rng.choice(["", "y", "x", "ghost", *(n.output[0] for n in graph.node if n.output)])
    elif graph.output:
        graph.output[0].name = rng.choice(["", "ghost", "x"])


def _edit_op(graph, rng):
    node = _some(graph.node, rng)
    if node is not None:
        node.op_type = rng.choice(["Conv", "Gemm", "MatMul", "Reshape", "Pad", "Resize", "Concat", "Add", "MaxPool",
                                   "BatchNormalization", "PRelu", "LRN", "ConvTranspose", "Flatten", "TopK", "",
                                   "Slice", "Split", "Shape", "Gather", "Unsqueeze", "Squeeze", "Constant", "Div",
                                   "Transpose", "SplitToSequence", "SequenceAt", "ReduceMean", "LayerNormalization",
                                   "Identity", "Cast", "Expand", "Mul", "Clip", "HardSigmoid"])  # fmt: skip
        if rng.random() < 0.2:
            node.domain = rng.choice(["com.example", "ai.onnx", ""])


def _edit_initializer(graph, rng):
    tensor = _some(graph.initializer, rng)
    if tensor is None:
        return
    choice = rng.randrange(5)
    if choice == 0:
        tensor.dims[:] = [rng.choice(HOSTILE_NUMBERS) for _ in range(rng.randint(0, 5))]
    elif choice == 1:
        tensor.data_type = rng.randrange(25)
    elif choice == 2:
        graph.initializer.remove(tensor)
    elif choice == 3:
        tensor.raw_data = tensor.raw_data[: rng.randrange(len(tensor.raw_data) + 1)]
    else:  # point the tensor at a file that must never be opened
        tensor.data_location = 1
        del tensor.external_data[:]
        entry = tensor.external_data.add()
        entry.key, entry.value = "location", SENTINEL


def _edit_graph(graph, rng):
    choice = rng.randrange(4)
    if choice == 0 and len(graph.node) > 1:
        graph.node[0].CopyFrom(graph.node[rng.randrange(len(graph.node))])  # duplicated, reordered
    elif choice == 1 and graph.node:
        del graph.node[rng.randrange(len(graph.node))]
    elif choice == 2 and graph.input:
        dims = graph.input[0].type.tensor_type.shape.dim
        if dims:
            dims[rng.randrange(len(dims))].dim_value = rng.choice(HOSTILE_NUMBERS)
    elif choice == 3 and graph.node:
        graph.node.add().CopyFrom(graph.node[-1])


ONNX_EDITS = [_edit_attribute, _edit_inputs, _edit_outputs, _edit_op, _edit_initializer, _edit_graph]
OPENED: list[str] = []


def _note_sentinel_opens(event: str, args: tuple) -> None:
    if event == "open" and isinstance(args[0], str | bytes) and SENTINEL in os.fsdecode(args[0]):
        OPENED.append(os.fsdecode(args[0]))


def onnx_case(folder: Path, models: list[object]) -> Callable[[random.Random, int], str | None]:
    def case(rng: random.Random, index: int) -> str | None:
        path = folder / "model.onnx"
        path.write_bytes(mutate_model(rng.choice(models), rng))
        load_or_refuse(path)
        return f"external data opened: {OPENED}" if OPENED else None

    return case


def test_fuzz_onnx_protobufs(tmp_path):
    models = onnx_models()
    (tmp_path / SENTINEL).write_bytes(b"\0" * 4096)  # there to be read, were external data ever followed
    sys.addaudithook(_note_sentinel_opens)  # cannot be removed; it only looks for the sentinel's name
    assert fuzz("onnx", onnx_case(tmp_path, models)) > 0


# -- the command line -------------------------------------------------------------------------
def format_choices(command: object) -> list[str | None]:
    for param in command.params:  # type: ignore[attr-defined]
        if "--format" in param.opts:
            return list(param.type.choices)
    return [None]


PAIRS = [(path, fmt) for path, command in sorted(COMMANDS.items()) for fmt in format_choices(command)]


# Names an attacker writes: each tries to start a line of its own (a GitHub workflow command, which
# the Actions runner obeys) or to break out of generated code. INJECTED marks the forged lines.
INJECTED = "::error file=INJECTED.md"
HOSTILE_NAMES = (
    f"c\n{INJECTED},line=1::x",
    f"\r\n  {INJECTED}::y \x1b]52;c;SGVsbG8=\x07",
    'x"""; import os; os.system("touch PWNED"); """',
    "x'); import os #\u202e\ud800",
    "##[error]forged",
)


def hostile_spec(rng: random.Random) -> str:
    """A valid YAML spec whose network and layer names are hostile."""
    name, layer = rng.choice(HOSTILE_NAMES), rng.choice(HOSTILE_NAMES)
    return (
        f"name: {json.dumps(name)}\ninput: 8x8x3\nlayers:\n"
        f"  - {{name: {json.dumps(layer)}, conv: {{filters: 2, kernel: 3}}}}\n  - relu\n  - flatten\n  - fc: 4\n"
    )


def spec_argument(rng: random.Random, folder: Path, models: list[object]) -> str:
    """A mutated chain, YAML spec, Keras JSON or ONNX file, a known spec, or a spec with hostile
    names; each kind as often."""
    kind = rng.randrange(6 if models else 5)
    if kind == 0:
        return mutate_text(rng.choice(SPECS), rng)
    if kind == 5 or (kind == 4 and not models):
        path = folder / "hostile.yaml"
        path.write_text(hostile_spec(rng), encoding="utf-8")
        return str(path)
    path = folder / ("spec.yaml", "model.json", "", "model.onnx")[kind - 1]
    if kind == 1:
        path.write_text(mutate_text(rng.choice(VALID_YAML), rng), encoding="utf-8")
    elif kind == 2:
        path.write_text(json.dumps(mutate_json(rng.choice(KERAS_DOCUMENTS), rng)), encoding="utf-8")
    elif kind == 4:
        path.write_bytes(mutate_model(rng.choice(models), rng))
    return str(path) if kind != 3 else rng.choice(SPECS)


def command_line(path: tuple[str, ...], fmt: str | None, rng: random.Random, folder: Path, models: list) -> list[str]:
    command = COMMANDS[path]
    argv = list(path)
    for param in command.params:
        if not param.opts[0].startswith("-"):
            argv.append(spec_argument(rng, folder, models))
        elif param.required:
            argv += [param.opts[0], rng.choice(VALUES)]
    if path == ("export",) and rng.random() < 0.5:
        argv += ["--to", rng.choice(("pytorch", "keras"))]  # Python source: it must parse
    return argv + (["--format", fmt] if fmt else [])


def forged_line(output: str) -> str | None:
    """A line of cnncalc's output that a hostile name started (GitHub runs a line that begins with
    `::` after blanks, and `##[` anywhere in it, as a workflow command)."""
    for line in output.splitlines():
        if line.lstrip().startswith(INJECTED) or "##[" in line:
            return line
    return None


def unparseable_export(argv: list[str], stdout: str) -> str | None:
    """The error when an export to Python source (written to stdout) is not valid Python."""
    if argv[0] != "export" or "--to" not in argv or argv[argv.index("--to") + 1] not in ("pytorch", "keras"):
        return None
    if "-o" in argv or "--format" in argv:
        return None
    try:
        ast.parse(stdout)
    except SyntaxError as error:
        return f"{error.msg} at line {error.lineno}"
    return None


def cli_case(folder: Path, models: list[object]) -> Callable[[random.Random, int], str | None]:
    order = list(PAIRS)
    random.Random(SEED).shuffle(order)

    def case(rng: random.Random, index: int) -> str | None:
        path, fmt = order[index] if index < len(order) else rng.choice(PAIRS)  # every pair first, then any
        argv = command_line(path, fmt, rng, folder, models)
        result = CliRunner().invoke(app, argv, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            return f"{argv}: {type(result.exception).__name__}: {result.exception}"
        if result.exit_code not in (0, 1, 2) or "Traceback" in result.output:
            return f"{argv}: exit {result.exit_code}\n{result.output[-2000:]}"
        forged = forged_line(result.output)
        if forged is not None:
            return f"{argv}: a name started its own line: {forged!r}"
        broken = unparseable_export(argv, result.stdout) if result.exit_code == 0 else None
        return None if broken is None else f"{argv}: the exported module does not parse: {broken}"

    return case


def test_fuzz_every_command_and_format(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # files the commands write land here
    assert len(PAIRS) > 50  # 23 commands, most with several formats
    try:
        models = onnx_models()
    except pytest.skip.Exception:  # without onnx the commands still run on every other kind of spec
        models = []
    assert fuzz("cli", cli_case(tmp_path, models), minimum=len(PAIRS)) >= len(PAIRS)  # every pair, even past the budget


def test_the_robustness_doc_names_only_importer_tests_that_exist():
    import importlib
    import re

    doc = (Path(__file__).resolve().parent.parent / "docs" / "robustness.md").read_text(encoding="utf-8")
    section = doc.split("## Imported models", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(test_\w+)`", section))
    defined = {
        name
        for module in ("test_import_onnx", "test_import_keras", "test_import_torch", "test_fuzz_tier")
        for name in dir(importlib.import_module(module))
        if name.startswith("test_")
    }
    assert len(named) >= 10
    assert named <= defined, named - defined


def test_the_cli_fuzz_checks_see_a_forged_line_and_a_broken_export():
    assert forged_line(f"summary\n   {INJECTED},line=1::x") is not None
    assert forged_line("note ##[error] inside") is not None
    assert forged_line("::warning file=spec.yaml,line=3::layer c\\n::error…") is None  # cnncalc's own, escaped
    assert unparseable_export(["export", "s.yaml", "--to", "pytorch"], 'x = """\n') is not None
    assert unparseable_export(["export", "s.yaml", "--to", "pytorch"], "x = 1\n") is None
    rng = random.Random(SEED)
    for _ in range(10):  # every hostile spec is a valid network: the commands really print the names
        import yaml

        import cnncalc

        assert len(cnncalc.load(yaml.safe_load(hostile_spec(rng))).summary().layers) == 5
