"""Reading spec files: safe YAML (with line numbers and resource bounds) and JSON.

YAML is composed to a node tree with PyYAML's safe loader (libyaml's CSafeLoader where installed; no
Python tags can construct objects), then converted here so every mapping and sequence remembers
where it was written. Aliases are counted before expansion, so an alias bomb is refused instead of
exhausting memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from cnncalc.errors import LimitError, Location, SpecError, SyntaxSpecError
from cnncalc.i18n import N_, _
from cnncalc.limits import DEFAULT_LIMITS, Limits
from cnncalc.reading import read_limited
from cnncalc.shown import quote
from cnncalc.spec.located import LocDict, LocList

if TYPE_CHECKING:  # PyYAML is imported when a file is read; without types-PyYAML these are Any
    from yaml import Node, ScalarNode


def read_text(path: Path, limits: Limits = DEFAULT_LIMITS) -> str:
    """Read a spec file as UTF-8, with clear messages for the usual ways that goes wrong."""
    name = str(path)
    if path.is_dir():
        raise SpecError(
            _("{name} is a directory, not a spec file").format(name=name),
            hint=_("give a .yaml, .yml or .json file (cnncalc lint also takes a directory holding some)"),
        )
    data = read_limited(
        path,
        limits.max_file_bytes,
        what=N_("spec file"),
        hint=_("raise CNNCALC_MAX_FILE_BYTES if the file is really a spec"),
    )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SyntaxSpecError(
            _("the file is UTF-16 text; cnncalc reads UTF-8"),
            location=Location(file=name),
            hint=_("save the file as UTF-8"),
        )
    if b"\x00" in data[:8192]:
        raise SyntaxSpecError(
            _("this is a binary file, not a text spec"),
            location=Location(file=name),
            hint=_("give a YAML or JSON spec (or an .onnx model)"),
        )
    body = data.removeprefix(b"\xef\xbb\xbf")  # the byte-order mark some editors write
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start + len(data) - len(body)
        line = data[:start].count(b"\n") + 1
        raise SyntaxSpecError(
            _("the file is not valid UTF-8 (byte {offset}: 0x{byte:02x})").format(offset=start, byte=data[start]),
            location=Location(file=name, line=line),
            hint=_("save the file as UTF-8"),
        ) from None


def parse_document(
    text: str, filename: str, limits: Limits = DEFAULT_LIMITS, *, numbers_as_text: bool = False
) -> object:
    """Parse YAML or JSON text into plain data with locations (LocDict/LocList).

    `numbers_as_text` keeps every unquoted number as written ('1.216', not the float 1.216): answers
    are read per language by cnncalc.notation, and YAML's own reading would lose the digits."""
    if not text.strip():
        raise SyntaxSpecError(
            _("the file is empty"),
            location=Location(file=filename),
            hint=_("a spec needs at least 'input:' and 'layers:'"),
        )
    if filename.endswith(".json"):
        try:
            data = _parse_json(text, filename)
        except SyntaxSpecError as unlocated:
            _located_yaml_error(text, filename, limits)
            raise unlocated from None
        try:  # JSON is YAML: composing it again gives every value its line and column
            return _parse_yaml(text, filename, limits, numbers_as_text)
        except SyntaxSpecError:
            return data
    return _parse_yaml(text, filename, limits, numbers_as_text)


def _located_yaml_error(text: str, filename: str, limits: Limits) -> None:
    """Raise the YAML reading of a JSON error when it has a line (duplicate keys have none in json)."""
    try:
        _parse_yaml(text, filename, limits)
    except SyntaxSpecError as exc:
        if exc.location.line is not None and isinstance(exc, _DuplicateKey):
            raise
    return None


def _parse_json(text: str, filename: str) -> object:
    import json

    def pairs(items: list[tuple[str, object]]) -> dict:
        seen: dict = {}
        for key, value in items:
            if key in seen:
                raise SyntaxSpecError(
                    _("duplicate key {key!r}").format(key=key),
                    location=Location(file=filename),
                    hint=_("each key may appear once per object"),
                )
            seen[key] = value
        return seen

    try:
        return json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        before = text[: exc.pos].rstrip()
        trailing = before.endswith(",") and text[exc.pos : exc.pos + 1] in "]}"
        raise SyntaxSpecError(
            _("invalid JSON: {problem}").format(problem=exc.msg),
            location=Location(file=filename, line=exc.lineno, column=exc.colno),
            hint=_("JSON allows no comma after the last item: remove it") if trailing else None,
        ) from None
    except RecursionError:
        raise LimitError(_("JSON nested too deeply"), location=Location(file=filename)) from None
    except ValueError:  # an integer past Python's 4,300-digit conversion limit
        raise _long_number(text, filename) from None


_LONG_NUMBER = re.compile(r"\d{4301,}")


def _long_number(text: str, filename: str) -> SyntaxSpecError:
    """The error for a number too long for int(), at the line and column where it is written."""
    match = _LONG_NUMBER.search(text)
    offset = match.start() if match else 0
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    return SyntaxSpecError(
        _("invalid JSON: the number {value} is far too large").format(value=quote(match[0] if match else "")),
        location=Location(file=filename, line=line, column=column),
        hint=_("numbers must be realistic integers"),
    )


def _mark(node: object, filename: str) -> Location:
    mark = node.start_mark  # type: ignore[attr-defined]
    return Location(file=filename, line=mark.line + 1, column=mark.column + 1)


def _parse_yaml(text: str, filename: str, limits: Limits, numbers_as_text: bool = False) -> object:
    """Any YAML, with PyYAML's safe loader; every YAML error message comes from here."""
    import yaml

    try:
        node = _compose(text, yaml)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(file=filename, line=mark.line + 1, column=mark.column + 1) if mark else Location(file=filename)
        problem = str(exc.problem or exc.context)
        if exc.context and problem.startswith("but "):
            problem = f"{exc.context}, {problem}"
        raise SyntaxSpecError(
            _("invalid YAML: {problem}").format(problem=problem), location=loc, hint=_yaml_hint(problem)
        ) from None
    except yaml.YAMLError as exc:
        raise SyntaxSpecError(
            _("invalid YAML: {problem}").format(problem=exc), location=Location(file=filename)
        ) from None
    except RecursionError:
        raise LimitError(_("YAML nested too deeply"), location=Location(file=filename)) from None
    if node is None:
        raise SyntaxSpecError(
            _("the file holds only comments"),
            location=Location(file=filename),
            hint=_("a spec needs at least 'input:' and 'layers:'"),
        )
    if _ANCHOR.search(text):  # without anchors there are no aliases, and the node count is the file's own
        _check_expanded_size(node, filename, limits)
    return _YamlConverter(filename, limits, numbers_as_text).convert(node, 0)


# An anchor (&name) is what an alias needs; a document without one cannot expand beyond its own nodes.
_ANCHOR = re.compile(r"&[^\s,\[\]{}]")


def _compose(text: str, yaml: object) -> object:
    """Compose with libyaml when present (ten times faster); errors come from the Python parser,
    whose messages are the same on every machine."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            if _nesting_depth(yaml.parse(text, Loader=fast)) <= _C_SAFE_DEPTH:  # type: ignore[attr-defined]
                return yaml.compose(text, Loader=fast)  # type: ignore[attr-defined]
        except yaml.YAMLError:  # type: ignore[attr-defined]
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)  # type: ignore[attr-defined]


# libyaml's composer recurses in C and crashes the process on deeply nested input (about 100,000
# levels); its event parser does not recurse, so the depth is measured on the events first.
_C_SAFE_DEPTH = 1_000


def _nesting_depth(events: Iterable[object]) -> int:
    depth = deepest = 0
    for event in events:
        name = type(event).__name__
        if name in ("SequenceStartEvent", "MappingStartEvent"):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > _C_SAFE_DEPTH:
                break
        elif name in ("SequenceEndEvent", "MappingEndEvent"):
            depth -= 1
    return deepest


_YAML_HINTS = (
    ("'\\t'", N_("YAML indents with spaces only: replace the tab")),
    (
        "another document",
        N_("a spec file holds one YAML document: remove the '---' and what follows, or split the file"),
    ),
    ("<block end>", N_("the indentation does not line up: keys of one mapping start in the same column")),
    ("expected ',' or '}'", N_("a {{ … }} mapping is not closed: add the '}}'")),
    ("expected ',' or ']'", N_("a [ … ] list is not closed: add the ']'")),
    ("mapping values are not allowed", N_("a value holds ': ' — quote it, or put the key on its own line")),
)


def _yaml_hint(problem: str) -> str:
    """PyYAML's parser terms, translated into what to change in the file."""
    for fragment, hint in _YAML_HINTS:
        if fragment in problem:
            return _(hint).format()  # format(): one '}}' escaping for every hint of the table
    return _("check indentation, colons and brackets at this position")


def _check_expanded_size(root: object, filename: str, limits: Limits) -> None:
    """Count nodes as if every alias were expanded, without expanding them (memoised on identity)."""
    import yaml

    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()  # on the current path: meeting one again means an alias into itself
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node, yaml)
        if not done and id(node) in open_nodes:
            raise SyntaxSpecError(
                _("a YAML alias refers to the node that contains it (a recursive structure)"),
                location=_mark(node, filename),
                hint=_("a spec is a tree: remove the alias, or write the repeated part out"),
            )
        if done:
            open_nodes.discard(id(node))
            total = 1 + sum(sizes.get(id(c), 0) for c in children)
            sizes[id(node)] = total
            if total > limits.max_yaml_nodes:
                raise LimitError(
                    _(
                        "the document expands to more than {limit} nodes "
                        "(an alias bomb, or a spec far larger than any network)"
                    ).format(limit=limits.max_yaml_nodes),
                    location=_mark(node, filename),
                    hint=_("remove the nested aliases; the limit is CNNCALC_MAX_YAML_NODES"),
                )
            continue
        open_nodes.add(id(node))
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)


def _children(node: object, yaml: object) -> list[object]:
    if isinstance(node, yaml.MappingNode):  # type: ignore[attr-defined]
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):  # type: ignore[attr-defined]
        return list(node.value)
    return []


class _YamlConverter:
    def __init__(self, filename: str, limits: Limits, numbers_as_text: bool = False) -> None:
        import yaml

        self.yaml = yaml
        self.numbers_as_text = numbers_as_text
        self.filename = filename
        self.limits = limits
        self.constructor = yaml.constructor.SafeConstructor()
        # An alias is the node it names: converted once, and shared, as PyYAML does. Without this
        # an alias bomb under the node limit still cost seconds. The height kept with each keeps
        # the nesting limit exact when an alias puts a deep node deeper.
        self.converted: dict[int, tuple[object, int]] = {}

    def convert(self, node: object, depth: int) -> object:
        return self._convert(node, depth)[0]

    def _convert(self, node: Node, depth: int) -> tuple[object, int]:
        """The Python value of `node` and its height (0 for a scalar)."""
        yaml = self.yaml
        known = self.converted.get(id(node))
        if known is not None:
            self._check_depth(node, depth + known[1])
            return known
        self._check_depth(node, depth)
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
            raise SyntaxSpecError(
                _("unsupported YAML tag {tag!r}").format(tag=node.tag),
                location=_mark(node, self.filename),
                hint=_("specs use plain YAML: no tags such as !!python/object"),
            )
        result: tuple[object, int]
        if isinstance(node, yaml.MappingNode):
            result = self._mapping(node, depth)
        elif isinstance(node, yaml.SequenceNode):
            out = LocList(_mark(node, self.filename))
            height = 0
            for item in node.value:
                value, below = self._convert(item, depth + 1)
                out.append(value)
                out.item_locations.append(_mark(item, self.filename))
                height = max(height, below + 1)
            result = (out, height)
        else:
            return self._scalar(node), 0
        self.converted[id(node)] = result
        return result

    def _check_depth(self, node: object, depth: int) -> None:
        if depth > self.limits.max_nesting:
            raise LimitError(
                _("YAML nested deeper than {levels} levels").format(levels=self.limits.max_nesting),
                location=_mark(node, self.filename),
                hint=_("the limit is CNNCALC_MAX_NESTING"),
            )

    def _mapping(self, node: object, depth: int) -> tuple[LocDict, int]:
        out = LocDict(_mark(node, self.filename))
        height = 0
        for key_node, value_node in node.value:  # type: ignore[attr-defined]
            key = self._scalar(key_node)
            where = _mark(key_node, self.filename)
            if key == "<<":
                raise SyntaxSpecError(
                    _("YAML merge keys ('<<') are not supported"),
                    location=where,
                    hint=_("write the keys out, or use a block with parameters"),
                )
            if not isinstance(key, str):
                key = str(key)
            if key in out:
                first = out.key_locations[key]
                raise _DuplicateKey(
                    _("duplicate key {key!r} (first at line {line})").format(key=key, line=first.line),
                    location=where,
                    hint=_("each key may appear once per mapping"),
                )
            out[key], below = self._convert(value_node, depth + 1)
            out.key_locations[key] = where
            height = max(height, below + 1)
        return out, height

    def _scalar(self, node: object) -> object:
        yaml = self.yaml
        where = _mark(node, self.filename)
        if not isinstance(node, yaml.ScalarNode):
            raise SyntaxSpecError(_("mapping keys must be plain values"), location=where)
        try:
            value = self.constructor.construct_object(node)
        except yaml.constructor.ConstructorError as exc:
            raise SyntaxSpecError(
                _("unsupported YAML value: {problem}").format(problem=exc.problem),
                location=where,
                hint=_("specs use plain YAML: no tags such as !!python/object"),
            ) from None
        except (ValueError, OverflowError):
            shown = node.value if len(node.value) <= 40 else node.value[:40] + "…"
            raise SyntaxSpecError(
                _("invalid YAML value {value!r} ({length} characters)").format(value=shown, length=len(node.value)),
                location=where,
                hint=_("numbers must be realistic integers; quote the value if it is text"),
            ) from None
        if self.numbers_as_text and isinstance(value, int | float) and not isinstance(value, bool):
            return node.value
        return _check_yaml11_surprise(node, value, where)


_SIZES = re.compile(r"^\d+(?:x\d+)+$")
_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}


def _check_yaml11_surprise(node: ScalarNode, value: object, where: Location) -> object:
    """YAML 1.1 reads `yes`/`no`/`on`/`off` as booleans and `010` as octal: refuse, don't guess."""
    raw = node.value
    if node.style:  # quoted (libyaml marks plain scalars with "", the Python parser with None)
        return value
    if isinstance(value, bool) and raw.lower() in _YAML11_BOOLS:
        raise SyntaxSpecError(
            _("{raw!r} is ambiguous: YAML 1.1 reads it as {value}").format(raw=raw, value=value),
            location=where,
            hint=_("write {boolean} for a boolean, or quote it ('{raw}') for a string").format(
                boolean=str(value).lower(), raw=raw
            ),
        )
    if isinstance(value, int) and not isinstance(value, bool):
        if _SIZES.match(raw):  # 0x3 is a per-axis size here, never a hexadecimal number
            return raw
        digits = raw.lstrip("+-")
        if (len(digits) > 1 and digits[0] == "0" and digits[1:2].isdigit()) or digits[:2] in (
            "0o",
            "0x",
            "0b",
        ):
            raise SyntaxSpecError(
                _("{raw!r} is read by YAML 1.1 as {value} (octal/hex/binary)").format(raw=raw, value=value),
                location=where,
                hint=_("write the number in decimal: {value} (or quote it for a string)").format(value=value),
            )
        if "_" in raw or ":" in raw:
            raise SyntaxSpecError(
                _("{raw!r} is read by YAML 1.1 as {value}").format(raw=raw, value=value),
                location=where,
                hint=_("write the plain decimal number"),
            )
    return value


class _DuplicateKey(SyntaxSpecError):
    """A key written twice in one mapping: told apart by type, since its message changes with the language."""
