"""Keras model JSON (the text of `model.to_json()`) → spec document. No TensorFlow needed.

Reads Sequential and Functional models in both the Keras 2 (tf.keras) and Keras 3 layouts. The JSON
is someone else's file: every key is checked for its type where it is read, so a malformed document
is one SpecError naming the file (line, when known) and the layer, never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cnncalc.errors import Location, ValidationSpecError
from cnncalc.i18n import N_, _, ngettext
from cnncalc.importers import located
from cnncalc.importers.refusals import distinct, grouped
from cnncalc.spec.located import LocDict, LocList, location_of

SIMPLE = {
    "Flatten": "flatten", "Softmax": "softmax", "Add": "add", "Multiply": "multiply",
    "Subtract": "subtract", "Average": "average", "Maximum": "maximum", "Minimum": "minimum",
}  # fmt: skip
POOLS = {"MaxPooling": "max_pool", "AveragePooling": "avg_pool"}
GLOBAL_POOLS = {"GlobalAveragePooling": "global_avg_pool", "GlobalMaxPooling": "global_max_pool"}
# Keras activation names → layer kinds that compute the same function. Keras 2's hard_sigmoid
# (0.2x + 0.5) is not Keras 3's (relu6(x + 3)/6), so it is refused rather than guessed.
ACTIVATIONS = {
    "relu": "relu", "relu6": "relu6", "tanh": "tanh", "sigmoid": "sigmoid", "gelu": "gelu", "silu": "silu",
    "swish": "silu", "hard_silu": "hard_swish", "hard_swish": "hard_swish", "mish": "mish", "softplus": "softplus",
    "softsign": "softsign", "selu": "selu", "elu": "elu", "log_softmax": "log_softmax", "softmax": "softmax",
    "linear": "identity",
}  # fmt: skip
_REQUIRED = object()


class _Refused(Exception):
    """A layer cnncalc has no exact kind for: the operation as the refusal names it."""


def looks_like_keras(document: object) -> bool:
    return isinstance(document, Mapping) and "class_name" in document and "config" in document


def _kind(value: object) -> str:
    """How a JSON value is called in a message: its type, and a list's first 40 characters."""
    names = {bool: "true/false", int: N_("a number"), float: N_("a number"), str: N_("text"), type(None): "null"}
    if isinstance(value, Mapping):
        return _("an object")
    if isinstance(value, list):
        text = json.dumps(value, default=str)
        return _("the list {text}").format(text=text[:40] + ("…" if len(text) > 40 else ""))
    name = names.get(type(value))
    return type(value).__name__ if name is None else _(name)


def _at(container: object, key: str | int, fallback: Location) -> Location:
    """Where a key or item of a parsed JSON container was written (the fallback for plain data)."""
    if isinstance(container, LocDict) and isinstance(key, str):
        return container.where(key)
    return container.where(key) if isinstance(container, LocList) and isinstance(key, int) else fallback


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class _Layer:
    """One entry of config.layers, with its config checked to be an object."""

    class_name: str
    name: str
    config: Mapping[str, Any]
    raw: Mapping[str, Any]
    where: Location

    def fail(self, message: str, hint: str | None = None) -> ValidationSpecError:
        where = self.where.in_layer(self.name)
        return ValidationSpecError(
            _("Keras {class_name}: {message}").format(class_name=self.class_name, message=message),
            location=where,
            hint=hint,
        )

    def get(self, key: str, default: Any = _REQUIRED) -> Any:
        if key in self.config:
            return self.config[key]
        if default is _REQUIRED:
            raise self.fail(
                _("its config has no '{key}'").format(key=key), hint=_("export the model again with model.to_json()")
            )
        return default

    def per_axis(self, key: str, default: Any = _REQUIRED) -> Any:
        """A size per spatial axis: one integer, or a list of them (Keras writes both)."""
        value = self.get(key, default)
        if value is None and default is None:
            return None
        if _is_count(value):
            return value
        if isinstance(value, list) and value and all(_is_count(v) for v in value):
            return list(value)
        raise self.fail(
            _("'{key}' must be an integer or a list of integers, got {kind}").format(key=key, kind=_kind(value))
        )

    def text(self, key: str, default: Any = _REQUIRED) -> Any:
        value = self.get(key, default)
        if not isinstance(value, str) and (value is not None or default is _REQUIRED):
            raise self.fail(_("'{key}' must be a name, got {kind}").format(key=key, kind=_kind(value)))
        return value


def _window(layer: _Layer, size_key: str) -> dict[str, Any]:
    args: dict[str, Any] = {"kernel": layer.per_axis(size_key)}
    strides = layer.per_axis("strides", None)
    if strides is not None:
        args["stride"] = strides
    args["padding"] = layer.get("padding", "valid")
    return args


def _activation_kind(name: str) -> str:
    if name not in ACTIVATIONS:
        raise _Refused(_("activation '{name}'").format(name=name))
    return ACTIVATIONS[name]


def _with_activation(entry: dict[str, Any], layer: _Layer) -> dict[str, Any]:
    activation = layer.text("activation", None)
    if activation and activation != "linear":
        next(iter(entry.values()))["activation"] = _activation_kind(activation)
    return entry


def _relu(layer: _Layer) -> dict[str, Any]:
    """Keras' ReLU layer is relu, relu6 or a leaky ReLU by its arguments (a threshold is none of them)."""
    top, slope = layer.get("max_value", None), layer.get("negative_slope", 0)
    threshold = layer.get("threshold", 0)
    if threshold == 0 and slope == 0 and top in (None, 6):
        return {"relu" if top is None else "relu6": None}
    if threshold == 0 and top is None and isinstance(slope, (int, float)) and not isinstance(slope, bool):
        return {"leaky_relu": {"alpha": slope}}
    raise _Refused(f"ReLU(max_value={top}, negative_slope={slope}, threshold={threshold})")


def _input_rank(layer: _Layer) -> int | None:
    """The rank (batch axis included) of the input Keras 3 recorded in build_config, when it did."""
    build = layer.raw.get("build_config")
    shape = build.get("input_shape") if isinstance(build, Mapping) else None
    return len(shape) if isinstance(shape, list) else None


def _dense(layer: _Layer, rank: int | None) -> dict[str, Any]:
    """Keras applies Dense to the last axis at every position: our dense on a vector, else pointwise_linear.

    `rank` is the input's as the reader followed it from the declared input (batch axis not counted);
    Keras 3 also records it in build_config, which Keras 2 documents lack.
    """
    built = _input_rank(layer)
    rank = built - 1 if built is not None else rank
    if rank is None:  # a vector or a feature map: the counts differ, and guessing would be silently wrong
        raise layer.fail(
            _(
                "the rank of its input is unknown (the model declares no input shape), so whether it is a "
                "dense layer on a vector or applied at every position cannot be told"
            ),
            hint=_(
                "pass --input with the model's input sizes (e.g. --input 224x224x3), or give the Keras "
                "model an Input(shape=...) before to_json()"
            ),
        )
    kind = "pointwise_linear" if rank > 1 else "dense"
    return _with_activation({kind: {"units": layer.get("units"), "bias": layer.get("use_bias", True)}}, layer)


def _layer_norm(layer: _Layer) -> dict[str, Any]:
    """LayerNormalization over the channel axis only, with both γ and β or neither: layer_norm."""
    axis, rank = layer.get("axis", -1), _input_rank(layer)
    last = (-1, None if rank is None else rank - 1)
    over_channels = axis in last or (isinstance(axis, list) and len(axis) == 1 and axis[0] in last)
    center, scale, rms = layer.get("center", True), layer.get("scale", True), layer.get("rms_scaling", False)
    if not over_channels or center != scale or rms:
        raise _Refused(f"LayerNormalization(axis={axis}, center={center}, scale={scale}, rms_scaling={rms})")
    return {"layer_norm": {"epsilon": layer.get("epsilon", 1e-3), "affine": bool(center)}}


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_numbers(value: object) -> bool:
    """One number, or a non-empty list of them (one per channel)."""
    return _is_number(value) or (isinstance(value, list) and bool(value) and all(_is_number(v) for v in value))


def _statistic(value: object) -> list[object] | None:
    """Normalization's mean or variance: one number, or one per channel; None when Keras adapts it."""
    if value is None or _is_number(value):
        return None if value is None else [value]
    if isinstance(value, list) and _is_numbers(value):
        return list(value)
    raise _Refused(f"Normalization(mean/variance={_kind(value)})")


def _preprocessing(layer: _Layer) -> dict[str, Any] | None:
    """Rescaling (y = x·scale + offset) and Normalization over the channel axis."""
    if layer.class_name == "Rescaling":  # one number, or (Keras takes it too) one per channel
        scale, offset = layer.get("scale", 1.0), layer.get("offset", 0.0)
        if not all(_is_numbers(v) for v in (scale, offset)):
            raise _Refused(f"Rescaling(scale={_kind(scale)}, offset={_kind(offset)})")
        return {"rescaling": {"scale": scale, "offset": offset}}
    if layer.class_name != "Normalization":
        return None
    axis, rank, invert = layer.get("axis", -1), _input_rank(layer), layer.get("invert", False)
    last = (-1, None if rank is None else rank - 1)
    over_channels = axis in last or (isinstance(axis, list) and len(axis) == 1 and axis[0] in last)
    if not over_channels or invert is not False:
        raise _Refused(f"Normalization(axis={axis}, invert={invert})")
    mean, variance = _statistic(layer.get("mean", None)), _statistic(layer.get("variance", None))
    return {"normalization": {"mean": mean, "variance": variance}}


def _conv_like(layer: _Layer, base: str) -> dict[str, Any] | None:
    """Convolutions of every family, by the class name without its 1D/2D/3D suffix."""
    bias = {"bias": layer.get("use_bias", True)}
    if base in ("Conv", "Convolution"):
        args = {"filters": layer.get("filters"), "dilation": layer.per_axis("dilation_rate", 1),
                "groups": layer.get("groups", 1), **bias}  # fmt: skip
        return _with_activation({"conv": _window(layer, "kernel_size") | args}, layer)
    if base.endswith("Transpose"):
        args = {"filters": layer.get("filters"), **bias}
        return _with_activation({"conv_transpose": _window(layer, "kernel_size") | args}, layer)
    if base == "DepthwiseConv":
        args = {"depth_multiplier": layer.get("depth_multiplier", 1), **bias}
        return _with_activation({"depthwise_conv": _window(layer, "kernel_size") | args}, layer)
    if base == "SeparableConv":
        args = {"filters": layer.get("filters"), "depth_multiplier": layer.get("depth_multiplier", 1), **bias}
        return _with_activation({"separable_conv": _window(layer, "kernel_size") | args}, layer)
    if base == "LocallyConnected":
        args = {"filters": layer.get("filters"), **bias}
        return _with_activation({"locally_connected": _window(layer, "kernel_size") | args}, layer)
    return None


def _sized(layer: _Layer, base: str) -> dict[str, Any] | None:
    """Pools, paddings, crops and resampling, by the class name without its 1D/2D/3D suffix."""
    if base in POOLS:
        return {POOLS[base]: _window(layer, "pool_size")}
    if base in GLOBAL_POOLS:
        return {GLOBAL_POOLS[base]: {"keepdims": layer.get("keepdims", False)}}
    if base == "ZeroPadding":
        return {"zero_pad": {"padding": layer.get("padding")}}
    if base == "Cropping":
        return {"crop": {"cropping": layer.get("cropping")}}
    if base == "UpSampling":
        mode = "nearest" if layer.text("interpolation", "nearest") == "nearest" else "linear"
        return {"upsample": {"scale": layer.per_axis("size", 2), "mode": mode}}
    return None


def _axis(layer: _Layer) -> int:
    """Keras' axis counts the batch axis (Concatenate(axis=3) of N×H×W×C is channels); ours does not."""
    axis = layer.get("axis", -1)
    if not _is_count(axis) or axis == 0:
        got = "the batch axis (0)" if axis == 0 else _kind(axis)
        raise layer.fail(_("'axis' must be a tensor axis after the batch axis, got {got}").format(got=got))
    return axis - 1 if axis > 0 else axis


def _plain(layer: _Layer) -> dict[str, Any] | None:
    """Layers known by their whole class name."""
    name = layer.class_name
    if name == "Activation":
        return {_activation_kind(layer.text("activation")): None}
    if name == "ReLU":
        return _relu(layer)
    if name == "LayerNormalization":
        return _layer_norm(layer)
    if name == "LayerScale":  # ConvNeXt's learnt per-channel multiplier (Keras writes it as its own class)
        return {"layer_scale": None}
    if name in SIMPLE:
        return {SIMPLE[name]: None}
    if name in ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"):
        return {"dropout" if name == "Dropout" else "spatial_dropout": {"rate": layer.get("rate", 0.5)}}
    if name == "BatchNormalization":
        return {"batch_norm": {"epsilon": layer.get("epsilon", 1e-3), "scale": layer.get("scale", True),
                               "center": layer.get("center", True)}}  # fmt: skip
    if name == "LeakyReLU":
        return {"leaky_relu": {"alpha": layer.get("negative_slope", layer.get("alpha", 0.3))}}
    if name == "Concatenate":
        return {"concat": {"axis": _axis(layer)}}
    if name == "Reshape":
        target = layer.get("target_shape")
        if not isinstance(target, list):
            raise layer.fail(_("'target_shape' must be a list of sizes, got {kind}").format(kind=_kind(target)))
        return {"reshape": {"shape": list(target)}}
    return None


def layer_entry(layer: _Layer) -> dict[str, Any] | None:
    name = layer.class_name
    base = name[:-2] if name[-2:] in ("1D", "2D", "3D") else name
    return _conv_like(layer, base) or _sized(layer, base) or _plain(layer) or _preprocessing(layer)


def _sizes(shape: object, layer: _Layer, key: str) -> list[int | None]:
    """The sizes after the batch axis of a batch_input_shape (null where Keras leaves one open)."""
    if not isinstance(shape, list) or len(shape) < 2:
        raise layer.fail(_("'{key}' must be a list [batch, sizes…], got {kind}").format(key=key, kind=_kind(shape)))
    sizes = shape[1:]
    if any(size is not None and not (_is_count(size) and size > 0) for size in sizes):
        raise layer.fail(
            _("'{key}' holds {sizes}; sizes are positive integers (or null when not fixed)").format(
                key=key, sizes=sizes
            )
        )
    return list(sizes)


def _tensor_name(value: object, layer: _Layer) -> str:
    """The layer name of a Keras 2 inbound entry [name, node, tensor, kwargs] or a keras_history."""
    if isinstance(value, list) and value and isinstance(value[0], str):
        return value[0]
    raise layer.fail(_("an inbound tensor must be [layer name, node, tensor], got {kind}").format(kind=_kind(value)))


@dataclass(frozen=True)
class _Call:
    """How a functional model calls a layer: the layers it reads and the plain numbers passed with them."""

    inputs: tuple[str, ...]
    constants: tuple[float, ...] = ()


def _inbound(layer: _Layer) -> _Call:
    """The call of a layer, from Keras 2 or Keras 3 inbound_nodes (Keras 3 writes `x + 3.0` as Add(x, 3.0))."""
    nodes = layer.raw.get("inbound_nodes") or []
    if not isinstance(nodes, list):
        raise layer.fail(_("'inbound_nodes' must be a list, got {kind}").format(kind=_kind(nodes)))
    if len(nodes) > 1:
        raise layer.fail(
            _("the layer is called {count} times (shared weights); cnncalc has no shared layers").format(
                count=len(nodes)
            ),
            hint=_("give each call its own layer"),
        )
    if not nodes:
        return _Call(())
    first = nodes[0]
    if isinstance(first, list):  # Keras 2: [[name, node, tensor, kwargs], ...]
        return _Call(tuple(_tensor_name(item, layer) for item in first))
    if not isinstance(first, Mapping):
        raise layer.fail(
            _("an inbound node must be a list (Keras 2) or an object (Keras 3), got {kind}").format(kind=_kind(first))
        )
    names: list[str] = []
    constants: list[float] = []
    pending = [first.get("args", [])]
    while pending:  # Keras 3 nests its tensors anywhere inside args; the parser bounded the depth
        value = pending.pop()
        if isinstance(value, Mapping) and value.get("class_name") == "__keras_tensor__":
            config = value.get("config")
            history = config.get("keras_history") if isinstance(config, Mapping) else None
            names.append(_tensor_name(history, layer))
        elif isinstance(value, Mapping):
            pending.extend(reversed(list(value.values())))
        elif isinstance(value, list):
            pending.extend(reversed(value))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            constants.append(value)
    return _Call(tuple(names), tuple(constants))


def _is_relu6(layer: _Layer) -> bool:
    try:
        return _relu(layer) == {"relu6": None}
    except _Refused:
        return False


def _hard_sigmoids(layers: list[_Layer], calls: Mapping[str, _Call]) -> dict[str, tuple[str, str, str]]:
    """Keras 3 MobileNetV3's hard sigmoid, ReLU(6.0)(x + 3.0) * (1/6), as {multiply layer: (x, add, relu)}.

    Each step must read only the one before and be read only by the next, so the three layers are one
    hard_sigmoid exactly (relu6(x + 3)/6); an add or multiply with any other constant stays refused.
    """
    readers: dict[str, list[str]] = {}
    for name, call in calls.items():
        for source in call.inputs:
            readers.setdefault(source, []).append(name)
    by_name = {layer.name: layer for layer in layers}

    def only_reader(name: str, class_name: str) -> _Layer | None:
        """The one layer that reads `name`, when there is one and it is of that class."""
        found = readers.get(name, [])
        return by_name[found[0]] if len(found) == 1 and by_name[found[0]].class_name == class_name else None

    found: dict[str, tuple[str, str, str]] = {}
    for add in layers:
        add_call = calls.get(add.name)
        if add.class_name != "Add" or add_call is None or add_call.constants != (3.0,) or len(add_call.inputs) != 1:
            continue
        relu = only_reader(add.name, "ReLU")
        scale = only_reader(relu.name, "Multiply") if relu is not None and _is_relu6(relu) else None
        if relu is not None and scale is not None and calls[scale.name].constants == (1 / 6,):
            found[scale.name] = (add_call.inputs[0], add.name, relu.name)
    return found


def _layers(document: Mapping[str, Any], source: str) -> tuple[list[Any], Mapping[str, Any]]:
    """config.layers (or the Keras 2.0 Sequential list that is the whole config) and the config object."""
    config = document.get("config")
    where = location_of(document, Location(file=source))
    if isinstance(config, list):
        return config, {}
    if not isinstance(config, Mapping) or not isinstance(config.get("layers"), list):
        got = _kind(config.get("layers")) if isinstance(config, Mapping) else _kind(config)
        raise ValidationSpecError(
            _("a Keras model's config must hold a list 'layers', got {got}").format(got=got),
            location=location_of(config, where),
            hint=_("give the text of model.to_json()"),
        )
    return config["layers"], config


def _layer(item: object, index: int, top: Location) -> _Layer:
    where = location_of(item, top)
    if not isinstance(item, Mapping):
        raise ValidationSpecError(
            _("layer {index} must be an object, got {kind}").format(index=index + 1, kind=_kind(item)), location=where
        )
    class_name, config = item.get("class_name"), item.get("config", {})
    if not isinstance(class_name, str) or not class_name:
        raise ValidationSpecError(_("layer {index} has no class_name").format(index=index + 1), location=where)
    if not isinstance(config, Mapping):
        raise ValidationSpecError(
            _("the config of layer {index} ({class_name}) is {kind}").format(
                index=index + 1, class_name=class_name, kind=_kind(config)
            ),
            location=where,
        )
    name = config.get("name") or item.get("name") or f"{class_name.lower()}_{index + 1}"
    if not isinstance(name, str):
        raise ValidationSpecError(
            _("the name of layer {index} ({class_name}) must be text").format(index=index + 1, class_name=class_name),
            location=where,
        )
    return _Layer(class_name, name, config, item, location_of(config, where))


def _declared_input(layer: _Layer) -> list[int | None] | None:
    """The input sizes the layer declares (null where not fixed), or None when it declares none."""
    if layer.class_name == "InputLayer":
        key = "batch_input_shape" if "batch_input_shape" in layer.config else "batch_shape"
        return _sizes(layer.get(key), layer, key)
    if layer.config.get("batch_input_shape") is not None:
        return _sizes(layer.config["batch_input_shape"], layer, "batch_input_shape")
    build = layer.raw.get("build_config")
    if isinstance(build, Mapping) and build.get("input_shape") is not None:
        return _sizes(build["input_shape"], layer, "build_config.input_shape")
    return None


def _outputs(config: Mapping[str, Any], aliases: Mapping[str, str], where: Location) -> list[str] | None:
    declared = config.get("output_layers")
    if not declared:
        return None
    if isinstance(declared, Mapping):  # Keras 3 writes a dict of outputs as a dict
        declared = list(declared.values())
    if isinstance(declared, list) and isinstance(declared[0], str):  # … and a single output as one triple
        declared = [declared]
    if not isinstance(declared, list) or not all(isinstance(o, list) and o and isinstance(o[0], str) for o in declared):
        raise ValidationSpecError(
            _("'output_layers' must list [layer name, node, tensor] triples"),
            location=_at(config, "output_layers", where),
        )
    return [aliases.get(o[0], o[0]) for o in declared]


@dataclass
class _Reader:
    """What reading one document collects: spec layers, refusals, and the Keras names that stand for others."""

    source: str
    top: Location
    body: list[Any] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # input layers → what feeds them; Sequential → its last
    declared: list[int | None] | None = None  # the model's input sizes, as the document gives them
    given_rank: int | None = None  # of --input, which stands in for an input the model does not declare
    ranks: dict[str, int | None] = field(default_factory=dict)  # of each layer's output, batch axis not counted

    def read(self, items: list[Any], sequential: bool, previous: str) -> str:
        """Adds the layers (in a Sequential each reads the one before, from `previous`); the last one's name."""
        layers = [_layer(item, index, _at(items, index, self.top)) for index, item in enumerate(items)]
        calls = {} if sequential else {la.name: _inbound(la) for la in layers if la.class_name != "InputLayer"}
        fused = _hard_sigmoids(layers, calls)
        inside = {name for _, *steps in fused.values() for name in steps}
        for index, layer in enumerate(layers):
            if "input" not in self.ranks:  # only the first layer declares the model's input
                self.declared = _declared_input(layer) if index == 0 or layer.class_name == "InputLayer" else None
                self.ranks["input"] = self.given_rank if self.declared is None else len(self.declared)
            if layer.class_name == "InputLayer":
                self.aliases[layer.name] = previous
                continue
            if layer.name in inside:  # the add and relu6 of a fused hard sigmoid
                continue
            call = _Call((previous,)) if sequential else calls[layer.name]
            inputs = [self.aliases.get(i, i) for i in (fused[layer.name][:1] if layer.name in fused else call.inputs)]
            if layer.class_name == "Sequential":  # a nested model (ConvNeXt's stem): its layers in line
                if len(inputs) != 1:
                    raise layer.fail(
                        _("a nested Sequential model must read one tensor, it reads {count}").format(count=len(inputs))
                    )
                previous = self.aliases[layer.name] = self.read(_layers(layer.raw, self.source)[0], True, inputs[0])
                continue
            rank = self.ranks.get(inputs[0]) if inputs else None
            self.ranks[layer.name] = _output_rank(layer, rank)
            try:
                entries = self._entries(layer, call, inputs, rank, layer.name in fused)
            except _Refused as refusal:
                self.refused.append((str(refusal), layer.name))
                continue
            self.body += [located(entry, layer.where.in_layer(layer.name)) for entry in entries]
            previous = layer.name
        return previous

    @staticmethod
    def _entries(layer: _Layer, call: _Call, inputs: list[str], rank: int | None, fused: bool) -> list[dict[str, Any]]:
        """The spec layers one Keras layer becomes: one, or two for a CustomScaleLayer (the last keeps its name)."""
        if layer.class_name == "CustomScaleLayer":
            return _scaled_sum(layer, inputs)
        entry = {"hard_sigmoid": None} if fused else _entry(layer, call, rank)
        return [{"name": layer.name, **entry, "inputs": inputs}]


def _output_rank(layer: _Layer, rank: int | None) -> int | None:
    """The rank a layer's output has (batch axis not counted): its input's, except where it flattens."""
    keeps_dims = layer.config.get("keepdims", False) is True
    if layer.class_name == "Flatten" or (layer.class_name.startswith("Global") and not keeps_dims):
        return 1
    target = layer.config.get("target_shape")
    return len(target) if layer.class_name == "Reshape" and isinstance(target, list) else rank


# Where Keras 3 defines InceptionResNetV2's CustomScaleLayer, whose call is inputs[0] + inputs[1] * scale;
# a class of that name from anywhere else is someone's own code, unknown to cnncalc.
CUSTOM_SCALE_MODULE = "keras.src.applications.inception_resnet_v2"


def _scaled_sum(layer: _Layer, inputs: list[str]) -> list[dict[str, Any]]:
    """CustomScaleLayer as Keras computes it: the branch (second input) rescaled by the constant, then added.

    Two layer kinds that exist (rescaling has no weights, add none), so counts and shapes are exact.
    """
    scale = layer.get("scale", None)
    if layer.raw.get("module") != CUSTOM_SCALE_MODULE or not _is_number(scale) or len(inputs) != 2:
        raise _Refused(f"CustomScaleLayer(module={layer.raw.get('module')}, scale={_kind(scale)})")
    scaled = f"{layer.name}.scaled"
    return [
        {"name": scaled, "rescaling": {"scale": scale}, "inputs": [inputs[1]]},
        {"name": layer.name, "add": None, "inputs": [inputs[0], scaled]},
    ]


def _entry(layer: _Layer, call: _Call, rank: int | None) -> dict[str, Any]:
    if layer.class_name == "Dense":
        return _dense(layer, rank)
    if call.constants:  # Keras 3 ops on a plain number: no layer kind holds the number
        numbers = ", ".join(map(str, call.constants))
        raise _Refused(
            _("{kind} with the constant {numbers} (arithmetic on a number)").format(
                kind=layer.class_name, numbers=numbers
            )
        )
    entry = layer_entry(layer)
    if entry is None:
        raise _Refused(layer.class_name)
    return entry


def read_keras(
    document: Mapping[str, Any], source: str, *, input_shape: tuple[int, ...] | None = None
) -> dict[str, Any]:
    """The spec document of a Keras model JSON (`input_shape`: --input, which replaces a missing input size)."""
    top = location_of(document, Location(file=source))
    layers, config = _layers(document, source)
    sequential = document.get("class_name") == "Sequential"
    reader = _Reader(source, top, given_rank=None if input_shape is None else len(input_shape))
    reader.read(layers, sequential, "input")
    if reader.refused:
        raise ValidationSpecError(
            ngettext(  # one English form, as the ONNX importer's
                "unsupported Keras layer(s): {layers}", "unsupported Keras layer(s): {layers}", distinct(reader.refused)
            ).format(layers=grouped(reader.refused)),
            location=top,
            hint=_(
                "cnncalc has no layer kind that computes these exactly; a keras.applications model "
                "built with include_preprocessing=False has no Rescaling or Normalization"
            ),
        )
    declared = None if reader.declared is None or None in reader.declared else reader.declared
    if declared is None and input_shape is None:
        problem = (
            _("the Keras model has input sizes that are not fixed")
            if reader.declared is not None
            else _("the Keras model has no input shape")
        )
        raise ValidationSpecError(problem, location=top, hint=_("pass --input HxWxC (e.g. --input 224x224x3)"))
    name = config.get("name")
    result: dict[str, Any] = {"name": name if isinstance(name, str) else "keras_model", "layers": reader.body}
    if declared is not None:
        result["input"] = declared
    outputs = None if sequential else _outputs(config, reader.aliases, top)
    if outputs is not None:
        result["outputs"] = outputs
    return result
