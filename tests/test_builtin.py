"""The built-in templates compiled when the wheel is built render exactly as from source."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import jinja2
import pytest
from conftest import EXAMPLE_NAMES, EXAMPLES, ROOT

from nrecalc.choices import Audience, Format
from nrecalc.pipeline import make_quote
from nrecalc.render import builtin, document

FORMATS = [Format.markdown, Format.html, Format.note]


@pytest.fixture
def compiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Compile the shipped templates, as the wheel's build hook does, into an importable package."""
    spec = importlib.util.spec_from_file_location("tool", ROOT / "tools" / "compile_templates.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    package = tmp_path / "compiled_for_test"
    tool.compile_all(package)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(builtin, "COMPILED", "compiled_for_test")
    return package


def _render_all() -> dict[tuple[str, str, str], str]:
    found = {}
    for name in EXAMPLE_NAMES:
        quote, _ = make_quote(EXAMPLES / f"{name}.yaml", today=date(2026, 11, 26))
        for fmt in FORMATS:
            for audience in Audience:
                key = (name, fmt.value, audience.value)
                found[key] = document.render(quote, fmt, audience, None)
    return found


def test_compiled_templates_render_as_the_source(
    compiled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for fmt in FORMATS:  # the compiled form is the one used
        template = builtin.template(fmt.value, None, document.FILTERS, document.GLOBALS)
        assert Path(template.filename or "").parent == compiled
    fast = _render_all()
    monkeypatch.setattr(builtin, "COMPILED", "no_such_package_for_nrecalc")
    for fmt in FORMATS:
        template = builtin.template(fmt.value, None, document.FILTERS, document.GLOBALS)
        assert Path(template.filename or "").name == builtin.TEMPLATES[fmt.value]
    assert _render_all() == fast


def test_templates_compiled_by_another_jinja_are_not_used(
    compiled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jinja2, "__version__", "0.0.0")
    template = builtin.template("html", None, document.FILTERS, document.GLOBALS)
    assert Path(template.filename or "").name == "appendix.html.j2"


def test_every_filter_a_template_uses_is_known_to_the_build() -> None:
    assert set(builtin.FILTERS) == set(document.FILTERS)


def test_an_installed_wheel_uses_its_compiled_templates() -> None:
    """A wheel (what .ci/run and the README install) carries the templates compiled."""
    import importlib
    import json
    from importlib.metadata import distribution

    direct = json.loads(distribution("nrecalc").read_text("direct_url.json") or "{}")
    if direct.get("dir_info", {}).get("editable"):
        return  # an editable install compiles at run time: nothing was built

    package = importlib.import_module(builtin.COMPILED)
    html = importlib.import_module(f"{builtin.COMPILED}.html")
    assert Path(package.__file__ or "").parent.parent == Path(document.__file__).parent
    template = builtin.template("html", None, document.FILTERS, document.GLOBALS)
    if jinja2.__version__ == html.JINJA:  # else built with another Jinja2 than installed
        assert Path(template.filename or "").parent.name == "_compiled"
