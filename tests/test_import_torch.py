"""PyTorch import by torch.fx tracing: modules written here; counts and shapes as torch reports them."""

from __future__ import annotations

import sys
import textwrap

import pytest

import cnncalc

torch = pytest.importorskip("torch")
nn = torch.nn


class Residual(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.branch = nn.Conv2d(16, 16, 3, padding=1)
        self.side = nn.Conv2d(16, 8, 1)
        self.pool = nn.MaxPool2d(2, ceil_mode=True)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(24, 10))

    def forward(self, x):
        x = self.stem(x)
        y = torch.relu(self.branch(x) + x)
        z = torch.cat([y, self.side(y)], dim=1)
        return self.head(self.pool(z))


def test_traced_module_matches_torch():
    model = Residual()
    net = cnncalc.load(model, input="15x15x3")
    summary = net.summary()
    assert summary.totals.trainable_params == sum(p.numel() for p in model.parameters())
    buffers = sum(b.numel() for n, b in model.named_buffers() if not n.endswith("num_batches_tracked"))
    assert summary.totals.non_trainable_params == buffers
    assert summary.output_shapes == ((10,),)
    assert net.shape("pool") == (8, 8, 24)  # ceil mode: 15 → 8
    with torch.no_grad():
        assert tuple(model.eval()(torch.zeros(1, 3, 15, 15)).shape) == (1, 10)


def test_cli_torch_factory(run_cli, tmp_path, monkeypatch):
    (tmp_path / "mynets.py").write_text(
        textwrap.dedent(
            """
            from torch import nn

            def make_net():
                return nn.Sequential(nn.Conv2d(1, 4, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 12 * 12, 10))
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    code, out, _ = run_cli("summary", "--torch", "mynets:make_net", "--input", "28x28x1", "-f", "json")
    assert code == 0
    import json

    data = json.loads(out)
    assert data["totals"]["params"] == 1 * 4 * 25 + 4 + 576 * 10 + 10
    assert data["layers"][3]["output_shape"] == [12, 12, 4]
    sys.modules.pop("mynets", None)


def test_untraceable_and_unsupported_are_clear(run_cli):
    class Odd(nn.Module):
        def forward(self, x):
            return torch.topk(x, 2)[0]

    with pytest.raises(cnncalc.SpecError, match="does not understand"):
        cnncalc.load(Odd(), input="8x8x3")
    with pytest.raises(cnncalc.SpecError, match="needs --input"):
        cnncalc.load(Residual())
    code, _, err = run_cli("summary", "--torch", "nonexistent_module_xyz:make")
    assert code == 2 and "cannot load nonexistent_module_xyz:make" in err


@pytest.mark.parametrize(
    "module,reason",
    [
        (nn.Upsample(scale_factor=1.5), "scale_factor=1.5"),
        (nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True), "align_corners=True"),
        (nn.Upsample(scale_factor=2, mode="bicubic"), "mode='bicubic'"),
        (nn.Flatten(start_dim=2), "start_dim=2"),
        (nn.Softmax(dim=2), "dim=2"),
        (nn.AvgPool2d(2, divisor_override=1), "divisor_override=1"),
        (nn.Softplus(beta=2), "beta=2"),
        (nn.GELU(approximate="tanh"), "approximate='tanh'"),
    ],
)
def test_arguments_cnncalc_cannot_represent_are_refused_not_dropped(module, reason):
    with pytest.raises(cnncalc.SpecError, match="does not understand") as error:
        cnncalc.load(nn.Sequential(nn.Conv2d(3, 4, 3), module), input="8x8x3")
    assert reason in str(error.value)


def test_linear_on_a_volume_and_partial_reshapes_are_refused():
    # PyTorch's Linear acts on the last axis only (W here): 6·5 + 5 = 35 parameters, output N×4×6×5.
    # cnncalc's dense layer connects all values, so this was 144·5 + 5 = 725 or an in_features error.
    for linear in (nn.Linear(6, 5), nn.Linear(144, 5)):
        with pytest.raises(
            cnncalc.SpecError,
            match=r"Linear: applied to the last axis of a rank-4 tensor \(N×C×H×W: it acts on W\) \(1\)",
        ):
            cnncalc.load(nn.Sequential(nn.Conv2d(3, 4, 3), linear), input="8x8x3")
    with pytest.raises(cnncalc.SpecError, match=r"rank-3 tensor \(N×C×L: it acts on L\)"):
        cnncalc.load(nn.Sequential(nn.Conv1d(3, 4, 3), nn.Linear(6, 5)), input="8x3")

    class Partial(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 3)

        def forward(self, x):
            y = self.conv(x)
            return torch.add(y.reshape(2, 4, 2, 18), 1, alpha=2)

    with pytest.raises(cnncalc.SpecError, match=r"\.reshape\(\)"):
        cnncalc.load(Partial(), input="8x8x3")


def test_flatten_by_view_with_the_batch_size_is_understood():
    class Classic(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv, self.fc = nn.Conv2d(3, 4, 3), nn.Linear(6 * 6 * 4, 2)

        def forward(self, x):
            return self.fc(self.conv(x).view(x.size(0), -1))

    class ShapeIndexed(Classic):
        def forward(self, x):
            y = self.conv(x)
            return self.fc(y.reshape(y.shape[0], -1))

    for module in (Classic(), ShapeIndexed()):
        summary = cnncalc.load(module, input="8x8x3").summary()
        # conv 3·4·3² + 4 = 112, fc (6·6·4)·2 + 2 = 290
        assert summary.output_shapes == ((2,),) and summary.totals.params == 112 + 290

    class Shared(Classic):
        def forward(self, x):
            y = self.conv(x).flatten(1)
            return self.fc(y) + self.fc(y)

    with pytest.raises(cnncalc.SpecError, match=r"Linear: called more than once \(shared weights.*\(fc\)"):
        cnncalc.load(Shared(), input="8x8x3")


FACTORIES = """
import sys
from torch import nn

def raises():
    raise ValueError("needs 4 channels, got 3")

def exits():
    sys.exit(3)

def returns_an_int():
    return 5

def needs_arguments(width):
    return nn.Linear(width, 2)

not_callable = 7
"""


@pytest.mark.parametrize(
    "target,message",
    [
        ("factories_x:raises", "--torch factories_x:raises: the factory raised ValueError: needs 4 channels, got 3"),
        ("factories_x:exits", "--torch factories_x:exits: the factory raised SystemExit: 3"),
        ("factories_x:returns_an_int", "--torch factories_x:returns_an_int: the factory returned int, not a torch.nn.Module"),
        ("factories_x:needs_arguments", "the factory raised TypeError: needs_arguments() missing 1 required positional"),
        ("factories_x:not_callable", "cannot load factories_x:not_callable: factories_x has no function or class 'not_callable'"),
        ("factories_x:missing", "factories_x has no function or class 'missing'"),
        ("broken_at_import_x:make", "importing broken_at_import_x raised RuntimeError: no GPU here"),
        ("bad_syntax_x:make", "importing bad_syntax_x raised SyntaxError: "),
        ("nonexistent_module_xyz:make", "raised ModuleNotFoundError: No module named 'nonexistent_module_xyz'"),
    ],
)  # fmt: skip
def test_a_failing_factory_is_one_message_naming_it(run_cli, tmp_path, monkeypatch, target, message):
    (tmp_path / "factories_x.py").write_text(FACTORIES, encoding="utf-8")
    (tmp_path / "broken_at_import_x.py").write_text("raise RuntimeError('no GPU here')\n", encoding="utf-8")
    (tmp_path / "bad_syntax_x.py").write_text("def make(:\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        code, out, err = run_cli("summary", "--torch", target, "--input", "8x8x3")
    finally:
        for name in ("factories_x", "broken_at_import_x", "bad_syntax_x"):
            sys.modules.pop(name, None)
    assert code == 2, out
    assert message in err and "Traceback" not in err and err.count("\n") <= 2, err


class Doubled(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)

    def forward(self, x):
        y = self.conv(x)
        return {"sum": y + y, "both": torch.cat([y, y], 1)}  # one tensor twice; a dict of outputs


def test_a_tensor_used_twice_by_one_call_is_two_inputs_and_dict_outputs_are_read():
    net = cnncalc.load(Doubled(), input="3x8x8")
    with torch.no_grad():
        out = Doubled()(torch.zeros(1, 3, 8, 8))
    assert net.summary().output_shapes == ((6, 6, 4), (6, 6, 8))  # channels last
    assert tuple(out["sum"].shape) == (1, 4, 6, 6) and tuple(out["both"].shape) == (1, 8, 6, 6)


class TwoInputs(nn.Module):
    def forward(self, x, y):
        return x + y


class SizedPool(nn.Module):
    def forward(self, x):
        return nn.functional.max_pool2d(x, x.size(2))  # a kernel computed from the input's size


def test_modules_cnncalc_cannot_read_are_one_message():
    with pytest.raises(cnncalc.SpecError, match=r"forward takes 2 inputs \(x, y\)"):
        cnncalc.load(TwoInputs(), input="8x8x3")
    with pytest.raises(cnncalc.SpecError, match="max_pool2d\\(\\): an argument computed from the input's sizes"):
        cnncalc.load(SizedPool(), input="8x8x3")


def test_layers_built_for_other_channels_than_they_receive_are_refused():
    # torch: "expected input to have 1 channels, but got 2"; cnncalc would size conv 1's weights
    # from the 2 channels it receives (2·1·9 + 1 = 19 instead of torch's 1·1·9 + 1 = 10).
    model = nn.Sequential(nn.Conv2d(1, 2, 1, bias=False), nn.Conv2d(1, 1, 3, padding=1))
    with pytest.raises(cnncalc.SpecError, match=r"1 \(Conv2d\) was built for 1 channels but receives 2"):
        cnncalc.load(model, input="1x5x5")
    with pytest.raises(cnncalc.SpecError, match=r"1 \(BatchNorm2d\) was built for 3 channels but receives 2"):
        cnncalc.load(nn.Sequential(nn.Conv2d(1, 2, 1), nn.BatchNorm2d(3)), input="1x5x5")


def test_a_pool_fixes_the_spatial_rank_when_no_layer_counts_channels():
    # N×C×H×W = 1×2×4×6 into a 2-D pool: PyTorch's order, output C×H×W = 2×2×3.
    net = cnncalc.load(nn.Sequential(nn.MaxPool2d(2)), input="1x2x4x6")
    assert net.summary().output_shapes == ((2, 3, 2),)
    assert cnncalc.load(nn.Sequential(nn.MaxPool2d(2)), input="2x4x6").summary().output_shapes == ((2, 3, 2),)


def test_a_bool_is_not_a_dimension():
    class Soft(nn.Module):
        def forward(self, x):
            return nn.functional.softmax(x, dim=True)  # torch: "must be int, not bool"

    with pytest.raises(cnncalc.SpecError, match=r"softmax\(\): dim=True"):
        cnncalc.load(Soft(), input="3x4x4")


class ChannelsLastNorm(nn.Module):
    """ConvNeXt's LayerNorm2d and block layout: permute to N×H×W×C, norm the channels, permute back."""

    def __init__(self, linear: bool = False) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 7, padding=3, groups=1)
        self.norm = nn.LayerNorm(8, eps=1e-6)
        self.fc = nn.Linear(8, 32) if linear else nn.Identity()

    def forward(self, x):
        x = self.conv(x).permute(0, 2, 3, 1)
        x = nn.functional.gelu(self.fc(self.norm(x)))
        return x.permute(0, 3, 1, 2)


def test_a_channels_last_stretch_between_permutes_is_read_in_cnncalcs_layout():
    model = ChannelsLastNorm()
    summary = cnncalc.load(model, input="3x10x10").summary()
    # conv 3·8·49 + 8 = 1,184; layer norm γ, β of 8 channels = 16
    assert summary.totals.trainable_params == sum(p.numel() for p in model.parameters()) == 1184 + 16
    with torch.no_grad():
        assert tuple(model(torch.zeros(1, 3, 10, 10)).shape) == (1, 8, 10, 10)
    assert summary.output_shapes == ((10, 10, 8),)
    model = ChannelsLastNorm(linear=True)  # ConvNeXt's pointwise Linear: 8·32 + 32 = 288 at every position
    summary = cnncalc.load(model, input="3x10x10").summary()
    assert summary.totals.trainable_params == sum(p.numel() for p in model.parameters()) == 1184 + 16 + 288
    assert summary.totals.macs == 10 * 10 * 8 * 3 * 49 + 10 * 10 * 32 * 8  # conv, then 8·32 per position
    with torch.no_grad():
        assert tuple(model(torch.zeros(1, 3, 10, 10)).shape) == (1, 32, 10, 10)
    assert summary.output_shapes == ((10, 10, 32),)

    class OtherPermute(nn.Module):
        def forward(self, x):
            return x.permute(0, 1, 3, 2).relu(), x.permute(0, 2, 3, 1).softmax(1)

    with pytest.raises(cnncalc.SpecError) as error:
        cnncalc.load(OtherPermute(), input="3x4x5")
    assert ".permute(): dims=(0, 1, 3, 2)" in str(error.value)
    assert ".softmax(): on a channels-last tensor" in str(error.value)


def test_a_2d_layer_given_another_rank_is_refused_not_counted_as_another_layer():
    # torch: "expected 4D input (got 5D input)"; cnncalc's batch norm and pools take any rank.
    class Doubled(nn.Module):  # no channel-counting layer before the cat: the input is read C×D×H×W
        def __init__(self) -> None:
            super().__init__()
            self.norm = nn.BatchNorm2d(2)

        def forward(self, x):
            return nn.functional.max_pool2d(self.norm(torch.cat([x, x], 1)), 1)

    with pytest.raises(cnncalc.SpecError, match=r"BatchNorm2d: a rank-5 input \(a 2d layer takes rank 4"):
        cnncalc.load(Doubled(), input="1x2x3x4")
    assert cnncalc.load(Doubled(), input="1x3x4").summary().output_shapes == ((3, 4, 2),)  # C×H×W


class OldTutorialNet(nn.Module):
    """The CIFAR-10 tutorial before torch.flatten: x.view(-1, 16 * 5 * 5)."""

    def __init__(self, features: int = 16 * 5 * 5) -> None:
        super().__init__()
        self.conv, self.pool, self.fc = nn.Conv2d(3, 16, 5), nn.MaxPool2d(4), nn.Linear(features, 10)
        self.features = features

    def forward(self, x):
        return self.fc(self.pool(self.conv(x)).view(-1, self.features))


def test_a_view_to_minus_one_rows_is_a_flatten_only_when_it_keeps_one_row_per_sample():
    # 24×24 after the conv, 6×6 after the pool: 16·6·6 = 576 values per sample
    summary = cnncalc.load(OldTutorialNet(576), input="3x28x28").summary()
    assert summary.totals.params == (3 * 16 * 25 + 16) + (576 * 10 + 10)
    with pytest.raises(cnncalc.SpecError, match="in_features=144 receives 576"):
        cnncalc.load(OldTutorialNet(144), input="3x28x28")  # torch: 4 rows per sample, no error

    class Rows(nn.Module):  # torch returns 4 rows of 144 for each sample
        def forward(self, x):
            return x.view(-1, 144)

    with pytest.raises(cnncalc.SpecError, match=r"view\(-1, 144\) of a sample of 576 values"):
        cnncalc.load(Rows(), input="16x6x6")


class Permute(nn.Module):
    def __init__(self, dims: list[int]) -> None:
        super().__init__()
        self.dims = dims

    def forward(self, x):
        return torch.permute(x, self.dims)


class CNBlock(nn.Module):
    """torchvision's ConvNeXt block (without stochastic depth): γ of shape (C, 1, 1) times the block."""

    def __init__(self, dim: int, layer_scale: float = 1e-6) -> None:
        super().__init__()
        self.block = nn.Sequential(
            nn.Conv2d(dim, dim, kernel_size=7, padding=3, groups=dim, bias=True),
            Permute([0, 2, 3, 1]),
            nn.LayerNorm(dim, eps=1e-6),
            nn.Linear(in_features=dim, out_features=4 * dim, bias=True),
            nn.GELU(),
            nn.Linear(in_features=4 * dim, out_features=dim, bias=True),
            Permute([0, 3, 1, 2]),
        )
        self.layer_scale = nn.Parameter(torch.ones(dim, 1, 1) * layer_scale)

    def forward(self, input):
        result = self.layer_scale * self.block(input)
        result += input
        return result


class GammaBlock(nn.Module):
    """The original ConvNeXt block: γ of shape (C,) multiplies inside the channels-last stretch."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.dwconv = nn.Conv2d(dim, dim, kernel_size=7, padding=3, groups=dim)
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.pwconv1 = nn.Linear(dim, 4 * dim)
        self.act = nn.GELU()
        self.pwconv2 = nn.Linear(4 * dim, dim)
        self.gamma = nn.Parameter(1e-6 * torch.ones(dim))

    def forward(self, x):
        input = x
        x = self.dwconv(x).permute(0, 2, 3, 1)
        x = self.pwconv2(self.act(self.pwconv1(self.norm(x))))
        x = self.gamma * x
        return input + x.permute(0, 3, 1, 2)


@pytest.mark.parametrize("block", [CNBlock, GammaBlock])
def test_convnext_layer_scale_is_one_trainable_multiplier_per_channel(block):
    model = block(8)
    summary = cnncalc.load(model, input="8x9x9").summary()
    # depthwise 8·49 + 8 = 400; norm 16; linears 8·32 + 32 = 288 and 32·8 + 8 = 264; γ 8
    assert summary.totals.trainable_params == sum(p.numel() for p in model.parameters()) == 400 + 16 + 288 + 264 + 8
    with torch.no_grad():
        assert tuple(model(torch.zeros(1, 8, 9, 9)).shape) == (1, 8, 9, 9)
    assert summary.output_shapes == ((9, 9, 8),)


class Scaled(nn.Module):
    """A parameter used in forward other than as one γ * x: shared by two multiplies, or added."""

    def __init__(self, shape: tuple[int, ...] = (4, 1, 1), shared: bool = True) -> None:
        super().__init__()
        self.blocks = nn.ModuleList(nn.Conv2d(4, 4, 1) for _ in range(5))
        self.scales = nn.ParameterList(nn.Parameter(torch.ones(shape)) for _ in range(5))
        self.shared = shared

    def forward(self, x):
        for block, scale in zip(self.blocks, self.scales, strict=True):
            x = x + scale * block(x) * scale if self.shared else x + scale * block(x)
        return x


def test_parameters_used_in_forward_other_than_as_a_layer_scale_are_one_refused_operation():
    with pytest.raises(cnncalc.SpecError) as error:
        cnncalc.load(Scaled(), input="4x8x8")
    assert "a parameter or buffer used directly in forward ×5 (scales.0, scales.1, scales.2, …)" in str(error.value)
    model = Scaled(shared=False)  # each γ once: five layer scales of 4
    assert cnncalc.load(model, input="4x8x8").summary().totals.params == sum(p.numel() for p in model.parameters())
    with pytest.raises(cnncalc.SpecError, match=r"scales.0 of shape \(4, 8\) on a rank-4 N×C×… tensor"):
        cnncalc.load(Scaled((4, 8), shared=False), input="4x8x8")  # torch broadcasts it over W

    class Buffered(nn.Module):  # a buffer is no trainable γ
        def __init__(self) -> None:
            super().__init__()
            self.register_buffer("gamma", torch.ones(4, 1, 1))

        def forward(self, x):
            return self.gamma * x

    with pytest.raises(cnncalc.SpecError, match="a parameter or buffer used directly in forward"):
        cnncalc.load(Buffered(), input="4x8x8")
    one = Scaled((1, 1, 1), shared=False)  # PyTorch broadcasts one value over 4 channels: 1 parameter, not 4
    with pytest.raises(cnncalc.SpecError, match=r"scales.0 \(a parameter\) was built for 1 channels but receives 4"):
        cnncalc.load(one, input="4x8x8")


class Halves(nn.Module):
    """Splits of 10 channels as PyTorch counts them: chunk(3) is 4, 4, 2; split(3) is 3, 3, 3, 1."""

    def __init__(self, how: str) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 10, 1)
        self.how = how

    def forward(self, x):
        x = self.conv(x)
        if self.how == "method":
            a, b, c = x.chunk(3, dim=1)
            return torch.cat([c, a], 1), b
        if self.how == "function":
            parts = torch.split(x, 3, dim=1)
            return parts[-1], parts[1]
        a, b = x.split([7, 3], 1)
        return b, torch.chunk(a, 2, 1)[1]


@pytest.mark.parametrize("how", ["method", "function", "list"])
def test_chunk_and_split_along_channels_are_slices_of_the_sizes_pytorch_makes(how):
    model = Halves(how)
    net = cnncalc.load(model, input="3x5x5")
    with torch.no_grad():
        expected = tuple((5, 5, t.shape[1]) for t in model(torch.zeros(1, 3, 5, 5)))
    assert net.summary().output_shapes == expected  # (2+4, 4), (1, 3), (3, 3): hand-checked above
    assert expected == {"method": ((5, 5, 6), (5, 5, 4)), "function": ((5, 5, 1), (5, 5, 3)),
                        "list": ((5, 5, 3), (5, 5, 3))}[how]  # fmt: skip
    assert net.summary().totals.params == sum(p.numel() for p in model.parameters()) == 3 * 10 + 10


def test_splits_cnncalc_cannot_slice_are_refused_by_name():
    class Odd(nn.Module):
        def forward(self, x):
            a, b = x.chunk(2, dim=2)  # along H
            c = torch.cat(x.chunk(2, 1), 1)  # the parts used together
            return a, b, c

    with pytest.raises(cnncalc.SpecError) as error:
        cnncalc.load(Odd(), input="4x6x6")
    assert ".chunk(): dim=2 of a rank-4 tensor" in str(error.value)
    assert ".chunk(): its parts used other than one by one" in str(error.value)
