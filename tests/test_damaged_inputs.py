"""Damaged inputs: whatever a file holds, ``check`` reads it (exit 0/1, valid JSON) or refuses it (exit 2,
one sentence on standard error starting ``budgetdoc:``), never a traceback, never an internal error.

Variants of the seeds, the real texts and the sample PDFs are built in a temporary folder: truncated,
bit-flipped, lines shuffled, dropped or duplicated, amounts replaced by 30-60-digit numbers or by
``NaN``/``Infinity``/garbage, control characters, a page with far too many words, a page whose text
layer is garbage. The CLI runs in-process (click's runner), so a bug shows as the exception itself.
A bug the CLI contains (a rule or a table reader that raised: one finding, one diagnostic) fails the
test too: containment is the last line, not the answer.
"""

from __future__ import annotations

import json
import random
import re
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetdoc.cli import cli
from conftest import SAMPLE, SAMPLES, SEED, SEEDS, SHARED, needs_samples, needs_seeds

REAL_TEXTS = sorted((SHARED / "real").glob("*.txt")) if (SHARED / "real").is_dir() else []
TEXTS = [p for p in [*SEED.values(), *REAL_TEXTS] if p.exists()]
PDFS = [p for p in SAMPLE.values() if p.exists()]
SETTINGS = settings(max_examples=12, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# what the containment wrappers write when a bug was caught (check/__init__.py, recognise/tables)
CONTAINED = ("报告给开发者", "表读取出错")
AMOUNT = re.compile(r"\d[\d,]*\.\d{2}")
GARBAGE_NUMBERS = ["NaN", "nan", "Infinity", "-Infinity", "inf", "sNaN", "1e999", "1E+30", "12.34.56",
                   "--5", "1,2,3,4.5.6", "０.０", "9" * 300, "0." + "0" * 60 + "1", "−0.00", "1.2e-7"]


@pytest.fixture(autouse=True, scope="module")
def _no_ocr():
    """Scans and garbled pages are not sent to OCR here (seconds a page): the page is said instead."""
    from budgetdoc.read.pdf import set_ocr_hook

    previous = set_ocr_hook(None)
    yield
    set_ocr_hook(previous)


def check_cli(*paths: Path) -> tuple[int, object | None, str]:
    """``budgetdoc check --format json PATHS`` in-process: exit code, parsed JSON (None when refused),
    standard error. Asserts the contract: read (0/1, JSON) or refused (2, one ``budgetdoc:`` sentence)."""
    res = CliRunner().invoke(cli, ["check", "--format", "json", *map(str, paths)])
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception  # the bug itself, with its traceback
    err = res.stderr
    assert "Traceback" not in err and "内部错误" not in err, err
    assert res.exit_code in (0, 1, 2), (res.exit_code, err)
    if res.exit_code == 2 and len(paths) == 1 and not paths[0].is_dir():
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("budgetdoc: "), err
        assert not res.stdout.strip(), res.stdout[:300]
        return 2, None, err
    out = json.loads(res.stdout)
    for report in out if isinstance(out, list) else [out]:
        for f in report.get("findings", []):
            assert not any(c in f["message"] for c in CONTAINED), f["message"]
    return res.exit_code, out, err


def _write(text_or_bytes: str | bytes, suffix: str, folder: str) -> Path:
    p = Path(folder) / f"variant{suffix}"
    if isinstance(text_or_bytes, str):
        p.write_text(text_or_bytes, "utf-8", newline="")
    else:
        p.write_bytes(text_or_bytes)
    return p


# ---------------------------------------------------------------- text variants


def mutate_text(text: str, kind: str, rng: random.Random) -> str:
    lines = text.split("\n")
    if kind == "truncate":
        return text[: rng.randrange(1, len(text))]
    if kind == "shuffle":
        rng.shuffle(lines)
        return "\n".join(lines)
    if kind == "drop":
        i = rng.randrange(len(lines))
        return "\n".join(lines[:i] + lines[i + rng.randrange(1, 80):])
    if kind == "duplicate":
        i = rng.randrange(len(lines))
        j = min(len(lines), i + rng.randrange(1, 40))
        return "\n".join(lines[:j] + lines[i:j] * rng.randrange(1, 4) + lines[j:])
    if kind in ("huge", "garbage"):
        found = list(AMOUNT.finditer(text))
        chosen = sorted(rng.sample(found, min(len(found), rng.randrange(1, 60))), key=lambda m: m.start())
        out, last = [], 0
        for m in chosen:
            if kind == "huge":
                digits = "".join(rng.choice("0123456789") for _ in range(rng.randrange(30, 61)))
                new = ("1" + digits)[: rng.randrange(30, 61)] + rng.choice(["", ".00", ".5", "." + digits[:20]])
            else:
                new = rng.choice(GARBAGE_NUMBERS)
            out += [text[last : m.start()], new]
            last = m.end()
        return "".join([*out, text[last:]])
    if kind == "bitflip":
        b = bytearray(text.encode("utf-8"))
        for _ in range(rng.randrange(1, 80)):
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        return b.decode("utf-8", "replace")
    if kind == "leaders":  # 目录 lines with long leader dots, anywhere (shuffled extractor output)
        for _ in range(rng.randrange(1, 6)):
            dots = rng.choice([".", "。", "…", "·"]) * rng.randrange(30, 400)
            lines.insert(rng.randrange(len(lines) + 1), f"一般公共预算财政拨款支出决算表{dots}{rng.randrange(1, 99)}")
        return "\n".join(lines)
    if kind == "control":
        controls = [chr(c) for c in range(32)] + ["\x7f", "\x85", "\u2028", "\ufeff", "\u200b", "\ufffd", "\ue000"]
        chars = list(text)
        for _ in range(rng.randrange(1, 300)):
            chars.insert(rng.randrange(len(chars)), rng.choice(controls))
        return "".join(chars)
    raise AssertionError(kind)


TEXT_KINDS = ["truncate", "shuffle", "drop", "duplicate", "huge", "garbage", "bitflip", "control", "leaders"]


@needs_seeds
@SETTINGS
@given(source=st.sampled_from(TEXTS or [Path("missing")]), kind=st.sampled_from(TEXT_KINDS),
       seed=st.integers(0, 2**32 - 1))
def test_damaged_text_is_read_or_refused(source: Path, kind: str, seed: int) -> None:
    text = mutate_text(source.read_text("utf-8"), kind, random.Random(seed))
    with tempfile.TemporaryDirectory() as d:
        check_cli(_write(text, ".txt", d))


@needs_seeds
@pytest.mark.parametrize("kind", ["huge", "garbage", "shuffle", "control", "leaders"])
def test_every_kind_on_every_seed(kind: str, tmp_path: Path) -> None:
    """One variant of each kind per seed, checked together: the folder form of ``check``."""
    for i, (name, path) in enumerate(SEED.items()):
        text = mutate_text(path.read_text("utf-8"), kind, random.Random(i))
        (tmp_path / f"{name}-{kind}.txt").write_text(text, "utf-8", newline="")
    code, out, _ = check_cli(tmp_path)
    assert isinstance(out, list) and len(out) == len(SEED)


# ---------------------------------------------------------------- PDF variants


@needs_samples
@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(source=st.sampled_from(PDFS or [Path("missing")]), kind=st.sampled_from(["truncate", "bitflip"]),
       seed=st.integers(0, 2**32 - 1))
def test_damaged_pdf_bytes_are_read_or_refused(source: Path, kind: str, seed: int) -> None:
    rng = random.Random(seed)
    data = bytearray(source.read_bytes())
    if kind == "truncate":
        data = data[: rng.randrange(8, len(data))]
    else:
        for _ in range(rng.randrange(1, 40)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    with tempfile.TemporaryDirectory() as d:
        check_cli(_write(bytes(data), ".pdf", d))


def _dense_page(path: Path, words: int) -> None:
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=2000, height=2000)
    per_line = 400
    rows = -(-words // per_line)
    tw = pymupdf.TextWriter(page.rect)
    font = pymupdf.Font("helv")
    for i in range(rows):
        n = min(per_line, words - i * per_line)
        tw.append((5, (i + 1.5) * 2000 / (rows + 2)), " ".join(["0.00"] * n), font=font, fontsize=1.4)
    tw.write_text(page)
    doc.save(path)


def test_page_of_too_many_words_alone_is_refused(tmp_path: Path) -> None:
    from budgetdoc.read.pdf import MAX_WORDS

    p = tmp_path / "dense.pdf"
    _dense_page(p, MAX_WORDS + 400)
    code, _, err = check_cli(p)
    assert code == 2 and "文字过多" in err


@needs_samples
def test_page_of_too_many_words_is_said_and_the_rest_read(tmp_path: Path) -> None:
    import pymupdf

    from budgetdoc.read.pdf import MAX_WORDS

    dense = tmp_path / "dense.pdf"
    _dense_page(dense, MAX_WORDS + 400)
    doc = pymupdf.open(SAMPLE["social"])
    doc.insert_pdf(pymupdf.open(dense))
    p = tmp_path / "with-dense-page.pdf"
    doc.save(p)
    code, out, _ = check_cli(p)
    assert code in (0, 1) and out["stats"]["tables"] >= 9
    rec = [f for f in out["findings"] if f["rule"] == "REC002"]
    assert len(rec) == 1 and f"第{doc.page_count}页文字过密" in rec[0]["message"]


def _break_fonts(src: Path, out: Path, pages: list[int] | None = None) -> None:
    """A copy whose fonts map every glyph code to private-use characters (a broken ToUnicode CMap): a
    text layer of garbage. ``pages``: only those pages of the result come from the broken copy."""
    import pymupdf

    doc = pymupdf.open(src)
    cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def\n"
    cmap += b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n100 beginbfrange\n"
    cmap += b"".join(b"<%02X00> <%02XFF> <E000>\n" % (i, i) for i in range(100))
    cmap += b"endbfrange\nendcmap CMapName currentdict /CMap defineresource pop end end"
    for xref in range(1, doc.xref_length()):
        kind, value = doc.xref_get_key(xref, "ToUnicode")
        if kind == "xref":
            doc.update_stream(int(value.split()[0]), cmap)
    if pages is None:
        doc.save(out)
        return
    good = pymupdf.open(src)
    broken = pymupdf.open("pdf", doc.tobytes())
    for n in pages:  # replace page n (0-based) by its broken twin
        good.delete_page(n)
        good.insert_pdf(broken, from_page=n, to_page=n, start_at=n)
    good.save(out)


def _latin_fonts(src: Path, out: Path) -> None:
    """A copy whose fonts map every glyph code to a capital Latin letter (a ToUnicode CMap made for
    another encoding): a text layer of plausible-looking ASCII junk, not one Chinese character."""
    import pymupdf

    doc = pymupdf.open(src)
    ranges = [b"<%02X%02X> <%02X%02X> <0041>\n" % (i, lo, i, min(lo + 25, 255)) for i in range(256)
              for lo in range(0, 256, 26)]
    cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def\n"
    cmap += b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
    for k in range(0, len(ranges), 100):
        block = ranges[k:k + 100]
        cmap += b"%d beginbfrange\n" % len(block) + b"".join(block) + b"endbfrange\n"
    cmap += b"endcmap CMapName currentdict /CMap defineresource pop end end"
    for xref in range(1, doc.xref_length()):
        kind, value = doc.xref_get_key(xref, "ToUnicode")
        if kind == "xref":
            doc.update_stream(int(value.split()[0]), cmap)
    doc.save(out)


@needs_samples
def test_a_text_layer_without_one_chinese_character_is_said_and_given_to_ocr(tmp_path: Path) -> None:
    """ASCII junk passes the per-page check of plausible characters (letters are plausible); a whole
    document of it without one 汉字 is not what a disclosure prints: one sentence, exit 2; with an OCR
    engine every such page is read by it."""
    from budgetdoc.read.pdf import read_pdf

    p = tmp_path / "latin.pdf"
    _latin_fonts(SAMPLE["social"], p)
    from budgetdoc.errors import InputError

    asked: list[int] = []
    with pytest.raises(InputError, match="没有一个汉字"):  # the engine read nothing either
        read_pdf(str(p), ocr=lambda pg, n: asked.append(n) or [])
    assert asked == list(range(1, 25))  # every page given to OCR
    code, _out, err = check_cli(p)
    assert code == 2 and "没有一个汉字" in err, err
    assert read_pdf(str(SAMPLE["social"]), ocr=False).pages[0].lines  # the untouched file reads


@needs_samples
def test_garbled_text_layer_is_one_sentence(tmp_path: Path) -> None:
    p = tmp_path / "garbled.pdf"
    _break_fonts(SAMPLE["social"], p)
    code, out, err = check_cli(p)
    assert code == 2 and "乱码" in err, err


@needs_samples
def test_garbled_pages_are_said_and_the_rest_read(tmp_path: Path) -> None:
    from budgetdoc.read.pdf import read_pdf

    p = tmp_path / "some-garbled.pdf"
    _break_fonts(SAMPLE["social"], p, pages=[20, 21])
    src = read_pdf(str(p), ocr=False)
    assert [pg.number for pg in src.pages if pg.skipped] == [21, 22]
    code, out, _ = check_cli(p)
    assert code in (0, 1)
    rec = [f for f in out["findings"] if f["rule"] == "REC002"]
    assert rec and "第21、22页" in rec[0]["message"] and "乱码" in rec[0]["message"]


@needs_samples
def test_a_page_mupdf_cannot_read_is_said_and_the_rest_read(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from budgetdoc.read import pdf

    real = pdf._page

    def failing(pg, number):
        if number == 3:
            raise RuntimeError("code=7: cannot parse object")
        return real(pg, number)

    monkeypatch.setattr(pdf, "_page", failing)
    src = pdf.read_pdf(str(SAMPLE["social"]), ocr=False)
    assert [p.number for p in src.pages if p.skipped] == [3] and src.pages[2].skipped == pdf.DAMAGED
    assert sum(len(p.lines) for p in src.pages) > 300
    code, out, _ = check_cli(SAMPLE["social"])
    assert any(f["rule"] == "REC002" and f["message"].startswith("第3页无法读取") for f in out["findings"])


@needs_samples
def test_a_pdf_with_broken_objects_is_read_from_a_rewritten_copy_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy written once (for files with unparseable objects) reads like the original."""
    from budgetdoc.read import pdf

    before = pdf.read_pdf(str(SAMPLE["planning"]), ocr=False)
    monkeypatch.setattr(pdf, "_broken_objects", lambda doc: True)
    after = pdf.read_pdf(str(SAMPLE["planning"]), ocr=False)
    assert [[ln.text for ln in p.lines] for p in after.pages] == [[ln.text for ln in p.lines] for p in before.pages]


# ---------------------------------------------------------------- the crashes users reported


def _coded_table(first_row: str) -> str:
    """A 一般公共预算财政拨款支出决算表 in converter markdown whose first row after the header is
    ``first_row``."""
    head = [
        "# 示例单位2023年度单位决算",
        "## 一般公共预算财政拨款支出决算表",
        "单位：示例单位\t金额单位：万元",
        "| 科目编码 | 科目名称 | 本年支出合计 | 基本支出 | 项目支出 |",
        "| --- | --- | --- | --- | --- |",
        first_row,
        "| 201 | 一般公共服务支出 | 10.00 | 6.00 | 4.00 |",
        "| 20101 | 人大事务 | 10.00 | 6.00 | 4.00 |",
        "| 合计 | | 10.00 | 6.00 | 4.00 |",
        "",
        "## 第三部分 情况说明",
        "2023年度一般公共预算财政拨款支出10.00万元。",
    ]
    return "\n".join(head) + "\n"


def test_continuation_line_before_the_first_row_is_said_not_a_crash(tmp_path: Path) -> None:
    """IndexError at ``prev = drafts[-1]`` (recognise/tables/functional.py): a line without a code,
    with amounts, right after the header."""
    from budgetdoc.read import read
    from budgetdoc.recognise import recognise

    p = tmp_path / "continued.md"
    p.write_text(_coded_table("|  | （续上表） | 3.00 | 1.00 | 2.00 |"), "utf-8")
    doc = recognise(read(str(p)))
    t5 = next(t for t in doc.tables if t.key == "T5")
    assert [r.code for r in t5.rows if r.code] == ["201", "20101"]
    assert any(d.code == "unparsed-line" and "续上表" in d.message for d in doc.diagnostics)
    check_cli(p)


def test_a_table_reader_that_raises_is_a_diagnostic_of_that_table(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from budgetdoc.read import read
    from budgetdoc.recognise import recognise, tables

    def broken(seg, ctx, scheme="functional", others=None):
        raise ZeroDivisionError("一个读表的错误")

    p = tmp_path / "doc.md"
    p.write_text(_coded_table("| 201 | 一般公共服务支出 | 10.00 | 6.00 | 4.00 |"), "utf-8")
    monkeypatch.setattr(tables, "read_coded", broken)
    doc = recognise(read(str(p)))
    failed = [d for d in doc.diagnostics if d.code == "reader-failed"]
    assert len(failed) == 1 and "ZeroDivisionError" in failed[0].message and failed[0].location.table == "T5"
    assert any(t.key == "T5" for t in doc.tables)


def test_a_rule_that_raises_is_one_finding_and_the_others_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from budgetdoc.check import check, registry
    from conftest import REPO, load_doc

    doc = load_doc(REPO / "examples" / "demo-2023-final.txt")
    before = check(doc)
    victim = registry()["ARI001"]

    def broken(self, doc):
        yield from ()
        raise RuntimeError("规则内部的错误")

    monkeypatch.setattr(victim, "run", broken)
    after = check(doc)
    mine = [f for f in after.findings if f.rule == "ARI001"]
    assert len(mine) == 1 and mine[0].severity == "warning" and "RuntimeError" in mine[0].message
    others = {(f.rule, f.message) for f in before.findings if f.rule != "ARI001"}
    assert others <= {(f.rule, f.message) for f in after.findings}


@pytest.mark.parametrize("value", ["9" * 26 + ".12", "1" * 40, "1" * 60 + ".5"])
def test_huge_amounts_in_narrative_and_quantize(value: str) -> None:
    from decimal import Decimal

    from budgetdoc.check.rules.narrative_analysis import pct, same_at
    from budgetdoc.check.rules.performance_common import r2
    from budgetdoc.check.tolerance import classify, percent_agrees
    from budgetdoc.decimals import quantize, to_decimal

    d = to_decimal(value)
    assert d is not None and d == Decimal(value)
    assert same_at(Decimal("1.00"), d) is False and same_at(d, d) is True
    assert r2(d) == quantize(d, Decimal("0.01"))
    assert pct(d, 2).endswith("%")
    assert classify(d - Decimal(1), 3) == "real"
    assert percent_agrees(d, d, 2)


@pytest.mark.parametrize("text", ["NaN", "nan", "Infinity", "-Infinity", "sNaN", "1e999", "", "abc", "9" * 300])
def test_garbage_numbers_are_no_numbers(text: str) -> None:
    from decimal import Decimal

    from budgetdoc.check.tolerance import classify, percent_agrees
    from budgetdoc.decimals import to_decimal
    from budgetdoc.recognise.performance_text import dec
    from budgetdoc.recognise.tables.tokens import amount

    assert to_decimal(text) is None and dec(text) is None and amount(text) is None
    assert classify(Decimal("NaN"), 2) is None
    assert percent_agrees(Decimal("NaN"), Decimal(1), 2) is False


@given(st.text(alphabet="a.。…⋯", max_size=14))
def test_ellipsis_strip_is_the_pattern_it_replaces(s: str) -> None:
    from budgetdoc.check.rules.classification import _strip_ellipsis

    assert _strip_ellipsis(s) == re.sub(r"(?:…|\.{2,}|。{2,}|⋯)+$", "", s)


def test_leader_dots_before_a_name_take_linear_time() -> None:
    """The pattern backtracked exponentially: 30 dots then a word took 0.25 s, 117 dots forever."""
    from budgetdoc.check.rules.classification import norm_name

    assert norm_name("目录" + "." * 5000 + "专用材料费") == "目录" + "." * 5000 + "专用材料费"
    assert norm_name("专用材料费" + "." * 5000) == "专用材料费"


@needs_seeds
def test_one_bad_file_in_a_folder_hides_no_other(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unreadable file and a file that meets a bug: each is named with its sentence, every other
    file's result is printed, the exit code is the worst."""
    import builtins

    import budgetdoc.pipeline as pipeline

    for name in ("000", "003"):
        (tmp_path / f"{name}.txt").write_bytes(SEED[name].read_bytes())
    (tmp_path / "locked.txt").write_bytes(SEED["001"].read_bytes())
    (tmp_path / "buggy.txt").write_bytes(SEED["004"].read_bytes())
    real_open, real_load = builtins.open, pipeline.load

    def guarded_open(file, *a, **kw):
        if str(file).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *a, **kw)

    def buggy_load(path):
        if str(path).endswith("buggy.txt"):
            raise KeyError("一个识别错误")
        return real_load(path)

    monkeypatch.setattr("budgetdoc.read.open", guarded_open, raising=False)
    try:  # in this process, where the patches are
        import budgetdoc.parallel

        monkeypatch.setattr(budgetdoc.parallel, "default_jobs", lambda: 1)
    except ImportError:  # checked one by one anyway
        pass
    monkeypatch.setattr(pipeline, "load", buggy_load)
    res = CliRunner().invoke(cli, ["check", "--format", "json", str(tmp_path)])
    assert res.exit_code == 2, res.output
    out = json.loads(res.stdout)
    by_name = {Path(o["source"]).name: o for o in out}
    assert set(by_name) == {"000.txt", "003.txt", "locked.txt", "buggy.txt"}
    assert "无法读取文件" in by_name["locked.txt"]["error"]
    assert "KeyError" in by_name["buggy.txt"]["error"]
    assert "findings" in by_name["000.txt"] and "findings" in by_name["003.txt"]
    assert res.stderr.count("budgetdoc: ") == 2 and "Traceback" not in res.stderr


def test_sigterm_leaves_no_temporary_file(tmp_path: Path) -> None:
    """A report killed mid-write (SIGTERM) removes its hidden temporary file."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from conftest import REPO

    script = (
        "import time, budgetdoc.report.batch as b\n"
        "def slow(doc, report, path, fmt):\n"
        "    open(path, 'w').write('half')\n"
        "    print('writing', flush=True)\n"
        "    time.sleep(60)\n"
        "b._write = slow\n"
        "import sys; sys.argv = ['budgetdoc', 'report', sys.argv[1], '-o', sys.argv[2]]\n"
        "from budgetdoc.cli import main; main()\n"
    )
    out = tmp_path / "r.json"
    p = subprocess.Popen([sys.executable, "-c", script, str(REPO / "examples" / "demo-2023-final.txt"), str(out)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == "writing"
        assert [n for n in os.listdir(tmp_path) if n.startswith(".budgetdoc-")]
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
    time.sleep(0)
    assert p.returncode == 128 + signal.SIGTERM
    assert os.listdir(tmp_path) == [], os.listdir(tmp_path)


def test_huge_seed_amount_in_every_place(tmp_path: Path) -> None:
    """Every amount of the bundled example replaced by one 40-digit number: read, checked, no crash."""
    from conftest import REPO

    text = (REPO / "examples" / "demo-2023-final.txt").read_text("utf-8")
    p = tmp_path / "huge.txt"
    p.write_text(AMOUNT.sub("1" * 40 + ".00", text), "utf-8")
    code, out, _ = check_cli(p)
    assert code in (0, 1)


assert SEEDS and SAMPLES  # the paths are defined even when the folders are absent (tests skip then)
