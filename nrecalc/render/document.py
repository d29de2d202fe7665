"""Contract documents (SPEC 6): the Markdown and HTML appendix and the cover note, from Jinja2.

The wiring: the content (content.py), its tables (layout.py), the chart (chart.py) and the
provenance (provenance.py) go to the built-in template or a company's own (sandbox.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import jinja2
from markupsafe import Markup

from ..choices import Audience, Format
from ..errors import InputError
from ..escape import css_string, markdown
from ..pricing import Quote
from . import builtin
from .chart import lifetime_svg
from .content import Content, content
from .layout import Tables, markdown_table, tables
from .provenance import Provenance, provenance, sealed
from .words import count, say

if TYPE_CHECKING:
    from .sandbox import Sandbox

# What templates may call beside Jinja2's own, ours and a company's.
GLOBALS = {
    "markdown_table": markdown_table,
    "say": say,  # the catalog's words: {{ say("heading.options") }}
    "count": count,  # {{ count("count.week", 3) }} is "3 weeks"
}
FILTERS = {"css_string": css_string}


class Template(NamedTuple):
    """A company's own template: the file as given on the command line, its text and sha256."""

    path: Path
    shown: str
    text: str
    sha256: str


def load_template(path: Path) -> Template:
    """Read a company's template (UTF-8, at most 8 MiB); raise InputError if it cannot be."""
    from ..loader import display_path, read_text

    shown = display_path(path)
    text, sha256 = read_text(path, shown, kind="template")
    found = hidden_character(text)
    if found is not None:
        line, column, problem = found
        raise InputError.at(shown, f"template: {problem}", line, column)
    return Template(path, shown, text, sha256)


def hidden_character(text: str) -> tuple[int, int, str] | None:
    """Find the first control or format character a document may not hold (tabs aside).

    Return its line, column and what is wrong, or None. A company template's text, and what it
    writes, is held to the rule every estimate's text is (SPEC 2.2, 4.2).
    """
    from ..models import text_problem

    probe = text.replace("\t", " ")
    if text_problem(probe) is None:
        return None
    for number, line in enumerate(probe.split("\n"), start=1):
        problem = text_problem(line)
        if problem is not None:
            column = next(i for i, c in enumerate(line, start=1) if text_problem(c) is not None)
            return number, column, problem
    return None


class TemplateData(Content):
    """What a template receives: the content, its tables, and the chart (HTML only)."""

    tables: Tables
    chart: Any  # Markup of an inline SVG, or None


def context(
    quote: Quote,
    fmt: Format,
    audience: Audience,
    template: Template | None = None,
    made: Provenance | None = None,
) -> TemplateData:
    """Return what a template receives: the content, its tables and (HTML) the chart."""
    made = made or provenance(quote, fmt, audience, template.sha256 if template else None)
    found = content(quote, fmt, audience, made.for_template())
    data = cast(TemplateData, found)
    data["tables"] = tables(found)
    data["chart"] = Markup(lifetime_svg(quote)) if fmt is Format.html else None
    return data


# --- rendering ----------------------------------------------------------------------------------


def _environment(fmt: Format, template: Template | None) -> Sandbox:
    from .sandbox import (
        FolderLoader,
        Sandbox,
    )

    shipped = jinja2.PackageLoader("nrecalc", "templates")
    loaders: list[jinja2.BaseLoader] = [jinja2.PrefixLoader({"nrecalc": shipped}, delimiter="/")]
    if template is not None:
        loaders.append(FolderLoader(template.path.parent))
    env = Sandbox(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=fmt is Format.html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=markdown if fmt is Format.markdown else None,
        extensions=["jinja2.ext.do"],
    )
    env.globals.update(GLOBALS)
    for name, filter_ in FILTERS.items():
        env.add_filter(name, filter_)
    return env


def render(
    quote: Quote,
    fmt: Format,
    audience: Audience,
    template: Template | None,
    made: Provenance | None = None,
) -> str:
    """Render a document of the quote from the built-in template or a company's own.

    made replaces the provenance the document would carry: verify renders a document again
    with the provenance it recorded, seal included, so that the two can be compared line for
    line. The seal is added to the rendered text (provenance.sealed), built-in or company's.
    """
    made = made or provenance(quote, fmt, audience, template.sha256 if template else None)
    data = context(quote, fmt, audience, template, made)
    if template is None:
        finalize = markdown if fmt is Format.markdown else None
        text = builtin.template(fmt.value, finalize, FILTERS, GLOBALS).render(data)
    else:
        text = _render_company(_environment(fmt, template), template, data)
    return sealed(text, made)


def _render_company(env: Sandbox, template: Template, data: TemplateData) -> str:
    from . import sandbox
    from .sandbox import MAX_OUTPUT, Refused, time_limit

    # A company template is input like an estimate: whatever it does wrong ends in one line
    # naming its file and line, never in a traceback.
    parts: list[str] = []
    try:
        with time_limit(sandbox.MAX_SECONDS):
            compiled = env.from_string(template.text)
            size = 0
            for part in compiled.generate(data):
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
    except InputError:  # an included template that cannot be read: named at its own place
        raise
    except Exception as exc:
        shown, line = _template_place(exc, template)
        raise InputError.at(shown, f"template: {_describe(exc)}", line) from None
    return output


def _describe(exc: Exception) -> str:
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"include {exc.name!r}: no such template in the template's folder"
    if isinstance(exc, jinja2.TemplateError) and exc.message:
        return exc.message
    if isinstance(exc, RecursionError):
        return "recursion too deep"
    from .sandbox import TooLong

    if isinstance(exc, MemoryError):
        return "out of memory"
    if isinstance(exc, TooLong):
        return str(exc)
    text = str(exc)
    if len(text) > 200:  # the template chose the message: it must not choose its size
        text = text[:200] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _shown_template(filename: str | None, template: Template) -> str:
    if not filename or filename == "<template>":
        return template.shown
    from ..loader import display_path

    return display_path(Path(filename))


def _template_place(exc: BaseException, template: Template) -> tuple[str, int | None]:
    """Return the template file and line a render error happened in (the innermost one).

    Jinja rewrites the traceback so that template code appears at its own file and line.
    """
    place: tuple[str, int | None] = (template.shown, None)
    trace = exc.__traceback__
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename == "<template>" or not filename.endswith((".py", ">")):
            place = (_shown_template(filename, template), trace.tb_lineno)
        trace = trace.tb_next
    return place
