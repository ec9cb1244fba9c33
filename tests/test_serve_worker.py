"""The web app's worker and outputs: a document that crashes its worker process, or raises, fails alone
with one sentence and the next document is read; a unit's 整改通知 carries each open error with its page
crop and both numbers, in PDF and DOCX; dismissed errors leave it."""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import SHARED

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'budgetdoc[web,corpus]')")
pytest.importorskip("sqlalchemy", reason="the corpus extra is not installed")

from sqlalchemy.orm import Session  # noqa: E402

from budgetdoc.serve import notice  # noqa: E402
from budgetdoc.serve import worker as worker_mod  # noqa: E402
from budgetdoc.serve.uploads import store_bytes  # noqa: E402
from budgetdoc.store import Store  # noqa: E402
from budgetdoc.store.schema import WebJob  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "demo-2023-final.txt"
WELFARE = SHARED / "real" / "shanghai-putuo-2024-unit-budget-welfarehome.pdf"


def _crash(*a: object) -> dict:
    os._exit(3)  # a reader dying hard (a segfault in a C library would do the same)


def _hang(*a: object) -> dict:
    import time

    time.sleep(3600)  # a reader caught in a loop
    return {}


def _raise(*a: object) -> dict:
    raise RuntimeError("a bug met on this file")


def _job(engine, files: str, data: bytes, name: str) -> int:
    sha, _ = store_bytes(files, data, ".txt")
    with Session(engine) as s, s.begin():
        j = WebJob(batch="b" * 32, user_id=None, org_code="U1", kind="upload", name=name, sha256=sha, suffix=".txt",
                   state="queued", progress=0, created_at=datetime.now(UTC))
        s.add(j)
        s.flush()
        return j.id


def _state(engine, job_id: int) -> tuple[str, str | None, int | None]:
    with Session(engine) as s:
        j = s.get(WebJob, job_id)
        assert j is not None
        return j.state, j.message, j.document_id


def test_a_crashing_or_raising_document_fails_alone(tmp_path, monkeypatch):
    store = Store(str(tmp_path / "w.db"))
    files = str(tmp_path / "files")
    w = worker_mod.Worker(store.engine, store.url, files, workers=1)
    w._new_pool()
    try:
        crash = _job(store.engine, files, b"crash me\n", "坏文件.txt")
        monkeypatch.setattr(worker_mod, "ingest_job", _crash)
        w.run_job(crash)
        state, message, _ = _state(store.engine, crash)
        assert state == "failed" and "意外终止" in message and "坏文件.txt" in message and "\n" not in message

        bug = _job(store.engine, files, b"raise\n", "另一个.txt")
        monkeypatch.setattr(worker_mod, "ingest_job", _raise)
        w.run_job(bug)
        state, message, _ = _state(store.engine, bug)
        assert state == "failed" and "RuntimeError" in message and "Traceback" not in message

        monkeypatch.undo()
        good = _job(store.engine, files, EXAMPLE.read_bytes(), "示例.txt")
        w.run_job(good)  # the pool was replaced after the crash: the next document is read
        state, message, doc = _state(store.engine, good)
        assert state == "done" and doc is not None, message
    finally:
        w.close()
        store.close()


@pytest.mark.skipif(not WELFARE.exists(), reason="shared/real not present")
def test_the_notice_has_each_open_error_with_its_crop_and_numbers(tmp_path):
    import docx
    import pymupdf

    reg = tmp_path / "orgs.csv"
    reg.write_text("代码,名称,上级代码,别名\nPT,上海市普陀区民政局,,\nPT01,上海市普陀区社会福利院,PT,\n", "utf-8")
    with Store(str(tmp_path / "n.db")) as store:
        store.import_orgs(str(reg))
        store.ingest([str(WELFARE)])
        errors = [f for f in store.findings() if f["severity"] == "error"]
        assert errors
        n = notice.collect(store.engine, "PT01", "上海市普陀区社会福利院", issuer="普陀区财政局", due_days=20)
        # every error once: on its own, or settled by the one misprinted cell it shares with others
        assert sum(max(1, len(it.settles)) for it in n.items) == len(errors)
        assert all(it.crops for it in n.items)  # a PDF: every error has its page crop
        assert all(it.expected is not None or it.actual is not None for it in n.items)
        raw = notice.notice_pdf(n)
        assert len(raw) < 2 * 1024 * 1024  # fonts subset, crops in JPEG
        pdf = pymupdf.open(stream=raw, filetype="pdf")
        assert all(abs(p.rect.width - 595) < 2 and abs(p.rect.height - 842) < 2 for p in pdf)  # A4
        text = "".join(p.get_text() for p in pdf).replace("\n", "")
        assert "整改通知" in text and "上海市普陀区社会福利院" in text and "2024年度单位预算" in text
        assert "普陀区财政局" in text and n.reference in text and "图例" in text
        assert f"{n.due.year}年{n.due.month}月{n.due.day}日前" in text.replace(" ", "")
        assert text.count("应为：") == sum(1 for it in n.items if it.expected is not None or it.actual is not None)
        crops = sum(len(it.crops) for it in n.items)
        assert sum(len(p.get_images()) for p in pdf) == crops >= len(n.items)
        body = notice.notice_docx(n)
        assert len(body) < 2 * 1024 * 1024
        d = docx.Document(io.BytesIO(body))
        sec = d.sections[0]
        assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
        assert len(d.inline_shapes) == crops
        assert sum("位置：" in p.text for p in d.paragraphs) == len(n.items)
        assert any("图例" in p.text for p in d.paragraphs) and any(n.reference in p.text for p in d.paragraphs)
        empty = notice.collect(store.engine, "PT", "上海市普陀区民政局")  # a unit that published nothing
        assert not empty.published and "还没有" in notice._intro(empty)
        assert len(notice.notice_pdf(empty)) < 300 * 1024

        store.review([errors[0]["fingerprint"]], "dismissed", "已核实无误", "审核人")
        again = notice.collect(store.engine, "PT01", "上海市普陀区社会福利院")
        assert sum(max(1, len(it.settles)) for it in again.items) == len(errors) - 1


def test_a_document_that_hangs_is_stopped_and_the_queue_goes_on(tmp_path, monkeypatch):
    store = Store(str(tmp_path / "h.db"))
    files = str(tmp_path / "files")
    w = worker_mod.Worker(store.engine, store.url, files, workers=1, timeout=3)
    w._new_pool()
    try:
        hang = _job(store.engine, files, b"hang\n", "卡住的文件.txt")
        monkeypatch.setattr(worker_mod, "ingest_job", _hang)
        w.run_job(hang)
        state, message, _ = _state(store.engine, hang)
        assert state == "failed" and "超过 3 秒" in message and "卡住的文件.txt" in message
        monkeypatch.undo()
        good = _job(store.engine, files, EXAMPLE.read_bytes(), "示例.txt")
        w.run_job(good)
        state, message, doc = _state(store.engine, good)
        assert state == "done" and doc is not None, message
    finally:
        w.close()
        store.close()


def _greedy(*a: object) -> dict:
    return {"size": len(bytearray(6 * 1024 * 1024 * 1024))}  # a reader that wants 6 GB


def test_a_document_that_wants_too_much_memory_fails_alone(tmp_path, monkeypatch):
    store = Store(str(tmp_path / "m.db"))
    files = str(tmp_path / "files")
    w = worker_mod.Worker(store.engine, store.url, files, workers=1, memory_mb=2048)
    w._new_pool()
    try:
        greedy = _job(store.engine, files, b"greedy\n", "很大的文件.txt")
        monkeypatch.setattr(worker_mod, "ingest_job", _greedy)
        w.run_job(greedy)
        state, message, _ = _state(store.engine, greedy)
        assert state == "failed" and "内存" in message and "2048 MB" in message and "很大的文件.txt" in message
        monkeypatch.undo()
        good = _job(store.engine, files, EXAMPLE.read_bytes(), "示例.txt")
        w.run_job(good)  # the same limited process reads the next document
        state, message, doc = _state(store.engine, good)
        assert state == "done" and doc is not None, message
    finally:
        w.close()
        store.close()


def test_the_web_process_never_opens_an_uploaded_pdf(tmp_path, monkeypatch):
    """The page count of an upload is taken by the worker (time and memory limited), not by the web
    process: a PDF over the page limit fails as its own job."""
    import pymupdf
    from fastapi.testclient import TestClient

    from budgetdoc.serve.app import wrap
    from test_serve_security import make_site, process, signed_in, upload

    doc = pymupdf.open()
    for _ in range(4):
        doc.new_page().insert_text((72, 72), "page")
    data = doc.tobytes()
    app, settings = make_site(tmp_path, f"sqlite:///{tmp_path / 'p.db'}")
    settings.limits.pages = 3
    app.state.worker.max_pages = 3
    opened = []
    real_open = pymupdf.open
    monkeypatch.setattr(pymupdf, "open", lambda *a, **k: opened.append(1) or real_open(*a, **k))
    with TestClient(wrap(app, settings), base_url="http://127.0.0.1") as client:
        csrf = signed_in(client, "ua")
        r = upload(client, csrf, ("四页.pdf", data))
        assert r.status_code == 303 and not opened  # queued unread
        monkeypatch.undo()
        process(app)  # (here the worker runs in this process; served, it is a limited process of its own)
        job = client.get("/api" + r.headers["location"]).json()["jobs"][0]
        assert job["state"] == "failed" and "页数过多" in job["message"]
