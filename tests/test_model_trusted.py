"""``model.trusted`` builds exactly what pydantic's ``model_construct`` builds (it is only faster)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from budgetdoc.model import Cell, Location, Row, Table, trusted

_LOC = st.fixed_dictionaries({}, optional={
    "file": st.text(max_size=5), "page": st.integers(1, 99), "line": st.integers(1, 999),
    "bbox": st.tuples(*[st.floats(0, 900, allow_nan=False)] * 4), "table": st.sampled_from(["T1", "F3"]),
    "row": st.text(max_size=4), "part": st.sampled_from(["收入", "支出"]), "column": st.sampled_from(["a", "b"]),
})
_CELL = st.fixed_dictionaries({"column": st.sampled_from(["total", "basic"])}, optional={
    "value": st.none() | st.decimals(allow_nan=False, allow_infinity=False, places=2),
    "text": st.text(max_size=6), "read": st.sampled_from(["header", "guess"]),
})


@settings(max_examples=200, deadline=None)
@given(_LOC, _CELL)
def test_trusted_equals_model_construct(loc, cell):
    a, b = trusted(Location, **loc), Location.model_construct(**loc)
    assert a == b and a.model_dump() == b.model_dump() and a.model_fields_set == b.model_fields_set
    assert list(a.__dict__) == list(b.__dict__)  # the same field order (JSON output is ordered)
    c, d = trusted(Cell, location=a, **cell), Cell.model_construct(location=b, **cell)
    assert c == d and c.model_dump_json() == d.model_dump_json() and c.model_fields_set == d.model_fields_set


def test_defaults_made_by_a_factory_are_not_shared():
    r1, r2 = trusted(Row, key="a"), trusted(Row, key="b")
    r1.cells.append(trusted(Cell, column="x", value=Decimal(1)))
    assert r2.cells == [] and r1.location == Location() and r1.location is not r2.location
    t = trusted(Table, key="T1", title="t")
    assert t.rows == [] and t.unit == "万元" and t.model_fields_set == {"key", "title"}


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 99), st.integers(0, 999), st.none() | st.tuples(*[st.floats(0, 900, allow_nan=False)] * 4),
       st.sampled_from(["1,466.86", "0", "12"]), st.none() | st.sampled_from(["header", "guess"]))
def test_make_cell_builds_what_trusted_builds(page, line, bbox, text, read):
    from budgetdoc.recognise.tables.common import Context, make_cell
    from budgetdoc.recognise.tables.tokens import NUM, Token, amount

    cell = make_cell(Context(path="a.pdf", year=2024), "F1", "201", "total", Token(NUM, text, line, page, bbox), read)
    loc = trusted(Location, file="a.pdf", page=page or None, line=line or None, bbox=bbox, table="F1", row="201",
                  column="total")
    want = trusted(Cell, column="total", value=amount(text), text=text, location=loc, read=read)
    assert cell == want and cell.model_dump_json() == want.model_dump_json()
    assert cell.model_fields_set == want.model_fields_set
    assert cell.location.model_fields_set == loc.model_fields_set
    assert list(cell.__dict__) == list(want.__dict__) and list(cell.location.__dict__) == list(loc.__dict__)
