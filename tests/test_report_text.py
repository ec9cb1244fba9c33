"""Reports people act on: errors first, rounding notes folded, repeated findings said once with their
places, a closing count line — in the terminal, the HTML page and (order only) the JSON."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE, load_doc_or_skip

EXAMPLE = REPO / "examples" / "demo-2023-final.txt"
WRONG = "示范市档案服务中心"


def _planning():
    from budgetdoc.check import check

    path = SAMPLE["planning"]
    if not path.exists():
        pytest.skip("the planning sample is not present")
    doc = load_doc_or_skip(path)
    return doc, check(doc)


def _wrong_unit_in_headers(tmp_path: Path, n: int = 4) -> Path:
    """The example with its unit name misprinted in ``n`` table headers (``单位：…``), tables 2 to n+1."""
    lines, k = [], 0
    for line in EXAMPLE.read_text("utf-8").splitlines(keepends=True):
        if line.startswith("单位：示例市档案服务中心"):
            k += 1
            if 2 <= k <= n + 1:
                line = line.replace("示例市档案服务中心", WRONG, 1)
        lines.append(line)
    out = tmp_path / "wrong-unit.txt"
    out.write_text("".join(lines), "utf-8")
    return out


def test_terminal_errors_first_and_rounding_folded_on_the_planning_pdf():
    from budgetdoc.report import check_text
    from budgetdoc.report.groups import is_rounding

    _, rep = _planning()
    s = rep.summary()
    assert s["error"] and s["info"]
    everything = check_text(rep, "info")
    first_error = everything.index("[错误]")
    assert "[提示]" in everything and first_error < everything.index("[提示]")
    assert first_error < everything.index("[警告]")
    # sections in order: 错误, then 警告, then 提示
    heads = re.findall(r"^== (错误|警告|提示)（", everything, re.M)
    assert heads == sorted(heads, key=["错误", "警告", "提示"].index) and heads[0] == "错误"
    # by default the rounding notes are one count line, not listed
    default = check_text(rep)
    rounding = sum(1 for f in rep.findings if is_rounding(f))
    assert rounding > 0
    assert f"另有 {rounding} 条尾差提示（--min-severity info 显示）" in default
    assert "尾差范围内" not in default
    assert default.index("[错误]") < default.index("另有")
    assert "另有" not in everything
    total = f"共 {len(rep.findings)} 项：错误 {s['error']}，警告 {s['warning']}，提示 {s['info']}"
    for out in (default, everything, check_text(rep, "error")):
        assert out.rstrip().splitlines()[-1] == total


def test_json_lists_errors_first_and_keeps_every_finding():
    from budgetdoc.report import check_json

    _, rep = _planning()
    out = check_json(rep)
    order = {"error": 0, "warning": 1, "info": 2}
    sev = [order[f["severity"]] for f in out["findings"]]
    assert sev == sorted(sev) and len(sev) == len(rep.findings)


def test_html_errors_first_rounding_folded_on_the_planning_pdf(tmp_path):
    from budgetdoc.report.groups import is_rounding
    from budgetdoc.report.html import write_html

    doc, rep = _planning()
    out = tmp_path / "planning.html"
    write_html(doc, rep, str(out))
    html = out.read_text("utf-8")
    sev = re.findall(r'<article class="finding (?:grouped )?sev-(\w+)"', html)
    assert sev[0] == "error"
    order = {"error": 0, "warning": 1, "info": 2}
    assert [order[s] for s in sev] == sorted(order[s] for s in sev)
    # the rounding notes: inside one collapsed <details>, after every other finding
    m = re.search(r'<details class="rounding" id="rounding">(.*?)</details>\s*</section>', html, re.S)
    assert m, "no folded rounding section"
    folded = m.group(1)
    n_round = sum(1 for f in rep.findings if is_rounding(f))
    assert f"尾差提示 {n_round} 项" in folded
    assert sum(int(n) for n in re.findall(r'data-count="(\d+)"', folded)) == n_round
    before = html[:m.start()]
    assert "尾差范围内" not in before.split('<section id="findings">')[1]
    # the page still counts every finding
    assert sum(int(n) for n in re.findall(r'data-count="(\d+)"', html)) == len(rep.findings)


def test_a_misprinted_unit_name_in_several_headers_is_one_entry(tmp_path):
    from budgetdoc.pipeline import run
    from budgetdoc.report import check_text
    from budgetdoc.report.html import write_html

    doc, rep = run(str(_wrong_unit_in_headers(tmp_path)))
    idn = [f for f in rep.findings if f.rule == "IDN001"]
    assert len(idn) == 4, [f.message for f in rep.findings]
    text = check_text(rep)
    assert text.count("IDN001") == 1, text
    assert "IDN001 单位、年度与占位符：同一问题共 4 处" in text
    entry = text[text.index("IDN001"):]
    assert f"表头的单位名称“{WRONG}”与文件的单位“示例市档案服务中心”不一致" in entry.splitlines()[1]
    places = entry.splitlines()[2:6]
    assert all(ln.startswith("    · ") for ln in places), places
    for key, title in (("T2", "收入决算表"), ("T3", "支出决算表")):
        assert any(f"表{key}" in ln and title in ln for ln in places), places
    # the HTML: one card for the four, listing the four places, each linked to its finding
    out = tmp_path / "wrong-unit.html"
    write_html(doc, rep, str(out))
    html = out.read_text("utf-8")
    cards = re.findall(r'<article class="finding grouped sev-error"[^>]*data-count="(\d+)">(.*?)</article>',
                       html, re.S)
    idn_cards = [(n, body) for n, body in cards if "IDN001" in body]
    assert len(idn_cards) == 1 and idn_cards[0][0] == "4"
    body = idn_cards[0][1]
    assert "同一问题共 4 处" in body and body.count("<li>") == 4
    assert len(re.findall(r'<li><a href="#f-\d+">', body)) == 4
    assert '<details class="members">' in body  # each place's own detail, folded


def test_different_amounts_are_never_grouped():
    """Two arithmetic findings with the same wording but different amounts stay two entries."""
    from budgetdoc.check import Finding
    from budgetdoc.report.groups import group

    a = Finding(rule="ARI001", severity="error", message="表5《X》行「201 一般」小计：3.00 ≠ 1.00＋1.00 = 2.00")
    b = Finding(rule="ARI001", severity="error", message="表5《X》行「202 外交」小计：4.00 ≠ 1.00＋1.00 = 2.00")
    c = Finding(rule="IDN003", severity="error", message="文件中残留模板内容（占位符）：“XX”，见“上海市XX 局”")
    d = Finding(rule="IDN003", severity="error", message="文件中残留模板内容（占位符）：“XXX”，见“合计XXX 万元”")
    groups = group([a, b, c, d])
    assert [g.size for g in groups] == [1, 1, 2]
    g = groups[2]
    assert g.pattern() == "文件中残留模板内容（占位符）：…"
    assert g.details() == ["“XX”，见“上海市XX 局”", "“XXX”，见“合计XXX 万元”"]
