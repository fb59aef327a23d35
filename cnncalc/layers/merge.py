"""Merges of several inputs: element-wise (add, multiply, …) and concatenation."""

from cnncalc.errors import ShapeError
from cnncalc.i18n import N_, _
from cnncalc.layers.base import OUTPUT, Family, Layer, Saved, Shape, Weightless, format_shape, output_line, register
from cnncalc.working import Expr, Line, Num, Sizes, Sym, Working, plus


def broadcast_shapes(kind: str, shapes: tuple[Shape, ...]) -> Shape:
    """NumPy broadcasting: equal sizes, or 1, aligned from the channel axis backwards."""
    rank = max(len(s) for s in shapes)
    padded = [(1,) * (rank - len(s)) + s for s in shapes]
    out = []
    for axis in range(rank):
        sizes = {s[axis] for s in padded} - {1}
        if len(sizes) > 1:
            mismatch = (
                _("channel mismatch at {kind}: inputs have shapes {shapes}")
                if axis == rank - 1
                else _("spatial mismatch at {kind}: inputs have shapes {shapes}")
            )
            listed = ", ".join(format_shape(s) for s in shapes)
            raise ShapeError(
                mismatch.format(kind=kind, shapes=listed),
                hint=_(
                    "element-wise merges need equal shapes (or size 1 to broadcast); "
                    "project a shortcut with a 1×1 convolution (and stride) to match"
                ),
                rule="S005",
            )
        out.append(sizes.pop() if sizes else 1)
    return tuple(out)


class ElementwiseMerge(Weightless, Layer):
    """Combines inputs of equal (or broadcastable) shape value by value."""

    family = Family.MERGE

    min_inputs = 2
    max_inputs = None

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        return broadcast_shapes(self.kind, inputs)

    def shape_working(self, inputs: tuple[Shape, ...], output: Shape) -> list[Line]:
        listed: list[str | Expr] = [Sizes(inputs[0])]
        for shape in inputs[1:]:
            listed += [", ", Sizes(shape)]
        lead = (N_("inputs "), *listed, N_(" agree value by value "), Sym("→"), " ")
        return [(Working(OUTPUT, result=Sizes(output), lead=lead),)]


def _make_merge(kind: str, description: str, aliases: tuple[str, ...]) -> type[Layer]:
    name = "".join(part.title() for part in kind.split("_")) + "Merge"
    attrs = {
        "kind": kind,
        "description": description,  # whole (N_): translated as one message
        "aliases": aliases,
        "example": kind,
        "__module__": __name__,
        "__doc__": f"Element-wise {description.removeprefix('merge: ')} of its inputs.",
        "backward_saves": (Saved.INPUTS,) if kind in ("multiply", "maximum", "minimum") else (),
    }
    return register(type(name, (ElementwiseMerge,), attrs))


MERGES = {
    kind: _make_merge(kind, description, aliases)
    for kind, (description, aliases) in {
        "add": (N_("merge: sum"), ("add", "sum", "residual", "plus", "suma")),
        "subtract": (N_("merge: difference of two inputs"), ("subtract", "sub", "minus")),
        "multiply": (N_("merge: product"), ("multiply", "mul", "product", "scale")),
        "average": (N_("merge: mean"), ("average", "mean", "avg")),
        "maximum": (N_("merge: maximum"), ("maximum", "max")),
        "minimum": (N_("merge: minimum"), ("minimum", "min")),
    }.items()
}
# Module attributes like any class defined here, so that layers (and networks) can be pickled and
# the per-kind tables elsewhere can name them.
AddMerge = MERGES["add"]
SubtractMerge = MERGES["subtract"]
MultiplyMerge = MERGES["multiply"]
AverageMerge = MERGES["average"]
MaximumMerge = MERGES["maximum"]
MinimumMerge = MERGES["minimum"]


@register
class Concat(Weightless, Layer):
    """Concatenation along the channel axis (or another axis); other sizes must match."""

    kind = "concat"
    family = Family.MERGE
    backward_saves = ()
    description = N_("concatenate inputs along the channel axis; no parameters")
    aliases = ("concat", "concatenate", "cat", "join", "depthconcat", "concatenar", "concatenación")
    positional = ("axis",)
    arg_aliases = {"dim": "axis"}
    example = "concat"
    min_inputs = 2
    max_inputs = None

    axis: int = -1

    def output_shape(self, inputs: tuple[Shape, ...]) -> Shape:
        rank = len(inputs[0])
        if not -rank <= self.axis < rank:
            raise ShapeError(
                _("concat axis {axis} is outside an input of rank {rank}").format(axis=self.axis, rank=rank),
                hint=_("the channel axis is -1 (the default)"),
            )
        axis = self.axis % rank
        rest = {tuple(s[:axis] + s[axis + 1 :]) for s in inputs if len(s) == rank}
        if len(rest) > 1 or any(len(s) != rank for s in inputs):
            listed = ", ".join(format_shape(s) for s in inputs)
            raise ShapeError(
                _("spatial mismatch at {kind}: inputs have shapes {shapes}").format(kind="concat", shapes=listed),
                hint=_(
                    "concatenated inputs must agree on every axis but the concat axis; "
                    "crop (center_crop) or pad the larger one, as U-Net does"
                ),
                rule="S005",
            )
        total = sum(s[axis] for s in inputs)
        return (*inputs[0][:axis], total, *inputs[0][axis + 1 :])

    def shape_working(self, inputs: tuple[Shape, ...], output: Shape) -> list[Line]:
        axis = self.axis % len(inputs[0])
        total = Working(Sym("C"), substituted=plus(*(s[axis] for s in inputs)), result=Num(output[axis]))
        return [(total,), output_line(output)]
