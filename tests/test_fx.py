"""Quotes in another currency than the rate card's (SPEC 8.4): the card's fx table.

The seed scenario in USD at 0.1405: the connector line is 2 × 3 × 25,000 × 0.1405 =
$21,075.00, the contingency 10% of it, the NRE $23,182.50. Every price of the card is multiplied
by the rate exactly; the quote then rounds its lines in USD as every quote does.
"""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal as D
from decimal import localcontext
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, RATES, examples, replaced, shipped_fx
from factories import TODAY, card, estimate
from hypothesis import given, settings
from hypothesis import strategies as st
from test_properties import ROLES, items
from typer.testing import CliRunner

from nrecalc.cli import app
from nrecalc.fx import FxError, choose, convert
from nrecalc.models import RateCard
from nrecalc.money import EXACT, minor_unit, minor_units, round_money
from nrecalc.pricing import Quote, build_quote
from nrecalc.render.json import as_dict

CARD = (RATES / "default.yaml").read_text(encoding="utf-8")
USD = (EXAMPLES / "reverse-push-usd.yaml").read_text(encoding="utf-8")
SHIPPED_FX = shipped_fx()
RATE = "1 CNY = 0.140500 USD (2026-11-20, PBOC)"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def as_json(*args: str) -> dict[str, Any]:
    code, out, err = run("quote", *args, "--format", "json")
    assert (code, err) == (0, ""), err
    data: dict[str, Any] = json.loads(out)
    return data


def write(folder: Path, fx: str, estimate_text: str = USD) -> None:
    """Write the shipped card with fx as its table, and the estimate beside it."""
    (folder / "rates").mkdir(exist_ok=True)
    text = replaced(CARD, SHIPPED_FX, fx)
    (folder / "rates" / "default.yaml").write_text(text, encoding="utf-8")
    (folder / "est.yaml").write_text(estimate_text, encoding="utf-8")


def at(text: str, needle: str) -> int:
    """Return the line number of the first line of text that starts with needle."""
    lines = text.splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.lstrip().startswith(needle))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- the arithmetic, by hand ----------------------------------------------------------------------


def test_the_seed_in_usd() -> None:
    data = as_json("examples/reverse-push-usd.yaml")
    assert data["quote"]["currency"] == "USD"
    assert data["rate_card"]["currency"] == "CNY"
    assert data["fx"] == {
        "from": "CNY",
        "to": "USD",
        "rate": "0.140500",
        "date": "2026-11-20",
        "source": "PBOC",
    }
    custom = data["custom"]
    [line] = custom["build"]
    assert (line["rate"], line["amount"]) == ("3512.50", "21075.00")  # 2 × 3 × 25,000 × 0.1405
    assert (custom["contingency"], custom["nre"]) == ("2107.50", "23182.50")
    # Upgrades: 3,512.50, then round(× 1.05) = 3,688.13 and round(× 1.1025) = 3,872.53; 4 a year.
    assert [y["amount"] for y in custom["maintenance"]] == ["14050.00", "14752.52", "15490.12"]
    # 23,182.50 + 44,292.64 = 67,475.14; tax 6% = 4,048.51 (4,048.5084); total 71,523.65
    assert (custom["subtotal"], custom["tax"], custom["total"]) == (
        "67475.14",
        "4048.51",
        "71523.65",
    )
    # the standard option's coaching day: 6,000 × 0.1405 = 843.00
    assert data["standard"]["coaching"] == "843.00"


def test_nothing_is_rounded_before_the_line(folder: Path) -> None:
    # 1.005 × 0.1405 = 0.1412025 a week: 1,000 × 10 weeks is 1,412.025, rounded once to
    # 1,412.03. Rounding the converted rate first would give 1,400.00 (0.14) or 1,412.00.
    text = replaced(USD, "role: engineer          # must", "role: cheap          # must")
    text = replaced(text, "engineers: 2            #", "engineers: 1000         #")
    text = replaced(text, "weeks: 3                #", "weeks: 10               #")
    write(folder, SHIPPED_FX, text)
    card_path = folder / "rates" / "default.yaml"
    card_path.write_text(
        replaced(
            card_path.read_text(encoding="utf-8"),
            "  engineer: 25000",
            "  engineer: 25000\n  cheap: 1.005",
        ),
        encoding="utf-8",
    )
    data = as_json("est.yaml")
    [line] = data["custom"]["build"]
    assert (line["rate"], line["amount"]) == ("0.1412025", "1412.03")


def test_yen_has_no_minor_unit(folder: Path) -> None:
    # 2 × 3 × 25,000 × 21.08 = 3,162,000; contingency 316,200; NRE 3,478,200 (JPY: 0 places)
    write(folder, SHIPPED_FX, replaced(USD, "currency: USD", "currency: JPY"))
    data = as_json("est.yaml")
    assert data["custom"]["build"][0]["amount"] == "3162000"
    assert data["custom"]["nre"] == "3478200"
    assert data["fx"]["rate"] == "21.080000"
    code, out, _ = run("quote", "est.yaml")
    assert (
        code == 0 and "JP¥3,478,200 " in out and "1 CNY = 21.080000 JPY (2026-11-20, PBOC)" in out
    )


def test_a_three_place_currency(folder: Path) -> None:
    # KWD has 3 places: 25,000 × 0.04321 = 1,080.25 a week; the line 6,481.500; half a week
    # of compatibility testing 540.125, kept to the fils.
    fx = "fx:\n  - {from: CNY, to: KWD, rate: 0.04321, date: 2026-11-20, source: CBK}"
    text = replaced(USD, "currency: USD", "currency: KWD")
    text = replaced(text, "      weeks: 1\n", "      weeks: 0.5\n")
    write(folder, fx, text)
    data = as_json("est.yaml")
    assert data["custom"]["build"][0]["amount"] == "6481.500"
    assert data["custom"]["per_upgrade"][0]["amount"] == "540.125"
    assert data["custom"]["nre"] == "7129.650"


def test_the_newest_rate_on_or_before_the_quote_date_is_used(folder: Path) -> None:
    fx = (
        "fx:\n"
        "  - {from: CNY, to: USD, rate: 0.1401, date: 2026-11-01, source: PBOC}\n"
        "  - {from: CNY, to: USD, rate: 0.1405, date: 2026-11-20, source: PBOC}\n"
        "  - {from: CNY, to: USD, rate: 0.1499, date: 2026-11-25, source: PBOC}"
    )
    write(folder, fx)
    assert as_json("est.yaml")["fx"]["rate"] == "0.140500"  # the quote is of 2026-11-22


def test_the_cards_own_currency_named_is_no_conversion(folder: Path) -> None:
    write(folder, SHIPPED_FX, replaced(USD, "currency: USD", "currency: CNY"))
    data = as_json("est.yaml")
    plain = as_json(str(EXAMPLES / "reverse-push.yaml"))
    assert data["fx"] is None
    assert data["custom"] == plain["custom"] and data["options"] == plain["options"]


# --- errors: every one located, one line, exit 1 ----------------------------------------------


def fails(*args: str) -> list[str]:
    """Return the error lines of a command that fails: on stderr, or validate's on stdout."""
    code, out, err = run(*args)
    if args[0] == "validate":
        assert (code, err) == (1, ""), (code, out, err)
        return out.splitlines()
    assert (code, out) == (1, ""), (code, out, err)
    return err.splitlines()


CURRENCY_LINE = at(USD, "currency:")


def test_a_missing_pair_names_it(folder: Path) -> None:
    write(folder, SHIPPED_FX, replaced(USD, "currency: USD", "currency: GBP"))
    assert fails("quote", "est.yaml") == [
        f"est.yaml:{CURRENCY_LINE}:11: error: currency: no exchange rate from CNY to GBP in rate "
        "card 'default' (rates/default.yaml): its fx has CNY to EUR, JPY, USD; add "
        "{from: CNY, to: GBP, rate, date, source} there (nrecalc never inverts a rate)"
    ]


def test_an_inverted_rate_is_an_error_in_the_card_never_a_silent_one_over_rate(
    folder: Path,
) -> None:
    fx = "fx:\n  - {from: USD, to: CNY, rate: 7.1174, date: 2026-11-20, source: PBOC}"
    write(folder, fx)
    line = at(replaced(CARD, SHIPPED_FX, fx), "- {from: USD")
    assert fails("validate", "rates/default.yaml")[0] == (
        f"rates/default.yaml:{line}:12: error: fx[0].from: is USD, but the card's prices are in "
        "CNY: a rate converts from the card's currency, as 1 CNY = rate USD (this one is the "
        "other way round); nrecalc never inverts a rate"
    )
    assert fails("quote", "est.yaml")[0].startswith(f"rates/default.yaml:{line}:12: error: fx[0]")


@pytest.mark.parametrize(
    ("day", "ok"),
    [("2026-12-20", True), ("2026-12-21", False)],
    ids=["30-days-old", "31-days-old"],
)
def test_a_rate_older_than_fx_max_age_days_is_an_error_naming_its_date(
    folder: Path, day: str, ok: bool
) -> None:
    write(folder, SHIPPED_FX, replaced(USD, "date: 2026-11-22", f"date: {day}"))
    if ok:
        assert as_json("est.yaml")["fx"]["date"] == "2026-11-20"
        return
    assert fails("quote", "est.yaml") == [
        f"est.yaml:{CURRENCY_LINE}:11: error: currency: the newest rate from CNY to USD in rate "
        "card 'default' (rates/default.yaml) is of 2026-11-20, 31 days before the quote's date "
        "2026-12-21: older than policy.fx_max_age_days (30); add a current rate"
    ]


def test_fx_max_age_days_is_the_cards(folder: Path) -> None:
    write(folder, SHIPPED_FX)
    card_path = folder / "rates" / "default.yaml"
    text = card_path.read_text(encoding="utf-8")
    card_path.write_text(replaced(text, "fx_max_age_days: 30", "fx_max_age_days: 1"), "utf-8")
    [message] = fails("quote", "est.yaml")
    assert "is of 2026-11-20, 2 days before the quote's date 2026-11-22" in message
    assert "policy.fx_max_age_days (1)" in message


def test_a_rate_dated_after_the_quote_is_not_used(folder: Path) -> None:
    write(folder, SHIPPED_FX, replaced(USD, "date: 2026-11-22", "date: 2026-11-19"))
    assert fails("quote", "est.yaml") == [
        f"est.yaml:{CURRENCY_LINE}:11: error: currency: the rate from CNY to USD in rate card "
        "'default' (rates/default.yaml) is of 2026-11-20, after the quote's date 2026-11-19; "
        "a quote uses a rate known on its date"
    ]


def test_the_card_table_is_checked(folder: Path) -> None:
    fx = (
        "fx:\n"
        "  - {from: CNY, to: USD, rate: 0.1405, date: 2026-11-20, source: PBOC}\n"
        "  - {from: CNY, to: USD, rate: 0.1406, date: 2026-11-20, source: PBOC}\n"
        "  - {from: CNY, to: CNY, rate: 1, date: 2026-11-20, source: PBOC}\n"
        "  - {from: CNY, to: EUR, rate: 0, date: 2026-11-20, source: ECB}\n"
        "  - {from: CNY, to: usd, rate: 0.12345678901, date: 2026-02-30, source: X}\n"
        '  - {from: CNY, to: JPY, rate: "1/7", date: 2026-11-20}\n'
        "  - {from: CNY, to: JPY, rate: 1000000, date: 2026-11-21, source: X, by: me}"
    )
    write(folder, fx)
    first = at(replaced(CARD, SHIPPED_FX, fx), "- {from: CNY, to: USD")
    lines = fx.splitlines()
    QUOTED = '"1/7'

    def col(n: int, needle: str) -> str:  # line and column of needle in the table's nth rate
        return f"{first + n}:{lines[n + 1].index(needle) + 1}"

    messages = [re.sub(r"^rates/default\.yaml:", "", m) for m in fails("validate", "rates")[:-1]]
    assert messages == [
        f"{col(1, '{')}: error: fx[1]: a second rate from CNY to USD of 2026-11-20 (the first "
        f"is fx[0], line {first}); keep one",
        f"{col(2, 'CNY, rate')}: error: fx[2].to: is CNY too; a rate converts to another",
        f"{col(3, '0,')}: error: fx[3].rate: must be positive, got 0",
        f"{col(4, 'usd')}: error: fx[4].to: 'usd' is not an ISO 4217 currency code (such as CNY, "
        "USD, EUR, JPY)",
        f"{col(4, '0.123')}: error: fx[4].rate: 0.12345678901 has more than 10 decimal places",
        f"{col(4, '2026-02-30')}: error: fx[4].date: 2026-02-30 is not a real date (day is out "
        "of range for month)",
        f"{col(5, '{')}: error: fx[5].source: required field is missing",
        f"{col(5, QUOTED)}: error: fx[5].rate: expected a number, got text '1/7'; write the "
        "rate as a decimal",
        f"{col(6, '1000000')}: error: fx[6].rate: 1000000 is too large (a rate must be below "
        "1,000,000)",
        f"{col(6, 'by:')}: error: fx[6].by: unknown field 'by'; expected one of: from, to, rate, "
        "date, source",
    ]


def test_an_estimate_currency_that_is_no_code(folder: Path) -> None:
    write(folder, SHIPPED_FX, replaced(USD, "currency: USD", "currency: US$"))
    assert fails("validate", "est.yaml")[0] == (
        f"est.yaml:{CURRENCY_LINE}:11: error: currency: 'US$' is not an ISO 4217 currency code "
        "(such as CNY, USD, EUR, JPY)"
    )


def test_validate_checks_the_estimate_against_the_card_in_every_format(folder: Path) -> None:
    write(folder, SHIPPED_FX, replaced(USD, "currency: USD", "currency: GBP"))
    code, out, _ = run("validate", ".", "--format", "json")
    assert code == 1
    [problem] = json.loads(out)
    assert (problem["path"], problem["line"], problem["field"]) == (
        "est.yaml",
        CURRENCY_LINE,
        "currency",
    )
    assert "no exchange rate from CNY to GBP" in problem["message"]
    code, out, _ = run("validate", ".", "--format", "github")
    assert code == 1 and f"file=est.yaml,line={CURRENCY_LINE},col=11" in out


def test_the_api_says_why_without_a_located_check() -> None:
    with pytest.raises(FxError, match="no exchange rate from CNY to USD in rate card 'default'"):
        build_quote(estimate(currency="USD"), card(), today=TODAY)


# --- every output names the rate ---------------------------------------------------------------

CHINESE_RATE = "1 CNY = 0.140500 USD（2026年11月20日，PBOC）"


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        ((), f"Exchange rate {RATE}"),
        (("--audience", "customer"), f"Exchange rate {RATE}"),
        (("--explain",), RATE),
        (("--lang", "zh-CN"), f"汇率：{CHINESE_RATE}"),
        (("--format", "markdown"), f"**Exchange rate:** {RATE}"),
        (("--format", "markdown", "--audience", "internal"), f"**Exchange rate:** {RATE}"),
        (("--format", "markdown", "--lang", "zh-CN"), f"**汇率：** {CHINESE_RATE}"),
        (("--format", "markdown", "--lang", "zh-CN+en"), f"**汇率 / Exchange rate:** {RATE}\n"),
        (("--format", "html"), f"<dt>Exchange rate</dt><dd>{RATE}</dd>"),
        (("--format", "html", "--lang", "zh-CN"), f"<dt>汇率</dt><dd>{CHINESE_RATE}</dd>"),
        (("--format", "note"), f"converted from our CNY prices at {RATE}."),
        (("--format", "note", "--lang", "zh-CN"), f"由我方 CNY 价格折算，汇率为 {CHINESE_RATE}。"),
        (("--format", "csv"), f',fx,"{RATE}",,,,,rate,0.140500,,,USD'),
        (("--format", "csv", "--audience", "customer"), f',fx,"{RATE}",,,,,rate,,,USD'),
    ],
)
def test_every_output_that_shows_money_names_the_rate(args: tuple[str, ...], shown: str) -> None:
    code, out, err = run("quote", "examples/reverse-push-usd.yaml", *args)
    assert (code, err) == (0, "")
    assert shown in out
    _, plain, _ = run("quote", "examples/reverse-push.yaml", *args)
    assert "0.1405" not in plain and "Exchange rate" not in plain and "汇率" not in plain


def test_the_batch_summary_names_each_rate_and_its_quotes() -> None:
    code, out, _ = run("quote", "examples")
    assert code == 0
    assert f"Q-2026-0044: converted at {RATE}" in out
    code, out, _ = run("quote", "examples", "--format", "csv")
    row = next(line for line in out.splitlines() if line.startswith("Q-2026-0044,"))
    assert row.endswith(",CNY,0.140500,2026-11-20,PBOC")
    assert next(line for line in out.splitlines() if line.startswith("Q-2026-0042,")).endswith(
        ",,,,"
    )


def test_a_source_is_inert_in_every_document(folder: Path) -> None:
    source = "<b>PBOC</b> www.example.com [x](http://e.com) *"
    write(
        folder,
        f"fx:\n  - {{from: CNY, to: USD, rate: 0.1405, date: 2026-11-20, source: '{source}'}}",
    )
    _, html, _ = run("quote", "est.yaml", "--format", "html")
    assert "&lt;b&gt;PBOC&lt;/b&gt;" in html and "<b>PBOC" not in html
    _, markdown, _ = run("quote", "est.yaml", "--format", "markdown")
    fact = next(line for line in markdown.splitlines() if "Exchange rate" in line)
    assert "www\\.example.com" in fact and "\\[x\\](http\\://" in fact  # no autolink, no link
    assert "<b>" not in fact
    _, csv, _ = run("quote", "est.yaml", "--format", "csv")
    assert "&lt;" not in csv and "<b>PBOC</b>" in csv  # CSV quotes, it does not HTML-escape


# --- verify and diff: a changed rate is a change -----------------------------------------------


def test_a_document_in_usd_verifies_and_a_changed_rate_is_named(folder: Path) -> None:
    write(folder, SHIPPED_FX)
    code, _, err = run("quote", "est.yaml", "-o", "q.md")
    assert (code, err) == (0, "")
    assert run("verify", "q.md", "est.yaml")[0] == 0
    card_path = folder / "rates" / "default.yaml"
    text = card_path.read_text(encoding="utf-8")
    card_path.write_text(replaced(text, "rate: 0.1405,", "rate: 0.1406,"), encoding="utf-8")
    code, out, _ = run("verify", "q.md", "est.yaml")
    assert code == 1
    assert "rates/default.yaml changed since it was issued" in out
    lines = out.splitlines()
    assert re.fullmatch(  # after the changed card: the rate first, then the amounts it moved
        r"q\.md:[0-9]+: error: the document says '1 CNY = 0\.140500 USD \(2026-11-20, PBOC\)' "
        r"where a fresh quote says '1 CNY = 0\.140600 USD \(2026-11-20, PBOC\)'",
        lines[1],
    )
    assert any("'US$23,182.50' where a fresh quote says 'US$23,199.00'" in line for line in lines)


def test_the_fingerprint_holds_the_rate(folder: Path) -> None:
    # A source renamed changes no amount, but the figures (scheme 4) name the rate's source.
    write(folder, SHIPPED_FX)
    assert run("quote", "est.yaml", "-o", "q.md")[0] == 0
    card_path = folder / "rates" / "default.yaml"
    text = card_path.read_text(encoding="utf-8")
    usd = "{from: CNY, to: USD, rate: 0.1405, date: 2026-11-20, source: "
    card_path.write_text(replaced(text, usd + "PBOC}", usd + "SAFE}"), encoding="utf-8")
    code, out, _ = run("verify", "q.md", "est.yaml")
    assert code == 1 and "and its figures (fingerprint" in out


def test_diff_lists_a_changed_rate_and_what_it_does(folder: Path) -> None:
    new = replaced(CARD, "rate: 0.1405, date: 2026-11-20", "rate: 0.1412, date: 2026-11-20")
    (folder / "new.yaml").write_text(new, encoding="utf-8")
    code, out, _ = run("diff", str(RATES / "default.yaml"), "new.yaml", str(EXAMPLES))
    assert code == 0
    assert "  ~ fx.CNY.USD.2026-11-20 0.140500 → 0.141200 (+0.5%)" in out
    assert "US$23,182.50 → US$23,298.00" in out  # 2 × 3 × 25,000 × 0.1412 × 1.1
    code, out, _ = run(
        "diff", str(RATES / "default.yaml"), "new.yaml", str(EXAMPLES), "--format", "json"
    )
    [change] = json.loads(out)["card_changes"]
    assert (change["unit"], change["old"], change["new"]) == ("fx", "0.140500", "0.141200")


def test_diff_of_two_revisions_names_the_currency_and_the_rate(folder: Path) -> None:
    (folder / "rates").mkdir()
    (folder / "rates" / "default.yaml").write_text(CARD, encoding="utf-8")
    (folder / "v1.yaml").write_text(USD, encoding="utf-8")
    (folder / "v2.yaml").write_text(
        replaced(USD, "currency: USD", "currency: EUR"), encoding="utf-8"
    )
    code, out, _ = run("diff", "v1.yaml", "v2.yaml")
    assert code == 0
    assert re.search(r"~ Currency +USD +EUR", out)
    assert re.search(r"~ Exchange rate +0\.140500 +0\.133100", out)


def cards_for_diff(folder: Path, old_fx: str, new_fx: str, *, raise_engineer: bool = False) -> None:
    """Write old.yaml and rates/default.yaml, the shipped card with these fx tables, the USD
    estimate as est.yaml and the CNY one as cny.yaml; new_fx may raise the engineer 25,000 → 27,500.
    """
    write(folder, new_fx)
    (folder / "old.yaml").write_text(replaced(CARD, SHIPPED_FX, old_fx), encoding="utf-8")
    if raise_engineer:
        card_path = folder / "rates" / "default.yaml"
        text = card_path.read_text(encoding="utf-8")
        card_path.write_text(replaced(text, "engineer: 25000", "engineer: 27500"), "utf-8")
    cny = (EXAMPLES / "reverse-push.yaml").read_text(encoding="utf-8")
    (folder / "cny.yaml").write_text(cny, encoding="utf-8")


STALE_FX = replaced(SHIPPED_FX, "date: 2026-11-20", "date: 2026-10-01")
STALE = (
    f"est.yaml:{CURRENCY_LINE}:11: notice: currency: newly priced: the new rate card prices it, "
    "the old one could not: the newest rate from CNY to USD in rate card 'default' (old.yaml) is "
    "of 2026-10-01, 52 days before the quote's date 2026-11-22: older than "
    "policy.fx_max_age_days (30); add a current rate\n"
)


def test_diff_prices_with_the_new_card_what_the_old_ones_stale_rate_could_not(
    folder: Path,
) -> None:
    # The pull request that adds this month's rate: the old card's rate is stale for the USD
    # quote, the new card has a current one. That is news, not an error; the gate still holds
    # the CNY quote that the raised engineer rate moves by 10%, after the whole report.
    cards_for_diff(folder, STALE_FX, SHIPPED_FX, raise_engineer=True)
    code, out, err = run("diff", "old.yaml", "rates/default.yaml", ".", "--fail-above", "5")
    assert code == 4
    assert err == STALE + (
        "cny.yaml: error: Q-2026-0042: the custom total rises by 10.0%, more than --fail-above 5%\n"
    )
    assert "  + fx.CNY.USD.2026-11-20 0.140500" in out
    rows = [" ".join(line.split()) for line in out.splitlines() if line.startswith("  Q-")]
    # The USD quote listed as added. A week 27,500 × 0.1405 = 3,863.75: NRE 6 weeks × 1.1 =
    # 25,500.75; upgrades 4 × (3,863.75 + 4,056.94 + 4,259.78) = 48,721.88; subtotal 74,222.63,
    # tax 6% 4,453.36, total 78,675.99.
    assert rows[1] == "Q-2026-0044 + US$25,500.75 — + US$78,675.99 —"
    assert "Q-2026-0044: converted at 1 CNY = 0.140500 USD (2026-11-20, PBOC)\n" in out
    assert out.endswith(
        "1 estimate in CNY: 1 up; total +¥50,906.50\n1 estimate in USD: 1 newly priced\n"
    )
    code, out, err = run("diff", "old.yaml", "rates/default.yaml", ".", "--format", "json")
    assert (code, err) == (0, STALE)
    data = json.loads(out)
    usd = next(quote for quote in data["quotes"] if quote["id"] == "Q-2026-0044")
    assert usd["past"] is None
    assert usd["current"]["fx"] == {
        "from": "CNY",
        "to": "USD",
        "rate": "0.140500",
        "date": "2026-11-20",
        "source": "PBOC",
    }
    assert (usd["diff"]["direction"], usd["diff"]["total"]) == ("newly_priced", None)
    assert (data["summary"]["newly_priced"], data["summary"]["up"]) == (1, 1)
    assert data["summary"]["currencies"]["USD"]["newly_priced"] == 1
    out = run("diff", "old.yaml", "rates/default.yaml", ".", "--format", "markdown")[1]
    assert "| Q-2026-0044 | \\+ US$25,500.75 | — | \\+ US$78,675.99 | — |" in out


def test_diff_a_card_that_gains_its_first_fx_table(folder: Path) -> None:
    cards_for_diff(folder, "", SHIPPED_FX)
    code, out, err = run("diff", "old.yaml", "rates/default.yaml", "est.yaml")
    assert code == 0
    assert err == (
        f"est.yaml:{CURRENCY_LINE}:11: notice: currency: newly priced: the new rate card prices "
        "it, the old one could not: no exchange rate from CNY to USD in rate card 'default' "
        "(old.yaml): it has no fx; add {from: CNY, to: USD, rate, date, source} there (nrecalc "
        "never inverts a rate)\n"
    )
    assert out.endswith("1 estimate: 1 newly priced\n")


def test_diff_a_new_card_that_cannot_price_an_estimate_breaks_it(folder: Path) -> None:
    # The reverse: the new card's rate is stale where the old one's was current: an error.
    cards_for_diff(folder, SHIPPED_FX, STALE_FX)
    code, out, err = run("diff", "old.yaml", "rates/default.yaml", ".", "--fail-above", "5")
    assert (code, out) == (1, "")
    assert err == (
        f"est.yaml:{CURRENCY_LINE}:11: error: currency: the newest rate from CNY to USD in rate "
        "card 'default' (rates/default.yaml) is of 2026-10-01, 52 days before the quote's date "
        "2026-11-22: older than policy.fx_max_age_days (30); add a current rate; the old rate "
        "card (old.yaml) prices it: this change breaks it\n"
    )
    # Neither can price it: the old card's error, as ever.
    cards_for_diff(folder, STALE_FX, STALE_FX)
    code, out, err = run("diff", "old.yaml", "rates/default.yaml", ".")
    assert (code, out) == (1, "")
    assert err == STALE.replace(
        "notice: currency: newly priced: the new rate card prices it, the old one could not: ",
        "error: currency: ",
    )


SOURCE_ONLY = replaced(
    SHIPPED_FX,
    "date: 2026-11-20, source: PBOC}\n  - {from: CNY, to: EUR",
    "date: 2026-11-20, source: SAFE}\n  - {from: CNY, to: EUR",
)


@pytest.mark.parametrize(
    ("new_fx", "shown"),
    [
        (SOURCE_ONLY, "1 CNY = 0.140500 USD (2026-11-20, SAFE)"),
        (  # the same rate, dated again
            replaced(
                SHIPPED_FX, "rate: 0.1405, date: 2026-11-20", "rate: 0.1405, date: 2026-11-21"
            ),
            "1 CNY = 0.140500 USD (2026-11-21, PBOC)",
        ),
    ],
    ids=["source", "date"],
)
def test_diff_a_rate_that_changed_but_no_amount(folder: Path, new_fx: str, shown: str) -> None:
    # verify calls such documents changed (the fingerprint holds the rate): so does diff.
    cards_for_diff(folder, SHIPPED_FX, new_fx)
    code, out, err = run("diff", "old.yaml", "rates/default.yaml", ".")
    assert (code, err) == (0, "")
    rows = [" ".join(line.split()) for line in out.splitlines() if line.startswith("  Q-")]
    assert rows == [
        "Q-2026-0044 US$23,182.50 → US$23,182.50 US$0.00 (0.0%) US$71,523.65 → US$71,523.65 "
        "US$0.00 (0.0%)"
    ]
    assert f"Q-2026-0044: exchange rate {RATE} → {shown}\n" in out
    assert out.endswith(
        "1 estimate in CNY: 1 unchanged; total ¥0.00\n"
        "1 estimate in USD: 1 at another exchange rate only; total US$0.00\n"
    )
    data = json.loads(run("diff", "old.yaml", "rates/default.yaml", ".", "--format", "json")[1])
    [quote] = data["quotes"]
    assert quote["diff"]["direction"] == "fx_only"
    assert quote["past"]["fx"]["source"] == "PBOC"
    assert quote["current"]["fx"] != quote["past"]["fx"]
    assert (data["summary"]["fx_only"], data["summary"]["unchanged"]) == (1, 1)
    assert run("diff", "old.yaml", "rates/default.yaml", ".", "--fail-above", "0")[0] == 0


def test_diff_of_two_revisions_names_the_rates_source(folder: Path) -> None:
    # v1 is of a day when the older rate, of another source, was the newest: the same 0.1405.
    fx = SHIPPED_FX + "\n  - {from: CNY, to: USD, rate: 0.1405, date: 2026-11-01, source: SAFE}"
    write(folder, fx)
    (folder / "v1.yaml").write_text(
        replaced(USD, "date: 2026-11-22", "date: 2026-11-10"), encoding="utf-8"
    )
    (folder / "v2.yaml").write_text(USD, encoding="utf-8")
    code, out, _ = run("diff", "v1.yaml", "v2.yaml")
    assert code == 0
    assert re.search(r"~ Exchange rate source +SAFE +PBOC\n", out)
    assert re.search(r"~ Exchange rate date +2026-11-01 +2026-11-20\n", out)
    assert "Exchange rate 0.140500" not in out  # the rate itself did not change
    data = json.loads(run("diff", "v1.yaml", "v2.yaml", "--format", "json")[1])
    [quote] = data["quotes"]
    source = next(c for c in quote["diff"]["changes"] if c["item"] == "fx_source")
    assert (source["section"], source["old"], source["new"]) == ("terms", "SAFE", "PBOC")
    assert quote["diff"]["direction"] == "fx_only"
    out = run("diff", "v1.yaml", "v2.yaml", "--lang", "zh-CN")[1]
    assert re.search(r"~ 汇率来源 +SAFE +PBOC\n", out)


# --- properties --------------------------------------------------------------------------------

# The effort lines of tests/test_properties.py; rates from the smallest to the largest allowed.
rates = st.decimals(min_value=D("0.0000000001"), max_value=D("999999.9999999999"), places=10)
inputs = st.fixed_dictionaries(
    {
        "roles": st.fixed_dictionaries(
            {role: st.decimals(min_value=0, max_value=10**7, places=3) for role in ROLES}
        ),
        "to": st.sampled_from(["USD", "JPY", "KWD", "EUR"]),
        "rate": st.one_of(rates, st.decimals(min_value=D("0.01"), max_value=100, places=4)),
        "build": items,
        "per_upgrade": st.one_of(st.just([]), items),
        "discount": st.decimals(min_value=0, max_value=D("0.5"), places=2),
        "term_years": st.integers(1, 5),
        "fee": st.decimals(min_value=0, max_value=10**6, places=6),
        "service": st.decimals(min_value=0, max_value=10**6, places=6),
        "coaching_days": st.decimals(min_value=0, max_value=20, places=1),
    }
)


def priced(data: dict[str, Any], currency: str | None, rate: D) -> tuple[Quote, RateCard]:
    """Price the drawn estimate with a CNY card whose fx converts to data["to"] at rate."""
    fx = [{"from": "CNY", "to": data["to"], "rate": rate, "date": "2026-11-20", "source": "T"}]
    care = {"care": {"name": "Care", "per_year": data["service"]}}
    rate_card = card(roles=data["roles"], fx=fx, fee=data["fee"], services=care)
    custom = {
        "build": data["build"],
        "per_upgrade": data["per_upgrade"],
        "term_years": data["term_years"],
        "services": ["care"],
    }
    est = estimate(
        currency=currency,
        discount=data["discount"],
        custom=custom,
        standard={"coaching_days": data["coaching_days"]},
    )
    return build_quote(est, rate_card, today=TODAY), rate_card


@settings(max_examples=examples(200))
@given(inputs)
def test_converting_and_pricing_commute_with_the_totals(data: dict[str, Any]) -> None:
    quote, rate_card = priced(data, data["to"], data["rate"])
    c = quote.custom
    cur = data["to"]
    with localcontext(EXACT):
        # each line is the card's rate times the exchange rate, rounded once, in the quote's unit
        drawn = (*data["build"], *data["per_upgrade"])
        for line, item in zip((*c.build, *c.per_upgrade), drawn, strict=True):
            exact = item["engineers"] * item["weeks"] * rate_card.roles[item["role"]] * data["rate"]
            assert line.amount == round_money(exact, cur)
            assert line.amount.as_tuple().exponent == -minor_units(cur)
        # the fee, a coaching day and a service year too: converted exactly, rounded once
        rate = data["rate"]
        assert quote.standard.fee == round_money(data["fee"] * rate, cur)
        coaching = data["coaching_days"] * rate_card.standard.coaching_per_day * rate
        assert quote.standard.coaching == round_money(coaching, cur)
        assert c.services[0].years[0] == round_money(data["service"] * rate, cur)
        # converting then pricing is pricing in CNY then converting, but for where each rounds:
        # a line is within half a unit of the quote's currency, plus the CNY line's own half
        # fen times the rate, of the CNY line converted
        own, _ = priced(data, None, rate)
        bound = minor_unit(cur) / 2 + D("0.005") * rate
        for mine, theirs in zip(
            (*c.build, *c.per_upgrade), (*own.custom.build, *own.custom.per_upgrade), strict=True
        ):
            assert abs(mine.amount - theirs.amount * rate) <= bound
        # and every table adds up in the quote's currency
        assert c.build_subtotal == sum(line.amount for line in c.build)
        assert c.nre == c.build_subtotal + c.contingency
        assert c.maintenance_total == sum(y.amount for y in c.maintenance)
        assert c.subtotal == c.nre + c.maintenance_total + c.services_total
        assert c.total == c.subtotal - c.discount + c.tax
        assert sum(part.amount for part in c.schedule) == c.total
        for option in quote.options:
            assert sum(y.amount for y in option.years) == option.total


@settings(max_examples=examples(100))
@given(inputs)
def test_a_rate_of_one_gives_the_card_currencys_figures(data: dict[str, Any]) -> None:
    data = {**data, "to": "USD"}  # two places, as CNY: the same amounts, to the cent
    converted, _ = priced(data, "USD", D(1))
    own, _ = priced(data, None, D(1))
    mine, theirs = as_dict(converted), as_dict(own)
    assert (mine.pop("fx"), theirs.pop("fx")) == (
        {"from": "CNY", "to": "USD", "rate": "1.000000", "date": "2026-11-20", "source": "T"},
        None,
    )
    assert (mine["quote"].pop("currency"), theirs["quote"].pop("currency")) == ("USD", "CNY")
    assert mine == theirs


def test_convert_multiplies_every_price_exactly() -> None:
    rate_card = card(
        fee=D("1000.5"),
        review_nre_above=D("500000"),
        services={"care": {"name": "Care", "per_year": D("0.001")}},
        fx=[
            {
                "from": "CNY",
                "to": "USD",
                "rate": D("0.1234567891"),
                "date": "2026-11-20",
                "source": "T",
            }
        ],
    )
    [rate] = rate_card.fx
    converted = convert(rate_card, rate)
    assert converted.currency == "USD"
    assert converted.roles["engineer"] == D("3086.4197275")  # 25,000 × 0.1234567891
    assert converted.standard.fee == D("123.51851749455")  # 1,000.5 × 0.1234567891
    assert converted.standard.coaching_per_day == D("740.7407346")
    assert converted.services["care"].per_year == D("0.0001234567891")
    assert converted.policy.review_nre_above == D("61728.39455")
    assert choose(rate_card, "USD", TODAY) == rate


# --- found in review -----------------------------------------------------------------------------

HUGE_CARD = """\
kind: rate-card
name: big
version: "1"
currency: CNY
effective_from: 2026-01-01
roles: {engineer: 999999999999999.99}
standard: {name: Std, integration_days: 3, fee: 999999999999999.99,
           coaching_per_day: 999999999999999.99}
policy: {tax_rate: 1, contingency: 0.99, annual_escalation: 0.99, review_nre_above: 1}
services: {care: {name: Care, per_year: 999999999999999.99}}
fx:
  - {from: CNY, to: USD, rate: 999999.9999999999, date: 2026-11-20, source: PBOC}
  - {from: CNY, to: KWD, rate: 999999.9999999999, date: 2026-11-20, source: PBOC}
"""
HUGE_ESTIMATE = """\
kind: estimate
id: Q-1
customer: C
title: T
date: 2026-11-22
rate_card: card.yaml
currency: USD
standard: {coaching_days: 10000}
custom:
  build: [{task: Build, role: engineer, engineers: 10000,
           weeks: {low: 1, likely: 5000, high: 10000}}]
  per_upgrade: [{task: Tests, role: engineer, engineers: 10000, weeks: 10000}]
  upgrades_per_year: 365
  term_years: 50
  services: [care]
"""


@pytest.mark.parametrize("currency", ["USD", "KWD"])
@pytest.mark.parametrize("lang", ["en", "zh-CN", "zh-CN+en"])
def test_the_largest_quote_a_rate_allows_renders_in_every_format(
    folder: Path, currency: str, lang: str
) -> None:
    # The rate multiplies the largest amounts about a million-fold (a total near 10**46 here):
    # the chart's axis ticks once ran out of digits (DivisionImpossible, a traceback).
    (folder / "card.yaml").write_text(HUGE_CARD, encoding="utf-8")
    estimate = replaced(HUGE_ESTIMATE, "currency: USD", f"currency: {currency}")
    (folder / "est.yaml").write_text(estimate, encoding="utf-8")
    for args in (("--format", "html"), ("--format", "markdown"), ("--format", "note"), ()):
        code, out, err = run("quote", "est.yaml", "--lang", lang, *args)
        assert (code, err) == (0, ""), (args, err)
    code, out, _ = run("quote", "est.yaml", "--explain", "--format", "table")
    assert code == 0 and "× 999999.9999999999" in out


def test_a_converted_threshold_names_the_cards_own_amount(folder: Path) -> None:
    write(folder, SHIPPED_FX)
    card_path = folder / "rates" / "default.yaml"
    text = card_path.read_text(encoding="utf-8")
    card_path.write_text(
        replaced(text, "  # review_nre_above: 500000 ", "  review_nre_above: 100000   "), "utf-8"
    )
    code, out, _ = run("quote", "est.yaml")
    assert code == 0
    assert "Rate card default 2026.1 (rates/default.yaml) · CNY → USD" in out
    assert (  # ¥100,000.00 × 0.1405: the quote compares its NRE with the converted threshold
        "the NRE of US$23,182.50 is above the rate card's review threshold of US$14,050.00 "
        "(¥100,000.00 in the rate card)."
    ) in out
    _, markdown, _ = run("quote", "est.yaml", "--format", "markdown", "--audience", "internal")
    assert "US$14,050.00 (¥100,000.00 in the rate card)" in markdown


def test_the_report_names_the_rate_behind_converted_amounts(folder: Path) -> None:
    # SPEC 8.4: every output that shows money names the rate; the report shows NRE and totals.
    shutil.copytree(EXAMPLES / "requests", folder / "requests")
    shutil.copy(EXAMPLES / "reverse-push-usd.yaml", folder / "requests" / "usd.yaml")
    line = f"Q-2026-0044: converted at {RATE}"
    for fmt in ("table", "markdown"):
        code, out, err = run("report", "requests", "--format", fmt)
        assert (code, err) == (0, "")
        assert line in out
        assert out.count("converted at") == 1  # the CNY requests name no rate
    data = json.loads(run("report", "requests", "--format", "json")[1])
    rates = {quote["id"]: quote["fx"] for quote in data["quotes"]}
    assert rates.pop("Q-2026-0044") == {
        "from": "CNY",
        "to": "USD",
        "rate": "0.140500",
        "date": "2026-11-20",
        "source": "PBOC",
    }
    assert set(rates.values()) == {None}


def test_a_code_that_is_none_is_told_once(folder: Path) -> None:
    # A hostile or mistyped code is its own error, shown inert; the checks across the table do
    # not measure rates against it too.
    fx = 'fx:\n  - {from: "CN\\e[31mY", to: "US D", rate: 0.1405, date: 2026-11-20, source: X}'
    write(folder, fx)
    messages = [m.split(": error: ", 1)[1] for m in fails("validate", "rates")[:-1]]
    assert messages == [
        "fx[0].from: must not contain control characters (found U+001B)",
        "fx[0].to: 'US D' is not an ISO 4217 currency code (such as CNY, USD, EUR, JPY)",
    ]
