"""The rule catalog for people: generated from the rules' ids, names and docstrings."""

from __future__ import annotations

import inspect
from collections.abc import Mapping

from .rule import registry


def rules_json(rules: Mapping[str, type] | None = None) -> list[dict[str, str]]:
    """id, name, category, severity and docstring of each rule (the document rules by default; the
    cross-document rules pass their own registry)."""
    return [
        {"id": rid, "name": cls.name, "category": cls.category, "severity": cls.severity,
         "doc": inspect.cleandoc(cls.__doc__ or "")}
        for rid, cls in (registry() if rules is None else rules).items()
    ]


def rules_markdown(rules: Mapping[str, type] | None = None, *, category: bool = True) -> str:
    """The README's rule table: one row per rule, its docstring's first paragraph."""
    head = ["id", "name", *(["category"] if category else []), "default severity", "what it enforces"]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rules_json(rules):
        first = r["doc"].split("\n\n")[0].replace("\n", " ").replace("|", "\\|")
        cells = [r["id"], r["name"], *([r["category"]] if category else []), r["severity"], first]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"
