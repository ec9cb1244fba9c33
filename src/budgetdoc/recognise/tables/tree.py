"""Two small layouts of the catalog: a tree of named rows, and one row of amounts under a header.

``tree``: rows named in several name columns, each deeper column a level below the one to its left, with
one or more amount columns (Jiangsu's 收入预算总表: a source and its 小计, then its items; its 政府采购预算表:
采购品目大类 > 专项名称 and 经济科目 > 采购物品名称). A row's level is its deepest printed name cell (a
``小计`` cell marks its group's subtotal and is no level; the columns the catalog lists as ``attributes``,
such as 采购组织形式, are no level either); its parent is the nearest row above it of a lower level, kept in
:attr:`~budgetdoc.model.Row.part` (the parent's key), so that the catalog's ``tree`` identity can add a
parent's children up. A 合计/总计 row of the top level totals the top level. Only a ruled grid (cells)
shows the levels; the same table as text is read row by row and said to be unsure.

``single``: one data row under a header that names its columns (Jiangsu's 支出预算总表: 合计 | 基本支出 |
项目支出 | 单位预留机动经费 | 结转下年资金), keyed ``合计``.
"""

from __future__ import annotations

import re
import unicodedata

from ...model import Row
from ..text import compact
from .common import Context, Draft, build_row, cell_box, cell_lines, place, place_cells, row_key
from .header import choose, default_columns, grid_header, map_grid, norm
from .segment import Segment
from .tokens import NUM, WORD, cell_tokens, tokenize

SUBTOTAL = {"小计"}
TOTALS = {"合计", "总计", "收入总计", "支出总计"}


def _key(name: str) -> str:
    """A row's key: its names without spaces and without a leading ordinal (``一、货物A`` → ``货物A``),
    brackets folded to one width (NFKC)."""
    return unicodedata.normalize("NFKC", "/".join(row_key(n) for n in compact(name).split("/")))


def is_total(name: str) -> bool:
    return _key(name) in TOTALS


def read_tree(seg: Segment, ctx: Context) -> list[Row]:
    body, _ = seg.split_tail()
    if not any(ln.cells is not None and len(ln.cells) > 1 for ln in body):
        return _tree_text(seg, ctx, body)
    header = grid_header(body)
    width = max((len(h) for h in header), default=0)
    cols = seg.spec.get("columns", [])
    ids = map_grid(header, cols) if header else None
    amount_at = _amount_positions(header, cols, ids)
    if amount_at is None:
        seg.spec = {**seg.spec, "columns": default_columns(seg.spec), "header": False}
        columns = [c["id"] for c in seg.spec["columns"]]
        amount_at = list(range(width - len(columns), width)) if width > len(columns) else None
    else:
        seg.spec = {**seg.spec, "columns": [c for c in cols if c["id"] in ids], "header": True}
        columns = [c["id"] for c in seg.spec["columns"]]
    attrs = _attribute_positions(header, seg.spec.get("attributes", []))
    drafts: list[Draft] = []
    levels: list[int] = []
    seen_header = len(header)
    for ln, cells, comp in cell_lines(body):
        if seen_header:  # the header's own lines
            seen_header -= 1
            continue
        if any({x for x in comp if x} == {compact(c) for c in h} - {""} for h in header):
            continue  # the header repeated on a continuation page
        if amount_at is None or len(cells) != width:
            at = [i for i, c in enumerate(comp) if c and cell_tokens(c) and cell_tokens(c)[0].is_number]
            value_at = at[-len(columns):] if at else []
        else:
            value_at = amount_at
        names = [(i, comp[i]) for i in range(len(comp))
                 if comp[i] and i not in value_at and i not in attrs and i < (min(value_at) if value_at else len(comp))]
        if not names:
            if any(comp[i] for i in value_at if i < len(comp)):
                ctx.diag("unparsed-line", f"{seg.key} 行没有名称却印有数：{ln.text.strip()}", ln, table=seg.key)
            continue
        own = [(i, n) for i, n in names if n not in SUBTOTAL]
        level = max(i for i, _ in own) if own else names[0][0]
        d = Draft(line=ln, names=["/".join(n for _, n in own) or names[0][1]])
        for col, i in zip(columns, value_at, strict=False):
            toks = cell_tokens(cells[i], ln.number, ln.page, cell_box(ln, i)) if i < len(cells) else []
            if not toks:
                continue
            if len(toks) != 1 or toks[0].kind == WORD:
                ctx.diag("unparsed-line", f"{seg.key} 行“{d.name}”第 {i + 1} 格无法读取：{cells[i]}", ln,
                         table=seg.key)
                continue
            d.placed[col] = toks[0]
        drafts.append(d)
        levels.append(level)
    keys: list[str] = []
    parents: list[int | None] = []
    stack: list[int] = []
    for k, d in enumerate(drafts):
        total = is_total(d.name) and levels[k] == min(levels)
        while stack and levels[stack[-1]] >= levels[k]:
            stack.pop()
        parent = stack[-1] if stack and not total else None
        key = _key(d.name)
        if key in keys and parent is not None:
            key = f"{keys[parent]}/{key}"
        n = 2
        base = key
        while key in keys:
            key, n = f"{base}#{n}", n + 1
        keys.append(key)
        parents.append(parent)
        if not total:
            stack.append(k)
    placed = place(ctx, seg, drafts, columns, parents)
    rows = []
    for k, d in enumerate(drafts):
        d.part = keys[parents[k]] if parents[k] is not None else None
        rows.append(build_row(ctx, seg, d, keys[k], placed[k], columns))
    return rows


def _amount_positions(header: list[list[str]], cols: list[dict], ids: list[str] | None) -> list[int] | None:
    """The grid positions of the amount columns the header names (the last ``len(ids)`` labelled ones)."""
    if not ids or not header:
        return None
    from .header import first_position

    start = first_position(header, cols)
    if start is None:
        return None
    return list(range(start, start + len(ids)))


def _attribute_positions(header: list[list[str]], labels: list[str]) -> set[int]:
    """Positions whose header names an attribute column (a wrapped label: its first three characters
    at least)."""
    wanted = [norm(x) for x in labels]
    out: set[int] = set()
    for row in header:
        for i, c in enumerate(row):
            n = norm(c)
            if len(n) >= 3 and any(w.startswith(n) or n.startswith(w) for w in wanted):
                out.add(i)
    return out


def _tree_text(seg: Segment, ctx: Context, body) -> list[Row]:
    """Text: each line a name and its amounts; the levels are not printed, so the table is unsure."""
    seg.spec = {**seg.spec, "columns": default_columns(seg.spec), "header": False}
    columns = [c["id"] for c in seg.spec["columns"]]
    drafts: list[Draft] = []
    for ln in body:
        toks = tokenize(ln.text, ln.number, ln.page)
        words = [t.text for t in toks if t.kind == WORD]
        values = [t for t in toks if t.kind == NUM]
        if not words or re.search(r"名称|项目|科目|形式", "".join(words)) and not values:
            continue
        d = Draft(line=ln, names=["".join(words)], tokens=values[: len(columns)])
        drafts.append(d)
    if drafts:
        ctx.diag("unparsed-line", f"{seg.key} 为文本形式，各行的层级无法确定：{drafts[0].line.text.strip()} 0.00",
                 drafts[0].line, table=seg.key)
    placed = place(ctx, seg, drafts, columns)
    return [build_row(ctx, seg, d, _key(d.name) + (f"#{k}" if k else ""), placed[k], columns)
            for k, d in enumerate(drafts)]


def read_single(seg: Segment, ctx: Context) -> list[Row]:
    """One row of amounts under its header (cells: placed under the labels; text: by the identities)."""
    body, _ = seg.split_tail()
    if any(ln.cells is not None and len(ln.cells) > 1 for ln in body):
        header = grid_header(body)
        ids = map_grid(header, seg.spec.get("columns", [])) if header else None
        seg.spec = choose(seg.spec, ids)  # the columns its header names, as printed (else the catalog's)
        columns = [c["id"] for c in seg.spec.get("columns", [])]
        for ln, cells, comp in cell_lines(body[len(header):]):
            if not any(cell_tokens(c) and cell_tokens(c)[0].is_number for c in comp if c):
                continue
            start = 0
            while start < len(comp) and comp[start] and not cell_tokens(comp[start])[0].is_number:
                start += 1
            d = Draft(line=ln, names=[c for c in comp[:start] if c])
            for j, c in place_cells(d, cells[start:], columns, start, ids=False):
                ctx.diag("unparsed-line", f"{seg.key} 第 {start + j + 1} 格无法读取：{c}", ln, table=seg.key)
            return [build_row(ctx, seg, d, "合计", d.placed, columns)]
        return []
    seg.spec = {**seg.spec, "columns": default_columns(seg.spec), "header": False}
    columns = [c["id"] for c in seg.spec["columns"]]
    for ln in body:
        toks = tokenize(ln.text, ln.number, ln.page)
        values = [t for t in toks if t.kind in (NUM, "dash")]
        if values and not any(t.kind == WORD and not is_total(t.text) for t in toks):
            d = Draft(line=ln, names=[t.text for t in toks if t.kind == WORD], tokens=values)
            placed = place(ctx, seg, [d], columns)
            return [build_row(ctx, seg, d, "合计", placed[0], columns)]
    return []


__all__ = ["read_single", "read_tree"]
