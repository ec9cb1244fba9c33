"""``budgetdoc serve`` and ``budgetdoc user`` (:data:`budgetdoc.cli.COMMANDS` names them)."""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from typing import NoReturn

import click

from ..errors import InputError

DB_HELP = "文件库：数据库地址（postgresql://… 或 SQLite 文件路径），默认 $BUDGETDOC_DB，否则 ./budgetdoc.db"
WEB_HELP = "网页功能需要安装 web 和 corpus 扩展：pip install 'budgetdoc[web,corpus]'"


def _fail(message: str) -> NoReturn:
    click.echo(f"budgetdoc: {message}", err=True)
    sys.exit(2)


def _engine(db: str | None):
    try:
        from ..store import Store
    except ImportError:
        _fail(WEB_HELP)
    try:
        return Store(db)
    except InputError as e:
        _fail(str(e))


@click.group("user")
def user() -> None:
    """网页用户（管理员、审核人、单位用户）。"""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "reviewer", "unit"]), required=True,
              help="admin：管理员；reviewer：审核人（全部单位）；unit：单位用户（只看本单位）")
@click.option("--unit", "unit", help="单位用户所属单位的代码（单位名录中的代码）")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（一行），供脚本使用")
@click.option("--db", help=DB_HELP)
def user_add(name: str, role: str, unit: str | None, password_stdin: bool, db: str | None) -> None:
    """新建网页用户 NAME。密码由本人输入（不回显，输入两次）；没有默认密码。"""
    try:
        from . import accounts
    except ImportError:
        _fail(WEB_HELP)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt="再输入一次密码")
    try:
        accounts.check_name(name)
        accounts.check_password(password, name)
    except InputError as e:
        _fail(str(e))
    store = _engine(db)
    with store:
        try:
            u = accounts.add_user(store.engine, name, role, password, unit)
        except InputError as e:
            _fail(str(e))
        accounts.audit(store.engine, _who(), "命令行", "user-add",
                       f"{u.name}（{accounts.ROLES[u.role]}{'，' + u.org_code if u.org_code else ''}）")
    click.echo(f"已创建用户 {u.name}（{accounts.ROLES[u.role]}{'，单位 ' + u.org_code if u.org_code else ''}）")


def _who() -> str:
    """Who ran a command (the audit log's user of command-line changes)."""
    import getpass

    try:
        return f"命令行:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no user name: still audited
        return "命令行"


@user.command("list")
@click.option("--db", help=DB_HELP)
def user_list(db: str | None) -> None:
    """列出网页用户。"""
    from . import accounts

    store = _engine(db)
    with store:
        for u in accounts.users(store.engine):
            click.echo(f"{u.name}\t{accounts.ROLES[u.role]}\t{u.org_code or ''}\t{'可用' if u.active else '已停用'}")


@user.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取新密码（一行）")
@click.option("--db", help=DB_HELP)
def user_passwd(name: str, password_stdin: bool, db: str | None) -> None:
    """重设用户 NAME 的密码（其已登录的会话全部失效）。"""
    from . import accounts

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else \
        click.prompt("新密码", hide_input=True, confirmation_prompt="再输入一次新密码")
    store = _engine(db)
    with store:
        try:
            accounts.set_password(store.engine, name, password)
        except InputError as e:
            _fail(str(e))
        accounts.audit(store.engine, _who(), "命令行", "password", name)
    click.echo(f"已重设 {name} 的密码")


def _change(db: str | None, action: str, detail: str, fn, *args) -> None:
    from . import accounts

    store = _engine(db)
    with store:
        try:
            fn(store.engine, *args)
        except InputError as e:
            _fail(str(e))
        accounts.audit(store.engine, _who(), "命令行", action, detail)


@user.command("role")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "reviewer", "unit"]), required=True, help="新角色")
@click.option("--unit", "unit", help="单位用户所属单位的代码（单位名录中的代码）")
@click.option("--db", help=DB_HELP)
def user_role(name: str, role: str, unit: str | None, db: str | None) -> None:
    """修改用户 NAME 的角色（及所属单位）；其已登录的会话全部失效。"""
    from . import accounts

    _change(db, "user-role", f"{name} → {accounts.ROLES[role]}{'，' + unit if unit else ''}", accounts.set_role,
            name, role, unit)
    click.echo(f"已将 {name} 改为{accounts.ROLES[role]}")


@user.command("disable")
@click.argument("name")
@click.option("--db", help=DB_HELP)
def user_disable(name: str, db: str | None) -> None:
    """停用用户 NAME：不能再登录，已登录的会话全部失效（可再启用）。"""
    from . import accounts

    _change(db, "user-disable", name, accounts.set_active, name, False)
    click.echo(f"已停用 {name}")


@user.command("enable")
@click.argument("name")
@click.option("--db", help=DB_HELP)
def user_enable(name: str, db: str | None) -> None:
    """重新启用用户 NAME。"""
    from . import accounts

    _change(db, "user-enable", name, accounts.set_active, name, True)
    click.echo(f"已启用 {name}")


@user.command("delete")
@click.argument("name")
@click.option("--db", help=DB_HELP)
def user_delete(name: str, db: str | None) -> None:
    """删除用户 NAME（其上传记录和审计日志保留用户名）。"""
    from . import accounts

    _change(db, "user-delete", name, accounts.delete_user, name)
    click.echo(f"已删除 {name}")


def _demo(folder: str) -> tuple[str, str]:
    """A temporary store with the bundled examples ingested, a register made of their publishers, and an
    admin with a random password: (database path, password)."""
    from ..store import Store
    from . import accounts

    here = os.path.dirname(os.path.abspath(__file__))
    examples = next((p for p in (os.path.join(here, "..", "..", "..", "examples"), os.path.join(os.getcwd(), "examples"))
                     if os.path.isdir(p)), None)
    if examples is None:
        _fail("找不到示例文件夹 examples/（请在 budgetdoc 源码目录中运行 --demo）")
    db = os.path.join(folder, "demo.db")
    with Store(db) as store:
        store.ingest([examples])
        pubs = sorted({(u["publisher"], u["scope"] or "单位") for u in store.status()["unmatched"] if u["publisher"]})
        if pubs:
            reg = os.path.join(folder, "register.csv")
            with open(reg, "w", encoding="utf-8") as fh:  # a 部门 document's publisher is a department
                fh.write("代码,名称,上级部门代码,别名\nD000,示例市（演示部门）,,\n")
                for i, (p, scope) in enumerate(pubs, 1):
                    fh.write(f"D{i:03d},{p},{'' if scope == '部门' else 'D000'},\n")
            store.import_orgs(reg)
        password = secrets.token_urlsafe(12)
        accounts.add_user(store.engine, "admin", "admin", password)
    return db, password


@click.command("serve")
@click.option("--db", help=DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址（默认只在本机）")
@click.option("--port", default=8000, show_default=True, type=int, help="端口")
@click.option("--files", "files", type=click.Path(), help="上传文件的存放文件夹（不对外提供），默认在数据库旁")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 32), help="同时检查的文件数")
@click.option("--secure-cookie", is_flag=True,
              help="会话 Cookie 只经 HTTPS 发送，并发送 HSTS（在 HTTPS 反向代理之后使用）")
@click.option("--trusted-proxy", "proxies", multiple=True,
              help="反向代理的地址（可多次给出）：只有来自这些地址的请求才按 X-Forwarded-For 认定客户端地址")
@click.option("--idle-minutes", default=60, show_default=True, type=click.IntRange(5, 24 * 60),
              help="会话闲置多少分钟后失效")
@click.option("--issuer", default=None, help="整改通知的发文机关（默认 $BUDGETDOC_WEB_ISSUER，否则“财政局”）")
@click.option("--demo", is_flag=True, help="演示：临时文件库，载入示例文件，生成一次性的管理员密码")
def serve(db: str | None, host: str, port: int, files: str | None, workers: int, secure_cookie: bool,
          proxies: tuple[str, ...], idle_minutes: int, issuer: str | None, demo: bool) -> None:
    """启动网页服务：单位上传文件查看检查结果，审核人查看全部单位、审核问题、下载清单和整改通知。

    第一个管理员用 budgetdoc user add 名字 --role admin 创建（没有默认密码）。
    """
    try:
        import uvicorn

        from ..store import resolve_url
        from .app import create_app, wrap
        from .config import Settings, default_files_dir
    except ImportError:
        _fail(WEB_HELP)
    tmp: tempfile.TemporaryDirectory[str] | None = None
    password = None
    if demo:
        tmp = tempfile.TemporaryDirectory(prefix="budgetdoc-demo-")
        click.echo("正在准备演示文件库（载入 examples/ 中的示例文件）……", err=True)
        db, password = _demo(tmp.name)
    url = resolve_url(db)
    settings = Settings(db=url, files=files or default_files_dir(url), workers=workers, secure_cookie=secure_cookie,
                        trusted_proxies=tuple(proxies), idle_minutes=idle_minutes)
    if issuer:
        settings.issuer = issuer
    try:
        app = create_app(settings)
    except InputError as e:
        _fail(str(e))
    from . import accounts

    if not accounts.users(app.state.store.engine):
        click.echo("budgetdoc: 还没有任何用户；先用 budgetdoc user add 名字 --role admin 创建管理员。", err=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo("budgetdoc: 注意：服务监听在非本机地址，通信未加密；请放在 HTTPS 反向代理之后，"
                   "并使用 --secure-cookie。", err=True)
    click.echo(f"网页服务：http://{host if ':' not in host else '[' + host + ']'}:{port}/", err=True)
    if password:
        click.echo(f"演示管理员：用户名 admin，密码 {password}（只显示这一次；服务停止后演示文件库即删除）", err=True)
    try:
        uvicorn.run(wrap(app, settings), host=host, port=port, log_level="warning", proxy_headers=False)
    finally:
        if tmp is not None:
            tmp.cleanup()
