"""Find the rate card an estimate names (SPEC 2.3) and check that the two agree."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .errors import InputError, Problem
from .loader import (
    Document,
    did_you_mean,
    display_path,
    load_estimate,
    load_rate_card,
    read_document,
    to_model,
)
from .models import Estimate, RateCard

if TYPE_CHECKING:
    from .pricing import Quote

BUNDLED = "<bundled>"


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


def find_rate_card(
    estimate: Estimate, doc: Document, estimate_path: Path, day: date, rates: Path | None = None
) -> tuple[Found, list[Problem]]:
    """Find the estimate's rate card; return it and any warnings."""
    if rates is not None:
        return _by_path(rates, day)
    if looks_like_path(estimate.rate_card):
        path = estimate_path.parent / estimate.rate_card
        if not path.exists():
            message = f"no such file: {display_path(path)} (relative to the estimate)"
            raise InputError([doc.problem(("rate_card",), message)])
        return _by_path(path, day)
    return _by_name(estimate.rate_card, doc, estimate_path, day), []


def _by_path(path: Path, day: date) -> tuple[Found, list[Problem]]:
    shown = display_path(path)
    card, card_doc = load_rate_card(path, shown)
    warnings = []
    if not card.covers(day):
        until = card.effective_until or "open-ended"
        where = card_doc.mark(("effective_from",))
        warnings.append(
            Problem(
                shown,
                f"rate card {card.name!r} version {card.version} is in effect from "
                f"{card.effective_from} to {until}, not on {day}; used as given",
                where.line,
                where.column,
                "effective_from",
                severity="warning",
            )
        )
    return Found(card, card_doc, shown), warnings


def _folders(start: Path) -> list[tuple[Path, bool]]:
    folders = [(folder / "rates", False) for folder in (start, *start.parents)]
    return [*folders, (bundled_rates(), True)]


def _by_name(name: str, doc: Document, estimate_path: Path, day: date) -> Found:
    searched = []
    seen: set[Path] = set()
    for folder, bundled in _folders(estimate_path.resolve().parent):
        if not folder.is_dir() or folder.resolve() in seen:
            continue
        seen.add(folder.resolve())
        searched.append(folder)
        candidates = _cards_named(name, folder, bundled)
        if candidates:
            return _in_effect(name, candidates, doc, day, folder)
    names = sorted(_names_in(bundled_rates()))
    shipped = f" (shipped: {', '.join(names)})" if names else ""
    raise InputError(
        [
            doc.problem(
                ("rate_card",),
                f"no rate card named {name!r} in a rates/ folder beside the estimate or above it, "
                f"nor among the shipped ones{shipped}; name one, or give a path",
            )
        ]
    )


def _yaml_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    except OSError as exc:
        shown = display_path(folder)
        raise InputError.at(
            shown, f"cannot read the rate cards here: {exc.strerror or exc}"
        ) from None


def _cards_named(name: str, folder: Path, bundled: bool) -> list[Found]:
    found = []
    for path in _yaml_files(folder):
        shown = f"{BUNDLED}/{path.name}" if bundled else display_path(path)
        card_doc = read_document(path, shown)
        data = card_doc.data
        if data.get("kind") != "rate-card" or data.get("name") != name:
            continue
        found.append(Found(to_model(card_doc, RateCard), card_doc, shown))
    return found


def _names_in(folder: Path) -> set[str]:
    if not folder.is_dir():
        return set()
    names = set()
    for path in _yaml_files(folder):
        try:
            data = read_document(path).data
        except InputError:
            continue
        if data.get("kind") == "rate-card" and isinstance(data.get("name"), str):
            names.add(data["name"])
    return names


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


def check_roles(estimate: Estimate, doc: Document, found: Found) -> None:
    """Raise naming every role the estimate uses that the rate card lacks."""
    roles = sorted(found.card.roles)
    problems = []
    for section in ("build", "per_upgrade"):
        for index, item in enumerate(getattr(estimate.custom, section)):
            if item.role in found.card.roles:
                continue
            close = did_you_mean(item.role, roles)
            hint = f"did you mean {close!r}? " if close else ""
            problems.append(
                doc.problem(
                    ("custom", section, index, "role"),
                    f"unknown role {item.role!r}; {hint}rate card {found.card.name!r} "
                    f"({found.shown}) has: {', '.join(roles)}",
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
    found, warnings = find_rate_card(estimate, doc, estimate_path, day, rates)
    check_roles(estimate, doc, found)
    return Inputs(estimate, doc, found, warnings)


def make_quote(
    estimate_path: Path, *, today: date, rates: Path | None = None
) -> tuple[Quote, list[Problem]]:
    """Load, check and price an estimate; return the quote and any warnings."""
    from .pricing import Source, build_quote

    inputs = load_inputs(estimate_path, today=today, rates=rates)
    found = inputs.found
    quote = build_quote(
        inputs.estimate,
        found.card,
        today=today,
        rate_card=Source(found.shown, found.doc.sha256),
        source=Source(inputs.doc.path, inputs.doc.sha256),
    )
    return quote, inputs.warnings
