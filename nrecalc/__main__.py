"""The nrecalc command's entry point, also run by `python -m nrecalc`."""

import gc
import os

# Made before it is needed: once memory has run out, even formatting a message may fail.
_OUT_OF_MEMORY = (
    b"nrecalc: error: out of memory; the input needs more memory than this machine gives "
    b"the process\n"
)


def run() -> None:
    """Run the command line, with the cyclic garbage collector paused while it starts."""
    # Importing typer, rich and pydantic makes some 100,000 long-lived objects; the cyclic
    # collector would scan them again and again and free nothing: 17 ms of a 120 ms start
    # (tests/perf/bench_startup.py). cli/app.py turns it back on, with those objects frozen, before
    # any input is read, so a large or hostile file is collected as usual.
    gc.disable()
    try:
        from .cli import main

        main()
        return
    except MemoryError:
        pass  # leaving the handler drops the traceback, and with it what the work held
    finally:
        gc.enable()
    _out_of_memory()


def _out_of_memory() -> None:
    """Say that memory ran out, in one line, and exit 1 without the usual shutdown."""
    try:  # noqa: SIM105 - no context manager to build when memory is short
        os.write(2, _OUT_OF_MEMORY)
    except OSError:
        pass  # stderr is closed: the exit code still tells
    # No atexit handlers, no flush of a half-written stdout: they may need memory, and a
    # partial report must not look like a whole one. (-o writes through a temp file, which
    # write_atomic already removed while the error passed.)
    os._exit(1)


if __name__ == "__main__":
    run()
