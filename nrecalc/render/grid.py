"""The terminal's tables and lines as plain data, and how they are drawn as text.

A view is laid out once as Text lines and Grid tables, and drawn here: at its full width when
piped or written to a file, or fitted to a terminal's width (text wraps, figures never do).
"""

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import NamedTuple, Union

from ..escape import table_cell
from .text import display_width, pad
from .words import say

BOLD, WARN = "bold", "bold yellow"
BAR_WIDTH = 32
_EIGHTHS = " ▏▎▍▌▋▊▉"


class Text(NamedTuple):
    """A line of text; style applies to all of it, strong to its leading part."""

    text: str
    strong: str = ""
    style: str | None = None


class Grid:
    """A table: a title, column headers, rows of cells, and a style per row.

    Right-aligned columns hold figures, never wrapped; the others hold text, which may wrap on
    a narrow terminal, except the chart column (bars), which is drawn shorter instead. Where
    even that is not enough, the columns in spare move below the table first.
    """

    def __init__(
        self,
        title: str,
        headers: tuple[str, ...],
        right: tuple[bool, ...],
        chart: int | None = None,
        spare: tuple[int, ...] = (),
    ) -> None:
        self.title = title
        self.headers = headers
        self.right = right  # right-aligned columns (amounts)
        self.chart = chart  # the index of the column of bars, if any
        self.spare = spare
        self.rows: list[tuple[tuple[str, ...], str | None, bool]] = []

    def add(self, *cells: str, style: str | None = None, end_section: bool = False) -> None:
        """Add a row; end_section leaves a blank line after it."""
        self.rows.append((cells, style, end_section))


Block = Union[Text, Grid]  # noqa: UP007 - an alias evaluated at run time on Python 3.10


MIN_WIDTH = 60  # a narrower terminal gets the table at full width, as when piped
TEXT_FLOOR = 10  # a column narrows no further, nor below its widest figure or short word
CHART_FLOOR = 8  # bars are drawn no shorter than this
HANG = 2  # a wrapped cell's next lines are indented this much more, to tell them from a new row
WORD_CAP = 16  # a longer word may be cut where it meets the column's edge
FIGURE_CAP = 30  # wider than any figure; a longer run of digits and commas may be cut
GAP = 3  # spaces between columns; the table's edges take as much again


class Shown(NamedTuple):
    """A line as drawn: its text, its style, and how many of its first characters are bold."""

    text: str
    style: str | None = None
    strong: int = 0


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


# A figure as format_money writes it, a symbol of up to five characters before its digits.
_FIGURE = re.compile(r"-?[^\s\d(]{0,5}\d[\d,.]*")


def _figures(text: str) -> Iterator[re.Match[str]]:
    return _FIGURE.finditer(text)


def _fold(word: str, room: int) -> tuple[str, str]:
    """Cut word after at most room columns, before a figure rather than inside it."""
    used, cut = 0, len(word)
    for index, char in enumerate(word):
        used += display_width(char)
        if used > room:
            cut = max(index, 1)
            break
    for figure in _figures(word):
        if figure.start() < cut < figure.end() and figure.start() > 0:
            cut = figure.start()
    return word[:cut], word[cut:]


def wrap(text: str, width: int, hang: int = 0) -> list[str]:
    """Break text at spaces into lines of at most width columns, keeping its indent.

    A word is cut only when it is wider than a line of its own; columns are made wide enough
    that no figure ever is.
    """
    if display_width(text) <= width:
        return [text]
    first = " " * min(_indent(text), width // 2)
    later = " " * min(len(first) + hang, width // 2)
    found: list[str] = []
    lead, line = first, ""
    for word in text.lstrip(" ").split(" "):
        room = width - len(lead)
        if line and display_width(line) + 1 + display_width(word) <= room:
            line += " " + word
            continue
        if line:
            found.append(lead + line)
            lead, line = later, ""
            room = width - len(lead)
        while display_width(word) > room:
            head, word = _fold(word, room)
            found.append(lead + head)
            lead = later
            room = width - len(lead)
        line = word
    found.append(lead + line)
    return found


def _floor(text: str, hang: int) -> int:
    """Return the least width that keeps text's figures whole and words up to WORD_CAP whole."""
    indent = _indent(text)
    least = 0
    for number, word in enumerate(text.lstrip(" ").split(" ")):
        lead = indent + (hang if number else 0)
        least = max(least, min(lead + display_width(word), WORD_CAP))
        for figure in _figures(word):
            least = max(least, min(lead + display_width(figure.group()), FIGURE_CAP))
    return least


def _natural(grid: Grid) -> list[int]:
    """Return each column's width with every header and cell on one line."""
    widths = [display_width(header) for header in grid.headers]
    for cells, _, _ in grid.rows:
        widths = [max(w, display_width(c)) for w, c in zip(widths, cells, strict=True)]
    return widths


class Measure(NamedTuple):
    """A column's widths: natural (all on one line), body (the header wraps), least."""

    natural: int
    body: int
    least: int


def _measure(grid: Grid) -> list[Measure]:
    """Measure each column: its natural width, its cells' width, and the least it can take."""
    found: list[Measure] = []
    for index, header in enumerate(grid.headers):
        cells = [cells[index] for cells, _, _ in grid.rows]
        body = max((display_width(cell) for cell in cells), default=0)
        natural = max(body, display_width(header))
        least = min(natural, max(TEXT_FLOOR, _floor(header, 0)))
        if grid.right[index]:  # figures: every cell whole, on one line
            least = max(least, body)
        elif index == grid.chart:  # bars: drawn shorter before any text wraps
            least = body = min(natural, CHART_FLOOR)
        else:  # text: words wrap, but neither a figure nor a short word is cut
            least = max([least, *(_floor(cell, HANG) for cell in cells)])
        found.append(Measure(natural, max(body, least), least))
    return found


def _share(columns: list[Measure], room: int) -> list[int]:
    """Share room among the columns: wrap headers first, then the widest text, none below least."""
    body = [column.body for column in columns]
    if sum(body) <= room:
        return _narrow([column.natural for column in columns], body, room)
    return _narrow(body, [column.least for column in columns], room)


def _narrow(wide: list[int], least: list[int], room: int) -> list[int]:
    """Narrow the widest columns first, from wide towards least, until they fit room."""
    level = max(wide, default=0)

    def widths(level: int) -> list[int]:
        return [max(low, min(high, level)) for high, low in zip(wide, least, strict=True)]

    while level > 0 and sum(widths(level)) > room:
        level -= 1
    found = widths(level)
    spare = room - sum(found)
    for index, high in enumerate(wide):  # one more column each, left first, while any is left
        if spare > 0 and found[index] < high:
            found[index] += 1
            spare -= 1
    return found


def _columns(grid: Grid, keep: list[int], title: str) -> Grid:
    """Make a grid of some columns of grid; a row whose kept cells past the first are empty goes."""
    part = Grid(
        title,
        tuple(grid.headers[i] for i in keep),
        tuple(grid.right[i] for i in keep),
        keep.index(grid.chart) if grid.chart in keep else None,
        tuple(keep.index(i) for i in grid.spare if i in keep),
    )
    for cells, style, end_section in grid.rows:
        picked = tuple(cells[i] for i in keep)
        if keep[0] != 0 or any(picked[1:]):
            part.add(*picked, style=style, end_section=end_section)
    return part


def _fit(grid: Grid, width: int) -> list[tuple[Grid, list[int]]]:
    """Fit grid to width: narrow its text; if that is not enough, move columns below it.

    Columns move into a second table that repeats the first column (what each row is), which
    never moves: the grid's spare columns first, then text from the right, then figures.
    """
    count = len(grid.headers)
    room = width - GAP * count
    natural = _natural(grid)
    if sum(natural) <= room:
        return [(grid, natural)]
    columns = _measure(grid)
    least = [column.least for column in columns]
    if sum(least) <= room or count <= 2:
        return [(grid, _share(columns, room))]
    order = [i for i in grid.spare if i]
    order += [i for i in range(count - 1, 0, -1) if not grid.right[i] and i not in order]
    order += [i for i in range(count - 1, 0, -1) if grid.right[i] and i not in order]
    moved: list[int] = []
    for index in order[:-1]:  # two columns stay, at least
        moved.append(index)
        if sum(least) - sum(least[i] for i in moved) + GAP * (count - len(moved)) <= width:
            break
    kept = [i for i in range(count) if i not in moved]
    suffix = say("view.continued", title="")  # " (continued)": what the title is followed by
    title = grid.title if grid.title.endswith(suffix) else grid.title + suffix
    return [
        *_fit(_columns(grid, kept, grid.title), width),
        *_fit(_columns(grid, [0, *sorted(moved)], title), width),
    ]


def _bars(bar_text: str, width: int, most: int) -> str:
    """Draw again in width cells a bar drawn for most cells."""
    if not bar_text or width >= most:
        return bar_text
    eighths = 8 * bar_text.count("█") + max(_EIGHTHS.find(bar_text[-1]), 0)
    scaled = (2 * eighths * width + most) // (2 * most)  # rounded half up
    full, part = divmod(max(scaled, 1), 8)
    return "█" * full + _EIGHTHS[part].strip()


def _grid_lines(grid: Grid, widths: list[int], fit: int | None = None) -> list[Shown]:
    """Draw grid with columns widths wide; fit, the terminal's width, wraps and redraws bars."""
    narrow = fit is not None
    rows = grid.rows
    if narrow and grid.chart is not None:
        at = grid.chart
        most = max((display_width(cells[at]) for cells, _, _ in rows), default=0)
        rows = [
            ((*cells[:at], _bars(cells[at], widths[at], most), *cells[at + 1 :]), style, end)
            for cells, style, end in rows
        ]

    def block(cells: tuple[str, ...], header: bool = False) -> list[str]:
        parts = [
            wrap(cell, width, 0 if header else HANG)
            if narrow and (header or not right)
            else [cell]  # a figure is never wrapped
            for cell, width, right in zip(cells, widths, grid.right, strict=True)
        ]
        height = max(len(part) for part in parts)
        for part in parts:  # headers sit on the rule; cells hang from their first line
            blank = [""] * (height - len(part))
            part[:] = blank + part if header else part + blank
        columns = list(zip(parts, widths, grid.right, strict=True))
        return [
            ("  " + "   ".join(pad(p[row], w, r) for p, w, r in columns)).rstrip()
            for row in range(height)
        ]

    total = sum(widths) + GAP * (len(widths) - 1) + 4
    titles = [grid.title] if fit is None else wrap(grid.title, fit)
    out = [*(Shown(line, "italic") for line in titles), Shown("")]
    out.extend(Shown(line, BOLD) for line in block(grid.headers, header=True))
    out.append(Shown(" " + "─" * (total - 2)))
    for cells, style, end_section in rows:
        out.extend(Shown(line, style) for line in block(cells))
        if end_section:
            out.append(Shown(""))
    return [*out, Shown("")]


def _escaped(grid: Grid) -> Grid:
    """Copy grid with every text escaped for the terminal: no control character gets through."""
    headers = tuple(map(table_cell, grid.headers))
    clean = Grid(table_cell(grid.title), headers, grid.right, grid.chart, grid.spare)
    for cells, style, end_section in grid.rows:
        clean.add(*map(table_cell, cells), style=style, end_section=end_section)
    return clean


def draw(blocks: list[Block], width: int | None = None) -> list[Shown]:
    """Draw the blocks as lines: fitted to a terminal width columns wide, or at full width.

    Below MIN_WIDTH columns the blocks keep their full width, as when piped.
    """
    if width is not None and width < MIN_WIDTH:
        width = None
    found: list[Shown] = []
    for block in blocks:
        if isinstance(block, Grid):
            grid = _escaped(block)
            if width is None:
                found.extend(_grid_lines(grid, _natural(grid)))
                continue
            for part, widths in _fit(grid, width):
                found.extend(_grid_lines(part, widths, width))
            continue
        strong, text = table_cell(block.strong), table_cell(block.text)
        whole = (strong + text).rstrip()
        left = len(strong)  # the bold part may run over a wrapped line
        for line in [whole] if width is None else wrap(whole, width):
            found.append(Shown(line, block.style, min(left, len(line))))
            left = max(left - len(line) - 1, 0)
    while found and not found[-1].text:
        found.pop()
    return found


def bar(value: Decimal, most: Decimal, width: int = BAR_WIDTH) -> str:
    """Draw value as a bar of block characters, most filling width cells."""
    if most <= 0 or value <= 0:
        return ""
    eighths = int(value * width * 8 / most + Decimal("0.5"))
    full, part = divmod(max(eighths, 1), 8)
    return "█" * full + _EIGHTHS[part].strip()
