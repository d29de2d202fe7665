"""The nrecalc command's entry point, also run by `python -m nrecalc`."""

import gc


def run() -> None:
    """Run the command line, with the cyclic garbage collector paused while it starts."""
    # Importing typer, rich and pydantic makes some 100,000 long-lived objects; the cyclic
    # collector would scan them again and again and free nothing: 17 ms of a 120 ms start
    # (tests/perf/bench_startup.py). cli.py turns it back on, with those objects frozen, before
    # any input is read, so a large or hostile file is collected as usual.
    gc.disable()
    try:
        from .cli import main

        main()
    finally:
        gc.enable()


if __name__ == "__main__":
    run()
