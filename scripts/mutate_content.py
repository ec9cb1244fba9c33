"""Mutation run of the content rules (issue 15): inject one defect of each kind the bureau's inspectors
write down into every shared document, and count the variants where its rule names it.

For every document of ``../shared`` (seeds, samples, real, real/jiangsu) and every kind, a variant is
written in a temporary directory with that one defect (never the document itself), checked, and compared
with the untouched document: the kind is *found* when its rule gives a finding the untouched document
does not have; any other new finding is *collateral* (counted and listed). A kind that cannot be put into
a document (a 预算's wording in a 决算, no 编制部门 line to blank) does not apply to it. The untouched
documents must give no finding of a kind's rule at the place it is injected.

Text documents get the defect in their lines; PDFs by editing their pages with PyMuPDF: a sentence is
printed below the last line of a narrative page with room (``china-s``, the body's size), a word replaced
in place (``tests/pdf_edit.py``), a page added, a glyph code without a character printed in a page's own
font.

    PYTHONPATH=src .venv/bin/python scripts/mutate_content.py [--kind NAME…] [--doc SUBSTRING…] [-v]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from budgetdoc.check.parts import part_map
from budgetdoc.check.prose import prose
from budgetdoc.data.checklists import kind_of
from budgetdoc.pipeline import run

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "tests"))
import pdf_edit  # noqa: E402  (the tests' PDF editing helpers)

NOTES = ("budget_notes", "final_notes", "other_notes", "other_matters")


def documents() -> list[Path]:
    out: list[Path] = []
    for folder in ("seeds", "samples", "real", "real/jiangsu"):
        for p in sorted((SHARED / folder).iterdir()):
            if p.suffix in (".txt", ".pdf") and not p.name.startswith("."):
                out.append(p)
    return out


@dataclass
class Variant:
    path: Path
    page: int | None  # where the defect is (None: anywhere)


Inject = Callable[[Path, object, Path], Variant | None]


# ------------------------------------------------------------------ editing helpers

def _target_line(doc, parts: tuple[str, ...] = NOTES):
    """The last prose line of a narrative part that ends a sentence (where a new sentence can follow)."""
    p = prose(doc)
    best = None
    for i, ln in enumerate(p.lines):
        if p.parts[i] in parts and p.lines[i].text.strip().endswith("。"):
            best = ln
    if best is None:
        for ln in p.lines:
            if ln.text.strip().endswith("。"):
                best = ln
    return best


def add_sentence(path: Path, doc, tmp: Path, sentence: str, parts: tuple[str, ...] = NOTES) -> Variant | None:
    """A variant with ``sentence`` added to the narrative: a text gets it as a new line after a sentence of
    a narrative part; a PDF has it printed below the last line of a narrative page with room."""
    out = tmp / path.name
    if path.suffix == ".txt":
        ln = _target_line(doc, parts)
        if ln is None:
            return None
        lines = path.read_text("utf-8").split("\n")
        idx = ln.number - 1
        lines.insert(idx + 1, sentence)
        out.write_text("\n".join(lines), "utf-8")
        return Variant(out, ln.page)
    p = prose(doc)
    pages = [ln.page for i, ln in enumerate(p.lines) if p.parts[i] in parts] or [ln.page for ln in p.lines]
    pdf = pymupdf.open(str(path))
    for page_no in sorted(set(pages), key=lambda n: -n):
        page = pdf[page_no - 1]
        words = page.get_text("words")
        body = [w for w in words if w[3] < page.rect.height - 50 and not _FOLIO.match(w[4])]
        if not body:
            continue
        bottom = max(w[3] for w in body)
        footer = min((w[1] for w in words if w[1] > bottom + 2), default=page.rect.height - 36)
        last = [w for w in body if abs(w[3] - bottom) < 2]
        x0 = min(w[0] for w in last)
        size = max(8.0, min(14.0, (last[0][3] - last[0][1]) * 0.85))
        room = page.rect.width - 30 - x0
        chunks = _wrap(sentence, size, room)
        y = bottom + size * 1.9
        if y + size * 1.6 * (len(chunks) - 1) > min(footer - 4, page.rect.height - 30):
            continue
        for chunk in chunks:
            page.insert_text((x0, y), chunk, fontname="china-s", fontsize=size)
            y += size * 1.6
        pdf.save(str(out), garbage=1, deflate=True)
        pdf.close()
        return Variant(out, page_no)
    pdf.close()
    return None


_FOLIO = re.compile(r"^[\-—─–·\s]*\d{1,3}[\-—─–·\s]*$")  # a page number printed at the foot


def _wrap(sentence: str, size: float, room: float) -> list[str]:
    """The sentence cut into lines that fit ``room`` points."""
    lines, cur = [], ""
    for ch in sentence:
        if cur and pymupdf.get_text_length(cur + ch, fontname="china-s", fontsize=size) > room:
            lines.append(cur)
            cur = ""
        cur += ch
    return [*lines, cur] if cur else lines


def replace(path: Path, doc, tmp: Path, page: int, line: int, old: str, new: str) -> Variant | None:
    """``old`` replaced by ``new`` on one line (a text's line; a PDF's line band)."""
    out = tmp / path.name
    if path.suffix == ".txt":
        lines = path.read_text("utf-8").split("\n")
        raw = lines[line - 1]
        if old not in raw:
            return None
        lines[line - 1] = raw.replace(old, new, 1)
        out.write_text("\n".join(lines), "utf-8")
        return Variant(out, page)
    ln = next((x for x in doc.lines() if x.page == page and x.number == line), None)
    if ln is None or ln.bbox is None:
        return None
    try:
        with pymupdf.open(str(path)) as pdf:
            rect = pdf[page - 1].rect
        clip = pymupdf.Rect(rect.x0, ln.bbox[1] - 1, rect.x1, ln.bbox[3] + 1)
        pdf_edit.replace_text(path, out, page, old, new, clip=clip)
    except (AssertionError, ValueError, RuntimeError):
        return None
    return Variant(out, page)


# ------------------------------------------------------------------ the kinds

def _sentence(text: str) -> Inject:
    def inject(path: Path, doc, tmp: Path) -> Variant | None:
        return add_sentence(path, doc, tmp, text)
    return inject


def _year_sentence(path: Path, doc, tmp: Path) -> Variant | None:
    if kind_of(doc) != "预算" or not doc.identity.year:
        return None
    return add_sentence(path, doc, tmp, f"{doc.identity.year - 1}年预算安排的各项目均已纳入。")


def _scope_sentence(path: Path, doc, tmp: Path) -> Variant | None:
    if doc.identity.scope == "单位":
        return add_sentence(path, doc, tmp, "本部门严格按规定执行预算。")
    if doc.identity.scope == "部门":
        return add_sentence(path, doc, tmp, "单位预算安排已按规定执行。")
    return None


def _path_sentence(path: Path, doc, tmp: Path) -> Variant | None:
    if (doc.identity.year or 0) < 2021:
        return None  # the shipped lists begin with 2021
    return add_sentence(path, doc, tmp, "相关支出列入公共安全支出（类）司法（款）其他公共安全支出（项）。")


def _renamed_sentence(path: Path, doc, tmp: Path) -> Variant | None:
    if (doc.identity.year or 0) < 2019:
        return None  # the old name was the name
    return add_sentence(path, doc, tmp, "相关支出列入医疗卫生与计划生育支出（类）。")


_PREPARER = re.compile(r"(?:编制部门|编制单位|单位|部门)[:：]\s*(?P<name>[\u4e00-\u9fff（）()]{4,40}?)(?=\s|单位[:：]|$)")


def _blank_preparer(path: Path, doc, tmp: Path) -> Variant | None:
    for t in doc.tables:
        for ln in doc.lines():
            if ln.page != t.location.page or not (0 < ln.number - (t.location.line or 0) <= 4):
                continue
            m = _PREPARER.search(ln.text)
            if m and m.group("name") not in ("万元", "元"):
                v = replace(path, doc, tmp, ln.page, ln.number, m.group("name"), "")
                if v is not None:
                    return v
    return None


def _details(path: Path, doc, tmp: Path) -> Variant | None:
    """Take out one detail the disclosure rules require where the document states it (a word its rule
    needs, replaced by one it does not accept: 批次 → 回, 保有量 → 在用数)."""
    from budgetdoc.data.checklists import region_text
    from budgetdoc.data.content import content

    p = prose(doc)
    words = {"批次": "回", "人次": "人", "团组": "组", "保有量": "在用数", "车辆": "公车", "个": "项"}
    where = region_text(doc)
    for d in content().get("detail", []):
        if d.get("kind") not in (None, kind_of(doc)):
            continue
        if d.get("since") and (doc.identity.year or 0) < d["since"]:
            continue
        if "region_rx" in d and not d["region_rx"].search(where):
            continue
        for m in d["topic_rx"].finditer(p.text):
            start = p.sentence_start(m.start())
            window = p.text[start: start + 400]
            if "unless_rx" in d and d["unless_rx"].search(window):
                continue
            if not all(rx.search(window) for rx in d["needs_rx"]):
                continue
            for word, instead in words.items():
                idx = p.text.find(word, m.start(), start + 400)
                if idx < 0 or window.count(word) != 1:
                    continue  # absent, or printed more than once (one edit would not take it out)
                changed = window.replace(word, instead)
                if all(rx.search(changed) for rx in d["needs_rx"]):
                    continue
                ln = p.line_at(idx)
                v = replace(path, doc, tmp, ln.page, ln.number, word, instead)
                if v is not None:
                    return v
    return None


def _doubled(path: Path, doc, tmp: Path) -> Variant | None:
    ln = _target_line(doc)
    text = ln.text.strip() if ln is not None else ""
    if ln is not None and text.count("。") == 1 and re.search(r"[\u4e00-\u9fff]。$", text):
        v = replace(path, doc, tmp, ln.page, ln.number, text[-2:], text[-2:-1] + "。。")
        if v is not None:
            return v
    return add_sentence(path, doc, tmp, "相关情况已按规定公开。。")


def _full_stop(path: Path, doc, tmp: Path) -> Variant | None:
    """The full stop of a paragraph's last sentence taken out."""
    p = prose(doc)
    for i in range(len(p.lines) - 1, 0, -1):
        ln = p.lines[i]
        nxt = p.para[i + 1] if i + 1 < len(p.lines) else True
        text = ln.text.strip()
        if nxt and text.endswith("。") and text.count("。") == 1 and len(text) >= 12 and p.parts[i] in NOTES:
            v = replace(path, doc, tmp, ln.page, ln.number, text[-4:], text[-4:-1])
            if v is not None:
                return v
    return add_sentence(path, doc, tmp, "本部门已按规定公开相关信息，接受社会监督")


def _blank_page(where: str) -> Inject:
    def inject(path: Path, doc, tmp: Path) -> Variant | None:
        pm = part_map(doc)
        if where == "toc":
            if pm.toc is None:
                return None
            after = pm.toc[1][0]
        else:
            starts = sorted({s[0] for s, _, _ in pm.tables})
            if len(starts) < 2:
                return None
            after = starts[len(starts) // 2] - 1
        out = tmp / path.name
        if path.suffix == ".pdf":
            pdf = pymupdf.open(str(path))
            rect = pdf[after - 1].rect
            pdf.new_page(pno=after, width=rect.width, height=rect.height)
            pdf.save(str(out), garbage=1, deflate=True)
            pdf.close()
            return Variant(out, after + 1)
        text = path.read_text("utf-8")
        lines = text.split("\n")
        if where == "toc":
            last_no = pm.toc[1][1]  # the 目录's last line
        else:
            last = max((ln for ln in doc.lines() if ln.page == after), key=lambda ln: ln.number, default=None)
            if last is None:
                return None
            last_no = last.number
        lines.insert(last_no, "\f\f")
        out.write_text("\n".join(lines), "utf-8")
        return Variant(out, after + 1)
    return inject


def _glyph(path: Path, doc, tmp: Path) -> Variant | None:
    """A character that does not display: a private-use code point where an extractor put a glyph it
    could not map (a text; the text reader drops U+FFFD itself); in a PDF, a code of the page's own CID
    font that maps to no character (it reads as that private-use code point)."""
    ln = _target_line(doc)
    if ln is None:
        return None
    out = tmp / path.name
    if path.suffix == ".txt":
        lines = path.read_text("utf-8").split("\n")
        lines[ln.number - 1] = lines[ln.number - 1].replace("。", "\ue5e5。", 1)
        out.write_text("\n".join(lines), "utf-8")
        return Variant(out, ln.page)
    pdf = pymupdf.open(str(path))
    page = pdf[ln.page - 1]
    font = next((f for f in page.get_fonts(full=True) if str(f[5]).startswith("Identity")), None)
    if font is None or ln.bbox is None:
        pdf.close()
        return None
    page.clean_contents()
    xref = page.get_contents()[0]
    x, y = ln.bbox[2] + 1, page.rect.height - ln.bbox[3] + 2
    stream = pdf.xref_stream(xref) + f"\nq BT /{font[4]} 10 Tf {x:.1f} {y:.1f} Td <E5E5> Tj ET Q\n".encode()
    pdf.update_stream(xref, stream)
    pdf.save(str(out), garbage=1, deflate=True)
    pdf.close()
    return Variant(out, ln.page)


KINDS: dict[str, tuple[str, Inject]] = {
    "renamed-class-name": ("CNT001", _renamed_sentence),
    "class-path": ("CNT002", _path_sentence),
    "code-bracket": ("CNT003", _sentence("相关支出列入卫生健康支出（210类）。")),
    "wrong-year": ("CNT004", _year_sentence),
    "template-text": ("CNT005", _sentence("按上述格式依次说明到各项级科目。")),
    "scope-wording": ("CNT006", _scope_sentence),
    "empty-reason": ("CNT007", _sentence("相关支出变动的主要原因是。")),
    "blank-preparer": ("CNT008", _blank_preparer),
    "self-contradiction": ("CNT009", _sentence("相关支出与上年预算增加持平。")),
    "zero-base-rate": ("CNT011", _sentence("调研经费上年为0万元，今年增长100%。")),
    "quantity-parts": ("CNT012", _sentence("共有车辆5辆，其中：执法执勤用车2辆、其他用车2辆。")),
    "required-details": ("CNT013", _details),
    "doubled-punctuation": ("PRS001", _doubled),
    "missing-full-stop": ("PRS002", _full_stop),
    "unmatched-pair": ("PRS003", _sentence("相关情况详见“附件说明。")),
    "undisplayable-characters": ("PRS004", _glyph),
    "blank-page-after-toc": ("PRS005", _blank_page("toc")),
    "blank-table-page": ("PRS005", _blank_page("tables")),
}


def _key(f) -> tuple[str, str, str]:
    msg = re.sub(r"第\d+页|第\d+行", "", f.message)  # the places move when a line or a page is added
    return (f.rule, f.severity, msg)


def _place(f) -> tuple[str, object, object, object, object]:
    loc = f.location
    return (f.rule, loc.page, loc.line, loc.table, loc.row)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kind", nargs="*", default=None)
    ap.add_argument("--doc", nargs="*", default=None)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    kinds = {k: v for k, v in KINDS.items() if not args.kind or k in args.kind}
    docs = [p for p in documents() if not args.doc or any(s in p.name for s in args.doc)]
    found: Counter[str] = Counter()
    applied: Counter[str] = Counter()
    collateral: Counter[str] = Counter()
    misses: list[str] = []
    for path in docs:
        doc, base = run(path)
        base_keys = Counter(_key(f) for f in base.findings)
        base_places = {_place(f) for f in base.findings}
        for name, (rule, inject) in kinds.items():
            with tempfile.TemporaryDirectory() as tmp:
                try:
                    variant = inject(path, doc, Path(tmp))
                except Exception as e:  # noqa: BLE001 - a kind that cannot be put into this document
                    if args.verbose:
                        print(f"  {path.name} {name}: not injected ({type(e).__name__}: {e})")
                    variant = None
                if variant is None:
                    continue
                applied[name] += 1
                try:
                    rep = run(variant.path)[1]
                except Exception as e:  # noqa: BLE001
                    misses.append(f"{name} {path.name}: the variant cannot be read ({e})")
                    continue
                new = Counter(_key(f) for f in rep.findings) - base_keys
                hit = any(k[0] == rule for k in new)
                if hit:
                    found[name] += 1
                else:
                    misses.append(f"{name} {path.name}: not found")
                # a finding of the untouched document quoting the edited line anew is not a new one
                others = [_key(f) for f in rep.findings if _key(f) in new and f.rule != rule
                          and _place(f) not in base_places]
                if others:
                    collateral[name] += len(others)
                    if args.verbose:
                        for k in others:
                            print(f"  collateral {name} {path.name}: {k[0]} {k[1]} {k[2][:120]}")
        print(f"{path.name}: done", file=sys.stderr)
    print(f"{'kind':28s} {'rule':7s} found/applied  collateral")
    for name, (rule, _) in kinds.items():
        a = applied[name]
        share = f"{found[name] / a:.0%}" if a else "—"
        print(f"{name:28s} {rule:7s} {found[name]:3d}/{a:<3d} {share:>5s}  {collateral[name]}")
    for m in misses:
        print("  miss:", m)


if __name__ == "__main__":
    main()
