"""Performance forms: 整体/项目 绩效自评表 (决算) and 绩效目标表 (预算), primer §7.

A form starts at its title (“…整体绩效自评表”, “…项目自评表”, “整体支出绩效目标申报表”, in converter
markdown also a heading “整体支出自评结果”, in a PDF that line right above a ruled table) and runs to the next title, the next part (第X部分) or, in
markdown, the next heading. A statutory table's title also ends a region. A title whose region holds no budget block (预算数（A）, 当年金额, 项目当年
预算) is a table of contents entry or a narrative heading, not a form.

Text forms (one line per cell fragment) are read by :mod:`.performance_text`, tab-celled markdown forms by
:mod:`.performance_md`. Both fill the same :class:`~budgetdoc.model.PerformanceForm`; its ``location`` is
the line where 预算数/执行数/执行率/得分 are printed (the title line when there is none), an indicator's
``location`` the line where its values and score are printed. What the narrative says about the forms is
read by :mod:`.performance_narrative` (used by the rules, not stored in the model).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..model import Disclosure, Location, PerformanceForm
from ..read import Line, Source
from .text import PART_HEADING, compact

_TITLE = re.compile(
    r"(整体|项目).{0,40}?(绩效自评表|自评表|绩效目标(申报)?表)$|^(整体支出|项目支出)绩效目标(申报)?表"
)
_TITLE_HEADING = re.compile(r"(整体支出|项目支出|整体)自评结果")
_BUDGET_BLOCK = re.compile(r"预算数[（(]A[)）]|当年金额|项目当年预算|单位整体支出资金|预算数[\d,.]*全年执行数")
_FOOTER = re.compile(r"^[-—\s\d第页/]+$")  # a page number between a title and its table
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十]+[)）]|\d+[.、])")


@dataclass(slots=True)
class Region:
    kind: str  # 整体 / 项目
    stage: str  # 自评 / 目标
    title: str
    lines: list[Line]  # every line of the form, title first


def find_forms(source: Source, doc: Disclosure) -> list[PerformanceForm]:
    from .performance_md import parse_md_form
    from .performance_text import parse_text_form

    forms: list[PerformanceForm] = []
    # a statutory table's title ends a form's region: in a PDF no heading does (a list of tables before
    # the tables would otherwise run, as a form's region, over every table up to the forms)
    stops = {(t.location.page, t.location.line) for t in doc.tables if t.location.line is not None}
    for region in find_regions(source.lines(), budget=doc.identity.kind == "预算", stops=stops):
        markdown = any(ln.cells for ln in region.lines[1:])
        parse = parse_md_form if markdown else parse_text_form
        form = parse(region, source.path)
        if form is not None:
            forms.append(form)
    return with_boxes(forms, source.lines())


def with_boxes(forms: list[PerformanceForm], lines: list[Line]) -> list[PerformanceForm]:
    """Give each form's and indicator's location the box of its source line (PDF; text has none)."""
    # only the pages the forms are on (a line elsewhere boxes nothing)
    pages = {loc.page for form in forms for loc in (form.location, *(i.location for i in form.indicators))}
    by_line = {(ln.page, ln.number): ln.bbox for ln in lines if ln.page in pages and ln.bbox is not None}
    if not by_line:
        return forms

    def boxed(loc: Location) -> Location:
        box = by_line.get((loc.page, loc.line))  # type: ignore[arg-type]
        return loc.at(bbox=box) if box is not None and loc.bbox is None else loc

    for form in forms:
        form.location = boxed(form.location)
        for ind in form.indicators:
            ind.location = boxed(ind.location)
    return forms


def find_regions(
    lines: list[Line], budget: bool = False, stops: set[tuple[int | None, int | None]] | None = None
) -> list[Region]:
    """The regions of the forms in document order; a region also ends at a line in ``stops``
    ((page, line) of the statutory tables' titles)."""
    titles: list[tuple[int, str]] = []  # (index in lines, title text)
    prev_text = ""
    prev_idx = -1
    for i, ln in enumerate(lines):
        c = compact(ln.text)
        if not c:
            continue
        title = _title_at(c, prev_text, lambda ln=ln, i=i: bool(ln.heading) or _table_follows(lines, i)
                          or _form_follows(lines, i))
        if title is None and prev_idx >= 0 and len(prev_text) < 60 and len(c) <= 3:
            # “…整体绩效自评” / “表”: a title wrapped before its last character
            joined = prev_text + c
            if _TITLE.search(joined) and not _TITLE.search(prev_text):
                titles.append((prev_idx, _clean_title(joined)))
                prev_text, prev_idx = c, i
                continue
        if title is not None:
            titles.append((i, title))
        prev_text, prev_idx = c, i
    regions: list[Region] = []
    for n, (start, title) in enumerate(titles):
        stop = titles[n + 1][0] if n + 1 < len(titles) else len(lines)
        end = start + 1
        while end < stop:
            ln = lines[end]
            if ln.heading or PART_HEADING.match(compact(ln.text)) or (stops and (ln.page, ln.number) in stops):
                break
            end += 1
        body = lines[start:end]
        joined = compact("".join(ln.text for ln in body))
        if not _BUDGET_BLOCK.search(joined) and not any(
            ln.cells and any(compact(c) in ("预算数", "预算数(A)", "预算数（A）") for c in ln.cells)
            for ln in body
        ):
            continue
        kind = "整体" if "整体" in title else "项目"
        stage = (
            "目标"
            if ("目标" in title and "自评" not in title) or (budget and "自评" not in title)
            else "自评"
        )
        regions.append(Region(kind=kind, stage=stage, title=title, lines=body))
    return regions


_FORM_HEAD = re.compile(r"^(?:单位负责人|项目名称|主管部门|单位整体支出资金|预算执行情况|预算数[（(]A)")
_FORM_HEAD_LINES = 6


def _form_follows(lines: list[Line], i: int) -> bool:
    """A form's own labels (单位负责人, 项目名称, 预算执行情况 …) begin one of the next few lines: a heading
    above a form written as text (its markdown heading marks and cells gone)."""
    seen = 0
    for ln in lines[i + 1:]:
        c = compact(ln.text)
        if not c:
            continue
        if _FORM_HEAD.match(c):
            return True
        seen += 1
        if seen >= _FORM_HEAD_LINES:
            return False
    return False


def titles_a_form(text: str) -> bool:
    """The line is worded as a form's title (“…整体绩效自评表”, “项目支出绩效目标表”, “整体支出自评结果”)."""
    c = compact(text)
    return len(c) <= 80 and bool(_TITLE.search(c) or _TITLE_HEADING.search(c))


def _table_follows(lines: list[Line], i: int) -> bool:
    """The next non-empty line after ``i`` is a table row with cells (a PDF grid, markdown, xlsx)."""
    for ln in lines[i + 1 : i + 5]:
        if ln.text.strip() and not _FOOTER.match(ln.text):
            return bool(ln.cells) and len([c for c in ln.cells if c.strip()]) > 1
    return False


def _title_at(c: str, prev: str, heading: Callable[[], bool]) -> str | None:
    """The form title ``c`` is (with the line before it when wrapped), or None; ``heading``: whether
    the line is a heading or a table follows it (asked only of a line worded as a title heading)."""
    if len(c) > 80:
        return None
    if "表" in c and _TITLE.search(c):  # (every title the pattern reads ends with, or holds, 表)
        title = c
        # a title wrapped over two lines: “2023年度…武汉经济技术开发区” / “（汉南区）…整体绩效自评表”
        if (
            prev
            and len(prev) < 60
            and not re.search(r"[。；：:]$", prev)
            and not PART_HEADING.match(prev)
            and not _TITLE.search(prev)
            and "附件" not in prev
            and not re.search(r"\d$", prev)
            and not _FOOTER.match(prev)  # a page number (“-20-”) printed above the title
            and not prev.startswith(("表", "#"))
            and "填报" not in prev
        ):
            title = prev + c
        return _clean_title(title)
    if "自评结果" in c and _TITLE_HEADING.search(c) and heading():
        return _clean_title(c)
    return None


_NUMBER_SUFFIX = re.compile(r"[（(](?:公开)?表?\s*\d+(?:[-－]\d+)?表?[)）]$")  # “（表11）”, “（公开01表）”


def _clean_title(t: str) -> str:
    return _NUMBER_SUFFIX.sub("", _ORDINAL.sub("", t.lstrip("#")).strip()).strip()


__all__ = ["Region", "find_forms", "find_regions", "titles_a_form"]
