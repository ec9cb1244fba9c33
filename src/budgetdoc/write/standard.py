"""The standard rows of an empty workbook (``budgetdoc write --init``): each table of a template with its
catalog columns, the fixed rows of the summary tables, the national list's 类 for the year."""

from __future__ import annotations

from ..data import catalog, codes
from ..model import Cell, Column, Disclosure, Row, Table

INCOME = {
    "T1": ["一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入", "上级补助收入",
           "事业收入", "经营收入", "附属单位上缴收入", "其他收入", "本年收入合计", "使用非财政拨款结余",
           "年初结转和结余", "总计"],
    "T4": ["一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款", "本年收入合计",
           "年初财政拨款结转和结余", "总计"],
    "B1": ["财政拨款收入", "一般公共预算资金", "政府性基金", "国有资本经营预算", "事业收入", "事业单位经营收入",
           "其他收入", "收入总计"],
    "B4": ["一般公共预算资金", "政府性基金", "国有资本经营预算", "收入总计"],
}
SPENDING_TAIL = {"T1": ["本年支出合计", "结余分配", "年末结转和结余", "总计"],
                 "T4": ["本年支出合计", "年末财政拨款结转和结余", "总计"],
                 "B1": ["支出总计"], "B4": ["支出总计"]}
OPTIONAL_KEEP = {"B2": {"fiscal"}, "B7": {"running"}}  # Shanghai variants print these
SHANGHAI_DROP = {"B2": {"general", "fund", "soe", "special", "carry", "superior", "affiliated"},
                 "B3": {"operating", "to_superior", "to_affiliated"}, "B5_1": {"personnel", "public"}}


def standard_tables(tpl: dict, year: int | None) -> list[Table]:
    out = []
    classes = [(c, n) for c, n in codes("functional", year).items() if len(c) == 3]
    shanghai = tpl["name"].startswith("shanghai")
    for spec_t in tpl["tables"]:
        spec = catalog()["by_key"][spec_t["key"]]
        if spec["layout"] == "performance":
            continue  # the forms are the 绩效表 sheets
        cols = [c for c in spec["columns"]
                if (not c.get("optional") or (shanghai and c["id"] in OPTIONAL_KEEP.get(spec["key"], ())))
                and not (shanghai and c["id"] in SHANGHAI_DROP.get(spec["key"], ()))]
        t = Table(key=spec["key"], title=spec_t["title"], unit=spec_t.get("unit", tpl["unit"]),
                  columns=[Column(id=c["id"], label=c["label"], number=c.get("number"), group=c.get("group"))
                           for c in cols])
        layout = spec["layout"]
        rows = tpl.get("rows", {})  # a template's own fixed rows (Wuhan: 上年结转结余, 年终结转结余 …)
        if layout == "summary":
            for name in rows.get(f"{spec['key']}_income", INCOME.get(spec["key"], [])):
                t.rows.append(Row(name=name.split("/")[-1], key=name, part="收入"))
            for name in rows.get(f"{spec['key']}_head", []):
                t.rows.append(Row(name=name, key=name, part="支出"))
            for code, name in classes:
                t.rows.append(Row(code=code, name=name, key=code, part="支出"))
            for name in rows.get(f"{spec['key']}_tail", SPENDING_TAIL.get(spec["key"], [])):
                t.rows.append(Row(name=name, key=name, part="支出"))
        elif layout == "sangong":
            t.rows.append(Row(name="", key="合计"))
        elif layout in ("units", "projects"):
            pass  # one row per unit or project, with its code
        else:
            t.rows.append(Row(name="合计", key="合计"))
            if spec["key"] == "T6":
                t.rows.append(Row(name="人员经费合计", key="人员经费合计"))
                t.rows.append(Row(name="公用经费合计", key="公用经费合计"))
        out.append(t)
    return out


# 收支总表 income rows → the 收入总表 column of that source (预算)
B2_SOURCE = {"一般公共预算拨款收入": "general", "政府性基金预算拨款收入": "fund", "国有资本经营预算拨款收入": "soe",
             "财政专户管理资金收入": "special", "事业收入": "business", "事业单位经营收入": "operating",
             "上级补助收入": "superior", "附属单位上缴收入": "affiliated", "其他收入": "other", "上年结转结余": "carry"}


def income_table(doc: Disclosure, tpl: dict) -> Table | None:
    """收入总表 (B2) when a document promises it and does not print it (seed 002): when the 收支总表 has one
    source of income, each 支出总表 line item is income of that source. None when it cannot be told."""
    if doc.table("B2") is not None or doc.table("B1") is None or doc.table("B3") is None:
        return None
    if "B2" not in [t["key"] for t in tpl["tables"]]:
        return None
    b1, b3 = doc.table("B1"), doc.table("B3")
    sources = [B2_SOURCE[r.key] for r in b1.rows if r.part == "收入" and r.key in B2_SOURCE and r.value("amount")]
    if len(sources) != 1:
        return None
    t = next(x for x in standard_tables({**tpl, "tables": [{"key": "B2", "title": "收入总表"}]}, doc.identity.year))
    t.unit, t.publisher = b3.unit, b3.publisher
    t.rows = []
    for r in [r for r in b3.rows if r.key == "合计"] + [r for r in b3.rows if r.code]:
        row = Row(code=r.code, name=r.name, key=r.key)
        v = r.value("total")  # as printed (a total rounded from yuan stays as published)
        if v is not None:
            row.cells = [Cell(column=c, value=v, text=f"{v:.2f}") for c in ("total", sources[0])]
        t.rows.append(row)
    return t
