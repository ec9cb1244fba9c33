"""Click's own texts in Chinese: usage line, headings, the help and version options, error messages.

Click marks its texts for gettext (``_("Usage:")``, ``ngettext(…)``) in each of its modules; :func:`install`
points those names at :func:`gettext`/:func:`ngettext` here, which translate while a budgetdoc command
runs (its context is a :class:`ZhContext`, or :func:`activate` was called by ``budgetdoc``'s ``main``)
and leave every other Click program in the same process alone. :class:`ZhGroup` gives every command
added to it (also later, by other modules) the Chinese context, ``-h``/``--help`` and the help formatter
that writes type names (PATH, INTEGER …) in Chinese.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import click

ZH: dict[str, str] = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "用“{command} {option}”查看帮助。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "argument": "参数",
    "option": "选项",
    "parameter": "参数",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Invalid start character for option ({option})": "选项的开头字符无效（{option}）",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "Aborted!": "已中止。",
    "unknown error": "未知错误",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "(dynamic)": "（动态）",
    "deprecated": "已弃用",
    "Value must be an iterable.": "值必须是多个值。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的是/否值，可用：{states}",
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的 UUID。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不可执行。",
    "Do you want to continue?": "是否继续？",
    "Confirm the action without prompting.": "不询问，直接确认。",
    "Repeat for confirmation": "再输入一次以确认",
    "Error: The two entered values do not match.": "错误：两次输入不一致。",
    "Error: invalid input": "错误：输入无效",
    "Press any key to continue...": "按任意键继续……",
}

ZH_PLURAL: dict[tuple[str, str], str] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): "多余的参数（{args}）",
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        "需要 {nargs} 个值，给出了 {len} 个。",
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        "（是否要用：{possibility}{possibilities}？）",
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        "选项 {name!r} 需要 {nargs} 个值。",
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): "{value!r} 不是可选值 {choice}{choices} 之一。",
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."):
        "{value!r} 不符合格式 {format}{formats}。",
    ("{len_type} values are required, but {len_value} was given.",
     "{len_type} values are required, but {len_value} were given."): "需要 {len_type} 个值，给出了 {len_value} 个。",
}

# Click's type names as metavars (``--output PATH``) and its usage pieces
METAVARS = [
    (re.compile(r"\bINTEGER RANGE\b"), "整数"), (re.compile(r"\bFLOAT RANGE\b"), "数值"),
    (re.compile(r"\bINTEGER\b"), "整数"), (re.compile(r"\bFLOAT\b"), "数值"), (re.compile(r"\bPATH\b"), "路径"),
    (re.compile(r"\bTEXT\b"), "文本"), (re.compile(r"\bFILENAME\b"), "文件"), (re.compile(r"\bDIRECTORY\b"), "文件夹"),
    (re.compile(r"\bBOOLEAN\b"), "是/否"), (re.compile(r"\[OPTIONS\]"), "[选项]"),
    (re.compile(r"\bCOMMAND \[ARGS\]\.\.\."), "命令 [参数]..."), (re.compile(r"\[ARGS\]"), "[参数]"),
]

_active = False


def activate() -> None:
    """Translate Click's texts in this process from now on (the ``budgetdoc`` program)."""
    global _active
    _active = True


def _on() -> bool:
    if _active:
        return True
    ctx = click.get_current_context(silent=True)
    return isinstance(ctx, ZhContext)


def gettext(message: str) -> str:
    return ZH.get(message, message) if _on() else message


def ngettext(singular: str, plural: str, n: int) -> str:
    if _on():
        zh = ZH_PLURAL.get((singular, plural))
        if zh is not None:
            # a template names the singular's or the plural's field: fill the other with nothing
            return zh.replace("{possibility}{possibilities}", "{possibility}" if n == 1 else "{possibilities}") \
                .replace("{choice}{choices}", "{choice}" if n == 1 else "{choices}") \
                .replace("{format}{formats}", "{format}" if n == 1 else "{formats}")
    return singular if n == 1 else plural


def metavars(text: str) -> str:
    for rx, zh in METAVARS:
        text = rx.sub(zh, text)
    return text


def width(text: str) -> int:
    """Columns a text takes on a terminal: Chinese characters and full-width punctuation take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_TOKEN = re.compile(r"[\x21-\x7e]+|\s+|.", re.S)
_NO_START = set("，。、；：！？）」》”’…")


def join_lines(text: str) -> str:
    """A paragraph's lines as one line: no space where a line break falls between Chinese characters."""
    text = re.sub(r"(?<=[^\x00-\x7f])[ \t]*\n[ \t]*(?=[^\x00-\x7f])", "", text.strip())
    return re.sub(r"\s*\n\s*", " ", text)


def wrap(text: str, limit: int) -> list[str]:
    """Lines of at most ``limit`` columns: ASCII words kept whole, Chinese broken between characters;
    a closing punctuation mark never starts a line (the character before it moves down with it)."""
    lines: list[str] = []
    cur: list[str] = []
    for tok in _TOKEN.findall(join_lines(text)):
        if tok.isspace():
            if cur:
                cur.append(" ")
            continue
        if width("".join(cur)) + width(tok) > limit and "".join(cur).strip():
            carry: list[str] = []
            if tok in _NO_START and len(cur) > 1 and not cur[-1].isspace():
                carry = [cur.pop()]
            lines.append("".join(cur).rstrip())
            cur = carry
        cur.append(tok)
    if "".join(cur).strip():
        lines.append("".join(cur).rstrip())
    return lines


class ZhFormatter(click.HelpFormatter):
    """Click's help formatter with the usage prefix, headings and type names in Chinese, and columns
    measured in terminal columns (a Chinese character takes two)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, metavars(args), prefix if prefix is not None else gettext("Usage:"))

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        limit = max(self.width - self.current_indent, 20)
        paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
        out = []
        for i, para in enumerate(paragraphs):
            if i:
                out.append("")
            out.extend(indent + ln for ln in wrap(para.replace("\b", ""), limit))
        self.write("\n".join(out) + "\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(metavars(a), b) for a, b in rows]
        first_col = min(max((width(a) for a, _ in rows), default=0), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap(second, max(self.width - first_col - self.current_indent - 2, 10))
            pad = " " * (first_col + self.current_indent)
            self.write("\n".join([lines[0], *(pad + ln for ln in lines[1:])]) + "\n" if lines else "\n")


class ZhContext(click.Context):
    formatter_class = ZhFormatter


SETTINGS = {"help_option_names": ["-h", "--help"]}


def adopt(cmd: click.Command) -> click.Command:
    """Give a command (and, for a group, its subcommands) the Chinese context and ``-h``."""
    cmd.context_class = ZhContext
    if not cmd.short_help and cmd.help:  # the list of commands: the first sentence, whole
        first = join_lines(cmd.help.split("\n\n")[0])
        cmd.short_help = first[: first.index("。") + 1] if "。" in first else first
    for k, v in SETTINGS.items():
        cmd.context_settings.setdefault(k, v)
    if isinstance(cmd, click.Group):
        for sub in cmd.commands.values():
            adopt(sub)
    return cmd


class ZhGroup(click.Group):
    """A group whose commands, added now or later, speak Chinese."""

    context_class = ZhContext

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        super().add_command(adopt(cmd), name)


def install() -> None:
    """Point Click's gettext names at the translations here (they translate only for budgetdoc)."""
    import importlib

    for name in ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils",
                 "shell_completion", "_termui_impl"):
        try:
            mod = importlib.import_module(f"click.{name}")
        except ImportError:  # pragma: no cover - a Click without that module
            continue
        if hasattr(mod, "_"):
            mod._ = gettext  # type: ignore[attr-defined]
        if hasattr(mod, "ngettext"):
            mod.ngettext = ngettext  # type: ignore[attr-defined]


install()

__all__ = ["SETTINGS", "ZhContext", "ZhFormatter", "ZhGroup", "activate", "adopt", "gettext", "install",
           "metavars", "ngettext"]
