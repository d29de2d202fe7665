"""nrecalc diff: what a rate-card change or an estimate revision does to the figures (SPEC 8.2).

Two rate cards: what changed in the card, then every estimate under the paths that uses it,
priced with each. Two estimates: each priced as `quote` prices it, and every line, option and
figure that moved. The estimates are found as `validate` finds its files (validate.py); their
cards as `quote` finds them (catalog.py, SPEC 2.3); they are priced by pricing.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple, Union

from .catalog import (
    Found,
    RateCards,
    as_card,
    check_references,
    looks_like_path,
    resolved,
    shown_path,
)
from .errors import InputError, NrecalcError, Problem
from .loader import check_kind, read_document, to_model
from .models import Estimate, FxRate, Policy, RateCard, StandardOffer
from .money import EXACT, exact_sum, quantity_quotient
from .pricing import Line, Quote, Source, build_quote
from .strict_yaml import Document

Value = Union[Decimal, int, str, date, None]  # noqa: UP007 - evaluated at run time on 3.10
KINDS = ("rate-card", "estimate")
# Policy values that are amounts of money; the others are ratios or whole days (SPEC 8.3).
POLICY_MONEY = frozenset({"review_nre_above"})
HUNDRED = Decimal(100)


class MixedKinds(NrecalcError):
    """OLD and NEW are not of one kind: a rate card and an estimate (wrong usage, exit 2)."""

    exit_code = 2


class Change(NamedTuple):
    """One value that changed: `~` changed, `+` added, `-` removed.

    section is where it is (a card's: card, roles, standard, policy, services; a quote's:
    terms, build, per_upgrade, custom_services, options, figures), item what it is (a role, a
    field, a task, an option's key), field the part of a line that changed; unit says how its
    values are written.
    """

    section: str
    item: str
    mark: str
    unit: str  # money, rate, ratio, number, weeks, text, date, fx (an exchange rate)
    old: Value
    new: Value
    field: str = ""
    one_currency: bool = True  # False when the card's currency changed: no percentage then

    @property
    def percent(self) -> Decimal | None:
        """Return the change in percent of the old amount; None for no amount or none before."""
        if self.unit not in ("money", "rate", "fx") or not isinstance(self.old, Decimal):
            return None
        if not self.one_currency:  # ¥25,000.00 → US$250,000.00 is no percentage
            return None
        return percent_change(self.old, self.new if isinstance(self.new, Decimal) else None)


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


def percent_change(old: Decimal, new: Decimal | None) -> Decimal | None:
    """Return (new − old) / old as a percentage, rounded once to one place; None when old is 0."""
    if new is None or not old:
        return None
    return quantity_quotient(EXACT.multiply(EXACT.subtract(new, old), HUNDRED), old, 1)


class Figures(NamedTuple):
    """What a quote comes to with one rate card: its NRE and custom total."""

    currency: str
    nre: Decimal
    total: Decimal
    rate_card: str  # the card's file, as shown
    rate_card_name: str
    rate_card_version: str


def figures(quote: Quote) -> Figures:
    """Take a quote's figures for the diff."""
    return Figures(
        quote.currency,
        quote.custom.nre,
        quote.custom.total,
        quote.rate_card.path,
        quote.rate_card_name,
        quote.rate_card_version,
    )


class QuoteDiff(NamedTuple):
    """One estimate priced twice: before (past) and after (current), and what moved."""

    id: str
    path: str
    past: Figures
    current: Figures
    changes: tuple[Change, ...] = ()

    @property
    def comparable(self) -> bool:
        """Tell whether the two are in one currency, so that they can be subtracted."""
        return self.past.currency == self.current.currency

    def change(self, figure: str) -> Decimal | None:
        """Return how much nre or total moved; None across currencies."""
        if not self.comparable:
            return None
        return EXACT.subtract(getattr(self.current, figure), getattr(self.past, figure))

    def percent(self, figure: str) -> Decimal | None:
        """Return the move in percent of the old figure; None when that is 0 (or currencies)."""
        if not self.comparable:
            return None
        return percent_change(getattr(self.past, figure), getattr(self.current, figure))

    @property
    def direction(self) -> str:
        """Say where the quote went: up, down, unchanged, or currency (it changed currency)."""
        if not self.comparable:
            return "currency"
        for figure in ("total", "nre"):
            moved = self.change(figure) or Decimal(0)
            if moved:
                return "up" if moved > 0 else "down"
        return "unchanged"

    @property
    def moved(self) -> bool:
        """Tell whether a figure or, for a revision, anything in the quote changed."""
        return self.direction != "unchanged" or bool(self.changes)


class Tally(NamedTuple):
    """The estimates of one currency: how many, which way they went, and by how much."""

    estimates: int
    up: int
    down: int
    unchanged: int
    currency_changed: int
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
        """
        found = []
        for each in self.quotes:
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
            if not each.comparable:
                message = (
                    f"the custom total moves from {each.past.currency} to "
                    f"{each.current.currency}: no percentage can pass --fail-above {percent}%"
                )
            found.append(Problem(each.path, message, field=each.id))
        return found


def _tally(quotes: list[QuoteDiff]) -> Tally:
    ways = [each.direction for each in quotes]
    same = [each for each in quotes if each.comparable]
    return Tally(
        len(quotes),
        ways.count("up"),
        ways.count("down"),
        ways.count("unchanged"),
        ways.count("currency"),
        exact_sum(each.change("nre") or Decimal(0) for each in same),
        exact_sum(each.change("total") or Decimal(0) for each in same),
    )


# --- what changed in a rate card -----------------------------------------------------------------


def card_changes(old: RateCard, new: RateCard) -> list[Change]:
    """List what changed from one card to the other: dates, roles, standard, policy, services."""
    found: list[Change] = []
    for name in ("currency", "effective_from", "effective_until"):
        found.extend(_compare("card", name, getattr(old, name), getattr(new, name)))
    for role in _keys(old.roles, new.roles):
        found.extend(_compare("roles", role, old.roles.get(role), new.roles.get(role), "rate"))
    for name in StandardOffer.model_fields:
        before, after = getattr(old.standard, name), getattr(new.standard, name)
        found.extend(_compare("standard", f"standard.{name}", before, after, "rate"))
    for name in Policy.model_fields:
        unit = "money" if name in POLICY_MONEY else "ratio"
        before, after = getattr(old.policy, name), getattr(new.policy, name)
        found.extend(_compare("policy", f"policy.{name}", before, after, unit))
    for key in _keys(old.services, new.services):
        was, now = old.services.get(key), new.services.get(key)
        item = f"services.{key}"
        if was is None or now is None:
            before = None if was is None else was.per_year
            after = None if now is None else now.per_year
            found.extend(_compare("services", item, before, after, "rate"))
            continue
        for name in ("name", "description", "per_year"):
            before, after = getattr(was, name), getattr(now, name)
            found.extend(_compare("services", f"{item}.{name}", before, after, "rate"))
    found.extend(_fx_changes(old, new))
    if old.currency != new.currency:
        return [change._replace(one_currency=False) for change in found]
    return found


def _fx_changes(old: RateCard, new: RateCard) -> list[Change]:
    """List the exchange rates added, removed or changed, each by its pair and date."""
    was, now = _rates(old), _rates(new)
    found: list[Change] = []
    for key in _keys(was, now):
        before, after = was.get(key), now.get(key)
        rates = [None if rate is None else rate.rate for rate in (before, after)]
        found.extend(_compare("fx", key, rates[0], rates[1], "fx"))
        if before is not None and after is not None:
            found.extend(_compare("fx", f"{key}.source", before.source, after.source))
    return found


def _rates(card: RateCard) -> dict[str, FxRate]:
    """Key a card's exchange rates by pair and date: fx.CNY.USD.2026-11-20."""
    return {f"fx.{rate.from_}.{rate.to}.{rate.date}": rate for rate in card.fx}


def _keys(old: Iterable[str], new: Iterable[str]) -> list[str]:
    """Return the keys of both, in the old order, then the new ones in theirs."""
    return list(dict.fromkeys([*old, *new]))


def _compare(section: str, item: str, old: Value, new: Value, amount: str = "") -> list[Change]:
    """Return the change from old to new, if any; amount is the unit of a Decimal value."""
    if old == new and type(old) is type(new):
        return []
    mark = "+" if old is None else "-" if new is None else "~"
    return [Change(section, item, mark, _unit(old if new is None else new, amount), old, new)]


def _unit(value: Value, amount: str) -> str:
    if isinstance(value, bool | str):
        return "text"
    if isinstance(value, int):
        return "number"
    if isinstance(value, date):
        return "date"
    return amount or "money"


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
        ("discount_rate", a.discount_rate, b.discount_rate, "ratio"),
        ("upgrades_per_year", a.upgrades_per_year, b.upgrades_per_year, ""),
        ("term_years", a.term_years, b.term_years, ""),
        ("lead_time_weeks", a.lead_time_weeks, b.lead_time_weeks, "weeks"),
        ("confidence", a.risk.confidence, b.risk.confidence, "ratio"),
    ]
    for name, before, after, unit in terms:
        found.extend(_compare("terms", name, before, after, unit))
    found.extend(_lines("build", a.build, b.build))
    found.extend(_lines("per_upgrade", a.per_upgrade, b.per_upgrade))
    services_a = {s.key: exact_sum(s.years) for s in a.services}
    services_b = {s.key: exact_sum(s.years) for s in b.services}
    for key in _keys(services_a, services_b):
        before, after = services_a.get(key), services_b.get(key)
        found.extend(_compare("custom_services", key, before, after))
    options_a = {o.key: o.total for o in old.options}
    options_b = {o.key: o.total for o in new.options}
    for key in _keys(options_a, options_b):
        found.extend(_compare("options", key, options_a.get(key), options_b.get(key)))
    for name in FIGURES:
        found.extend(_compare("figures", name, getattr(a, name), getattr(b, name)))
    standard = ("standard_total", old.standard.total, new.standard.total)
    found.extend(_compare("figures", *standard))
    return found


def _fx_rate(quote: Quote) -> Decimal | None:
    return None if quote.fx is None else quote.fx.rate


def _fx_date(quote: Quote) -> date | None:
    return None if quote.fx is None else quote.fx.date


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
    for task in _keys(before, after):
        was, now = before.get(task), after.get(task)
        if was is None or now is None:
            yield from _compare(section, task, was and was.amount, now and now.amount)
            continue
        for name, unit in (*LINE_FIELDS, ("amount", "money")):
            for change in _compare(section, task, getattr(was, name), getattr(now, name), unit):
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
            pair = _priced(estimate, doc, path, (before, after), today, lookup)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if pair is not None:
            quotes.append(QuoteDiff(estimate.id, doc.path, figures(pair[0]), figures(pair[1])))
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
) -> tuple[Quote, Quote] | None:
    """Price an estimate with both cards when it uses them; None when it uses another card.

    It uses them when its card, found as `quote` finds it (SPEC 2.3) on its date, is either
    file. When neither file is in a rates/ folder (two drafts, or cards taken out of git), a
    bare `rate_card:` name equal to either card's `name:` uses them too.
    """
    if not _uses(estimate, doc, path, cards, today, lookup):
        return None
    for found in cards:
        check_references(doc, found, estimate.date or today)
    source = Source(doc.path, doc.sha256)
    old, new = (
        build_quote(estimate, found.card, today=today, rate_card=_source(found), source=source)
        for found in cards
    )
    return old, new


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
