"""Recognise stage: from pages of positioned lines to the typed :class:`~budgetdoc.model.Disclosure`.

identity → sections and 目录 → tables (by the catalog) → narrative statements → performance forms.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TypeVar

from ..data import catalog, layout_for, using_layout
from ..errors import InputError, describe
from ..model import Diagnostic, Disclosure, Identity, Location
from ..read import Line, Source
from .identity import heading_years, recognise_identity, scope_of_tables, title_year
from .narrative import find_statements
from .performance import find_forms
from .sections import find_sections
from .tables import find_tables
from .tables.structural import UNKNOWN, read_unknown_layout, unknown_layout


def recognise(source: Source) -> Disclosure:
    """The whole document model. Raises :class:`InputError` when the text is not a disclosure."""
    skipped = [p.number for p in source.pages if not p.has_text and not p.ocr]
    if skipped and len(skipped) == len(source.pages):
        raise InputError(_unread_sentence(source))
    identity = recognise_identity(source)
    identity.layout = layout_for(identity.region, identity.kind)
    with using_layout(identity.layout):
        return _recognise(source, identity, skipped)


def _recognise(source: Source, identity: Identity, skipped: list[int]) -> Disclosure:
    failed: list[Diagnostic] = []
    sections, toc = _safely(lambda: find_sections(source), ([], []), "sections", source, failed)
    tables, diagnostics = find_tables(source, identity, [e.title for e in toc if not e.table_key])
    lines = source.lines()
    heads = heading_years(lines)
    identity.year = _majority_year(identity.year, [t.year for t in tables], heads)
    if identity.kind is None and tables:
        # a file of tables only: the kind its tables are of, the year its table titles name
        kinds = Counter(catalog()["by_key"].get(t.key, {}).get("kind") for t in tables)
        identity.kind = kinds.most_common(1)[0][0]
        identity.year = identity.year or title_year(lines)
        identity.scope = identity.scope or scope_of_tables(lines)
    if unknown_layout(identity, tables, diagnostics):
        # a region's layout the catalog does not know: what its structure shows, nothing guessed
        identity.layout = UNKNOWN
        tables, diagnostics = read_unknown_layout(source, identity, tables, diagnostics)
    doc = Disclosure(
        source=source.path,
        identity=identity,
        sections=sections,
        toc=toc,
        tables=tables,
        diagnostics=[*diagnostics, *_page_diagnostics(source), *failed],
        text_lines=sum(len(p.lines) for p in source.pages),
    )
    doc._lines = lines
    doc._heading_years = heads
    doc.narrative = _safely(lambda: find_statements(source, doc), [], "narrative", source, doc.diagnostics)
    doc.performance = _safely(lambda: find_forms(source, doc), [], "performance", source, doc.diagnostics)
    if not tables and not doc.performance and (identity.kind is None or not doc.narrative):
        if skipped:
            raise InputError(_unread_sentence(source))
        raise InputError(f"这不是一份预算或决算公开文件（没有找到预决算表格、标题或情况说明）：{source.path}")
    return doc


_T = TypeVar("_T")
# the parts read after the tables, how a finding names them when their reader failed
PARTS = {"sections": "目录和标题", "narrative": "情况说明", "performance": "绩效表"}


def _safely(read: Callable[[], _T], empty: _T, part: str, source: Source, diagnostics: list) -> _T:
    """One part of the document read; a bug in its reader (an exception) loses that part only: it is
    said (``part-failed``, REC001) and left empty, and no rule concludes from its absence
    (check/certainty.py), while the tables and the other parts are read and checked."""
    try:
        return read()
    except InputError:
        raise
    except Exception as e:  # noqa: BLE001 - one part's bug must not cost the whole file
        diagnostics.append(Diagnostic(
            code=f"{part}-failed",
            message=f"{PARTS[part]}读取出错（{describe(e)}），此部分未能读取，也未检查；请把这份文件报告给开发者",
            location=Location(file=source.path),
        ))
        return empty


# a page without a usable text layer (a scan): read by OCR, or skipped; REC002 reports both
SKIPPED = "没有可用的文字层（可能是扫描件），未能识别；安装 budgetdoc[ocr] 后可识别"
UNREAD = "没有可用的文字层（可能是扫描件），OCR 也未能从中识别出文字"
OCR = "没有文字层，内容由 OCR 识别，其中的金额请与原件核对"
OVER_BUDGET = "没有可用的文字层（可能是扫描件），超出 OCR 页数上限（BUDGETDOC_OCR_MAX_PAGES）未识别"


def _page_diagnostics(source: Source) -> list[Diagnostic]:
    """One ``page-skipped`` per page without text that OCR did not read, one ``page-ocr`` per page
    it did; the message is ``第N页`` and the reason (REC002 joins the pages of one reason)."""
    out = []
    for p in source.pages:
        if p.has_text:
            continue
        where = Location(file=source.path, page=p.number)
        if p.ocr:
            out.append(Diagnostic(code="page-ocr", message=f"第{p.number}页{OCR}", location=where))
        else:
            why = p.skipped or (OVER_BUDGET if p.ocr_skipped else UNREAD if source.ocr_engine else SKIPPED)
            out.append(Diagnostic(code="page-skipped", message=f"第{p.number}页{why}", location=where))
    return out


def _unread_sentence(source: Source) -> str:
    """Nothing readable is left once the pages without text are skipped: one sentence saying why."""
    if len(source.pages) == sum(1 for p in source.pages if not p.has_text and not p.ocr):
        if source.ocr_engine:
            return f"PDF 没有文字层（扫描件），OCR 也未能从中识别出文字：{source.path}"
        return f"PDF 没有文字层（扫描件），请安装 budgetdoc[ocr] 以识别：{source.path}"
    if source.ocr_engine:
        return f"PDF 的部分页面没有文字层（扫描件）且 OCR 未能识别，其余页面不是预决算公开内容：{source.path}"
    return f"PDF 的部分页面没有文字层（扫描件），其余页面不是预决算公开内容；请安装 budgetdoc[ocr] 以识别：{source.path}"


__all__ = ["recognise"]


def _majority_year(
    title_year: int | None, table_years: list[int | None], heads: list[tuple[Line, int]]
) -> int | None:
    """The document's fiscal year: what its title, part headings and table titles say by majority.

    One heading with another year (a slip, or an injected defect) must not make every other heading
    look wrong; the odd one out is then reported where it is (IDN002).
    """
    votes: Counter[int] = Counter(y for y in table_years if y)
    votes.update(y for _, y in heads)
    if not votes:
        return title_year
    best, count = votes.most_common(1)[0]
    return title_year if title_year and votes[title_year] == count else best
