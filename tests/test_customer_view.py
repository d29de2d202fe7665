"""The customer sees prices, not padding (SPEC 6, audience): all-in build lines, no ranges, no
rows that carry nothing, and never an amount of nothing written as one.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT
from typer.testing import CliRunner

from nrecalc.cli import app

# An amount of nothing, as a person reads one: ¥0, ¥0.00, -¥0.00 (any currency sign before it).
NOTHING = re.compile(r"(?<![0-9,.])[¥$€£]0(?:\.0+)?(?![0-9,.])")
MONEY = re.compile(r"-?¥[0-9]{1,3}(?:,[0-9]{3})*\.[0-9]{2}")
CUSTOMER_FORMATS = ("markdown", "html", "note", "table", "csv")


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    return result.stdout


def customer(estimate: Path, fmt: str, *extra: str) -> str:
    return run("quote", str(estimate), "--format", fmt, "--audience", "customer", *extra)


def as_json(estimate: Path, *extra: str) -> dict[str, object]:
    found = json.loads(run("quote", str(estimate), "--format", "json", *extra))
    assert isinstance(found, dict)
    return found


# A quote where almost everything is free: no fee, no coaching, no tax, no upgrade charges.
FREE_CARD = """\
kind: rate-card
name: free
version: "1"
currency: CNY
effective_from: 2026-01-01
roles:
  engineer: 25000
standard:
  name: Open API
  integration_days: 3
  fee: 0
  coaching_per_day: 6000
policy:
  contingency: 0
  annual_escalation: 0
  tax_rate: 0
  validity_days: 30
"""
FREE_ESTIMATE = """\
kind: estimate
id: Q-FREE
customer: ACME
title: Nothing extra
date: 2026-11-22
rate_card: free
custom:
  build:
    - {task: Connector, role: engineer, engineers: 2, weeks: {low: 2, likely: 3, high: 4}}
  per_upgrade: []
  upgrades_per_year: 0
  term_years: 2
"""


@pytest.fixture
def free(tmp_path: Path) -> Path:
    (tmp_path / "rates").mkdir()
    (tmp_path / "rates" / "free.yaml").write_text(FREE_CARD, encoding="utf-8")
    estimate = tmp_path / "free.yaml"
    estimate.write_text(FREE_ESTIMATE, encoding="utf-8")
    return estimate


@pytest.mark.parametrize("fmt", CUSTOMER_FORMATS[:4])
@pytest.mark.parametrize("name", ["reverse-push", "telemetry-bridge", "free"])
def test_no_customer_view_shows_an_amount_of_nothing(free: Path, name: str, fmt: str) -> None:
    estimate = free if name == "free" else EXAMPLES / f"{name}.yaml"
    text = customer(estimate, fmt)
    assert NOTHING.findall(text) == []
    if fmt == "note":  # the note names the standard option with any coaching: free only here
        assert ("at no extra cost" in text) == (name == "free")
        return
    assert "no extra cost" in text  # the standard option's fee is nothing in both cards
    internal = run("quote", str(estimate), "--format", fmt, "--audience", "internal")
    assert NOTHING.findall(internal)  # the internal view keeps every figure, zeros included


def test_a_free_option_reads_no_extra_cost_in_the_note(free: Path) -> None:
    note = customer(free, "note")
    assert "you can go live in 3 days at no extra cost" in note
    assert "for no extra cost" not in note


def test_rows_that_carry_nothing_are_left_out(free: Path) -> None:
    text = customer(free, "markdown")
    for row in ("Coaching", "Onboarding fee", "Tax, 0%", "Upgrade charges, 2 years", "Net"):
        assert f"| {row}" not in text, row
    assert "### Upgrade charges" not in text  # nothing is charged on upgrades
    internal = run("quote", str(free), "--format", "markdown", "--audience", "internal")
    assert "| Tax, 0%" in internal and "| Onboarding fee" in internal


@pytest.mark.parametrize("name", ["reverse-push", "telemetry-bridge", "multi-role"])
@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_build_lines_are_all_in_prices_that_add_up_to_the_nre(name: str, fmt: str) -> None:
    estimate = EXAMPLES / f"{name}.yaml"
    data = as_json(estimate)
    custom = data["custom"]
    assert isinstance(custom, dict)
    prices = [Decimal(line["all_in"]) for line in custom["build"]]
    assert sum(prices) == Decimal(custom["nre"])
    text = customer(estimate, fmt)
    for line, price in zip(custom["build"], prices, strict=True):
        shown = f"¥{price:,.2f}"
        assert shown in text, (line["task"], shown)
    for word in ("reserve", "Contingency", "contingency", "Risk allowance", " to ", "mean"):
        section = text.split("One-time work (NRE)", 1)[1].split("Every platform upgrade", 1)[0]
        assert word not in section, word


def test_the_seed_connector_reads_its_all_in_price() -> None:
    text = customer(EXAMPLES / "reverse-push.yaml", "markdown")
    row = next(line for line in text.splitlines() if line.startswith("| Reverse-push connector"))
    assert MONEY.findall(row) == ["¥165,000.00"]


def test_the_customer_sees_no_ranges() -> None:
    estimate = EXAMPLES / "telemetry-bridge.yaml"
    for fmt in ("markdown", "html", "table"):
        text = customer(estimate, fmt)
        assert "3/4/8" not in text and "3 to 8" not in text and "σ" not in text, fmt
        assert "4.5 w" in text, fmt  # the effort at its mean
    internal = run("quote", str(estimate), "--format", "markdown", "--audience", "internal")
    assert "3 to 8 weeks" in internal


def test_the_customer_csv_has_no_rate_column_and_all_in_rows() -> None:
    estimate = EXAMPLES / "telemetry-bridge.yaml"
    data = as_json(estimate)
    rows = list(csv.DictReader(io.StringIO(customer(estimate, "csv").lstrip("\ufeff"))))
    assert "rate" not in rows[0]
    custom_rows = [row for row in rows if row["option"] == "Custom"]
    build = [row for row in custom_rows if row["section"] == "build"]
    custom = data["custom"]
    assert isinstance(custom, dict)
    assert [row["amount"] for row in build] == [line["all_in"] for line in custom["build"]]
    assert [row["weeks"] for row in build] == ["4.5", "3.33", "2"]
    for option in data["options"]:  # type: ignore[attr-defined]
        mine = [Decimal(row["amount"]) for row in rows if row["option"] == option["label"]]
        assert sum(mine) == Decimal(option["total"]), option["key"]
    assert all(Decimal(row["amount"]) for row in rows if row["option"] != "Standard")
    internal = run("quote", str(estimate), "--format", "csv")
    assert ",rate," in internal.splitlines()[0] and "Contingency" in internal


def test_csv_takes_the_audience_json_does_not() -> None:
    estimate = str(EXAMPLES / "reverse-push.yaml")
    result = CliRunner().invoke(
        app, ["quote", estimate, "--format", "json", "--audience", "customer"]
    )
    assert result.exit_code == 2
    assert run("quote", estimate, "--format", "csv", "--audience", "internal") == run(
        "quote", estimate, "--format", "csv"
    )


def test_the_chart_axis_starts_at_a_bare_zero() -> None:
    html = customer(EXAMPLES / "reverse-push.yaml", "html")
    chart = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    ticks = re.findall(r'class="axis" text-anchor="end"[^>]*>([^<]*)<', chart)
    assert ticks[0] == "0"
    assert all(tick.startswith("¥") for tick in ticks[1:])
    assert "¥0" not in chart


def test_root_examples_are_the_ones_tested() -> None:
    assert EXAMPLES == ROOT / "examples"


# --- found in review ---------------------------------------------------------------------------

BUILD_ONLY = """\
kind: estimate
id: Q-BUILD
customer: ACME
title: A build, nothing on upgrades
date: 2026-11-22
rate_card: free
custom:
  build:
    - {task: Connector, role: engineer, engineers: 1, weeks: 1}
  per_upgrade: []
  upgrades_per_year: 4
  term_years: 3
"""


def test_the_customer_table_leaves_out_rows_of_nothing(free: Path) -> None:
    estimate = free.parent / "build-only.yaml"
    estimate.write_text(BUILD_ONLY, encoding="utf-8")
    table = customer(estimate, "table")
    assert NOTHING.findall(table) == []
    assert "Upgrade charges" not in table and "Tax" not in table
    assert "× no extra cost" not in table
    internal = run("quote", str(estimate), "--audience", "internal")
    assert "Upgrade charges" in internal and "Tax" in internal


def test_the_customer_csv_has_no_row_of_nothing() -> None:
    text = customer(EXAMPLES / "reverse-push.yaml", "csv")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows and all(Decimal(row["amount"]) for row in rows)
    assert "Standard" not in {row["option"] for row in rows}  # the fee is nothing: no row


def test_the_customer_sees_no_sentence_about_nothing(free: Path) -> None:
    # NRE of nothing: "its upgrade charges pass the NRE of ¥0.00" would say nothing.
    card = free.parent / "rates" / "free.yaml"
    card.write_text(card.read_text(encoding="utf-8").replace("25000", "0"), encoding="utf-8")
    for fmt in ("markdown", "html", "note", "table"):
        assert NOTHING.findall(customer(free, fmt)) == [], fmt
