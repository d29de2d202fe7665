"""The Chinese catalog (SPEC 6.1): every entry of EN, with the same fields, in Chinese."""

from __future__ import annotations

import ast
import re
import string
import subprocess
import sys
from datetime import date

import pytest
from conftest import EXAMPLE_NAMES, EXAMPLES, ROOT

from nrecalc.choices import Audience, Format
from nrecalc.pipeline import make_quote
from nrecalc.render import render, words
from nrecalc.render.words_zh import ZH

MODULE = ROOT / "nrecalc" / "render" / "words_zh.py"

# Entries whose Chinese is the English: symbols and a formula, not words.
SAME_AS_EN = {
    "symbol.sigma": "σ is the same symbol in Chinese statistics",
    "symbol.z": "z is the same symbol in Chinese statistics",
    "view.z": "a formula: z 0.841621 × σ",
    "side.per_upgrade_price": "a price and how it rises, each already in its language",
}


def _texts(entry: words.Entry) -> tuple[str, ...]:
    return entry if isinstance(entry, tuple) else (entry,)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_zh_has_exactly_the_keys_of_en() -> None:
    assert sorted(set(words.EN) - set(ZH)) == []
    assert sorted(set(ZH) - set(words.EN)) == []


@pytest.mark.parametrize("key", sorted(words.EN))
def test_each_entry_keeps_its_kind_and_fields(key: str) -> None:
    en, zh = words.EN[key], ZH[key]
    assert isinstance(zh, tuple) == isinstance(en, tuple), "a count stays a (one, other) pair"
    for en_text, zh_text in zip(_texts(en), _texts(zh), strict=True):
        assert _fields(zh_text) == _fields(en_text)
        # Every field filled, nothing else: a stray brace would raise here.
        filled = zh_text.format(**{name: f"<{name}>" for name in _fields(zh_text)})
        assert "{" not in filled and "}" not in filled


@pytest.mark.parametrize("key", sorted(words.EN))
def test_each_entry_is_written_in_chinese(key: str) -> None:
    for text in _texts(ZH[key]):
        assert text, "empty"
        assert text == text.strip(), "leading or trailing whitespace"
        assert not re.search(r"\}\s*元", text), "the program writes money with ¥, no 元"
        # Full-width punctuation in Chinese sentences: no ASCII , ; : ! ? against a character.
        assert not re.search(r"[\u4e00-\u9fff][,;:!?]|[,;:!?][\u4e00-\u9fff]", text)
    if key in SAME_AS_EN:
        assert ZH[key] == words.EN[key], f"{key} is no longer the same: drop it from SAME_AS_EN"
    else:
        assert ZH[key] != words.EN[key]


def test_no_two_entries_say_the_same() -> None:
    seen: dict[str, str] = {}
    for key, entry in ZH.items():
        assert str(entry) not in seen, f"{key} says what {seen[str(entry)]} says"
        seen[str(entry)] = key


def test_the_module_imports_only_the_entry_type() -> None:
    tree = ast.parse(MODULE.read_text(encoding="utf-8"))
    imports = [
        ast.unparse(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))
    ]
    assert imports == ["from __future__ import annotations"]
    # And at run time: importing it after the catalog it belongs to loads nothing more.
    code = (
        "import sys, nrecalc.render.words; before = set(sys.modules); "
        "import nrecalc.render.words_zh; print(sorted(set(sys.modules) - before))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert found.stdout.strip() == "['nrecalc.render.words_zh']"


@pytest.mark.parametrize("audience", list(Audience))
@pytest.mark.parametrize("fmt", [Format.table, Format.markdown, Format.html, Format.note])
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_example_renders_with_the_chinese_catalog(
    name: str, fmt: Format, audience: Audience, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each entry fits the way the code fills and joins it (fields, counts, the page footer).
    monkeypatch.chdir(ROOT)
    quote, _ = make_quote(EXAMPLES / f"{name}.yaml", today=date(2026, 11, 26))
    quote = quote._replace(language="zh-CN")
    output = render(quote, fmt, audience, explain=fmt is Format.table)
    assert "定制开发" in output
    assert _english(output) == []


def _english(output: str) -> list[str]:
    """Return the English entries (three words or more, no fields) found in output.

    Shorter ones ("the customer") can be part of the estimate's free text, which stays as written.
    """
    return [
        text
        for text in words.EN.values()
        if isinstance(text, str) and text.count(" ") >= 2 and not _fields(text) and text in output
    ]


def test_the_check_for_english_can_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    # The test above would pass if the catalog were not swapped: make sure it can fail.
    monkeypatch.chdir(ROOT)
    path = EXAMPLES / "reverse-push.yaml"
    quote, _ = make_quote(path, today=date(2026, 11, 26))
    output = render(quote, Format.markdown, Audience.customer)
    assert "Upgrade risk carried by" in _english(output)
