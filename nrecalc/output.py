"""Write a rendered document atomically, never over an existing file without force."""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
from pathlib import Path
from typing import TextIO

from .errors import OutputError


def write_atomic(path: Path, text: str, *, force: bool = False) -> None:
    """Write text to path via a temp file in its folder and a rename; raise OutputError."""
    shown = str(path)
    data = text.encode("utf-8")
    if os.path.isdir(path):  # False, not an error, when it cannot be looked at
        raise OutputError.at(shown, "is a folder; give a file name")
    exists = os.path.lexists(path)
    if exists and not force:
        raise OutputError.at(shown, "already exists; use --force to overwrite it")
    folder = path.parent
    temp = folder / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        # 0o666 through open() gives a new file the usual mode under the user's umask.
        handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise OutputError.at(shown, f"cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if exists:
            with contextlib.suppress(OSError):
                os.chmod(temp, os.stat(path).st_mode & 0o7777)
            os.replace(temp, path)
        else:
            _publish_new(temp, path)
    except FileExistsError:
        _remove(temp)
        raise OutputError.at(shown, "already exists; use --force to overwrite it") from None
    except OSError as exc:
        _remove(temp)
        raise OutputError.at(shown, f"cannot write: {exc.strerror or exc}") from None
    except BaseException:
        _remove(temp)
        raise


def colour_terminal(stream: TextIO) -> bool:
    """Tell whether stream is a terminal that wants colour (no NO_COLOR, not TERM=dumb)."""
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def write_stdout(text: str) -> None:
    """Write text to stdout as UTF-8, whatever its locale; raise OutputError if it fails."""
    stream = getattr(sys.stdout, "buffer", None)
    try:
        if stream is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            sys.stdout.flush()
            stream.write(text.encode("utf-8"))
            stream.flush()
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            # The reader left (`| head`): send what Python flushes at exit to /dev/null.
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise OutputError.at("<stdout>", f"cannot write: {exc.strerror or exc}") from None


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
