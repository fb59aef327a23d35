"""The inline chain language: `INPUT(32x32x3) → CONV(10, k=5, p=2) → RELU → [CONV(8,3) → RELU] x 2`.

A tokenizer and a recursive-descent parser that keep the column of every token for messages.
Nesting depth of `[ … ]` and `( … )` groups is bounded, so hostile input cannot exhaust the stack.

The course notes' own notation is the same language (docs/spec-language.md, "Inline chains"):
layers joined by `→`, `->`, `\rightarrow` or a bare `-` (`(conv-relu-pool)x3-FC-softmax`). A `-` is
a minus sign only inside a layer's argument list, where no arrow can stand; between layers it is
an arrow, except inside a name that is a layer's own spelling (`max-pool`, `batch-norm`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cnncalc.errors import Location, SyntaxSpecError
from cnncalc.i18n import _
from cnncalc.limits import DEFAULT_LIMITS, Limits
from cnncalc.spec.calls import Group, LayerCall

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<arrow>→|->|⟶|=>|\$?\\(?:long)?rightarrow\$?|\$?\\to\b\$?)
  | (?P<repeat>[\])]\s*[xX×*]\s*(?P<count>\d+))
  | (?P<dims>\d+(?:\s*[xX×]\s*\d+)+)
  | (?P<number>[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?)
  | (?P<name>[^\W\d][\w.]*)
  | (?P<string>"[^"]*"|'[^']*')
  | (?P<punct>[\[\](),=])
    """,
    re.VERBOSE | re.UNICODE,
)
_NEGATIVE_DIMS = re.compile(r"[-+]?\d+(?:\s*[xX×]\s*[-+]?\d+)+")
_WORDS = {"true": True, "false": False, "none": None, "null": None}


@dataclass(frozen=True)
class Token:
    type: str
    text: str
    column: int
    value: object = None


def tokenize(text: str, source: str | None = None) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    brackets: list[str] = []  # "args" for a layer's argument list, "group" for ( … ) and [ … ] groups
    while pos < len(text):
        if text[pos] == "-" and "args" not in brackets and not text.startswith("->", pos):
            pos = _hyphen(text, pos, tokens)
            continue
        match = _TOKEN.match(text, pos)
        negative = _NEGATIVE_DIMS.match(text, pos)
        if negative and "-" in negative.group():
            raise SyntaxSpecError(
                _("sizes must be positive, got {sizes}").format(sizes=negative.group()),
                location=Location(file=source, line=1, column=pos + 1),
                hint=_("e.g. INPUT(32x32x3)"),
            )
        if match is None:
            raise SyntaxSpecError(
                _("unexpected character {character!r}").format(character=text[pos]),
                location=Location(file=source, line=1, column=pos + 1),
                hint=_("layers look like NAME(arg, key=value) joined by → or ->"),
            )
        # Every alternative of _TOKEN is a named group, so a match always has a lastgroup.
        kind = "repeat" if match.group("repeat") else match.lastgroup or "space"
        if kind in ("number", "dims", "repeat") and max(len(d) for d in re.findall(r"\d+", match.group())) > 18:
            raise SyntaxSpecError(
                _("number with more than 18 digits"),
                location=Location(file=source, line=1, column=pos + 1),
                hint=_("sizes and counts must be realistic integers"),
            )
        end = match.end()
        if kind == "repeat" and (not brackets or brackets[-1] != "group"):
            kind, end = "punct", pos + 1  # the `)` of an argument list: no repeat count follows it
        if kind == "punct":
            _track(text[pos], tokens, brackets)
        elif kind == "repeat":
            brackets.pop()
        if kind != "space":
            value = text[pos] if kind == "punct" else _token_value(kind, match)
            tokens.append(Token(kind, text[pos:end], pos + 1, value))
        pos = end
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


def _track(punct: str, tokens: list[Token], brackets: list[str]) -> None:
    """Keep the stack of open brackets: a `(` right after a layer name opens its arguments."""
    if punct in "([":
        after_name = punct == "(" and bool(tokens) and tokens[-1].type == "name" and "args" not in brackets
        brackets.append("args" if after_name or "args" in brackets else "group")
    elif punct in ")]" and brackets:
        brackets.pop()


def _hyphen(text: str, pos: int, tokens: list[Token]) -> int:
    """A `-` between layers: an arrow, or the joint of a hyphenated layer name (max-pool)."""
    word = re.match(r"-([^\W\d]\w*)", text[pos:])
    if word and tokens and tokens[-1].type == "name" and tokens[-1].column + len(tokens[-1].text) == pos + 1:
        from cnncalc.layers import lookup

        joined = f"{tokens[-1].text}-{word.group(1)}"
        if lookup(joined) is not None:
            tokens[-1] = Token("name", joined, tokens[-1].column, joined)
            return pos + len(word.group())
    tokens.append(Token("arrow", "-", pos + 1, "-"))
    return pos + 1


def _token_value(kind: str | None, match: re.Match[str]) -> object:
    text = match.group()
    if kind == "repeat":
        return int(match.group("count"))
    if kind == "dims":
        return tuple(int(part) for part in re.split(r"\s*[xX×]\s*", text))
    if kind == "number":
        return float(text) if any(c in text for c in ".eE") else int(text)
    if kind == "string":
        return text[1:-1]
    return text


class _Parser:
    def __init__(self, tokens: list[Token], source: str | None, limits: Limits) -> None:
        self.tokens = tokens
        self.pos = 0
        self.source = source
        self.limits = limits

    def loc(self, token: Token) -> Location:
        return Location(file=self.source, line=1, column=token.column)

    def peek(self) -> Token:
        return self.tokens[self.pos]

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def fail(self, token: Token, message: str, hint: str) -> SyntaxSpecError:
        found = _("the end of the chain") if token.type == "end" else repr(token.text)
        text = _("{message}, found {found}").format(message=message, found=found)
        return SyntaxSpecError(text, location=self.loc(token), hint=hint)

    def expect(self, text: str, hint: str) -> Token:
        token = self.take()
        if token.text != text:
            raise self.fail(token, _("expected {text!r}").format(text=text), hint)
        return token

    def chain(self, depth: int = 0) -> tuple[LayerCall | Group, ...]:
        items = [self.item(depth)]
        while self.peek().type == "arrow":
            self.take()
            items.append(self.item(depth))
        return tuple(items)

    def item(self, depth: int) -> LayerCall | Group:
        token = self.peek()
        if token.text in ("[", "("):
            return self.group(depth)
        if token.type != "name":
            raise self.fail(token, _("expected a layer name"), _("e.g. CONV(10, k=5) or RELU"))
        self.take()
        positional: list[object] = []
        keywords: list[tuple[str, object]] = []
        if self.peek().text == "(":
            self.take()
            if self.peek().text != ")":
                self.arguments(positional, keywords)
            self.expect(")", _("close the argument list with ')'"))
        return LayerCall(token.text, tuple(positional), tuple(keywords), self.loc(token))

    def group(self, depth: int) -> Group:
        opening = self.take()
        if depth >= self.limits.max_nesting:
            raise SyntaxSpecError(
                _("groups nested deeper than {levels} levels").format(levels=self.limits.max_nesting),
                location=self.loc(opening),
                hint=_("flatten the nesting; the limit is CNNCALC_MAX_NESTING"),
            )
        items = self.chain(depth + 1)
        closing = self.take()
        if opening.text == "(" and closing.text == ")":  # ( … ) without a count: the items once
            return Group(items, 1, self.loc(opening))
        if closing.type != "repeat" or closing.text[0] != {"[": "]", "(": ")"}[opening.text]:
            close = "]" if opening.text == "[" else ")"
            expected = _("expected '{close} x N' closing a repeated group").format(close=close)
            raise self.fail(closing, expected, _("e.g. [CONV(64,3) → RELU] x 2"))
        count = closing.value  # an int: the tokenizer reads a repeat's count
        if not isinstance(count, int) or not 1 <= count <= self.limits.max_repeat:
            raise SyntaxSpecError(
                _("repeat count {count} is outside 1..{most}").format(count=count, most=self.limits.max_repeat),
                location=self.loc(closing),
                hint=_("repeat a group at least once (to leave it out, delete it; a YAML file's repeat: may be 0)")
                if count == 0
                else _("the upper bound is CNNCALC_MAX_REPEAT"),
            )
        return Group(items, count, self.loc(opening))

    def arguments(self, positional: list[object], keywords: list[tuple[str, object]]) -> None:
        while True:
            token = self.peek()
            if token.type == "name" and self.tokens[self.pos + 1].text == "=":
                self.take()
                self.take()
                keywords.append((token.text, self.value()))
            elif keywords:
                raise self.fail(
                    token,
                    _("positional argument after keyword arguments"),
                    _("put positional arguments first"),
                )
            else:
                positional.append(self.value())
            if self.peek().text != ",":
                return
            self.take()

    def value(self, depth: int = 0) -> object:
        token = self.take()
        if token.type in ("dims", "number", "string"):
            return token.value
        if token.type == "name":
            return _WORDS.get(token.text.lower(), token.text)
        if token.text == "(" and depth < 4:
            items = [self.value(depth + 1)]
            while self.peek().text == ",":
                self.take()
                if self.peek().text == ")":
                    break
                items.append(self.value(depth + 1))
            self.expect(")", _("close the tuple with ')'"))
            return tuple(items)
        raise self.fail(token, _("expected a value"), _("values are numbers, sizes like 1x7, names, or (a, b) tuples"))


def parse_chain(text: str, source: str | None = None, limits: Limits = DEFAULT_LIMITS) -> tuple[LayerCall | Group, ...]:
    """Parse a chain into layer calls and repeated groups (not yet validated or expanded)."""
    if len(text) > limits.max_chain_chars:
        raise SyntaxSpecError(
            _("chain of {length} characters exceeds the limit of {most}").format(
                length=len(text), most=limits.max_chain_chars
            ),
            hint=_("write large networks as YAML files with blocks and repeat"),
        )
    if not text.strip():
        raise SyntaxSpecError(_("the chain is empty"), hint=_("e.g. INPUT(32x32x3) → CONV(10, k=5) → RELU"))
    parser = _Parser(tokenize(text, source), source, limits)
    items = parser.chain()
    if parser.peek().type != "end":
        raise parser.fail(parser.peek(), _("expected → between layers"), _("join layers with → or ->"))
    return items
