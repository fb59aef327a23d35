"""Spanish layer and argument names, as the course notes write them (issue 23, item 1).

Expected numbers are hand arithmetic: a 3×3 convolution of 10 filters on 3 channels has
3·3·3·10 + 10 = 280 parameters.
"""

import pytest

import cnncalc
from cnncalc.layers import lookup, suggest_kind


@pytest.mark.parametrize(
    ("spelling", "kind"),
    [
        ("Convolución", "conv"),
        ("CONVOLUCION", "conv"),
        ("convolucional", "conv"),
        ("conv", "conv"),
        ("Agrupación", "max_pool"),
        ("AGRUPACION_MAXIMA", "max_pool"),
        ("AGRUPAMIENTO", "max_pool"),  # not APLANAMIENTO, its look-alike
        ("pooling", "max_pool"),
        ("agrupación promedio", "avg_pool"),
        ("totalmente conectada", "dense"),
        ("Totalmente_Conectada", "dense"),
        ("FC", "dense"),
        ("densa", "dense"),
        ("capa completa", "dense"),
        ("APLANAR", "flatten"),
        ("aplanado", "flatten"),
        ("entrada", "input"),
        ("tangencial", "tanh"),  # seed 003 (LeNet): "la activación usada … era la tangencial"
        ("sigmoide", "sigmoid"),
        ("normalización por lotes", "batch_norm"),
        ("concatenación", "concat"),
        ("suma", "add"),
    ],
)
def test_spanish_layer_names_with_and_without_accents(spelling, kind):
    found = lookup(spelling)
    assert found is not None and found[0].kind == kind


def test_spanish_argument_names_give_the_same_network():
    spanish = cnncalc.load("ENTRADA(32x32x3) → Convolución(filtros=10, tamaño=3, paso=2, relleno=1)")
    english = cnncalc.load("INPUT(32x32x3) → CONV(filters=10, kernel=3, stride=2, padding=1)")
    assert spanish.summary().layers[1].output_shape == english.summary().layers[1].output_shape == (16, 16, 10)
    assert spanish.summary().totals.params == 3 * 3 * 3 * 10 + 10


def test_a_spanish_yaml_file(tmp_path):
    spec = tmp_path / "red.yaml"
    spec.write_text(
        "input: 32x32x3\nlayers:\n"
        "  - Convolución: {filtros: 10, núcleo: 3, paso: 2, relleno: 1}\n"
        "  - Agrupación: {tamaño: 2}\n  - aplanar: null\n  - densa: {neuronas: 10, activación: softmax}\n",
        encoding="utf-8",
    )
    layers = cnncalc.load(str(spec)).summary().layers
    # 32 → ⌊(32 + 2 − 3)/2⌋ + 1 = 16 → pool 2: 8 → 8·8·10 = 640 → 10, then the softmax
    assert [layer.output_shape for layer in layers] == [(32, 32, 3), (16, 16, 10), (8, 8, 10), (640,), (10,), (10,)]
    assert layers[4].params == 640 * 10 + 10 and layers[5].kind == "softmax"


def test_paso_is_never_offered_as_padding():
    # issue 23: `paso` got "did you mean 'padding'?"; it is the stride in the notes
    with pytest.raises(cnncalc.SpecError) as caught:
        cnncalc.load("INPUT(8x8x3) → ZEROPAD(1, paso=2)")
    assert "padding?" not in str(caught.value) and "'paso' means stride" in caught.value.message


@pytest.mark.parametrize(
    ("typed", "false_friend"), [("Activación", "LINEARACTIVATION"), ("APLANAR", "LINEAR"), ("activacion", "LINEAR")]
)
def test_no_false_friend_is_suggested(typed, false_friend):
    with pytest.raises(cnncalc.SpecError) as caught:
        cnncalc.load(f"INPUT(8x8x3) → {typed}X")  # a typo of the Spanish word
    assert false_friend not in (caught.value.hint or "")


def test_a_generic_activation_names_its_members_rather_than_guessing():
    with pytest.raises(cnncalc.SpecError) as caught:
        cnncalc.load("INPUT(8x8x3) → Activación")
    assert "RELU" in caught.value.hint and "did you mean" not in caught.value.hint


@pytest.mark.parametrize(
    ("typo", "meant"),
    [("aplanr", "aplanar"), ("convolucoin", "convolución"), ("agrupasion", "agrupación"), ("CONVV", "conv")],
)
def test_typos_are_answered_in_the_words_typed(typo, meant):
    assert suggest_kind(typo) == meant
