"""Text helpers every renderer shares: terminal widths, padding, the years a chart shows."""

from __future__ import annotations

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
