"""The terminal view: header, standard-vs-custom comparison, custom breakdown.

The view is laid out once, as plain data (Text lines and Grid tables), and drawn as lines of
text: piped or written to a file at its full width, without importing rich; on a terminal fitted
to its width (text wraps, figures never do) and coloured by rich.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from ..choices import Audience
from ..money import EXACT, format_money, format_rate, percent, plain, quantity
from ..pricing import Line, Quote
from .content import side_by_side
from .grid import BOLD, WARN, Block, Grid, Shown, Text, bar, draw
from .text import chart_years
from .words import (
    card_amount,
    carrier,
    count,
    date_text,
    exchange,
    label,
    rise,
    say,
    sentences,
    speaking,
    time_to_value,
)

if TYPE_CHECKING:
    from rich.console import Console


def _derivation(line: Line, currency: str, internal: bool) -> str:
    engineers = say("view.engineers", engineers=line.engineers)
    spread = line.spread
    if spread is None:
        effort = f"{engineers} × {say('figure.weeks', weeks=plain(line.weeks))}"
    else:
        mean = say("figure.weeks", weeks=plain(quantity(spread.mean, 2)))
        # the customer sees the effort at its mean, never the range (SPEC 6, audience)
        effort = f"{engineers} × ≈{mean}" + (f" ({_three_points(line)})" if internal else "")
    if not internal:
        return effort
    return f"{effort} × {say('view.per_week', rate=format_rate(line.rate, currency))}"


def _three_points(line: Line) -> str:
    spread = line.spread
    assert spread is not None, "a range line"
    return f"{plain(spread.low)}/{plain(spread.likely)}/{plain(spread.high)}"


def header(quote: Quote, internal: bool = True) -> list[Block]:
    """Lay out the heading: quote id, customer, title, dates, rate card."""
    day = date_text(quote.date)
    date = say("fact.date_assumed", date=day) if quote.date_assumed else day
    if internal:
        card = say(
            "view.rate_card",
            name=quote.rate_card_name,
            version=quote.rate_card_version,
            path=quote.rate_card.path,
            currency=quote.currency if quote.fx is None else f"{quote.fx.from_} → {quote.currency}",
        )
    else:
        card = say("view.amounts_in", currency=quote.currency)
    found: list[Block] = [
        Text(f" · {quote.customer}", strong=say("view.quote", id=quote.id)),
        Text(quote.title),
        Text(say("view.dates", date=date, valid_until=date_text(quote.valid_until))),
        Text(card),
    ]
    if quote.fx is not None:
        found.append(Text(say("view.fx", rate=exchange(quote.fx))))
    return found


def comparison(quote: Quote, internal: bool = True) -> Grid:
    """Lay out the side-by-side table of the standard and the custom option."""
    headers = ("", label("standard"), label("custom"))
    grid = Grid(say("heading.side_by_side"), headers, (False, False, False))
    for row in side_by_side(quote, internal):
        grid.add(row.label, row.standard, row.custom, style=BOLD if row.total else None)
    return grid


def breakdown(quote: Quote, internal: bool = True) -> Grid:
    """Lay out the custom breakdown: every line with its derivation."""
    grid = Grid(
        say("view.breakdown"),
        (
            say("view.column.item"),
            say("column.role"),
            say("view.column.derivation"),
            say("column.amount"),
        ),
        (False, False, False, True),
        spare=(1,),  # beside the amounts, the derivation says more than the role
    )
    _build(grid, quote, internal)
    _upkeep(grid, quote, internal)
    _closing(grid, quote, internal)
    return grid


def _effort(
    grid: Grid,
    quote: Quote,
    lines: tuple[Line, ...],
    internal: bool,
    prices: tuple[Decimal, ...] | None = None,
) -> None:
    """Add lines of effort; prices, when given, are the customer's all-in prices."""
    money = _money(quote.currency, internal)
    for line, amount in zip(lines, prices or [line.amount for line in lines], strict=True):
        derivation = _derivation(line, quote.currency, internal)
        grid.add(f"  {line.task}", line.role, derivation, money(amount))


def _money(currency: str, internal: bool) -> Callable[[Decimal], str]:
    """Return the writer of amounts: for the customer nothing reads "no extra cost"."""
    free = say("price.free")
    return lambda amount: format_money(amount, currency) if amount or internal else free


def _build(grid: Grid, quote: Quote, internal: bool) -> None:
    """Add the build's lines and sums, down to the NRE."""
    custom = quote.custom
    cur = quote.currency
    ranges = bool(custom.risk.lines)
    grid.add(say("figure.build"), "", say("view.one_time"), "", style=BOLD)
    nre = _money(cur, internal)(custom.nre)
    if not internal:  # all-in prices, reserve and contingency folded in: they add up to the NRE
        _effort(grid, quote, custom.build, internal, custom.all_in(cur))
        grid.add(say("figure.nre"), "", "", nre, style=BOLD, end_section=True)
        return
    _effort(grid, quote, custom.build, internal)
    grid.add(
        say("figure.build_subtotal"),
        "",
        say("figure.ranges_at_mean") if ranges else "",
        format_money(custom.build_subtotal, cur),
    )
    if ranges:
        figure, derivation = _charge(quote)
        grid.add(figure, "", derivation, format_money(custom.reserve, cur))
    contingency = format_money(custom.contingency, cur)
    base = say("figure.single_point") if ranges else say("figure.base_build")
    ratio = say("view.share_of", share=percent(custom.contingency_rate), base=base)
    grid.add(say("figure.contingency"), "", ratio, contingency)
    if custom.review_required:  # SPEC 8.3: above the card's review_nre_above
        figure = say("flag.review_figure", figure=say("figure.nre"))
        grid.add(figure, "", "", nre, style=WARN, end_section=True)
        return
    grid.add(say("figure.nre"), "", "", nre, style=BOLD, end_section=True)


def _charge(quote: Quote) -> tuple[str, str]:
    """Name what the ranged lines carry, the larger of the two, and show the other beside it."""
    custom = quote.custom
    risk = custom.risk
    level = say("view.reserve", level=percent(risk.confidence)[:-1])
    base = say("figure.ranges_at_mean")
    share = say("view.share_of", share=percent(custom.contingency_rate), base=base)
    if risk.applied == "reserve":
        floor = format_money(risk.floor, quote.currency)
        return say("figure.reserve"), say(
            "view.reserve_applies", level=level, floor=floor, share=share
        )
    reserve = format_money(risk.reserve, quote.currency)
    return say("figure.floor"), say("view.floor_applies", share=share, reserve=reserve, level=level)


def _upkeep(grid: Grid, quote: Quote, internal: bool) -> None:
    """Add what the term costs after the build: upgrades, maintenance, services."""
    custom = quote.custom
    money = _money(quote.currency, internal)

    if custom.per_upgrade:
        grid.add(say("figure.per_upgrade"), "", say("view.on_every_upgrade"), "", style=BOLD)
        _effort(grid, quote, custom.per_upgrade, internal)
        price = money(custom.per_upgrade_cost)
        grid.add(say("figure.cost_per_upgrade"), "", say("view.year_one_price"), price)
    rising = rise(custom, internal)
    if internal or custom.maintenance_total:  # the customer sees no charges of nothing
        per_year = count("view.upgrades_per_year", custom.upgrades_per_year, rise=rising)
        grid.add(say("figure.upgrade_charges"), "", per_year, "", style=BOLD)
        for year in custom.maintenance:
            grid.add(
                f"  {say('figure.year', year=year.year)}",
                "",
                f"{year.upgrades} × {money(year.unit_price)}",
                money(year.amount),
            )
        total = money(custom.maintenance_total)
        grid.add(say("figure.maintenance_total"), "", "", total, end_section=True)
    if custom.services:
        grid.add(say("view.services"), "", say("view.per_year", rise=rising), "", style=BOLD)
        for service in custom.services:
            for number, amount in enumerate(service.years, start=1):
                grid.add(f"  {service.name}", "", say("figure.in_year", year=number), money(amount))
        total = money(custom.services_total)
        grid.add(say("figure.services_total"), "", "", total, end_section=True)


def _closing(grid: Grid, quote: Quote, internal: bool) -> None:
    """Add the subtotal, any discount, the tax and the total."""
    custom = quote.custom
    money = _money(quote.currency, internal)

    what = say("view.subtotal_services") if custom.services else say("view.subtotal")
    grid.add(say("figure.subtotal"), "", what, money(custom.subtotal))
    if custom.discount_rate if internal else custom.discount:  # the customer: when it is some
        flagged = internal and custom.discount_approval_required
        discount = say("figure.discount")
        rate = percent(custom.discount_rate)
        grid.add(
            say("flag.figure", figure=discount) if flagged else discount,
            "",
            say("view.share_of", share=rate, base=say("view.base.subtotal")),
            money(custom.discount.copy_negate()),
            style=WARN if flagged else None,
        )
        grid.add(say("figure.net"), "", "", money(custom.net))
    base = say("view.base.net") if custom.discount_rate else say("view.base.subtotal")
    tax = say("view.share_of", share=percent(quote.tax_rate), base=base)
    if internal or custom.tax:
        grid.add(say("figure.tax"), "", tax, money(custom.tax))
    grid.add(say("figure.total"), "", "", money(custom.total), style=BOLD)


def ladder(quote: Quote, internal: bool = True) -> Grid:
    """Lay out every option over the term: time to value, costs, who carries the risk."""
    money = _money(quote.currency, internal)
    years = count("count.year", quote.custom.term_years)
    grid = Grid(
        say("view.ladder", years=years),
        (
            say("column.option"),
            say("column.time_to_value"),
            say("column.one_time"),
            say("column.recurring", term=years),
            say("column.total_incl_tax"),
            say("column.upgrade_risk"),
        ),
        (False, False, True, True, True, False),
    )
    for option in quote.options:
        grid.add(
            label(option.key),
            time_to_value(option.time_to_value),
            money(option.one_time),
            money(option.recurring_total),
            money(option.total),
            carrier(option.upgrade_risk),
            style=BOLD if option.key == "custom" else None,
        )
    return grid


def lifetime(quote: Quote, internal: bool = True) -> Grid:
    """Lay out the cumulative cost of each option, year by year, as a bar chart."""
    money = _money(quote.currency, internal)
    most = max(option.total for option in quote.options)
    grid = Grid(
        say("view.lifetime"),
        (
            say("column.year"),
            say("column.option"),
            "",
            say("view.column.to_date"),
        ),
        (False, False, False, True),
        chart=2,
    )
    shown = chart_years(quote.custom.term_years)
    for year in shown:
        for index, option in enumerate(quote.options):
            cost = option.years[year - 1].cumulative
            grid.add(
                say("figure.year", year=year) if index == 0 else "",
                label(option.key),
                bar(cost, most),
                money(cost),
                style=BOLD if option.key == "custom" else None,
                end_section=index == len(quote.options) - 1 and year != shown[-1],
            )
    return grid


def risk(quote: Quote, internal: bool = True) -> Grid | None:
    """Lay out how the effort ranges are priced at the confidence level, if there are any."""
    custom = quote.custom
    found = custom.risk
    if not found.lines or not internal:  # the customer sees no ranges (SPEC 6, audience)
        return None
    cur = quote.currency

    def money(amount: Decimal) -> str:
        return format_money(amount, cur)

    level = percent(found.confidence)
    grid = Grid(
        say("view.ranges", confidence=say("figure.confidence", level=level)),
        (
            say("view.column.item"),
            say("view.column.weeks"),
            say("view.column.mean"),
            say("symbol.sigma"),
            say("view.column.at_mean"),
        ),
        (False, False, True, True, True),
    )
    for line in found.lines:
        spread = line.spread
        assert spread is not None, "risk lines are ranges"
        grid.add(
            f"  {line.task}",
            f"{line.engineers} × {_three_points(line)}",
            say("figure.weeks", weeks=plain(quantity(spread.mean, 2))),
            money(spread.sigma_amount),
            money(line.amount),
        )
    z = say("view.z", z=plain(found.z or Decimal(0)))
    grid.add(say("view.ranges_mean"), "", "", money(found.sigma), money(found.mean))
    grid.add(say("figure.reserve"), z, "", "", money(found.reserve))
    # and the contingency on the ranges: the ranges are priced with the larger of the two
    share = percent(custom.contingency_rate)
    of = say("view.share_of", share=share, base=say("figure.ranges_at_mean"))
    grid.add(say("figure.floor"), of, "", "", money(found.floor))
    plus = say("view.plus_reserve" if found.applied == "reserve" else "view.plus_floor")
    priced = money(EXACT.add(found.mean, found.charge))
    grid.add(say("view.ranges_priced"), plus, "", "", priced, style=BOLD)
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
                # one space after the bold "Needs approval:", as the documents have
                " " + say("flag.discount_above_limit", rate=rate, limit=above),
                strong=say("flag.needs_approval"),
                style=WARN,
            )
        )
    if internal and custom.review_required:
        nre = format_money(custom.nre, quote.currency)
        # the threshold as written: it may have more decimals than the currency
        limit = card_amount(custom.review_nre_above or Decimal(0), quote)
        found.append(
            Text(
                " " + say("flag.nre_above_review", nre=nre, limit=limit),
                strong=say("flag.needs_review"),
                style=WARN,
            )
        )
    return found


def layout(
    quote: Quote,
    audience: Audience = Audience.internal,
    *,
    explain: bool = False,
    brief: bool = False,
) -> list[Block]:
    """Lay out the whole terminal view, in order; the customer sees no rates, ratios or flags.

    brief: the head of it, the options side by side and what they cost (nrecalc new).
    """
    internal = audience is Audience.internal
    blank = Text("")
    ranges = risk(quote, internal)
    found: list[Block] = [*header(quote, internal), blank, comparison(quote, internal)]
    found.extend(summary(quote))
    if brief:
        return [*found, *notes(quote, internal)]
    found += [
        blank,
        ladder(quote, internal),
        lifetime(quote, internal),
        breakdown(quote, internal),
    ]
    if ranges is not None:
        found.append(ranges)
    found.extend(notes(quote, internal))
    if explain:
        from .explain import explain as explained

        found.append(explained(quote))
    return found


def _terminal_language(quote: Quote) -> str:
    """Return the terminal's language: a bilingual quote is shown in Chinese.

    The terminal is where the engineering lead works; its derivations and formulas are built
    from several entries, which read as one language, not as two interleaved.
    """
    return "zh-CN" if quote.language == "zh-CN+en" else quote.language


def render(
    quote: Quote,
    audience: Audience = Audience.internal,
    *,
    explain: bool = False,
    width: int | None = None,
    brief: bool = False,
) -> str:
    """Render the view as plain text, no blanks at line ends: fitted to width, or at full width."""
    with speaking(_terminal_language(quote)):
        drawn = draw(layout(quote, audience, explain=explain, brief=brief), width)
    return "".join(f"{line.text}\n" for line in drawn)


# --- rich, on a terminal ---------------------------------------------------------------------


def print_rich(
    quote: Quote,
    audience: Audience = Audience.internal,
    console: "Console | None" = None,
    *,
    explain: bool = False,
    brief: bool = False,
) -> None:
    """Print the view in colour, fitted to the terminal (on stdout unless a console is given).

    Below MIN_WIDTH columns the view keeps its full width, as when piped.
    """
    with speaking(_terminal_language(quote)):
        if console is None:
            from rich.console import Console

            console = Console()
        drawn = draw(layout(quote, audience, explain=explain, brief=brief), console.width)
    print_drawn(drawn, console)


def print_drawn(drawn: "list[Shown]", console: "Console | None" = None) -> None:
    """Print lines drawn by grid.draw in colour (on stdout unless a console is given)."""
    from rich.console import Console
    from rich.text import Text as RichText

    console = console or Console()
    out = RichText()
    for number, line in enumerate(drawn):
        if number:
            out.append("\n")
        start = len(out)
        out.append(line.text, style=line.style)
        if line.strong:
            out.stylize(BOLD, start, start + line.strong)
    console.print(out, soft_wrap=True)
