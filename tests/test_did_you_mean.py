"""Did-you-mean in either language: a misspelt name is answered in the words the user was writing,
as the course notes spell them (accents included), and a false friend is never offered.

One function makes every guess (cnncalc.errors.closest); the cases below go through the places
people meet it: a layer kind, a layer argument, a layer name, an answers file's key.
"""

from __future__ import annotations

import pytest

import cnncalc
from cnncalc import i18n
from cnncalc.errors import closest, did_you_mean


def error_of(chain: str, language: str) -> str:
    with i18n.language(language), pytest.raises(cnncalc.SpecError) as caught:
        cnncalc.load(chain)
    return f"{caught.value.message} {caught.value.hint or ''}"


# (what is typed, the suggestion it must get, the false friend it must never get)
CASES = [
    ("Convlucion(2, 3)", "CONVOLUCIÓN", "CONV?"),  # the notes' word, with its accent
    ("Convolutin(2, 3)", "CONVOLUTION", "CONVOLUCIÓN"),
    ("Agrupasion(2)", "AGRUPACIÓN", None),
    ("CONVV(2, 3)", "CONV", None),
    ("CONV(2, 3, relleo=1)", "'relleno'", "'padding'"),  # answered in the words typed
    ("CONV(2, 3, pading=1)", "'padding'", "'relleno'"),
    ("ZEROPAD(1, paso=2)", "stride", "padding?"),  # paso is the stride, never the padding
    ("Activación", "RELU", "LINEARACTIVATION"),  # a family: its members, not a look-alike
    ("APLANARX", "APLANAR", "LINEAR"),
]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(("typed", "meant", "false_friend"), CASES, ids=[c[0] for c in CASES])
def test_a_misspelt_name_gets_the_spelling_meant(typed, meant, false_friend, language):
    text = error_of(f"INPUT(8x8x1) → {typed}", language)
    assert meant in text
    if false_friend:
        assert false_friend not in text


def test_the_suggestion_is_worded_in_the_active_language():
    assert "did you mean CONVOLUCIÓN?" in error_of("INPUT(8x8x1) → Convlucion(2, 3)", "en")
    assert "¿quisiste decir CONVOLUCIÓN?" in error_of("INPUT(8x8x1) → Convlucion(2, 3)", "es")


@pytest.mark.parametrize(
    ("typed", "known", "expected"),
    [
        ("campo receptivo", ["campo_receptivo", "params"], ["campo_receptivo"]),  # separators do not count
        ("PARAMETROS", ["params", "parámetros"], ["parámetros", "params"]),  # nor case or accents; as written
        ("conv3", ["conv_1", "conv_2", "pool_1"], ["conv_1", "conv_2"]),
        ("xyz", ["conv_1", "pool_1"], []),
    ],
)
def test_closest_compares_names_as_people_type_them(typed, known, expected):
    assert closest(typed, known, n=2) == expected


def test_did_you_mean_lists_the_near_names_or_says_nothing():
    assert did_you_mean("conv3", ["conv_1", "conv_2", "pool_1"], n=3) == "did you mean 'conv_1' or 'conv_2'?"
    assert did_you_mean("xyz", ["conv_1"]) is None
    with i18n.language("es"):
        assert did_you_mean("relu", ["relu_1"]) == "¿quisiste decir 'relu_1'?"
