"""The typed, serialisable model of a disclosure.

Everything the recogniser produces and the rules read lives here. Money is ``Decimal``; every table,
row, cell, statement and indicator keeps the :class:`Location` it came from.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

BBox = tuple[float, float, float, float]

_M = TypeVar("_M", bound="BaseModel")
_MISSING = object()
_TEMPLATES: dict[type, tuple[dict[str, object], list[tuple[str, object]], frozenset[str]]] = {}
_set = object.__setattr__


def trusted(cls: type[_M], **values: object) -> _M:
    """``cls.model_construct(**values)`` without its per-call work (a few µs a call, thousands of cells a
    document): values trusted, not validated; unset fields get their defaults; equal to what
    ``model_construct`` builds (tests/test_model_trusted.py). Models with private attributes or extra
    fields are built by ``model_construct``."""
    spec = _TEMPLATES.get(cls)
    if spec is None:
        if cls.__private_attributes__ or cls.model_config.get("extra") == "allow":
            return cls.model_construct(**values)
        defaults: dict[str, object] = {}
        factories: list[tuple[str, object]] = []
        for name, f in cls.model_fields.items():
            if f.default_factory is not None:
                defaults[name] = _MISSING
                factories.append((name, f.default_factory))
            else:
                defaults[name] = f.get_default()
        spec = _TEMPLATES[cls] = (defaults, factories, frozenset(name for name, _ in factories))
    fields = {**spec[0], **values}
    if not values.keys() >= spec[2]:  # some field with a default factory not given
        for name, factory in spec[1]:
            if fields[name] is _MISSING:
                fields[name] = factory()  # type: ignore[operator]
    return built(cls, fields, set(values))


def built(cls: type[_M], fields: dict[str, object], given: set[str]) -> _M:
    """What :func:`trusted` builds of the ``given`` fields, from ``fields``: every field of ``cls``, in
    declaration order, those not given at their defaults (a fresh ``given`` set for each model). For
    the few places that build thousands of models (table cells)."""
    m = object.__new__(cls)
    _set(m, "__dict__", fields)
    _set(m, "__pydantic_fields_set__", given)
    _set(m, "__pydantic_extra__", None)
    _set(m, "__pydantic_private__", None)
    return m


class Location(BaseModel):
    """Where something is in the source: file, page, line (1-based), box, and the table cell: ``table``
    (catalog key), ``row`` (the row's key: its code, or its normalised name), ``part`` (the half or group
    of a summary table the row is in, 收入/支出, when the key alone is not unique), ``column`` (the column
    id) and ``column_label`` (the column's label, for people). Reports look cells up by these."""

    model_config = ConfigDict(frozen=True)

    file: str | None = None
    page: int | None = None
    line: int | None = None
    bbox: BBox | None = None
    table: str | None = None
    row: str | None = None
    part: str | None = None
    column: str | None = None
    column_label: str | None = None

    def at(self, **kw: object) -> Location:
        """A copy with some fields replaced (e.g. ``loc.at(column="basic")``): what
        ``self.model_copy(update=kw)`` makes, without its generic work (a Location has no extra fields
        and no private attributes)."""
        m = object.__new__(type(self))
        given = set(self.__pydantic_fields_set__)
        given.update(kw)
        _set(m, "__dict__", {**self.__dict__, **kw})
        _set(m, "__pydantic_extra__", None)
        _set(m, "__pydantic_fields_set__", given)
        _set(m, "__pydantic_private__", None)
        return m


class Identity(BaseModel):
    """Who published the document, for which year, of which kind."""

    publisher: str | None = None
    scope: Literal["单位", "部门"] | None = None
    kind: Literal["决算", "预算"] | None = None
    year: int | None = None
    unit: str = "万元"
    region: str | None = None
    title: str | None = None
    location: Location = Field(default_factory=Location)
    # the region's table layout the document was read with (``data/regions/*.toml``: its ``id``); None:
    # the base catalog's layouts
    layout: str | None = None


class Column(BaseModel):
    """A table column: ``id`` is the catalog's stable id, ``label`` the catalog's Chinese label."""

    id: str
    label: str
    number: str | None = None  # 栏次 as printed
    group: str | None = None  # e.g. 预算数 / 决算数, 人员经费 / 公用经费, 收入 / 支出


CellReading = Literal["header", "position", "unique", "identity", "guess"]


class Cell(BaseModel):
    """A printed amount. ``read`` says how its column was decided: ``header`` (a ruled grid cell under
    a header naming the column), ``position`` (a grid or converter cell in the catalog's column order,
    the header not understood), ``unique`` (text: the only placement of the row's amounts that fits),
    ``identity`` (text: chosen among several by the table's identities and the code hierarchy),
    ``guess`` (text: nothing decided; rules raise no error on it)."""

    column: str  # column id
    value: Decimal | None = None  # None = blank cell
    text: str = ""
    location: Location = Field(default_factory=Location)
    read: CellReading | None = None


class Row(BaseModel):
    """One line item. ``code`` is the classification code (functional or economic) when printed."""

    code: str | None = None
    name: str = ""
    key: str = ""  # stable key inside the table: the code, or the normalised name
    part: str | None = None  # 收入 / 支出 half, 人员经费 / 公用经费 group
    number: int | None = None  # 行次 as printed
    cells: list[Cell] = Field(default_factory=list)
    location: Location = Field(default_factory=Location)

    def cell(self, column: str) -> Cell | None:
        for c in self.cells:
            if c.column == column:
                return c
        return None

    def value(self, column: str) -> Decimal | None:
        c = self.cell(column)
        return c.value if c else None


class Table(BaseModel):
    key: str  # catalog key, e.g. "F1" .. "F9", "B1" ..
    title: str
    number: str | None = None  # as printed: 公开01表, 表1, 表5-1
    publisher: str | None = None  # the 单位： line
    unit: str = "万元"
    year: int | None = None
    columns: list[Column] = Field(default_factory=list)
    rows: list[Row] = Field(default_factory=list)
    empty: bool = False
    # why the table could not be read with certainty (amounts left unplaced, a reader that failed); rules
    # derive no error from such a table, REC001 says it once
    uncertain: str | None = None
    statement: str | None = None  # the statement printed below an empty table
    notes: list[str] = Field(default_factory=list)
    location: Location = Field(default_factory=Location)

    def column(self, column: str) -> Column | None:
        return next((c for c in self.columns if c.id == column), None)

    def find(self, key: str, part: str | None = None) -> Row | None:
        """The row with this key (code or normalised name), optionally in one half/group."""
        for r in self.rows:
            if r.key == key and (part is None or r.part == part):
                return r
        return None

    def value(self, key: str, column: str, part: str | None = None) -> Decimal | None:
        r = self.find(key, part)
        return r.value(column) if r else None


class Section(BaseModel):
    """A heading of the document: a part (第一部分 …) or a numbered narrative section."""

    level: int
    number: str | None = None
    title: str
    location: Location = Field(default_factory=Location)


class TocEntry(BaseModel):
    """One line of the 目录: what the document promises."""

    title: str
    number: str | None = None
    page: int | None = None
    table_key: str | None = None
    location: Location = Field(default_factory=Location)


class Statement(BaseModel):
    """A fact the narrative states, as data.

    ``kind``: amount / share / yoy / execution / parts / procurement / count / comparison.
    ``subject`` names what the numbers are about (e.g. "基本支出", "社会保障和就业支出").
    ``values`` holds the numbers by role (amount, total, percent, previous, change, budget, actual, ...),
    ``words`` the words that carry meaning (direction: 增加/减少, comparison: 大于/小于, unit: 万元).
    """

    kind: str
    subject: str = ""
    values: dict[str, Decimal] = Field(default_factory=dict)
    words: dict[str, str] = Field(default_factory=dict)
    refs: dict[str, str] = Field(default_factory=dict)  # what a value refers to, e.g. table quantity
    section: str | None = None
    text: str = ""
    location: Location = Field(default_factory=Location)


class Indicator(BaseModel):
    level1: str | None = None
    level1_weight: Decimal | None = None
    level2: str | None = None
    level2_weight: Decimal | None = None
    name: str = ""
    weight: Decimal | None = None
    target: str | None = None
    actual: str | None = None
    score: Decimal | None = None
    location: Location = Field(default_factory=Location)


class PerformanceForm(BaseModel):
    """A performance self-evaluation or target form (整体 / 项目)."""

    kind: Literal["整体", "项目"]
    stage: Literal["自评", "目标"] = "自评"
    name: str = ""
    publisher: str | None = None
    budget: Decimal | None = None  # 预算数 A (全年预算数)
    actual: Decimal | None = None  # 执行数 B
    rate: Decimal | None = None  # 执行率 as printed, in percent
    execution_weight: Decimal | None = None
    execution_score: Decimal | None = None
    amounts: dict[str, Decimal] = Field(default_factory=dict)  # other amounts printed (基本支出总额 …)
    indicators: list[Indicator] = Field(default_factory=list)
    total_score: Decimal | None = None
    rules_text: str | None = None  # the scoring rules printed under the form
    location: Location = Field(default_factory=Location)


class Diagnostic(BaseModel):
    """Something the recogniser could not make sense of; surfaced by a rule as a finding."""

    code: str
    message: str
    location: Location = Field(default_factory=Location)


class DocumentPart(BaseModel):
    """One file of a document published as several files (the narrative and the tables): the file, what
    it holds (``narrative``, ``tables``, or ``whole``), its pages, and where they begin in the document's
    own sequence of pages (the files one after the other, as :meth:`Disclosure.lines` numbers them);
    ``found``: the file was not given but found beside the one given (its other part, in its folder or its
    upload's batch)."""

    file: str
    role: Literal["narrative", "tables", "whole"] = "whole"
    pages: int = 0
    first_page: int = 1
    found: bool = False


class Disclosure(BaseModel):
    """The whole document. ``parts``: the files of a document published as several files (each place
    in the model names its own file and page); empty for a document of one file."""

    source: str
    parts: list[DocumentPart] = Field(default_factory=list)
    identity: Identity = Field(default_factory=Identity)
    sections: list[Section] = Field(default_factory=list)
    toc: list[TocEntry] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    narrative: list[Statement] = Field(default_factory=list)
    performance: list[PerformanceForm] = Field(default_factory=list)
    diagnostics: list[Diagnostic] = Field(default_factory=list)
    text_lines: int = 0
    _lines: list = PrivateAttr(default_factory=list)  # the source's Line objects (not serialised)
    # (line, year) of the headings naming the year, as recognise() found them (None: not recognised)
    _heading_years: list | None = PrivateAttr(default=None)

    def lines(self) -> list:
        """Every line of the source (``budgetdoc.read.Line``: text, page, number, cells, bbox). The lines
        of a document of several files are numbered in one sequence of pages (see :meth:`line_page`)."""
        return self._lines

    def line_page(self, loc: Location) -> int | None:
        """The page of :meth:`lines` a location names: its page, or for a document of several files the
        page of its file in the document's sequence."""
        if not self.parts or loc.page is None:
            return loc.page
        for p in self.parts:
            if p.file == loc.file:
                return p.first_page + loc.page - 1
        return loc.page

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)

    @property
    def holds(self) -> Literal["narrative", "tables", "whole"]:
        """What the document holds: ``tables`` only (no statement read from a narrative, no 第N部分 heading),
        a ``narrative`` only (no table), or both (``whole``). A file of one part of a document published as
        several files holds one; checked alone, it is not blamed for what the other part holds."""
        tables = bool(self.tables)
        text = bool(self.narrative) or any(s.level == 1 for s in self.sections)
        return "whole" if tables and text else "tables" if tables else "narrative"


__all__ = [
    "BBox",
    "Cell",
    "Column",
    "Diagnostic",
    "Disclosure",
    "DocumentPart",
    "Identity",
    "Indicator",
    "Location",
    "PerformanceForm",
    "Row",
    "Section",
    "Statement",
    "Table",
    "TocEntry",
]
