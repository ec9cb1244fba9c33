"""The web app's settings: where the store and the uploaded files are, and the upload limits."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

MB = 1024 * 1024


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, "") or default)
    except ValueError:
        return default


@dataclass
class Limits:
    """Upload limits (``BUDGETDOC_WEB_*`` environment variables override the defaults)."""

    file_bytes: int = field(default_factory=lambda: _env_int("BUDGETDOC_WEB_MAX_FILE_MB", 50) * MB)
    request_bytes: int = field(default_factory=lambda: _env_int("BUDGETDOC_WEB_MAX_REQUEST_MB", 200) * MB)
    pages: int = field(default_factory=lambda: _env_int("BUDGETDOC_WEB_MAX_PAGES", 500))
    files_per_upload: int = field(default_factory=lambda: _env_int("BUDGETDOC_WEB_MAX_FILES", 200))
    zip_total_bytes: int = field(default_factory=lambda: _env_int("BUDGETDOC_WEB_MAX_ZIP_MB", 300) * MB)
    zip_ratio: int = 100  # uncompressed / compressed, per member and overall
    job_seconds: int = field(default_factory=lambda: _env_int("BUDGETDOC_WEB_JOB_SECONDS", 900))
    # the memory (address space) of each process that opens a document: the workers and the renderer
    job_mb: int = field(default_factory=lambda: _env_int("BUDGETDOC_WEB_JOB_MB", 4096))
    # quotas per user and hour: files uploaded, checks run again, reports and notices made
    uploads_per_hour: int = field(default_factory=lambda: _env_int("BUDGETDOC_WEB_UPLOADS_PER_HOUR", 500))
    reruns_per_hour: int = field(default_factory=lambda: _env_int("BUDGETDOC_WEB_RERUNS_PER_HOUR", 30))
    renders_per_hour: int = field(default_factory=lambda: _env_int("BUDGETDOC_WEB_RENDERS_PER_HOUR", 120))


@dataclass
class Settings:
    """``db``: the store URL; ``files``: the folder of uploaded bytes (by hash, never served); ``workers``:
    documents read at the same time; ``secure_cookie``: send the session cookie over HTTPS only (and
    HSTS); ``idle_minutes``: a session unused this long ends; ``trusted_proxies``: the addresses of reverse
    proxies whose ``X-Forwarded-For`` names the client (none: the connection's address is the client's)."""

    db: str
    files: str
    workers: int = 1
    secure_cookie: bool = False
    limits: Limits = field(default_factory=Limits)
    session_hours: int = 12
    idle_minutes: int = field(default_factory=lambda: _env_int("BUDGETDOC_WEB_IDLE_MINUTES", 60))
    trusted_proxies: tuple[str, ...] = ()
    issuer: str = field(default_factory=lambda: os.environ.get("BUDGETDOC_WEB_ISSUER", "") or "财政局")
    due_days: int = field(default_factory=lambda: _env_int("BUDGETDOC_WEB_DUE_DAYS", 15))  # notices' 整改期限


def default_files_dir(url: str) -> str:
    """Beside an SQLite store: ``<name>.uploads``; otherwise in the user's data folder."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - an unusable URL is reported when the store opens
        parsed = None
    if parsed is not None and parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return os.path.abspath(parsed.database) + ".uploads"
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "budgetdoc", "uploads")
