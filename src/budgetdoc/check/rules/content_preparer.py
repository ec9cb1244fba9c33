"""CNT008: a table header whose 编制部门 / 编制单位 is blank."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...model import Disclosure
from ..findings import Finding
from ..rule import Rule
from ..util import line_location, table_name

# the preparer's label followed by nothing but the amounts' unit (or the line's end)
_BLANK = re.compile(
    r"(?P<label>编制部门|编制单位|部门名称|单位名称|预算单位|预算部门|(?<![金额])单位|部门)[:：]\s*"
    r"(?=(?:金额)?单位[:：]|$)"
)
_HEADER_LINES = 5  # the header lines under a table title where the preparer is printed


class BlankPreparer(Rule):
    """Each table's header names who prepared it (primer §3.1: “Each table header says “编制部门/编制单位：…”
    and “单位：元””; §10: “a blank 编制部门/编制单位”). A label followed by nothing (or directly by the unit of
    the amounts) is blank. Checked on the few lines under each table's title.

    Bad:  “编制部门：　　　　单位：元”.
    Good: “编制部门：上海市普陀区商务委员会　单位：元”.
    """

    id = "CNT008"
    name = "blank-preparer"
    category = "content"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        lines = [ln for ln in doc.lines() if ln.text.strip()]
        index = {(ln.page, ln.number): i for i, ln in enumerate(lines)}
        for t in doc.tables:
            i = index.get((t.location.page, t.location.line))
            if i is None:
                continue
            for ln in lines[i: i + _HEADER_LINES]:
                text = ln.text.strip()
                m = _BLANK.search(text)
                if m is None:
                    continue
                yield self.finding(
                    f"{table_name(t)}表头“{text[:40]}”：“{m.group('label')}”后未填写{('部门' if '部门' in m.group('label') else '单位')}名称",
                    line_location(doc, ln.page, ln.number).at(table=t.key),
                    expected=doc.identity.publisher or "编制单位名称", actual="空白",
                )
                break
