"""One escaping function per output format, for every text a spec's author chose.

Layer names, spec names, file names and messages quoting values come from whoever wrote the
spec, and specs travel (students share them, CI lints them in strangers' pull requests). Printed
as they are, a newline lets a name start its own line (`::error …` is a GitHub Actions command),
ESC and OSC sequences drive the reader's terminal (clear it, write the clipboard), bidi overrides
reorder what is read, `|` splits a Markdown table, `=` starts a spreadsheet formula and
`\\input{…}` reads a file into a LaTeX document. Each function here makes a text inert in one
format and nothing more, so a renderer calls exactly one of them on every such text.

Characters no format should carry are shown, never sent: a newline as `\\n`, ESC as `\\x1b`, a
right-to-left override as `\\u202e`, a lone surrogate as `\\ud800`.
"""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING

from cnncalc.i18n import _
from cnncalc.serialize import json_text as json_text  # the JSON writer, re-exported beside the other formats

if TYPE_CHECKING:
    from cnncalc.errors import SpecError

# C0 and C1 controls, DEL, the bidi embeddings, overrides, isolates and marks, the line and
# paragraph separators, lone surrogates and the two non-characters XML forbids.
_INVISIBLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
    "|(?<=##)\\["  # `##[error]` is GitHub's older workflow-command syntax, honoured anywhere in a line
)
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control, bidi and unpaired character written out as an escape.

    The common ground of every format below: nothing left can move the cursor, start a line,
    reorder text or fail to encode."""
    if text.isprintable() and "##[" not in text:  # nearly every name: nothing to do
        return text
    return _INVISIBLE.sub(_shown, str(text))


def terminal(text: str) -> str:
    """Plain text for a terminal or a CI log: visible controls, and never a leading `::`.

    GitHub runs a log line as a workflow command when it starts with `::` after blanks, so a
    name or file name that would begin a line with it gets its first colon written out."""
    return _no_command(visible(text), "\\x3a")


def _no_command(text: str, colon: str) -> str:
    """`text` with the first colon of a leading `::` (after blanks) written as `colon`."""
    stripped = text.lstrip()
    if stripped.startswith("::"):
        return text[: len(text) - len(stripped)] + colon + stripped[1:]
    return text


def terminal_error(error: SpecError) -> str:
    """An error as `str(error)` shows it, for a terminal: each line escaped, the hint on its own line.

    A message may list several problems, one per line; every line goes through `terminal`, so a
    value quoted in one can neither send a control character nor start a line with `::`."""
    where = str(error.location)
    lines = (f"{where}: {error.message}" if where else error.message).split("\n")
    hint = "\n  " + _("hint: {hint}").format(hint=terminal(error.hint)) if error.hint else ""
    return "\n".join(map(terminal, lines)) + hint


def markup(text: str) -> str:
    """Text inside rich console markup: `terminal` text whose `[` cannot open a style tag."""
    from rich.markup import escape

    return escape(terminal(text))


def workflow_data(text: str) -> str:
    """The message of a GitHub Actions workflow command (after the second `::`)."""
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(text: str) -> str:
    """A property value of a workflow command (`file=`, `title=`): `:` and `,` would end it."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")


_MARKDOWN = re.compile(r"([\\`*_\[\]<>|~&$])")


def markdown(text: str) -> str:
    """Text in Markdown, table cells included: no HTML, emphasis, link, code span, math or cell break.

    A leading `::` becomes `\\::`, which Markdown shows as `::` but a CI log does not run."""
    return _no_command(_MARKDOWN.sub(r"\\\1", visible(text)), "\\:")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A CSV field: numbers as they are; text that a spreadsheet would run as a formula quoted by `'`."""
    if not isinstance(value, str):
        return value
    shown = visible(value)  # before the test: a tab or CR is written out, so it cannot start a cell
    return "'" + shown if value.startswith(_FORMULA_START) or shown.startswith(_FORMULA_START) else shown


def dot(text: str) -> str:
    """The inside of a double-quoted Graphviz ID or label.

    Backslashes are doubled (Graphviz reads `\\N`, `\\G`, `\\l` in labels) and `&` written as an
    entity (Graphviz decodes entities in every label), so the text shows as written."""
    return visible(text).replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")


_MERMAID = {"#": "#35;", '"': "#34;", "&": "#38;", "<": "#60;", ">": "#62;", "`": "#96;"}
_MERMAID_PATTERN = re.compile('[#"&<>`]')


def mermaid(text: str) -> str:
    """Text inside a quoted Mermaid label: quotes, markup and backticks as Mermaid's entity codes."""
    return _MERMAID_PATTERN.sub(lambda m: _MERMAID[m.group()], visible(text))


_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_PATTERN = re.compile(r"[\\{}#$%&_~^]")


def latex(text: str) -> str:
    """Text in LaTeX's text mode: the ten special characters as their commands, so nothing runs."""
    return _LATEX_PATTERN.sub(lambda m: _LATEX[m.group()], visible(text))


def xml(text: str) -> str:
    """Text or an attribute value in XML, SVG or HTML: markup escaped, characters XML forbids shown."""
    from html import escape

    return escape(visible(text), quote=True)


def html_document_attribute(page: str) -> str:
    """A whole HTML page cnncalc wrote (its names already escaped) as an attribute value, an
    iframe's `srcdoc`: markup quoted, line breaks kept, since they are the page's own."""
    from html import escape

    return escape(page, quote=True)


# What a console that cannot show a character prints instead: the table box, arrows and signs
# cnncalc draws have ASCII look-alikes of the same width where one exists.
_ASCII = {
    **dict.fromkeys("┏┓┗┛┳┻╋┣┫┡┩╇└┘┌┐┴┬┼├┤", "+"),
    **dict.fromkeys("━─", "-"),
    **dict.fromkeys("┃│", "|"),
    "×": "x",
    "−": "-",
    "—": "-",
    "–": "-",
    "·": ".",
    "…": "~",  # one cell, as rich measured it: rich cuts a long cell with … itself, after measuring
    "→": "->",
    "←": "<-",
    "≤": "<=",
    "≥": ">=",
    "≠": "!=",
    "✓": "ok",
    "✗": "X",
    "•": "*",
    "⌊": "floor(",
    "⌋": ")",
    "⌈": "ceil(",
    "⌉": ")",
    "²": "^2",
    "³": "^3",
}
FALLBACK = "cnncalc-ascii"


def ascii_fallback(error: UnicodeError) -> tuple[str, int]:
    """The `errors=` handler of a stream whose encoding lacks a character: a look-alike or an escape."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chunk = error.object[error.start : error.end]
    return "".join(map(_look_alike, chunk)), error.end


def _look_alike(char: str) -> str:
    """A character's ASCII look-alike: the table's, its letter without the accent (á → a, ñ → n: one
    cell, as measured), or its escape (\\u2603) when it has neither."""
    import unicodedata

    bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if char not in _ASCII and len(bare) == 1 and bare.isascii():
        return bare
    return _ASCII.get(char) or char.encode("ascii", "backslashreplace").decode("ascii")


def encodable(text: str, encoding: str | None) -> str:
    """`text` as a stream in `encoding` prints it, so table cells are measured as they will show."""
    if text.isascii() or not encoding or encoding.lower().replace("-", "").startswith("utf"):
        return text
    return text.encode(encoding, FALLBACK).decode(encoding)


# ASCII under a name of its own. Typer (click) takes a stream that says "ascii" for a misconfigured
# locale and writes UTF-8 bytes past it, so on `PYTHONIOENCODING=ascii` the tables (rich, through
# the stream) came out ASCII and the echoed text (JSON, code, working) as UTF-8: one output, two
# encodings. A stream re-encoded as ASCII_STREAM encodes exactly as ASCII and is left alone.
ASCII_STREAM = "cnncalc_ascii"
_ASCII_CODEC = codecs.lookup("ascii")


def _find_codec(name: str) -> codecs.CodecInfo | None:
    if name != ASCII_STREAM:
        return None
    return codecs.CodecInfo(
        _ASCII_CODEC.encode,
        _ASCII_CODEC.decode,
        name=ASCII_STREAM,
        incrementalencoder=_ASCII_CODEC.incrementalencoder,
        incrementaldecoder=_ASCII_CODEC.incrementaldecoder,
        streamreader=_ASCII_CODEC.streamreader,
        streamwriter=_ASCII_CODEC.streamwriter,
    )


# Registered once on import: Python's registries are keyed by name, and the handler and the codec
# are pure functions, so registering them again (or from a library user's process) changes nothing.
codecs.register_error(FALLBACK, ascii_fallback)
codecs.register(_find_codec)
