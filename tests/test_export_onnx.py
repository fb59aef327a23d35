"""ONNX export: onnx.checker passes, onnx.shape_inference agrees with every cnncalc shape, the
initializers hold the parameter count, and importing the file back gives the same network."""

from __future__ import annotations

import pytest

import cnncalc
from cnncalc.spec import bundled_names

onnx = pytest.importorskip("onnx")
from cnncalc.export.onnx_model import channels_first, to_onnx  # noqa: E402

SMALL = {
    "unet": "188x188x1",
    "hourglass": "64x64x3",
    "inception_v3": "75x75x3",
    "inception_resnet_v2": "75x75x3",
    "inception_3a": "8x8x192",
}
WEIGHT_KEYS = ("weight", "bias", "running_mean", "running_var", "depthwise", "pointwise", "gamma")


def check(net: cnncalc.Network, batch: int | None = None):
    model = to_onnx(net.graph, batch=batch)
    onnx.checker.check_model(model, full_check=True)
    assert model.ir_version == 9  # opset 20 came with IR 9 (onnx 1.15); newer IRs lock out older runtimes
    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    values = list(inferred.graph.value_info) + list(inferred.graph.output)
    dims = {v.name: [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim] for v in values}
    for name in net.layer_names[1:]:
        if batch is None:  # symbolic; onnx's inference renames it after Resize (unk__0), so only its kind is checked
            assert isinstance(dims[name][0], str) and dims[name][1:] == channels_first(net.shape(name))[1:], name
        else:
            assert dims[name] == channels_first(net.shape(name), batch), name
    for value in (*model.graph.input, *model.graph.output):
        assert value.type.tensor_type.shape.dim[0].dim_param == ("batch" if batch is None else "")
    weights = [t for t in model.graph.initializer if t.name.rsplit(".", 1)[-1] in WEIGHT_KEYS]
    assert sum(onnx.numpy_helper.to_array(t).size for t in weights) == net.summary().totals.params
    return model


# Hundreds of MB of weights each (VGG's classifier alone is 102 M floats): minutes on a small machine.
SLOW = {"deconvnet", "alexnet_original", "zfnet"} | {n for n in bundled_names() if n.startswith("vgg")}


def runs_with_batch_4(model, net: cnncalc.Network) -> None:
    """onnxruntime loads the file and runs a batch of 4 through the batch axis; every output has the
    shape cnncalc gives it (channels first)."""
    ort = pytest.importorskip("onnxruntime")
    import numpy as np

    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    x = np.random.default_rng(0).standard_normal((4, *channels_first(net.shape(net.layer_names[0]))[1:]))
    outputs = session.run(None, {session.get_inputs()[0].name: x.astype(np.float32)})
    assert [o.shape for o in outputs] == [tuple(channels_first(net.shape(n), 4)) for n in net.graph.spec.outputs]
    assert all(np.isfinite(o).all() for o in outputs)


# Bundled nets the ONNX export refuses, with the layer it names: cnncalc does not write layer norm.
REFUSED = {"convnext_tiny": "layer 'features.0.1': layer_norm cannot be exported to ONNX"}


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pytest.mark.slow) if n in SLOW else n for n in sorted(set(bundled_names()) - set(REFUSED))],
)
def test_bundled_specs_export_and_run_with_batch_4(name):
    net = cnncalc.load(name, input=SMALL.get(name))
    runs_with_batch_4(check(net), net)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_bundled_specs_the_export_refuses_name_the_layer(name):
    from cnncalc.errors import UnsupportedSpecError

    with pytest.raises(UnsupportedSpecError, match=REFUSED[name]):
        to_onnx(cnncalc.load(name).graph)


def test_fixed_batch(run_cli, tmp_path):
    net = cnncalc.load("lenet5")
    check(net, batch=3)
    target = tmp_path / "lenet5.onnx"
    assert run_cli("export", "lenet5", "--to", "onnx", "--fixed-batch", "3", "-o", str(target))[0] == 0
    dims = [d.dim_value for d in onnx.load(target).graph.input[0].type.tensor_type.shape.dim]
    assert dims == [3, 1, 32, 32]
    assert run_cli("export", "lenet5", "--to", "onnx", "--fixed-batch", "0", "-o", str(tmp_path / "x.onnx"))[0] == 2


def test_a_model_past_2_gib_is_refused_before_its_weights_are_made(run_cli, tmp_path):
    # 10⁹ 1×1 filters over 8 channels: 9·10⁹ parameters, 36 GB of float32, which protobuf cannot hold
    code, _, err = run_cli(
        "export", "INPUT(4x4x8) → CONV(1000000000, 1)", "--to", "onnx", "-o", str(tmp_path / "x.onnx")
    )
    assert code == 2 and "one .onnx file holds less than 2 GiB" in err
    assert not (tmp_path / "x.onnx").exists()


def test_every_exportable_kind():
    chain = (
        "INPUT(12x12x4) → ZEROPAD(((1,0),(0,1))) → CONV(8, 3, p=1, g=2, padding_mode=reflect) → BN → PRELU → "
        "DECONV(6, 3, s=2, p=1, op=1) → SEPARABLE_CONV(6, 3, p=1) → DWCONV(3, p=1, dm=2) → RELU6 → "
        "POOL(3, 2, p=1, ceil_mode=true) → AVGPOOL(2, count_include_pad=false) → UPSAMPLE(2, mode=bilinear) → "
        "LPPOOL(2, k=2) → LRN(3) → INSTANCENORM → CROP(1) → ADAPTIVE_AVG_POOL(1) → SILU → HARD_SIGMOID → "
        "RESHAPE(1x1x12) → GAP → FC(5) → LEAKY_RELU(0.2) → ELU → GELU → DROPOUT(0.1) → LOG_SOFTMAX"
    )
    check(cnncalc.load(chain))


def test_round_trip_through_the_importer(run_cli, tmp_path):
    target = tmp_path / "resnet18.onnx"
    assert run_cli("export", "resnet18", "--to", "onnx", "-o", str(target))[0] == 0
    again = cnncalc.load(target).summary()
    original = cnncalc.load("resnet18").summary()
    assert again.totals.params == original.totals.params
    assert again.totals.macs == original.totals.macs
    assert again.output_shapes == original.output_shapes


def test_cli_needs_a_file_and_names_unsupported_layers(run_cli):
    code, _, err = run_cli("export", "lenet5", "--to", "onnx")
    assert code == 2 and "give -o FILE.onnx" in err
    code, _, err = run_cli("export", "INPUT(8x8x3) → LCN(3)", "--to", "onnx", "-o", "/tmp/never.onnx")
    assert code == 2 and "cannot be exported to ONNX" in err


def test_batch_norm_without_scale_exports_ones_and_zeros():
    # no γ (scale=false) and no β (center=false): ONNX still gets both, as constants that are not parameters
    check(cnncalc.load("INPUT(6x6x3) → CONV(8, 3, bias=false) → BN(scale=false) → BN(center=false)"))


@pytest.mark.parametrize("chain", ["INPUT(5x4x6) → LAYERNORM", "INPUT(5x4x6) → LAYERNORM(affine=false, eps=0.01)"])
def test_layer_norm_normalizes_each_position_over_its_channels(chain):
    """ONNX's LayerNormalization works on the last axes, cnncalc's layer norm on the channels: the export
    moves them last and back. Reference: (x − mean_c) / √(var_c + ε) · γ + β written here in numpy."""
    ort = pytest.importorskip("onnxruntime")
    import numpy as np

    net = cnncalc.load(chain)
    model = check(net, batch=2)
    assert [n.op_type for n in model.graph.node] == ["Transpose", "LayerNormalization", "Transpose"]
    gamma, beta = (onnx.numpy_helper.to_array(t) for t in model.graph.initializer)
    x = np.random.default_rng(1).standard_normal((2, 6, 5, 4)).astype(np.float32)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    (out,) = session.run(None, {session.get_inputs()[0].name: x})
    eps = 0.01 if "eps" in chain else 1e-5
    mean, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
    expected = (x - mean) / np.sqrt(var + eps) * gamma.reshape(1, 6, 1, 1) + beta.reshape(1, 6, 1, 1)
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)
    if "affine" in chain:
        assert (gamma == 1).all() and (beta == 0).all()
