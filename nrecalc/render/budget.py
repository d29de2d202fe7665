"""What a company template may build (SPEC 6): sizes estimated before the work is done.

Every operation that can make a large value from small ones (padding and repeating methods, `*`,
`+`, `~`, `%`, `str.format`, the filters, printing a value) first asks this module, from its
arguments alone, at most how many bytes it would make; the sandbox (sandbox.py) counts that
against one budget for the whole render. The estimates are upper bounds: 4 bytes for a character
that may not be ASCII, 8 for an item of a list. They never raise on odd arguments: they estimate,
or refuse a width that is too large, and leave every other error to the real call.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping, Sized
from decimal import Decimal
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.utils import Namespace

MAX_TEXT = 64 * 1024 * 1024  # bytes of text a template may build in all, output included
MAX_WIDTH = 10_000  # the widest field a template may pad or wrap to, or format to a precision
ITEM = 8  # bytes a list item takes (a reference)
ESCAPED = 6  # HTML escaping makes a character at most 6 (`"` is `&#34;`)
_PIECE = 64  # bytes a small string object takes beside its text
_MAX_VISITS = 1_000_000  # items size() looks at before it calls a value too large to show
# dict(...), namespace(...) and cycler(...) copy what they are given.
COPIES: tuple[object, ...] = (dict, jinja2.utils.Namespace, jinja2.utils.Cycler)


class Refused(SecurityError):
    """A template asked for more than its limits allow."""


# --- sizes, estimated without making anything ----------------------------------------------------


def chars(text: str | bytes | bytearray) -> int:
    """Bytes a string's text takes (4 a character unless it is all ASCII)."""
    if isinstance(text, str):
        return len(text) if text.isascii() else 4 * len(text)
    return len(text)


def size(value: object) -> int:
    """Return at most how many bytes str(value) would take, without calling str()."""
    visits = [0]

    def walk(obj: object, depth: int) -> int:
        visits[0] += 1
        if visits[0] > _MAX_VISITS or depth > 32:
            return MAX_TEXT + 1  # too deep or too many to tell: too large to show
        if isinstance(obj, jinja2.Undefined):
            return 0  # using it fails, in the real call
        if isinstance(obj, str):
            return chars(obj)
        if isinstance(obj, (bytes, bytearray)):
            return 4 * len(obj) + 14  # repr: b'\xNN' per byte at worst
        if isinstance(obj, bool) or obj is None:
            return 5
        if isinstance(obj, int):
            return obj.bit_length() // 3 + 2
        if isinstance(obj, float):
            return 330  # '%f' of 1e308
        if isinstance(obj, Decimal):
            _, digits, exponent = obj.as_tuple()
            return len(digits) + (abs(exponent) if isinstance(exponent, int) else 0) + 8
        if isinstance(obj, Namespace):
            return 16 + walk(vars(obj)["_Namespace__attrs"], depth + 1)
        if isinstance(obj, Mapping):
            return 2 + sum(walk(k, depth + 1) + walk(v, depth + 1) + 4 for k, v in obj.items())
        if isinstance(obj, range):
            return 40
        if isinstance(obj, Collection):
            return 16 + sum(walk(item, depth + 1) + 2 for item in obj)
        return 200  # a macro, a loop, a cycler: a short description

    return walk(value, 0)


def length(value: object) -> int:
    """Return len(value) of a collection, 0 of anything else (an undefined value too)."""
    if isinstance(value, jinja2.Undefined) or not isinstance(value, Sized):
        return 0
    return len(value)


def taken(part: slice, of: int) -> int:
    """Return how many items a slice takes of a sequence of that length; 0 if it cannot take any.

    A slice Python refuses (a text for a bound, a step of 0) is left for the real slice to refuse.
    """
    bounds = (part.start, part.stop, part.step)
    if part.step == 0 or not all(bound is None or isinstance(bound, int) for bound in bounds):
        return 0
    return len(range(*part.indices(of)))


def _shape(value: object) -> tuple[int, int]:
    """Return at most how many values value holds, and how deeply they nest."""
    values, deepest = 0, 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack and values <= _MAX_VISITS:
        item, depth = stack.pop()
        values += 1
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((each, depth + 1) for each in item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend((each, depth + 1) for each in item)
    if stack:  # too many to look at: count as too large
        return MAX_TEXT, MAX_TEXT
    return values, deepest


def width(value: object, name: str) -> int:
    """Return a width argument as an int (0 if it is none), refused above MAX_WIDTH."""
    if isinstance(value, bool) or not isinstance(value, int):
        return 0
    if abs(value) > MAX_WIDTH:
        raise Refused(f"{name}: a width above {MAX_WIDTH:,} is refused")
    return value


def _count(text: object, part: object) -> int:
    if isinstance(text, (str, bytes, bytearray)) and type(part) is type(text):
        return text.count(part) if part else len(text) + 1  # type: ignore[arg-type]
    return len(text) + 1 if isinstance(text, (str, bytes, bytearray)) else 0


# --- format strings: `%` and str.format ---------------------------------------------------------

_PRINTF_REST = re.compile(
    r"(?P<flags>[#0\- +]*)(?P<width>\*|[0-9]+)?(?:\.(?P<precision>\*|[0-9]*))?[hlL]?"
    r"(?P<type>[diouxXeEfFgGcrsab%])"
)
# The format-spec mini-language of Python's built-in types (`format()`, str.format's fields).
_SPEC = re.compile(
    r"(?:.?[<>=^])?[-+ ]?z?#?0?(?P<width>[0-9]+)?[,_]?(?:\.(?P<precision>[0-9]+)?[,_]?)?"
    r"[bcdeEfFgGnosxX%]?",
    re.DOTALL,
)
_DIGITS = re.compile(r"[0-9]+")
_WIDEST = len(str(MAX_WIDTH))  # digits of the widest width allowed


def _number(digits: str | None) -> int:
    """Return a width or precision written in a format, or one too wide for a long number.

    Python reads no int of more than a few thousand digits: the number is not read at all.
    """
    if not digits:
        return 0
    return int(digits) if len(digits) <= _WIDEST else MAX_WIDTH + 1


def _printf_fields(fmt: str) -> Iterator[tuple[str | None, str | None, str | None, str]]:
    """Yield each conversion of a printf-style format: mapping key, width, precision, type.

    Parsed as Python parses it (a key may hold balanced parentheses); a conversion this cannot
    read is refused, as Python would refuse it too.
    """
    at = fmt.find("%")
    while at >= 0:
        pos, key = at + 1, None
        if fmt.startswith("(", pos):
            depth, end = 1, pos + 1
            while end < len(fmt) and depth:
                depth += {"(": 1, ")": -1}.get(fmt[end], 0)
                end += 1
            if depth:
                raise Refused("a format string that cannot be read")
            key, pos = fmt[pos + 1 : end - 1], end
        match = _PRINTF_REST.match(fmt, pos)
        if match is None:
            raise Refused("a format string that cannot be read")
        yield key, match["width"], match["precision"], match["type"]
        at = fmt.find("%", match.end())


def printf_size(fmt: str | bytes | bytearray, values: object) -> int:
    """Return at most how many bytes `fmt % values` makes; refuse too wide a field first."""
    text = fmt if isinstance(fmt, str) else bytes(fmt).decode("latin-1")
    positional = list(values) if isinstance(values, tuple) else [values]
    total = chars(fmt)
    for key, wide, precision, kind in _printf_fields(text):
        if kind == "%":
            continue
        sizes = []
        for part in (wide, precision):
            if part == "*":
                star = positional.pop(0) if positional else 0
                sizes.append(star if isinstance(star, int) else 0)
            else:
                sizes.append(_number(part))
        if max(abs(each) for each in sizes) > MAX_WIDTH:
            raise Refused("a field in the format string is too wide")
        if key is not None and isinstance(values, Mapping):
            value = values.get(key)
        else:
            value = positional.pop(0) if positional else None
        shown = 4 * size(value) if kind in "ra" else size(value)
        total += max(sizes) + shown + 8
    return total


def spec_size(value: object, spec: str) -> int:
    """Return at most how many bytes format(value, spec) makes; refuse too wide a field."""
    match = _SPEC.fullmatch(spec)
    if match is None:  # a type's own language (a date's strftime): a few bytes a character,
        # and no number in it read as a width it might be (fail safe, not fine-grained)
        if any(len(number) > _WIDEST for number in _DIGITS.findall(spec)):
            raise Refused("a field in the format string is too wide")
        return 16 * chars(spec) + size(value)
    widths = [_number(match[name]) for name in ("width", "precision")]
    if any(each > MAX_WIDTH for each in widths):
        raise Refused("a field in the format string is too wide")
    return max(widths) + 2 * size(value) + 8  # grouping adds a third at most


# --- what calls, operators and filters would make -----------------------------------------------


def method_size(owner: object, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    """Return at most how many bytes a method of a built-in value makes (0: nothing to speak of)."""
    if name in _FREE:
        return 0
    if isinstance(owner, int):  # True.to_bytes too
        if name == "to_bytes":
            wanted = kwargs.get("length", args[0] if args else 1)
            return wanted if isinstance(wanted, int) else 0
        return 0
    if isinstance(owner, (str, bytes, bytearray)):
        return _text_method_size(owner, name, args, kwargs)
    if isinstance(owner, (list, set, dict)):
        # What goes into a container is kept: it counts in full, however it was made.
        given = [*args, *kwargs.values()]
        if name in ("append", "add", "insert", "setdefault"):
            return ITEM + sum(size(value) for value in given)
        if name in ("extend", "update", "union", "fromkeys", "copy"):
            found = [owner, *given]
            items = sum(length(v) if isinstance(v, Collection) else 100_000 for v in found)
            return ITEM * items + sum(size(value) for value in given)
        return ITEM * len(owner)
    return 0


def _text_method_size(
    owner: str | bytes | bytearray, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> int:
    own = chars(owner)
    arg = args[0] if args else None
    if name in ("ljust", "rjust", "center", "zfill"):
        wanted = kwargs.get("width", arg)
        return max(own, 4 * wanted) if isinstance(wanted, int) else own
    if name == "expandtabs":
        tab = kwargs.get("tabsize", arg if args else 8)
        return own + _count(owner, "\t" if isinstance(owner, str) else b"\t") * max(
            tab if isinstance(tab, int) else 8, 0
        )
    if name == "replace" and len(args) >= 2:
        times = _count(owner, args[0])
        if len(args) > 2 and isinstance(args[2], int) and args[2] >= 0:
            times = min(times, args[2])
        return own + times * chars(args[1]) if isinstance(args[1], (str, bytes)) else own
    if name in ("split", "rsplit", "splitlines"):
        return own + _PIECE * (len(owner) + 1)
    if name == "join":
        if isinstance(arg, Collection):
            items = length(arg)
            return size(arg) + own * items + ITEM * items
        return 0
    if name == "translate" and isinstance(arg, Mapping):
        longest = max((size(v) for v in arg.values()), default=1)
        return len(owner) * max(longest, 4)
    return 4 * (own + sum(size(a) for a in (*args, *kwargs.values())))


# Methods that make nothing larger than what they were given.
_FREE = frozenset(
    [
        "count",
        "find",
        "rfind",
        "index",
        "rindex",
        "startswith",
        "endswith",
        "isalnum",
        "isalpha",
        "isascii",
        "isdecimal",
        "isdigit",
        "isidentifier",
        "islower",
        "isnumeric",
        "isprintable",
        "isspace",
        "istitle",
        "isupper",
        "get",
        "keys",
        "values",
        "items",
        "pop",
        "popitem",
        "remove",
        "clear",
        "discard",
        "bit_length",
        "bit_count",
        "is_integer",
        "strip",
        "lstrip",
        "rstrip",
        "removeprefix",
        "removesuffix",
        "partition",
        "rpartition",
    ]
)

# Filters that make no text, and how much larger than their input others make it (a copy: 2).
_FREE_FILTERS = frozenset(
    [
        "abs",
        "attr",
        "boolean",
        "count",
        "d",
        "default",
        "first",
        "float",
        "int",
        "items",
        "last",
        "length",
        "map",
        "max",
        "min",
        "random",
        "reject",
        "rejectattr",
        "round",
        "safe",
        "select",
        "selectattr",
        "wordcount",
        "filesizeformat",
        "groupby",
    ]
)
_LISTS = frozenset(["list", "sort", "dictsort", "unique", "reverse", "batch", "slice"])
_GROWTH = {"escape": 6, "e": 6, "forceescape": 6, "tojson": 6, "xmlattr": 6, "pprint": 4}
_GROWTH |= {"urlencode": 12, "urlize": 50, "upper": 3, "lower": 3, "title": 3, "capitalize": 3}
_GROWTH |= {"css_string": 9}  # `\10ffff ` for a character


def filter_size(name: str, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    """Return at most how many bytes a built-in filter makes; refuse widths above MAX_WIDTH."""
    if name in ("center", "indent", "wordwrap", "truncate", "batch", "slice", "tojson"):
        for number in (*args, *kwargs.values()):
            width(number, name)
    if name in _FREE_FILTERS:
        return 0
    if name == "sum":
        start = kwargs.get("start", args[1] if len(args) > 1 else 0)
        if not isinstance(start, (int, float, Decimal)) or isinstance(start, bool):
            # sum(start=[]) joins lists in one C call, quadratic and out of the time limit's reach
            raise Refused("sum adds numbers only")
        return size(value)
    if name in _SHAPED:
        return _SHAPED[name](value, args, kwargs)
    if name in _LISTS:
        arg = args[0] if args else None
        more = arg if name in ("batch", "slice") and isinstance(arg, int) else 0
        return ITEM * (max(more, 0) + length(value)) + size(value) * (name == "reverse")
    return _GROWTH.get(name, 2) * (size(value) + sum(size(a) for a in (*args, *kwargs.values())))


def _tojson(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    # Each value on a line of its own, indented by its depth.
    indent = kwargs.get("indent", args[0] if args else None)
    if isinstance(indent, int):
        steps = indent
    else:
        steps = chars(indent) if isinstance(indent, (str, bytes)) else 0
    lines, depth = _shape(value)
    return _GROWTH["tojson"] * size(value) + lines * (depth * max(steps, 0) + 2)


def _center(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    wanted = kwargs.get("width", args[0] if args else 80)
    return max(size(value), 4 * wanted if isinstance(wanted, int) else 0)


def _indent(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    wanted = kwargs.get("width", args[0] if args else 4)
    indent = chars(wanted) if isinstance(wanted, str) else 4 * max(width(wanted, "indent"), 0)
    lines = value.count("\n") + 2 if isinstance(value, str) else 2
    return size(value) + indent * lines


def _wordwrap(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    wrap = kwargs.get("wrapstring", args[3] if len(args) > 3 else "\n")
    return size(value) * (2 + (chars(wrap) if isinstance(wrap, str) else 1))


def _truncate(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    end = kwargs.get("end", args[2] if len(args) > 2 else "...")
    return size(value) + (chars(end) if isinstance(end, str) else 0)


def _format(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    if size(value) > MAX_TEXT or isinstance(value, jinja2.Undefined):
        return size(value)
    if not isinstance(value, str):
        try:
            value = str(value)
        except ValueError:  # an int too long to show: the real call says so
            return size(value)
    return printf_size(value, kwargs or args)


def _replace(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    old, new = (*args, None, None)[:2]
    times = _count(value, old) if isinstance(value, str) else size(value) + 1
    return 2 * size(value) + times * size(new) * ESCAPED


def _join(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    sep = kwargs.get("d", args[0] if args else "")
    items = value if isinstance(value, Collection) else ()
    return size(items) * ESCAPED + (size(sep) + ITEM) * length(items)


_SHAPED = {
    "tojson": _tojson,
    "center": _center,
    "indent": _indent,
    "wordwrap": _wordwrap,
    "truncate": _truncate,
    "format": _format,
    "replace": _replace,
    "join": _join,
}
