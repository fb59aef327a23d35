"""The executor against PyTorch (torch==2.13.0 CPU), layer by layer on random configurations.

Skipped cleanly when torch is not installed; CI installs it so these run.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import cnncalc

torch = pytest.importorskip("torch")
F = torch.nn.functional
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def to_torch(x: np.ndarray):
    return torch.from_numpy(np.ascontiguousarray(np.moveaxis(x, -1, 1)))


def from_torch(t) -> np.ndarray:
    return np.moveaxis(t.detach().numpy(), 1, -1)


def run_layer(chain: str, x: np.ndarray, weights: dict[str, np.ndarray] | None = None) -> np.ndarray:
    net = cnncalc.load(chain)
    layer = net.layer_names[1]
    given = None
    if weights is not None:
        given = {layer: weights}
    result = net.run(data=x, weights=given)
    assert result.ok
    return result.outputs[net.spec.outputs[0]]


def close(ours: np.ndarray, theirs) -> None:
    np.testing.assert_allclose(ours, from_torch(theirs), rtol=1e-5, atol=1e-5)


def sizes_text(sizes) -> str:
    return "x".join(map(str, sizes))


@st.composite
def conv_cases(draw, transposed=False):
    ndim = draw(st.integers(1, 3))
    groups = draw(st.integers(1, 3))
    c_in = groups * draw(st.integers(1, 3))
    c_out = groups * draw(st.integers(1, 3))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(ndim))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(ndim))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(ndim))
    padding = tuple(draw(st.integers(0, 2)) for _ in range(ndim))
    sizes = tuple(draw(st.integers(4, 9 if ndim < 3 else 6)) for _ in range(ndim))
    mode = "zeros" if transposed else draw(st.sampled_from(["zeros", "reflect", "circular", "replicate"]))
    bias = draw(st.booleans())
    return ndim, groups, c_in, c_out, kernel, stride, dilation, padding, sizes, mode, bias


@SETTINGS
@given(conv_cases(), st.integers(0, 2**16))
def test_convolution(case, seed):
    ndim, groups, c_in, c_out, kernel, stride, dilation, padding, sizes, mode, bias = case
    if mode in ("reflect",):
        assume(all(p < s for p, s in zip(padding, sizes, strict=True)))
    assume(all(s + 2 * p >= d * (k - 1) + 1 for s, p, d, k in zip(sizes, padding, dilation, kernel, strict=True)))
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, *sizes, c_in)).astype(np.float32)
    w = rng.standard_normal((c_out, c_in // groups, *kernel)).astype(np.float32)
    b = rng.standard_normal(c_out).astype(np.float32)
    chain = (
        f"INPUT({sizes_text((*sizes, c_in))}) → CONV(filters={c_out}, k={sizes_text(kernel)}, s={sizes_text(stride)},"
        f" p={sizes_text(padding)}, d={sizes_text(dilation)}, g={groups}, bias={str(bias).lower()},"
        f" padding_mode={mode})"
    )
    ours = run_layer(chain, x, {"weight": w, **({"bias": b} if bias else {})})
    conv = torch.nn.Conv1d if ndim == 1 else torch.nn.Conv2d if ndim == 2 else torch.nn.Conv3d
    module = conv(c_in, c_out, kernel, stride, padding, dilation, groups, bias, padding_mode=mode)
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(w))
        if bias:
            module.bias.copy_(torch.from_numpy(b))
    close(ours, module(to_torch(x)))
    assert sum(p.numel() for p in module.parameters()) == cnncalc.load(chain).summary().totals.params


@SETTINGS
@given(conv_cases(transposed=True), st.integers(0, 2**16), st.data())
def test_transposed_convolution(case, seed, data):
    ndim, groups, c_in, c_out, kernel, stride, dilation, padding, sizes, _, bias = case
    out_pad = tuple(data.draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation, strict=True))
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, *sizes, c_in)).astype(np.float32)
    w = rng.standard_normal((c_in, c_out // groups, *kernel)).astype(np.float32)
    b = rng.standard_normal(c_out).astype(np.float32)
    chain = (
        f"INPUT({sizes_text((*sizes, c_in))}) → DECONV({c_out}, k={sizes_text(kernel)}, s={sizes_text(stride)},"
        f" p={sizes_text(padding)}, d={sizes_text(dilation)}, g={groups}, op={sizes_text(out_pad)},"
        f" bias={str(bias).lower()})"
    )
    try:
        net = cnncalc.load(chain)
    except cnncalc.SpecError:
        assume(False)
    fn = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[ndim - 1]
    theirs = fn(to_torch(x), torch.from_numpy(w), torch.from_numpy(b) if bias else None, stride, padding,
                out_pad, groups, dilation)  # fmt: skip
    assert tuple(theirs.shape[2:]) == net.shape(net.layer_names[1])[:-1]
    close(run_layer(chain, x, {"weight": w, **({"bias": b} if bias else {})}), theirs)


@st.composite
def pool_cases(draw):
    ndim = draw(st.integers(1, 3))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(ndim))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(ndim))
    padding = tuple(draw(st.integers(0, k // 2)) for k in kernel)
    sizes = tuple(draw(st.integers(3, 8 if ndim < 3 else 6)) for _ in range(ndim))
    return ndim, kernel, stride, padding, sizes, draw(st.booleans()), draw(st.booleans())


@SETTINGS
@given(pool_cases(), st.sampled_from(["max", "avg"]), st.integers(0, 2**16))
def test_max_and_average_pooling(case, kind, seed):
    ndim, kernel, stride, padding, sizes, ceil, include_pad = case
    x = np.random.default_rng(seed).standard_normal((2, *sizes, 3)).astype(np.float32)
    extra = f", count_include_pad={str(include_pad).lower()}" if kind == "avg" else ""
    chain = (
        f"INPUT({sizes_text((*sizes, 3))}) → {kind.upper()}POOL(k={sizes_text(kernel)}, s={sizes_text(stride)},"
        f" p={sizes_text(padding)}, ceil_mode={str(ceil).lower()}{extra})"
    )
    if kind == "max":
        fn = (F.max_pool1d, F.max_pool2d, F.max_pool3d)[ndim - 1]
        theirs = fn(to_torch(x), kernel, stride, padding, ceil_mode=ceil)
    else:
        fn = (F.avg_pool1d, F.avg_pool2d, F.avg_pool3d)[ndim - 1]
        theirs = fn(to_torch(x), kernel, stride, padding, ceil_mode=ceil, count_include_pad=include_pad)
    close(run_layer(chain, x), theirs)


@SETTINGS
@given(st.integers(1, 2), st.integers(1, 3), st.integers(1, 3), st.booleans(), st.integers(0, 2**16))
def test_lp_pooling(ndim, kernel, stride, ceil, seed):
    x = np.abs(np.random.default_rng(seed).standard_normal((2, *(7,) * ndim, 3))).astype(np.float32)
    chain = f"INPUT({sizes_text((*(7,) * ndim, 3))}) → LPPOOL(2, k={kernel}, s={stride}, ceil_mode={str(ceil).lower()})"
    fn = (F.lp_pool1d, F.lp_pool2d)[ndim - 1]
    close(run_layer(chain, x), fn(to_torch(x), 2, kernel, stride, ceil_mode=ceil))


@SETTINGS
@given(st.integers(1, 3), st.integers(1, 5), st.integers(3, 9), st.integers(0, 2**16))
def test_adaptive_and_global_pooling(ndim, out, size, seed):
    x = np.random.default_rng(seed).standard_normal((2, *(size,) * ndim, 3)).astype(np.float32)
    shape = sizes_text((*(size,) * ndim, 3))
    fns = {"avg": (F.adaptive_avg_pool1d, F.adaptive_avg_pool2d, F.adaptive_avg_pool3d),
           "max": (F.adaptive_max_pool1d, F.adaptive_max_pool2d, F.adaptive_max_pool3d)}  # fmt: skip
    for kind, functions in fns.items():
        close(
            run_layer(f"INPUT({shape}) → ADAPTIVE_{kind.upper()}_POOL({out})", x),
            functions[ndim - 1](to_torch(x), out),
        )
    ours = run_layer(f"INPUT({shape}) → GAP", x)
    np.testing.assert_allclose(ours, to_torch(x).mean(dim=tuple(range(2, 2 + ndim))).numpy(), rtol=1e-5, atol=1e-6)


@SETTINGS
@given(st.integers(1, 3), st.integers(1, 3), st.sampled_from(["nearest", "linear"]), st.integers(0, 2**16))
def test_upsampling(ndim, scale, mode, seed):
    x = np.random.default_rng(seed).standard_normal((2, *(4,) * ndim, 3)).astype(np.float32)
    torch_mode = mode if mode == "nearest" else ("linear", "bilinear", "trilinear")[ndim - 1]
    chain = f"INPUT({sizes_text((*(4,) * ndim, 3))}) → UPSAMPLE({scale}, mode={mode})"
    align = None if mode == "nearest" else False
    close(
        run_layer(chain, x),
        F.interpolate(to_torch(x), scale_factor=scale, mode=torch_mode, align_corners=align),
    )


def test_normalizations_and_lrn():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 5, 6, 8)).astype(np.float32)
    t = to_torch(x)
    gamma, beta = rng.standard_normal(8).astype(np.float32), rng.standard_normal(8).astype(np.float32)
    mean, var = rng.standard_normal(8).astype(np.float32), rng.uniform(0.5, 2, 8).astype(np.float32)
    bn = {"weight": gamma, "bias": beta, "running_mean": mean, "running_var": var}
    theirs = F.batch_norm(t, *map(torch.from_numpy, (mean, var, gamma, beta)), training=False, eps=1e-5)
    close(run_layer("INPUT(5x6x8) → BN", x, bn), theirs)
    affine = {"weight": gamma, "bias": beta}
    close(
        run_layer("INPUT(5x6x8) → GROUPNORM(4)", x, affine),
        F.group_norm(t, 4, torch.from_numpy(gamma), torch.from_numpy(beta)),
    )
    close(run_layer("INPUT(5x6x8) → INSTANCENORM", x), F.instance_norm(t))
    theirs = F.layer_norm(torch.from_numpy(x), (8,), torch.from_numpy(gamma), torch.from_numpy(beta))
    np.testing.assert_allclose(run_layer("INPUT(5x6x8) → LAYERNORM", x, affine), theirs.numpy(), rtol=1e-5, atol=1e-5)
    close(
        run_layer("INPUT(5x6x8) → LRN(5, alpha=0.001, beta=0.75, k=2)", x),
        F.local_response_norm(t, 5, 0.001, 0.75, 2.0),
    )
    close(run_layer("INPUT(5x6x8) → LRN(4)", x), F.local_response_norm(t, 4))


ACTIVATIONS = {
    "RELU": F.relu, "RELU6": F.relu6, "TANH": torch.tanh, "SIGMOID": torch.sigmoid, "GELU": F.gelu,
    "SILU": F.silu, "HARD_SWISH": F.hardswish, "HARD_SIGMOID": F.hardsigmoid, "MISH": F.mish,
    "SOFTPLUS": F.softplus, "SOFTSIGN": F.softsign, "SELU": F.selu, "ELU": F.elu,
    "LEAKY_RELU": F.leaky_relu, "SOFTMAX": lambda t: F.softmax(t, dim=1),
    "LOG_SOFTMAX": lambda t: F.log_softmax(t, dim=1), "IDENTITY": lambda t: t,
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activations(name):
    x = (np.random.default_rng(1).standard_normal((2, 4, 4, 6)) * 4).astype(np.float32)
    close(run_layer(f"INPUT(4x4x6) → {name}", x), ACTIVATIONS[name](to_torch(x)))


def test_prelu_depthwise_separable_and_dense():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 6, 6, 4)).astype(np.float32)
    t = to_torch(x)
    alpha = rng.uniform(0, 0.5, 4).astype(np.float32)
    close(run_layer("INPUT(6x6x4) → PRELU", x, {"weight": alpha}), F.prelu(t, torch.from_numpy(alpha)))
    dw = rng.standard_normal((8, 1, 3, 3)).astype(np.float32)
    close(
        run_layer("INPUT(6x6x4) → DWCONV(3, dm=2, bias=false)", x, {"weight": dw}),
        F.conv2d(t, torch.from_numpy(dw), groups=4),
    )
    pw = rng.standard_normal((5, 8, 1, 1)).astype(np.float32)
    b = rng.standard_normal(5).astype(np.float32)
    theirs = F.conv2d(F.conv2d(t, torch.from_numpy(dw), groups=4, padding=1), torch.from_numpy(pw), torch.from_numpy(b))
    ours = run_layer("INPUT(6x6x4) → SEPARABLE_CONV(5, 3, p=1, dm=2)", x, {"depthwise": dw, "pointwise": pw, "bias": b})
    close(ours, theirs)
    w = rng.standard_normal((3, 6 * 6 * 4)).astype(np.float32)
    flat = to_torch(x).flatten(1)  # PyTorch reads the volume in (C, H, W) order
    theirs = F.linear(flat, torch.from_numpy(w), torch.from_numpy(b[:3]))
    np.testing.assert_allclose(
        run_layer("INPUT(6x6x4) → FC(3)", x, {"weight": w, "bias": b[:3]}),
        theirs.numpy(),
        rtol=1e-5,
        atol=1e-5,
    )


def test_locally_connected_against_unfold():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 6, 5, 3)).astype(np.float32)
    w = rng.standard_normal((4 * 3, 3 * 9, 2)).astype(np.float32)  # (positions, Ci·K, Co)
    b = rng.standard_normal((4 * 3, 2)).astype(np.float32)
    cols = F.unfold(to_torch(x), 3).permute(2, 0, 1)  # (positions, N, Ci·K) in PyTorch's (C, kh, kw) order
    theirs = (torch.bmm(cols, torch.from_numpy(w)) + torch.from_numpy(b)[:, None]).permute(1, 0, 2).reshape(2, 4, 3, 2)
    np.testing.assert_allclose(run_layer("INPUT(6x5x3) → LOCALLY_CONNECTED(2, 3)", x, {"weight": w, "bias": b}),
                               theirs.numpy(), rtol=1e-5, atol=1e-5)  # fmt: skip


def test_ceil_mode_windows_that_overhang_a_short_input():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((2, 3, 3, 2)).astype(np.float32)
    close(run_layer("INPUT(3x3x2) → AVGPOOL(k=4, ceil_mode=true)", x), F.avg_pool2d(to_torch(x), 4, 4, ceil_mode=True))
    close(run_layer("INPUT(3x3x2) → MAXPOOL(k=4, ceil_mode=true)", x), F.max_pool2d(to_torch(x), 4, 4, ceil_mode=True))
    line = rng.standard_normal((2, 2, 3)).astype(np.float32)
    close(
        run_layer("INPUT(2x3) → LPPOOL(2, k=3, ceil_mode=true)", line),
        F.lp_pool1d(to_torch(line), 2, 3, ceil_mode=True),
    )


def test_worked_pooling_gradients_match_autograd():
    from cnncalc.executor.worked import pool

    rng = np.random.default_rng(11)
    x = rng.uniform(0.5, 2.0, (6, 6))
    upstream = rng.standard_normal((3, 3))
    for kind, torch_pool in (
        ("max", lambda t: F.max_pool2d(t, 2)),
        ("avg", lambda t: F.avg_pool2d(t, 2)),
        ("lp", lambda t: F.lp_pool2d(t, 3.0, 2)),
    ):
        t = torch.tensor(x[None, None], requires_grad=True)
        torch_pool(t).backward(torch.tensor(upstream[None, None]))
        ours = pool(x, 2, kind=kind, power=3.0, upstream=upstream).grad_input
        np.testing.assert_allclose(ours, t.grad[0, 0].numpy(), rtol=1e-9, atol=1e-12, err_msg=kind)
