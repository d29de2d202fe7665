"""The command line: parse options, call the core once, print, map errors to exit codes."""

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .render import Audience, Format, Kind, ReportFormat, default_audience

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
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            help="table for the terminal, json for scripts, markdown or html for the contract "
            "appendix, note for a cover e-mail.",
        ),
    ] = Format.table,
    audience: Annotated[
        Optional[Audience],  # noqa: UP045
        typer.Option(
            "--audience",
            help="customer hides rates per role, ratios and approval flags. "
            "Default: customer for documents, internal for the table.",
            show_default=False,
        ),
    ] = None,
    template: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--template",
            help="A company's own Jinja2 template for markdown, html or note "
            "(see docs/documents.md).",
        ),
    ] = None,
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
      nrecalc quote examples/reverse-push.yaml --format html -o Q-2026-0042.html
      nrecalc quote examples/reverse-push.yaml --format note
      nrecalc quote my-request.yaml --rates rates/2027.yaml
    """
    from .catalog import make_quote
    from .output import colour_terminal, write_atomic, write_stdout
    from .render import render

    _check_format(fmt, audience, template)
    with _exit_codes():
        company = None
        if template is not None:
            from .render.document import load_template

            company = load_template(template)
        result, warnings = make_quote(estimate, today=date.today(), rates=rates)
        _report(warnings)
        if output is not None:
            write_atomic(output, render(result, fmt, audience, company), force=force)
        elif fmt is Format.table and colour_terminal(sys.stdout):
            from .render.table import print_rich

            print_rich(result, audience or default_audience(fmt))
        else:
            write_stdout(render(result, fmt, audience, company))


def _check_format(fmt: Format, audience: Audience | None, template: Path | None) -> None:
    """Refuse combinations of options that make no sense, as usage errors (exit 2)."""
    if template is not None and not fmt.is_document:
        raise typer.BadParameter("needs --format markdown, html or note", param_hint="--template")
    if audience is not None and fmt is Format.json:
        raise typer.BadParameter(
            "JSON is for scripts and carries every figure; choose table, markdown, html or note",
            param_hint="--audience",
        )
    if audience is Audience.internal and fmt is Format.note and template is None:
        raise typer.BadParameter(
            "the cover note is written to the customer", param_hint="--audience"
        )


@app.command()
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Rate cards, estimates, or folders to search for *.yaml / *.yml."),
    ],
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help="text for people, json, or github annotations.")
    ] = ReportFormat.text,
    skip_foreign: Annotated[
        bool,
        typer.Option(
            "--skip-foreign",
            help="Skip YAML that is not an nrecalc file even when named (for pre-commit).",
        ),
    ] = False,
) -> None:
    """Check rate cards and estimates, for CI: every problem, exit 1 if any.

    \b
    Examples:
      nrecalc validate rates examples
      nrecalc validate . --format github
    """
    from .output import write_stdout
    from .validate import render_report, validate_paths

    with _exit_codes():
        report = validate_paths(paths, today=date.today(), skip_foreign=skip_foreign)
        _report(report.notices)
        write_stdout(render_report(report, fmt))
    raise typer.Exit(1 if report.errors else 0)


@app.command()
def schema(
    kind: Annotated[Kind, typer.Argument(help="Which file kind.", show_default=False)],
) -> None:
    """Print the JSON Schema (draft 2020-12) of a file kind, for editors and other tools.

    \b
    Examples:
      nrecalc schema estimate > estimate.schema.json
      nrecalc schema rate-card > rate-card.schema.json
    """
    import json

    from .models import json_schema
    from .output import write_stdout

    with _exit_codes():
        write_stdout(json.dumps(json_schema(kind.value), indent=2, ensure_ascii=False) + "\n")


@app.command()
def verify(
    document: Annotated[
        Path,
        typer.Argument(
            help="A Markdown or HTML document made by nrecalc quote.", show_default=False
        ),
    ],
    estimate: Annotated[
        Path, typer.Argument(help="The estimate it was made from.", show_default=False)
    ],
    rates: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--rates", help="The rate card file, if the document was made with --rates."),
    ] = None,
    template: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--template", help="The company template, if the document was made with one."),
    ] = None,
) -> None:
    """Check that a document still matches a fresh quote: exit 0 if so, 1 naming what differs.

    \b
    Examples:
      nrecalc verify Q-2026-0042.html examples/reverse-push.yaml
      nrecalc verify appendix.md request.yaml --rates rates/2026.yaml
    """
    from .output import write_stdout
    from .verify import verify as check

    with _exit_codes():
        verdict = check(document, estimate, rates=rates, template=template)
        _report(verdict.notices)
        lines = [*map(str, verdict.differences), verdict.summary]
        write_stdout("".join(f"{line}\n" for line in lines))
    raise typer.Exit(1 if verdict.differences else 0)


@contextmanager
def _exit_codes() -> Iterator[None]:
    """Turn nrecalc's errors into lines on stderr and their exit codes."""
    from .errors import NrecalcError

    try:
        yield
    except NrecalcError as exc:
        _report(exc.problems)
        raise typer.Exit(exc.exit_code) from None


def _report(problems: Sequence[object]) -> None:
    for problem in problems:
        sys.stderr.write(f"{problem}\n")


def main() -> None:
    """Run the nrecalc command line."""
    app(prog_name="nrecalc")
