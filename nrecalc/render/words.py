"""The catalog: every label and sentence nrecalc shows people, and the phrases built from them.

One entry per concept, one wording per entry, so that the terminal, the documents, the note, the
CSV and `--explain` say the same thing, and a translation (SPEC 6.1) has one file to fill in.
An entry is a text with named fields, `str.format` style ("Total over {term}, incl. tax"), or,
for a count, a pair of texts for one and for other counts ("{n} week", "{n} weeks"). Renderers
and templates ask for entries by key with `say` and `count`; they hold no label of their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from functools import cache
from typing import Union

from ..money import EXACT, format_money, percent, plain
from ..pricing import CustomQuote, Quote
from ..schedule import Option, TimeToValue

Entry = Union[str, tuple[str, str]]  # noqa: UP007 - an alias evaluated at run time on 3.10

EN: dict[str, Entry] = {
    # --- the options ---------------------------------------------------------------------------
    "option.standard": "Standard",
    "option.standard_coaching": "Standard + coaching",
    "option.productize": "Productize",
    "option.custom": "Custom",
    "option.describe.standard_coaching": "{name} + {days} of coaching",
    "option.describe.productize": (
        "in the standard platform's next release; you co-fund {share} of the NRE"
    ),
    "option.describe.custom": "built for you; upgrade charges for the term",
    # --- counts --------------------------------------------------------------------------------
    "count.day": ("{n} day", "{n} days"),
    "count.week": ("{n} week", "{n} weeks"),
    "count.year": ("{n} year", "{n} years"),
    "count.upgrade": ("{n} upgrade", "{n} upgrades"),
    "count.person_week": ("{n} person-week", "{n} person-weeks"),
    "count.platform_upgrade": ("{n} platform upgrade", "{n} platform upgrades"),
    "time.weeks_and_days": "{weeks} + {days}",
    # --- escalation ----------------------------------------------------------------------------
    "rise.internal": ", +{ratio}/yr",
    "rise.customer": ", rising yearly",
    # --- the buyer's sentences (SPEC 7's lifetime view) ---------------------------------------
    "compare.standard": "standard",
    "compare.standard_coaching": "standard + coaching",
    "sentence.custom_more": (
        "Custom costs {amount} more than {standard} over {years}, tax included."
    ),
    "sentence.custom_less": (
        "Custom costs {amount} less than {standard} over {years}, tax included."
    ),
    "sentence.custom_same": "Custom costs the same as {standard} over {years}, tax included.",
    "sentence.upgrades_pass_nre": (
        "Its upgrade charges alone pass the NRE of {nre} after {upgrades}."
    ),
    "sentence.productize_less": (
        "Productize costs {amount} less than custom over {years}, with no upgrade charges, "
        "and is live after {productize_time} instead of {custom_time}."
    ),
    "sentence.productize_same": (
        "Productize costs the same as custom over {years}, with no upgrade charges, "
        "and is live after {productize_time} instead of {custom_time}."
    ),
    "sentence.productize_more": (
        "Productize costs {amount} more than custom over {years}, with no upgrade charges, "
        "and is live after {productize_time} instead of {custom_time}."
    ),
    # --- the quote's figures by name, and their details (the terminal view, --explain, CSV) ----
    "figure.build": "Build",
    "figure.build_subtotal": "Build subtotal",
    "figure.reserve": "Estimate risk reserve",
    # SPEC 7: the ranged lines carry max(reserve, contingency x their mean); this is the second
    "figure.floor": "Contingency on the ranges",
    "figure.charge": "Ranged lines carry",
    "figure.contingency": "Contingency",
    "figure.nre": "NRE",
    "figure.per_upgrade": "Per upgrade",
    "figure.cost_per_upgrade": "Cost per platform upgrade",
    "figure.maintenance_total": "Upgrade charges, total",
    "figure.services_total": "Services total",
    "figure.subtotal": "Subtotal",
    "figure.discount": "Discount",
    "figure.net": "Net",
    "figure.tax": "Tax",
    "figure.total": "Total",
    "figure.onboarding_fee": "Onboarding fee",
    "figure.coaching": "Coaching",
    "figure.detailed": "{figure}, {detail}",  # Tax, 6% · Price per upgrade, year 2
    "figure.year": "Year {year}",  # a row of its own
    "figure.in_year": "year {year}",  # within a row
    "figure.confidence": "{level} confidence",
    "figure.weeks": "{weeks} wk",
    "figure.single_point": "single-point lines",  # what contingency is a share of, with ranges
    # --- the terminal view ---------------------------------------------------------------------
    "view.quote": "Quote {id}",
    "view.dates": "Date {date} · valid until {valid_until}",
    "view.rate_card": "Rate card {name} {version} ({path}) · {currency}",
    "view.amounts_in": "Amounts in {currency}",
    "view.column.item": "Item",
    "column.role": "Role",
    "view.column.derivation": "Derivation",
    "column.amount": "Amount",
    "column.option": "Option",
    "column.time_to_value": "Time to value",
    "column.one_time": "One-time",
    "column.total_incl_tax": "Total, incl. tax",
    "column.upgrade_risk": "Upgrade risk",
    "column.year": "Year",
    "view.column.to_date": "To date",
    "view.column.weeks": "Weeks low/likely/high",
    "view.column.mean": "Mean",
    "view.column.at_mean": "At mean",
    "view.engineers": "{engineers} eng",
    "view.per_week": "{rate}/wk",
    "view.breakdown": "Custom breakdown",
    "view.one_time": "one-time",
    "figure.ranges_at_mean": "ranges at their mean",
    "view.reserve": "P{level} − mean",
    "view.share_of": "{share} of {base}",
    "figure.base_build": "build",
    "view.base.subtotal": "subtotal",
    "view.base.net": "net",
    "view.on_every_upgrade": "on every platform upgrade",
    "view.year_one_price": "year-1 price",
    "figure.upgrade_charges": "Upgrade charges",
    "view.upgrades_per_year": ("{n} upgrade/yr{rise}", "{n} upgrades/yr{rise}"),
    "view.services": "Services",
    "view.per_year": "per year{rise}",
    "view.subtotal": "NRE + upgrade charges",
    "view.subtotal_services": "NRE + upgrade charges + services",
    "flag.figure": "{figure} (NEEDS APPROVAL)",
    "view.ladder": "Your options over {years}",
    "view.lifetime": "Cumulative cost, incl. tax",
    "view.ranges": "Effort ranges, priced at {confidence}",
    "view.ranges_mean": "Ranges at their mean (P50)",
    "view.z": "z {z} × σ",
    # which of the two the ranged lines carry (internal view): the larger, with the other beside
    "view.reserve_applies": "{level} ≥ {floor} ({share})",
    "view.floor_applies": "{share} > {reserve} ({level})",
    "view.ranges_priced": "Ranges as priced",
    "view.plus_reserve": "mean + reserve",
    "view.plus_floor": "mean + contingency",
    "flag.needs_approval": "Needs approval:",
    # --- --explain -----------------------------------------------------------------------------
    "explain.title": "How each figure is computed ({round}: half up to the minor unit)",
    "explain.column.figure": "Figure",
    "explain.column.formula": "Formula",
    "explain.round": "round",
    "explain.part": "{whole}: {part}",  # Build: Data-lake loader · Custom: year 2
    "explain.sum": ("sum of {n} figure above", "sum of {n} figures above"),
    "explain.sigma_total": "σ of the ranges",
    "explain.sigma_formula": "{round}(√(Σ σ²)), each σ unrounded: in quadrature",
    "explain.z_formula": "the standard normal quantile at {confidence}, 6 places",
    "symbol.sigma": "σ",  # a standard deviation
    "symbol.z": "z",  # the normal quantile of the confidence
    "explain.base.build_subtotal": "build subtotal",
    "column.unit_price": "Price per upgrade",
    "column.upgrades": "Upgrades",
    "explain.custom_total": "Custom total",
    "heading.payment": "Payment",
    "explain.one_time_part": "one-time part",
    # a share of a total, to the minor unit: each part rounded down, the units left over going
    # to the largest remainders (SPEC 6, payment schedule)
    "explain.apportioned": "{total} × {cost} ÷ {costs}, by largest remainder",
    "explain.milestone": "{share} × {amount} one-time part, by largest remainder",
    "explain.year_parts": "{parts}: the year's parts of the total",
    "explain.floor": "{whole} − {points} on the single-point lines",
    "explain.carry.reserve": "max({reserve} reserve, {floor} contingency): the reserve",
    "explain.carry.contingency": "max({reserve} reserve, {floor} contingency): the contingency",
    "explain.from_rate_card": "from the rate card",
    "explain.standard_total": "Standard total",
    "explain.custom_less_standard": "Custom less standard",
    "explain.options": "Options over the term",
    "explain.cofunding": "co-funding",
    "explain.of_nre": "{amount} NRE",
    "explain.total": "total",
    "explain.one_time": "{amount} one-time",
    "explain.recurring": "{amount} recurring",
    "explain.discount": "{amount} discount",
    "explain.tax": "{amount} tax",
    "explain.all_in_year_one": "the whole total; later years nothing",
    "explain.charges_after": "Upgrade charges after {upgrades}",
    "explain.charges_added": (
        "the price of upgrade {n}; more than the NRE {nre}",
        "the prices of upgrades 1 to {n} added up; more than the NRE {nre}",
    ),
    # --- CSV: the task cells that name a figure (headers, sections and units are codes) ------
    "csv.discount": "{rate} of the subtotal",
    "csv.cofunding": "Co-funding, {share} of the custom NRE",
    # --- documents: the head -------------------------------------------------------------------
    "document.title": "Quote {id}: {title}",
    "document.kicker": "Contract appendix · Quote {id}",
    # {page} and {pages} become the printer's page counters in the HTML's @page footer.
    "document.page_footer": "Quote {id} · page {page} of {pages}",
    "document.internal": "INTERNAL: not for the customer.",
    "document.internal_shows": "This view shows rates per role, ratios and approval flags.",
    "flag.discount_above_limit": "the {rate} discount is above the rate card's {limit} limit.",
    "fact.customer": "Customer",
    "fact.supplier": "Supplier",
    "fact.address": "Address",
    "fact.contact": "Contact",
    "fact.tax_id": "Tax ID",
    "fact.prepared_by": "Prepared by",
    "fact.date": "Date",
    "fact.date_assumed": "{date} (the day it was made: the estimate has no date)",
    "fact.valid_until": "Valid until",
    "fact.amounts_in": "Amounts in",
    "fact.rate_card": "Rate card",
    # --- documents: headings -------------------------------------------------------------------
    "heading.options": "Your options",
    "heading.side_by_side": "Standard and custom side by side",
    "heading.over_the_years": "Cost over the years",
    "heading.custom_work": "Custom work",
    "heading.one_time": "One-time work (NRE)",
    "heading.every_upgrade": "Every platform upgrade",
    "heading.upgrade_charges": "Upgrade charges: {upgrades} a year for {term}",
    "heading.services": "Services, per year",
    "heading.custom_price": "Price of the custom option",
    "heading.standard_option": "Standard option: {name}",
    "heading.assumptions": "Assumptions",
    "heading.exclusions": "Exclusions",
    "heading.terms": "Terms",
    "heading.acceptance": "Agreed and accepted",
    # --- documents: standard and custom side by side (the terminal's too) ------------------------
    "side.custom_build": "Custom build",
    "side.time_to_go_live": "Time to go live",
    "side.one_time": "One-time cost, excl. tax",
    "side.included": "included",
    "side.per_upgrade_price": "{price}{rise}",
    "side.upgrades": "Platform upgrades in {term}",
    "side.upgrades_included": "{n}, included",
    "side.upgrades_charged": "{n}, charged",
    "side.total": "Total over {term}, incl. tax",
    "side.risk": "Upgrade risk carried by",
    "party.supplier": "the supplier",
    "party.customer": "the customer",
    # --- documents: table columns --------------------------------------------------------------
    "column.recurring": "Recurring, {term}",
    "column.task": "Task",
    "column.effort": "People × weeks",
    "column.rate": "Rate per week",
    "column.service": "Service",
    # --- documents: table rows -----------------------------------------------------------------
    "row.reserve": "Estimate risk reserve, {confidence} confidence",
    "row.reserve_floor": (
        "Contingency on the ranged lines, {rate} of their mean (more than the {confidence} "
        "reserve of {reserve})"
    ),
    "column.payment_for": "Payment for",
    "column.due": "Due",
    "price.free": "no extra cost",
    # the default milestones (models.DEFAULT_PAYMENT), named in the document's language
    "milestone.signing": "Signing",
    "milestone.delivery": "Delivery",
    "milestone.acceptance": "Acceptance",
    "money.spoken": "{money} ({wan})",  # an amount in a sentence, with 万元 (Chinese only)
    "punct.colon": ":",
    "view.continued": "{title} (continued)",  # a table's columns moved below it
    "format.date": "{year:04d}-{month:02d}-{day:02d}",  # ISO 8601
    "column.capital": "In capital figures",
    "row.total_capital": "Total in capital figures",
    "schedule.one_time": "One-time work, {share}",
    "schedule.services": "Services, year {year}: {services}",
    "schedule.upgrades": "Upgrade charges, year {year} ({upgrades})",
    "schedule.in_advance": "In advance, at the start of year {year}",
    "schedule.as_delivered": "As the upgrades of year {year} are delivered",
    "row.contingency": "Contingency, {rate} of {base}",
    "row.per_upgrade_year_1": "Cost per upgrade, year 1",
    "row.upgrade_charges": "Upgrade charges, {term}",
    "row.service": "{name}, {term}",
    "row.discount": "Discount, {rate}",
    "row.tax": "Tax, {rate}",
    "row.coaching": "Coaching, {days} × {per_day}",
    "effort.weeks": "{people} × {weeks}",
    "effort.range": "{people} × {low} to {high} weeks (mean {mean})",
    "sign.for_customer": "For the customer",
    "sign.for_supplier": "For the supplier",
    "sign.company": "Company",
    "sign.name": "Name",
    "sign.title": "Title",
    "sign.signature": "Signature",
    # --- documents: the chart ------------------------------------------------------------------
    "chart.title": "Cumulative cost of each option, year by year, tax included",
    "chart.bar": "{option}, year {year}: {amount}",
    # --- documents: text and terms -------------------------------------------------------------
    "document.ranges": (
        "Effort given as a range (best, likely and worst case) is priced at its mean plus "
        "{reserve}: the larger of the estimate risk reserve at {confidence} confidence and the "
        "contingency on the ranged lines, so that a range never costs less than the same work "
        "written as one figure."
    ),
    "document.no_upgrade_work": "No compatibility work is charged on platform upgrades.",
    "document.invoicing": (
        "The custom option's one-time work is invoiced at its milestones, each year's upgrade "
        "charges as that year's upgrades are delivered, and services yearly in advance: no "
        "year is paid before it begins. Every other option is invoiced in full on signing."
    ),
    "document.none_stated": "None stated.",
    "term.validity.title": "Validity.",
    "term.validity": "This quote is valid until {date}, {days} from its date.",
    "term.upgrades.title": "Upgrade charges.",
    "term.upgrades": (
        "The custom total includes {upgrades} over {term} ({per_year} a year) at the price per "
        "upgrade of each year, as above. Each further upgrade is charged at the price per "
        "upgrade of its year."
    ),
    "term.risk.title": "Upgrade risk.",
    "term.risk": (
        "With the standard option the supplier carries the upgrade risk: platform upgrades are "
        "included at no charge. With the custom option the customer carries it: the "
        "compatibility work on every platform upgrade is charged as above."
    ),
    "term.productize.title": "Productize.",
    "term.productize": (
        "With this option the feature joins the standard platform in a release {release} from "
        "signing. The customer co-funds {share} of the custom NRE; platform upgrades are "
        "included at no charge and the supplier carries the upgrade risk."
    ),
    "term.tax.title": "Tax.",
    "term.tax": "Tax of {rate} is charged on the net amounts; the totals include it.",
    # --- documents: the provenance footer ------------------------------------------------------
    "provenance.checked_by": "Provenance, checked by",
    "provenance.reference": "Reference",
    "provenance.view.internal": "internal view",
    "provenance.estimate": "Estimate sha256",
    "provenance.rate_card": "Rate card sha256",
    "provenance.figures": "Figures fingerprint",
    # --- the note ------------------------------------------------------------------------------
    "note.subject": "Subject: {title}",
    "note.dear": "Dear {customer},",
    "note.thanks": (
        'Thank you for your request, "{title}". We can do it, and we would like you to see it '
        "next to our standard option before you choose."
    ),
    "note.custom_with_upgrades": (
        "The custom work takes {effort}, and you can go live in {lead_time}. It costs {nre} now "
        "(excluding tax) and {per_upgrade} on each platform upgrade{rise}, because every "
        "upgrade needs compatibility work. Over {term}, with {upgrades} a year, that is {total} "
        "in all, tax included{discount}."
    ),
    "note.custom": (
        "The custom work takes {effort}, and you can go live in {lead_time}. It costs {nre} "
        "(excluding tax); over {term} that is {total} in all, tax included{discount}."
    ),
    "note.after_discount": ", after a discount of {amount}",
    "note.standard": (
        "Our standard option, {name}, does the job without custom code: you can go live in "
        "{days} for {total}, tax included, and every platform upgrade is included: we carry the "
        "upgrade risk."
    ),
    "note.standard_free": (
        "Our standard option, {name}, does the job without custom code: you can go live in "
        "{days} at no extra cost, and every platform upgrade is included: we carry the upgrade "
        "risk."
    ),
    "note.productize": (
        "There is a middle way, too: we can build the feature into the standard platform, in a "
        "release {release} from now. You co-fund {share} of the custom work's one-time cost; the "
        "option costs {total} in all, tax included. After that there are no upgrade charges, "
        "and we carry the upgrade risk."
    ),
    "note.choice": (
        "The choice is yours, and we are glad to help with either. The attached quote {id} has "
        "the details; it is valid until {valid_until}."
    ),
    "note.regards": "Kind regards,",
}


class Words:
    """A catalog of entries in one language, asked by key, and how it writes dates and sums."""

    language = "en"

    def __init__(self, entries: Mapping[str, Entry]) -> None:
        self.entries = entries

    def date(self, day: dt.date) -> str:
        """Write a date as the catalog does (format.date): 2026-11-22, 2026年11月22日."""
        return self.say("format.date", year=day.year, month=day.month, day=day.day)

    def spoken(self, amount: Decimal, currency: str) -> str:
        """Write an amount for a sentence: ¥483,611.75."""
        return format_money(amount, currency)

    def capital(self, amount: Decimal, currency: str) -> str | None:
        """Return the amount in capital figures where the language writes them, else None."""
        return None

    def say(self, key: str, /, **fields: object) -> str:
        """Return the entry's text with its fields filled in."""
        entry = self.entries[key]
        if isinstance(entry, tuple):
            raise TypeError(f"{key} is a count: ask for it with count()")
        return entry.format(**fields) if fields else entry

    def count(self, key: str, n: int | Decimal | str, /, **fields: object) -> str:
        """Return a count's text for n (its one or other form), with n written plainly.

        n may be a number written as text ("1.5"), as the documents' figures are.
        """
        entry = self.entries[key]
        if not isinstance(entry, tuple):
            raise TypeError(f"{key} is not a count: ask for it with say()")
        one, other = entry
        number = Decimal(n)
        return (one if number == 1 else other).format(n=plain(number), **fields)


class Chinese(Words):
    """The zh-CN catalog: dates 2026年11月22日, 万元 in sentences, CNY in capital figures."""

    language = "zh-CN"

    def spoken(self, amount: Decimal, currency: str) -> str:
        """Write an amount for a sentence; CNY of 1 万 or more in 万元 too (money.spoken)."""
        money = format_money(amount, currency)
        if currency != "CNY" or amount.copy_abs() < 10000:
            return money
        from ..capital import wan_yuan

        return self.say("money.spoken", money=money, wan=wan_yuan(amount.copy_abs()))

    def capital(self, amount: Decimal, currency: str) -> str | None:
        """Return a CNY amount in capital figures (大写金额): 人民币肆拾捌万…元柒角伍分."""
        if currency != "CNY" or amount < 0:
            return None
        from ..capital import capital_figures

        return capital_figures(amount)


class Both(str):
    """A text in Chinese and English, Chinese first, for bilingual documents.

    It reads as both; as a field of another entry it fills the Chinese entry with its Chinese
    and the English entry with its English, so no language leaks into the other.
    """

    zh: str
    en: str

    def __new__(cls, zh: str, en: str, between: str = " / ") -> Both:
        both = super().__new__(cls, zh if zh == en else f"{zh}{between}{en}")
        both.zh, both.en = zh, en
        return both


def _in(language: str, fields: Mapping[str, object]) -> dict[str, object]:
    return {key: getattr(v, language) if isinstance(v, Both) else v for key, v in fields.items()}


class Bilingual(Words):
    """zh-CN+en: every entry in Chinese, then English; labels joined by " / ", sentences by " ".

    Punctuation entries (punct.*) are the English ones: "客户 / Customer:"; the page footer,
    which the HTML cuts at its page numbers, is the Chinese one.
    """

    language = "zh-CN+en"

    def __init__(self, zh: Words, en: Words) -> None:
        super().__init__(en.entries)
        self.zh, self.en = zh, en

    def say(self, key: str, /, **fields: object) -> str:
        if key.startswith("punct."):
            return self.en.say(key, **_in("en", fields))
        if key in _ONE_LANGUAGE:
            return self.zh.say(key, **_in("zh", fields))
        zh, en = self.zh.say(key, **_in("zh", fields)), self.en.say(key, **_in("en", fields))
        return Both(zh, en, " " if _sentence(self.en.entries[key]) else " / ")

    def count(self, key: str, n: int | Decimal | str, /, **fields: object) -> str:
        zh = self.zh.count(key, n, **_in("zh", fields))
        return Both(zh, self.en.count(key, n, **_in("en", fields)))

    def date(self, day: dt.date) -> str:
        return Both(self.zh.date(day), self.en.date(day))

    def spoken(self, amount: Decimal, currency: str) -> str:
        return Both(self.zh.spoken(amount, currency), self.en.spoken(amount, currency), " ")

    def capital(self, amount: Decimal, currency: str) -> str | None:
        return self.zh.capital(amount, currency)


_ONE_LANGUAGE = frozenset({"document.page_footer"})  # in Chinese alone in bilingual documents


def _sentence(entry: Entry) -> bool:
    """Tell whether an entry is a sentence (it ends in a full stop) rather than a label."""
    return isinstance(entry, str) and entry.endswith(".")


ENGLISH = Words(EN)
LANGUAGES = ("en", "zh-CN", "zh-CN+en")
WORDS: Words = ENGLISH  # the catalog in use: English unless a quote is spoken in another


@cache
def catalog(language: str) -> Words:
    """Return the catalog of a language; the Chinese one is loaded only when asked for."""
    if language == "en":
        return ENGLISH
    from .words_zh import ZH

    chinese = Chinese(ZH)
    return chinese if language == "zh-CN" else Bilingual(chinese, ENGLISH)


@contextmanager
def speaking(language: str) -> Iterator[Words]:
    """Use the catalog of a language while rendering, then the one in use before."""
    global WORDS
    before, WORDS = WORDS, catalog(language)
    try:
        yield WORDS
    finally:
        WORDS = before


def current() -> Words:
    """Return the catalog in use."""
    return WORDS


def date_text(day: dt.date) -> str:
    """Write a date as the catalog in use does: 2026-11-22, 2026年11月22日."""
    return WORDS.date(day)


def spoken(amount: Decimal, currency: str) -> str:
    """Write an amount for a sentence, as the catalog in use does (万元 in Chinese)."""
    return WORDS.spoken(amount, currency)


def capital(amount: Decimal, currency: str) -> str | None:
    """Return the amount in capital figures if the catalog in use writes them (CNY, Chinese)."""
    return WORDS.capital(amount, currency)


def say(key: str, /, **fields: object) -> str:
    """Return an entry of the catalog in use, its fields filled in."""
    return WORDS.say(key, **fields)


def count(key: str, n: int | Decimal | str, /, **fields: object) -> str:
    """Return a count of the catalog in use: count("count.week", 3) is "3 weeks"."""
    return WORDS.count(key, n, **fields)


def label(key: str) -> str:
    """Return an option's name: Standard, Standard + coaching, Productize, Custom."""
    return say(f"option.{key}")


def carrier(who: str) -> str:
    """Return who carries the upgrade risk: the supplier (vendor) or the customer."""
    return say("party.supplier" if who == "vendor" else "party.customer")


def time_to_value(time: TimeToValue) -> str:
    """Write a time to value: 3 days, 8.5 weeks, 12 weeks + 3 days."""
    if time.weeks and time.days:
        weeks, days = count("count.week", time.weeks), count("count.day", time.days)
        return say("time.weeks_and_days", weeks=weeks, days=days)
    if time.weeks:
        return count("count.week", time.weeks)
    return count("count.day", time.days)


def rise(custom: CustomQuote, internal: bool) -> str:
    """Say how a yearly price escalates; the customer is not told the ratio."""
    if not custom.annual_escalation:
        return ""
    if internal:
        return say("rise.internal", ratio=percent(custom.annual_escalation))
    return say("rise.customer")


def describe(option: Option, quote: Quote) -> str:
    """Say in a few words what an option is."""
    std = quote.standard
    if option.key == "standard":
        return std.name
    if option.key == "standard_coaching":
        days = count("count.day", std.coaching_days)
        return say("option.describe.standard_coaching", name=std.name, days=days)
    if option.key == "productize":
        share = percent(quote.productize_share or Decimal(0))
        return say("option.describe.productize", share=share)
    return say("option.describe.custom")


def sentences(quote: Quote) -> list[str]:
    """Return the plain sentences a buyer needs to choose (SPEC 7's lifetime view)."""
    cur = quote.currency
    custom = quote.custom
    years = count("count.year", custom.term_years)
    extra = quote.extra_cost
    # extra_cost is SPEC 4.1's: against the standard option with any coaching days.
    standard = say(
        "compare.standard_coaching" if quote.standard.coaching_days else "compare.standard"
    )
    found = [
        say(
            "sentence.custom_more"
            if extra > 0
            else "sentence.custom_less"
            if extra < 0
            else "sentence.custom_same",
            amount=spoken(extra.copy_abs(), cur),
            standard=standard,
            years=years,
        )
    ]
    after = quote.upgrades_pass_nre_after
    if after is not None and custom.nre:  # passing an NRE of nothing says nothing
        nre = spoken(custom.nre, cur)
        found.append(
            say("sentence.upgrades_pass_nre", nre=nre, upgrades=count("count.upgrade", after))
        )
    productize = quote.option("productize")
    if productize is not None:
        saved = EXACT.subtract(custom.total, productize.total)
        found.append(
            say(
                "sentence.productize_less"
                if saved > 0
                else "sentence.productize_more"
                if saved < 0
                else "sentence.productize_same",
                amount=spoken(saved.copy_abs(), cur),
                years=years,
                productize_time=time_to_value(productize.time_to_value),
                custom_time=time_to_value(TimeToValue(custom.lead_time_weeks, 0)),
            )
        )
    return found
