"""The stride-does-not-fit lesson where students look (issue 23, item 5).

Seed 002_9d5ee452d3ab57d7.txt, the slides "7x7 input (spatially), assume 3x3 filter": stride 3 ⇒
(7 − 3)/3 + 1 = 2.33 — "cannot apply 3x3 filter on 7x7 input with stride 3". Windows start at 0
and 3 and cover rows 0–5, so row 6 (the last) is never read.
"""

import numpy as np

import cnncalc
from cnncalc.executor.worked import pool

SEED_002_STRIDE_3 = "INPUT(7x7x1) → CONV(1, 3, s=3)"


def test_explain_says_the_stride_does_not_fit_and_which_rows_are_lost():
    shape = cnncalc.load(SEED_002_STRIDE_3).explain("conv_1").layers[0].shape
    rows, columns = shape[0], shape[1]
    assert "= 2; the stride does not fit: (7 − 3 + 2·0)/3 + 1 = 2.33" in rows
    assert rows.endswith("so the input row at position 6 (the last) is never read")
    assert columns.endswith("so the input column at position 6 (the last) is never read")


def test_a_stride_that_fits_says_nothing():
    # stride 2: (7 − 3)/2 + 1 = 3 exactly
    shape = cnncalc.load("INPUT(7x7x1) → CONV(1, 3, s=2)").explain("conv_1").layers[0].shape
    assert not any("does not fit" in line for line in shape)


def test_summary_table_carries_the_note(run_cli):
    code, out, _ = run_cli("summary", SEED_002_STRIDE_3)
    assert code == 0
    assert "note: conv_1: stride 3 does not fit" in out and "2.33" in out and "(lint S001)" in out


def test_summary_explain_and_explain_commands_show_it(run_cli):
    for command in (("summary", "--explain"), ("explain",)):
        code, out, _ = run_cli(*command, SEED_002_STRIDE_3)
        assert code == 0 and "the input row at position 6 (the last) is never read" in out


def test_pool_says_which_rows_it_drops():
    # 5×5 with 2×2 windows at stride 2: (5 − 2)/2 + 1 = 2.5; windows cover 0–3, row and column 4 are lost
    result = pool(np.arange(1, 26).reshape(5, 5), (2, 2))
    assert result.output.tolist() == [[7, 9], [17, 19]]
    assert result.notes == (
        "the stride does not fit: (5 − 2 + 2·0)/2 + 1 = 2.50, so the input row at position 4 (the last) is never read",
        "the stride does not fit: (5 − 2 + 2·0)/2 + 1 = 2.50, so the input column at position 4 (the last) is never read",
    )


def test_pool_in_ceil_mode_reads_everything_and_says_nothing():
    # ⌈(6 − 3)/2⌉ + 1 = 3 windows at 0, 2, 4: the last reaches 4–5 with padding, nothing lost
    shape = cnncalc.load("INPUT(6x6x1) → POOL(3, s=2, ceil_mode=true)").explain("max_pool_1").layers[0].shape
    assert not any("does not fit" in line for line in shape)


def test_out_size_refuses_to_guess_whether_the_last_size_is_channels(run_cli):
    code, out, err = run_cli("out-size", "-W", "32x32x3", "-F", "5", "-P", "2")
    assert code == 2 and out == ""
    assert "channels" in err and "-W 32x32" in err and "-F 5x5x5" in err


def test_out_size_reads_three_sizes_as_three_axes_when_the_kernel_says_so(run_cli):
    # ⌊(32 − 5 + 2·2)/1⌋ + 1 = 32 on H and W, ⌊(3 − 3 + 2·1)/1⌋ + 1 = 3 on the third axis
    code, out, _ = run_cli("out-size", "-W", "32x32x3", "-F", "5x5x3", "-P", "2x2x1")
    assert code == 0 and "32×32×3" in out
