"""The JSON interface of SPEC 4.1: money as exact strings, schema_version 2.

Version 2: `custom.payment` divides the one-time part of the total, not the whole total;
`custom.schedule` lists every payment, and `risk` says what the ranged lines carry.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..models import FxRate
from ..money import EXACT, fx_rate_text, money_text, plain, rate_text
from ..pricing import (
    CustomQuote,
    Line,
    MaintenanceYear,
    Quote,
    ServiceQuote,
    Spread,
    StandardQuote,
)
from ..schedule import Option, Part, Payment
from .words_en import EN

SCHEMA_VERSION = 2


def _lines(lines: tuple[Line, ...], currency: str) -> list[dict[str, Any]]:
    return [
        {
            "task": line.task,
            "role": line.role,
            "engineers": line.engineers,
            "weeks": plain(line.weeks),
            "rate": rate_text(line.rate, currency),
            "amount": money_text(line.amount, currency),
            "range": _range(line.spread, currency),
        }
        for line in lines
    ]


def _range(spread: Spread | None, currency: str) -> dict[str, str] | None:
    if spread is None:
        return None
    return {
        "low": plain(spread.low),
        "likely": plain(spread.likely),
        "high": plain(spread.high),
        "mean_weeks": plain(spread.mean),
        "sigma_weeks": plain(spread.sigma),
        "sigma_amount": money_text(spread.sigma_amount, currency),
    }


def _levels(custom: CustomQuote, currency: str) -> dict[str, str]:
    build = EXACT.add(custom.build_subtotal, custom.reserve)
    return {
        "build": money_text(build, currency),
        "nre": money_text(custom.nre, currency),
        "total": money_text(custom.total, currency),
    }


def as_dict(quote: Quote) -> dict[str, Any]:
    """Return the quote as the JSON object of SPEC 4.1."""
    return {
        "schema_version": SCHEMA_VERSION,
        "quote": _quote(quote),
        "rate_card": _rate_card(quote),
        "fx": fx_data(quote.fx),
        "estimate": {"path": quote.estimate.path, "sha256": quote.estimate.sha256},
        "standard": _standard(quote.standard, quote.currency),
        "custom": _custom(quote),
        "comparison": _comparison(quote),
        "options": [_option(option, quote.currency) for option in quote.options],
        "lifetime": _lifetime(quote),
        "risk": _risk(quote),
        "assumptions": list(quote.assumptions),
        "exclusions": list(quote.exclusions),
    }


def _amounts(currency: str) -> Callable[[Decimal], str]:
    """Return the writer of amounts in currency."""
    return lambda amount: money_text(amount, currency)


def _quote(quote: Quote) -> dict[str, Any]:
    return {
        "id": quote.id,
        "customer": quote.customer,
        "title": quote.title,
        "date": quote.date.isoformat(),
        "valid_until": quote.valid_until.isoformat(),
        "currency": quote.currency,
        "date_assumed": quote.date_assumed,
        "supplier": quote.supplier.name if quote.supplier else None,
        # 0.3: who quotes and who prepared it, in full (null when the files do not say)
        "supplier_details": quote.supplier.model_dump(mode="json") if quote.supplier else None,
        "prepared_by": quote.prepared_by.model_dump(mode="json") if quote.prepared_by else None,
    }


def _rate_card(quote: Quote) -> dict[str, Any]:
    return {
        "name": quote.rate_card_name,
        "version": quote.rate_card_version,
        "currency": quote.fx.from_ if quote.fx else quote.currency,
        "path": quote.rate_card.path,
        "sha256": quote.rate_card.sha256,
    }


def fx_data(rate: FxRate | None) -> dict[str, Any] | None:
    """Return the exchange rate that converted the card's prices, or None (SPEC 8.4)."""
    if rate is None:
        return None
    return {
        "from": rate.from_,
        "to": rate.to,
        "rate": fx_rate_text(rate.rate),
        "date": rate.date.isoformat(),
        "source": rate.source,
    }


def _standard(std: StandardQuote, currency: str) -> dict[str, Any]:
    m = _amounts(currency)
    return {
        "name": std.name,
        "integration_days": std.integration_days,
        "fee": m(std.fee),
        "coaching_days": plain(std.coaching_days),
        "coaching_per_day": rate_text(std.coaching_per_day, currency),
        "coaching": m(std.coaching),
        "net": m(std.net),
        "tax": m(std.tax),
        "total": m(std.total),
    }


def _custom(quote: Quote) -> dict[str, Any]:
    custom, cur = quote.custom, quote.currency
    m = _amounts(cur)
    return {
        "lead_time_weeks": plain(custom.lead_time_weeks),
        "build_person_weeks": plain(custom.build_effort),
        "build": [
            # 0.4: the line's price as the customer sees it, reserve and contingency folded in
            {**line, "all_in": m(price)}
            for line, price in zip(_lines(custom.build, cur), custom.all_in(cur), strict=True)
        ],
        "build_subtotal": m(custom.build_subtotal),
        "risk_reserve": m(custom.reserve),
        "contingency_rate": plain(custom.contingency_rate),
        "contingency_base": m(custom.contingency_base),
        "contingency": m(custom.contingency),
        "nre": m(custom.nre),
        "per_upgrade": _lines(custom.per_upgrade, cur),
        "per_upgrade_cost": m(custom.per_upgrade_cost),
        "annual_escalation": plain(custom.annual_escalation),
        "upgrades_per_year": custom.upgrades_per_year,
        "term_years": custom.term_years,
        "upgrades_total": custom.upgrades_total,
        "maintenance": [_maintenance_year(year, cur) for year in custom.maintenance],
        "maintenance_total": m(custom.maintenance_total),
        "services": [_service(service, cur) for service in custom.services],
        "services_total": m(custom.services_total),
        "subtotal": m(custom.subtotal),
        "discount_rate": plain(custom.discount_rate),
        "discount": m(custom.discount),
        "discount_approval_required": custom.discount_approval_required,
        "review_required": custom.review_required,  # SPEC 8.3; added in schema 2
        "net": m(custom.net),
        "tax_rate": plain(quote.tax_rate),
        "tax": m(custom.tax),
        "total": m(custom.total),
        # schema 2: the milestones divide the one-time part; the schedule lists every payment
        "one_time": m(custom.one_time),
        "payment": [
            {"milestone": part.milestone, "share": plain(part.share), "amount": m(part.amount)}
            for part in custom.payment
        ],
        "schedule": [_payment(payment, cur) for payment in custom.schedule],
    }


def _payment(payment: Payment, currency: str) -> dict[str, Any]:
    return {
        "kind": payment.kind,
        "milestone": payment.milestone,
        "share": None if payment.share is None else plain(payment.share),
        "year": payment.year,
        "amount": money_text(payment.amount, currency),
    }


def _part(part: Part, currency: str) -> dict[str, Any]:
    m = _amounts(currency)
    return {"kind": part.kind, "year": part.year, "cost": m(part.cost), "amount": m(part.amount)}


def _maintenance_year(year: MaintenanceYear, currency: str) -> dict[str, Any]:
    m = _amounts(currency)
    return {
        "year": year.year,
        "upgrades": year.upgrades,
        "unit_price": m(year.unit_price),
        "amount": m(year.amount),
    }


def _service(service: ServiceQuote, currency: str) -> dict[str, Any]:
    m = _amounts(currency)
    return {
        "key": service.key,
        "name": service.name,
        "description": service.description,
        "per_year": rate_text(service.per_year, currency),
        "years": [
            {"year": year, "amount": m(amount)}
            for year, amount in enumerate(service.years, start=1)
        ],
        "total": m(service.total),
    }


def _comparison(quote: Quote) -> dict[str, Any]:
    return {
        "extra_cost": money_text(quote.extra_cost, quote.currency),
        "standard_days": quote.standard.integration_days,
        "custom_weeks": plain(quote.custom.lead_time_weeks),
        "upgrade_risk": {"standard": "vendor", "custom": "customer"},
    }


def _option(option: Option, currency: str) -> dict[str, Any]:
    m = _amounts(currency)
    return {
        "key": option.key,
        "label": EN[f"option.{option.key}"],  # English whatever the language: JSON is for programs
        "time_to_value": {
            "weeks": plain(option.time_to_value.weeks),
            "days": option.time_to_value.days,
            "working_days": plain(option.time_to_value.working_days),
        },
        "one_time": m(option.one_time),
        "recurring": [m(amount) for amount in option.recurring],
        "recurring_total": m(option.recurring_total),
        "discount": m(option.discount),
        "net": m(option.net),
        "tax": m(option.tax),
        "total": m(option.total),
        "upgrade_risk": option.upgrade_risk,
        "parts": [_part(part, currency) for part in option.parts],
    }


def _lifetime(quote: Quote) -> dict[str, Any]:
    m = _amounts(quote.currency)
    productize = quote.option("productize")
    return {
        "term_years": quote.custom.term_years,
        "options": {
            option.key: [
                {
                    "year": year.year,
                    "cost": m(year.cost),
                    "amount": m(year.amount),
                    "cumulative": m(year.cumulative),
                }
                for year in option.years
            ]
            for option in quote.options
        },
        "upgrades_pass_nre_after": quote.upgrades_pass_nre_after,
        "custom_less_productize": None
        if productize is None
        else m(EXACT.subtract(quote.custom.total, productize.total)),
    }


def _risk(quote: Quote) -> dict[str, Any]:
    risk, cur = quote.custom.risk, quote.currency
    m = _amounts(cur)
    return {
        "confidence": plain(risk.confidence),
        "z": None if risk.z is None else plain(risk.z),
        "ranges": len(risk.lines),
        "mean": m(risk.mean),
        "sigma": m(risk.sigma),
        "reserve": m(risk.reserve),
        # schema 2: the ranged lines carry the larger of the reserve and the contingency floor
        "floor": m(risk.floor),
        "charge": m(risk.charge),
        "applied": risk.applied if risk.lines else None,
        "p50": _levels(quote.p50, cur),
        "at_confidence": _levels(quote.custom, cur),
    }


def render(quote: Quote) -> str:
    """Render the quote as pretty-printed JSON, ending in a newline."""
    from ..escape import json_text

    return json_text(json.dumps(as_dict(quote), indent=2, ensure_ascii=False)) + "\n"
