"""nrecalc: price custom engineering work exactly, beside the standard-platform option."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.7.0"
__all__ = ["__version__", "build_quote", "load_estimate", "load_rate_card", "make_quote"]

if TYPE_CHECKING:
    from .loader import load_estimate, load_rate_card
    from .pipeline import make_quote
    from .pricing import build_quote

_LAZY = {
    "build_quote": "pricing",
    "load_estimate": "loader",
    "load_rate_card": "loader",
    "make_quote": "pipeline",
}


def __getattr__(name: str) -> Any:
    # The public API is imported on first use, so that `nrecalc --version` starts fast.
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
