"""The web app (FastAPI): pages rendered on the server with Jinja2, small scripts in ``static/``.

Every page needs a signed-in session (except the login page and the static files); every POST needs the
session's CSRF token; a unit user sees its own unit's documents only (others answer 404, as if they did
not exist). An upload belongs to the uploading unit: a document another unit published is held for a
reviewer, never filed under that unit, and bytes already stored give the uploader nothing it could not
see before. Uploads are checked by content and limits, stored by hash outside any served folder, and
queued for the worker processes (:mod:`.worker`); no document is opened in this process. Uploads, reruns
and reports have hourly quotas per user.
"""

from __future__ import annotations

import hashlib
import json
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
from ..store.db import make_private
from ..store.schema import WebJob, WebSession, WebUser
from . import accounts, notice, views
from .config import Settings
from .uploads import Refused, accept, store_bytes
from .worker import Worker, notice_job, render_job

HERE = Path(__file__).resolve().parent
log = logging.getLogger("budgetdoc.serve")
COOKIE, PRE_COOKIE = "bd_session", "bd_pre"
APP_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
           "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
REPORT_CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src {scripts}; "
              "frame-ancestors 'self'; base-uri 'none'; form-action 'none'")
MAX_ID = 2**31 - 1  # ids past this are no document (and no database integer)


class NotSignedIn(Exception):
    pass


class Denied(Exception):
    def __init__(self, status: int, message: str):
        self.status, self.message = status, message


class BodyLimit:
    """Refuse (413) a request body larger than ``limit`` bytes: by its Content-Length, and while it is
    streamed (a chunked body, or one that lies): the app is then told the client went away, whatever it
    answers is dropped, and the answer is 413."""

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
        seen, over, started = 0, False, False

        async def counted() -> dict:
            nonlocal seen, over
            if over:
                return {"type": "http.disconnect"}
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.limit:
                    over = True
                    return {"type": "http.disconnect"}
            return msg

        async def guarded(msg: dict) -> None:
            nonlocal started
            if over:
                return  # the app's answer to a body it never got whole
            started = True
            await send(msg)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not over:
                raise
        if over and not started:
            await _too_large(send, self.limit)


async def _too_large(send: Any, limit: int) -> None:
    body = f"上传的内容过大（上限 {limit // (1024 * 1024)} MB）".encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def create_app(settings: Settings) -> FastAPI:
    """The app on ``settings.db`` (opened and migrated here; InputError when it cannot be)."""
    store = Store(settings.db)
    engine = store.engine
    if make_private(store.url):
        log.warning("the store was readable by others: it is now its owner's only (0600)")
    os.makedirs(settings.files, mode=0o700, exist_ok=True)
    worker = Worker(engine, store.url, settings.files, settings.workers, settings.limits.job_seconds,
                    settings.limits.job_mb, settings.limits.pages)
    signer = URLSafeSerializer(accounts.secret(engine), salt="budgetdoc-session")
    limiter = accounts.Throttle()
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
        """The client's address: the connection's, or — only from a configured reverse proxy — the last
        address of ``X-Forwarded-For`` that is not one of the proxies."""
        peer = request.client.host if request.client else "?"
        if peer not in settings.trusted_proxies:
            return peer
        hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
        while hops and hops[-1] in settings.trusted_proxies:
            hops.pop()
        return hops[-1][:64] if hops else peer

    def current(request: Request) -> tuple[WebUser, WebSession]:
        raw = request.cookies.get(COOKIE)
        if not raw:
            raise NotSignedIn
        try:
            token = signer.loads(raw)
        except BadSignature:
            raise NotSignedIn from None
        found = accounts.session_user(engine, str(token), settings.session_hours, settings.idle_minutes)
        if found is None:
            raise NotSignedIn
        request.state.token = str(token)
        return found

    def over(what: str, limit: int) -> Denied:
        return Denied(429, f"一小时内{what}已达上限（{limit} 次），请稍后再试（上限由管理员设定）")

    def job_quota(user: WebUser, kind: str, n: int, limit: int, what: str) -> None:
        if accounts.jobs_since(engine, user.id, kind, 3600) + n > limit:
            raise over(what, limit)

    def render_quota(user: WebUser) -> None:
        if accounts.count_since(engine, user.name, ("download",), 3600) >= settings.limits.renders_per_hour:
            raise over("生成报告、通知和清单", settings.limits.renders_per_hour)

    def unit_of(user: WebUser) -> str | None:
        return user.org_code if user.role == "unit" else None

    def cookie(resp: Response, token: str) -> None:
        resp.set_cookie(COOKIE, signer.dumps(token), httponly=True, samesite="lax",
                        secure=settings.secure_cookie, max_age=settings.session_hours * 3600)

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
        if settings.secure_cookie:
            resp.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
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
        name, password, ip = str(form.get("name") or "").strip()[:100], str(form.get("password") or "")[:1024], \
            ip_of(request)
        if await run_in_threadpool(limiter.blocked, engine, name, ip):
            if not await run_in_threadpool(limiter.recently_said, engine, name, ip):
                await run_in_threadpool(accounts.audit, engine, name, ip, "login-blocked")
            return login_page(request, "登录失败次数过多，请 15 分钟后再试", 429)
        user = await run_in_threadpool(accounts.verify, engine, name, password)
        if user is None:
            await run_in_threadpool(accounts.audit, engine, name, ip, "login-failed")
            return login_page(request, "用户名或密码不正确", 401)
        token, _ = await run_in_threadpool(accounts.new_session, engine, user.id, settings.session_hours)
        await run_in_threadpool(accounts.audit, engine, user.name, ip, "login")
        resp = RedirectResponse("/", status_code=303)
        cookie(resp, token)
        resp.delete_cookie(PRE_COOKIE)
        return resp

    @app.post("/logout")
    async def logout(request: Request) -> Response:
        user, sess = current(request)
        await form_of(request, sess)
        await run_in_threadpool(accounts.end_session, engine, request.state.token)
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
        names: list[str] = []
        with Session(engine) as s, s.begin():
            for name, data in files:
                try:
                    items = accept(name, data, settings.limits)
                except Refused as e:
                    refused.append(str(e) if _shown(name) in str(e) else f"{_shown(name)}：{e}")
                    s.add(WebJob(batch=batch, user_id=user.id, org_code=user.org_code, kind="upload",
                                 name=_shown(name), sha256=None, suffix="", state="failed", progress=100,
                                 message=str(e), created_at=now, finished_at=now))
                    continue
                for it in items:
                    sha, _ = store_bytes(settings.files, it.data, it.suffix)
                    s.add(WebJob(batch=batch, user_id=user.id, org_code=unit_of(user), kind="upload",
                                 name=it.name, sha256=sha, suffix=it.suffix, state="queued", progress=0,
                                 created_at=now))
                    names.append(f"{it.name}（{sha[:12]}）")
                    queued += 1
        accounts.audit(engine, user.name, ip, "upload",
                       f"批次 {batch}：{queued} 份排队" + (f"：{'、'.join(names)}" if names else "")
                       + (f"；拒绝 {len(refused)} 份：" + "；".join(refused) if refused else ""))
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
        await run_in_threadpool(job_quota, user, "upload", len(files), settings.limits.uploads_per_hour, "上传的文件")
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
        if not 0 < doc_id <= MAX_ID:
            raise Denied(404, "没有这份文件（或无权查看）")
        with Session(engine) as s:
            d = views.visible(s, user, doc_id)
            if d is None:
                raise Denied(404, "没有这份文件（或无权查看）")
            return views.document_view(s, d, user)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse)
    def document(request: Request, doc_id: int) -> Response:
        user, sess = current(request)
        d = doc_or_404(user, doc_id)
        return page(request, "document.html.j2", user, sess, d=d, can_review=views.can_see_all(user))

    def render(fn: Any, *args: Any) -> Any:
        """``fn(*args)`` in the renderer process (time and memory limited); one sentence when it fails."""
        try:
            return worker.call(fn, *args, slot=worker.render_slot, timeout=settings.limits.job_seconds)
        except MemoryError:
            raise Denied(500, f"生成所需内存超过上限（{settings.limits.job_mb} MB），已停止") from None
        except Exception as e:  # noqa: BLE001 - the page says so in one sentence
            raise Denied(500, f"无法生成（{type(e).__name__}），请稍后重试或联系管理员") from None

    @app.get("/documents/{doc_id}/report", response_class=HTMLResponse)
    async def report(request: Request, doc_id: int) -> Response:
        user, _ = current(request)
        d = await run_in_threadpool(doc_or_404, user, doc_id)
        if d["status"] != "ok":
            raise Denied(404, "这份文件无法使用，没有检查报告")
        await run_in_threadpool(render_quota, user)
        shown = (d["names"] or [f"{d['publisher'] or '文件'}{d['suffix']}"])[0]
        named = hashlib.sha256((shown + json.dumps(d["files"], sort_keys=True)).encode()).hexdigest()[:12]
        cache = Path(settings.files) / "reports" / f"{d['sha256']}-{store.ruleset}-{store.version}-{named}.json"
        if cache.is_file():
            cached = json.loads(cache.read_text("utf-8"))
            html, hashes = cached["html"], cached["scripts"]
        else:
            html, hashes = await run_in_threadpool(render, render_job, store.url, d["sha256"], shown, d["files"])
            cache.parent.mkdir(mode=0o700, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.part")
            tmp.write_text(json.dumps({"html": html, "scripts": hashes}, ensure_ascii=False), "utf-8")
            os.replace(tmp, cache)
        await run_in_threadpool(accounts.audit, engine, user.name, ip_of(request), "download",
                                f"检查报告：文件 {doc_id}（{shown}）")
        csp = REPORT_CSP.format(scripts=" ".join(hashes) or "'none'")
        return HTMLResponse(html, headers={"Content-Security-Policy": csp, "X-Frame-Options": "SAMEORIGIN"})

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
        await run_in_threadpool(job_quota, user, "rerun", 1, settings.limits.reruns_per_hour, "重新检查")

        def waiting() -> str | None:
            with Session(engine) as s:
                return s.scalar(select(WebJob.batch).where(WebJob.kind == "rerun", WebJob.sha256 == d["sha256"],
                                                           WebJob.state.in_(("queued", "running"))).limit(1))

        already = await run_in_threadpool(waiting)
        if already is not None and views.jobs_of(engine, user, already):
            return RedirectResponse(f"/batches/{already}", status_code=303)  # one rerun of a document at a time
        if already is not None:
            raise Denied(429, "这份文件正在重新检查，请稍后再看")
        batch = uuid.uuid4().hex
        title = f"重新检查：{d['publisher'] or ''} {d['year'] or ''}{d['kind'] or ''}"

        def add() -> None:
            with Session(engine) as s, s.begin():
                s.add(WebJob(batch=batch, user_id=user.id, org_code=unit_of(user), kind="rerun", name=title,
                             sha256=d["sha256"], suffix=d["suffix"], state="queued", progress=0,
                             created_at=datetime.now(UTC)))
            accounts.audit(engine, user.name, ip_of(request), "rerun", f"文件 {doc_id}")

        await run_in_threadpool(add)
        worker.wake.set()
        return RedirectResponse(f"/batches/{batch}", status_code=303)

    @app.post("/documents/{doc_id}/hold")
    async def hold(request: Request, doc_id: int) -> Response:
        """A reviewer files a held upload under its publisher's unit (``release``) or keeps it out and
        says why (``reject``)."""
        user, sess = current(request)
        form = await form_of(request, sess)
        staff(user)
        d = await run_in_threadpool(doc_or_404, user, doc_id)
        decision, reason = str(form.get("decision") or ""), str(form.get("reason") or "").strip()[:2000]
        if not d["held"]:
            raise Denied(400, "这份文件没有待核实的上传")
        if decision not in ("release", "reject") or not reason:
            raise Denied(400, "请选择“确认归属”或“退回”，并写明理由")
        try:
            await run_in_threadpool(store.release if decision == "release" else store.reject, d["sha256"], reason,
                                    user.name)
        except InputError as e:
            raise Denied(400, str(e)) from None
        await run_in_threadpool(accounts.audit, engine, user.name, ip_of(request), "hold",
                                f"{'确认归属' if decision == 'release' else '退回'} 文件 {doc_id}：{reason}")
        return RedirectResponse(f"/documents/{doc_id}", status_code=303)

    @app.post("/cross/review")
    async def cross_review(request: Request) -> Response:
        """A reviewer's decision on a cross-document finding (kept by ``check --db``)."""
        user, sess = current(request)
        form = await form_of(request, sess)
        staff(user)
        fp, code = str(form.get("fingerprint") or "")[:32], str(form.get("unit") or "")[:64]
        decision, reason = str(form.get("decision") or ""), str(form.get("reason") or "").strip()[:2000]
        if fp not in {c.fingerprint for c in views.cross_of(engine, code)}:
            raise Denied(404, "没有这个跨文件问题")
        if decision not in ("confirmed", "dismissed") or not reason:
            raise Denied(400, "请选择确认或排除，并写明审核理由")
        await run_in_threadpool(store.review, [fp], decision, reason, user.name)
        await run_in_threadpool(accounts.audit, engine, user.name, ip_of(request), "review",
                                f"{'确认' if decision == 'confirmed' else '排除'} 跨文件 {fp}（{code}）：{reason}")
        return RedirectResponse(f"/units/{code}#x-{fp}", status_code=303)

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
            if only == "missing" and r["state"] != "未公开" or only == "errors" and not r["errors"]:
                continue
            rows.append(r)
        all_years = sorted({d["year"] for d in views.user_documents(engine, user) if d["year"]})
        return page(request, "orgs.html.j2", user, sess, st=st, rows=rows, year=year, kind=kind, q=q, only=only,
                    years=all_years, held=store.held(), names=accounts.org_names(engine))

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
        own = set(notice.documents_of(engine, code))
        for d in docs:
            d["notice"] = d["id"] in own
        return page(request, "unit.html.j2", user, sess, code=code, name=name, docs=docs, years=years,
                    cross=views.cross_of(engine, code))

    @app.get("/units/{code}/notice.{fmt}")
    def unit_notice(request: Request, code: str, fmt: str, year: str = "", doc: str = "") -> Response:
        """The 整改通知 of one document of the unit: ``doc``, else its newest current one (of ``year``)."""
        user, _ = current(request)
        if fmt not in ("pdf", "docx"):
            raise Denied(404, "整改通知只有 PDF 和 DOCX 两种格式")
        name = unit_or_404(user, code)
        render_quota(user)
        y = int(year) if year.isdigit() and len(year) == 4 else None
        doc_id = int(doc) if doc.isdigit() and len(doc) < 10 else None
        if doc_id is not None and doc_id not in notice.documents_of(engine, code, y):
            raise Denied(404, "这个单位没有这份现行文件（整改通知只针对单位自己的现行文件）")
        body = render(notice_job, store.url, code, name, y, fmt, settings.issuer, settings.due_days, doc_id)
        accounts.audit(engine, user.name, ip_of(request), "download", f"整改通知 {fmt.upper()}：{name}（{code}）"
                       + (f" 文件 {doc_id}" if doc_id else "") + (f" {y} 年" if y else ""))
        mime = "application/pdf" if fmt == "pdf" else \
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return Response(body, media_type=mime, headers=_attachment(f"整改通知-{code}.{fmt}"))

    @app.get("/register.{fmt}")
    def register(request: Request, fmt: str) -> Response:
        user, _ = current(request)
        staff(user)
        if fmt not in ("xlsx", "csv"):
            raise Denied(404, "问题清单只有 XLSX 和 CSV 两种格式")
        from ..store.export import write_register

        render_quota(user)
        rows = store.findings()
        with Session(engine) as s:  # uploaded files by the names they were given, not the server's paths
            names = views.upload_names(s)
        for r in rows:
            f = r.get("file") or ""
            if os.path.dirname(f) == os.path.abspath(settings.files) or os.path.dirname(f) == settings.files:
                r["file"] = names.get(os.path.basename(f), os.path.basename(f))
        with tempfile.TemporaryDirectory(prefix="budgetdoc-reg-") as tmp:
            out = os.path.join(tmp, f"register.{fmt}")
            write_register(rows, out)
            body = Path(out).read_bytes()
        accounts.audit(engine, user.name, ip_of(request), "download", f"问题清单 {fmt.upper()}：{len(rows)} 个问题")
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
        await run_in_threadpool(accounts.audit, engine, user.name, ip_of(request), "password", user.name)
        token, _ = await run_in_threadpool(accounts.new_session, engine, user.id,
                                           settings.session_hours)  # the others were ended
        resp = RedirectResponse("/account?done=1", status_code=303)
        cookie(resp, token)
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

    @app.post("/admin/users/change")
    async def users_change(request: Request) -> Response:
        """Change a user: ``op`` role (with ``role`` and ``unit``), disable, enable or delete."""
        user, sess = current(request)
        form = await form_of(request, sess)
        admin(user)
        name, op = str(form.get("name") or "")[:100], str(form.get("op") or "")
        role, unit = str(form.get("role") or ""), str(form.get("unit") or "") or None
        try:
            if name == user.name and op in ("disable", "delete"):
                raise InputError("不能停用或删除自己的账号")
            if op == "role":
                u = await run_in_threadpool(accounts.set_role, engine, name, role, unit)
                detail = f"{name} → {accounts.ROLES[u.role]}{'，' + u.org_code if u.org_code else ''}"
            elif op in ("disable", "enable"):
                await run_in_threadpool(accounts.set_active, engine, name, op == "enable")
                detail = name
            elif op == "delete":
                await run_in_threadpool(accounts.delete_user, engine, name)
                detail = name
            else:
                raise InputError("不支持的操作")
        except InputError as e:
            return page(request, "users.html.j2", user, sess, status=400, users=accounts.users(engine),
                        orgs=accounts.org_names(engine), error=str(e))
        await run_in_threadpool(accounts.audit, engine, user.name, ip_of(request), f"user-{op}", detail)
        return RedirectResponse("/admin/users?changed=1", status_code=303)

    @app.get("/admin/audit", response_class=HTMLResponse)
    def audit_get(request: Request, page_no: int = 1, noise: str = "", action: str = "", who: str = "") -> Response:
        user, sess = current(request)
        admin(user)
        page_no = max(1, min(page_no, 100_000))
        rows, total, failed = accounts.audit_log(engine, page_no, 100, noise == "1",
                                                 action if action in accounts.ACTIONS else "", who[:100])
        return page(request, "audit.html.j2", user, sess, rows=rows, total=total, failed=failed, page_no=page_no,
                    pages=max(1, (total + 99) // 100), noise=noise == "1", action=action, who=who[:100])

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
