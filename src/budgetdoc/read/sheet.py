"""Spreadsheets (.xlsx/.xlsm with openpyxl; old .xls only if xlrd happens to be installed) → pages.

Each worksheet is one page: a first heading line with the sheet's title, then one line per non-empty
row with ``cells`` (every row of a sheet padded to the same width, blank cells ``""``, a merged cell's
value in its top-left cell as the file stores it). Numbers become text from the cell's value, not its
display: a whole number in a format without decimals (General, ``0``, text) as digits (``2080505``, a
code typed as a number); any other number as ``Decimal(str(value))`` quantized to 0.01, half up as the
budget system rounds (``1234.5`` → ``1234.50``, ``6`` in ``#,##0.00`` → ``6.00``); a percentage format
as the percentage at the format's decimals (``0.2565`` in ``0.0%`` → ``25.7%``).
Formulas give their cached value (``data_only``); a file never opened in a spreadsheet program has
none, and those cells are blank.

openpyxl is an optional extra (``pip install 'budgetdoc[xlsx]'``); without it reading a spreadsheet
raises :class:`InputError` saying so. Bounds: uncompressed size of the workbook's parts, number of cells
and characters (a zip bomb or a sheet of millions of cells is refused).
"""

from __future__ import annotations

import datetime as _dt
import os
import zipfile
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..decimals import quantize
from ..errors import InputError
from .lines import Line, Page, Source
from .normalise import normalise

MAX_UNZIPPED = 300 * 1024 * 1024  # all parts of the workbook, uncompressed
MAX_CELLS = 2_000_000
MAX_CHARS = 5_000_000
_CENT = Decimal("0.01")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or an encrypted .xlsx


def read_xlsx(path: str) -> Source:
    """Read a spreadsheet. Raises :class:`InputError` (one Chinese sentence) when it cannot."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as e:
        raise InputError(f"找不到文件：{path}") from e
    if not head:
        raise InputError(f"文件为空，没有可读取的内容：{path}")
    if head.startswith(_OLE) or path.lower().endswith(".xls"):
        return _read_xls(path, head)
    try:
        import openpyxl
    except ImportError as e:
        raise InputError(
            f"读取 .xlsx 表格需要安装可选组件 openpyxl（pip install 'budgetdoc[xlsx]'）：{path}"
        ) from e
    _check_zip(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # BadZipFile, KeyError, InvalidFileException, XML errors
        raise InputError(f"表格文件已损坏或不是 .xlsx 格式，无法打开：{path}") from e
    try:
        title = normalise(getattr(wb.properties, "title", None) or "").strip() or None
        source = Source(path=path, form="xlsx", title=title)
        budget = _Budget(path)
        for number, ws in enumerate(wb.worksheets, start=1):
            rows = []
            for row in ws.iter_rows():
                cells = []
                for c in row:
                    fmt = getattr(c, "number_format", "General") or "General"
                    cells.append(_text(getattr(c, "value", None), fmt))
                budget.add(cells)
                rows.append(cells)
            source.pages.append(_page(number, ws.title, rows))
    except InputError:
        raise
    except Exception as e:
        raise InputError(f"表格文件已损坏，无法读取其中的工作表：{path}") from e
    finally:
        wb.close()
    return source


def _check_zip(path: str) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            total = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError) as e:
        raise InputError(f"表格文件已损坏或不是 .xlsx 格式，无法打开：{path}") from e
    if total > MAX_UNZIPPED:
        raise InputError(
            f"表格文件解压后超过 {MAX_UNZIPPED // (1024 * 1024)} MB，疑似压缩炸弹，不予处理：{path}"
        )


class _Budget:
    def __init__(self, path: str) -> None:
        self.path, self.cells, self.chars = path, 0, 0

    def add(self, cells: list[str]) -> None:
        self.cells += len(cells)
        self.chars += sum(len(c) for c in cells)
        if self.cells > MAX_CELLS or self.chars > MAX_CHARS:
            raise InputError(
                f"表格过大（超过 {MAX_CELLS} 个单元格或 {MAX_CHARS} 个字符），不像是一份预决算公开文件：{self.path}"
            )


def _page(number: int, title: str, rows: list[list[str]]) -> Page:
    page = Page(number=number)
    name = normalise(title or "").strip()
    page.lines.append(Line(text=name, page=number, number=1, heading=1, raw=title or ""))
    width = max((max((i + 1 for i, c in enumerate(r) if c), default=0) for r in rows), default=0)
    for cells in rows:
        if not any(cells):
            continue
        cells = (cells + [""] * width)[:width]
        text = "\t".join(cells).rstrip("\t")
        page.lines.append(Line(text=text, page=number, number=len(page.lines) + 1, cells=cells, raw=text))
    return page


def _decimals(fmt: str) -> int:
    """Decimal places of a number format such as ``0.00%`` or ``#,##0.0``."""
    body = fmt.split(";")[0]
    if "." not in body:
        return 0
    tail = body.split(".", 1)[1]
    n = 0
    for ch in tail:
        if ch in "0#?":
            n += 1
        else:
            break
    return n


def _text(value, fmt: str = "General") -> str:
    """A cell's value as text (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal):
        try:
            d = Decimal(str(value))
        except InvalidOperation:
            return ""
        if not d.is_finite():
            return ""
        places = _decimals(fmt)
        if "%" in fmt:
            return f"{quantize(d * 100, Decimal(1).scaleb(-places), ROUND_HALF_UP)}%"
        if d == d.to_integral_value() and places == 0:
            return str(int(d))  # a code or a whole number shown without decimals
        return str(quantize(d, _CENT, ROUND_HALF_UP))
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(sep=" ")
    if isinstance(value, _dt.date | _dt.time):
        return value.isoformat()
    return normalise(str(value).replace("\r\n", " ").replace("\n", " ")).strip()


def _read_xls(path: str, head: bytes) -> Source:
    """Old binary .xls through xlrd when it is installed; otherwise say what to do."""
    try:
        import xlrd
    except ImportError as e:
        raise InputError(f"不支持旧版 .xls 表格（或已加密的表格），请另存为 .xlsx 后再试：{path}") from e
    if os.path.getsize(path) > 200 * 1024 * 1024:
        raise InputError(f"文件过大，不像是一份预决算公开文件：{path}")
    try:
        book = xlrd.open_workbook(path, on_demand=True)
    except Exception as e:
        raise InputError(f"表格文件已损坏、已加密或不是 .xls 格式，无法打开：{path}") from e
    try:
        source = Source(path=path, form="xlsx")
        budget = _Budget(path)
        for number in range(book.nsheets):
            sh = book.sheet_by_index(number)
            rows = []
            for r in range(sh.nrows):
                cells = []
                for c in sh.row(r):
                    if c.ctype == xlrd.XL_CELL_DATE:
                        try:
                            v = xlrd.xldate.xldate_as_datetime(c.value, book.datemode)
                        except Exception:
                            v = c.value
                        cells.append(_text(v))
                    elif c.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                        cells.append("")
                    elif c.ctype == xlrd.XL_CELL_BOOLEAN:
                        cells.append(_text(bool(c.value)))
                    else:
                        cells.append(_text(c.value))
                budget.add(cells)
                rows.append(cells)
            source.pages.append(_page(number + 1, sh.name, rows))
            book.unload_sheet(number)
    except InputError:
        raise
    except Exception as e:
        raise InputError(f"表格文件已损坏，无法读取其中的工作表：{path}") from e
    finally:
        book.release_resources()
    return source
