"""A layout the catalog does not know: tables read by their structure alone.

A document of a region whose layout the catalog does not hold (no ``data/regions`` file for its region,
and tables the base catalog does not know or whose headers it does not understand) is read without
guessing (:func:`unknown_layout`): every amount whose column was not named by the header above it is a
guess (:attr:`budgetdoc.model.Cell.read`), so no rule makes an error of it; and each ruled table with
classification codes — one the catalog does not know, or one whose header it did not understand — is read
by its structure (:func:`read_structural`): the columns its header prints, as they are printed, and its
coded rows, so that what is certain is still checked: each 类 = Σ its 款, each 款 = Σ its 项, 合计 = Σ 类,
in every column (ARI003; the tables are keyed ``S1``, ``S2``, … and titled as printed).
"""

from __future__ import annotations

import re

from ...data import catalog
from ...model import Column, Diagnostic, Identity, Row, Table, built, trusted
from ...read import Line, Source
from ..text import compact
from . import codes
from .common import Context, cell_box, make_cell
from .header import grid_header, spread
from .segment import find_segments
from .tokens import cell_tokens

UNKNOWN = "unknown"  # Identity.layout of a document of a layout the catalog does not know
_TITLE_END = re.compile(r"表(?:[（(][^）)]{1,8}[）)])?$")


def unknown_layout(identity: Identity, tables: list[Table], diagnostics: list[Diagnostic]) -> bool:
    """The document's layout is not in the catalog: no region layout holds its region, the base catalog
    was not written from it (``regions``), and its tables show it — a printed table the catalog does not
    know, or two tables whose headers name none of the catalog's columns."""
    if identity.layout is not None or not identity.region:
        return False
    if identity.region in catalog().get("regions", []):
        return False
    unknown = [d for d in diagnostics if d.code == "unknown-table" and d.location.table is None]
    blind = [t for t in tables if _all_unnamed(t)]
    return bool(unknown) or len(blind) >= 2


def _all_unnamed(t: Table) -> bool:
    """A ruled table whose header named none of the catalog's columns (its amounts placed by position)."""
    cells = [c for r in t.rows for c in r.cells]
    return bool(cells) and all(c.read == "position" for c in cells)


def read_unknown_layout(source: Source, identity: Identity, tables: list[Table],
                        diagnostics: list[Diagnostic]) -> tuple[list[Table], list[Diagnostic]]:
    """The tables of a document of an unknown layout: the catalog's tables whose columns the header
    named kept, their other amounts guesses; coded ruled tables the catalog does not know, or whose
    header it did not understand, read by their structure."""
    ctx = Context(path=source.path, year=identity.year)
    lines = source.lines()
    by_line = {(ln.page, ln.number): i for i, ln in enumerate(lines)}
    titles = _title_lines(source, identity, diagnostics)
    out: list[Table] = []
    replaced: set[str] = set()
    n = 0
    for start in titles:
        end = next((j for j in titles if j > start), len(lines))
        known = next((t for t in tables if by_line.get((t.location.page, t.location.line)) == start), None)
        if known is not None and not _all_unnamed(known):
            continue
        n += 1
        table = read_structural(ctx, f"S{n}", lines[start], lines[start + 1:end])
        if table is None:
            continue
        if known is not None:
            replaced.add(known.key)
        out.append(table)
    kept = [t for t in tables if t.key not in replaced]
    for t in kept:
        for r in t.rows:
            for i, c in enumerate(r.cells):
                if c.read != "header":
                    r.cells[i] = c.model_copy(update={"read": "guess"})
    # what the catalog's tables could not read is the unknown layout's doing (REC003 says it once), and a
    # table read by its structure is no unknown table
    diagnostics = [d for d in diagnostics if d.location.table is None and d.code != "unknown-table"]
    merged = sorted([*kept, *out], key=lambda t: (t.location.page or 0, t.location.line or 0))
    return merged, [*diagnostics, *ctx.diagnostics]


def _title_lines(source: Source, identity: Identity, diagnostics: list[Diagnostic]) -> list[int]:
    """Indexes (in the source's lines) of every table title: the catalog's and the unknown ones."""
    lines = source.lines()
    by_line = {(ln.page, ln.number): i for i, ln in enumerate(lines)}
    out = {by_line[(s.title_line.page, s.title_line.number)] for s in find_segments(source, identity.kind)}
    for d in diagnostics:
        if d.code == "unknown-table" and (d.location.page, d.location.line) in by_line:
            out.add(by_line[(d.location.page, d.location.line)])
    return sorted(out)


def read_structural(ctx: Context, key: str, title: Line, body: list[Line]) -> Table | None:
    """A ruled table with codes read as printed: its header's columns (the positions where its rows
    print amounts, labelled by the header above them), and its rows (code, name, amounts). None when the
    lines are no grid or print no codes."""
    grid = [ln for ln in body if ln.cells is not None and len(ln.cells) > 1]
    if not grid:
        return None
    header = grid_header(grid)
    width = max(len(ln.cells or []) for ln in grid)
    data = [ln for ln in grid[len(header):] if len(ln.cells or []) == width]
    coded = [ln for ln in data if _code(ln.cells or []) is not None]
    # a coded line of another grid (cells merged or split) is not read: the sums would miss it
    unsure = any(_code(ln.cells or []) is not None for ln in grid[len(header):] if len(ln.cells or []) != width)
    if len(coded) < 2:
        return None
    amounts: set[int] = set()
    for ln in data:
        for p, c in enumerate(ln.cells or []):
            toks = cell_tokens(c)
            if len(toks) == 1 and toks[0].kind == "num":
                amounts.add(p)
    if not amounts:
        return None
    filled = spread(header) if header else []
    columns = []
    for p in sorted(amounts):
        label = "".join(dict.fromkeys(f[p] for f in filled if p < len(f) and f[p])) or f"第{p + 1}栏"
        columns.append(trusted(Column, id=f"c{p + 1}", label=label))
    unit = "元" if "单位：元" in "".join(compact(ln.text) for ln in body[:4]) else "万元"
    rows: list[Row] = []
    seen: set[str] = set()
    for ln in data:
        cells = ln.cells or []
        code = _code(cells)
        names = [compact(c) for p, c in enumerate(cells) if p not in amounts and compact(c) and compact(c) != code]
        name = "".join(names)
        if not code and not name:
            continue
        rkey = code or ("合计" if name in ("合计", "总计") else name)
        if rkey in seen:
            unsure = True
            continue
        seen.add(rkey)
        made = []
        for p in sorted(amounts):
            toks = cell_tokens(cells[p], ln.number, ln.page, cell_box(ln, p)) if p < len(cells) else []
            if len(toks) == 1 and toks[0].kind in ("num", "int", "dash"):
                cell = make_cell(ctx, key, rkey, f"c{p + 1}", toks[0], "header")
                if cell is not None:
                    made.append(cell)
        loc = ctx.loc(ln, table=key, row=rkey)
        rows.append(built(Row, {"code": code, "name": name, "key": rkey, "part": None, "number": None,
                                "cells": made, "location": loc},
                          {"code", "name", "key", "cells", "location"}))
    text = compact(title.text)
    year = re.search(r"(20\d\d)年", text)
    return Table(key=key, title=text, unit=unit, year=int(year.group(1)) if year else None, columns=columns,
                 rows=rows, location=ctx.loc(title, table=key),
                 uncertain="表格有的行与表头的格数不同，未能逐行读取" if unsure else None)


def _code(cells: list[str]) -> str | None:
    for c in cells[:2]:
        t = compact(c)
        if re.fullmatch(r"\d{3}(?:\d{2}){0,2}", t) and codes.is_code(t):
            return t
    return None


__all__ = ["UNKNOWN", "read_structural", "read_unknown_layout", "unknown_layout"]
