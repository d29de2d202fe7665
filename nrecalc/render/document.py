"""Contract documents (SPEC 6): the Markdown and HTML appendix and the cover note, from Jinja2.

The wiring: the content (content.py), its tables (layout.py), the chart (chart.py) and the
provenance (provenance.py) go to the built-in template or a company's own (sandbox.py).
"""

from __future__ import annotations

import string
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, NoReturn, cast

from markupsafe import Markup

from ..choices import Audience, Format
from ..escape import css_string, markdown
from ..pricing import Quote
from ..template import Template
from . import builtin
from .chart import lifetime_svg
from .content import Content, content
from .layout import Tables, markdown_table, tables
from .provenance import Provenance, provenance, sealed
from .words import count, current, say, speaking

if TYPE_CHECKING:
    import jinja2

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
    *,
    folded: bool = True,
) -> TemplateData:
    """Return what a template receives: the content, its tables and (HTML) the chart.

    folded=False is the customer's view as nrecalc showed it before 0.4 (content.py): only
    verify asks for it, to read the amounts of an earlier version's customer documents.
    """
    made = made or provenance(quote, fmt, audience, template.sha256 if template else None)
    found = content(quote, fmt, audience, made.for_template(), folded=folded)
    data = cast(TemplateData, found)
    data["tables"] = tables(found)
    data["chart"] = (
        Markup(lifetime_svg(quote, audience is Audience.internal))
        if fmt.template is Format.html
        else None
    )
    return data


# --- rendering ----------------------------------------------------------------------------------


def prepare(fmt: Format) -> None:
    """Load the built-in template of a format ahead of rendering (it is kept for the render)."""
    _template(fmt.template)


@cache
def _template(fmt: Format) -> jinja2.Template:
    finalize = markdown if fmt is Format.markdown else None
    return builtin.template(fmt.value, finalize, FILTERS, GLOBALS)


def render(
    quote: Quote,
    fmt: Format,
    audience: Audience,
    template: Template | None,
    made: Provenance | None = None,
    *,
    folded: bool = True,
) -> str:
    """Render a document of the quote from the built-in template or a company's own.

    made replaces the provenance the document would carry: verify renders a document again
    with the provenance it recorded, seal included, so that the two can be compared line for
    line. The seal is added to the rendered text (provenance.sealed), built-in or company's.
    """
    made = made or provenance(quote, fmt, audience, template.sha256 if template else None)
    with speaking(quote.language):  # the template's say and count too
        data = context(quote, fmt, audience, template, made, folded=folded)
        if template is None:
            text = _template(fmt.template).render(data)  # a PDF's: the HTML it is printed from
        else:
            from .sandbox import render_company  # only a company's template needs the sandbox

            text = render_company(
                template,
                data,
                autoescape=fmt.template is Format.html,
                finalize=markdown if fmt is Format.markdown else None,
                globals={**GLOBALS, "say": _say, "count": _count},
                filters=FILTERS,
            )
    return sealed(text, made)


# --- the catalog, asked by a company's template -------------------------------------------------


def _say(key: object, /, **fields: object) -> str:
    """Return say(key, **fields) for a template, which answers for a wrong key or field."""
    text = _entry("say", key, counted=False)
    _check_fields("say", text, fields)
    return say(cast(str, key), **fields)


def _count(key: object, n: object, /, **fields: object) -> str:
    """Return count(key, n, **fields) for a template, which answers for a wrong argument."""
    one, other = _entry("count", key, counted=True)
    if isinstance(n, str):  # a figure of the data, written as text: "1.5"
        n = _number(n)
    if not isinstance(n, (int, Decimal)) or not _small(n):
        _refuse("count", "n must be a number below a billion")
    if "n" in fields:
        _refuse("count", "n is given twice")
    for text in (one, other):
        _check_fields("count", text, {**fields, "n": n})
    return count(cast(str, key), n, **fields)


def _number(text: str) -> Decimal | None:
    """Read a number written as text as the documents write figures; None if it is not one."""
    if len(text) > 40 or not text.isascii() or not text.replace(".", "", 1).isdigit():
        return None
    return Decimal(text)


def _entry(helper: str, key: object, *, counted: bool) -> Any:
    if not isinstance(key, str):
        _refuse(helper, f"the key must be text, got {type(key).__name__}")
    entry = current().entries.get(key)
    if entry is None:
        _refuse(helper, f"no entry {key[:40]!r} in the catalog")
    if isinstance(entry, tuple) is not counted:
        _refuse(helper, f"{key} is {'not ' if counted else ''}a count")
    return entry


def _check_fields(helper: str, text: str, fields: dict[str, object]) -> None:
    for _, name, _, _ in string.Formatter().parse(text):
        if name and name not in fields:
            _refuse(helper, f"the entry needs {name}=")
    for name, value in fields.items():
        if not isinstance(value, str) and not (isinstance(value, (int, Decimal)) and _small(value)):
            _refuse(helper, f"{name[:40]} must be text or a number below a billion")


def _small(value: int | Decimal) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite() and abs(value) < 10**9
    return abs(value) < 10**9


def _refuse(helper: str, reason: str) -> NoReturn:
    from jinja2.exceptions import TemplateRuntimeError

    raise TemplateRuntimeError(f"{helper}: {reason}")
