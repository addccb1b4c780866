"""Question terms: what good_match and reranking count as the topic of a question."""

from __future__ import annotations

from knowledge.synonyms import alternatives, expand_query


def test_alternatives_put_the_word_itself_first() -> None:
    assert alternatives("电影院") == ("电影院", "影城", "影院")
    assert alternatives("分群") == ("分群", "细分")
    assert alternatives("赚钱") == ("赚钱", "利润", "盈利")
    assert alternatives("促销") == ("促销",)
    assert alternatives("通路") == ("通路", "渠道")  # Taiwan's word, which the script converter keeps
    assert alternatives("点数") == ("点数", "积分")


def test_expand_query_adds_only_guidebook_words_not_already_there() -> None:
    assert expand_query("大促之前要准备什么") == "大促之前要准备什么 促销"
    assert expand_query("打广告的目标有哪些") == "打广告的目标有哪些"  # 广告 is already in it
    assert expand_query("营销4p是什么") == "营销4p是什么 产品策略 价格策略 渠道策略 促销策略"


def test_expand_query_matches_latin_words_from_their_start() -> None:
    assert expand_query("a heroic plan") == "a heroic plan"
    assert expand_query("roi怎么算") == "roi怎么算 投资回报率"
