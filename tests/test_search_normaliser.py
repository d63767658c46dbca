"""The one text normaliser as search uses it (model/text.py), and the engine's analysis on top of
it: NFKC, Traditional → Simplified (also half-converted text), 文号 bracket folding, synonyms,
segmentation, cleaning of user input, citations of 文号 in texts."""

from __future__ import annotations

import pytest

from gongkai.model.primitives.text import Synonyms, doc_no_search_key, search_text, simplify
from gongkai.search.analysis import citations, doc_no_index_key, terms, words
from gongkai.search.analysis import printable_text as clean


# --- NFKC: full-width digits, letters and punctuation ----------------------------------------------

@pytest.mark.parametrize("written, normal", [
    ("１２３４５", "12345"),
    ("ＳＣＪＧ－ＸＫ－００３", "scjg-xk-003"),
    ("１１４６９０２７ＭＢ００１００５２Ｑ／２０２０－０００１", "11469027mb0010052q/2020-0001"),
    ("低保，怎么办？", "低保,怎么办?"),
    ("\u3000政务公开\u3000", " 政务公开 "),  # the ideographic space is a space
    ("①", "1"),
])
def test_nfkc_width_and_case(written, normal):
    assert search_text(written) == normal


# --- Traditional → Simplified, also half-converted text ------------------------------------------------

@pytest.mark.parametrize("written, normal", [
    ("權責清單", "权责清单"),
    ("雙隨機、一公開", "双随机、一公开"),
    ("規范", "规范"),  # half-converted: 規 Traditional, 范 already Simplified
    ("規範", "规范"),
    ("并聯審批", "并联审批"),  # half-converted: 并 Simplified, 聯 Traditional
    ("並聯審批", "并联审批"),
    ("便民服務中心工作總結", "便民服务中心工作总结"),
    ("安澜县市场监督管理局", "安澜县市场监督管理局"),  # Simplified stays
])
def test_traditional_and_half_converted_to_simplified(written, normal):
    assert search_text(written) == normal
    assert simplify(written) == normal


def test_simplified_and_traditional_queries_meet():
    assert terms("權責清單") == terms("权责清单")
    assert terms("規范性文件") == terms("规范性文件")
    assert terms("并聯審批") == terms("并联审批")


# --- 文号 brackets --------------------------------------------------------------------------------------

@pytest.mark.parametrize("written", [
    "安府发〔2021〕3号", "安府发[2021]3号", "安府发(2021)3号", "安府发（2021）3号", "安府发【2021】3号",
    "安府发［2021］3号", "安府发﹝2021﹞3号", "安府发〔２０２１〕３号", "安府发 〔2021〕 3号",
])
def test_every_bracket_form_folds_to_the_same_text(written):
    assert search_text(written).replace(" ", "") == "安府发〔2021〕3号"
    assert doc_no_search_key(written) == "安府发20213号"
    assert doc_no_index_key(written) == "安府发〔2021〕3号"


def test_index_key_keeps_year_and_serial_apart():
    # without brackets, 〔2021〕3号 would be a suffix of 〔2020〕213号
    assert not doc_no_index_key("安府发〔2020〕213号").endswith("〔2021〕3号")
    assert doc_no_index_key("安府发〔2021〕03号") == "安府发〔2021〕3号"  # leading zero
    assert doc_no_index_key("不是文号") == doc_no_search_key("不是文号")
    assert doc_no_index_key("") == ""


def test_citations_of_doc_nos_in_text():
    text = "根据《某某办法》（安府发[2021]3号）和國辦發〔2018〕118號文件，已由安民发〔2022〕5号废止。"
    keys = citations(text)
    assert {"〔2021〕3号", "府发〔2021〕3号", "〔2018〕118号", "办发〔2018〕118号", "〔2022〕5号", "民发〔2022〕5号"} <= set(keys)
    assert citations("2021年3号楼") == []  # no brackets: not a 文号


# --- synonyms ---------------------------------------------------------------------------------------------

def test_synonym_groups_match_in_normalised_form():
    synonyms = Synonyms([["权责清单", "权力清单"], ["督查", "督察"], ["低保", "最低生活保障"]])
    assert synonyms.expand(search_text("權力清單")) == [["权力清单", "权责清单"]]
    assert synonyms.expand(search_text("低保怎么申请")) == [["低保", "最低生活保障"]]
    assert synonyms.expand(search_text("營業執照")) == []


def test_the_sample_synonyms_load():
    from pathlib import Path

    from gongkai.model import load_catalog

    catalog, problems = load_catalog(Path(__file__).resolve().parents[1] / "content")
    groups = [set(g) for g in Synonyms(catalog.synonyms).groups]
    assert {"权力清单", "权责清单", "权责事项清单"} in groups
    assert any({"社保卡", "社会保障卡"} <= g for g in groups)


# --- segmentation -------------------------------------------------------------------------------------------

def test_terms_are_words_and_their_dictionary_parts():
    assert {"建设", "工程", "建设工程", "规划", "许可", "许可证", "核发"} <= set(terms("建设工程规划许可证核发"))
    assert "个人所得税" in terms("个人所得税") and "所得税" in terms("个人所得税")


def test_unknown_long_words_give_bigrams():
    # 田长制 is not in jieba's dictionary and has no dictionary word inside: its bigrams are terms
    assert {"田长", "长制"} <= set(terms("田长制"))
    # a word made of dictionary words gives those, not bigrams
    assert "设工" not in terms("建设工程")


def test_terms_drop_punctuation_and_keep_codes():
    assert terms("，。！？、“”《》") == []
    assert "zrzy-qr-001" in terms("ZRZY-QR-001") or {"zrzy", "qr", "001"} <= set(terms("ZRZY-QR-001"))


def test_query_words_drop_stop_words():
    assert words("低保怎么申请") == ["低保", "申请"]
    assert words("我要办营业执照") == ["营业执照"]
    assert words("请问在哪里") == []


# --- cleaning user input ----------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, cleaned", [
    ("低保", "低保"),
    ("低\x00保\x1b", "低 保 "),
    ("低\u200b保\ufeff", "低保"),  # zero-width space, BOM: gone
    ("低\udcff保", "低 保"),  # a lone surrogate (undecodable bytes): a space
    ("a\u2028b", "a b"),
    (None, ""),
])
def test_clean(raw, cleaned):
    assert clean(raw) == cleaned
    search_text(clean(raw))  # never raises
