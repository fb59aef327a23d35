"""The typer application. Commands live in their own modules and import the engine lazily.

`cnncalc COMMAND …` registers only the command it runs: typer reads every registered command's
signature at start-up, which cost more than the command itself for small specs. `app` (help,
completion, tests) has them all.
"""

import importlib
import inspect
import itertools
import os
import sys
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any

import typer

from cnncalc import __version__
from cnncalc.cli.frame import SpokenCommand, SpokenGroup, restoring_rich_texts
from cnncalc.i18n import EXPLICIT, N_, _, chosen, language

# (name, module, function) in the order `cnncalc --help` lists them
COMMANDS = (
    ("summary", "summary", "summary"),
    ("layers", "layers", "layers"),
    ("lint", "lint", "lint"),
    ("receptive-field", "receptive_field", "receptive_field"),
    ("run", "run", "run"),
    ("conv", "worked", "conv"),
    ("pool", "worked", "pool"),
    ("zoo", "zoo", "zoo"),
    ("explain", "explain", "explain"),
    ("out-size", "quick", "out_size"),
    ("compare", "compare", "compare"),
    ("check", "check", "check"),
    ("exercise", "exercise", "exercise"),
    ("convert", "convert", "convert"),
    ("schema", "schema", "schema"),
    ("export", "export", "export"),
    ("diagram", "diagram", "diagram"),
    ("report", "report", "report"),
    ("scale", "scale", "scale"),
    ("diff", "diff", "diff"),
    ("memory", "memory", "memory"),
)
GROUPS = (("solve", "solve", "solve"),)
# Also under `python -m cnncalc`, so help and shell completion (_CNNCALC_COMPLETE) read the same.
PROG_NAME = "cnncalc"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cnncalc {__version__}")
        raise typer.Exit()


LANG_HELP = N_(
    "Language of the messages: en (default) or es. Also CNNCALC_LANG, or LANG/LC_ALL/LC_MESSAGES/LANGUAGE"
    " saying Spanish. JSON is always English."
)
ARGV = "cnncalc.argv"  # ctx.meta key: the whole command line, for the root callback to see --format
LANG = "cnncalc.lang"  # ctx.meta key: --lang as given, before the command or after it


class RootGroup(SpokenGroup):
    def main(self, *args: Any, **kwargs: Any) -> Any:
        with restoring_rich_texts():
            return super().main(*args, **kwargs)

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]  # click's Context
        ctx.meta[ARGV] = list(args)
        return super().parse_args(ctx, args)


def make_root() -> Callable[..., None]:
    """The root callback, made when the app is built: its help texts are read in the chosen language."""

    def root(
        ctx: typer.Context,
        version: Annotated[
            bool, typer.Option("--version", callback=_version, is_eager=True, help=_("Print the version."))
        ] = False,
        lang: Annotated[
            str | None,
            # Eager, like the commands' own --lang: `--lang es --help` draws the help in Spanish.
            typer.Option(
                "--lang", metavar="LANG", help=_(LANG_HELP), show_default=False, is_eager=True, callback=set_language
            ),
        ] = None,
    ) -> None:
        """cnncalc: a CNN shape and parameter calculator."""
        from cnncalc.cli.common import tolerant_streams

        tolerant_streams()  # here too: tests and embedders call the app without main()

    return root


def set_language(ctx: typer.Context, flag: str | None) -> None:
    """The language of this invocation (--lang, else the environment), until `ctx` ends.

    main() chose the same one before the help texts were built; this sets it for callers of `app`
    too (tests, embedders), and again when --lang comes after the command."""
    if flag is not None:
        ctx.meta[LANG] = flag
    ctx.with_resource(language(invocation_language(flag, ctx.meta.get(ARGV, []))))


def invocation_language(flag: str | None, args: list[str]) -> str:
    """--lang, else the environment; English for JSON, which machines read."""
    try:
        code = chosen(flag, os.environ)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--lang" if flag else EXPLICIT) from None
    return "en" if asks_for_json(args) else code


def build_app(only: str | None = None) -> typer.Typer:
    """The application with every command, or with just `only` (what `cnncalc only …` needs)."""
    application = typer.Typer(
        name="cnncalc",
        cls=RootGroup,
        help=_("Shapes, parameters, MACs and receptive fields of CNNs from a text spec — no framework needed."),
        no_args_is_help=True,
        add_completion=True,
        pretty_exceptions_enable=False,
        rich_markup_mode="rich",
    )
    application.callback()(make_root())
    for name, module, function in COMMANDS:
        if only in (None, name):
            command = getattr(importlib.import_module(f"cnncalc.cli.{module}"), function)
            doc = inspect.getdoc(command) or ""  # in the catalogue through _catalogues.extract_commands
            application.command(name, help=_(doc), cls=SpokenCommand)(command)
    for name, module, attribute in GROUPS:
        if only in (None, name):
            group = getattr(importlib.import_module(f"cnncalc.cli.{module}"), attribute)
            for info in group.registered_commands:  # its commands speak too (typer's default class otherwise)
                info.cls = SpokenCommand
            application.add_typer(group, name=name, cls=SpokenGroup)
    return application


@cache
def full_app() -> typer.Typer:
    return build_app()


def __getattr__(name: str) -> typer.Typer:
    if name == "app":
        return full_app()
    raise AttributeError(name)


def main() -> None:
    from cnncalc.cli.common import tolerant_streams
    from cnncalc.cli.streams import stdout_failures_exit

    tolerant_streams()
    # Help texts are built as the commands' modules are imported: the language comes first.
    with stdout_failures_exit(asks_for_json(sys.argv[1:])), language(_startup_language(sys.argv[1:])):
        _run()


def _startup_language(args: list[str]) -> str:
    """The invocation's language read before the app is built; a bad --lang is reported by the callback."""
    try:
        return invocation_language(_lang_flag(args), args)
    except typer.BadParameter:
        return "en"


def _lang_flag(args: list[str]) -> str | None:
    """--lang X or --lang=X before the command's name or after it (the last one given), up to `--`."""
    found = None
    for a, b in itertools.pairwise([*args, ""]):
        if a == "--":
            break
        if a.startswith("--lang="):
            found = a.partition("=")[2]
        elif a == "--lang":
            found = b
    return found


def _run() -> None:
    requested = sys.argv[1] if len(sys.argv) > 1 else None
    known = {name for name, _, _ in (*COMMANDS, *GROUPS)}
    application = build_app(requested) if requested in known else full_app()
    if not asks_for_json(sys.argv[1:]):
        application(prog_name=PROG_NAME)
        return
    # A machine asked for JSON: a usage error (unknown option, bad choice) is a JSON object on
    # stderr too, like every other error, instead of the boxed text typer prints for people.
    try:
        code = application(prog_name=PROG_NAME, standalone_mode=False)
    except Exception as error:
        if not (hasattr(error, "format_message") and hasattr(error, "exit_code")):  # click's usage errors
            raise
        from cnncalc.cli.common import fail
        from cnncalc.errors import UsageSpecError

        fail(UsageSpecError(error.format_message(), hint="see cnncalc COMMAND --help"), as_json=True)
        sys.exit(error.exit_code)
    sys.exit(code if isinstance(code, int) else 0)


def asks_for_json(args: list[str]) -> bool:
    """--format json, -f json, --format=json or -fjson anywhere on the command line."""
    pairs = itertools.pairwise([*args, ""])
    return any(a in ("--format=json", "-fjson") or (a in ("--format", "-f") and b == "json") for a, b in pairs)
