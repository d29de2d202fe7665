"""The catalog of words (issue 11): the terminal view, --explain and CSV ask it for every word."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLE_NAMES, EXAMPLES, RATES

from nrecalc.choices import Audience
from nrecalc.pipeline import make_quote
from nrecalc.pricing import Quote
from nrecalc.render import csv, explain, table, words
from nrecalc.render.grid import Block, draw

PACKAGE = Path(words.__file__).resolve().parents[1]
RENDERERS = [Path(module.__file__ or "") for module in (table, explain, csv)]
# The keys these renderers own; other rooms add and check their own.
OWNED = ("figure.", "view.", "explain.", "csv.")
ASKS = {"say": str, "count": tuple}  # how an entry is asked for -> what kind of entry it is


def _asked(path: Path) -> Iterator[tuple[str, str]]:
    """Yield (function, key) for every say("key", ...) and count("key", ...) in a module."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        first = node.args[0]
        if name in ASKS and isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield name, first.value


@pytest.mark.parametrize("path", RENDERERS, ids=lambda path: path.stem)
def test_every_key_asked_for_is_in_the_catalog(path: Path) -> None:
    asked = list(_asked(path))
    assert len(asked) > 5  # the scan sees the calls
    for function, key in asked:
        assert key in words.EN, f"{path.name}: {function}({key!r}) is not in the catalog"
        kind = ASKS[function]
        assert isinstance(words.EN[key], kind), f"{path.name}: {key} is not asked with {function}"


def _strings_in_the_package() -> set[str]:
    """Return every string literal of nrecalc/ but the catalog's, and every template's text."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if path.name == "words.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found.update(
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        )
    for path in (PACKAGE / "templates").iterdir():
        found.update(re.findall(r"""["']([\w.]+)["']""", path.read_text(encoding="utf-8")))
    return found


def test_every_owned_entry_is_used() -> None:
    owned = [key for key in words.EN if key.startswith(OWNED)]
    assert len(owned) > 50
    used = _strings_in_the_package()
    assert not [key for key in owned if key not in used]


# --- pseudo-localization: every visible word of these outputs comes from the catalog -----------

OPEN, CLOSE = "⟦", "⟧"
MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
WORD = re.compile(r"[^\W\d_]{2,}")  # a letter alone is a symbol: σ, z, P in P80, × aside


def _marked(entry: words.Entry) -> words.Entry:
    if isinstance(entry, tuple):
        return (f"{OPEN}{entry[0]}{CLOSE}", f"{OPEN}{entry[1]}{CLOSE}")
    return f"{OPEN}{entry}{CLOSE}"


def _unmarked(text: str, free: list[str]) -> list[str]:
    """Return the words of text outside any marked entry and any free text of the files."""
    while MARKED.search(text):  # entries nest: an entry's field may hold another entry
        text = MARKED.sub(" ", text)
    for value in free:
        text = text.replace(value, " ")
    return WORD.findall(text)


def _free_text(*paths: Path) -> list[str]:
    """Return the texts of the input files, longest first (a task name may hold a role's)."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in paths:
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return sorted(found, key=len, reverse=True)


def _view(quote: Quote, audience: Audience) -> list[Block]:
    """Return the terminal view's blocks but the comparison, which the documents share."""
    internal = audience is Audience.internal
    ranges = table.risk(quote, internal)
    return [
        *table.header(quote, internal),
        *table.summary(quote),
        table.ladder(quote),
        table.lifetime(quote),
        table.breakdown(quote, internal),
        *([ranges] if ranges else []),
        *table.notes(quote, internal),
        explain.explain(quote),
    ]


@pytest.mark.parametrize("name", [*EXAMPLE_NAMES, "undated"])
def test_every_word_of_the_view_explain_and_csv_comes_from_the_catalog(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    estimate = EXAMPLES / f"{name}.yaml"
    if name == "undated":  # the view then says the quote is dated today
        estimate = tmp_path / "undated.yaml"
        text = (EXAMPLES / "discount-approval.yaml").read_text(encoding="utf-8")
        estimate.write_text(re.sub(r"(?m)^date: .*\n", "", text), encoding="utf-8")
    quote, _ = make_quote(estimate, today=date(2026, 11, 24), rates=RATES / "default.yaml")
    free = _free_text(estimate, RATES / "default.yaml")
    marked = words.Words({key: _marked(entry) for key, entry in words.EN.items()})
    monkeypatch.setattr(words, "WORDS", marked)
    for audience in Audience:
        for line in draw(_view(quote, audience), None):
            assert not _unmarked(line.text, free), line.text
    for row in csv.rows(quote):
        option, task = row[0], row[2]
        assert not _unmarked(option, free), row
        assert not _unmarked(task, free), row
