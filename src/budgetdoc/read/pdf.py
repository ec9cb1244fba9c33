"""PDF with a text layer → pages of positioned lines (PyMuPDF, word positions, never stream order).

Per page, the words (``get_text("words")``) are placed by their boxes, never by the order of the
content stream. Words inside a ruled table go to its grid (:mod:`budgetdoc.read.pdf_grid`): one
:class:`Line` per row, ``cells`` aligned to the table's column grid, so every row of a table (on every
page it spans) has the same number of cells at the same positions:

- a blank cell is ``""``; a cell merged across columns (``合计`` over 编码 + 名称) has its text in its
  first column and ``""`` in the others; a cell merged down over several bands (``年初结转和结余`` over
  two header bands) belongs to its top band — as a spreadsheet export stores merged cells;
- a name wrapped over several visual lines inside its cell is joined into the cell (no space between
  CJK characters): ``机关事业单位基本养老保险缴费支出`` is one row;
- a word the extractor glued across a cell rule (``2013901行政运行``) is split at the rule by its
  characters' boxes;
- a band holding numbers on two visual lines of one cell is several rows whose rules are missing, and
  is split there — unless that cell alone does and its lines fill it: a long code (21-digit 项目编码)
  wrapped inside its cell, joined without spaces;
- ``cell_boxes`` gives each cell's box: the union of the words placed in it (a cell's printed amount
  is inside it), for a blank cell the grid cell (its column between the rules, the row's height).

All other words are grouped into lines by vertical overlap, sorted left to right (so an unruled table
row is still one line across the page, without cells); the page's lines (rows and narrative) are
sorted top to bottom and numbered from 1. ``Line.text`` of a row is its cells joined by a tab (as for
converter tables, trailing blanks dropped); of a narrative line its words joined by one space (where
the PDF had whitespace), except where the extractor split a run of CJK text that had none. ``raw``
keeps the words before normalisation. A page with /Rotate is read as shown. A word printed twice at
the same place (fake bold) counts once.

The ruling lines come from the vector blocks MuPDF notes in the text page (``TEXT_COLLECT_VECTORS``:
each subpath's box, kind and colour) where every block is a rectangle or a rule — MuPDF then interprets
the page once; a page with other paths (a stroked box, a curve) is asked for its drawings
(``get_cdrawings``), a page without paths for none.

Why an own grid and not ``page.find_tables()`` (the three samples, PyMuPDF 1.26.7, 2 shared cores;
``bench/bench_read_pdf.py --compare`` repeats it):

- time: words alone (open + ``get_text("words")``) 0.9-1.3 ms/page on a quiet machine; this reader
  (words + ``get_cdrawings()`` + grid) 1.8-3.4 ms/page, 1.7-2.6× the words; ``find_tables()`` +
  ``extract()`` 27-54 ms/page quiet (up to 128 under load), 25-50× the words, far above the 3× aim.
- cells: on all 530 non-empty ruled rows of the samples (收支总表 two halves of 4 columns, 财政拨款
  收支总表 7, 收入/支出表 9/8 across a page break, 一般公共预算支出表 with wrapped names, 基本支出表
  two groups of 编码/名称/决算数, 三公 12 columns under a four-band header, merged header cells)
  find_tables gives the same cells after removing whitespace: it keeps a wrapped name's line break
  (``社会保障和就\n业支出``) and gives ``None`` for merged cells. Its ``extract()`` also reads a
  module-global text page, so it must run before the next page is searched. Neither finds a table on
  an unruled page (find_tables' default strategy uses the same ruling lines).
- the samples print the functional code in one column (功能分类科目编码), not split in 类/款/项;
  split code columns would simply be separate grid cells.

Bounds: at most :data:`MAX_PAGES` pages and :data:`MAX_CHARS` characters of text (else
:class:`InputError`), and :data:`MAX_STREAM` decompressed bytes of Flate content per page (page
content and form XObjects, checked by a capped zlib decompression before MuPDF interprets the page,
so a decompression bomb is refused, not expanded); grids are skipped on pages with more than
``MAX_DRAWINGS`` paths. A page with images and no usable text layer is a scan: ``has_text=False``, no
lines, and the OCR hook (:func:`set_ocr_hook`, or ``read_pdf(path, ocr=...)``) is asked for its lines;
a page it read has ``ocr=True``. By default the hook is :func:`budgetdoc.read.ocr.read_page` when the
``ocr`` extra is installed (``BUDGETDOC_OCR=0`` turns it off), else there is none and the page stays
without lines (the recogniser reports it). The file is read once into memory and never written;
``Source.title`` is the metadata title.
"""

from __future__ import annotations

import bisect
import math
import os
import re
import time
import zlib
from collections import Counter
from collections.abc import Callable
from typing import Any, Protocol

from ..errors import InputError
from .lines import BBox, Line, Page, Source, Word
from .normalise import normalise
from .pdf_grid import Grid, from_blocks, grids, rotate
from .wrapped_cells import join_wrapped_cells

MAX_BYTES = 200 * 1024 * 1024
MAX_PAGES = 2000  # a disclosure has 20-200 pages
MAX_CHARS = 2_000_000  # its text is ~10-300 k characters (the model of 2 M is ~0.5 GB)
MAX_STREAM = 32 * 1024 * 1024  # decompressed content of one page (a text page is ~10-100 KB)
MAX_OBJECTS = 300_000  # a disclosure has 1-20 k PDF objects (scan and rewrite: ~25 µs an entry)
MAX_WORDS = 20_000  # words on one page: a dense table page has ~2,000; more is not a page to read
NO_CJK_CHARS = 300  # characters of a text layer without one Chinese character: ASCII junk, not a disclosure
FAR = 1e7  # |x0| + |y0| + |x1| + |y1| of a word's box beyond this (points): not on any page, dropped
# why a page with a text layer is not read (Page.skipped; REC002 prints it after “第N页”)
GARBLED = "的文字层是乱码（字体缺少字符映射或已损坏），未能识别"
NO_CJK = "的文字层中没有一个汉字（字体编码损坏造成的乱码？），未能识别"
TOO_DENSE = f"文字过密（超过每页 {MAX_WORDS} 个词），未读取"
DAMAGED = "无法读取（PDF 文件在此页损坏）"
# OCR costs seconds a page: a scanned disclosure of 20-200 pages is read, a scanned archive is not.
MAX_OCR_PAGES = int(os.environ.get("BUDGETDOC_OCR_MAX_PAGES", "200"))

OcrHook = Callable[[Any, int], list[Line]]  # (pymupdf.Page, 1-based page number) → lines of the page
# told after each page read by OCR: (its 1-based number, pages in the document, seconds it took)
OcrProgress = Callable[[int, int, float], None]
DEFAULT_OCR = "default"  # the hook setting that means: the ``ocr`` extra's engine when installed
_ocr_hook: OcrHook | str | None = DEFAULT_OCR


def set_ocr_hook(hook: OcrHook | str | None) -> OcrHook | str | None:
    """Register the function that reads a scanned page (``has_text=False``); ``None`` removes it (no
    OCR), :data:`DEFAULT_OCR` restores the default. Returns the previous setting."""
    global _ocr_hook
    previous, _ocr_hook = _ocr_hook, hook
    return previous


def _resolve(hook: OcrHook | str | None) -> OcrHook | None:
    if hook != DEFAULT_OCR:
        return hook  # type: ignore[return-value]
    if os.environ.get("BUDGETDOC_OCR", "").strip().lower() in ("0", "off", "no", "false"):
        return None
    from .ocr import default_hook

    return default_hook()


# an internal word: x0, y0, x1, y1, text, (block, line) of the extractor
_W = tuple[float, float, float, float, str, tuple[int, int]]


def read_pdf(path: str, ocr: OcrHook | bool | None = None, progress: OcrProgress | None = None) -> Source:
    """Read a PDF. Raises :class:`InputError` (one Chinese sentence) when it cannot be used.

    ``ocr``: the function that reads scanned pages for this call; ``None`` the registered one
    (:func:`set_ocr_hook`), ``False`` none. ``progress``: told after each page OCR read (OCR takes
    seconds a page; the pages are read one at a time, each image released before the next)."""
    import pymupdf

    data = _load(path)
    shown = pymupdf.TOOLS.mupdf_display_errors()
    pymupdf.TOOLS.mupdf_display_errors(False)
    try:
        try:
            doc = pymupdf.open(stream=data, filetype="pdf")
        except Exception as e:  # FileDataError, RuntimeError: MuPDF cannot parse it
            raise InputError(f"PDF 文件已损坏或不完整，无法打开：{path}") from e
        with doc:
            hook = _ocr_hook if ocr is None or ocr is True else (None if ocr is False else ocr)
            fixed = _rewritten(doc) if not doc.needs_pass and _broken_objects(doc) else None
            if fixed is not None:
                with fixed:
                    return _read(fixed, path, hook, progress)
            return _read(doc, path, hook, progress)
    finally:
        pymupdf.TOOLS.mupdf_display_errors(shown)


def _rewritten(doc):
    """MuPDF parses a broken object again at every reference to it (a flipped bit in an object stream:
    minutes on one page); a copy written once holds such objects as null. None when it cannot be
    written: the original is read then."""
    import pymupdf

    try:
        return pymupdf.open(stream=doc.tobytes(garbage=1), filetype="pdf")
    except Exception:  # noqa: BLE001 - MuPDF cannot write it either
        return None


def _broken_objects(doc) -> bool:
    """Some object of the file cannot be parsed (one pass over the cross-reference table). A table of
    more than :data:`MAX_OBJECTS` entries (a damaged one claims hundreds of thousands) is not scanned
    nor rewritten: that would cost more than the pages."""
    if doc.xref_length() > MAX_OBJECTS:
        return False
    for xref in range(1, doc.xref_length()):
        try:
            doc.xref_object(xref, compressed=True)
        except Exception:  # noqa: BLE001 - MuPDF's RuntimeError: the object is damaged
            return True
    return False


def _load(path: str) -> bytes:
    try:
        size = os.path.getsize(path)
    except OSError as e:
        raise InputError(f"找不到文件：{path}") from e
    if size == 0:
        raise InputError(f"文件为空，没有可读取的内容：{path}")
    if size > MAX_BYTES:
        raise InputError(f"文件过大（{size // (1024 * 1024)} MB），不像是一份预决算公开文件：{path}")
    with open(path, "rb") as fh:
        data = fh.read()
    if b"%PDF-" not in data[:1024]:
        raise InputError(f"文件不是 PDF（缺少 PDF 文件头），可能只是扩展名为 .pdf：{path}")
    return data


def _read(doc, path: str, ocr: OcrHook | str | None, progress: OcrProgress | None = None) -> Source:
    if doc.needs_pass:
        raise InputError(f"PDF 文件已加密，需要密码才能打开，请提供未加密的文件：{path}")
    count = doc.page_count
    if count == 0:
        raise InputError(f"PDF 文件已损坏或不完整，没有可读取的页面：{path}")
    if count > MAX_PAGES:
        raise InputError(f"PDF 页数过多（{count} 页，上限 {MAX_PAGES} 页），不像是一份预决算公开文件：{path}")
    title = normalise((doc.metadata or {}).get("title") or "").strip() or None
    source = Source(path=path, form="pdf", title=title)
    chars = ocr_pages = 0
    for index in range(count):
        number = index + 1
        try:
            pg = doc[index]
            _check_streams(doc, pg, number, path)
            page, n = _page(pg, number)
        except InputError:
            raise
        except Exception:  # noqa: BLE001 - MuPDF cannot interpret this page: said (REC002), the rest read
            source.pages.append(Page(number=number, has_text=False, skipped=DAMAGED))
            continue
        chars += n
        if chars > MAX_CHARS:
            raise InputError(
                f"PDF 文字过多（超过 {MAX_CHARS} 个字符），远超一份预决算公开文件的篇幅，不予处理：{path}"
            )
        if not page.has_text and page.skipped not in (TOO_DENSE, DAMAGED):
            ocr = _resolve(ocr)  # the default engine is looked up only when a scan is found
            ocr_pages += _ocr(page, pg, ocr, ocr_pages, source, (progress, count))
        source.pages.append(page)
    if chars >= NO_CJK_CHARS and not any(_CJK.search(ln.text) for p in source.pages for ln in p.lines):
        # text enough for several pages and not one Chinese character: not the text a Chinese disclosure
        # prints but a font's codes read as Latin letters (ASCII junk); said, and for OCR
        for index, page in enumerate(source.pages):
            if page.has_text and page.lines:
                page.lines, page.has_text, page.skipped = [], False, NO_CJK
                ocr = _resolve(ocr)
                ocr_pages += _ocr(page, doc[index], ocr, ocr_pages, source, (progress, count))
    if (
        not any(p.lines for p in source.pages)
        and any(p.skipped for p in source.pages)
        and all(p.has_text or p.skipped for p in source.pages)
    ):
        reasons = {p.skipped for p in source.pages if p.skipped}
        if GARBLED in reasons:
            raise InputError(f"PDF 的文字层是乱码（字体缺少字符映射或已损坏），没有可读取的内容：{path}")
        if NO_CJK in reasons:
            raise InputError(
                f"PDF 的文字层中没有一个汉字（字体编码损坏造成的乱码，或不是中文的预决算公开文件），没有可读取的内容：{path}"
            )
        if TOO_DENSE in reasons:
            raise InputError(f"PDF 每页文字过多（超过 {MAX_WORDS} 个词），不像是一份预决算公开文件：{path}")
        raise InputError(f"PDF 文件已损坏，没有一页可以读取：{path}")
    return source


def _ocr(page: Page, pg, ocr: OcrHook | None, done: int, source: Source,
         told: tuple[OcrProgress | None, int] = (None, 0)) -> int:
    """Lines for a page without a usable text layer, read by the OCR hook (when there is one and the
    document's OCR page budget is not spent): 1 when it was asked, else 0. ``told``: the progress
    callback and the document's page count."""
    if ocr is None:
        return 0
    source.ocr_engine = getattr(ocr, "engine", None) or getattr(ocr, "__name__", "ocr")
    if done >= MAX_OCR_PAGES:
        page.ocr_skipped = True
        return 0
    start = time.perf_counter()
    page.lines = list(ocr(pg, page.number) or [])
    page.ocr = bool(page.lines)
    progress, count = told
    if progress is not None:
        progress(page.number, count, time.perf_counter() - start)
    return 1


_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


def _check_streams(doc, pg, number: int, path: str) -> None:
    """Refuse a page whose content streams decompress to more than MAX_STREAM bytes. Deflate expands at
    most about 1032-fold: streams whose raw bytes cannot reach the limit are not decompressed here."""
    xrefs = list(pg.get_contents())
    xrefs += [x[0] for x in pg.get_xobjects() if x[0] > 0]
    if sum(len(doc.xref_stream_raw(x) or b"") for x in xrefs) * _DEFLATE_MAX_RATIO <= MAX_STREAM:
        return
    total = 0
    for xref in xrefs:
        kind, value = doc.xref_get_key(xref, "Filter")
        if "FlateDecode" not in value or value.count("/") > 1:
            continue  # unfiltered (its size is its length) or a filter chain: not checked here
        raw = doc.xref_stream_raw(xref)
        z = zlib.decompressobj()
        try:
            out = z.decompress(raw, MAX_STREAM + 1 - total)
        except zlib.error:
            continue  # let MuPDF repair or report it
        total += len(out)
        if total > MAX_STREAM:
            raise InputError(
                f"PDF 第 {number} 页的内容解压后超过 {MAX_STREAM // (1024 * 1024)} MB，疑似压缩炸弹，不予处理：{path}"
            )


_DEFLATE_MAX_RATIO = 1032  # the largest expansion deflate allows (zlib's technical notes)


def _usable(text: str) -> int:
    """Characters of real text in a Chinese disclosure: CJK, fullwidth forms, ASCII, Latin-1 and the
    punctuation, number and symbol blocks — not blanks, nor what an extractor gives for glyphs without
    a character mapping (replacement characters, private-use codes, control characters, or a run of
    letters from unrelated scripts when a font's codes are read as Unicode)."""
    return len(text) - len(_IMPLAUSIBLE.findall(text))  # the few others counted, not the many


_PLAUSIBLE_CHARS = (
    "\x21-\x7e\xa1-\xff\u2010-\u27bf\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff01-\uffef\U00020000-\U0003ffff"
)
_IMPLAUSIBLE = re.compile(f"[^{_PLAUSIBLE_CHARS}]")


def _dedupe(words: list[_W]) -> list[_W]:
    """Drop a word printed twice at (almost) the same place (less than 1 pt apart in x and in y): fake
    bold by overprinting. Words are bucketed by text and 2-pt cells, so a twin is looked for in the
    four cells within 1 pt of the word only: linear in the words, however many share a text (``0.00``)."""
    repeated = {t for t, n in Counter(w[4] for w in words).items() if n > 1}
    if not repeated:  # no text printed twice: no twin
        return words
    out: list[_W] = []
    index: dict[tuple[str, int, int], list[_W]] = {}
    floor = math.floor
    for w in words:
        text = w[4]
        if text not in repeated:  # a text printed once on the page has no twin
            out.append(w)
            continue
        fx, fy = w[0] / 2, w[1] / 2
        bx, by = floor(fx), floor(fy)
        near_x = (bx, bx - 1 if fx - bx < 0.5 else bx + 1)  # the cells a point within 1 pt can be in
        near_y = (by, by - 1 if fy - by < 0.5 else by + 1)
        twin = False
        for kx in near_x:
            for ky in near_y:
                for t in index.get((text, kx, ky), ()):
                    if abs(t[0] - w[0]) < 1.0 and abs(t[1] - w[1]) < 1.0:
                        twin = True
                        break
        if twin:
            continue
        index.setdefault((text, bx, by), []).append(w)
        out.append(w)
    return out


def _turn(
    x0: float, y0: float, x1: float, y1: float, m: tuple[float, float, float, float, float, float]
) -> tuple[float, float, float, float]:
    """A box given unrotated, as the page is shown under its rotation matrix ``m``."""
    a, b, c, d, e, f = m
    xa, ya = x0 * a + y0 * c + e, x0 * b + y0 * d + f
    xb, yb = x1 * a + y1 * c + e, x1 * b + y1 * d + f
    return min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)


def _turned(words: list[_W], m: tuple[float, float, float, float, float, float]) -> list[_W]:
    """The words as the page is shown under its rotation matrix ``m``, boxes to hundredths of a point:
    what ``rounded((*_turn(x0, y0, x1, y1, m), text, where))`` gives for each, in one pass."""
    a, b, c, d, e, f = m
    out: list[_W] = []
    for x0, y0, x1, y1, text, where in words:
        xa, ya = x0 * a + y0 * c + e, x0 * b + y0 * d + f
        xb, yb = x1 * a + y1 * c + e, x1 * b + y1 * d + f
        out.append((
            round((xa if xa <= xb else xb) * 100) / 100,
            round((ya if ya <= yb else yb) * 100) / 100,
            round((xb if xa < xb else xa) * 100) / 100,
            round((yb if ya < yb else ya) * 100) / 100,
            text,
            where,
        ))
    return out


def _has_images(pg) -> bool:
    """Images the page shows: listed in its resources, else drawn inline (BI … EI)."""
    return bool(pg.get_images(full=False)) or bool(pg.get_image_info())


def _page(pg, number: int) -> tuple[Page, int]:
    import pymupdf

    rect = pg.rect
    page = Page(number=number, width=round(rect.width, 2), height=round(rect.height, 2))
    # vector paths are noted in the text page too (as blocks without their items): a page without any has
    # no ruling lines, and MuPDF need not interpret it a second time for them (get_cdrawings)
    tp = pg.get_textpage(flags=pymupdf.TEXTFLAGS_WORDS | pymupdf.TEXT_COLLECT_VECTORS)
    words: list[_W] = [
        (
            round(w[0] * 100) / 100,
            round(w[1] * 100) / 100,
            round(w[2] * 100) / 100,
            round(w[3] * 100) / 100,
            w[4],
            (w[5], w[6]),
        )
        for w in tp.extractWORDS()
        # a box at NaN, infinity or millions of points is no place on a page
        if w[4].strip() and abs(w[0]) + abs(w[1]) + abs(w[2]) + abs(w[3]) < FAR
    ]
    if len(words) > MAX_WORDS:  # bounded work: such a page is said (REC002), not laid out
        page.has_text, page.skipped = False, TOO_DENSE
        return page, sum(len(w[4]) for w in words)
    words = _dedupe(words)
    m = tuple(pg.rotation_matrix) if pg.rotation else None
    if m is not None:  # /Rotate: words and rules come unrotated; place them as the page is shown
        words = _turned(words, m)
    text = "".join([w[4] for w in words])
    chars = len(text)
    usable = _usable(text)
    if usable < max(3, chars // 2):
        if _has_images(pg):
            # images and no usable text layer (at most a stamped page number): a scan, for OCR
            page.has_text = False
            return page, chars
        if chars - usable >= 3 and usable < chars // 2:
            # a text layer of glyphs without characters (broken font encoding): said, and for OCR
            page.has_text, page.skipped = False, GARBLED
            return page, chars
    drawings = _drawings(pg, tp)
    tables = grids(rotate(drawings, m) if m is not None else drawings)
    page.lines.extend(layout(words, tables, number, _Splitter(tp, m)))
    return page, chars


def _drawings(pg, tp) -> list[dict]:
    """The page's drawings, for its ruling lines: none on a page without vector paths; else read from
    the vector blocks of its text page where each is a rectangle or a rule (MuPDF need not interpret the
    page again); else asked of MuPDF (``get_cdrawings``)."""
    if not _has_paths(tp):
        return []
    found = from_blocks(tp.extractBLOCKS())
    return found if found is not None else pg.get_cdrawings()


def _has_paths(tp) -> bool:
    """The text page holds a vector block (a filled or stroked path on the page). Read from MuPDF's block
    list; where that cannot be read (another PyMuPDF), True: the drawings are then asked for."""
    try:
        block = tp.this.m_internal.first_block
        while block:
            if block.type == _VECTOR_BLOCK:
                return True
            block = block.next
        return False
    except Exception:  # noqa: BLE001 - an unknown binding: ask MuPDF for the drawings
        return True


_VECTOR_BLOCK = 3  # FZ_STEXT_BLOCK_VECTOR


class Splitter(Protocol):
    def split(self, w: _W, edges: list[float]) -> list[_W]:
        """Pieces of ``w`` between consecutive ``edges`` (x of the real cell rules it crosses)."""
        ...


def layout(words: list[_W], tables: list[Grid], number: int, splitter: Splitter) -> list[Line]:
    """The lines of a page from its positioned words (text layer or OCR boxes) and ruled tables: one
    line per table row with cells, the other words grouped into visual lines; top to bottom, then left
    to right, numbered from 1. ``splitter`` cuts a word running across a cell rule. The words' boxes
    are given to hundredths of a point (:func:`rounded`)."""
    inside: list[list[_W]] = [[] for _ in tables]
    free: list[_W] = [] if tables else words
    # each table's box, a point within 1 pt of it counting as inside
    boxes = [(g.xs[0] - 1, g.ys[0] - 1, g.xs[-1] + 1, g.ys[-1] + 1, i) for i, g in enumerate(tables)]
    for w in words if tables else ():
        cx, cy = (w[0] + w[2]) / 2, (w[1] + w[3]) / 2
        for x0, y0, x1, y1, i in boxes:
            if x0 <= cx <= x1 and y0 <= cy <= y1:
                inside[i].append(w)
                break
        else:
            free.append(w)
    lines: list[tuple[float, float, Line]] = []
    for g, ws in zip(tables, inside, strict=True):
        for line in _rows(g, ws, number, splitter):
            lines.append((line.bbox[1], line.bbox[0], line))
    for group in _visual_lines(free):
        line = _text_line(group, number)
        lines.append((line.bbox[1], line.bbox[0], line))
    lines.sort(key=lambda t: (t[0], t[1]))
    out = []
    for i, (_, _, line) in enumerate(lines, start=1):
        line.number = i
        out.append(line)
    # names wrapped inside unruled side-by-side cells (panels, halves) go back to their cells
    return join_wrapped_cells(out)


# ---------------------------------------------------------------- words → text


def _cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFE30 <= o <= 0xFE4F
        or 0xFF00 <= o <= 0xFFEF
        or 0x20000 <= o <= 0x3FFFF
        or 0x2018 <= o <= 0x201D
    )


def _join(ws: list[_W]) -> str:
    """Words of one visual line, left to right: one space where the source had whitespace (the
    extractor splits words on it within one of its lines), none where the extractor split a CJK run
    (different extractor lines, small gap), none where two pieces touch."""
    out = ws[0][4]
    for a, b in zip(ws, ws[1:], strict=False):
        gap = b[0] - a[2]
        h = max(a[3] - a[1], b[3] - b[1], 1.0)
        if a[5] == b[5]:
            sep = " "
        elif gap <= 0.15 * h or (gap <= 0.6 * h and (_cjk(a[4][-1]) or _cjk(b[4][0]))):
            sep = ""
        else:
            sep = " "
        out += sep + b[4]
    return out


_CODE_PIECE = re.compile(r"^[0-9A-Z]+$")


def _join_wrapped(parts: list[str]) -> str:
    """Visual lines of one cell: no space where either side is CJK (a wrapped name) or where a code
    (digits and capitals, ``42010026503Y000000101``) was broken over lines, else one."""
    out = ""
    last = ""
    for p in parts:
        if not p:
            continue
        if (
            out
            and not (_cjk(out[-1]) or _cjk(p[0]))
            and not (_CODE_PIECE.match(last) and _CODE_PIECE.match(p))
        ):
            out += " "
        out += p
        last = p
    return out


def _visual_lines(ws: list[_W]) -> list[list[_W]]:
    """Group words into visual lines by vertical overlap; each line sorted left to right."""
    if len(ws) < 2:
        return [list(ws)] if ws else []
    groups: list[list[_W]] = []
    top = bottom = 0.0
    for w in sorted(ws, key=lambda w: ((w[1] + w[3]) / 2, w[0])):
        if groups:
            overlap = min(bottom, w[3]) - max(top, w[1])
            if overlap >= 0.5 * min(bottom - top, w[3] - w[1]):
                groups[-1].append(w)
                top, bottom = min(top, w[1]), max(bottom, w[3])
                continue
        groups.append([w])
        top, bottom = w[1], w[3]
    for g in groups:
        g.sort(key=lambda w: w[0])
    return groups


def _union(ws: list[_W]) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = ws[0][:4]
    for w in ws[1:]:  # one pass (a cell of one word, the common case, does no loop)
        if w[0] < x0:
            x0 = w[0]
        if w[1] < y0:
            y0 = w[1]
        if w[2] > x1:
            x1 = w[2]
        if w[3] > y1:
            y1 = w[3]
    return (x0, y0, x1, y1)


def _word(w: _W) -> Word:
    return Word(w[4], w[:4])


def rounded(w: _W) -> _W:
    """A word with its box to hundredths of a point (boxes are said to 0.01 pt; rounded once as a word is
    taken, the unions of boxes need no rounding: rounding keeps order)."""
    return (
        round(w[0] * 100) / 100,
        round(w[1] * 100) / 100,
        round(w[2] * 100) / 100,
        round(w[3] * 100) / 100,
        w[4],
        w[5],
    )


def _text_line(ws: list[_W], page: int) -> Line:
    raw = _join(ws)
    return Line(
        text=normalise(raw).strip(),
        page=page,
        number=0,
        bbox=_union(ws),
        words=[_word(w) for w in ws],
        raw=raw,
    )


# ---------------------------------------------------------------- table rows


class _Splitter:
    """Splits a word the extractor glued across a cell rule, using the characters' boxes."""

    def __init__(self, tp, m: tuple | None = None) -> None:
        self._tp = tp
        self._m = m
        self._chars: list[tuple[float, float, float, float, str]] | None = None
        # band of BAND pt → (x centres, indexes) of the chars over it, by x centre
        self._bands: dict[int, tuple[list[float], list[int]]] | None = None
        self._tall: list[int] = []  # chars over more than 64 bands (looked at for every word)

    def chars(self) -> list[tuple[float, float, float, float, str]]:
        if self._chars is None:
            self._chars = []
            for block in self._tp.extractRAWDICT().get("blocks", ()):
                for line in block.get("lines", ()):
                    for span in line.get("spans", ()):
                        for ch in span.get("chars", ()):
                            x0, y0, x1, y1 = ch["bbox"]
                            if self._m is not None:
                                x0, y0, x1, y1 = _turn(x0, y0, x1, y1, self._m)
                            self._chars.append((x0, y0, x1, y1, ch["c"]))
        return self._chars

    BAND = 8.0

    def _near(self, cy: float, x0: float, x1: float) -> list[int]:
        """Indexes of the chars that may span the height ``cy`` with their centre in [x0, x1]: those
        over its band, found by bisection (a page of many glued words costs a few chars each, not the
        page's)."""
        if self._bands is None:
            bands: dict[int, list[tuple[float, int]]] = {}
            for i, c in enumerate(self.chars()):
                cx = (c[0] + c[2]) / 2
                if not (math.isfinite(c[1]) and math.isfinite(c[3]) and math.isfinite(cx)):
                    self._tall.append(i)
                    continue
                lo, hi = math.floor(c[1] / self.BAND), math.floor(c[3] / self.BAND)
                if hi - lo > 64:
                    self._tall.append(i)
                    continue
                for b in range(lo, hi + 1):
                    bands.setdefault(b, []).append((cx, i))
            self._bands = {}
            for b, items in bands.items():
                items.sort()
                self._bands[b] = ([cx for cx, _ in items], [i for _, i in items])
        out = list(self._tall)
        if math.isfinite(cy) and (band := self._bands.get(math.floor(cy / self.BAND))) is not None:
            xs, idx = band
            out += idx[bisect.bisect_left(xs, x0) : bisect.bisect_right(xs, x1)]
        return out

    def split(self, w: _W, edges: list[float]) -> list[_W]:
        """Pieces of ``w`` between consecutive ``edges`` (x of the real cell rules it crosses)."""
        cy = (w[1] + w[3]) / 2
        chars = self.chars()
        near = sorted(
            i
            for i in self._near(cy, w[0] - 0.5, w[2] + 0.5)
            if w[0] - 0.5 <= (chars[i][0] + chars[i][2]) / 2 <= w[2] + 0.5
            and chars[i][1] <= cy <= chars[i][3]
            and not chars[i][4].isspace()
        )
        if not near:
            return [w]
        own = sorted((chars[i] for i in near), key=lambda c: c[0])  # stable: extraction order on ties
        pieces: list[list[tuple[float, float, float, float, str]]] = []
        last = -1
        for c in own:
            k = sum(1 for e in edges if (c[0] + c[2]) / 2 > e)
            if k != last:
                pieces.append([])
                last = k
            pieces[-1].append(c)
        return [
            (p[0][0], min(c[1] for c in p), p[-1][2], max(c[3] for c in p), "".join(c[4] for c in p), w[5])
            for p in pieces
        ]


def _rows(g: Grid, ws: list[_W], page: int, splitter: Splitter) -> list[Line]:
    """One line per row of the table that holds text; cells aligned to the table's column grid.

    A row is a band between horizontal rules. A cell merged down over several bands (no rule across
    it) belongs to its top band. A band holding several visual lines that each fill two or more cells
    is several rows whose rules are missing, and is split at those lines; a visual line that fills one
    cell only is the wrapped rest of the row above it."""
    # band → its cells, the x of the rules between them, the x of each cell's right rule
    bands: dict[int, tuple[list[tuple[int, int]], list[float], list[float]]] = {}

    def cells(band: int) -> tuple[list[tuple[int, int]], list[float], list[float]]:
        got = bands.get(band)
        if got is None:
            spans = g.spans(band)
            got = bands[band] = (spans, [g.xs[s[0]] for s in spans[1:]], [g.xs[s[1]] for s in spans])
        return got

    owners: dict[tuple[int, int], int] = {}
    placed: dict[int, list[tuple[int, _W]]] = {}
    after = bisect.bisect_right
    ys, last = g.ys, len(g.ys) - 1
    pending = list(ws)
    while pending:
        w = pending.pop()
        # the row band holding the word's middle (clamped to the table)
        band = min(after(ys, (w[1] + w[3]) / 2, 1, last), last) - 1
        got = bands.get(band)
        spans, cuts, rights = got if got is not None else cells(band)
        i = after(cuts, w[0] + 1.5)
        if i < len(cuts) and cuts[i] < w[2] - 1.5:  # the word runs across a cell rule
            pieces = splitter.split(w, [x for x in cuts[i:] if x < w[2] - 1.5])
            if len(pieces) > 1:
                pending.extend(map(rounded, pieces))
                continue
        cx = (w[0] + w[2]) / 2
        k = after(rights, cx)
        span = spans[k if k < len(spans) else -1]
        key = (band, span[0])
        top = owners.get(key)
        if top is None:
            top = owners[key] = g.owner(band, (g.xs[span[0]] + g.xs[span[1]]) / 2)
        if top != band:
            tspans, _, trights = cells(top)
            k = bisect.bisect_right(trights, cx)
            if k < len(tspans):
                span = tspans[k]
        placed.setdefault(top, []).append((span[0], w))
    out: list[Line] = []
    xs = [round(x, 2) for x in g.xs]
    for band in sorted(placed):
        spans = cells(band)[0]
        rows = _split_band(placed[band], {a: g.xs[b] for a, b in spans})
        for row in rows:
            out.append(_row_line(g, band, row, page, len(rows) == 1, xs))
    return out


_NUMBER = re.compile(r"^[-+(（]?[\d,]+(\.\d+)?%?[)）]?$")


def _split_band(items: list[tuple[int, _W]], right: dict[int, float]) -> list[list[tuple[int, _W]]]:
    """A band is several rows when one of its cells holds numbers on two or more visual lines (one
    cell never holds two amounts or codes: the rules between those rows are missing). Rows then start
    at each visual line with such a number; other visual lines are wrapped text of the row above.

    Except a long code wrapped inside its cell (a 21-digit 项目编码 over three lines): when that cell
    is the only one holding numbers on several lines and each of its lines but the last fills the
    cell up to its right rule (``right``: column → x of the cell's right rule), it is one row."""
    if len(items) == len({c for c, _ in items}):  # one word a cell: no cell holds two numbers (most bands)
        return [items]
    per_cell = Counter(c for c, w in items if _NUMBER.match(w[4]))
    if all(n < 2 for n in per_cell.values()):  # no cell holds two numbers: one row
        return [items]
    col_of = {id(w): c for c, w in items}
    vlines = _visual_lines([w for _, w in items])
    if len(vlines) < 2:
        return [items]
    numeric: dict[int, int] = {}
    for vl in vlines:
        for c in {col_of[id(w)] for w in vl if _NUMBER.match(w[4])}:
            numeric[c] = numeric.get(c, 0) + 1
    stacked = {c for c, n in numeric.items() if n >= 2}
    if len(stacked) == 1:
        (c,) = stacked
        ends = [
            max(w[2] for w in vl if col_of[id(w)] == c)
            for vl in vlines
            if any(col_of[id(w)] == c for w in vl)
        ]
        height = max(w[3] - w[1] for _, w in items)
        if c in right and all(right[c] - x <= 1.5 * height for x in ends[:-1]):
            return [items]
    if not stacked:
        return [items]
    rows: list[list[tuple[int, _W]]] = []
    for vl in vlines:
        starts = any(col_of[id(w)] in stacked and _NUMBER.match(w[4]) for w in vl)
        if not rows or starts:
            rows.append([])
        rows[-1].extend((col_of[id(w)], w) for w in vl)
    return rows


def _row_line(g: Grid, band: int, items: list[tuple[int, _W]], page: int, whole: bool, xs: list[float]) -> Line:
    """One row's line; ``xs``: the grid's column rules to hundredths of a point."""
    by_col: dict[int, list[_W]] = {}
    low = items[0][1][3]  # the lowest bottom of the row's words
    for col, w in items:
        by_col.setdefault(col, []).append(w)
        if w[3] > low:
            low = w[3]
    cells = [""] * g.columns
    row_words: list[_W] = []
    raws: list[str] = []
    for col in sorted(by_col):
        ws = by_col[col]
        if len(ws) == 1:  # most cells: one word
            cells[col] = normalise(ws[0][4]).strip()
            raws.append(ws[0][4])
            row_words.append(ws[0])
            continue
        parts = _visual_lines(ws)
        raw_parts = [_join(p) for p in parts]
        cells[col] = normalise(_join_wrapped(raw_parts)).strip()
        raws.append(" ".join(raw_parts))
        for p in parts:
            row_words.extend(p)
    if whole:  # the band (stretched down over cells merged into the bands below)
        y0, y1 = g.ys[band], max(g.ys[band + 1], low)
    else:  # one of several rows sharing a band
        y0, y1 = min(w[1] for _, w in items), low
    ry0, ry1 = round(y0, 2), round(y1, 2)
    # a cell's box: the union of its words; a blank cell: its column between the rules, the row's height
    boxes: list[BBox | None] = []
    for col in range(g.columns):
        ws = by_col.get(col)
        if ws and cells[col]:
            boxes.append(ws[0][:4] if len(ws) == 1 else _union(ws))
        else:
            boxes.append((xs[col], ry0, xs[col + 1], ry1))
    return Line(
        text="\t".join(cells).rstrip("\t"),
        page=page,
        number=0,
        bbox=(xs[0], ry0, xs[-1], ry1),
        cells=cells,
        words=[Word(w[4], w[:4]) for w in row_words],
        raw=" ".join(raws),
        cell_boxes=boxes,
    )
