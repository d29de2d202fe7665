"""nrecalc new: the estimate it writes, its questions and their checks, the command's contract.

The questions on a real terminal are in test_new_terminal.py; here they are asked by a script
(interview's Ask), and the command runs without a terminal (CliRunner, a subprocess): a skeleton.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLES, RATES, card_in, replaced
from hypothesis import example, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from nrecalc import fields
from nrecalc.catalog import RateCards
from nrecalc.cli import app
from nrecalc.interview import Check, Setup, interview, make, prepare
from nrecalc.newfile import Card, Draft, Line, estimate_text, next_id, scalar, skeleton
from nrecalc.strict_yaml import parse

TODAY = date.today()
YEAR = TODAY.year
FIRST = f"Q-{YEAR}-0001"
OPTIONAL = (
    *("standard", "productize", "prepared_by", "payment", "assumptions", "exclusions"),
    *("tags", "outcome"),
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder, the root of a repository (the card search stops there); the current one."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def card_file(name: str, *changes: tuple[str, str]) -> str:
    """The shipped card under another name, with some of its text replaced."""
    text = (RATES / "default.yaml").read_text(encoding="utf-8")
    for old, new in [("name: default", f"name: {name}"), *changes]:
        text = replaced(text, old, new)
    return text


def add_card(folder: Path, name: str, text: str | None = None) -> Path:
    (folder / "rates").mkdir(exist_ok=True)
    path = folder / "rates" / f"{name}.yaml"
    path.write_text(text or card_file(name), encoding="utf-8")
    return path


# --- the file written ----------------------------------------------------------------------------


def test_a_skeleton_is_written_as_the_next_id_and_validates(here: Path) -> None:
    code, out, err = run("new", "--no-input")
    assert (code, err) == (0, "")
    assert out == (
        f"Wrote {FIRST}.yaml, a skeleton to fill in (valid as it stands): "
        f"nrecalc quote {FIRST}.yaml\n"
    )
    assert run("validate", f"{FIRST}.yaml")[0] == 0
    code, out, err = run("quote", f"{FIRST}.yaml", "--format", "json")
    assert (code, err) == (0, "")
    assert f'"id": "{FIRST}"' in out
    assert run("new", "--no-input")[0] == 0
    assert (here / f"Q-{YEAR}-0002.yaml").is_file()


def test_the_id_follows_the_highest_in_the_folder(here: Path) -> None:
    text = (EXAMPLES / "reverse-push.yaml").read_text(encoding="utf-8")
    (here / "acme.yaml").write_text(replaced(text, "Q-2026-0042", f"Q-{YEAR}-0041"))
    (here / f"Q-{YEAR}-0007.yaml").write_text("not: an estimate\n")
    (here / "old.yaml").write_text(replaced(text, "Q-2026-0042", f"Q-{YEAR - 1}-0999"))
    assert run("new", "--no-input")[0] == 0
    assert (here / f"Q-{YEAR}-0042.yaml").is_file()


@pytest.mark.parametrize(
    ("taken", "expected"),
    [
        ([], "Q-2026-0001"),
        (["Q-2026-0009", "Q-2026-0010", "Q-2025-0500", "Q-2026-1", "ACME-1"], "Q-2026-0011"),
        (["Q-2026-9999"], "Q-2026-10000"),
    ],
)
def test_next_id(taken: list[str], expected: str) -> None:
    assert next_id(taken, 2026) == expected


def test_every_field_is_explained_and_the_optional_ones_are_there(here: Path) -> None:
    assert run("new", "--no-input")[0] == 0
    text = (here / f"{FIRST}.yaml").read_text(encoding="utf-8")
    explained = (
        *("id", "customer", "title", "date", "rate_card", "language", "build", "role"),
        *("engineers", "weeks", "per_upgrade", "upgrades_per_year", "term_years", "discount"),
    )
    for key in explained:
        assert re.search(rf"^[ -]*{key}: .*  # \S", text, re.MULTILINE), key
    for key in (*OPTIONAL, "currency", "confidence", "lead_time_weeks", "services"):
        assert re.search(rf"^ *# +{key}: .*# \S", text, re.MULTILINE), key
    # the first currency the card's fx converts to, and the card's own, said
    assert "# currency: EUR" in text and "if not CNY" in text and "(to EUR, JPY, USD)" in text
    roles = " ".join(line[4:] for line in text.splitlines() if line.startswith("  # "))
    assert "engineer, senior-engineer, architect, qa-engineer, project-manager" in roles


def _uncommented(text: str, keys: Sequence[str]) -> str:
    """Remove the '# ' of the commented-out fields named, and of their lines below."""
    out, inside = [], False
    for line in text.splitlines():
        field = re.match(r"( *)# (\w+):", line)
        if field and field[2] in keys:
            inside = True
            line = field[1] + line[len(field[0]) - len(field[2]) - 1 :]
        elif inside and re.match(r" *#   ", line):
            line = line.replace("# ", "", 1)
        else:
            inside = False
        out.append(line)
    return "\n".join(out) + "\n"


def test_the_optional_fields_are_valid_once_uncommented(here: Path) -> None:
    assert run("new", "--no-input")[0] == 0
    path = here / f"{FIRST}.yaml"
    text = path.read_text(encoding="utf-8")
    keys = (*OPTIONAL, "confidence", "lead_time_weeks", "services")
    path.write_text(_uncommented(text, keys), encoding="utf-8")
    assert not re.search(rf"# +({'|'.join(keys)}):", path.read_text(encoding="utf-8"))
    code, out, err = run("quote", str(path), "--format", "json")
    assert (code, err) == (0, "")
    quote = json.loads(out)
    assert [option["key"] for option in quote["options"]] == [
        "standard", "standard_coaching", "productize", "custom",
    ]  # fmt: skip
    assert quote["assumptions"] and quote["exclusions"]
    assert "premium-support" in out  # the card's first service, as the comment offers
    # tags and the outcome: for nrecalc report, a decision two weeks after the quote
    code, out, err = run("report", str(path), "--format", "json")
    assert (code, err) == (0, "")
    (quoted,) = json.loads(out)["quotes"]
    assert quoted["tags"] == ["reverse-push", "mqtt"]
    assert quoted["outcome"]["status"] == "custom" and quoted["outcome"]["days"] == 14


def test_the_nearest_rate_card_is_the_skeletons(here: Path) -> None:
    text = replaced(card_in("USD"), "  engineer: 25000", "  developer: 100")
    add_card(here, "acme", replaced(text, "name: default", "name: acme"))
    assert run("new", "--no-input", "a.yaml")[0] == 0
    written = (here / "a.yaml").read_text(encoding="utf-8")
    assert "rate_card: acme " in written and "role: developer " in written
    assert "# currency: EUR" in written  # not the card's own
    code, out, _ = run("quote", "a.yaml", "--format", "json")
    assert code == 0 and '"currency": "USD"' in out


def test_with_a_card_without_fx_the_currency_line_says_a_rate_is_needed(here: Path) -> None:
    """Uncommented, `currency: EUR` is an error while the card has no rate to EUR: the comment
    says so, instead of saying the card converts."""
    add_card(here, "acme", replaced(card_in("USD"), "name: default", "name: acme"))
    assert run("new", "--no-input", "a.yaml")[0] == 0
    written = (here / "a.yaml").read_text(encoding="utf-8")
    [line] = [line for line in written.splitlines() if "currency:" in line]
    assert line == (
        "# currency: EUR               # the quote's, if not USD: the card needs an fx: rate "
        "to it first (docs/currencies.md)"
    )
    (here / "b.yaml").write_text(written.replace(line, "currency: EUR"), encoding="utf-8")
    code, out, _ = run("validate", "b.yaml")
    assert code == 1 and "fx" in out  # why the line stays commented


def test_rate_card_names_the_card(here: Path) -> None:
    add_card(here, "acme")
    assert run("new", "--no-input", "--rate-card", "default", "a.yaml")[0] == 0
    assert "rate_card: default " in (here / "a.yaml").read_text(encoding="utf-8")


def test_an_unknown_rate_card_is_a_usage_error(here: Path) -> None:
    add_card(here, "acme")
    code, _, err = run("new", "--no-input", "--rate-card", "acne")
    assert code == 2
    assert "no rate card named 'acne' is found from here (found: acme, default)" in err
    assert list(here.glob("*.yaml")) == []


def test_why_no_card_is_offered_is_told_before_the_error(here: Path) -> None:
    """A card with no version in effect today is left out with a warning: when it was the only
    one, the warning comes before `no rate card found`, and before --rate-card's usage error."""
    later = (TODAY + timedelta(days=400)).isoformat()
    add_card(
        here,
        "default",
        card_file("default", ("effective_from: 2026-01-01", f"effective_from: {later}")),
    )
    code, _, err = run("new", "--no-input")
    lines = err.splitlines()
    assert code == 1 and len(lines) == 2
    assert lines[0] == (
        f"rates: warning: no version of rate card 'default' is in effect on {TODAY}; "
        f"versions: 2026.1 ({later} to open-ended)"
    )
    assert lines[1] == (
        ".: error: no rate card found: put one in a rates/ folder beside the estimate, or above it"
    )
    code, _, err = run("new", "--no-input", "--rate-card", "default")
    assert code == 2 and err.startswith(f"{lines[0]}\n")
    assert "no rate card named 'default' is found from here (found: none)" in err
    assert list(here.glob("*.yaml")) == []


def test_cards_are_found_from_the_files_folder(here: Path) -> None:
    (here / "quotes").mkdir()
    add_card(here / "quotes", "acme")
    assert run("new", "--no-input", "quotes/a.yaml")[0] == 0
    assert "rate_card: acme " in (here / "quotes" / "a.yaml").read_text(encoding="utf-8")


@given(st.text(min_size=1, max_size=60))
def test_text_reads_back_as_written(text: str) -> None:
    try:
        value = fields.check(fields.Text, text)
    except ValueError:
        return  # not a name the files allow
    assert parse(f"key: {scalar(value)}  # a comment\n", "t.yaml").data == {"key": value}


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("ACME Robotics", True),
        ("Reverse push of robot data to the customer's platform", True),
        ("中文客户", True),
        ("Reverse push: robot data", False),
        ("yes", False),
        ("Null", False),
        ("2026-01-01", False),
        ("#1 customer", False),
        ('say "hi"', False),
    ],
)
def test_text_is_plain_when_it_can_be(text: str, plain: bool) -> None:
    assert (scalar(text) == text) is plain
    assert parse(f"key: {scalar(text)}\n", "t.yaml").data == {"key": text}


# --- the command's contract ----------------------------------------------------------------------


def test_an_existing_file_is_not_replaced_without_force(here: Path) -> None:
    (here / "a.yaml").write_text("mine\n")
    code, out, err = run("new", "a.yaml", "--no-input")
    assert (code, out, err) == (
        3,
        "",
        "a.yaml: error: already exists; use --force to overwrite it\n",
    )
    assert (here / "a.yaml").read_text() == "mine\n"
    assert run("new", "a.yaml", "--no-input", "--force")[0] == 0
    assert (here / "a.yaml").read_text().startswith("# A new estimate")
    assert [p.name for p in here.iterdir() if p.name.startswith(".nrecalc")] == []


def test_a_folder_that_is_not_there_is_exit_3(here: Path) -> None:
    code, _, err = run("new", "nowhere/a.yaml", "--no-input")
    assert (code, err) == (3, "nowhere/a.yaml: error: cannot write: no folder 'nowhere'\n")


def test_without_a_terminal_it_writes_a_skeleton(here: Path) -> None:
    code, out, _ = run("new", "a.yaml")  # CliRunner's stdin is no terminal
    assert code == 0 and "a skeleton" in out
    assert (here / "a.yaml").read_text().startswith("# A new estimate to fill in")


def test_help_shows_examples() -> None:
    code, out, _ = run("new", "--help")
    assert code == 0
    assert "nrecalc new --no-input" in out.split("Examples:", 1)[1]
    assert "FILE" in out.splitlines()[0] and "{" not in out


def test_a_real_process_writes_a_skeleton_and_asks_nothing(here: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nrecalc", "new"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        cwd=here,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout.startswith(f"Wrote {FIRST}.yaml".encode())
    done = subprocess.run(
        [sys.executable, "-m", "nrecalc", "validate", f"{FIRST}.yaml"],
        capture_output=True,
        cwd=here,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout


def test_only_the_questions_import_questionary(here: Path) -> None:
    """quote's start-up, and a skeleton, do without questionary and prompt_toolkit."""
    script = (
        "import sys\n"
        "from nrecalc.cli import main\n"
        "sys.argv = ['nrecalc', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = {'questionary', 'prompt_toolkit', 'nrecalc.interview', 'nrecalc.newfile'}\n"
        "print(sorted(heavy & set(sys.modules)), file=sys.stderr)\n"
    )
    example = str(EXAMPLES / "reverse-push.yaml")
    for args, expected in (
        (["quote", example], "[]"),
        (["--help"], "[]"),
        (["new", "--no-input"], "['nrecalc.interview', 'nrecalc.newfile']"),
    ):
        done = subprocess.run(
            [sys.executable, "-c", script, *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            cwd=here,
            timeout=60,
        )
        assert done.stderr.decode().strip() == expected, args


# --- the questions, asked by a script --------------------------------------------------------


class Script:
    """Answers the questions in order; a wrong answer is told (as the terminal would) and the
    next one taken, until one passes."""

    def __init__(self, answers: Sequence[str | bool]) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []
        self.told: list[str] = []

    def _next(self, question: str) -> str | bool:
        self.asked.append(question)
        assert self.answers, f"no answer left for {question!r}"
        return self.answers.pop(0)

    def text(self, question: str, check: Check, default: str = "") -> str:
        while True:
            answer = self._next(question)
            assert isinstance(answer, str)
            answer = answer or default  # Enter alone takes the default
            try:
                check(answer)
            except ValueError as exc:
                self.told.append(str(exc))
                continue
            return answer

    def select(self, question: str, choices: Sequence[tuple[str, str]], default: str) -> str:
        answer = self._next(question)
        values = [value for value, _ in choices]
        assert answer in values or answer == "", (answer, values)
        return str(answer or default)

    def confirm(self, question: str, default: bool) -> bool:
        answer = self._next(question)
        return default if answer == "" else bool(answer)


def _setup(cards: RateCards) -> Setup:
    setup, warnings = prepare(None, None, today=TODAY, force=False, cards=cards)
    assert warnings == []
    assert setup.folder == Path(".")
    return setup


REVERSE_PUSH: list[str | bool] = [
    "ACME Robotics", "Reverse push of robot data", "", "",  # customer, title, no tags, the id
    "",  # the first rate card
    "Reverse-push connector", "engineer", "2", "3", False,  # build
    True, "Compatibility testing", "engineer", "1", "1", False,  # per upgrade
    "4", "3", "0", "en",
]  # fmt: skip


def test_the_reverse_push_answers_give_the_examples_quote(here: Path) -> None:
    cards = RateCards()
    script = Script(REVERSE_PUSH)
    draft = interview(script, _setup(cards))
    assert script.answers == [] and script.told == []
    made = make(draft, _setup(cards), None, cards, is_skeleton=False)
    assert made.target == Path(f"{FIRST}.yaml")
    assert made.quote.custom.total == Decimal("509065.00")  # README: the example's total
    assert made.text.startswith(f"# Quote {FIRST} for ACME Robotics, written by nrecalc new.")


def _told(answers: list[str | bool], at: int, wrong: Sequence[str]) -> list[str]:
    """Give the wrong answers before the one at index at; return what they were told."""
    script = Script([*answers[:at], *wrong, *answers[at:]])
    interview(script, _setup(RateCards()))
    assert script.answers == []
    return script.told


def test_wrong_answers_are_told_as_the_loader_tells_them(here: Path) -> None:
    told = _told(REVERSE_PUSH, 18, ["5%", "1"])  # the discount
    assert told == [
        "discount: expected a fraction, got text '5%'; write 0.05 (10% is 0.10)",
        "discount: must be a fraction from 0 up to (not including) 1, got 1; 10% is 0.10",
    ]
    # the loader says the same of the same value in a file
    text = (EXAMPLES / "reverse-push.yaml").read_text(encoding="utf-8")
    (here / "e.yaml").write_text(text + "discount: 5%\n", encoding="utf-8")
    (here / "rates").mkdir()
    (here / "rates" / "default.yaml").write_text((RATES / "default.yaml").read_text())
    out = run("validate", "e.yaml")[1]
    assert f"error: {told[0]}\n" in out


@pytest.mark.parametrize(
    ("at", "wrong", "message"),
    [
        (0, [" "], "customer: must not be empty"),
        (2, ["sso, SSO"], "tags[1]: 'SSO' is not a tag: lowercase letters and digits in words"),
        (2, ["a--b"], "tags[0]: 'a--b' is not a tag: lowercase letters and digits in words"),
        (2, ["x" * 51], "tags[0]: is 51 characters long; at most 50"),
        (7, ["2.5"], "custom.build[0].engineers: must be a whole number, got 2.5"),
        (7, ["0"], "custom.build[0].engineers: must be from 1 to 10,000, got 0"),
        (7, ["010"], "custom.build[0].engineers: 010 has a leading zero (YAML 1.1 reads it as"),
        (8, ["0"], "custom.build[0].weeks: must be positive, got 0"),
        (8, ["3/2/6"], "custom.build[0].weeks.likely: 2 is below low (3)"),
        (8, ["2/3"], "custom.build[0].weeks: give one number of weeks, or three as low/likely"),
        (14, ["x/1/2"], "custom.per_upgrade[0].weeks.low: expected a number, got text 'x'"),
        (16, ["4.5"], "custom.upgrades_per_year: must be a whole number, got 4.5"),
        (17, ["0"], "custom.term_years: must be from 1 to 50, got 0"),
    ],
)
def test_each_answer_is_checked_by_its_fields_rule(
    here: Path, at: int, wrong: list[str], message: str
) -> None:
    assert _told(REVERSE_PUSH, at, wrong)[0].startswith(message)


def test_a_range_of_weeks_is_written_as_a_range(here: Path) -> None:
    answers = [*REVERSE_PUSH]
    answers[8] = "2 / 3 / 6"
    cards = RateCards()
    setup = _setup(cards)
    made = make(interview(Script(answers), setup), setup, None, cards, is_skeleton=False)
    assert "      weeks: {low: 2, likely: 3, high: 6}" in made.text
    assert made.quote.custom.nre > Decimal("165000")  # priced at 80% confidence


def test_an_id_whose_file_exists_is_refused(here: Path) -> None:
    (here / f"{FIRST}.yaml").write_text("mine\n")
    told = _told(REVERSE_PUSH, 3, ["../up", FIRST])  # then Enter: Q-YEAR-0002, suggested
    assert len(told) == 2
    assert told[0].startswith("id: '../up' cannot name the estimate's file; use letters")
    assert told[1] == f"id: {FIRST}.yaml already exists; use --force to overwrite it"


def _estimate_with_id(path: Path, quote_id: str) -> None:
    text = (EXAMPLES / "reverse-push.yaml").read_text(encoding="utf-8")
    path.write_text(replaced(text, "Q-2026-0042", quote_id), encoding="utf-8")


def test_an_id_another_estimate_here_has_is_refused(here: Path) -> None:
    """nrecalc report and a batch refuse two estimates with one id (in any case): so does new."""
    _estimate_with_id(here / "acme.yaml", "Q-2026-0101")
    _estimate_with_id(here / "acme-again.yaml", "Q-2026-0101")
    _estimate_with_id(here / "cafe.yaml", "CAFE\u0301-1")  # É, decomposed: NFC as the batch reads
    told = _told(REVERSE_PUSH, 3, ["Q-2026-0101", "q-2026-0101", "CAF\u00c9-1"])
    assert told == [
        "id: 'Q-2026-0101' is already the id of acme-again.yaml, acme.yaml; give each quote its "
        "own id",
        "id: 'q-2026-0101' is already the id of acme-again.yaml, acme.yaml (as 'Q-2026-0101': "
        "ids that differ in case alone are one); give each quote its own id",
        "id: 'CAF\u00c9-1' is already the id of cafe.yaml; give each quote its own id",
    ]


def test_an_id_another_estimate_has_is_refused_when_the_file_is_given(here: Path) -> None:
    (here / "quotes").mkdir()
    _estimate_with_id(here / "quotes" / "acme.yaml", "ACME-7")
    cards = RateCards()
    setup, _ = prepare(Path("quotes/new.yaml"), None, today=TODAY, force=False, cards=cards)
    script = Script([*REVERSE_PUSH[:3], "acme-7", "ACME-8", *REVERSE_PUSH[4:]])
    assert interview(script, setup).id == "ACME-8"
    assert script.told == [
        "id: 'acme-7' is already the id of quotes/acme.yaml (as 'ACME-7': ids that differ in "
        "case alone are one); give each quote its own id"
    ]


def test_the_id_of_the_file_replaced_may_be_kept(here: Path) -> None:
    """With --force, the file new replaces is not another estimate: its id may be given again."""
    _estimate_with_id(here / "acme.yaml", "ACME-7")
    _estimate_with_id(here / "ACME-8.yaml", "ACME-8")
    cards = RateCards()
    for target, kept in [(Path("acme.yaml"), "ACME-7"), (None, "ACME-8")]:
        setup, _ = prepare(target, None, today=TODAY, force=True, cards=cards)
        script = Script([*REVERSE_PUSH[:3], kept, *REVERSE_PUSH[4:]])
        assert (interview(script, setup).id, script.told) == (kept, [])


def test_the_skeletons_id_is_no_other_estimates_in_any_case(here: Path) -> None:
    _estimate_with_id(here / "acme.yaml", f"q-{YEAR}-0001")
    assert run("new", "--no-input")[0] == 0
    assert (here / f"Q-{YEAR}-0002.yaml").is_file()
    assert run("report", ".")[0] == 0


def test_the_cards_maximum_discount_is_checked(here: Path) -> None:
    add_card(here, "strict", card_file("strict", ("# max_discount: 0.20", "max_discount: 0.05")))
    told = _told(REVERSE_PUSH, 18, ["0.06"])
    assert told == [
        "discount: 6% is above the rate card's maximum discount of 5% (policy.max_discount of "
        "rate card 'strict', rates/strict.yaml)"
    ]


def test_the_writer_says_the_cards_roles_and_an_empty_per_upgrade(here: Path) -> None:
    card = Card("c", "JPY", tuple(f"role-{n}" for n in range(30)))
    draft = Draft("Q-1", "A", "B", TODAY, card, (Line("T", "role-3", 1, Decimal("0.5")),), ())
    text = estimate_text(draft, "x.yaml")
    assert "role-11 and 18 more." in text
    assert re.search(r"^  per_upgrade: \[\] +# ", text, re.MULTILINE)
    assert parse(text, "x.yaml").data["custom"]["per_upgrade"] == []
    assert skeleton("Q-1", TODAY, card).build[0].role == "role-0"  # no engineer: the first


def _name(text: str) -> bool:
    try:
        return bool(fields.check(fields.Text, text) == text)
    except ValueError:
        return False


NAMES = st.text(min_size=1, max_size=40).filter(_name)


@given(customer=NAMES, title=NAMES, task=NAMES, role=NAMES, shown=st.text(min_size=1))
def test_any_answers_read_back_as_given(
    customer: str, title: str, task: str, role: str, shown: str
) -> None:
    card = Card(role, "CNY", (role,), (role,))
    weeks = (Decimal("0.5"), Decimal(3), Decimal("6.25"))
    line = Line(task, role, 2, weeks)
    draft = Draft("Q-1", customer, title, TODAY, card, (line,), (line,), discount=Decimal("0.1"))
    doc = parse(estimate_text(draft, shown), "x.yaml")
    assert doc.problems == []
    data = doc.data
    assert (data["customer"], data["title"], data["rate_card"]) == (customer, title, role)
    three = dict(zip(("low", "likely", "high"), weeks, strict=True))
    item = {"task": task, "role": role, "engineers": 2, "weeks": three}
    assert data["custom"]["build"] == data["custom"]["per_upgrade"] == [item]
    assert data["discount"] == Decimal("0.1")


# --- the tags ------------------------------------------------------------------------------------


def _tagged(answer: str) -> list[str | bool]:
    return [*REVERSE_PUSH[:2], answer, *REVERSE_PUSH[3:]]


def test_tags_are_asked_after_the_title_and_written(here: Path) -> None:
    cards = RateCards()
    setup = _setup(cards)
    script = Script(_tagged(" reverse-push, mqtt  sso,"))
    draft = interview(script, setup)
    assert script.answers == [] and script.told == []
    assert script.asked[1:3] == [
        "Title (what is asked, in a line)",
        "Tags (slugs such as reverse-push, mqtt, separated by commas or spaces; Enter for none)",
    ]
    assert draft.tags == ("reverse-push", "mqtt", "sso")
    made = make(draft, setup, None, cards, is_skeleton=False)
    assert re.search(r"^tags: \[reverse-push, mqtt, sso\] +# \S", made.text, re.MULTILINE)
    assert re.search(r"^# outcome: +# \S", made.text, re.MULTILINE)
    made.target.write_text(made.text, encoding="utf-8")
    assert run("validate", str(made.target))[0] == 0
    assert parse(made.text, "x.yaml").data["tags"] == ["reverse-push", "mqtt", "sso"]


def test_no_tags_leave_an_example_commented_out(here: Path) -> None:
    cards = RateCards()
    setup = _setup(cards)
    made = make(interview(Script(REVERSE_PUSH), setup), setup, None, cards, is_skeleton=False)
    assert re.search(r"^# tags: \[reverse-push, mqtt\] +# \S", made.text, re.MULTILINE)
    assert "tags" not in parse(made.text, "x.yaml").data


def _loader_says(here: Path, tags: str) -> str:
    """What validate says of an estimate with this `tags:` line."""
    text = (EXAMPLES / "reverse-push.yaml").read_text(encoding="utf-8")
    (here / "e.yaml").write_text(f"{text}tags: {tags}\n", encoding="utf-8")
    code, out, _ = run("validate", "e.yaml")
    assert code == 1
    return out


def test_a_wrong_tag_is_told_as_the_loader_tells_it_and_corrected(here: Path) -> None:
    wrong = ["Reverse-Push, mqtt", "mqtt sso,mqtt", "Mqtt_Bridge"]
    script = Script(_tagged(wrong[0]))
    script.answers[3:3] = [*wrong[1:], "reverse-push mqtt"]
    assert interview(script, _setup(RateCards())).tags == ("reverse-push", "mqtt")
    assert script.told == [
        "tags[0]: 'Reverse-Push' is not a tag: lowercase letters and digits in words joined by "
        "single hyphens, such as reverse-push; write 'reverse-push'",
        "tags[2]: tag 'mqtt' is listed twice (also tags[0])",
        "tags[0]: 'Mqtt_Bridge' is not a tag: lowercase letters and digits in words joined by "
        "single hyphens, such as reverse-push; write 'mqtt-bridge'",
    ]
    # word for word what the loader says of the same tags in a file
    in_file = ["[Reverse-Push, mqtt]", "[mqtt, sso, mqtt]", "[Mqtt_Bridge]"]
    for told, tags in zip(script.told, in_file, strict=True):
        assert f"error: {told}\n" in _loader_says(here, tags)


def test_a_tag_not_in_ascii_gets_no_slug_to_write(here: Path) -> None:
    """`ѕso` (a Cyrillic ѕ) is not `so`, nor `café` `caf`: the hint is for ASCII text only."""
    told = _told(_tagged(""), 2, ["\u0455so", "caf\u00e9"])
    rule = "lowercase letters and digits in words joined by single hyphens, such as reverse-push"
    assert told == [
        f"tags[0]: '\u0455so' is not a tag: {rule}",
        f"tags[0]: 'caf\u00e9' is not a tag: {rule}",
    ]
    for message, tags in zip(told, ["[\u0455so]", "[caf\u00e9]"], strict=True):
        assert f"error: {message}\n" in _loader_says(here, tags)


def test_more_tags_than_a_list_holds_are_told_as_the_loader_tells_it(here: Path) -> None:
    many = [f"t{n}" for n in range(fields.MAX_ITEMS + 1)]
    told = _told(_tagged(""), 2, [", ".join(many)])
    assert told == ["tags: has 1,001 items; at most 1,000"]
    assert f"error: {told[0]}\n" in _loader_says(here, f"[{', '.join(many)}]")


def test_the_tags_used_in_the_folder_are_offered(here: Path) -> None:
    text = (EXAMPLES / "reverse-push.yaml").read_text(encoding="utf-8")
    for name, tags in [("a", "[sso, mqtt]"), ("b", "[sso]"), ("c", "[Bad Tag, mqtt-bridge]")]:
        (here / f"{name}.yaml").write_text(f"{text}tags: {tags}\n", encoding="utf-8")
    (here / "d.yaml").write_text("kind: rate_card\ntags: [not-offered]\n", encoding="utf-8")
    script = Script(REVERSE_PUSH)
    interview(script, _setup(RateCards()))
    assert script.asked[2].endswith("; Enter for none; used here: sso, mqtt, mqtt-bridge)")


TAGS = st.lists(st.from_regex(fields.TAG_PATTERN, fullmatch=True), max_size=5, unique=True)


@given(tags=TAGS.filter(lambda tags: all(len(tag) <= fields.MAX_TAG for tag in tags)))
@example(tags=["2026", "no", "null", "y", "on", "1e3", "0x1f", "reverse-push"])
def test_any_tags_read_back_as_given(tags: list[str]) -> None:
    card = Card("c", "CNY", ("r",))
    draft = Draft("Q-1", "A", "B", TODAY, card, (Line("T", "r", 1, Decimal(1)),), tags=tuple(tags))
    data = parse(estimate_text(draft, "x.yaml"), "x.yaml").data
    assert data.get("tags", []) == tags
