"""The bureau's inspection forms (公开情况检查表) as typed, versioned package data (``data/checklists/*.toml``).

A checklist is one form for a region and kind (预算/决算), for the scopes it lists (部门, 单位): its title,
and its rows in order. Each row says what it covers — parts of the document (``data/parts.toml``), tables
(catalog keys), performance forms (整体/项目) — and which rules feed it; the row of 及时性 is filled from
dates, not findings. A row's ``label`` may name the scope (``《{scope}财务收支预算总表》``). Adding a region's
form is adding a file: it is validated when loaded (every part, table and rule it names must exist, ids
unique), and a broken one is refused with the file and the row named (:class:`~.content.DataError`).

:func:`select` picks the form for a document: the checklists of its kind and scope whose ``match``
pattern finds the document's region, title or publisher, the most specific (highest ``priority``) first;
a checklist without ``match`` is the national fallback.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .content import DataError, parts

if TYPE_CHECKING:
    from ..model import Disclosure

_ROOT = resources.files(__package__) / "checklists"


class Row(BaseModel):
    """One row of the form: 检查内容 (label), and what fills its 是/否."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    group: str  # 及时性 / 内容规范性
    label: str  # may hold {scope}
    parts: tuple[str, ...] = ()  # the document's parts the row covers
    tables: tuple[str, ...] = ()  # catalog keys of the tables it covers
    forms: tuple[Literal["整体", "项目"], ...] = ()  # performance forms it covers
    rules: tuple[str, ...] = ()  # rules that feed it (a finding of one of them without a place lands here)
    timeliness: bool = False  # 及时性: filled from the dates, not from findings
    required: bool = False  # the part must be there (CNT014)
    optional: bool = False  # a part a document may leave out: absent, the row is met and says so
    note: str = ""  # what the inspector checks there, for the reader of the form

    def text(self, scope: str | None) -> str:
        return self.label.replace("{scope}", scope or "部门")


class Checklist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    version: int
    name: str  # what the form is, for people (上海市区级部门预算公开情况检查表)
    title: str  # {year}年度{area}{scope}预算公开情况检查表
    kind: Literal["预算", "决算"]
    scopes: tuple[Literal["部门", "单位"], ...] = ("部门", "单位")
    match: str | None = None  # pattern on the document's region, title, publisher and cover
    area: str | None = None  # pattern whose group ``area`` names the district for the title
    priority: int = 0
    source: str = ""  # where the form comes from
    fallback: str  # the row that takes a finding no row covers
    rows: tuple[Row, ...] = Field(min_length=1)

    def row(self, rid: str) -> Row:
        return next(r for r in self.rows if r.id == rid)

    def title_for(self, year: int | None, area: str, scope: str | None) -> str:
        return (self.title.replace("{year}", str(year) if year else "    ").replace("{area}", area)
                .replace("{scope}", scope or "部门"))


def _validate(c: Checklist, name: str) -> Checklist:
    from ..check.rule import registry
    from . import catalog

    known_parts = set(parts()) | {"cover"}
    tables = set(catalog()["by_key"])
    rules = set(registry())
    seen: set[str] = set()
    for r in c.rows:
        where = f"检查表 {name} 的行 {r.id}（{r.label}）"
        if r.id in seen:
            raise DataError(f"{where}：行 id 重复")
        seen.add(r.id)
        if not r.timeliness and not (r.parts or r.tables or r.forms):
            raise DataError(f"{where}：没有写明它检查的部分、表格或绩效表")
        for p in r.parts:
            if p not in known_parts:
                raise DataError(f"{where}：未知的部分 {p}（见 data/parts.toml）")
        for t in r.tables:
            if t not in tables:
                raise DataError(f"{where}：未知的表 {t}（见 data/catalog.toml）")
        for rid in r.rules:
            if rid not in rules:
                raise DataError(f"{where}：未知的规则 {rid}")
    if c.fallback not in seen:
        raise DataError(f"检查表 {name}：fallback 行 {c.fallback} 不存在")
    if sum(1 for r in c.rows if r.timeliness) > 1:
        raise DataError(f"检查表 {name}：及时性行只能有一行")
    for field_, pattern in (("match", c.match), ("area", c.area)):
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as e:
                raise DataError(f"检查表 {name}：{field_} 正则表达式无效（{e}）") from e
    return c


def parse(text: str, name: str) -> Checklist:
    """A checklist from its TOML text, validated (:class:`DataError` naming the file and the row)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise DataError(f"检查表 {name}：不是有效的 TOML（{e}）") from e
    rows = data.pop("row", [])
    try:
        c = Checklist(**data, rows=tuple(Row(**r) for r in rows))
    except ValidationError as e:
        err = e.errors()[0]
        loc = ".".join(str(x) for x in err.get("loc", ()))
        bad = next((r for r in rows if isinstance(r, dict) and "id" in r and str(r.get("id")) in loc), None)
        row = f"的行 {bad['id']}" if bad else ""
        raise DataError(f"检查表 {name}{row}：{loc} {err.get('msg')}") from e
    except TypeError as e:
        raise DataError(f"检查表 {name}：{e}") from e
    return _validate(c, name)


@cache
def checklists() -> tuple[Checklist, ...]:
    """Every shipped checklist, loaded and validated once."""
    out: list[Checklist] = []
    ids: set[str] = set()
    for f in sorted(_ROOT.iterdir(), key=lambda p: p.name):
        if not f.name.endswith(".toml"):
            continue
        c = parse(f.read_text("utf-8"), f.name)
        if c.id in ids:
            raise DataError(f"检查表 {f.name}：id {c.id} 与另一张检查表重复")
        ids.add(c.id)
        out.append(c)
    return tuple(out)


def region_text(doc: Disclosure) -> str:
    """What a checklist's ``match`` is tried on: region, title, publisher and the first lines."""
    ident = doc.identity
    head = "".join("".join(ln.text.split()) for ln in doc.lines()[:8])
    return f"{ident.region or ''}|{ident.title or ''}|{ident.publisher or ''}|{head}"


def kind_of(doc: Disclosure) -> str | None:
    """预算 or 决算: as recognised, else as the tables say (a file of tables alone: B… are a 预算's)."""
    if doc.identity.kind:
        return doc.identity.kind
    keys = [t.key[:1] for t in doc.tables]
    if keys:
        return "预算" if keys.count("B") >= keys.count("T") else "决算"
    return None


def select(doc: Disclosure) -> Checklist | None:
    """The form for this document (its kind and scope; its region's, else the national one)."""
    kind = kind_of(doc)
    scope = doc.identity.scope or "部门"
    where = region_text(doc)
    found = [c for c in checklists() if c.kind == kind and scope in c.scopes
             and (c.match is None or re.search(c.match, where))]
    if not found:
        return None
    found.sort(key=lambda c: (c.match is not None, c.priority), reverse=True)
    return found[0]


def area_of(c: Checklist, doc: Disclosure) -> str:
    """The district or city the form's title names (普陀区), from the document."""
    if not c.area:
        return ""
    m = re.search(c.area, region_text(doc))
    return m.group("area") if m and "area" in m.groupdict() else ""


__all__ = ["Checklist", "Row", "area_of", "checklists", "kind_of", "parse", "region_text", "select"]
