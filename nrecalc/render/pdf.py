"""The PDF appendix (SPEC 6.2): the HTML appendix printed on A4 by WeasyPrint, an optional extra.

WeasyPrint is imported here only, when a PDF is asked for. The same inputs give the same bytes:
no creation or modification date, a file identifier made from the provenance, and the
metadata set from the quote. The provenance line is the PDF's Info entry /nrecalc-provenance.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import warnings
from typing import Any

from ..choices import Audience, Format
from ..errors import InputError, SetupError
from ..pricing import Quote
from ..template import Template
from . import document, glyphs
from .provenance import Provenance, last_marker, provenance
from .words import say, speaking

INSTALL_EXTRA = "pip install 'nrecalc[pdf]'"
INSTALL_PANGO = "apt-get install libpango-1.0-0 libpangoft2-1.0-0"
INSTALL_CJK = "apt-get install fonts-noto-cjk (or fonts-wqy-microhei)"
PROVENANCE_KEY = "nrecalc-provenance"  # the Info entry that holds the provenance line


def prepare() -> None:
    """Import WeasyPrint now, with the rest of start-up (see nrecalc.__main__).

    A missing WeasyPrint or Pango is told when the PDF is rendered, as an error with its exit.
    """
    with contextlib.suppress(ImportError, OSError), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import weasyprint  # noqa: F401


def render(
    quote: Quote,
    audience: Audience,
    template: Template | None,
    *,
    target: str,
    made: Provenance | None = None,
) -> bytes:
    """Render the appendix of the quote as a PDF; target names the file in error lines.

    made replaces the provenance it would carry: verify renders a PDF again with the one it
    recorded. Raise SetupError when WeasyPrint, Pango or a font for the document's text is
    missing, and InputError when a company template refers to a file or web address.
    """
    weasyprint = _weasyprint(target)
    made = made or provenance(quote, Format.pdf, audience, template.sha256 if template else None)
    html = document.render(quote, Format.pdf, audience, template, made)
    _check_glyphs(html, target)
    refused: list[str] = []
    laid = weasyprint.HTML(string=html, url_fetcher=_inline_only(weasyprint, refused)).render()
    if refused:
        where = template.shown if template is not None else target
        raise InputError.at(
            where,
            f"refers to '{refused[0][:80]}', which a PDF cannot fetch: "
            "write images and fonts into the template as data: URLs",
        )
    found = last_marker(html)
    line = found.group(0) if found is not None else made.marker
    _set_metadata(laid.metadata, quote)
    identifier = hashlib.sha256(line.encode("utf-8")).hexdigest()[:32]

    def finish(_: Any, pdf: Any) -> None:
        """Write the provenance line into the Info dictionary, beside the metadata."""
        import pydyf

        pdf.info[PROVENANCE_KEY] = pydyf.String(line)

    data: bytes = laid.write_pdf(pdf_identifier=identifier.encode("ascii"), finisher=finish)
    return data


def _weasyprint(target: str) -> Any:
    """Import WeasyPrint; without it, or without the Pango it loads, say what to install."""
    try:
        with warnings.catch_warnings():  # one line of ours, not its warning (no fonts at all)
            warnings.simplefilter("ignore")
            import weasyprint
    except ImportError:
        raise SetupError.at(
            target, f"PDF output needs WeasyPrint, an optional extra: {INSTALL_EXTRA}"
        ) from None
    except OSError:  # WeasyPrint loads Pango, GObject and HarfBuzz as it is imported
        raise SetupError.at(target, _no_pango()) from None
    return weasyprint


def _no_pango() -> str:
    return f"PDF output needs the Pango library, which WeasyPrint cannot load: {INSTALL_PANGO}"


def _check_glyphs(html: str, target: str) -> None:
    """Refuse a document whose text no installed font can show (no box for a missing glyph)."""
    from html import unescape

    try:  # the text between the tags, the style sheet's (its page footer) included
        missing = glyphs.missing(unescape(re.sub(r"<[^>]*>", " ", html)))
    except OSError:
        raise SetupError.at(target, _no_pango()) from None
    cjk = [char for char in missing if glyphs.is_cjk(char)]
    if cjk:
        message = f"no installed font covers the Chinese text ({_some(cjk)}): {INSTALL_CJK}"
        raise SetupError.at(target, message)
    if missing:
        message = (
            f"no installed font has a glyph for {_some(missing)}: install a font that has them"
        )
        raise SetupError.at(target, message)


def _some(chars: list[str]) -> str:
    """Name the first of some characters, and count the others: '报' U+62A5 and 223 more."""
    more = f" and {len(chars) - 1} more" if len(chars) > 1 else ""
    return f"'{chars[0]}' U+{ord(chars[0]):04X}{more}"


def _set_metadata(metadata: Any, quote: Quote) -> None:
    """Set the title, subject (the customer), author (the supplier) and no dates."""
    with speaking(quote.language):
        metadata.title = metadata.title or say("document.title", id=quote.id, title=quote.title)
    metadata.description = quote.customer
    metadata.authors = [quote.supplier.name] if quote.supplier is not None else []
    metadata.keywords = []
    metadata.created = metadata.modified = None  # no clock in the file: the same bytes each time


def _inline_only(weasyprint: Any, refused: list[str]) -> Any:
    """Return a URL fetcher that fetches data: URLs only, and lists every other URL asked for.

    A company template could otherwise make the PDF embed a local file or call the network.
    """

    def allowed(url: str) -> None:
        if not url.startswith("data:"):
            refused.append(url)
            raise ValueError("nrecalc fetches no file or web address for a PDF")

    fetcher = getattr(weasyprint, "URLFetcher", None)
    if fetcher is not None:  # newer WeasyPrint: a class to subclass

        class Inline(fetcher):  # type: ignore[misc,valid-type]
            def fetch(self, url: str, headers: Any = None) -> Any:
                allowed(url)
                return super().fetch(url, headers)

        return Inline()
    default = weasyprint.default_url_fetcher

    def fetch(url: str, timeout: int = 10, ssl_context: Any = None) -> Any:
        allowed(url)
        return default(url)

    return fetch
