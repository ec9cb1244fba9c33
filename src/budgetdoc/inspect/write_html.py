"""The filled forms as one self-contained Chinese HTML page: the summary, then each document's form with
each remark and its crop (a PDF: the picture inline; a text: the quoted lines)."""

from __future__ import annotations

import base64
from html import escape

from .crops import PdfPages
from .model import FilledChecklist, Remark, Unusable

_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;margin:24px;
color:#222;max-width:1280px}
h1{font-size:20px} h2{font-size:18px;text-align:center;margin-top:40px;border-top:2px solid #999;padding-top:24px}
table{border-collapse:collapse;width:100%;margin:12px 0} th,td{border:1px solid #999;padding:6px 8px;
vertical-align:top;font-size:14px} th{background:#ddebf7}
td.s{text-align:center;font-weight:bold;width:72px} td.yes{background:#e2f0d9} td.no{background:#f8cbad}
td.unk{background:#fff2cc} td.g{text-align:center;width:72px} td.l{width:230px}
.meta{color:#444;font-size:14px} .r{margin:0 0 10px 0} .d{color:#888;text-decoration:line-through}
img{max-width:560px;border:1px solid #ccc;display:block;margin-top:4px}
pre{background:#f6f6f6;padding:6px;white-space:pre-wrap;font-size:13px;margin:4px 0}
.note{color:#555;font-size:13px}
"""
_CLASS = {"是": "yes", "否": "no", "未核实": "unk"}


def html_forms(entries: list[FilledChecklist | Unusable], title: str = "预决算公开情况检查表") -> str:
    parts = [f"<!doctype html><html lang=zh-CN><head><meta charset=utf-8><title>{escape(title)}</title>"
             f"<style>{_CSS}</style></head><body><h1>{escape(title)}</h1>"]
    parts.append("<table><tr><th>序号</th><th>文件</th><th>单位名称</th><th>类型</th><th>年度</th>"
                 "<th>透明度得分</th><th>不符合要求的检查内容</th><th>说明</th></tr>")
    for i, e in enumerate(entries, start=1):
        if isinstance(e, Unusable):
            parts.append(f"<tr><td>{i}</td><td>{escape(e.source)}</td><td></td><td></td><td></td><td></td>"
                         f"<td></td><td>{escape(e.error)}</td></tr>")
        else:
            d = e.document
            parts.append(f"<tr><td>{i}</td><td><a href='#d{i}'>{escape(e.source)}</a></td><td>{escape(e.unit)}</td>"
                         f"<td>{escape((d.scope or '') + (d.kind or ''))}</td><td>{d.year or ''}</td>"
                         f"<td>{escape(e.score.text())}</td><td>{escape('；'.join(e.failed))}</td><td></td></tr>")
    parts.append("</table>")
    for i, e in enumerate(entries, start=1):
        if isinstance(e, FilledChecklist):
            parts.append(_form(i, e))
    parts.append("</body></html>")
    return "".join(parts)


def _form(i: int, e: FilledChecklist) -> str:
    d = e.document
    who = "单位名称" if d.scope == "单位" else "部门名称"
    out = [f"<h2 id='d{i}'>《{escape(e.title)}》</h2>",
           f"<p class=meta>{who}：{escape(e.unit)}　公开网址：{escape(e.url or '')}<br>文件：{escape(e.source)}　"
           f"检查表：{escape(e.name)}（第{e.version}版）　透明度得分：{escape(e.score.text())}</p>",
           "<table><tr><th>检查项目</th><th>检查内容</th><th>符合要求（是/否）</th><th>问题截图及说明</th></tr>"]
    pages = PdfPages(e.source)
    try:
        groups: dict[str, int] = {}
        for row in e.rows:
            groups[row.group] = groups.get(row.group, 0) + 1
        shown: set[str] = set()
        for row in e.rows:
            cell = []
            for rm in row.remarks:
                cell.append(_remark(rm, pages))
            for note in row.notes:
                cell.append(f"<p class=note>{escape(note)}</p>")
            group = ""
            if row.group not in shown:
                shown.add(row.group)
                group = f"<td class=g rowspan={groups[row.group]}>{escape(row.group)}</td>"
            out.append(f"<tr>{group}<td class=l>{escape(row.label)}</td>"
                       f"<td class='s {_CLASS.get(row.status, '')}'>{escape(row.status)}</td><td>{''.join(cell)}</td></tr>")
    finally:
        pages.close()
    out.append("</table>")
    return "".join(out)


def _remark(rm: Remark, pages: PdfPages) -> str:
    cls = "r d" if rm.dismissed else "r"
    head = f"<div class='{cls}'>{rm.number}. {escape(rm.text)}" + ("（已复核排除）" if rm.dismissed else "")
    crop = rm.crop
    pic = pages.picture(crop)
    if pic is not None:
        data = base64.b64encode(pic.png).decode("ascii")
        head += f"<img alt='第{crop.page}页截图' src='data:image/png;base64,{data}'>"
    elif crop is not None and crop.lines:
        head += "<pre>" + "\n".join(escape(f"{'▶' if hit else '　'}第{n}行：{t}") for n, t, hit in crop.lines) + "</pre>"
    return head + "</div>"


def write_html(entries: list[FilledChecklist | Unusable], out: str) -> None:
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(html_forms(entries))


__all__ = ["html_forms", "write_html"]
