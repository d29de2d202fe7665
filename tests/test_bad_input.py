"""Bad, hostile and huge input to `nrecalc quote` (SPEC 2, 4 and 9).

The contract for every case: exit code 1; stderr holds only lines of the form
`PATH:LINE:COL: error: FIELD: message` (no field for YAML syntax errors, `PATH: error: message`
when there is no position); no traceback anywhere; nothing on stdout; and with `-o OUT` neither
OUT nor a temp file is left behind.

Inputs are built in tmp_path (which is also the current folder, so paths print short), mostly by
changing one thing in the shipped reverse-push example, with a copy of the shipped rate card in
rates/ beside it. Positions are computed from the edited text, so each exact line pins the file,
line, column, field and message the user sees.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from nrecalc.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = (ROOT / "examples" / "reverse-push.yaml").read_text(encoding="utf-8")
CARD = (ROOT / "rates" / "default.yaml").read_text(encoding="utf-8")
ROLES = ", ".join(sorted(yaml.safe_load(CARD)["roles"]))

EST = "est.yaml"
CARD_BESIDE = "rates/default.yaml"
MIB8 = 8 * 1024 * 1024

# PATH:LINE:COL: error: rest   or   PATH: error: rest
ERROR_LINE = re.compile(r"[^:\s][^:]*(?::[1-9][0-9]*:[1-9][0-9]*)?: error: \S.*")
VALUE = r"(?P<v>[^#\n]*[^#\s])"  # a value up to its trailing comment

# Where things are in the example and the card (first match wins).
BUILD = r"(?s)\n  build:.*?\n      {key}: " + VALUE
PER_UPGRADE = r"(?s)\n  per_upgrade:.*?\n      {key}: " + VALUE
TOP = r"(?m)^{key}: " + VALUE
ROLE_RATE = r"(?m)^  {key}: " + VALUE

RUNNER = CliRunner()


# --- building inputs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """Text with one change, and the 1-based line and column where the change starts."""

    text: str
    line: int
    column: int
    offset: int


def position(text: str, offset: int) -> tuple[int, int]:
    """Return the 1-based line and column of offset in text."""
    start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - start + 1


def edit(text: str, pattern: str, new: str) -> Edit:
    """Replace group `v` of pattern's first match with new."""
    match = re.search(pattern, text)
    assert match is not None, f"{pattern!r} not found: the example changed?"
    start, end = match.span("v")
    line, column = position(text, start)
    return Edit(text[:start] + new + text[end:], line, column, start)


def insert_after(text: str, line_pattern: str, new_line: str) -> Edit:
    """Insert new_line after the first line matching line_pattern."""
    return edit(text, rf"(?m)^{line_pattern}.*\n(?P<v>)", new_line)


def at(text: str, needle: str) -> tuple[int, int]:
    """Return the 1-based line and column of needle's only occurrence in text."""
    assert text.count(needle) == 1, needle
    return position(text, text.index(needle))


def root_line(text: str) -> int:
    """Return the line of the first key of the root mapping (after the leading comments)."""
    match = re.search(r"(?m)^[a-z_]+:", text)
    assert match is not None
    return position(text, match.start())[0]


def write_inputs(
    folder: Path, estimate: str | bytes = EXAMPLE, card: str | bytes | None = CARD
) -> None:
    """Write est.yaml and, unless card is None, rates/default.yaml beside it."""
    write(folder / EST, estimate)
    if card is not None:
        write(folder / CARD_BESIDE, card)


def write(path: Path, content: str | bytes) -> None:
    """Write text as UTF-8, or bytes as they are, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def line(path: str, where: tuple[int, int] | None, field: str | None, message: str) -> str:
    """Format one expected stderr line."""
    place = path if where is None else f"{path}:{where[0]}:{where[1]}"
    return f"{place}: error: {field + ': ' if field else ''}{message}"


# --- running and checking ----------------------------------------------------------------------


def check_stderr(stderr: str) -> list[str]:
    """Check stderr is one or more error lines of the contract's form; return them."""
    assert "Traceback" not in stderr, stderr
    assert stderr.endswith("\n"), repr(stderr)
    lines = stderr.splitlines()
    assert lines
    assert [text for text in lines if not ERROR_LINE.fullmatch(text)] == [], stderr
    return lines


def check_result(result: Result) -> list[str]:
    """Check one CliRunner result against the bad-input contract; return its stderr lines."""
    if result.exc_info is not None and not isinstance(result.exception, SystemExit):
        pytest.fail("uncaught exception:\n" + "".join(traceback.format_exception(*result.exc_info)))
    assert result.exit_code == 1, (result.exit_code, result.stderr)
    assert result.stdout == "", result.stdout
    assert "Traceback" not in result.output
    return check_stderr(result.stderr)


def fails(folder: Path, *args: str) -> list[str]:
    """Run `nrecalc quote ARGS` in folder, plain and with -o; check the contract; return stderr.

    The test must have made folder the current directory (monkeypatch.chdir).
    """
    assert Path.cwd() == folder
    lines = check_result(RUNNER.invoke(app, ["quote", *args]))
    out = folder / "out"
    out.mkdir(exist_ok=True)
    result = RUNNER.invoke(app, ["quote", *args, "--format", "json", "-o", "out/quote.json"])
    assert check_result(result) == lines
    assert sorted(p.name for p in out.iterdir()) == []  # no quote.json, no .quote.json.*.tmp
    return lines


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh folder that is also the current folder."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- the baseline: the unchanged inputs are fine -----------------------------------------------


def test_unchanged_example_and_card_quote_fine(here: Path) -> None:
    write_inputs(here)
    for args in ([EST], [EST, "--rates", CARD_BESIDE]):
        result = RUNNER.invoke(app, ["quote", *args, "--format", "json"])
        assert result.exit_code == 0, result.stderr
        assert result.stderr == ""
        assert '"schema_version": 2' in result.stdout


# --- numbers: engineers, weeks, rates ----------------------------------------------------------

RANGE = "{low: 2, likely: 3, high: 6}"
WEEKS = [
    ("-1", "must be positive, got -1"),
    ("0", "must be positive, got 0"),
    ("0.0", "must be positive, got 0.0"),
    (".nan", ".nan is not a finite number"),
    (".NaN", ".NaN is not a finite number"),
    (".inf", ".inf is not a finite number"),
    ("-.Inf", "-.Inf is not a finite number"),
    ("true", f"expected a number of weeks, or a range as {RANGE}, got a boolean (true)"),
    ('"1"', "expected a number, got text '1'; write it without quotes or separators"),
    ("'1.5'", "expected a number, got text '1.5'; write it without quotes or separators"),
    ("one", f"expected a number of weeks, or a range as {RANGE}, got text 'one'"),
    ("10001", "10001 is more than the limit of 10,000"),
    ("1.0000001", "1.0000001 has more than 6 decimal places"),
]
ENGINEERS = [
    ("-2", "must be from 1 to 10,000, got -2"),
    ("0", "must be from 1 to 10,000, got 0"),
    (".nan", ".nan is not a finite number"),
    (".inf", ".inf is not a finite number"),
    ("false", "expected a whole number, got a boolean (false)"),
    ('"2"', "expected a whole number, got text '2'"),
    ("1.5", "must be a whole number, got 1.5"),
    ("2.0", "must be a whole number, got 2.0"),
    ("10001", "must be from 1 to 10,000, got 10001"),
]
RATES = [
    ("-25000", "must not be negative, got -25000"),
    (".nan", ".nan is not a finite number"),
    (".inf", ".inf is not a finite number"),
    ("true", "expected a number, got a boolean (true)"),
    ('"25000"', "expected a number, got text '25000'; write it without quotes or separators"),
    ("25000.0000001", "25000.0000001 has more than 6 decimal places"),
    ("1000000000000000", "1000000000000000 is too large (money must be below 10^15)"),
]


NUMBERS = [("weeks", v, m) for v, m in WEEKS] + [("engineers", v, m) for v, m in ENGINEERS]


@pytest.mark.parametrize(("key", "value", "message"), NUMBERS)
def test_bad_per_upgrade_number_is_the_one_error(
    here: Path, key: str, value: str, message: str
) -> None:
    changed = edit(EXAMPLE, PER_UPGRADE.format(key=key), value)
    write_inputs(here, changed.text)
    expected = line(EST, (changed.line, changed.column), f"custom.per_upgrade[0].{key}", message)
    assert fails(here, EST) == [expected]


@pytest.mark.parametrize(("key", "value", "message"), NUMBERS)
def test_bad_build_number_is_reported_at_its_place(
    here: Path, key: str, value: str, message: str
) -> None:
    changed = edit(EXAMPLE, BUILD.format(key=key), value)
    write_inputs(here, changed.text)
    expected = line(EST, (changed.line, changed.column), f"custom.build[0].{key}", message)
    assert expected in fails(here, EST)


@pytest.mark.parametrize(("key", "value"), [("weeks", "0"), ("engineers", "1.5")])
def test_bad_build_number_is_the_one_error(here: Path, key: str, value: str) -> None:
    changed = edit(EXAMPLE, BUILD.format(key=key), value)
    write_inputs(here, changed.text)
    assert len(fails(here, EST)) == 1


def test_number_is_echoed_as_written(here: Path) -> None:
    changed = edit(EXAMPLE, PER_UPGRADE.format(key="weeks"), "0.0000001")
    write_inputs(here, changed.text)
    message = "0.0000001 has more than 6 decimal places"
    expected = line(EST, (changed.line, changed.column), "custom.per_upgrade[0].weeks", message)
    assert fails(here, EST) == [expected]


@pytest.mark.parametrize(("value", "message"), RATES)
def test_bad_rate_in_the_card_beside_is_the_one_error(here: Path, value: str, message: str) -> None:
    changed = edit(CARD, ROLE_RATE.format(key="engineer"), value)
    write_inputs(here, card=changed.text)
    expected = line(CARD_BESIDE, (changed.line, changed.column), "roles.engineer", message)
    assert fails(here, EST) == [expected]


def test_zero_rate_is_valid_money(here: Path) -> None:
    """SPEC 2.1: rates are non-negative money, so 0 is a rate (a free role), not an error."""
    write_inputs(here, card=edit(CARD, ROLE_RATE.format(key="engineer"), "0").text)
    result = RUNNER.invoke(app, ["quote", EST, "--format", "json"])
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    ("pattern", "value", "field", "message"),
    [
        (
            r"(?s)\ncustom:.*?\n  term_years: " + VALUE,
            "0",
            "custom.term_years",
            "must be from 1 to 50, got 0",
        ),
        (
            r"(?s)\ncustom:.*?\n  upgrades_per_year: " + VALUE,
            "-1",
            "custom.upgrades_per_year",
            "must be from 0 to 365, got -1",
        ),
        (
            r"(?s)\nstandard:.*?\n  coaching_days: " + VALUE,
            "-1",
            "standard.coaching_days",
            "must not be negative, got -1",
        ),
    ],
    ids=["term_years", "upgrades_per_year", "coaching_days"],
)
def test_other_out_of_range_numbers(
    here: Path, pattern: str, value: str, field: str, message: str
) -> None:
    changed = edit(EXAMPLE, pattern, value)
    write_inputs(here, changed.text)
    assert fails(here, EST) == [line(EST, (changed.line, changed.column), field, message)]


def test_discount_of_one_is_out_of_range(here: Path) -> None:
    changed = insert_after(EXAMPLE, "rate_card:", "discount: 1\n")
    write_inputs(here, changed.text)
    message = "must be a fraction from 0 up to (not including) 1, got 1; 10% is 0.10"
    assert fails(here, EST) == [line(EST, (changed.line, 11), "discount", message)]


# --- keys: misspelt, unknown, duplicate ----------------------------------------------------------


@pytest.mark.parametrize(
    ("in_card", "pattern", "new", "field", "right"),
    [
        (False, r"(?m)^(?P<v>customer):", "custmer", "custmer", "customer"),
        (False, r"(?m)^(?P<v>rate_card):", "ratecard", "ratecard", "rate_card"),
        (
            False,
            r"(?m)^  (?P<v>upgrades_per_year):",
            "upgrade_per_year",
            "custom.upgrade_per_year",
            "upgrades_per_year",
        ),
        (
            False,
            r"(?s)\n  build:.*?\n      (?P<v>engineers):",
            "engineer",
            "custom.build[0].engineer",
            "engineers",
        ),
        (
            False,
            r"(?m)^  (?P<v>coaching_days):",
            "coachingdays",
            "standard.coachingdays",
            "coaching_days",
        ),
        (True, r"(?m)^(?P<v>currency):", "currncy", "currncy", "currency"),
        (True, r"(?m)^  (?P<v>tax_rate):", "taxrate", "policy.taxrate", "tax_rate"),
    ],
    ids=[
        "customer",
        "rate_card",
        "upgrades_per_year",
        "engineers",
        "coaching_days",
        "card-currency",
        "card-tax_rate",
    ],
)
def test_misspelt_key_gets_did_you_mean(
    here: Path, in_card: bool, pattern: str, new: str, field: str, right: str
) -> None:
    changed = edit(CARD if in_card else EXAMPLE, pattern, new)
    if in_card:
        write_inputs(here, card=changed.text)
    else:
        write_inputs(here, changed.text)
    message = f"unknown field {new!r}; did you mean {right!r}?"
    path = CARD_BESIDE if in_card else EST
    expected = line(path, (changed.line, changed.column), field, message)
    lines = fails(here, EST)
    assert expected in lines
    # Besides the hint, at most "required field is missing" for the field meant.
    others = [text for text in lines if text != expected]
    assert all(
        text.endswith(f"{field[: -len(new)]}{right}: required field is missing") for text in others
    ), others


def test_unknown_key_without_a_close_match_lists_the_fields(here: Path) -> None:
    changed = insert_after(EXAMPLE, "title:", "zzzz: 1\n")
    write_inputs(here, changed.text)
    fields = "kind, id, customer, title, date, rate_card, currency, custom, standard, discount, "
    fields += "confidence, language, prepared_by, productize, assumptions, exclusions, payment, "
    message = f"unknown field 'zzzz'; expected one of: {fields}tags, outcome"
    assert fails(here, EST) == [line(EST, (changed.line, 1), "zzzz", message)]


@pytest.mark.parametrize(
    ("section", "role", "hint"),
    [
        ("build", "plumber", ""),
        ("build", "enginer", "did you mean 'engineer'? "),
        ("per_upgrade", "Engineer", "did you mean 'engineer'? "),
        ("per_upgrade", "qa", ""),
    ],
)
def test_unknown_role_names_the_roles_the_card_has(
    here: Path, section: str, role: str, hint: str
) -> None:
    pattern = BUILD if section == "build" else PER_UPGRADE
    changed = edit(EXAMPLE, pattern.format(key="role"), role)
    write_inputs(here, changed.text)
    message = f"unknown role {role!r}; {hint}rate card 'default' ({CARD_BESIDE}) has: {ROLES}"
    field = f"custom.{section}[0].role"
    assert fails(here, EST) == [line(EST, (changed.line, changed.column), field, message)]


def test_unknown_role_names_the_card_given_with_rates(here: Path) -> None:
    changed = edit(EXAMPLE, BUILD.format(key="role"), "plumber")
    write_inputs(here, changed.text, card=None)
    write(here / "card.yaml", CARD)
    message = f"unknown role 'plumber'; rate card 'default' (card.yaml) has: {ROLES}"
    expected = line(EST, (changed.line, changed.column), "custom.build[0].role", message)
    assert fails(here, EST, "--rates", "card.yaml") == [expected]


@pytest.mark.parametrize(
    ("in_card", "after", "new_line", "field", "key"),
    [
        (False, "id:", "id: Q-2", "id", "id"),
        (False, "id:", '"id": Q-2', "id", "id"),
        (False, "      weeks: 3", "      weeks: 4", "custom.build[0].weeks", "weeks"),
        (False, "  term_years:", "  term_years: 5", "custom.term_years", "term_years"),
        (True, "  engineer:", "  engineer: 1", "roles.engineer", "engineer"),
        (True, "currency:", "currency: USD", "currency", "currency"),
    ],
    ids=["id", "quoted-id", "build-weeks", "term_years", "card-role", "card-currency"],
)
def test_duplicate_key_is_reported_at_the_duplicate(
    here: Path, in_card: bool, after: str, new_line: str, field: str, key: str
) -> None:
    original = CARD if in_card else EXAMPLE
    changed = insert_after(original, re.escape(after), new_line + "\n")
    first = at(original, "\n" + after)[0] + 1
    if in_card:
        write_inputs(here, card=changed.text)
    else:
        write_inputs(here, changed.text)
    message = f"duplicate key {key!r} (first at line {first})"
    path = CARD_BESIDE if in_card else EST
    assert changed.line == first + 1
    column = len(new_line) - len(new_line.lstrip()) + 1
    assert fails(here, EST) == [line(path, (changed.line, column), field, message)]


# --- kind ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("rate-card", "is 'rate-card'; expected 'estimate'"),
        ("Deployment", "is 'Deployment'; expected 'estimate'"),
        ("Estimate", "is 'Estimate'; expected 'estimate'"),
        ('"estimate "', "is 'estimate '; expected 'estimate'"),
        ("1", "is 1; expected 'estimate'"),
    ],
)
def test_wrong_kind(here: Path, kind: str, message: str) -> None:
    changed = edit(EXAMPLE, TOP.format(key="kind"), kind)
    write_inputs(here, changed.text)
    assert fails(here, EST) == [line(EST, (changed.line, changed.column), "kind", message)]


def test_missing_kind_is_reported_at_the_root(here: Path) -> None:
    changed = edit(EXAMPLE, r"(?m)^(?P<v>kind: .*\n)", "")
    write_inputs(here, changed.text)
    expected = line(EST, (root_line(changed.text), 1), "kind", "missing; expected kind: estimate")
    assert fails(here, EST) == [expected]


def test_yaml11_value_in_kind_keeps_its_own_message(here: Path) -> None:
    changed = edit(EXAMPLE, TOP.format(key="kind"), "yes")
    write_inputs(here, changed.text)
    message = (
        "'yes' is ambiguous (a boolean in YAML 1.1, text in YAML 1.2); "
        "write true or false, or quote it for text"
    )
    assert fails(here, EST) == [line(EST, (changed.line, changed.column), "kind", message)]


# --- files that are not a YAML mapping -----------------------------------------------------------

EMPTY = "the file is empty; expected a mapping that starts with kind:"
NOT_A_MAPPING = "expected a mapping (key: value lines) that starts with kind:"
BINARY = "binary data (a NUL byte); expected a YAML text file"


def _with_bytes(before: bytes, after: bytes) -> tuple[bytes, tuple[int, int]]:
    """The example with before + after in place of its customer, and where after starts."""
    changed = edit(EXAMPLE, TOP.format(key="customer"), "@@")
    head, tail = changed.text.split("@@")
    return (
        head.encode() + before + after + tail.encode(),
        (changed.line, changed.column + len(before.decode())),
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", line(EST, None, None, EMPTY)),
        (b"\n\n   \n", line(EST, None, None, EMPTY)),
        (b"# only a comment\n", line(EST, None, None, EMPTY)),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", line(EST, (3, 1), None, BINARY)),
        (b"\x00", line(EST, (1, 1), None, BINARY)),
        (b"- kind: estimate\n- 1\n", line(EST, (1, 1), None, NOT_A_MAPPING)),
        (b"just some text\n", line(EST, (1, 1), None, NOT_A_MAPPING)),
        (b"42\n", line(EST, (1, 1), None, NOT_A_MAPPING)),
        (
            b"---\nkind: estimate\n---\nkind: estimate\n",
            line(EST, (3, 1), None, "only one YAML document per file is allowed"),
        ),
    ],
    ids=["empty", "blank", "comment", "png", "nul", "list", "text", "number", "two-documents"],
)
def test_file_that_is_not_a_yaml_mapping(here: Path, content: bytes, expected: str) -> None:
    write_inputs(here, content)
    assert fails(here, EST) == [expected]


@pytest.mark.parametrize(
    ("bad", "shown"),
    [(b"\xff", "0xff"), (b"\xe9", "0xe9"), (b"\xc3", "0xc3"), (b"\xed\xa0\x80", "0xed")],
    ids=["ff", "latin1-e-acute", "truncated", "surrogate"],
)
def test_bytes_that_are_not_utf8_are_located(here: Path, bad: bytes, shown: str) -> None:
    content, where = _with_bytes(b"Caf", bad + b" Robotics")
    write_inputs(here, content)
    message = f"not UTF-8 text (byte {shown}); save the file as UTF-8"
    assert fails(here, EST) == [line(EST, where, None, message)]


def test_nul_byte_inside_the_example_is_located(here: Path) -> None:
    content, where = _with_bytes(b"ACME", b"\x00Robotics")
    write_inputs(here, content)
    assert fails(here, EST) == [line(EST, where, None, BINARY)]


def test_utf16_file_is_refused(here: Path) -> None:
    write_inputs(here, EXAMPLE.encode("utf-16"))
    [only] = fails(here, EST)
    assert only.startswith(f"{EST}:1:")
    assert "NUL byte" in only or "UTF-8" in only


def test_null_document_is_located(here: Path) -> None:
    write_inputs(here, "~\n")
    [only] = fails(here, EST)
    assert only.startswith(f"{EST}:1:1: error: ")
    assert "empty" not in only


def test_bad_byte_position_with_cr_line_endings(here: Path) -> None:
    write_inputs(here, b"kind: estimate\rid: Q-1\rcustomer: \xff\r")
    assert fails(here, EST) == [
        line(EST, (3, 11), None, "not UTF-8 text (byte 0xff); save the file as UTF-8")
    ]


# --- YAML that does not parse ------------------------------------------------------------------


COLON_IN_TITLE = edit(EXAMPLE, TOP.format(key="title"), "a: b")  # the second ':' is the error


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ("[unclosed\n", (2, 1)),
        (": : :\n", (1, 1)),
        ("kind: estimate\n\tid: x\n", (2, 1)),
        ('kind: "estimate\n', (2, 1)),
        ("kind: estimate\nid: x\n  bad: indent\n", (3, 6)),
        ('kind: estimate\nid: "a\x07b"\n', (2, 7)),
        ('kind: estimate\nid: "\\ud800"\n', (2, 8)),
        ("kind: {\n", (2, 1)),
        ("kind: estimate\n- x\n", (2, 1)),
        (COLON_IN_TITLE.text, (COLON_IN_TITLE.line, COLON_IN_TITLE.column + 1)),
    ],
    ids=[
        "unclosed",
        "colons",
        "tab",
        "open-quote",
        "indent",
        "control-char",
        "surrogate-escape",
        "open-brace",
        "list-in-map",
        "colon-in-title",
    ],
)
def test_yaml_syntax_error_is_located_without_a_field(
    here: Path, content: str, where: tuple[int, int]
) -> None:
    write_inputs(here, content)
    [only] = fails(here, EST)
    assert re.fullmatch(
        re.escape(f"{EST}:{where[0]}:{where[1]}: error: invalid YAML: ") + r"\S.*", only
    )


# --- YAML 1.1 surprises ------------------------------------------------------------------------

NOT_DECIMAL = (
    "{} is not a plain decimal number (no 0x, 0o, 0b, 1_000 or 1:30 forms); "
    "write plain decimal, or quote it for text"
)
OCTAL = (
    "{} has a leading zero (YAML 1.1 reads it as octal); write plain decimal, or quote it for text"
)
AMBIGUOUS = (
    "{!r} is ambiguous (a boolean in YAML 1.1, text in YAML 1.2); "
    "write true or false, or quote it for text"
)


PU_WEEKS = "custom.per_upgrade[0].weeks"


@pytest.mark.parametrize(
    ("key", "value", "field", "message"),
    [
        ("weeks", "010", PU_WEEKS, OCTAL.format("010")),
        ("weeks", "00.5", PU_WEEKS, OCTAL.format("00.5")),
        ("weeks", "0x10", PU_WEEKS, NOT_DECIMAL.format("0x10")),
        ("weeks", "0o17", PU_WEEKS, NOT_DECIMAL.format("0o17")),
        ("weeks", "0b101", PU_WEEKS, NOT_DECIMAL.format("0b101")),
        ("weeks", "1_000", PU_WEEKS, NOT_DECIMAL.format("1_000")),
        ("weeks", "1:30", PU_WEEKS, NOT_DECIMAL.format("1:30")),
        ("weeks", "190:20:30", PU_WEEKS, NOT_DECIMAL.format("190:20:30")),
        ("weeks", "on", PU_WEEKS, AMBIGUOUS.format("on")),
        ("engineers", "yes", "custom.per_upgrade[0].engineers", AMBIGUOUS.format("yes")),
        ("customer", "no", "customer", AMBIGUOUS.format("no")),
        ("customer", "Off", "customer", AMBIGUOUS.format("Off")),
        ("customer", "y", "customer", AMBIGUOUS.format("y")),
        ("term_years", "0x3", "custom.term_years", NOT_DECIMAL.format("0x3")),
    ],
)
def test_yaml11_surprise_is_refused_at_its_place(
    here: Path, key: str, value: str, field: str, message: str
) -> None:
    pattern = {
        "weeks": PER_UPGRADE.format(key="weeks"),
        "engineers": PER_UPGRADE.format(key="engineers"),
        "customer": TOP.format(key="customer"),
        "term_years": r"(?s)\ncustom:.*?\n  term_years: " + VALUE,
    }[key]
    changed = edit(EXAMPLE, pattern, value)
    write_inputs(here, changed.text)
    assert fails(here, EST) == [line(EST, (changed.line, changed.column), field, message)]


def test_unquoted_version_in_card_is_a_number_not_text(here: Path) -> None:
    changed = edit(CARD, TOP.format(key="version"), "2026.10")
    write_inputs(here, card=changed.text)
    message = "expected text, got the number 2026.10; put it in quotes"
    expected = line(CARD_BESIDE, (changed.line, changed.column), "version", message)
    assert fails(here, EST) == [expected]


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-02-30", "2026-02-30 is not a real date ("),
        ("2026-02-29", "2026-02-29 is not a real date ("),
        ("2026-13-01", "2026-13-01 is not a real date ("),
        ("2026-00-10", "2026-00-10 is not a real date ("),
        ('"2026-02-30"', "2026-02-30 is not a real date ("),
        ("2026-1-1", "expected a date as YYYY-MM-DD, got text '2026-1-1'"),
        ("20261122", "expected a date as YYYY-MM-DD, got the number 20261122"),
        ("2026-11-22T10:00:00", "expected a date as YYYY-MM-DD, got text '2026-11-22T10:00:00'"),
    ],
)
def test_impossible_date_is_an_error_at_its_line(here: Path, value: str, message: str) -> None:
    changed = edit(EXAMPLE, TOP.format(key="date"), value)
    write_inputs(here, changed.text)
    [only] = fails(here, EST)
    expected = line(EST, (changed.line, changed.column), "date", message)
    # Python words its reason ("day is out of range for month") differently across versions.
    assert only == expected or (expected.endswith("(") and only.startswith(expected))
    assert only.endswith(")") == expected.endswith("(")


def test_impossible_effective_from_in_card(here: Path) -> None:
    changed = edit(CARD, TOP.format(key="effective_from"), "2026-02-30")
    write_inputs(here, card=None)
    write(here / "card.yaml", changed.text)
    [only] = fails(here, EST, "--rates", "card.yaml")
    prefix = line("card.yaml", (changed.line, changed.column), "effective_from", "2026-02-30")
    assert only.startswith(prefix + " is not a real date (")


# --- tags, anchors, aliases ----------------------------------------------------------------------

PWNED_TAG = '!!python/object/apply:os.system ["touch PWNED"]'


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        (PWNED_TAG, "!!python/object/apply:os.system"),
        (
            '!!python/object/new:os.system ["touch PWNED"]',
            "!!python/object/new:os.system",
        ),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!!str Q-1", "!!str"),
        ("!!int 1", "!!int"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!set {a, b}", "!!set"),
        ("!custom Q-1", "!custom"),
        ("!<tag:example.com,2026:x> Q-1", "tag:example.com,2026:x"),
    ],
)
def test_explicit_tag_is_refused_and_never_run(here: Path, value: str, tag: str) -> None:
    changed = edit(EXAMPLE, TOP.format(key="id"), value)
    write_inputs(here, changed.text)
    message = f"tags ({tag}) are not allowed"
    assert fails(here, EST) == [line(EST, (changed.line, changed.column), None, message)]
    assert not (here / "PWNED").exists()


def test_tag_on_the_root_document_is_refused(here: Path) -> None:
    write_inputs(here, PWNED_TAG + "\n")
    tag = "!!python/object/apply:os.system"
    assert fails(here, EST) == [line(EST, (1, 1), None, f"tags ({tag}) are not allowed")]
    assert not (here / "PWNED").exists()


def test_tag_on_a_date_is_refused(here: Path) -> None:
    changed = edit(EXAMPLE, TOP.format(key="date"), "!!timestamp 2026-11-22")
    write_inputs(here, changed.text)
    message = "tags (!!timestamp) are not allowed"
    assert fails(here, EST) == [line(EST, (changed.line, changed.column), None, message)]


def test_tag_directive_is_refused(here: Path) -> None:
    write_inputs(here, "%TAG !e! tag:example.com,2000:\n---\nkind: !e!x estimate\n")
    message = "tags (tag:example.com,2000:x) are not allowed"
    assert fails(here, EST) == [line(EST, (3, 7), None, message)]


def billion_laughs() -> str:
    """The classic: nine levels of nine aliases each, a billion 'lol's if expanded."""
    rows = ['lol0: &lol0 "lol"']
    rows += [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(rows) + "\n"


def test_billion_laughs_is_refused_at_the_first_anchor(here: Path) -> None:
    text = EXAMPLE + billion_laughs()
    write_inputs(here, text)
    where = at(text, "&lol0")
    assert fails(here, EST) == [line(EST, where, None, "anchors (&lol0) are not allowed")]


@pytest.mark.parametrize(
    ("extra", "needle", "message"),
    [
        ("base: &b {a: 1}\n", "&b", "anchors (&b) are not allowed"),
        ("copy: *nowhere\n", "*nowhere", "aliases (*nowhere) are not allowed"),
        ("merged:\n  <<: {a: 1}\n", "<<", "merge keys (<<) are not allowed"),
    ],
    ids=["anchor", "alias", "merge-key"],
)
def test_anchor_alias_and_merge_key_are_refused(
    here: Path, extra: str, needle: str, message: str
) -> None:
    text = EXAMPLE + extra
    write_inputs(here, text)
    assert fails(here, EST) == [line(EST, at(text, needle), None, message)]


# --- nesting and size ----------------------------------------------------------------------------

TOO_DEEP = "nesting is deeper than 32 levels"


def too_deep(lines: list[str], path: str, where: tuple[int, int]) -> bool:
    """Tell whether lines are nrecalc's one nesting error at where, or further along its line.

    Some libyaml builds stop deep input themselves while reading ahead (at depth 1000), before
    nrecalc's own check sees the events; either limit must end in the same located line.
    """
    if len(lines) != 1:
        return False
    found = re.fullmatch(rf"{re.escape(path)}:(\d+):(\d+): error: {TOO_DEEP}", lines[0])
    return found is not None and int(found[1]) == where[0] and int(found[2]) >= where[1]


def block_mappings(depth: int) -> str:
    """a:\\n a:\\n  a: ... `depth` mappings deep, one space of indent per level."""
    return "".join(" " * i + "a:\n" for i in range(depth))


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ("[" * 10_000 + "\n", (1, 33)),
        ("[" * 10_000 + "]" * 10_000 + "\n", (1, 33)),
        ("{a: " * 10_000 + "1" + "}" * 10_000 + "\n", (1, 4 * 32 + 1)),
        ("- " * 10_000 + "1\n", (1, 2 * 32 + 1)),
        (block_mappings(3_000), (33, 33)),
        ("kind: estimate\n" + block_mappings(3_000), (34, 33)),
    ],
    ids=["flow-seq", "flow-seq-closed", "flow-map", "block-seq", "block-map", "block-map-in-doc"],
)
def test_very_deep_nesting_is_refused(here: Path, content: str, where: tuple[int, int]) -> None:
    assert len(content.encode()) < MIB8  # so the depth limit, not the size cap, is what stops it
    write_inputs(here, content)
    lines = fails(here, EST)
    assert too_deep(lines, EST, where), lines


def test_nesting_limit_is_exactly_32(here: Path) -> None:
    changed = edit(EXAMPLE, TOP.format(key="customer"), "[" * 31 + "]" * 31)
    write_inputs(here, changed.text)
    expected = line(
        EST,
        (changed.line, changed.column),
        "customer",
        "expected text, got a list; put it in quotes",
    )
    assert fails(here, EST) == [expected]
    changed = edit(EXAMPLE, TOP.format(key="customer"), "[" * 32 + "]" * 32)
    write_inputs(here, changed.text)
    assert fails(here, EST) == [line(EST, (changed.line, changed.column + 31), None, TOO_DEEP)]


def padded(size: int) -> bytes:
    """The example followed by comment lines, exactly size bytes long."""
    data = EXAMPLE.encode()
    row = b"#" + b"x" * 98 + b"\n"
    data += row * ((size - len(data)) // len(row))
    data += b"#" * (size - len(data) - 1) + b"\n"
    assert len(data) == size
    return data


def test_file_over_8_mib_is_refused_before_parsing(here: Path) -> None:
    write_inputs(here, padded(MIB8 + 1))
    assert fails(here, EST) == [line(EST, None, None, "file is larger than the 8 MiB limit")]


def test_huge_hostile_file_is_refused_by_size(here: Path) -> None:
    write_inputs(here, b"kind: estimate\nid: [" + b"[" * (MIB8 + 10) + b"\n")
    assert fails(here, EST) == [line(EST, None, None, "file is larger than the 8 MiB limit")]


def test_file_of_exactly_8_mib_is_accepted(here: Path) -> None:
    write_inputs(here, padded(MIB8))
    result = RUNNER.invoke(app, ["quote", EST, "--format", "json"])
    assert result.exit_code == 0, result.stderr


# --- paths ---------------------------------------------------------------------------------------


def test_folder_given_as_the_estimate(here: Path) -> None:
    (here / "folder.yaml").mkdir()
    assert fails(here, "folder.yaml") == [
        line("folder.yaml", None, None, "is a folder; expected a YAML file")
    ]


@pytest.mark.parametrize("name", ["missing.yaml", "no/such/folder/est.yaml"])
def test_missing_estimate(here: Path, name: str) -> None:
    assert fails(here, name) == [line(name, None, None, "no such file")]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_symlink_loop_as_the_estimate(here: Path) -> None:
    (here / "loop.yaml").symlink_to("loop.yaml")
    [only] = fails(here, "loop.yaml")
    assert only.startswith("loop.yaml: error: cannot read: ")


def test_missing_rate_card_name(here: Path) -> None:
    changed = edit(EXAMPLE, TOP.format(key="rate_card"), "premium")
    write_inputs(here, changed.text, card=None)
    [only] = fails(here, EST)
    expected = line(
        EST,
        (changed.line, changed.column),
        "rate_card",
        "no rate card named 'premium' in a rates/ folder beside the estimate or above it, "
        "nor among the shipped ones (shipped: ",
    )
    assert only.startswith(expected)
    assert "default" in only[len(expected) :]
    assert only.endswith("); name one, or give a path")


def test_missing_rate_card_name_ignores_other_cards_beside(here: Path) -> None:
    changed = edit(EXAMPLE, TOP.format(key="rate_card"), "premium")
    write_inputs(here, changed.text)  # rates/default.yaml is there, but it is not 'premium'
    [only] = fails(here, EST)
    assert only.startswith(line(EST, (changed.line, changed.column), "rate_card", "no rate card"))


def test_missing_rate_card_path(here: Path) -> None:
    changed = edit(EXAMPLE, TOP.format(key="rate_card"), "cards/premium.yaml")
    write_inputs(here, changed.text, card=None)
    [only] = fails(here, EST)
    assert only == line(
        EST,
        (changed.line, changed.column),
        "rate_card",
        "no such file: cards/premium.yaml (relative to the estimate)",
    )


@pytest.mark.parametrize(
    ("rates", "message"),
    [("nope.yaml", "no such file"), ("rates", "is a folder; expected a YAML file")],
)
def test_rates_option_pointing_at_nothing_usable(here: Path, rates: str, message: str) -> None:
    write_inputs(here)
    assert fails(here, EST, "--rates", rates) == [line(rates, None, None, message)]


# --- broken rate cards ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "where", "message"),
    [
        ("broken.yaml", b"kind: rate-card\nname: [unclosed\n", (3, 1), None),
        ("colons.yaml", b"kind: rate-card\nx: : :\n", (2, 4), None),
        ("zz-after-default.yaml", b"kind: rate-card\nname: [unclosed\n", (3, 1), None),
        ("binary.yaml", b"kind: rate-card\n\x00", (2, 1), BINARY),
        (
            "latin1.yaml",
            b"kind: rate-card\nname: caf\xe9\n",
            (2, 10),
            "not UTF-8 text (byte 0xe9); save the file as UTF-8",
        ),
        ("list.yaml", b"- 1\n", (1, 1), NOT_A_MAPPING),
        (
            "tagged.yaml",
            b"kind: !!str rate-card\n",
            (1, 7),
            "tags (!!str) are not allowed",
        ),
    ],
)
def test_broken_file_in_rates_beside_is_an_error_not_skipped(
    here: Path, name: str, content: bytes, where: tuple[int, int], message: str | None
) -> None:
    write_inputs(here)  # a good rates/default.yaml is there too
    write(here / "rates" / name, content)
    [only] = fails(here, EST)
    prefix = f"rates/{name}:{where[0]}:{where[1]}: error: "
    if message is None:
        assert re.fullmatch(re.escape(prefix + "invalid YAML: ") + r"\S.*", only)
    else:
        assert only == prefix + message


def test_broken_card_in_a_parent_rates_folder(here: Path) -> None:
    write(here / "sub" / EST, EXAMPLE)
    write(here / "rates" / "broken.yaml", "kind: rate-card\nname: [unclosed\n")
    [only] = fails(here, f"sub/{EST}")
    assert only.startswith("rates/broken.yaml:3:1: error: invalid YAML: ")


@pytest.mark.parametrize(
    ("pattern", "value", "field", "message"),
    [
        (
            TOP.format(key="currency"),
            "XYZ",
            "currency",
            "'XYZ' is not an ISO 4217 currency code (such as CNY, USD, EUR, JPY)",
        ),
        (
            TOP.format(key="currency"),
            "cny",
            "currency",
            "'cny' is not an ISO 4217 currency code (such as CNY, USD, EUR, JPY)",
        ),
        (
            r"(?m)^  tax_rate: " + VALUE,
            "6",
            "policy.tax_rate",
            "must be a fraction from 0 to 1, got 6; 6% is 0.06",
        ),
        (
            r"(?m)^  contingency: " + VALUE,
            "1",
            "policy.contingency",
            "must be a fraction from 0 up to (not including) 1, got 1; 10% is 0.10",
        ),
        (
            r"(?m)^  integration_days: " + VALUE,
            "-1",
            "standard.integration_days",
            "must be from 0 to 3,650, got -1",
        ),
        (
            r"(?m)^  coaching_per_day: " + VALUE,
            "-6000",
            "standard.coaching_per_day",
            "must not be negative, got -6000",
        ),
        (
            r"(?m)^  validity_days: " + VALUE,
            "30.5",
            "policy.validity_days",
            "must be a whole number, got 30.5",
        ),
    ],
)
def test_invalid_field_in_card_given_with_rates(
    here: Path, pattern: str, value: str, field: str, message: str
) -> None:
    changed = edit(CARD, pattern, value)
    write_inputs(here, card=None)
    write(here / "card.yaml", changed.text)
    expected = line("card.yaml", (changed.line, changed.column), field, message)
    assert fails(here, EST, "--rates", "card.yaml") == [expected]


def test_invalid_card_beside_found_by_name(here: Path) -> None:
    changed = edit(CARD, TOP.format(key="currency"), "XYZ")
    write_inputs(here, card=changed.text)
    message = "'XYZ' is not an ISO 4217 currency code (such as CNY, USD, EUR, JPY)"
    expected = line(CARD_BESIDE, (changed.line, changed.column), "currency", message)
    assert fails(here, EST) == [expected]


def test_card_with_no_roles(here: Path) -> None:
    text = re.sub(r"(?m)^roles:.*\n(?:  .*\n)*", "roles: {}\n", CARD)
    write_inputs(here, card=None)
    write(here / "card.yaml", text)
    where = at(text, "{}")
    expected = line("card.yaml", where, "roles", "must have at least one item")
    assert fails(here, EST, "--rates", "card.yaml") == [expected]


def test_card_missing_a_required_field_is_reported_at_its_parent(here: Path) -> None:
    text = edit(CARD, r"(?m)^(?P<v>  name: .*\n)", "").text
    write_inputs(here, card=None)
    write(here / "card.yaml", text)
    parent = re.search(r"(?m)^standard:.*\n(?P<first>  )", text)
    assert parent is not None
    where = position(text, parent.start("first") + 2)
    expected = line("card.yaml", where, "standard.name", "required field is missing")
    assert fails(here, EST, "--rates", "card.yaml") == [expected]


def _kind_at(text: str) -> tuple[int, int]:
    kind = edit(text, TOP.format(key="kind"), "")
    return kind.line, kind.column


@pytest.mark.parametrize(
    ("content", "where", "message"),
    [
        (EXAMPLE, _kind_at(EXAMPLE), "is 'estimate'; expected 'rate-card'"),
        (
            "kind: Deployment\nmetadata: {name: web}\n",
            (1, 7),
            "is 'Deployment'; expected 'rate-card'",
        ),
        ("name: default\nversion: '1'\n", (1, 1), "missing; expected kind: rate-card"),
    ],
    ids=["an-estimate", "deployment", "no-kind"],
)
def test_rates_option_given_something_that_is_not_a_rate_card(
    here: Path, content: str, where: tuple[int, int], message: str
) -> None:
    write_inputs(here, card=None)
    write(here / "other.yaml", content)
    assert fails(here, EST, "--rates", "other.yaml") == [line("other.yaml", where, "kind", message)]


def test_rates_option_given_a_yaml_list(here: Path) -> None:
    write_inputs(here, card=None)
    write(here / "list.yaml", "- kind: rate-card\n")
    assert fails(here, EST, "--rates", "list.yaml") == [
        line("list.yaml", (1, 1), None, NOT_A_MAPPING)
    ]


# --- through a real process --------------------------------------------------------------------


def _subprocess_cases(folder: Path) -> dict[str, tuple[list[str], str]]:
    """name -> (arguments after `quote`, the exact stderr line expected), files written."""
    cases: dict[str, tuple[list[str], str]] = {}

    tagged = edit(EXAMPLE, TOP.format(key="id"), PWNED_TAG)
    write(folder / "tag" / EST, tagged.text)
    tag = "!!python/object/apply:os.system"
    cases["tag"] = (
        [f"tag/{EST}"],
        line(f"tag/{EST}", (tagged.line, tagged.column), None, f"tags ({tag}) are not allowed"),
    )

    laughs = EXAMPLE + billion_laughs()
    write(folder / "laughs" / EST, laughs)
    cases["billion-laughs"] = (
        [f"laughs/{EST}"],
        line(f"laughs/{EST}", at(laughs, "&lol0"), None, "anchors (&lol0) are not allowed"),
    )

    write(folder / "deep" / EST, "[" * 10_000 + "\n")
    cases["deep"] = ([f"deep/{EST}"], f"deep/{EST}:1:")

    content, where = _with_bytes(b"Caf", b"\xff")
    write(folder / "ff" / EST, content)
    cases["not-utf8"] = (
        [f"ff/{EST}"],
        line(f"ff/{EST}", where, None, "not UTF-8 text (byte 0xff); save the file as UTF-8"),
    )

    cases["missing"] = (["missing.yaml"], line("missing.yaml", None, None, "no such file"))

    week = edit(EXAMPLE, PER_UPGRADE.format(key="weeks"), ".nan")
    write(folder / "nan" / EST, week.text)
    cases["nan"] = (
        [f"nan/{EST}"],
        line(
            f"nan/{EST}",
            (week.line, week.column),
            "custom.per_upgrade[0].weeks",
            ".nan is not a finite number",
        ),
    )

    write(folder / "card" / EST, EXAMPLE)
    write(folder / "card" / "rates" / "broken.yaml", "kind: rate-card\nname: [unclosed\n")
    cases["broken-card"] = ([f"card/{EST}"], "card/rates/broken.yaml:3:1: error: invalid YAML: ")
    return cases


SUBPROCESS_CASES = ["tag", "billion-laughs", "deep", "not-utf8", "missing", "nan", "broken-card"]


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_real_process_prints_no_traceback(tmp_path: Path, name: str) -> None:
    args, expected = _subprocess_cases(tmp_path)[name]
    (tmp_path / "out").mkdir()
    for extra in ([], ["--format", "json", "-o", "out/quote.json"]):
        done = subprocess.run(
            [sys.executable, "-m", "nrecalc", "quote", *args, *extra],
            cwd=tmp_path,
            capture_output=True,
            timeout=120,
            check=False,
            env={**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"},
        )
        stderr = done.stderr.decode("utf-8")
        assert done.returncode == 1, stderr
        assert done.stdout == b""
        [only] = check_stderr(stderr)
        if name == "deep":
            assert too_deep([only], f"deep/{EST}", (1, 33)), only
        else:
            assert only == expected or (expected.endswith(": ") and only.startswith(expected))
        assert list((tmp_path / "out").iterdir()) == []
    assert not (tmp_path / "PWNED").exists()


# --- payment milestones --------------------------------------------------------------------------

PAYMENTS = [
    (
        "payment:\n  - milestone: Signing\n    share: 0.5\n"
        "  - milestone: Delivery\n    share: 0.4\n",
        "  - milestone: Signing",
        2,
        "payment",
        "the shares add up to 0.9; they must add up to exactly 1",
    ),
    (
        "payment:\n  - milestone: Signing\n    share: 0\n  - milestone: Delivery\n    share: 1\n",
        "share: 0\n",
        7,
        "payment[0].share",
        "must be a fraction above 0 and at most 1, got 0; 30% is 0.30",
    ),
    (
        "payment:\n  - milestone: Signing\n    share: 1.5\n",
        "share: 1.5",
        7,
        "payment[0].share",
        "must be a fraction above 0 and at most 1, got 1.5; 30% is 0.30",
    ),
    (
        "payment:\n  - milestone: A\n    share: 0.5\n  - milestone: A\n    share: 0.5\n",
        "  - milestone: A\n    share: 0.5\n  - ",
        2,
        "payment",
        "milestone 'A' is listed twice",
    ),
    ("payment: []\n", "[]", 0, "payment", "must have at least one item"),
    (
        "payment:\n  - {milestone: A, share: 1, due: 3}\n",
        "due",
        0,
        "payment[0].due",
        "unknown field 'due'; expected one of: milestone, share",
    ),
]


@pytest.mark.parametrize(("added", "needle", "skip", "field", "message"), PAYMENTS)
def test_bad_payment_milestones(
    here: Path, added: str, needle: str, skip: int, field: str, message: str
) -> None:
    text = EXAMPLE + added
    offset = text.index(needle, len(EXAMPLE)) + skip
    write_inputs(here, text)
    assert fails(here, EST) == [line(EST, position(text, offset), field, message)]


# --- decision support: effort ranges, confidence, productize, services (SPEC 7) ------------------

RANGE_NEEDS = "expected a number of weeks, or a range as {low: 2, likely: 3, high: 6}"
# (new weeks value, where in it the error points, field below weeks, message)
BAD_RANGES = [
    ("{low: 4, likely: 3, high: 6}", "3, high", ".likely", "3 is below low (4)"),
    ("{low: 2, likely: 7, high: 6}", "6}", ".high", "6 is below likely (7)"),
    ("{low: 2, likely: 3}", "{", ".high", "required field is missing"),
    (
        "{low: 2, likely: 3, high: 6, hihg: 9}",
        "hihg",
        ".hihg",
        "unknown field 'hihg'; did you mean 'high'?",
    ),
    (
        "{low: 2, likely: 3, high: 6, worst: 9}",
        "worst",
        ".worst",
        "unknown field 'worst'; expected one of: low, likely, high",
    ),
    ("{low: -1, likely: 3, high: 6}", "-1", ".low", "must be positive, got -1"),
    (
        "{low: 2, likely: '3', high: 6}",
        "'3'",
        ".likely",
        "expected a number, got text '3'; write it without quotes or separators",
    ),
    ("[2, 3, 6]", "[", "", f"{RANGE_NEEDS}, got a list"),
    ('"2 to 6"', '"', "", f"{RANGE_NEEDS}, got text '2 to 6'"),
    ("three", "three", "", f"{RANGE_NEEDS}, got text 'three'"),
]


@pytest.mark.parametrize(
    ("section", "pattern"), [("build", BUILD), ("per_upgrade", PER_UPGRADE)], ids=["build", "pu"]
)
@pytest.mark.parametrize(
    ("value", "needle", "below", "message"),
    BAD_RANGES,
    ids=[
        "low-above-likely",
        "likely-above-high",
        "no-high",
        "misspelt-extra-key",
        "unknown-key",
        "negative-low",
        "quoted-likely",
        "list",
        "quoted-text",
        "text",
    ],
)
def test_bad_weeks_range_is_the_one_error(
    here: Path, section: str, pattern: str, value: str, needle: str, below: str, message: str
) -> None:
    changed = edit(EXAMPLE, pattern.format(key="weeks"), value)
    write_inputs(here, changed.text)
    where = (changed.line, changed.column + value.index(needle))
    field = f"custom.{section}[0].weeks{below}"
    assert fails(here, EST) == [line(EST, where, field, message)]


def test_misspelt_range_key_also_misses_the_key_meant(here: Path) -> None:
    value = "{low: 2, likely: 3, hihg: 6}"
    changed = edit(EXAMPLE, BUILD.format(key="weeks"), value)
    write_inputs(here, changed.text)
    field = "custom.build[0].weeks"
    assert fails(here, EST) == [
        line(EST, (changed.line, changed.column), f"{field}.high", "required field is missing"),
        line(
            EST,
            (changed.line, changed.column + value.index("hihg")),
            f"{field}.hihg",
            "unknown field 'hihg'; did you mean 'high'?",
        ),
    ]


CONFIDENCE_RANGE = "must be from 0.5 (the mean) to 0.999, got {}; 80% is 0.8"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0.3", CONFIDENCE_RANGE.format("0.3")),
        ("1", CONFIDENCE_RANGE.format("1")),
        ("0.9999", CONFIDENCE_RANGE.format("0.9999")),
        ("high", "expected a number, got text 'high'"),
        ('"0.8"', "expected a number, got text '0.8'; write it without quotes or separators"),
    ],
)
def test_bad_confidence(here: Path, value: str, message: str) -> None:
    changed = insert_after(EXAMPLE, "rate_card:", f"confidence: {value}\n")
    write_inputs(here, changed.text)
    where = (changed.line, len("confidence: ") + 1)
    assert fails(here, EST) == [line(EST, where, "confidence", message)]


@pytest.mark.parametrize(
    ("block", "needle", "field", "message"),
    [
        (
            "productize:\n  release_weeks: 0\n",
            "0\n",
            "productize.release_weeks",
            "must be positive, got 0",
        ),
        (
            "productize:\n  release_weeks: 12\n  share: 0.4\n",
            "share",
            "productize.share",
            "unknown field 'share'; expected one of: release_weeks",
        ),
        (
            "productize:\n  releaseweeks: 12\n  release_weeks: 12\n",
            "releaseweeks",
            "productize.releaseweeks",
            "unknown field 'releaseweeks'; did you mean 'release_weeks'?",
        ),
        ("productize: 12\n", "12", "productize", "expected a mapping (key: value lines)"),
    ],
    ids=["release-weeks-0", "unknown-key", "misspelt-key", "not-a-mapping"],
)
def test_bad_productize(here: Path, block: str, needle: str, field: str, message: str) -> None:
    changed = insert_after(EXAMPLE, "rate_card:", block)
    write_inputs(here, changed.text)
    where = position(changed.text, changed.offset + block.index(needle))
    assert fails(here, EST) == [line(EST, where, field, message)]


@pytest.mark.parametrize(
    ("services", "needle", "field", "message"),
    [
        (
            "[premium-support, premium-support]",
            "[",
            "custom.services",
            "service 'premium-support' is listed twice",
        ),
        ("[1]", "1", "custom.services[0]", "expected text, got the number 1; put it in quotes"),
        (
            "[health-check, {a: 1}]",
            "{",
            "custom.services[1]",
            "expected text, got a mapping; put it in quotes",
        ),
        ("premium-support", "p", "custom.services", "expected a list (lines starting with '- ')"),
    ],
    ids=["twice", "number", "mapping", "not-a-list"],
)
def test_bad_services_in_the_estimate(
    here: Path, services: str, needle: str, field: str, message: str
) -> None:
    changed = insert_after(EXAMPLE, "  upgrades_per_year:", f"  services: {services}\n")
    write_inputs(here, changed.text)
    where = (changed.line, len("  services: ") + 1 + services.index(needle))
    assert fails(here, EST) == [line(EST, where, field, message)]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1.5", "must be a fraction from 0 to 1, got 1.5; 40% is 0.40"),
        ("-0.1", "must be a fraction from 0 to 1, got -0.1; 40% is 0.40"),
    ],
)
def test_bad_productize_share_in_the_card(here: Path, value: str, message: str) -> None:
    changed = edit(CARD, r"(?m)^  productize_share: " + VALUE, value)
    write_inputs(here, card=changed.text)
    where = (changed.line, changed.column)
    assert fails(here, EST) == [line(CARD_BESIDE, where, "policy.productize_share", message)]


def test_service_without_per_year_in_the_card(here: Path) -> None:
    text = edit(CARD, r"(?s)\n  health-check:.*?(?P<v>\n    per_year: [^\n]*)", "").text
    write_inputs(here, card=text)
    where = at(text, "name: Quarterly health check")
    field = "services.health-check.per_year"
    assert fails(here, EST) == [line(CARD_BESIDE, where, field, "required field is missing")]


def test_negative_service_price_in_the_card(here: Path) -> None:
    changed = edit(CARD, r"(?s)\n  health-check:.*?\n    per_year: " + VALUE, "-32000")
    write_inputs(here, card=changed.text)
    where = (changed.line, changed.column)
    message = "must not be negative, got -32000"
    field = "services.health-check.per_year"
    assert fails(here, EST) == [line(CARD_BESIDE, where, field, message)]


def test_an_unknown_key_inside_a_list_item_is_located_on_every_python(here: Path) -> None:
    # Python 3.10 takes tuple[Item, ...] for a class: asking it whether it is a model crashed.
    changed = EXAMPLE.replace("      weeks: 3 ", "      weeks: 3\n      colour: red ", 1)
    write_inputs(here, changed)
    found = fails(here, EST)
    assert len(found) == 1 and "custom.build[0].colour: unknown field 'colour'" in found[0]
