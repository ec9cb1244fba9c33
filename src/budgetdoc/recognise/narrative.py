"""Narrative statements: the facts the 情况说明 states, as data.

The narrative part (第三部分 …情况说明) runs to the next part (重点工作, 名词解释, 附件). Its lines are joined
into blocks (one per paragraph or enumerated item, wrapped lines glued back together, see
:mod:`.narrative_text`); numbered sections (一、…) and subsections ((一)…) give each statement its context;
table rows and performance forms inside the part (converter output) are skipped. Sentences become
statements in :mod:`.narrative_parse`; this module adds the statements that span sentences: parts whose
whole and items are stated apart (基本支出 = 人员经费 + 公用经费, 三公 = 出国 + 用车 + 接待), the items of an
execution section adding up to its total, and procurement.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from ..model import Disclosure, Location, Statement
from ..read import Line, Source
from .narrative_parse import Context, Record, parse_block, procurement
from .narrative_text import Block, numbers
from .text import PART_HEADING, compact

_SECTION = re.compile(r"^[一二三四五六七八九十]{1,3}[、.．]")
_SUBSECTION = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[)）]")
_ITEM = re.compile(r"^(?:\d{1,2}[.、．](?!\d)|[（(]\d{1,2}[)）])")
_CAPTION = re.compile(r"^图\s*\d")
# a printed page number (footer or header): a paragraph broken by a page goes on after it
_PAGE_NUMBER = re.compile(r"^(?:[-—–]?\d{1,4}[-—–]?|第\d{1,4}页(?:共\d{1,4}页)?|\d{1,4}/\d{1,4})$")
_NOT_NARRATIVE = ("名词解释", "附件", "重点工作", "概况", "决算表", "预算表")

# wholes stated apart from their parts, within one numbered section
_PAIRS: list[tuple[str, tuple[str, ...]]] = [
    ("基本支出", ("人员经费", "公用经费")),
    ("一般公共预算财政拨款基本支出", ("人员经费", "公用经费")),
    ("人员经费", ("工资福利支出", "对个人和家庭的补助")),
    ("三公经费", ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费")),
    ("公务用车购置及运行维护费", ("公务用车购置费", "公务用车运行维护费")),
]


def _is_narrative_heading(lines: list[Line], i: int) -> bool:
    head = "".join(compact(ln.text) for ln in lines[i:i + 3])
    if not PART_HEADING.match(head):
        return False
    first = compact(lines[i].text)
    if any(w in first for w in _NOT_NARRATIVE):
        return False
    return "情况说明" in head[:80]


def narrative_lines(source: Source, doc: Disclosure | None = None) -> list[Line]:
    """The lines of the narrative part (without its heading), or [] when there is none."""
    lines = [ln for ln in source.lines() if ln.text and not ln.text.isspace()]
    starts = {s.location.line for s in (doc.sections if doc else []) if s.level == 1}
    part_at = [i for i, ln in enumerate(lines) if "部分" in ln.text and PART_HEADING.match(compact(ln.text))
               and (not starts or ln.number in starts)]
    for k, i in enumerate(part_at):
        if _is_narrative_heading(lines, i):
            end = part_at[k + 1] if k + 1 < len(part_at) else len(lines)
            return lines[i + 1:end]
    return []


# The Shanghai budget (primer §3.1) has no 第X部分 headings: its narrative is the 预算编制说明, the
# 其他相关情况说明 and the 项目经费情况说明 (one per project), each a centred heading that text extractors may
# glue to the end of the line before it (“…购房补贴。2026年部门财务收支预算总表”); each runs to the next table
# title, performance form or part heading.
_GLUED = r"(?:^|(?<=[。；;\d）)]))"
_BUDGET_START = re.compile(
    _GLUED + r"(?P<h>(?:20\d\d年度?)?(?:部门|单位)预算编制说明|其他相关情况说明|[^。，；：、\d“”…]{2,30}?经费情况说明)$"
)
_BUDGET_END = re.compile(
    r"(?P<h>绩效目标(?:申报)?表)$|" + _GLUED + r"(?P<t>(?:20\d\d年度?)?(?:部门|预算单位|单位)[^。，；：]{0,40}?表"
    r"|[^。，；：]{0,30}(?:主要职能|机构设置)|名词解释)$"
)
_TOC_START = re.compile(r"[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[.．、]\s*20\d\d年")
# what the two patterns above can end with: a line ending otherwise is neither (one test of its end
# instead of trying each pattern at every position of every line)
_START_ENDS = "说明"
_END_ENDS = ("表", "主要职能", "机构设置", "名词解释")


def _toc_line(text: str) -> bool:
    return "…" in text or "...." in text or bool(_TOC_START.match(text))


def budget_parts(source: Source) -> list[tuple[str, list[Line]]]:
    """The narrative parts of a budget without 第X部分 headings: (heading, its lines), in order."""
    out: list[tuple[str, list[Line]]] = []
    cur: list[Line] | None = None
    for ln in source.lines():
        text = compact(ln.text)
        if not text:
            continue
        toc = _toc_line(text)
        start = None if toc or not text.endswith(_START_ENDS) else _BUDGET_START.search(text)
        end = _BUDGET_END.search(text) if text.endswith(_END_ENDS) else None
        cut = start or end
        if cut is None:
            if cur is not None:
                cur.append(ln)
            continue
        if cur is not None and cut.start() > 0:
            cur.append(replace(ln, text=text[:cut.start()]))
        if start is not None:
            cur = []
            out.append((start.group("h"), cur))
        elif cur is not None:
            cur = None
    return [(h, lines) for h, lines in out if lines]


def _is_heading(ln: Line, text: str, pattern: re.Pattern) -> bool:
    if not pattern.match(text) or len(text) > 44:
        return False
    return not any(t.is_money or t.is_percent for t in numbers(text))


def blocks(lines: list[Line], part: str = "") -> list[Block]:
    """Blocks of joined text with their section and subsection titles (``part``: the heading of the
    narrative part they are in, where a document has several)."""
    out: list[Block] = []
    cur: Block | None = None
    section, subsection = part, ""
    for ln in lines:
        text = compact(ln.text)
        if ln.cells is not None and sum(1 for c in ln.cells if c.strip()) >= 2:
            cur = None  # a table row or performance form inside the part
            continue
        if _CAPTION.match(text):
            cur = None
            continue
        if _PAGE_NUMBER.match(text):
            continue
        if _is_heading(ln, text, _SECTION):
            section, subsection, cur = text, "", None
            continue
        if _is_heading(ln, text, _SUBSECTION):
            subsection, cur = text, None
            continue
        if ln.heading:
            cur = None
            if not any(t.is_money or t.is_percent for t in numbers(text)):
                continue
        if cur is None or _ITEM.match(text):
            cur = Block(section=section, subsection=subsection, part=part)
            out.append(cur)
        cur.add(text, ln.number, ln.page)
    return out


def find_statements(source: Source, doc: Disclosure) -> list[Statement]:
    budget = doc.identity.kind == "预算"
    lines = narrative_lines(source, doc)
    bs = blocks(lines)
    if not lines and budget:
        for heading, part_lines in budget_parts(source):
            bs.extend(blocks(part_lines, part=heading))
            lines.extend(part_lines)
    if not lines:
        return []
    ctx = Context(doc=doc, file=source.path, budget_doc=budget)
    out = with_boxes(statements_from_blocks(bs, ctx), lines)
    doc.diagnostics.extend(ctx.doubts)
    return out


_WORD_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


def with_boxes(statements: list[Statement], lines: list[Line]) -> list[Statement]:
    """Give each statement the box of its source line (PDF): the box of the word printing its first
    value on that line, else the line's box. Text input has no boxes and is left as it is."""
    # only the pages the statements are on (a line elsewhere boxes nothing)
    pages = {st.location.page for st in statements}
    by_line = {(ln.page, ln.number): ln for ln in lines if ln.page in pages and ln.bbox is not None}
    if not by_line:
        return statements
    printed: dict[tuple[int, int], list] = {}  # the numbers of each word of a line, found once per line
    for st in statements:
        loc = st.location
        key = (loc.page, loc.line)
        ln = by_line.get(key)  # type: ignore[arg-type]
        if ln is None or loc.bbox is not None:
            continue
        if key not in printed:
            printed[key] = [None] * len(ln.words or [])  # type: ignore[index]
        st.location = loc.at(bbox=_value_box(st, ln, printed[key]) or ln.bbox)  # type: ignore[index]
    return statements


def _value_box(
    st: Statement, ln: Line, printed: list[set[Decimal] | None] | None = None
) -> tuple[float, float, float, float] | None:
    """The box of the first word of the line printing the statement's first value found there.
    ``printed[i]``: the numbers word i prints, found when first needed (None: not yet)."""
    words = ln.words or []
    if printed is None:
        printed = [None] * len(words)
    for value in st.values.values():
        for i, w in enumerate(words):
            numbers_in = printed[i]
            if numbers_in is None:
                numbers_in = printed[i] = {Decimal(n.replace(",", "")) for n in _WORD_NUMBER.findall(w.text)}
            if value in numbers_in:
                return w.bbox
    return None


def statements_from_blocks(bs: list[Block], ctx: Context) -> list[Statement]:
    last_section = last_sub = None
    for bi, b in enumerate(bs):
        if b.section != last_section:
            _close_section(ctx)
            ctx.section += 1
            ctx.section_title = b.section
            ctx.wholes = []
            last_section, last_sub = b.section, None
        if b.subsection != last_sub:
            ctx.subsection += 1
            ctx.subsection_title = b.subsection
            last_sub = b.subsection
        parse_block(b, bi, ctx)
    _close_section(ctx)
    _execution_items(ctx)
    _pairs(ctx)
    _change_pairs(ctx)
    out = [r.stmt for r in ctx.records]
    out.sort(key=lambda s: (s.location.page or 0, s.location.line or 0))
    return out


def _close_section(ctx: Context) -> None:
    if ctx.procurement:
        for st in procurement(ctx):
            ctx.add(st)
        ctx.procurement = {}


def _value(s: Statement) -> Decimal | None:
    if s.kind == "amount":
        return s.values.get("amount")
    if s.kind == "execution":
        return s.values.get("actual")
    return None


def _pairs(ctx: Context) -> None:
    """Parts stated in other sentences than their whole (基本支出 … 人员经费 … 公用经费 …)."""
    records = ctx.records
    for whole_name, part_names in _PAIRS:
        for i, r in enumerate(records):
            if r.stmt.subject != whole_name or _value(r.stmt) is None:
                continue
            found: dict[str, Decimal] = {}
            lines = [r.stmt.location.line]
            for q in records[i + 1:]:
                if q.section != r.section:
                    break
                if q.stmt.subject == whole_name and _value(q.stmt) is not None:
                    break
                if q.stmt.subject in part_names and q.stmt.subject not in found and _value(q.stmt) is not None:
                    found[q.stmt.subject] = _value(q.stmt)  # type: ignore[assignment]
                    lines.append(q.stmt.location.line)
            if len(found) != len(part_names):
                continue
            # a generic 其中 statement about the same whole is replaced by this complete one
            ctx.records = records = [q for q in records if not (q.stmt.kind == "parts" and q.key == r.key)]
            values = {"whole": _value(r.stmt)}
            words = {"complete": "yes", "lines": ",".join(str(x) for x in dict.fromkeys(lines))}
            for j, name in enumerate(part_names, 1):
                values[f"part{j}"] = found[name]
                words[f"part{j}"] = name
            records.append(Record(Statement(kind="parts", subject=whole_name, values=values, words=words,
                                             section=r.stmt.section, text=r.stmt.text,
                                             location=r.stmt.location), r.section, r.subsection, r.key))


def _signed_change(s: Statement) -> Decimal | None:
    """The change of a budget comparison with its sign (持平: 0), or None when it states none."""
    word = s.words.get("direction", "")
    if word == "持平":
        return Decimal(0)
    if "change" not in s.values:
        return None
    if any(w in word for w in ("增加", "增长", "上升")) and not any(w in word for w in ("减少", "下降", "降低")):
        return s.values["change"]
    if any(w in word for w in ("减少", "下降", "降低")) and not any(w in word for w in ("增加", "增长", "上升")):
        return -s.values["change"]
    return None


def _change_pairs(ctx: Context) -> None:
    """The change of a whole against last year's budget is the sum of its parts' changes (三公经费 +27 =
    出国 持平 + 公务用车 +27 + 接待 持平), when the section states every part's change or 持平."""
    changes = [r for r in ctx.records if r.stmt.kind == "budget_yoy"]
    for whole_name, part_names in _PAIRS:
        for i, r in enumerate(changes):
            whole = _signed_change(r.stmt)
            if r.stmt.subject != whole_name or whole is None:
                continue
            found: dict[str, tuple[Decimal, int | None]] = {}
            for q in changes[i + 1:]:
                if q.section != r.section or q.stmt.subject == whole_name:
                    break
                c = _signed_change(q.stmt)
                if q.stmt.subject in part_names and q.stmt.subject not in found and c is not None:
                    found[q.stmt.subject] = (c, q.stmt.location.line)
            if len(found) != len(part_names):
                continue
            values = {"whole": whole}
            words = {"complete": "yes", "lines": ",".join(str(x) for x in dict.fromkeys(
                [r.stmt.location.line] + [found[n][1] for n in part_names]))}
            for j, name in enumerate(part_names, 1):
                values[f"part{j}"] = found[name][0]
                words[f"part{j}"] = f"{name}变动"
            ctx.records.append(Record(Statement(
                kind="parts", subject=f"{whole_name}比上年变动", values=values, words=words, section=r.stmt.section,
                text=r.stmt.text, location=r.stmt.location), r.section, r.subsection, None))


def _execution_items(ctx: Context) -> None:
    """The execution items of a (sub)section add up to the total it states first (budget and actual)."""
    groups: dict[tuple[int, int], list[Record]] = {}
    for r in ctx.records:
        if r.stmt.kind == "execution":
            groups.setdefault((r.section, r.subsection), []).append(r)
    for recs in groups.values():
        total = recs[0]
        if "class" in total.stmt.words or not {"budget", "actual"} <= set(total.stmt.values):
            continue
        items = [r for r in recs[1:] if "class" in r.stmt.words]
        if len(items) < 2:
            continue
        chosen: list[Record] = []
        for cls in dict.fromkeys(r.stmt.words["class"] for r in items):
            same = [r for r in items if r.stmt.words["class"] == cls]
            deep = [r for r in same if "kuan" in r.stmt.words]
            chosen.extend(deep or same)
        for basis, label in (("budget", "年初预算"), ("actual", "支出决算")):
            if not all(basis in r.stmt.values for r in chosen):
                continue
            values = {"whole": total.stmt.values[basis]}
            words = {"complete": "items", "basis": basis,
                     "lines": ",".join(str(r.stmt.location.line) for r in [total, *chosen])}
            for j, r in enumerate(chosen, 1):
                values[f"part{j}"] = r.stmt.values[basis]
                words[f"part{j}"] = r.stmt.subject
            ctx.records.append(Record(
                Statement(kind="parts", subject=f"{total.stmt.subject}（{label}）", values=values, words=words,
                          section=total.stmt.section, text=total.stmt.text,
                          location=Location(file=total.stmt.location.file, page=total.stmt.location.page,
                                            line=total.stmt.location.line)),
                total.section, total.subsection, None))


__all__ = ["blocks", "budget_parts", "find_statements", "narrative_lines", "statements_from_blocks"]
