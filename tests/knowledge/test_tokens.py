"""Question terms: what good_match and reranking count as the topic of a question."""

from __future__ import annotations

import pytest

from knowledge.synonyms import alternatives, expand_query
from knowledge.tokens import content_terms


@pytest.mark.parametrize(
    ("question", "terms"),
    [
        # one-character words written side by side are one compound (满减)
        ("满减优惠怎么设置", ["满减", "优惠", "设置"]),
        # ...but characters a question word stood between are not (no 「靠来」)
        ("差异化策略靠什么来做", ["差异化", "策略"]),
        # everyday fillers say what kind of answer is wanted, not what it is about
        ("活动开始前要备哪些东西", ["活动", "开始"]),
        ("七夕的菜品设计有什么讲究", ["七夕", "菜品", "设计"]),
        ("产品定位要从哪些方面入手", ["产品", "定位"]),
        # an A-not-AB question asks about AB
        ("判断一个渠道靠不靠谱要看什么", ["判断", "渠道", "靠谱"]),
        # a stopword is removed only as a whole word: 会 in 年会 (a meeting) is not cut out of it
        ("公司年会抽奖环节怎么设计", ["公司", "年会", "抽奖", "环节", "设计"]),
        ("年会节目怎么排练", ["年会", "节目", "排练"]),
        # ...while characters the HMM runs together with a grammar word stay apart (要备 is 要 + 备)
        ("活动开始前要备哪些东西", ["活动", "开始"]),
        ("做消费者调研要问些什么", ["消费者", "调研"]),
        ("怎么做抖音直播带货", ["抖音", "直播", "带货"]),
        # a dictionary word the dictionary itself would split stays split (太多 is 太 + 多)
        ("产品线太多了,该怎么优化产品组合", ["产品线", "优化", "产品组合"]),
        # a word of stopword characters only is not a topic (能用 = 能 + 用, 做到 = 做 + 到)
        ("包装设计能用上什么黑科技", ["包装", "设计", "科技"]),
        ("销售流程标准化要做到什么", ["销售", "流程", "标准化"]),
        # a lone noun suffix belongs to the word before it (视频号 is not 视频)...
        ("视频号怎么开通", ["视频号", "开通"]),
        ("员工绩效考核表怎么填", ["员工", "绩效考核表"]),
        ("回购率这个指标能说明什么", ["回购率", "指标", "说明"]),
        # ...any other lone character after a word is still dropped (后 here is not part of 结束)
        ("活动结束后怎么回访客户", ["活动", "结束", "回访", "客户"]),
        ("差异化策略靠什么来做", ["差异化", "策略"]),
    ],
)
def test_content_terms(question: str, terms: list[str]) -> None:
    assert content_terms(question) == terms


def test_alternatives_put_the_word_itself_first() -> None:
    assert alternatives("电影院") == ("电影院", "影城", "影院")
    assert alternatives("分群") == ("分群", "细分")
    assert alternatives("赚钱") == ("赚钱", "利润", "盈利")
    assert alternatives("促销") == ("促销",)


def test_expand_query_adds_only_guidebook_words_not_already_there() -> None:
    assert expand_query("大促之前要准备什么") == "大促之前要准备什么 促销"
    assert expand_query("打广告的目标有哪些") == "打广告的目标有哪些"  # 广告 is already in it
    assert expand_query("营销4p是什么") == "营销4p是什么 产品策略 价格策略 渠道策略 促销策略"


def test_expand_query_matches_latin_words_from_their_start() -> None:
    assert expand_query("a heroic plan") == "a heroic plan"
    assert expand_query("roi怎么算") == "roi怎么算 投资回报率"
