"""Accounts, sessions, CSRF tokens, the login rate limit and the audit log of the web app.

Passwords are hashed with argon2 (argon2-cffi); there is no default account and no default password.
A session is a row of ``web_session``; the browser holds its token signed (itsdangerous) with a random
secret kept in the database, in an HttpOnly, SameSite=Lax cookie. Each session has its own CSRF token,
put in every form and checked on every POST.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from ..errors import InputError
from ..store.schema import Organisation, WebAudit, WebSession, WebSetting, WebUser

ROLES = {"admin": "管理员", "reviewer": "审核人", "unit": "单位用户"}
ACTIONS = {"login": "登录", "login-failed": "登录失败", "login-blocked": "登录被限制", "logout": "退出",
           "upload": "上传", "review": "审核", "rerun": "重新检查", "user-add": "新建用户", "password": "修改密码"}
MIN_PASSWORD = 10
NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-@")


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 64 or any(c not in NAME_CHARS and not ("\u4e00" <= c <= "\u9fff") for c in name):
        raise InputError("用户名须为 1–64 个字母、数字、汉字或 _ . - @")
    return name


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"密码至少 {MIN_PASSWORD} 个字符")
    if len(password) > 1024:
        raise InputError("密码过长（至多 1024 个字符）")


def add_user(engine: Engine, name: str, role: str, password: str, org_code: str | None = None) -> WebUser:
    """A new account. InputError (one sentence) for a taken name, an unknown role, a short password, or a
    unit account without its unit's code."""
    name = check_name(name)
    if role not in ROLES:
        raise InputError(f"角色只能是 {'、'.join(ROLES)}：{role}")
    check_password(password)
    org_code = (org_code or "").strip() or None
    if role == "unit" and org_code is None:
        raise InputError("单位用户须指定所属单位代码（--unit）")
    if role != "unit":
        org_code = None
    with Session(engine) as s, s.begin():
        if s.scalar(select(WebUser.id).where(WebUser.name == name)) is not None:
            raise InputError(f"用户名已存在：{name}")
        u = WebUser(name=name, role=role, org_code=org_code, password_hash=_hasher().hash(password),
                    active=1, created_at=datetime.now(UTC))
        s.add(u)
        s.flush()
        s.expunge(u)
    return u


def set_password(engine: Engine, name: str, password: str) -> None:
    check_password(password)
    with Session(engine) as s, s.begin():
        u = s.scalar(select(WebUser).where(WebUser.name == name))
        if u is None:
            raise InputError(f"没有这个用户：{name}")
        u.password_hash = _hasher().hash(password)
        s.execute(delete(WebSession).where(WebSession.user_id == u.id))  # signed out everywhere


def users(engine: Engine) -> list[WebUser]:
    with Session(engine) as s:
        out = list(s.scalars(select(WebUser).order_by(WebUser.id)))
        for u in out:
            s.expunge(u)
        return out


def org_names(engine: Engine) -> dict[str, str]:
    with Session(engine) as s:
        return {o.code: o.name for o in s.scalars(select(Organisation).order_by(Organisation.code))}


_DUMMY: list[str] = []


def verify(engine: Engine, name: str, password: str) -> WebUser | None:
    """The account when the password is right (and the account active); the same work is done for an
    unknown name, so timing does not tell which names exist."""
    from argon2.exceptions import InvalidHashError, VerificationError

    ph = _hasher()
    with Session(engine) as s:
        u = s.scalar(select(WebUser).where(WebUser.name == name.strip()))
        if u is not None:
            s.expunge(u)
    if not _DUMMY:
        _DUMMY.append(ph.hash(secrets.token_hex(16)))
    try:
        ph.verify(u.password_hash if u is not None else _DUMMY[0], password)
    except (VerificationError, InvalidHashError):
        return None
    if u is None or not u.active:
        return None
    return u


# ---------------------------------------------------------------- sessions


def secret(engine: Engine) -> str:
    """The signing secret: random, made once, kept in the database (never in a served folder)."""
    with Session(engine) as s, s.begin():
        row = s.get(WebSetting, "session_secret")
        if row is None:
            row = WebSetting(key="session_secret", value=secrets.token_hex(32))
            s.add(row)
        return row.value


def new_session(engine: Engine, user_id: int, hours: int = 12) -> WebSession:
    """A new session of the user; sessions older than ``hours`` (everyone's) are removed."""
    now = datetime.now(UTC)
    with Session(engine) as s, s.begin():
        s.execute(delete(WebSession).where(WebSession.created_at < now - timedelta(hours=hours)))
        row = WebSession(token=secrets.token_hex(32), user_id=user_id, csrf=secrets.token_hex(32),
                         created_at=now, seen_at=now)
        s.add(row)
        s.flush()
        s.expunge(row)
    return row


def session_user(engine: Engine, token: str, hours: int) -> tuple[WebUser, WebSession] | None:
    with Session(engine) as s:
        row = s.get(WebSession, token)
        if row is None:
            return None
        created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
        if datetime.now(UTC) - created > timedelta(hours=hours):
            return None
        u = s.get(WebUser, row.user_id)
        if u is None or not u.active:
            return None
        s.expunge(u)
        s.expunge(row)
        return u, row


def end_session(engine: Engine, token: str) -> None:
    with Session(engine) as s, s.begin():
        s.execute(delete(WebSession).where(WebSession.token == token))


def same_token(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


# ---------------------------------------------------------------- login rate limit


class RateLimit:
    """At most ``failures`` failed logins per (user name, address) in ``window`` seconds; then refused
    until the oldest failure leaves the window."""

    def __init__(self, failures: int = 5, window: float = 15 * 60, clock=time.monotonic):
        self.failures, self.window, self.clock = failures, window, clock
        self._seen: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        q = self._seen.setdefault(key, deque())
        now = self.clock()
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def blocked(self, name: str, ip: str) -> bool:
        with self._lock:
            return len(self._recent((name.strip().lower(), ip))) >= self.failures

    def failed(self, name: str, ip: str) -> None:
        with self._lock:
            self._recent((name.strip().lower(), ip)).append(self.clock())
            if len(self._seen) > 100_000:  # bounded memory under a flood of names
                self._seen.clear()

    def succeeded(self, name: str, ip: str) -> None:
        with self._lock:
            self._seen.pop((name.strip().lower(), ip), None)


# ---------------------------------------------------------------- audit log


def audit(engine: Engine, user: str | None, ip: str | None, action: str, detail: str = "") -> None:
    with Session(engine) as s, s.begin():
        s.add(WebAudit(at=datetime.now(UTC), username=user, ip=ip, action=action, detail=detail[:2000]))


def audit_log(engine: Engine, limit: int = 500) -> list[WebAudit]:
    with Session(engine) as s:
        out = list(s.scalars(select(WebAudit).order_by(WebAudit.id.desc()).limit(limit)))
        for a in out:
            s.expunge(a)
        return out
