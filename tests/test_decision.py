"""Decision support (SPEC 7): three-point effort, the option ladder, the lifetime view, services.

Figures are computed by hand in the comments (rate card of tests/factories.py: engineer 25,000,
senior-engineer 35,000, qa-engineer 20,000 a week; contingency 10%, escalation 5%, tax 6%,
coaching 6,000 a day). z is NormalDist().inv_cdf(confidence) to 6 places: 0.8 -> 0.841621,
0.9 -> 1.281552.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal as D
from decimal import localcontext
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import examples, replaced
from factories import TODAY, card, estimate
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from nrecalc.cli import app
from nrecalc.models import RateCard
from nrecalc.money import EXACT
from nrecalc.pricing import Quote, build_quote
from nrecalc.render.json import as_dict
from nrecalc.schedule import Option

ROOT = Path(__file__).resolve().parent.parent
RUNNER = CliRunner()

# 2 engineers x {2, 3, 6} weeks and 1 senior engineer x {1, 2, 5} weeks.
TWO_RANGES: list[dict[str, Any]] = [
    {
        "task": "Connector",
        "role": "engineer",
        "engineers": 2,
        "weeks": {"low": 2, "likely": 3, "high": 6},
    },
    {
        "task": "Mapping",
        "role": "senior-engineer",
        "engineers": 1,
        "weeks": {"low": 1, "likely": 2, "high": 5},
    },
]
# The two above, 1 QA engineer x {1.5, 2, 4} weeks, and 1 engineer x 2 weeks as a single figure.
THREE_RANGES: list[dict[str, Any]] = [
    *TWO_RANGES,
    {
        "task": "Acceptance",
        "role": "qa-engineer",
        "engineers": 1,
        "weeks": {"low": D("1.5"), "likely": 2, "high": 4},
    },
    {"task": "Docs", "role": "engineer", "engineers": 1, "weeks": 2},
]


def quote_of(
    build: list[dict[str, Any]],
    *,
    override: D | None = None,
    rate_card: RateCard | None = None,
    **fields: Any,
) -> Quote:
    """Price this build with factories' estimate and card; override is build_quote's confidence."""
    custom = {"build": build, **fields.pop("custom", {})}
    return build_quote(
        estimate(custom=custom, **fields),
        rate_card or card(),
        today=TODAY,
        confidence=override,
    )


def with_services(rate_card: RateCard, services: dict[str, Any]) -> RateCard:
    """Return the rate card with these service packages (validated like a file's)."""
    return RateCard.model_validate({**rate_card.model_dump(), "services": services})


# --- three-point effort, by hand -----------------------------------------------------------------


def test_range_lines_are_priced_at_the_pert_mean() -> None:
    c = quote_of(THREE_RANGES).custom
    connector, mapping, acceptance, docs = c.build
    # 2 x 25,000 x (2 + 4x3 + 6)/6 = 1,000,000/6 = 166,666.666... -> 166,666.67
    # mean (2 + 12 + 6)/6 = 3.333333 weeks; sigma (6 - 2)/6 = 0.666667 weeks;
    # sigma in money 2 x 25,000 x 4/6 = 33,333.33
    assert connector.amount == D("166666.67")
    assert connector.weeks == D("3.333333")
    assert connector.spread is not None
    assert connector.spread[:5] == (D(2), D(3), D(6), D("3.333333"), D("0.666667"))
    assert connector.spread.sigma_amount == D("33333.33")
    # 1 x 35,000 x (1 + 8 + 5)/6 = 490,000/6 = 81,666.67; mean 14/6 = 2.333333;
    # sigma 4/6 = 0.666667 weeks, 35,000 x 4/6 = 23,333.33
    assert mapping.amount == D("81666.67")
    assert mapping.spread is not None
    assert (mapping.spread.mean, mapping.spread.sigma) == (D("2.333333"), D("0.666667"))
    assert mapping.spread.sigma_amount == D("23333.33")
    # 1 x 20,000 x (1.5 + 8 + 4)/6 = 270,000/6 = 45,000.00; mean 13.5/6 = 2.25;
    # sigma 2.5/6 = 0.416666... -> 0.416667 weeks; 20,000 x 2.5/6 = 8,333.33
    assert acceptance.amount == D("45000.00")
    assert acceptance.spread is not None
    assert (acceptance.spread.mean, acceptance.spread.sigma) == (D("2.25"), D("0.416667"))
    assert acceptance.spread.sigma_amount == D("8333.33")
    # A single figure stays one: 1 x 2 x 25,000.
    assert docs.amount == D("50000.00")
    assert docs.weeks == D(2)
    assert docs.spread is None


# Two ranges, no single-point line, default card; maintenance as in SPEC 3: 315,250.
# build = 166,666.67 + 81,666.67 = 248,333.34, all of it ranges: contingency 0.
# sigma = sqrt(200,000^2 + 140,000^2)/6 = sqrt(59,600,000,000)/6 = 244,131.1123/6 = 40,688.52
# lead time: six means 20 + 14 = 34; sqrt(4^2 + 4^2) = 5.656854
TWO_AT = {
    # z 0.841621: reserve 0.841621 x 40,688.52 = 34,244.3129 -> 34,244.31
    # NRE 248,333.34 + 34,244.31 = 282,577.65; subtotal + 315,250 = 597,827.65
    # tax 6% = 35,869.659 -> 35,869.66; total 633,697.31
    # lead (34 + 0.841621 x 5.656854)/6 = 38.760891/6 = 6.460155 -> up to 6.5
    None: ("34244.31", "282577.65", "597827.65", "35869.66", "633697.31", "6.5"),
    # z 1.281552: reserve 1.281552 x 40,688.52 = 52,144.4542 -> 52,144.45
    # NRE 300,477.79; subtotal 615,727.79; tax 36,943.6674 -> 36,943.67; total 652,671.46
    # lead (34 + 1.281552 x 5.656854)/6 = 41.249553/6 = 6.874925 -> 6.9
    "0.9": ("52144.45", "300477.79", "615727.79", "36943.67", "652671.46", "6.9"),
}


@pytest.mark.parametrize("level", [None, "0.9"], ids=["default-0.8", "0.9"])
def test_two_ranges_by_hand(level: str | None) -> None:
    fields: dict[str, Any] = {} if level is None else {"confidence": D(level)}
    quote = quote_of(TWO_RANGES, **fields)
    c, risk = quote.custom, quote.custom.risk
    reserve, nre, subtotal, tax, total, lead = TWO_AT[level]
    assert [line.amount for line in c.build] == [D("166666.67"), D("81666.67")]
    assert c.build_subtotal == D("248333.34")
    assert risk.confidence == D(level or "0.8")
    assert risk.z == D("0.841621" if level is None else "1.281552")
    assert len(risk.lines) == 2
    assert risk.mean == D("248333.34")
    assert risk.sigma == D("40688.52")
    assert risk.reserve == c.reserve == D(reserve)
    assert c.contingency_base == D("0.00")
    assert c.contingency == D("0.00")
    assert c.nre == D(nre)
    assert c.maintenance_total == D("315250.00")
    assert c.subtotal == D(subtotal)
    assert c.tax == D(tax)
    assert c.total == D(total)
    assert c.lead_time_weeks == D(lead)
    # The contingency on the ranges, 10% x 248,333.34 = 24,833.334 -> 24,833.33, is less than
    # the reserve at 0.8 and 0.9: the ranges carry the reserve.
    assert risk.floor == D("24833.33")
    assert (risk.applied, risk.charge) == ("reserve", D(reserve))
    # At the mean (z 0, reserve 0) the ranges carry the contingency: NRE 248,333.34 + 24,833.33
    # = 273,166.67, subtotal 588,416.67, tax 35,305.0002 -> 35,305.00, total 623,721.67;
    # lead 34/6 = 5.666667 -> 5.7 weeks.
    assert quote.p50.risk.reserve == D("0.00")
    assert (quote.p50.risk.applied, quote.p50.reserve) == ("contingency", D("24833.33"))
    assert quote.p50.nre == D("273166.67")
    assert quote.p50.total == D("623721.67")
    assert quote.p50.lead_time_weeks == D("5.7")


# Three ranges and one single figure: build 166,666.67 + 81,666.67 + 45,000 + 50,000 = 343,333.34;
# the ranges' mean 293,333.34; contingency only on the single figure: 10% x 50,000 = 5,000.00.
# sigma = sqrt(200,000^2 + 140,000^2 + 50,000^2)/6 = sqrt(62,100,000,000)/6
#       = 249,198.7159/6 = 41,533.119 -> 41,533.12
# lead: 2 single weeks + (six means 20 + 14 + 13.5 = 47.5, sqrt(16 + 16 + 6.25) = 6.184658)
THREE_AT = {
    # reserve 0.841621 x 41,533.12 = 34,955.146 -> 34,955.15
    # NRE 343,333.34 + 34,955.15 + 5,000 = 383,288.49; subtotal 698,538.49;
    # tax 41,912.3094 -> 41,912.31; total 740,450.80
    # lead 2 + (47.5 + 0.841621 x 6.184658)/6 = 2 + 52.705138/6 = 2 + 8.784190 -> 2 + 8.8
    None: ("34955.15", "383288.49", "698538.49", "41912.31", "740450.80", "10.8"),
    # reserve 1.281552 x 41,533.12 = 53,226.853 -> 53,226.85
    # NRE 401,560.19; subtotal 716,810.19; tax 43,008.6114 -> 43,008.61; total 759,818.80
    # lead 2 + (47.5 + 1.281552 x 6.184658)/6 = 2 + 55.425961/6 = 2 + 9.237660 -> 2 + 9.3
    "0.9": ("53226.85", "401560.19", "716810.19", "43008.61", "759818.80", "11.3"),
}


@pytest.mark.parametrize("level", [None, "0.9"], ids=["default-0.8", "0.9"])
def test_three_ranges_and_a_single_figure_by_hand(level: str | None) -> None:
    fields: dict[str, Any] = {} if level is None else {"confidence": D(level)}
    quote = quote_of(THREE_RANGES, **fields)
    c, risk = quote.custom, quote.custom.risk
    reserve, nre, subtotal, tax, total, lead = THREE_AT[level]
    assert c.build_subtotal == D("343333.34")
    assert [line.task for line in risk.lines] == ["Connector", "Mapping", "Acceptance"]
    assert risk.mean == D("293333.34")
    assert risk.sigma == D("41533.12")
    assert risk.z == D("0.841621" if level is None else "1.281552")
    assert risk.reserve == D(reserve)
    assert c.contingency_base == D("50000.00")
    assert c.contingency == D("5000.00")
    assert c.nre == D(nre)
    assert c.subtotal == D(subtotal)
    assert c.tax == D(tax)
    assert c.total == D(total)
    assert c.lead_time_weeks == D(lead)
    # Contingency on the ranges 10% x 293,333.34 = 29,333.334 -> 29,333.33, less than the
    # reserve. At the mean the ranges carry it: NRE 343,333.34 + 29,333.33 + 5,000 = 377,666.67;
    # subtotal 692,916.67; tax 41,575.0002 -> 41,575.00; total 734,491.67;
    # lead 2 + 47.5/6 = 2 + 7.916667 -> 2 + 8.0.
    assert (risk.floor, risk.applied) == (D("29333.33"), "reserve")
    assert quote.p50.nre == D("377666.67")
    assert quote.p50.total == D("734491.67")
    assert quote.p50.lead_time_weeks == D("10.0")


def test_confidence_half_prices_at_the_mean() -> None:
    quote = quote_of(TWO_RANGES, confidence=D("0.5"))
    c = quote.custom
    assert c.risk.z == D(0)
    assert c.risk.reserve == D("0.00")
    assert c.risk.sigma == D("40688.52")  # still shown: the spread did not go away
    # A reserve of 0 is less than the contingency on the ranges: they carry that.
    assert (c.risk.applied, c.reserve) == ("contingency", D("24833.33"))
    assert c.nre == quote.p50.nre == D("273166.67")
    assert c.total == quote.p50.total == D("623721.67")
    assert c.lead_time_weeks == D("5.7")


def test_confidence_argument_overrides_the_estimates() -> None:
    # The estimate says 0.9; the override says 0.5: priced at the mean.
    at_mean = quote_of(TWO_RANGES, override=D("0.5"), confidence=D("0.9")).custom
    assert at_mean.risk.confidence == D("0.5")
    assert at_mean.risk.reserve == D("0.00")
    assert at_mean.nre == D("273166.67")  # the ranges carry the contingency on their mean
    # The estimate says nothing (0.8); the override says 0.9: the 0.9 figures above.
    at_90 = quote_of(TWO_RANGES, override=D("0.9")).custom
    assert at_90.risk.confidence == D("0.9")
    assert (at_90.reserve, at_90.nre) == (D("52144.45"), D("300477.79"))


def test_without_ranges_there_is_no_risk_and_p50_is_the_quote() -> None:
    quote = build_quote(estimate(), card(), today=TODAY)
    risk = quote.custom.risk
    assert (risk.z, risk.lines, risk.sigma, risk.reserve) == (None, (), D(0), D(0))
    assert quote.custom.contingency_base == D("150000.00")
    assert quote.p50 == quote.custom
    assert quote.custom.lead_time_weeks == D(3)


def test_per_upgrade_range_is_priced_at_the_mean_without_reserve() -> None:
    quote = build_quote(
        estimate(
            custom={
                "per_upgrade": [
                    {
                        "task": "Compatibility",
                        "role": "engineer",
                        "engineers": 1,
                        "weeks": {"low": D("0.5"), "likely": 1, "high": D("2.5")},
                    }
                ]
            }
        ),
        card(),
        today=TODAY,
    )
    c = quote.custom
    # 25,000 x (0.5 + 4 + 2.5)/6 = 175,000/6 = 29,166.666... -> 29,166.67
    assert c.per_upgrade_cost == D("29166.67")
    # year 2: 29,166.67 x 1.05 = 30,625.0035 -> 30,625.00;
    # year 3: 29,166.67 x 1.1025 = 32,156.253675 -> 32,156.25; four upgrades a year.
    assert [(y.unit_price, y.amount) for y in c.maintenance] == [
        (D("29166.67"), D("116666.68")),
        (D("30625.00"), D("122500.00")),
        (D("32156.25"), D("128625.00")),
    ]
    assert c.maintenance_total == D("367791.68")
    # The build has no range: no reserve, NRE as in SPEC 3.
    assert c.risk.z is None
    assert c.reserve == D(0)
    assert c.nre == D("165000.00")


# --- invariants (hypothesis) ---------------------------------------------------------------------

ROLES = ["engineer", "senior-engineer", "qa-engineer"]
week = st.decimals(min_value=D("0.1"), max_value=300, places=2, allow_nan=False)
level = st.decimals(min_value=D("0.5"), max_value=D("0.999"), places=3, allow_nan=False)


@st.composite
def spans(draw: st.DrawFn) -> dict[str, D]:
    low, likely, high = sorted(draw(st.lists(week, min_size=3, max_size=3)))
    return {"low": low, "likely": likely, "high": high}


def items(min_size: int = 1) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(
        st.fixed_dictionaries(
            {
                "task": st.just("t"),
                "role": st.sampled_from(ROLES),
                "engineers": st.integers(1, 20),
                "weeks": st.one_of(week, spans()),
            }
        ),
        min_size=min_size,
        max_size=4,
    )


@st.composite
def cards(draw: st.DrawFn) -> RateCard:
    ratio = st.decimals(min_value=0, max_value=D("0.5"), places=3, allow_nan=False)
    money = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False)
    share = st.decimals(min_value=0, max_value=1, places=2, allow_nan=False)
    base = card(
        currency=draw(st.sampled_from(["CNY", "JPY", "KWD"])),
        roles={role: draw(money) for role in ROLES},
        fee=draw(money),
        contingency=draw(ratio),
        annual_escalation=draw(ratio),
        tax_rate=draw(ratio),
        productize_share=draw(st.none() | share),
    )
    services = {"a": {"name": "A", "per_year": draw(money)}, "b": {"name": "B", "per_year": 0}}
    return with_services(base, services)


@st.composite
def estimates(draw: st.DrawFn, build: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Keyword arguments for factories.estimate: every field that decision support reads."""
    fields: dict[str, Any] = {
        "custom": {
            "build": draw(items()) if build is None else build,
            "per_upgrade": draw(items(min_size=0)),
            "upgrades_per_year": draw(st.integers(0, 12)),
            "term_years": draw(st.integers(1, 8)),
            "services": draw(st.sampled_from([[], ["a"], ["b", "a"]])),
        },
        "standard": {
            "coaching_days": draw(st.decimals(min_value=0, max_value=20, places=1, allow_nan=False))
        },
        "discount": draw(st.decimals(min_value=0, max_value=D("0.5"), places=3, allow_nan=False)),
        "confidence": draw(level),
    }
    if draw(st.booleans()):
        fields["productize"] = {"release_weeks": draw(week)}
    return fields


@st.composite
def raised(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A build with at least one range, and the same build with one range's high raised."""
    build = draw(items())
    at = draw(st.integers(0, len(build)))
    build.insert(at, {"task": "r", "role": draw(st.sampled_from(ROLES)), "engineers": 1})
    build[at]["weeks"] = draw(spans())
    ranges = [i for i, item in enumerate(build) if isinstance(item["weeks"], dict)]
    which = draw(st.sampled_from(ranges))
    more = draw(st.decimals(min_value=D("0.01"), max_value=100, places=2, allow_nan=False))
    higher = [dict(item) for item in build]
    higher[which]["weeks"] = {**build[which]["weeks"], "high": build[which]["weeks"]["high"] + more}
    return build, higher


@settings(max_examples=examples(150))
@given(cards(), raised(), st.data())
def test_raising_high_never_lowers_the_price(
    rate_card: RateCard,
    builds: tuple[list[dict[str, Any]], list[dict[str, Any]]],
    data: st.DataObject,
) -> None:
    build, higher = builds
    fields = data.draw(estimates(build))
    before = build_quote(estimate(**fields), rate_card, today=TODAY).custom
    fields["custom"] = {**fields["custom"], "build": higher}
    after = build_quote(estimate(**fields), rate_card, today=TODAY).custom
    assert after.build_subtotal >= before.build_subtotal
    assert after.risk.sigma >= before.risk.sigma
    assert after.reserve >= before.reserve
    assert after.nre >= before.nre
    assert after.total >= before.total
    assert after.lead_time_weeks >= before.lead_time_weeks


@settings(max_examples=examples(150))
@given(cards(), estimates(), level, level)
def test_a_higher_confidence_never_lowers_the_price(
    rate_card: RateCard, fields: dict[str, Any], one: D, two: D
) -> None:
    low, high = sorted([one, two])
    est = estimate(**fields)
    at_low = build_quote(est, rate_card, today=TODAY, confidence=low)
    at_high = build_quote(est, rate_card, today=TODAY, confidence=high)
    assert at_high.custom.reserve >= at_low.custom.reserve >= 0
    assert at_high.custom.nre >= at_low.custom.nre >= at_low.p50.nre
    assert at_high.custom.total >= at_low.custom.total >= at_low.p50.total
    assert at_high.custom.lead_time_weeks >= at_low.custom.lead_time_weeks
    assert (at_high.p50.nre, at_high.p50.total) == (at_low.p50.nre, at_low.p50.total)
    # Contingency does not depend on the confidence: ranges carry the reserve instead.
    assert at_high.custom.contingency == at_low.custom.contingency


def _years_add_up(option: Option, term: int) -> None:
    years = option.years
    assert [y.year for y in years] == list(range(1, term + 1))
    assert sum(y.amount for y in years) == option.total
    assert years[-1].cumulative == option.total
    running = D(0)
    for y in years:
        running += y.amount
        assert y.cumulative == running
        assert y.amount >= 0
    assert sum(y.cost for y in years) == option.one_time + option.recurring_total
    assert years[0].cost == option.one_time + option.recurring[0]
    assert [y.cost for y in years[1:]] == list(option.recurring[1:])
    assert option.net == option.one_time + option.recurring_total - option.discount
    assert option.total == option.net + option.tax


@settings(max_examples=examples(200))
@given(cards(), estimates())
def test_every_option_adds_up_over_the_term(rate_card: RateCard, fields: dict[str, Any]) -> None:
    est = estimate(**fields)
    quote = build_quote(est, rate_card, today=TODAY)
    c, s = quote.custom, quote.standard
    keys = [option.key for option in quote.options]
    assert keys[0] == "standard"
    assert keys[-1] == "custom"
    assert ("standard_coaching" in keys) == (s.coaching_days > 0)
    share = rate_card.policy.productize_share
    assert ("productize" in keys) == (est.productize is not None and share is not None)
    with localcontext(EXACT):
        for option in quote.options:
            _years_add_up(option, c.term_years)
        custom = quote.option("custom")
        assert custom is not None
        assert (custom.one_time, custom.discount, custom.net, custom.tax, custom.total) == (
            c.nre,
            c.discount,
            c.net,
            c.tax,
            c.total,
        )
        assert custom.recurring_total == c.maintenance_total + c.services_total
        assert custom.upgrade_risk == "customer"
        standard = quote.option("standard")
        assert standard is not None
        assert standard.one_time == s.fee
        assert standard.recurring_total == 0
        coaching = quote.option("standard_coaching")
        if coaching is not None:
            assert (coaching.one_time, coaching.total) == (s.net, s.total)
        productize = quote.option("productize")
        if productize is not None:
            assert productize.recurring_total == 0
            assert productize.discount == 0
            assert productize.upgrade_risk == "vendor"
            assert productize.one_time >= s.fee


# --- the option ladder ---------------------------------------------------------------------------


def keys(quote: Quote) -> list[str]:
    return [option.key for option in quote.options]


def test_default_estimate_ladder_has_coaching_but_no_productize() -> None:
    quote = build_quote(estimate(), card(), today=TODAY)
    assert keys(quote) == ["standard", "standard_coaching", "custom"]
    assert quote.productize_share is None


def test_no_coaching_days_means_no_coaching_rung() -> None:
    quote = build_quote(estimate(standard={"coaching_days": 0}), card(), today=TODAY)
    assert keys(quote) == ["standard", "custom"]
    assert quote.standard.total == D("0.00")


def test_productize_without_the_cards_share_is_left_off_the_ladder() -> None:
    est = estimate(productize={"release_weeks": 16})
    quote = build_quote(est, card(), today=TODAY)
    assert keys(quote) == ["standard", "standard_coaching", "custom"]
    assert quote.productize_share is None


def test_full_ladder_by_hand() -> None:
    est = estimate(productize={"release_weeks": 16})
    quote = build_quote(est, card(productize_share=D("0.4")), today=TODAY)
    assert keys(quote) == ["standard", "standard_coaching", "productize", "custom"]
    assert quote.productize_share == D("0.4")
    standard, coaching, productize, custom = quote.options
    # Standard: the fee alone (0) over 3 years, go live in 3 days.
    assert (standard.one_time, standard.recurring, standard.total) == (D(0), (D(0),) * 3, D(0))
    assert standard.time_to_value == (D(0), 3)
    assert [(y.cost, y.amount, y.cumulative) for y in standard.years] == [(D(0), D(0), D(0))] * 3
    assert standard.upgrade_risk == "vendor"
    # Standard + coaching: 1 day x 6,000; tax 360; 6,360 all in year 1.
    assert (coaching.one_time, coaching.tax, coaching.total) == (
        D("6000.00"),
        D("360.00"),
        D("6360.00"),
    )
    assert [(y.amount, y.cumulative) for y in coaching.years] == [
        (D("6360.00"), D("6360.00")),
        (D("0.00"), D("6360.00")),
        (D("0.00"), D("6360.00")),
    ]
    # Productize: fee 0 + 40% of the NRE 165,000 = 66,000; tax 3,960; total 69,960;
    # nothing per upgrade; 16 weeks to the release, then 3 days: 16 x 5 + 3 = 83 working days.
    assert (productize.one_time, productize.recurring, productize.total) == (
        D("66000.00"),
        (D(0),) * 3,
        D("69960.00"),
    )
    assert productize.time_to_value == (D(16), 3)
    assert productize.time_to_value.working_days == 83
    assert productize.upgrade_risk == "vendor"
    # Custom: NRE 165,000 in year 1, then upgrades 100,000 / 105,000 / 110,250; total 509,065
    # is 1.06 x 480,250 exactly, so each year is 1.06 x its cost:
    # 265,000 -> 280,900; 105,000 -> 111,300; 110,250 -> 116,865.
    assert custom.one_time == D("165000.00")
    assert custom.recurring == (D("100000.00"), D("105000.00"), D("110250.00"))
    assert custom.total == quote.custom.total == D("509065.00")
    assert custom.time_to_value == (D(3), 0)
    assert custom.upgrade_risk == "customer"
    assert [(y.year, y.cost, y.amount, y.cumulative) for y in custom.years] == [
        (1, D("265000.00"), D("280900.00"), D("280900.00")),
        (2, D("105000.00"), D("111300.00"), D("392200.00")),
        (3, D("110250.00"), D("116865.00"), D("509065.00")),
    ]


def test_custom_years_round_on_the_running_total() -> None:
    quote = quote_of(
        TWO_RANGES, rate_card=card(productize_share=D("0.4")), productize={"release_weeks": 10}
    )
    custom = quote.option("custom")
    assert custom is not None
    # Total 633,697.31 over a subtotal of 597,827.65 (from test_two_ranges_by_hand);
    # costs 282,577.65 + 100,000 = 382,577.65, then 105,000 and 110,250.
    # year 1: 633,697.31 x 382,577.65 / 597,827.65 = 405,532.3096 -> 405,532.31
    # years 1-2: 633,697.31 x 487,577.65 / 597,827.65 = 516,832.3098 -> 516,832.31
    # so year 2 is 111,300.00 and year 3 633,697.31 - 516,832.31 = 116,865.00.
    assert [(y.cost, y.amount, y.cumulative) for y in custom.years] == [
        (D("382577.65"), D("405532.31"), D("405532.31")),
        (D("105000.00"), D("111300.00"), D("516832.31")),
        (D("110250.00"), D("116865.00"), D("633697.31")),
    ]
    # Productize co-funds 40% of the NRE at the confidence level: 282,577.65 x 0.4 = 113,031.06;
    # tax 6,781.8636 -> 6,781.86; total 119,812.92.
    productize = quote.option("productize")
    assert productize is not None
    assert (productize.one_time, productize.total) == (D("113031.06"), D("119812.92"))
    assert productize.time_to_value == (D(10), 3)


# --- through the command line --------------------------------------------------------------------

EXAMPLE = (ROOT / "examples" / "reverse-push.yaml").read_text(encoding="utf-8")
CARD = (ROOT / "rates" / "default.yaml").read_text(encoding="utf-8")
PRODUCTIZE = "productize:\n  release_weeks: 12\n"


def _line_of(text: str, needle: str) -> int:
    assert text.count(needle) == 1, needle
    return text[: text.index(needle)].count("\n") + 1


def _quote(folder: Path, estimate_text: str, card_text: str, *args: str) -> Result:
    (folder / "est.yaml").write_text(estimate_text, encoding="utf-8")
    (folder / "card.yaml").write_text(card_text, encoding="utf-8")
    return RUNNER.invoke(app, ["quote", "est.yaml", "--rates", "card.yaml", *args])


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_cli_refuses_productize_when_the_card_has_no_share(here: Path) -> None:
    card_text, count = re.subn(r"(?m)^  productize_share: .*\n", "", CARD)
    assert count == 1
    text = EXAMPLE + PRODUCTIZE
    result = _quote(here, text, card_text, "--format", "json")
    assert result.exit_code == 1
    assert result.stdout == ""
    row = _line_of(text, "productize:")
    assert result.stderr == (
        f"est.yaml:{row}:1: error: productize: rate card 'default' (card.yaml) has no "
        "policy.productize_share, the share of the NRE a customer co-funds; add it there, "
        "or remove productize\n"
    )


def test_cli_offers_productize_when_the_card_has_a_share(here: Path) -> None:
    result = _quote(here, EXAMPLE + PRODUCTIZE, CARD, "--format", "json")
    assert result.exit_code == 0, result.stderr
    options = json.loads(result.stdout)["options"]
    assert [o["key"] for o in options] == ["standard", "standard_coaching", "productize", "custom"]
    # 40% of the NRE 165,000 = 66,000.00; tax 6% = 3,960.00.
    assert (options[2]["one_time"], options[2]["total"]) == ("66000.00", "69960.00")


def test_cli_unknown_service(here: Path) -> None:
    text = replaced(EXAMPLE, "  term_years: 3", "  services: [gold]\n  term_years: 3", 1)
    result = _quote(here, text, CARD)
    assert result.exit_code == 1
    assert result.stdout == ""
    row = _line_of(text, "services: [gold]")
    assert result.stderr == (
        f"est.yaml:{row}:14: error: custom.services[0]: unknown service 'gold'; "
        "rate card 'default' (card.yaml) has: health-check, premium-support\n"
    )


def test_cli_confidence_option_beats_the_estimate(here: Path) -> None:
    text = replaced(EXAMPLE, "      weeks: 3 ", "      weeks: {low: 2, likely: 3, high: 6} ", 1)
    text = replaced(text, "rate_card: default ", "confidence: 0.9\nrate_card: default ", 1)
    result = _quote(here, text, CARD, "--format", "json", "--confidence", "0.5")
    assert result.exit_code == 0, result.stderr
    risk = json.loads(result.stdout)["risk"]
    # 2 x 25,000 x (2 + 12 + 6)/6 = 166,666.67 at the mean; no reserve at 0.5.
    assert (risk["confidence"], risk["z"], risk["reserve"]) == ("0.5", "0", "0.00")
    assert risk["mean"] == "166666.67"
    result = _quote(here, text, CARD, "--format", "json")
    risk = json.loads(result.stdout)["risk"]
    # The estimate's 0.9: sigma 2 x 25,000 x 4/6 = 33,333.33; reserve 1.281552 x 33,333.33
    # = 42,718.3957 -> 42,718.40.
    assert (risk["confidence"], risk["z"], risk["sigma"]) == ("0.9", "1.281552", "33333.33")
    assert risk["reserve"] == "42718.40"


@pytest.mark.parametrize("level", ["0.3", "1", "high"])
def test_cli_bad_confidence_option_is_a_usage_error(here: Path, level: str) -> None:
    result = _quote(here, EXAMPLE, CARD, "--confidence", level)
    assert result.exit_code == 2
    assert "--confidence" in result.stderr
    assert result.stdout == ""


# --- service packages ----------------------------------------------------------------------------

SERVICES = {
    "premium-support": {
        "name": "Premium support",
        "description": "7x24 remote expert, 4-hour on-site spares.",
        "per_year": 120000,
    },
    "health-check": {"name": "Quarterly health check", "per_year": D("1000.10")},
}


def test_services_by_hand() -> None:
    rate_card = with_services(card(), SERVICES)
    est = estimate(custom={"services": ["premium-support", "health-check"]})
    quote = build_quote(est, rate_card, today=TODAY)
    c = quote.custom
    premium, health = c.services
    # 120,000 rising 5% a year: 120,000; 126,000; 120,000 x 1.1025 = 132,300.
    assert premium.key == "premium-support"
    assert premium.years == (D("120000.00"), D("126000.00"), D("132300.00"))
    assert premium.total == D("378300.00")
    # 1,000.10 x 1.05 = 1,050.105 -> 1,050.11 (half up); x 1.1025 = 1,102.61025 -> 1,102.61.
    assert health.years == (D("1000.10"), D("1050.11"), D("1102.61"))
    assert health.total == D("3152.82")
    assert health.description is None
    assert c.services_total == D("381452.82")  # 378,300 + 3,152.82
    # Subtotal: NRE 165,000 + maintenance 315,250 + services 381,452.82 = 861,702.82;
    # tax 6% = 51,702.1692 -> 51,702.17; total 913,404.99.
    assert c.subtotal == D("861702.82")
    assert c.tax == D("51702.17")
    assert c.total == D("913404.99")
    # The custom rung's recurring cost: upgrades + services each year.
    custom = quote.option("custom")
    assert custom is not None
    assert custom.recurring == (
        D("221000.10"),  # 100,000 + 120,000 + 1,000.10
        D("232050.11"),  # 105,000 + 126,000 + 1,050.11
        D("243652.61"),  # 110,250 + 132,300 + 1,102.61
    )
    assert custom.total == D("913404.99")
    # Services are not upgrades: they do not move when upgrades pass the NRE (7, see below).
    assert quote.upgrades_pass_nre_after == 7


def test_services_not_attached_cost_nothing() -> None:
    quote = build_quote(estimate(), with_services(card(), SERVICES), today=TODAY)
    assert quote.custom.services == ()
    assert quote.custom.services_total == D(0)
    assert quote.custom.total == D("509065.00")


SPEC_41 = {
    "quote": {"id", "customer", "title", "date", "valid_until", "currency", "date_assumed"},
    "rate_card": {"name", "version", "path", "sha256"},
    "standard": {"name", "integration_days", "fee", "coaching", "net", "tax", "total"},
    "custom": {
        "lead_time_weeks",
        "build",
        "build_subtotal",
        "contingency",
        "nre",
        "per_upgrade",
        "per_upgrade_cost",
        "maintenance",
        "maintenance_total",
        "subtotal",
        "discount",
        "discount_approval_required",
        "net",
        "tax",
        "total",
    },
    "comparison": {"extra_cost", "standard_days", "custom_weeks"},
}
LINE_KEYS = {"task", "role", "engineers", "weeks", "rate", "amount"}


def test_json_keeps_spec_4_1_and_adds_the_decision_blocks() -> None:
    rate_card = with_services(card(productize_share=D("0.4")), SERVICES)
    est = estimate(
        custom={"build": THREE_RANGES, "services": ["health-check"]},
        productize={"release_weeks": 16},
    )
    data = as_dict(build_quote(est, rate_card, today=TODAY))
    json.dumps(data)  # plain JSON types only
    assert data["schema_version"] == 2
    for block, names in SPEC_41.items():
        assert names <= set(data[block]), (block, names - set(data[block]))
    custom = data["custom"]
    for section in ("build", "per_upgrade"):
        assert custom[section]
        assert all(set(row) >= LINE_KEYS for row in custom[section])
    assert all(
        set(row) >= {"year", "upgrades", "unit_price", "amount"} for row in custom["maintenance"]
    )
    assert isinstance(data["quote"]["date_assumed"], bool)
    assert custom["build"][0]["weeks"] == "3.333333"
    assert custom["build"][0]["amount"] == "166666.67"
    assert custom["build"][0]["range"] == {
        "low": "2",
        "likely": "3",
        "high": "6",
        "mean_weeks": "3.333333",
        "sigma_weeks": "0.666667",
        "sigma_amount": "33333.33",
    }
    assert custom["build"][3]["range"] is None
    assert custom["nre"] == "383288.49"  # from test_three_ranges_and_a_single_figure_by_hand
    assert (custom["risk_reserve"], custom["contingency_base"]) == ("34955.15", "50000.00")
    # NRE 383,288.49 + upgrades 315,250 + health check 3,152.82 = 701,691.31;
    # tax 42,101.4786 -> 42,101.48; total 743,792.79.
    assert (custom["subtotal"], custom["total"]) == ("701691.31", "743792.79")

    assert custom["services"] == [
        {
            "key": "health-check",
            "name": "Quarterly health check",
            "description": None,
            "per_year": "1000.10",
            "years": [
                {"year": 1, "amount": "1000.10"},
                {"year": 2, "amount": "1050.11"},
                {"year": 3, "amount": "1102.61"},
            ],
            "total": "3152.82",
        }
    ]
    assert custom["services_total"] == "3152.82"

    options = data["options"]
    assert [o["key"] for o in options] == ["standard", "standard_coaching", "productize", "custom"]
    for option in options:
        assert {
            "key",
            "time_to_value",
            "one_time",
            "recurring",
            "recurring_total",
            "discount",
            "net",
            "tax",
            "total",
            "upgrade_risk",
            "label",
        } <= set(option)
        assert set(option["time_to_value"]) >= {"weeks", "days", "working_days"}
        assert len(option["recurring"]) == 3
    assert options[-1]["total"] == custom["total"]
    # Productize: 40% of 383,288.49 = 153,315.396 -> 153,315.40; tax 9,198.924 -> 9,198.92.
    assert (options[2]["one_time"], options[2]["total"]) == ("153315.40", "162514.32")
    assert options[2]["time_to_value"] == {"weeks": "16", "days": 3, "working_days": "83"}
    assert options[2]["recurring"] == ["0.00"] * 3
    assert options[3]["recurring"] == [
        "101000.10",  # 100,000 + 1,000.10
        "106050.11",  # 105,000 + 1,050.11
        "111352.61",  # 110,250 + 1,102.61
    ]

    lifetime = data["lifetime"]
    assert lifetime["term_years"] == 3
    assert list(lifetime["options"]) == [o["key"] for o in options]
    for key, years in lifetime["options"].items():
        assert [y["year"] for y in years] == [1, 2, 3]
        assert all(set(y) >= {"year", "cost", "amount", "cumulative"} for y in years)
        total = next(o["total"] for o in options if o["key"] == key)
        assert years[-1]["cumulative"] == total
    assert lifetime["upgrades_pass_nre_after"] is None  # 383,288.49 > 315,250 of upgrades
    assert lifetime["custom_less_productize"] == "581278.47"  # 743,792.79 - 162,514.32

    risk = data["risk"]
    assert (risk["confidence"], risk["z"], risk["ranges"]) == ("0.8", "0.841621", 3)
    assert (risk["mean"], risk["sigma"], risk["reserve"]) == ("293333.34", "41533.12", "34955.15")
    # build = build subtotal + reserve, before contingency: 343,333.34 + 34,955.15 = 378,288.49.
    assert risk["at_confidence"] == {"build": "378288.49", "nre": "383288.49", "total": "743792.79"}
    assert (risk["floor"], risk["charge"], risk["applied"]) == ("29333.33", "34955.15", "reserve")
    # At the mean the ranges carry the contingency on their mean, 29,333.33: build 372,666.67;
    # NRE 377,666.67; subtotal 696,069.49; tax 41,764.1694 -> 41,764.17; total 737,833.66.
    assert risk["p50"] == {"build": "372666.67", "nre": "377666.67", "total": "737833.66"}


def test_json_of_a_quote_without_ranges_has_no_z() -> None:
    data = as_dict(build_quote(estimate(), card(), today=TODAY))
    assert data["risk"]["z"] is None
    assert data["risk"]["reserve"] == "0.00"
    assert data["custom"]["services"] == []
    assert data["custom"]["services_total"] == "0.00"
    assert data["lifetime"]["upgrades_pass_nre_after"] == 7


# --- when do upgrade charges pass the NRE --------------------------------------------------------


def test_upgrades_pass_nre_after_the_seventh_upgrade() -> None:
    quote = build_quote(estimate(), card(), today=TODAY)
    # NRE 165,000. Year 1: 4 x 25,000 -> 100,000 after 4 upgrades. Year 2 at 26,250:
    # 126,250 (5), 152,500 (6), 178,750 (7) > 165,000.
    assert quote.upgrades_pass_nre_after == 7


def test_upgrades_pass_nre_with_ranges_counts_the_nre_at_the_confidence() -> None:
    # NRE 282,577.65 (two ranges at 0.8). Years 1-2 bring 205,000 after 8 upgrades; year 3 at
    # 27,562.50: 232,562.50 (9), 260,125 (10), 287,687.50 (11) > 282,577.65.
    assert quote_of(TWO_RANGES).upgrades_pass_nre_after == 11
    # At the mean the ranges carry the contingency on their mean: NRE 273,166.67, which
    # 260,125 (10) does not pass and 287,687.50 (11) does.
    assert quote_of(TWO_RANGES, override=D("0.5")).upgrades_pass_nre_after == 11


def test_upgrade_charges_equal_to_the_nre_do_not_pass_it() -> None:
    # NRE 1 x 4 weeks x 25,000 = 100,000 with no contingency: 4 upgrades of 25,000 equal it,
    # the 5th (26,250) passes it.
    build = [{"task": "t", "role": "engineer", "engineers": 1, "weeks": 4}]
    quote = quote_of(build, rate_card=card(contingency=0))
    assert quote.custom.nre == D("100000.00")
    assert quote.upgrades_pass_nre_after == 5


@pytest.mark.parametrize(
    "custom",
    [
        {"term_years": 1},  # 4 x 25,000 = 100,000 < 165,000
        {"per_upgrade": []},
        {"upgrades_per_year": 0},
    ],
    ids=["short-term", "no-per-upgrade", "no-upgrades"],
)
def test_upgrades_that_never_pass_the_nre(custom: dict[str, Any]) -> None:
    quote = build_quote(estimate(custom=custom), card(), today=TODAY)
    assert quote.upgrades_pass_nre_after is None


def test_the_example_card_offers_what_the_tests_assume() -> None:
    """The CLI tests above lean on the shipped card: a productize share and two services."""
    data = yaml.safe_load(CARD)
    assert data["policy"]["productize_share"] == 0.4
    assert sorted(data["services"]) == ["health-check", "premium-support"]
