"""`cnncalc scale`: the network at several input sizes, checked against hand arithmetic."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

import cnncalc
from cnncalc.analysis.scale import scale


def rows_by_size(spec: str, sizes: tuple[int, ...]):
    return {row.size: row for row in scale(cnncalc.load(spec).spec, sizes).rows}


def test_lenet5_at_its_size_and_at_mnists():
    rows = rows_by_size("lenet5", (32, 28))
    assert rows[32].params == 61_706 and rows[32].macs == 416_520 and rows[32].clean
    # 28 → conv 24 → pool 12 → conv 8 → pool 4: the first dense layer reads 4·4·16 = 256 values
    assert rows[28].params == 61_706 - (400 * 120 + 120) + (256 * 120 + 120)
    assert rows[28].output_shapes == ((10,),)


@settings(max_examples=40, deadline=None)
@given(st.integers(3, 96))
def test_macs_of_a_fully_convolutional_net_grow_with_the_area(size):
    row = rows_by_size("INPUT(8x8x3) → CONV(8, 3, p=1) → RELU → CONV(8, 3, p=1)", (size,))[size]
    assert row.macs == size * size * (3 * 8 * 9 + 8 * 8 * 9)
    assert row.params == (3 * 8 * 9 + 8) + (8 * 8 * 9 + 8)
    assert row.activation_bytes == 3 * size * size * 8 * 4  # conv, relu, conv outputs in float32


def test_unet_at_the_papers_size_and_around_it():
    result = scale(cnncalc.load("unet").spec, (560, 572, 600))
    rows = {row.size: row for row in result.rows}
    assert rows[572].output_shapes == ((388, 388, 2),) and rows[572].clean  # Ronneberger et al. 2015, fig. 1
    assert not rows[560].clean
    assert 572 in result.valid_sizes and 560 not in result.valid_sizes


def test_a_size_where_the_net_collapses_is_reported_not_raised():
    row = rows_by_size("lenet5", (2,))[2]
    assert row.params is None and not row.clean and "collapses" in row.error


def test_scale_command(tmp_path, run_cli):
    plot = tmp_path / "scale.svg"
    code, out, _ = run_cli("scale", "lenet5", "--sizes", "32,28,2", "--format", "json", "--plot", str(plot))
    document = json.loads(out)
    assert code == 0 and document["schema"] == "cnncalc.scale/1"
    assert [r["size"] for r in document["rows"]] == [32, 28, 2] and document["rows"][2]["error"]
    assert plot.read_text(encoding="utf-8").count("<path") == 2  # MACs and memory
    code, out, _ = run_cli("scale", "lenet5", "--sizes", "32,28")
    assert code == 0 and "61,706" in out and "taken without dropping a pixel" in out
    code, _, err = run_cli("scale", "lenet5", "--sizes", "32,big")
    assert code == 2 and "is not a list of integers" in err
