"""Read a company's template (`--template PATH`) and the parts it includes, for the renderer.

The renderer reads no file (SPEC 6): it is handed the template's text and a function that reads
an include by name from the template's own folder only — no absolute path, no `..`, no hidden
file, no link leading out of the folder, regular files only — with read_text's checks (size,
UTF-8) like every input.
"""

from __future__ import annotations

import stat
from functools import partial
from pathlib import Path

from .errors import InputError
from .loader import display_path, read_text
from .template import NotIncluded, Template, hidden_character


def load_template(path: Path) -> Template:
    """Read a company's template (UTF-8, at most 8 MiB); raise InputError if it cannot be."""
    shown = display_path(path)
    text, sha256 = read_text(path, shown, kind="template")
    found = hidden_character(text)
    if found is not None:
        line, column, problem = found
        raise InputError.at(shown, f"template: {problem}", line, column)
    return Template(shown, text, sha256, partial(_include, path.parent))


def _include(folder: Path, name: str) -> tuple[str, str] | None:
    """Return the text of an included template and the name it is shown by; None if missing."""
    path = _resolve(folder, name)
    if path is None:
        return None
    shown = display_path(folder / name)
    text, _ = read_text(path, shown, kind="template")
    return text, shown


def _resolve(folder: Path, name: str) -> Path | None:
    """Return the file an include names, or None if there is none; refuse a name out of reach."""
    if name.startswith("/") or Path(name).is_absolute():
        raise NotIncluded(f"include {name!r}: a template may include only files in its own folder")
    # "./part.md" is this folder's part.md; ".." or an empty part leads elsewhere.
    parts = [part for part in name.replace("\\", "/").split("/") if part != "."]
    if not parts or any(part in ("", "..") for part in parts):
        raise NotIncluded(f"include {name!r}: a template may include only files in its own folder")
    if any(part.startswith(".") for part in parts):
        raise NotIncluded(f"include {name!r}: hidden files are not included")
    folder = folder.resolve()
    try:
        path = folder.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):  # missing, a loop of links, a NUL byte
        return None
    if not path.is_relative_to(folder):
        raise NotIncluded(f"include {name!r}: it leads out of the template's folder")
    if any(part.startswith(".") for part in path.relative_to(folder).parts):
        raise NotIncluded(f"include {name!r}: hidden files are not included")  # through a link
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if not stat.S_ISREG(mode):
        raise NotIncluded(f"include {name!r}: not a regular file")
    return path
