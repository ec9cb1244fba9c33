"""The narrative dates what it says with the document's fiscal year (primer §9: a wrong year in one place)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from ...model import Disclosure
from ...recognise.identity import document_heading_years
from ..findings import Finding
from ..rule import Rule
from ..util import line_location

# “2023年度收、支总计1,466.86万元”: a clause that opens with a year and gives an amount a few words later
_CLAUSE = re.compile(
    r"(?:^|[。；：:，,)）])(?P<year>20\d\d)年度?(?P<what>[^。；0-9]{1,40}?)(?P<num>\d[\d,]*(?:\.\d+)?)万元?"
)
_COMPARE_WORDS = re.compile(r"相比|比较|较|同比|上年|上一年|增加|减少|增长|下降")
# “与2022年度相比”, “比2025年预算增加”: the year compared with lies before the document's year
_COMPARED = re.compile(r"(?:与|比|较)(?P<year>20\d\d)年度?(?:相比|同期|决算|预算|增加|减少|增长|下降|持平)")
# “截至2023年12月31日”: assets are stated at the end of the fiscal year (决算) or of the year before (预算)
_AS_OF = re.compile(r"截[至止](?P<year>20\d\d)年12月31日")
# the statement under an empty table: “说明：2026年无政府性基金预算安排支出” (in free prose a year with 无
# may well be another year's: “2024年和2025年无该项目预算”)
_NOTHING = re.compile(r"(?P<year>20\d\d)年度?(?:[\u4e00-\u9fff]{0,4})?(?:无|没有)")
# “第四部分 2021 年重点工作完成情况”
_PART = re.compile(r"^第[一二三四五六七八九十]+部分(?P<year>20\d\d)年")


def _amounts(doc: Disclosure) -> set[Decimal]:
    return {c.value for t in doc.tables for r in t.rows for c in r.cells if c.value}


class NarrativeYear(Rule):
    """The narrative, the empty-table statements and the part headings date this year's facts with the
    document's fiscal year.

    Checked: a clause that opens with a year and gives an amount printed in this year's tables
    (“2023年度收、支总计1,466.86万元”); the year a comparison is made with (“与2022年度相比” must be an
    earlier year); the date assets are counted at (“截至2023年12月31日”: the fiscal year's end for a 决算,
    the previous year's end for a 预算); statements that there was no such money (“2026年无政府性基金
    预算安排支出” under an empty table); part headings with a year (“第四部分 2021年重点工作完成情况”). Other years in free
    prose (payment plans, last year's figures, form dates) are left alone.

    Bad:  “2022年度收、支总计1,466.86万元” in the 2023 final account whose 表1 总计 is 1,466.86;
          “与2023年度相比” in the 2023 final account; “截至2022年12月31日” in the 2023 final account.
    Good: “2023年度收、支总计1,466.86万元。与2022年度相比…”; “截至2023年12月31日”.
    """

    id = "IDN005"
    name = "narrative-year"
    category = "identity"
    severity = "error"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        year = doc.identity.year
        if not year or not doc.tables:
            return
        amounts = _amounts(doc)
        as_of = year if doc.identity.kind != "预算" else year - 1
        unit = (doc.identity.publisher or "").replace(" ", "")
        # “2023年度<本单位>政府采购支出…”, “<本单位>2019年度收入、支出预算总计…”, “纳入本部门2018年部门汇总
        # 预算编制范围”: a year naming the unit's own doings is this year (the unit's name with or without 中共)
        names = "|".join(re.escape(n) for n in dict.fromkeys((unit, unit.removeprefix("中共"))) if len(n) >= 4)
        own = re.compile(rf"(?P<cmp>与|比|较)?(?P<year>20\d\d)年度?(?:{names})|(?:{names}|本部门|本单位)"
                         rf"(?P<cmp2>与|比|较)?(?P<year2>20\d\d)年度?(?!\d)") if names else None
        yield from self._forms(doc, year)
        heads = {(ln.page, ln.number) for ln, _ in document_heading_years(doc)}
        lines = [ln for ln in doc.lines() if ln.text.strip()]
        texts = [ln.text.replace(" ", "").replace("\t", "") for ln in lines]
        for i, ln in enumerate(lines):
            text = texts[i]
            if "年" not in text:
                continue
            window = text + (texts[i + 1] if i + 1 < len(texts) else "")  # a clause wrapped to the next line
            found: list[tuple[str, int, int]] = []  # (what is said, printed year, expected year)
            for m in _CLAUSE.finditer(window):
                if m.start("year") >= len(text):
                    break
                printed = int(m.group("year"))
                if printed == year or _COMPARE_WORDS.search(m.group("what")):
                    continue
                try:
                    value = Decimal(m.group("num").replace(",", ""))
                except InvalidOperation:
                    continue
                if value in amounts:
                    found.append((f"“{m.group(0).lstrip('。；：:，,)）')}”，而 {value:,.2f} 万元是本年度表中的金额",
                                  printed, year))
            for m in _COMPARED.finditer(text):
                if int(m.group("year")) >= year:
                    found.append((f"“{m.group(0)}”（比较的应是以前年度）", int(m.group("year")), year - 1))
            for m in _AS_OF.finditer(window):
                if m.start() >= len(text):
                    break
                if int(m.group("year")) != as_of:
                    found.append((f"“{m.group(0)}”", int(m.group("year")), as_of))
            for m in _NOTHING.finditer(text) if text.startswith(("说明", "备注", "注")) else ():
                if int(m.group("year")) != year:
                    found.append((f"“{m.group(0)}”", int(m.group("year")), year))
            if (m := _PART.match(text)) and int(m.group("year")) != year:
                found.append((f"“{text}”", int(m.group("year")), year))
            if own is not None and (ln.page, ln.number) not in heads and (
                    unit.removeprefix("中共") in window or "本部门" in window or "本单位" in window):
                # (a heading naming the unit and a year is IDN002's)
                for m in own.finditer(window):
                    printed = int(m.group("year") or m.group("year2"))
                    if m.start() < len(text) and printed != year and not (m.group("cmp") or m.group("cmp2")):
                        found.append((f"“{m.group(0)}”", printed, year))
            for said, printed, expected in found[:1]:  # one finding per line: one slip, one place
                yield self.finding(
                    f"说明中{said}：年度为{printed}年，应为{expected}年（文件为{year}年度{doc.identity.kind or ''}）",
                    line_location(doc, ln.page, ln.number),
                    expected=str(expected),
                    actual=str(printed),
                )

    def _forms(self, doc: Disclosure, year: int) -> Iterator[Finding]:
        """A self-evaluation form titled with a year (“2023年度人社信息系统化建设项目”) evaluates this year."""
        for f in doc.performance:
            m = re.match(r"(20\d\d)年度?", f.name.replace(" ", ""))
            if m and f.stage == "自评" and int(m.group(1)) != year:
                yield self.finding(
                    f"绩效自评表《{f.name}》的年度为{m.group(1)}年，应为{year}年（文件为{year}年度决算）",
                    f.location.at(file=f.location.file or doc.source),
                    expected=str(year),
                    actual=m.group(1),
                )
