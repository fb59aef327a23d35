"""The Python API: docstring examples run, results render in notebooks, errors carry their location."""

from __future__ import annotations

import doctest
import json

import pytest

import cnncalc
import cnncalc.analysis.quick
import cnncalc.analysis.solve
import cnncalc.api
import cnncalc.executor.worked
import cnncalc.formulas
from cnncalc.spec.load import bundled_names


@pytest.mark.parametrize(
    "module", [cnncalc.api, cnncalc.formulas, cnncalc.analysis.quick, cnncalc.analysis.solve, cnncalc.executor.worked]
)
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("name", bundled_names())
def test_api_matches_the_cli_json(name, run_cli):
    network = cnncalc.load(name)
    assert len(bundled_names()) >= 30
    _, out, _ = run_cli("summary", name, "--format", "json")
    assert json.loads(out) == network.summary().to_dict()
    _, out, _ = run_cli("receptive-field", name, "--format", "json")
    assert json.loads(out) == network.receptive_field().to_dict()


def test_notebook_representations():
    summary = cnncalc.load("cs231n_example").summary()
    assert "| # | name | kind | output shape | params | MACs |" in summary._repr_markdown_()
    html = summary._repr_html_()
    assert html.count("<tr>") == 1 + len(summary.layers) + 9 and "26,370" in html  # 9 totals lines


def test_round_trips_from_python():
    net = cnncalc.load("mnist1d_cnn")
    assert cnncalc.load(net.to_chain()).summary().totals == net.summary().totals
    assert json.loads(net.to_json())["input"] == "40x1"
    assert "layers:" in net.to_yaml()


def test_errors_carry_location():
    with pytest.raises(cnncalc.SpecError) as caught:
        cnncalc.load("INPUT(8x8x3) → CONVV(4, 3)")
    error = caught.value
    assert (error.location.line, error.location.column) == (1, 16)
    assert error.hint == "did you mean CONV?" and error.to_dict()["error"] == "validation"


def test_networks_pickle_and_copy_with_every_layer_kind():
    """Networks go to worker processes and caches: every kind, generated ones included, pickles."""
    import copy
    import pickle

    for name in ("resnet18", "inception_3a", "unet", "mobilenet_v2"):
        network = cnncalc.load(name)
        again = pickle.loads(pickle.dumps(network))
        assert again.graph.spec.nodes == network.graph.spec.nodes
        assert again.summary().totals == network.summary().totals
    from cnncalc.layers import registry

    for cls in registry().values():
        if any(argument.required for argument in cls.arguments.values()):
            continue
        layer = cls()
        assert pickle.loads(pickle.dumps(layer)) == layer == copy.deepcopy(layer)


def test_print_shows_the_table_not_the_fields():
    network = cnncalc.load("lenet5")
    text = str(network.summary())
    assert "| 1 | conv\\_1 | conv | 28×28×6 | 156 | 117,600 |" in text  # 1·6·5² + 6 = 156 params
    assert "61,706" in text and "LayerRecord(" not in text
    for result in (network.receptive_field(), network.explain(), network.memory(batch=2)):
        assert str(result).lstrip().startswith(("|", "#")) and str(result) == result._repr_markdown_()


def test_worked_examples_take_plain_lists_and_an_int_kernel():
    # seed 001: the 4×4 input with kernel [[1,0],[0,2]]: first output 0·1 + 10·0 + 20·0 + 30·2 = 60
    x = [[0, 10, 10, 0], [20, 30, 30, 20], [10, 20, 20, 10], [0, 5, 5, 0]]
    assert cnncalc.convolve(x, [[1, 0], [0, 2]]).output.tolist() == [[60, 70, 50], [60, 70, 50], [20, 30, 20]]
    grid = [[1, 3, 2, 4], [5, 6, 1, 2], [7, 2, 3, 0], [1, 2, 8, 1]]
    assert cnncalc.pool(grid, 2).output.tolist() == [[6, 4], [7, 8]]  # max of each 2×2 block
    assert cnncalc.pool(grid, 2, stride=1).output.tolist()[0] == [6, 6, 4]
    for bad, problem in (([[1, 2], [3]], "rows of different lengths"), ([["a"]], "must hold numbers")):
        with pytest.raises(cnncalc.SpecError, match=problem):
            cnncalc.convolve(bad, [[1]])
