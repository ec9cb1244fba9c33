"""Attacks on the web app (budgetdoc serve), each reproduced against the ASGI app: a stored XSS through an
upload's name, a unit planting or reading another unit's document, formula injection through the
register, the store's secrets, login spraying, quotas, huge ids, chunked bodies, weak passwords, users
that must be stopped, and an audit log an attacker cannot flood."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import stat

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'budgetdoc[web,corpus]')")
pytest.importorskip("httpx", reason="httpx is not installed (pip install 'budgetdoc[webtest]')")

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import select, update  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from budgetdoc.serve import accounts  # noqa: E402
from budgetdoc.serve.app import create_app, wrap  # noqa: E402
from budgetdoc.serve.config import MB, Limits, Settings  # noqa: E402
from budgetdoc.store.schema import Document, WebAudit, WebSession  # noqa: E402
from test_serve_security import EXAMPLE, PASSWORD, _csrf, login, process, signed_in, upload  # noqa: E402

XSS = "<img src=x onerror=alert(document.domain)>.txt"
REGISTER = "代码,名称,上级代码,别名\nA,示例市档案服务中心,,\nB,示例市测绘中心,,\nB1,示例市测绘中心第一分队,B,\n"


def make(tmp_path, **kw):
    limits = kw.pop("limits", None) or Limits(file_bytes=2 * MB, request_bytes=4 * MB, pages=50)
    settings = Settings(db=f"sqlite:///{tmp_path / 'web.db'}", files=str(tmp_path / "files"), workers=0,
                        limits=limits, **kw)
    app = create_app(settings)
    (tmp_path / "orgs.csv").write_text(REGISTER, "utf-8")
    app.state.store.import_orgs(str(tmp_path / "orgs.csv"))
    engine = app.state.store.engine
    if not accounts.users(engine):
        for name, role, unit in (("admin", "admin", None), ("rev", "reviewer", None), ("ua", "unit", "A"),
                                 ("ub", "unit", "B")):
            accounts.add_user(engine, name, role, PASSWORD, unit)
    return app, settings


@pytest.fixture()
def site(tmp_path):
    app, settings = make(tmp_path)
    with TestClient(wrap(app, settings), base_url="http://127.0.0.1") as client:
        yield app, settings, client


def doc_of(client, batch_url: str) -> int | None:
    return client.get("/api" + batch_url).json()["jobs"][0]["document_id"]


def a_document(app, client) -> tuple[int, str]:
    """Unit A uploads its own document: (its id, the batch page)."""
    csrf = signed_in(client, "ua")
    r = upload(client, csrf, ("甲的决算.txt", EXAMPLE.read_bytes()))
    process(app)
    return doc_of(client, r.headers["location"]), r.headers["location"]


def test_an_upload_name_is_text_in_the_report_and_its_scripts_run_by_hash(site):
    app, settings, client = site
    csrf = signed_in(client, "ua")
    r = upload(client, csrf, (XSS, EXAMPLE.read_bytes()))
    assert r.status_code == 303
    process(app)
    doc = doc_of(client, r.headers["location"])
    signed_in(client, "rev")
    for _ in range(2):  # rendered, then from the cache
        page = client.get(f"/documents/{doc}/report")
        assert page.status_code == 200
        assert "<img src=x" not in page.text and "&lt;img src=x onerror=alert(document.domain)&gt;.txt" in page.text
        csp = page.headers["content-security-policy"]
        scripts = re.search(r"script-src ([^;]*)", csp).group(1)
        assert "unsafe-inline" not in scripts and "'sha256-" in scripts
        for body in re.findall(r"<script>(.*?)</script>", page.text, flags=re.S):  # the report's own scripts run
            h = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{h}'" in scripts
    cached = list((tmp_path_of(settings) / "reports").iterdir())
    assert cached and all("<img src=x" not in p.read_text("utf-8") for p in cached)
    for path in (f"/documents/{doc}", "/documents", r.headers["location"], "/upload", "/admin/audit"):
        signed_in(client, "admin")
        assert "<img src=x" not in client.get(path).text, path


def tmp_path_of(settings):
    from pathlib import Path

    return Path(settings.files)


def test_a_unit_cannot_plant_a_document_under_another_unit(site):
    app, _, client = site
    doc_a, _ = a_document(app, client)
    csrf = signed_in(client, "rev")
    page = client.get(f"/documents/{doc_a}").text
    fp = re.search(r'name="fingerprint" value="([0-9a-f]+)"', page).group(1)
    client.post(f"/documents/{doc_a}/review", data={"csrf": csrf, "fingerprint": fp, "decision": "dismissed",
                                                    "reason": "秘密理由：与财政局口头确认"})
    before = tree(client.get("/orgs").text)
    # unit B uploads A's document with one amount changed, under a name of its own
    forged = EXAMPLE.read_bytes().replace(b"500.00", b"900.00", 1)
    csrf = signed_in(client, "ub")
    r = upload(client, csrf, ("伪造.txt", forged))
    process(app)
    job = client.get("/api" + r.headers["location"]).json()["jobs"][0]
    assert job["state"] == "done" and "不是本单位" in job["message"]  # held for a reviewer, and said so
    held = job["document_id"]
    assert held and held != doc_a
    page = client.get(f"/documents/{held}").text  # B sees what it sent …
    assert "待核实" in page and "秘密理由" not in page and "与财政局" not in page  # … not A's reviews …
    assert page.count("<tr><td>") <= 1  # … nor A's run history (its own run only)
    assert client.get(f"/documents/{doc_a}").status_code == 404
    with Session(app.state.store.engine) as s:
        d = s.get(Document, held)
        assert d.held and d.org_id is None and d.uploader == "B"
    signed_in(client, "ua")  # A's documents are A's: the forged one is not its newest
    assert "伪造" not in client.get("/documents").text and client.get(f"/documents/{held}").status_code == 404
    signed_in(client, "rev")
    assert tree(client.get("/orgs").text) == before  # the overview did not move
    reg = client.get("/register.csv").content.decode("utf-8-sig")
    assert "伪造" not in reg and "900.00" not in reg
    notice = client.get("/units/A/notice.docx")
    import docx

    body = "\n".join(p.text for p in docx.Document(io.BytesIO(notice.content)).paragraphs)
    assert "900" not in body
    # the reviewer sees it held, and may file it (it was sent on A's behalf) — then it is A's newest
    page = client.get(f"/documents/{held}").text
    assert "待核实的上传" in page and f'action="/documents/{held}/hold"' in page
    csrf = _csrf(page)
    r = client.post(f"/documents/{held}/hold", data={"csrf": csrf, "decision": "release", "reason": "受甲委托上传"},
                    follow_redirects=False)
    assert r.status_code == 303
    with Session(app.state.store.engine) as s:
        assert s.get(Document, held).held is None and s.get(Document, held).org_id is not None


def tree(html: str) -> str:
    return html[html.index('id="tree"'):html.index("</table>", html.index('id="tree"'))]


def test_uploading_another_units_bytes_gives_nothing_of_it(site):
    app, _, client = site
    doc_a, batch_a = a_document(app, client)
    csrf = signed_in(client, "rev")
    page = client.get(f"/documents/{doc_a}").text
    fp = re.search(r'name="fingerprint" value="([0-9a-f]+)"', page).group(1)
    client.post(f"/documents/{doc_a}/review", data={"csrf": csrf, "fingerprint": fp, "decision": "dismissed",
                                                    "reason": "秘密理由"})
    csrf = signed_in(client, "ub")
    r = upload(client, csrf, ("我找到的.txt", EXAMPLE.read_bytes()))
    process(app)
    job = client.get("/api" + r.headers["location"]).json()["jobs"][0]
    assert job["document_id"] is None and "不是本单位" in job["message"]
    for path in (f"/documents/{doc_a}", f"/documents/{doc_a}/report", "/units/A"):
        assert client.get(path).status_code == 404, path
    assert "示例市档案服务中心" not in client.get("/documents").text
    assert "秘密理由" not in client.get("/findings").text
    r = client.post(f"/documents/{doc_a}/rerun", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 404
    signed_in(client, "ua")  # A does not see B's name for its document
    assert "我找到的" not in client.get(f"/documents/{doc_a}").text


def test_the_register_opens_without_formulas(site):
    openpyxl = pytest.importorskip("openpyxl")
    app, _, client = site
    csrf = signed_in(client, "rev")
    names = ["=1+2*3.txt", "+SUM(1,2).txt", "@SUM(A1).txt", "-2+3.txt"]
    text = EXAMPLE.read_text("utf-8")
    for i, name in enumerate(names):  # four publishers: four documents that count
        upload(client, csrf, (name, text.replace("示例市档案服务中心", f"示例市档案服务{'一二三四'[i]}中心").encode()))
    process(app)
    xlsx = client.get("/register.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    ws = wb.active
    cells = [c for row in ws.iter_rows(min_row=2) for c in row]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]
    assert {c.value for c in cells} >= set(names)  # the names kept, as text
    csv_text = client.get("/register.csv").content.decode("utf-8-sig")
    import csv

    rows = list(csv.reader(io.StringIO(csv_text)))
    assert {"'" + n for n in names} <= {v for row in rows for v in row}
    for row in rows[1:]:
        for v in row:
            if v[:1] in ("=", "+", "-", "@", "\t", "\r"):
                assert re.fullmatch(r"-?[\d,]+(\.\d+)?", v), v  # only a plain negative number may lead with -


def test_the_store_keeps_no_usable_session_and_only_its_owner_reads_it(site, tmp_path):
    app, settings, client = site
    r = login(client, "rev")
    assert r.status_code == 303
    db = tmp_path / "web.db"
    assert stat.S_IMODE(db.stat().st_mode) & 0o077 == 0
    from itsdangerous import URLSafeSerializer

    token = URLSafeSerializer(accounts.secret(app.state.store.engine), salt="budgetdoc-session").loads(
        client.cookies.get("bd_session"))
    with Session(app.state.store.engine) as s:
        stored = list(s.scalars(select(WebSession.token)))
    assert token not in stored and hashlib.sha256(token.encode()).hexdigest() in stored
    assert token.encode() not in db.read_bytes()
    # a store made readable to others is made private again when the app opens it
    os.chmod(db, 0o644)
    create_app(settings)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_an_idle_session_ends_and_https_gets_hsts(tmp_path):
    app, settings = make(tmp_path, secure_cookie=True, idle_minutes=30)
    with TestClient(wrap(app, settings), base_url="https://127.0.0.1") as client:
        signed_in(client, "rev")
        r = client.get("/orgs")
        assert r.status_code == 200 and "max-age=" in r.headers["strict-transport-security"]
        from datetime import UTC, datetime, timedelta

        with Session(app.state.store.engine) as s, s.begin():
            s.execute(update(WebSession).values(seen_at=datetime.now(UTC) - timedelta(minutes=31)))
        assert client.get("/orgs", follow_redirects=False).status_code == 303


def test_login_spraying_is_throttled_per_address_and_name_across_restarts(tmp_path):
    app, settings = make(tmp_path)
    with TestClient(wrap(app, settings), base_url="http://127.0.0.1") as client:
        for i in range(20):  # one address, twenty names, one try each
            assert login(client, f"nobody{i}", "wrong-password-x").status_code == 401
        assert login(client, "rev").status_code == 429  # the address is blocked, even with a right password
        # a forwarded-for header from an untrusted peer changes nothing
        client.cookies.clear()
        tok = _csrf(client.get("/login").text)
        r = client.post("/login", data={"csrf": tok, "name": "rev", "password": PASSWORD},
                        headers={"X-Forwarded-For": "203.0.113.9"}, follow_redirects=False)
        assert r.status_code == 429
    app2, settings2 = make(tmp_path)  # a restart: the failures are remembered
    with TestClient(wrap(app2, settings2), base_url="http://127.0.0.1") as client:
        assert login(client, "rev").status_code == 429
    # behind a configured proxy, each client is its own address
    app3, settings3 = make(tmp_path, trusted_proxies=("testclient",))
    with TestClient(wrap(app3, settings3), base_url="http://127.0.0.1") as client:
        client.cookies.clear()
        tok = _csrf(client.get("/login").text)
        r = client.post("/login", data={"csrf": tok, "name": "rev", "password": PASSWORD},
                        headers={"X-Forwarded-For": "203.0.113.9"}, follow_redirects=False)
        assert r.status_code == 303
        for _ in range(5):  # one name from many addresses
            client.cookies.clear()
            tok = _csrf(client.get("/login").text)
            client.post("/login", data={"csrf": tok, "name": "ua", "password": "wrong-password-y"},
                        headers={"X-Forwarded-For": f"198.51.100.{_}"}, follow_redirects=False)
        client.cookies.clear()
        tok = _csrf(client.get("/login").text)
        r = client.post("/login", data={"csrf": tok, "name": "ua", "password": PASSWORD},
                        headers={"X-Forwarded-For": "198.51.100.200"}, follow_redirects=False)
        assert r.status_code == 429


def test_uploads_reruns_and_renders_have_quotas(tmp_path):
    limits = Limits(file_bytes=2 * MB, request_bytes=4 * MB, uploads_per_hour=3, reruns_per_hour=2,
                    renders_per_hour=2)
    app, settings = make(tmp_path, limits=limits)
    with TestClient(wrap(app, settings), base_url="http://127.0.0.1") as client:
        csrf = signed_in(client, "ua")
        text = EXAMPLE.read_text("utf-8")
        r = upload(client, csrf, *[(f"{i}.txt", (text + "\n" * i).encode()) for i in range(4)])
        assert r.status_code == 429 and "上限" in r.text
        r = upload(client, csrf, ("a.txt", EXAMPLE.read_bytes()))
        assert r.status_code == 303
        process(app)
        doc = doc_of(client, r.headers["location"])
        codes = []
        for _ in range(3):
            codes.append(client.post(f"/documents/{doc}/rerun", data={"csrf": csrf}, follow_redirects=False).status_code)
            process(app)
        assert codes == [303, 303, 429]
        codes = [client.get(f"/documents/{doc}/report").status_code for _ in range(3)]
        assert codes == [200, 200, 429]


def test_a_huge_id_is_no_document_and_a_chunked_body_over_the_limit_is_413(site):
    app, settings, client = site
    signed_in(client, "rev")
    for path in ("/documents/99999999999999999999999", "/documents/99999999999999999999999/report",
                 "/documents/2147483648", "/documents/-1"):
        assert client.get(path).status_code == 404, path

    def chunks():
        for _ in range(settings.limits.request_bytes // (256 * 1024) + 2):
            yield b"a" * (256 * 1024)

    csrf = signed_in(client, "ua")
    r = client.post("/upload", content=chunks(), headers={"content-type": "multipart/form-data; boundary=x",
                                                           "x-csrf": csrf})
    assert r.status_code == 413


def test_passwords_are_not_common_nor_the_name_nor_reused(site, tmp_path):
    app, _, client = site
    engine = app.state.store.engine
    from budgetdoc.errors import InputError

    for weak in ("aaaaaaaaaa", "password123", "1234567890", "qwertyuiop", "abcabcabcabc", "Password2026!"):
        with pytest.raises(InputError):
            accounts.add_user(engine, "weak1", "reviewer", weak)
    with pytest.raises(InputError, match="用户名"):
        accounts.add_user(engine, "zhangsan", "reviewer", "zhangsan-budget-77")
    assert accounts.COMMON.is_file() and len(accounts.common_passwords()) > 300  # shipped as package data
    csrf = signed_in(client, "rev")
    r = client.post("/account", data={"csrf": csrf, "old": PASSWORD, "new": PASSWORD, "again": PASSWORD})
    assert r.status_code == 400 and "最近" in r.text
    r = client.post("/account", data={"csrf": csrf, "old": PASSWORD, "new": "second-good-pass-9",
                                      "again": "second-good-pass-9"}, follow_redirects=False)
    assert r.status_code == 303
    csrf = _csrf(client.get("/account").text)
    r = client.post("/account", data={"csrf": csrf, "old": "second-good-pass-9", "new": PASSWORD, "again": PASSWORD})
    assert r.status_code == 400 and "最近" in r.text  # an earlier password is not taken again


def test_users_are_disabled_re_roled_deleted_and_units_checked(site, tmp_path):
    from click.testing import CliRunner

    from budgetdoc.cli import cli

    app, settings, client = site
    signed_in(client, "ua")
    ua_cookie = client.cookies.get("bd_session")
    csrf = signed_in(client, "admin")
    r = client.post("/admin/users", data={"csrf": csrf, "name": "uz", "role": "unit", "unit": "NOSUCH",
                                          "password": "another-long-pass"})
    assert r.status_code == 400 and "NOSUCH" in r.text
    r = client.post("/admin/users/change", data={"csrf": csrf, "name": "ua", "op": "disable"}, follow_redirects=False)
    assert r.status_code == 303
    admin_cookie = client.cookies.get("bd_session")
    client.cookies.set("bd_session", ua_cookie)
    assert client.get("/upload", follow_redirects=False).status_code == 303  # its session ended
    assert login(client, "ua").status_code == 401
    client.cookies.set("bd_session", admin_cookie)
    for data in ({"op": "enable"}, {"op": "role", "role": "reviewer", "unit": ""}):
        assert client.post("/admin/users/change", data={"csrf": csrf, "name": "ua", **data},
                           follow_redirects=False).status_code == 303
    assert login(client, "ua").status_code == 303 and client.get("/orgs").status_code == 200  # a reviewer now
    csrf = signed_in(client, "admin")
    assert client.post("/admin/users/change", data={"csrf": csrf, "name": "ua", "op": "delete"},
                       follow_redirects=False).status_code == 303
    assert login(client, "ua").status_code == 401
    assert "ua" not in [u.name for u in accounts.users(app.state.store.engine)]
    csrf = signed_in(client, "admin")
    r = client.post("/admin/users/change", data={"csrf": csrf, "name": "admin", "op": "delete"})
    assert r.status_code == 400  # not oneself
    db = settings.db.removeprefix("sqlite:///")
    runner = CliRunner()
    res = runner.invoke(cli, ["user", "add", "u9", "--role", "unit", "--unit", "NOSUCH", "--password-stdin", "--db", db],
                        input="another-long-pass\n")
    assert res.exit_code == 2 and "NOSUCH" in res.output
    for args in (["user", "disable", "ub"], ["user", "enable", "ub"], ["user", "role", "ub", "--role", "unit",
                                                                        "--unit", "B1"], ["user", "delete", "rev"]):
        res = runner.invoke(cli, [*args, "--db", db])
        assert res.exit_code == 0, (args, res.output)
    res = runner.invoke(cli, ["user", "passwd", "ub", "--password-stdin", "--db", db], input="b-fresh-password-1\n")
    assert res.exit_code == 0
    with Session(app.state.store.engine) as s:
        actions = [a.action for a in s.scalars(select(WebAudit).order_by(WebAudit.id))]
    for a in ("user-disable", "user-enable", "user-role", "user-delete", "password"):
        assert a in actions, a


def test_the_audit_log_names_files_and_downloads_and_a_flood_hides_nothing(site, tmp_path):
    app, settings, client = site
    doc, _ = a_document(app, client)
    signed_in(client, "rev")
    client.get("/register.xlsx")
    client.get("/units/A/notice.pdf")
    client.get(f"/documents/{doc}/report")
    engine = app.state.store.engine
    with Session(engine) as s, s.begin():  # 600 failed logins (as many addresses) after the real events
        from datetime import UTC, datetime

        for i in range(600):
            s.add(WebAudit(at=datetime.now(UTC), username=f"x{i}", ip=f"10.0.{i // 250}.{i % 250}",
                           action="login-failed", detail=""))
    from click.testing import CliRunner

    from budgetdoc.cli import cli

    res = CliRunner().invoke(cli, ["org", "import", str(tmp_path / "orgs.csv"), "--db",
                                   settings.db.removeprefix("sqlite:///")])
    assert res.exit_code == 0, res.output
    csrf = signed_in(client, "admin")
    assert csrf
    text = client.get("/admin/audit").text
    assert "甲的决算.txt" in text  # the upload names its file
    assert text.count(">下载</td>") >= 3 and "问题清单" in text and "整改通知" in text and "检查报告" in text
    assert "导入单位名录" in text
    assert "登录失败" in text and "600" in text  # the flood is counted, not listed
    page2 = client.get("/admin/audit?noise=1&page_no=2").text
    assert "x" in page2 and "第 2 /" in page2
