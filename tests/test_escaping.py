"""Hostile names through every command and output format: nothing they hold may act on the reader.

A spec's author chooses its name, its layer names and its file name; specs are shared and linted in
CI on strangers' pull requests. Each name below is an attack on one output: a GitHub workflow command
on its own line, terminal escapes (clear screen, OSC 52 clipboard), a bidi override, a lone
surrogate, Markdown/HTML, LaTeX file reading, a spreadsheet formula, a DOT break-out. Every command
× format pair must print them inertly: the checks below parse each format, none runs cnncalc for its
expected values.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cnncalc.render import escape

HOSTILE = {
    "workflow": "c\n::error file=README.md,line=1,title=Injected::x",
    "old_workflow": "x ##[error]Injected",
    "leading": "::warning::Injected",
    "terminal": "\x1b[2J\x1b]52;c;SGVsbG8=\x07",
    "c1": "\x9b31m red",
    "bidi": "abc\u202edcba",
    "surrogate": "a\ud800b",
    "pipe": "a|b",
    "html": "<script>alert(1)</script>",
    "latex": "\\input{/etc/passwd}",
    "formula": "=cmd|' /C calc'!A0",
    "at": "@SUM(1+1)",
    "dot": '"};digraph x{',
    "mermaid": 'a"]; click n1 "javascript:alert(1)',
    "backtick": "`a`|``",
    "rich": "[bold red]x[/] :warning:",
}

# Lines cnncalc itself writes as workflow commands (lint and diff --format github).
OWN_ANNOTATION = re.compile(r"::(error|warning|notice) (file=[^:,\n]*,(line=\d+,)?(col=\d+,)?)?title=[^:,\n]*::[^\n]*")
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def hostile_spec(tmp_path: Path, key: str) -> Path:
    """A branching spec whose every name starts with the hostile text, with findings to report.

    JSON (written ASCII-only) carries a lone surrogate as the escape \\ud800, which YAML cannot."""
    name = HOSTILE[key]
    spec = {
        "name": name,
        "input": "8x8x3",
        "layers": [
            {"name": name + " a", "conv": {"filters": 4, "kernel": 3}},
            {"name": name + " b", "conv": {"filters": 4, "kernel": 3}, "inputs": ["input"]},
            {"name": name + " c", "add": None, "inputs": [name + " a", name + " b"]},
            {"name": name + " d", "conv": {"filters": 2, "kernel": 3, "stride": 2}},  # (6 − 3)/2 + 1: S001
        ],
    }
    path = tmp_path / f"{key}.json"
    path.write_text(json.dumps(spec), encoding="ascii")
    return path


def commands(spec: str) -> dict[str, list[str]]:
    """Every command and format that prints the spec's names."""
    other = "INPUT(8x8x3) → CONV(4, 3) → RELU"
    pairs: dict[str, list[str]] = {}
    for fmt in ("table", "json", "markdown", "csv"):
        pairs[f"summary-{fmt}"] = ["summary", spec, "-f", fmt]
    pairs["summary-rf-explain"] = ["summary", spec, "--rf", "--explain"]
    for fmt in ("human", "table", "json", "github", "sarif"):
        pairs[f"lint-{fmt}"] = ["lint", spec, "-f", fmt]
    for fmt in ("table", "json", "markdown", "github"):
        pairs[f"diff-{fmt}"] = ["diff", other, spec, "-f", fmt, "--fail-on", "params+1%"]
    for fmt in ("table", "json", "markdown"):
        pairs[f"compare-{fmt}"] = ["compare", other, spec, "-f", fmt]
        pairs[f"memory-{fmt}"] = ["memory", spec, "-f", fmt]
        pairs[f"receptive-field-{fmt}"] = ["receptive-field", spec, "-f", fmt, "--explain", "--at", "0,0"]
        pairs[f"scale-{fmt}"] = ["scale", spec, "--sizes", "8,12", "-f", fmt]
    for fmt in ("text", "json", "markdown", "latex"):
        pairs[f"explain-{fmt}"] = ["explain", spec, "-f", fmt]
    for fmt in ("mermaid", "dot", "svg", "json"):
        pairs[f"diagram-{fmt}"] = ["diagram", spec, "-f", fmt]
    for fmt in ("html", "json"):
        pairs[f"report-{fmt}"] = ["report", spec, "-f", fmt]
    return pairs


def check_lines(label: str, text: str, github: bool) -> None:
    """No line is a workflow command but cnncalc's own; no control, bidi or lone surrogate is sent."""
    assert "##[" not in text, label
    assert not FORBIDDEN.search(text), (label, FORBIDDEN.search(text))
    for line in text.splitlines():
        if github:
            assert OWN_ANNOTATION.fullmatch(line), (label, line)
        else:
            assert not line.lstrip().startswith("::"), (label, line)


def check_markdown(label: str, text: str) -> None:
    """Every table row has its header's cells, and no HTML tag survives unescaped."""
    columns = None
    for line in text.splitlines():
        if not line.startswith("|"):
            columns = None
            continue
        cells = len(re.findall(r"(?<!\\)\|", line))  # an escaped \| is text
        columns = columns or cells
        assert cells == columns, (label, line)
    assert not re.search(r"(?<!\\)<[a-z/]", text), label


def check_csv(label: str, text: str) -> None:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows and all(len(row) == len(rows[0]) for row in rows), label
    for row in rows[1:]:
        for cell in row:
            assert not (cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not cell.lstrip("+-").isdigit()), (label, cell)


DOT_LINE = re.compile(
    r'  n\d+ \[label="(?:[^"\\]|\\.)*", fillcolor="#[0-9a-f]{6}"(, style="rounded,filled")?\];'
    r"|  n\d+ -> n\d+;|  rankdir=TB;|  node \[.*\];|}"
)


def check_dot(label: str, text: str) -> None:
    """The graph has exactly the statements cnncalc writes: a quoted string can hide nothing."""
    first, *rest = text.splitlines()
    assert re.fullmatch(r'digraph "(?:[^"\\]|\\.)*" \{', first), (label, first)
    for line in rest:
        assert DOT_LINE.fullmatch(line), (label, line)


MERMAID_LINE = re.compile(r'    n\d+(\(\["[^"]*"\]\)|\["[^"]*"\])|    n\d+ --> n\d+|flowchart TD')


def check_mermaid(label: str, text: str) -> None:
    for line in text.splitlines():
        assert MERMAID_LINE.fullmatch(line), (label, line)
        assert "<" not in line.replace("<br/>", ""), (label, line)


# The commands explain's LaTeX is made of; anything else (\input, \write, \def, …) is an injection.
LATEX_COMMANDS = {
    "section", "paragraph", "text", "textbackslash", "textasciitilde", "textasciicircum", "lfloor", "rfloor",
    "lceil", "rceil", "cdot", "times", "to", "gamma", "beta", "geq", "ldots", "quad", "backslash", "sim", "hat",
}  # fmt: skip


def check_latex(label: str, text: str) -> None:
    for command in re.findall(r"\\([A-Za-z]+|.)", text):
        assert command in LATEX_COMMANDS or not command.isalpha(), (label, command)
    unescaped = re.sub(r"\\.", "", text)
    assert unescaped.count("{") == unescaped.count("}"), label


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.add(tag)


def check_html(label: str, text: str) -> None:
    from cnncalc.render.report import SCRIPT

    # The report's zoom script is its one script, written by cnncalc: removed whole, nothing may remain.
    text = text.replace(f"<script>{SCRIPT}</script>", "", 1 if label == "report-html" else 0)
    parser = _Tags()
    parser.feed(text)
    assert not parser.tags & {"script", "iframe", "object", "embed", "img"}, (label, parser.tags)
    for svg in re.findall(r"<svg.*?</svg>", text, flags=re.S):
        ElementTree.fromstring(svg)


def check_output(label: str, fmt: str, out: str, names: list[str]) -> None:
    github = fmt == "github"
    check_lines(label, out, github)
    if fmt in ("json", "sarif"):
        document = json.loads(out)
        if label.startswith(("summary", "diagram")):  # names survive JSON exactly
            listed = document["layers"] if "layers" in document else document["nodes"]
            assert [layer.get("name", layer.get("id")) for layer in listed][1:] == names[1:], label
    elif fmt == "markdown":
        check_markdown(label, out)
    elif fmt == "csv":
        check_csv(label, out)
    elif fmt == "dot":
        check_dot(label, out)
    elif fmt == "mermaid":
        check_mermaid(label, out)
    elif fmt == "latex":
        check_latex(label, out)
    elif fmt == "svg":
        ElementTree.fromstring(out)
    elif fmt == "html":
        check_html(label, out)


@pytest.mark.parametrize("key", sorted(HOSTILE))
def test_hostile_names_through_every_command_and_format(key, tmp_path, run_cli):
    spec = hostile_spec(tmp_path, key)
    name = HOSTILE[key]
    names = ["input", name + " a", name + " b", name + " c", name + " d"]
    for label, args in commands(str(spec)).items():
        code, out, err = run_cli(*args)
        assert code in (0, 1), (label, code, err)  # a finding (S001) or a threshold may exit 1, never 2
        check_output(label, args[args.index("-f") + 1] if "-f" in args else "table", out, names)
        check_lines(label + " (stderr)", err, github=False)


def test_a_hostile_file_name_is_escaped_too(tmp_path, run_cli):
    """The file name leads every lint line: a file named like a command must not become one."""
    folder = tmp_path / "::error file=x::pwned"
    folder.mkdir()
    spec = folder / "a\u202eb.yaml"
    spec.write_text("input: 8x8x3\nlayers:\n  - CONV(4, 3, stride=2)\n", encoding="utf-8")  # (8 − 3)/2 + 1: S001
    relative = Path("::error file=x::pwned") / "a\u202eb.yaml"
    import os

    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        for fmt in ("human", "table", "github"):
            code, out, err = run_cli("lint", str(relative), "-f", fmt)
            assert code == 0 and "S001" in out, (fmt, out, err)  # a warning: exit 0
            check_lines(f"lint-{fmt}", out, github=fmt == "github")
    finally:
        os.chdir(here)


def test_errors_quoting_a_value_are_escaped(run_cli):
    code, _, err = run_cli("summary", "INPUT(8x8x3) → CONV(4, 3)", "--input", "\x1b[2J\n::error::x")
    assert code == 2 and "\\x1b[2J\\n::error::x" in err
    check_lines("summary --input", err, github=False)


def test_each_escape_by_hand():
    """The exact text each format gets, worked out from the format's own rules."""
    assert escape.terminal("a\nb\x1bc\u202e\ud800") == "a\\nb\\x1bc\\u202e\\ud800"
    assert escape.terminal("  ::x") == "  \\x3a:x"
    assert escape.terminal("##[error]") == "##\\x5berror]"
    assert escape.workflow_data("50%\r\n") == "50%25\\r\\n"
    assert escape.workflow_property("a:b,c%") == "a%3Ab%2Cc%25"
    assert escape.markdown("a|b<i>*_`$&~[x](y)\\") == "a\\|b\\<i\\>\\*\\_\\`\\$\\&\\~\\[x\\](y)\\\\"
    assert escape.csv_cell("=1+1") == "'=1+1" and escape.csv_cell("@x") == "'@x" and escape.csv_cell("\tx") == "'\\tx"
    assert escape.csv_cell("-2") == "'-2" and escape.csv_cell(-2) == -2 and escape.csv_cell("a=b") == "a=b"
    assert escape.dot('a"b\\N&') == 'a\\"b\\\\N&amp;'
    assert escape.mermaid('a"<b>&#`') == "a#34;#60;b#62;#38;#35;#96;"
    assert escape.latex("\\input{x}#$%&_~^") == (
        "\\textbackslash{}input\\{x\\}\\#\\$\\%\\&\\_\\textasciitilde{}\\textasciicircum{}"
    )
    assert escape.xml("<a href='x'>&\x0c") == "&lt;a href=&#x27;x&#x27;&gt;&amp;\\x0c"
    assert escape.json_text({"n": "\u202e##[\x9b"}, indent=None) == '{"n": "\\u202e##\\u005b\\u009b"}'


ENCODINGS = ("cp1252", "ascii", "latin-1")


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_non_utf8_stdout_never_fails(encoding, tmp_path):
    """Box, ×, → and a lone surrogate on a console that cannot encode them: printed, exit code kept."""
    spec = hostile_spec(tmp_path, "surrogate")
    environment = {"PYTHONIOENCODING": encoding, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    for args, expected in (
        (["summary", str(spec)], 0),
        (["summary", str(spec), "-f", "json"], 0),
        (["lint", str(spec), "--strict"], 1),  # S001, a warning: the stride does not fit
        (["diff", "INPUT(8x8x3) → CONV(4, 3)", str(spec)], 0),
        (["explain", str(spec)], 0),
        (["summary", "nope.yaml"], 2),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "cnncalc", *args], capture_output=True, env=environment, timeout=120
        )
        stderr = result.stderr.decode(encoding)
        assert result.returncode == expected, (args, stderr)
        assert "Traceback" not in stderr and "UnicodeEncodeError" not in stderr, (args, stderr)
        out = result.stdout.decode(encoding)
        if "json" in args:
            names = [layer["name"] for layer in json.loads(out)["layers"]]
            assert names[1] == "a\ud800b a"  # the \ud800 escape JSON reads back as the same name
        elif args[0] == "summary" and expected == 0 and encoding == "ascii":
            assert "+---" in out and "8x8x3" in out  # the box and × in ASCII look-alikes


@pytest.mark.parametrize("target", ["yaml", "json"])
def test_convert_writes_hostile_names_as_escapes_that_read_back_the_same(tmp_path, run_cli, target):
    import json

    import yaml

    name = "x\n::error file=a::pwn \u202e \x1b[2J ##[error]"
    layer = "c\n::warning::inj\u2066"
    source = tmp_path / "evil.json"
    source.write_text(json.dumps({"name": name, "input": "8x8x3", "layers": [{"name": layer, "conv": [2, 3]}]}))
    code, out, err = run_cli("convert", str(source), "--to", target)
    assert code == 0, err
    assert not any(line.lstrip().startswith("::") or "##[" in line for line in out.splitlines())
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", out)
    document = yaml.safe_load(out) if target == "yaml" else json.loads(out)
    assert document["name"] == name and document["layers"][0]["name"] == layer
