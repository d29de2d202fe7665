"""The sandbox a company template runs in: Jinja2's, with limits checked before the work is done.

SPEC 6: a company template reads no file but the templates in its own folder, runs no code, and
can neither build more than 64 MiB of text nor run longer than 10 seconds. Jinja2's sandbox
already refuses private attributes and unsafe calls; this module adds a budget. Every operation
that can make a large value from small ones (padding and repeating methods, `*`, `+`, `~`, `%`,
`str.format`, the filters, printing a value) first estimates, from its arguments alone, the size
of what it would make; it is refused if that would take the text built so far past the budget,
or a field past the widest one allowed. The estimates are upper bounds: 4 bytes for a character
that may not be ASCII, 8 for an item of a list.
"""

from __future__ import annotations

import re
import stat
import string
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from functools import wraps
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment, SandboxedEscapeFormatter, SandboxedFormatter
from jinja2.utils import Namespace
from markupsafe import Markup

from ..loader import MAX_BYTES

MAX_TEXT = 64 * 1024 * 1024  # bytes of text a template may build in all, output included
MAX_OUTPUT = MAX_BYTES  # bytes of UTF-8 a company template may write: what verify may read
MAX_WIDTH = 10_000  # the widest field a template may pad or wrap to, or format to a precision
MAX_SECONDS = 10  # a company template that runs longer is stopped
_ITEM = 8  # bytes a list item takes (a reference)
_PIECE = 64  # bytes a small string object takes beside its text
_ESCAPED = 6  # HTML escaping makes a character at most 6 (`"` is `&#34;`)
_MAX_VISITS = 1_000_000  # items _size looks at before it calls a value too large to show


class Refused(SecurityError):
    """A template asked for more than its limits allow."""


def _refuse(reason: str) -> Refused:
    return Refused(reason)


# --- sizes, estimated without making anything ----------------------------------------------------


def _chars(text: str | bytes | bytearray) -> int:
    """Bytes a string's text takes (4 a character unless it is all ASCII)."""
    if isinstance(text, str):
        return len(text) if text.isascii() else 4 * len(text)
    return len(text)


def _size(value: object) -> int:
    """Return at most how many bytes str(value) would take, without calling str()."""
    visits = [0]

    def size(obj: object, depth: int) -> int:
        visits[0] += 1
        if visits[0] > _MAX_VISITS or depth > 32:
            return MAX_TEXT + 1  # too deep or too many to tell: too large to show
        if isinstance(obj, str):
            return _chars(obj)
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
            return 16 + size(vars(obj)["_Namespace__attrs"], depth + 1)
        if isinstance(obj, Mapping):
            return 2 + sum(size(k, depth + 1) + size(v, depth + 1) + 4 for k, v in obj.items())
        if isinstance(obj, range):
            return 40
        if isinstance(obj, Collection):
            return 16 + sum(size(item, depth + 1) + 2 for item in obj)
        return 200  # a macro, a loop, a cycler: a short description

    return size(value, 0)


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


def _width(value: object, name: str) -> int:
    """Return a width argument as an int, refused above MAX_WIDTH."""
    if isinstance(value, bool) or not isinstance(value, int):
        return 0
    if abs(value) > MAX_WIDTH:
        raise _refuse(f"{name}: a width above {MAX_WIDTH:,} is refused")
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
                raise _refuse("a format string that cannot be read")
            key, pos = fmt[pos + 1 : end - 1], end
        match = _PRINTF_REST.match(fmt, pos)
        if match is None:
            raise _refuse("a format string that cannot be read")
        yield key, match["width"], match["precision"], match["type"]
        at = fmt.find("%", match.end())


def _printf_size(fmt: str | bytes | bytearray, values: object) -> int:
    """Return at most how many bytes `fmt % values` makes; refuse too wide a field first."""
    text = fmt if isinstance(fmt, str) else bytes(fmt).decode("latin-1")
    positional = list(values) if isinstance(values, tuple) else [values]
    total = _chars(fmt)
    for key, width, precision, kind in _printf_fields(text):
        if kind == "%":
            continue
        sizes = []
        for part in (width, precision):
            if part == "*":
                star = positional.pop(0) if positional else 0
                sizes.append(star if isinstance(star, int) else 0)
            else:
                sizes.append(int(part) if part else 0)
        if max(abs(size) for size in sizes) > MAX_WIDTH:
            raise _refuse("a field in the format string is too wide")
        if key is not None and isinstance(values, Mapping):
            value = values.get(key)
        else:
            value = positional.pop(0) if positional else None
        shown = 4 * _size(value) if kind in "ra" else _size(value)
        total += max(sizes) + shown + 8
    return total


def _spec_size(value: object, spec: str) -> int:
    """Return at most how many bytes format(value, spec) makes; refuse too wide a field."""
    match = _SPEC.fullmatch(spec)
    if match is None:  # a type's own language (a date's strftime): a few bytes a character,
        # and no number in it read as a width it might be (fail safe, not fine-grained)
        if any(len(number) > len(str(MAX_WIDTH)) for number in _DIGITS.findall(spec)):
            raise _refuse("a field in the format string is too wide")
        return 16 * _chars(spec) + _size(value)
    widths = [int(match[name]) for name in ("width", "precision") if match[name]]
    if any(w > MAX_WIDTH for w in widths):
        raise _refuse("a field in the format string is too wide")
    return max(widths, default=0) + 2 * _size(value) + 8  # grouping adds a third at most


class _Checked(string.Formatter):
    """str.format's fields, each checked and counted before it is converted and formatted."""

    budget: Sandbox
    escaping = 1  # how much larger the result of a field can get (HTML-escaped: _ESCAPED)

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion is not None:
            self.budget.spend(4 * _size(value))
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> Any:
        self.budget.spend(_spec_size(value, format_spec) * self.escaping)
        return super().format_field(value, format_spec)


class _CheckedFormatter(_Checked, SandboxedFormatter):
    pass


class _CheckedEscapeFormatter(_Checked, SandboxedEscapeFormatter):
    escaping = _ESCAPED


# --- what calls, operators and filters would make -----------------------------------------------


def _method_size(owner: object, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    """Return at most how many bytes a method of a built-in value makes (0: nothing to speak of)."""
    if name in _FREE:
        return 0
    arg = args[0] if args else None
    if isinstance(owner, int):  # True.to_bytes too
        if name == "to_bytes":
            length = kwargs.get("length", arg if args else 1)
            return length if isinstance(length, int) else 0
        return 0
    if isinstance(owner, (str, bytes, bytearray)):
        size = _chars(owner)
        if name in ("ljust", "rjust", "center", "zfill"):
            width = kwargs.get("width", arg)
            return max(size, 4 * width) if isinstance(width, int) else size
        if name == "expandtabs":
            tab = kwargs.get("tabsize", arg if args else 8)
            return size + _count(owner, "\t" if isinstance(owner, str) else b"\t") * max(
                tab if isinstance(tab, int) else 8, 0
            )
        if name == "replace" and len(args) >= 2:
            times = _count(owner, args[0])
            if len(args) > 2 and isinstance(args[2], int) and args[2] >= 0:
                times = min(times, args[2])
            return size + times * _chars(args[1]) if isinstance(args[1], (str, bytes)) else size
        if name in ("split", "rsplit", "splitlines"):
            return size + _PIECE * (len(owner) + 1)
        if name == "join":
            if isinstance(arg, Collection):
                items = arg
                return _size(items) + size * len(items) + _ITEM * len(items)
            return 0
        if name == "translate" and isinstance(arg, Mapping):
            longest = max((_size(v) for v in arg.values()), default=1)
            return len(owner) * max(longest, 4)
        return 4 * (size + sum(_size(a) for a in (*args, *kwargs.values())))
    if isinstance(owner, (list, set, dict)):
        # What goes into a container is kept: it counts in full, however it was made.
        given = [*args, *kwargs.values()]
        if name in ("append", "add", "insert", "setdefault"):
            return _ITEM + sum(_size(value) for value in given)
        if name in ("extend", "update", "union", "fromkeys", "copy"):
            found = [owner, *given]
            count = sum(len(v) if isinstance(v, Collection) else 100_000 for v in found)
            return _ITEM * count + sum(_size(value) for value in given)
        return _ITEM * len(owner)
    return 0


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
_COPIES: tuple[object, ...] = (dict, jinja2.utils.Namespace, jinja2.utils.Cycler)
_GROWTH = {"escape": 6, "e": 6, "forceescape": 6, "tojson": 6, "xmlattr": 6, "pprint": 4}
_GROWTH |= {"urlencode": 12, "urlize": 50, "upper": 3, "lower": 3, "title": 3, "capitalize": 3}
_GROWTH |= {"css_string": 9}  # `\10ffff ` for a character


def _filter_size(name: str, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    """Return at most how many bytes a built-in filter makes; refuse widths above MAX_WIDTH."""
    arg = args[0] if args else None
    if name in ("center", "indent", "wordwrap", "truncate", "batch", "slice", "tojson"):
        for number in (*args, *kwargs.values()):
            _width(number, name)
    if name in _FREE_FILTERS:
        return 0
    if name == "tojson":  # each value on a line of its own, indented by its depth
        indent = kwargs.get("indent", arg)
        steps = indent if isinstance(indent, int) else _chars(indent) if indent else 0
        lines, depth = _shape(value)
        return _GROWTH[name] * _size(value) + lines * (depth * max(steps, 0) + 2)
    if name == "sum":
        start = kwargs.get("start", args[1] if len(args) > 1 else 0)
        if not isinstance(start, (int, float, Decimal)) or isinstance(start, bool):
            # sum(start=[]) joins lists in one C call, quadratic and out of the time limit's reach
            raise _refuse("sum adds numbers only")
    if name == "center":
        width = kwargs.get("width", arg if args else 80)
        return max(_size(value), 4 * width if isinstance(width, int) else 0)
    if name == "indent":
        width = kwargs.get("width", arg if args else 4)
        indent = _chars(width) if isinstance(width, str) else 4 * max(_width(width, name), 0)
        lines = value.count("\n") + 2 if isinstance(value, str) else 2
        return _size(value) + indent * lines
    if name == "wordwrap":
        wrap = kwargs.get("wrapstring", args[3] if len(args) > 3 else "\n")
        return _size(value) * (2 + (_chars(wrap) if isinstance(wrap, str) else 1))
    if name == "truncate":
        end = kwargs.get("end", args[2] if len(args) > 2 else "...")
        return _size(value) + (_chars(end) if isinstance(end, str) else 0)
    if name == "format":
        if _size(value) > MAX_TEXT:
            return _size(value)
        return _printf_size(value if isinstance(value, str) else str(value), kwargs or args)
    if name == "replace":
        old, new = (*args, None, None)[:2]
        times = _count(value, old) if isinstance(value, str) else _size(value) + 1
        return 2 * _size(value) + times * _size(new) * _ESCAPED
    if name == "join":
        sep = kwargs.get("d", arg if args else "")
        items = value if isinstance(value, Collection) else ()
        return _size(items) * _ESCAPED + (_size(sep) + _ITEM) * len(items)
    if name in _LISTS:
        count = arg if name in ("batch", "slice") and isinstance(arg, int) else 0
        length = len(value) if isinstance(value, Collection) else 0
        return _ITEM * (max(count, 0) + length) + _chars(value) * (name == "reverse")
    if name == "sum":
        return _size(value)
    return _GROWTH.get(name, 2) * (_size(value) + sum(_size(a) for a in (*args, *kwargs.values())))


def _guard_filter(env: Sandbox, name: str, filter_: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a built-in filter so that it is counted, and refused, before it runs."""
    # A filter marked pass_context, pass_eval_context or pass_environment gets that first.
    skip = 1 if getattr(filter_, "jinja_pass_arg", None) is not None else 0

    @wraps(filter_)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if len(args) <= skip:
            return filter_(*args, **kwargs)
        value = args[skip]
        if isinstance(value, Iterator):  # count the items, then hand on the same ones
            value = list(value)
            args = (*args[:skip], value, *args[skip + 1 :])
        env.spend(_filter_size(name, value, args[skip + 1 :], kwargs))
        return filter_(*args, **kwargs)

    return guarded


# --- the sandbox ----------------------------------------------------------------------------------


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, with `~` and the template's own text counted as they are used.

    A printed value is counted by the finalizer; the template's literal text by count_part, each
    time it is written. So output kept in a list (`{% set %}...{% endset %}`, a macro, a block
    called as `self.name()`, an imported template's body) is counted as it grows, not when it
    is joined.
    """

    def _output_const_repr(self, group: Any) -> str:
        return f"environment.count_part({super()._output_const_repr(group)})"

    def visit_Getitem(self, node: nodes.Getitem, frame: Frame) -> None:
        # Jinja writes a slice as Python's own x[a:b], past environment.getitem; a slice is a
        # copy, so route it through getitem, where it is counted.
        if not isinstance(node.arg, nodes.Slice):
            super().visit_Getitem(node, frame)
            return
        self.write("environment.getitem(")
        self.visit(node.node, frame)
        self.write(", slice(")
        for part in (node.arg.start, node.arg.stop, node.arg.step):
            if part is None:
                self.write("None")
            else:
                self.visit(part, frame)
            self.write(", ")
        self.write("))")

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            func_name = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            func_name = "markup_join"
        else:
            func_name = "str_join"
        self.write(f"{func_name}(environment.check_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(")))")


class Sandbox(SandboxedEnvironment):
    """Jinja2's sandbox, with a budget of text that every growing operation is counted against."""

    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset(["*", "**", "%", "+"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.built = 0
        for name, filter_ in list(self.filters.items()):
            self.filters[name] = _guard_filter(self, name, filter_)
        lipsum: Callable[..., Any] = self.globals["lipsum"]  # type: ignore[assignment]

        def checked_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> Any:
            words = _width(n, "lipsum") * _width(max, "lipsum")
            self.spend(12 * words + 100)
            return lipsum(n, html, min, max)

        self.globals["lipsum"] = checked_lipsum
        inner = self.finalize

        def finalize(value: Any) -> Any:
            self.spend(_ITEM + _size(value) * self._escaping())  # before it becomes text
            return value if inner is None else inner(value)

        self.finalize = finalize

    def count_part(self, part: str) -> str:
        """Count a piece of the template's own text as it is written."""
        self.spend(_ITEM + _chars(part))
        return part

    def add_filter(self, name: str, filter_: Callable[..., Any]) -> None:
        """Add a filter of nrecalc's own, counted like the built-in ones."""
        self.filters[name] = _guard_filter(self, name, filter_)

    def spend(self, size: int) -> None:
        """Count size bytes against the budget; refuse if they would go past it."""
        if size > MAX_TEXT - self.built:
            raise _refuse("the result is too large")
        self.built += size

    def _escaping(self) -> int:
        return _ESCAPED if self.autoescape else 1

    def check_concat(self, parts: tuple[Any, ...]) -> tuple[Any, ...]:
        self.spend(sum(_size(part) for part in parts) * self._escaping())
        return parts

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int):
            bits = left.bit_length() if isinstance(left, int) else 64
            if abs(right) > 1000 or bits * abs(right) > 1_000_000:
                raise _refuse("the exponent is too large")
            self.spend(bits * abs(right) // 8)
        if operator == "*":
            count, seq = (right, left) if isinstance(right, int) else (left, right)
            if isinstance(count, int) and isinstance(seq, (str, bytes, bytearray)):
                self.spend(_chars(seq) * max(count, 0))
            elif isinstance(count, int) and isinstance(seq, (list, tuple)):
                self.spend(_ITEM * len(seq) * max(count, 0))
            ints = isinstance(left, int) and isinstance(right, int)
            if ints and left.bit_length() + right.bit_length() > 1_000_000:
                raise _refuse("the result is too large")
            if ints:
                self.spend((left.bit_length() + right.bit_length()) // 8)
        if operator == "+":
            text = (str, bytes, bytearray)
            if isinstance(left, text) and isinstance(right, text):
                escaping = _ESCAPED if isinstance(left, Markup) or isinstance(right, Markup) else 1
                self.spend((_chars(left) + _chars(right)) * escaping)
            elif isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
                self.spend(_ITEM * (len(left) + len(right)))
        if operator == "%" and isinstance(left, (str, bytes, bytearray)):
            self.spend(_printf_size(left, right))
        return super().call_binop(context, operator, left, right)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(argument, slice) and isinstance(obj, (str, bytes, bytearray, list, tuple)):
            taken = len(range(*argument.indices(len(obj))))  # a slice is a copy: count it
            self.spend(taken * (_ITEM if isinstance(obj, (list, tuple)) else 4))
        return super().getitem(obj, argument)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if __obj in _COPIES:  # dict(...), namespace(...), cycler(...) copy what they are given
            given = [*args, *kwargs.values()]
            items = sum(len(a) if isinstance(a, Collection) else 1 for a in given)
            __self.spend(2 * _ITEM * (items + len(kwargs)))
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if owner is not None and isinstance(owner, (str, bytes, bytearray, int, list, set, dict)):
            if name == "join" and args and not isinstance(args[0], Collection):
                args = (list(args[0]), *args[1:])  # count the items, then join the same ones
            escaping = _ESCAPED if isinstance(owner, Markup) else 1
            __self.spend(_method_size(owner, name, args, kwargs) * escaping)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Any:
        """Return str.format and format_map of a string with each field checked (see Jinja's)."""
        if super().wrap_str_format(value) is None:
            return None
        text: str = value.__self__
        is_format_map = value.__name__ == "format_map"
        formatter: _Checked
        if isinstance(text, Markup):
            formatter = _CheckedEscapeFormatter(self, escape=text.escape)
        else:
            formatter = _CheckedFormatter(self)
        formatter.budget = self

        def wrapper(*args: Any, **kwargs: Any) -> str:
            if is_format_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                kwargs, args = args[0], ()
            self.spend(_chars(text))
            return type(text)(formatter.vformat(text, args, kwargs))

        return wrapper


# --- the files a company template may read --------------------------------------------------------


class FolderLoader(jinja2.BaseLoader):
    """Serve the templates in one folder: no hidden file, no link out, no other kind of file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        from ..loader import display_path, read_text

        path = self._resolve(template)
        shown = display_path(self.folder / template)
        text, _ = read_text(path, shown, kind="template")
        return text, str(self.folder / template), lambda: False

    def _resolve(self, name: str) -> Path:
        if name.startswith("/") or Path(name).is_absolute():
            raise _refuse(f"include {name!r}: a template may include only files in its own folder")
        # "./part.md" is this folder's part.md; ".." or an empty part leads elsewhere.
        parts = [part for part in name.replace("\\", "/").split("/") if part != "."]
        if not parts or any(part in ("", "..") for part in parts):
            raise _refuse(f"include {name!r}: a template may include only files in its own folder")
        if any(part.startswith(".") for part in parts):
            raise _refuse(f"include {name!r}: hidden files are not included")
        folder = self.folder.resolve()
        try:
            path = folder.joinpath(*parts).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):  # missing, a loop of links, a NUL byte
            raise jinja2.TemplateNotFound(name) from None
        if not path.is_relative_to(folder):
            raise _refuse(f"include {name!r}: it leads out of the template's folder")
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            raise _refuse(f"include {name!r}: hidden files are not included")  # through a link
        try:
            mode = path.stat().st_mode
        except OSError:
            raise jinja2.TemplateNotFound(name) from None
        if not stat.S_ISREG(mode):
            raise _refuse(f"include {name!r}: not a regular file")
        return path


# --- the time limit -------------------------------------------------------------------------------


class TooLong(Exception):
    """A template ran past its time limit."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"stopped after {seconds:g} seconds")


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Stop the code inside after seconds; refuse to start where that cannot be done.

    SIGALRM reaches only the main thread: elsewhere (a program that renders in a worker
    thread) or without setitimer the limit could not hold, so the template is refused rather
    than run without one.
    """
    import signal
    import threading
    import time

    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        raise _refuse(
            "a company template is rendered only on the main thread of a system with SIGALRM, "
            "where its time limit holds"
        )

    def stop(signum: int, frame: object) -> None:
        raise TooLong(seconds)

    previous = signal.signal(signal.SIGALRM, stop)
    started = time.monotonic()
    earlier, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        # Ignored first: an alarm that fires now must not leave `stop` installed.
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        signal.setitimer(signal.ITIMER_REAL, 0)
        # None: a handler set outside Python, which cannot be put back; the default then
        signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)
        if earlier:  # someone else's timer was running: let it go on for what was left of it
            left = earlier - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))
