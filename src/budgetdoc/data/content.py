"""Reference data of the content rules and the bureau's checklists, loaded and validated once.

- ``parts.toml``: the parts of a disclosure by the headings that open them;
- ``renames.toml``: classification names renamed (old name, new name, code, year);
- ``content.toml``: template text, scope wording, reasons, quantities and the details the disclosure rules
  require, by kind and region;
- ``checklists/*.toml``: the bureau's inspection forms (loaded by :mod:`budgetdoc.inspect.checklist`).

A file that does not hold what the rules need is refused when loaded (:class:`DataError`, naming the
file and the entry), never half used.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

_ROOT = resources.files(__package__)


class DataError(ValueError):
    """Package data that cannot be used: the file and the entry are named."""


def read_toml(name: str) -> dict[str, Any]:
    try:
        return tomllib.loads((_ROOT / name).read_text("utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise DataError(f"{name}：不是有效的 TOML（{e}）") from e


def compile_rx(pattern: object, where: str) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern:
        raise DataError(f"{where}：缺少正则表达式")
    try:
        return re.compile(pattern)
    except re.error as e:
        raise DataError(f"{where}：正则表达式无效（{e}）：{pattern}") from e


# ------------------------------------------------------------------ parts

@dataclass(frozen=True)
class PartSpec:
    id: str
    label: str
    heading: re.Pattern[str]
    narrative: bool = False
    container: bool = False


@cache
def parts() -> dict[str, PartSpec]:
    """Part id → its heading pattern and label (``parts.toml``), in the file's order."""
    data = read_toml("parts.toml")
    out: dict[str, PartSpec] = {}
    for i, p in enumerate(data.get("part", [])):
        where = f"parts.toml 第{i + 1}个 part（{p.get('id', '?')}）"
        pid = p.get("id")
        if not isinstance(pid, str) or not pid or pid in out or pid == "cover":
            raise DataError(f"{where}：id 缺失、重复或为保留名 cover")
        if not isinstance(p.get("label"), str):
            raise DataError(f"{where}：缺少 label")
        out[pid] = PartSpec(pid, p["label"], compile_rx(p.get("heading"), where),
                            bool(p.get("narrative", False)), bool(p.get("container", False)))
    return out


PART_IDS_FIXED = ("cover",)  # the cover is what comes before the 目录: no heading opens it


def part_label(pid: str) -> str:
    if pid == "cover":
        return "封面"
    spec = parts().get(pid)
    return spec.label if spec else pid


# ------------------------------------------------------------------ renames

@dataclass(frozen=True)
class Rename:
    code: str
    old: str
    new: str
    year: int  # the first year of the new name
    level: str  # 类 / 款 / 项


_LEVELS = {3: "类", 5: "款", 7: "项"}


@cache
def renames() -> tuple[Rename, ...]:
    """Classification names renamed (``renames.toml``): code, old name, new name, the year of the new
    name. Validated: codes are functional codes of 3, 5 or 7 digits, names differ, years are plausible."""
    data = read_toml("renames.toml")
    out: list[Rename] = []
    for i, r in enumerate(data.get("rename", [])):
        where = f"renames.toml 第{i + 1}条（{r.get('old', '?')}）"
        code, old, new, year = r.get("code"), r.get("old"), r.get("new"), r.get("year")
        if not (isinstance(code, str) and code.isdigit() and len(code) in _LEVELS):
            raise DataError(f"{where}：code 应为 3、5 或 7 位功能分类科目编码")
        if not (isinstance(old, str) and isinstance(new, str) and old and new and old != new):
            raise DataError(f"{where}：old 与 new 应为不同的科目名称")
        if not (isinstance(year, int) and 2000 <= year <= 2100):
            raise DataError(f"{where}：year 应为新名称开始使用的年度")
        out.append(Rename(code, old, new, year, _LEVELS[len(code)]))
    return tuple(out)


# ------------------------------------------------------------------ content vocabulary

@cache
def content() -> dict[str, Any]:
    """``content.toml``, its patterns compiled (``*_rx`` keys added beside the pattern lists)."""
    data = read_toml("content.toml")
    for section, entries in data.items():
        if not isinstance(entries, dict):
            continue
        for key, value in list(entries.items()):
            if key.endswith("patterns") and isinstance(value, list):
                entries[key[: -len("patterns")] + "rx"] = [
                    compile_rx(p, f"content.toml [{section}] {key} 第{i + 1}项") for i, p in enumerate(value)
                ]
    _validate_details(data)
    return data


def _validate_details(data: dict[str, Any]) -> None:
    for i, d in enumerate(data.get("detail", [])):
        where = f"content.toml 第{i + 1}个 detail（{d.get('id', '?')}）"
        for key in ("id", "label", "topic"):
            if not isinstance(d.get(key), str) or not d[key]:
                raise DataError(f"{where}：缺少 {key}")
        if d.get("kind") not in ("预算", "决算", None):
            raise DataError(f"{where}：kind 应为 预算 或 决算")
        d["topic_rx"] = compile_rx(d["topic"], where + " topic")
        need = d.get("needs")
        if not isinstance(need, list) or not need:
            raise DataError(f"{where}：needs 应列出至少一项必须说明的内容")
        d["needs_rx"] = [compile_rx(n, f"{where} needs 第{j + 1}项") for j, n in enumerate(need)]
        if "unless" in d:
            d["unless_rx"] = compile_rx(d["unless"], where + " unless")
        if "ignore" in d:
            d["ignore_rx"] = compile_rx(d["ignore"], where + " ignore")
        if "region" in d:
            d["region_rx"] = compile_rx(d["region"], where + " region")


__all__ = ["DataError", "PartSpec", "Rename", "compile_rx", "content", "part_label", "parts", "read_toml",
           "renames"]
