"""Numbers, matrices and shapes as people write them (issue 23, item 2): cnncalc.notation.

Every expected value is the hand reading of the text written next to it.
"""

import json
from fractions import Fraction

import numpy as np
import pytest

from cnncalc.errors import ValidationSpecError
from cnncalc.executor.worked import parse_matrix
from cnncalc.notation import AmbiguousNumber, channels_first, read_matrix, read_number, read_shape, read_whole


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.216", 1216),  # issue 23: Spanish answers marked wrong though they are 1216, 30122, 4640
        ("30.122", 30122),
        ("4 640", 4640),
        ("4\u00a0640", 4640),  # a no-break space, as word processors put it
        ("1.216.000", 1216000),
        ("0,25", Fraction(1, 4)),
        ("1.216,5", Fraction(2433, 2)),
        ("1 216,5", Fraction(2433, 2)),
        ("0,216", Fraction(216, 1000)),  # a whole part of 0 never groups thousands
        ("1,2160", Fraction(12160, 10000)),  # four decimals: not a thousands group
        ("-1,5", Fraction(-3, 2)),
        ("\u22123", -3),  # the typographic minus
        ("1/5", Fraction(1, 5)),
    ],
)
def test_spanish_numbers(text, value):
    assert read_number(text, "es") == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,216", 1216), ("1,216,000", 1216000), ("1,216.5", Fraction(2433, 2)), ("0.125", Fraction(1, 8)),
     ("4 640", 4640), ("1_000", 1000), ("1e3", 1000), ("2.5e-1", Fraction(1, 4))],
)  # fmt: skip
def test_english_numbers(text, value):
    assert read_number(text, "en") == value


@pytest.mark.parametrize(("text", "language", "decimal"), [("1,216", "es", "1,216"), ("1.216", "en", "1.216")])
def test_a_decimal_mark_before_three_digits_is_ambiguous_and_shows_both_readings(text, language, decimal):
    with pytest.raises(AmbiguousNumber) as caught:
        read_number(text, language)
    assert caught.value.readings == (decimal, "1216")
    assert decimal in caught.value.message and "1216" in caught.value.message
    assert "1216" in caught.value.hint


@pytest.mark.parametrize(("text", "language", "elsewhere"), [("0,25", "en", "0.25"), ("1.216.000", "en", "1216000"),
                                                             ("0.5", "es", "0,5")])  # fmt: skip
def test_a_number_in_the_other_notation_is_refused_naming_its_reading_there(text, language, elsewhere):
    with pytest.raises(ValidationSpecError, match="notation") as caught:
        read_number(text, language)
    assert elsewhere in caught.value.message and "--lang" in caught.value.hint


@pytest.mark.parametrize("text", ["46 40", "1..2", "", "1,2,3", "abc", "1e99999"])
def test_not_numbers(text):
    with pytest.raises(ValidationSpecError):
        read_number(text, "es")


def test_a_whole_number_refuses_a_fraction():
    assert read_whole("1.216", "es") == 1216
    with pytest.raises(ValidationSpecError, match="whole"):
        read_whole("0,5", "es")


def test_issue_23_kernel_with_decimal_commas_is_a_2x2_quarter_kernel_in_spanish():
    assert read_matrix("0,25 0,25; 0,25 0,25", "es") == [[Fraction(1, 4)] * 2] * 2


def test_issue_23_kernel_with_decimal_commas_is_refused_in_english_not_read_as_2x4():
    with pytest.raises(AmbiguousNumber) as caught:
        read_matrix("0,25 0,25; 0,25 0,25", "en")
    assert caught.value.readings == ("the values 0 25", "0.25 with a decimal comma (--lang es)")


@pytest.mark.parametrize(
    ("text", "language", "rows"),
    [
        ("1,2,3;4,5,6", "en", [[1, 2, 3], [4, 5, 6]]),  # bare commas with no other reading
        ("1, 2, 3\n4, 5, 6", "es", [[1, 2, 3], [4, 5, 6]]),  # ', ' separates in both languages
        ("1,0 0,5; 0 1", "es", [[1, Fraction(1, 2)], [0, 1]]),
        ("0.5 1/5", "en", [[Fraction(1, 2), Fraction(1, 5)]]),
    ],
)
def test_matrices(text, language, rows):
    assert read_matrix(text, language) == rows


@pytest.mark.parametrize(
    ("text", "language"), [("1,0;0,1", "en"), ("1,216 3", "en"), ("1,216 3", "es"), ("1,2,3", "es")]
)
def test_matrices_refused(text, language):
    with pytest.raises(ValidationSpecError):
        read_matrix(text, language)


def test_worked_examples_read_the_language(tmp_path):
    assert parse_matrix("0,25 0,25; 0,25 0,25", "k", "es").tolist() == [[0.25, 0.25], [0.25, 0.25]]
    sheet = tmp_path / "k.csv"
    sheet.write_text("0,5;1\n2;0,25\n")  # a spreadsheet in Spanish: fields by ';'
    assert np.array_equal(parse_matrix(str(sheet), "k", "es"), [[0.5, 1], [2, 0.25]])
    sheet.write_text("1,0\n0,1\n")  # an English CSV: commas are the fields
    assert np.array_equal(parse_matrix(str(sheet), "k"), [[1, 0], [0, 1]])


@pytest.mark.parametrize(
    "text",
    ["16x16x32", "16×16×32", "16 x 16 x 32", "(16, 16, 32)", "(16,16,32)", "[16, 16, 32]", "[16 16 32]", "16, 16, 32"],
)
@pytest.mark.parametrize("language", ["en", "es"])
def test_shapes(text, language):
    assert read_shape(text, language) == (16, 16, 32)


def test_one_number_is_a_one_axis_shape_read_per_language():
    assert read_shape("1.216", "es") == (1216,)
    assert read_shape("[1216]", "en") == (1216,)


@pytest.mark.parametrize(("text", "language"), [("1,216", "en"), ("1,216", "es"), ("4 640", "es")])
def test_a_shape_that_is_also_a_number_is_ambiguous(text, language):
    with pytest.raises(AmbiguousNumber) as caught:
        read_shape(text, language)
    assert len(caught.value.readings) == 2


def test_pytorch_order_is_recognised():
    assert channels_first((16, 32, 32), (32, 32, 16))
    assert not channels_first((32, 32, 16), (32, 32, 16))
    assert not channels_first((32, 16, 32), (32, 32, 16))


def test_an_ambiguity_keeps_its_readings_when_located():
    from cnncalc.errors import Location

    with pytest.raises(AmbiguousNumber) as caught:
        read_number("1,216", "es")
    moved = caught.value.located(Location(file="a.yaml", line=3))
    assert isinstance(moved, AmbiguousNumber) and moved.readings == ("1,216", "1216") and "a.yaml:3" in str(moved)


def test_answers_file_numbers_kept_as_written_are_read_per_language():
    from cnncalc.notation import answer_count, answer_shape
    from cnncalc.spec.files import parse_document

    text = "answers:\n  a: 1.216\n  b: 30.122\n  c: 4 640\n  d: 760\n  e: [16, 16, 32]\n  f: (16, 16, 32)\n"
    plain = parse_document(text, "x.yaml")
    assert plain["answers"]["a"] == 1.216  # YAML's own reading: the digits' notation is lost
    kept = parse_document(text, "x.yaml", numbers_as_text=True)["answers"]
    assert [answer_count(kept[k], "es") for k in "abcd"] == [1216, 30122, 4640, 760]
    assert answer_shape(kept["e"], "es") == answer_shape(kept["f"], "es") == (16, 16, 32)
    with pytest.raises(ValidationSpecError, match="quote"):
        answer_count(1.216, "es")


ISSUE_23_INPUT = "1 2 3 4; 5 6 7 8; 9 10 11 12; 13 14 15 16"


def test_issue_23_conv_with_decimal_commas_in_spanish(run_cli):
    # a 2×2 kernel of quarters averages each window: (1 + 2 + 5 + 6)/4 = 3.5, (11 + 12 + 15 + 16)/4 = 13.5
    code, out, _ = run_cli(
        "--lang", "es", "conv", "-x", ISSUE_23_INPUT, "-k", "0,25 0,25; 0,25 0,25", "--format", "json"
    )
    assert code == 0
    assert json.loads(out)["output"] == [[3.5, 4.5, 5.5], [7.5, 8.5, 9.5], [11.5, 12.5, 13.5]]


def test_issue_23_conv_with_decimal_commas_in_english_is_refused_not_a_2x4_kernel(run_cli):
    code, out, err = run_cli("conv", "-x", ISSUE_23_INPUT, "-k", "0,25 0,25; 0,25 0,25")
    assert (code, out) == (2, "")
    assert "ambiguous" in err and "0 25" in err and "0.25" in err and "--lang es" in err
