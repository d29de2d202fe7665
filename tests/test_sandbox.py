"""Company templates that cannot reach out or blow up, documents whose text stays inert, verify
that compares byte for byte (SPEC 4.2 "Every shown text is inert", SPEC 6 "Provenance and
verify", "Company templates")."""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, RATES
from test_verify import altered, make, run, same_quote

# --- verify: line ends byte for byte ------------------------------------------------------------


@pytest.mark.parametrize("separator", ["\x0b", "\x1c", "\u2028", "\r\n", "\r"])
@pytest.mark.parametrize(("fmt", "name"), [("markdown", "q.md"), ("html", "q.html")])
def test_a_document_with_other_line_ends_does_not_verify(
    here: Path, separator: str, fmt: str, name: str
) -> None:
    doc = make(fmt, name)
    text = doc.read_text(encoding="utf-8")
    assert run("verify", name, "est.yaml")[0] == 0
    # Every line break swapped: str.splitlines() would still see the same lines.
    swapped = text.replace("\n", separator)
    assert swapped.splitlines() == text.splitlines()
    doc.write_bytes(swapped.encode("utf-8"))
    code, out, err = run("verify", name, "est.yaml")
    assert (code, err) == (1, "")
    lines = out.splitlines()
    if separator == "\r\n":  # said once: the lines are the same, their ends are not
        first = f"{name}: error: its line ends differ from a fresh quote's (CRLF where nrecalc "
        first += "writes LF)"
    else:
        first = (
            f"{name}:1: error: the document breaks or ends lines with U+{ord(separator[0]):04X} "
            "where a fresh quote has a line feed"
        )
    assert lines[0] == first
    assert lines[-2:] == [altered(name), same_quote(name)]


def test_one_swapped_line_end_is_named_at_its_line(here: Path) -> None:
    doc = make("markdown", "q.md")
    text = doc.read_text(encoding="utf-8")
    line = 5
    at = [m.start() for m in re.finditer("\n", text)][line - 1]
    doc.write_bytes((text[:at] + "\u2028" + text[at + 1 :]).encode("utf-8"))
    code, out, _ = run("verify", "q.md", "est.yaml")
    assert code == 1
    assert out.splitlines()[0] == (
        f"q.md:{line}: error: the document breaks or ends lines with U+2028 "
        "where a fresh quote has a line feed"
    )


# --- verify: file names shown inert -------------------------------------------------------------

HOSTILE = "card\x1b]52;c;aGk=\x07\x1b[31m"  # OSC 52 (write the clipboard), then red


@pytest.mark.parametrize("matches", [True, False])
def test_verify_escapes_the_file_names_it_names(here: Path, matches: bool) -> None:
    os.rename("rates/default.yaml", f"rates/{HOSTILE}.yaml")
    make("markdown", "q.md", "--rates", f"rates/{HOSTILE}.yaml")
    if not matches:
        text = Path("q.md").read_text(encoding="utf-8")
        Path("q.md").write_text(text.replace("ACME Robotics", "ACME"), encoding="utf-8")
    code, out, err = run("verify", "q.md", "est.yaml", "--rates", f"rates/{HOSTILE}.yaml")
    assert code == (0 if matches else 1)
    for stream in (out, err):
        assert not any(c in stream for c in "\x1b\x07\r")
    summary = out.splitlines()[-1]
    assert r"card\x1b]52;c;aGk=\x07\x1b[31m.yaml" in summary


# --- CSS strings: an escape keeps the space after it --------------------------------------------


def test_a_css_escape_keeps_the_space_that_follows_it() -> None:
    from nrecalc.escape import css_string

    # CSS reads one space after an escape's hex digits as its end, six digits or not.
    assert css_string("Q-1 · page ") == '"Q-1 \\b7  page "'
    assert css_string('a"b c') == '"a\\22 b c"'
    assert css_string("a\\ b") == '"a\\5c  b"'


def test_the_page_footer_of_a_document_keeps_its_spaces(here: Path) -> None:
    code, out, _ = run("quote", "est.yaml", "--format", "html")
    assert code == 0
    assert 'content: "Quote Q-2026-0042 \\b7  page " counter(page)' in out


# --- Markdown: no autolinks from values ---------------------------------------------------------

LINKS = "see https://evil.example/x, WWW.evil.com or write to a.b+c@evil.example"


def with_links(path: Path) -> None:
    """Put URLs, a www. address and an e-mail address in the customer, a task, an assumption."""
    text = path.read_text(encoding="utf-8")
    for old, new in (
        ("customer: ACME Robotics", f'customer: "ACME {LINKS}"'),
        ("task: Reverse-push connector", f'task: "Connector {LINKS}"'),
        ("  - The customer provides", f'  - "Staging {LINKS}"\n  - The customer provides'),
    ):
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("audience", ["customer", "internal"])
def test_urls_and_addresses_in_values_do_not_become_markdown_links(
    here: Path, audience: str
) -> None:
    with_links(Path("est.yaml"))
    doc = make("markdown", "q.md", "--audience", audience)
    text = doc.read_text(encoding="utf-8")
    # GitHub links `scheme://`, `www.` and `local@domain` in text (the GFM autolink extension):
    # an escaped `:` or `.`, and a comment between `@` and the domain, leave them text.
    escaped = r"see https\://evil.example/x, WWW\.evil.com or write to a.b+c@<!-- -->evil.example"
    for where in ("ACME ", "Connector ", "Staging "):
        assert where + escaped in text
    body = text.split("<!-- nrecalc-provenance")[0]
    assert "://" not in body.replace(r"\://", "")
    assert not re.search(r"(?i)www\.", body)
    assert not re.search(r"@[0-9A-Za-z]", body)
    assert run("verify", "q.md", "est.yaml")[0] == 0


def test_markdown_escapes_keep_text_without_links_as_it_was(here: Path) -> None:
    from nrecalc.escape import markdown as escape_markdown

    assert escape_markdown("ratio 3:1, v1.2, user@, www") == "ratio 3:1, v1.2, user@, www"
    # GitHub also links and notifies an @mention: parted like an address.
    assert escape_markdown("ask @team") == "ask @<!-- -->team"


# --- company templates: limits checked before the work is done ----------------------------------

WIDE = "a field in the format string is too wide"
LARGE = "the result is too large"
# Each would build a gigabyte or more if it ran: each must be refused before it does.
HOSTILE_TEMPLATES = [
    ('{{ "x".ljust(10**9)|length }}', LARGE),
    ('{{ "x".rjust(10**9) }}', LARGE),
    ('{{ "x".center(10**9) }}', LARGE),
    ('{{ "x".zfill(10**9) }}', LARGE),
    ('{{ ("\\t" * 1000).expandtabs(10**6) }}', LARGE),
    (
        '{% set ns = namespace(s="x" * 1000) %}{% for i in range(5) %}'
        '{% set ns.s = ns.s.replace("x", "x" * 1000) %}{% endfor %}{{ ns.s|length }}',
        LARGE,
    ),
    ('{{ ("x" * 1000)|replace("x", "x" * 10**6) }}', LARGE),
    ('{{ ("x\\n" * 100000)|indent(10000) }}', LARGE),
    ('{{ ("x\\n" * 100000)|indent("y" * 10000) }}', LARGE),
    ('{{ (1).to_bytes(10**9, "big")|length }}', LARGE),
    ('{{ true.to_bytes(10**9, "big")|length }}', LARGE),
    ('{{ "x" * 10**9 }}', LARGE),
    ("{{ [0] * 10**9 }}", LARGE),
    ('{{ "%*s" % (10**9, "x") }}', WIDE),
    ('{{ "%.*f" % (10**9, 1.5) }}', WIDE),
    ('{{ "%1000000000s" % "x" }}', WIDE),
    ('{{ "%(a)1000000000s" % {"a": "x"} }}', WIDE),
    ('{{ "%s %*s"|format("a", 10**9, "x") }}', WIDE),
    ('{{ "{0:>{1}}".format("x", 10**9) }}', WIDE),
    ('{{ "{:{}}".format("x", 10**9) }}', WIDE),
    ('{{ "{:.1000000000f}".format(1.5) }}', WIDE),
    ('{{ "{a:>{w}}".format_map({"a": "x", "w": 10**9}) }}', WIDE),
    ('{{ "{:.1000000000_f}".format(1.5) }}', WIDE),  # a newer Python's grouping of decimals
    ('{{ "x"|center(10**9) }}', "center: a width above 10,000 is refused"),
    ('{{ ("x" * 10**6)|wordwrap(1, wrapstring="y" * 1000) }}', LARGE),
    ('{{ ("x" * 10**6)|join("y" * 1000) }}', LARGE),
    ('{{ ("y" * 1000).join("x" * 10**6) }}', LARGE),
    ('{{ (["x" * 10**6] * 1000)|join }}', LARGE),
    ('{{ (["x" * 10**6] * 1000)|map("string")|join }}', LARGE),
    ('{{ ["x" * 10**6] * 1000 }}', LARGE),
    ('{{ (["x" * 10**6] * 1000)|tojson }}', LARGE),
    ('{{ ("{}" * 1000).format(*(["x" * 10**6] * 1000)) }}', LARGE),
    ('{{ "{!r}".format(["x" * 10**6] * 1000) }}', LARGE),
    ('{{ ("%s" * 1000) % (("x" * 10**6,) * 1000) }}', LARGE),
    ("{{ [1]|batch(10**9, 0)|list }}", "batch: a width above 10,000 is refused"),
    (  # output kept in a block to be joined: counted as it grows, not at the end
        "{% set x %}{% for a in range(100000) %}{% for b in range(100) %}"
        + "x" * 100
        + "{% endfor %}{% endfor %}{% endset %}{{ x|length }}",
        LARGE,
    ),
    (
        "{% macro m() %}{% for a in range(100000) %}{% for b in range(100) %}"
        + "x" * 100
        + "{% endfor %}{% endfor %}{% endmacro %}{{ m()|length }}",
        LARGE,
    ),
    ('{% import "big.j2" as big %}{{ big|length }}', LARGE),  # its body is kept in a list
    (  # nrecalc's own filter is counted too: 9 bytes a character at most
        '{% for i in range(10) %}{% set s = ("x" * 10**6)|css_string %}{% endfor %}',
        LARGE,
    ),
    ("{{ lipsum(10**6) }}", "lipsum: a width above 10,000 is refused"),
    # Doubling a value: each step is small, the sum is not.
    (
        '{% set ns = namespace(s="x" * 10**6) %}{% for i in range(40) %}'
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
        LARGE,
    ),
    (
        '{% set ns = namespace(s="x" * 10**6) %}{% for i in range(40) %}'
        "{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}",
        LARGE,
    ),
    ('{% set l = ["x"] %}{% for i in range(40) %}{% do l.extend(l) %}{% endfor %}', LARGE),
    (
        '{% set l = [] %}{% for i in range(100) %}{% do l.append("x" * 10**6 ~ i) %}{% endfor %}',
        LARGE,
    ),
    (  # big numbers kept in a list: what goes into a container counts
        "{% set l = [] %}{% set ns = namespace(x=3) %}{% for i in range(16) %}"
        "{% set ns.x = ns.x * ns.x %}{% endfor %}"
        "{% for i in range(100000) %}{% do l.append(ns.x + i) %}{% endfor %}",
        LARGE,
    ),
    (  # a slice is a copy
        '{% set ns = namespace(k=none) %}{% set big = "x" * 60000000 %}'
        "{% for i in range(20) %}{% set ns.k = [ns.k, big[i + 1:]] %}{% endfor %}",
        LARGE,
    ),
    (
        "{% set ns = namespace(k=none) %}{% set l = range(100000)|list %}"
        "{% for i in range(3000) %}{% set ns.k = [ns.k, l[:]] %}{% endfor %}",
        LARGE,
    ),
    ("{{ (range(100000)|list)|tojson(indent=10000)|length }}", LARGE),
    ("{{ (range(100000)|batch(1)|list)|sum(start=[])|length }}", "sum adds numbers only"),
]

_DRIVER = """
import json, resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GiB for the whole process
from typer.testing import CliRunner
from nrecalc.cli import app
found = []
for template in json.loads(sys.stdin.read()):
    Path("t.j2").write_text(template + "\\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["quote", "est.yaml", "--format", "note", "--template", "t.j2"]
    )
    found.append([result.exit_code, result.stdout, result.stderr])
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def hostile_results(tmp_path_factory: pytest.TempPathFactory) -> list[list[object]]:
    """Render every hostile template in one real process held to 1 GiB of address space."""
    folder = tmp_path_factory.mktemp("hostile")
    shutil.copy(EXAMPLES / "reverse-push.yaml", folder / "est.yaml")
    (folder / "rates").mkdir()
    shutil.copy(RATES / "default.yaml", folder / "rates" / "default.yaml")
    (folder / "big.j2").write_text(
        "{% for a in range(100000) %}{% for b in range(100) %}" + "x" * 100 + "{% endfor %}"
        "{% endfor %}",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-c", _DRIVER],
        input=json.dumps([template for template, _ in HOSTILE_TEMPLATES]),
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=600,  # a guard against a hang, not a measure of speed
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results: list[list[object]] = json.loads(done.stdout)
    return results


@pytest.mark.parametrize(("index", "case"), list(enumerate(HOSTILE_TEMPLATES)))
def test_a_template_is_refused_before_it_builds_too_much(
    hostile_results: list[list[object]], index: int, case: tuple[str, str]
) -> None:
    template, message = case
    place = "big.j2" if "big.j2" in template else "t.j2"  # the file the work was done in
    # One located line naming the limit, not "out of memory": the 1 GiB the process had was
    # never needed, so the work was refused before it was done.
    assert hostile_results[index] == [1, "", f"{place}:1: error: template: {message}\n"]


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{{ "Acct 12345678 %s"|format(quote.id) }}', "Acct 12345678 Q-2026-0042"),
        ('{{ "%-10s|"|format("ab") }}', "ab        |"),
        ('{{ "abcdef"[1:3] }}{{ [1, 2, 3][::2]|sum }}', "bc4"),
        ("{{ [1, 2]|tojson(indent=2)|length }}", "12"),
        ('{{ "%-10s|" % "ab" }}', "ab        |"),
        ('{{ "%(n)05.1f" % {"n": 3.14159} }}', "003.1"),
        ('{{ "100%% %s" % "done" }}', "100% done"),
        ('{{ "ab".ljust(20) }}|', "ab                  |"),
        ('{{ "{:>8}|{:,.2f}".format("ab", 1234.5) }}', "      ab|1,234.50"),
        ('{{ "{n:%Y-%m-%d}".format(n=none) if false else "{:^7}".format("ab") }}', "  ab   "),
        ('{{ "x"|center(9) }}|', "    x    |"),
        ('{{ "a\\nb"|indent(2) }}', "a\n  b"),
        ('{{ "a b c"|wordwrap(2) }}', "a\nb\nc"),
        ('{{ "ab"|replace("a", "xx") }}', "xxb"),
        ('{{ "-".join(["a", "b"]) }}|{{ [1, 2]|join(",") }}', "a-b|1,2"),
        ('{{ "ab" ~ 1 ~ quote.id }}', "ab1Q-2026-0042"),
        (
            "{{ custom.payment|map(attribute='milestone')|join(', ') }}",
            "Signing, Delivery, Acceptance",
        ),
        ("{{ ('x' * 100)|length }} {{ [0] * 3 }}", "100 [0, 0, 0]"),
        ('{{ say("option.standard") }}|{{ count("count.week", 3) }}', "Standard|3 weeks"),
    ],
)
def test_ordinary_templates_still_render(here: Path, template: str, expected: str) -> None:
    Path("t.j2").write_text(template, encoding="utf-8")
    code, out, err = run("quote", "est.yaml", "--format", "note", "--template", "t.j2")
    assert (code, err) == (0, "")
    assert out == expected


@pytest.mark.parametrize(("times", "code"), [(60, 0), (70, 1)])
def test_the_budget_counts_what_a_template_builds_in_all(here: Path, times: int, code: int) -> None:
    # Each value is small; the 64 MiB a template may build hold for all of them together.
    Path("t.j2").write_text(
        f'{{% for i in range({times}) %}}{{% set s = "x" * 2**20 %}}{{% endfor %}}ok',
        encoding="utf-8",
    )
    result = run("quote", "est.yaml", "--format", "note", "--template", "t.j2")
    assert result == (
        code,
        "ok" if code == 0 else "",
        "" if code == 0 else f"t.j2:1: error: template: {LARGE}\n",
    )


# --- company templates: {% include %} reads only the template's own folder ----------------------


@pytest.fixture
def folder(here: Path) -> Path:
    """A company template folder `tpl/` with a part in a subfolder, and a secret beside it."""
    Path("secret.txt").write_text("SECRET\n", encoding="utf-8")
    Path("tpl/parts").mkdir(parents=True)
    Path("tpl/parts/head.j2").write_text("Head {{ quote.id }}\n", encoding="utf-8")
    Path("tpl/.hidden.md").write_text("SECRET\n", encoding="utf-8")
    return here / "tpl"


NOTE = ("--format", "note", "--template")


def include(name: str) -> tuple[int, str, str]:
    Path("tpl/t.j2").write_text(f'one\n{{% include "{name}" %}}\n', encoding="utf-8")
    return run("quote", "est.yaml", "--format", "note", "--template", "tpl/t.j2")


def test_a_template_includes_parts_of_its_own_folder(folder: Path) -> None:
    os.symlink("parts/head.j2", "tpl/link.j2")  # a link that stays inside the folder
    for name in ("parts/head.j2", "link.j2"):
        assert include(name) == (0, "one\nHead Q-2026-0042\n", "")


@pytest.mark.parametrize(
    ("name", "make", "why"),
    [
        ("../secret.txt", None, "a template may include only files in its own folder"),
        ("parts/../../secret.txt", None, "a template may include only files in its own folder"),
        ("/etc/passwd", None, "a template may include only files in its own folder"),
        (".hidden.md", None, "hidden files are not included"),
        (".git/config", ".git", "hidden files are not included"),
        ("passwd.j2", "/etc/passwd", "it leads out of the template's folder"),
        ("secret.j2", "../secret.txt", "it leads out of the template's folder"),
        ("out/secret.txt", "..", "it leads out of the template's folder"),
        ("shown.j2", ".hidden.md", "hidden files are not included"),
        ("fifo.j2", "fifo", "not a regular file"),
        ("parts", None, "not a regular file"),
    ],
)
def test_an_include_out_of_the_folder_is_refused(
    folder: Path, name: str, make: str | None, why: str
) -> None:
    if make == ".git":
        (folder / ".git").mkdir()
        (folder / ".git" / "config").write_text("SECRET\n", encoding="utf-8")
    elif make == "fifo":
        os.mkfifo(folder / name)
    elif make is not None:
        (folder / name.split("/")[0]).symlink_to(make)
    if make == "fifo":  # a real process: were the FIFO opened, it would wait for ever
        Path("tpl/t.j2").write_text(f'one\n{{% include "{name}" %}}\n', encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "nrecalc", "quote", "est.yaml", *NOTE, "tpl/t.j2"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        code, out, err = done.returncode, done.stdout, done.stderr
    else:
        code, out, err = include(name)
    assert (code, out, err) == (1, "", f"tpl/t.j2:2: error: template: include {name!r}: {why}\n")


def test_a_missing_include_is_named(folder: Path) -> None:
    assert include("nothere.j2") == (
        1,
        "",
        "tpl/t.j2:2: error: template: include 'nothere.j2': no such template in the "
        "template's folder\n",
    )


def test_an_include_that_is_not_utf8_is_named_at_its_own_place(folder: Path) -> None:
    (folder / "bad.j2").write_bytes(b"ok\n\xff\n")
    code, out, err = include("bad.j2")
    assert (code, out) == (1, "")
    assert err.startswith("tpl/bad.j2:2:1: error: not UTF-8 text")


# --- company templates: the time limit holds in any thread, with no signal ----------------------

MINUTES = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n"


def test_the_time_limit_holds_in_the_main_thread_and_in_a_worker(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading
    import time

    from nrecalc.errors import InputError
    from nrecalc.render import sandbox

    assert _render_company("{{ quote.id }}\n", "note") == "Q-2026-0042\n"
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 1)
    found: list[tuple[str, float]] = []

    def render() -> None:
        started = time.monotonic()
        try:
            _render_company(MINUTES, "note")  # ten billion turns of an empty loop
        except InputError as exc:
            found.append((str(exc), time.monotonic() - started))

    render()
    worker = threading.Thread(target=render)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive()
    assert [message for message, _ in found] == [
        "t.j2:1: error: template: stopped after 1 seconds"
    ] * 2
    assert all(seconds < 5 for _, seconds in found), found


def test_a_render_installs_no_alarm_handler(here: Path) -> None:
    import signal
    from datetime import date

    from nrecalc.choices import Audience, Format
    from nrecalc.company import load_template
    from nrecalc.pipeline import make_quote
    from nrecalc.render.document import context
    from nrecalc.render.sandbox import render_company

    def host(signum: int, frame: object) -> None:
        raise AssertionError("the host's alarm rang during the test")

    seen: list[object] = []
    Path("t.j2").write_text("{% for i in range(3) %}{{ probe() }}{% endfor %}", encoding="utf-8")
    quote, _ = make_quote(Path("est.yaml"), today=date(2026, 11, 22))
    template = load_template(Path("t.j2"))
    data = context(quote, Format.note, Audience.customer, template)

    def probe() -> str:
        seen.append(signal.getsignal(signal.SIGALRM))
        return ""

    previous = signal.signal(signal.SIGALRM, host)
    try:
        assert render_company(template, data, autoescape=False, globals={"probe": probe}) == ""
        assert signal.getsignal(signal.SIGALRM) is host
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert seen == [host] * 3


def test_the_time_limit_leaves_a_host_programs_timer_running(here: Path) -> None:
    import signal

    def host(signum: int, frame: object) -> None:
        raise AssertionError("the host's alarm rang during the test")

    Path("t.j2").write_text("{{ quote.id }}\n", encoding="utf-8")
    previous = signal.signal(signal.SIGALRM, host)
    signal.setitimer(signal.ITIMER_REAL, 1000)
    try:
        assert run("quote", "est.yaml", "--format", "note", "--template", "t.j2")[0] == 0
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0 < left <= 1000
        assert signal.getsignal(signal.SIGALRM) is host
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- what a template writes is inert ------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "line", "column", "found"),
    [
        ("# Quote\n{\u200b# note #}\n", 2, 2, "U+200B"),
        ("# Quote\n\x1b]52;c;SGVsbG8=\x07\n", 2, 1, "U+001B"),
        ("ok\n\u202ereversed\n", 2, 1, "U+202E"),
    ],
)
def test_a_template_holding_a_hidden_character_is_refused_where_it_stands(
    here: Path, template: str, line: int, column: int, found: str
) -> None:
    Path("t.j2").write_text(template, encoding="utf-8")
    code, out, err = run("quote", "est.yaml", "--format", "markdown", "--template", "t.j2")
    assert (code, out) == (1, "")
    assert err.startswith(f"t.j2:{line}:{column}: error: template: "), err
    assert err.endswith(f"(found {found})\n") and err.count("\n") == 1, err


@pytest.mark.parametrize("expression", ["'\\u200b'", "'\\x1b[31m'", "'a\\rb'"])
def test_a_template_cannot_write_a_hidden_character(here: Path, expression: str) -> None:
    Path("t.j2").write_text(f"# {{{{ quote.id }}}}\n\n{{{{ {expression} }}}}\n", encoding="utf-8")
    code, out, err = run("quote", "est.yaml", "--format", "markdown", "--template", "t.j2")
    assert (code, out) == (1, "")
    assert err.startswith("t.j2: error: template: line 3 of the output must not contain "), err
    assert not any(c in err for c in "\x1b\u200b\r")


def test_a_template_may_write_tabs(here: Path) -> None:
    Path("t.j2").write_text("a\tb {{ quote.id }}\n", encoding="utf-8")
    assert run("quote", "est.yaml", "--format", "markdown", "--template", "t.j2")[:2] == (
        0,
        "a\tb Q-2026-0042\n",
    )


def test_a_change_in_white_space_only_is_named_as_such(here: Path) -> None:
    doc = make("markdown", "q.md")
    text = doc.read_text(encoding="utf-8")
    edited = text.replace("- **Customer:** ACME", "- **Customer:**  ACME", 1)
    assert edited != text
    doc.write_text(edited, encoding="utf-8")
    code, out, _ = run("verify", "q.md", "est.yaml")
    assert code == 1
    assert out.startswith(
        "q.md:3: error: the document differs from a fresh quote in white space only "
        "(a space added, removed or changed): '- **Customer:**  ACME Robotics'\n"
    ), out


def test_an_include_may_name_its_folder_as_dot(here: Path) -> None:
    Path("tpl/sub").mkdir(parents=True)
    Path("tpl/sub/part.j2").write_text("part {{ quote.id }}\n", encoding="utf-8")
    Path("tpl/main.j2").write_text('{% include "./sub/part.j2" %}\n', encoding="utf-8")
    code, out, err = run("quote", "est.yaml", "--format", "markdown", "--template", "tpl/main.j2")
    assert (code, out, err) == (0, "part Q-2026-0042\n", "")
    Path("tpl/main.j2").write_text('{% include "./../est.yaml" %}\n', encoding="utf-8")
    code, out, err = run("quote", "est.yaml", "--format", "markdown", "--template", "tpl/main.j2")
    assert (code, out) == (1, "")
    assert err.startswith("tpl/main.j2:1: error: template: include './../est.yaml': "), err


def test_an_error_message_a_template_makes_is_cut(here: Path) -> None:
    Path("t.j2").write_text('{{ {}.pop("x" * 1000000) }}\n', encoding="utf-8")
    code, out, err = run("quote", "est.yaml", "--format", "markdown", "--template", "t.j2")
    assert (code, out) == (1, "")
    assert err.startswith("t.j2:1: error: template: KeyError: ") and len(err) < 300, err[:400]


def test_a_template_writes_no_more_than_verify_reads() -> None:
    # The renderer does not import the loader; the two caps are one number.
    from nrecalc.loader import MAX_BYTES
    from nrecalc.render.sandbox import MAX_OUTPUT

    assert MAX_OUTPUT == MAX_BYTES


# --- company templates: the template's errors are its own, nrecalc's bugs are not ----------------

HUGE = (  # an int of about 16,000 digits, more than Python turns into text
    "{% set ns = namespace(x=3) %}{% for i in range(15) %}{% set ns.x = ns.x * ns.x %}{% endfor %}"
)
# What a template may do wrong with nrecalc's helpers and the sandbox's checks: each is one
# located line, in nrecalc's words where nrecalc refuses, never a traceback.
WRONG_TEMPLATES = [
    ("{{ markdown_table(5) }}", "markdown_table: expected one of the document's tables, got int"),
    ("{{ markdown_table() }}", None),
    (
        "{% do tables.payment.rows.append(5) %}{{ markdown_table(tables.payment) }}",
        "markdown_table: the table was changed: each row must hold one text per header",
    ),
    (
        "{% do tables.payment.rows[0].cells.append('x') %}{{ markdown_table(tables.payment) }}",
        "markdown_table: the table was changed: each row must hold one text per header",
    ),
    (
        # one cell a million wide, in 60,000 rows: padded, 60 GB
        "{% set row = tables.payment.rows[0] %}{% do tables.payment.rows.extend([row] * 60000) %}"
        '{% do row.cells.pop(0) %}{% do row.cells.insert(0, "x" * 10**6) %}'
        "{{ markdown_table(tables.payment)|length }}",
        "markdown_table: the table is too large to lay out",
    ),
    ('{{ say("nope") }}', "say: no entry 'nope' in the catalog"),
    ("{{ say(5) }}", "say: the key must be text, got int"),
    ('{{ say("count.week") }}', "say: count.week is a count"),
    ('{{ count("option.standard", 1) }}', "count: option.standard is not a count"),
    ('{{ say("sentence.custom_more") }}', "say: the entry needs amount="),
    (
        '{{ say("compare.standard", x=["x" * 10**6] * 1000) }}',
        "say: x must be text or a number below a billion",
    ),
    ('{{ count("count.week", "x") }}', "count: n must be a number below a billion"),
    ('{{ count("count.week", 10**100) }}', "count: n must be a number below a billion"),
    ('{{ count("count.week", 3, n=4) }}', "count: n is given twice"),
    ("{{ 5|css_string }}", "css_string: expected text, got int"),
    ("{{ nothing|css_string }}", "'nothing' is undefined"),
    ('{{ "x"|css_string(1) }}', None),
    ('{{ "x"|center(foo=1) }}', None),
    ("{{ 5|length }}", None),
    ("{{ 5|list }}", None),
    ("{{ 5|reverse }}", None),
    ("{{ [1]|tojson(indent=1.5) }}", None),
    ('{{ "abc"["a":] }}', None),
    ('{{ "abc"[::0] }}', None),
    ('{{ "".join(5) }}', None),
    ('{{ "{}".format_map(1, 2) }}', "format_map() takes exactly one argument"),
    ('{{ "%' + "9" * 5000 + 's" % 1 }}', "a field in the format string is too wide"),
    ('{{ "{:' + "9" * 5000 + '}".format(1) }}', "a field in the format string is too wide"),
    (HUGE + "{{ ns.x }}", None),  # Markdown's finalizer is handed text it cannot be
    (HUGE + "{{ ns.x|format }}", None),
    (HUGE + "{{ ns.x|css_string }}", "css_string: expected text, got int"),
    (HUGE + "{{ {}[ns.x] }}", None),
    (HUGE + "{{ {}.pop(ns.x) }}", "KeyError"),  # a message that cannot be shown is left out
    (
        '{% set d = {"a": 1} %}{% for k in d %}{% do d.update({k ~ "x": 1}) %}{% endfor %}',
        None,
    ),
    ("{% for x in 5 %}{% endfor %}", None),
    ('{% set x = "1e999"|float %}{{ x }}', None),  # Jinja writes inf into the compiled code
    ('{{ "x"|truncate(length=-5) }}', None),  # an assert in Jinja's own filter
    ("{{ undefined_name is foo }}", None),  # no such test: Jinja's error
]


@pytest.mark.parametrize(("template", "message"), WRONG_TEMPLATES)
def test_a_wrong_template_is_one_located_error(
    here: Path, template: str, message: str | None
) -> None:
    Path("t.j2").write_text(template + "\n", encoding="utf-8")
    code, out, err = run("quote", "est.yaml", "--format", "markdown", "--template", "t.j2")
    assert (code, out) == (1, "")
    assert re.fullmatch(r"t\.j2:1: error: template: \S[^\n]*\n", err), err[:300]
    if message is not None:
        assert err == f"t.j2:1: error: template: {message}\n"


class _Broken(dict[str, str]):
    """A table whose lookup fails inside the standard library, as a bug there would."""

    def __getitem__(self, key: str) -> str:
        import json

        json.loads("{bad")  # raises in json's frame, not ours
        raise AssertionError("unreachable")


def _render_company(text: str, fmt: str) -> str:
    from datetime import date

    from nrecalc.choices import Audience, Format
    from nrecalc.company import load_template
    from nrecalc.pipeline import make_quote
    from nrecalc.render.document import render

    Path("t.j2").write_text(text, encoding="utf-8")
    quote, _ = make_quote(Path("est.yaml"), today=date(2026, 11, 22))
    return render(quote, Format(fmt), Audience.customer, load_template(Path("t.j2")))


@pytest.mark.parametrize(
    ("module", "name", "bug", "fmt", "template"),
    [  # each a helper that fails as a bug would: a KeyError raised in nrecalc's own code
        (
            "nrecalc.render.layout",
            "display_width",
            {}.__getitem__,
            "markdown",
            "{{ markdown_table(tables.payment) }}",
        ),
        ("nrecalc.escape", "_MD_ENTITIES", {}, "markdown", "{{ '<b>' }}"),
        ("nrecalc.escape", "ord", {}.__getitem__, "html", "{{ 'a;b'|css_string }}"),
        ("nrecalc.render.budget", "chars", {}.__getitem__, "note", "text"),
        ("nrecalc.render.budget", "_number", {}.__getitem__, "note", '{{ "%5s" % "x" }}'),
        # a bug that raises inside the standard library is nrecalc's all the same
        ("nrecalc.escape", "_MD_ENTITIES", _Broken(), "markdown", "{{ '<b>' }}"),
    ],
)
def test_a_bug_in_nrecalcs_own_code_is_not_blamed_on_the_template(
    here: Path,
    monkeypatch: pytest.MonkeyPatch,
    module: str,
    name: str,
    bug: object,
    fmt: str,
    template: str,
) -> None:
    assert _render_company(template, fmt)  # renders without the bug
    monkeypatch.setattr(importlib.import_module(module), name, bug, raising=name != "ord")
    with pytest.raises(ValueError if isinstance(bug, _Broken) else KeyError):
        _render_company(template, fmt)


def test_a_template_with_too_many_tokens_is_refused_before_it_compiles(here: Path) -> None:
    from nrecalc.render.sandbox import MAX_TOKENS

    # 300,000 tokens in one list: compiling it would take many seconds, past the clock's reach
    Path("t.j2").write_text("{{ [" + "1," * (MAX_TOKENS // 2 + 50_000) + "1] }}\n")
    code, out, err = run("quote", "est.yaml", "--format", "note", "--template", "t.j2")
    assert (code, out) == (1, "")
    assert err == "t.j2: error: template: the template has more than 200,000 tokens\n"


def test_the_clock_runs_while_a_template_is_read(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nrecalc.render import sandbox

    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.05)
    Path("t.j2").write_text("{{ [" + "1," * 90_000 + "1] }}\n")  # under the cap; slow to read
    code, out, err = run("quote", "est.yaml", "--format", "note", "--template", "t.j2")
    assert (code, out, err) == (1, "", "t.j2: error: template: stopped after 0.05 seconds\n")


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("markdown", "appendix.md.j2"), ("html", "appendix.html.j2"), ("note", "note.txt.j2")],
)
def test_a_copy_of_a_built_in_template_renders_as_the_built_in(
    here: Path, fmt: str, name: str
) -> None:
    """A company starts from ours: a copy must work in the sandbox and say the same."""
    shutil.copy(Path(__file__).parents[1] / "nrecalc" / "templates" / name, "t.j2")
    code, ours, err = run("quote", "est.yaml", "--format", fmt)
    assert (code, err) == (0, "")
    code, theirs, err = run("quote", "est.yaml", "--format", fmt, "--template", "t.j2")
    assert (code, err) == (0, "")

    def without_provenance(text: str) -> list[str]:  # the marker names the template and seals
        return [line for line in text.splitlines() if "nrecalc-provenance:" not in line]

    assert without_provenance(theirs) == without_provenance(ours)
