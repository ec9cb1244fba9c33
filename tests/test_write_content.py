"""budgetdoc write: what a finance officer reads in the written document — the 概况 (主要职能, 机构设置) taken
from the document by ``extract --format xlsx`` and written back under its headings, a warning naming the
cell when they are missing (and a mark in a draft), parts numbered without gaps, the forms' 单位名称, and a
draft's marks inside the tables on the cells that have a finding."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SEED, SHARED, load_doc

pytest.importorskip("openpyxl")

SHANGHAI = SHARED / "real" / "shanghai-putuo-2024-dept-budget-wanli.pdf"
_BOOKS: dict[Path, Path] = {}


def _book(doc: Path, tmp_path_factory) -> Path:
    """The workbook ``extract --format xlsx`` makes of a document (once per session)."""
    from budgetdoc.write.workbook import save, to_workbook

    if not doc.exists():
        pytest.skip(f"{doc} not present")
    if doc not in _BOOKS:
        out = tmp_path_factory.mktemp("content") / "data.xlsx"
        save(to_workbook(load_doc(doc)), str(out))
        _BOOKS[doc] = out
    return _BOOKS[doc]


def _edited(src: Path, out: Path, edit) -> Path:
    import openpyxl

    wb = openpyxl.load_workbook(src)
    edit(wb)
    wb.save(out)
    return out


def _info_cell(wb, label: str):
    return next(r[1] for r in wb["文档信息"].iter_rows() if r[0].value == label)


# ---------------------------------------------------------------- 概况: duties and structure
@pytest.mark.parametrize("ext", ["md", "docx", "pdf"])
@pytest.mark.parametrize("doc, duties, structure", [
    (SEED["000"], "承担全市社会保障卡（市民卡）的发行和日常管理；", "单位决算由纳入独立核算的单位本级决算组成。"),
    (SHANGHAI, "九、承办区委、区政府交办的其他事项。", "6. 上海市普陀区万里街道综合行政执法队。"),
])
def test_duties_and_structure_round_trip(doc, duties, structure, ext, tmp_path, tmp_path_factory):
    """extract → workbook (文档信息 主要职能 / 机构设置 filled from the document's 概况) → write → load: the
    written document states the same duties and structure, paragraph for paragraph, under its headings."""
    from budgetdoc.pipeline import load
    from budgetdoc.write import write
    from budgetdoc.write.overview import overview_from_doc
    from budgetdoc.write.workbook import read_workbook

    if ext == "docx":
        pytest.importorskip("docx")
    book = _book(doc, tmp_path_factory)
    data = read_workbook(str(book))
    assert duties in data.text("duties") and structure in data.text("structure")
    assert "机构设置" not in data.text("duties") and "名词解释" not in data.text("structure")
    out = tmp_path / f"written.{ext}"
    w = write(str(book), str(out))
    assert not w.refused and not [f for f in w.findings if f.rule == "WRT011"]
    back = overview_from_doc(load(out))
    assert back.get("duties") == data.text("duties")
    assert back.get("structure") == data.text("structure")


def test_staff_is_taken_and_written(tmp_path, tmp_path_factory):
    """A 决算 that states its staff (seed 004: 三、部门人员构成) keeps it: 人员构成 → 三、人员构成情况."""
    from budgetdoc.write import write
    from budgetdoc.write.workbook import read_workbook

    book = _book(SEED["004"], tmp_path_factory)
    staff = read_workbook(str(book)).text("staff")
    assert staff.startswith("武汉市黄陂区人力资源和社会保障信息中心在职实有人员 9 人")
    out = tmp_path / "o.md"
    write(str(book), str(out))
    text = out.read_text("utf-8")
    assert f"## 三、人员构成情况\n\n{staff.splitlines()[0]}" in text


def test_missing_duties_is_a_warning_naming_the_cell(tmp_path, tmp_path_factory):
    """主要职能 cleared: written (a warning, not refused) with WRT011 naming 文档信息's cell; a draft marks the
    empty section where the duties belong; the final text has no mark and no empty paragraph."""
    from click.testing import CliRunner

    from budgetdoc.cli import cli
    from budgetdoc.write import write

    def edit(wb):
        cell = _info_cell(wb, "主要职能")
        cell.value = None
        edit.ref = f"文档信息!{cell.coordinate}"
    bad = _edited(_book(SEED["000"], tmp_path_factory), tmp_path / "no-duties.xlsx", edit)
    out = tmp_path / "o.md"
    w = write(str(bad), str(out))
    said = [f for f in w.findings if f.rule == "WRT011"]
    assert not w.refused and out.exists()
    assert len(said) == 1 and said[0].severity == "warning" and said[0].message.startswith(edit.ref)
    assert "主要职能" in said[0].message
    text = out.read_text("utf-8")
    assert "待改" not in text and "## 一、单位主要职能\n\n## 二、机构设置情况" in text

    draft = tmp_path / "draft.md"
    write(str(bad), str(draft), draft=True)
    body = draft.read_text("utf-8").split("# 第一部分", 1)[1]
    section = body.split("## 一、单位主要职能", 1)[1].split("## 二、", 1)[0]
    assert "【待改：" in section and edit.ref in section

    r = CliRunner().invoke(cli, ["write", str(bad), "-o", str(tmp_path / "cli.md")])
    assert r.exit_code == 0 and "WRT011" in r.output and edit.ref in r.output


def test_init_workbook_leaves_duties_empty_with_instruction(tmp_path):
    import openpyxl

    from budgetdoc.write.template import template
    from budgetdoc.write.workbook import init_workbook, save

    for name in ("wuhan-final", "wuhan-budget", "shanghai-budget", "national-final"):
        out = tmp_path / f"{name}.xlsx"
        save(init_workbook(template(name, None, None, None), 2025), str(out))
        ws = openpyxl.load_workbook(out)["文档信息"]
        for label in ("主要职能", "机构设置"):
            row = next(r for r in ws.iter_rows() if r[0].value == label)
            assert row[1].value is None and "必填" in row[2].value and "WRT011" in row[2].value


# ---------------------------------------------------------------- parts numbered without gaps
_PART = re.compile(r"^(?:第([一二三四五六七八九十]+)部分|([一二三四五六七八九十]+)、)")


def _parts(text: str) -> tuple[list[str], list[str]]:
    """The part numerals in the 目录 and in the body (its level-1 headings) of a written markdown; the 目录's
    part entries are those numbered as the body's parts are (第…部分, or 一、 where the parts are so)."""
    lines = text.splitlines()
    at = lines.index("# 目录")
    end = next(i for i in range(at + 1, len(lines)) if lines[i].startswith("# "))
    heads = [_PART.match(ln[2:]) for ln in lines[end:] if ln.startswith("# ")]
    body = [m.group(1) or m.group(2) for m in heads if m]
    style = 1 if heads and heads[0] and heads[0].group(1) else 2
    toc = [m.group(style) for ln in lines[at + 1:end] if (m := _PART.match(ln)) and m.group(style)]
    return toc, body


def _consecutive(numerals: list[str]) -> bool:
    from budgetdoc.write.document import cn

    return numerals == [cn(i) for i in range(1, len(numerals) + 1)]


@pytest.mark.parametrize("work", [False, True])
def test_parts_numbered_consecutively(work, tmp_path, tmp_path_factory):
    """Seed 000 has no 重点工作 (第四部分 left out): 名词解释 and 附件 follow as 第四、第五部分, in the 目录 and
    the body; with a 重点工作 text the six parts are all there, numbered 一 to 六."""
    from budgetdoc.write import write

    book = _book(SEED["000"], tmp_path_factory)
    if work:
        book = _edited(book, tmp_path / "work.xlsx",
                       lambda wb: setattr(_info_cell(wb, "重点工作"), "value", "完成了信息系统升级。"))
    out = tmp_path / "o.md"
    write(str(book), str(out))
    text = out.read_text("utf-8")
    toc, body = _parts(text)
    assert toc == body and _consecutive(body) and len(body) == (6 if work else 5), (toc, body)
    assert ("# 第四部分 2023年重点工作完成情况" in text) == work
    assert f"# 第{'五' if work else '四'}部分 名词解释" in text
    assert "第三部分" in text and (("第六部分" in text) == work)


def test_parts_numbered_in_a_shanghai_budget(tmp_path, tmp_path_factory):
    from budgetdoc.write import write

    out = tmp_path / "o.md"
    write(str(_book(SHANGHAI, tmp_path_factory)), str(out))
    toc, body = _parts(out.read_text("utf-8"))
    assert toc == body and _consecutive(body) and len(body) == 6, (toc, body)


def test_part_numbers_follow_the_parts_written():
    """Every template's parts: ``{part}`` numbered among those written, whatever is left out."""
    from budgetdoc.model import Disclosure, Identity
    from budgetdoc.write.data import WriteData
    from budgetdoc.write.document import Builder, cn
    from budgetdoc.write.template import templates

    for tpl in templates().values():
        doc = Disclosure(source="", identity=Identity(publisher="某单位", kind=tpl["kind"], year=2024, scope="单位"))
        b = Builder(doc, WriteData(doc=doc), tpl)
        titles = [t for t, _ in b.parts()]
        assert all("{" not in t for t in titles)
        for i, t in enumerate(titles, start=1):
            assert t.startswith((f"第{cn(i)}部分", f"{cn(i)}、")), (tpl["name"], titles)
        assert len(titles) == sum(1 for p in tpl["parts"] if not p.get("optional"))


# ---------------------------------------------------------------- the forms' 单位名称
def test_form_unit_name_is_filled(tmp_path, tmp_path_factory):
    """Seed 004's whole-unit form prints no 单位名称: written with the publisher; a form whose 单位名称 the
    data gives keeps its own unit."""
    from budgetdoc.write import write

    book = _book(SEED["004"], tmp_path_factory)
    out = tmp_path / "o.md"
    write(str(book), str(out))
    text = out.read_text("utf-8")
    assert "单位名称\t武汉市黄陂区人力资源和社会保障信息中心\t" in text
    assert not re.search(r"^单位名称\t\t", text, re.M) and "单位名称：\n" not in text

    def edit(wb):
        ws = wb["绩效表"]
        col = next(c.column for c in ws[2] if c.value == "单位名称")
        for r in ws.iter_rows(min_row=3):
            if r[1].value == "项目":
                ws.cell(r[0].row, col).value = "武汉市黄陂区某下属单位"
    own = _edited(book, tmp_path / "own.xlsx", edit)
    write(str(own), str(out))
    text = out.read_text("utf-8")
    assert "项目实施单位\t武汉市黄陂区某下属单位" in text and "单位名称：武汉市黄陂区某下属单位" in text


# ---------------------------------------------------------------- draft marks in tables
def _wrong_total(wb) -> None:
    ws = wb["T3 支出决算表"]
    head = next(r for r in ws.iter_rows() if r[0].value == "部分")
    col = next(c.column for c in head if c.value == "本年支出合计")
    row = next(r for r in ws.iter_rows() if r[1].value == "208")
    ws.cell(row[0].row, col).value = 9999.99


def _table_rows(text: str, title: str) -> list[str]:
    """The lines of a written markdown's table whose heading ends with ``title`` (and its number)."""
    lines = text.splitlines()
    at = next(i for i, ln in enumerate(lines) if ln.startswith("## ") and re.search(f"{title}(（.*）)?$", ln))
    end = next((i for i in range(at + 1, len(lines)) if lines[i].startswith("#")), len(lines))
    return lines[at + 1:end]


def _draft_texts(path: Path) -> str:
    """The text of a written file: markdown / HTML as is, DOCX's table cells, the PDF's text."""
    if path.suffix == ".docx":
        import docx

        d = docx.Document(str(path))
        return "\n".join(c.text for t in d.tables for r in t.rows for c in r.cells)
    if path.suffix == ".pdf":
        import pymupdf

        with pymupdf.open(str(path)) as pdf:
            return "".join(p.get_text() for p in pdf).replace("\n", "")
    return path.read_text("utf-8")


@pytest.mark.parametrize("ext", ["md", "html", "docx", "pdf"])
def test_draft_marks_the_table_cell(ext, tmp_path, tmp_path_factory):
    """A total that disagrees (T3 208 本年支出合计 typed 9,999.99): the draft prints the computed value with
    the mark in that cell, in every format; the clean data's write has no mark; the bad data's final write
    is refused (exit 1)."""
    from click.testing import CliRunner

    from budgetdoc.cli import cli
    from budgetdoc.write import write

    if ext == "docx":
        pytest.importorskip("docx")
    good = _book(SEED["003"], tmp_path_factory)
    bad = _edited(good, tmp_path / "bad.xlsx", _wrong_total)
    draft = tmp_path / f"draft.{ext}"
    w = write(str(bad), str(draft), draft=True)
    assert w.refused and draft.exists()
    text = _draft_texts(draft)
    mark = "1,703.45【待改：WRT001，填为 9,999.99】"
    if ext == "md":
        row = next(ln for ln in _table_rows(text, "年度支出决算表") if ln.startswith("208\t"))
        assert row.split("\t")[2] == mark
    elif ext == "html":
        assert re.search(r'<td class="n marked">1,703\.45<span class="mark">【待改：WRT001，填为 9,999\.99】</span></td>',
                         text)
    elif ext == "docx":
        assert mark in text.splitlines()
    else:
        assert mark.replace(" ", "") in text.replace(" ", "")

    clean = tmp_path / f"clean.{ext}"
    w = write(str(good), str(clean))
    assert not w.refused and "待改" not in _draft_texts(clean)
    r = CliRunner().invoke(cli, ["write", str(bad), "-o", str(tmp_path / f"final.{ext}")])
    assert r.exit_code == 1 and not (tmp_path / f"final.{ext}").exists()


def test_draft_marks_a_wrong_code_name(tmp_path, tmp_path_factory):
    """A wrong name for a code: the name cell carries the mark with what the data gave."""
    from budgetdoc.write import write

    def edit(wb):
        ws = wb["T5 一般公共预算财政拨款支出决算表"]
        row = next(r for r in ws.iter_rows() if r[1].value and len(str(r[1].value)) == 7)
        row[2].value = "其他行政事业单位医疗支出"
        edit.code = row[1].value
    bad = _edited(_book(SEED["003"], tmp_path_factory), tmp_path / "bad.xlsx", edit)
    out = tmp_path / "draft.md"
    write(str(bad), str(out), draft=True)
    t5 = _table_rows(out.read_text("utf-8"), "年度一般公共预算财政拨款支出决算表")
    row = next(ln for ln in t5 if ln.startswith(f"{edit.code}\t"))
    assert row.split("\t")[1].endswith("【待改：WRT002，填为“其他行政事业单位医疗支出”】")


def test_draft_marks_the_narrative_sentence(tmp_path, tmp_path_factory):
    """A share that cannot be (中小企业 contracts over the procurement total): the procurement paragraph carries
    the mark in the draft; the finding names 文档信息's cell."""
    from budgetdoc.write import write

    def edit(wb):
        _info_cell(wb, "政府采购服务").value = 100
        cell = _info_cell(wb, "授予中小企业合同金额")
        cell.value = 250
        edit.ref = f"文档信息!{cell.coordinate}"
    bad = _edited(_book(SEED["003"], tmp_path_factory), tmp_path / "bad.xlsx", edit)
    out = tmp_path / "draft.md"
    w = write(str(bad), str(out), draft=True)
    assert any(f.rule == "WRT004" and f.message.startswith(edit.ref) for f in w.findings)
    para = next(ln for ln in out.read_text("utf-8").splitlines() if ln.startswith("2022年度政府采购支出总额"))
    assert para.endswith("占比不能超过100%】") and "【待改：WRT004 授予中小企业合同金额 250.00 万元" in para
