"""The command line: parse options, call the core once, print, map errors to exit codes."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .render import Format

app = typer.Typer(
    name="nrecalc",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        print(f"nrecalc {__version__}")
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


@app.command()
def quote(
    estimate: Annotated[
        Path, typer.Argument(help="The estimate YAML file.", metavar="ESTIMATE", show_default=False)
    ],
    rates: Annotated[
        Optional[Path],  # noqa: UP045 - typer needs Optional on Python 3.10
        typer.Option(
            "--rates", help="Rate card file to use instead of the one the estimate names."
        ),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--output", "-o", help="Write to this file (atomically) instead of stdout."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the -o file if it exists.")
    ] = False,
) -> None:
    """Price an estimate: the custom work beside the standard option.

    \b
    Examples:
      nrecalc quote examples/reverse-push.yaml
      nrecalc quote examples/reverse-push.yaml --format json -o quote.json
      nrecalc quote my-request.yaml --rates rates/2027.yaml
    """
    from .catalog import make_quote
    from .errors import NrecalcError
    from .output import colour_terminal, write_atomic, write_stdout
    from .render import render

    try:
        result, warnings = make_quote(estimate, today=date.today(), rates=rates)
        _report(warnings)
        if output is not None:
            write_atomic(output, render(result, fmt), force=force)
        elif fmt is Format.table and colour_terminal(sys.stdout):
            from .render.table import print_rich

            print_rich(result)
        else:
            write_stdout(render(result, fmt))
    except NrecalcError as exc:
        _report(exc.problems)
        raise typer.Exit(exc.exit_code) from None


def _report(problems: Sequence[object]) -> None:
    for problem in problems:
        sys.stderr.write(f"{problem}\n")


def main() -> None:
    """Run the nrecalc command line."""
    app(prog_name="nrecalc")
