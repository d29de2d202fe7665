"""The document's tables, laid out from its content, for any template to use."""

from __future__ import annotations

from typing import NamedTuple, TypedDict

from ..escape import Raw, markdown
from .content import Content, CustomInfo, LineInfo, OptionInfo, QuoteInfo, StandardInfo
from .text import display_width, pad


class Row(NamedTuple):
    """A table row; kind is "" for an item, "subtotal" or "total" for a sum."""

    cells: list[str]
    kind: str = ""


class Table(NamedTuple):
    """A table for a document: headers, l/r alignment per column, rows."""

    headers: list[str]
    align: str
    rows: list[Row]


class Tables(TypedDict):
    """Every table a document shows (None where there is nothing to show)."""

    options: Table
    lifetime: Table
    services: Table | None
    comparison: Table
    build: Table
    per_upgrade: Table | None
    maintenance: Table
    custom_price: Table
    standard_price: Table
    payment: Table
    signature: Table


def tables(data: Content) -> Tables:
    """Lay out the document's tables from its formatted figures."""
    internal = data["internal"]
    q, s, c = data["quote"], data["standard"], data["custom"]
    return {
        "options": _ladder(data["options"], c),
        "lifetime": _lifetime(data["options"], data["lifetime"]["years"]),
        "services": _services(c),
        "comparison": _comparison(s, c, internal),
        "build": _build(c, internal),
        "per_upgrade": _per_upgrade(c, internal),
        "maintenance": _maintenance(c),
        "custom_price": Table(["", "Amount"], "lr", _custom_price(q, c)),
        "standard_price": Table(["", "Amount"], "lr", _standard_price(q, s)),
        "payment": _payment(c),
        "signature": _signature(q),
    }


def _comparison(s: StandardInfo, c: CustomInfo, internal: bool) -> Table:
    per_upgrade = c["per_upgrade_cost"]
    if c["escalates"]:
        rise = f", +{c['annual_escalation']}/yr" if internal else " in year 1, then as quoted"
        per_upgrade += rise
    term = c["term"]
    return Table(
        ["", "Standard", "Custom"],
        "lll",
        [
            Row(["Option", s["name"], "Custom build"]),
            Row(["Time to go live", s["days"], c["lead_time"]]),
            Row(["One-time cost, excl. tax", s["net"], c["nre"]]),
            Row(["Cost per platform upgrade", "included", per_upgrade]),
            Row(
                [
                    f"Platform upgrades in {term}",
                    f"{c['upgrades_total']}, included",
                    f"{c['upgrades_total']}, charged",
                ]
            ),
            Row([f"Total over {term}, incl. tax", s["total"], c["total"]], "total"),
            Row(["Upgrade risk carried by", "the supplier", "the customer"]),
        ],
    )


_Sum = tuple[str, str, str, str]  # label, what it is of, amount, row kind


def _effort(lines: list[LineInfo], sums: list[_Sum], internal: bool) -> Table:
    headers = ["Task", "Role", "People × weeks", "Rate per week", "Amount"]
    rows = [
        Row([line["task"], line["role"], line["effort"], line["rate"] or "", line["amount"]])
        for line in lines
    ]
    rows += [Row([label, "", what, "", amount], kind) for label, what, amount, kind in sums]
    if not internal:  # no rate column for the customer
        headers.pop(3)
        for row in rows:
            row.cells.pop(3)
    return Table(headers, "lllrr" if internal else "lllr", rows)


def _build(c: CustomInfo, internal: bool) -> Table:
    base = "single-point lines" if c["ranges"] else "build"
    contingency = (
        f"Contingency, {c['contingency_rate']} of {base}" if internal else "Risk allowance"
    )
    sums: list[_Sum] = [
        (
            "Build subtotal",
            "ranges at their mean" if c["ranges"] else "",
            c["build_subtotal"],
            "subtotal",
        )
    ]
    if c["ranges"]:
        reserve = f"Estimate risk reserve, {c['confidence']} confidence"
        sums.append((reserve, "", c["reserve"], ""))
    sums += [
        (contingency, "", c["contingency"], ""),
        ("NRE", f"{c['person_weeks']} person-weeks", c["nre"], "total"),
    ]
    return _effort(c["build"], sums, internal)


def _per_upgrade(c: CustomInfo, internal: bool) -> Table | None:
    if not c["per_upgrade"]:
        return None
    total: _Sum = ("Cost per upgrade, year 1", "", c["per_upgrade_cost"], "total")
    return _effort(c["per_upgrade"], [total], internal)


def _maintenance(c: CustomInfo) -> Table:
    return Table(
        ["Year", "Upgrades", "Price per upgrade", "Amount"],
        "lrrr",
        [
            *(
                Row([f"Year {y['year']}", str(y["upgrades"]), y["unit_price"], y["amount"]])
                for y in c["maintenance"]
            ),
            Row(["Total", str(c["upgrades_total"]), "", c["maintenance_total"]], "total"),
        ],
    )


def _custom_price(q: QuoteInfo, c: CustomInfo) -> list[Row]:
    term = c["term"]
    price = [
        Row(["NRE", c["nre"]]),
        Row([f"Upgrade charges, {term}", c["maintenance_total"]]),
        *(Row([f"{v['name']}, {term}", v["total"]]) for v in c["services"]),
        Row(["Subtotal", c["subtotal"]], "subtotal"),
    ]
    if c["discount"]:
        flag = " (NEEDS APPROVAL)" if c["discount_needs_approval"] else ""
        price.append(Row([f"Discount, {c['discount_rate']}{flag}", c["discount_negative"]]))
        price.append(Row(["Net", c["net"]], "subtotal"))
    return [*price, Row([f"Tax, {q['tax_rate']}", c["tax"]]), Row(["Total", c["total"]], "total")]


def _standard_price(q: QuoteInfo, s: StandardInfo) -> list[Row]:
    coaching = f"Coaching, {s['coaching_days_text']} × {s['coaching_per_day']}"
    return [
        Row(["Onboarding fee", s["fee"]]),
        Row([coaching, s["coaching"]]),
        Row(["Net", s["net"]], "subtotal"),
        Row([f"Tax, {q['tax_rate']}", s["tax"]]),
        Row(["Total", s["total"]], "total"),
    ]


def _payment(c: CustomInfo) -> Table:
    payment = [Row([p["milestone"], p["share"], p["amount"]]) for p in c["payment"]]
    payment.append(Row(["Total", "100%", c["total"]], "total"))
    return Table(["Milestone", "Share", "Amount"], "lrr", payment)


def _signature(q: QuoteInfo) -> Table:
    signature = [
        Row(["Company", q["customer"], q["supplier"] or ""]),
        *(Row([field, "", ""]) for field in ("Name", "Title", "Signature", "Date")),
    ]
    return Table(["", "For the customer", "For the supplier"], "lll", signature)


def _ladder(options: list[OptionInfo], c: CustomInfo) -> Table:
    headers = [
        "Option",
        "Time to value",
        "One-time",
        f"Recurring, {c['term']}",
        "Total, incl. tax",
        "Upgrade risk",
    ]
    rows = [
        Row(
            [
                o["label"],
                o["time_to_value"],
                o["one_time"],
                o["recurring"],
                o["total"],
                o["upgrade_risk"],
            ],
            "total" if o["key"] == "custom" else "",
        )
        for o in options
    ]
    return Table(headers, "llrrrl", rows)


def _lifetime(options: list[OptionInfo], years: list[int]) -> Table:
    return Table(
        ["Cumulative, incl. tax", *(f"Year {year}" for year in years)],
        "l" + "r" * len(years),
        [Row([o["label"], *(o["cumulative"][year - 1] for year in years)]) for o in options],
    )


def _services(c: CustomInfo) -> Table | None:
    if not c["services"]:
        return None
    years = c["term_years"]
    return Table(
        ["Service", *(f"Year {n}" for n in range(1, years + 1)), "Total"],
        "l" + "r" * (years + 1),
        [Row([v["name"], *v["years"], v["total"]]) for v in c["services"]],
    )


def markdown_table(table: Table) -> Raw:
    """Return a table as aligned Markdown, every cell escaped; sum rows in bold."""

    def cells(row: Row) -> list[str]:
        found = [markdown(cell) for cell in row.cells]
        return [f"**{cell}**" if row.kind == "total" and cell else cell for cell in found]

    body = [cells(row) for row in table.rows]
    head = [markdown(cell) for cell in table.headers]
    right = [table.align[i : i + 1] == "r" for i in range(len(head))]
    widths = [
        max([display_width(h), 3, *(display_width(r[i]) for r in body)]) for i, h in enumerate(head)
    ]

    def line(found: list[str]) -> str:
        padded = (pad(c, w, r) for c, w, r in zip(found, widths, right, strict=True))
        return "| " + " | ".join(padded) + " |"

    rule = ["-" * (w - 1) + ":" if r else "-" * w for w, r in zip(widths, right, strict=True)]
    return Raw("\n".join([line(head), "| " + " | ".join(rule) + " |", *map(line, body)]))
