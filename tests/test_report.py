"""nrecalc report (SPEC 8.6): outcomes, shares, money won, decision time, tags, every format.

The figures are checked against a small set worked out by hand below; the shipped
examples/requests against golden files; the rest are the edges: an empty period, bad options,
bad tags and outcomes, hostile text, and the property that the counts and shares add up.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLES, GOLDEN, GOLDEN_REPORTS, RATES, ROOT, check_golden, examples, replaced
from hypothesis import given, settings
from hypothesis import strategies as st
from test_batch import USD_CARD, run

from nrecalc.models import STATUSES
from nrecalc.report import Request, gather, median, read

TODAY = date(2026, 11, 26)
REQUESTS = EXAMPLES / "requests"


def estimate(
    quote_id: str,
    day: str | None,
    tags: str,
    outcome: str = "",
    *,
    card: str = "default",
    weeks: str = "3",
) -> str:
    """The reverse-push example (NRE 165,000.00, total 509,065.00) as another request."""
    text = (EXAMPLES / "reverse-push.yaml").read_text(encoding="utf-8")
    text = replaced(text, "id: Q-2026-0042", f"id: {quote_id}")
    text = replaced(text, "rate_card: default", f"rate_card: {card}")
    text = replaced(text, "      weeks: 3 ", f"      weeks: {weeks} ")
    if day is None:
        text = replaced(text, "date: 2026-11-22", "")
    else:
        text = replaced(text, "date: 2026-11-22", f"date: {day}")
    return text + f"\ntags: {tags}\n" + (f"outcome: {outcome}\n" if outcome else "")


# The set worked out by hand. The reverse-push example: NRE ¥165,000.00 (2 engineers x 3 weeks x
# ¥25,000.00 + 10% contingency), custom total ¥509,065.00, upgrade charges ¥100,000.00,
# ¥105,000.00 and ¥110,250.00 in years 1 to 3. Q-E's build takes 4 weeks: NRE ¥220,000.00.
SET = {
    "a.yaml": estimate(
        "Q-A", "2026-10-01", "[reverse-push, mqtt]", "{status: custom, date: 2026-10-11}"
    ),
    "b.yaml": estimate(
        "Q-B", "2026-10-05", "[reverse-push]", "{status: standard, date: 2026-10-08}"
    ),
    "usd/c.yaml": estimate(
        "Q-C", "2026-10-10", "[reverse-push]", "{status: custom, date: 2026-10-30}", card="us"
    ),
    "d.yaml": estimate("Q-D", "2026-10-20", "[sso]", "{status: declined, date: 2026-10-21}"),
    "e.yaml": estimate("Q-E", "2026-10-25", "[mqtt]", weeks="4"),
    "f.yaml": estimate(
        "Q-F", "2026-11-02", "[reverse-push]", "{status: productize, date: 2026-11-05}"
    ),
    "g.yaml": estimate("Q-G", None, "[sso]"),
}


@pytest.fixture
def requests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The hand-worked set in a folder `q`, beside a rates/ folder with a CNY and a USD card."""
    (tmp_path / "rates").mkdir()
    shutil.copy(RATES / "default.yaml", tmp_path / "rates" / "default.yaml")
    (tmp_path / "rates" / "us.yaml").write_text(USD_CARD, encoding="utf-8")
    for name, text in SET.items():
        path = tmp_path / "q" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "q"


def test_the_figures_of_october_worked_out_by_hand(requests: Path) -> None:
    found = read([requests], today=TODAY)
    assert found.problems == []
    made = gather(found.requests, today=TODAY, since=date(2026, 10, 1), until=date(2026, 10, 31))
    assert [each.id for each in made.requests] == ["Q-A", "Q-B", "Q-C", "Q-D", "Q-E"]
    assert made.outcomes == {"open": 1, "custom": 2, "standard": 1, "productize": 0, "declined": 1}
    assert made.decided == 4
    assert made.shares == {
        "custom": Decimal("0.5000"),
        "standard": Decimal("0.2500"),
        "productize": Decimal("0.0000"),
        "declined": Decimal("0.2500"),
    }
    # 10, 3, 20 and 1 days: the mean of the two middle ones, 3 and 10
    assert made.median_days == Decimal("6.5")
    years = (Decimal("100000.00"), Decimal("105000.00"), Decimal("110250.00"))
    for currency in ("CNY", "USD"):  # Q-A and Q-C: one each, never added together
        won = made.won[currency]
        assert (won.requests, won.nre, won.total) == (1, Decimal("165000.00"), Decimal("509065.00"))
        assert won.upgrades == years
    assert list(made.won) == ["CNY", "USD"]
    tags = {line.tag: line for line in made.tags}
    assert [line.tag for line in made.tags] == ["reverse-push", "mqtt", "sso"]
    push, mqtt, sso = tags["reverse-push"], tags["mqtt"], tags["sso"]
    assert (push.requests, push.candidate) == (3, True)
    assert push.outcomes == {"open": 0, "custom": 2, "standard": 1, "productize": 0, "declined": 0}
    assert push.nre["CNY"] == (Decimal("330000.00"), Decimal("165000.00"))  # Q-A and Q-B; Q-A
    assert push.nre["USD"] == (Decimal("165000.00"), Decimal("165000.00"))  # Q-C
    assert (mqtt.requests, mqtt.candidate) == (2, False)
    assert mqtt.nre == {"CNY": (Decimal("385000.00"), Decimal("165000.00"))}  # Q-A + Q-E; Q-A
    assert (sso.requests, sso.candidate, sso.nre["CNY"].paid) == (1, False, Decimal("0.00"))
    assert [line.candidate for line in gather(found.requests, today=TODAY, recurring=2).tags] == [
        True,  # reverse-push: 4 requests in all
        True,  # mqtt: 2
        True,  # sso: 2, Q-G counted today
    ]


def test_the_json_of_october(requests: Path) -> None:
    code, out, err = run(
        "report", "q", "--since", "2026-10-01", "--until", "2026-10-31", "--format", "json"
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["schema_version"] == 1
    assert data["period"] == {"from": "2026-10-01", "until": "2026-10-31"}
    assert data["requests"] == 5
    assert data["outcomes"] == {
        "open": 1,
        "custom": 2,
        "standard": 1,
        "productize": 0,
        "declined": 1,
    }
    assert data["decided_share"] == {
        "custom": "0.5000",
        "standard": "0.2500",
        "productize": "0.0000",
        "declined": "0.2500",
    }
    assert data["median_days_to_decision"] == "6.5"
    assert data["won"]["USD"] == {
        "requests": 1,
        "nre": "165000.00",
        "total": "509065.00",
        "upgrade_charges": [
            {"year": 1, "amount": "100000.00"},
            {"year": 2, "amount": "105000.00"},
            {"year": 3, "amount": "110250.00"},
        ],
    }
    first = data["tags"][0]
    assert first["tag"] == "reverse-push" and first["candidate"] is True
    assert first["nre"] == {
        "CNY": {"quoted": "330000.00", "paid": "165000.00"},
        "USD": {"quoted": "165000.00", "paid": "165000.00"},
    }
    assert data["quotes"][0]["outcome"] == {
        "status": "custom",
        "date": "2026-10-11",
        "days": 10,
        "note": None,
    }
    assert data["quotes"][0]["estimate"] == "q/a.yaml"
    assert data["errors"] == []


def test_an_estimate_without_a_date_is_counted_today_and_says_so(requests: Path) -> None:
    made = gather(read([requests], today=TODAY).requests, today=TODAY, since=date(2026, 11, 1))
    assert [each.id for each in made.requests] == ["Q-F", "Q-G"]
    assert made.requests[1].date == TODAY and made.date_assumed == 1
    assert (made.since, made.until) == (date(2026, 11, 1), TODAY)
    from nrecalc.render.report import notes

    assert notes(made) == ["1 estimate has no date: it is counted as quoted today, 2026-11-26."]


def test_an_even_count_has_the_mean_of_its_middle_values_as_median() -> None:
    assert median([]) is None
    assert median([7]) == 7
    assert median([20, 1, 10, 3]) == Decimal("6.5")
    assert median([1, 3]) == 2 and str(median([1, 3])) == "2"
    assert median([0, 0, 5]) == 0


def test_an_empty_period_is_an_empty_report(requests: Path) -> None:
    code, out, err = run("report", "q", "--since", "2027-01-01")
    assert (code, out, err) == (0, "0 requests quoted since 2027-01-01\n", "")
    code, out, _ = run("report", "q", "--until", "2020-12-31", "--format", "json")
    data = json.loads(out)
    assert (
        code == 0
        and data["requests"] == 0
        and data["period"] == {"from": None, "until": "2020-12-31"}
    )
    assert data["decided_share"] == dict.fromkeys(["custom", "standard", "productize", "declined"])
    assert data["median_days_to_decision"] is None and data["won"] == {} and data["tags"] == []
    code, out, _ = run("report", "q", "--until", "2020-12-31", "--format", "markdown")
    assert (code, out) == (0, "### 0 requests quoted until 2020-12-31\n")


def test_a_folder_with_no_estimate_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "ci.yaml").write_text("kind: Deployment\n", encoding="utf-8")
    assert run("report", str(tmp_path / "empty"))[0] == 1
    code, out, err = run("report", str(tmp_path / "other"))
    assert (code, out) == (1, "") and err.endswith(": error: no estimates found here\n")


@pytest.mark.parametrize(
    ("options", "option"),
    [
        (("--since", "2026-11-01", "--until", "2026-10-31"), "--until"),
        (("--since", "2026-02-30"), "--since"),
        (("--until", "yesterday"), "--until"),
        (("--since", "2026-1-1"), "--since"),
        (("--recurring", "0"), "--recurring"),
        (("--format", "csv"), "--format"),
        (("--lang", "fr"), "--lang"),
    ],
)
def test_bad_options_are_usage_errors(
    requests: Path, options: tuple[str, ...], option: str
) -> None:
    code, out, err = run("report", "q", *options)
    assert (code, out) == (2, "")
    assert option in err


# --- a file that fails is told and left out ------------------------------------------------------

BAD = {
    "status": (
        "{status: Custom, date: 2026-10-11}",
        "outcome.status: must be one of open, custom, standard, productize or declined; "
        "did you mean custom?",
    ),
    "status-typo": (
        "{status: declind, date: 2026-10-11}",
        "outcome.status: must be one of open, custom, standard, productize or declined; "
        "did you mean declined?",
    ),
    "before": (
        "{status: custom, date: 2026-09-30}",
        "outcome.date: 2026-09-30 is before the quote's date (2026-10-01); the customer "
        "decides on or after the day of the quote",
    ),
    "no-date": (
        "{status: declined}",
        "outcome.date: a decided outcome needs its date: the day the customer decided (YYYY-MM-DD)",
    ),
    "open-dated": (
        "{status: open, date: 2026-10-11}",
        "outcome.date: an open request has no decision date: set status to how it ended, or "
        "remove the date",
    ),
    "key": (
        "{status: open, notes: x}",
        "outcome.notes: unknown field 'notes'; did you mean 'note'?",
    ),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_outcome_is_a_located_error_and_the_file_is_left_out(
    requests: Path, case: str
) -> None:
    outcome, message = BAD[case]
    text = estimate("Q-X", "2026-10-01", "[mqtt]", outcome)
    (requests / "x.yaml").write_text(text, encoding="utf-8")
    line = text.splitlines().index(f"outcome: {outcome}") + 1
    code, out, err = run("report", "q", "--format", "json")
    assert code == 1
    [problem] = err.splitlines()
    assert problem.startswith(f"q/x.yaml:{line}:") and problem.endswith(f": error: {message}")
    data = json.loads(out)
    assert data["requests"] == 7 and "Q-X" not in {each["id"] for each in data["quotes"]}
    assert [error["path"] for error in data["errors"]] == ["q/x.yaml"]
    assert run("validate", "q/x.yaml")[2] == ""  # validate says it on stdout, the same line
    assert problem in run("validate", "q/x.yaml")[1]


NOT_A_TAG = (
    "is not a tag: lowercase letters and digits in words joined by single hyphens, such as "
    "reverse-push"
)


@pytest.mark.parametrize(
    ("tags", "at", "message"),
    [
        (
            "[mqtt, MQTT]",
            "tags[1]",
            f"'MQTT' {NOT_A_TAG}; write 'mqtt'",
        ),
        (
            "[reverse push]",
            "tags[0]",
            f"'reverse push' {NOT_A_TAG}; write 'reverse-push'",
        ),
        (
            "[-x]",
            "tags[0]",
            f"'-x' {NOT_A_TAG}; write 'x'",
        ),
        ("[\u0455so]", "tags[0]", f"'\u0455so' {NOT_A_TAG}"),  # Cyrillic ѕ: no 'so' to write
        ("[caf\u00e9]", "tags[0]", f"'caf\u00e9' {NOT_A_TAG}"),  # nor 'caf'
        ("[sso, mqtt, sso]", "tags[2]", "tag 'sso' is listed twice (also tags[0])"),
        (f"[{'a' * 51}]", "tags[0]", "is 51 characters long; at most 50"),
        ("mqtt", "tags", "expected a list (lines starting with '- ')"),
    ],
)
def test_a_bad_tag_is_a_located_error(requests: Path, tags: str, at: str, message: str) -> None:
    (requests / "x.yaml").write_text(estimate("Q-X", "2026-10-01", tags), encoding="utf-8")
    code, _, err = run("report", "q")
    assert code == 1
    assert err.endswith(f": error: {at}: {message}\n") and err.startswith("q/x.yaml:")


def test_an_outcome_date_needs_the_quote_date(requests: Path) -> None:
    text = estimate("Q-X", None, "[mqtt]", "{status: custom, date: 2026-10-11}")
    (requests / "x.yaml").write_text(text, encoding="utf-8")
    _, _, err = run("report", "q")
    assert err.endswith(
        ": error: outcome.date: an outcome date needs the quote's date: add `date:` to the "
        "estimate (a decision is dated after its quote)\n"
    )


def test_two_estimates_with_one_id_are_left_out_as_in_a_batch(requests: Path) -> None:
    shutil.copy(requests / "a.yaml", requests / "a-again.yaml")
    code, out, err = run("report", "q", "--format", "json")
    assert code == 1 and err.count("'Q-A' is also the id of") == 2
    assert json.loads(out)["requests"] == 6  # the other six


# --- tags and outcome change no quote ------------------------------------------------------------


@pytest.mark.parametrize("options", [(), ("--format", "csv"), ("--format", "json")])
def test_tags_and_outcome_change_no_quote_output(here: Path, options: tuple[str, ...]) -> None:
    plain = run("quote", "est.yaml", *options)
    before = hashlib.sha256((here / "est.yaml").read_bytes()).hexdigest()
    text = (here / "est.yaml").read_text(encoding="utf-8")
    tagged = (
        text + "tags: [reverse-push]\noutcome: {status: custom, date: 2026-12-01, note: Yes.}\n"
    )
    (here / "est.yaml").write_text(tagged, encoding="utf-8")
    after = hashlib.sha256(tagged.encode("utf-8")).hexdigest()
    code, out, err = run("quote", "est.yaml", *options)
    assert (code, out.replace(after, before), err) == plain  # JSON names the file's sha256


def test_tags_and_outcome_change_no_quote(here: Path) -> None:
    # Every renderer is a function of the Quote: the same Quote, the same documents.
    from nrecalc.pipeline import make_quote

    plain, _ = make_quote(here / "est.yaml", today=TODAY)
    text = (here / "est.yaml").read_text(encoding="utf-8")
    tagged = text + "tags: [mqtt, sso]\noutcome: {status: declined, date: 2026-11-30}\n"
    (here / "other.yaml").write_text(tagged, encoding="utf-8")
    quote, _ = make_quote(here / "other.yaml", today=TODAY)
    assert quote._replace(estimate=plain.estimate) == plain


# --- the shipped examples: every format by a golden file -----------------------------------------


@pytest.mark.parametrize("name", GOLDEN_REPORTS)
def test_the_examples_report_is_its_golden_file(
    name: str, update_golden: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = run("report", "examples/requests", *GOLDEN_REPORTS[name])
    assert (code, err) == (0, "")
    check_golden(GOLDEN / name, out.encode("utf-8"), update=update_golden)


def test_the_examples_make_the_point() -> None:
    # A new user sees a recurring tag, decided and open requests, and custom work won.
    made = gather(read([REQUESTS], today=TODAY).requests, today=TODAY)
    assert 6 <= len(made.requests) <= 10
    assert len({each.date.month for each in made.requests}) >= 2
    assert [line.tag for line in made.tags if line.candidate] == ["reverse-push"]
    assert made.outcomes["open"] and made.outcomes["custom"] and made.decided > 2
    assert not made.date_assumed


def test_a_large_run_in_worker_processes_reads_the_same(requests: Path) -> None:
    one = read([requests], today=TODAY, pool=False)
    assert read([requests], today=TODAY, pool=True) == one


def test_a_real_process(monkeypatch: pytest.MonkeyPatch) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nrecalc", "report", "examples/requests", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout == (GOLDEN / "report.json").read_bytes()


# --- hostile text reaches no output as markup or control ------------------------------------------

HOSTILE_NOTE = (
    "Call +1 555 | see https://evil.example/x or www.evil.example, mail bob@evil.example; "
    "*now* <b>[bold]x[/]</b> `code` _x_\\n\n# Heading\n- item"
)
HOSTILE_CUSTOMER = "[red]ACME[/] | <i>x</i> https://acme.example"
HOSTILE_FILE = "q\x1b]52;c;SGVsbG8=\x07x.yaml"


@pytest.fixture
def hostile(requests: Path) -> Path:
    text = estimate(
        "Q-H", "2026-10-02", "[sso]", "{status: standard, date: 2026-10-03, note: NOTE}"
    )
    text = replaced(text, "customer: ACME Robotics", f"customer: '{HOSTILE_CUSTOMER}'")
    text = replaced(text, "note: NOTE", f"note: {json.dumps(HOSTILE_NOTE)}")
    (requests / HOSTILE_FILE).write_text(text, encoding="utf-8")
    return requests


def test_hostile_text_in_markdown_stays_text(hostile: Path) -> None:
    code, out, _ = run("report", "q", "--format", "markdown")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("| Q-H "))
    assert row.count(" | ") == 6  # the note's | and line breaks split no cell
    assert "https\\://evil" in row and "www\\.evil" in row and "bob@<!-- -->evil" in row
    assert "&lt;b&gt;" in row and "\\*now\\*" in row and "\\`code\\`" in row and "\\_x\\_" in row
    assert "\\[red\\]ACME\\[/\\] \\| &lt;i&gt;" in row
    assert "\n# Heading" not in out and "\x1b" not in out


def test_hostile_text_on_the_terminal_and_in_json_stays_inert(hostile: Path) -> None:
    code, out, err = run("report", "q")
    assert code == 0 and err == ""
    assert "[red]ACME[/]" in out and "\x1b" not in out and "\x07" not in out
    code, out, _ = run("report", "q", "--format", "json")
    assert "\x1b" not in out and "\x07" not in out
    data = json.loads(out)
    quote = next(each for each in data["quotes"] if each["id"] == "Q-H")
    assert quote["estimate"] == f"q/{HOSTILE_FILE}" and quote["outcome"]["note"] == HOSTILE_NOTE
    assert "\\u001b]52" in out


def test_a_hostile_file_name_in_an_error_reaches_no_terminal(hostile: Path) -> None:
    text = (hostile / HOSTILE_FILE).read_text(encoding="utf-8")
    (hostile / HOSTILE_FILE).write_text(
        replaced(text, "status: standard", "status: std"), encoding="utf-8"
    )
    code, _, err = run("report", "q")
    assert code == 1 and "\x1b" not in err and "\x07" not in err
    assert err.startswith("q/q\\x1b]52;c;SGVsbG8=\\x07x.yaml:")


# --- properties ----------------------------------------------------------------------------------


def _request(number: int, status: str, days: int, currency: str) -> Request:
    day = date(2026, 1, 1) + timedelta(days=number % 300)
    decided = None if status == "open" else day + timedelta(days=days)
    amount = Decimal(number * 1000 + 1) / 100
    return Request(
        f"Q-{number}",
        "C",
        f"q/{number}.yaml",
        day,
        False,
        currency,
        amount,
        amount * 3,
        (amount, amount),
        ("t",) if number % 2 else ("t", "u"),
        status,
        decided,
        None,
    )


@settings(max_examples=examples(200))
@given(
    st.lists(
        st.tuples(st.sampled_from(STATUSES), st.integers(0, 400), st.sampled_from(["CNY", "JPY"])),
        max_size=60,
    )
)
def test_counts_add_up_and_shares_of_the_decided_make_one(
    drawn: list[tuple[str, int, str]],
) -> None:
    requests = [_request(number, *each) for number, each in enumerate(drawn)]
    made = gather(requests, today=TODAY)
    assert sum(made.outcomes.values()) == len(made.requests) == len(requests)
    decided = [each for each in requests if each.status != "open"]
    assert made.decided == len(decided)
    shares = [share for share in made.shares.values() if share is not None]
    if decided:
        total = sum(shares, Decimal(0))
        assert len(shares) == 4 and abs(total - 1) <= Decimal("0.0002")  # 4 roundings
        assert all(share.as_tuple().exponent == -4 for share in shares)
        days = sorted(each.days or 0 for each in decided)
        assert made.median_days is not None and days[0] <= made.median_days <= days[-1]
    else:
        assert shares == [] and made.median_days is None
    for line in made.tags:
        assert sum(line.outcomes.values()) == line.requests
        assert line.candidate == (line.requests >= 3)
        assert all(money.paid <= money.quoted for money in line.nre.values())
    won = [each for each in requests if each.status == "custom"]
    assert sum(w.requests for w in made.won.values()) == len(won)
    for code, figures in made.won.items():
        assert figures.nre == sum((each.nre for each in won if each.currency == code), Decimal(0))
