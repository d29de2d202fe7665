"""The two file kinds as pydantic models (SPEC 2): RateCard and Estimate."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, ValidationInfo
from pydantic import field_validator as _field_validator
from pydantic_core import PydanticCustomError

from . import money

MONEY_LIMIT = Decimal(10) ** 15
QUANTITY_LIMIT = Decimal(10_000)
MAX_DECIMALS = 6
MAX_TERM_YEARS = 50
MAX_UPGRADES_PER_YEAR = 365
MAX_DAYS = 3650
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2999, 12, 31)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Text may not carry terminal escapes or other control characters; only a paragraph may
# have line breaks (tabs are control characters too: they break table alignment).
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("nrecalc", "{reason}", {"reason": message})


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, str):
        return f"text {value[:40]!r}"
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, (int, Decimal)):
        return f"the number {_shown(value)}"
    return "an invalid value"


def _shown(value: Any) -> str:
    """Write a number as its YAML text most likely was: 0.0000001, not 1E-7."""
    if isinstance(value, Decimal) and value.is_finite() and abs(value.adjusted()) < 30:
        text = format(value, "f")
    else:
        text = str(value)
    return text if len(text) <= 40 else text[:40] + "..."


def _number(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        hint = ""
        if isinstance(value, str) and re.fullmatch(r"\s*[-+]?[0-9.,_ ]+\s*", value):
            hint = "; write it without quotes or separators"
        raise _fail(f"expected a number, got {_describe(value)}{hint}")
    number = Decimal(value)
    if not number.is_finite():
        raise _fail(f"{_shown(value)} is not a finite number")
    if number.is_zero():
        number = number.copy_abs()  # -0 is 0: no "-0.00" in a quote
    if money.decimals(number) > MAX_DECIMALS:
        raise _fail(f"{_shown(value)} has more than {MAX_DECIMALS} decimal places")
    return number


def _money(value: Any) -> Decimal:
    number = _number(value)
    if number < 0:
        raise _fail(f"must not be negative, got {_shown(value)}")
    if number >= MONEY_LIMIT:
        raise _fail(f"{_shown(value)} is too large (money must be below 10^15)")
    return number


def _ratio(value: Any) -> Decimal:
    number = _number(value)
    if not 0 <= number < 1:
        raise _fail(
            f"must be a fraction from 0 up to (not including) 1, got {_shown(value)}; 10% is 0.10"
        )
    return number


def _tax_rate(value: Any) -> Decimal:
    number = _number(value)
    if not 0 <= number <= 1:
        raise _fail(f"must be a fraction from 0 to 1, got {_shown(value)}; 6% is 0.06")
    return number


def _weeks(value: Any) -> Decimal:
    number = _number(value)
    if number <= 0:
        raise _fail(f"must be positive, got {_shown(value)}")
    if number > QUANTITY_LIMIT:
        raise _fail(f"{_shown(value)} is more than the limit of 10,000")
    return number


def _days(value: Any) -> Decimal:
    number = _number(value)
    if number < 0:
        raise _fail(f"must not be negative, got {_shown(value)}")
    if number > QUANTITY_LIMIT:
        raise _fail(f"{_shown(value)} is more than the limit of 10,000")
    return number


def _whole(low: int, high: int) -> Any:
    def check(value: Any) -> int:
        if isinstance(value, Decimal) and not isinstance(value, bool):
            raise _fail(f"must be a whole number, got {_shown(value)}")
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(f"expected a whole number, got {_describe(value)}")
        if not low <= value <= high:
            raise _fail(f"must be from {low:,} to {high:,}, got {_shown(value)}")
        return value

    return check


def _paragraph(value: Any) -> str:
    if not isinstance(value, str):
        raise _fail(f"expected text, got {_describe(value)}; put it in quotes")
    if not value.strip():
        raise _fail("must not be empty")
    bad = _CONTROL.search(value)
    if bad:
        raise _fail(f"must not contain control characters (found U+{ord(bad.group()):04X})")
    return value


def _text(value: Any) -> str:
    text = _paragraph(value)
    if "\n" in text.rstrip("\n"):
        raise _fail("must be a single line")
    return text.rstrip("\n")


def _date(value: Any) -> date:
    if isinstance(value, date):
        day = value
    elif not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise _fail(f"expected a date as YYYY-MM-DD, got {_describe(value)}")
    else:
        try:
            day = date.fromisoformat(value)
        except ValueError as exc:
            raise _fail(f"{value} is not a real date ({exc})") from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise _fail(f"{value} is out of range ({FIRST_DATE.year} to {LAST_DATE.year})")
    return day


def _currency(value: Any) -> str:
    code = _text(value)
    if not money.is_currency(code):
        raise _fail(f"{code!r} is not an ISO 4217 currency code (such as CNY, USD, EUR, JPY)")
    return code


# json_schema_input_type gives `nrecalc schema` the shape of each field; the ranges live in the
# validators. (WithJsonSchema would import pydantic.json_schema at start-up: 2 ms.)
def _checked(kind: type, check: Any) -> PlainValidator:
    return PlainValidator(check, json_schema_input_type=kind)


Money = Annotated[Decimal, _checked(float, _money)]
Ratio = Annotated[Decimal, _checked(float, _ratio)]
TaxRate = Annotated[Decimal, _checked(float, _tax_rate)]
Weeks = Annotated[Decimal, _checked(float, _weeks)]
Days = Annotated[Decimal, _checked(float, _days)]
Engineers = Annotated[int, _checked(int, _whole(1, 10_000))]
Text = Annotated[str, _checked(str, _text)]
Paragraph = Annotated[str, _checked(str, _paragraph)]
IsoDate = Annotated[date, _checked(date, _date)]
Currency = Annotated[str, _checked(str, _currency)]
WholeDays = Annotated[int, _checked(int, _whole(0, MAX_DAYS))]
UpgradesPerYear = Annotated[int, _checked(int, _whole(0, MAX_UPGRADES_PER_YEAR))]
TermYears = Annotated[int, _checked(int, _whole(1, MAX_TERM_YEARS))]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StandardOffer(_Model):
    """The standard-platform option, as the rate card prices it."""

    name: Text
    integration_days: WholeDays
    fee: Money = Decimal(0)
    coaching_per_day: Money = Decimal(0)


class Policy(_Model):
    """Commercial policy: risk buffer, escalation, tax, approval and validity."""

    contingency: Ratio = Decimal(0)
    annual_escalation: Ratio = Decimal(0)
    tax_rate: TaxRate = Decimal(0)
    discount_approval_above: Ratio | None = None
    validity_days: WholeDays = 30


class RateCard(_Model):
    """A rate card: weekly billing rates per role, the standard offer and the policy."""

    kind: Literal["rate-card"]
    name: Text
    version: Text
    currency: Currency
    effective_from: IsoDate
    effective_until: IsoDate | None = None
    roles: Annotated[dict[str, Money], Field(min_length=1)]
    standard: StandardOffer
    policy: Policy = Policy()

    @_field_validator("effective_until")
    @classmethod
    def _until_after_from(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("effective_from")
        if value is not None and start is not None and value < start:
            raise _fail(f"{value} is before effective_from ({start})")
        return value

    def covers(self, day: date) -> bool:
        """Tell whether the card is in effect on day."""
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )


class Item(_Model):
    """One line of effort: a task, the role doing it, how many people for how long."""

    task: Text
    role: Text
    engineers: Engineers
    weeks: Weeks


class Custom(_Model):
    """The custom build and its per-upgrade compatibility effort."""

    build: Annotated[tuple[Item, ...], Field(min_length=1)]
    per_upgrade: tuple[Item, ...] = ()
    upgrades_per_year: UpgradesPerYear
    term_years: TermYears
    lead_time_weeks: Weeks | None = None


class StandardChoice(_Model):
    """What the estimate asks of the standard option."""

    coaching_days: Days = Decimal(0)
    integration_days: WholeDays | None = None


class Estimate(_Model):
    """A custom-work request: the effort it takes and the commercial terms."""

    kind: Literal["estimate"]
    id: Text
    customer: Text
    title: Text
    date: IsoDate | None = None
    rate_card: Text
    custom: Custom
    standard: StandardChoice = StandardChoice()
    discount: Ratio = Decimal(0)
    assumptions: tuple[Paragraph, ...] = ()
    exclusions: tuple[Paragraph, ...] = ()
