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
from tests_support import ROOT

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
            marked = tuple(f"⟦{text}⟧" for text in ids)
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
