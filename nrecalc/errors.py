"""Errors a user can act on, each with the place in the input it is about."""

from __future__ import annotations

from typing import NamedTuple, TypeVar


class Problem(NamedTuple):
    """One problem in one file: where it is and what to do about it."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        place = safe_start(printable(self.path))
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        field = f"{printable(self.field)}: " if self.field else ""
        return f"{place}: {self.severity}: {field}{printable(self.message)}"


def safe_start(shown: str) -> str:
    """Put ./ before a relative path that could start a CI log command (::, ##[) or look blank.

    Report lines begin with a path; GitHub's runner reads a line whose text, after leading
    blanks, starts with :: as a workflow command.
    """
    if shown[:1] in (":", "#") or shown[:1].isspace():
        return f"./{shown}"
    return shown


def printable(text: str) -> str:
    """Escape what would break a one-line report: line breaks, control characters."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def inert_json(text: str) -> str:
    """Escape, as JSON does, what JSON leaves raw but is not printable (DEL, C1, Cf, U+2028).

    For JSON written with ensure_ascii=False: the result is the same JSON value, inert on a
    terminal.
    """
    return "\n".join(
        line
        if line.isprintable()
        else "".join(c if c.isprintable() else _json_escape(c) for c in line)
        for line in text.split("\n")
    )


def _json_escape(char: str) -> str:
    units = char.encode("utf-16-be")
    return "".join(f"\\u{units[i : i + 2].hex()}" for i in range(0, len(units), 2))


class NrecalcError(Exception):
    """The input cannot be used; carries every problem found (exit 1)."""

    exit_code = 1

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

    @classmethod
    def at(
        cls: type[E],
        path: str,
        message: str,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
    ) -> E:
        """Make an error with a single problem."""
        return cls([Problem(path, message, line, column, field)])


E = TypeVar("E", bound=NrecalcError)


class InputError(NrecalcError):
    """A file is missing, unreadable or invalid (exit 1)."""


class OutputError(NrecalcError):
    """The output cannot be written (exit 3)."""

    exit_code = 3
