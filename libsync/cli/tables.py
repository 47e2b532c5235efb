"""Every table a command prints, laid out in one place.

A command describes its columns (``Column``: heading, whether its values must stay whole,
how dispensable it is) and hands over plain rows of text; ``print_table`` decides the layout:

* on a terminal, the table fits the window: ids, dates, codes and statuses (``whole=True``)
  are never cut nor wrapped; other columns wrap (a word longer than the column is folded,
  never replaced by "…"); when the window is too narrow, the columns with the highest
  ``drop`` number go first (and the reader is told which); when even the essential columns do
  not fit side by side, each row is printed as "heading: value" lines;
* not on a terminal (a pipe, a file), plain text at full width: nothing is cut, wrapped or
  dropped, one row per line, columns aligned;
* a column empty in every row is left out either way.

A value may hold no-break spaces (``KEEP``) between words that must stay on one line ("HD 2/4");
they are printed as ordinary spaces.

The width is the terminal's (``COLUMNS`` overrides it, as rich reads it); rich decides what is a
terminal (``TTY_COMPATIBLE=1`` forces one)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import typer
from rich.cells import cell_len
from rich.console import Console

from libsync.i18n import t

KEEP = "\u00a0"
"""A space that never breaks a line (printed as a plain space)."""

WRAP_FLOOR = 12
"""The narrowest a wrapping column may become (fewer characters per line read as noise)."""


@dataclass(frozen=True)
class Column:
    """One column: its heading; ``whole``: its values are ids, dates, codes, statuses, numbers,
    never cut; ``drop``: 0 is never dropped, higher numbers are dropped first on a narrow
    terminal; ``justify``: numbers go right; ``floor``: the narrowest a wrapping column may be
    (notes of a sentence or two read badly a few words a line: other columns go first)."""

    heading: str
    whole: bool = False
    drop: int = 0
    justify: Literal["left", "right"] = "left"
    floor: int = 0


def _console(err: bool) -> Console:
    return Console(stderr=err, highlight=False, markup=False)


def _longest_word(text: str) -> int:
    return max((cell_len(w) for w in text.split()), default=0)


GAP = 2
"""Characters between two columns (a space of padding and the divider, itself a space)."""


def _bounds(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> list[tuple[int, int]]:
    """Each column's narrowest and widest useful width. A whole column: at least its widest value
    (and the longest word of its heading, which may wrap), at most its heading on one line. A
    wrapping column: at least
    ``WRAP_FLOOR`` or its own ``floor`` (or its full width when narrower), at most its widest
    value or heading."""
    bounds = []
    for i, col in enumerate(columns):
        widest = max([cell_len(r[i]) for r in rows] or [0])
        if col.whole:
            bounds.append((max(widest, _longest_word(col.heading)), max(widest, cell_len(col.heading))))
        else:
            full = max(widest, cell_len(col.heading))
            bounds.append((min(full, max(WRAP_FLOOR, col.floor, _longest_word(col.heading))), full))
    return bounds


def _needed(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> int:
    """The narrowest width at which these columns show every whole value unbroken."""
    return sum(low for low, _ in _bounds(columns, rows)) + GAP * (len(columns) - 1)


def widths(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> list[int]:
    """The width of each column in a table ``width`` wide (which ``_needed`` must allow): whole
    columns get their widest value; the room left goes to the headings of whole columns and to
    the wrapping columns, the one needing least to fit on one line first (so a short column is not
    wrapped to give a long one a few more characters), none beyond its widest value."""
    bounds = _bounds(columns, rows)
    sizes = [low for low, _ in bounds]
    spare = width - sum(sizes) - GAP * (len(columns) - 1)
    # the columns (or headings) that need least to be on one line first
    order = sorted(range(len(columns)), key=lambda i: (bounds[i][1] - sizes[i], i))
    for i in order:
        grant = min(bounds[i][1] - sizes[i], max(spare, 0))
        sizes[i] += grant
        spare -= grant
    return sizes


def fit(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int | None) -> list[int]:
    """The indexes of the columns to show: none empty in every row (when there are rows), and, at a
    given ``width``, the dispensable ones dropped (highest ``drop`` first, the rightmost of equals
    first) until the rest fit; then a dropped column that fits in the room left comes back (the
    lowest ``drop`` first): dropping a wide column may leave room for a narrower, more dispensable
    one. The essential columns (``drop=0``) are always kept."""
    keep = [i for i, _ in enumerate(columns) if not rows or any(str(r[i]).strip() for r in rows)]
    if width is None:
        return keep

    def fits(indexes: list[int]) -> bool:
        return _needed([columns[i] for i in indexes], [[r[i] for i in indexes] for r in rows]) <= width

    dropped: list[int] = []
    while not fits(keep):
        candidates = [i for i in keep if columns[i].drop > 0]
        if not candidates:
            return keep
        worst = max(candidates, key=lambda i: (columns[i].drop, i))
        keep.remove(worst)
        dropped.append(worst)
    for i in sorted(dropped, key=lambda i: (columns[i].drop, i)):
        if fits(sorted([*keep, i])):
            keep = sorted([*keep, i])
    return keep


def plain_lines(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> list[str]:
    """The table as aligned plain text at full width: headings, a rule, one line per row."""
    widths = [max([cell_len(c.heading), *(cell_len(r[i]) for r in rows)]) for i, c in enumerate(columns)]

    def line(cells: Sequence[str]) -> str:
        parts = []
        for cell, col, w in zip(cells, columns, widths):
            pad = " " * (w - cell_len(cell))
            parts.append(pad + cell if col.justify == "right" else cell + pad)
        return "  ".join(parts).rstrip()

    return [line([c.heading for c in columns]), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells: broken between words, a word longer than a line
    folded (never cut short); line breaks inside a cell are kept."""
    lines: list[str] = []
    for part in text.splitlines() or [""]:
        words = part.split(" ")
        line = ""
        for word in words:
            while cell_len(word) > width:   # fold a word longer than the line
                room = width - cell_len(line) - (1 if line else 0)
                if room <= 0:
                    lines.append(line)
                    line, room = "", width
                cut = _cut(word, room)
                lines.append(f"{line} {word[:cut]}" if line else word[:cut])
                line, word = "", word[cut:]
            if not line:
                line = word
            elif cell_len(line) + 1 + cell_len(word) <= width:
                line = f"{line} {word}"
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def _cut(word: str, room: int) -> int:
    """How many characters of ``word`` fill at most ``room`` cells (at least one)."""
    used = 0
    for n, ch in enumerate(word):
        used += cell_len(ch)
        if used > room:
            return max(n, 1)
    return len(word)


def _pad(cell: str, size: int, justify: str) -> str:
    pad = " " * max(size - cell_len(cell), 0)
    return pad + cell if justify == "right" else cell + pad


def terminal_lines(columns: Sequence[Column], rows: Sequence[Sequence[str]], sizes: Sequence[int]) -> list[str]:
    """The table laid out in columns of ``sizes`` cells, ``GAP`` apart: headings (wrapped between
    words), a rule, the rows (a long value wraps within its column)."""
    gap = " " * GAP

    def block(cells: Sequence[str]) -> list[str]:
        wrapped = [_wrap(cell, size) for cell, size in zip(cells, sizes)]
        height = max(len(w) for w in wrapped)
        return [gap.join(_pad(w[k] if k < len(w) else "", size, col.justify)
                         for w, size, col in zip(wrapped, sizes, columns)).rstrip() for k in range(height)]

    out = block([c.heading for c in columns])
    out.append("─" * (sum(sizes) + GAP * (len(sizes) - 1)))
    for row in rows:
        out.extend(block(row))
    return out


def stacked_lines(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """Each row as "heading  value" lines, a blank line between rows: for a window too narrow for
    the essential columns side by side (a value longer than the line is folded)."""
    label = max(cell_len(c.heading) for c in columns)
    room = max(width - label - GAP, 1)
    out: list[str] = []
    for n, row in enumerate(rows):
        if n:
            out.append("")
        for col, value in zip(columns, row):
            if value:
                for k, part in enumerate(_wrap(value, room)):
                    out.append(f"{_pad(col.heading if k == 0 else '', label, 'left')}{' ' * GAP}{part}".rstrip())
    return out


def print_table(columns: Sequence[Column], rows: Sequence[Sequence[object]], *, title: str | None = None,
                err: bool = False) -> None:
    """Print ``rows`` (one value per column; ``None`` is blank) under ``columns``, as this output
    allows (see the module's docstring). ``title`` is a line above the table."""
    typer.echo("\n".join(table_text(columns, rows, title=title, err=err)), err=err)


def table_text(columns: Sequence[Column], rows: Sequence[Sequence[object]], *, title: str | None = None,
               err: bool = False) -> list[str]:
    """The lines ``print_table`` prints (for a command that gathers its output before printing)."""
    text_rows = [["" if v is None else str(v) for v in row] for row in rows]
    width = terminal_width(err)
    keep = fit(columns, text_rows, width)
    shown = [columns[i] for i in keep]
    cells = [[row[i] for i in keep] for row in text_rows]
    lines = []
    if title:
        lines.extend(_wrap(title, width) if width else [title])
    if width is None:
        lines.extend(plain_lines(shown, cells))
    elif _needed(shown, cells) > width:
        lines.extend(stacked_lines(shown, cells, width))
    else:
        lines.extend(terminal_lines(shown, cells, widths(shown, cells, width)))
    dropped = [columns[i].heading for i in range(len(columns)) if i not in keep and columns[i].drop > 0
               and any(r[i].strip() for r in text_rows)]
    if dropped and width:
        lines.extend(_wrap(t("cli.table.dropped", columns=", ".join(dropped)), width))
    return [line.replace(KEEP, " ") for line in lines]


def terminal_width(err: bool = False) -> int | None:
    """The width of the terminal stdout (or stderr) writes to, as rich sees it (``COLUMNS``
    overrides; ``TTY_COMPATIBLE=1`` makes any output a terminal); None when it is no terminal."""
    out = _console(err)
    return out.width if out.is_terminal else None


def is_terminal(err: bool = False) -> bool:
    """Whether stdout (or stderr) is a terminal as rich sees it (progress bars, tables)."""
    return _console(err).is_terminal
