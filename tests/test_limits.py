"""Bounded input (SPEC 2.2): lengths, counts, Unicode, memory; and YAML errors a person can act on.

Every case is the shipped example or card with one change, as in test_bad_input.py (whose
helpers this reuses): the exact stderr line pins file, line, column, field and nrecalc's message.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_bad_input import (
    BUILD,
    CARD,
    CARD_BESIDE,
    EST,
    EXAMPLE,
    RUNNER,
    TOP,
    VALUE,
    at,
    edit,
    fails,
    insert_after,
    line,
    position,
    write_inputs,
)

from nrecalc.cli import app

ROOT = Path(__file__).resolve().parent.parent
BUILD_TASK = r"(?s)\n  build:.*?\n    - task: " + VALUE
PU_TASK = r"(?s)\n  per_upgrade:.*?\n    - task: " + VALUE


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh folder that is also the current folder."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def quotes(*args: str) -> str:
    """Run `nrecalc quote ARGS --format json`; check it succeeds; return stdout."""
    result = RUNNER.invoke(app, ["quote", *args, "--format", "json"])
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr[-2000:]
    return result.stdout


def items(count: int, name: str = "t{i}") -> str:
    """count effort lines in the example's indentation."""
    rest = "      role: engineer\n      engineers: 1\n      weeks: 1\n"
    return "".join(f"    - task: {name.format(i=i)}\n{rest}" for i in range(count))


def bullets(count: int, text: str = "x{i}", indent: str = "  ") -> str:
    return "".join(f"{indent}- {json.dumps(text.format(i=i))}\n" for i in range(count))


# --- the case: a valid-looking 2 MB estimate ---------------------------------------------


def test_two_megabyte_estimate_is_refused_at_its_lines(here: Path) -> None:
    """One 2,000,001-character task plus 3,000 short lines: refused, not 4 GB and a traceback."""
    changed = edit(EXAMPLE, BUILD_TASK, "x" * 2_000_001)
    text = re.sub(r"(?m)^(  per_upgrade:.*\n)", lambda m: m[1] + items(3_000), changed.text)
    assert len(text.encode()) > 2_000_000
    write_inputs(here, text)
    per_upgrade = at(text, "  per_upgrade: ")
    assert fails(here, EST) == [
        line(
            EST,
            (changed.line, changed.column),
            "custom.build[0].task",
            "is 2,000,001 characters long; at most 200",
        ),
        line(
            EST,
            (per_upgrade[0] + 1, 5),
            "custom.per_upgrade",
            "has 3,001 items; at most 1,000",
        ),
    ]


# --- names: at most 200 characters -----------------------------------------------------------

NAMES = [  # (in the card?, pattern of the value, dotted field)
    (False, TOP.format(key="id"), "id"),
    (False, TOP.format(key="customer"), "customer"),
    (False, TOP.format(key="title"), "title"),
    (False, BUILD_TASK, "custom.build[0].task"),
    (False, PU_TASK, "custom.per_upgrade[0].task"),
    (True, TOP.format(key="name"), "name"),
    (True, TOP.format(key="version"), "version"),
    (True, r"(?m)^  name: " + VALUE, "standard.name"),
    (True, r"(?s)\n  premium-support:.*?\n    name: " + VALUE, "services.premium-support.name"),
]


def _change(here: Path, in_card: bool, pattern: str, value: str) -> tuple[str, tuple[int, int]]:
    """Write the example and card with one value changed; return the file and the place."""
    changed = edit(CARD if in_card else EXAMPLE, pattern, value)
    if in_card:
        write_inputs(here, card=changed.text)
    else:
        write_inputs(here, changed.text)
    return (CARD_BESIDE if in_card else EST), (changed.line, changed.column)


@pytest.mark.parametrize(("in_card", "pattern", "field"), NAMES, ids=[n[2] for n in NAMES])
def test_name_over_200_characters_is_refused(
    here: Path, in_card: bool, pattern: str, field: str
) -> None:
    path, where = _change(here, in_card, pattern, "n" * 201)
    expected = line(path, where, field, "is 201 characters long; at most 200")
    assert fails(here, EST, "--rates", CARD_BESIDE) == [expected]


@pytest.mark.parametrize(("in_card", "pattern", "field"), NAMES, ids=[n[2] for n in NAMES])
def test_name_of_200_characters_is_fine(
    here: Path, in_card: bool, pattern: str, field: str
) -> None:
    _change(here, in_card, pattern, "n" * 199 + "\u00e9")  # 200 characters, 201 bytes
    quotes(EST, "--rates", CARD_BESIDE)


def test_length_counts_characters_after_nfc(here: Path) -> None:
    """200 letters written decomposed (400 code points) are 200 characters."""
    changed = edit(EXAMPLE, TOP.format(key="customer"), "e\u0301" * 200)
    write_inputs(here, changed.text)
    assert json.loads(quotes(EST))["quote"]["customer"] == "\u00e9" * 200


def test_other_labels_over_200_characters(here: Path) -> None:
    role = edit(EXAMPLE, BUILD.format(key="role"), "r" * 201)
    text = insert_after(role.text, "  upgrades_per_year:", "  services: [" + "s" * 201 + "]\n").text
    text += "payment:\n  - milestone: " + "m" * 201 + "\n    share: 1\n"
    write_inputs(here, text)
    too_long = "is 201 characters long; at most 200"
    assert fails(here, EST) == [
        line(EST, (role.line, role.column), "custom.build[0].role", too_long),
        line(EST, at(text, "s" * 201), "custom.services[0]", too_long),
        line(EST, at(text, "m" * 201), "payment[0].milestone", too_long),
    ]


def test_supplier_over_200_characters(here: Path) -> None:
    text = insert_after(CARD, "currency:", "supplier: " + "s" * 201 + "\n").text
    write_inputs(here, card=text)
    expected = line(
        CARD_BESIDE, at(text, "s" * 201), "supplier.name", "is 201 characters long; at most 200"
    )
    assert fails(here, EST) == [expected]


def test_rate_card_reference_may_be_a_path_up_to_1000_characters(here: Path) -> None:
    changed = edit(EXAMPLE, TOP.format(key="rate_card"), "r" * 1_001)
    write_inputs(here, changed.text)
    message = "is 1,001 characters long; at most 1,000"
    assert fails(here, EST) == [line(EST, (changed.line, changed.column), "rate_card", message)]


def test_key_over_200_characters_is_refused_without_repeating_it(here: Path) -> None:
    text = insert_after(EXAMPLE, "title:", "k" * 1_000 + ": 1\n").text  # YAML's most: 1,024
    write_inputs(here, text)
    [only] = fails(here, EST)
    assert only == line(
        EST, at(text, "k" * 1_000), None, "a key is 1,000 characters long; at most 200"
    )


def test_role_key_over_200_characters_in_the_card(here: Path) -> None:
    text = insert_after(CARD, "  engineer:", "  " + "r" * 201 + ": 1\n").text
    write_inputs(here, card=text)
    message = "a key is 201 characters long; at most 200"
    assert fails(here, EST) == [line(CARD_BESIDE, at(text, "r" * 201), "roles", message)]


def test_long_kind_is_not_echoed_whole(here: Path) -> None:
    changed = edit(EXAMPLE, TOP.format(key="kind"), "k" * 100_000)
    write_inputs(here, changed.text)
    [only] = fails(here, EST)
    assert only.startswith(line(EST, (changed.line, changed.column), "kind", "is 'kkkk"))
    assert len(only) < 200


# --- free text: at most 2,000 characters per item --------------------------------------------


@pytest.mark.parametrize("section", ["assumptions", "exclusions"])
def test_free_text_item_over_2000_characters(here: Path, section: str) -> None:
    text = re.sub(rf"(?m)^{section}:\n", f"{section}:\n  - ok\n  - {'w' * 2_001}\n", EXAMPLE)
    write_inputs(here, text)
    where = at(text, "w" * 2_001)
    message = "is 2,001 characters long; at most 2,000"
    assert fails(here, EST) == [line(EST, where, f"{section}[1]", message)]


def test_service_description_over_2000_characters(here: Path) -> None:
    changed = edit(CARD, r"(?s)\n  premium-support:.*?\n    description: " + VALUE, "d" * 2_001)
    write_inputs(here, card=changed.text)
    field = "services.premium-support.description"
    message = "is 2,001 characters long; at most 2,000"
    assert fails(here, EST) == [line(CARD_BESIDE, (changed.line, changed.column), field, message)]


def test_free_text_of_2000_characters_on_several_lines_is_fine(here: Path) -> None:
    paragraph = "\n".join(["p" * 399] * 5)  # 5 x 399 + 4 line breaks = 1,999 characters
    text = EXAMPLE.replace(
        "assumptions:\n",
        "assumptions:\n  - |-\n" + "".join(f"    {row}\n" for row in paragraph.split("\n")),
        1,
    )
    write_inputs(here, text)
    assert json.loads(quotes(EST))["assumptions"][0] == paragraph


# --- lists and mappings: at most 1,000 -----------------------------------------------------------


def _many(
    here: Path, text: str, needle: str, field: str, count: int, *, card: bool = False
) -> None:
    if card:
        write_inputs(here, card=text)
    else:
        write_inputs(here, text)
    path = CARD_BESIDE if card else EST
    kind = "entries" if field in ("roles", "services") else "items"
    message = f"has {count:,} {kind}; at most 1,000"
    assert fails(here, EST) == [line(path, at(text, needle), field, message)]


def test_build_of_1001_lines(here: Path) -> None:
    # 1,000 lines before the example's own
    text = re.sub(r"(?m)^(  build:.*\n)", lambda m: m[1] + items(1_000, "b{i}"), EXAMPLE, count=1)
    _many(here, text, "- task: b0\n", "custom.build", 1_001)


def test_build_of_1000_lines_is_fine(here: Path) -> None:
    text = re.sub(r"(?s)  build:.*?(?=  per_upgrade:)", "  build:\n" + items(1_000), EXAMPLE)
    write_inputs(here, text)
    assert len(json.loads(quotes(EST))["custom"]["build"]) == 1_000


@pytest.mark.parametrize("section", ["assumptions", "exclusions"])
def test_free_text_list_of_1001_items(here: Path, section: str) -> None:
    text = re.sub(rf"(?m)^{section}:\n(?:  - .*\n)*", f"{section}:\n{bullets(1_001)}", EXAMPLE)
    _many(here, text, '- "x0"', section, 1_001)


def test_payment_of_1001_milestones(here: Path) -> None:
    rows = "".join(f"  - {{milestone: m{i}, share: 0.000999}}\n" for i in range(1_000))
    text = EXAMPLE + "payment:\n" + rows + "  - {milestone: last, share: 0.001}\n"
    _many(here, text, "- {milestone: m0,", "payment", 1_001)


def test_services_list_of_1001_keys(here: Path) -> None:
    keys = ", ".join(f"s{i}" for i in range(1_001))
    text = insert_after(EXAMPLE, "  upgrades_per_year:", f"  services: [{keys}]\n").text
    _many(here, text, "[s0,", "custom.services", 1_001)


def test_card_with_1001_roles(here: Path) -> None:
    roles = "".join(f"  role-{i}: 1\n" for i in range(1_000))
    text = CARD.replace("  engineer: 25000\n", "  engineer: 25000\n" + roles, 1)
    _many(here, text, "engineer: 25000", "roles", 1_006, card=True)


def test_card_with_1001_services(here: Path) -> None:
    rows = "".join(f"  extra-{i}: {{name: E{i}, per_year: 1}}\n" for i in range(1_000))
    text = CARD.replace("services:", "services:\n" + rows, 1)
    write_inputs(here, card=text)
    where = at(text, "  extra-0:")
    assert fails(here, EST) == [
        line(CARD_BESIDE, (where[0], 3), "services", "has 1,002 entries; at most 1,000")
    ]


# --- Unicode: NFC, control and format characters ----------------------------------------------

PRECOMPOSED = "ing\u00e9nieur"
DECOMPOSED = "inge\u0301nieur"


@pytest.mark.parametrize(
    ("in_card", "in_estimate"),
    [(PRECOMPOSED, DECOMPOSED), (DECOMPOSED, PRECOMPOSED), (DECOMPOSED, DECOMPOSED)],
    ids=["card-nfc", "estimate-nfc", "both-decomposed"],
)
def test_role_typed_two_ways_is_one_role(here: Path, in_card: str, in_estimate: str) -> None:
    card = CARD.replace("  engineer: 25000\n", f"  engineer: 25000\n  {in_card}: 30000\n", 1)
    text = edit(EXAMPLE, BUILD.format(key="role"), in_estimate).text
    write_inputs(here, text, card)
    build = json.loads(quotes(EST))["custom"]["build"][0]
    assert build["role"] == PRECOMPOSED
    assert build["rate"] == "30000.00"


def test_role_typed_two_ways_in_one_card_is_a_duplicate(here: Path) -> None:
    text = CARD.replace(
        "  engineer: 25000\n", f"  engineer: 25000\n  {PRECOMPOSED}: 1\n  {DECOMPOSED}: 2\n", 1
    )
    write_inputs(here, card=text)
    first = at(text, PRECOMPOSED)[0]
    message = f"duplicate key {PRECOMPOSED!r} (first at line {first})"
    assert fails(here, EST) == [line(CARD_BESIDE, (first + 1, 3), f"roles.{PRECOMPOSED}", message)]


def test_text_is_shown_in_nfc(here: Path) -> None:
    write_inputs(here, edit(EXAMPLE, TOP.format(key="customer"), "Caf" + "e\u0301").text)
    assert json.loads(quotes(EST))["quote"]["customer"] == "Caf\u00e9"


FORMAT = "must not contain invisible format characters such as bidi controls or zero-width spaces"
CONTROL = "must not contain control characters"
HIDDEN = [  # (YAML escape, the U+ code, the message's start)
    ("\\u202e", "U+202E", FORMAT),  # right-to-left override: Trojan Source
    ("\\u2066", "U+2066", FORMAT),  # left-to-right isolate
    ("\\u061c", "U+061C", FORMAT),  # Arabic letter mark
    ("\\u200b", "U+200B", FORMAT),  # zero-width space
    ("\\u200d", "U+200D", FORMAT),  # zero-width joiner
    ("\\ufeff", "U+FEFF", FORMAT),  # a stray byte-order mark
    ("\\u2060", "U+2060", FORMAT),  # word joiner
    ("\\u00ad", "U+00AD", FORMAT),  # soft hyphen
    ("\\U000e0041", "U+E0041", FORMAT),  # a tag character, beyond the BMP
    ("\\a", "U+0007", CONTROL),
    ("\\e", "U+001B", CONTROL),
    ("\\x9b", "U+009B", CONTROL),  # the one-byte CSI
    ("\\r", "U+000D", CONTROL),
    ("\\N", "U+0085", CONTROL),
]


@pytest.mark.parametrize(("escape", "code", "message"), HIDDEN, ids=[h[1] for h in HIDDEN])
@pytest.mark.parametrize(
    ("pattern", "field"),
    [
        (TOP.format(key="customer"), "customer"),
        (BUILD_TASK, "custom.build[0].task"),
        (r"(?m)^assumptions:\n  - (?P<v>.*)", "assumptions[0]"),
    ],
    ids=["customer", "task", "assumption"],
)
def test_hidden_character_is_refused_and_named(
    here: Path, pattern: str, field: str, escape: str, code: str, message: str
) -> None:
    changed = edit(EXAMPLE, pattern, f'"Pay 100{escape} to ACME"')
    write_inputs(here, changed.text)
    expected = line(EST, (changed.line, changed.column), field, f"{message} (found {code})")
    assert fails(here, EST) == [expected]


def test_tab_is_refused_in_a_paragraph_but_a_line_break_is_not(here: Path) -> None:
    changed = edit(EXAMPLE, r"(?m)^assumptions:\n  - (?P<v>.*)", '"a\\tb"')
    write_inputs(here, changed.text)
    expected = line(
        EST, (changed.line, changed.column), "assumptions[0]", f"{CONTROL} (found U+0009)"
    )
    assert fails(here, EST) == [expected]
    write_inputs(here, edit(EXAMPLE, r"(?m)^assumptions:\n  - (?P<v>.*)", '"a\\nb"').text)
    assert json.loads(quotes(EST))["assumptions"][0] == "a\nb"


@pytest.mark.parametrize(
    ("escape", "code"), [("\\u202e", "U+202E"), ("\\u200b", "U+200B"), ("\\e", "U+001B")]
)
def test_hidden_character_in_a_role_key_of_the_card(here: Path, escape: str, code: str) -> None:
    text = CARD.replace("  engineer: 25000\n", f'  engineer: 25000\n  "qa{escape}": 1\n', 1)
    write_inputs(here, card=text)
    [only] = fails(here, EST)
    message = FORMAT if escape != "\\e" else CONTROL
    row = at(text, '  "qa')[0]
    assert only.startswith(f"{CARD_BESIDE}:{row}:3: error: roles.qa")
    assert only.endswith(f": {message} (found {code})")


@pytest.mark.parametrize(
    ("old", "new", "field", "found"),
    [
        ("customer:", '"cust\\u202eomer":', "cust\\u202eomer", f"{FORMAT} (found U+202E)"),
        (
            "  term_years:",
            '  "term\\u200b_years":',
            "custom.term\\u200b_years",
            f"{FORMAT} (found U+200B)",
        ),
        (
            "      engineers: 2",
            '      "engineers\\e": 2',
            "custom.build[0].engineers\\x1b",
            f"{CONTROL} (found U+001B)",
        ),
        ("customer:", '"cust\\nomer":', "cust\\nomer", f"{CONTROL} (found U+000A)"),
    ],
    ids=["top", "nested", "item", "line-break"],
)
def test_hidden_character_in_any_key_is_named(
    here: Path, old: str, new: str, field: str, found: str
) -> None:
    assert EXAMPLE.count(old) == 1
    text = EXAMPLE.replace(old, new)
    write_inputs(here, text)
    where = at(text, new.lstrip(" "))
    assert line(EST, where, field, found) in fails(here, EST)


def test_hidden_character_in_a_service_key_and_reference(here: Path) -> None:
    text = CARD.replace("  health-check:", '  "health\\u200b-check":', 1)
    write_inputs(here, card=text)
    [only] = fails(here, EST)
    row = at(text, '  "health')[0]
    assert only.startswith(f"{CARD_BESIDE}:{row}:3: error: services.health")
    assert only.endswith(f": {FORMAT} (found U+200B)")


# --- percentages where a fraction belongs ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fraction", "example"),
    [
        ("5%", "0.05", "10% is 0.10"),
        ("12.5 %", "0.125", "10% is 0.10"),
    ],
)
def test_discount_as_a_percentage_says_the_fraction(
    here: Path, text: str, fraction: str, example: str
) -> None:
    changed = insert_after(EXAMPLE, "rate_card:", f"discount: {text}\n")
    write_inputs(here, changed.text)
    message = f"expected a fraction, got text {text!r}; write {fraction} ({example})"
    assert fails(here, EST) == [line(EST, (changed.line, 11), "discount", message)]


@pytest.mark.parametrize("text", ["100%", "-5%", "150 %"])
def test_a_percentage_out_of_range_suggests_no_fraction(here: Path, text: str) -> None:
    # "write 1" or "write -0.05" would only lead to the next error.
    changed = insert_after(EXAMPLE, "rate_card:", f"discount: {text}\n")
    write_inputs(here, changed.text)
    message = (
        f"expected a fraction, got text {text!r}; must be a fraction from 0 up to (not including) 1"
    )
    assert fails(here, EST) == [line(EST, (changed.line, 11), "discount", message)]


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("contingency", "10%", "expected a fraction, got text '10%'; write 0.1 (10% is 0.10)"),
        ("tax_rate", "6%", "expected a fraction, got text '6%'; write 0.06 (6% is 0.06)"),
        (
            "productize_share",
            "40%",
            "expected a fraction, got text '40%'; write 0.4 (40% is 0.40)",
        ),
    ],
)
def test_card_ratio_as_a_percentage_says_the_fraction(
    here: Path, key: str, text: str, message: str
) -> None:
    path, where = _change(here, True, rf"(?m)^  {key}: " + VALUE, text)
    assert fails(here, EST) == [line(path, where, f"policy.{key}", message)]


def test_share_and_confidence_as_percentages(here: Path) -> None:
    text = insert_after(EXAMPLE, "rate_card:", "confidence: 80%\n").text
    text += "payment:\n  - {milestone: All, share: 100%}\n"
    write_inputs(here, text)
    assert fails(here, EST) == [
        line(
            EST,
            at(text, "80%"),
            "confidence",
            "expected a fraction, got text '80%'; write 0.8 (80% is 0.8)",
        ),
        line(
            EST,
            at(text, "100%"),
            "payment[0].share",
            "expected a fraction, got text '100%'; write 1 (30% is 0.30)",
        ),
    ]


# --- YAML errors say what to check ------------------------------------------------------------

INDENT = "check the indentation of this line against the line above"


def _yaml_error(here: Path, text: str) -> tuple[int, int, str]:
    write_inputs(here, text)
    [only] = fails(here, EST)
    found = re.fullmatch(rf"{EST}:(\d+):(\d+): error: invalid YAML: (.+)", only)
    assert found is not None, only
    return int(found[1]), int(found[2]), found[3]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("      role: engineer          # must", "     role: engineer          # must"),
        ("      role: engineer          # must", "    role: engineer          # must"),
        ("    - task: Compatibility testing", "     - task: Compatibility testing"),
        ("  upgrades_per_year: 4", "   upgrades_per_year: 4"),
        ("  upgrades_per_year: 4", " upgrades_per_year: 4"),
    ],
    ids=["key-one-left", "key-under-dash", "item-one-right", "key-one-right", "key-half-out"],
)
def test_wrong_indentation_says_to_check_it(here: Path, old: str, new: str) -> None:
    assert EXAMPLE.count(old) == 1
    text = EXAMPLE.replace(old, new)
    row, _, message = _yaml_error(here, text)
    assert INDENT in message
    changed = text.index(new) + len(new) - len(new.lstrip("\n "))
    assert row in (position(text, changed)[0], position(text, changed)[0] + 1)


def test_value_with_a_colon_says_to_quote_it_or_check_indentation(here: Path) -> None:
    text = edit(EXAMPLE, TOP.format(key="title"), "Push: robot data").text
    _, _, message = _yaml_error(here, text)
    assert message.endswith("; put a value that holds ': ' in quotes, or " + INDENT)


@pytest.mark.parametrize(
    ("old", "new", "hint"),
    [
        ("  term_years: 3", "  term_years: [3", "check that each '[' and '{' is closed"),
        (
            "customer: ACME Robotics",
            'customer: "ACME Robotics',
            "check that the quote opened on line 6 is closed",
        ),
        (
            "customer: ACME Robotics",
            "customer ACME Robotics",
            "each line of a mapping is 'key: value'",
        ),
    ],
    ids=["bracket", "quote", "no-colon"],
)
def test_other_yaml_errors_say_what_to_check(here: Path, old: str, new: str, hint: str) -> None:
    assert EXAMPLE.count(old) == 1
    _, _, message = _yaml_error(here, EXAMPLE.replace(old, new))
    assert "; " + hint in message


def test_tab_in_the_indentation_says_to_use_spaces(here: Path) -> None:
    text = EXAMPLE.replace("      engineers: 2 ", "\tengineers: 2 ", 1)
    row, column, message = _yaml_error(here, text)
    assert (row, column) == at(text, "\tengineers")
    assert message.endswith("; indent with spaces: YAML does not allow tabs there")


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            "customer: ACME",
            "customer\uff1aACME",
            "\uff1a",
            "full-width colon '\uff1a'; use ':' (followed by a space)",
        ),
        (
            "custom:\n",
            "custom\uff1a\n",
            "\uff1a",
            "full-width colon '\uff1a'; use ':' (followed by a space)",
        ),
    ],
    ids=["colon", "colon-before-a-block"],
)
def test_full_width_punctuation_is_named_at_its_place(
    here: Path, old: str, new: str, needle: str, message: str
) -> None:
    assert EXAMPLE.count(old) == 1
    text = EXAMPLE.replace(old, new)
    write_inputs(here, text)
    assert fails(here, EST) == [line(EST, at(text, needle), None, f"invalid YAML: {message}")]


def test_full_width_space_before_a_key_is_named(here: Path) -> None:
    text = EXAMPLE.replace("  term_years: 3", "\u3000term_years: 3")
    write_inputs(here, text)
    custom = at(text, "  build:")
    message = "full-width space '\u3000' before the key; indent with ASCII spaces"
    assert fails(here, EST) == [
        line(EST, (custom[0], 3), "custom.term_years", "required field is missing"),
        line(EST, at(text, "\u3000"), "\\u3000term_years", message.replace("\u3000", "\\u3000")),
    ]


def test_full_width_colon_inside_a_value_is_text(here: Path) -> None:
    write_inputs(here, edit(EXAMPLE, TOP.format(key="title"), "Spec\uff1aPush").text)
    assert json.loads(quotes(EST))["quote"]["title"] == "Spec\uff1aPush"


# --- memory ------------------------------------------------------------------------------------

OUT_OF_MEMORY = (
    "nrecalc: error: out of memory; the input needs more memory than this machine gives the "
    "process\n"
)


def big_estimate() -> str:
    """Within every limit and large: 2 x 1,000 lines of 200-character names, 2 x 1,000 texts."""
    head = EXAMPLE.split("custom:")[0]
    name = "{i:04d} " + "\u00e9" * 194  # 200 characters with the prefix

    def lines(prefix: str) -> str:
        return "".join(
            f"    - task: {prefix}{name.format(i=i)}\n      role: engineer\n"
            f"      engineers: {1 + i % 7}\n      weeks: {1 + i % 5}.5\n"
            for i in range(1_000)
        )

    text = head + "custom:\n  build:\n" + lines("b") + "  per_upgrade:\n" + lines("u")
    text += "  upgrades_per_year: 4\n  term_years: 3\n"
    text += "assumptions:\n" + bullets(1_000, "{i:04d} " + "w" * 1_995)
    text += "exclusions:\n" + bullets(1_000, "{i:04d} " + "e" * 1_995)
    return text


def _run(
    folder: Path, args: list[str], limit: int | None = None
) -> subprocess.CompletedProcess[bytes]:
    def cap() -> None:
        import resource

        assert limit is not None
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return subprocess.run(
        [sys.executable, *args],
        cwd=folder,
        capture_output=True,
        timeout=300,
        check=False,
        env={**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8", "COLUMNS": "120"},
        preexec_fn=cap if limit else None,
    )


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is a Linux address-space limit")
@pytest.mark.parametrize(
    "args",
    [["table"], ["table", "--explain"], ["json"], ["csv"], ["markdown"], ["html"], ["note"]],
    ids=["table", "explain", "json", "csv", "markdown", "html", "note"],
)
def test_largest_valid_estimate_quotes_within_1_gib(tmp_path: Path, args: list[str]) -> None:
    write_inputs(tmp_path, big_estimate())
    assert 4_000_000 < (tmp_path / EST).stat().st_size < 8 * 1024 * 1024
    fmt, *more = args
    done = _run(tmp_path, ["-m", "nrecalc", "quote", EST, "--format", fmt, *more], 1 << 30)
    assert (done.returncode, done.stderr) == (0, b"")
    out = done.stdout.decode("utf-8")
    assert "Traceback" not in out
    # Bounded by a small multiple of the input, and the input's text is there.
    assert len(out) < 4 * (tmp_path / EST).stat().st_size
    if fmt not in ("note", "table", "csv"):
        assert out.count("w" * 1_995) == 1_000
    if fmt != "note":
        assert "b0999 " in out


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is a Linux address-space limit")
def test_huge_file_is_refused_by_size_before_it_is_read(tmp_path: Path) -> None:
    """A 4 GiB estimate (sparse: it costs no disk) under a 256 MiB limit: refused, not read."""
    with (tmp_path / EST).open("wb") as handle:
        handle.write(EXAMPLE.encode())
        handle.truncate(4 << 30)
    done = _run(tmp_path, ["-m", "nrecalc", "quote", EST], 256 << 20)
    assert (done.returncode, done.stdout) == (1, b"")
    assert done.stderr.decode() == f"{EST}: error: file is larger than the 8 MiB limit\n"


def test_memory_error_is_one_line_through_a_real_process(tmp_path: Path) -> None:
    script = (
        "import nrecalc.cli\n"
        "def main():\n"
        "    raise MemoryError\n"
        "nrecalc.cli.main = main\n"
        "from nrecalc.__main__ import run\n"
        "run()\n"
    )
    done = _run(tmp_path, ["-c", script])
    assert (done.returncode, done.stdout) == (1, b"")
    assert done.stderr.decode() == OUT_OF_MEMORY


OOM_SCRIPT = """
import os, resource, sys
import nrecalc.catalog, nrecalc.loader, nrecalc.models, nrecalc.output, nrecalc.pipeline
import nrecalc.pricing
import nrecalc.render.table
# The command line too (typer, click): with it loaded after the limit, the spare memory ran out
# in whichever allocation came next, at times in pydantic-core, whose Rust aborts the process.
import nrecalc.__main__, nrecalc.cli
# Start-up is done: now leave the process only a little more than it holds.
pages = int(open("/proc/self/statm").read().split()[0])
limit = pages * os.sysconf("SC_PAGE_SIZE") + int(sys.argv[1]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
sys.argv = ["nrecalc", "quote", "est.yaml", *sys.argv[2:]]
from nrecalc.__main__ import run
run()
"""


@pytest.mark.skipif(sys.platform != "linux", reason="/proc and RLIMIT_AS")
@pytest.mark.parametrize(
    ("spare_mib", "fmt"), [(2, "table"), (12, "markdown"), (24, "json"), (36, "html")]
)
def test_running_out_of_memory_is_one_line_never_a_traceback(
    tmp_path: Path, spare_mib: int, fmt: str
) -> None:
    write_inputs(tmp_path, big_estimate())
    (tmp_path / "out").mkdir()
    args = ["-c", OOM_SCRIPT, str(spare_mib), "--format", fmt, "-o", f"out/q.{fmt}"]
    done = _run(tmp_path, args)
    assert done.stdout == b""
    if done.returncode == 0:  # it fitted: then the whole file is there
        assert done.stderr == b""
        assert (tmp_path / "out" / f"q.{fmt}").stat().st_size > 100_000
    else:
        assert (done.returncode, done.stderr.decode()) == (1, OUT_OF_MEMORY)
        assert list((tmp_path / "out").iterdir()) == []  # no partial file, no temp file
    if spare_mib == 2:  # reading a 5 MB file cannot fit in 2 MiB
        assert done.returncode == 1
