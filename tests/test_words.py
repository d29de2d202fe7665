"""The catalog of words (issue 11): every word people read comes from it, once.

The pseudo-localization test swaps the catalog for one that marks every entry, ⟦like this⟧,
renders every example in every format for both audiences, and fails on any visible word that is
not inside a mark: a label written into a template or a renderer instead of asked of the
catalog. What is not the catalog's to say is set aside first: the free text of the input files,
figures, currency codes and symbols, dates, ids and hashes, and markup.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
import pytest
import yaml
from conftest import EXAMPLE_NAMES, EXAMPLES, ROOT
from jinja2 import nodes

from nrecalc.choices import Audience, Format
from nrecalc.models import DEFAULT_PAYMENT
from nrecalc.money import symbol
from nrecalc.pipeline import make_quote
from nrecalc.pricing import Quote
from nrecalc.render import render, words
from nrecalc.template import Template

OPEN, CLOSE = "⟦", "⟧"
TODAY = date(2026, 11, 26)


def marked(entries: Mapping[str, words.Entry]) -> dict[str, words.Entry]:
    """Return the catalog with every text marked, both forms of a count too."""

    def mark(text: str) -> str:
        return f"{OPEN}{text}{CLOSE}"

    return {
        key: (mark(entry[0]), mark(entry[1])) if isinstance(entry, tuple) else mark(entry)
        for key, entry in entries.items()
    }


CAPITAL_FIGURES = re.compile("人民币[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+")


@pytest.fixture
def pseudo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Swap every catalog for the marked one; run where the examples find their card."""
    for catalog in (words.ENGLISH, words.catalog("zh-CN")):
        monkeypatch.setattr(catalog, "entries", marked(catalog.entries))
    monkeypatch.chdir(ROOT)


# --- the visible text of each output ----------------------------------------------------------


class _Visible(HTMLParser):
    """Collect what a reader sees of an HTML page: text, and the titles shown on hover."""

    HIDDEN = frozenset({"style", "script", "code"})  # CSS, and code: commands and hashes
    SHOWN_ATTRIBUTES = frozenset({"title", "alt", "aria-label", "placeholder"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in self.HIDDEN
        self.found += [value for name, value in attrs if name in self.SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in self.HIDDEN

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.found.append(data)


def html_text(page: str) -> str:
    """Return the visible text of an HTML page (the inline SVG's <title> and <text> included)."""
    parser = _Visible()
    parser.feed(page)
    parser.close()
    return "\n".join(parser.found)


def markdown_text(document: str) -> str:
    """Return the text of a Markdown document without its syntax, comments and code spans."""
    text = document.replace("@<!-- -->", "@")  # what breaks an autolink reads as nothing
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.DOTALL)
    text = re.sub(r"`[^`\n]*`", " ", text)  # code: commands and hashes
    text = re.sub(r"\\(.)", r"\1", text)  # escapes: the character itself
    return unescape(text)  # the only markup left (# | * > -) is not a word


def plain_text(text: str) -> str:
    return text


# A fixed machine interface in English (SPEC 6.1, docs/json.md): the header row, and the codes
# of the section and unit columns.
CSV_CODES = ("section", "unit")


def csv_text(text: str) -> str:
    """Return the CSV's cells but its header row and its columns of codes."""
    import csv
    import io

    header, *rows = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    keep = [i for i, name in enumerate(header) if name not in CSV_CODES]
    return "\n".join(" | ".join(row[i] for i in keep) for row in rows)


class Shown(NamedTuple):
    """An output format whose words are checked, and how its visible text is read."""

    name: str
    fmt: Format
    text: Callable[[str], str]
    explain: bool = False


SHOWN = [
    Shown("markdown", Format.markdown, markdown_text),
    Shown("html", Format.html, html_text),
    Shown("note", Format.note, plain_text),
    Shown("table", Format.table, plain_text),
    Shown("explain", Format.table, plain_text, explain=True),
    Shown("csv", Format.csv, csv_text),
]


# --- what is not the catalog's to say --------------------------------------------------------


def _strings(value: Any, key: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for name, item in value.items():
            if key == "roles":  # a role's name is its key
                yield str(name)
            yield from _strings(item, str(name))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, key)
    elif isinstance(value, str) and key != "kind":  # a file's kind is never shown
        yield value


def free_text(quote: Quote, estimate: Path) -> set[str]:
    """Return every text of the estimate and its rate card, as the files give them."""
    found = {quote.rate_card.path}  # the internal table names the card's file
    for path in (estimate, Path(quote.rate_card.path)):
        found.update(_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
    # An estimate without `payment:` has these milestones. They are data, not the catalog's
    # (SPEC 4.1 names them), and stay English in every language until issue 13 words them.
    found.update(part.milestone for part in DEFAULT_PAYMENT)
    return found


def allowed_words(quote: Quote) -> set[str]:
    """Return the words that are ids, not text: currency, the program and its format names."""
    found = {quote.currency, "nrecalc", *(fmt.value for fmt in Format)}
    return found | set(re.findall(r"[^\W\d_]+", symbol(quote.currency)))


def _spaced(text: str) -> str:
    return " ".join(text.split())


def unmarked(text: str, free: set[str], allowed: set[str]) -> list[str]:
    """Return each visible word of text that no mark holds, with what surrounds it.

    Capital figures (人民币…元整) are amounts, written from digits and units, not words.
    """
    text = CAPITAL_FIGURES.sub(" ", _spaced(text))
    while True:  # innermost marks first: an entry filled into another is marked twice
        text, found = re.subn(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", " ", text)
        if not found:
            break
    problems = [
        f"a broken mark: {text[max(m.start() - 30, 0) : m.end() + 30]!r}"
        for m in re.finditer(f"[{OPEN}{CLOSE}]", text)
    ]
    for value in sorted({_spaced(value) for value in free}, key=len, reverse=True):
        if value:  # as a whole: the role "engineer" does not hide a stray "engineers"
            text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", text)
    text = re.sub(r"\b[0-9a-f]{12,64}\b", " ", text)  # sha256 digests and fingerprints
    for word in re.finditer(r"[^\W\d_]+", text):
        if word.group() not in allowed:
            around = text[max(word.start() - 30, 0) : word.end() + 30]
            problems.append(f"{word.group()!r} in {_spaced(around)!r}")
    return problems


# --- every example, every format, both audiences ---------------------------------------------


@pytest.mark.parametrize("audience", list(Audience))
@pytest.mark.parametrize("shown", SHOWN, ids=[shown.name for shown in SHOWN])
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
@pytest.mark.usefixtures("pseudo")
def test_every_visible_word_comes_from_the_catalog(
    name: str, shown: Shown, audience: Audience
) -> None:
    estimate = EXAMPLES / f"{name}.yaml"
    quote, _ = make_quote(estimate, today=TODAY)
    output = render(quote, shown.fmt, audience, explain=shown.explain)
    found = unmarked(shown.text(output), free_text(quote, estimate), allowed_words(quote))
    assert not found, "words not from the catalog:\n" + "\n".join(found)


@pytest.mark.usefixtures("pseudo")
def test_the_check_finds_a_word_written_into_a_template(tmp_path: Path) -> None:
    # The test above passes on output with no word outside a mark: make sure it can fail.
    estimate = EXAMPLES / "reverse-push.yaml"
    quote, _ = make_quote(estimate, today=TODAY)
    text = '# {{ say("heading.payment") }}\n\nPayment **due** on {{ quote.valid_until }}.\n'
    path = tmp_path / "mine.md.j2"
    template = Template(str(path), text, "0" * 64, lambda name: None)
    output = render(quote, Format.markdown, Audience.customer, template)
    found = unmarked(markdown_text(output), free_text(quote, estimate), allowed_words(quote))
    assert [problem.split(" in ")[0] for problem in found] == ["'Payment'", "'due'", "'on'"]


def test_the_check_reads_nested_marks_free_text_and_ids() -> None:
    text = "⟦Custom costs ¥1.00 more than ⟦standard⟧ over ⟦3 years⟧.⟧ ACME Robotics CNY ¥ left"
    found = unmarked(text, {"ACME Robotics"}, {"CNY"})
    assert [problem.split(" in ")[0] for problem in found] == ["'left'"]
    assert unmarked("⟦Total ⟦3 years⟧", set(), set())[0].startswith("a broken mark")
    digest = "84a8ec7f9687c2d6c15dc7dbfa865e9d1ca161c62bea6de9b99d318b1c3c1343"
    assert unmarked(f"⟦Estimate sha256⟧ {digest} 2026-11-22 Q", {"Q"}, set()) == []


def test_html_text_is_what_a_reader_sees() -> None:
    page = (
        '<html lang="en"><head><title>Shown</title><style>p { content: "hidden" }</style></head>'
        '<body><p class="x">Text &amp; more<!-- hidden --></p><code>hidden</code>'
        "<svg><rect><title>Hover</title></rect><text>Axis</text></svg>"
        '<abbr title="Tip">A</abbr></body></html>'
    )
    assert html_text(page).split() == ["Shown", "Text", "&", "more", "Hover", "Axis", "Tip", "A"]


# --- the keys asked for exist -----------------------------------------------------------------

TEMPLATES = sorted((ROOT / "nrecalc" / "templates").glob("*.j2"))
MODULES = sorted((ROOT / "nrecalc" / "render").glob("*.py"))


def _jinja_keys(node: nodes.Node) -> Iterator[str]:
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, nodes.CondExpr):
        yield from _jinja_keys(node.expr1)
        if node.expr2 is not None:
            yield from _jinja_keys(node.expr2)


def _python_keys(node: ast.expr) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _python_keys(node.body)
        yield from _python_keys(node.orelse)


def _looks_like_key(value: object) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"[a-z_]+(\.[a-z0-9_]+)+", value):
        return False
    return value.split(".")[0] in {key.split(".")[0] for key in words.EN}


def template_keys(path: Path) -> set[str]:
    """Return the keys a template asks for: say("...") and count("...", n)."""
    env = jinja2.Environment(extensions=["jinja2.ext.do"])
    tree = env.parse(path.read_text(encoding="utf-8"))
    return {
        key
        for call in tree.find_all(nodes.Call)
        if isinstance(call.node, nodes.Name) and call.node.name in {"say", "count"} and call.args
        for key in _jinja_keys(call.args[0])
    }


def _asks(func: ast.expr) -> bool:
    """Tell whether a call asks the catalog: say(...), count(...), words.say(...), ..."""
    if isinstance(func, ast.Name):
        return func.id in {"say", "count"}
    owner = getattr(func, "value", None)
    return (
        isinstance(func, ast.Attribute)
        and func.attr in {"say", "count"}
        and isinstance(owner, ast.Name)
        and owner.id in {"words", "WORDS"}
    )


def module_keys(path: Path) -> set[str]:
    """Return the keys a module asks for, and every text in it that reads like a key."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args and _asks(node.func):
            found.update(_python_keys(node.args[0]))
        elif isinstance(node, (ast.List, ast.Tuple)) and node.elts:
            values = [getattr(item, "value", None) for item in node.elts]
            if all(map(_looks_like_key, values)):  # keys in a list, asked for in a loop
                found.update(map(str, values))
    return found


@pytest.mark.parametrize("path", TEMPLATES + MODULES, ids=lambda path: path.name)
def test_every_key_asked_for_is_in_the_catalog(path: Path) -> None:
    keys = template_keys(path) if path.suffix == ".j2" else module_keys(path)
    assert sorted(keys - set(words.EN)) == []


def test_the_key_scan_sees_the_keys() -> None:
    assert {"document.title", "count.day", "term.risk"} <= template_keys(TEMPLATES[0])
    content = ROOT / "nrecalc" / "render" / "content.py"
    layout = ROOT / "nrecalc" / "render" / "layout.py"
    assert {"side.total", "party.supplier", "party.customer"} <= module_keys(content)
    assert {"sign.name", "figure.single_point"} <= module_keys(layout)


def test_no_two_entries_say_the_same() -> None:
    # One wording per concept: the same text under two keys is one concept asked two ways.
    seen: dict[str, str] = {}
    for key, entry in words.EN.items():
        assert str(entry) not in seen, f"{key} says what {seen[str(entry)]} says"
        seen[str(entry)] = key


def _strings_in_the_package() -> set[str]:
    """Return every string literal of nrecalc/ but the catalog's, and every template's text."""
    package = ROOT / "nrecalc"
    found: set[str] = set()
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # words.py's functions ask for entries; words_en.py's EN and words_zh.py's ZH hold them
        if path.name in {"words.py", "words_en.py", "words_zh.py"}:
            tree.body = [node for node in tree.body if not isinstance(node, ast.AnnAssign)]
        found.update(
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        )
    for path in (package / "templates").iterdir():
        found.update(re.findall(r"""["']([\w.]+)["']""", path.read_text(encoding="utf-8")))
    return found


def test_every_entry_is_used() -> None:
    # Keys asked for by prefix: option.<key> and carrier.<who> (words.label, words.carrier).
    by_prefix = ("option.", "carrier.")
    used = _strings_in_the_package()
    assert not [key for key in words.EN if key not in used and not key.startswith(by_prefix)]


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_counts_are_asked_with_count_and_texts_with_say(path: Path) -> None:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args and _asks(node.func):
            asked = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
            for key in _python_keys(node.args[0]):
                is_count = isinstance(words.EN.get(key), tuple)
                assert is_count == (asked == "count"), f"{path.name}: {asked}({key!r})"
