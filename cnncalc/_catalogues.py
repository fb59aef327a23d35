"""Compiling the gettext catalogues: `locale/<lang>/LC_MESSAGES/cnncalc.po` (source) to `.mo`.

One function for the three places that need it: the wheel's build hook (hatch_build.py, which loads
this file by path, without importing cnncalc), the test suite's conftest (a source checkout has no
.mo) and cnncalc.i18n when it finds a .po newer than its .mo in a checkout. Babel is imported only
here, only when a catalogue is compiled: a built package reads its .mo with the standard library.
"""

from __future__ import annotations

import io
from pathlib import Path

DOMAIN = "cnncalc"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def sources(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Every catalogue's .po, one per language."""
    return sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def compiled(po: Path) -> bytes:
    """The .mo bytes of one .po. Fuzzy entries are left out, as msgfmt does: a guess is not a translation."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as stream:
        catalog = read_po(stream, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_all(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Write each .po's .mo next to it when missing or older; returns every .mo."""
    written = []
    for po in sources(locale_dir):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            mo.write_bytes(compiled(po))
        written.append(mo)
    return written


def extract_commands(fileobj, keywords, comment_tags, options):  # type: ignore[no-untyped-def]
    """Babel's Python extraction, plus each command's docstring: typer shows it as the command's help.

    A command is a top-level function with a typer.Option or typer.Argument parameter; the app
    translates its docstring (cleaned as inspect.getdoc cleans it) when it registers the command.
    (pyproject's [tool.babel] maps cnncalc/cli/*.py here.)
    """
    import ast

    from babel.messages.extract import extract_python

    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
    tree = ast.parse(source)
    shared = {alias.asname or alias.name for node in tree.body if isinstance(node, ast.ImportFrom)
              if node.module == "cnncalc.cli.options" for alias in node.names}  # fmt: skip
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and _is_command(node, shared) and ast.get_docstring(node):
            yield node.lineno, "_", ast.get_docstring(node), []


def _is_command(node, shared: set[str]) -> bool:  # type: ignore[no-untyped-def]
    """A function with a command-line parameter: typer's own, or one of cli/options.py's (Spec, Format(…))."""
    import ast

    arguments = [*node.args.args, *node.args.kwonlyargs]
    annotations = [a.annotation for a in arguments if a.annotation is not None]
    # typer.Context alone is no command: helpers take it to read the root's options
    names = {n.id for a in annotations for n in ast.walk(a) if isinstance(n, ast.Name)}
    texts = [ast.unparse(a) for a in annotations]
    return bool(names & shared) or any("typer.Option" in t or "typer.Argument" in t for t in texts)
