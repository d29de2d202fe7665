"""Valid rate cards and estimates as data, for tests to vary one thing at a time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

from nrecalc.models import Estimate, RateCard

TODAY = date(2026, 11, 24)


def card(**policy: Any) -> RateCard:
    services = policy.pop("services", None)
    fx = policy.pop("fx", None)
    return RateCard.model_validate(
        {
            **({"services": services} if services else {}),
            **({"fx": fx} if fx else {}),
            "kind": "rate-card",
            "name": "default",
            "version": "2026.1",
            "currency": policy.pop("currency", "CNY"),
            "effective_from": "2026-01-01",
            "roles": policy.pop(
                "roles", {"engineer": 25000, "senior-engineer": 35000, "qa-engineer": 20000}
            ),
            "standard": {
                "name": "Open Platform standard API",
                "integration_days": 3,
                "fee": policy.pop("fee", 0),
                "coaching_per_day": 6000,
            },
            "policy": {
                "contingency": D("0.10"),
                "annual_escalation": D("0.05"),
                "tax_rate": D("0.06"),
                "discount_approval_above": D("0.10"),
                "validity_days": 30,
                **policy,
            },
        }
    )


def estimate(**fields: Any) -> Estimate:
    custom = {
        "build": [
            {"task": "Reverse-push connector", "role": "engineer", "engineers": 2, "weeks": 3}
        ],
        "per_upgrade": [
            {"task": "Compatibility testing", "role": "engineer", "engineers": 1, "weeks": 1}
        ],
        "upgrades_per_year": 4,
        "term_years": 3,
    }
    custom.update(fields.pop("custom", {}))
    data = {
        "kind": "estimate",
        "id": "Q-2026-0042",
        "customer": "ACME Robotics",
        "title": "Reverse push",
        "date": "2026-11-22",
        "rate_card": "default",
        "custom": custom,
        "standard": {"coaching_days": 1},
        **fields,
    }
    return Estimate.model_validate(data)
