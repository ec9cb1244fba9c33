"""The HTML report: self-contained, located findings, highlighted cells, PDF crops, filters; and that it
opens in headless Chromium without network (screenshots under the pytest tmp folder)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import SEED
from test_report_model import EXAMPLE, example_doc, example_pdf, example_report

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"),
                             shutil.which("google-chrome"), "/usr/bin/chromium") if p and Path(p).exists()), None)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (apt-get install -y chromium fonts-noto-cjk)")

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import""", re.I)


def chromium(tmp_path: Path, html: Path, *, screenshot: str | None = None, query: str = "") -> str:
    """Open ``html`` in headless Chromium with no network; the DOM after scripts ran (and a screenshot)."""
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
            f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1400,3000"]
    url = html.resolve().as_uri() + query
    if screenshot:
        out = tmp_path / screenshot
        p = subprocess.run([*args, f"--screenshot={out}", url], capture_output=True, text=True, timeout=120)
        assert out.exists() and out.stat().st_size > 10_000, p.stderr[-2000:]
    p = subprocess.run([*args, "--dump-dom", url], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    return p.stdout


def render(tmp_path: Path, doc, report, name: str = "report.html") -> Path:
    from budgetdoc.report.html import write_html

    out = tmp_path / name
    write_html(doc, report, str(out))
    return out


def test_html_is_self_contained_and_complete(tmp_path):
    doc = example_doc()
    rep = example_report(doc)
    html = render(tmp_path, doc, rep).read_text("utf-8")
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    assert '<html lang="zh-CN">' in html and "<style>" in html and "<script>" in html
    assert "示例市档案服务中心 2023年度 单位决算" in html
    assert f'id="findings-count">{len(rep.findings)}<' in html
    s = rep.summary()
    for sev in ("error", "warning", "info"):
        assert f'data-severity-count="{sev}">{s[sev]}<' in html
    from budgetdoc.report.groups import group

    # one card per entry (a repeated finding is one card listing its places); every finding counted once
    assert html.count('<article class="finding ') == len(group(rep.findings))
    assert sum(int(n) for n in re.findall(r'data-count="(\d+)"', html)) == len(rep.findings)
    for f in rep.findings:
        assert f.rule in html
    for t in doc.tables:
        assert f'id="t-{t.key}"' in html
    assert html.count('<figure class="chart"') == 5
    # the cell ARI001 names (表3, row 201, 本年支出合计) is highlighted in the full table, with an id
    assert re.search(r'<td class="num hit sev-error" id="c-T3-1-total"', html)
    # the narrative finding shows its sentence with the wrong number highlighted
    assert '<mark class="num-bad">50.00</mark>' in html


def test_locate_cells_of_both_halves():
    from budgetdoc.model import Location
    from budgetdoc.report.html import locate

    doc = example_doc()
    t1 = doc.table("T1")
    spend_total = t1.find("总计", "支出")
    ref = locate(doc, spend_total.location.at(table="T1", row="总计", part="支出", column="amount"))
    assert ref is not None and ref.column == "amount"
    assert t1.rows[ref.row] is spend_total
    income = locate(doc, Location(table="T1", row="总计", part="收入", column="amount"))
    assert income is not None and t1.rows[income.row].part == "收入" and income.row != ref.row
    assert locate(doc, Location(table="T3", row="208", column="project")).row == 5
    # looked up by keys, not by matching labels or names
    assert locate(doc, Location(table="T3", row="208", column="项目支出")).column is None
    assert locate(doc, Location(table="T3", row="社会保障和就业支出", column="project")).row == -1
    assert locate(doc, Location(table="T9")) is None  # not extracted
    assert locate(doc, Location(page=1, line=3)) is None


def test_html_of_pdf_has_page_crops_with_boxes(tmp_path):
    doc = example_doc(example_pdf(tmp_path))
    rep = example_report(doc)
    html = render(tmp_path, doc, rep).read_text("utf-8")
    boxed = [f for f in rep.findings if f.location.page and f.location.bbox]
    assert len(boxed) >= 5
    assert html.count('<svg class="crop"') == len(boxed)
    assert html.count("data:image/png;base64,") == len(boxed)
    assert html.count('class="hitbox') == len(boxed)
    assert not EXTERNAL.search(html)


@needs_chromium
def test_html_opens_in_chromium_offline(tmp_path):
    from budgetdoc.report.groups import group

    doc = example_doc()
    rep = example_report(doc)
    out = render(tmp_path, doc, rep)
    dom = chromium(tmp_path, out, screenshot="example.png")
    assert 'data-ready="1"' in dom  # the inline script ran
    assert re.search(rf'id="findings-count">{len(rep.findings)}<', dom)
    assert re.search(rf'id="shown-count">{len(rep.findings)}<', dom)
    assert 'class="num hit sev-error"' in dom
    # the filters: only warnings → no error finding shown
    dom = chromium(tmp_path, out, query="?severity=warning")
    assert re.search(r'id="shown-count">0<', dom)
    assert len(re.findall(r'class="finding (?:grouped )?sev-error"', dom)) == \
        len([g for g in group(rep.findings) if g.severity == "error"])
    assert dom.count("hidden=") >= len([g for g in group(rep.findings) if g.severity == "error"])
    dom = chromium(tmp_path, out, query="?category=arithmetic")
    n = sum(1 for f in rep.findings if f.category == "arithmetic")
    assert re.search(rf'id="shown-count">{n}<', dom)


@needs_chromium
def test_html_of_pdf_opens_in_chromium(tmp_path):
    doc = example_doc(example_pdf(tmp_path))
    rep = example_report(doc)
    out = render(tmp_path, doc, rep)
    dom = chromium(tmp_path, out, screenshot="example-pdf.png")
    assert 'data-ready="1"' in dom and '<svg class="crop"' in dom


DOCUMENTS = {"example": EXAMPLE, **{f"seed-{k}": v for k, v in SEED.items()}}


@needs_chromium
@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_html_of_real_documents_in_chromium(tmp_path, name):
    from budgetdoc.check import check
    from budgetdoc.report.html import locate
    from conftest import load_doc_or_skip

    path = DOCUMENTS[name]
    doc = load_doc_or_skip(path)
    rep = check(doc)
    out = render(tmp_path, doc, rep, f"{name}.html")
    assert not EXTERNAL.search(out.read_text("utf-8"))
    dom = chromium(tmp_path, out, screenshot=f"{name}.png")
    assert 'data-ready="1"' in dom
    assert re.search(rf'id="findings-count">{len(rep.findings)}<', dom)
    located = [f for f in rep.findings if (r := locate(doc, f.location)) is not None and r.row >= 0]
    if located:
        assert "hit sev-" in dom  # a highlighted cell (or row)


PROBE = """<script>
window.addEventListener("load", function () { setTimeout(function () {
  var id = decodeURIComponent(location.hash.slice(1)), el = id ? document.getElementById(id) : null;
  var h = document.querySelector("header");
  document.body.setAttribute("data-probe", JSON.stringify({
    top: el ? el.getBoundingClientRect().top : null, header: h.getBoundingClientRect().bottom,
    height: document.documentElement.scrollHeight, view: window.innerHeight}));
}, 300); });
</script></body>"""


def probe(tmp_path: Path, html: Path, anchor: str = "") -> dict:
    """Layout facts from Chromium after the page scrolled to ``#anchor``: the target's top, the sticky
    header's bottom, the page height (a copy of the page with a measuring script)."""
    import json

    copy = tmp_path / f"probe-{html.name}"
    copy.write_text(html.read_text("utf-8").replace("</body>", PROBE), "utf-8")
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
            f"--user-data-dir={tmp_path / 'chromium-probe'}", "--window-size=1400,1000",
            "--virtual-time-budget=3000", "--dump-dom", copy.resolve().as_uri() + (f"#{anchor}" if anchor else "")]
    p = subprocess.run(args, capture_output=True, text=True, timeout=120)
    m = re.search(r'data-probe="([^"]*)"', p.stdout)
    assert m, p.stderr[-2000:]
    return json.loads(m.group(1).replace("&quot;", '"'))


def keep(path: Path) -> None:
    """Also keep a screenshot in tests/output/report (when writable) for a person to look at."""
    out = Path(__file__).parent / "output" / "report"
    try:
        out.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, out / path.name)
    except OSError:
        pass


@needs_chromium
@pytest.mark.parametrize("name", ["planning", "template"])
def test_samples_in_chromium_errors_first_short_page_links_below_header(tmp_path, name):
    """The two Shanghai samples: screenshots (tmp folder and tests/output/report); errors at the top; the
    template's 115 findings on a page far shorter than one card each; a location link lands below the
    sticky header, not under it."""
    from budgetdoc.check import check
    from conftest import SAMPLE, load_doc_or_skip

    path = SAMPLE[name]
    if not path.exists():
        pytest.skip(f"{path} not present")
    doc = load_doc_or_skip(path)
    rep = check(doc)
    out = render(tmp_path, doc, rep, f"{name}.html")
    dom = chromium(tmp_path, out, screenshot=f"{name}.png")
    keep(tmp_path / f"{name}.png")
    assert 'data-ready="1"' in dom
    first = re.search(r'<article class="finding (?:grouped )?sev-(\w+)"', dom)
    assert first and first.group(1) == "error"
    facts = probe(tmp_path, out)
    cards = len(re.findall(r'<article class="finding ', dom))
    assert cards < len(rep.findings) or len(rep.findings) < 20
    if name == "template":
        assert facts["height"] < 30_000, facts  # 115 cards took 53,000 px
    # every kind of location link: a table cell, a finding (inside a folded group), the rounding section
    targets = re.findall(r'<a href="#(c-[^"]+|f-\d+)"', dom)
    assert targets
    for anchor in dict.fromkeys([targets[0], targets[-1]]):
        f = probe(tmp_path, out, anchor)
        assert f["top"] is not None, anchor
        assert f["header"] <= f["top"] < f["view"], (anchor, f)
