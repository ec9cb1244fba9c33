"""The class rows of the summary tables are the national list's classes, each once, in list order."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from ...data import catalog
from ...model import Disclosure, Row, Table
from ..findings import Finding
from ..rule import Rule
from ..util import cell_location, misread_rows, table_name


def _longest_increasing(codes: list[str]) -> set[int]:
    """Indexes of one longest strictly increasing subsequence (patience sorting)."""
    tails: list[str] = []
    tail_idx: list[int] = []
    prev: list[int | None] = [None] * len(codes)
    for i, c in enumerate(codes):
        k = bisect_left(tails, c)
        if k == len(tails):
            tails.append(c)
            tail_idx.append(i)
        else:
            tails[k] = c
            tail_idx[k] = i
        prev[i] = tail_idx[k - 1] if k else None
    keep: set[int] = set()
    i = tail_idx[-1] if tail_idx else None
    while i is not None:
        keep.add(i)
        i = prev[i]
    return keep


def _class_rows(t: Table) -> list[Row]:
    """The expenditure half's rows from the first class row up to the next total or carry-over row."""
    rows = [r for r in t.rows if r.part == "支出"]
    start = next((i for i, r in enumerate(rows) if r.code), None)
    if start is None:
        return []
    ends = ("本年支出合计", "本年支出", "年终结转结余", "年末结转和结余", "年末财政拨款结转和结余", "总计", "支出总计")
    end = next((i for i in range(start, len(rows)) if rows[i].key in ends or _total_or_carry(rows[i])), len(rows))
    return rows[start:end]


def _total_or_carry(r: Row) -> bool:
    """A total, subtotal or carry-over row ends the class rows (``当年支出小计``, ``结转下年资金``)."""
    return not r.code and (r.key.endswith(("合计", "小计", "总计")) or r.key.startswith(("结转", "年末", "年终")))


class ClassRows(Rule):
    """The expenditure half of a 收支总表 / 财政拨款收支总表 lists the national list's 类 (支出功能分类), each
    once, in the list's (code) order (primer §2, §4: the table's rows are fixed by the template).

    A class name changed in one row shows as a class out of its place or printed twice, or as a name
    that is no class at all.

    Bad:  ``一、教育支出 32`` as the first expenditure row of 表1 (教育支出 is 205 and has its own row
          further down; the first row is 一般公共服务支出).
    Good: ``一、一般公共服务支出 32 … 五、教育支出 36 …``.
    """

    id = "CLS003"
    name = "summary-class-rows"
    category = "classification"
    severity = "error"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        for t in doc.tables:
            if catalog()["by_key"].get(t.key, {}).get("layout") != "summary":
                continue
            misread = misread_rows(doc)
            rows = [r for r in _class_rows(t) if (t.key, r.key) not in misread]
            coded = [r for r in rows if r.code]
            if len(coded) < 5:
                continue  # not the full template list: nothing sure to say
            for r in rows:
                if not r.code and r.name:
                    yield self.finding(
                        f"{table_name(t)}支出栏“{r.name}”不是支出功能分类的类级科目",
                        cell_location(doc, t, r, None), actual=r.name,
                    )
            keep = _longest_increasing([r.code or "" for r in coded])
            for i, r in enumerate(coded):
                if i in keep:
                    continue
                before = coded[i - 1].name if i else "（表首）"
                twice = sum(1 for x in coded if x.code == r.code) > 1
                why = "重复出现" if twice else "不在应有的位置"
                yield self.finding(
                    f"{table_name(t)}支出栏“{r.name}”（{r.code}）{why}：排在“{before}”之后，与功能分类"
                    "科目的顺序不符（可能是科目名称写错）",
                    cell_location(doc, t, r, None), actual=r.name,
                )
