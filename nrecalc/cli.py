"""The command line: parse options, call the core once, print, map errors to exit codes."""

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

import typer

from . import __version__
from .choices import (
    Audience,
    DiffFormat,
    Format,
    Kind,
    Language,
    ReportFormat,
    default_audience,
)

if TYPE_CHECKING:
    from decimal import Decimal
    from enum import Enum

    from .pricing import Quote
    from .template import Template

    E = TypeVar("E", bound=Enum)


@contextmanager
def _inert_usage() -> Iterator[None]:
    """Escape what the user typed in a usage error (`No such option: -<ESC>…`) before it shows."""
    try:
        yield
    except Exception as exc:  # click's UsageError, from click or typer's own copy; re-raised
        message = getattr(exc, "message", None)
        if isinstance(message, str):
            from .escape import printable

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


class _Command(typer.core.TyperCommand):
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
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from .output import write_stdout

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


# Paths are not checked by typer (readable=False): an unreadable input is bad input, exit 1,
# told by the loader like every other, not a usage error.
@app.command(cls=_Command)
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
    from .catalog import is_batch  # the batch module only for a batch: start-up
    from .output import write_atomic
    from .pipeline import make_quote
    from .render import prepare

    audience = _choice(Audience, audience_name, "--audience") if audience_name else None
    language = _choice(Language, lang, "--lang") if lang else None
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
    with _exit_codes():
        company = _company(template)
        result, warnings = make_quote(estimate, today=date.today(), rates=rates, confidence=level)
        _report(warnings)
        if language is not None:  # --lang overrides the estimate's language:
            result = result._replace(language=language.value)
        if output is None:
            _show(result, fmt, audience, company, explain)
        else:
            from .render import render_file

            made = render_file(result, fmt, audience, company, explain=explain, target=str(output))
            write_atomic(output, made, force=force)


def _company(template: Path | None) -> "Template | None":
    """Load a company's --template, if one is given (its errors are the template's)."""
    if template is None:
        return None
    from .company import load_template

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
    from .batch import Settings, quote_paths, show_summary, write_documents
    from .render import prepare

    level = _confidence(confidence)
    prepare(fmt)
    with _exit_codes():
        company = _company(template)
        chosen = language.value if language is not None else None
        settings = Settings(fmt, date.today(), rates, level, chosen, audience, company)
        batch = quote_paths(paths, settings)
        _report([*batch.notices, *batch.problems])
        if batch.rows and fmt.is_document:
            assert output is not None, "checked by _batch_format"
            write_documents(batch, output, fmt, force=force)
        elif batch.rows or (fmt is Format.json and output is None):  # errors in JSON too
            show_summary(batch, fmt, output, force, audience, language)
    raise typer.Exit(1 if batch.problems else 0)


def _batch_format(given: str | None, output: Path | None, explain: bool) -> Format:
    """Take a batch's format (output.batch_format); a contradiction is a usage error."""
    from .output import FormatChoiceError, batch_format

    try:
        return batch_format(given, output, explain)
    except FormatChoiceError as exc:
        raise typer.BadParameter(str(exc), param_hint=exc.option) from None


def _show(
    result: "Quote", fmt: Format, audience: Audience | None, company: Any, explain: bool
) -> None:
    """Print a quote on stdout: on a terminal the table in colour and fitted to its width."""
    from .output import colour_terminal, write_stdout
    from .render import render

    terminal = fmt is Format.table and sys.stdout is not None and sys.stdout.isatty()
    shown = audience or default_audience(fmt)
    if terminal and colour_terminal(sys.stdout):
        from .render.table import print_rich

        print_rich(result, shown, explain=explain)
    elif terminal:  # NO_COLOR or TERM=dumb: no colour, but fitted all the same
        import shutil

        from .render import table

        width = shutil.get_terminal_size().columns
        write_stdout(table.render(result, shown, explain=explain, width=width))
    else:
        write_stdout(render(result, fmt, audience, company, explain=explain))


def _format(given: str | None, output: Path | None, force: bool) -> Format:
    """Take the format from --format or -o's extension; a contradiction is exit 2.

    A target that can never be written (a folder, a device) is told first, as exit 3; one that
    exists without --force after the format, so that a usage error is never hidden by it.
    """
    from .output import FormatChoiceError, check_target, choose_format

    if output is not None:
        with _exit_codes():
            check_target(output, force=True)  # a folder or device can never be written
    try:
        fmt = choose_format(given, output)
    except FormatChoiceError as exc:
        raise typer.BadParameter(str(exc), param_hint=exc.option) from None
    if fmt is Format.pdf and output is None:
        message = "a PDF is written to a file: add -o FILE.pdf"
        raise typer.BadParameter(message, param_hint="--format")
    if output is not None:
        with _exit_codes():
            check_target(output, force=force)  # exists: told before any work is done
    return fmt


def _choice(kind: "type[E]", text: str, option: str) -> "E":
    """Read one of an enumeration's values; another word is a usage error naming them all."""
    try:
        return kind(text)
    except ValueError:
        from .escape import printable

        choices = ", ".join(str(each.value) for each in kind)
        message = f"'{printable(text)}' is not one of {choices}"
        raise typer.BadParameter(message, param_hint=option) from None


def _confidence(text: str | None) -> "Decimal | None":
    """Read --confidence; a bad level is a usage error (exit 2)."""
    if text is None:
        return None
    from .fields import parse_confidence

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


@app.command(cls=_Command)
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Rate cards, estimates, or folders to search for *.yaml / *.yml.",
            metavar="PATH",
            readable=False,
        ),
    ],
    format_name: Annotated[
        str,
        typer.Option(
            "--format",
            help="text for people, json, or github annotations.",
            metavar="text|json|github",
        ),
    ] = ReportFormat.text.value,
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

    fmt = _choice(ReportFormat, format_name, "--format")
    with _exit_codes():
        report = validate_paths(paths, today=date.today(), skip_foreign=skip_foreign)
        _report(report.notices)
        write_stdout(render_report(report, fmt))
    raise typer.Exit(1 if report.errors else 0)


def _path(help: str, metavar: str) -> Any:
    """An argument naming a file: read by the loader, so that an unreadable one is exit 1."""
    return typer.Argument(help=help, metavar=metavar, show_default=False, readable=False)


@app.command(cls=_Command)
def diff(
    old: Annotated[Path, _path("The rate card (or estimate) before the change.", "OLD")],
    new: Annotated[Path, _path("The rate card (or estimate) after it, of OLD's kind.", "NEW")],
    paths: Annotated[
        Optional[list[Path]],  # noqa: UP045
        _path("Estimates, or folders of them, priced with both cards. Default: .", "ESTIMATE-PATH"),
    ] = None,
    format_name: Annotated[
        str,
        typer.Option(
            "--format",
            help="For people, scripts, or a pull request.",
            metavar="table|json|markdown",
        ),
    ] = DiffFormat.table.value,
    fail_above: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--fail-above",
            help="Exit 4 when a custom total rises by more than PCT percent (after the report).",
            metavar="PCT",
        ),
    ] = None,
    lang: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--lang", help="Table and Markdown in en (default) or zh-CN.", metavar="LANG"),
    ] = None,
) -> None:
    """Show what a rate-card change does to the quotes, or what changed in a quote's revision.

    \b
    Examples:
      nrecalc diff base.yaml rates/default.yaml examples --fail-above 5
      nrecalc diff base.yaml rates/default.yaml --format markdown >> "$GITHUB_STEP_SUMMARY"
      nrecalc diff quote-v1.yaml quote-v2.yaml
    """
    import shutil

    from .diff import compare, parse_percent
    from .output import write_stdout
    from .render.diff import render as render_diff

    fmt = _choice(DiffFormat, format_name, "--format")
    language = _choice(Language, lang, "--lang") if lang else Language.en
    try:
        limit = None if fail_above is None else parse_percent(fail_above)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--fail-above") from None
    with _exit_codes():
        found = compare(old, new, paths or [], today=date.today())
        _report(found.notices)
        tty = fmt is DiffFormat.table and sys.stdout is not None and sys.stdout.isatty()
        width = shutil.get_terminal_size().columns if tty else None
        write_stdout(render_diff(found, fmt, language.value, width))
    above = [] if limit is None else found.gate(limit)
    _report(above)
    raise typer.Exit(4 if above else 0)


@app.command(cls=_Command)
def schema(
    kind_name: Annotated[
        str,
        typer.Argument(
            help="Which file kind: rate-card or estimate.", metavar="KIND", show_default=False
        ),
    ],
) -> None:
    """Print the JSON Schema (draft 2020-12) of a file kind, for editors and other tools.

    \b
    Examples:
      nrecalc schema estimate > estimate.schema.json
      nrecalc schema rate-card > rate-card.schema.json
    """
    import json

    from .escape import json_text
    from .models import json_schema
    from .output import write_stdout

    kind = _choice(Kind, kind_name, "KIND")
    with _exit_codes():
        text = json.dumps(json_schema(kind.value), indent=2, ensure_ascii=False)
        write_stdout(json_text(text) + "\n")


@app.command(cls=_Command)
def verify(
    document: Annotated[
        Path,
        typer.Argument(
            help="A Markdown or HTML document made by nrecalc quote.",
            metavar="DOCUMENT",
            show_default=False,
            readable=False,
        ),
    ],
    estimate: Annotated[
        Path,
        typer.Argument(
            help="The estimate it was made from.",
            metavar="ESTIMATE",
            show_default=False,
            readable=False,
        ),
    ],
    rates: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--rates",
            help="The rate card file, if the document was made with --rates.",
            metavar="FILE",
            readable=False,
        ),
    ] = None,
    template: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--template",
            help="The company template, if the document was made with one.",
            metavar="FILE",
            readable=False,
        ),
    ] = None,
) -> None:
    """Tell if a document was altered and if its inputs still give it: exit 0 if both hold, else 1.

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
        lines = [*map(str, verdict.differences), *verdict.answers]
        write_stdout("".join(f"{line}\n" for line in lines))
    raise typer.Exit(0 if verdict.ok else 1)


@contextmanager
def _exit_codes() -> Iterator[None]:
    """Turn nrecalc's errors into lines on stderr and their exit codes."""
    from .errors import NrecalcError
    from .output import StdoutError

    _collect_garbage()
    try:
        yield
    except StdoutError:
        raise  # main tells it, once, however it came (see main)
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
    if sys.stderr is None:  # closed: the exit status still tells
        return
    with suppress(OSError):  # stderr full or gone: nowhere left to tell; the status still does
        for problem in problems:
            sys.stderr.write(f"{problem}\n")
        sys.stderr.flush()


def main() -> None:
    """Run the nrecalc command line; stdout closed, full or a broken pipe is exit 3."""
    from . import output

    output.hold_standard_fds()
    output.guard_stdout()
    try:
        try:
            app(prog_name="nrecalc")
        finally:
            sys.stdout.flush()  # here, not at exit, where a failure is only a warning
    except output.StdoutError:
        pass  # told below
    finally:
        failure = output.stdout_failure()
        if failure is not None:
            output.silence_stdout()
            _report(failure.problems)
            raise SystemExit(failure.exit_code)
