"""A small XLSX writer for the filled forms: strings, numbers, a fixed set of styles, merged cells, column
widths, row heights, a frozen header and PNG pictures anchored in cells (Office Open XML, SpreadsheetML).

The forms need no more, and writing the parts directly costs a few milliseconds where a general library
costs tens (``bench/bench_inspect.py``: ``inspect`` at most 1.2× ``check``); nothing beyond the standard
library is needed. Readers check it: openpyxl in the tests, LibreOffice and Excel by hand.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

EMU = 9525  # EMU per pixel

# cell styles (cellXfs), by name
STYLES = ("default", "head", "body", "yes", "no", "unknown", "title", "meta", "group", "percent", "center")
_XF = {
    "default": '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
    "head": '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" '
            'applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>',
    "body": '<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1">'
            '<alignment vertical="top" wrapText="1"/></xf>',
    "yes": '<xf numFmtId="0" fontId="1" fillId="3" borderId="1" xfId="0" applyFont="1" applyFill="1" '
           'applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>',
    "no": '<xf numFmtId="0" fontId="1" fillId="4" borderId="1" xfId="0" applyFont="1" applyFill="1" '
          'applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>',
    "unknown": '<xf numFmtId="0" fontId="1" fillId="5" borderId="1" xfId="0" applyFont="1" applyFill="1" '
               'applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>',
    "title": '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
             '<alignment horizontal="center" vertical="center"/></xf>',
    "meta": '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
            '<alignment vertical="center" wrapText="1"/></xf>',
    "group": '<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1">'
             '<alignment horizontal="center" vertical="center" wrapText="1"/></xf>',
    "percent": '<xf numFmtId="9" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" '
               'applyAlignment="1"><alignment vertical="top"/></xf>',
    "center": '<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1">'
              '<alignment horizontal="center" vertical="top" wrapText="1"/></xf>',
}
_STYLE_ID = {name: i for i, name in enumerate(STYLES)}

_STYLES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="3">'
    '<font><sz val="10.5"/><name val="宋体"/><family val="3"/><charset val="134"/></font>'
    '<font><b/><sz val="10.5"/><name val="宋体"/><family val="3"/><charset val="134"/></font>'
    '<font><b/><sz val="14"/><name val="宋体"/><family val="3"/><charset val="134"/></font>'
    '</fonts>'
    '<fills count="6"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    + "".join(f'<fill><patternFill patternType="solid"><fgColor rgb="FF{c}"/><bgColor indexed="64"/></patternFill></fill>'
              for c in ("DDEBF7", "E2F0D9", "F8CBAD", "FFF2CC"))
    + '</fills>'
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"><color rgb="FF999999"/></left><right style="thin"><color rgb="FF999999"/></right>'
    '<top style="thin"><color rgb="FF999999"/></top><bottom style="thin"><color rgb="FF999999"/></bottom>'
    '<diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    f'<cellXfs count="{len(STYLES)}">' + "".join(_XF[s] for s in STYLES) + '</cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>'
)


def col_name(c: int) -> str:
    """1 → A, 27 → AA."""
    s = ""
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def ref(row: int, col: int) -> str:
    return f"{col_name(col)}{row}"


@dataclass
class Picture:
    row: int
    col: int
    png: bytes
    width: int  # pixels shown
    height: int


@dataclass
class Sheet:
    name: str
    cells: dict[int, dict[int, tuple[object, str]]] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    merges: list[str] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    freeze_row: int = 0  # rows above this one stay (0: none)
    max_row: int = 0

    def set(self, row: int, col: int, value: object, style: str = "default") -> None:
        self.cells.setdefault(row, {})[col] = (value, style)
        self.max_row = max(self.max_row, row)

    def append(self, values: list[object] | tuple[object, ...], style: str = "default") -> int:
        row = self.max_row + 1
        for c, v in enumerate(values, start=1):
            self.set(row, c, v, style)
        return row

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        if (r1, c1) != (r2, c2):
            self.merges.append(f"{ref(r1, c1)}:{ref(r2, c2)}")

    def picture(self, row: int, col: int, png: bytes, width: int, height: int) -> None:
        self.pictures.append(Picture(row, col, png, width, height))

    def xml(self, drawing_rid: str | None) -> str:
        out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">']
        if self.freeze_row > 1:
            out.append(f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{self.freeze_row - 1}" '
                       f'topLeftCell="A{self.freeze_row}" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>')
        else:
            out.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
        out.append('<sheetFormatPr defaultRowHeight="15"/>')
        if self.widths:
            out.append("<cols>" + "".join(f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>'
                                          for c, w in sorted(self.widths.items())) + "</cols>")
        out.append("<sheetData>")
        for r in sorted(self.cells):
            height = self.heights.get(r)
            attrs = f' ht="{height:.1f}" customHeight="1"' if height else ""
            out.append(f'<row r="{r}"{attrs}>')
            for c, (v, style) in sorted(self.cells[r].items()):
                s = _STYLE_ID[style]
                if v is None or v == "":
                    out.append(f'<c r="{ref(r, c)}" s="{s}"/>')
                elif isinstance(v, bool) or not isinstance(v, (int, float)):
                    text = escape(_clean(str(v)))
                    out.append(f'<c r="{ref(r, c)}" s="{s}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>')
                else:
                    out.append(f'<c r="{ref(r, c)}" s="{s}"><v>{v}</v></c>')
            out.append("</row>")
        out.append("</sheetData>")
        if self.merges:
            out.append(f'<mergeCells count="{len(self.merges)}">'
                       + "".join(f'<mergeCell ref="{m}"/>' for m in self.merges) + "</mergeCells>")
        out.append('<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>')
        out.append('<pageSetup paperSize="9" orientation="landscape"/>')
        if drawing_rid:
            out.append(f'<drawing r:id="{drawing_rid}"/>')
        out.append("</worksheet>")
        return "".join(out)


def _clean(s: str) -> str:
    """Characters XML 1.0 cannot hold (controls, lone surrogates) dropped."""
    return "".join(ch for ch in s if ch in "\t\n\r" or (" " <= ch < "\ud800") or ("\ue000" <= ch < "\ufffe")
                   or ch >= "\U00010000")


def _drawing_xml(pictures: list[Picture], media: dict[int, int]) -> tuple[str, str]:
    """The drawing part of a sheet and its relationships (a picture shown twice is stored once)."""
    anchors, rels = [], []
    rid_of: dict[int, str] = {}
    for p in pictures:
        key = id(p.png)
        if key not in rid_of:
            rid_of[key] = f"rId{len(rid_of) + 1}"
            rels.append(f'<Relationship Id="{rid_of[key]}" Type="http://schemas.openxmlformats.org/officeDocument/'
                        f'2006/relationships/image" Target="../media/image{media[key]}.png"/>')
    for i, p in enumerate(pictures):
        rid = rid_of[id(p.png)]
        anchors.append(
            f'<xdr:oneCellAnchor><xdr:from><xdr:col>{p.col - 1}</xdr:col><xdr:colOff>38100</xdr:colOff>'
            f'<xdr:row>{p.row - 1}</xdr:row><xdr:rowOff>38100</xdr:rowOff></xdr:from>'
            f'<xdr:ext cx="{p.width * EMU}" cy="{p.height * EMU}"/>'
            f'<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="{i + 2}" name="截图{i + 1}"/><xdr:cNvPicPr>'
            f'<a:picLocks noChangeAspect="1"/></xdr:cNvPicPr></xdr:nvPicPr>'
            f'<xdr:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>'
            f'<xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{p.width * EMU}" cy="{p.height * EMU}"/></a:xfrm>'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic><xdr:clientData/></xdr:oneCellAnchor>'
        )
    drawing = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
               'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
               'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
               + "".join(anchors) + "</xdr:wsDr>")
    return drawing, _rels(rels)


def _rels(items: list[str]) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(items) + "</Relationships>")


class Book:
    def __init__(self) -> None:
        self.sheets: list[Sheet] = []

    def sheet(self, name: str) -> Sheet:
        s = Sheet(name)
        self.sheets.append(s)
        return s

    def save(self, path: str) -> None:
        types = ['<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
                 '<Default Extension="xml" ContentType="application/xml"/>',
                 '<Default Extension="png" ContentType="image/png"/>',
                 '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                 'spreadsheetml.sheet.main+xml"/>',
                 '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                 'spreadsheetml.styles+xml"/>']
        book_rels, sheets_xml = [], []
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=3) as z:
            media: dict[int, int] = {}  # id of a picture's bytes → its number in xl/media
            for i, s in enumerate(self.sheets, start=1):
                types.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                             f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
                book_rels.append(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
                                 f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>')
                sheets_xml.append(f'<sheet name="{escape(s.name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>')
                rid = None
                if s.pictures:
                    rid = "rId1"
                    types.append(f'<Override PartName="/xl/drawings/drawing{i}.xml" ContentType="application/'
                                 f'vnd.openxmlformats-officedocument.drawing+xml"/>')
                    for p in s.pictures:  # PNG is compressed already: stored as is, each once
                        if id(p.png) not in media:
                            media[id(p.png)] = len(media) + 1
                            z.writestr(zipfile.ZipInfo(f"xl/media/image{media[id(p.png)]}.png"), p.png,
                                       compress_type=zipfile.ZIP_STORED)
                    drawing, drels = _drawing_xml(s.pictures, media)
                    z.writestr(f"xl/drawings/drawing{i}.xml", drawing)
                    z.writestr(f"xl/drawings/_rels/drawing{i}.xml.rels", drels)
                    z.writestr(f"xl/worksheets/_rels/sheet{i}.xml.rels", _rels([
                        f'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                        f'relationships/drawing" Target="../drawings/drawing{i}.xml"/>']))
                z.writestr(f"xl/worksheets/sheet{i}.xml", s.xml(rid))
            n = len(self.sheets)
            book_rels.append(f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/'
                             f'2006/relationships/styles" Target="styles.xml"/>')
            z.writestr("xl/styles.xml", _STYLES_XML)
            z.writestr("xl/_rels/workbook.xml.rels", _rels(book_rels))
            z.writestr("xl/workbook.xml",
                       '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                       '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                       '<bookViews><workbookView/></bookViews><sheets>' + "".join(sheets_xml) + "</sheets></workbook>")
            z.writestr("_rels/.rels", _rels([
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'officeDocument" Target="xl/workbook.xml"/>']))
            z.writestr("[Content_Types].xml",
                       '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                       + "".join(types) + "</Types>")


__all__ = ["STYLES", "Book", "Sheet", "col_name", "ref"]
