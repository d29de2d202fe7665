"""The oldest-versions run tests what pyproject.toml promises (SPEC 9, constraints-oldest.txt)."""

from __future__ import annotations

import os
import re
from importlib import metadata

from conftest import ROOT
from packaging.version import Version

_BOUND = re.compile(r"([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*>=\s*([^,;\s]+)")


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lower_bounds() -> dict[str, Version]:
    """Return the lower bound of each runtime and test dependency, from the installed metadata."""
    found = {}
    for requirement in metadata.requires("nrecalc") or []:
        spec, _, marker = requirement.partition(";")
        if "extra" in marker and "test" not in marker and "pdf" not in marker:
            continue  # dev and bench tools are not part of the test run; the pdf extra is
        match = _BOUND.match(spec.strip())
        assert match is not None, f"{requirement!r} has no lower bound"
        found[_key(match[1])] = Version(match[2])
    return found


def pins() -> dict[str, Version]:
    """Return the versions constraints-oldest.txt pins."""
    found = {}
    for line in (ROOT / "constraints-oldest.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            found[_key(name)] = Version(version)
    return found


def test_constraints_pin_every_lower_bound() -> None:
    bounds = lower_bounds()
    assert {"typer", "rich", "pyyaml", "pydantic", "jinja2", "pytest"} <= bounds.keys()
    assert pins() == bounds


def test_installed_versions_keep_the_bounds() -> None:
    """In the oldest-versions run (NRECALC_OLDEST=1) each pin is what is installed.

    The pdf extra may be missing on a developer's machine; CI (NRECALC_REQUIRE_PDF=1) has it.
    """
    expected = pins()
    if not os.environ.get("NRECALC_REQUIRE_PDF") and not _installed("weasyprint"):
        del expected["weasyprint"]
    installed = {name: Version(metadata.version(name)) for name in expected}
    if os.environ.get("NRECALC_OLDEST"):
        assert installed == expected
    else:
        assert all(installed[name] >= pin for name, pin in expected.items()), installed


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True
