"""The commands that check: validate, diff, schema and verify."""

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..choices import DiffFormat, Kind, Language, ReportFormat
from .app import (
    Command,
    app,
    choice,
    complete_values,
    exit_codes,
    language_option,
    path_argument,
    tell,
)


@app.command(cls=Command)
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
            autocompletion=complete_values(*ReportFormat),
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
    from ..output import write_stdout
    from ..validate import render_report, validate_paths

    fmt = choice(ReportFormat, format_name, "--format")
    with exit_codes():
        checked = validate_paths(paths, today=date.today(), skip_foreign=skip_foreign)
        tell(checked.notices)
        write_stdout(render_report(checked, fmt))
    raise typer.Exit(1 if checked.errors else 0)


@app.command(cls=Command)
def diff(
    old: Annotated[Path, path_argument("The rate card (or estimate) before the change.", "OLD")],
    new: Annotated[
        Path, path_argument("The rate card (or estimate) after it, of OLD's kind.", "NEW")
    ],
    paths: Annotated[
        Optional[list[Path]],  # noqa: UP045
        path_argument(
            "Estimates, or folders of them, priced with both cards. Default: .", "ESTIMATE-PATH"
        ),
    ] = None,
    format_name: Annotated[
        str,
        typer.Option(
            "--format",
            help="For people, scripts, or a pull request.",
            metavar="table|json|markdown",
            autocompletion=complete_values(*DiffFormat),
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
        language_option(),
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

    from ..diff import compare, parse_percent
    from ..output import write_stdout
    from ..render.diff import render as render_diff

    fmt = choice(DiffFormat, format_name, "--format")
    language = choice(Language, lang, "--lang") if lang else Language.en
    try:
        limit = None if fail_above is None else parse_percent(fail_above)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--fail-above") from None
    with exit_codes():
        found = compare(old, new, paths or [], today=date.today())
        tell(found.notices)
        tty = fmt is DiffFormat.table and sys.stdout is not None and sys.stdout.isatty()
        width = shutil.get_terminal_size().columns if tty else None
        write_stdout(render_diff(found, fmt, language.value, width))
    above = [] if limit is None else found.gate(limit)
    tell(above)
    raise typer.Exit(4 if above else 0)


@app.command(cls=Command)
def schema(
    kind_name: Annotated[
        str,
        typer.Argument(
            help="Which file kind: rate-card or estimate.",
            metavar="KIND",
            show_default=False,
            autocompletion=complete_values(*Kind),
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

    from ..escape import json_text
    from ..models import json_schema
    from ..output import write_stdout

    kind = choice(Kind, kind_name, "KIND")
    with exit_codes():
        text = json.dumps(json_schema(kind.value), indent=2, ensure_ascii=False)
        write_stdout(json_text(text) + "\n")


@app.command(cls=Command)
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
    from ..output import write_stdout
    from ..verify import verify as check

    with exit_codes():
        verdict = check(document, estimate, rates=rates, template=template)
        tell(verdict.notices)
        lines = [*map(str, verdict.differences), *verdict.answers]
        write_stdout("".join(f"{line}\n" for line in lines))
    raise typer.Exit(0 if verdict.ok else 1)
