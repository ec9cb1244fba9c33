"""The model's JSON (``budgetdoc extract --format json``) as write input: its tables and performance forms
as printed, each finding named by its place in the JSON (``tables[T3]``, ``performance[0].indicators[2]``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ..errors import InputError
from ..model import Cell, Column, Disclosure, Identity, Row, Table
from .data import INFO_FIELDS, INFO_KEYS, MONEY_FIELDS, WriteData
from .extract import info_from_doc
from .workbook import _amount


def read_json(path: str) -> WriteData:
    """The model's JSON (``budgetdoc extract --format json``) as write input."""
    import json

    try:
        with open(path, encoding="utf-8-sig") as fh:
            obj = json.load(fh)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(f"无法读取 JSON 文件（不是 budgetdoc extract --format json 的输出）：{path}") from e
    if not isinstance(obj, dict) or not isinstance(obj.get("tables"), list):
        raise InputError(f"JSON 文件中没有 tables（应为 budgetdoc extract --format json 的输出）：{path}")
    try:
        ident = Identity(**{k: v for k, v in (obj.get("document") or {}).items()
                            if k in ("publisher", "scope", "kind", "year", "unit", "region", "title")})
        doc = Disclosure(source=path, identity=ident)
        for t in obj["tables"]:
            table = Table(key=t["key"], title=t.get("title") or "", number=t.get("number"), unit=t.get("unit") or "万元",
                          empty=bool(t.get("empty")), statement=t.get("statement"),
                          columns=[Column(**{k: c.get(k) for k in ("id", "label", "number", "group")})
                                   for c in t.get("columns", [])])
            for r in t.get("rows", []):
                cells = [Cell(column=c["id"], value=Decimal(c["value"]), text=c.get("text") or "")
                         for c in r.get("cells", []) if c.get("value") is not None]
                table.rows.append(Row(code=r.get("code"), name=r.get("name") or "", key=r.get("key") or "",
                                      part=r.get("part"), number=r.get("number"), cells=cells))
            doc.tables.append(table)
    except (KeyError, TypeError, ValueError, InvalidOperation) as e:
        raise InputError(f"JSON 文件的表格内容不完整或类型不对：{path}") from e
    try:
        from ..model import PerformanceForm

        doc.performance = [PerformanceForm.model_validate(f) for f in obj.get("performance") or []]
    except ValueError as e:
        raise InputError(f"JSON 文件的绩效表（performance）内容不完整或类型不对：{path}") from e
    info, items = info_from_doc(doc)
    data = WriteData(doc=doc, info=info, items=items, source=path)
    for t in doc.tables:
        data.refs[(t.key, None, None, None)] = f"tables[{t.key}]"
    for i, f in enumerate(doc.performance):  # a finding on a form names its place in the JSON
        for key in ("budget", "actual", "rate", "weight", "score", "total"):
            data.form_refs[("form", i, key)] = f"performance[{i}]"
        for j in range(len(f.indicators)):
            for key in ("w1", "w2", "weight", "score"):
                data.form_refs[("indicator", i, j, key)] = f"performance[{i}].indicators[{j}]"
        for key in f.amounts:
            data.form_refs[("amount", i, key)] = f"performance[{i}].amounts[{key}]"
    data.info_cells = {key: f"write.{zh}" for key, zh, _ in INFO_FIELDS}  # where the JSON would say it
    w = obj.get("write") if isinstance(obj.get("write"), dict) else {}
    for zh, v in w.items():
        if zh in INFO_KEYS:
            key = INFO_KEYS[zh]
            data.info[key] = _amount(v, f"write.{zh}") if key in MONEY_FIELDS else v
    return data


__all__ = ["read_json"]
