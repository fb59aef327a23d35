"""benchmarks/torchvision_truth.py's counting, on a hand-made torch model (torchvision not needed).

truth.json is only as good as the hooks that recorded it: each figure here is hand arithmetic.
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from benchmarks.torchvision_truth import forward_figures, parameters_and_buffers  # noqa: E402


class Probe(nn.Module):
    """Conv, grouped conv, transposed conv, batch norm, then a Linear on the channel axis and a bare scale."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)  # 3·8·9 + 8 = 224 parameters
        self.grouped = nn.Conv2d(8, 8, 3, stride=2, padding=1, groups=4)  # 2·8·9 + 8 = 152
        self.up = nn.ConvTranspose2d(8, 4, 2, stride=2)  # 8·4·4 + 4 = 132
        self.bn = nn.BatchNorm2d(4)  # 8 parameters; running mean and variance 8, one counter
        self.linear = nn.Linear(4, 6)  # 4·6 + 6 = 30
        self.gamma = nn.Parameter(torch.ones(6))  # 6, outside any Conv/Linear/norm module
        self.linear.bias.requires_grad_(False)

    def forward(self, x):
        x = self.bn(self.up(self.grouped(self.conv(x))))
        return self.linear(x.permute(0, 2, 3, 1)) * self.gamma


def test_parameters_and_buffers_by_hand():
    counts = parameters_and_buffers(Probe())
    assert counts["trainable"] == 224 + 152 + 132 + 8 + 24 + 6  # the Linear's 6 biases are frozen
    assert counts["non_trainable_params"] == 6
    assert (counts["running_stats"], counts["num_batches_tracked"], counts["other_buffers"]) == (8, 1, {})
    assert counts["params_outside_counted_modules"] == 6


def test_weights_only_macs_by_hand():
    figures = forward_figures(Probe().eval(), 10, "cpu")
    conv = 8 * 10 * 10 * 3 * 9  # output values × inputs per value
    grouped = 8 * 5 * 5 * (8 // 4) * 9
    up = 8 * 5 * 5 * 4 * 2 * 2  # per INPUT value: out_channels/groups × kernel
    linear = 10 * 10 * 6 * 4  # every position: 6 outputs × 4 inputs
    assert figures == {
        "macs": conv + grouped + up + linear,
        "output_shape": [10, 10, 6],
        "params_in_uncalled_modules": 0,
    }


class Attention(nn.Module):
    """Self-attention over the 4 positions of a 2×2 map with 8 channels, as ViT calls it, and a Linear
    whose weight is used through F.linear (as Swin does with its qkv), so its hook never fires."""

    def __init__(self) -> None:
        super().__init__()
        self.embed = nn.Conv2d(3, 8, 1)  # a patch embedding: 4 positions × 8 × 3 MACs
        self.attention = nn.MultiheadAttention(8, 2, batch_first=True)
        self.aside = nn.Linear(8, 8)  # 72 parameters, never called

    def forward(self, x):
        tokens = self.embed(x).flatten(2).transpose(1, 2)  # (1, 4, 8)
        out, _ = self.attention(tokens, tokens, tokens, need_weights=False)
        return nn.functional.linear(out, self.aside.weight)


def test_attention_projections_and_unseen_weights_by_hand():
    figures = forward_figures(Attention().eval(), 2, "cpu")
    # 4 tokens: q, k and v projections 3·(4·8·8), output projection 4·8·8; q·kᵀ and ·v are not weights
    assert figures["macs"] == 4 * 8 * 3 + 4 * 8 * 8 * 3 + 4 * 8 * 8
    assert figures["params_in_uncalled_modules"] == 8 * 8 + 8
    assert figures["output_shape"] == [4, 8]
    # in_proj (3·8·8 + 3·8) and out_proj (8·8 + 8) belong to the attention module, counted
    assert parameters_and_buffers(Attention())["params_outside_counted_modules"] == 0
