"""What a narrative number is about: the subject words before it, normalised to a table quantity.

A subject becomes a canonical name (收入合计, 基本支出, 社会保障和就业支出 …) and a reference to the table
cell that holds the same quantity, written ``TABLE:ROWKEY[@PART]:COLUMN`` with the catalog's table keys and
column ids (``T3:合计:basic``, ``T5:2080108:total``, ``T9:合计:final_car_run``, ``B5_1:208:total``).
"""

from __future__ import annotations

import re
import tomllib
from contextlib import suppress
from functools import cache
from importlib import resources
from typing import Any

from ..model import Disclosure
from .text import compact

# 类 codes of the functional classification (names of 2019 onwards, older names after them)
CLASSES: dict[str, str] = {
    "一般公共服务支出": "201", "外交支出": "202", "国防支出": "203", "公共安全支出": "204",
    "教育支出": "205", "科学技术支出": "206", "文化旅游体育与传媒支出": "207", "社会保障和就业支出": "208",
    "社会保险基金支出": "209", "卫生健康支出": "210", "节能环保支出": "211", "城乡社区支出": "212",
    "农林水支出": "213", "交通运输支出": "214", "资源勘探工业信息等支出": "215", "商业服务业等支出": "216",
    "金融支出": "217", "援助其他地区支出": "219", "自然资源海洋气象等支出": "220", "住房保障支出": "221",
    "粮油物资储备支出": "222", "国有资本经营预算支出": "223", "灾害防治及应急管理支出": "224",
    "预备费": "227", "其他支出": "229", "转移性支出": "230", "债务还本支出": "231", "债务付息支出": "232",
    "债务发行费用支出": "233", "抗疫特别国债安排的支出": "234",
    "医疗卫生与计划生育支出": "210", "文化体育与传媒支出": "207", "国土海洋气象等支出": "220",
}

_LEAD = re.compile(
    r"^(?:[、，,；;：:)）\]】.．]|[（(]?[一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]"
    r"|\d{1,2}[.、．](?!\d)|其中|主要用于|包括|具体包括|截至|本年度|本年|当年|全年|\*+)+"
)
_YEAR = re.compile(r"^(?:20\d\d年度?|20\d\d年)")
_TRAIL = re.compile(r"(?:为|是|达|共计|合计为|分别为|约)$")
_CHAIN = re.compile(
    r"(?P<lei>[^（()）]+?)[（(]类[)）](?:(?P<kuan>[^（()）]+?)[（(]款[)）])?(?:(?P<xiang>[^（()）]+?)[（(]项[)）])?"
)


_ENUMERATION = re.compile(r"[（(][一二三四五六七八九十]{1,3}[)）]")


def clean(pre: str) -> str:
    """The subject words of a clause: no ordinal, no year, no verb at the end (the words after the last
    enumeration mark ``（二）`` when a line before it ran on into the clause)."""
    s = compact(pre)
    if "主要用于" in s:
        s = s.split("主要用于")[-1]
    marks = list(_ENUMERATION.finditer(s))
    if marks and marks[-1].start() > 0 and marks[-1].end() < len(s):
        s = s[marks[-1].end():]
    for _ in range(3):
        before = s
        s = _LEAD.sub("", s)
        s = _YEAR.sub("", s)
        s = _TRAIL.sub("", s)
        if s == before:
            break
    return s.strip("“”\"'")


# a name of a chain: no brackets but a bracketed part of its own (``党委办公厅（室）及相关机构事务``)
_NAME = r"(?:[^（()）]|[（(](?![类款项][)）])[^（()）]{1,6}[)）])+?"
_KUAN_CHAIN = re.compile(rf"(?P<kuan>{_NAME})[（(](?:款|类)[)）](?P<xiang>{_NAME})[（(]项[)）]")


def chain(subject: str) -> tuple[str, str | None, str | None] | None:
    """``社会保障和就业支出(类)人力资源和社会保障管理事务(款)信息化建设(项)`` → the three names;
    ``社会保障和就业（类）支出`` → (社会保障和就业支出, None, None); a 款 and 项 without their 类
    (``人大事务（款）行政运行（项）支出``, or a 款 marked 类 by mistake) → ("", 款, 项)."""
    if re.search(r"[（(]项[)）]", subject) and not re.search(r"[（(][款类][)）]", subject):
        m3 = re.search(r"(?P<xiang>[^（()）]+?)[（(]项[)）]", subject)
        if m3:  # ``人大事务行政运行（项）支出``: the 款 and 项 names run together
            return "", None, clean(m3.group("xiang"))
    if "项" in subject and ("款" in subject or "类" in subject):
        m2 = _KUAN_CHAIN.search(subject)
        if m2:
            kuan = clean(m2.group("kuan"))
            if class_code(kuan) is None and not re.search(r"[（(]类[)）].*[（(]款[)）]", subject):
                return "", kuan, clean(m2.group("xiang"))
    m = _CHAIN.search(subject) if "类" in subject else None
    if not m:
        return None
    lei = clean(m.group("lei"))
    if lei not in CLASSES and lei + "支出" in CLASSES:
        lei += "支出"
    return lei, m.group("kuan"), m.group("xiang")


def class_code(name: str) -> str | None:
    name = compact(name)
    if name in CLASSES:
        return CLASSES[name]
    if not name.endswith("支出") and name + "支出" in CLASSES:
        return CLASSES[name + "支出"]
    return None


@cache
def _reference_index(year: int | None) -> dict[str, dict[str, str]]:
    codes: dict[str, str] = {}
    with suppress(Exception):
        from ..data import codes as reference

        codes = reference("functional", year)
    return _index(codes)


def _index(codes: dict[str, str]) -> dict[str, dict[str, str]]:
    """parent code → {child name: child code} (款 under 类, 项 under 款); a name ending in 支出 is also
    found without it (``其他人大事务支出`` / ``其他人大事务``)."""
    out: dict[str, dict[str, str]] = {}
    for code, name in codes.items():
        if len(code) in (5, 7):
            children = out.setdefault(code[:-2], {})
            children[compact(name)] = code
            short = re.sub(r"支出$", "", compact(name))
            if short != compact(name):
                children.setdefault(short, code)
    return out


_DOC_INDEX: list[tuple[Disclosure, int, list[dict[str, dict[str, str]]]]] = []


def _indexes(doc: Disclosure | None) -> list[dict[str, dict[str, str]]]:
    if doc is None:
        return [_reference_index(None)]
    for d, n, idx in _DOC_INDEX:
        if d is doc and n == len(doc.tables):
            return idx
    idx = []
    for key in ("T5", "T3", "B5_1", "B13", "B3", "T2", "T4"):
        t = doc.table(key)
        if t is not None:
            idx.append(_index({r.code: r.name for r in t.rows if r.code}))
    idx.append(_reference_index(doc.identity.year))
    _DOC_INDEX.append((doc, len(doc.tables), idx))
    del _DOC_INDEX[:-4]
    return idx


def chain_code(doc: Disclosure | None, lei: str, kuan: str | None, xiang: str | None) -> str | None:
    """The functional code a 类/款/项 chain names: by the document's own tables, else reference data. A
    chain without its 类 names the one 款 of that name (and its 项) the document's tables print."""
    if not lei and not kuan and xiang:
        joined = set()
        for index in _indexes(doc)[:-1]:
            for parent, children in index.items():
                if len(parent) != 5:
                    continue
                pname = next((n for n, c in index.get(parent[:3], {}).items() if c == parent), "")
                for name, code in children.items():
                    if compact(xiang) in (name, pname + name):
                        joined.add(code)
        return joined.pop() if len(joined) == 1 else None
    if not lei and kuan:
        found = set()
        for index in _indexes(doc)[:-1]:  # the document's own tables
            for parent, children in index.items():
                if len(parent) == 3 and compact(kuan) in children:
                    code = children[compact(kuan)]
                    if xiang:
                        code = index.get(code, {}).get(compact(xiang)) or \
                            index.get(code, {}).get(compact(re.sub(r"支出$", "", xiang)))
                    if code:
                        found.add(code)
        return found.pop() if len(found) == 1 else None
    top = class_code(lei)
    if top is None or kuan is None:
        return top
    want = [compact(kuan)] + ([compact(xiang)] if xiang else [])
    for index in _indexes(doc):
        code: str | None = top
        for name in want:
            code = index.get(code, {}).get(name) if code else None
        if code:
            return code
    return None


# canonical quantities: (pattern searched in the subject, canonical name, final-account ref, budget ref).
# "{g}" is replaced by T5 (一般公共预算 context) or T3 in final accounts, B5_1 or B3 in budgets.
_QUANTITIES: list[tuple[str, str, str | None, str | None]] = [
    (r"三公", "三公经费", "T9:合计:final_total", "B7:合计:total"),
    (r"因公出国", "因公出国（境）费", "T9:合计:final_abroad", "B7:合计:abroad"),
    (r"公务用车购置及运行", "公务用车购置及运行维护费", "T9:合计:final_car", "B7:合计:car"),
    (r"公务用车购置", "公务用车购置费", "T9:合计:final_car_buy", "B7:合计:car_buy"),
    (r"公务用车运行", "公务用车运行维护费", "T9:合计:final_car_run", "B7:合计:car_run"),
    (r"公务接待", "公务接待费", "T9:合计:final_reception", "B7:合计:reception"),
    (r"机关运行经费", "机关运行经费", None, None),
    (r"政府采购", "政府采购", None, None),
    (r"财政拨款收入?[、，,和及与]?支出?(?:总计|总预算)", "财政拨款收支总计", "T4:总计@收入:amount",
     "B4:收入总计@收入:amount"),
    (r"收入?[、，,和及与]?支出?(?:总计|总预算)", "收支总计", "T1:总计@收入:amount", "B1:收入总计@收入:amount"),
    (r"一般公共预算财政拨款收入|一般公共预算财政拨款本年收入|一般公共预算拨款收入",
     "一般公共预算财政拨款收入", "T1:一般公共预算财政拨款收入@收入:amount",
     "B1:一般公共预算拨款收入@收入:amount"),
    (r"政府性基金预算财政拨款收入", "政府性基金预算财政拨款收入", "T1:政府性基金预算财政拨款收入@收入:amount",
     None),
    (r"财政拨款收入", "财政拨款收入", "T2:合计:fiscal", None),
    (r"上级补助收入", "上级补助收入", "T2:合计:superior", "B2:合计:superior"),
    (r"附属单位上缴收入", "附属单位上缴收入", "T2:合计:affiliated", "B2:合计:affiliated"),
    (r"事业收入", "事业收入", "T2:合计:business", "B2:合计:business"),
    (r"经营收入", "经营收入", "T2:合计:operating", "B2:合计:operating"),
    (r"其他收入", "其他收入", "T2:合计:other", "B2:合计:other"),
    (r"收入合计|^收入预算$|^收入$", "收入合计", "T1:本年收入合计@收入:amount", "B1:本年收入合计@收入:amount"),
    (r"一般公共预算财政拨款基本支出|一般公共预算基本支出", "一般公共预算财政拨款基本支出", "T5:合计:basic",
     "B5_1:合计:basic"),
    (r"一般公共预算财政拨款支出|^财政拨款支出$|一般公共预算拨款$", "一般公共预算财政拨款支出",
     "T5:合计:total", "B5_1:合计:total"),
    (r"上缴上级支出", "上缴上级支出", "T3:合计:to_superior", "B3:合计:to_superior"),
    (r"(?<!单位)经营支出", "经营支出", "T3:合计:operating", "B3:合计:operating"),
    (r"对附属单位补助支出", "对附属单位补助支出", "T3:合计:to_affiliated", "B3:合计:to_affiliated"),
    (r"^基本支出$", "基本支出", "{g}:合计:basic", "{g}:合计:basic"),
    (r"^项目支出$", "项目支出", "{g}:合计:project", "{g}:合计:project"),
    (r"支出合计|^支出预算$", "支出合计", "T1:本年支出合计@支出:amount", "B1:本年支出合计@支出:amount"),
    (r"^人员经费$", "人员经费", "T6:人员经费合计:amount", "B5_1:合计:personnel"),
    (r"^公用经费$", "公用经费", "T6:公用经费合计:amount", "B5_1:合计:public"),
    (r"^工资福利支出$", "工资福利支出", "T6:301:amount", "B6:301:total"),
    (r"^对个人和家庭的补助(?:支出)?$", "对个人和家庭的补助", "T6:303:amount", "B6:303:total"),
]
_QUANTITIES_RE = [(re.compile(p), c, f, b) for p, c, f, b in _QUANTITIES]

# the budget column of T9 for a 三公 quantity
BUDGET_COLUMN = {
    "三公经费": "budget_total", "因公出国（境）费": "budget_abroad", "公务用车购置及运行维护费": "budget_car",
    "公务用车购置费": "budget_car_buy", "公务用车运行维护费": "budget_car_run", "公务接待费": "budget_reception",
}


@cache
def budget_vocabulary() -> dict[str, Any]:
    """``data/narrative_budget.toml``: subjects of budget narratives, procurement and comparison words,
    with the patterns compiled."""
    data = tomllib.loads((resources.files("budgetdoc.data") / "narrative_budget.toml").read_text("utf-8"))
    data["subjects"] = [(re.compile(e["pattern"]), e["name"], e.get("ref") or None) for e in data["subject"]]
    data["procurement_re"] = [(k, re.compile(v)) for k, v in data["procurement"].items()]
    data["compare_re"] = {k: re.compile(v) for k, v in data["compare"].items()}
    return data


_LAYOUT_SUBJECTS: dict[int, tuple[list, list]] = {}


def layout_subjects() -> list[tuple[re.Pattern[str], str, str | None]]:
    """The narrative vocabulary of the region's layout the document is read with (its ``[[subject]]``
    entries, tried first), compiled once per layout."""
    from ..data import catalog

    entries = catalog().get("subjects") or []
    if not entries:
        return []
    got = _LAYOUT_SUBJECTS.get(id(entries))
    if got is None or got[0] is not entries:
        got = (entries, [(re.compile(e["pattern"]), e["name"], e.get("ref") or None) for e in entries])
        _LAYOUT_SUBJECTS[id(entries)] = got
    return got[1]


def _budget_quantity(s: str, bare: str, doc: Disclosure | None) -> tuple[str, str | None, dict[str, str]] | None:
    for rx, name, ref in [*layout_subjects(), *budget_vocabulary()["subjects"]]:
        if rx.search(s) or rx.search(bare):
            return name, resolve(ref, doc), {}
    return None


def resolve(ref: str | None, doc: Disclosure | None) -> str | None:
    """The first of the alternatives ``A|B|…`` that the document prints (its table has the row and the
    column), else the first."""
    if not ref or "|" not in ref:
        return ref
    alternatives = ref.split("|")
    if doc is not None:
        for alt in alternatives:
            key, row, column = alt.split("+")[0].split(":")
            row, _, part = row.partition("@")
            table = doc.table(key)
            if table is not None and table.column(column) is not None and table.find(row, part or None):
                return alt
    return alternatives[0]


_PUBLISHER_YEAR = re.compile(r"^[\u4e00-\u9fff（）()]{4,40}?(?:20\d\d年度?|本年度?)(?:部门|单位)?")


def _without_publisher(s: str, doc: Disclosure | None) -> str:
    """A subject without the unit's name (and the year) it opens with: ``江苏省人大常委会办公厅2018年财政拨款预算支出``
    → ``财政拨款预算支出``."""
    pub = doc.identity.publisher if doc is not None else None
    if not pub:
        return s
    rest = None
    for name in (pub, pub.removeprefix("中共")):
        if len(name) >= 4 and s.startswith(name):
            rest = s[len(name):]
            break
    else:
        m = _PUBLISHER_YEAR.match(s)
        if m and (name := re.sub(r"(?:20\d\d年度?|本年度?)(?:部门|单位)?$", "", m.group(0))) and len(name) >= 4 \
                and name in pub:  # ``江苏省委办公厅2019年…`` of 中共江苏省委办公厅
            rest = s[m.end():]
    if rest is None:
        return s
    rest = re.sub(r"^(?:部门)?(?:20\d\d年度?)?(?:部门|单位)?", "", rest)
    return rest if len(rest) >= 2 else s


def quantity(subject: str, *, budget_doc: bool, general: bool, doc: Disclosure | None = None
             ) -> tuple[str, str | None, dict[str, str]]:
    """(canonical name, table ref or None, extra words) of a cleaned subject.

    ``general``: the sentence is in a 一般公共预算 section (so 基本支出 is T5's, not T3's).
    """
    s = _without_publisher(compact(subject), doc)
    g = ("B5_1" if general else "B3") if budget_doc else ("T5" if general else "T3")
    if budget_doc:
        from ..data import catalog

        own = (catalog().get("layout") or {}).get("functional", {})
        g = own.get("general" if general else "all", g)
    ch = chain(s)
    if ch is not None:
        lei, kuan, xiang = ch
        code = chain_code(doc, lei, kuan, xiang)
        words = {"class": lei}
        if kuan:
            words["kuan"] = compact(kuan)
        if xiang:
            words["xiang"] = compact(xiang)
        name = "/".join(compact(x) for x in (lei, kuan, xiang) if x)
        ref = f"{g}:{code}:total" if code else None
        return name, ref, words
    bare = re.sub(r"(?:支出)?(?:决算|预算)(?:数)?$", "", s) or s
    for cand in (s, bare):
        code = class_code(cand)
        if code and len(cand) <= 14:
            name = next(n for n, c in CLASSES.items() if c == code)
            return name, f"{g}:{code}:total", {"class": name}
    if budget_doc and (found := _budget_quantity(s, bare, doc)) is not None:
        return found
    for rx, canon, ref_final, ref_budget in _QUANTITIES_RE:
        if rx.search(s) or rx.search(bare):
            ref = ref_budget if budget_doc else ref_final
            if ref and "{g}" in ref:
                ref = ref.replace("{g}", g)
            return canon, ref, {}
    return s, None, {}
