"""Decoding and normalising text: encodings, line endings, full-width digits and punctuation."""

from __future__ import annotations

import re
import unicodedata

from ..errors import InputError

_FULLWIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
_FULLWIDTH.update(
    {
        "．": ".",
        "，": "，",  # keep the Chinese comma: it separates clauses, not thousands
        "－": "-",
        "＋": "+",
        "＝": "=",
        "％": "%",
        "：": "：",
        "\u3000": " ",
        "\u00a0": " ",
        "\ufeff": "",
        "\u200b": "",
        "\ufffd": "",
    }
)
_FULLWIDTH.update({chr(0xFF21 + i): chr(0x41 + i) for i in range(26)})
_FULLWIDTH.update({chr(0xFF41 + i): chr(0x61 + i) for i in range(26)})
# look-alikes of ideographs that fonts' character maps give (⼀ for 一, ⽀ for 支, 年 U+F98E for 年): Kangxi
# and supplementary radicals, compatibility ideographs and their supplement — each to the ideograph it
# stands for (NFKC), except the twelve compatibility code points that are themselves unified ideographs
# (﨎 﨏 﨑 …)
_UNIFIED = {0xFA0E, 0xFA0F, 0xFA11, 0xFA13, 0xFA14, 0xFA1F, 0xFA21, 0xFA23, 0xFA24, 0xFA27, 0xFA28, 0xFA29}
for _cp in (*range(0x2E80, 0x2FD6), *range(0xF900, 0xFB00), *range(0x2F800, 0x2FA20)):
    _nfkc = unicodedata.normalize("NFKC", chr(_cp))
    if _cp not in _UNIFIED and _nfkc != chr(_cp):
        _FULLWIDTH[chr(_cp)] = _nfkc
_TRANS = str.maketrans(_FULLWIDTH)
_BINARY_BYTES = [b for b in range(32) if b not in (9, 10, 12, 13, 27)] + [127]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode(data: bytes, path: str = "") -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (covers GBK/GB2312)."""
    if not data.strip():
        raise InputError(f"文件为空，没有可读取的内容：{path}")
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    head = data[:65536]
    controls = sum(head.count(bytes([b])) for b in _BINARY_BYTES)
    if head.count(b"\x00") > len(head) // 100 + 1 or controls > len(head) // 20 + 1:
        raise InputError(f"文件是二进制数据，不是文本、PDF 或表格文件：{path}")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") > len(text) // 50:
        raise InputError(f"无法识别文件的文字编码（既不是 UTF-8 也不是 GB18030/GBK）：{path}")
    return text


def normalise(text: str) -> str:
    """One line's text: full-width digits/letters/operators to ASCII, odd spaces to spaces, no controls."""
    if text.isascii() and text.isprintable():  # nothing to map or remove (amounts, codes): the common case
        return text.rstrip()
    return _CONTROL.sub("", text.translate(_TRANS)).rstrip()


def split_lines(text: str) -> list[str]:
    """Split on any line ending (\\r\\n, \\r, \\n); keep form feeds as their own marker lines."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


_CONTROL_KEEP_LINES = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_TRAILING = re.compile(r"[ \t]+$", re.M)


def normalise_keep_ff(text: str) -> str:
    """:func:`normalise` over a whole text at once, keeping line ends and form feeds."""
    return _TRAILING.sub("", _CONTROL_KEEP_LINES.sub("", text.translate(_TRANS)))
