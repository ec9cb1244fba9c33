"""Completeness: the statutory tables, what the 目录 promises, empty tables' statements, sections."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...data import catalog
from ...model import Disclosure, Location, Table
from ..findings import Finding
from ..rule import Rule
from ..util import table_name

REQUIRED = {
    "决算": ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"],
    "预算": ["B1", "B2", "B3", "B4", "B5_1", "B6", "B7", "B8", "B9"],
}
PERFORMANCE_KEYS = {"B11": "整体", "B12": "项目"}


def _present(doc: Disclosure, key: str) -> bool:
    if key in PERFORMANCE_KEYS:
        return any(f.kind == PERFORMANCE_KEYS[key] for f in doc.performance) or doc.table(key) is not None
    return doc.table(key) is not None


def _title(key: str) -> str:
    return catalog()["by_key"][key]["title"]


class PromisedTables(Rule):
    """Every table the document's own 目录 lists is printed (primer §3, §9).

    Bad:  目录 lists ``表 2. 单位收入总表`` and the tables part has no 收入总表 (seed 002).
    Good: every listed table appears with its title.
    """

    id = "CMP001"
    name = "promised-tables"
    category = "completeness"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        reported: set[str] = set()
        for entry in doc.toc:
            key = entry.table_key
            if not key or key in reported or _present(doc, key):
                continue
            reported.add(key)
            yield self.finding(
                f"目录列出了《{entry.title}》（{_title(key)}），但文件中没有这张表",
                entry.location.at(file=entry.location.file or doc.source, table=key),
                expected=_title(key),
                actual="缺失",
            )


class StatutoryTables(Rule):
    """Every statutory table of the disclosure set is printed, even when empty (primer §2, §3).

    A 决算 has nine tables (收入支出决算总表 … 三公经费支出决算表); a 预算 at least 收支总表, 收入总表,
    支出总表, 财政拨款收支总表, 一般公共预算支出表, 基本支出表, 三公, 政府性基金, 国有资本经营. A table the
    目录 promises is reported by CMP001 instead.

    Bad:  a 决算 without 政府性基金预算财政拨款收入支出决算表 (“no such money” is no excuse).
    Good: the table printed empty, with “本单位当年无政府性基金预算财政拨款收入支出”.
    """

    id = "CMP002"
    name = "statutory-tables"
    category = "completeness"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        kind = doc.identity.kind
        if kind not in REQUIRED or not doc.tables:
            return
        promised = {e.table_key for e in doc.toc if e.table_key}
        for key in REQUIRED[kind]:
            if _present(doc, key) or key in promised:
                continue
            if key == "B5_1" and doc.table("B5_2"):
                continue
            yield self.finding(
                f"缺少法定公开表《{_title(key)}》（无数据时也应公开空表并说明）",
                Location(file=doc.source, table=key),
                expected=_title(key),
                actual="缺失",
            )


_NONE_WORDS = re.compile(r"(无|没有|未(发生|安排|使用)|为零|为0|为空)")


def _empty(t: Table) -> bool:
    return all(c.value in (None, 0) for r in t.rows for c in r.cells)


class EmptyTableStatement(Rule):
    """An empty table carries a statement saying why (primer §2: “说明：…当年无…”).

    Bad:  the 国有资本经营预算财政拨款支出决算表 printed with blank rows and nothing below it.
    Good: ``备注：本单位当年无国有资本经营预算财政拨款支出。``
    When only the narrative says so, it is a warning (the statement belongs under the table).
    """

    id = "CMP003"
    name = "empty-table-statement"
    category = "completeness"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        for t in doc.tables:
            if not (t.empty or _empty(t)) or t.key in PERFORMANCE_KEYS:
                continue
            if t.statement and _NONE_WORDS.search(t.statement):
                continue
            subject = catalog()["by_key"].get(t.key, {}).get("empty_subject")
            narrative = False
            if subject:
                said = re.compile(r"(无|没有)[^，。；]{0,8}" + re.escape(subject))
                narrative = any(said.search(ln.text.replace(" ", "")) for ln in doc.lines() if len(ln.text) < 200)
            yield self.finding(
                f"{table_name(t)}为空表，表下没有说明（如“本单位当年无……”）"
                + ("；情况说明中有说明，但表下也应注明" if narrative else ""),
                t.location.at(file=t.location.file or doc.source, table=t.key),
                severity="warning" if narrative else "error",
                expected="空表说明",
                actual="无",
            )


_HEADING = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]")

NARRATIVE_TOPICS = {
    "决算": [
        ("收入支出决算总体情况", r"收入支出决算总体|收支决算总体|总体情况"),
        ("收入决算情况", r"收入决算"),
        ("支出决算情况", r"支出决算情况|支出决算说明|支出决算$"),
        ("财政拨款收入支出决算总体情况", r"财政拨款收入支出决算总体|财政拨款收支"),
        ("一般公共预算财政拨款支出决算情况", r"一般公共预算财政拨款支出"),
        ("一般公共预算财政拨款基本支出决算情况", r"基本支出"),
        ("“三公”经费支出决算情况", r"三公"),
        ("政府性基金预算财政拨款收入支出决算情况", r"政府性基金"),
        ("国有资本经营预算财政拨款支出决算情况", r"国有资本经营"),
        ("机关运行经费", r"机关运行经费|运行经费"),
        ("政府采购", r"政府采购"),
        ("国有资产占用", r"国有资产"),
        ("预算绩效", r"绩效"),
    ],
    "预算": [
        ("收支预算总体情况", r"总体"),
        ("收入预算情况", r"收入预算"),
        ("支出预算情况", r"支出预算"),
        ("一般公共预算支出情况", r"一般公共预算(拨款|支出)"),
        ("“三公”经费支出情况", r"三公"),
        ("政府性基金预算支出情况", r"政府性基金"),
        ("国有资本经营预算支出情况", r"国有资本经营"),
    ],
}


class NarrativeSections(Rule):
    """The 情况说明 covers every mandatory topic (primer §1: sections 一 … 十三 of a 决算).

    Bad:  a 决算 whose 情况说明 has no section on 政府采购 at all.
    Good: ``十一、政府采购支出说明`` present (a sentence saying there was none is enough).
    Titles vary by region, so this is a warning.
    """

    id = "CMP004"
    name = "narrative-sections"
    category = "completeness"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        topics = NARRATIVE_TOPICS.get(doc.identity.kind or "")
        if not topics or not doc.tables:
            return
        titles = [s.title for s in doc.sections if s.level >= 2]
        if len(titles) < 3:
            return  # the narrative was not recognised as numbered sections: nothing sure to say
        start = next(
            ((s.location.page or 0, s.location.line or 0) for s in doc.sections
             if s.level == 1 and re.search("说明|情况", s.title)), None,
        )
        if start is None:
            return
        heads = [
            t for ln in doc.lines()
            if (ln.page, ln.number) > start and 0 < len(t := ln.text.replace(" ", "")) < 40
            and (_HEADING.match(t) or ln.heading)
        ]
        for name, pattern in topics:
            if any(re.search(pattern, t) for t in titles):
                continue
            if any(re.search(pattern, t) for t in heads):
                continue  # under a heading of another form (（十一）…, bold, unnumbered)
            yield self.finding(
                f"情况说明中没有“{name}”部分",
                Location(file=doc.source),
                expected=name,
                actual="缺失",
            )
