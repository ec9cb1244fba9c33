"""The charts the disclosures print as 图1–图4 (and spending by functional class), drawn as SVG.

Text extraction loses the printed charts; they are redrawn here from the model:

- 图1 收入支出总计与上年对比: 收入/支出 总计 of the summary table (T1/B1); the previous year from the
  narrative's year-on-year statements when there are any.
- 图2 收入结构: the income rows of the summary table (T1/B1) before 本年收入合计.
- 图3 支出结构: 基本支出 / 项目支出 (and other kinds) of the 合计 row of the expenditure table (T3/B3).
- 图4 财政拨款收支总计与上年对比: the appropriation summary (T4/B4), previous from the narrative.
- 图5 支出功能分类（类级）: the 3-digit rows of the expenditure table (T3/B3; T5/B5_1 as a fallback).

The SVG is generated here (no plotting library, no embedded font): text uses a CJK font stack, so a
machine with any CJK font (Noto Sans CJK, WenQuanYi, Source Han, YaHei, PingFang) renders the labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from ..model import Disclosure, Row, Statement, Table

FONT_STACK = ("'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','WenQuanYi Zen Hei',"
              "'WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC','Hiragino Sans GB',sans-serif")
PALETTE = ["#3b6fb6", "#e08a2c", "#4a9d5b", "#c44e52", "#8172b2", "#937860", "#da8bc3", "#8c8c8c",
           "#64b5cd", "#ccb974"]


@dataclass
class Chart:
    name: str  # file stem, e.g. "fig1-totals"
    title: str
    svg: str
    note: str = ""
    data: list[tuple[str, list[Decimal | None]]] | None = None  # (category, values by series)


# ------------------------------------------------------------------ reading the model

_ORDINAL = re.compile(r"^[（(]?[一二三四五六七八九十]+[)）、.．]\s*|^\d+[.、．]\s*")


def _norm(s: str | None) -> str:
    s = re.sub(r"\s+", "", s or "")
    return _ORDINAL.sub("", s)


def _table(doc: Disclosure, *keys: str) -> Table | None:
    for k in keys:
        t = doc.table(k)
        if t is not None and not t.empty and t.rows:
            return t
    return None


def _row(t: Table, names: tuple[str, ...], part: str | None = None) -> Row | None:
    wanted = {_norm(n) for n in names}
    for r in t.rows:
        if part is not None and r.part is not None and r.part != part:
            continue
        if _norm(r.key) in wanted or _norm(r.name) in wanted:
            return r
    return None


def _first(r: Row | None, t: Table, prefer: tuple[str, ...] = ()) -> Decimal | None:
    if r is None:
        return None
    for cid in (*prefer, *(c.id for c in t.columns)):
        v = r.value(cid)
        if v is not None:
            return v
    for c in r.cells:
        if c.value is not None:
            return c.value
    return None


_UP = ("增加", "增长", "上升", "提高")
_DOWN = ("减少", "下降", "降低")


def _previous(st: Statement, current: Decimal | None) -> Decimal | None:
    """The previous year's amount a yoy statement implies: ``previous``, or current ∓ change by the
    direction word (None when the statement contradicts itself, e.g. “增加减少”)."""
    v = st.values
    if v.get("previous") is not None:
        return v["previous"]
    change = v.get("change")
    amount = v.get("current", v.get("amount", current))
    if change is None or amount is None:
        return None
    direction = st.words.get("direction") or st.text[:80]
    up, down = any(w in direction for w in _UP), any(w in direction for w in _DOWN)
    if up and down:
        return None
    if down:
        return amount + abs(change)
    if up:
        return amount - abs(change)
    if "持平" in direction:
        return amount
    return None


def _yoy(doc: Disclosure, want: str, fiscal: bool, current: Decimal | None) -> Decimal | None:
    """The previous year's 收入 / 支出 总计 (``want`` = "收" or "支") from a yoy statement: one whose
    reference names the summary table's 总计 (T1/B1, or T4/B4 when ``fiscal``), else by its subject."""
    tables = ("T4", "B4") if fiscal else ("T1", "B1")
    for st in doc.narrative:
        ref = st.refs.get("current") or st.refs.get("amount") or ""
        if st.kind == "yoy" and ref.split(":")[0] in tables and "总计" in ref:
            prev = _previous(st, current)
            if prev is not None:
                return prev
    for st in doc.narrative:
        if st.kind != "yoy":
            continue
        subj = _norm(st.subject) or _norm(st.text[:40])
        if ("财政拨款" in subj) != fiscal or "总计" not in subj:
            continue
        both = "收" in subj and "支" in subj
        if not both and not subj.replace("财政拨款", "").startswith(want):
            continue
        prev = _previous(st, current)
        if prev is not None:
            return prev
    return None


def _totals(doc: Disclosure, keys: tuple[str, ...], fiscal: bool) -> list[tuple[str, list[Decimal | None]]]:
    t = _table(doc, *keys)
    if t is None:
        return []
    out = []
    for part, label, names in (
        ("收入", "收入总计", ("总计", "收入总计", "收入合计总计")),
        ("支出", "支出总计", ("总计", "支出总计", "支出合计总计")),
    ):
        r = _row(t, names, part)
        if r is None:
            alt = ("本年收入合计", "收入合计") if part == "收入" else ("本年支出合计", "支出合计")
            r = _row(t, alt, part)
        prefer = ("amount", "total")
        cur = _first(r, t, prefer)
        if cur is None:
            continue
        prev = _yoy(doc, part[0], fiscal, cur)
        out.append((label, [cur, prev]))
    return out


def _income_structure(doc: Disclosure) -> list[tuple[str, Decimal]]:
    t = _table(doc, "T1", "B1")
    if t is None:
        return []
    items = []
    for r in t.rows:
        if r.part not in (None, "收入"):
            continue
        name = _norm(r.name or r.key)
        if "合计" in name or "总计" in name:
            if items:
                break
            continue
        if r.part is None and "支出" in name:
            continue
        v = _first(r, t, ("amount",))
        if v is not None and v > 0:
            items.append((name, v))
    return items


def _spending_table(doc: Disclosure) -> Table | None:
    return _table(doc, "T3", "B3")


def _total_row(t: Table) -> Row | None:
    for r in t.rows:
        if not r.code and any(w in _norm(r.name or r.key) for w in ("合计", "总计")):
            return r
    return None


def _spending_structure(doc: Disclosure) -> list[tuple[str, Decimal]]:
    t = _spending_table(doc) or _table(doc, "T5", "B5_1")
    if t is None:
        return []
    r = _total_row(t)
    if r is None:
        return []
    items = []
    for c in t.columns:
        if c.id in ("total", "personnel", "public") or "合计" in c.label or "小计" in c.label:
            continue
        v = r.value(c.id)
        if v is not None and v > 0:
            items.append((c.label, v))
    return items


def _functional(doc: Disclosure) -> list[tuple[str, Decimal]]:
    t = _spending_table(doc) or _table(doc, "T5", "B5_1")
    if t is None:
        return []
    items = []
    for r in t.rows:
        if r.code and len(r.code) == 3 and r.code.isdigit():
            v = _first(r, t, ("total",))
            if v is not None and v != 0:
                items.append((f"{r.code} {_norm(r.name)}".strip(), v))
    items.sort(key=lambda kv: -kv[1])
    return items


# ------------------------------------------------------------------ drawing

NUMBERS = {"fig1-totals": 1, "fig2-income": 2, "fig3-spending": 3, "fig4-appropriation": 4,
           "fig5-functional": 5}


def nice_ticks(vmax: float, most: int = 6) -> list[float]:
    """Axis ticks from 0 on a round step (1, 2 or 5 × 10ⁿ) reaching at least ``vmax``, at most ``most``
    intervals: 0, 200, 400 … rather than 0, 511, 1,022 …."""
    import math

    if not vmax or vmax <= 0 or not math.isfinite(vmax):
        return [0.0, 1.0]
    exp = math.floor(math.log10(vmax / most))
    for base in (1, 2, 5, 10, 20, 50):
        step = base * 10.0 ** exp
        if math.ceil(vmax / step - 1e-9) <= most:
            break
    n = max(1, math.ceil(vmax / step - 1e-9))
    return [round(step * i, 10) for i in range(n + 1)]


def _tick(v: float) -> str:
    return f"{v:,.6f}".rstrip("0").rstrip(".")

def _fmt(v: Decimal | float) -> str:
    return f"{v:,.2f}"


def _text_width(s: str, size: float) -> float:
    return sum(size if ord(ch) > 0x2E7F else size * 0.58 for ch in s)


def _svg(width: int, height: int, title: str, body: list[str], note: str = "") -> str:
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT_STACK}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{width / 2:.1f}" y="26" text-anchor="middle" font-size="16" font-weight="bold" '
        f'fill="#222">{escape(title)}</text>',
    ]
    tail = []
    if note:
        tail.append(f'<text x="{width / 2:.1f}" y="{height - 8}" text-anchor="middle" font-size="11" '
                    f'fill="#777">{escape(note)}</text>')
    return "\n".join([*head, *body, *tail, "</svg>"]) + "\n"


def grouped_bars(title: str, categories: list[tuple[str, list[Decimal | None]]], series: list[str],
                 unit: str, note: str = "") -> str:
    """Vertical bars: one group per category, one bar per series (missing values leave a gap)."""
    width, height = 560, 340
    left, right, top, bottom = 70, 20, 60, 70
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = max((v for _, vs in categories for v in vs if v is not None), default=Decimal(1)) or Decimal(1)
    ticks = nice_ticks(float(top_value) * 1.08)  # room above the tallest bar for its label
    vmax = ticks[-1]
    body = [f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#444"/>']
    for t in ticks:
        y = top + plot_h - plot_h * t / vmax
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#e4e4e4"/>')
        body.append(f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="10" '
                    f'fill="#666">{_tick(t)}</text>')
    body.append(f'<text x="{left - 6}" y="{top - 10}" text-anchor="end" font-size="11" fill="#666">'
                f"{escape(unit)}</text>")
    group_w = plot_w / max(len(categories), 1)
    bar_w = min(60.0, group_w * 0.7 / max(len(series), 1))
    for gi, (cat, values) in enumerate(categories):
        gx = left + group_w * gi + (group_w - bar_w * len(series)) / 2
        for si, v in enumerate(values):
            if v is None:
                continue
            h = plot_h * float(v) / vmax if vmax else 0
            x, y = gx + si * bar_w, top + plot_h - h
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 4:.1f}" height="{h:.1f}" '
                        f'fill="{PALETTE[si % len(PALETTE)]}"><title>{escape(cat)} {escape(series[si])}：'
                        f"{_fmt(v)}</title></rect>")
            body.append(f'<text x="{x + (bar_w - 4) / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                        f'font-size="10" fill="#333">{_fmt(v)}</text>')
        body.append(f'<text x="{left + group_w * (gi + 0.5):.1f}" y="{top + plot_h + 18}" text-anchor="middle" '
                    f'font-size="13" fill="#222">{escape(cat)}</text>')
    # legend
    lx = left
    for si, s in enumerate(series):
        body.append(f'<rect x="{lx}" y="{height - 40}" width="12" height="12" fill="{PALETTE[si % len(PALETTE)]}"/>')
        body.append(f'<text x="{lx + 16}" y="{height - 30}" font-size="12" fill="#222">{escape(s)}</text>')
        lx += 30 + _text_width(s, 12)
    return _svg(width, height, title, body, note)


def donut(title: str, items: list[tuple[str, Decimal]], unit: str, note: str = "") -> str:
    """A ring of shares with a legend (label, amount, percent)."""
    import math

    legend_w = max((_text_width(f"{n} {_fmt(v)} 100.0%", 12) for n, v in items), default=100)
    width = int(max(560, 300 + legend_w + 40))
    height = max(300, 90 + 22 * len(items))
    cx, cy, r_out, r_in = 150, 170, 105, 60
    total = sum((v for _, v in items), Decimal(0))
    body = []
    angle = -math.pi / 2
    for i, (name, v) in enumerate(items):
        frac = float(v / total) if total else 0
        color = PALETTE[i % len(PALETTE)]
        if frac >= 0.9999:
            body.append(f'<circle cx="{cx}" cy="{cy}" r="{(r_out + r_in) / 2}" fill="none" stroke="{color}" '
                        f'stroke-width="{r_out - r_in}"><title>{escape(name)}：{_fmt(v)}</title></circle>')
            angle += 2 * math.pi
            continue
        a2 = angle + 2 * math.pi * frac
        large = 1 if a2 - angle > math.pi else 0
        p = [
            (cx + r_out * math.cos(angle), cy + r_out * math.sin(angle)),
            (cx + r_out * math.cos(a2), cy + r_out * math.sin(a2)),
            (cx + r_in * math.cos(a2), cy + r_in * math.sin(a2)),
            (cx + r_in * math.cos(angle), cy + r_in * math.sin(angle)),
        ]
        d = (f"M{p[0][0]:.2f},{p[0][1]:.2f} A{r_out},{r_out} 0 {large} 1 {p[1][0]:.2f},{p[1][1]:.2f} "
             f"L{p[2][0]:.2f},{p[2][1]:.2f} A{r_in},{r_in} 0 {large} 0 {p[3][0]:.2f},{p[3][1]:.2f} Z")
        body.append(f'<path d="{d}" fill="{color}" stroke="#fff" stroke-width="1">'
                    f"<title>{escape(name)}：{_fmt(v)}（{frac * 100:.1f}%）</title></path>")
        angle = a2
    body.append(f'<text x="{cx}" y="{cy - 2}" text-anchor="middle" font-size="12" fill="#666">合计</text>')
    body.append(f'<text x="{cx}" y="{cy + 16}" text-anchor="middle" font-size="13" fill="#222">{_fmt(total)}</text>')
    for i, (name, v) in enumerate(items):
        y = 70 + 22 * i
        pct = float(v / total * 100) if total else 0
        body.append(f'<rect x="290" y="{y - 11}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>')
        body.append(f'<text x="308" y="{y}" font-size="12" fill="#222">{escape(name)}　{_fmt(v)} {escape(unit)}'
                    f"（{pct:.1f}%）</text>")
    return _svg(width, height, title, body, note)


def hbars(title: str, items: list[tuple[str, Decimal]], unit: str, note: str = "") -> str:
    """Horizontal bars, one per item, with the amount at the end of each bar."""
    label_w = max((_text_width(n, 12) for n, _ in items), default=80) + 16
    width = int(max(640, label_w + 420))
    height = 70 + 26 * len(items) + 34
    left, top = label_w, 50
    plot_w = width - left - 110
    ticks = nice_ticks(float(max((v for _, v in items), default=Decimal(1)) or 1))
    vmax = ticks[-1]
    bottom = top + 26 * len(items)
    body = [f'<text x="{width - 10}" y="{top - 8}" text-anchor="end" font-size="11" fill="#666">'
            f"{escape(unit)}</text>"]
    for t in ticks:
        x = left + plot_w * t / vmax
        body.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="#e4e4e4"/>')
        body.append(f'<text class="tick" x="{x:.1f}" y="{bottom + 14}" text-anchor="middle" font-size="10" '
                    f'fill="#666">{_tick(t)}</text>')
    for i, (name, v) in enumerate(items):
        y = top + 26 * i
        w = plot_w * max(float(v), 0) / vmax if vmax else 0
        body.append(f'<text x="{left - 8}" y="{y + 14}" text-anchor="end" font-size="12" fill="#222">'
                    f"{escape(name)}</text>")
        body.append(f'<rect x="{left}" y="{y + 2}" width="{w:.1f}" height="18" fill="{PALETTE[0]}">'
                    f"<title>{escape(name)}：{_fmt(v)}</title></rect>")
        body.append(f'<text x="{left + w + 6:.1f}" y="{y + 15}" font-size="11" fill="#333">{_fmt(v)}</text>')
    return _svg(width, height, title, body, note)


# ------------------------------------------------------------------ the charts of a document

def charts(doc: Disclosure) -> list[Chart]:
    """Every chart the model has data for (an empty list when no table was recognised)."""
    unit = f"单位：{doc.identity.unit or '万元'}"
    year = doc.identity.year
    cur_label = f"{year}年" if year else "本年"
    prev_label = f"{year - 1}年" if year else "上年"
    out: list[Chart] = []

    def compare(name: str, title: str, keys: tuple[str, ...], fiscal: bool) -> None:
        data = _totals(doc, keys, fiscal)
        if not data:
            return
        has_prev = any(vs[1] is not None for _, vs in data)
        note = "" if has_prev else "说明中未找到上年数，仅列本年数"
        series = [cur_label, prev_label] if has_prev else [cur_label]
        cats = [(c, vs if has_prev else vs[:1]) for c, vs in data]
        out.append(Chart(name, title, grouped_bars(title, cats, series, unit, note), note, cats))

    compare("fig1-totals", "图1 收入支出总计与上年对比", ("T1", "B1"), False)
    inc = _income_structure(doc)
    if inc:
        title = "图2 收入结构"
        out.append(Chart("fig2-income", title, donut(title, inc, doc.identity.unit), "",
                         [(n, [v]) for n, v in inc]))
    spend = _spending_structure(doc)
    if spend:
        title = "图3 支出结构"
        out.append(Chart("fig3-spending", title, donut(title, spend, doc.identity.unit), "",
                         [(n, [v]) for n, v in spend]))
    compare("fig4-appropriation", "图4 财政拨款收支总计与上年对比", ("T4", "B4"), True)
    func = _functional(doc)
    if func:
        title = "图5 支出功能分类（类级）"
        out.append(Chart("fig5-functional", title, hbars(title, func, unit), "", [(n, [v]) for n, v in func]))
    return out


def write_charts(doc: Disclosure, folder: str) -> list[str]:
    """Write every chart as ``<folder>/<name>.svg``; the paths written."""
    import os

    os.makedirs(folder, exist_ok=True)
    paths = []
    for c in charts(doc):
        p = os.path.join(folder, f"{c.name}.svg")
        with open(p, "w", encoding="utf-8") as fh:
            fh.write(c.svg)
        paths.append(p)
    return paths


__all__ = ["NUMBERS", "Chart", "charts", "donut", "grouped_bars", "hbars", "nice_ticks", "write_charts"]
