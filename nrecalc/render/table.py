"""The terminal view: header, standard-vs-custom comparison, custom breakdown.

The view is laid out once, as plain data (Text lines and Grid tables), and drawn as lines of
text: piped or written to a file at its full width, without importing rich; on a terminal fitted
to its width (text wraps, figures never do) and coloured by rich.
"""

from decimal import Decimal
from typing import TYPE_CHECKING

from ..choices import Audience
from ..money import format_money, format_rate, percent, plain, quantity
from ..pricing import Line, Quote
from .content import side_by_side
from .grid import BOLD, WARN, Block, Grid, Text, bar, draw
from .text import chart_years
from .words import carrier, count, label, rise, say, sentences, time_to_value

if TYPE_CHECKING:
    from rich.console import Console


def _derivation(line: Line, currency: str, internal: bool) -> str:
    spread = line.spread
    if spread is None:
        effort = f"{line.engineers} eng × {plain(line.weeks)} wk"
    else:
        weeks = f"{plain(spread.low)}/{plain(spread.likely)}/{plain(spread.high)}"
        effort = f"{line.engineers} eng × ≈{plain(quantity(spread.mean, 2))} wk ({weeks})"
    return f"{effort} × {format_rate(line.rate, currency)}/wk" if internal else effort


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
    headers = ("", label("standard"), label("custom"))
    grid = Grid(say("heading.side_by_side"), headers, (False, False, False))
    for row in side_by_side(quote, internal):
        grid.add(row.label, row.standard, row.custom, style=BOLD if row.total else None)
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
        spare=(1,),  # beside the amounts, the derivation says more than the role
    )

    def effort(lines: tuple[Line, ...]) -> None:
        for line in lines:
            grid.add(
                f"  {line.task}", line.role, _derivation(line, cur, internal), money(line.amount)
            )

    grid.add("Build", "", "one-time", "", style=BOLD)
    effort(custom.build)
    risk = custom.risk
    grid.add(
        "Build subtotal",
        "",
        "ranges at their mean" if risk.lines else "",
        money(custom.build_subtotal),
    )
    if risk.lines:
        level = f"P{percent(risk.confidence)[:-1]} − mean"
        grid.add("Estimate risk reserve", "", level, money(custom.reserve))
    if internal:
        base = "single-point lines" if risk.lines else "build"
        ratio = f"{percent(custom.contingency_rate)} of {base}"
        grid.add("Contingency", "", ratio, money(custom.contingency))
    else:
        grid.add("Risk allowance", "", "", money(custom.contingency))
    grid.add("NRE", "", "", money(custom.nre), style=BOLD, end_section=True)
    if custom.per_upgrade:
        grid.add("Per upgrade", "", "on every platform upgrade", "", style=BOLD)
        effort(custom.per_upgrade)
        grid.add("Cost per upgrade", "", "year-1 price", money(custom.per_upgrade_cost))
    rising = rise(custom, internal)
    grid.add("Maintenance", "", f"{custom.upgrades_per_year} upgrades/yr{rising}", "", style=BOLD)
    for year in custom.maintenance:
        grid.add(
            f"  Year {year.year}",
            "",
            f"{year.upgrades} × {money(year.unit_price)}",
            money(year.amount),
        )
    grid.add("Maintenance total", "", "", money(custom.maintenance_total), end_section=True)
    if custom.services:
        grid.add("Services", "", f"per year{rise(custom, internal)}", "", style=BOLD)
        for service in custom.services:
            for number, amount in enumerate(service.years, start=1):
                grid.add(f"  {service.name}", "", f"year {number}", money(amount))
        grid.add("Services total", "", "", money(custom.services_total), end_section=True)
    what = "NRE + maintenance + services" if custom.services else "NRE + maintenance"
    grid.add("Subtotal", "", what, money(custom.subtotal))
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


def ladder(quote: Quote) -> Grid:
    """Lay out every option over the term: time to value, costs, who carries the risk."""
    cur = quote.currency
    years = count("count.year", quote.custom.term_years)
    grid = Grid(
        f"Your options over {years}",
        (
            "Option",
            "Time to value",
            "One-time",
            f"Recurring, {years}",
            "Total, incl. tax",
            "Upgrade risk",
        ),
        (False, False, True, True, True, False),
    )
    for option in quote.options:
        grid.add(
            label(option.key),
            time_to_value(option.time_to_value),
            format_money(option.one_time, cur),
            format_money(option.recurring_total, cur),
            format_money(option.total, cur),
            carrier(option.upgrade_risk),
            style=BOLD if option.key == "custom" else None,
        )
    return grid


def lifetime(quote: Quote) -> Grid:
    """Lay out the cumulative cost of each option, year by year, as a bar chart."""
    cur = quote.currency
    most = max(option.total for option in quote.options)
    grid = Grid(
        "Cumulative cost, incl. tax",
        ("Year", "Option", "", "To date"),
        (False, False, False, True),
        chart=2,
    )
    shown = chart_years(quote.custom.term_years)
    for year in shown:
        for index, option in enumerate(quote.options):
            cost = option.years[year - 1].cumulative
            grid.add(
                f"Year {year}" if index == 0 else "",
                label(option.key),
                bar(cost, most),
                format_money(cost, cur),
                style=BOLD if option.key == "custom" else None,
                end_section=index == len(quote.options) - 1 and year != shown[-1],
            )
    return grid


def risk(quote: Quote, internal: bool = True) -> Grid | None:
    """Lay out how the effort ranges are priced at the confidence level, if there are any."""
    custom = quote.custom
    found = custom.risk
    if not found.lines:
        return None
    cur = quote.currency

    def money(amount: Decimal) -> str:
        return format_money(amount, cur)

    level = percent(found.confidence)
    grid = Grid(
        f"Effort ranges, priced at {level} confidence",
        ("Item", "Weeks low/likely/high", "Mean", "σ", "At mean"),
        (False, False, True, True, True),
    )
    for line in found.lines:
        spread = line.spread
        assert spread is not None, "risk lines are ranges"
        grid.add(
            f"  {line.task}",
            f"{line.engineers} × {plain(spread.low)}/{plain(spread.likely)}/{plain(spread.high)}",
            f"{plain(quantity(spread.mean, 2))} wk",
            money(spread.sigma_amount),
            money(line.amount),
        )
    z = f"z {plain(found.z or Decimal(0))} × σ" if internal else f"P{level[:-1]} − mean"
    grid.add("Ranges at their mean (P50)", "", "", money(found.sigma), money(found.mean))
    grid.add("Estimate risk reserve", z, "", "", money(found.reserve))
    grid.add(f"Ranges at P{level[:-1]}", "", "", "", money(found.mean + found.reserve), style=BOLD)
    return grid


def summary(quote: Quote) -> list[Block]:
    """Say in plain sentences what the options cost over the term."""
    return [Text(sentence) for sentence in sentences(quote)]


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


def layout(
    quote: Quote, audience: Audience = Audience.internal, *, explain: bool = False
) -> list[Block]:
    """Lay out the whole terminal view, in order; the customer sees no rates, ratios or flags."""
    internal = audience is Audience.internal
    blank = Text("")
    ranges = risk(quote, internal)
    found: list[Block] = [
        *header(quote, internal),
        blank,
        comparison(quote, internal),
        *summary(quote),
        blank,
        ladder(quote),
        lifetime(quote),
        breakdown(quote, internal),
    ]
    if ranges is not None:
        found.append(ranges)
    found.extend(notes(quote, internal))
    if explain:
        from .explain import explain as explained

        found.append(explained(quote))
    return found


def render(
    quote: Quote,
    audience: Audience = Audience.internal,
    *,
    explain: bool = False,
    width: int | None = None,
) -> str:
    """Render the view as plain text, no blanks at line ends: fitted to width, or at full width."""
    drawn = draw(layout(quote, audience, explain=explain), width)
    return "".join(f"{line.text}\n" for line in drawn)


# --- rich, on a terminal ---------------------------------------------------------------------


def print_rich(
    quote: Quote,
    audience: Audience = Audience.internal,
    console: "Console | None" = None,
    *,
    explain: bool = False,
) -> None:
    """Print the view in colour, fitted to the terminal (on stdout unless a console is given).

    Below MIN_WIDTH columns the view keeps its full width, as when piped.
    """
    from rich.console import Console
    from rich.text import Text as RichText

    console = console or Console()
    out = RichText()
    for number, line in enumerate(draw(layout(quote, audience, explain=explain), console.width)):
        if number:
            out.append("\n")
        start = len(out)
        out.append(line.text, style=line.style)
        if line.strong:
            out.stylize(BOLD, start, start + line.strong)
    console.print(out, soft_wrap=True)
