"""--torch on random small modules: a SpecError or numbers equal to torch's, never anything else.

Hypothesis builds modules from the layers and functional calls the importer knows, with random
arguments, sometimes wrong ones (a channel count that does not follow), and a random --input in
either order. Whatever cnncalc accepts must run in torch with the input cnncalc read, with torch's
parameter count, weights-only MACs and output shape; whatever it cannot read must be a SpecError.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cnncalc

torch = pytest.importorskip("torch")
nn = torch.nn
F = nn.functional


class Call(nn.Module):
    """One functional call, as a forward method would write it."""

    def __init__(self, name: str, argument: object) -> None:
        super().__init__()
        self.name, self.argument = name, argument

    def forward(self, x):
        a = self.argument
        calls = {
            "mean": lambda: x.mean(a[0], keepdim=a[1]),
            "cat": lambda: torch.cat([x] * a[0], a[1]),
            "add": lambda: x + x if a else x * x,
            "flatten": lambda: torch.flatten(x, a),
            "view": lambda: x.view(x.size(0), -1) if a else x.reshape(x.size(0), 2, -1),
            "interpolate": lambda: F.interpolate(x, scale_factor=a),
            "adaptive": lambda: F.adaptive_avg_pool2d(x, a),
            "max_pool": lambda: F.max_pool2d(x, a[0], a[1], ceil_mode=a[2]),
            "softmax": lambda: F.softmax(x, dim=a),
            "relu": lambda: F.relu6(x) if a else x.relu(),
            "permute": lambda: x.permute(0, 2, 3, 1) if a else x.permute(0, 3, 1, 2),
        }
        return calls[self.name]()


def layer(channels: int) -> st.SearchStrategy[nn.Module]:
    """A layer for an input of `channels` channels (sometimes of another count, which torch refuses)."""
    c = st.one_of(st.just(channels), st.just(channels), st.integers(1, 6))
    small = st.integers(1, 3)
    return st.one_of(
        st.builds(lambda i, o, k, s, p, b: nn.Conv2d(i, o, k, s, min(p, k // 2), bias=b), c, st.integers(1, 6), small, small, small, st.booleans()),
        st.builds(lambda i: nn.Conv2d(i, i, 3, padding=1, groups=i), c),
        st.builds(nn.BatchNorm2d, c),
        st.builds(nn.LayerNorm, c),
        st.builds(nn.Linear, c, st.integers(1, 6)),
        st.sampled_from([nn.ReLU(), nn.Hardswish(), nn.Identity(), nn.Dropout(0.1), nn.Flatten(), nn.Flatten(2)]),
        st.builds(lambda k, s, ceil: nn.MaxPool2d(k, s, k // 2, ceil_mode=ceil), small, small, st.booleans()),
        st.builds(lambda k, ceil, inc: nn.AvgPool2d(k, 1, k // 2, ceil_mode=ceil, count_include_pad=inc), small, st.booleans(), st.booleans()),
        st.builds(nn.AdaptiveAvgPool2d, small),
        st.builds(nn.Softmax, st.sampled_from([None, 1, -1])),
        st.builds(lambda s: nn.Upsample(scale_factor=s), st.sampled_from([1, 2, 1.5])),
        st.builds(
            Call,
            st.sampled_from(["mean", "cat", "add", "flatten", "view", "interpolate", "adaptive", "max_pool", "softmax", "relu", "permute"]),
            st.one_of(st.booleans(), small, st.sampled_from([(2, 3), (-1, -2), 1, -1, (1, True), ((2, 3), True), ((2, 3), False), (1, 1), (2, 1), (2, 2, True)])),
        ),
    )  # fmt: skip


@st.composite
def modules(draw) -> tuple[nn.Sequential, int]:
    channels = first = draw(st.integers(1, 4))
    layers = []
    for _ in range(draw(st.integers(1, 5))):
        module = draw(layer(channels))
        layers.append(module)
        channels = getattr(module, "out_channels", getattr(module, "out_features", channels))
    return nn.Sequential(*layers), first


def torch_numbers(model: nn.Module, shape: tuple[int, ...]) -> tuple[int, int, tuple[int, ...]]:
    """Parameters, weights-only MACs (by hooks) and the output shape of one sample, from torch."""
    macs = 0

    def count(module, inputs, output):
        nonlocal macs
        per_sample = output.numel() // output.shape[0]
        if isinstance(module, nn.Conv2d):
            macs += per_sample * module.in_channels // module.groups * math.prod(module.kernel_size)
        elif isinstance(module, nn.Linear):
            macs += per_sample * module.in_features

    handles = [m.register_forward_hook(count) for m in model.modules()]
    try:
        out = model(torch.zeros(shape, device="meta"))
    finally:
        for handle in handles:
            handle.remove()
    return sum(p.numel() for p in model.parameters()), macs, tuple(out.shape[1:])


@settings(
    max_examples=int(__import__("os").environ.get("FUZZ_N", 100)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    modules(), st.integers(1, 9), st.integers(1, 9), st.sampled_from(["CxHxW", "1xCxHxW", "HxWxC"]), st.integers(0, 2)
)
def test_random_modules_are_read_exactly_or_refused(built, h, w, order, wrong):
    model, channels = built
    with torch.device("meta"):
        model = model.to("meta").eval()
    c = channels + wrong if wrong < 2 else channels  # now and then a channel count the module does not take
    given_input = order.replace("C", str(c)).replace("H", str(h)).replace("W", str(w))
    try:
        net = cnncalc.load(model, input=given_input)
        summary = net.summary()
    except cnncalc.SpecError:
        return  # refused: allowed, as long as it is one clear error
    *spatial, read_channels = net.shape("input")  # what cnncalc read, channels last
    try:
        params, macs, out = torch_numbers(model, (1, read_channels, *spatial))
    except RuntimeError as error:  # torch cannot run it: cnncalc must not have given numbers
        pytest.fail(f"cnncalc read {given_input} for a module torch refuses ({error}): {summary.totals}")
    assert summary.totals.trainable_params == params
    assert summary.totals.macs == macs
    (shape,) = summary.output_shapes
    # channels last, as cnncalc's shapes are; a module that ends after x.permute(0, 2, 3, 1) already is
    assert shape in ((*out[1:], out[0]), out) if len(out) > 1 else shape == out
