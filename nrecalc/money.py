"""Exact money: Decimal contexts, the one rounding rule, currency data, formatting."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import (
    ROUND_FLOOR,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)

# Arithmetic runs in EXACT: with the input limits (money < 10**15, 6 decimals, quantities
# <= 10,000, ratios of 6 decimals, terms <= 50 years) no result needs more than a few hundred
# digits, and the Inexact trap turns any lost digit into a loud failure instead of a wrong quote.
EXACT = Context(
    prec=2000,
    rounding=ROUND_HALF_UP,
    traps=[InvalidOperation, DivisionByZero, Overflow, Inexact],
)
# The one rounding rule: half away from zero, to the currency's minor unit.
_ROUNDING = Context(prec=2000, rounding=ROUND_HALF_UP, traps=[InvalidOperation, Overflow])

# ISO 4217 codes and minor units come from ISO's list one, symbols from Babel (CLDR), through
# currencies.py, which tools/make_currencies.py writes and tests/test_money.py checks: importing
# that table costs a fraction of a millisecond, importing Babel and its locale data about ten.
# Symbols are as a zh-CN reader writes them (CNY ¥, USD US$, JPY JP¥, EUR €): nrecalc's quotes
# are written from a Chinese vendor's point of view.
SYMBOL_LOCALE = "zh_Hans_CN"


def currencies() -> dict[str, tuple[int, str]]:
    """Return {ISO 4217 code: (minor units, symbol)} for every currency CLDR knows."""
    from .currencies import TABLE

    return TABLE


def minor_units(currency: str) -> int:
    """Return the number of decimals of the currency (CNY 2, JPY 0), per ISO 4217."""
    return currencies()[currency][0]


def symbol(currency: str) -> str:
    """Return the currency's symbol (¥ for CNY)."""
    return currencies()[currency][1]


def is_currency(code: str) -> bool:
    """Tell whether code is an ISO 4217 currency code."""
    return code in currencies()


def minor_unit(currency: str) -> Decimal:
    """Return the currency's smallest amount: 0.01 for CNY, 1 for JPY."""
    return Decimal(1).scaleb(-minor_units(currency))


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round to the currency's minor unit, half away from zero."""
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP, context=_ROUNDING)


def round_quotient(numerator: Decimal, denominator: Decimal | int, currency: str) -> Decimal:
    """Round numerator / denominator to the currency's minor unit, half away from zero.

    The quotient is taken to 2000 digits first. With nrecalc's input limits a quotient that is
    not exactly on a half is more than 10**-100 away from one, so those digits decide it.
    """
    return round_money(_ROUNDING.divide(numerator, Decimal(denominator)), currency)


def exact_sum(values: Iterable[Decimal]) -> Decimal:
    """Add amounts up exactly (in EXACT, whatever the context in use), as every view must."""
    found = Decimal(0)
    for value in values:
        found = EXACT.add(found, value)
    return found


def quantity_quotient(numerator: Decimal, denominator: Decimal | int, places: int = 6) -> Decimal:
    """Round numerator / denominator to places, half away from zero, once (see round_quotient)."""
    return quantity(_ROUNDING.divide(numerator, Decimal(denominator)), places)


def quantity(value: Decimal, places: int = 6) -> Decimal:
    """Round a quantity (weeks, a z-score) for showing, half away from zero."""
    return value.quantize(Decimal(1).scaleb(-places), context=_ROUNDING)


def decimals(value: Decimal) -> int:
    """Return how many decimal places value is written with (0 for 1E+3)."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int), "only finite numbers reach here"
    return max(0, -exponent)


def plain(value: Decimal) -> str:
    """Write a quantity without exponent or trailing zeros: 3, 0.5, 1000."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def rate_text(rate: Decimal, currency: str) -> str:
    """Write a rate exactly, with at least the currency's minor units: 25000.00, 1.005."""
    places = max(minor_units(currency), decimals(value=rate.normalize(_ROUNDING)))
    return format(rate.quantize(Decimal(1).scaleb(-places), context=_ROUNDING), "f")


FX_PLACES = 6  # an exchange rate shows at least this many decimals: 1 CNY = 0.140500 USD


def fx_rate_text(rate: Decimal) -> str:
    """Write an exchange rate exactly, with at least six decimals: 0.140500, 21.000000."""
    places = max(FX_PLACES, decimals(rate.normalize(_ROUNDING)))
    return format(rate.quantize(Decimal(1).scaleb(-places), context=_ROUNDING), "f")


def money_text(amount: Decimal, currency: str) -> str:
    """Write an amount for JSON: the currency's exact minor units, no symbol: 165000.00."""
    return format(round_money(amount, currency), "f")


def format_money(amount: Decimal, currency: str, places: int | None = None) -> str:
    """Format for people: symbol, thousands separators, minor units: ¥165,000.00."""
    if places is None:
        places = minor_units(currency)
    value = amount.quantize(Decimal(1).scaleb(-places), context=_ROUNDING)
    sign = "-" if value < 0 else ""
    return f"{sign}{symbol(currency)}{value.copy_abs():,.{places}f}"


def format_rate(rate: Decimal, currency: str) -> str:
    """Format a rate for people, keeping any extra decimals it has: ¥25,000.00, ¥1.005."""
    places = max(minor_units(currency), decimals(rate.normalize(_ROUNDING)))
    return format_money(rate, currency, places)


def percent(ratio: Decimal) -> str:
    """Write a ratio as a percentage: 0.05 -> 5%, 0.125 -> 12.5%."""
    return plain(ratio.scaleb(2)) + "%"


def apportion(total: Decimal, weights: Sequence[Decimal], currency: str) -> list[Decimal]:
    """Split total in proportion to weights by largest remainder: the parts add up to it exactly.

    Each part first gets its exact proportion rounded down to the minor unit; the units left
    over go one each to the parts with the largest remainders (the earlier part on a tie). Every
    part is then within one minor unit of its proportion. Weights that are all zero split the
    total equally. Weights are never negative; a negative total is split as its opposite.
    """
    whole = exact_sum(weights)
    if not total or not weights:
        return [Decimal(0)] * len(weights)
    if not whole:  # nothing to weigh by: equal parts
        return apportion(total, [Decimal(1)] * len(weights), currency)
    if total < 0:
        return [-part for part in apportion(-total, weights, currency)]
    unit = minor_unit(currency)
    exact = [_ROUNDING.divide(EXACT.multiply(total, weight), whole) for weight in weights]
    parts = [share.quantize(unit, rounding=ROUND_FLOOR, context=_ROUNDING) for share in exact]
    left = int(EXACT.divide(EXACT.subtract(total, exact_sum(parts)), unit))
    largest = sorted(range(len(parts)), key=lambda i: (EXACT.subtract(parts[i], exact[i]), i))
    for i in largest[:left]:
        parts[i] = EXACT.add(parts[i], unit)
    return parts
