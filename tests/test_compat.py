"""Documents already sent keep verifying in every later version (tests/compat/README.md).

The documents under tests/compat/ were made by earlier versions and are never regenerated: if a
test here fails, this version broke `nrecalc verify` for documents customers hold.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT
from test_verify import replace, reseal, run, unseal

from nrecalc import __version__

COMPAT = ROOT / "tests" / "compat"
SCHEME1 = COMPAT / "scheme1"
SCHEME2 = COMPAT / "scheme2"
SCHEME3 = COMPAT / "scheme3"
SCHEME4 = COMPAT / "scheme4"
SCHEME1_NOTICE = (
    "{doc}: notice: made by nrecalc 0.1.0 with provenance scheme 1, which has no seal: checked "
    "are the sha256 of its inputs and every amount it shows, not its wording\n"
)
CANNOT_TELL = "{doc}: cannot tell whether it was altered after it was issued: scheme 1 has no seal"


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Copy a folder of documents to a temporary one, the current folder, to edit them there."""

    def copy(folder: Path) -> None:
        shutil.copytree(folder, tmp_path, dirs_exist_ok=True)
        monkeypatch.chdir(tmp_path)

    return copy


def test_the_documents_are_the_ones_committed() -> None:
    # SHA256SUMS holds each file as committed (`sha256sum -c SHA256SUMS` in the folder): a file
    # regenerated or edited would prove nothing about the documents customers hold.
    lines = (COMPAT / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    committed = {name: sha for sha, name in (line.split("  ", 1) for line in lines)}
    found = {
        path.relative_to(COMPAT).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(COMPAT.rglob("*"))
        if path.is_file() and path.name not in ("README.md", "SHA256SUMS")
    }
    assert found == committed


# 0.4.0 changed the payment schedule (SPEC 6): the milestones divide the one-time part, and the
# upgrade charges are billed year by year. Documents made before it show the milestones of the
# whole-term total. Verify must still read them, find them intact (their seal), find their inputs
# unchanged, match every other amount they show, and name exactly the milestone lines as what a
# newer nrecalc prices differently: never call them altered, never blame the inputs.
MILESTONES_1 = [("¥152,719.50", "¥52,470.00"), ("¥203,626.00", "¥69,960.00")]  # the fresh 30%, 40%
MILESTONES_2 = [("¥427,572.45", "¥156,898.80"), ("¥570,096.59", "¥209,198.39")]


def repriced(doc: str, milestones: list[tuple[str, str]]) -> list[str]:
    """Return what verify says of the milestone lines a newer nrecalc prices differently."""
    (then_30, now_30), (then_40, now_40) = milestones
    text = Path(doc).read_text(encoding="utf-8")
    first = text.count("\n", 0, text.index(f">{then_30}<" if doc.endswith("html") else then_30))
    said = [(then_30, now_30), (then_40, now_40), (then_30, now_30)]
    return [
        f"{doc}:{first + 1 + k}: error: the document says {then!r} where a fresh quote says {now!r}"
        for k, (then, now) in enumerate(said)
    ]


def reprices_1(doc: str) -> str:
    return (
        f"{doc}: same inputs, other amounts: nrecalc {__version__} prices them differently, "
        "or the document was edited (scheme 1 cannot tell which)"
    )


def reprices_2(doc: str) -> list[str]:
    return [
        f"{doc}: its seal holds, but its amounts differ from a fresh quote: the document, or the "
        "rules, changed since it was issued",
        f"{doc}: same inputs, other figures: nrecalc {__version__} prices them differently than "
        f"0.2.0 did (fingerprint efb5ba12f8776fd7 then, {fingerprint_now()} now)",
    ]


def fingerprint_now() -> str:
    from test_provenance import quote_of

    from nrecalc.render.provenance import fingerprint

    return fingerprint(quote_of(SCHEME2 / "telemetry-bridge.yaml"), 2)


@pytest.mark.parametrize("doc", ["reverse-push.md", "reverse-push.html"])
def test_scheme_1_documents_verify_by_their_inputs_and_amounts(
    monkeypatch: pytest.MonkeyPatch, doc: str
) -> None:
    monkeypatch.chdir(SCHEME1)
    code, out, err = run("verify", doc, "reverse-push.yaml", "--rates", "rates/default.yaml")
    assert (code, err) == (1, SCHEME1_NOTICE.format(doc=doc))
    # Every amount but the three milestones matches a fresh quote, its all-in customer view or
    # its full view (where the zero rows and the contingency 0.1.0 showed the customer are).
    assert out.splitlines() == [
        *repriced(doc, MILESTONES_1),
        CANNOT_TELL.format(doc=doc),
        reprices_1(doc),
    ]


@pytest.mark.parametrize("doc", ["reverse-push.md", "reverse-push.html"])
def test_an_amount_edited_in_a_scheme_1_document_is_named(
    copy: Callable[[Path], None], doc: str
) -> None:
    copy(SCHEME1)
    line = replace(Path(doc), "¥509,065.00", "¥590,065.00")  # the custom total, on the ladder
    code, out, err = run("verify", doc, "reverse-push.yaml", "--rates", "rates/default.yaml")
    assert (code, err) == (1, SCHEME1_NOTICE.format(doc=doc))
    assert out.splitlines() == [
        f"{doc}:{line}: error: the document says '¥165,000.00 | ¥315,250.00 | ¥590,065.00' on "
        "this line, which no line of a fresh quote does",
        *repriced(doc, MILESTONES_1),
        CANNOT_TELL.format(doc=doc),
        reprices_1(doc),
    ]


def test_a_scheme_1_document_names_an_input_that_changed(copy: Callable[[Path], None]) -> None:
    copy(SCHEME1)
    rates = Path("rates/default.yaml")
    replace(rates, "engineer: 25000", "engineer: 26000")
    code, out, _ = run("verify", "reverse-push.md", "reverse-push.yaml", "--rates", str(rates))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("rates/default.yaml: error: changed since the document was made")
    assert "reverse-push.md:45: error: the document says '¥150,000.00' where a fresh quote" in out
    assert lines[-1] == (
        "reverse-push.md: the inputs changed: rates/default.yaml changed since it was issued"
    )


# --- scheme 2: made by nrecalc 0.2.0 ------------------------------------------------------------


def verify_scheme_2(doc: str) -> tuple[int, str, str]:
    return run("verify", doc, "telemetry-bridge.yaml", "--rates", "rates/default.yaml")


@pytest.mark.parametrize("doc", ["telemetry-bridge.md", "telemetry-bridge.html"])
def test_scheme_2_documents_verify(monkeypatch: pytest.MonkeyPatch, doc: str) -> None:
    monkeypatch.chdir(SCHEME2)
    assert "version=0.2.0 scheme=2 " in Path(doc).read_text(encoding="utf-8")
    code, out, err = verify_scheme_2(doc)
    notice = (
        f"{doc}: notice: made by nrecalc 0.2.0, checked by {__version__}: wording is compared "
        "only within one version; the seal, the inputs, the figures and the amounts it shows "
        "are checked\n"
    )
    assert (code, err) == (1, notice)
    assert out.splitlines() == [*repriced(doc, MILESTONES_2), *reprices_2(doc)]


@pytest.mark.parametrize("doc", ["telemetry-bridge.md", "telemetry-bridge.html"])
def test_an_edited_scheme_2_document_is_altered(copy: Callable[[Path], None], doc: str) -> None:
    copy(SCHEME2)
    line = replace(Path(doc), "¥1,425,241.49", "¥1,452,241.49")  # the custom total
    code, out, _ = verify_scheme_2(doc)
    assert code == 1
    assert out.splitlines()[0] == (  # the ladder's custom row
        f"{doc}:{line}: error: the document says '¥493,392.44 | ¥851,175.00 | ¥1,452,241.49' "
        "on this line, which no line of a fresh quote does"
    )
    assert out.splitlines()[-2:] == [
        f"{doc}: altered after it was issued: its text does not match its seal",
        reprices_2(doc)[1],
    ]


@pytest.mark.parametrize("doc", ["telemetry-bridge.md", "telemetry-bridge.html"])
def test_words_edited_in_a_scheme_2_document_are_an_alteration(
    copy: Callable[[Path], None], doc: str
) -> None:
    copy(SCHEME2)
    replace(Path(doc), "Northwind Logistics", "Northwind Logistic")
    code, out, _ = verify_scheme_2(doc)
    assert code == 1
    assert out.splitlines() == [
        *repriced(doc, MILESTONES_2),
        f"{doc}: altered after it was issued: its text does not match its seal",
        reprices_2(doc)[1],
    ]


# --- found in review: what scheme 1 cannot hide, what scheme 2 cannot lose ----------------------


@pytest.mark.parametrize("doc", ["reverse-push.md", "reverse-push.html"])
def test_an_amount_of_a_scheme_1_document_replaced_by_one_shown_elsewhere_is_named(
    copy: Callable[[Path], None], doc: str
) -> None:
    copy(SCHEME1)
    # The NRE on the ladder, replaced by the tax, which the quote shows on a line of its own.
    line = replace(Path(doc), "¥165,000.00", "¥28,815.00")
    code, out, _ = run("verify", doc, "reverse-push.yaml", "--rates", "rates/default.yaml")
    assert code == 1
    assert out.splitlines()[0] == (
        f"{doc}:{line}: error: the document says '¥28,815.00 | ¥315,250.00 | ¥509,065.00' on "
        "this line, which no line of a fresh quote does"
    )


@pytest.mark.parametrize("doc", ["telemetry-bridge.md", "telemetry-bridge.html"])
def test_a_scheme_2_document_stripped_of_its_scheme_and_seal_is_altered(
    copy: Callable[[Path], None], doc: str
) -> None:
    copy(SCHEME2)
    replace(Path(doc), "Northwind Logistics", "Northwind Ltd")
    unseal(Path(doc))
    code, out, err = verify_scheme_2(doc)
    assert code == 1
    assert "scheme 1" not in err
    assert out.splitlines()[-2:] == [
        f"{doc}: altered after it was issued: its provenance lacks the seal nrecalc 0.2.0 writes",
        reprices_2(doc)[1],
    ]


@pytest.mark.parametrize("doc", ["telemetry-bridge.md", "telemetry-bridge.html"])
def test_a_resealed_amount_of_a_scheme_2_document_is_named(
    copy: Callable[[Path], None], doc: str
) -> None:
    copy(SCHEME2)
    line = replace(Path(doc), "¥1,425,241.49", "¥1,452,241.49")
    reseal(Path(doc))
    code, out, _ = verify_scheme_2(doc)
    assert code == 1
    assert out.splitlines()[0] == (  # the ladder's custom row
        f"{doc}:{line}: error: the document says '¥493,392.44 | ¥851,175.00 | ¥1,452,241.49' "
        "on this line, which no line of a fresh quote does"
    )
    assert out.splitlines()[-2:] == reprices_2(doc)


# --- scheme 3: made by nrecalc 0.4.0 ------------------------------------------------------------


def verify_scheme_3(doc: str) -> tuple[int, str, str]:
    return run("verify", doc, "telemetry-bridge.yaml", "--rates", "rates/default.yaml")


SAME_QUOTE_3 = (
    "{doc}: same quote: telemetry-bridge.yaml and rates/default.yaml give its figures "
    "(fingerprint e5a6eef8162c4266)"  # the fingerprint of scheme3/telemetry-bridge.figures.txt
)


@pytest.mark.parametrize("doc", ["telemetry-bridge.md", "telemetry-bridge.html"])
def test_scheme_3_documents_verify(monkeypatch: pytest.MonkeyPatch, doc: str) -> None:
    monkeypatch.chdir(SCHEME3)
    assert "version=0.4.0 scheme=3 " in Path(doc).read_text(encoding="utf-8")
    code, out, err = verify_scheme_3(doc)
    assert code == 0, out
    notice = (
        f"{doc}: notice: made by nrecalc 0.4.0, checked by {__version__}: wording is compared "
        "only within one version; the seal, the inputs, the figures and the amounts it shows "
        "are checked\n"
    )
    assert err == ("" if __version__ == "0.4.0" else notice)
    assert out.splitlines() == [
        f"{doc}: intact: not altered after it was issued (its seal holds)",
        SAME_QUOTE_3.format(doc=doc),
    ]


@pytest.mark.parametrize("doc", ["telemetry-bridge.md", "telemetry-bridge.html"])
def test_scheme_3_documents_verify_by_their_amounts_in_a_later_version(
    monkeypatch: pytest.MonkeyPatch, doc: str
) -> None:
    # What the next version will do with them: every line's amounts matched in a fresh quote.
    monkeypatch.chdir(SCHEME3)
    monkeypatch.setattr("nrecalc.verify.__version__", "99.0.0")
    code, out, _ = verify_scheme_3(doc)
    assert code == 0, out
    assert out.splitlines() == [
        f"{doc}: intact: not altered after it was issued (its seal holds)",
        SAME_QUOTE_3.format(doc=doc),
    ]


@pytest.mark.parametrize("doc", ["telemetry-bridge.md", "telemetry-bridge.html"])
def test_an_edited_scheme_3_document_is_altered(copy: Callable[[Path], None], doc: str) -> None:
    copy(SCHEME3)
    line = replace(Path(doc), "¥209,198.39", "¥290,198.39")  # the delivery milestone
    code, out, _ = verify_scheme_3(doc)
    assert code == 1
    assert out.splitlines()[0].startswith(f"{doc}:{line}: error: ")
    assert out.splitlines()[-2:] == [
        f"{doc}: altered after it was issued: its text does not match its seal",
        SAME_QUOTE_3.format(doc=doc),
    ]


# --- scheme 4: made by nrecalc 0.7.0, a quote in USD from a CNY card ----------------------------


def verify_scheme_4(doc: str) -> tuple[int, str, str]:
    return run("verify", doc, "reverse-push-usd.yaml", "--rates", "rates/default.yaml")


SAME_QUOTE_4 = (
    "{doc}: same quote: reverse-push-usd.yaml and rates/default.yaml give its figures "
    "(fingerprint 4040d415564c9d0e)"  # the fingerprint of scheme4/reverse-push-usd.figures.txt
)


@pytest.mark.parametrize("version", [__version__, "99.0.0"])
@pytest.mark.parametrize("doc", ["reverse-push-usd.md", "reverse-push-usd.html"])
def test_scheme_4_documents_verify(monkeypatch: pytest.MonkeyPatch, doc: str, version: str) -> None:
    # In the version that made them (byte for byte), and in a later one (by their amounts).
    monkeypatch.chdir(SCHEME4)
    monkeypatch.setattr("nrecalc.verify.__version__", version)
    text = Path(doc).read_text(encoding="utf-8")
    assert "version=0.7.0 scheme=4 " in text and "1 CNY = 0.140500 USD (2026-11-20, PBOC)" in text
    code, out, _ = verify_scheme_4(doc)
    assert code == 0, out
    assert out.splitlines() == [
        f"{doc}: intact: not altered after it was issued (its seal holds)",
        SAME_QUOTE_4.format(doc=doc),
    ]


@pytest.mark.parametrize("doc", ["reverse-push-usd.md", "reverse-push-usd.html"])
def test_an_edited_rate_in_a_scheme_4_document_is_altered(
    copy: Callable[[Path], None], doc: str
) -> None:
    copy(SCHEME4)
    line = replace(Path(doc), "0.140500 USD", "0.145000 USD")
    code, out, _ = verify_scheme_4(doc)
    assert code == 1
    assert out.splitlines()[0].startswith(f"{doc}:{line}: error: ")
    assert out.splitlines()[-2:] == [
        f"{doc}: altered after it was issued: its text does not match its seal",
        SAME_QUOTE_4.format(doc=doc),
    ]


# --- found in review: the customer view before 0.4 is offered only for documents before it ------


def test_an_edit_to_a_scheme_1_line_an_internal_line_would_match_is_named(
    copy: Callable[[Path], None],
) -> None:
    copy(SCHEME1)
    # Year 1's upgrade charges given the connector's amount, which the full view shows beside
    # its rate: the customer's view before 0.4 has no such line to spare.
    line = replace(Path("reverse-push.md"), "|     ¥100,000.00 |", "|     ¥150,000.00 |")
    code, out, _ = run(
        "verify", "reverse-push.md", "reverse-push.yaml", "--rates", "rates/default.yaml"
    )
    assert code == 1
    assert out.splitlines()[0] == (
        f"reverse-push.md:{line}: error: the document says '¥150,000.00' where a fresh quote "
        "says '¥100,000.00'"
    )


def test_a_scheme_3_document_relabelled_as_older_is_refused(copy: Callable[[Path], None]) -> None:
    copy(SCHEME3)
    doc = Path("telemetry-bridge.md")
    replace(doc, "version=0.4.0", "version=0.3.0")
    reseal(doc)
    code, out, err = verify_scheme_3(doc.name)
    assert (code, out) == (1, "")
    assert err.endswith(
        "error: the provenance line says scheme 3, which nrecalc 0.3.0 did not write: it was "
        "changed after the document was issued\n"
    )


def test_a_resealed_edit_of_a_scheme_3_document_is_named_by_a_later_version(
    copy: Callable[[Path], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    copy(SCHEME3)
    monkeypatch.setattr("nrecalc.verify.__version__", "99.0.0")
    doc = Path("telemetry-bridge.md")
    # the tax replaced by the risk reserve, which only the internal view shows on its own line
    line = replace(doc, "|        ¥80,674.05 |", "|        ¥51,059.11 |")
    reseal(doc)
    code, out, _ = verify_scheme_3(doc.name)
    assert code == 1
    assert out.splitlines()[0] == (
        f"{doc.name}:{line}: error: the document says '¥51,059.11' where a fresh quote says "
        "'¥80,674.05'"
    )
