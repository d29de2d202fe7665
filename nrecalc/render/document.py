"""Contract documents (SPEC 6): the Markdown and HTML appendix and the cover note, from Jinja2.

Templates receive the figures already formatted (see docs/documents.md). For the customer the
internal figures (rates per role, contingency and escalation ratios, approval flags) are None
in the data itself, so that no template, ours or a company's, can show them by mistake.
"""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from .. import __version__
from ..errors import InputError
from ..money import format_money, format_rate, percent, plain, quantity, symbol
from ..pricing import Line, Quote
from . import Audience, Format
from .json import as_dict
from .sandbox import (
    MAX_OUTPUT,
    MAX_SECONDS,
    FolderLoader,
    Refused,
    Sandbox,
    TooLong,
    time_limit,
)
from .table import chart_years, display_width, pad
from .words import CARRIER, LABELS, describe, plural, sentences, time_to_value

TEMPLATES = {
    Format.markdown: "appendix.md.j2",
    Format.html: "appendix.html.j2",
    Format.note: "note.txt.j2",
}
MARKER = "nrecalc-provenance:"


class Template(NamedTuple):
    """A company's own template: the file as given on the command line, its text and sha256."""

    path: Path
    shown: str
    text: str
    sha256: str


def load_template(path: Path) -> Template:
    """Read a company's template (UTF-8, at most 8 MiB); raise InputError if it cannot be."""
    from ..loader import display_path, read_text

    shown = display_path(path)
    text, sha256 = read_text(path, shown, kind="template")
    found = hidden_character(text)
    if found is not None:
        line, column, problem = found
        raise InputError.at(shown, f"template: {problem}", line, column)
    return Template(path, shown, text, sha256)


def hidden_character(text: str) -> tuple[int, int, str] | None:
    """Find the first control or format character a document may not hold (tabs aside).

    Return its line, column and what is wrong, or None. A company template's text, and what it
    writes, is held to the rule every estimate's text is (SPEC 2.2, 4.2).
    """
    from ..models import text_problem

    probe = text.replace("\t", " ")
    if text_problem(probe) is None:
        return None
    for number, line in enumerate(probe.split("\n"), start=1):
        problem = text_problem(line)
        if problem is not None:
            column = next(i for i, c in enumerate(line, start=1) if text_problem(c) is not None)
            return number, column, problem
    return None


class Provenance(NamedTuple):
    """What a document was made from: enough for `nrecalc verify` to make it again."""

    version: str
    format: str
    audience: str
    date: str
    estimate_sha256: str
    rate_card_sha256: str
    figures: str
    template_sha256: str | None = None
    confidence: str | None = None  # the level ranges were priced at; None: the estimate's

    @property
    def marker(self) -> str:
        """Return the one machine-readable line that `nrecalc verify` reads back."""
        fields = [
            f"version={self.version}",
            f"format={self.format}",
            f"audience={self.audience}",
            f"date={self.date}",
            *([f"confidence={self.confidence}"] if self.confidence else []),
            f"estimate={self.estimate_sha256}",
            f"rate-card={self.rate_card_sha256}",
            f"figures={self.figures}",
        ]
        if self.template_sha256:
            fields.append(f"template={self.template_sha256}")
        return f"{MARKER} {' '.join(fields)}"


def fingerprint(quote: Quote) -> str:
    """Return a short hash of every figure of the quote (the JSON figures, canonical)."""
    data = as_dict(quote)
    keys = ("schema_version", "quote", "standard", "custom", "comparison", "options", "risk")
    figures = {key: data[key] for key in keys}
    text = json.dumps(figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def provenance(
    quote: Quote, fmt: Format, audience: Audience, template: Template | None
) -> Provenance:
    """Return the provenance of a document of this quote."""
    return Provenance(
        version=__version__,
        format=fmt.value,
        audience=audience.value,
        date=quote.date.isoformat(),
        estimate_sha256=quote.estimate.sha256,
        rate_card_sha256=quote.rate_card.sha256,
        figures=fingerprint(quote),
        template_sha256=template.sha256 if template else None,
        confidence=plain(quote.custom.risk.confidence),
    )


# --- the data a template receives ---------------------------------------------------------------


def context(
    quote: Quote,
    fmt: Format,
    audience: Audience,
    template: Template | None = None,
    made: Provenance | None = None,
) -> dict[str, Any]:
    """Return what a template receives: every figure formatted, internal ones only internally."""
    internal = audience is Audience.internal
    cur = quote.currency
    std, custom = quote.standard, quote.custom

    def money(amount: Decimal) -> str:
        return format_money(amount, cur)

    def only_internal(value: str) -> str | None:
        return value if internal else None

    def effort(line: Line) -> str:
        spread = line.spread
        if spread is None:
            return f"{line.engineers} × {plural(line.weeks, 'week')}"
        weeks = f"{plain(spread.low)} to {plain(spread.high)} weeks"
        return f"{line.engineers} × {weeks} (mean {plain(quantity(spread.mean, 2))})"

    def lines(found: tuple[Line, ...]) -> list[dict[str, Any]]:
        return [
            {
                "task": line.task,
                "role": line.role,
                "engineers": line.engineers,
                "weeks": plain(line.weeks),
                "range": None
                if line.spread is None
                else {
                    "low": plain(line.spread.low),
                    "likely": plain(line.spread.likely),
                    "high": plain(line.spread.high),
                    "mean": plain(quantity(line.spread.mean, 2)),
                    "sigma": money(line.spread.sigma_amount),
                },
                "effort": effort(line),
                "rate": only_internal(format_rate(line.rate, cur)),
                "amount": money(line.amount),
            }
            for line in found
        ]

    risk = custom.risk
    shown_years = chart_years(custom.term_years)
    productize = quote.option("productize")

    made = made or provenance(quote, fmt, audience, template)
    data: dict[str, Any] = {
        "audience": audience.value,
        "internal": internal,
        "format": fmt.value,
        "quote": {
            "id": quote.id,
            "customer": quote.customer,
            "title": quote.title,
            "date": quote.date.isoformat(),
            "date_assumed": quote.date_assumed,
            "valid_until": quote.valid_until.isoformat(),
            "validity_days": (quote.valid_until - quote.date).days,
            "currency": cur,
            "symbol": symbol(cur),
            "supplier": quote.supplier,
            "rate_card": only_internal(f"{quote.rate_card_name} {quote.rate_card_version}"),
            "tax_rate": percent(quote.tax_rate),
        },
        "standard": {
            "name": std.name,
            "days": plural(std.integration_days, "day"),
            "integration_days": std.integration_days,
            "fee": money(std.fee),
            "coaching_days": plain(std.coaching_days),
            "coaching_days_text": plural(std.coaching_days, "day"),
            "coaching_per_day": format_rate(std.coaching_per_day, cur),
            "coaching": money(std.coaching),
            "net": money(std.net),
            "tax": money(std.tax),
            "total": money(std.total),
        },
        "custom": {
            "lead_time": plural(custom.lead_time_weeks, "week"),
            "lead_time_weeks": plain(custom.lead_time_weeks),
            "person_weeks": plain(quantity(custom.build_effort, 2)),
            "build": lines(custom.build),
            "build_subtotal": money(custom.build_subtotal),
            "ranges": bool(risk.lines),
            "confidence": percent(risk.confidence),
            "reserve": money(custom.reserve),
            "contingency": money(custom.contingency),
            "contingency_rate": only_internal(percent(custom.contingency_rate)),
            "nre": money(custom.nre),
            "per_upgrade": lines(custom.per_upgrade),
            "per_upgrade_cost": money(custom.per_upgrade_cost),
            "annual_escalation": only_internal(percent(custom.annual_escalation)),
            "escalates": bool(custom.annual_escalation),
            "upgrades_per_year": custom.upgrades_per_year,
            "term_years": custom.term_years,
            "term": plural(custom.term_years, "year"),
            "upgrades_total": custom.upgrades_total,
            "maintenance": [
                {
                    "year": year.year,
                    "upgrades": year.upgrades,
                    "unit_price": money(year.unit_price),
                    "amount": money(year.amount),
                }
                for year in custom.maintenance
            ],
            "maintenance_total": money(custom.maintenance_total),
            "services": [
                {
                    "name": service.name,
                    "description": service.description,
                    "years": [money(amount) for amount in service.years],
                    "total": money(service.total),
                }
                for service in custom.services
            ],
            "services_total": money(custom.services_total),
            "subtotal": money(custom.subtotal),
            "discount": money(custom.discount) if custom.discount_rate else None,
            "discount_negative": money(custom.discount.copy_negate()),
            "discount_rate": percent(custom.discount_rate) if custom.discount_rate else None,
            "discount_needs_approval": custom.discount_approval_required if internal else None,
            "discount_limit": only_internal(percent(custom.discount_approval_above or Decimal(0)))
            if custom.discount_approval_above is not None
            else None,
            "net": money(custom.net),
            "tax": money(custom.tax),
            "total": money(custom.total),
            "payment": [
                {
                    "milestone": part.milestone,
                    "share": percent(part.share),
                    "amount": money(part.amount),
                }
                for part in custom.payment
            ],
        },
        "comparison": {
            "extra_cost": money(quote.extra_cost.copy_abs()),
            "custom_costs_more": quote.extra_cost >= 0,
        },
        "options": [
            {
                "key": option.key,
                "label": LABELS[option.key],
                "description": describe(option, quote),
                "time_to_value": time_to_value(option.time_to_value),
                "one_time": money(option.one_time),
                "recurring": money(option.recurring_total),
                "total": money(option.total),
                "upgrade_risk": "the supplier"
                if option.upgrade_risk == "vendor"
                else "the customer",
                "carrier": CARRIER[option.upgrade_risk],
                "cumulative": [money(year.cumulative) for year in option.years],
            }
            for option in quote.options
        ],
        "lifetime": {
            "years": shown_years,
            "sentences": sentences(quote),
            "upgrades_pass_nre_after": quote.upgrades_pass_nre_after,
        },
        "productize": None
        if productize is None
        else {
            "share": percent(quote.productize_share or Decimal(0)),
            "release": plural(productize.time_to_value.weeks, "week"),
        },
        "assumptions": list(quote.assumptions),
        "exclusions": list(quote.exclusions),
        "provenance": {**made._asdict(), "marker": made.marker},
    }
    data["tables"] = tables(data)
    data["chart"] = Markup(lifetime_svg(quote)) if fmt is Format.html else None
    return data


class Row(NamedTuple):
    """A table row; kind is "" for an item, "subtotal" or "total" for a sum."""

    cells: list[str]
    kind: str = ""


class Table(NamedTuple):
    """A table for a document: headers, l/r alignment per column, rows."""

    headers: list[str]
    align: str
    rows: list[Row]


def tables(data: dict[str, Any]) -> dict[str, Table | None]:
    """Lay out the document's tables from the formatted figures, for any template to use."""
    internal = data["internal"]
    q, s, c = data["quote"], data["standard"], data["custom"]
    per_upgrade = c["per_upgrade_cost"]
    if c["escalates"]:
        rise = f", +{c['annual_escalation']}/yr" if internal else " in year 1, then as quoted"
        per_upgrade += rise
    term = c["term"]
    comparison = Table(
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

    def effort(lines: list[dict[str, Any]], sums: list[tuple[str, str, str, str]]) -> Table:
        headers = ["Task", "Role", "People × weeks", "Rate per week", "Amount"]
        rows = [
            Row([line["task"], line["role"], line["effort"], line["rate"], line["amount"]])
            for line in lines
        ]
        rows += [Row([label, "", what, "", amount], kind) for label, what, amount, kind in sums]
        if not internal:  # no rate column for the customer
            headers.pop(3)
            for row in rows:
                row.cells.pop(3)
        return Table(headers, "lllrr" if internal else "lllr", rows)

    base = "single-point lines" if c["ranges"] else "build"
    contingency = (
        f"Contingency, {c['contingency_rate']} of {base}" if internal else "Risk allowance"
    )
    sums = [
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
    build = effort(c["build"], sums)
    upgrade = (
        effort(c["per_upgrade"], [("Cost per upgrade, year 1", "", c["per_upgrade_cost"], "total")])
        if c["per_upgrade"]
        else None
    )
    maintenance = Table(
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
    price += [Row([f"Tax, {q['tax_rate']}", c["tax"]]), Row(["Total", c["total"]], "total")]
    coaching = f"Coaching, {s['coaching_days_text']} × {s['coaching_per_day']}"
    standard = [
        Row(["Onboarding fee", s["fee"]]),
        Row([coaching, s["coaching"]]),
        Row(["Net", s["net"]], "subtotal"),
        Row([f"Tax, {q['tax_rate']}", s["tax"]]),
        Row(["Total", s["total"]], "total"),
    ]
    payment = [Row([p["milestone"], p["share"], p["amount"]]) for p in c["payment"]]
    payment.append(Row(["Total", "100%", c["total"]], "total"))
    signature = [
        Row(["Company", q["customer"], q["supplier"] or ""]),
        *(Row([field, "", ""]) for field in ("Name", "Title", "Signature", "Date")),
    ]
    options = data["options"]
    ladder = Table(
        [
            "Option",
            "Time to value",
            "One-time",
            f"Recurring, {term}",
            "Total, incl. tax",
            "Upgrade risk",
        ],
        "llrrrl",
        [
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
        ],
    )
    lifetime = Table(
        ["Cumulative, incl. tax", *(f"Year {year}" for year in data["lifetime"]["years"])],
        "l" + "r" * len(data["lifetime"]["years"]),
        [
            Row([o["label"], *(o["cumulative"][year - 1] for year in data["lifetime"]["years"])])
            for o in options
        ],
    )
    services = (
        Table(
            ["Service", *(f"Year {n}" for n in range(1, c["term_years"] + 1)), "Total"],
            "l" + "r" * (c["term_years"] + 1),
            [Row([v["name"], *v["years"], v["total"]]) for v in c["services"]],
        )
        if c["services"]
        else None
    )
    return {
        "options": ladder,
        "lifetime": lifetime,
        "services": services,
        "comparison": comparison,
        "build": build,
        "per_upgrade": upgrade,
        "maintenance": maintenance,
        "custom_price": Table(["", "Amount"], "lr", price),
        "standard_price": Table(["", "Amount"], "lr", standard),
        "payment": Table(["Milestone", "Share", "Amount"], "lrr", payment),
        "signature": Table(["", "For the customer", "For the supplier"], "lll", signature),
    }


# --- the lifetime chart ---------------------------------------------------------------------------

_COLOURS = {
    "standard": "#8fa8c4",
    "standard_coaching": "#4f7cac",
    "productize": "#2a9d8f",
    "custom": "#1d4f7c",
}


def lifetime_svg(quote: Quote) -> str:
    """Draw the cumulative cost of each option, year by year, as an inline SVG bar chart."""
    from markupsafe import escape

    cur = quote.currency
    years = chart_years(quote.custom.term_years)
    options = quote.options
    most = max((option.total for option in options), default=Decimal(0)) or Decimal(1)
    width, height = 640, 250
    left, right, top, bottom = 92, 10, 14, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    group = Decimal(plot_w) / len(years)
    bar = group * Decimal("0.8") / len(options)

    def y(amount: Decimal) -> Decimal:
        return top + plot_h - amount * plot_h / most

    def num(value: Decimal) -> str:
        return plain(quantity(value, 1))

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="chart-title" class="chart">',
        '<title id="chart-title">'
        "Cumulative cost of each option, year by year, tax included</title>",
    ]
    for step in range(5):
        amount = most * step / 4
        at = num(y(amount))
        label = escape(format_money(amount, cur, 0))
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{at}" y2="{at}" class="grid"/>'
            f'<text x="{left - 6}" y="{at}" class="axis" text-anchor="end" '
            f'dominant-baseline="middle">{label}</text>'
        )
    for index, year in enumerate(years):
        x0 = left + group * index + group * Decimal("0.1")
        for number, option in enumerate(options):
            amount = option.years[year - 1].cumulative
            top_y = y(amount)
            out.append(
                f'<rect x="{num(x0 + bar * number)}" y="{num(top_y)}" width="{num(bar)}" '
                f'height="{num(top + plot_h - top_y)}" fill="{_COLOURS[option.key]}">'
                f"<title>{escape(LABELS[option.key])}, year {year}: "
                f"{escape(format_money(amount, cur))}</title></rect>"
            )
        centre = num(left + group * index + group / 2)
        out.append(
            f'<text x="{centre}" y="{top + plot_h + 14}" class="axis" '
            f'text-anchor="middle">Year {year}</text>'
        )
    slot = Decimal(plot_w) / len(options)
    for number, option in enumerate(options):
        x = num(left + slot * number)
        out.append(
            f'<rect x="{x}" y="{height - 18}" width="10" height="10" '
            f'fill="{_COLOURS[option.key]}"/><text x="{num(left + slot * number + 14)}" '
            f'y="{height - 9}" class="legend">{escape(LABELS[option.key])}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


# --- Markdown ---------------------------------------------------------------------------------


class Raw(str):
    """Markdown that is already escaped: the Markdown finalizer passes it through."""


# Characters that Markdown or the HTML it may be turned into would read as markup.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(
    r"^(\s*)(#{1,6}(?=\s|$)|[+-](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|(?:=+|-+)\s*$)"
)
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# GitHub's autolinks (the GFM "autolink" extension): `scheme://`, `www.` and `local@domain`
# become links. An escaped `:` or `.` ends the run the extension looks at; an e-mail address it
# finds in the joined text, escapes or not, so an empty HTML comment (shown as nothing, like the
# provenance comment) parts the `@` from the domain; it parts an @mention from its name too.
_MD_AUTOLINK = re.compile(r"(?P<scheme>:)(?=//)|(?i:(?P<www>www)\.)|(?P<at>@)(?=[0-9A-Za-z])")
_MD_AUTOLINK_BREAK = {"scheme": "\\:", "www": "\\.", "at": "@<!-- -->"}


def escape_markdown(value: object) -> str:
    """Escape text for Markdown: no emphasis, links, table breaks or raw HTML from the input."""
    if isinstance(value, Raw):
        return value
    text = _MD_SPECIAL.sub(r"\\\1", str(value))
    text = re.sub(r"[&<>]", lambda m: _MD_ENTITIES[m.group()], text)
    text = _MD_AUTOLINK.sub(_break_autolink, text)
    # No heading, quote or list from the start of a line; a paragraph keeps its line breaks as
    # hard breaks, indented to stay in its list item.
    lines = (_MD_LINE_START.sub(_escape_start, line) for line in text.rstrip("\n").split("\n"))
    return "\\\n  ".join(lines)


def _break_autolink(match: re.Match[str]) -> str:
    kind = match.lastgroup or ""
    return (match.group("www") or "") + _MD_AUTOLINK_BREAK[kind]


def _escape_start(match: re.Match[str]) -> str:
    space, mark = match.groups()
    return f"{space}{mark}\\" if mark[0].isdigit() else f"{space}\\{mark}"


def markdown_table(table: Table) -> Raw:
    """Return a table as aligned Markdown; sum rows in bold."""

    def cells(row: Row) -> list[str]:
        found = [escape_markdown(cell) for cell in row.cells]
        return [f"**{cell}**" if row.kind == "total" and cell else cell for cell in found]

    body = [cells(row) for row in table.rows]
    head = [escape_markdown(cell) for cell in table.headers]
    right = [table.align[i : i + 1] == "r" for i in range(len(head))]
    widths = [
        max([display_width(h), 3, *(display_width(r[i]) for r in body)]) for i, h in enumerate(head)
    ]

    def line(found: list[str]) -> str:
        padded = (pad(c, w, r) for c, w, r in zip(found, widths, right, strict=True))
        return "| " + " | ".join(padded) + " |"

    rule = ["-" * (w - 1) + ":" if r else "-" * w for w, r in zip(widths, right, strict=True)]
    return Raw("\n".join([line(head), "| " + " | ".join(rule) + " |", *map(line, body)]))


def css_string(value: object) -> Markup:
    """Quote text as a CSS string that nothing in it can break out of (for @page content)."""
    # A CSS escape ends at the first space after its hex digits, which it consumes (even after
    # six digits): each escape carries its own terminating space, so the text's next space stays.
    text = "".join(c if c.isalnum() or c in " .,-_" else f"\\{ord(c):x} " for c in str(value))
    return Markup(f'"{text}"')


# --- rendering ----------------------------------------------------------------------------------


def _environment(fmt: Format, template: Template | None) -> Sandbox:
    builtin = jinja2.PackageLoader("nrecalc", "templates")
    loaders: list[jinja2.BaseLoader] = [jinja2.PrefixLoader({"nrecalc": builtin}, delimiter="/")]
    if template is not None:
        loaders.append(FolderLoader(template.path.parent))
    env = Sandbox(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=fmt is Format.html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=escape_markdown if fmt is Format.markdown else None,
        extensions=["jinja2.ext.do"],
    )
    env.globals["markdown_table"] = markdown_table
    env.add_filter("css_string", css_string)
    return env


def render(
    quote: Quote,
    fmt: Format,
    audience: Audience,
    template: Template | None,
    made: Provenance | None = None,
) -> str:
    """Render a document of the quote from the built-in template or a company's own.

    made replaces the provenance the document would carry: verify renders a document again
    with the provenance it recorded, so that the two can be compared line for line.
    """
    env = _environment(fmt, template)
    data = context(quote, fmt, audience, template, made)
    if template is None:
        return env.get_template(f"nrecalc/{TEMPLATES[fmt]}").render(data)
    return _render_company(env, template, data)


def _render_company(env: SandboxedEnvironment, template: Template, data: dict[str, Any]) -> str:
    # A company template is input like an estimate: whatever it does wrong ends in one line
    # naming its file and line, never in a traceback.
    parts: list[str] = []
    try:
        with time_limit(MAX_SECONDS):
            compiled = env.from_string(template.text)
            size = 0
            for part in compiled.generate(data):
                size += len(part.encode("utf-8"))
                if size > MAX_OUTPUT:
                    raise Refused("the output is larger than 8 MiB")
                parts.append(part)
        output = "".join(parts)
        found = hidden_character(output)
        if found is not None:
            raise Refused(f"line {found[0]} of the output {found[2]}")
    except jinja2.TemplateSyntaxError as exc:
        shown = _shown_template(exc.filename, template)
        raise InputError.at(shown, f"template: {exc.message}", exc.lineno) from None
    except InputError:  # an included template that cannot be read: named at its own place
        raise
    except Exception as exc:
        shown, line = _template_place(exc, template)
        raise InputError.at(shown, f"template: {_describe(exc)}", line) from None
    return output


def _describe(exc: Exception) -> str:
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"include {exc.name!r}: no such template in the template's folder"
    if isinstance(exc, jinja2.TemplateError) and exc.message:
        return exc.message
    if isinstance(exc, RecursionError):
        return "recursion too deep"
    if isinstance(exc, MemoryError):
        return "out of memory"
    if isinstance(exc, TooLong):
        return str(exc)
    text = str(exc)
    if len(text) > 200:  # the template chose the message: it must not choose its size
        text = text[:200] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _shown_template(filename: str | None, template: Template) -> str:
    if not filename or filename == "<template>":
        return template.shown
    from ..loader import display_path

    return display_path(Path(filename))


def _template_place(exc: BaseException, template: Template) -> tuple[str, int | None]:
    """Return the template file and line a render error happened in (the innermost one).

    Jinja rewrites the traceback so that template code appears at its own file and line.
    """
    place: tuple[str, int | None] = (template.shown, None)
    trace = exc.__traceback__
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename == "<template>" or not filename.endswith((".py", ">")):
            place = (_shown_template(filename, template), trace.tb_lineno)
        trace = trace.tb_next
    return place
