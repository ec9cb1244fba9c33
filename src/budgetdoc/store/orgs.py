"""The bureau's register of departments and units, and matching a document to its unit by the
publisher's name: exact, then alias, then the same name with or without its leading region (“上海市普陀区
城市管理行政执法局” and “普陀区城市管理行政执法局”). A close spelling (difflib ratio ≥ 0.9 and at most two
characters different) is only suggested, never filed: one character tells 石泉路街道 from 甘泉路街道 and
财政局 from 民政局. A name that matches nothing, or two units equally, is reported — never guessed."""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
from dataclasses import dataclass

from ..errors import InputError
from .fingerprint import norm

CLOSE = 0.9  # difflib ratio from which two spellings are the same name …
MAX_EDITS = 2  # … and at most this many characters differ: “武汉市黄陂区…中心” is not “武汉市…中心”
_ALIAS_SPLIT = re.compile(r"[;；、]")
# a leading region: a province, city, autonomous region, district or county name, possibly several
_REGION_PREFIX = re.compile(r"(?:[\u4e00-\u9fff]{2,7}?(?:省|自治区|市|区|县|旗|州)){1,3}")
FILED = ("exact", "alias", "region")  # the match kinds that file a document under a unit
HEADERS = {
    "code": ("code", "代码", "单位代码", "编码", "单位编码", "机构代码", "统一社会信用代码"),
    "name": ("name", "名称", "单位名称", "机构名称", "部门/单位名称", "单位全称"),
    "parent": ("parent", "parent_code", "parent code", "parent department code", "上级", "上级代码", "上级部门代码",
               "上级单位代码", "部门代码", "主管部门代码", "所属部门代码", "上级部门", "主管部门"),
    "aliases": ("aliases", "alias", "别名", "曾用名", "简称", "其他名称"),
}
DOCUMENTED = "代码、名称、上级部门代码、别名"


@dataclass(frozen=True)
class OrgEntry:
    code: str
    name: str
    parent: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    kind: str  # exact | alias | region | close | none | ambiguous (only exact, alias, region are filed)
    code: str | None = None
    note: str | None = None  # the candidates of an ambiguous match, the ratio of a close one


def read_register(path: str) -> list[OrgEntry]:
    """The rows of a register file (.csv in UTF-8 with or without BOM, or GB18030; or .xlsx). Columns
    by header (code/代码, name/名称, parent/上级代码, aliases/别名), else in that order."""
    ext = os.path.splitext(path)[1].lower()
    if not os.path.isfile(path):
        raise InputError(f"找不到单位名录文件：{path}")
    if ext == ".csv":
        rows = _csv_rows(path)
    elif ext in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path)
    else:
        raise InputError(f"单位名录须为 .csv 或 .xlsx 文件：{path}")
    rows = [[(c or "").strip() for c in r] for r in rows if any((c or "").strip() for c in r)]
    if not rows:
        raise InputError(f"单位名录是空的：{path}")
    found = _columns(rows[0], path)
    first = 2 if found is not None else 1  # the file's line number of the first entry
    if found is not None:
        rows = rows[1:]
    cols = found if found is not None else {"code": 0, "name": 1, "parent": 2, "aliases": 3}
    out: list[OrgEntry] = []
    codes: set[str] = set()
    for n, r in enumerate(rows, start=first):
        def cell(key: str, r: list[str] = r) -> str:
            i = cols.get(key)
            return r[i] if i is not None and i < len(r) else ""

        code, name = cell("code"), cell("name")
        if not code or not name:
            raise InputError(f"单位名录第 {n} 行缺少代码或名称：{path}")
        if code in codes:
            raise InputError(f"单位名录中代码 {code} 出现了两次（第 {n} 行）：{path}")
        codes.add(code)
        aliases = tuple(a.strip() for a in _ALIAS_SPLIT.split(cell("aliases")) if a.strip())
        out.append(OrgEntry(code, name, cell("parent") or None, aliases))
    for e in out:
        if e.parent and e.parent not in codes:
            raise InputError(f"单位名录中 {e.name} 的上级部门代码 {e.parent} 不在名录里：{path}")
    return out


def _columns(header: list[str], path: str) -> dict[str, int] | None:
    """The columns named by a header row (None: the first row is an entry, the columns in their order).
    A header with a column it does not know, or without a code or name column, is refused: a column
    silently dropped (the parent codes) would make every match wrong."""
    found: dict[str, int] = {}
    unknown: list[str] = []
    for i, h in enumerate(header):
        h2 = norm(h).lower()
        key = next((k for k, names in HEADERS.items() if h2 in {norm(x).lower() for x in names}), None)
        if key is not None:
            found.setdefault(key, i)
        elif h2:
            unknown.append(h)
    if not found:
        return None
    if unknown:
        raise InputError(f"单位名录的表头中有无法识别的列“{'”“'.join(unknown)}”（可用的列：{DOCUMENTED}）：{path}")
    if "code" not in found or "name" not in found:
        raise InputError(f"单位名录的表头须有“代码”和“名称”两列（可用的列：{DOCUMENTED}）：{path}")
    return found


def _csv_rows(path: str) -> list[list[str]]:
    with open(path, "rb") as fh:
        data = fh.read()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(f"单位名录的编码无法识别（应为 UTF-8 或 GB18030）：{path}")
    if "\x00" in text:
        raise InputError(f"单位名录不是文本 CSV 文件：{path}")
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error:
        raise InputError(f"单位名录不是有效的 CSV 文件：{path}") from None


def _xlsx_rows(path: str) -> list[list[str]]:
    try:
        import openpyxl
    except ImportError:
        raise InputError("读取 .xlsx 名录需要 openpyxl（pip install 'budgetdoc[xlsx]'）") from None
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook is one sentence
        raise InputError(f"单位名录不是可读的 .xlsx 文件：{path}") from None
    try:
        ws = wb.worksheets[0]
        return [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def edits(a: str, b: str, bound: int) -> int:
    """The Levenshtein distance of ``a`` and ``b``, or ``bound + 1`` as soon as it is known to exceed
    ``bound``."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > bound:
            return bound + 1
        prev = cur
    return prev[-1]


def _region_added(longer: str, shorter: str) -> bool:
    """``longer`` is ``shorter`` with a leading region added (上海市 + 普陀区城市管理行政执法局); the rest
    keeps at least four characters, so that a region's name alone never matches."""
    if len(longer) <= len(shorter) or not longer.endswith(shorter) or len(shorter) < 4:
        return False
    return _REGION_PREFIX.fullmatch(longer[: len(longer) - len(shorter)]) is not None


class Matcher:
    """Matches publishers' names against the register's names and aliases."""

    def __init__(self, orgs: list[OrgEntry]) -> None:
        self.orgs = orgs
        self.names = [(o, norm(o.name)) for o in orgs]
        self.aliases = [(o, norm(a)) for o in orgs for a in o.aliases]

    def match(self, publisher: str | None, scope: str | None = None) -> Match:
        if not self.orgs:
            return Match("none", note="未导入单位名录")
        name = norm(publisher)
        if not name:
            return Match("none", note="文件中没有识别出发布单位")
        for kind, pool in (("exact", self.names), ("alias", self.aliases)):
            hits = self._prefer(list({o.code: o for o, n in pool if n == name}.values()), scope)
            if len(hits) == 1:
                return Match(kind, hits[0].code)
            if len(hits) > 1:
                return Match("ambiguous", note="、".join(f"{o.name}（{o.code}）" for o in hits))
        hits = self._prefer(list({o.code: o for o, n in self.names + self.aliases
                                  if _region_added(name, n) or _region_added(n, name)}.values()), scope)
        if len(hits) == 1:
            return Match("region", hits[0].code, note=f"名称相同，地区前缀不同：{hits[0].name}")
        if len(hits) > 1:
            return Match("ambiguous", note="、".join(f"{o.name}（{o.code}）" for o in hits))
        best: dict[str, tuple[float, OrgEntry]] = {}
        for o, n in self.names + self.aliases:
            r = difflib.SequenceMatcher(None, name, n).ratio()
            if r >= CLOSE and r > best.get(o.code, (0.0, o))[0] and edits(name, n, MAX_EDITS) <= MAX_EDITS:
                best[o.code] = (r, o)
        if not best:
            return Match("none", note="名录中没有相同或相近的名称")
        top = max(r for r, _ in best.values())
        hits = self._prefer([o for r, o in best.values() if r == top], scope)
        if len(hits) == 1:
            return Match("close", hits[0].code,
                         note=f"名录中有相近名称：{hits[0].name}（{hits[0].code}，相似度 {top:.2f}），未归入，请核实后加为别名")
        return Match("ambiguous", note="、".join(f"{o.name}（{o.code}）" for o in hits))

    @staticmethod
    def _prefer(hits: list[OrgEntry], scope: str | None) -> list[OrgEntry]:
        """A 部门 document is the department's (no parent), a 单位 document a unit's, when the register
        has both under one name (a department and its own office)."""
        if len(hits) < 2 or scope not in ("部门", "单位"):
            return hits
        narrowed = [o for o in hits if (o.parent is None) == (scope == "部门")]
        return narrowed or hits
