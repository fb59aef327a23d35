"""Done when: with Spanish chosen, no English message is left in what a command prints.

A pseudo-Spanish catalogue is made here from the real one's messages, each translated as
⟦message⟧, compiled to a temporary directory and selected through cnncalc.i18n's own machinery
(`--lang es`). Then every line a command prints must be made only of marked text, numbers, the
names the spec itself gives (layers, kinds), symbols of the working (W, F, Ci …), units and
table borders: an English word left over is a message nobody wrapped in _(). The real catalogue's
completeness is tests/test_catalogue.py's.
"""

from __future__ import annotations

import re

import pytest
from tests_support import ROOT, command_paths

from cnncalc import i18n

babel_messages = pytest.importorskip("babel.messages")
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

PO = ROOT / "cnncalc" / "locale" / "es" / "LC_MESSAGES" / "cnncalc.po"
MARKED = re.compile(r"⟦[^⟦⟧]*⟧")
# What may stand outside a message: names and units every language writes alike, the symbols of
# the lecture's formulas, the kinds and names the spec gives (added per command below).
UNIVERSAL = {"MACs", "MAC", "kMAC", "MMAC", "GMAC", "FLOP", "kFLOP", "MFLOP", "GFLOP", "KiB", "MiB", "GiB", "float32",
             "float", "int", "Ci", "Co", "In", "Out", "eff", "begin", "out", "max", "min", "avg", "mean", "dL", "dx", "dw",
             "db", "RF"}  # fmt: skip
WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture
def pseudo_spanish(tmp_path, monkeypatch):
    """The real catalogue's messages as ⟦message⟧, selected as 'es' through cnncalc.i18n."""
    with PO.open("rb") as stream:
        catalog = read_po(stream, domain="cnncalc")
    for message in catalog:
        if message.id:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            # each paragraph apart: a list of commands shows only the first paragraph of each one's help
            marked = tuple("\n\n".join(f"⟦{part}⟧" for part in text.split("\n\n")) for text in ids)
            message.string = marked if isinstance(message.id, tuple) else marked[0]
    directory = tmp_path / "es" / "LC_MESSAGES"
    directory.mkdir(parents=True)
    with (directory / "cnncalc.mo").open("wb") as stream:
        write_mo(stream, catalog)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translation.cache_clear()
    yield
    i18n.translation.cache_clear()


def english_left(output: str, names: set[str]) -> list[str]:
    """Lines of `output` holding a word that is neither marked nor a name, symbol or unit."""
    left = []
    for line in output.splitlines():
        rest = line.replace("\\_", "_")  # Markdown's escaped underscores: max\_pool is max_pool
        while MARKED.search(rest):  # innermost first: a translated message may hold another
            rest = MARKED.sub(" ", rest)
        words = [w for w in WORD.findall(rest) if w not in UNIVERSAL and w not in names]
        if words:
            left.append(f"{line!r}: {words}")
    return left


def spec_names(path) -> set[str]:
    """The layer names and kinds a spec gives (as summary's table shows them)."""
    from cnncalc.api import load

    network = load(path)
    summary = network.summary()
    return {w for r in summary.layers for w in (*WORD.findall(r.name), *WORD.findall(r.kind))} | set(
        WORD.findall(summary.name or "")
    )


LENET = str(ROOT / "specs" / "lenet5.yaml")
HOMEWORK = ROOT / "examples" / "homework"
STUDENT_COMMANDS = [
    ("summary", LENET),
    ("summary", str(ROOT / "specs" / "cs231n_example.yaml")),
    ("explain", LENET),
    ("explain", LENET, "--format", "markdown"),
    ("summary", LENET, "--format", "markdown"),
    ("out-size", "-W", "7", "-F", "3", "-S", "3"),
    ("out-size", "-W", "8", "-F", "3", "-S", "2", "-P", "1"),
    ("out-size", "-W", "32x32", "-F", "5", "-P", "2"),
    ("conv", "-x", "1 2 3; 4 5 6; 7 8 9", "-k", "1 0; 0 -1", "--explain"),
    ("conv", "-x", "1 2 3; 4 5 6; 7 8 9", "-k", "1 0; 0 -1", "--explain", "--grad", "1 1; 1 1"),
    ("pool", "-x", "1 2; 3 4", "-k", "2", "--explain"),
    ("pool", "-x", "1 2 3; 4 5 6; 7 8 9", "-k", "2", "--explain", "--grad", "1"),
    ("lint", str(ROOT / "tests" / "fixtures" / "i18n_lint.yaml")),
    ("check", str(HOMEWORK / "ana.yaml"), str(HOMEWORK / "bruno.yaml")),
    ("check", "--key", str(HOMEWORK / "key.yaml"), str(HOMEWORK / "ana.yaml"), str(HOMEWORK / "bruno.yaml")),
]


@pytest.mark.parametrize("args", STUDENT_COMMANDS, ids=" ".join)
def test_a_student_command_speaks_only_spanish(args, run_cli, pseudo_spanish, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")  # a table folded to fit would split its words
    code, out, err = run_cli("--lang", "es", *args)
    assert code in (0, 1), err  # lint: 1 when it finds something, which is the point here
    names = spec_names(args[1]) if args[0] in ("summary", "explain", "lint") else set()
    names |= {w for a in args for w in WORD.findall(a)} if args[0] == "check" else set()  # the files' names
    names |= set(WORD.findall(str(ROOT))) | {"yaml", "i18n", "lint", "tests", "fixtures", "examples", "homework"}
    if args[0] == "check":  # names, ids, answers and quantities (output_shape, params) are the files' own words
        files = [ROOT / a for a in args[1:] if a.endswith(".yaml")]
        names |= {w for f in files for w in WORD.findall(f.read_text(encoding="utf-8"))}
        names |= {w for f in files for w in WORD.findall((HOMEWORK / "exercise.yaml").read_text(encoding="utf-8"))}
    left = english_left(out + err, names)
    assert not left, f"English in `cnncalc --lang es {' '.join(args)}`:\n" + "\n".join(left)


def test_the_check_finds_english(pseudo_spanish):
    """The check itself can fail: an unmarked English word is reported, marked text and names are not."""
    assert english_left("⟦total parameters⟧ 61 706\nconv_1 conv", {"conv"}) == []
    assert english_left("⟦total⟧ parameters 12", set()) == ["'⟦total⟧ parameters 12': ['parameters']"]


# Bad input → the error and its hint, every line marked: a table of specs that reach the raise sites
# of cnncalc/spec/, cnncalc/layers/ and the graph, each only a few milliseconds away. Files are
# (name, text) written to a temporary folder; the names they give are allowed as they are. Left out:
# messages that quote a parser's own English (PyYAML's "found character '\t'", json's "Expecting
# value", a Python error's text), which cnncalc passes on as written.
BAD_CHAINS = [
    "INPUT(32x32x3) → CONV(10, k=5) →",  # expected a layer name, found the end
    "INPUT(32x32x3) → CONV(10, 5, 1, 1, 3)",  # too many positional arguments
    "INPUT(32x32x3) → CONVX(10)",  # unknown layer, did you mean
    "INPUT(32x32x3) → CONV(10, k=5, paso=0)",  # stride must be positive (pydantic)
    "INPUT(32x32x3) → CONV(10, k=2.0)",  # a whole number written with a decimal point
    "INPUT(32x32x3) → CONV(10, k=3, padding=foo)",  # literal_error
    "INPUT(32x32x3) → CONV(10, k=5, foo=1)",  # unknown argument
    "INPUT(32x32x3) → CONV(10)",  # a missing argument
    "INPUT(4x4x1) → CONV(1, 7)",  # the kernel is larger than the padded input
    "INPUT(32x32x3) → ADD",  # too few inputs
    "INPUT(32x32x3) → [CONV(8,3) → RELU] x 0",  # repeat count outside its range
    "INPUT(32x32x3) → CONV(10, k=5) CONV",  # expected an arrow
    "CONV(10, k=5)",  # no INPUT
    "INPUT(-3x3)",  # sizes must be positive
    "INPUT(32x32x3) → CONV(8, 3, groups=3)",  # groups must divide the channels
    "INPUT(8x8x3) → RESHAPE(5x5)",  # cannot reshape
    "INPUT(8x8x3) → FLATTEN → MAXPOOL(2)",  # a window layer needs a spatial input
]
BAD_FILES = [
    ("unknown_key.yaml", "input: 32x32x3\nlayers:\n  - relu\nnombre: x\n"),
    ("no_layers.yaml", "input: 32x32x3\n"),
    ("empty_layers.yaml", "input: 32x32x3\nlayers: []\n"),
    ("name_number.yaml", "name: 3\ninput: 32x32x3\nlayers:\n  - relu\n"),
    ("duplicate.yaml", "input: 32x32x3\ninput: 16x16x3\nlayers:\n  - relu\n"),
    ("unknown_input.yaml", "input: 32x32x3\nlayers:\n  - {relu: null, inputs: encoder}\n"),
    ("later_input.yaml", "input: 32x32x3\nlayers:\n  - {relu: null, inputs: b}\n  - {relu: null, name: b}\n"),
    ("unknown_block.yaml", "input: 32x32x3\nlayers:\n  - block: unit\n"),
    ("negative_repeat.yaml", "input: 32x32x3\nlayers:\n  - {relu: null, repeat: -2}\n"),
    ("if_text.yaml", "input: 32x32x3\nlayers:\n  - {relu: null, if: 'abc'}\n"),
    ("param_no_value.yaml", "params: {classes: null}\ninput: 32x32x3\nlayers:\n  - relu\n"),
    ("yes.yaml", "input: 32x32x3\nlayers:\n  - {relu: null, name: yes}\n"),
    ("octal.yaml", "input: 32x32x3\nlayers:\n  - {dense: {units: 010}}\n"),
    ("expression.yaml", "params: {c: 3}\ninput: 32x32x3\nlayers:\n  - {dense: {units: 'c + d'}}\n"),
    ("two_layers.yaml", "input: 32x32x3\nlayers:\n  - {relu: null, flatten: null}\n"),
    ("merge.yaml", "input: 8x8x3\nlayers:\n  - {conv: [4, 3], name: a}\n  - {add: null, inputs: [input, a]}\n"),
    ("empty.yaml", ""),
    ("comments.yaml", "# nothing\n"),
    ("directory", None),
]


@pytest.mark.parametrize("chain", BAD_CHAINS)
def test_a_bad_chain_is_refused_in_spanish_only(chain, run_cli, pseudo_spanish):
    code, out, err = run_cli("--lang", "es", "summary", chain)
    assert code == 2 and out == "", err
    left = english_left(err, set(WORD.findall(chain)))
    assert not left, f"English in the error for {chain!r}:\n" + "\n".join(left)


@pytest.mark.parametrize(("name", "text"), BAD_FILES, ids=[name for name, _ in BAD_FILES])
def test_a_bad_spec_file_is_refused_in_spanish_only(name, text, run_cli, pseudo_spanish, tmp_path):
    path = tmp_path / name
    path.mkdir() if text is None else path.write_text(text, encoding="utf-8")
    code, out, err = run_cli("--lang", "es", "summary", str(path))
    assert code == 2 and out == "", err
    names = set(WORD.findall(text or "")) | set(WORD.findall(str(tmp_path))) | set(WORD.findall(name))
    left = english_left(err, names)
    assert not left, f"English in the error for {name}:\n" + "\n".join(left)


def test_errors_speak_the_notes_spanish(run_cli, tmp_path):
    """The real catalogue: the course notes' terms, and the spec's own names left as written."""
    code, _, err = run_cli("--lang", "es", "summary", "INPUT(4x4x1) → CONV(1, 7)")
    assert code == 2 and "la salida se reduce a -2" in err and "alcance del filtro" in err and "relleno" in err
    assert "sugerencia: usa un filtro o un paso más pequeño" in err
    code, _, err = run_cli("--lang", "es", "summary", "INPUT(32x32x3) → CONVX(10)")
    assert code == 2 and "capa desconocida 'CONVX'" in err and "¿quisiste decir" in err
    (tmp_path / "sin_capas.yaml").write_text("input: 32x32x3\n", encoding="utf-8")
    code, _, err = run_cli("--lang", "es", "summary", str(tmp_path / "sin_capas.yaml"))
    assert code == 2 and "falta 'layers'" in err
    code, _, err = run_cli("--lang", "es", "summary", "INPUT(32x32x3) → ADD")
    assert code == 2 and "add toma al menos 2 entradas pero recibe 1" in err


def test_json_errors_stay_english_whatever_the_language(run_cli):
    """Machines read JSON: a spec refused while it is read is reported in English there."""
    import json

    code, out, err = run_cli("--lang", "es", "summary", "INPUT(32x32x3) → CONV(10, k=5) →", "--format", "json")
    assert code == 2
    report = json.loads(out or err)
    assert report["message"] == "expected a layer name, found the end of the chain"
    assert report["hint"] == "e.g. CONV(10, k=5) or RELU"


METAVAR = re.compile(r"<[^<>]*>|\[[a-z_]+\]|\b[A-Z][A-Z_]+\b")  # <str>, <table|json>, [spec], SPEC, LANG


def help_names(path: tuple[str, ...]) -> set[str]:
    """What a help screen may show as written: the command's path, its options' and arguments' names."""
    import typer

    from cnncalc.cli.app import app

    command = typer.main.get_command(app)
    names = {"cnncalc", "help", *(w for part in path for w in WORD.findall(part))}
    for part in path:
        command = command.commands[part]
    for group in (typer.main.get_command(app), command):
        for param in group.params:
            names |= {w for decl in (*param.opts, *param.secondary_opts, param.name or "") for w in WORD.findall(decl)}
    return names


@pytest.mark.parametrize("path", [(), *command_paths()], ids=lambda p: " ".join(p) or "cnncalc")
def test_every_help_screen_speaks_only_spanish(path, run_cli, pseudo_spanish, monkeypatch):
    """The frame typer draws (Usage, Options, [default: …], --help's own line) included."""
    monkeypatch.setenv("COLUMNS", "400")  # one help text per line: a folded one would split its words
    code, out, err = run_cli("--lang", "es", *path, "--help")
    assert code == 0, err
    screen = METAVAR.sub(" ", MARKED.sub(" ", out))  # a marked paragraph may span lines
    commands = {w for p in command_paths() for part in p for w in WORD.findall(part)}
    left = english_left(screen, help_names(path) | commands)
    assert not left, f"English in `cnncalc --lang es {' '.join(path)} --help`:\n" + "\n".join(left)


# The other commands' output (issue 23): tables, totals, notes and messages people read.
SPECS = ROOT / "specs"
INCEPTION = str(SPECS / "inception_3a.yaml")  # branching: inputs, merges, a concatenation
OUTPUT_COMMANDS = [
    ("layers",),
    ("zoo",),
    ("zoo", "--format", "markdown"),
    ("receptive-field", LENET, "--layer", "conv_1", "--at", "1,2", "--explain"),
    ("receptive-field", INCEPTION, "--format", "markdown"),
    ("compare", str(SPECS / "vgg11.yaml"), str(SPECS / "vgg13.yaml")),
    ("compare", LENET, INCEPTION, "--format", "markdown"),
    ("compare", str(SPECS / "resnet18.yaml"), "--conventions", "--batch", "2"),
    ("compare", LENET, "--conventions", "--format", "markdown", "--batch", "4"),
    ("diff", str(SPECS / "resnet18.yaml"), str(SPECS / "resnet34.yaml"), "--fail-on", "params+10%"),
    ("diff", LENET, INCEPTION, "--format", "markdown", "--fail-on", "macs+1k"),
    ("diff", str(SPECS / "vgg11.yaml"), str(SPECS / "vgg13.yaml"), "--format", "github"),
    ("diff", LENET, LENET),
    ("scale", str(SPECS / "resnet18.yaml"), "--sizes", "224,225,32,16"),
    ("scale", LENET, "--sizes", "32,33,40", "--format", "markdown"),
    ("memory", INCEPTION, "--batch", "8", "--optimizer", "adam"),
    ("memory", LENET, "--amp", "--format", "markdown"),
    ("run", LENET),
    ("run", INCEPTION, "--batch", "2"),
    ("solve", "padding", "-W", "32", "-F", "5"),
    ("solve", "padding", "-W", "32", "-F", "4", "-S", "2"),
    ("solve", "map", "-W", "9", "--to", "3"),
    ("solve", "map", "-W", "9", "--to", "30"),
    ("solve", "inputs", LENET, "--max", "64"),
    ("solve", "inputs", LENET, "--min", "33", "--max", "35"),
    *(
        ("exercise", "--seed", str(seed), "--level", str(level), "--solutions")
        for seed, level in ((1, 1), (2, 2), (3, 3))
    ),
    ("exercise", "--seed", "4", "--level", "3", "--solutions", "--format", "latex"),
    ("summary", LENET, "--input", "HxWx1"),
    ("summary", LENET, "--symbolic", "--format", "markdown"),
    ("conv", "-x", "1 2 3; 4 5 6; 7 8 9", "-k", "1 0; 0 -1", "--as-matrix"),
    ("conv", "-x", "1 2 3; 4 5 6; 7 8 9", "-k", "1 0; 0 -1", "--explain", "--format", "markdown"),
    ("pool", "-x", "1 2 3; 4 5 6; 7 8 9", "-k", "2", "--explain", "--format", "markdown"),
    ("diagram", LENET),
    ("diagram", INCEPTION, "--format", "dot"),
]


def output_names(args: tuple[str, ...]) -> set[str]:
    """What a command may print untranslated: the words of its arguments and of the specs it reads
    (layer names, kinds, the spec's own name and description), and, for `layers`, every kind's
    spellings, arguments and example: names the user types, the same in every language."""
    from cnncalc.analysis.catalog import layer_catalog

    names = {w for a in args for w in WORD.findall(a)} | set(WORD.findall(str(ROOT))) | {"yaml", "specs", "cnncalc"}
    for arg in args:
        if arg.endswith(".yaml"):
            names |= spec_names(arg) | set(WORD.findall((ROOT / arg).read_text(encoding="utf-8")))
    if "github" in args:  # GitHub's workflow-command syntax around the messages
        names |= {"notice", "error", "file", "line", "title"}
    if "--conventions" in args:  # the tools' names
        from cnncalc.analysis.conventions import CONVENTIONS

        names |= set(CONVENTIONS)
    if args[0] == "zoo":  # each network's description is its spec's own text
        names |= {w for spec in SPECS.glob("*.yaml") for w in WORD.findall(spec.read_text(encoding="utf-8"))}
    if args[0] == "exercise":  # Markdown's code fence; layer names (conv_1) in the workings
        names |= {"text"}
    if args[0] in ("layers", "exercise"):
        for info in layer_catalog():
            names |= {
                w for text in (info.kind, info.example, *info.aliases, *info.arguments) for w in WORD.findall(text)
            }
    return names


def diagram_labels(code: str) -> str:
    """The labels of a DOT (label="…") or Mermaid (["…"]) drawing, a line per label line."""
    labels = [dot or mermaid for dot, mermaid in re.findall(r'label="([^"]*)"|\["([^"]*)"\]', code)]
    return "\n".join(labels).replace("\\n", "\n").replace("<br/>", "\n")


@pytest.mark.parametrize("args", OUTPUT_COMMANDS, ids=" ".join)
def test_every_command_output_speaks_only_spanish(args, run_cli, pseudo_spanish, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # a table folded to fit would split its words
    code, out, err = run_cli("--lang", "es", *args)
    assert code in (0, 1), err  # diff/run: 1 past a limit or a mismatch, which is shown too
    joined = re.sub(r"⟦[^⟦⟧]*⟧", lambda m: m.group().replace("\n", " "), out + err)  # a paragraph is one message
    if "latex" in args:  # LaTeX's commands, options, packages and environments are not words to translate
        joined = re.sub(r"\\[A-Za-z]+\*?(\[[^\]]*\])?(\{[a-z]+\})?", " ", joined)
    if args[0] == "diagram":  # Mermaid and DOT are code: only their labels are read by people
        joined = diagram_labels(joined)
    left = english_left(joined, output_names(args))
    assert not left, f"English in `cnncalc --lang es {' '.join(args)}`:\n" + "\n".join(left)


@pytest.mark.parametrize("args", [a for a in OUTPUT_COMMANDS if "--format" not in a], ids=" ".join)
def test_json_is_the_same_in_every_language(args, run_cli):
    """Machine output never changes with the language: keys, messages and numbers alike."""
    english = run_cli("--lang", "en", *args, "--format", "json")
    spanish = run_cli("--lang", "es", *args, "--format", "json")
    assert english[0] == spanish[0]
    assert english[1] == spanish[1]
    assert english[1].lstrip().startswith("{")


# Bad input in Spanish: the refusals raised in analysis/, executor/, cli/, importers/ and export/ (and
# their hints) are catalogue messages too. Each case reaches one raise site cheaply; everything the
# message holds beside marked text must be a name or number the input itself gave.
def keras_sequential(*layers: dict) -> str:
    """A tf.keras 2.x Sequential model as model.to_json() writes it (no Keras needed to read it)."""
    import json

    first = {"class_name": "InputLayer", "config": {"name": "x", "batch_input_shape": [None, 8, 8, 1]}}
    config = {"name": "sequential", "layers": [first, *layers]}
    return json.dumps({"class_name": "Sequential", "config": config, "keras_version": "2.15.0"})


NOISY_KERAS = keras_sequential(
    {"class_name": "GaussianNoise", "config": {"name": "noise", "stddev": 0.1}},
    {"class_name": "Flatten", "config": {"name": "flat"}},
)
BAD_INPUTS = [
    # executor/: worked examples
    ("conv", "-x", "1 2; 3 4", "-k", "1 0 0; 0 1 0; 0 0 1"),  # kernel larger than the padded input
    ("conv", "-x", "1 2; 3 4", "-k", "1", "--padding", "abc"),
    ("conv", "-x", "1 2 | 3 4", "-k", "1"),  # two channels against a one-channel kernel
    ("conv", "-x", "1 2; 3 4", "-k", "1", "--grad", "1 1 1"),  # a gradient of the wrong shape
    ("pool", "-x", "1 2; 3 4", "-k", "2", "--type", "lp", "--power", "0"),
    # analysis/
    ("out-size", "-W", "4", "-F", "9"),
    ("solve", "map", "-W", "7", "--to", "3", "--max-kernel", "0"),
    ("solve", "inputs", LENET, "--min", "9", "--max", "3"),
    ("scale", LENET, "--sizes", "0"),
    ("memory", LENET, "--dtype", "float7"),
    ("receptive-field", LENET, "--at", "0"),
    ("lint", LENET, "--select", "Z999"),
    # cli/
    ("scale", LENET, "--sizes", "a,b"),
    ("compare", LENET),
    ("summary", LENET, "--set", "x"),
    ("receptive-field", LENET, "--at", "a"),
]


@pytest.mark.parametrize("args", BAD_INPUTS, ids=" ".join)
def test_a_refusal_speaks_only_spanish(args, run_cli, pseudo_spanish):
    """The values a message quotes are inside its marks (⟦padding 'abc' is not valid⟧): outside them
    only the error frame's own marks and the paths given may stand."""
    code, out, err = run_cli("--lang", "es", *args)
    assert code == 2, (out, err)
    names = set(WORD.findall(str(ROOT))) | {"yaml", "specs", "lenet"}
    left = english_left(out + err, names)
    assert "⟦" in err and not left, f"English in `cnncalc --lang es {' '.join(args)}`:\n" + "\n".join(left) + err


def test_an_importer_refusal_speaks_only_spanish(tmp_path, run_cli, pseudo_spanish):
    path = tmp_path / "noisy.json"
    path.write_text(NOISY_KERAS, encoding="utf-8")
    code, _, err = run_cli("--lang", "es", "summary", str(path))
    names = set(WORD.findall(str(tmp_path))) | {"noisy", "json", "GaussianNoise", "noise"}
    names |= {"keras", "applications", "include_preprocessing", "False", "Rescaling", "Normalization"}  # code words
    assert code == 2 and "⟦" in err and not english_left(err, names), err


def test_an_onnx_refusal_speaks_only_spanish(tmp_path, run_cli, pseudo_spanish):
    onnx = pytest.importorskip("onnx")
    helper = onnx.helper
    x = helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [1, 3, 8, 8])
    y = helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [1, 3, 8, 8])
    node = helper.make_node("Hardmax", ["x"], ["y"], name="odd")
    model = helper.make_model(helper.make_graph([node], "g", [x], [y]), opset_imports=[helper.make_opsetid("", 13)])
    path = tmp_path / "odd.onnx"
    path.write_bytes(model.SerializeToString())
    code, _, err = run_cli("--lang", "es", "summary", str(path))
    names = set(WORD.findall(str(tmp_path))) | {"odd", "onnx", "Hardmax", "docs", "interop", "md"}
    names |= {"Gemm", "MatMul", "Concat", "Split", "Slice", "Flatten", "Reshape", "Transpose", "Pad", "Resize"}
    names |= {"ReduceMean"}  # the operators the hint lists are ONNX's names, the same in every language
    assert code == 2 and "⟦" in err and not english_left(err, names), err


def test_refusals_in_real_spanish(tmp_path, run_cli):
    """A few messages as a Spanish-speaking student reads them, in the notes' terms."""
    code, _, err = run_cli("--lang", "es", "conv", "-x", "1 2; 3 4", "-k", "1 0 0; 0 1 0; 0 0 1")
    assert code == 2 and "el filtro (tamaño 3) es mayor que la entrada con relleno (2)" in err, err
    assert "usa el relleno 'full' o 'same', o un filtro más pequeño" in err, err
    code, _, err = run_cli("--lang", "es", "pool", "-x", "1 2; 3 4", "-k", "2", "--type", "lp", "--power", "0")
    assert code == 2 and "la agrupación LP necesita una potencia p > 0 finita, no 0" in err, err
    path = tmp_path / "noisy.json"
    path.write_text(NOISY_KERAS, encoding="utf-8")
    code, _, err = run_cli("--lang", "es", "summary", str(path))
    assert code == 2 and "capa de Keras no admitida: GaussianNoise (noise)" in err, err


def test_an_importer_refusal_in_json_stays_english(tmp_path, run_cli):
    """--format json runs in English whatever the language: keys, codes and the message itself."""
    import json

    path = tmp_path / "noisy.json"
    path.write_text(NOISY_KERAS, encoding="utf-8")
    code, out, err = run_cli("--lang", "es", "summary", str(path), "--format", "json")
    document = json.loads(out or err)
    assert code == 2 and document["error"] == "validation", document
    assert document["message"] == "unsupported Keras layer(s): GaussianNoise (noise)", document
    assert document["hint"].startswith("cnncalc has no layer kind that computes these exactly"), document


def test_a_refusal_of_a_file_speaks_only_spanish(tmp_path, run_cli, pseudo_spanish):
    """Files that are not what they claim: a weights archive that is no zip, a baseline that is no summary."""
    weights, baseline = tmp_path / "w.npz", tmp_path / "base.json"
    weights.write_bytes(b"not a zip")
    baseline.write_text('{"schema": "cnncalc.summary/1"}', encoding="utf-8")  # no totals
    names = set(WORD.findall(str(tmp_path))) | set(WORD.findall(str(ROOT))) | {"npz", "json", "yaml", "specs"}
    for args in (("run", LENET, "--weights", str(weights)), ("diff", str(baseline), str(baseline))):
        code, _out, err = run_cli("--lang", "es", *args)
        # the archive's own complaint ("File is not a zip file") is Python's zipfile speaking: quoted, not ours
        left = english_left(err.replace("File is not a zip file", ""), names)
        assert code == 2 and "⟦" in err and not left, err


ARTIFACTS = [  # what they write is a spec or code (the same in every language); what they say to people is not
    ("convert", str(SPECS / "vgg11.yaml"), "--fc-to-conv", "--input", "256x256x3", "--to", "chain"),
    ("convert", LENET, "--to", "yaml"),
    ("export", LENET, "--to", "pytorch"),
    ("export", INCEPTION, "--to", "keras"),
]


@pytest.mark.parametrize("args", ARTIFACTS, ids=" ".join)
def test_artifact_commands_speak_only_spanish(args, run_cli, pseudo_spanish, tmp_path):
    code, out, err = run_cli("--lang", "es", *args, "-o", str(tmp_path / "written"))
    assert code == 0, err
    assert (tmp_path / "written").read_text(encoding="utf-8")  # the artifact went to the file, not the console
    left = english_left(out + err, output_names(args))
    assert not left, f"English in `cnncalc --lang es {' '.join(args)}`:\n" + "\n".join(left)


@pytest.mark.parametrize("args", ARTIFACTS, ids=" ".join)
def test_an_artifact_is_the_same_in_every_language(args, run_cli):
    """The spec or code written never changes with the language; JSON describing it neither."""
    for extra in ((), ("--format", "json")):
        english, spanish = run_cli("--lang", "en", *args, *extra), run_cli("--lang", "es", *args, *extra)
        assert english[0] == spanish[0] == 0
        assert english[1] == spanish[1]


def test_the_other_commands_speak_real_spanish(run_cli, monkeypatch):
    """A few lines as a Spanish-speaking student reads them, with the numbers worked by hand."""
    monkeypatch.setenv("COLUMNS", "250")

    def said(*args: str) -> str:
        code, out, err = run_cli("--lang", "es", *args)
        assert code in (0, 1), err
        return out

    kinds = said("layers")
    assert kinds.startswith("tipos de capa (los nombres no distinguen mayúsculas; _ y - se ignoran)")
    assert "fusión: suma" in kinds and "aplana a un vector; sin parámetros" in kinds
    # LeNet-5's conv_1 is 5×5, stride 1: output unit (1, 2) reads input rows 1..5 and columns 2..6.
    window = said("receptive-field", LENET, "--layer", "conv_1", "--at", "1,2")
    assert "la unidad (1, 2) de conv_1 ve:" in window
    assert "  eje W: entrada 2..6 (recortada a la entrada: 2..6, 5 posiciones)" in window
    # VGG-11 and VGG-13: 7.61 and 11.31 GMACs (torchvision's published GFLOPS): 11.31 / 7.61 = 1.49.
    assert "B tiene un 49% más de MACs que A (1,49×)" in said(
        "compare", str(SPECS / "vgg11.yaml"), str(SPECS / "vgg13.yaml")
    )
    assert "ninguna capa ha cambiado" in said("diff", LENET, LENET)
    # 'same' padding for W = 32, F = 5, S = 1: (32 − 1)·1 + 5 − 32 = 4, two on each side.
    assert "P = 2 a cada lado → salida 32" in said("solve", "padding", "-W", "32", "-F", "5")
    # LeNet-5 at 33: conv 5 → 29, pool 2 → 14 (row 28 dropped); at 32 everything fits.
    scaled = said("scale", LENET, "--sizes", "32,33")
    assert "limpia" in scaled and "✗ descarta píxeles" in scaled
    assert "pico estimado" in said("memory", LENET)
    assert "las 13 capas coinciden con las formas y los parámetros calculados" in said("run", LENET)
    sheet = said("exercise", "--seed", "3", "--level", "3", "--solutions")
    assert "## Soluciones" in sheet and "- **2a** no" in sheet
    assert "(W − F + 2P)/S + 1 = 4,33" in sheet  # (13 − 5 + 2·1)/3 + 1 = 13/3


def test_the_stride_lesson_writes_its_decimal_the_spanish_way(run_cli):
    """(7 − 3)/3 + 1 = 2.33 is 2,33 in Spanish, in explain as in summary; a 4-wide input, kernel 3,
    stride 2: (4 − 3)/2 + 1 = 1.5, written 1,50 by conv."""
    code, out, _ = run_cli("--lang", "es", "explain", "ENTRADA(7x7x1) → CONV(1, 3, paso=3)")
    assert code == 0 and "= 2,33, así que" in out and "2.33" not in out
    x, k = "0 10 10 0; 20 30 30 20; 10 20 20 10; 0 5 5 0", "1 0 1; 0 2 1; 1 1 1"
    code, out, err = run_cli("--lang", "es", "conv", "-x", x, "-k", k, "--stride", "2")
    assert code == 0 and "= 1,50" in out + err and "1.50" not in out + err
    assert "= 2.33, so" in run_cli("explain", "INPUT(7x7x1) → CONV(1, 3, s=3)")[1]
