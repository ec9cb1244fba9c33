"""CNT003: a 类/款/项 marker printed in an odd form (a code inside the bracket, brackets of two widths)."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Disclosure
from ..class_prose import MARKER, paths
from ..findings import Finding
from ..prose import prose
from ..rule import Rule

_PAIRS = {"（": "）", "(": ")"}


class CodeBracket(Rule):
    """The narrative names a class as the templates do — its name, then its level in brackets:
    ``卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）`` (the Shanghai and national templates; primer §6:
    “1.“类（类）款（款）项（项）”938.99万元”). A code written inside the level's bracket (``（210类）``,
    ``（11款）``) is no name a reader can look up (warning); a bracket opened full-width and closed
    half-width (``（款)``) is a slip of presentation (info).

    Bad:  “卫生健康支出（210类）行政事业单位医疗（11款）行政单位医疗（01项）”; “行政事业单位医疗（款)”.
    Good: “卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）”.
    """

    id = "CNT003"
    name = "code-bracket"
    category = "content"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        p = prose(doc)
        text = p.text
        coded: set[int] = set()
        mixed: set[int] = set()
        ends = {it.end: path for path in paths(text) for it in path.items}
        for m in MARKER.finditer(text):
            path = ends.get(m.end())
            quoted = text[path.start: path.end] if path is not None else text[max(0, m.start() - 12): m.end()]
            line = p.line_index(m.start())
            bracket = m.group(0)
            if m.group("code"):
                if line in coded:
                    continue
                coded.add(line)
                yield self.finding(
                    f"说明中“{quoted}”：科目级次写作“{bracket}”，括号内不应写科目编码，"
                    f"应写作“科目名称（{m.group('level')}）”",
                    p.location(doc, m.start()), expected=f"（{m.group('level')}）", actual=bracket,
                )
            elif _PAIRS.get(bracket[0]) != bracket[-1] and line not in mixed:
                mixed.add(line)
                yield self.finding(
                    f"说明中“{quoted}”：“{bracket}”的左右括号全角、半角不一致",
                    p.location(doc, m.start()), severity="info", expected=f"（{m.group('level')}）",
                    actual=bracket,
                )
