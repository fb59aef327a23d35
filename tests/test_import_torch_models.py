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


# --- torchvision's ResNet-18 (torchvision/models/resnet.py): BasicBlock calls self.relu twice ---
def conv3x3(in_planes, out_planes, stride=1):
    return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=1, bias=False)


class BasicBlock(nn.Module):
    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = conv3x3(inplanes, planes, stride)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x):
        identity = x
        out = self.conv1(x)
        out = self.bn1(out)
        out = self.relu(out)
        out = self.conv2(out)
        out = self.bn2(out)
        if self.downsample is not None:
            identity = self.downsample(x)
        out += identity
        out = self.relu(out)
        return out


class ResNet18(nn.Module):
    def __init__(self, num_classes=1000):
        super().__init__()
        self.inplanes = 64
        self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(64, 2)
        self.layer2 = self._make_layer(128, 2, stride=2)
        self.layer3 = self._make_layer(256, 2, stride=2)
        self.layer4 = self._make_layer(512, 2, stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512, num_classes)

    def _make_layer(self, planes, blocks, stride=1):
        downsample = None
        if stride != 1 or self.inplanes != planes:
            downsample = nn.Sequential(
                nn.Conv2d(self.inplanes, planes, kernel_size=1, stride=stride, bias=False), nn.BatchNorm2d(planes)
            )
        layers = [BasicBlock(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes
        layers += [BasicBlock(self.inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        return self.fc(x)


# --- torchvision's VGG-11 (configuration "A") ---
class VGG11(nn.Module):
    def __init__(self, num_classes=1000):
        super().__init__()
        layers, in_channels = [], 3
        for v in [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"]:
            if v == "M":
                layers += [nn.MaxPool2d(kernel_size=2, stride=2)]
            else:
                layers += [nn.Conv2d(in_channels, v, kernel_size=3, padding=1), nn.ReLU(inplace=True)]
                in_channels = v
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096), nn.ReLU(True), nn.Dropout(p=0.5),
            nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(p=0.5), nn.Linear(4096, num_classes),
        )  # fmt: skip

    def forward(self, x):
        x = self.features(x)
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        return self.classifier(x)


# --- torchvision's MobileNetV2: inverted residuals, a functional adaptive pool in forward ---
class Conv2dNormActivation(nn.Sequential):
    def __init__(self, in_planes, out_planes, kernel_size=3, stride=1, groups=1):
        padding = (kernel_size - 1) // 2
        super().__init__(
            nn.Conv2d(in_planes, out_planes, kernel_size, stride, padding, groups=groups, bias=False),
            nn.BatchNorm2d(out_planes),
            nn.ReLU6(inplace=True),
        )


class InvertedResidual(nn.Module):
    def __init__(self, inp, oup, stride, expand_ratio):
        super().__init__()
        hidden_dim = int(round(inp * expand_ratio))  # noqa: RUF046 (torchvision's line, verbatim)
        self.use_res_connect = stride == 1 and inp == oup
        layers = [Conv2dNormActivation(inp, hidden_dim, kernel_size=1)] if expand_ratio != 1 else []
        layers += [
            Conv2dNormActivation(hidden_dim, hidden_dim, stride=stride, groups=hidden_dim),
            nn.Conv2d(hidden_dim, oup, 1, 1, 0, bias=False),
            nn.BatchNorm2d(oup),
        ]
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        if self.use_res_connect:
            return x + self.conv(x)
        return self.conv(x)


class MobileNetV2(nn.Module):
    def __init__(self, num_classes=1000):
        super().__init__()
        settings = [
            [1, 16, 1, 1],
            [6, 24, 2, 2],
            [6, 32, 3, 2],
            [6, 64, 4, 2],
            [6, 96, 3, 1],
            [6, 160, 3, 2],
            [6, 320, 1, 1],
        ]
        features, input_channel = [Conv2dNormActivation(3, 32, stride=2)], 32
        for t, c, n, s in settings:
            for i in range(n):
                features.append(InvertedResidual(input_channel, c, s if i == 0 else 1, expand_ratio=t))
                input_channel = c
        features.append(Conv2dNormActivation(input_channel, 1280, kernel_size=1))
        self.features = nn.Sequential(*features)
        self.classifier = nn.Sequential(nn.Dropout(p=0.2), nn.Linear(1280, num_classes))

    def forward(self, x):
        x = self.features(x)
        x = nn.functional.adaptive_avg_pool2d(x, (1, 1))
        x = torch.flatten(x, 1)
        return self.classifier(x)


# --- torchvision's SqueezeNet 1.1: fire modules concatenate two expansions ---
class Fire(nn.Module):
    def __init__(self, inplanes, squeeze_planes, expand1x1_planes, expand3x3_planes):
        super().__init__()
        self.squeeze = nn.Conv2d(inplanes, squeeze_planes, kernel_size=1)
        self.squeeze_activation = nn.ReLU(inplace=True)
        self.expand1x1 = nn.Conv2d(squeeze_planes, expand1x1_planes, kernel_size=1)
        self.expand1x1_activation = nn.ReLU(inplace=True)
        self.expand3x3 = nn.Conv2d(squeeze_planes, expand3x3_planes, kernel_size=3, padding=1)
        self.expand3x3_activation = nn.ReLU(inplace=True)

    def forward(self, x):
        x = self.squeeze_activation(self.squeeze(x))
        return torch.cat(
            [self.expand1x1_activation(self.expand1x1(x)), self.expand3x3_activation(self.expand3x3(x))], 1
        )


class SqueezeNet11(nn.Module):
    def __init__(self, num_classes=1000):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, kernel_size=3, stride=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True), Fire(64, 16, 64, 64), Fire(128, 16, 64, 64),
            nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True), Fire(128, 32, 128, 128), Fire(256, 32, 128, 128),
            nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True), Fire(256, 48, 192, 192), Fire(384, 48, 192, 192),
            Fire(384, 64, 256, 256), Fire(512, 64, 256, 256),
        )  # fmt: skip
        final_conv = nn.Conv2d(512, num_classes, kernel_size=1)
        self.classifier = nn.Sequential(
            nn.Dropout(p=0.5), final_conv, nn.ReLU(inplace=True), nn.AdaptiveAvgPool2d((1, 1))
        )

    def forward(self, x):
        x = self.features(x)
        x = self.classifier(x)
        return torch.flatten(x, 1)


@pytest.mark.parametrize(
    "factory,published",
    [(ResNet18, 11_689_512), (VGG11, 132_863_336), (MobileNetV2, 3_504_872), (SqueezeNet11, 1_235_496)],
    ids=["resnet18", "vgg11", "mobilenet_v2", "squeezenet1_1"],
)  # trainable parameters as torchvision's model documentation publishes them
def test_torchvision_structures_match_torch_at_224(factory, published):
    with torch.device("meta"):  # shapes without memory: VGG-11 alone would be 530 MB of weights
        model = factory()
    assert sum(p.numel() for p in model.parameters()) == published
    net = assert_matches_torch(model, (3, 224, 224))
    if factory is ResNet18:  # every block's ReLU runs twice, one layer per call
        assert net.shape("layer1.0.relu") == net.shape("layer1.0.relu#2") == (56, 56, 64)


def stochastic_depth(input, p, mode, training=True):  # torchvision.ops.stochastic_depth's signature
    if not training or p == 0.0:
        return input
    keep = torch.empty([input.shape[0]] + [1] * (input.ndim - 1)).bernoulli_(1.0 - p)
    return input * keep / (1.0 - p)


stochastic_depth.__module__ = "torchvision.ops.stochastic_depth"
torch.fx.wrap("stochastic_depth")  # as torchvision does: one traced call, not its body


class Functional(nn.Module):
    """The functional calls of EfficientNet, MobileNetV3, ConvNeXt-style heads and U-Nets."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, padding=1)
        self.se1, self.se2 = nn.Conv2d(16, 4, 1), nn.Conv2d(4, 16, 1)
        self.up_conv = nn.Conv2d(16, 8, 3, padding=1)
        self.norm = nn.LayerNorm(24)
        self.fc = nn.Linear(24, 10)

    def forward(self, x):
        x = F.hardswish(self.conv(x))
        s = torch.sigmoid(self.se2(F.relu(self.se1(F.adaptive_avg_pool2d(x, 1)))))
        x = x * s  # squeeze-and-excitation: N×C×1×1 times N×C×H×W
        x = stochastic_depth(x, 0.2, "row", self.training) + x
        y = F.interpolate(F.max_pool2d(x, 2), scale_factor=2, mode="nearest")
        y = self.up_conv(torch.cat([y], dim=1))  # one tensor: cat returns it
        g = torch.cat([y, x], 1).mean((2, 3))  # the mean over H and W
        g = F.dropout(g, 0.1, self.training)
        return self.fc(self.norm(g))


def test_functional_calls_with_a_layer_kind_are_understood():
    model = Functional().eval()
    # conv 3·16·9+16, se 16·4+4 and 4·16+16, up_conv 16·8·9+8, layer norm 2·24, fc 24·10+10
    assert sum(p.numel() for p in model.parameters()) == 448 + 68 + 80 + 1160 + 48 + 250
    net = assert_matches_torch(model, (3, 16, 16))
    assert net.shape("mul") == (16, 16, 16) and net.shape("interpolate") == (16, 16, 16)


def test_stochastic_depth_in_training_mode_is_refused_saying_how_to_get_it_in():
    with pytest.raises(cnncalc.SpecError, match=r"stochastic_depth\(\): training mode .*call \.eval\(\)"):
        cnncalc.load(Functional().train(), input="3x16x16")


class Unsupported(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 1)

    def forward(self, x):
        x = self.conv(x)
        a, b = x.chunk(2, 2)  # along H
        return (
            x.permute(0, 3, 2, 1),
            x.permute(0, 3, 2, 1),
            a + b,
            x + x.size(1),
            x.mean(1),
            F.interpolate(x, size=(4, 4)),
        )


def test_each_unsupported_operation_is_named_once_with_its_count_and_places():
    with pytest.raises(cnncalc.SpecError) as error:
        cnncalc.load(Unsupported(), input="3x8x8")
    message = str(error.value)
    assert ".chunk(): dim=2 of a rank-4 tensor (cnncalc slices channels, dim=1) (chunk)" in message
    assert ".permute(): dims=(0, 3, 2, 1) (only N×C×… to N×…×C and back) ×2 (permute, permute_1)" in message
    assert "add(): a constant operand" in message  # x + x.size(1); a + b is downstream of chunk, not listed
    assert ".mean(): dim=1 of a rank-4 tensor" in message
    assert "interpolate(): a target size instead of scale_factor" in message
    assert message.count(".permute()") == 1 and len(message) < 600


def channel_shuffle(x: torch.Tensor, groups: int) -> torch.Tensor:  # torchvision.models.shufflenetv2's
    batchsize, num_channels, height, width = x.size()
    channels_per_group = num_channels // groups
    # reshape
    x = x.view(batchsize, groups, channels_per_group, height, width)
    x = torch.transpose(x, 1, 2).contiguous()
    # flatten
    x = x.view(batchsize, num_channels, height, width)
    return x


class ShuffleUnit(nn.Module):
    """torchvision's ShuffleNetV2 InvertedResidual, verbatim but for the stride check's messages."""

    def __init__(self, inp: int, oup: int, stride: int) -> None:
        super().__init__()
        self.stride = stride
        branch_features = oup // 2
        assert (self.stride != 1) or (inp == branch_features << 1)
        if self.stride > 1:
            self.branch1 = nn.Sequential(
                self.depthwise_conv(inp, inp, kernel_size=3, stride=self.stride, padding=1),
                nn.BatchNorm2d(inp),
                nn.Conv2d(inp, branch_features, kernel_size=1, stride=1, padding=0, bias=False),
                nn.BatchNorm2d(branch_features),
                nn.ReLU(inplace=True),
            )
        else:
            self.branch1 = nn.Sequential()
        self.branch2 = nn.Sequential(
            nn.Conv2d(
                inp if (self.stride > 1) else branch_features,
                branch_features,
                kernel_size=1,
                stride=1,
                padding=0,
                bias=False,
            ),
            nn.BatchNorm2d(branch_features),
            nn.ReLU(inplace=True),
            self.depthwise_conv(branch_features, branch_features, kernel_size=3, stride=self.stride, padding=1),
            nn.BatchNorm2d(branch_features),
            nn.Conv2d(branch_features, branch_features, kernel_size=1, stride=1, padding=0, bias=False),
            nn.BatchNorm2d(branch_features),
            nn.ReLU(inplace=True),
        )

    @staticmethod
    def depthwise_conv(i, o, kernel_size, stride=1, padding=0, bias=False):
        return nn.Conv2d(i, o, kernel_size, stride, padding, bias=bias, groups=i)

    def forward(self, x):
        if self.stride == 1:
            x1, x2 = x.chunk(2, dim=1)
            out = torch.cat((x1, self.branch2(x2)), dim=1)
        else:
            out = torch.cat((self.branch1(x), self.branch2(x)), dim=1)
        out = channel_shuffle(out, 2)
        return out


def test_shufflenet_v2_units_with_chunk_and_channel_shuffle_match_torch():
    model = nn.Sequential(ShuffleUnit(24, 116, 2), ShuffleUnit(116, 116, 1))
    net = cnncalc.load(model, input="24x28x28")
    summary = net.summary()
    # stride 2: branch1 24·9 + 48 + 24·58 + 116 = 1,772; branch2 24·58 + 116 + 58·9 + 116 + 58·58 + 116 = 5,626
    # stride 1: branch2 on the second half: 58·58 + 116 + 58·9 + 116 + 58·58 + 116 = 7,598
    assert summary.totals.trainable_params == sum(p.numel() for p in model.parameters()) == 1772 + 5626 + 7598
    with torch.no_grad():
        assert tuple(model.eval()(torch.zeros(1, 24, 28, 28)).shape) == (1, 116, 14, 14)
    assert summary.output_shapes == ((14, 14, 116),)  # 28 → 14 by the stride-2 unit; 58 + 58 channels
    kinds = [node.layer.kind for node in net.spec.nodes]
    assert kinds.count("channel_shuffle") == 2 and kinds.count("slice") == 2  # x1 and x2 of the chunk


def test_a_view_and_transpose_that_is_no_channel_shuffle_is_refused():
    class Swapped(nn.Module):
        def forward(self, x):
            b, c, h, w = x.size()
            x = x.view(b, 2, c // 2, h, w)
            return x.transpose(1, 3).contiguous().view(b, -1, h, w)  # moves spatial values into channels

    with pytest.raises(cnncalc.SpecError, match=r"\.view\(\)"):
        cnncalc.load(Swapped(), input="4x6x6")


class AuxiliaryHead(nn.Module):
    """GoogLeNet's and Inception v3's pattern: an auxiliary classifier run only in training mode,
    whose results come back in a named tuple."""

    Outputs = __import__("collections").namedtuple("Outputs", ["logits", "aux"])

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 10)
        self.aux = nn.Sequential(nn.AdaptiveAvgPool2d(2), nn.Flatten(), nn.Linear(32, 10))

    def forward(self, x):
        x = self.conv(x)
        aux = self.aux(x) if self.training else None
        logits = self.fc(torch.flatten(self.pool(x), 1))
        return self.Outputs(logits, aux) if self.training else logits


# conv 3·8·9+8 = 224, fc 8·10+10 = 90, aux 32·10+10 = 330
AUX_PARAMS, AUX_UNUSED = 224 + 90 + 330, 330


def test_parameters_the_eval_forward_never_uses_are_refused_naming_them():
    model = AuxiliaryHead().eval()
    assert sum(p.numel() for p in model.parameters()) == AUX_PARAMS  # not the 314 the eval forward uses
    with pytest.raises(cnncalc.SpecError) as error:
        cnncalc.load(model, input="3x16x16")
    assert f"holds {AUX_UNUSED} trainable parameters its forward never uses: aux (Sequential)" in str(error.value)
    assert "training mode" in error.value.hint


def test_in_training_mode_the_auxiliary_head_is_a_second_output_of_a_named_tuple():
    model = AuxiliaryHead().train()
    summary = cnncalc.load(model, input="3x16x16").summary()
    assert summary.totals.trainable_params == sum(p.numel() for p in model.parameters()) == AUX_PARAMS
    # conv 14·14·8 outputs × 27 inputs each, fc 8·10, aux 32·10
    assert summary.totals.macs == 14 * 14 * 8 * 27 + 80 + 320
    assert summary.output_shapes == ((10,), (10,))


class LayerNorm2d(nn.LayerNorm):
    """torchvision.models.convnext's, verbatim: a layer norm over the channels of N×C×H×W."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.permute(0, 2, 3, 1)
        x = F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
        x = x.permute(0, 3, 1, 2)
        return x


def test_convnext_layer_norm_2d_is_a_layer_norm_over_the_channels():
    model = nn.Sequential(nn.Conv2d(3, 8, 4, 4), LayerNorm2d(8, eps=1e-6), nn.Conv2d(8, 16, 2, 2))
    net = assert_matches_torch(model, (3, 32, 32))
    # stem 3·8·16+8 = 392, norm γ and β 2·8 = 16, conv 8·16·4+16 = 528
    assert net.summary().totals.trainable_params == 392 + 16 + 528
    assert [(r.kind, r.trainable_params) for r in net.summary().layers][2] == ("layer_norm", 16)


class LayerNormOverTwoAxes(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 1)
        self.weight, self.bias = nn.Parameter(torch.ones(8, 8)), nn.Parameter(torch.zeros(8, 8))

    def forward(self, x):
        return F.layer_norm(self.conv(x), (8, 8), self.weight, self.bias)  # over H and W: no cnncalc kind


def test_a_functional_layer_norm_over_other_axes_is_refused_by_name():
    with pytest.raises(cnncalc.SpecError, match=r"layer_norm\(\): normalized_shape=\(8, 8\) on a rank-4"):
        cnncalc.load(LayerNormOverTwoAxes(), input="3x8x8")


class SizeChecked(nn.Module):
    """ViT's _process_input: torch._assert on the input's sizes, a check while tracing, not a layer."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 4, 4)

    def forward(self, x):
        _n, _c, h, w = x.shape
        torch._assert(h == 16, f"Wrong image height! Expected 16 but got {h}!")
        torch._assert(w == 16, f"Wrong image width! Expected 16 but got {w}!")
        return self.conv(x)


def test_asserts_on_the_input_sizes_are_no_layers():
    net = assert_matches_torch(SizeChecked(), (3, 16, 16))
    assert [r.kind for r in net.summary().layers] == ["input", "conv"]


class Attention(nn.Module):
    """Operations with no layer kind behind one another: each is named, and a parameter read only by
    one of them (the einsum's scale) is not listed on its own."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 1)
        self.attn = nn.MultiheadAttention(8, 2)
        self.scale = nn.Parameter(torch.ones(8))

    def forward(self, x):
        tokens = self.conv(x).flatten(2).permute(2, 0, 1)  # N×C×H×W → L×N×C
        mixed, _ = self.attn(tokens, tokens, tokens)
        return torch.einsum("lnc,c->ln", torch.roll(mixed, 1, 0), self.scale)


def test_every_missing_operation_is_named_even_behind_another():
    with pytest.raises(cnncalc.SpecError) as error:
        cnncalc.load(Attention(), input="3x4x4")
    message = str(error.value)
    assert ".flatten(): start_dim=2, end_dim=-1" in message
    assert "MultiheadAttention (attn)" in message and "roll() (roll)" in message and "einsum() (einsum)" in message
    assert "parameter" not in message and "permute" not in message  # behind the flatten, with a kind


class TransformInput(nn.Module):
    """GoogLeNet's and Inception v3's transform_input=True (torchvision, verbatim): a per-channel
    affine map of the input, written by indexing each channel: three one-channel slices, each scaled
    and shifted by numbers (rescalings, no weights), concatenated back into three channels."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)

    def forward(self, x):
        x_ch0 = torch.unsqueeze(x[:, 0], 1) * (0.229 / 0.5) + (0.485 - 0.5) / 0.5
        x_ch1 = torch.unsqueeze(x[:, 1], 1) * (0.224 / 0.5) + (0.456 - 0.5) / 0.5
        x_ch2 = torch.unsqueeze(x[:, 2], 1) * (0.225 / 0.5) + (0.406 - 0.5) / 0.5
        x = torch.cat((x_ch0, x_ch1, x_ch2), 1)
        return self.conv(x)


def test_googlenet_transform_input_is_channel_slices_rescaled():
    net = assert_matches_torch(TransformInput(), (3, 16, 16))
    # conv 3·3·3·8 + 8 = 224 parameters, 14·14·8 outputs of 27 MACs each = 42,336; the rest weighs nothing
    assert (net.summary().totals.params, net.summary().totals.macs) == (224, 42_336)
    kinds = [r.kind for r in net.summary().layers]
    assert kinds == ["input", *["slice", "rescaling", "rescaling"] * 3, "concat", "conv"]
    assert net.shape("getitem_1") == (16, 16, 1)
    layers = {node.name: node.layer for node in net.spec.nodes}
    assert (layers["getitem_2"].start, layers["getitem_2"].stop) == (2, 3)
    assert (layers["mul_1"].scale, layers["mul_1"].offset) == (0.224 / 0.5, 0.0)
    assert (layers["add_2"].scale, layers["add_2"].offset) == (1.0, (0.406 - 0.5) / 0.5)


class Indexed(nn.Module):
    """One way of indexing the channels (or something else) after a convolution of 6 channels."""

    def __init__(self, index):
        super().__init__()
        self.conv, self.index = nn.Conv2d(3, 6, 1), index

    def forward(self, x):
        return 1.0 - self.index(self.conv(x))


@pytest.mark.parametrize(
    ("index", "channels"),
    [(lambda y: y[:, 1:4], 3), (lambda y: y[:, -2:], 2), (lambda y: y[:, 2:3, ...], 1), (lambda y: y[:, :], 6),
     (lambda y: y[:, -1].unsqueeze(1), 1)],
)  # fmt: skip
def test_channel_ranges_taken_by_indexing_are_slices(index, channels):
    net = assert_matches_torch(Indexed(index), (3, 5, 5))  # conv 3·6 + 6 = 24 parameters
    assert net.summary().output_shapes == ((5, 5, channels),)
    assert net.summary().layers[-1].kind == "rescaling"  # 1 − y: scale −1, offset 1


@pytest.mark.parametrize(
    ("index", "named"),
    [(lambda y: y[:, ::2], "a step of 2"), (lambda y: y[0], "an index other than x[:, k]"),
     (lambda y: y[:, :, 1:], "an index other than x[:, k]"), (lambda y: torch.relu(y[:, 0]), "relu(): x[:, k] without"),
     (lambda y: y[:, 0].unsqueeze(-1), ".unsqueeze(): x[:, k] without")],
)  # fmt: skip
def test_other_indexing_is_refused_by_name(index, named):
    with pytest.raises(cnncalc.SpecError) as error:
        cnncalc.load(Indexed(index), input="3x5x5")
    assert named in str(error.value)
