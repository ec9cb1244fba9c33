"""The corpus store on a real PostgreSQL server: the same scenarios as on SQLite, and both databases
holding the same rows.

The server: ``$BUDGETDOC_TEST_PG`` (CI's .ci/run starts one and sets it); else, where PostgreSQL's
binaries are installed, a private cluster started here for the session (as the ``postgres`` user when
run as root) on a free port of 127.0.0.1 with a random password. Each test gets its own schema.
Skipped, with the reason, only where no server can be reached or started.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

pytest.importorskip("sqlalchemy", reason="the corpus extra is not installed (pip install -e '.[corpus]')")
pytest.importorskip("psycopg", reason="the corpus extra is not installed (pip install -e '.[corpus]')")

from sqlalchemy import create_engine, text  # noqa: E402

from budgetdoc.store import Store  # noqa: E402
from conftest import SEEDS, needs_seeds  # noqa: E402
from test_store import (  # noqa: E402
    SHARED_DIRS,
    needs_shared,
    scenario_ingest_twice,
    scenario_interrupted,
    scenario_register,
    scenario_review,
    snapshot,
    sqlite_url,
)


def _run(cmd: list[str], as_postgres: bool, **kw) -> subprocess.CompletedProcess:
    if as_postgres:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kw)


def _start_server(folder: str) -> tuple[str, list[str]]:
    """A private cluster: (URL, the command that stops it). Raises RuntimeError with the reason."""
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(x) for x in p.split("/")[-2]
                                                                           .split(".") if x.isdigit()])
    initdb = os.path.join(bins[-1], "initdb") if bins else shutil.which("initdb")
    if not initdb or not os.path.exists(initdb):
        raise RuntimeError("PostgreSQL is not installed (no initdb; CI installs Debian's postgresql)")
    bindir = os.path.dirname(initdb)
    as_postgres = os.geteuid() == 0
    if as_postgres and shutil.which("runuser") is None:
        raise RuntimeError("running as root without runuser: cannot start PostgreSQL as the postgres user")
    if as_postgres:
        shutil.chown(folder, "postgres")
    data = os.path.join(folder, "db")
    p = _run([initdb, "-D", data, "--auth-local=peer", "--auth-host=scram-sha-256", "-E", "UTF8",
              "--locale=C", "-U", "postgres"], as_postgres)
    if p.returncode:
        raise RuntimeError(f"initdb failed: {p.stderr.strip()[-300:]}")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    p = _run([os.path.join(bindir, "pg_ctl"), "-D", data, "-l", os.path.join(folder, "log"), "-w", "-t", "60",
              "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {folder}", "start"], as_postgres)
    stop = [os.path.join(bindir, "pg_ctl"), "-D", data, "-m", "fast", "stop"]
    if as_postgres:
        stop = ["runuser", "-u", "postgres", "--", *stop]
    if p.returncode:
        raise RuntimeError(f"pg_ctl start failed: {(p.stderr or p.stdout).strip()[-300:]}")
    password = secrets.token_hex(24)
    psql = [os.path.join(bindir, "psql"), "-h", folder, "-p", str(port), "-U", "postgres", "-d", "postgres",
            "-v", "ON_ERROR_STOP=1", "-q", "-c", f"CREATE ROLE budgetdoc_test LOGIN PASSWORD '{password}'",
            "-c", "CREATE DATABASE budgetdoc_test OWNER budgetdoc_test"]
    p = _run(psql, as_postgres)
    if p.returncode:
        subprocess.run(stop, capture_output=True, timeout=120)
        raise RuntimeError(f"creating the test role failed: {p.stderr.strip()[-300:]}")
    return f"postgresql+psycopg://budgetdoc_test:{password}@127.0.0.1:{port}/budgetdoc_test", stop


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    url = os.environ.get("BUDGETDOC_TEST_PG")
    if url:
        yield url
        return
    folder = tempfile.mkdtemp(prefix="budgetdoc-test-pg-")
    try:
        url, stop = _start_server(folder)
    except (RuntimeError, OSError, subprocess.SubprocessError, KeyError, LookupError) as e:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"BUDGETDOC_TEST_PG is not set and no PostgreSQL server could be started here: {e}")
    try:
        yield url
    finally:
        subprocess.run(stop, capture_output=True, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh schema of the test database for one test: the store's URL with that search_path."""
    schema = "t_" + secrets.token_hex(6)
    admin = create_engine(pg_server, pool_pre_ping=True)  # a test may have the server drop connections
    try:
        with admin.begin() as c:
            c.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as e:  # noqa: BLE001 - a server that is set but unusable is a skip with its reason
        admin.dispose()
        pytest.skip(f"the PostgreSQL server of BUDGETDOC_TEST_PG cannot be used: {type(e).__name__}: {e}")
    sep = "&" if "?" in pg_server else "?"
    yield f"{pg_server}{sep}options={quote(f'-csearch_path={schema}')}"
    with admin.begin() as c:
        c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@needs_shared
def test_postgres_ingesting_shared_twice_leaves_the_same_rows(pg_url):
    scenario_ingest_twice(pg_url).close()


@needs_seeds
def test_postgres_interrupted_ingest_keeps_what_was_stored(pg_url, tmp_path, monkeypatch):
    scenario_interrupted(pg_url, tmp_path, monkeypatch)


@needs_seeds
def test_postgres_review_decisions_survive(pg_url, tmp_path, monkeypatch):
    scenario_review(pg_url, tmp_path, monkeypatch)


@needs_seeds
def test_postgres_register_lists_every_finding_once(pg_url, tmp_path):
    scenario_register(pg_url, tmp_path)


@needs_shared
def test_sqlite_and_postgres_hold_the_same_rows(pg_url, tmp_path):
    register = tmp_path / "orgs.csv"
    register.write_text("code,name,parent,aliases\nD,武汉市人力资源和社会保障局,,\n"
                        "U1,武汉市人力资源和社会保障信息中心,D,信息中心\nU2,武汉市社会保险中心,D,\n", "utf-8")
    stores = [Store(sqlite_url(tmp_path), ruleset="same"), Store(pg_url, ruleset="same")]
    for st in stores:
        st.ingest([str(d) for d in SHARED_DIRS])
        st.import_orgs(str(register))
        fp = st.findings()[0]["fingerprint"]
        st.review([fp], "dismissed", "口径不同", "张三")
        st.ingest([str(SEEDS)])
    a, b = (snapshot(st) for st in stores)
    assert a["document"] and a["finding"]
    assert {k: len(v) for k, v in a.items()} == {k: len(v) for k, v in b.items()}
    for table in a:
        assert a[table] == b[table], table
    assert stores[0].status() == stores[1].status()
    registers = [[{**r, "reviewed_at": None} for r in st.findings()] for st in stores]  # times differ
    assert registers[0] == registers[1]
    for st in stores:
        st.close()


def test_postgres_url_without_driver_is_psycopg():
    from budgetdoc.store import resolve_url

    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url("x.db").startswith("sqlite:///") and Path(resolve_url("x.db")[10:]).is_absolute()


@needs_seeds
def test_postgres_connection_dropped_mid_run(pg_url, pg_server, tmp_path, monkeypatch):
    """The server drops the store's connections while the second document is being read: the run goes
    on with a new connection and stores every document once; a failure inside a document's write leaves
    nothing of it, and the CLI says so in one sentence."""
    from budgetdoc import pipeline
    from budgetdoc.store import core as store_core
    from conftest import SEED
    from test_store import cli

    files = [str(SEED[k]) for k in ("000", "001", "003")]
    real_run = pipeline.run
    admin = create_engine(pg_server)

    def drop_connections() -> None:
        with admin.begin() as c:
            c.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE usename = current_user AND pid <> pg_backend_pid()"))

    def run_dropping(path, *a, **kw):
        if path == files[1]:
            drop_connections()
        return real_run(path, *a, **kw)

    monkeypatch.setattr(pipeline, "run", run_dropping)
    store = Store(pg_url)
    out = store.ingest(files)
    assert [o.state for o in out] == ["stored"] * 3
    assert store.counts()["document"] == 3

    # the connection dies inside the fourth document's transaction: one sentence, nothing half-written
    real_fp = store_core.fingerprints

    def dying(*a, **kw):
        drop_connections()
        return real_fp(*a, **kw)

    monkeypatch.setattr(store_core, "fingerprints", dying)
    fourth = tmp_path / "fourth.txt"
    fourth.write_bytes(SEED["004"].read_bytes())
    p = cli("ingest", str(fourth), "--db", pg_url)
    assert p.returncode == 2 and "Traceback" not in p.stderr and "数据库出错" in p.stderr, p.stderr
    assert store.counts()["document"] == 3 and store.counts()["blob"] == 3
    monkeypatch.setattr(store_core, "fingerprints", real_fp)
    p = cli("ingest", str(fourth), "--db", pg_url)
    assert p.returncode == 0, p.stderr
    assert store.counts()["document"] == 4
    admin.dispose()
    store.close()
