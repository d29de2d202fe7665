"""CNY amounts as Chinese documents write them: capital figures (大写金额) and in 万.

Capital figures follow the PBOC rules for bills and settlement documents (SPEC 6.1). Where the
rules leave 零 optional, nrecalc always writes it, so a figure reads one way only and no digit
can be slipped in: every run of zero digits between two non-zero digits is one 零, wherever it
falls (inside a section, across 万, 亿 or 元, or between 元 and 角), and no other 零 is written
(but in 人民币零元整). 整 follows 元 when there is no 角 or 分, as SPEC 6.1 and the PBOC write
it (1409.50 -> …元伍角, not …元伍角整). Both functions take the
amounts a document shows — totals and payments, already rounded to the fen, never negative (a
discount row is not written in capitals) — and raise ValueError on anything else.
"""

from __future__ import annotations

from decimal import Decimal

from .money import EXACT, round_money

DIGITS = "零壹贰叁肆伍陆柒捌玖"
# The units inside a four-digit section, from its last digit up.
_PLACES = ("", "拾", "佰", "仟")
# 亿亿 reads to 10**20; the documents write no capital figures for a larger amount (a quote at
# SPEC 2's limits reaches about 10**24: a rate below 10**15 times 10,000 people times 10,000 weeks).
LIMIT = Decimal(10) ** 20
_WAN = Decimal(10000)


def capital_figures(amount: Decimal) -> str:
    """Write a CNY amount in capital figures: 483611.75 -> 人民币肆拾捌万叁仟陆佰壹拾壹元柒角伍分.

    整 follows 元 when there is no 角 or 分 (10 -> 人民币壹拾元整;
    1409.50 -> 人民币壹仟肆佰零玖元伍角, as the PBOC writes it).
    Below one yuan there is no 元 (0.05 -> 人民币伍分; 0.50 -> 人民币伍角);
    zero is 人民币零元整. Sections run 万, 亿, 万亿 (10**12) and 亿亿 (10**16),
    up to LIMIT.
    """
    cents = _fen(amount)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if not cents:
        return "人民币零元整"
    text = _integer(yuan) + "元" if yuan else ""
    if jiao:
        # The 元 digit is zero but the 角 digit is not: the PBOC leaves this 零 optional.
        text += ("零" if yuan and not yuan % 10 else "") + DIGITS[jiao] + "角"
    if fen:
        # A zero 角 between 元 and 分 is a zero inside the number (16409.02 -> …元零贰分).
        text += ("零" if yuan and not jiao else "") + DIGITS[fen] + "分"
    elif not jiao:
        text += "整"
    return "人民币" + text


def wan(amount: Decimal) -> tuple[str, bool]:
    """Return a CNY amount in 万 for a sentence, and whether it is rounded: 483611.75 -> 48.36.

    The amount is rounded half-up to 0.01 万 (100 yuan) and written without trailing zeros,
    with thousands separators as the ¥ amounts (12,345.6); the flag says the rounding changed it
    (the catalog then writes 约). The words are the catalog's: money.wan, money.wan_about.
    """
    _fen(amount, bounded=False)  # 万 has no upper limit: 1,234,567,890,123,456,789.01 万元
    exact = EXACT.divide(amount.copy_abs(), _WAN)  # -0.00 is the one negative that passes
    shown = round_money(exact, "CNY")
    return f"{shown:,.2f}".rstrip("0").rstrip("."), shown != exact


def _fen(amount: Decimal, *, bounded: bool = True) -> int:
    """Return the amount in fen, if it is one capital figures can write, else raise ValueError.

    bounded=False lifts the upper limit, which only the capital figures' sections have.
    """
    if not isinstance(amount, Decimal):
        raise TypeError(f"amount must be a Decimal, not {type(amount).__name__}")
    if not amount.is_finite():
        raise ValueError(f"amount must be a finite number, not {amount}")
    if amount < 0:
        raise ValueError(f"amount must not be negative: {amount}")
    if bounded and amount >= LIMIT:
        raise ValueError(f"amount must be below 10**20: {amount}")
    if round_money(amount, "CNY") != amount:
        raise ValueError(f"amount must be rounded to the fen (0.01): {amount}")
    return int(EXACT.multiply(amount, Decimal(100)))


def _integer(number: int) -> str:
    """Write a positive whole number of yuan: 1000010 -> 壹佰万零壹拾."""
    for size, unit in ((10**8, "亿"), (10**4, "万")):
        if number >= size:
            high, low = divmod(number, size)
            text = _integer(high) + unit
            if not low:
                return text
            # Zero digits between high's last digit and low's first: one 零 for the run.
            gap = not high % 10 or low < size // 10
            return text + ("零" if gap else "") + _integer(low)
    return _section(number)


def _section(number: int) -> str:
    """Write a whole number from 1 to 9999: 1409 -> 壹仟肆佰零玖, 10 -> 壹拾."""
    text, gap = "", False
    for place in range(3, -1, -1):
        digit = number // 10**place % 10
        if digit:
            text += ("零" if gap else "") + DIGITS[digit] + _PLACES[place]
            gap = False
        elif text:
            gap = True
    return text
