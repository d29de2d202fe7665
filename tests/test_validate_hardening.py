"""nrecalc validate against hostile folders (SPEC 4.2, 5): lost kinds, injected text, memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, RATES, ROOT
from test_validate import run, write

CARD = (RATES / "default.yaml").read_text(encoding="utf-8")
ESTIMATE = (EXAMPLES / "reverse-push.yaml").read_text(encoding="utf-8")
# A foreign file's kind that, shown raw, is a GitHub workflow command and an OSC 52 clipboard
# write (YAML's \e is ESC, \a is BEL).
HOSTILE_KIND = 'kind: "x\\n::error file=README.md::INJECTED\\n\\e]52;c;SGVsbG8=\\a"\n'
HOSTILE_NAME = "a\n::error file=README.md::INJECTED\x1b]52;c;SGVsbG8=\x07, 100%.yaml"


def without_kind(text: str) -> str:
    kept = [line for line in text.splitlines(keepends=True) if not line.startswith("kind:")]
    assert len(kept) == len(text.splitlines()) - 1
    return "".join(kept)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()  # the search for rates/ stops here
    write(tmp_path / "rates" / "default.yaml", CARD)
    write(tmp_path / "quotes" / "good.yaml", ESTIMATE)
    return tmp_path


# --- a file that lost its kind: --------------------------------------------------------------


def test_an_estimate_without_kind_in_a_folder_is_an_error(project: Path) -> None:
    write(project / "quotes" / "good.yaml", without_kind(ESTIMATE))
    bad = without_kind(ESTIMATE).replace("weeks: 3 ", "weeks: -3 ")
    write(project / "quotes" / "bad.yaml", bad)
    assert run("validate", ".") == (
        1,
        # the rest of the file is checked as what it plainly is
        "quotes/bad.yaml:4:1: error: kind: no `kind:`; this looks like an estimate — add "
        "`kind: estimate`\n"
        "quotes/bad.yaml:15:14: error: custom.build[0].weeks: must be positive, got -3\n"
        "quotes/good.yaml:4:1: error: kind: no `kind:`; this looks like an estimate — add "
        "`kind: estimate`\n"
        "3 files checked: 3 errors in 2 files\n",
        "",
    )


def test_a_rate_card_without_kind_in_a_folder_is_an_error(project: Path) -> None:
    write(project / "rates" / "default.yaml", without_kind(CARD))
    code, out, err = run("validate", "rates")
    assert (code, err) == (1, "")
    assert out == (
        "rates/default.yaml:4:1: error: kind: no `kind:`; this looks like a rate card — add "
        "`kind: rate-card`\n1 file checked: 1 error in 1 file\n"
    )
    write(project / "rates" / "default.yaml", CARD.replace("kind: rate-card", "kind:"))
    code, out, _ = run("validate", "rates")
    assert code == 1
    assert "error: kind: an empty `kind:`; this looks like a rate card" in out


def test_yaml_with_only_one_of_our_keys_is_still_foreign(project: Path) -> None:
    write(project / "other" / "a.yaml", "custom: {x: 1}\nroles: [admin]\n")
    write(project / "other" / "b.yaml", "kind: Deployment\nrate_card: x\ncustom: {}\n")
    assert run("validate", "other", "quotes") == (
        0,
        "1 file checked: no problems\n",
        "other/a.yaml: notice: skipped: not an nrecalc file (no kind: rate-card or estimate)\n"
        "other/b.yaml: notice: skipped: not an nrecalc file (kind: Deployment)\n",
    )


# --- nothing shown can act -------------------------------------------------------------------


def test_the_github_format_escapes_as_githubs_toolkit_does(project: Path) -> None:
    write(project / "a:b,c 100%.yaml", "kind: estimate\nid: [\n")
    code, out, _ = run("validate", "--format", "github", "a:b,c 100%.yaml")
    assert code == 1
    assert out.startswith("::error file=a%3Ab%2Cc 100%25.yaml,line=3,col=1::invalid YAML: ")
    write(project / "quotes" / "%0A\r\n::x.yaml", ESTIMATE.replace("weeks: 3 ", "weeks: -3 "))
    code, out, _ = run("validate", "--format", "github", "quotes")
    assert code == 1
    assert out == (
        "::error file=quotes/%250A%0D%0A%3A%3Ax.yaml,line=16,col=14,title=custom.build[0].weeks"
        "::must be positive, got -3\n"
        "2 files checked: 1 error in 1 file\n"
    )


def test_a_path_that_would_start_a_workflow_command_is_shown_from_here(project: Path) -> None:
    write(project / "::error file=x::y.yaml", "kind: Deployment\n")
    write(project / " ##[error]z.yaml", "kind: estimate\nid: [\n")
    code, out, err = run("validate", ".")
    assert code == 1
    assert (
        err == "./::error file=x::y.yaml: notice: skipped: not an nrecalc file (kind: Deployment)\n"
    )
    assert out.startswith("./ ##[error]z.yaml:3:1: error: invalid YAML:")


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_hostile_names_and_values_reach_no_terminal_or_log_raw(project: Path, fmt: str) -> None:
    """Through a real process: no ESC or BEL byte, and no workflow command but nrecalc's own."""
    folder = project / "deploy"
    write(folder / "foreign.yaml", HOSTILE_KIND)
    write(folder / "::error file=README.md::NAME\x1b]52;c;SGVsbG8=\x07\n::x.yaml", "kind: X\n")
    write(project / HOSTILE_NAME, "kind: estimate\nid: [\n")
    done = subprocess.run(
        [sys.executable, "-m", "nrecalc", "validate", "--format", fmt, "deploy", HOSTILE_NAME],
        capture_output=True,
        cwd=project,
    )
    assert done.returncode == 1
    for stream in (done.stdout, done.stderr):
        assert b"\x1b" not in stream and b"\x07" not in stream and b"\r" not in stream
    out, err = done.stdout.decode(), done.stderr.decode()
    assert err == (
        "deploy/::error file=README.md::NAME\\x1b]52;c;SGVsbG8=\\x07\\n::x.yaml: notice: "
        "skipped: not an nrecalc file (kind: X)\n"
        "deploy/foreign.yaml: notice: skipped: not an nrecalc file (kind: x\\n::error "
        "file=README.md::INJECTED\\n\\x1b]52;…)\n"  # cut at 40 characters
    )
    lines = out.splitlines()
    commands = [line for line in lines if line.lstrip().startswith(("::", "##["))]
    if fmt == "github":
        assert (
            commands
            == lines[:-1]
            == [
                "::error file=a%0A%3A%3Aerror file=README.md%3A%3AINJECTED\\x1b]52;c;SGVsbG8=\\x07"
                "%2C 100%25.yaml,line=3,col=1::invalid YAML: "
                + lines[0].split("::invalid YAML: ")[1]
            ]
        )
    else:
        assert commands == []
    if fmt == "text":
        assert lines[0].startswith(
            "a\\n::error file=README.md::INJECTED\\x1b]52;c;SGVsbG8=\\x07, 100%.yaml:3:1: error: "
        )
    if fmt == "json":
        assert [problem["path"] for problem in json.loads(out)] == [HOSTILE_NAME]


def test_json_escapes_what_json_itself_leaves_raw(project: Path) -> None:
    name = "c1\x9b[31m\u202eDEL\x7f.yaml"
    write(project / name, "kind: estimate\nid: [\n")
    code, out, _ = run("validate", "--format", "json", name)
    assert code == 1
    assert '"path": "c1\\u009b[31m\\u202eDEL\\u007f.yaml"' in out
    assert json.loads(out)[0]["path"] == name


# --- memory ----------------------------------------------------------------------------------

FILES = 41
# Runs nrecalc validate under an address-space limit (0: none); writes the peak to a file.
UNDER_LIMIT = """
import atexit, resource, sys
limit, peak_file = int(sys.argv[1]), sys.argv[2]
if limit:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
def peak():
    with open("/proc/self/status") as status, open(peak_file, "w") as out:
        out.write(next(line for line in status if line.startswith("VmPeak:")).split()[1])
atexit.register(peak)
sys.argv = ["nrecalc", "validate", *sys.argv[3:]]
from nrecalc.cli import main
main()
"""


def _validate_under(limit: int, folder: Path) -> tuple[subprocess.CompletedProcess[str], int]:
    peak = folder.parent / f"{folder.name}.peak"
    done = subprocess.run(
        [sys.executable, "-c", UNDER_LIMIT, str(limit), str(peak), str(folder)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return done, int(peak.read_text()) * 1024 if peak.exists() else 0


def _estimates(folder: Path, count: int) -> None:
    """Write count valid estimates of about 1 MB each: 500 assumptions of 2,000 characters."""
    head = ESTIMATE.split("assumptions:")[0]
    big = "".join(f"  - {i:04} {'x' * 1990}\n" for i in range(500))
    write(folder / "rates" / "default.yaml", CARD)
    for index in range(count):
        write(folder / f"q{index:03}.yaml", f"{head}assumptions:\n{big}")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_memory_follows_the_largest_file_not_the_sum(tmp_path: Path) -> None:
    """41 files of 1 MB under the address space that one of them needs, plus 16 MiB.

    Keeping every parsed file, as validate once did, needs about 45 MiB more.
    """
    one, many = tmp_path / "one", tmp_path / "many"
    _estimates(one, 1)
    _estimates(many, FILES)
    assert sum(p.stat().st_size for p in many.glob("q*.yaml")) > FILES * 1_000_000
    done, peak = _validate_under(0, one)
    assert (done.returncode, done.stdout, done.stderr) == (0, "2 files checked: no problems\n", "")
    done, _ = _validate_under(peak + 16 * 1024 * 1024, many)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"{FILES + 1} files checked: no problems\n"


def test_quote_and_verify_lines_never_start_a_workflow_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    example = (EXAMPLES / "reverse-push.yaml").read_text(encoding="utf-8")
    write(tmp_path / "  ::error::bad.yaml", example.replace("weeks: 3 ", "weeks: 0 ", 1))
    write(tmp_path / "::notice::est.yaml", example)
    write(tmp_path / "rates" / "default.yaml", (RATES / "default.yaml").read_text("utf-8"))
    outputs = [
        run("quote", "  ::error::bad.yaml"),
        run("quote", "::notice::est.yaml", "-o", "::warning::d.md"),
        run("quote", "::notice::est.yaml", "-o", "::warning::d.md"),  # exists: exit 3
        run("verify", "::warning::d.md", "::notice::est.yaml"),
    ]
    assert [code for code, _, _ in outputs] == [1, 0, 3, 0]
    lines = [line for _, out, err in outputs for line in (out + err).splitlines()]
    assert len(lines) == 4  # verify answers two questions
    assert [line for line in lines if line.lstrip().startswith("::")] == []


@pytest.mark.parametrize(
    ("kind", "ours"),
    [("Estimate", "estimate"), ("estimte", "estimate"), ("ESTIMATE", "estimate")],
)
def test_a_mistyped_kind_in_a_folder_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, ours: str
) -> None:
    monkeypatch.chdir(tmp_path)
    text = (EXAMPLES / "reverse-push.yaml").read_text(encoding="utf-8")
    write(tmp_path / "q" / "a.yaml", text.replace("kind: estimate", f"kind: {kind}", 1))
    code, out, err = run("validate", "q")
    assert (code, err) == (1, "")
    assert out.startswith(f"q/a.yaml:4:7: error: kind: is '{kind}'; did you mean `kind: {ours}`?\n")


def test_a_mistyped_rate_card_kind_is_an_error_and_a_foreign_kind_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    card = (RATES / "default.yaml").read_text(encoding="utf-8")
    write(tmp_path / "q" / "r.yaml", card.replace("kind: rate-card", "kind: rate_card", 1))
    estimate = (EXAMPLES / "reverse-push.yaml").read_text(encoding="utf-8")
    write(tmp_path / "q" / "d.yaml", estimate.replace("kind: estimate", "kind: Deployment", 1))
    code, out, err = run("validate", "q")
    assert code == 1
    assert "q/r.yaml:4:7: error: kind: is 'rate_card'; did you mean `kind: rate-card`?" in out
    assert err == "q/d.yaml: notice: skipped: not an nrecalc file (kind: Deployment)\n"


def test_a_skipped_files_kind_is_shown_cut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "q" / "k.yaml", "kind: " + "Z" * 100_000 + "\n")
    code, _, err = run("validate", "q")
    assert code == 1  # a folder holding no nrecalc file
    assert err == f"q/k.yaml: notice: skipped: not an nrecalc file (kind: {'Z' * 40}…)\n"
