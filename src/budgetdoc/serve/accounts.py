"""Accounts, sessions, CSRF tokens, the login throttle and the audit log of the web app.

Passwords are hashed with argon2 (argon2-cffi); there is no default account and no default password; a
password is refused when short, common (``data/common-passwords.txt``), made of one repeated character
or of the user's name, or one of the account's last five. A session is a row of ``web_session`` holding
only the SHA-256 of its token; the browser holds the token signed (itsdangerous) with a random secret (in
``$BUDGETDOC_WEB_SECRET``, else made once and kept in the store), in an HttpOnly, SameSite=Lax cookie. A
session ends after its hours, or after ``idle`` minutes without a request. Each session has its own CSRF
token, put in every form and checked on every POST. Failed logins are counted in the audit log (so a
restart forgets nothing): per name and per address.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from ..errors import InputError
from ..store.schema import Organisation, WebAudit, WebJob, WebSession, WebSetting, WebUser

ROLES = {"admin": "管理员", "reviewer": "审核人", "unit": "单位用户"}
ACTIONS = {"login": "登录", "login-failed": "登录失败", "login-blocked": "登录被限制", "logout": "退出",
           "upload": "上传", "review": "审核", "rerun": "重新检查", "user-add": "新建用户", "password": "修改密码",
           "user-role": "修改角色", "user-disable": "停用用户", "user-enable": "启用用户", "user-delete": "删除用户",
           "download": "下载", "org-import": "导入单位名录", "hold": "核实上传"}
NOISE = ("login-failed", "login-blocked")  # what a flood is made of: shown apart in the audit log
MIN_PASSWORD = 10
KEEP_PASSWORDS = 5
NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-@")
COMMON = Path(__file__).resolve().parent / "data" / "common-passwords.txt"


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 64 or any(c not in NAME_CHARS and not ("\u4e00" <= c <= "\u9fff") for c in name):
        raise InputError("用户名须为 1–64 个字母、数字、汉字或 _ . - @")
    return name


@cache
def common_passwords() -> frozenset[str]:
    with open(COMMON, encoding="utf-8") as fh:
        return frozenset(ln.strip().lower() for ln in fh if ln.strip() and not ln.startswith("#"))


_EDGES = re.compile(r"^[\d\W_]+|[\d\W_]+$")


def check_password(password: str, name: str | None = None) -> None:
    """InputError (one sentence) for a password that is short, long, common, one repeated character or
    the user's name."""
    if len(password) < MIN_PASSWORD:
        raise InputError(f"密码至少 {MIN_PASSWORD} 个字符")
    if len(password) > 1024:
        raise InputError("密码过长（至多 1024 个字符）")
    low = password.lower()
    common = common_passwords()
    core = _EDGES.sub("", low)
    repeated = next((low[:k] for k in range(1, len(low) // 2 + 1)
                     if len(low) % k == 0 and low[:k] * (len(low) // k) == low), None)
    if low in common or (core and core in common) or (repeated and (len(set(repeated)) < 3 or repeated in common)):
        raise InputError("密码过于常见或过于简单（如 aaaaaaaaaa、password123、1234567890），请换一个")
    if len(set(low)) < 4:
        raise InputError("密码至少要有 4 个不同的字符")
    if name and len(name.strip()) >= 4 and name.strip().lower() in low:
        raise InputError("密码不能含有用户名")


def org_exists(engine: Engine, code: str) -> bool:
    with Session(engine) as s:
        return s.scalar(select(Organisation.id).where(Organisation.code == code)) is not None


def _unit_of(engine: Engine, role: str, org_code: str | None) -> str | None:
    org_code = (org_code or "").strip() or None
    if role not in ROLES:
        raise InputError(f"角色只能是 {'、'.join(ROLES)}：{role}")
    if role != "unit":
        return None
    if org_code is None:
        raise InputError("单位用户须指定所属单位代码（--unit）")
    if not org_exists(engine, org_code):
        raise InputError(f"单位名录中没有代码为 {org_code} 的单位（先用 budgetdoc org import 导入名录）")
    return org_code


def add_user(engine: Engine, name: str, role: str, password: str, org_code: str | None = None) -> WebUser:
    """A new account. InputError (one sentence) for a taken name, an unknown role, a weak password, or a
    unit account without its unit's code or with a code the register does not have."""
    name = check_name(name)
    org_code = _unit_of(engine, role, org_code)
    check_password(password, name)
    with Session(engine) as s, s.begin():
        if s.scalar(select(WebUser.id).where(WebUser.name == name)) is not None:
            raise InputError(f"用户名已存在：{name}")
        u = WebUser(name=name, role=role, org_code=org_code, password_hash=_hasher().hash(password),
                    active=1, password_history="[]", created_at=datetime.now(UTC))
        s.add(u)
        s.flush()
        s.expunge(u)
    return u


def _user(s: Session, name: str) -> WebUser:
    u = s.scalar(select(WebUser).where(WebUser.name == name))
    if u is None:
        raise InputError(f"没有这个用户：{name}")
    return u


def set_password(engine: Engine, name: str, password: str) -> None:
    """A new password (not one of the account's last five); every session of the account ends."""
    from argon2.exceptions import InvalidHashError, VerificationError

    check_password(password, name)
    ph = _hasher()
    with Session(engine) as s, s.begin():
        u = _user(s, name)
        old = [u.password_hash] + json.loads(u.password_history or "[]")
        for h in old[:KEEP_PASSWORDS]:
            try:
                if ph.verify(h, password):
                    raise InputError(f"新密码不能与最近 {KEEP_PASSWORDS} 次用过的密码相同")
            except (VerificationError, InvalidHashError):
                pass
        u.password_history = json.dumps(old[:KEEP_PASSWORDS - 1])
        u.password_hash = ph.hash(password)
        s.execute(delete(WebSession).where(WebSession.user_id == u.id))  # signed out everywhere


def set_role(engine: Engine, name: str, role: str, org_code: str | None = None) -> WebUser:
    """Another role (and unit) for the account; its sessions end."""
    org_code = _unit_of(engine, role, org_code)
    with Session(engine) as s, s.begin():
        u = _user(s, name)
        if u.role == "admin" and role != "admin":
            _not_last_admin(s, u)
        u.role, u.org_code = role, org_code
        s.execute(delete(WebSession).where(WebSession.user_id == u.id))
        s.flush()
        s.expunge(u)
    return u


def set_active(engine: Engine, name: str, active: bool) -> None:
    """Disable (its sessions end, it cannot sign in) or enable the account."""
    with Session(engine) as s, s.begin():
        u = _user(s, name)
        if not active and u.role == "admin":
            _not_last_admin(s, u)
        u.active = 1 if active else 0
        if not active:
            s.execute(delete(WebSession).where(WebSession.user_id == u.id))


def delete_user(engine: Engine, name: str) -> None:
    """Remove the account (its uploads and the audit log keep its name)."""
    with Session(engine) as s, s.begin():
        u = _user(s, name)
        if u.role == "admin":
            _not_last_admin(s, u)
        s.execute(update(WebJob).where(WebJob.user_id == u.id).values(user_id=None))
        s.execute(delete(WebSession).where(WebSession.user_id == u.id))
        s.delete(u)


def _not_last_admin(s: Session, u: WebUser) -> None:
    others = s.scalar(select(func.count()).select_from(WebUser).where(
        WebUser.role == "admin", WebUser.active == 1, WebUser.id != u.id)) or 0
    if not others:
        raise InputError("这是唯一可用的管理员账号，不能停用、删除或改为其他角色")


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
    """The signing secret: ``$BUDGETDOC_WEB_SECRET`` when set (kept out of the store), else random, made
    once and kept in the store (whose file only its owner reads). The store keeps no usable token either
    way: only their hashes."""
    env = os.environ.get("BUDGETDOC_WEB_SECRET", "").strip()
    if env:
        if len(env) < 32:
            raise InputError("BUDGETDOC_WEB_SECRET 至少要 32 个字符（例如 python -c 'import secrets; "
                             "print(secrets.token_hex(32))' 的输出）")
        return env
    with Session(engine) as s, s.begin():
        row = s.get(WebSetting, "session_secret")
        if row is None:
            row = WebSetting(key="session_secret", value=secrets.token_hex(32))
            s.add(row)
        return row.value


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_session(engine: Engine, user_id: int, hours: int = 12) -> tuple[str, WebSession]:
    """A new session of the user: (the token for the cookie, the row, which holds only its hash);
    sessions older than ``hours`` (everyone's) are removed."""
    now = datetime.now(UTC)
    token = secrets.token_hex(32)
    with Session(engine) as s, s.begin():
        s.execute(delete(WebSession).where(WebSession.created_at < now - timedelta(hours=hours)))
        row = WebSession(token=digest(token), user_id=user_id, csrf=secrets.token_hex(32), created_at=now,
                         seen_at=now)
        s.add(row)
        s.flush()
        s.expunge(row)
    return token, row


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def session_user(engine: Engine, token: str, hours: int, idle_minutes: int = 60) -> tuple[WebUser, WebSession] | None:
    """The account and session of a cookie's token; None when there is none, it is older than ``hours``,
    or it was not used for ``idle_minutes`` (it is then removed)."""
    now = datetime.now(UTC)
    with Session(engine) as s, s.begin():
        row = s.get(WebSession, digest(token))
        if row is None:
            return None
        if now - _aware(row.created_at) > timedelta(hours=hours) or \
                now - _aware(row.seen_at) > timedelta(minutes=idle_minutes):
            s.delete(row)
            return None
        u = s.get(WebUser, row.user_id)
        if u is None or not u.active:
            return None
        if now - _aware(row.seen_at) > timedelta(seconds=30):
            row.seen_at = now
        s.flush()
        s.expunge(u)
        s.expunge(row)
        return u, row


def end_session(engine: Engine, token: str) -> None:
    with Session(engine) as s, s.begin():
        s.execute(delete(WebSession).where(WebSession.token == digest(token)))


def same_token(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


# ---------------------------------------------------------------- login throttle


class Throttle:
    """Failed logins, counted in the audit log (a restart forgets nothing): a name is refused after
    ``per_name`` failures since its last good login within ``window`` seconds (spraying one name), an
    address after ``per_address`` failures within ``window`` (spraying many names)."""

    def __init__(self, per_name: int = 5, per_address: int = 20, window: float = 15 * 60):
        self.per_name, self.per_address, self.window = per_name, per_address, window

    def blocked(self, engine: Engine, name: str, ip: str) -> bool:
        since = datetime.now(UTC) - timedelta(seconds=self.window)
        name = name.strip().lower()[:100]
        with Session(engine) as s:
            by_ip = s.scalar(select(func.count()).select_from(WebAudit).where(
                WebAudit.action == "login-failed", WebAudit.ip == ip, WebAudit.at >= since)) or 0
            if by_ip >= self.per_address:
                return True
            good = s.scalar(select(func.max(WebAudit.at)).where(
                WebAudit.action == "login", func.lower(WebAudit.username) == name, WebAudit.at >= since))
            start = max(since, _aware(good)) if good is not None else since
            by_name = s.scalar(select(func.count()).select_from(WebAudit).where(
                WebAudit.action == "login-failed", func.lower(WebAudit.username) == name,
                WebAudit.at > start)) or 0
            return by_name >= self.per_name

    def recently_said(self, engine: Engine, name: str, ip: str) -> bool:
        """A block of this name and address was audited within the window (a flood is one line, not one
        per request)."""
        since = datetime.now(UTC) - timedelta(seconds=self.window)
        with Session(engine) as s:
            return s.scalar(select(WebAudit.id).where(
                WebAudit.action == "login-blocked", WebAudit.ip == ip, WebAudit.username == name[:100],
                WebAudit.at >= since).limit(1)) is not None


# ---------------------------------------------------------------- audit log


def audit(engine: Engine, user: str | None, ip: str | None, action: str, detail: str = "") -> None:
    with Session(engine) as s, s.begin():
        s.add(WebAudit(at=datetime.now(UTC), username=(user or None) and user[:100], ip=(ip or "")[:64] or None,
                       action=action, detail=detail[:2000]))


def jobs_since(engine: Engine, user_id: int, kind: str, seconds: float) -> int:
    """How many jobs (uploaded files, reruns) of this kind the user queued within ``seconds``."""
    since = datetime.now(UTC) - timedelta(seconds=seconds)
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(WebJob).where(
            WebJob.user_id == user_id, WebJob.kind == kind, WebJob.created_at >= since)) or 0


def count_since(engine: Engine, user: str, actions: tuple[str, ...], seconds: float) -> int:
    """How many audit events of these actions the user made within ``seconds`` (quotas)."""
    since = datetime.now(UTC) - timedelta(seconds=seconds)
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(WebAudit).where(
            WebAudit.username == user, WebAudit.action.in_(actions), WebAudit.at >= since)) or 0


def audit_log(engine: Engine, page: int = 1, per_page: int = 100, noise: bool = False,
              action: str = "", who: str = "") -> tuple[list[WebAudit], int, int]:
    """One page of the audit log, newest first: (rows, their number, failed logins in the last 24 hours).
    Failed and blocked logins are left out unless ``noise`` (a flood of them never hides real events)."""
    with Session(engine) as s:
        q = select(WebAudit)
        if action:
            q = q.where(WebAudit.action == action)
        elif not noise:
            q = q.where(WebAudit.action.not_in(NOISE))
        if who:
            q = q.where(WebAudit.username == who[:100])
        total = s.scalar(select(func.count()).select_from(q.subquery())) or 0
        out = list(s.scalars(q.order_by(WebAudit.id.desc()).offset(max(0, page - 1) * per_page).limit(per_page)))
        for a in out:
            s.expunge(a)
        failed = s.scalar(select(func.count()).select_from(WebAudit).where(
            WebAudit.action.in_(NOISE), WebAudit.at >= datetime.now(UTC) - timedelta(hours=24))) or 0
        return out, total, failed
