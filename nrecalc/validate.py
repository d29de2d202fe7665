"""Check many rate cards and estimates at once, collecting every problem (SPEC 5)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

from .catalog import (
    RateCards,
    Version,
    as_card,
    check_references,
    exists,
    is_dir,
    policy_warnings,
    resolved,
)
from .choices import ReportFormat
from .errors import InputError, Problem
from .escape import github_data, github_property, json_text, line_start
from .loader import check_kind, did_you_mean, open_regular, read_document, to_model
from .models import Estimate
from .strict_yaml import Document

KINDS = ("rate-card", "estimate")
# A file that does not even parse is reported only when it says it is ours.
_OURS = re.compile(rb"(?m)^kind:[ \t]*[\"']?(?:rate-card|estimate)\b")
# Top-level keys that make a file without kind: plainly one of ours (SPEC 5).
_TELLTALE = {"estimate": ("rate_card", "custom"), "rate-card": ("roles", "standard")}


class Report(NamedTuple):
    """What validation found: files checked, problems, and files skipped."""

    checked: int
    problems: list[Problem]
    notices: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        """Return the problems that fail validation."""
        return [p for p in self.problems if p.severity == "error"]


class File(NamedTuple):
    """A file to read: its path, how it is shown, and whether it was named (not found)."""

    path: Path
    shown: str
    explicit: bool


def discover(paths: Sequence[Path], problems: list[Problem], notices: list[Problem]) -> list[File]:
    """List the files to check: those named, and *.yaml / *.yml in the folders named.

    A path that does not exist is a problem; a folder that cannot be read, a notice.
    """
    files: dict[Path, File] = {}

    def add(path: Path, explicit: bool) -> None:
        key = resolved(path)
        if key not in files or (explicit and not files[key].explicit):
            files[key] = File(path, line_start(str(path)), explicit)  # named beats found

    def unreadable(exc: OSError) -> None:
        why = f"skipped: cannot read: {exc.strerror or exc}"
        notices.append(Problem(line_start(str(exc.filename)), why, severity="notice"))

    for given in paths:
        if is_dir(given):
            # Links to folders are not followed (no loops); hidden files and folders are
            # skipped (.git, .venv, .pre-commit-config.yaml).
            for root, folders, names in os.walk(given, onerror=unreadable):
                folders[:] = sorted(name for name in folders if not name.startswith("."))
                for name in sorted(names):
                    if name.endswith((".yaml", ".yml")) and not name.startswith("."):
                        add(Path(root) / name, explicit=False)
        elif exists(given):
            add(given, explicit=True)
        else:
            problems.append(Problem(line_start(str(given)), "no such file or folder"))
    return list(files.values())


def _looks_ours(path: Path) -> bool:
    try:
        with open_regular(path) as handle:  # a FIFO must not block: it is an error
            return _OURS.search(handle.read(1 << 16)) is not None
    except FileNotFoundError:
        return False  # a dangling link
    except OSError:
        return True  # unreadable: it may be ours, so say so


class Read(NamedTuple):
    """What a file is: ours (its kind, and its document when it parses), or skipped.

    problems are those found in reading it (it does not parse, or named explicitly, it is not
    ours); missing tells that its kind: is deleted or misspelt, though it is plainly `kind`.
    """

    kind: str | None
    doc: Document | None
    problems: list[Problem]
    notice: Problem | None = None
    missing: bool = False


def read_file(file: File, *, skip_foreign: bool = False) -> Read:
    """Read a file found by discover and tell what it is, as validate does (SPEC 5).

    A file that is not ours is skipped with a notice when found in a folder, an error when
    named (unless skip_foreign); one that does not parse is an error only when it says it is ours.
    """
    explicit = file.explicit and not skip_foreign
    try:
        doc = read_document(file.path, file.shown)
    except InputError as exc:
        if explicit or _looks_ours(file.path):
            return Read(None, None, exc.problems)
        why = exc.problems[0].message
        return Read(None, None, [], _skipped(file, f"not an nrecalc file ({why})"))
    kind = doc.data.get("kind")
    if kind in KINDS:
        return Read(str(kind), doc, [])
    looks = _looks_like(doc)
    if looks is not None:
        return Read(looks, doc, [], missing=True)
    if explicit:
        return Read(None, None, _kind_problems(doc))
    what = f"kind: {_cut(kind)}" if isinstance(kind, str) else "no kind: rate-card or estimate"
    return Read(None, None, [], _skipped(file, f"not an nrecalc file ({what})"))


class _Part(NamedTuple):
    """What validating a run of files found (see validate_paths)."""

    checked: int
    problems: list[Problem]
    notices: list[Problem]
    versions: list[Version]


def _validate_run(files: list[File], today: date, skip_foreign: bool) -> _Part:
    """Validate a run of files, one after the other, with one rate-card lookup for them all."""
    problems: list[Problem] = []
    notices: list[Problem] = []
    cards = RateCards(notices)
    versions: list[Version] = []
    count = 0
    for file in files:
        read = read_file(file, skip_foreign=skip_foreign)
        if read.notice is not None:
            notices.append(read.notice)
            continue
        count += 1
        problems.extend(read.problems)
        if read.kind is not None and read.doc is not None:
            problems.extend(
                _check(cards, read.doc, file.path, today, read.kind, versions, missing=read.missing)
            )
    return _Part(count, problems, notices, versions)


def validate_paths(
    paths: Sequence[Path],
    *,
    today: date,
    skip_foreign: bool = False,
    pool: bool | None = None,
) -> Report:
    """Validate files and folders (recursively); report every problem in every file.

    Each file is read, checked and let go: what is kept of it is its problems and, for a rate
    card, its version record for the checks across files, so memory follows the largest file,
    not the sum of them all. Many files are checked in forked worker processes (nrecalc.pool;
    pool forces the choice); the report is the same either way.
    """
    from functools import partial

    from .pool import VALIDATE_POOL_FROM, map_runs

    problems: list[Problem] = []
    notices: list[Problem] = []
    files = discover(paths, problems, notices)
    job = partial(_validate_run, today=today, skip_foreign=skip_foreign)
    count = 0
    versions: list[Version] = []
    for part in map_runs(job, files, least=VALIDATE_POOL_FROM, pool=pool):
        count += part.checked
        problems.extend(part.problems)
        notices.extend(part.notices)
        versions.extend(part.versions)
    problems.extend(_across_cards(versions))
    if count == 0 and not problems:
        where = ", ".join(line_start(str(path)) for path in paths)
        problems.append(Problem(where, "no rate cards or estimates found here"))
    unique = sorted(dict.fromkeys(problems), key=lambda p: (p.path, p.line or 0, p.column or 0))
    # Each run warns once of a rates/ folder passed over: the first of those warnings stays.
    return Report(count, unique, list(dict.fromkeys(notices)))


def _skipped(file: File, why: str) -> Problem:
    return Problem(file.shown, f"skipped: {why}", severity="notice")


def _looks_like(doc: Document) -> str | None:
    """Return the kind a file plainly is though its kind: says otherwise, or None.

    A file without kind: (or with an empty one) whose top-level keys are plainly ours, or whose
    kind: is ours but for case or spelling (`Estimate`, `rate_card`, `estimte` beside our
    keys), is ours: a deleted or mistyped line must not make CI skip it (SPEC 5).
    """
    kind = doc.data.get("kind")
    telltale = next(
        (ours for ours, keys in _TELLTALE.items() if all(key in doc.data for key in keys)), None
    )
    if kind in (None, ""):
        return telltale
    if not isinstance(kind, str):
        return None
    folded = re.sub(r"[\s_-]", "", kind).lower()
    for ours in KINDS:
        if folded == ours.replace("-", ""):
            return ours
    if telltale is not None and did_you_mean(kind.lower(), [telltale]) is not None:
        return telltale
    return None


def _cut(text: str, limit: int = 40) -> str:
    """Shorten a value echoed in a message, so no message is as long as the file."""
    return text if len(text) <= limit else text[:limit] + "…"


def _check(
    cards: RateCards,
    doc: Document,
    path: Path,
    today: date,
    kind: str,
    versions: list[Version],
    *,
    missing: bool = False,
) -> list[Problem]:
    """Check a file of one kind; keep a rate card's version record for the checks across files."""
    problems: list[Problem] = []
    if missing:
        problems.append(missing_kind(doc, kind))
        doc.data["kind"] = kind  # check the rest as what it plainly is
    if kind == "rate-card":
        try:
            found = as_card(doc, path, doc.path)
        except InputError as exc:
            problems.extend(exc.problems)
        else:
            versions.append(found.record)
            problems.extend(policy_warnings(doc, found.card))
    else:
        problems.extend(_check_estimate(cards, doc, path, today))
    return problems


def missing_kind(doc: Document, kind: str) -> Problem:
    """Say that a file plainly of a kind has its kind: deleted or misspelt (see _looks_like)."""
    what = "an estimate" if kind == "estimate" else "a rate card"
    said = doc.data.get("kind")
    if said not in (None, ""):
        return doc.problem(("kind",), f"is {_cut(str(said))!r}; did you mean `kind: {kind}`?")
    none = "an empty `kind:`" if "kind" in doc.data else "no `kind:`"
    return doc.problem(("kind",), f"{none}; this looks like {what} — add `kind: {kind}`")


def _kind_problems(doc: Document) -> list[Problem]:
    try:
        check_kind(doc, "rate-card or estimate")
    except InputError as exc:
        return exc.problems
    return []


def _check_estimate(cards: RateCards, doc: Document, path: Path, today: date) -> list[Problem]:
    """Check an estimate alone, then against its rate card, however much of it is valid."""
    problems: list[Problem] = []
    estimate: Estimate | None = None
    try:
        estimate = to_model(doc, Estimate)
    except InputError as exc:
        problems.extend(exc.problems)
    rate_card = doc.data.get("rate_card")
    if not isinstance(rate_card, str) or not rate_card.strip():
        return problems  # already said
    day = estimate.date if estimate and estimate.date else today
    try:
        found, _ = cards.find(rate_card, doc, path, day)
    except InputError as exc:
        problems.extend(exc.problems)
        elsewhere = [p.path for p in exc.problems if p.path != doc.path]
        if elsewhere:
            message = f"rate card {rate_card!r} is invalid: see {elsewhere[0]}"
            problems.append(doc.problem(("rate_card",), message))
        return problems
    if estimate is not None and not found.card.covers(day):
        card = found.card
        until = card.effective_until or "open-ended"
        problems.append(
            doc.problem(
                ("date",) if estimate.date else ("rate_card",),
                f"{day} is outside the dates of rate card {card.name!r} version {card.version} "
                f"({card.effective_from} to {until}, in {found.shown})",
            )
        )
    try:
        check_references(doc, found, day)
    except InputError as exc:
        problems.extend(exc.problems)
    return problems


def _across_cards(versions: list[Version]) -> list[Problem]:
    """In each folder, each (name, version) once, and the versions of a name not overlapping.

    Cards in different folders may share a name: the nearest rates/ folder wins (SPEC 2.3).
    """
    problems = []
    by_name: dict[tuple[Path, str], list[Version]] = {}
    for this in versions:
        group = (resolved(this.path).parent, this.name)
        for other in by_name.get(group, []):
            if other.version == this.version:
                problems.append(
                    this.problem(
                        "version",
                        f"rate card {this.name!r} version {this.version} is also in {other.shown}",
                    )
                )
            elif _overlap(this, other):
                problems.append(
                    this.problem(
                        "effective_from",
                        f"rate card {this.name!r} version {this.version} overlaps version "
                        f"{other.version} ({other.dates()}, in {other.shown}); "
                        "give the earlier one an effective_until",
                    )
                )
        by_name.setdefault(group, []).append(this)
    return problems


def _overlap(a: Version, b: Version) -> bool:
    last = date.max
    return a.effective_from <= (b.effective_until or last) and b.effective_from <= (
        a.effective_until or last
    )


# --- output ------------------------------------------------------------------------------------


def render_report(report: Report, fmt: ReportFormat) -> str:
    """Render the report for people (text), programs (json) or GitHub Actions (github)."""
    if fmt is ReportFormat.json:
        rows = [
            {
                "path": p.path,
                "line": p.line,
                "column": p.column,
                "field": p.field,
                "message": p.message,
                "severity": p.severity,
            }
            for p in report.problems
        ]
        text = json.dumps(rows, indent=2, ensure_ascii=False)
        return json_text(text) + "\n"
    if fmt is ReportFormat.github:
        lines = [_workflow_command(p) for p in report.problems]
    else:
        lines = [str(p) for p in report.problems]
    return "".join(f"{line}\n" for line in [*lines, _summary(report)])


def _summary(report: Report) -> str:
    files = f"{report.checked} {'file' if report.checked == 1 else 'files'} checked"
    errors = report.errors
    if not report.problems:
        return f"{files}: no problems"
    bad = len({p.path for p in errors})
    warnings = len(report.problems) - len(errors)
    text = f"{files}: {len(errors)} {'error' if len(errors) == 1 else 'errors'}"
    text += f" in {bad} {'file' if bad == 1 else 'files'}"
    if warnings:
        text += f", {warnings} {'warning' if warnings == 1 else 'warnings'}"
    return text


def _workflow_command(problem: Problem) -> str:
    """Write a problem as a GitHub Actions workflow command (an annotation on the diff)."""
    props = [f"file={github_property(problem.path)}"]
    if problem.line is not None:
        props.append(f"line={problem.line}")
        if problem.column is not None:
            props.append(f"col={problem.column}")
    if problem.field:
        props.append(f"title={github_property(problem.field)}")
    level = "warning" if problem.severity == "warning" else "error"
    return f"::{level} {','.join(props)}::{github_data(problem.message)}"
