"""`nrecalc new`: a new estimate from questions on a terminal, or a commented skeleton to fill in.

questionary is imported here only, when the questions are asked: no other command pays for it.
"""

import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from .app import Command, app, exit_codes, safe_word, tell

if TYPE_CHECKING:
    from ..interview import Check, Setup
    from ..newfile import Draft
    from ..pricing import Quote

CANCELLED = "cancelled; nothing written"


def complete_cards(incomplete: str) -> list[tuple[str, str]]:
    """Complete --rate-card with the names of the rate cards found from the current folder.

    Only names that are one word in every shell as they are: bash pastes a candidate into the
    line raw (a card named `x$(touch PWNED)` would run the command), zsh quotes it itself. Any
    other name is left out; it can still be typed, quoted. The help (version, currency, file)
    is one line, its brackets text: typer shows it through rich's markup.
    """
    from ..catalog import RateCards
    from ..errors import InputError

    try:
        offered, _ = RateCards().offered(Path("estimate.yaml"), date.today())
    except (InputError, OSError):  # nothing to offer: the shell's line stays as it is
        return []
    from rich.markup import escape

    from ..escape import printable

    return [  # the help is shown through rich's markup (zsh, fish): [b] in a file name is text
        (f.card.name, escape(printable(f"{f.card.version}, {f.card.currency}, {f.shown}")))
        for f in offered
        if f.card.name.startswith(incomplete) and safe_word(f.card.name)
    ]


@app.command(cls=Command)
def new(
    file: Annotated[
        Optional[Path],  # noqa: UP045 - typer needs Optional on Python 3.10
        typer.Argument(
            help="The estimate file to write. Default: <quote id>.yaml in the current folder.",
            metavar="FILE",
            show_default=False,
            readable=False,
        ),
    ] = None,
    rate_card: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--rate-card",
            help="Use this rate card: a name found from FILE's folder as quote finds it "
            "(rates/ beside it, above it, then the shipped ones). Default: the nearest.",
            metavar="NAME",
            show_default=False,
            autocompletion=complete_cards,
        ),
    ] = None,
    no_input: Annotated[
        bool,
        typer.Option(
            "--no-input",
            help="Ask nothing: write a commented skeleton to fill in, valid as it stands "
            "(also when not on a terminal).",
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite FILE if it exists (a regular file).")
    ] = False,
) -> None:
    """Write a new estimate: asked for on a terminal, then priced; else a skeleton to fill in.

    \b
    Examples:
      nrecalc new
      nrecalc new quotes/acme-sso.yaml
      nrecalc new --no-input
      nrecalc new draft.yaml --no-input --rate-card default --force
    """
    from ..catalog import RateCards
    from ..interview import CardNotFound, first_skeleton, make, prepare
    from ..output import write_atomic, write_stdout

    today = date.today()
    asking = not no_input and _on_terminal()
    cards = RateCards()
    with exit_codes():
        if file is not None:
            _check_target(file, force)  # before any question is asked
        try:
            setup, warnings = prepare(file, rate_card, today=today, force=force, cards=cards)
        except CardNotFound as exc:
            tell(exc.warnings)  # why a card of that name is left out
            raise typer.BadParameter(str(exc), param_hint="--rate-card") from None
        tell(warnings)
        draft = _ask(setup) if asking else first_skeleton(setup)
        made = make(draft, setup, file, cards, is_skeleton=not asking)
        tell(made.warnings)
        if asking:
            _show(made.quote)
        write_atomic(made.target, made.text, force=force)
    write_stdout(_written(made.target, asking))


def _on_terminal() -> bool:
    """Tell whether questions can be asked: standard input and output are a terminal."""
    return sys.stdin is not None and sys.stdin.isatty() and sys.stdout.isatty()


def _check_target(file: Path, force: bool) -> None:
    """Refuse a FILE that cannot be written, before any question: exists, or no such folder."""
    from ..errors import OutputError
    from ..output import check_target

    check_target(file, force=force)
    if not file.parent.is_dir():
        raise OutputError.at(str(file), f"cannot write: no folder {str(file.parent)!r}")


def _ask(setup: "Setup") -> "Draft":
    """Ask the questions on the terminal; Ctrl-C or Ctrl-D ends them, with nothing written."""
    from ..interview import interview

    try:
        return interview(_Terminal(), setup)
    except (KeyboardInterrupt, EOFError):
        tell([CANCELLED])
        raise typer.Exit(130) from None


def _show(quote: "Quote") -> None:
    """Show the head of the quote: the options side by side and what they cost."""
    import shutil

    from ..output import colour_terminal, write_stdout
    from ..render import table

    write_stdout("\n")
    if colour_terminal(sys.stdout):
        table.print_rich(quote, brief=True)
    else:
        width = shutil.get_terminal_size().columns
        write_stdout(table.render(quote, brief=True, width=width))
    write_stdout("\n")


def _written(target: Path, asked: bool) -> str:
    import shlex

    from ..escape import printable

    shown = printable(str(target))
    command = f"nrecalc quote {shlex.quote(shown)}"
    if asked:
        return f"Wrote {shown}. The whole quote: {command}\n"
    return f"Wrote {shown}, a skeleton to fill in (valid as it stands): {command}\n"


class _Terminal:
    """Asks on the terminal with questionary; a wrong answer is refused with its message."""

    def __init__(self) -> None:
        import questionary

        self._questionary = questionary

    def text(self, question: str, check: "Check", default: str = "") -> str:
        from ..escape import printable

        def validate(answer: str) -> bool | str:
            try:
                check(answer)
            except ValueError as exc:
                return printable(str(exc))
            return True

        asked = self._questionary.text(question, default=default, validate=validate)
        _whole_messages(asked.application)
        answer: str = _ask_ending_on_ctrl_d(asked)
        return answer

    def select(self, question: str, choices: Sequence[tuple[str, str]], default: str) -> str:
        from ..escape import printable

        options = [self._questionary.Choice(printable(title), value) for value, title in choices]
        chosen = next((each for each in options if each.value == default), options[0])
        asked = self._questionary.select(question, options, default=chosen)
        return str(_ask_ending_on_ctrl_d(asked))

    def confirm(self, question: str, default: bool) -> bool:
        return bool(_ask_ending_on_ctrl_d(self._questionary.confirm(question, default=default)))


def _ask_ending_on_ctrl_d(question: Any) -> Any:
    """Ask a question that Ctrl-D ends (EOFError), as Ctrl-C does (KeyboardInterrupt).

    prompt_toolkit ends a text question on Ctrl-D only when its line is empty, and questionary's
    choices ignore it. Here it ends every question, but for an answer with characters after
    the cursor: there it deletes the one under the cursor, as in a shell. (A choice or a yes/no
    has no text: its cursor is always at the end.)
    """
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    application = question.application
    ending = KeyBindings()

    @ending.add("c-d", eager=True, filter=Condition(lambda: _at_the_end(application)))
    def _end(event: Any) -> None:
        event.app.exit(exception=EOFError, style="class:aborting")

    given = [application.key_bindings] if application.key_bindings is not None else []
    application.key_bindings = merge_key_bindings([*given, ending])  # the last one wins
    return question.unsafe_ask()


def _at_the_end(application: Any) -> bool:
    return bool(application.current_buffer.document.is_cursor_at_the_end)


def _whole_messages(application: Any) -> None:
    """Show a refused answer's message whole, wrapped over as many lines as it takes.

    prompt_toolkit gives it one line, cut at the terminal's width, and the loader's messages
    often end in what to write instead (`...; write 'mqtt-bridge'`). Its window is the one shown
    while the answer has a validation error; if a version builds it otherwise, it stays as it is.
    """
    from prompt_toolkit.filters import has_validation_error, to_filter
    from prompt_toolkit.layout import ConditionalContainer, Window

    for node in application.layout.walk():
        if isinstance(node, ConditionalContainer) and node.filter is has_validation_error:
            window = node.content
            if isinstance(window, Window):
                window.height = None  # the lines the message takes
                window.wrap_lines = to_filter(True)
                window.dont_extend_height = to_filter(True)
