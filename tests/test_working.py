"""Workings as data (cnncalc.working): the tree, its value, and each output's formatter of it."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cnncalc.errors import ShapeError
from cnncalc.formulas import (
    conv_output_size,
    effective_kernel_expr,
    output_size_expr,
    transposed_output_expr,
    transposed_output_size,
)
from cnncalc.layers.conv import Conv, ConvTranspose
from cnncalc.render import working as formats
from cnncalc.working import (
    Aside,
    Group,
    Labelled,
    Num,
    Power,
    Round,
    Sizes,
    Sym,
    Working,
    evaluate,
    line_text,
    minus,
    over,
    plus,
    text,
    times,
)


def test_plain_text_brackets_only_where_the_notes_do():
    assert text(minus(10, plus(2, 3))) == "10 − (2 + 3)"
    assert text(minus(minus(10, 2), 3)) == "10 − 2 − 3"
    assert text(plus(10, plus(2, 3))) == "10 + 2 + 3"
    assert text(times(2, minus(3, 1))) == "2·(3 − 1)"
    assert text(over(plus(7, 1), 2)) == "(7 + 1)/2"
    assert text(over(12, times(2, 3))) == "12/(2·3)"
    assert text(times(3, 10, Group(times(1, 7)))) == "3·10·(1·7)"
    assert text(times(Sym("Ci"), Power(Sym("K"), 2))) == "Ci·K²"
    assert text(Round(over(7, 2), ceil=True)) == "⌈7/2⌉"
    assert text(Aside(plus(times(2, minus(3, 1)), 1))) == "[2·(3−1)+1 = 5]"
    assert text(Sizes((32, 32, 3))) == "32×32×3"
    assert text(Labelled(times(2, Sym("C")), (Sym("γ"), ", ", Sym("β")))) == "2·C (γ, β)"
    assert text(Num(1228800, grouped=True)) == "1,228,800"
    assert text(Num(Fraction(1, 2))) == "0.5"


def test_a_line_is_its_workings_joined_by_commas():
    r = Working(Sym("r"), substituted=plus(1, times(minus(5, 1), 1)), result=Num(5), axis="H")
    j = Working(Sym("j"), substituted=times(1, 1), result=Num(1))
    assert line_text((r, j)) == "H: r = 1 + (5 − 1)·1 = 5, j = 1·1 = 1"


def test_evaluate_is_exact_and_refuses_what_is_not_a_number():
    assert evaluate(Round(over(7, 2))) == 3 and evaluate(Round(over(7, 2), ceil=True)) == 4
    assert evaluate(over(1, 3)) == Fraction(1, 3)
    assert evaluate(plus(Sym("W"), 1), {"W": 4}) == 5
    with pytest.raises(ValueError, match="symbol W has no value"):
        evaluate(Sym("W"))
    with pytest.raises(TypeError):
        evaluate(Sizes((2, 2)))


def test_the_lecture_formula_in_symbols_and_with_numbers():
    symbols = output_size_expr(Sym("W"), Sym("F"), times(2, Sym("P")), Sym("S"))
    assert text(symbols) == "⌊(W − F + 2·P)/S⌋ + 1"
    assert evaluate(symbols, {"W": 32, "F": 5, "P": 2, "S": 1}) == 32  # the lecture's CONV(10, k=5, s=1, p=2) on 32
    numbers = output_size_expr(32, 5, times(2, 2), 1)
    assert text(numbers) == "⌊(32 − 5 + 2·2)/1⌋ + 1" and evaluate(numbers) == 32
    assert text(effective_kernel_expr(Sym("F"), Sym("d"))) == "d·(F − 1) + 1"
    transposed = transposed_output_expr(
        Sym("W"), Sym("S"), (Sym("P_begin"), Sym("P_end")), Sym("d"), Sym("F"), Sym("op")
    )
    assert text(transposed) == "(W − 1)·S − P_begin − P_end + d·(F − 1) + op + 1"


def test_latex_groups_every_thousands_comma():
    # Once a regular expression re-read the text and braced only every second comma (1{,}228,800).
    line = (Working(Sym("MACs"), substituted=times(32, 32, 1200), result=Num(1228800, grouped=True)),)
    assert formats.latex(line) == r"\[ \text{MACs} = 32\cdot 32\cdot 1200 = 1{,}228{,}800 \]"


def test_latex_sets_symbols_words_and_brackets():
    line = (
        Working(
            Sym("D"),
            substituted=output_size_expr(9, Aside(effective_kernel_expr(3, 2)), times(2, 0), 2),
            result=Num(3),
            axis="H",
        ),
    )
    assert formats.latex(line) == r"\[ H: D = \lfloor (9 - [2\cdot (3-1)+1 = 5] + 2\cdot 0)/2\rfloor  + 1 = 3 \]"
    labelled = (Working(Sym("params"), Labelled(times(2, Sym("C")), ("mean_1 & 100%",)), result=Num(2)),)
    assert formats.latex(labelled) == r"\[ \text{params} = 2\cdot C\ (\text{mean\_1 \& 100\%}) = 2 \]"
    assert formats.latex_symbol("P_begin") == r"P_{\text{begin}}"


def test_markdown_and_html_show_the_plain_notation():
    line = (Working(Sym("output"), Sym("input"), result=Sizes((4, 4, 3))),)
    assert formats.markdown(line) == "`output = input = 4×4×3`"
    assert formats.html((Working(lead=("a <b> & `c`",)),)) == "<code>a &lt;b&gt; &amp; `c`</code>"
    assert formats.markdown((Working(lead=("`x`",)),)) == "`` `x` ``"


sizes = st.integers(1, 300)


@given(
    size=sizes,
    kernel=st.integers(1, 12),
    stride=st.integers(1, 9),
    pads=st.tuples(st.integers(0, 12), st.integers(0, 12)),
    dilation=st.integers(1, 5),
    ceil=st.booleans(),
)
def test_the_working_evaluates_to_the_computed_size_and_every_format_renders_it(
    size: int, kernel: int, stride: int, pads: tuple[int, int], dilation: int, ceil: bool
):
    begin, end = pads
    span = Aside(effective_kernel_expr(kernel, dilation))
    padding = times(2, begin) if begin == end else plus(begin, end)
    formula = output_size_expr(size, span, padding, stride, ceil)
    expected = conv_output_size(size, kernel, stride, begin, end, dilation)  # floor; ceil mode checked below
    if not ceil:
        assert evaluate(formula) == expected
    else:  # the ceiling before PyTorch drops a window that would start in the end padding
        ceiled = conv_output_size(size, kernel, stride, begin, end, dilation, True)
        assert evaluate(formula) in [ceiled, ceiled + 1]
    transposed = transposed_output_expr(size, stride, (begin, end), dilation, kernel, 0)
    assert evaluate(transposed) == transposed_output_size(size, kernel, stride, begin, end, dilation, 0)
    line = (Working(Sym("D"), substituted=formula, result=Num(evaluate(formula)), axis="H"),)
    for formatter in (line_text, formats.markdown, formats.html, formats.latex):
        assert formatter(line)


@st.composite
def convolutions(draw: st.DrawFn) -> tuple[Conv | ConvTranspose, tuple[int, ...]]:
    """A 2-D convolution (grouped, dilated, padded on each side as it likes) and an input for it."""
    groups = draw(st.integers(1, 4))
    pads = tuple((draw(st.integers(0, 3)), draw(st.integers(0, 3))) for _ in range(2))
    arguments = {
        "filters": groups * draw(st.integers(1, 5)),
        "kernel": (draw(st.integers(1, 7)), draw(st.integers(1, 7))),
        "stride": draw(st.integers(1, 4)),
        "padding": pads if draw(st.booleans()) else draw(st.sampled_from([0, 1, "same", "valid"])),
        "dilation": draw(st.integers(1, 3)),
        "groups": groups,
        "bias": draw(st.booleans()),
    }
    layer = ConvTranspose(**arguments) if draw(st.booleans()) else Conv(**arguments)
    return layer, (draw(st.integers(1, 40)), draw(st.integers(1, 40)), groups * draw(st.integers(1, 5)))


@given(convolutions())
def test_a_convolutions_working_evaluates_to_the_numbers_it_reports(case: tuple[Conv | ConvTranspose, tuple[int, ...]]):
    layer, shape = case
    inputs = (shape,)
    try:
        output = layer.output_shape(inputs)
    except ShapeError:
        assume(False)
    *axes, whole = layer.shape_working(inputs, output)
    for (axis,), size in zip(axes, output[:-1], strict=True):
        assert axis.substituted is not None and evaluate(axis.substituted) == size and axis.result == Num(size)
    assert whole == (Working(Sym("output"), result=Sizes(output)),)
    params, macs = layer.params_working(inputs, output), layer.macs_working(inputs, output)
    for working, value in ((params, layer.params(inputs, output).trainable), (macs, layer.macs(inputs, output))):
        assert working.substituted is not None and evaluate(working.substituted) == value
        assert working.result == Num(value, grouped=True)
    for line in (*axes, (params,), (macs,)):
        for formatter in (line_text, formats.markdown, formats.html, formats.latex):
            assert formatter(line)


def test_solve_map_shows_the_span_of_a_dilated_kernel(run_cli):
    # F = 2 dilated by 2 spans 2·(2 − 1) + 1 = 3: ⌊(9 − 3 + 2·1)/3⌋ + 1 = ⌊8/3⌋ + 1 = 3. The working
    # once wrote F itself, ⌊(9 − 2 + 2·1)/3⌋ + 1, which is 4, under an answer of 3.
    code, out, _ = run_cli("solve", "map", "-W", "9", "--to", "3", "-D", "2")
    assert code == 0
    assert "F=2 S=3 P=1: ⌊(9 − [2·(2−1)+1 = 3] + 2·1)/3⌋ + 1 = 3 (never reads 4 input positions)" in out
