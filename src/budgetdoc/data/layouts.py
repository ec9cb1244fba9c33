"""The table catalog as typed data, validated once when it is loaded.

``catalog.toml`` declares every table of the disclosure sets the package knows (决算 T1–T9, 预算 B1–B12),
the columns each may print (with aliases and the optional columns of a region's variant), the printed
orders a text reader may meet, the identities the table states (column expressions parsed here, once,
and checked against the declared columns) and the relations between tables. A mistake in the file — an
identity naming an undeclared column, a pattern that does not compile, a relation to an unknown table —
is refused at load with a sentence naming the table, instead of silently checking nothing.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_TERM = re.compile(r"([+-]?)\s*([A-Za-z_][A-Za-z_0-9]*)")
LAYOUTS = {"summary", "functional", "economic", "sangong", "projects", "units", "performance", "tree", "single"}


class CatalogError(ValueError):
    """The catalog file is inconsistent (a packaging bug, never a user's input)."""


def parse_expr(expr: str) -> tuple[str, list[tuple[int, str]]]:
    """``"total = basic + project - x"`` → ("total", [(1, "basic"), (1, "project"), (-1, "x")])."""
    lhs, sep, rhs = expr.partition("=")
    if not sep or not lhs.strip() or "=" in rhs:
        raise CatalogError(f"identity “{expr}” is not of the form a = b + c")
    terms = [(-1 if sign == "-" else 1, name) for sign, name in _TERM.findall(rhs)]
    if not terms:
        raise CatalogError(f"identity “{expr}” has no terms")
    return lhs.strip(), terms


class ColumnSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    label: str
    number: str | None = None
    group: str | None = None
    aliases: list[str] = Field(default_factory=list)
    optional: bool = False  # printed only in some regions' layouts: chosen when the header names it
    under: str | None = None  # the column this one splits (人员经费 under 基本支出)


class IdentitySpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["columns", "rows", "hierarchy", "halves", "tree"]
    expr: str | None = None  # columns
    needs: list[str] = Field(default_factory=list)  # columns without which a columns identity says nothing
    part: str | None = None  # the half the identity applies to
    total: str | None = None  # rows (``key@part``: a total printed in another part, e.g. spanning two groups)
    items: str | list[str] | None = None  # rows: "before", "codes" or row keys (``a|b`` alternatives)
    requires: list[str] = Field(default_factory=list)  # rows that must be printed for it to apply
    unless: list[str] = Field(default_factory=list)  # rows whose presence means another layout
    scheme: str | None = None  # hierarchy: functional (default) or economic
    left: str | None = None  # halves
    right: str | None = None
    parsed: tuple[str, list[tuple[int, str]]] | None = None  # columns: the expression, parsed once

    @model_validator(mode="after")
    def _shape(self) -> IdentitySpec:
        if self.kind == "columns":
            if not self.expr:
                raise CatalogError("a columns identity needs expr")
            self.parsed = parse_expr(self.expr)
        if self.kind == "rows" and (not self.total or self.items is None):
            raise CatalogError("a rows identity needs total and items")
        if isinstance(self.items, str) and self.items not in ("before", "codes"):
            raise CatalogError(f"rows items “{self.items}” is neither before, codes nor a list")
        if self.kind == "halves" and not (self.left and self.right):
            raise CatalogError("a halves identity needs left and right")
        return self


class GroupSpec(BaseModel):
    """A group of a summary table's columns printed side by side (a name column and its amounts): the
    part its rows belong to and the header labels printed above it (Jiangsu's 收支预算总表: 收入 |
    支出 by 功能分类 | 支出 by 用途)."""

    model_config = ConfigDict(extra="forbid")

    part: str
    header: list[str]
    # the rows printed in this group whose names do not say it (基本支出 is spent, yet a row of 支出 by 用途):
    # a text without cells, its groups flattened into one line, tells a row's group by them
    rows: list[str] = Field(default_factory=list)


class VariantSpec(BaseModel):
    """A printed variant of a table that its title announces (Shanghai's 国有资本经营 table titled
    ``…收入支出决算表`` prints carry-over columns): the columns it prints, in order."""

    model_config = ConfigDict(extra="forbid")

    title: str  # a pattern searched in the printed title
    columns: list[str]

    @field_validator("title")
    @classmethod
    def _compiles(cls, title: str) -> str:
        try:
            re.compile(title)
        except re.error as e:
            raise CatalogError(f"variant title “{title}” does not compile: {e}") from e
        return title


class TableSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str
    kind: Literal["决算", "预算"]
    title: str
    patterns: list[str]
    layout: str
    columns: list[ColumnSpec] = Field(default_factory=list)
    identities: list[IdentitySpec] = Field(default_factory=list)
    orders: list[list[str]] = Field(default_factory=list)  # printed orders other than the catalog's
    variants: list[VariantSpec] = Field(default_factory=list)  # layouts the title announces
    empty_subject: str | None = None
    # summary: the column groups side by side, left to right (default: 收入 | 支出, told by the header)
    groups: list[GroupSpec] = Field(default_factory=list)
    # tree: header labels of the columns that hold attributes of a row, not a level of its name
    attributes: list[str] = Field(default_factory=list)

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for p in patterns:
            try:
                re.compile(p)
            except re.error as e:
                raise CatalogError(f"pattern “{p}” does not compile: {e}") from e
        return patterns

    @model_validator(mode="after")
    def _consistent(self) -> TableSpec:
        if self.layout not in LAYOUTS:
            raise CatalogError(f"{self.key}: unknown layout “{self.layout}”")
        ids = [c.id for c in self.columns]
        if len(set(ids)) != len(ids):
            raise CatalogError(f"{self.key}: a column id is declared twice")
        known = set(ids)
        for c in self.columns:
            if c.under and c.under not in known:
                raise CatalogError(f"{self.key}: column {c.id} is under an undeclared column {c.under}")
        for ident in self.identities:
            if ident.parsed:
                lhs, terms = ident.parsed
                bad = [n for n in (lhs, *(n for _, n in terms), *ident.needs) if n not in known]
                if bad:
                    raise CatalogError(f"{self.key}: identity “{ident.expr}” names undeclared columns {bad}")
        for order in [*self.orders, *(v.columns for v in self.variants)]:
            if set(order) - known:
                raise CatalogError(f"{self.key}: a printed order names undeclared columns {set(order) - known}")
        return self


class RelationSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    left: str
    right: str
    op: Literal["=", "<="] = "="
    severity: Literal["error", "warning"] = "error"
    note: str | None = None


def _check_relations(relations: list[RelationSpec], by_key: dict[str, TableSpec]) -> None:
    for rel in relations:
        for side in (rel.left, rel.right):
            for ref in side.split("+"):
                parts = ref.strip().split(":")
                if len(parts) != 3:
                    raise CatalogError(f"relation {rel.id}: “{ref.strip()}” is not TABLE:ROW:COLUMN")
                table, _, column = parts
                if table not in by_key:
                    raise CatalogError(f"relation {rel.id}: unknown table {table}")
                if column not in {c.id for c in by_key[table].columns}:
                    raise CatalogError(f"relation {rel.id}: {table} declares no column {column}")


def _check_refs(refs: list[tuple[str, str]], by_key: dict[str, TableSpec], where: str) -> None:
    """Narrative vocabulary refs (``TABLE:ROW:COLUMN|…``) name declared tables and columns."""
    for name, ref in refs:
        for alt in (x for a in ref.split("|") for x in a.split("+") if x):
            parts = alt.split(":")
            if len(parts) != 3 or parts[0] not in by_key:
                raise CatalogError(f"{where}: subject {name}: “{alt}” names no declared table")
            if parts[2] not in {c.id for c in by_key[parts[0]].columns}:
                raise CatalogError(f"{where}: subject {name}: {parts[0]} declares no column {parts[2]}")


class Catalog(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    tables: list[TableSpec]
    relations: list[RelationSpec] = Field(default_factory=list)
    # the statutory tables of each kind of disclosure (a region's layout may declare its own set)
    statutory: dict[Literal["决算", "预算"], list[str]] = Field(default_factory=dict)
    regions: list[str] = Field(default_factory=list)  # the regions these layouts were written from

    @model_validator(mode="after")
    def _relations(self) -> Catalog:
        by_key = {t.key: t for t in self.tables}
        if len(by_key) != len(self.tables):
            raise CatalogError("a table key is declared twice")
        _check_relations(self.relations, by_key)
        for kind, keys in self.statutory.items():
            if set(keys) - set(by_key):
                raise CatalogError(f"statutory {kind} tables {set(keys) - set(by_key)} are not declared")
        return self


class SubjectSpec(BaseModel):
    """A narrative subject of a region's documents: the pattern of the words before an amount, the
    canonical quantity and the table cell that holds it (as in ``narrative_budget.toml``)."""

    model_config = ConfigDict(extra="forbid")

    pattern: str
    name: str
    ref: str = ""

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as e:
            raise CatalogError(f"subject pattern “{pattern}” does not compile: {e}") from e
        return pattern


class LayoutSpec(BaseModel):
    """A region's layout (``regions/<name>.toml``): for documents of ``region`` and ``kind``, its tables
    replace the base catalog's of the same key and add their own; its relations replace the base
    relations of the tables it replaces; ``statutory`` is its set of tables in printed order;
    ``orders`` the printed orders of other years (the 公开表 numbers); ``subject`` the narrative
    vocabulary of its documents, tried before the general one."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    region: list[str]
    kind: Literal["决算", "预算"]
    version: str
    source: str = ""
    statutory: list[str] = Field(default_factory=list)
    orders: dict[str, list[str]] = Field(default_factory=dict)  # year(s) → keys in printed order
    tables: list[TableSpec] = Field(default_factory=list)
    relations: list[RelationSpec] = Field(default_factory=list)
    subject: list[SubjectSpec] = Field(default_factory=list)
    # the tables whose 功能分类 rows the narrative's 类/款/项 amounts restate: ``all`` money (default B3)
    # and 一般公共预算 money (default B5_1)
    functional: dict[Literal["all", "general"], str] = Field(default_factory=dict)
    # the topics its 情况说明 covers (name, pattern searched in the headings), instead of the general ones
    topics: list[tuple[str, str]] = Field(default_factory=list)


def validate_layout(data: dict, base: dict, name: str) -> dict:
    """A region's layout file checked against its schema and the base catalog (every table, relation,
    statutory key and narrative ref it names is declared, by itself or the base); plain dicts."""
    data = {**data.get("layout", {}), **{k: v for k, v in data.items() if k != "layout"}}
    try:
        model = LayoutSpec.model_validate(data)
    except CatalogError as e:
        raise CatalogError(f"{name}: {e}") from e
    except ValueError as e:
        raise CatalogError(f"{name}: {e}") from e
    own = {t.key: t for t in model.tables}
    if len(own) != len(model.tables):
        raise CatalogError(f"{name}: a table key is declared twice")
    by_key = {t["key"]: TableSpec.model_validate({k: v for k, v in t.items() if k != "identities"}
                                                 | {"identities": []})
              for t in base["tables"]} | own
    try:
        _check_relations(model.relations, by_key)
    except CatalogError as e:
        raise CatalogError(f"{name}: {e}") from e
    for keys in [model.statutory, *model.orders.values(), list(model.functional.values())]:
        if set(keys) - set(by_key):
            raise CatalogError(f"{name}: tables {set(keys) - set(by_key)} are not declared")
    _check_refs([(s.name, s.ref) for s in model.subject], by_key, name)
    return model.model_dump(exclude_none=True)


def validate(data: dict) -> dict:
    """The catalog checked against its schema; returned as plain dicts (the readers' and rules' form)
    with each columns identity's ``parsed`` expression."""
    try:
        model = Catalog.model_validate(data)
    except CatalogError:
        raise
    except ValueError as e:  # pydantic's ValidationError (wrapping a CatalogError raised in a validator)
        raise CatalogError(f"catalog.toml: {e}") from e
    return model.model_dump(exclude_none=True)


__all__ = ["Catalog", "CatalogError", "ColumnSpec", "GroupSpec", "IdentitySpec", "LayoutSpec", "RelationSpec",
           "SubjectSpec", "TableSpec", "parse_expr", "validate", "validate_layout"]
