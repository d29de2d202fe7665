"""A PDF appendix read back for `nrecalc verify`: its provenance line and its text (pypdf).

pypdf comes with the pdf extra; it is imported only when verify is given a PDF.
"""

from __future__ import annotations

import io

from .errors import InputError, SetupError

PROVENANCE_KEY = "/nrecalc-provenance"  # the Info entry render/pdf.py writes


def read_pdf(data: bytes, shown: str) -> tuple[str, str]:
    """Return a PDF's provenance line ("" if it has none) and its text, page after page."""
    if not data.startswith(b"%PDF-"):
        raise InputError.at(shown, "not a PDF; verify reads the PDF nrecalc quote wrote")
    try:
        import pypdf
    except ImportError:
        raise SetupError.at(
            shown, "verify reads a PDF with pypdf, in the pdf extra: pip install 'nrecalc[pdf]'"
        ) from None
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        info = reader.metadata
        marker = str(info.get(PROVENANCE_KEY, "")) if info is not None else ""
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception:
        raise InputError.at(shown, "a PDF that cannot be read (damaged or not nrecalc's)") from None
    return marker, text
