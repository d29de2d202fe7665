"""Provenance (SPEC 6): the figures a fingerprint covers, frozen per scheme, and the seal."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, replaced
from test_verify import make, run

from nrecalc.pipeline import make_quote
from nrecalc.pricing import Quote
from nrecalc.render.provenance import (
    SCHEME_2,
    SCHEME_3,
    SCHEME_4,
    body_sha256,
    canonical,
    fingerprint,
)

SCHEME2 = ROOT / "tests" / "compat" / "scheme2"


def quote_of(path: Path) -> Quote:
    found, warnings = make_quote(path, today=date(2026, 11, 24))
    assert warnings == []
    return found


# --- the fingerprint: an explicit list of figures, frozen per scheme -----------------------------


def test_scheme_2_is_frozen() -> None:
    # The canonical text of scheme 2 for an example with ranges, services and productize, as
    # 0.2.0 wrote it. If the names or the number of lines change, scheme 2 changed and every
    # document it sealed would stop verifying: add a scheme instead (docs/documents.md,
    # "Schemes"), and leave this file alone. The values are today's rules: 0.4.0 changed the
    # milestones (they divide the one-time part, SPEC 6) and nothing else of this quote.
    expected = (SCHEME2 / "telemetry-bridge.figures.txt").read_text(encoding="utf-8")
    assert hashlib.sha256(expected.encode()).hexdigest()[:16] == "efb5ba12f8776fd7"
    found = canonical(quote_of(SCHEME2 / "telemetry-bridge.yaml"), 2)
    then, now = expected.splitlines(), found.splitlines()
    assert [line.split("=")[0] for line in now] == [line.split("=")[0] for line in then]
    assert [(a, b) for a, b in zip(then, now, strict=True) if a != b] == [
        ("custom.payment[0].amount=427572.45", "custom.payment[0].amount=156898.80"),
        ("custom.payment[1].amount=570096.59", "custom.payment[1].amount=209198.39"),
        ("custom.payment[2].amount=427572.45", "custom.payment[2].amount=156898.80"),
    ]
    assert expected.count("\n") == 181
    assert expected.startswith('quote.id="Q-2026-0057"\nquote.date=2026-11-24\n')
    assert "custom.build[0].amount=315000.00\ncustom.build[1].role=" in expected
    assert "custom.build[2].range.low=none\n" in expected
    assert expected.endswith("risk.z=0.841621\nrisk.mean=398333.33\nrisk.sigma=60667.58\n")


def test_scheme_3_is_frozen() -> None:
    # As test_scheme_2_is_frozen, for the scheme 0.4.0 writes, as it wrote it.
    scheme3 = ROOT / "tests" / "compat" / "scheme3"
    expected = (scheme3 / "telemetry-bridge.figures.txt").read_text(encoding="utf-8")
    assert hashlib.sha256(expected.encode()).hexdigest()[:16] == "e5a6eef8162c4266"
    found = canonical(quote_of(scheme3 / "telemetry-bridge.yaml"), 3)
    assert found == expected
    assert expected.count("\n") == 211


def test_scheme_4_is_frozen() -> None:
    # As test_scheme_3_is_frozen, for the scheme 0.7.0 writes: a quote in USD from a CNY card.
    scheme4 = ROOT / "tests" / "compat" / "scheme4"
    expected = (scheme4 / "reverse-push-usd.figures.txt").read_text(encoding="utf-8")
    assert hashlib.sha256(expected.encode()).hexdigest()[:16] == "4040d415564c9d0e"
    assert canonical(quote_of(scheme4 / "reverse-push-usd.yaml"), 4) == expected
    assert expected.count("\n") == 154


def test_scheme_4_is_scheme_3_and_the_exchange_rate() -> None:
    assert SCHEME_4[: len(SCHEME_3)] == SCHEME_3
    assert [figure.name for figure in SCHEME_4[len(SCHEME_3) :]] == [
        "fx.from",
        "fx.to",
        "fx.rate",
        "fx.date",
        "fx.source",
    ]
    usd = canonical(quote_of(ROOT / "examples" / "reverse-push-usd.yaml"), 4)
    assert usd.endswith(
        'fx.from="CNY"\nfx.to="USD"\nfx.rate=0.1405\nfx.date=2026-11-20\nfx.source="PBOC"\n'
    )
    assert "custom.build[0].rate=3512.50\ncustom.build[0].amount=21075.00\n" in usd
    cny = canonical(quote_of(ROOT / "examples" / "reverse-push.yaml"), 4)
    assert cny.endswith("fx.from=none\nfx.to=none\nfx.rate=none\nfx.date=none\nfx.source=none\n")
    assert cny.startswith(canonical(quote_of(ROOT / "examples" / "reverse-push.yaml"), 3))


def test_scheme_3_is_scheme_2_and_the_payment_schedule() -> None:
    assert SCHEME_3[: len(SCHEME_2)] == SCHEME_2
    names = [figure.name for figure in SCHEME_3[len(SCHEME_2) :]]
    assert names == [
        "custom.one_time",
        "custom.schedule[].kind",
        "custom.schedule[].year",
        "custom.schedule[].amount",
        "risk.reserve",
        "risk.floor",
    ]
    found = canonical(quote_of(SCHEME2 / "telemetry-bridge.yaml"), 3)
    assert found.startswith(canonical(quote_of(SCHEME2 / "telemetry-bridge.yaml"), 2))
    assert "custom.one_time=522995.99\n" in found
    assert 'custom.schedule[0].kind="milestone"\ncustom.schedule[0].year=none\n' in found
    assert 'custom.schedule[3].kind="services"\ncustom.schedule[3].year=1\n' in found
    assert "custom.schedule[4].amount=159000.00\n" in found
    assert found.endswith("risk.reserve=51059.11\nrisk.floor=39833.33\n")


def test_scheme_2_names_each_figure_once() -> None:
    names = [figure.name for figure in SCHEME_2]
    assert len(names) == len(set(names))
    assert {figure.kind for figure in SCHEME_2} == {"id", "date", "number", "money", "rate"}


def test_free_text_and_labels_leave_the_fingerprint_alone(tmp_path: Path) -> None:
    estimate = (ROOT / "examples" / "reverse-push.yaml").read_text(encoding="utf-8")
    (tmp_path / "rates").mkdir()
    (tmp_path / "rates" / "default.yaml").write_bytes((ROOT / "rates/default.yaml").read_bytes())
    variants = {
        "same": estimate,
        "words": replaced(
            replaced(estimate, "customer: ACME Robotics", "customer: ACME Robotics GmbH"),
            "task: Reverse-push connector",
            "task: Connector",
        ),
        "weeks": replaced(estimate, "weeks: 3 ", "weeks: 4 "),
    }
    prints = {}
    for name, text in variants.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
        prints[name] = fingerprint(quote_of(tmp_path / f"{name}.yaml"))
    assert prints["words"] == prints["same"] != prints["weeks"]


# --- the seal: the sha256 of the document without its seal field ---------------------------------


SEAL = re.compile(r" seal=([0-9a-f]{64}) -->\n")


@pytest.mark.parametrize(("fmt", "name"), [("markdown", "q.md"), ("html", "q.html")])
def test_the_seal_is_the_sha256_of_the_document_without_it(here: Path, fmt: str, name: str) -> None:
    text = make(fmt, name).read_text(encoding="utf-8")
    found = SEAL.search(text)
    assert found is not None
    without = text[: found.start()] + " -->\n" + text[found.end() :]
    assert found.group(1) == hashlib.sha256(without.encode("utf-8")).hexdigest()
    assert body_sha256(text) == found.group(1)
    assert "scheme=4 " in text


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("ACME Robotics", "ACME Robotic"),  # the body
        ("\n", "\r\n"),  # one line end
        ("figures=", "figures=0"),  # the marker's own fields are sealed too
        ("confidence=0.8 ", "confidence=0.9 "),
    ],
)
def test_any_change_breaks_the_seal(here: Path, old: str, new: str) -> None:
    text = make("markdown", "q.md").read_text(encoding="utf-8")
    seal = SEAL.search(text)
    assert seal is not None and body_sha256(text) == seal.group(1)
    assert body_sha256(replaced(text, old, new, 1)) != seal.group(1)


def test_a_company_template_is_sealed_where_it_puts_the_marker(here: Path) -> None:
    company = "Total: {{ custom.total }}\n<!-- {{ provenance.marker }} -->\nEnd\n"
    Path("t.md.j2").write_text(company, encoding="utf-8")
    text = make("markdown", "q.md", "--template", "t.md.j2").read_text(encoding="utf-8")
    seal = re.search(r" seal=([0-9a-f]{64}) -->\nEnd\n\Z", text)
    assert seal is not None and body_sha256(text) == seal.group(1)
    Path("t.md.j2").write_text("Total: {{ custom.total }}\n", encoding="utf-8")  # no marker
    code, out, _ = run("quote", "est.yaml", "--format", "markdown", "--template", "t.md.j2")
    assert (code, out) == (0, "Total: ¥509,065.00\n")
