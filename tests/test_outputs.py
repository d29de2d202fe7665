"""SPEC 7 through the command line: the option ladder, lifetime, CSV and --explain."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, ROOT, replaced
from typer.testing import CliRunner

from nrecalc.cli import app

EXAMPLE_NAMES = sorted(path.stem for path in EXAMPLES.glob("*.yaml"))
TELEMETRY = "examples/telemetry-bridge.yaml"
LABELS = ["Standard", "Standard + coaching", "Productize", "Custom"]


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def quote(*args: str) -> str:
    result = CliRunner().invoke(app, ["quote", *args])
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    return result.stdout_bytes.decode("utf-8")  # as written: CRLF stays CRLF


def as_json(example: str, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(quote(example, "--format", "json", *args))
    return data


# --- the ladder ---------------------------------------------------------------------------------


def ladder_rows(table: str) -> list[str]:
    section = table.split("Your options over", 1)[1].split("\n\n", 2)[1]
    return [line.split("   ")[0].strip() for line in section.splitlines()[2:]]


def test_all_four_options_in_table_and_json() -> None:
    data = as_json(TELEMETRY)
    assert [option["label"] for option in data["options"]] == LABELS
    for option in data["options"]:
        assert option["time_to_value"]["working_days"]
        assert Decimal(option["total"]) >= 0
    productize = data["options"][2]
    assert productize["time_to_value"] == {"weeks": "16", "days": 3, "working_days": "83"}
    assert productize["recurring_total"] == "0.00"
    assert productize["upgrade_risk"] == "vendor"
    assert data["options"][3]["upgrade_risk"] == "customer"
    assert data["options"][3]["total"] == data["custom"]["total"]
    assert data["options"][1]["total"] == data["standard"]["total"]
    table = quote(TELEMETRY)
    assert ladder_rows(table) == LABELS
    for option in data["options"]:
        row = next(line for line in table.splitlines() if line.startswith(f"  {option['label']}  "))
        assert f"¥{Decimal(option['total']):,.2f}" in row
    assert "16 weeks + 3 days" in table


def test_no_coaching_and_no_productize_show_neither(tmp_path: Path) -> None:
    text = (EXAMPLES / "telemetry-bridge.yaml").read_text(encoding="utf-8")
    text = replaced(text, "  coaching_days: 3\n", "  coaching_days: 0\n")
    text = replaced(text, "productize:\n  release_weeks: 16", "")
    text = replaced(text, "rate_card: default", f"rate_card: {ROOT / 'rates' / 'default.yaml'}")
    plain = tmp_path / "plain.yaml"
    plain.write_text(text, encoding="utf-8")
    data = as_json(str(plain))
    assert [option["key"] for option in data["options"]] == ["standard", "custom"]
    table = quote(str(plain))
    assert ladder_rows(table) == ["Standard", "Custom"]
    assert "coaching" not in table.split("Custom breakdown")[0].lower()
    assert "Productize" not in table
    assert data["lifetime"]["custom_less_productize"] is None


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_lifetime_years_add_up_to_every_total(name: str) -> None:
    data = as_json(f"examples/{name}.yaml")
    term = data["custom"]["term_years"]
    for option in data["options"]:
        years = data["lifetime"]["options"][option["key"]]
        assert [year["year"] for year in years] == list(range(1, term + 1))
        amounts = [Decimal(year["amount"]) for year in years]
        assert sum(amounts) == Decimal(option["total"])
        assert Decimal(years[-1]["cumulative"]) == Decimal(option["total"])
        running = Decimal(0)
        for year, amount in zip(years, amounts, strict=True):
            running += amount
            assert Decimal(year["cumulative"]) == running
        costs = sum(Decimal(year["cost"]) for year in years)
        assert costs == Decimal(option["one_time"]) + Decimal(option["recurring_total"])


def test_the_upgrade_sentence_names_the_upgrade_that_passes_the_nre() -> None:
    table = quote("examples/reverse-push.yaml")
    # 4 x 25,000 + 2 x 26,250 = 152,500 <= 165,000 < 152,500 + 26,250: the 7th upgrade.
    assert "Its upgrade charges alone pass the NRE of ¥165,000.00 after 7 upgrades." in table
    more = "Custom costs ¥502,705.00 more than standard + coaching over 3 years, tax included."
    assert more in table
    assert "pass the NRE" not in quote(TELEMETRY)  # 12 upgrades at ~¥37,500 stay below it


def test_the_bar_chart_is_as_long_as_the_cost() -> None:
    table = quote("examples/reverse-push.yaml")
    chart = table.split("Cumulative cost, incl. tax", 1)[1].split("Custom breakdown")[0]
    bars: dict[str, list[str]] = {}
    for line in chart.splitlines():
        match = re.match(r"\s+(?:Year (\d) )?\s*(Standard \+ coaching|Custom)\s+(\S*)\s+¥", line)
        if match:
            bars.setdefault(match.group(2), []).append(match.group(3))
    # The longest bar (custom, year 3, ¥509,065.00) fills 32 cells; year 1 (¥280,900.00) is
    # 280,900 / 509,065 x 32 = 17.66 cells: 17 full and 5 eighths.
    assert bars["Custom"] == ["█" * 17 + "▋", "█" * 24 + "▋", "█" * 32]
    assert bars["Standard + coaching"] == ["▍"] * 3  # 6,360 / 509,065 x 32 x 8 = 3.2 eighths


def test_confidence_option_overrides_the_estimate() -> None:
    at_80 = as_json(TELEMETRY)
    at_50 = as_json(TELEMETRY, "--confidence", "0.5")
    at_95 = as_json(TELEMETRY, "--confidence", "0.95")
    assert at_50["risk"]["reserve"] == "0.00"
    assert at_50["custom"]["nre"] == at_80["risk"]["p50"]["nre"]
    assert at_95["risk"]["z"] == "1.644854"
    assert Decimal(at_95["custom"]["nre"]) > Decimal(at_80["custom"]["nre"])
    assert "priced at 95% confidence" in quote(TELEMETRY, "--confidence", "0.95")


def test_a_document_priced_at_another_confidence_verifies(tmp_path: Path) -> None:
    document = tmp_path / "q.md"
    quote(TELEMETRY, "--format", "markdown", "--confidence", "0.9", "-o", str(document))
    assert "confidence=0.9 " in document.read_text(encoding="utf-8")
    result = CliRunner().invoke(app, ["verify", str(document), TELEMETRY])
    assert result.exit_code == 0, result.stdout
    edited = replaced(document.read_text(encoding="utf-8"), "confidence=0.9 ", "confidence=0.8 ")
    document.write_text(edited, encoding="utf-8")
    result = CliRunner().invoke(app, ["verify", str(document), TELEMETRY])
    assert result.exit_code == 1


# --- CSV ---------------------------------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with a byte-order mark
    body = text[1:]
    assert "\n" not in body.replace("\r\n", "")  # RFC 4180 line ends, none bare
    return list(csv.DictReader(io.StringIO(body, newline="")))


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_csv_rows_add_up_to_the_json_totals(name: str) -> None:
    example = f"examples/{name}.yaml"
    data = as_json(example)
    every = read_csv(quote(example, "--format", "csv", "--lang", "en"))  # English labels to read
    assert list(every[0]) == [
        "option",
        "section",
        "task",
        "role",
        "engineers",
        "weeks",
        "quantity",
        "unit",
        "rate",
        "amount",
        "year",
        "currency",
    ]
    assert {row["currency"] for row in every} == {data["quote"]["currency"]}
    # A quote in another currency than its card's names the rate first, in a row of no amount.
    rates = [row for row in every if row["section"] == "fx"]
    rows = [row for row in every if row["section"] != "fx"]
    fx = data["fx"]
    if fx is None:
        assert rates == []
    else:
        assert every[0] is rates[0] and len(rates) == 1
        assert (rates[0]["rate"], rates[0]["amount"], rates[0]["option"]) == (fx["rate"], "", "")
        assert rates[0]["task"].startswith(f"1 {fx['from']} = {fx['rate']} {fx['to']} (")
    for option in data["options"]:
        mine = [row for row in rows if row["option"] == option["label"]]
        assert mine, option["label"]
        assert sum(Decimal(row["amount"]) for row in mine) == Decimal(option["total"])
    assert {row["option"] for row in rows} == {option["label"] for option in data["options"]}
    custom = [row for row in rows if row["option"] == "Custom"]
    assert sum(Decimal(r["amount"]) for r in custom) == Decimal(data["custom"]["total"])
    for row in custom:
        if row["unit"] == "person-week":  # an effort line: engineers x weeks x rate, rounded
            product = Decimal(row["quantity"]) * Decimal(row["rate"])
            assert abs(product - Decimal(row["amount"])) <= Decimal("0.01")
        if row["unit"] == "upgrade":
            assert Decimal(row["quantity"]) * Decimal(row["rate"]) == Decimal(row["amount"])
    assert {"person-week", "upgrade"} <= {row["unit"] for row in custom}  # both checked above
    years = {row["year"] for row in custom}
    assert years == {"", *map(str, range(1, data["custom"]["term_years"] + 1))}


def test_csv_keeps_text_from_running_as_a_formula(tmp_path: Path) -> None:
    text = (EXAMPLES / "reverse-push.yaml").read_text(encoding="utf-8")
    text = replaced(text, "task: Reverse-push connector", 'task: "=HYPERLINK(\\"http://x\\")"')
    text = replaced(text, "task: Compatibility testing", "task: '@SUM(1,2)'")
    text = replaced(text, "rate_card: default", f"rate_card: {ROOT / 'rates' / 'default.yaml'}")
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(text, encoding="utf-8")
    rows = read_csv(quote(str(hostile), "--format", "csv"))
    tasks = [row["task"] for row in rows]
    assert '\'=HYPERLINK("http://x")' in tasks
    assert not any(task.startswith(("=", "+", "-", "@")) for task in tasks)
    # Amounts stay numbers: a negative discount is not quoted away.
    assert all(re.fullmatch(r"-?[0-9]+\.[0-9]{2}", row["amount"]) for row in rows)


def test_csv_with_chinese_text_round_trips(tmp_path: Path) -> None:
    text = (EXAMPLES / "reverse-push.yaml").read_text(encoding="utf-8")
    text = replaced(text, "task: Reverse-push connector", "task: 反向推送连接器, 第一期")
    text = replaced(text, "rate_card: default", f"rate_card: {ROOT / 'rates' / 'default.yaml'}")
    path = tmp_path / "zh.yaml"
    path.write_text(text, encoding="utf-8")
    target = tmp_path / "q.csv"
    quote(str(path), "--format", "csv", "-o", str(target))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = read_csv(raw.decode("utf-8"))
    assert "反向推送连接器, 第一期" in [row["task"] for row in rows]


# --- --explain ---------------------------------------------------------------------------------

_WORDS = re.compile(
    r"\b(?:wk|days?|one-time|recurring|tax|discount|NRE|build subtotal|single-point lines)\b"
)


def _money(text: str) -> Decimal:
    return Decimal(re.sub(r"[^-0-9.]", "", text))  # ¥ or US$, the examples' currencies


def evaluate(formula: str) -> Decimal | None:
    """Evaluate a formula as --explain writes it; None when it is words, not arithmetic."""
    text = _WORDS.sub("", formula)
    text = text.replace("×", "*").replace("−", "-").replace("÷", "/").replace("^", "**")
    text = re.sub(r"(\d+(?:\.\d+)?)%", r"(\1/100)", text)
    text = re.sub(r"(?:¥|US\$)([0-9,]+\.[0-9]+)", lambda m: m.group(1).replace(",", ""), text)
    if re.sub(r"round|[0-9.+\-*/() ]", "", text):
        return None  # words left: a sentence, not a formula
    text = re.sub(r"(\d+(?:\.\d+)?)", r"D('\1')", text)

    def rnd(value: Decimal) -> Decimal:
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    value = eval(text, {"__builtins__": {}}, {"D": Decimal, "round": rnd})  # our own formulas
    assert isinstance(value, Decimal)
    return value


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_explain_formulas_give_their_figures(name: str) -> None:
    table = quote(f"examples/{name}.yaml", "--explain", "--lang", "en")  # the English labels
    section = table.split("How each figure is computed", 1)[1]
    checked = 0
    for line in section.splitlines()[4:]:
        cells = re.split(r"\s{3,}", line.strip())
        if len(cells) != 3 or not cells[2].startswith(("¥", "-¥", "US$", "-US$")):
            continue
        value = evaluate(cells[1])
        if value is None:
            continue
        assert value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == _money(cells[2]), line
        checked += 1
    assert checked >= 20, "the formulas no longer parse: is the test still checking anything?"


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_explain_shares_by_largest_remainder_are_within_a_cent(name: str) -> None:
    # A share of a total is rounded down, or up by one cent: within a cent of its formula.
    table = quote(f"examples/{name}.yaml", "--explain", "--lang", "en")
    by = ", by largest remainder"
    checked = 0
    for line in table.split("How each figure is computed", 1)[1].splitlines():
        cells = re.split(r"\s{3,}", line.strip())
        if len(cells) != 3 or not cells[1].endswith(by):
            continue
        value = evaluate(cells[1].removesuffix(by).replace(" one-time part", ""))
        assert value is not None, line
        assert abs(value - _money(cells[2])) < Decimal("0.01"), line
        checked += 1
    assert checked >= 4  # the one-time part, three milestones


def test_explain_shows_the_range_arithmetic() -> None:
    table = quote(TELEMETRY, "--explain")
    assert "round(2 × (3 + 4 × 4 + 8) / 6 wk × ¥35,000.00)" in table
    assert "the standard normal quantile at 0.8, 6 places" in table
    assert "round(0.841621 × ¥60,667.58)" in table
    assert "round(10% × ¥40,000.00 single-point lines)" in table
    assert "round(10% × ¥438,333.33) − ¥4,000.00 on the single-point lines" in table
    assert "max(¥51,059.11 reserve, ¥39,833.33 contingency): the reserve" in table


def test_the_garbage_collector_is_back_on_before_input_is_read() -> None:
    import gc

    gc.disable()  # as the nrecalc command starts (nrecalc/__main__.py)
    try:
        quote("examples/reverse-push.yaml")
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()
