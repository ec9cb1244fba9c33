"""Tables: find every catalog table in the source and read its rows and cells.

:mod:`.segment` finds the titles and extents; one reader per catalog layout reads the rows:
:mod:`.summary` (two halves), :mod:`.functional` (coded rows), :mod:`.economic` (基本支出 groups),
:mod:`.sangong` (one row of 三公 amounts), :mod:`.units` (rows per unit or project). Text that lost
its blank cells is placed into columns by :mod:`.resolve`. Performance target forms (B11, B12) are
read elsewhere; their titles only end the table before them.
"""

from __future__ import annotations

import re

from ...data import catalog
from ...data import codes as reference_codes
from ...errors import describe
from ...model import Diagnostic, Identity, Row, Table
from ...read import Source
from .common import Context, columns_of, row_key
from .economic import read_economic
from .functional import read_coded
from .header import grid_header, map_grid
from .names import misread, norm
from .sangong import read_sangong
from .segment import Segment, find_segments, read_tail
from .summary import SUMMARY_LABELS, read_summary
from .tree import read_single, read_tree
from .units import read_listed

NOT_HERE = {"performance"}  # layouts read by another recogniser


def find_tables(
    source: Source, identity: Identity, headings: list[str] | None = None
) -> tuple[list[Table], list[Diagnostic]]:
    """The tables; ``headings``: the titles of the parts and sections the 目录 lists (a table ends
    where one of them begins)."""
    ctx = Context(path=source.path, year=identity.year)
    unknown: list = []
    segments = [
        s for s in find_segments(source, identity.kind, headings, unknown)
        if s.spec.get("layout") not in NOT_HERE
    ]
    for ln, key in unknown:
        if key is None:
            ctx.diag("unknown-table", f"表格“{ln.text.strip()}”不在表目录中，未读取、未检查", ln)
        else:
            title = catalog()["by_key"][key]["title"]
            ctx.diag("unknown-table", f"表格“{ln.text.strip()}”的标题不规范，按表头识别为《{title}》并检查", ln,
                     table=key)
    groups = _merge_continuations(segments)
    specs = [[seg.spec for seg in g] for g in groups]  # as found: a table read again starts from them
    read: dict[int, tuple[Table, list[Diagnostic]]] = {}

    def read_group(i: int, others: list[Table]) -> tuple[Table, list[Diagnostic]]:
        for seg, spec in zip(groups[i], specs[i], strict=True):
            seg.spec = spec
        sub = Context(path=ctx.path, year=ctx.year)
        return _read(groups[i], sub, others), sub.diagnostics

    # 三公 tables last: their ambiguous placements use the 基本支出 table's values
    order = sorted(range(len(groups)), key=lambda i: groups[i][0].spec.get("layout") == "sangong")
    for i in order:
        read[i] = read_group(i, [read[j][0] for j in sorted(read)])
    # a table with amounts placed by a guess is read again with every other table at hand: what they
    # print with certainty may decide (.relations)
    for i in order:
        if _guessed(read[i][0]):
            again = read_group(i, [read[j][0] for j in sorted(read) if j != i])
            if _guessed(again[0]) < _guessed(read[i][0]):
                read[i] = again
    out = [read[i][0] for i in range(len(groups))]
    for i in order:
        ctx.diagnostics.extend(read[i][1])
    ctx.diagnostics.extend(_misread_names(out, identity.year))
    _mark_uncertain(out, ctx.diagnostics)
    return out, ctx.diagnostics


def _summary_label(name: str) -> bool:
    """A 收支总表 row that is no class: totals, carry-overs, 结余分配."""
    key = row_key(name)
    return key.startswith(SUMMARY_LABELS) or "合计" in key or "总计" in key or key.startswith(("年末", "年终", "年初"))


def _declared_rows(key: str) -> set[str]:
    """The row names the layout itself gives a table: in its row identities (totals and items) and in the
    relations naming its rows (``B1:基本支出@支出用途:amount``) — names the table prints, never misreadings."""
    cat = catalog()
    out: set[str] = set()
    for ident in cat["by_key"].get(key, {}).get("identities", []):
        if ident.get("kind") == "rows":
            names = [ident.get("total"), *(ident["items"] if isinstance(ident.get("items"), list) else [])]
            out.update(n.split("@", 1)[0] for n in names if isinstance(n, str))
    for rel in cat.get("relations", []):
        for side in (rel.get("left"), rel.get("right")):
            ref = side.split(":") if isinstance(side, str) else []
            if len(ref) >= 3 and ref[0] == key:
                out.add(ref[1].split("@", 1)[0])
    return {norm(n) for n in out}


def _misread_names(tables: list[Table], year: int | None) -> list[Diagnostic]:
    """A row name built by the reader from pieces of other cells (:mod:`.names`): said for its table,
    which is then not read with certainty; the classification rules pass over the row."""
    out: list[Diagnostic] = []
    for t in tables:
        spec = catalog()["by_key"].get(t.key, {})
        layout = spec.get("layout")
        labels = tuple(c["label"] for c in spec.get("columns", []))
        declared = _declared_rows(t.key)
        for r in t.rows:
            if norm(r.name) in declared:
                continue
            code = r.code if r.code and r.code.isdigit() else None
            scheme = "economic" if code and code[0] in "35" else "functional"
            if code is None and not (layout == "summary" and r.part == "支出" and r.name and not _summary_label(r.name)):
                continue
            expected = reference_codes(scheme, year or t.year).get(code) if code else None
            if code and expected is None:
                continue  # a code the reference data does not list: its name is not judged
            p = norm(r.name)
            if not p or expected and norm(expected).startswith(p) and len(p) >= 4:
                continue  # a name cut where it wrapped: the classification rule judges it
            why = misread(r.name, expected, scheme, labels)
            if why:
                out.append(Diagnostic(
                    code="misread-name",
                    message=f"{t.key} 行“{code or ''}{r.name}”的名称{why}，像是识别时拼错了行，未核对其名称",
                    location=r.location,
                ))
    return out


def _guessed(table: Table) -> int:
    return sum(1 for r in table.rows for c in r.cells if c.read == "guess")


_AMOUNT = re.compile(r"\d\.\d|\d{1,3}(?:,\d{3})+")


def _mark_uncertain(tables: list[Table], diagnostics: list[Diagnostic]) -> None:
    """A table with amounts that could not be placed, or whose reader failed, is not read with
    certainty: its sums would be wrong for want of what was not read."""
    why: dict[str, str] = {}
    for d in diagnostics:
        key = d.location.table
        if key is None or key in why:
            continue
        # an amount whose column is open is a guessed cell (Cell.read), not an uncertain table; amounts
        # left over (more than the columns, or on a line that could not be read) are
        left_over = d.code == "ambiguous-columns" and "多于" in d.message or d.code == "misread-name"
        unread = d.code == "unparsed-line" and _AMOUNT.search(d.message.split("：", 1)[-1])
        if d.code in ("reader-failed", "unconfirmed") or left_over or unread:
            why[key] = d.message
    for t in tables:
        if t.key in why:
            t.uncertain = why[t.key]
            t.empty = False  # amounts were printed, only not placed


def _merge_continuations(segments: list[Segment]) -> list[list[Segment]]:
    """A title repeated on the next page (same table, nothing in between) continues the table."""
    groups: list[list[Segment]] = []
    for seg in segments:
        if groups and groups[-1][0].key == seg.key and seg.number in (None, groups[-1][0].number):
            groups[-1].append(seg)
        else:
            groups.append([seg])
    return groups


def _variant(seg: Segment) -> None:
    """A variant the title announces (catalog ``variants``: Shanghai's 国有资本经营 table titled
    ``…收入支出…`` prints T7's carry-over columns): read with the columns it prints, in its order."""
    for v in seg.spec.get("variants", ()):
        if re.search(v["title"], seg.title):
            by_id = {c["id"]: c for c in seg.spec.get("columns", [])}
            cols = [{k: x for k, x in by_id[i].items() if k != "optional"} for i in v["columns"]]
            seg.spec = {**seg.spec, "columns": cols}
            return


def _read(group: list[Segment], ctx: Context, others: list[Table]) -> Table:
    for seg in group:
        _variant(seg)
    first = group[0]
    table = Table(
        key=first.key,
        title=first.title,
        number=first.number,
        publisher=first.publisher,
        unit=first.unit,
        year=first.year,
        columns=columns_of(first.spec),
        location=ctx.loc(first.title_line, table=first.key),
    )
    failed = False
    for seg in group:
        try:
            table.rows.extend(_rows(seg, ctx, others))
            _, tail = seg.split_tail()
            notes, statement, _line = read_tail(tail)
        except Exception as e:  # noqa: BLE001 - a reader's bug loses this table part, not the document
            failed = True
            ctx.diag("reader-failed", f"{seg.key} 表读取出错（{describe(e)}），此部分未能读取", seg.title_line,
                     table=seg.key)
            continue
        table.notes.extend(notes)
        if statement and table.statement is None:
            table.statement = statement
    # the readers decide the printed columns from the header while reading the rows
    table.columns = columns_of(first.spec)
    # a table whose reading failed is not known to be empty (no false “empty table” finding)
    table.empty = not failed and not any(c.value for r in table.rows for c in r.cells)
    return table


def _header_names(seg: Segment, cols: list[dict]) -> bool:
    """A ruled table's header names its one amount column (``金额``, ``机关运行经费支出``)."""
    body, _ = seg.split_tail()
    header = grid_header([ln for ln in body if ln.cells is not None and len(ln.cells) > 1])
    return bool(header) and map_grid(header, cols) == [cols[0]["id"]]


def _rows(seg: Segment, ctx: Context, others: list[Table]) -> list[Row]:
    layout = seg.spec.get("layout")
    if layout == "summary":
        return read_summary(seg, ctx, others)
    if layout == "functional":
        return read_coded(seg, ctx, "functional", others)
    if layout == "economic":
        cols = seg.spec.get("columns", [])
        if len(cols) == 1 and _header_names(seg, cols):
            seg.spec = {**seg.spec, "header": True}  # one amount column, named by the header above it
        return read_economic(seg, ctx, others)
    if layout == "sangong":
        return read_sangong(seg, ctx, others)
    if layout in ("units", "projects"):
        return read_listed(seg, ctx)
    if layout == "tree":
        return read_tree(seg, ctx)
    if layout == "single":
        return read_single(seg, ctx)
    ctx.diag("unparsed-line", f"{seg.key} 的版式“{layout}”无法读取", seg.title_line, table=seg.key)
    return []


__all__ = ["find_tables"]
