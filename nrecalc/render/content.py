"""What a document says: the quote's figures formatted for people, as typed data.

Templates (ours and a company's) and the document tables read this, and only this. For the
customer the internal figures (rates per role, contingency and escalation ratios, approval
flags) are None in the data itself, so that no template can show them by mistake. The shape is
documented in docs/documents.md; the TypedDicts below let mypy check every key a renderer reads.
"""

from decimal import Decimal
from typing import Any, NamedTuple, TypedDict

from ..choices import Audience, Format
from ..models import Person, Supplier
from ..money import format_money, format_rate, percent, plain, quantity, symbol
from ..pricing import CustomQuote, Line, Quote, Spread, StandardQuote
from ..schedule import Payment
from .text import chart_years
from .words import (
    capital,
    card_amount,
    carrier,
    count,
    date_text,
    describe,
    exchange,
    label,
    milestone,
    rise,
    say,
    sentences,
    spoken,
    time_to_value,
)


class PartyInfo(TypedDict):
    """Who quotes, or who prepared the quote: what the files say, and one line to reach them."""

    name: str
    address: str | None
    tax_id: str | None
    reach: str | None  # contact, e-mail and phone, as one line: "Sales desk · s@x.com · +86 …"


class QuoteInfo(TypedDict):
    language: str  # en, zh-CN or zh-CN+en
    html_lang: str  # the HTML lang attribute: en or zh-CN
    id: str
    customer: str
    title: str
    date: str
    date_assumed: bool
    valid_until: str
    validity_days: int
    currency: str
    symbol: str
    supplier: str | None  # the supplier's name
    supplier_details: PartyInfo | None
    prepared_by: PartyInfo | None
    rate_card: str | None
    tax_rate: str
    fx: str | None  # the exchange rate that converted the card's prices (SPEC 8.4), if any
    fx_note: str | None  # the cover note's sentence about it


class StandardInfo(TypedDict):
    name: str
    days: str
    integration_days: int
    fee: str
    coaching_days: str
    coaching_days_text: str
    coaching_per_day: str
    coaching: str
    net: str
    tax: str
    total: str
    free: bool  # the total is nothing: it reads "no extra cost"
    charges: list[str]  # what carries an amount: "fee", "coaching", "tax"


class RangeInfo(TypedDict):
    low: str
    likely: str
    high: str
    mean: str
    sigma: str


class LineInfo(TypedDict):
    task: str
    role: str
    engineers: int
    weeks: str
    range: RangeInfo | None
    effort: str
    rate: str | None
    amount: str


class YearInfo(TypedDict):
    year: int
    upgrades: int
    unit_price: str
    amount: str


class ServiceInfo(TypedDict):
    name: str
    description: str | None
    years: list[str]
    total: str


class PaymentInfo(TypedDict):
    milestone: str
    share: str  # of the one-time part
    amount: str


class ScheduleInfo(TypedDict):
    """A payment of the schedule: what it is for, when it falls due, its amount."""

    kind: str  # milestone, services or upgrades
    what: str
    due: str
    amount: str
    capital: str | None  # in capital figures (CNY, in Chinese), else None


class SpokenInfo(TypedDict):
    """Amounts as sentences give them: in Chinese, CNY from 1 万 up in 万元 too (money.spoken)."""

    nre: str
    per_upgrade_cost: str
    total: str
    discount: str
    standard_total: str
    productize_total: str | None


class CustomInfo(TypedDict):
    lead_time: str
    lead_time_weeks: str
    person_weeks: str
    build: list[LineInfo]
    build_subtotal: str | None  # None for the customer: the build lines are all-in prices
    ranges: bool  # the build has ranges, and the view shows them (never the customer's)
    confidence: str
    reserve: str | None  # what the ranged lines carry; None for the customer
    reserve_applied: str | None  # "reserve" or "contingency" (the floor); None for the customer
    reserve_row: str | None  # the reserve row's label, saying which applied; None for the customer
    contingency: str | None  # None for the customer
    contingency_rate: str | None
    nre: str
    per_upgrade: list[LineInfo]
    per_upgrade_cost: str
    annual_escalation: str | None
    escalates: bool
    rise: str
    upgrades_per_year: int
    term_years: int
    term: str
    upgrades_total: int
    maintenance: list[YearInfo]
    maintenance_total: str
    charges_upgrades: bool  # anything is charged on platform upgrades
    services: list[ServiceInfo]
    services_total: str
    subtotal: str
    discount: str | None
    discount_negative: str
    discount_rate: str | None
    discount_needs_approval: bool | None
    discount_limit: str | None
    nre_needs_review: bool | None  # SPEC 8.3; None for the customer
    review_limit: str | None
    net: str
    tax: str
    has_tax: bool
    total: str
    total_capital: str | None  # in capital figures (CNY, in Chinese), else None
    one_time: str  # the one-time part of the total: what the milestones divide
    payment: list[PaymentInfo]
    schedule: list[ScheduleInfo]


class Compared(NamedTuple):
    """A row of the standard and custom options side by side: a label, two cells, a total?"""

    label: str
    standard: str
    custom: str
    total: bool = False


class ComparisonInfo(TypedDict):
    extra_cost: str
    custom_costs_more: bool
    rows: list[Compared]


class OptionInfo(TypedDict):
    key: str
    label: str
    description: str
    time_to_value: str
    one_time: str
    recurring: str
    total: str
    upgrade_risk: str
    carrier: str
    cumulative: list[str]


class LifetimeInfo(TypedDict):
    years: list[int]
    sentences: list[str]
    upgrades_pass_nre_after: int | None


class ProductizeInfo(TypedDict):
    share: str
    release: str


class Content(TypedDict):
    """Everything a template receives (docs/documents.md), but the tables and the chart."""

    audience: str
    internal: bool
    format: str
    quote: QuoteInfo
    standard: StandardInfo
    custom: CustomInfo
    comparison: ComparisonInfo
    options: list[OptionInfo]
    lifetime: LifetimeInfo
    productize: ProductizeInfo | None
    spoken: SpokenInfo
    assumptions: list[str]
    exclusions: list[str]
    provenance: dict[str, Any]


class _Figures:
    """Formats the quote's figures, hiding the internal ones from the customer.

    padded (not folded) is the customer's view as nrecalc showed it before 0.4: the build lines
    at their amounts with the subtotal, the reserve and the contingency (its amount), every row
    and an amount of nothing as ¥0.00. No document is made so now; verify reads the amounts of
    an earlier version's customer documents against it.
    """

    def __init__(self, quote: Quote, internal: bool, folded: bool = True) -> None:
        self.quote = quote
        self.currency = quote.currency
        self.internal = internal
        self.padded = not internal and not folded

    @property
    def full(self) -> bool:
        """Tell whether every row and the padding are shown: internal, or padded."""
        return self.internal or self.padded

    def money(self, amount: Decimal) -> str:
        """Format an amount; for the customer nothing reads "no extra cost", never ¥0.00."""
        if not amount and not self.full:
            return say("price.free")
        return format_money(amount, self.currency)

    def spoken(self, amount: Decimal) -> str:
        """Format an amount for a sentence (in Chinese with 万元); nothing as money() says it."""
        if not amount and not self.full:
            return say("price.free")
        return spoken(amount, self.currency)

    def capital(self, amount: Decimal) -> str | None:
        """Return the amount in capital figures where the language writes them (CNY, Chinese)."""
        return capital(amount, self.currency)

    def rate(self, amount: Decimal) -> str:
        return format_rate(amount, self.currency)

    def internal_only(self, value: str) -> str | None:
        return value if self.internal else None


def content(
    quote: Quote, fmt: Format, audience: Audience, made: dict[str, Any], *, folded: bool = True
) -> Content:
    """Return what a document of the quote says, for the audience; made is its provenance.

    folded=False: the customer's view before 0.4 (_Figures), for verify only.
    """
    internal = audience is Audience.internal
    f = _Figures(quote, internal, folded)
    productize = quote.option("productize")
    return {
        "audience": audience.value,
        "internal": internal,
        "format": fmt.value,
        "quote": _quote_info(quote, f),
        "standard": _standard(quote.standard, f),
        "custom": _custom(quote.custom, f),
        "comparison": {
            "extra_cost": f.money(quote.extra_cost.copy_abs()),
            "custom_costs_more": quote.extra_cost >= 0,
            "rows": side_by_side(quote, internal),
        },
        "options": _options(quote, f),
        "lifetime": {
            "years": chart_years(quote.custom.term_years),
            "sentences": sentences(quote),
            "upgrades_pass_nre_after": quote.upgrades_pass_nre_after,
        },
        "productize": None
        if productize is None
        else {
            "share": percent(quote.productize_share or Decimal(0)),
            "release": count("count.week", productize.time_to_value.weeks),
        },
        "spoken": {
            "nre": f.spoken(quote.custom.nre),
            "per_upgrade_cost": f.spoken(quote.custom.per_upgrade_cost),
            "total": f.spoken(quote.custom.total),
            "discount": f.spoken(quote.custom.discount),
            "standard_total": f.spoken(quote.standard.total),
            "productize_total": None if productize is None else f.spoken(productize.total),
        },
        "assumptions": list(quote.assumptions),
        "exclusions": list(quote.exclusions),
        "provenance": made,
    }


def side_by_side(quote: Quote, internal: bool) -> list[Compared]:
    """Lay out the standard and the custom option side by side (the terminal's table too)."""
    f = _Figures(quote, internal)
    std, custom = quote.standard, quote.custom
    term = count("count.year", custom.term_years)
    upgrades = custom.upgrades_total
    return [
        Compared(say("column.option"), std.name, say("side.custom_build")),
        Compared(
            say("side.time_to_go_live"),
            count("count.day", std.integration_days),
            count("count.week", custom.lead_time_weeks),
        ),
        Compared(say("side.one_time"), f.money(std.net), f.money(custom.nre)),
        Compared(
            say("figure.cost_per_upgrade"),
            say("side.included"),
            say(
                "side.per_upgrade_price",
                price=f.money(custom.per_upgrade_cost),
                rise=rise(custom, internal),
            ),
        ),
        Compared(
            say("side.upgrades", term=term),
            say("side.upgrades_included", n=upgrades),
            say("side.upgrades_charged", n=upgrades),
        ),
        Compared(say("side.total", term=term), f.money(std.total), f.money(custom.total), True),
        Compared(say("side.risk"), say("party.supplier"), say("party.customer")),
    ]


def _quote_info(quote: Quote, f: _Figures) -> QuoteInfo:
    return {
        "id": quote.id,
        "customer": quote.customer,
        "title": quote.title,
        "language": quote.language,
        "html_lang": "en" if quote.language == "en" else "zh-CN",
        "date": date_text(quote.date),
        "date_assumed": quote.date_assumed,
        "valid_until": date_text(quote.valid_until),
        "validity_days": (quote.valid_until - quote.date).days,
        "currency": quote.currency,
        "symbol": symbol(quote.currency),
        "supplier": quote.supplier.name if quote.supplier else None,
        "supplier_details": _party(quote.supplier),
        "prepared_by": _party(quote.prepared_by),
        "rate_card": f.internal_only(f"{quote.rate_card_name} {quote.rate_card_version}"),
        "tax_rate": percent(quote.tax_rate),
        "fx": None if quote.fx is None else exchange(quote.fx),
        "fx_note": None if quote.fx is None else _fx_note(quote),
    }


def _fx_note(quote: Quote) -> str:
    assert quote.fx is not None
    rate = quote.fx
    return say("note.fx", currency=rate.to, base=rate.from_, rate=exchange(rate))


def _party(who: Supplier | Person | None) -> PartyInfo | None:
    if who is None:
        return None
    if isinstance(who, Supplier):
        address, tax_id, ways = who.address, who.tax_id, [who.contact, who.email, who.phone]
    else:
        address, tax_id, ways = None, None, [who.email, who.phone]
    reach = " · ".join(way for way in ways if way) or None
    return {"name": who.name, "address": address, "tax_id": tax_id, "reach": reach}


def _standard(std: StandardQuote, f: _Figures) -> StandardInfo:
    return {
        "name": std.name,
        "days": count("count.day", std.integration_days),
        "integration_days": std.integration_days,
        "fee": f.money(std.fee),
        "coaching_days": plain(std.coaching_days),
        "coaching_days_text": count("count.day", std.coaching_days),
        "coaching_per_day": f.rate(std.coaching_per_day),
        "coaching": f.money(std.coaching),
        "net": f.money(std.net),
        "tax": f.money(std.tax),
        "total": f.money(std.total),
        "free": not std.total,
        "charges": [
            name
            for name, amount in (("fee", std.fee), ("coaching", std.coaching), ("tax", std.tax))
            if amount or f.full
        ],
    }


def _effort(line: Line, internal: bool) -> str:
    spread = line.spread
    if spread is not None and not internal:  # the customer sees the effort at its mean
        weeks = count("count.week", quantity(spread.mean, 2))
        return say("effort.weeks", people=line.engineers, weeks=weeks)
    if spread is None:
        return say("effort.weeks", people=line.engineers, weeks=count("count.week", line.weeks))
    return say(
        "effort.range",
        people=line.engineers,
        low=plain(spread.low),
        high=plain(spread.high),
        mean=plain(quantity(spread.mean, 2)),
    )


def _range(spread: Spread | None, f: _Figures) -> RangeInfo | None:
    if spread is None:
        return None
    return {
        "low": plain(spread.low),
        "likely": plain(spread.likely),
        "high": plain(spread.high),
        "mean": plain(quantity(spread.mean, 2)),
        "sigma": f.money(spread.sigma_amount),
    }


def _lines(
    found: tuple[Line, ...], f: _Figures, prices: tuple[Decimal, ...] | None = None
) -> list[LineInfo]:
    """Lay out lines of effort; prices, when given, are what the customer sees instead."""
    shown = prices or tuple(line.amount for line in found)
    return [
        {
            "task": line.task,
            "role": line.role,
            "engineers": line.engineers,
            "weeks": plain(
                line.weeks if f.internal or line.spread is None else quantity(line.weeks, 2)
            ),
            "range": _range(line.spread, f) if f.internal else None,
            "effort": _effort(line, f.internal),
            "rate": f.internal_only(f.rate(line.rate)),
            "amount": f.money(amount),
        }
        for line, amount in zip(found, shown, strict=True)
    ]


def _custom(custom: CustomQuote, f: _Figures) -> CustomInfo:
    risk = custom.risk
    limit, review = custom.discount_approval_above, custom.review_nre_above
    # The customer sees each task at its all-in price: reserve and contingency folded in.
    prices = None if f.full else custom.all_in(f.currency)
    padding = f.internal_only if not f.padded else (lambda value: value)
    discounted = custom.discount_rate if f.full else custom.discount
    return {
        "lead_time": count("count.week", custom.lead_time_weeks),
        "lead_time_weeks": plain(custom.lead_time_weeks),
        "person_weeks": plain(quantity(custom.build_effort, 2)),
        "build": _lines(custom.build, f, prices),
        "build_subtotal": padding(f.money(custom.build_subtotal)),
        "ranges": bool(risk.lines) and f.full,
        "confidence": percent(risk.confidence),
        "reserve": padding(f.money(custom.reserve)),
        "reserve_applied": f.internal_only(risk.applied) if risk.lines else None,
        "reserve_row": _reserve_row(custom, f) if risk.lines and f.full else None,
        "contingency": padding(f.money(custom.contingency)),
        "contingency_rate": f.internal_only(percent(custom.contingency_rate)),
        "nre": f.money(custom.nre),
        "per_upgrade": _lines(custom.per_upgrade, f),
        "per_upgrade_cost": f.money(custom.per_upgrade_cost),
        "annual_escalation": f.internal_only(percent(custom.annual_escalation)),
        "escalates": bool(custom.annual_escalation),
        "rise": rise(custom, f.internal),
        "upgrades_per_year": custom.upgrades_per_year,
        "term_years": custom.term_years,
        "term": count("count.year", custom.term_years),
        "upgrades_total": custom.upgrades_total,
        "maintenance": [
            {
                "year": year.year,
                "upgrades": year.upgrades,
                "unit_price": f.money(year.unit_price),
                "amount": f.money(year.amount),
            }
            for year in custom.maintenance
        ],
        "maintenance_total": f.money(custom.maintenance_total),
        "charges_upgrades": bool(custom.maintenance_total) or f.full,
        "services": [
            {
                "name": service.name,
                "description": service.description,
                "years": [f.money(amount) for amount in service.years],
                "total": f.money(service.total),
            }
            for service in custom.services
        ],
        "services_total": f.money(custom.services_total),
        "subtotal": f.money(custom.subtotal),
        # a discount shows when it has a rate; for the customer when it takes something off
        "discount": f.money(custom.discount) if discounted else None,
        "discount_negative": f.money(custom.discount.copy_negate()),
        "discount_rate": percent(custom.discount_rate) if custom.discount_rate else None,
        "discount_needs_approval": custom.discount_approval_required if f.internal else None,
        "discount_limit": None if limit is None else f.internal_only(percent(limit)),
        "nre_needs_review": custom.review_required if f.internal else None,
        "review_limit": None if review is None else f.internal_only(card_amount(review, f.quote)),
        "net": f.money(custom.net),
        "tax": f.money(custom.tax),
        "has_tax": bool(custom.tax) or f.full,
        "total": f.money(custom.total),
        "total_capital": f.capital(custom.total),
        "one_time": f.money(custom.one_time),
        "payment": [
            {
                "milestone": milestone(f.quote, part.milestone),
                "share": percent(part.share),
                "amount": f.money(part.amount),
            }
            for part in custom.payment
        ],
        # for the customer no payment of nothing (a milestone of a free one-time part)
        "schedule": [_payment(row, custom, f) for row in custom.schedule if row.amount or f.full],
    }


def _reserve_row(custom: CustomQuote, f: _Figures) -> str:
    """Say what the ranged lines carry: the risk reserve, or contingency when that is more."""
    risk = custom.risk
    confidence = percent(risk.confidence)
    if risk.applied == "reserve" or f.padded:  # before 0.4 the customer read the reserve alone
        return say("row.reserve", confidence=confidence)
    rate = percent(custom.contingency_rate)
    return say("row.reserve_floor", rate=rate, confidence=confidence, reserve=f.money(risk.reserve))


def _payment(row: Payment, custom: CustomQuote, f: _Figures) -> ScheduleInfo:
    """Say what a payment is for and when it falls due."""
    if row.kind == "milestone":
        what = say("schedule.one_time", share=percent(row.share or Decimal(0)))
        due = milestone(f.quote, row.milestone or "")
    elif row.kind == "services":
        names = ", ".join(service.name for service in custom.services)
        what = say("schedule.services", year=row.year, services=names)
        due = say("schedule.in_advance", year=row.year)
    else:
        upgrades = count("count.upgrade", custom.upgrades_per_year)
        what = say("schedule.upgrades", year=row.year, upgrades=upgrades)
        due = say("schedule.as_delivered", year=row.year)
    return {
        "kind": row.kind,
        "what": what,
        "due": due,
        "amount": f.money(row.amount),
        "capital": f.capital(row.amount),
    }


def _options(quote: Quote, f: _Figures) -> list[OptionInfo]:
    return [
        {
            "key": option.key,
            "label": label(option.key),
            "description": describe(option, quote),
            "time_to_value": time_to_value(option.time_to_value),
            "one_time": f.money(option.one_time),
            "recurring": f.money(option.recurring_total),
            "total": f.money(option.total),
            "upgrade_risk": carrier(option.upgrade_risk),
            "carrier": carrier(option.upgrade_risk),  # its name before 0.2: templates may use it
            "cumulative": [f.money(year.cumulative) for year in option.years],
        }
        for option in quote.options
    ]
