"""Training memory against PyTorch: what autograd keeps, and what the optimizer allocates."""

from __future__ import annotations

import pytest

import cnncalc
from cnncalc.analysis.memory import training_memory

SMALL = (
    "INPUT(16x16x3) → CONV(8, 3, p=1) → BN → RELU → POOL(2) → CONV(16, 3, p=1) → RELU → DROPOUT(0.5) "
    "→ GAP → FLATTEN → FC(10)"
)
ODD = "INPUT(12x12x4) → CONV(6, 3) → SIGMOID → AVGPOOL(2) → CONV(6, 1) → GELU → TANH → FLATTEN → FC(5) → SOFTMAX"


def torch_small(nn):
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.Dropout(0.5),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10),
    )  # fmt: skip


def torch_odd(nn):
    return nn.Sequential(
        nn.Conv2d(4, 6, 3), nn.Sigmoid(), nn.AvgPool2d(2), nn.Conv2d(6, 6, 1), nn.GELU(), nn.Tanh(),
        nn.Flatten(), nn.Linear(6 * 5 * 5, 5), nn.Softmax(dim=1),
    )  # fmt: skip


def kept_for_backward(torch, model, x) -> int:
    """Bytes of the distinct tensors autograd keeps, not counting parameters and buffers."""
    state = {t.untyped_storage().data_ptr() for t in [*model.parameters(), *model.buffers()]}
    kept: dict[int, int] = {}

    def pack(tensor):
        pointer = tensor.untyped_storage().data_ptr()
        if pointer not in state:
            kept[pointer] = tensor.untyped_storage().nbytes()
        return tensor

    model.train()
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        model(x)
    return sum(kept.values())


@pytest.mark.parametrize(
    ("spec", "builder", "size", "channels"), [(SMALL, torch_small, 16, 3), (ODD, torch_odd, 12, 4)]
)
@pytest.mark.parametrize("batch", [1, 4])
def test_saved_activations_equal_what_autograd_keeps(spec, builder, size, channels, batch):
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    model = builder(torch.nn)
    x = torch.randn(batch, channels, size, size, requires_grad=True)
    expected = kept_for_backward(torch, model, x)
    assert training_memory(cnncalc.load(spec).graph, batch=batch).saved_activations == expected


def test_weights_gradients_and_adam_state_equal_pytorchs():
    torch = pytest.importorskip("torch")
    model = torch_small(torch.nn)
    optimizer = torch.optim.Adam(model.parameters())
    model(torch.randn(2, 3, 16, 16)).sum().backward()
    optimizer.step()
    parameters = sum(p.numel() * p.element_size() for p in model.parameters())
    gradients = sum(p.grad.numel() * p.grad.element_size() for p in model.parameters())
    buffers = sum(b.numel() * b.element_size() for b in model.buffers() if b.dtype.is_floating_point)
    state = sum(
        t.numel() * t.element_size()
        for per_parameter in optimizer.state.values()
        for key, t in per_parameter.items()
        if key != "step"
    )
    ours = training_memory(cnncalc.load(SMALL).graph, batch=2, optimizer="adam")
    assert (ours.weights, ours.gradients, ours.optimizer_state, ours.buffers) == (parameters, gradients, state, buffers)


def test_hand_arithmetic_and_options():
    # conv keeps the 8×8×3 input, relu its 6×6×4 output: (192 + 144)·4 bytes per sample
    memory = training_memory(cnncalc.load("INPUT(8x8x3) → CONV(4, 3) → RELU").graph, batch=2)
    assert memory.saved_activations == (192 + 144) * 4 * 2
    assert memory.weights == memory.gradients == 112 * 4 and memory.optimizer_state == 0
    adam = training_memory(cnncalc.load("INPUT(8x8x3) → CONV(4, 3) → RELU").graph, optimizer="adamw", amp=True)
    assert adam.saved_activations == (192 + 144) * 2  # float16 activations under autocast
    assert adam.weights == 112 * 4 + 112 * 2 and adam.optimizer_state == 2 * 112 * 4


BRANCHING = """\
input: 8x8x4
layers:
  - {name: a, conv: {filters: 4, kernel: 3, padding: 1}}
  - {name: r, relu: null}
  - {name: s, add: null, inputs: [r, input]}
  - {name: c, concat: null, inputs: [s, input]}
  - {name: p, max_pool: {kernel: 2}}
  - {name: m, multiply: null, inputs: [p, p]}
  - {name: f, flatten: null}
  - {name: d, dense: {units: 3}}
"""


def test_branches_share_what_they_keep(tmp_path):
    torch = pytest.importorskip("torch")
    nn = torch.nn

    class Branching(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv, self.dense = nn.Conv2d(4, 4, 3, padding=1), nn.Linear(8 * 4 * 4, 3)

        def forward(self, x):
            s = torch.relu(self.conv(x)) + x
            p = nn.functional.max_pool2d(torch.cat([s, x], dim=1), 2)
            return self.dense((p * p).flatten(1))

    spec = tmp_path / "branching.yaml"
    spec.write_text(BRANCHING, encoding="utf-8")
    model = Branching()
    x = torch.randn(3, 4, 8, 8, requires_grad=True)
    assert training_memory(cnncalc.load(spec).graph, batch=3).saved_activations == kept_for_backward(torch, model, x)


@pytest.mark.parametrize("name", ["vgg16", "resnet50"])
def test_zoo_networks_keep_what_pytorch_keeps(name):
    torch = pytest.importorskip("torch")
    from benchmarks import torch_models  # the torchvision layouts in plain PyTorch

    model = getattr(torch_models, name)(torch.nn)
    x = torch.randn(1, 3, 224, 224, requires_grad=True)
    assert cnncalc.load(name).memory(batch=1).saved_activations == kept_for_backward(torch, model, x)
