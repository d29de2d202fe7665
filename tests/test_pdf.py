"""The PDF appendix (SPEC 6.2), read as a reader reads it: pages, text, fonts, metadata, a picture.

`.ci/run` installs the pdf extra, Pango and a CJK font and sets NRECALC_REQUIRE_PDF=1, so in CI a
missing WeasyPrint or Pango fails these tests; on a developer's machine without them the tests
that need them are skipped. The error lines are tested everywhere: they need neither.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import json
import os
import shutil
import subprocess
import sys
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, ROOT
from test_browser import has_printed, printed_text
from typer.testing import CliRunner

from nrecalc.cli import app
from nrecalc.render import glyphs

pypdf = pytest.importorskip("pypdf")  # in the test extras; always there in CI

A4 = (Decimal("595.28"), Decimal("841.89"))  # 210 x 297 mm in points
REFERENCES = Path(__file__).resolve().parent / "pdf"
# Pages of each example's appendix in English, with the fonts Debian gives (Liberation Sans for
# Helvetica and Arial, DejaVu Sans for the rest): the same layout engine and fonts, the same pages.
PAGES = {
    ("discount-approval", "customer"): 3,
    ("discount-approval", "internal"): 4,
    ("multi-role", "customer"): 4,
    ("multi-role", "internal"): 5,
    ("reverse-push", "customer"): 4,
    ("reverse-push", "internal"): 4,
    ("reverse-push-zh", "customer"): 4,
    ("reverse-push-zh", "internal"): 4,
    ("telemetry-bridge", "customer"): 5,
    ("telemetry-bridge", "internal"): 5,
}
# Chinese text takes the CJK font the machine has (Noto Sans CJK, or WenQuanYi Micro Hei as
# .ci/run installs it): their widths differ, so a page more or less is allowed.
CHINESE_PAGES = {"zh-CN": range(3, 6), "zh-CN+en": range(4, 7)}
MISSING_EXTRA = "error: PDF output needs WeasyPrint, an optional extra: pip install 'nrecalc[pdf]'"
MISSING_PANGO = (
    "error: PDF output needs the Pango library, which WeasyPrint cannot load: "
    "apt-get install libpango-1.0-0 libpangoft2-1.0-0"
)


def weasyprint() -> Any:
    """Return WeasyPrint, or skip (fail in CI) when it or the Pango it loads is missing."""
    required = os.environ.get("NRECALC_REQUIRE_PDF") == "1"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import weasyprint
    except ImportError:
        if required:
            pytest.fail("WeasyPrint is required here but not installed: pip install '.[pdf]'")
        pytest.skip("WeasyPrint is not installed: pip install 'nrecalc[pdf]'")
    except OSError:
        if required:
            pytest.fail("Pango is required here: apt-get install libpango-1.0-0 libpangoft2-1.0-0")
        pytest.skip("Pango is not installed: apt-get install libpango-1.0-0 libpangoft2-1.0-0")
    return weasyprint


def quote(*args: str) -> str:
    result = CliRunner().invoke(app, ["quote", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def make_pdf(target: Path, *args: str) -> Any:
    """Write a PDF with nrecalc quote ... -o target; return it read by pypdf."""
    weasyprint()
    result = CliRunner().invoke(app, ["quote", *args, "-o", str(target)])
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    return pypdf.PdfReader(target)


def pages_text(pdf: Path, count: int) -> list[str]:
    """Return each page's text as poppler reads it (pypdf maps some CJK glyphs to radicals)."""
    return printed_text(pdf).split("\f")[:count]


def embedded_fonts(reader: Any) -> dict[str, set[str]]:
    """Return each font the pages use, by name, with the font file keys its descriptor has."""
    found: dict[str, set[str]] = {}
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {}).get_object()
        for ref in fonts.values():
            font = ref.get_object()
            if "/DescendantFonts" in font:  # a composite font: the glyphs are its descendant's
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font["/FontDescriptor"].get_object()
            files = {key for key in ("/FontFile", "/FontFile2", "/FontFile3") if key in descriptor}
            found[str(font["/BaseFont"])] = files
    return found


def provenance_line(reader: Any) -> str:
    line = reader.metadata["/nrecalc-provenance"]
    assert isinstance(line, str)
    return line


# --- the appendix, as printed ------------------------------------------------------------------


@pytest.mark.parametrize(("name", "audience"), sorted(PAGES))
def test_pdf_is_the_appendix_on_a4(
    name: str, audience: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    example = str(EXAMPLES / f"{name}.yaml")
    target = tmp_path / "quote.pdf"
    reader = make_pdf(target, example, "--lang", "en", "--audience", audience)
    data = json.loads(quote(example, "--format", "json"))

    assert len(reader.pages) == PAGES[name, audience]
    for page in reader.pages:
        size = (Decimal(str(page.mediabox.width)), Decimal(str(page.mediabox.height)))
        assert all(abs(got - want) < 1 for got, want in zip(size, A4, strict=True)), size
    pages = pages_text(target, len(reader.pages))
    for number, text in enumerate(pages, 1):  # the page footer, exactly as printed
        footer = f"Quote {data['quote']['id']} · page {number} of {len(pages)}"
        assert has_printed(text, footer), text[-300:]
    text = " ".join(" ".join(pages).split())
    for figure in (data["custom"]["total"], data["custom"]["nre"]):
        assert f"¥{Decimal(figure):,.2f}" in text
    for part in data["custom"]["schedule"]:
        assert f"¥{Decimal(part['amount']):,.2f}" in text
    # The signature block is on one page, and never alone on it: the last term comes along.
    signing = [page for page in pages if "For the customer" in page]
    assert len(signing) == 1
    assert signing[0].count("Signature") == 2 and "For the supplier" in signing[0]
    before = signing[0].split("8. Agreed and accepted")[0]
    assert "Tax. Tax of" in " ".join(before.split())
    # Every font is embedded, as a subset (its name starts with a six-letter tag).
    fonts = embedded_fonts(reader)
    assert fonts and all(files for files in fonts.values()), fonts
    assert all(name[1:8].isupper() and name[7] == "+" for name in fonts), fonts
    line = provenance_line(reader)
    assert f" format=pdf audience={audience} " in line


@pytest.mark.parametrize("language", ["zh-CN", "zh-CN+en"])
def test_chinese_pdf_embeds_a_chinese_font(
    language: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    example = str(EXAMPLES / "reverse-push-zh.yaml")
    target = tmp_path / "quote.pdf"
    reader = make_pdf(target, example, "--lang", language)
    data = json.loads(quote(example, "--format", "json"))

    assert len(reader.pages) in CHINESE_PAGES[language]
    pages = pages_text(target, len(reader.pages))
    for number, text in enumerate(pages, 1):
        footer = f"报价单 {data['quote']['id']} · 第 {number} 页，共 {len(pages)} 页"
        assert has_printed(text, footer), text[-300:]
    text = " ".join(" ".join(pages).split())
    assert "深圳某某机器人有限公司" in text and "2026年11月22日" in text
    assert "人民币肆拾捌万叁仟陆佰壹拾壹元柒角伍分" in text  # the total in capital figures
    for part in data["custom"]["schedule"]:
        assert f"¥{Decimal(part['amount']):,.2f}" in text
    if language == "zh-CN+en":
        assert "付款安排 / Payment" in text and "Agreed and accepted" in text
    signing = [page for page in pages if "确认签署" in page]
    assert len(signing) == 1 and "税费" in signing[0].split("确认签署")[0]
    fonts = embedded_fonts(reader)
    assert all(files for files in fonts.values()), fonts
    assert f" lang={language} " in provenance_line(reader)
    assert reader.metadata["/Title"].startswith(f"报价单 {data['quote']['id']}")


# --- the same bytes, and the metadata -----------------------------------------------------------


def test_the_same_inputs_give_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    example = str(EXAMPLES / "reverse-push-zh.yaml")
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    make_pdf(first, example, "--format", "pdf")
    make_pdf(second, example)  # -o FILE.pdf alone says the format
    assert first.read_bytes() == second.read_bytes()
    # and in another process, from another folder, at another time
    monkeypatch.chdir(tmp_path)
    third = tmp_path / "c.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "nrecalc", "quote", example, "-o", str(third)],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    assert third.read_bytes() == first.read_bytes()


def test_metadata_names_the_quote_and_no_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    card = (ROOT / "rates" / "default.yaml").read_text(encoding="utf-8")
    card += "supplier:\n  name: Open Platform Robotics Ltd.\n  email: sales@example.com\n"
    (tmp_path / "card.yaml").write_text(card, encoding="utf-8")
    example = str(EXAMPLES / "reverse-push.yaml")
    reader = make_pdf(tmp_path / "q.pdf", example, "--rates", "card.yaml")
    data = json.loads(quote(example, "--rates", "card.yaml", "--format", "json"))

    info = reader.metadata
    title = f"Quote {data['quote']['id']}: {data['quote']['title']}"
    assert (info["/Title"], info["/Subject"]) == (title, data["quote"]["customer"])
    assert info["/Author"] == "Open Platform Robotics Ltd."
    assert info["/Creator"].startswith("nrecalc ")
    assert "/CreationDate" not in info and "/ModDate" not in info
    line = provenance_line(reader)
    fields = dict(field.split("=", 1) for field in line.split()[1:])
    assert line.startswith("nrecalc-provenance: version=")
    assert fields["format"] == "pdf" and fields["audience"] == "customer"
    assert (
        fields["estimate"]
        == hashlib.sha256((EXAMPLES / "reverse-push.yaml").read_bytes()).hexdigest()
    )
    assert fields["rate-card"] == hashlib.sha256((tmp_path / "card.yaml").read_bytes()).hexdigest()
    assert len(fields["seal"]) == 64 and len(fields["figures"]) == 16
    # the file identifier is made from the provenance: the same quote, the same /ID
    identifier = hashlib.sha256(line.encode("utf-8")).hexdigest()[:32].encode("ascii")
    assert reader.trailer["/ID"][0].original_bytes == identifier


def test_a_company_template_prints_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "company.html.j2").write_text(
        "<!DOCTYPE html><html><head><title>Angebot {{ quote.id }}</title></head>"
        "<body><h1>Acme GmbH</h1><p>{{ custom.total }}</p>"
        "<!-- {{ provenance.marker }} --></body></html>\n",
        encoding="utf-8",
    )
    example = str(EXAMPLES / "reverse-push.yaml")
    target = tmp_path / "q.pdf"
    reader = make_pdf(target, example, "--template", "company.html.j2")
    assert len(reader.pages) == 1 and reader.metadata["/Title"] == "Angebot Q-2026-0042"
    text = " ".join(printed_text(target).split())
    assert "Acme GmbH ¥509,065.00" in text
    assert " template=" in provenance_line(reader)


def test_a_company_template_fetches_no_file_for_a_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    weasyprint()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "secret.txt").write_text("not for the customer\n", encoding="utf-8")
    (tmp_path / "t.html.j2").write_text(
        f'<html><body><img src="{(tmp_path / "secret.txt").as_uri()}"></body></html>\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app,
        ["quote", str(EXAMPLES / "reverse-push.yaml"), "--template", "t.html.j2", "-o", "q.pdf"],
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("t.html.j2: error: refers to 'file:///")
    assert result.stderr.endswith(
        "which a PDF cannot fetch: write images and fonts into the template as data: URLs\n"
    )
    assert not (tmp_path / "q.pdf").exists()


# --- a picture of a page ------------------------------------------------------------------------

# Mean absolute difference of two page pictures (grey, 0 to 255) at 20 dpi, below which they are
# the same page. Measured on the English page 1: 0.0 against itself (also with only Debian's
# fonts-liberation and fonts-dejavu configured); 0.07 with three engineers for two (a changed
# figure is the text tests' to find, not the picture's); 16.6 when a longer customer name wraps
# and moves the page down; 19.1 for the internal view; 26.7 for another example's page 1.
SAME_PAGE = 2.0
# The Chinese page looks as the CJK font draws it: one picture for each font .ci/run may find
# (Noto Sans CJK against WenQuanYi Micro Hei: 9.4 apart, as their line heights differ).
CJK_FONTS = {"Noto-Sans-CJK": "noto", "WenQuanYi-Micro-Hei": "wqy"}


def picture(pdf: Path, page: int, out: Path) -> Any:
    from PIL import Image

    found = shutil.which("pdftoppm")
    if found is None:
        if os.environ.get("NRECALC_REQUIRE_PDF") == "1":
            pytest.fail("pdftoppm is required here (apt-get install poppler-utils)")
        pytest.skip("pdftoppm is not installed (Debian: apt-get install poppler-utils)")
    stem = out.with_suffix("")
    args = [found, "-r", "20", "-f", str(page), "-l", str(page), "-png", "-singlefile"]
    subprocess.run([*args, str(pdf), str(stem)], check=True, timeout=60)
    return Image.open(out).convert("L")


def difference(one: Any, other: Any) -> float:
    from PIL import ImageChops, ImageStat

    assert one.size == other.size
    return float(ImageStat.Stat(ImageChops.difference(one, other)).mean[0])


@pytest.mark.parametrize(
    ("reference", "args", "page"),
    [
        ("reverse-push.page1.png", ("reverse-push.yaml",), 1),
        ("reverse-push-zh.page4.{font}.png", ("reverse-push-zh.yaml", "--lang", "zh-CN"), 4),
    ],
)
def test_a_page_looks_as_it_did(
    reference: str,
    args: tuple[str, ...],
    page: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    monkeypatch.chdir(ROOT)
    target = tmp_path / "q.pdf"
    reader = make_pdf(target, str(EXAMPLES / args[0]), *args[1:])
    if "{font}" in reference:
        fonts = " ".join(embedded_fonts(reader))
        font = next((tag for name, tag in CJK_FONTS.items() if name in fonts), None)
        if font is None:
            pytest.skip(f"no picture of the page in the CJK font found here: {fonts}")
        reference = reference.format(font=font)
    seen = picture(target, page, tmp_path / "page.png")
    if request.config.getoption("--update-golden"):
        seen.save(REFERENCES / reference)
    expected = picture_file(REFERENCES / reference)
    assert difference(seen, expected) < SAME_PAGE


def picture_file(path: Path) -> Any:
    from PIL import Image

    return Image.open(path).convert("L")


# --- what is missing, in one line ----------------------------------------------------------------


class _Refuse(importlib.abc.MetaPathFinder):
    """Make `import weasyprint` fail as it does when its system libraries are missing."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> None:
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libgobject-2.0-0'")


def refused(tmp_path: Path, *args: str) -> tuple[int, str]:
    example = str(EXAMPLES / "reverse-push-zh.yaml")
    result = CliRunner().invoke(app, ["quote", example, *args, "-o", str(tmp_path / "q.pdf")])
    assert not (tmp_path / "q.pdf").exists() and list(tmp_path.iterdir()) == []
    return result.exit_code, result.stderr


def test_without_the_extra_one_line_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint: ImportError
    assert refused(tmp_path) == (1, f"{tmp_path / 'q.pdf'}: {MISSING_EXTRA}\n")


def test_without_pango_one_line_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [name for name in sys.modules if name.split(".")[0] == "weasyprint"]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_Refuse(), *sys.meta_path])
    assert refused(tmp_path, "--format", "pdf") == (1, f"{tmp_path / 'q.pdf'}: {MISSING_PANGO}\n")


def test_without_pango_for_the_font_check_one_line_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    weasyprint()

    def fail(text: str) -> list[str]:
        raise OSError("cannot load pango-1.0")

    monkeypatch.setattr(glyphs, "missing", fail)
    assert refused(tmp_path) == (1, f"{tmp_path / 'q.pdf'}: {MISSING_PANGO}\n")


def test_without_a_chinese_font_one_line_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    weasyprint()
    monkeypatch.setattr(glyphs, "missing", lambda text: ["A", "报", "价"])
    assert refused(tmp_path) == (
        1,
        f"{tmp_path / 'q.pdf'}: error: no installed font covers the Chinese text "
        "('报' U+62A5 and 1 more): apt-get install fonts-noto-cjk (or fonts-wqy-microhei)\n",
    )
    monkeypatch.setattr(glyphs, "missing", lambda text: ["😀"])
    assert refused(tmp_path) == (
        1,
        f"{tmp_path / 'q.pdf'}: error: no installed font has a glyph for '😀' U+1F600: "
        "install a font that has them\n",
    )


@pytest.mark.parametrize(
    ("name", "lang"), [("reverse-push-zh.yaml", "zh-CN"), ("reverse-push.yaml", "zh-CN+en")]
)
def test_a_machine_without_a_chinese_font_writes_no_pdf(
    name: str, lang: str, tmp_path: Path
) -> None:
    """A real process on a machine whose fontconfig knows no font: no PDF of boxes."""
    weasyprint()
    empty = tmp_path / "fonts"
    empty.mkdir()
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><dir>{empty}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    target = tmp_path / "q.pdf"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "nrecalc",
            "quote",
            str(EXAMPLES / name),
            "--lang",
            lang,
            "-o",
            str(target),
        ],
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "FONTCONFIG_FILE": str(config)},
    )
    assert done.returncode == 1
    said = done.stderr.decode("utf-8")
    assert said.startswith(f"{target}: error: no installed font covers the Chinese text ('报' ")
    assert said.endswith(" more): apt-get install fonts-noto-cjk (or fonts-wqy-microhei)\n")
    assert said.count("\n") == 1
    assert not target.exists()


def test_glyphs_finds_what_no_font_has() -> None:
    weasyprint()
    assert glyphs.missing("Quote ¥509,065.00 · page 1 of 4") == []
    private = "\U000f0000"  # a private-use character no font is expected to have
    assert glyphs.missing(f"Quote {private} done {private}") == [private]
    assert glyphs.is_cjk("报") and glyphs.is_cjk("，") and not glyphs.is_cjk("¥")


# --- nrecalc verify FILE.pdf ----------------------------------------------------------------------


def verify(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["verify", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the rate card and the Chinese and English examples, as the current one."""
    shutil.copytree(ROOT / "rates", tmp_path / "rates")
    for name in ("reverse-push.yaml", "reverse-push-zh.yaml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("name", ["reverse-push", "reverse-push-zh"])
def test_an_untouched_pdf_verifies(here: Path, name: str) -> None:
    make_pdf(here / "q.pdf", f"{name}.yaml")
    code, out, err = verify("q.pdf", f"{name}.yaml")
    assert (code, err) == (0, ""), out
    assert out.splitlines()[0] == "q.pdf: intact: not altered after it was issued (its seal holds)"
    assert out.splitlines()[1].startswith(f"q.pdf: same quote: {name}.yaml and rates/default.yaml")


def test_a_changed_rate_card_is_named(here: Path) -> None:
    make_pdf(here / "q.pdf", "reverse-push.yaml")
    card = here / "rates" / "default.yaml"
    card.write_text(card.read_text(encoding="utf-8").replace("engineer: 25000", "engineer: 26000"))
    code, out, _ = verify("q.pdf", "reverse-push.yaml")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("rates/default.yaml: error: changed since the document was made")
    assert lines[-1].startswith(
        "q.pdf: the inputs changed: rates/default.yaml changed since it was issued"
    )


def test_a_figure_edited_in_the_pdf_is_named(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An edited PDF: the same provenance in its metadata, another figure on its page (made as a
    # forger would, printing an edited page with nrecalc's own metadata).
    from nrecalc.render import document

    render = document.render

    def forged(*args: Any, **kwargs: Any) -> str:
        return render(*args, **kwargs).replace("¥69,960.00", "¥96,960.00")

    monkeypatch.setattr(document, "render", forged)
    make_pdf(here / "q.pdf", "reverse-push.yaml")
    monkeypatch.setattr(document, "render", render)
    code, out, _ = verify("q.pdf", "reverse-push.yaml")
    assert code == 1
    assert "error: the document says 'One-time work, 40% Delivery ¥96,960.00' where a fresh " in out
    assert "q.pdf: altered after it was issued: its text does not match its seal" in out


def test_a_file_that_is_no_pdf_is_one_error(here: Path) -> None:
    (here / "q.pdf").write_text("hello", encoding="utf-8")
    code, out, err = verify("q.pdf", "reverse-push.yaml")
    assert (code, out) == (1, "")
    assert err == "q.pdf: error: not a PDF; verify reads the PDF nrecalc quote wrote\n"
    (here / "q.pdf").write_bytes(b"%PDF-1.7\n\x00garbage")
    code, out, err = verify("q.pdf", "reverse-push.yaml")
    assert (code, out) == (1, "")
    assert err == "q.pdf: error: a PDF that cannot be read (damaged or not nrecalc's)\n"


def test_verify_without_pypdf_says_what_to_install(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (here / "q.pdf").write_bytes(b"%PDF-1.7\n")
    monkeypatch.setitem(sys.modules, "pypdf", None)  # import pypdf raises ImportError
    code, out, err = verify("q.pdf", "reverse-push.yaml")
    assert (code, out) == (1, "")
    install = "pip install 'nrecalc[pdf]'"
    assert err == f"q.pdf: error: verify reads a PDF with pypdf, in the pdf extra: {install}\n"
