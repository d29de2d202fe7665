"""Whether the installed fonts can show a document's text: Pango, as WeasyPrint lays it out.

WeasyPrint draws a box (the .notdef glyph) for a character that no font has. Pango lays the
text out with the same fonts (fontconfig's, through its FreeType font map) and falls back from
font to font as WeasyPrint's layout does, so a character Pango finds no glyph for here would be
a box in the PDF. Pango is loaded with ctypes: its unknown-glyph count is not in WeasyPrint's
bindings.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import unicodedata
from functools import cache
from typing import Any

# Where Pango and GLib live on Linux, Windows and macOS (WeasyPrint's own list, in short).
LIBRARIES = {
    "pango": ("pango-1.0", "libpango-1.0.so.0", "libpango-1.0-0.dll", "libpango-1.0.0.dylib"),
    "pangoft2": (
        "pangoft2-1.0",
        "libpangoft2-1.0.so.0",
        "libpangoft2-1.0-0.dll",
        "libpangoft2-1.0.0.dylib",
    ),
    "gobject": (
        "gobject-2.0",
        "libgobject-2.0.so.0",
        "libgobject-2.0-0.dll",
        "libgobject-2.0.0.dylib",
    ),
}
# Chinese, Japanese and Korean text, and the full-width forms written with it.
CJK = (
    (0x2E80, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
    (0x20000, 0x3FFFF),
)


def is_cjk(char: str) -> bool:
    """Tell whether a character is Chinese, Japanese or Korean (or a full-width form)."""
    return any(low <= ord(char) <= high for low, high in CJK)


def missing(text: str) -> list[str]:
    """Return the characters of text that no installed font has a glyph for, each once, in order.

    Raise OSError when Pango cannot be loaded.
    """
    shown = list(dict.fromkeys(char for char in text if _drawn(char)))
    if not shown or not _unknown("".join(shown)):
        return []
    return [char for char in shown if _unknown(char)]


def _drawn(char: str) -> bool:
    """Tell whether a character is drawn with a glyph: not a space, control or format character."""
    category = unicodedata.category(char)
    return category == "Co" or category[0] not in "CZ"  # private use is drawn, if a font has it


def _unknown(text: str) -> int:
    """Return how many of text's glyphs Pango lays out as unknown, in the default sans-serif."""
    pango, gobject, font_map = _pango()
    context = pango.pango_font_map_create_context(font_map)
    layout = pango.pango_layout_new(context)
    description = pango.pango_font_description_from_string(b"sans-serif 10")
    try:
        pango.pango_layout_set_font_description(layout, description)
        data = text.encode("utf-8")
        pango.pango_layout_set_text(layout, data, len(data))
        return int(pango.pango_layout_get_unknown_glyphs_count(layout))
    finally:
        pango.pango_font_description_free(description)
        gobject.g_object_unref(layout)
        gobject.g_object_unref(context)


@cache
def _pango() -> tuple[Any, Any, int]:
    """Load Pango, its FreeType font map and GObject; return them with one font map."""
    pango, pangoft2, gobject = (_load(name) for name in ("pango", "pangoft2", "gobject"))
    pointer = ctypes.c_void_p
    signatures: list[tuple[Any, Any, list[Any]]] = [
        (pangoft2.pango_ft2_font_map_new, pointer, []),
        (pango.pango_font_map_create_context, pointer, [pointer]),
        (pango.pango_layout_new, pointer, [pointer]),
        (pango.pango_font_description_from_string, pointer, [ctypes.c_char_p]),
        (pango.pango_font_description_free, None, [pointer]),
        (pango.pango_layout_set_font_description, None, [pointer, pointer]),
        (pango.pango_layout_set_text, None, [pointer, ctypes.c_char_p, ctypes.c_int]),
        (pango.pango_layout_get_unknown_glyphs_count, ctypes.c_int, [pointer]),
        (gobject.g_object_unref, None, [pointer]),
    ]
    for function, result, arguments in signatures:
        function.restype = result
        function.argtypes = arguments
    font_map = pangoft2.pango_ft2_font_map_new()
    if not font_map:
        raise OSError("Pango made no font map")
    return pango, gobject, font_map


def _load(name: str) -> ctypes.CDLL:
    """Load a library by its usual names; raise OSError naming it when none loads."""
    short, *names = LIBRARIES[name]
    for candidate in names:
        try:
            return ctypes.CDLL(candidate)
        except OSError:
            continue
    found = ctypes.util.find_library(short)  # slower: it may ask ldconfig
    if found is None:
        raise OSError(f"cannot load {short}")
    return ctypes.CDLL(found)
