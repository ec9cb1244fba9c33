"""Parts (第一部分 …), numbered narrative sections (一、…) and the table of contents (目录).

A 目录 line may end with the page number where the entry starts, after a dotted leader or a gap
(``一、收入支出决算总表……………5``, ``一、收入支出决算总表 5``, a separate cell in converter output): it goes
to :attr:`TocEntry.page` and is not part of the title. A number glued to the title (``…总表5``) is
not a page number.
"""

from __future__ import annotations

import re

from ..data import catalog
from ..model import Location, Section, TocEntry, trusted
from ..read import Line, Source
from .text import compact

_PART = re.compile(r"^第([一二三四五六七八九十]+)部分(.*)$")
_SECTION = re.compile(r"^([一二三四五六七八九十]{1,3})[、.．](.{2,40})$")
_TOC_HEAD = re.compile(r"^目录$")
_TABLE_ITEM = re.compile(
    r"^(?:[-*]\s*)?(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．](?=20\d\d年|\D))?"
    r"(.*?表)\s*(?:[(（]\s*(表\s*[\d-]+)\s*[)）])?$"
)
_TABLE_NUMBERED = re.compile(r"^表\s*(\d+(?:-\d+)?)\s*[.．、]\s*(.+表.*)$")
_LEADER = ".．·•…‥⋯_－—-"  # leader characters (the hyphen last: literal in a character class)
_TOC_PAGE = re.compile(rf"^(?P<body>.*?[^\s{_LEADER}])(?P<sep>[\s{_LEADER}]+)(?P<page>\d{{1,4}})\s*$")
_NOT_PAGE_BEFORE = ("第", "附件", "附表", "图")


def toc_page(text: str) -> tuple[str, int | None]:
    """(the 目录 line without its page number, the page number) — (text, None) when it has none.
    The number must follow a leader (two or more dots, ellipses, rules) or whitespace; after 第, 附件,
    附表, 图 or a lone 表 only a leader counts (``附件 2``, ``表 1`` number the item)."""
    m = _TOC_PAGE.match(text)
    if not m:
        return text, None
    sep = m.group("sep")
    leader = sum(1 for ch in sep if ch in _LEADER) >= 2
    body = m.group("body")
    if not leader and (
        not any(ch.isspace() for ch in sep) or body.endswith(_NOT_PAGE_BEFORE) or compact(body) == "表"
    ):
        return text, None
    page = int(m.group("page"))
    if page == 0 or not body.strip():
        return text, None
    return body, page


_COMPILED: dict[int, tuple[dict, list]] = {}  # id(catalog view) → (the view, [(table spec, its patterns)])


def _table_patterns() -> list[tuple[dict, list[re.Pattern[str]]]]:
    """The catalog's tables with their title patterns compiled (once per catalog view: the base, and each
    region's layout laid over it)."""
    cat = catalog()
    got = _COMPILED.get(id(cat))
    if got is None or got[0] is not cat:
        got = (cat, [(spec, [re.compile(p) for p in spec["patterns"]]) for spec in cat["tables"]])
        _COMPILED[id(cat)] = got
    return got[1]


def table_keys(title: str, kind: str | None = None) -> list[str]:
    """Catalog keys a title names, most specific (longest match) first; a 目录 line such as
    ``一般公共预算支出表(分功能科目，分单位)`` names two tables."""
    t = compact(title)
    found: list[tuple[int, str]] = []
    for spec, patterns in _table_patterns():
        if kind and spec["kind"] != kind:
            continue
        best = max((len(m.group(0)) for pat in patterns if (m := pat.search(t))), default=0)
        if best:
            found.append((best, spec["key"]))
    found.sort(key=lambda x: -x[0])
    keys = [k for _, k in found]
    if "分单位" in t and "分功能" in t:
        return [k for k in ("B5_1", "B5_2") if kind in (None, "预算")]
    return keys[:1]


def table_key(title: str, kind: str | None = None) -> str | None:
    """The catalog key of a table title (None when the title is no catalog table)."""
    keys = table_keys(title, kind)
    return keys[0] if keys else None


_TRAILING_LEADER = re.compile(rf"[\s{_LEADER}]*[{_LEADER}]{{2,}}[\s{_LEADER}]*$")
_PART_ENTRY = re.compile(r"^([一二三四五六七八九十]{1,3})[、.．](.{2,30})$")
_AMOUNT = re.compile(r"\d\.\d{2}(?!\d)|\d,\d{3}")
_SENTENCE = re.compile(r"[。；;，,：:]")
_LEADING_UNIT = re.compile(r"^(?:部门|单位)")


_ENTRY_HEAD = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[.．、]|表\s*\d|附)")


def _entry(t: str) -> bool:
    """A compacted line that reads like a 目录 entry: numbered, with a leader or page, or a table."""
    return bool(_ENTRY_HEAD.match(t) or _leader(t)[1] or (t[-1:].isdigit() and toc_page(t)[1] is not None)
                or _PART.match(t) or _TOC_HEAD.match(t) or ("表" in t and table_keys(t)))


def _has_leader(ln: Line) -> bool:
    t = compact(ln.text)
    return _leader(t)[1] or (t[-1:].isdigit() and toc_page(ln.text)[1] is not None)


def _leader(text: str) -> tuple[str, bool]:
    """(the 目录 line without a trailing dotted leader, whether it had one): ``一、部门主要职能 ………``."""
    m = _TRAILING_LEADER.search(text)
    if m and m.start() > 0:
        return text[: m.start()], True
    return text, False


def find_sections(source: Source) -> tuple[list[Section], list[TocEntry]]:
    """Parts, numbered sections and the 目录.

    A 目录 ends at the part heading it listed first (printed again where the part starts); when every
    entry so far (at least two) ended with a dotted leader, with or without a page number, at the first
    line without a leader that is not the first half of a wrapped entry (its next line has a leader);
    and at a new page that begins with two lines that read like no entry. In a document whose parts
    are unnumbered (the Shanghai 预算: ``一、部门主要职能 ……`` in the 目录, ``<部门>主要职能`` in the body),
    the body heading that ends with an entry's words starts that part (a level-1 section).
    """
    sections: list[Section] = []
    toc: list[TocEntry] = []
    in_toc = False
    leaders = 0  # 目录 lines with a leader seen so far
    plain = 0  # 目录 lines without one (a 目录 that has them is not ended by the leader rule)
    pending = ""  # the first half of a wrapped 目录 entry
    seen_parts: set[str] = set()
    lines = [ln for ln in source.lines() if compact(ln.text)]
    for idx, ln in enumerate(lines):
        t = compact(ln.text)
        if in_toc and leaders >= 2 and not plain and not _has_leader(ln) and not _PART.match(t):
            nxt = lines[idx + 1] if idx + 1 < len(lines) else None
            if nxt is not None and _has_leader(nxt):
                if not _ENTRY_HEAD.match(compact(nxt.text)) and len(t) <= 40:
                    pending += t  # a long entry wrapped before its leader
                    continue
            elif not ("表" in t and table_keys(t)):
                in_toc = False  # two lines without a leader: the 目录 is over
                pending = ""
        elif in_toc and toc and ln.page != toc[-1].location.page and not _entry(t) \
                and (idx + 1 >= len(lines) or not _entry(compact(lines[idx + 1].text))):
            in_toc = False  # a new page that begins with two lines no 目录 entry looks like
            pending = ""
        if not in_toc and t[0] not in "目第表一二三四五六七八九十":
            _unnumbered_part(sections, toc, ln, t, source.path)
            continue
        loc = trusted(Location, file=source.path, page=ln.page, line=ln.number, bbox=ln.bbox)
        if _TOC_HEAD.match(t):
            in_toc, leaders, plain, pending = True, 0, 0, ""
            continue
        page = None
        if in_toc:
            if t[-1].isdigit():
                body, page = toc_page(ln.text)
                if page is not None:
                    t = compact(body)
                    leaders += 1
            if page is None:
                body, has_leader = _leader(t)
                if has_leader:
                    t = body
                    leaders += 1
                elif not pending:
                    plain += 1
            if pending:
                t, pending = pending + t, ""
        m = _PART.match(t)
        if m:
            number = m.group(1)
            if in_toc and number in seen_parts:
                in_toc = False
            if in_toc:
                toc.append(TocEntry(title=t, number=f"第{number}部分", page=page, location=loc))
                seen_parts.add(number)
                continue
            in_toc = False
            sections.append(Section(level=1, number=f"第{number}部分", title=m.group(2), location=loc))
            continue
        if in_toc and toc and toc[-1].number and toc[-1].number.endswith("部分") and toc[-1].page is None \
                and not _ENTRY_HEAD.match(t) and not ("表" in t and table_keys(t)) and len(t) <= 30:
            # the rest of a part heading the 目录 wrapped (``第二部分 …2025 年度`` / ``部门决算表``)
            toc[-1] = toc[-1].model_copy(update={"title": toc[-1].title + t, "page": page})
            continue
        if in_toc:
            item = _TABLE_NUMBERED.match(t) or _TABLE_ITEM.match(t)
            number = None
            title = t
            if item and item.re is _TABLE_NUMBERED:
                number, title = item.group(1), item.group(2)
            elif item:
                title, number = item.group(1), item.group(2)
            keys = table_keys(t) if "表" in t else []
            for key in keys or [None]:
                toc.append(
                    TocEntry(title=title if key else t, number=number, page=page, table_key=key, location=loc)
                )
            continue
        m = _TABLE_NUMBERED.match(t)
        if m and len(t) < 40 and sections and not any(s.level == 2 for s in sections):
            # a list of tables at the head of the tables part (seed 002: "表 5-1. …") also promises
            toc.append(TocEntry(title=m.group(2), number=m.group(1), table_key=table_key(m.group(2)),
                                location=loc))
            continue
        m = _SECTION.match(t)
        if m and len(t) <= 40 and not t.endswith(("。", "；", "，")) and not _AMOUNT.search(t):
            sections.append(Section(level=2, number=m.group(1), title=m.group(2), location=loc))
            continue
        _unnumbered_part(sections, toc, ln, t, source.path)
    return sections, toc


def _unnumbered_part(sections: list[Section], toc: list[TocEntry], ln: Line, t: str, path: str) -> None:
    """A body heading that starts a part the 目录 lists without 第…部分 (``四、部门预算编制说明`` →
    ``2026年部门预算编制说明``): a short line without punctuation or amounts ending with the entry's
    words (less a leading 部门/单位), after the 目录, each entry once and in the 目录's order."""
    if not toc or len(t) > 40 or _SENTENCE.search(t) or _AMOUNT.search(t) or t.endswith("表"):
        return
    last = toc[-1].location
    if (ln.page or 0, ln.number) <= (last.page or 0, last.line or 0):
        return
    if any(e.number and e.number.endswith("部分") for e in toc):
        return  # the parts are numbered 第…部分: those headings are the parts
    done = {s.title for s in sections if s.level == 1}
    for entry in toc:
        if entry.table_key or entry.title.endswith("表"):
            continue
        m = _PART_ENTRY.match(entry.title)
        if not m:
            continue
        words = _LEADING_UNIT.sub("", m.group(2))
        if len(words) >= 2 and t.endswith(words) and entry.title not in done:
            sections.append(Section(level=1, number=m.group(1), title=entry.title,
                                    location=Location(file=path, page=ln.page, line=ln.number, bbox=ln.bbox)))
            return
