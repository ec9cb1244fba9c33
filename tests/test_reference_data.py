"""Reference data (data/functional/<year>.tsv, data/economic/<year>.tsv): format, hierarchy, coverage of
what the real documents print, and agreement of names with them."""

from __future__ import annotations

import re
from collections import Counter
from importlib import resources

import pytest

from budgetdoc.data import all_names, code_year, codes
from conftest import SAMPLE, SEED, needs_samples, needs_seeds

DATA = resources.files("budgetdoc.data")
FUNCTIONAL_YEARS = range(2021, 2027)
SEED_YEAR = {"000": 2023, "001": 2023, "002": 2026, "003": 2022, "004": 2021}
# Real defects of the seeds (primer §9 and the seeds themselves): printed names that are not the code's.
KNOWN_WRONG = {("000", "21011"), ("000", "2101102"), ("004", "2210202")}


def _files(scheme: str) -> dict[int, str]:
    folder = DATA / scheme
    return {int(p.name[:-4]): p.read_text("utf-8") for p in folder.iterdir() if p.name.endswith(".tsv")}


def _entries(text: str) -> list[tuple[str, str]]:
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        assert line.count("\t") == 1, f"not code<TAB>name: {line!r}"
        code, name = line.split("\t")
        out.append((code, name))
    return out


def test_every_functional_year_is_shipped():
    assert set(FUNCTIONAL_YEARS) <= set(_files("functional"))
    assert _files("economic"), "no economic classification file"


@pytest.mark.parametrize("scheme", ["functional", "economic"])
def test_files_parse_with_a_source_header(scheme):
    for year, text in _files(scheme).items():
        head = [ln for ln in text.splitlines() if ln.startswith("#")]
        assert head and text.startswith("#"), f"{scheme}/{year}.tsv has no header"
        header = "\n".join(head)
        assert re.search(r"财政部《20\d\d年政府收支分类科目》", header), f"{scheme}/{year}.tsv: no source"
        assert str(year) in header, f"{scheme}/{year}.tsv: header does not say its year"
        entries = _entries(text)
        # a year written conservatively (only what is confirmed for it: the Jiangsu 2017-2019 documents)
        # says so in its header; the others are lists of a few hundred codes
        assert len(entries) > (40 if "Coverage (conservative)" in header else 80)
        dupes = [c for c, n in Counter(c for c, _ in entries).items() if n > 1]
        assert not dupes, f"{scheme}/{year}.tsv repeats {dupes}"
        for code, name in entries:
            assert name and name == name.strip() and not re.search(r"\s", name), (code, name)
            assert "(" not in name and ")" not in name, f"half-width bracket in {code} {name}"


@pytest.mark.parametrize("scheme,lengths,first", [("functional", (3, 5, 7), "2"), ("economic", (3, 5), "3")])
def test_codes_and_hierarchy(scheme, lengths, first):
    for year, text in _files(scheme).items():
        table = dict(_entries(text))
        for code in table:
            assert code.isdigit() and len(code) in lengths and code.startswith(first), (year, code)
            if len(code) > 3:
                parent = code[: len(code) - 2]
                assert parent in table, f"{scheme}/{year}: {code} has no parent {parent}"


def test_every_class_of_each_year():
    classes = {
        "201": "一般公共服务支出", "202": "外交支出", "203": "国防支出", "204": "公共安全支出", "205": "教育支出",
        "206": "科学技术支出", "207": "文化旅游体育与传媒支出", "208": "社会保障和就业支出",
        "210": "卫生健康支出", "211": "节能环保支出", "212": "城乡社区支出", "213": "农林水支出",
        "214": "交通运输支出", "215": "资源勘探工业信息等支出", "216": "商业服务业等支出", "217": "金融支出",
        "219": "援助其他地区支出", "220": "自然资源海洋气象等支出", "221": "住房保障支出",
        "222": "粮油物资储备支出", "223": "国有资本经营预算支出", "224": "灾害防治及应急管理支出",
        "227": "预备费", "229": "其他支出", "230": "转移性支出", "231": "债务还本支出", "232": "债务付息支出",
        "233": "债务发行费用支出",
    }
    for year in FUNCTIONAL_YEARS:
        ref = codes("functional", year)
        for code, name in classes.items():
            assert ref.get(code) == name, (year, code)
        assert (ref.get("234") == "抗疫特别国债安排的支出") == (year <= 2024), year


def test_names_the_brief_and_primer_rely_on():
    ref = codes("functional", 2023)
    assert ref["21011"] == "行政事业单位医疗"
    assert [ref[c] for c in ("2101101", "2101102", "2101103", "2101199")] == [
        "行政单位医疗", "事业单位医疗", "公务员医疗补助", "其他行政事业单位医疗支出"]
    assert [ref[c] for c in ("22102", "2210201", "2210202", "2210203")] == [
        "住房改革支出", "住房公积金", "提租补贴", "购房补贴"]
    assert ref["20131"] == "党委办公厅（室）及相关机构事务" and ref["20132"] == "组织事务"
    assert ref["2080108"] == "信息化建设" and ref["2080150"] == "事业运行"
    assert ref["2080199"] == "其他人力资源和社会保障管理事务支出"
    assert ref["20805"] == "行政事业单位养老支出"
    eco = codes("economic", 2023)
    assert eco["30217"] == "公务接待费" and eco["30231"] == "公务用车运行维护费" and eco["31013"] == "公务用车购置"
    assert eco["30212"] == "因公出国（境）费用" and eco["30213"] == "维修（护）费"
    for c in ("301", "302", "303", "307", "309", "310", "311", "312", "313", "399"):
        assert c in eco


def test_years_differ_where_the_list_changed():
    assert "20139" not in codes("functional", 2023)
    assert codes("functional", 2024)["20139"] == "社会工作事务"
    assert codes("functional", 2026)["2013999"] == "其他社会工作事务支出"


def test_loader_picks_the_nearest_year_not_later():
    assert code_year("functional", 2023) == 2023
    assert code_year("functional", 2030) == 2026
    assert code_year("functional", 2020) == 2019  # the nearest older file (2017–2019 cover the Jiangsu documents)
    assert code_year("functional", 2016) == 2017  # older documents: the oldest file
    assert code_year("economic", 2017) == 2017 and code_year("economic", 2021) == 2018
    assert code_year("economic", 2024) <= 2024
    assert all_names("functional")["2101102"] == {y: "事业单位医疗" for y in FUNCTIONAL_YEARS}


def test_names_unique_where_the_national_list_makes_them_unique():
    for year in FUNCTIONAL_YEARS:
        ref = codes("functional", year)
        for width in (3, 5):
            names = Counter(n for c, n in ref.items() if len(c) == width)
            assert not [n for n, k in names.items() if k > 1], (year, width)
        siblings = Counter((c[:5], n) for c, n in ref.items() if len(c) == 7)
        assert not [k for k, v in siblings.items() if v > 1], year
    eco = codes("economic", 2021)
    assert not [n for n, k in Counter(n for c, n in eco.items() if len(c) == 3).items() if k > 1]
    assert not [k for k, v in Counter((c[:3], n) for c, n in eco.items() if len(c) == 5).items() if v > 1]


_CODED = re.compile(r"^(?:\s|<[^>]+>)*(\d{3}|\d{5}|\d{7})(?:\s|<[^>]+>)+([\u4e00-\u9fff（）()、 ]+?)(?=\s*[\d\t]|\s*$)")


def _printed(text: str) -> list[tuple[str, str]]:
    """(code, name) of every table row line printing a functional or economic code with its name."""
    out = []
    for line in text.splitlines():
        m = _CODED.match(line.replace("\t", " "))
        if m and m.group(1)[0] in "23" and not m.group(2).startswith(("万", "人", "年", "个")):
            out.append((m.group(1), re.sub(r"\s+", "", m.group(2))))
    return out


def _agrees(printed: str, name: str) -> bool:
    p, n = printed.replace("(", "（").replace(")", "）"), name
    return p == n or (len(p) >= 4 and n.startswith(p))


@needs_seeds
@pytest.mark.parametrize("seed", sorted(SEED))
def test_every_code_the_seeds_print_is_there_with_that_name(seed):
    printed = _printed(SEED[seed].read_text("utf-8"))
    assert len(printed) > 20
    year = SEED_YEAR[seed]
    scheme = {"2": "functional", "3": "economic"}
    for code, name in printed:
        if code == "232" or code.startswith("309"):  # “232 万条”, “30991 人次”: amounts, not codes
            continue
        ref = codes(scheme[code[0]], year)
        assert code in ref, f"seed {seed} prints {code} {name}; not in {scheme[code[0]]}/{year}"
        if (seed, code) not in KNOWN_WRONG:
            assert _agrees(name, ref[code]), f"seed {seed}: {code} printed {name!r}, reference {ref[code]!r}"


@needs_seeds
def test_the_seeds_real_wrong_names_disagree_with_the_reference():
    """Guards the known-defect list above: each entry really disagrees (else it hides nothing)."""
    for seed, code in KNOWN_WRONG:
        names = {n for c, n in _printed(SEED[seed].read_text("utf-8")) if c == code}
        ref = codes("functional", SEED_YEAR[seed])[code]
        assert any(not _agrees(n, ref) for n in names), (seed, code, names)


@needs_samples
@pytest.mark.parametrize("sample", ["planning", "social", "template"])
def test_every_code_the_samples_print_is_there(sample):
    pymupdf = pytest.importorskip("pymupdf")
    text = "".join(p.get_text() for p in pymupdf.open(SAMPLE[sample]))
    # the PDFs print the code and the name on separate lines: pair each code line with the next line
    lines = [ln.strip() for ln in text.splitlines()]
    found = 0
    ref = codes("functional", 2024)
    for i, ln in enumerate(lines[:-1]):
        if re.fullmatch(r"2\d{2}(?:\d{2}){0,2}", ln) and re.match(r"[\u4e00-\u9fff]", lines[i + 1]):
            found += 1
            assert ln in ref, f"{sample} prints {ln} {lines[i + 1]}; not in functional/2024"
            assert _agrees(lines[i + 1], ref[ln]), (sample, ln, lines[i + 1], ref[ln])
    assert found >= 5
