"""Which files make one document (budgetdoc.pipeline.plan), for any list of files: every file in exactly
one document, in the order of its first file; a document of several files is one narrative file and the
files of tables of its publisher, kind and year, nothing guessed when two narratives could claim a file."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from budgetdoc.pipeline import Part, plan

PUBLISHERS = ["江苏省人大常委会办公厅", "中共江苏省委办公厅", "江苏省委办公厅", "上海市普陀区商务委员会", None]
ROLES = ["narrative", "tables", "whole", "unusable"]


@st.composite
def parts(draw) -> list[Part]:
    n = draw(st.integers(0, 8))
    out = []
    for i in range(n):
        role = draw(st.sampled_from(ROLES))
        out.append(Part(f"/d/f{i}.pdf", role, draw(st.sampled_from(PUBLISHERS)), draw(st.sampled_from(["部门", None])),
                        draw(st.sampled_from(["预算", "决算", None])), draw(st.sampled_from([2018, 2019, None]))))
    return out


def _same(a: Part, b: Part) -> bool:
    na, nb = (p.publisher.removeprefix("中共") if p.publisher else None for p in (a, b))
    return bool(na and nb) and (na == nb or na.endswith(nb) or nb.endswith(na)) and all(
        x is None or y is None or x == y for x, y in ((a.kind, b.kind), (a.year, b.year), (a.scope, b.scope)))


@settings(max_examples=300, deadline=None)
@given(parts(), st.booleans())
def test_every_file_is_in_exactly_one_document(files: list[Part], as_one: bool) -> None:
    groups = plan(files, as_one)
    flat = [p for g in groups for p in g]
    assert sorted(flat) == sorted(p.path for p in files)
    index = {p.path: i for i, p in enumerate(files)}
    firsts = [min(index[p] for p in g) for g in groups]
    assert firsts == sorted(firsts)
    by_path = {p.path: p for p in files}
    for g in groups:
        if len(g) == 1:
            continue
        members = [by_path[p] for p in g]
        assert all(m.role != "unusable" for m in members)
        if as_one:
            continue
        head, rest = members[0], members[1:]
        assert head.role == "narrative" and all(m.role == "tables" for m in rest)
        assert all(_same(head, m) for m in rest)
        # no other narrative could claim these tables
        assert not any(o.role == "narrative" and o is not head and any(_same(o, m) for m in rest) for o in files)


def test_as_one_puts_the_narrative_first() -> None:
    files = [Part("/d/t.pdf", "tables", "甲单位"), Part("/d/n.pdf", "narrative", "乙单位"), Part("/d/x", "unusable")]
    assert plan(files, as_one=True) == [("/d/n.pdf", "/d/t.pdf"), ("/d/x",)]
    assert plan(files) == [("/d/t.pdf",), ("/d/n.pdf",), ("/d/x",)]
