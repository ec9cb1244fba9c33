"""及时性: published within 20 days after the approval (财政部《地方预决算公开操作规程》: 部门预决算 are
published within 20 days after the finance department approves them; primer §1, §10).

The row is 是 only when both dates are known and at most 20 days apart; 否 when they are known and further
apart (or the publication precedes the approval); otherwise 未核实, saying which date is missing and what
hints there are (the PDF's creation date, a date on the cover) — never 是 on a hint.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from .model import DateHint, KnownDates

DAYS = 20
_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})")
_CN_DATE = re.compile(r"(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def judge(dates: KnownDates | None) -> tuple[str, str]:
    """(是/否/未核实, the remark)."""
    d = dates or KnownDates()
    hints = "；".join(f"{h.what}为{h.date:%Y年%m月%d日}（仅供参考，不是公开日期）" for h in d.hints)
    if d.published and d.approved:
        days = (d.published - d.approved).days
        said = (f"批复日期{d.approved:%Y年%m月%d日}（{d.approved_source or '已知'}），公开日期"
                f"{d.published:%Y年%m月%d日}（{d.published_source or '已知'}）")
        if days < 0:
            return "否", f"{said}：公开日期早于批复日期，请核实日期"
        if days <= DAYS:
            return "是", f"{said}：批复后第{days}天公开，在{DAYS}日内"
        return "否", f"{said}：批复后第{days}天才公开，超过{DAYS}日"
    if d.published:
        tail = f"；{hints}" if hints else ""
        return "未核实", (f"公开日期{d.published:%Y年%m月%d日}（{d.published_source or '已知'}），批复日期未知，"
                          f"无法核对是否在批复后{DAYS}日内公开{tail}")
    if d.approved:
        tail = f"；{hints}" if hints else ""
        return "未核实", f"批复日期{d.approved:%Y年%m月%d日}，公开日期未知（可用 --published 提供）{tail}"
    tail = f"；线索：{hints}" if hints else ""
    return "未核实", f"公开日期和批复日期均未知（可用 --published、--approved 提供），无法核对{tail}"


def pdf_hints(path: str) -> list[DateHint]:
    """The dates a PDF's metadata gives (creation, modification): hints, not the publication date."""
    if not path.lower().endswith(".pdf"):
        return []
    try:
        import pymupdf

        with pymupdf.open(path) as doc:
            meta = doc.metadata or {}
    except Exception:  # noqa: BLE001 - no hint is no failure
        return []
    out: list[DateHint] = []
    for key, what in (("creationDate", "PDF 文件的创建日期"), ("modDate", "PDF 文件的修改日期")):
        m = _PDF_DATE.match(meta.get(key) or "")
        if m:
            try:
                out.append(DateHint(date=date(int(m.group(1)), int(m.group(2)), int(m.group(3))), what=what))
            except ValueError:
                continue
    if len(out) == 2 and out[0].date == out[1].date:
        out = out[:1]
    return out


def cover_hints(cover_text: str) -> list[DateHint]:
    """A date printed on the cover (“2022 年 10 月 18 日”): when the document was dated, a hint."""
    m = _CN_DATE.search(cover_text)
    if not m:
        return []
    try:
        return [DateHint(date=date(int(m.group(1)), int(m.group(2)), int(m.group(3))), what="封面所署日期")]
    except ValueError:
        return []


def parse_date(text: str) -> date:
    """``2026-02-10``, ``2026/2/10``, ``20260210`` or ``2026年2月10日`` (ValueError otherwise)."""
    t = text.strip()
    m = _CN_DATE.fullmatch(t)
    if m:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d"):
        try:
            return datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    raise ValueError(t)


__all__ = ["DAYS", "cover_hints", "judge", "parse_date", "pdf_hints"]
