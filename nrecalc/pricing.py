"""Pure arithmetic of SPEC 3 and 7: build_quote(estimate, rate_card) -> Quote. No I/O, no clock."""

import datetime as dt
from collections.abc import Sequence
from datetime import timedelta
from decimal import ROUND_CEILING, Context, Decimal, localcontext
from typing import NamedTuple

from .fx import choose, convert
from .models import DEFAULT_PAYMENT, Estimate, FxRate, Item, Person, Range, RateCard, Supplier
from .money import (
    EXACT,
    apportion,
    exact_sum,
    quantity,
    quantity_quotient,
    round_money,
    round_quotient,
)
from .quantile import normal_quantile
from .schedule import (
    Installment,
    Option,
    Part,
    Payment,
    TimeToValue,
    installments,
    part_costs,
    price_option,
    split,
)

HALF = Decimal("0.5")
# Square roots (sigma) are irrational: taken to 100 digits, then rounded once like money.
_ROOTS = Context(prec=100)


class Spread(NamedTuple):
    """A three-point line's weeks: the range, its PERT mean and sigma (shown to 6 places)."""

    low: Decimal
    likely: Decimal
    high: Decimal
    mean: Decimal
    sigma: Decimal
    sigma_amount: Decimal  # engineers x sigma x rate, rounded like money


class Line(NamedTuple):
    """A priced line of effort: engineers x weeks x rate, rounded.

    A three-point line is priced at its PERT mean, engineers x (low + 4 likely + high) / 6 x
    rate, rounded once; weeks then holds the mean as shown (6 places) and spread the range.
    """

    task: str
    role: str
    engineers: int
    weeks: Decimal
    rate: Decimal
    amount: Decimal
    spread: Spread | None = None


class MaintenanceYear(NamedTuple):
    """One year of upgrade charges at that year's escalated price."""

    year: int
    upgrades: int
    unit_price: Decimal
    amount: Decimal


class ServiceQuote(NamedTuple):
    """A service package sold with the custom option: its price in each year of the term."""

    key: str
    name: str
    description: str | None
    per_year: Decimal
    years: tuple[Decimal, ...]

    @property
    def total(self) -> Decimal:
        """Return what the package costs over the whole term."""
        return exact_sum(self.years)


class Risk(NamedTuple):
    """How the build's ranges are priced at the confidence level (SPEC 7).

    The ranged lines carry the larger of the estimate risk reserve and the contingency on their
    mean, so that a range is never cheaper than the same work written as one figure.
    """

    confidence: Decimal
    z: Decimal | None  # the standard normal quantile, 6 places; None when no line is a range
    lines: tuple[Line, ...]  # the build lines given as ranges
    mean: Decimal  # their amounts at the PERT mean
    sigma: Decimal  # sigma of their summed cost, rounded like money
    reserve: Decimal  # the estimate risk reserve: round(z x sigma)
    floor: Decimal  # the contingency on their mean: what it adds to the build's contingency

    @property
    def charge(self) -> Decimal:
        """Return what the ranged lines carry beyond their mean: max(reserve, floor)."""
        return max(self.reserve, self.floor)

    @property
    def applied(self) -> str:
        """Return which of the two the ranged lines carry: reserve, or contingency (the floor)."""
        return "reserve" if self.reserve >= self.floor else "contingency"


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
    risk: Risk
    contingency_rate: Decimal
    contingency_base: Decimal  # the single-point build lines: ranges carry the reserve instead
    contingency: Decimal
    nre: Decimal
    per_upgrade: tuple[Line, ...]
    per_upgrade_cost: Decimal
    annual_escalation: Decimal
    upgrades_per_year: int
    term_years: int
    maintenance: tuple[MaintenanceYear, ...]
    maintenance_total: Decimal
    services: tuple[ServiceQuote, ...]
    services_total: Decimal
    subtotal: Decimal
    discount_rate: Decimal
    discount: Decimal
    discount_approval_above: Decimal | None
    discount_approval_required: bool
    review_nre_above: Decimal | None  # SPEC 8.3: an NRE above it needs review
    review_required: bool
    net: Decimal
    tax: Decimal
    total: Decimal
    parts: tuple[Part, ...]  # the total apportioned: one-time, then each year's charges
    payment: tuple[Installment, ...]  # the milestones, dividing the one-time part

    @property
    def one_time(self) -> Decimal:
        """Return the one-time part of the total: the NRE's share, discount and tax included."""
        return self.parts[0].amount

    @property
    def schedule(self) -> tuple[Payment, ...]:
        """Return every payment: the milestones, then each year's services and upgrades."""
        rows = [
            Payment("milestone", part.milestone, part.share, None, part.amount)
            for part in self.payment
        ]
        rows += [Payment(part.kind, None, None, part.year, part.amount) for part in self.parts[1:]]
        return tuple(rows)

    def all_in(self, currency: str) -> tuple[Decimal, ...]:
        """Return each build line's all-in price, as the customer sees it (SPEC 6, audience).

        The ranged lines' charge (reserve or contingency) is apportioned over the ranged lines,
        the contingency over the single-point lines, each in proportion to the lines' amounts
        by largest remainder: the prices add up to the NRE exactly.
        """
        ranged = [i for i, line in enumerate(self.build) if line.spread is not None]
        single = [i for i, line in enumerate(self.build) if line.spread is None]
        prices = [line.amount for line in self.build]
        for group, extra in ((ranged, self.risk.charge), (single, self.contingency)):
            shares = apportion(extra, [prices[i] for i in group], currency)
            for i, share in zip(group, shares, strict=True):
                prices[i] = EXACT.add(prices[i], share)
        return tuple(prices)

    @property
    def upgrades_total(self) -> int:
        """Return the number of platform upgrades over the whole term."""
        return self.upgrades_per_year * self.term_years

    def upgrade_prices(self) -> list[Decimal]:
        """Return the price of each upgrade of the term, in order."""
        return [year.unit_price for year in self.maintenance for _ in range(year.upgrades)]

    @property
    def reserve(self) -> Decimal:
        """Return what the ranged lines carry: the risk reserve, or contingency if it is more."""
        return self.risk.charge

    def yearly(self) -> list[tuple[Decimal, Decimal]]:
        """Return what each year costs beyond the one-time NRE: (upgrades, services)."""
        return yearly_costs(self.maintenance, self.services)

    @property
    def build_effort(self) -> Decimal:
        """Return the build's effort in person-weeks, engineers x weeks added up, rounded once.

        Six times each line's weeks (a range's low + 4 likely + high) is exact; the sum is
        divided by 6 and rounded to 6 places once.
        """
        six_times = []
        for line in self.build:
            spread = line.spread
            weeks = (
                6 * line.weeks if spread is None else spread.low + 4 * spread.likely + spread.high
            )
            six_times.append(EXACT.multiply(line.engineers, weeks))
        return quantity_quotient(exact_sum(six_times), 6)


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
    supplier: Supplier | None
    prepared_by: Person | None
    rate_card: Source
    estimate: Source
    tax_rate: Decimal
    standard: StandardQuote
    custom: CustomQuote
    extra_cost: Decimal
    assumptions: tuple[str, ...]
    exclusions: tuple[str, ...]
    options: tuple[Option, ...]
    p50: CustomQuote  # the custom option priced at the mean (itself when no line is a range)
    productize_share: Decimal | None  # set when the productize option is on the ladder
    upgrades_pass_nre_after: int | None  # the upgrade whose charges, added up, pass the NRE
    language: str = "en"  # of the table, the documents and the note: en, zh-CN, zh-CN+en
    default_milestones: bool = False  # the estimate names no payment milestones: the defaults
    fx: FxRate | None = None  # the rate that converted the card's prices (SPEC 8.4), if any

    def option(self, key: str) -> Option | None:
        """Return the option with this key, if the ladder has it."""
        return next((option for option in self.options if option.key == key), None)


NO_SOURCE = Source("", "")


def _price_lines(items: tuple[Item, ...], card: RateCard) -> tuple[Line, ...]:
    cur = card.currency
    lines = []
    for item in items:
        rate = card.roles[item.role]
        weeks = item.weeks
        if isinstance(weeks, Range):
            people = item.engineers * rate
            spread = Spread(
                weeks.low,
                weeks.likely,
                weeks.high,
                mean=quantity(_pert_mean(weeks.low, weeks.likely, weeks.high)),
                sigma=quantity(_ROOTS.divide(weeks.high - weeks.low, 6)),
                sigma_amount=round_quotient(people * (weeks.high - weeks.low), 6, cur),
            )
            amount = round_quotient(people * _pert_sum(weeks), 6, cur)
            lines.append(
                Line(item.task, item.role, item.engineers, spread.mean, rate, amount, spread)
            )
        else:
            amount = round_money(item.engineers * weeks * rate, cur)
            lines.append(Line(item.task, item.role, item.engineers, weeks, rate, amount))
    return tuple(lines)


def _pert_mean(low: Decimal, likely: Decimal, high: Decimal) -> Decimal:
    """Return the PERT mean, (low + 4 likely + high) / 6, to 100 digits."""
    return _ROOTS.divide(low + 4 * likely + high, 6)


def _pert_sum(weeks: Range) -> Decimal:
    """Return low + 4 likely + high: six times the PERT mean."""
    return weeks.low + 4 * weeks.likely + weeks.high


def z_score(confidence: Decimal) -> Decimal:
    """Return the standard normal quantile of confidence, rounded to 6 places.

    The quote shows z and prices with exactly the figure it shows.
    """
    if confidence == HALF:
        return Decimal(0)
    return normal_quantile(confidence, 6)


def _risk(build: tuple[Line, ...], confidence: Decimal, floor: Decimal, currency: str) -> Risk:
    """Price the ranges: sigma, z, the reserve; floor is the contingency they carry at least."""
    ranged = tuple(line for line in build if line.spread is not None)
    if not ranged:
        return Risk(confidence, None, (), Decimal(0), Decimal(0), Decimal(0), Decimal(0))
    z = z_score(confidence)
    # sigma = sqrt(sum((engineers x rate x (high - low))^2)) / 6: each line's sigma in money,
    # added in quadrature; the 6 divides once, after the root.
    squares = sum(
        (
            (line.engineers * line.rate * (s.high - s.low)) ** 2
            for line in ranged
            if (s := line.spread)
        ),
        Decimal(0),
    )
    sigma = round_quotient(squares.sqrt(_ROOTS), 6, currency)
    return Risk(
        confidence=confidence,
        z=z,
        lines=ranged,
        mean=exact_sum(line.amount for line in ranged),
        sigma=sigma,
        reserve=round_money(z * sigma, currency),
        floor=floor,
    )


def _lead_time(items: tuple[Item, ...], z: Decimal | None) -> Decimal:
    """Return the build's weeks one after another; ranges at the confidence level.

    Ranges count their mean plus z times the sigma of the summed weeks, rounded up to a
    tenth of a week; without ranges the sum is exact.
    """
    fixed = sum((i.weeks for i in items if not isinstance(i.weeks, Range)), Decimal(0))
    ranges = [i.weeks for i in items if isinstance(i.weeks, Range)]
    if not ranges:
        return fixed
    six_means = sum((_pert_sum(w) for w in ranges), Decimal(0))
    root = sum(((w.high - w.low) ** 2 for w in ranges), Decimal(0)).sqrt(_ROOTS)
    ranged = _ROOTS.divide(six_means + (z or 0) * root, Decimal(6))
    return fixed + ranged.quantize(Decimal("0.1"), rounding=ROUND_CEILING, context=_ROOTS)


def yearly_costs(
    maintenance: Sequence[MaintenanceYear], services: Sequence[ServiceQuote]
) -> list[tuple[Decimal, Decimal]]:
    """Return what each year of the term costs beyond the one-time NRE: (upgrades, services)."""
    return [
        (year.amount, exact_sum(service.years[year.year - 1] for service in services))
        for year in maintenance
    ]


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


def price_custom(
    estimate: Estimate, card: RateCard, confidence: Decimal | None = None
) -> CustomQuote:
    """Price the custom option exactly per SPEC 3 and 7, ranges at the confidence level."""
    cur = card.currency
    policy = card.policy
    work = estimate.custom
    with localcontext(EXACT):
        build = _price_lines(work.build, card)
        build_subtotal = exact_sum(line.amount for line in build)
        level = estimate.confidence if confidence is None else confidence
        contingency_base = exact_sum(line.amount for line in build if line.spread is None)
        contingency = round_money(contingency_base * policy.contingency, cur)
        # A range is never cheaper than the same work written as one figure: the ranged lines
        # carry at least what the contingency on the whole build adds to that on the points,
        # so the two contingencies are rounded as one.
        floor = round_money(build_subtotal * policy.contingency, cur) - contingency
        risk = _risk(build, level, floor, cur)
        nre = build_subtotal + risk.charge + contingency

        per_upgrade = _price_lines(work.per_upgrade, card)
        per_upgrade_cost = exact_sum(line.amount for line in per_upgrade)
        growth = 1 + policy.annual_escalation
        maintenance = []
        for year in range(1, work.term_years + 1):
            unit = round_money(per_upgrade_cost * growth ** (year - 1), cur)
            amount = work.upgrades_per_year * unit
            maintenance.append(MaintenanceYear(year, work.upgrades_per_year, unit, amount))
        maintenance_total = exact_sum(y.amount for y in maintenance)
        services = _price_services(work.services, card, work.term_years)
        services_total = exact_sum(service.total for service in services)

        subtotal = nre + maintenance_total + services_total
        discount = round_money(subtotal * estimate.discount, cur)
        net = subtotal - discount
        tax = round_money(net * policy.tax_rate, cur)
        total = net + tax
        parts = split(total, part_costs(nre, yearly_costs(maintenance, services)), cur)
        lead_time = work.lead_time_weeks
        if lead_time is None:
            lead_time = _lead_time(work.build, risk.z)
    threshold = policy.discount_approval_above
    review = policy.review_nre_above
    return CustomQuote(
        lead_time_weeks=lead_time,
        build=build,
        build_subtotal=build_subtotal,
        risk=risk,
        contingency_rate=policy.contingency,
        contingency_base=contingency_base,
        contingency=contingency,
        nre=nre,
        per_upgrade=per_upgrade,
        per_upgrade_cost=per_upgrade_cost,
        annual_escalation=policy.annual_escalation,
        upgrades_per_year=work.upgrades_per_year,
        term_years=work.term_years,
        maintenance=tuple(maintenance),
        maintenance_total=maintenance_total,
        services=services,
        services_total=services_total,
        subtotal=subtotal,
        discount_rate=estimate.discount,
        discount=discount,
        discount_approval_above=threshold,
        discount_approval_required=threshold is not None and estimate.discount > threshold,
        review_nre_above=review,
        review_required=review is not None and nre > review,
        net=net,
        tax=tax,
        total=total,
        parts=parts,
        payment=installments(parts[0].amount, estimate.payment, cur),
    )


def _price_services(keys: tuple[str, ...], card: RateCard, term: int) -> tuple[ServiceQuote, ...]:
    growth = 1 + card.policy.annual_escalation
    found = []
    for key in keys:
        service = card.services[key]
        years = tuple(
            round_money(service.per_year * growth ** (year - 1), card.currency)
            for year in range(1, term + 1)
        )
        found.append(ServiceQuote(key, service.name, service.description, service.per_year, years))
    return tuple(found)


def ladder(
    estimate: Estimate, card: RateCard, standard: StandardQuote, custom: CustomQuote
) -> tuple[Option, ...]:
    """Return the options a buyer can choose from, cheapest to most bespoke (SPEC 7).

    Standard is the fee alone; standard + coaching and productize appear when their data
    exists; custom is last. Every option runs over the custom term.
    """
    cur, term = card.currency, custom.term_years
    none = [(Decimal(0), Decimal(0))] * term
    days = standard.integration_days

    def rung(
        key: str,
        time: TimeToValue,
        one_time: Decimal,
        yearly: Sequence[tuple[Decimal, Decimal]] = none,
        upgrade_risk: str = "vendor",
        discount_rate: Decimal = Decimal(0),
    ) -> Option:
        return price_option(
            key,
            time,
            one_time,
            yearly,
            upgrade_risk,
            discount_rate=discount_rate,
            tax_rate=card.policy.tax_rate,
            currency=cur,
        )

    options = [rung("standard", TimeToValue(Decimal(0), days), standard.fee)]
    if standard.coaching_days:
        options.append(rung("standard_coaching", TimeToValue(Decimal(0), days), standard.net))
    share = card.policy.productize_share
    if estimate.productize is not None and share is not None:
        with localcontext(EXACT):
            cofunding = round_money(custom.nre * share, cur)
        release = TimeToValue(estimate.productize.release_weeks, days)
        options.append(rung("productize", release, standard.fee + cofunding))
    time = TimeToValue(custom.lead_time_weeks, 0)
    options.append(rung("custom", time, custom.nre, custom.yearly(), "customer", estimate.discount))
    return tuple(options)


def _upgrades_pass_nre(custom: CustomQuote) -> int | None:
    """Return the upgrade after which the upgrade charges, added up, pass the NRE, if any."""
    charged = Decimal(0)
    for count, price in enumerate(custom.upgrade_prices(), start=1):
        charged += price
        if charged > custom.nre:
            return count
    return None


def build_quote(
    estimate: Estimate,
    card: RateCard,
    *,
    today: dt.date,
    rate_card: Source = NO_SOURCE,
    source: Source = NO_SOURCE,
    confidence: Decimal | None = None,
) -> Quote:
    """Price an estimate against a rate card; today is used only when the estimate has no date.

    confidence, when given, overrides the estimate's (the --confidence option). An estimate in
    another currency than the card's is priced with the card converted by its rate for the pair
    (fx.choose: FxError when it has none that is current).
    """
    # Every sum and product in EXACT: a lost digit traps (Inexact) instead of changing a figure.
    # Divisions and roots name the context they round in (round_quotient, _ROOTS).
    with localcontext(EXACT):
        return _quote(estimate, card, today, rate_card, source, confidence)


def _quote(
    estimate: Estimate,
    card: RateCard,
    today: dt.date,
    rate_card: Source,
    source: Source,
    confidence: Decimal | None,
) -> Quote:
    day = estimate.date or today
    rate = None
    if estimate.currency is not None and estimate.currency != card.currency:
        rate = choose(card, estimate.currency, day)
        card = convert(card, rate)
    standard = price_standard(estimate, card)
    custom = price_custom(estimate, card, confidence)
    p50 = price_custom(estimate, card, HALF) if custom.risk.z else custom
    options = ladder(estimate, card, standard, custom)
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
        prepared_by=estimate.prepared_by,
        rate_card=rate_card,
        estimate=source,
        tax_rate=card.policy.tax_rate,
        standard=standard,
        custom=custom,
        extra_cost=custom.total - standard.total,
        assumptions=estimate.assumptions,
        exclusions=estimate.exclusions,
        options=options,
        p50=p50,
        productize_share=card.policy.productize_share if estimate.productize else None,
        upgrades_pass_nre_after=_upgrades_pass_nre(custom),
        language=estimate.language,
        default_milestones=estimate.payment is DEFAULT_PAYMENT,
        fx=rate,
    )
