"""Identity: every table and heading names the document's own unit and year; no template placeholders.

Primer §1 (a document is identified by publisher, scope, kind and year) and §9 (a unit name differing
between tables, a wrong year in one heading, a placeholder left in).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from ...model import Disclosure, Location, Table
from ...recognise.identity import document_heading_years
from ...recognise.text import PART_HEADING
from ..findings import Finding
from ..rule import Rule
from ..util import fold, line_location, table_name

_CJK_NAME = r"[\u4e00-\u9fff（）()、·]"


def norm_unit(name: str) -> str:
    s = fold(name)
    s = re.sub(r"\(?本级\)?$", "", s)
    return s.strip("：:，,。")


# ---------------------------------------------------------------------------------------------------------
# placeholders

_PLACEHOLDERS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<![A-Za-z])(?:XX+|xx+|X{1,4}年X{1,2}月X{1,2}日)(?![A-Za-z])"), "占位符"),
    (re.compile(r"×{2,}|○{2,}|□{2,}"), "占位符"),
    (re.compile(r"(?<![A-Za-z0-9])[Xx×]月[Xx×]日"), "日期占位符"),
    (re.compile(r"[（(\[【](?:单位名称|部门名称|单位全称|部门全称|项目名称|填写[^）)\]】]{0,20})[）)\]】]"), "名称占位符"),
    (re.compile(r"请(?:根据|按照|参照|结合|在此|填写|填报|补充|删除)"), "模板说明"),
    # (a note citing the rule a column was filled by, ``根据《政府采购品目分类目录》…规定品目名称填写``, is no
    # instruction to the person filling it)
    (re.compile(r"(?<!如实)(?<!据实)(?<!规定品目名称)(?<![》）)]规定)填写|填列说明"), "模板说明"),
    (re.compile(r"如持平作持平表述|不涉及的不列|不涉及的可不列|此处(?:填|写|列)"), "模板说明"),
]


_ANY_PLACEHOLDER = re.compile("|".join(f"(?:{p.pattern})" for p, _ in _PLACEHOLDERS))
# a character every placeholder above contains (X x × ○ □; 名称, 填写, 请…, 持平, 涉及, 此处): a line
# without one is passed over by one scan instead of trying every alternative at every position
_TRIGGER = re.compile("[Xx×○□名填请持涉此]")


def placeholders(text: str) -> list[tuple[str, str]]:
    """(matched text, kind) of every placeholder or template instruction in a line."""
    out: list[tuple[str, str]] = []
    if not _TRIGGER.search(text) or not _ANY_PLACEHOLDER.search(text):
        return out
    for pattern, kind in _PLACEHOLDERS:
        for m in pattern.finditer(text):
            out.append((m.group(0), kind))
    return out


def _line_loc(doc: Disclosure, ln) -> Location:
    return Location(file=doc.source, page=ln.page, line=ln.number, bbox=ln.bbox)


class Placeholder(Rule):
    """No template placeholder or template instruction is left in the published document (primer §9).

    Bad:  ``上海市XX局2024年度部门决算``; ``收入支出总计XXX万元``; ``X月X日``; ``（单位名称）``;
          ``由主管部门根据三定方案等相关规定中有关主要职能填写。``; ``（如持平作持平表述）``.
    Good: the real unit name, amounts and dates; ``30299 其他商品和服务支出``; English words with X.
    """

    id = "IDN003"
    name = "placeholder"
    category = "identity"
    severity = "error"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        for ln in doc.lines():
            found = placeholders(ln.text)
            if not found:
                continue
            shown = "、".join(dict.fromkeys(f"“{m}”" for m, _ in found))
            kinds = "、".join(dict.fromkeys(k for _, k in found))
            yield self.finding(
                f"文件中残留模板内容（{kinds}）：{shown}，见“{ln.text.strip()[:60]}”",
                _line_loc(doc, ln), actual="；".join(dict.fromkeys(m for m, _ in found)),
            )


# ---------------------------------------------------------------------------------------------------------
# unit names

_HEADER = re.compile(
    rf"^(?:编制)?(?:单位|部门|部门名称)[:：](?P<name>{_CJK_NAME}{{4,60}})"
)
_HEADING = re.compile(
    rf"^(?:第[一二三四五六七八九十]+部分)?(?P<pub>{_CJK_NAME}{{4,60}}?)(?P<year>20\d\d)年度?"
    r"(?:单位|部门)?(?:预算|决算)(?:表|情况说明|公开)?$"
)
_STRUCTURE_END = re.compile(r"^第[一二三四五六七八九十]+部分|[预决]算表|^(?:编制)?(?:单位|部门)[:：]")
_MONEY = {"万元", "元", "亿元", "千元"}
_NOT_A_UNIT = re.compile(r"目录|部分|概况|职能|职责")


def _plausible(name: str | None) -> bool:
    return bool(name) and 4 <= len(name or "") <= 40 and not _NOT_A_UNIT.search(name or "")


_PART_IN_NAME = re.compile(r"第[一二三四五六七八九十]+部分")  # a part heading's number, no unit's name
_OVERVIEW = re.compile(rf"^第[一二三四五六七八九十]+部分(?P<pub>{_CJK_NAME}{{4,60}}?)概况$")


def _headings(doc: Disclosure) -> list[tuple[object, str, int | None]]:
    """(line, publisher, year) of the part headings and table-set titles: ``XX2023年度单位决算(表)``,
    ``第一部分 XX概况``; a part heading wrapped over two lines is joined."""
    out: list[tuple[object, str, int | None]] = []
    lines = [ln for ln in doc.lines() if ln.text.strip()]
    for i, ln in enumerate(lines):
        raw = ln.text
        # a heading prints 年, ends with 概况 or is a 第…部分 (fold only takes spaces out: the characters
        # are in the line as printed)
        if "年" not in raw and not ("概" in raw and "况" in raw) and not ("部" in raw and "分" in raw):
            continue
        t = fold(raw)
        candidates = [t]
        if PART_HEADING.match(t) and i + 1 < len(lines) and len(fold(lines[i + 1].text)) <= 30:
            candidates.append(t + fold(lines[i + 1].text))
        for c in candidates:
            # (_HEADING prints a year, 20XX年; _OVERVIEW ends with 概况)
            m = ("年" in c and _HEADING.match(c)) or (c.endswith("概况") and _OVERVIEW.match(c)) or None
            if m and not placeholders(ln.text) and not _PART_IN_NAME.search(m.group("pub")):
                year = m.groupdict().get("year")
                out.append((ln, norm_unit(m.group("pub")), int(year) if year else None))
                break
    return out


def document_unit(doc: Disclosure) -> str | None:
    """The document's publisher: the recognised one when it looks like a unit name, else the name most
    headings print (``第二部分 <unit>2024年度部门决算表``)."""
    pub = doc.identity.publisher
    if _plausible(pub):
        return norm_unit(pub or "")
    names = Counter(p for _, p, _ in _headings(doc) if _plausible(p))
    if names:
        best, n = names.most_common(1)[0]
        if n >= 2:
            return best
    return None


def _structure_text(doc: Disclosure) -> str:
    """Text of the 构成 / 机构设置 part (and a window after each mention): the units a department lists."""
    lines = doc.lines()
    keep: list[str] = []
    for i, ln in enumerate(lines):
        t = fold(ln.text)
        if "构成" in t or "机构设置" in t or "纳入" in t:
            keep.append(t)
            for x in lines[i + 1 : i + 40]:
                xt = fold(x.text)
                if _STRUCTURE_END.search(xt) or _HEADING.match(xt):
                    break
                keep.append(xt)
    return "\n".join(keep)


def _related(a: str, b: str) -> bool:
    """Same unit, or one name a wrapped fragment of the other (prefix/suffix)."""
    return a == b or a.startswith(b) or b.startswith(a) or a.endswith(b) or b.endswith(a)


def _table_at(doc: Disclosure, line: int, page: int | None) -> Table | None:
    """The table whose title is at most a dozen lines above ``line``."""
    best: Table | None = None
    for t in doc.tables:
        tl = t.location.line
        if tl is None or tl > line or line - tl > 12:
            continue
        if page is not None and t.location.page is not None and t.location.page != page:
            continue
        if best is None or (best.location.line or 0) < tl:
            best = t
    return best


class UnitName(Rule):
    """Every table header (``单位：`` / ``部门：``) and every part heading names the document's own unit
    (primer §1, §9). A department's tables may name a subordinate unit listed in its 构成 section.
    A name that is a wrapped fragment (prefix or suffix) of the unit's name is not reported.

    Bad:  seed 004, 支出决算表 header ``部门：武汉市黄浦区人力资源和社会保障信息中心`` where the unit is
          武汉市黄陂区人力资源和社会保障信息中心; a heading ``上海市规划和自然资源局2024年度部门决算表`` in the
          document of 上海市普陀区规划和自然资源局.
    Good: every header names 武汉市黄陂区人力资源和社会保障信息中心.
    """

    id = "IDN001"
    name = "unit-name"
    category = "identity"
    severity = "error"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        unit = document_unit(doc)
        if not unit:
            return
        listed = _structure_text(doc)

        def foreign(name: str | None) -> bool:
            if not name or name in _MONEY or len(name) < 4:
                return False
            n = norm_unit(name)
            return not _related(n, unit) and n not in listed

        reported: set[str] = set()
        for ln in doc.lines():
            raw = ln.text
            if not ("单" in raw and "位" in raw) and not ("部" in raw and "门" in raw):
                continue  # no 单位 or 部门 however it is spaced
            t = fold(raw)
            if "单位" not in t and "部门" not in t or placeholders(raw):
                continue
            m = _HEADER.match(t)
            printed = m.group("name") if m else None
            if printed:
                printed = re.split(r"(?:单位|部门|金额单位)[:：]|公开\d|填报", printed)[0]
                printed = re.sub(r"(?:金额)?单位$", "", printed)
            if not printed or not foreign(printed):
                continue
            table = _table_at(doc, ln.number, ln.page)
            where = f"{table_name(table)}表头" if table else "表头"
            loc = table.location.at(file=table.location.file or doc.source, table=table.key) if table else None
            if table:
                reported.add(table.key)
            yield self.finding(
                f"{where}的单位名称“{printed}”与文件的单位“{unit}”不一致",
                loc or _line_loc(doc, ln), expected=unit, actual=printed,
                related=[_line_loc(doc, ln)] if loc else [],
            )
        for t in doc.tables:
            if t.key in reported or not foreign(t.publisher):
                continue
            reported.add(t.key)
            yield self.finding(
                f"{table_name(t)}表头的单位名称“{t.publisher}”与文件的单位“{unit}”不一致",
                t.location.at(file=t.location.file or doc.source, table=t.key),
                expected=unit, actual=t.publisher,
            )
        for ln, pub, _ in _headings(doc):
            if foreign(pub):
                yield self.finding(
                    f"标题“{ln.text.strip()}”中的单位名称“{pub}”与文件的单位“{unit}”不一致",
                    _line_loc(doc, ln), expected=unit, actual=pub,
                )


# ---------------------------------------------------------------------------------------------------------
# years

_TITLE_WORDS = re.compile(r"收入|支出|收支|三公|经费|绩效")
_TABLE_TITLE = re.compile(
    r"^(?:表?\d{1,2}(?:-\d{1,2})?[.、]?)?(?P<pre>" + _CJK_NAME + r"{0,40}?)(?P<year>20\d\d)年度?"
    r"(?P<rest>[\u4e00-\u9fff“”\"（）()、]{2,40}?表)(?:[(（]?表\d{1,2}(?:-\d{1,2})?[)）]?|公开\d{1,2}表)?$"
)


class HeadingYear(Rule):
    """Every table title and part heading states the document's fiscal year (primer §9).

    Bad:  ``2022年度支出决算表`` in the 2023 final account.
    Good: ``2023年度支出决算表`` in the 2023 final account.
    """

    id = "IDN002"
    name = "heading-year"
    category = "identity"
    severity = "error"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        year = doc.identity.year
        if not year:
            return
        covered: set[tuple[int | None, int]] = set()  # title lines of tables whose year is judged here
        for t in doc.tables:
            if t.location.line is not None and t.year:
                covered.update((t.location.page, t.location.line + d) for d in (-1, 0, 1, 2))
            if t.year and t.year != year:
                yield self.finding(
                    f"{table_name(t)}标题的年度为{t.year}年，文件为{year}年度",
                    t.location.at(file=t.location.file or doc.source, table=t.key),
                    expected=str(year), actual=str(t.year),
                )
        heads = {(ln.page, ln.number): y for ln, y in document_heading_years(doc)}
        for ln in doc.lines():
            if (ln.page, ln.number) in covered or (None, ln.number) in covered:
                continue
            dated = "年" in ln.text  # both title patterns print a year: 20XX年
            text = fold(ln.text) if dated else ""
            m = _TABLE_TITLE.match(text) if dated else None
            if m and _TITLE_WORDS.search(m.group("rest")):
                printed = int(m.group("year"))
            elif dated and (h := _HEADING.match(text)) is not None:
                printed = int(h.group("year"))
            elif (ln.page, ln.number) in heads:
                printed = heads[(ln.page, ln.number)]
            else:
                continue
            if placeholders(ln.text):
                continue
            if printed != year:
                yield self.finding(
                    f"标题“{ln.text.strip()}”的年度为{printed}年，文件为{year}年度",
                    _line_loc(doc, ln), expected=str(year), actual=str(printed),
                )


def _identity_location(doc: Disclosure) -> Location:
    """Where the document names itself (its title line, with the line's box), else the file."""
    loc = doc.identity.location
    if loc.bbox is None and loc.page is not None and loc.line is not None:
        loc = loc.at(bbox=line_location(doc, loc.page, loc.line).bbox)
    return loc.at(file=loc.file or doc.source)


class IdentityMissing(Rule):
    """The document says whose it is and for which year (primer §1): a title such as
    ``<unit>2023年度单位决算`` or table headers ``单位：<unit>``.

    Bad:  no title with a year and no ``单位：`` header (nothing identifies the document).
    Good: ``武汉市社会保险中心2022年度单位决算``.
    """

    id = "IDN004"
    name = "identity-missing"
    category = "identity"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        missing = []
        if not doc.identity.year:
            missing.append("年度")
        if not document_unit(doc):
            missing.append("单位名称")
        if missing:
            yield self.finding(
                f"未能识别文件的{'和'.join(missing)}（标题或表头中没有找到），无法核对各表的单位和年度",
                _identity_location(doc),
                actual=None,
            )
