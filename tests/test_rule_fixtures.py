"""sqlfluff-style rule fixtures: ``fixtures/rules/<RULE>.toml`` holds pass and fail cases per rule.

A case builds a small Disclosure (tables with rows; values as strings, Decimal exactly; or ``text``: a
document as an extractor writes it, read and recognised) and says which findings the rule must give: ``fail`` lists {severity, contains…}; ``pass`` cases must give none.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from budgetdoc.check import registry
from budgetdoc.data import catalog
from budgetdoc.model import (
    Cell,
    Column,
    Disclosure,
    Identity,
    Location,
    Row,
    Section,
    Statement,
    Table,
    TocEntry,
)

FIXTURES = Path(__file__).parent / "fixtures" / "rules"


def build(spec: dict) -> Disclosure:
    if "text" in spec:  # a document given as the text an extractor writes: read and recognised
        from budgetdoc.read import read_text
        from budgetdoc.recognise import recognise

        return recognise(read_text(spec["text"], "fixture.txt"))
    tables = []
    for t in spec.get("tables", []):
        cat = catalog()["by_key"].get(t["key"], {})
        columns = [Column(id=c["id"], label=c["label"]) for c in cat.get("columns", [])]
        rows = []
        for i, r in enumerate(t.get("rows", [])):
            cells = [
                Cell(column=k, value=Decimal(v), text=v, location=Location(line=100 + i))
                for k, v in r.get("values", {}).items()
            ]
            key = r.get("key") or r.get("code") or r.get("name", "")
            rows.append(Row(code=r.get("code"), name=r.get("name", ""), key=key, part=r.get("part"),
                            cells=cells, location=Location(line=100 + i)))
        tables.append(Table(key=t["key"], title=cat.get("title", t["key"]), columns=columns, rows=rows,
                            empty=t.get("empty", False), statement=t.get("statement"), unit=t.get("unit", "万元"),
                            location=Location(page=t.get("page"), line=t.get("line", 1))))
    ident = Identity(**spec.get("identity", {"kind": "决算", "year": 2023, "publisher": "示例单位"}))
    toc = [TocEntry(**e) for e in spec.get("toc", [])]
    sections = [Section(**s) for s in spec.get("sections", [])]
    narrative = [Statement(**st) for st in spec.get("narrative", [])]
    return Disclosure(source="fixture.txt", identity=ident, tables=tables, toc=toc, sections=sections,
                      narrative=narrative)


def cases() -> list:
    out = []
    for f in sorted(FIXTURES.glob("*.toml")):
        data = tomllib.loads(f.read_text("utf-8"))
        for name, case in data.items():
            out.append(pytest.param(f.stem, case, id=f"{f.stem}-{name}"))
    return out


@pytest.mark.parametrize("rule_id,case", cases())
def test_rule_fixture(rule_id: str, case: dict) -> None:
    rule = registry()[rule_id]()
    findings = list(rule.run(build(case["doc"])))
    expected = case.get("fail", [])
    if not expected:
        assert findings == [], [f.message for f in findings]
        return
    assert len(findings) == len(expected), [f.message for f in findings]
    for f, e in zip(findings, expected, strict=True):
        assert f.severity == e["severity"], f.message
        for text in e.get("contains", []):
            assert text in f.message, f.message
        for key in ("table", "row", "column"):
            if key in e:
                assert getattr(f.location, key) == e[key]


def test_every_rule_has_docstring_with_bad_and_good_example() -> None:
    for rid, cls in registry().items():
        doc = cls.__doc__ or ""
        assert "Bad" in doc and "Good" in doc, rid
        assert cls.name and cls.category, rid


def test_rule_names_are_unique_kebab_case() -> None:
    import re

    names = [cls.name for cls in registry().values()]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", n) for n in names), names


def test_every_rule_has_fixtures_or_seed_tests() -> None:
    have = {f.stem for f in FIXTURES.glob("*.toml")}
    tested = set()
    for f in Path(__file__).parent.glob("test_*.py"):
        text = f.read_text("utf-8")
        tested |= {rid for rid in registry() if rid in text}
    missing = set(registry()) - have - tested
    assert not missing, f"rules without fixtures or tests: {sorted(missing)}"
