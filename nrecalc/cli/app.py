"""The Typer app and what every command shares: usage errors, exit codes, error lines."""

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from .. import __version__

if TYPE_CHECKING:
    from enum import Enum

    E = TypeVar("E", bound=Enum)


@contextmanager
def _inert_usage() -> Iterator[None]:
    """Escape what the user typed in a usage error (`No such option: -<ESC>…`) before it shows."""
    try:
        yield
    except Exception as exc:  # click's UsageError, from click or typer's own copy; re-raised
        message = getattr(exc, "message", None)
        if isinstance(message, str):
            from ..escape import printable

            exc.message = "\n".join(map(printable, message.split("\n")))  # type: ignore[attr-defined]
        raise


class _Group(typer.core.TyperGroup):
    """The command group; an unknown command or option is shown inert."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        with _inert_usage():
            return super().parse_args(ctx, args)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        with _inert_usage():
            return super().resolve_command(ctx, args)


class Command(typer.core.TyperCommand):
    """A command whose usage line names its arguments plainly: ESTIMATE, not {ESTIMATE}."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        with _inert_usage():
            return super().parse_args(ctx, args)

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)
        return [p[1:].replace("}", "", 1) if p.startswith("{") else p for p in pieces]

    def get_help(self, ctx: Any) -> str:
        # Some typer versions show an argument's Python type: KIND <str>, PATH <list[Path]>.
        import re

        text: str = super().get_help(ctx)
        return re.sub(
            r" <(list\[)?\w+\]?>(?= )", lambda m: ("..." if m[1] else "").ljust(len(m[0])), text
        )


app = typer.Typer(
    name="nrecalc",
    cls=_Group,
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from ..output import write_stdout

        write_stdout(f"nrecalc {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Price custom engineering work exactly, beside the standard-platform option.

    \b
    Example:
      nrecalc quote examples/reverse-push.yaml
    """


@contextmanager
def exit_codes() -> Iterator[None]:
    """Turn nrecalc's errors into lines on stderr and their exit codes."""
    from ..errors import NrecalcError
    from ..output import StdoutError

    collect_garbage()
    try:
        yield
    except StdoutError:
        raise  # main tells it, once, however it came (see main)
    except NrecalcError as exc:
        tell(exc.problems)
        raise typer.Exit(exc.exit_code) from None


def collect_garbage() -> None:
    """Turn the cyclic garbage collector back on once the libraries are in (see __main__)."""
    import gc

    if not gc.isenabled():
        gc.freeze()  # what start-up made lives to the end: leave it out of every collection
        gc.enable()


def tell(problems: Sequence[object]) -> None:
    if sys.stderr is None:  # closed: the exit status still tells
        return
    with suppress(OSError):  # stderr full or gone: nowhere left to tell; the status still does
        for problem in problems:
            sys.stderr.write(f"{problem}\n")
        sys.stderr.flush()


def choice(kind: "type[E]", text: str, option: str) -> "E":
    """Read one of an enumeration's values; another word is a usage error naming them all."""
    try:
        return kind(text)
    except ValueError:
        from ..escape import printable

        choices = ", ".join(str(each.value) for each in kind)
        message = f"'{printable(text)}' is not one of {choices}"
        raise typer.BadParameter(message, param_hint=option) from None


def path_argument(help: str, metavar: str) -> Any:
    """An argument naming a file: read by the loader, so that an unreadable one is exit 1."""
    return typer.Argument(help=help, metavar=metavar, show_default=False, readable=False)


# --- shell completion (bash, zsh, fish: nrecalc --install-completion) -------------------------
# Each callback runs only when the shell asks (_NRECALC_COMPLETE in the environment), and
# imports nothing at start-up: the commands' start-up does not pay for completion. Where a file
# is expected, nrecalc offers nothing and the shell completes file names itself.


# A candidate the shells take as one word as it is: bash pastes it into the line raw (where
# `$(...)` would run and a space split it), zsh escapes it itself, so no quoting suits both.
SAFE_WORD = r"[A-Za-z0-9][A-Za-z0-9._+-]*"


def safe_word(text: str) -> bool:
    """Tell whether text may be offered as a completion: one word in every shell, as it is."""
    import re

    return re.fullmatch(SAFE_WORD, text) is not None


def complete_values(*choices: "Enum") -> Callable[[str], list[str]]:
    """Make a callback that completes one of these choices' values (a format, a language)."""
    values = [str(choice.value) for choice in choices]

    def complete(incomplete: str) -> list[str]:
        return [value for value in values if value.startswith(incomplete)]

    return complete


def language_option() -> Any:
    """--lang of the commands whose table and Markdown are in en or zh-CN (diff, report)."""
    from ..choices import Language

    return typer.Option(
        "--lang",
        help="Table and Markdown in en (default) or zh-CN.",
        metavar="LANG",
        autocompletion=complete_values(Language.en, Language.zh),
    )
