"""What a document was made from, and the fingerprint of its figures (SPEC 6, `nrecalc verify`)."""

from __future__ import annotations

import hashlib
import json
from typing import NamedTuple

from .. import __version__
from ..choices import Audience, Format
from ..money import plain
from ..pricing import Quote
from .json import as_dict

MARKER = "nrecalc-provenance:"


class Provenance(NamedTuple):
    """What a document was made from: enough for `nrecalc verify` to make it again."""

    version: str
    format: str
    audience: str
    date: str
    estimate_sha256: str
    rate_card_sha256: str
    figures: str
    template_sha256: str | None = None
    confidence: str | None = None  # the level ranges were priced at; None: the estimate's

    @property
    def marker(self) -> str:
        """Return the one machine-readable line that `nrecalc verify` reads back."""
        fields = [
            f"version={self.version}",
            f"format={self.format}",
            f"audience={self.audience}",
            f"date={self.date}",
            *([f"confidence={self.confidence}"] if self.confidence else []),
            f"estimate={self.estimate_sha256}",
            f"rate-card={self.rate_card_sha256}",
            f"figures={self.figures}",
        ]
        if self.template_sha256:
            fields.append(f"template={self.template_sha256}")
        return f"{MARKER} {' '.join(fields)}"


def fingerprint(quote: Quote) -> str:
    """Return a short hash of every figure of the quote (the JSON figures, canonical)."""
    data = as_dict(quote)
    keys = ("schema_version", "quote", "standard", "custom", "comparison", "options", "risk")
    figures = {key: data[key] for key in keys}
    text = json.dumps(figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def provenance(
    quote: Quote, fmt: Format, audience: Audience, template_sha256: str | None
) -> Provenance:
    """Return the provenance of a document of this quote."""
    return Provenance(
        version=__version__,
        format=fmt.value,
        audience=audience.value,
        date=quote.date.isoformat(),
        estimate_sha256=quote.estimate.sha256,
        rate_card_sha256=quote.rate_card.sha256,
        figures=fingerprint(quote),
        template_sha256=template_sha256,
        confidence=plain(quote.custom.risk.confidence),
    )
