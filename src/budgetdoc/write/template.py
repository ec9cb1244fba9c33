"""Templates as data: ``data/templates/<name>.toml`` — title formats, the order and titles of the tables,
the parts of the document and the sections in them, per region, kind and year."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from ..errors import InputError

_ROOT = resources.files("budgetdoc.data") / "templates"


@cache
def templates() -> dict[str, dict[str, Any]]:
    out = {}
    for p in _ROOT.iterdir():
        if p.name.endswith(".toml"):
            t = tomllib.loads(p.read_text("utf-8"))
            out[t["name"]] = t
    return out


def template(name: str | None, kind: str | None, region: str | None, publisher: str | None,
             tables: set[str] | None = None) -> dict[str, Any]:
    """The template named, else the one whose kind and region words fit the document, else (no region
    word fits) the one of that kind whose tables the document has most of (``tables``: its table keys)."""
    all_ = templates()
    if name:
        if name not in all_:
            raise InputError(f"没有名为“{name}”的模板；可用模板：{'、'.join(sorted(all_))}")
        return all_[name]
    words = f"{region or ''}{publisher or ''}"
    fits = [t for t in all_.values() if t["kind"] == kind and any(w in words for w in t.get("match", []))]
    if fits:
        return fits[0]
    generic = [t for t in all_.values() if t["kind"] == kind and not t.get("match")]
    if generic:
        return generic[0]
    same_kind = sorted((t for t in all_.values() if t["kind"] == kind), key=lambda t: t["name"])
    if same_kind:
        have = tables or set()
        return max(same_kind, key=lambda t: (len({x["key"] for x in t["tables"]} & have)
                                             - len({x["key"] for x in t["tables"]} - have)))
    raise InputError(f"没有适用于“{kind or '未注明类型'}”的模板；请在“文档信息”中填写类型（决算或预算）")
