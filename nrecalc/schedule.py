"""The payment schedule (SPEC 6): an option's total split over its parts, and the milestones.

The total, discount and tax included, is apportioned over the parts (the one-time part; each
year's services and upgrades) in proportion to their cost before discount and tax, by largest
remainder; the milestones divide the one-time part the same way. The option ladder's records
(Option, its years and time to value) live here too, with price_option, which prices a rung
and splits it so. Pure arithmetic, no I/O.
"""

from collections.abc import Sequence
from decimal import Decimal, localcontext
from typing import NamedTuple

from .models import Milestone
from .money import EXACT, apportion, exact_sum, round_money

WORKING_DAYS_PER_WEEK = 5


class Installment(NamedTuple):
    """A payment milestone with its share of the one-time part and its amount."""

    milestone: str
    share: Decimal
    amount: Decimal


class Part(NamedTuple):
    """A part of an option's total: the one-time part, or a year's upgrades or services.

    The total (discount and tax included) is apportioned over the parts in proportion to their
    cost before discount and tax, by largest remainder (SPEC 6, payment schedule).
    """

    kind: str  # one_time, services or upgrades
    year: int  # the year it falls due in: 1 for the one-time part
    cost: Decimal  # before discount and tax
    amount: Decimal  # its share of the total


class Payment(NamedTuple):
    """A row of the payment schedule: a milestone of the one-time part, or a year's charges."""

    kind: str  # milestone, services (a year's, invoiced in advance) or upgrades (as delivered)
    milestone: str | None
    share: Decimal | None  # a milestone's share of the one-time part
    year: int | None
    amount: Decimal


def part_costs(
    one_time: Decimal, yearly: Sequence[tuple[Decimal, Decimal]]
) -> list[tuple[str, int, Decimal]]:
    """Return an option's parts before discount and tax: (kind, year, cost).

    yearly holds each year's (upgrades, services). The one-time part comes first and is always
    there; a year's services (invoiced in advance) come before its upgrades; a part that costs
    nothing is left out.
    """
    costs = [("one_time", 1, one_time)]
    for year, (upgrades, services) in enumerate(yearly, start=1):
        costs += [
            (kind, year, cost)
            for kind, cost in (("services", services), ("upgrades", upgrades))
            if cost
        ]
    return costs


def split(
    total: Decimal, costs: Sequence[tuple[str, int, Decimal]], currency: str
) -> tuple[Part, ...]:
    """Apportion an option's total over its parts in proportion to their costs (SPEC 6)."""
    amounts = apportion(total, [cost for _, _, cost in costs], currency)
    return tuple(
        Part(kind, year, cost, amount)
        for (kind, year, cost), amount in zip(costs, amounts, strict=True)
    )


def installments(
    total: Decimal, milestones: tuple[Milestone, ...], currency: str
) -> tuple[Installment, ...]:
    """Split the one-time part by the milestones' shares (they add up to 1), to the cent."""
    amounts = apportion(total, [m.share for m in milestones], currency)
    return tuple(
        Installment(m.milestone, m.share, amount)
        for m, amount in zip(milestones, amounts, strict=True)
    )


class TimeToValue(NamedTuple):
    """How long until the customer has the feature: weeks of work, then days of integration."""

    weeks: Decimal
    days: int

    @property
    def working_days(self) -> Decimal:
        """Return the time in working days (five a week), to compare options."""
        return self.weeks * WORKING_DAYS_PER_WEEK + self.days


class YearCost(NamedTuple):
    """One year of an option over the term."""

    year: int
    cost: Decimal  # the year's charges before discount and tax (year 1 holds the one-time cost)
    amount: Decimal  # its share of the option's total, discount and tax included
    cumulative: Decimal  # the amounts up to and including this year


class Option(NamedTuple):
    """A rung of the option ladder, priced over the term (SPEC 7)."""

    key: str  # standard, standard_coaching, productize, custom
    time_to_value: TimeToValue
    one_time: Decimal  # before tax
    recurring: tuple[Decimal, ...]  # per year, before tax
    discount: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal
    upgrade_risk: str  # who carries it: vendor or customer
    years: tuple[YearCost, ...]
    parts: tuple[Part, ...]

    @property
    def recurring_total(self) -> Decimal:
        """Return the recurring charges over the whole term, before tax."""
        return exact_sum(self.recurring)


def price_option(
    key: str,
    time_to_value: TimeToValue,
    one_time: Decimal,
    yearly: Sequence[tuple[Decimal, Decimal]],
    upgrade_risk: str,
    *,
    discount_rate: Decimal,
    tax_rate: Decimal,
    currency: str,
) -> Option:
    """Price a rung of the ladder as SPEC 3 prices custom: discount, then tax, then parts.

    yearly holds each year's (upgrades, services); the total is split over the parts as the
    payment schedule splits it, and each year's amount is the sum of its parts.
    """
    recurring = [exact_sum(year) for year in yearly]
    with localcontext(EXACT):
        subtotal = one_time + exact_sum(recurring)
        discount = round_money(subtotal * discount_rate, currency)
        net = subtotal - discount
        tax = round_money(net * tax_rate, currency)
        total = net + tax
        parts = split(total, part_costs(one_time, yearly), currency)
        cumulative = Decimal(0)
        years = []
        for year in range(1, len(yearly) + 1):
            mine = [part for part in parts if part.year == year]
            amount = exact_sum(part.amount for part in mine)
            cumulative += amount
            years.append(YearCost(year, exact_sum(part.cost for part in mine), amount, cumulative))
    return Option(
        key,
        time_to_value,
        one_time,
        tuple(recurring),
        discount,
        net,
        tax,
        total,
        upgrade_risk,
        tuple(years),
        parts,
    )
