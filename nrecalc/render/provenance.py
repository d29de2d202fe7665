"""What a document was made from, its fingerprint and its seal (SPEC 6, `nrecalc verify`).

The fingerprint hashes an explicit list of figures, one scheme per list. A scheme, once
released, is frozen: a version that wants other figures adds a scheme and keeps computing the
old ones, so that every document already sent still verifies (tests/compat/ holds the proof).
"""

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from itertools import groupby
from typing import Any, NamedTuple

from .. import __version__
from ..choices import Audience, Format
from ..money import money_text, plain, rate_text
from ..pricing import Quote

MARKER = "nrecalc-provenance:"
# The marker and its fields, as a template writes it: `nrecalc-provenance: version=0.2.0 ...`.
MARKER_LINE = re.compile(re.escape(MARKER) + r"((?: [a-z-]+=[0-9A-Za-z.+_-]+)+)")
SEAL_FIELD = re.compile(r" seal=[0-9a-f]{64}")
SCHEME = 4  # what this version writes; verify reads 4, 3, 2 and 1 (before the field existed)


class Figure(NamedTuple):
    """One figure of a scheme: its stable name, how its value is written, where the quote has it.

    In name and path, `[]` stands for every item of a list, and is numbered from 0 in the name.
    """

    name: str
    kind: str  # id (a JSON string), date, number, money or rate: see _canonical
    path: str  # attributes of Quote, dotted


_F = Figure
# Scheme 2, frozen (tests/test_provenance.py pins its text): amounts, dates, ids and the
# quantities that price; no free text (the estimate's sha256 covers it), no label, no layout.
# Names follow the JSON output's where it has the figure.
SCHEME_2 = (
    _F("quote.id", "id", "id"),
    _F("quote.date", "date", "date"),
    _F("quote.valid_until", "date", "valid_until"),
    _F("quote.currency", "id", "currency"),
    _F("standard.integration_days", "number", "standard.integration_days"),
    _F("standard.fee", "money", "standard.fee"),
    _F("standard.coaching_days", "number", "standard.coaching_days"),
    _F("standard.coaching_per_day", "rate", "standard.coaching_per_day"),
    _F("standard.coaching", "money", "standard.coaching"),
    _F("standard.net", "money", "standard.net"),
    _F("standard.tax", "money", "standard.tax"),
    _F("standard.total", "money", "standard.total"),
    _F("custom.lead_time_weeks", "number", "custom.lead_time_weeks"),
    *(
        _F(f"custom.{part}[].{name}", kind, f"custom.{part}[].{path}")
        for part in ("build", "per_upgrade")
        for name, kind, path in (
            ("role", "id", "role"),
            ("engineers", "number", "engineers"),
            ("weeks", "number", "weeks"),
            ("range.low", "number", "spread.low"),
            ("range.likely", "number", "spread.likely"),
            ("range.high", "number", "spread.high"),
            ("range.mean_weeks", "number", "spread.mean"),
            ("range.sigma_amount", "money", "spread.sigma_amount"),
            ("rate", "rate", "rate"),
            ("amount", "money", "amount"),
        )
    ),
    _F("custom.build_subtotal", "money", "custom.build_subtotal"),
    _F("custom.risk_reserve", "money", "custom.reserve"),
    _F("custom.contingency_rate", "number", "custom.contingency_rate"),
    _F("custom.contingency_base", "money", "custom.contingency_base"),
    _F("custom.contingency", "money", "custom.contingency"),
    _F("custom.nre", "money", "custom.nre"),
    _F("custom.per_upgrade_cost", "money", "custom.per_upgrade_cost"),
    _F("custom.annual_escalation", "number", "custom.annual_escalation"),
    _F("custom.upgrades_per_year", "number", "custom.upgrades_per_year"),
    _F("custom.term_years", "number", "custom.term_years"),
    _F("custom.maintenance[].upgrades", "number", "custom.maintenance[].upgrades"),
    _F("custom.maintenance[].unit_price", "money", "custom.maintenance[].unit_price"),
    _F("custom.maintenance[].amount", "money", "custom.maintenance[].amount"),
    _F("custom.maintenance_total", "money", "custom.maintenance_total"),
    _F("custom.services[].key", "id", "custom.services[].key"),
    _F("custom.services[].per_year", "rate", "custom.services[].per_year"),
    _F("custom.services[].years[].amount", "money", "custom.services[].years[]"),
    _F("custom.services_total", "money", "custom.services_total"),
    _F("custom.subtotal", "money", "custom.subtotal"),
    _F("custom.discount_rate", "number", "custom.discount_rate"),
    _F("custom.discount", "money", "custom.discount"),
    _F("custom.net", "money", "custom.net"),
    _F("custom.tax_rate", "number", "tax_rate"),
    _F("custom.tax", "money", "custom.tax"),
    _F("custom.total", "money", "custom.total"),
    _F("custom.payment[].share", "number", "custom.payment[].share"),
    _F("custom.payment[].amount", "money", "custom.payment[].amount"),
    _F("comparison.extra_cost", "money", "extra_cost"),
    _F("options[].key", "id", "options[].key"),
    _F("options[].time_to_value.weeks", "number", "options[].time_to_value.weeks"),
    _F("options[].time_to_value.days", "number", "options[].time_to_value.days"),
    _F("options[].one_time", "money", "options[].one_time"),
    _F("options[].recurring[]", "money", "options[].recurring[]"),
    _F("options[].discount", "money", "options[].discount"),
    _F("options[].net", "money", "options[].net"),
    _F("options[].tax", "money", "options[].tax"),
    _F("options[].total", "money", "options[].total"),
    _F("options[].upgrade_risk", "id", "options[].upgrade_risk"),
    _F("options[].years[].amount", "money", "options[].years[].amount"),
    _F("options[].years[].cumulative", "money", "options[].years[].cumulative"),
    _F("lifetime.upgrades_pass_nre_after", "number", "upgrades_pass_nre_after"),
    _F("productize.share", "number", "productize_share"),
    _F("risk.confidence", "number", "custom.risk.confidence"),
    _F("risk.z", "number", "custom.risk.z"),
    _F("risk.mean", "money", "custom.risk.mean"),
    _F("risk.sigma", "money", "custom.risk.sigma"),
)
# Scheme 3 (0.4.0): scheme 2 and the payment schedule (the one-time part, each payment), and
# both figures a range's charge is the larger of. Frozen from its release, like scheme 2.
SCHEME_3 = (
    *SCHEME_2,
    _F("custom.one_time", "money", "custom.one_time"),
    _F("custom.schedule[].kind", "id", "custom.schedule[].kind"),
    _F("custom.schedule[].year", "number", "custom.schedule[].year"),
    _F("custom.schedule[].amount", "money", "custom.schedule[].amount"),
    _F("risk.reserve", "money", "custom.risk.reserve"),
    _F("risk.floor", "money", "custom.risk.floor"),
)
# Scheme 4 (0.7.0): scheme 3 and the exchange rate that converted the card's prices (SPEC 8.4),
# "none" for a quote in the card's own currency. Frozen from its release.
SCHEME_4 = (
    *SCHEME_3,
    _F("fx.from", "id", "fx.from_"),
    _F("fx.to", "id", "fx.to"),
    _F("fx.rate", "number", "fx.rate"),
    _F("fx.date", "date", "fx.date"),
    _F("fx.source", "id", "fx.source"),
)
# Scheme 1 hashed the JSON: no later version can recompute it.
FIGURES = {2: SCHEME_2, 3: SCHEME_3, 4: SCHEME_4}


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
    language: str = "en"  # the document's language (en is not written: documents before 0.5)
    scheme: int = SCHEME
    seal: str | None = None  # the body's sha256, known once the document is rendered

    @property
    def marker(self) -> str:
        """Return the one machine-readable line that `nrecalc verify` reads back (unsealed)."""
        fields = [
            f"version={self.version}",
            *([f"scheme={self.scheme}"] if self.scheme > 1 else []),
            f"format={self.format}",
            f"audience={self.audience}",
            f"date={self.date}",
            *([f"confidence={self.confidence}"] if self.confidence else []),
            *([f"lang={self.language}"] if self.language != "en" else []),
            f"estimate={self.estimate_sha256}",
            f"rate-card={self.rate_card_sha256}",
            f"figures={self.figures}",
        ]
        if self.template_sha256:
            fields.append(f"template={self.template_sha256}")
        return f"{MARKER} {' '.join(fields)}"

    def for_template(self) -> dict[str, Any]:
        """Return what a template sees: the fields and the marker, not the seal (made after)."""
        fields = self._asdict()
        del fields["seal"]
        return {**fields, "marker": self.marker}


def canonical(quote: Quote, scheme: int = SCHEME) -> str:
    """Return the figures of a scheme as text: one `name=value` line each.

    The lines follow the list; the figures of one list's items (consecutive in the list) are
    written item by item: every figure of custom.build[0], then of custom.build[1], ...
    """
    lines = []
    for head, group in groupby(FIGURES[scheme], key=_head):
        figures = list(group)
        if not head.endswith("[]"):  # one figure
            items: list[tuple[tuple[int, ...], Any, str]] = [((), quote, "")]
        else:  # the figures of a list's items, item by item
            items = [((n,), item, head) for n, item in enumerate(_get(quote, head[:-2]))]
        for index, item, inside in items:
            for figure in figures:
                rest = figure.path.removeprefix(inside).removeprefix(".")
                for numbers, value in _values(item, rest.split(".") if rest else [], index):
                    text = _canonical(value, figure.kind, quote.currency)
                    lines.append(f"{_numbered(figure.name, numbers)}={text}\n")
    return "".join(lines)


def fingerprint(quote: Quote, scheme: int = SCHEME) -> str:
    """Return the first 16 hex digits of the sha256 of the scheme's canonical text."""
    return hashlib.sha256(canonical(quote, scheme).encode("utf-8")).hexdigest()[:16]


def _head(figure: Figure) -> str:
    """Return the list a figure is in (its path up to the first []), or its whole path."""
    head, many, _ = figure.path.partition("[]")
    return head + many if many else figure.path


def _numbered(name: str, numbers: tuple[int, ...]) -> str:
    """Put the list indexes in a figure's name: custom.build[].amount -> custom.build[0].amount."""
    first, *parts = name.split("[]")
    return first + "".join(f"[{n}]{part}" for n, part in zip(numbers, parts, strict=True))


def _get(value: Any, path: str) -> Any:
    for attribute in path.split("."):
        value = None if value is None else getattr(value, attribute)
    return value


def _values(
    value: Any, steps: list[str], index: tuple[int, ...] = ()
) -> Iterator[tuple[tuple[int, ...], Any]]:
    """Yield (list indexes, value) for an attribute path; [] steps into each item of a list."""
    if not steps:
        yield index, value
        return
    step, *rest = steps
    value = _get(value, step.removesuffix("[]"))
    if not step.endswith("[]"):
        yield from _values(value, rest, index)
        return
    for number, item in enumerate(value):
        yield from _values(item, rest, (*index, number))


def _canonical(value: Any, kind: str, currency: str) -> str:
    if value is None:
        return "none"
    if kind == "id":
        return json.dumps(value, ensure_ascii=False)
    if kind == "date":
        assert isinstance(value, date)
        return value.isoformat()
    if kind == "money":
        return money_text(value, currency)
    if kind == "rate":
        return rate_text(value, currency)
    assert kind == "number" and isinstance(value, (int, Decimal)), (kind, value)
    return plain(value) if isinstance(value, Decimal) else str(value)


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
        language=quote.language,
    )


# --- the seal ------------------------------------------------------------------------------------


def last_marker(text: str) -> re.Match[str] | None:
    """Return the last provenance marker of a document (the one verify reads), or None."""
    matches = list(MARKER_LINE.finditer(text))
    return matches[-1] if matches else None


def body_sha256(text: str) -> str:
    """Return the sha256 of a document without its seal field (` seal=` and its 64 digits).

    The document is the text as written (UTF-8, line ends included); the seal field is taken
    from its last provenance marker, so that the seal covers every other byte, the marker's own
    fields included.
    """
    match = last_marker(text)
    if match is not None:
        seal = SEAL_FIELD.search(match.group(1))
        if seal is not None:
            start, end = match.start(1) + seal.start(), match.start(1) + seal.end()
            text = text[:start] + text[end:]
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sealed(text: str, made: Provenance) -> str:
    """Return the rendered document with the seal added to its last marker.

    The seal is made.seal when verify renders a document again with the provenance it
    recorded; else the sha256 of the text as rendered. Scheme 1, and a document without a
    marker (a company template may leave it out), carry no seal.
    """
    match = last_marker(text)
    if match is None or made.scheme < 2:
        return text
    seal = made.seal or body_sha256(text)
    return f"{text[: match.end()]} seal={seal}{text[match.end() :]}"
