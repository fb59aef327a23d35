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
