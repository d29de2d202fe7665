"""The standard normal quantile in Decimal (the z of SPEC 7): no float, one rounding, half up."""

from decimal import Context, Decimal, localcontext

from .money import quantity

HALF = Decimal("0.5")
# 1 / sqrt(2 pi), to 60 digits (tests/test_quantile.py checks it against pi taken in Decimal).
_INV_SQRT_2PI = Decimal("0.398942280401432677939946059934381868475858631164934657665926")
# Digits carried: 40 give z to about 30 places (0.3 ms at confidence 0.999); more only when z
# stands that close to the half of its last place.
_DIGITS = (40, 80, 160, 320)


def normal_quantile(p: Decimal, places: int) -> Decimal:
    """Return z with P(Z <= z) = p for a standard normal Z, rounded half up to places.

    p is from 0.5 up to (not including) 1.
    """
    for digits in _DIGITS:
        z = quantile_to(p, digits)
        # Known far closer than its distance from the half of its last place, z rounds as the
        # exact quantile does.
        with localcontext(Context(prec=digits)):
            margin = abs(z.scaleb(places) % 1 - HALF)
        if margin > Decimal(1).scaleb(places + 12 - digits):
            break
    return quantity(z, places)


def quantile_to(p: Decimal, digits: int) -> Decimal:
    """Return the quantile of p to within 10**(10 - digits), working to digits digits.

    Newton's method from 0: the distribution function is concave above 0, so every step lands
    below the root and the steps shrink to it, at last doubling the correct digits each time.
    """
    with localcontext(Context(prec=digits)):
        z = Decimal(0)
        tolerance = Decimal(1).scaleb(10 - digits)
        while True:
            below, density = _distribution(z)
            step = (below - p) / density
            z -= step
            if abs(step) < tolerance:
                return +z


def _distribution(z: Decimal) -> tuple[Decimal, Decimal]:
    """Return P(Z <= z) and the density at z, in the current context.

    P(Z <= z) = 1/2 + density(z) x (z + z^3/3 + z^5/(3 x 5) + ...): every term is positive, so
    no digit is lost to cancellation.
    """
    density = _INV_SQRT_2PI * (-z * z / 2).exp()
    square = z * z
    term = total = z
    odd = 1
    while True:
        odd += 2
        term = term * square / odd
        grown = total + term
        if grown == total:
            return HALF + density * total, density
        total = grown
