"""The command line: parse options, call the core once, print, map errors to exit codes.

Each command lives in its own module and registers itself on the one Typer app; importing
them here, in the order `--help` lists them, builds the whole command line.
"""

import sys

from .app import app, tell

# isort: split
from . import quote  # --help lists the commands in the order they register

# isort: split
from . import checks

# isort: split
from . import new

# isort: split
from . import report

__all__ = ["app", "checks", "main", "new", "quote", "report"]


def main() -> None:
    """Run the nrecalc command line; stdout closed, full or a broken pipe is exit 3."""
    from .. import output

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
            tell(failure.problems)
            raise SystemExit(failure.exit_code)
