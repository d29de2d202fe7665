"""The payment schedule (SPEC 6): the total split into its parts, and milestones of the one-time
part, by largest remainder; and the ranges' charge, max(reserve, contingency x mean) (SPEC 7).

Figures are computed by hand in the comments (rate card of tests/factories.py: engineer 25,000 a
week, contingency 10%, escalation 5%, tax 6%).
"""

from __future__ import annotations

from decimal import Context, localcontext
from decimal import Decimal as D
from typing import Any

import pytest
from conftest import examples
from factories import TODAY, card, estimate
from hypothesis import example, given, settings
from hypothesis import strategies as st

from nrecalc.money import EXACT, apportion, minor_unit
from nrecalc.pricing import Quote, build_quote
from nrecalc.render.explain import explain
from nrecalc.render.grid import Grid
from nrecalc.render.json import as_dict
from nrecalc.schedule import Part, Payment

# --- apportion: largest remainder -------------------------------------------------------------


def test_largest_remainder_by_hand() -> None:
    # 1.00 in thirds: 0.333… each, rounded down to 0.33; the cent left goes to the largest
    # remainder, all equal, so to the first. Running totals would give 0.33, 0.34, 0.33.
    assert apportion(D("1.00"), [D(1), D(1), D(1)], "CNY") == [D("0.34"), D("0.33"), D("0.33")]
    # Exact shares stay as they are: 0.10 over 3 : 3 : 4.
    assert apportion(D("0.10"), [D(3), D(3), D(4)], "CNY") == [D("0.03"), D("0.03"), D("0.04")]
    # 0.05 over 1 : 2 : 7 is 0.005, 0.01, 0.035: down to 0.00, 0.01, 0.03; remainders 0.005,
    # 0, 0.005: the cent left goes to the first of the two largest.
    assert apportion(D("0.05"), [D(1), D(2), D(7)], "CNY") == [D("0.01"), D("0.01"), D("0.03")]
    # The largest remainder wins, wherever it is: 0.07 over 1 : 2 -> 0.0233…, 0.0466…
    assert apportion(D("0.07"), [D(1), D(2)], "CNY") == [D("0.02"), D("0.05")]
    # JPY has no minor units: 10 yen in thirds, 3.33… -> 4, 3, 3.
    assert apportion(D(10), [D(1), D(1), D(1)], "JPY") == [D(4), D(3), D(3)]


def test_apportion_edges() -> None:
    assert apportion(D("0.00"), [D(1), D(2)], "CNY") == [D(0), D(0)]
    assert apportion(D("1.00"), [], "CNY") == []
    assert apportion(D("0.03"), [D(0), D(0)], "CNY") == [D("0.02"), D("0.01")]  # equal parts
    assert apportion(D("-1.00"), [D(1), D(1), D(1)], "CNY") == [D("-0.34"), D("-0.33"), D("-0.33")]
    assert apportion(D("5.00"), [D(0), D(1)], "CNY") == [D("0.00"), D("5.00")]  # nothing to 0


@settings(max_examples=examples(300))
@example(total=D("1.00"), weights=[D(1), D(1), D(1)], currency="CNY")
@example(total=D("0.01"), weights=[D("0.25")] * 4, currency="CNY")
@given(
    total=st.decimals(min_value=0, max_value=10**15, places=3, allow_nan=False),
    weights=st.lists(
        st.decimals(min_value=0, max_value=10**12, places=6, allow_nan=False),
        min_size=1,
        max_size=12,
    ),
    currency=st.sampled_from(["CNY", "JPY", "KWD"]),
)
def test_parts_add_up_and_each_is_within_a_minor_unit_of_its_share(
    total: D, weights: list[D], currency: str
) -> None:
    unit = minor_unit(currency)
    total = total.quantize(unit)
    parts = apportion(total, weights, currency)
    with localcontext(Context(prec=2000)):  # the exact shares, to 2000 digits
        weighed = sum(weights, D(0))
        shares = [w * total / weighed if weighed else total / len(weights) for w in weights]
        assert sum(parts, D(0)) == total
        for part, share in zip(parts, shares, strict=True):
            assert part == part.quantize(unit)  # whole minor units
            assert part >= 0
            assert abs(part - share) < unit  # within one minor unit of its exact share
            assert share - unit < part  # rounded down, or up by one unit: never below
        # Largest remainder: a part rounded up never has a smaller remainder than one that
        # was not.
        ups = [share - (part - unit) for part, share in zip(parts, shares, strict=True)]
        downs = [share - part for part, share in zip(parts, shares, strict=True)]
        up = [r for r, p, s in zip(ups, parts, shares, strict=True) if p > s]
        down = [r for r, p, s in zip(downs, parts, shares, strict=True) if p < s]
        if up and down:
            assert min(up) >= max(down)


# --- the schedule of the seed scenario ---------------------------------------------------------


def seed(**fields: Any) -> Quote:
    """Reverse-push with a 5% discount: the seed scenario of SPEC 6."""
    return build_quote(estimate(discount=D("0.05"), **fields), card(), today=TODAY)


def test_seed_schedule_by_hand() -> None:
    c = seed().custom
    # Subtotal 480,250; discount 5% 24,012.50; net 456,237.50; tax 6% 27,374.25; total 483,611.75
    # = 480,250 x 1.007: each part is its cost x 1.007, exactly.
    assert (c.discount, c.net, c.tax, c.total) == (
        D("24012.50"),
        D("456237.50"),
        D("27374.25"),
        D("483611.75"),
    )
    assert c.parts == (
        Part("one_time", 1, D("165000.00"), D("166155.00")),
        Part("upgrades", 1, D("100000.00"), D("100700.00")),
        Part("upgrades", 2, D("105000.00"), D("105735.00")),
        Part("upgrades", 3, D("110250.00"), D("111021.75")),
    )
    assert c.one_time == D("166155.00")
    # 30/40/30 of the one-time part: 49,846.50 + 66,462.00 + 49,846.50.
    assert c.schedule == (
        Payment("milestone", "Signing", D("0.30"), None, D("49846.50")),
        Payment("milestone", "Delivery", D("0.40"), None, D("66462.00")),
        Payment("milestone", "Acceptance", D("0.30"), None, D("49846.50")),
        Payment("upgrades", None, None, 1, D("100700.00")),
        Payment("upgrades", None, None, 2, D("105735.00")),
        Payment("upgrades", None, None, 3, D("111021.75")),
    )
    assert sum(p.amount for p in c.schedule) == c.total
    # The lifetime view uses the same split: year 1 is the one-time part and its upgrades.
    custom = seed().option("custom")
    assert custom is not None
    assert custom.parts == c.parts
    assert [y.amount for y in custom.years] == [D("266855.00"), D("105735.00"), D("111021.75")]


def test_services_come_before_upgrades_and_a_part_that_costs_nothing_is_left_out() -> None:
    rate_card = card(services={"care": {"name": "Care", "per_year": 1000}})
    quote = build_quote(
        estimate(custom={"upgrades_per_year": 0, "services": ["care"]}), rate_card, today=TODAY
    )
    c = quote.custom
    # No upgrades: one-time 165,000, then care 1,000, 1,050, 1,102.50; all x 1.06.
    assert [(p.kind, p.year, p.cost, p.amount) for p in c.parts] == [
        ("one_time", 1, D("165000.00"), D("174900.00")),
        ("services", 1, D("1000.00"), D("1060.00")),
        ("services", 2, D("1050.00"), D("1113.00")),
        ("services", 3, D("1102.50"), D("1168.65")),
    ]
    both = build_quote(estimate(custom={"services": ["care"]}), rate_card, today=TODAY).custom
    assert [(p.kind, p.year) for p in both.schedule[3:5]] == [("services", 1), ("upgrades", 1)]


def test_a_customer_never_prepays_maintenance_at_acceptance() -> None:
    c = seed().custom
    milestones = [p for p in c.schedule if p.kind == "milestone"]
    assert sum(p.amount for p in milestones) == c.one_time < c.total


# --- JSON schema 2 -----------------------------------------------------------------------------


def test_json_schema_2_carries_the_schedule() -> None:
    data = as_dict(seed())
    assert data["schema_version"] == 2
    custom = data["custom"]
    assert custom["one_time"] == "166155.00"
    assert custom["payment"] == [
        {"milestone": "Signing", "share": "0.3", "amount": "49846.50"},
        {"milestone": "Delivery", "share": "0.4", "amount": "66462.00"},
        {"milestone": "Acceptance", "share": "0.3", "amount": "49846.50"},
    ]
    assert custom["schedule"][0] == {
        "kind": "milestone",
        "milestone": "Signing",
        "share": "0.3",
        "year": None,
        "amount": "49846.50",
    }
    assert custom["schedule"][3:] == [
        {"kind": "upgrades", "milestone": None, "share": None, "year": y, "amount": amount}
        for y, amount in ((1, "100700.00"), (2, "105735.00"), (3, "111021.75"))
    ]
    with localcontext(EXACT):
        assert sum(D(row["amount"]) for row in custom["schedule"]) == D(custom["total"])
    parts = data["options"][-1]["parts"]
    assert parts[0] == {"kind": "one_time", "year": 1, "cost": "165000.00", "amount": "166155.00"}
    assert data["options"][0]["parts"] == [
        {"kind": "one_time", "year": 1, "cost": "0.00", "amount": "0.00"}
    ]


def test_json_without_ranges_applies_nothing() -> None:
    risk = as_dict(build_quote(estimate(), card(), today=TODAY))["risk"]
    assert (risk["reserve"], risk["floor"], risk["charge"], risk["applied"]) == (
        "0.00",
        "0.00",
        "0.00",
        None,
    )


# --- ranges are never cheaper than points (SPEC 7) -----------------------------------------------


def ranged(weeks: dict[str, Any]) -> Quote:
    build = [{"task": "Connector", "role": "engineer", "engineers": 2, "weeks": weeks}]
    return build_quote(estimate(custom={"build": build}), card(), today=TODAY)


@pytest.mark.parametrize(
    ("weeks", "figures"),
    [
        # mean 2 x (2 + 12 + 10)/6 = 8 weeks x 25,000 = 200,000; sigma 2 x 25,000 x 8/6 =
        # 66,666.67; reserve 0.841621 x 66,666.67 = 56,108.0695 -> 56,108.07 > 20,000.
        (
            {"low": 2, "likely": 3, "high": 10},
            ("200000.00", "66666.67", "56108.07", "20000.00", "reserve", "256108.07"),
        ),
        # No spread: reserve 0 < 15,000, exactly what 3 weeks as one figure cost.
        (
            {"low": 3, "likely": 3, "high": 3},
            ("150000.00", "0.00", "0.00", "15000.00", "contingency", "165000.00"),
        ),
        # Narrow: mean (2.5 + 12 + 4)/6 = 3.083333 -> 2 x 25,000 x 18.5/6 = 154,166.67;
        # sigma 2 x 25,000 x 1.5/6 = 12,500; reserve 10,520.2625 -> 10,520.26 < 15,416.67.
        (
            {"low": D("2.5"), "likely": 3, "high": 4},
            ("154166.67", "12500.00", "10520.26", "15416.67", "contingency", "169583.34"),
        ),
    ],
    ids=["wide-reserve", "no-spread-contingency", "narrow-contingency"],
)
def test_ranged_lines_carry_the_larger_of_reserve_and_contingency(
    weeks: dict[str, Any], figures: tuple[str, ...]
) -> None:
    mean, sigma, reserve, floor, applied, nre = figures
    c = ranged(weeks).custom
    risk = c.risk
    assert (risk.mean, risk.sigma, risk.reserve, risk.floor) == tuple(
        map(D, (mean, sigma, reserve, floor))
    )
    assert risk.applied == applied
    assert risk.charge == c.reserve == max(risk.reserve, risk.floor)
    assert c.contingency == D("0.00")  # no single-point line
    assert c.nre == D(nre) == c.build_subtotal + risk.charge
    data = as_dict(ranged(weeks))
    assert (data["risk"]["floor"], data["risk"]["applied"]) == (floor, applied)
    assert data["risk"]["charge"] == data["custom"]["risk_reserve"] == max(reserve, floor, key=D)
    assert data["risk"]["reserve"] == reserve


def test_a_range_is_never_cheaper_than_the_same_work_as_one_figure() -> None:
    point = build_quote(estimate(), card(), today=TODAY).custom  # 2 engineers x 3 weeks
    assert ranged({"low": 3, "likely": 3, "high": 3}).custom.nre == point.nre
    assert ranged({"low": D("2.9"), "likely": 3, "high": D("3.1")}).custom.nre >= point.nre


@settings(max_examples=200, deadline=None)
@given(
    rate=st.decimals(min_value=D("0.01"), max_value=D("99999.99"), places=2),
    lines=st.lists(
        st.tuples(st.integers(1, 5), st.decimals(min_value=D("0.5"), max_value=20, places=1)),
        min_size=1,
        max_size=4,
    ),
    ranged_ones=st.sets(st.integers(0, 3)),
    contingency=st.decimals(min_value=0, max_value=D("0.5"), places=3),
)
@example(  # found in review: contingency rounded on each group could lose a cent
    rate=D("1000.04"), lines=[(1, D(1)), (1, D(1))], ranged_ones={1}, contingency=D("0.1")
)
def test_the_same_work_as_a_range_of_one_figure_costs_the_same(
    rate: D, lines: list[tuple[int, D]], ranged_ones: set[int], contingency: D
) -> None:
    def quote(as_range: set[int]) -> Quote:
        build = [
            {
                "task": f"t{i}",
                "role": "engineer",
                "engineers": people,
                "weeks": {"low": weeks, "likely": weeks, "high": weeks} if i in as_range else weeks,
            }
            for i, (people, weeks) in enumerate(lines)
        ]
        rates = card(roles={"engineer": rate}, contingency=contingency)
        return build_quote(estimate(custom={"build": build}), rates, today=TODAY)

    assert quote(ranged_ones).custom.nre == quote(set()).custom.nre


# --- --explain ---------------------------------------------------------------------------------


def rows(grid: Grid) -> dict[str, tuple[str, str]]:
    """Return the explanation's rows by figure: (formula, amount)."""
    return {cells[0]: (cells[1], cells[2]) for cells, _, _ in grid.rows}


def test_explain_says_what_the_ranged_lines_carry() -> None:
    wide = rows(explain(ranged({"low": 2, "likely": 3, "high": 10})))
    assert wide["Estimate risk reserve"] == ("round(0.841621 × ¥66,666.67)", "¥56,108.07")
    assert wide["Contingency on the ranges"] == (
        "round(10% × ¥200,000.00) − ¥0.00 on the single-point lines",
        "¥20,000.00",
    )
    assert wide["Ranged lines carry"] == (
        "max(¥56,108.07 reserve, ¥20,000.00 contingency): the reserve",
        "¥56,108.07",
    )
    assert wide["NRE"] == ("¥200,000.00 + ¥56,108.07 + ¥0.00", "¥256,108.07")
    flat = rows(explain(ranged({"low": 3, "likely": 3, "high": 3})))
    assert flat["Ranged lines carry"] == (
        "max(¥0.00 reserve, ¥15,000.00 contingency): the contingency",
        "¥15,000.00",
    )
    assert flat["NRE"] == ("¥150,000.00 + ¥15,000.00 + ¥0.00", "¥165,000.00")


def test_explain_shows_the_schedule_by_largest_remainder() -> None:
    shown = rows(explain(seed()))
    by = ", by largest remainder"
    assert shown["Payment: one-time part"] == (
        f"¥483,611.75 × ¥165,000.00 ÷ ¥480,250.00{by}",
        "¥166,155.00",
    )
    assert shown["Payment: Signing"] == (f"30% × ¥166,155.00 one-time part{by}", "¥49,846.50")
    assert shown["Payment: Delivery"] == (f"40% × ¥166,155.00 one-time part{by}", "¥66,462.00")
    assert shown["Payment: Upgrades, year 3"] == (
        f"¥483,611.75 × ¥110,250.00 ÷ ¥480,250.00{by}",
        "¥111,021.75",
    )
    assert shown["Custom: year 1"] == (
        "¥166,155.00 + ¥100,700.00: the year's parts of the total",
        "¥266,855.00",
    )
    assert shown["Custom: year 2"] == (
        f"¥483,611.75 × ¥105,000.00 ÷ ¥480,250.00{by}",
        "¥105,735.00",
    )
    assert not any("running total" in formula for formula, _ in shown.values())


# --- the internal table and the CSV ------------------------------------------------------------


def test_table_and_csv_name_what_the_ranged_lines_carry() -> None:
    from nrecalc.render import csv, table

    flat = ranged({"low": 3, "likely": 3, "high": 3})
    lines = [" ".join(line.split()) for line in table.render(flat).splitlines()]
    assert (
        "Contingency on the ranges 10% of ranges at their mean > ¥0.00 (P80 − mean) ¥15,000.00"
        in lines
    )
    assert "Contingency on the ranges 10% of ranges at their mean ¥15,000.00" in lines
    assert "Ranges as priced mean + contingency ¥165,000.00" in lines
    assert '"Contingency on the ranges, 10%",,,,,,,15000.00,1' in csv.render(flat)
    wide = ranged({"low": 2, "likely": 3, "high": 10})
    lines = [" ".join(line.split()) for line in table.render(wide).splitlines()]
    assert (
        "Estimate risk reserve P80 − mean ≥ ¥20,000.00 (10% of ranges at their mean) ¥56,108.07"
        in lines
    )
    assert "Ranges as priced mean + reserve ¥256,108.07" in lines
    assert '"Estimate risk reserve, 80% confidence",,,,,,,56108.07,1' in csv.render(wide)
