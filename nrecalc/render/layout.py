"""The document's tables, laid out from its content, for any template to use."""

from typing import NamedTuple, NoReturn, TypedDict

from ..escape import Raw, markdown
from .content import Compared, Content, CustomInfo, LineInfo, OptionInfo, QuoteInfo, StandardInfo
from .text import display_width, pad
from .words import count, label, say


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
    maintenance: Table | None
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
        "comparison": _comparison(data["comparison"]["rows"]),
        "build": _build(c, internal),
        "per_upgrade": _per_upgrade(c, internal),
        "maintenance": _maintenance(c, internal),
        "custom_price": Table(["", say("column.amount")], "lr", _custom_price(q, c, internal)),
        "standard_price": Table(["", say("column.amount")], "lr", _standard_price(q, s, internal)),
        "payment": _payment(c),
        "signature": _signature(q),
    }


def _comparison(rows: list[Compared]) -> Table:
    return Table(
        ["", label("standard"), label("custom")],
        "lll",
        [Row([r.label, r.standard, r.custom], "total" if r.total else "") for r in rows],
    )


_Sum = tuple[str, str, str, str]  # label, what it is of, amount, row kind


def _effort(lines: list[LineInfo], sums: list[_Sum], internal: bool) -> Table:
    headers = [
        say("column.task"),
        say("column.role"),
        say("column.effort"),
        say("column.rate"),
        say("column.amount"),
    ]
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
    effort = count("count.person_week", c["person_weeks"])
    nre: _Sum = (say("figure.nre"), effort, c["nre"], "total")
    if c["build_subtotal"] is None:  # the customer's all-in prices: they add up to the NRE
        return _effort(c["build"], [nre], internal)
    base = say("figure.single_point" if c["ranges"] else "figure.base_build")
    rate = c["contingency_rate"]  # None in the customer's view before 0.4 (content.py)
    contingency = (
        say("row.contingency", rate=rate, base=base) if rate else say("figure.contingency")
    )
    sums: list[_Sum] = [
        (
            say("figure.build_subtotal"),
            say("figure.ranges_at_mean") if c["ranges"] else "",
            c["build_subtotal"] or "",
            "subtotal",
        )
    ]
    if c["ranges"]:
        sums.append((c["reserve_row"] or "", "", c["reserve"] or "", ""))
    sums += [(contingency, "", c["contingency"] or "", ""), nre]
    return _effort(c["build"], sums, internal)


def _per_upgrade(c: CustomInfo, internal: bool) -> Table | None:
    if not c["per_upgrade"]:
        return None
    total: _Sum = (say("row.per_upgrade_year_1"), "", c["per_upgrade_cost"], "total")
    return _effort(c["per_upgrade"], [total], internal)


def _maintenance(c: CustomInfo, internal: bool) -> Table | None:
    if not internal and not c["charges_upgrades"]:
        return None  # nothing charged on upgrades: the document says so in a sentence
    headers = ["column.year", "column.upgrades", "column.unit_price", "column.amount"]
    return Table(
        [say(key) for key in headers],
        "lrrr",
        [
            *(
                Row([_year(y["year"]), str(y["upgrades"]), y["unit_price"], y["amount"]])
                for y in c["maintenance"]
            ),
            Row(
                [say("figure.total"), str(c["upgrades_total"]), "", c["maintenance_total"]], "total"
            ),
        ],
    )


def _year(year: int) -> str:
    return say("figure.year", year=year)


def _custom_price(q: QuoteInfo, c: CustomInfo, internal: bool) -> list[Row]:
    term = c["term"]
    nre = say("figure.nre")
    if c["nre_needs_review"]:
        nre = say("flag.review_figure", figure=nre)
    price = [Row([nre, c["nre"]])]
    if internal or c["charges_upgrades"]:
        price.append(Row([say("row.upgrade_charges", term=term), c["maintenance_total"]]))
    price += [
        *(Row([say("row.service", name=v["name"], term=term), v["total"]]) for v in c["services"]),
        Row([say("figure.subtotal"), c["subtotal"]], "subtotal"),
    ]
    if c["discount"]:
        discount = say("row.discount", rate=c["discount_rate"])
        if c["discount_needs_approval"]:
            discount = say("flag.figure", figure=discount)
        price.append(Row([discount, c["discount_negative"]]))
        price.append(Row([say("figure.net"), c["net"]], "subtotal"))
    price += _tax_and_total(q, c["tax"], c["total"], internal or c["has_tax"])
    if c["total_capital"] is not None:  # a Chinese contract states the total in capitals
        price.append(Row([say("row.total_capital"), c["total_capital"]]))
    return price


def _tax_and_total(q: QuoteInfo, tax: str, total: str, taxed: bool) -> list[Row]:
    """Return the tax row (for the customer only when it carries something) and the total."""
    rows = [Row([say("row.tax", rate=q["tax_rate"]), tax])] if taxed else []
    return [*rows, Row([say("figure.total"), total], "total")]


def _standard_price(q: QuoteInfo, s: StandardInfo, internal: bool) -> list[Row]:
    """Lay out the standard price; the customer sees only the rows that carry something."""
    coaching = say("row.coaching", days=s["coaching_days_text"], per_day=s["coaching_per_day"])
    rows = [
        Row([say("figure.onboarding_fee"), s["fee"]]),
        Row([coaching, s["coaching"]]),
        Row([say("figure.net"), s["net"]], "subtotal"),
    ]
    if not internal:
        charges = s["charges"]
        shown = [name in charges for name in ("fee", "coaching")] + ["tax" in charges]
        rows = [row for row, keep in zip(rows, shown, strict=True) if keep]
    return [*rows, *_tax_and_total(q, s["tax"], s["total"], internal or "tax" in s["charges"])]


def _payment(c: CustomInfo) -> Table:
    """Lay out the payment schedule: every payment, what it is for, when it falls due.

    In Chinese a CNY schedule gives each payment and the total in capital figures too.
    """
    rows = [Row([p["what"], p["due"], p["amount"]]) for p in c["schedule"]]
    rows.append(Row([say("figure.total"), "", c["total"]], "total"))
    headers = [say("column.payment_for"), say("column.due"), say("column.amount")]
    if c["total_capital"] is None:
        return Table(headers, "llr", rows)
    capitals = [p["capital"] or "" for p in c["schedule"]] + [c["total_capital"]]
    for row, figures in zip(rows, capitals, strict=True):
        row.cells.append(figures)
    return Table([*headers, say("column.capital")], "llrl", rows)


def _signature(q: QuoteInfo) -> Table:
    fields = ("sign.name", "sign.title", "sign.signature", "fact.date")
    signature = [
        Row([say("sign.company"), q["customer"], q["supplier"] or ""]),
        *(Row([say(field), "", ""]) for field in fields),
    ]
    headers = ["", say("sign.for_customer"), say("sign.for_supplier")]
    return Table(headers, "lll", signature)


def _ladder(options: list[OptionInfo], c: CustomInfo) -> Table:
    headers = [
        say("column.option"),
        say("column.time_to_value"),
        say("column.one_time"),
        say("column.recurring", term=c["term"]),
        say("column.total_incl_tax"),
        say("column.upgrade_risk"),
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
        [say("view.lifetime"), *map(_year, years)],
        "l" + "r" * len(years),
        [Row([o["label"], *(o["cumulative"][year - 1] for year in years)]) for o in options],
    )


def _services(c: CustomInfo) -> Table | None:
    if not c["services"]:
        return None
    years = c["term_years"]
    return Table(
        [say("column.service"), *map(_year, range(1, years + 1)), say("figure.total")],
        "l" + "r" * (years + 1),
        [Row([v["name"], *v["years"], v["total"]]) for v in c["services"]],
    )


def markdown_table(table: Table) -> Raw:
    """Return a table as aligned Markdown, every cell escaped; sum rows in bold.

    A template calls it: anything but one of the document's tables, in its shape, is refused as
    the template's error.
    """
    _check_table(table)

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


_MAX_TABLE = 8 * 1024 * 1024  # characters of a Markdown table: no document holds more


def _check_table(table: object) -> None:
    """Refuse what is not a table of the document, each row a cell of text per header."""
    if not isinstance(table, Table):
        _refuse(f"expected one of the document's tables, got {type(table).__name__}")
    rows = table.rows if isinstance(table.rows, list) else None
    shaped = (
        _texts(table.headers)
        and isinstance(table.align, str)
        and rows is not None
        and all(
            isinstance(row, Row)
            and isinstance(row.kind, str)
            and _texts(row.cells)
            and len(row.cells) == len(table.headers)
            for row in rows
        )
    )
    if not shaped:
        _refuse("the table was changed: each row must hold one text per header")
    # A template may have grown it: padding multiplies the widest cell by the rows.
    widths = [
        max([len(h), *(len(row.cells[i]) for row in table.rows)])
        for i, h in enumerate(table.headers)
    ]
    if (len(table.rows) + 2) * (sum(widths) + 3 * len(widths) + 1) > _MAX_TABLE:
        _refuse("the table is too large to lay out")


def _texts(cells: object) -> bool:
    return isinstance(cells, list) and all(isinstance(cell, str) for cell in cells)


def _refuse(reason: str) -> NoReturn:
    from jinja2.exceptions import TemplateRuntimeError

    raise TemplateRuntimeError(f"markdown_table: {reason}")
