"""The corpus store (budgetdoc.store) on a real SQLite file: ingest by content hash, the register of
units and matching, interrupted runs, review decisions across reruns and rule changes, the findings
register, the CLI's one-sentence failures. test_store_pg.py runs the same scenarios on PostgreSQL."""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import os
import subprocess
import sys
import traceback
import zlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import SAMPLES, SEED, SEEDS, SHARED, needs_seeds

pytest.importorskip("sqlalchemy", reason="the corpus extra is not installed (pip install -e '.[corpus]')")
pytest.importorskip("alembic", reason="the corpus extra is not installed (pip install -e '.[corpus]')")

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from budgetdoc.store import Store  # noqa: E402
from budgetdoc.store import core as store_core  # noqa: E402
from budgetdoc.store.schema import (  # noqa: E402
    Blob,
    CheckRun,
    Document,
    DocumentPath,
    FindingRow,
    Organisation,
    Review,
)

SHARED_DIRS = [d for d in (SHARED / "seeds", SHARED / "samples", SHARED / "real") if d.is_dir()]
needs_shared = pytest.mark.skipif(not SHARED_DIRS, reason="../shared (seeds, samples, real) not present")


def sqlite_url(tmp_path: Path, name: str = "corpus.db") -> str:
    return str(tmp_path / name)


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table by its natural keys (no ids, no times): what two runs or two databases
    must agree on."""
    with Session(store.engine) as s:
        docs = {d.id: d.sha256 for d in s.scalars(select(Document))}
        orgs = {o.id: o.code for o in s.scalars(select(Organisation))}
        runs = {r.id: (docs[r.document_id], r.budgetdoc_version, r.ruleset) for r in s.scalars(select(CheckRun))}
        return {
            "blob": sorted((b.sha256, b.size, hashlib.sha256(zlib.decompress(b.data)).hexdigest())
                           for b in s.scalars(select(Blob))),
            "organisation": sorted((o.code, o.name, o.parent_code or "", o.aliases)
                                   for o in s.scalars(select(Organisation))),
            "document": sorted((d.sha256, d.suffix, d.size, d.status, d.error or "", d.publisher or "", d.scope or "",
                                d.kind or "", d.year or 0, d.identity_key, d.model_json or "", d.read_version,
                                orgs.get(d.org_id, "") if d.org_id else "", d.match_kind or "", d.match_note or "")
                               for d in s.scalars(select(Document))),
            "document_path": sorted((docs[p.document_id], p.path) for p in s.scalars(select(DocumentPath))),
            "check_run": sorted((*runs[r.id], r.errors, r.warnings, r.infos, r.n_new, r.n_open, r.n_fixed,
                                 r.n_dismissed) for r in s.scalars(select(CheckRun))),
            "finding": sorted((*runs[f.run_id], f.fingerprint, f.rule, f.severity, f.message, f.page or 0, f.line or 0,
                               f.table_key or "", f.row_key or "", f.part or "", f.column_id or "",
                               f.expected or "", f.actual or "", f.location_json, f.related_json)
                              for f in s.scalars(select(FindingRow))),
            "review": sorted((r.fingerprint, r.decision, r.reason, r.reviewer) for r in s.scalars(select(Review))),
        }


# ------------------------------------------------------------------ scenarios (run on SQLite here, on
# PostgreSQL by test_store_pg.py)


def scenario_ingest_twice(url: str, first: list | None = None) -> Store:
    """All of ../shared twice: the same rows; each file's bytes stored once under their hash. ``first``:
    the outcomes of the first ingest when ``url`` already holds it."""
    store = Store(url)
    if first is None:
        first = store.ingest([str(d) for d in SHARED_DIRS])
    assert first, "nothing collected"
    usable = [o for o in first if o.usable]
    assert usable and all(o.state == "stored" for o in usable)
    for o in first:
        if o.sha256:  # a document published as two files (Jiangsu's) is stored as their container
            data = (store_core.container(tuple(o.path.split(" + "))) if " + " in o.path
                    else Path(o.path).read_bytes())
            assert o.sha256 == hashlib.sha256(data).hexdigest()
    unusable = [o for o in first if not o.usable]
    for o in unusable:  # the READMEs: each with its one sentence
        assert o.message and "\n" not in o.message
    before_counts, before = store.counts(), snapshot(store)
    assert before_counts["document"] == len(first)
    assert before_counts["blob"] == len({o.sha256 for o in usable})
    assert before_counts["check_run"] == len(usable)
    # each run's findings are new, still open (another reading of the same document had them) or dismissed
    assert before_counts["finding"] == sum(o.new + o.open + o.dismissed for o in usable) > 0
    readings = [o for o in usable if o.reading_of is not None]
    with Session(store.engine) as s:  # two readings of one document (one PDF, two extractors) are one document
        current = set(store_core.current_ids(s))
        for o in readings:
            group = [d for d in s.scalars(select(Document).where(Document.identity_key == o.identity))]
            assert len([d for d in group if d.id in current]) == 1
            assert not o.new and not o.fixed, o  # nothing of the other reading is new or fixed
    second = store.ingest([str(d) for d in SHARED_DIRS])
    assert [o.state for o in second] == ["unchanged" if o.usable else "unusable" for o in first]
    assert store.counts() == before_counts
    assert snapshot(store) == before
    with Session(store.engine) as s:
        for d in s.scalars(select(Document).where(Document.status == "ok")):
            blob = s.get(Blob, d.sha256)
            assert blob is not None and hashlib.sha256(zlib.decompress(blob.data)).hexdigest() == d.sha256
    return store


def scenario_interrupted(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure inside the second document's transaction: the first stays, nothing of the second is
    written, a rerun completes; a Ctrl-C while reading the third: the same."""
    files = [str(SEED[k]) for k in ("000", "001", "003")]
    real = store_core.fingerprints
    calls = {"n": 0}

    def failing(*a, **kw):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("the machine went away")
        return real(*a, **kw)

    store = Store(url)
    monkeypatch.setattr(store_core, "fingerprints", failing)
    with pytest.raises(RuntimeError):
        store.ingest(files)
    c = store.counts()
    assert (c["document"], c["blob"], c["check_run"], c["document_path"]) == (1, 1, 1, 1)
    with Session(store.engine) as s:
        assert s.scalar(select(Document.sha256)) == hashlib.sha256(Path(files[0]).read_bytes()).hexdigest()
    monkeypatch.setattr(store_core, "fingerprints", real)

    from budgetdoc import pipeline

    real_run = pipeline.run

    def interrupted(path, *a, **kw):
        if path == files[2]:
            raise KeyboardInterrupt
        return real_run(path, *a, **kw)

    monkeypatch.setattr(pipeline, "run", interrupted)
    with pytest.raises(KeyboardInterrupt):
        store.ingest(files)
    assert store.counts()["document"] == 2
    monkeypatch.setattr(pipeline, "run", real_run)
    out = store.ingest(files)
    assert [o.state for o in out] == ["unchanged", "unchanged", "stored"]
    c = store.counts()
    assert (c["document"], c["blob"], c["check_run"]) == (3, 3, 3)
    fresh = Store(sqlite_url(tmp_path, "fresh.db"))
    fresh.ingest(files)
    assert snapshot(fresh)["finding"] == snapshot(store)["finding"]  # the rerun stored all a clean run does


def scenario_review(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Decisions survive a rerun by another rule set (wording of messages changed too) and a new version
    of the document; the rerun counts new / still open / fixed / dismissed."""
    from budgetdoc import pipeline
    from conftest import variant

    store_a = Store(url, ruleset="rules-A")
    bad = variant(tmp_path, "000", "2023 年度收、支总计1,466.86万元", "2022 年度收、支总计1,466.86万元")
    (o,) = store_a.ingest([str(bad)])
    assert o.state == "stored" and o.new > 2
    rows = store_a.findings()
    fps = [r["fingerprint"] for r in rows]
    assert len(fps) == len(set(fps)) == o.new
    dismissed, confirmed = fps[0], fps[1]
    assert store_a.review([dismissed[:8]], "dismissed", "口径不同，不是问题", "张三") == [dismissed]
    store_a.review([confirmed], "confirmed", "确有错误", "李四")

    real_run = pipeline.run

    def reworded(path, *a, **kw):  # an upgrade that rephrases every message
        doc, rep = real_run(path, *a, **kw)
        rep.findings = [f.model_copy(update={"message": "（新措辞）" + f.message}) for f in rep.findings]
        return doc, rep

    monkeypatch.setattr(pipeline, "run", reworded)
    store_b = Store(url, ruleset="rules-B")
    (r,) = store_b.recheck()
    assert r.state == "rechecked"
    assert (r.new, r.fixed, r.dismissed, r.open) == (0, 0, 1, o.new - 1)
    (again,) = store_b.recheck()  # nothing to do: the same budgetdoc and rule set have checked it
    assert again.state == "unchanged" and (again.dismissed, again.open) == (1, o.new - 1)
    state = {x["fingerprint"]: x for x in store_b.findings()}
    assert set(state) == set(fps)
    assert state[dismissed]["review"] == "已排除" and state[dismissed]["reviewer"] == "张三"
    assert state[confirmed]["review"] == "已确认"
    assert state[fps[2]]["review"] == "待审核"
    assert state[fps[2]]["message"].startswith("（新措辞）")
    monkeypatch.setattr(pipeline, "run", real_run)

    # the publisher fixes the document: a new version (other bytes, same identity)
    fixed_doc = SEED["000"]
    _, rep = real_run(str(fixed_doc))
    from budgetdoc.store import fingerprints, identity_key

    with Session(store_b.engine) as s:
        key = s.scalar(select(Document.identity_key))
    after = set(fingerprints(rep.findings, pipeline.load(str(fixed_doc)), key))
    assert key == identity_key(rep.document)
    gone, came, kept = set(fps) - after, after - set(fps), set(fps) & after
    assert gone, "the injected year should have been found"
    (n,) = store_b.ingest([str(fixed_doc)])
    assert n.state == "new-version"
    assert n.fixed == len(gone)
    assert n.new == len(came - {dismissed})
    assert n.open + n.dismissed == len(kept)
    assert n.dismissed == (1 if dismissed in after else 0)
    assert {x["fingerprint"] for x in store_b.findings()} == after  # the register: the newest version


def scenario_register(url: str, tmp_path: Path) -> None:
    """Every finding of the corpus once, in XLSX (filter, frozen header) and CSV (UTF-8 with BOM)."""
    openpyxl = pytest.importorskip("openpyxl")
    from budgetdoc.store.export import REGISTER_COLUMNS, write_register

    store = Store(url)
    store.ingest([str(SEEDS)])
    with Session(store.engine) as s:
        latest = {}
        for r in s.scalars(select(CheckRun).order_by(CheckRun.id)):
            latest[r.document_id] = r.id
        expected = set(s.scalars(select(FindingRow.fingerprint).where(FindingRow.run_id.in_(latest.values()))))
    rows = store.findings()
    assert len(rows) == len(expected) > 0 and {r["fingerprint"] for r in rows} == expected
    xlsx, csv_path = tmp_path / "register.xlsx", tmp_path / "register.csv"
    write_register(rows, str(xlsx))
    write_register(rows, str(csv_path))
    wb = openpyxl.load_workbook(xlsx)
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert header == [label for _, label in REGISTER_COLUMNS]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    data = list(ws.iter_rows(min_row=2, values_only=True))
    fp_col = header.index("指纹")
    assert sorted(r[fp_col] for r in data) == sorted(expected)
    assert {r[header.index("审核状态")] for r in data} == {"待审核"}
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh))
    assert lines[0] == header
    assert sorted(r[fp_col] for r in lines[1:]) == sorted(expected)
    messages = {r["message"] for r in rows}
    assert {r[header.index("问题")] for r in lines[1:]} == messages


# ------------------------------------------------------------------ SQLite


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory) -> tuple[Path, list]:
    """All of ../shared ingested once into an SQLite file (tests work on copies of it)."""
    if not SHARED_DIRS:
        pytest.skip("../shared (seeds, samples, real) not present")
    path = tmp_path_factory.mktemp("shared") / "corpus.db"
    with Store(str(path)) as store:
        first = store.ingest([str(d) for d in SHARED_DIRS])
    return path, first


def copy_of(db: Path, tmp_path: Path) -> str:
    out = tmp_path / "copy.db"
    out.write_bytes(db.read_bytes())  # the store closed: its WAL is checkpointed into the file
    return str(out)


@needs_shared
def test_ingesting_shared_twice_leaves_the_same_rows(tmp_path, shared_store):
    db, first = shared_store
    scenario_ingest_twice(copy_of(db, tmp_path), first)


@needs_seeds
def test_interrupted_ingest_keeps_what_was_stored_and_a_rerun_completes(tmp_path, monkeypatch):
    scenario_interrupted(sqlite_url(tmp_path), tmp_path, monkeypatch)


@needs_seeds
def test_review_decisions_survive_a_rerun_a_rule_change_and_a_new_version(tmp_path, monkeypatch):
    scenario_review(sqlite_url(tmp_path), tmp_path, monkeypatch)


@needs_seeds
def test_register_lists_every_finding_once(tmp_path):
    scenario_register(sqlite_url(tmp_path), tmp_path)


def register_csv(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "name", "parent department code", "aliases"])
        w.writerows(rows)
    return path


@needs_shared
def test_every_document_is_matched_to_a_unit_or_listed(tmp_path, shared_store):
    store = Store(copy_of(shared_store[0], tmp_path))
    with Session(store.engine) as s:
        docs = list(s.scalars(select(Document).where(Document.status == "ok")))
        scopes: dict[str, str | None] = {}
        for d in sorted(docs, key=lambda d: (d.publisher or "", d.scope or "")):  # a scope not read is None
            if d.publisher and scopes.get(d.publisher) is None:
                scopes[d.publisher] = d.scope
        publishers = sorted(scopes.items())  # one entry per name: the register has names, not scopes
    assert len(publishers) >= 3
    # a register of the publishers: the first under another name with the publisher as an alias, the
    # second spelt with one character less (close), the third twice (ambiguous), the last left out
    entries: list[tuple[str, str, str, str]] = [("D1", "示例区财政局", "", "")]
    want: dict[str, str] = {}
    for i, (name, scope) in enumerate(publishers):
        parent = "" if scope == "部门" else "D1"
        code = f"U{i:03d}"
        if i == 0:
            entries.append((code, "另一个名称的单位", parent, f"{name}；旧称"))
            want[name] = "alias"
        elif i == 1 and len(name) >= 12:
            entries.append((code, name[:5] + name[6:], parent, ""))
            want[name] = "close"
        elif i == 2:
            entries.append((code, name, parent, ""))
            entries.append((code + "b", name, parent, ""))
            want[name] = "ambiguous"
        elif i == len(publishers) - 1:
            want[name] = "none"
        else:
            entries.append((code, name, parent, ""))
            want[name] = "exact"
    res = store.import_orgs(str(register_csv(tmp_path / "orgs.csv", entries)))
    assert res.organisations == len(entries)
    st = store.status()
    listed = {u["publisher"]: u["match"] for u in st["unmatched"]}
    matched = {m["publisher"]: m["match"] for m in st["matched"]}
    with Session(store.engine) as s:
        latest = {d.publisher for d in s.scalars(select(Document).where(Document.status == "ok"))}
    for name in latest - {None}:
        assert (name in listed) != (name in matched), name  # matched or listed, never both, never neither
    for name, kind in want.items():
        got = matched.get(name) or listed.get(name)
        assert got == kind, (name, got, kind)
    # status: one row per unit, year and kind; a unit without its document is 未公开
    assert st["rows"] and all(r["published"] in (True, False) for r in st["rows"])
    assert any(r["published"] for r in st["rows"]) and any(not r["published"] for r in st["rows"])
    # a document ingested after the import is matched at once
    fresh = tmp_path / "copy.txt"
    fresh.write_bytes(SEED["003"].read_bytes() + b"\n")
    (o,) = store.ingest([str(fresh)])
    assert o.match in ("exact", "alias", "close", "none", "ambiguous")


def test_register_file_errors_are_one_sentence(tmp_path):
    from budgetdoc.errors import InputError
    from budgetdoc.store.orgs import read_register

    bad = [
        ("missing.csv", None),
        ("orgs.txt", b"code,name\n1,a\n"),
        ("empty.csv", b""),
        ("noname.csv", b"code,name\n1,\n"),
        ("dup.csv", "code,name\n1,甲\n1,乙\n".encode()),
        ("parent.csv", "code,name,parent\n1,甲,9\n".encode()),
        ("binary.xlsx", os.urandom(2000)),
    ]
    for name, data in bad:
        p = tmp_path / name
        if data is not None:
            p.write_bytes(data)
        with pytest.raises(InputError) as e:
            read_register(str(p))
        assert "\n" not in str(e.value) and str(e.value)
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("代码,名称,上级代码,别名\n1,甲局,,甲、甲局本级\n2,乙所,1,\n".encode("gb18030"))
    rows = read_register(str(gbk))
    assert [(r.code, r.name, r.parent, r.aliases) for r in rows] == [
        ("1", "甲局", None, ("甲", "甲局本级")), ("2", "乙所", "1", ())]


def test_identity_of_a_document_without_its_publisher_is_its_bytes():
    from budgetdoc.model import Identity
    from budgetdoc.store import identity_key

    known = Identity(publisher="武汉市 社会保险中心", scope="单位", kind="决算", year=2022)
    assert identity_key(known, "ab" * 32) == identity_key(known.model_copy(update={"publisher": "武汉市社会保险中心"}))
    anonymous = Identity(scope="单位", kind="决算", year=2022)
    assert identity_key(anonymous, "ab" * 32) != identity_key(anonymous, "cd" * 32)


def test_migrations_create_exactly_the_models(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from budgetdoc.store.schema import Base

    store = Store(sqlite_url(tmp_path))
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    Store(sqlite_url(tmp_path)).close()  # opening again: migrations are a no-op


@needs_seeds
def test_fingerprints_do_not_move_with_the_lines(tmp_path):
    """Lines added above every finding change pages' line numbers, not the fingerprints."""
    from budgetdoc.pipeline import run
    from budgetdoc.store import fingerprints, identity_key

    shifted = tmp_path / "shifted.txt"
    shifted.write_text("\n\n\n" + SEED["000"].read_text("utf-8"), "utf-8")
    out = []
    for p in (SEED["000"], shifted):
        doc, rep = run(str(p))
        out.append(fingerprints(rep.findings, doc, identity_key(doc.identity)))
    assert out[0] and sorted(out[0]) == sorted(out[1])
    lines = [f.location.line for f in run(str(SEED["000"]))[1].findings if f.location.line]
    assert lines  # the findings are on lines, so the test does shift them


# ------------------------------------------------------------------ the commands


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def cli(*args: str, env: dict[str, str] | None = None) -> Ran:
    """The command in this process (click's runner; an exception that is not an exit shows as a
    traceback in stderr, so the checks below see it)."""
    from click.testing import CliRunner

    from budgetdoc.cli import cli as group

    r = CliRunner().invoke(group, list(args), env=env)
    err = r.stderr
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        err += "Traceback (in process): " + "".join(traceback.format_exception(r.exception))
    return Ran(r.exit_code, r.stdout, err)


def cli_process(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "budgetdoc", *args], capture_output=True, text=True,
                          timeout=600, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def one_sentence(p: Ran | subprocess.CompletedProcess) -> str:
    assert p.returncode == 2, (p.returncode, p.stdout, p.stderr)
    assert "Traceback" not in p.stderr
    lines = [ln for ln in p.stderr.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("budgetdoc: "), p.stderr
    return lines[0]


@needs_seeds
def test_commands_end_to_end(tmp_path):
    db = str(tmp_path / "c.db")
    p = cli_process("ingest", str(SEED["000"]), str(SEED["003"]), "--db", db, "--format", "json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["summary"]["stored"] == 2 and out["summary"]["new"] > 0
    orgs = register_csv(tmp_path / "orgs.csv", [("D", "武汉市人力资源和社会保障局", "", ""),
                                                ("U1", "武汉市人力资源和社会保障信息中心", "D", ""),
                                                ("U2", "武汉市社会保险中心", "D", "社保中心")])
    p = cli("org", "import", str(orgs), "--db", db)
    assert p.returncode == 0 and "名称一致 2 份" in p.stdout, p.stdout + p.stderr
    p = cli("status", "--db", db, "--format", "json")
    st = json.loads(p.stdout)
    rows = {(r["code"], r["year"], r["kind"]): r for r in st["rows"]}
    assert rows[("U1", 2023, "决算")]["published"] and not rows[("U1", 2023, "预算")]["published"]
    assert not rows[("D", 2023, "决算")]["published"]
    p = cli("status", "--db", db, "--year", "2023", "--kind", "决算")
    assert p.returncode == 0 and "部门" in p.stdout and "已公开" in p.stdout
    p = cli("register", "-o", str(tmp_path / "r.csv"), "--db", db)
    assert p.returncode == 0, p.stderr
    with open(tmp_path / "r.csv", encoding="utf-8-sig") as fh:
        reg = list(csv.DictReader(fh))
    assert reg and {r["部门"] for r in reg} == {"武汉市人力资源和社会保障局"}
    fp = reg[0]["指纹"]
    p = cli("review", fp, "--dismiss", "--reason", "说明口径", "--reviewer", "王五", "--db", db)
    assert p.returncode == 0 and fp in p.stdout, p.stderr
    p = cli("check", "--db", db, "--department", "D", "--format", "json")
    assert p.returncode in (0, 1), p.stderr
    out = json.loads(p.stdout)
    assert out["summary"]["dismissed"] == 1 and out["summary"]["unchanged"] == 2
    p = cli("register", "-o", str(tmp_path / "r.xlsx"), "--db", db)
    assert p.returncode == 0, p.stderr
    # BUDGETDOC_DB names the store when --db is not given
    p = cli("status", "--format", "json", env={"BUDGETDOC_DB": db})
    assert p.returncode == 0 and json.loads(p.stdout)["organisations"] == 3


@needs_seeds
def test_bad_inputs_get_one_sentence(tmp_path):
    db = str(tmp_path / "c.db")
    notdb = tmp_path / "not.db"
    notdb.write_text("这不是数据库\n" * 100, "utf-8")
    one_sentence(cli_process("status", "--db", str(tmp_path / "missing.db")))
    one_sentence(cli("status", "--db", str(notdb)))
    one_sentence(cli("status", "--db", "postgresql://nobody:pw@127.0.0.1:1/none"))
    one_sentence(cli("status", "--db", "nosuchdialect://x"))
    one_sentence(cli("ingest", str(tmp_path / "missing.txt"), "--db", db))
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 50)
    p = cli("ingest", str(binary), str(SEED["003"]), "--db", db)  # the bad file never stops the good one
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert "新文件 1 份" in p.stdout and "无法使用 1 份" in p.stdout
    one_sentence(cli("review", "0123456789", "--dismiss", "--reason", "x", "--reviewer", "y", "--db", db))
    one_sentence(cli("review", "zz", "--dismiss", "--reason", "x", "--reviewer", "y", "--db", db))
    one_sentence(cli("review", "0123456789", "--reason", "x", "--reviewer", "y", "--db", db))
    one_sentence(cli("register", "-o", str(tmp_path / "r.pdf"), "--db", db))
    one_sentence(cli("register", "-o", str(tmp_path / "no" / "r.csv"), "--db", db))
    one_sentence(cli("org", "import", str(binary), "--db", db))
    one_sentence(cli("check", "--db", db, "--department", "没有这个部门"))
    one_sentence(cli("check", str(SEED["003"]), "--db", db))
    one_sentence(cli("check"))
    assert binary.read_bytes() == bytes(range(256)) * 50  # inputs are only read


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared/samples not present")
def test_stored_documents_are_the_hook_for_cross_document_rules(tmp_path):
    """Store.disclosures(): the stored models of a year (the input of budgetdoc.corpus rules)."""
    store = Store(sqlite_url(tmp_path))
    store.ingest([str(SAMPLES)])
    docs = store.disclosures(year=2024)
    assert docs and all(d.identity.year == 2024 and d.tables for d in docs)
    assert {d.source for d in docs} <= {str(p) for p in SAMPLES.iterdir()}
    again = store.read_again(hashlib.sha256(Path(docs[0].source).read_bytes()).hexdigest())
    assert again.lines() and again.source == docs[0].source
    assert (again.identity.publisher, again.identity.kind, again.identity.year) == (
        docs[0].identity.publisher, docs[0].identity.kind, docs[0].identity.year)


KILLER = """
import os, signal, sys
from budgetdoc.store import core
real = core.fingerprints
calls = []
def dying(*a, **kw):
    calls.append(1)
    if len(calls) == 2:  # inside the second document's open write transaction
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*a, **kw)
core.fingerprints = dying
sys.argv = ["budgetdoc", *sys.argv[1:]]
from budgetdoc.cli import main
main()
"""


@needs_seeds
def test_a_killed_ingest_keeps_the_first_document_and_a_rerun_completes(tmp_path):
    db = str(tmp_path / "c.db")
    files = [str(SEED[k]) for k in ("000", "001", "003")]
    p = subprocess.run([sys.executable, "-c", KILLER, "ingest", *files, "--db", db], capture_output=True,
                       text=True, timeout=600)
    assert p.returncode == -9, (p.returncode, p.stderr)
    store = Store(db)
    c = store.counts()
    assert (c["document"], c["blob"], c["check_run"], c["document_path"]) == (1, 1, 1, 1)
    first = c["finding"]
    out = store.ingest(files)
    assert [o.state for o in out] == ["unchanged", "stored", "stored"]
    c = store.counts()
    assert (c["document"], c["blob"], c["check_run"]) == (3, 3, 3) and c["finding"] > first


@needs_seeds
def test_stored_documents_feed_the_cross_document_rules(tmp_path):
    """The hook for budgetdoc.corpus: the stored models and the register's members."""
    corpus = pytest.importorskip("budgetdoc.corpus")
    store = Store(sqlite_url(tmp_path))
    store.ingest([str(SEED["000"]), str(SEED["002"])])
    store.import_orgs(str(register_csv(tmp_path / "orgs.csv", [
        ("D", "武汉市人力资源和社会保障局", "", ""), ("U1", "武汉市人力资源和社会保障信息中心", "D", "")])))
    assert store.members() == {"武汉市人力资源和社会保障局": ["武汉市人力资源和社会保障信息中心"]}
    docs = store.disclosures()
    assert [(d.identity.kind, d.identity.year) for d in docs] == [("决算", 2023), ("预算", 2026)]
    findings = corpus.check_together(docs, members=store.members())
    assert all(f.location.file in {d.source for d in docs} for f in findings)


CITYMGMT = SHARED / "real" / "shanghai-putuo-2026-dept-budget-citymgmt.txt"


@pytest.mark.skipif(not CITYMGMT.exists(), reason="../shared/real (the citymgmt text) not present")
def test_two_readings_of_one_document_are_one_document_and_the_better_counts(tmp_path):
    """The citymgmt text and its cell-per-line extraction, and a worse reading of it (one row printing one
    amount too many: a table left uncertain), in every order: one document of the identity counts — the
    better reading — and the other readings are neither versions nor their findings fixed."""
    cellperline = CITYMGMT.with_name(CITYMGMT.stem + ".cellperline.txt")
    text = CITYMGMT.read_text("utf-8")
    row = "212 城乡社区支出 33,775,592 22,783,399 10,992,193\n"
    assert row in text
    worse = tmp_path / "citymgmt-worse.txt"
    worse.write_text(text.replace(row, row.rstrip("\n") + " 77\n", 1), "utf-8")
    sha = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (CITYMGMT, cellperline, worse)}
    orders = list(itertools.permutations((CITYMGMT, cellperline, worse)))
    counted = set()
    for n, order in enumerate(orders):
        store = Store(sqlite_url(tmp_path, f"order{n}.db"))
        out = store.ingest([str(p) for p in order])
        assert [o.state for o in out] == ["stored"] * len(order), out
        assert all(o.reading_of is not None for o in out[1:]) and not any(o.fixed for o in out)
        with Session(store.engine) as s:
            (current,) = store_core.current_ids(s)
            counted.add(s.get(Document, current).sha256)
        assert sha[worse] not in counted
        st = store.status()
        assert len(st["unmatched"]) == 1  # one document of the identity, not one per reading
        store.close()
    assert len(counted) == 1  # whatever the order: the same reading counts (the two real ones tie)


def test_the_register_takes_its_documented_headers_and_refuses_an_unknown_column(tmp_path):
    from budgetdoc.errors import InputError
    from budgetdoc.store.orgs import read_register

    good = tmp_path / "documented.csv"  # the header `org import -h` documents
    good.write_text("代码,名称,上级部门代码,别名\nD,甲局,,\nU1,甲局信息中心,D,信息中心\n", "utf-8")
    assert [(e.code, e.parent) for e in read_register(str(good))] == [("D", None), ("U1", "D")]
    bad = tmp_path / "typo.csv"
    bad.write_text("代码,名称,上级部门编号,别名\nD,甲局,,\nU1,甲局信息中心,D,\n", "utf-8")
    with pytest.raises(InputError) as e:
        read_register(str(bad))
    assert "上级部门编号" in str(e.value) and "\n" not in str(e.value)
    res = subprocess.run([sys.executable, "-m", "budgetdoc", "org", "import", str(bad), "--db",
                          str(tmp_path / "r.db")], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")})
    assert res.returncode == 2 and res.stderr.count("\n") == 1 and "Traceback" not in res.stderr


def _department_of_seed(tmp_path: Path, name: str, change) -> Path:
    """The 2026 单位预算 of 信息中心 as the 部门预算 of its bureau (its only unit), amounts changed by
    ``change``."""
    text = SEED["002"].read_text("utf-8")
    out = tmp_path / name
    out.write_text(change(text.replace("武汉市人力资源和社会保障信息中心", "武汉市人力资源和社会保障局")
                          .replace("单位预算", "部门预算")), "utf-8")
    return out


@needs_seeds
def test_cross_findings_are_kept_reviewed_and_in_the_register_and_a_flood_is_said_once(tmp_path):
    import re

    from budgetdoc.store.cross import check_across
    from budgetdoc.store.schema import CrossFinding

    # 1.00 moved from one 项 to the other of 21011 in the department's 表5-1: its own sums still hold (a cell
    # failing its own table's identities is never compared across documents), its two rows differ from the unit's
    a, b = "2101102\t事业单位医疗\t56.93\t56.93\t56.93", "2101199\t其他行政事业单位医疗支出\t56.79\t56.79\t56.79"
    one = _department_of_seed(tmp_path, "dept-one.txt", lambda t: t.replace(a, a.replace("56.93", "57.93"), 1)
                              .replace(b, b.replace("56.79", "55.79"), 1))
    reg = tmp_path / "orgs.csv"
    reg.write_text("代码,名称,上级部门代码,别名\nWH,武汉市人力资源和社会保障局,,\n"
                   "WH01,武汉市人力资源和社会保障信息中心,WH,\n", "utf-8")
    store = Store(sqlite_url(tmp_path))
    store.ingest([str(SEED["002"]), str(one)])
    store.import_orgs(str(reg))
    first = check_across(store)
    assert [c["finding"].rule for c in first] == ["XDC004"] * 6 and all(c["finding"].severity == "error" for c in first)
    assert {c["department_code"] for c in first} == {"WH"}
    again = check_across(store)  # the same fingerprints, the same rows
    assert [c["fingerprint"] for c in again] == [c["fingerprint"] for c in first]
    assert store.counts()["cross_finding"] == 6
    fp = first[0]["fingerprint"]
    assert store.review([fp[:8]], "dismissed", "部门本级另有支出", "张三") == [fp]
    reg_rows = {r["fingerprint"]: r for r in store.findings()}
    assert {c["fingerprint"] for c in first} <= set(reg_rows)
    assert reg_rows[fp]["review"] == "已排除" and reg_rows[fp]["rule"] == "XDC004"
    assert reg_rows[fp]["department"] == "武汉市人力资源和社会保障局"
    assert store.open_fingerprints([c["fingerprint"] for c in first]) == {c["fingerprint"] for c in first[1:]}

    # every amount of the department twice its unit's: the register is missing units — said once
    doubled = _department_of_seed(tmp_path, "dept-double.txt", lambda t: re.sub(
        r"(?<![\d.])\d{1,3}(?:,\d{3})*\.\d{2}(?!\d)", lambda m: f"{Decimal(m.group(0).replace(',', '')) * 2:,.2f}", t))
    store.ingest([str(doubled)])
    flood = check_across(store)
    assert len(flood) == 1 and flood[0]["finding"].severity == "warning" and "名录" in flood[0]["finding"].message
    with Session(store.engine) as s:
        assert s.scalar(select(func.count()).select_from(CrossFinding)) == 1  # the old ones replaced
    store.close()


@needs_seeds
def test_status_knows_when_a_document_is_due_and_which_scope_a_level_publishes(tmp_path):
    from datetime import date

    from budgetdoc.store.due import due

    reg = tmp_path / "orgs.csv"
    reg.write_text("代码,名称,上级部门代码,别名\nWH,武汉市人力资源和社会保障局,,\n"
                   "WH01,武汉市人力资源和社会保障信息中心,WH,\n", "utf-8")
    store = Store(sqlite_url(tmp_path))
    store.ingest([str(SEED["002"])])  # the 信息中心's 2026 单位预算
    store.import_orgs(str(reg))

    def row(st, code, kind):
        (r,) = [r for r in st["rows"] if r["code"] == code and r["year"] == 2026 and r["kind"] == kind]
        return r

    december = store.status(2026, on=date(2026, 12, 7))
    assert row(december, "WH01", "预算")["state"] == "已公开"
    assert row(december, "WH01", "决算")["state"] == "未到期"  # a 2026 决算 is approved in 2027
    assert row(december, "WH", "预算")["state"] == "未公开"  # the bureau's own 部门预算 is overdue
    assert row(december, "WH", "预算")["scope"] == "部门" and row(december, "WH01", "预算")["scope"] == "单位"
    assert date.fromisoformat(row(december, "WH01", "决算")["due"]) == due("决算", 2026) > date(2027, 1, 1)
    january = store.status(2026, on=date(2026, 1, 5))  # before the 2026 budgets were due
    assert row(january, "WH", "预算")["state"] == "未到期"
    late = store.status(2026, on=date(2027, 12, 31))
    assert row(late, "WH01", "决算")["state"] == "未公开"
    # a 单位 document filed under the department is not the department's 部门 document
    store.ingest([str(_department_of_seed(tmp_path, "dept.txt", lambda t: t.replace("部门预算", "单位预算")))])
    st = store.status(2026, on=date(2026, 12, 7))
    assert row(st, "WH", "预算")["state"] == "未公开"
    store.close()


@needs_seeds
def test_a_store_of_the_previous_schema_is_upgraded_keeping_its_documents(tmp_path):
    """A store made by the previous release (migration 0002) opens: its documents and reviews are kept,
    the new columns empty, the sessions (kept as plain tokens then) ended."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    from budgetdoc.store.db import MIGRATIONS

    db = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{db}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
        conn.execute(text("INSERT INTO document (sha256, suffix, size, status, identity_key, read_version, "
                          "ingested_at) VALUES ('ab', '.txt', 1, 'ok', 'x|单位|决算|2023', '0', '2026-01-01')"))
        conn.execute(text("INSERT INTO review (fingerprint, decision, reason, reviewer, decided_at) VALUES "
                          "('00ff00ff00ff00ff', 'dismissed', '口径不同', '张三', '2026-01-01')"))
        conn.execute(text("INSERT INTO web_user (name, role, password_hash, active, created_at) VALUES "
                          "('u', 'admin', 'h', 1, '2026-01-01')"))
        conn.execute(text("INSERT INTO web_session (token, user_id, csrf, created_at, seen_at) VALUES "
                          "('plain-token', 1, 'c', '2026-01-01', '2026-01-01')"))
    engine.dispose()
    store = Store(str(db))
    c = store.counts()
    assert (c["document"], c["review"], c["web_user"], c["web_session"], c["cross_finding"]) == (1, 1, 1, 0, 0)
    with Session(store.engine) as s:
        d = s.scalar(select(Document))
        assert d.held is None and d.reading_group is None and d.uploader is None
    store.ingest([str(SEED["000"])])  # and it works as a new one
    assert store.counts()["document"] == 2
    store.close()


def test_a_register_name_matches_with_or_without_its_region_and_a_close_spelling_is_never_filed():
    """普陀区城市管理行政执法局 in the register is the document's 上海市普陀区城市管理行政执法局 (region
    added); 石泉路街道 is never filed under 甘泉路街道 (one character apart), nor 财政局 under 民政局: a close
    spelling is only suggested."""
    from budgetdoc.store.orgs import FILED, Matcher, OrgEntry

    m = Matcher([OrgEntry("CG", "普陀区城市管理行政执法局", None, ()),
                 OrgEntry("GQ", "上海市普陀区人民政府甘泉路街道办事处", None, ()),
                 OrgEntry("MZ", "上海市普陀区民政局", None, ())])
    assert m.match("上海市普陀区城市管理行政执法局").kind == "region"
    assert m.match("上海市普陀区城市管理行政执法局").code == "CG"
    for name in ("上海市普陀区人民政府石泉路街道办事处", "上海市普陀区财政局"):
        got = m.match(name)
        assert got.kind not in FILED, (name, got)
    assert m.match("普陀区").kind == "none"  # a region alone is no unit
