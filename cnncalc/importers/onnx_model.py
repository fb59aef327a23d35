"""ONNX → spec document (needs the `onnx` package: pip install 'cnncalc[onnx]')."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from cnncalc.errors import Location, SpecError, ValidationSpecError

ACTIVATIONS = {
    "Relu": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh", "Softplus": "softplus", "Softsign": "softsign",
    "Selu": "selu", "HardSwish": "hard_swish", "Mish": "mish", "Gelu": "gelu", "Identity": "identity",
    "Dropout": "dropout",
}  # fmt: skip


def _attributes(node: Any) -> dict[str, Any]:
    import onnx

    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _pairs(pads: list[int] | None, ndim: int) -> list[list[int]]:
    """ONNX pads are [b1, b2, …, e1, e2, …]."""
    pads = list(pads or [0] * 2 * ndim)
    return [[pads[i], pads[i + ndim]] for i in range(ndim)]


class _Converter:
    def __init__(self, model: Any, source: str) -> None:
        import onnx

        self.onnx = onnx
        self.graph = model.graph
        self.source = source
        self.initializers = {t.name: onnx.numpy_helper.to_array(t) for t in self.graph.initializer}
        self.producer: dict[str, str] = {}  # tensor → layer name
        self.layers: list[dict[str, Any]] = []
        self.unsupported: list[str] = []

    def input_entry(self) -> str:
        inputs = [i for i in self.graph.input if i.name not in self.initializers]
        if len(inputs) != 1:
            raise ValidationSpecError(f"{self.source}: expected one graph input, found {len(inputs)}")
        dims = [d.dim_value for d in inputs[0].type.tensor_type.shape.dim][1:]
        if not dims or any(d <= 0 for d in dims):
            raise ValidationSpecError(f"{self.source}: the input needs fixed sizes, got {dims}", hint="pass --input")
        self.producer[inputs[0].name] = "input"
        shape = dims[1:] + dims[:1] if len(dims) > 1 else dims  # NCHW → HWC
        return "x".join(map(str, shape))

    def convert(self) -> dict[str, Any]:
        document: dict[str, Any] = {"name": Path(self.source).stem, "input": self.input_entry()}
        for index, node in enumerate(self.graph.node):
            handler = getattr(self, f"op_{node.op_type}", None)
            if handler is None and node.op_type not in ACTIVATIONS:
                self.unsupported.append(f"{node.op_type} ({node.name or f'node {index}'})")
                continue
            name = node.name or f"{node.op_type.lower()}_{index}"
            entry = handler(node, _attributes(node)) if handler else self.activation(node)
            if entry is None:
                continue
            data_inputs = [i for i in node.input if i and i not in self.initializers]
            entry = {"name": name, **entry, "inputs": [self.producer[i] for i in data_inputs if i in self.producer]}
            self.layers.append(entry)
            for output in node.output[:1]:
                self.producer[output] = name
        if self.unsupported:
            raise ValidationSpecError(
                f"unsupported ONNX operator(s): {', '.join(self.unsupported)}",
                location=Location(file=self.source),
                hint="cnncalc reads Conv, ConvTranspose, Gemm/MatMul, pools, BatchNormalization, activations, "
                "Concat, Add, Mul, Sub, Flatten, Reshape, Pad, Resize, LRN",
            )
        document["layers"] = self.layers
        document["outputs"] = [self.producer[o.name] for o in self.graph.output]
        return document

    def weight(self, node: Any, index: int) -> Any:
        return self.initializers[node.input[index]] if len(node.input) > index and node.input[index] else None

    def activation(self, node: Any) -> dict[str, Any]:
        return {ACTIVATIONS[node.op_type]: None}

    def op_Conv(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any]:
        return {"conv": self._conv_args(node, attrs, transposed=False)}

    def op_ConvTranspose(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any]:
        args = self._conv_args(node, attrs, transposed=True)
        if attrs.get("output_padding"):
            args["output_padding"] = list(attrs["output_padding"])
        return {"conv_transpose": args}

    def _conv_args(self, node: Any, attrs: dict[str, Any], transposed: bool) -> dict[str, Any]:
        weight = self.weight(node, 1)
        kernel = list(attrs.get("kernel_shape") or weight.shape[2:])
        ndim = len(kernel)
        groups = attrs.get("group", 1)
        filters = weight.shape[1] * groups if transposed else weight.shape[0]
        args: dict[str, Any] = {"filters": int(filters), "kernel": kernel, "groups": groups}
        args["stride"] = list(attrs.get("strides", [1] * ndim))
        args["dilation"] = list(attrs.get("dilations", [1] * ndim))
        args["padding"] = self._padding(attrs, ndim)
        args["bias"] = self.weight(node, 2) is not None
        return args

    @staticmethod
    def _padding(attrs: dict[str, Any], ndim: int) -> Any:
        auto = attrs.get("auto_pad", b"NOTSET")
        auto = auto.decode() if isinstance(auto, bytes) else auto
        if auto in ("SAME_UPPER", "SAME_LOWER"):
            return "same"
        if auto == "VALID":
            return "valid"
        return _pairs(attrs.get("pads"), ndim)

    def _pool(self, kind: str, attrs: dict[str, Any]) -> dict[str, Any]:
        kernel = list(attrs["kernel_shape"])
        ndim = len(kernel)
        args: dict[str, Any] = {"kernel": kernel, "stride": list(attrs.get("strides", [1] * ndim))}
        args["padding"] = self._padding(attrs, ndim)
        args["ceil_mode"] = bool(attrs.get("ceil_mode", 0))
        if kind == "avg_pool":
            args["count_include_pad"] = bool(attrs.get("count_include_pad", 0))
        return {kind: args}

    def op_MaxPool(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any]:
        return self._pool("max_pool", attrs)

    def op_AveragePool(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any]:
        return self._pool("avg_pool", attrs)

    def op_GlobalAveragePool(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any]:
        return {"global_avg_pool": {"keepdims": True}}

    def op_GlobalMaxPool(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any]:
        return {"global_max_pool": {"keepdims": True}}

    def op_Gemm(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any]:
        weight = self.weight(node, 1)
        units = weight.shape[0] if attrs.get("transB", 0) else weight.shape[1]
        return {"dense": {"units": int(units), "bias": self.weight(node, 2) is not None}}

    def op_MatMul(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any]:
        return {"dense": {"units": int(self.weight(node, 1).shape[1]), "bias": False}}

    def op_BatchNormalization(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any]:
        return {"batch_norm": {"epsilon": float(attrs.get("epsilon", 1e-5))}}

    def op_LeakyRelu(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any]:
        return {"leaky_relu": {"alpha": float(attrs.get("alpha", 0.01))}}

    def op_Elu(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any]:
        return {"elu": {"alpha": float(attrs.get("alpha", 1.0))}}

    def op_PRelu(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any]:
        return {"prelu": {"shared": self.weight(node, 1).size == 1}}

    def op_Softmax(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any]:
        return {"softmax": None}

    def op_LRN(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any]:
        return {"lrn": {"size": attrs["size"], "alpha": attrs.get("alpha", 1e-4), "beta": attrs.get("beta", 0.75),
                        "k": attrs.get("bias", 1.0)}}  # fmt: skip

    def op_Concat(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("axis", 1) != 1:
            raise ValidationSpecError(f"{self.source}: Concat along axis {attrs.get('axis')} (only channels, 1)")
        return {"concat": None}

    def op_Add(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any] | None:
        return self._merge(node, "add")

    def op_Mul(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any] | None:
        return self._merge(node, "multiply")

    def op_Sub(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any] | None:
        return self._merge(node, "subtract")

    def _merge(self, node: Any, kind: str) -> dict[str, Any] | None:
        if any(i in self.initializers for i in node.input):  # a bias added after MatMul
            if kind == "add" and self.layers and "dense" in self.layers[-1]:
                self.layers[-1]["dense"]["bias"] = True
                self.producer[node.output[0]] = self.layers[-1]["name"]
                return None
            self.unsupported.append(f"{node.op_type} with a constant ({node.name})")
            return None
        return {kind: None}

    def op_Sum(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any] | None:
        return self._merge(node, "add")

    def op_Max(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any] | None:
        return self._merge(node, "maximum")

    def op_Min(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any] | None:
        return self._merge(node, "minimum")

    def op_Mean(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any] | None:
        return self._merge(node, "average")

    def op_Flatten(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any]:
        return {"flatten": None}

    def op_Reshape(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any]:
        target = [int(v) for v in self.weight(node, 1)][1:]
        if len(target) == 1:
            return {"flatten": None} if target[0] == -1 else {"reshape": {"shape": target}}
        return {"reshape": {"shape": target[1:] + target[:1]}}

    def op_Pad(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any]:
        pads = self.weight(node, 1)
        pads = [int(v) for v in (pads if pads is not None else attrs["pads"])]
        half = len(pads) // 2
        return {"zero_pad": {"padding": [[pads[i], pads[i + half]] for i in range(2, half)]}}

    def op_Resize(self, node: Any, attrs: dict[str, Any]) -> dict[str, Any]:
        scales = self.weight(node, 2)
        mode = attrs.get("mode", b"nearest")
        mode = mode.decode() if isinstance(mode, bytes) else mode
        factors = [int(s) for s in scales[2:]]
        return {"upsample": {"scale": factors, "mode": "nearest" if mode == "nearest" else "linear"}}


def read_onnx(path: Path) -> dict[str, Any]:
    """The spec document of an ONNX model file."""
    try:
        import onnx
    except ImportError:
        raise SpecError("reading ONNX files needs the onnx package", hint="pip install 'cnncalc[onnx]'") from None
    try:
        model = onnx.load(str(path))
    except Exception as exc:  # onnx raises several types for damaged files
        raise SpecError(
            f"not a readable ONNX model ({exc})",
            location=Location(file=str(path)),
            hint="check that the file is complete, or export it again with torch.onnx.export / onnx.save",
        ) from None
    return _Converter(model, str(path)).convert()


Reader = Callable[[Path], dict[str, Any]]
