"""The normal quantile in Decimal (nrecalc/quantile.py): right far past the 6 places that price."""

from __future__ import annotations

from decimal import Context, localcontext
from decimal import Decimal as D
from statistics import NormalDist

import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from nrecalc.money import quantity
from nrecalc.quantile import _INV_SQRT_2PI, normal_quantile, quantile_to

# sqrt(2) x erfinv(2p - 1) to 45 digits, from mpmath at 60 digits: a computation of its own.
KNOWN = {
    "0.5001": "0.000250662830088035098920650105407834339218355856",
    "0.8": "0.841621233572914205178706121363248100626297534",
    "0.812345": "0.886570838214402502890898819544540027105618568",
    "0.9": "1.28155156554460046696510332944874281861990782",
    "0.975": "1.95996398454005423552459443052055152795555008",
    "0.999": "3.09023230616781354154039983010737920549100849",
}


def _pi(digits: int) -> D:
    """Return pi to digits digits (the recipe of the decimal module's documentation)."""
    with localcontext(Context(prec=digits + 2)):
        lasts, t, s, n, na, d, da = D(0), D(3), D(3), 1, 0, 0, 24
        while s != lasts:
            lasts = s
            n, na = n + na, na + 8
            d, da = d + da, da + 32
            t = (t * n) / d
            s += t
    with localcontext(Context(prec=digits)):
        return +s


def test_the_density_constant_is_one_over_the_root_of_two_pi() -> None:
    with localcontext(Context(prec=70)):
        assert abs(1 / (2 * _pi(70)).sqrt() - _INV_SQRT_2PI) < D("1e-60")


@pytest.mark.parametrize(("p", "z"), KNOWN.items())
def test_the_quantile_is_right_to_30_places(p: str, z: str) -> None:
    assert abs(quantile_to(D(p), 40) - D(z)) < D("1e-30")


def test_the_mean_is_exactly_0() -> None:
    assert normal_quantile(D("0.5"), 6) == 0


def test_z_is_rounded_once_half_up() -> None:
    assert normal_quantile(D("0.8"), 6) == D("0.841621")
    assert normal_quantile(D("0.9"), 6) == D("1.281552")  # 1.2815515|6...
    assert normal_quantile(D("0.999"), 6) == D("3.090232")


def test_places_that_40_digits_cannot_decide_are_decided_with_more() -> None:
    # 30 places need more than the 40 digits carried at first: 1.95996...43052055 rounds up.
    assert normal_quantile(D("0.975"), 30) == D("1.959963984540054235524594430521")


def test_every_confidence_of_the_grid_gives_the_6_place_z_of_float_inv_cdf() -> None:
    """0.500, 0.501 ... 0.999: the figure priced is the one Python's NormalDist gives."""
    for thousandths in range(500, 1000):
        p = D(thousandths).scaleb(-3)
        by_float = quantity(D(repr(NormalDist().inv_cdf(float(p)))))
        assert normal_quantile(p, 6) == by_float, p


@settings(max_examples=examples(100))
@given(st.integers(500_000, 999_000))
def test_any_confidence_agrees_with_float_inv_cdf_far_past_6_places(millionths: int) -> None:
    p = D(millionths).scaleb(-6)
    by_float = D(repr(NormalDist().inv_cdf(float(p))))
    assert abs(quantile_to(p, 40) - by_float) < D("1e-12")
