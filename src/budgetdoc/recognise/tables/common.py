"""Shared pieces of the layout readers: the context, draft rows, cells, header positions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ...model import BBox, Cell, Column, Diagnostic, Location, Row, built, trusted
from ...read import Line
from ..text import compact
from .header import choose, default_columns, first_position, map_grid, named_in_text, named_loosely
from .resolve import Choice, choices, good, parse_exprs, resolve_tree
from .segment import Segment
from .tokens import DASH, ID, WORD, Token, amount, cell_tokens

TOTAL_NAMES = {"合计", "总计"}


@dataclass
class Context:
    path: str
    year: int | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def loc(self, line: Line | None, **kw: object) -> Location:
        """The location of a source line: page, line number and (PDF) its box."""
        if line is None:
            return trusted(Location, file=self.path, **kw)
        kw.setdefault("bbox", line.bbox)
        return trusted(Location, file=self.path, page=line.page, line=line.number, **kw)

    def diag(self, code: str, message: str, line: Line | None, **kw: object) -> None:
        self.diagnostics.append(Diagnostic(code=code, message=message, location=self.loc(line, **kw)))


@dataclass
class Draft:
    """A row being read: its code, name pieces, and either positioned values (cells) or a run of
    value tokens whose columns are still to be chosen (text)."""

    line: Line
    code: str | None = None
    names: list[str] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)  # text form: values in printed order
    placed: dict[str, Token] = field(default_factory=dict)  # cells form: column id → value
    part: str | None = None
    number: int | None = None
    key: str | None = None
    more: list[Line] = field(default_factory=list)  # further source lines of the row (wrapped parts)
    box: BBox | None = None  # the row's box when it is a part of its lines (a half, a column group)
    how: str | None = None  # how the columns of the amounts were decided (Cell.read), text form
    guessed: set[str] = field(default_factory=set)  # columns whose amount could be in another column

    @property
    def name(self) -> str:
        return compact("".join(self.names))

    def bbox(self) -> BBox | None:
        """The row's box: its own, else the union of its lines' boxes (None for text)."""
        if self.box is not None:
            return self.box
        if not self.more:  # one line: its box
            return self.line.bbox
        return union([ln.bbox for ln in (self.line, *self.more) if ln is not None])


def union(boxes: list[BBox | None]) -> BBox | None:
    """The smallest box holding the given boxes (None when there is none)."""
    bs = [b for b in boxes if b is not None]
    if not bs:
        return None
    return (min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs))


def cell_box(line: Line, index: int) -> BBox | None:
    """The box of a line's cell (PDF grids), None when the line has no cell boxes."""
    boxes = line.cell_boxes
    return boxes[index] if boxes is not None and 0 <= index < len(boxes) else None


def columns_of(spec: dict, group: str | None = None) -> list[Column]:
    """The table's columns (of one half or group): those its header named, else the catalog's
    non-optional ones."""
    out = []
    for c in spec.get("columns", []):
        if group is not None and c.get("group") not in (None, group):
            continue
        if c.get("optional"):
            continue
        out.append(trusted(Column, id=c["id"], label=c["label"], number=c.get("number"), group=c.get("group")))
    return out


def column_ids(spec: dict, group: str | None = None) -> list[str]:
    """The ids of :func:`columns_of` (without building its models: asked for every row of a table)."""
    return [c["id"] for c in spec.get("columns", [])
            if (group is None or c.get("group") in (None, group)) and not c.get("optional")]


def decide_grid(seg: Segment, header: list[list[str]], lo: int = 0) -> None:
    """A ruled grid: the columns are those its header names, in printed order (else the defaults)."""
    cols = seg.spec.get("columns", [])
    start = first_position(header, cols, lo)
    ids = map_grid(header, cols, start) if start is not None else None
    known = header_start(header, [c["label"] for c in cols], max(lo, 1))
    if known is not None and known != start:
        ids = None  # the header is read two ways: keep the catalog's columns
    seg.spec = choose(seg.spec, ids)


def decide_text(seg: Segment, header_text: str, widest: int | None = None) -> None:
    """Text: the header's words decide only between a region's variants (a header naming an optional
    column); the columns are then those it names, in catalog order (a text header wrapped over several
    lines does not keep the printed order). A group label over named sub-columns (基本支出 over 人员经费
    and 公用经费) is no column of its own."""
    cols = seg.spec.get("columns", [])
    named = set(named_in_text(header_text, cols))
    by_id = {c["id"]: c for c in cols}
    named -= {c.get("under") for c in cols if c["id"] in named and c.get("under")}
    if named and widest is not None and widest > len(named):
        # a row prints more amounts than the header names columns: headings wrapped with others'
        # lines between them (``事业单位`` … ``经营收入``) name the rest
        for cid in named_loosely(header_text, cols, named):
            if len(named) >= widest:
                break
            named.add(cid)
    # the header names fewer columns than the catalog's and no row prints more amounts than that: the
    # table prints those (Shanghai 合计 | 基本支出 | 项目支出 of a five-column catalog entry)
    defaults = {c["id"] for c in default_columns(seg.spec)}
    confirmed = bool(named) and named < defaults and widest is not None and 1 <= widest <= len(named) \
        and len(named) >= 2
    if not confirmed and not any(by_id[i].get("optional") for i in named):
        seg.spec = {**seg.spec, "columns": default_columns(seg.spec), "header": False}
        return
    seg.spec = choose(seg.spec, [c["id"] for c in cols if c["id"] in named])
    seg.spec["header"] = False  # the order is the catalog's, not read from positions


def make_cell(
    ctx: Context, table: str, row_key: str, column: str, tok: Token, read: str | None = None
) -> Cell | None:
    if tok.kind == DASH:
        return None
    # trusted values: what trusted(Location, file=…, page=…, line=…, bbox=…, table=…, row=…, column=…) and
    # trusted(Cell, column=…, value=…, text=…, location=…, read=…) build, every field spelled out in
    # declaration order (a table has hundreds of cells; tests/test_model_trusted.py holds them equal)
    loc = built(
        Location,
        {"file": ctx.path, "page": tok.page or None, "line": tok.line or None, "bbox": tok.bbox, "table": table,
         "row": row_key, "part": None, "column": column, "column_label": None},
        {"file", "page", "line", "bbox", "table", "row", "column"},
    )
    return built(
        Cell,
        {"column": column, "value": amount(tok.text), "text": tok.text, "location": loc, "read": read},
        {"column", "value", "text", "location", "read"},
    )


def guessed_blank(ctx: Context, table: str, row_key: str, column: str, line: Line | None) -> Cell:
    """A blank cell whose blankness is a guess: the row's amounts were placed elsewhere, but another
    placement as good puts one here (rules derive nothing from it, :mod:`budgetdoc.check.certainty`)."""
    return trusted(Cell, column=column, value=None, text="",
                   location=ctx.loc(line, table=table, row=row_key, column=column), read="guess")


def place(
    ctx: Context,
    seg: Segment,
    drafts: list[Draft],
    columns: list[str],
    parent_of: list[int | None] | None = None,
    exprs_spec: list[dict] | None = None,
    known: list[list[tuple[int, int]]] | None = None,
) -> dict[int, dict[str, Token]]:
    """Choose columns for the value runs of text-form drafts (jointly over the hierarchy given by
    ``parent_of``) and return, per draft index, column id → token. Drafts placed by cell positions
    are returned as they are. ``known``: per draft, (column index, cents) that other tables say the
    row holds (:mod:`.relations`): a row the table alone leaves open is placed where they fit, when
    only one placement does."""
    exprs = parse_exprs(exprs_spec if exprs_spec is not None else seg.spec.get("identities", []), columns)
    options: list[list[Choice]] = []
    for d in drafts:
        if d.placed or not d.tokens:
            options.append([])
            continue
        values = [None if t.kind == DASH else amount(t.text) for t in d.tokens]
        opts = choices(values, len(columns), exprs)
        if not opts:
            # more numbers than columns: keep the first ones left-aligned, report the rest
            ctx.diag(
                "ambiguous-columns",
                f"{seg.key} 行“{d.code or ''}{d.name}”印有 {len(d.tokens)} 个数，多于 {len(columns)} 栏："
                + " ".join(t.text for t in d.tokens),
                d.line,
                table=seg.key,
            )
            values = values[: len(columns)]
            d.tokens = d.tokens[: len(columns)]
            opts = choices(values, len(columns), exprs)
            d.guessed = set(columns)  # amounts of another row among them: no column of it is sure
        options.append(opts)
    for i, opts in enumerate(options):
        if known and known[i] and opts:
            # the placements that agree with another table's certain cells (when some do: else the
            # relation is broken whatever the placement, and that is for the rules to say)
            fitting = [o for o in opts if all(o.vec[c] == v for c, v in known[i])]
            if fitting and fitting[0].viol == opts[0].viol:
                options[i] = fitting
    picked, unresolved = resolve_tree(options, parent_of or [None] * len(drafts))
    out: dict[int, dict[str, Token]] = {}
    for i, d in enumerate(drafts):
        if d.placed:
            out[i] = dict(d.placed)
            continue
        ch = picked[i]
        if ch is None:
            out[i] = {}
            continue
        out[i] = {columns[c]: t for c, t in zip(ch.cols, d.tokens, strict=True)}
        d.how = "unique" if len(options[i]) == 1 else "identity"
        if i in unresolved:
            if ch.viol == 0:
                # the placements as good as the one taken: an amount they all put in one column is
                # sure. (When every placement breaks the row's own identities, the row is misprinted
                # whatever the columns: that is said, not hidden as a guess.)
                alts = [o for o in good(options[i]) if len(o.cols) == len(ch.cols)] or [ch]
                d.guessed |= {columns[c] for k, c in enumerate(ch.cols) if len({o.cols[k] for o in alts}) > 1}
                # a column left blank here that another placement fills is no sure blank either
                d.guessed |= {columns[c] for o in alts for c in o.cols} - {columns[c] for c in ch.cols}
            ctx.diag(
                "guessed-columns" if d.guessed and ch.viol == 0 else "ambiguous-columns",
                f"{seg.key} 行“{d.code or ''}{d.name}”的数（{' '.join(t.text for t in d.tokens)}）"
                f"无法按表内等式和科目层级确定所在栏，按 {'/'.join(columns[c] for c in ch.cols)} 读取",
                d.line,
                table=seg.key,
            )
    return out


def build_row(
    ctx: Context, seg: Segment, d: Draft, key: str, placed: dict[str, Token], order: list[str]
) -> Row:
    cells = []
    read = d.how or ("header" if seg.spec.get("header") else "position")
    for col in order:
        tok = placed.get(col)
        if tok is None:
            if col in d.guessed:  # blank as read, but an amount of the row may belong here
                cells.append(guessed_blank(ctx, seg.key, key, col, d.line))
            continue
        cell = make_cell(ctx, seg.key, key, col, tok, "guess" if col in d.guessed else read)
        if cell is not None:
            cells.append(cell)
    # what trusted(Row, …, location=ctx.loc(d.line, table=…, row=…, bbox=…)) builds (see make_cell)
    ln = d.line
    loc = ctx.loc(ln, table=seg.key, row=key, bbox=d.bbox()) if ln is None else built(
        Location,
        {"file": ctx.path, "page": ln.page, "line": ln.number, "bbox": d.bbox(), "table": seg.key, "row": key,
         "part": None, "column": None, "column_label": None},
        {"file", "page", "line", "bbox", "table", "row"},
    )
    return built(
        Row,
        {"code": d.code, "name": d.name, "key": key, "part": d.part, "number": d.number, "cells": cells,
         "location": loc},
        {"code", "name", "key", "part", "number", "cells", "location"},
    )


def cell_lines(body: list[Line]) -> Iterator[tuple[Line, list[str], list[str]]]:
    """Cell form: (line, its stripped cells, the cells compacted) of each line with cells and any text."""
    for ln in body:
        if ln.cells is None:
            continue
        cells = [c.strip() for c in ln.cells]
        comp = [compact(c) for c in cells]
        if any(comp):
            yield ln, cells, comp


def place_cells(
    d: Draft, cells: list[str], columns: list[str], at: int, *, ids: bool = True
) -> list[tuple[int, str]]:
    """Place the value cells of ``d``'s line in ``d.placed``, left to right over ``columns``; ``cells``
    begin at index ``at`` of the line's cells (for their boxes). A cell holding one number or dash (or,
    with ``ids``, one identifier) is placed, an empty one skipped. Returns (index in ``cells``, text) of
    each cell that cannot be read (past the last column, several tokens, words): the caller reports it
    as ``unparsed-line`` in its own words."""
    bad: list[tuple[int, str]] = []
    for j, c in enumerate(cells):
        toks = cell_tokens(c, d.line.number, d.line.page, cell_box(d.line, at + j))
        if not toks:
            continue
        if j >= len(columns) or len(toks) != 1 or toks[0].kind == WORD or (toks[0].kind == ID and not ids):
            bad.append((j, c))
            continue
        d.placed[columns[j]] = toks[0]
    return bad


def header_start(header_rows: list[list[str]], labels: list[str], minimum: int = 1) -> int | None:
    """The cell index where the amount columns begin: the first header cell naming a column."""
    wanted = {compact(lb) for lb in labels} | {"合计", "小计"}
    best: int | None = None
    for cells in header_rows:
        for i, c in enumerate(cells):
            if i >= minimum and compact(c) in wanted:
                best = i if best is None else min(best, i)
                break
    return best


def after_column_numbers(body: list[Line], limit: int = 80) -> list[Line]:
    """Text form: the lines after the header's 栏次 line (``栏次 1 2 3 …``) when the header has one
    (header words such as ``合计`` must not start a row); else all lines."""
    for i, ln in enumerate(body[:limit]):
        t = compact(ln.text)
        if t.startswith("栏次") or re.fullmatch(
            r"(?:栏次)?1(?:栏次)?2(?:3)?(?:4)?(?:5)?(?:6)?(?:7)?(?:8)?(?:9)?(?:10)?(?:11)?(?:12)?", t
        ):
            return body[i + 1 :]
    return body


def is_placeholder_line(text: str) -> bool:
    """Page numbers and similar noise inside a table's extent."""
    t = compact(text)
    return bool(re.fullmatch(r"\d{1,2}|[-—]+\d+[-—]+|第\d+页(?:共\d+页)?|\d+/\d+", t))


_ORDINAL_KEY = re.compile(
    r"^(?:[一二三四五六七八九十廿]+\s*[、.．]|[（(]\s*[一二三四五六七八九十廿]+\s*[)）][、.．]?|\d{1,2}\s*[、.．](?!\d))\s*"
)


def row_key(name: str) -> str:
    """The key of a named row: the name without its ordinal (``一、`` / ``（一）``), whitespace, or a
    trailing bracket (``（含专用结余）``). Unlike a bare strip of Chinese numerals it keeps the 一 of
    ``一般公共预算…``."""
    key = _ORDINAL_KEY.sub("", compact(name))
    return re.sub(r"[（(][^）)]*[）)]$", "", key) or compact(name)


__all__ = [
    "Context",
    "after_column_numbers",
    "Draft",
    "TOTAL_NAMES",
    "build_row",
    "cell_box",
    "cell_lines",
    "columns_of",
    "decide_grid",
    "decide_text",
    "header_start",
    "is_placeholder_line",
    "make_cell",
    "place",
    "place_cells",
    "row_key",
    "union",
]
