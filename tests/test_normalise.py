"""``normalise`` takes a shortcut for plain printable ASCII; it must give what the full mapping gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from budgetdoc.read.normalise import _CONTROL, _TRANS, normalise


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.,-+% abcXYZ\t\x00\x07\x7f") + ["１", "．", "　", "\u00a0",
                                                                                      "\ufeff", "年", "－"]),
               max_size=12))
def test_the_ascii_shortcut_equals_the_full_mapping(text):
    assert normalise(text) == _CONTROL.sub("", text.translate(_TRANS)).rstrip()


def test_full_width_and_controls_are_still_mapped():
    assert normalise("２０２４年\x07 ") == "2024年" and normalise("1,234.56\x00") == "1,234.56"


def test_radical_and_compatibility_look_alikes_become_the_ideographs():
    """Fonts of real government PDFs map glyphs to Kangxi radicals or compatibility ideographs: the text
    must still say 一般公共预算 and 2024年度."""
    assert normalise("⼀般公共预算⽀出") == "一般公共预算支出"
    assert normalise("2024\uf98e\ufa01") == "2024年度"
    assert normalise("\ufa0e\ufa11") == "\ufa0e\ufa11"  # unified ideographs in that block stay


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(list("ab1（）<>/ \t\u3000\xa0\x1c\x85\u2003年度") + ["<b>", "</td>"]), max_size=14)
       .map("".join))
def test_fold_drops_tags_and_every_space_and_applies_nfkc(text):
    import re
    import unicodedata

    from budgetdoc.check.util import fold

    fold.cache_clear()
    assert fold(text) == re.sub(r"[\s\u3000]+", "", unicodedata.normalize("NFKC", re.sub(r"<[^>]*>", "", text)))
