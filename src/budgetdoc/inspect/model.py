"""The filled checklist: what ``budgetdoc inspect`` writes, what the store will keep per run.

:class:`FilledChecklist` is one document's form: its rows, each 是 / 否 (及时性 may be 未核实) with the
inspector's remarks (numbered, in Chinese, quoting the text, with the page and what it should be) and the
crop of the page each remark is about; the transparency score (rows met ÷ rows that apply). Its JSON is
the ``--format json`` output.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from ..model import BBox, Identity

Status = Literal["是", "否", "未核实"]


class DateHint(BaseModel):
    """A date found that is not the publication date itself (the PDF's creation date, a cover's date)."""

    date: date
    what: str


class KnownDates(BaseModel):
    """What is known of the document's dates: the publication date (``--published``, the upload, the
    register's 公开日期), the approval date (the register's 批复日期), and hints said as such."""

    published: date | None = None
    published_source: str | None = None
    approved: date | None = None
    approved_source: str | None = None
    hints: list[DateHint] = Field(default_factory=list)


class Crop(BaseModel):
    """Where a remark's screenshot comes from: a box on a PDF page (rendered by the writers), or the
    quoted lines of a text (line number, text, whether it is the line of the remark)."""

    page: int | None = None
    bbox: BBox | None = None
    related: list[BBox] = Field(default_factory=list)
    lines: list[tuple[int, str, bool]] = Field(default_factory=list)


class Remark(BaseModel):
    """One problem as the inspector writes it under its row."""

    number: int
    text: str
    rule: str
    severity: str
    page: int | None = None
    line: int | None = None
    table: str | None = None
    expected: str | None = None
    actual: str | None = None
    fingerprint: str | None = None
    dismissed: bool = False  # a reviewer dismissed it: shown, no longer failing its row
    crop: Crop | None = None


class FilledRow(BaseModel):
    id: str
    group: str
    label: str
    status: Status
    remarks: list[Remark] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # what the inspector should know (unread parts, …)


class Score(BaseModel):
    met: int
    applicable: int

    @property
    def ratio(self) -> float | None:
        return self.met / self.applicable if self.applicable else None

    def text(self) -> str:
        r = self.ratio
        return f"{self.met}/{self.applicable}（{r:.0%}）" if r is not None else "—"


class FilledChecklist(BaseModel):
    source: str
    checklist: str  # the checklist's id
    version: int
    name: str
    title: str  # 《2026年度普陀区部门预算公开情况检查表》
    document: Identity
    unit: str  # 部门名称 / 单位名称
    url: str | None = None  # 公开网址, where known
    rows: list[FilledRow]
    score: Score
    failed: list[str] = Field(default_factory=list)  # labels of the rows answered 否
    hints: list[DateHint] = Field(default_factory=list)  # dates found in the file (not the publication date)

    def row(self, rid: str) -> FilledRow:
        return next(r for r in self.rows if r.id == rid)


class Unusable(BaseModel):
    """A file that could not be inspected: its one sentence."""

    source: str
    error: str


__all__ = ["Crop", "DateHint", "FilledChecklist", "FilledRow", "KnownDates", "Remark", "Score", "Status",
           "Unusable"]
