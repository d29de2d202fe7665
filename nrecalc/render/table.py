"""The terminal view: header, standard-vs-custom comparison, custom breakdown."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import TYPE_CHECKING

from rich.markup import escape

from ..money import format_money, format_rate, percent, plain
from ..pricing import Line, Quote

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table


PLAIN_WIDTH = 100


def _weeks(value: Decimal) -> str:
    return f"{plain(value)} {'week' if value == 1 else 'weeks'}"


def _derivation(line: Line, currency: str) -> str:
    return f"{line.engineers} × {plain(line.weeks)} wk × {format_rate(line.rate, currency)}"


def _header(quote: Quote) -> str:
    date = f"{quote.date}" + (" (today: the estimate has no date)" if quote.date_assumed else "")
    card = f"{quote.rate_card_name} {quote.rate_card_version} ({quote.rate_card.path})"
    return (
        f"[bold]Quote {escape(quote.id)}[/] · {escape(quote.customer)}\n"
        f"{escape(quote.title)}\n"
        f"Date {date} · valid until {quote.valid_until}\n"
        f"Rate card {escape(card)} · {quote.currency}"
    )


def comparison(quote: Quote) -> Table:
    """Build the side-by-side table of the standard and the custom option."""
    from rich import box
    from rich.table import Table

    cur = quote.currency
    std, custom = quote.standard, quote.custom

    def money(amount: Decimal) -> str:
        return format_money(amount, cur)

    table = Table(title="Standard vs custom", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("", no_wrap=True)
    table.add_column("Standard", overflow="fold")
    table.add_column("Custom", overflow="fold")
    years = f"{custom.term_years} {'year' if custom.term_years == 1 else 'years'}"
    escalation = f", +{percent(custom.annual_escalation)}/yr" if custom.annual_escalation else ""
    table.add_row("Option", escape(std.name), "Custom build")
    table.add_row(
        "Time to go live",
        f"{std.integration_days} {'day' if std.integration_days == 1 else 'days'}",
        _weeks(custom.lead_time_weeks),
    )
    table.add_row("One-time cost (net)", money(std.net), money(custom.nre))
    table.add_row(
        "Cost per upgrade",
        f"{money(Decimal(0))} (included)",
        money(custom.per_upgrade_cost) + escalation,
    )
    table.add_row(
        f"Upgrades in {years}",
        f"{custom.upgrades_total}, included",
        f"{custom.upgrades_total}, charged",
    )
    table.add_row(f"Total, {years}, incl. tax", money(std.total), money(custom.total), style="bold")
    table.add_row("Upgrade risk carried by", "vendor (us)", "customer")
    return table


def breakdown(quote: Quote) -> Table:
    """Build the custom breakdown: every line with its derivation."""
    from rich import box
    from rich.table import Table

    cur = quote.currency
    custom = quote.custom

    def money(amount: Decimal) -> str:
        return format_money(amount, cur)

    def section(title: str, note: str = "") -> None:
        table.add_row(f"[bold]{title}[/]", "", note, "")

    def effort(lines: tuple[Line, ...]) -> None:
        for line in lines:
            table.add_row(
                f"  {escape(line.task)}",
                escape(line.role),
                _derivation(line, cur),
                money(line.amount),
            )

    table = Table(title="Custom breakdown", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("Item", overflow="fold", min_width=18)
    table.add_column("Role", no_wrap=True)
    table.add_column("People × weeks × rate", no_wrap=True)
    table.add_column("Amount", justify="right", no_wrap=True)
    section("Build", "one-time")
    effort(custom.build)
    table.add_row("Build subtotal", "", "", money(custom.build_subtotal))
    table.add_row(
        "Contingency", "", f"{percent(custom.contingency_rate)} of build", money(custom.contingency)
    )
    table.add_row("NRE", "", "", money(custom.nre), style="bold", end_section=True)
    if custom.per_upgrade:
        section("Per upgrade", "on every platform upgrade")
        effort(custom.per_upgrade)
        table.add_row("Cost per upgrade", "", "year-1 price", money(custom.per_upgrade_cost))
    rise = f", +{percent(custom.annual_escalation)}/yr" if custom.annual_escalation else ""
    section("Maintenance", f"{custom.upgrades_per_year} upgrades/yr{rise}")
    for year in custom.maintenance:
        table.add_row(
            f"  Year {year.year}",
            "",
            f"{year.upgrades} × {money(year.unit_price)}",
            money(year.amount),
        )
    table.add_row("Maintenance total", "", "", money(custom.maintenance_total), end_section=True)
    table.add_row("Subtotal", "", "NRE + maintenance", money(custom.subtotal))
    if custom.discount_rate:
        flag = " (NEEDS APPROVAL)" if custom.discount_approval_required else ""
        table.add_row(
            f"Discount{flag}",
            "",
            f"{percent(custom.discount_rate)} of subtotal",
            money(custom.discount.copy_negate()),
            style="bold yellow" if flag else None,
        )
        table.add_row("Net", "", "", money(custom.net))
    table.add_row("Tax", "", f"{percent(quote.tax_rate)} of net", money(custom.tax))
    table.add_row("Total", "", "", money(custom.total), style="bold")
    return table


def _summary(quote: Quote) -> str:
    cur = quote.currency
    years = quote.custom.term_years
    extra = quote.extra_cost
    span = f"over {years} {'year' if years == 1 else 'years'}, tax included"
    if extra >= 0:
        return f"Custom costs [bold]{format_money(extra, cur)}[/] more than standard {span}."
    return (
        f"Custom costs [bold]{format_money(extra.copy_negate(), cur)}[/] less than standard {span}."
    )


def _notes(quote: Quote) -> list[RenderableType]:
    custom = quote.custom
    notes: list[RenderableType] = []
    if custom.discount_approval_required:
        above = percent(custom.discount_approval_above or Decimal(0))
        rate = percent(custom.discount_rate)
        notes.append(
            f"[bold yellow]Needs approval:[/] the {rate} discount is above the rate card's "
            f"{above} limit."
        )
    if quote.date_assumed:
        notes.append(f"Dated today ({quote.date}): the estimate has no date.")
    return notes


def renderables(quote: Quote) -> list[RenderableType]:
    """Return what the terminal view prints, in order."""
    return [
        _header(quote),
        "",
        comparison(quote),
        _summary(quote),
        "",
        breakdown(quote),
        *_notes(quote),
    ]


def print_quote(quote: Quote, console: Console) -> None:
    """Print the terminal view on console."""
    for item in renderables(quote):
        console.print(item)


def show(quote: Quote, console: Console, width: int | None = None) -> None:
    """Show the quote: in colour on a terminal, as plain text of the given width when piped."""
    if console.is_terminal:
        print_quote(quote, console)
    else:
        console.file.write(render(quote, width=width or PLAIN_WIDTH))


def render(quote: Quote, width: int = PLAIN_WIDTH) -> str:
    """Render the terminal view as plain text (no colour, no trailing blanks)."""
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False)
    print_quote(quote, console)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"
