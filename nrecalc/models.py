"""The two file kinds as pydantic models (SPEC 2): RateCard and Estimate."""

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    Tag,
    ValidationInfo,
)
from pydantic import field_validator as _field_validator
from pydantic_core import PydanticCustomError, PydanticUndefined

from . import money

MONEY_LIMIT = Decimal(10) ** 15
QUANTITY_LIMIT = Decimal(10_000)
MAX_DECIMALS = 6
MAX_TERM_YEARS = 50
MAX_UPGRADES_PER_YEAR = 365
MAX_DAYS = 3650
CONFIDENCE_LOW, CONFIDENCE_HIGH = Decimal("0.5"), Decimal("0.999")
DEFAULT_CONFIDENCE = Decimal("0.8")
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2999, 12, 31)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# SPEC 2.2 limits: every output is then a small multiple of its input.
MAX_NAME = 200  # a name or other one-line label: task, role, customer, id ...
MAX_PARAGRAPH = 2_000  # one free-text item: an assumption, an exclusion, a description
MAX_ITEMS = 1_000  # items in any list, entries in any mapping of roles or services
MAX_REFERENCE = 1_000  # rate_card: a name, or a path (which may be longer than a name)


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


def _portion(value: Any, example: str, allowed: Callable[[Decimal], bool], rule: str) -> Decimal:
    """Read a fraction; text such as 5% is answered with the fraction to write, when allowed."""
    if isinstance(value, str):
        percent = re.fullmatch(r"\s*([-+]?[0-9]{1,6}(?:\.[0-9]{1,6})?)\s*%\s*", value)
        if percent:
            fraction = Decimal(percent.group(1)) / 100
            got = f"expected a fraction, got text {value.strip()!r}"
            if allowed(fraction):
                raise _fail(f"{got}; write {_shown(fraction)} ({example})")
            raise _fail(f"{got}; {rule}")
    number = _number(value)
    if not allowed(number):
        raise _fail(f"{rule}, got {_shown(value)}; {example}")
    return number


def _ratio(value: Any) -> Decimal:
    return _portion(
        value,
        "10% is 0.10",
        lambda n: 0 <= n < 1,
        "must be a fraction from 0 up to (not including) 1",
    )


def _share(value: Any) -> Decimal:
    return _portion(
        value, "30% is 0.30", lambda n: 0 < n <= 1, "must be a fraction above 0 and at most 1"
    )


def _fraction(value: Any) -> Decimal:
    return _portion(value, "40% is 0.40", lambda n: 0 <= n <= 1, "must be a fraction from 0 to 1")


def _confidence(value: Any) -> Decimal:
    return _portion(
        value,
        "80% is 0.8",
        lambda n: CONFIDENCE_LOW <= n <= CONFIDENCE_HIGH,
        f"must be from {CONFIDENCE_LOW} (the mean) to {CONFIDENCE_HIGH}",
    )


def parse_confidence(text: str) -> Decimal:
    """Read a confidence level given on the command line; raise ValueError saying why not."""
    try:
        number = Decimal(text.strip())
    except ArithmeticError:
        raise ValueError(f"expected a number such as 0.8, got {text[:40]!r}") from None
    try:
        return _confidence(number)
    except PydanticCustomError as exc:
        raise ValueError(exc.message()) from None


def _tax_rate(value: Any) -> Decimal:
    return _portion(value, "6% is 0.06", lambda n: 0 <= n <= 1, "must be a fraction from 0 to 1")


def _weeks(value: Any) -> Decimal:
    number = _number(value)
    if number <= 0:
        raise _fail(f"must be positive, got {_shown(value)}")
    if number > QUANTITY_LIMIT:
        raise _fail(f"{_shown(value)} is more than the limit of 10,000")
    return number


def _item_weeks(value: Any) -> Decimal:
    if isinstance(value, str) and re.fullmatch(r"\s*[-+]?[0-9.,_ ]+\s*", value):
        return _weeks(value)  # says: write it without quotes
    if isinstance(value, str) or value is None or isinstance(value, (list, tuple, bool)):
        raise _fail(
            f"expected a number of weeks, or a range as {{low: 2, likely: 3, high: 6}}, "
            f"got {_describe(value)}"
        )
    return _weeks(value)


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


def nfc(text: str) -> str:
    """Return text in NFC, so that a name typed precomposed or decomposed is one name."""
    import unicodedata  # only for text that is not plain ASCII

    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def text_problem(text: str) -> str | None:
    """Say why text holds a character that may not be shown, or None: line breaks aside."""
    probe = text.replace("\n", "") if "\n" in text else text
    if probe.isprintable():
        return None
    import unicodedata

    for char in probe:
        if char.isprintable():
            continue
        code = f"U+{ord(char):04X}"
        kind = unicodedata.category(char)
        if kind == "Cc":
            return f"must not contain control characters (found {code})"
        if kind == "Cf":
            return (
                "must not contain invisible format characters such as bidi controls or "
                f"zero-width spaces (found {code})"
            )
        if kind in ("Zl", "Zp", "Cs"):
            return f"must not contain line or paragraph separators or surrogates (found {code})"
    return None  # spaces other than ' ' (Zs), private-use and unassigned code points


def _clean(value: Any, limit: int, *, one_line: bool) -> str:
    """Check a name (one line) or a paragraph; return it in NFC."""
    if not isinstance(value, str):
        raise _fail(f"expected text, got {_describe(value)}; put it in quotes")
    text = value if value.isascii() else nfc(value)
    if one_line:
        text = text.rstrip("\n")  # `key: |` ends in a line break
    if len(text) > limit:
        raise _fail(f"is {len(text):,} characters long; at most {limit:,}")
    bad = text_problem(text)
    if bad:
        raise _fail(bad)
    if one_line and "\n" in text:
        raise _fail("must be a single line")
    if not text.strip():
        raise _fail("must not be empty")
    return text


def _paragraph(value: Any) -> str:
    # A paragraph may break lines; a tab is a control character: it breaks table alignment.
    return _clean(value, MAX_PARAGRAPH, one_line=False)


def _text(value: Any) -> str:
    return _clean(value, MAX_NAME, one_line=True)


def _reference(value: Any) -> str:
    return _clean(value, MAX_REFERENCE, one_line=True)


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


# json_schema_input_type gives `nrecalc schema` the shape of each field, and _BOUNDS the JSON
# Schema keywords of each check, added by json_schema() alone: nothing is built at start-up for
# them. (WithJsonSchema, or a __get_pydantic_json_schema__ hook per type, costs start-up time.)
_BOUNDS: dict[Any, dict[str, Any]] = {}


def _checked(kind: type, check: Any, **keywords: Any) -> PlainValidator:
    _BOUNDS[check] = keywords
    return PlainValidator(check, json_schema_input_type=kind)


# What the text checks forbid, as JSON Schema patterns (ECMA-262 and Python `re` alike):
# control characters, line separators and the format characters of the Basic Multilingual
# Plane. (The dozen astral format characters, such as U+E0001, have no portable escape in a
# pattern: only `validate` refuses those.)
_FORMAT = (
    r"\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    r"\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff"
)
_NOT_IN_NAME = r"\u0000-\u001f\u007f-\u009f" + _FORMAT
_NOT_IN_PARAGRAPH = r"\u0000-\u0009\u000b-\u001f\u007f-\u009f" + _FORMAT
# Not only spaces, and none of those characters (a name may end in line breaks: `key: |`).
_NAME_PATTERN = rf"^(?!\s*$)[^{_NOT_IN_NAME}]*\n*$"
_PARAGRAPH_PATTERN = rf"^(?!\s*$)[^{_NOT_IN_PARAGRAPH}]*$"
_DATE_PATTERN = r"^(?:19|2[0-9])[0-9]{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$"
_MONEY: dict[str, Any] = {"minimum": 0, "exclusiveMaximum": 10**15}
_RATIO: dict[str, Any] = {"minimum": 0, "exclusiveMaximum": 1}
_QUANTITY = int(QUANTITY_LIMIT)


def _currencies() -> list[str]:
    return sorted(money.currencies())


Money = Annotated[Decimal, _checked(float, _money, **_MONEY)]
Ratio = Annotated[Decimal, _checked(float, _ratio, **_RATIO)]
TaxRate = Annotated[Decimal, _checked(float, _tax_rate, minimum=0, maximum=1)]
Share = Annotated[Decimal, _checked(float, _share, exclusiveMinimum=0, maximum=1)]
Fraction = Annotated[Decimal, _checked(float, _fraction, minimum=0, maximum=1)]
Confidence = Annotated[
    Decimal,
    _checked(float, _confidence, minimum=float(CONFIDENCE_LOW), maximum=float(CONFIDENCE_HIGH)),
]
Weeks = Annotated[Decimal, _checked(float, _weeks, exclusiveMinimum=0, maximum=_QUANTITY)]
Days = Annotated[Decimal, _checked(float, _days, minimum=0, maximum=_QUANTITY)]
Engineers = Annotated[int, _checked(int, _whole(1, _QUANTITY), minimum=1, maximum=_QUANTITY)]
Text = Annotated[
    str,
    _checked(str, _text, minLength=1, maxLength=MAX_NAME, pattern=_NAME_PATTERN),
]
Reference = Annotated[
    str,
    _checked(str, _reference, minLength=1, maxLength=MAX_REFERENCE, pattern=_NAME_PATTERN),
]
Paragraph = Annotated[
    str,
    _checked(str, _paragraph, minLength=1, maxLength=MAX_PARAGRAPH, pattern=_PARAGRAPH_PATTERN),
]
IsoDate = Annotated[date, _checked(date, _date, pattern=_DATE_PATTERN)]
Currency = Annotated[str, _checked(str, _currency, enum=_currencies)]
WholeDays = Annotated[int, _checked(int, _whole(0, MAX_DAYS), minimum=0, maximum=MAX_DAYS)]
UpgradesPerYear = Annotated[
    int,
    _checked(int, _whole(0, MAX_UPGRADES_PER_YEAR), minimum=0, maximum=MAX_UPGRADES_PER_YEAR),
]
TermYears = Annotated[
    int, _checked(int, _whole(1, MAX_TERM_YEARS), minimum=1, maximum=MAX_TERM_YEARS)
]
# A list of at most MAX_ITEMS (pydantic's too_long error is worded by the loader).
Many = Field(max_length=MAX_ITEMS)


def _doc(
    description: str,
    *examples: Any,
    default: Any = PydanticUndefined,
    factory: Any = None,
    **schema: Any,
) -> Any:
    """Describe a field for `nrecalc schema`: text, examples, and JSON Schema bounds."""
    if isinstance(default, Decimal):
        # a number in the schema, not "0"
        schema.setdefault("default", int(default) if default == int(default) else float(default))
    how: dict[str, Any] = {"default_factory": factory} if factory else {"default": default}
    return Field(
        **how,
        description=description,
        examples=list(examples) or None,
        json_schema_extra=schema or None,
    )


_ZERO = Decimal(0)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StandardOffer(_Model):
    """The standard-platform option, as the rate card prices it."""

    name: Text = _doc("The standard option's name.", "Open Platform standard API")
    integration_days: WholeDays = _doc("Whole days for the customer to go live on it.", 3)
    fee: Money = _doc("One-time onboarding fee.", 0, default=_ZERO)
    coaching_per_day: Money = _doc("Price of one day of technical coaching.", 6000, default=_ZERO)


class Policy(_Model):
    """Commercial policy: risk buffer, escalation, tax, approval and validity."""

    contingency: Ratio = _doc(
        "Risk buffer on the custom build, a fraction (0.10 is 10%).", 0.1, default=_ZERO
    )
    annual_escalation: Ratio = _doc(
        "Yearly rise of the per-upgrade price, a fraction.", 0.05, default=_ZERO
    )
    tax_rate: TaxRate = _doc("Tax on the net, a fraction.", 0.06, default=_ZERO)
    discount_approval_above: Ratio | None = _doc(
        "A discount above this fraction is flagged as needing approval; none: never.",
        0.1,
        default=None,
    )
    validity_days: WholeDays = _doc(
        "A quote is valid until its date plus this many days.", 30, default=30
    )
    productize_share: Fraction | None = _doc(
        "Share of the NRE a customer co-funds when the feature joins the standard platform "
        "(the productize option); none: the option is not offered.",
        0.4,
        default=None,
    )


class Service(_Model):
    """A service package sold per year, such as premium support."""

    name: Text = _doc("The package's name.", "Premium support")
    description: Paragraph | None = _doc(
        "What the customer gets.", "7x24 remote expert, 4-hour on-site spares", default=None
    )
    per_year: Money = _doc("Price for one year, in year 1; it rises by annual_escalation.", 120000)


class RateCard(_Model):
    """A rate card: weekly billing rates per role, the standard offer and the policy."""

    kind: Literal["rate-card"] = _doc("Says this file is a rate card.", "rate-card")
    name: Text = _doc("How estimates refer to the card (rate_card: NAME).", "default")
    version: Text = _doc("The card's version, as text (quote it).", "2026.1")
    currency: Currency = _doc(
        "ISO 4217 currency code; amounts round to its minor unit.", "CNY", pattern="^[A-Z]{3}$"
    )
    effective_from: IsoDate = _doc("First day the card is in effect.", "2026-01-01")
    effective_until: IsoDate | None = _doc(
        "Last day the card is in effect; none: open-ended.", "2026-12-31", default=None
    )
    roles: Annotated[dict[Text, Money], Field(min_length=1, max_length=MAX_ITEMS)] = _doc(
        "Billing rate of ONE person-week for each role.",
        {"engineer": 25000, "qa-engineer": 20000},
        additionalProperties=False,  # a key that breaks the name pattern
    )
    supplier: Text | None = _doc(
        "Who quotes: the company named in documents' signature block.",
        "Open Platform Co., Ltd.",
        default=None,
    )
    standard: StandardOffer = _doc("The standard-platform option offered beside custom work.")
    policy: Policy = _doc("Commercial policy.", factory=Policy)
    services: Annotated[dict[Text, Service], Many] = _doc(
        "Service packages an estimate may attach to the custom option, by key.",
        {"premium-support": {"name": "Premium support", "per_year": 120000}},
        factory=dict,
        additionalProperties=False,
    )

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


class Range(_Model):
    """A three-point (PERT) estimate of weeks: the best case, the likely one, the worst."""

    low: Weeks = _doc("Weeks in the best case.", 2)
    likely: Weeks = _doc("Weeks most likely.", 3)
    high: Weeks = _doc("Weeks in the worst case.", 6)

    @_field_validator("likely")
    @classmethod
    def _likely_from_low(cls, value: Decimal, info: ValidationInfo) -> Decimal:
        low = info.data.get("low")
        if low is not None and value < low:
            raise _fail(f"{_shown(value)} is below low ({_shown(low)})")
        return value

    @_field_validator("high")
    @classmethod
    def _high_from_likely(cls, value: Decimal, info: ValidationInfo) -> Decimal:
        likely = info.data.get("likely")
        low = info.data.get("low")
        if likely is not None and value < likely:
            raise _fail(f"{_shown(value)} is below likely ({_shown(likely)})")
        if likely is None and low is not None and value < low:
            raise _fail(f"{_shown(value)} is below low ({_shown(low)})")
        return value


# The loader drops these tags from error locations: weeks.high, not weeks.range.high.
WEEKS_TAGS = ("number", "range")


def _weeks_kind(value: Any) -> str:
    return "range" if isinstance(value, dict) else "number"


ItemWeeks = Annotated[
    Annotated[
        Annotated[
            Decimal,
            _checked(float, _item_weeks, exclusiveMinimum=0, maximum=_QUANTITY),
        ],
        Tag("number"),
    ]
    | Annotated[Range, Tag("range")],
    Discriminator(_weeks_kind),
]


class Item(_Model):
    """One line of effort: a task, the role doing it, how many people for how long."""

    task: Text = _doc("What is done.", "Reverse-push connector")
    role: Text = _doc("A role of the rate card.", "engineer")
    engineers: Engineers = _doc("How many people: a whole number.", 2)
    weeks: ItemWeeks = _doc(
        "How many weeks each works: a number (fractions allowed), or a three-point range "
        "{low, likely, high} priced at the estimate's confidence.",
        3,
        {"low": 2, "likely": 3, "high": 6},
    )


class Custom(_Model):
    """The custom build and its per-upgrade compatibility effort."""

    build: Annotated[tuple[Item, ...], Field(min_length=1, max_length=MAX_ITEMS)] = _doc(
        "The one-time work: at least one effort line."
    )
    per_upgrade: Annotated[tuple[Item, ...], Many] = _doc(
        "Effort repeated on every platform upgrade, for the whole term.", default=()
    )
    upgrades_per_year: UpgradesPerYear = _doc("Platform upgrades a year.", 4)
    term_years: TermYears = _doc("Years the customer keeps the custom work.", 3)
    lead_time_weeks: Weeks | None = _doc(
        "Weeks to go live; default: the build lines one after another.", 3, default=None
    )
    services: Annotated[tuple[Text, ...], Many] = _doc(
        "Keys of the rate card's service packages sold with the custom option, per year.",
        default=(),
        uniqueItems=True,
    )

    @_field_validator("services")
    @classmethod
    def _services_once(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        twice = next((key for key in value if value.count(key) > 1), None)
        if twice is not None:
            raise _fail(f"service {twice!r} is listed twice")
        return value


class Productize(_Model):
    """The productize option: the feature joins the standard platform in a later release."""

    release_weeks: Weeks = _doc("Weeks until the standard release that carries the feature.", 12)


class StandardChoice(_Model):
    """What the estimate asks of the standard option."""

    coaching_days: Days = _doc("Days of coaching on the standard option.", 1, default=_ZERO)
    integration_days: WholeDays | None = _doc(
        "Overrides the rate card's days to go live.", 5, default=None
    )


class Milestone(_Model):
    """A payment milestone: what triggers it and its share of the custom total."""

    milestone: Text = _doc("What triggers the payment.", "Signing")
    share: Share = _doc("Its share of the custom total, a fraction (0.30 is 30%).", 0.3)


# Built without validation (they are valid): model_construct costs nothing at start-up.
DEFAULT_PAYMENT = (
    Milestone.model_construct(milestone="Signing", share=Decimal("0.30")),
    Milestone.model_construct(milestone="Delivery", share=Decimal("0.40")),
    Milestone.model_construct(milestone="Acceptance", share=Decimal("0.30")),
)


class Estimate(_Model):
    """A custom-work request: the effort it takes and the commercial terms."""

    kind: Literal["estimate"] = _doc("Says this file is an estimate.", "estimate")
    id: Text = _doc("The quote's id.", "Q-2026-0042")
    customer: Text = _doc("Who asks.", "ACME Robotics")
    title: Text = _doc("What is asked, in a line.", "Reverse push of robot data")
    date: IsoDate | None = _doc("The quote's date; default: today.", "2026-11-22", default=None)
    rate_card: Reference = _doc(
        "A rate card name, or a path (with / or .yaml) relative to this file.", "default"
    )
    custom: Custom = _doc("The custom work and what each platform upgrade costs.")
    standard: StandardChoice = _doc(
        "Coaching and go-live days for the standard option.", factory=StandardChoice
    )
    discount: Ratio = _doc("Discount on the custom subtotal, a fraction.", 0.05, default=_ZERO)
    confidence: Confidence = _doc(
        "Confidence level at which three-point ranges are priced: 0.5 is the mean.",
        0.8,
        default=DEFAULT_CONFIDENCE,
    )
    productize: Productize | None = _doc(
        "Offer the productize option: the feature joins the standard platform later.",
        {"release_weeks": 12},
        default=None,
    )
    assumptions: Annotated[tuple[Paragraph, ...], Many] = _doc(
        "What the price assumes, carried into the quote.", default=()
    )
    exclusions: Annotated[tuple[Paragraph, ...], Many] = _doc(
        "What the price does not include, carried into the quote.", default=()
    )
    payment: Annotated[tuple[Milestone, ...], Field(min_length=1, max_length=MAX_ITEMS)] = _doc(
        "Payment milestones of the custom option; shares add up to 1. "
        "Default: 30% signing, 40% delivery, 30% acceptance.",
        factory=lambda: DEFAULT_PAYMENT,
    )

    @_field_validator("payment")
    @classmethod
    def _shares_add_up(cls, value: tuple[Milestone, ...]) -> tuple[Milestone, ...]:
        total = sum((m.share for m in value), Decimal(0))
        if total != 1:
            raise _fail(f"the shares add up to {_shown(total)}; they must add up to exactly 1")
        names = [m.milestone for m in value]
        twice = next((n for n in names if names.count(n) > 1), None)
        if twice is not None:
            raise _fail(f"milestone {twice!r} is listed twice")
        return value


def json_schema(kind: str) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a file kind: rate-card or estimate."""
    from pydantic.json_schema import GenerateJsonSchema

    class WithBounds(GenerateJsonSchema):
        """Add each check's bounds (_BOUNDS) to the schema of its input type."""

        def function_plain_schema(self, schema: Any) -> Any:
            found = super().function_plain_schema(schema)
            keywords = _BOUNDS.get(schema["function"]["function"], {})
            found.update({k: v() if callable(v) else v for k, v in keywords.items()})
            return found

    model = RateCard if kind == "rate-card" else Estimate
    schema = model.model_json_schema(schema_generator=WithBounds)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
