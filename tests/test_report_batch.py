"""``budgetdoc report`` and the several-file ``check``: formats by extension, folders, the index page,
unusable files in the index without stopping the batch."""

from __future__ import annotations

import hashlib
import json
import re
import shutil

import pytest
from click.testing import CliRunner

from conftest import SAMPLE, SEEDS, needs_samples, needs_seeds
from test_report_model import EXAMPLE


def invoke(cmd, *args):
    return CliRunner().invoke(cmd, [str(a) for a in args], catch_exceptions=False)


def report_cmd():
    from budgetdoc.cli_report import report

    return report


def one_sentence(result) -> str:
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("budgetdoc: ") and "Traceback" not in result.stderr
    return lines[0]


def test_collect_walks_folders(tmp_path):
    from budgetdoc.report.batch import collect

    (tmp_path / "a" / "sub").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for p in ("a/x.txt", "a/sub/y.PDF", "a/sub/z.md", "a/w.xlsx", "a/skip.csv", ".hidden/h.txt", "a/.h.txt"):
        (tmp_path / p).write_text("x")
    got = [p[len(str(tmp_path)) + 1:] for p in collect([str(tmp_path), str(tmp_path / "a" / "x.txt")])]
    assert got == ["a/w.xlsx", "a/x.txt", "a/sub/y.PDF", "a/sub/z.md"]


@pytest.mark.parametrize("ext,kind", [("html", "html"), ("htm", "html"), ("xlsx", "xlsx"), ("json", "json")])
def test_single_file_format_by_extension(tmp_path, ext, kind):
    out = tmp_path / f"r.{ext}"
    r = invoke(report_cmd(), EXAMPLE, "-o", out)
    assert r.exit_code == 0, r.stderr
    data = out.read_bytes()
    if kind == "html":
        assert data.startswith(b"<!DOCTYPE html>")
    elif kind == "xlsx":
        assert data.startswith(b"PK\x03\x04")
    else:
        from budgetdoc.check import check
        from budgetdoc.report import check_json
        from conftest import load_doc

        assert json.loads(data) == json.loads(json.dumps(check_json(check(load_doc(EXAMPLE))), ensure_ascii=False))


def test_format_option_and_charts(tmp_path):
    out = tmp_path / "report.out"
    charts = tmp_path / "charts"
    r = invoke(report_cmd(), EXAMPLE, "-o", tmp_path / "r.html", "--format", "html", "--charts", charts)
    assert r.exit_code == 0, r.stderr
    svgs = sorted(p.name for p in charts.glob("*.svg"))
    assert "fig1-totals.svg" in svgs and "fig5-functional.svg" in svgs
    html = (tmp_path / "r.html").read_text("utf-8")
    assert html.count('<figure class="chart"') == len(svgs)
    del out


@pytest.mark.parametrize("args,needle", [
    (["-o", "{tmp}/r.pdf"], "PDF"),  # annotated PDF of a text file
    (["-o", "{tmp}/r.txt"], "格式"),  # unknown extension
])
def test_single_file_refusals(tmp_path, args, needle):
    r = invoke(report_cmd(), EXAMPLE, *[a.format(tmp=tmp_path) for a in args])
    assert r.exit_code == 2
    assert needle in one_sentence(r)


def test_unusable_single_file(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    r = invoke(report_cmd(), bad, "-o", tmp_path / "r.html")
    assert r.exit_code == 2 and "为空" in one_sentence(r)
    assert not (tmp_path / "r.html").exists()


@needs_samples
def test_single_pdf_annotated(tmp_path):
    src = SAMPLE["social"]
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    out = tmp_path / "annotated.pdf"
    r = invoke(report_cmd(), src, "-o", out)
    assert r.exit_code == 0, r.stderr
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before
    import pymupdf

    with pymupdf.open(out) as d, pymupdf.open(src) as o:
        legend = sum(1 for p in d if "检查结果图例" in p.get_text() or p.get_text().startswith("编号"))
        assert legend >= 1 and "检查结果图例" in d[0].get_text()
        assert d.page_count == o.page_count + legend  # the legend pages, then every page of the original


def test_folder_report_with_index(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    shutil.copy(EXAMPLE, src / "demo.txt")
    shutil.copy(EXAMPLE, src / "sub" / "demo.txt")  # same name: both reported, told apart
    (src / "empty.txt").write_bytes(b"")
    (src / "notes.md").write_text("会议纪要\n今天讨论了午餐。\n", "utf-8")
    (src / "table.csv").write_text("not collected", "utf-8")
    out = tmp_path / "out"
    r = invoke(report_cmd(), src, "-o", out)
    assert r.exit_code == 0, r.stderr
    assert "已写出 2 份报告，2 份文件无法使用" in r.stderr
    index = (out / "index.html").read_text("utf-8")
    assert re.search(r'id="ok-count">2<', index) and re.search(r'id="failed-count">2<', index)
    assert 'href="demo.html"' in index and 'href="demo-2.html"' in index
    assert (out / "demo.html").exists() and (out / "demo-2.html").exists()
    assert index.count('class="failed"') == 2
    assert "文件为空" in index and "不是一份预算或决算公开文件" in index
    assert "table.csv" not in index


def test_batch_xlsx_and_pdf_formats(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(EXAMPLE, src / "demo.txt")
    r = invoke(report_cmd(), src, "-o", tmp_path / "x", "--format", "xlsx")
    assert r.exit_code == 0 and (tmp_path / "x" / "demo.xlsx").exists()
    r = invoke(report_cmd(), src, "-o", tmp_path / "p", "--format", "pdf")
    assert r.exit_code == 2  # no PDF among the inputs: nothing written but the index
    assert "只有 PDF 文件才能输出带批注的 PDF" in (tmp_path / "p" / "index.html").read_text("utf-8")


@needs_seeds
def test_seed_folder_in_one_command(tmp_path):
    from budgetdoc.report.batch import collect

    out = tmp_path / "seeds"
    r = invoke(report_cmd(), SEEDS, "-o", out, "--charts", out / "charts")
    files = collect([str(SEEDS)])
    assert r.exit_code in (0, 2), r.stderr
    index = (out / "index.html").read_text("utf-8")
    rows = re.findall(r'<tr class="(ok|failed)">', index)
    assert len(rows) == len(files) == 6  # five seeds and the README
    for f in files:
        assert f in index
    ok = rows.count("ok")
    assert len(list(out.glob("*.html"))) == ok + 1
    assert "README.md" in index


def test_check_several_files(tmp_path):
    from budgetdoc.cli_report import check_many

    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    r = invoke(check_many, EXAMPLE, EXAMPLE.parent, bad)
    assert r.exit_code == 2  # the worst of: findings (1), unusable (2)
    assert r.stdout.count("文件：") == 1  # the example once (the folder holds the same file)
    assert one_sentence(r).endswith(str(bad))
    r = invoke(check_many, EXAMPLE, bad, "--format", "json")
    data = json.loads(r.stdout)
    assert [d.get("error") is None for d in data] == [True, False]
    r = invoke(check_many, EXAMPLE)
    assert r.exit_code == 1 and r.stdout.startswith("文件：")
