"""Document identity: publisher, scope (单位/部门), kind (预算/决算), fiscal year, money unit."""

from __future__ import annotations

import re
from collections import Counter

from ..model import Disclosure, Identity, Location
from ..read import Line, Source
from .text import compact

# a title, not a table heading (``2025年预算单位财务收支预算总表``): what follows 预算/决算 is no 表
_LEVEL = r"(?:区级|市级|县级|省级|州级|旗级|本级|区|市|县)?"
_TITLE = re.compile(
    r"(?P<pub>[\u4e00-\u9fff（）()、XＸ×]{4,60}?)(?P<year>20\d\d)年度?(?P<level>" + _LEVEL[3:-2] + r")?"
    + r"(?P<scope>单位|部门)?(?P<kind>预算|决算)(?![\u4e00-\u9fff]{1,12}表)"
)
# a region's whole level: ``上海市2025年市级单位预算``, ``某某县2024年县级部门决算`` (the region's name may be short)
_TITLE_REGION = re.compile(
    r"(?P<pub>[\u4e00-\u9fff]{1,10}?(?:省|自治区|市|区|县|旗|州|盟))(?P<year>20\d\d)年度?"
    r"(?P<level>省级|市级|区级|县级|州级|旗级)(?P<scope>单位|部门)?(?P<kind>预算|决算)(?![\u4e00-\u9fff]{1,12}表)"
)
# the cover's own line naming the publisher, under the title (``预算主管部门：上海市普陀区商务委员会``)
_COVER_UNIT = re.compile(
    r"^(?:预算主管部门|主管部门|预算单位|预算部门|编制单位|编制部门|单位名称|部门名称|填报单位)[:：]"
    r"(?P<name>[\u4e00-\u9fff（）()、]{4,60})$"
)
# the department's own office (本级): ``上海市财政局本级``, ``…局（本级）``
_OWN_OFFICE = re.compile(r"[（(]?本级[)）]?$")
_TITLE_YEAR_FIRST = re.compile(
    r"(?P<year>20\d\d)年度?(?P<pub>[\u4e00-\u9fff（）()、XＸ×]{4,60}?)(?P<scope>单位|部门)(?P<kind>预算|决算)"
    r"(?![\u4e00-\u9fff]{1,12}表)"
)
# a Shanghai cover: ``上海市普陀区2025年区级单位预算`` / ``预算单位：…`` (the region's name, not the unit's)
_REGION_ONLY = re.compile(r"^[\u4e00-\u9fff]{2,3}(?:省|自治区|市)(?:[\u4e00-\u9fff]{1,4}(?:区|县|市|旗))?$")
_UNIT_LINE = re.compile(r"(?:单位名称|部门名称|编制单位|单位|部门)[:：]\s*(?P<name>[\u4e00-\u9fff（）()、]{2,60})")
_MONEY = re.compile(r"单位[:：]\s*(?P<u>万元|元|亿元|千元)")
_REGION = re.compile(r"^(中共)?([\u4e00-\u9fff]{2,3}?(?:省|自治区|市))")
_PREFIX = re.compile(r"^(第[一二三四五六七八九十]+部分|目录)")


def recognise_identity(source: Source) -> Identity:
    lines = source.lines()
    ident = Identity()
    # the title: the first block of consecutive lines (in the first ~400) naming year + scope + kind;
    # a block ends at a page break, at 目录 and at a part heading, so a match never runs across them
    joined = ""
    cover = None
    for block in _blocks(lines[:400]):
        joined = "".join(compact(ln.text) for ln in block)
        m = _TITLE_YEAR_FIRST.search(joined) or _TITLE.search(joined) or _TITLE_REGION.search(joined)
        if not m:
            continue
        ident.year = int(m.group("year"))
        ident.kind = m.group("kind")  # type: ignore[assignment]
        ident.scope = m.group("scope")  # type: ignore[assignment]
        pub = _PREFIX.sub("", m.group("pub"))
        own_office = bool(_OWN_OFFICE.search(pub)) or (m.groupdict().get("level") == "本级")
        pub = _OWN_OFFICE.sub("", pub)
        if ident.scope is None and own_office:
            ident.scope = "单位"  # 本级: the department's own office, a unit of its own
        ident.publisher = pub if pub and not _REGION_ONLY.match(pub) and not _LEVEL_REGION.match(pub) else None
        ident.title = _PREFIX.sub("", m.group(0))
        offset, first = 0, block[0]
        for ln in block:
            offset += len(compact(ln.text))
            if offset > m.start():
                first = ln
                break
        ident.location = Location(file=source.path, line=first.number, page=first.page)
        cover = _cover_name(lines, first)
        break
    # the publisher as the tables name it (单位：…) is more reliable than a wrapped title
    names = Counter()
    units = Counter()
    for ln in lines:
        if "单位" not in ln.text and "部门" not in ln.text:
            continue
        t = compact(ln.text)
        for m in _UNIT_LINE.finditer(t):
            name = m.group("name")
            if name in ("万元", "元", "亿元", "千元") or len(name) < 4:
                continue
            name = re.split(r"填报日期|填报|编制日期|日期|金额单位", name)[0]  # “单位名称：X 填报日期：…”
            if len(name) >= 4:
                names[re.sub(r"单位$", "", name)] += 1
        for m in _MONEY.finditer(t):
            units[m.group("u")] += 1
    if cover:  # the cover names the publisher in full; the table headings may shorten it
        ident.publisher = cover
    elif names:
        best, count = names.most_common(1)[0]
        if count >= 2 or not ident.publisher:
            ident.publisher = best
    if units:
        ident.unit = units.most_common(1)[0][0]
    if ident.publisher:
        m = _REGION.match(ident.publisher)
        ident.region = m.group(2) if m else None
    if ident.scope is None and ident.kind is not None:
        ident.scope = _scope_by_headings(lines)
    return ident


_LEVEL_REGION = re.compile(r"^[\u4e00-\u9fff]{2,6}(?:省|自治区|市)[\u4e00-\u9fff]{1,6}(?:区|县|旗)$")


def _cover_name(lines: list[Line], title: Line) -> str | None:
    """The publisher as the cover names it on its own line under the title (``预算主管部门：…``,
    ``预算单位：…``, ``编制单位：…``), before the 目录 (a ``目录`` glued to it is cut)."""
    start = next((k for k, ln in enumerate(lines) if ln is title), None)
    if start is None:
        return None
    seen = 0
    for ln in lines[start:start + 12]:
        t = compact(ln.text)
        if not t:
            continue
        if ln.page != title.page or seen > 6 or _PREFIX.match(t):
            break
        seen += 1
        m = _COVER_UNIT.match(re.sub(r"目录$", "", t))
        if m:
            name = _OWN_OFFICE.sub("", m.group("name"))
            return name if len(name) >= 4 and not _REGION_ONLY.match(name) else None
    return None


_TITLE_YEAR = re.compile(r"^[^。；;，,：:]{0,20}?(20\d\d)年度?[\u4e00-\u9fff“”\"（）()、]{2,40}表(?:[（(][^）)]{1,8}[）)])?$")


def scope_of_tables(lines: list[Line]) -> str | None:
    """单位 or 部门 as the tables' header lines say it (``部门：<name>`` / ``单位名称：<name>``), for a file
    of tables only; None when they do not say."""
    votes: Counter[str] = Counter()
    for ln in lines:
        if ("部门" in ln.text or "单位" in ln.text) and len(ln.text) <= 80:
            for m in _UNIT_LINE.finditer(compact(ln.text)):
                if m.group("name") not in ("万元", "元", "亿元", "千元") and len(m.group("name")) >= 4:
                    votes["部门" if compact(ln.text)[m.start():].startswith("部门") else "单位"] += 1
    return votes.most_common(1)[0][0] if votes else None


def title_year(lines: list[Line]) -> int | None:
    """The year a file's table titles name (``2019年政府采购预算表``), by majority: the year of a file of
    tables only, which has no title of its own."""
    votes: Counter[int] = Counter()
    for ln in lines:
        if "年" in ln.text and "表" in ln.text and len(ln.text) <= 80:
            m = _TITLE_YEAR.match(compact(ln.text))
            if m:
                votes[int(m.group(1))] += 1
    return votes.most_common(1)[0][0] if votes else None


_SCOPE_WORD = re.compile(r"20\d\d年度?" + _LEVEL + r"(预算单位|单位|部门)")


def _scope_by_headings(lines: list[Line]) -> str:
    """单位 or 部门 as the headings and table titles say it by majority (``2025年预算单位…表``,
    ``2026年部门…表``); 单位 when they do not say."""
    votes: Counter[str] = Counter()
    for ln in lines:
        t = compact(ln.text)
        if len(t) <= 60:
            votes.update("部门" if m.group(1) == "部门" else "单位" for m in _SCOPE_WORD.finditer(t))
    return "部门" if votes["部门"] > votes["单位"] else "单位"


def _blocks(lines: list[Line]) -> list[list[Line]]:
    blocks: list[list[Line]] = [[]]
    page = lines[0].page if lines else 1
    for ln in lines:
        t = compact(ln.text)
        if not t:
            continue  # text extractors put blank lines between all lines: a blank line ends nothing
        if _PREFIX.match(t) or ln.page != page or len(t) > 60:
            blocks.append([])
            page = ln.page
        if t and len(t) <= 60:
            blocks[-1].append(ln)
    return [b for b in blocks if b]


_HEAD_YEAR = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分)?[\u4e00-\u9fff（）()、XＸ×]{0,60}?(20\d\d)年度?(?:单位|部门)?(?:预算|决算)"
    r"(?:表|情况说明|公开|报告)?$"
)
_ENDS_WITH_YEAR = re.compile(r"20\d\d年度?$")


def document_heading_years(doc: Disclosure) -> list[tuple[Line, int]]:
    """:func:`heading_years` of the document's lines: as :func:`budgetdoc.recognise.recognise` found
    them, else (a model built or loaded without it) computed now."""
    if doc._heading_years is not None:
        return doc._heading_years
    return heading_years(doc.lines())


def heading_years(lines: list[Line]) -> list[tuple[Line, int]]:
    """Every heading that names the document's year and kind (``…2023年度单位决算表``, ``2026年单位预算
    情况说明``), with a heading wrapped after its year (``…2022 年度`` / ``单位决算表``) joined."""
    out: list[tuple[Line, int]] = []
    texts = [(ln, compact(ln.text)) for ln in lines]
    texts = [(ln, t) for ln, t in texts if t]
    for i, (ln, t) in enumerate(texts):
        if len(t) > 60:
            continue
        candidate = t
        if _ENDS_WITH_YEAR.search(t) and i + 1 < len(texts) and len(texts[i + 1][1]) <= 20:
            candidate = t + texts[i + 1][1]
        m = _HEAD_YEAR.match(candidate)
        if m:
            out.append((ln, int(m.group(1))))
    return out
