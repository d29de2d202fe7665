"""YAML files -> models: read a file within its limits, parse it, and validate it into a model."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from .errors import InputError, Problem
from .strict_yaml import INVALID, Document, Loc, dotted, end_position, parse

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

    from .models import Estimate, RateCard

    M = TypeVar("M", bound=BaseModel)

MAX_BYTES = 8 * 1024 * 1024
# A hostile file could have a million problems: the first hundred say enough.
MAX_PROBLEMS = 100


def display_path(path: Path) -> str:
    """Write path relative to the current folder when it is inside it."""
    try:
        # getcwd() is already free of symbolic links: no need to resolve it.
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError, RuntimeError):
        return str(path)


# --- reading bytes -------------------------------------------------------------------------


def read_bytes(path: Path, shown: str, kind: str) -> bytes:
    """Read a regular file within the size cap (a PDF for verify, the bytes of a text file)."""
    try:
        with open_regular(path) as handle:
            raw: bytes = handle.read(MAX_BYTES + 1)
    except NotAFileError as exc:
        raise InputError.at(shown, f"is {exc.what}; expected a {kind} file") from None
    except FileNotFoundError:
        raise InputError.at(shown, "no such file") from None
    except OSError as exc:
        raise InputError.at(shown, f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise InputError.at(shown, "file is larger than the 8 MiB limit")
    return raw


def read_text(
    path: Path, shown: str, kind: str = "YAML", *, expected: str | None = None
) -> tuple[str, str]:
    """Read a UTF-8 text file within the size cap; return its text and sha256.

    expected, when given, says what the reader takes, after a binary or non-UTF-8 file.
    """
    raw = read_bytes(path, shown, kind)
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
    return end_position(raw[:offset].decode("utf-8", "replace"))


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

    found = list(doc.problems)
    if doc.data.get("kind") == "rate-card":  # the checks across a card's fields
        from .fx import table_problems

        found += table_problems(doc)
    try:
        result = model.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(_sorted_unique(found + _pydantic_problems(doc, model, exc))) from None
    if found:
        raise InputError(_sorted_unique(found))
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
            problems.append(doc.problem(loc, _message(error, _value_at(doc, loc)), key=on_key))
    return problems


def _value_at(doc: Document, loc: Loc) -> Any:
    """Return the file's value at a location, or None if there is none."""
    value: Any = doc.data
    for part in loc:
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
        else:
            value = None
    return value


def _too_long(doc: Document, loc: Loc, error: Any) -> str:
    return too_many(_value_at(doc, loc), error.get("ctx", {}).get("max_length"))


def too_many(value: Any, most: Any) -> str:
    """Say that a list (or mapping) has more than its most: `has 1,001 items; at most 1,000`."""
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


def _message(error: Any, given: Any = None) -> str:
    kind = error["type"]
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "expected a mapping (key: value lines)"
    if kind in ("list_type", "tuple_type"):
        return "expected a list (lines starting with '- ')"
    if kind == "too_short":
        return "must have at least one item"
    if kind == "literal_error":  # a choice: say the choices as the files write them
        expected = str(error.get("ctx", {}).get("expected", "")).replace("'", "")
        choices = expected.replace(" or ", ", ").split(", ")
        given = str(given)
        same = [choice for choice in choices if choice.lower() == given.lower()]
        close = same[0] if same else did_you_mean(given, choices)
        hint = f"; did you mean {close}?" if close else ""
        return f"must be one of {expected}{hint}"
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

    # On Python 3.10 a generic alias (tuple[Item, ...]) passes isinstance(..., type) but not
    # issubclass: only a real class, never an alias, is asked whether it is a model.
    if (
        isinstance(annotation, type)
        and not get_args(annotation)
        and issubclass(annotation, BaseModel)
    ):
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
