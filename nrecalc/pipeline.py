"""Files to checked inputs to a quote: load an estimate, find its rate card, price the two."""

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from .catalog import Found, RateCards, check_references
from .errors import InputError, Problem
from .loader import load_estimate
from .models import Estimate
from .pricing import Quote, Source, build_quote
from .strict_yaml import Document


class Inputs(NamedTuple):
    """An estimate with its rate card, both checked, and any warnings found on the way."""

    estimate: Estimate
    doc: Document
    found: Found
    warnings: list[Problem]


def load_inputs(estimate_path: Path, *, today: date, rates: Path | None = None) -> Inputs:
    """Load an estimate, find its rate card, and check the two agree."""
    estimate, doc = load_estimate(estimate_path, str(estimate_path))
    return check_inputs(estimate, doc, estimate_path, today=today, rates=rates)


def check_inputs(
    estimate: Estimate,
    doc: Document,
    estimate_path: Path,
    *,
    today: date,
    rates: Path | None = None,
    cards: RateCards | None = None,
) -> Inputs:
    """Find an estimate's rate card and check the two agree.

    cards, when given, is the lookup of a whole run: each folder is searched once for it.
    """
    day = estimate.date or today
    cards = RateCards() if cards is None else cards
    before = len(cards.warnings)
    try:
        found, warnings = cards.find(estimate.rate_card, doc, estimate_path, day, rates)
        check_references(doc, found, day)
    except InputError as exc:
        if cards.warnings[before:]:  # the folders passed over may explain the error
            raise InputError([*cards.warnings[before:], *exc.problems]) from None
        raise
    return Inputs(estimate, doc, found, [*cards.warnings[before:], *warnings])


def make_quote(
    estimate_path: Path,
    *,
    today: date,
    rates: Path | None = None,
    confidence: Decimal | None = None,
) -> tuple[Quote, list[Problem]]:
    """Load, check and price an estimate; return the quote and any warnings.

    confidence, when given, overrides the estimate's.
    """
    inputs = load_inputs(estimate_path, today=today, rates=rates)
    return price(inputs, today=today, confidence=confidence), inputs.warnings


def price(inputs: Inputs, *, today: date, confidence: Decimal | None = None) -> Quote:
    """Price checked inputs: the quote, which records the files it was made from."""
    found = inputs.found
    return build_quote(
        inputs.estimate,
        found.card,
        today=today,
        rate_card=Source(found.shown, found.sha256),
        source=Source(inputs.doc.path, inputs.doc.sha256),
        confidence=confidence,
    )
