"""``budgetdoc report`` (and a several-file ``check``): reports people read, for one file or many.

:data:`budgetdoc.cli.COMMANDS` names them (``check`` is :func:`check_many`); ``check --db`` (the stored
documents) comes from :func:`budgetdoc.store.cli.attach_check`, whose store is imported only when used.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click

from .errors import InputError, internal
from .report.batch import FORMATS, collect, format_for, run_batch, write_report

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2


def _fail(message: str) -> None:
    click.echo(f"budgetdoc: {message}", err=True)
    sys.exit(EXIT_UNUSABLE)


def ocr_progress(number: int, count: int, seconds: float) -> None:
    """A scanned page read by OCR (seconds each), said on standard error as it is done."""
    click.echo(f"OCR：第 {number} 页已识别（共 {count} 页；本页 {seconds:.1f} 秒）", err=True)


def _progress(items: list[str], label: str):
    """A progress bar on standard error (on a terminal only, so scripts get clean standard error)."""
    err = sys.stderr
    return click.progressbar(length=len(items), label=label, file=err, hidden=not err.isatty(),
                             show_pos=True, item_show_func=lambda p: os.path.basename(p) if p else "")


def _is_batch(paths: tuple[str, ...], files: list[str], out: str) -> bool:
    return (len(files) != 1 or any(os.path.isdir(p) for p in paths) or os.path.isdir(out)
            or out.endswith(("/", os.sep)) or not os.path.splitext(out)[1])


def _one_document(paths: tuple[str, ...], files: list[str], out: str, as_one: bool, jobs: int | None,
                  cluster: str | None) -> tuple[str, ...] | None:
    """The files of the one document to report into the file OUT: one file given; or several files (not
    a folder) that make one document (its narrative and tables, or ``--as-one``) with OUT a file name.
    None: a batch into the folder OUT."""
    if not _is_batch(paths, files, out):
        return (files[0],)
    if len(files) < 2 or any(os.path.isdir(p) for p in paths) or os.path.isdir(out) \
            or out.endswith(("/", os.sep)) or not os.path.splitext(out)[1]:
        return None
    from .pipeline import units

    made = units(files, as_one, jobs=jobs, cluster=cluster)
    return made[0] if len(made) == 1 else None


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", "out", required=True, type=click.Path(),
              help="报告文件；多个输入或文件夹时为输出文件夹（内含 index.html）。")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="html（默认按输出文件扩展名判断）、xlsx、pdf（带批注的 PDF 副本，仅 PDF 输入）、json。")
@click.option("--charts", "charts_dir", type=click.Path(file_okay=False), default=None,
              help="把图表另存为 SVG 文件的文件夹。")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=None,
              help="并行处理的进程数（默认：全部 CPU 核；1 为逐个处理）。")
@click.option("--cluster", envvar="RAY_ADDRESS", default=None, metavar="ADDRESS",
              help="在 Ray 集群上逐份处理（地址，或环境变量 RAY_ADDRESS；需 budgetdoc[cluster]）。")
@click.option("--as-one", is_flag=True, default=False,
              help="把给出的全部文件作为一份文档（例如分成情况说明和公开表两个文件发布的公开文件）。")
@click.option("--alone", is_flag=True, default=False,
              help="只检查所给的文件：不在它的文件夹中查找同一文档的另一部分（情况说明或公开表）。")
def report(paths: tuple[str, ...], out: str, fmt: str | None, charts_dir: str | None, jobs: int | None,
           cluster: str | None, as_one: bool, alone: bool) -> None:
    """为 PATHS（文件或文件夹）生成供人阅读的检查报告。

    一个输入：写出 OUT（格式按扩展名 .html .xlsx .pdf .json 或 --format）。多个输入或文件夹：OUT 为
    文件夹，每份文档一份报告，另有 index.html 汇总各文件的问题数；无法使用的文件在汇总中注明原因，
    不影响其他文件。退出码：0 已写出报告，2 输入无法使用（多个输入时：没有一份可用）。
    """

    files = collect(paths)
    if not files:
        _fail(f"文件夹中没有可检查的文件（.txt .md .pdf .xlsx）：{'、'.join(paths)}")
    one = _one_document(paths, files, out, as_one, jobs, cluster)
    if one is not None:
        try:
            kind = format_for(out, fmt)
            if kind == "pdf" and not all(f.lower().endswith(".pdf") for f in one):
                raise InputError(f"只有 PDF 文件才能输出带批注的 PDF：{one[0]}")
            for f in one:
                if os.path.exists(out) and os.path.samefile(f, out):
                    raise InputError(f"报告不能覆盖输入文件，请换一个输出路径：{out}")
            from .pipeline import run, run_file

            write_report(*(run(one, progress=ocr_progress) if len(one) > 1
                           else run_file(one[0], alone, progress=ocr_progress)), out, kind, charts_dir)
        except InputError as e:
            _fail(str(e))
        sys.exit(EXIT_OK)
    kind = fmt or "html"
    with _progress(files, "生成报告") as bar:
        def step(path: str) -> None:
            bar.update(1, path)

        try:
            entries = run_batch(files, out, kind, charts_dir, step=step, jobs=jobs, cluster=cluster, as_one=as_one,
                                alone=alone)
        except InputError as e:  # the cluster cannot be used
            _fail(str(e))
    ok = sum(1 for e in entries if e.href)
    click.echo(f"已写出 {ok} 份报告，{len(entries) - ok} 份文件无法使用：{os.path.join(out, 'index.html')}",
               err=True)
    sys.exit(EXIT_OK if ok else EXIT_UNUSABLE)


@click.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式：text 供人阅读，json 供程序读取。")
@click.option("--min-severity", type=click.Choice(["info", "warning", "error"]), default=None,
              help="只列出该级别及以上的问题；不指定时尾差提示只计数（json 全部列出）。")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=None,
              help="并行处理的进程数（默认：全部 CPU 核；1 为逐个处理）。")
@click.option("--cluster", envvar="RAY_ADDRESS", default=None, metavar="ADDRESS",
              help="在 Ray 集群上逐份处理（地址，或环境变量 RAY_ADDRESS；需 budgetdoc[cluster]）。")
@click.option("--as-one", is_flag=True, default=False,
              help="把给出的全部文件作为一份文档检查（例如分成情况说明和公开表两个文件发布的公开文件）。")
@click.option("--alone", is_flag=True, default=False,
              help="只检查所给的文件：不在它的文件夹中查找同一文档的另一部分（情况说明或公开表）。")
def check_many(paths: tuple[str, ...], fmt: str, min_severity: str, jobs: int | None, cluster: str | None,
               as_one: bool, alone: bool) -> None:
    """检查 PATHS（文件或文件夹），列出问题。退出码：0 无错误，1 有错误，2 文件无法使用。

    一个文件时输出与单文件检查相同；多个文件时逐份输出（json 为数组，无法使用的文件为
    {"source", "error"}），无法使用的文件在标准错误上各有一句说明，退出码取各文件中最严重的。
    多个文件一起检查时还做跨文件检查（同一单位的预算与决算、上下年度、部门与所属单位），
    问题列在它所在的那份文件下（类别“跨文件”，related 指向另一份文件）。
    同一单位、同一年度、同一类型的情况说明和公开表分成两个文件时，一起给出即合为一份文档检查，输出中注明
    “由 N 个文件合为一份文档”；只给出其中一个文件时，在它所在的文件夹中查找另一部分，找到即合为一份检查
    并注明“与同一文件夹中的 … 合为一份文档检查”（--alone 只检查所给文件）；--as-one 把给出的全部文件合为一份。
    """
    from .pipeline import check_documents

    files = collect(paths)
    if not files:
        _fail(f"文件夹中没有可检查的文件（.txt .md .pdf .xlsx）：{'、'.join(paths)}")
    if len(files) == 1 and not any(os.path.isdir(p) for p in paths):
        code, output, reason = check_one(files[0], fmt, min_severity, alone)
        if reason is not None:
            _fail(reason)
        _emit(output, fmt)
        sys.exit(code)
    with _progress(files, "检查") as bar:
        try:
            results = check_documents(files, as_one=as_one, jobs=jobs, cluster=cluster, alone=alone,
                                      progress=lambda r: bar.update(1, r.path))
        except InputError as e:  # the cluster cannot be used
            _fail(str(e))
    cross = cross_findings([(r.doc, r.listed) for r in results if r.doc is not None])
    worst = EXIT_OK
    outputs: list = []
    reasons: list[str] = []
    for r in results:
        code, output, reason = (EXIT_UNUSABLE, None, r.error) if r.doc is None else \
            format_one(r.source, r.report, cross, fmt, min_severity)
        worst = max(worst, code)
        if reason is not None:
            reasons.append(reason)
            if fmt == "json":
                outputs.append({"source": r.source, "error": reason})
        else:
            outputs.append(output)
    for reason in reasons:
        click.echo(f"budgetdoc: {reason}", err=True)
    if fmt == "json":
        _emit(outputs, fmt)
    else:
        click.echo("\n".join(outputs), nl=False)
    sys.exit(worst)


def cross_findings(pairs: list) -> dict[str, list]:
    """The cross-document findings of documents checked together (``(document, listed units)`` pairs), by
    the file each is located in (a bug in them is said on standard error and hides no document's own)."""
    from .corpus import by_source, check_together, members_of

    if len(pairs) < 2:
        return {}
    try:
        return by_source(check_together([doc for doc, _ in pairs], members=members_of(pairs)))
    except Exception as e:  # noqa: BLE001
        click.echo(f"budgetdoc: 跨文件检查：{internal(e)}", err=True)
        return {}


def format_one(path: str, rep: Any, cross: dict[str, list], fmt: str, min_severity: str
               ) -> tuple[int, Any, str | None]:
    """Exit code, output and (a bug in formatting) the sentence of one checked document, its
    cross-document findings added to its own."""
    try:
        for name in dict.fromkeys([rep.source, *(p.file for p in rep.parts)]):
            rep.findings.extend(cross.get(name, []))
        output = _formatted(rep, fmt, min_severity)
    except Exception as e:  # noqa: BLE001 - a bug on one file must not hide the other files' results
        return EXIT_UNUSABLE, None, f"{path}：{internal(e)}"
    return (EXIT_OK if rep.valid else EXIT_FINDINGS), output, None


def check_one(path: str, fmt: str, min_severity: str, alone: bool = False) -> tuple[int, Any, str | None]:
    """Exit code, output (JSON object or text) and, for a file that cannot be used, its one sentence
    (the output is then None). A bug met on this file is its sentence too: it never hides the others. A
    file of one part is checked with the other parts found in its folder (not ``alone``)."""
    from .pipeline import run_file

    try:
        _, rep = run_file(path, alone, progress=ocr_progress)
        output = _formatted(rep, fmt, min_severity)
    except InputError as e:
        return EXIT_UNUSABLE, None, str(e)
    except Exception as e:  # noqa: BLE001 - a bug on one file must not hide the other files' results
        return EXIT_UNUSABLE, None, f"{path}：{internal(e)}"
    return (EXIT_OK if rep.valid else EXIT_FINDINGS), output, None


def _formatted(rep: Any, fmt: str, min_severity: str) -> Any:
    """A report as ``check`` prints it (only the formatter asked for is imported: the JSON one builds
    the models of its contract)."""
    if fmt == "json":
        from .report.json import check_json

        return check_json(rep, min_severity)
    from .report.text import check_text

    return check_text(rep, min_severity)


def _emit(output: Any, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(output, ensure_ascii=False, indent=1))
    else:
        click.echo(output, nl=False)


def _with_store_options() -> None:
    """``check --db``, ``--year``, ``--department``: the corpus store's (imported only when given)."""
    from .store.cli import attach_check

    attach_check(check_many)


_with_store_options()

__all__ = ["check_many", "report"]
