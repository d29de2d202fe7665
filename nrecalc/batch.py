"""Quote many estimates at once (SPEC 8.1): a summary, or one document per estimate.

The files are found and told apart as `validate` finds them (validate.discover, read_file);
each is priced as `quote` prices one (pipeline), in forked worker processes when there are
many (pool). A file that fails is reported and left out; the rest are still quoted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .catalog import RateCards, is_dir
from .choices import Audience, Format, Language
from .errors import InputError, NrecalcError, OutputError, Problem
from .loader import to_model
from .models import Estimate
from .output import check_target, id_file_problem, write_atomic
from .pipeline import check_inputs, price
from .pool import QUOTE_POOL_FROM, map_runs
from .render.summary import Row, row
from .validate import File, discover, missing_kind, read_file

if TYPE_CHECKING:
    from .pricing import Quote
    from .strict_yaml import Document
    from .template import Template

# The file each document format is written to, named by the quote's id.
SUFFIXES = {Format.markdown: ".md", Format.html: ".html", Format.pdf: ".pdf", Format.note: ".txt"}


class Settings(NamedTuple):
    """What every estimate of a batch is quoted with."""

    fmt: Format
    today: date
    rates: Path | None = None
    confidence: Decimal | None = None
    language: str | None = None  # --lang: the documents' language instead of each estimate's
    audience: Audience | None = None
    template: Template | None = None
    # What to keep of each quote instead of its JSON or document (nrecalc report's record):
    # made in the worker processes, so it should be small. A module-level function: it is sent
    # to them.
    keep: Callable[[Quote, Estimate], Any] | None = None


class Priced(NamedTuple):
    """One file of a batch: its row and what was made of it, or why it was not quoted."""

    shown: str
    row: Row | None = None
    made: Any = None  # the quote's JSON object as text, or its document
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    notice: Problem | None = None
    id_at: tuple[int | None, int | None] = (None, None)


class EstimateFile(NamedTuple):
    """An estimate found under the paths given, parsed, or the problems that make it unusable."""

    file: File
    doc: Document | None
    problems: list[Problem]


def find_estimates(
    paths: Sequence[Path], problems: list[Problem], notices: list[Problem]
) -> list[File]:
    """List the files under paths that may be estimates, as validate finds them (SPEC 5).

    Which of them are estimates is told by read_estimate, file by file (in worker processes).
    """
    return discover(paths, problems, notices)


def read_estimate(file: File) -> EstimateFile | Problem | None:
    """Read a file found by find_estimates: an estimate, a notice that it is skipped, or None.

    Rate cards are passed over; YAML that is not nrecalc's is skipped with a notice when found
    in a folder and is an error when named; an estimate whose kind: is missing is an error.
    """
    read = read_file(file)
    if read.notice is not None:
        return read.notice
    if read.kind == "rate-card":
        return None
    problems = list(read.problems)
    if read.missing and read.doc is not None:
        problems.append(missing_kind(read.doc, "estimate"))
        read.doc.data["kind"] = "estimate"  # check the rest as what it plainly is
    return EstimateFile(file, read.doc if read.kind == "estimate" else None, problems)


def _quote_one(file: File, settings: Settings, cards: RateCards) -> Priced:
    found = read_estimate(file)
    if found is None:
        return Priced(file.shown)
    if isinstance(found, Problem):
        return Priced(file.shown, notice=found)
    if found.doc is None or found.problems:
        problems = list(found.problems)
        if found.doc is not None:  # the rest of what is wrong with it, too
            try:
                to_model(found.doc, Estimate)
            except InputError as exc:
                problems.extend(exc.problems)
        return Priced(file.shown, problems=tuple(problems))
    try:
        estimate = to_model(found.doc, Estimate)
        inputs = check_inputs(
            estimate, found.doc, file.path, today=settings.today, rates=settings.rates, cards=cards
        )
        quote = price(inputs, today=settings.today, confidence=settings.confidence)
        name = _file_name(quote.id, found.doc, settings.fmt)
        made = _make(quote, estimate, settings, name)
    except NrecalcError as exc:
        return Priced(file.shown, problems=tuple(exc.problems))
    mark = found.doc.mark(("id",))
    at = (mark.line, mark.column)
    return Priced(file.shown, row(quote), made, warnings=tuple(inputs.warnings), id_at=at)


def _file_name(quote_id: str, doc: Document, fmt: Format) -> str:
    """Return the name of a quote's document file; an id that cannot name one is an error."""
    suffix = SUFFIXES.get(fmt)
    if suffix is None:
        return ""
    message = id_file_problem(quote_id, "the document's file")
    if message is not None:
        raise InputError([doc.problem(("id",), message)])
    return quote_id + suffix


def _make(quote: Any, estimate: Estimate, settings: Settings, name: str) -> Any:
    """Make what the batch keeps of a quote beside its row: its JSON object, or its document."""
    if settings.keep is not None:
        return settings.keep(quote, estimate)
    fmt = settings.fmt
    if fmt is Format.json:
        from .render.summary import json_object

        return json_object(quote)  # written here: in the worker processes when there are many
    if not fmt.is_document:
        return None
    from .render import render_file

    if settings.language is not None:
        quote = quote._replace(language=settings.language)
    return render_file(quote, fmt, settings.audience, settings.template, target=name)


def _quote_run(files: list[File], settings: Settings) -> list[Priced]:
    """Quote a run of files with one rate-card lookup for them all (each folder searched once)."""
    cards = RateCards()
    return [_quote_one(file, settings, cards) for file in files]


class Batch(NamedTuple):
    """The quotes of a batch, sorted by id, and what went wrong on the way."""

    rows: list[Row]
    made: list[Any]  # beside each row: its JSON object or document (see Priced)
    problems: list[Problem]  # errors, file by file in the order found
    notices: list[Problem]  # files skipped, rate cards passed over, dates outside a card's
    failed: int  # files that could not be quoted


def quote_paths(paths: Sequence[Path], settings: Settings, *, pool: bool | None = None) -> Batch:
    """Quote every estimate under paths; a failing file is told and left out (SPEC 8.1).

    Many files are quoted in forked worker processes (pool forces the choice either way);
    the result is the same.
    """
    problems: list[Problem] = []
    notices: list[Problem] = []
    files = find_estimates(paths, problems, notices)
    job = partial(_quote_run, settings=settings)
    runs = map_runs(job, files, least=QUOTE_POOL_FROM, pool=pool)
    priced = [each for run in runs for each in run]
    good: dict[str, list[Priced]] = {}
    failed = 0
    for each in priced:
        if each.notice is not None:
            notices.append(each.notice)
        notices.extend(each.warnings)
        problems.extend(each.problems)
        failed += bool(each.problems)
        if each.row is not None:  # ids that differ in case alone name one file on many disks
            good.setdefault(each.row.id.casefold(), []).append(each)
    for same in good.values():
        if len(same) > 1:
            problems.extend(_duplicates(same))
            failed += len(same)
    kept = sorted((same[0] for same in good.values() if len(same) == 1), key=_by_id)
    estimates = len(kept) + failed
    if not estimates and not problems:
        problems.append(_nothing_found(paths, files))
    return Batch(
        [each.row for each in kept if each.row is not None],
        [each.made for each in kept],
        problems,
        list(dict.fromkeys(notices)),
        failed,
    )


def _by_id(each: Priced) -> tuple[str, str]:
    return (each.row.id if each.row else "", each.shown)


def _duplicates(same: list[Priced]) -> list[Problem]:
    """Say, at each file's id, which other files have the same id; none of them is quoted."""
    found = []
    for each in same:
        others = ", ".join(other.shown for other in same if other is not each)
        line, column = each.id_at
        quote_id = each.row.id if each.row else ""
        message = f"{quote_id!r} is also the id of {others}; give each quote its own id"
        found.append(Problem(each.shown, message, line, column, "id"))
    return found


def _nothing_found(paths: Sequence[Path], files: list[File]) -> Problem:
    """Say that the paths hold no estimate; a folder with no YAML at all is told as before."""
    from .escape import line_start

    where = ", ".join(line_start(str(path)) for path in paths)
    if len(paths) == 1 and not files:
        return Problem(where, "is a folder; expected a YAML file")
    return Problem(where, "no estimates found here")


def targets(batch: Batch, folder: Path, fmt: Format, *, force: bool) -> list[Path]:
    """Return the files the documents go to; refuse them all before one is written.

    The folder is made if missing; a target that exists is refused without force, and one
    that is not a regular file even with it (exit 3), each on its own line.
    """
    paths = [folder / (each.id + SUFFIXES[fmt]) for each in batch.rows]
    if not is_dir(folder):
        if folder.exists() or folder.is_symlink():
            raise OutputError.at(str(folder), "is not a folder; -o names a folder for documents")
        try:  # every target is new: made only now, after the batch was priced and named
            folder.mkdir(parents=True)
        except OSError as exc:
            raise OutputError.at(str(folder), f"cannot write: {exc.strerror or exc}") from None
        return paths
    refused: list[Problem] = []
    for path in paths:
        try:
            check_target(path, force=force)
        except OutputError as exc:
            refused.extend(exc.problems)
    if refused:
        raise OutputError(refused)
    return paths


def write_documents(batch: Batch, folder: Path, fmt: Format, *, force: bool) -> None:
    """Write each quote's document into folder, named by its id, atomically; none half-done."""
    for path, made in zip(targets(batch, folder, fmt, force=force), batch.made, strict=True):
        write_atomic(path, made, force=force)


def show_summary(
    batch: Batch,
    fmt: Format,
    output: Path | None,
    force: bool,
    audience: Audience | None,
    language: Language | None,
) -> None:
    """Print the summary of a batch, or write it to -o's file: in colour on a terminal."""
    import sys

    from .output import colour_terminal, write_stdout
    from .render import summary

    words = language.value if language is not None else "en"  # not any one estimate's
    internal = (audience or Audience.internal) is Audience.internal
    if fmt is Format.json:
        text = summary.render_json(batch.rows, batch.made, batch.problems)
    elif fmt is Format.csv:
        text = summary.render_csv(batch.rows)
    elif output is None and sys.stdout is not None and sys.stdout.isatty():
        if colour_terminal(sys.stdout):
            summary.print_rich(batch.rows, batch.failed, words, internal)
            return
        import shutil

        width = shutil.get_terminal_size().columns
        text = summary.render_table(batch.rows, batch.failed, words, internal, width)
    else:
        text = summary.render_table(batch.rows, batch.failed, words, internal)
    if output is None:
        write_stdout(text)
    else:
        write_atomic(output, text, force=force)
