"""The narrative, sentence by sentence from the numbers (primer §6): totals and year-on-year with direction
words and rates, structure with shares that add up to 100 %, execution against the initial budget,
基本支出 composition, 三公 and 机关运行经费, procurement, performance — with the reasons the person wrote."""

from __future__ import annotations

from decimal import Decimal

from .document import Builder, cn
from .text import ZERO, change, money, pct, rate, shares, wan, yoy_clause

FUNDS_T2 = [("fiscal", "财政拨款收入"), ("superior", "上级补助收入"), ("business", "事业收入"),
            ("operating", "经营收入"), ("affiliated", "附属单位上缴收入"), ("other", "其他收入")]
SPEND_T3 = [("basic", "基本支出"), ("project", "项目支出"), ("to_superior", "上缴上级支出"),
            ("operating", "经营支出"), ("to_affiliated", "对附属单位补助支出")]


def _reason(text: str) -> str:
    text = (text or "").strip().rstrip("。")
    return f"，主要原因是{text}。" if text else "。"


def _structure(b: Builder, items: list[tuple[str, Decimal]], denominator: str, key: str) -> str:
    """``其中：基本支出830.68万元，占本年支出56.6%；项目支出636.18万元，占本年支出43.4%``."""
    items = [(n, v) for n, v in items if v]
    if not items:
        return ""
    s = shares([v for _, v in items])
    if s is None:
        b.problem("WRT004", f"{denominator}的构成不能计算占比（有负数）", key)
        return ""
    return "其中：" + "；".join(f"{n}{money(v)}万元，占{denominator}{pct(p)}%" for (n, v), p in zip(items, s, strict=True))


def final_narrative(b: Builder) -> None:
    y, d = b.year, b.data
    total = b.v("T1", "总计", "amount", "收入")
    income = b.v("T1", "本年收入合计", "amount", "收入")
    expense = b.v("T1", "本年支出合计", "amount", "支出")
    b.heading(2, "一、收入支出决算总体情况说明")
    yo = yoy_clause("收、支总计", total, d.money("prev_total"), y, each=True)
    b.para(f"{y}年度收、支总计{money(total)}万元。" + (f"{yo}" + _reason(d.text("reason_total")) if yo else ""))

    b.heading(2, "二、收入决算情况说明")
    yo = yoy_clause("收入合计", income, d.money("prev_income"), y)
    parts = [(name, b.v("T2", "合计", col)) for col, name in FUNDS_T2]
    b.para(f"{y}年度收入合计{money(income)}万元" + (f"，{yo}" if yo else "") + "。"
           + (_structure(b, parts, "本年收入", "T2") + "。" if any(v for _, v in parts) else ""))

    b.heading(2, "三、支出决算情况说明")
    yo = yoy_clause("支出合计", expense, d.money("prev_expense"), y)
    parts = [(name, b.v("T3", "合计", col)) for col, name in SPEND_T3]
    b.para(f"{y}年度支出合计{money(expense)}万元" + (f"，{yo}" if yo else "") + "。"
           + (_structure(b, parts, "本年支出", "T3") + "。" if any(v for _, v in parts) else ""))

    b.heading(2, "四、财政拨款收入支出决算总体情况说明")
    fiscal = b.v("T4", "总计", "amount", "收入")
    yo = yoy_clause("财政拨款收、支总计", fiscal, d.money("prev_fiscal_total"), y, each=True)
    b.para(f"{y}年度财政拨款收、支总计{money(fiscal)}万元。" + (f"{yo}。" if yo else ""))

    b.heading(2, "五、一般公共预算财政拨款支出决算情况说明")
    t5 = b.doc.table("T5")
    general = b.v("T5", "合计", "total")
    b.heading(3, "（一）一般公共预算财政拨款支出决算总体情况")
    share = rate(general, expense, 1) if expense else None
    yo = yoy_clause("一般公共预算财政拨款支出", general, d.money("prev_general"), y)
    b.para(f"{y}年度一般公共预算财政拨款支出{money(general)}万元"
           + (f"，占本年支出合计的{pct(share)}%" if share is not None else "") + "。"
           + (f"{yo}" + _reason(d.text("reason_general")) if yo else ""))
    b.heading(3, "（二）一般公共预算财政拨款支出决算结构情况")
    classes = [r for r in (t5.rows if t5 else []) if r.code and len(r.code) == 3 and r.value("total")]
    if classes and general:
        amounts = [wan(r.value("total"), t5.unit) for r in classes]
        s = shares(amounts)
        lines = [f"{y}年度一般公共预算财政拨款支出{money(general)}万元，主要用于以下方面："]
        if s is None:
            b.problem("WRT004", "一般公共预算财政拨款支出的类级科目不能计算占比（有负数）", "T5")
        else:
            for i, (r, v, p) in enumerate(zip(classes, amounts, s, strict=True), start=1):
                lines.append(f"{i}.{r.name}(类)支出{money(v)}万元，占{pct(p)}%。")
        b.para("\n".join(lines))
    b.heading(3, "（三）一般公共预算财政拨款支出决算具体情况")
    budget = d.money("initial_budget")
    basic, project = b.v("T5", "合计", "basic"), b.v("T5", "合计", "project")
    head = f"{y}年度一般公共预算财政拨款支出"
    if budget:
        head += f"年初预算为{money(budget)}万元，支出决算为{money(general)}万元，完成年初预算的{pct(rate(general, budget))}%"
    else:
        head += f"{money(general)}万元"
    b.para(head + f"。其中：基本支出{money(basic)}万元，项目支出{money(project)}万元。")
    n = 0
    names = {r.code: r.name for r in (t5.rows if t5 else []) if r.code}
    for r in (t5.rows if t5 else []):
        if not (r.code and len(r.code) == 7):
            continue
        item = d.items.get(r.code)
        actual = wan(r.value("total"), t5.unit)
        n += 1
        label = f"{names.get(r.code[:3], '')}(类){names.get(r.code[:5], '')}(款){r.name}(项)"
        if item and item.budget is not None:
            word = "大于" if actual > item.budget else "小于" if actual < item.budget else "等于"
            sent = (f"{n}.{label}。年初预算为{money(item.budget)}万元，支出决算为{money(actual)}万元"
                    + (f"，完成年初预算的{pct(rate(actual, item.budget))}%" if item.budget else "")
                    + f"，支出决算数{word}年初预算数" + _reason(item.reason))
        else:
            sent = f"{n}.{label}支出决算为{money(actual)}万元" + _reason(item.reason if item else "")
        b.para(sent)

    b.heading(2, "六、一般公共预算财政拨款基本支出决算情况说明")
    people, public = b.v("T6", "人员经费合计", "amount"), b.v("T6", "公用经费合计", "amount")
    t6 = b.doc.table("T6")

    def names_of(part: str) -> str:
        rows = [r for r in (t6.rows if t6 else []) if r.part == part and r.code and len(r.code) == 5
                and r.value("amount")]
        return "、".join(r.name for r in rows)

    b.para(f"{y}年度一般公共预算财政拨款基本支出{money(basic)}万元，其中：人员经费{money(people)}万元"
           + (f"，主要包括{names_of('人员经费')}" if names_of("人员经费") else "")
           + f"；公用经费{money(public)}万元" + (f"，主要包括{names_of('公用经费')}" if names_of("公用经费") else "") + "。")

    b.heading(2, "七、政府性基金预算财政拨款收入支出决算情况说明")
    fund = b.v("T7", "合计", "total")
    b.para(f"{y}年度政府性基金预算财政拨款支出{money(fund)}万元。" if fund
           else f"{b.publisher}{y}年度无政府性基金预算财政拨款收入支出。")
    b.heading(2, "八、国有资本经营预算财政拨款支出决算情况说明")
    soe = b.v("T8", "合计", "total")
    b.para(f"{y}年度国有资本经营预算财政拨款支出{money(soe)}万元。" if soe
           else f"{b.publisher}{y}年度无国有资本经营预算财政拨款支出。")

    b.heading(2, "九、财政拨款“三公”经费支出决算情况说明")
    sg = {k: b.v("T9", "合计", k) for k in ("budget_total", "final_total", "final_abroad", "final_car",
                                            "final_car_buy", "final_car_run", "final_reception")}
    text = f"{y}年度“三公”经费财政拨款支出预算为{money(sg['budget_total'])}万元，支出决算为{money(sg['final_total'])}万元"
    if sg["budget_total"]:
        text += f"，完成预算的{pct(rate(sg['final_total'], sg['budget_total']))}%"
    text += (f"。其中：因公出国（境）费支出决算{money(sg['final_abroad'])}万元；公务用车购置及运行维护费支出决算"
             f"{money(sg['final_car'])}万元，其中：公务用车购置费{money(sg['final_car_buy'])}万元，公务用车运行维护费"
             f"{money(sg['final_car_run'])}万元；公务接待费支出决算{money(sg['final_reception'])}万元。")
    b.para(text + (d.text("sangong_reason").rstrip("。") + "。" if d.text("sangong_reason") else ""))

    b.heading(2, "十、机关运行经费支出说明")
    rc = d.money("running_cost")
    if rc is not None:
        yo = yoy_clause("机关运行经费", rc, d.money("prev_running_cost"), y)
        b.para(f"{y}年度机关运行经费支出{money(rc)}万元" + (f"，{yo}" + _reason(d.text("reason_running")) if yo else "。"))
    else:
        b.para(f"{b.publisher}{y}年度无机关运行经费支出。")
    b.heading(2, "十一、政府采购支出说明")
    procurement(b, "支出", "支出总额")
    b.heading(2, "十二、国有资产占用情况说明")
    assets(b)
    b.heading(2, "十三、预算绩效情况说明")
    performance(b)
    b.para(d.text("performance_note"))


def performance(b: Builder) -> None:
    """预算绩效 from the self-evaluation forms: the projects evaluated and their money, the whole unit's
    evaluation, each project's 预算数 / 执行数 / 完成率 and score (the seeds restate these by hand)."""
    forms = [f for f in b.doc.performance if f.stage == "自评"]
    projects = [f for f in forms if f.kind == "项目" and f.actual is not None]
    whole = next((f for f in forms if f.kind == "整体"), None)
    who = "我部门" if b.scope == "部门" else "我单位"
    if projects:
        spent = sum((f.actual for f in projects), ZERO)  # type: ignore[misc]
        t5p = b.v("T5", "合计", "project")
        share = rate(spent, t5p) if t5p else None
        b.para(f"根据预算绩效管理要求，{who}组织对{b.year}年度一般公共预算项目支出全面开展绩效自评，共涉及项目"
               f"{len(projects)}个，资金{money(spent)}万元" + (f"，占一般公共预算项目支出总额的{pct(share)}%" if share else "")
               + "。")
    if whole is not None and whole.actual is not None:
        b.para(f"{who}组织对1个单位开展整体支出绩效自评，资金{money(whole.actual)}万元"
               + (f"，自评得分{whole.total_score}分" if whole.total_score is not None else "") + "。")
        initial = b.data.money("initial_budget")
        if whole.budget is not None and initial is not None and whole.budget != initial:
            # the form's 预算数 is the adjusted budget: said, with the 年初预算 it was adjusted from
            word = "增加" if whole.budget > initial else "减少"
            b.para(f"整体支出绩效自评表预算数为调整后预算{money(whole.budget)}万元（年初预算{money(initial)}万元，"
                   f"年中调整{word}{money(abs(whole.budget - initial))}万元，含上年结转和年中追加、调减）。")
    for i, f in enumerate(projects, start=1):
        done = rate(f.actual, f.budget) if f.budget else None  # type: ignore[arg-type]
        b.para(f"{i}.{f.name}绩效自评综述：项目全年预算数为{money(f.budget)}万元，执行数为{money(f.actual)}万元"
               + (f"，完成预算的{pct(done)}%" if done is not None else "")
               + (f"，自评得分{f.total_score}分" if f.total_score is not None else "") + "。")


def procurement(b: Builder, word: str, total_word: str) -> None:
    d, y = b.data, b.year
    g, w, s = (d.money(k) for k in ("procurement_goods", "procurement_works", "procurement_services"))
    if g is None and w is None and s is None:
        b.para(f"{b.publisher}{y}年度无政府采购{word}。")
        return
    g, w, s = g or ZERO, w or ZERO, s or ZERO
    total = g + w + s
    text = (f"{y}年度政府采购{total_word}{money(total)}万元，其中：政府采购货物{word}{money(g)}万元、"
            f"政府采购工程{word}{money(w)}万元、政府采购服务{word}{money(s)}万元。")
    sme, micro = d.money("procurement_sme"), d.money("procurement_micro")
    if sme is not None and total:
        if sme > total:
            b.problem("WRT004", f"授予中小企业合同金额 {money(sme)} 万元大于政府采购总额 {money(total)} 万元，占比不能超过100%",
                      None, info="procurement_sme")
        else:
            text += f"授予中小企业合同金额{money(sme)}万元，占政府采购{total_word}的{pct(rate(sme, total))}%"
            if micro is not None and sme:
                if micro > sme:
                    b.problem("WRT004", f"授予小微企业合同金额 {money(micro)} 万元大于授予中小企业合同金额 {money(sme)} 万元",
                              None, info="procurement_micro")
                else:
                    text += f"，其中：授予小微企业合同金额{money(micro)}万元，占授予中小企业合同金额的{pct(rate(micro, sme))}%"
            text += "。"
    b.para(text)


def assets(b: Builder, year: int | None = None) -> None:
    """国有资产占用: at the end of ``year`` (the document's; a budget states last year's end)."""
    d = b.data
    parts = []
    if d.text("vehicles"):
        parts.append(f"截至{year or b.year}年12月31日，共有车辆{d.text('vehicles')}")
    if d.text("equipment"):
        parts.append(f"单价100万元（含）以上设备{d.text('equipment')}")
    b.para(("；".join(parts) + "。") if parts else "")
    b.para(d.text("assets_note"))


# ---------------------------------------------------------------- 预算 (Shanghai)
def budget_narrative(b: Builder) -> None:
    y = b.year
    total = b.v("B1", "收入总计", "amount", "收入")
    fiscal = b.v("B1", "财政拨款收入", "amount", "收入")
    parts = [("财政拨款收入", fiscal), ("事业收入", b.v("B1", "事业收入", "amount", "收入")),
             ("事业单位经营收入", b.v("B1", "事业单位经营收入", "amount", "收入")),
             ("其他收入", b.v("B1", "其他收入", "amount", "收入"))]
    b.para(f"{y}年，{b.publisher}收入预算{money(total)}万元，其中：" + "，".join(
        f"{n}{money(v)}万元" for n, v in parts) + "。")
    spend = b.v("B1", "支出总计", "amount", "支出")
    fexp = b.v("B4", "支出总计", "amount", "支出")
    b.para(f"支出预算{money(spend)}万元，其中：财政拨款支出预算{money(fexp)}万元。财政拨款支出预算中，一般公共预算拨款支出预算"
           f"{money(b.v('B5_1', '合计', 'total'))}万元，政府性基金拨款支出预算{money(b.v('B8', '合计', 'total'))}万元，"
           f"国有资本经营预算拨款支出预算{money(b.v('B9', '合计', 'total'))}万元。")
    t = b.doc.table("B5_1")
    if t is None:
        return
    names = {r.code: r.name for r in t.rows if r.code}
    b.para("财政拨款支出主要内容如下：")
    n = 0
    for r in t.rows:
        if not (r.code and len(r.code) == 7 and r.value("total")):
            continue
        n += 1
        item = b.data.items.get(r.code)
        reason = (item.reason.strip().rstrip("。") if item and item.reason else "")
        b.para(f"{n}.“{names.get(r.code[:3], '')}（类）{names.get(r.code[:5], '')}（款）{r.name}（项）”"
               f"{money(wan(r.value('total'), t.unit))}万元" + (f"，主要用于{reason}。" if reason else "。"))


def budget_other(b: Builder) -> None:
    y, d = b.year, b.data
    b.heading(2, f"一、{y}年“三公”经费预算情况说明")
    sg = {k: b.v("B7", "合计", k) for k in ("total", "abroad", "reception", "car", "car_buy", "car_run", "running")}
    b.para(f"{y}年“三公”经费预算数为{money(sg['total'])}万元，其中：因公出国（境）费{money(sg['abroad'])}万元，"
           f"公务用车购置及运行费{money(sg['car'])}万元（其中：公务用车购置费{money(sg['car_buy'])}万元，"
           f"公务用车运行费{money(sg['car_run'])}万元），公务接待费{money(sg['reception'])}万元。"
           + (d.text("sangong_reason").rstrip("。") + "。" if d.text("sangong_reason") else ""))
    b.heading(2, "二、机关运行经费预算")
    run = sg["running"] if b.doc.table("B7") and b.doc.table("B7").column("running") else d.money("running_cost")
    if run is not None:
        b.para(f"{y}年{b.publisher}财政拨款的机关运行经费预算为{money(run)}万元。")
    b.heading(2, "三、政府采购预算情况")
    procurement(b, "预算", "预算")
    b.heading(2, "四、绩效目标设置情况")
    b.para(d.text("performance_note"))
    b.heading(2, "五、国有资产占有使用情况")
    assets(b)


__all__ = ["budget_narrative", "budget_other", "change", "cn", "final_narrative"]
