"""Shapes and MACs as functions of the input size: exact expressions with floors, and polynomials.

A size is an expression in the input's axis names (H, W; L; D, H, W): sums and products of names
and integers, and ⌊e/s⌋, ⌈e/s⌉ where a stride does not divide. Window layers get their rule
from the lecture formula, ⌊(x + P_begin + P_end − F_eff)/S⌋ + 1 ('same': ⌈x/S⌉; transposed:
(x − 1)·S − P + F_eff + output_padding, exact). Every other kind is asked for its output at a few
sizes and must answer a·x + b exactly (padding, cropping, upsampling, point-wise layers, global
pooling); a crop to a second input (U-Net) takes that input's sizes; otherwise the network is
refused with the layer named. MACs of a layer are its MACs per
output position (per input position for transposed convolutions) times the positions.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from fractions import Fraction

from cnncalc.display import Displayed
from cnncalc.errors import SpecError, ValidationSpecError
from cnncalc.graph import Graph
from cnncalc.i18n import _, ngettext
from cnncalc.layers.base import per_axis, prod, spatial
from cnncalc.layers.merge import Concat
from cnncalc.layers.reshape import CenterCrop, Flatten, Reshape
from cnncalc.layers.window import WindowLayer
from cnncalc.shown import quote

AXIS_LETTERS = {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}
# Floors inside floors: each stride that does not divide after an upsampling nests one more. No
# real network comes near (U-Net: 4); past this the text would fill pages and evaluating it would
# recurse as deep as the nesting, so the network is refused with the layer named.
MAX_FLOOR_DEPTH = 32
Monomial = tuple[tuple[str, int], ...]
Terms = tuple[tuple[Monomial, Fraction], ...]


class Expr(ABC):
    """A size or a count in the input's axis names. Polynomials stay polynomials; a stride that
    does not divide makes a floor (or ceiling), and sums and products of those are kept as written."""

    depth: int  # set once by __post_init__ (not a dataclass field: Expr is not a dataclass)

    @abstractmethod
    def evaluate(self, env: dict[str, int]) -> int:
        """The value at the given sizes, e.g. {"H": 224, "W": 224}."""

    @abstractmethod
    def _render(self) -> str:
        """The text, from the texts of the parts."""

    def __post_init__(self) -> None:
        # The floor depth is worked out once, from parts that already have theirs; symbolic()
        # refuses past MAX_FLOOR_DEPTH, which bounds how deep printing and evaluating recurse.
        object.__setattr__(self, "depth", self._depth())

    def _depth(self) -> int:
        """How many floors/ceilings are nested in this expression."""
        return 0

    def __str__(self) -> str:
        # Kept once made: collecting like terms compares the texts of the same parts again and again.
        text = self.__dict__.get("_text")
        if text is None:
            text = self._render()
            object.__setattr__(self, "_text", text)
        return text

    def polynomial(self) -> Terms | None:
        return None

    @property
    def is_polynomial(self) -> bool:
        return self.polynomial() is not None

    def __add__(self, other: Expr) -> Expr:
        rest_a, poly_a = _split(self)
        rest_b, poly_b = _split(other)
        poly = Poly.of(poly_a.terms, poly_b.terms)
        rest = _collect((*rest_a, *rest_b))
        if not rest:
            return poly
        return rest[0] if len(rest) == 1 and not poly.terms else Sum(rest, poly)

    def __mul__(self, other: Expr) -> Expr:
        a, b = self.polynomial(), other.polynomial()
        if a is not None and b is not None:
            return _poly_product(a, b)
        for scale, expr in ((a, other), (b, self)):
            if scale == ():
                return const(0)
            if scale == ((((), Fraction(1)),)):
                return expr
        factors = [f for e in (self, other) for f in (e.factors if isinstance(e, Product) else (e,))]
        numbers = [terms for f in factors if (terms := f.polynomial()) is not None]
        others = [f for f in factors if f.polynomial() is None]
        coefficient = const(1)
        for terms in numbers:
            coefficient = _poly_product(coefficient.terms, terms)
        return Product((coefficient, *others) if coefficient.terms != ((((), Fraction(1)),)) else tuple(others))


def _poly_product(a: Terms, b: Terms) -> Poly:
    terms: dict[Monomial, Fraction] = {}
    for m1, c1 in a:
        for m2, c2 in b:
            key = _merge(m1, m2)
            terms[key] = terms.get(key, Fraction(0)) + c1 * c2
    return Poly.of(tuple(terms.items()), ())


def _collect(parts: tuple[Expr, ...]) -> tuple[Expr, ...]:
    """Like terms added: 2·⌊H/2⌋ + 3·⌊H/2⌋ = 5·⌊H/2⌋ (same factors, coefficients summed)."""
    coefficients: dict[str, Fraction] = {}
    factors: dict[str, tuple[Expr, ...]] = {}
    for part in parts:
        scale = Fraction(1)
        rest: tuple[Expr, ...] = (part,)
        if isinstance(part, Product) and isinstance(part.factors[0], Poly) and len(part.factors[0].terms) == 1:
            ((monomial, value),) = part.factors[0].terms
            if monomial == ():
                scale, rest = value, part.factors[1:]
        key = "·".join(str(f) for f in rest)
        coefficients[key] = coefficients.get(key, Fraction(0)) + scale
        factors[key] = rest
    collected: list[Expr] = []
    for key, value in coefficients.items():
        if value == 1:
            collected.append(factors[key][0] if len(factors[key]) == 1 else Product(factors[key]))
        elif value:
            collected.append(Product((Poly(((((), value),))), *factors[key])))
    return tuple(collected)


def _split(expr: Expr) -> tuple[tuple[Expr, ...], Poly]:
    if isinstance(expr, Poly):
        return (), expr
    if isinstance(expr, Sum):
        return expr.parts, expr.poly
    return (expr,), Poly(())


@dataclass(frozen=True)
class Poly(Expr):
    terms: Terms = ()

    @staticmethod
    def of(a: Terms, b: Terms) -> Poly:
        merged: dict[Monomial, Fraction] = {}
        for key, value in (*a, *b):
            merged[key] = merged.get(key, Fraction(0)) + value
        ordered = sorted(((k, v) for k, v in merged.items() if v), key=lambda kv: (-sum(p for _, p in kv[0]), kv[0]))
        return Poly(tuple(ordered))

    def polynomial(self) -> Terms:
        return self.terms

    def evaluate(self, env: dict[str, int]) -> int:
        total = sum(c * math.prod(env[n] ** p for n, p in m) for m, c in self.terms)
        return int(total)

    def _render(self) -> str:
        return _poly_text(self.terms)


@dataclass(frozen=True)
class Rounded(Expr):
    """⌊numerator/divisor⌋ or ⌈numerator/divisor⌉."""

    mode: str
    numerator: Expr
    divisor: int

    def evaluate(self, env: dict[str, int]) -> int:
        value = Fraction(self.numerator.evaluate(env), self.divisor)
        return math.floor(value) if self.mode == "floor" else math.ceil(value)

    def _depth(self) -> int:
        return self.numerator.depth + 1

    def _render(self) -> str:
        left, right = ("⌊", "⌋") if self.mode == "floor" else ("⌈", "⌉")
        inner = str(self.numerator)
        inner = f"({inner})" if " " in inner else inner
        return f"{left}{inner}/{self.divisor}{right}"


@dataclass(frozen=True)
class Sum(Expr):
    """Rounded or product terms plus a polynomial part (kept last, as people write + 1)."""

    parts: tuple[Expr, ...]
    poly: Poly

    def evaluate(self, env: dict[str, int]) -> int:
        return sum(p.evaluate(env) for p in self.parts) + self.poly.evaluate(env)

    def _depth(self) -> int:
        return max(p.depth for p in self.parts)

    def _render(self) -> str:
        pieces = [str(p) for p in self.parts] + ([str(self.poly)] if self.poly.terms else [])
        text = pieces[0]
        for piece in pieces[1:]:
            text += f" − {piece[1:]}" if piece.startswith("−") else f" + {piece}"
        return text


@dataclass(frozen=True)
class Product(Expr):
    factors: tuple[Expr, ...]

    def evaluate(self, env: dict[str, int]) -> int:
        return math.prod(f.evaluate(env) for f in self.factors)

    def _depth(self) -> int:
        return max((f.depth for f in self.factors), default=0)

    def _render(self) -> str:
        return "·".join(f"({f})" if _needs_brackets(f) else str(f) for f in self.factors)


def _needs_brackets(factor: Expr) -> bool:
    """A sum inside a product: (H − 4)·(W − 4); a floor is already bracketed: 16·⌊(H − 76)/16⌋."""
    return isinstance(factor, Sum) or (isinstance(factor, Poly) and len(factor.terms) > 1)


def scaled(expr: Expr, factor: int) -> Expr:
    """factor·expr with the factor taken inside a sum: 2·(⌊…⌋ − 3) = 2·⌊…⌋ − 6, so sizes that
    are doubled again and again (U-Net's up-convolutions) stay one level deep."""
    if not isinstance(expr, Sum):
        return expr * const(factor)
    total: Expr = expr.poly * const(factor)
    for part in expr.parts:
        total = total + part * const(factor)
    return total


def const(value: int) -> Poly:
    return Poly(((((), Fraction(value)),)) if value else ())


def var(name: str) -> Poly:
    return Poly((((((name, 1),)), Fraction(1)),))


def _merge(m1: Monomial, m2: Monomial) -> Monomial:
    powers: dict[str, int] = dict(m1)
    for name, power in m2:
        powers[name] = powers.get(name, 0) + power
    return tuple(sorted(powers.items()))


def _poly_text(terms: Terms) -> str:
    """2·H·W − 4·H + 3, with the constant last."""
    if not terms:
        return "0"
    pieces = []
    for monomial, coefficient in terms:
        names = "·".join(name if power == 1 else f"{name}{_superscript(power)}" for name, power in monomial)
        size = abs(coefficient)
        number = str(size.numerator) if size.denominator == 1 else f"({size})"
        body = names if names and size == 1 else (f"{number}·{names}" if names else number)
        pieces.append(("−" if coefficient < 0 else "+", body))
    text = ("−" if pieces[0][0] == "−" else "") + pieces[0][1]
    return text + "".join(f" {sign} {body}" for sign, body in pieces[1:])


def _superscript(power: int) -> str:
    return str(power).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def rounded(mode: str, numerator: Expr, divisor: int, plus: int) -> Expr:
    """⌊numerator/divisor⌋ + plus, folded to a polynomial when the divisor is 1."""
    if divisor == 1:
        return numerator + const(plus)
    inner, offset = _rounded_plus_constant(numerator)
    if inner is not None and inner.mode == mode:
        # ⌊(⌊a/b⌋ + k)/c⌋ = ⌊(a + k·b)/(b·c)⌋ for integers (and the same for ⌈ ⌉): no nesting
        numerator = inner.numerator + const(offset * inner.divisor)
        divisor *= inner.divisor
    return Rounded(mode, numerator, divisor) + const(plus)


def _rounded_plus_constant(expr: Expr) -> tuple[Rounded | None, int]:
    if isinstance(expr, Rounded):
        return expr, 0
    if isinstance(expr, Sum) and len(expr.parts) == 1 and isinstance(expr.parts[0], Rounded):
        terms = expr.poly.terms
        if all(monomial == () and value.denominator == 1 for monomial, value in terms):
            return expr.parts[0], int(sum(value for _, value in terms))
    return None, 0


@dataclass(frozen=True)
class SymbolicLayer:
    name: str
    kind: str
    shape: tuple[Expr, ...]
    macs: Expr

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "kind": self.kind,
            "output_shape": [str(e) for e in self.shape],
            "macs": str(self.macs),
        }


@dataclass(frozen=True)
class SymbolicSummary(Displayed):
    """Result of `Network.symbolic()`: per-layer shapes and MACs as expressions in the axis names."""

    axes: tuple[str, ...]
    layers: tuple[SymbolicLayer, ...]
    macs: Expr

    def evaluate(self, sizes: dict[str, int]) -> list[tuple[tuple[int, ...], int]]:
        return [(tuple(e.evaluate(sizes) for e in layer.shape), layer.macs.evaluate(sizes)) for layer in self.layers]

    def to_dict(self) -> dict[str, object]:
        return {
            "schema": "cnncalc.symbolic/1",
            "axes": list(self.axes),
            "layers": [layer.to_dict() for layer in self.layers],
            "macs": str(self.macs),
            "macs_is_polynomial": self.macs.is_polynomial,
        }


def symbolic(graph: Graph, names: tuple[str, ...] | None = None) -> SymbolicSummary:
    """Every layer's output shape and MACs as expressions in the input's axis names.

    The graph's own input sizes are the reference at which each layer's rule is read; `names`
    are the letters for the axes (H, W by default).
    """
    first = graph.nodes[0]
    sizes = spatial(graph.shapes[first.name])
    if not sizes:
        raise ValidationSpecError(_("the input has no spatial axes to leave symbolic"))
    axes = names or AXIS_LETTERS.get(len(sizes), tuple(f"X{i}" for i in range(len(sizes))))
    if len(axes) != len(sizes):
        message = ngettext(
            "give {count} axis name for a {ndim}-D input, got {given}",
            "give {count} axis names for a {ndim}-D input, got {given}",
            len(sizes),
        )
        raise ValidationSpecError(message.format(count=len(sizes), ndim=len(sizes), given=len(axes)))
    shapes: dict[str, tuple[Expr, ...]] = {first.name: (*(var(a) for a in axes), const(graph.shapes[first.name][-1]))}
    layers = [SymbolicLayer(first.name, first.kind, shapes[first.name], const(0))]
    total: Expr = const(0)
    for node in graph.nodes[1:]:
        inputs = [shapes[name] for name in node.inputs]
        if not isinstance(node.layer, Concat | CenterCrop) and any(
            tuple(map(str, s)) != tuple(map(str, inputs[0])) for s in inputs[1:]
        ):
            raise _unsupported(node, _("its inputs have different symbolic shapes"))
        shape = _output(graph, node, inputs)
        if max(e.depth for e in shape) > MAX_FLOOR_DEPTH:
            why = _("its size nests more than {count} floors (⌊…⌋) inside each other").format(count=MAX_FLOOR_DEPTH)
            raise _unsupported(node, why)
        macs = _macs(graph, node, inputs[0] if inputs else (), shape)
        shapes[node.name] = shape
        layers.append(SymbolicLayer(node.name, node.kind, shape, macs))
        total = total + macs
    return SymbolicSummary(axes, tuple(layers), total)


def _unsupported(node, why: str) -> SpecError:
    return ValidationSpecError(
        _("no symbolic shape for layer {name} ({kind}): {why}").format(name=quote(node.name), kind=node.kind, why=why),
        location=node.location,
        hint=_("use {command} for numbers at several sizes").format(command="`cnncalc scale SPEC --sizes …`"),
    )


def _output(graph: Graph, node, inputs: list[tuple[Expr, ...]]) -> tuple[Expr, ...]:
    actual_in, actual_out = graph.input_shapes(node), graph.shapes[node.name]
    layer = node.layer
    if isinstance(layer, CenterCrop) and len(inputs) == 2:  # U-Net's crop-and-copy: the second input's size
        return (*inputs[1][:-1], const(actual_out[-1]))
    if isinstance(layer, Concat):
        if any(tuple(map(str, s[:-1])) != tuple(map(str, inputs[0][:-1])) for s in inputs[1:]):
            raise _unsupported(node, _("its inputs have different symbolic sizes"))
        return (*inputs[0][:-1], const(actual_out[-1]))
    if len(actual_out) == 1:  # flatten, dense, global pooling to a vector: sizes multiply or vanish
        return (_vector_size(node, inputs[0], actual_in[0], actual_out[0]),)
    if isinstance(layer, WindowLayer):
        return (*_window_sizes(node, inputs[0], actual_in[0]), const(actual_out[-1]))
    return (*_probed_sizes(graph, node, inputs[0], actual_in), const(actual_out[-1]))


def _vector_size(node, shape: tuple[Expr, ...], actual_in: tuple[int, ...], actual_out: int) -> Expr:
    if isinstance(node.layer, Flatten | Reshape) and len(actual_in) > 1:
        size: Expr = const(1)
        for expr in shape:
            size = size * expr
        return size
    return const(actual_out)


def _window_sizes(node, shape: tuple[Expr, ...], actual_in: tuple[int, ...]) -> list[Expr]:
    layer = node.layer
    windows = layer.windows(actual_in)
    out = []
    for axis, window in enumerate(windows):
        x = shape[axis]
        if layer.transposed:
            extra = per_axis(layer.output_padding, len(windows), "output_padding")[axis]
            pads = layer._pads(spatial(actual_in))[axis]
            out.append(scaled(x, window.stride) + const(window.span - window.stride - sum(pads) + extra))
        elif layer.padding == "same":
            out.append(rounded("ceil", x, window.stride, 0))
        else:
            numerator = x + const(window.pad_begin + window.pad_end - window.span)
            mode = "ceil" if layer.uses_ceil() else "floor"
            out.append(rounded(mode, numerator, window.stride, 1))
    return out


def _probed_sizes(graph: Graph, node, shape: tuple[Expr, ...], actual_in) -> list[Expr]:
    """Ask the layer for its output at nearby sizes; it must answer a·x + b on every axis."""
    base = [list(s) for s in actual_in]
    out = []
    for axis, x in enumerate(shape[:-1]):
        x0 = base[0][axis]
        try:
            values = {d: _probe(node, base, axis, x0 + d) for d in (0, 1, 2, 7)}
        except SpecError:
            raise _unsupported(node, _("its output does not follow its input size")) from None
        slope = values[1] - values[0]
        if any(values[d] != values[0] + slope * d for d in (2, 7)):
            raise _unsupported(node, _("its output is not a·x + b of its input size"))
        out.append(scaled(x, slope) + const(values[0] - slope * x0) if slope else const(values[0]))
    return out


def _probe(node, base: list[list[int]], axis: int, size: int) -> int:
    probe = [list(shape) for shape in base]
    for shape in probe:
        shape[axis] = size
    return node.layer.output_shape(tuple(tuple(shape) for shape in probe))[axis]


def _macs(graph: Graph, node, shape_in: tuple[Expr, ...], shape_out: tuple[Expr, ...]) -> Expr:
    actual_in, actual_out = graph.input_shapes(node), graph.shapes[node.name]
    macs = node.layer.macs(actual_in, actual_out)
    if not macs:
        return const(0)
    if node.layer.transposed:
        reference, symbolic_reference = spatial(actual_in[0]), shape_in[:-1]
    elif len(actual_out) == 1:  # dense: units × inputs
        reference, symbolic_reference = actual_in[0], shape_in
    else:
        reference, symbolic_reference = spatial(actual_out), shape_out[:-1]
    positions = prod(reference)
    if macs % positions:
        raise _unsupported(node, _("its MACs are not proportional to its positions"))
    result: Expr = const(macs // positions)
    for expr in symbolic_reference:
        result = result * expr
    return result
