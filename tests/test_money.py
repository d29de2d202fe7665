"""Money: the rounding rule, formatting, and the properties of the currency table.

nrecalc/currencies.py is generated from ISO 4217's list one (codes, minor units) and Babel's CLDR
(symbols) by `python tools/make_currencies.py`; the tests check what nrecalc relies on, not that
the table equals whatever iso4217 or Babel is installed.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from decimal import Decimal as D
from types import ModuleType

import pytest
from conftest import ROOT

from nrecalc import money
from nrecalc.currencies import TABLE


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_currencies", ROOT / "tools" / "make_currencies.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_currency_table_is_as_the_generator_writes_it() -> None:
    # No hand edits: the file is exactly what tools/make_currencies.py makes of its rows.
    text = (ROOT / "nrecalc" / "currencies.py").read_text(encoding="utf-8")
    assert generator().source(TABLE) == text


def test_every_row_is_an_iso_code_with_minor_units_and_a_one_line_symbol() -> None:
    assert len(TABLE) > 100  # the currencies in use, not a handful
    for code, (digits, sign) in TABLE.items():
        assert re.fullmatch(r"[A-Z]{3}", code), code
        assert digits in (0, 2, 3, 4), code  # ISO 4217 minor units of currencies in use
        assert sign and sign.strip() == sign, code
        # No control or format character (a narrow no-break space, as in "F\u202fCFA", is fine).
        assert not {unicodedata.category(c) for c in sign} & {"Cc", "Cf", "Zl", "Zp"}, code


# The currencies the docs and the golden files show (¥ in every example).
@pytest.mark.parametrize(
    ("code", "digits", "sign"),
    [("CNY", 2, "¥"), ("JPY", 0, "JP¥"), ("USD", 2, "US$"), ("EUR", 2, "€"), ("KWD", 3, "KWD")],
)
def test_currency_data(code: str, digits: int, sign: str) -> None:
    assert money.minor_units(code) == digits
    assert money.symbol(code) == sign
    assert money.is_currency(code)


# Minor units are ISO 4217's where CLDR's differ (CLDR gives IQD 0, RSD 0, ALL 0).
@pytest.mark.parametrize(
    ("code", "digits"),
    [("IQD", 3), ("BHD", 3), ("TND", 3), ("RSD", 2), ("ALL", 2), ("KRW", 0), ("CLP", 0)],
)
def test_minor_units_are_iso_4217s(code: str, digits: int) -> None:
    assert money.minor_units(code) == digits
    assert money.minor_unit(code) == D(1).scaleb(-digits)


# Not currencies: made up, lower case, withdrawn (DEM; BGN since the euro, 2026-01-01), offshore
# (CNH), fund codes (CLF), metals and test codes.
@pytest.mark.parametrize(
    "code", ["ABC", "cny", "DEM", "BGN", "CNH", "CLF", "XAU", "XDR", "XTS", "XXX"]
)
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
