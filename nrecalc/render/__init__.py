"""Renderers: one module per output format, each a pure function of a Quote."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..pricing import Quote
    from .document import Template


class Format(str, Enum):
    """The output formats of nrecalc quote."""

    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"
    note = "note"
    csv = "csv"

    @property
    def is_document(self) -> bool:
        """Tell whether the format is a document for the customer (Markdown, HTML, note)."""
        return self in (Format.markdown, Format.html, Format.note)


class Audience(str, Enum):
    """Who reads the output: the customer sees no internal rates, ratios or flags."""

    customer = "customer"
    internal = "internal"


class Kind(str, Enum):
    """The two kinds of nrecalc file."""

    rate_card = "rate-card"
    estimate = "estimate"


class ReportFormat(str, Enum):
    """The output formats of nrecalc validate."""

    text = "text"
    json = "json"
    github = "github"


def default_audience(fmt: Format) -> Audience:
    """Return the audience a format has unless told: customer for documents, else internal."""
    return Audience.customer if fmt.is_document else Audience.internal


def render(
    quote: Quote,
    fmt: Format,
    audience: Audience | None = None,
    template: Template | None = None,
    *,
    explain: bool = False,
) -> str:
    """Render the quote in the given format, for the given audience, as text.

    explain adds each figure's formula to the table.
    """
    audience = audience or default_audience(fmt)
    if fmt.is_document:
        from . import document

        return document.render(quote, fmt, audience, template)
    if fmt is Format.json:
        from . import json

        return json.render(quote)
    if fmt is Format.csv:
        from .csv import render as render_csv

        return render_csv(quote)
    from . import table

    return table.render(quote, audience, explain=explain)
