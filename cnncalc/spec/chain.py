"""The inline chain language: `INPUT(32x32x3) → CONV(10, k=5, p=2) → RELU → [CONV(8,3) → RELU] x 2`.

A tokenizer and a recursive-descent parser that keep the column of every token for messages.
Nesting depth of `[ … ]` groups is bounded, so hostile input cannot exhaust the stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cnncalc.errors import Location, SyntaxSpecError
from cnncalc.limits import DEFAULT_LIMITS, Limits
from cnncalc.spec.calls import Group, LayerCall

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<arrow>→|->|⟶|=>)
  | (?P<repeat>\]\s*[xX×*]\s*(?P<count>\d+))
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
    tokens, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        negative = _NEGATIVE_DIMS.match(text, pos)
        if negative and "-" in negative.group():
            raise SyntaxSpecError(
                f"sizes must be positive, got {negative.group()}",
                location=Location(file=source, line=1, column=pos + 1),
                hint="e.g. INPUT(32x32x3)",
            )
        if match is None:
            raise SyntaxSpecError(
                f"unexpected character {text[pos]!r}",
                location=Location(file=source, line=1, column=pos + 1),
                hint="layers look like NAME(arg, key=value) joined by → or ->",
            )
        # Every alternative of _TOKEN is a named group, so a match always has a lastgroup.
        kind = "repeat" if match.group("repeat") else match.lastgroup or "space"
        if kind in ("number", "dims", "repeat") and max(len(d) for d in re.findall(r"\d+", match.group())) > 18:
            raise SyntaxSpecError(
                "number with more than 18 digits",
                location=Location(file=source, line=1, column=pos + 1),
                hint="sizes and counts must be realistic integers",
            )
        if kind != "space":
            tokens.append(Token(kind, match.group(), pos + 1, _token_value(kind, match)))
        pos = match.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


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
        found = "the end of the chain" if token.type == "end" else repr(token.text)
        return SyntaxSpecError(f"{message}, found {found}", location=self.loc(token), hint=hint)

    def expect(self, text: str, hint: str) -> Token:
        token = self.take()
        if token.text != text:
            raise self.fail(token, f"expected {text!r}", hint)
        return token

    def chain(self, depth: int = 0) -> tuple[LayerCall | Group, ...]:
        items = [self.item(depth)]
        while self.peek().type == "arrow":
            self.take()
            items.append(self.item(depth))
        return tuple(items)

    def item(self, depth: int) -> LayerCall | Group:
        token = self.peek()
        if token.text == "[":
            return self.group(depth)
        if token.type != "name":
            raise self.fail(token, "expected a layer name", "e.g. CONV(10, k=5) or RELU")
        self.take()
        positional: list[object] = []
        keywords: list[tuple[str, object]] = []
        if self.peek().text == "(":
            self.take()
            if self.peek().text != ")":
                self.arguments(positional, keywords)
            self.expect(")", "close the argument list with ')'")
        return LayerCall(token.text, tuple(positional), tuple(keywords), self.loc(token))

    def group(self, depth: int) -> Group:
        opening = self.take()
        if depth >= self.limits.max_nesting:
            raise SyntaxSpecError(
                f"groups nested deeper than {self.limits.max_nesting} levels",
                location=self.loc(opening),
                hint="flatten the nesting; the limit is CNNCALC_MAX_NESTING",
            )
        items = self.chain(depth + 1)
        closing = self.take()
        if closing.type != "repeat":
            raise self.fail(closing, "expected '] x N' closing a repeated group", "e.g. [CONV(64,3) → RELU] x 2")
        count = closing.value  # an int: the tokenizer reads a repeat's count
        if not isinstance(count, int) or not 1 <= count <= self.limits.max_repeat:
            raise SyntaxSpecError(
                f"repeat count {count} is outside 1..{self.limits.max_repeat}",
                location=self.loc(closing),
                hint="repeat a group at least once (to leave it out, delete it; a YAML file's repeat: may be 0)"
                if count == 0
                else "the upper bound is CNNCALC_MAX_REPEAT",
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
                    "positional argument after keyword arguments",
                    "put positional arguments first",
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
            self.expect(")", "close the tuple with ')'")
            return tuple(items)
        raise self.fail(token, "expected a value", "values are numbers, sizes like 1x7, names, or (a, b) tuples")


def parse_chain(text: str, source: str | None = None, limits: Limits = DEFAULT_LIMITS) -> tuple[LayerCall | Group, ...]:
    """Parse a chain into layer calls and repeated groups (not yet validated or expanded)."""
    if len(text) > limits.max_chain_chars:
        raise SyntaxSpecError(
            f"chain of {len(text)} characters exceeds the limit of {limits.max_chain_chars}",
            hint="write large networks as YAML files with blocks and repeat",
        )
    if not text.strip():
        raise SyntaxSpecError("the chain is empty", hint="e.g. INPUT(32x32x3) → CONV(10, k=5) → RELU")
    parser = _Parser(tokenize(text, source), source, limits)
    items = parser.chain()
    if parser.peek().type != "end":
        raise parser.fail(parser.peek(), "expected → between layers", "join layers with → or ->")
    return items
