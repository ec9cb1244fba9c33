"""The web app in a browser: Playwright driving Debian's Chromium (``/usr/bin/chromium``, nothing is
downloaded) against ``budgetdoc serve`` started here on a free loopback port, with a worker process.

The admin signs in and creates two unit users and a reviewer; the first unit uploads two documents (one
under a name that is a spreadsheet formula) and sees only its own; the second unit uploads the first's
document with one amount changed, under a name that is an HTML tag: it is held for a reviewer, named as
text, and the first unit's pages do not move; the reviewer sees every unit and the held upload,
dismisses a finding with a reason (the document page and the overview count the same), reruns the check
and the finding stays dismissed; the register downloads and re-reads with openpyxl without a formula;
the unit's 整改通知 downloads as PDF and DOCX. A screenshot of each page is saved
(``$BUDGETDOC_TEST_OUT/serve`` or the test's tmp folder)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from conftest import SEED, SHARED

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'budgetdoc[web,corpus]')")
pytest.importorskip("sqlalchemy", reason="the corpus extra is not installed")
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="playwright is not installed (pip install 'budgetdoc[webtest]')")

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium")
                 if p and Path(p).exists()), None)
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium fonts-noto-cjk)"),
    pytest.mark.skipif(not SEED["000"].exists() or not SEED["002"].exists(), reason="shared/seeds not present"),
]
OTHER = SHARED / "real" / "shanghai-putuo-2024-unit-budget-welfarehome.pdf"
PASSWORD = {"admin": "bureau-pass-123456", "wh": "unit-pass-1234567", "pt": "unit-pass-7654321",
            "rev": "reviewer-pass-12345"}
XSS = "<img src=x onerror=alert(document.domain)>.txt"
FORMULA = "=SUM(1+2)*3 预算.txt"
REGISTER = ("代码,名称,上级代码,别名\n"
            "WH,武汉市人力资源和社会保障局,,\n"
            "WH01,武汉市人力资源和社会保障信息中心,WH,\n"
            "PT,上海市普陀区民政局,,\n"
            "PT01,上海市普陀区社会福利院,PT,\n")


def _free_socket() -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    return s


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``budgetdoc serve`` on a free loopback port: a store with a register, another unit's document
    already in it, and the first admin made by ``budgetdoc user add`` (password on standard input)."""
    import uvicorn
    from click.testing import CliRunner

    from budgetdoc.cli import cli
    from budgetdoc.serve.app import create_app, wrap
    from budgetdoc.serve.config import Settings
    from budgetdoc.store import Store

    tmp = tmp_path_factory.mktemp("serve")
    db = str(tmp / "bureau.db")
    (tmp / "register.csv").write_text(REGISTER, "utf-8")
    with Store(db) as store:
        store.import_orgs(str(tmp / "register.csv"))
        if OTHER.exists():
            store.ingest([str(OTHER)])
    res = CliRunner().invoke(cli, ["user", "add", "admin", "--role", "admin", "--password-stdin", "--db", db],
                             input=PASSWORD["admin"] + "\n")
    assert res.exit_code == 0, res.output
    settings = Settings(db=f"sqlite:///{db}", files=str(tmp / "files"), workers=1)
    app = create_app(settings)
    sock = _free_socket()
    port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(wrap(app, settings), log_level="warning", lifespan="on"))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not srv.started and thread.is_alive():
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", tmp
    srv.should_exit = True
    thread.join(30)
    sock.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    base = os.environ.get("BUDGETDOC_TEST_OUT")
    out = Path(base) / "serve" if base else tmp_path_factory.mktemp("serve-shots")
    out.mkdir(parents=True, exist_ok=True)
    return out


def shot(page, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    assert (shots / f"{name}.png").stat().st_size > 5000


OUTSIDE: list[str] = []  # every request the pages made to anything but the server


def context(browser, base: str):
    ctx = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 900}, locale="zh-CN")
    ctx.set_default_timeout(120_000)  # a busy CI machine: generous waits (never a timed assertion)
    ctx.on("request", lambda r: None if r.url.startswith((base + "/", "data:", "blob:", "about:"))
           else OUTSIDE.append(r.url))
    return ctx


def sign_in(browser, base: str, name: str):
    ctx = context(browser, base)
    page = ctx.new_page()
    page.goto(base + "/")
    assert page.url.endswith("/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD[name])
    page.click("button:has-text('登录')")
    page.wait_for_url(lambda url: "/login" not in url)
    return ctx, page


def test_the_bureau_and_its_units_in_a_browser(server, browser, shots, tmp_path):
    base, _ = server
    errors: list[str] = []

    # the admin signs in and creates the unit user and a reviewer
    ctx = context(browser, base)
    page = ctx.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "/login")
    shot(page, shots, "01-login")
    page.fill("input[name=name]", "admin")
    page.fill("input[name=password]", "wrong-password-1")
    page.click("button:has-text('登录')")
    page.wait_for_selector("p.error")
    assert "用户名或密码不正确" in page.inner_text("p.error")
    ctx.close()
    ctx, page = sign_in(browser, base, "admin")
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "/admin/users")
    page.fill("#new-user input[name=name]", "nobody")  # a unit the register does not have is refused
    page.select_option("#new-user select[name=role]", "unit")
    page.fill("#new-user input[name=unit]", "NOSUCH")
    page.fill("#new-user input[name=password]", "unit-pass-0000000")
    page.click("#new-user button[type=submit]")
    page.wait_for_selector("p.error")
    assert "NOSUCH" in page.inner_text("p.error")
    for name, role, unit in (("wh", "unit", "WH01"), ("pt", "unit", "PT01"), ("rev", "reviewer", "")):
        page.fill("#new-user input[name=name]", name)
        page.select_option("#new-user select[name=role]", role)
        page.fill("#new-user input[name=unit]", unit)
        page.fill("#new-user input[name=password]", PASSWORD[name])
        page.click("#new-user button[type=submit]")
        page.wait_for_selector("p.ok")
        assert "已创建用户" in page.inner_text("p.ok")
    assert page.locator("#users tbody tr").count() == 4
    shot(page, shots, "02-users")
    ctx.close()

    # the unit user uploads two documents, follows the queue, and sees only its own
    ctx, page = sign_in(browser, base, "wh")
    page.on("pageerror", lambda e: errors.append(str(e)))
    assert page.url.endswith("/upload")
    shot(page, shots, "03-upload")
    page.set_input_files("input[name=files]", files=[{"name": "预算.pdf", "mimeType": "application/pdf",
                                                      "buffer": b"MZ\x90\x00" + b"\x00" * 300}])
    page.click("form.upload button[type=submit]")
    page.wait_for_selector("#upload-error:not(:empty)")  # (no wait_for_function: the pages' CSP forbids eval)
    assert "按内容判断" in page.inner_text("#upload-error") and page.url.endswith("/upload")
    page.set_input_files("input[name=files]", files=[
        {"name": SEED["000"].name, "mimeType": "text/plain", "buffer": SEED["000"].read_bytes()},
        {"name": FORMULA, "mimeType": "text/plain", "buffer": SEED["002"].read_bytes()}])
    page.click("form.upload button[type=submit]")
    page.wait_for_selector("#batch.finished", timeout=300_000)
    assert page.locator("#jobs tr.state-done").count() == 2, page.content()[:3000]
    shot(page, shots, "04-batch")
    page.goto(base + "/documents")
    rows = page.locator("#docs tbody tr")
    assert rows.count() == 2
    text = page.inner_text("#docs")
    assert "武汉市人力资源和社会保障信息中心" in text and "福利院" not in text
    shot(page, shots, "05-unit-documents")
    page.click("#docs a:has-text('武汉市人力资源和社会保障信息中心') >> nth=0")
    page.wait_for_selector("#findings")
    assert page.locator("tr.finding").count() > 0
    assert page.locator("form.review-form").count() == 0  # a unit user does not review
    shot(page, shots, "06-unit-document")
    page.goto(base + "/units/WH01")
    years = page.inner_text("table")
    assert "2023" in years and "2026" in years
    shot(page, shots, "07-unit-years")
    assert page.goto(base + "/units/PT01").status == 404
    assert page.goto(base + "/orgs").status == 403
    ctx.close()

    # the second unit plants the first unit's 2023 document with one amount changed, under an HTML name
    text = SEED["000"].read_text("utf-8")
    forged = text.replace("1,466.86", "1,966.86", 1)
    assert forged != text
    ctx, page = sign_in(browser, base, "pt")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_input_files("input[name=files]", files=[{"name": XSS, "mimeType": "text/plain",
                                                      "buffer": forged.encode("utf-8")}])
    page.click("form.upload button[type=submit]")
    page.wait_for_selector("#batch.finished", timeout=300_000)
    jobs = page.inner_text("#jobs")
    assert XSS in jobs and "不是本单位" in jobs and "已转审核人核实" in jobs  # the name as text; held
    shot(page, shots, "07b-planted-held")
    page.goto(base + "/documents")
    assert "待核实" in page.inner_text("#docs") and "上海市普陀区社会福利院" in page.inner_text("#docs")
    page.click("#docs a:has-text('武汉市人力资源和社会保障信息中心')")
    page.wait_for_selector("#held")
    assert XSS in page.inner_text("p.meta") and page.locator("img[src=x]").count() == 0
    assert page.locator("form.review-form").count() == 0  # a unit does not file its own planted upload
    shot(page, shots, "07c-planted-document")
    assert not dialogs
    ctx.close()

    # the reviewer sees both units, dismisses a finding with a reason, reruns, and it stays dismissed
    ctx, page = sign_in(browser, base, "rev")
    page.on("pageerror", lambda e: errors.append(str(e)))
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    assert page.url.endswith("/orgs")
    tree = page.inner_text("#tree")
    assert "武汉市人力资源和社会保障信息中心" in tree and "上海市普陀区社会福利院" in tree
    held = page.inner_text("#held")  # the planted upload waits for the reviewer, filed nowhere
    assert "武汉市人力资源和社会保障信息中心" in held and "PT01" in held
    shot(page, shots, "08-orgs")
    page.click("#held a")
    page.wait_for_selector("#held form")
    held_url = page.url
    with ctx.expect_page() as popup:
        page.click("a:has-text('查看完整检查报告')")
    report = popup.value
    report.wait_for_load_state()
    assert XSS in report.inner_text("body") and report.locator("img[src=x]").count() == 0 and not dialogs
    shot(report, shots, "08b-held-report")
    report.close()
    page.goto(held_url)
    shot(page, shots, "08c-held-document")
    page.goto(base + "/orgs")
    page.click("#tree th:has-text('错误')")  # sortable: twice, most errors first
    page.click("#tree th:has-text('错误')")
    assert page.locator("#tree tbody tr").first.locator("td.bad").count() == 1
    page.goto(base + "/documents")
    text = page.inner_text("#docs")
    assert "武汉市人力资源和社会保障信息中心" in text and (not OTHER.exists() or "福利院" in text)
    page.goto(base + "/findings?severity=error&unit=WH01")
    assert page.locator("#results tbody tr").count() > 0
    shot(page, shots, "09-findings")
    page.goto(base + "/documents")
    page.click("#docs tr:has-text('2023'):has-text('现行') a:has-text('武汉市人力资源和社会保障信息中心')")
    page.wait_for_selector("#findings")
    doc_url = page.url
    first = page.locator("tr.finding.sev-error").first
    fid = first.get_attribute("id")
    assert fid and fid.startswith("f-")
    fingerprint = fid[2:]
    first.locator("input[name=reason]").fill("与财政局核对：本单位采用旧科目编码，已备案")
    first.locator("button[value=dismissed]").click()
    page.wait_for_selector(f"#{fid} .decision-dismissed")
    row = page.locator(f"#{fid}")
    assert "已排除" in row.inner_text() and "已备案" in row.inner_text()
    shot(page, shots, "10-document-reviewed")
    open_errors = int(page.inner_text("#open-errors"))
    page.goto(base + "/orgs?year=2023&q=WH01")  # the overview counts what the document page counts
    cells = page.locator("#tree tbody tr:has-text('决算') td.num")
    assert int(cells.nth(1).inner_text()) == open_errors
    page.goto(doc_url)
    page.click("#rerun")
    page.wait_for_selector("#batch.finished", timeout=300_000)
    assert "已排除 1" in page.inner_text("#jobs") or "已排除" in page.inner_text("#jobs")
    shot(page, shots, "11-rerun")
    page.goto(doc_url)
    row = page.locator(f"#{fid}")
    assert "已排除" in row.inner_text() and "已备案" in row.inner_text()
    assert int(page.inner_text("#n-dismissed")) >= 1
    assert page.locator("text=检查记录").count() == 1  # the run history shows both runs
    shot(page, shots, "12-document-after-rerun")
    with ctx.expect_page() as popup:
        page.click("a:has-text('查看完整检查报告')")
    report = popup.value
    report.wait_for_load_state()
    assert "检查报告" in report.title() or report.locator("h1").count() > 0
    shot(report, shots, "13-report")
    report.close()

    # the register, re-read with openpyxl; the 整改通知 as PDF and DOCX
    import openpyxl

    with page.expect_download() as dl:
        page.click("header a:has-text('问题清单 XLSX')")
    path = tmp_path / "register.xlsx"
    dl.value.save_as(str(path))
    ws = openpyxl.load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    head = list(rows[0])
    fp_col, state_col, reason_col = head.index("指纹"), head.index("审核状态"), head.index("审核理由")
    mine = [r for r in rows[1:] if r[fp_col] == fingerprint]
    assert len(mine) == 1 and mine[0][state_col] == "已排除" and "已备案" in mine[0][reason_col]
    assert any(r[head.index("单位代码")] == "PT01" for r in rows[1:]) or not OTHER.exists()
    assert mine[0][head.index("文件")] == SEED["000"].name  # the name given, not the server's path
    wb = openpyxl.load_workbook(path)
    cells = [c for row in wb.active.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula, whatever a name says
    assert FORMULA in [c.value for c in cells]
    assert XSS not in [c.value for c in cells] and "1,966.86" not in str([c.value for c in cells])
    shot(page, shots, "12b-before-notice")

    page.goto(base + "/units/WH01")
    shot(page, shots, "12c-unit-notices")
    with page.expect_download() as dl:
        page.click("#unit-docs tr:has-text('2023') a:has-text('PDF')")
    pdf_path = tmp_path / "notice.pdf"
    dl.value.save_as(str(pdf_path))
    import pymupdf

    with pymupdf.open(pdf_path) as pdf:
        text = "".join(p.get_text() for p in pdf)
    assert "整改通知" in text and "武汉市人力资源和社会保障信息中心" in text
    with page.expect_download() as dl:
        page.click("#unit-docs tr:has-text('2023') a:has-text('Word')")
    docx_path = tmp_path / "notice.docx"
    dl.value.save_as(str(docx_path))
    import docx

    body = "\n".join(p.text for p in docx.Document(str(docx_path)).paragraphs)
    assert "整改通知" in body
    assert text.count("应为") >= 1 and body.count("位置：") == text.count("位置：")
    ctx.close()

    # the admin's audit log has the logins, the uploads and the review
    ctx, page = sign_in(browser, base, "admin")
    page.goto(base + "/admin/audit")
    log = page.inner_text("#audit")
    for action in ("登录", "上传", "审核", "重新检查", "新建用户", "下载"):
        assert action in log
    assert XSS in log and "问题清单" in log and "整改通知" in log  # names and downloads
    assert "登录失败" in page.inner_text("p.meta")  # failed logins counted apart, not in the way
    shot(page, shots, "14-audit")
    ctx.close()
    assert not errors, errors
    assert not OUTSIDE, OUTSIDE  # nothing fetched from the network: scripts and styles come from the server
