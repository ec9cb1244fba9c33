"""What a filled input workbook takes from an existing document (``extract --format xlsx``): the document
information its 概况 and narrative state (duties, structure and staff; last year's totals, initial budgets, procurement, 机关运行经费), a statutory
table it promises and does not print where the other tables tell it, and which derived cells to leave
blank (computed when written) or typed (a printed total that differs from its parts by rounding only)."""

from __future__ import annotations

from ..errors import InputError
from ..model import Disclosure
from .compute import compute
from .data import Item, WriteData


def info_from_doc(doc: Disclosure) -> tuple[dict[str, object], dict[str, Item]]:
    """What a written document's narrative needs, taken from an existing document's statements: last
    year's totals (from its year-on-year sentences), the initial budgets (execution sentences), the
    procurement amounts, 机关运行经费; and the text of its 概况 (duties, structure, staff: :mod:`.overview`)."""
    ident = doc.identity
    info: dict[str, object] = {"publisher": ident.publisher, "scope": ident.scope, "kind": ident.kind,
                               "year": ident.year, "region": ident.region}
    items: dict[str, Item] = {}
    subjects = {"收支总计": "prev_total", "收入合计": "prev_income", "支出合计": "prev_expense",
                "财政拨款收支总计": "prev_fiscal_total", "一般公共预算财政拨款支出": "prev_general"}
    t5 = doc.table("T5") or doc.table("B5_1")
    by_name = {}
    if t5 is not None:
        names = {r.code: r.name for r in t5.rows if r.code}
        by_name = {f"{names.get(r.code[:3], '')}/{names.get(r.code[:5], '')}/{r.name}": r.code
                   for r in t5.rows if r.code and len(r.code) == 7}
    for s in doc.narrative:
        v = s.values
        if s.kind == "yoy" and s.subject in subjects and "change" in v and "current" in v:
            sign = {"增加": 1, "减少": -1}.get(s.words.get("direction", ""))
            if sign and subjects[s.subject] not in info:
                info[subjects[s.subject]] = v["current"] - sign * v["change"]
        elif s.kind == "yoy" and ident.kind == "预算" and "change" in v and "current" in v:
            sign = {"增加": 1, "减少": -1}.get(s.words.get("direction", ""))
            ref = s.refs.get("current", "")
            code = ref.split(":")[1] if ref.startswith(("B5_1:", "B3:")) else by_name.get(s.subject, "")
            if s.subject == "收支总计" and sign:
                info.setdefault("prev_total", v["current"] - sign * v["change"])
            elif s.subject in ("预算", "一般公共预算财政拨款支出") and sign:
                info.setdefault("prev_general", v["current"] - sign * v["change"])
            elif code.isdigit() and sign:
                items.setdefault(code, Item(code=code)).previous = v["current"] - sign * v["change"]
        elif s.kind == "execution" and "budget" in v:
            if s.subject == "一般公共预算财政拨款支出":
                info.setdefault("initial_budget", v["budget"])
            elif s.subject in by_name:
                items.setdefault(by_name[s.subject], Item(code=by_name[s.subject], budget=v["budget"]))
        elif s.kind == "procurement" and s.words.get("check") == "composition":
            for k, key in (("goods", "procurement_goods"), ("works", "procurement_works"),
                           ("services", "procurement_services")):
                if k in v:
                    info.setdefault(key, v[k])
        elif s.kind == "procurement" and s.words.get("check") == "sme" and "sme" in v:
            info.setdefault("procurement_sme", v["sme"])
        elif s.kind == "procurement" and s.words.get("check") == "micro" and "micro" in v:
            info.setdefault("procurement_micro", v["micro"])
        elif s.kind == "amount" and s.subject == "机关运行经费" and "amount" in v and ident.kind == "决算":
            info.setdefault("running_cost", v["amount"])
    from .overview import overview_from_doc

    for key, text in overview_from_doc(doc).items():
        info.setdefault(key, text)
    return {k: v for k, v in info.items() if v is not None}, items


def with_promised_tables(doc: Disclosure) -> Disclosure:
    """The document with a statutory table it promises but does not print, where the other tables tell it
    (收入总表 from 收支总表 and 支出总表), so the rewritten document has it."""
    from .standard import income_table
    from .template import template

    if not doc.tables:
        return doc
    ident = doc.identity
    try:
        tpl = template(None, ident.kind, ident.region, ident.publisher, {t.key for t in doc.tables})
    except InputError:
        return doc
    b2 = income_table(doc, tpl)
    if b2 is None:
        return doc
    doc = doc.model_copy(deep=True)
    at = next((i for i, t in enumerate(doc.tables) if t.key == "B3"), len(doc.tables))
    doc.tables.insert(at, b2)
    return doc


def blank_cells(doc: Disclosure, derived: set[tuple]) -> set[tuple]:
    """The derived cells a filled workbook leaves blank: those the writer computes back to the printed value
    or that the printed document gets wrong. A printed total that the computation from the blanked workbook
    misses by rounding residue only (a total rounded from yuan, 114.52 beside parts adding to 114.53) stays
    typed, so the rewritten document prints it as published."""
    from ..check.tolerance import classify

    printed = {(t.key, r.part, r.key, c.column): (c.value, t.unit) for t in doc.tables for r in t.rows
               for c in r.cells if c.value is not None}
    blank = set(derived)
    for _ in range(6):
        trial = doc.model_copy(deep=True)
        for t in trial.tables:
            for r in t.rows:
                r.cells = [c for c in r.cells if (t.key, r.part, r.key, c.column) not in blank]
        again, _, _ = compute(WriteData(doc=trial, source=doc.source))
        values = {(t.key, r.part, r.key, c.column): c.value for t in again.tables for r in t.rows for c in r.cells}
        keep = set()
        for key in blank:
            if key not in printed or values.get(key) is None:
                continue
            v, unit = printed[key]
            if classify(values[key] - v, 8, unit) == "residue":
                keep.add(key)
        if not keep:
            break
        blank -= keep
    return blank


__all__ = ["blank_cells", "info_from_doc", "with_promised_tables"]
