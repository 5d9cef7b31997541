"""Query results for people and for programs: a table on the terminal, cells wrapped between
words, or CSV with every row and value whole.

DuckDB's own renderer (``relation.show``) cuts a long cell at the column's edge, in the middle
of a word ("right f" / "or the"); quotes and article text are what analysts read here, so the
table is drawn by rich, which wraps at spaces and breaks a word only when it is wider than
its column.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import re
import sys
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

# DuckDB types whose values line up on the right, as numbers do (a list of numbers does not).
_NUMERIC_TYPE = re.compile(r"(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|REAL|DECIMAL\(\d+,\s*\d+\))",
                           re.IGNORECASE)


# A cell longer than this (an article's text) is shortened at a word, with an ellipsis: one row must
# not fill the screen. --format csv prints every value whole.
MAX_CELL_CHARS = 240
# A column is given at least the width of its longest word, up to this, so short values (dates, ids,
# names) are not broken when a wide column could give up the space instead.
MAX_WORD_WIDTH = 20


def cell_text(value: object) -> Text:
    """One value as DuckDB's CLI writes it: NULL, lists in brackets, dates in ISO form, shortened
    at a word past ``MAX_CELL_CHARS``.

    A ``Text`` and not a string: rich would read ``[bold]`` in an article as markup.
    """
    if value is None:
        return Text("NULL", style="dim")
    return Text(shortened(_plain(value)))


def shortened(text: str, limit: int = MAX_CELL_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"


def _plain(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join("NULL" if v is None else _plain(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {'NULL' if v is None else _plain(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return str(value)


def print_table(columns: list[str], types: list[str], rows: list[tuple], width: int, more_rows: bool = False,
                out: TextIO | None = None) -> None:
    """Draw ``rows`` under a header of column names and their DuckDB types, in ``width`` characters.

    ``more_rows`` says the result was cut at ``len(rows)``: a line under the table says so and how
    to see the rest.
    """
    cells = [[cell_text(value) for value in row] for row in rows]
    table = Table(box=box.ROUNDED, show_lines=False, header_style="bold", pad_edge=True)
    for index, (name, type_name) in enumerate(zip(columns, types)):
        numeric = _NUMERIC_TYPE.fullmatch(type_name) is not None
        header = Text(name)
        header.append("\n" + type_name.lower(), style="dim")
        longest_word = max((len(word) for row in cells for word in row[index].plain.split()), default=0)
        # fold: a word wider than its column is broken rather than cut off with an ellipsis.
        table.add_column(header, justify="right" if numeric else "left", overflow="fold",
                         min_width=min(max(longest_word, len(name)), MAX_WORD_WIDTH))
    for row in cells:
        table.add_row(*row)
    console = Console(file=out or sys.stdout, width=width, highlight=False, emoji=False, markup=False,
                      soft_wrap=False)
    console.print(table)
    shown = f"{len(rows)} row{'' if len(rows) == 1 else 's'}"
    if more_rows:
        console.print(f"{shown} shown, and there are more: --max-rows N shows more, --format csv prints every row")
    else:
        console.print(shown)


def write_csv(columns: list[str], rows: list[tuple], out: TextIO | None = None) -> None:
    """``rows`` as CSV under a header line: NULL is an empty field, lists and structs are written as the
    table shows them (CSV has no nested values)."""
    writer = csv.writer(out or sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if value is None else _plain(value) for value in row] for row in rows)
