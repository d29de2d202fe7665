"""Compile nrecalc's built-in templates to Python modules, as the wheel's build hook does.

    python tools/compile_templates.py TARGET-FOLDER

The environments are nrecalc/render/builtin.py's, loaded by path: Jinja2 is all this needs.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import jinja2

ROOT = Path(__file__).resolve().parents[1]


def load_builtin() -> ModuleType:
    """Load nrecalc/render/builtin.py alone, without importing nrecalc."""
    path = ROOT / "nrecalc" / "render" / "builtin.py"
    spec = importlib.util.spec_from_file_location("_nrecalc_builtin", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def compile_all(target: Path) -> list[Path]:
    """Compile every built-in template to a module in target; return the files written."""
    builtin = load_builtin()
    target.mkdir(parents=True, exist_ok=True)
    written = [target / "__init__.py"]
    written[0].write_text('"""The built-in templates, compiled when the wheel was built."""\n')
    for fmt, name in builtin.TEMPLATES.items():
        # Compiled code asks for a finalize or a filter only if the environment has one: stand-ins
        # do; the real ones are nrecalc's, given when the template is used.
        stand_ins = dict.fromkeys(builtin.FILTERS, _same)
        env = builtin.environment(fmt, _same if fmt == "markdown" else None, stand_ins)
        source = (ROOT / "nrecalc" / "templates" / name).read_text(encoding="utf-8")
        code = env.compile(source, name, name, raw=True, defer_init=True)
        module = target / f"{fmt}.py"
        module.write_text(f"JINJA = {jinja2.__version__!r}\n{code}", encoding="utf-8")
        written.append(module)
    return written


def _same(value: Any) -> Any:
    return value


if __name__ == "__main__":
    for path in compile_all(Path(sys.argv[1])):
        print(path)
