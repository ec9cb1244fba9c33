"""Tables with one row per unit or per project: 一般公共预算支出表(分单位) (B5_2) and 项目支出表 (B10).

Cell form: an identifier cell (单位编码 / 项目编码), the name, further label cells (项目单位), then the
amounts from the header's first amount column. Text form: the identifier, the words (name), then the
amounts, placed by the table's identities and left-first.
"""

from __future__ import annotations

from ...model import Row
from ..text import compact
from .common import (
    TOTAL_NAMES,
    Context,
    Draft,
    build_row,
    cell_lines,
    header_start,
    is_placeholder_line,
    place,
    place_cells,
    row_key,
)
from .segment import Segment
from .tokens import DASH, ID, INT, WORD, tokenize


def read_listed(seg: Segment, ctx: Context) -> list[Row]:
    body, _ = seg.split_tail()
    columns = [c["id"] for c in seg.spec.get("columns", [])]
    if any(ln.cells is not None and len(ln.cells) > 1 for ln in body):
        drafts = _from_cells(seg, ctx, body, columns)
    else:
        drafts = _from_text(seg, ctx, body)
    placed = place(ctx, seg, drafts, columns)
    rows = []
    for i, d in enumerate(drafts):
        key = "合计" if d.name in TOTAL_NAMES else row_key(d.name)
        rows.append(build_row(ctx, seg, d, key, placed[i], columns))
    return rows


def _is_ident(text: str) -> bool:
    t = compact(text)
    return len(t) >= 4 and t.isalnum() and any(ch.isdigit() for ch in t) and t.isascii()


def _from_cells(seg: Segment, ctx: Context, body, columns: list[str]) -> list[Draft]:
    labels = [c["label"] for c in seg.spec.get("columns", [])]
    header: list[list[str]] = []
    start: int | None = None
    drafts: list[Draft] = []
    for ln, cells, comp in cell_lines(body):
        ident = _is_ident(cells[0])
        nonempty = [c for c in comp if c]
        is_total = bool(nonempty) and nonempty[0] in TOTAL_NAMES
        if not drafts and not ident and not is_total:
            header.append(cells)
            continue
        if start is None:
            start = header_start(header, labels, minimum=2) or 2
        name_cells = [c for c in comp[1 if ident else 0 : start] if c]
        d = Draft(line=ln, names=name_cells[:1], code=comp[0] if ident else None)
        for j, c in place_cells(d, cells[start:], columns, start):
            ctx.diag("unparsed-line", f"{seg.key} 行“{d.name}”第 {start + j + 1} 格无法读取：{c}", ln, table=seg.key)
        drafts.append(d)
    return drafts


def _from_text(seg: Segment, ctx: Context, body) -> list[Draft]:
    drafts: list[Draft] = []
    current: Draft | None = None
    for ln in body:
        if is_placeholder_line(ln.text):
            continue
        toks = tokenize(ln.text, ln.number, ln.page)
        if not toks:
            continue
        first = toks[0]
        starts = (
            first.kind == ID
            or (first.kind == INT and len(first.text) >= 6)
            or (first.kind == WORD and compact(first.text) in TOTAL_NAMES)
        )
        if starts:
            current = Draft(line=ln, code=compact(first.text) if first.kind != WORD else None)
            drafts.append(current)
            if first.kind != WORD:
                toks = toks[1:]
        elif current is None:
            continue  # header
        else:
            current.more.append(ln)
        for t in toks:
            if t.kind == WORD:
                current.names.append(t.text)
            elif t.kind in (INT, "num", DASH):
                current.tokens.append(t)
    return drafts


__all__ = ["read_listed"]
