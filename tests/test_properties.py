"""Invariants of the arithmetic, over many generated inputs (hypothesis)."""

from __future__ import annotations

from decimal import Decimal as D
from decimal import localcontext
from itertools import pairwise
from typing import Any

from conftest import examples
from factories import TODAY, card, estimate
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from nrecalc.money import EXACT, minor_units
from nrecalc.pricing import Quote, build_quote

ROLES = ["engineer", "senior-engineer", "qa-engineer"]


def money(max_value: int = 10**9) -> st.SearchStrategy[D]:
    return st.decimals(min_value=0, max_value=max_value, places=3, allow_nan=False)


def ratio() -> st.SearchStrategy[D]:
    return st.decimals(min_value=0, max_value=D("0.99"), places=4, allow_nan=False)


weeks = st.decimals(min_value=D("0.01"), max_value=200, places=2, allow_nan=False)
items = st.lists(
    st.fixed_dictionaries(
        {
            "task": st.just("t"),
            "role": st.sampled_from(ROLES),
            "engineers": st.integers(1, 50),
            "weeks": weeks,
        }
    ),
    min_size=1,
    max_size=5,
)
inputs = st.fixed_dictionaries(
    {
        "rates": st.fixed_dictionaries({role: money() for role in ROLES}),
        "currency": st.sampled_from(["CNY", "JPY", "USD", "KWD"]),
        "contingency": ratio(),
        "annual_escalation": ratio(),
        "tax_rate": ratio(),
        "discount": ratio(),
        "build": items,
        "per_upgrade": st.one_of(st.just([]), items),
        "upgrades_per_year": st.integers(0, 12),
        "term_years": st.integers(1, 10),
    }
)


def price(data: dict[str, Any]) -> Quote:
    rate_card = card(
        currency=data["currency"],
        roles=data["rates"],
        contingency=data["contingency"],
        annual_escalation=data["annual_escalation"],
        tax_rate=data["tax_rate"],
    )
    est = estimate(
        discount=data["discount"],
        custom={
            "build": data["build"],
            "per_upgrade": data["per_upgrade"],
            "upgrades_per_year": data["upgrades_per_year"],
            "term_years": data["term_years"],
        },
    )
    return build_quote(est, rate_card, today=TODAY)


@settings(max_examples=examples(300))
@given(inputs)
def test_lines_add_up_to_every_total(data: dict[str, Any]) -> None:
    quote = price(data)
    c = quote.custom
    places = minor_units(quote.currency)
    with localcontext(EXACT):
        amounts = [line.amount for line in (*c.build, *c.per_upgrade)]
        amounts += [y.amount for y in c.maintenance]
        amounts += [c.contingency, c.discount, c.tax, c.total, quote.standard.total]
        assert all(amount.as_tuple().exponent == -places for amount in amounts)
        assert c.build_subtotal == sum(line.amount for line in c.build)
        assert c.nre == c.build_subtotal + c.contingency
        assert c.per_upgrade_cost == sum(line.amount for line in c.per_upgrade)
        assert all(y.amount == y.upgrades * y.unit_price for y in c.maintenance)
        assert c.maintenance_total == sum(y.amount for y in c.maintenance)
        assert c.subtotal == c.nre + c.maintenance_total
        assert c.net == c.subtotal - c.discount
        assert c.total == c.net + c.tax
        assert quote.extra_cost == c.total - quote.standard.total


def _raise(data: dict[str, Any], section: str, field: str, by: Any) -> dict[str, Any]:
    lines = [dict(line) for line in data[section]]
    assert lines, f"nothing to raise in {section}"
    lines[0][field] += by
    return {**data, section: lines}


@settings(max_examples=examples(200))
@given(inputs, st.sampled_from(["build", "per_upgrade"]), weeks, st.integers(1, 20))
def test_totals_never_fall_when_effort_rises(
    data: dict[str, Any], section: str, more_weeks: D, more_engineers: int
) -> None:
    assume(data[section])  # an empty per_upgrade list has no line to raise
    before = price(data).custom.total
    assert price(_raise(data, section, "weeks", more_weeks)).custom.total >= before
    assert price(_raise(data, section, "engineers", more_engineers)).custom.total >= before


@settings(max_examples=examples(200))
@given(inputs, st.sampled_from(ROLES), money(10**6))
def test_totals_never_fall_when_a_rate_rises(data: dict[str, Any], role: str, more: D) -> None:
    before = price(data).custom.total
    rates = {**data["rates"], role: data["rates"][role] + more}
    assert price({**data, "rates": rates}).custom.total >= before


@settings(max_examples=examples(200))
@given(inputs)
def test_a_discount_never_raises_a_total(data: dict[str, Any]) -> None:
    undiscounted = price({**data, "discount": D(0)}).custom
    discounted = price(data).custom
    assert discounted.total <= undiscounted.total
    assert discounted.net <= undiscounted.net


@st.composite
def schedules(draw: st.DrawFn) -> list[D]:
    """Milestone shares with up to 6 decimals that add up to exactly 1."""
    cuts = draw(st.lists(st.integers(1, 999_999), max_size=6, unique=True))
    edges = [0, *sorted(cuts), 1_000_000]
    return [D(b - a).scaleb(-6) for a, b in pairwise(edges)]


@settings(max_examples=examples(300))
@given(
    total=st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False),
    shares=schedules(),
    currency=st.sampled_from(["CNY", "JPY", "KWD"]),
)
def test_milestones_add_up_exactly_and_each_is_within_a_minor_unit(
    total: D, shares: list[D], currency: str
) -> None:
    from nrecalc.models import Milestone
    from nrecalc.money import round_money
    from nrecalc.schedule import installments

    total = round_money(total, currency)
    unit = D(1).scaleb(-minor_units(currency))
    milestones = tuple(Milestone(milestone=f"m{i}", share=s) for i, s in enumerate(shares))
    parts = installments(total, milestones, currency)
    assert sum(p.amount for p in parts) == total
    assert [p.share for p in parts] == shares
    with localcontext(EXACT):
        for part in parts:
            assert part.amount >= 0
            assert abs(part.amount - total * part.share) <= unit
            assert part.amount == round_money(part.amount, currency)


def test_milestones_by_hand() -> None:
    from nrecalc.models import DEFAULT_PAYMENT
    from nrecalc.schedule import installments

    # 0.01 in four quarters: 0.0025 each, rounded down to 0.00; the one cent left goes to the
    # largest remainder, all equal, so to the first (running totals gave it to the second).
    quarters = tuple(DEFAULT_PAYMENT[0].model_copy(update={"share": D("0.25")}) for _ in range(4))
    assert [p.amount for p in installments(D("0.01"), quarters, "CNY")] == [
        D("0.01"),
        D("0.00"),
        D("0.00"),
        D("0.00"),
    ]
    # 30/40/30 of the reverse-push total: 152,719.50 + 203,626.00 + 152,719.50.
    assert [p.amount for p in installments(D("509065.00"), DEFAULT_PAYMENT, "CNY")] == [
        D("152719.50"),
        D("203626.00"),
        D("152719.50"),
    ]


# --- at the limits: the largest rates, efforts and terms the files allow ---------------------


def largest(top: D) -> st.SearchStrategy[D]:
    """Draw the largest value often, so that many largest values meet in one quote."""
    return st.one_of(st.just(top), st.decimals(min_value=1, max_value=top, places=2))


huge_items = st.lists(
    st.fixed_dictionaries(
        {
            "task": st.just("t"),
            "role": st.sampled_from(ROLES),
            "engineers": st.one_of(st.just(10_000), st.integers(1, 10_000)),
            "weeks": st.one_of(
                st.just(D(10_000)),
                st.decimals(min_value=D("0.000001"), max_value=10_000, places=6),
            ),
        }
    ),
    min_size=1,
    max_size=3,
)
at_the_limits = st.fixed_dictionaries(
    {
        "rates": st.fixed_dictionaries(
            {
                role: st.decimals(min_value=1, max_value=D("999999999999999.99"), places=2)
                for role in ROLES
            }
        ),
        "currency": st.sampled_from(["KWD", "JPY", "CNY"]),
        "contingency": ratio(),
        "annual_escalation": ratio(),
        "tax_rate": ratio(),
        "discount": ratio(),
        "build": huge_items,
        "per_upgrade": huge_items,
        "upgrades_per_year": st.one_of(st.just(365), st.integers(0, 365)),
        "term_years": st.integers(1, 50),
        "service": st.decimals(min_value=D("0.001"), max_value=10, places=3),
    }
)


_LARGEST = {
    "rates": dict.fromkeys(ROLES, D("999999999999999.99")),
    "currency": "KWD",
    "contingency": D("0.99"),
    "annual_escalation": D("0.99"),
    "tax_rate": D("0.99"),
    "discount": D("0.99"),
    "build": [{"task": "t", "role": "engineer", "engineers": 10_000, "weeks": D(10_000)}],
    "per_upgrade": [{"task": "t", "role": "engineer", "engineers": 10_000, "weeks": D(10_000)}],
    "upgrades_per_year": 365,
    "term_years": 50,
    "service": D("1.001"),
}


@settings(max_examples=examples(100))
@example({**_LARGEST, "term_years": 1, "contingency": D(0), "annual_escalation": D(0)})
@example(_LARGEST)
@given(at_the_limits)
def test_every_view_adds_up_to_the_one_total_at_the_limits(data: dict[str, Any]) -> None:
    rate_card = card(
        currency=data["currency"],
        roles=data["rates"],
        contingency=data["contingency"],
        annual_escalation=data["annual_escalation"],
        tax_rate=data["tax_rate"],
        services={"care": {"name": "Care", "per_year": data["service"]}},
    )
    est = estimate(
        discount=data["discount"],
        custom={
            "build": data["build"],
            "per_upgrade": data["per_upgrade"],
            "upgrades_per_year": data["upgrades_per_year"],
            "term_years": data["term_years"],
            "services": ["care"],
        },
    )
    quote = build_quote(est, rate_card, today=TODAY)
    c = quote.custom
    with localcontext(EXACT):  # the test's own sums must not lose digits either
        for year, (upgrades, services) in enumerate(c.yearly(), start=1):
            assert upgrades == c.maintenance[year - 1].amount
            assert services == sum(s.years[year - 1] for s in c.services)
        assert c.services[0].total == sum(c.services[0].years)
        for option in quote.options:
            assert option.recurring_total == sum(option.recurring)
            assert sum(y.amount for y in option.years) == option.total
            assert option.years[-1].cumulative == option.total
        custom = quote.option("custom")
        assert custom is not None
        assert custom.total == c.total
        assert custom.recurring == tuple(sum(year) for year in c.yearly())
        # the schedule: the parts add up to the total, the milestones to the one-time part,
        # and the lifetime view is the same split, year by year
        assert sum(part.amount for part in c.parts) == c.total
        assert sum(part.amount for part in c.payment) == c.one_time
        assert sum(row.amount for row in c.schedule) == c.total
        assert custom.parts == c.parts
        for cost in custom.years:
            mine = [part.amount for part in c.parts if part.year == cost.year]
            assert cost.amount == sum(mine)
