"""The catalog: every label and sentence nrecalc shows people, and the phrases built from them.

One entry per concept, one wording per entry, so that the terminal, the documents, the note, the
CSV and `--explain` say the same thing, and a translation (SPEC 6.1) has one file to fill in.
An entry is a text with named fields, `str.format` style ("Total over {term}, incl. tax"), or,
for a count, a pair of texts for one and for other counts ("{n} week", "{n} weeks"). Renderers
and templates ask for entries by key with `say` and `count`; they hold no label of their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from functools import cache
from typing import Union

from ..fx import unconverted
from ..models import FxRate
from ..money import EXACT, format_money, format_rate, fx_rate_text, percent, plain
from ..pricing import CustomQuote, Quote
from ..schedule import Option, TimeToValue
from .words_en import EN as EN  # re-exported: the catalog's English

Entry = Union[str, tuple[str, str]]  # noqa: UP007 - an alias evaluated at run time on 3.10


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
        from ..capital import wan

        number, rounded = wan(amount.copy_abs())
        in_wan = self.say("money.wan_about" if rounded else "money.wan", n=number)
        return self.say("money.spoken", money=money, wan=in_wan)

    def capital(self, amount: Decimal, currency: str) -> str | None:
        """Return a CNY amount in capital figures (大写金额): 人民币肆拾捌万…元柒角伍分.

        None for an amount capital figures cannot write: negative, or 10**20 and above (亿亿
        reads no further; the limits of SPEC 2 let a quote reach about 10**24).
        """
        if currency != "CNY" or amount < 0:
            return None
        from ..capital import LIMIT, capital_figures

        return capital_figures(amount) if amount < LIMIT else None


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
    which the HTML cuts at its page numbers, is the Chinese one; an exchange rate is written
    once, as figures both read: 1 CNY = 0.140500 USD (2026-11-20, PBOC).
    """

    language = "zh-CN+en"

    def __init__(self, zh: Words, en: Words) -> None:
        super().__init__(en.entries)
        self.zh, self.en = zh, en

    def say(self, key: str, /, **fields: object) -> str:
        if key.startswith("punct.") or key in _AS_FIGURES:
            return self.en.say(key, **_in("en", fields))
        if key in _ONE_LANGUAGE:
            return self.zh.say(key, **_in("zh", fields))
        zh, en = self.zh.say(key, **_in("zh", fields)), self.en.say(key, **_in("en", fields))
        sentence = _sentence(self.en.entries[key]) and not key.endswith(".title")
        return Both(zh, en, " " if sentence else " / ")

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
_AS_FIGURES = frozenset({"fx.rate"})  # codes, figures and an ISO date: once, in either language


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


def exchange(rate: FxRate) -> str:
    """Write the rate a quote converts with: 1 CNY = 0.140500 USD (2026-11-20, PBOC)."""
    return say(
        "fx.rate",
        base=rate.from_,
        rate=fx_rate_text(rate.rate),
        currency=rate.to,
        date=date_text(rate.date),
        source=rate.source,
    )


def conversions(quotes: Iterable[tuple[str, FxRate | None]]) -> list[str]:
    """Name each rate that converted a card's prices, and the quotes (by id) it converted.

    Q-2026-0044, Q-2026-0045: converted at 1 CNY = 0.140500 USD (2026-11-20, PBOC): every
    summary of many quotes names them so (SPEC 8.4), a rate once, in the order first used.
    """
    used: dict[FxRate, list[str]] = {}
    for quote_id, rate in quotes:
        if rate is not None:
            used.setdefault(rate, []).append(quote_id)
    return [say("batch.fx", ids=", ".join(ids), rate=exchange(rate)) for rate, ids in used.items()]


def card_amount(amount: Decimal, quote: Quote) -> str:
    """Write an amount the rate card gives, as written: in a converted quote, the card's too.

    US$14,050.00 (¥100,000.00) for a review threshold of ¥100,000.00 at 0.1405: the card said
    the second, the quote compares with the first.
    """
    shown = format_rate(amount, quote.currency)
    if quote.fx is None:
        return shown
    written = unconverted(amount, quote.fx)
    return say("fx.card_amount", amount=shown, card=format_rate(written, quote.fx.from_))


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


# models.DEFAULT_PAYMENT's names, and their entries in the catalog
_DEFAULT_MILESTONES = {
    "Signing": "milestone.signing",
    "Delivery": "milestone.delivery",
    "Acceptance": "milestone.acceptance",
}


def milestone(quote: Quote, name: str) -> str:
    """Name a milestone: the default ones in the document's language, the estimate's as written."""
    key = _DEFAULT_MILESTONES.get(name) if quote.default_milestones else None
    return say(key) if key else name


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
