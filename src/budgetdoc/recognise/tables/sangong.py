"""“三公”经费 tables: one row of 12 (决算: 预算数 1-6, 决算数 7-12) or 6 (预算) amounts.

In text form blank cells vanish (``1.29 1.29 1.29 1.29 1.29 1.29`` for 12 columns). The placement must
satisfy the table's identities (合计 = 出国 + 车 + 接待, 车 = 购置 + 运行); what they leave open is
settled by the catalog's relations to the 基本支出 table (决算 T6 30231 公务用车运行维护费 ≤ 运行维护费
column, budget B7 接待 ≥ B6 30217), then by the two groups mirroring each other, then left-first.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ...data import catalog
from ...model import Row, Table
from ..text import compact
from .common import (
    Context,
    Draft,
    build_row,
    cell_box,
    cell_lines,
    column_ids,
    is_placeholder_line,
)
from .header import named_in_text, named_loosely, spread
from .resolve import Choice, cents, choices, good, parse_exprs
from .segment import Segment
from .tokens import DASH, WORD, cell_tokens, tokenize

ROW_KEY = "合计"


def read_sangong(seg: Segment, ctx: Context, others: list[Table]) -> list[Row]:
    body, _ = seg.split_tail()
    cols = column_ids(seg.spec)
    if any(ln.cells is not None and len(ln.cells) > 1 for ln in body):
        d = _from_cells(seg, ctx, body, [c["id"] for c in seg.spec.get("columns", [])])
        if d is not None:
            printed = set(d.placed)
            cols = [c for c in (c["id"] for c in seg.spec.get("columns", [])) if c in cols or c in printed]
            seg.spec = {
                **seg.spec,
                "columns": [{k: v for k, v in c.items() if k != "optional"} for c in seg.spec["columns"]
                            if c["id"] in cols],
            }
    else:
        cols = _text_columns(seg, body, cols)
        d = _from_text(seg, ctx, body, cols, others)
    if d is None:
        return []
    return [build_row(ctx, seg, d, ROW_KEY, d.placed, cols)]


def _is_column_numbers(values: list[str]) -> bool:
    return len(values) >= 3 and values == [str(i) for i in range(1, len(values) + 1)]


def _from_cells(seg: Segment, ctx: Context, body, cols: list[str]) -> Draft | None:
    header: list[list[str]] = []
    for ln, cells, comp in cell_lines(body):
        if _is_column_numbers([c for c in comp if c]):
            continue
        toks = [cell_tokens(c, ln.number, ln.page, cell_box(ln, i)) for i, c in enumerate(cells)]
        if not any(t and t[0].is_number for t in toks):
            header.append(comp)
            continue
        # leading label cells (合计, a unit name) are the row's name
        start = 0
        while start < len(toks) and toks[start] and toks[start][0].kind == WORD:
            start += 1
        by_header = header_columns(header, cols, start) or _mapped(seg, header, cols, start)
        d = Draft(line=ln, names=[c for c in comp[:start] if c], how="header" if by_header else "position")
        for j, t in enumerate(toks[start:]):
            if not t:
                continue
            col = by_header[j] if by_header else (cols[j] if j < len(cols) else None)
            if col is None or len(t) != 1 or t[0].kind == WORD:
                ctx.diag(
                    "unparsed-line",
                    f"{seg.key} 第 {start + j + 1} 格无法读取：{cells[start + j]}",
                    ln,
                    table=seg.key,
                )
                continue
            d.placed[col] = t[0]
        return d
    return None


def _mapped(seg: Segment, header: list[list[str]], cols: list[str], start: int) -> list[str] | None:
    """The columns by the catalog's labels (:func:`map_grid`) where the 三公 words do not tell them
    (Jiangsu's 合计 | “三公”经费 小计 | … | 会议费 | 培训费): every position named, once."""
    from .header import map_grid

    spec = [c for c in seg.spec.get("columns", []) if c["id"] in cols]
    ids = map_grid(header, spec, start) if header else None
    width = len(spread(header)[0]) if header else 0
    return ids if ids and len(ids) == width - start else None


_GROUP = {"预算": "budget_", "决算": "final_"}


def _item(label: str) -> str | None:
    if "机关运行" in label:
        return "running"
    if "合计" in label:
        return "total"
    if "出国" in label:
        return "abroad"
    if "小计" in label:
        return "car"
    if "接待" in label:
        return "reception"
    if "购置及运行" in label or "购置和运行" in label:
        return "car"
    if "购置" in label:
        return "car_buy"
    if "运行" in label or "维护" in label:
        return "car_run"
    return None


def header_columns(header: list[list[str]], cols: list[str], start: int = 0) -> list[str] | None:
    """Column id per data position from the header rows (merged header cells spread over the
    positions below them, within their parent's span): handles both 预算数 | 决算数 groups of six
    (Wuhan) and item pairs 预算数 决算数 side by side (Shanghai). None when the header does not name
    every position or names one twice."""
    if not header:
        return None
    filled = spread(header)
    width = len(filled[0])
    names: list[str] = []
    for p in range(start, width):
        labels = [f[p] for f in filled if f[p]]
        group = next((pre for word, pre in _GROUP.items() for lab in labels if word in lab), "")
        specific = [lab for lab in labels if not any(w in lab for w in _GROUP) or _item(lab)]
        item = next((_item(lab) for lab in reversed(specific) if _item(lab)), None)
        if item is None:
            if any(labels):
                return None
            continue
        names.append(group + item if group + item in cols else item)
    names = [n for n in names]
    if not names or len(set(names)) != len(names) or any(n not in cols for n in names):
        return None
    return names


_PAIRED_HEADER = re.compile(r"^(?:预算数?决算数?){2,}$")


def _printed_order(seg: Segment, cols: list[str]) -> list[str]:
    """The columns in printed order when the header pairs 预算数 决算数 under each item (Shanghai):
    budget and final amount of each item side by side."""
    by: dict[str, list[str]] = {}
    for c in seg.spec.get("columns", []):
        if c.get("group") and c["id"] in cols:
            by.setdefault(c["group"], []).append(c["id"])
    groups = list(by.values())
    if len(groups) != 2 or len(groups[0]) != len(groups[1]):
        return cols
    return [c for pair in zip(*groups, strict=True) for c in pair]


def _text_columns(seg: Segment, body, cols: list[str]) -> list[str]:
    """Text: the catalog's columns, with the optional ones the header names (机关运行经费)."""
    head = []
    for ln in body[:20]:
        if any(t.kind != WORD for t in tokenize(ln.text)) and head:
            break
        head.append(ln.text)
    named = set(named_in_text(" ".join(head), seg.spec.get("columns", [])))
    # an optional heading wrapped with other headings' lines between its pieces (机关运行经 … 费预算数)
    named |= set(named_loosely(" ".join(head), [c for c in seg.spec.get("columns", []) if c.get("optional")],
                               named))
    extra = [c for c in seg.spec.get("columns", []) if c.get("optional") and c["id"] in named]
    if extra:
        keep = set(cols) | {c["id"] for c in extra}
        seg.spec = {
            **seg.spec,
            "columns": [{k: v for k, v in c.items() if k != "optional"} for c in seg.spec["columns"]
                        if c["id"] in keep],
        }
        return [c["id"] for c in seg.spec["columns"]]
    return cols


def _declared_orders(seg: Segment, cols: list[str]) -> list[list[str]]:
    """The printed orders of the columns the catalog declares for this table's layouts (Shanghai prints
    公务接待费 before 公务用车), those with exactly these columns."""
    return [o for o in seg.spec.get("orders", []) if sorted(o) == sorted(cols) and o != cols]


def _from_text(seg: Segment, ctx: Context, body, cols: list[str], others: list[Table]) -> Draft | None:
    d: Draft | None = None
    order = cols
    pairs = ""  # the 预算数 / 决算数 headings read so far, one per line or several on a line
    header: list[str] = []
    for ln in body:
        toks = tokenize(ln.text, ln.number, ln.page)
        if not toks or is_placeholder_line(ln.text) and len(toks) == 1 and d is None:
            continue
        words = [t for t in toks if t.kind == WORD]
        values = [t for t in toks if t.kind != WORD]
        head = compact(ln.text)
        pairs = pairs + head if re.fullmatch(r"(?:预算数?|决算数?)+", head) else ""
        if d is None and not values and (_PAIRED_HEADER.match(head) or _PAIRED_HEADER.match(pairs)):
            order = _printed_order(seg, cols)
        if not values or (words and toks[-1].kind == WORD):
            if d is None:
                header.append(ln.text)
            continue  # header line
        if _is_column_numbers([t.text for t in values]) and all(compact(w.text) in ("栏次", "行次") for w in words):
            continue  # the column numbers (``栏次 1 2 3 …``)
        if d is None:
            d = Draft(line=ln, names=[w.text for w in words])
        d.tokens.extend(values)
    if d is None:
        return None
    # another declared printed order, where the identities hold in it and not in the catalog's
    values = [None if t.kind == DASH else _dec(t.text) for t in d.tokens]

    def fewest(o: list[str]) -> int:
        opts = good(choices(values, len(o), parse_exprs(seg.spec.get("identities", []), o)))
        return opts[0].viol if opts else 99

    # the order the header prints its items in, where it names them: the declared order it agrees with
    named = named_in_text(" ".join(header), seg.spec.get("columns", []))
    agreeing = [o for o in [order, *_declared_orders(seg, order)] if _agrees(named, o)]
    other_orders: list[list[str]] = []
    if len(agreeing) == 1 and len(named) >= 3:
        order = agreeing[0]
    else:
        for alt in _declared_orders(seg, order):
            if fewest(alt) < fewest(order):
                order = alt
        # an order as good that the header does not rule out: its placements are alternatives
        other_orders = [o for o in [cols, *_declared_orders(seg, cols)] if o != order and fewest(o) == fewest(order)]
    d.placed = _place(seg, ctx, d, order, others)
    if other_orders and d.placed:
        _other_orders(seg, ctx, d, other_orders, values)
    d.how = "identity"
    return d


def _other_orders(seg: Segment, ctx: Context, d: Draft, orders: list[list[str]], values: list) -> None:
    """Columns that another printed order as good fills differently are guesses (a blank too)."""
    mine = {c: cents(t.value) for c, t in d.placed.items()}
    differ: set[str] = set()
    for o in orders:
        for ch in good(choices(values, len(o), parse_exprs(seg.spec.get("identities", []), o))):
            theirs = {o[c]: v for c, v in zip(ch.cols, (cents(x) for x in values), strict=True)}
            differ |= {c for c in set(mine) | set(theirs) if mine.get(c) != theirs.get(c)}
    if differ and not d.guessed:
        ctx.diag("guessed-columns", f"{seg.key} 的数（{' '.join(t.text for t in d.tokens)}）所在栏无法唯一确定（表头未说明各项的"
                 "排列顺序）", d.line, table=seg.key)
    d.guessed |= differ


def _agrees(named: list[str], order: list[str]) -> bool:
    """The columns the header named come in ``order``'s order (a header wrapped over lines prints its
    item headings before the sub-headings under them: only the item columns are compared)."""
    items = [c for c in named if c in order and c not in ("car_buy", "car_run")]
    at = [order.index(c) for c in items]
    return len(at) >= 2 and at == sorted(at)


def _place(seg: Segment, ctx: Context, d: Draft, cols: list[str], others: list[Table]):
    exprs = parse_exprs(seg.spec.get("identities", []), cols)
    values = [None if t.kind == DASH else _dec(t.text) for t in d.tokens]
    opts = choices(values, len(cols), exprs)
    if not opts:
        ctx.diag(
            "ambiguous-columns",
            f"{seg.key} 印有 {len(values)} 个数，多于 {len(cols)} 栏",
            d.line,
            table=seg.key,
        )
        d.tokens = d.tokens[: len(cols)]
        values = values[: len(cols)]
        opts = choices(values, len(cols), exprs)
    hints = _hints(seg.key, cols, others)
    groups = _groups(seg, cols)  # by id: ``cols`` may be in printed order (pairs), not the catalog's

    def score(ch: Choice) -> tuple[int, int, int, int]:
        return ch.viol, _hint_penalty(ch, hints), _asymmetry(ch, groups), ch.rank

    ranked = sorted(good(opts), key=score)
    best = ranked[0]
    # the relations to other tables and the mirrored groups choose a placement, but only the table's own
    # identities make it sure — and a lower bound another table sets (the basic spending on an item is
    # part of the 三公 amount of that item, so the item is not blank): the placements as good by those
    # are the alternatives
    bounds = [h for h in hints if h[1] == ">=" and h[2] > 0]
    alts = [o for o in ranked[1:] if o.viol == best.viol and o.vec != best.vec
            and _hint_penalty(o, bounds) <= _hint_penalty(best, bounds)]
    if alts:
        # the amounts the equally good placements put elsewhere are guesses (Cell.read), and so are the
        # blanks they fill, unless every placement breaks the identities (then the row is misprinted
        # whichever the columns)
        if not best.viol:
            d.guessed = {cols[c] for k, c in enumerate(best.cols) if any(o.cols[k] != c for o in alts)}
            d.guessed |= {cols[c] for o in alts for c in o.cols} - {cols[c] for c in best.cols}
        ctx.diag(
            "guessed-columns" if d.guessed else "ambiguous-columns",
            f"{seg.key} 的数（{' '.join(t.text for t in d.tokens)}）所在栏无法唯一确定，按 "
            f"{'/'.join(cols[c] for c in best.cols)} 读取",
            d.line,
            table=seg.key,
        )
    elif best.viol and len({(t.page, t.line) for t in d.tokens}) > 1:
        # the amounts come from several lines (a cell printed lower than the others, a text that wrapped
        # the row): their order is not the printed one for sure, and no placement in it satisfies the
        # identities — not read with certainty (the table is said uncertain, not misprinted)
        ctx.diag("unconfirmed", f"{seg.key} 的数印在多行（{' '.join(t.text for t in d.tokens)}），无论按何栏读取都不满足"
                 "表内等式，各数所在栏无法确定", d.line, table=seg.key)
        d.guessed |= set(cols)
    elif best.viol:
        # no placement satisfies the table's identities: misprinted whichever the columns (said, and
        # the identity findings stand)
        ctx.diag("ambiguous-columns", f"{seg.key} 的数不满足表内等式，无法确定所在栏", d.line, table=seg.key)
    return {cols[c]: t for c, t in zip(best.cols, d.tokens, strict=True)}


def _dec(text: str) -> Decimal | None:
    from .tokens import amount

    return amount(text)


def _groups(seg: Segment, cols: list[str]) -> list[list[int]]:
    by: dict[str, list[int]] = {}
    for c in seg.spec.get("columns", []):
        if c.get("group") and c["id"] in cols:
            by.setdefault(c["group"], []).append(cols.index(c["id"]))
    groups = list(by.values())
    return groups if len(groups) == 2 and len(groups[0]) == len(groups[1]) else []


def _asymmetry(ch: Choice, groups: list[list[int]]) -> int:
    if not groups:
        return 0
    a, b = groups
    if not any(ch.vec[i] for i in a) or not any(ch.vec[i] for i in b):
        return 0
    return sum(1 for i, j in zip(a, b, strict=True) if bool(ch.vec[i]) != bool(ch.vec[j]))


def _ref(text: str) -> tuple[str, str, str] | None:
    m = re.fullmatch(r"\s*([A-Z]\w*):([^:@]+)(?:@[^:]+)?:(\w+)\s*", text)
    return (m.group(1), m.group(2), m.group(3)) if m else None


def _hints(key: str, cols: list[str], others: list[Table]) -> list[tuple[int, str, int]]:
    """(column index, op, cents): the catalog relations between this table's row and a single value
    of another table already read. op: "=" equal, ">=" at least, "<=" at most."""
    out: list[tuple[int, str, int]] = []
    tables = {t.key: t for t in others}
    for rel in catalog().get("relations", []):
        left, right, op = _ref(rel.get("left", "")), _ref(rel.get("right", "")), rel.get("op", "=")
        if not left or not right:
            continue
        for mine, other, flip in ((left, right, False), (right, left, True)):
            if mine[0] != key or mine[1] != ROW_KEY or mine[2] not in cols:
                continue
            table = tables.get(other[0])
            if table is None or table.empty:
                continue
            value = table.value(other[1], other[2])
            v = cents(value) if value is not None else 0
            if op == "=":
                out.append((cols.index(mine[2]), "=", v))
            elif op == "<=":
                # left <= right: when this table is on the right, its value is at least the other
                out.append((cols.index(mine[2]), ">=" if flip else "<=", v))
    return out


def _hint_penalty(ch: Choice, hints: list[tuple[int, str, int]]) -> int:
    bad = 0
    for col, op, v in hints:
        x = ch.vec[col]
        if (op == "=" and x != v) or (op == ">=" and x < v) or (op == "<=" and x > v):
            bad += 1
    return bad


__all__ = ["read_sangong"]
