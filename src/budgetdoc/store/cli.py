"""The corpus commands: ``ingest``, ``org import``, ``status``, ``review``, ``register``, and ``check --db``
over the stored documents (:data:`budgetdoc.cli.COMMANDS` names them; :func:`attach_check` gives ``check``
its ``--db``)."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

import click

from ..errors import InputError

if TYPE_CHECKING:
    from .core import Outcome, Store

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2
DB_HELP = "文件库：数据库地址（postgresql://… 或 SQLite 文件路径），默认 $BUDGETDOC_DB，否则 ./budgetdoc.db"


def _fail(message: str) -> NoReturn:
    click.echo(f"budgetdoc: {message}", err=True)
    sys.exit(EXIT_UNUSABLE)


def _open(db: str | None, create: bool = False) -> Store:
    try:
        from .core import Store
    except ImportError:
        _fail("文件库功能需要安装 corpus 扩展：pip install 'budgetdoc[corpus]'")
    try:
        return Store(db, create=create)
    except InputError as e:
        _fail(str(e))


def _db_lost(e: Exception, db_url: str) -> NoReturn:
    reason = " ".join(str(getattr(e, "orig", None) or e).split())[:160]
    _fail(f"数据库出错（{reason}），本次运行在此停止；已保存的文件和结论都完好，再次运行同一命令会补完其余部分")


def guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A database that goes away or refuses a write mid-run is one sentence, not a traceback."""

    @functools.wraps(fn)
    def wrapper(*a: Any, **kw: Any) -> Any:
        from sqlalchemy.exc import SQLAlchemyError

        try:
            return fn(*a, **kw)
        except SQLAlchemyError as e:
            _db_lost(e, kw.get("db") or "")

    return wrapper


def _summary(outcomes: list[Outcome]) -> dict[str, int]:
    states = ("stored", "new-version", "rechecked", "unchanged", "unusable")
    out = {s: sum(1 for o in outcomes if o.state == s) for s in states}
    for k in ("new", "open", "fixed", "dismissed"):
        out[k] = sum(getattr(o, k) for o in outcomes)
    return out


def _summary_text(outcomes: list[Outcome]) -> str:
    c = _summary(outcomes)
    return (f"新文件 {c['stored']} 份，新版本 {c['new-version']} 份，重新检查 {c['rechecked']} 份，"
            f"未变 {c['unchanged']} 份，无法使用 {c['unusable']} 份。\n"
            f"问题：新 {c['new']}，仍未解决 {c['open']}，已修正 {c['fixed']}，已排除 {c['dismissed']}。\n")


def _outcomes_json(outcomes: list[Outcome], where: str) -> str:
    from dataclasses import asdict

    return json.dumps({"db": where, "summary": _summary(outcomes), "documents": [asdict(o) for o in outcomes]},
                      ensure_ascii=False, indent=1)


def _found_text(outcomes: list[Outcome]) -> str:
    """The documents of several files completed by parts found beside the file given."""
    from ..pipeline import JOIN

    lines = []
    for o in outcomes:
        if o.found:
            given = "、".join(os.path.basename(p) for p in o.path.split(JOIN) if p not in o.found)
            lines.append(f"{given} 与同一文件夹中的 {'、'.join(os.path.basename(p) for p in o.found)} 合为一份文档入库"
                         "（--alone 只入库所给文件）\n")
    return "".join(lines)


def _unmatched_text(outcomes: list[Outcome]) -> str:
    lines = [f"  {o.path}：{o.match_note or '未匹配'}" for o in outcomes
             if o.usable and o.match in ("none", "ambiguous") and o.match_note != "未导入单位名录"]
    return f"未能对应到唯一单位的文件（{len(lines)} 份）：\n" + "\n".join(lines) + "\n" if lines else ""


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--db", help=DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--as-one", is_flag=True, default=False,
              help="把给出的全部文件作为一份文档入库（例如分成情况说明和公开表两个文件发布的公开文件）。")
@click.option("--alone", is_flag=True, default=False,
              help="只入库所给的文件：不在它的文件夹中查找同一文档的另一部分（情况说明或公开表）。")
@guarded
def ingest(paths: tuple[str, ...], db: str | None, fmt: str, as_one: bool, alone: bool) -> None:
    """把 PATHS（文件或文件夹）存入文件库：文件内容、结构化模型、检查结果。

    相同内容的文件只存一次；每份文件一个事务，中断后已入库的不会丢失，再次运行会补完。
    同一单位、年度、类型的情况说明和公开表分成两个文件时，一起给出即合为一份文档入库；只给出其中一个时，
    在它所在的文件夹中查找另一部分，找到即合为一份入库（--alone 只入库所给文件）；
    --as-one 把给出的全部文件合为一份。
    无法使用的文件各有一句说明（标准错误），不影响其他文件；有这样的文件时退出码为 2。
    """
    from ..report.batch import collect

    files = collect(paths)
    if not files:
        _fail(f"文件夹中没有可入库的文件（.txt .md .pdf .xlsx）：{'、'.join(paths)}")
    store = _open(db, create=True)
    with store:
        done: list[Outcome] = []
        try:
            done = store.ingest(files, as_one=as_one, alone=alone)
        except KeyboardInterrupt:
            click.echo("budgetdoc: 入库被中断；已入库的文件都已保存，再次运行同一命令会补完其余文件。", err=True)
            sys.exit(130)
        for o in done:
            if not o.usable:
                click.echo(f"budgetdoc: {o.message}", err=True)
        if fmt == "json":
            click.echo(_outcomes_json(done, store.shown_url))
        else:
            click.echo(f"文件库：{store.shown_url}\n" + _summary_text(done) + _found_text(done)
                       + _unmatched_text(done), nl=False)
    sys.exit(EXIT_UNUSABLE if any(not o.usable for o in done) else EXIT_OK)


@click.group("org")
def org() -> None:
    """单位名录（部门与所属单位）。"""


@org.command("import")
@click.argument("file", type=click.Path())
@click.option("--db", help=DB_HELP)
@guarded
def org_import(file: str, db: str | None) -> None:
    """导入单位名录 FILE（.csv 或 .xlsx；列：代码、名称、上级部门代码、别名（用 ; 或 、 分隔））。

    同一代码再次导入时更新；导入后每份已入库的文件重新按发布单位名称对应到单位
    （名称一致、别名、相近名称），对应不到或对应到多个单位的文件会列出，不会猜测。
    """
    store = _open(db, create=True)
    with store:
        try:
            res = store.import_orgs(file)
        except InputError as e:
            _fail(str(e))
        store.audit("org-import", f"{file}：{res.organisations} 个单位")
        d = res.documents
        click.echo(f"已导入 {res.organisations} 个单位。已入库文件：名称一致 {d.get('exact', 0)} 份，"
                   f"别名 {d.get('alias', 0)} 份，相近名称 {d.get('close', 0)} 份，"
                   f"未匹配 {d.get('none', 0)} 份，匹配到多个单位 {d.get('ambiguous', 0)} 份。")
        st = store.status()
        for u in st["unmatched"]:
            click.echo(f"  {u['file']}：{u['publisher'] or '（未识别发布单位）'} — {u['reason']}"
                       + (f"；{u['note']}" if u["note"] else ""))


@click.command("status")
@click.option("--year", type=int, help="只看这一年度")
@click.option("--kind", type=click.Choice(["预算", "决算"]), help="只看预算或决算")
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), help="按这一天判断是否逾期（默认今天）")
@click.option("--db", help=DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@guarded
def status(year: int | None, kind: str | None, on: Any, db: str | None, fmt: str) -> None:
    """按部门和单位列出谁公开了哪一年度的预算/决算（部门公开部门预决算，单位公开单位预决算）、谁逾期未公开
    （批复后 20 日内公开，各地区的日期见 budgetdoc/data/disclosure_due.toml）、谁还未到期，以及未排除的错误和警告数。"""
    from .export import status_text

    store = _open(db)
    with store:
        st = store.status(year, kind, on.date() if on else None)
        if fmt == "json":
            click.echo(json.dumps({"db": store.shown_url, **st}, ensure_ascii=False, indent=1))
        else:
            click.echo(status_text(st, store.shown_url), nl=False)


@click.command("review")
@click.argument("fingerprints", nargs=-1, required=True)
@click.option("--confirm", "decision", flag_value="confirmed", help="确认问题成立")
@click.option("--dismiss", "decision", flag_value="dismissed", help="排除（不是问题）")
@click.option("--reason", required=True, help="审核理由")
@click.option("--reviewer", required=True, help="审核人")
@click.option("--db", help=DB_HELP)
@guarded
def review(fingerprints: tuple[str, ...], decision: str | None, reason: str, reviewer: str,
           db: str | None) -> None:
    """记录对问题（按指纹，可写前 6 位以上）的审核结论：--confirm 确认或 --dismiss 排除。

    结论按指纹保存：文件修正后或升级 budgetdoc 后重新检查，同一问题仍带着结论。
    """
    if decision is None:
        _fail("请用 --confirm 或 --dismiss 给出审核结论")
    store = _open(db)
    with store:
        try:
            done = store.review(fingerprints, decision, reason, reviewer)
        except InputError as e:
            _fail(str(e))
    word = "确认" if decision == "confirmed" else "排除"
    click.echo(f"已记录 {len(done)} 条审核结论（{word}）：{'、'.join(done)}")


@click.command("register")
@click.option("-o", "--output", "out", required=True, type=click.Path(), help="输出文件（.xlsx 或 .csv）")
@click.option("--db", help=DB_HELP)
@guarded
def register(out: str, db: str | None) -> None:
    """输出文件库全部问题的清单（每个问题一行：部门、单位、年度、类型、规则、严重程度、问题、位置、审核状态）。

    .xlsx 带筛选和冻结的表头；.csv 为带 BOM 的 UTF-8（Excel 可直接打开）。
    """
    from .export import register_format, write_register

    try:
        register_format(out)
    except InputError as e:
        _fail(str(e))
    store = _open(db)
    with store:
        rows = store.findings()
    try:
        write_register(rows, out)
    except InputError as e:
        _fail(str(e))
    except OSError as e:
        _fail(f"无法写出问题清单 {out}（{e.strerror or type(e).__name__}）")
    click.echo(f"已写出 {len(rows)} 个问题：{out}")


def _check_store(db: str | None, year: int | None, department: str | None, fmt: str) -> NoReturn:
    """``check --db``: check the stored documents again; new / still open / fixed / dismissed."""
    store = _open(db)  # first: without the corpus extra, its one sentence
    from sqlalchemy.exc import SQLAlchemyError

    from .cross import check_across

    with store:
        try:
            done = store.recheck(year, department)
        except SQLAlchemyError as e:
            _db_lost(e, db or "")
        except InputError as e:
            _fail(str(e))
        except KeyboardInterrupt:
            click.echo("budgetdoc: 检查被中断；已完成的检查都已保存，再次运行同一命令会补完其余文件。", err=True)
            sys.exit(130)
        cross = check_across(store, year, department)  # kept in the store, by fingerprint
        open_cross = store.open_fingerprints([c["fingerprint"] for c in cross])
        if fmt == "json":
            out = json.loads(_outcomes_json(done, store.shown_url))
            out["cross"] = [{"fingerprint": c["fingerprint"], "dismissed": c["fingerprint"] not in open_cross,
                             **c["finding"].model_dump(mode="json")} for c in cross]
            click.echo(json.dumps(out, ensure_ascii=False, indent=1))
        else:
            lines = [f"{o.path}：错误 {o.errors}，警告 {o.warnings}；新 {o.new}，仍未解决 {o.open}，"
                     f"已修正 {o.fixed}，已排除 {o.dismissed}" for o in done if o.usable]
            lines += [f"跨文件 [{c['finding'].severity}] {c['finding'].rule} {c['fingerprint']}"
                      f"{'（已排除）' if c['fingerprint'] not in open_cross else ''} {c['finding'].location.file}："
                      f"{c['finding'].message}" for c in cross]
            click.echo("\n".join([f"文件库：{store.shown_url}", *lines]) + "\n" + _summary_text(done), nl=False)
    if any(not o.usable for o in done):
        sys.exit(EXIT_UNUSABLE)
    failed = any(o.open_errors for o in done) or any(
        c["finding"].severity == "error" and c["fingerprint"] in open_cross for c in cross)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


def attach_check(check: click.Command) -> None:
    """Give the ``check`` command ``--db``, ``--year`` and ``--department``: with any of them it checks
    the stored documents instead of files (the command's own options are passed through otherwise)."""
    if any(p.name == "db" for p in check.params):
        return
    for p in check.params:
        if p.name == "paths" and isinstance(p, click.Argument):
            p.required = False
    check.params.extend([
        click.Option(["--db"], help="检查文件库中已入库的文件（最新版本），报告新增/仍未解决/已修正/已排除的问题；"
                                    + DB_HELP),
        click.Option(["--year"], type=int, help="与 --db 一起：只检查这一年度"),
        click.Option(["--department"], help="与 --db 一起：只检查这个部门（代码或名称）及其所属单位"),
    ])
    original = check.callback
    assert original is not None

    def callback(**kw: Any) -> Any:
        db, year, department = kw.pop("db", None), kw.pop("year", None), kw.pop("department", None)
        if db is None and year is None and department is None:
            if not kw.get("paths"):
                _fail("请给出要检查的文件或文件夹（或用 --db 检查文件库中的文件）")
            return original(**kw)
        if kw.get("paths"):
            _fail("--db 检查的是文件库中已入库的文件，不能同时给出文件；要把文件存入文件库请用 budgetdoc ingest")
        _check_store(db, year, department, kw.get("fmt", "text"))

    check.callback = callback
