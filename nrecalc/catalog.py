"""Find the rate card an estimate names (SPEC 2.3) and check that the two agree."""

import os
import stat
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path
from typing import NamedTuple, TypeVar

from .errors import InputError, Problem
from .escape import line_start
from .loader import check_kind, did_you_mean, display_path, read_document, to_model
from .models import RateCard
from .money import is_currency, percent
from .strict_yaml import Document, Mark

BUNDLED = "<bundled>"
# Rate cards kept parsed at once: enough that the estimates of a run find their cards without
# reading them again, few enough that memory does not grow with the number of cards (SPEC 5).
CACHED_CARDS = 16
PASSED_OVER = (
    "passed over: {why}; a rates/ folder or card found by searching upward is read only when "
    "you or root own it and others cannot write to it (give the card by path to use it)"
)


@cache
def bundled_rates() -> Path:
    """Return the folder of the rate cards shipped with nrecalc."""
    here = Path(__file__).resolve().parent
    inside = here / "rates"
    return inside if inside.is_dir() else here.parent / "rates"


class Version(NamedTuple):
    """One version of a rate card: what tells it from the others, and where that stands.

    A small record: what the lookup and validate's checks across files keep of a card.
    """

    path: Path
    shown: str
    name: str
    version: str
    effective_from: date
    effective_until: date | None
    version_at: Mark
    from_at: Mark

    def covers(self, day: date) -> bool:
        """Tell whether the version is in effect on day."""
        until = self.effective_until
        return self.effective_from <= day and (until is None or day <= until)

    def dates(self) -> str:
        """Write the dates the version is in effect."""
        return f"{self.effective_from} to {self.effective_until or 'open-ended'}"

    def problem(self, field: str, message: str, severity: str = "error") -> Problem:
        """Make a problem at the card's version or effective_from."""
        where = self.version_at if field == "version" else self.from_at
        return Problem(self.shown, message, where.line, where.column, field, severity)


class Found(NamedTuple):
    """A rate card, how the quote names its file, the file's sha256, and its version record."""

    card: RateCard
    shown: str
    sha256: str
    record: Version


def as_card(doc: Document, path: Path, shown: str) -> Found:
    """Validate a parsed document as a rate card."""
    check_kind(doc, "rate-card")
    card = to_model(doc, RateCard)
    record = Version(
        path,
        shown,
        card.name,
        card.version,
        card.effective_from,
        card.effective_until,
        doc.mark(("version",)),
        doc.mark(("effective_from",)),
    )
    return Found(card, shown, doc.sha256, record)


def looks_like_path(value: str) -> bool:
    """Tell whether a rate_card value is a path rather than a name (SPEC 2.3)."""
    return "/" in value or value.endswith((".yaml", ".yml"))


class RateCards:
    """Finds rate cards (SPEC 2.3), reading each folder and file at most once.

    One instance serves one command, so that validating a thousand estimates that name the
    same card parses that card once. Of the other files in rates/ folders it keeps only their
    kind and name; of the cards, the few used last. Folders and cards passed over by the
    upward search are reported once each, as warnings appended to `warnings`.
    """

    def __init__(self, warnings: list[Problem] | None = None) -> None:
        self.warnings: list[Problem] = [] if warnings is None else warnings
        # Keyed by the file and the name it is shown by, so that every report names a file
        # the way the user reached it.
        self._heads: dict[tuple[Path, str], tuple[object, object] | InputError] = {}
        self._cards: dict[tuple[Path, str], Found | InputError] = {}  # oldest use first
        self._listings: dict[Path, list[Path] | InputError] = {}
        self._named: dict[tuple[Path, str], tuple[list[Version], Path] | None] = {}
        self._passed_over: set[Path] = set()

    def card(self, path: Path, shown: str) -> Found:
        """Read and validate a rate card file (once, while it is among the last used)."""
        key = (resolved(path), shown)
        value = self._cards.pop(key, None)
        if value is None:
            try:
                value = as_card(self._document(key, path, shown), path, shown)
            except InputError as exc:
                value = exc
        self._keep(key, value)
        return _or_raise(value)

    def _document(self, key: tuple[Path, str], path: Path, shown: str) -> Document:
        """Read and parse a file, noting its kind and name (or why it cannot be read)."""
        try:
            doc = read_document(path, shown)
        except InputError as exc:
            self._heads[key] = exc
            raise
        self._heads[key] = _head_of(doc)
        return doc

    def _keep(self, key: tuple[Path, str], value: Found | InputError) -> None:
        self._cards[key] = value
        while len(self._cards) > CACHED_CARDS:
            del self._cards[next(iter(self._cards))]

    def _head(self, path: Path, shown: str, name: str | None) -> tuple[object, object]:
        """Return a file's kind and name; keep the card when it is the one named."""
        key = (resolved(path), shown)
        if key not in self._heads:
            try:
                doc = self._document(key, path, shown)
            except InputError:
                pass  # noted as the file's head
            else:
                if name is not None and self._heads[key] == ("rate-card", name):
                    try:
                        self._keep(key, as_card(doc, path, shown))
                    except InputError as exc:
                        self._keep(key, exc)
        return _or_raise(self._heads[key])

    def find(
        self,
        rate_card: str,
        doc: Document,
        estimate_path: Path,
        day: date,
        rates: Path | None = None,
    ) -> tuple[Found, list[Problem]]:
        """Find the rate card an estimate names; return it and any warnings on its dates."""
        if rates is not None:
            return self._by_path(rates, shown_path(rates), day)
        if looks_like_path(rate_card):
            path = estimate_path.parent / rate_card
            shown = shown_path(path)
            try:
                return self._by_path(path, shown, day)
            except InputError as exc:
                if not exists(path):
                    hint = self._meant(rate_card, estimate_path)
                    message = f"no such file: {shown} (relative to the estimate){hint}"
                    raise InputError([doc.problem(("rate_card",), message)]) from exc
                head = self._heads.get((resolved(path), shown))
                if isinstance(head, tuple) and head[0] != "rate-card":
                    message = f"{shown} is not a rate card (its kind: is {head[0]!r})"
                    raise InputError([doc.problem(("rate_card",), message)]) from exc
                raise
        return self._by_name(rate_card, doc, estimate_path, day), []

    def _by_path(self, path: Path, shown: str, day: date) -> tuple[Found, list[Problem]]:
        found = self.card(path, shown)
        if found.card.covers(day):
            return found, []
        return found, [out_of_dates(found.record, day, "used as given", severity="warning")]

    def _by_name(self, name: str, doc: Document, estimate_path: Path, day: date) -> Found:
        nearest = self._lookup(name, estimate_path)
        if nearest is not None:
            versions, folder = nearest
            chosen = _in_effect(name, versions, doc, day, folder)
            return self.card(chosen.path, chosen.shown)
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

    def _meant(self, value: str, estimate_path: Path) -> str:
        """Say `did you mean rate_card: NAME` when a missing NAME.yaml is a card's name."""
        name = Path(value).stem
        if not value.endswith((".yaml", ".yml")) or not name or looks_like_path(name):
            return ""
        try:
            nearest = self._lookup(name, estimate_path)
        except InputError:
            return ""
        return f"; did you mean `rate_card: {name}`?" if nearest is not None else ""

    def _lookup(self, name: str, estimate_path: Path) -> tuple[list[Version], Path] | None:
        start = resolved(estimate_path).parent
        if (start, name) not in self._named:
            self._named[start, name] = self._nearest(name, start)
        return self._named[start, name]

    def _nearest(self, name: str, start: Path) -> tuple[list[Version], Path] | None:
        """Return the versions of the named card in the nearest folder that has it."""
        for folder, bundled in self._folders(start):
            versions = self._versions_named(name, folder, bundled)
            if versions:
                return versions, folder
        return None

    def _folders(self, start: Path) -> Iterator[tuple[Path, bool]]:
        """Yield the rates/ folders a name is looked up in, nearest first, then the shipped one.

        Each is said with whether it is the shipped one; a folder passed over is warned of.
        """
        folders = [(folder, False) for folder in search_folders(start, self._home)]
        seen: set[Path] = set()
        for folder, bundled in [*folders, (bundled_rates(), True)]:
            if not is_dir(folder) or resolved(folder) in seen:
                continue
            if not bundled and not self._trusted(folder):
                continue
            seen.add(resolved(folder))
            yield folder, bundled

    def offered(self, estimate_path: Path, day: date) -> tuple[list[Found], list[Problem]]:
        """List the rate cards an estimate at estimate_path may name, as the lookup finds them.

        Each name found from its folder upward and among the shipped ones, nearest first (names
        sorted within a folder), as the version in effect on day of the nearest folder that has
        the name. A name that cannot be used on day, or a card that cannot be read, is left
        out and said why, as a warning.
        """
        start = resolved(estimate_path).parent
        names: dict[str, None] = {}
        found: list[Found] = []
        problems: list[Problem] = []
        for folder, bundled in self._folders(start):
            try:
                names.update(dict.fromkeys(sorted(self._names_in(folder, bundled))))
            except InputError as exc:  # the folder cannot be listed
                problems.extend(p._replace(severity="warning") for p in exc.problems)
        for name in names:
            try:
                nearest = self._lookup(name, estimate_path)
                if nearest is not None:  # listed, so found: unless it cannot be read now
                    chosen = _in_effect(name, nearest[0], None, day, nearest[1])
                    found.append(self.card(chosen.path, chosen.shown))
            except InputError as exc:
                problems.extend(p._replace(severity="warning") for p in exc.problems)
        return found, problems

    @cached_property
    def _home(self) -> Path | None:
        return home_folder()

    def _trusted(self, path: Path) -> bool:
        """Tell whether the upward search may read path; warn once about one it may not."""
        why = untrusted(path)
        if why is None:
            return True
        key = path.absolute()
        if key not in self._passed_over:
            self._passed_over.add(key)
            message = PASSED_OVER.format(why=why)
            try:  # the path searched, not where a link leads
                shown = line_start(str(key.relative_to(Path.cwd())))
            except (ValueError, OSError):
                shown = str(key)
            self.warnings.append(Problem(shown, message, severity="warning"))
        return False

    def _yaml_files(self, folder: Path) -> list[Path]:
        key = resolved(folder)
        if key not in self._listings:
            try:
                self._listings[key] = sorted(
                    p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()
                )
            except OSError as exc:
                message = f"cannot read the rate cards here: {exc.strerror or exc}"
                self._listings[key] = InputError.at(shown_path(folder), message)
        return _or_raise(self._listings[key])

    def _versions_named(self, name: str, folder: Path, bundled: bool) -> list[Version]:
        found = []
        for path in self._yaml_files(folder):
            shown = f"{BUNDLED}/{path.name}" if bundled else shown_path(path)
            if not bundled and not self._trusted(path):
                continue
            if self._head(path, shown, name) == ("rate-card", name):
                found.append(self.card(path, shown).record)
        return found

    def _names_in(self, folder: Path, bundled: bool = True) -> set[str]:
        if not is_dir(folder):
            return set()
        names = set()
        for path in self._yaml_files(folder):
            if not bundled and not self._trusted(path):
                continue
            shown = f"{BUNDLED}/{path.name}" if bundled else shown_path(path)
            try:
                kind, name = self._head(path, shown, None)
            except InputError:
                continue
            if kind == "rate-card" and isinstance(name, str):
                names.add(name)
        return names


T = TypeVar("T")
SHORT = 200  # characters of a kind kept to name it in an error


class _Shortened(str):
    """A long value cut short: its repr is the start of the value's own."""

    def __repr__(self) -> str:
        return str(self)


def _head_of(doc: Document) -> tuple[object, object]:
    """Return a file's kind and name, as short as the lookup needs them (SPEC 5's memory)."""
    kind, name = doc.data.get("kind"), doc.data.get("name")
    if not isinstance(kind, str) and repr(kind)[SHORT:]:
        kind = _Shortened(f"{repr(kind)[:SHORT]}…")
    elif isinstance(kind, str) and kind[SHORT:]:
        kind = _Shortened(f"{kind[:SHORT]!r}…")
    return kind, name if kind == "rate-card" and isinstance(name, str) else None


def search_folders(start: Path, home: Path | None) -> list[Path]:
    """List the rates/ folders to search, from start upward (SPEC 2.3).

    The search is bounded the way git bounds its own (CVE-2022-24765): it stops after the
    repository root (the nearest folder holding .git, a folder or a file), and outside a
    repository after the home folder, or at the file-system root.
    """
    folders = []
    for folder in (start, *start.parents):
        folders.append(folder / "rates")
        if folder == home or os.path.lexists(folder / ".git"):
            break
    return folders


def home_folder() -> Path | None:
    """Return the user's home folder, or None when there is none."""
    try:
        return resolved(Path.home())
    except (RuntimeError, KeyError, OSError):
        return None


def untrusted(path: Path) -> str | None:
    """Say why the upward search must not read a folder or card, or None when it may.

    Another user than the current one or root owns it (or the link to it), or others may
    write to it: then another user chose its rates. Root is held to the same rule.
    """
    if not hasattr(os, "geteuid"):
        return None  # no owners to compare (Windows)
    mine = {0, os.geteuid()}
    try:
        link, target = path.lstat(), path.stat()
    except OSError:
        return None  # reading it says what is wrong
    for info in (link, target):
        if info.st_uid not in mine:
            return f"owned by another user (uid {info.st_uid})"
    if target.st_mode & stat.S_IWOTH:
        return "world-writable"
    return None


def shown_path(path: Path) -> str:
    """Write path for reports: relative to the current folder when inside it (line_start)."""
    return line_start(display_path(path))


def resolved(path: Path) -> Path:
    """Return the real path, or the absolute one when it cannot be resolved."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a name too long, a loop of links
        return path.absolute()


def is_batch(paths: Sequence[Path]) -> bool:
    """Tell whether the paths ask for a batch: more than one, or a folder."""
    return len(paths) > 1 or any(is_dir(path) for path in paths)


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


def out_of_dates(record: Version, day: date, consequence: str, severity: str = "error") -> Problem:
    """Say that a rate card is not in effect on day, at the card's effective_from."""
    return record.problem(
        "effective_from",
        f"rate card {record.name!r} version {record.version} is in effect from "
        f"{record.dates()}, not on {day}; {consequence}",
        severity=severity,
    )


def _in_effect(
    name: str, candidates: list[Version], doc: Document | None, day: date, folder: Path
) -> Version:
    """Return the one version in effect on day; none or several is an error at the estimate's
    rate_card (or, without an estimate, at the folder)."""
    live = [version for version in candidates if version.covers(day)]
    if len(live) == 1:
        return live[0]
    versions = ", ".join(f"{v.version} ({v.dates()})" for v in candidates)
    if not live:
        message = f"no version of rate card {name!r} is in effect on {day}; versions: {versions}"
    else:
        message = (
            f"{len(live)} versions of rate card {name!r} are in effect on {day}: {versions}; "
            "make their effective dates not overlap"
        )
    if doc is None:
        raise InputError.at(shown_path(folder), message)
    raise InputError([doc.problem(("rate_card",), f"{message} (in {shown_path(folder)})")])


def check_references(doc: Document, found: Found, day: date) -> None:
    """Raise naming every role and service the estimate uses that the rate card lacks.

    It also needs policy.productize_share when the estimate asks for the productize option,
    a discount within policy.max_discount (SPEC 8.3), and for a quote dated day in another
    currency than the card's, a current rate in the card's fx (SPEC 8.4).
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
    limit = card.policy.max_discount
    discount = _given_ratio(doc.data.get("discount"))
    if limit is not None and discount is not None and discount > limit:
        problems.append(doc.problem(("discount",), above_max_discount(discount, limit, found)))
    currency = doc.data.get("currency")
    if isinstance(currency, str) and currency != card.currency and is_currency(currency):
        from .fx import FxError, choose

        try:
            choose(card, currency, day, where=f"rate card {card.name!r} ({found.shown})")
        except FxError as exc:
            problems.append(doc.problem(("currency",), str(exc)))
    if problems:
        raise InputError(problems)


def above_max_discount(discount: Decimal, limit: Decimal, found: Found) -> str:
    """Say that a discount is above the card's policy.max_discount (SPEC 8.3)."""
    return (
        f"{percent(discount)} is above the rate card's maximum discount of {percent(limit)} "
        f"(policy.max_discount of rate card {found.card.name!r}, {found.shown})"
    )


def _given_ratio(value: object) -> Decimal | None:
    """Return a discount as written when it is a valid fraction; a bad one is already an error."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    number = Decimal(value)
    return number if number.is_finite() and 0 <= number < 1 else None


def policy_warnings(doc: Document, card: RateCard) -> list[Problem]:
    """Warn about a policy whose gates cannot all be reached (validate's check of a card)."""
    limit, approval = card.policy.max_discount, card.policy.discount_approval_above
    if limit is None or approval is None or limit > approval:
        return []
    message = (
        f"no quote can need approval: discount_approval_above is {percent(approval)} and a "
        f"discount above {percent(limit)} is already an error; raise max_discount above "
        f"{percent(approval)}, or remove discount_approval_above"
    )
    problem = doc.problem(("policy", "max_discount"), message)
    return [problem._replace(severity="warning")]
