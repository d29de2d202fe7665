"""YAML -> models: the strict YAML subset of SPEC 2, with the line and column of every node."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple, TypeVar

import yaml

from .errors import InputError, Problem

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

    from .models import Estimate, RateCard

    M = TypeVar("M", bound=BaseModel)

MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 32
TOO_DEEP = f"nesting is deeper than {MAX_DEPTH} levels"
_NESTING = re.compile(r"nesting depth", re.IGNORECASE)
# A real estimate has a few hundred values; the caps keep a hostile 8 MiB file from costing
# gigabytes of memory or a million error lines.
MAX_NODES = 100_000
MAX_PROBLEMS = 100
MAX_INT_DIGITS = 30
MAX_EXPONENT_DIGITS = 4
MAX_KEY = 200  # a key is a name (models.MAX_NAME)

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


def display_path(path: Path) -> str:
    """Write path relative to the current folder when it is inside it."""
    try:
        # getcwd() is already free of symbolic links: no need to resolve it.
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError, RuntimeError):
        return str(path)


# --- reading bytes -------------------------------------------------------------------------


def read_text(
    path: Path, shown: str, kind: str = "YAML", *, expected: str | None = None
) -> tuple[str, str]:
    """Read a UTF-8 text file within the size cap; return its text and sha256.

    expected, when given, says what the reader takes, after a binary or non-UTF-8 file.
    """
    try:
        with open_regular(path) as handle:
            raw = handle.read(MAX_BYTES + 1)
    except NotAFileError as exc:
        raise InputError.at(shown, f"is {exc.what}; expected a {kind} file") from None
    except FileNotFoundError:
        raise InputError.at(shown, "no such file") from None
    except OSError as exc:
        raise InputError.at(shown, f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise InputError.at(shown, "file is larger than the 8 MiB limit")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError.at(shown, "UTF-16 or UTF-32 text; save the file as UTF-8", 1, 1)
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, column = _position(raw, nul)
        raise InputError.at(
            shown,
            f"binary data (a NUL byte); {expected or f'expected a {kind} text file'}",
            line,
            column,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(raw, exc.start)
        raise InputError.at(
            shown,
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); {expected or 'save the file as UTF-8'}",
            line,
            column,
        ) from None
    return text.removeprefix("\ufeff"), hashlib.sha256(raw).hexdigest()


class NotAFileError(OSError):
    """The path names a folder, FIFO, socket or device, not a regular file."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def open_regular(path: Path) -> BinaryIO:
    """Open a regular file (or a link to one) for reading; raise NotAFileError for any other.

    A FIFO would block open() and read() until a writer came, and opening a device can act
    (a watchdog, a tape): so look before opening, open without blocking and without taking a
    controlling terminal, then check the open descriptor itself, which no rename can swap.
    """
    _refuse_special(os.stat(path).st_mode)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        _refuse_special(os.fstat(fd).st_mode)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _refuse_special(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise NotAFileError("a folder")
    if stat.S_ISFIFO(mode):
        raise NotAFileError("a FIFO (named pipe)")
    if stat.S_ISSOCK(mode):
        raise NotAFileError("a socket")
    raise NotAFileError("a device")


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    # YAML breaks lines at CR LF, CR and LF alike.
    before = raw[:offset].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    start = before.rfind(b"\n") + 1
    return before.count(b"\n") + 1, len(before[start:].decode("utf-8", "replace")) + 1


# --- the strict scalar rules -------------------------------------------------------------------

_NUMBER = re.compile(r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?([0-9]+))?|[-+]?\.[0-9]+")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+(?:\.[0-9]*)?")
_RADIX = re.compile(r"[-+]?0(?:[xX][0-9a-fA-F_]+|[oO][0-7_]+|[bB][01_]+)")
_SEPARATED = re.compile(r"[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?")
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_NOT_FINITE = re.compile(r"[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)")
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n", "true", "false"}
_NULLS = {"", "~", "null", "Null", "NULL"}


class _ScalarError(Exception):
    pass


def resolve_plain(text: str) -> Any:
    """Give an unquoted scalar its type: int, Decimal, bool, None, or text."""
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


def parse(text: str, path: str, sha256: str = "") -> Document:
    """Parse one YAML document under the strict rules; raise InputError on fatal problems."""
    try:
        return _compose(yaml.parse(text, Loader=_Loader), path, sha256)
    except _Fatal as exc:
        raise InputError.at(path, exc.message, exc.mark.line, exc.mark.column) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        if mark is None and isinstance(getattr(exc, "position", None), int):
            line, column = _text_position(text, exc.position)  # type: ignore[attr-defined]
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


def _text_position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset].encode("utf-8", "replace")
    return _position(before, len(before))


def _compose(events: Iterator[yaml.Event], path: str, sha256: str) -> Document:
    from .models import nfc

    doc = Document(path=path, data={}, sha256=sha256)
    root: Any = None
    seen_root = False
    documents = 0
    stack: list[_Frame] = []

    def attach(value: Any, mark: Mark) -> tuple[Loc, bool]:
        nonlocal root, seen_root
        if not stack:
            root, seen_root = value, True
            doc.marks[()] = mark
            return (), False
        top = stack[-1]
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
            doc.marks[loc] = mark
        return loc, discard

    nodes = 0
    for event in events:
        if isinstance(event, yaml.NodeEvent):
            nodes += 1
            if nodes > MAX_NODES:
                raise _Fatal(event.start_mark, f"more than {MAX_NODES:,} values in one file")
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Fatal(event.start_mark, "only one YAML document per file is allowed")
            continue
        if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
            continue
        if isinstance(event, yaml.AliasEvent):
            raise _Fatal(event.start_mark, f"aliases (*{event.anchor}) are not allowed")
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
            continue
        assert isinstance(event, yaml.NodeEvent)
        if event.anchor is not None:
            raise _Fatal(event.start_mark, f"anchors (&{event.anchor}) are not allowed")
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = tag.replace("tag:yaml.org,2002:", "!!", 1)
            raise _Fatal(event.start_mark, f"tags ({shown}) are not allowed")
        start = event.start_mark
        assert start is not None, "the parser marks every event"
        mark = Mark(start.line + 1, start.column + 1)
        top = stack[-1] if stack else None

        if isinstance(top, _Frame) and isinstance(top.container, dict) and top.key is None:
            if not isinstance(event, yaml.ScalarEvent):
                raise _Fatal(event.start_mark, "mapping keys must be plain text")
            key = event.value
            if key == "<<" and not event.style:
                raise _Fatal(event.start_mark, "merge keys (<<) are not allowed")
            if not key.isascii():
                key = nfc(key)  # `ingénieur` typed two ways is one key, and a duplicate
            if len(key) > MAX_KEY:
                # Not kept: a key this long would be repeated in every message about it.
                problem = f"a key is {len(key):,} characters long; at most {MAX_KEY:,}"
                doc.problems.append(
                    Problem(path, problem, mark.line, mark.column, dotted(top.loc) or None)
                )
                top.key, top.key_discard = key, True
                continue
            loc = (*top.loc, key)
            top.key = key
            if not key.isprintable():
                from .models import text_problem

                line_break = "must not contain control characters (found U+000A)"
                hidden = line_break if "\n" in key else text_problem(key)
                if hidden is not None:  # named here, for every key, not only roles and services
                    doc.problems.append(Problem(path, hidden, mark.line, mark.column, dotted(loc)))
            if key.startswith("\u3000"):
                problem = "full-width space '\u3000' before the key; indent with ASCII spaces"
                doc.problems.append(Problem(path, problem, mark.line, mark.column, dotted(loc)))
            if key in top.container:
                first = doc.key_marks.get(loc)
                where = f" (first at line {first.line})" if first else ""
                doc.problems.append(
                    Problem(
                        path, f"duplicate key {key!r}{where}", mark.line, mark.column, dotted(loc)
                    )
                )
                top.key_discard = True
            elif not top.discard:
                doc.key_marks[loc] = mark
            continue

        if isinstance(event, yaml.ScalarEvent):
            if not event.style:  # plain (unquoted): libyaml says "", PyYAML None
                try:
                    value = resolve_plain(event.value)
                except _ScalarError as exc:
                    loc, discard = attach(INVALID, mark)
                    if not discard:
                        doc.problems.append(
                            Problem(path, str(exc), mark.line, mark.column, dotted(loc) or None)
                        )
                    continue
            else:
                value = event.value
            if isinstance(value, str) and not value.isascii():
                value = nfc(value)  # a role typed precomposed or decomposed is one role
            attach(value, mark)
            continue

        if len(stack) >= MAX_DEPTH:
            raise _Fatal(event.start_mark, TOO_DEEP)
        container: dict[str, Any] | list[Any] = (
            {} if isinstance(event, yaml.MappingStartEvent) else []
        )
        loc, discard = attach(container, mark)
        stack.append(_Frame(container, loc, discard))

    if not seen_root:
        raise InputError.at(path, "the file is empty; expected a mapping that starts with kind:")
    if not isinstance(root, dict):
        root_mark = doc.marks[()]
        message = "expected a mapping (key: value lines) that starts with kind:"
        raise InputError.at(path, message, root_mark.line, root_mark.column)
    doc.data = root
    return doc


# --- data -> models ----------------------------------------------------------------------------


def read_document(path: Path, shown: str | None = None) -> Document:
    """Read and parse one YAML file."""
    shown = shown if shown is not None else display_path(path)
    text, sha256 = read_text(path, shown)
    return parse(text, shown, sha256)


def check_kind(doc: Document, expected: str) -> None:
    """Raise unless the document declares the expected kind."""
    kind = doc.data.get("kind")
    if kind == expected:
        return
    if "kind" not in doc.data:
        raise InputError([doc.problem(("kind",), f"missing; expected kind: {expected}")])
    if kind is INVALID:
        raise InputError([p for p in doc.problems if p.field == "kind"])
    if kind is None or kind == "":
        raise InputError([doc.problem(("kind",), f"is empty; expected kind: {expected}")])
    shown = _short(kind) if isinstance(kind, str) else str(kind).lower()
    raise InputError([doc.problem(("kind",), f"is {shown}; expected {expected!r}")])


def _short(text: str) -> str:
    """Quote text for a message, cut to 40 characters."""
    return repr(text) if len(text) <= 40 else repr(text[:40]) + "..."


def to_model(doc: Document, model: type[M]) -> M:
    """Validate the document's data into model; raise every problem found, sorted by place."""
    from pydantic import ValidationError

    try:
        result = model.model_validate(doc.data)
    except ValidationError as exc:
        problems = list(doc.problems) + _pydantic_problems(doc, model, exc)
        raise InputError(_sorted_unique(problems)) from None
    if doc.problems:
        raise InputError(_sorted_unique(doc.problems))
    return result


def _sorted_unique(problems: list[Problem]) -> list[Problem]:
    found = sorted(dict.fromkeys(problems), key=lambda p: (p.line or 0, p.column or 0))
    if len(found) <= MAX_PROBLEMS:
        return found
    rest = len(found) - MAX_PROBLEMS
    return [*found[:MAX_PROBLEMS], Problem(found[0].path, f"... and {rest:,} more problems")]


def _pydantic_problems(
    doc: Document, model: type[BaseModel], exc: ValidationError
) -> list[Problem]:
    bad = {p.field for p in doc.problems}
    errors = exc.errors(include_url=False, include_input=False)
    failed = [_untagged(error["loc"]) for error in errors]
    problems = []
    for error in errors:
        loc = _untagged(error["loc"])
        on_key = bool(loc) and loc[-1] == "[key]"  # a mapping's key: roles.KEY.[key]
        if on_key:
            loc = loc[:-1]
        if error["type"] == "too_short" and any(
            len(other) > len(loc) and other[: len(loc)] == loc for other in failed
        ):
            continue  # pydantic counts only the items that validated; their errors say enough
        if any(dotted(loc[:end]) in bad for end in range(1, len(loc) + 1)):
            continue  # the loader already said what is wrong with this value
        kind = error["type"]
        if kind == "extra_forbidden":
            problems.append(doc.problem(loc, _unknown_key(model, loc), key=True))
        elif kind == "missing":
            parent = doc.mark(loc[:-1])
            problems.append(
                Problem(
                    doc.path, "required field is missing", parent.line, parent.column, dotted(loc)
                )
            )
        elif kind == "too_long":
            problems.append(doc.problem(loc, _too_long(doc, loc, error)))
        else:
            problems.append(doc.problem(loc, _message(error), key=on_key))
    return problems


def _too_long(doc: Document, loc: Loc, error: Any) -> str:
    value: Any = doc.data
    for part in loc:
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
        else:
            value = None
    most = error.get("ctx", {}).get("max_length")
    kind = "entries" if isinstance(value, dict) else "items"
    count = f"{len(value):,} {kind}" if isinstance(value, (dict, list)) else f"too many {kind}"
    return f"has {count}; at most {most:,}" if isinstance(most, int) else f"has {count}"


def _untagged(loc: tuple[str | int, ...]) -> Loc:
    """Drop the union tags pydantic puts in a location: weeks.high, not weeks.range.high."""
    from .models import WEEKS_TAGS

    return tuple(
        part
        for i, part in enumerate(loc)
        if not (part in WEEKS_TAGS and i > 0 and loc[i - 1] == "weeks")
    )


def _message(error: Any) -> str:
    kind = error["type"]
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "expected a mapping (key: value lines)"
    if kind in ("list_type", "tuple_type"):
        return "expected a list (lines starting with '- ')"
    if kind == "too_short":
        return "must have at least one item"
    return str(error["msg"])


def did_you_mean(name: str, choices: Iterable[str]) -> str | None:
    """Return the choice closest to a misspelt name, if one is close enough."""
    from difflib import get_close_matches

    close = get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def _unknown_key(model: type[BaseModel], loc: Loc) -> str:
    name = str(loc[-1])
    allowed = _fields_at(model, loc[:-1])
    close = did_you_mean(name, allowed)
    hint = f"; did you mean {close!r}?" if close else ""
    if not close and allowed:
        hint = f"; expected one of: {', '.join(allowed)}"
    return f"unknown field {name!r}{hint}"


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """Return the field names of the model found at loc (following nested models and lists)."""
    from typing import get_args, get_origin

    from pydantic import BaseModel

    current: Any = model
    keyed = False  # the part after a dict field (services.premium-support) is a key, not a field
    for part in loc:
        if isinstance(part, int) or keyed:
            keyed = False
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(str(part))
        if info is None:
            return []
        keyed = get_origin(info.annotation) is dict
        current = _inner_model(info.annotation, get_args)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [info.alias or name for name, info in current.model_fields.items()]
    return []


def _inner_model(annotation: Any, get_args: Any) -> Any:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg, get_args)
        if found is not None:
            return found
    return None


def load_rate_card(path: Path, shown: str | None = None) -> tuple[RateCard, Document]:
    """Load and validate a rate card file."""
    from .models import RateCard

    doc = read_document(path, shown)
    check_kind(doc, "rate-card")
    return to_model(doc, RateCard), doc


def load_estimate(path: Path, shown: str | None = None) -> tuple[Estimate, Document]:
    """Load and validate an estimate file."""
    from .models import Estimate

    doc = read_document(path, shown)
    check_kind(doc, "estimate")
    return to_model(doc, Estimate), doc
