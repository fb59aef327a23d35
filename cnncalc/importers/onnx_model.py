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

import math
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cnncalc.errors import Location, SpecError, ValidationSpecError
from cnncalc.importers import located
from cnncalc.limits import DEFAULT_LIMITS, Limits
from cnncalc.reading import read_limited

ACTIVATIONS = {
    "Relu": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh", "Softplus": "softplus", "Softsign": "softsign",
    "Selu": "selu", "HardSwish": "hard_swish", "Mish": "mish", "Gelu": "gelu", "Identity": "identity",
    "Dropout": "dropout", "Softmax": "softmax",
}  # fmt: skip
MERGES = {"Add": "add", "Sum": "add", "Mul": "multiply", "Sub": "subtract", "Max": "maximum", "Min": "minimum",
          "Mean": "average"}  # fmt: skip
_DEFAULT_DOMAINS = ("", "ai.onnx")  # a Conv in another domain (com.microsoft, …) is another operator
_MAX_VALUES = 64  # Reshape targets, pads and scales are a handful of numbers
_EXTERNAL = 1  # TensorProto.DataLocation.EXTERNAL
# AttributeProto.AttributeType codes of the ONNX standard → the field that holds the value
_ATTRIBUTE_KINDS = {
    "int": (2, "i", "an integer"),
    "ints": (7, "ints", "a list of integers"),
    "float": (1, "f", "a number"),
    "string": (3, "s", "a string"),
}
# TensorProto.DataType codes → how raw_data packs one value, and the typed field otherwise
_VALUE_TYPES = {1: ("f", "float_data"), 6: ("i", "int32_data"), 7: ("q", "int64_data"), 11: ("d", "double_data")}
_FOLDING_HINT = "export with constant folding (torch.onnx.export(..., do_constant_folding=True))"
_REQUIRED = object()


@dataclass(frozen=True)
class _Node:
    """One graph node with its attributes by name; every read checks the type the standard gives."""

    proto: Any
    name: str
    source: str
    attributes: Mapping[str, Any]

    def fail(self, message: str, hint: str | None = None) -> ValidationSpecError:
        where = Location(file=self.source, layer=self.name)
        return ValidationSpecError(f"ONNX {self.proto.op_type} node: {message}", location=where, hint=hint)

    def attr(self, key: str, kind: str, default: Any = _REQUIRED) -> Any:
        attribute = self.attributes.get(key)
        if attribute is None:
            if default is _REQUIRED:
                raise self.fail(f"the attribute '{key}' is missing", hint="the ONNX operator requires it")
            return default
        code, field, label = _ATTRIBUTE_KINDS[kind]
        if attribute.type != code:
            raise self.fail(f"the attribute '{key}' must be {label}")
        value = getattr(attribute, field)
        if kind == "ints":
            return list(value)
        return value.decode("utf-8", "replace") if kind == "string" else value

    def per_axis(self, key: str, ndim: int, default: int) -> list[int]:
        values = self.attr(key, "ints", [default] * ndim)
        if len(values) != ndim:
            raise self.fail(f"'{key}' has {len(values)} values, but the window has {ndim} axes")
        return values

    def input_name(self, index: int) -> str | None:
        """The name of input `index`, or None when it is absent (ONNX writes '' for a skipped optional)."""
        return self.proto.input[index] if len(self.proto.input) > index and self.proto.input[index] else None


def _node(proto: Any, index: int, source: str) -> _Node:
    name = proto.name or f"{proto.op_type.lower() or 'node'}_{index}"
    attributes: dict[str, Any] = {}
    for attribute in proto.attribute:
        if attribute.name in attributes:
            raise _Node(proto, name, source, {}).fail(f"the attribute '{attribute.name}' is given twice")
        attributes[attribute.name] = attribute
    return _Node(proto, name, source, attributes)


def _tensor_values(tensor: Any, node: _Node, what: str) -> list[int | float]:
    """The values of a small tensor stored in the file itself; external data is never opened."""
    if tensor.data_location == _EXTERNAL:
        raise node.fail(
            f"its {what} {tensor.name!r} is stored in an external file, which cnncalc does not open",
            hint="save the model with small tensors inside it (onnx.save(..., size_threshold=1024))",
        )
    if any(d < 0 for d in tensor.dims) or len(tensor.dims) > 1 or math.prod(tensor.dims) > _MAX_VALUES:
        raise node.fail(f"its {what} {tensor.name!r} has shape {list(tensor.dims)}; expected a short list")
    layout = _VALUE_TYPES.get(tensor.data_type)
    if layout is None:
        raise node.fail(f"its {what} {tensor.name!r} has ONNX data type {tensor.data_type}, not float or int")
    count, (code, field) = math.prod(tensor.dims), layout
    if tensor.HasField("raw_data"):
        if len(tensor.raw_data) != count * struct.calcsize(code):
            raise node.fail(f"its {what} {tensor.name!r} holds {len(tensor.raw_data)} bytes for {count} values")
        return list(struct.unpack(f"<{count}{code}", tensor.raw_data))
    values = list(getattr(tensor, field))
    if len(values) != count:
        raise node.fail(f"its {what} {tensor.name!r} holds {len(values)} values for shape {list(tensor.dims)}")
    return values


def _whole_numbers(values: list[int | float], node: _Node, what: str) -> list[int]:
    if not all(isinstance(v, int) for v in values):
        raise node.fail(f"its {what} must be integers, got {values}")
    return [int(v) for v in values]


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
        what = "values" if self.whole else "channels"
        shown = "×".join(map(str, shape))
        return self.node.fail(
            f"its weight {self.weight!r} of shape {list(self.dims)} is for {self.size} input {what}, but the layer "
            f"receives {shown}",
            hint="the model's weights do not fit its graph; export it again",
        )


class _Converter:
    def __init__(self, graph: Any, source: str) -> None:
        self.graph = graph
        self.source = source
        self.tensors: dict[str, Any] = {}  # dense initializers, whose few values some operators need
        self.weights: dict[str, tuple[int, ...]] = {}  # every initializer's dims: all a weight contributes
        self.producer: dict[str, str] = {}  # tensor → the layer computing it ("" for an unsupported node)
        self.layers: list[dict[str, Any]] = []
        self.unsupported: list[str] = []
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
                    f"the graph has two initializers named {name!r}" if name else "an initializer has no name"
                )
            self.weights[name] = dims
            if tensor is not None:
                self.tensors[name] = tensor

    def input_entry(self, input_given: bool) -> str | None:
        inputs = [i for i in self.graph.input if i.name not in self.weights]
        if len(inputs) != 1:
            names = ", ".join(repr(i.name) for i in inputs)
            raise self.fail(f"expected one graph input, found {len(inputs)}{': ' + names if names else ''}")
        value = inputs[0]
        if not value.name or value.type.WhichOneof("value") != "tensor_type":
            raise self.fail(f"the graph input {value.name!r} is not a named tensor")
        dims = [d.dim_value if d.WhichOneof("value") == "dim_value" else 0 for d in value.type.tensor_type.shape.dim]
        self.producer[value.name] = "input"
        sizes = dims[1:]  # after the batch axis
        if sizes and all(d > 0 for d in sizes):
            return "x".join(map(str, sizes[1:] + sizes[:1]))  # NCHW → HWC
        if input_given:
            return None
        raise self.fail(
            f"the input {value.name!r} needs fixed sizes after the batch axis, got {dims}",
            hint="pass --input (channels last, e.g. 32x32x3)",
        )

    def convert(self, input_given: bool) -> dict[str, Any]:
        document: dict[str, Any] = {"name": Path(self.source).stem}
        shape = self.input_entry(input_given)
        if shape is not None:
            document["input"] = shape
        if not self.graph.node:
            raise self.fail("the ONNX graph has no nodes")
        for index, proto in enumerate(self.graph.node):
            self.add(_node(proto, index, self.source))
        if self.unsupported:
            raise ValidationSpecError(
                f"unsupported ONNX operator(s): {', '.join(self.unsupported)}",
                location=Location(file=self.source),
                hint="cnncalc reads Conv, ConvTranspose, Gemm/MatMul, pools, BatchNormalization, activations, "
                "Concat, Add, Mul, Sub, Flatten, Reshape, Pad, Resize, LRN",
            )
        document["layers"] = self.layers
        document["outputs"] = self.outputs()
        return document

    def add(self, node: _Node) -> None:
        op_type = node.proto.op_type
        handler = _HANDLERS.get(op_type) if node.proto.domain in _DEFAULT_DOMAINS else None
        if handler is None:
            label = op_type if node.proto.domain in _DEFAULT_DOMAINS else f"{node.proto.domain}.{op_type}"
            self.unsupported.append(f"{label} ({node.name})")
            return self.produce(node, "")
        sources = self.sources(node)
        if "" in sources:  # reads an unsupported node's result: that node is already reported
            return self.produce(node, "")
        if len(sources) != 1 and not (op_type in MERGES or op_type == "Concat"):
            raise node.fail(f"it reads {len(sources)} computed tensors; {op_type} reads one (the rest initializers)")
        result = handler(self, node)
        if result is None or isinstance(result, str):  # unsupported, or folded into an earlier layer
            return self.produce(node, result or "")
        if any(layer["name"] == node.name for layer in self.layers):
            raise node.fail("another node has the same name", hint="node names must be unique")
        where = Location(file=self.source, layer=node.name)
        self.layers.append(located({"name": node.name, **result, "inputs": sources}, where))
        return self.produce(node, node.name)

    def sources(self, node: _Node) -> list[str]:
        """The layers computing this node's data inputs (inputs that are not initializers)."""
        data = [i for i in node.proto.input if i and i not in self.weights]
        if not data:
            raise node.fail("it reads no tensor but initializers")
        for name in data:
            if name not in self.producer:
                raise node.fail(
                    f"it reads {name!r}, which is neither the graph input, an initializer nor the output of an "
                    "earlier node",
                    hint="ONNX lists nodes in order, each after the nodes it reads; the graph may have a cycle",
                )
        return [self.producer[name] for name in data]

    def produce(self, node: _Node, layer: str) -> None:
        if not node.proto.output or not node.proto.output[0]:
            raise node.fail("it has no output")
        tensor = node.proto.output[0]  # the others (pool indices, dropout masks) are not layers
        if tensor in self.producer:
            raise node.fail(f"its output {tensor!r} is also computed by {self.producer[tensor] or 'another node'!r}")
        self.producer[tensor] = layer

    def outputs(self) -> list[str]:
        if not self.graph.output:
            raise self.fail("the ONNX graph declares no output")
        missing = [o.name for o in self.graph.output if o.name not in self.producer]
        if missing:
            raise self.fail(f"the graph output {missing[0]!r} is computed by no node")
        return [self.producer[o.name] for o in self.graph.output]

    def weight(self, node: _Node, index: int, rank: int | None = None, min_rank: int = 1) -> tuple[int, ...]:
        """The dims of the initializer at input `index`: the only thing a weight contributes."""
        name = node.input_name(index)
        if name is None:
            raise node.fail(f"its weight (input {index}) is missing")
        dims = self.weights.get(name)
        if dims is None:
            raise node.fail(f"its weight {name!r} is not an initializer of the graph", hint=_FOLDING_HINT)
        if (rank is not None and len(dims) != rank) or len(dims) < min_rank:
            expected = f"{rank}" if rank is not None else f"at least {min_rank}"
            raise node.fail(f"its weight {name!r} has shape {list(dims)}, but {expected} axes are expected")
        if any(d <= 0 for d in dims):
            raise node.fail(f"its weight {name!r} has shape {list(dims)}; every size must be positive")
        return dims

    def values(self, node: _Node, index: int, what: str) -> list[int | float] | None:
        name = node.input_name(index)
        if name is None:
            return None
        if name not in self.tensors:
            raise node.fail(f"its {what} {name!r} is not a constant stored in the file", hint=_FOLDING_HINT)
        return _tensor_values(self.tensors[name], node, what)

    # -- operators -----------------------------------------------------------------------------
    def conv(self, node: _Node) -> dict[str, Any]:
        return {"conv": self._conv_args(node, transposed=False)}

    def conv_transpose(self, node: _Node) -> dict[str, Any]:
        args = self._conv_args(node, transposed=True)
        if "output_shape" in node.attributes:
            raise node.fail("'output_shape' is set; cnncalc computes the size from pads and output_padding")
        output_padding = node.per_axis("output_padding", len(args["kernel"]), 0)
        if any(output_padding):
            args["output_padding"] = output_padding
        return {"conv_transpose": args}

    def expect(self, node: _Node, index: int, size: int, whole: bool = False) -> None:
        name = node.input_name(index) or ""
        self.expected[node.name] = _Expected(node, name, self.weights[name], size, whole)

    def _conv_args(self, node: _Node, transposed: bool) -> dict[str, Any]:
        dims = self.weight(node, 1, min_rank=3)
        kernel = list(dims[2:])
        if node.attr("kernel_shape", "ints", kernel) != kernel:
            raise node.fail(f"kernel_shape {node.attr('kernel_shape', 'ints')} disagrees with its weight's {kernel}")
        groups = node.attr("group", "int", 1)
        if groups < 1:
            raise node.fail(f"group={groups}; it must be at least 1")
        ndim = len(kernel)
        self.expect(node, 1, dims[0] if transposed else dims[1] * groups)  # ONNX: C_in×C_out/g or C_out×C_in/g
        return {
            "filters": dims[1] * groups if transposed else dims[0],
            "kernel": kernel,
            "groups": groups,
            "stride": node.per_axis("strides", ndim, 1),
            "dilation": node.per_axis("dilations", ndim, 1),
            "padding": self._padding(node, ndim),
            "bias": node.input_name(2) is not None,
        }

    @staticmethod
    def _padding(node: _Node, ndim: int) -> Any:
        auto = node.attr("auto_pad", "string", "NOTSET")
        if auto in ("SAME_UPPER", "SAME_LOWER"):
            return "same"
        if auto == "VALID":
            return "valid"
        if auto != "NOTSET":
            raise node.fail(f"auto_pad {auto!r} is not NOTSET, SAME_UPPER, SAME_LOWER or VALID")
        pads = node.attr("pads", "ints", [0] * 2 * ndim)
        if len(pads) != 2 * ndim:
            raise node.fail(f"'pads' has {len(pads)} values; {ndim} axes need {2 * ndim} (all begins, then all ends)")
        return [[pads[i], pads[i + ndim]] for i in range(ndim)]

    def pool(self, node: _Node) -> dict[str, Any]:
        kind = "max_pool" if node.proto.op_type == "MaxPool" else "avg_pool"
        kernel = node.attr("kernel_shape", "ints")
        ndim = len(kernel)
        if not ndim:
            raise node.fail("kernel_shape is empty")
        args: dict[str, Any] = {"kernel": kernel, "stride": node.per_axis("strides", ndim, 1)}
        args["padding"] = self._padding(node, ndim)
        args["ceil_mode"] = bool(node.attr("ceil_mode", "int", 0))
        dilation = node.per_axis("dilations", ndim, 1)
        if any(d != 1 for d in dilation):
            args["dilation"] = dilation
        if kind == "avg_pool":
            args["count_include_pad"] = bool(node.attr("count_include_pad", "int", 0))
        return {kind: args}

    def global_pool(self, node: _Node) -> dict[str, Any]:
        kind = "global_max_pool" if node.proto.op_type == "GlobalMaxPool" else "global_avg_pool"
        return {kind: {"keepdims": True}}

    def gemm(self, node: _Node) -> dict[str, Any]:
        dims = self.weight(node, 1, rank=2)
        if node.attr("transA", "int", 0):
            raise node.fail("transA=1 multiplies a transposed input, which is not a dense layer")
        transposed = node.attr("transB", "int", 0)
        units, features = (dims[0], dims[1]) if transposed else (dims[1], dims[0])
        self.expect(node, 1, features, whole=True)
        return {"dense": {"units": units, "bias": node.input_name(2) is not None}}

    def matmul(self, node: _Node) -> dict[str, Any]:
        dims = self.weight(node, 1, rank=2)
        self.expect(node, 1, dims[0], whole=True)  # MatMul on a volume acts on its last axis: refused then
        return {"dense": {"units": dims[1], "bias": False}}

    def batch_norm(self, node: _Node) -> dict[str, Any]:
        sizes = {self.weight(node, index, rank=1)[0] for index in range(1, 5)}  # scale, bias, mean, variance
        if len(sizes) > 1:
            raise node.fail(f"its scale, bias, mean and variance have different lengths {sorted(sizes)}")
        self.expect(node, 1, sizes.pop())
        return {"batch_norm": {"epsilon": node.attr("epsilon", "float", 1e-5)}}

    def activation(self, node: _Node) -> dict[str, Any]:
        return {ACTIVATIONS[node.proto.op_type]: None}

    def leaky_relu(self, node: _Node) -> dict[str, Any]:
        return {"leaky_relu": {"alpha": node.attr("alpha", "float", 0.01)}}

    def elu(self, node: _Node) -> dict[str, Any]:
        return {"elu": {"alpha": node.attr("alpha", "float", 1.0)}}

    def prelu(self, node: _Node) -> dict[str, Any]:
        slopes = math.prod(self.weight(node, 1))
        if slopes > 1:
            self.expect(node, 1, slopes)
        return {"prelu": {"shared": slopes == 1}}

    def lrn(self, node: _Node) -> dict[str, Any]:
        return {"lrn": {"size": node.attr("size", "int"), "alpha": node.attr("alpha", "float", 1e-4),
                        "beta": node.attr("beta", "float", 0.75), "k": node.attr("bias", "float", 1.0)}}  # fmt: skip

    def concat(self, node: _Node) -> dict[str, Any]:
        axis = node.attr("axis", "int")
        if axis != 1:
            raise node.fail(f"Concat along axis {axis}; cnncalc concatenates channels (axis 1)")
        return {"concat": None}

    def merge(self, node: _Node) -> dict[str, Any] | str | None:
        constants = [i for i in node.proto.input if i in self.weights]
        if not constants:
            return {MERGES[node.proto.op_type]: None}
        last = self.layers[-1] if self.layers else None
        dense = last.get("dense") if last else None
        data = [i for i in node.proto.input if i and i not in self.weights]
        if (  # a bias added after MatMul: the dense layer's own bias, one value per unit
            node.proto.op_type == "Add"
            and last is not None
            and isinstance(dense, dict)
            and not dense["bias"]
            and [self.producer[i] for i in data] == [last["name"]]
            and len(constants) == 1
            and math.prod(self.weights[constants[0]]) == dense["units"]
        ):
            dense["bias"] = True
            return str(last["name"])
        self.unsupported.append(f"{node.proto.op_type} with a constant ({node.name})")
        return None

    def flatten(self, node: _Node) -> dict[str, Any]:
        axis = node.attr("axis", "int", 1)
        if axis != 1:
            raise node.fail(f"axis={axis}; cnncalc flattens everything after the batch axis (axis=1)")
        return {"flatten": None}

    def reshape(self, node: _Node) -> dict[str, Any]:
        values = self.values(node, 1, "target shape")
        if values is None:
            raise node.fail("its target shape (input 1) is missing")
        target = _whole_numbers(values, node, "target shape")[1:]  # after the batch axis
        if not target or any(v == 0 or v < -1 for v in target):
            raise node.fail(f"target shape {values}: cnncalc needs sizes after the batch axis, -1 for one of them")
        if len(target) == 1:
            return {"flatten": None} if target[0] == -1 else {"reshape": {"shape": target}}
        return {"reshape": {"shape": target[1:] + target[:1]}}  # CHW → HWC

    def pad(self, node: _Node) -> dict[str, Any]:
        if node.input_name(3) is not None:
            raise node.fail("it pads chosen axes (input 3); cnncalc reads pads for every axis")
        given = self.values(node, 1, "pads")
        pads = _whole_numbers(given, node, "pads") if given is not None else node.attr("pads", "ints")
        half = len(pads) // 2
        if len(pads) % 2 or half < 3:
            raise node.fail(f"'pads' has {len(pads)} values; an N×C×… tensor with spatial axes needs 2 per axis")
        if any(pads[i] or pads[i + half] for i in (0, 1)):
            raise node.fail(f"pads {pads} pad the batch or channel axis; cnncalc pads spatial axes only")
        return {"zero_pad": {"padding": [[pads[i], pads[i + half]] for i in range(2, half)]}}

    def resize(self, node: _Node) -> dict[str, Any]:
        if node.input_name(3) is not None:
            raise node.fail("it gives output sizes (input 3); cnncalc reads whole-number scales (input 2)")
        scales = self.values(node, 2 if len(node.proto.input) > 2 else 1, "scales")  # opset 10: (X, scales)
        if scales is None or len(scales) < 3 or scales[0] != 1 or scales[1] != 1:
            raise node.fail(f"scales {scales}: cnncalc needs 1 for the batch and channel axes, then one per axis")
        factors = scales[2:]
        if not all(math.isfinite(s) and s >= 1 and s == int(s) for s in factors):
            raise node.fail(f"scales {factors}: cnncalc scales by whole numbers ≥ 1")
        mode = node.attr("mode", "string", "nearest")
        if mode not in ("nearest", "linear"):
            raise node.fail(f"mode {mode!r}; cnncalc upsamples by nearest or linear")
        return {"upsample": {"scale": [int(s) for s in factors], "mode": mode}}


_Handler = Callable[[_Converter, _Node], "dict[str, Any] | str | None"]
_HANDLERS: dict[str, _Handler] = {
    "Conv": _Converter.conv, "ConvTranspose": _Converter.conv_transpose, "MaxPool": _Converter.pool,
    "AveragePool": _Converter.pool, "GlobalAveragePool": _Converter.global_pool,
    "GlobalMaxPool": _Converter.global_pool, "Gemm": _Converter.gemm, "MatMul": _Converter.matmul,
    "BatchNormalization": _Converter.batch_norm, "LeakyRelu": _Converter.leaky_relu, "Elu": _Converter.elu,
    "PRelu": _Converter.prelu, "LRN": _Converter.lrn, "Concat": _Converter.concat, "Flatten": _Converter.flatten,
    "Reshape": _Converter.reshape, "Pad": _Converter.pad, "Resize": _Converter.resize,
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
        raise SpecError("reading ONNX files needs the onnx package", hint="pip install 'cnncalc[onnx]'") from None
    data = read_limited(
        path,
        limits.max_model_bytes,
        what="ONNX model",
        hint="raise CNNCALC_MAX_MODEL_BYTES if the model really is that large",
    )
    model = _parse(onnx.ModelProto, data, str(path))
    converter = _Converter(model.graph, str(path))
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
        problem = "it has no graph"
    raise SpecError(
        f"not a readable ONNX model ({problem})",
        location=Location(file=source),
        hint="check that the file is complete, or export it again with torch.onnx.export / onnx.save",
    )
