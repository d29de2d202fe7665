"""Errors a user can act on, each with the place in the input it is about."""

from __future__ import annotations

from typing import NamedTuple, TypeVar

from .escape import line_start, printable


class Problem(NamedTuple):
    """One problem in one file: where it is and what to do about it."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        place = line_start(printable(self.path))
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        field = f"{printable(self.field)}: " if self.field else ""
        return f"{place}: {self.severity}: {field}{printable(self.message)}"


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


class SetupError(NrecalcError):
    """This machine lacks what an output needs: a package, a system library or a font (exit 1)."""


class OutputError(NrecalcError):
    """The output cannot be written (exit 3)."""

    exit_code = 3
