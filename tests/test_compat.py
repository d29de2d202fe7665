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
SCHEME1_NOTICE = (
    "{doc}: notice: made by nrecalc 0.1.0 with provenance scheme 1, which has no seal: checked "
    "are the sha256 of its inputs and every amount it shows, not its wording\n"
)
CANNOT_TELL = "{doc}: cannot tell whether it was altered after it was issued: scheme 1 has no seal"
SAME_QUOTE_2 = (
    "{doc}: same quote: telemetry-bridge.yaml and rates/default.yaml give its figures "
    "(fingerprint efb5ba12f8776fd7)"  # the fingerprint of telemetry-bridge.figures.txt
)


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


@pytest.mark.parametrize("doc", ["reverse-push.md", "reverse-push.html"])
def test_scheme_1_documents_verify_by_their_inputs_and_amounts(
    monkeypatch: pytest.MonkeyPatch, doc: str
) -> None:
    monkeypatch.chdir(SCHEME1)
    code, out, err = run("verify", doc, "reverse-push.yaml", "--rates", "rates/default.yaml")
    assert (code, err) == (0, SCHEME1_NOTICE.format(doc=doc))
    assert out.splitlines() == [
        CANNOT_TELL.format(doc=doc),
        f"{doc}: same amounts: reverse-push.yaml and rates/default.yaml give every amount it shows",
    ]


@pytest.mark.parametrize("doc", ["reverse-push.md", "reverse-push.html"])
def test_an_amount_edited_in_a_scheme_1_document_is_named(
    copy: Callable[[Path], None], doc: str
) -> None:
    copy(SCHEME1)
    line = replace(Path(doc), "¥203,626.00", "¥230,626.00")  # the delivery milestone
    code, out, err = run("verify", doc, "reverse-push.yaml", "--rates", "rates/default.yaml")
    assert (code, err) == (1, SCHEME1_NOTICE.format(doc=doc))
    assert out.splitlines() == [
        f"{doc}:{line}: error: the document says '¥230,626.00' where a fresh quote says "
        "'¥203,626.00'",
        CANNOT_TELL.format(doc=doc),
        f"{doc}: same inputs, other amounts: nrecalc {__version__} prices them differently, "
        "or the document was edited (scheme 1 cannot tell which)",
    ]


def test_a_scheme_1_document_names_an_input_that_changed(copy: Callable[[Path], None]) -> None:
    copy(SCHEME1)
    rates = Path("rates/default.yaml")
    replace(rates, "engineer: 25000", "engineer: 26000")
    code, out, _ = run("verify", "reverse-push.md", "reverse-push.yaml", "--rates", str(rates))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("rates/default.yaml: error: changed since the document was made")
    assert "the document says '¥165,000.00' where a fresh quote says '¥171,600.00'" in out
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
    assert code == 0, out
    notice = (
        f"{doc}: notice: made by nrecalc 0.2.0, checked by {__version__}: wording is compared "
        "only within one version; the seal, the inputs, the figures and the amounts it shows "
        "are checked\n"
    )
    assert err == ("" if __version__ == "0.2.0" else notice)
    assert out.splitlines() == [
        f"{doc}: intact: not altered after it was issued (its seal holds)",
        SAME_QUOTE_2.format(doc=doc),
    ]


@pytest.mark.parametrize("doc", ["telemetry-bridge.md", "telemetry-bridge.html"])
@pytest.mark.parametrize(
    ("old", "new"),
    [("¥570,096.59", "¥750,096.59"), ("Northwind Logistics", "Northwind Logistic")],
    ids=["amount", "words"],
)
def test_an_edited_scheme_2_document_is_altered(
    copy: Callable[[Path], None], doc: str, old: str, new: str
) -> None:
    copy(SCHEME2)
    replace(Path(doc), old, new)
    code, out, _ = verify_scheme_2(doc)
    assert code == 1
    assert out.splitlines()[-2:] == [
        f"{doc}: altered after it was issued: its text does not match its seal",
        SAME_QUOTE_2.format(doc=doc),
    ]


# --- found in review: what scheme 1 cannot hide, what scheme 2 cannot lose ----------------------


@pytest.mark.parametrize("doc", ["reverse-push.md", "reverse-push.html"])
def test_an_amount_of_a_scheme_1_document_replaced_by_one_shown_elsewhere_is_named(
    copy: Callable[[Path], None], doc: str
) -> None:
    copy(SCHEME1)
    # The delivery milestone, replaced by the tax, which the quote shows once on a line of its own.
    line = replace(Path(doc), "¥203,626.00", "¥28,815.00")
    code, out, _ = run("verify", doc, "reverse-push.yaml", "--rates", "rates/default.yaml")
    assert code == 1
    assert out.splitlines()[0] == (
        f"{doc}:{line}: error: the document says '¥28,815.00' where a fresh quote says "
        "'¥203,626.00'"
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
        SAME_QUOTE_2.format(doc=doc),
    ]


@pytest.mark.parametrize("doc", ["telemetry-bridge.md", "telemetry-bridge.html"])
def test_a_resealed_amount_of_a_scheme_2_document_is_named_by_a_later_version(
    copy: Callable[[Path], None], monkeypatch: pytest.MonkeyPatch, doc: str
) -> None:
    copy(SCHEME2)
    monkeypatch.setattr("nrecalc.verify.__version__", "99.0.0")
    line = replace(Path(doc), "¥570,096.59", "¥750,096.59")
    reseal(Path(doc))
    code, out, _ = verify_scheme_2(doc)
    assert code == 1
    assert out.splitlines() == [
        f"{doc}:{line}: error: the document says '¥750,096.59' where a fresh quote says "
        "'¥570,096.59'",
        f"{doc}: its seal holds, but its amounts differ from a fresh quote: the document, or the "
        "rules, changed since it was issued",
        f"{doc}: same inputs and figures (fingerprint efb5ba12f8776fd7), other amounts (above)",
    ]


@pytest.mark.parametrize("doc", ["telemetry-bridge.md", "telemetry-bridge.html"])
def test_scheme_2_documents_verify_by_their_amounts_in_a_later_version(
    monkeypatch: pytest.MonkeyPatch, doc: str
) -> None:
    # What the next version will do with them: every line's amounts matched in a fresh quote.
    monkeypatch.chdir(SCHEME2)
    monkeypatch.setattr("nrecalc.verify.__version__", "99.0.0")
    code, out, _ = verify_scheme_2(doc)
    assert code == 0, out
    assert out.splitlines() == [
        f"{doc}: intact: not altered after it was issued (its seal holds)",
        SAME_QUOTE_2.format(doc=doc),
    ]
