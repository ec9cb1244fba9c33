"""Government procurement stated in the narrative (NAR008)."""

from __future__ import annotations

from .narrative_analysis import NarrativeRule


class NarrativeProcurement(NarrativeRule):
    """政府采购: total = 货物 + 工程 + 服务; 授予中小企业 ≤ total and its share is of the total; 授予小微企业 ≤
    中小企业 and its share is “占授予中小企业合同金额的 X%” — of the SME amount, not of the total.

    Bad: “授予中小企业合同金额216.76万元 … 授予小微企业合同金额185.31万元，占授予中小企业合同金额的39.9%”
    (185.31 ÷ 216.76 = 85.5%; 39.9% is of the total 464.77). Good: “…占授予中小企业合同金额的85.5%”.
    """

    id = "NAR008"
    name = "procurement"
    severity = "error"
