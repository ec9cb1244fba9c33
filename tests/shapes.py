"""Extractor shapes: a document written as other tools' PDF extractors leave it, and the comparison of
its findings with the original's.

A document (PDF or text) is first read as budgetdoc's reader sees it — pages of lines; a PDF table row
has its grid cells and its words with their boxes — and then written as plain text in one of
:data:`SHAPES`:

- ``cells``: one table cell per line, blank cells dropped; a name wrapped inside its cell is a line per
  printed piece (an extractor that writes every text item on a line of its own);
- ``pdfjs``: pdf.js / pdf-parse: no form feeds but ``-- 3 of 24 --`` marker lines between pages; cells
  joined by spaces; every table's title written after the rows of its first page (the title drawn
  last in the content stream);
- ``glued``: a cell that follows an amount is glued to it (``47,483,458一、社会保障和就业支出``) and a
  page's first line is glued to the last line of the page before (``… 47,483,458\\f2026年部门…表``);
- ``panels``: one line per printed line: side-by-side panels flattened into one line, a name wrapped
  inside its cell on the printed lines it occupies (PDFs: the words grouped by their boxes; texts:
  their lines);
- ``wrapped``: every long name of a table row wrapped over two or three printed lines, the pieces of
  side-by-side panels interleaved (``机关事业单位 其他商品和`` / ``30108 基本养老保险 6.18 30299 服务
  支出 0.50`` / ``缴费``).

:func:`outcome` compares the findings of a shape with those of the original: ``equal``, ``uncertain``
(what differs is REC001 declaring some tables uncertain and those tables' own checks gone) or ``new``
(an error or warning the original does not have, or a finding lost outside an uncertain table).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from conftest import SHARED

SHAPES = ("cells", "pdfjs", "glued", "panels", "wrapped")

_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_DECIMAL = re.compile(r"\d\.\d|\d,\d{3}")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE = re.compile(r"[。；;！？!?，：:]|,(?!\d{3})")
_ROW_START = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d{1,2}[、.．]\D|合计|总计|本年|收入总计|支出总计)")
_NAME = re.compile(r"^[\u4e00-\u9fff（）()、“”]+$")
WRAP = 7  # characters of a name per printed line in the ``wrapped`` shape


@dataclass(frozen=True)
class Doc:
    """One document: its file, or the files it is published as (the narrative first, then the tables)."""

    paths: tuple[Path, ...]

    @property
    def name(self) -> str:
        return " + ".join(p.name for p in self.paths)

    def __str__(self) -> str:
        return self.name


_PART = re.compile(r"^(?P<doc>.+)\.(?P<part>narrative|tables)$")


def documents() -> list[Doc]:
    """Every document in the shared folder: seeds, samples, real and real/jiangsu — the files of a document
    published as two (``….narrative.pdf`` and ``….tables.pdf``, shared/real/README.md) as one document."""
    files: list[Path] = []
    for sub, pattern in (("seeds", "*.txt"), ("samples", "*.pdf"), ("real", "*.pdf"), ("real", "*.txt"),
                         ("real/jiangsu", "*.pdf")):
        files.extend(sorted((SHARED / sub).glob(pattern)))
    out: list[Doc] = []
    groups: dict[tuple[Path, str], list[Path]] = {}
    for f in files:
        m = _PART.match(f.stem)
        if m is None:
            out.append(Doc((f,)))
            continue
        group = groups.setdefault((f.parent, m.group("doc")), [])
        if not group:
            out.append(Doc(()))  # its place in the order, filled below
            group.append(f)
            continue
        group.append(f)
    done = iter(sorted(groups.values(), key=lambda g: files.index(g[0])))
    return [d if d.paths else Doc(tuple(sorted(next(done), key=lambda f: "tables" in f.stem))) for d in out]


# ---------------------------------------------------------------- what the reader sees


@dataclass
class Cell:
    pieces: list[str]  # the printed lines of the cell (one unless a name wraps); [] for a blank cell

    @property
    def text(self) -> str:
        out = ""
        for p in self.pieces:
            out += ("" if not out or _CJK.match(p[:1]) and _CJK.match(out[-1:]) else " ") + p
        return out


@dataclass
class Row:
    page: int
    number: int
    text: str
    cells: list[Cell]
    table: bool  # a table row: grid or converter cells, or a line of cells with an amount
    words: list[tuple[str, tuple[float, float, float, float], int]] = field(default_factory=list)


def _is_amount(text: str) -> bool:
    return bool(_AMOUNT.match(text.strip()))


def _text_cells(text: str) -> tuple[list[Cell], bool]:
    """A line of text without cells: a table row (cells split at spaces) when it holds an amount and no
    sentence; else one cell."""
    toks = text.split()
    if len(toks) >= 2 and any(_is_amount(t) for t in toks) and not _SENTENCE.search(text):
        # every number a cell of its own; the words between them one cell (a name may hold spaces)
        cells: list[Cell] = []
        words: list[str] = []
        for t in toks:
            if _is_amount(t):
                if words:
                    cells.append(Cell([" ".join(words)]))
                    words = []
                cells.append(Cell([t]))
            elif words and _ROW_START.match(t):  # a name of the next cell (the other half of a row)
                cells.append(Cell([" ".join(words)]))
                words = [t]
            else:
                words.append(t)
        if words:
            cells.append(Cell([" ".join(words)]))
        return cells, True
    return [Cell([text.strip()])] if text.strip() else [], False


def _inside(box, cell) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return cell[0] - 0.5 <= cx <= cell[2] + 0.5 and cell[1] - 0.5 <= cy <= cell[3] + 0.5


def _visual(words: list[tuple[str, tuple, int]]) -> list[list[tuple[str, tuple, int]]]:
    """Words grouped into printed lines by vertical overlap, left to right."""
    groups: list[list] = []
    top = bottom = 0.0
    for w in sorted(words, key=lambda w: ((w[1][1] + w[1][3]) / 2, w[1][0])):
        b = w[1]
        if groups and min(bottom, b[3]) - max(top, b[1]) >= 0.5 * min(bottom - top, b[3] - b[1]):
            groups[-1].append(w)
            top, bottom = min(top, b[1]), max(bottom, b[3])
            continue
        groups.append([w])
        top, bottom = b[1], b[3]
    for g in groups:
        g.sort(key=lambda w: w[1][0])
    return groups


def _join_words(ws: list[tuple[str, tuple, int]]) -> list[str]:
    """The cells of a printed line: words of one cell (or touching CJK words) joined, cells apart."""
    cells: list[str] = []
    last = None
    for text, box, cell in ws:
        if last is not None and cell == last[2] and cell >= 0:
            h = max(box[3] - box[1], 1.0)
            gap = box[0] - last[1][2]
            cjk = _CJK.match(text[:1]) and _CJK.search(cells[-1][-1:])
            cells[-1] += ("" if cjk and gap < h else " ") + text
        else:
            cells.append(text)
        last = (text, box, cell)
    return cells


def _row(ln, serial: list[int], in_table: bool = True) -> Row:
    if ln.cells is not None and len(ln.cells) > 1:
        cells: list[Cell] = []
        words: list[tuple[str, tuple, int]] = []
        boxes = ln.cell_boxes or []
        pool = list(ln.words or [])
        for i, text in enumerate(ln.cells):
            text = text.strip()
            if not text:
                cells.append(Cell([]))
                continue
            mine = [w for w in pool if i < len(boxes) and boxes[i] and _inside(w.bbox, boxes[i])]
            pool = [w for w in pool if all(w is not m for m in mine)]
            serial[0] += 1
            if mine:
                lines = _visual([(w.text, w.bbox, serial[0]) for w in mine])
                pieces = [" ".join(_join_words(g)) for g in lines]
                words.extend((w.text, w.bbox, serial[0]) for w in mine)
            else:
                pieces = [text]
            cells.append(Cell(pieces))
        return Row(ln.page, ln.number, ln.text, cells, True, words)
    cells, table = _text_cells(ln.text)
    if not in_table:  # a line of prose, a heading or the cover (“…办事处 2025”): written as it is
        cells, table = ([Cell([ln.text.strip()])] if ln.text.strip() else []), False
    words = []
    if ln.words:
        # one cell per run of words the reader joined without a space
        serial[0] += 1
        prev = None
        for w in ln.words:
            if prev is not None and w.bbox[0] - prev.bbox[2] > 0.6 * max(w.bbox[3] - w.bbox[1], 1.0):
                serial[0] += 1
            words.append((w.text, w.bbox, serial[0]))
            prev = w
    return Row(ln.page, ln.number, ln.text, cells, table, words)


@dataclass
class Seen:
    path: Path
    pdf: bool
    pages: list[list[Row]]
    # a table title's (page, line) → its rows' last (page, line), the lines the title takes
    titles: dict[tuple[int, int], tuple[tuple[int, int], int]]


@lru_cache(maxsize=64)
def seen(path: Path) -> Seen:
    """The document as the reader sees it, with where each table's title and first-page rows are."""
    from budgetdoc.pipeline import load
    from budgetdoc.read import read

    source = read(str(path))
    doc = load(path)
    serial = [0]
    spans = _spans(doc)
    pages = [[_row(ln, serial, _within(spans, ln.page, ln.number)) for ln in p.lines] for p in source.pages]
    titles: dict[tuple[int, int], tuple[tuple[int, int], int]] = {}
    for t in doc.tables:
        loc = t.location
        if loc.page is None or loc.line is None:
            continue
        mine = [(r.location.page, r.location.line) for r in t.rows
                if r.location.page == loc.page and r.location.line is not None]
        if mine:
            titles[(loc.page, loc.line)] = (max(mine), _title_lines(pages[loc.page - 1], loc.line, t.title))
    return Seen(path, source.form == "pdf", pages, titles)


def _title_lines(page: list[Row], number: int, title: str) -> int:
    """How many lines the title printed at line ``number`` takes (a long title wraps: “…支出预算” / “表”)."""
    at = next((i for i, r in enumerate(page) if r.number == number), None)
    if at is None:
        return 1
    whole = "".join(title.split())
    joined, n = "".join(page[at].text.split()), 1
    while at + n < len(page) and whole not in joined:
        nxt = "".join(page[at + n].text.split())
        if not nxt or len(nxt) > 12 or not (whole.endswith(nxt) or joined + nxt in whole):
            break
        joined += nxt
        n += 1
    return n


def _spans(doc) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(first, last) line of each table (its title to its last row) and performance form of the original
    reading: a line of text is written as a table's row (its cells apart) only there — a heading or the
    cover that prints a year (“…街道办事处 2025”) is a line of prose to every extractor."""
    out = []
    for t in doc.tables:
        keys = [(loc.page, loc.line) for loc in (t.location, *(r.location for r in t.rows),
                                                 *(c.location for r in t.rows for c in r.cells))
                if loc.page is not None and loc.line is not None]
        if keys:
            out.append((min(keys), max(keys)))
    for f in doc.performance:
        keys = [(loc.page, loc.line) for loc in (f.location, *(i.location for i in f.indicators))
                if loc.page is not None and loc.line is not None]
        if keys:
            out.append((min(keys), max(keys)))
    return out


def _within(spans, page: int, line: int) -> bool:
    return any(a <= (page, line) <= b for a, b in spans)


# ---------------------------------------------------------------- writing the shapes


def _line(cells: list[Cell], glue: bool = False) -> str:
    out = ""
    prev = ""
    for c in cells:
        t = c.text
        if not t:
            continue
        if out:
            out += "" if glue and _is_amount(prev) and _CJK.match(t[:1]) else " "
        out += t
        prev = t
    return out


def _cells_shape(s: Seen) -> str:
    pages = []
    for page in s.pages:
        lines: list[str] = []
        for r in page:
            if not r.table:
                lines.append(r.text)
                continue
            for c in r.cells:
                lines.extend(p for p in c.pieces if p)
        pages.append("\n".join(lines))
    return "\f".join(pages)


def _title_last(s: Seen, page: list[Row]) -> list[Row]:
    """The page with each table title moved after the last row of its table on the page."""
    out = list(page)
    for r in page:
        found = s.titles.get((r.page, r.number))
        if found is None or found[0][1] == r.number:
            continue
        last, n = found
        start = next((i for i, x in enumerate(out) if x is r), None)
        if start is None:
            continue
        block = out[start:start + n]
        del out[start:start + n]
        at = max((i for i, x in enumerate(out) if (x.page, x.number) == last), default=None)
        if at is None:
            return list(page)
        out[at + 1:at + 1] = block
    return out


def _pdfjs(s: Seen) -> str:
    n = len(s.pages)
    parts = []
    for i, page in enumerate(s.pages, 1):
        # (a text without page breaks cannot show where a page's table ends: its titles stay)
        rows = _title_last(s, page) if n > 1 else page
        lines = [_line(r.cells) if r.table else r.text for r in rows]
        parts.append("\n".join(lines) + f"\n\n-- {i} of {n} --\n")
    return "\n".join(parts)


def _printed_lines(s: Seen, page: list[Row], glue: bool = False) -> list[str]:
    """One line per printed line: PDFs from the words' boxes, texts their lines."""
    if not s.pdf:
        return [_line(r.cells, glue) if r.table else r.text for r in page]
    words = [w for r in page for w in r.words]
    out = []
    for group in _visual(words):
        out.append(_line([Cell([c]) for c in _join_words(group)], glue))
    return out


def _glued(s: Seen) -> str:
    text = ""
    for i, page in enumerate(s.pages):
        lines = [_line(r.cells, glue=True) if r.table else r.text for r in page]
        body = "\n".join(lines)
        text += ("\f" if i else "") + body  # the next page's first line glued to this page's last
    return text


def _panels(s: Seen) -> str:
    return "\f".join("\n".join(_printed_lines(s, page)) for page in s.pages)


def _pieces(name: str) -> list[str]:
    n = len(name)
    k = 1 if n <= WRAP else 2 if n <= 2 * WRAP else 3
    size = math.ceil(n / k)
    return [name[i:i + size] for i in range(0, n, size)]


def _wrapped_row(r: Row) -> list[str]:
    """A table row whose long names wrap: the first piece of each on a line above (three pieces) or on
    the row's line (two), the last one below; the panels' pieces interleaved on those lines."""
    above: list[str] = []
    below: list[str] = []
    middle: list[Cell] = []
    for c in r.cells:
        t = c.text.replace(" ", "")
        if not t or not _NAME.match(t) or len(t) <= WRAP or not r.words and " " in c.text.strip():
            # (words apart in a line of text are cells of their own — “有效加强 有效加强”, a target and its
            # value — not one name to wrap)
            middle.append(c)
            continue
        p = _pieces(t)
        if len(p) == 3:
            above.append(p[0])
            middle.append(Cell([p[1]]))
        else:
            middle.append(Cell([p[0]]))
        below.append(p[-1])
    return [x for x in (" ".join(above), _line(middle), " ".join(below)) if x]


def _wrapped(s: Seen) -> str:
    pages = []
    for page in s.pages:
        lines: list[str] = []
        for r in page:
            lines.extend(_wrapped_row(r) if r.table else [r.text])
        pages.append("\n".join(lines))
    return "\f".join(pages)


WRITERS = {"cells": _cells_shape, "pdfjs": _pdfjs, "glued": _glued, "panels": _panels, "wrapped": _wrapped}


def write(path: Path, shape: str, out_dir: Path) -> Path:
    """The document at ``path`` written in ``shape`` as a text file in ``out_dir``."""
    out = out_dir / f"{path.stem}.{shape}.txt"
    out.write_text(WRITERS[shape](seen(path)), "utf-8")
    return out


# ---------------------------------------------------------------- comparing the findings


def _key(f) -> tuple:
    return (f.rule, f.severity, f.location.table, f.location.row, f.location.column)


# the notes compared too: what the content and presentation rules say of the text (a shape's page markers,
# a title after its rows or a page break glued are no defect of the document's); the rounding notes follow
# the tables' readings (an uncertain table has none)
_TEXT_RULES = ("CNT", "PRS")


@lru_cache(maxsize=64)
def findings(item: Path | tuple[Path, ...]) -> tuple:
    from budgetdoc.pipeline import run

    _, report = run(item if isinstance(item, Path) else list(item))
    return tuple(f for f in report.findings if f.severity != "info" or f.rule.startswith(_TEXT_RULES))


@dataclass
class Outcome:
    kind: str  # equal, uncertain, new, lost
    added: list[tuple] = field(default_factory=list)
    lost: list[tuple] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)  # the tables REC001 declares uncertain

    def __str__(self) -> str:
        if self.kind == "equal":
            return "equal"
        if self.kind == "uncertain":
            return "uncertain " + ",".join(self.uncertain)
        bits = [f"+{a[0]}/{a[1][0]}/{a[2] or ''}/{a[3] or ''}" for a in self.added if a[0] != "REC001"]
        bits += [f"-{a[0]}/{a[1][0]}/{a[2] or ''}/{a[3] or ''}" for a in self.lost]
        return f"{self.kind} " + " ".join(bits[:6]) + (" …" if len(bits) > 6 else "")


def outcome(original: tuple, shaped: tuple) -> Outcome:
    a = Counter(_key(f) for f in original)
    b = Counter(_key(f) for f in shaped)
    added, lost = list((b - a).elements()), list((a - b).elements())
    if not added and not lost:
        return Outcome("equal")
    uncertain = sorted({k[2] for k in added if k[0] == "REC001" and k[2]})
    # a performance form that could not be read is said by PRF014 (its checks not made): the form's
    # declaration of uncertainty, as REC001 is a table's
    forms = any(k[0] == "PRF014" for k in added)
    if forms:
        uncertain.append("绩效表")
    rest = [k for k in added if k[0] not in ("REC001", "PRF014")]
    # a table is declared uncertain once (one REC001), whatever it could not read
    said = Counter(k[2] for k in added if k[0] == "REC001" and k[1] != "info" and k[2])
    rest += [k for k in added if k[0] == "REC001" and k[2] and said[k[2]] > 1]
    places = {_key(f): {loc.table for loc in (f.location, *f.related)} for f in original}
    unexplained = [k for k in lost if not places.get(k, set()) & set(uncertain)
                   and not (forms and k[0].startswith("PRF"))]
    if rest:
        return Outcome("new", added, lost, uncertain)
    if unexplained or not uncertain and lost:
        return Outcome("lost", added, lost, uncertain)
    return Outcome("uncertain", added, lost, uncertain)


def compare(doc: Doc | Path, shape: str, out_dir: Path) -> Outcome:
    """The findings of ``doc`` written in ``shape`` (each of its files) against the original's. The files
    of a document of several are checked together; written in a shape they must still be told one
    document (:func:`budgetdoc.pipeline.plan`), else that is the difference."""
    if isinstance(doc, Path):
        return outcome(findings(doc), findings(write(doc, shape, out_dir)))
    if len(doc.paths) == 1:
        return outcome(findings(doc.paths[0]), findings(write(doc.paths[0], shape, out_dir)))
    from budgetdoc.pipeline import identify, plan

    shaped = tuple(write(p, shape, out_dir) for p in doc.paths)
    groups = plan([identify(str(p)) for p in shaped])
    if len(groups) != 1:
        return Outcome("new", [("PLAN", "error", None, None, None)], [], [])
    return outcome(findings(doc.paths), findings(tuple(Path(p) for p in groups[0])))


__all__ = ["SHAPES", "Doc", "Outcome", "compare", "documents", "findings", "outcome", "seen", "write"]
