"""`cnncalc lint SPEC...`: rule findings with stable codes for people and CI."""

from pathlib import Path
from typing import Annotated

import typer

from cnncalc.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_OK,
    bad_input_exits,
    console,
    parse_set_options,
    show,
)
from cnncalc.cli.completion import complete_rule_code, complete_spec
from cnncalc.cli.options import Format, InputSize, SetParameters, default_format
from cnncalc.i18n import _


def _expanded(specs: list[str]) -> list[str]:
    """A directory stands for the .yaml, .yml and .json specs directly inside it, sorted (one holding
    none stays, to be reported as unreadable)."""
    from cnncalc.spec.load import TEXT_SPEC_SUFFIXES

    found: list[str] = []
    for spec in specs:
        folder = Path(spec)
        inside = (
            sorted(str(f) for f in folder.iterdir() if f.suffix in TEXT_SPEC_SUFFIXES and f.is_file())
            if _is_directory(folder, spec)
            else []
        )
        if inside:
            found += inside
        else:
            found.append(spec)
    return found


def _is_directory(folder: Path, spec: str) -> bool:
    if not spec.strip():  # Path("") is the current directory; an empty spec is not
        return False
    try:
        return folder.is_dir()
    except OSError:  # a chain far longer than any file name
        return False


def _split(values: list[str] | None) -> list[str]:
    return [part for value in values or [] for part in value.split(",") if part.strip()]


def lint(
    specs: Annotated[
        list[str] | None,
        typer.Argument(
            help=_("Spec files, directories of them, bundled names or chains."),
            show_default=False,
            autocompletion=complete_spec,
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select", help=_("Only these codes or prefixes (e.g. S,R001)."), autocompletion=complete_rule_code
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", help=_("Skip these codes or prefixes."), autocompletion=complete_rule_code),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help=_("Warnings also fail (exit 1)."))] = False,
    format: Annotated[str, Format("lint")] = default_format("lint"),
    config: Annotated[
        Path | None, typer.Option("--config", help=_("A .cnncalc.toml or pyproject.toml to use."))
    ] = None,
    input: InputSize = None,
    set_: SetParameters = None,
    explain: Annotated[str | None, typer.Option("--explain", help=_("Print the documentation of one rule."))] = None,
    list_rules: Annotated[bool, typer.Option("--list", help=_("List every rule."))] = False,
    max_params: Annotated[str | None, typer.Option("--max-params", help=_("Budget, e.g. 5M (B001)."))] = None,
    max_macs: Annotated[str | None, typer.Option("--max-macs", help=_("Budget, e.g. 2G (B002)."))] = None,
    max_activations: Annotated[
        str | None, typer.Option("--max-activations", help=_("Budget in bytes, e.g. 100MB (B003)."))
    ] = None,
    min_rf: Annotated[
        str | None, typer.Option("--min-rf", help=_("Smallest receptive field, e.g. 224 (B004)."))
    ] = None,
    max_depth: Annotated[str | None, typer.Option("--max-depth", help=_("Most weighted layers deep (B005)."))] = None,
) -> None:
    """Check specs for problems: stride that does not fit, collapsing shapes, mismatched merges, …

    Budgets (--max-params, --max-macs, --max-activations, --min-rf, --max-depth; also in
    \\[tool.cnncalc] or a spec's lint:) make a network that outgrows them an error finding (B001–B005).
    Exit codes: 0 clean, 1 findings at error severity (warnings too with --strict), 2 bad input.
    """
    from cnncalc.analysis.lint import LintConfig, all_rules, lint_spec, rule
    from cnncalc.cli.progress import progress_bar
    from cnncalc.config import find_config_file, read_config
    from cnncalc.render import lint as render

    as_json = format in ("json", "sarif")
    with bad_input_exits(as_json):
        if explain:
            found = rule(explain)
            typer.echo(f"{found.code} {found.name} (default: {found.severity})\n\n{found.doc}".rstrip())
            return
        if list_rules:
            render.render_rule_list(all_rules(), console())
            return
        if not specs:
            raise typer.BadParameter(_("give at least one spec to lint"))
        path = config or find_config_file(Path.cwd())
        base = LintConfig.from_mapping(read_config(path), str(path)) if path else LintConfig()
        budget_options = {
            "max-params": max_params,
            "max-macs": max_macs,
            "max-activations": max_activations,
            "min-rf": min_rf,
            "max-depth": max_depth,
        }
        given = {name: value for name, value in budget_options.items() if value is not None}
        cli = LintConfig(
            select=LintConfig.from_mapping({"select": _split(select)}, "--select").select,
            ignore=LintConfig.from_mapping({"ignore": _split(ignore)}, "--ignore").ignore,
            strict=strict,
            budgets=LintConfig.from_mapping(given, "command line").budgets,
        )
        settings = base.override(cli)
        params = parse_set_options(set_)
    with progress_bar(_("lint"), quiet=as_json) as advance:
        results = [lint_spec(spec, settings, input=input, params=params, progress=advance) for spec in _expanded(specs)]
    show("lint", format, results, *((all_rules(), Path.cwd()) if format == "sarif" else ()))
    raise typer.Exit(_exit_code(results, settings))


def _exit_code(results, settings) -> int:
    if any(r.error is not None for r in results):
        return EXIT_BAD_INPUT
    if any(settings.fails(f) for r in results for f in r.findings):
        return EXIT_FINDINGS
    return EXIT_OK
