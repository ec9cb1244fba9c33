"""Where each line of a document belongs: its part (封面, 目录, 主要职能, …, the tables, 其他相关说明) and,
in the tables part, its table.

The parts are opened by their headings (``data/parts.toml``); a line belongs to the last part heading
above it, a line above every heading (and above the 目录) to the cover. A table spans from its title to
the line before the next table's title or part heading, so the notes printed under a table are the
table's. The content rules read the prose of the narrative parts; the checklist puts each finding in the
row of the part or table it is in. Computed once per document.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from ..data.content import parts
from ..model import Disclosure
from ..recognise.text import compact

Key = tuple[int, int]  # (page, line): the order of a document's lines

_SENTENCE = re.compile(r"[。；;，,]")
_DIGIT = re.compile(r"\d")
_PART_ONLY = re.compile(r"^第[一二三四五六七八九十]+部分")
MAX_HEADING = 45


def key(page: int | None, line: int | None) -> Key:
    return (page or 0, line or 0)


@dataclass
class PartMap:
    """The headings found, in the order of the lines: (position, part id, heading text), a position being
    the index of the line among the document's non-empty lines (two lines may share a (page, line) key:
    the reader splits a heading glued to a row at a lost page break, both keep the line's number)."""

    headings: list[tuple[int, str, str]] = field(default_factory=list)
    tables: list[tuple[Key, Key, str]] = field(default_factory=list)  # (title, last line, table key)
    forms: list[tuple[Key, Key]] = field(default_factory=list)  # performance forms: (first, last line)
    toc: tuple[Key, Key] | None = None  # the 目录: its heading to its last entry
    heading_lines: set[int] = field(default_factory=set)  # positions of every line of a heading
    keys: list[Key] = field(default_factory=list)  # the key of each position
    titles: dict[str, str] = field(default_factory=dict)  # table key → its title, compacted
    late: set[str] = field(default_factory=set)  # tables whose title is written after their rows
    toc_end: int = -1  # the position of the 目录's last entry
    first: Key | None = None  # the first line of the document

    def position(self, page: int | None, line: int | None) -> int:
        """The position of the first line with this key (or of the next one)."""
        return bisect_left(self.keys, key(page, line))

    def part_of(self, page: int | None, line: int | None, ids: frozenset[str] | None = None) -> str:
        """The part a line is in (``cover`` above every heading; with ``ids``, only those parts' headings
        open a part, container parts close the one before them)."""
        return self.part_at(self.position(page, line), ids)

    def part_at(self, pos: int, ids: frozenset[str] | None = None) -> str:
        if self.toc is not None and self.position(*self.toc[0]) <= pos <= self.toc_end:
            return "toc"
        found = "cover"
        for hpos, pid, _ in self.headings:
            if hpos > pos:
                break
            if ids is None or pid in ids or parts()[pid].container:
                found = pid
        return found

    def heading_key(self, pid: str) -> Key | None:
        """Where the first heading of a part is."""
        return next((self.keys[hpos] for hpos, hid, _ in self.headings if hid == pid), None)

    def table_at(self, page: int | None, line: int | None) -> str | None:
        """The key of the table whose span holds the line."""
        k = key(page, line)
        for start, end, tkey in self.tables:
            if start <= k <= end:
                return tkey
        return None

    def in_table(self, k: Key, pos: int | None = None, text: str = "") -> bool:
        """The line is a table's or a performance form's (its title, rows, notes); a heading split off the
        last row's line is not, nor the sentence split off the title's line (the page break lost)."""
        if pos is not None and pos in self.heading_lines:
            return False
        for s, e, tkey in self.tables:
            if s <= k <= e:
                if (k == s and text and s != e and self.titles.get(tkey) and tkey not in self.late
                        and not _same_title(text, self.titles[tkey])):
                    # split off the title's line: the tail of what came before (a table's note, a sentence)
                    before = self.keys[pos - 1] if pos else None
                    if before is not None and before != k and any(a <= before <= b for a, b, _ in self.tables):
                        return True
                    continue
                return True
        return any(s <= k <= e for s, e in self.forms)

    def present(self) -> set[str]:
        return {pid for _, pid, _ in self.headings}


_CACHE: list[tuple[list, PartMap]] = []


def part_map(doc: Disclosure) -> PartMap:
    """The document's part map (computed once per document: rules and the checklist share it)."""
    lines = doc.lines()
    if _CACHE and _CACHE[0][0] is lines:
        return _CACHE[0][1]
    pm = _build(doc)
    _CACHE[:] = [(lines, pm)]
    return pm


def _table_spans(doc: Disclosure, lines: list) -> list[tuple[Key, Key, str]]:
    """(title, last row or note) of each table: a table runs to its last row; a row-less table to its
    statement or title. A title written after its rows (pdf.js order: drawn last on its page) does not
    begin its table: the table begins at its 单位/编制单位 line above its first row, as the reader opened it."""
    out: list[tuple[Key, Key, str]] = []
    for t in doc.tables:
        title = key(t.location.page, t.location.line)
        start = end = title
        for r in t.rows:
            for loc in (r.location, *(c.location for c in r.cells)):
                if loc.line is not None:
                    k = key(loc.page if loc.page is not None else title[0], loc.line)
                    end = max(end, k)
                    start = min(start, k)
        if start < title:
            start = _head_above(lines, start)
        out.append((start, end, t.key))
    out.sort()
    return out


_UNIT_LINE = re.compile(r"^(?:编制|金额)?(?:单位|部门)(?:名称)?[:：]|单位[:：]?(?:万元|元)$")
_HEAD_LINES = 12  # lines of a table's head above its first row


def _head_above(lines: list, first: Key) -> Key:
    """The 单位 line heading a table whose first row is at ``first`` (on its page, a few lines above);
    ``first`` when there is none."""
    at = bisect_left([key(ln.page, ln.number) for ln in lines], first)
    for j in range(at - 1, max(-1, at - 1 - _HEAD_LINES), -1):
        ln = lines[j]
        if ln.page != first[0]:
            break
        if _UNIT_LINE.search(compact(ln.text)):
            return key(ln.page, ln.number)
    return first


_FORM_HEAD_LINES = 40  # lines of a form's head above the line of its 预算数 (its title, 单位负责人, …)


def _form_spans(doc: Disclosure, lines: list) -> list[tuple[Key, Key]]:
    """(title, last indicator) of each performance form: its location is the line of its 预算数, its head
    (单位负责人, 单位机构设置 …) above it is the form's too, from its title."""
    from ..recognise.performance import titles_a_form

    keys = [key(ln.page, ln.number) for ln in lines]
    out = []
    for f in doc.performance:
        start = key(f.location.page, f.location.line)
        at = bisect_left(keys, start)
        for j in range(at, max(-1, at - _FORM_HEAD_LINES), -1):
            if j < len(lines) and titles_a_form(lines[j].text):
                start = min(start, keys[j])
                break
        end = key(f.location.page, f.location.line)
        for ind in f.indicators:
            k = key(ind.location.page if ind.location.page is not None else start[0], ind.location.line)
            if ind.location.line is not None and k > end:
                end = k
        out.append((start, end))
    return out


def _build(doc: Disclosure) -> PartMap:
    specs = parts()
    lines = [ln for ln in doc.lines() if ln.text.strip()]
    pm = PartMap(tables=_table_spans(doc, lines), forms=_form_spans(doc, lines))
    pm.late = {tkey for s, _, tkey in pm.tables
               if any(t.key == tkey and s < key(t.location.page, t.location.line) for t in doc.tables)}
    if lines:
        pm.first = key(lines[0].page, lines[0].number)
    toc_keys = [key(e.location.page, e.location.line) for e in doc.toc if e.location.line is not None]
    toc_head: Key | None = None
    if toc_keys:
        first_entry = min(toc_keys)
        for ln in lines:
            k = key(ln.page, ln.number)
            if k > first_entry:
                break
            if compact(ln.text) == "目录":
                toc_head = k
        pm.toc = (toc_head or first_entry, max(toc_keys))
    pm.keys = [key(ln.page, ln.number) for ln in lines]
    pm.titles = {t.key: compact(t.title) for t in doc.tables}
    if pm.toc is not None:
        last = max(doc.toc, key=lambda e: key(e.location.page, e.location.line))
        at = pm.position(*pm.toc[1])
        same = [j for j in range(at, len(lines)) if pm.keys[j] == pm.toc[1]]
        # of the lines sharing the last entry's number, the entry's own (the rest was glued to it)
        pm.toc_end = next((j for j in same if compact(last.title)[:6] in compact(lines[j].text)), at)
    heads: list[tuple[int, str, str]] = []
    skip = 0
    for i, ln in enumerate(lines):
        if skip:
            skip -= 1
            continue
        k = pm.keys[i]
        if pm.toc is not None and i <= pm.toc_end:
            continue  # the cover and the 目录: their lines name the parts, they do not open them
        t = compact(ln.text)
        if not t or len(_NOTE_AFTER.sub("", t)) > MAX_HEADING or _SENTENCE.search(_NOTE_AFTER.sub("", t)):
            continue
        if pm.in_table(k, text=t) and not any(k == e != s for s, e, _ in pm.tables if not _DIGIT.search(t)):
            continue  # a table's line (a heading split off its last row at a lost page break is not)
        pid = _heading(t, specs)
        if pid is None and _PART_ONLY.match(t):
            joined = t
            for n in (1, 2):  # a part heading wrapped over two or three lines
                if i + n >= len(lines):
                    break
                joined += compact(lines[i + n].text)
                if len(joined) > MAX_HEADING * 2 or _SENTENCE.search(joined):
                    break
                pid = _heading(joined, specs)
                if pid is not None:
                    skip, t = n, joined
                    pm.heading_lines.update(range(i + 1, i + n + 1))
                    break
        if pid is None and compact(ln.text) == "目录" and pm.toc is None:
            pid = "toc"
        if pid is not None:
            heads.append((i, pid, t))
            pm.heading_lines.add(i)
    pm.headings = heads
    # a table runs on to the line before the next table or heading (its notes and statement are its own)
    bounds = sorted([s for s, _, _ in pm.tables] + [pm.keys[h] for h, _, _ in heads])
    spans = []
    last = key(lines[-1].page, lines[-1].number) if lines else (0, 0)
    for start, end, tkey in pm.tables:
        j = bisect_right(bounds, start)
        stop = bounds[j] if j < len(bounds) else None
        new_end = max(end, _before(lines, stop) if stop is not None else last)
        spans.append((start, new_end, tkey))
    pm.tables = spans
    # a performance form likewise runs on to the next table, form or heading (its rows not read — a form
    # said unread — and its notes are the form's, not prose)
    fbounds = sorted(bounds + [s for s, _ in pm.forms])
    forms = []
    for start, end in pm.forms:
        j = bisect_right(fbounds, start)
        stop = fbounds[j] if j < len(fbounds) else None
        forms.append((start, max(end, _before(lines, stop) if stop is not None else last)))
    pm.forms = forms
    return pm


def _before(lines: list, stop: Key) -> Key:
    prev = (0, 0)
    for ln in lines:
        k = key(ln.page, ln.number)
        if k >= stop:
            break
        prev = k
    return prev


def _same_title(text: str, title: str) -> bool:
    return title in text or (len(text) >= 4 and text in title)


_NOTE_AFTER = re.compile(r"[（(][^（）()]*[）)]$")


def _heading(t: str, specs) -> str | None:
    """The part a heading opens (a note in brackets after it, the template's “（仅有一个单位的部门…）”, aside)."""
    for cand in (t, _NOTE_AFTER.sub("", t)):
        for pid, spec in specs.items():
            if pid != "toc" and spec.heading.search(cand):
                return pid
    return None


__all__ = ["Key", "PartMap", "key", "part_map"]
