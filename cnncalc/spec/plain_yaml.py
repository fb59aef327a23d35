"""A reader for the plain YAML that spec files are written in, so most load without PyYAML.

Importing PyYAML costs more than reading, validating and summarising a 100-layer spec (its
pure-Python reader and resolver compile their regular expressions at import, even when libyaml
parses). This reader accepts a strict subset: block mappings and sequences, one-line flow
collections (`{conv: {filters: 64}}`, `[S001, R002]`), plain and quoted one-line scalars, folded
and literal block scalars (`description: >-`) and comments. On anything else — anchors, tags,
multi-line plain scalars, escapes, YAML 1.1 surprises (`yes`, `010`, `1_000`), errors of any kind —
it gives up and `files.parse_document` asks PyYAML, which decides and words every message as
before. What it accepts it reads exactly as PyYAML and the converter in `files.py` do, with the
same line and column for every mapping, key and item; tests/test_plain_yaml.py checks that on
every bundled spec and on generated documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cnncalc.errors import Location
from cnncalc.spec.located import LocDict, LocList

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,17})")  # longer numbers: PyYAML and files.py judge them
_FLOAT = re.compile(r"[-+]?[0-9]{1,18}\.[0-9]{0,18}")
_SIZE = re.compile(r"[0-9]+(?:x[0-9]+)+")  # 3x3, 224x224x3: text (0x3 too, as files.py reads it)
_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
_WORDS: dict[str, object] = {
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys(("null", "Null", "NULL", "~"), None),
}
# YAML 1.1 words and marks PyYAML resolves (or refuses) in ways this reader leaves to it
_SPECIAL_WORDS = frozenset({"yes", "no", "on", "off", "true", "false", "null", "<<", "="})
_NEVER_PLAIN_START = set("?:#&*!|>'\"%@`,[]{}")
# Every character PyYAML's int, float and timestamp patterns can match: text made only of these
# might be a number or a date to it ("1e3" is not, "1_000" and "2001-12-14" are), so it decides.
_NUMBER_LIKE = re.compile(r"[0-9a-fA-F_.+\-:xXoOtTzZiInN ]*")
# What YAML forbids in a stream, and the line breaks it knows beside '\n' (PyYAML counts lines at
# NEL and the Unicode separators; this reader splits at '\n' only), tabs and carriage returns.
# An anchor is '&' and its name, with no space between ("Ren & Sun" in a description is none).
# Where one might be, PyYAML reads the file, and files.py counts its nodes as if aliases expanded.
ANCHOR = re.compile(r"&[^\s,\[\]{}]")
_KEY_SPAN = 1000  # PyYAML refuses implicit keys whose ':' is 1,024 or more characters from their start
_LEFT_TO_PYYAML = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


class Unsupported(Exception):
    """The text uses YAML this reader does not: PyYAML reads it instead."""


def read_plain_yaml(text: str, filename: str, max_nesting: int) -> object | None:
    """The document as LocDict/LocList/scalars, or None when PyYAML must read it."""
    if _LEFT_TO_PYYAML.search(text) or ANCHOR.search(text):
        return None
    try:
        return _Reader(text, filename, max_nesting).document()
    except (Unsupported, RecursionError):  # deep nesting under a raised CNNCALC_MAX_NESTING
        return None


class _Reader:
    def __init__(self, text: str, filename: str, max_nesting: int) -> None:
        self.lines = text.split("\n")
        self.filename = filename
        self.max_nesting = max_nesting

    # -- lines -------------------------------------------------------------------------------
    def location(self, row: int, column: int) -> Location:
        return Location(file=self.filename, line=row + 1, column=column + 1)

    def content_row(self, row: int) -> int | None:
        """The first row from `row` on that holds more than spaces and a comment."""
        while row < len(self.lines):
            stripped = self.lines[row].lstrip(" ")
            if stripped and not stripped.startswith("#"):
                return row
            row += 1
        return None

    def indent(self, row: int) -> int:
        line = self.lines[row]
        return len(line) - len(line.lstrip(" "))

    def rest_is_empty(self, row: int, column: int) -> bool:
        """Only spaces, or spaces and a comment, from `column` to the end of the row."""
        line = self.lines[row]
        stripped = line[column:].lstrip(" ")
        if not stripped:
            return True
        hash_at = len(line) - len(stripped)  # a '#' starts a comment after a space or at a row's start
        return stripped.startswith("#") and (hash_at == 0 or line[hash_at - 1] == " ")

    # -- block structure ---------------------------------------------------------------------
    def document(self) -> object:
        first = self.content_row(0)
        if first is None:
            raise Unsupported
        line = self.lines[first]
        if line.startswith(("%", "---", "...")):
            raise Unsupported
        value, after = self.block_node(first, self.indent(first), 0, self.indent(first))
        if after is not None:
            raise Unsupported  # text after the top-level node: PyYAML explains
        return value

    def block_node(self, row: int, column: int, depth: int, outer: int) -> tuple[object, int | None]:
        """The node starting at (row, column) and the next unread content row. A one-row value
        must not go on to rows indented beyond `outer` (its own column, or its item's dash)."""
        if depth > self.max_nesting:
            raise Unsupported
        if _entry_at(self.lines[row], column):
            return self.block_sequence(row, column, depth)
        if self.key_at(row, column) is not None:
            return self.block_mapping(row, column, depth)
        value, end = self.inline_value(row, column, False, depth)
        if not self.rest_is_empty(row, end):
            raise Unsupported
        return value, self.after_leaf(row, outer)

    def after_leaf(self, row: int, column: int) -> int | None:
        """The next content row after a one-row node; a more indented one would continue it."""
        following = self.content_row(row + 1)
        if following is not None and self.indent(following) > column:
            raise Unsupported  # a multi-line plain scalar, or worse
        return following

    def block_mapping(self, row: int, column: int, depth: int) -> tuple[LocDict, int | None]:
        mapping = LocDict(self.location(row, column))
        current: int | None = row
        while current is not None:
            found = self.key_at(current, column)
            if found is None:
                raise Unsupported
            key, colon = found
            self.add_key(mapping, key, current, column)
            mapping[key], current = self.mapping_value(current, colon + 1, column, depth + 1)
            if current is None or self.indent(current) < column:
                break
            if self.indent(current) > column:
                raise Unsupported
        return mapping, current

    def mapping_value(self, row: int, start: int, key_column: int, depth: int) -> tuple[object, int | None]:
        line = self.lines[row]
        column = start
        while column < len(line) and line[column] == " ":
            column += 1
        if self.rest_is_empty(row, column):
            return self.nested_value(row, key_column, depth)
        if depth > self.max_nesting:
            raise Unsupported
        if line[column] in ">|":
            return self.block_scalar(row, column, key_column)
        value, end = self.inline_value(row, column, False, depth)
        if not self.rest_is_empty(row, end):
            raise Unsupported
        return value, self.after_leaf(row, key_column)

    def nested_value(self, row: int, key_column: int, depth: int) -> tuple[object, int | None]:
        """The value of a key with nothing after its colon: an indented node, a sequence at the
        key's own column, or null."""
        if depth > self.max_nesting:
            raise Unsupported
        following = self.content_row(row + 1)
        if following is None:
            return None, None
        indent = self.indent(following)
        if indent > key_column:
            return self.block_node(following, indent, depth, indent)
        if indent == key_column and _entry_at(self.lines[following], indent):
            return self.block_sequence(following, indent, depth)
        return None, following

    def block_sequence(self, row: int, column: int, depth: int) -> tuple[LocList, int | None]:
        sequence = LocList(self.location(row, column))
        current: int | None = row
        while current is not None:
            line = self.lines[current]
            if current != row and (self.indent(current) != column or not line.startswith("-", column)):
                break  # (the first item may follow another dash on its row: '- - a')
            if not _entry_at(line, column):
                raise Unsupported
            start = column + 1
            while start < len(line) and line[start] == " ":
                start += 1
            if self.rest_is_empty(current, start):
                raise Unsupported  # an item on the following rows, or an empty one
            sequence.item_locations.append(self.location(current, start))
            item, current = self.block_node(current, start, depth + 1, column)
            sequence.append(item)
            if current is not None and self.indent(current) > column:
                raise Unsupported
        return sequence, current

    # -- keys --------------------------------------------------------------------------------
    def key_at(self, row: int, column: int) -> tuple[str, int] | None:
        """The key of a 'key: value' entry at (row, column) and the column of its colon, if one is there."""
        try:
            key, end = self.key(row, column)
        except Unsupported:
            return None
        line = self.lines[row]
        if line.startswith(":", end) and line[end + 1 : end + 2] in ("", " ") and end - column <= _KEY_SPAN:
            return key, end
        return None

    def key(self, row: int, column: int) -> tuple[str, int]:
        """A mapping key (quoted or plain) at (row, column) as files.py reads it, and the column after it."""
        line = self.lines[row]
        if line[column : column + 1] in ('"', "'"):
            key, end = self.quoted(row, column)
        else:
            match = _KEY.match(line, column)
            if match is None:
                raise Unsupported
            key, end = plain_value(match.group()), match.end()
        return (key if isinstance(key, str) else str(key)), end

    def add_key(self, mapping: LocDict, key: str, row: int, column: int) -> None:
        if key in mapping or key == "<<":
            raise Unsupported  # duplicate and merge keys: PyYAML and files.py report them
        mapping.key_locations[key] = self.location(row, column)

    # -- one-row values ----------------------------------------------------------------------
    def inline_value(self, row: int, column: int, flow: bool, depth: int) -> tuple[object, int]:
        """A scalar or flow collection starting at (row, column), and the column after it."""
        if depth > self.max_nesting:
            raise Unsupported
        line = self.lines[row]
        first = line[column : column + 1]
        if first in ('"', "'"):
            return self.quoted(row, column)
        if first == "{":
            return self.flow_mapping(row, column, depth)
        if first == "[":
            return self.flow_sequence(row, column, depth)
        return self.plain(row, column, flow)

    def plain(self, row: int, column: int, flow: bool) -> tuple[object, int]:
        line = self.lines[row]
        if column >= len(line) or line[column] in _NEVER_PLAIN_START or _entry_at(line, column):
            raise Unsupported
        end = column
        stops = ",[]{}" if flow else ""
        while end < len(line) and line[end] not in stops and not line.startswith(" #", end):
            end += 1
        text = line[column:end].rstrip(" ")
        if ": " in text or text.endswith(":") or (flow and any(mark in text for mark in ":#?")):
            raise Unsupported  # ('?' ends a flow scalar for PyYAML's own scanner, not for libyaml)
        return plain_value(text), column + len(text)

    def quoted(self, row: int, column: int) -> tuple[str, int]:
        line = self.lines[row]
        quote = line[column]
        if quote == '"':
            end = line.find('"', column + 1)
            if end < 0 or "\\" in line[column + 1 : end]:
                raise Unsupported  # escapes and multi-line strings: PyYAML's job
            return line[column + 1 : end], end + 1
        parts, position = [], column + 1
        while True:
            end = line.find("'", position)
            if end < 0:
                raise Unsupported
            parts.append(line[position:end])
            if line.startswith("''", end):
                parts.append("'")
                position = end + 2
                continue
            return "".join(parts), end + 1

    def flow_mapping(self, row: int, column: int, depth: int) -> tuple[LocDict, int]:
        line = self.lines[row]
        mapping = LocDict(self.location(row, column))

        def entry(position: int) -> int:
            key, end = self.key(row, position)
            if not line.startswith(": ", end) or end - position > _KEY_SPAN:
                raise Unsupported
            self.add_key(mapping, key, row, position)
            mapping[key], end = self.inline_value(row, _skip_spaces(line, end + 2), True, depth + 1)
            return end

        return mapping, self.flow_entries(row, column, "}", entry)

    def flow_sequence(self, row: int, column: int, depth: int) -> tuple[LocList, int]:
        sequence = LocList(self.location(row, column))

        def entry(position: int) -> int:
            sequence.item_locations.append(self.location(row, position))
            item, end = self.inline_value(row, position, True, depth + 1)
            sequence.append(item)
            return end

        return sequence, self.flow_entries(row, column, "]", entry)

    def flow_entries(self, row: int, column: int, closing: str, entry: Callable[[int], int]) -> int:
        """Read the comma-separated entries after the bracket at `column`; the column after the
        closing bracket. A trailing comma or a line break inside is left to PyYAML."""
        line = self.lines[row]
        position = _skip_spaces(line, column + 1)
        if line.startswith(closing, position):
            return position + 1
        while True:
            position = _skip_spaces(line, entry(position))
            if line.startswith(closing, position):
                return position + 1
            if not line.startswith(",", position):
                raise Unsupported
            position = _skip_spaces(line, position + 1)
            if line.startswith(closing, position):
                raise Unsupported

    # -- block scalars -----------------------------------------------------------------------
    def block_scalar(self, row: int, column: int, parent_indent: int) -> tuple[str, int | None]:
        """`>`, `>-`, `|` or `|-` with every line at one indentation and no blank line inside."""
        line = self.lines[row]
        style, strip = line[column], line.startswith("-", column + 1)
        header_end = column + 1 + strip
        if not self.rest_is_empty(row, header_end) or line[header_end : header_end + 1] not in ("", " "):
            raise Unsupported
        first = row + 1
        if first >= len(self.lines) or not self.lines[first].strip(" "):
            raise Unsupported
        indent = self.indent(first)
        if indent <= parent_indent:
            raise Unsupported
        texts, current = [], first
        while current < len(self.lines):
            text = self.lines[current]
            if not text.strip(" "):
                break
            if self.indent(current) < indent:
                break
            if self.indent(current) > indent or text.endswith(" "):
                raise Unsupported  # more-indented or trailing spaces fold differently
            texts.append(text[indent:])
            current += 1
        ends_text = current == len(self.lines)  # no line break after the last line: none to keep
        while current < len(self.lines) and not self.lines[current].strip(" "):
            if len(self.lines[current]) > indent:
                raise Unsupported  # spaces beyond the indentation are text to PyYAML
            current += 1
        if current < len(self.lines) and self.indent(current) >= indent:
            raise Unsupported  # a blank line inside the scalar (a '#' there is text, not a comment)
        following = self.content_row(current)
        value = (" " if style == ">" else "\n").join(texts)
        return (value if strip or ends_text else value + "\n"), following


def _entry_at(line: str, column: int) -> bool:
    """A block sequence entry ('- ' or a lone '-') starts at `column`."""
    return line.startswith("-", column) and line[column + 1 : column + 2] in ("", " ")


def _skip_spaces(line: str, position: int) -> int:
    while position < len(line) and line[position] == " ":
        position += 1
    return position


def plain_value(text: str) -> object:
    """A plain scalar as PyYAML's safe loader reads it, for the forms this reader accepts."""
    if text in _WORDS:
        return _WORDS[text]
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _SIZE.fullmatch(text):
        return text
    if not text or text.lower() in _SPECIAL_WORDS:
        raise Unsupported
    if text[0] in "0123456789+-." and _NUMBER_LIKE.fullmatch(text):
        raise Unsupported
    return text
