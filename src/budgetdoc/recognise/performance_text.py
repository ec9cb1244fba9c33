"""Performance forms in extracted plain text: one line per cell fragment, labels wrapped over lines.

The shapes handled (seeds 000, 001, 003)::

    预算执行情 / 况（万元） / （20分）          → execution weight 20
    2,305.94 1,466.86 63.6% 12.72                → A, B, rate, execution score
    产出 / 指标 / （40 / 分）                     → level 1 with its weight
    质量指标（ / 20分）                           → level 2 with its weight
    社保自助查询打印等业务年处 / 理量 / 30万笔 30万笔 10   → indicator: name, target, actual, score
    扩面人次（10 分） 30 万人次 / 50.32 万人 / 次 / 10      → values wrapped too
    总 / 分 / 92.72分                             → total

An indicator row ends on the line whose last token is a bare number (its score). Leading lines of a row
that read as a level label (“产出指标（40分）”) are labels; the indicator's own weight is the “（N分）”
after its name, or its level-2 weight when it is the only indicator there.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from ..decimals import to_decimal
from ..model import Indicator, Location, PerformanceForm
from ..read import Line
from .performance import Region
from .text import compact

NUM = r"-?\d[\d,]*(?:\.\d+)?"
_EXEC_ROW = re.compile(
    rf"^(?:(?P<label>.*?)\s+)?(?P<a>{NUM})\s+(?P<b>{NUM})\s+(?P<r>-?\d+(?:\.\d+)?)\s*%"
    rf"(?:\s+(?P<s>\d+(?:\.\d+)?)\s*分?)?\s*$"
)
_EXEC_WEIGHT = re.compile(
    r"预算执行情况[（(]万元[)）][（(](\d+(?:\.\d+)?)分[)）]|得分[（(](\d+(?:\.\d+)?)分[*×xX]"
)
_TOTAL_AMOUNT = re.compile(rf"(基本支出总额|项目支出总额|人员经费总额|公用经费总额|支出总额|资金总额)({NUM})")
_LEVEL = re.compile(
    r"(?P<n>(?:产出|效益|满意度|成本|效果|投入|过程|数量|质量|时效|经济效益|社会效益|生态效益|可持续影响"
    r"|服务对象满意度)指标?)[（(](?P<w>\d+(?:\.\d+)?)分[)）]"
)
_LEVEL1 = ("产出", "效益指", "效果", "投入", "过程")
_AMBIGUOUS = ("满意度指", "成本指")  # level 1 in some templates, level 2 in others
_WEIGHT = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
_BARE_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_VALUE_START = re.compile(r"^[≤≥<>＜＞]?=?-?\d")
_LABELS = (
    "项目名称",
    "单位名称",
    "填报日期",
    "主管部门",
    "项目实施",
    "项目类别",
    "项目属性",
    "项目类型",
    "基本支出",
    "项目支出",
    "预算执行",
)
_UNIT_END = re.compile(r"(处|中心|局|委|办|院|所|站|队|会|部|厅|社|馆|校|园|司|室|组|团|场|台)$")


def dec(s: str | None) -> Decimal | None:
    return to_decimal(s)  # never NaN or Infinity: a form cell “NaN” is no number


def parse_text_form(region: Region, path: str) -> PerformanceForm | None:
    lines = [ln for ln in region.lines if ln.text.strip()]
    if len(lines) < 3:
        return None

    def loc(ln: Line) -> Location:
        return Location(file=path, page=ln.page, line=ln.number)

    form = PerformanceForm(kind=region.kind, stage=region.stage, name=region.title, location=loc(lines[0]))  # type: ignore[arg-type]
    form.rules_text = _rules_text(region.lines)

    # header: publisher, project name
    cell_pub = colon_pub = None
    for i, ln in enumerate(lines):
        c = compact(ln.text)
        if c.startswith("单位名称") and not c.startswith(("单位名称：", "单位名称:")) and cell_pub is None:
            cell_pub = _with_continuation(lines, i, ln.text.strip()[4:].strip())
        elif c.startswith(("单位名称：", "单位名称:")) and colon_pub is None:
            m = re.match(r"单位名称[:：]\s*(\S+)", ln.text.strip())
            if m:
                colon_pub = _with_continuation(lines, i, m.group(1))
        elif c.startswith("项目名称") and region.kind == "项目":
            form.name = compact(_with_continuation(lines, i, ln.text.strip()[4:].strip(), units_only=False))
        if "预算执行" in c:
            break
    pub = cell_pub or colon_pub
    if pub is None and region.kind == "项目":
        for ln in lines:
            c = compact(ln.text)
            if c.startswith("项目实施单位") and len(c) > 6:
                pub = compact(c[6:])
                break
    form.publisher = compact(pub) if pub else None
    if region.kind == "整体":
        form.name = region.title

    # amounts printed before the execution block (基本支出总额 …), execution weight, execution row
    exec_at = next((k for k, ln in enumerate(lines) if "预算执行" in compact(ln.text)), None)
    if exec_at is None:
        return form
    _amounts(form, lines[:exec_at], path)
    row_at = None
    for i in range(exec_at, min(exec_at + 25, len(lines))):
        m = _EXEC_ROW.match(lines[i].text.strip())
        if m:
            row_at = i
            form.budget, form.actual = dec(m.group("a")), dec(m.group("b"))
            form.rate = dec(m.group("r"))
            form.execution_score = dec(m.group("s"))
            form.location = loc(lines[i])  # the line where A, B, rate and score are printed
            break
    head = compact("".join(ln.text for ln in lines[exec_at : (row_at or exec_at + 12) + 1]))
    m = _EXEC_WEIGHT.search(head)
    if m:
        form.execution_weight = dec(m.group(1) or m.group(2))
    if row_at is None:
        return form

    # indicators
    start = None
    for i in range(row_at + 1, len(lines)):
        if "三级指标" in compact(lines[i].text):
            for j in range(i, min(i + 12, len(lines))):
                if compact(lines[j].text).endswith("得分"):
                    start = j + 1
                    break
            break
    if start is None:
        return form
    end = len(lines)
    for i in range(start, len(lines)):
        c = compact(lines[i].text)
        if c.startswith("总分") or (
            c == "总" and i + 1 < len(lines) and compact(lines[i + 1].text).startswith("分")
        ):
            end = i
            tail = compact("".join(ln.text for ln in lines[i : i + 3]))
            mt = re.match(r"总分(\d+(?:\.\d+)?)", tail)
            if mt:
                form.total_score = dec(mt.group(1))
            break
        if c.startswith(("偏差", "备注", "注:", "注：")):
            end = i
            break
    form.indicators = _indicators(lines[start:end], loc)
    if misread(form.indicators):
        form.indicators = []  # not read with certainty: PRF014 says the form's indicators unread
    return form


def _with_continuation(lines: list[Line], i: int, value: str, units_only: bool = True) -> str:
    """A value whose cell wrapped onto the next line(s): append lines that continue it."""
    value = re.split(r"\s+填报日期", value)[0].strip()
    out = value
    for ln in lines[i + 1 : i + 3]:
        c = compact(ln.text)
        if not re.fullmatch(r"[\u4e00-\u9fff（）()“”0-9]+", c) or c.startswith(_LABELS) or "：" in c:
            break
        if units_only and not _UNIT_END.search(c):
            break
        out += c
        if units_only:
            break
    return out


def _amounts(form: PerformanceForm, lines: list[Line], path: str) -> None:
    joined, starts = "", []
    for ln in lines:
        starts.append((len(joined), ln))
        joined += compact(ln.text)
    for m in _TOTAL_AMOUNT.finditer(joined):
        v = dec(m.group(2))
        if v is not None:
            form.amounts[m.group(1)] = v


def _rules_text(lines: list[Line]) -> str | None:
    """The notes printed under the form, from “备注”/“注:” to the first gap of two blank lines."""
    out: list[str] = []
    blank = 0
    started = False
    for ln in lines:
        t = ln.text.strip()
        if not started:
            if re.match(r"^(备注|注)\s*[:：]", t):
                started = True
                out.append(t)
            continue
        if not t:
            blank += 1
            if blank >= 2:
                break
            continue
        blank = 0
        out.append(t)
    return "\n".join(out) if out else None


def _merge_units(tokens: list[str]) -> list[str]:
    """``30 万人次`` → ``30万人次``; ``≤114.35 万 元`` → ``≤114.35万元``; qualitative words stay apart."""
    out: list[str] = []
    for t in tokens:
        if (
            out
            and not _VALUE_START.match(t)
            and _VALUE_START.match(out[-1])
            and not out[-1].endswith("%")
            and (out[-1][-1].isdigit() or (len(t) == 1 and "\u4e00" <= t <= "\u9fff"))
        ):
            out[-1] += t
        else:
            out.append(t)
    return out


def _split_values(tokens: list[str]) -> tuple[str | None, str | None]:
    if not tokens:
        return None, None
    if len(tokens) == 1:
        return tokens[0], None
    if len(tokens) == 2:
        return tokens[0], tokens[1]
    half = len(tokens) // 2
    if len(tokens) % 2 == 0 and tokens[:half] == tokens[half:]:
        return " ".join(tokens[:half]), " ".join(tokens[half:])
    return tokens[0], " ".join(tokens[1:])


# a measure word a value is printed with (30 万人次, 5.3 万本, ≤7.78 万元): an extractor that writes every
# text item on a line of its own puts it on the line after its number
_UNIT_WORD = re.compile(
    r"^[万千亿]?(?:人次|人|本|元|次|笔|条|张|件|个|户|家|台|套|辆|项|天|日|小时|分钟|平方米|公里|册|份|场|批|期|所|篇|起)$"
)
_VALUE_UNIT = re.compile(r"^(?P<num>[≤≥<>＜＞]?=?-?\d[\d,]*(?:\.\d+)?)(?P<unit>[\u4e00-\u9fff]*)$")


def _values_rejoined(lines: list[Line]) -> list[Line]:
    """A value's measure word written apart from its number (``30`` / ``万人次``; ``50.32 万人`` / ``次``; an
    extractor that writes every text item on a line of its own, then rows joined again by their amounts:
    ``扩面人次（10 分） 30`` / ``万人次 50.32``) goes back after its number, as the form prints it: the
    number is a value, not the row's score."""
    out: list[Line] = []
    for ln in lines:
        toks = ln.text.split()
        while out and toks:
            prev = out[-1].text.split()
            if not prev:
                break
            m = _VALUE_UNIT.match(prev[-1])
            unit = m.group("unit") if m else ""
            if m is None and len(prev) >= 2 and _VALUE_UNIT.fullmatch(prev[-2]) and _UNIT_WORD.match(prev[-1]):
                unit = prev[-1]  # ``50.32 万人``: the unit so far is a token of its own
            elif m is None:
                break
            if not _UNIT_WORD.match(unit + toks[0]):
                break
            glue = "" if unit else " "
            out[-1] = replace(out[-1], text=out[-1].text.rstrip() + glue + toks.pop(0))
        if toks or not ln.text.strip():
            out.append(replace(ln, text=" ".join(toks)) if toks != ln.text.split() else ln)
    return out


def misread(indicators: list[Indicator]) -> str | None:
    """Why a form's indicators cannot be what the form prints (a value's measure word or a piece of a
    wrapped cell read as an indicator's name), else None: such a form is said unread (PRF014), not checked."""
    for ind in indicators:
        name = compact(ind.name)
        if not name or _UNIT_WORD.match(name) or name[0] in "、，。；：）)”":
            return f"指标名称“{ind.name}”"
    return None


def _indicators(lines: list[Line], loc) -> list[Indicator]:
    lines = _values_rejoined(lines)
    out: list[Indicator] = []
    groups: list[list[Indicator]] = []  # indicators per level-2 label, to give a lone one its weight
    current: list[list[Indicator]] = []  # the open group (empty: none open)
    level1: tuple[str, Decimal | None] = (None, None)  # type: ignore[assignment]
    level2: tuple[str | None, Decimal | None] = (None, None)
    l2_used = Decimal(0)  # level-2 weights seen under the current level 1
    buf: list[Line] = []

    def flush(chunk: list[Line], has_score: bool) -> None:
        nonlocal level1, level2, l2_used
        k0 = 0
        while k0 < len(chunk) - 1:
            found = None
            for k in range(min(4, len(chunk) - 1 - k0), 0, -1):
                c = compact("".join(ln.text for ln in chunk[k0 : k0 + k]))
                m = _LEVEL.fullmatch(c)
                if m:
                    n = m.group("n")
                    found = (k, n + "标" if n.endswith("指") else n, dec(m.group("w")))
                    break
            if not found:
                break
            k, name, w = found
            room = (level1[1] - l2_used) if level1[1] is not None else None
            is_l1 = name.startswith(_LEVEL1) or (
                name.startswith(_AMBIGUOUS) and (level1[0] is None or room is None or w is None or room < w)
            )
            if is_l1:
                level1, level2, l2_used = (name, w), (None, None), Decimal(0)
                current.clear()
            else:
                level2 = (name, w)
                l2_used += w or 0
                current[:] = [[]]
                groups.append(current[0])
            k0 += k
        body = chunk[k0:]
        if not body:
            return
        texts = [ln.text.strip() for ln in body]
        score = None
        if has_score:
            toks = texts[-1].split()
            score = dec(toks[-1])
            texts[-1] = " ".join(toks[:-1])
        rest = "\n".join(t for t in texts if t)
        m = _WEIGHT.search(rest)
        if m:
            name, weight = compact(rest[: m.start()]), dec(m.group(1))
            target, actual = _split_values(_merge_units(rest[m.end() :].split()))
        else:
            weight = None
            toks = _merge_units(rest.split())
            if len(toks) >= 3:
                name, (target, actual) = "".join(toks[:-2]), (toks[-2], toks[-1])
            elif len(toks) == 2:
                name, target, actual = toks[0], toks[1], None
            else:
                name, target, actual = "".join(toks), None, None
        ind = Indicator(
            level1=level1[0],
            level1_weight=level1[1],
            level2=level2[0],
            level2_weight=level2[1],
            name=name,
            weight=weight,
            target=target,
            actual=actual,
            score=score,
            location=loc(body[-1]),
        )
        out.append(ind)
        if not current:
            current.append([])
            groups.append(current[0])
        current[0].append(ind)

    for ln in lines:
        buf.append(ln)
        toks = ln.text.split()
        if toks and _BARE_NUMBER.fullmatch(toks[-1]) and _row_has_values(buf):
            flush(buf, True)
            buf = []
    if buf and any(compact(ln.text) for ln in buf):
        flush(buf, False)
    for g in groups:
        if len(g) == 1 and g[0].weight is None and g[0].level2_weight is not None:
            g[0].weight = g[0].level2_weight
    return out


def _row_has_values(buf: list[Line]) -> bool:
    """A bare number ends a row only when something precedes it (not a label fragment like “（40”)."""
    toks = " ".join(ln.text for ln in buf).split()
    return len(toks) >= 2


__all__ = ["dec", "parse_text_form"]
