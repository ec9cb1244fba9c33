"""The rule catalog for people: generated from the rules' ids, names and docstrings."""

from __future__ import annotations

import inspect

from .rule import registry


def rules_json() -> list[dict[str, str]]:
    return [
        {"id": rid, "name": cls.name, "category": cls.category, "severity": cls.severity,
         "doc": inspect.cleandoc(cls.__doc__ or "")}
        for rid, cls in registry().items()
    ]


def rules_markdown() -> str:
    out = ["| id | name | category | default severity | what it enforces |", "|---|---|---|---|---|"]
    for r in rules_json():
        first = r["doc"].split("\n\n")[0].replace("\n", " ").replace("|", "\\|")
        out.append(f"| {r['id']} | {r['name']} | {r['category']} | {r['severity']} | {first} |")
    return "\n".join(out) + "\n"
