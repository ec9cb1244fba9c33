"""``budgetdoc schema report`` describes exactly what ``check --format json`` prints, for every document in
hand (seeds, samples, real): the output validates against the schema (a small JSON Schema validator below:
``jsonschema`` is not installed), every object has exactly the properties the schema lists, and it
round-trips through the model it is dumped from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from budgetdoc.cli import cli
from budgetdoc.report.json import CheckOutput
from conftest import SHARED

DOCUMENTS = sorted(
    [*(SHARED / "seeds").glob("0*.txt"), *(SHARED / "samples").glob("*.pdf"), *(SHARED / "real").glob("*.pdf"),
     *(SHARED / "real").glob("*.txt")]
)


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    code, out = _invoke("schema", "report")
    assert code == 0
    return json.loads(out)


def validate(value: Any, node: dict[str, Any], root: dict[str, Any], path: str = "$") -> list[str]:
    """The places where ``value`` breaks ``node`` (the subset of JSON Schema pydantic writes)."""
    if "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in node:
        options = [validate(value, n, root, path) for n in node["anyOf"]]
        return [] if any(not o for o in options) else [f"{path}: none of anyOf fits: {options}"]
    errors: list[str] = []
    if "enum" in node and value not in node["enum"]:
        errors.append(f"{path}: {value!r} not in {node['enum']}")
    if "const" in node and value != node["const"]:
        errors.append(f"{path}: {value!r} != {node['const']!r}")
    kind = node.get("type")
    checks = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
        "array": lambda v: isinstance(v, list),
        "object": lambda v: isinstance(v, dict),
    }
    if kind is not None and not checks[kind](value):
        return [*errors, f"{path}: {value!r} is not {kind}"]
    if kind == "object" or "properties" in node:
        props = node.get("properties", {})
        missing = set(node.get("required", ())) - set(value)
        extra = set(value) - set(props)
        if missing:
            errors.append(f"{path}: missing {sorted(missing)}")
        if extra:  # the schema must describe exactly what is printed
            errors.append(f"{path}: not in the schema {sorted(extra)}")
        for k, v in value.items():
            if k in props:
                errors += validate(v, props[k], root, f"{path}.{k}")
    if kind == "array":
        prefix = node.get("prefixItems")
        if prefix is not None:
            if len(value) != len(prefix):
                errors.append(f"{path}: {len(value)} items, schema has {len(prefix)}")
            for i, (v, n) in enumerate(zip(value, prefix, strict=False)):
                errors += validate(v, n, root, f"{path}[{i}]")
        elif "items" in node:
            for i, v in enumerate(value):
                errors += validate(v, node["items"], root, f"{path}[{i}]")
    return errors


def test_validator_can_fail(schema: dict[str, Any]) -> None:
    good = {"source": "x.txt", "document": {"publisher": None, "scope": None, "kind": None, "year": None,
                                            "unit": "万元", "region": None, "title": None},
            "summary": {"error": 0, "warning": 0, "info": 0},
            "stats": {"rules": 1, "tables": 0, "statements": 0, "performance_forms": 0}, "findings": []}
    assert validate(good, schema, schema) == []
    assert validate({**good, "extra": 1}, schema, schema)
    assert validate({**good, "summary": {"error": "0", "warning": 0, "info": 0}}, schema, schema)
    bad_finding = {"rule": "ARI001", "severity": "fatal"}
    assert validate({**good, "findings": [bad_finding]}, schema, schema)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_check_json_matches_schema(path: Path, schema: dict[str, Any]) -> None:
    code, out = _invoke("check", "--format", "json", str(path))
    if code == 2:
        pytest.skip(f"{path.name} cannot be used yet")
    data = json.loads(out)
    assert isinstance(data, dict)
    assert validate(data, schema, schema) == []
    assert CheckOutput.model_validate(data).model_dump(mode="json") == data
    for f in data["findings"]:
        loc = f["location"]
        if loc["table"] and loc["column"]:  # table findings name the column by id, the label beside it
            assert loc["column_label"], f
            assert loc["column"] != loc["column_label"] or loc["column"].isascii(), f


def test_schema_report_is_the_printed_model() -> None:
    code, out = _invoke("schema", "report")
    assert json.loads(out) == CheckOutput.model_json_schema(mode="serialization")
    assert set(json.loads(out)["properties"]) == {"source", "parts", "document", "summary", "stats", "findings"}


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_table_findings_name_their_cells_by_keys(path: Path) -> None:
    """Every finding (and related place) that names a table row and column names them by the row's key
    (with the part where the key is in both halves) and the column's id: the reports' lookup finds it."""
    from budgetdoc.check import check
    from budgetdoc.report.html import locate
    from conftest import load_doc_or_skip

    doc = load_doc_or_skip(path)
    for f in check(doc).findings:
        for loc in [f.location, *f.related]:
            t = doc.table(loc.table) if loc.table else None
            if t is None:
                continue
            ref = locate(doc, loc)
            assert ref is not None
            if loc.row:
                assert ref.row >= 0, (f.rule, loc)
                assert len([r for r in t.rows if r.key == loc.row]) == 1 or loc.part, (f.rule, loc)
            if loc.column:
                assert ref.column == loc.column, (f.rule, loc)
                assert loc.column_label in (None, t.column(loc.column).label), (f.rule, loc)
