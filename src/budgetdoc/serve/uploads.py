"""Upload safety: the type of a file by its content (magic bytes), never by its name; limits on size and
archives (zip bombs, nested archives); names kept for display only; bytes stored by hash in a folder that
is never served. Nothing here opens a PDF: its pages are counted by the worker (:mod:`.worker`), in a
process with time and memory limits."""

from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from .config import Limits

SUFFIXES = {"pdf": ".pdf", "xlsx": ".xlsx", "text": ".txt", "markdown": ".md", "html": ".html"}


class Refused(Exception):
    """An upload (or one file of it) refused: the message is one sentence in Chinese."""


@dataclass
class Item:
    """One document of an upload: the display name and its bytes, with the type read from the bytes."""

    name: str
    data: bytes
    suffix: str


def display_name(raw: str | None) -> str:
    """A name fit to show: printable, at most 120 characters. Refused when it names a path (``/``, ``\\``,
    ``..``) or holds control characters: names are never used as paths, and a name that tries is not
    taken either."""
    name = (raw or "").strip()
    if not name:
        return "（未命名文件）"
    if "/" in name or "\\" in name or name in (".", "..") or name.startswith("..") or "\x00" in name:
        raise Refused(f"文件名不能含有路径（/、\\ 或 ..）：{_safe(name)}")
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise Refused(f"文件名含有控制字符：{_safe(name)}")
    return name[:120]


def _safe(s: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in s)[:80]


def _is_text(data: bytes) -> bool:
    head = data[:65536]
    if b"\x00" in head:
        return False
    for enc in ("utf-8-sig", "gb18030"):
        try:
            head.decode(enc)
            return True
        except UnicodeDecodeError as e:
            if enc == "utf-8-sig" and e.start >= len(head) - 4:  # a character cut at the sample's end
                return True
    return False


def sniff(data: bytes, name: str) -> str:
    """``pdf`` | ``xlsx`` | ``zip`` | ``text`` | ``markdown`` | ``html`` by the bytes; the name only tells
    markdown and HTML from plain text. Refused for anything else (an executable, an image, an old .xls)."""
    if data.startswith(b"%PDF-") or data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            raise Refused("文件像是压缩包，但已损坏，无法打开") from None
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return "xlsx"
        if "[Content_Types].xml" in names:
            raise Refused("只接受 .xlsx 表格，不接受 Word/PowerPoint 等其他 Office 文件")
        return "zip"
    if data.startswith((b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff",
                        b"GIF8", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b", b"BZh", b"\xfd7zXZ")):
        raise Refused("文件内容不是 PDF、文本或 .xlsx（按内容判断，与文件名无关）")
    if not data.strip():
        raise Refused("文件是空的")
    if _is_text(data):
        lower = name.lower()
        head = data[:2048].lstrip().lower()
        if lower.endswith((".html", ".htm")) or head.startswith((b"<!doctype html", b"<html")):
            return "html"
        return "markdown" if lower.endswith((".md", ".markdown")) else "text"
    raise Refused("文件内容不是 PDF、文本或 .xlsx（按内容判断，与文件名无关）")


def check_archive(z: zipfile.ZipFile, compressed: int, limits: Limits, what: str) -> None:
    """Zip-bomb limits: the declared sizes, total and ratio, before anything is decompressed (and while
    decompressing, see :func:`_read_member`)."""
    infos = z.infolist()
    total = sum(i.file_size for i in infos)
    if total > limits.zip_total_bytes:
        raise Refused(f"{what}解压后过大（{total // (1024 * 1024)} MB，上限 {limits.zip_total_bytes // (1024 * 1024)} MB）")
    if compressed > 0 and total > 1024 * 1024 and total / compressed > limits.zip_ratio:
        raise Refused(f"{what}的压缩比异常（{total // max(compressed, 1)} 倍），疑似压缩炸弹，已拒绝")
    for i in infos:
        if i.file_size > 1024 * 1024 and i.compress_size and i.file_size / i.compress_size > limits.zip_ratio:
            raise Refused(f"{what}中的文件压缩比异常，疑似压缩炸弹，已拒绝")


def _read_member(z: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """A member's bytes, stopping at ``cap`` whatever the header declared."""
    out = bytearray()
    with z.open(info) as fh:
        while True:
            chunk = fh.read(65536)
            if not chunk:
                break
            out += chunk
            if len(out) > cap:
                raise Refused(f"压缩包中的文件解压后超过上限：{_safe(info.filename)}")
    return bytes(out)


def accept(name: str, data: bytes, limits: Limits, depth: int = 0) -> list[Item]:
    """The documents of one uploaded file: itself, or the documents of a zip (one level, no nested
    archives). Refused (one sentence) when the file breaks a limit."""
    shown = display_name(name)
    if len(data) > limits.file_bytes:
        raise Refused(f"{shown}：文件过大（{len(data) // (1024 * 1024)} MB，上限 {limits.file_bytes // (1024 * 1024)} MB）")
    kind = sniff(data, shown)
    if kind == "zip":
        if depth > 0:
            raise Refused(f"{shown}：压缩包中不能再有压缩包")
        return _unzip(shown, data, limits)
    if kind == "xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            check_archive(z, len(data), limits, f"{shown}：表格")
    return [Item(shown, data, SUFFIXES[kind])]  # a PDF's pages are counted by the worker, not here


def _unzip(shown: str, data: bytes, limits: Limits) -> list[Item]:
    out: list[Item] = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        check_archive(z, len(data), limits, f"{shown}：压缩包")
        members = [i for i in z.infolist() if not i.is_dir()]
        if len(members) > limits.files_per_upload:
            raise Refused(f"{shown}：压缩包中的文件过多（{len(members)} 个，上限 {limits.files_per_upload} 个）")
        for info in members:
            raw = info.filename
            if raw.startswith(("/", "\\")) or ".." in re.split(r"[/\\]", raw) or re.match(r"^[A-Za-z]:", raw):
                raise Refused(f"{shown}：压缩包中有指向包外的路径，已拒绝：{_safe(raw)}")
            base = re.split(r"[/\\]", raw)[-1]
            if base.startswith(".") or base.startswith("__MACOSX") or "__MACOSX/" in raw:
                continue  # the archiver's own files
            body = _read_member(z, info, limits.file_bytes)
            for item in accept(base, body, limits, depth=1):
                item.name = f"{shown} › {item.name}"[:200]
                out.append(item)
    if not out:
        raise Refused(f"{shown}：压缩包中没有文件")
    return out


def store_bytes(folder: str, data: bytes, suffix: str) -> tuple[str, str]:
    """Write ``data`` as ``<folder>/<sha256><suffix>`` (the name is the hash: nothing the user typed), once;
    the hash and the path."""
    sha = hashlib.sha256(data).hexdigest()
    os.makedirs(folder, mode=0o700, exist_ok=True)
    path = os.path.join(folder, sha + suffix)
    if not os.path.isfile(path):
        tmp = f"{path}.{os.getpid()}.part"
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    return sha, path
