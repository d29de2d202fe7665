"""The lifetime chart of the HTML appendix: each option's cumulative cost, as inline SVG."""

from __future__ import annotations

from decimal import ROUND_CEILING, Context, Decimal, localcontext

from ..escape import html as escape
from ..money import format_money, minor_unit, plain, quantity
from ..pricing import Quote
from .text import chart_years, display_width
from .words import label, say

_WIDE = Context(prec=200)
_COLOURS = {
    "standard": "#8fa8c4",
    "standard_coaching": "#4f7cac",
    "productize": "#2a9d8f",
    "custom": "#1d4f7c",
}


def round_ticks(most: Decimal, count: int = 4, unit: Decimal = Decimal("0.01")) -> list[Decimal]:
    """Return round axis ticks from 0 up to most or just past it, about count steps.

    A step is 1, 2, 2.5 or 5 times a power of ten: 509,065 gets 0, 200,000, 400,000, 600,000;
    it is a whole number of the currency's minor unit, so that every tick is an amount it can
    write (a JPY axis has no 2.5 yen; a CNY axis under a cent steps by the cent).
    """
    # Wide enough for any amount a quote can reach (about 10**30 with an exchange rate): the
    # default 28 digits cannot take 10**29 % 0.01 (DivisionImpossible).
    with localcontext(_WIDE):
        rough = max(most / count, unit)
        base = Decimal(1).scaleb(rough.adjusted())  # the power of ten at or below rough
        factors = [f for f in (1, 2, Decimal("2.5"), 5, 10) if (base * f) % unit == 0]
        step = next(base * f for f in factors if base * f * count >= most)
        steps = int((most / step).to_integral_value(rounding=ROUND_CEILING))
        return [step * n for n in range(steps + 1)]


def lifetime_svg(quote: Quote, internal: bool) -> str:
    """Draw the cumulative cost of each option, year by year, as an inline SVG bar chart.

    The axis starts at a bare 0; for the customer a bar of nothing reads "no extra cost".
    """
    cur = quote.currency
    years = chart_years(quote.custom.term_years)
    options = quote.options
    largest = max((option.total for option in options), default=Decimal(0)) or Decimal(1)
    ticks = round_ticks(largest, unit=minor_unit(cur))
    most = ticks[-1]  # the axis ends at a round tick: the tallest bar may stop short of it
    whole = all(tick == tick.to_integral_value() for tick in ticks)
    width, left, right, top = 640, 92, 10, 14
    plot_w, plot_h = width - left - right, 186
    # The legend: one row, or as many as long (bilingual) labels need, about 4.6 units a cell.
    names = [label(option.key) for option in options]
    needed = max(display_width(name) for name in names) * Decimal("4.6") + 24
    per_row = max(1, min(len(names), int(plot_w // needed)))
    rows = -(-len(names) // per_row)
    height = top + plot_h + 36 + 14 * rows
    group = Decimal(plot_w) / len(years)
    bar = group * Decimal("0.8") / len(options)

    def y(amount: Decimal) -> Decimal:
        return top + plot_h - amount * plot_h / most

    def num(value: Decimal) -> str:
        return plain(quantity(value, 1))

    out = [
        # The font as presentation attributes too: WeasyPrint draws an inline SVG without the
        # page's style sheet (a browser's CSS overrides them), and would draw 16px text.
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="chart-title" class="chart" '
        f'font-family="sans-serif" font-size="10" fill="#5d6778">',
        f'<title id="chart-title">{escape(say("chart.title"))}</title>',
    ]
    for amount in ticks:
        at = num(y(amount))
        tick = format_money(amount, cur, 0) if whole else format_money(amount, cur)
        tick = escape(tick if amount else "0")
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{at}" y2="{at}" class="grid"/>'
            f'<text x="{left - 6}" y="{at}" class="axis" text-anchor="end" '
            f'dominant-baseline="middle">{tick}</text>'
        )
    for index, year in enumerate(years):
        x0 = left + group * index + group * Decimal("0.1")
        for number, option in enumerate(options):
            amount = option.years[year - 1].cumulative
            top_y = y(amount)
            shown = format_money(amount, cur) if amount or internal else say("price.free")
            out.append(
                f'<rect x="{num(x0 + bar * number)}" y="{num(top_y)}" width="{num(bar)}" '
                f'height="{num(top + plot_h - top_y)}" fill="{_COLOURS[option.key]}">'
                f"<title>{escape(_bar(option.key, year, shown))}</title></rect>"
            )
        centre = num(left + group * index + group / 2)
        out.append(
            f'<text x="{centre}" y="{top + plot_h + 14}" class="axis" '
            f'text-anchor="middle">{escape(say("figure.year", year=year))}</text>'
        )
    slot = Decimal(plot_w) / per_row
    for number, (option, name) in enumerate(zip(options, names, strict=True)):
        x, row = left + slot * (number % per_row), number // per_row
        base = height - 14 * (rows - row)
        out.append(
            f'<rect x="{num(x)}" y="{base - 4}" width="10" height="10" '
            f'fill="{_COLOURS[option.key]}"/><text x="{num(x + 14)}" '
            f'y="{base + 5}" class="legend">{escape(name)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


def _bar(key: str, year: int, amount: str) -> str:
    return say("chart.bar", option=label(key), year=year, amount=amount)
