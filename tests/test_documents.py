"""Contract documents (SPEC 6): goldens, figures against JSON, the customer view, templates, -o."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    EXAMPLE_NAMES,
    EXAMPLES,
    GOLDEN,
    GOLDEN_DOCUMENTS,
    GOLDEN_LANGUAGES,
    GOLDEN_REPORTS,
    GOLDEN_VARIANTS,
    ROOT,
    check_golden,
    replaced,
)
from typer.testing import CliRunner

from nrecalc.cli import app

DOCUMENTS = [  # (format, audience) of each golden document
    (options[1], options[3], suffix) for suffix, options in GOLDEN_DOCUMENTS.items()
]
# An amount in the examples' currencies: ¥ (CNY) or US$ (USD), both with two decimals.
MONEY = re.compile(r"-?(?:¥|US\$)[0-9,]+\.[0-9]{2}")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout_bytes.decode("utf-8"), result.stderr


def quote(*args: str) -> str:
    code, out, err = run("quote", *args)
    assert (code, err) == (0, ""), err
    return out


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("suffix", GOLDEN_DOCUMENTS)
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_golden_document(name: str, suffix: str, update_golden: bool) -> None:
    out = quote(f"examples/{name}.yaml", *GOLDEN_DOCUMENTS[suffix])
    check_golden(GOLDEN / f"{name}.{suffix}", out.encode("utf-8"), update=update_golden)


@pytest.mark.parametrize("suffix", GOLDEN_LANGUAGES)
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_golden_in_chinese_and_bilingual(name: str, suffix: str, update_golden: bool) -> None:
    out = quote(f"examples/{name}.yaml", *GOLDEN_LANGUAGES[suffix])
    check_golden(GOLDEN / f"{name}.{suffix}", out.encode("utf-8"), update=update_golden)


def test_every_golden_file_belongs_to_an_example_and_a_variant() -> None:
    expected = {f"{name}.{suffix}" for name in EXAMPLE_NAMES for suffix in GOLDEN_VARIANTS}
    expected |= set(GOLDEN_REPORTS)  # nrecalc report's, of examples/requests
    found = {path.name for path in GOLDEN.iterdir()}
    assert sorted(found - expected) == [], "golden files of no example or variant: remove them"
    assert sorted(expected - found) == [], "missing golden files: run pytest --update-golden"


def test_documents_default_to_the_customer_and_the_table_to_internal() -> None:
    example = "examples/reverse-push.yaml"
    for fmt in ("markdown", "html", "note"):
        assert quote(example, "--format", fmt) == quote(
            example, "--format", fmt, "--audience", "customer"
        )
    assert quote(example) == quote(example, "--audience", "internal")


# --- the figures are the JSON figures ------------------------------------------------------------


def json_money(data: Any, key: str = "") -> set[Decimal]:
    """Every money value in the JSON output (strings under money keys), with its negation."""
    found: set[Decimal] = set()
    if isinstance(data, dict):
        for k, v in data.items():
            found |= json_money(v, k)
    elif isinstance(data, list):
        for item in data:
            found |= json_money(item, key)
    elif isinstance(data, str) and re.fullmatch(r"-?[0-9]+\.[0-9]{2}", data) and key != "weeks":
        found |= {Decimal(data), -Decimal(data)}
    return found


def amounts(text: str) -> list[Decimal]:
    return [Decimal(re.sub(r"[^-0-9.]", "", m)) for m in MONEY.findall(text)]


@pytest.mark.parametrize(
    ("fmt", "audience"),
    [(fmt, audience) for fmt, audience, _ in DOCUMENTS if fmt != "table"],
)
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_figure_in_a_document_is_a_json_figure(name: str, fmt: str, audience: str) -> None:
    example = f"examples/{name}.yaml"
    data = json.loads(quote(example, "--format", "json"))
    text = quote(example, "--format", fmt, "--audience", audience)
    found = amounts(text)
    assert found, "no amounts found: the pattern no longer matches the document?"
    assert set(found) <= json_money(data)
    for key in ("nre", "total"):
        assert Decimal(data["custom"][key]) in found
    standard = Decimal(data["standard"]["total"])
    assert standard in found or (
        audience == "customer" and not standard and "no extra cost" in text
    )


def payment_rows(markdown: str) -> list[list[str]]:
    section = markdown.split("## 4. Payment", 1)[1].split("## 5.", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    return [
        [cell.strip(" *") for cell in row.strip("|").split("|")] for row in rows[2:]
    ]  # after the head and its rule


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_the_payment_schedule_adds_up_to_the_total_to_the_cent(name: str) -> None:
    example = f"examples/{name}.yaml"
    data = json.loads(quote(example, "--format", "json"))
    custom = data["custom"]
    rows = payment_rows(quote(example, "--format", "markdown", "--lang", "en"))
    *parts, total = rows
    assert total[0] == "Total"
    money = [amounts(row[2])[0] for row in parts]
    assert sum(money) == amounts(total[2])[0] == Decimal(custom["total"])
    assert money == [Decimal(row["amount"]) for row in custom["schedule"]]
    # the milestones divide the one-time part; each falls due at its milestone
    milestones = [row for row in custom["schedule"] if row["kind"] == "milestone"]
    assert [row[1] for row in parts[: len(milestones)]] == [p["milestone"] for p in milestones]
    assert sum(Decimal(p["amount"]) for p in milestones) == Decimal(custom["one_time"])
    # every year's upgrade charges are a payment of that year, never paid in advance
    upgrades = [row for row in parts if row[0].startswith("Upgrade charges, year")]
    assert len(upgrades) == data["custom"]["term_years"]
    assert all(row[1].startswith("As the upgrades of year") for row in upgrades)


def test_estimate_payment_list_replaces_the_default() -> None:
    rows = payment_rows(quote("examples/multi-role.yaml", "--format", "markdown"))
    assert [(row[0], row[1]) for row in rows][:4] == [
        ("One-time work, 20%", "Signing"),
        ("One-time work, 30%", "Design approved"),
        ("One-time work, 30%", "Delivery"),
        ("One-time work, 20%", "Acceptance"),
    ]
    default = payment_rows(quote("examples/reverse-push.yaml", "--format", "markdown"))
    assert [(row[0], row[1]) for row in default][:3] == [
        ("One-time work, 30%", "Signing"),
        ("One-time work, 40%", "Delivery"),
        ("One-time work, 30%", "Acceptance"),
    ]


def test_the_seed_schedule_bills_upkeep_when_it_falls_due(tmp_path: Path) -> None:
    # SPEC 6's seed scenario: reverse-push with a 5% discount and 6% tax, ¥483,611.75 in all.
    seed = (ROOT / "examples" / "reverse-push.yaml").read_text(encoding="utf-8")
    (tmp_path / "seed.yaml").write_text(seed + "discount: 0.05\n", encoding="utf-8")
    rates = str(ROOT / "rates" / "default.yaml")
    text = quote(str(tmp_path / "seed.yaml"), "--rates", rates, "--format", "markdown")
    assert [(row[0], row[2]) for row in payment_rows(text)] == [
        ("One-time work, 30%", "¥49,846.50"),
        ("One-time work, 40%", "¥66,462.00"),
        ("One-time work, 30%", "¥49,846.50"),
        ("Upgrade charges, year 1 (4 upgrades)", "¥100,700.00"),
        ("Upgrade charges, year 2 (4 upgrades)", "¥105,735.00"),
        ("Upgrade charges, year 3 (4 upgrades)", "¥111,021.75"),
        ("Total", "¥483,611.75"),
    ]


# --- the customer never sees internal figures ----------------------------------------------------

# Rates, ratios and a limit that no customer figure can equal by accident.
SECRET_CARD = """\
kind: rate-card
name: house
version: "2026.7-internal"
currency: CNY
effective_from: 2026-01-01
supplier: Open Platform Co., Ltd.
roles:
  engineer: 31234.57
  qa-engineer: 23456.79
standard:
  name: Open Platform standard API
  integration_days: 3
  coaching_per_day: 6000
policy:
  contingency: 0.125
  annual_escalation: 0.035
  tax_rate: 0.06
  discount_approval_above: 0.07
"""
SECRET_ESTIMATE = """\
kind: estimate
id: Q-2026-0099
customer: ACME Robotics
title: Reverse push
date: 2026-11-22
rate_card: rates/house.yaml
custom:
  build:
    - {task: Connector, role: engineer, engineers: 2, weeks: 3}
    - {task: Acceptance tests, role: qa-engineer, engineers: 1, weeks: 1.5}
  per_upgrade:
    - {task: Compatibility testing, role: qa-engineer, engineers: 1, weeks: 0.5}
  upgrades_per_year: 4
  term_years: 3
discount: 0.09
"""
INTERNAL = [
    "31,234.57",
    "31234.57",
    "23,456.79",
    "23456.79",
    "12.5%",  # contingency
    "3.5%",  # escalation
    "7%",  # the approval limit
    "APPROVAL",
    "pproval",
    "Contingency",
    "/wk",
    "Rate per week",
    "house",  # the rate card's name, version and path
    "2026.7-internal",
    "rates/house.yaml",
    "INTERNAL",
]


@pytest.fixture
def secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "rates").mkdir()
    (tmp_path / "rates" / "house.yaml").write_text(SECRET_CARD, encoding="utf-8")
    (tmp_path / "est.yaml").write_text(SECRET_ESTIMATE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("fmt", ["markdown", "html", "note", "table"])
def test_customer_view_shows_no_internal_figure(secret: Path, fmt: str) -> None:
    text = quote("est.yaml", "--format", fmt, "--audience", "customer")
    assert [word for word in INTERNAL if word in text] == []
    assert "¥" in text and "Q-2026-0099" in text  # it is the document, not an empty page


@pytest.mark.parametrize("fmt", ["markdown", "html", "table"])
def test_internal_view_shows_them_so_the_search_above_can_fail(secret: Path, fmt: str) -> None:
    text = quote("est.yaml", "--format", fmt, "--audience", "internal")
    shown = [word for word in INTERNAL if word in text]
    assert {"31,234.57", "23,456.79", "12.5%", "3.5%", "7%"} <= set(shown)
    assert "NEEDS APPROVAL" in text


def test_customer_data_has_no_internal_values_for_a_company_template(secret: Path) -> None:
    # A company template gets None, not a hidden value, so it cannot leak one by mistake.
    from factories import TODAY

    from nrecalc.choices import Audience, Format
    from nrecalc.pipeline import make_quote
    from nrecalc.render.document import context

    found, _ = make_quote(Path("est.yaml"), today=TODAY)
    data = context(found, Format.html, Audience.customer)
    flat = json.dumps(values(data), default=str)
    assert [word for word in INTERNAL if word in flat] == []
    assert data["custom"]["build"][0]["rate"] is None
    assert data["custom"]["contingency_rate"] is None
    assert data["custom"]["discount_needs_approval"] is None


def values(data: Any) -> list[Any]:
    if isinstance(data, dict):
        return [v for value in data.values() for v in values(value)]
    if isinstance(data, (list, tuple)):
        return [v for value in data for v in values(value)]
    return [data]


# --- escaping ------------------------------------------------------------------------------------

HOSTILE = 'ACME | <script>alert(1)</script> *bold* [link](http://x) & "quotes"'


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    text = (EXAMPLES / "reverse-push.yaml").read_text(encoding="utf-8")
    text = replaced(text, "customer: ACME Robotics", f"customer: '{HOSTILE}'")
    text = replaced(text, "  - Changes to the customer's platform.", "  - '# 1. <b>not bold</b>'")
    (tmp_path / "est.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_html_escapes_what_the_estimate_says(hostile: Path) -> None:
    html = quote("est.yaml", "--format", "html")
    assert "<script>" not in html and "<b>" not in html
    assert "ACME | &lt;script&gt;alert(1)&lt;/script&gt; *bold*" in html


def test_markdown_escapes_what_the_estimate_says(hostile: Path) -> None:
    md = quote("est.yaml", "--format", "markdown")
    assert "<script>" not in md and "<b>" not in md
    escaped = r"ACME \| &lt;script&gt;alert(1)&lt;/script&gt; \*bold\* \[link\](http\://x) &amp;"
    assert f"- **Customer:** {escaped}" in md
    assert "- \\# 1. &lt;b&gt;not bold&lt;/b&gt;" in md
    # The signature table keeps its three columns although the name has a |.
    company = next(row for row in md.splitlines() if row.startswith("| Company"))
    assert len(re.findall(r"(?<!\\)\|", company)) == 4


# --- HTML is one self-contained file ------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_html_is_self_contained(name: str) -> None:
    html = quote(f"examples/{name}.yaml", "--format", "html")
    assert html.startswith("<!DOCTYPE html>")
    assert re.findall(r"<(script|link|img|iframe|object|embed)\b", html) == []
    assert re.findall(r"\b(?:src|href)=|url\(|@import|@font-face", html) == []
    assert "@page { size: A4" in html


# --- usage errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "json", "--audience", "customer"], "--audience"),
        (["--format", "json", "--template", "t.j2"], "--template"),
        (["--template", "t.j2"], "--template"),
        (["--format", "note", "--audience", "internal"], "--audience"),
        (["--audience", "boss"], "--audience"),
        (["--format", "json", "--explain"], "--explain"),
        (["--format", "html", "--explain"], "--explain"),
        (["--audience", "customer", "--explain"], "--explain"),
        (["--confidence", "0.4"], "--confidence"),
        (["--confidence", "1"], "--confidence"),
        (["--confidence", "high"], "--confidence"),
        (["--confidence", "NaN"], "--confidence"),
    ],
)
def test_option_combinations_that_make_no_sense_are_usage_errors(
    args: list[str], message: str
) -> None:
    code, out, err = run("quote", "examples/reverse-push.yaml", *args)
    assert code == 2
    assert out == ""
    assert message in err


# --- -o for every format -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown", "html", "note"])
def test_output_file_for_every_format(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"quote.{fmt}"
    example = "examples/reverse-push.yaml"
    code, out, err = run("quote", example, "--format", fmt, "-o", str(target))
    assert (code, out, err) == (0, "", "")
    written = target.read_bytes().decode("utf-8")  # bytes: the CSV's CRLF line ends stay
    assert written == quote(example, "--format", fmt)
    # No overwrite without --force, and the file is left as it was.
    code, out, err = run("quote", example, "--format", fmt, "-o", str(target))
    assert code == 3
    assert err == f"{target}: error: already exists; use --force to overwrite it\n"
    assert target.read_bytes().decode("utf-8") == written
    target.write_text("old", encoding="utf-8")
    code, _, _ = run("quote", example, "--format", fmt, "-o", str(target), "--force")
    assert code == 0
    assert target.read_bytes().decode("utf-8") == written
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temp file left


def test_a_line_of_dashes_or_equals_cannot_make_a_heading() -> None:
    from nrecalc.escape import markdown as escape_markdown

    assert escape_markdown("first\n---") == "first\\\n  \\---"
    assert escape_markdown("first\n  ===") == "first\\\n    \\==="
    assert escape_markdown("- - -x") == "\\- - -x"
    assert escape_markdown("0.1.0 and -5") == "0.1.0 and -5"  # only what starts a block


def test_the_coaching_day_price_is_shown_exactly_like_a_rate(secret: Path) -> None:
    card = Path("rates/house.yaml")
    card.write_text(
        replaced(
            card.read_text(encoding="utf-8"),
            "coaching_per_day: 6000",
            "coaching_per_day: 1234.5678",
        ),
        encoding="utf-8",
    )
    Path("est.yaml").write_text(
        SECRET_ESTIMATE + "standard: {coaching_days: 3}\n", encoding="utf-8"
    )
    data = json.loads(quote("est.yaml", "--format", "json"))
    assert data["standard"]["coaching_per_day"] == "1234.5678"
    assert data["standard"]["coaching"] == "3703.70"  # round(3 x 1234.5678)
    for fmt in ("markdown", "html"):
        text = quote("est.yaml", "--format", fmt)
        assert "Coaching, 3 days × ¥1,234.5678" in text
        assert "¥3,703.70" in text


# --- supplier and signatures (SPEC 6) -------------------------------------------------------------

SUPPLIER = """supplier:
  name: Shenzhen Example Robotics Co., Ltd.
  address: |-
    88 Keji Road, Nanshan
    Shenzhen 518057
  contact: Sales desk
  email: sales@example.com
  phone: +86 755 0000 0000
  tax_id: 91440300MA5XXXXXXX
"""


def _with_supplier(block: str) -> None:
    card = Path("rates/default.yaml")
    text = card.read_text(encoding="utf-8").replace("\nstandard:", f"\n{block}\nstandard:", 1)
    card.write_text(text, encoding="utf-8")


def test_the_supplier_heads_every_document_and_signs_with_the_preparer(here: Path) -> None:
    _with_supplier(SUPPLIER)
    code, md, err = run("quote", "est.yaml", "--format", "markdown")
    assert (code, err) == (0, "")
    assert "- **Supplier:** Shenzhen Example Robotics Co., Ltd.\n" in md
    assert "- **Address:** 88 Keji Road, Nanshan\\\n  Shenzhen 518057\n" in md
    assert "- **Contact:** Sales desk · sales@<!-- -->example.com · +86 755 0000 0000\n" in md
    assert "- **Tax ID:** 91440300MA5XXXXXXX\n" in md
    assert "- **Prepared by:** Li Wei · li.wei@<!-- -->example.com\n" in md
    assert "| Company   | ACME Robotics    | Shenzhen Example Robotics Co., Ltd. |" in md
    code, html, err = run("quote", "est.yaml", "--format", "html")
    assert (code, err) == (0, "")
    assert "<dt>Tax ID</dt><dd>91440300MA5XXXXXXX</dd>" in html
    assert "<dd>88 Keji Road, Nanshan\nShenzhen 518057</dd>" in html  # white-space: pre-line
    code, note, err = run("quote", "est.yaml", "--format", "note")
    assert (code, err) == (0, "")
    assert note.endswith(
        "Kind regards,\nLi Wei\nli.wei@example.com\nShenzhen Example Robotics Co., Ltd.\n"
    )
    code, out, err = run("quote", "est.yaml", "--format", "json")
    assert json.loads(out)["quote"]["supplier_details"]["tax_id"] == "91440300MA5XXXXXXX"


def test_a_supplier_given_by_name_alone_still_reads(here: Path) -> None:
    _with_supplier("supplier: Open Platform Co., Ltd.\n")  # as 0.2 cards wrote it
    code, out, err = run("quote", "est.yaml", "--format", "json")
    assert (code, err) == (0, "")
    quote = json.loads(out)["quote"]
    assert quote["supplier"] == "Open Platform Co., Ltd."
    assert quote["supplier_details"] == {
        "name": "Open Platform Co., Ltd.",
        "address": None,
        "contact": None,
        "email": None,
        "phone": None,
        "tax_id": None,
    }
    assert run("validate", "rates/default.yaml")[0] == 0


@pytest.mark.parametrize(
    ("largest", "ticks"),
    [
        ("509065", ["0", "200000", "400000", "600000"]),
        ("1425241.49", ["0", "500000", "1000000", "1500000"]),
        ("6360", ["0", "2000", "4000", "6000", "8000"]),
        ("1000", ["0", "250", "500", "750", "1000"]),
        ("0.5", ["0", "0.2", "0.4", "0.6"]),
    ],
)
def test_the_charts_axis_has_round_ticks(largest: str, ticks: list[str]) -> None:
    from nrecalc.money import plain
    from nrecalc.render.chart import round_ticks

    found = round_ticks(Decimal(largest))
    assert [plain(tick) for tick in found] == ticks
    assert found[-1] >= Decimal(largest) > found[-2]  # the axis just covers the tallest bar
