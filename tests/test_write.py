"""budgetdoc write (issue 10): every document in hand goes extract → xlsx → write → check clean, and the
written PDF and DOCX read back to the same cells; bad data is refused with a finding naming its cell."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import SEED, SHARED, load_doc, pinned_elsewhere, table_cells

pytest.importorskip("openpyxl")

REAL = SHARED / "real"
DOCS = {**{f"seed-{k}": v for k, v in SEED.items()},
        "planning": SHARED / "samples" / "shanghai-putuo-planning-2024-final.pdf",
        "social": SHARED / "samples" / "shanghai-putuo-social-work-2024-final.pdf",
        "template": SHARED / "samples" / "shanghai-2024-final-template.pdf",
        **{p: REAL / f"{p}" for p in ("shanghai-putuo-2024-dept-budget-wanli.pdf",
                                        "shanghai-putuo-2024-unit-budget-welfarehome.pdf",
                                        "shanghai-putuo-2025-dept-budget-commerce.pdf",
                                        "shanghai-putuo-2025-unit-budget-commerce.pdf",
                                        "shanghai-putuo-2025-dept-final-shiquan.txt",
                                        "shanghai-putuo-2026-dept-budget-citymgmt.txt")}}
# what cannot be rewritten cleanly yet, and why (the test says it as its skip reason)
NOT_YET = {
    "template": "the Shanghai template PDF is a blank form (publisher 上海市XX局, no amounts): nothing to write",
}
# a written title that does not say the document's kind and scope when read back, and why
TITLE_NOT_YET: dict[str, str] = {}
# a relation that may legitimately not hold (income vs expenditure per code, carry-over spent): a warning
LEGIT = {("REL001", "T2")}
# a judgement in the data the writer cannot make for the officer, said by the writer (its finding) and found
# again by the checker in the written document (its rule): seed 003 scores a qualitative indicator whose
# actual “提升” falls short of its target “有效提升” 13 of 15 (the 达成 tier): a real mistake of the seed
CARRIED = {"seed-003": ("WRT009", "PRF004")}


def _problems(report) -> list[str]:
    """What the checker says of a written document, less the content rules of the bureau's form (issue 15):
    they judge the narrative's completeness (三公 counts, 国有资产, 绩效 coverage, parts such as 其他重要事项)
    against the disclosure rules, and the workbook does not carry those details yet — the writer's gap,
    said by those rules, not a misstatement of the data."""
    return [f"{f.rule} {f.location.table} {f.message}" for f in report.findings
            if f.severity != "info" and (f.rule, f.location.table) not in LEGIT and not pinned_elsewhere(f)]


def _extract_xlsx(doc_path: Path, out: Path) -> Path:
    from budgetdoc.write.workbook import save, to_workbook

    save(to_workbook(load_doc(doc_path)), str(out))
    return out


_BOOKS: dict[str, Path] = {}


def _workbook(name: str, tmp_path_factory) -> Path:
    """The workbook ``extract --format xlsx`` makes of a document (once per document and session)."""
    from budgetdoc.errors import InputError
    from budgetdoc.write.workbook import read_workbook

    path = DOCS[name]
    if not path.exists():
        pytest.skip(f"{path} not present")
    if name in NOT_YET:
        pytest.skip(NOT_YET[name])
    if name not in _BOOKS:
        _BOOKS[name] = _extract_xlsx(path, tmp_path_factory.mktemp("book") / "data.xlsx")
    try:
        read_workbook(str(_BOOKS[name]))
    except InputError as e:  # a column variant the catalog does not declare (Shanghai T8 with carry-over)
        pytest.skip(f"the workbook of {name} cannot be read back yet: {e}")
    return _BOOKS[name]


@pytest.mark.parametrize("ext", ["md", "docx", "pdf"])
@pytest.mark.parametrize("name", sorted(DOCS))
def test_rewrite_checks_clean_and_round_trips(name, ext, tmp_path, tmp_path_factory):
    """Each format on its own: written from the workbook, read back by budgetdoc, it checks clean and
    its tables hold the cells the data computes."""
    from budgetdoc.check import check
    from budgetdoc.pipeline import load
    from budgetdoc.write import write

    if ext == "docx":
        pytest.importorskip("docx")
    book = _workbook(name, tmp_path_factory)
    before = book.read_bytes()
    out = tmp_path / f"written.{ext}"
    w = write(str(book), str(out))
    assert not w.refused, [f.message for f in w.findings]
    back = load(out)
    ident = w.doc.identity  # the title read back whole: its year (IDN004), kind and scope
    assert back.identity.year == ident.year
    if name not in TITLE_NOT_YET:
        assert (back.identity.kind, back.identity.scope) == (ident.kind, ident.scope)
    problems = _problems(check(back))
    if name in CARRIED:  # exactly the data's judgement the writer warned of, nothing else
        said, rule = CARRIED[name]
        warned = [f for f in w.findings if f.rule == said and f.severity == "warning"]
        assert warned and len(problems) == len(warned) and all(p.startswith(rule) for p in problems), problems
    else:
        assert problems == []
    assert table_cells(back) == table_cells(w.doc)  # the cells the data computes, read back
    assert book.read_bytes() == before  # the input is never modified


@pytest.mark.parametrize("name", sorted(DOCS))
def test_pdf_reads_back_as_the_markdown(name, tmp_path, tmp_path_factory):
    """The PDF alone (whatever the data's own findings): budgetdoc reads from it the year, every cell the
    data computes, and finds in it what it finds in the markdown of the same blocks, nothing more — the
    PDF's text is the text (no stand-in characters) and its tables read as tables (a header repeated on a
    continuation page is no row)."""
    from budgetdoc.check import check
    from budgetdoc.pipeline import load
    from budgetdoc.write import prepare, render
    from budgetdoc.write.workbook import read_data

    w = prepare(read_data(str(_workbook(name, tmp_path_factory))))
    for ext in ("md", "pdf"):
        render(w, str(tmp_path / f"written.{ext}"))
    md, pdf = load(tmp_path / "written.md"), load(tmp_path / "written.pdf")
    assert (pdf.identity.year, pdf.identity.kind, pdf.identity.scope, pdf.identity.publisher) == \
        (md.identity.year, md.identity.kind, md.identity.scope, md.identity.publisher)
    assert pdf.identity.year == w.doc.identity.year
    assert table_cells(pdf) == table_cells(w.doc)
    found = {ext: [f for f in check(d).findings if f.severity != "info"] for ext, d in (("md", md), ("pdf", pdf))}
    # the same rules fire on both, and on the same table cells (a sentence's place is a line of the
    # markdown but a page and line of the PDF; a message names a table by the number printed with it)
    assert {f.rule for f in found["pdf"]} == {f.rule for f in found["md"]}
    on_tables = {ext: sorted((f.rule, f.location.table, f.location.part or "", f.location.row or "",
                              f.location.column or "") for f in fs if f.location.table)
                 for ext, fs in found.items()}
    assert on_tables["pdf"] == on_tables["md"]


@pytest.mark.skipif(not SEED["000"].exists(), reason="shared/seeds not present")
def test_seed_mistakes_are_gone(tmp_path):
    """Seed 000 prints 2101102 as 其他行政事业单位医疗支出 and says 增加减少 in one clause; rewritten, the code
    carries its name of the year and the narrative is computed."""
    from budgetdoc.pipeline import load
    from budgetdoc.write import write

    w = write(str(_extract_xlsx(SEED["000"], tmp_path / "d.xlsx")), str(tmp_path / "o.md"))
    back = load(tmp_path / "o.md")
    assert back.table("T5").find("2101102").name == "事业单位医疗"
    text = (tmp_path / "o.md").read_text("utf-8")
    assert "增加减少" not in text and not w.refused


def _book(tmp_path: Path, edit) -> Path:
    """Seed 003's workbook with one edit (a function of the openpyxl workbook)."""
    import openpyxl

    if not SEED["003"].exists():
        pytest.skip("shared/seeds not present")
    src = _extract_xlsx(SEED["003"], tmp_path / "good.xlsx")
    wb = openpyxl.load_workbook(src)
    edit(wb)
    out = tmp_path / "bad.xlsx"
    wb.save(out)
    return out


def _cell(ws, code: str, label: str):
    head = next(r for r in ws.iter_rows() if r[0].value == "部分")
    col = next(c.column for c in head if c.value == label)
    row = next(r for r in ws.iter_rows() if r[1].value == code)
    return ws.cell(row[0].row, col)


def _refused(path: Path, tmp_path: Path) -> list[str]:
    from budgetdoc.write import write

    out = tmp_path / "o.md"
    w = write(str(path), str(out))
    assert w.refused and not out.exists()
    return [f.message for f in w.findings if f.severity == "error"]


def test_total_that_disagrees_is_refused(tmp_path):
    def edit(wb):
        c = _cell(wb["T3 支出决算表"], "208", "本年支出合计")
        c.value = 9999.99
        edit.ref = f"T3 支出决算表!{c.coordinate}"
    msgs = _refused(_book(tmp_path, edit), tmp_path)
    assert any(m.startswith(edit.ref) and "9,999.99" in m for m in msgs), msgs


def test_wrong_code_name_is_refused(tmp_path):
    def edit(wb):
        ws = wb["T5 一般公共预算财政拨款支出决算表"]
        row = next(r for r in ws.iter_rows() if r[1].value and len(str(r[1].value)) == 7)
        row[2].value = "其他行政事业单位医疗支出"
        edit.ref = f"T5 一般公共预算财政拨款支出决算表!C{row[0].row}"
    msgs = _refused(_book(tmp_path, edit), tmp_path)
    assert any(m.startswith(edit.ref) and "其他行政事业单位医疗支出" in m for m in msgs), msgs


def test_missing_table_is_refused(tmp_path):
    def edit(wb):
        del wb["T7 政府性基金预算财政拨款收入支出决算表"]
    msgs = _refused(_book(tmp_path, edit), tmp_path)
    assert any("政府性基金预算财政拨款收入支出决算表" in m and "T7" in m for m in msgs), msgs


def test_shares_that_cannot_add_up_are_refused(tmp_path):
    def edit(wb):
        ws = wb["文档信息"]
        for r in ws.iter_rows():
            if r[0].value == "政府采购服务":
                r[1].value = 100
            if r[0].value == "授予中小企业合同金额":
                r[1].value = 250
                edit.ref = f"文档信息!B{r[0].row}"
    msgs = _refused(_book(tmp_path, edit), tmp_path)
    assert any(m.startswith(edit.ref) and "100%" in m for m in msgs), msgs


def test_score_over_weight_is_refused():
    pytest.skip("performance forms are not written yet (issue 10 open item): no score to refuse")


def test_draft_writes_with_problems_marked(tmp_path):
    from budgetdoc.write import write

    def edit(wb):
        _cell(wb["T3 支出决算表"], "208", "本年支出合计").value = 9999.99
    out = tmp_path / "draft.md"
    w = write(str(_book(tmp_path, edit)), str(out), draft=True)
    assert w.refused and out.exists() and "草稿" in out.read_text("utf-8")


def test_cli_bad_input_one_sentence(tmp_path):
    from click.testing import CliRunner

    from budgetdoc.cli import cli

    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not a workbook")
    r = CliRunner().invoke(cli, ["write", str(junk), "-o", str(tmp_path / "o.pdf")])
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_init_workbook_has_instructions(tmp_path):
    import openpyxl
    from click.testing import CliRunner

    from budgetdoc.cli import cli

    out = tmp_path / "empty.xlsx"
    r = CliRunner().invoke(cli, ["write", "--init", "shanghai-budget", "--year", "2025", "-o", str(out)])
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(out)
    assert "文档信息" in wb.sheetnames and any(n.startswith("B7 ") for n in wb.sheetnames)
    for name in wb.sheetnames[2:]:
        assert any("说明" in str(c.value or "") for row in wb[name].iter_rows(max_row=4) for c in row)


def test_shares_add_up_to_100():
    from budgetdoc.write.text import shares

    s = shares([Decimal("1285.63"), Decimal("85.61"), Decimal("95.62")])
    assert sum(s) == 100 and s == [Decimal("87.7"), Decimal("5.8"), Decimal("6.5")]
    assert sum(shares([Decimal(1), Decimal(1), Decimal(1)])) == 100
    assert shares([Decimal(5), Decimal(-1)]) is None


def _written_pdf(name: str, tmp_path: Path, tmp_path_factory):
    """The PDF written from a document's workbook (prepared and rendered whatever the data's findings)."""
    import pymupdf

    from budgetdoc.write import prepare, render
    from budgetdoc.write.workbook import read_data

    w = prepare(read_data(str(_workbook(name, tmp_path_factory))))
    out = tmp_path / f"{name}.pdf"
    render(w, str(out))
    return w, pymupdf.open(out)


def _keep_png(doc, i: int, name: str, tmp_path: Path) -> Path:
    """Page ``i`` as a PNG in the test's folder and in tests/output/write (gitignored) when writable, for
    a person to look at."""
    png = tmp_path / f"{name}-page{i + 1}.png"
    doc[i].get_pixmap(dpi=100).save(png)
    try:
        keep = Path(__file__).parent / "output" / "write"
        keep.mkdir(parents=True, exist_ok=True)
        shutil.copy(png, keep / png.name)
    except OSError:
        pass
    return png


def _table_pages(doc, tb) -> list[int]:
    """The page a table starts on (its title and unit line over ruled rows) and the pages it continues
    on (ruled rows, no unit line: the next table's page has one)."""
    def text(i: int) -> str:
        return "".join(doc[i].get_text().split())

    start = next(i for i in range(doc.page_count)
                 if tb.title in text(i) and tb.unit_line in text(i) and doc[i].get_drawings())
    pages = [start]
    for i in range(start + 1, doc.page_count):
        if tb.unit_line in text(i) or not doc[i].get_drawings():
            break
        pages.append(i)
    return pages


def _rects(page) -> list:
    return [item[1] for d in page.get_drawings() for item in d["items"] if item[0] == "re"]


@pytest.mark.skipif(not SEED["003"].exists(), reason="shared/seeds not present")
def test_pdf_pages_rendered_for_review(tmp_path, tmp_path_factory):
    """Seed 003 written as a PDF, its pages rendered as PNG and looked at: a cover with the title (publisher
    and year), fonts embedded (CJK subset, so the file stays small), ruled tables with the unit line,
    amounts right-aligned in their columns, and a table that runs over a page with its header rows
    repeated at the top of the continuation page."""
    w, doc = _written_pdf("seed-003", tmp_path, tmp_path_factory)
    title = w.blocks[0].text
    assert "2022年度" in title and "武汉市社会保险中心" in title
    cover = doc[0]
    assert cover.get_text().split() == [title] and not cover.get_drawings()  # the cover alone on its page
    spans = [s for b in cover.get_text("dict")["blocks"] for ln in b["lines"] for s in ln["spans"]]
    assert min(s["size"] for s in spans) >= 20 and spans[0]["bbox"][1] > cover.rect.height / 5
    assert "目录" in doc[1].get_text().split()[0]
    fonts = {f for p in doc for f in p.get_fonts()}
    assert fonts and all(f[1] in ("ttf", "otf", "cff", "cid") for f in fonts), fonts  # all embedded
    assert any(f[3].endswith("Droid Sans Fallback Regular") or "CJK" in f[3] for f in fonts), fonts
    assert Path(doc.name).stat().st_size < 600_000  # subset: the glyphs used, not the whole CJK face
    text = "".join(p.get_text() for p in doc)
    assert not re.search("[\uf900-\ufaff\u2f00-\u2fdf]", text)  # 年/度 read as 年/度, not stand-ins
    # T4 runs over two pages: ruled, the header rows again on the second page
    t4 = next(b.table for b in w.blocks if b.table is not None and b.table.key == "T4")
    pages = _table_pages(doc, t4)
    assert len(pages) == 2, pages
    first, cont = doc[pages[0]], doc[pages[1]]
    assert "金额单位：万元" in first.get_text() and t4.unit_line == "金额单位：万元"
    heads = [_header_text(page, len(t4.header)) for page in (first, cont)]
    assert heads[0] == heads[1]  # the same header rows at the top of the continuation page
    assert all(c.replace(" ", "")[:4] in heads[1] for row in t4.header for c in row)
    assert "总计" not in heads[1] and "总计" in cont.get_text()  # the rows under it are the body's
    for page in (first, cont):
        assert len(_rects(page)) >= 9 * 8  # one rectangle per cell: 9 columns
    assert cont.rect.width > cont.rect.height  # nine columns: a landscape page
    entry = next(ln for ln in doc[1].get_text().splitlines() if t4.title in ln)  # the 目录 says where
    assert re.fullmatch(r".+\.{10,}\s*" + str(pages[0] + 1), entry) and f"- {pages[0] + 1} -" in first.get_text()
    assert [c for page in doc for c in _outside_cells(page)] == []  # no glyph over a rule
    _right_aligned(first, "2,132.07")
    for i in (0, pages[0], pages[1]):
        assert _keep_png(doc, i, "seed-003", tmp_path).stat().st_size > 5_000


def _header_text(page, rows: int) -> str:
    """The text inside the first ``rows`` ruled rows of the page's table, without spaces."""
    import pymupdf

    rects = _rects(page)
    top = min(r.y0 for r in rects)
    bottom = sorted({round(r.y1, 1) for r in rects})[rows - 1]
    return "".join(page.get_text(clip=pymupdf.Rect(0, top, page.rect.width, bottom + 0.5)).split())


def _outside_cells(page) -> list[tuple[int, str]]:
    """Glyphs in a table cell that reach over its rules: (page number, glyph)."""
    rects = _rects(page)
    out = []
    for block in page.get_text("rawdict")["blocks"]:
        for ch in (c for ln in block.get("lines", []) for sp in ln["spans"] for c in sp["chars"]):
            x0, y0, x1, y1 = ch["bbox"]
            cell = next((r for r in rects if r.x0 < (x0 + x1) / 2 < r.x1 and r.y0 < (y0 + y1) / 2 < r.y1), None)
            if cell is not None and not ch["c"].isspace() and (
                    x0 < cell.x0 - 0.5 or x1 > cell.x1 + 0.5 or y0 < cell.y0 - 1 or y1 > cell.y1 + 1):
                out.append((page.number + 1, ch["c"]))
    return out


def _right_aligned(page, amount: str) -> None:
    """Every ``amount`` on the page ends at its cell's right rule less the same padding."""
    rects = _rects(page)
    ends = [wd[2] for wd in page.get_text("words") if wd[4] == amount]
    assert ends
    for x1 in ends:
        rule = min(r.x1 for r in rects if r.x1 >= x1 and r.x0 < x1)
        assert 1.0 < rule - x1 < 5.0, (rule, x1)


def test_pdf_shanghai_budget_pages(tmp_path, tmp_path_factory):
    """The 2025 commerce unit budget written as a PDF: a cover naming the 预算单位, 单位：元 on each table,
    a wide table (7 columns of names and amounts) on a landscape page, amounts never wrapped."""
    name = "shanghai-putuo-2025-unit-budget-commerce.pdf"
    w, doc = _written_pdf(name, tmp_path, tmp_path_factory)
    cover = doc[0].get_text()
    assert "2025年" in cover and "预算单位：上海市普陀区商务委员会" in cover
    b1 = next(b.table for b in w.blocks if b.table is not None and b.table.key == "B1")
    page = doc[_table_pages(doc, b1)[0]]
    assert page.rect.width > page.rect.height
    words = [wd[4] for wd in page.get_text("words")]
    assert "单位：元" in page.get_text() and "371,514,655.00" in words
    _right_aligned(page, "371,514,655.00")
    for t in (b.table for b in w.blocks if b.table is not None):
        assert t.unit_line in "".join(doc[_table_pages(doc, t)[0]].get_text().split())
    _keep_png(doc, page.number, name, tmp_path)
