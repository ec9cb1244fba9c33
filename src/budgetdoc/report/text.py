"""Text output for people: Chinese, errors first, repeated findings grouped, with locations."""

from __future__ import annotations

import os

from ..check import Report
from ..check.findings import SEVERITY_ORDER, SEVERITY_ZH
from ..model import Disclosure, Location
from .groups import Group, group, is_rounding

CATEGORY_ZH = {
    "completeness": "完整性",
    "arithmetic": "表内勾稽",
    "relation": "表间勾稽",
    "classification": "科目编码与名称",
    "identity": "单位、年度与占位符",
    "narrative": "情况说明与表格",
    "performance": "绩效自评",
    "recognition": "识别",
    "cross-document": "跨文件",
    "content": "内容规范",
    "presentation": "文字与版面",
}


def where(loc: Location, files: object = ()) -> str:
    """A place for people: page, line, table, row, column; the file's name first when the place is in
    one of ``files`` (a document of several files names the file of each place)."""
    parts = []
    if loc.file and loc.file in files:  # type: ignore[operator]
        parts.append(os.path.basename(loc.file))
    if loc.page is not None and (loc.bbox is not None or loc.line is None or loc.page > 1):
        parts.append(f"第{loc.page}页")
    if loc.line is not None:
        parts.append(f"第{loc.line}行")
    if loc.table:
        parts.append(f"表{loc.table}")
    if loc.row:
        parts.append(f"行「{loc.part}·{loc.row}」" if loc.part else f"行「{loc.row}」")
    if loc.column:
        parts.append(f"栏「{loc.column_label or loc.column}」")
    return "，".join(parts) or "全文"


def _identity_line(doc: object) -> str:
    d = doc  # Identity
    bits = [getattr(d, "publisher", None) or "（未识别单位）"]
    if getattr(d, "year", None):
        bits.append(f"{d.year}年度")
    bits.append(f"{getattr(d, 'scope', None) or ''}{getattr(d, 'kind', None) or ''}")
    return " ".join(b for b in bits if b)


def check_text(report: Report, min_severity: str | None = None) -> str:
    """The findings for a person at a terminal: errors first, then warnings, then notes; repeated findings
    (same rule, same message at several places) as one entry listing the places; a closing count line.

    ``min_severity`` None (the default): every error, warning and note except the rounding notes, which
    are counted in one line; ``"info"``: everything; ``"warning"``/``"error"``: that level and above."""
    folding = min_severity is None
    floor = SEVERITY_ORDER[min_severity or "info"]
    shown = [f for f in report.findings if SEVERITY_ORDER[f.severity] >= floor]
    folded = [f for f in shown if is_rounding(f)] if folding else []
    if folded:
        shown = [f for f in shown if not is_rounding(f)]
    s = report.summary()
    files = {p.file for p in report.parts}
    out = [
        f"文件：{report.source}",
        *([parts_line(report.parts)] if report.parts else []),
        f"文档：{_identity_line(report.document)}（金额单位：{report.document.unit}）",
        f"结果：错误 {s['error']} 项，警告 {s['warning']} 项，提示 {s['info']} 项"
        f"（检查规则 {report.rules_run} 条，表格 {report.tables} 张，说明语句 {report.statements} 条，"
        f"绩效表 {report.forms} 张）",
    ]
    if not report.findings:
        out.append("未发现问题。")
    elif not shown and not folded:
        out.append("没有达到所选级别的问题。")
    groups = group(shown)
    for sev in ("error", "warning", "info"):
        items = [g for g in groups if g.severity == sev]
        if not items:
            continue
        n = sum(g.size for g in items)
        out.append("")
        out.append(f"== {SEVERITY_ZH[sev]}（{n} 项） ==")
        for g in items:
            out.extend(_entry(g, files))
    if folded:
        out.append("")
        out.append(f"另有 {len(folded)} 条尾差提示（--min-severity info 显示）")
    out.append("")
    out.append(f"共 {len(report.findings)} 项：错误 {s['error']}，警告 {s['warning']}，提示 {s['info']}")
    return "\n".join(out) + "\n"


ROLE_ZH = {"narrative": "情况说明", "tables": "公开表", "whole": "情况说明和公开表"}


def parts_line(parts: list) -> str:
    """``由 2 个文件合为一份文档：X（情况说明，19 页）、Y（公开表，13 页）``; parts found beside the file given
    are said so: ``X 与同一文件夹中的 Y 合为一份文档检查（--alone 只检查所给文件）``."""
    shown = "、".join(f"{os.path.basename(p.file)}（{ROLE_ZH.get(p.role, p.role)}，{p.pages} 页）" for p in parts)
    line = f"由 {len(parts)} 个文件合为一份文档：{shown}"
    found = [os.path.basename(p.file) for p in parts if getattr(p, "found", False)]
    if found:
        given = "、".join(os.path.basename(p.file) for p in parts if not getattr(p, "found", False))
        line += f"。{given} 与同一文件夹中的 {'、'.join(found)} 合为一份文档检查（--alone 只检查所给文件）"
    return line


def _entry(g: Group, files: object = ()) -> list[str]:
    f = g.first
    cat = CATEGORY_ZH.get(f.category, f.category)
    if not g.grouped:
        return [f"[{SEVERITY_ZH[f.severity]}] {f.rule} {cat}：{where(f.location, files)}", f"    {f.message}"]
    out = [f"[{SEVERITY_ZH[f.severity]}] {f.rule} {cat}：同一问题共 {g.size} 处", f"    {g.pattern()}"]
    for m, detail in zip(g.findings, g.details(), strict=True):
        out.append(f"    · {where(m.location, files)}" + (f"：{detail}" if detail else ""))
    return out


def extract_text(doc: Disclosure) -> str:
    files = {p.file for p in doc.parts}
    out = [f"文件：{doc.source}", *([parts_line(doc.parts)] if doc.parts else []),
           f"文档：{_identity_line(doc.identity)}（金额单位：{doc.identity.unit}）"]
    for t in doc.tables:
        out.append("")
        head = f"[{t.key}] {t.title}" + (f"（{t.number}）" if t.number else "")
        out.append(head + f"  {where(t.location, files)}" + ("  空表" if t.empty else ""))
        if t.empty and t.statement:
            out.append(f"    说明：{t.statement}")
        labels = {c.id: c.label for c in t.columns}
        for r in t.rows:
            vals = "；".join(f"{labels.get(c.column, c.column)}={c.value}" for c in r.cells if c.value is not None)
            tag = f"{r.part}·" if r.part else ""
            out.append(f"    {tag}{r.code or ''} {r.name}：{vals}".rstrip("："))
    if doc.narrative:
        out.append("")
        out.append(f"情况说明语句 {len(doc.narrative)} 条")
        for s in doc.narrative:
            vals = "，".join(f"{k}={v}" for k, v in s.values.items())
            out.append(f"    [{s.kind}] {s.subject}：{vals}  {where(s.location, files)}")
    if doc.performance:
        out.append("")
        out.append(f"绩效表 {len(doc.performance)} 张")
        for p in doc.performance:
            out.append(f"    [{p.kind}{p.stage}] {p.name} 预算{p.budget} 执行{p.actual} 总分{p.total_score}"
                       f"，指标 {len(p.indicators)} 个  {where(p.location, files)}")
    return "\n".join(out) + "\n"
