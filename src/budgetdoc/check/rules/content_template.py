"""CNT005: template instructions left in the published text."""

from __future__ import annotations

from collections.abc import Iterator

from ...data.content import content
from ...model import Disclosure
from ..findings import Finding
from ..prose import prose
from ..rule import Rule
from .identity import placeholders


class TemplateText(Rule):
    """No instruction of the template is left in the published text (primer §10: “template instructions
    left in”; the Shanghai 决算 template's “增加（减少）XXX万元，增长（下降）XX%”, “按上述格式依次说明到各项级科目”,
    “无…的部门，作下述说明”; the 预算 template's “（绩效目标管理工作情况，以及编报绩效目标的项目数量、单位数量、预算
    金额等）”). The phrases are data (``data/content.toml`` [template]); the placeholders (XX, “请填写”,
    “如持平作持平表述”) are IDN003's, and a line IDN003 reports is not reported again.

    Bad:  “比2023年度减少0.15万元，下降（增长）27.78%”; “五、国有资产占有使用情况（增加内容）”;
          “增加（减少）的主要原因是业务量增加”.
    Good: “比2023年度减少0.15万元，下降27.78%”; “五、国有资产占有使用情况”.
    """

    id = "CNT005"
    name = "template-text"
    category = "content"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        pats = content()["template"]["rx"]
        p = prose(doc)
        text = p.text
        hits: dict[int, list[str]] = {}
        first: dict[int, int] = {}
        for rx in pats:
            for m in rx.finditer(text):
                if len(set(m.groups())) == 1 and m.groups() and None not in m.groups():
                    continue  # 增加（增加）: no alternative offered
                i = p.sentence_start(m.start())
                hits.setdefault(i, [])
                if m.group(0) not in hits[i]:
                    hits[i].append(m.group(0))
                first[i] = min(first.get(i, m.start()), m.start())
        for i in sorted(hits):
            ln = p.line_at(first[i])
            if placeholders(ln.text):
                continue  # IDN003's
            shown = "、".join(f"“{h}”" for h in hits[i])
            yield self.finding(
                f"说明中残留模板的填写说明：{shown}，见“{p.sentence(first[i], 70)}”，应删去说明文字，按实际情况填写",
                p.location(doc, first[i]), actual="；".join(hits[i]),
            )
