"""A small safe evaluator for expressions in spec values (`4*width`, `2 if i == 0 else 1`).

Never `eval`: the text is parsed with `ast` and only whitelisted nodes are interpreted, with
bounded sizes, so a spec cannot run code or build huge numbers.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from cnncalc.errors import ValidationSpecError
from cnncalc.i18n import _
from cnncalc.shown import clip, quote

Value = int | float | bool | str | tuple | None
MAX_INT = 2**62
MAX_SIZE = 1_000  # characters of a text, items of a tuple (nested ones counted): no layer needs more
_DIMS = re.compile(r"^\s*\d+(?:\s*[xX×]\s*\d+)+\s*$")
_NAME = re.compile(r"^[^\W\d]\w*$")
_BINARY: dict[type, Callable[[object, object], object]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}
# Operands are whatever the expression gave; visit_Compare reports the TypeError of ones that do not order.
_COMPARE: dict[type, Callable[[Any, Any], object]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_FUNCTIONS: dict[str, Callable[..., object]] = {
    "min": min,
    "max": max,
    "abs": abs,
    "int": int,
    "round": round,
    "ceil": math.ceil,
    "floor": math.floor,
}


class ExpressionError(ValidationSpecError):
    code = "expression"


def _fail(text: str, why: str) -> ExpressionError:
    return ExpressionError(
        _("cannot evaluate expression {text}: {why}").format(text=quote(text), why=why),
        hint=_(
            "expressions may use numbers, parameter names, + - * / // % **, comparisons, "
            "'a if cond else b', and min/max/abs/int/round/ceil/floor"
        ),
    )


def _checked(value: object, text: str) -> object:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
        raise _fail(text, _("the result exceeds {most}").format(most=MAX_INT))
    if isinstance(value, float) and not math.isfinite(value):
        raise _fail(text, _("the result is not a finite number"))
    if isinstance(value, str | tuple) and size_of(value) > MAX_SIZE:
        raise _fail(text, _("the result is longer than {most} characters or items").format(most=MAX_SIZE))
    return value


def size_of(value: object, cap: int = MAX_SIZE) -> int:
    """Characters of a text plus items of tuples (nested ones counted), counted up to just past `cap`.

    Iterative and cut short past the cap, so measuring a hostile value costs O(cap).
    """
    total, stack = 0, [value]
    while stack and total <= cap:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, tuple | list):
            total += len(item)
            stack.extend(item[: cap + 1])
    return total


def _sequence_size(left: object, right: object, op: ast.operator) -> int | None:
    """The size a `+` or `*` on texts/tuples would build, worked out before building it."""
    if isinstance(op, ast.Add) and isinstance(left, str | tuple) and isinstance(right, str | tuple):
        return size_of(left) + size_of(right)
    if isinstance(op, ast.Mult):
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, str | tuple) and isinstance(count, int):
                return size_of(seq) * max(count, 0)
    return None


class _Evaluator:
    def __init__(self, names: Mapping[str, object], text: str) -> None:
        self.names = names
        self.text = text

    def visit(self, node: ast.AST) -> object:
        method = getattr(self, f"visit_{type(node).__name__}", None)
        if method is None:
            raise _fail(self.text, _("{syntax} is not allowed").format(syntax=type(node).__name__))
        return _checked(method(node), self.text)

    def visit_Expression(self, node: ast.Expression) -> object:
        return self.visit(node.body)

    def visit_Constant(self, node: ast.Constant) -> object:
        if isinstance(node.value, (int, float, bool, str)) or node.value is None:
            return node.value
        raise _fail(self.text, _("constant {value} is not allowed").format(value=quote(node.value)))

    def visit_Name(self, node: ast.Name) -> object:
        if node.id in self.names:
            return self.names[node.id]
        known = clip(", ".join(sorted(self.names)) or _("none"))
        raise _fail(self.text, _("unknown name {name} (known: {known})").format(name=quote(node.id), known=known))

    def visit_Tuple(self, node: ast.Tuple) -> object:
        return tuple(self.visit(e) for e in node.elts)

    def visit_BinOp(self, node: ast.BinOp) -> object:
        left, right = self.visit(node.left), self.visit(node.right)
        try:
            if isinstance(node.op, ast.Div):
                return self._divide(left, right)
            if isinstance(node.op, ast.Pow):
                if not isinstance(right, int) or abs(right) > 64:
                    raise _fail(self.text, _("exponents must be integers up to 64"))
                return left**right  # type: ignore[operator]
            op = _BINARY.get(type(node.op))
            if op is None:
                raise _fail(self.text, _("operator {operator} is not allowed").format(operator=type(node.op).__name__))
            if isinstance(node.op, ast.Mod) and isinstance(left, str):
                raise _fail(self.text, _("formatting text with {operator} is not allowed").format(operator="%"))
            size = _sequence_size(left, right, node.op)
            if size is not None and size > MAX_SIZE:
                raise _fail(
                    self.text, _("the result would be longer than {most} characters or items").format(most=MAX_SIZE)
                )
            return op(left, right)
        except (TypeError, ZeroDivisionError, OverflowError) as exc:
            raise _fail(self.text, clip(str(exc))) from None

    @staticmethod
    def _divide(left: object, right: object) -> object:
        quotient = left / right  # type: ignore[operator]
        if isinstance(left, int) and isinstance(right, int) and left % right == 0:
            return left // right
        return quotient

    def visit_UnaryOp(self, node: ast.UnaryOp) -> object:
        value = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            return not value
        if not isinstance(node.op, ast.USub | ast.UAdd):
            raise _fail(self.text, _("bitwise operators are not allowed"))
        if not isinstance(value, int | float):  # also bool: -True is -1, as in Python
            raise _fail(self.text, _("a sign needs a number, not {value}").format(value=quote(value)))
        return -value if isinstance(node.op, ast.USub) else +value

    def visit_BoolOp(self, node: ast.BoolOp) -> object:
        values = [self.visit(v) for v in node.values]
        return all(values) if isinstance(node.op, ast.And) else any(values)

    def visit_Compare(self, node: ast.Compare) -> object:
        left = self.visit(node.left)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = self.visit(comparator)
            compare = _COMPARE.get(type(op))
            if compare is None:
                raise _fail(self.text, _("comparison {operator} is not allowed").format(operator=type(op).__name__))
            try:
                if not compare(left, right):
                    return False
            except TypeError as exc:
                raise _fail(self.text, clip(str(exc))) from None
            left = right
        return True

    def visit_IfExp(self, node: ast.IfExp) -> object:
        return self.visit(node.body) if self.visit(node.test) else self.visit(node.orelse)

    def visit_Call(self, node: ast.Call) -> object:
        if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS or node.keywords:
            raise _fail(self.text, _("only min, max, abs, int, round, ceil and floor may be called"))
        args = [self.visit(a) for a in node.args]
        try:
            return _FUNCTIONS[node.func.id](*args)
        except (TypeError, ValueError, OverflowError) as exc:
            raise _fail(self.text, clip(str(exc))) from None


def evaluate(text: str, names: Mapping[str, object], max_chars: int = 1000) -> object:
    """Evaluate an expression over `names` with the whitelist above."""
    if len(text) > max_chars:
        raise _fail(text, _("longer than {most} characters").format(most=max_chars))
    try:
        tree = _parsed(text.strip())
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise _fail(text, _("not a valid expression ({problem})").format(problem=type(exc).__name__)) from None
    try:
        return _Evaluator(names, text).visit(tree)
    except RecursionError:
        raise _fail(text, _("nested too deeply")) from None


@lru_cache(maxsize=1024)
def _parsed(text: str) -> ast.Expression:
    """The syntax tree of an expression (only read, never changed): repeated blocks evaluate the
    same few texts hundreds of times."""
    return ast.parse(text, mode="eval")


def parse_dims(text: str) -> tuple[int, ...] | None:
    """'224x224x3' → (224, 224, 3); anything else → None."""
    if not _DIMS.match(text):
        return None
    return tuple(whole_number(p) for p in re.split(r"\s*[xX×]\s*", text.strip()))


MAX_DIGITS = 30  # no size or count has more; Python refuses to convert more than 4,300 at all


def whole_number(digits: str) -> int:
    """int() of a run of decimal digits, refusing one too long to be a size or count."""
    if len(digits) > MAX_DIGITS:
        raise ValidationSpecError(
            _("the number {value} is far too large for a size or count").format(value=quote(digits)),
            hint=_("sizes and counts are realistic whole numbers"),
        )
    return int(digits)


def referenced_names(value: object, max_chars: int = 1000) -> frozenset[str]:
    """The names a spec value would read: a bare word, or every name in an expression (lists item by
    item). Text that is no expression (too long, not parseable) reads none: resolving it reports why."""
    if isinstance(value, list | tuple):
        return frozenset().union(*(referenced_names(v, max_chars) for v in value))
    if not isinstance(value, str) or parse_dims(value) is not None:
        return frozenset()
    text = value.strip()
    if _NAME.match(text):
        return frozenset({text})
    if len(text) > max_chars:
        return frozenset()
    try:
        tree = _parsed(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return frozenset()
    return frozenset(node.id for node in ast.walk(tree) if isinstance(node, ast.Name))  # ast.walk: no recursion


def resolve_value(value: object, names: Mapping[str, object], max_chars: int = 1000) -> object:
    """Resolve a spec value: sizes like '1x7', parameter names, expressions; lists become tuples.

    A bare word that is not a known name stays a string ('same', 'nearest', 'relu').
    """
    if isinstance(value, list | tuple):
        return tuple(resolve_value(v, names, max_chars) for v in value)
    if not isinstance(value, str):
        return value
    dims = parse_dims(value)
    if dims is not None:
        return dims
    stripped = value.strip()
    if _NAME.match(stripped):
        return names.get(stripped, value)
    return evaluate(stripped, names, max_chars)
