"""nrecalc quote through Typer's CliRunner and a real subprocess: output, files, exit codes."""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import (
    EXAMPLE_NAMES,
    EXAMPLES,
    GOLDEN,
    GOLDEN_TABLES,
    RATES,
    ROOT,
    check_golden,
    replaced,
)
from typer.testing import CliRunner

from nrecalc import __version__
from nrecalc.cli import app

REVERSE_PUSH = "examples/reverse-push.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout_bytes.decode("utf-8"), result.stderr


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("suffix", GOLDEN_TABLES)
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_golden(name: str, suffix: str, update_golden: bool) -> None:
    code, out, err = run("quote", f"examples/{name}.yaml", *GOLDEN_TABLES[suffix])
    assert (code, err) == (0, "")
    check_golden(GOLDEN / f"{name}.{suffix}", out.encode("utf-8"), update=update_golden)


def test_there_are_three_examples_at_least() -> None:
    assert {"reverse-push", "multi-role", "discount-approval"} <= set(EXAMPLE_NAMES)


def test_reverse_push_json_equals_the_hand_calculation() -> None:
    code, out, _ = run("quote", REVERSE_PUSH, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["schema_version"] == 2
    assert data["quote"] == {
        "id": "Q-2026-0042",
        "customer": "ACME Robotics",
        "title": "Reverse push of robot data to the customer's platform",
        "date": "2026-11-22",
        "valid_until": "2026-12-22",
        "currency": "CNY",
        "date_assumed": False,
        "supplier": None,
        "supplier_details": None,
        "prepared_by": {"name": "Li Wei", "email": "li.wei@example.com", "phone": None},
    }
    assert data["rate_card"]["name"] == "default"
    assert data["rate_card"]["version"] == "2026.1"
    assert data["rate_card"]["path"] == "rates/default.yaml"
    assert len(data["rate_card"]["sha256"]) == 64
    custom = data["custom"]
    assert custom["build"] == [
        {
            "task": "Reverse-push connector",
            "role": "engineer",
            "engineers": 2,
            "weeks": "3",
            "rate": "25000.00",
            "amount": "150000.00",  # 2 x 3 x 25,000
            "range": None,  # a single figure of weeks, not a three-point range
            "all_in": "165000.00",  # contingency folded in: the customer's price
        }
    ]
    assert custom["build_subtotal"] == "150000.00"
    assert custom["contingency"] == "15000.00"  # 10%
    assert custom["nre"] == "165000.00"
    assert custom["per_upgrade_cost"] == "25000.00"  # 1 x 1 x 25,000
    assert custom["maintenance"] == [
        {"year": 1, "upgrades": 4, "unit_price": "25000.00", "amount": "100000.00"},
        {"year": 2, "upgrades": 4, "unit_price": "26250.00", "amount": "105000.00"},
        {"year": 3, "upgrades": 4, "unit_price": "27562.50", "amount": "110250.00"},
    ]
    assert custom["maintenance_total"] == "315250.00"
    assert custom["subtotal"] == "480250.00"
    assert custom["discount"] == "0.00"
    assert custom["discount_approval_required"] is False
    assert custom["net"] == "480250.00"
    assert custom["tax"] == "28815.00"  # 6%
    assert custom["total"] == "509065.00"
    # The one-time part: 509,065 x 165,000 / 480,250 = 174,900 (the NRE x 1.06, tax included).
    assert custom["one_time"] == "174900.00"
    assert custom["payment"] == [  # 30/40/30 of the one-time part by default
        {"milestone": "Signing", "share": "0.3", "amount": "52470.00"},
        {"milestone": "Delivery", "share": "0.4", "amount": "69960.00"},
        {"milestone": "Acceptance", "share": "0.3", "amount": "52470.00"},
    ]
    # Then each year's upgrades, their cost x 1.06: every payment adds up to the total.
    assert [(row["kind"], row["year"], row["amount"]) for row in custom["schedule"]] == [
        ("milestone", None, "52470.00"),
        ("milestone", None, "69960.00"),
        ("milestone", None, "52470.00"),
        ("upgrades", 1, "106000.00"),
        ("upgrades", 2, "111300.00"),
        ("upgrades", 3, "116865.00"),
    ]
    assert custom["lead_time_weeks"] == "3"
    # The ladder: the fee alone (0), fee + 1 coaching day (6,000 + 6% tax), custom.
    options = {option["key"]: option for option in data["options"]}
    assert list(options) == ["standard", "standard_coaching", "custom"]
    assert [options[key]["total"] for key in options] == ["0.00", "6360.00", "509065.00"]
    assert options["custom"]["recurring"] == ["100000.00", "105000.00", "110250.00"]
    # Each year's share of 509,065 = 480,250 x 1.06: 265,000 x 1.06, then 105,000 x 1.06, ...
    years = data["lifetime"]["options"]["custom"]
    assert [year["amount"] for year in years] == ["280900.00", "111300.00", "116865.00"]
    assert [year["cumulative"] for year in years] == ["280900.00", "392200.00", "509065.00"]
    # 25,000 x 4 + 26,250 x 2 = 152,500 <= 165,000 < 152,500 + 26,250: the 7th upgrade.
    assert data["lifetime"]["upgrades_pass_nre_after"] == 7
    assert data["risk"]["z"] is None  # no ranges: nothing priced at a confidence level
    assert data["risk"]["reserve"] == "0.00"
    assert custom["build_person_weeks"] == "6"
    assert data["standard"] == {
        "name": "Open Platform standard API",
        "integration_days": 3,
        "fee": "0.00",
        "coaching_days": "1",
        "coaching_per_day": "6000.00",
        "coaching": "6000.00",
        "net": "6000.00",
        "tax": "360.00",
        "total": "6360.00",
    }
    assert data["comparison"]["extra_cost"] == "502705.00"
    assert data["comparison"]["standard_days"] == 3
    assert data["comparison"]["custom_weeks"] == "3"


def test_reverse_push_table_shows_both_options_and_derivations() -> None:
    code, out, _ = run("quote", REVERSE_PUSH)
    assert code == 0
    for text in [
        "Quote Q-2026-0042 · ACME Robotics",
        "valid until 2026-12-22",
        "Rate card default 2026.1",
        "Open Platform standard API",
        "3 days",
        "3 weeks",
        "2 eng × 3 wk × ¥25,000.00/wk",
        "¥150,000.00",
        "¥165,000.00",
        "4 × ¥27,562.50",
        "¥315,250.00",
        "¥28,815.00",
        "¥509,065.00",
        "¥6,360.00",
        "Custom costs ¥502,705.00 more than standard + coaching over 3 years",
        "the supplier",
    ]:
        assert text in out


def test_discount_needing_approval_is_flagged() -> None:
    _, out, _ = run("quote", "examples/discount-approval.yaml")
    assert "Discount (NEEDS APPROVAL)" in out
    assert "Needs approval: the 15% discount is above the rate card's 10% limit." in out
    _, out, _ = run("quote", "examples/discount-approval.yaml", "--format", "json")
    assert json.loads(out)["custom"]["discount_approval_required"] is True


def test_two_runs_are_byte_identical_and_piped_output_has_no_colour() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
    env.update(TERM="xterm-256color", FORCE_COLOR="")
    outputs = []
    for fmt in ("table", "table", "json", "json"):
        done = subprocess.run(
            [sys.executable, "-m", "nrecalc", "quote", REVERSE_PUSH, "--format", fmt],
            capture_output=True,
            env=env,
            cwd=ROOT,
            check=True,
        )
        assert done.stderr == b""
        assert b"\x1b" not in done.stdout  # no escape sequence of any kind
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[2] == outputs[3]
    assert outputs[0].decode() == (GOLDEN / "reverse-push.txt").read_text(encoding="utf-8")


def test_output_file_is_written_and_never_overwritten_without_force(tmp_path: Path) -> None:
    target = tmp_path / "quote.json"
    assert run("quote", REVERSE_PUSH, "--format", "json", "-o", str(target))[:2] == (0, "")
    first = target.read_text(encoding="utf-8")
    assert json.loads(first)["custom"]["total"] == "509065.00"
    mode = stat.S_IMODE(target.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask

    target.write_text("keep me", encoding="utf-8")
    code, out, err = run("quote", REVERSE_PUSH, "-o", str(target))
    assert (code, out) == (3, "")
    assert err == f"{target}: error: already exists; use --force to overwrite it\n"
    assert target.read_text(encoding="utf-8") == "keep me"

    target.chmod(0o600)
    assert run("quote", REVERSE_PUSH, "--format", "json", "-o", str(target), "--force")[0] == 0
    assert target.read_text(encoding="utf-8") == first
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # the old file's mode on --force
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quote.json"]


def test_table_to_a_file_is_plain_text(tmp_path: Path) -> None:
    target = tmp_path / "quote.txt"
    assert run("quote", REVERSE_PUSH, "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == (GOLDEN / "reverse-push.txt").read_text(
        encoding="utf-8"
    )


def test_unwritable_target_is_exit_3_with_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    target = blocker / "quote.json"  # a file's "folder": cannot be created, even by root
    code, out, err = run("quote", REVERSE_PUSH, "-o", str(target))
    assert (code, out) == (3, "")
    assert err == f"{target}: error: cannot write: {os.strerror(errno.ENOTDIR)}\n"
    folder = tmp_path / "missing" / "quote.json"
    code, _, err = run("quote", REVERSE_PUSH, "-o", str(folder))
    assert code == 3
    assert err == f"{folder}: error: cannot write: {os.strerror(errno.ENOENT)}\n"
    code, _, err = run("quote", REVERSE_PUSH, "-o", str(tmp_path))
    assert (code, err) == (3, f"{tmp_path}: error: is a folder; give a file name\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_disk_full_keeps_the_old_file_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "quote.json"
    target.write_text("old", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    code, _, err = run("quote", REVERSE_PUSH, "-o", str(target), "--force")
    assert code == 3
    assert err == f"{target}: error: cannot write: No space left on device\n"
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quote.json"]


def test_failed_run_leaves_no_output_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: estimate\n", encoding="utf-8")
    target = tmp_path / "out.json"
    code, out, _ = run("quote", str(bad), "-o", str(target))
    assert (code, out) == (1, "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


def test_version_help_and_usage_errors() -> None:
    assert run("--version")[:2] == (0, f"nrecalc {__version__}\n")
    code, out, _ = run("quote", "--help")
    assert code == 0
    assert "nrecalc quote examples/reverse-push.yaml" in out
    assert run("quote")[0] == 2
    assert run("quote", REVERSE_PUSH, "--bogus")[0] == 2
    assert run("quote", REVERSE_PUSH, "--format", "xml")[0] == 2


def test_python_m_nrecalc_works() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nrecalc", "--version"], capture_output=True, check=True
    )
    assert done.stdout.decode() == f"nrecalc {__version__}\n"


def test_the_console_script_works() -> None:
    script = Path(sys.executable).parent / "nrecalc"
    assert script.exists(), f"no {script}: the tests run after `pip install .`, which makes it"
    done = subprocess.run([str(script), "quote", REVERSE_PUSH], capture_output=True, cwd=ROOT)
    assert (done.returncode, done.stderr) == (0, b"")
    assert b"509,065.00" in done.stdout


# --- finding the rate card (SPEC 2.3) -------------------------------------------------------


def _estimate_text(**changes: str) -> str:
    text = (EXAMPLES / "reverse-push.yaml").read_text(encoding="utf-8")
    for old, new in changes.items():
        text = replaced(text, old, new)
    return text


def _card_text(version: str, start: str, until: str | None = None, rate: int = 25000) -> str:
    text = (RATES / "default.yaml").read_text(encoding="utf-8")
    text = replaced(text, 'version: "2026.1"', f'version: "{version}"')
    text = replaced(text, "effective_from: 2026-01-01", f"effective_from: {start}")
    if until:
        text = replaced(
            text, f"effective_from: {start}", f"effective_from: {start}\neffective_until: {until}"
        )
    return replaced(text, "engineer: 25000", f"engineer: {rate}")


def _total(*args: str) -> str:
    code, out, err = run("quote", *args, "--format", "json")
    assert (code, err) == (0, ""), err
    data = json.loads(out)
    return f"{data['rate_card']['path']} {data['rate_card']['version']} {data['custom']['total']}"


def test_name_is_found_beside_the_estimate_then_upward(tmp_path: Path) -> None:
    project = tmp_path / "project"
    deep = project / "quotes" / "2026"
    deep.mkdir(parents=True)
    (deep / "q.yaml").write_text(_estimate_text(), encoding="utf-8")
    (project / "rates").mkdir()
    (project / "rates" / "default.yaml").write_text(_card_text("up", "2026-01-01", rate=30000))
    assert _total(str(deep / "q.yaml")).split()[1:] == [
        "up",
        "610878.00",
    ]  # 30,000/wk: 198,000 NRE + 378,300 upkeep, +6%
    (deep / "rates").mkdir()
    (deep / "rates" / "mine.yaml").write_text(_card_text("near", "2026-01-01"))
    assert _total(str(deep / "q.yaml")).split()[1:] == ["near", "509065.00"]


def test_bundled_card_is_found_from_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "q.yaml").write_text(_estimate_text(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert _total("q.yaml") == "<bundled>/default.yaml 2026.1 509065.00"


def test_the_version_in_effect_on_the_date_is_chosen(tmp_path: Path) -> None:
    rates = tmp_path / "rates"
    rates.mkdir()
    (rates / "a.yaml").write_text(_card_text("2025", "2025-01-01", "2025-12-31", rate=1))
    (rates / "b.yaml").write_text(_card_text("2026", "2026-01-01", "2026-12-31"))
    (rates / "c.yaml").write_text(_card_text("2027", "2027-01-01", rate=2))
    (tmp_path / "q.yaml").write_text(_estimate_text(), encoding="utf-8")
    assert _total(str(tmp_path / "q.yaml")).split()[1:] == ["2026", "509065.00"]

    (tmp_path / "old.yaml").write_text(_estimate_text(**{"2026-11-22": "2024-06-01"}))
    code, _, err = run("quote", str(tmp_path / "old.yaml"))
    assert code == 1
    assert err.startswith(
        f"{tmp_path / 'old.yaml'}:9:12: error: rate_card: no version of rate card"
    )
    assert "2025 (2025-01-01 to 2025-12-31), 2026" in err


def test_overlapping_versions_are_an_error(tmp_path: Path) -> None:
    rates = tmp_path / "rates"
    rates.mkdir()
    (rates / "a.yaml").write_text(_card_text("one", "2026-01-01"))
    (rates / "b.yaml").write_text(_card_text("two", "2026-06-01"))
    (tmp_path / "q.yaml").write_text(_estimate_text(), encoding="utf-8")
    code, _, err = run("quote", str(tmp_path / "q.yaml"))
    assert code == 1
    assert "2 versions of rate card 'default' are in effect on 2026-11-22" in err


def test_path_and_rates_option(tmp_path: Path) -> None:
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "special.yaml").write_text(_card_text("s", "2026-01-01", rate=20000))
    (tmp_path / "q.yaml").write_text(
        _estimate_text(**{"rate_card: default": "rate_card: cards/special.yaml"})
    )
    assert _total(str(tmp_path / "q.yaml")).split()[1:] == ["s", "407252.00"]
    assert (
        _total(REVERSE_PUSH, "--rates", str(tmp_path / "cards" / "special.yaml")).split()[1] == "s"
    )


def test_a_card_given_by_path_out_of_its_dates_warns(tmp_path: Path) -> None:
    card = tmp_path / "old.yaml"
    card.write_text(_card_text("old", "2025-01-01", "2025-12-31"))
    code, out, err = run("quote", REVERSE_PUSH, "--rates", str(card), "--format", "json")
    assert code == 0
    assert json.loads(out)["rate_card"]["version"] == "old"
    assert err == (
        f"{card}:8:17: warning: effective_from: rate card 'default' version old is in effect "
        "from 2025-01-01 to 2025-12-31, not on 2026-11-22; used as given\n"
    )


def test_an_unreadable_file_among_the_cards_is_an_error(tmp_path: Path) -> None:
    rates = tmp_path / "rates"
    rates.mkdir()
    (rates / "default.yaml").write_text(_card_text("ok", "2026-01-01"))
    (rates / "broken.yaml").write_text("kind: rate-card\nname: [oops\n")
    (tmp_path / "q.yaml").write_text(_estimate_text(), encoding="utf-8")
    code, _, err = run("quote", str(tmp_path / "q.yaml"))
    assert code == 1
    assert err.startswith(f"{rates / 'broken.yaml'}:3:1: error: invalid YAML:")


# --- review fixes: terminal colour, stdout failures, hostile text ---------------------------


def test_colour_view_on_a_terminal_bolds_only_what_it_should() -> None:
    import io

    from rich.console import Console

    from nrecalc.pipeline import make_quote
    from nrecalc.render.table import print_rich

    quote, _ = make_quote(Path(REVERSE_PUSH), today=date(2026, 11, 24))
    buffer = io.StringIO()
    print_rich(
        quote, console=Console(file=buffer, force_terminal=True, width=100, color_system="standard")
    )
    out = buffer.getvalue()
    # Styled on a terminal: the id alone is set apart (an SGR sequence before and after it,
    # whichever codes rich picks), the customer beside it is plain text.
    assert re.search(r"\x1b\[[0-9;]*mQuote Q-2026-0042\x1b\[[0-9;]*m · ACME Robotics", out), out
    assert "2 eng × 3 wk × ¥25,000.00/wk" in out  # derivations are never wrapped
    assert "¥509,065.00" in out


def test_stdout_that_cannot_take_the_output_is_exit_3() -> None:
    with open(os.devnull, "rb") as nothing, open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "nrecalc", "quote", REVERSE_PUSH],
            stdin=nothing,
            stdout=full,
            stderr=subprocess.PIPE,
            cwd=ROOT,
        )
    assert done.returncode == 3
    assert done.stderr == f"<stdout>: error: cannot write: {os.strerror(errno.ENOSPC)}\n".encode()


def test_output_is_utf8_whatever_the_locale() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "latin-1"}
    done = subprocess.run(
        [sys.executable, "-m", "nrecalc", "quote", REVERSE_PUSH],
        capture_output=True,
        env=env,
        cwd=ROOT,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    assert "¥509,065.00".encode() in done.stdout


def test_an_unreadable_rates_folder_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "rates").mkdir()
    (tmp_path / "q.yaml").write_text(_estimate_text(), encoding="utf-8")

    def refuse(self: Path) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", refuse)  # root ignores chmod 000, so pretend
    code, out, err = run("quote", str(tmp_path / "q.yaml"))
    assert (code, out) == (1, "")
    assert (
        err == f"{tmp_path / 'rates'}: error: cannot read the rate cards here: Permission denied\n"
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "date: 2026-11-22",
            "date: 9999-12-31",
            "8:7: error: date: 9999-12-31 is out of range (1900 to 2999)",
        ),
        (
            "customer: ACME Robotics",
            'customer: "ACME\\e[31m"',
            "6:11: error: customer: must not contain control characters (found U+001B)",
        ),
        (
            "customer: ACME Robotics",
            'customer: "A\\tB"',
            "6:11: error: customer: must not contain control characters (found U+0009)",
        ),
        (
            "customer: ACME Robotics",
            'customer: "A\\nB"',
            "6:11: error: customer: must be a single line",
        ),
    ],
)
def test_hostile_text_and_dates(tmp_path: Path, old: str, new: str, expected: str) -> None:
    estimate = tmp_path / "q.yaml"
    estimate.write_text(_estimate_text(**{old: new}), encoding="utf-8")
    code, out, err = run("quote", str(estimate), "--rates", str(RATES / "default.yaml"))
    assert (code, out) == (1, "")
    assert err.startswith(f"{estimate}:{expected}")


def test_negative_zero_is_zero(tmp_path: Path) -> None:
    card = tmp_path / "card.yaml"
    card.write_text(
        replaced((RATES / "default.yaml").read_text(encoding="utf-8"), "fee: 0 ", "fee: -0.0 ")
    )
    code, out, _ = run("quote", REVERSE_PUSH, "--rates", str(card), "--format", "json")
    assert code == 0
    assert json.loads(out)["standard"]["fee"] == "0.00"


def test_a_flood_of_problems_is_capped(tmp_path: Path) -> None:
    estimate = tmp_path / "q.yaml"
    extra = "".join(f"bogus{i}: 1\n" for i in range(500))
    estimate.write_text(_estimate_text() + extra, encoding="utf-8")
    code, _, err = run("quote", str(estimate))
    lines = err.splitlines()
    assert code == 1
    assert len(lines) == 101
    assert lines[-1] == f"{estimate}: error: ... and 400 more problems"


def test_too_many_values_is_one_error(tmp_path: Path) -> None:
    estimate = tmp_path / "q.yaml"
    estimate.write_text("kind: estimate\nassumptions: [" + "a, " * 100_000 + "a]\n")
    code, _, err = run("quote", str(estimate))
    # 5 values before the list, then item k (from 0) at column 15 + 3k: the 100,001st is k = 99,995
    assert (code, err) == (1, f"{estimate}:2:300000: error: more than 100,000 values in one file\n")


def test_readme_sample_is_the_current_output() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sample = readme.split("```text\n", 1)[1].split("\n```", 1)[0]
    assert sample + "\n" == (GOLDEN / "reverse-push.txt").read_text(encoding="utf-8")


def test_plain_table_aligns_chinese_text(tmp_path: Path) -> None:
    from unicodedata import east_asian_width

    def width(text: str) -> int:
        return sum(2 if east_asian_width(c) in "WF" else 1 for c in text)

    estimate = tmp_path / "q.yaml"
    estimate.write_text(_estimate_text(**{"Reverse-push connector": "反向推送连接器"}))
    code, out, _ = run("quote", str(estimate), "--rates", str(RATES / "default.yaml"))
    assert code == 0
    breakdown = out.split("Custom breakdown")[1]
    rows = [line for line in breakdown.splitlines() if line.endswith(".00")]
    assert "    反向推送连接器" in breakdown
    assert len(rows) > 10
    assert len({width(row) for row in rows}) == 1  # every amount ends in the same column
