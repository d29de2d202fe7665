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
from .money import symbol
from .pipeline import make_quote
from .pricing import Quote
from .render.document import render as render_document
from .render.provenance import FIGURES, Provenance, body_sha256, fingerprint, last_marker
from .template import Template

MAX_DIFFERENCES = 10
_SHA256 = re.compile(r"[0-9a-f]{64}")
_FINGERPRINT = re.compile(r"[0-9a-f]{16}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CONFIDENCE = re.compile(r"0\.[0-9]{1,6}")
_CELL_EDGE = re.compile(r"<[^>]*>|(?<!\\)\||\*\*|`")


class Verdict(NamedTuple):
    """What verify found: the differences, notices, and its two answers.

    The answers, one line each: was the document altered after it was issued (its seal), and
    do today's inputs and rules still give the same quote. ok: both say yes, nothing differs.
    """

    differences: list[Problem]
    notices: list[Problem]
    answers: list[str]
    ok: bool


class _Found(NamedTuple):
    """What verify checked, for the two answers."""

    shown: str
    made: Provenance
    seal: bool | None  # the seal holds; None: scheme 1 has none
    changed: list[str]  # the inputs that changed, as shown
    figures: str | None  # today's fingerprint in the document's scheme; None: scheme 1
    details: list[Problem]  # lines (same version) or amounts (else) that differ


def verify(
    document: Path, estimate: Path, *, rates: Path | None = None, template: Path | None = None
) -> Verdict:
    """Tell whether the document was altered, and whether its inputs still give its quote."""
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
    notices = [*warnings, *_version_notices(made, shown)]
    changed = _changed_inputs(made, quote, company)
    seal = None if made.scheme == 1 else body_sha256(text) == made.seal
    figures = fingerprint(quote, made.scheme) if made.scheme in FIGURES else None

    def fresh() -> str:
        # Rendered again with the provenance the document recorded, seal included: its
        # provenance lines then read the same, and only what the inputs or an edit changed differs.
        return render_document(quote, Format(made.format), Audience(made.audience), company, made)

    if made.version == __version__:  # the same words: every line, byte for byte
        details = text_differences(text, fresh(), shown)
    elif seal is not True:  # no seal, or a broken one: which amounts differ, if any
        details = amount_differences(text, fresh(), shown, symbol(quote.currency))
    else:  # sealed by another version: the seal, the inputs and the fingerprint tell
        details = []
    found = _Found(shown, made, seal, [p.path for p in changed], figures, details)
    answers = [_seal_answer(found), _quote_answer(found, quote)]
    ok = seal is not False and not changed and figures in (None, made.figures) and not details
    # File names are the user's text: shown escaped, like every other line (SPEC 4.2).
    return Verdict([*changed, *details], notices, [line_start(printable(a)) for a in answers], ok)


def _version_notices(made: Provenance, shown: str) -> list[Problem]:
    """Say what cannot be compared: wording across versions, the seal of scheme 1."""
    if made.scheme == 1:
        said = (
            f"made by nrecalc {made.version} with provenance scheme 1, which has no seal: "
            "checked are the sha256 of its inputs and every amount it shows, not its wording"
        )
    elif made.version != __version__:
        said = (
            f"made by nrecalc {made.version}, checked by {__version__}: wording is compared "
            "only within one version; the seal, the inputs and the figures are checked"
        )
    else:
        return []
    return [Problem(shown, said, severity="notice")]


def _changed_inputs(made: Provenance, quote: Quote, company: Template | None) -> list[Problem]:
    """Name each input whose sha256 is not the one the document recorded."""
    found = []
    if company is not None and company.sha256 != made.template_sha256:
        found.append(_changed(company.shown, made.template_sha256 or "", company.sha256))
    if quote.estimate.sha256 != made.estimate_sha256:
        found.append(_changed(quote.estimate.path, made.estimate_sha256, quote.estimate.sha256))
    if quote.rate_card.sha256 != made.rate_card_sha256:
        found.append(_changed(quote.rate_card.path, made.rate_card_sha256, quote.rate_card.sha256))
    return found


def _seal_answer(found: _Found) -> str:
    """Answer the first question: was the document altered after it was issued?"""
    if found.seal is None:
        said = "cannot tell whether it was altered after it was issued: scheme 1 has no seal"
    elif found.seal:
        said = "intact: not altered after it was issued (its seal holds)"
    else:
        said = "altered after it was issued: its text does not match its seal"
    return f"{found.shown}: {said}"


def _quote_answer(found: _Found, quote: Quote) -> str:
    """Answer the second question: do today's inputs and rules still give the same quote?"""
    made, figures = found.made, found.figures
    inputs = f"{quote.estimate.path} and {quote.rate_card.path}"
    other = made.version != __version__
    then_now = f"(fingerprint {made.figures} then, {figures} now)"
    if found.changed:
        said = f"the inputs changed: {', '.join(found.changed)} changed since it was issued"
        if figures is not None:
            same = figures == made.figures
            said += (
                f", not its figures (fingerprint {figures})"
                if same
                else f", and its figures {then_now}"
            )
    elif figures is None:  # scheme 1: the amounts it shows are all there is to compare
        said = f"same amounts: {inputs} give every amount it shows"
        if found.details:
            said = (
                f"same inputs, other amounts: nrecalc {__version__} prices them differently, "
                "or the document was edited (scheme 1 cannot tell which)"
            )
    elif figures != made.figures:
        said = f"same inputs, other figures {then_now}"
        if other:
            said = (
                f"same inputs, other figures: nrecalc {__version__} prices them differently "
                f"than {made.version} did {then_now}"
            )
    elif found.details and not other and found.seal:
        said = f"same quote, other words: nrecalc {__version__} words it differently (above)"
    else:
        said = f"same quote: {inputs} give its figures (fingerprint {figures})"
    return f"{found.shown}: {said}"


def read_provenance(text: str, shown: str) -> Provenance:
    """Read the provenance line a document ends with; raise InputError if there is none."""
    match = last_marker(text)
    if match is None:
        raise InputError.at(
            shown,
            "no nrecalc provenance found; verify reads documents made by "
            "`nrecalc quote --format markdown|html`",
        )
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
    scheme = 1  # documents made before the field existed
    if fields.get("scheme", "").isdecimal() and int(fields["scheme"]) > max(FIGURES):
        raise InputError.at(
            shown,
            f"made with provenance scheme {fields['scheme']}, which nrecalc {__version__} "
            "cannot read: verify it with the version that made it, or a later one",
            line,
        )
    if "scheme" in fields:
        scheme = int(field("scheme", {str(number) for number in FIGURES}))
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
        scheme=scheme,
        seal=field("seal", _SHA256) if scheme > 1 else None,
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
    return _at_most(found, shown)


_CHART = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


def amount_differences(document: str, fresh: str, shown: str, symbol: str) -> list[Problem]:
    """Name each amount the document shows, at its line, that a fresh rendering does not show.

    For documents whose words may differ from this version's (another version, scheme 1): only
    the amounts are compared, in order, so that a line added or reworded since is no difference;
    the chart's axis is a picture of them, not an amount of the quote, and is left out.
    """
    money = re.compile(rf"-?{re.escape(symbol)}[0-9]{{1,3}}(?:,[0-9]{{3}})*(?:\.[0-9]+)?")

    def amounts(text: str) -> list[tuple[int, str]]:
        text = _CHART.sub(lambda chart: "\n" * chart.group().count("\n"), text)
        lines = enumerate(text.split("\n"), start=1)
        return [(number, found) for number, line in lines for found in money.findall(line)]

    ours, theirs = amounts(document), [amount for _, amount in amounts(fresh)]
    shown_fresh = set(theirs)
    found: list[Problem] = []
    matcher = SequenceMatcher(None, [amount for _, amount in ours], theirs, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        for k in range(a1, a2) if op in ("replace", "delete") else ():
            line, amount = ours[k]
            if amount in shown_fresh:  # moved, or shown once more than now: no amount changed
                continue
            said = f"the document says {amount!r}, an amount a fresh quote does not show"
            if op == "replace" and b1 + k - a1 < b2:
                said = (
                    f"the document says {amount!r} where a fresh quote says {theirs[b1 + k - a1]!r}"
                )
            found.append(Problem(shown, said, line))
    return _at_most(found, shown)


def _at_most(found: list[Problem], shown: str) -> list[Problem]:
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
