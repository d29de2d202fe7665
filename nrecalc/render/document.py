"""Contract documents (SPEC 6): the Markdown and HTML appendix and the cover note, from Jinja2.

The wiring: the content (content.py), its tables (layout.py), the chart (chart.py) and the
provenance (provenance.py) go to the built-in template or a company's own (sandbox.py).
"""

from __future__ import annotations

from typing import Any, cast

from markupsafe import Markup

from ..choices import Audience, Format
from ..escape import css_string, markdown
from ..pricing import Quote
from ..template import Template
from . import builtin
from .chart import lifetime_svg
from .content import Content, content
from .layout import Tables, markdown_table, tables
from .provenance import Provenance, provenance
from .words import count, say

# What templates may call beside Jinja2's own, ours and a company's.
GLOBALS = {
    "markdown_table": markdown_table,
    "say": say,  # the catalog's words: {{ say("heading.options") }}
    "count": count,  # {{ count("count.week", 3) }} is "3 weeks"
}
FILTERS = {"css_string": css_string}


class TemplateData(Content):
    """What a template receives: the content, its tables, and the chart (HTML only)."""

    tables: Tables
    chart: Any  # Markup of an inline SVG, or None


def context(
    quote: Quote,
    fmt: Format,
    audience: Audience,
    template: Template | None = None,
    made: Provenance | None = None,
) -> TemplateData:
    """Return what a template receives: the content, its tables and (HTML) the chart."""
    made = made or provenance(quote, fmt, audience, template.sha256 if template else None)
    found = content(quote, fmt, audience, {**made._asdict(), "marker": made.marker})
    data = cast(TemplateData, found)
    data["tables"] = tables(found)
    data["chart"] = Markup(lifetime_svg(quote)) if fmt is Format.html else None
    return data


# --- rendering ----------------------------------------------------------------------------------


def render(
    quote: Quote,
    fmt: Format,
    audience: Audience,
    template: Template | None,
    made: Provenance | None = None,
) -> str:
    """Render a document of the quote from the built-in template or a company's own.

    made replaces the provenance the document would carry: verify renders a document again
    with the provenance it recorded, so that the two can be compared line for line.
    """
    data = context(quote, fmt, audience, template, made)
    if template is None:
        finalize = markdown if fmt is Format.markdown else None
        return builtin.template(fmt.value, finalize, FILTERS, GLOBALS).render(data)
    from .sandbox import render_company  # only a company's template needs the sandbox

    return render_company(
        template,
        data,
        autoescape=fmt is Format.html,
        finalize=markdown if fmt is Format.markdown else None,
        globals=GLOBALS,
        filters=FILTERS,
    )
