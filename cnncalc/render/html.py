"""HTML pieces shared by notebook representations and the report: plain tables, no scripts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from cnncalc.render.escape import xml


def html_table(columns: Sequence[str], rows: Iterable[Sequence[str]], right: Iterable[str] = ()) -> str:
    """A <table> with a header row; columns named in `right` are right-aligned (numbers)."""
    aligned = set(right)
    head = "".join(f"<th>{xml(c)}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td style="text-align:{"right" if c in aligned else "left"}">{xml(v)}</td>'
            for c, v in zip(columns, row, strict=True)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
