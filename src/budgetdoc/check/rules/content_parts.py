"""CNT014: a part the bureau's form requires is missing (封面, 目录, 主要职能, 机构设置, 名词解释, 说明)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...data.checklists import select
from ...data.content import part_label, parts
from ...model import Disclosure, Location
from ...recognise.text import compact
from ..findings import Finding
from ..parts import key, part_map
from ..prose import prose
from ..rule import Rule
from ..util import line_location

_COVER = re.compile(r"20\d\d年")
_KIND = re.compile(r"预算|决算")
_PART_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分")
_TOC_WORD = re.compile(r"目录.*$")


class RequiredParts(Rule):
    """Every part the bureau's form checks is in the document (primer §10: 封面, 目录, 主要职能, 机构设置,
    名词解释, 预算编制说明 / 情况说明, 其他相关说明; the rows are data: ``data/checklists/*.toml``, ``required``).
    The cover states the year and the kind (预算/决算). A text that begins at its first part (an extract
    without its cover and 目录) is not judged on them, nor a file of tables alone (Jiangsu publishes the
    narrative and the tables as two files): what was not given cannot be said missing.

    Bad:  a Shanghai 部门预算 without 名词解释; a cover page without the year.
    Good: every part the form lists, under its heading.
    """

    id = "CNT014"
    name = "required-parts"
    category = "content"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        checklist = select(doc)
        if checklist is None or not doc.tables and not doc.narrative:
            return
        if doc.tables and not prose(doc).text:
            return  # a file of tables alone (its narrative published as another file): not judged on parts
        pm = part_map(doc)
        present = pm.present()
        lines = [ln for ln in doc.lines() if ln.text.strip()]
        first = "".join(lines[0].text.split()) if lines else ""
        from_first_part = bool(_PART_HEADING.match(first)) and pm.toc is None
        for row in checklist.rows:
            if not row.required or not row.parts:
                continue
            if "cover" in row.parts:
                if from_first_part:
                    continue
                yield from self._cover(doc, pm, lines)
                continue
            if "toc" in row.parts:
                if pm.toc is None and "toc" not in present and not from_first_part:
                    yield self._missing(doc, "目录", row.text(doc.identity.scope), None)
                continue
            if not present & set(row.parts):
                yield self._missing(doc, part_label(row.parts[0]), row.text(doc.identity.scope), row.parts)

    def _cover(self, doc: Disclosure, pm, lines) -> Iterator[Finding]:
        end = pm.toc[0] if pm.toc is not None else (pm.keys[pm.headings[0][0]] if pm.headings else None)
        cover = [ln for ln in lines if end is None or key(ln.page, ln.number) < end]
        text = "".join("".join(ln.text.split()) for ln in cover)
        head = next((ln for ln in lines if end is not None and key(ln.page, ln.number) == end), None)
        if head is not None:  # the cover's last line glued to 目录 (a page break lost)
            text += _TOC_WORD.sub("", "".join(head.text.split()))
        if not cover:
            yield self._missing(doc, "封面", "封面", None)
            return
        lacking = [w for w, rx in (("年度", _COVER), ("预算/决算", _KIND)) if not rx.search(text)]
        if lacking:
            ln = cover[0]
            yield self.finding(
                f"封面“{text[:40]}”未写明{'、'.join(lacking)}",
                Location(file=doc.source, page=ln.page, line=ln.number, bbox=ln.bbox),
                expected="封面", actual="不完整",
            )

    def _missing(self, doc: Disclosure, label: str, row: str, pids: tuple[str, ...] | None) -> Finding:
        """Said at the 目录 entry that lists the part (the document promises it), else at the first line."""
        where = Location(file=doc.source)
        specs = parts()
        entry = next((e for e in doc.toc if pids and any(
            specs[p].heading.search(compact(e.title)) for p in pids if p in specs)), None)
        if entry is not None and entry.location.line is not None:
            where = line_location(doc, entry.location.page, entry.location.line)
        else:
            first = next((ln for ln in doc.lines() if ln.text.strip()), None)
            if first is not None:
                where = line_location(doc, first.page, first.number)
        said = "目录列出了该部分，正文中却没有" if entry is not None else "文件中没有该部分"
        return self.finding(f"缺少“{label}”部分（检查表“{row}”一项）：{said}", where, expected=label, actual="缺失")
