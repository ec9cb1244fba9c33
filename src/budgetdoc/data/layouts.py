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
LAYOUTS = {"summary", "functional", "economic", "sangong", "projects", "units", "performance"}


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

    kind: Literal["columns", "rows", "hierarchy", "halves"]
    expr: str | None = None  # columns
    needs: list[str] = Field(default_factory=list)  # columns without which a columns identity says nothing
    part: str | None = None  # the half the identity applies to
    total: str | None = None  # rows
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


class Catalog(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    tables: list[TableSpec]
    relations: list[RelationSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _relations(self) -> Catalog:
        by_key = {t.key: t for t in self.tables}
        if len(by_key) != len(self.tables):
            raise CatalogError("a table key is declared twice")
        for rel in self.relations:
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
        return self


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


__all__ = ["Catalog", "CatalogError", "ColumnSpec", "IdentitySpec", "RelationSpec", "TableSpec", "parse_expr",
           "validate"]
