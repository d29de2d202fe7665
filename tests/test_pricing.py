"""The arithmetic of SPEC 3, checked against figures computed by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from decimal import localcontext

import pytest
from factories import TODAY, card, estimate

from nrecalc.models import Estimate, RateCard
from nrecalc.money import EXACT
from nrecalc.pricing import build_quote
from nrecalc.render.json import as_dict


def test_reverse_push_line_by_line() -> None:
    quote = build_quote(estimate(), card(), today=TODAY)
    c, s = quote.custom, quote.standard
    # Build: 2 engineers x 3 weeks x 25,000 = 150,000; contingency 10% = 15,000.
    assert c.build[0].amount == D("150000.00")
    assert c.build_subtotal == D("150000.00")
    assert c.contingency == D("15000.00")
    assert c.nre == D("165000.00")
    # Per upgrade: 1 x 1 x 25,000 = 25,000 in year 1, then +5% a year:
    # year 2: 25,000 x 1.05 = 26,250; year 3: 25,000 x 1.1025 = 27,562.50.
    assert c.per_upgrade_cost == D("25000.00")
    assert [(y.year, y.upgrades, y.unit_price, y.amount) for y in c.maintenance] == [
        (1, 4, D("25000.00"), D("100000.00")),
        (2, 4, D("26250.00"), D("105000.00")),
        (3, 4, D("27562.50"), D("110250.00")),
    ]
    assert c.maintenance_total == D("315250.00")  # 100,000 + 105,000 + 110,250
    assert c.subtotal == D("480250.00")  # 165,000 + 315,250
    assert c.discount == D("0.00")
    assert c.net == D("480250.00")
    assert c.tax == D("28815.00")  # 6% of 480,250
    assert c.total == D("509065.00")
    assert c.lead_time_weeks == D("3")
    assert c.upgrades_total == 12
    # Standard: no fee, 1 coaching day at 6,000; tax 360.
    assert (s.fee, s.coaching, s.net, s.tax, s.total) == (
        D("0.00"),
        D("6000.00"),
        D("6000.00"),
        D("360.00"),
        D("6360.00"),
    )
    assert s.integration_days == 3
    assert quote.extra_cost == D("502705.00")  # 509,065 - 6,360
    assert quote.valid_until == date(2026, 12, 22)  # 2026-11-22 + 30 days
    assert quote.date_assumed is False


def test_half_up_rounding_on_every_line() -> None:
    # 1 x 0.5 wk x 1.005 = 0.5025 -> 0.50; 3 x 1 wk x 1.005 = 3.015 -> 3.02 (half up).
    rates = {"engineer": D("1.005")}
    est = estimate(
        custom={
            "build": [
                {"task": "a", "role": "engineer", "engineers": 1, "weeks": D("0.5")},
                {"task": "b", "role": "engineer", "engineers": 3, "weeks": 1},
            ],
            "per_upgrade": [],
        },
        standard={"coaching_days": 0},
    )
    quote = build_quote(est, card(roles=rates, contingency=D("0.125")), today=TODAY)
    c = quote.custom
    assert [line.amount for line in c.build] == [D("0.50"), D("3.02")]
    assert c.build_subtotal == D("3.52")
    assert c.contingency == D("0.44")  # 3.52 x 0.125 = 0.44
    assert c.maintenance_total == D("0.00")
    assert c.tax == D("0.24")  # 3.96 x 0.06 = 0.2376 -> 0.24


def test_discount_tax_and_approval() -> None:
    est = estimate(discount=D("0.15"))
    c = build_quote(est, card(), today=TODAY).custom
    assert c.discount == D("72037.50")  # 480,250 x 0.15
    assert c.net == D("408212.50")
    assert c.tax == D("24492.75")  # 408,212.50 x 0.06
    assert c.total == D("432705.25")
    assert c.discount_approval_required is True
    within = build_quote(estimate(discount=D("0.10")), card(), today=TODAY).custom
    assert within.discount_approval_required is False  # only a discount ABOVE 10% is flagged


def test_escalation_rounds_each_year_price() -> None:
    # 10,000.01 x 1.05^2 = 11,025.011025 -> 11,025.01
    roles = {"engineer": D("10000.01")}
    est = estimate(
        custom={
            "per_upgrade": [{"task": "t", "role": "engineer", "engineers": 1, "weeks": 1}],
            "upgrades_per_year": 2,
        }
    )
    c = build_quote(est, card(roles=roles), today=TODAY).custom
    assert [y.unit_price for y in c.maintenance] == [
        D("10000.01"),
        D("10500.01"),  # 10,500.0105 -> 10,500.01
        D("11025.01"),
    ]
    assert c.maintenance_total == D("63050.06")  # 2 x (10,000.01 + 10,500.01 + 11,025.01)


def test_jpy_has_no_minor_units() -> None:
    roles = {"engineer": D("333333.5")}
    c = build_quote(estimate(), card(currency="JPY", roles=roles), today=TODAY).custom
    assert c.build[0].amount == D("2000001")  # 2 x 3 x 333,333.5 = 2,000,001
    assert c.contingency == D("200000")  # 200,000.1 -> 200,000


def test_no_date_uses_today_and_says_so() -> None:
    est = estimate(date=None)
    quote = build_quote(est, card(), today=TODAY)
    assert quote.date == TODAY
    assert quote.date_assumed is True
    assert quote.valid_until == date(2026, 12, 24)


def test_lead_time_and_standard_overrides() -> None:
    est = estimate(
        custom={
            "build": [
                {"task": "a", "role": "engineer", "engineers": 1, "weeks": D("1.5")},
                {"task": "b", "role": "qa-engineer", "engineers": 1, "weeks": 2},
            ]
        },
        standard={"coaching_days": D("0.5"), "integration_days": 5},
    )
    quote = build_quote(est, card(fee=D("100.005")), today=TODAY)
    assert quote.custom.lead_time_weeks == D("3.5")  # the build items one after another
    assert quote.standard.integration_days == 5
    assert quote.standard.fee == D("100.01")  # a fee with more decimals is rounded as a line
    assert quote.standard.coaching == D("3000.00")
    assert quote.standard.net == D("3100.01")
    explicit = estimate(custom={"lead_time_weeks": 2})
    assert build_quote(explicit, card(), today=TODAY).custom.lead_time_weeks == 2


@pytest.mark.parametrize("years", [1, 50])
def test_long_terms_stay_exact(years: int) -> None:
    roles = {"engineer": D("999999999999999.999999") - 1}
    est = estimate(
        custom={
            "build": [{"task": "a", "role": "engineer", "engineers": 10000, "weeks": 10000}],
            "term_years": years,
            "upgrades_per_year": 365,
        }
    )
    c = build_quote(est, card(roles=roles, annual_escalation=D("0.999999")), today=TODAY).custom
    with localcontext(EXACT):
        assert c.maintenance_total == sum(y.amount for y in c.maintenance)
        assert c.subtotal == c.nre + c.maintenance_total
        assert c.total == c.subtotal - c.discount + c.tax
    assert len(c.maintenance) == years
    assert c.total.as_tuple().exponent == -2  # still exact to the cent at 35 digits


# --- one exact total at the limits (issue 12) ----------------------------------------------------


def _at_the_limits() -> tuple[RateCard, Estimate]:
    rates = RateCard.model_validate(
        {
            "kind": "rate-card",
            "name": "default",
            "version": "1",
            "currency": "KWD",
            "effective_from": "2026-01-01",
            "roles": {"eng": D("987654321098765.43")},
            "standard": {"name": "Standard API", "integration_days": 3, "fee": 0},
            "policy": {"contingency": D("0.10"), "tax_rate": D("0.06"), "validity_days": 30},
            "services": {"care": {"name": "Care", "per_year": D("1.001")}},
        }
    )
    request = Estimate.model_validate(
        {
            "kind": "estimate",
            "id": "Q-1",
            "customer": "C",
            "title": "T",
            "date": "2026-11-22",
            "rate_card": "default",
            "custom": {
                "build": [{"task": "b", "role": "eng", "engineers": 1, "weeks": 1}],
                "per_upgrade": [{"task": "u", "role": "eng", "engineers": 10000, "weeks": 10000}],
                "upgrades_per_year": 365,
                "term_years": 1,
                "services": ["care"],
            },
        }
    )
    return rates, request


def test_every_view_of_the_total_is_the_exact_total_at_the_limits() -> None:
    rates, request = _at_the_limits()
    quote = build_quote(request, rates, today=TODAY)
    custom = quote.custom
    upgrades = custom.maintenance[0].amount  # 365 upgrades of 10,000 x 10,000 x the rate
    assert upgrades == EXACT.multiply(365 * 10000 * 10000, D("987654321098765.43"))
    recurring = EXACT.add(upgrades, D("1.001"))  # 29 digits: past the default context's 28
    assert str(recurring).endswith("195000001.001")
    assert EXACT.add(*custom.yearly()[0]) == recurring  # the service's 1.001 is not lost
    option = quote.option("custom")
    assert option is not None
    assert option.recurring == (recurring,)
    assert option.total == custom.total == option.years[-1].cumulative
    assert custom.services[0].total == D("1.001")
    data = as_dict(quote)
    custom_json = next(o for o in data["options"] if o["key"] == "custom")
    assert custom_json["recurring"][0].endswith("195000001.001")
    assert custom_json["total"] == data["custom"]["total"]


def test_person_weeks_are_rounded_once_from_the_exact_sum() -> None:
    ranges = [
        {
            "task": "a",
            "role": "engineer",
            "engineers": 3,
            "weeks": {"low": 1, "likely": 1, "high": D("1.000002")},
        },
        {
            "task": "b",
            "role": "engineer",
            "engineers": 1,
            "weeks": {"low": 1, "likely": 1, "high": D("1.000003")},
        },
    ]
    quote = build_quote(estimate(custom={"build": ranges}), card(), today=TODAY)
    assert quote.custom.build_effort == D("4.000002")  # 4.0000015, half up, once
