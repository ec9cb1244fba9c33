"""The filled forms as one workbook: a summary sheet (one row per document: its failed rows and score; a
file that could not be used, its sentence), then one sheet per document laid out as the bureau's form —
检查项目 | 检查内容 | 符合要求（是/否） | 问题说明 | 问题截图 — each remark on its own line under its row, with
the crop of the page beside it (a PDF: the rendered picture; a text: the quoted lines)."""

from __future__ import annotations

import re

from .crops import PdfPages, Picture
from .model import FilledChecklist, Remark, Unusable

_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")
_STATUS_FILL = {"是": "E2F0D9", "否": "F8CBAD", "未核实": "FFF2CC"}
CROP_WIDTH = 460  # pixels the picture is shown at
HEADERS = ("检查项目", "检查内容", "符合要求（是/否）", "问题说明", "问题截图")


def _png_image(pic: Picture):
    """An openpyxl image from PNG bytes, without Pillow (openpyxl needs it only to read sizes)."""
    from openpyxl.drawing.image import Image

    class Png(Image):
        def __init__(self, data: bytes, width: int, height: int) -> None:  # noqa: D401
            self.ref = None
            self._png = data
            self.width, self.height = width, height
            self.format = "png"
            self.anchor = "A1"

        def _data(self) -> bytes:
            return self._png

    scale = min(1.0, CROP_WIDTH / pic.width) if pic.width else 1.0
    return Png(pic.png, int(pic.width * scale), int(pic.height * scale))


def sheet_name(i: int, entry: FilledChecklist | Unusable, used: set[str]) -> str:
    base = entry.unit if isinstance(entry, FilledChecklist) and entry.unit else entry.source.rsplit("/", 1)[-1]
    name = _BAD_SHEET.sub("", f"{i}.{base}")[:31]
    while name in used:
        name = name[:29] + f"~{len(used)}"
    used.add(name)
    return name


def write_xlsx(entries: list[FilledChecklist | Unusable], out: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    wb = Workbook()
    summary = wb.active
    summary.title = "汇总"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    head_font = Font(bold=True)
    heads = ("序号", "文件", "单位名称", "类型", "年度", "检查表", "透明度得分", "符合项/适用项", "不符合要求的检查内容",
             "说明")
    summary.append(heads)
    for cell in summary[1]:
        cell.font, cell.border, cell.alignment = head_font, border, wrap
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for col, width in zip("ABCDEFGHIJ", (6, 36, 30, 10, 8, 30, 12, 12, 50, 50), strict=True):
        summary.column_dimensions[col].width = width
    used: set[str] = {"汇总"}
    for i, e in enumerate(entries, start=1):
        if isinstance(e, Unusable):
            summary.append((i, e.source, "", "", "", "", "", "", "", e.error))
        else:
            d = e.document
            ratio = e.score.ratio
            summary.append((i, e.source, e.unit, f"{d.scope or ''}{d.kind or ''}", d.year, e.name,
                            round(ratio, 4) if ratio is not None else None,
                            f"{e.score.met}/{e.score.applicable}", "；".join(e.failed), ""))
            summary.cell(summary.max_row, 7).number_format = "0%"
            _sheet(wb, e, sheet_name(i, e, used), border, wrap, head_font)
        for cell in summary[summary.max_row]:
            cell.border, cell.alignment = border, wrap
    summary.freeze_panes = "A2"
    wb.save(out)


def _sheet(wb, e: FilledChecklist, name: str, border, wrap, head_font) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    ws = wb.create_sheet(name)
    for col, width in zip("ABCDE", (10, 34, 12, 62, 66), strict=True):
        ws.column_dimensions[col].width = width
    ws.append((f"《{e.title}》",))
    ws.merge_cells("A1:E1")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    d = e.document
    ws.append((f"{'单位名称' if d.scope == '单位' else '部门名称'}：{e.unit}", None, None, f"公开网址：{e.url or ''}"))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=3)
    ws.merge_cells(start_row=2, start_column=4, end_row=2, end_column=5)
    ws.append((f"文件：{e.source}　检查表：{e.name}（第{e.version}版）　透明度得分：{e.score.text()}",))
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=5)
    ws.append(HEADERS)
    for cell in ws[4]:
        cell.font, cell.border, cell.alignment = head_font, border, Alignment(horizontal="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    ws.freeze_panes = "A5"
    pages = PdfPages(e.source)
    try:
        group_start: dict[str, int] = {}
        group_end: dict[str, int] = {}
        for row in e.rows:
            first = ws.max_row + 1
            items: list[Remark | str] = [*row.remarks, *row.notes] or [""]
            for item in items:
                r = ws.max_row + 1
                if isinstance(item, Remark):
                    text = ("〔已复核排除〕" if item.dismissed else "") + f"{item.number}. {item.text}"
                    ws.append((row.group, row.label, row.status, text, None))
                    _crop(ws, r, item, pages, wrap)
                else:
                    ws.append((row.group, row.label, row.status, item, None))
                for c in ws[r]:
                    c.border, c.alignment = border, wrap
            last = ws.max_row
            if last > first:
                for col in (2, 3):
                    ws.merge_cells(start_row=first, start_column=col, end_row=last, end_column=col)
            status = ws.cell(first, 3)
            status.alignment = Alignment(horizontal="center", vertical="center")
            status.fill = PatternFill("solid", fgColor=_STATUS_FILL.get(row.status, "FFFFFF"))
            status.font = Font(bold=True)
            group_start.setdefault(row.group, first)
            group_end[row.group] = last
        for g, a in group_start.items():
            b = group_end[g]
            if b > a:
                ws.merge_cells(start_row=a, start_column=1, end_row=b, end_column=1)
            ws.cell(a, 1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    finally:
        pages.close()


def _crop(ws, r: int, item: Remark, pages: PdfPages, wrap) -> None:
    crop = item.crop
    if crop is None:
        return
    pic = pages.picture(crop)
    if pic is not None:
        img = _png_image(pic)
        ws.add_image(img, f"E{r}")
        ws.row_dimensions[r].height = max(30, img.height * 0.75 + 6)
        return
    if crop.lines:
        ws.cell(r, 5).value = "\n".join(
            f"{'▶' if hit else '　'}第{n}行：{text}" for n, text, hit in crop.lines)
        ws.cell(r, 5).alignment = wrap
    elif crop.page is not None:
        ws.cell(r, 5).value = f"见原文第{crop.page}页"


__all__ = ["write_xlsx"]
