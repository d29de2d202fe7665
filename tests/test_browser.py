"""The HTML appendix in a real browser: headless Chromium prints it to an A4 PDF.

`.ci/run` installs Debian's chromium and sets NRECALC_REQUIRE_BROWSER=1, so in CI a missing
browser fails these tests; on a developer's machine without Chromium they are skipped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT
from typer.testing import CliRunner

from nrecalc.cli import app

pypdf = pytest.importorskip("pypdf")  # in the test extras; always there in CI

A4 = (Decimal("595.28"), Decimal("841.89"))  # 210 x 297 mm in points; Letter is 612 x 792
CASES = [
    (name, audience)
    for name in ("discount-approval", "multi-role", "reverse-push", "telemetry-bridge")
    for audience in ("customer", "internal")
]
# How many pages a document takes depends on the fonts Chromium finds: the test checks what holds
# with any of them (each page's footer counts the real pages; the signature block is on one page).
PAGE_RANGE = range(2, 9)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("NRECALC_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required here but not installed (apt-get install chromium)")
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    return found


def print_to_pdf(html: Path, pdf: Path, profile: Path) -> None:
    done = subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", html.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0 and pdf.exists(), done.stderr[-2000:]


def printed_text(pdf: Path) -> str:
    """Return a PDF's text as poppler's pdftotext reads it, pages apart by form feeds."""
    found = shutil.which("pdftotext")
    if found is None:
        if os.environ.get("NRECALC_REQUIRE_BROWSER") == "1":
            pytest.fail(
                "pdftotext is required here but not installed (apt-get install poppler-utils)"
            )
        pytest.skip("pdftotext is not installed (Debian: apt-get install poppler-utils)")
    done = subprocess.run([found, str(pdf), "-"], capture_output=True, timeout=60, check=True)
    return done.stdout.decode("utf-8")


def has_printed(text: str, words: str) -> bool:
    """Tell whether a page's text holds words exactly as printed, each space included.

    Text extraction may put runs of spaces between words, and some pypdf versions join the
    footer to the next line ("… page 2 of 42. Custom work"), so only runs of white space are
    folded and the words are looked for anywhere in the text.
    """
    return words in " ".join(text.split())


def quote(*args: str) -> str:
    result = CliRunner().invoke(app, ["quote", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(("name", "audience"), CASES)
def test_html_prints_on_a4_with_the_totals(
    name: str, audience: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    example = str(EXAMPLES / f"{name}.yaml")
    html = tmp_path / "quote.html"
    html.write_text(quote(example, "--format", "html", "--audience", audience), encoding="utf-8")
    data = json.loads(quote(example, "--format", "json"))
    pdf = tmp_path / "quote.pdf"
    print_to_pdf(html, pdf, tmp_path / "profile")

    reader = pypdf.PdfReader(pdf)
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) in PAGE_RANGE
    for page in reader.pages:
        size = (Decimal(str(page.mediabox.width)), Decimal(str(page.mediabox.height)))
        assert all(abs(got - want) < 1 for got, want in zip(size, A4, strict=True)), (
            size
        )  # Chromium rounds
    count = len(pages)
    for number, text in enumerate(pages, 1):  # the page footer, exactly as printed
        footer = f"Quote {data['quote']['id']} · page {number} of {count}"
        assert has_printed(text, footer), text[:300]
    text = "\n".join(pages)
    for figure in (data["custom"]["total"], data["custom"]["nre"], data["standard"]["total"]):
        # the customer reads a free option as "no extra cost", never ¥0.00
        free = not Decimal(figure) and audience == "customer"
        shown = "no extra cost" if free else f"¥{Decimal(figure):,.2f}"
        assert shown in text
    for part in data["custom"]["schedule"]:
        assert f"¥{Decimal(part['amount']):,.2f}" in text
    # The signature block is never split across pages; the provenance is on the last page.
    signing = [text for text in pages if "For the customer" in text]
    assert len(signing) == 1
    assert signing[0].count("Signature") == 2 and "For the supplier" in signing[0]
    last = pages[-1].replace("\n", "")
    if audience == "internal":  # the provenance in full
        assert data["estimate"]["sha256"] in last
    else:  # one short reference line: the version and 12 digits of the fingerprint
        assert re.search(r"Reference: nrecalc \d+\.\d+\.\d+ · [0-9a-f]{12}$", last), last[-200:]
        assert data["estimate"]["sha256"] not in last


@pytest.mark.parametrize("language", ["zh-CN", "zh-CN+en"])
def test_chinese_html_prints_on_a4_with_capital_figures(
    language: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # .ci/run installs a CJK font (fonts-wqy-microhei): the text is checked as printed.
    monkeypatch.chdir(ROOT)
    example = str(EXAMPLES / "reverse-push-zh.yaml")
    html = tmp_path / "quote.html"
    html.write_text(quote(example, "--format", "html", "--lang", language), encoding="utf-8")
    data = json.loads(quote(example, "--format", "json"))
    pdf = tmp_path / "quote.pdf"
    print_to_pdf(html, pdf, tmp_path / "profile")

    reader = pypdf.PdfReader(pdf)
    for page in reader.pages:
        assert abs(Decimal(str(page.mediabox.width)) - A4[0]) < 1
    # pypdf reads some CJK glyphs as radicals (⻚ for 页); poppler maps them as written
    pages = printed_text(pdf).split("\f")[: len(reader.pages)]
    assert len(pages) in PAGE_RANGE
    count = len(pages)
    for number, text in enumerate(pages, 1):
        footer = f"报价单 {data['quote']['id']} · 第 {number} 页，共 {count} 页"
        assert has_printed(text, footer), text[:300]
    text = " ".join(" ".join(pages).split())
    assert "深圳某某机器人有限公司" in text and "2026年11月22日" in text
    assert "人民币肆拾捌万叁仟陆佰壹拾壹元柒角伍分" in text  # the total in capital figures
    for part in data["custom"]["schedule"]:
        assert f"¥{Decimal(part['amount']):,.2f}" in text
    if language == "zh-CN+en":
        assert "付款安排 / Payment" in text and "Agreed and accepted" in text
    # no table wider than the page: Chromium scales nothing, so a cut cell loses its text
    assert "¥483,611.75" in text and ("无额外费用" in text)
