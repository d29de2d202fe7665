"""Shared fixtures: paths, golden files, text edits that must apply, and hypothesis profiles."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
RATES = ROOT / "rates"
GOLDEN = Path(__file__).resolve().parent / "golden"

# --- hypothesis profiles (docs/ci.md) -------------------------------------------------------------
#
# ci: the same examples on every run (derandomized, no example database), so a red CI run is
# repeatable anywhere; dev: random examples, remembered in .hypothesis/ when one fails; nightly:
# random and many more examples, for a scheduled or manual run. HYPOTHESIS_PROFILE picks one;
# without it, ci when the CI variable is set, else dev.

NIGHTLY_FACTOR = 20
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.register_profile(
    "nightly",
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
settings.load_profile(PROFILE)


def examples(count: int) -> int:
    """Return how many examples a property test runs: count, or many more in the nightly run."""
    return count * NIGHTLY_FACTOR if PROFILE == "nightly" else count


# --- golden files ---------------------------------------------------------------------------------

EXAMPLE_NAMES = sorted(path.stem for path in EXAMPLES.glob("*.yaml"))
# Each example's golden files: suffix -> the `nrecalc quote` options that make it.
GOLDEN_TABLES = {
    "txt": ("--format", "table"),
    "json": ("--format", "json"),
    "csv": ("--format", "csv"),
    "explain.txt": ("--explain",),
}
GOLDEN_DOCUMENTS = {
    "customer.md": ("--format", "markdown", "--audience", "customer"),
    "internal.md": ("--format", "markdown", "--audience", "internal"),
    "customer.html": ("--format", "html", "--audience", "customer"),
    "internal.html": ("--format", "html", "--audience", "internal"),
    "note.txt": ("--format", "note", "--audience", "customer"),
    "customer.txt": ("--format", "table", "--audience", "customer"),
}
# The same in Chinese and bilingual (SPEC 6.1): the table, the customer's documents, the note.
GOLDEN_LANGUAGES = {
    f"{short}.{suffix}": (*options, "--lang", language)
    for short, language in (("zh", "zh-CN"), ("bilingual", "zh-CN+en"))
    for suffix, options in {
        "txt": ("--format", "table"),
        "customer.md": ("--format", "markdown", "--audience", "customer"),
        "customer.html": ("--format", "html", "--audience", "customer"),
        "note.txt": ("--format", "note", "--audience", "customer"),
    }.items()
}
GOLDEN_VARIANTS = {**GOLDEN_TABLES, **GOLDEN_DOCUMENTS, **GOLDEN_LANGUAGES}
# `nrecalc report examples/requests` in each format (tests/test_report.py): file -> options.
GOLDEN_REPORTS = {
    "report.txt": (),
    "report.zh.txt": ("--lang", "zh-CN"),
    "report.md": ("--format", "markdown"),
    "report.zh.md": ("--format", "markdown", "--lang", "zh-CN"),
    "report.json": ("--format", "json"),
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/ files that differ (those tests then fail: review the diff).",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def check_golden(path: Path, actual: bytes, *, update: bool) -> None:
    """Compare output with its golden file, byte for byte (CSV's CRLF line ends included).

    With --update-golden a golden file that differs (or is missing) is rewritten and the test
    fails, so that a run which rewrote a file never passes: review the diff, then run again. A
    file that already holds the output is compared as usual and left alone.
    """
    shown = path.relative_to(ROOT)
    old = path.read_bytes() if path.exists() else None
    if update and old != actual:
        path.write_bytes(actual)
        pytest.fail(f"rewrote golden file {shown}; review the diff and run again", pytrace=False)
    assert old is not None, f"{shown} is missing: run pytest --update-golden and review it"
    if old != actual:  # show a readable diff of the text
        assert actual.decode("utf-8") == old.decode("utf-8"), shown
        assert actual == old, f"{shown}: same text, other bytes (line ends?)"


# --- editing test inputs --------------------------------------------------------------------------


def shipped_fx() -> str:
    """Return the shipped card's fx table, as its text: `fx:` to the blank line after it."""
    card = (RATES / "default.yaml").read_text(encoding="utf-8")
    start = card.index("\nfx:") + 1
    return card[start : card.index("\n\n", start)]


def card_in(currency: str, text: str | None = None) -> str:
    """Return the shipped card (or text, a card) priced in another currency: no fx table.

    The shipped card's fx rates convert from CNY; a card in USD cannot hold them.
    """
    card = (RATES / "default.yaml").read_text(encoding="utf-8") if text is None else text
    return replaced(
        replaced(card, shipped_fx() + "\n", ""), "currency: CNY", f"currency: {currency}"
    )


def replaced(text: str, old: str, new: str, count: int = -1) -> str:
    """Replace old by new in text, failing when old is not there (the example changed?)."""
    assert old in text, f"{old!r} not found: the file this test edits has changed"
    return text.replace(old, new, count)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The reverse-push example with a copy of the shipped card beside it; the current folder.

    Modules that need another starting folder define their own `here`.
    """
    shutil.copy(EXAMPLES / "reverse-push.yaml", tmp_path / "est.yaml")
    (tmp_path / "rates").mkdir()
    shutil.copy(RATES / "default.yaml", tmp_path / "rates" / "default.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def acme_repo(tmp_path: Path) -> Path:
    """A repository (the rate-card search stops at it) with a card of its own, acme (a copy of
    the shipped card under that name), beside the shipped default."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "rates").mkdir()
    text = (RATES / "default.yaml").read_text(encoding="utf-8")
    (tmp_path / "rates" / "acme.yaml").write_text(replaced(text, "name: default", "name: acme"))
    return tmp_path
