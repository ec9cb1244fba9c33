"""Write a correct disclosure from data (issue 10): ``budgetdoc write DATA -o OUT``.

DATA (a workbook or the model's JSON, :mod:`.workbook`) → every derived cell and code name computed
(:mod:`.compute`) → blocks of a template (:mod:`.document`, :mod:`.narrative`, ``data/templates``) → the
gate: the data's own findings plus budgetdoc's checker run on the written text read back
(:func:`gate`) → markdown, HTML, DOCX or PDF, written to a temporary file and moved into place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..check import check
from ..check.findings import Finding
from ..data import catalog
from ..errors import InputError
from ..model import Disclosure, Location
from .compute import compute
from .data import INFO_LABEL, WriteData
from .document import Block, Builder
from .forms import compute_forms
from .marks import mark_tables
from .render_text import markdown, to_html
from .template import template
from .workbook import read_data

FORMATS = (".md", ".html", ".htm", ".docx", ".pdf")
# the writer's findings on the forms → the checker's rules that say the same of the written forms
FORM_RULES = {"WRT006": ("PRF005",), "WRT007": ("PRF006", "PRF007"), "WRT008": ("PRF001", "PRF002", "PRF003", "PRF008"),
              "WRT009": ("PRF004",), "WRT010": ("PRF012",)}


@dataclass
class Written:
    doc: Disclosure  # the computed model
    blocks: list[Block]
    template: dict
    findings: list[Finding] = field(default_factory=list)  # errors refuse, warnings are said
    readback: Disclosure | None = None  # the written text as budgetdoc reads it

    @property
    def refused(self) -> bool:
        return any(f.severity == "error" for f in self.findings)


def _missing_identity(data: WriteData) -> list[Finding]:
    out = []
    for key in ("publisher", "kind", "year", "scope"):
        if data.info.get(key) in (None, "") and getattr(data.doc.identity, key, None) in (None, ""):
            out.append(Finding(rule="WRT005", name="write-data", category="data", severity="error",
                               message=f"文档信息!{INFO_LABEL[key]} 未填写（{INFO_LABEL[key]}是生成文件所必需的）",
                               location=Location(file=data.source)))
    return out


def _missing(doc: Disclosure, key: str) -> bool:
    """A statutory table (or performance form table: 整体 always, 项目 when there is project money) absent."""
    if key == "B11":
        return not any(f.kind == "整体" for f in doc.performance)
    if key == "B12":
        b3 = doc.table("B3")
        money = b3.value("合计", "project") if b3 is not None else None
        return bool(money) and not any(f.kind == "项目" for f in doc.performance)
    return doc.table(key) is None


def prepare(data: WriteData, template_name: str | None = None) -> Written:
    """Compute, lay out and check: the written document and every finding on it (nothing is saved)."""
    findings = _missing_identity(data)
    if findings:
        raise InputError("；".join(f.message for f in findings))
    ident = data.doc.identity
    tpl = template(template_name or str(data.info.get("template") or "") or None, ident.kind, ident.region,
                   ident.publisher, {t.key for t in data.doc.tables})
    doc, data_findings, _ = compute(data)
    findings += data_findings
    doc.performance, form_findings, _ = compute_forms(data, doc)
    findings += form_findings
    for spec in tpl["tables"]:
        if _missing(doc, spec["key"]):
            title = spec["title"].format(scope=ident.scope or "单位", year=ident.year)
            where = ("“绩效表”中没有这类绩效目标表（类型填“整体”或“项目”，阶段填“目标”）" if spec["key"] in ("B11", "B12")
                     else "工作簿中没有这张表的工作表（无数据时也须公开空表）")
            findings.append(Finding(rule="WRT003", name="write-data", category="data", severity="error",
                                    message=f"缺少法定公开表《{title}》（{spec['key']}）：{where}",
                                    location=Location(file=data.source, table=spec["key"])))
    placed = any("forms" in part["sections"] for part in tpl["parts"]) or any(
        catalog()["by_key"].get(t["key"], {}).get("layout") == "performance" for t in tpl["tables"])
    if doc.performance and not placed:
        findings.append(Finding(rule="WRT003", name="write-data", category="data", severity="warning",
                                message=f"模板“{tpl['name']}”没有绩效表的位置：“绩效表”中的 {len(doc.performance)} 张表未写出",
                                location=Location(file=data.source)))
    b = Builder(doc, data, tpl)
    blocks = b.build()
    findings += b.problems
    w = Written(doc=doc, blocks=blocks, template=tpl, findings=findings)
    gate(w, data)
    w.findings = _once(w.findings)
    said = {id(f) for f in b.problems}  # the narrative's own problems are on its paragraphs
    mark_tables(w.blocks, [f for f in w.findings if id(f) not in said])
    return w


def _once(findings: list[Finding]) -> list[Finding]:
    """Each finding once (a cell two identities find wrong is one problem of the data)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for f in findings:
        if (f.rule, f.message) not in seen:
            seen.add((f.rule, f.message))
            out.append(f)
    return out


def gate(w: Written, data: WriteData) -> None:
    """budgetdoc's own checker on the written text read back; its errors and warnings join the findings,
    each named by the input cell of the table cell it concerns."""
    from ..read import read_text
    from ..recognise import recognise

    text = markdown([b for b in w.blocks if b.kind != "para" or b.text])
    back = recognise(read_text(text, data.source or "written.md", markdown=True))
    w.readback = back
    said = {r for f in w.findings for r in FORM_RULES.get(f.rule, ())}
    for f in check(back).findings:
        if f.severity == "info" or f.rule in said:
            continue  # a form problem the data's own findings (WRT006-WRT009) already say, naming its cells
        loc = f.location
        ref = data.ref(loc.table, loc.part, loc.row, loc.column)
        if ref and not f.message.startswith(ref):
            f = f.model_copy(update={"message": f"{ref}：{f.message}"})
        w.findings.append(f)


def render(w: Written, out: str, draft: bool = False) -> None:
    """Write the document at ``out`` (by its extension) through a temporary file moved into place."""
    lower = out.lower()
    ext = next((e for e in FORMATS if lower.endswith(e)), None)
    if ext is None:
        raise InputError(f"输出文件的扩展名应为 .docx、.pdf、.html 或 .md：{out}")
    blocks = w.blocks
    if not draft:  # a text the data lacks is a marked empty paragraph in a draft, nothing otherwise
        blocks = [b for b in blocks if b.kind != "para" or b.text]
    if draft and w.findings:
        head = [Block("heading", "草稿：以下问题须改正后方可公开", 1)]
        head += [Block("para", f"【{f.rule}】{f.message}") for f in w.findings if f.severity != "info"]
        blocks = head + [Block("pagebreak")] + blocks
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise InputError(f"输出文件夹不存在：{folder}")
    tmp = os.path.join(folder, f".{os.path.basename(out)}.tmp-{os.getpid()}")
    try:
        if ext == ".md":
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(markdown(blocks, draft))
        elif ext in (".html", ".htm"):
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(to_html(blocks, w.doc.identity.title or "", draft))
        elif ext == ".docx":
            from .render_docx import write_docx

            write_docx(blocks, tmp, draft)
        else:
            from .render_pdf import write_pdf

            write_pdf(blocks, tmp, draft)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def write(data_path: str, out: str, template_name: str | None = None, draft: bool = False) -> Written:
    """Read DATA, prepare and gate it; write OUT unless refused (or always, marked, with ``draft``)."""
    data = read_data(data_path)
    w = prepare(data, template_name)
    if draft or not w.refused:
        render(w, out, draft)
    return w


__all__ = ["Written", "gate", "prepare", "read_data", "render", "write"]
