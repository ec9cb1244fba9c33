"""What a written disclosure is made from: the tables (a :class:`~budgetdoc.model.Disclosure`), the
document information the tables do not hold (文档信息), the per-line-item explanations (科目说明), the
performance forms, and where each cell came from in the input (``表3!C12``) so that a finding names it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..model import Disclosure

# 文档信息: field name → (key, what to write). The order is the order of the sheet.
INFO_FIELDS: list[tuple[str, str, str]] = [
    ("publisher", "单位名称", "公开主体的全称，如“武汉市人力资源和社会保障信息中心”"),
    ("scope", "范围", "单位 或 部门"),
    ("kind", "类型", "决算 或 预算"),
    ("year", "年度", "公开的财政年度，如 2023"),
    ("region", "地区", "如 武汉市、上海市普陀区；决定模板与绩效计分规则"),
    ("template", "模板", "留空按地区与类型自动选择；可填 wuhan-final、shanghai-budget、national-final"),
    ("date", "发布日期", "如 2024年9月10日，可留空"),
    ("superior", "主管部门", "上级主管部门名称（预算封面“预算主管部门”），可留空"),
    ("duties", "主要职能", "必填：单位（部门）主要职能（写在第一部分“主要职能”下），可多段，段间换行；未填写时警告 WRT011"),
    ("structure", "机构设置", "必填：机构设置或决算（预算）单位构成（写在“机构设置”下），可多段；未填写时警告 WRT011"),
    ("staff", "人员构成", "人员编制与实有人数（决算写在“人员构成情况”下），可留空"),
    ("prev_total", "上年收支总计", "上年度收、支总计（万元），用于计算增减额与增减率"),
    ("prev_income", "上年收入合计", "上年度本年收入合计（万元）"),
    ("prev_expense", "上年支出合计", "上年度本年支出合计（万元）"),
    ("prev_fiscal_total", "上年财政拨款收支总计", "上年度财政拨款收、支总计（万元）"),
    ("prev_general", "上年一般公共预算财政拨款支出", "上年度一般公共预算财政拨款支出（万元）"),
    ("initial_budget", "年初预算", "一般公共预算财政拨款支出年初预算数（万元）"),
    ("reason_total", "收支增减原因", "收、支总计增减变化的主要原因"),
    ("reason_general", "一般公共预算支出增减原因", "一般公共预算财政拨款支出增减变化的主要原因"),
    ("running_cost", "机关运行经费", "本年机关运行经费（万元）"),
    ("prev_running_cost", "上年机关运行经费", "上年机关运行经费（万元）"),
    ("reason_running", "机关运行经费增减原因", ""),
    ("sangong_reason", "三公经费说明", "“三公”经费预算与决算差异或增减的原因"),
    ("procurement_goods", "政府采购货物", "政府采购货物支出（万元）"),
    ("procurement_works", "政府采购工程", "政府采购工程支出（万元）"),
    ("procurement_services", "政府采购服务", "政府采购服务支出（万元）"),
    ("procurement_sme", "授予中小企业合同金额", "（万元）"),
    ("procurement_micro", "授予小微企业合同金额", "（万元），不超过授予中小企业合同金额"),
    ("vehicles", "车辆", "截至年末车辆总数（辆），可附说明"),
    ("equipment", "单价100万元以上设备", "单价100万元（含）以上设备台（套）数"),
    ("assets_note", "国有资产说明", "国有资产占用情况的其他说明"),
    ("performance_note", "绩效说明", "预算绩效管理工作开展情况（绩效表见“绩效表”“绩效指标”“绩效金额”工作表）"),
    ("work", "重点工作", "重点工作完成情况（武汉决算第四部分），可留空"),
    ("glossary", "名词解释", "留空使用模板的名词解释"),
]
INFO_KEYS = {zh: key for key, zh, _ in INFO_FIELDS}
INFO_LABEL = {key: zh for key, zh, _ in INFO_FIELDS}
MONEY_FIELDS = {
    "prev_total", "prev_income", "prev_expense", "prev_fiscal_total", "prev_general", "initial_budget",
    "running_cost", "prev_running_cost", "procurement_goods", "procurement_works", "procurement_services",
    "procurement_sme", "procurement_micro",
}


@dataclass
class Item:
    """One line item's explanation (科目说明): its initial budget, last year's amount, the reason."""

    code: str
    budget: Decimal | None = None  # 年初预算（决算）或 上年预算（预算）
    previous: Decimal | None = None  # 上年决算数 / 上年预算执行数
    reason: str = ""
    ref: str = ""  # where it was read (科目说明!B3)


@dataclass
class WriteData:
    doc: Disclosure  # identity, tables (values as given), performance forms
    info: dict[str, object] = field(default_factory=dict)  # 文档信息 by key (money as Decimal)
    items: dict[str, Item] = field(default_factory=dict)
    # (table key, part, row key, column id) → "sheet!A1", and (table key, None, None, None) → sheet name
    refs: dict[tuple, str] = field(default_factory=dict)
    info_refs: dict[str, str] = field(default_factory=dict)  # info key → "文档信息!B5" (a value given there)
    info_cells: dict[str, str] = field(default_factory=dict)  # info key → its cell, given or empty
    # ("form", i, field) / ("indicator", i, j, field) / ("amount", i, key) → "绩效表!F3" (the forms' cells)
    form_refs: dict[tuple, str] = field(default_factory=dict)
    source: str = ""

    def ref(self, table: str | None, part: str | None = None, row: str | None = None,
            column: str | None = None) -> str | None:
        """The input cell of a table cell, else its row, else its table (sheet name)."""
        if table is None:
            return None
        for key in ((table, part, row, column), (table, part, row, None), (table, None, row, column),
                    (table, None, row, None), (table, None, None, None)):
            if key in self.refs:
                return self.refs[key]
        return None

    def money(self, key: str) -> Decimal | None:
        v = self.info.get(key)
        return v if isinstance(v, Decimal) else None

    def cell(self, key: str) -> str:
        """The input cell of a 文档信息 field, filled or not (``文档信息!B10``; ``文档信息!主要职能`` when the
        input has no such cell, as a JSON file)."""
        return self.info_refs.get(key) or self.info_cells.get(key) or f"文档信息!{INFO_LABEL[key]}"

    def text(self, key: str) -> str:
        v = self.info.get(key)
        return "" if v is None else str(v)
