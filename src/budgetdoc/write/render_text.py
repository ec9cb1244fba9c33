"""Markdown and HTML renderings of the written blocks. The markdown is the converter form budgetdoc reads
(``#`` headings, one table row per line with tab-separated cells), so the gate reads it back and checks it."""

from __future__ import annotations

import html

from .document import Block


def _table_lines(tb, draft: bool) -> list[str]:
    out = []
    for row in tb.header:
        out.append("\t".join(row))
    for i, row in enumerate(tb.body):
        cells = list(row)
        for (r, c), note in tb.marks.items():
            if r == i and draft:
                cells[c] = f"{cells[c]}【{note}】"
        out.append("\t".join(cells))
    return out


def markdown(blocks: list[Block], draft: bool = False) -> str:
    out: list[str] = []
    for b in blocks:
        if b.kind == "heading":
            out += [f"{'#' * b.level} {b.text}", ""]
        elif b.kind == "para":
            out += [b.text + (f"【待改：{b.mark}】" if draft and b.mark else ""), ""]
        elif b.kind == "table" and b.table is not None:
            tb = b.table
            out += [f"## {tb.title}" + (f"（{tb.number}）" if tb.number else ""), ""]
            out += [tb.holder, "", tb.unit_line, ""]
            out += _table_lines(tb, draft)
            out.append("")
            if draft and tb.mark:
                out += [f"【{tb.mark}】", ""]
            if tb.statement:
                out += [tb.statement, ""]
            if tb.note:
                out += [tb.note, ""]
    return "\n".join(out).rstrip() + "\n"


_CSS = """body{font-family:"Noto Serif CJK SC","SimSun",serif;max-width:60em;margin:2em auto;line-height:1.7}
h1,h2{text-align:center} table{border-collapse:collapse;margin:.5em 0 1em;font-size:10.5pt}
td,th{border:1px solid #000;padding:2px 6px} td.n{text-align:right;white-space:nowrap}
.meta{display:flex;justify-content:space-between} .mark{background:#ffd6d6;color:#a00}
td.marked{background:#fff0f0;outline:2px solid #c00}
p{text-indent:2em;margin:.3em 0}"""


def to_html(blocks: list[Block], title: str, draft: bool = False) -> str:
    e = html.escape
    out = [f"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{e(title)}</title>",
           f"<style>{_CSS}</style></head><body>"]
    for b in blocks:
        if b.kind == "heading":
            lv = min(b.level, 4)
            out.append(f"<h{lv}>{e(b.text)}</h{lv}>")
        elif b.kind == "para":
            mark = f"<span class=\"mark\">【待改：{e(b.mark)}】</span>" if draft and b.mark else ""
            out.append(f"<p>{e(b.text)}{mark}</p>")
        elif b.kind == "table" and b.table is not None:
            tb = b.table
            out.append(f"<h2>{e(tb.title)}</h2>")
            if tb.number:
                out.append(f"<p style=\"text-align:right\">{e(tb.number)}</p>")
            out.append(f"<div class=\"meta\"><span>{e(tb.holder)}</span><span>{e(tb.unit_line)}</span></div>")
            out.append("<table><thead>")
            for row in tb.header:
                out.append("<tr>" + "".join(f"<th>{e(c)}</th>" for c in row) + "</tr>")
            out.append("</thead><tbody>")
            for i, row in enumerate(tb.body):
                cells = []
                for j, c in enumerate(row):
                    note = tb.marks.get((i, j)) if draft else None
                    names = " ".join(n for n, on in (("n", tb.numeric[j]), ("marked", bool(note))) if on)
                    cls = f" class=\"{names}\"" if names else ""
                    extra = f"<span class=\"mark\">【{e(note)}】</span>" if note else ""
                    cells.append(f"<td{cls}>{e(c)}{extra}</td>")
                out.append("<tr>" + "".join(cells) + "</tr>")
            out.append("</tbody></table>")
            if draft and tb.mark:
                out.append(f"<p><span class=\"mark\">【{e(tb.mark)}】</span></p>")
            for text in (tb.statement, tb.note):
                if text:
                    out.append(f"<p>{e(text)}</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
