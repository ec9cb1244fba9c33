"""Layout details that the seeds do not show: 三公 headers in the Shanghai order, PDF samples."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetdoc.data import catalog
from budgetdoc.recognise.tables.sangong import header_columns
from conftest import SAMPLE, load_doc, needs_samples

T9 = [c["id"] for c in catalog()["by_key"]["T9"]["columns"]]
B7 = [c["id"] for c in catalog()["by_key"]["B7"]["columns"] if not c.get("optional")]


def test_sangong_header_in_groups_of_six():
    header = [
        ["预算数", "", "", "", "", "", "决算数"],
        [
            "合计",
            "因公出国（境）费",
            "公务用车购置及运行费",
            "",
            "",
            "公务接待费",
            "合计",
            "因公出国（境）费",
            "公务用车购置及运行费",
            "",
            "",
            "公务接待费",
        ],
        [
            "",
            "",
            "小计",
            "公务用车购置费",
            "公务用车运行费",
            "",
            "",
            "",
            "小计",
            "公务用车购置费",
            "公务用车运行费",
        ],
    ]
    assert header_columns(header, T9) == T9


def test_sangong_header_in_budget_final_pairs():
    header = [
        ["财政拨款“三公”经费", "", "", "", "", "", "", "", "", "", "", ""],
        [
            "合计",
            "",
            "因公出国（境）费",
            "",
            "公务用车购置及运行维护费",
            "",
            "",
            "",
            "",
            "",
            "公务接待费",
            "",
        ],
        ["", "", "", "", "小计", "", "公务用车购置费", "", "公务用车运行维护费", "", "", ""],
        ["预算数", "决算数"] * 6,
    ]
    assert header_columns(header, T9) == [
        "budget_total",
        "final_total",
        "budget_abroad",
        "final_abroad",
        "budget_car",
        "final_car",
        "budget_car_buy",
        "final_car_buy",
        "budget_car_run",
        "final_car_run",
        "budget_reception",
        "final_reception",
    ]


def test_budget_sangong_header():
    header = [
        ["“三公”经费合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"],
        ["", "", "小计", "公务用车购置费", "公务用车运行费"],
    ]
    assert header_columns(header, B7) == B7


def test_unreadable_header_falls_back_to_order():
    assert header_columns([["甲", "乙"]], B7) is None
    assert header_columns([], B7) is None


@needs_samples
@pytest.mark.parametrize("name", ["planning"])
def test_shanghai_pdf_tables(name):
    doc = load_doc(SAMPLE[name])
    keys = [t.key for t in doc.tables]
    assert keys == ["T1", "T2", "T3", "T4", "T5", "T6", "T9", "T7", "T8"]
    t9 = doc.table("T9")
    assert t9.value("合计", "budget_total") == Decimal("2.85")
    assert t9.value("合计", "budget_reception") == Decimal("2.85")
    assert t9.value("合计", "final_reception") == Decimal("0.39")
    t1 = doc.table("T1")
    assert t1.value("220", "amount", "支出") == Decimal("4461.67")
    assert doc.table("T6").value("30217", "amount") == Decimal("0.39")
    assert doc.table("T8").empty and [c.id for c in doc.table("T8").columns][0] == "begin"
