"""nrecalc report as people see it: a real terminal 60 to 120 columns wide, and every word from
the catalog (the pseudo-localization check of tests/test_words.py, on the report's table and
Markdown, in both languages)."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import EXAMPLES
from test_terminal import figures, header_words, on_terminal, piped
from test_words import markdown_text, marked, unmarked

from nrecalc.choices import ReviewFormat
from nrecalc.render import report as rendered
from nrecalc.render import words
from nrecalc.render.text import display_width
from nrecalc.report import Report, gather, read

ARGS = ("report", "examples/requests")
TODAY = date(2026, 11, 26)


@pytest.mark.parametrize("columns", [60, 80, 120])
@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_table_fits_the_terminal_and_keeps_every_figure(columns: int, lang: str) -> None:
    args = [*ARGS, "--lang", lang]
    plain = piped(tuple(args))
    shown = on_terminal(args, columns)
    assert [line for line in shown.split("\n") if display_width(line) > columns] == []
    expected = figures(plain, "¥")
    assert expected and figures(shown, "¥") == expected  # each whole, none lost or cut
    if lang == "en":  # a Chinese header has no space to wrap at: it may be cut anywhere
        assert not header_words(plain) - header_words(shown)
    for day in ("11.5", "productize candidate" if lang == "en" else "产品化候选"):
        assert day in shown


def test_at_80_columns_each_table_reads_whole() -> None:
    shown = on_terminal(list(ARGS), 80)
    assert "(continued)" in shown  # the tags' outcomes move below their figures
    outcomes = shown.split("How the requests ended")[1].split("Won:")[0]
    assert "  Custom              2             33.33%   ████" in outcomes
    assert "Waiting for their IT review in December." in shown.split("What the customers said")[1]


def test_a_narrow_terminal_gets_the_plain_table() -> None:
    assert on_terminal(list(ARGS), 50) == piped(ARGS)


# --- every word from the catalog ----------------------------------------------------------------


@pytest.fixture
def report_and_free_text() -> tuple[Report, set[str]]:
    found = read([EXAMPLES / "requests"], today=TODAY)
    made = gather(found.requests, today=TODAY)
    free = {"CNY"}
    for each in made.requests:
        free |= {each.id, each.customer, *each.tags}
        if each.note:
            free.add(" ".join(each.note.split()))
    return made, free


@pytest.mark.parametrize("fmt", [ReviewFormat.table, ReviewFormat.markdown])
@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_every_visible_word_comes_from_the_catalog(
    fmt: ReviewFormat,
    language: str,
    report_and_free_text: tuple[Report, set[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made, free = report_and_free_text
    for catalog in (words.ENGLISH, words.catalog("zh-CN")):
        monkeypatch.setattr(catalog, "entries", marked(catalog.entries))
    out = rendered.render(made, fmt, language)
    text = markdown_text(out) if fmt is ReviewFormat.markdown else out
    found = unmarked(text, free, {"CNY"})
    assert not found, "words not from the catalog:\n" + "\n".join(found)
    assert "⟦" in text


def test_the_check_can_fail(report_and_free_text: tuple[Report, set[str]]) -> None:
    made, free = report_and_free_text
    out = rendered.render(made, ReviewFormat.table, "en")
    assert unmarked(out, free, {"CNY"})  # the real catalog: nothing is marked
