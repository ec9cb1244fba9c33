"""Classification codes as the table recogniser needs them: is this token a code, which 类 is this name.

Names of the functional 类 come from ``budgetdoc.data.codes("functional", year)`` when the reference file
is there; a small built-in list of the 类 names (with their pre-2019 names) covers documents whose year
has no file yet.
"""

from __future__ import annotations

import re
from functools import cache

from ..text import compact

FUNCTIONAL = re.compile(r"^2[0-3]\d(?:\d{2}){0,2}$")
ECONOMIC = re.compile(r"^(?:30[1-9]|31[0-3]|399|50[1-9]|51\d|599)(?:\d{2})?$")

# 类 names of the 支出功能分类 (national list), including names used before the 2019 renames
_CLASS_FALLBACK = {
    "一般公共服务支出": "201",
    "外交支出": "202",
    "国防支出": "203",
    "公共安全支出": "204",
    "教育支出": "205",
    "科学技术支出": "206",
    "文化旅游体育与传媒支出": "207",
    "文化体育与传媒支出": "207",
    "社会保障和就业支出": "208",
    "社会保险基金支出": "209",
    "卫生健康支出": "210",
    "医疗卫生与计划生育支出": "210",
    "医疗卫生支出": "210",
    "节能环保支出": "211",
    "城乡社区支出": "212",
    "农林水支出": "213",
    "交通运输支出": "214",
    "资源勘探工业信息等支出": "215",
    "资源勘探信息等支出": "215",
    "商业服务业等支出": "216",
    "金融支出": "217",
    "援助其他地区支出": "219",
    "自然资源海洋气象等支出": "220",
    "国土海洋气象等支出": "220",
    "住房保障支出": "221",
    "粮油物资储备支出": "222",
    "国有资本经营预算支出": "223",
    "灾害防治及应急管理支出": "224",
    "预备费": "227",
    "其他支出": "229",
    "转移性支出": "230",
    "债务还本支出": "231",
    "债务付息支出": "232",
    "债务发行费用支出": "233",
    "抗疫特别国债安排的支出": "234",
}


def is_functional(digits: str) -> bool:
    return bool(FUNCTIONAL.match(digits))


def is_economic(digits: str) -> bool:
    return bool(ECONOMIC.match(digits))


def is_code(digits: str) -> bool:
    return is_functional(digits) or is_economic(digits)


@cache
def _class_names(year: int | None) -> dict[str, str]:
    out = dict(_CLASS_FALLBACK)
    try:
        from ...data import codes

        for code, name in codes("functional", year).items():
            if len(code) == 3:
                out[compact(name)] = code
    except (FileNotFoundError, IndexError, OSError, ValueError):
        pass
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
