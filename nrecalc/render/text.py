"""Text helpers every renderer shares: terminal widths, padding, the years a chart shows, and
Markdown tables."""

from __future__ import annotations

from collections.abc import Sequence

from ..escape import markdown

MAX_CHART_YEARS = 10


def display_width(text: str) -> int:
    """Return how many terminal columns text takes (CJK characters take two)."""
    if not text or max(text) < "\u1100":  # nothing wide before Hangul Jamo: ¥ and € are narrow
        return len(text)
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int, right: bool) -> str:
    """Pad text with spaces to width columns, on the left when right-aligned."""
    fill = " " * (width - display_width(text))
    return fill + text if right else text + fill


def chart_years(term: int) -> list[int]:
    """Return the years a chart shows: all up to ten, else about ten evenly spaced and the last."""
    if term <= MAX_CHART_YEARS:
        return list(range(1, term + 1))
    step = -(-term // MAX_CHART_YEARS)
    return sorted({*range(1, term + 1, step), term})


def markdown_table(
    headers: Sequence[str], right: Sequence[bool], rows: Sequence[Sequence[str]]
) -> list[str]:
    """Write a Markdown table, each cell escaped (an empty one a space), then a blank line."""

    def row(cells: Sequence[str]) -> str:
        return "| " + " | ".join(markdown(cell) if cell else " " for cell in cells) + " |"

    rule = "| " + " | ".join("---:" if r else "---" for r in right) + " |"
    return [row(headers), rule, *map(row, rows), ""]
