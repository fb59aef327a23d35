"""What a teacher puts on the board: LaTeX numbers, conv/pool in Markdown and LaTeX, the gradient
worked by hand, and the convolution as a matrix product (the notes' FC ↔ conv equivalence).

Expected values are hand arithmetic written here, or numpy loops in the test — never cnncalc's output.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnncalc.executor.worked import convolve, pool
from cnncalc.render.working import latex_number


@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_latex_braces_every_thousands_comma(value):
    # Once only every second comma was braced (1{,}228,800): every group is 3 digits after a {,}.
    text = latex_number(value, True)
    assert "," not in text.replace("{,}", "")
    head, *groups = text.lstrip("-").split("{,}")
    assert 1 <= len(head) <= 3 and all(len(g) == 3 for g in groups)
    assert text.replace("{,}", "") == str(value)


def test_latex_of_the_number_from_the_issue():
    assert latex_number(1_228_800, True) == "1{,}228{,}800"


# -- the convolution as a matrix product -------------------------------------------------------


def test_seed_004_banded_matrix_of_a_1d_convolution():
    # Seed 004, "Backpropagation con CNNs": z0 = T·x with rows (w1 w2 w3 0 0 0), (0 w1 w2 w3 0 0), …
    w1, w2, w3 = 2.0, 3.0, 5.0
    x = np.array([1.0, 2, 3, 4, 5, 6])
    result = convolve(x, np.array([w1, w2, w3]), as_matrix=True)
    expected = np.array(
        [
            [w1, w2, w3, 0, 0, 0],
            [0, w1, w2, w3, 0, 0],
            [0, 0, w1, w2, w3, 0],
            [0, 0, 0, w1, w2, w3],
        ]
    )
    np.testing.assert_array_equal(result.matrix, expected)
    # 2·1 + 3·2 + 5·3 = 23, then each step adds 2 + 3 + 5 = 10
    np.testing.assert_array_equal(expected @ x, [23, 33, 43, 53])


def test_seed_001_convolution_as_a_matrix_product():
    # Seed 001, "Operación de Convolución": the 4×4 image and the kernel (1 0; 0 2), outputs by hand
    # 1·x[i,j] + 2·x[i+1,j+1]: 60 70 50 / 60 70 50 / 20 30 20 (the slide's third step writes 70 for 50).
    image = np.array([[0, 10, 10, 0], [20, 30, 30, 20], [10, 20, 20, 10], [0, 5, 5, 0]], dtype=float)
    result = convolve(image, np.array([[1.0, 0], [0, 2]]), as_matrix=True)
    assert result.matrix.shape == (9, 16)
    assert sorted(set(result.matrix.ravel())) == [0, 1, 2]  # the kernel's weights, shared, and zeros
    assert (result.matrix != 0).sum(axis=1).tolist() == [2] * 9  # each output sees two nonzero taps
    np.testing.assert_array_equal(result.matrix @ image.ravel(), [60, 70, 50, 60, 70, 50, 20, 30, 20])


def _correlate_by_loops(x: np.ndarray, k: np.ndarray, stride: int, pad: int, dilation: int) -> np.ndarray:
    """The textbook definition, one output at a time: out[i,j] = Σ x_pad[i·S + u·D, j·S + v·D, c]·k[u,v,c]."""
    padded = np.pad(x, ((pad, pad), (pad, pad), (0, 0)))
    kh, kw, _ = k.shape
    rows = (padded.shape[0] - dilation * (kh - 1) - 1) // stride + 1
    cols = (padded.shape[1] - dilation * (kw - 1) - 1) // stride + 1
    out = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            for u in range(kh):
                for v in range(kw):
                    out[i, j] += padded[i * stride + u * dilation, j * stride + v * dilation] @ k[u, v]
    return out


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    size=st.integers(3, 6),
    kernel=st.integers(1, 3),
    channels=st.integers(1, 2),
    stride=st.integers(1, 2),
    pad=st.integers(0, 1),
    dilation=st.integers(1, 2),
    seed=st.integers(0, 2**16),
)
def test_matrix_product_equals_the_convolution(size, kernel, channels, stride, pad, dilation, seed):
    if (kernel - 1) * dilation + 1 > size + 2 * pad:
        return  # the kernel does not fit: refused elsewhere
    rng = np.random.default_rng(seed)
    x = rng.integers(-5, 6, (size, size, channels)).astype(float)
    k = rng.integers(-3, 4, (kernel, kernel, channels)).astype(float)
    result = convolve(x, k, stride=stride, padding=str(pad), dilation=dilation, as_matrix=True)
    expected = _correlate_by_loops(x, k, stride, pad, dilation)
    np.testing.assert_allclose(result.matrix @ x.ravel(), expected.ravel())


def test_as_matrix_too_large_is_refused_with_the_size(run_cli):
    code, _, err = run_cli("conv", "-x", ";".join([" ".join(["1"] * 20)] * 20), "-k", "1", "--as-matrix")
    assert code == 2 and "400 × 400" in err and "--as-matrix" in err


# -- the gradient worked by hand ---------------------------------------------------------------


def test_seed_004_backprop_worked_term_by_term(run_cli):
    # Seed 004: dL/dx = (∂z/∂x)·G with ∂z/∂x the transposed band of (w1 w2 w3), G = (a b c d);
    # dL/dw = [x1 x2 x3 x4; x2 x3 x4 x5; x3 x4 x5 x6]·G. With w = (2, 3, 5), x = 1…6, G = (1, 10, 100, 1000):
    # dL/dx = (2, 3 + 20, 5 + 30 + 200, 50 + 300 + 2000, 500 + 3000, 5000); dL/dw = (4321, 5432, 6543).
    code, out, _ = run_cli("conv", "-x", "1 2 3 4 5 6", "-k", "2 3 5", "--grad", "1 10 100 1000", "--explain")
    assert code == 0
    for line in (
        "dL/dx[0] = G[0]*w[0] = 1*2 = 2",
        "dL/dx[1] = G[0]*w[1] + G[1]*w[0] = 1*3 + 10*2 = 23",
        "dL/dx[3] = G[1]*w[2] + G[2]*w[1] + G[3]*w[0] = 10*5 + 100*3 + 1000*2 = 2350",
        "dL/dx[5] = G[3]*w[2] = 1000*5 = 5000",
        "dL/dw[0] = G[0]*x[0] + G[1]*x[1] + G[2]*x[2] + G[3]*x[3] = 1*1 + 10*2 + 100*3 + 1000*4 = 4321",
        "dL/dw[2] = G[0]*x[2] + G[1]*x[3] + G[2]*x[4] + G[3]*x[5] = 1*3 + 10*4 + 100*5 + 1000*6 = 6543",
        "dL/db (the upstream gradient summed) = 1111",
    ):
        assert line in out.splitlines(), (line, out)


def _numbers_part_sum(text: str) -> float:
    """The substituted terms of a working line ('… = 1*3 + 10*2 = 23') added up, without eval."""
    parts = text.split(" = ")
    if len(parts) < 3:
        return 0.0
    total = 0.0
    for term in parts[-2].split(" + "):
        factors = term.split("*")
        total += float(factors[0]) * (float(factors[1]) if len(factors) > 1 else 1.0)
    return total


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    size=st.integers(2, 5),
    kernel=st.integers(1, 3),
    channels=st.integers(1, 2),
    stride=st.integers(1, 2),
    pad=st.integers(0, 1),
    flip=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_gradient_working_adds_up_to_the_gradient(size, kernel, channels, stride, pad, flip, seed):
    # The gradient arrays are checked against finite differences (test_executor.py); here every
    # written working must add up to its cell of them,
    if kernel > size + 2 * pad:
        return
    rng = np.random.default_rng(seed)
    x = rng.integers(-5, 6, (size, size, channels)).astype(float)
    k = rng.integers(-3, 4, (kernel, kernel, channels)).astype(float)
    out_size = (size + 2 * pad - kernel) // stride + 1
    g = rng.integers(-3, 4, (out_size, out_size)).astype(float)
    result = convolve(x, k, stride=stride, padding=str(pad), flip=flip, explain=True, upstream=g)
    grad_x = result.grad_input.reshape(size, size, channels)
    grad_w = result.grad_kernel.reshape(kernel, kernel, channels)
    for cells, array in ((result.grad_input_cells, grad_x), (result.grad_kernel_cells, grad_w)):
        assert len(cells) == array.size
        for cell in cells:
            position = cell.index if channels > 1 else (*cell.index, 0)
            assert cell.value == pytest.approx(array[position])
            assert _numbers_part_sum(cell.text) == pytest.approx(cell.value)


def test_pool_gradient_working_by_hand(run_cli):
    # 2×2 max pooling of the notes' example; G = (1 2; 3 4) goes to each window's max: 6 at (1,1),
    # 4 at (0,3), 7 at (2,0), 8 at (3,2). Average pooling shares G/4 with every cell of its window.
    x = "1 3 2 4; 5 6 1 2; 7 2 3 0; 1 2 8 1"
    _, out, _ = run_cli("pool", "-x", x, "-k", "2", "--grad", "1 2; 3 4", "--explain")
    assert "dL/dx[1,1] = G[0,0] (the max of its window) = 1" in out
    assert "dL/dx[3,2] = G[1,1] (the max of its window) = 4" in out
    assert "dL/dx[0,0] = 0 (not the max of any window)" in out
    _, out, _ = run_cli("pool", "-x", x, "-k", "2", "-t", "avg", "--grad", "1 2; 3 4", "--explain")
    assert "dL/dx[3,3] = G[1,1]/4 = 4/4 = 1" in out
    # overlapping windows (3×3, stride 1) add up: the 8 at (3,2) is the max of both lower windows
    result = pool(np.array([[1, 3, 2, 4], [5, 6, 1, 2], [7, 2, 3, 0], [1, 2, 8, 1]]), 3, stride=1, explain=True,
                  upstream=np.array([[1.0, 10], [100, 1000]]))  # fmt: skip
    cell = next(c for c in result.grad_input_cells if c.index == (3, 2))
    assert (
        cell.text == "dL/dx[3,2] = G[1,0] (the max of its window) + G[1,1] (the max of its window) = 100 + 1000 = 1100"
    )


# -- conv and pool as Markdown and LaTeX -------------------------------------------------------

SEED_001 = ("-x", "0 10 10 0; 20 30 30 20; 10 20 20 10; 0 5 5 0", "-k", "1 0; 0 2")


def _markdown_tables(text: str) -> list[list[list[str]]]:
    tables, current = [], []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            current.append([cell.strip() for cell in line.strip("|").split("|")])
        elif current:
            tables.append(current)
            current = []
    return tables


def test_conv_markdown_holds_the_working_and_the_output(run_cli):
    code, out, _ = run_cli("conv", *SEED_001, "--explain", "-f", "markdown")
    assert code == 0
    assert r"- out\[0,0\] = 1\*0 + 0\*10 + 0\*20 + 2\*30 = 60" in out  # seed 001's first step
    (table,) = _markdown_tables(out)
    assert table[2:] == [["60", "70", "50"], ["60", "70", "50"], ["20", "30", "20"]]


def test_pool_markdown_and_latex(run_cli):
    x = "1 3 2 4; 5 6 1 2; 7 2 3 0; 1 2 8 1"
    _, out, _ = run_cli("pool", "-x", x, "-k", "2", "-f", "markdown")
    assert _markdown_tables(out)[0][2:] == [["6", "4"], ["7", "8"]]  # the max of each 2×2 block
    _, tex, _ = run_cli("pool", "-x", x, "-k", "2", "-f", "latex", "--explain")
    assert r"\[ \left[\begin{array}{rr} 6 & 4 \\ 7 & 8 \end{array}\right] \]" in tex
    assert r"\texttt{out[0,0] = max(1, 3, 5, 6) = 6}\\" in tex


def test_conv_latex_escapes_and_shows_every_section(run_cli):
    code, tex, _ = run_cli(
        "conv", *SEED_001, "-f", "latex", "--as-matrix", "--grad", "1 0 0; 0 0 0; 0 0 1", "--explain"
    )
    assert code == 0
    titles = re.findall(r"\\paragraph\{([^}]*)\}", tex)
    assert titles[0] == "output" and any("dL/dx" in t for t in titles) and any("matrix" in t for t in titles)
    assert r"\left[\begin{array}{rrr} 60 & 70 & 50 \\ 60 & 70 & 50 \\ 20 & 30 & 20 \end{array}\right]" in tex
    # braces balance and no raw special character is left in the text lines
    assert tex.count("{") == tex.count("}")
    for line in re.findall(r"\\texttt\{(.*)\}\\\\", tex):
        assert not re.search(r"(?<!\\)[#$%&_^~]", line), line


def test_conv_json_carries_matrix_and_gradient_working(run_cli):
    _, out, _ = run_cli(
        "conv", "-x", "1 2 3 4 5 6", "-k", "2 3 5", "-f", "json", "--as-matrix", "--grad", "1 1 1 1", "--explain"
    )
    data = json.loads(out)
    assert data["matrix"][0] == [2, 3, 5, 0, 0, 0]
    assert data["grad_kernel_cells"][0]["value"] == 1 + 2 + 3 + 4
    assert data["grad_input_cells"][5]["working"] == "dL/dx[5] = G[3]*w[2] = 1*5 = 5"
