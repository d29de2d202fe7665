"""nrecalc diff (SPEC 8.2, exit 4 of 8.3): card changes, their effect, revisions, formats, gates."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, card_in
from typer.testing import CliRunner

from nrecalc.cli import app
from nrecalc.diff import Diff, Figures, QuoteDiff, Side
from nrecalc.render.diff import summary

ROLES = {"engineer": "10000", "qa": "5000"}


def card(
    name: str = "default",
    version: str = "1",
    roles: dict[str, str] | None = None,
    currency: str = "CNY",
    fee: str = "0",
    contingency: str = "0",
    services: dict[str, str] | None = None,
) -> str:
    lines = [
        "kind: rate-card",
        f"name: {name}",
        f'version: "{version}"',
        f"currency: {currency}",
        "effective_from: 2026-01-01",
        "roles:",
        *(f"  {role}: {rate}" for role, rate in (roles or ROLES).items()),
        "standard:",
        "  name: Standard API",
        "  integration_days: 3",
        f"  fee: {fee}",
        "policy:",
        f"  contingency: {contingency}",
        "  tax_rate: 0",
    ]
    if services:
        lines.append("services:")
        for key, per_year in services.items():
            lines += [f"  {key}:", f"    name: {key.title()}", f"    per_year: {per_year}"]
    return "\n".join(lines) + "\n"


def estimate(
    id: str = "Q-1",
    rate_card: str = "default",
    task: str = "Connector",
    role: str = "engineer",
    weeks: str = "1",
    discount: str = "0",
) -> str:
    return f"""kind: estimate
id: {id}
customer: ACME
title: A connector
date: 2026-06-01
rate_card: {rate_card}
discount: {discount}
custom:
  build:
    - task: "{task}"
      role: {role}
      engineers: 1
      weeks: {weeks}
  upgrades_per_year: 0
  term_years: 1
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["diff", *args])
    return result.exit_code, result.stdout_bytes.decode("utf-8"), result.stderr


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository of rate cards and estimates: .git bounds the rate-card search (SPEC 2.3)."""
    (tmp_path / ".git").mkdir()
    write(tmp_path / "rates" / "default.yaml", card())
    write(tmp_path / "old" / "default.yaml", card())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def new_card(repo: Path, **fields: Any) -> None:
    write(repo / "rates" / "default.yaml", card(version="2", **fields))


# --- what changed in the card --------------------------------------------------------------------


def test_card_changes_roles_standard_policy_services(repo: Path) -> None:
    write(repo / "old" / "default.yaml", card(services={"support": "1000", "audit": "500"}))
    new_card(
        repo,
        roles={"engineer": "10800", "architect": "20000"},  # up 8%; qa removed; architect added
        fee="300",
        contingency="0.1",
        services={"support": "900", "training": "700"},
    )
    code, out, err = run("old/default.yaml", "rates/default.yaml", "quotes")
    assert (code, err) == (1, "quotes: error: no such file or folder\n")
    code, out, err = run("old/default.yaml", "rates/default.yaml", "rates")
    assert (code, err) == (0, "")
    assert out.splitlines()[:12] == [
        "Rate card default: 1 (old/default.yaml) → 2 (rates/default.yaml)",
        "",
        "What changed in the rate card",
        "  ~ engineer ¥10,000.00 → ¥10,800.00 (+8.0%)",
        "  - qa ¥5,000.00",
        "  + architect ¥20,000.00",
        "  ~ standard.fee ¥0.00 → ¥300.00",
        "  ~ policy.contingency 0% → 10%",
        "  ~ services.support.per_year ¥1,000.00 → ¥900.00 (-10.0%)",
        "  - services.audit ¥500.00",
        "  + services.training ¥700.00",
        "",
    ]
    assert "No estimate here uses this rate card." in out


def test_a_role_down_and_the_same_card(repo: Path) -> None:
    new_card(repo, roles={"engineer": "9000", "qa": "5000"})
    out = run("old/default.yaml", "rates/default.yaml", "rates")[1]
    assert "  ~ engineer ¥10,000.00 → ¥9,000.00 (-10.0%)" in out
    out = run("old/default.yaml", "old/default.yaml", "rates")[1]
    assert "No rate, fee, policy value or service changed." in out


# --- the estimates that use it -------------------------------------------------------------------


def test_estimates_moved_listed_unchanged_counted_others_left_out(repo: Path) -> None:
    new_card(repo, roles={"engineer": "11000", "qa": "5000"})
    write(repo / "quotes" / "a.yaml", estimate("Q-A", weeks="2"))
    write(repo / "quotes" / "b.yaml", estimate("Q-B", role="qa"))  # qa did not change
    write(repo / "quotes" / "c.yaml", estimate("Q-C", rate_card="../rates/default.yaml"))
    write(repo / "quotes" / "other.yaml", estimate("Q-O", rate_card="other"))  # another card
    write(repo / "rates" / "other.yaml", card(name="other"))
    write(repo / "quotes" / "deploy.yaml", "kind: Deployment\nspec: {}\n")  # foreign: skipped
    code, out, err = run("old/default.yaml", "rates/default.yaml", "quotes")
    assert code == 0
    assert err == "quotes/deploy.yaml: notice: skipped: not an nrecalc file (kind: Deployment)\n"
    rows = [" ".join(line.split()) for line in out.splitlines() if line.startswith("  Q-")]
    assert rows == [
        "Q-A ¥20,000.00 → ¥22,000.00 +¥2,000.00 (+10.0%) ¥20,000.00 → ¥22,000.00 +¥2,000.00 "
        "(+10.0%)",
        "Q-C ¥10,000.00 → ¥11,000.00 +¥1,000.00 (+10.0%) ¥10,000.00 → ¥11,000.00 +¥1,000.00 "
        "(+10.0%)",
    ]
    assert out.endswith("3 estimates: 2 up, 1 unchanged; total +¥3,000.00\n")


def test_the_current_folder_by_default_and_a_rise_from_nothing(repo: Path) -> None:
    write(repo / "old" / "default.yaml", card(roles={"engineer": "0", "qa": "5000"}))
    write(repo / "quotes" / "a.yaml", estimate("Q-A"))
    code, out, _ = run("old/default.yaml", "rates/default.yaml", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["card_changes"][0] == {
        "section": "roles",
        "item": "engineer",
        "field": None,
        "change": "~",
        "unit": "rate",
        "old": "0.00",
        "new": "10000.00",
        "percent": None,
    }
    diff = data["quotes"][0]["diff"]
    assert (diff["total"], diff["total_percent"], diff["direction"]) == ("10000.00", None, "up")
    code, out, _ = run("old/default.yaml", "rates/default.yaml")
    assert "Q-A ¥0.00 → ¥10,000.00 +¥10,000.00 ¥0.00" in " ".join(out.split())
    # a rise from nothing is above any limit
    assert run("old/default.yaml", "rates/default.yaml", "--fail-above", "1000")[0] == 4


def test_the_lookup_follows_spec_2_3(repo: Path) -> None:
    new_card(repo, roles={"engineer": "11000", "qa": "5000"})
    write(repo / "top.yaml", estimate("Q-TOP"))
    # a nearer rates/ folder has its own card of that name: that one is the estimate's card
    write(repo / "team" / "rates" / "default.yaml", card(version="9"))
    write(repo / "team" / "near.yaml", estimate("Q-NEAR"))
    out = run("old/default.yaml", "rates/default.yaml", ".", "--format", "json")[1]
    data = json.loads(out)
    assert [q["id"] for q in data["quotes"]] == ["Q-TOP"]
    assert data["summary"]["estimates"] == 1
    # neither card in a rates/ folder (drafts): estimates that name the card by name use it
    write(repo / "drafts" / "new.yaml", card(roles={"engineer": "12000", "qa": "5000"}))
    out = run("old/default.yaml", "drafts/new.yaml", ".", "--format", "json")[1]
    assert sorted(q["id"] for q in json.loads(out)["quotes"]) == ["Q-NEAR", "Q-TOP"]


def test_summary_per_currency_never_summed() -> None:
    def quote(id: str, currency: str, old: str, new: str) -> QuoteDiff:
        past = Figures(currency, D(old), D(old), "r.yaml", "r", "1")
        return QuoteDiff(id, f"{id}.yaml", past, past._replace(nre=D(new), total=D(new)))

    side = Side("r.yaml", "r", "1", "")
    quotes = (
        quote("A", "CNY", "100", "110"),
        quote("B", "CNY", "100", "100"),
        quote("C", "USD", "50", "45"),
    )
    diff = Diff("rate-card", side, side, ("CNY", "CNY"), (), quotes, ())
    assert summary(diff) == [
        "2 estimates in CNY: 1 up, 1 unchanged; total +¥10.00",
        "1 estimate in USD: 1 down; total -US$5.00",
    ]
    assert [q.id for q in diff.above(D(9))] == ["A"]
    assert diff.above(D(10)) == []  # equal is not above


def test_newly_priced_and_fx_only_are_counted_and_not_gated() -> None:
    side = Side("r.yaml", "r", "1", "")
    now = Figures("CNY", D(100), D(100), "r.yaml", "r", "1")
    quotes = (
        QuoteDiff("A", "a.yaml", None, now),  # the old card could not price it
        QuoteDiff("B", "b.yaml", now, now._replace(total=D(150))),
    )
    diff = Diff("rate-card", side, side, ("CNY", "CNY"), (), quotes, ())
    assert [q.direction for q in quotes] == ["newly_priced", "up"]
    assert summary(diff) == ["2 estimates: 1 up, 1 newly priced; total +¥50.00"]
    assert [q.id for q in diff.above(D(0))] == ["B"]  # no price before: nothing rose
    alone = diff._replace(quotes=quotes[:1])
    assert summary(alone) == ["1 estimate: 1 newly priced"]  # no total of nothing
    assert alone.gate(D(0)) == []


def test_a_role_the_new_card_adds_prices_an_estimate_that_uses_it(repo: Path) -> None:
    # The estimate already names the architect; only the new card has one: newly priced.
    new_card(repo, roles={"engineer": "11000", "qa": "5000", "architect": "20000"})
    write(repo / "a.yaml", estimate("Q-A", role="architect", weeks="2"))
    write(repo / "b.yaml", estimate("Q-B"))
    code, out, err = run("old/default.yaml", "rates/default.yaml", ".", "--fail-above", "5")
    assert code == 4
    assert err.splitlines() == [
        "a.yaml:11:13: notice: custom.build[0].role: newly priced: the new rate card prices it, "
        "the old one could not: unknown role 'architect'; rate card 'default' "
        "(old/default.yaml) has: engineer, qa",
        "b.yaml: error: Q-B: the custom total rises by 10.0%, more than --fail-above 5%",
    ]
    rows = [" ".join(line.split()) for line in out.splitlines() if line.startswith("  Q-")]
    assert rows[0] == "Q-A + ¥40,000.00 — + ¥40,000.00 —"
    assert out.endswith("2 estimates: 1 up, 1 newly priced; total +¥1,000.00\n")
    assert "converted at" not in out  # no exchange rate to name


def test_a_currency_change_is_counted_apart(repo: Path) -> None:
    new_card(repo, currency="USD")
    write(repo / "q.yaml", estimate())
    out = run("old/default.yaml", "rates/default.yaml", "q.yaml")[1]
    assert "  ~ currency CNY → USD" in out
    assert out.endswith("1 estimate: 1 in another currency\n")


# --- two revisions of an estimate ----------------------------------------------------------------


def test_two_revisions(repo: Path) -> None:
    write(repo / "v1.yaml", estimate(weeks="2"))
    write(repo / "v2.yaml", estimate(weeks="3", discount="0.1"))
    code, out, err = run("v1.yaml", "v2.yaml")
    assert (code, err) == (0, "")
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert lines[0] == "Quote Q-1: v1.yaml → v2.yaml"
    assert "~ Discount rate 0% 10%" in lines
    assert "~ Build: Connector, Weeks 2 weeks 3 weeks" in lines
    assert "~ Build: Connector, Amount ¥20,000.00 ¥30,000.00 +¥10,000.00 (+50.0%)" in lines
    assert "~ Discount ¥0.00 ¥3,000.00 +¥3,000.00" in lines  # from 0: no percentage
    assert "~ Custom total ¥20,000.00 ¥27,000.00 +¥7,000.00 (+35.0%)" in lines
    assert lines[-1] == "1 estimate: 1 up; total +¥7,000.00"
    assert (
        run("v1.yaml", "v1.yaml")[1].splitlines()[2] == "Nothing changed between the two revisions."
    )


def test_two_revisions_in_chinese(repo: Path) -> None:
    write(repo / "v1.yaml", estimate(weeks="2"))
    write(repo / "v2.yaml", estimate(weeks="1"))
    code, out, _ = run("v1.yaml", "v2.yaml", "--lang", "zh-CN")
    assert code == 0
    assert out.splitlines()[0] == "报价单 Q-1：v1.yaml → v2.yaml"
    assert out.endswith("1 份报价：1 份下调；合计变动 -¥10,000.00\n")


def test_json_shape(repo: Path) -> None:
    write(repo / "v1.yaml", estimate(weeks="2"))
    write(repo / "v2.yaml", estimate(weeks="3"))
    data = json.loads(run("v1.yaml", "v2.yaml", "--format", "json")[1])
    assert set(data) == {
        "schema_version",
        "kind",
        "old",
        "new",
        "card_changes",
        "quotes",
        "summary",
    }
    assert (data["schema_version"], data["kind"], data["card_changes"]) == (1, "estimate", [])
    assert set(data["old"]) == {"path", "id", "sha256"}
    (quote,) = data["quotes"]
    assert set(quote) == {"id", "path", "past", "current", "diff"}
    assert quote["past"] == {
        "currency": "CNY",
        "nre": "20000.00",
        "total": "20000.00",
        "rate_card": {"name": "default", "version": "1", "path": "rates/default.yaml"},
        "fx": None,
    }
    diff = quote["diff"]
    assert (diff["nre"], diff["nre_percent"], diff["total_percent"]) == ("10000.00", "50.0", "50.0")
    weeks = next(c for c in diff["changes"] if c["field"] == "weeks")
    assert weeks == {
        "section": "build",
        "item": "Connector",
        "field": "weeks",
        "change": "~",
        "unit": "weeks",
        "old": "2",
        "new": "3",
        "percent": None,
    }
    assert data["summary"] == {
        "estimates": 1,
        "up": 1,
        "down": 0,
        "unchanged": 0,
        "currency_changed": 0,
        "fx_only": 0,
        "newly_priced": 0,
        "currencies": {
            "CNY": {
                "estimates": 1,
                "up": 1,
                "down": 0,
                "unchanged": 0,
                "currency_changed": 0,
                "fx_only": 0,
                "newly_priced": 0,
                "nre": "10000.00",
                "total": "10000.00",
            }
        },
    }


def test_markdown_escapes_hostile_values(repo: Path) -> None:
    hostile = "| ** <script>"
    write(repo / "v1.yaml", estimate(task=hostile))
    write(repo / "v2.yaml", estimate(task=hostile, weeks="2"))
    code, out, _ = run("v1.yaml", "v2.yaml", "--format", "markdown")
    assert code == 0
    assert "<script>" not in out and "| **" not in out
    assert "Build: \\| \\*\\* &lt;script&gt;, Weeks" in out
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    # every row has the table's columns: no cell broke out of its table
    assert {row.replace("\\|", "").count("|") for row in rows} == {5}


# --- gates and exit codes ------------------------------------------------------------------------


@pytest.mark.parametrize(("limit", "code"), [("10", 0), ("10%", 0), ("9.99", 4), ("11", 0)])
def test_fail_above_is_strictly_above(repo: Path, limit: str, code: int) -> None:
    new_card(repo, roles={"engineer": "11000", "qa": "5000"})  # +10.0% exactly
    write(repo / "q.yaml", estimate())
    found, out, err = run("old/default.yaml", "rates/default.yaml", "q.yaml", "--fail-above", limit)
    assert found == code
    assert out.endswith("1 estimate: 1 up; total +¥1,000.00\n")  # the whole report, either way
    expected = "q.yaml: error: Q-1: the custom total rises by 10.0%, more than --fail-above 9.99%\n"
    assert err == (expected if code else "")


@pytest.mark.parametrize(
    "args",
    [
        ("v.yaml", "rates/default.yaml"),  # a mix of kinds
        ("v.yaml", "v.yaml", "."),  # paths go with rate cards
        ("v.yaml", "v.yaml", "--format", "html"),
        ("v.yaml", "v.yaml", "--fail-above", "lots"),
        ("v.yaml", "v.yaml", "--fail-above", "-1"),
        ("v.yaml", "v.yaml", "--lang", "fr"),
        ("v.yaml",),
    ],
)
def test_usage_errors_exit_2(repo: Path, args: tuple[str, ...]) -> None:
    write(repo / "v.yaml", estimate())
    code, out, _ = run(*args)
    assert (code, out) == (2, "")


def test_bad_input_exit_1_located_and_nothing_printed(repo: Path) -> None:
    code, out, err = run("missing.yaml", "rates/default.yaml")
    assert (code, out) == (1, "")
    assert err == "missing.yaml: error: no such file\n"
    write(repo / "broken.yaml", card().replace("  qa: 5000", "  qa: [5000"))
    code, out, err = run("rates/default.yaml", "broken.yaml")
    assert (code, out) == (1, "")
    assert err.startswith("broken.yaml:9:9: error: invalid YAML")
    assert len(err.splitlines()) == 1
    # an estimate that uses a role the new card removed: located at its role
    new_card(repo, roles={"qa": "5000"})
    write(repo / "q.yaml", estimate())
    code, out, err = run("old/default.yaml", "rates/default.yaml", "q.yaml")
    assert (code, out) == (1, "")
    assert err.startswith("q.yaml:11:13: error: custom.build[0].role: unknown role 'engineer'")
    assert err.endswith("; the old rate card (old/default.yaml) prices it: this change breaks it\n")


def test_a_real_process(repo: Path) -> None:
    new_card(repo, roles={"engineer": "12000", "qa": "5000"})
    write(repo / "q.yaml", estimate())
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "nrecalc",
            "diff",
            "old/default.yaml",
            "rates/default.yaml",
            "--fail-above",
            "5",
            "--format",
            "markdown",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 4
    assert "| Q\\-1 |" in done.stdout or "| Q-1 |" in done.stdout
    assert done.stderr.endswith("more than --fail-above 5%\n")


def test_a_full_stdout_is_exit_3(repo: Path) -> None:
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "nrecalc", "diff", "old/default.yaml", "rates/default.yaml"],
            stdout=full,
            stderr=subprocess.PIPE,
            check=False,
        )
    assert done.returncode == 3
    assert done.stderr.startswith(b"<stdout>: error: cannot write:")


def test_help_names_its_values_plainly_and_shows_an_example() -> None:
    result = CliRunner().invoke(app, ["diff", "--help"])
    assert result.exit_code == 0
    usage = result.stdout.split("\n", 1)[0]  # how optional and repeated arguments read is typer's
    assert "OLD NEW" in usage and "ESTIMATE-PATH" in usage
    assert "--fail-above PCT" in result.stdout
    assert "nrecalc diff " in result.stdout.split("Example", 1)[1]


def test_a_currency_change_never_passes_the_gate(tmp_path: Path) -> None:
    # ¥ → US$: no percentage measures it, so --fail-above holds it instead of letting it pass.
    card = (ROOT / "rates" / "default.yaml").read_text(encoding="utf-8")
    (tmp_path / "old.yaml").write_text(card, encoding="utf-8")
    usd = card_in("USD", card).replace("engineer: 25000", "engineer: 250000")
    (tmp_path / "usd.yaml").write_text(usd, encoding="utf-8")
    (tmp_path / "est").mkdir()
    shutil.copy(ROOT / "examples" / "reverse-push.yaml", tmp_path / "est" / "q.yaml")
    cards = [str(tmp_path / "old.yaml"), str(tmp_path / "usd.yaml")]
    args = ["diff", *cards, str(tmp_path / "est"), "--fail-above", "5"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 4
    assert "moves from CNY to USD: no percentage can pass --fail-above 5%" in result.stderr
    assert "~ engineer ¥25,000.00 → US$250,000.00\n" in result.stdout  # and no percentage
    assert "1 estimate: 1 in another currency\n" in result.stdout  # and no total of nothing


def test_two_estimates_with_one_id_are_an_error(tmp_path: Path) -> None:
    card = (ROOT / "rates" / "default.yaml").read_text(encoding="utf-8")
    (tmp_path / "old.yaml").write_text(card, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(card.replace("engineer: 25000", "engineer: 26000"))
    (tmp_path / "est").mkdir()
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(ROOT / "examples" / "reverse-push.yaml", tmp_path / "est" / name)
    cards = [str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml")]
    result = CliRunner().invoke(app, ["diff", *cards, str(tmp_path / "est")])
    assert (result.exit_code, result.stdout) == (1, "")
    assert "'Q-2026-0042' is also the id of" in result.stderr
