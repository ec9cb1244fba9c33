"""The filled forms as one workbook: a summary sheet (one row per document: its failed rows and score; a
file that could not be used, its sentence), then one sheet per document laid out as the bureau's form —
检查项目 | 检查内容 | 符合要求（是/否） | 问题说明 | 问题截图 — each remark on its own line under its row, with
the crop of the page beside it (a PDF: the rendered picture; a text: the quoted lines). Written by
:mod:`.xlsx_book` (no spreadsheet library needed)."""

from __future__ import annotations

import re

from .crops import PdfPages, Picture
from .model import FilledChecklist, Remark, Unusable
from .xlsx_book import Book, Sheet

_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")
_STATUS_STYLE = {"是": "yes", "否": "no", "未核实": "unknown"}
CROP_WIDTH = 460  # pixels a picture is shown at, at most
HEADERS = ("检查项目", "检查内容", "符合要求（是/否）", "问题说明", "问题截图")
SUMMARY = ("序号", "文件", "单位名称", "类型", "年度", "检查表", "透明度得分", "符合项/适用项", "不符合要求的检查内容", "说明")


def sheet_name(i: int, entry: FilledChecklist | Unusable, used: set[str]) -> str:
    base = entry.unit if isinstance(entry, FilledChecklist) and entry.unit else entry.source.rsplit("/", 1)[-1]
    name = _BAD_SHEET.sub("", f"{i}.{base}")[:31].strip("'")
    while name in used:
        name = name[:28] + f"~{len(used)}"
    used.add(name)
    return name


def write_xlsx(entries: list[FilledChecklist | Unusable], out: str) -> None:
    book = Book()
    summary = book.sheet("汇总")
    summary.append(SUMMARY, "head")
    summary.freeze_row = 2
    for c, width in enumerate((6, 36, 30, 10, 8, 30, 12, 12, 50, 50), start=1):
        summary.widths[c] = width
    used: set[str] = {"汇总"}
    sheets: list[tuple[Sheet, FilledChecklist]] = []
    for i, e in enumerate(entries, start=1):
        if isinstance(e, Unusable):
            summary.append((i, e.source, "", "", "", "", "", "", "", e.error), "body")
            continue
        d = e.document
        ratio = e.score.ratio
        r = summary.append((i, e.source, e.unit, f"{d.scope or ''}{d.kind or ''}", d.year, e.name,
                            round(ratio, 4) if ratio is not None else None,
                            f"{e.score.met}/{e.score.applicable}", "；".join(e.failed), ""), "body")
        summary.set(r, 7, round(ratio, 4) if ratio is not None else None, "percent")
        sheets.append((book.sheet(sheet_name(i, e, used)), e))
    for ws, e in sheets:
        _form(ws, e)
    book.save(out)


def _form(ws: Sheet, e: FilledChecklist) -> None:
    for c, width in enumerate((10, 34, 12, 62, 66), start=1):
        ws.widths[c] = width
    ws.set(1, 1, f"《{e.title}》", "title")
    ws.merge(1, 1, 1, 5)
    ws.heights[1] = 28
    d = e.document
    ws.set(2, 1, f"{'单位名称' if d.scope == '单位' else '部门名称'}：{e.unit}", "meta")
    ws.merge(2, 1, 2, 3)
    ws.set(2, 4, f"公开网址：{e.url or ''}", "meta")
    ws.merge(2, 4, 2, 5)
    ws.set(3, 1, f"文件：{e.source}　检查表：{e.name}（第{e.version}版）　透明度得分：{e.score.text()}", "meta")
    ws.merge(3, 1, 3, 5)
    ws.heights[3] = 30
    for c, head in enumerate(HEADERS, start=1):
        ws.set(4, c, head, "head")
    ws.freeze_row = 5
    pages = PdfPages(e.source)
    try:
        remarks = [rm for row in e.rows for rm in row.remarks]
        pictures = dict(zip(map(id, remarks), pages.pictures([rm.crop for rm in remarks]), strict=True))
        groups: dict[str, list[int]] = {}
        shown: set[int] = set()  # pictures already anchored (remarks close together share one)
        for row in e.rows:
            first = ws.max_row + 1
            items: list[Remark | str] = [*row.remarks, *row.notes] or [""]
            for item in items:
                r = ws.max_row + 1
                ws.set(r, 1, row.group, "group")
                ws.set(r, 2, row.label, "body")
                ws.set(r, 3, row.status, _STATUS_STYLE.get(row.status, "body"))
                if isinstance(item, Remark):
                    text = ("〔已复核排除〕" if item.dismissed else "") + f"{item.number}. {item.text}"
                    ws.set(r, 4, text, "body")
                    ws.set(r, 5, "", "body")
                    _crop(ws, r, item, pictures.get(id(item)), shown)
                else:
                    ws.set(r, 4, item, "body")
                    ws.set(r, 5, "", "body")
            last = ws.max_row
            ws.merge(first, 2, last, 2)
            ws.merge(first, 3, last, 3)
            groups.setdefault(row.group, []).extend([first, last])
        for rows in groups.values():
            ws.merge(min(rows), 1, max(rows), 1)
    finally:
        pages.close()


def _crop(ws: Sheet, r: int, item: Remark, pic: Picture | None, shown: set[int]) -> None:
    crop = item.crop
    if crop is None:
        return
    if pic is not None and id(pic) in shown:
        ws.set(r, 5, f"截图见上（第{crop.page}页同一处，红框标出各问题）", "body")
        return
    if pic is not None:
        shown.add(id(pic))
        scale = min(1.0, CROP_WIDTH / pic.width) if pic.width else 1.0
        w, h = int(pic.width * scale), int(pic.height * scale)
        ws.picture(r, 5, pic.png, w, h)
        ws.heights[r] = max(ws.heights.get(r, 0), h * 0.75 + 8, 30)
        return
    if crop.lines:
        ws.set(r, 5, "\n".join(f"{'▶' if hit else '　'}第{n}行：{text}" for n, text, hit in crop.lines), "body")
    elif crop.page is not None:
        ws.set(r, 5, f"见原文第{crop.page}页", "body")


__all__ = ["write_xlsx"]
