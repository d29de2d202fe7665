"""The command line: parse options, call the core once, print, map errors to exit codes."""

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from . import __version__
from .render import Audience, Format, Kind, ReportFormat, default_audience

if TYPE_CHECKING:
    from decimal import Decimal

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
            help="table for the terminal, json for scripts, csv for spreadsheets, markdown or "
            "html for the contract appendix, note for a cover e-mail.",
        ),
    ] = Format.table,
    confidence: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--confidence",
            help="Price effort ranges at this confidence level, from 0.5 (the mean) to 0.999, "
            "instead of the estimate's (default 0.8).",
            show_default=False,
        ),
    ] = None,
    explain: Annotated[
        bool,
        typer.Option("--explain", help="Add each figure's formula and inputs to the table."),
    ] = False,
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
      nrecalc quote examples/telemetry-bridge.yaml --explain --confidence 0.9
      nrecalc quote examples/telemetry-bridge.yaml --format csv -o quote.csv
      nrecalc quote my-request.yaml --rates rates/2027.yaml
    """
    from .catalog import make_quote
    from .output import colour_terminal, write_atomic, write_stdout
    from .render import render

    _check_format(fmt, audience, template, explain)
    level = _confidence(confidence)
    with _exit_codes():
        company = None
        if template is not None:
            from .render.document import load_template

            company = load_template(template)
        result, warnings = make_quote(estimate, today=date.today(), rates=rates, confidence=level)
        _report(warnings)
        if output is not None:
            text = render(result, fmt, audience, company, explain=explain)
            write_atomic(output, text, force=force)
        elif fmt is Format.table and colour_terminal(sys.stdout):
            from .render.table import print_rich

            print_rich(result, audience or default_audience(fmt), explain=explain)
        else:
            write_stdout(render(result, fmt, audience, company, explain=explain))


def _confidence(text: str | None) -> "Decimal | None":
    """Read --confidence; a bad level is a usage error (exit 2)."""
    if text is None:
        return None
    from .models import parse_confidence

    try:
        return parse_confidence(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--confidence") from None


def _check_format(
    fmt: Format, audience: Audience | None, template: Path | None, explain: bool = False
) -> None:
    """Refuse combinations of options that make no sense, as usage errors (exit 2)."""
    if template is not None and not fmt.is_document:
        raise typer.BadParameter("needs --format markdown, html or note", param_hint="--template")
    if audience is not None and fmt in (Format.json, Format.csv):
        raise typer.BadParameter(
            f"{fmt.value} carries every figure, for scripts and spreadsheets; "
            "choose table, markdown, html or note",
            param_hint="--audience",
        )
    if explain and (fmt is not Format.table or audience is Audience.customer):
        raise typer.BadParameter(
            "explains the internal table (its formulas show rates and ratios); "
            "drop --format and --audience",
            param_hint="--explain",
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

    _collect_garbage()
    try:
        yield
    except NrecalcError as exc:
        _report(exc.problems)
        raise typer.Exit(exc.exit_code) from None


def _collect_garbage() -> None:
    """Turn the cyclic garbage collector back on once the libraries are in (see __main__)."""
    import gc

    if not gc.isenabled():
        gc.freeze()  # what start-up made lives to the end: leave it out of every collection
        gc.enable()


def _report(problems: Sequence[object]) -> None:
    for problem in problems:
        sys.stderr.write(f"{problem}\n")


def main() -> None:
    """Run the nrecalc command line."""
    app(prog_name="nrecalc")
