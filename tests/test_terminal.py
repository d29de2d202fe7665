"""nrecalc quote on a real terminal (SPEC 4.2): run in a pseudo-terminal 60 to 120 columns wide.

Each run is compared with the plain table of the same command, piped: every figure the plain
table shows appears whole on the terminal, as often; every column header is there; no line is
wider than the terminal. Below 60 columns the terminal gets the plain table at full width.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pexpect
import pytest
from conftest import EXAMPLES, RATES, ROOT, card_in
from typer.testing import CliRunner

from nrecalc.cli import app
from nrecalc.money import format_money, symbol
from nrecalc.render.text import display_width

WIDTHS = (60, 80, 100, 120)
MODES = {"internal": (), "explain": ("--explain",), "customer": ("--audience", "customer")}
EXAMPLE_PATHS = sorted(EXAMPLES.glob("*.yaml"))
SGR = re.compile(r"\x1b\[[0-9;]*m")  # colour and weight: what a coloured table may send
HOSTILE = "\x1b]52;c;SGVsbG8=\x07x"  # OSC 52: would write "Hello" to the clipboard


def on_terminal(
    args: list[str], columns: int, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> str:
    """Run nrecalc in a pseudo-terminal columns wide; return what it showed, colour removed.

    env adds to a colour terminal's environment (no NO_COLOR, COLUMNS or LINES); with NO_COLOR
    or TERM=dumb in it, the output may hold no escape sequence at all.
    """
    full = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(cwd)),
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        **(env or {}),
    }
    child = pexpect.spawn(
        sys.executable,
        ["-m", "nrecalc", *args],
        dimensions=(50, columns),
        env=full,
        cwd=str(cwd),
        encoding="utf-8",
        timeout=60,
    )
    child.delayafterclose = 0  # the process has ended by then: no need to wait for it
    shown = child.read()
    child.close()
    assert child.exitstatus == 0, shown
    if "NO_COLOR" in full or full["TERM"] == "dumb":
        assert "\x1b" not in shown
    text = SGR.sub("", shown.replace("\r\n", "\n"))
    assert "\x1b" not in text and "\x07" not in text and "\r" not in text
    return text


@cache
def piped(args: tuple[str, ...]) -> str:
    """Return the output of nrecalc with stdout not a terminal (the plain table, or JSON)."""
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(app, list(args))
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return result.stdout


def figures(text: str, sign: str) -> Counter[str]:
    return Counter(re.findall(re.escape(sign) + r"[0-9][0-9,]*(?:\.[0-9]+)?", text))


def header_words(text: str) -> Counter[str]:
    """Count the words of every table's column headers: the lines just above each rule."""
    lines = text.split("\n")
    found: Counter[str] = Counter()
    for number, line in enumerate(lines):
        if line.startswith(" ─"):
            above = number - 1
            while above >= 0 and lines[above].strip():
                found.update(lines[above].split())
                above -= 1
    return found


def json_figures(estimate: Path, customer: bool = False) -> tuple[str, list[str]]:
    """Return the currency symbol and the main money figures of the quote, as formatted.

    The customer sees each build line at its all-in price, and no amount of nothing.
    """
    data = json.loads(piped(("quote", str(estimate), "--format", "json")))
    currency = data["quote"]["currency"]
    custom = data["custom"]
    amounts = [custom[key] for key in ("nre", "subtotal", "tax", "total", "maintenance_total")]
    amounts += [data["standard"]["total"]]
    amounts += [line["all_in" if customer else "amount"] for line in custom["build"]]
    amounts += [line["amount"] for line in custom["per_upgrade"]]
    amounts += [year["amount"] for year in custom["maintenance"]]
    if customer:
        amounts = [amount for amount in amounts if Decimal(amount)]
    return symbol(currency), [format_money(Decimal(a), currency) for a in amounts]


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("estimate", EXAMPLE_PATHS, ids=lambda path: path.stem)
def test_the_table_fits_the_terminal_and_keeps_every_figure(
    estimate: Path, mode: str, columns: int
) -> None:
    args = ["quote", str(estimate.relative_to(ROOT)), *MODES[mode]]
    plain = piped(tuple(args))
    shown = on_terminal(args, columns)
    sign, main = json_figures(estimate, customer=mode == "customer")

    wide = [line for line in shown.split("\n") if display_width(line) > columns]
    assert wide == [], f"wider than {columns} columns"
    expected = figures(plain, sign)
    assert expected and figures(shown, sign) == expected  # each whole, none lost or cut
    assert set(main) <= set(expected)
    missing = header_words(plain) - header_words(shown)
    assert not missing, f"column headers missing: {missing}"


def test_a_narrow_terminal_gets_the_plain_table_at_full_width() -> None:
    args = ["quote", "examples/reverse-push.yaml", "--explain"]
    plain = piped(tuple(args))
    assert max(display_width(line) for line in plain.split("\n")) > 59
    for columns in (59, 40):
        assert on_terminal(args, columns) == plain


@pytest.mark.parametrize("plainly", [{"NO_COLOR": "1"}, {"TERM": "dumb"}], ids=["NO_COLOR", "dumb"])
def test_a_terminal_without_colour_gets_the_table_fitted_too(plainly: dict[str, str]) -> None:
    args = ["quote", "examples/telemetry-bridge.yaml", "--explain"]
    plain = piped(tuple(args))
    shown = on_terminal(args, 80, env=plainly)  # asserts no escape sequence at all
    assert max(display_width(line) for line in shown.split("\n")) <= 80
    assert figures(shown, "¥") == figures(plain, "¥")


def test_the_terminal_table_wraps_text_and_moves_what_does_not_fit_below() -> None:
    args = ["quote", "examples/reverse-push.yaml"]
    plain = piped(tuple(args))
    shown = on_terminal(args, 80)
    assert shown != plain  # fitted: the plain table is wider than 80 columns
    assert "Upgrade risk" in plain and "Your options over 3 years (continued)" not in plain
    ladder = shown.split("Your options over 3 years (continued)")[1]  # risk moved below
    assert "Upgrade risk" in ladder and "Standard + coaching" in ladder
    assert "¥165,000.00" in shown.split("Your options over 3 years")[1]


@pytest.fixture
def hostile_card(tmp_path: Path) -> tuple[Path, Path]:
    """Make an estimate whose customer is rich markup, and a rate card named with OSC 52."""
    (tmp_path / "rates").mkdir()
    card = tmp_path / "rates" / f"{HOSTILE}.yaml"
    shutil.copy(RATES / "default.yaml", card)
    estimate = tmp_path / "q.yaml"
    text = (EXAMPLES / "reverse-push.yaml").read_text(encoding="utf-8")
    marked = text.replace("customer: ACME Robotics", "customer: '[bold]x[/] [link=http://e]y'")
    assert marked != text
    estimate.write_text(marked, encoding="utf-8")
    return estimate, card


@pytest.mark.parametrize("colour", ["colour", "NO_COLOR"])
def test_a_rate_card_named_with_escapes_reaches_no_terminal(
    hostile_card: tuple[Path, Path], colour: str
) -> None:
    estimate, card = hostile_card
    args = ["quote", estimate.name, "--rates", str(card.relative_to(estimate.parent))]
    env = {"NO_COLOR": "1"} if colour == "NO_COLOR" else {}
    shown = on_terminal(args, 80, estimate.parent, env)  # asserts no ESC, BEL, CR
    assert "SGVsbG8=" in shown  # the name is shown, inert
    assert "[bold]x[/] [link=http://e]y" in shown  # markup is text, not styles
    done = subprocess.run(
        [sys.executable, "-m", "nrecalc", *args],
        capture_output=True,
        cwd=estimate.parent,
        check=True,
    )
    assert b"SGVsbG8=" in done.stdout
    assert not {b"\x1b", b"\x07", b"\r"} & {bytes([byte]) for byte in done.stdout}


def test_long_words_wide_characters_and_markup_fit_every_width(tmp_path: Path) -> None:
    import io

    from rich.console import Console

    from nrecalc.pipeline import make_quote
    from nrecalc.render.table import print_rich, render

    text = (EXAMPLES / "reverse-push.yaml").read_text(encoding="utf-8")
    names = {
        "Reverse-push connector": "Phase-2-integration-with-the-ERP-and-the-WMS-1,234,567.89-x" * 2,
        "Compatibility testing": "データ連携モジュールの開発とテストおよび顧客環境への導入作業",
        "customer: ACME Robotics": "customer: '[bold]ACME[/] 株式会社'",
    }
    for old, new in names.items():
        assert old in text
        text = text.replace(old, new)
    estimate = tmp_path / "q.yaml"
    estimate.write_text(text, encoding="utf-8")
    quote, _ = make_quote(estimate, today=date(2026, 11, 24), rates=RATES / "default.yaml")
    plain = render(quote, explain=True)
    expected = figures(plain, "¥")
    for columns in range(60, 141, 8):
        buffer = io.StringIO()
        console = Console(file=buffer, width=columns, force_terminal=True, color_system="standard")
        print_rich(quote, console=console, explain=True)
        shown = SGR.sub("", buffer.getvalue())
        assert max(display_width(line) for line in shown.split("\n")) <= columns
        assert figures(shown, "¥") == expected
        assert "[bold]ACME[/] 株式会社" in shown
        assert not header_words(plain) - header_words(shown)


def test_a_column_with_nothing_in_it_moves_below_too() -> None:
    from nrecalc.render.grid import Grid, draw

    remarks = " ".join(["Remarks for the reader"] * 4)  # wider than the terminal on one line
    grid = Grid("Costs", ("Item", remarks, "Low", "Likely", "High"), (False, False) + (True,) * 3)
    for number in range(3):
        grid.add(f"A long item name, number {number}", "", "¥134,567.00", "¥234,567.00", "¥2.00")
    shown = "\n".join(line.text for line in draw([grid], 60))
    assert max(display_width(line) for line in shown.split("\n")) <= 60
    main, below = shown.split("Costs (continued)")
    assert "Remarks" not in main and sum("¥234,567.00" in line for line in main.split("\n")) == 3
    heading, rows = below.split(" ─")
    assert sorted(heading.split()) == sorted(["Item", *remarks.split()])  # the header, wrapped
    assert rows.strip("─\n") == ""  # and no row: all its cells are empty


def test_a_currency_symbol_with_a_narrow_space_is_shown_as_it_is(tmp_path: Path) -> None:
    card = tmp_path / "xof.yaml"
    card.write_text(card_in("XOF"), encoding="utf-8")
    args = ["quote", "examples/reverse-push.yaml", "--rates", str(card)]
    plain = piped(tuple(args))
    assert "F\u202fCFA165,000" in plain and "\\u" not in plain
    assert "F\u202fCFA165,000" in on_terminal(args, 60)
