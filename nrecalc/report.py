"""nrecalc report: how quoted requests ended, what was won, which requests recur (SPEC 8.6).

The estimates are read and priced as the batch reads them (batch.quote_paths: the same
discovery, rate-card lookups, per-file errors and pool); each is kept as a small Request, and
`gather` makes the report of a period from them: a pure function of the requests, exact in
Decimal, never adding amounts across currencies. docs/report.md defines every figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from .errors import Problem
from .models import STATUSES, Estimate, FxRate
from .money import exact_sum, quantity_quotient
from .pricing import Quote

DECIDED = STATUSES[1:]  # custom, standard, productize, declined
RECURRING = 3  # --recurring: a tag asked for this many times in the period is a candidate
SHARE_PLACES = 4  # shares of the decided as exact decimals: "0.7500"


class Request(NamedTuple):
    """What the report keeps of one quoted request (small: the worker processes send it back)."""

    id: str
    customer: str
    estimate: str  # the estimate's path, as the quote records it
    date: dt.date  # the quote's date: today when the estimate has none
    date_assumed: bool
    currency: str
    nre: Decimal
    total: Decimal  # the custom option's total, tax included
    upgrades: tuple[Decimal, ...]  # the upgrade charges of each year of the term
    tags: tuple[str, ...]
    status: str
    decided: dt.date | None  # the outcome's date
    note: str | None
    fx: FxRate | None = None  # the rate that converted its card's prices (SPEC 8.4), if any

    @property
    def days(self) -> int | None:
        """Return the days from the quote to the decision, or None while it is open."""
        return None if self.decided is None else (self.decided - self.date).days


def request(quote: Quote, estimate: Estimate) -> Request:
    """Return what the report keeps of a quote and its estimate (batch's Settings.keep)."""
    outcome = estimate.outcome
    return Request(
        quote.id,
        quote.customer,
        quote.estimate.path,
        quote.date,
        quote.date_assumed,
        quote.currency,
        quote.custom.nre,
        quote.custom.total,
        tuple(year.amount for year in quote.custom.maintenance),
        estimate.tags,
        outcome.status,
        outcome.date,
        outcome.note,
        quote.fx,
    )


class Read(NamedTuple):
    """The requests read under the paths given, by id, and what went wrong on the way."""

    requests: list[Request]
    problems: list[Problem]
    notices: list[Problem]


def read(paths: Sequence[Path], *, today: dt.date, pool: bool | None = None) -> Read:
    """Read and price every estimate under paths as a batch does; a failing file is told."""
    from .batch import Settings, quote_paths
    from .choices import Format

    batch = quote_paths(paths, Settings(Format.table, today, keep=request), pool=pool)
    return Read(list(batch.made), batch.problems, batch.notices)


# --- the report of a period ----------------------------------------------------------------------


class Won(NamedTuple):
    """The custom work won in one currency: the requests, their NRE, totals and upgrade charges."""

    requests: int
    nre: Decimal
    total: Decimal
    upgrades: tuple[Decimal, ...]  # year 1, 2, ... of the term, added up over the requests


class Money(NamedTuple):
    """A tag's NRE in one currency: quoted (every request), and paid (the custom outcomes)."""

    quoted: Decimal
    paid: Decimal


class TagLine(NamedTuple):
    """One tag: how often it was asked for, how those requests ended, the NRE at stake."""

    tag: str
    requests: int
    outcomes: dict[str, int]  # by status, every status present
    candidate: bool  # asked for at least `recurring` times: a productize candidate
    nre: dict[str, Money]  # by currency, in code order


class Report(NamedTuple):
    """What the requests of a period taught: counts, shares, money won, time, tags."""

    since: dt.date | None  # the period's first day: --since, else the first quote's date
    until: dt.date | None  # its last day: --until, else the last quote's date
    requests: tuple[Request, ...]  # quoted in the period, by date then id
    outcomes: dict[str, int]  # by status, every status present
    shares: dict[str, Decimal | None]  # each decided status's share of the decided
    won: dict[str, Won]  # by currency, in code order
    median_days: Decimal | None  # from quote to decision, over the decided requests
    tags: tuple[TagLine, ...]  # most asked for first, then by name
    recurring: int
    today: dt.date  # the day counted for an estimate without a date

    @property
    def decided(self) -> int:
        """Return how many requests of the period are decided."""
        return sum(self.outcomes[status] for status in DECIDED)

    @property
    def date_assumed(self) -> int:
        """Return how many requests of the period have no date of their own (counted today)."""
        return sum(each.date_assumed for each in self.requests)


def gather(
    requests: Iterable[Request],
    *,
    today: dt.date,
    since: dt.date | None = None,
    until: dt.date | None = None,
    recurring: int = RECURRING,
) -> Report:
    """Make the report of the requests quoted from since to until, both days included.

    A bound not given is the first (or last) quote date of the requests in the period; with no
    request in it, it stays None.
    """
    found = sorted(
        (
            each
            for each in requests
            if (since is None or each.date >= since) and (until is None or each.date <= until)
        ),
        key=lambda each: (each.date, each.id),
    )
    outcomes = tally(each.status for each in found)
    if found:
        since = since if since is not None else found[0].date
        until = until if until is not None else found[-1].date
    return Report(
        since,
        until,
        tuple(found),
        outcomes,
        shares(outcomes),
        won(found),
        median([each.days for each in found if each.days is not None]),
        tuple(tag_lines(found, recurring)),
        recurring,
        today,
    )


def tally(statuses: Iterable[str]) -> dict[str, int]:
    """Count the statuses: every status present, in the order of STATUSES."""
    found = dict.fromkeys(STATUSES, 0)
    for status in statuses:
        found[status] += 1
    return found


def shares(outcomes: dict[str, int]) -> dict[str, Decimal | None]:
    """Return each decided status's share of the decided, to 4 places, half up; None if none."""
    decided = sum(outcomes[status] for status in DECIDED)
    return {
        status: quantity_quotient(Decimal(outcomes[status]), decided, SHARE_PLACES)
        if decided
        else None
        for status in DECIDED
    }


def median(values: Sequence[int]) -> Decimal | None:
    """Return the median: the middle value, or the mean of the two middle ones (exact)."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle])
    return Decimal(ordered[middle - 1] + ordered[middle]) / 2  # a whole number or a half


def won(requests: Iterable[Request]) -> dict[str, Won]:
    """Add up the custom outcomes per currency: NRE, totals, upgrade charges year by year."""
    by_currency: dict[str, list[Request]] = {}
    for each in requests:
        if each.status == "custom":
            by_currency.setdefault(each.currency, []).append(each)
    found = {}
    for currency, paid in sorted(by_currency.items()):
        years = max(len(each.upgrades) for each in paid)
        upgrades = tuple(
            exact_sum(each.upgrades[year] for each in paid if year < len(each.upgrades))
            for year in range(years)
        )
        nre = exact_sum(each.nre for each in paid)
        found[currency] = Won(len(paid), nre, exact_sum(each.total for each in paid), upgrades)
    return found


def tag_lines(requests: Sequence[Request], recurring: int) -> list[TagLine]:
    """Return a line per tag of the requests: the most asked for first, then by name."""
    by_tag: dict[str, list[Request]] = {}
    for each in requests:
        for tag in each.tags:
            by_tag.setdefault(tag, []).append(each)
    found = []
    for tag, asked in by_tag.items():
        nre: dict[str, Money] = {}
        for currency in sorted({each.currency for each in asked}):
            mine = [each for each in asked if each.currency == currency]
            quoted = exact_sum(each.nre for each in mine)
            paid = exact_sum(each.nre for each in mine if each.status == "custom")
            nre[currency] = Money(quoted, paid)
        outcomes = tally(each.status for each in asked)
        found.append(TagLine(tag, len(asked), outcomes, len(asked) >= recurring, nre))
    return sorted(found, key=lambda line: (-line.requests, line.tag))
