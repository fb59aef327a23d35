"""The one error type of cnncalc, raised where a problem is found and rendered once at the edge."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cnncalc.i18n import _


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file and line/column, a layer, or a path inside a spec."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    layer: str | None = None
    path: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            parts.append(where)
        elif self.line is not None:
            line = _("line {line}").format(line=self.line)
            parts.append(line + (_(", column {column}").format(column=self.column) if self.column else ""))
        if self.layer:
            parts.append(_("layer '{layer}'").format(layer=self.layer))
        if self.path and not self.layer:
            parts.append(self.path)
        return ", ".join(parts)

    def in_layer(self, layer: str) -> Location:
        """This location, naming `layer` unless it names one already."""
        return self if self.layer else Location(self.file, self.line, self.column, layer, self.path)

    def merged(self, other: Location) -> Location:
        """Fill the fields this location lacks from `other`."""
        return Location(
            file=self.file or other.file,
            line=self.line if self.line is not None else other.line,
            column=self.column if self.column is not None else other.column,
            layer=self.layer or other.layer,
            path=self.path or other.path,
        )


class SpecError(Exception):
    """Bad input: a spec, an argument or a file that cnncalc cannot use.

    Carries a stable `code`, the `location` of the problem and a `hint` saying how to fix it.
    The CLI prints `str(error)` and exits with status 2.
    """

    code = "spec"

    def __init__(
        self,
        message: str,
        *,
        location: Location | None = None,
        hint: str | None = None,
        rule: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()
        self.hint = hint
        self.rule = rule  # the lint rule this problem is a finding of, when linting

    def located(self, location: Location) -> SpecError:
        """Return the same error with missing location fields filled in from `location`."""
        return type(self)(self.message, location=self.location.merged(location), hint=self.hint, rule=self.rule)

    def __str__(self) -> str:
        where = str(self.location)
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += "\n  " + _("hint: {hint}").format(hint=self.hint)
        return text

    def to_dict(self) -> dict[str, object]:
        loc = self.location
        return {
            "error": self.code,
            "message": self.message,
            "hint": self.hint,
            "file": loc.file,
            "line": loc.line,
            "column": loc.column,
            "layer": loc.layer,
            "path": loc.path,
        }


class SyntaxSpecError(SpecError):
    """The text of a chain, YAML or JSON spec cannot be parsed."""

    code = "syntax"


class ValidationSpecError(SpecError):
    """A layer or spec field has a wrong, missing or unknown value."""

    code = "validation"


class ShapeError(SpecError):
    """Shapes do not work out: a size collapses, a kernel is too large, a merge does not match."""

    code = "shape"


class GraphError(SpecError):
    """The graph is malformed: unknown or later references, cycles, duplicate names."""

    code = "graph"


class UsageSpecError(SpecError):
    """The command line itself is wrong: an unknown option or a value outside its choices."""

    code = "usage"


class UnsupportedSpecError(SpecError):
    """A valid spec asks for something a part of cnncalc cannot do exactly (a convention, an
    exporter or the executor that does not know a layer kind): refused, never counted as zero."""

    code = "unsupported"


class LimitError(SpecError):
    """An input exceeds a documented resource bound (size, depth, repeats)."""

    code = "limit"


def unknown_layer(name: str, known: Iterable[str]) -> ValidationSpecError:
    """'no layer named X', with the closest names when there are some."""
    hint = did_you_mean(name, known, n=3) or _("see the names in `cnncalc summary`")
    return ValidationSpecError(_("no layer named {name!r}").format(name=name), hint=hint)


def closest(name: str, known: Iterable[str], n: int = 1, cutoff: float = 0.6) -> list[str]:
    """Up to `n` known names nearest `name`, best first, as written in `known`.

    The one place cnncalc guesses what was meant. Compared as people type names, in either
    language: case, accents, spaces, `-` and `_` do not count (Convlucion is near Convolución,
    campo receptivo is campo_receptivo). A name no nearer than `cutoff` is no guess: a false friend
    sharing only a stem misleads more than silence."""
    import difflib

    written: dict[str, str] = {}
    for spelling in known:
        written.setdefault(_typed(spelling), spelling)
    matcher = difflib.SequenceMatcher(b=_typed(name))  # difflib.get_close_matches' scoring, ties kept in order
    scored = []
    for typed, spelling in written.items():
        matcher.set_seq1(typed)
        if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff and matcher.ratio() >= cutoff:
            scored.append((matcher.ratio(), spelling))
    return [spelling for _, spelling in sorted(scored, key=lambda pair: -pair[0])[:n]]


def did_you_mean(name: str, known: Iterable[str], n: int = 1, cutoff: float = 0.6) -> str | None:
    """The hint `did you mean 'conv'?` (or 'a' or 'b'), or None when no known name is near `name`."""
    close = closest(name, known, n, cutoff)
    return _("did you mean {names}?").format(names=_(" or ").join(map(repr, close))) if close else None


def _typed(name: str) -> str:
    import unicodedata

    bare = "".join(c for c in unicodedata.normalize("NFKD", name.lower()) if not unicodedata.combining(c))
    return "".join(c for c in bare if c not in " _-\t")
