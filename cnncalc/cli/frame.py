"""The help screens' frame and the command-line library's own errors, in the invocation's language.

typer and click write `Usage:`, `Options`, `[default: …]`, `Show this message and exit.` and their
usage errors themselves. Their gettext hooks cannot carry it: typer reads its panel titles and
`[default: …]` into module constants when it is imported, and the click that typer ≥ 0.25 carries
writes its messages as plain f-strings. So the English they write is listed here, marked for the
catalogue, and put into the active language where they are drawn: the constants for the time one
help screen or error is printed, the rest through click's own customisation points (the usage
line's prefix, each parameter's help, a usage error's message). Outside a command nothing changes:
`import cnncalc` leaves typer as it found it.
"""

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from copy import copy
from functools import cache
from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from cnncalc.i18n import N_, _

try:  # typer ≥ 0.25 carries its own click; 0.24 uses click's
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover - the oldest typer pyproject allows
    from click.exceptions import UsageError  # type: ignore[no-redef,import-not-found,unused-ignore]

# typer.rich_utils' texts, as typer ≥ 0.24 writes them. "[default: {}]" keeps typer's positional
# field: typer formats it with the default's text.
RICH_TEXTS = {
    "DEPRECATED_STRING": N_("(deprecated) "),
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "ABORTED_TEXT": N_("Aborted."),
    "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
}
# Help texts click and typer give the options they add themselves (--help, shell completion).
LIBRARY_HELP = (
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)
USAGE_PIECES = (N_("[OPTIONS]"), N_("COMMAND [ARGS]..."))
# The type an option takes, as click names it beside the option (<str>, <int>, …); a choice lists
# its values, which are typed as they are in every language, and is left alone.
METAVARS = {
    "<str>": N_("<str>"), "<int>": N_("<int>"), "<float>": N_("<float>"), "<path>": N_("<path>"),
    "<int range>": N_("<int range>"), "<float range>": N_("<float range>"),  # min=/max= make a range
}  # fmt: skip
# click's usage errors, as it writes them (the placeholders stand for what it fills in). Read back
# from the English message, each is rewritten in the active language; nested ones ({problem},
# {message}) are read again.
# The ones that hold another come first: their pattern would be read as the shorter one's.
USAGE_ERRORS = (
    N_("{message} (Possible options: {options})"),
    N_("{message} Did you mean {option}?"),
    N_("No such option: {name}"),
    N_("Missing argument {name}."),
    N_("Missing option {name}."),
    N_("Missing parameter {name}."),
    N_("Invalid value for {name}: {problem}"),
    N_("Invalid value: {problem}"),
    N_("{value} is not one of {choices}."),
    N_("{value} is not a valid integer."),  # click's IntParamType is "integer", typer's own click's "int"
    N_("{value} is not a valid int."),
    N_("{value} is not a valid float."),
    N_("{value} is not a valid int range."),  # an option with min=/max=: click's IntRange and FloatRange
    N_("{value} is not a valid float range."),
    N_("{value} is not in the range {range}."),
    N_("Got unexpected extra argument(s) ({arguments})"),
    N_("Got unexpected extra argument ({arguments})"),
    N_("Got unexpected extra arguments ({arguments})"),
    N_("No such command {name}."),
    N_("Missing command."),
    N_("Option {name} requires an argument."),
    N_("Option {name} requires {count} arguments."),
    N_("Option {name} does not take a value."),
)
NESTED = ("problem", "message")
_FIELD = re.compile(r"\\\{(\w+)\\\}")


def speak_rich_texts() -> None:
    """typer's help and error texts in the active language, for the screen being drawn.

    Called as a usage line is drawn: the first thing typer draws on a help screen or an error, and
    only once typer has imported rich_utils for it (importing it for every command would cost tens
    of milliseconds at start-up). `restoring_rich_texts()` around the invocation puts typer's back."""
    rich_utils = sys.modules.get("typer.rich_utils")
    for name, text in RICH_TEXTS.items():
        if rich_utils is not None and hasattr(rich_utils, name):
            setattr(rich_utils, name, _(text))


@contextmanager
def restoring_rich_texts() -> Iterator[None]:
    """typer's texts as they were before the invocation: nothing of its language is left behind."""
    rich_utils = sys.modules.get("typer.rich_utils")  # not imported: typer's own defaults, RICH_TEXTS
    before = {name: getattr(rich_utils, name, text) for name, text in RICH_TEXTS.items()}
    try:
        yield
    finally:
        after = sys.modules.get("typer.rich_utils")
        for name, text in before.items():
            if after is not None and hasattr(after, name):
                setattr(after, name, text)


def usage_error(message: str) -> str:
    """One of click's usage errors, written in English, in the active language (as it is if unknown)."""
    for template, pattern in _patterns():
        match = pattern.fullmatch(message)
        if match:
            fields = {k: usage_error(v) if k in NESTED else v for k, v in match.groupdict().items()}
            return _(template).format(**fields)
    return message


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each template as a pattern that reads its fields back from click's English message."""
    return tuple((t, re.compile(_FIELD.sub(r"(?P<\1>.+?)", re.escape(t)), re.DOTALL)) for t in USAGE_ERRORS)


def _lang_callback(ctx: Any, _param: Any, value: str | None) -> None:
    if value is not None:
        from cnncalc.cli.app import set_language

        set_language(ctx, value)


def lang_option() -> TyperOption:
    """--lang for a command's own options: `cnncalc summary lenet5 --lang es` as well as before it.

    Eager, so the language is set before the other options are read (0,25 is read the Spanish way)."""
    from cnncalc.cli.app import LANG_HELP

    return TyperOption(
        param_decls=["lang", "--lang"],
        metavar="LANG",
        help=LANG_HELP,
        expose_value=False,
        is_eager=True,
        callback=_lang_callback,
    )


class Spoken:
    """Draws a command's help and errors in the active language (mixed into typer's classes below)."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        speak_rich_texts()
        pieces = [_(piece) for piece in self.collect_usage_pieces(ctx)]  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage: "))

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """The screen with the command's own help in the invocation's language, as its parameters'."""
        super(Spoken, translated(self)).format_help(ctx, formatter)  # type: ignore[misc]

    def get_params(self, ctx: Any) -> list[Any]:
        """The parameters with --lang among them and their help read now, in the invocation's language
        (the commands' modules may have been imported in another)."""
        params = list(super().get_params(ctx))  # type: ignore[misc]
        if not any(param.name == "lang" for param in params):
            params.insert(-1 if params and params[-1].name == "help" else len(params), lang_option())
        return [translated(param) for param in params]

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)  # type: ignore[misc]
        except UsageError as error:
            raise spoken_error(error) from None

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)  # type: ignore[misc]
        except UsageError as error:
            raise spoken_error(error) from None


def translated(param: Any) -> Any:
    """`param` (or a command) with its help in the active language, as stdout can print it: on an
    ASCII or cp1252 console the look-alikes (⌊ → floor(, é → e) are put in before typer measures the
    help's box, or the box came out misaligned."""
    metavar = spoken_metavar(param)
    if not getattr(param, "help", None) and metavar is None:
        return param
    from cnncalc.render.escape import encodable

    spoken = copy(param)
    if param.help:
        spoken.help = encodable(_(param.help), getattr(sys.stdout, "encoding", None))
    if metavar is not None and isinstance(param, TyperOption):
        spoken.metavar = metavar
    elif metavar is not None:  # an argument's help shows its name and then <type.name>
        spoken.type = copy(param.type)
        spoken.type.name = metavar.strip("<>")
    return spoken


def spoken_metavar(param: Any) -> str | None:
    """The type an option or argument takes (<str> → <texto>) in the active language; None where
    click's own stays. An argument's type is renamed only when it is text: a path's name is also
    in click's "Path 'x' does not exist"."""
    shown = f"<{getattr(getattr(param, 'type', None), 'name', '')}>"
    if isinstance(param, TyperArgument):
        text = METAVARS["<str>"] if shown == "<str>" and param.metavar is None else None
    elif isinstance(param, TyperOption) and param.metavar is None and not param.is_flag and param.nargs == 1:
        text = METAVARS.get(shown)
    else:
        text = None
    return None if text is None else _(text)


def spoken_error(error: Any) -> Any:
    """`error` with its message in the active language; typer's "show the help" errors left as they are."""
    if type(error).__name__ == "NoArgsIsHelpError" or getattr(error, "spoken", False):
        return error
    spoken = UsageError(usage_error(error.format_message()), ctx=error.ctx)
    spoken.exit_code = error.exit_code
    spoken.spoken = True  # type: ignore[attr-defined]  # raised again through each enclosing command
    return spoken


class SpokenCommand(Spoken, TyperCommand):
    pass


class SpokenGroup(Spoken, TyperGroup):
    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """A subcommand with its one-line help (in the group's list) in the invocation's language."""
        command = super().get_command(ctx, cmd_name)
        return None if command is None else translated(command)
