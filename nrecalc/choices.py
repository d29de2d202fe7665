"""The choices a user makes on the command line: formats, audience, language, file kinds."""

from __future__ import annotations

from enum import Enum


class Format(str, Enum):
    """The output formats of nrecalc quote."""

    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"
    pdf = "pdf"
    note = "note"
    csv = "csv"

    @property
    def is_document(self) -> bool:
        """Tell whether the format is a document for the customer (Markdown, HTML, PDF, note)."""
        return self in (Format.markdown, Format.html, Format.pdf, Format.note)

    @property
    def template(self) -> Format:
        """Return the format whose template renders this one: a PDF is printed from the HTML."""
        return Format.html if self is Format.pdf else self


class Audience(str, Enum):
    """Who reads the output: the customer sees no internal rates, ratios or flags."""

    customer = "customer"
    internal = "internal"


def default_audience(fmt: Format) -> Audience:
    """Return the audience a format has unless told: customer for documents, else internal."""
    return Audience.customer if fmt.is_document else Audience.internal


class Language(str, Enum):
    """The languages of the table, the documents and the note (SPEC 6.1)."""

    en = "en"
    zh = "zh-CN"
    bilingual = "zh-CN+en"


class Kind(str, Enum):
    """The two kinds of nrecalc file."""

    rate_card = "rate-card"
    estimate = "estimate"


class ReportFormat(str, Enum):
    """The output formats of nrecalc validate."""

    text = "text"
    json = "json"
    github = "github"


class DiffFormat(str, Enum):
    """The output formats of nrecalc diff."""

    table = "table"
    json = "json"
    markdown = "markdown"


class ReviewFormat(str, Enum):
    """The output formats of nrecalc report: for people, scripts, or a monthly review."""

    table = "table"
    json = "json"
    markdown = "markdown"
