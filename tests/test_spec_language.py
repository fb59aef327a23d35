"""Both front ends: chains and YAML/JSON files, blocks, repeats, parameters, graphs."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cnncalc
from cnncalc.layers import alias_table, registry


def kinds(net):
    return [r.kind for r in net.summary().layers]


@pytest.mark.parametrize("arrow", ["→", "->"])
def test_arrows_and_case_insensitive_aliases(arrow):
    chain = arrow.join(["input(8x8x3)", "Conv2D(4, 3)", "ReLU", "MaxPool(2)", "LINEAR(5)"])
    assert kinds(cnncalc.load(chain)) == ["input", "conv", "relu", "max_pool", "dense"]
    for spelling in ("FC", "DENSE", "LINEAR", "fully_connected"):
        assert kinds(cnncalc.load(f"INPUT(4) -> {spelling}(2)"))[-1] == "dense"


def test_positional_and_keyword_arguments_agree():
    a = cnncalc.load("INPUT(9x9x2) → CONV(4, 3, 2, 1)").shape("conv_1")
    b = cnncalc.load("INPUT(9x9x2) → CONV(filters=4, kernel=3, stride=2, padding=1)").shape("conv_1")
    c = cnncalc.load("INPUT(9x9x2) → CONV(4, k=3, s=2, p=1)").shape("conv_1")
    assert a == b == c == (5, 5, 4)  # (9 - 3 + 2)/2 + 1 = 5


def test_non_square_kernels():
    # Inception-v3's factorised 1×7 then 7×1 on 17×17, padding (0,3) and (3,0) keep the size.
    net = cnncalc.load("INPUT(17x17x8) → CONV(8, k=1x7, p=0x3) → CONV(8, k=7x1, p=3x0)")
    assert net.shape("conv_1") == (17, 17, 8) and net.shape("conv_2") == (17, 17, 8)
    assert net.summary().layers[1].params == 8 * 8 * 7 + 8


def test_repetition_expands_groups():
    net = cnncalc.load("INPUT(32x32x3) → [CONV(64,3,p=1) → RELU] x 2 → POOL(2)")
    assert kinds(net) == ["input", "conv", "relu", "conv", "relu", "max_pool"]
    assert net.summary().layers[3].params == 64 * 64 * 9 + 64


def test_asymmetric_and_same_padding():
    # TF 'same' with stride 2 on an even size pads 0 before and 1 after: 224 → 112.
    net = cnncalc.load("INPUT(224x224x3) → CONV(8, k=3, s=2, p=same)")
    assert net.shape("conv_1") == (112, 112, 8)
    net = cnncalc.load("INPUT(10x10x1) → CONV(1, k=3, p=((0,1),(2,0)))")
    assert net.shape("conv_1") == ((10 + 1 - 3) + 1, (10 + 2 - 3) + 1, 1)


def test_dilation_grouping_and_depthwise():
    net = cnncalc.load("INPUT(32x32x16) → CONV(32, k=3, d=2, g=4) → DEPTHWISE_CONV(3, p=1)")
    assert net.shape("conv_1") == (28, 28, 32)  # F_eff = 2·(3−1)+1 = 5
    records = net.summary().layers
    assert records[1].params == 16 * 32 * 9 // 4 + 32
    assert records[2].params == 32 * 9 + 32


def test_transposed_convolution_with_output_padding():
    # (W−1)S − 2P + d(F−1) + op + 1 = (7−1)·2 − 2 + 2 + 1 + 1 = 14
    net = cnncalc.load("INPUT(7x7x16) → CONV_TRANSPOSE(8, k=3, s=2, p=1, op=1)")
    assert net.shape("conv_transpose_1") == (14, 14, 8)
    assert net.summary().layers[1].params == 16 * 8 * 9 + 8


def test_one_and_three_dimensional_convolutions():
    assert cnncalc.load("INPUT(100x4) → CONV1D(8, k=5, s=2)").shape("conv_1") == (48, 8)
    net = cnncalc.load("INPUT(16x112x112x3) → CONV3D(64, k=3, p=1) → MAXPOOL3D(k=1x2x2)")
    assert net.shape("max_pool_1") == (16, 56, 56, 64)
    assert net.summary().layers[1].params == 3 * 64 * 27 + 64


def test_locally_connected_counts_one_filter_bank_per_position():
    # 6×6×2 input, 3×3 kernel, 4 filters → 4×4 positions, each with 3·3·2·4 weights + 4 biases.
    net = cnncalc.load("INPUT(6x6x2) → LOCALLY_CONNECTED(4, k=3)")
    assert net.summary().layers[1].params == 16 * (3 * 3 * 2 * 4) + 16 * 4


def test_batch_norm_counts_statistics_as_non_trainable():
    record = cnncalc.load("INPUT(8x8x32) → BN").summary().layers[1]
    assert (record.trainable_params, record.non_trainable_params) == (64, 64)


def test_pooling_ceil_mode_and_lp_pool():
    # GoogLeNet's 3×3/2 ceil-mode pool: 112 → ceil((112−3)/2)+1 = 56.
    assert cnncalc.load("INPUT(112x112x64) → POOL(3, 2, ceil_mode=true)").shape("max_pool_1") == (
        56,
        56,
        64,
    )
    assert cnncalc.load("INPUT(112x112x64) → POOL(3, 2)").shape("max_pool_1") == (55, 55, 64)
    assert cnncalc.load("INPUT(8x8x3) → LPPOOL(2, k=2)").shape("lp_pool_1") == (4, 4, 3)


def test_yaml_graph_with_add_and_several_outputs(tmp_path):
    spec = tmp_path / "res.yaml"
    spec.write_text(
        """
input: 16x16x8
layers:
  - {name: a, conv: {filters: 8, kernel: 3, padding: 1}}
  - {name: b, conv: {filters: 8, kernel: 3, padding: 1}}
  - {name: sum, add: null, inputs: [input, b]}
  - {name: head, global_avg_pool: null}
  - {name: aux, inputs: a, flatten: null}
outputs: [head, aux]
""",
        encoding="utf-8",
    )
    summary = cnncalc.load(spec).summary()
    assert summary.output_shapes == ((8,), (16 * 16 * 8,))
    assert summary.layers[3].inputs == ("input", "b")


def test_blocks_with_parameters_expressions_and_repeat(tmp_path):
    spec = tmp_path / "blocks.yaml"
    spec.write_text(
        """
params: {width: 4}
input: 32x32x3
blocks:
  down:
    params: {c: null}
    layers:
      - conv: {filters: "2*c", kernel: 3, padding: 1, stride: "2 if i == 0 else 1"}
      - relu
layers:
  - {block: down, name: stage, c: width, repeat: 3}
""",
        encoding="utf-8",
    )
    net = cnncalc.load(spec)
    assert [n for n in net.layer_names if n.endswith("conv_1")] == [
        "stage.0.conv_1", "stage.1.conv_1", "stage.2.conv_1"
    ]  # fmt: skip
    assert net.shape("stage.0.conv_1") == (16, 16, 8)
    assert net.shape("stage.2.conv_1") == (16, 16, 8)
    assert cnncalc.load(spec, params={"width": 8}).shape("stage.2.conv_1") == (16, 16, 16)


def test_input_override_and_params_override():
    net = cnncalc.load("vgg16", input="64x64x3", params={"num_classes": 10})
    assert net.shape("stage5.max_pool_1") == (2, 2, 512)
    assert net.summary().output_shapes == ((10,),)


def test_json_and_yaml_front_ends_agree(tmp_path):
    doc = {"input": [28, 28, 1], "layers": ["CONV(8, 3) → RELU", {"max_pool": 2}, "FC(10)"]}
    path = tmp_path / "net.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    as_json = cnncalc.load(path).summary().to_dict()
    as_dict = cnncalc.load(doc).summary().to_dict()
    as_chain = cnncalc.load("INPUT(28x28x1) → CONV(8,3) → RELU → POOL(2) → FC(10)").summary().to_dict()
    assert as_json == as_dict
    assert as_json["totals"] == as_chain["totals"]


def test_every_alias_names_one_kind():
    seen = {}
    for cls in registry().values():
        for alias in cls.aliases:
            key = alias.replace("_", "").lower()
            assert seen.setdefault(key, cls.kind) == cls.kind, f"{alias} names two kinds"
    assert len(alias_table()) >= len(registry())


def test_every_kind_has_an_example_that_parses():
    for kind, cls in registry().items():
        assert cls.example, kind
        assert cls.description, kind


def test_outputs_skip_heads_left_out_by_if(tmp_path):
    spec = tmp_path / "aux.yaml"
    spec.write_text(
        """
params: {aux: false}
input: 8x8x3
layers:
  - {name: trunk, conv: [4, 3]}
  - {name: head_aux, if: aux, inputs: trunk, global_avg_pool: null}
  - {name: head, inputs: trunk, flatten: null}
outputs: [head, head_aux]
""",
        encoding="utf-8",
    )
    assert cnncalc.load(spec).summary().output_shapes == ((144,),)
    assert cnncalc.load(spec, params={"aux": True}).summary().output_shapes == ((144,), (4,))


def test_reading_a_layer_left_out_by_if_is_a_clear_error(tmp_path):
    spec = tmp_path / "gone.yaml"
    spec.write_text(
        "params: {aux: false}\ninput: 8x8x3\nlayers:\n  - {name: a, if: aux, relu: null}\n"
        "  - {name: b, inputs: a, relu: null}\n",
        encoding="utf-8",
    )
    with pytest.raises(cnncalc.SpecError, match="input 'a' is left out by its 'if:' condition"):
        cnncalc.load(spec)


def test_recursive_blocks_end_by_condition_or_hit_the_depth_limit(tmp_path):
    body = """
input: 64x64x4
blocks:
  halve:
    params: {depth: null}
    layers:
      - max_pool: 2
      - {block: halve, depth: depth - 1, if: %s}
layers:
  - {block: halve, depth: 3}
"""
    spec = tmp_path / "ok.yaml"
    spec.write_text(body % "depth > 1", encoding="utf-8")
    assert cnncalc.load(spec).summary().output_shapes == ((8, 8, 4),)
    spec.write_text(body % "true", encoding="utf-8")
    with pytest.raises(cnncalc.SpecError, match="calls itself more than 32 levels deep"):
        cnncalc.load(spec)


def test_yaml_sizes_like_0x3_are_per_axis_not_hexadecimal(tmp_path):
    spec = tmp_path / "sizes.yaml"
    spec.write_text("input: 17x17x8\nlayers:\n  - conv: {filters: 8, kernel: 1x7, padding: 0x3}\n", encoding="utf-8")
    assert cnncalc.load(spec).shape("conv_1") == (17, 17, 8)


def test_chain_fragments_in_files_use_parameters(tmp_path):
    spec = tmp_path / "p.yaml"
    spec.write_text('params: {c: 6}\ninput: 8x8x3\nlayers:\n  - CONV(c, 3) → CONV("2*c", 1)\n', encoding="utf-8")
    assert cnncalc.load(spec).shape("conv_2") == (6, 6, 12)


def test_groups_keep_the_repetition_index_of_their_block(tmp_path):
    spec = tmp_path / "i.yaml"
    spec.write_text(
        """
input: 8x8x1
blocks:
  b:
    layers:
      - conv: {filters: "1 + i", kernel: 1}
      - layers:
          - conv: {filters: "10 + i", kernel: 1}
      - conv: {filters: "20 + i", kernel: 1}
layers:
  - {block: b, name: s, repeat: 2}
""",
        encoding="utf-8",
    )
    net = cnncalc.load(spec)
    assert [net.shape(f"s.1.conv_{k}")[-1] for k in (1, 2, 3)] == [2, 11, 21]


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,30}", fullmatch=True))
def test_a_bare_layer_name_in_a_file_is_the_call_the_chain_parser_reads(text):
    # Files whose layers are plain names (`- relu`) skip the chain parser: the shortcut must agree.
    from cnncalc.errors import Location
    from cnncalc.limits import DEFAULT_LIMITS
    from cnncalc.spec.chain import parse_chain
    from cnncalc.spec.expand import Expander

    where = Location(file="net.yaml", line=7, column=5)
    shortcut = Expander({}, DEFAULT_LIMITS, "net.yaml").chain_calls(text, where)
    assert shortcut == parse_chain(text, "net.yaml", DEFAULT_LIMITS)


def test_a_file_may_start_with_a_byte_order_mark(tmp_path):
    spec = tmp_path / "bom.yaml"
    spec.write_bytes(b"\xef\xbb\xbfinput: 8x8x3\nlayers: [relu]\n")
    assert cnncalc.load(spec).shape("relu_1") == (8, 8, 3)


def test_an_uppercase_x_separates_sizes_and_repeats_too():
    upper = cnncalc.load("INPUT(32X32X3) → [CONV(4, 3) → RELU] X 2")
    assert upper.summary().to_dict() == cnncalc.load("INPUT(32x32x3) → [CONV(4, 3) → RELU] x 2").summary().to_dict()
    assert cnncalc.load({"input": "28X28X1", "layers": ["RELU"]}).shape("relu_1") == (28, 28, 1)


def test_a_block_called_again_with_the_same_parameters_builds_the_same_layers(tmp_path):
    # The second call of a block with equal parameters replays the first one's layers under its own
    # prefix and inputs; everything must be as if it had been expanded again.
    spec = tmp_path / "twice.yaml"
    spec.write_text(
        "input: 8x8x4\n"
        "blocks:\n"
        "  unit:\n"
        "    params: {c: null}\n"
        "    layers:\n"
        "      - {name: conv, conv: {filters: c, kernel: 3, padding: 1}}\n"
        "      - {name: act, relu: null}\n"
        "      - {name: sum, inputs: [input, act], add: null}\n"
        "  pair:\n"
        "    inputs: [a, b]\n"
        "    layers:\n"
        "      - {name: cat, inputs: [a, b], concat: null}\n"
        "layers:\n"
        "  - {name: u1, block: unit, c: 4}\n"
        "  - {name: u2, block: unit, c: 4}\n"
        "  - {name: p1, block: pair, inputs: [u1, u1]}\n"
        "  - {name: p2, block: pair, inputs: [u2, u1]}\n",
        encoding="utf-8",
    )
    nodes = {node.name: node for node in cnncalc.load(spec).spec.nodes}
    assert nodes["u2.conv"].inputs == ("u1.sum",) and nodes["u2.sum"].inputs == ("u1.sum", "u2.act")
    assert nodes["u2.conv"].location.line == nodes["u1.conv"].location.line == 6
    assert nodes["u2.conv"].location.layer == "u2.conv" and nodes["u2.conv"].layer == nodes["u1.conv"].layer
    assert nodes["p1.cat"].inputs == ("u1.sum", "u1.sum") and nodes["p2.cat"].inputs == ("u2.sum", "u1.sum")
    twice = tmp_path / "clash.yaml"
    twice.write_text(spec.read_text().replace("{name: u2, block: unit", "{name: u1, block: unit"), encoding="utf-8")
    with pytest.raises(cnncalc.SpecError, match=r"duplicate layer name 'u1\.conv'"):
        cnncalc.load(twice)
    from cnncalc.limits import Limits

    with pytest.raises(cnncalc.SpecError, match="more than 5 layers"):
        cnncalc.load(spec, limits=Limits(max_layers=5))


def test_replaying_blocks_changes_nothing_in_any_bundled_or_example_spec(monkeypatch):
    from pathlib import Path

    from cnncalc.spec import bundled_names
    from cnncalc.spec.expand import Expander
    from cnncalc.spec.load import load_spec

    def expanded(source) -> list[tuple]:
        return [(n.name, n.layer, n.inputs, n.location, n.noqa) for n in load_spec(source).nodes]

    root = Path(__file__).resolve().parent.parent
    sources = [
        *bundled_names(),
        *sorted(str(p) for p in (root / "examples").rglob("*.yaml") if "answers" not in p.read_text()),
    ]
    replayed = {source: expanded(source) for source in sources}
    monkeypatch.setattr(Expander, "template", lambda self, *args: None)  # every block call expanded afresh
    for source in sources:
        assert expanded(source) == replayed[source], source


@settings(max_examples=60, deadline=None)
@given(
    calls=st.lists(
        st.tuples(
            st.sampled_from(["unit", "pair", "outer"]),
            st.sampled_from([2, 4]),
            st.booleans(),
            st.integers(1, 3),
            st.booleans(),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_replayed_block_calls_equal_fresh_expansion(calls):
    """Random calls of blocks with parameters, conditions, repeats, nested blocks, two inputs,
    an explicit output and noqa: replaying a block call must give exactly the fresh expansion."""
    from cnncalc.spec.expand import Expander
    from cnncalc.spec.load import spec_from_document

    layers: list[object] = []
    for index, (block, width, gate, repeat, quiet) in enumerate(calls):
        entry: dict[str, object] = {"block": block, "c": width}
        if block == "unit":
            entry["gate"] = gate
        if block == "pair":
            entry["inputs"] = ["input", layers[-1]["name"]] if layers else ["input", "input"]  # type: ignore[index]
        entry["name"] = f"b{index}"
        if repeat > 1 and block != "pair":
            entry["repeat"] = repeat
        if quiet:
            entry["noqa"] = "S001"
        layers.append(entry)
    document = {
        "input": "8x8x4",
        "blocks": {
            "unit": {
                "params": {"c": None, "gate": True},
                "layers": [
                    {"name": "conv", "conv": {"filters": "c", "kernel": 3, "padding": 1}},
                    {"name": "act", "if": "gate", "relu": None},
                    {"conv": {"filters": 4, "kernel": 1}},
                ],
            },
            "pair": {
                "params": {"c": None},
                "inputs": ["a", "b"],
                "output": "sum",
                "layers": [
                    {"name": "sum", "inputs": ["a", "b"], "add": None},
                    {"name": "extra", "inputs": "sum", "conv": {"filters": "c", "kernel": 1}},
                ],
            },
            "outer": {
                "params": {"c": None},
                "layers": [{"block": "unit", "c": "c", "gate": "i == 0"}, {"block": "unit", "c": 4}],
            },
        },
        "layers": layers,
    }

    def nodes() -> list[tuple]:
        spec = spec_from_document(document, None, None, {})
        return [(n.name, n.layer, n.inputs, n.location, n.noqa) for n in spec.nodes]

    replayed = nodes()
    original, Expander.template = Expander.template, lambda self, *args: None
    try:
        assert nodes() == replayed
    finally:
        Expander.template = original
