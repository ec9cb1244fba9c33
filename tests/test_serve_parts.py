"""A document published as two files, uploaded in one batch through the web app (budgetdoc serve): the
narrative and the tables are stored and checked as one document, both uploads lead to it, its review page
names each file by its upload name; the ownership rules hold for the whole (a unit uploading another
publisher's pair gets it held, and nothing of the publisher's own). Needs ``../shared/real/jiangsu``."""

from __future__ import annotations

import pytest

from conftest import SHARED

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'budgetdoc[web,corpus]')")
pytest.importorskip("httpx", reason="httpx is not installed (pip install 'budgetdoc[webtest]')")

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from budgetdoc.serve import accounts  # noqa: E402
from budgetdoc.serve.app import create_app, wrap  # noqa: E402
from budgetdoc.serve.config import MB, Limits, Settings  # noqa: E402
from budgetdoc.store.schema import CheckRun, Document, FindingRow, WebJob  # noqa: E402
from test_serve_security import PASSWORD, process, signed_in, upload  # noqa: E402

JS = SHARED / "real" / "jiangsu"
NARRATIVE = JS / "jiangsu-province-2019-dept-budget-partyoffice.narrative.pdf"
TABLES = JS / "jiangsu-province-2019-dept-budget-partyoffice.tables.pdf"
OTHER = JS / "jiangsu-province-2019-dept-budget-npcoffice.tables.pdf"
pytestmark = pytest.mark.skipif(not NARRATIVE.exists(), reason="shared/real/jiangsu not present")

REGISTER = "代码,名称,上级代码,别名\nJS01,中共江苏省委办公厅,,江苏省委办公厅\nB,示例市测绘中心,,\n"


@pytest.fixture()
def site(tmp_path):
    settings = Settings(db=f"sqlite:///{tmp_path / 'web.db'}", files=str(tmp_path / "files"), workers=0,
                        limits=Limits(file_bytes=2 * MB, request_bytes=8 * MB, pages=50))
    app = create_app(settings)
    (tmp_path / "orgs.csv").write_text(REGISTER, "utf-8")
    app.state.store.import_orgs(str(tmp_path / "orgs.csv"))
    for name, role, unit in (("rev", "reviewer", None), ("js", "unit", "JS01"), ("ub", "unit", "B")):
        accounts.add_user(app.state.store.engine, name, role, PASSWORD, unit)
    with TestClient(wrap(app, settings), base_url="http://127.0.0.1") as client:
        yield app, client


def _pair(client, who: str, *extra) -> list[dict]:
    csrf = signed_in(client, who)
    r = upload(client, csrf, ("省委办公厅预算-情况说明.pdf", NARRATIVE.read_bytes()),
               ("省委办公厅预算-公开表.pdf", TABLES.read_bytes()), *extra)
    assert r.status_code == 303, r.text
    return r.headers["location"]


def _jobs(client, batch: str) -> list[dict]:
    return client.get("/api" + batch).json()["jobs"]


def test_a_batch_of_the_narrative_and_the_tables_is_one_document(site):
    app, client = site
    batch = _pair(client, "js", ("人大预算-公开表.pdf", OTHER.read_bytes()))
    process(app)
    jobs = _jobs(client, batch)
    assert [j["state"] for j in jobs] == ["done"] * 3
    narrative, tables, other = jobs
    # the two files of the document lead to one document, each saying what it was checked with
    assert narrative["document_id"] == tables["document_id"] is not None
    assert "与同批上传的 省委办公厅预算-公开表.pdf 合为一份文档检查" in narrative["message"]
    assert "与同批上传的 省委办公厅预算-情况说明.pdf 合为一份文档检查" in tables["message"]
    # the other publisher's file of tables is its own (held: not this unit's)
    assert other["document_id"] != narrative["document_id"] and "不是本单位" in other["message"]
    with Session(app.state.store.engine) as s:
        d = s.get(Document, narrative["document_id"])
        assert d.suffix == ".parts" and d.held is None and d.org_id is not None and d.uploader == "JS01"
        assert (d.publisher, d.year, d.kind) == ("中共江苏省委办公厅", 2019, "预算")
        run = s.scalar(select(CheckRun).where(CheckRun.document_id == d.id))
        errors = list(s.scalars(select(FindingRow.rule).where(FindingRow.run_id == run.id,
                                                               FindingRow.severity == "error")))
        # no document of the narrative alone, none of the tables alone
        assert s.scalar(select(Document).where(Document.suffix == ".pdf", Document.publisher == d.publisher)) is None
        sha = d.sha256
    # no table is “missing”: the document's one error is its real one (“增长30%” for 29.15%)
    assert errors == ["NAR003"] and tables["result"]["errors"] == 1
    page = client.get(f"/documents/{narrative['document_id']}").text
    assert "省委办公厅预算-情况说明.pdf" in page and "省委办公厅预算-公开表.pdf" in page
    report = client.get(f"/documents/{narrative['document_id']}/report")
    assert report.status_code == 200
    html = report.text
    assert "由 2 个文件合为一份文档" in html and "省委办公厅预算-情况说明.pdf（情况说明" in html
    assert "省委办公厅预算-公开表.pdf（公开表" in html
    # the stored names (hashes) are not shown: each file by its upload name
    # its 整改通知: the error with its crop, from the file it is in
    from budgetdoc.serve import notice

    n = notice.collect(app.state.store.engine, "JS01", "中共江苏省委办公厅", issuer="江苏省财政厅", due_days=20)
    assert [(it.rule, len(it.crops)) for it in n.items] == [("NAR003", 1)]
    with Session(app.state.store.engine) as s:
        uploaded = list(s.scalars(select(WebJob.sha256).where(WebJob.sha256.is_not(None))))
    assert len(uploaded) == 3 and not any(h in html for h in [sha, *uploaded]) and ".parts" not in html


def test_a_pair_of_another_publisher_is_held_whole(site):
    app, client = site
    batch = _pair(client, "ub")
    process(app)
    jobs = _jobs(client, batch)
    assert [j["state"] for j in jobs] == ["done", "done"]
    assert jobs[0]["document_id"] == jobs[1]["document_id"] is not None
    assert all("不是本单位" in j["message"] for j in jobs)
    with Session(app.state.store.engine) as s:
        docs = list(s.scalars(select(Document)))
        assert len(docs) == 1 and docs[0].held and docs[0].org_id is None and docs[0].uploader == "B"
    held = jobs[0]["document_id"]
    page = client.get(f"/documents/{held}").text
    assert "待核实" in page and "省委办公厅预算-公开表.pdf" in page
    signed_in(client, "js")  # filed under no unit: the publisher's user does not see B's upload
    assert client.get(f"/documents/{held}").status_code == 404
    signed_in(client, "rev")
    page = client.get(f"/documents/{held}").text
    assert "待核实的上传" in page and f'action="/documents/{held}/hold"' in page
