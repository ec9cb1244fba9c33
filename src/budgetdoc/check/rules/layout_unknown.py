"""A document whose region's layout the catalog does not know is said to be one, once."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Disclosure, Location
from ..findings import Finding
from ..layout import UNKNOWN
from ..rule import Rule


class UnknownLayout(Rule):
    """The table layout of the document's region is not in the catalog: say so once, and what was
    checked all the same.

    A region's tables differ in titles, columns and rows (Jiangsu's 公开表一…十二 are not Shanghai's nine
    tables); a checker that reads them with another region's layout cries wolf. Until the region's layout
    is added (a ``data/regions/<name>.toml`` file, see the README), its tables are read by their structure
    and only what is certain is checked: sums inside a table, the narrative's own arithmetic, names,
    years and placeholders — never a cell whose column was guessed, the statutory set or the relations
    between tables.

    Bad:  a Jiangsu 部门预算 read with no Jiangsu layout in the catalog: one warning naming 江苏省.
    Good: a document of a region the catalog holds (or whose tables it knows): nothing.
    """

    id = "REC003"
    name = "unknown-layout"
    category = "recognition"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        if doc.identity.layout != UNKNOWN:
            return
        region = doc.identity.region or "未识别"
        yield self.finding(
            f"本文件所属地区（{region}）的公开表版式不在表目录中：表格按结构读取，只核对能确定的内容"
            "（表内各级科目之和、说明中数字本身的计算、名称、年度和模板残留），不核对法定表是否齐全、"
            "表间关系和说明与表格是否一致；补充该地区的版式（data/regions）后可完整检查",
            Location(file=doc.source),
            expected="已知版式",
            actual=region,
        )
