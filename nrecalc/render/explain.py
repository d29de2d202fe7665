"""--explain: every figure of the quote with its formula and inputs (SPEC 7).

Each row names a figure, writes the formula with the figures it was computed from, and shows
the result the quote holds, so a reader can redo the arithmetic with a pocket calculator.
"""

from __future__ import annotations

from decimal import Decimal

from ..fx import unconverted
from ..money import EXACT, exact_sum, format_money, format_rate, fx_rate_text, percent, plain
from ..pricing import Line, Quote
from ..schedule import Option, Part
from .grid import BOLD, Grid
from .words import count, exchange, label, milestone, say

MAX_TERMS = 4  # a sum of more figures is written as "sum of N figures above"


class _Sheet:
    """The explanation being laid out: a grid of figure, formula and amount, in one currency."""

    def __init__(self, quote: Quote) -> None:
        self.currency = quote.currency
        self.grid = Grid(
            say("explain.title", round=say("explain.round")),
            (
                say("explain.column.figure"),
                say("explain.column.formula"),
                say("column.amount"),
            ),
            (False, False, True),
        )

    def money(self, amount: Decimal) -> str:
        return format_money(amount, self.currency)

    def rate(self, amount: Decimal) -> str:
        return format_rate(amount, self.currency)

    def add(self, figure: str, formula: str, amount: Decimal, *, total: bool = False) -> None:
        self.grid.add(figure, formula, self.money(amount), style=BOLD if total else None)

    def heading(self, text: str) -> None:
        self.grid.add(text, "", "", style=BOLD)

    def end_section(self) -> None:
        cells, style, _ = self.grid.rows[-1]
        self.grid.rows[-1] = (cells, style, True)

    def plus(self, *amounts: Decimal) -> str:
        """Write a sum of amounts, or say how many figures above it adds up."""
        if len(amounts) > MAX_TERMS:
            return count("explain.sum", len(amounts))
        return " + ".join(map(self.money, amounts)) if amounts else self.money(Decimal(0))


def _round(formula: str) -> str:
    return f"{say('explain.round')}({formula})"


def _part(whole: str, part: str) -> str:
    return say("explain.part", whole=whole, part=part)


def _in_year(figure: str, year: int) -> str:
    return say("figure.detailed", figure=figure, detail=say("figure.in_year", year=year))


def _share(share: Decimal, amount: str) -> str:
    return _round(f"{percent(share)} × {amount}")


def _part_name(part: Part) -> str:
    """Name a part of a total: the one-time part, or a year's upgrades or services."""
    if part.kind == "one_time":
        return say("explain.one_time_part")
    name = say("column.upgrades") if part.kind == "upgrades" else say("view.services")
    return _in_year(name, part.year)


def explain(quote: Quote) -> Grid:
    """Lay out the explanation of every figure as a table: figure, formula, amount."""
    sheet = _Sheet(quote)
    if quote.fx is not None:
        _exchange(sheet, quote)
        sheet.end_section()
    sheet.heading(label("custom"))
    _build(sheet, quote)
    _upgrades(sheet, quote)
    _services(sheet, quote)
    _closing(sheet, quote)
    sheet.end_section()
    _standard(sheet, quote)
    sheet.end_section()
    sheet.heading(say("explain.options"))
    for option in quote.options:
        _option(sheet, quote, option)
    _charges_after(sheet, quote)
    return sheet.grid


def _exchange(sheet: _Sheet, quote: Quote) -> None:
    """Explain the conversion: the rate, then each role's rate in the card's currency, times it."""
    rate = quote.fx
    assert rate is not None
    factor = fx_rate_text(rate.rate)
    formula = say("explain.fx_formula", rate=exchange(rate), factor=factor)
    sheet.grid.add(say("fact.fx"), formula, "", style=BOLD)
    lines = (*quote.custom.build, *quote.custom.per_upgrade)
    prices = [(say("explain.fx_role", role=role), price) for role, price in _rates(lines).items()]
    if quote.standard.coaching_days:
        prices.append((say("figure.coaching"), quote.standard.coaching_per_day))
    prices += [
        (say("explain.fx_service", service=s.name), s.per_year) for s in quote.custom.services
    ]
    for figure, converted in prices:
        card_price = format_rate(unconverted(converted, rate), rate.from_)
        sheet.grid.add(figure, f"{card_price} × {factor}", sheet.rate(converted))


def _rates(lines: tuple[Line, ...]) -> dict[str, Decimal]:
    """Return each role's weekly rate, in the order the lines first name it."""
    return {line.role: line.rate for line in lines}


def _line(sheet: _Sheet, section: str, item: Line) -> None:
    rate = sheet.rate(item.rate)
    spread = item.spread
    if spread is None:
        weeks = say("figure.weeks", weeks=plain(item.weeks))
        formula = f"{item.engineers} × {weeks} × {rate}"
    else:
        pert = f"({plain(spread.low)} + 4 × {plain(spread.likely)} + {plain(spread.high)}) / 6"
        formula = _round(f"{item.engineers} × {say('figure.weeks', weeks=pert)} × {rate}")
    sheet.add(_part(section, item.task), formula, item.amount)


def _build(sheet: _Sheet, quote: Quote) -> None:
    """Explain the build's lines, the estimate risk reserve and the contingency, to the NRE."""
    custom = quote.custom
    risk = custom.risk
    for item in custom.build:
        _line(sheet, say("figure.build"), item)
    build = sheet.plus(*(item.amount for item in custom.build))
    sheet.add(say("figure.build_subtotal"), build, custom.build_subtotal)
    if risk.lines:
        _ranges(sheet, quote)
    base = say("figure.single_point") if risk.lines else say("explain.base.build_subtotal")
    of = f"{sheet.money(custom.contingency_base)} {base}"
    sheet.add(say("figure.contingency"), _share(custom.contingency_rate, of), custom.contingency)
    parts = [custom.build_subtotal, custom.contingency]
    if risk.lines:
        parts.insert(1, custom.reserve)
    sheet.add(say("figure.nre"), sheet.plus(*parts), custom.nre, total=True)


def _ranges(sheet: _Sheet, quote: Quote) -> None:
    """Explain each range's σ, their sum in quadrature, z, the reserve and what they carry."""
    custom = quote.custom
    risk = custom.risk
    for item in risk.lines:
        spread = item.spread
        assert spread is not None, "risk lines are ranges"
        width = f"({plain(spread.high)} − {plain(spread.low)}) / 6"
        formula = _round(f"{item.engineers} × {sheet.rate(item.rate)} × {width}")
        sheet.add(_part(say("symbol.sigma"), item.task), formula, spread.sigma_amount)
    formula = say("explain.sigma_formula", round=say("explain.round"))
    sheet.add(say("explain.sigma_total"), formula, risk.sigma)
    z = plain(risk.z or Decimal(0))
    sheet.grid.add(say("symbol.z"), say("explain.z_formula", confidence=plain(risk.confidence)), z)
    formula = _round(f"{z} × {sheet.money(risk.sigma)}")
    sheet.add(say("figure.reserve"), formula, risk.reserve)
    # The contingency on the whole build less that on the single-point lines, so that the two
    # are rounded as one: a range never costs less than the same work as one figure.
    whole = _share(custom.contingency_rate, f"{sheet.money(custom.build_subtotal)}")
    formula = say("explain.floor", whole=whole, points=sheet.money(custom.contingency))
    sheet.add(say("figure.floor"), formula, risk.floor)
    carry = "explain.carry.reserve" if risk.applied == "reserve" else "explain.carry.contingency"
    both = {"reserve": sheet.money(risk.reserve), "floor": sheet.money(risk.floor)}
    sheet.add(say("figure.charge"), say(carry, **both), risk.charge)


def _upgrades(sheet: _Sheet, quote: Quote) -> None:
    """Explain the price of an upgrade, year by year, and the upgrade charges of each year."""
    custom = quote.custom
    for item in custom.per_upgrade:
        _line(sheet, say("figure.per_upgrade"), item)
    if custom.per_upgrade:
        sheet.add(
            _in_year(say("figure.cost_per_upgrade"), 1),
            sheet.plus(*(item.amount for item in custom.per_upgrade)),
            custom.per_upgrade_cost,
        )
    price = sheet.money(custom.per_upgrade_cost)
    for year in custom.maintenance:
        if year.year > 1:
            sheet.add(
                _in_year(say("column.unit_price"), year.year),
                _round(f"{price} × {_growth(quote)}^{year.year - 1}"),
                year.unit_price,
            )
        formula = f"{year.upgrades} × {sheet.money(year.unit_price)}"
        sheet.add(_in_year(say("column.upgrades"), year.year), formula, year.amount)
    total = sheet.plus(*(year.amount for year in custom.maintenance))
    sheet.add(say("figure.maintenance_total"), total, custom.maintenance_total)


def _growth(quote: Quote) -> str:
    return plain(EXACT.add(1, quote.custom.annual_escalation))


def _services(sheet: _Sheet, quote: Quote) -> None:
    """Explain each service's price, year by year, and their total."""
    custom = quote.custom
    for service in custom.services:
        per_year = sheet.rate(service.per_year)
        for number, amount in enumerate(service.years, start=1):
            formula = _round(f"{per_year} × {_growth(quote)}^{number - 1}")
            sheet.add(_in_year(service.name, number), formula if number > 1 else per_year, amount)
    if custom.services:
        amounts = (amount for service in custom.services for amount in service.years)
        sheet.add(say("figure.services_total"), sheet.plus(*amounts), custom.services_total)


def _closing(sheet: _Sheet, quote: Quote) -> None:
    """Explain the subtotal, any discount, the tax, the total and the payment schedule."""
    custom = quote.custom
    money = sheet.money
    extras = [custom.maintenance_total, *([custom.services_total] if custom.services else [])]
    sheet.add(say("figure.subtotal"), sheet.plus(custom.nre, *extras), custom.subtotal)
    if custom.discount_rate:
        formula = _share(custom.discount_rate, money(custom.subtotal))
        sheet.add(say("figure.discount"), formula, custom.discount)
        formula = f"{money(custom.subtotal)} − {money(custom.discount)}"
        sheet.add(say("figure.net"), formula, custom.net)
    sheet.add(say("figure.tax"), _share(quote.tax_rate, money(custom.net)), custom.tax)
    total = sheet.plus(custom.net, custom.tax)
    sheet.add(say("explain.custom_total"), total, custom.total, total=True)
    _payment(sheet, quote)


def _apportioned(sheet: _Sheet, total: Decimal, part: Part, costs: Decimal) -> str:
    """Write a part's share of a total: total × its cost ÷ all the costs, by largest remainder."""
    money = sheet.money
    return say("explain.apportioned", total=money(total), cost=money(part.cost), costs=money(costs))


def _payment(sheet: _Sheet, quote: Quote) -> None:
    """Explain the payment schedule: the one-time part and its milestones, then each year's."""
    custom = quote.custom
    payment = say("heading.payment")
    one_time, *yearly = custom.parts
    formula = _apportioned(sheet, custom.total, one_time, custom.subtotal)
    sheet.add(_part(payment, _part_name(one_time)), formula, one_time.amount)
    whole = sheet.money(one_time.amount)
    for step in custom.payment:
        formula = say("explain.milestone", share=percent(step.share), amount=whole)
        sheet.add(_part(payment, milestone(quote, step.milestone)), formula, step.amount)
    for part in yearly:
        formula = _apportioned(sheet, custom.total, part, custom.subtotal)
        sheet.add(_part(payment, _part_name(part)), formula, part.amount)


def _standard(sheet: _Sheet, quote: Quote) -> None:
    """Explain the standard option's figures and how much more custom costs."""
    std, custom = quote.standard, quote.custom
    money = sheet.money
    sheet.heading(label("standard"))
    sheet.add(say("figure.onboarding_fee"), say("explain.from_rate_card"), std.fee)
    days = count("count.day", std.coaching_days)
    coaching = _round(f"{days} × {sheet.rate(std.coaching_per_day)}")
    sheet.add(say("figure.coaching"), coaching, std.coaching)
    sheet.add(say("figure.tax"), _share(quote.tax_rate, money(std.net)), std.tax)
    total = sheet.plus(std.net, std.tax)
    sheet.add(say("explain.standard_total"), total, std.total, total=True)
    formula = f"{money(custom.total)} − {money(std.total)}"
    sheet.add(say("explain.custom_less_standard"), formula, quote.extra_cost)


def _option(sheet: _Sheet, quote: Quote, option: Option) -> None:
    """Explain an option's total and how it falls year by year."""
    money = sheet.money
    name = label(option.key)
    if option.key == "productize":
        nre = say("explain.of_nre", amount=money(quote.custom.nre))
        cofunding = EXACT.subtract(option.one_time, quote.standard.fee)
        share = _share(quote.productize_share or Decimal(0), nre)
        sheet.add(_part(name, say("explain.cofunding")), share, cofunding)
    terms = [say("explain.one_time", amount=money(option.one_time))]
    if option.recurring_total:
        terms.append(" + " + say("explain.recurring", amount=money(option.recurring_total)))
    if option.discount:
        terms.append(" − " + say("explain.discount", amount=money(option.discount)))
    terms.append(" + " + say("explain.tax", amount=money(option.tax)))
    total = _part(name, say("explain.total"))
    sheet.add(total, "".join(terms), option.total, total=option.key == "custom")
    if not option.recurring_total:
        year_one = _part(name, say("figure.in_year", year=1))
        sheet.add(year_one, say("explain.all_in_year_one"), option.years[0].amount)
        return
    # The total is split over the option's parts as the payment schedule splits it; a year's
    # amount is the sum of its parts. The custom option's parts are the payments shown above.
    costs = EXACT.add(option.one_time, option.recurring_total)
    shown = option.parts == quote.custom.parts
    for year in option.years:
        parts = [part for part in option.parts if part.year == year.year]
        if len(parts) == 1:
            formula = _apportioned(sheet, option.total, parts[0], costs)
        else:
            if not shown:
                for part in parts:
                    formula = _apportioned(sheet, option.total, part, costs)
                    sheet.add(_part(name, _part_name(part)), formula, part.amount)
            sum_of = sheet.plus(*(part.amount for part in parts))
            formula = say("explain.year_parts", parts=sum_of)
        sheet.add(_part(name, say("figure.in_year", year=year.year)), formula, year.amount)


def _charges_after(sheet: _Sheet, quote: Quote) -> None:
    """Explain after how many upgrades their charges pass the NRE, if they do in the term."""
    custom = quote.custom
    after = quote.upgrades_pass_nre_after
    if after is None:
        return
    charged = exact_sum(custom.upgrade_prices()[:after])
    sheet.add(
        say("explain.charges_after", upgrades=count("count.upgrade", after)),
        count("explain.charges_added", after, nre=sheet.money(custom.nre)),
        charged,
    )
