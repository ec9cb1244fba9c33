"""Completeness: the statutory tables, what the 目录 promises, empty tables' statements, sections."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from ...data import catalog
from ...model import Disclosure, Location, Table, TocEntry
from ...recognise.text import compact
from ..findings import Finding
from ..rule import Rule
from ..util import table_name


def required(kind: str | None) -> list[str]:
    """The statutory tables of a disclosure of ``kind`` (the catalog's set, or the set of the region's
    layout the document is read with)."""
    return list(catalog().get("statutory", {}).get(kind or "", []))


PERFORMANCE_KEYS = {"B11": "整体", "B12": "项目"}


def _present(doc: Disclosure, key: str) -> bool:
    if key in PERFORMANCE_KEYS:
        return any(f.kind == PERFORMANCE_KEYS[key] for f in doc.performance) or doc.table(key) is not None
    return doc.table(key) is not None


def _title(key: str) -> str:
    return catalog()["by_key"][key]["title"]


class PromisedTables(Rule):
    """Every table the document's own 目录 lists is printed (primer §3, §9).

    A file holding the narrative only — no table at all — may be one part of a disclosure published as
    two files (primer §3.3: Jiangsu's 情况说明 and 公开表), its tables in the other: that is said once, as
    a warning naming the tables the 目录 lists, not as one error per table. (``budgetdoc check`` looks for
    the other part in the file's folder and checks the two as one document.)

    Bad:  目录 lists ``表 2. 单位收入总表`` and the tables part has no 收入总表 (seed 002).
    Good: every listed table appears with its title.
    """

    id = "CMP001"
    name = "promised-tables"
    category = "completeness"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        if not doc.tables:
            yield from self._elsewhere(doc)
            return
        reported: set[str] = set()
        for entry in doc.toc:
            key = entry.table_key
            if not key or key in reported or _present(doc, key):
                continue
            reported.add(key)
            yield self.finding(
                f"目录列出了《{entry.title}》"
                + ("" if compact(entry.title).endswith(compact(_title(key))) else f"（{_title(key)}）")
                + "，但文件中没有这张表",
                entry.location.at(file=entry.location.file or doc.source, table=key),
                expected=_title(key),
                actual="缺失",
            )

    def _elsewhere(self, doc: Disclosure) -> Iterator[Finding]:
        """A narrative without any table: one warning naming the tables its 目录 lists."""
        entries = {e.table_key: e for e in reversed(doc.toc) if e.table_key and not _present(doc, e.table_key)}
        listed = [entries[k] for k in dict.fromkeys(e.table_key for e in doc.toc) if k in entries]
        if not listed:
            return
        names = "、".join(f"《{e.title}》" for e in listed)
        yield self.finding(
            f"目录列出的 {len(listed)} 张公开表不在本文件中：{names}。本文件只有情况说明；公开表若另成一个文件"
            "发布，请与本文件一起检查（或放在同一文件夹中）",
            listed[0].location.at(file=listed[0].location.file or doc.source),
            severity="warning",
            expected=f"{len(listed)}张表",
            actual="不在本文件中",
        )


class StatutoryTables(Rule):
    """Every statutory table of the disclosure set is printed, even when empty (primer §2, §3).

    A 决算 has nine tables (收入支出决算总表 … 三公经费支出决算表); a 预算 at least 收支总表, 收入总表,
    支出总表, 财政拨款收支总表, 一般公共预算支出表, 基本支出表, 三公, 政府性基金, 国有资本经营. A table the
    目录 promises is reported by CMP001 instead.

    A file without any table is said once, as a warning (it may be the narrative part of a disclosure
    published as two files, or its tables were lost in conversion); when its 目录 lists the tables, CMP001
    says so instead.

    Bad:  a 决算 without 政府性基金预算财政拨款收入支出决算表 (“no such money” is no excuse).
    Good: the table printed empty, with “本单位当年无政府性基金预算财政拨款收入支出”.
    """

    id = "CMP002"
    name = "statutory-tables"
    category = "completeness"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        kind = doc.identity.kind
        statutory = required(kind)
        if not statutory:
            return
        promised = {e.table_key for e in doc.toc if e.table_key}
        if not doc.tables:
            # a narrative without any table (one part of two files, an excerpt, the tables lost in
            # conversion): said once, here or (the 目录 listing the tables) by CMP001
            if not promised:
                yield self.finding(
                    f"文件中没有任何公开表（{kind}公开应包括{len(statutory)}张法定表格），只能检查情况说明；"
                    "公开表若另成一个文件发布，请与本文件一起检查",
                    Location(file=doc.source), severity="warning", expected=f"{len(statutory)}张表", actual="0张",
                )
            return
        for key in statutory:
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


def _zero_stated(doc: Disclosure, key: str) -> bool:
    """The narrative states an amount of this table as zero (“政府性基金拨款支出预算为0”, “…0.00万元”)."""
    return any(
        ref.split(":", 1)[0] == key and s.values.get(role) == 0
        for s in doc.narrative for role, ref in s.refs.items()
    )


class EmptyTableStatement(Rule):
    """An empty table carries a statement saying why (primer §2: “说明：…当年无…”).

    Bad:  the 国有资本经营预算财政拨款支出决算表 printed with blank rows and nothing below it.
    Good: ``备注：本单位当年无国有资本经营预算财政拨款支出。``
    When only the narrative says so (“当年无……”, or an amount of the table stated as 0: “政府性基金拨款支出
    预算为0”), it is a warning (the statement belongs under the table), for 预算 and 决算 alike; so it is
    for a file of tables only (one part of a disclosure published as two files), whose narrative may say so.
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
            narrative = _zero_stated(doc, t.key)
            if subject and not narrative:
                said = re.compile(r"(无|没有)[^，。；]{0,8}" + re.escape(subject))
                narrative = any(said.search(ln.text.replace(" ", "")) for ln in doc.lines() if len(ln.text) < 200)
                narrative = narrative or _said_in_section(doc, subject)
            elsewhere = not narrative and doc.holds == "tables"
            yield self.finding(
                f"{table_name(t)}为空表，表下没有说明（如“本单位当年无……”）"
                + ("；情况说明中有说明，但表下也应注明" if narrative else "")
                + ("；本文件只有公开表，情况说明中是否说明无从核对" if elsewhere else ""),
                t.location.at(file=t.location.file or doc.source, table=t.key),
                severity="warning" if narrative or elsewhere else "error",
                expected="空表说明",
                actual="无",
            )


_NONE_HERE = re.compile(r"(?:本部门|本单位)?(?:无此项|无相关|没有此项|无该项)")


def _said_in_section(doc: Disclosure, subject: str) -> bool:
    """The narrative's section on the table's subject (``十、政府性基金预算支出预算情况说明``) says there is
    no such money (“主要原因是本部门无此项支出”)."""
    lines = doc.lines()
    for i, ln in enumerate(lines):
        t = ln.text.replace(" ", "")
        if len(t) < 40 and subject in t and _HEADING.match(t):
            for x in lines[i + 1 : i + 8]:
                xt = x.text.replace(" ", "")
                if _HEADING.match(xt) and len(xt) < 40:
                    break
                if _NONE_HERE.search(xt):
                    return True
    return False


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
        ("收支预算总体情况", r"总体|收入预算.*支出预算|收支预算|收支总预算"),
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
        layout = catalog().get("layout") or {}
        topics = layout.get("topics") if layout.get("kind") == doc.identity.kind and layout.get("topics") \
            else NARRATIVE_TOPICS.get(doc.identity.kind or "")
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
        after = [ln for ln in doc.lines() if (ln.page, ln.number) > start]
        heads = [
            t for ln in after
            if 0 < len(t := ln.text.replace(" ", "")) < 40 and (_HEADING.match(t) or ln.heading)
        ]
        if doc.identity.kind == "预算":
            # a 预算编制说明 is often prose without a heading per topic: a topic it discusses is covered
            heads += [ln.text.replace(" ", "") for ln in after]
        for name, pattern in topics:
            rx = re.compile(pattern)
            if any(rx.search(t) for t in titles):
                continue
            if any(rx.search(t) for t in heads):
                continue  # under a heading of another form (（十一）…, bold, unnumbered)
            yield self.finding(
                f"情况说明中没有“{name}”部分",
                Location(file=doc.source),
                expected=name,
                actual="缺失",
            )


_TOC_ORDINAL = re.compile(r"^[（(]?([一二三四五六七八九十]+)[)）]?[、.．]?")


def _toc_targets(doc: Disclosure) -> list[tuple[TocEntry, int, Location]]:
    """(目录 entry, where it really starts) for the entries with a printed page: a table by its key, a
    part by its number, a numbered section by its number and title inside the part the 目录 lists it
    under. Entries whose target is not found are left out."""
    parts = [s for s in doc.sections if s.level == 1]
    out: list[tuple[TocEntry, int, Location]] = []
    part = None  # the part heading (Section) the current 目录 entries belong to
    for entry in doc.toc:
        if entry.number and entry.number.startswith("第") and entry.number.endswith("部分"):
            part = next((s for s in parts if s.number == entry.number), None)
            if entry.page is not None and part is not None:
                out.append((entry, entry.page, part.location))
            continue
        if entry.page is None:
            continue
        if entry.table_key:
            t = doc.table(entry.table_key)
            if t is not None:
                out.append((entry, entry.page, t.location))
            continue
        m = _TOC_ORDINAL.match(entry.title)
        if not m or part is None:
            continue
        title = entry.title[m.end():].replace(" ", "")
        start = (part.location.page or 0, part.location.line or 0)
        after = [p for p in parts if (p.location.page or 0, p.location.line or 0) > start]
        end = min(((p.location.page or 0, p.location.line or 0) for p in after), default=(1 << 30, 0))
        for s in doc.sections:
            at = (s.location.page or 0, s.location.line or 0)
            if s.level == 2 and start < at < end and s.number == m.group(1) and s.title.replace(" ", "") == title:
                out.append((entry, entry.page, s.location))
                break
    return out


class TocPages(Rule):
    """The page numbers the 目录 prints are where the tables and parts really start (issue #3).

    Documents often number pages from the first page after the cover (or after the 目录), so the
    printed numbers may differ from the file's page numbers by a constant offset: the offset most
    entries share is taken as the document's, and only entries that disagree with it are reported
    (at least three entries with pages, the offset shared by more than half of them).

    Bad:  ``四、财政拨款收入支出决算总表……8`` while the table starts on page 10 and the other entries
          are printed one less than their page (``一、收入支出决算总表……4`` for page 5).
    Good: every entry's printed page plus the document's offset is the page where it starts.
    """

    id = "CMP005"
    name = "toc-pages"
    category = "completeness"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        targets = [(e, printed, loc, loc.page) for e, printed, loc in _toc_targets(doc) if loc.page is not None]
        if len(targets) < 3 or len({page for *_, page in targets}) < 2:
            return  # too few entries to tell, or no page information (text without page breaks)
        offsets = Counter(page - printed for _, printed, _, page in targets)
        offset, votes = offsets.most_common(1)[0]
        if votes * 2 <= len(targets) or votes < 2:
            return  # no offset shared by most entries: nothing sure to say
        for e, printed, loc, page in targets:
            if page - printed == offset:
                continue
            expected = page - offset
            basis = f"（其余条目的页码与文件页码相差 {offset} 页）" if offset else ""
            yield self.finding(
                f"目录中“{e.title}”标注的页码为第 {printed} 页，但它实际从文件第 {page} 页开始，"
                f"应标为第 {expected} 页{basis}",
                e.location.at(file=e.location.file or doc.source, table=e.table_key),
                expected=str(expected),
                actual=str(printed),
                related=[loc.at(file=loc.file or doc.source)],
            )
