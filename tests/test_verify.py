"""nrecalc verify and company templates: a document still matches its inputs, or what differs."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import RATES, replaced
from typer.testing import CliRunner

from nrecalc import __version__
from nrecalc.cli import app

SHA = r"[0-9a-f]{64}"
FIGURES = "05f0ecebc3408b30"  # the reverse-push example's fingerprint in this version's scheme (4)


def intact(name: str) -> str:
    return f"{name}: intact: not altered after it was issued (its seal holds)"


def altered(name: str) -> str:
    return f"{name}: altered after it was issued: its text does not match its seal"


def same_quote(name: str, figures: str = FIGURES) -> str:
    return (
        f"{name}: same quote: est.yaml and rates/default.yaml give its figures "
        f"(fingerprint {figures})"
    )


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def make(fmt: str, name: str, *extra: str) -> Path:
    code, out, err = run("quote", "est.yaml", "--format", fmt, "-o", name, *extra)
    assert (code, out, err) == (0, "", "")
    return Path(name)


def replace(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace old by new in path; return the 1-based line of the first change."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return text.count("\n", 0, text.index(old)) + 1


def edit_delivery(doc: Path) -> str:
    """Raise the delivery milestone in a document; return the line verify names it with."""
    line = replace(doc, "¥69,960.00", "¥96,960.00")
    return (
        f"{doc.name}:{line}: error: the document says '¥96,960.00' where a fresh quote says "
        "'¥69,960.00'"
    )


@pytest.mark.parametrize(("fmt", "name"), [("markdown", "q.md"), ("html", "q.html")])
@pytest.mark.parametrize("audience", ["customer", "internal"])
def test_untouched_document_verifies(here: Path, fmt: str, name: str, audience: str) -> None:
    make(fmt, name, "--audience", audience)
    code, out, err = run("verify", name, "est.yaml")
    assert (code, out, err) == (0, f"{intact(name)}\n{same_quote(name)}\n", "")


@pytest.mark.parametrize(("fmt", "name"), [("markdown", "q.md"), ("html", "q.html")])
def test_a_changed_figure_in_the_document_is_named_at_its_line(
    here: Path, fmt: str, name: str
) -> None:
    doc = make(fmt, name)
    line = replace(doc, "¥52,470.00", "¥125,719.50")  # the first payment milestone
    code, out, err = run("verify", name, "est.yaml")
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        f"{name}:{line}: error: the document says '¥125,719.50' where a fresh quote says "
        "'¥52,470.00'",
        altered(name),
        same_quote(name),
    ]


def test_a_changed_week_in_the_estimate_is_named(here: Path) -> None:
    doc = make("markdown", "q.md")
    replace(Path("est.yaml"), "weeks: 3 ", "weeks: 4 ")
    code, out, err = run("verify", str(doc), "est.yaml")
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert re.fullmatch(
        rf"est\.yaml: error: changed since the document was made \(sha256 {SHA} then, {SHA} now\)",
        lines[0],
    )
    assert (
        "the document says '2 × 3 weeks | ¥165,000.00' where a fresh quote says "
        "'2 × 4 weeks | ¥220,000.00'"
    ) in out
    assert "the document says '¥165,000.00' where a fresh quote says '¥220,000.00'" in out
    assert lines[-2:] == [
        intact("q.md"),
        "q.md: the inputs changed: est.yaml changed since it was issued, and its figures "
        f"(fingerprint {FIGURES} then, b6f3abca22a116d9 now)",
    ]


def test_a_changed_rate_in_the_rate_card_is_named(here: Path) -> None:
    doc = make("html", "q.html")
    replace(Path("rates/default.yaml"), "engineer: 25000", "engineer: 26000")
    code, out, _ = run("verify", str(doc), "est.yaml")
    assert code == 1
    lines = out.splitlines()
    assert re.fullmatch(
        rf"rates/default\.yaml: error: changed since the document was made "
        rf"\(sha256 {SHA} then, {SHA} now\)",
        lines[0],
    )
    assert "the document says '¥165,000.00' where a fresh quote says '¥171,600.00'" in out
    assert not any(line.startswith("est.yaml") for line in lines)


def test_a_comment_changed_in_the_rate_card_changes_no_figure(here: Path) -> None:
    doc = make("markdown", "q.md")
    replace(Path("rates/default.yaml"), "# nrecalc rate card", "# our rate card")
    code, out, _ = run("verify", str(doc), "est.yaml")
    assert code == 1  # the file is not the one the document was made from...
    assert [line.split(":")[0] for line in out.splitlines()] == [
        "rates/default.yaml",
        "q.md",
        "q.md",
    ]  # ...but no figure differs: only the card is named, and the two answers
    assert out.splitlines()[-1] == (
        "q.md: the inputs changed: rates/default.yaml changed since it was issued, "
        f"not its figures (fingerprint {FIGURES})"
    )


def test_verify_with_rates_as_given_when_made(here: Path) -> None:
    shutil.copy(RATES / "default.yaml", here / "other.yaml")
    make("markdown", "q.md", "--rates", "other.yaml")
    assert run("verify", "q.md", "est.yaml", "--rates", "other.yaml")[0] == 0


def test_an_undated_estimate_verifies_on_a_later_day(here: Path) -> None:
    replace(Path("est.yaml"), "date: 2026-11-22", "")
    make("markdown", "q.md")
    text = Path("q.md").read_text(encoding="utf-8")
    marker = re.search(r"date=([0-9-]+)", text)
    assert marker is not None
    # Pretend the document was made on another day: its provenance says which.
    shown = re.search(r"\*\*Date:\*\* ([0-9-]+)", text)
    assert shown is not None
    assert marker.group(1) == shown.group(1) != "2026-11-02"  # made today, not on that day
    made = text.replace(marker.group(1), "2026-11-02")
    Path("q.md").write_text(made, encoding="utf-8")
    code, out, _ = run("verify", "q.md", "est.yaml")
    # The date is right, but the valid-until date and the fingerprint were computed for the
    # real day: verify recomputes with 2026-11-02 and names both.
    assert code == 1
    assert "2026-12-02" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("# just a file\n", "no nrecalc provenance found"),
        (
            "<!-- nrecalc-provenance: version=0.1.0 format=markdown audience=customer "
            "date=2026-11-22 estimate=abc rate-card=abc figures=0123456789abcdef -->\n",
            "the provenance line has a bad estimate: abc",
        ),
        (
            "<!-- nrecalc-provenance: version=0.1.0 format=pdf audience=customer -->\n",
            "the provenance line has no date",
        ),
    ],
)
def test_a_document_without_good_provenance_is_one_error(
    here: Path, content: str, message: str
) -> None:
    Path("doc.md").write_text(content, encoding="utf-8")
    code, out, err = run("verify", "doc.md", "est.yaml")
    assert (code, out) == (1, "")
    assert err.startswith("doc.md") and message in err
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (lambda p: None, "missing.md: error: no such file"),
        (lambda p: p.mkdir(), "missing.md: error: is a folder; expected a document file"),
        (lambda p: p.write_bytes(b"\xff\xfe\x00"), "missing.md:1:1: error: UTF-16 or UTF-32"),
    ],
)
def test_a_document_that_cannot_be_read_is_one_error(
    here: Path, setup: object, expected: str
) -> None:
    setup(Path("missing.md"))  # type: ignore[operator]
    code, out, err = run("verify", "missing.md", "est.yaml")
    assert (code, out) == (1, "")
    assert err.startswith(expected)


def test_verify_through_a_real_subprocess(here: Path) -> None:
    make("html", "q.html")
    done = subprocess.run(
        [sys.executable, "-m", "nrecalc", "verify", "q.html", "est.yaml"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"{intact('q.html')}\n{same_quote('q.html')}\n"
    replace(Path("q.html"), "ACME Robotics", "ACME Robotic")
    done = subprocess.run(
        [sys.executable, "-m", "nrecalc", "verify", "q.html", "est.yaml"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert (
        "the document says 'ACME Robotic' where a fresh quote says 'ACME Robotics'" in done.stdout
    )


# --- the two answers: altered after it was issued? the same quote? ------------------------------

NEWER = "99.0.0"  # a later nrecalc, checking a document made by this one
NOTICE = (
    f"q.md: notice: made by nrecalc {__version__}, checked by {NEWER}: wording is compared only "
    "within one version; the seal, the inputs, the figures and the amounts it shows are checked\n"
)


def sha256(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.mark.parametrize("other_version", [False, True], ids=["same-version", "other-version"])
@pytest.mark.parametrize("inputs_changed", [False, True], ids=["same-inputs", "changed-inputs"])
@pytest.mark.parametrize("edited", [False, True], ids=["intact", "altered"])
def test_verify_answers_two_questions_apart(
    here: Path,
    monkeypatch: pytest.MonkeyPatch,
    edited: bool,
    inputs_changed: bool,
    other_version: bool,
) -> None:
    doc = make("markdown", "q.md")
    then = sha256("est.yaml")
    expected = []
    if inputs_changed:  # a comment: the file changed, no figure did
        replace(Path("est.yaml"), "# The request from SPEC 1", "# The request, from SPEC 1")
        expected.append(
            "est.yaml: error: changed since the document was made "
            f"(sha256 {then} then, {sha256('est.yaml')} now)"
        )
    if edited:
        expected.append(edit_delivery(doc))
    expected.append(altered("q.md") if edited else intact("q.md"))
    if inputs_changed:
        expected.append(
            "q.md: the inputs changed: est.yaml changed since it was issued, not its figures "
            f"(fingerprint {FIGURES})"
        )
    else:
        expected.append(same_quote("q.md"))
    if other_version:  # a later nrecalc checks it: amounts compared, not words
        monkeypatch.setattr("nrecalc.verify.__version__", NEWER)
    code, out, err = run("verify", "q.md", "est.yaml")
    assert out.splitlines() == expected
    assert err == (NOTICE if other_version else "")
    assert code == (1 if edited or inputs_changed else 0)


def line_of(text: str, path: str) -> int:
    """Return the number of the first line of a file that holds text."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def test_a_newer_nrecalc_that_prices_the_same_inputs_differently_says_so(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nrecalc.pipeline import make_quote

    make("markdown", "q.md")

    def newer_rules(*args: Any, **kwargs: Any) -> Any:
        quote, warnings = make_quote(*args, **kwargs)
        return quote._replace(extra_cost=quote.extra_cost + 1), warnings

    monkeypatch.setattr("nrecalc.verify.make_quote", newer_rules)
    monkeypatch.setattr("nrecalc.verify.__version__", NEWER)
    code, out, err = run("verify", "q.md", "est.yaml")
    assert (code, err) == (1, NOTICE)
    assert out.splitlines() == [  # an amount it shows is one of them: the seal cannot tell more
        f"q.md:{line_of('¥502,705.00', 'q.md')}: error: the document says '¥502,705.00' where "
        "a fresh quote says '¥502,706.00'",
        OTHER_AMOUNTS.format(name="q.md"),
        f"q.md: same inputs, other figures: nrecalc {NEWER} prices them differently than "
        f"{__version__} did (fingerprint {FIGURES} then, 0beb54fbc1dfb3d5 now)",
    ]


def render_otherwise(monkeypatch: pytest.MonkeyPatch, old: str, new: str) -> None:
    """Make verify's fresh rendering say new where nrecalc says old (the first time)."""
    from nrecalc.render.document import render

    def otherwise(*args: Any) -> str:
        return replaced(render(*args), old, new, 1)

    monkeypatch.setattr("nrecalc.verify.render_document", otherwise)


def test_wording_that_differs_within_one_version_is_named(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A build that words the document differently but calls itself the same version.
    make("markdown", "q.md")
    render_otherwise(monkeypatch, "# Quote", "# Offer")
    code, out, err = run("verify", "q.md", "est.yaml")
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        "q.md:1: error: the document says 'Quote' where a fresh quote says 'Offer'",
        intact("q.md"),
        "q.md: same quote, other words (above): the document was edited and its seal remade, "
        f"or this nrecalc {__version__} is another build than the one that made it",
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (" scheme=4 ", " scheme=1 ", "the provenance line has a bad scheme: 1"),
        (
            " scheme=4 ",
            " scheme=5 ",
            f"made with provenance scheme 5, which nrecalc {__version__} cannot read: "
            "verify it with the version that made it, or a later one",
        ),
    ],
)
def test_a_provenance_line_without_a_scheme_it_can_read_is_one_error(
    here: Path, old: str, new: str, message: str
) -> None:
    replace(make("markdown", "q.md"), old, new)
    code, out, err = run("verify", "q.md", "est.yaml")
    assert (code, out) == (1, "")
    assert re.fullmatch(rf"q\.md:[0-9]+: error: {re.escape(message)}\n", err), err


# --- company templates ---------------------------------------------------------------------------

COMPANY = """\
# {{ quote.customer }}: {{ quote.id }}
Total: {{ custom.total }}
{% for part in custom.payment %}
- {{ part.milestone }}: {{ part.amount }}
{% endfor %}
{{ markdown_table(tables.payment) }}
<!-- {{ provenance.marker }} -->
"""


def test_company_template_renders_and_verifies(here: Path) -> None:
    Path("t.md.j2").write_text(COMPANY, encoding="utf-8")
    doc = make("markdown", "q.md", "--template", "t.md.j2")
    text = doc.read_text(encoding="utf-8")
    assert text.startswith(
        "# ACME Robotics: Q-2026-0042\nTotal: ¥509,065.00\n- Signing: ¥52,470.00\n"
    )
    assert re.search(rf"template={SHA}", text)
    # verify needs the template, and notices when it changed.
    code, _, err = run("verify", "q.md", "est.yaml")
    assert code == 1
    assert "made from a company template" in err and "--template PATH" in err
    assert run("verify", "q.md", "est.yaml", "--template", "t.md.j2")[0] == 0
    Path("t.md.j2").write_text(replaced(COMPANY, "Total:", "Grand total:"), encoding="utf-8")
    code, out, _ = run("verify", "q.md", "est.yaml", "--template", "t.md.j2")
    assert code == 1
    assert "t.md.j2: error: changed since the document was made" in out
    assert (
        "the document says 'Total: ¥509,065.00' where a fresh quote says 'Grand total: ¥509,065.00'"
    ) in out


def test_company_html_template_is_autoescaped(here: Path) -> None:
    Path("t.html.j2").write_text("<p>{{ '<b>' }}{{ quote.customer }}</p>\n", encoding="utf-8")
    code, out, _ = run("quote", "est.yaml", "--format", "html", "--template", "t.html.j2")
    assert (code, out) == (0, "<p>&lt;b&gt;ACME Robotics</p>\n")


def test_company_template_may_include_a_builtin_one(here: Path) -> None:
    Path("t.md.j2").write_text(
        'Cover page\n\n{% include "nrecalc/appendix.md.j2" %}', encoding="utf-8"
    )
    code, out, _ = run("quote", "est.yaml", "--format", "markdown", "--template", "t.md.j2")
    assert code == 0
    assert out.startswith("Cover page\n\n# Quote Q-2026-0042")


# Jinja2's and Python's own words (None here) are not nrecalc's to pin: any message will do, as
# long as it is one line at the template's line. nrecalc's own limits say their own words.
@pytest.mark.parametrize(
    ("template", "line", "message"),
    [
        ("ok\n{% for x in %}\n", 2, None),  # a syntax error
        ("ok\n\n{{ nonsense.total }}\n", 3, None),  # an undefined name
        ("{{ custom.totl }}\n", 1, None),  # a missing attribute
        ("a\n{{ 1 / 0 }}\n", 2, None),  # an exception while rendering
        ("{{ ''.__class__.__mro__ }}\n", 1, None),  # the sandbox refuses
        ("{{ 'x' * 100000000 }}\n", 1, "template: the result is too large"),
        ("{{ 10 ** 100000 }}\n", 1, "template: the exponent is too large"),
        (
            "{% for i in range(100000) %}{{ quote.title * 100 }}{% endfor %}\n",
            None,  # counted as it is written, after the template's lines ran
            "template: the output is larger than 8 MiB",
        ),
        (
            "{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}\n",
            1,
            "template: recursion too deep",
        ),
    ],
)
def test_a_broken_company_template_is_one_error_at_its_line(
    here: Path, template: str, line: int | None, message: str | None
) -> None:
    Path("t.j2").write_text(template, encoding="utf-8")
    out_dir = here / "out"
    out_dir.mkdir()
    for extra in ([], ["-o", "out/q.md"]):
        code, out, err = run(
            "quote", "est.yaml", "--format", "markdown", "--template", "t.j2", *extra
        )
        assert (code, out) == (1, "")
        place = "t.j2" if line is None else f"t.j2:{line}"
        if message is None:
            assert re.fullmatch(rf"{re.escape(place)}: error: template: \S[^\n]*\n", err), err
        else:
            assert err == f"{place}: error: {message}\n"
    assert list(out_dir.iterdir()) == []


def test_a_missing_company_template_is_one_error(here: Path) -> None:
    code, out, err = run("quote", "est.yaml", "--format", "html", "--template", "none.j2")
    assert (code, out, err) == (1, "", "none.j2: error: no such file\n")


# --- found in review: tampering, hostile templates, other folders --------------------------------


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_a_changed_line_cannot_hide_behind_provenance_words(here: Path, fmt: str) -> None:
    doc = make(fmt, "q." + fmt)
    text = doc.read_text(encoding="utf-8")
    estimate_sha = re.search(r"estimate=([0-9a-f]{64})", text).group(1)  # type: ignore[union-attr]
    for disguise in (" <!-- nrecalc-provenance: -->", f" {estimate_sha}"):
        doc.write_text(replaced(text, "¥509,065.00", "¥9,065.00" + disguise, 1), encoding="utf-8")
        code, out, _ = run("verify", doc.name, "est.yaml")
        assert code == 1, disguise
        assert "where a fresh quote says '¥509,065.00'" in out


def test_an_internal_document_verifies_from_another_folder(here: Path) -> None:
    make("markdown", "qi.md", "--audience", "internal")
    Path("sub").mkdir()
    os.chdir("sub")
    code, out, _ = run("verify", "../qi.md", "../est.yaml")
    assert code == 0, out


def test_a_provenance_date_out_of_range_is_one_error(here: Path) -> None:
    replace(Path("est.yaml"), "date: 2026-11-22", "")
    doc = make("markdown", "q.md")
    replace(doc, "date=", "date=9999-12-31 was=")
    code, out, err = run("verify", "q.md", "est.yaml")
    assert (code, out) == (1, "")
    assert err.startswith("q.md:") and "bad date: 9999-12-31" in err


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ 'x'|center(1000000000) }}", "template: center: a width above 10,000 is refused"),
        ("{{ '%0900000000d' % 1 }}", "template: a field in the format string is too wide"),
        ("{{ '{:>900000000}'.format(1) }}", "template: a field in the format string is too wide"),
        (
            "{% set ns = namespace(x=3) %}{% for i in range(64) %}"
            "{% set ns.x = ns.x * ns.x %}{% endfor %}",
            "template: the result is too large",
        ),
    ],
)
def test_a_template_may_not_build_huge_values(here: Path, template: str, message: str) -> None:
    Path("t.j2").write_text(template + "\n", encoding="utf-8")
    code, out, err = run("quote", "est.yaml", "--format", "note", "--template", "t.j2")
    assert (code, out, err) == (1, "", f"t.j2:1: error: {message}\n")


def test_a_template_that_runs_too_long_is_stopped(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nrecalc.render import sandbox

    monkeypatch.setattr(sandbox, "MAX_SECONDS", 1)
    Path("t.j2").write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
        encoding="utf-8",
    )
    code, out, err = run("quote", "est.yaml", "--format", "note", "--template", "t.j2")
    assert (code, out) == (1, "")
    assert err.startswith("t.j2:1: error: template: stopped after 1 seconds") or err.startswith(
        "t.j2: error: template: stopped after 1 seconds"
    )


def test_an_error_in_an_included_template_names_that_file(here: Path) -> None:
    Path("inc.j2").write_text("fine\n{{ nonsense.x }}\n", encoding="utf-8")
    Path("bad.j2").write_text("ok\n{% if %}\n", encoding="utf-8")
    Path("t.j2").write_text('{% include "inc.j2" %}\n', encoding="utf-8")
    code, _, err = run("quote", "est.yaml", "--format", "note", "--template", "t.j2")
    assert code == 1
    assert re.fullmatch(r"inc\.j2:2: error: template: \S[^\n]*\n", err), err
    Path("t.j2").write_text('one\n{% include "bad.j2" %}\n', encoding="utf-8")
    code, _, err = run("quote", "est.yaml", "--format", "note", "--template", "t.j2")
    assert code == 1
    assert err.startswith("bad.j2:2: error: template: ")


# --- found in review: resealed edits, downgrades, messages from the re-render --------------------

OTHER_AMOUNTS = (
    "{name}: its seal holds, but its amounts differ from a fresh quote: the document, or the "
    "rules, changed since it was issued"
)


def reseal(path: Path) -> None:
    """Seal an edited document again, as anyone who reads docs/documents.md can."""
    from nrecalc.render.provenance import body_sha256

    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"seal=[0-9a-f]{64}", f"seal={body_sha256(text)}", text), "utf-8")


@pytest.fixture(params=["same-version", "other-version"])
def checked_by(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The version that verifies: the one that made the document, or a later one."""
    if request.param == "same-version":
        return __version__
    monkeypatch.setattr("nrecalc.verify.__version__", NEWER)
    return NEWER


@pytest.mark.parametrize(("fmt", "name"), [("markdown", "q.md"), ("html", "q.html")])
def test_a_resealed_edit_is_caught_in_every_version(
    here: Path, checked_by: str, fmt: str, name: str
) -> None:
    doc = make(fmt, name)
    edited = edit_delivery(doc)
    reseal(doc)
    code, out, _ = run("verify", name, "est.yaml")
    assert code == 1
    assert out.splitlines() == [
        edited,
        OTHER_AMOUNTS.format(name=name),
        f"{name}: same inputs and figures (fingerprint {FIGURES}), other amounts (above)",
    ]


@pytest.mark.parametrize(("fmt", "name"), [("markdown", "q.md"), ("html", "q.html")])
def test_an_amount_replaced_by_one_the_quote_shows_once_elsewhere_is_caught(
    here: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, name: str
) -> None:
    doc = make(fmt, name)
    line = replace(doc, "¥69,960.00", "¥28,815.00")  # the tax, shown once, on its own line
    reseal(doc)
    monkeypatch.setattr("nrecalc.verify.__version__", NEWER)
    code, out, _ = run("verify", name, "est.yaml")
    assert code == 1
    assert out.splitlines()[:2] == [
        f"{name}:{line}: error: the document says '¥28,815.00' where a fresh quote says "
        "'¥69,960.00'",
        OTHER_AMOUNTS.format(name=name),
    ]


def test_rows_a_later_version_adds_are_no_difference(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make("markdown", "q.md")
    render_otherwise(monkeypatch, "| Signing ", "| Deposit | 0% | ¥1.00 |\n| Signing ")
    monkeypatch.setattr("nrecalc.verify.__version__", NEWER)
    code, out, err = run("verify", "q.md", "est.yaml")
    assert (code, out, err) == (0, f"{intact('q.md')}\n{same_quote('q.md')}\n", NOTICE)


def unseal(path: Path) -> None:
    """Take the scheme and the seal out of a document's provenance, as if scheme 1 made it."""
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r" scheme=[0-9]+| seal=[0-9a-f]{64}", "", text), encoding="utf-8")


LACKS_SEAL = (
    f"q.md: altered after it was issued: its provenance lacks the seal nrecalc {__version__} writes"
)


@pytest.mark.parametrize("edited", [False, True], ids=["intact", "edited"])
def test_a_document_of_a_sealing_version_without_its_seal_is_altered(
    here: Path, checked_by: str, edited: bool
) -> None:
    doc = make("markdown", "q.md")
    edit = edit_delivery(doc) if edited else None
    unseal(doc)
    code, out, err = run("verify", "q.md", "est.yaml")
    assert code == 1
    lines = out.splitlines()
    assert edit is None or edit in lines
    assert lines[-2:] == [LACKS_SEAL, same_quote("q.md")]
    assert "scheme 1" not in err


def test_a_missing_seal_alone_is_an_alteration(here: Path) -> None:
    replace(make("markdown", "q.md"), " seal=", " was=")
    code, out, err = run("verify", "q.md", "est.yaml")
    assert (code, err) == (1, "")
    assert out.splitlines()[-2:] == [LACKS_SEAL, same_quote("q.md")]


@pytest.mark.parametrize(("fmt", "name"), [("markdown", "q.md"), ("html", "q.html")])
def test_an_edited_fingerprint_in_the_provenance_comment_is_named_there(
    here: Path, checked_by: str, fmt: str, name: str
) -> None:
    doc = make(fmt, name)
    line = replace(doc, f"figures={FIGURES}", "figures=0000000000000000")
    code, out, _ = run("verify", name, "est.yaml")
    assert code == 1
    assert out.splitlines() == [
        f"{name}:{line}: error: the provenance comment says 'figures=0000000000000000' where a "
        f"fresh quote says 'figures={FIGURES}'",
        altered(name),
        same_quote(name),
    ]


def test_a_template_given_for_a_document_of_the_built_in_one_is_one_error(here: Path) -> None:
    make("markdown", "q.md")
    Path("t.md.j2").write_text(COMPANY, encoding="utf-8")
    code, out, err = run("verify", "q.md", "est.yaml", "--template", "t.md.j2")
    assert (code, out) == (1, "")
    assert err == (
        "q.md: error: made by nrecalc's built-in template, not a company template: "
        "verify it without --template\n"
    )


@pytest.mark.parametrize("edited", [False, True], ids=["copy", "copy-and-edit"])
@pytest.mark.parametrize(("fmt", "name"), [("markdown", "q.md"), ("html", "q.html")])
def test_a_crlf_copy_says_so_once(here: Path, fmt: str, name: str, edited: bool) -> None:
    doc = make(fmt, name)
    edits = [edit_delivery(doc)] if edited else []
    doc.write_bytes(doc.read_bytes().replace(b"\n", b"\r\n"))
    code, out, err = run("verify", name, "est.yaml")
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        f"{name}: error: its line ends differ from a fresh quote's (CRLF where nrecalc writes LF)",
        *edits,
        altered(name),
        same_quote(name),
    ]
