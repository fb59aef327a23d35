"""Small torch modules that reproduce what torchvision's classifiers do, for the ONNX import tests and
fixtures (torchvision itself cannot be installed beside torch 2.13)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class BasicBlockNet(nn.Module):
    """torchvision's ResNet stem and BasicBlock: `self.relu` is one module called three times."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8)
        self.relu = nn.ReLU(inplace=True)
        self.conv2, self.bn2 = nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8)
        self.conv3, self.bn3 = nn.Conv2d(8, 8, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(8)
        self.down = nn.Sequential(nn.Conv2d(8, 8, 1, stride=2, bias=False), nn.BatchNorm2d(8))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        y = self.relu(self.bn2(self.conv2(x)))
        x = self.relu(self.bn3(self.conv3(y)) + self.down(x))
        x = self.pool(x)
        return self.fc(x.view(x.size(0), -1))


class MobileNetV3Block(nn.Module):
    """Hard-swish, squeeze-excitation gated by hard-sigmoid, F.adaptive_avg_pool2d, a classifier with dropout."""

    def __init__(self) -> None:
        super().__init__()
        self.conv, self.bn, self.act = (
            nn.Conv2d(3, 16, 3, stride=2, padding=1, bias=False),
            nn.BatchNorm2d(16),
            nn.Hardswish(),
        )
        self.fc1, self.fc2, self.gate = nn.Conv2d(16, 4, 1), nn.Conv2d(4, 16, 1), nn.Hardsigmoid()
        self.head = nn.Sequential(nn.Linear(16, 32), nn.Hardswish(), nn.Dropout(0.2), nn.Linear(32, 10))

    def forward(self, x):
        x = self.act(self.bn(self.conv(x)))
        x = x * self.gate(self.fc2(F.relu(self.fc1(F.adaptive_avg_pool2d(x, 1)))))
        return self.head(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class ShuffleBlock(nn.Module):
    """ShuffleNetV2's unit: chunk into two halves, a depthwise branch, concatenation, channel shuffle."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 1)
        self.branch = nn.Conv2d(4, 4, 3, padding=1, groups=4)
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        a, b = self.conv(x).chunk(2, dim=1)
        x = torch.cat((a, self.branch(b)), 1)
        n, c, h, w = x.size()
        x = x.view(n, 2, c // 2, h, w).transpose(1, 2).contiguous().view(n, c, h, w)
        return self.fc(x.mean((2, 3)))


def channel_shuffle(x, groups: int = 2):
    """torchvision's shufflenetv2.channel_shuffle: the view's sizes come from x.size()."""
    n, c, h, w = x.size()
    return x.view(n, groups, c // groups, h, w).transpose(1, 2).contiguous().view(n, c, h, w)


class ShuffleStage(nn.Module):
    """Two ShuffleNetV2 units: the second chunks the first's shuffled output, so the chunk's bounds come
    from the shape of a tensor whose view sizes were computed (Shape → Gather → Add → Div → Mul → Slice
    when exported without constant folding)."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 1)
        self.branches = nn.ModuleList(nn.Conv2d(4, 4, 3, padding=1, groups=4) for _ in range(2))
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        x = self.conv(x)
        for branch in self.branches:
            a, b = x.chunk(2, dim=1)
            x = channel_shuffle(torch.cat((a, branch(b)), 1))
        return self.fc(x.mean((2, 3)))


class ConvNeXtBlock(nn.Module):
    """ConvNeXt's block: depthwise 7×7, permute to N×H×W×C, LayerNorm and Linear on the last axis, a
    learnt per-channel scale, permute back; the head's LayerNorm on the pooled N×C."""

    def __init__(self) -> None:
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 4, stride=4)
        self.dw = nn.Conv2d(8, 8, 7, padding=3, groups=8)
        self.norm, self.pw1, self.pw2 = nn.LayerNorm(8), nn.Linear(8, 32), nn.Linear(32, 8)
        self.gamma = nn.Parameter(torch.full((8,), 1e-6))
        self.head_norm, self.head = nn.LayerNorm(8), nn.Linear(8, 10)

    def forward(self, x):
        x = self.stem(x)
        y = self.dw(x).permute(0, 2, 3, 1)
        y = (self.gamma * self.pw2(F.gelu(self.pw1(self.norm(y))))).permute(0, 3, 1, 2)
        return self.head(self.head_norm((x + y).mean((-2, -1))))
