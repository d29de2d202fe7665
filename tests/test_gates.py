"""Gates in the rate card (SPEC 8.3): policy.max_discount and policy.review_nre_above.

max_discount is a hard limit: an estimate above it is an error at its `discount:` line, in
`quote` and in `validate` (every format). review_nre_above only flags: the internal views say
the quote needs review, the customer never sees it. The reverse-push example's NRE is
¥165,000.00 (2 × 3 × 25,000 + 10% contingency).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, RATES, replaced
from typer.testing import CliRunner

from nrecalc.cli import app
from nrecalc.loader import load_rate_card

CARD = (RATES / "default.yaml").read_text(encoding="utf-8")
ESTIMATE = (EXAMPLES / "reverse-push.yaml").read_text(encoding="utf-8")
# The example ends without a discount: one appended is on the line after its last.
DISCOUNT_LINE = ESTIMATE.count("\n") + 1
POLICY_END = "  validity_days: 30"
# A gate written into the card stands on the line validity_days was on (its value: column 17).
GATE_LINE = CARD[: CARD.index(POLICY_END)].count("\n") + 1
NRE = "¥165,000.00"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def write_files(folder: Path, gates: str, discount: str | None = None) -> None:
    """Write the shipped card with the gates added to its policy, and the example beside it."""
    (folder / "rates").mkdir()
    card = replaced(CARD, POLICY_END, f"{gates}\n{POLICY_END}")
    (folder / "rates" / "default.yaml").write_text(card, encoding="utf-8")
    estimate = ESTIMATE if discount is None else f"{ESTIMATE}discount: {discount}\n"
    (folder / "est.yaml").write_text(estimate, encoding="utf-8")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def above_max(shown: str = "15%", limit: str = "12%") -> str:
    return (
        f"{shown} is above the rate card's maximum discount of {limit} "
        "(policy.max_discount of rate card 'default', rates/default.yaml)"
    )


def error_line(message: str) -> str:
    return f"est.yaml:{DISCOUNT_LINE}:11: error: discount: {message}"


# --- max_discount: a hard limit ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_quote_refuses_a_discount_above_the_maximum(folder: Path, fmt: str) -> None:
    write_files(folder, "  max_discount: 0.12", discount="0.15")
    assert run("quote", "est.yaml", "--format", fmt) == (1, "", error_line(above_max()) + "\n")


def test_quote_with_output_file_writes_nothing(folder: Path) -> None:
    write_files(folder, "  max_discount: 0.12", discount="0.15")
    code, _, err = run("quote", "est.yaml", "-o", "q.html")
    assert (code, err) == (1, error_line(above_max()) + "\n")
    assert sorted(path.name for path in folder.iterdir()) == ["est.yaml", "rates"]


def test_validate_reports_it_at_the_discount_line(folder: Path) -> None:
    write_files(folder, "  max_discount: 0.12", discount="0.15")
    expected = error_line(above_max()) + "\n2 files checked: 1 error in 1 file\n"
    assert run("validate", ".") == (1, expected, "")
    assert run("validate", "est.yaml") == (1, expected.replace("2 files", "1 file"), "")


def test_validate_json_and_github_carry_it(folder: Path) -> None:
    write_files(folder, "  max_discount: 0.12", discount="0.15")
    code, out, _ = run("validate", ".", "--format", "json")
    assert code == 1
    assert json.loads(out) == [
        {
            "path": "est.yaml",
            "line": DISCOUNT_LINE,
            "column": 11,
            "field": "discount",
            "message": above_max(),
            "severity": "error",
        }
    ]
    code, out, _ = run("validate", ".", "--format", "github")
    assert code == 1
    assert out.splitlines()[0] == (
        f"::error file=est.yaml,line={DISCOUNT_LINE},col=11,title=discount::"
        + above_max().replace("%", "%25")
    )


def test_the_discount_is_checked_as_well_as_the_rest_of_the_estimate(folder: Path) -> None:
    write_files(folder, "  max_discount: 0.12", discount="0.15")
    estimate = (folder / "est.yaml").read_text(encoding="utf-8")
    (folder / "est.yaml").write_text(replaced(estimate, "term_years: 3", "term_years: 0"))
    code, out, _ = run("validate", ".")
    assert code == 1
    assert [line.split(": error: ")[1] for line in out.splitlines()[:-1]] == [
        "custom.term_years: must be from 1 to 50, got 0",
        f"discount: {above_max()}",
    ]


@pytest.mark.parametrize(
    ("limit", "discount", "message"),
    [
        ("0.12", "0.12", None),  # at the limit: allowed
        ("0.12", "0.120001", above_max("12.0001%")),  # just above: an error
        ("0.12", "0.05", None),
        ("0", "0", None),  # no discount at all may be given, and none is
        ("0", "0.01", above_max("1%", "0%")),
        ("0.125", "0.13", above_max("13%", "12.5%")),
    ],
)
def test_the_limit_itself_is_allowed_and_just_above_is_not(
    folder: Path, limit: str, discount: str, message: str | None
) -> None:
    write_files(folder, f"  max_discount: {limit}", discount=discount)
    code, out, err = run("quote", "est.yaml", "--format", "json")
    if message is None:
        assert (code, err) == (0, "")
        assert json.loads(out)["custom"]["discount_rate"] == discount
        assert run("validate", ".")[0] == 0
    else:
        assert (code, out, err) == (1, "", error_line(message) + "\n")
        assert run("validate", ".")[1].splitlines()[0] == error_line(message)


def test_without_a_maximum_any_valid_discount_goes(folder: Path) -> None:
    write_files(folder, "  review_nre_above: 1000000", discount="0.99")
    assert run("quote", "est.yaml", "--format", "json")[0] == 0


def test_a_discount_that_is_itself_invalid_is_one_error_not_two(folder: Path) -> None:
    write_files(folder, "  max_discount: 0.12", discount="15%")
    code, out, _ = run("validate", ".")
    assert code == 1
    assert out.splitlines() == [
        f"est.yaml:{DISCOUNT_LINE}:11: error: discount: expected a fraction, got text '15%'; "
        "write 0.15 (10% is 0.10)",
        "2 files checked: 1 error in 1 file",
    ]


def test_a_maximum_written_as_a_percentage_is_answered_with_the_fraction(folder: Path) -> None:
    write_files(folder, "  max_discount: 12%")
    code, out, _ = run("validate", "rates")
    assert code == 1
    assert out.splitlines()[0] == (
        f"rates/default.yaml:{GATE_LINE}:17: error: policy.max_discount: expected a fraction, "
        "got text '12%'; write 0.12 (10% is 0.10)"
    )


# --- a maximum that makes the approval threshold unreachable: a warning ------------------------


@pytest.mark.parametrize("limit", ["0.08", "0.10"])
def test_a_maximum_at_or_below_the_approval_threshold_is_a_warning(
    folder: Path, limit: str
) -> None:
    write_files(folder, f"  max_discount: {limit}", discount="0.05")
    shown = "8%" if limit == "0.08" else "10%"
    warning = (
        f"rates/default.yaml:{GATE_LINE}:17: warning: policy.max_discount: "
        "no quote can need approval: "
        f"discount_approval_above is 10% and a discount above {shown} is already an error; "
        "raise max_discount above 10%, or remove discount_approval_above"
    )
    assert run("validate", ".") == (
        0,
        f"{warning}\n2 files checked: 0 errors in 0 files, 1 warning\n",
        "",
    )
    code, out, _ = run("validate", ".", "--format", "json")
    assert (code, [p["severity"] for p in json.loads(out)]) == (0, ["warning"])
    # quote prices the estimate, which is within both: the card's hygiene is validate's job
    code, _, err = run("quote", "est.yaml", "--format", "json")
    assert (code, err) == (0, "")


def test_a_maximum_above_the_approval_threshold_leaves_both_working(folder: Path) -> None:
    write_files(folder, "  max_discount: 0.20", discount="0.15")
    assert run("validate", ".") == (0, "2 files checked: no problems\n", "")
    code, out, _ = run("quote", "est.yaml", "--format", "json")
    assert code == 0
    assert json.loads(out)["custom"]["discount_approval_required"] is True


# --- review_nre_above: a flag for the internal views ---------------------------------------------


def review_note(limit: str = "¥150,000.00") -> str:
    return f"Needs review: the NRE of {NRE} is above the rate card's review threshold of {limit}."


REVIEW_ZH = f"【需复核】 一次性开发费 {NRE} 超过费率表规定的复核门槛 ¥150,000.00。"
# What says "needs review", in English and Chinese, whatever the view.
REVIEW_WORDS = ("NEEDS REVIEW", "Needs review", "review threshold", "需复核", "复核门槛")


def custom_json(*args: str) -> dict[str, Any]:
    code, out, err = run("quote", "est.yaml", "--format", "json", *args)
    assert (code, err) == (0, "")
    custom: dict[str, Any] = json.loads(out)["custom"]
    return custom


def test_the_table_flags_the_nre_and_says_why(folder: Path) -> None:
    write_files(folder, "  review_nre_above: 150000")
    code, out, err = run("quote", "est.yaml")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert any(line.startswith("  NRE (NEEDS REVIEW) ") and line.endswith(NRE) for line in lines)
    assert lines[-1] == review_note()


def test_json_says_review_required_beside_the_approval_flag(folder: Path) -> None:
    write_files(folder, "  review_nre_above: 150000")
    custom = custom_json()
    assert custom["review_required"] is True
    keys = list(custom)
    assert keys.index("review_required") == keys.index("discount_approval_required") + 1
    assert json.loads(run("quote", "est.yaml", "--format", "json")[1])["schema_version"] == 2


def test_the_internal_documents_carry_a_banner_line(folder: Path) -> None:
    write_files(folder, "  review_nre_above: 150000")
    code, md, _ = run("quote", "est.yaml", "--format", "markdown", "--audience", "internal")
    assert code == 0
    assert f"> **Needs review:** {review_note().removeprefix('Needs review: ')}" in md.splitlines()
    assert f"| NRE (NEEDS REVIEW)       |     {NRE} |" in md.splitlines()
    code, html, _ = run("quote", "est.yaml", "--format", "html", "--audience", "internal")
    assert code == 0
    assert f"<p>{review_note().replace(chr(39), '&#39;')}</p>" in html.splitlines()
    assert f'<tr><td>NRE (NEEDS REVIEW)</td><td class="r">{NRE}</td></tr>' in html


def test_the_internal_pdf_carries_it_and_the_customer_pdf_does_not(folder: Path) -> None:
    from test_pdf import make_pdf  # skips where the pdf extra or its libraries are missing

    write_files(folder, "  review_nre_above: 150000")
    internal = make_pdf(folder / "i.pdf", "est.yaml", "--audience", "internal")
    text = "".join(page.extract_text() for page in internal.pages)
    assert "NRE (NEEDS REVIEW)" in text
    assert "review threshold of ¥150,000.00" in text
    customer = make_pdf(folder / "c.pdf", "est.yaml")
    text = "".join(page.extract_text() for page in customer.pages)
    assert NRE in text  # the connector's all-in price: the same figure, unflagged
    assert not [word for word in REVIEW_WORDS if word in text]


@pytest.mark.parametrize("lang", ["en", "zh-CN", "zh-CN+en"])
@pytest.mark.parametrize(
    "args",
    [
        ("--format", "table", "--audience", "customer"),
        ("--format", "markdown"),
        ("--format", "html"),
        ("--format", "note"),
        ("--format", "csv"),
    ],
    ids=["table", "markdown", "html", "note", "csv"],
)
def test_the_customer_never_sees_it(folder: Path, lang: str, args: tuple[str, ...]) -> None:
    write_files(folder, "  review_nre_above: 150000")
    code, out, err = run("quote", "est.yaml", *args, "--lang", lang)
    assert (code, err) == (0, "")
    assert not [word for word in REVIEW_WORDS if word in out]


def test_in_chinese(folder: Path) -> None:
    write_files(folder, "  review_nre_above: 150000")
    code, out, _ = run("quote", "est.yaml", "--lang", "zh-CN")
    assert code == 0
    lines = out.splitlines()
    assert lines[-1] == REVIEW_ZH
    assert any(
        line.startswith("  一次性开发费（NRE）【需复核】 ") and line.endswith(NRE) for line in lines
    )
    args = ("--format", "markdown", "--audience", "internal", "--lang", "zh-CN")
    md = run("quote", "est.yaml", *args)[1]
    assert f"> **【需复核】** {REVIEW_ZH.removeprefix('【需复核】 ')}" in md.splitlines()
    html = run("quote", "est.yaml", "--format", "html", "--audience", "internal", "--lang", "zh-CN")
    assert f"<p>{REVIEW_ZH}</p>" in html[1].splitlines()


def test_bilingual_internal_document_says_it_in_both(folder: Path) -> None:
    write_files(folder, "  review_nre_above: 150000")
    args = ("--format", "markdown", "--audience", "internal", "--lang", "zh-CN+en")
    md = run("quote", "est.yaml", *args)[1]
    assert (
        f"> **【需复核】 / Needs review:** {REVIEW_ZH.removeprefix('【需复核】 ')} "
        f"{review_note().removeprefix('Needs review: ')}"
    ) in md.splitlines()


@pytest.mark.parametrize(
    ("limit", "flagged"),
    [("165000", False), ("165000.00", False), ("164999.99", True), ("0", True)],
)
def test_an_nre_equal_to_the_threshold_is_not_flagged(
    folder: Path, limit: str, flagged: bool
) -> None:
    write_files(folder, f"  review_nre_above: {limit}")
    assert custom_json()["review_required"] is flagged
    table = run("quote", "est.yaml")[1]
    assert ("NEEDS REVIEW" in table) is flagged
    assert ("Needs review" in table) is flagged


def test_a_threshold_with_extra_decimals_is_shown_as_written(folder: Path) -> None:
    write_files(folder, "  review_nre_above: 164999.995")
    assert run("quote", "est.yaml")[1].splitlines()[-1] == review_note("¥164,999.995")


def test_review_and_approval_are_independent(folder: Path) -> None:
    write_files(folder, "  review_nre_above: 150000", discount="0.15")
    custom = custom_json()
    assert (custom["review_required"], custom["discount_approval_required"]) == (True, True)
    notes = run("quote", "est.yaml")[1].splitlines()[-2:]
    assert notes == [
        "Needs approval: the 15% discount is above the rate card's 10% limit.",
        review_note(),
    ]
    # the shipped card, without review_nre_above: never flagged
    (folder / "rates" / "default.yaml").write_text(CARD, encoding="utf-8")
    assert custom_json()["review_required"] is False


# --- the shipped card, the schema, a real process -----------------------------------------------


def test_the_shipped_card_shows_the_gates_commented_out() -> None:
    card, _ = load_rate_card(RATES / "default.yaml", "rates/default.yaml")
    assert (card.policy.max_discount, card.policy.review_nre_above) == (None, None)
    assert "  # max_discount: 0.20 " in CARD
    assert "  # review_nre_above: 500000 " in CARD


def test_the_commented_gates_are_valid_when_uncommented(folder: Path) -> None:
    card = replaced(CARD, "  # max_discount:", "  max_discount:")
    card = replaced(card, "  # review_nre_above:", "  review_nre_above:")
    (folder / "rates").mkdir()
    (folder / "rates" / "default.yaml").write_text(card, encoding="utf-8")
    assert run("validate", "rates") == (0, "1 file checked: no problems\n", "")


def test_the_schema_knows_both() -> None:
    code, out, _ = run("schema", "rate-card")
    assert code == 0
    policy = json.loads(out)["$defs"]["Policy"]["properties"]
    fraction = {"type": "number", "minimum": 0, "exclusiveMaximum": 1}
    money = {"type": "number", "minimum": 0, "exclusiveMaximum": 10**15}
    assert policy["max_discount"]["anyOf"] == [fraction, {"type": "null"}]
    assert policy["review_nre_above"]["anyOf"] == [money, {"type": "null"}]
    assert policy["max_discount"]["default"] is None
    assert policy["review_nre_above"]["default"] is None
    assert "error" in policy["max_discount"]["description"]
    assert "review" in policy["review_nre_above"]["description"]


def test_a_real_process_exits_1_with_the_located_line(folder: Path) -> None:
    write_files(folder, "  max_discount: 0.12", discount="0.15")
    done = subprocess.run(
        [sys.executable, "-m", "nrecalc", "quote", "est.yaml"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (1, "", error_line(above_max()) + "\n")
