"""The two file kinds as pydantic models (SPEC 2): RateCard and Estimate."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, ValidationInfo
from pydantic import Tag as Variant
from pydantic import field_validator as _field_validator
from pydantic import model_validator as _model_validator
from pydantic_core import PydanticUndefined

from .fields import (
    DEFAULT_CONFIDENCE,
    MAX_ITEMS,
    Confidence,
    Currency,
    Days,
    Engineers,
    Fraction,
    FxRateValue,
    IsoDate,
    ItemWeeksNumber,
    Many,
    Money,
    Paragraph,
    Ratio,
    Reference,
    Share,
    Tag,
    TaxRate,
    TermYears,
    Text,
    UpgradesPerYear,
    Weeks,
    WholeDays,
    fail,
    fail_at,
    schema_bounds,
    shown,
)


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
    """Commercial policy: risk buffer, escalation, tax, approval, gates and validity."""

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
    max_discount: Ratio | None = _doc(
        "The largest discount an estimate may give, a fraction: a larger one is an error; "
        "none: no limit.",
        0.15,
        default=None,
    )
    review_nre_above: Money | None = _doc(
        "An NRE above this amount (in the card's currency) flags the quote as needing review; "
        "none: never.",
        500000,
        default=None,
    )
    validity_days: WholeDays = _doc(
        "A quote is valid until its date plus this many days.", 30, default=30
    )
    fx_max_age_days: WholeDays = _doc(
        "An exchange rate older than this many days on the quote's date is an error.",
        30,
        default=30,
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


class Supplier(_Model):
    """Who quotes: shown at the top of every document and in its signature block."""

    name: Text = _doc("The company's name.", "Shenzhen Open Platform Co., Ltd.")
    address: Paragraph | None = _doc(
        "Postal address; may take several lines.", "88 Keji Road, Nanshan, Shenzhen", default=None
    )
    contact: Text | None = _doc("Who to ask about the quote.", "Sales desk", default=None)
    email: Text | None = _doc("E-mail address.", "sales@example.com", default=None)
    phone: Text | None = _doc("Telephone number.", "+86 755 0000 0000", default=None)
    tax_id: Text | None = _doc(
        "Tax or company registration number (统一社会信用代码).", "91440300MA5XXXXXXX", default=None
    )


class FxRate(_Model):
    """An exchange rate: 1 unit of `from` is `rate` units of `to`, as published on `date`."""

    from_: Currency = Field(
        alias="from",
        description="The currency converted from: the rate card's own (ISO 4217).",
        examples=["CNY"],
        json_schema_extra={"pattern": "^[A-Z]{3}$"},
    )
    to: Currency = _doc(
        "The quote's currency (ISO 4217). The rate is used in this direction only.",
        "USD",
        pattern="^[A-Z]{3}$",
    )
    rate: FxRateValue = _doc("How many units of `to` one unit of `from` buys.", 0.1405)
    date: IsoDate = _doc("The day the rate is of.", "2026-11-20")
    source: Text = _doc("Where the rate comes from, shown beside it.", "PBOC")


class Person(_Model):
    """Who prepared the quote: signs the cover note."""

    name: Text = _doc("The person's name.", "Li Wei")
    email: Text | None = _doc("E-mail address.", "li.wei@example.com", default=None)
    phone: Text | None = _doc("Telephone number.", "+86 138 0000 0000", default=None)


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
    supplier: Supplier | None = _doc(
        "Who quotes: shown at the top of documents and in their signature block. A name alone "
        "(as 0.2 cards wrote it) stands for {name: ...}.",
        {"name": "Shenzhen Open Platform Co., Ltd.", "email": "sales@example.com"},
        default=None,
    )

    @_field_validator("supplier", mode="before")
    @classmethod
    def _name_alone(cls, value: object) -> object:
        return {"name": value} if isinstance(value, str) else value

    standard: StandardOffer = _doc("The standard-platform option offered beside custom work.")
    policy: Policy = _doc("Commercial policy.", factory=Policy)
    services: Annotated[dict[Text, Service], Many] = _doc(
        "Service packages an estimate may attach to the custom option, by key.",
        {"premium-support": {"name": "Premium support", "per_year": 120000}},
        factory=dict,
        additionalProperties=False,
    )

    fx: Annotated[tuple[FxRate, ...], Many] = _doc(
        "Exchange rates from the card's currency, for estimates quoted in another (currency:). "
        "Each pair is used in its own direction only, the newest rate on or before the quote's "
        "date; one older than policy.fx_max_age_days is an error.",
        [{"from": "CNY", "to": "USD", "rate": 0.1405, "date": "2026-11-20", "source": "PBOC"}],
        default=(),
    )

    @_field_validator("effective_until")
    @classmethod
    def _until_after_from(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("effective_from")
        if value is not None and start is not None and value < start:
            raise fail(f"{value} is before effective_from ({start})")
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
            raise fail(f"{shown(value)} is below low ({shown(low)})")
        return value

    @_field_validator("high")
    @classmethod
    def _high_from_likely(cls, value: Decimal, info: ValidationInfo) -> Decimal:
        likely = info.data.get("likely")
        low = info.data.get("low")
        if likely is not None and value < likely:
            raise fail(f"{shown(value)} is below likely ({shown(likely)})")
        if likely is None and low is not None and value < low:
            raise fail(f"{shown(value)} is below low ({shown(low)})")
        return value


# The loader drops these tags from error locations: weeks.high, not weeks.range.high.
WEEKS_TAGS = ("number", "range")


def _weeks_kind(value: Any) -> str:
    return "range" if isinstance(value, dict) else "number"


ItemWeeks = Annotated[
    Annotated[ItemWeeksNumber, Variant("number")] | Annotated[Range, Variant("range")],
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
            raise fail(f"service {twice!r} is listed twice")
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
    """A payment milestone: what triggers it and its share of the custom option's one-time part."""

    milestone: Text = _doc("What triggers the payment.", "Signing")
    share: Share = _doc(
        "Its share of the one-time part (the NRE, discount and tax included); 0.30 is 30%.", 0.3
    )


# How a request ended (SPEC 8.6): open until the customer decides, then one of the others.
STATUSES = ("open", "custom", "standard", "productize", "declined")
_DECIDED: list[Any] = list(STATUSES[1:])  # a JSON value for the schema


class Outcome(_Model):
    """How a quoted request ended: what the customer chose, on which day, and why."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        # A decided outcome has its date; an open one has none (as the check below says).
        json_schema_extra={
            "if": {"properties": {"status": {"enum": _DECIDED}}, "required": ["status"]},
            "then": {"required": ["date"], "properties": {"date": {"type": "string"}}},
            "else": {"properties": {"date": {"type": "null"}}},
        },
    )

    status: Literal["open", "custom", "standard", "productize", "declined"] = _doc(
        "open until the customer decides; then custom (paid for the custom work), standard (chose "
        "the standard option, with or without coaching), productize (chose to wait for the "
        "feature in the platform) or declined (no deal).",
        "custom",
        default="open",
    )
    date: IsoDate | None = _doc(
        "The day the customer decided, on or after the quote's date; required once decided.",
        "2026-12-04",
        default=None,
    )
    note: Paragraph | None = _doc(
        "Why, in a sentence or two.", "Chose the standard API after the demo.", default=None
    )

    @_model_validator(mode="after")
    def _dated_once_decided(self) -> "Outcome":
        if self.status == "open" and self.date is not None:
            raise fail_at(
                ("date",),
                "an open request has no decision date: set status to how it ended, or remove "
                "the date",
            )
        if self.status != "open" and self.date is None:
            message = "a decided outcome needs its date: the day the customer decided (YYYY-MM-DD)"
            raise fail_at(("date",), message)
        return self


def tag_twice(tags: Sequence[str]) -> tuple[int, str] | None:
    """Return the place of the first tag listed again, and what to say of it; None if none."""
    seen: dict[str, int] = {}
    for index, tag in enumerate(tags):
        if tag in seen:
            return index, f"tag {tag!r} is listed twice (also tags[{seen[tag]}])"
        seen[tag] = index
    return None


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
    currency: Currency | None = _doc(
        "The quote's currency (ISO 4217); default: the rate card's. Another currency converts "
        "the card's prices with the rate card's fx rate for that pair.",
        "USD",
        default=None,
        pattern="^[A-Z]{3}$",
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
    language: Literal["en", "zh-CN", "zh-CN+en"] = _doc(
        "The language of the table, the documents and the note: en, zh-CN, or zh-CN+en for "
        "bilingual (Chinese first); --lang overrides it. JSON and CSV headers stay as they are.",
        "zh-CN",
        default="en",
    )
    prepared_by: Person | None = _doc(
        "Who prepared the quote; signs the cover note.",
        {"name": "Li Wei", "email": "li.wei@example.com"},
        default=None,
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
        "Payment milestones of the custom option's one-time part; shares add up to 1. Upgrade "
        "charges and services are billed year by year. "
        "Default: 30% signing, 40% delivery, 30% acceptance.",
        factory=lambda: DEFAULT_PAYMENT,
    )
    tags: Annotated[tuple[Tag, ...], Many] = _doc(
        "What kind of request this is, for nrecalc report: slugs such as reverse-push, mqtt, "
        "sso (lowercase letters and digits in words joined by hyphens, at most 50 characters), "
        "each at most once. Never shown in a quote.",
        ["reverse-push", "mqtt"],
        default=(),
        uniqueItems=True,
    )
    outcome: Outcome = _doc(
        "How the request ended, for nrecalc report; default: open. Never shown in a quote.",
        {"status": "custom", "date": "2026-12-04"},
        factory=Outcome,
    )

    @_field_validator("tags")
    @classmethod
    def _tags_once(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        twice = tag_twice(value)
        if twice is not None:
            raise fail_at((twice[0],), twice[1])
        return value

    @_field_validator("outcome")
    @classmethod
    def _decided_after_quote(cls, value: Outcome, info: ValidationInfo) -> Outcome:
        if value.date is None or "date" not in info.data:  # no date, or a bad one (told)
            return value
        quoted = info.data["date"]
        if quoted is None:
            raise fail_at(
                ("date",),
                "an outcome date needs the quote's date: add `date:` to the estimate (a "
                "decision is dated after its quote)",
            )
        if value.date < quoted:
            raise fail_at(
                ("date",),
                f"{value.date} is before the quote's date ({quoted}); the customer decides on "
                "or after the day of the quote",
            )
        return value

    @_field_validator("payment")
    @classmethod
    def _shares_add_up(cls, value: tuple[Milestone, ...]) -> tuple[Milestone, ...]:
        total = sum((m.share for m in value), Decimal(0))
        if total != 1:
            raise fail(f"the shares add up to {shown(total)}; they must add up to exactly 1")
        names = [m.milestone for m in value]
        twice = next((n for n in names if names.count(n) > 1), None)
        if twice is not None:
            raise fail(f"milestone {twice!r} is listed twice")
        return value


def json_schema(kind: str) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a file kind: rate-card or estimate."""
    from pydantic.json_schema import GenerateJsonSchema

    class WithBounds(GenerateJsonSchema):
        """Add each check's bounds to the schema of its input type."""

        def function_plain_schema(self, schema: Any) -> Any:
            found = super().function_plain_schema(schema)
            found.update(schema_bounds(schema["function"]["function"]))
            return found

    model = RateCard if kind == "rate-card" else Estimate
    schema = model.model_json_schema(schema_generator=WithBounds)
    if model is RateCard:  # a supplier may be a name alone, as 0.2 cards wrote it
        name = schema["$defs"]["Supplier"]["properties"]["name"]
        schema["properties"]["supplier"]["anyOf"].insert(1, name)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
