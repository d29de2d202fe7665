"""The words the renderers share: option names, times, plurals and the buyer's sentences.

One place for user-facing phrases, so that the terminal, the documents and the CSV say the
same thing (and so that SPEC 8's zh-CN catalog has one file to translate).
"""

from __future__ import annotations

from decimal import Decimal

from ..money import format_money, percent, plain
from ..pricing import CustomQuote, Option, Quote, TimeToValue

LABELS = {
    "standard": "Standard",
    "standard_coaching": "Standard + coaching",
    "productize": "Productize",
    "custom": "Custom",
}
CARRIER = {"vendor": "vendor (us)", "customer": "customer"}


def plural(count: int | Decimal, word: str) -> str:
    """Write a count with its word: 1 day, 3 weeks, 0.5 weeks."""
    return f"{plain(Decimal(count))} {word}{'' if count == 1 else 's'}"


def time_to_value(time: TimeToValue) -> str:
    """Write a time to value: 3 days, 8.5 weeks, 12 weeks + 3 days."""
    parts = []
    if time.weeks:
        parts.append(plural(time.weeks, "week"))
    if time.days or not parts:
        parts.append(plural(time.days, "day"))
    return " + ".join(parts)


def rise(custom: CustomQuote, internal: bool) -> str:
    """Say how a yearly price escalates; the customer is not told the ratio."""
    if not custom.annual_escalation:
        return ""
    return f", +{percent(custom.annual_escalation)}/yr" if internal else ", rising yearly"


def describe(option: Option, quote: Quote) -> str:
    """Say in a few words what an option is."""
    std = quote.standard
    if option.key == "standard":
        return std.name
    if option.key == "standard_coaching":
        return f"{std.name} + {plural(std.coaching_days, 'day')} of coaching"
    if option.key == "productize":
        share = percent(quote.productize_share or Decimal(0))
        return f"in the standard platform's next release; you co-fund {share} of the NRE"
    return "built for you; upgrade charges for the term"


def sentences(quote: Quote) -> list[str]:
    """Return the plain sentences a buyer needs to choose (SPEC 7's lifetime view)."""
    cur = quote.currency
    custom = quote.custom
    years = plural(custom.term_years, "year")
    extra = quote.extra_cost
    more = "more" if extra >= 0 else "less"
    # extra_cost is SPEC 4.1's: against the standard option with any coaching days.
    standard = "standard + coaching" if quote.standard.coaching_days else "standard"
    found = [
        f"Custom costs {format_money(extra.copy_abs(), cur)} {more} than {standard} over "
        f"{years}, tax included."
    ]
    after = quote.upgrades_pass_nre_after
    if after is not None:
        found.append(
            f"Its upgrade charges alone pass the NRE of {format_money(custom.nre, cur)} "
            f"after {plural(after, 'upgrade')}."
        )
    productize = quote.option("productize")
    if productize is not None:
        saved = custom.total - productize.total
        custom_time = time_to_value(TimeToValue(custom.lead_time_weeks, 0))
        found.append(
            f"Productize costs {format_money(saved.copy_abs(), cur)} "
            f"{'less' if saved >= 0 else 'more'} than custom over {years}, with no upgrade "
            f"charges, and is live after {time_to_value(productize.time_to_value)} instead of "
            f"{custom_time}."
        )
    return found
