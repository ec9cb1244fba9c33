"""Which catalog columns a table prints, read from its header.

A table's header names its columns, often in several rows with merged cells (``基本支出`` over
``人员经费 | 公用经费``; ``“三公”经费预算数`` over ``合计 | 因公出国(境)费 | …``). The catalog lists, per
table, every column seen in the layouts it knows (its label and aliases; columns that only some regions
print are ``optional``). Reading the header decides which of them this table prints and in which order,
so that a region's variant needs no code: the amounts of a ruled grid go to the column whose header is
above them, and a text table's amounts are placed over the columns its header names.
"""

from __future__ import annotations

import re

from ...read import Line
from ..text import compact
from .tokens import cell_tokens

_NOISE = re.compile(r"[\s“”\"'‘’（）()【】\[\]:：]")


def norm(text: str) -> str:
    """A header label compared loosely: no spaces, quotes or brackets (``因公出国（境）费`` = ``因公出国(境)费``)."""
    return _NOISE.sub("", compact(text))


def names_of(col: dict) -> list[str]:
    return [norm(n) for n in (col["label"], *col.get("aliases", ()))]


def default_columns(spec: dict) -> list[dict]:
    """The columns assumed when the header cannot tell: every column that is not optional."""
    return [c for c in spec.get("columns", []) if not c.get("optional")]


def spread(header: list[list[str]]) -> list[list[str]]:
    """Header rows with each merged cell's label spread over the positions it spans: a blank cell takes
    its left neighbour's label when every row above spans both positions with one cell."""
    width = max((len(h) for h in header), default=0)
    filled: list[list[str]] = []
    sources: list[list[int]] = []
    for row in header:
        row = [compact(c) for c in row] + [""] * (width - len(row))
        out: list[str] = []
        src: list[int] = []
        for p in range(width):
            if row[p]:
                out.append(row[p])
                src.append(p)
            elif p and out[p - 1] and all(s[p] == s[p - 1] for s in sources):
                out.append(out[p - 1])
                src.append(src[p - 1])
            else:
                out.append("")
                src.append(p)
        filled.append(out)
        sources.append(src)
    return filled


def _match(path: list[str], cols: list[dict]) -> str | None:
    """The column a header path (top label … bottom label) names: the most specific reading first (the
    bottom label with its parents, then alone)."""
    path = [norm(p) for p in path if norm(p)]
    if not path:
        return None
    candidates = ["".join(path[i:]) for i in range(len(path))]
    names = [set(names_of(c)) for c in cols]
    for cand in reversed(candidates[:-1]):  # parent + leaf before the leaf alone
        for c, named in zip(cols, names, strict=True):
            if cand in named:
                return c["id"]
    leaf = candidates[-1]
    for c, named in zip(cols, names, strict=True):
        if leaf in named:
            return c["id"]
    if leaf in TOTALS and cols:
        return cols[0]["id"]  # 合计 / 小计 over the first column: the table's total
    return None


TOTALS = {"合计", "小计", "总计", "本年合计"}


def map_grid(header: list[list[str]], cols: list[dict], lo: int = 0, hi: int | None = None) -> list[str] | None:
    """Column id of each value position of a ruled grid between ``lo`` and ``hi``: from the first
    position whose header names a column to the last. None when a labelled position names no column,
    or two positions name the same one (the header is not understood: the caller keeps the catalog
    order and says so)."""
    if not header:
        return None
    filled = spread(header)
    width = len(filled[0]) if filled else 0
    hi = width if hi is None else min(hi, width)
    out: list[str | None] = []
    for p in range(lo, hi):
        path = [f[p] for f in filled if f[p]]
        # a label shared with the position on the left (and not merely spread down from a title row)
        out.append(_match(path, cols) if path else None)
    while out and out[0] is None:
        out.pop(0)
    while out and out[-1] is None:
        out.pop()
    ids = [i for i in out if i is not None]
    if not ids or None in out or len(set(ids)) != len(ids):
        return None
    return ids


def first_position(header: list[list[str]], cols: list[dict], lo: int = 0) -> int | None:
    """The first grid position (≥ ``lo``) whose header names a column."""
    filled = spread(header)
    width = len(filled[0]) if filled else 0
    for p in range(lo, width):
        path = [f[p] for f in filled if f[p]]
        if path and _match(path, cols):
            return p
    return None


def grid_header(body: list[Line]) -> list[list[str]]:
    """The header rows of a ruled table: the cell rows before the first row with an amount or a code
    (a 栏次 row of column numbers is header too)."""
    rows: list[list[str]] = []
    for ln in body:
        if ln.cells is None or len(ln.cells) <= 1:
            if rows:
                break
            continue
        cells = [c.strip() for c in ln.cells]
        comp = [compact(c) for c in cells]
        if not any(comp):
            continue
        nums = [c for c in comp if c and all(t.is_number for t in cell_tokens(c))]
        numbered = [c for c in comp if c]
        if nums and not (numbered and numbered[0] == "栏次") and not _column_numbers(nums):
            break
        rows.append(cells)
    return rows


def _column_numbers(values: list[str]) -> bool:
    try:
        ints = [int(v) for v in values]
    except ValueError:
        return False
    return len(ints) >= 2 and ints == list(range(ints[0], ints[0] + len(ints)))


def named_in_text(text: str, cols: list[dict]) -> list[str]:
    """The columns a text header names, in printed order (longest names first, no overlaps)."""
    t = norm(text)
    spans: list[tuple[int, int, str]] = []
    names = sorted(((n, c["id"]) for c in cols for n in names_of(c) if n), key=lambda x: -len(x[0]))
    taken = [False] * len(t)
    for name, cid in names:
        start = 0
        while (i := t.find(name, start)) >= 0:
            if not any(taken[i : i + len(name)]) and all(cid != s[2] for s in spans):
                spans.append((i, i + len(name), cid))
                for k in range(i, i + len(name)):
                    taken[k] = True
            start = i + 1
    return [cid for _, _, cid in sorted(spans)]


def named_loosely(text: str, cols: list[dict], known: set[str]) -> list[str]:
    """The columns (in catalog order) not in ``known`` whose name the header prints with other words
    among its characters — a heading wrapped over lines that other headings' lines came between
    (``机关运行经`` … ``费预算数``): each character in order, within three times the name's length."""
    t = norm(text)
    out = []
    for c in cols:
        if c["id"] in known:
            continue
        for name in names_of(c):
            if name and _within(name, t, 3 * len(name)):
                out.append(c["id"])
                break
    return out


def _within(name: str, text: str, span: int) -> bool:
    start = text.find(name[0])
    while start >= 0:
        k, i = 1, start + 1
        while k < len(name) and i < len(text) and i - start < span:
            if text[i] == name[k]:
                k += 1
            i += 1
        if k == len(name):
            return True
        start = text.find(name[0], start + 1)
    return False


def choose(spec: dict, ids: list[str] | None) -> dict:
    """The spec with the columns the header named (in printed order), or the default columns."""
    by_id = {c["id"]: c for c in spec.get("columns", [])}
    if ids:
        cols = [{k: v for k, v in by_id[i].items() if k != "optional"} for i in ids]
        return {**spec, "columns": cols, "header": True}
    return {**spec, "columns": default_columns(spec), "header": False}


__all__ = ["choose", "default_columns", "first_position", "grid_header", "map_grid", "named_in_text",
           "named_loosely", "norm", "spread"]
