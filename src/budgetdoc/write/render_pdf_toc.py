"""The 目录 of a written PDF with its page numbers: which blocks are its entries, and on which page each
entry's part, section or table starts (found by a first, dry pass of the layout). The numbers are the
file's pages, as the footers print them; budgetdoc's CMP005 checks them on the PDF read back."""

from __future__ import annotations

import re

from .document import LEADER, Block

_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[.．、]\s*)")


def toc_entries(blocks: list[Block]) -> list[int]:
    """Indices of the 目录's entries: the paragraphs ending in a leader after a 目录 heading, up to the
    next page break."""
    out: list[int] = []
    inside = False
    for i, b in enumerate(blocks):
        if b.kind == "heading" and b.text.replace(" ", "") == "目录":
            inside = True
        elif b.kind == "pagebreak" and inside and out:
            break
        elif inside and b.kind == "para" and b.text.endswith(LEADER):
            out.append(i)
    return out


def entry_name(text: str) -> str:
    return text[: -len(LEADER)].strip() if text.endswith(LEADER) else text.strip()


def _target(b: Block) -> str | None:
    if b.kind == "heading":
        return b.text
    if b.kind == "table" and b.table is not None:
        return b.table.title
    return None


def toc_pages(blocks: list[Block], entries: list[int], starts: dict[int, int]) -> dict[int, tuple[int, bool]]:
    """Entry index → (the page its target starts on, whether the target is a table), for the entries
    whose heading or table title is found after the 目录 (in the 目录's order, else anywhere after it)."""
    if not entries:
        return {}
    after = [i for i in range(entries[-1] + 1, len(blocks)) if _target(blocks[i]) and i in starts]
    out: dict[int, tuple[int, bool]] = {}
    at = 0
    for e in entries:
        name = entry_name(blocks[e].text)
        names = {name, _ORDINAL.sub("", name)}
        found = next((k for k in after[at:] if _target(blocks[k]) in names), None)
        if found is None:
            found = next((k for k in after if _target(blocks[k]) in names), None)
        if found is None:
            continue
        at = after.index(found) + 1
        out[e] = (starts[found], blocks[found].kind == "table")
    return out
