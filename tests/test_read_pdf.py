"""The PDF reader: reading order, table rows on the ruling-line grid, scans, bad files, bounds."""

from __future__ import annotations

import hashlib
import time

import pymupdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgetdoc.errors import InputError
from budgetdoc.read import pdf as pdfmod
from budgetdoc.read import read
from budgetdoc.read.lines import Line
from budgetdoc.read.pdf import read_pdf
from conftest import SAMPLE, needs_samples

_SOURCES: dict[str, object] = {}


def source(name: str):
    if name not in _SOURCES:
        _SOURCES[name] = read_pdf(str(SAMPLE[name]))
    return _SOURCES[name]


def texts(src, page: int) -> list[str]:
    return [ln.text for ln in src.pages[page - 1].lines]


def rows(src, page: int) -> list[list[str]]:
    return [ln.cells for ln in src.pages[page - 1].lines if ln.cells is not None]


def in_order(haystack: list[str], needles: list[str]) -> bool:
    """Each needle is (a substring of) a line, and the lines come in this order."""
    at = 0
    for n in needles:
        while at < len(haystack) and n not in haystack[at]:
            at += 1
        if at == len(haystack):
            return False
        at += 1
    return True


# ---------------------------------------------------------------- the real samples


@needs_samples
@pytest.mark.parametrize("name,pages", [("planning", 30), ("social", 24), ("template", 23)])
def test_page_counts_and_form(name, pages):
    src = source(name)
    assert src.form == "pdf"
    assert len(src.pages) == pages
    assert [p.number for p in src.pages] == list(range(1, pages + 1))
    assert all(p.has_text for p in src.pages)
    assert (
        src.title == "附件2：预算主管部门公开样张"
    )  # the metadata really says so (left over from the template)


@needs_samples
def test_page_sizes_portrait_and_landscape():
    src = source("planning")
    assert (src.pages[6].width, src.pages[6].height) == (595.32, 841.92)  # 收支总表, portrait
    assert (src.pages[7].width, src.pages[7].height) == (841.92, 595.32)  # 收入决算表, landscape


@needs_samples
def test_line_numbers_boxes_and_words():
    for name in SAMPLE:
        for page in source(name).pages:
            assert [ln.number for ln in page.lines] == list(range(1, len(page.lines) + 1))
            tops = [ln.bbox[1] for ln in page.lines]
            assert tops == sorted(tops)
            for ln in page.lines:
                assert ln.page == page.number
                x0, y0, x1, y1 = ln.bbox
                assert 0 <= x0 < x1 <= page.width and 0 <= y0 < y1 <= page.height
                assert ln.words and all(len(w.bbox) == 4 and w.text for w in ln.words)
                if ln.cells is None:
                    assert ln.text and ln.text == ln.text.strip()
                else:
                    assert ln.text == "\t".join(ln.cells).rstrip("\t") and any(ln.cells)


@needs_samples
def test_title_pages_in_reading_order():
    assert texts(source("planning"), 1) == ["上海市普陀区规划和自然", "资源局", "2024 年度部门决算"]
    assert texts(source("social"), 1) == ["中共上海市普陀区委", "社会工作部2024 年度", "部门决算"]
    assert texts(source("template"), 1)[0] == "上海市XX 局"


@needs_samples
def test_table_of_contents_and_table_title():
    toc = texts(source("social"), 2)
    assert in_order(
        toc, ["目 录", "第一部分中共上海市普陀区委社会工作部概况", "一、收入支出决算总表", "九、国有资本经营"]
    )
    page7 = texts(source("planning"), 7)
    assert in_order(
        page7, ["上海市规划和自然资源局2024 年度部门决算表", "收入支出决算总表", "单位：万元", "收入\t\t支出"]
    )
    assert page7[-1] == "注：本表反映部门本年度的总收支和年末结转结余情况。"


@needs_samples
def test_narrative_sentences_in_reading_order():
    page21 = texts(source("planning"), 21)
    assert in_order(
        page21,
        [
            "（一）一般公共预算财政拨款支出决算总体情况",
            "一般公共预算财政拨款支出9746.50 万元，占本年支出合计",
            "的99.86%。与2023 年度相比，一般公共预算财政拨款支出增加",
            "（二）一般公共预算财政拨款支出决算结构情况",
        ],
    )
    narrative = [ln for ln in source("planning").pages[20].lines]
    assert all(ln.cells is None for ln in narrative)
    assert "本年支出合计307.82 万元，其中：基本支出105.58 万元，占" in texts(source("social"), 17)


@needs_samples
def test_summary_table_both_halves():
    t1 = rows(source("planning"), 7)
    assert ["收入", "", "支出", ""] in t1
    assert ["一、一般公共预算财政拨款收入", "9746.50", "一、一般公共服务支出", ""] in t1
    assert ["八、其他收入", "", "八、社会保障和就业支出", "754.75"] in t1
    assert ["", "", "十一、城乡社区支出", "3845.25"] in t1
    assert ["本年收入合计", "9746.50", "本年支出合计", "9759.38"] in t1
    assert ["年初结转和结余", "112.88", "年末结转和结余", "100.00"] in t1
    assert t1[-1] == ["总计", "9859.38", "总计", "9859.38"]
    assert len(t1) == 30 and all(len(r) == 4 for r in t1)
    row = next(ln for ln in source("planning").pages[6].lines if ln.cells and ln.cells[0] == "本年收入合计")
    assert row.text == "本年收入合计\t9746.50\t本年支出合计\t9759.38"


@needs_samples
def test_functional_rows_code_cell_and_amounts():
    t5 = rows(source("social"), 12)
    # 合计/基本支出/项目支出 are merged down over both header bands: they belong to the top one
    assert t5[:2] == [
        ["项目", "", "合计", "基本支出", "项目支出"],
        ["功能分类科目编码", "科目名称", "", "", ""],
    ]
    assert ["201", "一般公共服务支出", "264.87", "62.63", "202.24"] in t5  # name wrapped in the cell
    assert ["2013901", "行政运行", "51.32", "51.32", ""] in t5  # blank 项目支出
    assert ["2013999", "其他社会工作事务支出", "202.24", "", "202.24"] in t5
    assert ["合计", "", "307.82", "105.58", "202.24"] in t5  # 合计 spans 编码 + 名称
    t3 = rows(source("planning"), 10)
    assert ["合计", "", "9759.38", "5377.64", "4381.74", "", "", ""] in t3


@needs_samples
def test_wrapped_names_are_one_row():
    t5 = rows(source("planning"), 14)
    assert ["2080505", "机关事业单位基本养老保险缴费支出", "446.11", "446.11", "0.00"] in t5  # 3 visual lines
    assert ["2080502", "事业单位离退休", "28.11", "28.11", "0.00"] in t5
    t4 = rows(source("planning"), 13)
    assert ["", "", "二十二、灾害防治及应急管理支出", "", "", "", ""] in t4
    header = rows(source("social"), 10)[1]
    assert header[4:] == ["一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]
    units = rows(source("planning"), 6)
    assert ["2", "上海市普陀区规划和自然资源局执法大队（下属参公事业单位）", ""] in units


@needs_samples
def test_economic_table_column_groups():
    t6 = rows(source("planning"), 16)
    assert ["经济分类科目编码", "科目名称", "决算数", "经济分类科目编码", "科目名称", "决算数"] in t6
    assert ["301", "工资福利支出", "4816.14", "302", "商品和服务支出", "440.90"] in t6
    assert ["30108", "机关事业单位基本养老保险缴费", "446.11", "30206", "电费", "18.86"] in t6
    assert ["", "", "", "310", "资本性支出", "39.76"] in t6
    assert ["", "", "", "31007", "信息网络及软件购置更新", "0.00"] in t6
    assert t6[-1] == ["人员经费合计", "", "4884.09", "公用经费合计", "", "480.66"]
    t6 = rows(source("template"), 11)
    assert ["30101", "基本工资", "", "30201", "办公费", ""] in t6  # empty template: blank amounts


@needs_samples
def test_three_public_table_and_merged_headers():
    t9 = rows(source("planning"), 17)
    assert all(len(r) == 12 for r in t9)
    assert t9[2][4] == "小计" and t9[2][6] == "公务用车购置费" and t9[2][8] == "公务用车运行维护费"
    assert t9[-1] == [
        "2.85",
        "0.39",
        "0.00",
        "0.00",
        "0.00",
        "0.00",
        "0.00",
        "0.00",
        "0.00",
        "0.00",
        "2.85",
        "0.39",
    ]
    fund = rows(source("social"), 15)
    assert fund[0] == ["项目", "", "年初结转和结余", "本年收入", "本年支出", "", "", "年末结转和结余"]
    assert fund[-1] == ["合计", "", "", "", "合计", "基本支出", "项目支出", ""]


@needs_samples
def test_table_continuing_on_next_page_keeps_grid():
    src = source("planning")
    first, second = rows(src, 8), rows(src, 9)
    assert {len(r) for r in first} == {len(r) for r in second} == {9}
    assert second[0] == ["212", "城乡社区支出", "3832.36", "3832.36", "", "", "", "", ""]
    assert texts(src, 9)[-1] == "注：本表反映部门本年度取得的各项收入情况。"
    assert {len(r) for r in rows(src, 12)} == {len(r) for r in rows(src, 13)} == {7}


@needs_samples
def test_read_dispatches_to_pdf():
    assert read(str(SAMPLE["social"])).form == "pdf"


@needs_samples
def test_input_bytes_unchanged():
    for path in SAMPLE.values():
        before = hashlib.sha256(path.read_bytes()).hexdigest()
        mtime = path.stat().st_mtime_ns
        read_pdf(str(path))
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before
        assert path.stat().st_mtime_ns == mtime


# ---------------------------------------------------------------- bad PDFs


def _small_pdf(path, pages: int = 1, text: str = "一般公共预算财政拨款支出 307.82 万元"):
    doc = pymupdf.open()
    for _ in range(pages):
        page = doc.new_page()
        page.insert_text((72, 72), text, fontname="china-s", fontsize=11)
    doc.save(str(path))
    doc.close()
    return path


def _raises_quickly(path, words: str):
    t = time.perf_counter()
    with pytest.raises(InputError) as e:
        read_pdf(str(path))
    assert time.perf_counter() - t < 5
    msg = str(e.value)
    assert words in msg and str(path) in msg and "\n" not in msg
    return msg


def test_encrypted_pdf(tmp_path):
    plain = _small_pdf(tmp_path / "plain.pdf")
    doc = pymupdf.open(str(plain))
    out = tmp_path / "locked.pdf"
    doc.save(str(out), encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="u", owner_pw="o")
    doc.close()
    _raises_quickly(out, "需要密码")


def test_owner_password_only_pdf_is_readable(tmp_path):
    plain = _small_pdf(tmp_path / "plain.pdf")
    doc = pymupdf.open(str(plain))
    out = tmp_path / "restricted.pdf"
    doc.save(str(out), encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="", owner_pw="o")
    doc.close()
    assert "307.82" in read_pdf(str(out)).pages[0].lines[0].text


@needs_samples
def test_truncated_pdf(tmp_path):
    data = SAMPLE["social"].read_bytes()
    out = tmp_path / "truncated.pdf"
    out.write_bytes(data[: len(data) // 2])
    _raises_quickly(out, "损坏")
    out.write_bytes(data[:2000])
    _raises_quickly(out, "损坏")


def test_zero_byte_pdf(tmp_path):
    out = tmp_path / "empty.pdf"
    out.write_bytes(b"")
    _raises_quickly(out, "文件为空")
    with pytest.raises(InputError):
        read(str(out))


def test_random_bytes_named_pdf(tmp_path):
    import random

    out = tmp_path / "random.pdf"
    out.write_bytes(random.Random(7).randbytes(20000))
    _raises_quickly(out, "不是 PDF")
    with pytest.raises(InputError):
        read(str(out))


def test_text_file_named_pdf(tmp_path):
    out = tmp_path / "notes.pdf"
    out.write_text("这不是 PDF，只是一段文字。\n" * 50, "utf-8")
    _raises_quickly(out, "不是 PDF")


def test_pdf_header_with_garbage(tmp_path):
    out = tmp_path / "garbage.pdf"
    out.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    _raises_quickly(out, "损坏")


def test_page_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(pdfmod, "MAX_PAGES", 3)
    _raises_quickly(_small_pdf(tmp_path / "long.pdf", pages=5), "页数过多")


def test_character_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(pdfmod, "MAX_CHARS", 40)
    _raises_quickly(_small_pdf(tmp_path / "wordy.pdf", pages=3), "文字过多")


def test_decompression_bomb_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(pdfmod, "MAX_STREAM", 1024 * 1024)
    path = _small_pdf(tmp_path / "plain.pdf")
    doc = pymupdf.open(str(path))
    xref = doc[0].get_contents()[0]
    padding = b"%" + b" " * (3 * 1024 * 1024) + b"\n"  # 3 MB that deflates to a few KB
    doc.update_stream(xref, padding + doc.xref_stream(xref), compress=True)
    bomb = tmp_path / "bomb.pdf"
    doc.save(str(bomb))
    doc.close()
    assert bomb.stat().st_size < 100_000
    _raises_quickly(bomb, "压缩炸弹")


# ---------------------------------------------------------------- built PDFs: order, scans, cells


def test_position_order_not_stream_order(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page()
    # written bottom-up and right-to-left: the stream order is the reverse of the reading order
    page.insert_text((72, 300), "第三段：支出决算307.82万元。", fontname="china-s", fontsize=11)
    page.insert_text((72, 200), "第二段：收入决算307.82万元。", fontname="china-s", fontsize=11)
    page.insert_text((300, 100), "右边", fontname="china-s", fontsize=11)
    page.insert_text((72, 100), "左边", fontname="china-s", fontsize=11)
    out = tmp_path / "order.pdf"
    doc.save(str(out))
    doc.close()
    lines = read_pdf(str(out)).pages[0].lines
    assert [ln.text for ln in lines] == [
        "左边 右边",
        "第二段：收入决算307.82万元。",
        "第三段：支出决算307.82万元。",
    ]
    assert [ln.number for ln in lines] == [1, 2, 3]


def test_cjk_split_by_extractor_joined_without_space(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page()
    font = pymupdf.Font("china-s")
    first = "一般公共预算"
    page.insert_text((72, 100), first, fontname="china-s", fontsize=12)
    x = 72 + font.text_length(first, fontsize=12)
    page.insert_text((x, 100), "财政拨款支出", fontname="china-s", fontsize=12)  # a separate text object
    page.insert_text((72, 140), "2024 年度部门决算", fontname="china-s", fontsize=12)  # a real space
    out = tmp_path / "split.pdf"
    doc.save(str(out))
    doc.close()
    assert [ln.text for ln in read_pdf(str(out)).pages[0].lines] == [
        "一般公共预算财政拨款支出",
        "2024 年度部门决算",
    ]


def _ruled(page, xs, ys):
    for y in ys:
        page.draw_line((xs[0], y), (xs[-1], y), width=0.5)
    for x in xs:
        page.draw_line((x, ys[0]), (x, ys[-1]), width=0.5)


def test_ruled_table_cells_blank_and_glued_word_split(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page()
    kw = {"fontname": "china-s", "fontsize": 10}
    page.insert_text((55, 114), "项目", **kw)
    page.insert_text((305, 114), "合计", **kw)
    page.insert_text((405, 114), "基本支出", **kw)
    # one text run that will cross the rule between 编码 and 名称: one extractor word "2013901行政运行"
    page.insert_text((60, 134), "2013901行政运行", **kw)
    page.insert_text((305, 134), "51.32", **kw)
    page.insert_text((55, 158), "2080505", **kw)
    page.insert_text((405, 158), "6.18", **kw)
    chars = [
        c
        for b in page.get_text("rawdict")["blocks"]
        for ln in b["lines"]
        for s in ln["spans"]
        for c in s["chars"]
    ]
    hang = next(i for i, c in enumerate(chars) if c["c"] == "行")
    rule = (chars[hang - 1]["bbox"][2] + chars[hang]["bbox"][0]) / 2  # between "2013901" and "行政运行"
    page.insert_text((rule + 5, 152), "机关事业单位基本养老", **kw)  # wrapped inside its cell
    page.insert_text((rule + 5, 165), "保险缴费支出", **kw)
    page.insert_text((50, 200), "注：本表反映部门本年度一般公共预算财政拨款支出情况。", **kw)
    _ruled(page, [50, rule, 300, 400, 500], [100, 120, 140, 170])
    out = tmp_path / "table.pdf"
    doc.save(str(out))
    doc.close()
    with pymupdf.open(str(out)) as check:
        assert "2013901行政运行" in [w[4] for w in check[0].get_text("words")]
    lines = read_pdf(str(out)).pages[0].lines
    assert [ln.cells for ln in lines[:3]] == [
        ["项目", "", "合计", "基本支出"],
        ["2013901", "行政运行", "51.32", ""],
        ["2080505", "机关事业单位基本养老保险缴费支出", "", "6.18"],
    ]
    assert lines[1].text == "2013901\t行政运行\t51.32"
    assert lines[3].cells is None and lines[3].text.startswith("注：")


def test_rows_without_rules_inside_a_ruled_frame_are_split(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page()
    _ruled(page, [50, 150, 300, 400], [100, 200])  # a frame and column rules, no row rules
    kw = {"fontname": "china-s", "fontsize": 10}
    for i, (code, name, amount) in enumerate(
        [("208", "社会保障和就业支出", "10.82"), ("210", "卫生健康支出", "2.71")]
    ):
        y = 120 + 20 * i
        page.insert_text((55, y), code, **kw)
        page.insert_text((155, y), name, **kw)
        page.insert_text((305, y), amount, **kw)
    out = tmp_path / "unruled-rows.pdf"
    doc.save(str(out))
    doc.close()
    assert [ln.cells for ln in read_pdf(str(out)).pages[0].lines] == [
        ["208", "社会保障和就业支出", "10.82"],
        ["210", "卫生健康支出", "2.71"],
    ]


def test_long_code_wrapped_in_its_cell_is_one_row(tmp_path):
    # a 21-character 项目编码 wrapped over three lines of its cell (each but the last filling it), the
    # name over two, the amounts on the middle line: one row, the code joined without spaces
    doc = pymupdf.open()
    page = doc.new_page()
    kw = {"fontname": "helv", "fontsize": 10}
    pieces = ["42010026", "00002200", "00101"]
    right = 55 + pymupdf.get_text_length(pieces[0], **kw) + 3
    _ruled(page, [50, right, right + 80, right + 150], [100, 150])
    for i, piece in enumerate(pieces):
        page.insert_text((55, 115 + 13 * i), piece, **kw)
    page.insert_text((right + 5, 121), "信息系统运行", fontname="china-s", fontsize=10)
    page.insert_text((right + 5, 134), "维护项目", fontname="china-s", fontsize=10)
    page.insert_text((right + 105, 128), "129.27", **kw)
    out = tmp_path / "wrapped-code.pdf"
    doc.save(str(out))
    doc.close()
    assert [ln.cells for ln in read_pdf(str(out)).pages[0].lines] == [
        ["420100260000220000101", "信息系统运行维护项目", "129.27"]
    ]


def test_unruled_table_is_plain_lines_across_the_page(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page()
    kw = {"fontname": "china-s", "fontsize": 10}
    page.insert_text((55, 120), "208", **kw)
    page.insert_text((155, 120), "社会保障和就业支出", **kw)
    page.insert_text((305, 120), "10.82", **kw)
    out = tmp_path / "unruled.pdf"
    doc.save(str(out))
    doc.close()
    (line,) = read_pdf(str(out)).pages[0].lines
    assert line.cells is None and line.text == "208 社会保障和就业支出 10.82"
    assert [w.text for w in line.words] == ["208", "社会保障和就业支出", "10.82"]


def _scan(tmp_path):
    pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 40, 40), False)
    pix.clear_with(200)
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_image(page.rect, pixmap=pix)
    page = doc.new_page()
    page.insert_text((72, 72), "第二页有文字层", fontname="china-s", fontsize=11)
    doc.set_metadata({"title": "上海市XX局2024年度部门决算"})
    out = tmp_path / "scan.pdf"
    doc.save(str(out))
    doc.close()
    return out


def test_scanned_page_has_no_text_and_no_lines(tmp_path):
    src = read_pdf(str(_scan(tmp_path)))
    assert src.title == "上海市XX局2024年度部门决算"
    assert [p.has_text for p in src.pages] == [False, True]
    assert src.pages[0].lines == []
    assert src.pages[1].lines[0].text == "第二页有文字层"


def test_ocr_hook_reads_scanned_pages(tmp_path):
    seen = []

    def ocr(page, number):
        seen.append((number, round(page.rect.width)))
        return [Line(text="识别出的文字", page=number, number=1)]

    path = _scan(tmp_path)
    src = read_pdf(str(path), ocr=ocr)
    assert seen == [(1, 595)]
    assert not src.pages[0].has_text and src.pages[0].lines[0].text == "识别出的文字"
    previous = pdfmod.set_ocr_hook(ocr)
    try:
        assert read_pdf(str(path)).pages[0].lines[0].text == "识别出的文字"
    finally:
        pdfmod.set_ocr_hook(None)
    try:
        assert read_pdf(str(path)).pages[0].lines == []
    finally:
        pdfmod.set_ocr_hook(previous)  # leave the default (OCR when installed) to the other tests


def test_rotated_page_reads_as_shown(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page()  # portrait, shown landscape through /Rotate 90: content drawn turned
    kw = {"fontname": "china-s", "fontsize": 10, "rotate": 90}
    # shown with /Rotate 90: y (shown) = x (unrotated), x (shown) = 842 - y (unrotated)
    page.insert_text((130, 742), "项目", **kw)
    page.insert_text((130, 542), "合计", **kw)
    page.insert_text((150, 742), "一般公共服务支出", **kw)
    page.insert_text((150, 542), "264.87", **kw)
    for x in (160, 140, 120):  # row rules (horizontal when shown)
        page.draw_line((x, 452), (x, 792), width=0.5)
    for y in (792, 572, 452):  # column rules
        page.draw_line((120, y), (160, y), width=0.5)
    page.set_rotation(90)
    out = tmp_path / "rotated.pdf"
    doc.save(str(out))
    doc.close()
    src = read_pdf(str(out))
    assert (src.pages[0].width, src.pages[0].height) == (842.0, 595.0)
    assert [ln.cells for ln in src.pages[0].lines] == [["项目", "合计"], ["一般公共服务支出", "264.87"]]


def test_short_text_page_without_images_keeps_its_lines(tmp_path):
    out = _small_pdf(tmp_path / "short.pdf", text="目录")
    page = read_pdf(str(out)).pages[0]
    assert page.has_text and [ln.text for ln in page.lines] == ["目录"]


def test_blank_page(tmp_path):
    doc = pymupdf.open()
    doc.new_page()
    out = tmp_path / "blank.pdf"
    doc.save(str(out))
    doc.close()
    page = read_pdf(str(out)).pages[0]
    assert page.has_text and page.lines == []


def test_overprinted_fake_bold_word_counted_once(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "收入支出决算总表", fontname="china-s", fontsize=14)
    page.insert_text((72.3, 100), "收入支出决算总表", fontname="china-s", fontsize=14)
    out = tmp_path / "bold.pdf"
    doc.save(str(out))
    doc.close()
    assert [ln.text for ln in read_pdf(str(out)).pages[0].lines] == ["收入支出决算总表"]


def test_many_drawings_page_is_bounded(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page()
    shape = page.new_shape()
    for i in range(140):  # a dense lattice: 140 × 140 rules, 139 columns
        shape.draw_line((10 + i * 4.1, 10), (10 + i * 4.1, 830))
        shape.draw_line((10, 10 + i * 5.8), (585, 10 + i * 5.8))
    for i in range(3000):  # and thousands of short dashes
        shape.draw_line(
            (10 + (i % 70) * 8, 820 + (i // 70) * 0.05), (15 + (i % 70) * 8, 820 + (i // 70) * 0.05)
        )
    shape.finish(width=0.2)
    shape.commit()
    page.insert_text((72, 100), "说明文字", fontname="china-s", fontsize=11)
    out = tmp_path / "lattice.pdf"
    doc.save(str(out))
    doc.close()
    t = time.perf_counter()
    page = read_pdf(str(out)).pages[0]
    assert time.perf_counter() - t < 5
    assert "".join(page.lines[0].cells or [page.lines[0].text]) == "说明文字"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 30), st.floats(0, 30), st.sampled_from(["0", "0.00", "合计"])), max_size=40))
def test_dedupe_drops_exactly_the_twins_of_kept_words(points):
    """Fake bold: a word within 1 pt (x and y) of a kept word of the same text is dropped, nothing else."""
    from budgetdoc.read.pdf import _dedupe

    words = [(x, y, x + 5, y + 8, text, (0, 0)) for x, y, text in points]
    kept: list = []
    for w in words:
        if not any(t[4] == w[4] and abs(t[0] - w[0]) < 1 and abs(t[1] - w[1]) < 1 for t in kept):
            kept.append(w)
    assert _dedupe(words) == kept


def test_only_pages_with_paths_are_asked_for_their_drawings(tmp_path, monkeypatch):
    """The text page notes vector paths (as blocks with their boxes): a page without any is not
    interpreted again for ruling lines; a page whose paths are rules (thin filled or stroked
    rectangles) gets its grid from those blocks; a page with another kind of path (a stroked box) is
    asked for its drawings (get_cdrawings); an unknown binding falls back to asking."""
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "说明 plain text only", fontname="china-s")
    for boxes in (False, True):
        page = doc.new_page()
        page.insert_text((72, 72), "表 1", fontname="china-s")
        if boxes:  # each cell a stroked rectangle
            for x0, x1 in ((50, 150), (150, 300)):
                for y0, y1 in ((100, 120), (120, 140)):
                    page.draw_rect((x0, y0, x1, y1))
        else:  # one stroked line a rule
            for y in (100, 120, 140):
                page.draw_line((50, y), (300, y))
            for x in (50, 150, 300):
                page.draw_line((x, 100), (x, 140))
        for row, y in enumerate((115, 135)):
            page.insert_text((60, y), f"项目{row}", fontname="china-s")
            page.insert_text((200, y), f"{row}.50", fontname="china-s")
    path = tmp_path / "three.pdf"
    doc.save(path)
    asked: list[int] = []
    real = pymupdf.Page.get_cdrawings
    monkeypatch.setattr(pymupdf.Page, "get_cdrawings", lambda self, *a, **k: asked.append(self.number) or real(self, *a, **k))
    src = read_pdf(str(path), ocr=False)
    assert asked == [2]
    for number in (2, 3):  # both grids read: the rows with their two cells
        rows = [ln.cells for ln in src.pages[number - 1].lines if ln.cells]
        assert rows == [["项目0", "0.50"], ["项目1", "1.50"]], (number, rows)
    assert pdfmod._has_paths(object()) is True
