"""Render one sheet of a workbook ``budgetdoc inspect`` wrote to a PNG, as a spreadsheet program shows it:
the cells with their merges, widths, heights and fills, the pictures where they are anchored (read from the
xlsx itself, openpyxl for the cells), drawn by headless Chromium. For the README's picture of the form.

    PYTHONPATH=src .venv/bin/python scripts/render_sheet.py FORM.xlsx SHEET_NUMBER OUT.png [--rows N]
"""

from __future__ import annotations

import argparse
import base64
import re
import subprocess
import tempfile
import zipfile
from html import escape
from pathlib import Path

from openpyxl import load_workbook

FILLS = {"是": "#e2f0d9", "否": "#f8cbad", "未核实": "#fff2cc"}


def pictures(path: str, sheet_no: int) -> dict[tuple[int, int], list[tuple[bytes, int, int]]]:
    """(row, column) → the PNGs anchored there, with their shown size in pixels."""
    out: dict[tuple[int, int], list[tuple[bytes, int, int]]] = {}
    with zipfile.ZipFile(path) as z:
        name = f"xl/drawings/drawing{sheet_no}.xml"
        if name not in z.namelist():
            return out
        drawing = z.read(name).decode("utf-8")
        rels = z.read(f"xl/drawings/_rels/drawing{sheet_no}.xml.rels").decode("utf-8")
        target = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="\.\./media/([^"]+)"', rels))
        for m in re.finditer(r"<xdr:col>(\d+)</xdr:col>.*?<xdr:row>(\d+)</xdr:row>.*?<xdr:ext cx=\"(\d+)\" "
                             r"cy=\"(\d+)\".*?r:embed=\"(rId\d+)\"", drawing, re.S):
            col, row, cx, cy, rid = m.groups()
            png = z.read(f"xl/media/{target[rid]}")
            out.setdefault((int(row) + 1, int(col) + 1), []).append((png, int(cx) // 9525, int(cy) // 9525))
    return out


def sheet_html(path: str, sheet_no: int, rows: int) -> str:
    wb = load_workbook(path)
    ws = wb.worksheets[sheet_no - 1]
    pics = pictures(path, sheet_no)
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    hidden: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        spans[(rng.min_row, rng.min_col)] = (rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1)
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    hidden.add((r, c))
    widths = [int((ws.column_dimensions[chr(64 + c)].width or 10) * 7.5) for c in range(1, ws.max_column + 1)]
    out = ["<!doctype html><meta charset=utf-8><style>body{margin:8px;font-family:'Noto Serif CJK SC','SimSun',"
           "serif;font-size:13px} table{border-collapse:collapse;table-layout:fixed} td{border:1px solid #aaa;"
           "padding:2px 4px;vertical-align:top;white-space:pre-wrap;overflow:hidden} .h{text-align:center;"
           "background:#ddebf7;font-weight:bold} .c{position:absolute}</style><table>",
           "<colgroup>" + "".join(f"<col style='width:{w}px'>" for w in widths) + "</colgroup>"]
    for r in range(1, min(ws.max_row, rows) + 1):
        height = ws.row_dimensions[r].height
        out.append(f"<tr style='height:{int(height / 0.75) if height else 20}px'>")
        for c in range(1, ws.max_column + 1):
            if (r, c) in hidden:
                continue
            v = ws.cell(r, c).value
            rs, cs = spans.get((r, c), (1, 1))
            style = []
            if r == 1:
                style.append("font-size:18px;font-weight:bold;text-align:center;border:none")
            elif r in (2, 3):
                style.append("border:none")
            if isinstance(v, str) and v in FILLS and c == 3:
                style.append(f"background:{FILLS[v]};text-align:center;vertical-align:middle;font-weight:bold")
            cls = " class=h" if r == 4 else ""
            cell = escape("" if v is None else str(v))
            for png, w, h in pics.get((r, c), []):
                data = base64.b64encode(png).decode("ascii")
                cell += f"<img src='data:image/png;base64,{data}' width={w} height={h}>"
            out.append(f"<td rowspan={rs} colspan={cs}{cls} style='{';'.join(style)}'>{cell}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("xlsx")
    ap.add_argument("sheet", type=int)
    ap.add_argument("png")
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--size", default="1400,1600")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "sheet.html"
        page.write_text(sheet_html(args.xlsx, args.sheet, args.rows), "utf-8")
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--window-size={args.size}", f"--screenshot={Path(args.png).resolve()}", page.as_uri()],
                       check=True, capture_output=True, timeout=120)


if __name__ == "__main__":
    main()
