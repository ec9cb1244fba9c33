"""The web app (FastAPI): pages rendered on the server with Jinja2, small scripts in ``static/``.

Every page needs a signed-in session (except the login page and the static files); every POST needs the
session's CSRF token; a unit user sees its own unit's documents only (others answer 404, as if they did
not exist). Uploads are checked by content and limits, stored by hash outside any served folder, and
queued for the worker processes (:mod:`.worker`).
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
import uuid
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from itsdangerous import BadSignature, URLSafeSerializer
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import InputError
from ..store import Store
from ..store.schema import WebJob, WebSession, WebUser
from . import accounts, notice, views
from .config import Settings
from .uploads import Refused, accept, store_bytes
from .worker import Worker, render_job

HERE = Path(__file__).resolve().parent
log = logging.getLogger("budgetdoc.serve")
COOKIE, PRE_COOKIE = "bd_session", "bd_pre"
APP_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
           "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
REPORT_CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
              "frame-ancestors 'self'; base-uri 'none'; form-action 'none'")


class NotSignedIn(Exception):
    pass


class Denied(Exception):
    def __init__(self, status: int, message: str):
        self.status, self.message = status, message


class BodyLimit:
    """Refuse (413) a request body larger than ``limit`` bytes: by its Content-Length, and while it is
    streamed (a body without one, or one that lies)."""

    def __init__(self, app: Any, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        for k, v in scope.get("headers", []):
            if k == b"content-length":
                try:
                    too_big = int(v) > self.limit
                except ValueError:
                    too_big = True
                if too_big:
                    await _too_large(send, self.limit)
                    return
        seen = 0

        async def counted() -> dict:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return msg

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await _too_large(send, self.limit)


class _TooLarge(Exception):
    pass


async def _too_large(send: Any, limit: int) -> None:
    body = f"上传的内容过大（上限 {limit // (1024 * 1024)} MB）".encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def create_app(settings: Settings) -> FastAPI:
    """The app on ``settings.db`` (opened and migrated here; InputError when it cannot be)."""
    store = Store(settings.db)
    engine = store.engine
    os.makedirs(settings.files, mode=0o700, exist_ok=True)
    worker = Worker(engine, store.url, settings.files, settings.workers, settings.limits.job_seconds)
    signer = URLSafeSerializer(accounts.secret(engine), salt="budgetdoc-session")
    limiter = accounts.RateLimit()
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["j2", "html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["ROLES"] = accounts.ROLES
    env.globals["ACTIONS"] = accounts.ACTIONS
    env.globals["local"] = views.local

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        worker.start()
        try:
            yield
        finally:
            worker.close()
            store.close()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings, app.state.store, app.state.worker, app.state.limiter = settings, store, worker, limiter
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    # ------------------------------------------------------------ helpers

    def ip_of(request: Request) -> str:
        return request.client.host if request.client else "?"

    def current(request: Request) -> tuple[WebUser, WebSession]:
        raw = request.cookies.get(COOKIE)
        if not raw:
            raise NotSignedIn
        try:
            token = signer.loads(raw)
        except BadSignature:
            raise NotSignedIn from None
        found = accounts.session_user(engine, str(token), settings.session_hours)
        if found is None:
            raise NotSignedIn
        return found

    def staff(user: WebUser) -> None:
        if not views.can_see_all(user):
            raise Denied(403, "只有审核人和管理员可以查看这一页")

    def admin(user: WebUser) -> None:
        if user.role != "admin":
            raise Denied(403, "只有管理员可以查看这一页")

    async def form_of(request: Request, sess: WebSession) -> Any:
        form = await request.form(max_files=settings.limits.files_per_upload, max_fields=50)
        if not accounts.same_token(str(form.get("csrf") or ""), sess.csrf):
            raise Denied(403, "表单已过期或来源不明（CSRF 校验未通过），请刷新页面后重试")
        return form

    def page(request: Request, template: str, user: WebUser | None, sess: WebSession | None, status: int = 200,
             **ctx: Any) -> HTMLResponse:
        html = env.get_template(template).render(user=user, csrf=sess.csrf if sess else "", request=request,
                                             orgs=ctx.pop("orgs", None), **ctx)
        return HTMLResponse(html, status_code=status)

    def message(request: Request, status: int, text: str) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": text}, status_code=status)
        try:
            user, sess = current(request)
        except NotSignedIn:
            user, sess = None, None
        return page(request, "message.html.j2", user, sess, status=status, text=text)

    # ------------------------------------------------------------ errors, headers

    @app.exception_handler(NotSignedIn)
    async def _not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "请先登录"}, status_code=401)
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(Denied)
    async def _denied(request: Request, exc: Denied) -> Response:
        return message(request, exc.status, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        text = {404: "没有这个页面或文件（或无权查看）", 405: "不支持这种请求方式"}.get(exc.status_code, "请求无法处理")
        return message(request, exc.status_code, text)

    from fastapi.exceptions import RequestValidationError

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return message(request, 404, "没有这个页面或文件（或无权查看）")

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s", request.url.path)
        return message(request, 500, f"服务器处理这个请求时出错（{type(exc).__name__}），请稍后重试或联系管理员")

    @app.middleware("http")
    async def _headers(request: Request, call_next: Any) -> Response:
        resp = await call_next(request)
        resp.headers.setdefault("Content-Security-Policy", APP_CSP)
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "same-origin"
        resp.headers.setdefault("X-Frame-Options", "DENY")
        if not request.url.path.startswith("/static/"):
            resp.headers["Cache-Control"] = "no-store"
        return resp

    # ------------------------------------------------------------ sign in / out

    def login_page(request: Request, error: str | None = None, status: int = 200) -> Response:
        pre = secrets.token_hex(32)
        resp = page(request, "login.html.j2", None, None, status=status, pre=pre, error=error)
        resp.set_cookie(PRE_COOKIE, signer.dumps(pre), httponly=True, samesite="lax",
                        secure=settings.secure_cookie, max_age=3600)
        return resp

    @app.get("/login", response_class=HTMLResponse)
    def login_get(request: Request) -> Response:
        return login_page(request)

    @app.post("/login")
    async def login_post(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=10)
        try:
            pre = signer.loads(request.cookies.get(PRE_COOKIE, ""))
        except BadSignature:
            pre = None
        if not accounts.same_token(str(form.get("csrf") or ""), str(pre or "")):
            return login_page(request, "登录表单已过期或来源不明（CSRF 校验未通过），请重新登录", 403)
        name, password, ip = str(form.get("name") or "")[:100], str(form.get("password") or "")[:1024], ip_of(request)
        if limiter.blocked(name, ip):
            await run_in_threadpool(accounts.audit, engine, name, ip, "login-blocked")
            return login_page(request, "登录失败次数过多，请 15 分钟后再试", 429)
        user = await run_in_threadpool(accounts.verify, engine, name, password)
        if user is None:
            limiter.failed(name, ip)
            await run_in_threadpool(accounts.audit, engine, name, ip, "login-failed")
            return login_page(request, "用户名或密码不正确", 401)
        limiter.succeeded(name, ip)
        sess = await run_in_threadpool(accounts.new_session, engine, user.id,
                                        settings.session_hours)
        await run_in_threadpool(accounts.audit, engine, user.name, ip, "login")
        resp = RedirectResponse("/", status_code=303)
        resp.set_cookie(COOKIE, signer.dumps(sess.token), httponly=True, samesite="lax",
                        secure=settings.secure_cookie, max_age=settings.session_hours * 3600)
        resp.delete_cookie(PRE_COOKIE)
        return resp

    @app.post("/logout")
    async def logout(request: Request) -> Response:
        user, sess = current(request)
        await form_of(request, sess)
        await run_in_threadpool(accounts.end_session, engine, sess.token)
        await run_in_threadpool(accounts.audit, engine, user.name, ip_of(request), "logout")
        resp = RedirectResponse("/login", status_code=303)
        resp.delete_cookie(COOKIE)
        return resp

    @app.get("/")
    def home(request: Request) -> Response:
        user, _ = current(request)
        return RedirectResponse("/orgs" if views.can_see_all(user) else "/upload", status_code=303)

    # ------------------------------------------------------------ uploads and the queue

    @app.get("/upload", response_class=HTMLResponse)
    def upload_get(request: Request) -> Response:
        user, sess = current(request)
        return page(request, "upload.html.j2", user, sess, jobs=views.jobs_of(engine, user, limit=50),
                    limits=settings.limits)

    def enqueue(user: WebUser, files: list[tuple[str, bytes]], ip: str) -> tuple[str, list[str], int]:
        batch = uuid.uuid4().hex
        refused: list[str] = []
        now = datetime.now(UTC)
        queued = 0
        with Session(engine) as s, s.begin():
            for name, data in files:
                try:
                    items = accept(name, data, settings.limits)
                except Refused as e:
                    refused.append(str(e))
                    s.add(WebJob(batch=batch, user_id=user.id, org_code=user.org_code, kind="upload",
                                 name=_shown(name), sha256=None, suffix="", state="failed", progress=100,
                                 message=str(e), created_at=now, finished_at=now))
                    continue
                for it in items:
                    sha, _ = store_bytes(settings.files, it.data, it.suffix)
                    s.add(WebJob(batch=batch, user_id=user.id, org_code=user.org_code, kind="upload", name=it.name,
                                 sha256=sha, suffix=it.suffix, state="queued", progress=0, created_at=now))
                    queued += 1
        accounts.audit(engine, user.name, ip, "upload",
                       f"批次 {batch}：{queued} 份排队" + (f"；拒绝 {len(refused)} 份：" + "；".join(refused) if refused else ""))
        worker.wake.set()
        return batch, refused, queued

    @app.post("/upload")
    async def upload_post(request: Request) -> Response:
        user, sess = current(request)
        form = await form_of(request, sess)
        files: list[tuple[str, bytes]] = []
        for f in form.getlist("files"):
            if isinstance(f, str) or not getattr(f, "filename", None):
                continue
            if (f.size or 0) > settings.limits.file_bytes:
                raise Denied(413, f"{_shown(f.filename)}：文件过大（上限 {settings.limits.file_bytes // (1024 * 1024)} MB）")
            files.append((f.filename, await f.read()))
        if not files:
            raise Denied(400, "请选择要上传的文件")
        batch, refused, queued = await run_in_threadpool(enqueue, user, files, ip_of(request))
        if queued == 0:
            raise Denied(400, "；".join(refused))
        return RedirectResponse(f"/batches/{batch}", status_code=303)

    @app.get("/batches/{batch}", response_class=HTMLResponse)
    def batch_page(request: Request, batch: str) -> Response:
        user, sess = current(request)
        jobs = views.jobs_of(engine, user, batch[:32])
        if not jobs:
            raise Denied(404, "没有这一批上传（或无权查看）")
        return page(request, "batch.html.j2", user, sess, jobs=list(reversed(jobs)), batch=batch[:32])

    @app.get("/api/batches/{batch}")
    def batch_api(request: Request, batch: str) -> Response:
        user, _ = current(request)
        jobs = views.jobs_of(engine, user, batch[:32])
        if not jobs:
            return JSONResponse({"error": "没有这一批上传（或无权查看）"}, status_code=404)
        jobs.reverse()
        done = sum(1 for j in jobs if j["state"] in ("done", "failed"))
        return JSONResponse({"jobs": jobs, "done": done, "total": len(jobs),
                             "progress": round(sum(j["progress"] for j in jobs) / len(jobs))})

    # ------------------------------------------------------------ documents

    @app.get("/documents", response_class=HTMLResponse)
    def documents(request: Request) -> Response:
        user, sess = current(request)
        return page(request, "documents.html.j2", user, sess, docs=views.user_documents(engine, user))

    def doc_or_404(user: WebUser, doc_id: int) -> dict[str, Any]:
        with Session(engine) as s:
            d = views.visible(s, user, doc_id)
            if d is None:
                raise Denied(404, "没有这份文件（或无权查看）")
            run = views.latest_run(s, d.id)
            by_id, _ = views.org_maps(s)
            org = by_id.get(d.org_id) if d.org_id is not None else None
            names = list(s.scalars(select(WebJob.name).where(WebJob.document_id == d.id, WebJob.kind == "upload")
                                  .order_by(WebJob.id)))
            return {"id": d.id, "sha256": d.sha256, "suffix": d.suffix, "publisher": d.publisher, "year": d.year,
                    "kind": d.kind, "scope": d.scope, "title": d.title, "status": d.status, "error": d.error,
                    "unit": org.name if org else None, "unit_code": org.code if org else None,
                    "match_note": d.match_note, "names": list(dict.fromkeys(names)),
                    "run": run, "runs": views.runs_of(s, d),
                    "findings": views.document_findings(s, run) if run else []}

    @app.get("/documents/{doc_id}", response_class=HTMLResponse)
    def document(request: Request, doc_id: int) -> Response:
        user, sess = current(request)
        d = doc_or_404(user, doc_id)
        return page(request, "document.html.j2", user, sess, d=d, can_review=views.can_see_all(user))

    @app.get("/documents/{doc_id}/report", response_class=HTMLResponse)
    async def report(request: Request, doc_id: int) -> Response:
        user, _ = current(request)
        d = await run_in_threadpool(doc_or_404, user, doc_id)
        if d["status"] != "ok":
            raise Denied(404, "这份文件无法使用，没有检查报告")
        cache = Path(settings.files) / "reports" / f"{d['sha256']}-{store.ruleset}-{store.version}.html"
        if cache.is_file():
            html = cache.read_text("utf-8")
        else:
            shown = (d["names"] or [f"{d['publisher'] or '文件'}{d['suffix']}"])[0]
            try:
                html = await run_in_threadpool(lambda: worker.call(render_job, store.url, d["sha256"], shown,
                                                                   timeout=settings.limits.job_seconds))
            except Exception as e:  # noqa: BLE001 - the page says so in one sentence
                raise Denied(500, f"无法生成这份文件的报告（{type(e).__name__}）") from None
            cache.parent.mkdir(mode=0o700, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.part")
            tmp.write_text(html, "utf-8")
            os.replace(tmp, cache)
        return HTMLResponse(html, headers={"Content-Security-Policy": REPORT_CSP, "X-Frame-Options": "SAMEORIGIN"})

    @app.post("/documents/{doc_id}/review")
    async def review(request: Request, doc_id: int) -> Response:
        user, sess = current(request)
        form = await form_of(request, sess)
        staff(user)
        d = await run_in_threadpool(doc_or_404, user, doc_id)
        fp = str(form.get("fingerprint") or "")
        decision = str(form.get("decision") or "")
        reason = str(form.get("reason") or "").strip()[:2000]
        if fp not in {f.fingerprint for f in d["findings"]}:
            raise Denied(404, "这份文件没有这个问题")
        if decision not in ("confirmed", "dismissed"):
            raise Denied(400, "审核结论只能是确认或排除")
        if not reason:
            raise Denied(400, "请写明审核理由")
        try:
            await run_in_threadpool(store.review, [fp], decision, reason, user.name)
        except InputError as e:
            raise Denied(400, str(e)) from None
        await run_in_threadpool(accounts.audit, engine, user.name, ip_of(request), "review",
                                f"{'确认' if decision == 'confirmed' else '排除'} {fp}（文件 {doc_id}）：{reason}")
        return RedirectResponse(f"/documents/{doc_id}#f-{fp}", status_code=303)

    @app.post("/documents/{doc_id}/rerun")
    async def rerun(request: Request, doc_id: int) -> Response:
        user, sess = current(request)
        await form_of(request, sess)
        d = await run_in_threadpool(doc_or_404, user, doc_id)
        if d["status"] != "ok":
            raise Denied(400, "这份文件无法使用，不能重新检查")
        batch = uuid.uuid4().hex
        title = f"重新检查：{d['publisher'] or ''} {d['year'] or ''}{d['kind'] or ''}"

        def add() -> None:
            with Session(engine) as s, s.begin():
                s.add(WebJob(batch=batch, user_id=user.id, org_code=user.org_code, kind="rerun", name=title,
                             sha256=d["sha256"], suffix=d["suffix"], state="queued", progress=0,
                             created_at=datetime.now(UTC)))
            accounts.audit(engine, user.name, ip_of(request), "rerun", f"文件 {doc_id}")

        await run_in_threadpool(add)
        worker.wake.set()
        return RedirectResponse(f"/batches/{batch}", status_code=303)

    # ------------------------------------------------------------ the bureau's view

    @app.get("/orgs", response_class=HTMLResponse)
    def orgs(request: Request, year: str = "", kind: str = "", q: str = "", only: str = "") -> Response:
        user, sess = current(request)
        staff(user)
        y = int(year) if year.isdigit() else None
        k = kind if kind in ("预算", "决算") else None
        st = store.status(y, k)
        reviewed = views.reviewed_counts(engine)
        rows = []
        for r in st["rows"]:
            r["reviewed"] = reviewed.get((r["code"], r["year"], r["kind"]), 0)
            text = f"{r['department']} {r['unit']} {r['code']}"
            if q.strip() and q.strip() not in text:
                continue
            if only == "missing" and r["published"] or only == "errors" and not r["errors"]:
                continue
            rows.append(r)
        all_years = sorted({d["year"] for d in views.user_documents(engine, user) if d["year"]})
        return page(request, "orgs.html.j2", user, sess, st=st, rows=rows, year=year, kind=kind, q=q, only=only,
                    years=all_years)

    @app.get("/findings", response_class=HTMLResponse)
    def findings(request: Request, rule: str = "", severity: str = "", text: str = "", unit: str = "",
                 review: str = "") -> Response:
        user, sess = current(request)
        items, total = views.search_findings(engine, user, rule[:100], severity, text[:200], unit[:100],
                                             review if review in ("confirmed", "dismissed", "pending") else "")
        return page(request, "findings.html.j2", user, sess, items=items, total=total,
                    f={"rule": rule, "severity": severity, "text": text, "unit": unit, "review": review})

    def unit_or_404(user: WebUser, code: str) -> str:
        if not views.can_see_all(user) and code != user.org_code:
            raise Denied(404, "没有这个单位（或无权查看）")
        names = accounts.org_names(engine)
        if code not in names and not views.unit_documents(engine, code):
            raise Denied(404, "没有这个单位（或无权查看）")
        return names.get(code, code)

    @app.get("/units/{code}", response_class=HTMLResponse)
    def unit(request: Request, code: str) -> Response:
        user, sess = current(request)
        name = unit_or_404(user, code)
        docs = views.unit_documents(engine, code)
        years = sorted({d["year"] for d in docs if d["year"]}, reverse=True)
        return page(request, "unit.html.j2", user, sess, code=code, name=name, docs=docs, years=years)

    @app.get("/units/{code}/notice.{fmt}")
    def unit_notice(request: Request, code: str, fmt: str, year: str = "") -> Response:
        user, _ = current(request)
        if fmt not in ("pdf", "docx"):
            raise Denied(404, "整改通知只有 PDF 和 DOCX 两种格式")
        name = unit_or_404(user, code)
        n = notice.collect(engine, code, name, int(year) if year.isdigit() else None)
        if fmt == "pdf":
            body, mime = notice.notice_pdf(n), "application/pdf"
        else:
            body = notice.notice_docx(n)
            mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return Response(body, media_type=mime, headers=_attachment(f"整改通知-{code}.{fmt}"))

    @app.get("/register.{fmt}")
    def register(request: Request, fmt: str) -> Response:
        user, _ = current(request)
        staff(user)
        if fmt not in ("xlsx", "csv"):
            raise Denied(404, "问题清单只有 XLSX 和 CSV 两种格式")
        from ..store.export import write_register

        rows = store.findings()
        with Session(engine) as s:  # uploaded files by the names they were given, not the server's paths
            names = {os.path.join(settings.files, sha + suffix): name for sha, suffix, name in s.execute(
                select(WebJob.sha256, WebJob.suffix, WebJob.name).where(WebJob.kind == "upload",
                                                                        WebJob.sha256.is_not(None)))}
        for r in rows:
            r["file"] = names.get(r.get("file") or "", r.get("file"))
        with tempfile.TemporaryDirectory(prefix="budgetdoc-reg-") as tmp:
            out = os.path.join(tmp, f"register.{fmt}")
            write_register(rows, out)
            body = Path(out).read_bytes()
        mime = "text/csv; charset=utf-8" if fmt == "csv" else \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Response(body, media_type=mime, headers=_attachment(f"问题清单.{fmt}"))

    # ------------------------------------------------------------ one's own account

    @app.get("/account", response_class=HTMLResponse)
    def account_get(request: Request) -> Response:
        user, sess = current(request)
        return page(request, "account.html.j2", user, sess, done=request.query_params.get("done"))

    @app.post("/account")
    async def account_post(request: Request) -> Response:
        user, sess = current(request)
        form = await form_of(request, sess)
        old, new, again = (str(form.get(k) or "")[:1024] for k in ("old", "new", "again"))
        error = None
        if await run_in_threadpool(accounts.verify, engine, user.name, old) is None:
            error = "当前密码不正确"
        elif new != again:
            error = "两次输入的新密码不一致"
        else:
            try:
                await run_in_threadpool(accounts.set_password, engine, user.name, new)
            except InputError as e:
                error = str(e)
        if error:
            return page(request, "account.html.j2", user, sess, status=400, error=error)
        await run_in_threadpool(accounts.audit, engine, user.name, ip_of(request), "password")
        sess2 = await run_in_threadpool(accounts.new_session, engine, user.id,
                                        settings.session_hours)  # the others were ended
        resp = RedirectResponse("/account?done=1", status_code=303)
        resp.set_cookie(COOKIE, signer.dumps(sess2.token), httponly=True, samesite="lax",
                        secure=settings.secure_cookie, max_age=settings.session_hours * 3600)
        return resp

    # ------------------------------------------------------------ administration

    @app.get("/admin/users", response_class=HTMLResponse)
    def users_get(request: Request) -> Response:
        user, sess = current(request)
        admin(user)
        return page(request, "users.html.j2", user, sess, users=accounts.users(engine),
                    orgs=accounts.org_names(engine), done=request.query_params.get("done"))

    @app.post("/admin/users")
    async def users_post(request: Request) -> Response:
        user, sess = current(request)
        form = await form_of(request, sess)
        admin(user)
        name, role = str(form.get("name") or ""), str(form.get("role") or "")
        try:
            made = await run_in_threadpool(accounts.add_user, engine, name, role, str(form.get("password") or ""),
                                           str(form.get("unit") or "") or None)
        except InputError as e:
            return page(request, "users.html.j2", user, sess, status=400, users=accounts.users(engine),
                        orgs=accounts.org_names(engine), error=str(e))
        await run_in_threadpool(accounts.audit, engine, user.name, ip_of(request), "user-add",
                                f"{made.name}（{accounts.ROLES[made.role]}{'，' + made.org_code if made.org_code else ''}）")
        return RedirectResponse(f"/admin/users?done={made.id}", status_code=303)

    @app.get("/admin/audit", response_class=HTMLResponse)
    def audit_get(request: Request) -> Response:
        user, sess = current(request)
        admin(user)
        return page(request, "audit.html.j2", user, sess, rows=accounts.audit_log(engine))

    return app


def _shown(name: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in (name or ""))[:120] or "（未命名文件）"


def _attachment(name: str) -> dict[str, str]:
    from urllib.parse import quote

    ascii_name = "".join(c if c.isascii() and (c.isalnum() or c in ".-_") else "_" for c in name)
    return {"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"}


def wrap(app: FastAPI, settings: Settings) -> Any:
    """The app behind the body-size limit (what uvicorn serves)."""
    return BodyLimit(app, settings.limits.request_bytes)


__all__ = ["create_app", "wrap"]
