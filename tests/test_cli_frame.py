"""The help screens' frame and click's usage errors in Spanish, and --lang written anywhere.

The Spanish expected here is the catalogue's (cnncalc/locale/es/LC_MESSAGES/cnncalc.po), written by
hand; the English is typer's and click's own text. Commands run in a real process, as people run
them: main() chooses the language before anything is drawn.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from tests_support import ROOT, command_paths

from cnncalc import i18n

LENET = str(ROOT / "specs" / "lenet5.yaml")


def cli(*args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in i18n.ENVIRONMENT} | environ | {"COLUMNS": "200"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "cnncalc", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_a_help_screen_is_framed_in_spanish():
    done = cli("--lang", "es", "summary", "--help")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    for spanish in ("Uso: cnncalc summary [OPCIONES]", "─ Argumentos ─", "─ Opciones ─", "[predeterminado: table]"):
        assert spanish in text
    assert "Muestra este mensaje y termina." in text
    for english in ("Usage:", "Options", "Arguments", "[default:", "Show this message and exit."):
        assert english not in text


def test_the_root_help_lists_commands_and_completion_in_spanish():
    text = cli("--help", LANG="es_ES.UTF-8").stdout
    assert "Uso: cnncalc [OPCIONES] COMANDO [ARGUMENTOS]..." in text
    assert "─ Comandos ─" in text
    assert "Instala el autocompletado para el intérprete de órdenes actual." in text
    assert "Install completion" not in text and "Commands" not in text


def test_the_types_options_take_are_named_in_spanish():
    text = cli("--lang", "es", "out-size", "--help").stdout
    assert "-W      <texto>" in text and "<str>" not in text
    text = cli("--lang", "es", "summary", "--help").stdout
    assert "spec      <texto>" in text
    text = cli("--lang", "es", "run", "--help").stdout
    assert "<entero>" in text and "<ruta>" in text and "<int>" not in text and "<path>" not in text
    text = cli("--lang", "es", "exercise", "--help").stdout  # --seed and --level are bounded: click's ranges
    assert "--seed" in text and "<int range>" not in text and "<entero>" in text
    text = cli("--lang", "es", "memory", "--help").stdout
    assert "<sgd|momentum|adam|adamw>" in text  # a choice's values are typed as they are, in any language
    english = cli("out-size", "--help").stdout
    assert "-W      <str>" in english and "<texto>" not in english


def test_english_stays_the_default_frame():
    text = cli("summary", "--help").stdout
    assert "Usage: cnncalc summary [OPTIONS]" in text and "Show this message and exit." in text
    assert "[default: table]" in text


@pytest.mark.parametrize(
    ("args", "spanish"),
    [
        (
            ["summary", LENET, "--format", "xml"],
            "Valor no válido para '--format' / '-f': 'xml' no es ninguno de estos:",
        ),
        (["summary", LENET, "--nope"], "No existe la opción --nope"),
        (["summary", LENET, "extra"], "Sobran argumentos (extra)"),
        (["nope"], "No existe el comando 'nope'."),
        (["out-size", "-W", "7"], "Falta la opción '-F'."),
        (["out-size", "-W", "7", "-F"], "La opción '-F' necesita un valor."),
        (["solve", "padding", "-W", "x", "-F", "3"], "Valor no válido para '-W': 'x' no es un número entero válido."),
    ],
)
def test_click_usage_errors_in_spanish(args, spanish):
    done = cli("--lang", "es", *args)
    assert done.returncode == 2
    assert spanish in " ".join(done.stderr.split()), done.stderr  # the panel may fold a long line
    assert "Traceback" not in done.stderr


def test_a_usage_error_says_where_the_help_is_in_spanish():
    err = cli("--lang", "es", "summary", LENET, "--nope").stderr
    assert "Uso: cnncalc summary [OPCIONES]" in err
    assert "Prueba 'cnncalc summary --help' para ver la ayuda." in err
    assert "Try " not in err and "Usage:" not in err


@pytest.mark.parametrize(
    "args",
    [
        ["--lang", "es", "summary", LENET],
        ["summary", LENET, "--lang", "es"],
        ["summary", "--lang=es", LENET],
    ],
)
def test_lang_works_before_or_after_the_command(args):
    done = cli(*args)
    assert done.returncode == 0, done.stderr
    assert "parámetros totales" in done.stdout and "61\u00a0706" in done.stdout  # 156+2416+48120+10164+850


def test_lang_after_the_command_reads_numbers_the_spanish_way():
    # 0,5 is one number in Spanish (half), two in English: the matrix is 2x2 only when read in Spanish.
    assert cli("conv", "-x", "0,5 1; 1 1", "-k", "1", "--lang", "es").stdout.split() == ["salida", "0,5", "1", "1", "1"]


@pytest.mark.parametrize("args", [["--lang", "xx", "summary", LENET], ["summary", LENET, "--lang", "xx"]])
def test_an_unknown_lang_anywhere_exits_2_listing_the_languages(args):
    done = cli(*args)
    assert done.returncode == 2
    assert "'xx'" in done.stderr and "en, es" in done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr


@pytest.mark.parametrize("path", list(command_paths()), ids=" ".join)
def test_every_command_shows_lang_in_its_help(path, run_cli):
    code, out, _err = run_cli(*path, "--help")
    assert code == 0
    assert "--lang" in out


def test_the_frame_is_put_back_after_a_spanish_invocation(run_cli):
    """An embedder's own typer app, run after cnncalc in the same process, keeps typer's English."""
    code, out, _err = run_cli("--lang", "es", "summary", "--help")
    assert code == 0 and "Opciones" in out
    from typer import rich_utils

    assert (rich_utils.OPTIONS_PANEL_TITLE, rich_utils.DEFAULT_STRING) == ("Options", "[default: {}]")


@pytest.mark.parametrize(
    ("english", "spanish"),
    [
        ("No such option: --nope", "No existe la opción --nope"),
        ("No such option: --x (Possible options: --a, --b)", "No existe la opción --x (opciones posibles: --a, --b)"),
        (
            "Invalid value for '-W': 'x' is not a valid integer.",
            "Valor no válido para '-W': 'x' no es un número entero válido.",
        ),
        (
            "Invalid value for '-k': 0 is not in the range x>=1.",
            "Valor no válido para '-k': 0 no está en el rango x>=1.",
        ),
        ("Missing argument 'SPEC'.", "Falta el argumento 'SPEC'."),
        ("Got unexpected extra argument(s) (a b)", "Sobran argumentos (a b)"),
        ("something click never says", "something click never says"),
    ],
)
def test_click_messages_read_back_and_rewritten(english, spanish):
    from cnncalc.cli.frame import usage_error

    with i18n.language("es"):
        assert usage_error(english) == spanish
    assert usage_error(english) == english  # English outside
