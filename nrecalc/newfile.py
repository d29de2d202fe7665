"""A new estimate as commented YAML (nrecalc new): the answers given, or a skeleton to fill in.

Pure: answers in, text out. The text reads back through the loader as the answers given, and
explains every field beside it, as the examples do; the optional fields are there, commented
out, ready to use.
"""

from __future__ import annotations

import json
import re
import shlex
import textwrap
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from .escape import printable
from .fields import LAST_DATE
from .money import plain

# A number of weeks, or a three-point range (low, likely, high).
Weeks = Decimal | tuple[Decimal, Decimal, Decimal]
COMMENT_AT = 30  # the column a comment starts at, as in the examples
MAX_LISTED = 12  # roles or services named in a comment; the rest are counted
_WIDTH = 96  # comment lines are wrapped to this width
# A quote's id as nrecalc new suggests it: Q-YEAR-NUMBER (q-... is the same id to a batch).
_ID = re.compile(r"Q-([0-9]{4})-([0-9]{4,9})", re.IGNORECASE)
# Text that reads back as itself unquoted: a letter first; no ':', '#', quotes or brackets.
_PLAIN = re.compile(r"[^\W\d_][\w .,'()/&+-]*")
_NOT_TEXT = {"true", "false", "yes", "no", "on", "off", "y", "n", "null"}


class Line(NamedTuple):
    """An effort line: a task, the role doing it, how many people, for how many weeks."""

    task: str
    role: str
    engineers: int
    weeks: Weeks


class Card(NamedTuple):
    """What the estimate's comments say of its rate card."""

    name: str
    currency: str
    roles: tuple[str, ...]
    services: tuple[str, ...] = ()
    converts_to: tuple[str, ...] = ()  # the currencies its fx table has rates to


class Draft(NamedTuple):
    """The answers of nrecalc new: everything an estimate needs."""

    id: str
    customer: str
    title: str
    day: date
    card: Card
    build: tuple[Line, ...]
    per_upgrade: tuple[Line, ...] = ()
    upgrades_per_year: int = 4
    term_years: int = 3
    discount: Decimal = Decimal(0)
    language: str = "en"
    tags: tuple[str, ...] = ()  # what kind of request (slugs), for nrecalc report


def default_role(card: Card) -> str:
    """Return the role offered first: engineer when the card has it, else its first role."""
    return "engineer" if "engineer" in card.roles else card.roles[0]


def skeleton(quote_id: str, day: date, card: Card) -> Draft:
    """Return a skeleton's answers: example values to replace, valid as they stand."""
    role = default_role(card)
    return Draft(
        quote_id,
        "Customer name",
        "What the customer asks for, in a line",
        day,
        card,
        build=(Line("The custom work", role, 1, Decimal(2)),),
        per_upgrade=(Line("Compatibility testing", role, 1, Decimal("0.5")),),
    )


def next_id(taken: Iterable[str], year: int) -> str:
    """Return the id after the highest Q-YEAR-NNNN taken (ids and file names), else Q-YEAR-0001."""
    numbers = [int(m[2]) for name in taken if (m := _ID.fullmatch(name)) and int(m[1]) == year]
    return f"Q-{year}-{max(numbers, default=0) + 1:04d}"


def scalar(text: str) -> str:
    """Write text as a YAML scalar: plain when it reads back as the same text, else quoted."""
    if _PLAIN.fullmatch(text) and text == text.rstrip() and text.lower() not in _NOT_TEXT:
        return text
    quoted = json.dumps(text, ensure_ascii=False)  # JSON's strings are YAML's double-quoted ones
    # ... but for two characters a YAML stream may not hold as they are (the files' text may)
    return quoted.replace("\ufffe", "\\ufffe").replace("\uffff", "\\uffff")


def weeks(value: Weeks) -> str:
    """Write a number of weeks, or a range as {low: 2, likely: 3, high: 6}."""
    if isinstance(value, Decimal):
        return plain(value)
    low, likely, high = map(plain, value)
    return f"{{low: {low}, likely: {likely}, high: {high}}}"


def _row(text: str, comment: str = "") -> str:
    """A line, with its comment at COMMENT_AT (or two spaces after a long line)."""
    if not comment:
        return text
    return f"{text}{' ' * max(COMMENT_AT - len(text), 2)}# {printable(comment)}"


def _note(indent: str, text: str) -> list[str]:
    """A comment of its own, wrapped."""
    prefix = f"{indent}# "
    return textwrap.wrap(
        printable(text),
        _WIDTH,
        initial_indent=prefix,
        subsequent_indent=prefix,
        break_on_hyphens=False,
    )


def listed(names: tuple[str, ...]) -> str:
    """Name the first MAX_LISTED of names, and count the rest."""
    shown = ", ".join(names[:MAX_LISTED])
    rest = len(names) - MAX_LISTED
    return f"{shown} and {rest:,} more" if rest > 0 else shown


def estimate_text(draft: Draft, shown: str, *, is_skeleton: bool = False) -> str:
    """Write a draft as a commented estimate; shown is the file's name, for the header."""
    lines = [
        *_header(draft, shown, is_skeleton),
        *_identity(draft),
        "",
        *_custom(draft),
        "",
        *_terms(draft),
        "",
        *_optional(),
        "",
        *_report(draft),
    ]
    return "\n".join(lines) + "\n"


def _header(draft: Draft, shown: str, is_skeleton: bool) -> list[str]:
    command = f"nrecalc quote {shlex.quote(printable(shown))}"
    if is_skeleton:
        text = [
            "A new estimate to fill in, written by nrecalc new. It is valid as it stands: "
            "replace the example values (customer, title, the tasks and their effort), "
            "then quote it.",
        ]
    else:
        text = [f"Quote {draft.id} for {draft.customer}, written by nrecalc new."]
    text.append(
        "Each field is explained beside it; the optional ones are commented out: remove "
        "the '# ' to use one. `nrecalc schema estimate` describes them all."
    )
    return [*(line for part in text for line in _note("", part)), f"#   {command}"]


def _identity(draft: Draft) -> list[str]:
    card = draft.card
    other = (*card.converts_to, "EUR" if card.currency == "USD" else "USD")[0]
    if card.converts_to:
        converts = f"the card's fx converts (to {', '.join(card.converts_to)})"
    else:  # uncommented, the line is an error until the card has a rate to that currency
        converts = "the card needs an fx: rate to it first (docs/currencies.md)"
    return [
        "kind: estimate",
        _row(f"id: {scalar(draft.id)}", "the quote's id"),
        _row(f"customer: {scalar(draft.customer)}", "who asks"),
        _row(f"title: {scalar(draft.title)}", "what is asked, in a line"),
        _row(f"date: {draft.day.isoformat()}", "the quote's date; valid for the card's days"),
        _row(f"rate_card: {scalar(card.name)}", "a rate card name (found in rates/), or a path"),
        _row(
            f"# currency: {other}",
            f"the quote's, if not {card.currency}: {converts}",
        ),
        _row(f"language: {draft.language}", "en, zh-CN, or zh-CN+en (bilingual)"),
    ]


def _custom(draft: Draft) -> list[str]:
    card = draft.card
    lines = [
        "custom:",
        *_note(
            "  ",
            f"Roles of rate card {card.name} ({card.currency} a person-week): "
            f"{listed(card.roles)}.",
        ),
        _row("  build:", "one-time work: engineers x weeks x the role's weekly rate"),
        *_effort(draft.build, explained=True),
    ]
    upgrade = "effort repeated on EVERY platform upgrade, for the whole term"
    if draft.per_upgrade:
        lines += [_row("  per_upgrade:", upgrade), *_effort(draft.per_upgrade)]
    else:
        lines.append(_row("  per_upgrade: []", f"{upgrade}: none"))
    sold = f"sold per year: {listed(card.services)}" if card.services else "the card sells none"
    example = card.services[0] if card.services else ""
    lines += [
        _row(f"  upgrades_per_year: {draft.upgrades_per_year}", "platform releases a year"),
        _row(f"  term_years: {draft.term_years}", "years the customer keeps the custom work"),
        _row("  # lead_time_weeks: 3", "weeks to go live; default: the build weeks added up"),
        _row(f"  # services: [{scalar(example) if example else ''}]", f"service packages, {sold}"),
    ]
    return lines


def _effort(items: tuple[Line, ...], *, explained: bool = False) -> list[str]:
    lines = []
    for index, item in enumerate(items):
        said = explained and index == 0
        lines += [
            f"    - task: {scalar(item.task)}",
            _row(f"      role: {scalar(item.role)}", "a role of the rate card" if said else ""),
            _row(f"      engineers: {item.engineers}", "a whole number of people" if said else ""),
            _row(
                f"      weeks: {weeks(item.weeks)}",
                "0.5 is half a week; a range: {low: 2, likely: 3, high: 6}" if said else "",
            ),
        ]
    return lines


def _terms(draft: Draft) -> list[str]:
    return [
        _row(f"discount: {plain(draft.discount)}", "a fraction of the custom subtotal: 0.05 is 5%"),
        _row("# confidence: 0.8", "ranges of weeks are priced at this level (0.5: the mean)"),
    ]


def _optional() -> list[str]:
    return [
        _row("# standard:", "the standard option, beside the custom one"),
        _row("#   coaching_days: 1", "days of technical coaching to get going"),
        _row("# productize:", "the feature joins the standard platform in a later release"),
        _row("#   release_weeks: 12", "weeks until that release; needs policy.productize_share"),
        _row("# prepared_by:", "who prepared the quote: signs the cover note"),
        "#   name: Li Wei",
        "#   email: li.wei@example.com",
        "#   phone: +86 138 0000 0000",
        _row("# payment:", "milestones of the one-time part; shares add up to 1"),
        "#   - {milestone: Signing, share: 0.30}",
        "#   - {milestone: Delivery, share: 0.40}",
        "#   - {milestone: Acceptance, share: 0.30}",
        _row("# assumptions:", "what the price assumes, carried into the quote"),
        "#   - The customer provides a staging environment during the build.",
        _row("# exclusions:", "what the price does not include"),
        "#   - Changes to the customer's own systems.",
    ]


def _report(draft: Draft) -> list[str]:
    """The tags given (else an example, commented out), and the outcome to fill in once known."""
    explained = "what kind of request: lowercase words joined by hyphens"
    if draft.tags:
        tags = _row(f"tags: [{', '.join(map(scalar, draft.tags))}]", explained)
    else:
        tags = _row("# tags: [reverse-push, mqtt]", explained)
    # A decided outcome is dated, on or after the quote's date: two weeks on, as an example.
    decided = min(draft.day, LAST_DATE - timedelta(days=14)) + timedelta(days=14)
    return [
        *_note(
            "",
            "For nrecalc report, never shown in a quote: what kind of request this is, and how "
            "it ended (`nrecalc report FOLDER` reads them).",
        ),
        tags,
        _row("# outcome:", "how the request ended, once decided; without it: open"),
        _row("#   status: custom", "open, custom (paid for it), standard, productize or declined"),
        _row(f"#   date: {decided.isoformat()}", "the day decided: on or after the quote's date"),
        _row("#   note: Paid for the custom work, upgrade charges included.", "why, in a line"),
    ]
