"""Year-on-year changes stated in the narrative (NAR003)."""

from __future__ import annotations

from .narrative_analysis import NarrativeRule


class NarrativeChange(NarrativeRule):
    """A year-on-year change and its rate agree: rate = change ÷ previous, previous = current ∓ change,
    and the direction of the change (增加/减少) and of the rate (增长/下降) are the same. The rate is
    the ratio rounded to the precision it is printed with (primer §5), the amounts known to theirs: no unit
    of the last digit is given away (that is only for shares forced to add up to 100%). A rate cut at its
    last digit (16.07% for 16.0775%) is a warning; any other figure is an error (“增长30%” where the numbers
    give 29.15%).

    Bad: “收入合计1,466.86万元，与2022年度相比减少310.64万元，下降18.5%” (310.64 ÷ 1,777.50 = 17.5%);
    “增加310.64万元，下降17.5%”. Good: “减少310.64万元，下降17.5%”.
    """

    id = "NAR003"
    name = "narrative-change"
    severity = "error"
