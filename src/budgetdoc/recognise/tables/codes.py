"""Classification codes as the table recogniser needs them: is this token a code, which 类 is this name.

Names of the functional 类 come from the shipped reference lists (``budgetdoc.data``), the document's
year first; the pre-2019 names of renamed 类 are listed here.
"""

from __future__ import annotations

import re
from functools import cache

from ..text import compact

FUNCTIONAL = re.compile(r"^2[0-3]\d(?:\d{2}){0,2}$")
ECONOMIC = re.compile(r"^(?:30[1-9]|31[0-3]|399|50[1-9]|51\d|599)(?:\d{2})?$")

# 类 names used before the 2019 renames, for documents older than the shipped reference files
_OLD_CLASS_NAMES = {
    "文化体育与传媒支出": "207",
    "医疗卫生与计划生育支出": "210",
    "医疗卫生支出": "210",
    "资源勘探信息等支出": "215",
    "国土海洋气象等支出": "220",
}


def is_functional(digits: str) -> bool:
    return bool(FUNCTIONAL.match(digits))


def is_economic(digits: str) -> bool:
    return bool(ECONOMIC.match(digits))


def is_code(digits: str) -> bool:
    return is_functional(digits) or is_economic(digits)


@cache
def _class_names(year: int | None) -> dict[str, str]:
    """类 name → code: the document year's reference list first, then any other shipped year."""
    from ...data import all_names, codes

    out = dict(_OLD_CLASS_NAMES)
    for code, names in all_names("functional").items():
        if len(code) == 3:
            for name in names.values():
                out[compact(name)] = code
    for code, name in codes("functional", year).items():
        if len(code) == 3:
            out[compact(name)] = code
    return out


def class_code(name: str, year: int | None) -> str | None:
    """The 3-digit functional code of a 收支总表 expenditure row name (``八、社会保障和就业支出`` → 208)."""
    key = re.sub(
        r"^(?:[一二三四五六七八九十廿]+[、.．]|[（(][一二三四五六七八九十廿]+[)）][、.．]?)",
        "",
        compact(name),
    )
    key = re.sub(r"[（(]类[)）]$", "", key)
    return _class_names(year).get(key)


__all__ = ["class_code", "is_code", "is_economic", "is_functional"]
