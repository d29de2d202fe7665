"""`nrecalc quote`: one estimate, or many (a summary, or a document each)."""

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from ..choices import Audience, Format, Language, default_audience
from .app import Command, app, choice, complete_values, exit_codes, tell

if TYPE_CHECKING:
    from decimal import Decimal

    from ..pricing import Quote
    from ..template import Template


# Paths are not checked by typer (readable=False): an unreadable input is bad input, exit 1,
# told by the loader like every other, not a usage error.
@app.command(cls=Command)
def quote(
    estimates: Annotated[
        list[Path],
        typer.Argument(
            help="The estimate YAML file; several, or folders to search for estimates, for a "
            "summary of them all (or with -o FOLDER and a document format, a document each).",
            metavar="ESTIMATE",
            show_default=False,
            readable=False,
        ),
    ],
    rates: Annotated[
        Optional[Path],  # noqa: UP045 - typer needs Optional on Python 3.10
        typer.Option(
            "--rates",
            help="Rate card file to use instead of the one the estimate names.",
            metavar="FILE",
            readable=False,
        ),
    ] = None,
    given_format: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--format",
            help="table for the terminal, json for scripts, csv for spreadsheets, markdown, "
            "html or pdf (with -o) for the contract appendix, note for a cover e-mail. "
            "Default: from the -o file's extension (.json .csv .md .html .htm .pdf .txt), "
            "else table.",
            metavar="FORMAT",
            show_default=False,
            autocompletion=complete_values(*Format),
        ),
    ] = None,
    confidence: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--confidence",
            metavar="LEVEL",
            help="Price effort ranges at this confidence level, from 0.5 (the mean) to 0.999, "
            "instead of the estimate's (default 0.8).",
            show_default=False,
        ),
    ] = None,
    explain: Annotated[
        bool,
        typer.Option("--explain", help="Add each figure's formula and inputs to the table."),
    ] = False,
    audience_name: Annotated[
        Optional[str],  # noqa: UP045 - read by _choice: typer's enum handling differs by version
        typer.Option(
            "--audience",
            help="customer hides rates per role, ratios and approval flags. "
            "Default: customer for documents, internal for the table.",
            metavar="customer|internal",
            show_default=False,
            autocompletion=complete_values(*Audience),
        ),
    ] = None,
    lang: Annotated[
        Optional[str],  # noqa: UP045 - read by _choice, as --audience
        typer.Option(
            "--lang",
            help="The language of the table, the documents and the note: en, zh-CN (Chinese) or "
            "zh-CN+en (bilingual, Chinese first). Default: the estimate's language:, else en. "
            "JSON, CSV headers, errors and --help stay English.",
            metavar="en|zh-CN|zh-CN+en",
            show_default=False,
            autocompletion=complete_values(*Language),
        ),
    ] = None,
    template: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--template",
            help="A company's own Jinja2 template for markdown, html (and pdf) or note "
            "(see docs/documents.md).",
            metavar="FILE",
            readable=False,
        ),
    ] = None,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (atomically) instead of stdout; for several estimates "
            "with a document format, the folder to write one file per estimate into.",
            metavar="FILE",
            readable=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the -o file if it exists (a regular file).")
    ] = False,
) -> None:
    """Price an estimate: the custom work beside the standard option.

    \b
    Examples:
      nrecalc quote examples/reverse-push.yaml
      nrecalc quote examples/reverse-push.yaml -o quote.json
      nrecalc quote examples/reverse-push.yaml -o Q-2026-0042.html
      nrecalc quote examples/reverse-push.yaml -o Q-2026-0042.pdf
      nrecalc quote examples/reverse-push.yaml --format note
      nrecalc quote examples/reverse-push.yaml --lang zh-CN -o Q-2026-0042.html
      nrecalc quote examples/telemetry-bridge.yaml --explain --confidence 0.9
      nrecalc quote examples/telemetry-bridge.yaml -o quote.csv
      nrecalc quote my-request.yaml --rates rates/2027.yaml
      nrecalc quote quotes/ --format json
      nrecalc quote quotes/ --format html -o appendices/
    """
    from ..catalog import is_batch  # the batch module only for a batch: start-up
    from ..output import write_atomic
    from ..pipeline import make_quote
    from ..render import prepare

    audience = choice(Audience, audience_name, "--audience") if audience_name else None
    language = choice(Language, lang, "--lang") if lang else None
    if is_batch(estimates):
        fmt = _batch_format(given_format, output, explain)
        _check_format(fmt, audience, template)
        options = (audience, language, template, rates, confidence)
        _quote_many(estimates, fmt, output, force, *options)
    [estimate] = estimates
    fmt = _format(given_format, output, force)
    _check_format(fmt, audience, template, explain)
    level = _confidence(confidence)
    prepare(fmt)
    with exit_codes():
        company = _company(template)
        result, warnings = make_quote(estimate, today=date.today(), rates=rates, confidence=level)
        tell(warnings)
        if language is not None:  # --lang overrides the estimate's language:
            result = result._replace(language=language.value)
        if output is None:
            _show(result, fmt, audience, company, explain)
        else:
            from ..render import render_file

            made = render_file(result, fmt, audience, company, explain=explain, target=str(output))
            write_atomic(output, made, force=force)


def _company(template: Path | None) -> "Template | None":
    """Load a company's --template, if one is given (its errors are the template's)."""
    if template is None:
        return None
    from ..company import load_template

    return load_template(template)


def _quote_many(
    paths: list[Path],
    fmt: Format,
    output: Path | None,
    force: bool,
    audience: Audience | None,
    language: Language | None,
    template: Path | None,
    rates: Path | None,
    confidence: str | None,
) -> None:
    """Quote many estimates: a summary, or with a document format a file each (SPEC 8.1)."""
    from ..batch import Settings, quote_paths, show_summary, write_documents
    from ..render import prepare

    level = _confidence(confidence)
    prepare(fmt)
    with exit_codes():
        company = _company(template)
        chosen = language.value if language is not None else None
        settings = Settings(fmt, date.today(), rates, level, chosen, audience, company)
        batch = quote_paths(paths, settings)
        tell([*batch.notices, *batch.problems])
        if batch.rows and fmt.is_document:
            assert output is not None, "checked by _batch_format"
            write_documents(batch, output, fmt, force=force)
        elif batch.rows or (fmt is Format.json and output is None):  # errors in JSON too
            show_summary(batch, fmt, output, force, audience, language)
    raise typer.Exit(1 if batch.problems else 0)


def _batch_format(given: str | None, output: Path | None, explain: bool) -> Format:
    """Take a batch's format (output.batch_format); a contradiction is a usage error."""
    from ..output import FormatChoiceError, batch_format

    try:
        return batch_format(given, output, explain)
    except FormatChoiceError as exc:
        raise typer.BadParameter(str(exc), param_hint=exc.option) from None


def _show(
    result: "Quote", fmt: Format, audience: Audience | None, company: Any, explain: bool
) -> None:
    """Print a quote on stdout: on a terminal the table in colour and fitted to its width."""
    from ..output import colour_terminal, write_stdout
    from ..render import render

    terminal = fmt is Format.table and sys.stdout is not None and sys.stdout.isatty()
    shown = audience or default_audience(fmt)
    if terminal and colour_terminal(sys.stdout):
        from ..render.table import print_rich

        print_rich(result, shown, explain=explain)
    elif terminal:  # NO_COLOR or TERM=dumb: no colour, but fitted all the same
        import shutil

        from ..render import table

        width = shutil.get_terminal_size().columns
        write_stdout(table.render(result, shown, explain=explain, width=width))
    else:
        write_stdout(render(result, fmt, audience, company, explain=explain))


def _format(given: str | None, output: Path | None, force: bool) -> Format:
    """Take the format from --format or -o's extension; a contradiction is exit 2.

    A target that can never be written (a folder, a device) is told first, as exit 3; one that
    exists without --force after the format, so that a usage error is never hidden by it.
    """
    from ..output import FormatChoiceError, check_target, choose_format

    if output is not None:
        with exit_codes():
            check_target(output, force=True)  # a folder or device can never be written
    try:
        fmt = choose_format(given, output)
    except FormatChoiceError as exc:
        raise typer.BadParameter(str(exc), param_hint=exc.option) from None
    if fmt is Format.pdf and output is None:
        message = "a PDF is written to a file: add -o FILE.pdf"
        raise typer.BadParameter(message, param_hint="--format")
    if output is not None:
        with exit_codes():
            check_target(output, force=force)  # exists: told before any work is done
    return fmt


def _confidence(text: str | None) -> "Decimal | None":
    """Read --confidence; a bad level is a usage error (exit 2)."""
    if text is None:
        return None
    from ..fields import parse_confidence

    try:
        return parse_confidence(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--confidence") from None


def _check_format(
    fmt: Format, audience: Audience | None, template: Path | None, explain: bool = False
) -> None:
    """Refuse combinations of options that make no sense, as usage errors (exit 2)."""
    if template is not None and not fmt.is_document:
        raise typer.BadParameter(
            "needs --format markdown, html, pdf or note", param_hint="--template"
        )
    if audience is not None and fmt is Format.json:
        raise typer.BadParameter(
            "json carries every figure, for scripts; choose table, csv, markdown, html, pdf or "
            "note",
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
