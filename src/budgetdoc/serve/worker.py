"""The upload queue: jobs in the store's ``web_job`` table, read and checked by a pool of worker processes
(started with ``spawn``), so a document that crashes its reader ends only its own job — the server and the
other uploads go on, and the job says in one sentence what happened."""

from __future__ import annotations

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


def ingest_job(url: str, path: str) -> dict[str, Any]:
    """In a worker process: store and check one uploaded file."""
    return asdict(_store(url).ingest_file(path))


def rerun_job(url: str, sha256: str) -> dict[str, Any]:
    """In a worker process: check a stored document again (forced: the run is replaced)."""
    return asdict(_store(url).recheck_one(sha256, force=True))


def render_job(url: str, sha256: str, shown: str) -> str:
    """In a worker process: the HTML review page of a stored document (the report view of
    ``budgetdoc report``), read again from its stored bytes."""
    import tempfile

    from .. import pipeline
    from ..report.html import html_report

    engine = _store(url).engine
    with Session(engine) as s:
        d = s.scalar(select(Document).where(Document.sha256 == sha256))
        blob = s.get(Blob, sha256)
        if d is None or blob is None:
            raise LookupError(sha256)
        data, suffix = zlib.decompress(blob.data), d.suffix
    with tempfile.TemporaryDirectory(prefix="budgetdoc-web-") as tmp:
        path = os.path.join(tmp, "document" + suffix)
        with open(path, "wb") as fh:
            fh.write(data)
        doc, report = pipeline.run(path)
        return html_report(doc, report).replace(path, shown)


class JobTimeout(Exception):
    pass


class Worker:
    """``workers`` processes consuming the queued jobs in order, each thread with a process of its own (a
    document that hangs past ``timeout`` seconds has its process ended, and only that job fails);
    ``workers=0``: no background work (jobs wait; reports are rendered in the calling thread) — for tests
    of the pages alone."""

    def __init__(self, engine: Engine, url: str, files: str, workers: int = 1, timeout: float | None = None):
        self.engine, self.url, self.files, self.workers = engine, url, files, workers
        self.timeout = timeout
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

    def _new_pool(self, slot: int | None = None) -> None:
        """Make the pools (one process each), or replace the pool of ``slot``."""
        ctx = get_context("spawn")
        with self._pool_lock:
            if slot is None:
                old = self.pools
                self.pools = [ProcessPoolExecutor(max_workers=1, mp_context=ctx) for _ in range(max(1, self.workers))]
            else:
                old = [self.pools[slot]]
                self.pools[slot] = ProcessPoolExecutor(max_workers=1, mp_context=ctx)
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
            kind, sha, suffix, name = job.kind, job.sha256 or "", job.suffix, job.name
        path = os.path.join(self.files, sha + suffix)
        try:
            if kind == "rerun":
                out = self.call(rerun_job, self.url, sha, slot=slot, timeout=self.timeout)
            else:
                out = self.call(ingest_job, self.url, path, slot=slot, timeout=self.timeout)
        except JobTimeout:
            self._finish(job_id, "failed", f"读取这份文件超过 {self.timeout:g} 秒，已停止，其他文件不受影响：{name}")
            return
        except BrokenProcessPool:
            self._finish(job_id, "failed", f"读取这份文件时程序意外终止，已跳过：{name}")
            return
        except Exception as e:  # noqa: BLE001 - one bad document never stops the queue
            log.warning("job %s failed: %s", job_id, type(e).__name__)
            self._finish(job_id, "failed", f"处理这份文件时出错（{type(e).__name__}），其他文件不受影响：{name}")
            return
        message = out.get("message")
        if message:
            message = message.replace(path, name).replace(os.path.basename(path), name)
        state = "done" if out.get("state") != "unusable" else "failed"
        self._finish(job_id, state, message, out)

    def _finish(self, job_id: int, state: str, message: str | None, out: dict[str, Any] | None = None) -> None:
        with Session(self.engine) as s, s.begin():
            job = s.get(WebJob, job_id)
            if job is None:
                return
            job.state, job.progress, job.message = state, 100, message
            job.finished_at = datetime.now(UTC)
            if out is not None:
                keep = {k: out.get(k) for k in ("state", "errors", "warnings", "open_errors", "new", "open",
                                                "fixed", "dismissed", "match", "match_note")}
                job.result_json = json.dumps(keep, ensure_ascii=False)
                if out.get("sha256") and state == "done":
                    job.document_id = s.scalar(select(Document.id).where(Document.sha256 == out["sha256"]))


def _end(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now, ending its process (a document that hangs is not waited for)."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        if p.is_alive():
            p.terminate()
