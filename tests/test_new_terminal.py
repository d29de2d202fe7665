"""nrecalc new on a real terminal (a pseudo-terminal, pexpect): the questions end to end.

Arrow keys and Enter choose; a wrong answer is told and corrected; Ctrl-C or Ctrl-D, at a text
question, a choice or a yes/no, leaves no file behind and ends without a traceback. Every wait
has a timeout: a question that waits for an answer the test does not give fails the test instead
of hanging it.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pexpect
import pyte
import pytest
from conftest import RATES
from typer.testing import CliRunner

from nrecalc.cli import app
from nrecalc.money import format_money
from nrecalc.strict_yaml import parse

TIMEOUT = 30  # seconds for any one answer to be asked for, or the run to end
LINES, COLUMNS = 50, 100
DOWN, LEFT, ENTER, BACKSPACE = "\x1b[B", "\x1b[D", "\r", "\x7f"
CTRL_C, CTRL_D = "\x03", "\x04"
FIRST = f"Q-{date.today().year}-0001"


class Terminal:
    """nrecalc new in a pseudo-terminal, its screen drawn by a terminal emulator (pyte).

    The questions redraw the screen as a terminal would, moving the cursor over what is already
    there: what the person sees is the emulated screen, not the bytes sent.
    """

    def __init__(self, cwd: Path, *args: str) -> None:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(cwd),
            "LANG": "C.UTF-8",
            "TERM": "xterm-256color",
            # A pseudo-terminal answers no cursor-position request: don't wait for one.
            "PROMPT_TOOLKIT_NO_CPR": "1",
        }
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.Stream(self.screen)
        self.sent = io.StringIO()  # every byte shown, for what scrolled off the screen
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "nrecalc", "new", *args],
            cwd=str(cwd),
            env=env,
            encoding="utf-8",
            dimensions=(LINES, COLUMNS),
            timeout=TIMEOUT,
        )

    def _read(self, timeout: float) -> bool:
        """Draw what the program sent within timeout; False once it has ended."""
        try:
            text = self.child.read_nonblocking(65536, timeout=timeout)
        except pexpect.TIMEOUT:
            return True
        except pexpect.EOF:
            return False
        self.sent.write(text)
        self.stream.feed(text)
        return True

    def answer(self, shown: str, *keys: str) -> None:
        """Wait until the screen shows a text (a question, a message), then type the keys."""
        deadline = time.monotonic() + TIMEOUT
        while shown not in self.text:
            if time.monotonic() > deadline or not self._read(0.2):
                pytest.fail(f"never shown: {shown!r}; the screen:\n{self.text}")
        for key in keys:
            self.child.send(key)

    def end(self) -> int:
        """Wait for the end; return the exit status."""
        deadline = time.monotonic() + TIMEOUT
        while self._read(0.2):
            if time.monotonic() > deadline:
                pytest.fail(f"still running; the screen:\n{self.text}")
        self.child.close()
        assert self.child.exitstatus is not None, self.child.signalstatus
        return self.child.exitstatus

    @property
    def text(self) -> str:
        """The screen, a line of text a row."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    @property
    def shown(self) -> str:
        """Everything the program sent, colours and cursor moves removed."""
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", self.sent.getvalue())


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    """The terminals a test opens: each is closed at the end, whatever happened."""
    opened: list[Terminal] = []
    yield opened
    for terminal in opened:
        terminal.child.close(force=True)


def test_the_questions_end_to_end(
    acme_repo: Path, terminals: list[Terminal], monkeypatch: pytest.MonkeyPatch
) -> None:
    term = Terminal(acme_repo)
    terminals.append(term)
    term.answer("Customer", "ACME Robotics", ENTER)
    term.answer("Title", "Reverse push: robot data", ENTER)
    term.answer("Tags (", "reverse-push, Mqtt_Bridge")
    term.answer("tags[1]: 'Mqtt_Bridge' is not a tag: lowercase letters and digits")
    term.answer("write 'mqtt-bridge'")  # the whole message, wrapped: the hint at its end
    term.child.send(BACKSPACE * len("Mqtt_Bridge") + "mqtt-bridge" + ENTER)
    term.answer("Quote id", ENTER)  # the one suggested
    term.answer("Rate card", DOWN, ENTER)  # the second: the shipped card
    term.answer("Build line 1: task", "Connector", ENTER)
    term.answer("Build line 1: role", DOWN, ENTER)  # senior-engineer, after engineer
    term.answer("Build line 1: engineers", BACKSPACE, "2.5", ENTER)  # over the 1 offered
    term.answer("custom.build[0].engineers: must be a whole number, got 2.5")  # refused
    term.child.send(BACKSPACE * 3 + "2" + ENTER)
    term.answer("Build line 1: weeks", "3/2/6", ENTER)
    term.answer("custom.build[0].weeks.likely: 2 is below low (3)", BACKSPACE * 5, "2/3/6", ENTER)
    term.answer("Another build line?", "n")
    term.answer("per-upgrade lines)?", ENTER)  # yes
    term.answer("Per-upgrade line 1: task", "Compatibility testing", ENTER)
    term.answer("Per-upgrade line 1: role", ENTER)
    term.answer("Per-upgrade line 1: engineers", ENTER)
    term.answer("Per-upgrade line 1: weeks", "1", ENTER)
    term.answer("Another per-upgrade line?", ENTER)  # no
    term.answer("Platform upgrades per year", ENTER)
    term.answer("Term in years", ENTER)
    term.answer("Discount", BACKSPACE, "5%")
    term.answer("discount: expected a fraction, got text '5%'; write 0.05 (10% is 0.10)")
    term.child.send(BACKSPACE * 2 + "0.05" + ENTER)
    term.answer("Language", ENTER)
    term.answer(f"Wrote {FIRST}.yaml.")
    assert term.end() == 0
    assert "Traceback" not in term.shown

    written = acme_repo / f"{FIRST}.yaml"
    data = parse(written.read_text(encoding="utf-8"), "x").data
    assert (data["customer"], data["title"], data["rate_card"]) == (
        "ACME Robotics",
        "Reverse push: robot data",
        "default",
    )
    build = data["custom"]["build"][0]
    assert (build["role"], build["engineers"]) == ("senior-engineer", 2)
    assert build["weeks"] == {"low": 2, "likely": 3, "high": 6}
    assert data["discount"] == Decimal("0.05")
    assert data["tags"] == ["reverse-push", "mqtt-bridge"]
    monkeypatch.chdir(acme_repo)
    assert CliRunner().invoke(app, ["validate", written.name]).exit_code == 0
    result = CliRunner().invoke(app, ["quote", written.name, "--format", "json"])
    assert result.exit_code == 0
    total = Decimal(json.loads(result.stdout)["custom"]["total"])
    assert format_money(total, "CNY") in term.shown  # the quote shown is the file's


# What the person sees, then the keys typed: to the first role, then to the first yes or no.
TO_THE_ROLE = [("Customer", "ACME", ENTER), ("Title", "Title", ENTER), ("Tags (", ENTER)]
TO_THE_ROLE += [("Quote id", ENTER), ("Rate card", ENTER), ("Build line 1: task", "X", ENTER)]
TO_A_YES_OR_NO = [*TO_THE_ROLE, ("Build line 1: role", ENTER), ("engineers", ENTER)]
TO_A_YES_OR_NO += [("weeks", "1", ENTER)]


@pytest.mark.parametrize(
    "steps",
    [
        [("Customer", CTRL_C)],
        [*TO_THE_ROLE[:4], ("Rate card", CTRL_C)],
        [("Customer", "ACME", ENTER), ("Title", CTRL_D)],
        [*TO_THE_ROLE[:3], ("Quote id", CTRL_D)],  # its answer offered, the cursor at its end
        [*TO_THE_ROLE[:4], ("Rate card", CTRL_D)],
        [*TO_THE_ROLE, ("Build line 1: role", CTRL_D)],
        [*TO_A_YES_OR_NO, ("Another build line?", CTRL_D)],
    ],
    ids=[
        "Ctrl-C at the first question",
        "Ctrl-C at a choice",
        "Ctrl-D at an empty answer",
        "Ctrl-D after the answer offered",
        "Ctrl-D at the rate card",
        "Ctrl-D at a role",
        "Ctrl-D at a yes or no",
    ],
)
def test_ctrl_c_or_ctrl_d_leaves_nothing_behind(
    acme_repo: Path, terminals: list[Terminal], steps: list[tuple[str, ...]]
) -> None:
    term = Terminal(acme_repo)
    terminals.append(term)
    for shown, *keys in steps:
        term.answer(shown, *keys)
    term.answer("cancelled; nothing written")
    assert term.end() == 130
    assert "Traceback" not in term.shown
    assert sorted(p.name for p in acme_repo.iterdir()) == [".git", "rates"]


def test_ctrl_d_within_an_answer_deletes_the_character_under_the_cursor(
    acme_repo: Path, terminals: list[Terminal]
) -> None:
    term = Terminal(acme_repo)
    terminals.append(term)
    term.answer("Customer", "ACMEx", LEFT, CTRL_D)
    term.answer("Customer (who asks) ACME\n", ENTER)  # the x deleted; nothing cancelled
    term.answer("Title", CTRL_C)
    term.answer("cancelled; nothing written")
    assert term.end() == 130


def test_a_file_that_exists_is_told_before_any_question(
    acme_repo: Path, terminals: list[Terminal]
) -> None:
    shutil.copy(RATES / "default.yaml", acme_repo / "mine.yaml")
    term = Terminal(acme_repo, "mine.yaml")
    terminals.append(term)
    term.answer("mine.yaml: error: already exists; use --force to overwrite it")
    assert term.end() == 3
    assert "Customer" not in term.shown
