"""--format csv: one row per priced line, for spreadsheets (SPEC 7).

Each option's rows add up to its total, tax included. The file is UTF-8 with a byte-order
mark and CRLF line ends (RFC 4180), so that Excel reads Chinese text and LibreOffice and
Google Sheets read it as they always do. Amounts are plain decimals (165000.00), which every
spreadsheet reads as numbers; text that a spreadsheet would run as a formula is quoted.

What is a word and what is a code: the header row, the `section` column and the `unit` column
are codes, a fixed vocabulary (docs/json.md) that formulas and scripts filter on, so they stay
English in every language (SPEC 6.1: "CSV headers ... stay English") and are not in the catalog.
The `option` column and the task cells that name a figure ("Tax, 6%") are labels a person reads:
they come from the catalog, like the table's. Tasks, roles and services stay as the files write
them.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from ..escape import csv_cell
from ..money import EXACT, fx_rate_text, money_text, percent, plain, quantity, rate_text
from ..pricing import Line, Quote
from ..schedule import Option
from .words import exchange, label, say

# A machine interface, not words: the columns' names stay English in every language.
HEADERS = (
    "option",
    "section",
    "task",
    "role",
    "engineers",
    "weeks",
    "quantity",
    "unit",
    "rate",
    "amount",
    "year",
    "currency",
)
Row = tuple[str, ...]


class _Rows:
    """The rows of one option of a quote, made in its currency, for the internal view or not."""

    def __init__(self, quote: Quote, option: Option, internal: bool) -> None:
        self.quote = quote
        self.option = option
        self.internal = internal
        self.found: list[Row] = []

    def add(
        self,
        section: str,
        task: str,
        amount: Decimal,
        *,
        year: int | None = 1,
        role: str = "",
        engineers: int | None = None,
        weeks: Decimal | None = None,
        quantity: Decimal | None = None,
        unit: str = "",
        rate: Decimal | None = None,
    ) -> None:
        """Add a row; section and unit are codes, task and role are text."""
        cur = self.quote.currency
        self.found.append(
            (
                label(self.option.key),
                section,
                csv_cell(task),
                csv_cell(role),
                "" if engineers is None else str(engineers),
                "" if weeks is None else plain(weeks),
                "" if quantity is None else plain(quantity),
                unit,
                "" if rate is None else rate_text(rate, cur),
                money_text(amount, cur),
                "" if year is None else str(year),
                cur,
            )
        )

    def effort(self, section: str, line: Line, amount: Decimal | None = None) -> None:
        """Add an effort line: engineers × weeks person-weeks at the role's rate.

        For the customer a range's weeks are its mean to 2 places, and amount is the line's
        all-in price.
        """
        weeks = line.weeks if self.internal or line.spread is None else quantity(line.weeks, 2)
        self.add(
            section,
            line.task,
            line.amount if amount is None else amount,
            role=line.role,
            engineers=line.engineers,
            weeks=weeks,
            quantity=line.engineers * weeks,
            unit="person-week",
            rate=line.rate,
        )


def rows(quote: Quote, internal: bool = True) -> list[Row]:
    """Return the priced lines of every option; each option's amounts add up to its total.

    The customer's rows leave out what carries nothing, so an option that costs nothing has
    no row (SPEC 6: rows that carry nothing are left out).
    """
    found: list[Row] = []
    amount = HEADERS.index("amount")
    for option in quote.options:
        made = _Rows(quote, option, internal)
        if option.key == "custom":
            _custom(made)
        else:
            _one_time(made)
        _closing(made)
        mine = made.found
        if not internal:
            mine = [row for row in mine if Decimal(row[amount])]
        found.extend(mine)
    return _exchange(quote) + found


def _exchange(quote: Quote) -> list[Row]:
    """Return the row naming the rate that converted the card's prices, if one did (SPEC 8.4).

    It carries no amount, so that each option's rows still add up to its total.
    """
    rate = quote.fx
    if rate is None:
        return []
    text = csv_cell(exchange(rate))
    return [("", "fx", text, "", "", "", "", "rate", fx_rate_text(rate.rate), "", "", rate.to)]


def _one_time(made: _Rows) -> None:
    """Add the one-time rows of a standard-platform option: fee, coaching, co-funding."""
    quote, key = made.quote, made.option.key
    std = quote.standard
    fee = say("figure.onboarding_fee")
    made.add("one-time", fee, std.fee, quantity=Decimal(1), unit="fee", rate=std.fee)
    if key == "standard_coaching":
        made.add(
            "one-time",
            say("figure.coaching"),
            std.coaching,
            quantity=std.coaching_days,
            unit="day",
            rate=std.coaching_per_day,
        )
    if key == "productize":
        share = percent(quote.productize_share or Decimal(0))
        cofunding = EXACT.subtract(made.option.one_time, std.fee)
        made.add("one-time", say("csv.cofunding", share=share), cofunding)


def _custom(made: _Rows) -> None:
    """Add the custom option's rows: build, reserve, contingency, upgrades, services.

    The customer's build lines are all-in prices, with no reserve or contingency rows.
    """
    custom = made.quote.custom
    if not made.internal:  # all-in prices: reserve and contingency folded in
        prices = custom.all_in(made.quote.currency)
        for line, price in zip(custom.build, prices, strict=True):
            made.effort("build", line, price)
    else:
        for line in custom.build:
            made.effort("build", line)
        if custom.reserve:  # what the ranged lines carry: the reserve, or contingency if more
            made.add("build", _charge(made), custom.reserve)
        made.add("build", say("figure.contingency"), custom.contingency)
    for year in custom.maintenance:
        made.add(
            "upgrades",
            say("figure.upgrade_charges"),
            year.amount,
            year=year.year,
            quantity=Decimal(year.upgrades),
            unit="upgrade",
            rate=year.unit_price,
        )
    for service in custom.services:
        for number, amount in enumerate(service.years, start=1):
            made.add(
                "services",
                service.name,
                amount,
                year=number,
                quantity=Decimal(1),
                unit="year",
                rate=amount,
            )


def _charge(made: _Rows) -> str:
    """Name what the ranged lines carry: the reserve at its confidence, or the contingency."""
    custom = made.quote.custom
    if custom.risk.applied == "reserve":
        level = say("figure.confidence", level=percent(custom.risk.confidence))
        return _detailed(say("figure.reserve"), level)
    return _detailed(say("figure.floor"), percent(custom.contingency_rate))


def _closing(made: _Rows) -> None:
    """Add the option's discount, if any, and its tax: rows that span the term."""
    quote, option = made.quote, made.option
    if option.discount:
        share = say("csv.discount", rate=percent(quote.custom.discount_rate))
        made.add(
            "discount",
            _detailed(say("figure.discount"), share),
            option.discount.copy_negate(),
            year=None,
        )
    tax = _detailed(say("figure.tax"), percent(quote.tax_rate))
    made.add("tax", tax, option.tax, year=None)


def _detailed(figure: str, detail: str) -> str:
    """Name a figure with a detail: Tax, 6%."""
    return say("figure.detailed", figure=figure, detail=detail)


def render(quote: Quote, internal: bool = True) -> str:
    """Render the rows as CSV text: a byte-order mark, a header row, CRLF line ends.

    The customer's file has no rate column (SPEC 6, audience).
    """
    keep = [i for i, name in enumerate(HEADERS) if internal or name != "rate"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([HEADERS[i] for i in keep])
    writer.writerows([row[i] for i in keep] for row in rows(quote, internal))
    return "\ufeff" + out.getvalue()
