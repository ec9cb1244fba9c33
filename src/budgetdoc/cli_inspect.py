"""``budgetdoc inspect``: the bureau's form (公开情况检查表) filled for each document.

Named in :data:`budgetdoc.cli.COMMANDS`; its parts are imported when it runs.
"""

from __future__ import annotations

import os
import sys

import click

EXIT_OK, EXIT_UNUSABLE = 0, 2


def _fail(message: str) -> None:
    click.echo(f"budgetdoc: {message}", err=True)
    sys.exit(EXIT_UNUSABLE)


def _date(ctx: click.Context, param: click.Parameter, value: str | None):
    if value is None:
        return None
    from .inspect.timeliness import parse_date

    try:
        return parse_date(value)
    except ValueError:
        raise click.BadParameter(f"日期应写作 2026-02-10 或 2026年2月10日：{value}") from None


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False),
              help="检查表文件（.xlsx .html .docx .json）；多个文件或文件夹时为一个工作簿：每份文件一张表，另有汇总表。")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "html", "docx", "json"]), default=None,
              help="输出格式（默认按输出文件扩展名判断，否则 xlsx）。")
@click.option("--published", callback=_date, default=None, metavar="DATE",
              help="公开日期（如 2026-02-10），用于“及时性”：与批复日期相隔不超过20日为“是”。")
@click.option("--approved", callback=_date, default=None, metavar="DATE",
              help="批复日期（如 2026-01-25）；公开日期与批复日期都已知时才判断“及时性”，否则为“未核实”。")
@click.option("--url", default=None, help="公开网址（填入检查表表头）。")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=None,
              help="并行处理的进程数（默认：全部 CPU 核；1 为逐个处理）。")
@click.option("--cluster", envvar="RAY_ADDRESS", default=None, metavar="ADDRESS",
              help="在 Ray 集群上逐份处理（地址，或环境变量 RAY_ADDRESS；需 budgetdoc[cluster]）。")
def inspect(paths: tuple[str, ...], out: str, fmt: str | None, published, approved, url: str | None,
            jobs: int | None, cluster: str | None) -> None:
    """按财政局的公开情况检查表逐项检查 PATHS（文件或文件夹），写出填好的检查表。

    每一行填“是/否”（及时性在日期未知时为“未核实”），每个问题写明页码、原文和应为，附原文截图
    （PDF 为页面截图，文本为所引原文）。多个文件或文件夹：一个工作簿，每份文件一张检查表，另有汇总表
    （每份文件的不符合项和透明度得分；无法使用的文件写明原因）。退出码：0 已写出，2 输入无法使用。
    """
    from .cli_report import cross_findings
    from .errors import InputError
    from .inspect import (
        FORMATS,
        KnownDates,
        Unusable,
        format_for,
        inspect_for_together,
        merge,
        with_dates,
        write_forms,
    )
    from .parallel import map_documents
    from .report.batch import collect

    files = collect(paths)
    if not files:
        _fail(f"文件夹中没有可检查的文件（.txt .md .pdf .xlsx）：{'、'.join(paths)}")
    kind = format_for(out, fmt)
    if kind not in FORMATS:
        _fail(f"不支持的输出格式：{kind}")
    dates = KnownDates(published=published, published_source="--published" if published else None,
                       approved=approved, approved_source="--approved" if approved else None)
    err = sys.stderr
    with click.progressbar(length=len(files), label="检查", file=err, hidden=not err.isatty(), show_pos=True,
                           item_show_func=lambda p: os.path.basename(p) if p else "") as bar:
        try:
            results = map_documents(files, inspect_for_together, jobs=jobs, cluster=cluster,
                                    progress=lambda r: bar.update(1, r.path))
        except InputError as e:
            _fail(str(e))
    cross = cross_findings([(r.value[1], r.value[2]) for r in results if r.value is not None])
    entries = []
    for r in results:
        if r.value is None:
            entries.append(Unusable(source=r.path, error=r.error or "无法使用"))
            continue
        filled = r.value[0]
        filled.url = url
        merge(filled, cross.get(filled.source, []))
        entries.append(with_dates(filled, dates))
    if len(files) == 1 and entries and isinstance(entries[0], Unusable):
        _fail(entries[0].error)
    try:
        write_forms(entries, out, kind)
    except InputError as e:
        _fail(str(e))
    ok = sum(1 for e in entries if not isinstance(e, Unusable))
    for e in entries:
        if isinstance(e, Unusable):
            click.echo(f"budgetdoc: {e.error}", err=True)
    click.echo(f"已写出 {ok} 份检查表" + (f"，{len(entries) - ok} 份文件无法使用" if ok < len(entries) else "")
               + f"：{out}", err=True)
    sys.exit(EXIT_OK if ok else EXIT_UNUSABLE)


__all__ = ["inspect"]
