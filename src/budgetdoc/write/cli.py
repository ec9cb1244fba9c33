"""``budgetdoc write`` and ``budgetdoc extract --format xlsx``."""

from __future__ import annotations

import sys

import click

from ..errors import InputError
from ..model import Disclosure


def _fail(message: str) -> None:
    click.echo(f"budgetdoc: {message}", err=True)
    sys.exit(2)


def extract_xlsx(doc: Disclosure, output: str | None) -> None:
    from .workbook import save, to_workbook

    if not output or not output.lower().endswith(".xlsx"):
        _fail("--format xlsx 需要用 -o 指定输出的 .xlsx 文件")
    save(to_workbook(doc), output)
    click.echo(f"已写出工作簿：{output}（灰色单元格由 budgetdoc write 计算）")


@click.command()
@click.argument("data", required=False, type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, help="输出文件：.docx、.pdf、.html、.md（--init 时为 .xlsx）")
@click.option("--template", "template_name", default=None, help="模板名：wuhan-final、shanghai-budget、national-final")
@click.option("--draft", is_flag=True, help="数据有问题时仍然写出，并在文中标出问题")
@click.option("--init", "init", default=None, metavar="TEMPLATE", help="写出某个模板的空白工作簿（含填写说明）")
@click.option("--year", type=int, default=None, help="--init：年度（决定科目表）")
def write(data: str | None, output: str, template_name: str | None, draft: bool, init: str | None,
          year: int | None) -> None:
    """由数据（工作簿或 extract --format json 的 JSON）生成一份勾稽正确的预决算公开文件。"""
    from . import write as write_doc
    from .template import template
    from .workbook import init_workbook, save

    try:
        if init:
            if not output.lower().endswith(".xlsx"):
                raise InputError("--init 的输出应为 .xlsx 工作簿")
            save(init_workbook(template(init, None, None, None), year), output)
            click.echo(f"已写出空白工作簿：{output}")
            return
        if not data:
            raise InputError("请给出数据文件（.xlsx 工作簿或 .json），或用 --init 生成空白工作簿")
        w = write_doc(data, output, template_name, draft)
    except InputError as e:
        _fail(str(e))
    errors = [f for f in w.findings if f.severity == "error"]
    for f in w.findings:
        if f.severity != "info":
            click.echo(f"[{'错误' if f.severity == 'error' else '警告'}] {f.rule} {f.message}", err=True)
    if errors and not draft:
        click.echo(f"数据有 {len(errors)} 项错误，未生成文件（加 --draft 可生成标出问题的草稿）。", err=True)
        sys.exit(1)
    click.echo(f"已写出：{output}" + (f"（草稿，{len(errors)} 项问题已标出）" if errors else ""))
    if errors:
        sys.exit(1)
