"""CNT006: a 部门 document's wording in a 单位 document, and the reverse."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...data.content import content
from ...model import Disclosure, Location
from ..findings import Finding
from ..prose import prose
from ..rule import Rule
from ..util import table_name

_TITLE_SCOPE = re.compile(r"^20\d\d年度?(?P<scope>预算单位|单位|部门)")


class ScopeWording(Rule):
    """A 单位 document speaks of the 单位 and a 部门 document of the 部门 (primer §1: a document is a
    unit's or a department's; §3.1: “a 单位预算 says 区级单位预算 / 预算单位”, titles “2025年预算单位…表”; §10:
    “a 部门预算 wording in a 单位预算 (or the reverse)”). The template phrases that say whose document it is
    are data (``data/content.toml`` [scope]); generic words (主管部门, 预算单位, 部门预算经济分类) are not
    among them. Checked in the prose, the 目录 and the table titles.

    Bad:  “2025年部门预算安排购置车辆0辆” in a 单位预算; “2025年部门财务收支预算总表” titling a 单位预算's
          table; “单位预算安排购置车辆” in a 部门预算.
    Good: “2025年单位预算安排购置车辆0辆”; “2025年预算单位财务收支预算总表”.
    """

    id = "CNT006"
    name = "scope-wording"
    category = "content"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        scope = doc.identity.scope
        if scope not in ("单位", "部门"):
            return
        other = "部门" if scope == "单位" else "单位"
        rxs = content()["scope"]["unit_doc_rx" if scope == "单位" else "department_doc_rx"]
        p = prose(doc)
        seen: set[int] = set()
        for rx in rxs:
            for m in rx.finditer(p.text):
                i = p.sentence_start(m.start())
                if i in seen:
                    continue
                seen.add(i)
                yield self.finding(
                    f"说明中“{p.sentence(m.start(), 60)}”：本文件为{scope}{doc.identity.kind or ''}，"
                    f"“{m.group(0)}”是{other}{doc.identity.kind or ''}的用语，应改为{scope}的表述",
                    p.location(doc, m.start()), expected=scope, actual=m.group(0),
                )
        for e in doc.toc:
            t = "".join(e.title.split())
            for rx in rxs:
                m = rx.search(t)
                if m:
                    yield self.finding(
                        f"目录“{e.title}”：本文件为{scope}{doc.identity.kind or ''}，“{m.group(0)}”是{other}的用语",
                        e.location.at(file=e.location.file or doc.source), expected=scope, actual=m.group(0),
                    )
                    break
        for t in doc.tables:
            title = "".join(t.title.split())
            m = _TITLE_SCOPE.match(title)
            if not m:
                continue
            said = "部门" if m.group("scope") == "部门" else "单位"
            if said != scope:
                yield self.finding(
                    f"{table_name(t)}标题印为“{t.title.strip()}”：本文件为{scope}{doc.identity.kind or ''}，"
                    f"表名应为“{'预算单位' if scope == '单位' and doc.identity.kind == '预算' else scope}…”",
                    t.location.at(file=t.location.file or doc.source, table=t.key)
                    if t.location else Location(file=doc.source, table=t.key),
                    expected=scope, actual=m.group("scope"),
                )
