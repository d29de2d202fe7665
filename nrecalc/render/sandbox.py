"""The sandbox a company template runs in (SPEC 6): Jinja2's, with limits checked before the work.

A company template reads no file but the templates in its own folder (handed over as a Template,
whose include function the loader side wrote), runs no code, and can neither build more than
64 MiB of text nor run longer than 10 seconds. Jinja2's sandbox already refuses private
attributes and unsafe calls; this module counts every growing operation against a budget
(budget.py estimates the sizes) and renders a company's template with it: render_company.
"""

from __future__ import annotations

import math
import string
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from functools import wraps
from types import FrameType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import TemplateRuntimeError
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from jinja2.runtime import LoopContext
from jinja2.sandbox import SandboxedEnvironment, SandboxedEscapeFormatter, SandboxedFormatter
from markupsafe import Markup

from ..errors import InputError
from ..template import NotIncluded, Template, hidden_character
from . import budget
from .budget import Refused
from .builtin import shipped

MAX_OUTPUT = 8 * 1024 * 1024  # bytes of UTF-8 a company template may write: what verify may read
MAX_SECONDS = 10  # a company template that runs longer is stopped
# Tokens a template file may hold (a long appendix has a few thousand). Compiling is not
# interruptible once the tokens are parsed: 200,000 tokens take about a second to compile.
MAX_TOKENS = 200_000

# --- str.format and the filters, counted ----------------------------------------------------------


class _Checked(string.Formatter):
    """str.format's fields, each checked and counted before it is converted and formatted."""

    env: Sandbox
    escaping = 1  # how much larger the result of a field can get (HTML-escaped: budget.ESCAPED)

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion is not None:
            self.env.spend(4 * budget.size(value))
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> Any:
        self.env.spend(budget.spec_size(value, format_spec) * self.escaping)
        return super().format_field(value, format_spec)


class _CheckedFormatter(_Checked, SandboxedFormatter):
    pass


class _CheckedEscapeFormatter(_Checked, SandboxedEscapeFormatter):
    escaping = budget.ESCAPED


def _guard_filter(env: Sandbox, name: str, filter_: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a built-in filter so that it is counted, and refused, before it runs."""
    # A filter marked pass_context, pass_eval_context or pass_environment gets that first.
    skip = 1 if getattr(filter_, "jinja_pass_arg", None) is not None else 0

    @wraps(filter_)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if len(args) <= skip:
            return _hand_on(filter_, *args, **kwargs)
        value = args[skip]
        if isinstance(value, Iterator):  # count the items, then hand on the same ones
            value = _hand_on(list, env.checked_loop(value))
            args = (*args[:skip], value, *args[skip + 1 :])
        env.spend(budget.filter_size(name, value, args[skip + 1 :], kwargs))
        return _hand_on(filter_, *args, **kwargs)

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

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        # Each item a loop takes is checked against the time limit, even when the body is empty.
        if not _checked(node.iter):
            node.iter = nodes.Call(
                nodes.EnvironmentAttribute("checked_loop"),
                [node.iter],
                [],
                None,
                None,
                lineno=node.iter.lineno,
                environment=self.environment,
            )
        super().visit_For(node, frame)

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


def _checked(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Call) and node.node == nodes.EnvironmentAttribute("checked_loop")


class Sandbox(SandboxedEnvironment):
    """Jinja2's sandbox, with a budget of text that every growing operation is counted against."""

    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset(["*", "**", "%", "+"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.built = 0
        self.seconds: float = math.inf
        self.deadline = math.inf  # time.monotonic() past which a template is stopped
        for name, filter_ in list(self.filters.items()):
            self.filters[name] = _guard_filter(self, name, filter_)
        lipsum: Callable[..., Any] = self.globals["lipsum"]  # type: ignore[assignment]

        def checked_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> Any:
            words = budget.width(n, "lipsum") * budget.width(max, "lipsum")
            self.spend(12 * words + 100)
            return lipsum(n, html, min, max)

        self.globals["lipsum"] = checked_lipsum
        inner = self.finalize

        def finalize(value: Any) -> Any:
            # Counted before it becomes text.
            self.spend(budget.ITEM + budget.size(value) * self._escaping())
            if inner is None:
                return value
            # nrecalc's finalizer takes text: a value that cannot be shown is the template's fault
            return inner(value if isinstance(value, str) else _hand_on(str, value))

        self.finalize = finalize

    def count_part(self, part: str) -> str:
        """Count a piece of the template's own text as it is written."""
        self.spend(budget.ITEM + budget.chars(part))
        return part

    def add_filter(self, name: str, filter_: Callable[..., Any]) -> None:
        """Add a filter of nrecalc's own, counted like the built-in ones."""
        self.filters[name] = _guard_filter(self, name, filter_)

    def start_clock(self, seconds: float) -> None:
        """Give what runs from now on seconds to finish."""
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def check_time(self) -> None:
        """Stop the template if its time is up.

        Called on every call, attribute and item, text spent, output part and loop item: a
        cooperative deadline, so it holds in any thread and installs no signal handler.
        """
        if time.monotonic() > self.deadline:
            raise TooLong(self.seconds)

    def checked_loop(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """Yield what a template's loop goes over, checking the time limit before each item."""
        for item in iterable:  # an iterable that fails here is the template's (see _HANDING_ON)
            self.check_time()
            yield item

    def spend(self, size: int) -> None:
        """Count size bytes against the budget; refuse if they would go past it."""
        self.check_time()
        if size > budget.MAX_TEXT - self.built:
            raise Refused("the result is too large")
        self.built += size

    def _escaping(self) -> int:
        return budget.ESCAPED if self.autoescape else 1

    def check_concat(self, parts: tuple[Any, ...]) -> tuple[Any, ...]:
        self.spend(sum(budget.size(part) for part in parts) * self._escaping())
        return parts

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int):
            bits = left.bit_length() if isinstance(left, int) else 64
            if abs(right) > 1000 or bits * abs(right) > 1_000_000:
                raise Refused("the exponent is too large")
            self.spend(bits * abs(right) // 8)
        if operator == "*":
            count, seq = (right, left) if isinstance(right, int) else (left, right)
            if isinstance(count, int) and isinstance(seq, (str, bytes, bytearray)):
                self.spend(budget.chars(seq) * max(count, 0))
            elif isinstance(count, int) and isinstance(seq, (list, tuple)):
                self.spend(budget.ITEM * len(seq) * max(count, 0))
            ints = isinstance(left, int) and isinstance(right, int)
            if ints and left.bit_length() + right.bit_length() > 1_000_000:
                raise Refused("the result is too large")
            if ints:
                self.spend((left.bit_length() + right.bit_length()) // 8)
        if operator == "+":
            text = (str, bytes, bytearray)
            if isinstance(left, text) and isinstance(right, text):
                markup = isinstance(left, Markup) or isinstance(right, Markup)
                escaping = budget.ESCAPED if markup else 1
                self.spend((budget.chars(left) + budget.chars(right)) * escaping)
            elif isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
                self.spend(budget.ITEM * (len(left) + len(right)))
        if operator == "%" and isinstance(left, (str, bytes, bytearray)):
            self.spend(budget.printf_size(left, right))
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.check_time()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.check_time()
        if isinstance(argument, slice) and isinstance(obj, (str, bytes, bytearray, list, tuple)):
            taken = budget.taken(argument, len(obj))  # a slice is a copy: count it
            self.spend(taken * (budget.ITEM if isinstance(obj, (list, tuple)) else 4))
        return super().getitem(obj, argument)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.check_time()
        if isinstance(__obj, LoopContext) and args:  # loop(children) in a recursive loop
            args = (__self.checked_loop(args[0]), *args[1:])
        if any(__obj is kind for kind in budget.COPIES):  # dict(...), namespace(...), cycler(...)
            given = [*args, *kwargs.values()]  # copy what they are given
            items = sum(budget.length(a) if isinstance(a, Collection) else 1 for a in given)
            __self.spend(2 * budget.ITEM * (items + len(kwargs)))
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if owner is not None and isinstance(owner, (str, bytes, bytearray, int, list, set, dict)):
            first = args[0] if args else None
            if name == "join" and isinstance(first, Iterable) and not isinstance(first, Collection):
                # count the items, then join the same
                args = (_hand_on(list, __self.checked_loop(first)), *args[1:])
            escaping = budget.ESCAPED if isinstance(owner, Markup) else 1
            __self.spend(budget.method_size(owner, name, args, kwargs) * escaping)
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
        formatter.env = self

        def wrapper(*args: Any, **kwargs: Any) -> str:
            if is_format_map:
                if kwargs or len(args) != 1:
                    raise TemplateRuntimeError("format_map() takes exactly one argument")
                kwargs, args = args[0], ()
            self.spend(budget.chars(text))
            return type(text)(formatter.vformat(text, args, kwargs))

        return wrapper


class _Includes(jinja2.BaseLoader):
    """Serve a company template's includes by the function it was handed with: no file here."""

    def __init__(self, template: Template) -> None:
        self.template = template

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        try:
            found = self.template.include(template)
        except NotIncluded as exc:
            raise Refused(str(exc)) from None
        if found is None:
            raise jinja2.TemplateNotFound(template)
        text, shown = found
        return text, shown, lambda: False


def _environment(
    template: Template,
    *,
    autoescape: bool,
    finalize: Callable[[Any], Any] | None,
    globals: Mapping[str, Any],
    filters: Mapping[str, Callable[..., Any]],
) -> Sandbox:
    # The built-in templates come first, under nrecalc/, so that a company's cannot shadow them.
    loaders = [jinja2.PrefixLoader({"nrecalc": shipped()}, delimiter="/"), _Includes(template)]
    env = Sandbox(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize,
        extensions=["jinja2.ext.do", _Tokens],
    )
    env.globals.update(globals)
    for name, filter_ in filters.items():
        env.add_filter(name, filter_)
    return env


# --- the time limit -------------------------------------------------------------------------------


class _Tokens(Extension):
    """Watch the clock while a template is read, and refuse one with too many tokens."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        env = self.environment
        assert isinstance(env, Sandbox)
        for number, token in enumerate(stream):
            if number % 256 == 0:
                env.check_time()
                if number >= MAX_TOKENS:
                    raise Refused(f"the template has more than {MAX_TOKENS:,} tokens")
            yield token


class TooLong(Refused):
    """A template ran past its time limit (checked by the sandbox as it goes: no signal)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"stopped after {seconds:g} seconds")


# --- a company's template, rendered -------------------------------------------------------------


def render_company(
    template: Template,
    data: Mapping[str, Any],
    *,
    autoescape: bool,
    finalize: Callable[[Any], Any] | None = None,
    globals: Mapping[str, Any] | None = None,
    filters: Mapping[str, Callable[..., Any]] | None = None,
) -> str:
    """Render a company's template with data in the sandbox, within its limits.

    A company template is input like an estimate: whatever it does wrong ends in one
    InputError naming its file and line, never in a traceback.
    """
    env = _environment(
        template,
        autoescape=autoescape,
        finalize=finalize,
        globals=globals or {},
        filters=filters or {},
    )
    parts: list[str] = []
    env.start_clock(MAX_SECONDS)
    try:
        compiled = env.from_string(template.text)
        size = 0
        for part in compiled.generate(data):
            env.check_time()
            size += len(part.encode("utf-8"))
            if size > MAX_OUTPUT:
                raise Refused("the output is larger than 8 MiB")
            parts.append(part)
        output = "".join(parts)
        found = hidden_character(output)
        if found is not None:
            raise Refused(f"line {found[0]} of the output {found[2]}")
    except jinja2.TemplateSyntaxError as exc:
        shown = _shown_template(exc.filename, template)
        raise InputError.at(shown, f"template: {exc.message}", exc.lineno) from None
    except (jinja2.TemplateError, RecursionError, MemoryError) as exc:  # the limits among them
        raise _located(exc, template) from None
    except Exception as exc:  # 1 / 0, "x" + 1, int("x"), "1e999"|float, a filter's assert...
        if not _raised_by_template(exc):
            raise  # a bug of nrecalc's own: not the template's to answer for
        raise _located(exc, template) from None
    return output


def _hand_on(call: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """Call what a template chose with what it gave, so that an error here is the template's.

    An argument that does not fit (`"x"|center(foo=1)`), or a built-in that refuses a value
    (`5|length`), raises in the frame that makes the call: this one, which does nothing else.
    """
    return call(*args, **kwargs)


# Where the sandbox calls or iterates what a template chose, and does nothing else.
_HANDING_ON = {_hand_on.__code__, Sandbox.checked_loop.__code__}
# The sandbox's own hooks, which pass what a template does on to Jinja2 once checked.
_PASSING_ON = {
    Sandbox.call.__code__,
    Sandbox.getattr.__code__,
    Sandbox.getitem.__code__,
    Sandbox.call_binop.__code__,
}


def _raised_by_template(exc: BaseException) -> bool:
    """Tell whether the template's own doing raised exc, not a bug of nrecalc's.

    After the last frame of template code, the innermost frame of nrecalc's package tells: none
    (the error came from Jinja2 or Python, doing what the template asked) or one of _HANDING_ON
    is the template's; a hook of _PASSING_ON is too, unless the error arose in the hook itself;
    any other (a helper such as markdown_table, the escaping, the size estimates) is nrecalc's.
    An error before any template code ran is nrecalc's.
    """
    frames = []
    trace = exc.__traceback__
    while trace is not None:
        frames.append(trace.tb_frame)
        trace = trace.tb_next
    last = max((i for i, f in enumerate(frames) if _template_frame(f)), default=None)
    if last is None:
        return False
    ours = [frame for frame in frames[last + 1 :] if _nrecalc_frame(frame)]
    if not ours:
        return True
    frame = ours[-1]
    passed_on = frame.f_code in _PASSING_ON and frame is not frames[-1]
    return frame.f_code in _HANDING_ON or passed_on


def _nrecalc_frame(frame: FrameType) -> bool:
    module = str(frame.f_globals.get("__name__", ""))
    return module == "nrecalc" or module.startswith("nrecalc.")


def _template_frame(frame: FrameType) -> bool:
    """Tell whether a frame runs template code: Jinja rewrites those to the template's file."""
    filename = frame.f_code.co_filename
    rewritten = "__jinja_exception__" in frame.f_globals
    return rewritten or filename == "<template>" or not filename.endswith((".py", ">"))


def _located(exc: BaseException, template: Template) -> InputError:
    shown, line = _template_place(exc, template)
    return InputError.at(shown, f"template: {_describe(exc)}", line)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"include {exc.name!r}: no such template in the template's folder"
    if isinstance(exc, jinja2.TemplateError) and exc.message:
        return exc.message
    if isinstance(exc, RecursionError):
        return "recursion too deep"
    if isinstance(exc, MemoryError):
        return "out of memory"
    if isinstance(exc, TooLong):
        return str(exc)
    try:
        text = str(exc)
    except ValueError:  # it names an int too long to show
        text = ""
    if len(text) > 200:  # the template chose the message: it must not choose its size
        text = text[:200] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _shown_template(filename: str | None, template: Template) -> str:
    # An include is compiled under the name it is shown by (see _Includes).
    return template.shown if not filename or filename == "<template>" else filename


def _template_place(exc: BaseException, template: Template) -> tuple[str, int | None]:
    """Return the template file and line a render error happened in (the innermost one).

    Jinja rewrites the traceback so that template code appears at its own file and line.
    """
    place: tuple[str, int | None] = (template.shown, None)
    trace = exc.__traceback__
    while trace is not None:
        if _template_frame(trace.tb_frame):
            filename = trace.tb_frame.f_code.co_filename
            place = (_shown_template(filename, template), trace.tb_lineno)
        trace = trace.tb_next
    return place
