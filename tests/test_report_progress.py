"""Long work shows a transient progress bar on stderr when stderr is a terminal, whatever stdout
is (`cnncalc run resnet152 > out.txt` was silent), and never otherwise: not in a pipe or CI log,
not for JSON, not for work shorter than a blink. stdout is the same with or without it."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from cnncalc.cli import progress

CHAIN = "INPUT(8x8x4)" + " → CONV(4, 3, p=1) → RELU" * 1_000  # 2,001 layers


@pytest.fixture
def fake_terminal(monkeypatch):
    """stderr seen as a terminal: what rich draws there is kept; bars show at once."""
    screen = io.StringIO()
    monkeypatch.setattr(progress, "terminal", lambda: Console(file=screen, force_terminal=True, width=120))
    monkeypatch.setattr(progress, "DELAY", 0.0)
    return screen


def _plain(run_cli, *args):
    code, out, _ = run_cli(*args)
    return code, out


@pytest.mark.parametrize(
    ("args", "drawn"),
    [
        (("summary", CHAIN), "summary: "),
        (("lint", CHAIN), "lint: "),
        (("report", "vgg16"), "report: "),
        (("run", "lenet5"), "running: "),
        (("convert", "lenet5"), "reading"),  # importing a model: a spinner, no count
    ],
)
def test_a_terminal_sees_progress_and_stdout_does_not_change(args, drawn, run_cli, fake_terminal):
    code, out, err = run_cli(*args)
    assert drawn in fake_terminal.getvalue()
    assert err == ""  # the bar went to the terminal, nothing else was said
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(progress, "terminal", lambda: None)
        assert (code, out) == _plain(run_cli, *args)


def test_the_bar_counts_layers_and_names_the_one_reached(fake_terminal):
    with progress.progress_bar("summary") as advance:
        for done in range(1, 2_002):
            advance(done, 2_001, f"[red]layer_{done}")  # a name is text, never rich markup
    drawn = fake_terminal.getvalue()
    assert "2001/2001" in drawn and "summary: [red]layer_2001" in drawn  # the last step is always drawn
    assert drawn.endswith("\x1b[2K")  # transient: the line is erased when the work ends


@pytest.mark.parametrize("args", [("summary", CHAIN, "--format", "json"), ("run", "lenet5", "--format", "json")])
def test_json_never_draws_a_bar(args, run_cli, fake_terminal):
    assert run_cli(*args)[0] == 0
    assert fake_terminal.getvalue() == ""


def test_short_work_never_flashes_a_bar(run_cli, fake_terminal, monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 60.0)
    assert run_cli("summary", "lenet5")[0] == 0
    assert "summary" not in fake_terminal.getvalue()


def test_no_terminal_no_bar(monkeypatch):
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert progress.terminal() is None
    with progress.progress_bar("summary") as advance:
        advance(1, 1, "conv_1")  # a callback that does nothing


def test_the_library_reports_each_layer_and_prints_nothing(capsys):
    import cnncalc

    seen: list[tuple[int, int, str]] = []
    net = cnncalc.load("INPUT(8x8x3) → CONV(4, 3) → RELU")
    net.summary(progress=lambda *step: seen.append(step))
    assert seen == [(1, 3, "input"), (2, 3, "conv_1"), (3, 3, "relu_1")]
    seen.clear()
    net.lint(progress=lambda *step: seen.append(step))
    assert [step[2] for step in seen][:3] == ["input", "conv_1", "relu_1"]  # the fields, then each rule
    assert seen[-1][0] == seen[-1][1] and seen[-1][2][0].isalpha()
    assert capsys.readouterr() == ("", "")
