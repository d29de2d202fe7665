"""python -m nrecalc."""

from .cli import main

main()
