"""Tables whose rows carry a classification code: 收入/支出决算表, 一般公共预算 / 政府性基金 / 国有资本经营
tables (functional 类/款/项 codes) and the budget 基本支出表 (economic codes, one column group).

Text form: a row starts at a line opening with a code (or 合计); lines without a code continue it (a
wrapped name, or its amounts printed before or after the wrapped part). The columns of the amounts are
chosen with :mod:`.resolve`. Cell form (markdown, PDF grids): cell positions give the columns; a code may
be split over 类/款/项 cells.
"""

from __future__ import annotations

import re

from ...model import Row, Table
from ...read import Line
from ..text import compact
from . import codes
from .common import (
    TOTAL_NAMES,
    Context,
    Draft,
    after_column_numbers,
    build_row,
    cell_box,
    decide_grid,
    decide_text,
    header_start,
    is_placeholder_line,
    place,
    place_cells,
    row_key,
)
from .header import first_position, grid_header
from .relations import hints
from .segment import Segment
from .tokens import INT, NUM, WORD, Token, cell_tokens, tokenize


def read_coded(
    seg: Segment, ctx: Context, scheme: str = "functional", others: list[Table] | None = None
) -> list[Row]:
    body, _ = seg.split_tail()
    is_code = codes.is_economic if scheme == "economic" else codes.is_functional
    if any(ln.cells is not None and len(ln.cells) > 1 for ln in body):
        decide_grid(seg, grid_header(body))
        columns = [c["id"] for c in seg.spec.get("columns", [])]
        drafts = _drafts_from_cells(seg, ctx, body, columns, is_code)
    else:
        decide_text(seg, _header_text(body, is_code), _widest(body))
        columns = [c["id"] for c in seg.spec.get("columns", [])]
        drafts = _drafts_from_text(seg, ctx, body, is_code)
    parents = _parents(drafts)
    known = hints(seg.key, seg.unit, drafts, columns, others or [], ctx.year)
    placed = place(ctx, seg, drafts, columns, parents, known=known)
    rows = []
    for i, d in enumerate(drafts):
        key = d.code or ("合计" if d.name in TOTAL_NAMES else row_key(d.name))
        rows.append(build_row(ctx, seg, d, key, placed[i], columns))
    return rows


def _leading_code(toks: list[Token], is_code) -> tuple[str | None, int]:
    """A code at the start of a token run, joined when printed as 类 款 项 (``201 06 01``)."""
    if not toks or toks[0].kind != INT or not is_code(toks[0].text):
        return None, 0
    code, used = toks[0].text, 1
    if len(code) == 3:
        for k, t in enumerate(toks[1:3], 1):
            # a part of one digit is the 款/项 without its leading zero (``301 2 津贴补贴``) when the
            # name follows the code
            short = len(t.text) == 1 and k + 1 < len(toks) and toks[k + 1].kind in (INT, WORD) and (
                toks[k + 1].kind == WORD or len(toks[k + 1].text) <= 2)
            if t.kind == INT and (len(t.text) == 2 or short) and is_code(code + t.text.zfill(2)):
                code += t.text.zfill(2)
                used += 1
            else:
                break
    return code, used


_HEADER_WORDS = re.compile(r"科目|编码|项目|分类|名称|单位|栏次")


def _widest(body) -> int:
    """The most amounts the table's lines print (the numbers after a line's name; whole-yuan amounts too),
    as at least two lines print them: one line printing more (an amount too many, a stray number) does not
    make the header's columns doubtful — that line is said on its own (“多于 N 栏”)."""
    widths = []
    for ln in body:
        toks = tokenize(ln.text)
        first = next((i for i, t in enumerate(toks) if t.kind == WORD), None)
        if first is not None:
            widths.append(sum(t.kind in (NUM, INT) for t in toks[first + 1:]))
    widths.sort(reverse=True)
    return widths[1] if len(widths) > 1 else widths[0] if widths else 0


def _header_text(body, is_code) -> str:
    """Text form: the header, i.e. the lines before the first row (a code, or 合计 with amounts)."""
    out = []
    for ln in body[:40]:
        toks = tokenize(ln.text, ln.number, ln.page)
        if toks and (_leading_code(toks, is_code)[0] or any(t.kind == NUM for t in toks)):
            break
        out.append(ln.text)
    return " ".join(out)


def _drafts_from_text(seg: Segment, ctx: Context, body, is_code) -> list[Draft]:
    """Rows of text: a row starts at a line opening with a code followed by its name, or directly by
    its amounts when the name is wrapped around the code (text sorted by position prints a code
    centred on its wrapped name as ``机关事业单位基本养老保险缴费`` / ``2080505 6.18 6.18`` / ``支出``:
    the words-only line just above then begins the row's name, not the end of the row before), or
    after its name when the name sits a little higher (``行政单位医疗2101101 40.35 40.35``)."""
    drafts: list[Draft] = []
    current: Draft | None = None
    started = False
    above: tuple[Draft | None, int, Line, list[str]] | None = None  # the last line if only words
    body = after_column_numbers(body)
    for ln in body:
        toks = tokenize(ln.text, ln.number, ln.page)
        if not toks:
            continue
        last, above = above, None
        code, used = _leading_code(toks, is_code)
        rest = toks[used:]
        nameless = code is not None and bool(rest) and rest[0].kind == NUM
        lead: list[Token] = []
        if code is None and len(toks) > 2 and toks[0].kind == WORD:
            # ``行政单位医疗2101101 40.35 40.35``: the name sorted before its code (printed a little higher)
            c2, u2 = _leading_code(toks[1:], is_code)
            if c2 is not None and len(toks) > 1 + u2 and toks[1 + u2].kind == NUM:
                code, used, lead, rest = c2, u2 + 1, toks[:1], toks[1 + u2 :]
        if code and (not rest or rest[0].kind == WORD or nameless or lead):
            current = Draft(line=ln, code=code, names=[t.text for t in lead])
            if nameless and last is not None:
                owner, n, wl, words = last
                if owner is not None:  # take the words back from the row above
                    del owner.names[n:]
                    owner.more = [m for m in owner.more if m is not wl]
                current.names = list(words)
                current.more.append(wl)
            drafts.append(current)
            started = True
        elif toks[0].kind == WORD and compact(toks[0].text) in TOTAL_NAMES:
            current = Draft(line=ln, names=[toks[0].text])
            drafts.append(current)
            started = True
            rest = toks[1:]
        elif not started or current is None:
            if all(t.kind == WORD for t in toks) and not _HEADER_WORDS.search(ln.text):
                above = (None, 0, ln, [t.text for t in toks])
            elif started and not is_placeholder_line(ln.text):
                ctx.diag("unparsed-line", f"{seg.key} 表内无法识别的行：{ln.text.strip()}", ln, table=seg.key)
            continue
        elif all(t.kind == WORD for t in toks):
            above = (current, len(current.names), ln, [t.text for t in toks])
        elif _row_of_its_own(toks, current):
            # a name and amounts where the row above has its amounts already, or digits that are no code
            # before a name (``7 11 02 事业单位医疗 503,724``): a row whose code could not be read, not the
            # rest of the row above
            if not is_placeholder_line(ln.text):
                ctx.diag("unparsed-line", f"{seg.key} 表内无法识别的行：{ln.text.strip()}", ln, table=seg.key)
            continue
        if ln is not current.line:
            current.more.append(ln)
        for t in rest:
            if t.kind == WORD:
                current.names.append(t.text)
            else:
                current.tokens.append(t)
    return drafts


def _row_of_its_own(toks: list[Token], current: Draft) -> bool:
    """A line without a code that prints a name followed by amounts, where the row being read has its
    amounts already or the line opens with digits: a row of its own, not a continuation."""
    first_word = next((i for i, t in enumerate(toks) if t.kind == WORD), None)
    if first_word is None or not any(t.kind in (NUM, INT) for t in toks[first_word + 1:]):
        return False
    return bool(current.tokens) or toks[0].kind == INT


_CODE_CELL = re.compile(r"\d{3}(?:\d{2}){0,2}")
_PART_CELL = re.compile(r"\d{1,2}")


def _split_code_cells(cells: list[str], is_code) -> tuple[str | None, int]:
    c0 = compact(cells[0]) if cells else ""
    if _CODE_CELL.fullmatch(c0) and is_code(c0):
        code, used = c0, 1
        if len(c0) == 3:
            for c in cells[1:3]:
                cc = compact(c)
                # a spreadsheet may drop the leading zero of a 款/项 cell (``301 | 2 | 津贴补贴``)
                if _PART_CELL.fullmatch(cc) and is_code(code + cc.zfill(2)):
                    code += cc.zfill(2)
                    used += 1
                elif cc == "" and used < 3:
                    used += 1
                else:
                    break
            # a blank 款/项 cell only belongs to the code when the next cell is the name
            while (
                used > 1 and not compact(cells[used - 1]) and used < len(cells) and not compact(cells[used])
            ):
                used -= 1
        return code, used
    return None, 0


def _drafts_from_cells(seg: Segment, ctx: Context, body, columns: list[str], is_code) -> list[Draft]:
    labels = [c["label"] for c in seg.spec.get("columns", [])]
    header: list[list[str]] = []
    start: int | None = None
    drafts: list[Draft] = []
    for ln in body:
        if ln.cells is None:
            if drafts and compact(ln.text) and not is_placeholder_line(ln.text):
                ctx.diag("unparsed-line", f"{seg.key} 表内无法识别的行：{ln.text.strip()}", ln, table=seg.key)
            continue
        cells = [c.strip() for c in ln.cells]
        if not any(cells):
            continue
        code, used = _split_code_cells(cells, is_code)
        nonempty = [x for x in map(compact, cells) if x]
        shift = 0  # cells added in front of the line's own (their boxes are the line's cells less this)
        if code is None and drafts and any(set(nonempty) == {compact(c) for c in h} - {""} for h in header):
            continue  # the header repeated at the top of a continuation page
        if (
            code is None and header and ln.cell_boxes is not None  # a PDF grid: merged cells are fewer
            and compact(cells[0]) in TOTAL_NAMES and len(cells) < len(header[-1])
            and len(cells) - 1 == len(columns)
        ):
            # a total row on a page of its own, its label merged over the code and name cells: the
            # amounts are the last cells, one per column
            shift = len(header[-1]) - len(cells)
            cells = [""] * shift + [nonempty[0]] + cells[1:]
        if code is None and not drafts:
            numeric = any(t.is_number for c in cells for t in cell_tokens(c))
            lone_total = len(nonempty) == 1 and nonempty[0] in TOTAL_NAMES
            if nonempty[0] == "栏次" or (not numeric and not lone_total):
                header.append(cells)
                continue
        if start is None:
            start = (first_position(header, seg.spec["columns"]) if seg.spec.get("header") else None)
            if start is None:
                start = header_start(header, labels)
        first_value = start
        if first_value is None:
            # no header: the amounts begin after the name cell
            j = used
            while j < len(cells) and not compact(cells[j]):
                j += 1
            first_value = j + 1
        names = [c for c in cells[used:first_value] if compact(c)]
        name = compact("".join(names))
        is_total = name in TOTAL_NAMES
        if code is None and not is_total:
            if not drafts:  # a continuation line before the first row: nothing to continue
                ctx.diag("unparsed-line", f"{seg.key} 表内无法识别的行：{ln.text.strip()}", ln, table=seg.key)
                continue
            # a wrapped name or values continuing the previous row
            if not drafts:
                if any(cell_tokens(c) for c in cells[first_value:]):
                    ctx.diag(
                        "unparsed-line", f"{seg.key} 表内无法识别的行：{ln.text.strip()}", ln, table=seg.key
                    )
                continue
            prev = drafts[-1]
            more: dict[str, object] = {}
            fits = True
            for j, c in enumerate(cells[first_value:]):
                toks = cell_tokens(c, ln.number, ln.page, cell_box(ln, first_value + j))
                if not toks:
                    continue
                col = columns[j] if j < len(columns) else None
                if col is None or col in prev.placed or len(toks) != 1:
                    fits = False
                    break
                more[col] = toks[0]
            if not fits:
                # amounts where the row above has its own: a row of its own that could not be read (a
                # misprinted code), not the rest of the row above
                ctx.diag("unparsed-line", f"{seg.key} 表内无法识别的行：{ln.text.strip()}", ln, table=seg.key)
                continue
            prev.more.append(ln)
            if name:
                prev.names.append(name)
            prev.placed.update(more)  # type: ignore[arg-type]
            continue
        d = Draft(line=ln, code=code, names=[name])
        for j, c in place_cells(d, cells[first_value:], columns, first_value - shift, ids=False):
            ctx.diag(
                "unparsed-line",
                f"{seg.key} 行“{code or ''}{name}”第 {first_value + j + 1} 格无法读取：{c}",
                ln,
                table=seg.key,
            )
        drafts.append(d)
    return drafts


def _parents(drafts: list[Draft]) -> list[int | None]:
    """Index of each row's parent: the longest code that is a prefix of its code; 类 rows (and rows with
    no coded ancestor) hang under the 合计 row."""
    total = next((i for i, d in enumerate(drafts) if d.code is None and d.name in TOTAL_NAMES), None)
    by_code = {d.code: i for i, d in enumerate(drafts) if d.code}
    out: list[int | None] = []
    for i, d in enumerate(drafts):
        if d.code is None:
            out.append(None)
            continue
        parent = None
        for n in range(len(d.code) - 2, 2, -2):
            p = by_code.get(d.code[:n])
            if p is not None:
                parent = p
                break
        if parent is None and total is not None and total != i:
            parent = total
        out.append(parent)
    return out


__all__ = ["read_coded"]
