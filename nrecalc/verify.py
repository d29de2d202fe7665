"""nrecalc verify: does a document still say what its estimate and rate card give today?"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, NamedTuple

from . import __version__
from .choices import Audience, Format
from .company import load_template
from .errors import InputError, Problem
from .escape import line_start, printable
from .fields import FIRST_DATE, LAST_DATE, parse_confidence
from .loader import display_path, read_bytes, read_text
from .money import symbol
from .pipeline import make_quote
from .pricing import Quote
from .render.document import render as render_document
from .render.provenance import (
    FIGURES,
    MARKER_LINE,
    Provenance,
    body_sha256,
    fingerprint,
    last_marker,
)
from .render.words import LANGUAGES
from .template import Template

MAX_DIFFERENCES = 10
_SHA256 = re.compile(r"[0-9a-f]{64}")
_FINGERPRINT = re.compile(r"[0-9a-f]{16}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CONFIDENCE = re.compile(r"0\.[0-9]{1,6}")
_CELL_EDGE = re.compile(r"<[^>]*>|(?<!\\)\||\*\*|`")
_RELEASE = re.compile(r"[0-9]+(?:\.[0-9]+)*")
FIRST_SEALED = (0, 2)  # nrecalc 0.2.0 wrote the first seal (scheme 2); only 0.1.0 wrote scheme 1
FIRST_SCHEME_3 = (0, 4)  # 0.4.0 added the payment schedule to the figures
FIRST_FOLDED = (0, 4)  # 0.4.0 folded the padding into the customer's all-in prices
FIRST_SCHEME_4 = (0, 7)  # 0.7.0 added the exchange rate to the figures
# The first version to write each scheme.
_FIRST_WRITTEN = {2: FIRST_SEALED, 3: FIRST_SCHEME_3, 4: FIRST_SCHEME_4}
# The fields of the provenance comment that its inputs give, and that a document also shows.
_INPUT_FIELDS = {
    "estimate_sha256": "estimate",
    "rate_card_sha256": "rate-card",
    "figures": "figures",
    "template_sha256": "template",
}


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
    made: Provenance  # as the document shows it (_as_shown)
    seal: bool | None  # the seal holds; None: scheme 1 has none
    changed: list[str]  # the inputs that changed, as shown
    figures: str | None  # today's fingerprint in the document's scheme; None: scheme 1
    details: list[Problem]  # lines (same version) or amounts (else) that differ
    amounts: bool  # with the same inputs, a line's amounts are not those of a fresh quote
    comment: bool  # its provenance comment says other inputs or figures than the rest shows


def verify(
    document: Path, estimate: Path, *, rates: Path | None = None, template: Path | None = None
) -> Verdict:
    """Tell whether the document was altered, and whether its inputs still give its quote."""
    shown = display_path(document)
    pdf = document.suffix.lower() == ".pdf"
    if pdf:  # the provenance from the metadata, the text as a reader extracts it
        from .pdfdoc import read_pdf

        marker, text = read_pdf(read_bytes(document, shown, "PDF"), shown)
        recorded = read_provenance(marker, shown)
    else:
        text, _ = read_text(
            document,
            shown,
            kind="document",
            expected="verify reads the Markdown, HTML or PDF document nrecalc quote wrote",
        )
        recorded = read_provenance(text, shown)
    company = _company_template(recorded, template, shown)
    confidence = Decimal(recorded.confidence) if recorded.confidence else None
    quote, warnings = make_quote(
        estimate, today=date.fromisoformat(recorded.date), rates=rates, confidence=confidence
    )
    quote = quote._replace(language=recorded.language)  # in the language it was written in
    notices = [*warnings, *_version_notices(recorded, shown)]
    figures = fingerprint(quote, recorded.scheme) if recorded.scheme in FIGURES else None
    today = {
        "estimate_sha256": quote.estimate.sha256,
        "rate_card_sha256": quote.rate_card.sha256,
        "figures": figures,
        "template_sha256": company.sha256 if company else None,
    }
    made = recorded if pdf else _as_shown(text, recorded, today)
    changed = _changed_inputs(made, quote, company)
    seal = None if made.scheme == 1 else made.seal is not None and body_sha256(text) == made.seal
    # Rendered again with the provenance the document shows, seal included: its provenance
    # lines then read the same, and only what the inputs or an edit changed differs.
    fresh = render_document(quote, Format(made.format), Audience(made.audience), company, made)
    if pdf:
        seal, fresh = _pdf_seal(text, fresh, quote, company, made, shown)
    before = ""
    if made.audience == Audience.customer.value and () < _release(made.version) < FIRST_FOLDED:
        # Before 0.4 the customer read the amounts 0.4 folds into the all-in prices or leaves
        # out (the build at its amounts, the contingency, rows of nothing): that view's lines
        # may match too.
        before = render_document(
            quote, Format(made.format), Audience.customer, company, made, folded=False
        )
    amounts = amount_differences(text, fresh, shown, symbol(quote.currency), before)
    if made.version == __version__:  # the same words: every line, byte for byte
        details = text_differences(text, fresh, shown)
    else:  # other words: the amounts of each line; the line ends when the seal is broken
        ends = _line_ends(text, fresh, shown)[0] if seal is False else []
        edits = [] if pdf else _comment_edits(text, recorded, made, shown)
        details = [*ends, *edits, *amounts]
    found = _Found(
        shown,
        made,
        seal,
        [p.path for p in changed],
        figures,
        details,
        amounts=bool(amounts) and not changed,
        comment=made != recorded,
    )
    answers = [_seal_answer(found), _quote_answer(found, quote)]
    ok = seal is not False and not changed and figures in (None, made.figures) and not details
    # File names are the user's text: shown escaped, like every other line (SPEC 4.2).
    return Verdict([*changed, *details], notices, [line_start(printable(a)) for a in answers], ok)


def _pdf_seal(
    text: str, html: str, quote: Quote, company: Template | None, made: Provenance, shown: str
) -> tuple[bool | None, str]:
    """Tell whether a PDF was altered, and return the text of a fresh PDF to compare it with.

    A PDF's seal is the sha256 of the HTML it was printed from. When today's inputs and rules
    make that HTML again, a PDF printed from it must read as the document does, word for word:
    if it does not, the document was altered. When they make another HTML, verify cannot tell
    (None), and names the differences.
    """
    from .pdfdoc import read_pdf
    from .render import pdf

    made_again = made.seal is not None and body_sha256(html) == made.seal
    data = pdf.render(quote, Audience(made.audience), company, target=shown, made=made)
    fresh = read_pdf(data, shown)[1]
    if made.seal is None:
        return False, fresh
    return (text == fresh if made_again else None), fresh


def _as_shown(text: str, made: Provenance, today: dict[str, str | None]) -> Provenance:
    """Return the provenance as the document shows it.

    A field of the provenance comment (an input's sha256, the fingerprint) that the rest of the
    document contradicts, showing the value today's inputs give and never the comment's, was
    edited in the comment: it is taken from the rest, so that the comment, not the line that
    shows the field, is named.
    """
    match = last_marker(text)
    assert match is not None  # read_provenance found it
    rest = text[: match.start()] + text[match.end() :]
    found: dict[str, Any] = {}
    for attribute in _INPUT_FIELDS:
        then, now = getattr(made, attribute), today[attribute]
        # The customer's view shows a 12-digit reference of the fingerprint, the internal view
        # every digit: 12 digits tell either way.
        if then and now and then != now and now[:12] in rest and then[:12] not in rest:
            found[attribute] = now
    return made._replace(**found)


def _comment_edits(text: str, recorded: Provenance, made: Provenance, shown: str) -> list[Problem]:
    """Name each field of the provenance comment that the rest of the document contradicts."""
    match = last_marker(text)
    assert match is not None
    line = text.count("\n", 0, match.start()) + 1
    return [
        Problem(shown, _said_in_comment(name, getattr(recorded, field), getattr(made, field)), line)
        for field, name in _INPUT_FIELDS.items()
        if getattr(recorded, field) != getattr(made, field)
    ]


def _said_in_comment(name: str, then: str, now: str) -> str:
    return f"the provenance comment says '{name}={then}' where a fresh quote says '{name}={now}'"


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
            "only within one version; the seal, the inputs, the figures and the amounts it "
            "shows are checked"
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
    if found.seal is None and found.made.format == Format.pdf.value:
        said = (
            "cannot tell whether it was altered after it was issued: today's inputs and rules "
            "do not make the page it was printed from"
        )
    elif found.seal is None:
        said = "cannot tell whether it was altered after it was issued: scheme 1 has no seal"
    elif found.made.seal is None:
        said = (
            "altered after it was issued: its provenance lacks the seal "
            f"nrecalc {found.made.version} writes"
        )
    elif not found.seal:
        said = "altered after it was issued: its text does not match its seal"
    elif found.amounts:  # sealed again after an edit, or priced otherwise: not ours to say
        said = (
            "its seal holds, but its amounts differ from a fresh quote: the document, or the "
            "rules, changed since it was issued"
        )
    elif found.comment:
        said = (
            "its seal holds, but its provenance comment differs from what the document shows: "
            "it was changed since it was issued"
        )
    else:
        said = "intact: not altered after it was issued (its seal holds)"
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
    elif found.amounts and found.seal:
        said = f"same inputs and figures (fingerprint {figures}), other amounts (above)"
    elif found.details and not other and found.seal and not found.comment:
        said = (
            "same quote, other words (above): the document was edited and its seal remade, "
            f"or this nrecalc {__version__} is another build than the one that made it"
        )
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
    version = field("version", re.compile(r"[0-9A-Za-z.+_-]{1,40}"))
    if fields.get("scheme", "").isdecimal() and int(fields["scheme"]) > max(FIGURES):
        raise InputError.at(
            shown,
            f"made with provenance scheme {fields['scheme']}, which nrecalc {__version__} "
            "cannot read: verify it with the version that made it, or a later one",
            line,
        )
    if "scheme" in fields:
        scheme = int(field("scheme", {str(number) for number in FIGURES}))
        if () < _release(version) < _FIRST_WRITTEN[scheme]:  # no such version wrote it
            raise InputError.at(
                shown,
                f"the provenance line says scheme {scheme}, which nrecalc {version} did not "
                "write: it was changed after the document was issued",
                line,
            )
    elif () < _release(version) < FIRST_SEALED:
        scheme = 1  # made before the field existed
    else:  # taken out: read as the scheme its version wrote, whose seal verify finds missing
        written = [n for n, first in _FIRST_WRITTEN.items() if first <= _release(version)]
        scheme = max(written, default=2)
    seal = fields.get("seal")
    if seal is not None:
        seal = field("seal", _SHA256)
    return Provenance(
        version=version,
        format=field("format", {f.value for f in Format if f.is_document}),
        audience=field("audience", {a.value for a in Audience}),
        date=day,
        estimate_sha256=field("estimate", _SHA256),
        rate_card_sha256=field("rate-card", _SHA256),
        figures=field("figures", _FINGERPRINT),
        template_sha256=template,
        confidence=confidence,
        language=field("lang", set(LANGUAGES)) if "lang" in fields else "en",
        scheme=scheme,
        seal=seal if scheme > 1 else None,
    )


def _release(version: str) -> tuple[int, ...]:
    """Return the release numbers a version starts with (0.2.0rc1: 0, 2, 0); () if none."""
    match = _RELEASE.match(version)
    return tuple(int(number) for number in match.group().split(".")) if match else ()


def _company_template(made: Provenance, template: Path | None, shown: str) -> Template | None:
    if template is not None:
        if not made.template_sha256:
            raise InputError.at(
                shown,
                "made by nrecalc's built-in template, not a company template: "
                "verify it without --template",
            )
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
    found, document = _line_ends(document, fresh, shown)
    ours = document.split("\n")  # byte for byte: a lone CR, U+2028 and the like are differences
    theirs = fresh.split("\n")
    matcher = SequenceMatcher(None, ours, theirs, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        for offset in range(max(a2 - a1, b2 - b1)):
            mine = ours[a1 + offset] if a1 + offset < a2 else None
            fresh_line = theirs[b1 + offset] if b1 + offset < b2 else None
            line = min(a1 + offset, a2 - 1) + 1 if a2 > a1 else a1 + 1
            said = _difference(mine, fresh_line)
            if said is not None:
                found.append(Problem(shown, said, line))
    return _at_most(found, shown)


def _line_ends(document: str, fresh: str, shown: str) -> tuple[list[Problem], str]:
    """Say once that a document's lines end in CR LF where nrecalc's end in LF.

    Return that, and the document with LF line ends, so that its other differences are named.
    """
    if "\r\n" not in document or "\r\n" in fresh:
        return [], document
    said = "its line ends differ from a fresh quote's (CRLF where nrecalc writes LF)"
    return [Problem(shown, said)], document.replace("\r\n", "\n")


_CHART = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


def amount_differences(
    document: str, fresh: str, shown: str, symbol: str, before: str = ""
) -> list[Problem]:
    """Name each line of the document whose amounts no line of a fresh rendering shows.

    before, when given, is the same quote in the customer's view before 0.4 (content.py): its
    lines that the fresh rendering lacks may match the document's lines too, each once (an
    earlier version showed the customer amounts 0.4 folds into others or leaves out). A line
    both show is offered once, so an amount replaced by another shown once elsewhere is still
    found.

    For documents whose words may differ from this version's (another version, scheme 1), each
    line is reduced to the amounts it shows, in order; the chart's axis is a picture of them, not
    an amount of the quote, and is left out. Each line of the document that shows amounts must
    have a line of its own in the fresh rendering that shows the same ones: a line of the fresh
    rendering serves one line of the document, so an amount replaced by one that the quote shows
    elsewhere is found. A line of the fresh rendering the document lacks is no difference (a
    later version may add rows): a deleted line, or amounts swapped with others that the quote
    shows as often, are not found.
    """
    money = re.compile(rf"-?{re.escape(symbol)}[0-9]{{1,3}}(?:,[0-9]{{3}})*(?:\.[0-9]+)?")
    ours, theirs = _amount_lines(document, money), _amount_lines(fresh, money)
    fresh_lines = Counter(amounts for _, amounts in theirs)
    for number, amounts in _amount_lines(before, money):
        if fresh_lines[amounts]:  # the fresh rendering has this line already: not twice
            fresh_lines[amounts] -= 1
        else:
            theirs.append((number, amounts))
    mine, fresh_amounts = [amounts for _, amounts in ours], [amounts for _, amounts in theirs]
    free = [True] * len(theirs)  # the lines of the fresh rendering no line of ours has taken
    left: list[int] = []  # our lines that did not keep their place
    beside: dict[int, int] = {}  # such a line, and the fresh line in its place
    matcher = SequenceMatcher(None, mine, fresh_amounts, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            free[b1:b2] = [False] * (b2 - b1)
            continue
        left.extend(range(a1, a2))
        beside.update((k, b1 + k - a1) for k in range(a1, a2) if b1 + k - a1 < b2)
    spare = Counter(amounts for amounts, unused in zip(fresh_amounts, free, strict=True) if unused)
    unmatched = []
    for k in left:  # moved, or shown where a later version shows it: a spare line takes it
        if spare[mine[k]]:
            spare[mine[k]] -= 1
        else:
            unmatched.append(k)
    found = []
    for k in unmatched:
        line, amounts = ours[k]
        j = beside.get(k)
        if j is not None and spare[fresh_amounts[j]]:  # the line in its place is still spare
            said, should = _first_change(list(amounts), list(fresh_amounts[j]), " | ")
            message = f"the document says {said!r} where a fresh quote says {should!r}"
        else:
            message = (
                f"the document says {' | '.join(amounts)!r} on this line, which no line of a "
                "fresh quote does"
            )
        found.append(Problem(shown, message, line))
    return _at_most(found, shown)


def _amount_lines(text: str, money: re.Pattern[str]) -> list[tuple[int, tuple[str, ...]]]:
    """Return each line that shows amounts, by its number, with the amounts it shows."""
    text = _CHART.sub(lambda chart: "\n" * chart.group().count("\n"), text)
    lines = enumerate(text.split("\n"), start=1)
    return [(number, tuple(found)) for number, line in lines if (found := money.findall(line))]


def _at_most(found: list[Problem], shown: str) -> list[Problem]:
    if len(found) > MAX_DIFFERENCES:
        more = len(found) - MAX_DIFFERENCES
        found = [*found[:MAX_DIFFERENCES], Problem(shown, f"... and {more} more differences")]
    return found


def _difference(mine: str | None, fresh: str | None) -> str | None:
    """Say how a line differs from a fresh rendering's; None: by its seal alone."""
    if fresh is None:
        return f"the document has a line a fresh quote does not: {_clip(mine or '')!r}"
    if mine is None:
        return f"the document lacks a line of a fresh quote: {_clip(fresh)!r}"
    ours, theirs = _comment_fields(mine), _comment_fields(fresh)
    if ours is not None and theirs is not None and ours[0] == theirs[0]:
        return _field_difference(ours[1], theirs[1])
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


def _comment_fields(line: str) -> tuple[str, dict[str, str]] | None:
    """Split a provenance comment's line into the rest of it and its fields, the seal aside."""
    match = MARKER_LINE.search(line)
    if match is None:
        return None
    fields = dict(part.split("=", 1) for part in match.group(1).split())
    fields.pop("seal", None)  # the seal answer tells whether it holds
    return line[: match.start(1)] + line[match.end(1) :], fields


def _field_difference(ours: dict[str, str], theirs: dict[str, str]) -> str | None:
    """Name the first field of a provenance comment that differs from a fresh rendering's."""
    for name in [*theirs, *(name for name in ours if name not in theirs)]:
        if name not in ours:
            return f"the provenance comment lacks '{name}={theirs[name]}', which a fresh quote has"
        if name not in theirs:
            return f"the provenance comment has '{name}={ours[name]}', which a fresh quote does not"
        if ours[name] != theirs[name]:
            return _said_in_comment(name, ours[name], theirs[name])
    return None


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
