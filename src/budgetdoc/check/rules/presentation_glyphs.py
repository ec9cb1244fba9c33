"""PRS004: characters that do not display (a replacement character, private-use code points, controls)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from ...model import Disclosure
from ..findings import Finding
from ..rule import Rule
from ..util import line_location


def undisplayable(ch: str) -> bool:
    if ch == "\ufffd":
        return True
    if "\uf000" <= ch <= "\uf0ff":
        return False  # a symbol font's glyph (Wingdings ☑ in the forms): it displays, only its text is private
    cat = unicodedata.category(ch)
    return cat in ("Co", "Cn", "Cs") or (cat == "Cc" and ch not in "\t\n\r\f")


class UndisplayableCharacters(Rule):
    """Every character of the document displays (primer §10: “text that does not display (missing
    glyphs)”). A glyph the PDF's font could not map reads as U+FFFD or a private-use code point (but
    U+F000–F0FF, where symbol fonts such as Wingdings put the checkboxes of the forms, displays); a control
    character or an unassigned code point shows as a box. Checked on every line, tables included; one
    finding per line.

    Bad:  “机关运行经费支出\ue5e5万元”; “公务用车运行维护费�”.
    Good: every character a CJK ideograph, a digit, a letter or a punctuation mark.
    """

    id = "PRS004"
    name = "undisplayable-characters"
    category = "presentation"
    severity = "info"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        for ln in doc.lines():
            bad = [ch for ch in ln.text if ord(ch) > 0x7e and undisplayable(ch) or ord(ch) < 0x20 and undisplayable(ch)]
            if not bad:
                continue
            codes = "、".join(dict.fromkeys(f"U+{ord(ch):04X}" for ch in bad))
            shown = "".join("□" if undisplayable(ch) else ch for ch in ln.text.strip())
            yield self.finding(
                f"“{shown[:50]}”中有无法显示的字符（{codes}），阅读时显示为方框或乱码，应更换字体或重新生成文件",
                line_location(doc, ln.page, ln.number), actual=codes,
            )
