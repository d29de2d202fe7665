"""Finding the rate card by name (SPEC 2.3): the bounded upward search and whose rates it reads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, RATES
from typer.testing import CliRunner

from nrecalc.catalog import search_folders
from nrecalc.cli import app

OTHER = 12345  # a user who is neither the current one nor root
PASSED_OVER = (
    "; a rates/ folder or card found by searching upward is read only when you or root own it "
    "and others cannot write to it (give the card by path to use it)\n"
)
BUNDLED = "<bundled>/default.yaml 2026.1"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def card(version: str, name: str = "default", rate: int = 1) -> str:
    """A copy of the shipped card, with its own version, name and engineer rate."""
    text = (RATES / "default.yaml").read_text(encoding="utf-8")
    text = text.replace('version: "2026.1"', f'version: "{version}"')
    text = text.replace("name: default", f"name: {name}")
    return text.replace("engineer: 25000", f"engineer: {rate}")


def estimate(rate_card: str = "default") -> str:
    text = (EXAMPLES / "reverse-push.yaml").read_text(encoding="utf-8")
    assert "rate_card: default " in text
    return text.replace("rate_card: default ", f"rate_card: {rate_card} ")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def used(*args: str) -> str:
    """Quote and return the card used: its path and version."""
    code, out, err = run("quote", *args, "--format", "json")
    assert (code, err) == (0, ""), err
    data = json.loads(out)["rate_card"]
    return f"{data['path']} {data['version']}"


def give_away(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make path (a link itself, not what it points at) belong to another user."""
    if os.geteuid() == 0:
        os.chown(path, OTHER, OTHER, follow_symlinks=False)  # root may give a file away
    else:
        monkeypatch.setattr(os, "geteuid", lambda: OTHER)  # then our files are another's


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp/rates/evil.yaml above tmp/repo (a repository), and an estimate in tmp/repo/sub."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "elsewhere"))  # not above the files
    write(tmp_path / "rates" / "evil.yaml", card("evil"))
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    write(tmp_path / "repo" / "sub" / "q.yaml", estimate())
    return tmp_path


# --- where the search stops ----------------------------------------------------------------


def test_the_search_stops_after_the_repository_root_or_home(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    deep = repo / "a" / "b"
    deep.mkdir(parents=True)
    (repo / ".git").mkdir()
    assert search_folders(deep, None) == [deep / "rates", repo / "a" / "rates", repo / "rates"]
    (repo / ".git").rmdir()
    (repo / ".git").write_text("gitdir: /elsewhere\n")  # a worktree's .git is a file
    assert search_folders(deep, None)[-1] == repo / "rates"
    (repo / ".git").unlink()
    assert search_folders(deep, repo / "a") == [deep / "rates", repo / "a" / "rates"]
    assert search_folders(deep, tmp_path / "not-above") == [
        folder / "rates" for folder in (deep, *deep.parents)
    ]  # outside a repository and home: up to the file-system root
    (deep / ".git").mkdir()
    assert search_folders(deep, None) == [deep / "rates"]


def test_a_rates_folder_above_the_repository_is_not_read(tree: Path) -> None:
    assert used("repo/sub/q.yaml") == BUNDLED
    (tree / "repo" / ".git").rmdir()  # no repository: the search goes on up and finds it
    assert used("repo/sub/q.yaml") == "rates/evil.yaml evil"
    (tree / "repo" / ".git").write_text("gitdir: /elsewhere\n")
    assert used("repo/sub/q.yaml") == BUNDLED


def test_the_repository_roots_own_rates_folder_is_read(tree: Path) -> None:
    write(tree / "repo" / "rates" / "ours.yaml", card("ours"))
    assert used("repo/sub/q.yaml") == "repo/rates/ours.yaml ours"


def test_outside_a_repository_the_search_stops_at_home(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tree / "home"
    write(home / "work" / "q.yaml", estimate())
    monkeypatch.setenv("HOME", str(home))
    assert used("home/work/q.yaml") == BUNDLED
    write(home / "rates" / "mine.yaml", card("home"))  # home's own rates/ is still read
    assert used("home/work/q.yaml") == "home/rates/mine.yaml home"


# --- whose rates the search reads ----------------------------------------------------------


@pytest.mark.parametrize("what", ["folder", "card", "link"])
def test_rates_another_user_owns_are_passed_over_with_one_warning(
    tree: Path, monkeypatch: pytest.MonkeyPatch, what: str
) -> None:
    rates = tree / "repo" / "rates"
    write(tree / "cards" / "ours.yaml", card("ours"))
    if what == "link":
        rates.symlink_to(tree / "cards")  # the folder it points at is ours; the link is not
    else:
        write(rates / "ours.yaml", card("ours"))
    write(tree / "repo" / "other" / "q.yaml", estimate())
    shown = "repo/rates/ours.yaml" if what == "card" else "repo/rates"
    give_away(tree / shown, monkeypatch)

    code, out, err = run("quote", "repo/sub/q.yaml", "--format", "json")
    assert (code, json.loads(out)["rate_card"]["path"]) == (0, "<bundled>/default.yaml")
    assert err.startswith(f"{shown}: warning: passed over: owned by another user (uid ")
    assert err.endswith(PASSED_OVER) and err.count("\n") == 1

    code, _, err = run("validate", "repo")  # two estimates, one warning
    assert code == 0
    assert err.startswith(f"{shown}: warning: passed over: owned by another user (uid ")
    assert err.count("\n") == 1


@pytest.mark.parametrize("what", ["folder", "card"])
def test_world_writable_rates_are_passed_over(tree: Path, what: str) -> None:
    rates = tree / "repo" / "rates"
    write(rates / "ours.yaml", card("ours"))
    shown = "repo/rates/ours.yaml" if what == "card" else "repo/rates"
    os.chmod(tree / shown, (tree / shown).stat().st_mode | 0o002)
    code, out, err = run("quote", "repo/sub/q.yaml", "--format", "json")
    assert (code, json.loads(out)["rate_card"]["path"]) == (0, "<bundled>/default.yaml")
    assert err == f"{shown}: warning: passed over: world-writable{PASSED_OVER}"


def test_a_passed_over_folder_is_named_before_the_error_it_explains(tree: Path) -> None:
    write(tree / "repo" / "rates" / "special.yaml", card("1", name="special"))
    os.chmod(tree / "repo" / "rates", 0o777)
    write(tree / "repo" / "sub" / "q.yaml", estimate("special"))
    code, out, err = run("quote", "repo/sub/q.yaml")
    assert (code, out) == (1, "")
    warning, error = err.splitlines()
    assert warning == f"repo/rates: warning: passed over: world-writable{PASSED_OVER[:-1]}"
    assert error.startswith(
        "repo/sub/q.yaml:9:12: error: rate_card: no rate card named 'special' in a rates/ folder"
    )


def test_the_warning_escapes_the_folder_name(tree: Path) -> None:
    odd = tree / "repo" / "a\x1b]52;c;SGVsbG8=\x07\n::error file=x::y"
    write(odd / "rates" / "ours.yaml", card("ours"))
    write(odd / "q.yaml", estimate())
    os.chmod(odd / "rates", 0o777)
    code, _, err = run("quote", str(odd.relative_to(tree) / "q.yaml"), "--format", "json")
    assert code == 0
    assert err == (
        "repo/a\\x1b]52;c;SGVsbG8=\\x07\\n::error file=x::y/rates: warning: passed over: "
        f"world-writable{PASSED_OVER}"
    )


def test_paths_given_explicitly_are_read_as_given(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tree / "shared"
    write(shared / "card.yaml", card("given"))
    os.chmod(shared, 0o777)
    os.chmod(shared / "card.yaml", 0o666)
    give_away(shared / "card.yaml", monkeypatch)
    assert used("repo/sub/q.yaml", "--rates", "shared/card.yaml") == "shared/card.yaml given"
    write(tree / "repo" / "sub" / "q.yaml", estimate("../../shared/card.yaml"))
    assert used("repo/sub/q.yaml") == "shared/card.yaml given"


def test_tmp_rates_is_passed_over_by_a_real_process(tree: Path) -> None:
    os.chmod(tree / "rates", 0o1777)  # like /tmp/rates: anyone may add a card
    (tree / "repo" / ".git").rmdir()
    done = subprocess.run(
        [sys.executable, "-m", "nrecalc", "quote", "repo/sub/q.yaml", "--format", "json"],
        capture_output=True,
        cwd=tree,
        env={**os.environ, "HOME": str(tree / "elsewhere")},
    )
    assert done.returncode == 0
    assert json.loads(done.stdout)["rate_card"]["path"] == "<bundled>/default.yaml"
    assert done.stderr.decode() == f"rates: warning: passed over: world-writable{PASSED_OVER}"


# --- a path where a name was meant ---------------------------------------------------------


def test_a_missing_name_dot_yaml_suggests_the_name(tree: Path) -> None:
    write(tree / "repo" / "sub" / "q.yaml", estimate("default.yaml"))
    assert run("quote", "repo/sub/q.yaml") == (
        1,
        "",
        "repo/sub/q.yaml:9:12: error: rate_card: no such file: repo/sub/default.yaml "
        "(relative to the estimate); did you mean `rate_card: default`?\n",
    )
    write(tree / "repo" / "sub" / "q.yaml", estimate("nothing.yml"))
    assert run("quote", "repo/sub/q.yaml") == (
        1,
        "",
        "repo/sub/q.yaml:9:12: error: rate_card: no such file: repo/sub/nothing.yml "
        "(relative to the estimate)\n",
    )
