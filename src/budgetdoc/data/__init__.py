"""Reference data shipped with the package: table catalog, classification codes by year, scoring rules.

Files are versioned and say where they come from in their header. To add a year, drop a
``functional/<year>.tsv`` (or ``economic/<year>.tsv``) beside the others; lookups for a document's year
use the newest file not later than that year (and the oldest file for earlier years).
To add a region's scoring parameters, add a table to ``scoring.toml``.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

_ROOT = resources.files(__package__)


@cache
def catalog() -> dict[str, Any]:
    """The table catalog (``catalog.toml``) parsed and validated once (:mod:`.layouts`), with a
    ``by_key`` index of the tables."""
    from .layouts import validate

    data = validate(tomllib.loads((_ROOT / "catalog.toml").read_text("utf-8")))
    data["by_key"] = {t["key"]: t for t in data["tables"]}
    return data


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
