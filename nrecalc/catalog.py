"""Find the rate card an estimate names (SPEC 2.3) and check that the two agree."""

from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from .errors import InputError, Problem
from .loader import (
    Document,
    check_kind,
    did_you_mean,
    display_path,
    load_estimate,
    read_document,
    to_model,
)
from .models import Estimate, RateCard

if TYPE_CHECKING:
    from .pricing import Quote

BUNDLED = "<bundled>"


@cache
def bundled_rates() -> Path:
    """Return the folder of the rate cards shipped with nrecalc."""
    here = Path(__file__).resolve().parent
    inside = here / "rates"
    return inside if inside.is_dir() else here.parent / "rates"


class Found(NamedTuple):
    """A rate card, the document it came from, and how the quote names its file."""

    card: RateCard
    doc: Document
    shown: str


def looks_like_path(value: str) -> bool:
    """Tell whether a rate_card value is a path rather than a name (SPEC 2.3)."""
    return "/" in value or value.endswith((".yaml", ".yml"))


class RateCards:
    """Finds rate cards (SPEC 2.3), reading each folder and file at most once.

    One instance serves one command, so that validating a thousand estimates that name the
    same card parses that card once.
    """

    def __init__(self) -> None:
        # Keyed by the file and the name it is shown by, so that every report names a file
        # the way the user reached it.
        self._documents: dict[tuple[Path, str], Document | InputError] = {}
        self._cards: dict[tuple[Path, str], Found | InputError] = {}
        self._listings: dict[Path, list[Path] | InputError] = {}
        self._named: dict[tuple[Path, str], tuple[list[Found], Path] | None] = {}

    def document(self, path: Path, shown: str) -> Document:
        """Read and parse a YAML file (once)."""
        key = (resolved(path), shown)
        if key not in self._documents:
            try:
                self._documents[key] = read_document(path, shown)
            except InputError as exc:
                self._documents[key] = exc
        return _or_raise(self._documents[key])

    def card(self, path: Path, shown: str) -> Found:
        """Read and validate a rate card file (once)."""
        key = (resolved(path), shown)
        if key not in self._cards:
            try:
                doc = self.document(path, shown)
                check_kind(doc, "rate-card")
                self._cards[key] = Found(to_model(doc, RateCard), doc, shown)
            except InputError as exc:
                self._cards[key] = exc
        return _or_raise(self._cards[key])

    def find(
        self,
        rate_card: str,
        doc: Document,
        estimate_path: Path,
        day: date,
        rates: Path | None = None,
    ) -> tuple[Found, list[Problem]]:
        """Find the rate card an estimate names; return it and any warnings."""
        if rates is not None:
            return self._by_path(rates, day)
        if looks_like_path(rate_card):
            path = estimate_path.parent / rate_card
            shown = display_path(path)
            try:
                kind = self.document(path, shown).data.get("kind")
            except InputError as exc:
                if exists(path):
                    raise
                message = f"no such file: {shown} (relative to the estimate)"
                raise InputError([doc.problem(("rate_card",), message)]) from exc
            if kind != "rate-card":
                message = f"{shown} is not a rate card (its kind: is {kind!r})"
                raise InputError([doc.problem(("rate_card",), message)])
            return self._by_path(path, day)
        return self._by_name(rate_card, doc, estimate_path, day), []

    def _by_path(self, path: Path, day: date) -> tuple[Found, list[Problem]]:
        found = self.card(path, display_path(path))
        if found.card.covers(day):
            return found, []
        return found, [out_of_dates(found, day, "used as given", severity="warning")]

    def _by_name(self, name: str, doc: Document, estimate_path: Path, day: date) -> Found:
        start = resolved(estimate_path).parent
        if (start, name) not in self._named:
            self._named[start, name] = self._nearest(name, start)
        nearest = self._named[start, name]
        if nearest is not None:
            candidates, folder = nearest
            return _in_effect(name, candidates, doc, day, folder)
        names = sorted(self._names_in(bundled_rates()))
        shipped = f" (shipped: {', '.join(names)})" if names else ""
        raise InputError(
            [
                doc.problem(
                    ("rate_card",),
                    f"no rate card named {name!r} in a rates/ folder beside the estimate or "
                    f"above it, nor among the shipped ones{shipped}; name one, or give a path",
                )
            ]
        )

    def _nearest(self, name: str, start: Path) -> tuple[list[Found], Path] | None:
        """Return the versions of the named card in the nearest folder that has it."""
        seen: set[Path] = set()
        for folder, bundled in _folders(start):
            if not is_dir(folder) or resolved(folder) in seen:
                continue
            seen.add(resolved(folder))
            candidates = self._cards_named(name, folder, bundled)
            if candidates:
                return candidates, folder
        return None

    def _yaml_files(self, folder: Path) -> list[Path]:
        key = resolved(folder)
        if key not in self._listings:
            try:
                self._listings[key] = sorted(
                    p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()
                )
            except OSError as exc:
                message = f"cannot read the rate cards here: {exc.strerror or exc}"
                self._listings[key] = InputError.at(display_path(folder), message)
        return _or_raise(self._listings[key])

    def _cards_named(self, name: str, folder: Path, bundled: bool) -> list[Found]:
        found = []
        for path in self._yaml_files(folder):
            shown = f"{BUNDLED}/{path.name}" if bundled else display_path(path)
            data = self.document(path, shown).data
            if data.get("kind") == "rate-card" and data.get("name") == name:
                found.append(self.card(path, shown))
        return found

    def _names_in(self, folder: Path) -> set[str]:
        if not is_dir(folder):
            return set()
        names = set()
        for path in self._yaml_files(folder):
            try:
                data = self.document(path, display_path(path)).data
            except InputError:
                continue
            if data.get("kind") == "rate-card" and isinstance(data.get("name"), str):
                names.add(data["name"])
        return names


T = TypeVar("T")


def resolved(path: Path) -> Path:
    """Return the real path, or the absolute one when it cannot be resolved."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a name too long, a loop of links
        return path.absolute()


def is_dir(path: Path) -> bool:
    """Tell whether path is a folder; one that cannot be looked at is not."""
    try:
        return path.is_dir()
    except OSError:
        return False


def exists(path: Path) -> bool:
    """Tell whether path exists; one that cannot be looked at does (reading it says why)."""
    try:
        return path.exists()
    except OSError:
        return True  # it is there, but cannot be looked at: say why when it is read


def _or_raise(value: T | InputError) -> T:
    if isinstance(value, InputError):
        raise value
    return value


def out_of_dates(found: Found, day: date, consequence: str, severity: str = "error") -> Problem:
    """Say that a rate card is not in effect on day, at the card's effective_from."""
    card = found.card
    where = found.doc.mark(("effective_from",))
    until = card.effective_until or "open-ended"
    return Problem(
        found.shown,
        f"rate card {card.name!r} version {card.version} is in effect from "
        f"{card.effective_from} to {until}, not on {day}; {consequence}",
        where.line,
        where.column,
        "effective_from",
        severity=severity,
    )


def _folders(start: Path) -> list[tuple[Path, bool]]:
    folders = [(folder / "rates", False) for folder in (start, *start.parents)]
    return [*folders, (bundled_rates(), True)]


def _in_effect(name: str, candidates: list[Found], doc: Document, day: date, folder: Path) -> Found:
    live = [found for found in candidates if found.card.covers(day)]
    if len(live) == 1:
        return live[0]
    versions = ", ".join(
        f"{f.card.version} ({f.card.effective_from} to {f.card.effective_until or 'open-ended'})"
        for f in candidates
    )
    if not live:
        message = f"no version of rate card {name!r} is in effect on {day}; versions: {versions}"
    else:
        message = (
            f"{len(live)} versions of rate card {name!r} are in effect on {day}: {versions}; "
            "make their effective dates not overlap"
        )
    raise InputError([doc.problem(("rate_card",), f"{message} (in {display_path(folder)})")])


def check_references(doc: Document, found: Found) -> None:
    """Raise naming every role and service the estimate uses that the rate card lacks.

    It also needs policy.productize_share when the estimate asks for the productize option.
    It reads the estimate's data, not its model, so that `validate` can check an estimate
    that has other problems too.
    """
    card = found.card
    custom = doc.data.get("custom")
    custom = custom if isinstance(custom, dict) else {}
    problems = []

    def unknown(loc: tuple[str | int, ...], what: str, name: str, known: list[str]) -> None:
        close = did_you_mean(name, known)
        hint = f"did you mean {close!r}? " if close else ""
        has = f"has: {', '.join(known)}" if known else f"has no {what}s"
        message = f"unknown {what} {name!r}; {hint}rate card {card.name!r} ({found.shown}) {has}"
        problems.append(doc.problem(loc, message))

    for section in ("build", "per_upgrade"):
        items = custom.get(section)
        for index, item in enumerate(items if isinstance(items, list) else []):
            role = item.get("role") if isinstance(item, dict) else None
            if isinstance(role, str) and role not in card.roles:
                unknown(("custom", section, index, "role"), "role", role, sorted(card.roles))
    services = custom.get("services")
    for index, key in enumerate(services if isinstance(services, list) else []):
        if isinstance(key, str) and key not in card.services:
            unknown(("custom", "services", index), "service", key, sorted(card.services))
    if doc.data.get("productize") is not None and card.policy.productize_share is None:
        problems.append(
            doc.problem(
                ("productize",),
                f"rate card {card.name!r} ({found.shown}) has no policy.productize_share, "
                "the share of the NRE a customer co-funds; add it there, or remove productize",
                key=True,
            )
        )
    if problems:
        raise InputError(problems)


class Inputs(NamedTuple):
    """An estimate with its rate card, both checked, and any warnings found on the way."""

    estimate: Estimate
    doc: Document
    found: Found
    warnings: list[Problem]


def load_inputs(estimate_path: Path, *, today: date, rates: Path | None = None) -> Inputs:
    """Load an estimate, find its rate card, and check the two agree."""
    estimate, doc = load_estimate(estimate_path, str(estimate_path))
    day = estimate.date or today
    found, warnings = RateCards().find(estimate.rate_card, doc, estimate_path, day, rates)
    check_references(doc, found)
    return Inputs(estimate, doc, found, warnings)


def make_quote(
    estimate_path: Path,
    *,
    today: date,
    rates: Path | None = None,
    confidence: Decimal | None = None,
) -> "tuple[Quote, list[Problem]]":
    """Load, check and price an estimate; return the quote and any warnings.

    confidence, when given, overrides the estimate's.
    """
    from .pricing import Source, build_quote

    inputs = load_inputs(estimate_path, today=today, rates=rates)
    found = inputs.found
    quote = build_quote(
        inputs.estimate,
        found.card,
        today=today,
        rate_card=Source(found.shown, found.doc.sha256),
        source=Source(inputs.doc.path, inputs.doc.sha256),
        confidence=confidence,
    )
    return quote, inputs.warnings
