"""Fuzz `nrecalc quote` and `nrecalc validate` with mutated copies of the shipped files (issue 3).

Each example starts from a shipped estimate (examples/*.yaml) and the shipped rate card
(rates/default.yaml) and breaks one or both of them, in two ways:

- structurally: the file is loaded with yaml.safe_load (only to get data to mutate), then keys
  are dropped, misspelt or added, values retyped, replaced by odd scalars or nested deeply, list
  items duplicated; it is written back with yaml.safe_dump, and sometimes a key line is
  duplicated in the text (a duplicate key);
- byte by byte: truncation, inserted or overwritten bytes (NUL, 0xff, control characters,
  anchors, aliases, tags, merge keys, ...), duplicated, dropped, swapped or re-indented lines,
  and values replaced by raw YAML tokens such as `yes`, `0x10`, `1_000`, `.nan`, `2026-02-30`.

The estimate is written as est.yaml into a fresh folder beside rates/default.yaml (the valid card,
or the mutated one, or the valid one plus the mutated one as rates/other.yaml). Then `quote`
(table and JSON) and `validate` (text and JSON) run in-process through Typer's CliRunner.

The contract, for any input: exit 0 or 1; no exception escapes; no traceback. quote: exit 1 means
nothing on stdout and stderr of `PATH[:LINE:COL]: error|warning: message` lines, at least one an
error; exit 0 means output on stdout and only warnings on stderr. validate: a report of problem
lines and a summary on stdout (the JSON report says the same), exit 1 exactly when it holds an
error.
"""

from __future__ import annotations

import copy
import json
import math
import re
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, note, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from nrecalc.cli import app

ROOT = Path(__file__).resolve().parent.parent
ESTIMATES = [path.read_bytes() for path in sorted((ROOT / "examples").glob("*.yaml"))]
CARD = (ROOT / "rates" / "default.yaml").read_bytes()

RUNNER = CliRunner()

# One problem: PATH:LINE:COL: error: FIELD: message, or PATH: error: message (SPEC 4).
PROBLEM = re.compile(r"[^:\n]+(?::[1-9][0-9]*:[1-9][0-9]*)?: (?P<severity>error|warning): .+")
NOTICE = re.compile(r"[^:\n]+: notice: .+")
SUMMARY = re.compile(r"[0-9]+ files? checked: .+")

FUZZ = settings(
    max_examples=500,
    deadline=None,
    derandomize=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

Loc = tuple[Any, ...]

# --- what goes in -------------------------------------------------------------------------------

# Plain scalars that YAML 1.1 or a careless loader would read as something else.
SPECIAL_TEXT = [
    ".nan", ".NaN", ".inf", "-.inf", "yes", "No", "on", "OFF", "y", "0x10", "0o17", "0b101",
    "1_000", "010", "1:30", "2026-02-30", "2026-13-01", "0000-01-01", "9999-12-31", "1e9999",
    "1e-9999", "-0", "~", "", "null", "&a", "*a", "!!python/object", "<<", "true", "false",
    "1.005", "0.1234567", "1000000000000000", "99999999999999999999999999999999",
]  # fmt: skip
BIG_NUMBERS = [10**15, 10**15 - 1, 10**30, 10**31, 10**100, -(10**20), 10_000, 10_001, -1, 0]
SCALARS: st.SearchStrategy[Any] = st.one_of(
    st.integers(),
    st.sampled_from(BIG_NUMBERS),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(),
    st.text(max_size=30),
    st.sampled_from(SPECIAL_TEXT),
    st.booleans(),
    st.none(),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
)

# Raw tokens for a value's place in the text (unquoted, so the loader resolves them).
RAW_VALUES = [token.encode() for token in SPECIAL_TEXT] + [
    b"[]", b"{}", b"[1, 2]", b"{a: 1}", b"'quoted'", b'"2026-01-01"', b"&a 1", b"*a",
    b"!!python/object:os.system", b"!!python/object/apply:os.system [echo]", b"!!str 1",
    b"!!float 1", b"!!binary aGk=", b"1.", b".5", b"+1", b"1e+3", b"-0.0", b"1E400", b"0.0",
    b"12345678901234567890.123456789", b"-25000", b"\xc3\xbcn\xc3\xafc\xc3\xb8d\xc3\xa9",
    b"\xe4\xb8\xad\xe6\x96\x87", b"\xf0\x9f\x99\x82", b"\xe2\x80\xae", b"- x", b"? x", b"x: y",
    b"|", b">", b"@x", b"`x", b"%x", b"1 # comment", b"[[[[[[[[[[", b"{a: [1, {b: 2}]}",
]  # fmt: skip
HOSTILE_BYTES = [
    b"\x00", b"\xff", b"\xfe\xff", b"\xff\xfe", b"\xef\xbb\xbf", b"\xc3", b"\xe2\x80\xa8",
    b"\xc2\x85", b"\x1b[31m", b"\x7f", b"\x01", b"\x0b", b"\x0c", b"\r", b"\r\n", b"\t",
    b"\n", b"&a ", b"*a", b"*a\n", b"!!python/object:os.system ", b"!!python/name:os.system",
    b"!<tag:yaml.org,2002:python/object> ", b"<<: ", b"<<: *a\n", b"{", b"}", b"[", b"]",
    b",", b"---\n", b"...\n", b"%YAML 1.1\n", b"%TAG ! tag:x,2026:\n", b"? ", b"- ", b": ",
    b"#", b"|", b">", b"'", b'"', b"\\", b"\\x00", b"\xf0\x9f\x98\x80", b"[" * 40, b"- " * 40,
    b"kind: estimate\n", b"kind: rate-card\n", b"x: &a [*a]\n",
]  # fmt: skip
CHUNKS: st.SearchStrategy[bytes] = st.one_of(
    st.sampled_from(HOSTILE_BYTES),
    st.binary(min_size=1, max_size=8),
    st.text(min_size=1, max_size=8).map(lambda text: text.encode("utf-8")),
)
RAW_VALUE: st.SearchStrategy[bytes] = st.one_of(
    st.sampled_from(RAW_VALUES),
    st.integers().map(lambda n: str(n).encode()),
    st.text(max_size=20).map(lambda text: text.encode("utf-8")),
    CHUNKS,
)
# Characters to add to a key: plausible typos, and ones that must not break an error line.
KEY_CHARS = "abcdefghijklmnopqrstuvwxyz_- .:#'\"\n\r\t\x00\x1b\x85\u2028\u00e9\u4e2d"
# A `key: value` line (in a list item or not), the value up to a comment.
KEY_LINE = re.compile(rb"(?m)^([ \t]*(?:- )?[A-Za-z_][\w-]*:[ \t]+)([^#\r\n]*)")


# --- structural mutations -----------------------------------------------------------------------


def _nodes(value: Any, loc: Loc = ()) -> list[Loc]:
    """Return the location of every value in the data, the root first."""
    found = [loc]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _nodes(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _nodes(item, (*loc, index))
    return found


def _get(data: Any, loc: Loc) -> Any:
    for part in loc:
        data = data[part]
    return data


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    for kind, name in ((int, "int"), (float, "float"), (str, "str"), (list, "list")):
        if isinstance(value, kind):
            return name
    return "dict" if isinstance(value, dict) else "none" if value is None else "other"


@st.composite
def _retyped(draw: st.DrawFn, old: Any) -> Any:
    """The value as another type: int, str, float, bool, None, list or dict."""
    kinds = ["int", "str", "float", "bool", "none", "list", "dict"]
    kind = draw(st.sampled_from([k for k in kinds if k != _type_name(old)]))
    number = isinstance(old, (int, float)) and math.isfinite(old)
    if kind == "int":
        return int(old) if number else draw(st.integers(-2, 10**6))
    if kind == "float":
        return float(old) if number else draw(st.floats(allow_nan=False))
    if kind == "str":
        return str(old)
    if kind == "bool":
        return bool(old)
    if kind == "list":
        return draw(st.sampled_from([[old], [], [old, old]]))
    if kind == "dict":
        return draw(st.sampled_from([{"value": old}, {}, {str(old): old}]))
    return None


@st.composite
def _misspelt(draw: st.DrawFn, name: str) -> str:
    """The name with two characters swapped, one dropped or added, or its case changed."""
    how = draw(st.sampled_from(["swap", "drop", "add", "case", "dash"]))
    at = draw(st.integers(0, max(len(name) - 1, 0)))
    if how == "swap" and len(name) >= 2:
        at = min(at, len(name) - 2)
        return name[:at] + name[at + 1] + name[at] + name[at + 2 :]
    if how == "drop":
        return name[:at] + name[at + 1 :]
    if how == "case":
        return name.swapcase()
    if how == "dash":
        return name.replace("-", "_") if "-" in name else name.replace("_", "-")
    extra = draw(st.one_of(st.sampled_from(KEY_CHARS), st.characters()))
    return name[:at] + extra + name[at:]


def _rename(mapping: dict[Any, Any], old: Any, new: Any) -> None:
    """Rename a key in place, keeping the order (a clash merges the two)."""
    items = list(mapping.items())
    mapping.clear()
    mapping.update((new if key == old else key, value) for key, value in items)


@st.composite
def structural(draw: st.DrawFn, raw: bytes) -> bytes:
    """Mutate the file's data, then write it back as YAML; sometimes duplicate a key line."""
    data = yaml.safe_load(raw)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["drop", "retype", "misspell", "scalar", "nest", "copy", "add"]))
        nodes = _nodes(data)[1:]
        if op == "add":
            mappings = [loc for loc in _nodes(data) if isinstance(_get(data, loc), dict)]
            mapping = _get(data, draw(st.sampled_from(mappings)))
            key = draw(
                st.one_of(
                    st.sampled_from(["kind", "weeks", "role", "extra", "a\nb", ""]), st.text()
                )
            )
            mapping[key] = draw(SCALARS)
            continue
        if not nodes:
            break
        if op == "misspell":
            nodes = [loc for loc in nodes if isinstance(_get(data, loc[:-1]), dict)]
            if not nodes:
                continue
        loc = draw(st.sampled_from(nodes))
        parent, key = _get(data, loc[:-1]), loc[-1]
        if op == "drop":
            del parent[key]
        elif op == "retype":
            parent[key] = draw(_retyped(parent[key]))
        elif op == "misspell":
            _rename(parent, key, draw(_misspelt(str(key))))
        elif op == "scalar":
            parent[key] = draw(SCALARS)
        elif op == "nest":
            value = parent[key]
            for _ in range(draw(st.integers(1, 40))):
                value = draw(st.sampled_from([[value], {"x": value}]))
            parent[key] = value
        elif isinstance(parent, list):  # copy: duplicate a list item
            parent.insert(key, copy.deepcopy(parent[key]))
        else:  # copy: the value of another key
            parent[key] = copy.deepcopy(_get(data, draw(st.sampled_from(nodes))))
    text = yaml.safe_dump(
        data,
        sort_keys=False,
        allow_unicode=draw(st.booleans()),
        default_flow_style=draw(st.sampled_from([False, None, True])),
        width=draw(st.sampled_from([80, 10**6])),
    ).encode("utf-8")
    if draw(st.booleans()):
        lines = text.splitlines(keepends=True)
        keys = [i for i, line in enumerate(lines) if KEY_LINE.match(line)]
        if keys:
            line = lines[draw(st.sampled_from(keys))]
            if draw(st.booleans()):  # the same key, another value
                value = yaml.safe_dump(draw(SCALARS), default_flow_style=True).encode("utf-8")
                line = KEY_LINE.sub(lambda m: m.group(1) + value.split(b"\n...")[0].strip(), line)
                line = line.rstrip(b"\n") + b"\n"
            lines.insert(draw(st.integers(0, len(lines))), line)
            text = b"".join(lines)
    return text


# --- byte-level mutations -----------------------------------------------------------------------


@st.composite
def bytewise(draw: st.DrawFn, raw: bytes) -> bytes:
    """Mutate the file's bytes: truncate, insert, overwrite, move lines, replace a value."""
    ops = ["truncate", "insert", "overwrite", "dup-line", "drop-line", "swap", "indent", "value"]
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(ops))
        lines = raw.splitlines(keepends=True)
        if op == "truncate":
            raw = raw[: draw(st.integers(0, len(raw)))]
        elif op in ("insert", "overwrite"):
            at = draw(st.integers(0, len(raw)))
            chunk = draw(CHUNKS)
            raw = raw[:at] + chunk + raw[at + (len(chunk) if op == "overwrite" else 0) :]
        elif op == "value":
            found = list(KEY_LINE.finditer(raw))
            if found:
                match = draw(st.sampled_from(found))
                raw = raw[: match.start(2)] + draw(RAW_VALUE) + raw[match.end(2) :]
        elif not lines:
            continue
        else:
            at = draw(st.integers(0, len(lines) - 1))
            if op == "dup-line":
                lines.insert(draw(st.integers(0, len(lines))), lines[at])
            elif op == "drop-line":
                del lines[at]
            elif op == "swap":
                to = draw(st.integers(0, len(lines) - 1))
                lines[at], lines[to] = lines[to], lines[at]
            else:  # indent
                lines[at] = draw(
                    st.sampled_from(
                        [b" " + lines[at], b"\t" + lines[at], lines[at][1:], b"    " + lines[at]]
                    )
                )
            raw = b"".join(lines)
    return raw


# --- the examples -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """est.yaml's bytes; the mutated card and where it goes; whether quote gets --rates."""

    estimate: bytes
    card: bytes
    card_place: str  # "none": the valid card only; "replace": instead of it; "extra": beside it
    rates_option: bool


@st.composite
def cases(draw: st.DrawFn, mutate: Callable[[bytes], st.SearchStrategy[bytes]]) -> Case:
    card_place = draw(st.sampled_from(["none", "none", "replace", "extra"]))
    estimate = draw(st.sampled_from(ESTIMATES))
    if card_place == "none" or draw(st.booleans()):
        estimate = draw(mutate(estimate))
    card = CARD if card_place == "none" else draw(mutate(CARD))
    return Case(estimate, card, card_place, draw(st.booleans()))


# --- running and checking -----------------------------------------------------------------------


def _run(*args: str) -> Result:
    result = RUNNER.invoke(app, list(args))
    crash = ""
    if result.exc_info is not None and not isinstance(result.exception, SystemExit):
        crash = "".join(traceback.format_exception(*result.exc_info))
    assert result.exception is None or isinstance(result.exception, SystemExit), crash
    assert result.exit_code in (0, 1), (args, result.exit_code, result.stdout, result.stderr)
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream, (args, stream)
    return result


def _lines(text: str) -> list[str]:
    """Split output into lines: every line ends in \\n (and only \\n ends a line)."""
    assert text.endswith("\n"), repr(text)
    return text[:-1].split("\n")


def _check_quote(result: Result, *, as_json: bool) -> None:
    problems = [PROBLEM.fullmatch(line) for line in _lines(result.stderr)] if result.stderr else []
    assert all(problems), result.stderr
    severities = {match.group("severity") for match in problems if match}
    if result.exit_code == 1:
        assert result.stdout == "", result.stdout
        assert "error" in severities, result.stderr
    else:
        assert result.stdout.strip(), "exit 0 without a quote"
        assert severities <= {"warning"}, result.stderr
        if as_json:
            assert json.loads(result.stdout)["schema_version"] == 1


def _check_validate(text: Result, report: Result) -> None:
    for line in _lines(text.stderr) if text.stderr else []:
        assert NOTICE.fullmatch(line) or PROBLEM.fullmatch(line), text.stderr
    assert (report.exit_code, report.stderr) == (text.exit_code, text.stderr)
    if not text.stdout:  # validation itself failed: the problem is on stderr
        assert (text.exit_code, report.stdout) == (1, ""), text.stderr
        assert any(PROBLEM.fullmatch(line) for line in _lines(text.stderr)), text.stderr
        return
    *lines, summary = _lines(text.stdout)
    assert SUMMARY.fullmatch(summary), text.stdout
    problems = [PROBLEM.fullmatch(line) for line in lines]
    assert all(problems), text.stdout
    errors = [match for match in problems if match and match.group("severity") == "error"]
    assert text.exit_code == (1 if errors else 0), text.stdout
    rows = json.loads(report.stdout)
    assert isinstance(rows, list), report.stdout
    assert len(rows) == len(lines), (text.stdout, report.stdout)
    assert sum(row["severity"] == "error" for row in rows) == len(errors), report.stdout


def check(case: Case) -> None:
    note(f"est.yaml: {case.estimate!r}")
    if case.card_place != "none":
        note(f"rate card ({case.card_place}): {case.card!r}")
    with tempfile.TemporaryDirectory(prefix="nrecalc-fuzz-") as tmp:
        folder = Path(tmp)
        rates = folder / "rates"
        rates.mkdir()
        (rates / "default.yaml").write_bytes(case.card if case.card_place == "replace" else CARD)
        if case.card_place == "extra":
            (rates / "other.yaml").write_bytes(case.card)
        estimate = folder / "est.yaml"
        estimate.write_bytes(case.estimate)
        given_card = ["--rates", str(rates / "default.yaml")] if case.rates_option else []

        table = _run("quote", str(estimate), *given_card)
        _check_quote(table, as_json=False)
        as_json = _run("quote", str(estimate), *given_card, "--format", "json")
        _check_quote(as_json, as_json=True)
        assert (as_json.exit_code, as_json.stderr) == (table.exit_code, table.stderr)

        text = _run("validate", str(folder))
        report = _run("validate", str(folder), "--format", "json")
        _check_validate(text, report)


@FUZZ
@given(cases(structural))
# A key with a line break in it must not break its error into two lines (found by this test).
@example(Case(ESTIMATES[0] + b'"a\\nb": 1\n', CARD, "none", rates_option=False))
def test_structural_mutations_end_in_a_clear_exit(case: Case) -> None:
    check(case)


@FUZZ
@given(cases(bytewise))
def test_byte_mutations_end_in_a_clear_exit(case: Case) -> None:
    check(case)
