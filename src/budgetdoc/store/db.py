"""Opening the store: the URL (``--db``, ``BUDGETDOC_DB``, else ``./budgetdoc.db``), the engine, and the
migrations, run on every open (a no-op when the database is current)."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from ..errors import InputError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DEFAULT_FILE = "budgetdoc.db"


def resolve_url(db: str | None = None) -> str:
    """The database URL: ``db`` as given, else ``$BUDGETDOC_DB``, else ``./budgetdoc.db``. A plain path
    is an SQLite file; ``postgresql://`` means PostgreSQL through psycopg 3."""
    raw = db or os.environ.get("BUDGETDOC_DB") or DEFAULT_FILE
    if "://" not in raw:
        return "sqlite:///" + os.path.abspath(raw)
    if raw.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + raw.split("://", 1)[1]
    return raw


def shown(url: str) -> str:
    """The URL as it may be printed: without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<无法解析的地址>"


def must_exist(url: str) -> None:
    """InputError when ``url`` names an SQLite file that is not there (reading commands do not create
    an empty store by mistake)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError(f"数据库地址无法解析：{shown(url)}") from None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        if not os.path.isfile(parsed.database):
            raise InputError(f"文件库不存在：{parsed.database}（先用 budgetdoc ingest 把文件入库）")


def open_engine(url: str) -> Engine:
    """An engine on ``url`` with the store's tables at the newest migration. InputError (one sentence)
    when the database cannot be opened or is not a budgetdoc store."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError(f"数据库地址无法解析：{shown(url)}") from None
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        folder = os.path.dirname(os.path.abspath(parsed.database))
        if not os.path.isdir(folder):
            raise InputError(f"数据库文件所在的文件夹不存在：{folder}")
        try:  # a new store is its owner's only (SQLite gives its journal files the same mode)
            os.close(os.open(parsed.database, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            pass
        except OSError as e:
            raise InputError(f"无法创建数据库文件 {parsed.database}（{e.strerror}）") from None
    try:
        if parsed.get_backend_name() == "sqlite":
            engine = create_engine(url, connect_args={"timeout": 60})
        else:  # a connection the server dropped between two documents is replaced, not an error
            engine = create_engine(url, pool_pre_ping=True)
    except (ArgumentError, ImportError, SQLAlchemyError) as e:
        raise InputError(f"无法使用数据库 {shown(url)}（{type(e).__name__}），请检查地址和驱动") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        migrate(engine)
    except SQLAlchemyError as e:
        engine.dispose()
        reason = " ".join(str(getattr(e, "orig", None) or e).split())[:160]
        raise InputError(f"无法打开数据库 {shown(url)}：{reason}") from None
    return engine


def make_private(url: str) -> bool:
    """Make an SQLite store (and its journal files) readable by its owner only; True when it was not.
    The web app calls this: the store holds its accounts, sessions and perhaps the signing secret."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return False
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return False
    changed = False
    for path in (parsed.database, parsed.database + "-wal", parsed.database + "-shm"):
        try:
            st = os.stat(path)
            if st.st_mode & 0o077 and st.st_uid == os.getuid():
                os.chmod(path, 0o600)
                changed = True
        except OSError:
            continue
    return changed


def _sqlite_pragmas(dbapi_conn: object, record: object) -> None:
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")  # readers (status, register) while an ingest writes
    cur.close()


def migrate(engine: Engine) -> None:
    """Bring the database to the newest migration (the package's alembic scripts, no alembic.ini)."""
    from alembic import command
    from alembic.config import Config

    with engine.connect() as probe:
        tables = set(inspect(probe).get_table_names())
    if tables and "alembic_version" not in tables:
        raise InputError("这个数据库不是 budgetdoc 的文件库（其中已有别的表），请换一个数据库")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # two runs opening a new database: one migrates, one waits
            conn.execute(text("SELECT pg_advisory_xact_lock(2026113008)"))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
