"""The ``budgetdoc`` command."""

from __future__ import annotations

import json
import signal
import sys

import click

from . import __version__
from .cli_zh import SETTINGS, ZhGroup, activate
from .errors import InputError, internal

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2


def load(path: str):
    """Read and recognise one file (InputError when it cannot be used)."""
    from .pipeline import load as load_file

    return load_file(path)


def _fail(message: str) -> None:
    click.echo(f"budgetdoc: {message}", err=True)
    sys.exit(EXIT_UNUSABLE)


@click.group(cls=ZhGroup, context_settings=SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="budgetdoc", help="显示版本并退出。",
                      message="%(prog)s，版本 %(version)s")
def cli() -> None:
    """budgetdoc：读取、建模并检查预算/决算公开文件。

    各命令的用法：budgetdoc 命令 -h。退出码：0 无错误，1 有错误，2 输入无法使用。
    """


@cli.command()
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


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True,
              help="输出格式：markdown 表格或 json。")
def rules(fmt: str) -> None:
    """列出全部检查规则。"""
    from .check.catalog import rules_json, rules_markdown

    if fmt == "json":
        click.echo(json.dumps(rules_json(), ensure_ascii=False, indent=1))
    else:
        click.echo(rules_markdown(), nl=False)


@cli.command()
@click.argument("what", type=click.Choice(["document", "report"]), default="document")
def schema(what: str) -> None:
    """输出 JSON Schema（document：文档模型；report：check --format json 输出的对象）。"""
    from .model import Disclosure
    from .report.json import report_schema

    out = Disclosure.model_json_schema() if what == "document" else report_schema()
    click.echo(json.dumps(out, ensure_ascii=False, indent=1))


def _register() -> None:
    from .cli_inspect import inspect
    from .cli_report import check_many, report

    cli.add_command(check_many, "check")
    cli.add_command(report)
    cli.add_command(inspect)


_register()


def _needs(name: str, extra: str, missing: str) -> click.Command:
    """A stand-in for a command whose optional dependencies are not installed: one sentence, exit 2."""

    @click.command(name, context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
                   add_help_option=False, help=f"（需要安装 budgetdoc[{extra}]）")
    @click.pass_context
    def stand_in(ctx: click.Context) -> None:
        _fail(f"命令 {name} 需要可选组件 budgetdoc[{extra}]（缺少 {missing}）：pip install 'budgetdoc[{extra}]'")

    return stand_in


def _optional(module: str, extra: str, names: tuple[str, ...]) -> None:
    """Register the commands of an optional part (its module's ``attach(cli)``); without its extra
    installed, each of them says in one sentence which extra to install. The core commands never need
    one."""
    from importlib import import_module

    try:
        import_module(module, __package__).attach(cli)
    except ImportError as e:
        for name in names:
            if name not in cli.commands:
                cli.add_command(_needs(name, extra, e.name or str(e)))


_optional(".write.cli", "write", ("write",))  # budgetdoc write (issue 10)
# the corpus (ingest, org, status, review, register, check --db) and the web app (serve, user)
_optional(".store.cli", "corpus", ("ingest", "org", "status", "review", "register"))
_optional(".serve.cli", "web", ("serve", "user"))


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
