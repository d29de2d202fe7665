"""The summary of many quotes (SPEC 8.1): a row per quote, totals per currency, never across.

The table reads like the quote's own terminal view (grid.py fits it to the terminal); the JSON
holds each quote's full object as `--format json` prints it; the CSV a row per quote with
English headers, as the quote's own CSV.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from ..errors import Problem
from ..escape import csv_cell, json_text
from ..models import FxRate
from ..money import EXACT, format_money, fx_rate_text, money_text
from ..pricing import Quote
from .grid import BOLD, WARN, Block, Grid, Text, draw
from .json import SCHEMA_VERSION
from .words import conversions, count, date_text, say, speaking

# What a flag says, by its code (the code is what JSON and CSV carry).
FLAGS = {"discount_approval": "batch.flag.discount_approval", "review": "batch.flag.review"}
# A machine interface, not words: the CSV's columns stay English in every language.
CSV_HEADERS = (
    "id",
    "customer",
    "title",
    "currency",
    "nre",
    "custom_total",
    "standard_total",
    "valid_until",
    "flags",
    "estimate",
    "fx_from",
    "fx_rate",
    "fx_date",
    "fx_source",
)


class Row(NamedTuple):
    """What the summary shows of one quote (small: the worker processes send it back)."""

    id: str
    customer: str
    title: str
    currency: str
    nre: Decimal
    custom_total: Decimal
    standard_total: Decimal
    valid_until: date
    flags: tuple[str, ...]
    estimate: str  # the estimate's path, as the quote records it
    fx: FxRate | None = None  # the rate that converted its card's prices, if one did


def row(quote: Quote) -> Row:
    """Return the summary's row of a quote."""
    custom = quote.custom
    flags = tuple(
        code
        for code, raised in (
            ("discount_approval", custom.discount_approval_required),
            ("review", custom.review_required),
        )
        if raised
    )
    return Row(
        quote.id,
        quote.customer,
        quote.title,
        quote.currency,
        quote.custom.nre,
        quote.custom.total,
        quote.standard.total,
        quote.valid_until,
        flags,
        quote.estimate.path,
        quote.fx,
    )


class Total(NamedTuple):
    """The quotes in one currency, and their figures added up."""

    quotes: int
    nre: Decimal
    custom_total: Decimal
    standard_total: Decimal


def totals(rows: Iterable[Row]) -> dict[str, Total]:
    """Add up the rows per currency, in the order of the currency codes; never across them."""
    found: dict[str, Total] = {}
    for each in rows:
        was = found.get(each.currency, Total(0, Decimal(0), Decimal(0), Decimal(0)))
        found[each.currency] = Total(
            was.quotes + 1,
            EXACT.add(was.nre, each.nre),
            EXACT.add(was.custom_total, each.custom_total),
            EXACT.add(was.standard_total, each.standard_total),
        )
    return dict(sorted(found.items()))


def _flags(flags: tuple[str, ...]) -> str:
    """Say a quote's flags, one after the other."""
    said = [say(FLAGS[flag]) for flag in flags]
    text = said[0] if said else ""
    for then in said[1:]:
        text = say("batch.flags_joined", first=text, then=then)
    return text


def blocks(rows: Sequence[Row], failed: int, internal: bool = True) -> list[Block]:
    """Lay out the summary: the quotes by id, then the totals per currency."""
    headers = [
        say("batch.column.quote"),
        say("fact.customer"),
        say("batch.column.title"),
        say("batch.column.currency"),
        say("figure.nre"),
        say("batch.column.custom_total"),
        say("batch.column.standard_total"),
        say("fact.valid_until"),
    ]
    right = [False, False, False, False, True, True, True, False]
    if internal:
        headers.append(say("batch.column.flags"))
        right.append(False)
    # The title and the flags move below the figures first on a narrow terminal.
    spare = (2, 8) if internal else (2,)
    quotes = Grid(count("batch.heading", len(rows)), tuple(headers), tuple(right), spare=spare)
    for each in rows:
        cells = [
            each.id,
            each.customer,
            each.title,
            each.currency,
            format_money(each.nre, each.currency),
            format_money(each.custom_total, each.currency),
            format_money(each.standard_total, each.currency),
            date_text(each.valid_until),
        ]
        if internal:
            cells.append(_flags(each.flags))
        quotes.add(*cells, style=WARN if internal and each.flags else None)
    sums = Grid(
        say("batch.totals"),
        (
            say("batch.column.currency"),
            say("batch.column.quotes"),
            say("figure.nre"),
            say("batch.column.custom_total"),
            say("batch.column.standard_total"),
        ),
        (False, True, True, True, True),
    )
    for currency, total in totals(rows).items():
        sums.add(
            currency,
            str(total.quotes),
            format_money(total.nre, currency),
            format_money(total.custom_total, currency),
            format_money(total.standard_total, currency),
            style=BOLD,
        )
    found: list[Block] = [quotes, sums]
    if len(sums.rows) > 1:
        found.append(Text(say("batch.no_sum_across")))
    found += [Text(line) for line in conversions((each.id, each.fx) for each in rows)]
    if failed:
        found.append(Text(count("batch.failed", failed), style=WARN))
    return found


def _terminal(language: str) -> str:
    """Return the summary's language: bilingual is shown in Chinese, as the quote's table."""
    return "zh-CN" if language == "zh-CN+en" else language


def render_table(
    rows: Sequence[Row], failed: int, language: str, internal: bool, width: int | None = None
) -> str:
    """Render the summary as plain text: at full width, or fitted to a terminal width wide."""
    with speaking(_terminal(language)):
        lines = draw(blocks(rows, failed, internal), width)
    return "".join(f"{line.text}\n" for line in lines)


def print_rich(rows: Sequence[Row], failed: int, language: str, internal: bool) -> None:
    """Print the summary on a colour terminal, fitted to its width."""
    from rich.console import Console

    from .table import print_drawn

    console = Console()
    with speaking(_terminal(language)):
        lines = draw(blocks(rows, failed, internal), console.width)
    print_drawn(lines, console)


def problem_dict(problem: Problem) -> dict[str, Any]:
    """Return a problem as validate's JSON writes it."""
    return {
        "path": problem.path,
        "line": problem.line,
        "column": problem.column,
        "field": problem.field,
        "message": problem.message,
        "severity": problem.severity,
    }


def json_object(quote: Quote) -> str:
    """Write a quote's JSON object as `--format json` does, indented to sit in `quotes`."""
    from .json import as_dict

    text = json_text(json.dumps(as_dict(quote), indent=2, ensure_ascii=False))
    return "\n".join(f"    {line}" for line in text.split("\n"))


def render_json(rows: Sequence[Row], objects: Sequence[str], errors: Sequence[Problem]) -> str:
    """Render the batch as one JSON object: the quotes in full, totals per currency, errors.

    objects are the quotes' objects as json_object writes them: the same text as if the whole
    were written at once, without writing each quote again here.
    """
    document = {
        "schema_version": SCHEMA_VERSION,
        "quotes": [],
        "totals": {
            currency: {
                "quotes": total.quotes,
                "nre": money_text(total.nre, currency),
                "custom_total": money_text(total.custom_total, currency),
                "standard_total": money_text(total.standard_total, currency),
            }
            for currency, total in totals(rows).items()
        },
        "errors": [problem_dict(problem) for problem in errors],
    }
    text = json_text(json.dumps(document, indent=2, ensure_ascii=False))
    if objects:  # "quotes" is the first list: after schema_version
        text = text.replace('"quotes": []', '"quotes": [\n' + ",\n".join(objects) + "\n  ]", 1)
    return text + "\n"


def _fx_cells(fx: FxRate | None) -> tuple[str, str, str, str]:
    if fx is None:
        return ("", "", "", "")
    return (fx.from_, fx_rate_text(fx.rate), fx.date.isoformat(), csv_cell(fx.source))


def render_csv(rows: Sequence[Row]) -> str:
    """Render a row per quote: UTF-8 with a byte-order mark, CRLF, as the quote's own CSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for each in rows:
        writer.writerow(
            (
                csv_cell(each.id),
                csv_cell(each.customer),
                csv_cell(each.title),
                each.currency,
                money_text(each.nre, each.currency),
                money_text(each.custom_total, each.currency),
                money_text(each.standard_total, each.currency),
                each.valid_until.isoformat(),
                ";".join(each.flags),
                csv_cell(each.estimate),
                *_fx_cells(each.fx),
            )
        )
    return "\ufeff" + out.getvalue()
