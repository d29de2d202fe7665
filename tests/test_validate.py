"""nrecalc validate and nrecalc schema: every problem in every file, in three formats."""

from __future__ import annotations

import errno
import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import EXAMPLES, RATES, ROOT, replaced
from typer.testing import CliRunner

from nrecalc.cli import app
from nrecalc.loader import read_document

CARD = (RATES / "default.yaml").read_text(encoding="utf-8")
# A YAML syntax error after its prefix: the words after "invalid YAML: " are libyaml's.
YAML_ERROR = r"{}invalid YAML: [^\n]*\S"
ESTIMATE = (EXAMPLES / "reverse-push.yaml").read_text(encoding="utf-8")

# What nrecalc adds to libyaml's words for an unclosed [ or {.
FLOW_HINT = "; check that each '[' and '{' is closed, and items are separated by ', '"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "rates" / "default.yaml", CARD)
    write(tmp_path / "quotes" / "good.yaml", ESTIMATE)
    return tmp_path


def test_the_shipped_files_are_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    # rates/default.yaml, the six examples and the eight of examples/requests (nrecalc report)
    assert run("validate", "rates", "examples") == (0, "15 files checked: no problems\n", "")


def test_good_and_bad_files_in_a_folder(project: Path) -> None:
    write(project / "quotes" / "weeks.yaml", replaced(ESTIMATE, "weeks: 3 ", "weeks: -3 "))
    write(
        project / "quotes" / "two.yaml",
        replaced(
            replaced(ESTIMATE, "engineers: 2 ", "engineers: 1.5 "), "term_years: 3", "term_yars: 3"
        ),
    )
    write(project / "quotes" / "syntax.yaml", "kind: estimate\nid: [unclosed\n")
    code, out, err = run("validate", ".")
    assert code == 1
    assert err == ""
    syntax, out = out.split("\n", 1)
    flow = YAML_ERROR.format("quotes/syntax\\.yaml:3:1: error: ") + re.escape(FLOW_HINT)
    assert re.fullmatch(flow, syntax), syntax
    assert out == (
        # a missing field is reported where its mapping starts
        "quotes/two.yaml:12:3: error: custom.term_years: required field is missing\n"
        "quotes/two.yaml:15:18: error: custom.build[0].engineers: must be a whole number, got 1.5\n"
        "quotes/two.yaml:23:3: error: custom.term_yars: unknown field 'term_yars'; "
        "did you mean 'term_years'?\n"
        "quotes/weeks.yaml:16:14: error: custom.build[0].weeks: must be positive, got -3\n"
        "5 files checked: 5 errors in 3 files\n"
    )


def test_every_problem_in_a_file_is_reported(project: Path) -> None:
    bad = replaced(ESTIMATE, "engineers: 2 ", "engineers: 0 ")
    bad = replaced(bad, "weeks: 1\n", "weeks: yes\n")
    bad = replaced(bad, "upgrades_per_year: 4", "upgrades_per_year: -1")
    write(project / "quotes" / "good.yaml", bad)
    code, out, _ = run("validate", "quotes")
    assert code == 1
    assert [line.split(": error: ")[1] for line in out.splitlines()[:-1]] == [
        "custom.build[0].engineers: must be from 1 to 10,000, got 0",
        "custom.per_upgrade[0].weeks: 'yes' is ambiguous (a boolean in YAML 1.1, text in YAML "
        "1.2); write true or false, or quote it for text",
        "custom.upgrades_per_year: must be from 0 to 365, got -1",
    ]


def test_an_unknown_role_names_the_role_and_the_card(project: Path) -> None:
    write(
        project / "quotes" / "good.yaml", replaced(ESTIMATE, "role: engineer ", "role: designer ")
    )
    code, out, _ = run("validate", "quotes")
    assert code == 1
    assert out.splitlines()[0] == (
        "quotes/good.yaml:14:13: error: custom.build[0].role: unknown role 'designer'; "
        "did you mean 'engineer'? rate card 'default' (rates/default.yaml) has: architect, "
        "engineer, project-manager, qa-engineer, senior-engineer, technical-writer"
    )


def test_foreign_yaml_in_a_folder_is_skipped_but_named_is_an_error(project: Path) -> None:
    write(project / "deploy" / "app.yaml", "kind: Deployment\nmetadata: {name: x}\n")
    write(project / "deploy" / "plain.yml", "just: data\n")
    write(project / "deploy" / "helm.yaml", "name: {{ .Values.name }}\n")
    write(project / ".hidden" / "bad.yaml", "kind: estimate\n")
    assert run("validate", ".") == (
        0,
        "2 files checked: no problems\n",
        "deploy/app.yaml: notice: skipped: not an nrecalc file (kind: Deployment)\n"
        "deploy/helm.yaml: notice: skipped: not an nrecalc file (mapping keys must be "
        "plain text)\n"
        "deploy/plain.yml: notice: skipped: not an nrecalc file (no kind: rate-card or "
        "estimate)\n",
    )
    code, out, _ = run("validate", "deploy/app.yaml", "deploy/plain.yml")
    assert code == 1
    assert out == (
        "deploy/app.yaml:1:7: error: kind: is 'Deployment'; expected 'rate-card or estimate'\n"
        "deploy/plain.yml:1:1: error: kind: missing; expected kind: rate-card or estimate\n"
        "2 files checked: 2 errors in 2 files\n"
    )
    code, out, err = run("validate", "--skip-foreign", "deploy/app.yaml", "quotes/good.yaml")
    assert (code, out) == (0, "1 file checked: no problems\n")
    assert err == "deploy/app.yaml: notice: skipped: not an nrecalc file (kind: Deployment)\n"


def test_missing_path(project: Path) -> None:
    assert run("validate", "nowhere") == (
        1,
        "nowhere: error: no such file or folder\n0 files checked: 1 error in 1 file\n",
        "",
    )


def test_rate_cards_checked_across_files(project: Path) -> None:
    newer = replaced(CARD, 'version: "2026.1"', 'version: "2027.1"')
    newer = replaced(newer, "effective_from: 2026-01-01", "effective_from: 2027-01-01")
    write(project / "rates" / "next.yaml", newer)
    write(project / "rates" / "copy.yaml", replaced(CARD, "engineer: 25000", "engineer: 26000"))
    write(project / "rates" / "usd.yaml", replaced(CARD, "currency: CNY", "currency: XYZ"))
    code, out, _ = run("validate", "rates")
    assert code == 1
    assert out == (
        "rates/default.yaml:6:10: error: version: rate card 'default' version 2026.1 is also in "
        "rates/copy.yaml\n"
        "rates/next.yaml:8:17: error: effective_from: rate card 'default' version 2027.1 overlaps "
        "version 2026.1 (2026-01-01 to open-ended, in rates/copy.yaml); give the earlier one an "
        "effective_until\n"
        "rates/next.yaml:8:17: error: effective_from: rate card 'default' version 2027.1 overlaps "
        "version 2026.1 (2026-01-01 to open-ended, in rates/default.yaml); give the earlier one "
        "an effective_until\n"
        "rates/usd.yaml:7:11: error: currency: 'XYZ' is not an ISO 4217 currency code (such as "
        "CNY, USD, EUR, JPY)\n"
        "4 files checked: 4 errors in 3 files\n"
    )


def test_an_estimate_dated_outside_its_card_is_an_error(project: Path) -> None:
    card = project / "cards" / "old.yaml"
    write(card, replaced(CARD, "effective_from: 2026-01-01", "effective_from: 2027-01-01"))
    write(
        project / "quotes" / "good.yaml",
        replaced(ESTIMATE, "rate_card: default ", "rate_card: ../cards/old.yaml "),
    )
    code, out, _ = run("validate", "quotes")
    assert code == 1
    assert out.splitlines()[0] == (
        "quotes/good.yaml:8:7: error: date: 2026-11-22 is outside the dates of rate card "
        "'default' version 2026.1 (2027-01-01 to open-ended, in cards/old.yaml)"
    )


def test_a_broken_card_is_reported_once_and_each_estimate_points_at_it(project: Path) -> None:
    write(project / "rates" / "default.yaml", replaced(CARD, "engineer: 25000", "engineer: -1"))
    for n in range(2):
        write(project / "quotes" / f"q{n}.yaml", replaced(ESTIMATE, "role: engineer ", "role: x "))
    code, out, _ = run("validate", ".")
    assert code == 1
    see = "error: rate_card: rate card 'default' is invalid: see rates/default.yaml"
    assert out == (
        f"quotes/good.yaml:9:12: {see}\n"
        f"quotes/q0.yaml:9:12: {see}\n"
        f"quotes/q1.yaml:9:12: {see}\n"
        "rates/default.yaml:12:13: error: roles.engineer: must not be negative, got -1\n"
        "4 files checked: 4 errors in 4 files\n"
    )


# --- machine-readable formats ---------------------------------------------------------------


def test_json_format_is_a_list_of_problems(project: Path) -> None:
    write(project / "quotes" / "good.yaml", replaced(ESTIMATE, "weeks: 3 ", "weeks: 0 "))
    write(project / "quotes" / "x.yaml", "kind: estimate\nid: [\n")
    code, out, _ = run("validate", "quotes", "--format", "json")
    assert code == 1
    problems = json.loads(out)
    message = problems[1].pop("message")
    assert re.fullmatch(YAML_ERROR.format("") + re.escape(FLOW_HINT), message), message
    assert problems == [
        {
            "path": "quotes/good.yaml",
            "line": 16,
            "column": 14,
            "field": "custom.build[0].weeks",
            "message": "must be positive, got 0",
            "severity": "error",
        },
        {
            "path": "quotes/x.yaml",
            "line": 3,
            "column": 1,
            "field": None,
            "severity": "error",
        },
    ]
    assert run("validate", "rates", "--format", "json")[:2] == (0, "[]\n")


def test_github_format_is_workflow_commands(project: Path) -> None:
    write(project / "quotes" / "good.yaml", replaced(ESTIMATE, "weeks: 3 ", "weeks: 0 "))
    write(project / "quotes" / "a,b.yaml", "kind: estimate\nid: [\n")
    write(project / "quotes" / "c.yaml", ESTIMATE + "discount: 1.5\n")
    write(project / "quotes" / "d.yaml", replaced(ESTIMATE, "custom:\n", "custom:\n  x: 1\n"))
    code, out, _ = run("validate", "quotes", "--format", "github")
    assert code == 1
    syntax, out = out.split("\n", 1)
    assert re.fullmatch(
        YAML_ERROR.format(r"::error file=quotes/a%2Cb\.yaml,line=3,col=1::")
        + re.escape(FLOW_HINT.replace("%", "%25")),
        syntax,
    )
    assert out == (
        f"::error file=quotes/c.yaml,line={ESTIMATE.count(chr(10)) + 1},col=11,"
        "title=discount::must be a fraction from 0 up "
        "to (not including) 1, got 1.5; 10%25 is 0.10\n"
        "::error file=quotes/d.yaml,line=12,col=3,title=custom.x::unknown field 'x'; expected one "
        "of: build, per_upgrade, upgrades_per_year, term_years, lead_time_weeks, "
        "services\n"
        "::error file=quotes/good.yaml,line=16,col=14,title=custom.build[0].weeks::must be "
        "positive, got 0\n"
        "4 files checked: 4 errors in 4 files\n"
    )


# --- JSON Schema ------------------------------------------------------------------------------


def _as_json(path: Path) -> Any:
    """Read a YAML file as a JSON document would carry it (numbers as numbers)."""

    def number(value: Decimal) -> float | int:
        return int(value) if value == value.to_integral_value() else float(value)

    return json.loads(json.dumps(read_document(path).data, default=number))


def _schema(kind: str) -> dict[str, Any]:
    code, out, err = run("schema", kind)
    assert (code, err) == (0, "")
    schema: dict[str, Any] = json.loads(out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


@pytest.mark.parametrize("path", [*sorted(EXAMPLES.glob("*.yaml")), *sorted(RATES.glob("*.yaml"))])
def test_the_schema_accepts_every_shipped_file(path: Path) -> None:
    data = _as_json(path)
    jsonschema.Draft202012Validator(_schema(data["kind"])).validate(data)


@pytest.mark.parametrize(
    ("kind", "path", "old", "new"),
    [
        ("estimate", EXAMPLES / "reverse-push.yaml", "term_years:", "term_yaers:"),
        ("estimate", EXAMPLES / "reverse-push.yaml", "  - task: Reverse", "  - taks: Reverse"),
        ("rate-card", RATES / "default.yaml", "coaching_per_day:", "coaching_per_dya:"),
        ("rate-card", RATES / "default.yaml", "contingency:", "contingncy:"),
    ],
)
def test_the_schema_rejects_a_misspelt_key(
    tmp_path: Path, kind: str, path: Path, old: str, new: str
) -> None:
    bad = write(tmp_path / "bad.yaml", replaced(path.read_text(encoding="utf-8"), old, new, 1))
    errors = list(jsonschema.Draft202012Validator(_schema(kind)).iter_errors(_as_json(bad)))
    # The schema's words are jsonschema's; what matters is which rule refused the file.
    assert "additionalProperties" in {error.validator for error in errors}, errors


def test_every_field_is_described_with_an_example() -> None:
    for kind in ("rate-card", "estimate"):
        schema = _schema(kind)
        models = [schema, *schema["$defs"].values()]
        for model in models:
            assert model.get("description"), model.get("title")
            for name, field in model["properties"].items():
                assert field.get("description"), f"{kind}: {name}"
                if "$ref" not in field and field.get("type") != "array":
                    assert field.get("examples"), f"{kind}: {name}"


# --- what a review found -----------------------------------------------------------------------


def test_roles_are_checked_even_when_the_estimate_has_other_problems(project: Path) -> None:
    bad = replaced(ESTIMATE, "customer:", "custmer:")
    bad = replaced(bad, "role: engineer ", "role: enginer ")
    write(project / "quotes" / "good.yaml", bad)
    code, out, _ = run("validate", "quotes")
    assert code == 1
    assert [line.split(": error: ")[1].split(";")[0] for line in out.splitlines()[:-1]] == [
        "customer: required field is missing",
        "custmer: unknown field 'custmer'",
        "custom.build[0].role: unknown role 'enginer'",
    ]


def test_a_file_named_and_also_in_a_named_folder_counts_as_named(project: Path) -> None:
    write(project / "quotes" / "notes.yaml", "just: data\n")
    code, out, _ = run("validate", "quotes", "quotes/notes.yaml")
    assert code == 1
    assert "quotes/notes.yaml:1:1: error: kind: missing" in out


def test_a_rate_card_path_to_another_kind_is_the_estimates_error(project: Path) -> None:
    write(project / "quotes" / "other.yaml", replaced(ESTIMATE, "Q-2026-0042", "Q-2"))
    write(
        project / "quotes" / "good.yaml",
        replaced(ESTIMATE, "rate_card: default ", "rate_card: other.yaml "),
    )
    code, out, _ = run("validate", "quotes")
    assert (code, out) == (
        1,
        "quotes/good.yaml:9:12: error: rate_card: quotes/other.yaml is not a rate card (its "
        "kind: is 'estimate')\n"
        "2 files checked: 1 error in 1 file\n",
    )


def test_cards_of_one_name_in_different_folders_may_differ(project: Path) -> None:
    write(project / "acme" / "rates" / "default.yaml", replaced(CARD, "25000", "27000"))
    assert run("validate", ".")[:2] == (0, "3 files checked: no problems\n")


def test_nothing_to_check_is_an_error(project: Path) -> None:
    (project / "empty").mkdir()
    assert run("validate", "empty") == (
        1,
        "empty: error: no rate cards or estimates found here\n0 files checked: 1 error in 1 file\n",
        "",
    )


def test_names_too_long_for_the_file_system_are_one_line(project: Path) -> None:
    long = "a" * 300 + ".yaml"
    write(
        project / "quotes" / "good.yaml",
        replaced(ESTIMATE, "rate_card: default ", f"rate_card: {long} "),
    )
    code, out, _ = run("validate", "quotes", long)
    assert code == 1
    assert out.splitlines()[0] == f"{long}: error: cannot read: {os.strerror(errno.ENAMETOOLONG)}"
    assert "quotes/good.yaml:9:12: error: rate_card: " in out
    code, out, err = run("quote", "quotes/good.yaml")
    assert (code, out) == (1, "")
    assert err == f"quotes/{long}: error: cannot read: {os.strerror(errno.ENAMETOOLONG)}\n"
