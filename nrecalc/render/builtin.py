"""The built-in templates: their Jinja2 environments, compiled once when the wheel is built.

Compiling the shipped templates took longer than rendering them (12 ms for the HTML appendix),
on every run. The wheel's build hook (tools/hatch_build.py, with tools/compile_templates.py)
loads this file by path, with only Jinja2 installed, and writes each template compiled to Python
into the wheel's `nrecalc/render/_compiled/`; a run then imports it (a .pyc after installation)
instead. Compiled code is tied to the Jinja2 that wrote it: with any other Jinja2 installed, or
where no compiled form exists (an editable install, a source checkout), the template is compiled
from its source as before.

This module imports nothing of nrecalc's, so that the build hook can load it alone.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

import jinja2

TEMPLATES = {"markdown": "appendix.md.j2", "html": "appendix.html.j2", "note": "note.txt.j2"}
COMPILED = "nrecalc.render._compiled"
FILTERS = ("css_string",)  # nrecalc's own filters: Jinja2 needs their names to compile

Function = Callable[..., Any]


def environment(
    fmt: str,
    finalize: Function | None,
    filters: Mapping[str, Function],
    loader: jinja2.BaseLoader | None = None,
) -> jinja2.Environment:
    """Return the environment the built-in template of a format renders in (HTML autoescaped)."""
    env = jinja2.Environment(
        loader=loader,
        autoescape=fmt == "html",
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize,
    )
    env.filters.update(filters)
    return env


def shipped() -> jinja2.BaseLoader:
    """Return a loader of the built-in templates' sources (nrecalc/templates/)."""
    return jinja2.PackageLoader("nrecalc", "templates")


def template(
    fmt: str,
    finalize: Function | None,
    filters: Mapping[str, Function],
    globals: Mapping[str, Any],
) -> jinja2.Template:
    """Return the built-in template of a format: compiled at build time if it can be."""
    env = environment(fmt, finalize, filters)
    env.globals.update(globals)
    name = f"{COMPILED}.{fmt}"
    try:
        compiled = importlib.import_module(name)
    except ImportError:
        compiled = None
    # As Jinja2's ModuleLoader does: the template takes the module's namespace for itself.
    sys.modules.pop(name, None)
    if compiled is None or getattr(compiled, "JINJA", None) != jinja2.__version__:
        env.loader = shipped()
        return env.get_template(TEMPLATES[fmt])
    return env.template_class.from_module_dict(env, compiled.__dict__, env.make_globals(None))
