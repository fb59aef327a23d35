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
WEIGHT_KEYS = ("weight", "bias", "running_mean", "running_var", "depthwise", "pointwise")


def check(net: cnncalc.Network) -> None:
    model = to_onnx(net.graph)
    onnx.checker.check_model(model, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    values = list(inferred.graph.value_info) + list(inferred.graph.output)
    dims = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim] for v in values}
    for name in net.layer_names[1:]:
        assert dims[name] == channels_first(net.shape(name)), name
    weights = [t for t in model.graph.initializer if t.name.rsplit(".", 1)[-1] in WEIGHT_KEYS]
    assert sum(onnx.numpy_helper.to_array(t).size for t in weights) == net.summary().totals.params


@pytest.mark.parametrize("name", sorted(set(bundled_names()) - {"deconvnet", "alexnet_original", "zfnet"}))
def test_bundled_specs_export(name):
    check(cnncalc.load(name, input=SMALL.get(name)))


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
