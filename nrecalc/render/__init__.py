"""Renderers: one module per output format, each a pure function of a Quote."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..pricing import Quote


class Format(str, Enum):
    """The output formats of nrecalc quote."""

    table = "table"
    json = "json"


class Kind(str, Enum):
    """The two kinds of nrecalc file."""

    rate_card = "rate-card"
    estimate = "estimate"


class ReportFormat(str, Enum):
    """The output formats of nrecalc validate."""

    text = "text"
    json = "json"
    github = "github"


def render(quote: Quote, fmt: Format) -> str:
    """Render the quote in the given format as text."""
    if fmt is Format.json:
        from . import json

        return json.render(quote)
    from . import table

    return table.render(quote)
