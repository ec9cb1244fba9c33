"""CNT009: a sentence that says two things that cannot both be (增加持平, 减少为0.00万元…持平)."""

from __future__ import annotations

from collections.abc import Iterator

from ...data.content import content
from ...model import Disclosure
from ..findings import Finding
from ..prose import prose
from ..rule import Rule


class SelfContradiction(Rule):
    """A clause does not contradict itself (primer §9: “narrative contradicting itself”; §10). The shapes
    are data (``data/content.toml`` [contradiction]): a direction next to 持平 (“增加持平”), a decrease to
    zero called level (“减少为0.00万元，与2024年持平”), a template pair cut in half (“减增加”, “大小于”).
    Direction pairs (“增加减少”, “大于小于”) are NAR010's. A warning: which of the two words is right
    needs the numbers.

    Bad:  “政府性基金拨款支出预算0万元，与2025年预算增加持平”; “减少为0.00万元，与2024年持平”;
          “决算数比2024年度减增加21.90万元”.
    Good: “政府性基金拨款支出预算0万元，与2025年预算持平”.
    """

    id = "CNT009"
    name = "self-contradiction-text"
    category = "content"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        p = prose(doc)
        seen: set[int] = set()
        for rx in content()["contradiction"]["rx"]:
            for m in rx.finditer(p.text):
                i = p.sentence_start(m.start())
                if i in seen:
                    continue
                seen.add(i)
                yield self.finding(
                    f"说明中“{p.sentence(m.start(), 70)}”：“{m.group(0)}”前后矛盾，应按实际数写明增减或持平",
                    p.location(doc, m.start()), actual=m.group(0),
                )
