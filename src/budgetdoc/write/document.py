"""The written document as blocks (headings, paragraphs, tables), built from the computed model, the
document information and a template; every renderer (markdown, HTML, DOCX, PDF) draws these blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..data import catalog
from ..model import Disclosure, Row, Table
from .data import INFO_LABEL, WriteData
from .text import ZERO, money, pct, rate, shares, wan, yoy_clause

CN = "一二三四五六七八九十"
LEADER = " ......................"  # a 目录 entry's dotted leader (no page numbers: the 目录 ends where the body begins)
EMPTY_SUBJECT = {"T7": "政府性基金预算财政拨款收入支出", "T8": "国有资本经营预算财政拨款支出",
                 "T9": "财政拨款“三公”经费支出", "B8": "政府性基金预算", "B9": "国有资本经营预算",
                 "B7": "“三公”经费"}


def cn(n: int) -> str:
    if n <= 10:
        return CN[n - 1]
    if n < 20:
        return "十" + (CN[n - 11] if n > 10 else "")
    return CN[n // 10 - 1] + "十" + (CN[n % 10 - 1] if n % 10 else "")


@dataclass
class TableBlock:
    key: str
    title: str
    number: str
    holder: str
    unit_line: str
    header: list[list[str]]
    body: list[list[str]]
    numeric: list[bool]
    note: str = ""
    statement: str = ""
    marks: dict[tuple[int, int], str] = field(default_factory=dict)  # (body row, col) → problem (draft)
    # (part, row key, column id or None for the row's name) → (body row, col): where a finding's cell is drawn
    cells: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    mark: str = ""  # a problem of the table as a whole (draft), shown after its title


@dataclass
class Block:
    kind: str  # heading / para / table / pagebreak
    text: str = ""
    level: int = 0
    table: TableBlock | None = None
    mark: str = ""  # a problem to show beside it (draft)


def _region(publisher: str, region: str) -> str:
    """上海市普陀区 from 上海市普陀区商务委员会 / 普陀区城市管理行政执法局 (a district template's cover)."""
    import re

    m = re.match(r"^(?:(上海市|北京市|天津市|重庆市|\S{2,3}省)?(\S{2,3}市)?)(\S{1,3}区)", publisher)
    if m and m.group(3):
        city = m.group(1) or m.group(2) or (region if region.endswith("市") else "")
        return f"{city}{m.group(3)}" if city else m.group(3)
    return region


def _fmt(v: Decimal | None) -> str:
    return "" if v is None else f"{v:,.2f}"


class Builder:
    def __init__(self, doc: Disclosure, data: WriteData, tpl: dict) -> None:
        self.doc, self.data, self.tpl = doc, data, tpl
        ident = doc.identity
        self.year = ident.year or 0
        self.scope = ident.scope or "单位"
        self.publisher = ident.publisher or ""
        self.blocks: list[Block] = []
        self.problems: list = []
        self.part_title = ""
        self.pending: list[str] = []  # problems met while writing, to mark on the next paragraph
        self.cells: dict[tuple, tuple[int, int]] = {}  # the table being laid out: where its cells are drawn
        region = _region(ident.publisher or "", data.text("region") or ident.region or "")  # 上海市 + 普陀区…
        self.vars = {
            "publisher": self.publisher, "year": self.year, "scope": self.scope, "region": region,
            "scope_word": "部门" if self.scope == "部门" else "预算单位",
            "scope_head": "预算主管部门" if self.scope == "部门" else "预算单位",
            "scope_holder": "部门" if self.scope == "部门" else "单位",
            "scope_short": "部门" if self.scope == "部门" else "单位",
        }

    def problem(self, rule: str, message: str, table: str | None, info: str | None = None,
                severity: str = "error") -> None:
        """A finding on the data met while writing (shares that cannot add up, a part over its whole)."""
        from ..check.findings import Finding
        from ..model import Location

        ref = self.data.info_refs.get(info) if info else self.data.ref(table)
        self.problems.append(Finding(rule=rule, name="write-data", category="data", severity=severity,
                                     message=f"{ref + '：' if ref else ''}{message}",
                                     location=Location(file=self.data.source, table=table)))
        self.pending.append(f"{rule} {message}")  # marked on the paragraph written next (a draft)

    def required_text(self, key: str, heading: str) -> None:
        """A text of 文档信息 the document must state (主要职能, 机构设置): its paragraphs; when it is not
        given, a warning naming its cell (WRT011) and, for a draft, a marked empty paragraph in its place."""
        text = self.data.text(key)
        if text.strip():
            self.para(text)
            return
        cell, label = self.data.cell(key), INFO_LABEL[key]
        heading = heading or label
        self.problems.append(_finding("WRT011", f"{cell}：“{label}”未填写，公开文件“{heading}”一节将为空，文件不完整",
                                      self.data.source, "warning"))
        self.blocks.append(Block("para", "", mark=f"“{heading}”未填写（{cell}“{label}”）"))

    def f(self, text: str, **kw: object) -> str:
        return text.format(**{**self.vars, **kw})

    def heading(self, level: int, text: str) -> None:
        self.blocks.append(Block("heading", text, level))

    def para(self, text: str) -> None:
        for p in (text or "").split("\n"):
            if p.strip():
                self.blocks.append(Block("para", p.strip(), mark="；".join(self.pending)))
                self.pending = []

    # ---------------------------------------------------------------- the whole
    def build(self) -> list[Block]:
        t = self.tpl
        self.heading(1, self.f(t["title"]))
        if t.get("cover"):
            self.para(self.f(t["cover"]))
        if self.data.text("date"):
            self.para(self.data.text("date"))
        self.toc()
        for title, part in self.parts():
            self.blocks.append(Block("pagebreak"))
            self.heading(1, title)
            self.part_title = title
            for s in part["sections"]:
                getattr(self, f"s_{s}")()
        return self.blocks

    def parts(self) -> list[tuple[str, dict]]:
        """The parts written (an optional one only with its data), each with its title numbered in order:
        ``{part}`` in a template's part title is the part's numeral among those written (第{part}部分 →
        第五部分 becomes 第四部分 when no 第四部分 is written), so the numbering has no gap."""
        out = []
        for part in self.tpl["parts"]:
            if part.get("optional") and not self.has(part["optional"]):
                continue
            out.append((self.f(part["title"], part=cn(len(out) + 1)), part))
        return out

    def toc(self) -> None:
        self.heading(1, "目录")
        for title, part in self.parts():
            self.para(title + LEADER)
            if "tables" in part["sections"]:
                for i, spec in enumerate(self.tpl["tables"], start=1):
                    entry = self.tpl.get("toc_table", "{cn}、{title}")
                    self.para(entry.format(n=i, cn=cn(i), title=self.table_title(spec)) + LEADER)

    def has(self, key: str) -> bool:
        """An optional part is written when its data is there (the forms, or a text of 文档信息)."""
        return bool(self.doc.performance) if key == "forms" else bool(self.data.text(key))

    def table_title(self, spec: dict) -> str:
        return self.f(self.tpl["table_title"], title=self.f(spec["title"]))

    # ---------------------------------------------------------------- parts
    def _text_section(self, key: str, title: str, n: str) -> str:
        heading = f"{n}、{self.f(title)}"
        self.heading(2, heading)
        return heading

    def _overview(self, key: str, title: str, n: str) -> None:
        """主要职能 / 机构设置 under the template's heading (``headings``), the part's own title (a Shanghai
        预算: ``一、部门主要职能`` is the part) or ``一、单位主要职能`` (a 决算's 概况)."""
        if key in self.tpl.get("headings", {}):
            heading = self.f(self.tpl["headings"][key])
            self.heading(2, heading)
        elif self.tpl["kind"] == "预算":
            heading = self.part_title
        else:
            heading = self._text_section(key, title, n)
        self.required_text(key, heading)

    def s_duties(self) -> None:
        self._overview("duties", "{scope}主要职能", "一")

    def s_structure(self) -> None:
        self._overview("structure", "机构设置情况", "二")

    def s_staff(self) -> None:
        if self.data.text("staff"):
            self._text_section("staff", "人员构成情况", "三")
            self.para(self.data.text("staff"))

    def s_work(self) -> None:
        self.para(self.data.text("work"))

    def s_glossary(self) -> None:
        text = self.data.text("glossary") or "\n".join(self.tpl.get("glossary", GLOSSARY[self.tpl["kind"]]))
        self.para(text)

    def s_tables(self) -> None:
        for n, spec in enumerate(self.tpl["tables"], start=1):
            if catalog()["by_key"].get(spec["key"], {}).get("layout") == "performance":
                self.forms("整体" if spec["key"] == "B11" else "项目", spec, n)
                continue
            t = self.doc.table(spec["key"])
            if t is None:
                continue
            self.blocks.append(Block("pagebreak"))
            self.blocks.append(Block("table", table=self.table(t, spec, n)))

    def s_forms(self) -> None:
        """决算 附件: the whole-unit self-evaluation form, then one per project."""
        for kind in ("整体", "项目"):
            self.forms(kind, None, 0)

    def forms(self, kind: str, spec: dict | None, n: int) -> None:
        from .forms_render import form_block, project_title

        titles = self.tpl.get("form_titles", {})
        forms = [f for f in self.doc.performance if f.kind == kind]
        for i, f in enumerate(forms, start=1):
            if kind == "整体":
                f.name = self.f(titles.get("whole", "{publisher}整体绩效自评表"))
                title = f.name
            elif spec is not None:
                title = self.f(titles.get("project", "项目支出绩效目标表"))
            else:
                title = project_title(f.name, titles.get("project", "{project}自评表"))
            number = ""
            if spec is not None and self.tpl.get("number"):
                number = spec.get("number", self.tpl["number"]).format(n=n)
                number += f"-{i}" if kind == "项目" and len(forms) > 1 else ""
            unit = f.publisher or self.publisher  # the form's own unit where the data gives one
            self.blocks.append(Block("pagebreak"))
            self.blocks.append(Block("table", table=form_block(
                f, title, number, f"单位名称：{unit}", self.f(self.tpl.get("form_note", "")), unit)))

    # ---------------------------------------------------------------- tables
    def table(self, t: Table, spec: dict, n: int) -> TableBlock:
        layout = catalog()["by_key"].get(t.key, {}).get("layout")
        fmt = spec.get("number", self.tpl.get("number", ""))
        number = self.f(fmt, n=n) if fmt else ""
        unit = spec.get("unit", self.tpl["unit"])
        unit_line = f"单位：{unit}" if self.tpl["unit_line"].startswith("单位") else f"金额单位：{unit}"
        self.cells = {}  # filled by the layouts below
        if layout == "summary":
            header, body, numeric = self.summary(t)
        elif layout == "sangong":
            header, body, numeric = self.sangong(t)
        else:
            header, body, numeric = self.coded(t)
        statement = ""
        if t.empty or not any(c.value for r in t.rows for c in r.cells):
            subject = EMPTY_SUBJECT.get(t.key, spec["title"])
            statement = self.f(self.tpl["empty_statement"], subject=subject)
        return TableBlock(key=t.key, title=self.table_title(spec), number=number,
                          holder=self.f(self.tpl["holder"]), unit_line=unit_line, header=header, body=body,
                          numeric=numeric, note=self.f(spec.get("note", "")), statement=statement,
                          cells=self.cells)

    def _place(self, r: Row, i: int, name_col: int, columns: dict[str, int]) -> None:
        """Where row ``r`` is drawn (body row ``i``): its name at ``name_col``, each column id's cell."""
        self.cells.setdefault((r.part, r.key, None), (i, name_col))
        for cid, j in columns.items():
            self.cells.setdefault((r.part, r.key, cid), (i, j))

    def economic_groups(self, t: Table) -> tuple[list[list[str]], list[list[str]], list[bool]]:
        """决算 T6 as printed: 人员经费 | 公用经费 (302) | 公用经费 (310 and other classes) side by side."""
        groups: list[list[Row]] = [[], [], []]
        for r in t.rows:
            if not r.code:
                continue
            g = 0 if r.code[:3] in ("301", "303") else 1 if r.code[:3] == "302" else 2
            groups[g].append(r)
        n = max(len(g) for g in groups)
        header = [["人员经费", "", "", "公用经费", "", "", "", "", ""], ["科目编码", "科目名称", "决算数"] * 3]
        body = []
        for i in range(n):
            line: list[str] = []
            for k, g in enumerate(groups):
                r = g[i] if i < len(g) else None
                line += [r.code or "", r.name, _fmt(r.value("amount"))] if r else ["", "", ""]
                if r is not None:
                    self._place(r, i, 3 * k + 1, {"amount": 3 * k + 2})
            body.append(line)
        people, public = t.find("人员经费合计"), t.find("公用经费合计")
        for r, j in ((people, 0), (public, 3)):
            if r is not None:
                self._place(r, n, j, {"amount": j + 2 if j == 0 else 8})
        body.append(["人员经费合计", "", _fmt(people.value("amount") if people else None), "公用经费合计",
                     "", "", "", "", _fmt(public.value("amount") if public else None)])
        return header, body, [False, False, True] * 3

    def coded(self, t: Table) -> tuple[list[list[str]], list[list[str]], list[bool]]:
        if t.key == "T6" and len(t.columns) == 1:
            return self.economic_groups(t)
        cols = t.columns
        head = ["科目编码", "科目名称", *[c.label for c in cols]]
        header = [head]
        if any(c.number for c in cols):
            header.append(["栏次", "", *[c.number or "" for c in cols]])
        body = []
        rows = list(t.rows)
        total = next((r for r in rows if r.key == "合计"), None)
        if total is not None:
            rows.remove(total)
            rows.insert(0, total)
        for r in rows:
            if r.key in ("人员经费合计", "公用经费合计"):
                continue
            name = r.name if r.code else (r.name or r.key)
            self._place(r, len(body), 1 if r.code else 0, {c.id: 2 + j for j, c in enumerate(cols)})
            body.append([r.code or (name if not r.code else ""), name if r.code else "",
                         *[_fmt(r.value(c.id)) for c in cols]])
        for key in ("人员经费合计", "公用经费合计"):
            r = t.find(key)
            if r is not None:
                self._place(r, len(body), 0, {c.id: 2 + j for j, c in enumerate(cols)})
                body.append([key, "", *[_fmt(r.value(c.id)) for c in cols]])
        return header, body, [False, False, *[True] * len(cols)]

    def summary(self, t: Table) -> tuple[list[list[str]], list[list[str]], list[bool]]:
        inc = [r for r in t.rows if r.part == "收入"]
        exp = [r for r in t.rows if r.part == "支出"]
        icols = [c for c in t.columns if c.group in (None, "收入")]
        ecols = [c for c in t.columns if c.group in (None, "支出")]
        numbered = any(r.number is not None for r in t.rows)
        lead = ["项目", "行次"] if numbered else ["项目"]
        def labels(cols: list) -> list[str]:
            return ["金额"] if len(cols) == 1 else [c.label for c in cols]

        header = [["收入", *[""] * (len(lead) + len(icols) - 1), "支出", *[""] * (len(lead) + len(ecols) - 1)],
                  [*lead, *labels(icols), *lead, *labels(ecols)]]
        body = []
        for i in range(max(len(inc), len(exp))):
            line: list[str] = []
            for rows, cols in ((inc, icols), (exp, ecols)):
                r = rows[i] if i < len(rows) else None
                if r is None:
                    line += [""] * (len(lead) + len(cols))
                    continue
                at = len(line)
                self._place(r, i, at, {c.id: at + len(lead) + j for j, c in enumerate(cols)})
                line.append(r.name or r.key)
                if numbered:
                    line.append("" if r.number is None else str(r.number))
                line += [_fmt(r.value(c.id)) for c in cols]
            body.append(line)
        numeric = [False] * len(lead) + [True] * len(icols) + [False] * len(lead) + [True] * len(ecols)
        return header, body, numeric

    def sangong(self, t: Table) -> tuple[list[list[str]], list[list[str]], list[bool]]:
        cols = t.columns
        groups = [c.group or "" for c in cols]
        labels = [c.label[len(c.group):] if c.group and c.label.startswith(c.group) else c.label for c in cols]
        header = []
        if any(groups):
            header.append(groups)
        header.append(labels)
        if any(c.number for c in cols):
            header.append([c.number or "" for c in cols])
        row = t.rows[0] if t.rows else Row()
        self._place(row, 0, 0, {c.id: j for j, c in enumerate(cols)})
        body = [[_fmt(row.value(c.id)) for c in cols]]
        return header, body, [True] * len(cols)

    # ---------------------------------------------------------------- narrative: 决算
    def v(self, key: str, row: str, column: str, part: str | None = None) -> Decimal:
        t = self.doc.table(key)
        if t is None:
            return ZERO
        return wan(t.value(row, column, part), t.unit)

    def s_final_narrative(self) -> None:
        from .narrative import final_narrative

        final_narrative(self)

    def s_budget_narrative(self) -> None:
        from .narrative import budget_narrative

        budget_narrative(self)

    def s_wuhan_budget_narrative(self) -> None:
        from .narrative_budget import wuhan_budget_narrative

        wuhan_budget_narrative(self)

    def s_budget_other(self) -> None:
        from .narrative import budget_other

        budget_other(self)


def _finding(rule: str, message: str, source: str, severity: str = "error"):
    from ..check.findings import Finding
    from ..model import Location

    return Finding(rule=rule, name="write-data", category="data", severity=severity, message=message,
                   location=Location(file=source))


GLOSSARY = {
    "决算": [
        "1.财政拨款收入：指单位从同级财政部门取得的财政预算资金。",
        "2.事业收入：指事业单位开展专业业务活动及辅助活动所取得的收入。",
        "3.其他收入：指单位取得的除上述收入以外的各项收入。",
        "4.年初结转和结余：指以前年度尚未完成、结转到本年仍按原规定用途继续使用的资金，或项目已完成等产生的结余资金。",
        "5.基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。",
        "6.项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
        "7.“三公”经费：指用财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费。",
        "8.机关运行经费：指为保障行政单位（含参照公务员法管理的事业单位）运行用于购买货物和服务的各项资金。",
    ],
    "预算": [
        "1.财政拨款收入：指区级财政当年拨付的资金。",
        "2.事业收入：指事业单位开展专业业务活动及辅助活动所取得的收入。",
        "3.基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。",
        "4.项目支出：指在基本支出之外为完成特定的行政工作任务或事业发展目标所发生的支出。",
        "5.“三公”经费：指用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。",
        "6.机关运行经费：指行政单位和参照公务员法管理的事业单位使用一般公共预算安排的基本支出中的日常公用经费支出。",
    ],
}

__all__ = ["Block", "Builder", "TableBlock", "cn", "money", "pct", "rate", "shares", "yoy_clause"]
