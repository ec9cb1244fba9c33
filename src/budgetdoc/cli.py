"""The ``budgetdoc`` command.

Its commands are named in :data:`COMMANDS`, one line each (name → ``module:attribute``, the line of
``budgetdoc --help``, the optional extra it needs). A command's module is imported only when that command
is run or its own help is asked for, so ``budgetdoc --help`` imports none of them and ``budgetdoc check``
imports neither the corpus store nor the web app. To add a command, define it (a Click command) in its
module and add its line to :data:`COMMANDS`.
"""

from __future__ import annotations

import json
import signal
import sys
from dataclasses import dataclass

import click

from . import __version__
from .cli_zh import SETTINGS, ZhGroup, activate, gettext
from .errors import InputError, internal

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2


def load(path: str):
    """Read and recognise one file (InputError when it cannot be used); scanned pages read by OCR are
    said on standard error as they are done."""
    from .cli_report import ocr_progress
    from .pipeline import load as load_file

    return load_file(path, ocr_progress)


def _fail(message: str) -> None:
    click.echo(f"budgetdoc: {message}", err=True)
    sys.exit(EXIT_UNUSABLE)


def _needs(name: str, extra: str, missing: str) -> click.Command:
    """A stand-in for a command whose optional dependencies are not installed: one sentence, exit 2."""

    @click.command(name, context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
                   add_help_option=False, help=f"（需要安装 budgetdoc[{extra}]）")
    @click.pass_context
    def stand_in(ctx: click.Context) -> None:
        _fail(f"命令 {name} 需要可选组件 budgetdoc[{extra}]（缺少 {missing}）：pip install 'budgetdoc[{extra}]'")

    return stand_in


# ------------------------------------------------------------------ the commands, imported when used

# the modules an optional extra must provide for its commands (looked up, never imported, to list them)
EXTRAS: dict[str, tuple[str, ...]] = {
    "write": ("docx", "openpyxl"),
    "corpus": ("sqlalchemy", "alembic"),
    "web": ("fastapi", "uvicorn", "sqlalchemy", "alembic"),
}


@dataclass(frozen=True)
class Lazy:
    """A command of ``budgetdoc``: where it is (``module:attribute``, the module relative to this
    package), its line in ``budgetdoc --help``, and the optional extra it needs (``None``: core). Its
    module is imported only when the command is run or its own help is asked for."""

    target: str
    help: str
    extra: str | None = None


# one line per command (kept in alphabetical order, as the help lists them)
COMMANDS: dict[str, Lazy] = {
    "check": Lazy(".cli_report:check_many", "检查 PATHS（文件或文件夹），列出问题。"),
    "extract": Lazy(".cli:extract", "输出 FILE 的结构化内容（表格、说明语句、绩效表）；--format xlsx -o F.xlsx "
                                    "写出可供 write 使用的工作簿。"),
    "ingest": Lazy(".store.cli:ingest", "把 PATHS（文件或文件夹）存入文件库：文件内容、结构化模型、检查结果。",
                   "corpus"),
    "org": Lazy(".store.cli:org", "单位名录（部门与所属单位）。", "corpus"),
    "register": Lazy(".store.cli:register", "输出文件库全部问题的清单（每个问题一行：部门、单位、年度、类型、规则、"
                                            "严重程度、问题、位置、审核状态）。", "corpus"),
    "report": Lazy(".cli_report:report", "为 PATHS（文件或文件夹）生成供人阅读的检查报告。"),
    "inspect": Lazy(".cli_inspect:inspect", "按财政局的公开情况检查表逐项检查 PATHS，填写检查表（是/否、问题说明和截图）。"),
    "review": Lazy(".store.cli:review", "记录对问题（按指纹，可写前 6 位以上）的审核结论：--confirm 确认或 "
                                        "--dismiss 排除。", "corpus"),
    "rules": Lazy(".cli:rules", "列出全部检查规则。"),
    "schema": Lazy(".cli:schema", "输出 JSON Schema（document：文档模型；report：check --format json 输出的对象）。"),
    "serve": Lazy(".serve.cli:serve", "启动网页服务：单位上传文件查看检查结果，审核人查看全部单位、审核问题、"
                                      "下载清单和整改通知。", "web"),
    "status": Lazy(".store.cli:status", "按部门和单位列出谁公开了哪一年度的预算/决算、谁还没有公开，以及未排除的"
                                        "错误和警告数。", "corpus"),
    "user": Lazy(".serve.cli:user", "网页用户（管理员、审核人、单位用户）。", "web"),
    "write": Lazy(".write.cli:write", "由数据（工作簿或 extract --format json 的 JSON）生成一份勾稽正确的预决算"
                                      "公开文件。", "write"),
}


def missing(extra: str | None) -> str | None:
    """The first module the ``extra`` needs that is not installed (looked up, not imported)."""
    from importlib.util import find_spec

    for name in EXTRAS.get(extra or "", ()):
        try:
            if find_spec(name) is None:
                return name
        except (ImportError, ValueError):
            return name
    return None


class LazyGroup(ZhGroup):
    """The ``budgetdoc`` group: the commands of :data:`COMMANDS` are imported on first use; its help
    lists them from the registry (nothing imported)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            self.add_command(load_command(name), name)
        return self.commands.get(name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            if name in COMMANDS:
                entry = COMMANDS[name]
                lack = missing(entry.extra)
                rows.append((name, entry.help + (f"（需要安装 budgetdoc[{entry.extra}]）" if lack else "")))
            elif not self.commands[name].hidden:
                rows.append((name, self.commands[name].get_short_help_str(formatter.width)))
        if rows:
            with formatter.section(gettext("Commands")):
                formatter.write_dl(rows)


def load_command(name: str) -> click.Command:
    """The command ``name`` of :data:`COMMANDS`, imported now; without its extra installed (or when its
    module needs a package that is missing), the stand-in that says which extra to install."""
    from importlib import import_module

    entry = COMMANDS[name]
    module, _, attr = entry.target.partition(":")
    if entry.extra and (lack := missing(entry.extra)):
        return _needs(name, entry.extra, lack)
    try:
        return getattr(import_module(module, __package__), attr)
    except ImportError as e:
        if entry.extra is None or (e.name or "").startswith(__package__):
            raise
        return _needs(name, entry.extra, e.name or str(e))


@click.group(cls=LazyGroup, context_settings=SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="budgetdoc", help="显示版本并退出。",
                      message="%(prog)s，版本 %(version)s")
def cli() -> None:
    """budgetdoc：读取、建模并检查预算/决算公开文件。

    各命令的用法：budgetdoc 命令 -h。退出码：0 无错误，1 有错误，2 输入无法使用。
    """



@click.command()
@click.argument("file", type=click.Path(dir_okay=True))
@click.option("--format", "fmt", type=click.Choice(["json", "text", "xlsx"]), default="json", show_default=True,
              help="输出格式：json 供程序读取，text 供人阅读，xlsx 为工作簿（需 -o）。")
@click.option("-o", "--output", default=None, help="xlsx：输出工作簿（budgetdoc write 的输入）")
def extract(file: str, fmt: str, output: str | None) -> None:
    """输出 FILE 的结构化内容（表格、说明语句、绩效表）；--format xlsx -o F.xlsx 写出可供 write 使用的工作簿。"""
    from .report import extract_json, extract_text

    try:
        doc = load(file)
    except InputError as e:
        _fail(str(e))
    if fmt == "xlsx":
        from .write.cli import extract_xlsx

        extract_xlsx(doc, output)
    elif fmt == "json":
        click.echo(json.dumps(extract_json(doc), ensure_ascii=False, indent=1))
    else:
        click.echo(extract_text(doc), nl=False)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True,
              help="输出格式：markdown 表格或 json。")
def rules(fmt: str) -> None:
    """列出全部检查规则。"""
    from .check.catalog import rules_json, rules_markdown

    if fmt == "json":
        click.echo(json.dumps(rules_json(), ensure_ascii=False, indent=1))
    else:
        click.echo(rules_markdown(), nl=False)


@click.command()
@click.argument("what", type=click.Choice(["document", "report"]), default="document")
def schema(what: str) -> None:
    """输出 JSON Schema（document：文档模型；report：check --format json 输出的对象）。"""
    from .model import Disclosure
    from .report.json import report_schema

    out = Disclosure.model_json_schema() if what == "document" else report_schema()
    click.echo(json.dumps(out, ensure_ascii=False, indent=1))


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM ends the run like Ctrl-C does: through every ``finally`` (a half-written report's
    temporary file is removed), then exit 128 + 15."""
    raise SystemExit(128 + signum)


def main() -> None:
    activate()  # Click's own texts (usage, options, errors) in Chinese
    try:
        signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread (embedded): leave the host's handlers alone
        pass
    try:
        cli.main(prog_name="budgetdoc", standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(EXIT_UNUSABLE)
    except click.ClickException as e:
        e.show()
        sys.exit(EXIT_UNUSABLE)
    except InputError as e:
        _fail(str(e))
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as e:  # a bug must still not show a traceback to a user
        _fail(internal(e))
