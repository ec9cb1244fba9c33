"""Word documents (.docx, python-docx — the ``write`` extra) → pages of lines.

The body is read in order: a heading paragraph becomes a heading line (its level), any other paragraph a
text line, and each table row one line with ``cells`` (a merged cell's text once, in its first column; the
rows marked to repeat as a header are read once). A .docx has no pages: everything is page 1, lines are
numbered in order. Bounds: the number of paragraphs and cells (a document of millions of cells is refused).
"""

from __future__ import annotations

import zipfile

from ..errors import InputError
from .lines import Line, Page, Source
from .normalise import normalise

MAX_ITEMS = 500_000
MAX_UNZIPPED = 300 * 1024 * 1024


def read_docx(path: str) -> Source:
    try:
        import docx
        from docx.oxml.ns import qn
    except ImportError as e:
        raise InputError(f"读取 .docx 文件需要安装可选组件 python-docx（pip install 'budgetdoc[write]'）：{path}") from e
    try:
        with zipfile.ZipFile(path) as z:
            if sum(i.file_size for i in z.infolist()) > MAX_UNZIPPED:
                raise InputError(f"Word 文件解压后过大，疑似压缩炸弹，不予处理：{path}")
        d = docx.Document(path)
    except InputError:
        raise
    except Exception as e:  # noqa: BLE001 - a broken or foreign file is one sentence
        raise InputError(f"Word 文件已损坏或不是 .docx 格式，无法打开：{path}") from e
    page = Page(number=1)
    src = Source(path=path, form="docx", pages=[page], title=(d.core_properties.title or None))
    count = 0

    def add(text: str, cells: list[str] | None = None, heading: int = 0) -> None:
        nonlocal count
        count += 1 + len(cells or ())
        if count > MAX_ITEMS:
            raise InputError(f"Word 文件过大（超过 {MAX_ITEMS} 个段落或单元格），不像是一份预决算公开文件：{path}")
        page.lines.append(Line(text=text, page=1, number=len(page.lines) + 1, cells=cells, heading=heading,
                               raw=text))

    try:
        body = d.element.body
        for el in body.iterchildren():
            if el.tag == qn("w:p"):
                from docx.text.paragraph import Paragraph

                p = Paragraph(el, d)
                text = normalise(p.text).strip()
                if not text:
                    continue
                style = (p.style.name if p.style is not None else "") or ""
                level = int(style.split()[-1]) if style.startswith("Heading") and style.split()[-1].isdigit() else 0
                add(text, heading=level)
            elif el.tag == qn("w:tbl"):
                from docx.table import Table

                for row in Table(el, d).rows:
                    cells, last = [], None
                    for c in row.cells:
                        text = normalise(c.text.replace("\n", " ")).strip()
                        cells.append("" if c._tc is last else text)
                        last = c._tc
                    if any(cells):
                        add("\t".join(cells).rstrip("\t"), cells=cells)
    except InputError:
        raise
    except Exception as e:  # noqa: BLE001
        raise InputError(f"Word 文件内容无法读取：{path}") from e
    return src
