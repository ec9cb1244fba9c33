"""CNT004: this year's budget dated with another year; a project's 实施周期 over before the budget year."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...model import Disclosure
from ..findings import Finding
from ..prose import prose
from ..rule import Rule, registry
from ..util import table_name

# “2025年预算安排…”, “2024年度预算…”, “2025年部门预算安排购置车辆…”: this year's budget named by a year
_BUDGET = re.compile(
    r"(?P<year>20\d\d)年度?(?P<what>(?:本?(?:部门|单位))?预算(?:安排|数|金额|资金)?)(?!执行|调整|批复|单位)"
)
_BEFORE = re.compile(r"(?:比|较|与|同|对比|相比|上年|上一年|截至|截止|至|以前|往年|当年)$")
_CYCLE_HEAD = re.compile(r"实施周期[:：]?")
_DATE_YEAR = re.compile(r"(20\d\d)(?:年|[.．\-/])")
_CYCLE_WINDOW = 60
_TITLE_YEAR = re.compile(r"20\d\d年")


class WrongYear(Rule):
    """A budget dates what it plans with its own year, and a project it funds runs in that year
    (primer §10: “a comparison year wrong … calling last year's execution “2024年”; “2025年预算安排” or
    “2024年度预算” in a 2026 budget; a project's 实施周期 of the previous year). Comparisons with a year
    (“比2026年预算增加”, “2025年当年预算执行数”) are IDN005's and NAR013's: a line they report is not reported
    again here.

    A table title without the year, where the document's other titles print it, is said too (“部门“三公”经费和
    机关运行经费预算表” among “2024年部门…表”); a title with another year is IDN002's.

    Bad:  “2025年预算安排政府采购…” in a 2026 budget; “五、实施周期 2025.1.1-2025.12.31” in a 2026 budget;
          “部门“三公”经费和机关运行经费预算表” when the other eight titles read “2024年部门…”.
    Good: “2026年预算安排…”; “2025年当年预算执行数为54.60万元，2026年预算安排53.84万元”;
          “实施周期 2024年1月1日-2026年12月31日” (a project running into the budget year).
    """

    id = "CNT004"
    name = "wrong-year"
    category = "content"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        year = doc.identity.year
        if year is None:
            return
        yield from self._titles(doc, year)
        if doc.identity.kind != "预算":
            return
        p = prose(doc)
        text = p.text
        found: list[tuple[int, str, int]] = []  # (offset, what, printed year)
        for m in _BUDGET.finditer(text):
            printed = int(m.group("year"))
            if printed == year or _BEFORE.search(text[max(0, m.start() - 4): m.start()]):
                continue
            if printed < year - 10 or printed > year + 1:
                continue  # a year in a law's or a plan's title, not this budget's
            found.append((m.start(), f"“{m.group(0)}”（本文件为{year}年预算）", printed))
        for m in _CYCLE_HEAD.finditer(text):
            window = text[m.end(): m.end() + _CYCLE_WINDOW]
            stop = re.search(r"[六七八九十][、.．]|年度预算安排", window)
            if stop:
                window = window[: stop.start()]
            years = [int(y) for y in _DATE_YEAR.findall(window)]
            if years and max(years) < year:
                found.append((m.start(), f"项目“实施周期”为“{window.strip('。；')}”，在{year}年之前已结束"
                              f"（{year}年预算安排的项目应在{year}年实施）", max(years)))
        if not found:
            return
        reported = _reported_lines(doc)
        seen: set[int] = set()
        for offset, what, printed in found:
            ln = p.line_at(offset)
            if (ln.page, ln.number) in reported or p.line_index(offset) in seen:
                continue
            seen.add(p.line_index(offset))
            yield self.finding(
                f"说明中{what}：年度写作{printed}年，应为{year}年",
                p.location(doc, offset), expected=str(year), actual=str(printed),
            )


    def _titles(self, doc: Disclosure, year: int) -> Iterator[Finding]:
        dated = [t for t in doc.tables if _TITLE_YEAR.search("".join(t.title.split()))]
        if len(dated) < 3 or len(dated) * 2 < len(doc.tables):
            return  # the titles do not print the year as a rule
        for t in doc.tables:
            if t in dated:
                continue
            yield self.finding(
                f"{table_name(t)}标题“{t.title.strip()}”未写年度（本文件其他表名均写明“{year}年”）",
                t.location.at(file=t.location.file or doc.source, table=t.key),
                expected=f"{year}年{t.title.strip()}", actual=t.title.strip(),
            )


def _reported_lines(doc: Disclosure) -> set[tuple[int | None, int | None]]:
    """The lines where IDN005 or NAR013 already report a wrong year (one defect, one finding)."""
    out: set[tuple[int | None, int | None]] = set()
    rules = registry()
    for rid in ("IDN005", "NAR013"):
        cls = rules.get(rid)
        if cls is None:
            continue
        try:
            for f in cls().run(doc):
                if f.expected and f.expected.isdigit() and f.actual and f.actual.isdigit():
                    out.add((f.location.page, f.location.line))
        except Exception:  # noqa: BLE001 - their bug is theirs (the engine reports it); say ours
            continue
    return out
