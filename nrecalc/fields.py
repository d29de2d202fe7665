"""The value types of the files' fields (Money, Ratio, Text, IsoDate ...): rule, message, bounds."""

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, cast

from pydantic import Field, PlainValidator
from pydantic_core import PydanticCustomError

from . import money

MONEY_LIMIT = Decimal(10) ** 15
QUANTITY_LIMIT = Decimal(10_000)
MAX_DECIMALS = 6
# An exchange rate (SPEC 8.4): positive, below a million, with up to 10 decimals, so that the
# rate between any two currencies in use can be written to the precision banks publish.
FX_DECIMALS = 10
FX_LIMIT = Decimal(10) ** 6
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
MAX_TAG = 50  # a tag: a short slug naming a kind of request (SPEC 8.6)
# A tag is a slug: lowercase letters and digits in words joined by single hyphens.
TAG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_TAG = re.compile(TAG_PATTERN)


def fail(message: str) -> PydanticCustomError:
    """Make the error a check raises: pydantic shows message as it is."""
    return PydanticCustomError("nrecalc", "{reason}", {"reason": message})


def fail_at(loc: tuple[str | int, ...], message: str) -> Exception:
    """Make the error a check raises about a part of its value: pydantic puts loc after the
    value's own place (outcome.date, tags[2]), so the error points at that line."""
    from pydantic_core import InitErrorDetails, ValidationError

    detail = InitErrorDetails(type=fail(message), loc=loc, input=None)
    return ValidationError.from_exception_data("nrecalc", [detail])


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
        return f"the number {shown(value)}"
    return "an invalid value"


def shown(value: Any) -> str:
    """Write a number as its YAML text most likely was: 0.0000001, not 1E-7."""
    if isinstance(value, Decimal) and value.is_finite() and abs(value.adjusted()) < 30:
        text = format(value, "f")
    else:
        text = str(value)
    return text if len(text) <= 40 else text[:40] + "..."


def _number(value: Any, places: int = MAX_DECIMALS) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        hint = ""
        if isinstance(value, str) and re.fullmatch(r"\s*[-+]?[0-9.,_ ]+\s*", value):
            hint = "; write it without quotes or separators"
        raise fail(f"expected a number, got {_describe(value)}{hint}")
    number = Decimal(value)
    if not number.is_finite():
        raise fail(f"{shown(value)} is not a finite number")
    if number.is_zero():
        number = number.copy_abs()  # -0 is 0: no "-0.00" in a quote
    if money.decimals(number) > places:
        raise fail(f"{shown(value)} has more than {places} decimal places")
    return number


def _money(value: Any) -> Decimal:
    number = _number(value)
    if number < 0:
        raise fail(f"must not be negative, got {shown(value)}")
    if number >= MONEY_LIMIT:
        raise fail(f"{shown(value)} is too large (money must be below 10^15)")
    return number


def _fx_rate(value: Any) -> Decimal:
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9.]+\s*/\s*[0-9.]+\s*", value):
        raise fail(f"expected a number, got text {value.strip()!r}; write the rate as a decimal")
    number = _number(value, FX_DECIMALS)
    if number <= 0:
        raise fail(f"must be positive, got {shown(value)}")
    if number >= FX_LIMIT:
        raise fail(f"{shown(value)} is too large (a rate must be below 1,000,000)")
    return number


def _portion(value: Any, example: str, allowed: Callable[[Decimal], bool], rule: str) -> Decimal:
    """Read a fraction; text such as 5% is answered with the fraction to write, when allowed."""
    if isinstance(value, str):
        percent = re.fullmatch(r"\s*([-+]?[0-9]{1,6}(?:\.[0-9]{1,6})?)\s*%\s*", value)
        if percent:
            fraction = Decimal(percent.group(1)) / 100
            got = f"expected a fraction, got text {value.strip()!r}"
            if allowed(fraction):
                raise fail(f"{got}; write {shown(fraction)} ({example})")
            raise fail(f"{got}; {rule}")
    number = _number(value)
    if not allowed(number):
        raise fail(f"{rule}, got {shown(value)}; {example}")
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
        raise fail(f"must be positive, got {shown(value)}")
    if number > QUANTITY_LIMIT:
        raise fail(f"{shown(value)} is more than the limit of 10,000")
    return number


def _item_weeks(value: Any) -> Decimal:
    if isinstance(value, str) and re.fullmatch(r"\s*[-+]?[0-9.,_ ]+\s*", value):
        return _weeks(value)  # says: write it without quotes
    if isinstance(value, str) or value is None or isinstance(value, (list, tuple, bool)):
        raise fail(
            f"expected a number of weeks, or a range as {{low: 2, likely: 3, high: 6}}, "
            f"got {_describe(value)}"
        )
    return _weeks(value)


def _days(value: Any) -> Decimal:
    number = _number(value)
    if number < 0:
        raise fail(f"must not be negative, got {shown(value)}")
    if number > QUANTITY_LIMIT:
        raise fail(f"{shown(value)} is more than the limit of 10,000")
    return number


def _whole(low: int, high: int) -> Any:
    def check(value: Any) -> int:
        if isinstance(value, Decimal) and not isinstance(value, bool):
            raise fail(f"must be a whole number, got {shown(value)}")
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail(f"expected a whole number, got {_describe(value)}")
        if not low <= value <= high:
            raise fail(f"must be from {low:,} to {high:,}, got {shown(value)}")
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
        raise fail(f"expected text, got {_describe(value)}; put it in quotes")
    text = value if value.isascii() else nfc(value)
    if one_line:
        text = text.rstrip("\n")  # `key: |` ends in a line break
    if len(text) > limit:
        raise fail(f"is {len(text):,} characters long; at most {limit:,}")
    bad = text_problem(text)
    if bad:
        raise fail(bad)
    if one_line and "\n" in text:
        raise fail("must be a single line")
    if not text.strip():
        raise fail("must not be empty")
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
        raise fail(f"expected a date as YYYY-MM-DD, got {_describe(value)}")
    else:
        try:
            day = date.fromisoformat(value)
        except ValueError as exc:
            raise fail(f"{value} is not a real date ({exc})") from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise fail(f"{value} is out of range ({FIRST_DATE.year} to {LAST_DATE.year})")
    return day


def parse_date(text: str) -> date:
    """Read a date given on the command line, as YYYY-MM-DD; raise ValueError saying why not."""
    try:
        return _date(text.strip())
    except PydanticCustomError as exc:
        raise ValueError(exc.message()) from None


def _tag(value: Any) -> str:
    """Check a tag: a slug such as reverse-push; a near miss is answered with the slug to write.

    Only ASCII text gets a slug: from `\u0455so` (a Cyrillic dze first) or `café`, dropping
    what is not a to z would suggest `so` or `caf`, another word.
    """
    text = _clean(value, MAX_TAG, one_line=True)
    if _TAG.fullmatch(text):
        return text
    slug = "-".join(re.findall(r"[a-z0-9]+", text.lower())) if text.isascii() else ""
    hint = f"; write {slug!r}" if slug and len(slug) <= MAX_TAG else ""
    raise fail(
        f"{text[:40]!r} is not a tag: lowercase letters and digits in words joined by single "
        f"hyphens, such as reverse-push{hint}"
    )


def _currency(value: Any) -> str:
    code = _text(value)
    if not money.is_currency(code):
        raise fail(f"{code!r} is not an ISO 4217 currency code (such as CNY, USD, EUR, JPY)")
    return code


# json_schema_input_type gives `nrecalc schema` the shape of each field, and _BOUNDS the JSON
# Schema keywords of each check, added (through schema_bounds) by models.json_schema() alone:
# nothing is built at start-up for them. (WithJsonSchema, or a __get_pydantic_json_schema__ hook
# per type, costs start-up time.)
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
FxRateValue = Annotated[
    Decimal, _checked(float, _fx_rate, exclusiveMinimum=0, exclusiveMaximum=int(FX_LIMIT))
]
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
Tag = Annotated[str, _checked(str, _tag, minLength=1, maxLength=MAX_TAG, pattern=TAG_PATTERN)]
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


# A number of weeks in an effort line, where a range {low, likely, high} may also stand.
ItemWeeksNumber = Annotated[
    Decimal, _checked(float, _item_weeks, exclusiveMinimum=0, maximum=_QUANTITY)
]


def schema_bounds(check: Any) -> dict[str, Any]:
    """Return the JSON Schema keywords of a field type's check (none for any other function)."""
    return {k: v() if callable(v) else v for k, v in _BOUNDS.get(check, {}).items()}


def check(kind: Any, value: Any) -> Any:
    """Check a value with a field type's own rule (Ratio, Text ...), as the loader does.

    Return the value as a model holds it; raise ValueError with the loader's message.
    """
    found = next(m.func for m in kind.__metadata__ if isinstance(m, PlainValidator))
    rule = cast(Callable[[Any], Any], found)  # every check here takes the value alone
    try:
        return rule(value)
    except PydanticCustomError as exc:
        raise ValueError(exc.message()) from None
