"""收支总表 (T1, B1) and 财政拨款收支总表 (T4, B4): two halves side by side, 收入 left, 支出 right.

Text form with 行次: the 行次 numbers run 1, 2, 3 … on the left and from 31/32/33 on the right; each
integer that continues one of the two runs is a 行次, the words before it are that row's name (wrapped
names join up across lines) and the numbers after it are its amounts. Without 行次 (budget tables)
names delimit the rows and the half is told by the name. Cell form: positions split the halves.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from ...data import catalog
from ...model import Row, Table
from ..text import compact
from .codes import class_code
from .common import (
    Context,
    Draft,
    after_column_numbers,
    build_row,
    cell_box,
    cell_lines,
    column_ids,
    decide_text,
    is_placeholder_line,
    place,
    place_cells,
    row_key,
    union,
)
from .header import first_position, map_grid, norm
from .relations import hints
from .segment import Segment
from .tokens import DASH, INT, NUM, WORD, Token, cell_tokens, tokenize

INCOME, SPENDING = "收入", "支出"
_FIRST_ROW = re.compile(r"^(?:一[、.．]|[（(]一[)）])")
_ORDINAL_START = re.compile(r"^(?:[一二三四五六七八九十廿]+[、.．]|[（(][一二三四五六七八九十廿]+[)）]|\d{1,2}[、.．](?!\d))")
_SPENDING_NAMES = {"结余分配", "年末结转和结余", "年终结转结余", "年末财政拨款结转和结余", "支出总计"}
SUMMARY_LABELS = (
    "本年收入合计",
    "本年支出合计",
    "收入总计",
    "支出总计",
    "总计",
    "上年结转",
    "年初结转",
    "年末结转",
    "年初财政拨款结转",
    "年末财政拨款结转",
    "年终结转",
    "结余分配",
    "使用非财政拨款结余",
    "本年收入",
    "本年支出",
)


def read_summary(seg: Segment, ctx: Context, others: list[Table] | None = None) -> list[Row]:
    body, _ = seg.split_tail()
    groups = seg.spec.get("groups") or []
    cells = any(ln.cells is not None and len(ln.cells) > 1 for ln in body)
    drafts = None
    if cells and groups:
        drafts = _from_group_cells(seg, ctx, body, groups)
    if drafts is None:
        drafts = _from_cells(seg, ctx, body) if cells else _from_text(seg, ctx, body)
    parts = list(dict.fromkeys([INCOME, SPENDING, *(g["part"] for g in groups)]))
    rows: list[Row] = []
    for part in parts:
        half = [d for d in drafts if d.part == part]
        cols = column_ids(seg.spec, part)
        known = hints(seg.key, seg.unit, half, cols, others or [], ctx.year)
        placed = place(ctx, seg, half, cols, _parents(half, ctx.year) if part == SPENDING else None, known=known)
        keys = _keys(half, ctx.year, part)
        for i, d in enumerate(half):
            rows.append(build_row(ctx, seg, d, keys[i], placed[i], cols))
    if not cells and len(groups) > 2:
        failed = _unconfirmed(seg, rows)
        if failed:
            ctx.diag("unconfirmed", f"{seg.key} 为文本形式，{len(groups)}组并列，各数属于哪一行未能由表内等式确认"
                     f"（{failed}）", body[0] if body else None, table=seg.key)
    return rows


def _unconfirmed(seg: Segment, rows: list[Row]) -> str | None:
    """The first row identity of the table (``total = items`` in a part) that its rows read from text do
    not satisfy, said; None when all hold. Text flattens side-by-side groups into one line, blank cells
    dropped: which row an amount belongs to is certain only where the table's own sums confirm it."""
    per_item = Decimal("0.5") if seg.unit == "元" else Decimal("0.005")

    def value(key: str, part: str | None) -> Decimal | None:
        k, _, p = key.partition("@")
        r = next((r for r in rows if r.key == norm_key(k) and r.part == (p or part)), None)
        c = next((c for c in r.cells if c.value is not None), None) if r else None
        return c.value if c else (Decimal(0) if r else None)

    for ident in seg.spec.get("identities", []):
        if ident.get("kind") != "rows" or not ident.get("part"):
            continue
        part, total_key, items = ident["part"], ident["total"], ident["items"]
        total = value(total_key, part)
        if total is None:
            continue
        mine = [r for r in rows if r.part == part]
        if items == "codes":
            parts = [r for r in mine if r.code]
        elif items == "before":
            at = next((i for i, r in enumerate(mine) if r.key == norm_key(total_key.partition("@")[0])), len(mine))
            parts = mine[:at]
        else:
            parts = [r for r in mine if any(r.key == norm_key(k) for k in items)]
        got = sum((c.value for r in parts for c in r.cells[:1] if c.value is not None), Decimal(0))
        if abs(got - total) > per_item * max(len(parts), 1):
            return f"{row_key(total_key.partition('@')[0])} {total} ≠ 各行之和 {got}"
    return None


def norm_key(name: str) -> str:
    return row_key(name)


def _parents(half: list[Draft], year: int | None) -> list[int | None]:
    """The expenditure half's class rows add up to 本年支出合计 (or, without it, to 支出总计) in every
    column, and 本年支出合计 and the carry-over rows after it to 总计: each row's parent when the amounts
    of a row are placed (:func:`.common.place`)."""
    keys = [row_key(d.name) for d in half]
    year_total = next((i for i, k in enumerate(keys) if k == "本年支出合计"), None)
    grand = next((i for i, k in enumerate(keys) if k in ("支出总计", "总计") and (year_total is None or i > year_total)),
                 None)
    total = year_total if year_total is not None else grand
    if total is None:
        return [None] * len(half)
    out: list[int | None] = [total if i != total and class_code(d.name, year) else None for i, d in enumerate(half)]
    if year_total is not None and grand is not None:
        # 总计 = 本年支出合计 + the carry-over rows printed between them
        for i in range(year_total, grand):
            out[i] = grand
    return out


def _keys(half: list[Draft], year: int | None, part: str) -> list[str]:
    """Row keys: the 类 code for expenditure classes, else the name key; a name printed twice in one
    half (一般公共预算财政拨款 under 本年收入 and under 年初结转) gets its group's key as prefix."""
    keys: list[str] = []
    seen: set[str] = set()
    head = ""
    for d in half:
        key = row_key(d.name)
        if part == SPENDING:
            code = class_code(d.name, year)
            if code:
                d.code = code
                key = code
        if key in seen and head:
            key = f"{head}/{key}"
        else:
            head = key
        seen.add(key)
        keys.append(key)
    return keys


# ------------------------------------------------------------------ text form


def _from_text(seg: Segment, ctx: Context, body) -> list[Draft]:
    after = after_column_numbers(body)
    header = body[: len(body) - len(after)]
    if len(after) == len(body):
        start = next((i for i, ln in enumerate(body) if _FIRST_ROW.match(compact(ln.text))), 0)
        header, after = body[:start], body[start:]
    header_text = "".join(compact(ln.text) for ln in header)
    decide_text(seg, header_text)
    toks: list[Token] = []
    for ln in after:
        if is_placeholder_line(ln.text) and not re.fullmatch(r"\d+", compact(ln.text)):
            continue
        toks.extend(tokenize(ln.text, ln.number, ln.page))
    lines = {ln.number: ln for ln in after}
    if "行次" in header_text or _looks_numbered(toks):
        drafts = _entries_numbered(seg, ctx, toks, lines)
    else:
        drafts = _entries_named(seg, ctx, toks, lines)
    for d in drafts:  # a row of a declared group its name does not place (基本支出 in 支出 by 用途)
        d.part = _group_of(seg, d.name) or d.part
    return drafts


def _group_of(seg: Segment, name: str) -> str | None:
    key = row_key(name)
    return next((g["part"] for g in seg.spec.get("groups") or () if key in g.get("rows", ())), None)


def _looks_numbered(toks: list[Token]) -> bool:
    """行次 printed: small integers 1, 2, 3 … (not the ordinals ``1. 一般公共预算`` of sub-items)."""
    ints = [
        int(t.text) for i, t in enumerate(toks)
        if t.kind == INT and len(t.text) <= 2
        and not (i + 1 < len(toks) and toks[i + 1].text[:1] in ".．、")
    ]
    return ints[:3] == [1, 2, 3] or (len(ints) > 3 and ints[0] == 1)


def _entries_numbered(seg: Segment, ctx: Context, toks: list[Token], lines) -> list[Draft]:
    drafts: list[Draft] = []
    words: list[Token] = []
    current: Draft | None = None
    left_next, right_next = 1, None
    for tok in toks:
        if tok.kind == WORD:
            words.append(tok)
            continue
        if tok.kind == INT:
            n = int(tok.text)
            side = None
            if n == left_next:
                side = INCOME
                left_next += 1
            elif right_next is None and words and drafts and n > left_next:
                side = SPENDING
                right_next = n + 1
            elif right_next is not None and n == right_next:
                side = SPENDING
                right_next += 1
            if side is not None:
                while words:
                    # the rest of a name above, wrapped after its 行次 (``二十三、 54`` / ``其他支出``)
                    owner = _owner(drafts, words[0].text, ctx.year)
                    if owner is None:
                        break
                    owner.names.append(words.pop(0).text)
                first = words[0] if words else tok
                current = Draft(line=lines.get(first.line) or lines[tok.line], part=side, number=n)
                current.names = [w.text for w in words]
                for t in (*words, tok):
                    _also(current, lines.get(t.line))
                words = []
                drafts.append(current)
                continue
        if tok.kind in (INT, NUM, DASH):
            if current is None or words:
                ctx.diag(
                    "unparsed-line",
                    f"{seg.key} 数“{tok.text}”不属于任何一行"
                    + (f"（前有“{''.join(w.text for w in words)}”）" if words else ""),
                    lines.get(tok.line),
                    table=seg.key,
                )
                words = []
                continue
            current.tokens.append(tok)
            _also(current, lines.get(tok.line))
    if words:
        ctx.diag(
            "unparsed-line",
            f"{seg.key} 无法归入任何一行的文字：{''.join(w.text for w in words)}",
            lines.get(words[0].line),
            table=seg.key,
        )
    return _keep(seg, ctx, drafts)


def _ordinals_joined(toks: list[Token]) -> list[Token]:
    """``1`` ``.一般公共预算`` (an arabic ordinal of a sub-item, split by the tokenizer) is one name."""
    out: list[Token] = []
    for t in toks:
        if t.kind == WORD and t.text[:1] in ".．、" and out and out[-1].kind == INT and len(out[-1].text) <= 2:
            prev = out.pop()
            t = Token(WORD, prev.text + t.text, t.line, t.page, t.bbox)
        out.append(t)
    return out


def _entries_named(seg: Segment, ctx: Context, toks: list[Token], lines) -> list[Draft]:
    toks = _ordinals_joined(toks)
    drafts: list[Draft] = []
    current: Draft | None = None
    income_total_seen = False
    for tok in toks:
        if tok.kind == WORD:
            for piece in _two_names(_split_names(tok.text), ctx.year, seg):
                owner = _owner(drafts, piece, ctx.year) if current is not None else None
                if owner is not None and (owner is not current or current.tokens):
                    # the rest of a name wrapped after its amounts, or of the other half's name
                    owner.names.append(piece)
                    _also(owner, lines.get(tok.line))
                    continue
                if current is None or current.tokens or _starts_row(piece) or (
                        _whole(current.name, ctx.year, seg) and _whole(piece, ctx.year, seg)):
                    # (a whole name after a row printed without amounts is a row of its own: ``二十、其他支出``
                    # / ``当年收入小计 15,897.44``)
                    current = Draft(line=lines[tok.line])
                    drafts.append(current)
                current.names.append(piece)
                _also(current, lines.get(tok.line))
            continue
        if current is None:
            ctx.diag(
                "unparsed-line", f"{seg.key} 数“{tok.text}”不属于任何一行", lines.get(tok.line), table=seg.key
            )
            continue
        current.tokens.append(tok)
        _also(current, lines.get(tok.line))
    for d in drafts:
        d.part = _side_of(d.name, income_total_seen)
        if d.part == INCOME and row_key(d.name).endswith("总计"):
            income_total_seen = True
    return _keep(seg, ctx, drafts)


def _also(d: Draft, line) -> None:
    """Record a further source line of a row (its box joins the row's box)."""
    if line is not None and line is not d.line and all(line is not m for m in d.more):
        d.more.append(line)


# names of blank summary rows that text glues together when they share a line (no amounts between)
_GLUED = "使用非财政拨款结余|年初财政拨款结转和结余|年末财政拨款结转和结余|年初结转和结余|年末结转和结余|结余分配|本年收入合计|本年支出合计|总计"
_GLUED_LABELS = re.compile(rf"^(?:{_GLUED}){{2,}}$")
_GLUED_LABEL = re.compile(_GLUED)


def _split_names(word: str) -> list[str]:
    """``八、其他收入八、节能环保支出`` (two cells glued) → both names; not inside an ordinal
    (``十一、城乡社区支出`` is one name); ``使用非财政拨款结余结余分配`` (two blank rows) → both."""
    parts = re.split(
        r"(?<=[^、（(一二三四五六七八九十廿])(?=(?:[一二三四五六七八九十廿]+、|[（(][一二三四五六七八九十廿]+[)）]))",
        word,
    )
    out: list[str] = []
    for p in parts:
        if _GLUED_LABELS.match(p):
            out.extend(_GLUED_LABEL.findall(p))
        elif p:
            out.append(p)
    return out


def _two_names(pieces: list[str], year: int | None, seg: Segment) -> list[str]:
    """A piece made of two whole names printed side by side without amounts (``上年结转资金 结转下年资金``,
    one word to the tokenizer): the two names."""
    out: list[str] = []
    for p in pieces:
        if not _whole(p, year, seg):
            cut = next((i for i in range(2, len(p) - 1) if _whole(p[:i], year, seg) and _whole(p[i:], year, seg)),
                       None)
            if cut is not None:
                out.extend((p[:cut], p[cut:]))
                continue
        out.append(p)
    return out


def _whole(name: str, year: int | None, seg: Segment) -> bool:
    """A whole row name: an expenditure class, a label the catalog knows, a row of a declared group."""
    return _complete(name, year) == 2 or _group_of(seg, name) is not None


_LABELS: dict[int, frozenset[str]] = {}


def _labels() -> frozenset[str]:
    """The names of summary rows the catalog knows: its row identities' totals and items, the rows its
    relations name (一般公共预算财政拨款收入, 上级补助收入, …) and the summary labels (the catalog the
    document is read with: a region's layout names its own)."""
    data = catalog()
    out = _LABELS.get(id(data))
    if out is None:
        out = _LABELS[id(data)] = _labels_of(data)
    return out


def _labels_of(data) -> frozenset[str]:
    out = set(SUMMARY_LABELS)
    for t in data["tables"]:
        for ident in t.get("identities", []):
            items = ident.get("items")
            for name in [ident.get("total", ""), *(items if isinstance(items, list) else [])]:
                out.update(n for n in name.split("|") if n)
    for rel in data.get("relations", []):
        for side in (rel.get("left", ""), rel.get("right", "")):
            for ref in side.split("+"):
                parts = ref.strip().split(":")
                if len(parts) == 3 and not parts[1].startswith("*"):
                    out.add(parts[1].split("@")[0])
    return frozenset(out)


def _complete(name: str, year: int | None) -> int:
    """2 when ``name`` is a whole summary row name (an expenditure class or a label), 1 when it begins
    one, else 0."""
    if class_code(name, year) is not None or row_key(name) in _labels():
        return 2
    key = row_key(name)
    heads = (*_labels(), *(re.sub(r"[（(]类[)）]$", "", n) for n in _class_heads(year)))
    return 1 if len(key) >= 2 and any(h.startswith(key) for h in heads) else 0


@lru_cache(maxsize=8)
def _class_heads(year: int | None) -> tuple[str, ...]:
    from .codes import _class_names

    return tuple(_class_names(year))


def _owner(drafts: list[Draft], piece: str, year: int | None) -> Draft | None:
    """The recent row whose name, cut where it wrapped, ``piece`` continues: of the last rows (the two
    halves of the lines just read) whose name is not whole, the latest that ``piece`` makes whole (else
    the start of a whole name)."""
    if _starts_row(piece):
        return None
    open_rows = [d for d in drafts[-3:][::-1] if d.names and _complete(d.name, year) < 2]
    for want in (2, 1):
        if want == 1 and _complete(piece, year) == 2:
            return None  # a whole name of its own that completes no name above
        for d in open_rows:
            if _complete(d.name + piece, year) >= want:
                return d
    return None


def _starts_row(piece: str) -> bool:
    return bool(_ORDINAL_START.match(piece)) or row_key(piece).startswith(SUMMARY_LABELS)


def _side_of(name: str, income_total_seen: bool) -> str:
    key = row_key(name)
    if key in ("总计", "合计"):
        return SPENDING if income_total_seen else INCOME
    if "支出" in key or key in _SPENDING_NAMES or key.startswith(("年末", "年终")):
        return SPENDING
    return INCOME


def _keep(seg: Segment, ctx: Context, drafts: list[Draft]) -> list[Draft]:
    """Rows with a name; a blank row (行次 only) is dropped, a nameless row with amounts reported."""
    out = []
    for d in drafts:
        if d.name:
            out.append(d)
        elif any(t.kind != DASH for t in d.tokens) or any(t.kind != DASH for t in d.placed.values()):
            values = " ".join(t.text for t in d.tokens) or " ".join(t.text for t in d.placed.values())
            ctx.diag(
                "unparsed-line",
                f"{seg.key} 第 {d.number} 行没有项目名称却印有数：{values}",
                d.line,
                table=seg.key,
            )
    return out


# ------------------------------------------------------------------ cell form, declared column groups


def _group_starts(header: list[list[str]], groups: list[dict]) -> list[tuple[int, str]] | None:
    """(first cell index, part) of each column group the catalog declares, from the header labels
    printed above it (the leftmost cell naming one of its labels); None unless every group is found,
    left to right."""
    out: list[tuple[int, str]] = []
    for g in groups:
        labels = {norm(x) for x in g["header"]}
        found = [i for row in header for i, c in enumerate(row) if c and norm(c) in labels]
        if not found:
            return None
        out.append((min(found), g["part"]))
    if [i for i, _ in out] != sorted({i for i, _ in out}):
        return None
    return out


def _has_amount(comp: list[str]) -> bool:
    return any(t.is_number for c in comp if c for t in cell_tokens(c))


def _is_name(cell: str) -> bool:
    toks = cell_tokens(cell) if cell else []
    return bool(toks) and not toks[0].is_number


def _from_group_cells(seg: Segment, ctx: Context, body, groups: list[dict]) -> list[Draft] | None:
    """A summary table of several column groups side by side (the catalog's ``groups``: 收入 | 支出 by
    功能分类 | 支出 by 用途), each a name cell and its amounts. A line is cut where the groups begin (by
    the header); a line of another grid (a page printing the total rows only) is cut at its name cells,
    the groups taken in order. A name printed over two groups (a merged cell) takes the amounts of the
    group to its right where that group has no name; a name cut by a page break continues the row above
    it. None when the header does not show the groups (the two-half reading is used)."""
    header: list[list[str]] = []
    starts: list[tuple[int, str]] | None = None
    drafts: list[Draft] = []
    last: dict[str, Draft] = {}
    page = None
    for ln, cells, comp in cell_lines(body):
        if starts is None:
            if not _has_amount(comp) and not any(_starts_row(c) for c in comp if c):
                header.append(comp)
                continue
            starts = _group_starts(header, groups)
            if starts is None:
                return None
            seg.spec = {**seg.spec, "header": True}  # each group's amount column is the one under its label
        if comp[0] == "栏次" or _repeated(comp, header):
            continue
        width = max(len(h) for h in header)
        if len(comp) == width:
            bounds = [i for i, _ in starts] + [len(comp)]
            pieces = [(part, bounds[k], bounds[k + 1]) for k, (_, part) in enumerate(starts)]
        else:
            at = [i for i, c in enumerate(comp) if _is_name(c)] or [0]
            at[0] = 0
            at = at[: len(starts)]
            bounds = at + [len(comp)]
            pieces = [(starts[k][1], bounds[k], bounds[k + 1]) for k in range(len(at))]
        new_page = page is not None and ln.page != page
        page = ln.page
        made: list[Draft | None] = []
        for part, lo, hi in pieces:
            half = cells[lo:hi]
            name = compact(half[0]) if half else ""
            left = made[-1] if made else None
            if not name and left is not None and not left.placed and _has_amount([compact(c) for c in half]):
                # the name to the left spans this group too (a merged cell): its amounts are this group's
                cols = column_ids(seg.spec, part)
                for j, c in place_cells(left, half[1:], cols, lo + 1):
                    ctx.diag("unparsed-line", f"{seg.key} {part}栏第 {j + 1} 个数无法读取：{c}", ln, table=seg.key)
                made.append(None)
                continue
            if (new_page and name and part in last and not _starts_row(name)
                    and not _has_amount([compact(c) for c in half[1:]])):
                # a name cut by the page break: the rest of the row above
                last[part].names.append(name)
                last[part].more.append(ln)
                made.append(None)
                continue
            d = _half(seg, ctx, ln, half, part, False, lo)
            if d is not None:
                drafts.append(d)
                last[part] = d
            made.append(d)
    order = {part: k for k, (_, part) in enumerate(starts or [])}
    drafts.sort(key=lambda d: order.get(d.part or "", 0))
    return _keep(seg, ctx, drafts)


# ------------------------------------------------------------------ cell form


def _from_cells(seg: Segment, ctx: Context, body) -> list[Draft]:
    right = None
    numbered = False
    started = False
    drafts: list[Draft] = []
    header: list[list[str]] = []
    for ln, cells, comp in cell_lines(body):
        if not started:
            items = [i for i, c in enumerate(comp) if c in ("项目", "项目名称")]
            if len(items) >= 2:
                right = items[1]
                numbered = "行次" in comp
                header.append(cells)
                continue
            if right is None:
                right, numbered = _guess_halves(cells)
                if right is None:
                    header.append(cells)
                    continue
            elif _is_header(comp, right):
                header.append(cells)  # the rows of a header under its 项目 row (merged labels)
                continue
            started = True
            _decide_halves(seg, header, right, numbered)
        if comp[0] == "栏次" or _repeated(comp, header):
            continue
        for part, half, at in ((INCOME, cells[:right], 0), (SPENDING, cells[right:], right)):
            d = _half(seg, ctx, ln, half, part, numbered, at)
            if d is not None:
                drafts.append(d)
    drafts.sort(key=lambda d: 0 if d.part == INCOME else 1)
    return _keep(seg, ctx, drafts)


def _repeated(comp: list[str], header: list[list[str]]) -> bool:
    """A row of the header again: printed at the top of each page a long table continues on."""
    mine = {c for c in comp if c}
    return any(mine == {compact(c) for c in h} - {""} for h in header)


def _is_header(comp: list[str], right: int) -> bool:
    """A row of a multi-row header: labels only, and no row name in either half's name cell."""
    texts = [c for c in comp if c]
    names = [comp[i] for i in (0, right) if i < len(comp) and comp[i]]
    return bool(texts) and not any(t.is_number for c in texts for t in cell_tokens(c)) and not any(
        _starts_row(c) or c in ("总计", "合计") for c in names
    )


def _decide_halves(seg: Segment, header: list[list[str]], right: int, numbered: bool) -> None:
    """The columns of each half, from the header above it (Shanghai prints 合计 | 人员经费 | 公用经费 |
    项目支出 in the expenditure half); the defaults when the header does not name them all."""
    skip = 2 if numbered else 1
    cols = seg.spec.get("columns", [])
    halves: dict[str, list[str]] = {}
    for part, lo, hi in ((INCOME, skip, right), (SPENDING, right + skip, None)):
        mine = [c for c in cols if c.get("group") in (None, part)]
        if first_position(header, mine, lo) != lo:
            return
        ids = map_grid(header, mine, lo, hi)
        if not ids:
            return
        halves[part] = ids
    both = set(halves[INCOME]) & set(halves[SPENDING])
    by_id = {c["id"]: c for c in cols}
    out = []
    for part, ids in halves.items():
        for i in ids:
            if i in both and part == SPENDING:
                continue
            col = {k: v for k, v in by_id[i].items() if k != "optional"}
            col["group"] = None if i in both else part
            out.append(col)
    seg.spec = {**seg.spec, "columns": out, "header": True}


def _guess_halves(cells: list[str]) -> tuple[int | None, bool]:
    """No 项目 header: on the first row naming income, the second name cell starts the right half."""
    names = [i for i, c in enumerate(cells) if compact(c) and not cell_tokens(c)[0].is_number]
    if len(names) < 2 or not _FIRST_ROW.match(compact(cells[names[0]])):
        return None, False
    right = names[1]
    numbered = right >= 2 and bool(re.fullmatch(r"\d{1,2}", compact(cells[1])))
    return right, numbered


def _half(
    seg: Segment, ctx: Context, ln, half: list[str], part: str, numbered: bool, at: int = 0
) -> Draft | None:
    """The row of one half of a line; ``at`` is the index of the half's first cell in the line."""
    if not any(compact(c) for c in half):
        return None
    d = Draft(line=ln, part=part, names=[compact(half[0])] if half else [])
    # the row's box: the printed cells of its half (the line holds both halves)
    d.box = union([cell_box(ln, at + i) for i, c in enumerate(half) if compact(c)])
    values = half[1:]
    skip = 1
    if numbered and values:
        no = compact(values[0])
        if re.fullmatch(r"\d+", no):
            d.number = int(no)
        values = values[1:]
        skip = 2
    cols = column_ids(seg.spec, part)
    for j, c in place_cells(d, values, cols, at + skip):
        ctx.diag("unparsed-line", f"{seg.key} {part}栏第 {j + 1} 个数无法读取：{c}", ln, table=seg.key)
    if not d.placed and not d.name:
        return None
    return d


__all__ = ["read_summary"]
