"""The NumPy executor: registry coverage, the seeds' worked examples, gradients, CLI behaviour."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cnncalc
from cnncalc.executor.kernels import kernels
from cnncalc.executor.worked import convolve, parse_matrix, pool
from cnncalc.layers import registry
from cnncalc.layers.base import undeclared

SEED_001_INPUT = "0 10 10 0; 20 30 30 20; 10 20 20 10; 0 5 5 0"


def test_every_kind_has_a_kernel_and_declares_its_hooks():
    assert set(kernels()) == set(registry())
    for kind, cls in registry().items():
        assert undeclared(cls) == [], kind  # params and macs have no default in Layer


# -- the seeds' worked examples --------------------------------------------------------------
# (the five notes' examples, with their sections: tests/test_seed_examples.py)


def test_pooling_a_matrix():
    x = parse_matrix(SEED_001_INPUT, "x")
    assert pool(x, (2, 2)).output.tolist() == [[30, 30], [20, 20]]
    assert pool(x, (2, 2), kind="avg").output.tolist() == [[15, 15], [8.75, 8.75]]
    lp = pool(parse_matrix("3 4; 0 0", "x"), (2, 2), kind="lp", power=2)
    assert lp.output.tolist() == [[5.0]]  # √(3² + 4²)


# -- gradients against finite differences ---------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(
    st.integers(3, 6), st.integers(3, 6), st.integers(1, 3), st.integers(1, 3),
    st.integers(1, 2), st.sampled_from(["valid", "same", "full", "1"]), st.integers(1, 2), st.booleans(),
    st.integers(0, 2**16),
)  # fmt: skip
def test_gradients_match_finite_differences(h, w, kh, kw, stride, padding, dilation, flip, seed):
    rng = np.random.default_rng(seed)
    x, k = rng.standard_normal((h, w)), rng.standard_normal((kh, kw))
    try:
        out = convolve(x, k, stride=stride, padding=padding, dilation=dilation, flip=flip).output
    except cnncalc.SpecError:
        return  # kernel larger than the padded input
    upstream = rng.standard_normal(out.shape)
    worked = convolve(x, k, stride=stride, padding=padding, dilation=dilation, flip=flip, upstream=upstream)

    def loss(xx, kk):
        value = convolve(xx, kk, stride=stride, padding=padding, dilation=dilation, flip=flip).output
        return float((value * upstream).sum())

    eps = 1e-6
    for array, grad in ((x, worked.grad_input), (k, worked.grad_kernel)):
        numeric = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            bumped = array.copy()
            bumped[index] += eps
            args = (bumped, k) if array is x else (x, bumped)
            numeric[index] = (loss(*args) - loss(x, k)) / eps
        np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-4)


def test_seed_004_gradient_statement_for_stride_one():
    # dL/dx is the full convolution of the upstream gradient with the (flipped) kernel.
    x, k = np.arange(16.0).reshape(4, 4), np.array([[1.0, 2.0], [3.0, 4.0]])
    upstream = np.arange(9.0).reshape(3, 3)
    worked = convolve(x, k, upstream=upstream)
    full = convolve(upstream, k, padding="full", flip=True).output
    np.testing.assert_allclose(worked.grad_input, full)
    np.testing.assert_allclose(worked.grad_kernel, convolve(x, upstream).output)


# -- running specs ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "spec,size",
    [("vgg16", "32x32x3"), ("keras_fashion_mnist", None), ("mnist1d_cnn", None), ("inception_3a", "8x8x192")],
)
def test_bundled_specs_run_with_every_shape_matching(spec, size):
    result = cnncalc.load(spec, input=size, params={"num_classes": 7} if spec == "vgg16" else None).run()
    assert result.ok, [c for c in result.checks if not c.ok]


def test_run_every_kind_in_one_chain():
    chain = (
        "INPUT(9x9x4) → CONV(8, 3, s=2, p=1, g=2, padding_mode=reflect) → BN → PRELU → "
        "DECONV(4, 3, s=2, p=1, op=1) → LOCALLY_CONNECTED(3, 3) → SEPARABLE_CONV(4, 3, p=same) → "
        "DEPTHWISE_CONV(3, p=1, dm=2) → GROUPNORM(2) → POOL(3, 2, ceil_mode=true) → "
        "AVGPOOL(2, p=1, count_include_pad=false) → UPSAMPLE(2, mode=bilinear) → LPPOOL(2, k=2) → LRN(3) → "
        "LCN(3) → ZEROPAD(1) → CROP(1) → INSTANCENORM → LAYERNORM → ADAPTIVE_AVG_POOL(2) → "
        "RESHAPE(2x2x8) → GLOBALMAXPOOL → FC(5) → LEAKY_RELU → ELU → GELU → DROPOUT(0.2) → SOFTMAX"
    )
    result = cnncalc.load(chain).run()
    assert result.ok
    assert np.allclose(result.outputs[result.checks[-1].name].sum(), 1.0, atol=1e-5)


def test_cli_run_table_json_save_and_batch(run_cli, tmp_path):
    code, out, _ = run_cli("run", "mnist1d_cnn")
    assert code == 0 and "all 9 layers match" in out and "expected peak activation memory" in out
    code, out, _ = run_cli("run", "mnist1d_cnn", "-f", "json", "--batch", "3")
    data = json.loads(out)
    assert data["ok"] and data["batch"] == 3 and data["outputs"] == {"dense_1": [10]}
    target = tmp_path / "acts.npz"
    assert run_cli("run", "mnist1d_cnn", "--save", str(target))[0] == 0
    with np.load(target) as archive:
        assert archive["conv_1"].shape == (1, 19, 15)
    code, _, err = run_cli("run", "mnist1d_cnn", "--save", str(target))
    assert code == 2 and "exists" in err and "--force" in err
    assert run_cli("run", "mnist1d_cnn", "--save", str(target), "--force")[0] == 0


def test_run_takes_input_and_weights_as_lists():
    # Network.run(weights=...) takes array-likes; a list of numbers was an AttributeError (no .shape).
    net = cnncalc.load("INPUT(4x4x1) → CONV(1, 3)")
    ones = [[[1.0]] * 4] * 4  # 4×4×1
    result = net.run(data=ones, weights={"conv_1": {"weight": [[[[1.0] * 3] * 3]], "bias": [0.5]}})
    assert result.ok
    assert result.outputs["conv_1"].tolist() == [[[[9.5]] * 2] * 2]  # 3·3 taps of 1·1, + 0.5, on a 2×2 map
    with pytest.raises(cnncalc.SpecError, match=r"conv_1.weight have shape 1×1×3, expected 1×1×3×3"):
        net.run(weights={"conv_1": {"weight": [[[1.0] * 3]], "bias": [0.5]}})


def test_save_keeps_layers_named_like_savez_parameters(run_cli, tmp_path):
    # numpy.savez(file, *args, allow_pickle=True, **arrays) takes the names as keywords: a layer
    # called `file` was a TypeError traceback, one called `allow_pickle` was not saved at all.
    spec = tmp_path / "names.yaml"
    spec.write_text(
        "input: 4x4x1\nlayers:\n  - {name: file, conv: {filters: 2, kernel: 3}}\n"
        "  - {name: allow_pickle, relu: null}\n  - {name: args, flatten: null}\n",
        encoding="utf-8",
    )
    target = tmp_path / "acts.npz"
    code, _, err = run_cli("run", str(spec), "--save", str(target))
    assert code == 0, err
    with np.load(target) as archive:
        assert sorted(archive.files) == ["allow_pickle", "args", "file", "input"]
        assert archive["file"].shape == (1, 2, 2, 2)  # (4 − 3) + 1 = 2 per axis, 2 filters, batch 1
        assert archive["args"].shape == (1, 8)
        assert np.array_equal(archive["allow_pickle"], np.maximum(archive["file"], 0))


def test_cli_run_given_input_and_weights(run_cli, tmp_path):
    x = np.ones((40, 1), dtype=np.float32)
    np.save(tmp_path / "x.npy", x)
    net = cnncalc.load("INPUT(40x1) → CONV1D(2, k=3, s=2) → FLATTEN → FC(1)")
    weights = {"conv_1.weight": np.ones((2, 1, 3)), "conv_1.bias": np.zeros(2),
               "dense_1.weight": np.ones((1, 38)), "dense_1.bias": np.zeros(1)}  # fmt: skip
    np.savez(tmp_path / "w.npz", **weights)
    chain = "INPUT(40x1) → CONV1D(2, k=3, s=2) → FLATTEN → FC(1)"
    code, _, _ = run_cli("run", chain, "--data", str(tmp_path / "x.npy"), "--weights", str(tmp_path / "w.npz"),
                           "--save", str(tmp_path / "a.npz"))  # fmt: skip
    assert code == 0
    with np.load(tmp_path / "a.npz") as archive:
        assert archive["dense_1"].tolist() == [[19 * 2 * 3.0]]  # 19 positions × 2 filters × 3 taps of 1
    assert net.shape("conv_1") == (19, 2)
    np.savez(tmp_path / "bad.npz", **{**weights, "conv_1.weight": np.ones((2, 1, 5))})
    code, _, err = run_cli("run", chain, "--weights", str(tmp_path / "bad.npz"))
    assert code == 2 and "conv_1.weight have shape 2×1×5, expected 2×1×3" in err
    np.save(tmp_path / "wrong.npy", np.ones((41, 1)))
    code, _, err = run_cli("run", chain, "--data", str(tmp_path / "wrong.npy"))
    assert code == 2 and "spec's input is 40×1" in err


def test_cli_run_refuses_when_memory_is_short(run_cli, monkeypatch):
    import cnncalc.executor.run as run_module

    monkeypatch.setattr(run_module, "available_memory", lambda: 1024)
    code, _, err = run_cli("run", "mnist1d_cnn")
    assert code == 2 and "more than the 0 MiB available" in err and "--force" in err
    assert run_cli("run", "mnist1d_cnn", "--force")[0] == 0


def test_cli_run_marks_a_mismatch_and_exits_1(run_cli, monkeypatch):
    from cnncalc.executor.kernels import base

    broken = base.Kernel(lambda layer, xs, w, i, o: xs[0][:, :-1], base.no_weights)
    monkeypatch.setitem(base._KERNELS, "relu", broken)
    code, out, _ = run_cli("run", "INPUT(8x3) → CONV1D(2, 3) → RELU")
    assert code == 1 and "✗" in out and "disagree" in out


def test_cli_conv_and_pool(run_cli):
    code, out, _ = run_cli("conv", "--input", SEED_001_INPUT, "--kernel", "1 0; 0 2", "--explain")
    assert code == 0 and "out[0,2] = 1*10 + 0*0 + 0*30 + 2*20 = 50" in out
    code, out, _ = run_cli("conv", "-x", "1 2 3 4 5", "-k", "3 4 5", "--flip", "-p", "full", "-f", "json")
    assert json.loads(out)["output"] == [3, 10, 22, 34, 46, 40, 25]
    code, out, _ = run_cli("pool", "-x", SEED_001_INPUT, "-k", "2", "--explain")
    assert "out[0,0] = max(0, 10, 20, 30) = 30" in out
    code, out, _ = run_cli("conv", "-x", "1 2; 3 4", "-k", "1 0 0; 0 1 0; 0 0 1")
    assert code == 2 and "larger than the padded input" in out + _
    code, _, err = run_cli("conv", "-x", "1 2; 3", "-k", "1")
    assert code == 2 and "different lengths" in err


def test_same_padding_follows_tensorflow_in_average_pooling_and_transposed_convolutions():
    x = np.arange(1, 6, dtype=np.float32).reshape(1, 5, 1)  # 1 2 3 4 5
    # 'same', k=2, s=2 on 5: ⌈5/2⌉ = 3 windows, one zero padded at the end, left out of the mean
    out = cnncalc.load("INPUT(5x1) → AVGPOOL(k=2, s=2, p=same)").run(data=x).outputs["avg_pool_1"]
    assert out.ravel().tolist() == [1.5, 3.5, 5.0]  # (1+2)/2, (3+4)/2, 5/1
    out = cnncalc.load("INPUT(5x1) → AVGPOOL(k=3, s=2, p=1)").run(data=x).outputs["avg_pool_1"]
    assert out.ravel().tolist() == [1.0, 3.0, 3.0]  # explicit padding counts, as PyTorch: (0+1+2)/3, …, (4+5+0)/3
    # a 1-wide transposed kernel with stride 2 and 'same': each input lands at 2i, zeros (bias) after it
    net = cnncalc.load("INPUT(3x1) → DECONV(1, k=1, s=2, p=same)")
    weights = {"conv_transpose_1": {"weight": np.ones((1, 1, 1), np.float32), "bias": np.full(1, 0.5, np.float32)}}
    out = net.run(data=np.array([[[1.0], [2.0], [3.0]]], np.float32), weights=weights).outputs["conv_transpose_1"]
    assert out.ravel().tolist() == [1.5, 0.5, 2.5, 0.5, 3.5, 0.5]


def test_the_batch_comes_from_the_data(tmp_path, run_cli):
    samples = tmp_path / "x.npy"
    np.save(samples, np.zeros((2, 40, 1), np.float32))
    code, out, _ = run_cli("run", "mnist1d_cnn", "--data", str(samples), "-f", "json")
    assert code == 0 and json.loads(out)["batch"] == 2
    code, _, err = run_cli("run", "mnist1d_cnn", "--data", str(samples), "--batch", "3")
    assert code == 2 and "--batch 3, but the input array holds 2 samples" in err
    one = tmp_path / "one.npy"
    np.save(one, np.zeros((40, 1), np.float32))  # one sample, repeated for the batch
    assert json.loads(run_cli("run", "mnist1d_cnn", "--data", str(one), "--batch", "3", "-f", "json")[1])["batch"] == 3


def test_pooling_backward_by_hand_and_the_bias_gradient(run_cli):
    grid = [[1, 3, 2, 4], [5, 6, 1, 2], [7, 2, 3, 0], [1, 2, 8, 1]]
    # max: each upstream value goes to its window's largest input (6, 4, 7 and 8)
    routed = pool(grid, 2, upstream=[[1, 2], [3, 4]]).grad_input
    assert routed.tolist() == [[0, 0, 0, 2], [0, 1, 0, 0], [3, 0, 0, 0], [0, 0, 4, 0]]
    # average: each upstream value is shared by the 4 cells of its window
    shared = pool(grid, 2, kind="avg", upstream=[[4, 8], [12, 16]]).grad_input
    assert shared.tolist() == [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]
    # the bias is added to every output: dL/db = 1 + 1 + 1 + 1
    assert convolve([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 0], [0, 1]], upstream=[[1, 1], [1, 1]]).grad_bias == 4
    code, out, _ = run_cli("pool", "-x", "1 3; 5 6", "-k", "2", "--grad", "7", "-f", "json")
    assert code == 0 and json.loads(out)["grad_input"] == [[0, 0], [0, 7]]


def test_multichannel_working_goes_channel_by_channel():
    # channel 0: 1·1 + 0·2 + 0·3 + 1·4 = 5; channel 1: 2·5 + 0·6 + 0·7 + 2·8 = 26; 5 + 26 = 31
    result = convolve(parse_matrix("1 2; 3 4 | 5 6; 7 8", "x"), parse_matrix("1 0; 0 1 | 2 0; 0 2", "k"), explain=True)
    assert result.cells[0].text == "out[0,0] = (1*1 + 0*2 + 0*3 + 1*4) + (2*5 + 0*6 + 0*7 + 2*8) = 5 + 26 = 31"
