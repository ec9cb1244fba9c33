"""基本支出(明细)表 by economic classification.

决算 T6 prints three column groups side by side (人员经费: 301/303 items; 公用经费: 302 items and 310
items), each ``code name amount``, so one printed line holds up to three rows
(``30101 基本工资 111.6 30201 办公费 2.52 31002 办公设备购置``) and a wrapped name may push an amount to
the next line. Read as one stream of tokens, every code starts a row, the words after it are its name
and the number after them its amount, whatever the line breaks. The budget B6 (one group, three amount
columns) is a coded table.
"""

from __future__ import annotations

import re

from ...model import Row, Table
from ..text import compact
from . import codes
from .common import Context, Draft, build_row, cell_box, is_placeholder_line, row_key, union
from .functional import read_coded
from .segment import Segment
from .tokens import INT, NUM, WORD, Token, cell_tokens, tokenize

PERSONNEL, PUBLIC = "人员经费", "公用经费"
_PERSONNEL_CLASSES = ("301", "303", "501", "509")


def read_economic(seg: Segment, ctx: Context, others: list[Table] | None = None) -> list[Row]:
    columns = [c["id"] for c in seg.spec.get("columns", [])]
    if len(columns) != 1:
        return read_coded(seg, ctx, "economic", others)
    body, _ = seg.split_tail()
    toks = _stream(body)
    items = _items(seg, ctx, toks, {ln.number: ln for ln in body})
    col = columns[0]
    rows = []
    for d in _ordered(items):
        key = d.code or row_key(d.name)
        placed: dict[str, Token] = {}
        values = [t for t in d.tokens if t.kind != "dash"]
        if values:
            placed[col] = values[0]
        if len(values) > 1:
            ctx.diag(
                "ambiguous-columns",
                f"{seg.key} 行“{d.code or ''}{d.name}”印有 {len(values)} 个数，本栏只有一个：{' '.join(t.text for t in values)}",
                d.line,
                table=seg.key,
            )
        rows.append(build_row(ctx, seg, d, key, placed, columns))
    return rows


def _is_code_at(toks: list[Token], i: int, nested: bool = False) -> bool:
    """A code starts a row when its name follows, or its amount (a decimal number) when the name is
    wrapped around the code (see :func:`_items`); in an empty table such a code opening its line is
    followed by the next group's code (``30108`` / ``30206 电费``)."""
    tok = toks[i]
    if tok.kind != INT or not codes.is_economic(tok.text):
        return False
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is not None and nxt.kind == NUM:
        return True
    if (
        nxt is not None
        and nxt.kind == INT
        and not nested
        and nxt.line == tok.line
        and (i == 0 or toks[i - 1].line != tok.line)
        and _is_code_at(toks, i + 1, nested=True)
    ):
        return True
    return nxt is not None and nxt.kind == WORD and not compact(nxt.text).endswith("合计")


def _stream(body) -> list[Token]:
    """The tokens of the table's rows: from the first line that opens with an economic code."""
    toks: list[Token] = []
    started = False
    above: set[frozenset[str]] = set()  # the lines above the first row (the header), as sets of cells
    for ln in body:
        if ln.cells is not None and len(ln.cells) > 1:
            line_toks = [
                t for i, c in enumerate(ln.cells) for t in cell_tokens(c, ln.number, ln.page, cell_box(ln, i))
            ]
        else:
            if is_placeholder_line(ln.text):
                continue
            line_toks = tokenize(ln.text, ln.number, ln.page)
        if not line_toks:
            continue
        cells = frozenset(compact(c) for c in ln.cells or [ln.text]) - {""}
        if not started:
            first = line_toks[0]
            if not (first.kind == INT and codes.is_economic(first.text)) and not (
                first.kind == WORD and compact(first.text) == "合计"
            ):
                above.add(cells)
                continue
            started = True
        elif cells in above:
            continue  # the header repeated at the top of a continuation page
        toks.extend(line_toks)
    return toks


def _items(seg: Segment, ctx: Context, toks: list[Token], lines) -> list[Draft]:
    """Rows from the token stream. Text sorted by position prints a code centred on its wrapped name
    without the name beside it (``机关事业单位基本`` / ``30108 6.18 30206 电费 0.00 养老保险缴费``):
    for such a code the words-only line just above begins its name (not the end of the row before)
    and words after the last amount of its line end it."""
    items: list[Draft] = []
    current: Draft | None = None
    kinds: dict[int, set[str]] = {}
    for t in toks:
        kinds.setdefault(t.line, set()).add(t.kind)
    owner_of: dict[int, Draft] = {}  # token index of a words-only line's words → the row they went to
    nameless: dict[int, Draft] = {}  # line → the row on it whose code has no name beside it
    for i, tok in enumerate(toks):
        line = lines.get(tok.line)
        if _is_code_at(toks, i):
            current = Draft(line=line, code=tok.text, box=tok.bbox)
            current.part = PERSONNEL if tok.text[:3] in _PERSONNEL_CLASSES else PUBLIC
            items.append(current)
            if toks[i + 1].kind != WORD:
                nameless[tok.line] = current
                prev = owner_of.get(i - 1)
                if prev is not None and toks[i - 1].line != tok.line and prev.names[-1:] == [toks[i - 1].text]:
                    prev.names.pop()
                    current.names.append(toks[i - 1].text)
            continue
        if tok.kind == WORD:
            k = compact(tok.text)
            if k.endswith("合计"):
                # ``人员经费合计公用经费合计``: two total rows without amounts glued on one line
                for name in re.findall(r".+?合计", k) if k.startswith((PERSONNEL, PUBLIC)) else [k]:
                    current = Draft(line=line, names=[name], box=tok.bbox)
                    current.part = (
                        PERSONNEL if name.startswith(PERSONNEL) else PUBLIC if name.startswith(PUBLIC) else None
                    )
                    items.append(current)
                continue
            if current is None:
                ctx.diag(
                    "unparsed-line", f"{seg.key} 无法归入任何一行的文字：{tok.text}", line, table=seg.key
                )
                continue
            target = current
            wrapped = nameless.get(tok.line)
            if wrapped is not None and current.tokens and current.tokens[-1].line == tok.line:
                target = wrapped  # after the last amount of its line: the end of the wrapped name
            target.names.append(tok.text)
            if kinds.get(tok.line) == {WORD}:
                owner_of[i] = target
            _grow(target, tok, line)
            continue
        if current is None:
            ctx.diag("unparsed-line", f"{seg.key} 数“{tok.text}”不属于任何一行", line, table=seg.key)
            continue
        current.tokens.append(tok)
        _grow(current, tok, line)
    return items


def _grow(d: Draft, tok: Token, line) -> None:
    """A token joins a row: its cell's box (PDF grids) or its line joins the row's box. One printed
    line holds up to three rows (column groups), so a row's box is its cells', not its lines'."""
    if tok.bbox is not None:
        d.box = union([d.box, tok.bbox])
    elif line is not None and line is not d.line and all(line is not m for m in d.more):
        d.more.append(line)


def _ordered(items: list[Draft]) -> list[Draft]:
    """Rows group by group: 人员经费 classes, 人员经费合计, then 公用经费 classes, 公用经费合计; printed
    order inside a class."""
    class_order: dict[str, int] = {}
    for d in items:
        if d.code:
            class_order.setdefault(d.code[:3], len(class_order))

    def sort_key(pair: tuple[int, Draft]) -> tuple[int, int, int]:
        i, d = pair
        part = 0 if d.part == PERSONNEL else 1 if d.part == PUBLIC else 2
        within = class_order.get(d.code[:3], 0) if d.code else 10_000
        return part, within, i

    return [d for _, d in sorted(enumerate(items), key=sort_key)]


__all__ = ["read_economic"]
