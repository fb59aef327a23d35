"""`cnncalc check ANSWERS...`: mark students' answers ✓/✗ with the working; with `--key`, grade a
class into a gradebook with points per question."""

from fractions import Fraction
from pathlib import Path
from typing import Annotated

import typer

from cnncalc.cli.common import EXIT_BAD_INPUT, EXIT_FINDINGS, bad_input_exits, console, reading_language, show
from cnncalc.cli.options import Format, default_format
from cnncalc.i18n import _, number

ANSWER_SUFFIXES = (".yaml", ".yml", ".json")


def check(
    ctx: typer.Context,
    answers: Annotated[
        list[Path], typer.Argument(help=_("Answers files (YAML or JSON), or folders of them."), show_default=False)
    ],
    key: Annotated[
        Path | None,
        typer.Option("--key", "-k", help=_("Answer key: the questions and their points; unanswered ones count.")),
    ] = None,
    follow_through: Annotated[
        bool,
        typer.Option("--follow-through", help=_("Credit an answer right given the student's own earlier answer.")),
    ] = False,
    feedback: Annotated[
        Path | None, typer.Option("--feedback", help=_("Folder to write each student's feedback file in (with --key)."))
    ] = None,
    fail_under: Annotated[
        str | None, typer.Option("--fail-under", help=_("Exit 1 when a student scores fewer points than this."))
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=_("Overwrite existing feedback files."))] = False,
    format: Annotated[str, Format("check")] = default_format("check"),
) -> None:
    """Check answers against the spec they name (✓/✗, the correct value and its working), or with
    --key grade a class: one row per student, one column per question, points and totals.

    Exit 0 when the files were marked (whatever the students answered), 2 when a file cannot be
    read, 1 with --fail-under when a student scores fewer points.
    """
    as_json = format == "json"
    with bad_input_exits(as_json):
        threshold = _threshold(fail_under)
        if key is None:
            _check_alone(answers, format, feedback, threshold, reading_language(ctx))
            return
        from cnncalc.api import grade_files, load_key

        loaded = load_key(key, reading_language(ctx))
        gradebook = grade_files(loaded, answer_files(answers, key, loaded.spec), follow_through)
        if feedback is not None:
            _write_feedback(gradebook, feedback, force)
    show("check", format, gradebook)
    _report(list(gradebook.errors), as_json)
    if gradebook.errors:
        raise typer.Exit(EXIT_BAD_INPUT)
    if threshold is not None and any(row.points < threshold for row in gradebook.rows):
        raise typer.Exit(EXIT_FINDINGS)


def _check_alone(
    answers: list[Path], format: str, feedback: Path | None, threshold: Fraction | None, language: str
) -> None:
    """Without a key: each file marked on what it answers, as `check` always did."""
    from cnncalc.api import mark_files
    from cnncalc.errors import SpecError

    if format in ("table", "csv") or feedback is not None:
        raise SpecError(
            _("a gradebook and feedback files need the answer key"),
            hint=_("give --key KEY.yaml (its questions and points; see docs/homework.md)"),
        )
    results = mark_files(answer_files(answers, None, None), language)
    show("check", format, results)
    errors = [r for r in results if isinstance(r, Exception)]
    _report(errors, format == "json")
    if errors:
        raise typer.Exit(EXIT_BAD_INPUT)
    if threshold is not None and any(r.score < threshold for r in results if not isinstance(r, Exception)):
        raise typer.Exit(EXIT_FINDINGS)


def _report(errors: list, as_json: bool) -> None:
    """Files that could not be read, on stderr (in JSON they are in the document)."""
    if as_json:
        return
    from cnncalc.render.lint import error_markup

    err = console(stderr=True)
    for error in errors:
        err.print(error_markup(error))


def _threshold(text: str | None) -> Fraction | None:
    from cnncalc.analysis.check import answer_value
    from cnncalc.errors import SpecError

    if text is None:
        return None
    value = answer_value(text, "number")
    if not isinstance(value, Fraction):
        raise SpecError(
            _("--fail-under takes a number of points, got {text!r}").format(text=text), hint=_("e.g. --fail-under 5")
        )
    return value


def answer_files(paths: list[Path], key: Path | None, spec: str | None) -> list[Path]:
    """The answers files: a folder stands for the YAML and JSON files directly inside it, sorted, but
    for the key and its spec; at most Limits.max_answer_files of them."""
    from cnncalc.errors import LimitError, SpecError
    from cnncalc.limits import DEFAULT_LIMITS

    skipped = {p.resolve() for p in (key, Path(spec) if spec else None) if p is not None and p.exists()}
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(f for f in path.iterdir() if f.suffix in ANSWER_SUFFIXES and f.is_file())
        else:
            found.append(path)
        if len(found) > DEFAULT_LIMITS.max_answer_files:
            raise LimitError(
                _("more than {count} answers files").format(count=number(DEFAULT_LIMITS.max_answer_files)),
                hint=_("grade the class in parts, or raise CNNCALC_MAX_ANSWER_FILES"),
            )
    files = [f for f in found if not (f.exists() and f.resolve() in skipped)]
    if not files:  # a folder of nothing but the key (or of .txt files): no class, and saying so
        raise SpecError(
            _("no answers files in {paths}").format(paths=", ".join(str(p) for p in paths)),
            hint=_("answers files are .yaml, .yml or .json files directly inside the folder"),
        )
    return files


def _write_feedback(gradebook, folder: Path, force: bool) -> None:
    """Each student's feedback, with the working, as FOLDER/<student>.txt (a name made safe for a path)."""
    from cnncalc.output import write_atomic, write_error
    from cnncalc.render.check import feedback_text

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(folder, exc) from None
    used: set[str] = set()
    for row in gradebook.rows:
        write_atomic(folder / f"{_file_name(row.id, used)}.txt", feedback_text(gradebook, row), force)


def _file_name(id: str, used: set[str]) -> str:
    """A student id as a file name: letters, digits, `-` and `_` kept, anything else `_`; unique."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in id)[:100].strip("_") or "student"
    name, n = safe, 1
    while name.lower() in used:
        n += 1
        name = f"{safe}-{n}"
    used.add(name.lower())
    return name
