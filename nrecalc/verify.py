"""nrecalc verify: does a document still say what its estimate and rate card give today?"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from difflib import SequenceMatcher
from pathlib import Path
from typing import NamedTuple

from . import __version__
from .choices import Audience, Format
from .company import load_template
from .errors import InputError, Problem
from .escape import line_start, printable
from .fields import FIRST_DATE, LAST_DATE, parse_confidence
from .loader import display_path, read_text
from .pipeline import make_quote
from .render.document import render as render_document
from .render.provenance import MARKER, Provenance, fingerprint
from .template import Template

MAX_DIFFERENCES = 10
_MARKER = re.compile(re.escape(MARKER) + r"((?: [a-z-]+=[0-9A-Za-z.+_-]+)+)")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_FINGERPRINT = re.compile(r"[0-9a-f]{16}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CONFIDENCE = re.compile(r"0\.[0-9]{1,6}")
_CELL_EDGE = re.compile(r"<[^>]*>|(?<!\\)\||\*\*|`")


class Verdict(NamedTuple):
    """What verify found: the differences (none: the document matches) and notices."""

    differences: list[Problem]
    notices: list[Problem]
    summary: str


def verify(
    document: Path, estimate: Path, *, rates: Path | None = None, template: Path | None = None
) -> Verdict:
    """Make the document again from its inputs and name every way the two differ."""
    shown = display_path(document)
    text, _ = read_text(
        document,
        shown,
        kind="document",
        expected="verify reads the Markdown or HTML document nrecalc quote wrote",
    )
    made = read_provenance(text, shown)
    company = _company_template(made, template, shown)
    confidence = Decimal(made.confidence) if made.confidence else None
    quote, warnings = make_quote(
        estimate, today=date.fromisoformat(made.date), rates=rates, confidence=confidence
    )
    notices = list(warnings)
    if made.version != __version__:
        notices.append(
            Problem(
                shown,
                f"made by nrecalc {made.version}, checked by {__version__}: "
                "wording may differ between versions",
                severity="warning",
            )
        )
    found: list[Problem] = []
    if company is not None and company.sha256 != made.template_sha256:
        found.append(_changed(company.shown, made.template_sha256 or "", company.sha256))
    if quote.estimate.sha256 != made.estimate_sha256:
        found.append(_changed(quote.estimate.path, made.estimate_sha256, quote.estimate.sha256))
    if quote.rate_card.sha256 != made.rate_card_sha256:
        found.append(_changed(quote.rate_card.path, made.rate_card_sha256, quote.rate_card.sha256))
    figures = fingerprint(quote)
    if figures != made.figures:
        found.append(
            Problem(
                shown,
                f"the figures differ from a fresh quote (fingerprint {made.figures} in the "
                f"document, {figures} now)",
            )
        )
    # Rendered again with the provenance the document recorded: its provenance lines then read
    # the same, and every line is compared; changed inputs are named above.
    fresh = render_document(quote, Format(made.format), Audience(made.audience), company, made)
    found += text_differences(text, fresh, shown)
    inputs = f"{quote.estimate.path} and {quote.rate_card.path}"
    if found:
        summary = f"{shown}: does not match {inputs}"
    else:
        summary = f"{shown}: OK, matches {inputs} (figures {figures})"
    # File names are the user's text: shown escaped, like every other line (SPEC 4.2).
    return Verdict(found, notices, line_start(printable(summary)))


def read_provenance(text: str, shown: str) -> Provenance:
    """Read the provenance line a document ends with; raise InputError if there is none."""
    matches = list(_MARKER.finditer(text))
    if not matches:
        raise InputError.at(
            shown,
            "no nrecalc provenance found; verify reads documents made by "
            "`nrecalc quote --format markdown|html`",
        )
    match = matches[-1]
    line = text.count("\n", 0, match.start()) + 1
    fields = dict(part.split("=", 1) for part in match.group(1).split())

    def field(name: str, allowed: re.Pattern[str] | set[str]) -> str:
        value = fields.get(name)
        if value is None:
            raise InputError.at(shown, f"the provenance line has no {name}", line)
        ok = value in allowed if isinstance(allowed, set) else allowed.fullmatch(value)
        if not ok:
            raise InputError.at(shown, f"the provenance line has a bad {name}: {value}", line)
        return value

    day = field("date", _DATE)
    try:
        if not FIRST_DATE <= date.fromisoformat(day) <= LAST_DATE:
            raise ValueError(day)
    except ValueError:
        raise InputError.at(shown, f"the provenance line has a bad date: {day}", line) from None
    template = fields.get("template")
    if template is not None:
        template = field("template", _SHA256)
    confidence = fields.get("confidence")
    if confidence is not None:
        confidence = field("confidence", _CONFIDENCE)
        try:
            parse_confidence(confidence)
        except ValueError as exc:
            message = f"the provenance line has a bad confidence: {exc}"
            raise InputError.at(shown, message, line) from None
    return Provenance(
        version=field("version", re.compile(r"[0-9A-Za-z.+_-]{1,40}")),
        format=field("format", {f.value for f in Format if f.is_document}),
        audience=field("audience", {a.value for a in Audience}),
        date=day,
        estimate_sha256=field("estimate", _SHA256),
        rate_card_sha256=field("rate-card", _SHA256),
        figures=field("figures", _FINGERPRINT),
        template_sha256=template,
        confidence=confidence,
    )


def _company_template(made: Provenance, template: Path | None, shown: str) -> Template | None:
    if template is not None:
        return load_template(template)
    if made.template_sha256:
        raise InputError.at(
            shown,
            f"made from a company template (sha256 {made.template_sha256}); "
            "give it with --template PATH",
        )
    return None


def _changed(path: str, then: str, now: str) -> Problem:
    return Problem(path, f"changed since the document was made (sha256 {then} then, {now} now)")


# What str.splitlines() would also take for a line end: a document whose line feeds were swapped
# for one of these must not compare equal, so lines are split on the line feed alone.
_OTHER_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def text_differences(document: str, fresh: str, shown: str) -> list[Problem]:
    """Name each line where the document differs from a fresh rendering, by its words."""
    ours = document.split("\n")  # byte for byte: CR LF, U+2028 and the like are differences
    theirs = fresh.split("\n")
    found: list[Problem] = []
    matcher = SequenceMatcher(None, ours, theirs, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        for offset in range(max(a2 - a1, b2 - b1)):
            mine = ours[a1 + offset] if a1 + offset < a2 else None
            fresh_line = theirs[b1 + offset] if b1 + offset < b2 else None
            line = min(a1 + offset, a2 - 1) + 1 if a2 > a1 else a1 + 1
            found.append(Problem(shown, _difference(mine, fresh_line), line))
    if len(found) > MAX_DIFFERENCES:
        more = len(found) - MAX_DIFFERENCES
        found = [*found[:MAX_DIFFERENCES], Problem(shown, f"... and {more} more differences")]
    return found


def _difference(mine: str | None, fresh: str | None) -> str:
    if fresh is None:
        return f"the document has a line a fresh quote does not: {_clip(mine or '')!r}"
    if mine is None:
        return f"the document lacks a line of a fresh quote: {_clip(fresh)!r}"
    breaks = sorted(set(_OTHER_BREAKS.findall(mine)) - set(_OTHER_BREAKS.findall(fresh)))
    if breaks:
        found = ", ".join(f"U+{ord(c):04X}" for c in breaks)
        return f"the document breaks or ends lines with {found} where a fresh quote has a line feed"
    if mine.split() == fresh.split():
        return (
            "the document differs from a fresh quote in white space only (a space added, removed "
            f"or changed): {_clip(mine)!r}"
        )
    said, should = _first_change(_cells(mine), _cells(fresh), " | ")
    if max(len(said), len(should)) > 40:  # a sentence: name the words, not the whole of it
        said, should = _first_change(said.split(), should.split(), " ")
    return f"the document says {_clip(said)!r} where a fresh quote says {_clip(should)!r}"


def _cells(line: str) -> list[str]:
    """Split a line into what a reader sees as separate: table cells, HTML elements' text."""
    return [cell.strip() for cell in _CELL_EDGE.split(line) if cell.strip()]


def _first_change(a: list[str], b: list[str], between: str) -> tuple[str, str]:
    for op, a1, a2, b1, b2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            return between.join(a[a1:a2]) or "(nothing)", between.join(b[b1:b2]) or "(nothing)"
    return between.join(a), between.join(b)  # only spacing differs


def _clip(text: str, limit: int = 80) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."
