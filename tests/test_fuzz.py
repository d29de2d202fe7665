"""Fuzz every nrecalc command and format with mutated files, names, templates and sizes (SPEC 9).

Inputs start from the shipped estimates (examples/*.yaml) and rate card (rates/default.yaml) and
are broken in several ways:

- structurally: the file is loaded with yaml.safe_load (only to get data to mutate), then keys
  are dropped, misspelt or added, values retyped, replaced by odd scalars or nested deeply, list
  items duplicated; it is written back with yaml.safe_dump, and sometimes a key line is
  duplicated in the text (a duplicate key);
- byte by byte: truncation, inserted or overwritten bytes (NUL, 0xff, control characters,
  anchors, aliases, tags, merge keys, ...), duplicated, dropped, swapped or re-indented lines,
  and values replaced by raw YAML tokens such as `yes`, `0x10`, `1_000`, `.nan`, `2026-02-30`;
- by name: the estimate, its folder, the rate card and the document get file names with control
  characters, ESC and OSC sequences, line breaks, `::`, `%`, `,`, bidi controls, a leading `-`,
  and names too long for the file system;
- by size: a name, a text or a list grows to 10^3 .. 10^6 characters or 10^3 .. 10^4 items;
- company templates: a small template with Jinja2 syntax, sandbox escapes, huge-value calls,
  includes of hidden files and of links out of its folder, and raw control bytes mixed in.

Each case runs `quote` in every format (table, json, csv, markdown, html, note, `--explain`,
`--audience customer`, `--template`, with and without `-o`), `validate` (text, json, github) and
`verify` (a fresh document against its estimate, a document of the mutated estimate against the
original and the other way round) in-process through Typer's CliRunner; a fixed set of cases
runs as real processes under a 1 GiB address-space limit.

The contract, for every run: exit 0 or 1 (2 only where a case means a usage error); no
exception escapes and no traceback is printed; stdout and stderr are UTF-8 with no control
character but line feed and tab (CSV's CRLF line ends and byte-order mark aside), and no
format character (bidi controls, zero-width spaces); every stderr line is one problem
`PATH[:LINE[:COL]]: error|warning|notice: message`; exit 1 from quote means nothing on stdout, at
least one error on stderr and no output file; exit 0 means output and no error. validate's
report is problem lines and a summary (the JSON and github reports say the same); verify prints
problem lines and its two answers (altered or not; the same quote or not). A document just made
verifies against the inputs it was made of.

Sizes: each hypothesis test runs FUZZ_CASES examples, derandomized (the same cases on every run)
unless HYPOTHESIS_PROFILE=nightly; NRECALC_FUZZ_CASES sets another number (docs/ci.md).
"""

from __future__ import annotations

import copy
import json
import math
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import traceback
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import PROFILE, examples
from hypothesis import HealthCheck, Phase, event, example, given, note, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from nrecalc.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PATHS = sorted((ROOT / "examples").glob("*.yaml"))
# ... and a request with tags and an outcome (examples/requests/), for nrecalc report.
REQUEST = ROOT / "examples" / "requests" / "06-wayne-reverse-push-sso.yaml"
ESTIMATES = [path.read_bytes() for path in (*EXAMPLE_PATHS, REQUEST)]
CARD = (ROOT / "rates" / "default.yaml").read_bytes()

RUNNER = CliRunner()
Loc = tuple[Any, ...]


def _cases(default: int) -> int:
    """Return how many examples a fuzz test runs: NRECALC_FUZZ_CASES, or default (x nightly)."""
    given_cases = os.environ.get("NRECALC_FUZZ_CASES")
    return int(given_cases) if given_cases else examples(default)


def fuzz(default: int) -> settings:
    """Settings of one fuzz test: seeded (the same cases every run) unless the nightly profile."""
    return settings(
        max_examples=_cases(default),
        deadline=None,
        derandomize=PROFILE != "nightly",
        # Shrinking a failure can take minutes: the nightly run shrinks, the others report the
        # failing case as it was found.
        phases=list(Phase) if PROFILE == "nightly" else [p for p in Phase if p is not Phase.shrink],
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


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


# --- what comes out -----------------------------------------------------------------------------


def _unsafe_class() -> str:
    """A regex class of every control (Cc), format (Cf) and line/paragraph separator character
    but line feed and tab: none of them may reach a terminal, a log or a document raw."""
    ranges: list[list[int]] = []
    for code in range(0x110000):
        if chr(code) in "\n\t":
            continue
        if unicodedata.category(chr(code)) in ("Cc", "Cf", "Zl", "Zp"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


UNSAFE = re.compile(f"[{_unsafe_class()}]")
# One problem: PATH:LINE:COL: error: FIELD: message, PATH:LINE: ..., or PATH: error: message.
PROBLEM = re.compile(
    r"(?P<path>.+?)(?::[1-9][0-9]*(?::[1-9][0-9]*)?)?: (?P<severity>error|warning|notice): \S.*"
)
SUMMARY = re.compile(r"[0-9]+ files? checked: \S.*")
# verify's two answers, last: was the document altered after it was issued; is it the same quote.
SEAL = re.compile(
    r".+: (?P<seal>intact|altered after it was issued"
    r"|cannot tell whether it was altered after it was issued): \S.*"
)
SAME = re.compile(
    r".+: (?P<quote>same quote|same amounts|same quote, other words|same inputs, other figures"
    r"|same inputs, other amounts|the inputs changed)[:,] \S.*"
)
# A workflow command: properties escaped (%, CR, LF, ':' and ','), data escaped (%, CR, LF), as
# GitHub's toolkit does. A '%' is always the start of an escape (a bare one was not escaped).
GITHUB = re.compile(r"::(?P<severity>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<data>.*)")
PROPERTY = re.compile(r"(?:file|line|col|endLine|endColumn|title)=(?:[^%:,]|%[0-9A-F]{2})*")
DATA = re.compile(r"(?:[^%\r]|%[0-9A-F]{2})*")


@dataclass(frozen=True)
class Run:
    """One run of nrecalc: its arguments, exit code, stdout and stderr (decoded as UTF-8)."""

    args: tuple[str, ...]
    code: int
    out: str
    err: str

    def severities(self) -> list[str]:
        """Return the severity of each stderr line, checking that each is one problem."""
        if not self.err:
            return []
        assert self.err.endswith("\n"), (self.args, self.err)
        found = []
        for line in self.err[:-1].split("\n"):
            match = PROBLEM.fullmatch(line)
            assert match, f"{self.args}: stderr line is not one problem: {line!r}"
            found.append(match["severity"])
        return found


def inert(text: str, where: object, *, csv: bool = False) -> None:
    """Check that text holds no control or format character but \\n and \\t."""
    if csv:  # RFC 4180 line ends and the byte-order mark Excel needs
        text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    found = UNSAFE.search(text)
    assert found is None, (
        f"{where}: a raw U+{ord(found.group()):04X} in the output: "
        f"{text[max(found.start() - 80, 0) : found.start() + 40]!r}"
    )


def checked(
    args: Sequence[str], code: int, out: bytes, err: bytes, codes: tuple[int, ...] = (0, 1)
) -> Run:
    """Check what every run must hold; return the run."""
    shown = tuple(args)
    assert code in codes, (shown, code, out[-2000:], err[-2000:])
    run = Run(shown, code, out.decode("utf-8"), err.decode("utf-8"))  # UTF-8, whatever came in
    for stream in (run.out, run.err):
        assert "Traceback (most recent call last)" not in stream, (shown, stream[-3000:])
    inert(run.out, shown, csv="csv" in args)
    inert(run.err, shown)
    if code != 2:
        run.severities()
    return run


def invoke(*args: str, codes: tuple[int, ...] = (0, 1)) -> Run:
    """Run nrecalc in-process through Typer's CliRunner and check the common contract."""
    result = RUNNER.invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        crash = "".join(traceback.format_exception(*result.exc_info))
        pytest.fail(f"{args}: an exception escaped:\n{crash}")
    return checked(args, result.exit_code, result.stdout_bytes, result.stderr_bytes, codes)


def check_quote(run: Run, *, to_file: bool = False, template: bool = False) -> None:
    """quote: exit 1 is errors and no output; exit 0 is output and no error."""
    severities = run.severities()
    if run.code in (1, 3):  # 3: the -o file cannot be written
        assert run.out == "", (run.args, run.out[:2000])
        assert "error" in severities, (run.args, run.err)
    else:
        assert "error" not in severities, (run.args, run.err)
        if to_file or not template:  # a company template may well render nothing
            assert bool(run.out.strip()) != to_file, (run.args, "exit 0: output where it belongs")
        if "json" in run.args and not to_file:
            assert json.loads(run.out)["schema_version"] == 2


def check_report(run: Run) -> None:
    """report: exit 1 is errors (the others still counted); exit 0 is a report and no error."""
    severities = run.severities()
    assert ("error" in severities) == (run.code == 1), (run.args, run.err)
    if "json" in run.args and run.out:
        assert json.loads(run.out)["schema_version"] == 1
    elif run.code == 0:
        assert run.out.strip(), (run.args, "exit 0: a report")


def report_all(folder: Path) -> None:
    """Report on the folder in every format: each ends in a report or errors, never a crash."""
    for fmt in ("table", "json", "markdown"):
        check_report(invoke("report", str(folder), "--format", fmt))


def new_skeleton(folder: Path) -> None:
    """A skeleton written beside whatever cards the folder holds validates as it stands."""
    target = folder / "skeleton" / "new.yaml"
    target.parent.mkdir()
    made = invoke("new", str(target), "--no-input")
    assert made.code in (0, 1), made.args
    if made.code == 0:
        checked_run = invoke("validate", str(target))
        assert checked_run.code == 0, (target.read_text(encoding="utf-8")[:3000], checked_run.out)
    else:
        assert not target.exists(), "exit 1: no file"
    shutil.rmtree(target.parent)


def _lines(text: str) -> list[str]:
    """Split output into lines: every line ends in \\n (and only \\n ends a line)."""
    assert text.endswith("\n"), repr(text[-200:])
    return text[:-1].split("\n")


def check_validate(text: Run, other: Run, fmt: str) -> None:
    """validate: problem lines and a summary; json and github reports say the same."""
    for line in _lines(text.err) if text.err else []:
        assert PROBLEM.fullmatch(line), text.err
    assert (other.code, other.err) == (text.code, text.err)
    if not text.out:  # validation itself failed: the problem is on stderr
        assert (text.code, other.out) == (1, ""), text.err
        assert "error" in text.severities(), text.err
        return
    *lines, summary = _lines(text.out)
    assert SUMMARY.fullmatch(summary), text.out[-2000:]
    found = [PROBLEM.fullmatch(line) for line in lines]
    assert all(found), text.out[-2000:]
    errors = sum(match["severity"] == "error" for match in found if match)
    assert text.code == (1 if errors else 0), text.out[-2000:]
    if fmt == "json":
        rows = json.loads(other.out)
        assert isinstance(rows, list), other.out[:2000]
        assert len(rows) == len(lines), (text.out[-2000:], other.out[-2000:])
        assert sum(row["severity"] == "error" for row in rows) == errors, other.out[-2000:]
        return
    *commands, other_summary = _lines(other.out)
    assert other_summary == summary, other.out[-2000:]
    assert len(commands) == len(lines), (text.out[-2000:], other.out[-2000:])
    for command in commands:
        match = GITHUB.fullmatch(command)
        assert match, f"not a workflow command: {command!r}"
        props = match["props"] or ""
        assert all(PROPERTY.fullmatch(p) for p in props.split(",") if props), command
        assert DATA.fullmatch(match["data"]), command
    assert sum(GITHUB.fullmatch(c)["severity"] == "error" for c in commands) == errors  # type: ignore[index]


def check_verify(run: Run) -> None:
    """verify: problem lines and its two answers on stdout, or one error on stderr."""
    if not run.out:
        assert run.code == 1 and "error" in run.severities(), (run.args, run.err)
        return
    *problems, seal_line, quote_line = _lines(run.out)
    seal, same = SEAL.fullmatch(seal_line), SAME.fullmatch(quote_line)
    assert seal and same, (run.args, run.out[-2000:])
    assert all(PROBLEM.fullmatch(line) for line in problems), (run.args, run.out[-2000:])
    ok = seal["seal"] != "altered after it was issued" and not problems
    ok = ok and same["quote"] in ("same quote", "same amounts")
    assert run.code == (0 if ok else 1), (run.args, run.out)


FORCING_COLOUR = ("FORCE_COLOR", "CLICOLOR_FORCE", "PY_COLORS", "TTY_COMPATIBLE")


@contextmanager
def workspace() -> Iterator[Path]:
    """A fresh temporary folder, its files made with umask 022 (rate cards that others may
    write are passed over, so a permissive umask must not change the outcome)."""
    umask = os.umask(0o022)
    # Output is checked for escape sequences: no colour forced on from the caller's shell.
    forced = {name: os.environ.pop(name) for name in FORCING_COLOUR if name in os.environ}
    try:
        with tempfile.TemporaryDirectory(prefix="nrecalc-fuzz-") as tmp:
            yield Path(tmp)
    finally:
        os.umask(umask)
        os.environ.update(forced)


@contextmanager
def inside(folder: Path) -> Iterator[None]:
    """Make folder the current folder for a while (paths then print short)."""
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


# --- quote in every format, validate, verify ----------------------------------------------------

QUOTE_FORMATS: dict[str, tuple[str, ...]] = {
    "table": (),
    "json": ("--format", "json"),
    "csv": ("--format", "csv"),
    "markdown": ("--format", "markdown"),
    "markdown-internal": ("--format", "markdown", "--audience", "internal"),
    "html": ("--format", "html"),
    "html-internal": ("--format", "html", "--audience", "internal"),
    "note": ("--format", "note"),
    "explain": ("--explain",),
    "customer": ("--audience", "customer"),
}
# The -o file of each format, named so that its extension agrees with --format.
EXTENSIONS = {
    "table": ".txt",
    "json": ".json",
    "csv": ".csv",
    "markdown": ".md",
    "markdown-internal": ".md",
    "html": ".html",
    "html-internal": ".html",
    "explain": ".txt",
    "customer": ".txt",
}
DOCUMENTS = {
    "markdown": ".md",
    "markdown-internal": ".md",
    "html": ".html",
    "html-internal": ".html",
}


def quote_everywhere(
    estimate: Path, extra: Sequence[str], variant: str, out_dir: Path | None
) -> tuple[Run, Run]:
    """Run quote as a table and in variant (to stdout, and to a file in out_dir); return both."""
    table = invoke("quote", str(estimate), *extra)
    check_quote(table)
    options = QUOTE_FORMATS[variant]
    shown = invoke("quote", str(estimate), *extra, *options)
    check_quote(shown)
    # Every format stops at the same problems and warns the same.
    assert (shown.code, shown.err) == (table.code, table.err), (shown.args, shown.err, table.err)
    if out_dir is not None and variant in EXTENSIONS:
        out_dir.mkdir(exist_ok=True)
        target = out_dir / f"quote{EXTENSIONS[variant]}"
        written = invoke("quote", str(estimate), *extra, *options, "-o", str(target))
        check_quote(written, to_file=True)
        assert (written.code, written.err) == (shown.code, shown.err), written.args
        left = sorted(path.name for path in out_dir.iterdir())
        if shown.code == 0:
            assert left == [target.name], left
            assert target.read_bytes().decode("utf-8") == shown.out
            target.unlink()
        else:
            assert left == [], left  # no partial output, no temp file
    return table, shown


def validate_both(folder: Path, fmt: str) -> None:
    text = invoke("validate", str(folder))
    other = invoke("validate", str(folder), "--format", fmt)
    check_validate(text, other, fmt)


def verify_both_ways(
    folder: Path, estimate: Path, original: bytes, extra: Sequence[str], variant: str, shown: Run
) -> None:
    """A fresh document verifies; documents of the mutated and the original estimate, crossed,
    end in a verdict or one error."""
    suffix = DOCUMENTS[variant]
    document = folder / f"mutated{suffix}"
    document.write_bytes(shown.out.encode("utf-8"))
    fresh = invoke("verify", str(document), str(estimate), *extra)
    check_verify(fresh)
    assert fresh.code == 0, (fresh.args, fresh.out, fresh.err)
    first = folder / "original.yaml"
    first.write_bytes(original)
    check_verify(invoke("verify", str(document), str(first), *extra))
    made = invoke("quote", str(first), *extra, *QUOTE_FORMATS[variant])
    check_quote(made)
    if made.code == 0:
        theirs = folder / f"original{suffix}"
        theirs.write_bytes(made.out.encode("utf-8"))
        check_verify(invoke("verify", str(theirs), str(estimate), *extra))


# --- mutated contents ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """est.yaml's bytes and the example it came from; the mutated card and where it goes;
    whether quote gets --rates; the quote format, the validate format, whether -o is used."""

    estimate: bytes
    card: bytes
    card_place: str  # "none": the valid card only; "replace": instead of it; "extra": beside it
    rates_option: bool
    example: int = 0
    variant: str = "json"
    report: str = "json"
    to_file: bool = False


@st.composite
def cases(draw: st.DrawFn, mutate: Callable[[bytes], st.SearchStrategy[bytes]]) -> Case:
    card_place = draw(st.sampled_from(["none", "none", "replace", "extra"]))
    index = draw(st.integers(0, len(ESTIMATES) - 1))
    estimate = ESTIMATES[index]
    if card_place == "none" or draw(st.booleans()):
        estimate = draw(mutate(estimate))
    card = CARD if card_place == "none" else draw(mutate(CARD))
    return Case(
        estimate,
        card,
        card_place,
        draw(st.booleans()),
        index,
        draw(st.sampled_from(sorted(QUOTE_FORMATS))),
        draw(st.sampled_from(["json", "github"])),
        draw(st.booleans()),
    )


def check(case: Case) -> None:
    note(f"est.yaml: {case.estimate[:3000]!r}")
    if case.card_place != "none":
        note(f"rate card ({case.card_place}): {case.card[:3000]!r}")
    with workspace() as folder:
        rates = folder / "rates"
        rates.mkdir()
        (rates / "default.yaml").write_bytes(case.card if case.card_place == "replace" else CARD)
        if case.card_place == "extra":
            (rates / "other.yaml").write_bytes(case.card)
        estimate = folder / "est.yaml"
        estimate.write_bytes(case.estimate)
        extra = ["--rates", str(rates / "default.yaml")] if case.rates_option else []
        out_dir = folder / "out" if case.to_file else None
        _, shown = quote_everywhere(estimate, extra, case.variant, out_dir)
        event(f"quote exit {shown.code}")  # pytest --hypothesis-show-statistics
        validate_both(folder, case.report)
        report_all(folder)
        new_skeleton(folder)
        if shown.code == 0:  # a document of it verifies, and the original's is told apart
            event("verified both ways")
            variant = case.variant
            if variant not in DOCUMENTS:
                variant = sorted(DOCUMENTS)[case.example % len(DOCUMENTS)]
                shown = invoke("quote", str(estimate), *extra, *QUOTE_FORMATS[variant])
                check_quote(shown)
                assert shown.code == 0, (shown.args, shown.err)
            original = ESTIMATES[case.example]
            verify_both_ways(folder, estimate, original, extra, variant, shown)


@fuzz(40)
@given(cases(structural))
# A key with a line break in it must not break its error into two lines (found by this test).
@example(Case(ESTIMATES[0] + b'"a\\nb": 1\n', CARD, "none", rates_option=False))
# JSON escapes C0 characters by itself, not C1 (U+0080..U+009F): they must not reach a terminal.
@example(Case(ESTIMATES[0] + b'"a\\x9bb\\x85": 1\n', CARD, "none", False, report="json"))
def test_structural_mutations_end_in_a_clear_exit(case: Case) -> None:
    check(case)


@fuzz(40)
@given(cases(bytewise))
def test_byte_mutations_end_in_a_clear_exit(case: Case) -> None:
    check(case)


# --- growing text and lists ---------------------------------------------------------------------

# Where a text can grow (a path into the estimate's data), and lists that can grow.
GROWING_TEXT: list[tuple[Any, ...]] = [
    ("customer",),
    ("title",),
    ("id",),
    ("custom", "build", 0, "task"),
    ("custom", "build", 0, "role"),
    ("custom", "per_upgrade", 0, "task"),
    ("assumptions", 0),
    ("exclusions", 0),
]
GROWING_LISTS: list[tuple[Any, ...]] = [
    ("custom", "build"),
    ("custom", "per_upgrade"),
    ("assumptions",),
    ("exclusions",),
]
# Text that grows: plain, wide (CJK), and characters every format escapes.
UNITS = ["x", "ab ", "中文", "é", "|", "<b>", "*_`", "&", "http://x.test/ ", "=1+"]


def _has(data: Any, loc: Loc) -> bool:
    try:
        _get(data, loc)
    except (KeyError, IndexError, TypeError):
        return False
    return True


def grown(data: Any, loc: Loc, size: int, unit: str, as_list: bool) -> bytes:
    """Return the estimate with the text at loc grown to size characters, or the list at loc
    grown to size items (its items repeated)."""
    parent, key = _get(data, loc[:-1]), loc[-1]
    if as_list:
        items = parent[key]
        parent[key] = (items * (size // len(items) + 1))[:size]
    else:
        parent[key] = (unit * (size // len(unit) + 1))[:size]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10**9).encode("utf-8")


@st.composite
def growing(draw: st.DrawFn) -> Case:
    index = draw(st.integers(0, len(ESTIMATES) - 1))
    data = yaml.safe_load(ESTIMATES[index])
    as_list = draw(st.booleans())
    if as_list:
        places = [loc for loc in GROWING_LISTS if _has(data, loc) and _get(data, loc)]
        size = draw(st.sampled_from([1_000, 2_000]))
    else:
        places = [loc for loc in GROWING_TEXT if _has(data, loc)]
        size = draw(st.sampled_from([1_000, 10_000]))  # 10^6: the real processes below
    loc = draw(st.sampled_from(places))
    raw = grown(data, loc, size, draw(st.sampled_from(UNITS)), as_list)
    variant = draw(st.sampled_from(sorted(QUOTE_FORMATS)))
    return Case(raw, CARD, "none", False, index, variant, draw(st.sampled_from(["json", "github"])))


@fuzz(8)
@given(growing())
def test_growing_text_and_lists_end_in_a_clear_exit(case: Case) -> None:
    check(case)


# --- mutated file names and paths ---------------------------------------------------------------

NAME_PARTS = [
    "\x1b[31m", "\x1b]52;c;SU5KRUNURUQ=\x07", "\x1b]8;;http://x.test\x1b\\", "\x07", "\r",
    "\n", "\r\n", "\x0b", "\x85", "\u2028", "::", "::error file=README.md::INJECTED", "%0A",
    "%", ",", ":", ";", "\u202e", "\u2066", "\u200b", "\ufeff", "\u00ad", "-", "--help", " ",
    "\t", "é", "中文", "😀", "\x7f", "\x9b", "\\", "'", '"', "$(id)", "`id`", "*", "?", "[a]",
    "~", ".", "..", "x" * 120, "q",
]  # fmt: skip
NAME_CHARACTERS = st.characters(exclude_categories=["Cs"], exclude_characters="/\x00")


@st.composite
def file_names(draw: st.DrawFn, suffix: str) -> str:
    """A file name of hostile parts: control and bidi characters, '::', a leading '-', ..."""
    parts = draw(
        st.lists(
            st.one_of(
                st.sampled_from(NAME_PARTS), st.text(NAME_CHARACTERS, min_size=1, max_size=4)
            ),
            min_size=1,
            max_size=4,
        )
    )
    name = "".join(parts)
    if draw(st.integers(0, 9)) == 0:  # longer than the file system allows (255 bytes)
        name += "y" * 300
    if draw(st.booleans()):
        name = "-" + name
    if name in (".", ".."):  # a folder name that is no new folder (".." would leave tmp)
        name += "x"
    return name + suffix


@dataclass(frozen=True)
class Names:
    """The names of the estimate's folder, the estimate, the rate card and the document."""

    folder: str
    estimate: str
    card: str
    document: str
    valid: bool  # the estimate's content is valid (else: one error that names its path)
    report: str = "github"


@st.composite
def names(draw: st.DrawFn) -> Names:
    return Names(
        draw(file_names("")),
        draw(file_names(".yaml")),
        draw(file_names(".yaml")),
        draw(file_names(".md")),
        draw(st.booleans()),
        draw(st.sampled_from(["json", "github"])),
    )


BAD_WEEKS = ESTIMATES[EXAMPLE_PATHS.index(ROOT / "examples" / "reverse-push.yaml")].replace(
    b"weeks: 3 ", b"weeks: -3 ", 1
)
assert ESTIMATES[EXAMPLE_PATHS.index(ROOT / "examples" / "reverse-push.yaml")] != BAD_WEEKS


def _made(action: Callable[[], object]) -> bool:
    """Run a file-system action; tell whether it worked (a name may be too long)."""
    try:
        action()
    except OSError:
        return False
    return True


@fuzz(30)
@given(names())
# OSC 52 (the clipboard), a bidi override, colour and a workflow command in the names.
@example(
    Names(
        "\x1b]52;c;SU5KRUNURUQ=\x07",
        "-\u202eq.yaml",
        "\x1b[31m.yaml",
        "::error file=x::y.md",
        valid=False,
        report="github",
    )
)
def test_hostile_file_names_reach_no_output_raw(case: Names) -> None:
    content = ESTIMATES[0] if case.valid else BAD_WEEKS
    with workspace() as tmp, inside(tmp):
        folder = Path(case.folder)
        # "./" keeps a name that starts with "-" from reading as an option (pathlib drops it).
        estimate = f"./{case.folder}/{case.estimate}"
        card = folder / "rates" / case.card
        made = _made(lambda: (folder / "rates").mkdir(parents=True))
        made = made and _made(lambda: card.write_bytes(CARD))
        made = made and _made(lambda: Path(estimate).write_bytes(content))
        note(f"files made: {made}")
        table = invoke("quote", estimate)
        check_quote(table)
        assert table.code == (0 if made and case.valid else 1), (table.args, table.err)
        as_json = invoke("quote", estimate, "--format", "json")
        check_quote(as_json)
        assert (as_json.code, as_json.err) == (table.code, table.err)
        document = f"./{case.folder}/{case.document}"
        written = invoke("quote", estimate, "--format", "markdown", "-o", document, codes=(0, 1, 3))
        check_quote(written, to_file=True)
        if written.code == 3:  # only a document path too long for the file system
            parts = (case.document, case.folder) if table.code else (case.document,)
            assert max(len(part.encode("utf-8")) for part in parts) > 255, written.err
        if written.code == 0:
            fresh = invoke("verify", document, estimate)
            check_verify(fresh)
            assert fresh.code == 0, (fresh.out, fresh.err)
        elif made:  # no partial document, no temp file
            assert sorted(p.name for p in folder.iterdir()) == sorted(["rates", case.estimate])
        if made:
            text = invoke("validate", f"./{case.folder}")
            other = invoke("validate", f"./{case.folder}", "--format", case.report)
            check_validate(text, other, case.report)
            assert text.code == (0 if case.valid else 1), text.out
        if case.estimate.startswith("-") and made:
            with inside(folder):
                after_dashes = invoke("quote", "--", case.estimate)
                check_quote(after_dashes)
                # The same quote; the card's path is shown from here, so the header differs.
                assert after_dashes.code == table.code, after_dashes.err
                assert after_dashes.out.count("\n") == table.out.count("\n")
                invoke("quote", case.estimate, codes=(2,))  # an option nrecalc does not know


# --- company templates --------------------------------------------------------------------------

TEMPLATE = """\
{# a company's cover page #}
# {{ quote.customer }}: {{ quote.id }}
Total: {{ custom.total }}
{% for part in custom.payment %}
- {{ part.milestone }}: {{ part.amount }}
{% endfor %}
{% if quote.title %}{{ quote.title|upper }}{% endif %}
<!-- {{ provenance.marker }} -->
"""
# What a template may try: syntax, the sandbox, other files, big values (refused at once), and
# raw control bytes in its own text. Nothing here runs long or builds much before a limit.
TEMPLATE_CHUNKS = [
    "{{", "}}", "{%", "%}", "{#", "#}", "{{ quote }}", "{{ custom.nothing }}", "{{ 1 / 0 }}",
    "{% for x in %}", "{% endfor %}", "{% if %}", "{% raw %}", "{% endraw %}", "{{ self }}",
    "{{ ''.__class__.__mro__ }}", "{{ quote.__class__ }}", "{{ quote|attr('__class__') }}",
    "{{ cycler.__init__.__globals__ }}", "{{ lipsum.__globals__ }}", "{{ range.__self__ }}",
    '{% include ".secret.j2" %}', '{% include "link.j2" %}', '{% include "../outside.j2" %}',
    '{% include "/etc/hostname" %}', '{% include "nrecalc/appendix.md.j2" %}',
    '{% extends "link.j2" %}', '{% import ".secret.j2" as s %}', '{% from "link.j2" import x %}',
    "{{ 'x' * 100000000 }}", "{{ 10 ** 100000 }}", "{{ 'x'|center(1000000000) }}",
    "{{ '%0900000000d' % 1 }}", "{{ '{:>900000000}'.format(1) }}", "{{ [1] * 100000000 }}",
    "{{ 'Acct 12345678 %s'|format(quote.id) }}", "{{ quote.id|format(1) }}",
    "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "{% set x = namespace(a=1) %}{{ x.a }}",
    "{{ custom.payment|map(attribute='amount')|join(', ') }}", "{{ quote.customer|e }}",
    "{{ quote.customer|safe }}", "{{ '<script>'|safe }}", "{{ '\\x1b[31m' }}", "{{ '\\x07' }}",
    "{{ '\\u202e' }}", "{{ '\\r' }}", "\x1b[31m", "\x1b]52;c;SU5KRUNURUQ=\x07", "\x07", "\r",
    "\x00", "\u202e", "\u200b", "\x85", "\u2028", "\t", "\n", "::error::INJECTED", "{{ '%' }}",
]  # fmt: skip
SECRETS = ("SECRET-HIDDEN-FILE", "SECRET-OUTSIDE-FILE")


@st.composite
def templates(draw: st.DrawFn) -> str:
    text = TEMPLATE
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        how = draw(st.sampled_from(["insert", "insert", "truncate", "drop-line"]))
        if how == "insert":
            text = text[:at] + draw(st.sampled_from(TEMPLATE_CHUNKS)) + text[at:]
        elif how == "truncate":
            text = text[:at]
        else:
            lines = text.splitlines(keepends=True)
            if lines:
                del lines[draw(st.integers(0, len(lines) - 1))]
                text = "".join(lines)
    return text


@fuzz(30)
@given(templates(), st.sampled_from(["markdown", "html", "note"]), st.booleans())
# SPEC 6: a template reads no hidden file and follows no link out of its folder.
@example('{% include ".secret.j2" %}\n' + TEMPLATE, "note", False)
@example(TEMPLATE + '{% include "link.j2" %}\n', "markdown", True)
def test_mutated_company_templates_end_in_a_clear_exit(
    template: str, fmt: str, to_file: bool
) -> None:
    note(f"template: {template!r}")
    with workspace() as tmp, inside(tmp):
        company = Path("company")
        company.mkdir()
        (company / ".secret.j2").write_text(SECRETS[0] + "\n", encoding="utf-8")
        Path("outside.j2").write_text(SECRETS[1] + "\n", encoding="utf-8")
        (company / "link.j2").symlink_to(tmp / "outside.j2")
        (company / "t.j2").write_bytes(template.encode("utf-8"))
        Path("rates").mkdir()
        Path("rates", "default.yaml").write_bytes(CARD)
        Path("est.yaml").write_bytes(ESTIMATES[0])
        args = ("quote", "est.yaml", "--format", fmt, "--template", "company/t.j2")
        shown = invoke(*args)
        check_quote(shown, template=True)
        assert not [secret for secret in SECRETS if secret in shown.out], "a file it may not read"
        if shown.code == 1:  # one line, at the template or a file it includes
            assert len(shown.severities()) == 1, shown.err
        if to_file:
            Path("out").mkdir()
            target = Path("out", "q" + {"markdown": ".md", "html": ".html"}.get(fmt, ".txt"))
            if fmt != "note":
                written = invoke(*args, "-o", str(target))
                check_quote(written, to_file=True, template=True)
                assert (written.code, written.err) == (shown.code, shown.err)
                left = [p.name for p in Path("out").iterdir()]
                assert left == ([target.name] if shown.code == 0 else []), left
        if shown.code == 0 and fmt in ("markdown", "html") and "nrecalc-provenance:" in shown.out:
            document = Path("q.md" if fmt == "markdown" else "q.html")
            document.write_bytes(shown.out.encode("utf-8"))
            fresh = invoke("verify", str(document), "est.yaml", "--template", "company/t.j2")
            check_verify(fresh)
            assert fresh.code == 0, (fresh.out, fresh.err)  # the same inputs, the same document


# --- real processes under a memory limit --------------------------------------------------------

MEMORY_LIMIT = 1 << 30  # 1 GiB of address space: a blow-up is a MemoryError, not a dead machine


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _yaml_list(items: Sequence[str], indent: str = "  ") -> str:
    return "".join(f"{indent}- {item}\n" for item in items)


def _estimate(**changes: str) -> str:
    """The reverse-push example with top-level lines replaced or added (key: YAML text)."""
    text = (ROOT / "examples" / "reverse-push.yaml").read_text(encoding="utf-8")
    for key, value in changes.items():
        line = re.search(rf"(?m)^{key}:.*\n(?:[ -].*\n)*", text)
        new = f"{key}:{value if value.startswith(chr(10)) else ' ' + value}\n"
        text = text[: line.start()] + new + text[line.end() :] if line else text + new
    return text


def _build(count: int, task: str = "Task") -> str:
    return "\n" + "".join(
        f"    - {{task: {task} {i}, role: engineer, engineers: 1, weeks: 1}}\n"
        for i in range(count)
    )


def _custom(build: str) -> str:
    return f"\n  build:{build}  upgrades_per_year: 4\n  term_years: 3"


@dataclass(frozen=True)
class Process:
    """Files to write (name: text) and the nrecalc arguments to run on them."""

    name: str
    files: dict[str, str]
    args: tuple[str, ...]
    codes: tuple[int, ...] = (0, 1)
    output: str | None = None  # the -o file, which must not exist after a failure
    extra: dict[str, str] = field(default_factory=dict)


BIG = 10**6
PROCESSES = [
    Process(
        "million-char customer, json",
        {"e.yaml": _estimate(customer="c" * BIG)},
        ("quote", "e.yaml", "--format", "json"),
    ),
    Process(
        "million-char title, html",
        {"e.yaml": _estimate(title="中" * BIG)},
        ("quote", "e.yaml", "--format", "html", "-o", "q.html"),
        output="q.html",
    ),
    Process(
        "million-char assumption, markdown",
        {"e.yaml": _estimate(assumptions="\n" + _yaml_list(["|" * BIG]))},
        ("quote", "e.yaml", "--format", "markdown"),
    ),
    Process(
        "10,000 build lines, csv",
        {"e.yaml": _estimate(custom=_custom(_build(10_000)))},
        ("quote", "e.yaml", "--format", "csv", "-o", "q.csv"),
        output="q.csv",
    ),
    Process(
        "10,000 assumptions, note",
        {"e.yaml": _estimate(assumptions="\n" + _yaml_list(["a"] * 10_000))},
        ("quote", "e.yaml", "--format", "note"),
    ),
    Process(
        "1,000 build lines, --explain",
        {"e.yaml": _estimate(custom=_custom(_build(1_000, "t" * 1_000)))},
        ("quote", "e.yaml", "--explain"),
    ),
    Process(
        "10,000 exclusions, customer table",
        {"e.yaml": _estimate(exclusions="\n" + _yaml_list(["e" * 100] * 10_000))},
        ("quote", "e.yaml", "--audience", "customer"),
    ),
    # The case: one 2,000,000-character task name and 3,000 short lines.
    Process(
        "2 MB estimate, table",
        {"e.yaml": _estimate(custom=_custom(_build(1, "n" * 2 * BIG) + _build(3_000)[1:]))},
        ("quote", "e.yaml"),
    ),
    Process(
        "validate text, 10,000 lines and a long name",
        {
            "q/e.yaml": _estimate(custom=_custom(_build(10_000))),
            "q/f.yaml": _estimate(id="i" * BIG),
            "q/rates/default.yaml": CARD.decode(),
        },
        ("validate", "q"),
    ),
    Process(
        "validate github, hostile kind",
        {
            "q/x.yaml": 'kind: "x\\n::error file=README.md::INJECTED\\e]52;c;SU5KRUNURUQ=\\a"\n',
            "q/e.yaml": _estimate(title='"t\\e[31m"'),
        },
        ("validate", "q", "--format", "github"),
    ),
    Process(
        "validate json, a million-char key",
        {"q/e.yaml": _estimate() + f"? {'k' * BIG}\n: 1\n"},
        ("validate", "q", "--format", "json"),
    ),
    Process(
        "verify a document against a grown estimate",
        {"e.yaml": _estimate(title="t" * BIG)},
        ("verify", "q.md", "e.yaml"),
        extra={"q.md": "reverse-push.customer.md"},
    ),
    Process(
        "template %*s and format",
        {"t.j2": "{{ '%*s' % (10**9, 'x') }}{{ '{0:>{1}}'.format('x', 10**9) }}\n"},
        ("quote", "examples/reverse-push.yaml", "--format", "markdown", "--template", "t.j2"),
    ),
    Process(
        "template to_bytes and replace",
        {
            "t.j2": "{{ (1).to_bytes(10**9, 'big')|length }}\n"
            "{{ 'ab'.replace('', 'x' * 10**4)|length }}\n"
        },
        (
            "quote",
            "examples/reverse-push.yaml",
            "--format",
            "html",
            "--template",
            "t.j2",
            "-o",
            "t.html",
        ),
        output="t.html",
    ),
    Process(
        "hostile file name",
        {"\x1b]52;c;SU5KRUNURUQ=\x07\u202e\n::x.yaml": _estimate(title='"\\e[2J"')},
        ("quote", "\x1b]52;c;SU5KRUNURUQ=\x07\u202e\n::x.yaml"),
    ),
]


def _run_process(case: Process, folder: Path) -> Run:
    for name, text in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    # Copies with the umask's mode, not the checkout's (a group-writable card is passed over).
    shutil.copytree(ROOT / "examples", folder / "examples", copy_function=shutil.copyfile)
    (folder / "rates").mkdir(exist_ok=True)
    shutil.copyfile(ROOT / "rates" / "default.yaml", folder / "rates" / "default.yaml")
    for name, golden in case.extra.items():
        shutil.copyfile(ROOT / "tests" / "golden" / golden, folder / name)
    done = subprocess.run(
        [sys.executable, "-m", "nrecalc", *case.args],
        cwd=folder,
        capture_output=True,
        timeout=120,
        preexec_fn=_limit_memory,
        env={
            **os.environ,
            "PYTHONIOENCODING": "utf-8",
            "COLUMNS": "100",
        },  # in workspace(): no forced colour
        check=False,
    )
    return checked(case.args, done.returncode, done.stdout, done.stderr, case.codes)


@pytest.mark.parametrize("case", PROCESSES, ids=[case.name for case in PROCESSES])
def test_real_processes_under_a_memory_limit(case: Process) -> None:
    with workspace() as folder:
        _check_process(case, folder)


def _check_process(case: Process, tmp_path: Path) -> None:
    run = _run_process(case, tmp_path)
    if case.args[0] == "quote":
        check_quote(run, to_file=case.output is not None)
    elif case.args[0] == "verify":
        check_verify(run)
    elif not run.out:  # validate could not start: the problem is on stderr
        assert run.code == 1 and "error" in run.severities(), run.err
    elif "json" in case.args:
        assert isinstance(json.loads(run.out), list), run.out[-2000:]
    else:
        *lines, summary = _lines(run.out)
        assert SUMMARY.fullmatch(summary), run.out[-2000:]
        line = GITHUB if "github" in case.args else PROBLEM
        assert all(line.fullmatch(text) for text in lines), run.out[-2000:]
    if case.output is not None and run.code != 0:
        assert not (tmp_path / case.output).exists()
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
