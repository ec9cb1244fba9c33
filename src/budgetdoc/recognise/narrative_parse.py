"""Statements from the joined sentences of the narrative (see :mod:`.narrative`).

Each number of a sentence gets a role from the words just before it (its clause): an amount of a subject,
a budget (年初预算为 …), an actual (支出决算为 …), a change (比/与 … 相比 增加 …), a rate of change (增长 …%),
an execution rate (完成年初预算的 …%) or a share (占 …%). The roles of a sentence are then assembled into
statements: amount, share, yoy, execution, parts, procurement, contradiction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..model import Diagnostic, Disclosure, Location, Statement, trusted
from .narrative_subjects import BUDGET_COLUMN, budget_vocabulary, chain, clean, quantity
from .narrative_text import Block, Token, doubt, numbers

_DELIMS = "，。；：,;:"
_TO_DELIM = str.maketrans(dict.fromkeys(_DELIMS, "\x00"))  # every clause delimiter as one character


def _last_delimiter(seg: str) -> int:
    """Where the last clause delimiter of ``seg`` is (-1: none): ``seg.translate(_TO_DELIM).rfind("\x00")``
    (a NUL counts as one), by one search per delimiter instead of translating every character."""
    return max(seg.rfind("，"), seg.rfind("。"), seg.rfind("；"), seg.rfind("："), seg.rfind(","), seg.rfind(";"),
               seg.rfind(":"), seg.rfind("\x00"))
_DONE = re.compile(r"完成(?:了)?(?P<base>年初预算|全年预算|预算)(?:数)?的?$")
_RATE = re.compile(r"(?P<dir>增长|下降|增加|减少|降低|上升)了?$")
_CHANGE = re.compile(r"(?P<dir>(?:增加|减少|增长|下降|降低|上升|节约)+)了?$")
_BUDGET = re.compile(r"(?<!追加)(?P<base>年初预算|全年预算|预算)(?:数)?(?:为|是)$")
_ACTUAL = re.compile(r"(?:支出决算|决算|执行数|实际支出)(?:数)?(?:为|是)?$")
_COMPARE = re.compile(
    r"(?:与|同)(?:20\d\d|上)年度?(?:当年)?(?:决算数?|预算(?:执行)?数?)?相比|(?:比|较)(?:20\d\d年度?|上年度?|上一年度?)"
    r"(?:当年)?(?:决算数?|预算(?:执行)?数?)?|(?:比|较)(?P<budget>年初预算|全年预算|预算)(?:数)?"
)
# “支出决算数小于年初预算数”, “决算数大于预算数”, “决算数同预算数持平” (equal)
_COMPARISON = re.compile(
    r"(?:支出)?决算数?(?:(?P<word>大于|小于|等于|超过|低于|高于|多于|少于)(?:年初|全年)?预算数?"
    r"|(?:同|与|和)(?:年初|全年)?预算数?(?P<flat>持平|相等|相同|一致))"
)
_CONTRADICTION = re.compile(
    r"(?:增加|增长|上升)(?:减少|下降|降低)|(?:减少|下降|降低)(?:增加|增长|上升)|(?:大于|小于|等于)(?:大于|小于|等于)"
)
_WHOLE_MARK = re.compile(r"其中[：:，,]|主要用于以下方面|具体包括|具体情况如下")
_PARTS_MARK = re.compile(r"其中[：:，,]")
_GENERIC = {"", "项目", "支出", "其中", "资金", "经费", "预算", "本年预算", "决算"}
# explicit denominators of a share: (words, canonical, final-account ref, budget ref)
_DENOMINATORS = [
    (re.compile(r"^本年支出(?:合计)?$|^支出合计$"), "支出合计", "T1:本年支出合计@支出:amount",
     "B1:本年支出合计@支出:amount"),
    (re.compile(r"^本年收入(?:合计)?$|^收入合计$"), "收入合计", "T1:本年收入合计@收入:amount",
     "B1:本年收入合计@收入:amount"),
    (re.compile(r"一般公共预算项目支出总额"), "项目支出", "T5:合计:project", "B5_1:合计:project"),
    (re.compile(r"一般公共预算财政拨款支出"), "一般公共预算财政拨款支出", "T5:合计:total", "B5_1:合计:total"),
    (re.compile(r"^[“\"]?三公[”\"]?经费(?:预算)?(?:支出)?(?:总额|合计)?$"), "三公经费", "T9:合计:final_total",
     "B7:合计:total"),
]
_PROCUREMENT = [
    ("total", re.compile(r"政府采购(?:预算)?支出(?:总额|合计)$|政府采购(?:预算)?(?:总额|合计)$")),
    ("goods", re.compile(r"货物(?:类|支出)?$")),
    ("works", re.compile(r"工程(?:类|支出)?$")),
    ("services", re.compile(r"服务(?:类|支出)?$")),
    ("sme", re.compile(r"授予中小企业合同金额$")),
    ("micro", re.compile(r"授予小微企业合同金额$")),
]


@dataclass
class Tok:
    t: Token
    role: str = "other"
    pre: str = ""
    word: str = ""  # direction, base, denominator words
    subject: str = ""
    used: bool = False

    @property
    def value(self) -> Decimal:
        return self.t.wan()


@dataclass
class Record:
    """A statement with where it came from (for the passes that work across sentences)."""

    stmt: Statement
    section: int
    subsection: int
    key: tuple[int, int] | None = None  # (block, offset) of its main number


@dataclass
class Context:
    doc: Disclosure | None
    file: str | None
    budget_doc: bool
    records: list[Record] = field(default_factory=list)
    wholes: list[tuple[Decimal, str, tuple[int, int], int]] = field(default_factory=list)
    section: int = 0
    subsection: int = 0
    section_title: str = ""
    subsection_title: str = ""
    procurement: dict[str, tuple[Decimal, Location, int]] = field(default_factory=dict)
    doubts: list[Diagnostic] = field(default_factory=list)  # sentences not read: a number in doubt

    def add(self, stmt: Statement, key: tuple[int, int] | None = None) -> Statement:
        stmt.section = self.section_title or None
        self.records.append(Record(stmt, self.section, self.subsection, key))
        return stmt

    def latest(self, canonical: str | None = None, ref: str | None = None) -> Statement | None:
        for r in reversed(self.records):
            s = r.stmt
            if s.kind == "amount" and ((canonical and s.subject == canonical) or (ref and s.refs.get("amount") == ref)):
                return s
            if s.kind == "execution" and ref and s.refs.get("actual") == ref:
                return s
        return None


def _loc(ctx: Context, block: Block, offset: int) -> Location:
    return trusted(Location, file=ctx.file, page=block.page_at(offset), line=block.line_at(offset))


def _general(ctx: Context, sentence: str) -> bool:
    """The sentence is about 一般公共预算 money: in such a section, or in the 预算编制说明 of a Shanghai
    budget, whose items are 财政拨款支出 by 项 (the rows of the 一般公共预算支出功能分类预算表)."""
    titles = ctx.section_title + ctx.subsection_title
    return "一般公共预算" in titles or (ctx.budget_doc and "预算编制说明" in titles)


def parse_block(block: Block, bi: int, ctx: Context) -> None:
    """Add the statements of one block to the context."""
    text = block.text
    head_subject = ""
    last_amount: Tok | None = None  # the last amount of the block, for a yoy without subject
    year = ctx.doc.identity.year if ctx.doc is not None else None
    for s0, s1 in block.sentences():
        sent = text[s0:s1]
        toks = [Tok(t) for t in numbers(sent, s0)]
        why = next(((tk, w) for i, tk in enumerate(toks) if (tk.t.is_money or tk.t.is_percent)
                    and (w := doubt(block, tk.t, year, toks[i - 1].t if i else None))), None)
        if why is not None:  # no statement rests on a number read in doubt: said once, not checked
            tk, w = why
            ctx.doubts.append(Diagnostic(
                code="narrative-number",
                message=f"说明中“{sent[:40]}{'…' if len(sent) > 40 else ''}”的数字“{tk.t.text}”{w}，"
                        f"无法确定地读出，该句不核对",
                location=_loc(ctx, block, tk.t.start)))
            continue
        _roles(text, s0, toks, ctx)
        if not any(tk.t.is_money or tk.t.is_percent for tk in toks):
            ch = chain(sent)
            if ch is not None or not head_subject:
                head_subject = clean(re.split(r"[，。；：,;:]", sent)[0])
        for m in _CONTRADICTION.finditer(sent):
            off = s0 + m.start()
            ctx.add(Statement(kind="contradiction", subject=_clause_subject(sent[: m.start()]),
                              words={"words": m.group(0)}, text=sent, location=_loc(ctx, block, off)))
        if not ctx.budget_doc:
            _execution(block, bi, sent, s0, toks, ctx, head_subject)
        if ctx.budget_doc:
            budget_yoy(block, bi, sent, s0, toks, ctx)
            budget_reason(block, bi, sent, s0, ctx)
            if block.part.endswith("经费情况说明"):
                project_budget(block, bi, sent, s0, toks, ctx)
        _yoy(block, bi, sent, s0, toks, ctx, head_subject, last_amount)
        _amounts(block, bi, sent, s0, toks, ctx, head_subject)
        marks = [s0 + m.start() for m in _WHOLE_MARK.finditer(sent)]
        _shares(block, bi, sent, s0, toks, ctx, marks)
        for at in marks:  # 其中 / 主要用于以下方面 after the last share of the sentence
            _push_whole(block, bi, ctx, at)
        _parts(block, bi, sent, s0, toks, ctx)
        for tk in toks:
            if tk.role in ("amount", "actual"):
                last_amount = tk
        if _in_procurement(ctx):
            _procurement(block, toks, ctx)


def _clause_subject(before: str) -> str:
    parts = re.split(r"[，。；：,;:]", before)
    return clean(parts[-1]) if parts else ""


def _roles(text: str, s0: int, toks: list[Tok], ctx: Context) -> None:
    prev_end = s0
    for tk in toks:
        start = tk.t.start
        seg = text[prev_end:start]
        cut = _last_delimiter(seg)
        tk.pre = seg[cut + 1:] if cut >= 0 else seg
        pre = tk.pre
        t = tk.t
        if t.is_money or t.is_percent:
            prev_end = t.end  # a bare number (a year, a count, an ordinal) does not end a clause
        if t.is_percent:
            if m := _DONE.search(pre):
                tk.role, tk.word = "done", m.group("base")
            elif m := _RATE.search(pre):
                tk.role, tk.word = "rate", m.group("dir")
            elif "占" in pre:
                tk.role = "share"
                tk.word = pre[pre.rfind("占") + 1:].removesuffix("的")
            continue
        if not t.is_money:
            continue
        follow = text[t.end:t.end + 6]
        if re.match(r"[（(]?含[)）]?以上|以上|以下", follow) or "单价" in pre:
            continue
        m = _CHANGE.search(pre)
        comp = None
        if m:
            comp = _last_compare(text[s0:start])
        if m and comp is not None:
            tk.word = m.group("dir")
            is_budget = bool(comp.group("budget"))
            tk.role = "xchange" if is_budget and not ctx.budget_doc else "change"
            comp_at = s0 + comp.end() - (start - len(pre))  # where the comparison ends inside pre
            said = pre[max(comp_at, 0): m.start()] if comp_at < m.start() else ""
            if not clean(said) and comp_at > 0:  # “…支出决算数比2020年度增加”: the subject precedes
                said = re.sub(r"(?:支出)?(?:决算|预算)数?$", "", pre[: max(comp_at - len(comp.group(0)), 0)])
            tk.subject = clean(said.removesuffix("各").removesuffix("均"))
            continue
        if not ctx.budget_doc and (m := _BUDGET.search(pre)):
            tk.role, tk.word = "budget", m.group("base")
            tk.subject = clean(pre[: m.start()])
            continue
        if not ctx.budget_doc and (m := _ACTUAL.search(pre)):
            tk.role = "actual"
            tk.subject = clean(pre[: m.start()])
            continue
        tk.role = "amount"
        tk.subject = clean(pre)


def _last_compare(text: str) -> re.Match | None:
    found = None
    for m in _COMPARE.finditer(text):
        found = m
    return found


_CHANGE_SUBJECT = re.compile(r"^(?:增加|减少|增长|下降|调减|调增|压减|新增)")


def _last_before(block: Block, bi: int, ctx: Context, pos: int) -> tuple[Decimal, str, tuple[int, int], int] | None:
    """The last amount (or actual) of the block before ``pos``: the whole that 其中 / 主要用于 refers to."""
    for r in reversed(ctx.records):
        if r.key is None or r.key[0] != bi or r.key[1] >= pos:
            if r.key is not None and r.key[0] != bi:
                break
            continue
        s = r.stmt
        if s.kind == "amount" and _CHANGE_SUBJECT.match(s.subject):
            continue  # “…增加基本支出844.15万元。其中：…”: a change is itemised by no 其中
        if s.kind == "amount":
            return s.values["amount"], s.subject, r.key, s.location.line or 0
        if s.kind == "execution" and "actual" in s.values:
            return s.values["actual"], s.subject, r.key, s.location.line or 0
    return None


def _unit_words(words: dict[str, str], *toks: Tok | None) -> None:
    for tk in toks:
        if tk is not None and tk.t.unit == "元" and tk.t.value != 0:
            words["unit"] = "元"
            words["unit_text"] = tk.t.text


def _execution(block: Block, bi: int, sent: str, s0: int, toks: list[Tok], ctx: Context, head: str) -> None:
    groups: list[dict[str, Tok]] = []
    cur: dict[str, Tok] = {}
    for i, tk in enumerate(toks):
        role = tk.role
        if role == "budget":
            if "budget" in cur or "actual" in cur:
                groups.append(cur)
                cur = {}
            cur["budget"] = tk
        elif role == "actual":
            if "actual" in cur:
                groups.append(cur)
                cur = {}
            cur["actual"] = tk
        elif role == "done" or role == "xchange":
            if "actual" not in cur:
                amt = next((p for p in reversed(toks[:i]) if p.role == "amount" and not p.used), None)
                if amt is None:
                    if role == "done" and not cur:
                        continue
                else:
                    amt.role = "actual"
                    cur["actual"] = amt
            cur["percent" if role == "done" else "change"] = tk
        elif role == "rate" and "change" in cur and "change_rate" not in cur:
            cur["change_rate"] = tk
            tk.used = True
    if cur:
        groups.append(cur)
    for g in groups:
        first = g.get("budget") or g.get("actual") or next(iter(g.values()))
        subject = first.subject
        if subject in _GENERIC or not subject:
            before = [clean(x) for x in re.split(r"[，。；：,;:]", block.text[s0:first.t.start])[:-1]]
            before = [x for x in before if x and x not in _GENERIC]
            subject = before[-1] if before else (head or subject)
        general = True
        canon, ref, words = quantity(subject, budget_doc=False, general=general, doc=ctx.doc)
        values: dict[str, Decimal] = {}
        for k in ("budget", "actual", "percent", "change", "change_rate"):
            if k in g:
                values[k] = g[k].value
                g[k].used = True
        words = dict(words)
        if "budget" in g:
            words["budget_word"] = g["budget"].word
        elif "percent" in g:
            words["budget_word"] = g["percent"].word
        if "percent" in g:
            words["percent_decimals"] = str(g["percent"].t.decimals)
        if "change" in g:
            words["direction"] = g["change"].word
        if "change_rate" in g:
            words["rate_direction"] = g["change_rate"].word
            words["rate_decimals"] = str(g["change_rate"].t.decimals)
        # the comparison in the sentence, else opening the next one (“…完成年初预算的95.45%。决算数小于
        # 预算数的主要原因：…”) for the sentence's last statement
        m = _COMPARISON.search(sent)
        if m is None and g is groups[-1]:
            m = _COMPARISON.match(block.text[s0 + len(sent):].lstrip(" 　\n"))
        if m:
            words["comparison"] = m.group("word") or "等于"
            words["comparison_said"] = m.group(0)
        _unit_words(words, g.get("budget"), g.get("actual"))
        refs: dict[str, str] = {}
        if ref:
            refs["actual"] = ref
            if canon in BUDGET_COLUMN and words.get("budget_word") == "预算" and "budget" in values:
                refs["budget"] = f"T9:合计:{BUDGET_COLUMN[canon]}"
        main = g.get("actual") or first
        st = Statement(kind="execution", subject=canon, values=values, words=words, refs=refs, text=sent,
                       location=_loc(ctx, block, main.t.start))
        ctx.add(st, (bi, main.t.start))


def _yoy(block: Block, bi: int, sent: str, s0: int, toks: list[Tok], ctx: Context, head: str,
         last_amount: Tok | None) -> None:
    for i, tk in enumerate(toks):
        if tk.role != "change" or tk.used:
            continue
        rate = None
        for nxt in toks[i + 1:]:
            if nxt.role == "change":
                break
            if nxt.role == "rate" and not nxt.used:
                rate = nxt
                nxt.used = True
                break
        comp = _last_compare(block.text[s0:tk.t.start])
        comp_at = s0 + (comp.start() if comp else 0)
        current = next((p for p in reversed(toks[:i]) if p.role in ("amount", "actual", "budget")
                        and p.t.start < comp_at), None)
        subject = tk.subject
        if subject in _GENERIC and current is not None:
            subject = current.subject
        cur_value = current.value if current is not None else None
        canon, ref, words = quantity(subject or head, budget_doc=ctx.budget_doc,
                                     general=_general(ctx, sent), doc=ctx.doc)
        if cur_value is None and subject and subject not in _GENERIC:
            prev = ctx.latest(canonical=canon, ref=ref)
            if prev is not None:
                cur_value = prev.values.get("amount", prev.values.get("actual"))
        if cur_value is None and last_amount is not None and not subject:
            cur_value = last_amount.value
            canon = quantity(last_amount.subject, budget_doc=ctx.budget_doc, general=_general(ctx, sent),
                             doc=ctx.doc)[0]
        values = {"change": tk.value}
        words = dict(words)
        words["direction"] = tk.word
        words["base"] = comp.group(0) if comp else ""
        if cur_value is not None:
            values["current"] = cur_value
        if rate is not None:
            values["percent"] = rate.value
            words["rate_direction"] = rate.word
            words["percent_decimals"] = str(rate.t.decimals)
        _unit_words(words, tk)
        refs = {"current": ref} if ref else {}
        ctx.add(Statement(kind="yoy", subject=canon, values=values, words=words, refs=refs, text=sent,
                          location=_loc(ctx, block, tk.t.start)), (bi, tk.t.start))
        tk.used = True


def _in_procurement(ctx: Context) -> bool:
    return "政府采购" in ctx.section_title + ctx.subsection_title


def _push_whole(block: Block, bi: int, ctx: Context, at: int) -> None:
    w = _last_before(block, bi, ctx, at)
    if w is not None and w not in ctx.wholes:
        ctx.wholes.append(w)


def _shares(block: Block, bi: int, sent: str, s0: int, toks: list[Tok], ctx: Context, marks: list[int]) -> None:
    if _in_procurement(ctx):
        return
    for i, tk in enumerate(toks):
        if tk.role != "share":
            continue
        while marks and marks[0] < tk.t.start:
            _push_whole(block, bi, ctx, marks.pop(0))
        amt = None
        for p in reversed(toks[:i]):
            if p.role == "share":
                break
            if p.role in ("amount", "actual"):
                amt = p
                break
        values: dict[str, Decimal] = {"percent": tk.value}
        words = {"denominator": tk.word, "percent_decimals": str(tk.t.decimals)}
        refs: dict[str, str] = {}
        subject = ""
        if amt is not None:
            values["amount"] = amt.value
            subject = quantity(amt.subject, budget_doc=ctx.budget_doc, general=_general(ctx, sent),
                               doc=ctx.doc)[0]
        denom = tk.word
        explicit = next(((c, f, b) for rx, c, f, b in _DENOMINATORS if denom and rx.search(denom)), None)
        if explicit is not None:
            canon, ref_f, ref_b = explicit
            ref = ref_b if ctx.budget_doc else ref_f
            refs["total"] = ref
            prev = ctx.latest(canonical=canon, ref=ref)
            if prev is not None:
                values["total"] = prev.values.get("amount", prev.values.get("actual"))
        elif not denom:
            cands = [w for w in reversed(ctx.wholes) if w[2] != (bi, amt.t.start if amt else -1)]
            for j, w in enumerate(cands[:4]):
                values["total" if j == 0 else f"alt{j}"] = w[0]
        else:
            words["unresolved"] = denom
        ctx.add(Statement(kind="share", subject=subject, values=values, words=words, refs=refs, text=sent,
                          location=_loc(ctx, block, tk.t.start)), (bi, tk.t.start))


def _amounts(block: Block, bi: int, sent: str, s0: int, toks: list[Tok], ctx: Context, head: str) -> None:
    for tk in toks:
        if tk.role != "amount" or tk.used:
            continue
        subject = tk.subject
        if subject in _GENERIC:
            continue
        canon, ref, words = quantity(subject, budget_doc=ctx.budget_doc, general=_general(ctx, sent),
                                     doc=ctx.doc)
        words = dict(words)
        words["unit"] = tk.t.unit
        words["decimals"] = str(tk.t.decimals)
        if tk.t.unit == "元" and tk.t.value != 0:
            words["unit_text"] = tk.t.text
        if subject != canon:
            words["said"] = subject
        ctx.add(Statement(kind="amount", subject=canon, values={"amount": tk.value}, words=words,
                          refs={"amount": ref} if ref else {}, text=sent,
                          location=_loc(ctx, block, tk.t.start)), (bi, tk.t.start))


def _parts(block: Block, bi: int, sent: str, s0: int, toks: list[Tok], ctx: Context) -> None:
    if _in_procurement(ctx) or block.part.endswith("经费情况说明"):
        return
    marks = list(_PARTS_MARK.finditer(sent))
    for k, m in enumerate(marks):
        at = s0 + m.start()
        end = s0 + marks[k + 1].start() if k + 1 < len(marks) else s0 + len(sent)
        parts = [tk for tk in toks if at < tk.t.start < end and tk.role == "amount"]
        if not parts:
            continue
        whole = _last_before(block, bi, ctx, at)
        if whole is None:
            continue
        value, subject, key, line = whole
        values: dict[str, Decimal] = {"whole": value}
        words: dict[str, str] = {}
        names = []
        for j, p in enumerate(parts, 1):
            values[f"part{j}"] = p.value
            name = quantity(p.subject, budget_doc=ctx.budget_doc, general=_general(ctx, sent), doc=ctx.doc)[0]
            words[f"part{j}"] = name
            names.append(name)
        shared = all(any(s.role == "share" for s in toks if p.t.end <= s.t.start < p.t.end + 30
                         and s.t.start < end) for p in parts)
        complete = shared or {"基本支出", "项目支出"} <= set(names)
        words["complete"] = "yes" if complete else "no"
        words["lines"] = ",".join(str(x) for x in dict.fromkeys([line] + [block.line_at(p.t.start) for p in parts]))
        page = block.page_at(key[1]) if key[0] == bi else None
        ctx.add(Statement(kind="parts", subject=subject, values=values, words=words, text=sent,
                          location=Location(file=ctx.file, page=page, line=line)), key)


def _procurement(block: Block, toks: list[Tok], ctx: Context) -> None:
    """Collect the amounts and shares of the 政府采购 section (assembled by :func:`procurement`)."""
    last = ""
    for tk in toks:
        loc = _loc(ctx, block, tk.t.start)
        if tk.role == "amount":
            patterns = (budget_vocabulary()["procurement_re"] if ctx.budget_doc else []) + _PROCUREMENT
            key = next((k for k, rx in patterns if rx.search(tk.subject)), "")
            if key and key not in ctx.procurement:
                ctx.procurement[key] = (tk.value, loc, tk.t.decimals)
            last = key
        elif tk.role == "share":
            if "中小企业" in tk.word and last == "micro":
                key = "micro_percent"
            elif "采购支出总额" in tk.word or "采购总额" in tk.word or (not tk.word and last == "sme"):
                key = "sme_percent" if last == "sme" else ""
            else:
                key = ""
            if key and key not in ctx.procurement:
                ctx.procurement[key] = (tk.value, loc, tk.t.decimals)


def procurement(ctx: Context) -> list[Statement]:
    """The procurement statements of the collected section: composition, SME share, small/micro share."""
    p = ctx.procurement
    out: list[Statement] = []
    if "total" not in p:
        return out
    total, tloc, _ = p["total"]
    comp = {k: p[k][0] for k in ("goods", "works", "services") if k in p}
    if comp:
        out.append(Statement(kind="procurement", subject="政府采购", values={"total": total, **comp},
                             words={"check": "composition"}, location=tloc))
    if "sme" in p:
        values = {"total": total, "sme": p["sme"][0]}
        out.append(_share(p, "sme", "授予中小企业合同金额", values))
        if "micro" in p:
            out.append(_share(p, "micro", "授予小微企业合同金额", {**values, "micro": p["micro"][0]}))
    return out


def _share(p: dict, key: str, subject: str, values: dict) -> Statement:
    """The statement of a contract amount ``key`` (sme, micro) with its printed percentage, if any: at
    the percentage when there is one, else at the amount."""
    loc = p[key][1]
    words = {"check": key}
    if f"{key}_percent" in p:
        percent = p[f"{key}_percent"]
        values = {**values, "percent": percent[0]}
        loc = percent[1]
        words["percent_decimals"] = str(percent[2])
    return Statement(kind="procurement", subject=subject, values=values, words=words, location=loc)


# the amounts of a budget comparison: “2025年当年预算执行数为A万元，2026年预算安排B万元”
_AMOUNT_AT = re.compile(
    r"(?P<year>20\d\d年度?|上年度?|本年度?)(?:当年)?(?P<what>预算执行数|执行数|预算安排|安排预算|预算数?)(?:为|是)?$"
)


def _year(word: str | None, doc_year: int | None) -> int | None:
    if not word:
        return None
    if word.startswith("20"):
        return int(word[:4])
    if doc_year is None:
        return None
    return doc_year - 1 if word.startswith("上") else doc_year


def budget_yoy(block: Block, bi: int, sent: str, s0: int, toks: list[Tok], ctx: Context) -> None:
    """This year's budget against last year's budget or execution (primer §6 end, §3.1):
    “2023年当年预算执行数为60.13万元，2024年预算安排25.77万元，比2023年预算执行数减少57.14%”,
    “财政拨款收入37,151.47万元，比2024年预算执行数增加24,558.18万元”, “…0万元，与2024年预算持平”.

    Read in the Shanghai budget parts (every comparison) and wherever last year's amount is stated; the
    statement (kind ``budget_yoy``) carries previous / current / change / percent, the direction words,
    the base (预算 or 预算执行数) and the years, and the amount its item printed first (``item``)."""
    vocab = budget_vocabulary()["compare_re"]
    doc_year = ctx.doc.identity.year if ctx.doc is not None else None
    previous = current = None
    years: dict[str, int] = {}
    found: list[tuple[Tok, bool, int | None]] = []
    for tk in toks:
        if not tk.t.is_money or tk.role != "amount":
            continue
        m = _AMOUNT_AT.search(tk.pre)
        if m is None:
            continue
        year = _year(m.group("year"), doc_year)
        what = m.group("what")
        if "执行" in what:
            is_previous = True
        elif "安排" in what:
            is_previous = False
        else:
            is_previous = year is not None and doc_year is not None and year < doc_year
        found.append((tk, is_previous, year))
    comparisons = [(m.start(), m.end(), m) for m in vocab["base"].finditer(sent)]
    levels = list(vocab["level"].finditer(sent))
    if not any(p for _, p, _ in found) and not (block.part and (comparisons or levels)):
        return  # not this shape (seed 002's “2026年预算数699.63万元。比2025年预算增加…” is read by _yoy)
    for tk, is_previous, year in found:
        if is_previous:
            previous, tk.role = tk, "previous"
            if year is not None:
                years["previous_year"] = year
        else:
            current, tk.role = tk, "current"
            if year is not None:
                years["current_year"] = year
        tk.used = True
    # one statement per comparison clause: its change and rate follow it, its current amount precedes it
    clauses: list[tuple[int, re.Match]] = [(m.start(), m) for m in levels]
    clauses += [(a, m) for a, _, m in comparisons if not any(lv.start() == a for lv in levels)]
    clauses.sort(key=lambda c: c[0])
    if not clauses:
        clauses = [(len(sent), None)]  # type: ignore[list-item]
    for k, (at, m) in enumerate(clauses):
        nxt = clauses[k + 1][0] if k + 1 < len(clauses) else len(sent)
        after = [tk for tk in toks if s0 + at <= tk.t.start < s0 + nxt]
        change = next((tk for tk in after if tk.role == "change" and not tk.used), None)
        rate = next((tk for tk in after if tk.role == "rate" and not tk.used), None)
        if m is not None and m.re is vocab["base"] and change is None and rate is None:
            continue  # a comparison without numbers and without 持平: not a statement
        cur = current
        if cur is None:
            cur = next((tk for tk in reversed(toks) if tk.t.start < s0 + at and tk.t.is_money
                        and tk.role in ("amount", "current")), None)
        values: dict[str, Decimal] = {}
        words: dict[str, str] = dict(years)
        if m is not None:
            words["comparison"] = m.group(0)
            words["base"] = m.group("base") or ""
            y = _year(m.group("year"), doc_year)
            if y is not None:
                words["base_year"] = str(y)
            if m.re is vocab["level"]:
                words["direction"] = "持平"
        for key in ("previous_year", "current_year"):
            if key in words:
                words[key] = str(words[key])
        if previous is not None:
            values["previous"] = previous.value
            words["previous_decimals"] = str(previous.t.decimals)
        if cur is not None:
            values["current"] = cur.value
        if change is not None:
            values["change"] = change.value
            words["direction"] = change.word
            change.used = True
        if rate is not None:
            values["percent"] = rate.value
            words["rate_direction"] = rate.word
            words["percent_decimals"] = str(rate.t.decimals)
            rate.used = True
        subject, refs, item = _budget_subject(bi, ctx, cur, previous)
        if item is not None:
            values["item"] = item
            values.setdefault("current", item)
        main = change or rate or cur or previous
        offset = main.t.start if main is not None else s0 + at
        ctx.add(Statement(kind="budget_yoy", subject=subject, values=values, words=words, refs=refs, text=sent,
                          location=_loc(ctx, block, offset)), (bi, offset))


def _budget_subject(bi: int, ctx: Context, cur: Tok | None, previous: Tok | None
                    ) -> tuple[str, dict[str, str], Decimal | None]:
    """What a budget comparison is about: the amount it follows in its sentence, else the item of its block
    (“1.“…（项）”25.77万元，主要用于…。2023年当年预算执行数为…”)."""
    if cur is not None and cur.role == "amount" and cur.subject:
        canon, ref, _ = quantity(cur.subject, budget_doc=True, general=_general(ctx, ""), doc=ctx.doc)
        return canon, ({"current": ref} if ref else {}), None
    for r in reversed(ctx.records):
        if r.key is None or r.key[0] != bi:
            break
        if r.stmt.kind == "amount":
            refs = {"current": r.stmt.refs["amount"]} if r.stmt.refs.get("amount") else {}
            return r.stmt.subject, refs, r.stmt.values["amount"]
    return "", {}, None


_TOTAL_WORD = re.compile(r"^(?:合计|共计|总计)$")


def project_budget(block: Block, bi: int, sent: str, s0: int, toks: list[Tok], ctx: Context) -> None:
    """The 年度预算安排 of a 项目经费情况说明 (Shanghai budgets): “2025年度项目总预算1170.00万，其中支持企业
    规模化发展870.00万，…，合计1170.00万” → the project's amount (subject: the project, for NAR012) and
    the parts adding up to it (NAR007), the closing 合计 restating it."""
    money = [tk for tk in toks if tk.t.is_money and tk.role == "amount" and not tk.used]
    if not money:
        return
    name = re.sub(r"(?:项目)?经费情况说明$", "", block.part)
    first = money[0]
    if not name:  # the generic heading 项目经费情况说明: the project is named in the sentence
        name = re.sub(r"(?:本年度|年度)?(?:项目)?(?:总)?预算(?:金额|资金)?(?:为)?$", "", first.subject)
    if not name or not re.search(r"预算|安排", first.pre):
        return
    loc = _loc(ctx, block, first.t.start)
    whole = ctx.add(Statement(kind="amount", subject=name, values={"amount": first.value},
                              words={"project": "yes", "unit": first.t.unit, "decimals": str(first.t.decimals)},
                              text=sent, location=loc), (bi, first.t.start))
    for tk in money:
        tk.used = True
    mark = re.search(r"其中", sent)
    if mark is None:
        return
    parts = [tk for tk in money[1:] if tk.t.start > s0 + mark.start() and not _TOTAL_WORD.match(tk.subject)]
    totals = [tk for tk in money[1:] if _TOTAL_WORD.match(tk.subject)]
    lines = ",".join(str(x) for x in dict.fromkeys([loc.line] + [block.line_at(p.t.start) for p in parts]))
    if parts:
        values = {"whole": whole.values["amount"]}
        words = {"complete": "yes", "lines": lines}
        for j, p in enumerate(parts, 1):
            values[f"part{j}"] = p.value
            words[f"part{j}"] = p.subject
        ctx.add(Statement(kind="parts", subject=name, values=values, words=words, text=sent, location=loc),
                (bi, first.t.start))
    for tk in totals:
        ctx.add(Statement(kind="parts", subject=name, values={"whole": whole.values["amount"], "part1": tk.value},
                          words={"complete": "yes", "part1": "合计", "lines": str(block.line_at(tk.t.start))},
                          text=sent, location=_loc(ctx, block, tk.t.start)), (bi, tk.t.start))


_TOTAL_REASON = re.compile(r"财政拨款收入(?:和|、)?支出(?:预算)?(?P<dir>增加|减少)的主要原因")
_ITEM_REASON = re.compile(r"^主要原因(?:是)?[：:]?.*?(?:经费|支出|预算)(?P<dir>增加|减少)。?$")


def budget_reason(block: Block, bi: int, sent: str, s0: int, ctx: Context) -> None:
    """The direction a reason sentence names (kind ``budget_reason``), with the comparison it explains:
    “财政拨款收入支出减少的主要原因是…” after the totals' “比2025年预算减少19.79万元” (``scope`` total),
    “…减少2.98%。主要原因是：宣传事务一般行政管理事务经费增加。” after an item (``scope`` item)."""
    if m := _TOTAL_REASON.search(sent):
        stated = [r.stmt for r in ctx.records if r.stmt.kind == "budget_yoy"
                  and r.stmt.subject in ("财政拨款收入", "财政拨款支出") and r.stmt.words.get("direction")]
        if not stated:
            return
        words = {"scope": "total", "direction": m.group("dir"),
                 "stated": "、".join(dict.fromkeys(st.words["direction"] for st in stated)),
                 "of": ",".join(str(st.location.line) for st in stated)}
        ctx.add(Statement(kind="budget_reason", subject="财政拨款收入支出", words=words, text=sent,
                          location=_loc(ctx, block, s0 + m.start("dir"))), (bi, s0 + m.start("dir")))
        return
    m = _ITEM_REASON.search(sent)
    if m is None:
        return
    for r in reversed(ctx.records):
        if r.key is None or r.key[0] != bi:
            return
        st = r.stmt
        if st.kind == "budget_yoy" and {"previous", "current"} <= set(st.values):
            ctx.add(Statement(kind="budget_reason", subject=st.subject, refs=st.refs,
                              values={"previous": st.values["previous"], "current": st.values["current"]},
                              words={"scope": "item", "direction": m.group("dir")}, text=sent,
                              location=_loc(ctx, block, s0 + m.start("dir"))), (bi, s0 + m.start("dir")))
            return
