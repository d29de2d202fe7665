"""nrecalc report's outputs: the terminal table, JSON and Markdown, from a Report (SPEC 8.6).

The table and the Markdown say the same things in the same order, in words from the catalog;
the Markdown draws the outcome split and the requests per tag as text bars, for a monthly
review. JSON keys stay English, money is a string in its currency's minor units, shares exact
decimal strings to 4 places.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..choices import ReviewFormat
from ..errors import Problem
from ..escape import json_text, markdown
from ..money import format_money, money_text, percent, plain
from ..report import DECIDED, Report, Request, TagLine
from .grid import BOLD, WARN, Block, Grid, Text, bar, draw
from .json import fx_data
from .summary import problem_dict
from .text import markdown_table as _table
from .words import conversions, count, date_text, label, say, speaking

SCHEMA_VERSION = 1
NONE = "—"  # no share: the request is not decided, or nothing is
MARKDOWN_BAR = 20  # cells of the longest bar in Markdown
# What the catalog calls each status (custom, standard and productize are the options' names).
_STATUS = {"open": "report.status.open", "declined": "report.status.declined"}
_TALLY = {
    "open": "report.tally.open",
    "custom": "report.tally.custom",
    "standard": "report.tally.standard",
    "productize": "report.tally.productize",
    "declined": "report.tally.declined",
}
ORDER = (*DECIDED, "open")  # the table lists the decided first, then the open ones


def render(
    report: Report,
    fmt: ReviewFormat,
    language: str = "en",
    width: int | None = None,
    errors: Sequence[Problem] = (),
) -> str:
    """Render the report: the table fitted to width (None: full width), JSON, or Markdown."""
    if fmt is ReviewFormat.json:
        text = json.dumps(as_dict(report, errors), indent=2, ensure_ascii=False)
        return json_text(text) + "\n"
    with speaking(_terminal(language)):
        if fmt is ReviewFormat.markdown:
            return "".join(f"{line}\n" for line in _markdown(report))
        drawn = draw(layout(report), width)
    return "".join(f"{line.text}\n" for line in drawn)


def print_rich(report: Report, language: str) -> None:
    """Print the report on a colour terminal, fitted to its width."""
    from rich.console import Console

    from .table import print_drawn

    console = Console()
    with speaking(_terminal(language)):
        drawn = draw(layout(report), console.width)
    print_drawn(drawn, console)


def _terminal(language: str) -> str:
    """Return the language shown: bilingual reads as Chinese here, as the quote's table does."""
    return "zh-CN" if language == "zh-CN+en" else language


# --- words and figures for people ----------------------------------------------------------------


def status(key: str) -> str:
    """Name an outcome: Open, Custom, Standard, Productize, Declined."""
    return say(_STATUS[key]) if key in _STATUS else label(key)


def heading(report: Report) -> str:
    """Say how many requests were quoted in the period, and which period."""
    since, until = report.since, report.until
    if since is not None and until is not None:
        period = say("report.period.between", since=date_text(since), until=date_text(until))
    elif since is not None:
        period = say("report.period.since", since=date_text(since))
    elif until is not None:
        period = say("report.period.until", until=date_text(until))
    else:
        period = say("report.period.none")
    return count("report.heading", len(report.requests), period=period)


def notes(report: Report) -> list[str]:
    """Return the sentences below the heading: estimates counted today."""
    if not report.date_assumed:
        return []
    return [count("report.date_assumed", report.date_assumed, today=date_text(report.today))]


def decision_time(report: Report) -> str:
    """Say how many requests are decided, and the median time it took."""
    if report.median_days is None:
        return say("report.none_decided")
    days = count("count.day", report.median_days)
    return count("report.median", report.decided, days=days)


def outcome_cells(report: Report) -> list[tuple[str, str, str]]:
    """Return each outcome's row: its name, its requests, its share of the decided."""
    found = []
    for key in ORDER:
        share = report.shares.get(key)
        shown = NONE if share is None else percent(share)
        found.append((status(key), str(report.outcomes[key]), shown))
    return found


def outcomes_text(outcomes: dict[str, int]) -> str:
    """Say a tag's outcomes, the decided first: 2 custom, 1 standard, 1 open."""
    parts = [count(_TALLY[key], outcomes[key]) for key in ORDER if outcomes[key]]
    text = parts[0] if parts else ""
    for part in parts[1:]:
        text = say("diff.join", first=text, then=part)
    return text


def tag_rows(line: TagLine) -> list[tuple[str, ...]]:
    """Return a tag's rows: its counts and flag, then its NRE in each currency, one a row."""
    flag = say("report.flag.candidate") if line.candidate else ""
    rows: list[tuple[str, ...]] = []
    for number, (currency, nre) in enumerate(line.nre.items()):
        money = (format_money(nre.quoted, currency), format_money(nre.paid, currency))
        if number:
            rows.append(("", "", "", *money, ""))
        else:
            rows.append((line.tag, str(line.requests), outcomes_text(line.outcomes), *money, flag))
    return rows


def request_cells(each: Request) -> tuple[str, ...]:
    """Return a request's row: quote, date, customer, outcome, days, tags, note."""
    days = each.days
    note = " ".join((each.note or "").split())  # a cell is one line
    return (
        each.id,
        date_text(each.date),
        each.customer,
        status(each.status),
        "" if days is None else str(days),
        " ".join(each.tags),
        note,
    )


def _outcome_headers() -> tuple[str, ...]:
    share = say("report.column.share")
    return (say("report.column.outcome"), say("report.column.requests"), share, "")  # "": bars


def _tag_headers() -> tuple[str, ...]:
    return (
        say("report.column.tag"),
        say("report.column.requests"),
        say("report.column.outcomes"),
        say("report.column.nre_quoted"),
        say("report.column.nre_paid"),
        say("batch.column.flags"),
    )


def _request_headers() -> tuple[str, ...]:
    return (
        say("batch.column.quote"),
        say("fact.date"),
        say("fact.customer"),
        say("report.column.outcome"),
        say("report.column.days"),
        say("report.column.tags"),
        say("report.column.note"),
    )


_OUTCOME_RIGHT = (False, True, True, False)
_TAG_RIGHT = (False, True, False, True, True, False)
_REQUEST_RIGHT = (False, False, False, False, True, False, False)
_WON_RIGHT = (False, True, True, True)


def _won_headers() -> tuple[str, ...]:
    return (
        say("batch.column.currency"),
        say("report.column.requests"),
        say("figure.nre"),
        say("batch.column.custom_total"),
    )


def won_rows(report: Report) -> list[tuple[str, ...]]:
    """Return a row per currency of the work won: requests, NRE, custom total."""
    return [
        (code, str(won.requests), format_money(won.nre, code), format_money(won.total, code))
        for code, won in report.won.items()
    ]


def upgrade_rows(report: Report) -> list[tuple[str, ...]]:
    """Return a row per year of the term: the upgrade charges won, a column per currency."""
    years = max((len(won.upgrades) for won in report.won.values()), default=0)
    return [
        (
            say("figure.year", year=year + 1),
            *(
                format_money(won.upgrades[year], code) if year < len(won.upgrades) else ""
                for code, won in report.won.items()
            ),
        )
        for year in range(years)
    ]


# --- the terminal table --------------------------------------------------------------------------


def layout(report: Report) -> list[Block]:
    """Lay out the report for the terminal: the outcomes, decisions, money won, tags, requests."""
    blank = Text("")
    found: list[Block] = [Text("", strong=heading(report))]
    found += [Text(line) for line in notes(report)]
    if not report.requests:
        return found
    found.append(blank)
    outcomes = Grid(say("report.outcomes"), _outcome_headers(), _OUTCOME_RIGHT, chart=3)
    most = Decimal(max(report.outcomes.values()))
    for cells in outcome_cells(report):
        outcomes.add(*cells, bar(Decimal(cells[1]), most))
    found += [outcomes, Text(decision_time(report)), blank]
    found += _won_blocks(report)
    found += _tag_blocks(report)
    # The notes get a table of their own, the width of the terminal: beside six columns they
    # would wrap a few words a line.
    requests = Grid(say("report.list"), _request_headers()[:-1], _REQUEST_RIGHT[:-1])
    said = Grid(
        say("report.notes"), (say("batch.column.quote"), say("report.column.note")), (False, False)
    )
    for each in report.requests:
        row = request_cells(each)
        requests.add(*row[:-1])
        if row[-1]:
            said.add(each.id, row[-1])
    found.append(requests)
    rates = conversions((r.id, r.fx) for r in report.requests)
    found += [*(Text(line) for line in rates), *([blank] if rates else [])]
    if said.rows:
        found.append(said)
    return found


def _won_blocks(report: Report) -> list[Block]:
    if not report.won:
        return [Text(say("report.won_none")), Text("")]
    won = Grid(say("report.won"), _won_headers(), _WON_RIGHT)
    for row in won_rows(report):
        won.add(*row, style=BOLD)
    found: list[Block] = [won]
    rows = upgrade_rows(report)
    if rows:
        headers = (say("column.year"), *report.won)
        upgrades = Grid(say("report.upgrades"), headers, (False, *(True for _ in report.won)))
        for row in rows:
            upgrades.add(*row)
        found.append(upgrades)
    if len(report.won) > 1:
        found += [Text(say("batch.no_sum_across")), Text("")]
    return found


def _tag_blocks(report: Report) -> list[Block]:
    if not report.tags:
        return [Text(say("report.no_tags")), Text("")]
    tags = Grid(say("report.tags"), _tag_headers(), _TAG_RIGHT, spare=(2,))
    for line in report.tags:
        for row in tag_rows(line):
            tags.add(*row, style=WARN if line.candidate and row[0] else None)
    return [tags, Text(count("report.candidates", report.recurring)), Text("")]


# --- Markdown ------------------------------------------------------------------------------------


def _bar(value: int, most: int) -> str:
    """Draw a count as a text bar scaled to the largest, the count beside it: ████ 4."""
    drawn = bar(Decimal(value), Decimal(most), MARKDOWN_BAR)
    return f"{drawn} {value}" if drawn else str(value)


def _markdown(report: Report) -> list[str]:
    """Lay out the report as Markdown for a monthly review; every value escaped."""
    found: list[str] = [f"### {markdown(heading(report))}", ""]
    found += [f"{markdown(line)}" for line in notes(report)]
    if notes(report):
        found.append("")
    if not report.requests:
        return found[:-1]
    most = max(report.outcomes.values())
    found += [f"**{markdown(say('report.outcomes'))}**", ""]
    rows = [(*cells, _bar(int(cells[1]), most)) for cells in outcome_cells(report)]
    found += _table(_outcome_headers(), _OUTCOME_RIGHT, rows)
    found += [markdown(decision_time(report)), ""]
    found += _markdown_won(report)
    found += _markdown_tags(report)
    found += [f"**{markdown(say('report.list'))}**", ""]
    found += _table(_request_headers(), _REQUEST_RIGHT, [request_cells(r) for r in report.requests])
    rates = conversions((r.id, r.fx) for r in report.requests)
    found += [*(markdown(line) for line in rates), *([""] if rates else [])]
    return found[:-1]


def _markdown_tags(report: Report) -> list[str]:
    if not report.tags:
        return [markdown(say("report.no_tags")), ""]
    most = report.tags[0].requests  # the most asked for comes first
    rows = [
        (*row, _bar(line.requests, most) if row[0] else "")
        for line in report.tags
        for row in tag_rows(line)
    ]
    found = [f"**{markdown(say('report.tags'))}**", ""]
    found += _table((*_tag_headers(), ""), (*_TAG_RIGHT, False), rows)
    return [*found, markdown(count("report.candidates", report.recurring)), ""]


def _markdown_won(report: Report) -> list[str]:
    if not report.won:
        return [markdown(say("report.won_none")), ""]
    found = [f"**{markdown(say('report.won'))}**", ""]
    found += _table(_won_headers(), _WON_RIGHT, won_rows(report))
    rows = upgrade_rows(report)
    if rows:
        found += [f"**{markdown(say('report.upgrades'))}**", ""]
        headers = (say("column.year"), *report.won)
        found += _table(headers, (False, *(True for _ in report.won)), rows)
    if len(report.won) > 1:
        found += [markdown(say("batch.no_sum_across")), ""]
    return found


# --- JSON ----------------------------------------------------------------------------------------


def _day(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())


def _request(each: Request) -> dict[str, Any]:
    return {
        "id": each.id,
        "customer": each.customer,
        "estimate": each.estimate,
        "date": each.date.isoformat(),
        "date_assumed": each.date_assumed,
        "currency": each.currency,
        "fx": fx_data(each.fx),
        "nre": money_text(each.nre, each.currency),
        "total": money_text(each.total, each.currency),
        "tags": list(each.tags),
        "outcome": {
            "status": each.status,
            "date": _day(each.decided),
            "days": each.days,
            "note": each.note,
        },
    }


def as_dict(report: Report, errors: Sequence[Problem] = ()) -> dict[str, Any]:
    """Return the report as JSON data (docs/report.md): counts, shares, money, tags, requests."""
    return {
        "schema_version": SCHEMA_VERSION,
        "period": {"from": _day(report.since), "until": _day(report.until)},
        "requests": len(report.requests),
        "date_assumed": report.date_assumed,
        "outcomes": dict(report.outcomes),
        "decided": report.decided,
        "decided_share": {
            key: None if share is None else str(share) for key, share in report.shares.items()
        },
        "won": {
            code: {
                "requests": won.requests,
                "nre": money_text(won.nre, code),
                "total": money_text(won.total, code),
                "upgrade_charges": [
                    {"year": year, "amount": money_text(amount, code)}
                    for year, amount in enumerate(won.upgrades, start=1)
                ],
            }
            for code, won in report.won.items()
        },
        "median_days_to_decision": None
        if report.median_days is None
        else plain(report.median_days),
        "recurring": report.recurring,
        "tags": [
            {
                "tag": line.tag,
                "requests": line.requests,
                "outcomes": dict(line.outcomes),
                "candidate": line.candidate,
                "nre": {
                    code: {
                        "quoted": money_text(nre.quoted, code),
                        "paid": money_text(nre.paid, code),
                    }
                    for code, nre in line.nre.items()
                },
            }
            for line in report.tags
        ],
        "quotes": [_request(each) for each in report.requests],
        "errors": [problem_dict(problem) for problem in errors],
    }
