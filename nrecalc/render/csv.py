"""--format csv: one row per priced line, for spreadsheets (SPEC 7).

Each option's rows add up to its total, tax included. The file is UTF-8 with a byte-order
mark and CRLF line ends (RFC 4180), so that Excel reads Chinese text and LibreOffice and
Google Sheets read it as they always do. Amounts are plain decimals (165000.00), which every
spreadsheet reads as numbers; text that a spreadsheet would run as a formula is quoted.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from ..escape import csv_cell
from ..money import money_text, percent, plain, rate_text
from ..pricing import Line, Option, Quote
from .words import label

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
)
Row = tuple[str, ...]


def rows(quote: Quote) -> list[Row]:
    """Return the priced lines of every option; each option's amounts add up to its total."""
    cur = quote.currency
    custom, std = quote.custom, quote.standard

    def row(
        option: str,
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
    ) -> Row:
        return (
            label(option),
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
        )

    def effort(option: str, section: str, line: Line, year: int | None = 1) -> Row:
        return row(
            option,
            section,
            line.task,
            line.amount,
            year=year,
            role=line.role,
            engineers=line.engineers,
            weeks=line.weeks,
            quantity=line.engineers * line.weeks,
            unit="person-week",
            rate=line.rate,
        )

    def closing(option: Option) -> list[Row]:
        found = []
        if option.discount:
            found.append(
                row(
                    option.key,
                    "discount",
                    f"Discount, {percent(custom.discount_rate)} of the subtotal",
                    option.discount.copy_negate(),
                    year=None,
                )
            )
        found.append(
            row(option.key, "tax", f"Tax, {percent(quote.tax_rate)}", option.tax, year=None)
        )
        return found

    found: list[Row] = []
    for option in quote.options:
        key = option.key
        if key in ("standard", "standard_coaching", "productize"):
            found.append(
                row(
                    key,
                    "one-time",
                    "Onboarding fee",
                    std.fee,
                    quantity=Decimal(1),
                    unit="fee",
                    rate=std.fee,
                )
            )
        if key == "standard_coaching":
            found.append(
                row(
                    key,
                    "one-time",
                    "Coaching",
                    std.coaching,
                    quantity=std.coaching_days,
                    unit="day",
                    rate=std.coaching_per_day,
                )
            )
        if key == "productize":
            share = percent(quote.productize_share or Decimal(0))
            found.append(
                row(
                    key,
                    "one-time",
                    f"Co-funding, {share} of the custom NRE",
                    option.one_time - std.fee,
                )
            )
        if key == "custom":
            found.extend(effort(key, "build", line) for line in custom.build)
            if custom.reserve:
                level = percent(custom.risk.confidence)
                found.append(
                    row(key, "build", f"Estimate risk reserve, {level} confidence", custom.reserve)
                )
            found.append(row(key, "build", "Contingency", custom.contingency))
            for year in custom.maintenance:
                found.append(
                    row(
                        key,
                        "upgrades",
                        "Platform upgrades",
                        year.amount,
                        year=year.year,
                        quantity=Decimal(year.upgrades),
                        unit="upgrade",
                        rate=year.unit_price,
                    )
                )
            for service in custom.services:
                for number, amount in enumerate(service.years, start=1):
                    found.append(
                        row(
                            key,
                            "services",
                            service.name,
                            amount,
                            year=number,
                            quantity=Decimal(1),
                            unit="year",
                            rate=amount,
                        )
                    )
        found.extend(closing(option))
    return found


def render(quote: Quote) -> str:
    """Render the rows as CSV text: a byte-order mark, a header row, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(rows(quote))
    return "\ufeff" + out.getvalue()
