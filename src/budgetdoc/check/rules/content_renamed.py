"""CNT001: a classification name from before its renaming, named in prose."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...model import Disclosure
from ..class_prose import MARKER, names
from ..findings import Finding
from ..prose import prose
from ..rule import Rule

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LONG = 6  # an old name this long is the old name wherever it stands; a shorter one only before （款）


class RenamedClassName(Rule):
    """The prose names each 类/款/项 by its name in the year's list: a name renamed before the document's
    year is the old list's (财政部《政府收支分类科目》; primer §4: the 2019 renames 医疗卫生与计划生育支出 →
    卫生健康支出, 文化体育与传媒支出 → 文化旅游体育与传媒支出, …; the renamings are data:
    ``data/renames.toml``, old name, new name, year). Checked everywhere the narrative names a class: before
    its level in brackets (``…（类）``), in quotes, or alone (names of six characters or more). The tables are
    CLS001's.

    Bad:  “医疗卫生与计划生育支出（类）行政事业单位医疗（款）事业单位医疗（项）50.37万元” in a 2024 budget;
          “5.“文化体育与传媒支出”82.51万元，占0.43%” in a 2025 final account.
    Good: “卫生健康支出（类）行政事业单位医疗（款）事业单位医疗（项）”; the old name in a 2018 document.
    """

    id = "CNT001"
    name = "renamed-class-name"
    category = "content"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        year = doc.identity.year
        if year is None:
            return
        n = names(year)
        if not n.renamed:
            return
        p = prose(doc)
        text = p.text
        current = [name for name in n.by_name if len(name) >= 2]
        seen: set[tuple[int, str]] = set()
        for r in n.renamed:
            start = 0
            while (i := text.find(r.old, start)) >= 0:
                start = i + 1
                end = i + len(r.old)
                marker = MARKER.match(text, end)
                if marker is not None and marker.group("level") != r.level:
                    continue  # the same words naming another level
                if marker is None and len(r.old) < _LONG:
                    continue
                if _inside_current(text, i, r.old, current):
                    continue  # part of a name in force (事业单位离退休 inside 行政事业单位离退休 is not)
                if marker is None and not r.old.endswith("支出") and _CJK.match(text[end: end + 1] or " "):
                    continue  # the old words run on into a longer word: not the name itself
                line = p.line_index(i)
                if (line, r.old) in seen:
                    continue
                seen.add((line, r.old))
                shown = text[i: marker.end() if marker else end]
                yield self.finding(
                    f"说明中“{shown}”：{r.level}级科目“{r.old}”已于{r.year}年更名为“{r.new}”，"
                    f"{year}年度文件应使用新名称“{r.new}”（科目编码 {r.code}）",
                    p.location(doc, i), expected=r.new, actual=r.old,
                )


def _inside_current(text: str, i: int, old: str, current: list[str]) -> bool:
    """The old words at ``i`` are part of a longer name in force printed around them."""
    for name in current:
        if len(name) <= len(old):
            continue
        j = name.find(old)
        while j >= 0:
            if text.startswith(name, i - j):
                return True
            j = name.find(old, j + 1)
    return False
