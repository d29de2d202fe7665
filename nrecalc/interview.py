"""nrecalc new: the questions, each answer checked as the loader checks its field, and the draft.

The questions are asked through an Ask: questionary on a terminal (cli/new.py), a script in the
tests. An answer is read as the file would hold it (the strict YAML rules: `5%` stays text) and
checked by its field's own rule (fields.py), so a wrong answer gets the loader's message, and
the estimate written is one that `validate` accepts. It is priced, before it is written, by the
pipeline `quote` uses.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from . import fields
from .catalog import Found, RateCards, above_max_discount, shown_path
from .errors import InputError, OutputError, Problem
from .loader import check_kind, read_document, to_model, too_many
from .models import Estimate, Range, tag_twice
from .money import format_rate
from .newfile import (
    Card,
    Draft,
    Line,
    Weeks,
    default_role,
    estimate_text,
    listed,
    next_id,
    skeleton,
)
from .output import check_target, id_file_problem
from .pipeline import check_inputs, price
from .pricing import Quote
from .strict_yaml import parse, resolve_plain

# What an answer gives (the value a file would hold), or ValueError saying why not.
Check = Callable[[str], Any]
LANGUAGES = (
    ("en", "English (en)"),
    ("zh-CN", "Chinese, 简体中文 (zh-CN)"),
    ("zh-CN+en", "Bilingual, Chinese first (zh-CN+en)"),
)


class Ask(Protocol):
    """Asks one question at a time, and returns the answer once its check passes."""

    def text(self, question: str, check: Check, default: str = "") -> str:
        """Ask for text; the answer is given back only when check(answer) raises nothing."""

    def select(self, question: str, choices: Sequence[tuple[str, str]], default: str) -> str:
        """Ask to choose one of the choices (value, title); return the value."""

    def confirm(self, question: str, default: bool) -> bool:
        """Ask yes or no."""


class Setup(NamedTuple):
    """What the questions start from: the day, the rate cards offered, an id to suggest."""

    today: date
    cards: tuple[Found, ...]  # the first is suggested
    suggested_id: str
    folder: Path  # where the estimate goes: its rate cards are found from here
    names_file: bool  # no FILE given: the id names it, <id>.yaml in folder
    force: bool
    tags_used: tuple[str, ...] = ()  # by the estimates in folder, the most used first
    ids: tuple[tuple[str, Path], ...] = ()  # the estimates in folder: each one's id and file


class Made(NamedTuple):
    """A new estimate: its file, its text, its quote, and any warnings on the way."""

    target: Path
    text: str
    quote: Quote
    warnings: list[Problem]


class CardNotFound(ValueError):
    """No rate card of the name asked for is found (a usage error); warnings say what was left
    out, and why."""

    def __init__(self, message: str, warnings: list[Problem]) -> None:
        super().__init__(message)
        self.warnings = warnings


# --- the checks ------------------------------------------------------------------------------


def _field(field: str, kind: Any, value: Any) -> Any:
    try:
        return fields.check(kind, value)
    except ValueError as exc:
        raise ValueError(f"{field}: {exc}") from None


def _read(field: str, answer: str) -> Any:
    """Read a typed answer as a file would hold it, unquoted: 3 is a number, 5% is text."""
    try:
        return resolve_plain(answer.strip())
    except ValueError as exc:
        raise ValueError(f"{field}: {exc}") from None


def named(field: str) -> Check:
    """Check a name: one line of text (customer, title, task)."""
    return lambda answer: _field(field, fields.Text, answer.strip())


def counted(field: str, kind: Any) -> Check:
    """Check a whole number (engineers, upgrades per year, years)."""
    return lambda answer: _field(field, kind, _read(field, answer))


def effort(field: str) -> Check:
    """Check weeks: one number, or three as low/likely/high (2/3/6)."""

    def check(answer: str) -> Weeks:
        parts = answer.split("/")
        if len(parts) == 1:
            number: Decimal = _field(field, fields.ItemWeeksNumber, _read(field, answer))
            return number
        if len(parts) != 3:
            raise ValueError(f"{field}: give one number of weeks, or three as low/likely/high")
        names = ("low", "likely", "high")
        given = {
            name: _read(f"{field}.{name}", part) for name, part in zip(names, parts, strict=True)
        }
        from pydantic import ValidationError

        try:
            found = Range.model_validate(given)
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            raise ValueError(f"{field}.{error['loc'][0]}: {error['msg']}") from None
        return found.low, found.likely, found.high

    return check


def tagged(answer: str) -> tuple[str, ...]:
    """Check tags: slugs separated by commas or spaces, each as the loader checks `tags:`."""
    tags = tuple(
        _field(f"tags[{index}]", fields.Tag, word)
        for index, word in enumerate(word for word in re.split(r"[\s,]+", answer) if word)
    )
    if len(tags) > fields.MAX_ITEMS:
        raise ValueError(f"tags: {too_many(list(tags), fields.MAX_ITEMS)}")
    twice = tag_twice(tags)
    if twice is not None:
        raise ValueError(f"tags[{twice[0]}]: {twice[1]}")
    return tags


def discount(found: Found) -> Check:
    """Check a discount: a fraction, within the rate card's maximum (SPEC 8.3)."""

    def check(answer: str) -> Decimal:
        value: Decimal = _field("discount", fields.Ratio, _read("discount", answer))
        limit = found.card.policy.max_discount
        if limit is not None and value > limit:
            raise ValueError(f"discount: {above_max_discount(value, limit, found)}")
        return value

    return check


def quote_id(setup: Setup) -> Check:
    """Check the quote's id; when it names the file, the file must be free (or --force)."""

    def check(answer: str) -> str:
        value: str = _field("id", fields.Text, answer.strip())
        if setup.names_file:
            problem = id_file_problem(value, "the estimate's file")
            if problem is not None:
                raise ValueError(f"id: {problem}")
            try:
                check_target(setup.folder / f"{value}.yaml", force=setup.force)
            except OutputError as exc:
                raise ValueError(f"id: {value}.yaml {exc.problems[0].message}") from None
        written = setup.folder / f"{value}.yaml" if setup.names_file else None
        problem = id_taken(value, [each for each in setup.ids if not _same(each[1], written)])
        if problem is not None:
            raise ValueError(f"id: {problem}")
        return value

    return check


def id_taken(value: str, ids: Sequence[tuple[str, Path]]) -> str | None:
    """Say which estimates have the id already, compared as a batch compares ids (casefolded):
    nrecalc report and a batch refuse them all."""
    same = [(other, path) for other, path in ids if other.casefold() == value.casefold()]
    if not same:
        return None
    files = ", ".join(os.path.normpath(path) for _, path in same)
    cased = next((other for other, _ in same if other != value), None)
    case = f" (as {cased!r}: ids that differ in case alone are one)" if cased else ""
    return f"{value!r} is already the id of {files}{case}; give each quote its own id"


def _same(path: Path, other: Path | None) -> bool:
    """Tell whether two paths are one file (the file new replaces, with --force)."""
    try:
        return other is not None and os.path.samefile(path, other)
    except OSError:
        return False


# --- the questions ---------------------------------------------------------------------------


def _answer(ask: Ask, question: str, check: Check, default: str = "") -> Any:
    return check(ask.text(question, check, default))


def interview(ask: Ask, setup: Setup) -> Draft:
    """Ask every question of a new estimate, in order; return the answers."""
    customer = _answer(ask, "Customer (who asks)", named("customer"))
    title = _answer(ask, "Title (what is asked, in a line)", named("title"))
    tags = _answer(ask, tags_question(setup.tags_used), tagged)
    chosen_id = _answer(ask, "Quote id", quote_id(setup), setup.suggested_id)
    found = _rate_card(ask, setup.cards)
    card = card_facts(found)
    build = _lines(ask, "build", "Build line", found)
    per_upgrade: tuple[Line, ...] = ()
    if ask.confirm("Does every platform upgrade take effort (per-upgrade lines)?", True):
        per_upgrade = _lines(ask, "per_upgrade", "Per-upgrade line", found)
    upgrades = _answer(
        ask,
        "Platform upgrades per year",
        counted("custom.upgrades_per_year", fields.UpgradesPerYear),
        "4",
    )
    term = _answer(ask, "Term in years", counted("custom.term_years", fields.TermYears), "3")
    given = _answer(ask, "Discount (a fraction: 0.05 is 5%)", discount(found), "0")
    language = ask.select("Language of the quote", LANGUAGES, "en")
    head = (chosen_id, customer, title, setup.today, card)
    return Draft(*head, build, per_upgrade, upgrades, term, given, language, tags)


def tags_question(used: tuple[str, ...]) -> str:
    """Ask for tags, naming those the folder's estimates use."""
    here = f"; used here: {listed(used)}" if used else ""
    rule = "slugs such as reverse-push, mqtt, separated by commas or spaces; Enter for none"
    return f"Tags ({rule}{here})"


def _rate_card(ask: Ask, cards: Sequence[Found]) -> Found:
    choices = [
        (str(i), f"{f.card.name} {f.card.version}, {f.card.currency} ({f.shown})")
        for i, f in enumerate(cards)
    ]
    return cards[int(ask.select("Rate card", choices, "0"))]


def _lines(ask: Ask, section: str, label: str, found: Found) -> tuple[Line, ...]:
    """Ask for effort lines, one after another, until no more is wanted."""
    card = found.card
    roles = [
        (role, f"{role} ({format_rate(rate, card.currency)} a week)")
        for role, rate in card.roles.items()
    ]
    lines: list[Line] = []
    while True:
        where, name = f"custom.{section}[{len(lines)}]", f"{label} {len(lines) + 1}"
        task = _answer(ask, f"{name}: task", named(f"{where}.task"))
        role = ask.select(f"{name}: role", roles, default_role(card_facts(found)))
        engineers = counted(f"{where}.engineers", fields.Engineers)
        people = _answer(ask, f"{name}: engineers", engineers, "1")
        question = f"{name}: weeks (a number, or low/likely/high as 2/3/6)"
        weeks = _answer(ask, question, effort(f"{where}.weeks"))
        lines.append(Line(task, role, people, weeks))
        if len(lines) >= fields.MAX_ITEMS or not ask.confirm(f"Another {label.lower()}?", False):
            return tuple(lines)


# --- the setting, and the estimate made -------------------------------------------------------


def card_facts(found: Found) -> Card:
    """Return what an estimate's comments say of its rate card."""
    card = found.card
    targets = tuple(sorted({rate.to for rate in card.fx}))
    return Card(card.name, card.currency, tuple(card.roles), tuple(card.services), targets)


def prepare(
    target: Path | None, rate_card: str | None, *, today: date, force: bool, cards: RateCards
) -> tuple[Setup, list[Problem]]:
    """Find what a new estimate starts from: the rate cards offered, an id; and any warnings.

    target: the file, or None for <id>.yaml in the current folder. rate_card: the one name to
    offer (CardNotFound when no card of that name is found). The warnings (cards left out, and
    why) come with either error too: the first problems of the InputError, or CardNotFound's.
    """
    folder = target.parent if target is not None else Path(".")
    offered, problems = cards.offered(folder / "estimate.yaml", today)
    warnings = [*cards.warnings, *problems]  # why a card is not offered: told before an error
    if rate_card is not None:
        names = ", ".join(f.card.name for f in offered) or "none"
        offered = [f for f in offered if f.card.name == rate_card]
        if not offered:
            message = f"no rate card named {rate_card!r} is found from here (found: {names})"
            raise CardNotFound(message, warnings)
    if not offered:
        message = "no rate card found: put one in a rates/ folder beside the estimate, or above it"
        raise InputError([*warnings, Problem(shown_path(folder), message)])
    taken, tags, ids = in_folder(folder)
    suggested = next_id(taken, today.year)
    ids = tuple(each for each in ids if not _same(each[1], target))  # replaced: not another
    head = (today, tuple(offered), suggested, folder, target is None, force)
    return Setup(*head, tags, ids), warnings


def in_folder(folder: Path) -> tuple[set[str], tuple[str, ...], tuple[tuple[str, Path], ...]]:
    """Return the ids taken in folder (its estimates' ids, its YAML files' names, no suffix),
    the tags its estimates use, the most used first, and each estimate's id and file."""
    try:
        paths = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
    except OSError:
        return set(), (), ()
    taken = set()
    ids: list[tuple[str, Path]] = []
    used: Counter[str] = Counter()
    for path in paths:
        taken.add(path.stem)
        try:
            data = read_document(path).data
        except InputError:
            continue  # not one of ours, or broken: its name is taken all the same
        if data.get("kind") != "estimate":
            continue
        if isinstance(data.get("id"), str):
            taken.add(data["id"])
            with suppress(ValueError):  # as the batch reads it (NFC); a wrong one is no row
                ids.append((fields.check(fields.Text, data["id"]), path))
        used.update(_good_tags(data.get("tags")))
    tags = tuple(tag for tag, _ in sorted(used.items(), key=lambda kv: (-kv[1], kv[0])))
    return taken, tags, tuple(ids)


def _good_tags(given: Any) -> set[str]:
    """Return the tags of an estimate's `tags:` that are tags (a file may be wrong)."""
    good = set()
    for tag in given if isinstance(given, list) else ():
        try:
            good.add(fields.check(fields.Tag, tag))
        except ValueError:
            continue
    return good


def make(
    draft: Draft, setup: Setup, target: Path | None, cards: RateCards, *, is_skeleton: bool
) -> Made:
    """Write the draft as an estimate's text and price it as quote would price the file."""
    path = target if target is not None else setup.folder / f"{draft.id}.yaml"
    shown = os.path.normpath(path)
    text = estimate_text(draft, shown, is_skeleton=is_skeleton)
    doc = parse(text, shown)
    check_kind(doc, "estimate")
    estimate = to_model(doc, Estimate)
    inputs = check_inputs(estimate, doc, path, today=setup.today, cards=cards)
    return Made(path, text, price(inputs, today=setup.today), inputs.warnings)


def first_skeleton(setup: Setup) -> Draft:
    """Return the skeleton's answers, with the first rate card offered."""
    return skeleton(setup.suggested_id, setup.today, card_facts(setup.cards[0]))
