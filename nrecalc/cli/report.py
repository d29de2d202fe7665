"""`nrecalc report`: how quoted requests ended, what was won, which requests recur."""

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..choices import Language, ReviewFormat
from .app import Command, app, choice, complete_values, exit_codes, language_option, tell

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..errors import Problem
    from ..report import Report


@app.command(cls=Command)
def report(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Estimates, or folders to search for them (*.yaml / *.yml), as quote reads them.",
            metavar="PATH",
            show_default=False,
            readable=False,
        ),
    ],
    since: Annotated[
        Optional[str],  # noqa: UP045 - typer needs Optional on Python 3.10
        typer.Option("--since", help="First quote date of the period, YYYY-MM-DD.", metavar="D"),
    ] = None,
    until: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--until", help="Last quote date of the period, YYYY-MM-DD.", metavar="D"),
    ] = None,
    recurring: Annotated[
        int,
        typer.Option(
            "--recurring",
            help="A tag asked for this many times in the period is a productize candidate.",
            metavar="N",
        ),
    ] = 3,
    format_name: Annotated[
        str,
        typer.Option(
            "--format",
            help="table for people, json for scripts, markdown for a monthly review.",
            metavar="table|json|markdown",
            autocompletion=complete_values(*ReviewFormat),
        ),
    ] = ReviewFormat.table.value,
    lang: Annotated[
        Optional[str],  # noqa: UP045
        language_option(),
    ] = None,
) -> None:
    """Report how quoted requests ended, what was won, and which requests recur.

    \b
    Examples:
      nrecalc report examples/requests
      nrecalc report quotes/ --since 2026-10-01 --until 2026-10-31 --format markdown
      nrecalc report quotes/ --recurring 5 --format json
    """
    from ..report import gather, read

    fmt = choice(ReviewFormat, format_name, "--format")
    language = choice(Language, lang, "--lang") if lang else Language.en
    if recurring < 1:
        message = f"{recurring} is below 1: a tag is asked for once at least"
        raise typer.BadParameter(message, param_hint="--recurring")
    first, last = _day(since, "--since"), _day(until, "--until")
    if first is not None and last is not None and last < first:
        raise typer.BadParameter(f"{last} is before --since ({first})", param_hint="--until")
    today = date.today()
    with exit_codes():
        found = read(paths, today=today)
        tell([*found.notices, *found.problems])
        made = gather(found.requests, today=today, since=first, until=last, recurring=recurring)
        if found.requests or fmt is ReviewFormat.json:  # errors in JSON too
            _show(made, fmt, language.value, found.problems)
    raise typer.Exit(1 if found.problems else 0)


def _day(text: str | None, option: str) -> date | None:
    """Read --since or --until; a bad date is a usage error (exit 2)."""
    if text is None:
        return None
    from ..fields import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


def _show(made: "Report", fmt: ReviewFormat, language: str, errors: "Sequence[Problem]") -> None:
    """Print the report: on a terminal the table in colour and fitted to its width."""
    from ..output import colour_terminal, write_stdout
    from ..render import report as rendered

    terminal = fmt is ReviewFormat.table and sys.stdout is not None and sys.stdout.isatty()
    if terminal and colour_terminal(sys.stdout):
        rendered.print_rich(made, language)
        return
    import shutil

    width = shutil.get_terminal_size().columns if terminal else None
    write_stdout(rendered.render(made, fmt, language, width, errors))
