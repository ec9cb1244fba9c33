"""Regenerate the README's rule catalog from the rules."""

import re
from pathlib import Path

from budgetdoc.check.catalog import rules_markdown
from budgetdoc.corpus import pair_rules_markdown

readme = Path(__file__).resolve().parent.parent / "README.md"
text = readme.read_text("utf-8")
text = re.sub(
    r"(<!-- rules:start -->\n).*?(<!-- rules:end -->)",
    lambda m: m.group(1) + rules_markdown() + m.group(2),
    text,
    flags=re.S,
)
text = re.sub(
    r"(<!-- pair-rules:start -->\n).*?(<!-- pair-rules:end -->)",
    lambda m: m.group(1) + pair_rules_markdown() + m.group(2),
    text,
    flags=re.S,
)
readme.write_text(text, "utf-8")
