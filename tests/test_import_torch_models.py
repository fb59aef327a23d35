"""--torch on the modules people actually have: torchvision's structures, written out here (torchvision
does not install beside this torch), and the CIFAR-10 tutorial's Net verbatim.

Truth is torch's own: trainable parameters are sum(p.numel()), buffers are the BN statistics, output
shapes come from a forward pass on the meta device (shapes only, no data), and weights-only MACs are
counted by forward hooks with the hand formula (output values × inputs per output value).
"""

from __future__ import annotations

import math

import pytest

import cnncalc

torch = pytest.importorskip("torch")
nn = torch.nn
F = nn.functional


# --- The PyTorch CIFAR-10 tutorial (pytorch.org/tutorials/beginner/blitz/cifar10_tutorial), verbatim ---
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)  # flatten all dimensions except batch
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


# conv1 3·6·5²+6, conv2 6·16·5²+16, fc1 400·120+120, fc2 120·84+84, fc3 84·10+10
NET_PARAMS = 456 + 2416 + 48120 + 10164 + 850
# conv1 28·28·6 outputs × 75, conv2 10·10·16 × 150, fc 400·120 + 120·84 + 84·10
NET_MACS = 28 * 28 * 6 * 75 + 10 * 10 * 16 * 150 + 400 * 120 + 120 * 84 + 84 * 10


def device_of(model: nn.Module) -> object:
    return next(model.parameters()).device  # the big ones are built on "meta": shapes without memory


def weight_macs(model: nn.Module, pytorch_shape: tuple[int, ...]) -> int:
    """Weights-only MACs of one sample, by hooks: a conv output value takes (C_in/groups)·k MACs, a
    linear output value in_features."""
    total = 0

    def count(module, inputs, output):
        nonlocal total
        per_sample = output.numel() // output.shape[0]
        if isinstance(module, nn.modules.conv._ConvNd):
            total += per_sample * module.in_channels // module.groups * math.prod(module.kernel_size)
        elif isinstance(module, nn.Linear):
            total += per_sample * module.in_features

    handles = [m.register_forward_hook(count) for m in model.modules()]
    model(torch.zeros(pytorch_shape, device=device_of(model)))
    for handle in handles:
        handle.remove()
    return total


def assert_matches_torch(model: nn.Module, pytorch_shape: tuple[int, ...]) -> cnncalc.Network:
    """Parameters, buffers, weights-only MACs and output shape equal torch's; `pytorch_shape` is C×H×W."""
    net = cnncalc.load(model, input="x".join(map(str, pytorch_shape)))
    totals = net.summary().totals
    assert totals.trainable_params == sum(p.numel() for p in model.parameters())
    buffers = sum(b.numel() for n, b in model.named_buffers() if not n.endswith("num_batches_tracked"))
    assert totals.non_trainable_params == buffers
    assert totals.macs == weight_macs(model, (1, *pytorch_shape))
    out = model(torch.zeros((1, *pytorch_shape), device=device_of(model))).shape[1:]
    assert net.summary().output_shapes == ((*out[1:], out[0]),)  # channels last
    return net


def test_cifar10_tutorial_net_verbatim_in_every_input_order():
    model = Net()
    assert sum(p.numel() for p in model.parameters()) == NET_PARAMS
    assert weight_macs(model, (1, 3, 32, 32)) == NET_MACS
    for given in ("3x32x32", "1x3x32x32", "32x32x3"):  # PyTorch's C×H×W, N×C×H×W, cnncalc's H×W×C
        summary = cnncalc.load(model, input=given).summary()
        assert (summary.totals.params, summary.totals.macs) == (NET_PARAMS, NET_MACS), given
        assert summary.output_shapes == ((10,),)
    assert assert_matches_torch(model, (3, 32, 32)).shape("pool#2") == (5, 5, 16)  # self.pool, second call


def test_cifar10_net_from_the_command_line(run_cli, tmp_path, monkeypatch):
    import inspect
    import json
    import sys

    source = "import torch\nfrom torch import nn\nimport torch.nn.functional as F\n\n" + inspect.getsource(Net)
    (tmp_path / "tutorial_net_x.py").write_text(source, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        code, out, err = run_cli("summary", "--torch", "tutorial_net_x:Net", "--input", "3x32x32", "-f", "json")
        assert code == 0, err
        assert json.loads(out)["totals"]["params"] == NET_PARAMS  # read as H=3, W=32, C=32 it was 28,170 + …
        code, out, err = run_cli("summary", "--torch", "tutorial_net_x:Net", "--input", "32x32x4")
    finally:
        sys.modules.pop("tutorial_net_x", None)
    assert code == 2 and "Traceback" not in err
    assert "conv1 (Conv2d) takes 3 channels; read as H×W×C it has 4, as C×H×W it has 32" in err, err


@pytest.mark.parametrize(
    "given,message",
    [
        ("4x32x32", "conv1 (Conv2d) takes 3 channels; read as H×W×C it has 32, as C×H×W it has 4"),
        ("2x3x32x32", "has 4 sizes, which conv1 (Conv2d)"),  # a batch of 2 is not a sample's shape
        ("32x32", "has 2 sizes, which conv1 (Conv2d), the first layer of Net, cannot take"),
    ],
)
def test_an_input_that_fits_no_order_is_refused_saying_how_it_was_read(given, message):
    with pytest.raises(cnncalc.SpecError, match="--input") as error:
        cnncalc.load(Net(), input=given)
    assert message in str(error.value)


def test_an_input_two_orders_fit_is_refused_naming_both_and_how_to_write_each():
    model = nn.Sequential(nn.ReLU(), nn.Conv2d(3, 4, 3, padding=1))  # found behind the ReLU
    with pytest.raises(cnncalc.SpecError, match="ambiguous") as error:
        cnncalc.load(model, input="3x32x3")
    text = f"{error.value} {error.value.hint}"
    assert "0 (Conv2d) takes 3 channels" not in text and "1 (Conv2d) takes 3 channels" in text
    assert "both H×W×C (spatial 3×32) and C×H×W (spatial 32×3) fit" in text
    assert "--input 1x3x3x32 for H×W = 3×32 or --input 1x3x32x3 for H×W = 32×3" in text
    for way, shape in (("1x3x32x3", (32, 3, 4)), ("1x3x3x32", (3, 32, 4))):  # each way really works
        assert cnncalc.load(model, input=way).summary().output_shapes == (shape,)
