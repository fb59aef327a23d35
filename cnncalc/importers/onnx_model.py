"""ONNX → spec document (needs the `onnx` package: pip install 'cnncalc[onnx]').

The file comes through `read_limited` (a regular file, never past `max_model_bytes`) and is parsed
from those bytes. Tensor data is never read: shapes come from attributes and from initializer dims,
which the protobuf holds even when a tensor's data lives in an external file, so no `external_data`
path (a symlink to /etc/passwd, a FIFO) is ever opened. The few values cnncalc needs (Reshape's
target, Pad's pads, Resize's scales) must be stored in the model file; otherwise the node is refused.

A malformed graph is one SpecError naming the file and the node: every field is checked where it
is read (attributes by type, weights by rank and sizes, tensors by who produces them).
"""

from __future__ import annotations

import functools
import math
import struct
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cnncalc.errors import Location, SpecError, ValidationSpecError
from cnncalc.i18n import N_, _, ngettext
from cnncalc.importers import FOLDED_BATCH_NORMS, REMOVED_ZERO_BIASES, located
from cnncalc.importers.onnx_patterns import fuse_layer_norms
from cnncalc.importers.refusals import distinct, grouped
from cnncalc.limits import DEFAULT_LIMITS, Limits
from cnncalc.reading import read_limited

ACTIVATIONS = {
    "Relu": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh", "Softplus": "softplus", "Softsign": "softsign",
    "Selu": "selu", "HardSwish": "hard_swish", "Mish": "mish", "Dropout": "dropout",
}  # fmt: skip
MERGES = {"Add": "add", "Sum": "add", "Mul": "multiply", "Sub": "subtract", "Max": "maximum", "Min": "minimum",
          "Mean": "average"}  # fmt: skip
_DEFAULT_DOMAINS = ("", "ai.onnx")  # a Conv in another domain (com.microsoft, …) is another operator
_MAX_VALUES = 64  # Reshape targets, pads and scales are a handful of numbers
_EXTERNAL = 1  # TensorProto.DataLocation.EXTERNAL
# AttributeProto.AttributeType codes of the ONNX standard → the field that holds the value
_ATTRIBUTE_KINDS = {
    "int": (2, "i", N_("an integer")),
    "ints": (7, "ints", N_("a list of integers")),
    "float": (1, "f", N_("a number")),
    "string": (3, "s", N_("a string")),
}
# TensorProto.DataType codes → how raw_data packs one value, and the typed field otherwise
_VALUE_TYPES = {1: ("f", "float_data"), 6: ("i", "int32_data"), 7: ("q", "int64_data"), 11: ("d", "double_data")}
_CLIP_INPUTS_OPSET = 11  # Clip reads min and max as inputs from opset 11, as attributes before
_LAYER_NORM_OPSET = 17  # the first opset with a LayerNormalization operator
_FOLDING_HINT = N_("export with constant folding (torch.onnx.export(..., do_constant_folding=True))")
_REQUIRED = object()
_MAX_INFERENCES = 64  # onnx shape inferences of one graph (see _Converter.can_infer_again)


@dataclass(frozen=True)
class _Node:
    """One graph node with its attributes by name; every read checks the type the standard gives."""

    proto: Any
    name: str
    source: str
    attributes: Mapping[str, Any]

    def fail(self, message: str, hint: str | None = None) -> ValidationSpecError:
        where = Location(file=self.source, layer=self.name)
        return ValidationSpecError(
            _("ONNX {op_type} node: {message}").format(op_type=self.proto.op_type, message=message),
            location=where,
            hint=hint,
        )

    def attr(self, key: str, kind: str, default: Any = _REQUIRED) -> Any:
        attribute = self.attributes.get(key)
        if attribute is None:
            if default is _REQUIRED:
                raise self.fail(
                    _("the attribute '{key}' is missing").format(key=key), hint=_("the ONNX operator requires it")
                )
            return default
        code, field, label = _ATTRIBUTE_KINDS[kind]
        if attribute.type != code:
            raise self.fail(_("the attribute '{key}' must be {label}").format(key=key, label=_(label)))
        value = getattr(attribute, field)
        if kind == "ints":
            return list(value)
        return value.decode("utf-8", "replace") if kind == "string" else value

    def per_axis(self, key: str, ndim: int, default: int) -> list[int]:
        values = self.attr(key, "ints", [default] * ndim)
        if len(values) != ndim:
            raise self.fail(
                _("'{key}' has {count} values, but the window has {ndim} axes").format(
                    key=key, count=len(values), ndim=ndim
                )
            )
        return values

    def input_name(self, index: int) -> str | None:
        """The name of input `index`, or None when it is absent (ONNX writes '' for a skipped optional)."""
        return self.proto.input[index] if len(self.proto.input) > index and self.proto.input[index] else None


def _node(proto: Any, index: int, source: str) -> _Node:
    name = proto.name or f"{proto.op_type.lower() or 'node'}_{index}"
    attributes: dict[str, Any] = {}
    for attribute in proto.attribute:
        if attribute.name in attributes:
            raise _Node(proto, name, source, {}).fail(
                _("the attribute '{name}' is given twice").format(name=attribute.name)
            )
        attributes[attribute.name] = attribute
    return _Node(proto, name, source, attributes)


def _tensor_values(tensor: Any, node: _Node, what: str) -> list[int | float]:
    """The values of a small tensor stored in the file itself; external data is never opened."""
    if tensor.data_location == _EXTERNAL:
        raise node.fail(
            _("its {what} {name!r} is stored in an external file, which cnncalc does not open").format(
                what=what, name=tensor.name
            ),
            hint=_("save the model with small tensors inside it (onnx.save(..., size_threshold=1024))"),
        )
    if any(d < 0 for d in tensor.dims) or len(tensor.dims) > 1 or math.prod(tensor.dims) > _MAX_VALUES:
        raise node.fail(
            _("its {what} {name!r} has shape {dims}; expected a short list").format(
                what=what, name=tensor.name, dims=list(tensor.dims)
            )
        )
    layout = _VALUE_TYPES.get(tensor.data_type)
    if layout is None:
        raise node.fail(
            _("its {what} {name!r} has ONNX data type {data_type}, not float or int").format(
                what=what, name=tensor.name, data_type=tensor.data_type
            )
        )
    count, (code, field) = math.prod(tensor.dims), layout
    if tensor.HasField("raw_data"):
        if len(tensor.raw_data) != count * struct.calcsize(code):
            raise node.fail(
                _("its {what} {name!r} holds {size} bytes for {count} values").format(
                    what=what, name=tensor.name, size=len(tensor.raw_data), count=count
                )
            )
        return list(struct.unpack(f"<{count}{code}", tensor.raw_data))
    values = list(getattr(tensor, field))
    if len(values) != count:
        raise node.fail(
            _("its {what} {name!r} holds {count} values for shape {dims}").format(
                what=what, name=tensor.name, count=len(values), dims=list(tensor.dims)
            )
        )
    return values


def _whole_numbers(values: Sequence[int | float | None], node: _Node, what: str) -> list[int]:
    if not all(isinstance(v, int) for v in values):
        raise node.fail(_("its {what} must be integers, got {values}").format(what=what, values=values))
    return [v for v in values if isinstance(v, int)]


@dataclass(frozen=True)
class _Expected:
    """What a weight says its layer receives: channels (last axis) or all values (a dense layer)."""

    node: _Node
    weight: str
    dims: tuple[int, ...]
    size: int
    whole: bool  # True: every value of the input (Gemm, MatMul); False: its channels

    def problem(self, shape: tuple[int, ...]) -> ValidationSpecError | None:
        received = math.prod(shape) if self.whole else shape[-1]
        if received == self.size:
            return None
        what = _("values") if self.whole else _("channels")
        shown = "×".join(map(str, shape))
        return self.node.fail(
            _(
                "its weight {weight!r} of shape {dims} is for {size} input {what}, but the layer receives {shown}"
            ).format(weight=self.weight, dims=list(self.dims), size=self.size, what=what, shown=shown),
            hint=_("the model's weights do not fit its graph; export it again"),
        )


@dataclass(frozen=True)
class _Value:
    """A computed tensor: the layer computing it ("" when an unsupported node does), its ONNX rank and
    where its channels are: axis 1 (N×C×…, as ONNX computes) or the last axis (after a Transpose to
    N×…×C, which is cnncalc's own order). `view` marks the middle of a channel shuffle."""

    layer: str
    rank: int
    last: bool = False
    view: str = ""  # "grouped": N×g×C/g×…; "swapped": N×C/g×g×… (a channel shuffle's halfway points);
    # "sequence": the parts of a SplitToSequence (self.parts has their channel ranges)
    groups: int = 0

    @property
    def channels(self) -> int:
        return self.rank - 1 if self.last or self.rank <= 2 else 1

    @property
    def spatial(self) -> tuple[int, ...]:
        return tuple(range(1, self.rank - 1)) if self.last else tuple(range(2, self.rank))


_UNKNOWN = _Value("", 0)  # what an unsupported node computes: its readers are skipped, it is reported
_PRODUCED = _Value("", -1)  # a handler's answer when it made its layers and outputs itself


@dataclass(frozen=True)
class _Layer:
    """A handler's new layer: its spec entry, and the rank and channel axis of its result (None: the input's)."""

    entry: dict[str, Any]
    rank: int | None = None
    last: bool | None = None


_Known = tuple[int | float | None, ...]  # a small constant's values; None: a size the file does not fix
_SPATIAL_OPS = frozenset({"Conv", "ConvTranspose", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
                          "BatchNormalization", "LRN", "Resize", "Pad"})  # fmt: skip
_INTEGER_TYPES = frozenset({2, 3, 4, 5, 6, 7, 12, 13})  # TensorProto.DataType: (u)int8…64
_HARD_SIGMOID = (1 / 6, 0.5)  # cnncalc's hard_sigmoid is relu6(x + 3)/6, as PyTorch's Hardsigmoid


_Infer = Callable[[Mapping[str, tuple[tuple[int, ...], _Known]]], Mapping[str, _Known]]


class _Converter:
    def __init__(self, graph: Any, source: str, opset: int, infer: _Infer) -> None:
        self.graph = graph
        self.source = source
        self.opset = opset
        self.infer = infer  # the static shapes onnx infers, asked for only when a Shape node needs one
        self.inferred: Mapping[str, _Known] | None = None
        self.inferences = 0  # how many times onnx inferred them, each time from more constants computed here
        self.inferred_from = 0  # how many computed constants the last inference had
        self.tensors: dict[str, Any] = {}  # tensors stored in the file, whose few values some operators need
        self.known: dict[str, _Known] = {}  # values of constants cnncalc computed (shape arithmetic)
        self.filled: set[str] = set()  # constants an exporter fills from one value (a zero bias): not weights
        self.weights: dict[str, tuple[int, ...]] = {}  # every constant's dims: all a weight contributes
        self.producer: dict[str, _Value] = {}  # computed tensor → what computes it
        self.layers: list[dict[str, Any]] = []
        self.parts: dict[str, list[tuple[int, int]]] = {}  # a SplitToSequence's output → its channel ranges
        self.flat: dict[str, tuple[tuple[int, ...], _Value]] = {}  # Reshape(x, [-1])'s output → x's sizes and x
        self.refused: list[tuple[str, str]] = []  # (operation, node) for one grouped message
        self.expected: dict[str, _Expected] = {}  # layer → the input its weight was made for
        self._collect_initializers()

    def fail(self, message: str, hint: str | None = None) -> ValidationSpecError:
        return ValidationSpecError(message, location=Location(file=self.source), hint=hint)

    def _collect_initializers(self) -> None:
        dense = [(t.name, tuple(t.dims), t) for t in self.graph.initializer]
        sparse = [(s.values.name, tuple(s.dims), None) for s in self.graph.sparse_initializer]
        for name, dims, tensor in dense + sparse:
            if not name or name in self.weights:
                raise self.fail(
                    _("the graph has two initializers named {name!r}").format(name=name)
                    if name
                    else _("an initializer has no name")
                )
            self.weights[name] = dims
            if tensor is not None:
                self.tensors[name] = tensor

    def input_entry(self, input_given: bool) -> str | None:
        inputs = [i for i in self.graph.input if i.name not in self.weights]
        if len(inputs) != 1:
            names = ", ".join(repr(i.name) for i in inputs)
            message = (
                _("expected one graph input, found {count}: {names}")
                if names
                else _("expected one graph input, found none")
            )
            raise self.fail(message.format(count=len(inputs), names=names))
        value = inputs[0]
        if not value.name or value.type.WhichOneof("value") != "tensor_type":
            raise self.fail(_("the graph input {name!r} is not a named tensor").format(name=value.name))
        dims = [d.dim_value if d.WhichOneof("value") == "dim_value" else 0 for d in value.type.tensor_type.shape.dim]
        self.producer[value.name] = _Value("input", len(dims))
        sizes = dims[1:]  # after the batch axis
        if sizes and all(d > 0 for d in sizes):
            return "x".join(map(str, sizes[1:] + sizes[:1]))  # NCHW → HWC
        if input_given:
            return None
        raise self.fail(
            _("the input {name!r} needs fixed sizes after the batch axis, got {dims}").format(
                name=value.name, dims=dims
            ),
            hint=_("pass --input (channels last, e.g. 32x32x3)"),
        )

    def convert(self, input_given: bool) -> dict[str, Any]:
        document: dict[str, Any] = {"name": Path(self.source).stem}
        shape = self.input_entry(input_given)
        if shape is not None:
            document["input"] = shape
        if not self.graph.node:
            raise self.fail(_("the ONNX graph has no nodes"))
        outputs = frozenset(o.name for o in self.graph.output)
        nodes = fuse_layer_norms(self.graph.node, outputs, frozenset(self.weights), self.early_values())
        for index, proto in enumerate(nodes):
            self.add(_node(proto, index, self.source))
        if self.refused:
            raise ValidationSpecError(
                ngettext(  # English keeps one form: benchmarks/model_table.py and recorded tables read it
                    "unsupported ONNX operator(s): {operations}",
                    "unsupported ONNX operator(s): {operations}",
                    distinct(self.refused),
                ).format(operations=grouped(self.refused)),
                location=Location(file=self.source),
                hint=_(
                    "cnncalc reads convolutions, pools, Gemm/MatMul, normalizations, activations, merges, "
                    "Concat, Split/Slice of channels, Flatten/Reshape/Transpose, Pad, Resize, ReduceMean, and "
                    "shape arithmetic on constants (docs/interop.md)"
                )
                + self.written_out_hint()
                + self.attention_hint(),
            )
        document["layers"] = self.layers
        document["outputs"] = self.outputs()
        removed = sum(map(_removed_bias, self.graph.node))
        if removed:
            document[REMOVED_ZERO_BIASES] = removed
        folded = sum(map(self.folded_batch_norm, self.graph.node))
        if folded:
            document[FOLDED_BATCH_NORMS] = folded
            document["description"] = (
                f"The exporter folded batch normalization into {folded} convolution(s): parameters are counted as "
                "the graph holds them (the BN's scale and shift are gone; such a convolution has the bias the "
                "graph stores)."
            )
        return document

    def written_out_hint(self) -> str:
        """Before opset 17 a layer norm is written out as ReduceMean, Pow, Sqrt, Div…; cnncalc puts the exact
        pattern back together, so a refused Pow or Sqrt there is a variant it does not know."""
        if self.opset >= _LAYER_NORM_OPSET or not {"Pow", "Sqrt"} & {operation for operation, _ in self.refused}:
            return ""
        return _(
            "; at opset {opset} torch writes nn.LayerNorm out as ReduceMean/Sub/Pow/Sqrt/Div nodes: export with "
            "{option} or later to get one LayerNormalization node"
        ).format(opset=self.opset, option=f"opset_version={_LAYER_NORM_OPSET}")

    def attention_hint(self) -> str:
        """A transformer's refusal names the shape arithmetic around its attention (Gather, Mod, Unsqueeze…),
        not the attention itself, whose products read those refused results: say what the graph holds."""
        constant = set(self.weights)
        products = [
            n for n in self.graph.node
            if n.op_type in ("MatMul", "Einsum") and sum(1 for i in n.input if i and i not in constant) >= 2
        ]  # fmt: skip
        if not products:
            return ""
        return _(
            "; the graph multiplies activations by activations ({count} MatMul/Einsum nodes, attention as in "
            "ViT, Swin or MaxViT), which no cnncalc layer kind expresses"
        ).format(count=len(products))

    def early_values(self) -> Callable[[str], _Known | None]:
        """Before any node is converted: the few values of an initializer or a Constant node's tensor,
        for recognising patterns (None for anything else, or anything unreadable: the converter reports it)."""
        constants = {n.output[0]: n for n in self.graph.node if n.op_type == "Constant" and len(n.output) == 1}

        def values(name: str) -> _Known | None:
            proto = constants.get(name)
            if proto is None:
                tensor = self.tensors.get(name)
            else:
                tensor = next((a.t for a in proto.attribute if a.name == "value" and a.type == 4), None)
            if tensor is None or tensor.data_location == _EXTERNAL or tensor.data_type not in _VALUE_TYPES:
                return None
            if len(tensor.dims) > 1 or math.prod(tensor.dims) > _MAX_VALUES:
                return None
            try:
                return tuple(_tensor_values(tensor, _node(proto or self.graph.node[0], 0, self.source), "input"))
            except ValidationSpecError:
                return None

        return values

    def folded_batch_norm(self, proto: Any) -> bool:
        """Whether an exporter folded a batch norm into this Conv: the dynamo exporter's optimiser names its
        rule in the node's metadata; the legacy exporter names the weights it made 'onnx::Conv_…', where an
        unfolded conv keeps its module's parameter name."""
        if proto.op_type != "Conv":
            return False
        rules = " ".join(p.value for p in proto.metadata_props if p.key == _RULE_NAMES)
        return "FuseBatchNormIntoConv" in rules or (len(proto.input) > 1 and proto.input[1].startswith("onnx::Conv_"))

    def refuse(self, operation: str, node: _Node) -> None:
        self.refused.append((operation, node.name))

    def add(self, node: _Node) -> None:
        op_type = node.proto.op_type
        standard = node.proto.domain in _DEFAULT_DOMAINS
        computed = [i for i in node.proto.input if i and i not in self.weights]
        if standard and not computed and op_type in _FOLDS:  # arithmetic on constants: a value, not a layer
            return _FOLDS[op_type](self, node)
        if standard and op_type == "CastLike" and node.input_name(0) in self.weights:  # only the type of input 1
            return self.fold_alias(node)
        handler = _HANDLERS.get(op_type) if standard else None
        if handler is not None and not computed and node.proto.input:  # weights computed in the graph (Swin V2's
            self.refuse(
                _("{op_type} of constants only (a computed weight)").format(op_type=op_type), node
            )  # position-bias MLP)
            return self.produce(node, _UNKNOWN)
        if handler is None:
            self.refuse(op_type if standard else f"{node.proto.domain}.{op_type}", node)
            return self.produce(node, _UNKNOWN)
        sources = self.sources(node)
        if any(s.layer == "" for s in sources):  # reads an unsupported node's result: that node is already reported
            return self.produce(node, _UNKNOWN)
        if op_type == "Shape":
            return self.shape(node)
        if len(sources) != 1 and not (op_type in MERGES or op_type == "Concat"):
            # a product of two activations (attention's Q·Kᵀ and its weights·V) is no layer of cnncalc's
            refusal = (
                _("{op_type} of {count} computed tensors (attention: cnncalc has no attention layer)")
                if op_type in ("MatMul", "Gemm")
                else _("{op_type} of {count} computed tensors")
            )
            self.refuse(refusal.format(op_type=op_type, count=len(sources)), node)
            return self.produce(node, _UNKNOWN)
        value = sources[0]
        views = ("grouped", "swapped", "sequence", "flat")  # Identity and Cast (x.contiguous()) pass any on
        expected_view = {"Transpose": ("grouped",), "Reshape": ("grouped", "swapped"), "SequenceAt": ("sequence",),
                         "Gather": ("flat",),
                         "Identity": views, "Cast": views}  # fmt: skip
        if value.view and value.view not in expected_view.get(op_type, ()):
            self.refuse(
                _("{op_type} on channels split into groups (not a channel shuffle)").format(op_type=op_type), node
            )
            return self.produce(node, _UNKNOWN)
        if op_type in _SPATIAL_OPS and value.last and value.rank > 2:
            self.refuse(_("{op_type} on channels-last data (after a Transpose)").format(op_type=op_type), node)
            return self.produce(node, _UNKNOWN)
        result = handler(self, node, value)
        if result is _PRODUCED:  # the handler made its layers and outputs itself (a Split)
            return None
        if result is None:  # refused by the handler, which said why
            return self.produce(node, _UNKNOWN)
        if isinstance(result, _Value):  # no layer of its own: the same data, seen differently
            return self.produce(node, result)
        self.append(node, node.name, result.entry, [s.layer for s in sources])
        rank = value.rank if result.rank is None else result.rank
        return self.produce(node, _Value(node.name, rank, value.last if result.last is None else result.last))

    def append(self, node: _Node, name: str, entry: dict[str, Any], inputs: list[str]) -> None:
        if any(layer["name"] == name for layer in self.layers):
            raise node.fail(_("another node has the same name"), hint=_("node names must be unique"))
        where = Location(file=self.source, layer=node.name)
        self.layers.append(located({"name": name, **entry, "inputs": inputs}, where))

    def sources(self, node: _Node) -> list[_Value]:
        """What computes this node's data inputs (inputs that are not constants)."""
        data = [i for i in node.proto.input if i and i not in self.weights]
        if not data:
            raise node.fail(_("it reads no tensor but constants"))
        for name in data:
            if name not in self.producer:
                raise node.fail(
                    _(
                        "it reads {name!r}, which is neither the graph input, an initializer nor the output of "
                        "an earlier node"
                    ).format(name=name),
                    hint=_("ONNX lists nodes in order, each after the nodes it reads; the graph may have a cycle"),
                )
        return [self.producer[name] for name in data]

    def produce(self, node: _Node, value: _Value) -> None:
        if not node.proto.output or not node.proto.output[0]:
            raise node.fail(_("it has no output"))
        # A layer's other outputs (pool indices, dropout masks) are not layers: reading one is an error.
        # Every output of a refused node (a Split's parts) is marked, so that its readers are skipped.
        for tensor in node.proto.output if value is _UNKNOWN else node.proto.output[:1]:
            if tensor:
                self.claim(node, tensor)
                self.producer[tensor] = value

    def claim(self, node: _Node, tensor: str) -> None:
        if tensor in self.producer or tensor in self.weights:
            computed = self.producer.get(tensor)
            writer = (computed.layer if computed else "") or "another node"
            raise node.fail(
                _("its output {tensor!r} is also computed by {writer!r}").format(tensor=tensor, writer=writer)
            )

    def outputs(self) -> list[str]:
        if not self.graph.output:
            raise self.fail(_("the ONNX graph declares no output"))
        missing = [o.name for o in self.graph.output if o.name not in self.producer]
        if missing:
            raise self.fail(_("the graph output {missing!r} is computed by no node").format(missing=missing[0]))
        return [self.producer[o.name].layer for o in self.graph.output]

    def weight(self, node: _Node, index: int, rank: int | None = None, min_rank: int = 1) -> tuple[int, ...]:
        """The dims of the constant at input `index`: the only thing a weight contributes."""
        name = node.input_name(index)
        if name is None:
            raise node.fail(_("its weight (input {index}) is missing").format(index=index))
        dims = self.weights.get(name)
        if dims is None:
            raise node.fail(
                _("its weight {name!r} is not an initializer of the graph").format(name=name), hint=_(_FOLDING_HINT)
            )
        if (rank is not None and len(dims) != rank) or len(dims) < min_rank:
            expected = f"{rank}" if rank is not None else f"at least {min_rank}"
            raise node.fail(
                _("its weight {name!r} has shape {dims}, but {expected} axes are expected").format(
                    name=name, dims=list(dims), expected=expected
                )
            )
        if any(d <= 0 for d in dims):
            raise node.fail(
                _("its weight {name!r} has shape {dims}; every size must be positive").format(
                    name=name, dims=list(dims)
                )
            )
        return dims

    def values(self, node: _Node, index: int, what: str) -> list[int | float | None] | None:
        name = node.input_name(index)
        if name is None:
            return None
        if name in self.known:
            return list(self.known[name])
        if name not in self.tensors:
            raise node.fail(
                _("its {what} {name!r} is not a constant cnncalc can read").format(what=what, name=name),
                hint=_(_FOLDING_HINT),
            )
        return list(_tensor_values(self.tensors[name], node, what))

    def axes(self, node: _Node, index: int, rank: int) -> list[int] | None:
        """The axes an operator reads from input `index` (opset 13/18 on) or its 'axes' attribute, in [0, rank)."""
        given = self.values(node, index, "axes") if node.input_name(index) else node.attr("axes", "ints", None)
        if given is None:
            return None
        axes = _whole_numbers(given, node, "axes")
        if any(not -rank <= a < rank for a in axes):
            raise node.fail(_("axes {axes} are outside a tensor of {rank} axes").format(axes=axes, rank=rank))
        return sorted(a % rank for a in axes)

    # -- constants: the shape arithmetic exporters write, computed here ------------------------
    def constant(self, node: _Node, dims: tuple[int, ...], known: _Known | None = None, tensor: Any = None) -> None:
        if not node.proto.output or not node.proto.output[0]:
            raise node.fail(_("it has no output"))
        name = node.proto.output[0]
        self.claim(node, name)
        self.weights[name] = dims
        if known is not None:
            self.known[name] = known
        if tensor is not None:
            self.tensors[name] = tensor

    def dims(self, node: _Node, index: int) -> tuple[int, ...]:
        """The dims of the constant at input `index` of a node whose inputs are all constants."""
        name = node.input_name(index)
        if name is None or name not in self.weights:
            raise node.fail(_("its input {index} is missing").format(index=index))
        return self.weights[name]

    def readable(self, name: str, node: _Node) -> _Known | None:
        """The values of a constant when the file holds them and they are few; None otherwise (a weight)."""
        if name in self.known:
            return self.known[name]
        tensor = self.tensors.get(name)
        if tensor is None or tensor.data_location == _EXTERNAL or tensor.data_type not in _VALUE_TYPES:
            return None
        if len(tensor.dims) > 1 or math.prod(tensor.dims) > _MAX_VALUES:
            return None
        return tuple(_tensor_values(tensor, node, "input"))

    def needed(self, node: _Node, index: int, what: str = "input") -> _Known:
        name = node.input_name(index)
        values = self.readable(name, node) if name else None
        if values is None:
            raise node.fail(
                _("its {what} {name!r} is not a short list of numbers stored in the file").format(what=what, name=name),
                hint=_(_FOLDING_HINT),
            )
        return values

    def fold_constant(self, node: _Node) -> None:
        if len(node.attributes) != 1:
            raise node.fail(_("it needs exactly one value attribute"))
        key, attribute = next(iter(node.attributes.items()))
        if key == "value" and attribute.type == 4:  # a tensor
            return self.constant(node, tuple(attribute.t.dims), tensor=attribute.t)
        scalars = {"value_int": ("int", ()), "value_float": ("float", ())}
        lists = {"value_ints": "ints", "value_floats": "floats"}
        if key in scalars:
            kind, dims = scalars[key]
            return self.constant(node, dims, (node.attr(key, kind),))
        if key in lists:
            values = node.attr(key, "ints") if key == "value_ints" else list(node.attributes[key].floats)
            return self.constant(node, (len(values),), tuple(values))
        self.refuse(_("Constant holding {key}").format(key=key), node)
        return self.produce(node, _UNKNOWN)

    def fold_alias(self, node: _Node) -> None:
        """Identity or Cast of a constant: the same dims (and, read on demand, values)."""
        name = node.input_name(0) or ""
        values = self.readable(name, node)
        if name in self.filled:
            self.filled.add(node.proto.output[0] if node.proto.output else "")
        if values is not None and node.proto.op_type == "Cast":
            whole = node.attr("to", "int") in _INTEGER_TYPES
            values = tuple(None if v is None else (int(v) if whole else float(v)) for v in values)
        tensor = self.tensors.get(name) if values is None else None
        self.constant(node, self.dims(node, 0), values, tensor)

    def fold_transpose(self, node: _Node) -> None:
        dims = self.dims(node, 0)
        perm = node.attr("perm", "ints", list(reversed(range(len(dims)))))
        if sorted(perm) != list(range(len(dims))):
            raise node.fail(_("perm {perm} is not an order of the {count} axes").format(perm=perm, count=len(dims)))
        self.constant(
            node,
            tuple(dims[p] for p in perm),
            self.readable(node.input_name(0) or "", node) if len(dims) <= 1 else None,
        )

    def fold_shape_change(self, node: _Node) -> None:
        """Unsqueeze, Squeeze and Reshape of a short constant: the same values; the dims of a short list. Of
        any other constant (a weight, MaxViT's relative position index): its values unread, its new dims."""
        if self.readable(node.input_name(0) or "", node) is None:
            return self.constant(node, self.reshaped_dims(node, self.dims(node, 0)))
        values = self.needed(node, 0)
        self.constant(node, (len(values),) if node.proto.op_type != "Squeeze" or len(values) != 1 else (), values)

    def reshaped_dims(self, node: _Node, dims: tuple[int, ...]) -> tuple[int, ...]:
        """The dims a Reshape, Unsqueeze or Squeeze gives a constant of `dims`, as the ONNX standard says."""
        op_type = node.proto.op_type
        if op_type == "Reshape":
            target = _whole_numbers(self.needed(node, 1, "target shape"), node, "target shape")
            if not node.attr("allowzero", "int", 0):
                target = [dims[i] if t == 0 and i < len(dims) else t for i, t in enumerate(target)]
            known = math.prod(t for t in target if t != -1)
            if target.count(-1) == 1 and known > 0 and math.prod(dims) % known == 0:
                target = [math.prod(dims) // known if t == -1 else t for t in target]
            if any(t < 0 for t in target) or math.prod(target) != math.prod(dims):
                raise node.fail(
                    _("it reshapes a constant of shape {dims} to {target}").format(dims=list(dims), target=target)
                )
            return tuple(target)
        rank = len(dims) + (0 if op_type == "Squeeze" else len(self.axes_given(node)))
        axes = {a % rank for a in self.axes_given(node)} if rank else set()
        if op_type == "Unsqueeze":
            kept = iter(dims)
            return tuple(1 if axis in axes else next(kept) for axis in range(rank))
        axes = axes or {i for i, d in enumerate(dims) if d == 1}
        if any(dims[a] != 1 for a in axes):
            raise node.fail(
                _("it squeezes axes {axes} of a constant of shape {dims}").format(axes=sorted(axes), dims=list(dims))
            )
        return tuple(d for i, d in enumerate(dims) if i not in axes)

    def axes_given(self, node: _Node) -> list[int]:
        """Unsqueeze's and Squeeze's axes: input 1 from opset 13, the 'axes' attribute before."""
        if node.input_name(1):
            return _whole_numbers(self.needed(node, 1, "axes"), node, "axes")
        return list(node.attr("axes", "ints", []))

    def fold_shape(self, node: _Node) -> None:
        dims = self.dims(node, 0)
        picked = dims[slice(node.attr("start", "int", 0), node.attr("end", "int", len(dims)))]
        self.constant(node, (len(picked),), picked)

    def fold_expand(self, node: _Node) -> None:
        """A value broadcast to a shape (the zero bias the dynamo exporter writes for a conv without one,
        when it does not optimise): a constant, but no weight."""
        sizes = _whole_numbers(self.needed(node, 1, "shape"), node, "shape")
        dims = self.dims(node, 0)
        if any(s < 0 for s in sizes) or len(dims) > len(sizes):
            raise node.fail(_("it expands a tensor of shape {dims} to {sizes}").format(dims=list(dims), sizes=sizes))
        padded = (1,) * (len(sizes) - len(dims)) + dims
        result = tuple(max(a, b) for a, b in zip(padded, sizes, strict=True))
        values = self.readable(node.input_name(0) or "", node)
        if values is not None and len(result) == 1 and len(values) in (1, result[0]):  # a short list: computed
            values = tuple(values[i % len(values)] for i in range(result[0]))
        self.constant(node, result, values if values is not None and len(values) == math.prod(result) else None)
        self.filled.add(node.proto.output[0])

    def fold_gather(self, node: _Node) -> None:
        data, indices = self.needed(node, 0), self.needed(node, 1, "indices")
        if node.attr("axis", "int", 0) != 0 or not all(
            isinstance(i, int) and -len(data) <= i < len(data) for i in indices
        ):
            raise node.fail(
                _("it picks {indices} from a list of {count}").format(indices=list(indices), count=len(data))
            )
        dims = self.dims(node, 1)
        self.constant(node, dims, tuple(data[int(i or 0)] for i in indices))

    def fold_concat(self, node: _Node) -> None:
        values = tuple(v for index in range(len(node.proto.input)) for v in self.needed(node, index))
        self.constant(node, (len(values),), values)

    def fold_slice(self, node: _Node) -> None:
        data = self.needed(node, 0)
        given = [self.needed(node, i, "bound")[0] if node.input_name(i) else default for i, default in
                 ((1, None), (2, None), (3, 0), (4, 1))]  # fmt: skip
        start, end, axis, step = _whole_numbers(given, node, "starts, ends, axes and steps")
        if axis not in (0, -1) or step == 0:
            raise node.fail(
                _("it slices axis {axis} by steps of {step} from a list of {count}").format(
                    axis=axis, step=step, count=len(data)
                )
            )
        sliced = data[start:end:step]
        self.constant(node, (len(sliced),), sliced)

    def fold_arithmetic(self, node: _Node) -> None:
        left, right = self.needed(node, 0), self.needed(node, 1)
        if len(left) != len(right) and 1 not in (len(left), len(right)):
            raise node.fail(
                _("it combines lists of {left} and {right} values").format(left=len(left), right=len(right))
            )
        count = 0 if 0 in (len(left), len(right)) else max(len(left), len(right))  # [] broadcasts to []
        pairs = [(left[i % len(left)], right[i % len(right)]) for i in range(count)]
        result = tuple(_ARITHMETIC[node.proto.op_type](a, b) for a, b in pairs)
        longer = 0 if len(left) >= len(right) else 1
        self.constant(node, self.dims(node, longer if count else 1 - longer), result)  # [] keeps its dims

    def shape(self, node: _Node) -> None:
        """Shape of a computed tensor: its static sizes (None for a dynamic batch), for later arithmetic."""
        name = node.input_name(0) or ""
        sizes = self.static_shape(name)
        start, end = node.attr("start", "int", 0), node.attr("end", "int", len(sizes))
        picked = sizes[slice(start, end)]
        self.constant(node, (len(picked),), picked)

    def static_shape(self, name: str) -> _Known:
        for value in self.graph.input:
            if value.name == name:
                return tuple(d.dim_value if d.WhichOneof("value") == "dim_value" else None
                             for d in value.type.tensor_type.shape.dim)  # fmt: skip
        if self.inferred is None or (self.unfixed(self.inferred.get(name)) and self.can_infer_again()):
            fixed = {n: (self.weights[n], v) for n, v in self.known.items()
                     if all(isinstance(x, int) for x in v) and len(v) == math.prod(self.weights[n])}  # fmt: skip
            self.inferred, self.inferred_from = self.infer(fixed), len(self.known)
            self.inferences += 1
        return self.inferred.get(name, ())

    @staticmethod
    def unfixed(sizes: _Known | None) -> bool:
        """Sizes that onnx did not infer beyond a dynamic batch axis."""
        return sizes is None or None in sizes[1:]

    def can_infer_again(self) -> bool:
        """onnx's inference does not evaluate every operator (Div of sizes: the end of torch.chunk's Slice), so
        sizes after such a node stay unknown to it; given the constants computed here since, it finds them.
        Bounded: each inference reads the whole graph."""
        return len(self.known) > self.inferred_from and self.inferences < _MAX_INFERENCES

    # -- operators -----------------------------------------------------------------------------
    def conv(self, node: _Node, value: _Value) -> _Layer:
        return _Layer({"conv": self._conv_args(node, transposed=False)})

    def conv_transpose(self, node: _Node, value: _Value) -> _Layer:
        args = self._conv_args(node, transposed=True)
        if "output_shape" in node.attributes:
            raise node.fail(_("'output_shape' is set; cnncalc computes the size from pads and output_padding"))
        output_padding = node.per_axis("output_padding", len(args["kernel"]), 0)
        if any(output_padding):
            args["output_padding"] = output_padding
        return _Layer({"conv_transpose": args})

    def expect(self, node: _Node, index: int, size: int, whole: bool = False) -> None:
        name = node.input_name(index) or ""
        self.expected[node.name] = _Expected(node, name, self.weights[name], size, whole)

    def _conv_args(self, node: _Node, transposed: bool) -> dict[str, Any]:
        dims = self.weight(node, 1, min_rank=3)
        kernel = list(dims[2:])
        if node.attr("kernel_shape", "ints", kernel) != kernel:
            raise node.fail(
                _("kernel_shape {value} disagrees with its weight's {kernel}").format(
                    value=node.attr("kernel_shape", "ints"), kernel=kernel
                )
            )
        groups = node.attr("group", "int", 1)
        if groups < 1:
            raise node.fail(_("group={groups}; it must be at least 1").format(groups=groups))
        ndim = len(kernel)
        self.expect(node, 1, dims[0] if transposed else dims[1] * groups)  # ONNX: C_in×C_out/g or C_out×C_in/g
        return {
            "filters": dims[1] * groups if transposed else dims[0],
            "kernel": kernel,
            "groups": groups,
            "stride": node.per_axis("strides", ndim, 1),
            "dilation": node.per_axis("dilations", ndim, 1),
            "padding": self._padding(node, ndim),
            "bias": self.has_bias(node, 2),
        }

    def has_bias(self, node: _Node, index: int) -> bool:
        name = node.input_name(index)
        return name is not None and name not in self.filled

    @staticmethod
    def _padding(node: _Node, ndim: int) -> Any:
        auto = node.attr("auto_pad", "string", "NOTSET")
        if auto in ("SAME_UPPER", "SAME_LOWER"):
            return "same"
        if auto == "VALID":
            return "valid"
        if auto != "NOTSET":
            raise node.fail(_("auto_pad {auto!r} is not NOTSET, SAME_UPPER, SAME_LOWER or VALID").format(auto=auto))
        pads = node.attr("pads", "ints", [0] * 2 * ndim)
        if len(pads) != 2 * ndim:
            raise node.fail(
                _("'pads' has {count} values; {ndim} axes need {needed} (all begins, then all ends)").format(
                    count=len(pads), ndim=ndim, needed=2 * ndim
                )
            )
        return [[pads[i], pads[i + ndim]] for i in range(ndim)]

    def pool(self, node: _Node, value: _Value) -> _Layer:
        kind = "max_pool" if node.proto.op_type == "MaxPool" else "avg_pool"
        kernel = node.attr("kernel_shape", "ints")
        ndim = len(kernel)
        if not ndim:
            raise node.fail(_("kernel_shape is empty"))
        args: dict[str, Any] = {"kernel": kernel, "stride": node.per_axis("strides", ndim, 1)}
        args["padding"] = self._padding(node, ndim)
        args["ceil_mode"] = bool(node.attr("ceil_mode", "int", 0))
        dilation = node.per_axis("dilations", ndim, 1)
        if any(d != 1 for d in dilation):
            args["dilation"] = dilation
        if kind == "avg_pool":
            args["count_include_pad"] = bool(node.attr("count_include_pad", "int", 0))
        return _Layer({kind: args})

    def global_pool(self, node: _Node, value: _Value) -> _Layer:
        kind = "global_max_pool" if node.proto.op_type == "GlobalMaxPool" else "global_avg_pool"
        return _Layer({kind: {"keepdims": True}})

    def reduce_mean(self, node: _Node, value: _Value) -> _Layer | None:
        """ReduceMean → reduce_mean over the same axes, numbered as cnncalc numbers them (channels last,
        no batch); fvcore counts it apart from a global average pool, so it is not mapped to one."""
        axes = self.axes(node, 1, value.rank)
        keep = bool(node.attr("keepdims", "int", 1))
        if axes is None or 0 in axes or value.rank < 2:
            self.refuse(_("ReduceMean over every axis") if axes is None else _("ReduceMean over the batch axis"), node)
            return None
        mine = sorted(a - 1 if value.last else (value.rank - 2 if a == 1 else a - 2) for a in axes)
        spatial = tuple(axes) == value.spatial
        args: dict[str, Any] = {"keepdims": keep} if spatial else {"axes": mine, "keepdims": keep}
        rank = value.rank if keep else value.rank - len(axes)
        return _Layer({"reduce_mean": args}, rank=rank, last=None if keep else (False if spatial else value.last))

    def gemm(self, node: _Node, value: _Value) -> _Layer:
        dims = self.weight(node, 1, rank=2)
        if node.attr("transA", "int", 0):
            raise node.fail(_("transA=1 multiplies a transposed input, which is not a dense layer"))
        transposed = node.attr("transB", "int", 0)
        units, features = (dims[0], dims[1]) if transposed else (dims[1], dims[0])
        self.expect(node, 1, features, whole=True)
        return _Layer({"dense": {"units": units, "bias": self.has_bias(node, 2)}}, rank=2, last=False)

    def matmul(self, node: _Node, value: _Value) -> _Layer | None:
        dims = self.weight(node, 1, rank=2)
        if value.rank > 2 and value.last:  # nn.Linear after a permute to N…C: every position's channels
            self.expect(node, 1, dims[0])
            return _Layer({"pointwise_linear": {"units": dims[1], "bias": False}})
        if value.rank > 2:  # the last axis is a spatial one: not a layer over channels
            self.refuse(
                _("MatMul on the last axis of a {rank}-axis tensor whose channels are on axis 1").format(
                    rank=value.rank
                ),
                node,
            )
            return None
        self.expect(node, 1, dims[0], whole=True)
        return _Layer({"dense": {"units": dims[1], "bias": False}}, rank=2, last=False)

    def batch_norm(self, node: _Node, value: _Value) -> _Layer:
        sizes = {self.weight(node, index, rank=1)[0] for index in range(1, 5)}  # scale, bias, mean, variance
        if len(sizes) > 1:
            raise node.fail(
                _("its scale, bias, mean and variance have different lengths {sizes}").format(sizes=sorted(sizes))
            )
        self.expect(node, 1, sizes.pop())
        return _Layer({"batch_norm": {"epsilon": node.attr("epsilon", "float", 1e-5)}})

    def layer_norm(self, node: _Node, value: _Value) -> _Layer | None:
        """LayerNormalization over the channel axis alone (nn.LayerNorm after a permute to N…C, or on N×C)."""
        axis = node.attr("axis", "int", -1)
        if not -value.rank <= axis < value.rank:
            raise node.fail(_("axis={axis} is outside a tensor of {rank} axes").format(axis=axis, rank=value.rank))
        if axis % value.rank != value.rank - 1 or value.channels != value.rank - 1:
            self.refuse(_("LayerNormalization over more than the channel axis"), node)
            return None
        if node.input_name(2) is None:
            self.refuse(_("LayerNormalization without a bias"), node)
            return None
        sizes = {math.prod(self.weight(node, index)) for index in (1, 2)}
        if len(sizes) > 1:
            raise node.fail(_("its scale and bias have different sizes {sizes}").format(sizes=sorted(sizes)))
        self.expect(node, 1, sizes.pop())
        return _Layer({"layer_norm": {"epsilon": node.attr("epsilon", "float", 1e-5)}})

    def activation(self, node: _Node, value: _Value) -> _Layer:
        return _Layer({ACTIVATIONS[node.proto.op_type]: None})

    def passthrough(self, node: _Node, value: _Value) -> _Value:
        """Identity and Cast change no size: the tensor is the one they read."""
        return value

    def softmax(self, node: _Node, value: _Value) -> _Layer | None:
        axis = node.attr("axis", "int", 1 if self.opset < 13 else -1)
        if not -value.rank <= axis < value.rank:
            raise node.fail(_("axis={axis} is outside a tensor of {rank} axes").format(axis=axis, rank=value.rank))
        if axis % value.rank != value.channels and not (self.opset < 13 and value.rank <= 2):
            self.refuse(_("Softmax over an axis other than channels"), node)
            return None
        return _Layer({"log_softmax" if node.proto.op_type == "LogSoftmax" else "softmax": None})

    def hard_sigmoid(self, node: _Node, value: _Value) -> _Layer | None:
        alpha, beta = node.attr("alpha", "float", 0.2), node.attr("beta", "float", 0.5)
        if not (math.isclose(alpha, _HARD_SIGMOID[0], rel_tol=1e-6) and beta == _HARD_SIGMOID[1]):
            self.refuse(
                _("HardSigmoid with alpha={alpha:g}, beta={beta:g} (cnncalc's is relu6(x + 3)/6)").format(
                    alpha=alpha, beta=beta
                ),
                node,
            )
            return None
        return _Layer({"hard_sigmoid": None})

    def clip(self, node: _Node, value: _Value) -> _Layer | None:
        """Clip to [0, 6] is ReLU6 (how both exporters write nn.ReLU6: MobileNetV2), to [0, ∞) a ReLU; any
        other bounds are no activation of cnncalc's. Bounds are inputs from opset 11, attributes before."""
        if self.opset < _CLIP_INPUTS_OPSET:
            low, high = node.attr("min", "float", -math.inf), node.attr("max", "float", math.inf)
        else:
            bounds = [self.values(node, index, "bound") for index in (1, 2)]
            given = [b[0] if b is not None and len(b) == 1 else b for b in bounds]
            if any(isinstance(b, list) or (b is not None and not isinstance(b, int | float)) for b in given):
                raise node.fail(_("its bounds {given} must each be one number").format(given=given))
            low = -math.inf if given[0] is None else given[0]
            high = math.inf if given[1] is None else given[1]
        kind = {(0, 6): "relu6", (0, math.inf): "relu"}.get((low, high))
        if kind is None:
            self.refuse(_("Clip to [{low:g}, {high:g}] (cnncalc has ReLU6 and ReLU)").format(low=low, high=high), node)
            return None
        return _Layer({kind: None})

    def gelu(self, node: _Node, value: _Value) -> _Layer | None:
        if node.attr("approximate", "string", "none") != "none":
            self.refuse(_("Gelu with the tanh approximation"), node)
            return None
        return _Layer({"gelu": None})

    def leaky_relu(self, node: _Node, value: _Value) -> _Layer:
        return _Layer({"leaky_relu": {"alpha": node.attr("alpha", "float", 0.01)}})

    def elu(self, node: _Node, value: _Value) -> _Layer:
        return _Layer({"elu": {"alpha": node.attr("alpha", "float", 1.0)}})

    def prelu(self, node: _Node, value: _Value) -> _Layer:
        slopes = math.prod(self.weight(node, 1))
        if slopes > 1:
            self.expect(node, 1, slopes)
        return _Layer({"prelu": {"shared": slopes == 1}})

    def lrn(self, node: _Node, value: _Value) -> _Layer:
        args = {"size": node.attr("size", "int"), "alpha": node.attr("alpha", "float", 1e-4),
                "beta": node.attr("beta", "float", 0.75), "k": node.attr("bias", "float", 1.0)}  # fmt: skip
        return _Layer({"lrn": args})

    def concat(self, node: _Node, value: _Value) -> _Layer | _Value | None:
        axis = node.attr("axis", "int")
        sources = self.sources(node)
        if not -value.rank <= axis < value.rank:
            raise node.fail(_("axis={axis} is outside a tensor of {rank} axes").format(axis=axis, rank=value.rank))
        if any(i in self.weights for i in node.proto.input if i):
            self.refuse(_("Concat with a constant"), node)
            return None
        if axis % value.rank != value.channels or any((s.rank, s.last) != (value.rank, value.last) for s in sources):
            raise node.fail(_("Concat along axis {axis}; cnncalc concatenates channels (axis 1)").format(axis=axis))
        return value if len(sources) == 1 else _Layer({"concat": None})  # one input: torch.cat([x]) is x

    def merge(self, node: _Node, value: _Value) -> _Layer | _Value | None:
        constants = [i for i in node.proto.input if i in self.weights]
        sources = self.sources(node)
        if not constants:
            if any((s.rank, s.last) != (value.rank, value.last) for s in sources):
                self.refuse(
                    _("{op_type} of tensors with their channels on different axes").format(op_type=node.proto.op_type),
                    node,
                )
                return None
            return value if len(sources) == 1 else _Layer({MERGES[node.proto.op_type]: None})
        last = self.layers[-1] if self.layers else None
        linear = (last.get("dense") or last.get("pointwise_linear")) if last else None
        if (  # a bias added after MatMul: the dense layer's own bias, one value per unit
            node.proto.op_type == "Add"
            and last is not None
            and isinstance(linear, dict)
            and not linear["bias"]
            and [s.layer for s in sources] == [last["name"]]
            and len(constants) == 1
            and constants[0] not in self.filled
            and math.prod(self.weights[constants[0]]) == linear["units"]
        ):
            linear["bias"] = True
            return value
        scale = node.proto.op_type == "Mul" and len(constants) == 1 and self.per_channel(constants[0], value)
        if scale:
            self.expect(node, list(node.proto.input).index(constants[0]), math.prod(self.weights[constants[0]]))
            return _Layer({"layer_scale": None})
        if not scale:
            self.refuse(_("{op_type} with a constant").format(op_type=node.proto.op_type), node)
        return None

    def per_channel(self, constant: str, value: _Value) -> bool:
        """A learnt multiplier of one value per channel (layer scale): C values along the channel axis,
        (C,) or 1×…×C after a permute to N…C, C×1×1 or 1×C×1×1 on N×C×H×W."""
        dims = self.weights[constant]
        if constant in self.filled or math.prod(dims) <= 1 or len(dims) > value.rank:
            return False
        padded = (1,) * (value.rank - len(dims)) + dims
        return all(d == 1 for axis, d in enumerate(padded) if axis != value.channels)

    def flatten(self, node: _Node, value: _Value) -> _Layer:
        axis = node.attr("axis", "int", 1)
        if axis % max(value.rank, 1) != 1:
            raise node.fail(
                _("axis={axis}; cnncalc flattens everything after the batch axis (axis=1)").format(axis=axis)
            )
        return _Layer({"flatten": None}, rank=2, last=False)

    def squeeze(self, node: _Node, value: _Value) -> _Layer | None:
        """Squeezing the 1×1 spatial axes a global pool keeps leaves one value per channel: a flatten."""
        axes = self.axes(node, 1, value.rank)
        if axes is None or not value.spatial or tuple(axes) != value.spatial:
            self.refuse(_("Squeeze of axes other than the spatial ones"), node)
            return None
        return _Layer({"flatten": None}, rank=2, last=False)

    def transpose(self, node: _Node, value: _Value) -> _Value | None:
        """N×C×… ↔ N×…×C moves the channels without changing any size: the same layer, read differently."""
        perm = node.attr("perm", "ints", list(reversed(range(value.rank))))
        if sorted(perm) != list(range(value.rank)):
            raise node.fail(_("perm {perm} is not an order of the {rank} axes").format(perm=perm, rank=value.rank))
        rank = value.rank
        if value.view == "grouped" and perm == [0, 2, 1, *range(3, rank)]:
            return _Value(value.layer, rank, view="swapped", groups=value.groups)
        if perm == list(range(rank)) and not value.view:
            return value
        if (
            not value.view
            and rank > 2
            and perm == ([0, *range(2, rank), 1] if not value.last else [0, rank - 1, *range(1, rank - 1)])
        ):
            return _Value(value.layer, rank, last=not value.last)
        self.refuse(_("Transpose with perm {perm}").format(perm=perm), node)
        return None

    def reshape(self, node: _Node, value: _Value) -> _Layer | _Value | None:
        values = self.values(node, 1, "target shape")
        if values is None:
            raise node.fail(_("its target shape (input 1) is missing"))
        if values == [-1] and not value.view:  # everything, batch too, in one list: the start of an as_strided
            sizes = self.static_shape(node.input_name(0) or "")
            fixed = tuple(s for s in sizes if isinstance(s, int) and s > 0)
            if len(fixed) == len(sizes) == value.rank and fixed[0] == 1:
                self.flat[node.proto.output[0] if node.proto.output else ""] = (fixed, value)
                return _Value(value.layer, 1, view="flat")
            self.refuse(_("Reshape of the batch axis into the others"), node)
            return None
        if None in values[1:]:
            raise node.fail(
                _("its target shape {values} is computed from sizes the file does not fix").format(values=values),
                hint=_("export with a fixed input size, or make only the batch axis dynamic"),
            )
        target = _whole_numbers(values[1:], node, "target shape")  # after the batch axis
        if not target or any(v == 0 or v < -1 for v in target):
            raise node.fail(
                _("target shape {values}: cnncalc needs sizes after the batch axis, -1 for one of them").format(
                    values=values
                )
            )
        shuffle = self.shuffle(node, value, target)
        if shuffle is not None:
            return shuffle
        if len(target) == 1:
            return _Layer({"flatten": None} if target[0] == -1 else {"reshape": {"shape": target}}, rank=2, last=False)
        shape = target if value.last else target[1:] + target[:1]  # CHW → HWC
        return _Layer({"reshape": {"shape": shape}}, rank=len(target) + 1)

    def shuffle(self, node: _Node, value: _Value, target: list[int]) -> _Value | _Layer | None:
        """A channel shuffle as exporters write it: Reshape N×C×H×W → N×g×C/g×H×W, Transpose(0, 2, 1, 3, 4),
        Reshape back to N×C×H×W. The first two are views of one layer; the last is the shuffle."""
        if value.view == "swapped" and len(target) + 1 == value.rank - 1:
            return _Layer({"channel_shuffle": {"groups": value.groups}}, rank=value.rank - 1, last=False)
        if value.view:
            self.refuse(_("Reshape of channels split into groups (not a channel shuffle)"), node)
            return _UNKNOWN
        if not value.last and value.rank > 2 and len(target) == value.rank and target[0] > 0:
            return _Value(value.layer, value.rank + 1, view="grouped", groups=target[0])
        return None

    def pad(self, node: _Node, value: _Value) -> _Layer:
        if node.input_name(3) is not None:
            raise node.fail(_("it pads chosen axes (input 3); cnncalc reads pads for every axis"))
        given = self.values(node, 1, "pads")
        pads = _whole_numbers(given, node, "pads") if given is not None else node.attr("pads", "ints")
        half = len(pads) // 2
        if len(pads) % 2 or half < 3:
            raise node.fail(
                _("'pads' has {count} values; an N×C×… tensor with spatial axes needs 2 per axis").format(
                    count=len(pads)
                )
            )
        if any(pads[i] or pads[i + half] for i in (0, 1)):
            raise node.fail(
                _("pads {pads} pad the batch or channel axis; cnncalc pads spatial axes only").format(pads=pads)
            )
        return _Layer({"zero_pad": {"padding": [[pads[i], pads[i + half]] for i in range(2, half)]}})

    def resize(self, node: _Node, value: _Value) -> _Layer:
        if node.input_name(3) is not None:
            raise node.fail(_("it gives output sizes (input 3); cnncalc reads whole-number scales (input 2)"))
        scales = self.values(node, 2 if len(node.proto.input) > 2 else 1, "scales")  # opset 10: (X, scales)
        if scales is None or len(scales) < 3 or scales[0] != 1 or scales[1] != 1:
            raise node.fail(
                _("scales {scales}: cnncalc needs 1 for the batch and channel axes, then one per axis").format(
                    scales=scales
                )
            )
        factors = scales[2:]
        if not all(s is not None and math.isfinite(s) and s >= 1 and s == int(s) for s in factors):
            raise node.fail(_("scales {factors}: cnncalc scales by whole numbers ≥ 1").format(factors=factors))
        mode = node.attr("mode", "string", "nearest")
        if mode not in ("nearest", "linear"):
            raise node.fail(_("mode {mode!r}; cnncalc upsamples by nearest or linear").format(mode=mode))
        return _Layer({"upsample": {"scale": [int(s or 1) for s in factors], "mode": mode}})

    def split(self, node: _Node, value: _Value) -> _Value | None:
        """Split along channels: one slice layer per part, each reading the same input (ONNX's Split is
        several Slices). The sizes come from input 1, the 'split' attribute, or num_outputs equal parts."""
        axis = node.attr("axis", "int", 0)
        channels = self.channel_count(node, value)
        if not -value.rank <= axis < value.rank or axis % value.rank != value.channels or value.rank < 2:
            self.refuse(_("Split along an axis other than channels"), node)
            return None
        given = self.values(node, 1, "split sizes") if node.input_name(1) else node.attr("split", "ints", None)
        outputs = list(node.proto.output)
        if given is None:
            if channels is None or not outputs or channels % len(outputs):
                self.refuse(_("Split into equal parts of channels the file does not fix"), node)
                return None
            given = [channels // len(outputs)] * len(outputs)
        sizes = _whole_numbers(given, node, "split sizes")
        if len(sizes) != len(outputs) or any(n <= 0 for n in sizes):
            raise node.fail(
                _("it splits into sizes {sizes} for {count} outputs").format(sizes=sizes, count=len(outputs))
            )
        start = 0
        for index, (size, tensor) in enumerate(zip(sizes, outputs, strict=True)):
            name = f"{node.name}_{index}" if len(outputs) > 1 else node.name
            self.append(node, name, {"slice": {"start": start, "stop": start + size}}, [value.layer])
            if tensor:
                self.claim(node, tensor)
                self.producer[tensor] = _Value(name, value.rank, value.last)
            start += size
        return _PRODUCED

    def channel_slice(self, node: _Node, value: _Value) -> _Layer | None:
        """A Slice of channels [start, stop) with step 1 (x[:, a:b], torch.chunk as the legacy exporter writes it)."""
        starts, ends = self.values(node, 1, "starts"), self.values(node, 2, "ends")
        axes = self.values(node, 3, "axes") or [0]
        steps = self.values(node, 4, "steps") or [1]
        if starts is None or ends is None or not (len(starts) == len(ends) == len(axes) == len(steps) == 1):
            self.refuse(_("Slice of several axes"), node)
            return None
        if None in (starts[0], ends[0], axes[0], steps[0]):
            self.refuse(_("Slice whose bounds are computed from sizes the file does not fix"), node)
            return None
        start, end, axis, step = _whole_numbers([starts[0], ends[0], axes[0], steps[0]], node, "slice bounds")
        if not -value.rank <= axis < value.rank or axis % value.rank != value.channels or step != 1 or value.rank < 2:
            self.refuse(_("Slice along an axis other than channels, or with a step"), node)
            return None
        channels = self.channel_count(node, value)
        if channels is None and (start < 0 or end < 0 or end > 2**31):
            self.refuse(_("Slice from the end of channels the file does not fix"), node)
            return None
        start, end = slice(start, end).indices(channels if channels is not None else end)[:2]
        if start >= end:
            raise node.fail(_("it slices channels [{start}, {end}), which is empty").format(start=start, end=end))
        return _Layer({"slice": {"start": start, "stop": end}})

    def split_to_sequence(self, node: _Node, value: _Value) -> _Value | None:
        """torch.chunk as the dynamo exporter writes it unoptimised: SplitToSequence into chunks of a size,
        then SequenceAt of each; the parts become slice layers where SequenceAt picks them."""
        axis, channels = node.attr("axis", "int", 0), self.channel_count(node, value)
        if not -value.rank <= axis < value.rank or axis % value.rank != value.channels or value.rank < 2:
            self.refuse(_("SplitToSequence along an axis other than channels"), node)
            return None
        given = self.values(node, 1, "split sizes")
        sizes = _whole_numbers(given or [], node, "split sizes")
        if channels is None or not given or any(n <= 0 for n in sizes) or not node.attr("keepdims", "int", 1):
            self.refuse(_("SplitToSequence of channels the file does not fix, or into single channels"), node)
            return None
        if len(sizes) == 1:  # a chunk size: equal parts, the last smaller
            sizes = [min(sizes[0], channels - start) for start in range(0, channels, sizes[0])]
        starts = [sum(sizes[:i]) for i in range(len(sizes))]
        self.parts[node.proto.output[0] if node.proto.output else ""] = [
            (a, a + n) for a, n in zip(starts, sizes, strict=True)
        ]
        return _Value(value.layer, value.rank, value.last, view="sequence")

    def sequence_at(self, node: _Node, value: _Value) -> _Layer | None:
        parts = self.parts.get(node.input_name(0) or "")
        index = _whole_numbers(self.needed(node, 1, "position"), node, "position")
        if parts is None or len(index) != 1 or not -len(parts) <= index[0] < len(parts):
            raise node.fail(
                _("it picks part {index} of a sequence of {count} parts").format(index=index, count=len(parts or []))
            )
        start, stop = parts[index[0]]
        return _Layer({"slice": {"start": start, "stop": stop}}, last=value.last)

    def gather(self, node: _Node, value: _Value) -> _Value | None:
        """x.as_strided(x.shape, contiguous strides) as the dynamo exporter writes it after a global pool
        (torch 2.14's AdaptiveAvgPool2d(1)): Reshape(x, [-1]), then Gather of indices shaped like x. With one
        value per channel (every spatial size 1) any such indices only reorder channels: the sizes, counts
        and fields are x's. The index values live with the weights and are never read."""
        flat = self.flat.get(node.input_name(0) or "")
        indices = self.weights.get(node.input_name(1) or "")
        if flat is not None and node.attr("axis", "int", 0) == 0 and indices == flat[0]:
            sizes, original = flat
            if all(s == 1 for s in sizes[2:]) and not original.last:
                return original
        self.refuse(_("Gather of computed values (not a view of a pooled vector)"), node)
        return None

    def channel_count(self, node: _Node, value: _Value) -> int | None:
        """The channels of a node's input as onnx's shape inference finds them (None when it does not)."""
        sizes = self.static_shape(node.input_name(0) or "")
        size = sizes[value.channels] if len(sizes) == value.rank else None
        return size if isinstance(size, int) and size > 0 else None


_RULE_NAMES = "pkg.onnxscript.rewriter.rule_name"  # node metadata: the optimiser's rules that made the node
_BIAS_RULES = ("RemoveOptionalBiasFromConv", "RemoveOptionalBiasFromGemm")  # they drop an all-zero bias input


def _removed_bias(proto: Any) -> bool:
    """Whether the dynamo exporter's optimiser removed this Conv's or Gemm's bias, and the node has none now."""
    if proto.op_type not in ("Conv", "Gemm") or (len(proto.input) > 2 and proto.input[2]):
        return False
    rules = " ".join(p.value for p in proto.metadata_props if p.key == _RULE_NAMES)
    return any(rule in rules for rule in _BIAS_RULES)


def _divide(a: int | float | None, b: int | float | None) -> int | float | None:
    if a is None or b is None or b == 0:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return abs(a) // abs(b) * (1 if (a >= 0) == (b >= 0) else -1)  # ONNX integer Div truncates
    return a / b


def _combine(operation: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    return lambda a, b: None if a is None or b is None else operation(a, b)


_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "Add": _combine(lambda a, b: a + b), "Sub": _combine(lambda a, b: a - b),
    "Mul": _combine(lambda a, b: a * b), "Div": _divide,
}  # fmt: skip
_Fold = Callable[[_Converter, _Node], None]
_FOLDS: dict[str, _Fold] = {
    "Constant": _Converter.fold_constant, "Identity": _Converter.fold_alias, "Cast": _Converter.fold_alias,
    "Transpose": _Converter.fold_transpose, "Unsqueeze": _Converter.fold_shape_change,
    "Squeeze": _Converter.fold_shape_change, "Reshape": _Converter.fold_shape_change,
    "Gather": _Converter.fold_gather, "Shape": _Converter.fold_shape,
    "Expand": _Converter.fold_expand, "Concat": _Converter.fold_concat, "Slice": _Converter.fold_slice,
    **dict.fromkeys(_ARITHMETIC, _Converter.fold_arithmetic),
}  # fmt: skip
_Handler = Callable[[_Converter, _Node, _Value], "_Layer | _Value | None"]
_HANDLERS: dict[str, _Handler] = {
    "Conv": _Converter.conv, "ConvTranspose": _Converter.conv_transpose, "MaxPool": _Converter.pool,
    "AveragePool": _Converter.pool, "GlobalAveragePool": _Converter.global_pool,
    "GlobalMaxPool": _Converter.global_pool, "ReduceMean": _Converter.reduce_mean, "Gemm": _Converter.gemm,
    "MatMul": _Converter.matmul, "BatchNormalization": _Converter.batch_norm,
    "LayerNormalization": _Converter.layer_norm, "LeakyRelu": _Converter.leaky_relu, "Elu": _Converter.elu,
    "PRelu": _Converter.prelu, "LRN": _Converter.lrn, "Concat": _Converter.concat, "Flatten": _Converter.flatten,
    "Reshape": _Converter.reshape, "Pad": _Converter.pad, "Resize": _Converter.resize,
    "Transpose": _Converter.transpose, "Squeeze": _Converter.squeeze, "Identity": _Converter.passthrough,
    "Cast": _Converter.passthrough, "Softmax": _Converter.softmax, "LogSoftmax": _Converter.softmax,
    "HardSigmoid": _Converter.hard_sigmoid, "Gelu": _Converter.gelu, "Clip": _Converter.clip, "Split": _Converter.split,
    "Slice": _Converter.channel_slice, "SplitToSequence": _Converter.split_to_sequence,
    "SequenceAt": _Converter.sequence_at, "Shape": _Converter.passthrough, "Gather": _Converter.gather,
    **dict.fromkeys(ACTIVATIONS, _Converter.activation), **dict.fromkeys(MERGES, _Converter.merge),
}  # fmt: skip


def read_onnx(
    path: Path, limits: Limits = DEFAULT_LIMITS, *, input_given: bool = False
) -> tuple[dict[str, Any], tuple[Callable[[Any], None], ...]]:
    """The spec document of an ONNX model file (`input_given`: --input replaces a dynamic input size),
    and the check of its weights against the built graph (see `WeightsFit`)."""
    try:
        import onnx
    except ImportError:
        raise SpecError(_("reading ONNX files needs the onnx package"), hint="pip install 'cnncalc[onnx]'") from None
    data = read_limited(
        path,
        limits.max_model_bytes,
        what=_("ONNX model"),
        hint=_("raise {variable} if the model really is that large").format(variable="CNNCALC_MAX_MODEL_BYTES"),
    )
    model = _parse(onnx.ModelProto, data, str(path))
    opset = next((o.version for o in model.opset_import if o.domain in _DEFAULT_DOMAINS), 1)
    light = functools.cache(lambda: _without_weight_data(model))  # copied once, when a Shape node first asks
    converter = _Converter(model.graph, str(path), opset, lambda known: _inferred_shapes(onnx, light(), known))
    document = converter.convert(input_given)
    return document, ((WeightsFit(converter.expected),) if converter.expected else ())


@dataclass(frozen=True)
class WeightsFit:
    """Refuse weights made for another input: cnncalc counts from the graph, the file holds other
    numbers. Called with the built graph (cnncalc.graph.Graph), whose shapes it reads."""

    expected: Mapping[str, _Expected]

    def __call__(self, graph: Any) -> None:
        for node in graph.nodes:
            check = self.expected.get(node.name)
            problem = check.problem(graph.input_shapes(node)[0]) if check else None
            if problem is not None:
                raise problem


def _inferred_shapes(onnx: Any, model: Any, known: Mapping[str, tuple[tuple[int, ...], _Known]]) -> dict[str, _Known]:
    """Every tensor's static sizes as onnx's shape inference finds them (None for a symbolic size), with the
    integer constants cnncalc computed (`known`: name → dims and values) stored in place of the nodes that
    compute them. It reads dims, never weight data; what it cannot infer stays unknown and the node needing
    it is refused."""
    try:  # data_prop: sizes that Shape → Gather → Concat → Reshape compute (an unfolded legacy export's
        inferred = onnx.shape_inference.infer_shapes(_with_constants(onnx, model, known), data_prop=True)
    except Exception:  # onnx raises several types; without its shapes, sizes stay unknown
        return {}
    shapes: dict[str, _Known] = {}
    for value in (*inferred.graph.value_info, *inferred.graph.output):
        if value.type.WhichOneof("value") == "tensor_type" and value.type.tensor_type.HasField("shape"):
            dims = value.type.tensor_type.shape.dim
            shapes[value.name] = tuple(d.dim_value if d.WhichOneof("value") == "dim_value" else None for d in dims)
    return shapes


def _without_weight_data(model: Any) -> Any:
    """A copy of `model` whose initializers of more than a few values keep their dims and type, not their
    data: shape inference needs no more of them, and each inference copies the model it is given."""
    light = type(model)()
    light.CopyFrom(model)
    for tensor in light.graph.initializer:
        if math.prod(tensor.dims) > _MAX_VALUES:
            for field in ("raw_data", *(field for _, field in _VALUE_TYPES.values())):
                tensor.ClearField(field)
            tensor.data_location = _EXTERNAL  # a placeholder: shape inference never reads it
    return light


def _with_constants(onnx: Any, model: Any, known: Mapping[str, tuple[tuple[int, ...], _Known]]) -> Any:
    """`model` with each of the `known` tensors an int64 initializer instead of a node's output; the nodes
    computing only such tensors are left out (a name is computed once in ONNX)."""
    if not known:
        return model
    changed = type(model)()
    changed.CopyFrom(model)
    kept = [n for n in model.graph.node if not n.output or not all(o in known for o in n.output)]
    del changed.graph.node[:]
    changed.graph.node.extend(kept)
    for name, (dims, values) in known.items():
        changed.graph.initializer.append(onnx.helper.make_tensor(name, onnx.TensorProto.INT64, dims, values))
    return changed


def _parse(model_type: Any, data: bytes, source: str) -> Any:
    """Parse the protobuf from bytes: unlike onnx.load, this never follows external-data paths."""
    from google.protobuf.message import Error as ProtobufError  # type: ignore[import-untyped]

    model = model_type()
    try:
        model.ParseFromString(data)
    except ProtobufError as exc:
        problem = str(exc)
    else:
        if model.HasField("graph"):
            return model
        problem = _("it has no graph")
    raise SpecError(
        _("not a readable ONNX model ({problem})").format(problem=problem),
        location=Location(file=source),
        hint=_("check that the file is complete, or export it again with torch.onnx.export / onnx.save"),
    )
