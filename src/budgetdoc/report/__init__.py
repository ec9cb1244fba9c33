"""Report stage: findings and documents rendered for people (text) and machines (JSON).

Its names are imported on first use (PEP 562), so a submodule (``budgetdoc.report.batch``) does not
bring in the rules through :mod:`.json`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .json import check_json, extract_json
    from .text import check_text, extract_text

_WHERE = {"check_json": ".json", "extract_json": ".json", "check_text": ".text", "extract_text": ".text"}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_WHERE[name], __name__), name)


__all__ = ["check_json", "check_text", "extract_json", "extract_text"]
