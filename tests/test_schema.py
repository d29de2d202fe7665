"""The JSON Schema is as strict as `validate` wherever JSON Schema can say it (SPEC 5).

A corpus of malformed estimates and rate cards, each the shipped example or card with one change,
goes to both `nrecalc validate` and the schema of `nrecalc schema` (jsonschema's
Draft202012Validator). Every file is classified, and the class is checked, not trusted:

- SHAPE: the file parses under the strict YAML rules and validate refuses it for its shape (a
  type, a bound, a length, a count, a required or unknown key, a pattern): the schema must refuse
  it too.
- YAML: refused while reading (duplicate keys, tags, YAML 1.1 forms, non-finite numbers,
  encoding): JSON Schema sees data, not YAML text.
- CROSS: the file alone is valid (its model validates); validate refuses it for what another file
  says (a role the card lacks).
- BEYOND: a shape rule JSON Schema cannot state over JSON data (each has its reason).

The schema's own messages are not asserted on: only whether it accepts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, NamedTuple

import jsonschema
import pytest
import yaml
from conftest import EXAMPLES, RATES
from typer.testing import CliRunner

from nrecalc.cli import app
from nrecalc.errors import InputError
from nrecalc.loader import to_model
from nrecalc.models import Estimate, RateCard
from nrecalc.strict_yaml import parse

EXAMPLE = (EXAMPLES / "reverse-push.yaml").read_text(encoding="utf-8")
CARD = (RATES / "default.yaml").read_text(encoding="utf-8")
RUNNER = CliRunner()

SHAPE, YAML, CROSS, BEYOND = "shape", "yaml", "cross", "beyond"


class Case(NamedTuple):
    """One malformed file: its kind, its text, the field validate names, and its class."""

    kind: str
    text: str
    field: str
    category: str


def est(old: str, new: str, field: str, category: str = SHAPE) -> Case:
    """The example with old (found exactly once) replaced by new."""
    assert EXAMPLE.count(old) == 1, old
    return Case("estimate", EXAMPLE.replace(old, new), field, category)


def est_plus(added: str, field: str, category: str = SHAPE) -> Case:
    """The example with lines added at its end."""
    return Case("estimate", EXAMPLE + added, field, category)


def est_block(pattern: str, new: str, field: str) -> Case:
    """The example with the block pattern matches (exactly once) replaced by new."""
    text, count = re.subn(pattern, new, EXAMPLE)
    assert count == 1, pattern
    return Case("estimate", text, field, SHAPE)


def card(old: str, new: str, field: str, category: str = SHAPE) -> Case:
    """The card with old (found exactly once) replaced by new."""
    assert CARD.count(old) == 1, old
    return Case("rate-card", CARD.replace(old, new), field, category)


BUILD_WEEKS = "      weeks: 3 "
PU_WEEKS = "      engineers: 1\n      weeks: 1\n"
BUILD_ENGINEERS = "      engineers: 2 "
ROLE = "      role: engineer          #"
TASK = "    - task: Reverse-push connector"
CUSTOMER = "customer: ACME Robotics"
ASSUMPTION = "  - The customer's platform accepts HTTPS POST of JSON batches."
UPGRADES = "  upgrades_per_year: 4"
TERM = "  term_years: 3"
COACHING = "  coaching_days: 1"
DATE = "date: 2026-11-22"
BUILD = "custom.build[0]"
BUILD_BLOCK = r"(?s)  build:.*?(?=  per_upgrade:)"


def many(count: int, row: str) -> str:
    return "".join(row.format(i=i) for i in range(count))


CASES: dict[str, Case] = {
    # --- effort: weeks as a number and as a range, engineers ---
    "weeks-0": est(BUILD_WEEKS, "      weeks: 0 ", f"{BUILD}.weeks"),
    "weeks-negative": est(BUILD_WEEKS, "      weeks: -2 ", f"{BUILD}.weeks"),
    "weeks-99999": est(BUILD_WEEKS, "      weeks: 99999 ", f"{BUILD}.weeks"),
    "weeks-10001": est(BUILD_WEEKS, "      weeks: 10001 ", f"{BUILD}.weeks"),
    "weeks-0.0": est(BUILD_WEEKS, "      weeks: 0.0 ", f"{BUILD}.weeks"),
    "pu-weeks-0": est(
        PU_WEEKS, "      engineers: 1\n      weeks: 0\n", "custom.per_upgrade[0].weeks"
    ),
    "weeks-quoted": est(BUILD_WEEKS, '      weeks: "3" ', f"{BUILD}.weeks"),
    "weeks-boolean": est(BUILD_WEEKS, "      weeks: true ", f"{BUILD}.weeks"),
    "weeks-list": est(BUILD_WEEKS, "      weeks: [2, 3, 6] ", f"{BUILD}.weeks"),
    "weeks-text": est(BUILD_WEEKS, "      weeks: three ", f"{BUILD}.weeks"),
    "weeks-null": est(BUILD_WEEKS, "      weeks: ", f"{BUILD}.weeks"),
    "range-low-0": est(
        BUILD_WEEKS, "      weeks: {low: 0, likely: 3, high: 6} ", f"{BUILD}.weeks.low"
    ),
    "range-high-10001": est(
        BUILD_WEEKS, "      weeks: {low: 2, likely: 3, high: 10001} ", f"{BUILD}.weeks.high"
    ),
    "range-no-high": est(BUILD_WEEKS, "      weeks: {low: 2, likely: 3} ", f"{BUILD}.weeks.high"),
    "range-extra-key": est(
        BUILD_WEEKS, "      weeks: {low: 2, likely: 3, high: 6, worst: 9} ", f"{BUILD}.weeks.worst"
    ),
    "range-quoted": est(
        BUILD_WEEKS, "      weeks: {low: 2, likely: '3', high: 6} ", f"{BUILD}.weeks.likely"
    ),
    "engineers-0": est(BUILD_ENGINEERS, "      engineers: 0 ", f"{BUILD}.engineers"),
    "engineers-negative": est(BUILD_ENGINEERS, "      engineers: -1 ", f"{BUILD}.engineers"),
    "engineers-10001": est(BUILD_ENGINEERS, "      engineers: 10001 ", f"{BUILD}.engineers"),
    "engineers-fraction": est(BUILD_ENGINEERS, "      engineers: 1.5 ", f"{BUILD}.engineers"),
    "engineers-quoted": est(BUILD_ENGINEERS, '      engineers: "2" ', f"{BUILD}.engineers"),
    "task-missing": est(TASK + "\n      role", "    - role", f"{BUILD}.task"),
    "item-unknown-key": est(TASK, "    - taks: Reverse-push connector", f"{BUILD}.taks"),
    "build-empty": est_block(BUILD_BLOCK, "  build: []\n", "custom.build"),
    "build-1001": est_block(
        BUILD_BLOCK,
        "  build:\n"
        + many(1_001, "    - {{task: t{i}, role: engineer, engineers: 1, weeks: 1}}\n"),
        "custom.build",
    ),
    # --- the rest of custom ---
    "upgrades-negative": est(UPGRADES, "  upgrades_per_year: -1", "custom.upgrades_per_year"),
    "upgrades-366": est(UPGRADES, "  upgrades_per_year: 366", "custom.upgrades_per_year"),
    "term-0": est(TERM, "  term_years: 0", "custom.term_years"),
    "term-51": est(TERM, "  term_years: 51", "custom.term_years"),
    "term-missing": est(TERM, "", "custom.term_years"),
    "lead-time-0": est(TERM, TERM + "\n  lead_time_weeks: 0", "custom.lead_time_weeks"),
    "lead-time-10001": est(TERM, TERM + "\n  lead_time_weeks: 10001", "custom.lead_time_weeks"),
    "services-not-a-list": est(TERM, TERM + "\n  services: premium-support", "custom.services"),
    "services-twice": est(
        TERM, TERM + "\n  services: [premium-support, premium-support]", "custom.services"
    ),
    "service-key-201": est(TERM, TERM + f"\n  services: [{'s' * 201}]", "custom.services[0]"),
    "custom-missing": est_block(r"(?s)\ncustom:.*?(?=\nstandard:)", "", "custom"),
    # --- standard, discount, confidence, productize, payment ---
    "coaching-negative": est(COACHING, "  coaching_days: -1", "standard.coaching_days"),
    "coaching-10001": est(COACHING, "  coaching_days: 10001", "standard.coaching_days"),
    "integration-3651": est(
        COACHING, COACHING + "\n  integration_days: 3651", "standard.integration_days"
    ),
    "integration-fraction": est(
        COACHING, COACHING + "\n  integration_days: 2.5", "standard.integration_days"
    ),
    "standard-not-a-mapping": est("standard:\n" + COACHING, "standard: 5", "standard"),
    "discount-1": est_plus("discount: 1\n", "discount"),
    "discount-negative": est_plus("discount: -0.1\n", "discount"),
    "discount-percent": est_plus("discount: 5%\n", "discount"),
    "confidence-0.3": est_plus("confidence: 0.3\n", "confidence"),
    "confidence-1": est_plus("confidence: 1\n", "confidence"),
    "release-weeks-0": est_plus("productize:\n  release_weeks: 0\n", "productize.release_weeks"),
    "productize-extra": est_plus(
        "productize:\n  release_weeks: 4\n  share: 0.4\n", "productize.share"
    ),
    "share-0": est_plus(
        "payment:\n  - {milestone: A, share: 0}\n  - {milestone: B, share: 1}\n",
        "payment[0].share",
    ),
    "share-1.5": est_plus("payment:\n  - {milestone: A, share: 1.5}\n", "payment[0].share"),
    "payment-empty": est_plus("payment: []\n", "payment"),
    "milestone-missing": est_plus("payment:\n  - {share: 1}\n", "payment[0].milestone"),
    "payment-1001": est_plus(
        "payment:\n"
        + many(1_000, "  - {{milestone: m{i}, share: 0.000999}}\n")
        + "  - {milestone: last, share: 0.001}\n",
        "payment",
    ),
    # --- dates ---
    "date-short": est(DATE, "date: 2026-1-1", "date"),
    "date-month-13": est(DATE, "date: 2026-13-01", "date"),
    "date-year-9999": est(DATE, "date: 9999-12-31", "date"),
    "date-number": est(DATE, "date: 20261122", "date"),
    "date-time": est(DATE, "date: 2026-11-22T10:00:00", "date"),
    # --- text ---
    "id-missing": est("id: Q-2026-0042\n", "", "id"),
    "customer-empty": est(CUSTOMER, 'customer: ""', "customer"),
    "customer-spaces": est(CUSTOMER, 'customer: "   "', "customer"),
    "customer-201": est(CUSTOMER, "customer: " + "c" * 201, "customer"),
    "customer-bidi": est(CUSTOMER, 'customer: "ACME\\u202eRobotics"', "customer"),
    "customer-zero-width": est(CUSTOMER, 'customer: "ACME\\u200bRobotics"', "customer"),
    "customer-bom": est(CUSTOMER, 'customer: "ACME\\ufeffRobotics"', "customer"),
    "customer-tab": est(CUSTOMER, 'customer: "ACME\\tRobotics"', "customer"),
    "customer-escape": est(CUSTOMER, 'customer: "ACME\\e[31m"', "customer"),
    "customer-two-lines": est(CUSTOMER, 'customer: "ACME\\nRobotics"', "customer"),
    "customer-c1": est(CUSTOMER, 'customer: "ACME\\x9bRobotics"', "customer"),
    "title-number": est(
        "title: Reverse push of robot data to the customer's platform", "title: 42", "title"
    ),
    "task-zero-width": est(TASK, '    - task: "Reverse\\u200b-push"', f"{BUILD}.task"),
    "role-201": est(ROLE, "      role: " + "r" * 201 + " #", f"{BUILD}.role"),
    "rate-card-1001": est("rate_card: default ", "rate_card: " + "r" * 1_001 + " ", "rate_card"),
    "assumption-2001": est(ASSUMPTION, "  - " + "a" * 2_001, "assumptions[0]"),
    "assumption-bidi": est(ASSUMPTION, '  - "pay \\u2066100\\u2069"', "assumptions[0]"),
    "assumption-tab": est(ASSUMPTION, '  - "a\\tb"', "assumptions[0]"),
    "assumptions-1001": est(
        "assumptions:\n", "assumptions:\n" + many(999, "  - a{i}\n"), "assumptions"
    ),
    "assumptions-text": est_block(
        r"(?m)^assumptions:\n(?:  - .*\n)*", "assumptions: some text\n", "assumptions"
    ),
    "exclusion-escape": est(
        "  - Changes to the customer's platform.", '  - "Changes\\e]52;c;x\\a"', "exclusions[0]"
    ),
    "unknown-top-key": est_plus("notes: x\n", "notes"),
    "kind-capital": est("kind: estimate", "kind: Estimate", "kind"),
    # --- the rate card ---
    "roles-empty": Case(
        "rate-card", re.sub(r"(?m)^roles:.*\n(?:  .*\n)*", "roles: {}\n", CARD), "roles", SHAPE
    ),
    "rate-negative": card("  engineer: 25000", "  engineer: -1", "roles.engineer"),
    "rate-10^15": card("  engineer: 25000", "  engineer: 1000000000000000", "roles.engineer"),
    "rate-quoted": card("  engineer: 25000", '  engineer: "25000"', "roles.engineer"),
    "role-key-bidi": card(
        "  engineer: 25000", '  engineer: 25000\n  "qa\\u202e": 1', "roles.qa\u202e"
    ),
    "role-key-201": card("  engineer: 25000", "  engineer: 25000\n  " + "r" * 201 + ": 1", "roles"),
    "roles-1001": card(
        "  engineer: 25000", "  engineer: 25000\n" + many(995, "  r{i}: 1\n").rstrip("\n"), "roles"
    ),
    "currency-unknown": card("currency: CNY", "currency: XYZ", "currency"),
    "currency-lower": card("currency: CNY", "currency: cny", "currency"),
    "version-number": card('version: "2026.1"', "version: 2026.1", "version"),
    "card-name-empty": card("name: default", 'name: ""', "name"),
    "effective-from-short": card(
        "effective_from: 2026-01-01", "effective_from: 2026-1-1", "effective_from"
    ),
    "contingency-1": card("  contingency: 0.10", "  contingency: 1", "policy.contingency"),
    "escalation-negative": card(
        "  annual_escalation: 0.05", "  annual_escalation: -0.1", "policy.annual_escalation"
    ),
    "tax-1.5": card("  tax_rate: 0.06", "  tax_rate: 1.5", "policy.tax_rate"),
    "tax-percent": card("  tax_rate: 0.06", "  tax_rate: 6%", "policy.tax_rate"),
    "approval-1": card(
        "  discount_approval_above: 0.10",
        "  discount_approval_above: 1",
        "policy.discount_approval_above",
    ),
    "max-discount-1": card("  # max_discount: 0.20", "  max_discount: 1", "policy.max_discount"),
    "review-nre-negative": card(
        "  # review_nre_above: 500000", "  review_nre_above: -1", "policy.review_nre_above"
    ),
    "validity-3651": card("  validity_days: 30", "  validity_days: 3651", "policy.validity_days"),
    "productize-share-1.5": card(
        "  productize_share: 0.40", "  productize_share: 1.5", "policy.productize_share"
    ),
    "policy-unknown-key": card("  tax_rate: 0.06", "  tax_rate: 0.06\n  vat: 0.06", "policy.vat"),
    "standard-name-missing": card("  name: Open Platform standard API\n", "", "standard.name"),
    "integration-negative": card(
        "  integration_days: 3 ", "  integration_days: -1 ", "standard.integration_days"
    ),
    "fee-negative": card("  fee: 0 ", "  fee: -1 ", "standard.fee"),
    "coaching-per-day-10^15": card(
        "  coaching_per_day: 6000",
        "  coaching_per_day: 1000000000000000",
        "standard.coaching_per_day",
    ),
    "service-no-price": card("    per_year: 120000\n", "", "services.premium-support.per_year"),
    "service-description-2001": card(
        "    description: 7x24 remote expert, 4-hour on-site spares.",
        "    description: " + "d" * 2_001,
        "services.premium-support.description",
    ),
    "service-name-bom": card(
        "    name: Premium support",
        '    name: "\\ufeffPremium support"',
        "services.premium-support.name",
    ),
    "services-1001": card(
        "services:   ",
        "services:\n" + many(999, "  s{i}: {{name: S, per_year: 1}}\n") + "#",
        "services",
    ),
    # a name alone stands for {name: ...}: the error names the field it fills
    "supplier-empty": card("currency: CNY", 'currency: CNY\nsupplier: ""', "supplier.name"),
    "supplier-no-name": card(
        "currency: CNY", "currency: CNY\nsupplier: {email: a@b.c}", "supplier.name"
    ),
    # --- tags and outcome (SPEC 8.6) ---
    "tag-not-a-slug": est_plus("tags: [Reverse Push]\n", "tags[0]"),
    "tag-double-hyphen": est_plus("tags: [reverse--push]\n", "tags[0]"),
    "tag-51": est_plus(f"tags: [{'a' * 51}]\n", "tags[0]"),
    "tag-empty": est_plus('tags: [""]\n', "tags[0]"),
    "tag-twice": est_plus("tags: [mqtt, sso, mqtt]\n", "tags[2]"),
    "tags-1001": est_plus("tags:\n" + many(1001, "  - t{i}\n"), "tags"),
    "tags-not-a-list": est_plus("tags: mqtt\n", "tags"),
    "status-unknown": est_plus("outcome: {status: won, date: 2026-12-01}\n", "outcome.status"),
    "outcome-unknown-key": est_plus("outcome: {status: open, reason: x}\n", "outcome.reason"),
    "outcome-decided-undated": est_plus("outcome: {status: custom}\n", "outcome.date"),
    "outcome-open-dated": est_plus("outcome: {status: open, date: 2026-12-01}\n", "outcome.date"),
    "outcome-date-short": est_plus("outcome: {status: custom, date: 2026-12-1}\n", "outcome.date"),
    "outcome-note-2001": est_plus(
        f"outcome: {{status: declined, date: 2026-12-01, note: {'n' * 2_001}}}\n", "outcome.note"
    ),
    # --- refused while reading the YAML ---
    "duplicate-key": est(CUSTOMER, CUSTOMER + "\ncustomer: Other", "customer", YAML),
    "tag": est(CUSTOMER, "customer: !!str ACME", "", YAML),
    "octal": est(BUILD_WEEKS, "      weeks: 010 ", f"{BUILD}.weeks", YAML),
    "yaml11-boolean": est(BUILD_ENGINEERS, "      engineers: yes ", f"{BUILD}.engineers", YAML),
    "not-a-number": est(BUILD_WEEKS, "      weeks: .nan ", f"{BUILD}.weeks", YAML),
    "underscores": est(BUILD_WEEKS, "      weeks: 1_000 ", f"{BUILD}.weeks", YAML),
    "anchor": est(CUSTOMER, "customer: &c ACME", "", YAML),
    "card-duplicate-role": card(
        "  engineer: 25000", "  engineer: 25000\n  engineer: 1", "roles.engineer", YAML
    ),
    # --- refused for what another file says ---
    "unknown-role": est(ROLE, "      role: plumber #", f"{BUILD}.role", CROSS),
    "unknown-service": est(TERM, TERM + "\n  services: [gold]", "custom.services[0]", CROSS),
    # --- shape rules JSON Schema cannot state ---
    # JSON numbers are binary fractions to most tools: a decimal-places rule (multipleOf 1e-6)
    # would refuse valid figures such as 0.1 through rounding.
    "weeks-7-decimals": est(BUILD_WEEKS, "      weeks: 1.0000001 ", f"{BUILD}.weeks", BEYOND),
    # In JSON Schema 2.0 is an integer; in YAML it was written as a fraction.
    "engineers-2.0": est(BUILD_ENGINEERS, "      engineers: 2.0 ", f"{BUILD}.engineers", BEYOND),
    # One field compared with another.
    "range-low-above-likely": est(
        BUILD_WEEKS, "      weeks: {low: 4, likely: 3, high: 6} ", f"{BUILD}.weeks.likely", BEYOND
    ),
    "shares-add-to-0.9": est_plus(
        "payment:\n  - {milestone: A, share: 0.5}\n  - {milestone: B, share: 0.4}\n",
        "payment",
        BEYOND,
    ),
    "milestone-twice": est_plus(
        "payment:\n  - {milestone: A, share: 0.5}\n  - {milestone: A, share: 0.5}\n",
        "payment",
        BEYOND,
    ),
    "until-before-from": card(
        "effective_from: 2026-01-01",
        "effective_from: 2026-01-01\neffective_until: 2025-12-31",
        "effective_until",
        BEYOND,
    ),
    # An outcome's date compared with the quote's.
    "outcome-before-quote": est_plus(
        "outcome: {status: custom, date: 2026-11-21}\n", "outcome.date", BEYOND
    ),
    # A calendar: the pattern knows months and days, not which months have 30.
    "date-feb-30": est(DATE, "date: 2026-02-30", "date", BEYOND),
    # Characters beyond the Basic Multilingual Plane have no escape both ECMA-262 and Python
    # patterns read alike.
    "customer-tag-character": est(CUSTOMER, 'customer: "ACME\\U000e0041"', "customer", BEYOND),
}

SHAPE_CASES = [name for name, case in CASES.items() if case.category == SHAPE]


def _validate(folder: Path, case: Case) -> list[dict[str, Any]]:
    """Run `nrecalc validate` on the case's file beside the shipped card; return its problems."""
    path = folder / ("est.yaml" if case.kind == "estimate" else "rates/default.yaml")
    (folder / "rates").mkdir()
    (folder / "rates" / "default.yaml").write_text(CARD, encoding="utf-8")
    path.write_text(case.text, encoding="utf-8")
    result = RUNNER.invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    problems: list[dict[str, Any]] = json.loads(result.stdout)
    return problems


class _JsonLike(yaml.SafeLoader):
    """YAML as a YAML-aware editor hands it to a JSON Schema: dates stay text."""


_JsonLike.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _as_json(text: str) -> Any:
    return json.loads(json.dumps(yaml.load(text, Loader=_JsonLike)))  # a safe loader


@pytest.fixture(scope="module")
def schemas() -> dict[str, jsonschema.Draft202012Validator]:
    found = {}
    for kind in ("estimate", "rate-card"):
        result = RUNNER.invoke(app, ["schema", kind])
        assert result.exit_code == 0
        schema = json.loads(result.stdout)
        jsonschema.Draft202012Validator.check_schema(schema)
        found[kind] = jsonschema.Draft202012Validator(schema)
    return found


def test_the_corpus_is_large_and_every_class_is_there() -> None:
    assert len(SHAPE_CASES) >= 60
    assert {case.category for case in CASES.values()} == {SHAPE, YAML, CROSS, BEYOND}


@pytest.mark.parametrize("name", list(CASES))
def test_validate_refuses_every_file_of_the_corpus_for_the_reason_meant(
    tmp_path: Path, name: str
) -> None:
    case = CASES[name]
    problems = _validate(tmp_path, case)
    fields = [p["field"] or "" for p in problems]
    assert any(field == case.field for field in fields), (case.field, problems)


@pytest.mark.parametrize("name", SHAPE_CASES)
def test_the_schema_refuses_what_validate_refuses_for_its_shape(
    name: str, schemas: dict[str, jsonschema.Draft202012Validator]
) -> None:
    case = CASES[name]
    parse(case.text, "case.yaml")  # it is well-formed YAML under the strict rules
    assert not schemas[case.kind].is_valid(_as_json(case.text)), name


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.category == YAML])
def test_yaml_cases_are_refused_while_reading(name: str) -> None:
    try:
        doc = parse(CASES[name].text, "case.yaml")
    except InputError:
        return
    assert doc.problems, name


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.category in (CROSS, BEYOND)])
def test_cross_file_cases_have_a_valid_shape_and_the_others_do_not(name: str) -> None:
    case = CASES[name]
    doc = parse(case.text, "case.yaml")
    assert doc.problems == []
    model = Estimate if case.kind == "estimate" else RateCard
    if case.category == CROSS:
        to_model(doc, model)
    else:
        with pytest.raises(InputError):
            to_model(doc, model)


VALID_EDGES = {
    "weeks-10000": est(BUILD_WEEKS, "      weeks: 10000 ", ""),
    "range-edges": est(BUILD_WEEKS, "      weeks: {low: 0.000001, likely: 5, high: 10000} ", ""),
    "engineers-10000": est(BUILD_ENGINEERS, "      engineers: 10000 ", ""),
    "name-200": est(CUSTOMER, "customer: " + "\u00e9" * 200, ""),
    "name-with-a-line-break-at-the-end": est(CUSTOMER, "customer: |\n  ACME\n", ""),
    "paragraph-2000-on-lines": est(ASSUMPTION, "  - |-\n" + ("    " + "p" * 399 + "\n") * 5, ""),
    "assumptions-1000": est("assumptions:\n", "assumptions:\n" + many(998, "  - a{i}\n"), ""),
    "discount-0.99": est_plus("discount: 0.99\n", ""),
    "tax-1": card("  tax_rate: 0.06", "  tax_rate: 1", ""),
    "rate-just-below-10^15": card("  engineer: 25000", "  engineer: 999999999999999", ""),
    "unicode-name": est(CUSTOMER, "customer: 北京机器人 Ünïcødé — «ACME»", ""),
    "date-2999": est(DATE, "date: 2999-12-31", ""),
    "tags-and-a-decided-outcome": est_plus(
        f"tags: [{'a' * 50}, reverse-push, mqtt-5, sso]\n"
        "outcome:\n  status: declined\n  date: 2026-11-22\n"
        "  note: |-\n    No budget.\n    Next year.\n",
        "",
    ),
    "outcome-open": est_plus("outcome: {status: open, note: Waiting.}\n", ""),
}


@pytest.mark.parametrize("name", list(VALID_EDGES))
def test_files_at_the_limits_pass_both(
    tmp_path: Path, name: str, schemas: dict[str, jsonschema.Draft202012Validator]
) -> None:
    case = VALID_EDGES[name]
    doc = parse(case.text, "case.yaml")
    to_model(doc, Estimate if case.kind == "estimate" else RateCard)
    assert schemas[case.kind].is_valid(_as_json(case.text)), name


@pytest.mark.parametrize(
    ("supplier", "valid"),
    [
        ("Open Platform Co., Ltd.", True),  # a name alone, as 0.2 cards wrote it
        ({"name": "Open Platform Co., Ltd.", "tax_id": "91440300MA5XXXXXXX"}, True),
        ({"email": "sales@example.com"}, False),  # the block needs a name
        ("", False),
    ],
)
def test_the_schema_takes_a_supplier_block_or_a_name_alone(
    schemas: dict[str, jsonschema.Draft202012Validator], supplier: object, valid: bool
) -> None:
    card = _as_json((RATES / "default.yaml").read_text(encoding="utf-8"))
    assert schemas["rate-card"].is_valid({**card, "supplier": supplier}) is valid
