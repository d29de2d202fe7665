"""--explain: every figure of the quote with its formula and inputs (SPEC 7).

Each row names a figure, writes the formula with the figures it was computed from, and shows
the result the quote holds, so a reader can redo the arithmetic with a pocket calculator.
"""

from __future__ import annotations

from decimal import Decimal

from ..money import format_money, format_rate, percent, plain
from ..pricing import Line, Quote
from .grid import BOLD, Grid
from .words import count, label

MAX_TERMS = 4  # a sum of more figures is written as "sum of N lines"


def explain(quote: Quote) -> Grid:
    """Lay out the explanation of every figure as a table: figure, formula, amount."""
    cur = quote.currency
    std, custom = quote.standard, quote.custom
    risk = custom.risk
    grid = Grid(
        "How each figure is computed (round: half up to the minor unit)",
        ("Figure", "Formula", "Amount"),
        (False, False, True),
    )

    def money(amount: Decimal) -> str:
        return format_money(amount, cur)

    def add(figure: str, formula: str, amount: Decimal, *, total: bool = False) -> None:
        grid.add(figure, formula, money(amount), style=BOLD if total else None)

    def end_section() -> None:
        cells, style, _ = grid.rows[-1]
        grid.rows[-1] = (cells, style, True)

    def plus(*amounts: Decimal) -> str:
        if len(amounts) > MAX_TERMS:
            return f"sum of {len(amounts)} figures above"
        return " + ".join(money(a) for a in amounts) if amounts else money(Decimal(0))

    def line(label: str, item: Line) -> None:
        rate = format_rate(item.rate, cur)
        spread = item.spread
        if spread is None:
            formula = f"{item.engineers} × {plain(item.weeks)} wk × {rate}"
        else:
            pert = f"({plain(spread.low)} + 4 × {plain(spread.likely)} + {plain(spread.high)}) / 6"
            formula = f"round({item.engineers} × {pert} wk × {rate})"
        add(f"{label}: {item.task}", formula, item.amount)

    grid.add("Custom", "", "", style=BOLD)
    for item in custom.build:
        line("Build", item)
    add("Build subtotal", plus(*(item.amount for item in custom.build)), custom.build_subtotal)
    if risk.lines:
        for item in risk.lines:
            spread = item.spread
            assert spread is not None, "risk lines are ranges"
            add(
                f"σ: {item.task}",
                f"round({item.engineers} × {format_rate(item.rate, cur)} × "
                f"({plain(spread.high)} − {plain(spread.low)}) / 6)",
                spread.sigma_amount,
            )
        add("σ of the ranges", "round(√(Σ σ²)), each σ unrounded: in quadrature", risk.sigma)
        z = plain(risk.z or Decimal(0))
        grid.add(
            "z",
            f"NormalDist().inv_cdf({plain(risk.confidence)}), 6 places",
            z,
        )
        add("Estimate risk reserve", f"round({z} × {money(risk.sigma)})", risk.reserve)
    base = "single-point lines" if risk.lines else "build subtotal"
    add(
        "Contingency",
        f"round({percent(custom.contingency_rate)} × {money(custom.contingency_base)} {base})",
        custom.contingency,
    )
    parts = [custom.build_subtotal, custom.contingency]
    if risk.lines:
        parts.insert(1, custom.reserve)
    add("NRE", plus(*parts), custom.nre, total=True)
    for item in custom.per_upgrade:
        line("Per upgrade", item)
    if custom.per_upgrade:
        add(
            "Cost per upgrade, year 1",
            plus(*(item.amount for item in custom.per_upgrade)),
            custom.per_upgrade_cost,
        )
    growth = plain(1 + custom.annual_escalation)
    for year in custom.maintenance:
        price = money(custom.per_upgrade_cost)
        if year.year > 1:
            add(
                f"Price per upgrade, year {year.year}",
                f"round({price} × {growth}^{year.year - 1})",
                year.unit_price,
            )
        add(
            f"Upgrades, year {year.year}",
            f"{year.upgrades} × {money(year.unit_price)}",
            year.amount,
        )
    add(
        "Maintenance total",
        plus(*(year.amount for year in custom.maintenance)),
        custom.maintenance_total,
    )
    for service in custom.services:
        per_year = format_rate(service.per_year, cur)
        for number, amount in enumerate(service.years, start=1):
            formula = f"round({per_year} × {growth}^{number - 1})" if number > 1 else per_year
            add(f"{service.name}, year {number}", formula, amount)
    if custom.services:
        add(
            "Services total",
            plus(*(amount for service in custom.services for amount in service.years)),
            custom.services_total,
        )
    extras = [custom.maintenance_total, *([custom.services_total] if custom.services else [])]
    add("Subtotal", plus(custom.nre, *extras), custom.subtotal)
    if custom.discount_rate:
        add(
            "Discount",
            f"round({percent(custom.discount_rate)} × {money(custom.subtotal)})",
            custom.discount,
        )
        add("Net", f"{money(custom.subtotal)} − {money(custom.discount)}", custom.net)
    add("Tax", f"round({percent(quote.tax_rate)} × {money(custom.net)})", custom.tax)
    add("Custom total", plus(custom.net, custom.tax), custom.total, total=True)
    for part in custom.payment:
        add(
            f"Payment: {part.milestone}",
            f"{percent(part.share)} of the total, rounded running total less the ones before",
            part.amount,
        )

    end_section()
    grid.add("Standard", "", "", style=BOLD)
    add("Onboarding fee", "from the rate card", std.fee)
    add(
        "Coaching",
        f"round({count('count.day', std.coaching_days)} × "
        f"{format_rate(std.coaching_per_day, cur)})",
        std.coaching,
    )
    add("Tax", f"round({percent(quote.tax_rate)} × {money(std.net)})", std.tax)
    add("Standard total", plus(std.net, std.tax), std.total, total=True)
    add("Custom less standard", f"{money(custom.total)} − {money(std.total)}", quote.extra_cost)
    end_section()
    grid.add("Options over the term", "", "", style=BOLD)
    for option in quote.options:
        name = label(option.key)
        if option.key == "productize":
            share = percent(quote.productize_share or Decimal(0))
            cofunding = option.one_time - std.fee
            add(f"{name}: co-funding", f"round({share} × {money(custom.nre)} NRE)", cofunding)
        formula = f"{money(option.one_time)} one-time"
        if option.recurring_total:
            formula += f" + {money(option.recurring_total)} recurring"
        if option.discount:
            formula += f" − {money(option.discount)} discount"
        formula += f" + {money(option.tax)} tax"
        add(f"{name}: total", formula, option.total, total=option.key == "custom")
        if not option.recurring_total:
            add(f"{name}: year 1", "the whole total; later years nothing", option.years[0].amount)
            continue
        costs = option.one_time + option.recurring_total
        spent = Decimal(0)
        before = Decimal(0)
        for cost in option.years:
            spent += cost.cost
            formula = f"round({money(option.total)} × {money(spent)} ÷ {money(costs)})"
            if before:
                formula += f" − {money(before)}"
            add(f"{name}: year {cost.year}", formula, cost.amount)
            before = cost.cumulative
    after = quote.upgrades_pass_nre_after
    if after is not None:
        charged = sum(custom.upgrade_prices()[:after], Decimal(0))
        add(
            f"Upgrade charges after {count('count.upgrade', after)}",
            f"the prices of upgrades 1 to {after} added up; more than the NRE {money(custom.nre)}",
            charged,
        )
    return grid
