"""The terminal view: header, standard-vs-custom comparison, custom breakdown.

The view is laid out once, as plain data (Text lines and Grid tables). On a terminal rich
draws it in colour; piped or written to a file it is plain text, without importing rich.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple, Union

from ..money import format_money, format_rate, percent, plain
from ..pricing import CustomQuote, Line, Quote
from . import Audience

if TYPE_CHECKING:
    from rich.console import Console

BOLD, WARN = "bold", "bold yellow"


class Text(NamedTuple):
    """A line of text; style applies to all of it, strong to its leading part."""

    text: str
    strong: str = ""
    style: str | None = None


class Grid:
    """A table: a title, column headers, rows of cells, and a style per row."""

    def __init__(
        self,
        title: str,
        headers: tuple[str, ...],
        right: tuple[bool, ...],
        whole: tuple[bool, ...] = (),
    ) -> None:
        self.title = title
        self.headers = headers
        self.right = right  # right-aligned columns (amounts)
        self.whole = whole or (False,) * len(headers)  # columns never wrapped on a terminal
        self.rows: list[tuple[tuple[str, ...], str | None, bool]] = []

    def add(self, *cells: str, style: str | None = None, end_section: bool = False) -> None:
        """Add a row; end_section leaves a blank line after it."""
        self.rows.append((cells, style, end_section))


Block = Union[Text, Grid]  # noqa: UP007 - an alias evaluated at run time on Python 3.10


def _plural(count: int | Decimal, word: str) -> str:
    return f"{plain(Decimal(count))} {word}{'' if count == 1 else 's'}"


def _derivation(line: Line, currency: str, internal: bool) -> str:
    effort = f"{line.engineers} eng × {plain(line.weeks)} wk"
    return f"{effort} × {format_rate(line.rate, currency)}/wk" if internal else effort


def _rise(custom: CustomQuote, internal: bool) -> str:
    """Say how the per-upgrade price escalates; the customer is not told the ratio."""
    if not custom.annual_escalation:
        return ""
    return f", +{percent(custom.annual_escalation)}/yr" if internal else ", rising yearly"


def header(quote: Quote, internal: bool = True) -> list[Block]:
    """Lay out the heading: quote id, customer, title, dates, rate card."""
    date = f"{quote.date}" + (" (today: the estimate has no date)" if quote.date_assumed else "")
    card = f"{quote.rate_card_name} {quote.rate_card_version} ({quote.rate_card.path})"
    return [
        Text(f" · {quote.customer}", strong=f"Quote {quote.id}"),
        Text(quote.title),
        Text(f"Date {date} · valid until {quote.valid_until}"),
        Text(
            f"Rate card {card} · {quote.currency}" if internal else f"Amounts in {quote.currency}"
        ),
    ]


def comparison(quote: Quote, internal: bool = True) -> Grid:
    """Lay out the side-by-side table of the standard and the custom option."""
    cur = quote.currency
    std, custom = quote.standard, quote.custom

    def money(amount: Decimal) -> str:
        return format_money(amount, cur)

    years = _plural(custom.term_years, "year")
    rise = _rise(custom, internal)
    grid = Grid("Standard vs custom", ("", "Standard", "Custom"), (False, False, False))
    grid.add("Option", std.name, "Custom build")
    grid.add(
        "Time to go live",
        _plural(std.integration_days, "day"),
        _plural(custom.lead_time_weeks, "week"),
    )
    grid.add("One-time cost, excl. tax", money(std.net), money(custom.nre))
    grid.add(
        "Cost per upgrade", f"{money(Decimal(0))} (included)", money(custom.per_upgrade_cost) + rise
    )
    grid.add(
        f"Upgrades in {years}",
        f"{custom.upgrades_total}, included",
        f"{custom.upgrades_total}, charged",
    )
    grid.add(f"Total, {years}, incl. tax", money(std.total), money(custom.total), style=BOLD)
    grid.add("Upgrade risk carried by", "vendor (us)", "customer")
    return grid


def breakdown(quote: Quote, internal: bool = True) -> Grid:
    """Lay out the custom breakdown: every line with its derivation."""
    cur = quote.currency
    custom = quote.custom

    def money(amount: Decimal) -> str:
        return format_money(amount, cur)

    grid = Grid(
        "Custom breakdown",
        ("Item", "Role", "Derivation", "Amount"),
        (False, False, False, True),
        (False, True, True, True),
    )

    def effort(lines: tuple[Line, ...]) -> None:
        for line in lines:
            grid.add(
                f"  {line.task}", line.role, _derivation(line, cur, internal), money(line.amount)
            )

    grid.add("Build", "", "one-time", "", style=BOLD)
    effort(custom.build)
    grid.add("Build subtotal", "", "", money(custom.build_subtotal))
    if internal:
        ratio = f"{percent(custom.contingency_rate)} of build"
        grid.add("Contingency", "", ratio, money(custom.contingency))
    else:
        grid.add("Risk allowance", "", "", money(custom.contingency))
    grid.add("NRE", "", "", money(custom.nre), style=BOLD, end_section=True)
    if custom.per_upgrade:
        grid.add("Per upgrade", "", "on every platform upgrade", "", style=BOLD)
        effort(custom.per_upgrade)
        grid.add("Cost per upgrade", "", "year-1 price", money(custom.per_upgrade_cost))
    rise = _rise(custom, internal)
    grid.add("Maintenance", "", f"{custom.upgrades_per_year} upgrades/yr{rise}", "", style=BOLD)
    for year in custom.maintenance:
        grid.add(
            f"  Year {year.year}",
            "",
            f"{year.upgrades} × {money(year.unit_price)}",
            money(year.amount),
        )
    grid.add("Maintenance total", "", "", money(custom.maintenance_total), end_section=True)
    grid.add("Subtotal", "", "NRE + maintenance", money(custom.subtotal))
    if custom.discount_rate:
        flagged = internal and custom.discount_approval_required
        grid.add(
            "Discount (NEEDS APPROVAL)" if flagged else "Discount",
            "",
            f"{percent(custom.discount_rate)} of subtotal",
            money(custom.discount.copy_negate()),
            style=WARN if flagged else None,
        )
        grid.add("Net", "", "", money(custom.net))
    base = "net" if custom.discount_rate else "subtotal"
    grid.add("Tax", "", f"{percent(quote.tax_rate)} of {base}", money(custom.tax))
    grid.add("Total", "", "", money(custom.total), style=BOLD)
    return grid


def summary(quote: Quote) -> Text:
    """Say in one sentence how much more (or less) custom costs over the term."""
    extra = quote.extra_cost
    years = _plural(quote.custom.term_years, "year")
    amount = format_money(extra.copy_abs(), quote.currency)
    more = "more" if extra >= 0 else "less"
    return Text(f"Custom costs {amount} {more} than standard over {years}, tax included.")


def notes(quote: Quote, internal: bool = True) -> list[Block]:
    """Lay out the warnings a reader must not miss."""
    custom = quote.custom
    found: list[Block] = []
    if internal and custom.discount_approval_required:
        above = percent(custom.discount_approval_above or Decimal(0))
        rate = percent(custom.discount_rate)
        found.append(
            Text(
                f" the {rate} discount is above the rate card's {above} limit.",
                strong="Needs approval:",
                style=WARN,
            )
        )
    if quote.date_assumed:
        found.append(Text(f"Dated today ({quote.date}): the estimate has no date."))
    return found


def layout(quote: Quote, audience: Audience = Audience.internal) -> list[Block]:
    """Lay out the whole terminal view, in order; the customer sees no rates, ratios or flags."""
    internal = audience is Audience.internal
    blank = Text("")
    return [
        *header(quote, internal),
        blank,
        comparison(quote, internal),
        summary(quote),
        blank,
        breakdown(quote, internal),
        *notes(quote, internal),
    ]


# --- plain text -------------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Return how many terminal columns text takes (CJK characters take two)."""
    if not text or max(text) < "\u1100":  # nothing wide before Hangul Jamo: ¥ and € are narrow
        return len(text)
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - display_width(text))
    return fill + text if right else text + fill


def _plain_grid(grid: Grid) -> list[str]:
    widths = [display_width(h) for h in grid.headers]
    for cells, _, _ in grid.rows:
        widths = [max(w, display_width(c)) for w, c in zip(widths, cells, strict=True)]

    def line(cells: tuple[str, ...]) -> str:
        padded = (pad(c, w, right) for c, w, right in zip(cells, widths, grid.right, strict=True))
        return ("  " + "   ".join(padded)).rstrip()

    total = sum(widths) + 3 * (len(widths) - 1) + 4
    out = [grid.title, "", line(grid.headers), " " + "─" * (total - 2)]
    for cells, _, end_section in grid.rows:
        out.append(line(cells))
        if end_section:
            out.append("")
    return [*out, ""]


def render(quote: Quote, audience: Audience = Audience.internal) -> str:
    """Render the view as plain text: no colour, no wrapping, no blanks at line ends."""
    lines: list[str] = []
    for block in layout(quote, audience):
        if isinstance(block, Grid):
            lines.extend(_plain_grid(block))
        else:
            lines.append((block.strong + block.text).rstrip())
    return "\n".join(lines).rstrip("\n") + "\n"


# --- rich, on a terminal ---------------------------------------------------------------------


def print_rich(
    quote: Quote, audience: Audience = Audience.internal, console: Console | None = None
) -> None:
    """Print the view in colour with rich (on stdout unless a console is given)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text as RichText

    console = console or Console()
    for block in layout(quote, audience):
        if isinstance(block, Text):
            text = RichText.assemble((block.strong, BOLD), block.text)
            if block.style:
                text.stylize(block.style)
            console.print(text)
            continue
        table = Table(title=block.title, title_justify="left", box=box.SIMPLE_HEAD)
        for name, right, whole in zip(block.headers, block.right, block.whole, strict=True):
            table.add_column(
                name, justify="right" if right else "left", overflow="fold", no_wrap=whole
            )
        for cells, style, end_section in block.rows:
            table.add_row(*(RichText(c) for c in cells), style=style, end_section=end_section)
        console.print(table)
