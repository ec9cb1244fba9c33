"""Where the tables are: titles (by the catalog's patterns), extents, 单位 lines, notes and statements.

A line is a table title when it is short, ends like a title, matches a catalog pattern and is followed,
before any other title, by the table's 单位/部门 line (or its 公开NN表 number): that tells the title of
a real table from the same words in the 目录 or in a list of tables. Two lines are one title when a PDF
wrapped a long title (neither is a title alone, together they are).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...data import catalog
from ...read import Line, Source
from ..sections import table_key
from ..text import PART_HEADING, compact

_ORDINAL = re.compile(r"^[（(]?[一二三四五六七八九十廿]+[)）]?[、.．]?")
_NUMBER_SUFFIX = re.compile(r"[（(]?(表\d+(?:-\d+)?)[)）]?$")
_NUMBER_PREFIX = re.compile(r"^(表\d+(?:-\d+)?)[.．、]")
_NUMBER_LINE = re.compile(r"^(表\d+(?:-\d+)?|公开\d+表|公开表[一二三四五六七八九十]+|公开表\d+)$")
_CONFIRM = re.compile(r"^(?:编制|金额)?(?:单位|部门)(?:名称)?[:：]|^公开\d+表|^公开表[一二三四五六七八九十\d]+$|单位[:：]?(?:万元|元)$")
_PUBLISHER = re.compile(r"(?:编制单位|单位名称|编制部门|部门名称|部门|单位)[:：](?P<name>.+?)(?=(?:金额)?单位[:：]|$)")
_MONEY = re.compile(r"单位[:：](?P<u>万元|亿元|千元|元|万)")
_YEAR = re.compile(r"(20\d\d)年")
_MONEY_UNITS = {"万元", "元", "亿元", "千元", "万"}
_TAIL = re.compile(r"^(?:注|说明|备注)\s*[:：]|^注\d|^注[:：]?$|^[（(][^（()）]{0,20}无[^（()）]{0,20}[)）]$")
_TAIL_FIRST = set("注说备 \t\u3000（(")
_STATEMENT = re.compile(r"^(?:说明|备注)\s*[:：]")
_EMPTY_WORDS = re.compile(r"无|没有|未安排|不涉及")
_EMPTY_TABLE = re.compile(r"空表|本表无|无数据|^[（(].{0,20}无|(?:本部门|本单位)(?:当年|本年)?无(?:相关)?")
CONFIRM_WINDOW = 10


@dataclass
class Segment:
    """One table's lines in the source: the title line and what follows it up to the next table."""

    key: str
    spec: dict
    title: str
    number: str | None
    title_line: Line
    body: list[Line] = field(default_factory=list)
    publisher: str | None = None
    unit: str = "万元"
    year: int | None = None
    _split: tuple[list[Line], list[Line]] | None = field(default=None, repr=False)

    def split_tail(self) -> tuple[list[Line], list[Line]]:
        """(table lines, note/statement lines): the tail starts at the first 注/说明/备注 line."""
        if self._split is None:
            self._split = (self.body, [])
            for i, ln in enumerate(self.body):
                if ln.text[:1] in _TAIL_FIRST and _TAIL.match(compact(ln.text)):
                    self._split = (self.body[:i], self.body[i:])
                    break
        return self._split


def _title(line: Line, kind: str | None) -> tuple[str, str, str | None] | None:
    """(key, title, number) when the line reads like a catalog table title."""
    if line.cells is not None and len([c for c in line.cells if c.strip()]) > 1:
        return None
    t = compact(line.text)
    if not t or len(t) > 70 or "表" not in t or re.search(r"[。；;，,：:]", t):
        return None
    number = None
    m = _NUMBER_PREFIX.match(t)
    if m:
        number, t = m.group(1), t[m.end() :]
    t = _ORDINAL.sub("", t) if re.match(r"^[（(]?[一二三四五六七八九十廿]+[)）]?[、.．]", t) else t
    m = _NUMBER_SUFFIX.search(t)
    if m and m.start() > 0:
        number, t = m.group(1), t[: m.start()]
    if not (t.endswith("表") or t.endswith((")", "）"))):
        return None
    key = table_key(t, kind)
    if key is None:
        return None
    return key, t, number


def _wrapped_titles(lines: list[Line], texts: list[str], titles: list, kind: str | None) -> set[int]:
    """A title wrapped over two lines (``…“三公”经费支出`` / ``决算表（表 7）``, as a PDF prints a long
    title): neither line is a title alone, together they are. The title goes to the first line
    (``titles`` is updated in place); the returned indexes are those whose next line is its rest."""
    out: set[int] = set()
    for i in range(len(lines) - 1):
        a, b = texts[i], texts[i + 1]
        if titles[i] or titles[i + 1] or not a or not b or "表" not in a + b or len(a + b) > 70:
            continue
        if lines[i].page != lines[i + 1].page or lines[i].cells or lines[i + 1].cells:
            continue
        if a.endswith(("表", ")", "）")) or _ORDINAL.match(b) or _NUMBER_LINE.match(b):
            continue  # a whole title or 目录 entry, then the next one
        found = _title(Line(text=a + b, page=lines[i].page, number=lines[i].number), kind)
        if found:
            titles[i] = found
            out.add(i)
    return out


def _confirmed(texts: list[str], titles: list[object], i: int) -> bool:
    """A 单位/部门 line (or 公开NN表) follows the title within :data:`CONFIRM_WINDOW` lines, before any
    other title or part heading."""
    return _confirm_at(texts, titles, i) is not None


def _confirm_at(texts: list[str], titles: list[object], i: int) -> int | None:
    """The index of the 单位/部门 line that confirms the title at ``i``, else None."""
    seen = 0
    for j in range(i + 1, len(texts)):
        t = texts[j]
        if not t:
            continue
        if _CONFIRM.search(t):
            return j
        if titles[j] or PART_HEADING.match(t):
            return None
        seen += 1
        if seen >= CONFIRM_WINDOW:
            return None
    return None


# the heading of the whole set of tables (``…2024年度部门决算表``, printed atop every page in some PDFs)
_DOCUMENT_TITLE = re.compile(r"(?:部门|单位)(?:决算|预算)表$")
_ROW_AMOUNT = re.compile(r"\d\.\d{2}(?!\d)|\d,\d{3}(?!\d)")
MAX_LATE_BODY = 400  # lines between a late title and the 单位 line opening its table (one page of rows)


def _head_confirms(lines: list[Line], texts: list[str], titles: list[object], at: int) -> list[int]:
    """The 单位/部门/公开NN表 lines of a table's head, from the one at ``at`` to its first row (on its
    page, before another title)."""
    out = []
    for j in range(at, min(len(texts), at + CONFIRM_WINDOW * 4)):
        if _ROW_AMOUNT.search(texts[j]) or titles[j] or lines[j].page != lines[at].page:
            break
        if _CONFIRM.search(texts[j]):
            out.append(j)
    return out


def _late_start(
    lines: list[Line], texts: list[str], titles: list[object], i: int, claimed: set[int], unusual: set[int]
) -> int | None:
    """A title written after the rows of its table's first page (an extractor that follows the content
    stream, where the title was drawn last): the table opens at the 单位 line above it on the same page,
    with rows between, that no title before claims as its own. The index of that line, else None."""
    page = lines[i].page
    amounts = head = False
    for j in range(i - 1, max(-1, i - MAX_LATE_BODY), -1):
        if lines[j].page != page or titles[j] or j in unusual or PART_HEADING.match(texts[j]):
            return None
        if _CONFIRM.search(texts[j]):
            if j in claimed or not (amounts or head and _opens_no_table(lines, texts, titles, i)):
                return None
            return j
        amounts = amounts or bool(_ROW_AMOUNT.search(texts[j]))
        head = head or bool(_HEAD_WORDS.search(texts[j]))
    return None


_HEAD_WORDS = re.compile(r"合计|项目|科目|栏次|预算数|决算数")


def _opens_no_table(lines: list[Line], texts: list[str], titles: list[object], i: int) -> bool:
    """No 单位 line follows the title on its page (an empty table's title written after its head)."""
    at = _confirm_at(texts, titles, i)
    return at is None or lines[at].page != lines[i].page


def _heading_key(text: str) -> str:
    """A heading without its ordinal, for comparing a 目录 entry with the heading in the text."""
    return _ORDINAL.sub("", compact(text)).strip("、.．")


def find_segments(
    source: Source,
    kind: str | None,
    headings: list[str] | None = None,
    unknown: list[tuple[Line, str | None]] | None = None,
) -> list[Segment]:
    """Every table of the catalog printed in the source, in order, with its lines. A table ends at the
    next table's title, a part heading, or a heading the 目录 lists (``其他相关情况说明``). A printed
    table (a title followed by its 单位 line) whose title names no catalog table is recognised by its
    structure when it can be (:func:`by_structure`); ``unknown`` collects those titles with the key
    found (None: not recognised)."""
    stops = {k for h in headings or () if len(k := _heading_key(h)) >= 4}
    lines = source.lines()
    specs = catalog()["by_key"]
    texts = [compact(ln.text) for ln in lines]
    titles = [_title(ln, kind) if "表" in ln.text else None for ln in lines]
    wrapped = _wrapped_titles(lines, texts, titles, kind)
    # (where the table's lines begin, the title's index, key, title, number); a title written after its
    # rows begins its table at the 单位 line above it
    starts: list[tuple[int, int, str, str, str | None]] = []
    odd: list[int] = []
    claimed: set[int] = set()  # the 单位 lines that confirm a title above them
    # an unusual title confirmed by its 单位 line opens a table too (recognised below by its structure)
    unusual = {i for i, found in enumerate(titles)
               if not found and _unknown_title(texts, i, wrapped) and _confirmed(texts, titles, i)
               and not _DOCUMENT_TITLE.search(texts[i])}
    for i in unusual:
        claimed.update(_head_confirms(lines, texts, titles, _confirm_at(texts, titles, i) or i))
    paged = len(source.pages) > 1  # (a title after its rows is told by its page: not in a text of one page)
    for i, found in enumerate(titles):
        if found:
            late = _late_start(lines, texts, titles, i, claimed, unusual) if paged else None
            if late is not None:
                starts.append((late, i, *found))
                continue
            at = _confirm_at(texts, titles, i)
            if at is not None:
                claimed.update(_head_confirms(lines, texts, titles, at))
                starts.append((i, i, *found))
        elif i in unusual:
            odd.append(i)
    present = {s[2] for s in starts}
    for i in odd:
        key = by_structure(texts[i + 1 : i + 16], kind, present)
        if key is not None:
            present.add(key)
            starts.append((i, i, key, texts[i], None))
        if unknown is not None:
            unknown.append((lines[i], key))
    starts.sort(key=lambda s: s[0])
    segments: list[Segment] = []
    for n, (begin, i, key, title, number) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        title_lines = {i, i + 1} if i in wrapped else {i}
        body: list[Line] = []
        for j in range(begin, end):
            if j in title_lines:
                continue
            ln = lines[j]
            if j > i and (PART_HEADING.match(texts[j])
                          or (stops and len(texts[j]) <= 40 and _heading_key(texts[j]) in stops)):
                break
            body.append(ln)
        if number is None:
            number = _number_near(lines, i, body)
        body = [ln for ln in body if not _NUMBER_LINE.match(compact(ln.text))]
        seg = Segment(key=key, spec=specs[key], title=title, number=number, title_line=lines[i], body=body)
        m = _YEAR.search(title)
        seg.year = int(m.group(1)) if m else None
        _publisher_and_unit(seg)
        segments.append(seg)
    return segments


def by_structure(following: list[str], kind: str | None, present: set[str]) -> str | None:
    """The catalog table a table with an unusual title is, by its header: the one table of the
    document's kind, not already printed, whose columns its header names best (at least three, and
    most of them); None when no table or more than one fits."""
    from .header import default_columns, named_in_text

    head = []
    for t in following:
        if re.match(r"^(?:\d{3}|合计|总计)", t) or re.search(r"\d\.\d{2}|\d,\d{3}", t):
            break
        head.append(t)
    text = "".join(head)
    scores: list[tuple[int, str]] = []
    for spec in catalog()["tables"]:
        if (kind and spec["kind"] != kind) or spec["key"] in present or spec["layout"] == "performance":
            continue
        cols = default_columns(spec)
        named = set(named_in_text(text, spec.get("columns", [])))
        if len(cols) >= 3 and len(named) >= 3 and len(named) * 3 >= len(cols) * 2:
            scores.append((len(named), spec["key"]))
    scores.sort(reverse=True)
    if not scores or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return None
    return scores[0][1]


_UNKNOWN_TITLE = re.compile(r"^[^\d。；;，,：:、]{0,20}?(?:20\d\d年度?)?[\u4e00-\u9fff“”\"（）()]{4,40}表$")


def _unknown_title(texts: list[str], i: int, wrapped: set[int]) -> bool:
    """A line that reads like a table's title (short, ends in 表, no sentence punctuation)."""
    t = texts[i]
    if PART_HEADING.match(t):
        return False  # ``第二部分 2018年度部门预算表``: the part of the tables, no table
    t = _QUALIFIER.sub("", t)  # ``财政拨款支出预算表（功能科目）``
    return t.endswith("表") and 6 <= len(t) <= 44 and i not in wrapped and (i - 1) not in wrapped and bool(
        _UNKNOWN_TITLE.match(t)
    ) and not _PERFORMANCE.search(t)


_QUALIFIER = re.compile(r"(?<=表)[（(](?:功能科目|经济科目|功能分类|经济分类|按功能分类|按经济分类)[)）]$")


_PERFORMANCE = re.compile(r"绩效|自评|评价")  # performance forms are read by recognise.performance


def _number_near(lines: list[Line], i: int, body: list[Line]) -> str | None:
    """The table number printed on its own line: just after the title (公开01表) or just before it
    (表1 above a markdown heading)."""
    for ln in body[:6]:
        if ln.cells is not None and len(ln.cells) > 1:
            break  # the table's grid has begun: a number line after it is the next table's
        t = compact(ln.text)
        if _NUMBER_LINE.match(t) and t.startswith("公开"):
            return t
    back = 0
    for ln in reversed(lines[:i]):
        t = compact(ln.text)
        if not t:
            continue
        back += 1
        if _NUMBER_LINE.match(t):
            return t
        if back >= 2:
            break
    return None


def _publisher_and_unit(seg: Segment) -> None:
    head = seg.body[:16]
    for ln in head:
        t = compact(ln.text)
        if not t or ("单位" not in t and "部门" not in t):
            continue
        if seg.publisher is None:
            for m in _PUBLISHER.finditer(t):
                name = m.group("name").rstrip(":：")
                if name.startswith(("单位:", "单位：", "金额单位")):
                    continue  # a blank 编制部门： followed by the unit of the amounts (CNT008 says it)
                if name and name not in _MONEY_UNITS and not _MONEY.match("单位：" + name):
                    seg.publisher = name
                    break
        m = _MONEY.search(t)
        if m:
            unit = m.group("u")
            if unit == "万":
                unit = "万元"
            seg.unit = unit


def read_tail(tail: list[Line]) -> tuple[list[str], str | None, Line | None]:
    """Notes (注 lines, wrapped lines joined) and the statement of an empty table (说明/备注 … 无 …)."""
    notes: list[str] = []
    statement: str | None = None
    statement_line: Line | None = None
    current: list[str] | None = None  # the text being joined
    current_is_statement = False
    items: list[tuple[bool, list[str], Line]] = []
    for ln in tail:
        t = compact(ln.text)
        if not t or re.fullmatch(r"[-—\d\s第页/]+", t):
            continue
        starts_new = bool(
            _TAIL.match(t) or _STATEMENT.match(t) or re.match(r"^\d+(?:[.．、]|行|栏)", t) or current is None
        )
        if current is not None and not starts_new and not re.search(r"[。；;]$", current[-1]):
            current.append(t)
            continue
        if current is not None and not starts_new and current_is_statement:
            current.append(t)
            continue
        current_is_statement = bool(_STATEMENT.match(t))
        current = [t]
        items.append((current_is_statement, current, ln))
    for is_statement, parts, ln in items:
        text = "".join(parts)
        # 说明：… 无 …, or a 注 saying the table is empty (Shanghai: “注:本单位2025年无……，故本表为空表。”)
        says_empty = is_statement or _EMPTY_TABLE.search(text)
        if says_empty and _EMPTY_WORDS.search(text) and statement is None:
            statement, statement_line = text, ln
        else:
            notes.append(text)
    return notes, statement, statement_line


__all__ = ["Segment", "find_segments", "read_tail"]
