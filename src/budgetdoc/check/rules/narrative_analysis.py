"""The checks of the narrative statements, computed once per document for all NAR rules.

A wrong number in the narrative usually breaks more than one relation (a wrong item amount breaks its
execution rate, its table value and the sum of the items). Each defect is reported once, at the line of
the statement that carries it: checks run from the most specific (the statement against the table, the
statement against its own numbers) to the most general (sums of several statements), and a general check
stays silent when one of its members already has an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ...data import catalog
from ...decimals import quantize
from ...model import Disclosure, Location, Statement
from ..findings import Finding
from ..rule import Rule
from ..tolerance import HALF_CENT, classify, envelope, half_unit, percent_agrees, ratio

HUNDRED = Decimal(100)


def rate_verdict(stated: Decimal, num: Decimal, den: Decimal, decimals: int, num_half: Decimal,
                 den_half: Decimal, slack_units: int = 0) -> str | None:
    """None when a stated percentage is ``num`` ÷ ``den`` rounded to its printed precision, the two amounts
    being known to their own printed precision (``num_half``, ``den_half``: :func:`~..tolerance.half_unit`,
    or half a cent for a table cell); ``slack_units`` only for shares the document forces to add up to 100%.

    Otherwise the severity: ``warning`` when the stated figure is the ratio cut (not rounded) at its last
    digit — 16.07% for 16.0775%, 29% for 29.85%: the digits printed are the true ones, a convention some
    writers keep (truncation) and a reviewer confirms; ``error`` for any other figure — 30% for 29.15% is
    no rounding of anything the amounts allow, at whatever precision it is printed."""
    computed, spread = ratio(num, den, num_half, den_half)
    if percent_agrees(stated, computed, decimals, slack_units, spread):
        return None
    unit = Decimal(1).scaleb(-decimals)
    cut = stated.is_finite() and computed.is_finite() and stated <= computed + spread \
        and computed - spread - stated < unit
    return "warning" if cut else "error"


def rate_agrees(stated: Decimal, num: Decimal, den: Decimal, decimals: int, num_half: Decimal,
                den_half: Decimal, slack_units: int = 0) -> bool:
    return rate_verdict(stated, num, den, decimals, num_half, den_half, slack_units) is None


CUT = "（像是截去尾数所得，未按四舍五入，请核实）"


def _cut(severity: str) -> str:
    return CUT if severity == "warning" else ""


@dataclass
class Issue:
    rule: str
    statement: Statement
    message: str
    severity: str = "error"
    expected: Decimal | str | None = None
    actual: Decimal | str | None = None
    word: str | None = None  # the printed word the issue is about (a direction word): its box joins the location's


def named(st: Statement) -> str:
    """How a message names the statement's subject: a 项 chain by its 项 name and code."""
    if "/" not in st.subject:
        return st.subject
    name = st.subject.rsplit("/", 1)[-1]
    ref = st.refs.get("actual") or st.refs.get("amount") or st.refs.get("current") or ""
    code = ref.split(":")[1] if ref.count(":") == 2 and ref.split(":")[1].isdigit() else ""
    return f"{name}（{code}）" if code else name


def amt(v: Decimal) -> str:
    """An amount as the narrative printed it (thousands separators, its own decimals)."""
    return f"{v:,}"


def tab(v: Decimal) -> str:
    return f"{v:,.2f}"


def pct(v: Decimal, decimals: int) -> str:
    q = Decimal(1).scaleb(-max(decimals, 1))
    return f"{quantize(v, q)}%"


def decimals_of(v: Decimal) -> int:
    exp = v.as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


TEN_THOUSAND = Decimal(10000)


def ref_value(doc: Disclosure, ref: str) -> tuple[Decimal | None, str]:
    """The table value a ref names, in 万元, and how to say where it is (表T3（支出决算表）合计行基本支出).

    ``ref`` may list alternatives separated by ``|``: the first cell the document prints is used. A table
    in 元 (Shanghai budgets) is converted to 万元, unrounded; the place then quotes the 元 amount. A
    document of a layout the catalog does not know has no table quantities to name (None)."""
    if doc.identity.layout == "unknown":
        return None, ""
    if "|" in ref:
        for alt in ref.split("|"):
            found = ref_value(doc, alt)
            if found[0] is not None:
                return found
        return None, ""
    if "+" in ref:
        return _ref_sum(doc, ref.split("+"))
    try:
        key, row, column = ref.split(":")
    except ValueError:
        return None, ""
    part = None
    if "@" in row:
        row, part = row.split("@", 1)
    table = doc.table(key)
    if table is None:
        return None, ""
    r = table.find(row, part) or table.find(row)
    if r is None:
        return None, ""
    cell = r.cell(column)
    if cell is not None and cell.read == "guess":
        return None, ""  # which column this amount (or blank) is in was not read with certainty
    value = cell.value if cell is not None else None
    if value is None and (cell is not None or table.column(column) is not None):
        value = Decimal(0)  # a blank cell of a known column: no money
    spec = catalog()["by_key"].get(key, {})
    if value is not None and not _row_consistent(spec, r, column, table.unit):
        return None, ""  # the row breaks its own identities (the table rules say so): no reference
    label = next((c["label"] for c in spec.get("columns", []) if c["id"] == column), column)
    title = spec.get("title", table.title)
    name = r.name or row
    where = f"表{key}（{title}）{name}行" + ("" if label in ("决算数", "预算数") else label)
    if value is not None and table.unit == "元":
        return value / TEN_THOUSAND, f"{where}（{value:,.2f} 元）"
    return value, where


def _ref_sum(doc: Disclosure, refs: list[str]) -> tuple[Decimal | None, str]:
    """The sum of several cells (人员经费 = 301 + 303 of the 基本支出 table): a row the table does not
    print counts as no money; None unless the first cell is printed and every table is there."""
    total = Decimal(0)
    places = []
    for i, ref in enumerate(refs):
        value, where = ref_value(doc, ref)
        if value is None:
            key, row, column = ref.split(":")
            table = doc.table(key)
            if i == 0 or table is None or table.column(column) is None or table.find(row.split("@")[0]):
                return None, ""
            continue
        total += value
        places.append(where)
    return total, "＋".join(places)


def _row_consistent(spec: dict, row, column: str, unit: str | None = None) -> bool:
    """The row's column identities (catalog ``a = b + c``) that involve ``column`` hold within rounding."""
    for ident in spec.get("identities", []):
        if ident.get("kind") != "columns" or "-" in ident["expr"]:
            continue
        left, right = (x.strip() for x in ident["expr"].split("="))
        terms = [t.strip() for t in right.split("+")]
        if column not in (left, *terms):
            continue
        values = {c: row.value(c) for c in (left, *terms)}
        if values[left] is None or all(values[t] is None for t in terms):
            continue
        total = sum((v for v in (values[t] for t in terms) if v is not None), Decimal(0))
        if classify(total - values[left], len(terms), unit) == "real":
            return False
    return True


def same_at(stated: Decimal, table: Decimal) -> bool:
    """The stated amount equals the table value at the precision the narrative printed."""
    d = decimals_of(stated)
    q = Decimal(1).scaleb(-d)
    stated = quantize(stated, q)
    return quantize(table, q) == stated or quantize(table, q, ROUND_HALF_UP) == stated


class NarrativeRule(Rule):
    """Base of the NAR rules: each reports the issues of :func:`analyse` that carry its id."""

    category = "narrative"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        for i in analyse(doc):
            if i.rule == self.id:
                yield self.finding(i.message, _with_word(doc, i.statement.location, i.word),
                                   severity=i.severity,  # type: ignore[arg-type]
                                   expected=i.expected, actual=i.actual, related=ref_places(doc, i.statement))


def ref_places(doc: Disclosure, st: Statement) -> list[Location]:
    """Where the table quantities the statement is compared with are printed (the cells its refs name,
    the first alternative the document prints): the other side of the finding."""
    out: list[Location] = []
    for ref in st.refs.values():
        for alt in ref.split("|"):
            found = [loc for part in alt.split("+") if (loc := _cell_place(doc, part)) is not None]
            if found:
                out.extend(x for x in found if x not in out)
                break
    return out


def _cell_place(doc: Disclosure, ref: str) -> Location | None:
    try:
        key, row, column = ref.strip().split(":")
    except ValueError:
        return None
    part = None
    if "@" in row:
        row, part = row.split("@", 1)
    table = doc.table(key)
    r = (table.find(row, part) or table.find(row)) if table is not None else None
    if r is None:
        return None
    cell = r.cell(column)
    loc = cell.location if cell is not None and cell.location.table else r.location
    return loc.at(table=key, row=r.key, column=column) if loc.table is None or loc.column is None else loc


def _with_word(doc: Disclosure, loc: Location, word: str | None) -> Location:
    """The statement's box (the word printing its first value) joined with the box of the word on the
    same line that prints ``word`` (the nearest one), so a finding about a direction word marks it too."""
    if not word or loc.bbox is None:
        return loc
    line = next((ln for ln in doc.lines() if ln.page == loc.page and ln.number == loc.line), None)
    boxes = [w.bbox for w in (line.words or []) if word in w.text] if line is not None else []
    if not boxes:
        return loc
    x0, y0, x1, y1 = loc.bbox
    middle = (x0 + x1) / 2
    b = min(boxes, key=lambda bb: abs((bb[0] + bb[2]) / 2 - middle))
    return loc.at(bbox=(min(x0, b[0]), min(y0, b[1]), max(x1, b[2]), max(y1, b[3])))


_CACHE: list[tuple[Disclosure, list[Issue]]] = []


def analyse(doc: Disclosure) -> list[Issue]:
    for d, issues in _CACHE:
        if d is doc:
            return issues
    issues = _analyse(doc)
    _CACHE.append((doc, issues))
    del _CACHE[:-8]
    return issues


# an amount per head or per unit (“工会经费人均定额增加1000元”, “每人每月”, “标准为…元”) is rightly in 元
_PER_HEAD = re.compile(r"人均|每人|每月|每年|每次|每天|标准|定额|单价")


def _analyse(doc: Disclosure) -> list[Issue]:
    out: list[Issue] = []
    for st in doc.narrative:
        if st.kind == "contradiction":
            out.append(Issue("NAR010", st, f"说明中同一句同时使用相反的方向词“{st.words.get('words', '')}”，"
                             "增减方向自相矛盾", actual=st.words.get("words")))
        if st.words.get("unit") == "元" and st.words.get("unit_text") and not _PER_HEAD.search(st.subject):
            out.append(Issue("NAR009", st, f"说明中“{named(st)}”写作“{st.words['unit_text']}”，金额单位缺少“万”"
                             f"（本文件金额单位为{doc.identity.unit or '万元'}）", expected="万元",
                             actual=st.words["unit_text"]))
    table_issue_lines: dict[int, Decimal] = {}
    for st in doc.narrative:
        if st.kind == "amount":
            i = _amount_vs_table(doc, st)
            if i:
                out.append(i)
                table_issue_lines[st.location.line or 0] = st.values["amount"]
        elif st.kind == "execution":
            out.extend(_execution(doc, st))
        elif st.kind == "yoy":
            i = _yoy(st)
            if i:
                out.append(i)
        elif st.kind == "procurement":
            i = _procurement(st)
            if i:
                out.append(i)
        elif st.kind == "budget_yoy":
            out.extend(budget_yoy(doc, st))
        elif st.kind == "budget_reason":
            i = budget_reason(st)
            if i:
                out.append(i)
    forced = forced_shares(doc)
    for st in doc.narrative:
        if st.kind == "share":
            i = _share(doc, st, table_issue_lines, forced)
            if i:
                out.append(i)
    out.extend(_restated(doc, out))
    error_lines = {i.statement.location.line for i in out if i.severity == "error"}
    for st in doc.narrative:
        if st.kind == "parts":
            i = _parts(st, error_lines)
            if i:
                out.append(i)
    return out


def _amount_vs_table(doc: Disclosure, st: Statement) -> Issue | None:
    ref = st.refs.get("amount")
    if not ref:
        return None
    value, where = ref_value(doc, ref)
    stated = st.values["amount"]
    if value is None or same_at(stated, value) or same_at(stated, value / TEN_THOUSAND):
        return None  # (equal to the value ÷ 10,000: a table in 元 whose unit was not read)
    if abs(stated - value) <= envelope(1):
        # one cent: the narrative may have summed yuan amounts the table rounded separately
        return Issue("NAR001", st, f"说明中{named(st)}为 {amt(stated)} 万元，{where}为 {tab(value)} 万元"
                     "（相差 0.01，可能是尾差，请核实）", expected=value, actual=stated, severity="warning")
    return Issue("NAR001", st, f"说明中{named(st)}为 {amt(stated)} 万元，{where}为 {tab(value)} 万元",
                 expected=value, actual=stated)


def _restated(doc: Disclosure, found: list[Issue]) -> list[Issue]:
    """The same table quantity stated twice with different amounts (when the table cannot say which)."""
    out: list[Issue] = []
    first: dict[str, Statement] = {}
    for st in doc.narrative:
        if st.kind != "amount" or not st.refs.get("amount"):
            continue
        ref = st.refs["amount"]
        if ref not in first:
            first[ref] = st
            continue
        a, b = first[ref].values["amount"], st.values["amount"]
        if a == b or same_at(b, a) or same_at(a, b):
            continue
        if ref_value(doc, ref)[0] is not None:
            continue  # NAR001 says which one is wrong
        out.append(Issue("NAR011", st, f"说明中{named(st)}为 {amt(b)} 万元，与前文（第{first[ref].location.line}行）"
                         f"所述 {amt(a)} 万元不一致", severity="warning", expected=a, actual=b))
    return out


def _share_totals(doc: Disclosure, st: Statement) -> tuple[list[tuple[Decimal, Decimal]], str]:
    """The totals a share may be of (each with half a unit of its printed precision), and where the
    table's total is when the sentence names none."""
    v = st.values
    totals = [(v[k], half_unit(v[k])) for k in ("total", "alt1", "alt2", "alt3") if k in v]
    where = ""
    if not totals and st.refs.get("total"):
        tv, where = ref_value(doc, st.refs["total"])
        if tv is not None:
            totals = [(tv, HALF_CENT)]
    return [(t, h) for t, h in totals if t > 0], where


def forced_shares(doc: Disclosure) -> set[int]:
    """The shares (by ``id``) the document forces to add up to 100%: the shares of one total in one
    section, each less than the whole, whose stated percentages add up to exactly 100 (primer §5: one of them may then be a unit of its
    last digit off its own rounding, to make the sum)."""
    groups: dict[tuple[str | None, Decimal], list[Statement]] = {}
    for st in doc.narrative:
        if st.kind == "share" and "amount" in st.values and "percent" in st.values:
            totals, _ = _share_totals(doc, st)
            if totals and st.values["amount"] < totals[0][0]:  # (the whole's own 100% is no part of it)
                groups.setdefault((st.section, totals[0][0]), []).append(st)
    return {id(st) for members in groups.values() if len(members) > 1
            and sum((m.values["percent"] for m in members), Decimal(0)) == HUNDRED for st in members}


def _share(doc: Disclosure, st: Statement, table_issue_lines: dict[int, Decimal], forced: set[int]) -> Issue | None:
    v = st.values
    if "amount" not in v or "percent" not in v:
        return None
    amount, stated = v["amount"], v["percent"]
    d = int(st.words.get("percent_decimals", "1"))
    pairs, where = _share_totals(doc, st)
    if not pairs:
        return None
    slack = 1 if id(st) in forced else 0
    verdicts = [rate_verdict(stated, amount, t, d, half_unit(amount), h, slack) for t, h in pairs]
    if None in verdicts:
        return None
    severity = "warning" if "warning" in verdicts else "error"
    totals = [t for t, _ in pairs]
    # the amount itself is wrong (NAR001 reported it) and the share agrees with the table's amount
    line = st.location.line or 0
    if line in table_issue_lines and table_issue_lines[line] == amount:
        ref_amount = _table_amount_at(doc, st)
        if ref_amount is not None and any(rate_agrees(stated, ref_amount, t, d, HALF_CENT, h, slack) for t, h in pairs):
            return None
    total = totals[0]
    computed = amount / total * HUNDRED
    denom = st.words.get("denominator") or "总额"
    src = f"（{where}）" if where else ""
    return Issue("NAR002", st, f"说明中{named(st)} {amt(amount)} 万元占{denom}{src} {amt(total)} 万元的比例为 "
                 f"{pct(computed, d)}，说明写作 {stated}%{_cut(severity)}", severity=severity,
                 expected=pct(computed, d), actual=f"{stated}%")


def _table_amount_at(doc: Disclosure, share: Statement) -> Decimal | None:
    for st in doc.narrative:
        if st.kind == "amount" and st.location.line == share.location.line and st.refs.get("amount") \
                and st.values["amount"] == share.values.get("amount"):
            return ref_value(doc, st.refs["amount"])[0]
    return None


_UP = ("增加", "增长", "上升")
_DOWN = ("减少", "下降", "降低", "节约")


def _sign(word: str | None) -> int | None:
    if not word:
        return None
    up = any(w in word for w in _UP)
    down = any(w in word for w in _DOWN)
    if up and down:
        return None
    return 1 if up else -1 if down else None


def _yoy(st: Statement) -> Issue | None:
    v, w = st.values, st.words
    change = v.get("change")
    if change is None or change == 0:
        return None
    word, rate_word = w.get("direction"), w.get("rate_direction")
    s1 = _sign(word)
    if word and s1 is None and any(x in word for x in _UP) and any(x in word for x in _DOWN):
        return None  # 增加减少: NAR010
    s2 = _sign(rate_word)
    if s1 is not None and s2 is not None and s1 != s2:
        return Issue("NAR003", st, f"说明中{named(st)}“{word}{amt(change)}万元”却“{rate_word}{v.get('percent')}%”，"
                     "增减方向前后矛盾", expected=word, actual=rate_word, word=word)
    sign = s1 if s1 is not None else s2
    if sign is None or "percent" not in v or "current" not in v:
        return None
    previous = v["current"] - sign * change
    if previous <= 0:
        return None
    d = int(w.get("percent_decimals", "1"))
    computed = change / previous * HUNDRED
    severity = rate_verdict(v["percent"], change, previous, d, half_unit(change),
                            half_unit(change) + half_unit(v["current"]))
    if severity is None:
        return None
    return Issue("NAR003", st, f"说明中{named(st)}本期 {amt(v['current'])} 万元、{word or rate_word} "
                 f"{amt(change)} 万元，上期应为 {tab(previous)} 万元，变动率应为 {pct(computed, d)}，"
                 f"说明写作 {v['percent']}%{_cut(severity)}", severity=severity, expected=pct(computed, d),
                 actual=f"{v['percent']}%")


_LESS = ("小于", "低于", "少于")
_MORE = ("大于", "超过", "高于", "多于")


def _execution(doc: Disclosure, st: Statement) -> list[Issue]:
    v, w = st.values, st.words
    out: list[Issue] = []
    budget, actual, percent, change = v.get("budget"), v.get("actual"), v.get("percent"), v.get("change")
    d = int(w.get("percent_decimals", "1"))
    sign = _sign(w.get("direction"))
    base = w.get("budget_word") or "预算"
    # against the tables first: a wrong actual explains a wrong rate
    table_bad = False
    for role, label in (("actual", "支出决算"), ("budget", "预算")):
        ref = st.refs.get(role)
        if not ref or role not in v:
            continue
        tv, where = ref_value(doc, ref)
        if tv is not None and not same_at(v[role], tv):
            table_bad = True
            out.append(Issue("NAR006", st, f"说明中{named(st)}{label}为 {amt(v[role])} 万元，{where}为 "
                             f"{tab(tv)} 万元", expected=tv, actual=v[role]))
    implied = None
    if budget is None and change is not None and actual is not None and sign is not None:
        implied = actual - sign * change
    if percent is not None and actual is not None:
        b = budget if budget is not None else implied
        if b is not None and b > 0:
            computed = actual / b * HUNDRED
            b_half = half_unit(budget) if budget is not None else half_unit(actual) + half_unit(change)
            severity = rate_verdict(percent, actual, b, d, half_unit(actual), b_half)
            if severity is not None and not (table_bad and _agrees_with_table(doc, st, b, d, b_half)):
                how = (f"{base} {amt(b)} 万元" if budget is not None else
                       f"按“比{base}{w.get('direction')}{amt(change)}万元”推得{base} {tab(b)} 万元")
                out.append(Issue("NAR004", st, f"说明中{named(st)}支出决算 {amt(actual)} 万元，{how}，完成率应为 "
                                 f"{pct(computed, d)}，说明写作完成{base}的 {percent}%{_cut(severity)}",
                                 severity=severity, expected=pct(computed, d), actual=f"{percent}%"))
    if budget is not None and actual is not None and change is not None and sign is not None:
        if actual - budget != sign * change:
            out.append(Issue("NAR004", st, f"说明中{named(st)}{base} {amt(budget)} 万元、支出决算 {amt(actual)} 万元，"
                             f"差额为 {tab(actual - budget)} 万元，说明写作{w.get('direction')} {amt(change)} 万元",
                             expected=actual - budget, actual=sign * change))
    rate = v.get("change_rate")
    if rate is not None and change is not None and actual is not None and sign is not None:
        b = budget if budget is not None else actual - sign * change
        if b > 0:
            rd = int(w.get("rate_decimals", "1"))
            computed = change / b * HUNDRED
            b_half = half_unit(budget) if budget is not None else half_unit(actual) + half_unit(change)
            severity = rate_verdict(rate, change, b, rd, half_unit(change), b_half)
            if severity is not None:
                out.append(Issue("NAR004", st, f"说明中{named(st)}比{base}{w.get('direction')} {amt(change)} 万元"
                                 f"（{base} {tab(b)} 万元），变动率应为 {pct(computed, rd)}，说明写作 {rate}%"
                                 f"{_cut(severity)}", severity=severity, expected=pct(computed, rd), actual=f"{rate}%"))
    comparison = w.get("comparison")
    if comparison and actual is not None and (budget is not None or percent is not None):
        diff = (actual - budget) if budget is not None else (percent - HUNDRED)  # type: ignore[operator]
        truth = "大于" if diff > 0 else "小于" if diff < 0 else "等于"
        said = 1 if comparison in _MORE else -1 if comparison in _LESS else 0
        real = 1 if diff > 0 else -1 if diff < 0 else 0
        if said != real:
            nums = (f"支出决算 {amt(actual)} 万元、{base} {amt(budget)} 万元" if budget is not None
                    else f"完成率 {percent}%")
            said_text = w.get("comparison_said") or f"支出决算数{comparison}{base}数"
            out.append(Issue("NAR005", st, f"说明中{named(st)}写“{said_text}”，但{nums}，"
                             f"支出决算数{truth}{base}数", expected=truth, actual=comparison,
                             word=comparison))
    if budget is not None and actual is not None and change is not None and sign is not None and change != 0:
        real = 1 if actual > budget else -1 if actual < budget else 0
        if real and real != sign:
            out.append(Issue("NAR005", st, f"说明中{named(st)}写“比{base}{w.get('direction')}”，但支出决算 "
                             f"{amt(actual)} 万元{'大于' if real > 0 else '小于'}{base} {amt(budget)} 万元",
                             expected="增加" if real > 0 else "减少", actual=w.get("direction"),
                             word=w.get("direction")))
    return out


def _agrees_with_table(doc: Disclosure, st: Statement, budget: Decimal, d: int, budget_half: Decimal) -> bool:
    ref = st.refs.get("actual")
    if not ref or "percent" not in st.values:
        return False
    tv = ref_value(doc, ref)[0]
    return tv is not None and rate_agrees(st.values["percent"], tv, budget, d, HALF_CENT, budget_half)


def _parts(st: Statement, error_lines: set[int | None]) -> Issue | None:
    v, w = st.values, st.words
    whole = v.get("whole")
    parts = [(w.get(k, k), v[k]) for k in v if k.startswith("part")]
    if whole is None or not parts:
        return None
    total = sum((p for _, p in parts), Decimal(0))
    diff = total - whole
    kind = classify(diff, len(parts))
    if kind is None:
        return None
    members = {int(x) for x in w.get("lines", "").split(",") if x.isdigit()} | {st.location.line}
    names = "、".join(f"{n} {amt(p)}" for n, p in parts)
    msg = f"说明中{named(st)} {amt(whole)} 万元，其组成部分（{names}）合计 {tab(total)} 万元，相差 {tab(diff)} 万元"
    if members & error_lines:
        return None  # a member is wrong on its own: reported there
    if kind == "residue":
        return Issue("NAR007", st, msg + "（在四舍五入尾差范围内）", severity="info", expected=total, actual=whole)
    complete = w.get("complete")
    if diff > 0 or complete == "yes":
        severity = "error"
    elif len(parts) >= 2:
        severity = "warning"
        msg += "（可能未列全）"
    else:
        return None
    return Issue("NAR007", st, msg, severity=severity, expected=total, actual=whole)


def _procurement(st: Statement) -> Issue | None:
    v, w = st.values, st.words
    check = w.get("check")
    total = v.get("total")
    if check == "composition" and total is not None:
        comps = {k: v[k] for k in ("goods", "works", "services") if k in v}
        s = sum(comps.values(), Decimal(0))
        kind = classify(s - total, len(comps))
        if kind is None or kind == "residue":
            return None
        names = {"goods": "货物", "works": "工程", "services": "服务"}
        said = "、".join(f"{names[k]} {amt(x)}" for k, x in comps.items())
        severity = "error" if s > total or len(comps) == 3 else "warning"
        return Issue("NAR008", st, f"说明中政府采购支出总额 {amt(total)} 万元，{said} 万元合计 {tab(s)} 万元，"
                     f"相差 {tab(s - total)} 万元", severity=severity, expected=s, actual=total)
    d = int(w.get("percent_decimals", "1"))
    if check == "sme" and total:
        sme = v["sme"]
        if sme > total:
            return Issue("NAR008", st, f"授予中小企业合同金额 {amt(sme)} 万元大于政府采购支出总额 {amt(total)} 万元",
                         expected=total, actual=sme)
        if "percent" in v:
            computed = sme / total * HUNDRED
            severity = rate_verdict(v["percent"], sme, total, d, half_unit(sme), half_unit(total))
            if severity is not None:
                return Issue("NAR008", st, f"授予中小企业合同金额 {amt(sme)} 万元占政府采购支出总额 {amt(total)} 万元的"
                             f"比例为 {pct(computed, d)}，说明写作 {v['percent']}%{_cut(severity)}",
                             severity=severity, expected=pct(computed, d), actual=f"{v['percent']}%")
    if check == "micro" and v.get("sme"):
        sme, micro = v["sme"], v["micro"]
        if micro > sme:
            return Issue("NAR008", st, f"授予小微企业合同金额 {amt(micro)} 万元大于授予中小企业合同金额 {amt(sme)} 万元",
                         expected=sme, actual=micro)
        if "percent" in v:
            computed = micro / sme * HUNDRED
            severity = rate_verdict(v["percent"], micro, sme, d, half_unit(micro), half_unit(sme))
            if severity is not None:
                extra = _cut(severity)
                if total and rate_agrees(v["percent"], micro, total, d, half_unit(micro), half_unit(total)):
                    severity, extra = "error", "（说明中的比例是按政府采购支出总额计算的，分母应为授予中小企业合同金额）"
                return Issue("NAR008", st, f"授予小微企业合同金额 {amt(micro)} 万元占授予中小企业合同金额 {amt(sme)} 万元"
                             f"的比例为 {pct(computed, d)}，说明写作 {v['percent']}%{extra}",
                             severity=severity, expected=pct(computed, d), actual=f"{v['percent']}%")
    return None


def _close(a: Decimal, b: Decimal, decimals: int) -> bool:
    """Two amounts agree at the precision printed (half a unit of the last digit)."""
    return abs(a - b) <= Decimal(1).scaleb(-decimals) / 2


def budget_yoy(doc: Disclosure, st: Statement) -> list[Issue]:
    """NAR013: this year's budget against last year's budget or execution (kind ``budget_yoy``).

    Reported once per statement, the most specific first: the two direction words disagree; a year that is
    not the document's (or the year before); this year's amount differs from the item it restates; the
    direction or 持平 contradicts the two amounts; the change is not their difference; the rate is not
    change ÷ previous."""
    v, w = st.values, st.words
    d_word, r_word = w.get("direction"), w.get("rate_direction")
    s1, s2 = _sign(d_word), _sign(r_word)
    if d_word and d_word != "持平" and s1 is None:
        return []  # 增加减少: NAR010
    who = named(st) or "该项"
    if s1 is not None and s2 is not None and s1 != s2:
        return [Issue("NAR013", st, f"说明中{who}“{d_word}{amt(v['change']) if 'change' in v else ''}”却“{r_word}"
                      f"{v.get('percent', '')}%”，增减方向前后矛盾", expected=d_word, actual=r_word, word=r_word)]
    out: list[Issue] = []
    year = doc.identity.year
    if year is not None:
        for key, want, what in (("base_year", year - 1, w.get("comparison", "")),
                                ("previous_year", year - 1, "上年预算执行数"), ("current_year", year, "预算安排")):
            if key in w and int(w[key]) != want:
                out.append(Issue("NAR013", st, f"说明中{who}的“{what}”写作{w[key]}年，本文件为{year}年预算，"
                                 f"应为{want}年", expected=str(want), actual=w[key], word=w[key]))
    current, previous, item = v.get("current"), v.get("previous"), v.get("item")
    if current is not None and item is not None and not _close(current, item, decimals_of(current)):
        table = ref_value(doc, st.refs["current"]) if st.refs.get("current") else (None, "")
        if table[0] is not None and same_at(current, table[0]):
            item = current  # the item's own amount is the wrong one: NAR001 reports it there
        else:
            said = f"，{table[1]}为 {tab(table[0])} 万元" if table[0] is not None else ""
            out.append(Issue("NAR013", st, f"说明中{who}列为 {amt(item)} 万元，其后写“预算安排{amt(current)}万元”，"
                             f"二者不一致{said}", expected=item, actual=current))
            current = item  # the rate is then checked against the item's amount
    sign = s1 if s1 is not None else s2
    if current is None:
        return out
    change = v.get("change")
    if previous is None and change is not None and sign is not None:
        previous = current - sign * change
        implied = True
    else:
        implied = False
    if previous is None:
        return out
    diff = current - previous
    d = max(decimals_of(current), decimals_of(previous))
    real = 0 if _close(diff, Decimal(0), d) else (1 if diff > 0 else -1)
    base = w.get("base") or "预算"
    nums = f"上年{base} {amt(previous)} 万元、本年预算 {amt(current)} 万元"
    if d_word == "持平" and not implied:
        if real:
            out.append(Issue("NAR013", st, f"说明中{who}写“{w.get('comparison', '持平')}”，但{nums}，"
                             f"{'增加' if real > 0 else '减少'} {tab(abs(diff))} 万元", expected="增加" if real > 0 else "减少",
                             actual="持平", word="持平"))
        return out
    if sign is not None and not implied and real and sign != real:
        word = d_word or r_word
        out.append(Issue("NAR013", st, f"说明中{who}写“{word}”，但{nums}，应为{'增加' if real > 0 else '减少'}",
                         expected="增加" if real > 0 else "减少", actual=word, word=word))
        return out
    if change is not None and not implied and not _close(abs(diff), change, decimals_of(change)):
        out.append(Issue("NAR013", st, f"说明中{who}{nums}，相差 {tab(abs(diff))} 万元，说明写作{d_word or ''} "
                         f"{amt(change)} 万元", expected=abs(diff), actual=change))
        return out
    if "percent" in v and previous > 0:
        pd = int(w.get("percent_decimals", "1"))
        computed = abs(diff) / previous * HUNDRED
        if implied:
            num_half, den_half = half_unit(change), half_unit(change) + half_unit(current)
        else:
            num_half, den_half = half_unit(current) + half_unit(previous), half_unit(previous)
        severity = rate_verdict(v["percent"], abs(diff), previous, pd, num_half, den_half)
        if severity is not None:
            how = (f"按“{d_word}{amt(change)}万元”推得上年{base} {tab(previous)} 万元" if implied else nums)
            out.append(Issue("NAR013", st, f"说明中{who}{how}，变动率应为 {pct(computed, pd)}，说明写作 "
                             f"{r_word or ''}{v['percent']}%{_cut(severity)}", severity=severity,
                             expected=pct(computed, pd), actual=f"{v['percent']}%"))
    return out


def budget_reason(st: Statement) -> Issue | None:
    """NAR013: the direction a reason names is the direction of the change it explains — an error for the
    totals' template sentence (“财政拨款收入支出减少的主要原因是…” after “比2025年预算减少…”), a warning for
    an item's free-text reason (“…减少2.98%。主要原因是：…经费增加”)."""
    w, v = st.words, st.values
    said = _sign(w.get("direction"))
    if said is None:
        return None
    if w.get("scope") == "total":
        signs = {_sign(x) for x in w.get("stated", "").split("、")}
        if len(signs) != 1 or None in signs or said in signs:
            return None
        return Issue("NAR013", st, f"说明写“财政拨款收入支出{w['direction']}的主要原因”，但前文财政拨款收入、支出"
                     f"{w['stated']}", expected=w["stated"], actual=w["direction"], word=w["direction"])
    previous, current = v.get("previous"), v.get("current")
    if previous is None or current is None or previous == current:
        return None
    real = 1 if current > previous else -1
    if real == said:
        return None
    return Issue("NAR013", st, f"说明中{named(st) or '该项'}上年预算执行数 {amt(previous)} 万元、本年预算 {amt(current)} 万元"
                 f"（{'增加' if real > 0 else '减少'}），原因却写“…{w['direction']}”", severity="warning",
                 expected="增加" if real > 0 else "减少", actual=w["direction"], word=w["direction"])
