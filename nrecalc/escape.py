"""One escaping function per output kind: what a file says reaches no output as markup or code.

Every text shown that comes from a file (paths, names, free text, a template's output) passes
through the function for where it is shown: `printable` (a terminal line), `table_cell` (the
terminal table), `line_start` (the start of a report line), `json_text`, `github_data` and
`github_property` (GitHub workflow commands), `markdown`, `html`, `css_string` and `csv_cell`.
This module imports nothing of nrecalc's, so that every room may use it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markupsafe import Markup

NNBSP = "\u202f"  # a narrow no-break space: inert, and part of a currency symbol (XOF: F CFA)


# --- terminals and logs ---------------------------------------------------------------------------


def printable(text: str) -> str:
    """Escape what would break a one-line report: line breaks, control characters."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def table_cell(text: str) -> str:
    """Escape text for the terminal table as printable does, but keep narrow no-break spaces."""
    return NNBSP.join(map(printable, text.split(NNBSP)))


def line_start(shown: str) -> str:
    """Put ./ before a relative path that could start a CI log command (::, ##[) or look blank.

    Report lines begin with a path; GitHub's runner reads a line whose text, after leading
    blanks, starts with :: as a workflow command.
    """
    if shown[:1] in (":", "#") or shown[:1].isspace():
        return f"./{shown}"
    return shown


def json_text(text: str) -> str:
    """Escape, as JSON does, what JSON leaves raw but is not printable (DEL, C1, Cf, U+2028).

    For JSON written with ensure_ascii=False: the result is the same JSON value, inert on a
    terminal.
    """
    return "\n".join(
        line
        if line.isprintable()
        else "".join(c if c.isprintable() else _json_escape(c) for c in line)
        for line in text.split("\n")
    )


def _json_escape(char: str) -> str:
    units = char.encode("utf-16-be")
    return "".join(f"\\u{units[i : i + 2].hex()}" for i in range(0, len(units), 2))


def github_data(text: str) -> str:
    """Escape workflow-command data as GitHub's toolkit does (%, CR, LF), and controls.

    Other control characters are escaped the way the terminal report escapes them, so that
    no ESC or BEL reaches the log.
    """
    lines = text.replace("%", "%25").split("\r")
    return "%0D".join("%0A".join(printable(part) for part in line.split("\n")) for line in lines)


def github_property(text: str) -> str:
    """Escape a workflow-command property: as data, and : and , too (GitHub's toolkit)."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


# --- documents ------------------------------------------------------------------------------------


class Raw(str):
    """Markdown that is already escaped: markdown() passes it through."""


# Characters that Markdown or the HTML it may be turned into would read as markup.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(
    r"^(\s*)(#{1,6}(?=\s|$)|[+-](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|(?:=+|-+)\s*$)"
)
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# GitHub's autolinks (the GFM "autolink" extension): `scheme://`, `www.` and `local@domain`
# become links. An escaped `:` or `.` ends the run the extension looks at; an e-mail address it
# finds in the joined text, escapes or not, so an empty HTML comment (shown as nothing, like the
# provenance comment) parts the `@` from the domain; it parts an @mention from its name too.
_MD_AUTOLINK = re.compile(r"(?P<scheme>:)(?=//)|(?i:(?P<www>www)\.)|(?P<at>@)(?=[0-9A-Za-z])")
_MD_AUTOLINK_BREAK = {"scheme": "\\:", "www": "\\.", "at": "@<!-- -->"}


def markdown(value: object) -> str:
    """Escape text for Markdown: no emphasis, links, table breaks or raw HTML from the input."""
    if isinstance(value, Raw):
        return value
    text = _MD_SPECIAL.sub(r"\\\1", str(value))
    text = re.sub(r"[&<>]", lambda m: _MD_ENTITIES[m.group()], text)
    text = _MD_AUTOLINK.sub(_break_autolink, text)
    # No heading, quote or list from the start of a line; a paragraph keeps its line breaks as
    # hard breaks, indented to stay in its list item.
    lines = (_MD_LINE_START.sub(_escape_start, line) for line in text.rstrip("\n").split("\n"))
    return "\\\n  ".join(lines)


def _break_autolink(match: re.Match[str]) -> str:
    kind = match.lastgroup or ""
    return (match.group("www") or "") + _MD_AUTOLINK_BREAK[kind]


def _escape_start(match: re.Match[str]) -> str:
    space, mark = match.groups()
    return f"{space}{mark}\\" if mark[0].isdigit() else f"{space}\\{mark}"


def html(value: object) -> Markup:
    """Escape text for HTML (what Jinja2's autoescape does to every value)."""
    from markupsafe import escape

    return escape(value)


def css_string(value: object) -> Markup:
    """Quote text as a CSS string that nothing in it can break out of (for @page content).

    A template's filter: anything but text is refused as the template's error.
    """
    from markupsafe import Markup

    if not isinstance(value, str):
        from jinja2 import Undefined
        from jinja2.exceptions import FilterArgumentError

        if isinstance(value, Undefined):
            str(value)  # says which value is undefined
        raise FilterArgumentError(f"css_string: expected text, got {type(value).__name__}")
    # A CSS escape ends at the first space after its hex digits, which it consumes (even after
    # six digits): each escape carries its own terminating space, so the text's next space stays.
    text = "".join(c if c.isalnum() or c in " .,-_" else f"\\{ord(c):x} " for c in str(value))
    return Markup(f'"{text}"')


# --- spreadsheets ---------------------------------------------------------------------------------

# A cell that starts with one of these is a formula to Excel, LibreOffice and Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """Keep text from running as a spreadsheet formula (OWASP: CSV injection), or as a terminal
    control sequence when the file is shown (control characters escaped as printable does)."""
    value = printable(value)
    return "'" + value if value.startswith(_FORMULA_START) else value
