"""The English catalog: every label and sentence nrecalc shows people (words.py explains).

Key for key with words_zh.py's Chinese; this module imports nothing, as that one.
"""

from __future__ import annotations

EN: dict[str, str | tuple[str, str]] = {  # words.Entry
    # --- the options ---------------------------------------------------------------------------
    "option.standard": "Standard",
    "option.standard_coaching": "Standard + coaching",
    "option.productize": "Productize",
    "option.custom": "Custom",
    "option.describe.standard_coaching": "{name} + {days} of coaching",
    "option.describe.productize": (
        "in the standard platform's next release; you co-fund {share} of the NRE"
    ),
    "option.describe.custom": "built for you; upgrade charges for the term",
    # --- counts --------------------------------------------------------------------------------
    "count.day": ("{n} day", "{n} days"),
    "count.week": ("{n} week", "{n} weeks"),
    "count.year": ("{n} year", "{n} years"),
    "count.upgrade": ("{n} upgrade", "{n} upgrades"),
    "count.person_week": ("{n} person-week", "{n} person-weeks"),
    "count.platform_upgrade": ("{n} platform upgrade", "{n} platform upgrades"),
    "time.weeks_and_days": "{weeks} + {days}",
    # --- escalation ----------------------------------------------------------------------------
    "rise.internal": ", +{ratio}/yr",
    "rise.customer": ", rising yearly",
    # --- the buyer's sentences (SPEC 7's lifetime view) ---------------------------------------
    "compare.standard": "standard",
    "compare.standard_coaching": "standard + coaching",
    "sentence.custom_more": (
        "Custom costs {amount} more than {standard} over {years}, tax included."
    ),
    "sentence.custom_less": (
        "Custom costs {amount} less than {standard} over {years}, tax included."
    ),
    "sentence.custom_same": "Custom costs the same as {standard} over {years}, tax included.",
    "sentence.upgrades_pass_nre": (
        "Its upgrade charges alone pass the NRE of {nre} after {upgrades}."
    ),
    "sentence.productize_less": (
        "Productize costs {amount} less than custom over {years}, with no upgrade charges, "
        "and is live after {productize_time} instead of {custom_time}."
    ),
    "sentence.productize_same": (
        "Productize costs the same as custom over {years}, with no upgrade charges, "
        "and is live after {productize_time} instead of {custom_time}."
    ),
    "sentence.productize_more": (
        "Productize costs {amount} more than custom over {years}, with no upgrade charges, "
        "and is live after {productize_time} instead of {custom_time}."
    ),
    # --- the quote's figures by name, and their details (the terminal view, --explain, CSV) ----
    "figure.build": "Build",
    "figure.build_subtotal": "Build subtotal",
    "figure.reserve": "Estimate risk reserve",
    # SPEC 7: the ranged lines carry max(reserve, contingency x their mean); this is the second
    "figure.floor": "Contingency on the ranges",
    "figure.charge": "Ranged lines carry",
    "figure.contingency": "Contingency",
    "figure.nre": "NRE",
    "figure.per_upgrade": "Per upgrade",
    "figure.cost_per_upgrade": "Cost per platform upgrade",
    "figure.maintenance_total": "Upgrade charges, total",
    "figure.services_total": "Services total",
    "figure.subtotal": "Subtotal",
    "figure.discount": "Discount",
    "figure.net": "Net",
    "figure.tax": "Tax",
    "figure.total": "Total",
    "figure.onboarding_fee": "Onboarding fee",
    "figure.coaching": "Coaching",
    "figure.detailed": "{figure}, {detail}",  # Tax, 6% · Price per upgrade, year 2
    "figure.year": "Year {year}",  # a row of its own
    "figure.in_year": "year {year}",  # within a row
    "figure.confidence": "{level} confidence",
    "figure.weeks": "{weeks} wk",
    "figure.single_point": "single-point lines",  # what contingency is a share of, with ranges
    # --- the terminal view ---------------------------------------------------------------------
    "view.quote": "Quote {id}",
    "view.dates": "Date {date} · valid until {valid_until}",
    "view.rate_card": "Rate card {name} {version} ({path}) · {currency}",
    "view.amounts_in": "Amounts in {currency}",
    "view.column.item": "Item",
    "column.role": "Role",
    "view.column.derivation": "Derivation",
    "column.amount": "Amount",
    "column.option": "Option",
    "column.time_to_value": "Time to value",
    "column.one_time": "One-time",
    "column.total_incl_tax": "Total, incl. tax",
    "column.upgrade_risk": "Upgrade risk",
    "column.year": "Year",
    "view.column.to_date": "To date",
    "view.column.weeks": "Weeks low/likely/high",
    "view.column.mean": "Mean",
    "view.column.at_mean": "At mean",
    "view.engineers": "{engineers} eng",
    "view.per_week": "{rate}/wk",
    "view.breakdown": "Custom breakdown",
    "view.one_time": "one-time",
    "figure.ranges_at_mean": "ranges at their mean",
    "view.reserve": "P{level} − mean",
    "view.share_of": "{share} of {base}",
    "figure.base_build": "build",
    "view.base.subtotal": "subtotal",
    "view.base.net": "net",
    "view.on_every_upgrade": "on every platform upgrade",
    "view.year_one_price": "year-1 price",
    "figure.upgrade_charges": "Upgrade charges",
    "view.upgrades_per_year": ("{n} upgrade/yr{rise}", "{n} upgrades/yr{rise}"),
    "view.services": "Services",
    "view.per_year": "per year{rise}",
    "view.subtotal": "NRE + upgrade charges",
    "view.subtotal_services": "NRE + upgrade charges + services",
    "flag.figure": "{figure} (NEEDS APPROVAL)",
    "view.ladder": "Your options over {years}",
    "view.lifetime": "Cumulative cost, incl. tax",
    "view.ranges": "Effort ranges, priced at {confidence}",
    "view.ranges_mean": "Ranges at their mean (P50)",
    "view.z": "z {z} × σ",
    # which of the two the ranged lines carry (internal view): the larger, with the other beside
    "view.reserve_applies": "{level} ≥ {floor} ({share})",
    "view.floor_applies": "{share} > {reserve} ({level})",
    "view.ranges_priced": "Ranges as priced",
    "view.plus_reserve": "mean + reserve",
    "view.plus_floor": "mean + contingency",
    "flag.needs_approval": "Needs approval:",
    # --- --explain -----------------------------------------------------------------------------
    "explain.title": "How each figure is computed ({round}: half up to the minor unit)",
    "explain.column.figure": "Figure",
    "explain.column.formula": "Formula",
    "explain.round": "round",
    "explain.part": "{whole}: {part}",  # Build: Data-lake loader · Custom: year 2
    "explain.sum": ("sum of {n} figure above", "sum of {n} figures above"),
    "explain.sigma_total": "σ of the ranges",
    "explain.sigma_formula": "{round}(√(Σ σ²)), each σ unrounded: in quadrature",
    "explain.z_formula": "the standard normal quantile at {confidence}, 6 places",
    "symbol.sigma": "σ",  # a standard deviation
    "symbol.z": "z",  # the normal quantile of the confidence
    "explain.base.build_subtotal": "build subtotal",
    "column.unit_price": "Price per upgrade",
    "column.upgrades": "Upgrades",
    "explain.custom_total": "Custom total",
    "heading.payment": "Payment",
    "explain.one_time_part": "one-time part",
    # a share of a total, to the minor unit: each part rounded down, the units left over going
    # to the largest remainders (SPEC 6, payment schedule)
    "explain.apportioned": "{total} × {cost} ÷ {costs}, by largest remainder",
    "explain.milestone": "{share} × {amount} one-time part, by largest remainder",
    "explain.year_parts": "{parts}: the year's parts of the total",
    "explain.floor": "{whole} − {points} on the single-point lines",
    "explain.carry.reserve": "max({reserve} reserve, {floor} contingency): the reserve",
    "explain.carry.contingency": "max({reserve} reserve, {floor} contingency): the contingency",
    "explain.from_rate_card": "from the rate card",
    "explain.standard_total": "Standard total",
    "explain.custom_less_standard": "Custom less standard",
    "explain.options": "Options over the term",
    "explain.cofunding": "co-funding",
    "explain.of_nre": "{amount} NRE",
    "explain.total": "total",
    "explain.one_time": "{amount} one-time",
    "explain.recurring": "{amount} recurring",
    "explain.discount": "{amount} discount",
    "explain.tax": "{amount} tax",
    "explain.all_in_year_one": "the whole total; later years nothing",
    "explain.charges_after": "Upgrade charges after {upgrades}",
    "explain.charges_added": (
        "the price of upgrade {n}; more than the NRE {nre}",
        "the prices of upgrades 1 to {n} added up; more than the NRE {nre}",
    ),
    # --- CSV: the task cells that name a figure (headers, sections and units are codes) ------
    "csv.discount": "{rate} of the subtotal",
    "csv.cofunding": "Co-funding, {share} of the custom NRE",
    # --- documents: the head -------------------------------------------------------------------
    "document.title": "Quote {id}: {title}",
    "document.kicker": "Contract appendix · Quote {id}",
    # {page} and {pages} become the printer's page counters in the HTML's @page footer.
    "document.page_footer": "Quote {id} · page {page} of {pages}",
    "document.internal": "INTERNAL: not for the customer.",
    "document.internal_shows": "This view shows rates per role, ratios and approval flags.",
    "flag.discount_above_limit": "the {rate} discount is above the rate card's {limit} limit.",
    "fact.customer": "Customer",
    "fact.supplier": "Supplier",
    "fact.address": "Address",
    "fact.contact": "Contact",
    "fact.tax_id": "Tax ID",
    "fact.prepared_by": "Prepared by",
    "fact.date": "Date",
    "fact.date_assumed": "{date} (the day it was made: the estimate has no date)",
    "fact.valid_until": "Valid until",
    "fact.amounts_in": "Amounts in",
    "fact.rate_card": "Rate card",
    # --- documents: headings -------------------------------------------------------------------
    "heading.options": "Your options",
    "heading.side_by_side": "Standard and custom side by side",
    "heading.over_the_years": "Cost over the years",
    "heading.custom_work": "Custom work",
    "heading.one_time": "One-time work (NRE)",
    "heading.every_upgrade": "Every platform upgrade",
    "heading.upgrade_charges": "Upgrade charges: {upgrades} a year for {term}",
    "heading.services": "Services, per year",
    "heading.custom_price": "Price of the custom option",
    "heading.standard_option": "Standard option: {name}",
    "heading.assumptions": "Assumptions",
    "heading.exclusions": "Exclusions",
    "heading.terms": "Terms",
    "heading.acceptance": "Agreed and accepted",
    # --- documents: standard and custom side by side (the terminal's too) ------------------------
    "side.custom_build": "Custom build",
    "side.time_to_go_live": "Time to go live",
    "side.one_time": "One-time cost, excl. tax",
    "side.included": "included",
    "side.per_upgrade_price": "{price}{rise}",
    "side.upgrades": "Platform upgrades in {term}",
    "side.upgrades_included": "{n}, included",
    "side.upgrades_charged": "{n}, charged",
    "side.total": "Total over {term}, incl. tax",
    "side.risk": "Upgrade risk carried by",
    "party.supplier": "the supplier",
    "party.customer": "the customer",
    # --- documents: table columns --------------------------------------------------------------
    "column.recurring": "Recurring, {term}",
    "column.task": "Task",
    "column.effort": "People × weeks",
    "column.rate": "Rate per week",
    "column.service": "Service",
    # --- documents: table rows -----------------------------------------------------------------
    "row.reserve": "Estimate risk reserve, {confidence} confidence",
    "row.reserve_floor": (
        "Contingency on the ranged lines, {rate} of their mean (more than the {confidence} "
        "reserve of {reserve})"
    ),
    "column.payment_for": "Payment for",
    "column.due": "Due",
    "price.free": "no extra cost",
    # the default milestones (models.DEFAULT_PAYMENT), named in the document's language
    "milestone.signing": "Signing",
    "milestone.delivery": "Delivery",
    "milestone.acceptance": "Acceptance",
    "money.spoken": "{money} ({wan})",  # an amount in a sentence, with 万元 (Chinese only)
    "money.wan": "{n} × 10,000 yuan",
    "money.wan_about": "about {n} × 10,000 yuan",
    "punct.colon": ":",
    "view.continued": "{title} (continued)",  # a table's columns moved below it
    "format.date": "{year:04d}-{month:02d}-{day:02d}",  # ISO 8601
    "column.capital": "In capital figures",
    "row.total_capital": "Total in capital figures",
    "schedule.one_time": "One-time work, {share}",
    "schedule.services": "Services, year {year}: {services}",
    "schedule.upgrades": "Upgrade charges, year {year} ({upgrades})",
    "schedule.in_advance": "In advance, at the start of year {year}",
    "schedule.as_delivered": "As the upgrades of year {year} are delivered",
    "row.contingency": "Contingency, {rate} of {base}",
    "row.per_upgrade_year_1": "Cost per upgrade, year 1",
    "row.upgrade_charges": "Upgrade charges, {term}",
    "row.service": "{name}, {term}",
    "row.discount": "Discount, {rate}",
    "row.tax": "Tax, {rate}",
    "row.coaching": "Coaching, {days} × {per_day}",
    "effort.weeks": "{people} × {weeks}",
    "effort.range": "{people} × {low} to {high} weeks (mean {mean})",
    "sign.for_customer": "For the customer",
    "sign.for_supplier": "For the supplier",
    "sign.company": "Company",
    "sign.name": "Name",
    "sign.title": "Title",
    "sign.signature": "Signature",
    # --- documents: the chart ------------------------------------------------------------------
    "chart.title": "Cumulative cost of each option, year by year, tax included",
    "chart.bar": "{option}, year {year}: {amount}",
    # --- documents: text and terms -------------------------------------------------------------
    "document.ranges": (
        "Effort given as a range (best, likely and worst case) is priced at its mean plus "
        "{reserve}: the larger of the estimate risk reserve at {confidence} confidence and the "
        "contingency on the ranged lines, so that a range never costs less than the same work "
        "written as one figure."
    ),
    "document.no_upgrade_work": "No compatibility work is charged on platform upgrades.",
    "document.invoicing": (
        "The custom option's one-time work is invoiced at its milestones, each year's upgrade "
        "charges as that year's upgrades are delivered, and services yearly in advance: no "
        "year is paid before it begins. Every other option is invoiced in full on signing."
    ),
    "document.none_stated": "None stated.",
    "term.validity.title": "Validity.",
    "term.validity": "This quote is valid until {date}, {days} from its date.",
    "term.upgrades.title": "Upgrade charges.",
    "term.upgrades": (
        "The custom total includes {upgrades} over {term} ({per_year} a year) at the price per "
        "upgrade of each year, as above. Each further upgrade is charged at the price per "
        "upgrade of its year."
    ),
    "term.risk.title": "Upgrade risk.",
    "term.risk": (
        "With the standard option the supplier carries the upgrade risk: platform upgrades are "
        "included at no charge. With the custom option the customer carries it: the "
        "compatibility work on every platform upgrade is charged as above."
    ),
    "term.productize.title": "Productize.",
    "term.productize": (
        "With this option the feature joins the standard platform in a release {release} from "
        "signing. The customer co-funds {share} of the custom NRE; platform upgrades are "
        "included at no charge and the supplier carries the upgrade risk."
    ),
    "term.tax.title": "Tax.",
    "term.tax": "Tax of {rate} is charged on the net amounts; the totals include it.",
    # --- documents: the provenance footer ------------------------------------------------------
    "provenance.checked_by": "Provenance, checked by",
    "provenance.reference": "Reference",
    "provenance.view.internal": "internal view",
    "provenance.estimate": "Estimate sha256",
    "provenance.rate_card": "Rate card sha256",
    "provenance.figures": "Figures fingerprint",
    # --- the note ------------------------------------------------------------------------------
    "note.subject": "Subject: Quote {id} — {title}",
    "fact.currency": "{code} ({symbol})",
    "document.invoicing_no_services": (
        "The custom option's one-time work is invoiced at its milestones and each year's "
        "upgrade charges as that year's upgrades are delivered: no year is paid before it "
        "begins. Every other option is invoiced in full on signing."
    ),
    "note.dear": "Dear {customer},",
    "note.thanks": (
        'Thank you for your request, "{title}". We can do it, and we would like you to see it '
        "next to our standard option before you choose."
    ),
    "note.custom_with_upgrades": (
        "The custom work takes {effort}, and you can go live in {lead_time}. It costs {nre} now "
        "(excluding tax) and {per_upgrade} on each platform upgrade{rise}, because every "
        "upgrade needs compatibility work. Over {term}, with {upgrades} a year, that is {total} "
        "in all, tax included{discount}."
    ),
    "note.custom": (
        "The custom work takes {effort}, and you can go live in {lead_time}. It costs {nre} "
        "(excluding tax); over {term} that is {total} in all, tax included{discount}."
    ),
    "note.after_discount": ", after a discount of {amount}",
    "note.standard": (
        "Our standard option, {name}, does the job without custom code: you can go live in "
        "{days} for {total}, tax included, and every platform upgrade is included: we carry the "
        "upgrade risk."
    ),
    "note.standard_free": (
        "Our standard option, {name}, does the job without custom code: you can go live in "
        "{days} at no extra cost, and every platform upgrade is included: we carry the upgrade "
        "risk."
    ),
    "note.productize": (
        "There is a middle way, too: we can build the feature into the standard platform, in a "
        "release {release} from now. You co-fund {share} of the custom work's one-time cost; the "
        "option costs {total} in all, tax included. After that there are no upgrade charges, "
        "and we carry the upgrade risk."
    ),
    "note.choice": (
        "The choice is yours, and we are glad to help with either. The attached quote {id} has "
        "the details; it is valid until {valid_until}."
    ),
    "note.regards": "Kind regards,",
    # --- diff (SPEC 8.2) ---
    "diff.title.card": (
        "Rate card {name}: {old_version} ({old_path}) → {new_version} ({new_path})"
    ),
    "diff.title.estimate": "Quote {id}: {old_path} → {new_path}",
    "diff.heading.card": "What changed in the rate card",
    "diff.card_same": "No rate, fee, policy value or service changed.",
    "diff.heading.quotes": "What it does to the estimates that use it",
    "diff.no_quotes": "No estimate here uses this rate card.",
    "diff.heading.changes": "What changed in the quote",
    "diff.quote_same": "Nothing changed between the two revisions.",
    "diff.column.estimate": "Estimate",
    "diff.column.old": "Before",
    "diff.column.new": "After",
    "diff.column.change": "Change",
    "diff.summary.estimates": ("{n} estimate", "{n} estimates"),
    "diff.summary.in": "{estimates} in {currency}",
    "diff.summary.up": "{n} up",
    "diff.summary.down": "{n} down",
    "diff.summary.unchanged": "{n} unchanged",
    "diff.summary.currency": "{n} in another currency",
    "diff.join": "{first}, {then}",  # the parts of the summary, one after another
    "diff.summary": "{estimates}: {parts}; total {change}",
    "diff.summary.no_total": "{estimates}: {parts}",
    "diff.term.title": "Quote title",
    "diff.term.discount_rate": "Discount rate",
    "diff.term.upgrades_per_year": "Upgrades per year",
    "diff.term.term_years": "Term in years",
    "diff.term.confidence": "Confidence level",
    "diff.field.engineers": "Engineers",
    "diff.field.weeks": "Weeks",
    # --- gates (SPEC 8.3) ---
    "flag.review_figure": "{figure} (NEEDS REVIEW)",
    "flag.needs_review": "Needs review:",
    "flag.nre_above_review": (
        "the NRE of {nre} is above the rate card's review threshold of {limit}."
    ),
    # --- batch (SPEC 8.1) ---
    "batch.heading": ("{n} quote", "{n} quotes"),
    "batch.column.quote": "Quote",
    "batch.column.title": "Project",
    "batch.column.currency": "Currency",
    "batch.column.custom_total": "Custom, incl. tax",
    "batch.column.standard_total": "Standard, incl. tax",
    "batch.column.flags": "Flags",
    "batch.column.quotes": "Quotes",
    "batch.flag.discount_approval": "discount needs approval",
    "batch.flag.review": "NRE needs review",
    "batch.flags_joined": "{first}; {then}",
    "batch.totals": "Totals per currency",
    "batch.no_sum_across": (
        "Each currency adds up on its own: amounts in two currencies are never summed."
    ),
    "batch.failed": (
        "{n} file could not be quoted and is left out of the totals (its errors are on stderr).",
        "{n} files could not be quoted and are left out of the totals (their errors are on "
        "stderr).",
    ),
    # --- currencies (SPEC 8.4) ---
    "fx.rate": "1 {base} = {rate} {currency} ({date}, {source})",
    "fact.fx": "Exchange rate",
    "view.fx": "Exchange rate {rate}",
    "note.fx": "All amounts are in {currency}, converted from our {base} prices at {rate}.",
    "explain.fx_formula": "{rate}: every price of the rate card × {factor}, unrounded",
    "explain.fx_role": "{role}, per person-week",
    "batch.fx": "{ids}: converted at {rate}",
    "diff.term.fx_date": "Exchange rate date",
    # --- report (SPEC 8.6) ---
    "report.heading": ("{n} request quoted {period}", "{n} requests quoted {period}"),
    "report.period.between": "from {since} to {until}",
    "report.period.since": "since {since}",
    "report.period.until": "until {until}",
    "report.period.none": "so far",
    "report.date_assumed": (
        "{n} estimate has no date: it is counted as quoted today, {today}.",
        "{n} estimates have no date: they are counted as quoted today, {today}.",
    ),
    "report.outcomes": "How the requests ended",
    "report.column.outcome": "Outcome",
    "report.column.requests": "Requests",
    "report.column.share": "Share of decided",
    "report.status.open": "Open",
    "report.status.declined": "Declined",
    "report.median": (
        "{n} request decided, {days} from quote to decision.",
        "{n} requests decided, in a median of {days} from quote to decision.",
    ),
    "report.none_decided": "No request of the period is decided yet.",
    "report.won": "Won: the custom work paid for, per currency",
    "report.won_none": "No custom work was won in the period.",
    "report.upgrades": "Upgrade charges of the work won, by year of the term",
    "report.tags": "Requests by tag",
    "report.column.tag": "Tag",
    "report.column.outcomes": "Outcomes",
    "report.column.nre_quoted": "NRE quoted",
    "report.column.nre_paid": "NRE paid",
    "report.flag.candidate": "productize candidate",
    "report.candidates": (
        "A tag asked for {n} time or more is a productize candidate: a case for building it "
        "into the standard platform.",
        "A tag asked for {n} times or more is a productize candidate: a case for building it "
        "into the standard platform.",
    ),
    "report.no_tags": "No request of the period has a tag.",
    "report.tally.open": ("{n} open", "{n} open"),
    "report.tally.custom": ("{n} custom", "{n} custom"),
    "report.tally.standard": ("{n} standard", "{n} standard"),
    "report.tally.productize": ("{n} productize", "{n} productize"),
    "report.tally.declined": ("{n} declined", "{n} declined"),
    "report.list": "The requests, by date",
    "report.column.tags": "Tags",
    "report.column.days": "Days",
    "report.column.note": "Note",
    "report.notes": "What the customers said",
    "fx.card_amount": "{amount} ({card} in the rate card)",
    "explain.fx_service": "{service}, per year",
    "diff.term.fx_source": "Exchange rate source",
    "diff.summary.fx_only": "{n} at another exchange rate only",
    "diff.summary.newly_priced": "{n} newly priced",
    "diff.fx": "{id}: exchange rate {old} → {new}",
}
