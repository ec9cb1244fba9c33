"""``budgetdoc inspect``: the bureau's form (公开情况检查表) filled for each document (issue 15).

The checklists are validated package data; every shared document gets its region's, kind's and scope's
form with every row answered (是/否; 及时性 未核实 without both dates), the inspector's remarks with their
crops, and a score; a folder gives one workbook with a summary; a bad input is its sentence.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgetdoc.data.checklists import checklists, parse, select
from budgetdoc.data.content import DataError
from budgetdoc.inspect import KnownDates, fill, with_dates
from budgetdoc.inspect.timeliness import judge, parse_date
from budgetdoc.pipeline import run
from conftest import SAMPLE, SEED, SHARED

REAL = SHARED / "real"
needs_shared = pytest.mark.skipif(not REAL.is_dir() or not SAMPLE["planning"].exists(),
                                  reason="../shared (samples, real) not present")
WANLI = REAL / "shanghai-putuo-2024-dept-budget-wanli.pdf"
WELFARE = REAL / "shanghai-putuo-2024-unit-budget-welfarehome.pdf"
CITYMGMT = REAL / "shanghai-putuo-2026-dept-budget-citymgmt.txt"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "budgetdoc", *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=600)


# ------------------------------------------------------------------ the checklists as data

def test_shipped_checklists_load_and_name_real_parts_tables_and_rules() -> None:
    ids = {c.id for c in checklists()}
    assert {"shanghai-district-budget", "shanghai-district-final", "wuhan-budget", "wuhan-final",
            "national-budget", "national-final"} <= ids
    sh = next(c for c in checklists() if c.id == "shanghai-district-budget")
    labels = [r.text("单位") for r in sh.rows]
    assert labels[:7] == ["及时公开单位预算", "封面", "目录", "主要职能", "机构设置", "名词解释", "预算编制说明"]
    assert "《单位“三公”经费和机关运行经费预算表》" in labels and labels[-2:] == ["其他相关说明", "项目经费情况说明"]


GOOD = """
id = "x"
version = 1
name = "测试表"
title = "{year}年度{scope}预算公开情况检查表"
kind = "预算"
fallback = "notes"

[[row]]
id = "timely"
group = "及时性"
label = "及时公开"
timeliness = true

[[row]]
id = "notes"
group = "内容规范性"
label = "说明"
parts = ["budget_notes"]
rules = ["NAR001"]
"""


@pytest.mark.parametrize("broken,words", [
    (GOOD.replace('rules = ["NAR001"]', 'rules = ["NAR999"]'), "notes"),
    (GOOD.replace('parts = ["budget_notes"]', 'parts = ["preface"]'), "未知的部分 preface"),
    (GOOD.replace('parts = ["budget_notes"]', 'tables = ["Q9"]'), "未知的表 Q9"),
    (GOOD.replace('fallback = "notes"', 'fallback = "other"'), "fallback"),
    (GOOD.replace('parts = ["budget_notes"]\n', ''), "没有写明它检查的部分"),
    (GOOD + '\n[[row]]\nid = "notes"\ngroup = "内容规范性"\nlabel = "又一行"\nparts = ["glossary"]\n', "重复"),
    (GOOD.replace('kind = "预算"', 'kind = "半年报"'), "kind"),
    (GOOD.replace('label = "说明"', 'label = "说明"\ncolour = "红"'), "colour"),
])
def test_a_broken_checklist_is_refused_naming_the_row(broken: str, words: str) -> None:
    with pytest.raises(DataError) as e:
        parse(broken, "broken.toml")
    assert "broken.toml" in str(e.value) and words in str(e.value)


def test_a_good_checklist_parses() -> None:
    c = parse(GOOD, "good.toml")
    assert [r.id for r in c.rows] == ["timely", "notes"]


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from(["id", "group", "label", "parts", "tables", "forms", "rules", "optional", "x"]),
                       st.one_of(st.text(max_size=8), st.lists(st.text(max_size=6), max_size=3), st.booleans()),
                       max_size=6))
def test_any_row_is_parsed_or_refused_with_a_sentence(row: dict) -> None:
    """Whatever a row holds, the checklist loads or is refused with a DataError naming the file — never
    another exception."""
    import tomllib

    def toml_value(v: object) -> str:
        return json.dumps(v, ensure_ascii=False) if not isinstance(v, bool) else str(v).lower()

    text = GOOD + "\n[[row]]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in row.items())
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    try:
        parse(text, "hyp.toml")
    except DataError as e:
        assert "hyp.toml" in str(e)


# ------------------------------------------------------------------ the form for each document

def _docs() -> list[Path]:
    out = [*SEED.values(), *SAMPLE.values()]
    for folder in (REAL, REAL / "jiangsu"):
        if folder.is_dir():
            out += sorted(p for p in folder.iterdir() if p.suffix in (".pdf", ".txt"))
    return out


@needs_shared
@pytest.mark.parametrize("path", _docs(), ids=lambda p: p.name)
def test_every_row_of_every_shared_document_is_filled(path: Path) -> None:
    doc, rep = run(path)
    filled = fill(doc, rep)
    c = next(c for c in checklists() if c.id == filled.checklist)
    assert [r.id for r in filled.rows] == [r.id for r in c.rows]
    for row in filled.rows:
        assert row.status in ("是", "否") or (row.status == "未核实" and c.row(row.id).timeliness), row
        assert (row.status == "否") == any(not rm.dismissed for rm in row.remarks), row
        for rm in row.remarks:
            assert rm.text.endswith("。") and rm.rule
    assert filled.score.applicable == len(filled.rows) - 1  # 及时性 未核实: no dates given
    assert filled.score.met == sum(1 for r in filled.rows if r.status == "是")
    assert filled.failed == [r.label for r in filled.rows if r.status == "否"]


@needs_shared
def test_forms_by_region_kind_and_scope() -> None:
    def form(path: Path) -> str:
        doc, _ = run(path)
        return select(doc).id

    assert form(WANLI) == "shanghai-district-budget"
    assert form(SAMPLE["planning"]) == "shanghai-district-final"
    assert form(SEED["000"]) == "wuhan-final" and form(SEED["002"]) == "wuhan-budget"
    jiangsu = REAL / "jiangsu" / "jiangsu-province-2019-dept-budget-npcoffice.tables.pdf"
    if jiangsu.exists():  # a file of tables alone: its kind from its tables
        assert form(jiangsu) == "national-budget"


@needs_shared
def test_wanli_form_as_the_inspector_fills_it() -> None:
    doc, rep = run(WANLI)
    f = fill(doc, rep)
    assert f.title == "2024年度普陀区部门预算公开情况检查表"
    assert f.unit == "上海市普陀区人民政府万里街道办事处"
    status = {r.label: r.status for r in f.rows}
    assert status["及时公开部门预算"] == "未核实"
    assert status["预算编制说明"] == "否" and status["项目经费情况说明"] == "否"
    assert status["《部门“三公”经费和机关运行经费预算表》"] == "否"
    assert status["封面"] == status["目录"] == status["名词解释"] == "是"
    sangong = f.row("B7")
    assert {rm.rule for rm in sangong.remarks} == {"CNT010", "CNT004"}
    assert all(rm.crop is not None and rm.crop.page == 31 and rm.crop.bbox for rm in sangong.remarks)
    area = f.row("projects").remarks
    assert [rm.rule for rm in area] == ["CNT012", "CNT012"] and "第33页" in area[0].text
    assert f.score.met == 14 and f.score.applicable == 17


@needs_shared
def test_text_document_remarks_quote_their_lines() -> None:
    doc, rep = run(CITYMGMT)
    f = fill(doc, rep)
    rm = f.row("projects").remarks[0]
    assert rm.rule == "CNT005" and rm.crop is not None and rm.crop.bbox is None
    assert any(hit and "包括总目标" in text for _, text, hit in rm.crop.lines)


@needs_shared
def test_a_dismissed_finding_no_longer_fails_its_row() -> None:
    from budgetdoc.store.fingerprint import fingerprints, identity_key

    doc, rep = run(WELFARE)
    fps = fingerprints(rep.findings, doc, identity_key(doc.identity))
    before = fill(doc, rep, fingerprints=fps)
    other = before.row("other")
    assert other.status == "否" and {rm.rule for rm in other.remarks} == {"CNT005", "CNT007"}
    after = fill(doc, rep, fingerprints=fps, dismissed={rm.fingerprint for rm in other.remarks})
    row = after.row("other")
    assert row.status == "是" and all(rm.dismissed for rm in row.remarks)
    assert after.score.met == before.score.met + 1
    # without fingerprints given, the store's are computed
    again = fill(doc, rep, dismissed={rm.fingerprint for rm in other.remarks})
    assert again.row("other").status == "是"


# ------------------------------------------------------------------ 及时性

def test_timeliness_is_judged_only_on_two_known_dates() -> None:
    assert judge(None)[0] == "未核实"
    assert judge(KnownDates(published=date(2026, 2, 10)))[0] == "未核实"
    assert judge(KnownDates(approved=date(2026, 1, 20)))[0] == "未核实"
    ok = judge(KnownDates(published=date(2026, 2, 9), approved=date(2026, 1, 20)))
    assert ok[0] == "是" and "第20天" in ok[1]
    late = judge(KnownDates(published=date(2026, 2, 10), approved=date(2026, 1, 20)))
    assert late[0] == "否" and "第21天" in late[1]
    assert judge(KnownDates(published=date(2026, 1, 1), approved=date(2026, 1, 20)))[0] == "否"


def test_dates_are_read_in_the_forms_people_write() -> None:
    assert parse_date("2026-02-10") == parse_date("2026/2/10") == parse_date("2026年2月10日") == date(2026, 2, 10)
    with pytest.raises(ValueError):
        parse_date("下周一")


@needs_shared
def test_pdf_and_cover_dates_are_hints_never_a_yes() -> None:
    doc, rep = run(WANLI)
    f = fill(doc, rep)
    assert f.row("timely").status == "未核实" and "PDF 文件的创建日期为2024年02月18日（仅供参考" in f.row("timely").notes[0]
    doc, rep = run(SEED["004"])  # its cover is dated 2022年10月18日
    f = fill(doc, rep)
    assert any(h.date == date(2022, 10, 18) for h in f.hints)
    assert f.row("timely").status == "未核实" and "2022年10月18日" in f.row("timely").notes[0]
    f = with_dates(f, KnownDates(published=date(2022, 10, 18), approved=date(2022, 10, 1)))
    assert f.row("timely").status == "是" and f.score.applicable == len(f.rows)


# ------------------------------------------------------------------ the command

@needs_shared
def test_inspect_one_pdf_to_xlsx_with_crops(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "检查表.xlsx"
    p = _cli("inspect", str(WANLI), "-o", str(out), "--published", "2024-02-05", "--approved", "2024-01-26")
    assert p.returncode == 0, p.stderr
    assert "Traceback" not in p.stderr
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "汇总" and len(wb.sheetnames) == 2
    ws = wb[wb.sheetnames[1]]
    assert ws["A1"].value == "《2024年度普陀区部门预算公开情况检查表》"
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    timely = next(v for v in values if v[1] == "及时公开部门预算")
    assert timely[2] == "是" and "第10天" in timely[3]
    assert any(v[2] == "否" and v[3] and "13459" in v[3] for v in values)
    with zipfile.ZipFile(out) as z:
        media = [n for n in z.namelist() if n.startswith("xl/media/")]
        anchors = z.read("xl/drawings/drawing2.xml").decode("utf-8").count("<xdr:pic>")
        assert all(z.read(n).startswith(b"\x89PNG") for n in media)
    # a picture beside each of the 7 remarks; remarks close together on a page share the one above
    same = sum(1 for v in values if isinstance(v[4], str) and v[4].startswith("截图见上"))
    assert anchors == len(media) >= 3 and anchors + same == 7
    summary = wb["汇总"]
    row = [c.value for c in summary[2]]
    assert row[2] == "上海市普陀区人民政府万里街道办事处" and row[7] == "15/18"


@needs_shared
def test_inspect_a_folder_gives_one_workbook_and_says_bad_inputs(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(CITYMGMT.read_bytes())
    (folder / "b.pdf").write_bytes(WELFARE.read_bytes())
    (folder / "empty.txt").write_text("", "utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    out = tmp_path / "all.xlsx"
    p = _cli("inspect", str(folder), "-o", str(out), "-j", "1")
    assert p.returncode == 0, p.stderr
    assert "Traceback" not in p.stderr and "2 份文件无法使用" in p.stderr
    wb = load_workbook(out)
    assert len(wb.sheetnames) == 3
    rows = [[c.value for c in r] for r in wb["汇总"].iter_rows(min_row=2)]
    assert [r[1].rsplit("/", 1)[-1] for r in rows] == ["a.txt", "b.pdf", "broken.pdf", "empty.txt"]
    assert rows[0][6] is not None and rows[1][8]  # a score; the rows b.pdf fails
    assert rows[2][9] and rows[3][9] and "空" in rows[3][9]  # each bad input's one sentence


@needs_shared
@pytest.mark.parametrize("fmt", ["html", "docx", "json"])
def test_inspect_other_formats(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"form.{fmt}"
    p = _cli("inspect", str(WELFARE), str(CITYMGMT), "-o", str(out))
    assert p.returncode == 0, p.stderr
    if fmt == "json":
        data = json.loads(out.read_text("utf-8"))
        assert [d["checklist"] for d in data] == ["shanghai-district-budget"] * 2
        assert data[0]["title"] == "2024年度普陀区单位预算公开情况检查表"
        assert all(r["status"] in ("是", "否", "未核实") for d in data for r in d["rows"])
    elif fmt == "html":
        html = out.read_text("utf-8")
        assert html.count("<h2") == 2 and "data:image/png;base64," in html and "▶第297行" in html
    else:
        from docx import Document

        d = Document(str(out))
        assert len(d.inline_shapes) >= 3
        assert any("2024年度普陀区单位预算公开情况检查表" in p.text for p in d.paragraphs)


def test_inspect_bad_inputs_say_one_sentence(tmp_path: Path) -> None:
    p = _cli("inspect", str(tmp_path / "missing.pdf"), "-o", str(tmp_path / "x.xlsx"))
    assert p.returncode == 2 and p.stderr.startswith("budgetdoc:") and "Traceback" not in p.stderr
    good = tmp_path / "a.txt"
    good.write_text("上海市普陀区2026年区级部门预算\n", "utf-8")
    p = _cli("inspect", str(good), "-o", str(tmp_path / "x.xlsx"), "--published", "明天")
    assert p.returncode == 2 and "日期" in p.stderr and "Traceback" not in p.stderr
    p = _cli("inspect", str(good), "-o", str(tmp_path / "nowhere" / "x.xlsx"))
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert not (tmp_path / "x.xlsx").exists()
