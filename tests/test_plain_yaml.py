"""The plain-YAML reader against PyYAML: what it accepts it must read exactly as PyYAML does
(values, types, and the line and column of every mapping, key and item); anything else it must
leave to PyYAML (None)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cnncalc.errors import SpecError
from cnncalc.limits import DEFAULT_LIMITS
from cnncalc.spec.files import parse_with_pyyaml
from cnncalc.spec.located import LocDict, LocList
from cnncalc.spec.plain_yaml import read_plain_yaml

ROOT = Path(__file__).resolve().parent.parent
NESTING = DEFAULT_LIMITS.max_nesting


def difference(mine: object, theirs: object, path: str = "$") -> str | None:
    """Where two read documents differ (value, type or location), or None."""
    if type(mine) is not type(theirs):
        return f"{path}: {mine!r} ({type(mine).__name__}) vs {theirs!r} ({type(theirs).__name__})"
    if isinstance(mine, LocDict):
        if (mine.location, list(mine), mine.key_locations) != (theirs.location, list(theirs), theirs.key_locations):
            return f"{path}: mapping {mine.location} {mine.key_locations} vs {theirs.location} {theirs.key_locations}"
        pairs = [(mine[key], theirs[key], f"{path}.{key}") for key in mine]
    elif isinstance(mine, LocList):
        if (mine.location, len(mine), mine.item_locations) != (theirs.location, len(theirs), theirs.item_locations):
            return (
                f"{path}: sequence {mine.location} {mine.item_locations} vs {theirs.location} {theirs.item_locations}"
            )
        pairs = [(a, b, f"{path}[{i}]") for i, (a, b) in enumerate(zip(mine, theirs, strict=True))]
    else:
        return None if mine == theirs else f"{path}: {mine!r} vs {theirs!r}"
    return next((d for a, b, p in pairs if (d := difference(a, b, p))), None)


@contextmanager
def without_libyaml() -> Iterator[None]:
    """PyYAML's own parser, as on a machine where PyYAML was installed without libyaml."""
    saved = yaml.CSafeLoader
    yaml.CSafeLoader = None
    try:
        yield
    finally:
        yaml.CSafeLoader = saved


def check_agreement(text: str) -> object | None:
    """Read `text` every way; fail if the plain reader accepts it and reads it differently from
    PyYAML, with libyaml or without it."""
    mine = read_plain_yaml(text, "net.yaml", NESTING)
    if mine is None:
        return None
    for parser in (nullcontext, without_libyaml):
        with parser():
            try:
                theirs = parse_with_pyyaml(text, "net.yaml", DEFAULT_LIMITS)
            except SpecError as exc:
                pytest.fail(f"the plain reader accepted what PyYAML refuses ({exc}):\n{text}")
        found = difference(mine, theirs)
        assert found is None, f"{found}\n--- text ({parser.__name__}) ---\n{text}"
    return mine


@pytest.mark.parametrize("path", sorted((ROOT / "specs").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_bundled_spec_is_read_without_pyyaml_exactly_as_pyyaml_reads_it(path):
    assert check_agreement(path.read_text(encoding="utf-8")) is not None


def test_the_bad_spec_corpus_is_read_as_pyyaml_reads_it_or_left_to_it():
    files = [p for p in sorted((ROOT / "tests" / "bad_specs").iterdir()) if p.suffix in (".yaml", ".json")]
    read = [p.name for p in files if p.is_file() and check_agreement(p.read_bytes().decode("utf-8", "replace"))]
    assert len(read) >= 40  # the files whose problem is in the spec, not in the YAML


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # anchors and aliases
        "a: !!python/object:os.system 1\n",  # tags
        "a: yes\n",  # YAML 1.1 booleans
        "a: 010\n",  # octal
        "a: 1_000\n",  # digit separators
        "a: 2001-12-14\n",  # timestamps
        "a: 1:30\n",  # sexagesimal
        "a: .inf\n",
        "a: 12345678901234567890\n",
        "a: this is\n  two lines\n",  # multi-line plain scalars
        'a: "tab\\tescape"\n',  # escapes
        "a:\n\tb: 1\n",  # tabs
        "a: 1\r\nb: 2\r\n",  # carriage returns
        "a: 1\na: 2\n",  # duplicate keys
        "<<: {a: 1}\n",  # merge keys
        "a: [1, 2,\n  3]\n",  # multi-line flow collections
        "a: [1, 2, ]\n",  # trailing comma
        "a: >+\n  keep\n\n",  # keep chomping
        "a: >\n  one\n\n  two\n",  # blank line inside a folded scalar
        "a: >\n  one\n    more indented\n",
        "--- \na: 1\n",  # document markers
        "a: 1\n---\nb: 2\n",
        "# only a comment\n",
        "",
        "a: b: c\n",
        "a: x\u2028b: y\n",  # a line separator PyYAML breaks lines at
        "a: \x07\n",  # a control character
        "- [a, b: c]\n",  # a single-pair mapping in a flow sequence
        # found by an adversarial review (2026-11-29):
        "a: |\n  x\n   \nb: 1\n",  # spaces beyond the indentation after a block scalar are text
        "a: >\n  x\n      \nb: 1\n",
        "a: |-\n  x\n     ",
        "k" * 1025 + ": 1\n",  # PyYAML's 1,024-character limit on implicit keys
        "'" + "k" * 1023 + "': 1\n",
        "a: {" + "k" * 1025 + ": 1}\n",
        "# R&D\nlayers: [a, b]\n",  # anchor-like text: PyYAML's path counts the nodes
        "a: [a?b]\n",  # '?' ends a flow scalar for PyYAML's own scanner
        "- {a: b?, c: d}\n",
    ],
    ids=lambda text: repr(text[:40]),
)
def test_what_the_plain_reader_leaves_to_pyyaml(text):
    assert read_plain_yaml(text, "net.yaml", NESTING) is None


def test_values_and_locations_of_a_typical_spec():
    text = (
        "name: tiny  # a comment\n"
        "description: >-\n"
        "  two lines\n"
        "  folded\n"
        "input: 32x32x3\n"
        "layers:\n"
        "  - {name: c1, conv: {filters: 8, kernel: 3, padding: same, bias: false}}\n"
        "  - relu\n"
        "  - name: d\n"
        "    dense: [10]\n"
        "    dropout: 0.5\n"
        "lint: {ignore: ['S001', \"R002\"], extra: ~}\n"
    )
    doc = check_agreement(text)
    assert doc == {
        "name": "tiny",
        "description": "two lines folded",
        "input": "32x32x3",
        "layers": [
            {"name": "c1", "conv": {"filters": 8, "kernel": 3, "padding": "same", "bias": False}},
            "relu",
            {"name": "d", "dense": [10], "dropout": 0.5},
        ],
        "lint": {"ignore": ["S001", "R002"], "extra": None},
    }
    layers = doc["layers"]
    assert (layers.location.line, layers.location.column) == (7, 3)  # the first '-'
    assert [(w.line, w.column) for w in layers.item_locations] == [(7, 5), (8, 5), (9, 5)]
    assert (layers[0]["conv"].where("kernel").line, layers[0]["conv"].where("kernel").column) == (7, 35)


def test_a_clipped_block_scalar_keeps_only_a_line_break_the_file_has():
    assert check_agreement("a: |\n  x") == {"a": "x"}
    assert check_agreement("a: >\n  x\n  y") == {"a": "x y"}
    assert check_agreement("a: |\n  x\n  y\n") == {"a": "x\ny\n"}
    assert check_agreement("a: >\n  x\n\n\nb: 1\n") == {"a": "x\n", "b": 1}


def test_the_nesting_limit_is_left_to_pyyaml_and_files_py():
    deep = "a: " + "[" * 5 + "1" + "]" * 5 + "\n"
    assert read_plain_yaml(deep, "net.yaml", 5) is None
    assert read_plain_yaml(deep, "net.yaml", 6) is not None
    empty_at_the_limit = "".join(" " * i + f"k{i}:\n" for i in range(NESTING + 1))  # a null 101 deep
    assert read_plain_yaml(empty_at_the_limit, "net.yaml", NESTING) is None
    assert read_plain_yaml(empty_at_the_limit, "net.yaml", NESTING + 1) is not None
    # With the limit raised far beyond Python's recursion depth, deep text is still PyYAML's job.
    deeper = "a:\n" + "".join(" " * (i + 1) + "b:\n" for i in range(3000)) + " " * 3002 + "c\n"
    assert read_plain_yaml(deeper, "net.yaml", 100_000) is None
    assert read_plain_yaml("a: " + "[" * 3000 + "]" * 3000 + "\n", "net.yaml", 100_000) is None


# -- generated documents -----------------------------------------------------------------------

WORDS = ["relu", "conv", "same", "n", "y", "x", "3x3", "0x3", "224x224x3", "2× unpooling", "a b", "a#b"]
TRICKY = ["yes", "No", "on", "OFF", "true", "False", "null", "~", "010", "0", "-1", "+2", "1_000", "1e3", "1e-3",
          "1.", ".5", "-0.25", "1:30", "2001-12-14", "0x1F", "0b101", ".inf", ".NaN", "<<", "=", "-", "?", ":",
          "#", "a: b", "- a", "'q'", '"d"', "'it''s'", "{}", "[]", "é", "1 if i == 0 else 2"]  # fmt: skip
scalars = st.one_of(
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.none(),
    st.sampled_from(WORDS + TRICKY),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)
keys = st.one_of(
    st.sampled_from(["name", "conv", "filters", "layers", "k", "1", "true", "a b", "x.y"]), st.text(max_size=6)
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    documents,
    st.sampled_from([False, None, True]),
    st.integers(2, 4),
    st.booleans(),
)
def test_documents_pyyaml_writes_are_read_as_pyyaml_reads_them(document, flow_style, indent, unicode):
    text = yaml.safe_dump(
        {"spec": document}, default_flow_style=flow_style, indent=indent, allow_unicode=unicode, sort_keys=False
    )
    check_agreement(text)


PREFIXES = ["", "- ", "- - ", "name: ", "- name: ", "conv: ", "layers:", "- layers:", "'q k': ", '"k": ', "k:v "]
VALUES = [*WORDS, *TRICKY, "", "{a: 1, b: [x, 'y']}", "[1, 2.5, -3]", "{a: {b: 2}}", "[[1], {c: d}]", ">-", "|",
          ">", "|-", '"x y"', "text", "a?b", "[a?b]"]  # fmt: skip
rows = st.tuples(
    st.sampled_from([0, 0, 2, 2, 4, 6, 1]),
    st.sampled_from(PREFIXES),
    st.sampled_from(VALUES),
    st.sampled_from(["", "", "  # note", " #x", "#x", " "]),
)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows, min_size=1, max_size=10), st.booleans())
def test_hand_written_looking_text_is_read_as_pyyaml_reads_it_or_left_to_it(lines, final_newline):
    text = "".join(" " * indent + prefix + value + comment + "\n" for indent, prefix, value, comment in lines)
    text = text if final_newline else text.removesuffix("\n")
    assume(text.strip())
    check_agreement(text)
