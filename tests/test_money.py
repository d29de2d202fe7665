"""Money: the rounding rule, formatting, and the currency table against Babel (CLDR)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from nrecalc import money

# ISO 4217 codes that are legal tender somewhere (CLDR's territory data): not the historic
# (DEM), offshore (CNH), metal, fund or test (XAU, XTS, XXX) codes that Babel also lists.
AS_OF = date(2026, 1, 1)


def babel_table() -> dict[str, list[int | str]]:
    from babel.core import get_global
    from babel.numbers import get_currency_precision, get_currency_symbol, get_territory_currencies

    codes: set[str] = set()
    for territory in get_global("territory_currencies"):
        codes.update(get_territory_currencies(territory, start_date=AS_OF, tender=True))
    return {
        code: [get_currency_precision(code), get_currency_symbol(code, money.SYMBOL_LOCALE)]
        for code in sorted(codes)
    }


TABLE_SOURCE = Path(money.__file__).with_name("currencies.py")
TABLE_HEADER = '''"""ISO 4217 currencies in use, from Babel (CLDR): code -> (minor units, symbol).

Generated: `pytest tests/test_money.py --update-golden` rewrites it from Babel.
"""

TABLE: dict[str, tuple[int, str]] = {
'''


def test_currency_table_matches_babel(update_golden: bool) -> None:
    expected = babel_table()
    if update_golden:
        rows = "".join(
            f"    {json.dumps(code)}: ({digits}, {json.dumps(sign, ensure_ascii=False)}),\n"
            for code, (digits, sign) in expected.items()
        )
        TABLE_SOURCE.write_text(TABLE_HEADER + rows + "}\n", encoding="utf-8")
    from nrecalc.currencies import TABLE

    assert {code: list(row) for code, row in TABLE.items()} == expected


@pytest.mark.parametrize(
    ("code", "digits", "sign"),
    [("CNY", 2, "¥"), ("JPY", 0, "JP¥"), ("USD", 2, "US$"), ("EUR", 2, "€"), ("KWD", 3, "KWD")],
)
def test_currency_data(code: str, digits: int, sign: str) -> None:
    assert money.minor_units(code) == digits
    assert money.symbol(code) == sign
    assert money.is_currency(code)


@pytest.mark.parametrize("code", ["ABC", "cny", "DEM", "CNH", "XAU", "XTS", "XXX"])
def test_not_currencies(code: str) -> None:
    assert not money.is_currency(code)


@pytest.mark.parametrize(
    ("amount", "code", "rounded"),
    [
        ("0.005", "CNY", "0.01"),
        ("0.0049999", "CNY", "0.00"),
        ("-0.005", "CNY", "-0.01"),  # half away from zero
        ("2.5", "JPY", "3"),
        ("1.0005", "KWD", "1.001"),
        ("12345678901234567890.125", "CNY", "12345678901234567890.13"),
    ],
)
def test_round_half_up(amount: str, code: str, rounded: str) -> None:
    assert str(money.round_money(D(amount), code)) == rounded


def test_formatting() -> None:
    assert money.format_money(D("165000"), "CNY") == "¥165,000.00"
    assert money.format_money(D("-24012.5"), "CNY") == "-¥24,012.50"
    assert money.format_money(D("2000001"), "JPY") == "JP¥2,000,001"
    assert money.format_rate(D("1.005"), "CNY") == "¥1.005"
    assert money.format_rate(D("25000"), "CNY") == "¥25,000.00"
    assert money.rate_text(D("1.005"), "CNY") == "1.005"
    assert money.rate_text(D("25000"), "CNY") == "25000.00"
    assert money.money_text(D("1E+3"), "CNY") == "1000.00"
    assert money.plain(D("1E+3")) == "1000"
    assert money.plain(D("0.50")) == "0.5"
    assert money.percent(D("0.125")) == "12.5%"
