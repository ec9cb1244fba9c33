"""Small text helpers shared by the recognisers."""

from __future__ import annotations

import re
from functools import lru_cache

_SPACE = re.compile(r"\s+")
# a part heading: 第一部分 概况, 第二部分 …决算表, 第三部分 …情况说明 (on compacted text)
PART_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分")


@lru_cache(maxsize=1 << 16)
def compact(text: str) -> str:
    """Text without any whitespace (PDF extractors put spaces inside words and numbers). Cached: the
    recognisers ask for the same lines and cells many times."""
    return "".join(text.split())  # str.split drops what the regex \s matches (str.isspace)

