"""nrecalc diff's outputs: the terminal table, JSON and Markdown, from a Diff (SPEC 8.2)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from ..choices import DiffFormat
from ..diff import Diff, Figures, QuoteDiff, Side, Tally
from ..diffcard import Change, Value
from ..escape import json_text, markdown
from ..money import (
    EXACT,
    format_money,
    format_rate,
    fx_rate_text,
    money_text,
    percent,
    plain,
    rate_text,
)
from .grid import BOLD, Block, Grid, Text, draw
from .json import fx_data
from .text import markdown_table as _table
from .words import count, date_text, exchange, label, say, speaking

SCHEMA_VERSION = 1
NONE = "—"  # no percentage (the old figure is 0, or none to compare), or no exchange rate


def render(diff: Diff, fmt: DiffFormat, language: str = "en", width: int | None = None) -> str:
    """Render the diff: the table fitted to width (None: full width), JSON, or Markdown."""
    if fmt is DiffFormat.json:
        text = json.dumps(as_dict(diff), indent=2, ensure_ascii=False)
        return json_text(text) + "\n"
    # bilingual reads as Chinese here, as the terminal view of a quote does
    with speaking("zh-CN" if language == "zh-CN+en" else language):
        if fmt is DiffFormat.markdown:
            return "".join(f"{line}\n" for line in _markdown(diff))
        drawn = draw(layout(diff), width)
    return "".join(f"{line.text}\n" for line in drawn)


# --- words and figures for people ----------------------------------------------------------------


def signed_percent(change: Decimal | None) -> str:
    """Write a change in percent, signed: +8.0%, -2.5%; — for none."""
    if change is None:
        return NONE
    return f"+{change}%" if change > 0 else f"{change}%"


def signed_money(amount: Decimal | None, currency: str) -> str:
    """Write a change of money, signed: +¥2,000.00, -¥500.00, ¥0.00."""
    if amount is None:
        return NONE
    return ("+" if amount > 0 else "") + format_money(amount, currency)


def shown(value: Value, unit: str, currency: str) -> str:
    """Write a value of a change for people, in its unit."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if unit == "money":
            return format_money(value, currency)
        if unit == "rate":
            return format_rate(value, currency)
        if unit == "ratio":
            return percent(value)
        if unit == "fx":
            return fx_rate_text(value)
        if unit == "weeks":
            return count("count.week", value)
        return plain(value)
    if isinstance(value, date):
        return date_text(value)
    return str(value)


# What the diff calls the quote's terms and figures, and the catalog's names for them.
TERMS = {
    "customer": "fact.customer",
    "title": "diff.term.title",
    "date": "fact.date",
    "rate_card": "fact.rate_card",
    "currency": "batch.column.currency",
    "fx": "fact.fx",
    "fx_date": "diff.term.fx_date",
    "fx_source": "diff.term.fx_source",
    "discount_rate": "diff.term.discount_rate",
    "upgrades_per_year": "diff.term.upgrades_per_year",
    "term_years": "diff.term.term_years",
    "lead_time_weeks": "side.time_to_go_live",
    "confidence": "diff.term.confidence",
}
FIGURES = {
    "build_subtotal": "figure.build_subtotal",
    "contingency": "figure.contingency",
    "nre": "figure.nre",
    "per_upgrade_cost": "figure.cost_per_upgrade",
    "maintenance_total": "figure.maintenance_total",
    "services_total": "figure.services_total",
    "subtotal": "figure.subtotal",
    "discount": "figure.discount",
    "tax": "figure.tax",
    "total": "explain.custom_total",
    "standard_total": "explain.standard_total",
}
SECTIONS = {
    "build": "figure.build",
    "per_upgrade": "figure.per_upgrade",
    "custom_services": "view.services",
}
LINE_FIELDS = {
    "role": "column.role",
    "engineers": "diff.field.engineers",
    "weeks": "diff.field.weeks",
    "rate": "column.rate",
    "amount": "column.amount",
}


def item(change: Change) -> str:
    """Name what changed: a card's role or field as the file has it; a quote's in words."""
    if change.section == "terms":
        return say(TERMS[change.item])
    if change.section == "figures":
        return say(FIGURES[change.item])
    if change.section == "options":
        return say("explain.part", whole=say("column.option"), part=label(change.item))
    if change.section in SECTIONS:
        whole = say("explain.part", whole=say(SECTIONS[change.section]), part=change.item)
        if not change.field:
            return whole
        return say("figure.detailed", figure=whole, detail=say(LINE_FIELDS[change.field]))
    return change.item  # a card's: engineer, policy.contingency, services.support.per_year


def _values(change: Change, currencies: tuple[str, str]) -> tuple[str, str]:
    return (
        shown(change.old, change.unit, currencies[0]),
        shown(change.new, change.unit, currencies[1]),
    )


def card_line(change: Change, currencies: tuple[str, str]) -> str:
    """Write a card's change as a line: `~ engineer ¥25,000.00 → ¥27,000.00 (+8.0%)`."""
    old, new = _values(change, currencies)
    if change.mark == "+":
        return f"+ {item(change)} {new}"
    if change.mark == "-":
        return f"- {item(change)} {old}"
    rise = change.percent
    after = f" ({signed_percent(rise)})" if rise is not None else ""
    return f"~ {item(change)} {old} → {new}{after}"


def _moved(quote: QuoteDiff, figure: str) -> str:
    """Write a figure's move: +¥15,000.00 (+10.0%), or the amount alone from 0."""
    amount = signed_money(quote.change(figure), quote.current.currency)
    rise = quote.percent(figure)
    return amount if rise is None else f"{amount} ({signed_percent(rise)})"


def _from_to(quote: QuoteDiff, figure: str) -> str:
    """Write a figure old → new; a newly priced quote's as added: `+ US$23,182.50`."""
    new = format_money(getattr(quote.current, figure), quote.current.currency)
    if quote.past is None:
        return f"+ {new}"
    return f"{format_money(getattr(quote.past, figure), quote.past.currency)} → {new}"


def _currencies(quote: QuoteDiff) -> tuple[str, str]:
    """Return the quote's two currencies (a newly priced one's past: its current)."""
    current = quote.current.currency
    return (current if quote.past is None else quote.past.currency), current


def fx_lines(diff: Diff) -> list[str]:
    """Say of each quote listed whose exchange rate is another one, which rate it was and is.

    A quote of two revisions lists the rate among its terms instead; a newly priced quote says
    the rate it is converted at.
    """
    if diff.kind != "rate-card":
        return []
    found = []
    for quote in diff.quotes:
        rate = quote.current.fx
        if quote.past is None and rate is not None:
            found.append(say("batch.fx", ids=quote.id, rate=exchange(rate)))
        elif quote.past is not None and quote.fx_changed:
            old, new = (NONE if fx is None else exchange(fx) for fx in (quote.past.fx, rate))
            found.append(say("diff.fx", id=quote.id, old=old, new=new))
    return found


def title(diff: Diff) -> str:
    """Say what is compared: the card's name and its two versions, or the quote's two files."""
    old, new = diff.old, diff.new
    if diff.kind == "estimate":
        return say("diff.title.estimate", id=new.name, old_path=old.path, new_path=new.path)
    return say(
        "diff.title.card",
        name=new.name,
        old_version=old.version,
        old_path=old.path,
        new_version=new.version,
        new_path=new.path,
    )


def summary(diff: Diff) -> list[str]:
    """Say per currency how many estimates moved which way, and by how much in all."""
    tallies = diff.summary()
    return [_summary_line(tally, code, len(tallies) > 1) for code, tally in tallies.items()]


def _summary_line(tally: Tally, currency: str, named: bool) -> str:
    estimates = count("diff.summary.estimates", tally.estimates)
    if named:
        estimates = say("diff.summary.in", estimates=estimates, currency=currency)
    parts = [
        say(key, n=n)
        for key, n in (
            ("diff.summary.up", tally.up),
            ("diff.summary.down", tally.down),
            ("diff.summary.unchanged", tally.unchanged),
            ("diff.summary.currency", tally.currency_changed),
            ("diff.summary.fx_only", tally.fx_only),
            ("diff.summary.newly_priced", tally.newly_priced),
        )
        if n
    ]
    joined = parts[0]
    for part in parts[1:]:
        joined = say("diff.join", first=joined, then=part)
    if tally.currency_changed + tally.newly_priced == tally.estimates:  # nothing to add up
        return say("diff.summary.no_total", estimates=estimates, parts=joined)
    change = signed_money(tally.total, currency)
    return say("diff.summary", estimates=estimates, parts=joined, change=change)


# --- the terminal table --------------------------------------------------------------------------


def layout(diff: Diff) -> list[Block]:
    """Lay out the diff for the terminal: title, the card's changes, the quotes, the summary."""
    blank = Text("")
    found: list[Block] = [Text("", strong=title(diff)), blank]
    if diff.kind == "rate-card" or diff.card_changes:
        found.append(Text(say("diff.heading.card"), style=BOLD))
        lines = [card_line(change, diff.currencies) for change in diff.card_changes]
        found.extend(Text(f"  {line}") for line in lines or [say("diff.card_same")])
        found.append(blank)
    if diff.kind == "estimate":
        found.append(_changes_grid(diff))
    elif not diff.quotes:
        found.extend([Text(say("diff.no_quotes")), blank])
    elif any(quote.moved for quote in diff.quotes):
        found.append(_quotes_grid(diff))
        rates = fx_lines(diff)
        found.extend([*(Text(line) for line in rates), blank] if rates else [])
    found.extend(Text(line) for line in summary(diff))
    return found


def _quotes_grid(diff: Diff) -> Grid:
    change = say("diff.column.change")
    grid = Grid(
        say("diff.heading.quotes"),
        (
            say("diff.column.estimate"),
            say("figure.nre"),
            change,
            say("explain.custom_total"),
            change,
        ),
        (False, True, True, True, True),
    )
    for quote in diff.quotes:
        if quote.moved:
            grid.add(*_quote_cells(quote))
    return grid


def _quote_cells(quote: QuoteDiff) -> tuple[str, ...]:
    return (
        quote.id,
        _from_to(quote, "nre"),
        _moved(quote, "nre"),
        _from_to(quote, "total"),
        _moved(quote, "total"),
    )


def _changes_grid(diff: Diff) -> Block:
    quote = diff.quotes[0]
    if not quote.changes:
        return Text(say("diff.quote_same"))
    grid = Grid(
        say("diff.heading.changes"),
        (
            say("view.column.item"),
            say("diff.column.old"),
            say("diff.column.new"),
            say("diff.column.change"),
        ),
        (False, False, False, True),
    )
    currencies = _currencies(quote)
    for change in quote.changes:
        grid.add(*_change_cells(change, currencies))
    return grid


def _change_cells(change: Change, currencies: tuple[str, str]) -> tuple[str, str, str, str]:
    old, new = _values(change, currencies)
    moved = ""
    money = change.unit in ("money", "rate") and currencies[0] == currencies[1]
    if change.mark == "~" and money:
        assert isinstance(change.old, Decimal) and isinstance(change.new, Decimal)
        moved = signed_money(EXACT.subtract(change.new, change.old), currencies[1])
        rise = change.percent  # none from 0
        moved += "" if rise is None else f" ({signed_percent(rise)})"
    return f"{change.mark} {item(change)}", old, new, moved


# --- Markdown ------------------------------------------------------------------------------------


def _markdown(diff: Diff) -> list[str]:
    """Lay out the diff as Markdown: a heading, tables, the summary; every value escaped."""
    found = [f"### {markdown(title(diff))}", ""]
    if diff.kind == "rate-card" or diff.card_changes:
        found += [f"**{markdown(say('diff.heading.card'))}**", ""]
        found += _card_table(diff) if diff.card_changes else [markdown(say("diff.card_same")), ""]
    if diff.kind == "estimate":
        found += _markdown_changes(diff)
    elif not diff.quotes:
        found += [markdown(say("diff.no_quotes")), ""]
    elif any(quote.moved for quote in diff.quotes):
        change = say("diff.column.change")
        headers = (
            say("diff.column.estimate"),
            say("figure.nre"),
            change,
            say("explain.custom_total"),
            change,
        )
        rows = [_quote_cells(quote) for quote in diff.quotes if quote.moved]
        found += [f"**{markdown(say('diff.heading.quotes'))}**", ""]
        found += _table(headers, (False, True, True, True, True), rows)
        found += _markdown_lines(fx_lines(diff))
    found += [f"{markdown(line)}  " for line in summary(diff)]
    found[-1] = found[-1].rstrip()
    return found


def _markdown_lines(lines: list[str]) -> list[str]:
    """Return lines as one Markdown paragraph, a line each, then a blank line; none: []."""
    if not lines:
        return []
    return [*(f"{markdown(line)}  " for line in lines[:-1]), markdown(lines[-1]), ""]


def _card_table(diff: Diff) -> list[str]:
    headers = ("", say("view.column.item"), say("diff.column.old"), say("diff.column.new"))
    rows = []
    for change in diff.card_changes:
        old, new = _values(change, diff.currencies)
        rise = change.percent
        moved = signed_percent(rise) if change.mark == "~" and rise is not None else ""
        rows.append((change.mark, item(change), old, new, moved))
    right = (False, False, True, True, True)
    return _table((*headers, say("diff.column.change")), right, rows)


def _markdown_changes(diff: Diff) -> list[str]:
    quote = diff.quotes[0]
    if not quote.changes:
        return [markdown(say("diff.quote_same")), ""]
    currencies = _currencies(quote)
    headers = (
        say("view.column.item"),
        say("diff.column.old"),
        say("diff.column.new"),
        say("diff.column.change"),
    )
    rows = [_change_cells(change, currencies) for change in quote.changes]
    found = [f"**{markdown(say('diff.heading.changes'))}**", ""]
    return found + _table(headers, (False, True, True, True), rows)


# --- JSON ----------------------------------------------------------------------------------------


def _json_value(value: Value, unit: str, currency: str) -> Any:
    if value is None or isinstance(value, int | str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if unit == "money":
        return money_text(value, currency)
    if unit == "rate":
        return rate_text(value, currency)
    if unit == "fx":
        return fx_rate_text(value)
    return plain(value)


def _json_percent(change: Decimal | None) -> str | None:
    return None if change is None else str(change)


def _json_change(change: Change, currencies: tuple[str, str]) -> dict[str, Any]:
    return {
        "section": change.section,
        "item": change.item,
        "field": change.field or None,
        "change": change.mark,
        "unit": change.unit,
        "old": _json_value(change.old, change.unit, currencies[0]),
        "new": _json_value(change.new, change.unit, currencies[1]),
        "percent": _json_percent(change.percent) if change.mark == "~" else None,
    }


def _json_side(side: Side, kind: str) -> dict[str, Any]:
    name = "id" if kind == "estimate" else "name"
    found = {"path": side.path, name: side.name, "version": side.version, "sha256": side.sha256}
    if kind == "estimate":
        del found["version"]
    return found


def _json_figures(side: Figures | None) -> dict[str, Any] | None:
    """Return a quote's figures with one card (None: that card could not price it)."""
    if side is None:
        return None
    return {
        "currency": side.currency,
        "nre": money_text(side.nre, side.currency),
        "total": money_text(side.total, side.currency),
        "rate_card": {
            "name": side.rate_card_name,
            "version": side.rate_card_version,
            "path": side.rate_card,
        },
        "fx": fx_data(side.fx),
    }


def _json_quote(quote: QuoteDiff) -> dict[str, Any]:
    money: Callable[[Decimal | None], str | None] = lambda amount: (  # noqa: E731
        None if amount is None else money_text(amount, quote.current.currency)
    )
    currencies = _currencies(quote)
    return {
        "id": quote.id,
        "path": quote.path,
        "past": _json_figures(quote.past),
        "current": _json_figures(quote.current),
        "diff": {
            "direction": quote.direction,
            "nre": money(quote.change("nre")),
            "nre_percent": _json_percent(quote.percent("nre")),
            "total": money(quote.change("total")),
            "total_percent": _json_percent(quote.percent("total")),
            "changes": [_json_change(change, currencies) for change in quote.changes],
        },
    }


def _json_tally(tally: Tally, currency: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "estimates": tally.estimates,
        "up": tally.up,
        "down": tally.down,
        "unchanged": tally.unchanged,
        "currency_changed": tally.currency_changed,
        "fx_only": tally.fx_only,
        "newly_priced": tally.newly_priced,
    }
    if currency is not None:
        found |= {
            "nre": money_text(tally.nre, currency),
            "total": money_text(tally.total, currency),
        }
    return found


def as_dict(diff: Diff) -> dict[str, Any]:
    """Return the diff as JSON data (docs/json.md): the moved quotes, every estimate counted."""
    tallies = diff.summary()
    zero = Decimal(0)

    def counted(name: str) -> int:
        return sum(getattr(tally, name) for tally in tallies.values())

    # counts add up across currencies; money does not
    every = Tally(
        counted("estimates"),
        counted("up"),
        counted("down"),
        counted("unchanged"),
        counted("currency_changed"),
        counted("fx_only"),
        counted("newly_priced"),
        zero,
        zero,
    )
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": diff.kind,
        "old": _json_side(diff.old, diff.kind),
        "new": _json_side(diff.new, diff.kind),
        "card_changes": [_json_change(change, diff.currencies) for change in diff.card_changes],
        "quotes": [_json_quote(quote) for quote in diff.quotes if quote.moved],
        "summary": {
            **_json_tally(every, None),
            "currencies": {code: _json_tally(t, code) for code, t in tallies.items()},
        },
    }
