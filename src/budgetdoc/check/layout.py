"""What cannot be said of a document whose layout the catalog does not know.

Its tables are read by their structure (:mod:`budgetdoc.recognise.tables.structural`), nothing guessed;
the rules that need the layout — which tables a disclosure of that region must print and in which order
the 目录 lists them, what the narrative must cover, which cells of two tables are the same quantity, which
rows a summary table prints — say nothing of it (REC003 says once why). Sums inside a table, the
narrative's own arithmetic and words, names, years and placeholders are still checked.
"""

from __future__ import annotations

UNKNOWN = "unknown"  # Identity.layout of such a document
# completeness against the statutory set and the 目录, narrative topics, relations between tables, the
# class rows of a summary table, forms against tables, the narrative's quantities named by the vocabulary
LAYOUT_RULES = frozenset({"CMP001", "CMP002", "CMP004", "CMP005", "REL001", "CLS003", "PRF010", "NAR011"})

__all__ = ["LAYOUT_RULES", "UNKNOWN"]
