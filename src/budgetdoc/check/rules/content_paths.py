"""CNT002: a 类/款/项 path named in prose that is not in the year's classification list."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...data import all_names
from ...model import Disclosure
from ..class_prose import LEVEL_LEN, Names, Path, names, paths
from ..findings import Finding
from ..prose import prose
from ..rule import Rule


def all_years() -> set[int]:
    return {y for names_ in all_names("functional").values() for y in names_}


_QUOTED = re.compile(r"[“\"](?P<name>[\u4e00-\u9fff]{2,20})[”\"]")
_LEVEL_OF_LEN = {3: "类", 5: "款", 7: "项"}


class ClassPath(Rule):
    """Each 类/款/项 the narrative names is a class of that year's list, under the class it is named under
    (财政部《政府收支分类科目》; primer §4: “a 类/款/项 path that is not in that year's list”; §10). A 类
    name without its 支出, a 款 under another 类, a 项 under another 款, a name of another level, or the
    right name with its characters transposed are reported with the name the list prints. Names the
    shipped list does not hold are left alone (it is not the complete national list); old names are
    CNT001's.

    Bad:  “一般公共服务（类）统计信息事务（款）统计信息事务（项）” (统计信息事务 is a 款; 一般公共服务支出 is the 类);
          “公共安全支出（类）司法（款）其他公共安全支出（项）” (2049999 is under 20499 其他公共安全支出);
          “住房保障支出（类）住房保障支出（款）住房公积金（项）” (the 款 is 住房改革支出).
    Good: “一般公共服务支出（类）统计信息事务（款）专项统计业务（项）”.
    """

    id = "CNT002"
    name = "class-path"
    category = "content"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        year = doc.identity.year
        if year is None:
            return
        if year < min(all_years()):
            return  # the shipped lists begin later: an older year's names are not known
        n = names(year)
        p = prose(doc)
        found = paths(p.text)
        # “社会保障和就业（类）” is a shorthand some regions use throughout; a document that names its 类
        # with 支出 elsewhere (its own convention, the list's) has left the 支出 out where it is missing
        full = any(it.level == "类" and it.name.endswith("支出") for path in found for it in path.items)
        for path in found:
            said = _check(path, n, full, p.text)
            if said:
                start = path.start + _lead(path, n)
                yield self.finding(
                    f"说明中“{p.text[start:path.end]}”：{said[0]}（{year}年政府收支分类科目）",
                    p.location(doc, start), expected=said[1], actual=said[2],
                )
        for m in _QUOTED.finditer(p.text) if full else ():
            name = m.group("name")
            if name in n.ever or name in n.old or not n.at(name + "支出", "类"):
                continue
            yield self.finding(
                f"说明中“{name}”：类级科目名称应为“{name}支出”（{year}年政府收支分类科目）",
                p.location(doc, m.start()), expected=name + "支出", actual=name,
            )


def _lead(path: Path, n: Names) -> int:
    """Characters of the first name run before the name itself (the words of the sentence before it)."""
    first = path.items[0]
    name = _name_of(first.name, first.level, n) or _missing_zhichu(first.name, n) or first.name
    return len(first.name) - len(name)


def _check(path: Path, n: Names, full: bool, text: str) -> tuple[str, str, str] | None:
    """(what is wrong, the names the list prints, the names printed) of the path's wrong levels, or None."""
    problems: list[tuple[str, str, str]] = []
    parent: str | None = None
    for pos, item in enumerate(path.items):
        if item.code:
            return None  # （210类）: CNT003 says the form; the name cannot be judged
        level, run = item.level, item.name
        first = pos == 0
        if first and level != "类" and len(path.items) == 1:
            return None  # a lone （款）/（项） after prose: its name cannot be cut from the sentence
        name = _name_of(run, level, n) if first else run
        if name is None:
            if level == "类" and full and not text.startswith("支出", item.end):
                short = _missing_zhichu(run, n)
                if short is not None:
                    problems.append((f"类级科目名称“{short}”应为“{short}支出”", short + "支出", short))
                    parent = n.at(short + "支出", "类")[0]
                    continue
            break
        if name in n.old:
            r = n.old[name]
            if r.level != level:
                break
            parent = r.code
            continue  # CNT001 reports the old name
        hits = n.at(name, level, parent)
        if hits:
            parent = hits[0]
            continue
        said = _wrong(name, level, parent, n)
        if said is not None:
            problems.append(said)
        break  # past a name the list does not place, the levels below cannot be judged
    if not problems:
        return None
    return ("；".join(p[0] for p in problems), "；".join(p[1] for p in problems if p[1]),
            "；".join(p[2] for p in problems))


def _name_of(run: str, level: str, n: Names) -> str | None:
    """The name in a run before the first marker of a path: its longest suffix that is a name of any
    year (or an old name); None when no suffix is."""
    for i in range(len(run)):
        cand = run[i:]
        if cand in n.ever or cand in n.old:
            return cand
    return None


def _missing_zhichu(run: str, n: Names) -> str | None:
    for i in range(len(run)):
        cand = run[i:]
        if len(cand) >= 2 and n.at(cand + "支出", "类") and cand not in n.ever:
            return cand
    return None


def _wrong(name: str, level: str, parent: str | None, n: Names) -> tuple[str, str, str] | None:
    length = LEVEL_LEN[level]
    levels = n.ever.get(name, set())
    if parent and parent.endswith("99") and level == "项" and name == n.codes.get(parent):
        return None  # 其他…支出 (款 XXX99) and its one 项 XXX9999 carry the same name
    if levels and length not in levels:
        other = "、".join(_LEVEL_OF_LEN[x] for x in sorted(levels))
        under = f"“{n.codes.get(parent, '')}”下" if parent else ""
        return (f"“{name}”是{other}级科目名称，{under}没有名为“{name}”的{level}级科目", "", name)
    if parent is None:
        return None
    elsewhere = n.at(name, level)
    children = n.children(parent)
    # a name the list gives one or two 款/项 (not one repeated under many, as 行政运行 or 信息化建设) belongs
    # under those; 其他…支出 always belongs under its own parent
    specific = len(elsewhere) <= 2 and bool(children)
    if elsewhere and (name.startswith("其他") or specific):
        owner = elsewhere[0][: length - 2]
        return (f"{level}级科目“{name}”（{elsewhere[0]}）属于“{n.codes.get(owner, owner)}”，"
                f"不在“{n.codes.get(parent, parent)}”之下", n.codes.get(owner, owner), n.codes.get(parent, parent))
    same = sorted(name)
    for c in children:
        cname = n.codes[c]
        if cname != name and sorted(cname) == same:
            return (f"{level}级科目名称应为“{cname}”（{c}），印为“{name}”", cname, name)
    return None
