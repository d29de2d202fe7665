"""What changed in a rate card, value by value, for nrecalc diff (SPEC 8.2).

A Change is one value that moved: a role's rate, a field of the standard offer, a policy value,
a service, an exchange rate. diff.py lists a card's changes with card_changes and builds a
revision's from the same pieces (compared, keys).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import NamedTuple, Union

from .models import FxRate, Policy, RateCard, StandardOffer
from .money import EXACT, quantity_quotient

Value = Union[Decimal, int, str, date, None]  # noqa: UP007 - evaluated at run time on 3.10
# Policy values that are amounts of money; the others are ratios or whole days (SPEC 8.3).
POLICY_MONEY = frozenset({"review_nre_above"})
HUNDRED = Decimal(100)


class Change(NamedTuple):
    """One value that changed: `~` changed, `+` added, `-` removed.

    section is where it is (a card's: card, roles, standard, policy, services, fx; a quote's:
    terms, build, per_upgrade, custom_services, options, figures), item what it is (a role, a
    field, a task, an option's key), field the part of a line that changed; unit says how its
    values are written.
    """

    section: str
    item: str
    mark: str
    unit: str  # money, rate, ratio, number, weeks, text, date, fx (an exchange rate)
    old: Value
    new: Value
    field: str = ""
    one_currency: bool = True  # False when the card's currency changed: no percentage then

    @property
    def percent(self) -> Decimal | None:
        """Return the change in percent of the old amount; None for no amount or none before."""
        if self.unit not in ("money", "rate", "fx") or not isinstance(self.old, Decimal):
            return None
        if not self.one_currency:  # ¥25,000.00 → US$250,000.00 is no percentage
            return None
        return percent_change(self.old, self.new if isinstance(self.new, Decimal) else None)


def percent_change(old: Decimal, new: Decimal | None) -> Decimal | None:
    """Return (new − old) / old as a percentage, rounded once to one place; None when old is 0."""
    if new is None or not old:
        return None
    return quantity_quotient(EXACT.multiply(EXACT.subtract(new, old), HUNDRED), old, 1)


def card_changes(old: RateCard, new: RateCard) -> list[Change]:
    """List what changed from one card to the other: dates, roles, standard, policy, services."""
    found: list[Change] = []
    for name in ("currency", "effective_from", "effective_until"):
        found.extend(compared("card", name, getattr(old, name), getattr(new, name)))
    for role in keys(old.roles, new.roles):
        found.extend(compared("roles", role, old.roles.get(role), new.roles.get(role), "rate"))
    for name in StandardOffer.model_fields:
        before, after = getattr(old.standard, name), getattr(new.standard, name)
        found.extend(compared("standard", f"standard.{name}", before, after, "rate"))
    for name in Policy.model_fields:
        unit = "money" if name in POLICY_MONEY else "ratio"
        before, after = getattr(old.policy, name), getattr(new.policy, name)
        found.extend(compared("policy", f"policy.{name}", before, after, unit))
    for key in keys(old.services, new.services):
        was, now = old.services.get(key), new.services.get(key)
        item = f"services.{key}"
        if was is None or now is None:
            before = None if was is None else was.per_year
            after = None if now is None else now.per_year
            found.extend(compared("services", item, before, after, "rate"))
            continue
        for name in ("name", "description", "per_year"):
            before, after = getattr(was, name), getattr(now, name)
            found.extend(compared("services", f"{item}.{name}", before, after, "rate"))
    found.extend(_fx_changes(old, new))
    if old.currency != new.currency:
        return [change._replace(one_currency=False) for change in found]
    return found


def _fx_changes(old: RateCard, new: RateCard) -> list[Change]:
    """List the exchange rates added, removed or changed, each by its pair and date."""
    was, now = _rates(old), _rates(new)
    found: list[Change] = []
    for key in keys(was, now):
        before, after = was.get(key), now.get(key)
        rates = [None if rate is None else rate.rate for rate in (before, after)]
        found.extend(compared("fx", key, rates[0], rates[1], "fx"))
        if before is not None and after is not None:
            found.extend(compared("fx", f"{key}.source", before.source, after.source))
    return found


def _rates(card: RateCard) -> dict[str, FxRate]:
    """Key a card's exchange rates by pair and date: fx.CNY.USD.2026-11-20."""
    return {f"fx.{rate.from_}.{rate.to}.{rate.date}": rate for rate in card.fx}


def keys(old: Iterable[str], new: Iterable[str]) -> list[str]:
    """Return the keys of both, in the old order, then the new ones in theirs."""
    return list(dict.fromkeys([*old, *new]))


def compared(section: str, item: str, old: Value, new: Value, amount: str = "") -> list[Change]:
    """Return the change from old to new, if any; amount is the unit of a Decimal value."""
    if old == new and type(old) is type(new):
        return []
    mark = "+" if old is None else "-" if new is None else "~"
    return [Change(section, item, mark, _unit(old if new is None else new, amount), old, new)]


def _unit(value: Value, amount: str) -> str:
    if isinstance(value, bool | str):
        return "text"
    if isinstance(value, int):
        return "number"
    if isinstance(value, date):
        return "date"
    return amount or "money"
