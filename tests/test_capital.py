"""Capital figures (大写金额) and 万元: the PBOC's rules and examples; cn2an as a second opinion.

The PBOC's examples are from 《正确填写票据和结算凭证的基本规定》 (annex to 《支付结算办法》); where
they show two allowed forms, nrecalc writes the one with every 零 (SPEC 6.1).
"""

from __future__ import annotations

import re
from decimal import Decimal as D

import cn2an  # type: ignore[import-untyped]
import pytest
from conftest import examples
from hypothesis import example, given, settings
from hypothesis import strategies as st

from nrecalc.capital import DIGITS, LIMIT, capital_figures, wan


def _pboc(text: str) -> str:
    return "人民币" + text


# The PBOC's own examples, as nrecalc writes them.
PBOC = [
    ("1409.50", _pboc("壹仟肆佰零玖元伍角")),  # 整 only after 元, as SPEC 6.1 and the PBOC
    ("6007.14", _pboc("陆仟零柒元壹角肆分")),  # a run of zeros: one 零
    ("1680.32", _pboc("壹仟陆佰捌拾元零叁角贰分")),  # PBOC: …元零叁角贰分 or …元叁角贰分
    ("107000.53", _pboc("壹拾万零柒仟元零伍角叁分")),  # PBOC: either 零 may be left out
    ("16409.02", _pboc("壹万陆仟肆佰零玖元零贰分")),  # zero 角, non-zero 分: 零 after 元
    ("325.04", _pboc("叁佰贰拾伍元零肆分")),
]

# The rules of SPEC 6.1 and the brief, one case each.
RULES = [
    ("483611.75", "人民币肆拾捌万叁仟陆佰壹拾壹元柒角伍分"),  # SPEC's example: the seed total
    ("1000010", "人民币壹佰万零壹拾元整"),
    ("105000", "人民币壹拾万零伍仟元整"),  # zero 万 digit before a 仟: 零, always
    ("16309.02", "人民币壹万陆仟叁佰零玖元零贰分"),
    ("10", "人民币壹拾元整"),  # 壹拾, never 拾 alone
    ("12", "人民币壹拾贰元整"),
    ("19.99", "人民币壹拾玖元玖角玖分"),
    ("110000", "人民币壹拾壹万元整"),
    ("10.50", "人民币壹拾元零伍角"),  # zero 元 digit before a 角: 零, always
    ("10.05", "人民币壹拾元零伍分"),  # one 零 for the zeros of 元 and 角
    ("100.00", "人民币壹佰元整"),  # trailing zeros: no 零
    ("1E+5", "人民币壹拾万元整"),  # how the Decimal is written does not matter
    ("1.000", "人民币壹元整"),  # nor its trailing zeros
    # Below one yuan: no 元, and no leading 零.
    ("0.05", "人民币伍分"),
    ("0.50", "人民币伍角"),  # no 元, no 整
    ("0.55", "人民币伍角伍分"),
    ("0.00", "人民币零元整"),
    ("0", "人民币零元整"),
    ("-0.00", "人民币零元整"),  # negative zero is zero
    # 亿 and beyond: 万亿 (10**12) and 亿亿 (10**16), as Chinese writes them.
    ("100000000", "人民币壹亿元整"),
    ("100010000", "人民币壹亿零壹万元整"),  # a zero 万 section inside: 零
    ("100005000", "人民币壹亿零伍仟元整"),  # a whole zero 万 section: one 零
    ("110000000", "人民币壹亿壹仟万元整"),
    ("10010000000", "人民币壹佰亿零壹仟万元整"),  # zero 亿 digit before a 仟: 零, always
    ("1000000000000", "人民币壹万亿元整"),
    ("1000100000000", "人民币壹万零壹亿元整"),
    ("1000000010000", "人民币壹万亿零壹万元整"),
    ("1000000000001", "人民币壹万亿零壹元整"),
    ("10000000000000000", "人民币壹亿亿元整"),
    ("10000000000000001.01", "人民币壹亿亿零壹元零壹分"),
    ("10001000000000000", "人民币壹亿零壹万亿元整"),
    (
        # About nrecalc's largest total (money < 10**15 before tax, times tax and years).
        "1234567890123456789.01",
        "人民币壹佰贰拾叁亿肆仟伍佰陆拾柒万捌仟玖佰零壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元零壹分",
    ),
    (
        "99999999999999999999.99",  # the largest: LIMIT - 0.01
        "人民币玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿"
        "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
    ),
]


@pytest.mark.parametrize(("amount", "expected"), PBOC + RULES)
def test_capital_figures(amount: str, expected: str) -> None:
    assert capital_figures(D(amount)) == expected


@pytest.mark.parametrize(
    "amount",
    ["-0.01", "-483611.75", "0.001", "1.005", "NaN", "sNaN", "Infinity", "-Infinity", "1E+20"],
)
def test_what_capital_figures_refuse(amount: str) -> None:
    # Negative (a discount row is never written in capitals), not rounded to the fen, not a
    # number, or LIMIT and beyond.
    with pytest.raises(ValueError):
        capital_figures(D(amount))
    if amount != "1E+20":
        with pytest.raises(ValueError):
            wan(D(amount))


def test_wan_has_no_upper_limit() -> None:
    # 万 needs no section names: a quote at SPEC 2's limits (about 10**24) is said in 万元 too.
    assert wan(D("1E+20")) == ("10,000,000,000,000,000", False)
    assert wan(D("110770012698269998885939.88")) == ("11,077,001,269,826,999,888.59", True)


def test_the_limit_is_the_first_amount_refused() -> None:
    assert capital_figures(LIMIT - D("0.01")) == capital_figures(D("99999999999999999999.99"))
    with pytest.raises(ValueError, match="below 10"):
        capital_figures(LIMIT)


@pytest.mark.parametrize("amount", [1, "1.00"])
def test_only_decimals(amount: object) -> None:
    with pytest.raises(TypeError):
        capital_figures(amount)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("483611.75", ("48.36", True)),  # SPEC's example: 约 48.36 万元
        ("480000", ("48", False)),  # exact: no 约, no trailing zeros
        ("480000.00", ("48", False)),
        ("485000", ("48.5", False)),
        ("483600", ("48.36", False)),
        ("483650", ("48.37", True)),  # half-up, to 100 yuan
        ("483649.99", ("48.36", True)),
        ("483999", ("48.4", True)),  # rounded, then trailing zeros dropped
        ("10000", ("1", False)),
        ("10000.01", ("1", True)),  # 约: the rounding dropped a fen
        ("99999999.99", ("10,000", True)),
        ("123456789000", ("12,345,678.9", False)),  # thousands separators, as the ¥ amounts
        ("3500", ("0.35", False)),
        ("0.00", ("0", False)),
        ("-0.00", ("0", False)),
    ],
)
def test_wan(amount: str, expected: tuple[str, bool]) -> None:
    assert wan(D(amount)) == expected


# --- properties -----------------------------------------------------------------------------------

# Amounts in fen, digit by digit with zeros as likely as all other digits together: zeros inside
# the number, whole zero sections and zero 角 are where the rules differ.
_DIGIT = st.one_of(st.just("0"), st.sampled_from("123456789"))


def _amounts(digits: int) -> st.SearchStrategy[D]:
    """Amounts of up to digits digits in fen, rounded to the fen like every total."""
    return (
        st.lists(_DIGIT, min_size=1, max_size=digits)
        .map(lambda found: int("".join(found)))
        .map(lambda fen: D(fen).scaleb(-2))
    )


def _without_options(text: str) -> str:
    """Write a figure without the 零 that the PBOC leaves optional (one style for both)."""
    # The 万 (or 亿) digit is zero and the 仟 digit is not: cn2an 0.5.24 leaves the 零 out,
    # 0.5.23 and nrecalc write it.
    text = re.sub(f"([万亿])零([{DIGITS[1:]}]仟)", r"\1\2", text)
    # The 元 digit is zero and the 角 digit is not: cn2an leaves the 零 out, nrecalc writes it.
    return re.sub(f"元零([{DIGITS[1:]}]角)", r"元\1", text)


def _cn2an(amount: D) -> str:
    # cn2an writes no currency name; it takes the amount as text, never as a float.
    text: str = cn2an.an2cn(format(amount, "f"), "rmb")
    return "人民币" + text


@settings(max_examples=examples(500))
@given(_amounts(18))  # cn2an writes up to 16 digits of yuan
@example(D("483611.75"))
@example(D("107000.53"))
@example(D("100005000.00"))
@example(D("1000000010000.00"))
@example(D("9999999999999999.99"))
def test_cn2an_writes_the_same_digits_and_units(amount: D) -> None:
    assert _without_options(capital_figures(amount)) == _without_options(_cn2an(amount))


_UNITS = {"拾": 10, "佰": 100, "仟": 1000}


def _read_whole(text: str) -> int:
    """Read whole yuan back: 壹拾万零伍仟 -> 105000."""
    stack: list[tuple[int, int]] = []  # (value, magnitude) of each part that 万 or 亿 ended
    section, digit = 0, 0
    for char in text:
        if char in DIGITS:
            digit = DIGITS.index(char)
        elif char in _UNITS:
            assert digit, f"{char} without its digit in {text}"  # 壹拾, never 拾 alone
            section, digit = section + digit * _UNITS[char], 0
        else:  # 万 or 亿 multiplies what comes before it, back to a part larger than itself
            size = 10**4 if char == "万" else 10**8
            value, magnitude = section + digit, 1
            while stack and stack[-1][1] <= size:
                value += stack[-1][0]
                magnitude = max(magnitude, stack.pop()[1])
            stack.append((value * size, magnitude * size))
            section, digit = 0, 0
    return sum(value for value, _ in stack) + section + digit


def _read(text: str) -> D:
    """Read capital figures back into an amount: an inverse written apart from nrecalc's code."""
    assert text.startswith("人民币"), text
    yuan, _, small = text.removeprefix("人民币").rpartition("元")  # no 元: all is 角 and 分
    fen = sum(
        DIGITS.index(digit) * (10 if unit == "角" else 1)
        for digit, unit in re.findall(f"([{DIGITS}])([角分])", small)
    )
    return D(_read_whole(yuan) * 100 + fen).scaleb(-2)


def _zero_runs(amount: D) -> int:
    """Count the runs of zero digits between two non-zero digits of the amount in fen."""
    return len(re.findall("0+", str(int(amount.scaleb(2))).rstrip("0")))


@settings(max_examples=examples(500))
@given(_amounts(22))  # up to LIMIT - 0.01
@example(D("99999999999999999999.99"))
@example(D("10000000000000000.00"))
@example(D("10001000000000000.00"))
@example(D("10000000100000000.00"))
def test_figures_read_back_with_one_zero_per_run(amount: D) -> None:
    text = capital_figures(amount)
    assert _read(text) == amount
    # Every run of zeros inside the number is one 零, and there is no other 零 (SPEC 6.1).
    assert text.count("零") == (_zero_runs(amount) if amount else 1)
    assert "零零" not in text
    # 整 exactly when there is no 角 or 分; 元 exactly when there is a whole yuan (or nothing).
    assert text.endswith("整") == (not amount.scaleb(2) % 100)
    assert ("元" in text) == (amount >= 1 or not amount)
