"""The web app's security (budgetdoc serve), through the ASGI app without a browser: every route refuses
a request without a session; every form POST refuses a missing or wrong CSRF token; a unit user cannot
reach another unit's documents by guessing ids; uploads are refused by content, size, names and zip
bombs; passwords are hashed; logins are rate-limited and audited."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'budgetdoc[web,corpus]')")
pytest.importorskip("httpx", reason="httpx is not installed (pip install 'budgetdoc[webtest]')")
pytest.importorskip("sqlalchemy", reason="the corpus extra is not installed")

from fastapi.testclient import TestClient  # noqa: E402
from starlette.routing import Mount, Route  # noqa: E402

from budgetdoc.serve import accounts  # noqa: E402
from budgetdoc.serve.app import create_app, wrap  # noqa: E402
from budgetdoc.serve.config import MB, Limits, Settings  # noqa: E402
from budgetdoc.serve.uploads import Refused, accept, display_name  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "demo-2023-final.txt"
PASSWORD = "correct-horse-battery"


def make_site(tmp_path, url: str):
    settings = Settings(db=url, files=str(tmp_path / "files"), workers=0,
                        limits=Limits(file_bytes=2 * MB, request_bytes=8 * MB, pages=50, zip_total_bytes=20 * MB))
    app = create_app(settings)
    engine = app.state.store.engine
    (tmp_path / "orgs.csv").write_text("代码,名称,上级代码,别名\nA,示例市档案服务中心,,甲单位\nB,乙单位,,\n", "utf-8")
    app.state.store.import_orgs(str(tmp_path / "orgs.csv"))
    for name, role, unit in (("admin", "admin", None), ("rev", "reviewer", None), ("ua", "unit", "A"),
                             ("ub", "unit", "B")):
        accounts.add_user(engine, name, role, PASSWORD, unit)
    return app, settings


@pytest.fixture()
def site(tmp_path):
    app, settings = make_site(tmp_path, f"sqlite:///{tmp_path / 'web.db'}")
    with TestClient(wrap(app, settings), base_url="http://127.0.0.1") as client:
        yield app, settings, client


@pytest.fixture()
def pg_site(tmp_path):
    """The same on PostgreSQL (``$BUDGETDOC_TEST_PG``, as .ci/run sets it), in a schema of its own."""
    import os
    import secrets
    from urllib.parse import quote

    from sqlalchemy import create_engine, text

    server = os.environ.get("BUDGETDOC_TEST_PG")
    if not server:
        pytest.skip("no PostgreSQL (BUDGETDOC_TEST_PG is not set; .ci/run starts one when run as root)")
    schema = "web_" + secrets.token_hex(6)
    admin = create_engine(server)
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in server else "?"
    try:
        app, settings = make_site(tmp_path, f"{server}{sep}options={quote(f'-csearch_path={schema}')}")
        with TestClient(wrap(app, settings), base_url="http://127.0.0.1") as client:
            yield app, settings, client
    finally:
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, html[:500]
    return m.group(1)


def login(client, name: str, password: str = PASSWORD):
    client.cookies.clear()
    tok = _csrf(client.get("/login").text)
    return client.post("/login", data={"csrf": tok, "name": name, "password": password}, follow_redirects=False)


def signed_in(client, name: str) -> str:
    r = login(client, name)
    assert r.status_code == 303, r.text
    return _csrf(client.get("/upload").text)


def upload(client, csrf: str, *files: tuple[str, bytes]):
    return client.post("/upload", data={"csrf": csrf}, files=[("files", (n, b, "application/octet-stream"))
                                                               for n, b in files], follow_redirects=False)


def process(app) -> None:
    """Run the queued jobs here (the fixture's app has no worker processes)."""
    w = app.state.worker
    while (job := w._claim()) is not None:
        w.run_job(job)


def routes(app) -> list[tuple[str, str]]:
    out = []
    for r in app.routes:
        if isinstance(r, Route):
            for m in sorted(r.methods or []):
                if m != "HEAD":
                    out.append((m, r.path))
        elif isinstance(r, Mount):
            out.append(("MOUNT", r.path))
    return out


def concrete(path: str) -> str:
    return (path.replace("{doc_id}", "1").replace("{batch}", "0" * 32).replace("{code}", "A")
            .replace("{fmt}", "pdf"))


def test_every_route_refuses_without_a_session(site):
    app, _, client = site
    found = routes(app)
    assert ("POST", "/upload") in found and ("GET", "/documents/{doc_id}/report") in found
    public = {("GET", "/login"), ("POST", "/login")}
    tried = 0
    for method, path in found:
        if method == "MOUNT":
            assert path == "/static"
            assert client.get("/static/app.css").status_code == 200  # static assets are public
            continue
        if (method, path) in public:
            continue
        client.cookies.clear()
        r = client.request(method, concrete(path), follow_redirects=False)
        tried += 1
        if path.startswith("/api/"):
            assert r.status_code == 401, (method, path, r.status_code)
        else:
            assert r.status_code == 303 and r.headers["location"] == "/login", (method, path, r.status_code)
    assert tried >= 15
    assert client.get("/login").status_code == 200


def test_a_forged_cookie_is_no_session(site):
    _, _, client = site
    client.cookies.set("bd_session", "not-signed")
    assert client.get("/orgs", follow_redirects=False).status_code == 303


def test_every_form_post_refuses_a_missing_or_wrong_csrf_token(site):
    app, _, client = site
    signed_in(client, "admin")
    posts = [p for m, p in routes(app) if m == "POST" and p != "/login"]
    assert set(posts) >= {"/upload", "/logout", "/documents/{doc_id}/review", "/documents/{doc_id}/rerun",
                          "/admin/users"}
    for path in posts:
        for data in ({}, {"csrf": "0" * 64}):
            r = client.post(concrete(path), data={**data, "name": "x", "role": "admin", "password": "y" * 12},
                            follow_redirects=False)
            assert r.status_code == 403, (path, data, r.status_code)
            assert "CSRF" in r.text
    assert client.get("/orgs").status_code == 200  # still signed in: the refused logout did nothing
    # the login form too (its token is bound to the pre-session cookie)
    client.cookies.clear()
    client.get("/login")
    r = client.post("/login", data={"csrf": "forged", "name": "admin", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 403


def test_unit_users_see_only_their_own_unit(site):
    unit_flow(site)


def test_postgres_unit_flow_review_and_audit(pg_site):
    app, _, client = pg_site
    unit_flow(pg_site)
    csrf = signed_in(client, "rev")
    html = client.get("/documents").text
    doc = int(re.search(r'href="/documents/(\d+)"', html).group(1))
    page = client.get(f"/documents/{doc}").text
    fp = re.search(r'name="fingerprint" value="([0-9a-f]+)"', page).group(1)
    r = client.post(f"/documents/{doc}/review", data={"csrf": csrf, "fingerprint": fp, "decision": "dismissed",
                                                      "reason": "已核实"}, follow_redirects=False)
    assert r.status_code == 303
    assert f"#f-{fp}" in client.get("/findings?review=dismissed").text
    assert f"#f-{fp}" not in client.get("/findings?review=pending").text
    for path in ("/orgs", "/findings?rule=CLS&severity=error&text=科目&unit=档案", "/units/A", "/register.xlsx",
                 "/units/A/notice.pdf"):
        assert client.get(path).status_code == 200, path
    signed_in(client, "admin")
    assert ">审核</td>" in client.get("/admin/audit").text


def unit_flow(site) -> None:
    app, _, client = site
    csrf = signed_in(client, "ua")
    r = upload(client, csrf, ("甲.txt", EXAMPLE.read_bytes()))
    assert r.status_code == 303
    batch_a = r.headers["location"]
    process(app)
    doc_a = client.get("/api" + batch_a).json()["jobs"][0]["document_id"]
    assert doc_a and client.get(f"/documents/{doc_a}").status_code == 200
    assert client.get(f"/documents/{doc_a}/report").status_code == 200

    csrf = signed_in(client, "ub")
    for path in (f"/documents/{doc_a}", f"/documents/{doc_a}/report", "/api" + batch_a, batch_a, "/units/A",
                 "/units/A/notice.pdf", "/units/A/notice.docx", f"/documents/{doc_a + 1}", "/documents/999999"):
        assert client.get(path, follow_redirects=False).status_code == 404, path
    assert "甲.txt" not in client.get("/documents").text and "示例市" not in client.get("/documents").text
    for path in ("/orgs", "/register.xlsx", "/register.csv", "/admin/users", "/admin/audit"):
        assert client.get(path, follow_redirects=False).status_code == 403, path
    r = client.post(f"/documents/{doc_a}/rerun", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 404
    r = client.post(f"/documents/{doc_a}/review", data={"csrf": csrf, "fingerprint": "0" * 32,
                                                       "decision": "dismissed", "reason": "x"})
    assert r.status_code == 403  # a unit user does not review
    assert client.get("/findings").text.count("/documents/") == 0

    signed_in(client, "rev")
    assert client.get(f"/documents/{doc_a}").status_code == 200
    assert client.get("/units/A").status_code == 200


def test_uploads_are_refused_by_content_name_size_and_bombs(site, tmp_path):
    app, settings, client = site
    csrf = signed_in(client, "ua")
    exe = b"MZ\x90\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"
    cases = {
        "an exe renamed .pdf": [("report.pdf", exe)],
        "a traversal name": [("../../etc/passwd.txt", EXAMPLE.read_bytes())],
        "a backslash traversal name": [("..\\..\\x.txt", EXAMPLE.read_bytes())],
        "an empty file": [("empty.txt", b"")],
        "a png named .txt": [("a.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)],
    }
    for what, files in cases.items():
        r = upload(client, csrf, *files)
        assert r.status_code == 400, (what, r.status_code)
        assert "Traceback" not in r.text
    # a file over the per-file limit, and a request over the body limit
    r = upload(client, csrf, ("big.txt", b"a" * (settings.limits.file_bytes + 1)))
    assert r.status_code == 413
    r = upload(client, csrf, ("huge.txt", b"a" * (settings.limits.request_bytes + 10)))
    assert r.status_code == 413
    # a zip bomb: a small archive that unpacks to far more than allowed
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.txt", b"0" * (30 * MB))
    assert len(bomb.getvalue()) < 1 * MB
    r = upload(client, csrf, ("bomb.zip", bomb.getvalue()))
    assert r.status_code == 400 and "压缩" in r.text
    # nested archives, and a member path leaving the archive
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("x.txt", EXAMPLE.read_bytes())
    for member, body in (("inner.zip", inner.getvalue()), ("../evil.txt", EXAMPLE.read_bytes())):
        outer = io.BytesIO()
        with zipfile.ZipFile(outer, "w") as z:
            z.writestr(member, body)
        r = upload(client, csrf, ("docs.zip", outer.getvalue()))
        assert r.status_code == 400, member
    # nothing of these was stored; no file outside the files folder was written
    assert not any(Path(settings.files).glob("*")) or all(p.name != "passwd.txt" for p in Path(settings.files).rglob("*"))
    assert not (tmp_path / "etc").exists()
    # a good zip of two documents is accepted: two jobs, stored under their hashes
    good = io.BytesIO()
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("one.txt", EXAMPLE.read_bytes())
        z.writestr("sub/two.txt", EXAMPLE.read_bytes().replace("示例市档案服务中心".encode(), "示例市测绘中心".encode()))
    r = upload(client, csrf, ("docs.zip", good.getvalue()))
    assert r.status_code == 303
    jobs = client.get("/api" + r.headers["location"]).json()["jobs"]
    assert [j["name"] for j in jobs] == ["docs.zip › one.txt", "docs.zip › two.txt"]
    stored = sorted(p.name for p in Path(settings.files).iterdir() if p.is_file())
    assert len(stored) == 2 and all(re.fullmatch(r"[0-9a-f]{64}\.txt", n) for n in stored)


def test_one_bad_document_fails_alone(site):
    app, _, client = site
    csrf = signed_in(client, "ua")
    r = upload(client, csrf, ("good.txt", EXAMPLE.read_bytes()),
               ("notes.txt", "这只是一段普通文字，不是预算或决算公开文件。\n".encode() * 3))
    assert r.status_code == 303
    process(app)
    jobs = client.get("/api" + r.headers["location"]).json()["jobs"]
    states = {j["name"]: (j["state"], j["message"]) for j in jobs}
    assert states["good.txt"][0] == "done"
    assert states["notes.txt"][0] == "failed" and states["notes.txt"][1]
    assert "\n" not in states["notes.txt"][1] and "Traceback" not in states["notes.txt"][1]
    assert client.get("/upload").status_code == 200


def test_names_are_never_paths():
    for bad in ("../a.txt", "a/b.txt", "..", "c:\\x.txt", "x\x00.txt", "a\nb.txt"):
        with pytest.raises(Refused):
            display_name(bad)
    assert display_name("  预算.pdf ") == "预算.pdf"
    assert accept("a.md", "# 标题\n正文\n".encode(), Limits())[0].suffix == ".md"
    with pytest.raises(Refused):
        accept("a.pdf", b"MZ" + b"\x00" * 10, Limits())


def test_passwords_are_hashed_and_logins_rate_limited_and_audited(site):
    app, _, client = site
    engine = app.state.store.engine
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from budgetdoc.store.schema import WebAudit, WebUser

    with Session(engine) as s:
        hashes = list(s.scalars(select(WebUser.password_hash)))
    assert all(h.startswith("$argon2") and PASSWORD not in h for h in hashes)
    with pytest.raises(Exception, match="密码至少"):
        accounts.add_user(engine, "short", "reviewer", "123")
    for _ in range(5):
        assert login(client, "rev", "wrong-password-x").status_code == 401
    r = login(client, "rev")  # the right password, but too many failures from this address
    assert r.status_code == 429 and "15 分钟" in r.text
    assert login(client, "admin").status_code == 303  # another user is not blocked
    with Session(engine) as s:
        actions = [a.action for a in s.scalars(select(WebAudit).order_by(WebAudit.id))]
    assert actions.count("login-failed") == 5 and "login-blocked" in actions and actions[-1] == "login"


def test_session_cookie_flags_and_logout(site):
    _, _, client = site
    r = login(client, "rev")
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    csrf = _csrf(client.get("/orgs").text)
    old = client.cookies.get("bd_session")
    assert client.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    client.cookies.set("bd_session", old)  # the old cookie is worth nothing after logout
    assert client.get("/orgs", follow_redirects=False).status_code == 303


def test_admin_creates_users_and_the_cli_needs_a_typed_password(site, tmp_path):
    from click.testing import CliRunner

    from budgetdoc.cli import cli

    _, settings, client = site
    csrf = signed_in(client, "admin")
    r = client.post("/admin/users", data={"csrf": csrf, "name": "uc", "role": "unit", "unit": "",
                                          "password": "another-long-pass"})
    assert r.status_code == 400 and "单位" in r.text
    r = client.post("/admin/users", data={"csrf": csrf, "name": "uc", "role": "unit", "unit": "A",
                                          "password": "another-long-pass"}, follow_redirects=False)
    assert r.status_code == 303
    assert login(client, "uc", "another-long-pass").status_code == 303
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    res = runner.invoke(cli, ["user", "add", "boss", "--role", "admin", "--db", db],
                        input="a-typed-password\na-typed-password\n")
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["user", "add", "boss2", "--role", "admin", "--db", db],
                        input="a-typed-password\nsomething-else\n")
    assert res.exit_code != 0
    res = runner.invoke(cli, ["user", "add", "boss3", "--role", "admin", "--password-stdin", "--db", db],
                        input="short\n")
    assert res.exit_code == 2 and "密码至少" in res.output
    res = runner.invoke(cli, ["user", "add", "boss", "--role", "admin", "--password-stdin", "--db", db],
                        input="a-typed-password\n")
    assert res.exit_code == 2 and "已存在" in res.output


def test_page_limit_and_office_files_other_than_xlsx(tmp_path):
    import pymupdf

    doc = pymupdf.open()
    for _ in range(4):
        doc.new_page().insert_text((72, 72), "page")
    data = doc.tobytes()
    assert accept("a.pdf", data, Limits(pages=3))[0].suffix == ".pdf"  # accepted unread: the worker counts
    from budgetdoc.serve.worker import ingest_job

    path = tmp_path / "a.pdf"
    path.write_bytes(data)
    out = ingest_job(f"sqlite:///{tmp_path / 'p.db'}", str(path), None, 3)
    assert out["state"] == "unusable" and "页数过多" in out["message"]
    docx_like = io.BytesIO()
    with zipfile.ZipFile(docx_like, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w/>")
    with pytest.raises(Refused, match="xlsx"):
        accept("a.xlsx", docx_like.getvalue(), Limits())


def test_a_user_changes_its_password_and_other_sessions_end(site):
    _, _, client = site
    csrf = signed_in(client, "rev")
    other = client.cookies.get("bd_session")
    r = client.post("/account", data={"csrf": csrf, "old": "wrong-old-password", "new": "a-new-password-1",
                                      "again": "a-new-password-1"})
    assert r.status_code == 400 and "当前密码不正确" in r.text
    r = client.post("/account", data={"csrf": csrf, "old": PASSWORD, "new": "a-new-password-1",
                                      "again": "a-new-password-2"})
    assert r.status_code == 400 and "不一致" in r.text
    r = client.post("/account", data={"csrf": csrf, "old": PASSWORD, "new": "a-new-password-1",
                                      "again": "a-new-password-1"}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/account").status_code == 200  # this browser stays signed in
    client.cookies.set("bd_session", other)
    assert client.get("/account", follow_redirects=False).status_code == 303  # the old session ended
    assert login(client, "rev").status_code == 401
    assert login(client, "rev", "a-new-password-1").status_code == 303


def test_the_demo_store_has_the_example_and_a_one_time_admin(tmp_path):
    from budgetdoc.serve.cli import _demo

    db, password = _demo(str(tmp_path))
    assert len(password) >= 12
    settings = Settings(db=f"sqlite:///{db}", files=str(tmp_path / "files"), workers=0)
    app = create_app(settings)
    with TestClient(wrap(app, settings), base_url="http://127.0.0.1") as client:
        assert login(client, "admin", "admin").status_code == 401  # no default password
        assert login(client, "admin", password).status_code == 303
        html = client.get("/orgs").text
        assert "示例市档案服务中心" in html and "已公开" in html
    (tmp_path / "again").mkdir()
    assert _demo(str(tmp_path / "again"))[1] != password  # random each time


def test_a_bug_is_one_sentence_not_a_traceback(tmp_path, monkeypatch):
    from budgetdoc.serve import views

    app, settings = make_site(tmp_path, f"sqlite:///{tmp_path / 'bug.db'}")
    with TestClient(wrap(app, settings), base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
        signed_in(client, "rev")

        def boom(*a, **k):
            raise ZeroDivisionError("secret internals")

        monkeypatch.setattr(views, "user_documents", boom)
        r = client.get("/documents")
        assert r.status_code == 500 and "ZeroDivisionError" in r.text
        assert "Traceback" not in r.text and "secret internals" not in r.text
        assert client.get("/documents/abc").status_code == 404  # a malformed id: no validation dump
        assert "detail" not in client.get("/documents/abc").text


def test_serve_refuses_an_unusable_store_in_one_sentence(tmp_path):
    from click.testing import CliRunner

    from budgetdoc.cli import cli

    res = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "no" / "such" / "x.db")])
    assert res.exit_code == 2 and "文件夹不存在" in res.output and "Traceback" not in res.output
