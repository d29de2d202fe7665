"""Files and streams (SPEC 4.2): regular inputs only, -o and its format, safe replacing, stdout.

A hang is a failure here, never a stuck suite: whatever could block (a FIFO) runs in a real
process with a timeout.
"""

from __future__ import annotations

import ctypes
import errno
import os
import pty
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from nrecalc.cli import app

ESTIMATE = ROOT / "examples" / "reverse-push.yaml"
TIMEOUT = 60  # seconds: far beyond a real run; only a hang reaches it


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout_bytes.decode("utf-8"), result.stderr


def process(
    *args: str | Path,
    cwd: Path = ROOT,
    stdout: int | None = subprocess.PIPE,
    stderr: int | None = subprocess.PIPE,
    pass_fds: tuple[int, ...] = (),
    preexec_fn: Callable[[], object] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run nrecalc as a real process; a hang fails the test (TimeoutExpired)."""
    return subprocess.run(
        [sys.executable, "-m", "nrecalc", *map(str, args)],
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=stderr,
        cwd=cwd,
        timeout=TIMEOUT,
        pass_fds=pass_fds,
        preexec_fn=preexec_fn,
    )


def one_error(done: subprocess.CompletedProcess[bytes], line: str) -> None:
    assert (done.returncode, done.stderr.decode("utf-8"), done.stdout) == (1, f"{line}\n", b"")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with an estimate whose rate card sits beside it, as the current folder."""
    lines = ESTIMATE.read_text(encoding="utf-8").splitlines(keepends=True)
    named = [i for i, line in enumerate(lines) if line.startswith("rate_card:")]
    assert len(named) == 1
    lines[named[0]] = "rate_card: card.yaml\n"
    (tmp_path / "estimate.yaml").write_text("".join(lines), encoding="utf-8")
    (tmp_path / "card.yaml").write_bytes((ROOT / "rates" / "default.yaml").read_bytes())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def estimate_naming(folder: Path, card: str) -> Path:
    """An estimate in folder whose rate_card: line names card."""
    text = (folder / "estimate.yaml").read_text(encoding="utf-8")
    path = folder / "other.yaml"
    path.write_text(text.replace("rate_card: card.yaml", f"rate_card: {card}"), encoding="utf-8")
    return path


# -- inputs must be regular files ------------------------------------------------------------


def test_the_fixture_quotes(here: Path) -> None:
    assert run("quote", "estimate.yaml", "--format", "json")[0] == 0


def test_a_fifo_as_estimate_is_exit_1_at_once(here: Path) -> None:
    os.mkfifo(here / "fifo.yaml")
    one_error(
        process("quote", "fifo.yaml", cwd=here),
        "fifo.yaml: error: is a FIFO (named pipe); expected a YAML file",
    )


def test_a_fifo_as_rate_card_named_in_the_estimate_is_exit_1(here: Path) -> None:
    os.mkfifo(here / "fifo.yaml")
    estimate_naming(here, "fifo.yaml")
    done = process("quote", "other.yaml", cwd=here)
    one_error(done, "fifo.yaml: error: is a FIFO (named pipe); expected a YAML file")


def test_a_fifo_as_rates_is_exit_1(here: Path) -> None:
    os.mkfifo(here / "fifo.yaml")
    one_error(
        process("quote", "estimate.yaml", "--rates", "fifo.yaml", cwd=here),
        "fifo.yaml: error: is a FIFO (named pipe); expected a YAML file",
    )


def test_a_fifo_as_template_is_exit_1(here: Path) -> None:
    os.mkfifo(here / "fifo.md")
    done = process(
        "quote", "estimate.yaml", "--format", "markdown", "--template", "fifo.md", cwd=here
    )
    one_error(done, "fifo.md: error: is a FIFO (named pipe); expected a template file")


def test_a_fifo_as_the_document_to_verify_is_exit_1(here: Path) -> None:
    os.mkfifo(here / "fifo.md")
    one_error(
        process("verify", "fifo.md", "estimate.yaml", cwd=here),
        "fifo.md: error: is a FIFO (named pipe); expected a document file",
    )


def test_a_fifo_inside_a_validated_folder_is_an_error_not_a_hang(here: Path) -> None:
    os.mkfifo(here / "fifo.yaml")
    done = process("validate", ".", cwd=here)
    assert done.returncode == 1
    assert b"fifo.yaml: error: is a FIFO (named pipe); expected a YAML file\n" in done.stdout
    assert b"Traceback" not in done.stderr


def test_a_fifo_named_to_validate_is_an_error(here: Path) -> None:
    os.mkfifo(here / "fifo.yaml")
    done = process("validate", "fifo.yaml", cwd=here)
    assert done.returncode == 1
    assert done.stdout.startswith(
        b"fifo.yaml: error: is a FIFO (named pipe); expected a YAML file\n"
    )


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["quote", "folder"], "folder: error: is a folder; expected a YAML file"),
        (
            ["quote", "estimate.yaml", "--rates", "folder"],
            "folder: error: is a folder; expected a YAML file",
        ),
        (["quote", "other.yaml"], "folder.yaml: error: is a folder; expected a YAML file"),
        (
            ["quote", "estimate.yaml", "--format", "html", "--template", "folder"],
            "folder: error: is a folder; expected a template file",
        ),
        (
            ["verify", "folder", "estimate.yaml"],
            "folder: error: is a folder; expected a document file",
        ),
        (["quote", "/dev/null"], "/dev/null: error: is a device; expected a YAML file"),
    ],
)
def test_a_folder_or_device_as_input_is_exit_1(here: Path, args: list[str], line: str) -> None:
    (here / "folder").mkdir()
    (here / "folder.yaml").mkdir()
    estimate_naming(here, "folder.yaml")
    assert run(*args) == (1, "", f"{line}\n")


def test_verify_says_what_it_reads_when_given_a_damaged_pdf_or_binary(here: Path) -> None:
    (here / "q.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n\x00\x01stream")
    code, out, err = run("verify", "q.pdf", "estimate.yaml")
    assert (code, out) == (1, "")
    assert err == "q.pdf: error: a PDF that cannot be read (damaged or not nrecalc's)\n"
    (here / "q.md").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n\x00\x01stream")
    code, out, err = run("verify", "q.md", "estimate.yaml")
    assert (code, out) == (1, "")
    assert err == (
        "q.md:4:1: error: binary data (a NUL byte); "
        "verify reads the Markdown, HTML or PDF document nrecalc quote wrote\n"
    )


# -- unreadable inputs -----------------------------------------------------------------------


@pytest.fixture
def unreadable(here: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """estimate.yaml and card.yaml as a user without the right to read them sees them."""
    secret = {str(here / "estimate.yaml"), "estimate.yaml", str(here / "card.yaml"), "card.yaml"}
    real_open, real_access = os.open, os.access

    def deny_open(path: object, *args: object, **kwargs: object) -> int:
        if os.fspath(path) in secret:  # type: ignore[call-overload]
            raise PermissionError(13, "Permission denied", os.fspath(path))  # type: ignore[call-overload]
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    def deny_access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        if os.fspath(path) in secret:  # type: ignore[call-overload]
            return False
        return real_access(path, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny_open)
    monkeypatch.setattr(os, "access", deny_access)
    return here


@pytest.mark.parametrize(
    "args",
    [
        ["quote", "estimate.yaml"],
        ["quote", "other.yaml", "--rates", "card.yaml"],
        ["verify", "estimate.yaml", "other.yaml"],
        ["validate", "estimate.yaml"],
    ],
)
def test_an_unreadable_input_is_exit_1_not_a_usage_error(unreadable: Path, args: list[str]) -> None:
    estimate_naming(unreadable, "card.yaml")
    code, out, err = run(*args)
    assert code == 1
    shown = "card.yaml" if "--rates" in args else "estimate.yaml"
    assert f"{shown}: error: cannot read: Permission denied\n" in (err + out)
    assert "Usage:" not in err


def _drop_file_permission_override() -> None:
    """In the child, before exec: lose root's right to read any file (CAP_DAC_*)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        libc.prctl(24, capability, 0, 0, 0)  # PR_CAPBSET_DROP


def test_an_unreadable_estimate_is_exit_1_in_a_real_process(here: Path) -> None:
    (here / "estimate.yaml").chmod(0)
    drop = _drop_file_permission_override if os.geteuid() == 0 else None
    done = process("quote", "estimate.yaml", cwd=here, preexec_fn=drop)
    one_error(done, f"estimate.yaml: error: cannot read: {os.strerror(errno.EACCES)}")


# -- -o: the format from the extension ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("q.json", "json"),
        ("q.csv", "csv"),
        ("q.md", "markdown"),
        ("q.html", "html"),
        ("q.htm", "html"),
        ("Q.HTML", "html"),
        ("q.txt", "table"),
    ],
)
def test_o_takes_the_format_from_the_extension(here: Path, name: str, fmt: str) -> None:
    code, _, err = run("quote", "estimate.yaml", "-o", name)
    assert (code, err) == (0, "")
    code, expected, _ = run("quote", "estimate.yaml", "--format", fmt)
    assert code == 0
    assert (here / name).read_bytes().decode("utf-8") == expected


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["-o", "q.html", "--format", "table"], "'q.html' is html by its extension, not table"),
        (["-o", "q.csv", "--format", "json"], "'q.csv' is csv by its extension, not json"),
        (["-o", "q.txt", "--format", "html"], "'q.txt' is table by its extension, not html"),
        (["-o", "q.dat"], "cannot tell the format from 'q.dat'"),
        (["-o", "quote"], "cannot tell the format from 'quote'"),
        (["--format", "pdf"], "a PDF is written to a file: add -o FILE.pdf"),
        (["-o", "q.pdf", "--format", "html"], "'q.pdf' is pdf by its extension, not html"),
        (["-o", "q.html", "--format", "pdf"], "'q.html' is html by its extension, not pdf"),
        (
            ["--format", "yaml"],
            "'yaml' is not a format; choose one of table, json, markdown, html, pdf, note, csv",
        ),
    ],
)
def test_a_format_that_cannot_be_told_or_contradicts_is_exit_2(
    here: Path, args: list[str], says: str
) -> None:
    code, out, err = run("quote", "estimate.yaml", *args)
    assert (code, out) == (2, "")
    assert says in err
    assert sorted(p.name for p in here.iterdir()) == ["card.yaml", "estimate.yaml"]


def test_nothing_is_written_on_a_format_usage_error(here: Path) -> None:
    before = sorted(here.iterdir())
    assert run("quote", "estimate.yaml", "-o", "q.html", "--format", "table")[0] == 2
    assert sorted(here.iterdir()) == before


@pytest.mark.parametrize(
    ("args", "fmt"),
    [
        (["-o", "q.dat", "--format", "json"], "json"),  # no known extension: --format decides
        (["-o", "note.txt", "--format", "note"], "note"),  # a cover note is plain text too
        (["-o", "q.json", "--format", "json"], "json"),
    ],
)
def test_a_format_that_agrees_with_the_extension_is_written(
    here: Path, args: list[str], fmt: str
) -> None:
    code, _, err = run("quote", "estimate.yaml", *args)
    assert (code, err) == (0, "")
    expected = run("quote", "estimate.yaml", "--format", fmt)[1]
    assert (here / args[1]).read_text(encoding="utf-8") == expected


# -- -o --force: only over a regular file ----------------------------------------------------


def test_force_onto_a_fifo_is_exit_3_and_leaves_it(here: Path) -> None:
    os.mkfifo(here / "q.json")
    done = process("quote", "estimate.yaml", "-o", "q.json", "--force", cwd=here)
    assert done.returncode == 3
    assert (
        done.stderr
        == b"q.json: error: is a FIFO (named pipe), not a file; nrecalc writes only regular files\n"
    )
    assert stat.S_ISFIFO(os.lstat(here / "q.json").st_mode)
    assert sorted(p.name for p in here.iterdir()) == ["card.yaml", "estimate.yaml", "q.json"]


def test_force_onto_a_folder_is_exit_3(here: Path) -> None:
    (here / "q.json").mkdir()
    code, _, err = run("quote", "estimate.yaml", "-o", "q.json", "--force")
    assert (code, err) == (3, "q.json: error: is a folder; give a file name\n")
    assert (here / "q.json").is_dir()


def test_force_onto_a_link_to_a_device_is_exit_3_and_touches_nothing(here: Path) -> None:
    # A link, so that even a broken nrecalc would replace the link here, never /dev/null.
    (here / "q.json").symlink_to(os.devnull)
    code, _, err = run("quote", "estimate.yaml", "-o", "q.json", "--force")
    assert code == 3
    assert (
        err
        == "q.json: error: is a device or socket, not a file; nrecalc writes only regular files\n"
    )
    assert os.readlink(here / "q.json") == os.devnull
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_force_onto_a_link_to_nothing_is_exit_3(here: Path) -> None:
    (here / "q.json").symlink_to(here / "missing.json")
    code, _, err = run("quote", "estimate.yaml", "-o", "q.json", "--force")
    assert (code, err) == (3, "q.json: error: is a link to nothing; remove it first\n")
    assert not (here / "missing.json").exists()


def test_force_onto_a_link_to_a_file_replaces_the_link(here: Path) -> None:
    (here / "real.json").write_text("old", encoding="utf-8")
    (here / "q.json").symlink_to("real.json")
    assert run("quote", "estimate.yaml", "-o", "q.json", "--force")[0] == 0
    assert (here / "real.json").read_text(encoding="utf-8") == "old"
    assert not (here / "q.json").is_symlink()


@pytest.mark.parametrize(("before", "after"), [(0o4755, 0o755), (0o7775, 0o775), (0o640, 0o640)])
def test_a_replaced_file_keeps_its_mode_without_setuid_setgid_sticky(
    here: Path, before: int, after: int
) -> None:
    target = here / "q.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(before)
    assert stat.S_IMODE(target.stat().st_mode) == before
    assert run("quote", "estimate.yaml", "-o", "q.json", "--force")[0] == 0
    assert target.read_text(encoding="utf-8").startswith("{")
    assert stat.S_IMODE(target.stat().st_mode) == after


def test_a_target_name_of_255_bytes_is_written(here: Path) -> None:
    name = "q" * 250 + ".json"
    assert len(name.encode()) == 255
    code, _, err = run("quote", "estimate.yaml", "-o", name)
    assert (code, err) == (0, "")
    assert (here / name).read_text(encoding="utf-8").startswith("{")
    code, _, err = run("quote", "estimate.yaml", "-o", name, "--force")
    assert (code, err) == (0, "")
    assert [p.name for p in here.iterdir() if p.name.startswith(".")] == []


# A child that writes with write_atomic and stops inside it (in fsync) until the test signals it.
_STALLED_WRITER = """
import os, sys
from pathlib import Path
import nrecalc.output as output

hold = int(sys.argv[2])

def stall(fd):
    sys.stdout.write("writing\\n")
    sys.stdout.flush()
    os.read(hold, 1)  # never comes: the test sends a signal instead

output.os.fsync = stall
output.write_atomic(Path(sys.argv[1]), "new text\\n", force=True)
sys.stdout.write("finished\\n")
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_while_writing_removes_the_temp_file(tmp_path: Path, signum: int) -> None:
    target = tmp_path / "q.json"
    target.write_text("old text\n", encoding="utf-8")
    hold, keep = os.pipe()
    try:
        child = subprocess.Popen(
            [sys.executable, "-c", _STALLED_WRITER, str(target), str(hold)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            pass_fds=(hold,),
            cwd=ROOT,
        )
        assert child.stdout is not None
        assert child.stdout.readline() == b"writing\n"
        assert len(list(tmp_path.glob(".nrecalc-*.tmp"))) == 1  # caught in the act
        child.send_signal(signum)
        _, err = child.communicate(timeout=TIMEOUT)
    finally:
        os.close(hold)
        os.close(keep)
    assert child.returncode == -signum  # died of the signal, as the shell expects
    assert b"Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q.json"]
    assert target.read_text(encoding="utf-8") == "old text\n"


def test_the_signal_handlers_are_restored_after_writing(here: Path) -> None:
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    before = [signal.getsignal(signum) for signum in signals]
    assert run("quote", "estimate.yaml", "-o", "q.json")[0] == 0
    assert [signal.getsignal(signum) for signum in signals] == before


# -- stdout closed, full or a broken pipe: exit 3, never a traceback -------------------------


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("doc") / "q.md"
    done = process("quote", ESTIMATE, "-o", path)
    assert done.returncode == 0
    return path


COMMANDS = {
    "quote": ["quote", str(ESTIMATE)],
    "quote html": ["quote", str(ESTIMATE), "--format", "html"],  # every format: write_stdout
    "validate": ["validate", str(ESTIMATE)],
    "schema": ["schema", "estimate"],
    "verify": ["verify", "DOCUMENT", str(ESTIMATE)],
    "--help": ["--help"],
    "quote --help": ["quote", "--help"],
    "--version": ["--version"],
}


def command(name: str, document: Path) -> list[str]:
    return [str(document) if arg == "DOCUMENT" else arg for arg in COMMANDS[name]]


def _close_stdout() -> None:
    os.close(1)


STDOUTS = ("closed", "full", "broken")


@pytest.fixture(scope="module")
def stdout_runs(document: Path) -> dict[tuple[str, str], tuple[int, bytes]]:
    """Run every command with each bad stdout, all at once: (stdout, command) -> (exit, stderr)."""
    reader, broken = os.pipe()
    os.close(reader)  # the reader has left
    full = os.open("/dev/full", os.O_WRONLY)  # writes fail; the device itself never changes
    running = {}
    try:
        for kind in STDOUTS:
            for name in COMMANDS:
                running[kind, name] = subprocess.Popen(
                    [sys.executable, "-m", "nrecalc", *command(name, document)],
                    stdin=subprocess.DEVNULL,
                    stdout={"closed": None, "full": full, "broken": broken}[kind],
                    stderr=subprocess.PIPE,
                    cwd=ROOT,
                    preexec_fn=_close_stdout if kind == "closed" else None,
                )
    finally:
        os.close(broken)
        os.close(full)
    done = {}
    for key, child in running.items():
        _, err = child.communicate(timeout=TIMEOUT)
        done[key] = (child.returncode, err)
    return done


@pytest.mark.parametrize("name", COMMANDS)
def test_a_closed_stdout_is_exit_3(
    name: str, stdout_runs: dict[tuple[str, str], tuple[int, bytes]]
) -> None:
    assert stdout_runs["closed", name] == (
        3,
        f"<stdout>: error: cannot write: {os.strerror(errno.EBADF)}\n".encode(),
    )


@pytest.mark.parametrize("name", COMMANDS)
def test_a_full_stdout_is_exit_3(
    name: str, stdout_runs: dict[tuple[str, str], tuple[int, bytes]]
) -> None:
    assert stdout_runs["full", name] == (
        3,
        f"<stdout>: error: cannot write: {os.strerror(errno.ENOSPC)}\n".encode(),
    )


@pytest.mark.parametrize("name", COMMANDS)
def test_a_broken_pipe_is_exit_3_and_quiet(
    name: str, stdout_runs: dict[tuple[str, str], tuple[int, bytes]]
) -> None:
    assert stdout_runs["broken", name] == (3, b"")


def test_a_broken_pipe_into_head_is_quiet(document: Path) -> None:
    nrecalc = f'"{sys.executable}" -m nrecalc'
    script = f"{nrecalc} schema estimate | head -c 1 >/dev/null; exit ${{PIPESTATUS[0]}}"
    done = subprocess.run(
        ["bash", "-c", script], capture_output=True, timeout=TIMEOUT, cwd=ROOT, check=False
    )
    assert done.returncode in (0, 3)  # 0 when the pipe took it all before head left
    assert done.stderr == b""


def test_a_terminal_that_went_away_is_exit_3() -> None:
    # The rich path: stdout is a terminal, and its other side is closed (a closed window).
    leader, follower = pty.openpty()
    os.close(leader)
    try:
        env_done = subprocess.run(
            [sys.executable, "-m", "nrecalc", "quote", str(ESTIMATE)],
            stdin=subprocess.DEVNULL,
            stdout=follower,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            timeout=TIMEOUT,
            env={**{k: v for k, v in os.environ.items() if k != "NO_COLOR"}, "TERM": "xterm"},
        )
    finally:
        os.close(follower)
    assert env_done.returncode == 3
    assert env_done.stderr.startswith(b"<stdout>: error: cannot write: ")
    assert env_done.stderr.count(b"\n") == 1


def test_quote_with_o_needs_no_stdout(here: Path) -> None:
    done = process(
        "quote", "estimate.yaml", "-o", "q.json", cwd=here, stdout=None, preexec_fn=_close_stdout
    )
    assert (done.returncode, done.stderr) == (0, b"")
    assert (here / "q.json").read_text(encoding="utf-8").startswith("{")


def test_a_usage_error_with_a_full_stderr_stays_exit_2() -> None:
    with open("/dev/full", "wb") as full:
        done = process("quote", stderr=full.fileno())
    assert (done.returncode, done.stdout) == (2, b"")


def test_a_warning_with_a_closed_stderr_does_not_crash(here: Path) -> None:
    done = process(
        "quote",
        "estimate.yaml",
        "--format",
        "json",
        cwd=here,
        stderr=None,
        preexec_fn=lambda: os.close(2),
    )
    assert done.returncode == 0
    assert done.stdout.startswith(b"{")


# -- usage lines -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["quote", "validate", "schema", "verify", "report"])
def test_help_names_its_values_plainly_and_shows_an_example(name: str) -> None:
    code, out, _ = run(name, "--help")
    assert code == 0
    assert "{" not in out and "}" not in out  # no {ESTIMATE}
    assert "<str>" not in out and "list[" not in out
    assert f"nrecalc {name} " in out.split("Example", 1)[1]


def test_quote_help_names_the_confidence_level() -> None:
    out = run("quote", "--help")[1]
    assert "--confidence LEVEL" in out
    assert "-o, --output FILE" in out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["quote", str(ESTIMATE), "--audience", "boss"], "'boss' is not one of customer, internal"),
        (["schema", "card"], "'card' is not one of rate-card, estimate"),
        (["validate", str(ESTIMATE), "--format", "xml"], "'xml' is not one of text, json, github"),
        (["report", str(ESTIMATE), "--format", "csv"], "'csv' is not one of table, json, markdown"),
    ],
)
def test_a_wrong_choice_names_the_choices(args: list[str], says: str) -> None:
    code, _, err = run(*args)
    assert code == 2
    assert says in err


def test_a_file_name_in_a_usage_line_is_shown_inert(here: Path) -> None:
    code, _, err = run("quote", "estimate.yaml", "-o", "a\x1b]52;c;eA==\x07.dat")
    assert code == 2
    assert "cannot tell the format from 'a\\x1b]52;c;eA==\\x07.dat'" in err
    assert "\x1b" not in err and "\x07" not in err
    code, _, err = run("quote", "estimate.yaml", "--audience", "\x1b[31mred")
    assert code == 2
    assert "\x1b" not in err


@pytest.mark.parametrize("fmt", ["json", "markdown", "table"])
def test_output_larger_than_the_pipe_into_head_is_exit_3(tmp_path: Path, fmt: str) -> None:
    # More than a pipe holds (64 KiB): the reader leaves part-way through one write, which a
    # buffered stream reports as a short write, not an error. It must still be exit 3.
    text = ESTIMATE.read_text(encoding="utf-8")
    head, tail = text.split("  build:", 1)
    first_line = tail.index("\n") + 1
    lines = "".join(
        f"    - task: Connector part {i} {'x' * 150}\n"
        "      role: engineer\n      engineers: 1\n      weeks: 1\n"
        for i in range(900)
    )
    big = tmp_path / "big.yaml"
    big.write_text(f"{head}  build:{tail[:first_line]}{lines}{tail[first_line:]}", "utf-8")
    (tmp_path / "rates").mkdir()
    shutil.copy(ROOT / "rates" / "default.yaml", tmp_path / "rates" / "default.yaml")
    nrecalc = f'"{sys.executable}" -m nrecalc quote big.yaml --format {fmt}'
    whole = subprocess.run(
        ["bash", "-c", f"{nrecalc} | wc -c"], capture_output=True, cwd=tmp_path, timeout=TIMEOUT
    )
    assert int(whole.stdout) > 128 * 1024  # twice what a pipe holds
    script = f"{nrecalc} | head -c 1 >/dev/null; exit ${{PIPESTATUS[0]}}"
    done = subprocess.run(
        ["bash", "-c", script], capture_output=True, timeout=TIMEOUT, cwd=tmp_path, check=False
    )
    assert (done.returncode, done.stderr) == (3, b"")


def test_a_format_clash_is_told_before_an_existing_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("Q.html").write_text("old\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["quote", str(ESTIMATE), "-o", "Q.html", "--format", "table"])
    assert result.exit_code == 2
    assert "Q.html" in result.stderr and "already exists" not in result.stderr
    result = CliRunner().invoke(app, ["quote", str(ESTIMATE), "-o", "Q.html"])
    assert (result.exit_code, result.stderr) == (
        3,
        "Q.html: error: already exists; use --force to overwrite it\n",
    )
    assert Path("Q.html").read_text(encoding="utf-8") == "old\n"
