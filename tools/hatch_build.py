"""The wheel's build hook: compile the built-in templates into it (nrecalc/render/builtin.py).

It runs tools/compile_templates.py, which loads builtin.py by path: the build needs Jinja2 only
(pyproject's hook dependencies), not nrecalc's other dependencies. An editable install gets no
compiled templates: nrecalc then compiles them when it runs, as a source checkout does.
"""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileTemplates(BuildHookInterface):  # type: ignore[type-arg]
    """Write nrecalc/render/_compiled/ into the wheel."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        path = Path(self.root) / "tools" / "compile_templates.py"
        spec = importlib.util.spec_from_file_location("_nrecalc_compile_templates", path)
        assert spec is not None and spec.loader is not None
        tool = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(tool)
        self._target = tempfile.TemporaryDirectory(prefix="nrecalc-compiled-")
        for path in tool.compile_all(Path(self._target.name)):
            build_data["force_include"][str(path)] = f"nrecalc/render/_compiled/{path.name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        target = getattr(self, "_target", None)
        if target is not None:
            target.cleanup()
