"""Shell completion (bash, zsh, fish) through the completion protocol, as the shells ask for it.

A shell's completion script runs nrecalc with _NRECALC_COMPLETE=complete_<shell> and the words
typed so far (bash: COMP_WORDS and COMP_CWORD; zsh and fish: _TYPER_COMPLETE_ARGS); nrecalc
prints its candidates, one a line. These tests check nrecalc's candidates: commands, options,
formats, languages, file kinds and rate-card names; where a file is expected nrecalc offers
none, and the shell completes file names itself. Once, a real bash completes a line in a
pseudo-terminal.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from enum import Enum
from pathlib import Path

import pexpect
import pytest
from conftest import ROOT, replaced

from nrecalc.choices import (
    Audience,
    DiffFormat,
    Format,
    Kind,
    Language,
    ReportFormat,
    ReviewFormat,
)
from nrecalc.cli.app import safe_word

COMMANDS = {"quote", "validate", "diff", "schema", "verify", "new", "report"}
TIMEOUT = 60


def ask(shell: str, line: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Ask nrecalc to complete a command line, as the shell's completion script does."""
    env = {**os.environ, "_NRECALC_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        words = line.split()
        env["COMP_WORDS"] = line
        env["COMP_CWORD"] = str(len(words) if line.endswith(" ") else len(words) - 1)
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
        env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    return subprocess.run(
        [sys.executable, "-m", "nrecalc"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=TIMEOUT,
    )


def candidates(line: str, cwd: Path = ROOT, shell: str = "bash") -> set[str]:
    """Return what nrecalc offers to complete the line's last word, without their help.

    bash and fish read a candidate a line (fish: a tab, then its help); zsh runs one line of
    its own code that lists them quoted, `"value":"help"`.
    """
    done = ask(shell, line, cwd)
    assert (done.returncode, done.stderr) == (0, "")
    if shell == "zsh":
        return set(re.findall(r"^(?:_arguments '\*: :\(\()?\"([^\"]*)\"", done.stdout, re.M))
    return {row.split("\t")[0] for row in done.stdout.splitlines() if row}


def test_commands() -> None:
    assert candidates("nrecalc ") >= COMMANDS
    assert candidates("nrecalc ne") == {"new"}
    assert candidates("nrecalc v") == {"validate", "verify"}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("nrecalc --", {"--version", "--install-completion", "--show-completion", "--help"}),
        ("nrecalc new --", {"--rate-card", "--no-input", "--force", "--help"}),
        ("nrecalc quote x.yaml --f", {"--format", "--force"}),
        ("nrecalc validate --", {"--format", "--skip-foreign", "--help"}),
    ],
)
def test_options(line: str, expected: set[str]) -> None:
    assert candidates(line) >= expected
    assert all(word.startswith(line.split()[-1]) for word in candidates(line))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("nrecalc quote x.yaml --format ", {f.value for f in Format}),
        ("nrecalc quote x.yaml --format m", {"markdown"}),
        ("nrecalc quote x.yaml --audience ", {a.value for a in Audience}),
        ("nrecalc quote x.yaml --lang ", {lang.value for lang in Language}),
        ("nrecalc quote x.yaml --lang zh", {"zh-CN", "zh-CN+en"}),
        ("nrecalc validate . --format ", {f.value for f in ReportFormat}),
        ("nrecalc diff a.yaml b.yaml --format ", {f.value for f in DiffFormat}),
        ("nrecalc diff a.yaml b.yaml --lang ", {"en", "zh-CN"}),
        ("nrecalc schema ", {k.value for k in Kind}),
        ("nrecalc report . --format ", {f.value for f in ReviewFormat}),
        ("nrecalc report . --lang ", {"en", "zh-CN"}),
    ],
)
@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_formats_languages_and_kinds(shell: str, line: str, expected: set[str]) -> None:
    assert candidates(line, shell=shell) == expected


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_rate_card_names_are_those_found_from_here(acme_repo: Path, shell: str) -> None:
    assert candidates("nrecalc new --rate-card ", acme_repo, shell) == {"acme", "default"}
    assert candidates("nrecalc new --rate-card a", acme_repo, shell) == {"acme"}


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_a_rate_card_name_that_is_not_one_safe_shell_word_is_not_offered(
    acme_repo: Path, shell: str
) -> None:
    """bash pastes a candidate into the line as it is: `x$(touch PWNED)` would run, `x y` would
    be two words. Such a name is left out (it can still be typed, quoted); a safe one is not."""
    text = (acme_repo / "rates" / "acme.yaml").read_text(encoding="utf-8")
    hostile = ["x$(touch PWNED)", "x y", "x;ls", "x'y", 'x"y', "x`id`", "x*", "x\\y", "-x", "x~"]
    for number, name in enumerate([*hostile, "x.v2+b_1-c"]):
        card = text.replace("name: acme", f"name: {json.dumps(name)}", 1)
        (acme_repo / "rates" / f"card{number}.yaml").write_text(card, encoding="utf-8")
    assert candidates("nrecalc new --rate-card x", acme_repo, shell) == {"x.v2+b_1-c"}
    assert candidates("nrecalc new --rate-card ", acme_repo, shell) == {
        "acme", "default", "x.v2+b_1-c"
    }  # fmt: skip
    assert not (acme_repo / "PWNED").exists()


def test_a_rate_cards_help_is_shown_as_it_is(acme_repo: Path) -> None:
    """The help (zsh and fish show it) names the card's version and file: rich's markup in them
    is text, and a line break cannot start another candidate."""
    card = acme_repo / "rates" / "acme.yaml"
    text = replaced(card.read_text(encoding="utf-8"), 'version: "', 'version: "[/x]', 1)
    card.unlink()
    (acme_repo / "rates" / "[b]\nacme.yaml").write_text(text, encoding="utf-8")
    help = "[/x]2026.1, CNY, rates/[b]\\nacme.yaml"
    fish = ask("fish", "nrecalc new --rate-card a", acme_repo)
    assert (fish.stdout, fish.stderr) == (f"acme\t{help}\n", "")
    zsh = ask("zsh", "nrecalc new --rate-card a", acme_repo)
    assert zsh.stderr == "" and f'"acme":"{help}"' in zsh.stdout


@pytest.mark.parametrize(
    "kind", [Format, Audience, Language, ReportFormat, ReviewFormat, DiffFormat, Kind]
)
def test_every_value_offered_is_one_safe_shell_word(kind: type[Enum]) -> None:
    assert all(safe_word(str(each.value)) for each in kind)


def test_a_rate_card_name_comes_with_its_version_and_file(acme_repo: Path) -> None:
    shown = ask("fish", "nrecalc new --rate-card a", acme_repo).stdout
    assert shown == "acme\t2026.1, CNY, rates/acme.yaml\n"  # its version and file, as help


@pytest.mark.parametrize(
    "line",
    [
        "nrecalc quote ",
        "nrecalc quote exa",
        "nrecalc quote examples/reverse-push.yaml ",
        "nrecalc quote x.yaml --rates ",
        "nrecalc quote x.yaml -o ",
        "nrecalc quote x.yaml --template ",
        "nrecalc validate ",
        "nrecalc diff rates/default.yaml ",
        "nrecalc verify q.html ",
        "nrecalc new ",
    ],
)
def test_where_a_file_is_expected_the_shell_completes_file_names(line: str) -> None:
    assert candidates(line) == set()  # bash: none; its -o default then lists the files
    fish = ask("fish", line)
    assert fish.stdout.strip() == ""
    env = {**os.environ, "_TYPER_COMPLETE_FISH_ACTION": "is-args"}
    done = subprocess.run(
        [sys.executable, "-m", "nrecalc"],
        env={**env, "_NRECALC_COMPLETE": "complete_fish", "_TYPER_COMPLETE_ARGS": line},
        cwd=ROOT,
        capture_output=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 1  # fish: no arguments of ours, so it offers files
    assert ask("zsh", line).stdout.strip() == "_files"  # zsh: its file completion


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_each_shell_gets_a_script(shell: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nrecalc"],
        env={**os.environ, "_NRECALC_COMPLETE": f"source_{shell}"},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 0
    assert "_NRECALC_COMPLETE" in done.stdout and "nrecalc" in done.stdout


def test_completion_costs_the_commands_no_import() -> None:
    """Building the command line (what every command's start-up does) imports no more of
    nrecalc than before completion came: the callbacks import what they need when asked."""
    script = (
        "import sys\n"
        "import typer\n"
        "from nrecalc.cli import app\n"
        "typer.main.get_command(app)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('nrecalc', 'questionary'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=TIMEOUT
    )
    assert done.stdout.strip() == str(
        sorted(
            {
                "nrecalc",
                "nrecalc.choices",
                "nrecalc.cli",
                "nrecalc.cli.app",
                "nrecalc.cli.checks",
                "nrecalc.cli.new",
                "nrecalc.cli.quote",
                "nrecalc.cli.report",
            }
        )
    )


def test_a_real_bash_completes_a_line(tmp_path: Path) -> None:
    """bash, in a pseudo-terminal, with the script nrecalc gives it: Tab completes a format, a
    rate-card name, and (bash's own completion) a folder's name."""
    bash = shutil.which("bash")
    script = Path(sys.executable).parent / "nrecalc"
    if bash is None or not script.exists():
        pytest.skip("needs bash and the nrecalc console script")
    env = {
        "PATH": f"{script.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "TERM": "dumb",
        "PS1": "$ ",
    }
    child = pexpect.spawn(
        bash,
        ["--norc", "--noprofile", "-i"],
        cwd=str(ROOT),
        env=env,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(24, 200),
    )
    try:
        child.sendline('eval "$(_NRECALC_COMPLETE=source_bash nrecalc)"; echo ready')
        child.expect("ready\r\n")
        for typed, completed in (
            ("nrecalc quote x --format js", "nrecalc quote x --format json"),
            ("nrecalc new --rate-card def", "nrecalc new --rate-card default"),
            ("nrecalc quote exam", "nrecalc quote examples/"),
        ):
            # Tab, then to the line's start to make it an echo: bash prints what Tab made
            child.send(f"{typed}\t")
            child.expect_exact(completed[len(typed) :])
            child.send("\x01echo '\x05'\r")
            child.expect_exact(f"\r\n{completed.rstrip()}")
    finally:
        child.close(force=True)
