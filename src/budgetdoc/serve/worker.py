"""The upload queue: jobs in the store's ``web_job`` table, read and checked by a pool of worker processes
(started with ``spawn``), so a document that crashes its reader ends only its own job — the server and the
other uploads go on, and the job says in one sentence what happened.

No document is opened in the web process: the workers read and check uploads (a PDF's pages counted
there), and one more process (the renderer) makes reports and notices. Each of these processes has a
memory limit (``RLIMIT_AS``, ``Limits.job_mb``) and each call a time limit; past either, that process is
ended and replaced, and only that job or page fails."""

from __future__ import annotations

import html as htmlmod
import json
import logging
import os
import threading
import zlib
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict
from datetime import UTC, datetime
from multiprocessing import get_context
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from ..store.schema import Blob, Document, WebJob

log = logging.getLogger("budgetdoc.serve")

_STORES: dict[str, Any] = {}


def _store(url: str):
    from ..store import Store

    if url not in _STORES:
        _STORES[url] = Store(url)
    return _STORES[url]


def limit_memory(mb: int) -> None:
    """In a new worker process: at most ``mb`` MB of address space (a document that would take more fails
    with MemoryError instead of taking the machine)."""
    if mb <= 0:
        return
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (mb * 1024 * 1024, mb * 1024 * 1024))
    except (ImportError, ValueError, OSError):  # not on this system: the time limit still holds
        pass


def pdf_pages(path: str) -> int:
    import pymupdf

    try:
        with pymupdf.open(path) as d:
            return d.page_count
    except Exception:  # noqa: BLE001 - the reader says why, on the upload's own line
        return 0


def ingest_job(url: str, path: str, owner: str | None = None, max_pages: int = 0,
               batch: tuple[str, ...] = ()) -> dict[str, Any]:
    """In a worker process: store and check one uploaded file, as the upload of unit ``owner`` (None: a
    reviewer's or an admin's); a PDF of more than ``max_pages`` pages is refused unread. A file of one part
    of a document published as several files (its narrative only, or its tables only) whose other parts
    are among the files uploaded with it (``batch``) is stored and checked with them as one document
    (:func:`budgetdoc.pipeline.companions`), the whole the upload of ``owner``; ``group`` then lists the
    files."""
    def too_long(p: str) -> int:
        return pdf_pages(p) if max_pages and p.lower().endswith(".pdf") else 0

    n = too_long(path)
    if n > max_pages:
        return {"state": "unusable", "message": f"页数过多（{n} 页，上限 {max_pages} 页），未读取"}
    store = _store(url)
    if not batch:
        return asdict(store.ingest_file(path, owner=owner))
    from .. import pipeline
    from ..store.core import analyse

    a = analyse(path)
    group: tuple[str, ...] = ()
    if a.doc is not None:
        others = [p for p in batch if os.path.isfile(p) and too_long(p) <= max_pages]
        group = pipeline.companions(pipeline.part_of(path, a.doc), candidates=others)
    if not group:
        return asdict(store.ingest_file(path, owner=owner, analysis=a))
    return {**asdict(store.ingest_parts(group, owner=owner)), "group": list(group)}


def rerun_job(url: str, sha256: str) -> dict[str, Any]:
    """In a worker process: check a stored document again (forced: the run is replaced)."""
    return asdict(_store(url).recheck_one(sha256, force=True))


def render_job(url: str, sha256: str, shown: str, files: dict[str, str] | None = None) -> tuple[str, list[str]]:
    """In the renderer process: the HTML review page of a stored document (the report view of
    ``budgetdoc report``), read again from its stored bytes, naming the file ``shown`` — a document of
    several files each of its files by the name ``files`` gives its stored name (as text: escaped); and the
    hashes of its scripts (for the page's Content-Security-Policy), taken before any name is put in, so
    nothing a user typed can ever run."""
    import tempfile

    from .. import pipeline
    from ..report.html import html_report
    from ..store.core import PARTS, _Materialised

    engine = _store(url).engine
    with Session(engine) as s:
        d = s.scalar(select(Document).where(Document.sha256 == sha256))
        blob = s.get(Blob, sha256)
        if d is None or blob is None:
            raise LookupError(sha256)
        data, suffix = zlib.decompress(blob.data), d.suffix
    if suffix == PARTS:  # the files of a document of several files, each under its stored name
        with _Materialised(data, "document" + PARTS, shown) as (paths, _):
            page = html_report(*pipeline.run(paths))
            hashes = script_hashes(page)
            for p in paths:
                name = (files or {}).get(os.path.basename(p), shown)
                for raw in (p, os.path.basename(p)):
                    page = page.replace(htmlmod.escape(raw, quote=True), htmlmod.escape(name, quote=True))
            return page, hashes
    with tempfile.TemporaryDirectory(prefix="budgetdoc-web-") as tmp:
        path = os.path.join(tmp, "document" + suffix)
        with open(path, "wb") as fh:
            fh.write(data)
        doc, report = pipeline.run(path)
        page = html_report(doc, report)
        hashes = script_hashes(page)
        return page.replace(htmlmod.escape(path, quote=True), htmlmod.escape(shown, quote=True)), hashes


def script_hashes(page: str) -> list[str]:
    """``'sha256-…'`` of each inline script of ``page``."""
    import base64
    import hashlib
    import re

    return [f"'sha256-{base64.b64encode(hashlib.sha256(m.encode()).digest()).decode()}'"
            for m in re.findall(r"<script>(.*?)</script>", page, flags=re.S)]


def notice_job(url: str, code: str, name: str, year: int | None, fmt: str, issuer: str, due_days: int,
               document_id: int | None = None) -> bytes:
    """In the renderer process: a 整改通知 of one document of a unit, as PDF or DOCX bytes (it opens the
    document's PDF for crops)."""
    from . import notice

    n = notice.collect(_store(url).engine, code, name, year, issuer=issuer, due_days=due_days,
                       document_id=document_id)
    return notice.notice_pdf(n) if fmt == "pdf" else notice.notice_docx(n)


class JobTimeout(Exception):
    pass


class Worker:
    """``workers`` processes consuming the queued jobs in order, each thread with a process of its own (a
    document that hangs past ``timeout`` seconds has its process ended, and only that job fails);
    ``workers=0``: no background work (jobs wait; reports are rendered in the calling thread) — for tests
    of the pages alone."""

    def __init__(self, engine: Engine, url: str, files: str, workers: int = 1, timeout: float | None = None,
                 memory_mb: int = 0, max_pages: int = 0):
        self.engine, self.url, self.files, self.workers = engine, url, files, workers
        self.timeout, self.memory_mb, self.max_pages = timeout, memory_mb, max_pages
        self.wake = threading.Event()
        self.stop = threading.Event()
        self._claim_lock = threading.Lock()
        self._pool_lock = threading.Lock()
        self.pools: list[ProcessPoolExecutor] = []
        self.threads: list[threading.Thread] = []

    @property
    def pool(self) -> ProcessPoolExecutor | None:
        return self.pools[0] if self.pools else None

    def start(self) -> None:
        with Session(self.engine) as s, s.begin():  # jobs cut short by a stop are done again
            s.execute(update(WebJob).where(WebJob.state == "running").values(state="queued", progress=0))
        if self.workers <= 0:
            return
        self._new_pool()
        for i in range(self.workers):
            t = threading.Thread(target=self._loop, args=(i,), name=f"budgetdoc-worker-{i}", daemon=True)
            t.start()
            self.threads.append(t)

    def close(self) -> None:
        self.stop.set()
        self.wake.set()
        for t in self.threads:
            t.join(timeout=5)
        for pool in self.pools:
            pool.shutdown(wait=False, cancel_futures=True)

    @property
    def render_slot(self) -> int:
        """The renderer's pool: the last one (reports and notices do not wait behind uploads)."""
        return len(self.pools) - 1

    def _new_pool(self, slot: int | None = None) -> None:
        """Make the pools (one process each: the workers', then the renderer's), or replace the pool of
        ``slot``."""
        ctx = get_context("spawn")

        def one() -> ProcessPoolExecutor:
            return ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=limit_memory,
                                       initargs=(self.memory_mb,))

        with self._pool_lock:
            if slot is None:
                old = self.pools
                self.pools = [one() for _ in range(max(1, self.workers) + 1)]
            else:
                old = [self.pools[slot]]
                self.pools[slot] = one()
        for pool in old:
            _end(pool)

    def call(self, fn: Any, *args: Any, slot: int = 0, timeout: float | None = None) -> Any:
        """Run ``fn(*args)`` in the worker process of ``slot`` (in this thread when there is no pool).
        JobTimeout when it takes longer than ``timeout`` seconds: that process is ended."""
        if not self.pools:
            return fn(*args)
        slot = min(slot, len(self.pools) - 1)
        pool = self.pools[slot]
        try:
            return pool.submit(fn, *args).result(timeout=timeout)
        except TimeoutError:
            if self.pools[slot] is pool:
                self._new_pool(slot)
            raise JobTimeout from None
        except BrokenProcessPool:
            if self.pools[slot] is pool:
                self._new_pool(slot)
            raise

    def _claim(self) -> int | None:
        with self._claim_lock, Session(self.engine) as s, s.begin():
            job = s.scalar(select(WebJob).where(WebJob.state == "queued").order_by(WebJob.id).limit(1))
            if job is None:
                return None
            job.state, job.progress = "running", 30
            return job.id

    def _loop(self, slot: int) -> None:
        while not self.stop.is_set():
            job_id = self._claim()
            if job_id is None:
                self.wake.wait(timeout=1.0)
                self.wake.clear()
                continue
            self.run_job(job_id, slot)

    def run_job(self, job_id: int, slot: int = 0) -> None:
        """Do one job; whatever happens, the job ends ``done`` or ``failed`` with one sentence."""
        with Session(self.engine) as s:
            job = s.get(WebJob, job_id)
            if job is None:
                return
            kind, sha, suffix, name, owner = job.kind, job.sha256 or "", job.suffix, job.name, job.org_code
        path = os.path.join(self.files, sha + suffix)
        batch = self._batch_files(job_id) if kind == "upload" else {}
        try:
            if kind == "rerun":
                out = self.call(rerun_job, self.url, sha, slot=slot, timeout=self.timeout)
            else:
                out = self.call(ingest_job, self.url, path, owner, self.max_pages, tuple(batch),
                                slot=slot, timeout=self.timeout)
        except JobTimeout:
            self._finish(job_id, "failed", f"读取这份文件超过 {self.timeout:g} 秒，已停止，其他文件不受影响：{name}")
            return
        except BrokenProcessPool:
            self._finish(job_id, "failed", f"读取这份文件时程序意外终止，已跳过：{name}")
            return
        except MemoryError:
            self._finish(job_id, "failed", f"读取这份文件所需内存超过上限（{self.memory_mb} MB），已停止，"
                                           f"其他文件不受影响：{name}")
            return
        except Exception as e:  # noqa: BLE001 - one bad document never stops the queue
            log.warning("job %s failed: %s", job_id, type(e).__name__)
            self._finish(job_id, "failed", f"处理这份文件时出错（{type(e).__name__}），其他文件不受影响：{name}")
            return
        message = out.get("message")
        if message:  # the stored names (hashes) are no one's: each file by its upload name
            for p, n in [(path, name), *((p, n) for p, (_, n) in batch.items())]:
                message = message.replace(p, n).replace(os.path.basename(p), n)
        state = "done" if out.get("state") != "unusable" else "failed"
        together = [(job_id, name)] + [batch[p] for p in out.get("group") or [] if p in batch]
        if len(together) == 1:
            together = []
        if state == "done" and out.get("held"):
            message = out["held"]
        elif together:
            message = _joined(together, job_id)
        elif state == "done" and out.get("duplicate") and kind == "upload":
            message = "这份文件此前已上传过（内容完全相同），显示的是已有的检查结果"
        self._finish(job_id, state, message, out, owner)
        for other, _ in together[1:]:  # the document's other files: done with it (unless begun meanwhile)
            said = out["held"] if state == "done" and out.get("held") else message if state == "failed" \
                else _joined(together, other)
            with self._claim_lock:
                self._finish(other, state, said, out, owner, only_queued=True)

    def _batch_files(self, job_id: int) -> dict[str, tuple[int, str]]:
        """The stored files of the other uploads of a job's batch (by the same user), each with its job and
        name: where a file of one part of a document finds its other parts."""
        with Session(self.engine) as s:
            job = s.get(WebJob, job_id)
            if job is None:
                return {}
            rows = s.execute(select(WebJob.id, WebJob.sha256, WebJob.suffix, WebJob.name).where(
                WebJob.batch == job.batch, WebJob.kind == "upload", WebJob.id != job_id,
                WebJob.user_id == job.user_id, WebJob.sha256.is_not(None), WebJob.state != "failed")).all()
        return {os.path.join(self.files, sha + suffix): (i, name) for i, sha, suffix, name in rows
                if sha != job.sha256}

    def _finish(self, job_id: int, state: str, message: str | None, out: dict[str, Any] | None = None,
                owner: str | None = None, only_queued: bool = False) -> None:
        with Session(self.engine) as s, s.begin():
            job = s.get(WebJob, job_id)
            if job is None or (only_queued and job.state != "queued"):
                return
            job.state, job.progress, job.message = state, 100, message
            job.finished_at = datetime.now(UTC)
            if out is not None:
                keep = {k: out.get(k) for k in ("state", "errors", "warnings", "open_errors", "new", "open",
                                                "fixed", "dismissed", "match", "match_note", "held", "duplicate")}
                job.result_json = json.dumps(keep, ensure_ascii=False)
                if out.get("sha256") and state == "done":
                    d = s.scalar(select(Document).where(Document.sha256 == out["sha256"]))
                    # a unit's upload of bytes another unit's document holds leads it nowhere
                    if d is not None and (owner is None or not out.get("held") or d.uploader == owner):
                        job.document_id = d.id


def _joined(together: list[tuple[int, str]], job_id: int) -> str:
    """What the upload of one file of a document of several files says: the files it was checked with."""
    return f"与同批上传的 {'、'.join(name for i, name in together if i != job_id)} 合为一份文档检查"


def _end(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now, ending its process (a document that hangs is not waited for)."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        if p.is_alive():
            p.terminate()
