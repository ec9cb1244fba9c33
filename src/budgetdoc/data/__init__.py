"""Reference data shipped with the package: table catalog, classification codes by year, scoring rules.

Files are versioned and say where they come from in their header. To add a year, drop a
``functional/<year>.tsv`` (or ``economic/<year>.tsv``) beside the others; lookups for a document's year
use the newest file not later than that year (and the oldest file for earlier years).
To add a region's scoring parameters, add a table to ``scoring.toml``; to add a region's table layout, add
``regions/<name>.toml`` (see :mod:`.layouts` and the README).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib import resources
from typing import Any

_ROOT = resources.files(__package__)


def catalog() -> dict[str, Any]:
    """The table catalog as the document being read or checked sees it: ``catalog.toml`` (parsed and
    validated once, :mod:`.layouts`) with, inside :func:`using_layout`, a region's layout file
    (``regions/<name>.toml``) laid over it — its tables replace the base tables of the same key and add
    their own, its relations replace those of the tables it replaces, its statutory set and narrative
    vocabulary are the document's. A ``by_key`` index of the tables is included."""
    return _view(_ACTIVE.get())


@cache
def _base() -> dict[str, Any]:
    from .layouts import validate

    data = validate(tomllib.loads((_ROOT / "catalog.toml").read_text("utf-8")))
    data["by_key"] = {t["key"]: t for t in data["tables"]}
    data["layout"] = None
    return data


_ACTIVE: ContextVar[str | None] = ContextVar("budgetdoc_layout", default=None)
_VIEWS: dict[tuple[str | None, frozenset[str]], dict[str, Any]] = {}
_HIDDEN: set[str] = set()


_VIEWS_OF: dict[str | None, dict[str, Any]] = {}  # layout id → view, under the current hidden set


def _view(layout_id: str | None) -> dict[str, Any]:
    view = _VIEWS_OF.get(layout_id)
    if view is None:
        key = (layout_id, frozenset(_HIDDEN))
        view = _VIEWS.get(key)
        if view is None:
            base = _base()
            layout = next((x for x in region_layouts() if x["id"] == layout_id), None)
            view = base if layout is None else _overlay(base, layout)
            _VIEWS[key] = view
        _VIEWS_OF[layout_id] = view
    return view


def _overlay(base: dict[str, Any], layout: dict[str, Any]) -> dict[str, Any]:
    """The base catalog with a region's layout laid over it."""
    own = {t["key"]: t for t in layout.get("tables", [])}
    tables = [own.get(t["key"], t) for t in base["tables"]] + [
        t for k, t in own.items() if k not in base["by_key"]
    ]
    kept = [r for r in base.get("relations", [])
            if not any(ref.split(":")[0].strip() in own for side in (r["left"], r["right"])
                       for ref in side.split("+"))]
    statutory = dict(base.get("statutory", {}))
    if layout.get("statutory"):
        statutory[layout["kind"]] = layout["statutory"]
    return {
        **base,
        "tables": tables,
        "by_key": {t["key"]: t for t in tables},
        "relations": kept + list(layout.get("relations", [])),
        "statutory": statutory,
        "subjects": list(layout.get("subject", [])),
        "layout": layout,
    }


@cache
def _layout_files() -> list[dict[str, Any]]:
    from .layouts import validate_layout

    folder = _ROOT / "regions"
    out = []
    for p in sorted(folder.iterdir(), key=lambda p: p.name):
        if p.name.endswith(".toml"):
            out.append(validate_layout(tomllib.loads(p.read_text("utf-8")), _base(), p.name))
    return out


def region_layouts() -> list[dict[str, Any]]:
    """The regions' layouts shipped (``regions/*.toml``, validated against the base catalog), less the
    hidden ones (:func:`hidden`)."""
    return [x for x in _layout_files() if x["id"] not in _HIDDEN]


def layout_for(region: str | None, kind: str | None) -> str | None:
    """The id of the layout of a document of ``region`` and ``kind`` (None: the base catalog's). A
    document whose kind is not known yet (a file of tables only) takes its region's one layout."""
    if not region:
        return None
    found = [x for x in region_layouts() if region in x["region"] and (kind is None or x["kind"] == kind)]
    return found[0]["id"] if len(found) == 1 or (found and kind is not None) else None


@contextmanager
def using_layout(layout_id: str | None) -> Iterator[None]:
    """Within the block, :func:`catalog` is the catalog with this layout laid over it."""
    token = _ACTIVE.set(layout_id)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


@contextmanager
def hidden(*layout_ids: str) -> Iterator[None]:
    """Within the block the given layouts are not shipped (tests: a document of a region the catalog
    does not know)."""
    before = set(_HIDDEN)
    _HIDDEN.update(layout_ids)
    _VIEWS_OF.clear()
    try:
        yield
    finally:
        _HIDDEN.clear()
        _HIDDEN.update(before)
        _VIEWS_OF.clear()


@cache
def scoring() -> dict[str, Any]:
    """Performance-form scoring parameters by region (``scoring.toml``)."""
    return tomllib.loads((_ROOT / "scoring.toml").read_text("utf-8"))


@cache
def _years(scheme: str) -> list[int]:
    folder = _ROOT / scheme
    return sorted(int(p.name[:-4]) for p in folder.iterdir() if p.name.endswith(".tsv"))


@cache
def _codes_file(scheme: str, year: int) -> dict[str, str]:
    text = (_ROOT / scheme / f"{year}.tsv").read_text("utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, _, name = line.partition("\t")
        out[code.strip()] = name.strip()
    return out


@cache
def code_year(scheme: str, year: int | None) -> int:
    """The reference year used for a document of ``year`` in ``scheme`` (functional / economic)."""
    years = _years(scheme)
    if year is None:
        return years[-1]
    older = [y for y in years if y <= year]
    return older[-1] if older else years[0]


def codes(scheme: str, year: int | None) -> dict[str, str]:
    """code → name of the classification ``scheme`` ("functional" or "economic") for a year."""
    return _codes_file(scheme, code_year(scheme, year))


@cache
def all_names(scheme: str) -> dict[str, dict[int, str]]:
    """code → {year: name} over every year shipped, to tell an outdated name from a wrong one."""
    out: dict[str, dict[int, str]] = {}
    for y in _years(scheme):
        for code, name in _codes_file(scheme, y).items():
            out.setdefault(code, {})[y] = name
    return out
