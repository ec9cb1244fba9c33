"""The Wuhan budget narrative (第三部分 预算情况说明 一…十一, seed 002's sentences), every number from the
tables, the forms and 文档信息: totals and the change on last year's budget, income and spending structure
with shares that add up to 100 %, each 项 of the 一般公共预算 table with its change, 基本支出, 三公, the funds,
项目支出, 机关运行经费, procurement, assets and the performance targets."""

from __future__ import annotations

from decimal import Decimal

from .compute import strip_ordinal
from .document import Builder
from .narrative import assets, procurement
from .text import ZERO, change, money, pct, shares, wan


def _reason(text: str) -> str:
    text = (text or "").strip().rstrip("。")
    return f"，主要是{text}。" if text else "。"


def _change(b: Builder, current: Decimal, previous: Decimal | None) -> str:
    """``，比2025年预算增加231.72万元，增长20.76%``; empty without last year's amount."""
    if previous is None:
        return ""
    word, diff, rword, r = change(current, previous, 2)
    if word == "持平":
        return f"，与{b.year - 1}年预算持平"
    return f"，比{b.year - 1}年预算{word}{money(diff)}万元" + (f"，{rword}{pct(r)}%" if r is not None else "")


def _listing(b: Builder, items: list[tuple[str, Decimal]], key: str) -> str:
    """``一般公共预算财政拨款收入1,347.75万元，占100%；…`` (shares of the listed amounts, adding to 100 %)."""
    items = [(n, v) for n, v in items if v]
    if not items:
        return ""
    s = shares([v for _, v in items], 2)
    if s is None:
        b.problem("WRT004", "构成不能计算占比（有负数）", key)
        return ""
    return "；".join(f"{n}{money(v)}万元，占{pct(p)}%" for (n, v), p in zip(items, s, strict=True))


def wuhan_budget_narrative(b: Builder) -> None:
    y, d = b.year, b.data
    b1 = b.doc.table("B1")
    income_rows = [r for r in (b1.rows if b1 else []) if r.part == "收入" and r.key not in (
        "本年收入合计", "上年结转结余", "收入总计") and r.value("amount")]
    classes = [r for r in (b1.rows if b1 else []) if r.part == "支出" and r.code and r.value("amount")]
    total = b.v("B1", "收入总计", "amount", "收入")
    b.heading(3, "一、收支预算总体安排情况")
    b.para(f"按照综合预算的原则，{b.publisher}所有收入和支出均纳入{b.scope}预算管理。收入包括："
           + "、".join(strip_ordinal(r.name) for r in income_rows) + "。支出包括："
           + "、".join(r.name for r in classes) + "。")
    b.para(f"{y}年收支总预算{money(total)}万元" + _change(b, total, d.money("prev_total"))
           + (_reason(d.text("reason_total")) if d.money("prev_total") is not None else "。"))

    b.heading(3, "二、收入预算安排情况")
    income = b.v("B1", "本年收入合计", "amount", "收入")
    parts = [(strip_ordinal(r.name).replace("拨款收入", "财政拨款收入"), wan(r.value("amount"), b1.unit))
             for r in income_rows if b1 is not None]
    listing = _listing(b, parts, "B1")
    b.para(f"{y}年收入预算{money(income)}万元" + (f"，其中：{listing}。" if listing else "。"))

    b.heading(3, "三、支出预算安排情况")
    spend = b.v("B3", "合计", "total")
    basic, project = b.v("B3", "合计", "basic"), b.v("B3", "合计", "project")
    listing = _listing(b, [("基本支出", basic), ("项目支出", project)], "B3")
    b.para(f"{y}年支出预算{money(spend)}万元" + (f"，其中：{listing}。" if listing else "。"))

    b.heading(3, "四、财政拨款收支预算总体情况")
    fiscal = b.v("B4", "收入总计", "amount", "收入")
    b4 = b.doc.table("B4")
    funds = [(strip_ordinal(r.name), wan(r.value("amount"), b4.unit)) for r in (b4.rows if b4 else [])
             if r.part == "收入" and r.key in ("一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款")
             and r.value("amount")]
    spending = [(r.name, wan(r.value("amount"), b4.unit)) for r in (b4.rows if b4 else [])
                if r.part == "支出" and r.code and r.value("amount")]
    text = f"{y}年财政拨款收支总预算{money(fiscal)}万元。"
    if funds:
        text += "收入包括：" + "、".join(f"{n.replace('拨款', '财政拨款本年收入')}{money(v)}万元" for n, v in funds) + "。"
    if spending:
        text += "支出包括：" + "、".join(f"{n}{money(v)}万元" for n, v in spending) + "。"
    b.para(text)
    _general(b)
    _basic(b)
    _sangong(b)
    _funds(b)
    _other(b)


def _general(b: Builder) -> None:
    y, d = b.year, b.data
    b.heading(3, "五、一般公共预算支出安排情况")
    general = b.v("B5_1", "合计", "total")
    b.heading(4, "（一）一般公共预算拨款规模变化情况。")
    b.para(f"{y}年一般公共预算拨款{money(general)}万元" + _change(b, general, d.money("prev_general"))
           + (_reason(d.text("reason_general")) if d.money("prev_general") is not None else "。"))
    b.heading(4, "（二）一般公共预算拨款结构情况。")
    basic, project = b.v("B5_1", "合计", "basic"), b.v("B5_1", "合计", "project")
    people, public = b.v("B5_1", "合计", "personnel"), b.v("B5_1", "合计", "public")
    s = shares([basic, project], 2) if general else None
    if s is not None:
        b.para(f"{y}年一般公共预算拨款{money(general)}万元，其中：基本支出{money(basic)}万元，占{pct(s[0])}%；"
               f"项目支出{money(project)}万元，占{pct(s[1])}%。基本支出中，人员经费{money(people)}万元、"
               f"公用经费{money(public)}万元。")
    b.heading(4, "（三）一般公共预算拨款具体使用情况。")
    t = b.doc.table("B5_1")
    names = {r.code: r.name for r in (t.rows if t else []) if r.code}
    n = 0
    for r in (t.rows if t else []):
        if not (r.code and len(r.code) == 7 and r.value("total")):
            continue
        n += 1
        v = wan(r.value("total"), t.unit)  # type: ignore[union-attr]
        item = d.items.get(r.code)
        previous = item.previous if item else None
        b.para(f"{n}.{names.get(r.code[:3], '')}(类){names.get(r.code[:5], '')}(款){r.name}(项){y}年预算数{money(v)}万元"
               + _change(b, v, previous) + _reason(item.reason if item else ""))


def _basic(b: Builder) -> None:
    y = b.year
    b.heading(3, "六、一般公共预算基本支出安排情况")
    t = b.doc.table("B6")
    basic = b.v("B5_1", "合计", "basic")  # the narrative restates 表5-1 (表6 is its economic detail)
    people, public = b.v("B5_1", "合计", "personnel"), b.v("B5_1", "合计", "public")

    def named(prefixes: tuple[str, ...]) -> list:
        return [r for r in (t.rows if t else []) if r.code and len(r.code) == 5 and r.code[:3] in prefixes
                and r.value("total")]

    b.para(f"{y}年一般公共预算基本支出{money(basic)}万元，其中：")
    lines = [f"（一）人员经费{money(people)}万元，包括："]
    for cls in ("301", "303"):
        row = t.find(cls) if t else None
        items = named((cls,))
        if row is not None and row.value("total"):
            lines.append(f"{row.name}{money(wan(row.value('total'), t.unit))}万元"  # type: ignore[union-attr]
                         + ("，主要用于：" + "、".join(r.name for r in items) if items else "") + "。")
    items = named(("302", "310", "307", "309", "311", "312", "313", "399"))
    lines.append(f"（二）公用经费{money(public)}万元" + ("，主要用于：" + "、".join(r.name for r in items) if items else "")
                 + "。")
    b.para("\n".join(lines))


def _sangong(b: Builder) -> None:
    y = b.year
    b.heading(3, "七、一般公共预算“三公”经费支出安排情况")
    sg = {k: b.v("B7", "合计", k) for k in ("total", "abroad", "car", "car_buy", "car_run", "reception")}
    b.para(f"{y}年一般公共预算“三公”经费支出{money(sg['total'])}万元。具体包括：\n"
           f"1.因公出国（境）费{money(sg['abroad'])}万元。\n"
           f"2.公务用车购置及运行维护费{money(sg['car'])}万元（公务用车购置费{money(sg['car_buy'])}万元，"
           f"公务用车运行维护费{money(sg['car_run'])}万元）。\n"
           f"3.公务接待费{money(sg['reception'])}万元。"
           + (b.data.text("sangong_reason").rstrip("。") + "。" if b.data.text("sangong_reason") else ""))


def _funds(b: Builder) -> None:
    y = b.year
    for n, key, what in (("八", "B8", "政府性基金预算"), ("九", "B9", "国有资本经营预算")):
        b.heading(3, f"{n}、{what}支出安排情况")
        v = b.v(key, "合计", "total")
        b.para(f"{y}年{what}拨款安排的支出{money(v)}万元。" if v else f"{y}年没有使用{what}拨款安排的支出。")
    b.heading(3, "十、项目支出安排情况")
    project = b.v("B3", "合计", "project")
    general = b.v("B5_1", "合计", "project")
    projects = [f for f in b.doc.performance if f.kind == "项目" and f.budget is not None]
    b.para(f"{y}年项目支出{money(project)}万元" + (f"，其中：一般公共预算本年拨款{money(general)}万元" if general else "")
           + ("。具体使用情况如下：" if projects else "。"))
    for f in projects:  # the projects of the 项目支出绩效目标表, each with its 当年预算
        b.para(f"{f.name}{money(f.budget)}万元。")


def _other(b: Builder) -> None:
    y, d = b.year, b.data
    b.heading(3, "十一、其他重要事项的情况说明")
    b.heading(4, "（一）机关运行经费情况")
    rc = d.money("running_cost")
    b.para(f"{y}年机关运行经费预算{money(rc)}万元。" if rc else f"{y}年没有使用机关运行经费拨款安排的支出。")
    b.heading(4, "（二）政府采购预算情况")
    procurement(b, "预算", "预算")
    b.heading(4, "（三）国有资产占有使用情况")
    assets(b, b.year - 1)
    b.heading(4, "（四）预算绩效管理情况")
    whole = [f for f in b.doc.performance if f.kind == "整体"]
    projects = [f for f in b.doc.performance if f.kind == "项目"]
    spend = b.v("B3", "合计", "total")
    if whole or projects:
        money_p = sum((f.budget or ZERO for f in projects), ZERO)
        b.para(f"{y}年，预算支出{money(spend)}万元全面实施预算绩效目标管理。设置了"
               + "、".join((["整体支出绩效目标"] if whole else [])
                          + ([f"{len(projects)}个项目支出绩效目标（项目预算{money(money_p)}万元）"] if projects else []))
               + "。")
    b.para(d.text("performance_note"))


__all__ = ["wuhan_budget_narrative"]
