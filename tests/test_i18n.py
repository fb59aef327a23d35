"""The translation machinery: which language an invocation speaks, and that it speaks it.

Expected Spanish strings are the catalogue's (cnncalc/locale/es/LC_MESSAGES/cnncalc.po), written
here by hand; the English ones are the source messages.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from tests_support import ROOT

from cnncalc import i18n
from cnncalc.cli.app import invocation_language

VERSION_ES = "Muestra la versión."
PO = ROOT / "cnncalc" / "locale" / "es" / "LC_MESSAGES" / "cnncalc.po"


@pytest.mark.parametrize(
    ("flag", "environ", "expected"),
    [
        (None, {}, "en"),
        ("es", {}, "es"),
        ("en", {"LANG": "es_ES.UTF-8"}, "en"),  # the flag beats the environment
        (None, {"LANG": "es_ES.UTF-8"}, "es"),
        (None, {"LANG": "es_AR.UTF-8"}, "es"),
        (None, {"LANG": "es"}, "es"),
        (None, {"LC_MESSAGES": "es_MX.utf8", "LANG": "en_US.UTF-8"}, "es"),
        (None, {"LC_ALL": "en_GB.UTF-8", "LC_MESSAGES": "es_ES.UTF-8"}, "en"),  # LC_ALL overrides LC_MESSAGES
        (None, {"LANGUAGE": "fr:es:en", "LANG": "fr_FR.UTF-8"}, "es"),  # the first listed language cnncalc has
        (None, {"LANGUAGE": "fr", "LANG": "es_ES.UTF-8"}, "en"),  # LANGUAGE set: it decides, as in gettext
        (None, {"LANG": "C.UTF-8"}, "en"),
        (None, {"LANG": "POSIX"}, "en"),
        (None, {"LANG": "de_DE.UTF-8"}, "en"),  # a language cnncalc lacks, asked of every program: English
        (None, {"CNNCALC_LANG": "es", "LANG": "en_US.UTF-8"}, "es"),
        (None, {"CNNCALC_LANG": "es-ES"}, "es"),
        (None, {"LANG": "es_ES@euro"}, "es"),
    ],
)
def test_the_language_chosen(flag, environ, expected):
    assert i18n.chosen(flag, environ) == expected


@pytest.mark.parametrize(("flag", "environ"), [("fr", {}), (None, {"CNNCALC_LANG": "xx"})])
def test_a_language_asked_of_cnncalc_alone_that_it_lacks_is_an_error(flag, environ):
    with pytest.raises(ValueError, match=r"no messages in language .*; cnncalc speaks en, es"):
        i18n.chosen(flag, environ)


def test_json_is_english_whatever_the_language(monkeypatch):
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    for args in (["summary", "x.yaml", "--format", "json"], ["lint", "-fjson", "x"], ["diff", "--format=json"]):
        assert invocation_language("es", args) == "en"
    assert invocation_language(None, ["summary", "x.yaml"]) == "es"
    assert invocation_language(None, ["summary", "x.yaml", "--format", "markdown"]) == "es"


def test_the_spanish_catalogue_is_there():
    loaded = i18n.translation("es")
    assert loaded.gettext("Print the version.") == VERSION_ES, (
        "no Spanish catalogue: install Babel (the test extra) so the checkout's .po compiles, or build the package"
    )


def test_english_by_default_and_spanish_inside_the_block_only():
    assert i18n._("Print the version.") == "Print the version."
    with i18n.language("es_ES.UTF-8"):
        assert i18n.active() == "es"
        assert i18n._("Print the version.") == VERSION_ES
        assert i18n._("a message the catalogue does not have") == "a message the catalogue does not have"
    assert i18n.active() == "en"
    assert i18n._("Print the version.") == "Print the version."


def test_the_language_is_restored_when_the_block_raises():
    with pytest.raises(RuntimeError), i18n.language("es"):
        raise RuntimeError
    assert i18n.active() == "en"


def test_another_thread_keeps_its_own_language():
    seen = []
    with i18n.language("es"):
        worker = threading.Thread(target=lambda: seen.append(i18n._("Print the version.")))
        worker.start()
        worker.join()
    assert seen == ["Print the version."]  # a context variable, not a process-wide setting


def catalogue_in(tmp_path: Path, po_text: str, monkeypatch) -> None:
    """A Spanish catalogue with `po_text` as its only source, read through cnncalc.i18n."""
    directory = tmp_path / "es" / "LC_MESSAGES"
    directory.mkdir(parents=True)
    (directory / "cnncalc.po").write_text(po_text, encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translation.cache_clear()


@pytest.fixture
def fresh_catalogues():
    i18n.translation.cache_clear()
    yield
    i18n.translation.cache_clear()  # the next tests read the real catalogue again


def test_ngettext_follows_the_number(tmp_path, monkeypatch, fresh_catalogues):
    pytest.importorskip("babel")
    header = PO.read_text(encoding="utf-8").split("\n\n")[0]  # the real header: its Plural-Forms
    entry = 'msgid "{n} finding"\nmsgid_plural "{n} findings"\nmsgstr[0] "{n} hallazgo"\nmsgstr[1] "{n} hallazgos"\n'
    catalogue_in(tmp_path, f"{header}\n\n{entry}", monkeypatch)
    with i18n.language("es"):
        assert i18n.ngettext("{n} finding", "{n} findings", 1) == "{n} hallazgo"
        assert i18n.ngettext("{n} finding", "{n} findings", 2) == "{n} hallazgos"
        assert i18n.ngettext("{n} finding", "{n} findings", 0) == "{n} hallazgos"  # 0 is plural in Spanish too
    assert i18n.ngettext("{n} finding", "{n} findings", 1) == "{n} finding"


def test_an_unknown_language_block_is_refused():
    with pytest.raises(ValueError, match="'klingon'"), i18n.language("klingon"):
        pass


def test_a_source_checkout_without_a_compiled_catalogue_reads_the_po(tmp_path, monkeypatch, fresh_catalogues):
    pytest.importorskip("babel")
    catalogue_in(tmp_path, PO.read_text(encoding="utf-8"), monkeypatch)  # no .mo beside it, as in a fresh clone
    assert i18n.translation("es").gettext("Print the version.") == VERSION_ES
    assert not (tmp_path / "es" / "LC_MESSAGES" / "cnncalc.mo").exists()  # compiled in memory, nothing written


def test_a_stale_compiled_catalogue_is_not_read(tmp_path, monkeypatch, fresh_catalogues):
    pytest.importorskip("babel")
    from cnncalc._catalogues import compiled

    directory = tmp_path / "es" / "LC_MESSAGES"
    directory.mkdir(parents=True)
    old = PO.read_text(encoding="utf-8").replace(VERSION_ES, "Versión antigua.")
    (directory / "cnncalc.po").write_text(old, encoding="utf-8")
    (directory / "cnncalc.mo").write_bytes(compiled(directory / "cnncalc.po"))
    (directory / "cnncalc.po").write_bytes(PO.read_bytes())
    os.utime(directory / "cnncalc.mo", (1, 1))  # older than the .po just written
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    assert i18n.translation("es").gettext("Print the version.") == VERSION_ES


def cli(*args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in i18n.ENVIRONMENT} | environ
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "cnncalc", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_lang_es_speaks_spanish_in_the_help():
    done = cli("--lang", "es", "--help")
    assert done.returncode == 0
    assert VERSION_ES in done.stdout


@pytest.mark.parametrize("variable", ["LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "CNNCALC_LANG"])
def test_a_spanish_environment_speaks_spanish(variable):
    done = cli("--help", **{variable: "es_ES.UTF-8"})
    assert VERSION_ES in done.stdout


def test_english_by_default():
    done = cli("--help")
    assert "Print the version." in done.stdout
    assert VERSION_ES not in done.stdout


def test_an_unknown_lang_is_a_usage_error_naming_it():
    done = cli("--lang", "fr", "summary", str(ROOT / "specs" / "vgg16.yaml"))
    assert done.returncode == 2
    assert "'fr'" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


@pytest.mark.slow
def test_the_wheel_ships_the_compiled_catalogue_and_not_its_source(tmp_path):
    """pip builds the wheel as README's install does (isolated, with build-system.requires)."""
    import zipfile

    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(tmp_path), str(ROOT)]
    done = subprocess.run(build, capture_output=True, text=True, check=False)
    if done.returncode != 0 and "No matching distribution" in done.stderr:
        pytest.skip("the build requirements cannot be downloaded here")
    assert done.returncode == 0, done.stderr
    names = zipfile.ZipFile(next(tmp_path.glob("cnncalc-*.whl"))).namelist()
    assert "cnncalc/locale/es/LC_MESSAGES/cnncalc.mo" in names
    assert not [name for name in names if name.endswith(".po")]


def test_the_example_in_docs_i18n_is_what_cnncalc_prints():
    text = (ROOT / "docs" / "i18n.md").read_text(encoding="utf-8")
    block = text.split("```console\n", 1)[1].split("```", 1)[0]
    command, *expected = block.splitlines()
    args = command.removeprefix("$ cnncalc ").split()
    done = cli(*args)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == expected


def test_the_library_opts_in_to_spanish_for_a_block():
    import cnncalc

    network = cnncalc.load(str(ROOT / "specs" / "lenet5.yaml"))
    with i18n.language("es"):
        spanish = str(network.explain())
    assert "parámetros = Ci·Co·K² + Co = 1·6·5² + 6 = 156" in spanish
    assert "posiciones·Co·Ci·K² = 28·28·6·1·5² = 117\u00a0600" in spanish
    assert "params = Ci·Co·K² + Co = 1·6·5² + 6 = 156" in str(network.explain())  # English outside the block


def test_use_speaks_a_language_for_the_rest_of_a_context_only():
    """A notebook's first cell calls use("es"); the cells after it run in the context it leaves."""
    import contextvars

    def session() -> tuple[str, str]:
        i18n.use("es_ES.UTF-8")
        return i18n.active(), i18n._("Print the version.")

    assert contextvars.copy_context().run(session) == ("es", VERSION_ES)
    assert i18n.active() == "en"  # the caller's context never changed
    with pytest.raises(ValueError, match="cnncalc speaks en, es"):
        i18n.use("xx")
