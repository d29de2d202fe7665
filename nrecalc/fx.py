"""Exchange rates (SPEC 8.4): the rate a quote uses, and the rate card converted with it.

A rate card lists rates from its own currency (`fx:`); an estimate in another `currency:` is
priced with the card's prices multiplied by the rate, exactly, and rounded only as every quote
rounds: per line, in the quote's currency. A rate is used in its stated direction alone: nrecalc
never computes 1/rate, the inverted rate being the commonest mistake in a hand-kept table.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from .errors import Problem
from .models import FxRate, RateCard
from .money import EXACT, is_currency
from .strict_yaml import Document


class FxError(ValueError):
    """No rate can convert a card's prices to the quote's currency on its date: says why."""


def choose(card: RateCard, currency: str, day: date, where: str | None = None) -> FxRate:
    """Return the card's rate from its currency to currency for a quote dated day.

    That is the newest rate of the pair dated on or before day. Raise FxError when the card has
    no rate for the pair, only rates dated after day, or only ones older than
    policy.fx_max_age_days. where names the card in the message (default: by its name).
    """
    where = where or f"rate card {card.name!r}"
    pair = f"from {card.currency} to {currency}"
    rates = [rate for rate in card.fx if rate.from_ == card.currency and rate.to == currency]
    if not rates:
        listed = sorted({rate.to for rate in card.fx})
        has = f"its fx has {card.currency} to {', '.join(listed)}" if listed else "it has no fx"
        raise FxError(
            f"no exchange rate {pair} in {where}: {has}; add {{from: {card.currency}, "
            f"to: {currency}, rate, date, source}} there (nrecalc never inverts a rate)"
        )
    usable = [rate for rate in rates if rate.date <= day]
    if not usable:
        first = min(rate.date for rate in rates)
        raise FxError(
            f"the rate {pair} in {where} is of {first}, after the quote's date {day}; "
            "a quote uses a rate known on its date"
        )
    newest = max(usable, key=lambda rate: rate.date)
    age = (day - newest.date).days
    limit = card.policy.fx_max_age_days
    if age > limit:
        raise FxError(
            f"the newest rate {pair} in {where} is of {newest.date}, {age} days before the "
            f"quote's date {day}: older than policy.fx_max_age_days ({limit}); add a current rate"
        )
    return newest


def convert(card: RateCard, rate: FxRate) -> RateCard:
    """Return the card with every rate, fee and price multiplied by rate, exactly, in rate.to.

    Nothing is rounded here: the quote rounds its lines in the new currency, as every quote
    does. The card's gates in money (policy.review_nre_above) are converted too.
    """
    factor = rate.rate

    def times(amount: Decimal) -> Decimal:
        return EXACT.multiply(amount, factor)

    policy = card.policy
    review = policy.review_nre_above
    return card.model_copy(
        update={
            "currency": rate.to,
            "roles": {role: times(price) for role, price in card.roles.items()},
            "standard": card.standard.model_copy(
                update={
                    "fee": times(card.standard.fee),
                    "coaching_per_day": times(card.standard.coaching_per_day),
                }
            ),
            "services": {
                key: service.model_copy(update={"per_year": times(service.per_year)})
                for key, service in card.services.items()
            },
            "policy": policy.model_copy(
                update={"review_nre_above": None if review is None else times(review)}
            ),
        }
    )


def unconverted(amount: Decimal, rate: FxRate) -> Decimal:
    """Return the card's own amount of one that convert() made: exact, as the product was."""
    return EXACT.divide(amount, rate.rate)


def table_problems(doc: Document) -> list[Problem]:
    """Check a rate card's fx table against the card, from its data however valid the rest is.

    Each rate converts from the card's currency to another; a pair has one rate per date.
    """
    table = doc.data.get("fx")
    currency = doc.data.get("currency")
    if not (isinstance(currency, str) and is_currency(currency)):
        currency = None  # its own error: the rates are not measured against it
    problems: list[Problem] = []
    seen: dict[tuple[str, str, str], int] = {}
    for index, item in enumerate(table if isinstance(table, list) else []):
        if not isinstance(item, dict):
            continue
        # Codes that are none are their own errors: only real codes are compared here.
        source, target = (_code(item.get(key)) for key in ("from", "to"))
        day = _text(item.get("date"))
        if source and currency and source != currency:
            other = source if target == currency else target
            turned = " (this one is the other way round)" if target == currency else ""
            problems.append(
                doc.problem(
                    ("fx", index, "from"),
                    f"is {source}, but the card's prices are in {currency}: a rate converts from "
                    f"the card's currency, as 1 {currency} = rate {other or 'XXX'}{turned}; "
                    "nrecalc never inverts a rate",
                )
            )
        if source and target == source:
            problems.append(
                doc.problem(("fx", index, "to"), f"is {source} too; a rate converts to another")
            )
        if source and target and day:
            first = seen.setdefault((source, target, day), index)
            if first != index:
                problems.append(
                    doc.problem(
                        ("fx", index),
                        f"a second rate from {source} to {target} of {day} (the first is "
                        f"fx[{first}], line {doc.mark(('fx', first)).line}); keep one",
                        key=True,
                    )
                )
    return problems


def _code(value: Any) -> str | None:
    """Return a currency code of the table, or None for anything that is not one."""
    return value if isinstance(value, str) and is_currency(value) else None


def _text(value: Any) -> str | None:
    """Return a scalar of the table as text (a date as YYYY-MM-DD), or None for anything else."""
    if isinstance(value, (str, date)) and not isinstance(value, bool):
        return str(value).strip() or None
    return None
