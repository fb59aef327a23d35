"""Keras model JSON (the text of `model.to_json()`) → spec document. No TensorFlow needed.

Reads Sequential and Functional models in both the Keras 2 (tf.keras) and Keras 3 layouts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cnncalc.errors import ValidationSpecError

SIMPLE = {
    "Flatten": "flatten", "ReLU": "relu", "Softmax": "softmax", "Add": "add", "Multiply": "multiply",
    "Subtract": "subtract", "Average": "average", "Maximum": "maximum", "Minimum": "minimum",
}  # fmt: skip
POOLS = {"MaxPooling": "max_pool", "AveragePooling": "avg_pool"}
GLOBAL_POOLS = {"GlobalAveragePooling": "global_avg_pool", "GlobalMaxPooling": "global_max_pool"}


def looks_like_keras(document: object) -> bool:
    return isinstance(document, Mapping) and "class_name" in document and "config" in document


def _window(config: Mapping[str, Any], size_key: str) -> dict[str, Any]:
    args: dict[str, Any] = {
        "kernel": list(config[size_key]) if isinstance(config[size_key], list) else config[size_key]
    }
    strides = config.get("strides")
    if strides is not None:
        args["stride"] = list(strides) if isinstance(strides, list) else strides
    args["padding"] = config.get("padding", "valid")
    return args


def _with_activation(entry: dict[str, Any], config: Mapping[str, Any]) -> dict[str, Any]:
    activation = config.get("activation")
    if activation and activation != "linear":
        next(iter(entry.values()))["activation"] = activation
    return entry


def layer_entry(class_name: str, config: Mapping[str, Any]) -> dict[str, Any] | None:
    base = class_name[:-2] if class_name[-2:] in ("1D", "2D", "3D") else class_name
    if base in ("Conv", "Convolution"):
        args = _window(config, "kernel_size")
        args |= {"filters": config["filters"], "dilation": config.get("dilation_rate", 1),
                 "groups": config.get("groups", 1), "bias": config.get("use_bias", True)}  # fmt: skip
        return _with_activation({"conv": args}, config)
    if base in ("ConvTranspose", "Conv2DTranspose", "Conv1DTranspose", "Conv3DTranspose") or class_name.endswith(
        "Transpose"
    ):
        args = _window(config, "kernel_size")
        args |= {"filters": config["filters"], "bias": config.get("use_bias", True)}
        return _with_activation({"conv_transpose": args}, config)
    if base == "DepthwiseConv":
        args = _window(config, "kernel_size")
        args |= {"depth_multiplier": config.get("depth_multiplier", 1), "bias": config.get("use_bias", True)}
        return _with_activation({"depthwise_conv": args}, config)
    if base == "SeparableConv":
        args = _window(config, "kernel_size")
        args |= {"filters": config["filters"], "depth_multiplier": config.get("depth_multiplier", 1),
                 "bias": config.get("use_bias", True)}  # fmt: skip
        return _with_activation({"separable_conv": args}, config)
    if base == "LocallyConnected":
        args = _window(config, "kernel_size")
        args |= {"filters": config["filters"], "bias": config.get("use_bias", True)}
        return _with_activation({"locally_connected": args}, config)
    if base in POOLS:
        return {POOLS[base]: _window(config, "pool_size")}
    if base in GLOBAL_POOLS:
        return {GLOBAL_POOLS[base]: {"keepdims": bool(config.get("keepdims", False))}}
    if class_name == "Dense":
        return _with_activation({"dense": {"units": config["units"], "bias": config.get("use_bias", True)}}, config)
    if class_name == "Activation":
        return {config["activation"]: None}
    if class_name in SIMPLE:
        return {SIMPLE[class_name]: None}
    if class_name in ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"):
        return {"dropout" if class_name == "Dropout" else "spatial_dropout": {"rate": config.get("rate", 0.5)}}
    if class_name == "BatchNormalization":
        scale, center = bool(config.get("scale", True)), bool(config.get("center", True))
        return {"batch_norm": {"epsilon": config.get("epsilon", 1e-3), "scale": scale, "center": center}}
    if class_name == "LeakyReLU":
        return {"leaky_relu": {"alpha": config.get("negative_slope", config.get("alpha", 0.3))}}
    if class_name == "Concatenate":
        return {"concat": {"axis": config.get("axis", -1)}}
    if base == "ZeroPadding":
        return {"zero_pad": {"padding": config["padding"]}}
    if base == "Cropping":
        return {"crop": {"cropping": config["cropping"]}}
    if base == "UpSampling":
        mode = "nearest" if config.get("interpolation", "nearest") == "nearest" else "linear"
        return {"upsample": {"scale": config.get("size", 2), "mode": mode}}
    if class_name == "Reshape":
        return {"reshape": {"shape": list(config["target_shape"])}}
    return None


def _input_shape(config: Mapping[str, Any]) -> list[int]:
    shape = config.get("batch_input_shape") or config.get("batch_shape")
    if not shape or any(d is None for d in shape[1:]):
        raise ValidationSpecError("the Keras model's input needs fixed sizes", hint="pass --input")
    return list(shape[1:])


def _inbound(layer: Mapping[str, Any]) -> list[str]:
    """Names of the layers this one reads, from Keras 2 or Keras 3 inbound_nodes."""
    nodes = layer.get("inbound_nodes") or []
    if not nodes:
        return []
    first = nodes[0]
    if isinstance(first, list):  # Keras 2: [[name, node, tensor, kwargs], ...]
        return [str(item[0]) for item in first]
    names: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, Mapping):
            history = (
                value.get("config", {}).get("keras_history") if value.get("class_name") == "__keras_tensor__" else None
            )
            if history:
                names.append(str(history[0]))
                return
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(first.get("args", []))
    return names


def read_keras(document: Mapping[str, Any], source: str) -> dict[str, Any]:
    config = document["config"]
    layers = config["layers"] if isinstance(config, Mapping) else config
    sequential = document["class_name"] == "Sequential"
    aliases: dict[str, str] = {}  # Keras input layer names → our "input"
    body, unsupported = [], []
    input_shape: list[int] | None = None
    previous = "input"
    for layer in layers:
        class_name, layer_config = layer["class_name"], layer.get("config", {})
        name = layer_config.get("name") or layer.get("name")
        if class_name == "InputLayer":
            input_shape, aliases[name], previous = _input_shape(layer_config), "input", "input"
            continue
        if input_shape is None:
            declared = layer_config.get("batch_input_shape") or layer.get("build_config", {}).get("input_shape")
            input_shape = list(declared[1:]) if declared else None
        entry = layer_entry(class_name, layer_config)
        if entry is None:
            unsupported.append(f"{class_name} ({name})")
            continue
        inputs = [previous] if sequential else [aliases.get(i, i) for i in _inbound(layer)]
        body.append({"name": name, **entry, "inputs": inputs})
        previous = name
    if unsupported:
        raise ValidationSpecError(f"{source}: unsupported Keras layer(s): {', '.join(unsupported)}")
    if input_shape is None:
        raise ValidationSpecError(f"{source}: the Keras model has no input shape", hint="pass --input")
    result: dict[str, Any] = {"name": config.get("name", "keras_model"), "input": input_shape, "layers": body}
    if not sequential and config.get("output_layers"):
        result["outputs"] = [aliases.get(str(o[0]), str(o[0])) for o in config["output_layers"]]
    return result
