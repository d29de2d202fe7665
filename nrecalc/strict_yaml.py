"""Text -> Document: the strict YAML subset of SPEC 2, with the line and column of every node."""

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, NamedTuple

import yaml

from .errors import InputError, Problem

MAX_DEPTH = 32
TOO_DEEP = f"nesting is deeper than {MAX_DEPTH} levels"
_NESTING = re.compile(r"nesting depth", re.IGNORECASE)
# A real estimate has a few hundred values; the cap keeps a hostile 8 MiB file from costing
# gigabytes of memory.
MAX_NODES = 100_000
MAX_INT_DIGITS = 30
MAX_EXPONENT_DIGITS = 4
MAX_KEY = 200  # a key is a name (fields.MAX_NAME)

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Loc = tuple[str | int, ...]


class Mark(NamedTuple):
    """A 1-based line and column in a file."""

    line: int
    column: int


class Invalid:
    """A scalar the loader rejected; its problem is already recorded."""

    def __repr__(self) -> str:
        return "<invalid>"


INVALID = Invalid()


class Document:
    """A parsed YAML file: plain data plus where each value and key stands."""

    __slots__ = ("data", "key_marks", "marks", "path", "problems", "sha256")

    def __init__(self, path: str, data: dict[str, Any], sha256: str) -> None:
        self.path = path
        self.data = data
        self.sha256 = sha256
        self.marks: dict[Loc, Mark] = {}
        self.key_marks: dict[Loc, Mark] = {}
        self.problems: list[Problem] = []

    def mark(self, loc: Loc, *, key: bool = False) -> Mark:
        """Return the position of loc's key or value, or of its nearest ancestor."""
        if key and loc in self.key_marks:
            return self.key_marks[loc]
        for end in range(len(loc), -1, -1):
            found = self.marks.get(loc[:end])
            if found is not None:
                return found
        return Mark(1, 1)

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        """Make a problem located at loc."""
        where = self.mark(loc, key=key)
        return Problem(self.path, message, where.line, where.column, dotted(loc) or None)


def dotted(loc: Iterable[str | int]) -> str:
    """Write a location as a field path: custom.build[0].weeks."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def end_position(before: str) -> tuple[int, int]:
    """Return the 1-based line and column just after before: CR LF, CR and LF each break a line."""
    before = before.replace("\r\n", "\n").replace("\r", "\n")
    return before.count("\n") + 1, len(before) - before.rfind("\n")


# --- the strict scalar rules -------------------------------------------------------------------

_NUMBER = re.compile(r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?([0-9]+))?|[-+]?\.[0-9]+")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+(?:\.[0-9]*)?")
_RADIX = re.compile(r"[-+]?0(?:[xX][0-9a-fA-F_]+|[oO][0-7_]+|[bB][01_]+)")
_SEPARATED = re.compile(r"[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?")
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_NOT_FINITE = re.compile(r"[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)")
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n", "true", "false"}
_NULLS = {"", "~", "null", "Null", "NULL"}


class _ScalarError(ValueError):
    """A plain scalar the strict subset refuses; its text says why."""


def resolve_plain(text: str) -> Any:
    """Give an unquoted scalar its type: int, Decimal, bool, None, or text.

    Raise ValueError saying why the strict subset refuses it (an octal 010, a `yes`).
    """
    match = _NUMBER.fullmatch(text)
    if match:
        if match.group(1) is not None and len(match.group(1)) > MAX_EXPONENT_DIGITS:
            raise _ScalarError(f"number {text[:40]} is out of range")
        if "." in text or "e" in text or "E" in text:
            return Decimal(text)
        if len(text.lstrip("+-")) > MAX_INT_DIGITS:
            raise _ScalarError(f"number {text[:40]}... is out of range")
        return int(text)
    if text in ("true", "false"):
        return text == "true"
    if text in _NULLS:
        return None
    if _NOT_FINITE.fullmatch(text):
        raise _ScalarError(f"{text} is not a finite number")
    if _LEADING_ZERO.fullmatch(text):
        raise _ScalarError(
            f"{text} has a leading zero (YAML 1.1 reads it as octal); "
            "write plain decimal, or quote it for text"
        )
    if _RADIX.fullmatch(text) or _SEXAGESIMAL.fullmatch(text) or _SEPARATED.fullmatch(text):
        raise _ScalarError(
            f"{text} is not a plain decimal number (no 0x, 0o, 0b, 1_000 or 1:30 forms); "
            "write plain decimal, or quote it for text"
        )
    if text.lower() in _YAML11_BOOLS:
        raise _ScalarError(
            f"{text!r} is ambiguous (a boolean in YAML 1.1, text in YAML 1.2); "
            "write true or false, or quote it for text"
        )
    return text


# --- parsing, and YAML's errors said so that a person can fix them ----------------------------


def parse(text: str, path: str, sha256: str = "") -> Document:
    """Parse one YAML document under the strict rules; raise InputError on fatal problems."""
    try:
        return _Composer(path, sha256).compose(yaml.parse(text, Loader=_Loader))
    except _Fatal as exc:
        raise InputError.at(path, exc.message, exc.mark.line, exc.mark.column) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        if mark is None and isinstance(getattr(exc, "position", None), int):
            line, column = end_position(text[: exc.position])  # type: ignore[attr-defined]
        if _NESTING.search(str(problem)):
            # Some libyaml builds stop deep input themselves (at depth 1000) while reading
            # ahead, before our own check sees the events: one message for either limit.
            raise InputError.at(path, TOO_DEEP, line, column) from None
        wide = _full_width(text, exc)
        if wide is not None:
            char, line, column = wide
            name = _WIDE[char]
            message = f"invalid YAML: full-width {name} {char!r}; use {_NARROW[char]}"
            raise InputError.at(path, message, line, column) from None
        hint = _hint(exc, text, line, column)
        raise InputError.at(path, f"invalid YAML: {problem}{hint}", line, column) from None


# Typed with a Chinese or Japanese input method, these look like YAML's own marks but are not.
_WIDE = {"\uff1a": "colon", "\u3000": "space", "\uff03": "number sign", "\uff0d": "hyphen"}
_NARROW = {
    "\uff1a": "':' (followed by a space)",
    "\u3000": "ASCII spaces to indent",
    "\uff03": "'#' for a comment",
    "\uff0d": "'- ' for a list item",
}
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


def _lines(text: str, upto: int) -> list[str]:
    """Return the first upto lines of text, broken where YAML breaks them."""
    return _LINE_BREAK.split(text, maxsplit=upto)[:upto]


def _full_width(text: str, exc: yaml.YAMLError) -> tuple[str, int, int] | None:
    """Find a full-width colon, space, '#' or '-' where YAML expected its own mark.

    Looks on the lines the error names (the start of what libyaml was reading, and where it
    stopped); returns the character and its 1-based line and column.
    """
    marks = [getattr(exc, "context_mark", None), getattr(exc, "problem_mark", None)]
    numbers = sorted({m.line for m in marks if m is not None})
    if not numbers:
        return None
    lines = _lines(text, numbers[-1] + 1)
    for number in numbers:
        if number >= len(lines):
            continue
        row = lines[number]
        body = row.lstrip(" ")
        if body.startswith("\u3000"):  # full-width indentation
            return "\u3000", number + 1, len(row) - len(body) + 1
        found = [(row.find(c), c) for c in ("\uff1a", "\uff03", "\uff0d") if c in row]
        if found:
            column, char = min(found)
            if ":" not in row[:column]:  # in a value (`title: a\uff1ab`) it is text
                return char, number + 1, column + 1
    return None


def _hint(exc: yaml.YAMLError, text: str, line: int | None, column: int | None) -> str:
    """Say what to check for a YAML error, by its kind (libyaml's words vary by version)."""
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        row = _lines(text, mark.line + 1)
        if len(row) > mark.line and row[mark.line][mark.column : mark.column + 1] == "\t":
            return "; indent with spaces: YAML does not allow tabs there"
        if len(row) > mark.line and "\t" in row[mark.line][: mark.column]:
            return "; indent with spaces: YAML does not allow tabs there"
    context = str(getattr(exc, "context", "") or "")
    problem = str(getattr(exc, "problem", "") or "")
    if isinstance(exc, yaml.parser.ParserError):
        if "flow" in context:  # [a, b] or {a: 1}
            return "; check that each '[' and '{' is closed, and items are separated by ', '"
        return (
            "; check the indentation of this line against the line above: the keys of one "
            "mapping start in the same column, and each list item with '- '"
        )
    if not isinstance(exc, yaml.scanner.ScannerError):
        return ""
    if "simple key" in context:
        return "; each line of a mapping is 'key: value', with a colon and a space"
    opened = getattr(exc, "context_mark", None)
    if "quoted" in context and opened is not None:
        return f"; check that the quote opened on line {opened.line + 1} is closed"
    if "mapping" in problem:
        return (
            "; put a value that holds ': ' in quotes, or check the indentation of this line "
            "against the line above"
        )
    return ""


# --- events -> data ------------------------------------------------------------------------------


class _Fatal(Exception):
    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark = Mark(mark.line + 1, mark.column + 1)
        self.message = message


class _Frame:
    __slots__ = ("container", "discard", "key", "key_discard", "loc")

    def __init__(self, container: dict[str, Any] | list[Any], loc: Loc, discard: bool) -> None:
        self.container = container
        self.loc = loc
        self.discard = discard
        self.key: str | None = None
        self.key_discard = False


def _nfc(text: str) -> str:
    if text.isascii():
        return text
    from .fields import nfc  # pydantic is imported only for text that needs it

    return nfc(text)


class _Composer:
    """Build a Document from parser events, refusing what the strict subset leaves out."""

    def __init__(self, path: str, sha256: str) -> None:
        self.doc = Document(path=path, data={}, sha256=sha256)
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.seen_root = False
        self.documents = 0
        self.nodes = 0

    def compose(self, events: Iterator[yaml.Event]) -> Document:
        """Take every event, then return the document its root mapping makes."""
        for event in events:
            if isinstance(event, yaml.NodeEvent):
                self.node(event)
            elif isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    raise _Fatal(event.start_mark, "only one YAML document per file is allowed")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                self.stack.pop()
        return self.finish()

    def node(self, event: yaml.NodeEvent) -> None:
        """Take a scalar, or the start of a mapping or list: as a key or as a value."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Fatal(event.start_mark, f"more than {MAX_NODES:,} values in one file")
        _refuse_reuse(event)
        start = event.start_mark
        assert start is not None, "the parser marks every event"
        mark = Mark(start.line + 1, start.column + 1)
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.container, dict) and top.key is None:
            self.key(event, top, mark)
        elif isinstance(event, yaml.ScalarEvent):
            self.scalar(event, mark)
        else:
            self.open(event, mark)

    def key(self, event: yaml.NodeEvent, top: _Frame, mark: Mark) -> None:
        """Take a mapping's key: record where it stands, or why it is not kept."""
        if not isinstance(event, yaml.ScalarEvent):
            raise _Fatal(event.start_mark, "mapping keys must be plain text")
        if event.value == "<<" and not event.style:
            raise _Fatal(event.start_mark, "merge keys (<<) are not allowed")
        key = _nfc(event.value)  # `ingénieur` typed two ways is one key, and a duplicate
        if len(key) > MAX_KEY:
            # Not kept: a key this long would be repeated in every message about it.
            self.problem(
                f"a key is {len(key):,} characters long; at most {MAX_KEY:,}", mark, top.loc
            )
            top.key, top.key_discard = key, True
            return
        loc = (*top.loc, key)
        top.key = key
        for problem in _key_problems(key):
            self.problem(problem, mark, loc)
        if key in top.container:
            first = self.doc.key_marks.get(loc)
            where = f" (first at line {first.line})" if first else ""
            self.problem(f"duplicate key {key!r}{where}", mark, loc)
            top.key_discard = True
        elif not top.discard:
            self.doc.key_marks[loc] = mark

    def scalar(self, event: yaml.ScalarEvent, mark: Mark) -> None:
        """Take a value: plain ones get their type under the strict rules, quoted ones are text."""
        value: Any = event.value
        if not event.style:  # plain (unquoted): libyaml says "", PyYAML None
            try:
                value = resolve_plain(event.value)
            except _ScalarError as exc:
                loc, discard = self.attach(INVALID, mark)
                if not discard:
                    self.problem(str(exc), mark, loc)
                return
        if isinstance(value, str):
            value = _nfc(value)  # a role typed precomposed or decomposed is one role
        self.attach(value, mark)

    def open(self, event: yaml.NodeEvent, mark: Mark) -> None:
        """Start a mapping or a list, within the nesting limit."""
        if len(self.stack) >= MAX_DEPTH:
            raise _Fatal(event.start_mark, TOO_DEEP)
        container: dict[str, Any] | list[Any] = (
            {} if isinstance(event, yaml.MappingStartEvent) else []
        )
        loc, discard = self.attach(container, mark)
        self.stack.append(_Frame(container, loc, discard))

    def attach(self, value: Any, mark: Mark) -> tuple[Loc, bool]:
        """Put value in its container; return its place, and whether it is thrown away."""
        if not self.stack:
            self.root, self.seen_root = value, True
            self.doc.marks[()] = mark
            return (), False
        top = self.stack[-1]
        if isinstance(top.container, list):
            loc: Loc = (*top.loc, len(top.container))
            top.container.append(value)
            discard = top.discard
        else:
            assert top.key is not None
            loc = (*top.loc, top.key)
            discard = top.discard or top.key_discard
            if not discard:
                top.container[top.key] = value
            top.key, top.key_discard = None, False
        if not discard:
            self.doc.marks[loc] = mark
        return loc, discard

    def problem(self, message: str, mark: Mark, loc: Loc) -> None:
        """Record a problem that does not stop the reading."""
        where = dotted(loc) or None
        self.doc.problems.append(Problem(self.doc.path, message, mark.line, mark.column, where))

    def finish(self) -> Document:
        """Return the document, whose root must be a mapping."""
        path = self.doc.path
        if not self.seen_root:
            raise InputError.at(
                path, "the file is empty; expected a mapping that starts with kind:"
            )
        if not isinstance(self.root, dict):
            root_mark = self.doc.marks[()]
            message = "expected a mapping (key: value lines) that starts with kind:"
            raise InputError.at(path, message, root_mark.line, root_mark.column)
        self.doc.data = self.root
        return self.doc


def _refuse_reuse(event: yaml.NodeEvent) -> None:
    """Raise on aliases, anchors and tags: a value stands once, for what it plainly says."""
    if isinstance(event, yaml.AliasEvent):
        raise _Fatal(event.start_mark, f"aliases (*{event.anchor}) are not allowed")
    if event.anchor is not None:
        raise _Fatal(event.start_mark, f"anchors (&{event.anchor}) are not allowed")
    tag = getattr(event, "tag", None)
    if tag is not None:
        shown = tag.replace("tag:yaml.org,2002:", "!!", 1)
        raise _Fatal(event.start_mark, f"tags ({shown}) are not allowed")


def _key_problems(key: str) -> list[str]:
    """Say what in a key's text cannot be shown: named here for every key, not only names."""
    problems = []
    if not key.isprintable():
        from .fields import text_problem

        line_break = "must not contain control characters (found U+000A)"
        hidden = line_break if "\n" in key else text_problem(key)
        if hidden is not None:
            problems.append(hidden)
    if key.startswith("\u3000"):
        problems.append("full-width space '\u3000' before the key; indent with ASCII spaces")
    return problems
