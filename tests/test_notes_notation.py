"""The course notes' own chain notation (issue 23): each case names the seed file and section it
is copied from (/work/shared/seeds/, the notes of the Spanish course). Expected numbers are hand
arithmetic written next to them."""

import pytest

import cnncalc
from cnncalc.errors import SpecError, SyntaxSpecError
from cnncalc.spec.calls import Group, LayerCall
from cnncalc.spec.chain import parse_chain

# 002_9d5ee452d3ab57d7.txt, section "ConvnetJS": the CIFAR-10 demo's architecture, verbatim
SEED_002_CONVNETJS = "(conv-relu-conv-relu-pool)x3-FC-softmax"
# 003_919872b77fbbfa04.txt, section "LeNet" (the second one), verbatim
SEED_003_LENET = "INPUT -> CONV(Tanh) -> POOL -> FLATTEN -> FC(RELU) -> FC(softmax)"


def spellings(items):
    return [(item.count, spellings(item.items)) if isinstance(item, Group) else item.spelling.lower() for item in items]


def test_seed_002_convnetjs_chain_parses_verbatim_into_a_repeated_group():
    items = parse_chain(SEED_002_CONVNETJS)
    assert spellings(items) == [(3, ["conv", "relu", "conv", "relu", "pool"]), "fc", "softmax"]


def test_seed_002_convnetjs_chain_names_what_it_still_needs_rather_than_a_syntax_error():
    with pytest.raises(SpecError) as caught:
        cnncalc.load(SEED_002_CONVNETJS)
    assert not isinstance(caught.value, SyntaxSpecError)
    assert "conv needs 'filters' and 'kernel'" in caught.value.message and "FC needs 'units'" in caught.value.message


def test_seed_002_convnetjs_chain_with_sizes():
    # The note: 3×3 filters, 2×2 pooling. With 8 filters and padding 1 on 32×32×3 (CIFAR-10):
    # first conv 3·3·3·8 + 8 = 224, the five others 3·3·8·8 + 8 = 584; three pools 32 → 4;
    # FC 4·4·8·10 + 10 = 1290. Total 224 + 5·584 + 1290 = 4434.
    net = cnncalc.load("INPUT(32x32x3)-(conv(8,3,p=1)-relu-conv(8,3,p=1)-relu-pool(2))x3-FC(10)-softmax")
    summary = net.summary()
    assert summary.totals.params == 224 + 5 * 584 + 1290
    assert len(summary.layers) == 1 + 3 * 5 + 2 and summary.layers[-2].params == 1290


def test_seed_003_lenet_chain_parses_verbatim_and_asks_for_the_sizes():
    items = parse_chain(SEED_003_LENET)
    assert spellings(items) == ["input", "conv", "pool", "flatten", "fc", "fc"]
    with pytest.raises(SpecError) as caught:
        cnncalc.load(SEED_003_LENET)
    message = caught.value.message
    assert message.startswith("5 layers are incomplete") and "INPUT needs 'shape'" in message


def test_seed_003_lenet_with_sizes_puts_each_activation_after_its_layer():
    # LeNet-5's sizes: 32×32×1 → 6 filters 5×5 (5·5·1·6 + 6 = 156) → 28×28×6 → pool 2: 14×14×6 →
    # 1176 → FC 120 (1176·120 + 120 = 141240) → FC 10 (120·10 + 10 = 1210)
    chain = "INPUT(32x32x1) -> CONV(6, 5, Tanh) -> POOL(2) -> FLATTEN -> FC(120, RELU) -> FC(10, softmax)"
    layers = cnncalc.load(chain).summary().layers
    assert [layer.kind for layer in layers] == [
        "input", "conv", "tanh", "max_pool", "flatten", "dense", "relu", "dense", "softmax"
    ]  # fmt: skip
    assert [layer.params for layer in layers if layer.params] == [156, 141240, 1210]


def test_seed_003_input_without_a_shape_takes_the_input_option():
    net = cnncalc.load("INPUT -> CONV(6, 5, Tanh) -> POOL(2)", input=(32, 32, 1))
    assert net.summary().layers[-1].output_shape == (14, 14, 6)


@pytest.mark.parametrize(
    "chain",
    [
        "INPUT(32x32x1) - CONV(6, 5, activation=tanh)",
        "INPUT(32x32x1) - CONV(6, 5, activación=tanh)",
        "INPUT(32x32x1) - CONV(6, 5, tanh)",
        "INPUT(32x32x1) → CONV(6, 5) → TANH",
        "INPUT(32x32x1) -> CONV(6, 5) -> Tanh",
        # 004_f5cd389d00237cd1.txt writes its arrows in LaTeX: $\rightarrow$
        "INPUT(32x32x1) $\\rightarrow$ CONV(6, 5) \\rightarrow TANH",
        "INPUT(32x32x1) \\to CONV(6, 5) ⟶ TANH",
    ],
)
def test_activation_and_separator_spellings_make_the_same_net(chain):
    layers = cnncalc.load(chain).summary().layers
    assert [layer.kind for layer in layers] == ["input", "conv", "tanh"] and layers[1].params == 156


def test_a_hyphen_is_a_minus_sign_inside_arguments_and_joins_a_hyphenated_layer_name():
    items = parse_chain("CONCAT(axis=-1) - max-pool(2) - batch-norm")
    assert [item.spelling for item in items] == ["CONCAT", "max-pool", "batch-norm"]
    assert items[0].keywords == (("axis", -1),)


def test_two_activations_on_one_layer_are_refused():
    with pytest.raises(SpecError, match="two activations"):
        cnncalc.load("INPUT(8x8x3) - CONV(4, 3, relu, activation=tanh)")


def test_the_repeat_of_a_parenthesised_group_is_bounded():
    with pytest.raises(SyntaxSpecError, match=r"outside 1\.\.20000") as caught:
        parse_chain("(relu)x20001")
    assert "CNNCALC_MAX_REPEAT" in caught.value.hint
    assert isinstance(parse_chain("(relu)x2")[0], Group)


@pytest.mark.parametrize("chain", ["(CONV(3,3) - RELU] x 2", "INPUT(8x8x3) - - RELU", "INPUT(8x8x3) -"])
def test_malformed_notes_notation_is_a_syntax_error(chain):
    with pytest.raises(SyntaxSpecError):
        parse_chain(chain)


def test_plain_parenthesised_group_runs_once():
    items = parse_chain("INPUT(8x8x3) - (CONV(4, 3) - RELU)")
    assert isinstance(items[1], Group) and items[1].count == 1
    assert all(isinstance(item, LayerCall) for item in items[1].items)
