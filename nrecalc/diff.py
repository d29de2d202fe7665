"""nrecalc diff: what a rate-card change or an estimate revision does to the figures (SPEC 8.2).

Two rate cards: what changed in the card, then every estimate under the paths that uses it,
priced with each. Two estimates: each priced as `quote` prices it, and every line, option and
figure that moved. The estimates are found as `validate` finds its files (validate.py); their
cards as `quote` finds them (catalog.py, SPEC 2.3); they are priced by pricing.py. What changed
in a card, value by value, is diffcard.py's. An estimate that only the new card can price is
newly priced (a notice), one that only the old card could price an error.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from .catalog import (
    Found,
    RateCards,
    as_card,
    check_references,
    looks_like_path,
    resolved,
    shown_path,
)
from .diffcard import HUNDRED, Change, Value, card_changes, compared, keys, percent_change
from .errors import InputError, NrecalcError, Problem
from .loader import check_kind, read_document, to_model
from .models import Estimate, FxRate
from .money import EXACT, exact_sum
from .pricing import Line, Quote, Source, build_quote
from .strict_yaml import Document

KINDS = ("rate-card", "estimate")


class MixedKinds(NrecalcError):
    """OLD and NEW are not of one kind: a rate card and an estimate (wrong usage, exit 2)."""

    exit_code = 2


def parse_percent(text: str) -> Decimal:
    """Read a percentage such as 5, 2.5 or 10%; raise ValueError for anything else."""
    from decimal import InvalidOperation

    try:
        value = Decimal(text.strip().removesuffix("%"))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a percentage, such as 5 or 2.5") from None
    if not value.is_finite() or value < 0 or value > 10**6:
        raise ValueError(f"{text!r} is not a percentage from 0 to 1000000")
    return value


class Figures(NamedTuple):
    """What a quote comes to with one rate card: its NRE and custom total, and the rate used."""

    currency: str
    nre: Decimal
    total: Decimal
    rate_card: str  # the card's file, as shown
    rate_card_name: str
    rate_card_version: str
    fx: FxRate | None = None  # the exchange rate that converted the card's prices, if one did


def figures(quote: Quote) -> Figures:
    """Take a quote's figures for the diff."""
    return Figures(
        quote.currency,
        quote.custom.nre,
        quote.custom.total,
        quote.rate_card.path,
        quote.rate_card_name,
        quote.rate_card_version,
        quote.fx,
    )


# Where a quote went, by its figures (QuoteDiff.direction), in the order the summary counts them.
DIRECTIONS = ("up", "down", "unchanged", "currency", "fx_only", "newly_priced")


class QuoteDiff(NamedTuple):
    """One estimate priced twice: before (past) and after (current), and what moved.

    past is None when the old card could not price the estimate and the new one can (newly
    priced: a rate added, a role the estimate already used): nothing to subtract from.
    """

    id: str
    path: str
    past: Figures | None
    current: Figures
    changes: tuple[Change, ...] = ()

    @property
    def comparable(self) -> bool:
        """Tell whether both were priced, in one currency, so that they can be subtracted."""
        return self.past is not None and self.past.currency == self.current.currency

    def change(self, figure: str) -> Decimal | None:
        """Return how much nre or total moved; None across currencies or from no price."""
        if self.past is None or not self.comparable:
            return None
        return EXACT.subtract(getattr(self.current, figure), getattr(self.past, figure))

    def percent(self, figure: str) -> Decimal | None:
        """Return the move in percent of the old figure; None when that is 0 (or not comparable)."""
        if self.past is None or not self.comparable:
            return None
        return percent_change(getattr(self.past, figure), getattr(self.current, figure))

    @property
    def fx_changed(self) -> bool:
        """Tell whether the exchange rate used (its rate, date or source) is another one."""
        return self.past is not None and self.past.fx != self.current.fx

    @property
    def direction(self) -> str:
        """Say where the quote went (one of DIRECTIONS).

        newly_priced: only the new card prices it; currency: it changed currency; up or down:
        by the custom total, then the NRE; fx_only: no amount moved but the exchange rate used
        is another one (its rate, date or source); unchanged: neither.
        """
        if self.past is None:
            return "newly_priced"
        if not self.comparable:
            return "currency"
        for figure in ("total", "nre"):
            moved = self.change(figure) or Decimal(0)
            if moved:
                return "up" if moved > 0 else "down"
        return "fx_only" if self.fx_changed else "unchanged"

    @property
    def moved(self) -> bool:
        """Tell whether a figure, the rate used or, for a revision, anything else changed."""
        return self.direction != "unchanged" or bool(self.changes)


class Tally(NamedTuple):
    """The estimates of one currency: how many, which way they went, and by how much."""

    estimates: int
    up: int
    down: int
    unchanged: int
    currency_changed: int
    fx_only: int  # no amount moved, the exchange rate used did
    newly_priced: int  # only the new card prices them: not in nre and total
    nre: Decimal
    total: Decimal


class Side(NamedTuple):
    """One of the two files compared: as shown, its name or id, version, sha256."""

    path: str
    name: str
    version: str
    sha256: str


class Diff(NamedTuple):
    """The whole comparison: what kind, the two files, what changed, what it does."""

    kind: str  # rate-card or estimate
    old: Side
    new: Side
    currencies: tuple[str, str]  # of the old and the new card: the card changes' amounts
    card_changes: tuple[Change, ...]
    quotes: tuple[QuoteDiff, ...]  # every estimate compared, moved or not, by id
    notices: tuple[Problem, ...]

    def summary(self) -> dict[str, Tally]:
        """Count and add up the estimates per currency (of the new figures), never across."""
        found: dict[str, list[QuoteDiff]] = {}
        for each in self.quotes:
            found.setdefault(each.current.currency, []).append(each)
        return {currency: _tally(found[currency]) for currency in sorted(found)}

    def above(self, percent: Decimal) -> list[QuoteDiff]:
        """Return the quotes whose custom total rises by more than percent (from 0: any rise).

        A quote whose currency changed cannot be measured against a percentage: it is held too.
        A newly priced one had no price to rise from: its notice says so, the gate passes it.
        """
        found = []
        for each in self.quotes:
            if each.past is None:
                continue
            if not each.comparable:
                found.append(each)
                continue
            rise, old = each.change("total"), each.past.total
            # exactly: rise / old > percent / 100, equal is not above
            if rise is not None and rise > 0 and EXACT.multiply(rise, HUNDRED) > percent * old:
                found.append(each)
        return found

    def gate(self, percent: Decimal) -> list[Problem]:
        """Say of each quote above the --fail-above percentage how far its total rose."""
        found = []
        for each in self.above(percent):
            rose = each.percent("total")
            rise = "from nothing" if rose is None else f"by {rose}%"
            message = f"the custom total rises {rise}, more than --fail-above {percent}%"
            if each.past is not None and not each.comparable:
                message = (
                    f"the custom total moves from {each.past.currency} to "
                    f"{each.current.currency}: no percentage can pass --fail-above {percent}%"
                )
            found.append(Problem(each.path, message, field=each.id))
        return found


def _tally(quotes: list[QuoteDiff]) -> Tally:
    ways = [each.direction for each in quotes]
    same = [each for each in quotes if each.comparable]
    up, down, unchanged, currency, fx_only, newly_priced = (ways.count(way) for way in DIRECTIONS)
    return Tally(
        len(quotes),
        up,
        down,
        unchanged,
        currency,
        fx_only,
        newly_priced,
        exact_sum(each.change("nre") or Decimal(0) for each in same),
        exact_sum(each.change("total") or Decimal(0) for each in same),
    )


# --- what changed in a quote ---------------------------------------------------------------------

# The quote's figures compared, by the name the diff gives them, and where each is.
FIGURES = (
    "build_subtotal",
    "contingency",
    "nre",
    "per_upgrade_cost",
    "maintenance_total",
    "services_total",
    "subtotal",
    "discount",
    "tax",
    "total",
)
LINE_FIELDS = (("role", "text"), ("engineers", "number"), ("weeks", "weeks"), ("rate", "rate"))


def quote_changes(old: Quote, new: Quote) -> list[Change]:
    """List what changed from one revision to the next: terms, lines, options, figures."""
    a, b = old.custom, new.custom
    found: list[Change] = []
    terms: list[tuple[str, Value, Value, str]] = [
        ("customer", old.customer, new.customer, ""),
        ("title", old.title, new.title, ""),
        ("date", old.date, new.date, ""),
        ("rate_card", _card_of(old), _card_of(new), ""),
        ("currency", old.currency, new.currency, ""),
        ("fx", _fx_rate(old), _fx_rate(new), "fx"),
        ("fx_date", _fx_date(old), _fx_date(new), ""),
        ("fx_source", _fx_source(old), _fx_source(new), ""),
        ("discount_rate", a.discount_rate, b.discount_rate, "ratio"),
        ("upgrades_per_year", a.upgrades_per_year, b.upgrades_per_year, ""),
        ("term_years", a.term_years, b.term_years, ""),
        ("lead_time_weeks", a.lead_time_weeks, b.lead_time_weeks, "weeks"),
        ("confidence", a.risk.confidence, b.risk.confidence, "ratio"),
    ]
    for name, before, after, unit in terms:
        found.extend(compared("terms", name, before, after, unit))
    found.extend(_lines("build", a.build, b.build))
    found.extend(_lines("per_upgrade", a.per_upgrade, b.per_upgrade))
    services_a = {s.key: exact_sum(s.years) for s in a.services}
    services_b = {s.key: exact_sum(s.years) for s in b.services}
    for key in keys(services_a, services_b):
        before, after = services_a.get(key), services_b.get(key)
        found.extend(compared("custom_services", key, before, after))
    options_a = {o.key: o.total for o in old.options}
    options_b = {o.key: o.total for o in new.options}
    for key in keys(options_a, options_b):
        found.extend(compared("options", key, options_a.get(key), options_b.get(key)))
    for name in FIGURES:
        found.extend(compared("figures", name, getattr(a, name), getattr(b, name)))
    standard = ("standard_total", old.standard.total, new.standard.total)
    found.extend(compared("figures", *standard))
    return found


def _fx_rate(quote: Quote) -> Decimal | None:
    return None if quote.fx is None else quote.fx.rate


def _fx_date(quote: Quote) -> date | None:
    return None if quote.fx is None else quote.fx.date


def _fx_source(quote: Quote) -> str | None:
    return None if quote.fx is None else quote.fx.source


def _card_of(quote: Quote) -> str:
    return f"{quote.rate_card_name} {quote.rate_card_version}"


def _named(lines: Sequence[Line]) -> dict[str, Line]:
    """Key lines by task; a task named twice is told apart by its number: `Tests (2)`."""
    found: dict[str, Line] = {}
    for line in lines:
        key, number = line.task, 1
        while key in found:
            number += 1
            key = f"{line.task} ({number})"
        found[key] = line
    return found


def _lines(section: str, old: Sequence[Line], new: Sequence[Line]) -> Iterator[Change]:
    before, after = _named(old), _named(new)
    for task in keys(before, after):
        was, now = before.get(task), after.get(task)
        if was is None or now is None:
            yield from compared(section, task, was and was.amount, now and now.amount)
            continue
        for name, unit in (*LINE_FIELDS, ("amount", "money")):
            for change in compared(section, task, getattr(was, name), getattr(now, name), unit):
                yield change._replace(field=name, unit=unit)


# --- reading the inputs --------------------------------------------------------------------------


def compare(old: Path, new: Path, paths: Sequence[Path], *, today: date) -> Diff:
    """Compare two rate cards (and what they do to the estimates under paths) or two estimates.

    Every problem in every file is collected first: a bad input raises InputError with all of
    them, before anything is shown.
    """
    docs, problems = [], []
    for path in (old, new):
        try:
            doc = read_document(path, shown_path(path))
            if doc.data.get("kind") not in KINDS:
                check_kind(doc, "rate-card or estimate")
            docs.append(doc)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    kinds = [str(doc.data.get("kind")) for doc in docs]
    if kinds[0] != kinds[1]:
        message = f"is {'a rate card' if kinds[0] == 'rate-card' else 'an estimate'}; NEW is not"
        raise MixedKinds([Problem(docs[0].path, f"{message}: compare two of one kind")])
    if kinds[0] == "estimate":
        if paths:
            raise MixedKinds([Problem(docs[0].path, "ESTIMATE-PATH goes with two rate cards")])
        return _revisions(old, new, docs[0], docs[1], today)
    return _cards(old, new, docs[0], docs[1], paths or [Path(".")], today)


def _same_ids(quotes: list[QuoteDiff]) -> list[Problem]:
    """Name each estimate whose id another one has too (ids alike but for case too), as quote
    does for a batch: which estimate a row stands for would be anyone's guess."""
    paths: dict[str, list[str]] = {}
    for each in quotes:
        paths.setdefault(each.id.casefold(), []).append(each.path)
    found = []
    for each in quotes:
        others = [path for path in paths[each.id.casefold()] if path != each.path]
        if others:
            message = f"{each.id!r} is also the id of {', '.join(others)}; give each its own id"
            found.append(Problem(each.path, message, field="id"))
    return found


def _side(found: Found) -> Side:
    return Side(found.shown, found.card.name, found.card.version, found.sha256)


def _cards(
    old: Path, new: Path, old_doc: Document, new_doc: Document, paths: Sequence[Path], today: date
) -> Diff:
    """Compare two rate cards, then price every estimate under paths that uses them with each."""
    problems: list[Problem] = []
    cards: list[Found] = []
    for path, doc in ((old, old_doc), (new, new_doc)):
        try:
            cards.append(as_card(doc, path, doc.path))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    before, after = cards
    notices: list[Problem] = []
    lookup = RateCards(notices)
    quotes = []
    for path, estimate, doc in _estimates(paths, (old, new), problems, notices):
        try:
            pair = _priced(estimate, doc, path, (before, after), today, lookup, notices)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if pair is not None:
            past = None if pair[0] is None else figures(pair[0])
            quotes.append(QuoteDiff(estimate.id, doc.path, past, figures(pair[1])))
    problems.extend(_same_ids(quotes))
    if problems:
        raise InputError(_unique(problems))
    currencies = (before.card.currency, after.card.currency)
    changes = tuple(card_changes(before.card, after.card))
    ordered = tuple(sorted(quotes, key=lambda q: (q.id, q.path)))
    return Diff(
        "rate-card",
        _side(before),
        _side(after),
        currencies,
        changes,
        ordered,
        tuple(notices),
    )


def _unique(problems: list[Problem]) -> list[Problem]:
    return sorted(dict.fromkeys(problems), key=lambda p: (p.path, p.line or 0, p.column or 0))


def _estimates(
    paths: Sequence[Path],
    skip: Sequence[Path],
    problems: list[Problem],
    notices: list[Problem],
) -> Iterator[tuple[Path, Estimate, Document]]:
    """Yield the estimates under paths, found and told apart as `validate` does (SPEC 5).

    Rate cards are passed over; YAML that is not ours is skipped with a notice when found in a
    folder (an error when named); a file that is plainly ours but broken is an error.
    """
    from .batch import find_estimates, read_estimate

    left_out = {resolved(path) for path in skip}
    for file in find_estimates(paths, problems, notices):
        if resolved(file.path) in left_out:
            continue
        found = read_estimate(file)
        if found is None:  # a rate card
            continue
        if isinstance(found, Problem):  # YAML that is not ours, skipped
            notices.append(found)
            continue
        problems.extend(found.problems)
        if found.doc is None:
            continue
        try:
            estimate = to_model(found.doc, Estimate)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if not found.problems:
            yield file.path, estimate, found.doc


def _priced(
    estimate: Estimate,
    doc: Document,
    path: Path,
    cards: tuple[Found, Found],
    today: date,
    lookup: RateCards,
    notices: list[Problem],
) -> tuple[Quote | None, Quote] | None:
    """Price an estimate with both cards when it uses them; None when it uses another card.

    It uses them when its card, found as `quote` finds it (SPEC 2.3) on its date, is either
    file. When neither file is in a rates/ folder (two drafts, or cards taken out of git), a
    bare `rate_card:` name equal to either card's `name:` uses them too.

    One that only the new card can price (it adds the current exchange rate, or a role the
    estimate already uses) is newly priced: no old quote, and a notice saying why the old card
    could not. One that the new card cannot price is an error: the change breaks it. When
    neither can, the old card's problems are the error.
    """
    if not _uses(estimate, doc, path, cards, today, lookup):
        return None
    old_problems, new_problems = (_unpriced(doc, found, estimate.date or today) for found in cards)
    if old_problems and new_problems:
        raise InputError(old_problems)
    if new_problems:
        raise InputError([_breaks(problem, cards[0]) for problem in new_problems])
    if old_problems:
        notices.append(_newly_priced(old_problems))
    source = Source(doc.path, doc.sha256)

    def priced(found: Found) -> Quote:
        return build_quote(
            estimate, found.card, today=today, rate_card=_source(found), source=source
        )

    return None if old_problems else priced(cards[0]), priced(cards[1])


def _unpriced(doc: Document, found: Found, day: date) -> list[Problem]:
    """Return why the card cannot price the estimate (its roles, services, gates, rate); []."""
    try:
        check_references(doc, found, day)
    except InputError as exc:
        return exc.problems
    return []


def _newly_priced(problems: list[Problem]) -> Problem:
    """Say once, where the old card's first problem is, that only the new card prices it."""
    first = problems[0]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    message = f"newly priced: the new rate card prices it, the old one could not: {first.message}"
    return first._replace(message=message + more, severity="notice")


def _breaks(problem: Problem, old: Found) -> Problem:
    """Say that the old card priced the estimate that the new one cannot: the change breaks it."""
    said = f"{problem.message}; the old rate card ({old.shown}) prices it: this change breaks it"
    return problem._replace(message=said)


def _source(found: Found) -> Source:
    return Source(found.shown, found.sha256)


def _uses(
    estimate: Estimate,
    doc: Document,
    path: Path,
    cards: tuple[Found, Found],
    today: date,
    lookup: RateCards,
) -> bool:
    files = {resolved(found.record.path) for found in cards}
    in_rates = any(file.parent.name == "rates" for file in files)
    reference = estimate.rate_card
    if not in_rates and not looks_like_path(reference):
        return reference in {found.card.name for found in cards}
    names = {found.card.name for found in cards}
    if not looks_like_path(reference) and reference not in names:
        return False  # names another card: no need to look it up
    found, _ = lookup.find(reference, doc, path, estimate.date or today)
    return resolved(found.record.path) in files


# --- two revisions of an estimate ----------------------------------------------------------------


def _revisions(old: Path, new: Path, old_doc: Document, new_doc: Document, today: date) -> Diff:
    """Price each revision as `quote` does, and list what changed between them."""
    from .pipeline import load_inputs

    problems: list[Problem] = []
    notices: list[Problem] = []
    priced: list[tuple[Quote, Found]] = []
    for path in (old, new):
        try:
            inputs = load_inputs(path, today=today)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        notices.extend(inputs.warnings)
        found = inputs.found
        quote = build_quote(
            inputs.estimate,
            found.card,
            today=today,
            rate_card=_source(found),
            source=Source(inputs.doc.path, inputs.doc.sha256),
        )
        priced.append((quote, found))
    if problems:
        raise InputError(_unique(problems))
    (past, card_a), (current, card_b) = priced
    card = card_changes(card_a.card, card_b.card) if card_a.sha256 != card_b.sha256 else []
    changes = tuple(quote_changes(past, current))
    moved = QuoteDiff(current.id, current.estimate.path, figures(past), figures(current), changes)
    return Diff(
        "estimate",
        Side(past.estimate.path, past.id, "", past.estimate.sha256),
        Side(current.estimate.path, current.id, "", current.estimate.sha256),
        (card_a.card.currency, card_b.card.currency),
        tuple(card),
        (moved,),
        tuple(notices),
    )
