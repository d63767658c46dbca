"""The one text normaliser: 文号 bracket folding, canonical 文号, book-title marks."""

import pytest

from gongkai.model.primitives.text import book_title, canonical_doc_no, doc_no_key, normalize

CANONICAL = "定府发〔2020〕1号"


@pytest.mark.parametrize("written", [
    "定府发〔2020〕1号",
    "定府发[2020]1号",
    "定府发(2020)1号",
    "定府发（2020）1号",
    "定府发【2020】1号",
    "定府发［2020］1号",
    "定府发﹝2020﹞1号",
    "定府发 [ 2020 ] 1 号",
    "定府发〔２０２０〕１号",
])
def test_every_bracket_form_has_the_same_key(written):
    assert doc_no_key(written) == doc_no_key(CANONICAL)


def test_key_keeps_different_numbers_apart():
    assert doc_no_key("定府发〔2020〕1号") != doc_no_key("定府发〔2020〕11号")
    assert doc_no_key("定府发〔2020〕1号") != doc_no_key("定府发〔2021〕1号")
    assert doc_no_key("定府发〔2020〕1号") != doc_no_key("定府办发〔2020〕1号")


@pytest.mark.parametrize("written, canonical", [
    ("定府发〔2020〕1号", "定府发〔2020〕1号"),
    ("定府发[2020]1号", "定府发〔2020〕1号"),
    ("定府发（2020）1号", "定府发〔2020〕1号"),
    ("定府发【2020】01号", "定府发〔2020〕1号"),
    ("定府发 [2020] 12号", "定府发〔2020〕12号"),
    ("安府办发﹝2019﹞123号", "安府办发〔2019〕123号"),
    ("  定府发〔２０２０〕１号 ", "定府发〔2020〕1号"),
])
def test_canonical_form(written, canonical):
    assert canonical_doc_no(written) == canonical


@pytest.mark.parametrize("not_a_doc_no", [
    "定府发2020年1号", "〔2020〕1号", "定府发〔20〕1号", "定府发〔2020〕号", "第1号", "", "定府发〔2020〕1",
])
def test_not_a_doc_no(not_a_doc_no):
    assert canonical_doc_no(not_a_doc_no) is None


def test_normalize_folds_width_and_case():
    assert normalize("  ＡＢＣ１２３ ") == "abc123"
    assert normalize("行政许可") == "行政许可"


@pytest.mark.parametrize("name", ["中华人民共和国城乡规划法", "《中华人民共和国城乡规划法》", " 《中华人民共和国城乡规划法 "])
def test_book_title_wraps_once(name):
    assert book_title(name) == "《中华人民共和国城乡规划法》"


def test_identifiers_compare_in_normal_form():
    """One key for look-alikes: width (NFKC), format characters (Cf: zero-width space, word joiner,
    BOM, bidi marks) and case; different identifiers keep different keys."""
    from gongkai.model.primitives.text import identifier_key, reference_key

    assert identifier_key("ZRJ-XK-001") == identifier_key("zrj-xk-001") == identifier_key("ＺＲＪ－ＸＫ－００１")
    assert identifier_key("ZRJ-XK\u200b-001\u2060") == identifier_key("\ufeffZRJ-XK-001\u200e") == "zrj-xk-001"
    assert identifier_key("ZRJ-XK-001") != identifier_key("ZRJ-XK-002")
    assert reference_key("定府\u200b发[2020]1号") == reference_key("定府发〔2020〕1号")
    assert reference_key("定府发〔2020〕1号") != reference_key("定府发〔2020〕11号")


def test_the_format_characters_are_every_cf_character_of_this_python():
    import sys
    import unicodedata

    from gongkai.model.primitives.text import FORMAT_CHARACTERS

    for code in range(sys.maxunicode + 1):
        char = chr(code)
        assert bool(FORMAT_CHARACTERS.match(char)) == (unicodedata.category(char) == "Cf"), hex(code)
