"""Pure arithmetic of SPEC 3: build_quote(estimate, rate_card) -> Quote. No I/O, no clock."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from decimal import Decimal, localcontext
from typing import NamedTuple

from .models import Estimate, Item, Milestone, RateCard
from .money import EXACT, round_money


class Line(NamedTuple):
    """A priced line of effort: engineers x weeks x rate, rounded."""

    task: str
    role: str
    engineers: int
    weeks: Decimal
    rate: Decimal
    amount: Decimal


class MaintenanceYear(NamedTuple):
    """One year of upgrade charges at that year's escalated price."""

    year: int
    upgrades: int
    unit_price: Decimal
    amount: Decimal


class Installment(NamedTuple):
    """A payment milestone with its share of the custom total and its amount."""

    milestone: str
    share: Decimal
    amount: Decimal


class StandardQuote(NamedTuple):
    """The standard-platform option, priced."""

    name: str
    integration_days: int
    fee: Decimal
    coaching_days: Decimal
    coaching_per_day: Decimal
    coaching: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal


class CustomQuote(NamedTuple):
    """The custom option, priced: build, contingency, maintenance, discount, tax."""

    lead_time_weeks: Decimal
    build: tuple[Line, ...]
    build_subtotal: Decimal
    contingency_rate: Decimal
    contingency: Decimal
    nre: Decimal
    per_upgrade: tuple[Line, ...]
    per_upgrade_cost: Decimal
    annual_escalation: Decimal
    upgrades_per_year: int
    term_years: int
    maintenance: tuple[MaintenanceYear, ...]
    maintenance_total: Decimal
    subtotal: Decimal
    discount_rate: Decimal
    discount: Decimal
    discount_approval_above: Decimal | None
    discount_approval_required: bool
    net: Decimal
    tax: Decimal
    total: Decimal
    payment: tuple[Installment, ...]

    @property
    def upgrades_total(self) -> int:
        """Return the number of platform upgrades over the whole term."""
        return self.upgrades_per_year * self.term_years

    @property
    def build_effort(self) -> Decimal:
        """Return the build's effort in person-weeks: the sum of engineers x weeks."""
        with localcontext(EXACT):
            return sum((line.engineers * line.weeks for line in self.build), Decimal(0))


class Source(NamedTuple):
    """Where an input file came from: its shown path and the sha256 of its bytes."""

    path: str
    sha256: str


class Quote(NamedTuple):
    """Everything a renderer needs: the standard option beside the custom one."""

    id: str
    customer: str
    title: str
    date: dt.date
    date_assumed: bool
    valid_until: dt.date
    currency: str
    rate_card_name: str
    rate_card_version: str
    supplier: str | None
    rate_card: Source
    estimate: Source
    tax_rate: Decimal
    standard: StandardQuote
    custom: CustomQuote
    extra_cost: Decimal
    assumptions: tuple[str, ...]
    exclusions: tuple[str, ...]


NO_SOURCE = Source("", "")


def _price_lines(items: tuple[Item, ...], card: RateCard) -> tuple[Line, ...]:
    lines = []
    for item in items:
        rate = card.roles[item.role]
        amount = round_money(item.engineers * item.weeks * rate, card.currency)
        lines.append(Line(item.task, item.role, item.engineers, item.weeks, rate, amount))
    return tuple(lines)


def _total(lines: tuple[Line, ...]) -> Decimal:
    return sum((line.amount for line in lines), Decimal(0))


def installments(
    total: Decimal, milestones: tuple[Milestone, ...], currency: str
) -> tuple[Installment, ...]:
    """Split total by the milestones' shares so that the amounts add up to it exactly.

    Each amount is the rounded running total minus the one before it: every amount is within
    a minor unit of its share, none is negative, and the last running total is the total.
    """
    found = []
    share_so_far = Decimal(0)
    paid = Decimal(0)
    with localcontext(EXACT):
        for milestone in milestones:
            share_so_far += milestone.share
            due = round_money(total * share_so_far, currency)
            found.append(Installment(milestone.milestone, milestone.share, due - paid))
            paid = due
    return tuple(found)


def price_standard(estimate: Estimate, card: RateCard) -> StandardQuote:
    """Price the standard option: fee plus coaching, then tax."""
    cur = card.currency
    offer = card.standard
    with localcontext(EXACT):
        fee = round_money(offer.fee, cur)
        days = estimate.standard.coaching_days
        coaching = round_money(days * offer.coaching_per_day, cur)
        net = fee + coaching
        tax = round_money(net * card.policy.tax_rate, cur)
        total = net + tax
    integration_days = estimate.standard.integration_days
    if integration_days is None:
        integration_days = offer.integration_days
    return StandardQuote(
        name=offer.name,
        integration_days=integration_days,
        fee=fee,
        coaching_days=days,
        coaching_per_day=offer.coaching_per_day,
        coaching=coaching,
        net=net,
        tax=tax,
        total=total,
    )


def price_custom(estimate: Estimate, card: RateCard) -> CustomQuote:
    """Price the custom option exactly per SPEC 3."""
    cur = card.currency
    policy = card.policy
    work = estimate.custom
    with localcontext(EXACT):
        build = _price_lines(work.build, card)
        build_subtotal = _total(build)
        contingency = round_money(build_subtotal * policy.contingency, cur)
        nre = build_subtotal + contingency

        per_upgrade = _price_lines(work.per_upgrade, card)
        per_upgrade_cost = _total(per_upgrade)
        growth = 1 + policy.annual_escalation
        maintenance = []
        for year in range(1, work.term_years + 1):
            unit = round_money(per_upgrade_cost * growth ** (year - 1), cur)
            amount = work.upgrades_per_year * unit
            maintenance.append(MaintenanceYear(year, work.upgrades_per_year, unit, amount))
        maintenance_total = sum((y.amount for y in maintenance), Decimal(0))

        subtotal = nre + maintenance_total
        discount = round_money(subtotal * estimate.discount, cur)
        net = subtotal - discount
        tax = round_money(net * policy.tax_rate, cur)
        total = net + tax
        lead_time = work.lead_time_weeks
        if lead_time is None:
            lead_time = sum((item.weeks for item in work.build), Decimal(0))
    threshold = policy.discount_approval_above
    return CustomQuote(
        lead_time_weeks=lead_time,
        build=build,
        build_subtotal=build_subtotal,
        contingency_rate=policy.contingency,
        contingency=contingency,
        nre=nre,
        per_upgrade=per_upgrade,
        per_upgrade_cost=per_upgrade_cost,
        annual_escalation=policy.annual_escalation,
        upgrades_per_year=work.upgrades_per_year,
        term_years=work.term_years,
        maintenance=tuple(maintenance),
        maintenance_total=maintenance_total,
        subtotal=subtotal,
        discount_rate=estimate.discount,
        discount=discount,
        discount_approval_above=threshold,
        discount_approval_required=threshold is not None and estimate.discount > threshold,
        net=net,
        tax=tax,
        total=total,
        payment=installments(total, estimate.payment, cur),
    )


def build_quote(
    estimate: Estimate,
    card: RateCard,
    *,
    today: dt.date,
    rate_card: Source = NO_SOURCE,
    source: Source = NO_SOURCE,
) -> Quote:
    """Price an estimate against a rate card; today is used only when the estimate has no date."""
    day = estimate.date or today
    standard = price_standard(estimate, card)
    custom = price_custom(estimate, card)
    return Quote(
        id=estimate.id,
        customer=estimate.customer,
        title=estimate.title,
        date=day,
        date_assumed=estimate.date is None,
        valid_until=day + timedelta(days=card.policy.validity_days),
        currency=card.currency,
        rate_card_name=card.name,
        rate_card_version=card.version,
        supplier=card.supplier,
        rate_card=rate_card,
        estimate=source,
        tax_rate=card.policy.tax_rate,
        standard=standard,
        custom=custom,
        extra_cost=EXACT.subtract(custom.total, standard.total),
        assumptions=estimate.assumptions,
        exclusions=estimate.exclusions,
    )
