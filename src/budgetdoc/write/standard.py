"""The standard rows of an empty workbook (``budgetdoc write --init``): each table of a template with its
catalog columns, the fixed rows of the summary tables, the national list's 类 for the year."""

from __future__ import annotations

from ..data import catalog, codes
from ..model import Column, Row, Table

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
        cols = [c for c in spec["columns"]
                if (not c.get("optional") or c["id"] in OPTIONAL_KEEP.get(spec["key"], ()))
                and not (shanghai and c["id"] in SHANGHAI_DROP.get(spec["key"], ()))]
        t = Table(key=spec["key"], title=spec_t["title"], unit=spec_t.get("unit", tpl["unit"]),
                  columns=[Column(id=c["id"], label=c["label"], number=c.get("number"), group=c.get("group"))
                           for c in cols])
        layout = spec["layout"]
        if layout == "summary":
            for name in INCOME.get(spec["key"], []):
                t.rows.append(Row(name=name, key=name, part="收入"))
            for code, name in classes:
                t.rows.append(Row(code=code, name=name, key=code, part="支出"))
            for name in SPENDING_TAIL.get(spec["key"], []):
                t.rows.append(Row(name=name, key=name, part="支出"))
        elif layout == "sangong":
            t.rows.append(Row(name="", key="合计"))
        else:
            t.rows.append(Row(name="合计", key="合计"))
            if spec["key"] == "T6":
                t.rows.append(Row(name="人员经费合计", key="人员经费合计"))
                t.rows.append(Row(name="公用经费合计", key="公用经费合计"))
        out.append(t)
    return out
