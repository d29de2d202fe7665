"""Write a rendered document atomically, never over an existing file without force; guard stdout."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from .choices import Format
from .errors import OutputError, Problem
from .escape import printable

if TYPE_CHECKING:
    from types import FrameType

# The formats -o can tell from a file name; .txt is the plain table (or, when asked, the note).
EXTENSIONS = {
    ".json": Format.json,
    ".csv": Format.csv,
    ".md": Format.markdown,
    ".html": Format.html,
    ".htm": Format.html,
    ".pdf": Format.pdf,
    ".txt": Format.table,
}
_ALSO = {".txt": (Format.note,)}  # a cover note is plain text too
# An id names a file: no folder, no hidden file, nothing a file system or a shell trips on.
_FILE_NAME = re.compile(r"[\w][\w.+=@,()\[\] -]{0,199}")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10))}


def id_file_problem(quote_id: str, what: str) -> str | None:
    """Say why a quote's id cannot name a file (what: "the document's file"), or None."""
    reserved = quote_id.split(".")[0].upper() in _RESERVED  # CON, NUL: devices on Windows
    too_long = len(quote_id.encode("utf-8")) > 200  # a file name is at most 255 bytes
    if not _FILE_NAME.fullmatch(quote_id) or quote_id.endswith((".", " ")) or reserved or too_long:
        return (
            f"{quote_id!r} cannot name {what}; use letters, digits and - _ . "
            "(as Q-2026-0042), starting with a letter or a digit"
        )
    return None


class FormatChoiceError(ValueError):
    """--format and -o disagree, or neither says the format; option names the one to blame."""

    def __init__(self, message: str, option: str) -> None:
        super().__init__(message)
        self.option = option


def choose_format(given: str | None, target: Path | None) -> Format:
    """Return the format of --format, or of -o's extension; refuse a contradiction."""
    choices = ", ".join(f.value for f in Format)
    fmt = None
    if given is not None:
        try:
            fmt = Format(given)
        except ValueError:
            raise FormatChoiceError(
                f"'{printable(given)}' is not a format; choose one of {choices}", "--format"
            ) from None
    if target is None:
        return fmt or Format.table
    suffix = target.suffix.lower()
    implied = EXTENSIONS.get(suffix)
    if fmt is None:
        if implied is None:
            names = " ".join(EXTENSIONS)
            raise FormatChoiceError(
                f"cannot tell the format from '{printable(target.name)}'; "
                f"end it in one of {names} "
                "or give --format",
                "--output",
            )
        return implied
    if implied is not None and fmt is not implied and fmt not in _ALSO.get(suffix, ()):
        raise FormatChoiceError(
            f"'{printable(target.name)}' is {implied.value} by its extension, not {fmt.value}; "
            "change one of the two",
            "--format",
        )
    return fmt


def write_atomic(path: Path, text: str | bytes, *, force: bool = False) -> None:
    """Write text (as UTF-8) or bytes to path via a temp file in its folder and a rename.

    Raise OutputError.
    """
    shown = str(path)
    data = text.encode("utf-8") if isinstance(text, str) else text
    mode = check_target(path, force=force)
    with _removed_on_signal() as temps:
        temp = _create_temp(path.parent, shown, temps)
        try:
            with os.fdopen(temp.fd, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            if mode is not None:
                # The old file's permissions, but never setuid, setgid or sticky.
                with contextlib.suppress(OSError):
                    os.chmod(temp.path, mode & 0o777)
                os.replace(temp.path, path)
            else:
                _publish_new(temp.path, path)
        except FileExistsError:
            _remove(temp.path)
            raise OutputError.at(shown, "already exists; use --force to overwrite it") from None
        except OSError as exc:
            _remove(temp.path)
            raise OutputError.at(shown, f"cannot write: {exc.strerror or exc}") from None
        except BaseException:
            _remove(temp.path)
            raise


def check_target(path: Path, *, force: bool = False) -> int | None:
    """Refuse a target that is not a regular file, or exists without force; return its mode.

    The mode is that of the file path names (following a link), None when there is none.
    """
    import stat

    shown = str(path)

    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.lexists(path):
            raise OutputError.at(shown, "is a link to nothing; remove it first") from None
        return None
    except OSError as exc:
        raise OutputError.at(shown, f"cannot write: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise OutputError.at(shown, "is a folder; give a file name")
    if not stat.S_ISREG(st.st_mode):
        what = "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else "a device or socket"
        raise OutputError.at(shown, f"is {what}, not a file; nrecalc writes only regular files")
    if not force:
        raise OutputError.at(shown, "already exists; use --force to overwrite it")
    return st.st_mode


class _Temp(NamedTuple):
    path: Path
    fd: int


def _create_temp(folder: Path, shown: str, temps: list[Path]) -> _Temp:
    # A short name of its own, not the target's name plus a suffix: a target name at the file
    # system's limit (255 bytes) must not make the temp name too long.
    for _ in range(100):
        temp = folder / f".nrecalc-{os.urandom(4).hex()}.tmp"
        try:
            # 0o666 through open() gives a new file the usual mode under the user's umask.
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError.at(shown, f"cannot write: {exc.strerror or exc}") from None
        temps.append(temp)
        return _Temp(temp, fd)
    raise OutputError.at(shown, "cannot write: no free temp file name in its folder")


class _Signalled(BaseException):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _removed_on_signal() -> Iterator[list[Path]]:
    """Remove the temp files listed if SIGINT, SIGTERM or SIGHUP comes, then die of it."""
    import signal
    import threading

    temps: list[Path] = []
    if threading.current_thread() is not threading.main_thread():
        yield temps  # only the main thread can take signals
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise _Signalled(signum)

    caught = [signal.SIGINT, signal.SIGTERM]
    if hasattr(signal, "SIGHUP"):  # a closed terminal; not on Windows
        caught.append(signal.SIGHUP)
    previous = {signum: signal.signal(signum, stop) for signum in caught}
    try:
        yield temps
    except _Signalled as exc:
        for signum in caught:  # a second signal now must not interrupt the clean-up
            signal.signal(signum, signal.SIG_IGN)
        for temp in temps:
            _remove(temp)
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        # Die of the signal, as if it had not been caught: the shell sees 130 or 143.
        signal.signal(exc.signum, signal.SIG_DFL)
        os.kill(os.getpid(), exc.signum)
        raise SystemExit(128 + exc.signum) from None
    finally:
        for signum, handler in previous.items():
            # None: a handler set outside Python, which cannot be put back; the default then
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)


def colour_terminal(stream: TextIO | None) -> bool:
    """Tell whether stream is a terminal that wants colour (no NO_COLOR, not TERM=dumb)."""
    if stream is None:
        return False
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


class StdoutError(OutputError):
    """Standard output is closed, full or a broken pipe (exit 3; quiet for a broken pipe)."""

    @classmethod
    def of(cls, exc: OSError) -> StdoutError:
        """Make (and remember) the error for a failed write: no line for a reader that left."""
        error = cls(
            []
            if exc.errno == errno.EPIPE
            else [Problem("<stdout>", f"cannot write: {exc.strerror or exc}")]
        )
        _failures.append(error)
        return error


# Every failed write to stdout, even one a library caught and dropped (click does, probing).
_failures: list[StdoutError] = []


def stdout_failure() -> StdoutError | None:
    """Return the first failed write to stdout in this process, if any."""
    return _failures[0] if _failures else None


class _Guarded:
    """Standard output whose failed writes raise StdoutError, which no library takes for its own.

    click turns a broken pipe into a quiet exit 1, and drops writes to a closed stdout.
    """

    def __init__(self, stream: TextIO | None) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if self._stream is None:
            raise StdoutError.of(OSError(errno.EBADF, os.strerror(errno.EBADF)))
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise StdoutError.of(exc) from None

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except OSError as exc:
            raise StdoutError.of(exc) from None

    def isatty(self) -> bool:
        return self._stream is not None and self._stream.isatty()

    def __getattr__(self, name: str) -> Any:
        if self._stream is None:
            raise AttributeError(name)
        return getattr(self._stream, name)


class _Mute:
    """Standard error whose failed writes are dropped: with stderr full or closed there is
    nowhere left to tell, and the exit status still does (a usage error stays exit 2)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        with contextlib.suppress(OSError):
            return self._stream.write(text)
        return len(text)

    def flush(self) -> None:
        with contextlib.suppress(OSError):
            self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def guard_stdout() -> None:
    """Make every write to stdout that fails raise StdoutError (see _Guarded), and to stderr
    pass quietly (see _Mute)."""
    if not isinstance(sys.stdout, _Guarded):
        sys.stdout = _Guarded(sys.stdout)
    if sys.stderr is not None and not isinstance(sys.stderr, _Mute):
        sys.stderr = _Mute(sys.stderr)


def silence_stdout() -> None:
    """Send what is still buffered for stdout to /dev/null, so exit flushes it quietly."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        fd = sys.stdout.fileno()  # not on CliRunner's stand-in: nothing to do there
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)


def write_stdout(text: str) -> None:
    """Write text to stdout as UTF-8, whatever its locale; raise StdoutError if it fails."""
    out = sys.stdout
    if out is None:
        raise StdoutError.of(OSError(errno.EBADF, os.strerror(errno.EBADF)))
    stream = getattr(out, "buffer", None)
    try:
        if stream is None:
            out.write(text)
            out.flush()
        else:
            out.flush()
            # A buffered write that fails part-way (a reader that left: `| head -c1`) returns
            # the bytes it wrote and keeps the error for the next call: write until all is out.
            rest = memoryview(text.encode("utf-8"))
            while rest:
                written = stream.write(rest)
                if not written:  # a non-blocking stdout that is full: wait until it takes more
                    import select

                    select.select([], [stream.fileno()], [])
                    continue
                rest = rest[written:]
            stream.flush()
    except OSError as exc:
        raise StdoutError.of(exc) from None


def _publish_new(temp: Path, path: Path) -> None:
    try:
        # link() fails if the name appeared meanwhile: never clobber a file we did not see.
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError:
        # Some file systems have no hard links; check again, then rename.
        if os.path.lexists(path):
            raise FileExistsError(path) from None
        os.replace(temp, path)
        return
    os.unlink(temp)


def _remove(temp: Path) -> None:
    with contextlib.suppress(OSError):
        temp.unlink()


def batch_format(given: str | None, output: Path | None, explain: bool) -> Format:
    """Return a batch's format: a document format writes a file each into the -o folder.

    A table, JSON or CSV summary goes to stdout, or to -o's file as for one estimate. Raise
    FormatChoiceError, naming the option to blame, for what does not go together.
    """
    if explain:
        raise FormatChoiceError("explains one quote's figures; give one estimate", "--explain")
    folder = output is not None and (output.is_dir() or not output.suffix)
    fmt = choose_format(given, None if folder else output)
    if fmt.is_document and output is None:
        message = f"several estimates make a {fmt.value} document each: add -o FOLDER"
        raise FormatChoiceError(message, "--format")
    if folder and not fmt.is_document:
        message = (
            "names a folder: give --format markdown, html, pdf or note for a document each, "
            "or a file name (.json .csv .txt) for the summary"
        )
        raise FormatChoiceError(message, "--output")
    if fmt.is_document and output is not None and not folder:  # out.html would be a folder
        message = "several estimates make a document each: give -o FOLDER and --format"
        raise FormatChoiceError(message, "--output")
    return fmt


def hold_standard_fds() -> None:
    """Put /dev/null on a closed stdin, stdout or stderr, so no file nrecalc opens lands there.

    sys.stdout stays None for a closed stdout: writing to it is still an error (exit 3).
    """
    import os

    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            os.open(os.devnull, os.O_RDWR)  # the lowest free descriptor: this one
