"""A company's template as the renderer is handed it (SPEC 6), and the rule its text is held to.

The loader side (company.py) reads the file and its includes; the renderer reads no file. This
record is what passes between them, so it lives below both.
"""

from collections.abc import Callable
from typing import NamedTuple


class NotIncluded(Exception):
    """A template asked to include a file it may not read; the message says why."""


class Template(NamedTuple):
    """A company's own template: its text, the path it is shown by, and its sha256.

    include reads a template of the company's folder by the name an include gives: it returns
    the text and the name to show it by, None if there is no such file, or raises NotIncluded
    (a name that leads out of the folder) or InputError (a file that cannot be read).
    """

    shown: str
    text: str
    sha256: str
    include: Callable[[str], tuple[str, str] | None]


def hidden_character(text: str) -> tuple[int, int, str] | None:
    """Find the first control or format character a document may not hold (tabs aside).

    Return its line, column and what is wrong, or None. A company template's text, and what it
    writes, is held to the rule every estimate's text is (SPEC 2.2, 4.2).
    """
    from .fields import text_problem

    probe = text.replace("\t", " ")
    if text_problem(probe) is None:
        return None
    for number, line in enumerate(probe.split("\n"), start=1):
        problem = text_problem(line)
        if problem is not None:
            column = next(i for i, c in enumerate(line, start=1) if text_problem(c) is not None)
            return number, column, problem
    return None
