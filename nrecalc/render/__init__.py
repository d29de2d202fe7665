"""Renderers: each a pure function of a Quote, one module per output format.

The rooms: table.py, grid.py and explain.py draw the terminal view; json.py and csv.py the data
formats; document.py wires the documents from content.py (what a document says, typed),
layout.py (its tables), chart.py (its SVG chart), provenance.py (what it was made from) and,
for a company's own template, sandbox.py; pdf.py prints the HTML appendix to PDF (WeasyPrint),
once glyphs.py has found a font for every character. words.py holds every label and sentence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..choices import Audience, Format, default_audience

if TYPE_CHECKING:
    from ..pricing import Quote
    from ..template import Template


def prepare(fmt: Format) -> None:
    """Import the renderer of a format now, with the rest of start-up (see nrecalc.__main__).

    Start-up runs with the garbage collector paused; the documents' renderer (Jinja2 and the
    compiled templates) is imported then too, rather than later with the collector scanning.
    """
    if fmt.is_document:
        from . import document

        document.prepare(fmt)
    if fmt is Format.pdf:
        from . import pdf

        pdf.prepare()


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
    if fmt is Format.json:  # for programs: the same in every language
        from . import json

        return json.render(quote)
    if fmt is Format.table:
        from . import table

        return table.render(quote, audience, explain=explain)
    from .words import speaking

    with speaking(quote.language):
        if fmt.is_document:
            from . import document

            return document.render(quote, fmt, audience, template)
        from .csv import render as render_csv

        return render_csv(quote, audience is Audience.internal)


def render_file(
    quote: Quote,
    fmt: Format,
    audience: Audience | None = None,
    template: Template | None = None,
    *,
    explain: bool = False,
    target: str,
) -> str | bytes:
    """Render the quote for a file: a PDF as bytes, every other format as text (see render).

    target is the file's name, for the error lines of a PDF that cannot be made.
    """
    if fmt is Format.pdf:
        from . import pdf

        return pdf.render(quote, audience or default_audience(fmt), template, target=target)
    return render(quote, fmt, audience, template, explain=explain)
