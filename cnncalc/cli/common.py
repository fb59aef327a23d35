"""What every command shares: option parsing helpers and the one place errors become exit codes."""

import codecs
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from cnncalc.errors import SpecError
from cnncalc.i18n import _, number
from cnncalc.render.escape import json_text
from cnncalc.shown import quote

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

T = TypeVar("T")
EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def echo_artifact(kind: str, content: str | None, as_json: bool, file: object = None, **fields: object) -> None:
    """Print a command's product, or (with --format json) a cnncalc.KIND/1 document describing it.

    `content` is None for binary files written with -o (ONNX, PNG): the document then names the file.
    """
    if not as_json:
        if file is None and content is not None:
            typer.echo(content.rstrip("\n"))
        return

    document = {"schema": f"cnncalc.{kind}/1", **fields, "file": None if file is None else str(file)}
    document["content"] = content if file is None else None
    typer.echo(json_text(document))


def rendered(record: str, format: str, result: object, *args: object) -> str:
    """`result` as text in `format`, by the renderer render/outputs.py declares for it."""
    from cnncalc.render.outputs import OUTPUTS

    return OUTPUTS[record].renderer(format).function()(result, *args)  # type: ignore[no-any-return]


def show(record: str, format: str, result: object, *args: object) -> None:
    """Write `result` in `format` to stdout: printed on a console, or echoed as text."""
    from cnncalc.render.outputs import OUTPUTS

    renderer = OUTPUTS[record].renderer(format)
    if renderer.prints:
        renderer.function()(result, *args, console(soft_wrap=renderer.soft_wrap))
        return
    text = rendered(record, format, result, *args)
    if text:  # a format with nothing to report (GitHub annotations of a clean run) prints nothing
        typer.echo(text.rstrip("\n"))


def console(stderr: bool = False, soft_wrap: bool | None = None) -> "Console":
    """A rich console. Messages (errors, findings) are never wrapped: people grep them.

    No emoji codes: a layer named `:warning:` is printed as written, not as a picture."""
    return _console_class()(
        stderr=stderr, highlight=False, emoji=False, soft_wrap=stderr if soft_wrap is None else soft_wrap
    )


@cache
def _console_class() -> type["Console"]:
    """rich's Console, measuring each string as the stream will print it.

    On a console without →, ✓ or … (ASCII, cp1252) the stream prints look-alikes (->, ok, ...),
    some wider than the character: a table measured with the character came out with its box
    misaligned. Each string a table cell, title or header is made from is given its look-alikes
    before rich measures it, as render/table.py does for the summary's table."""
    from rich.console import Console

    from cnncalc.render.escape import encodable

    class Measured(Console):
        def render_str(self, text: str, **options: Any) -> "Text":
            return super().render_str(encodable(text, self.encoding), **options)

    return Measured


def tolerant_streams() -> None:
    """stdout and stderr print what their encoding lacks instead of failing on it.

    A cp1252 or ASCII console (Windows, `> file`, PYTHONIOENCODING=ascii) cannot encode the table
    box, × or →, and no stream encodes a lone surrogate from a spec: each becomes an ASCII look-alike
    or a backslash escape (`\\ud800`, which is also JSON's), and the exit code stays the command's."""
    from contextlib import suppress

    from cnncalc.render.escape import ASCII_STREAM, FALLBACK

    for stream in (sys.stdout, sys.stderr):
        with suppress(AttributeError, ValueError, OSError, LookupError):  # not a text stream we may change
            encoding = getattr(stream, "encoding", None)  # None on an io.StringIO an embedder put there
            ascii_only = isinstance(encoding, str) and codecs.lookup(encoding).name == "ascii"
            stream.reconfigure(errors=FALLBACK, **({"encoding": ASCII_STREAM} if ascii_only else {}))  # type: ignore[union-attr]


def fail(error: SpecError, as_json: bool = False) -> typer.Exit:
    """Print one error (text or JSON) to stderr and return the exit to raise."""
    if as_json:
        print(json_text(error.to_dict(), indent=None), file=sys.stderr)
    else:
        from cnncalc.render.lint import error_markup

        console(stderr=True).print(error_markup(error))
    return typer.Exit(EXIT_BAD_INPUT)


@contextmanager
def bad_input_exits(as_json: bool = False) -> Iterator[None]:
    """Turn the tool's own error into exit code 2 with one message; anything else is a bug."""
    try:
        yield
    except SpecError as error:
        raise fail(error, as_json) from None


MAX_SET_CHARS = 1_000  # the length of an expression in a spec (Limits.max_expression_chars)


def reading_language(context: typer.Context) -> str:
    """The language numbers the user typed are read in: the one chosen (--lang, LANG…) even when the
    output is JSON, which is written in English — asking for JSON does not change what 0,25 means."""
    import os

    from cnncalc.cli.app import LANG
    from cnncalc.i18n import chosen

    flag = context.meta.get(LANG)  # --lang before the command or after it (ctx.meta is shared by both)
    try:
        return chosen(flag if isinstance(flag, str) else None, os.environ)
    except ValueError:  # an unknown language: the root callback reports it before any command runs
        return "en"


def parse_set_options(values: list[str] | None) -> dict[str, object]:
    """`--set name=value` (repeatable) → {name: value}, values read as YAML scalars."""
    if not values:
        return {}  # without --set an inline chain needs no YAML at all
    import yaml

    params: dict[str, object] = {}
    for item in values:
        name, sep, raw = item.partition("=")
        if not sep or not name.strip():
            message = _("--set {item} is not NAME=VALUE").format(item=quote(item))
            raise SpecError(message, hint=_("e.g. {example}").format(example="--set num_classes=10"))
        if len(raw) > MAX_SET_CHARS:  # a value is a number, a word or a short list, like an expression
            raise SpecError(
                _("--set {name}: the value {value} has {count} characters, over the limit of {limit}").format(
                    name=quote(name.strip()),
                    value=quote(raw.strip()),
                    count=number(len(raw)),
                    limit=number(MAX_SET_CHARS),
                ),
                hint=_("give a number, a word or a short list such as {example}").format(example="[3, 3]"),
            )
        try:
            params[name.strip()] = yaml.safe_load(raw) if raw.strip() else None
        except yaml.YAMLError:
            params[name.strip()] = raw
        except RecursionError:  # PyYAML's composer recurses: [[[[…]]]] hundreds deep
            message = _("--set {name}: the value is nested too deeply").format(name=quote(name.strip()))
            raise SpecError(message) from None
        except ValueError:  # an integer past Python's 4,300-digit conversion limit
            raise SpecError(
                _("--set {name}: the number {value} is far too large").format(
                    name=name.strip(), value=quote(raw.strip())
                ),
                hint=_("give a realistic number, or quote text"),
            ) from None
    return params


def call(function: Callable[[], T], as_json: bool = False) -> T:
    with bad_input_exits(as_json):
        return function()
