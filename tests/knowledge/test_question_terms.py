"""The words a question is judged on: what it asks about, not the seams of a segmenter's mis-cuts."""

from __future__ import annotations

import pytest

from core.text import segment
from core.text.question import analyse
from knowledge.base import KnowledgeBase
from knowledge.wordweights import chance_pieces, informativeness


@pytest.mark.parametrize(("question", "word", "not_words"), [
    ("判断一个渠道靠不靠谱要看什么?", "靠谱", ("靠", "不靠", "谱")),
    ("挑目标市场要看赚不赚钱吗?", "赚钱", ("赚", "不赚")),
    ("活动好不好玩", "好玩", ("不好",)),
])
def test_an_a_not_a_question_asks_about_the_word_itself(question: str, word: str, not_words: tuple[str, ...]) -> None:
    analysis = analyse(question)
    assert word in analysis.topic
    assert not set(not_words) & set(analysis.topic)
    assert all(clause.asks for clause in analysis.clauses)


@pytest.mark.parametrize(("question", "name"), [("营销4P指的是哪四个要素?", "4p"), ("B2B渠道怎么做", "b2b"), ("O2O模式是什么", "o2o")])
def test_letters_and_digits_written_together_are_one_name(question: str, name: str) -> None:
    assert name in analyse(question.lower()).topic



@pytest.mark.parametrize(("question", "asking", "background"), [
    ("what's a tiered discount, e.g. spend 200 save 30?", "what's a tiered discount，spend 200 save 30", "e.g"),
    ("how's the budget usually split between channels", "how's the budget usually split between channels", ""),
    ("we run a bakery. who’s in charge of the event on site?", "who’s in charge of the event on site", "we run a bakery"),
])
def test_an_english_question_word_with_its_s_still_asks(question: str, asking: str, background: str) -> None:
    analysis = analyse(question)
    assert analysis.asking == asking and analysis.background == background
    assert not analysis.guessed

def _topic_terms(kb: KnowledgeBase, question: str) -> dict[str, bool]:
    generation = kb.loaded().generation
    assert generation is not None
    return {t.text: t.known_in_corpus for t in generation.terms(analyse(question)) if t.role == "topic"}


@pytest.mark.parametrize(("question", "seam", "instead"), [
    ("电商节线上宣传用哪些平台?", "节线", "线上"),  # 电商节 | 线上 cut as 电商 / 节线 / 上
    ("需求不太行的时候价格该怎么调?", "太行", None),  # 不太 | 行: grammar, no topic word
])
def test_a_mis_cut_is_read_as_the_words_meant(shared_kb: KnowledgeBase, question: str, seam: str,
                                              instead: str | None) -> None:
    terms = _topic_terms(shared_kb, question)
    assert seam not in terms
    if instead:
        assert terms[instead] is True


def test_a_word_the_segmenter_cut_whole_lends_no_character_to_a_seam(shared_kb: KnowledgeBase) -> None:
    # 万一 | 下雨: 一下 is commoner than 下雨 and the guidebooks write it, but 万一 was cut as a word of its own
    terms = _topic_terms(shared_kb, "办户外活动,万一下雨要准备什么?")
    assert "下雨" in terms and "一下" not in terms


@pytest.mark.parametrize(("question", "word"), [
    ("新员工试用期多长时间?", "试用期"),  # 期 | 多长时间 is no word: 期多's frequency is only guessed from its parts
    ("试用期多久转正?", "试用期"),
])
def test_a_word_before_a_question_word_is_no_mis_cut(shared_kb: KnowledgeBase, question: str, word: str) -> None:
    assert _topic_terms(shared_kb, question)[word] is False


@pytest.mark.parametrize(("question", "dwelt_on", "brushed_past"), [
    ("招聘渠道有哪些?", "渠道", "招聘"),  # the guidebooks name 招聘 once, in a sales-team section
    ("员工满减活动怎么设置?", "满减", "员工"),
    ("新员工试用期多长时间?", "员工", "试用期"),  # a word they never use lifts least
])
def test_words_the_guidebooks_dwell_on_lift_above_words_they_brush_past(
        shared_kb: KnowledgeBase, question: str, dwelt_on: str, brushed_past: str) -> None:
    generation = shared_kb.loaded().generation
    assert generation is not None
    lifts = {t.text: t.lift for t in generation.terms(analyse(question))}
    assert lifts[dwelt_on] > lifts[brushed_past]
    assert lifts[brushed_past] < 0.5


def test_a_word_whose_guidebook_words_are_written_is_known(shared_kb: KnowledgeBase) -> None:
    assert _topic_terms(shared_kb, "营销4p指的是哪四个要素?")["4p"] is True  # 产品策略, 价格策略, …


@pytest.mark.parametrize(("question", "word"), [
    ("这档活动的客群是谁?", "客群"),  # Taiwan and Hong Kong marketing words: the guidebooks write 群体, 积分, 策划书
    ("会员点数怎么设计?", "点数"),
    ("企划书要写哪些内容?", "企划书"),
])
def test_a_regional_marketing_word_is_known_by_the_guidebooks_word_for_it(shared_kb: KnowledgeBase, question: str,
                                                                         word: str) -> None:
    assert _topic_terms(shared_kb, question)[word] is True


@pytest.mark.parametrize(("question", "word"), [
    ("商标注册要分哪个类别?", "商标注册"),
    ("千川投放怎么开户充值?", "开户"),
])
def test_words_the_guidebooks_never_use_stay_unknown(shared_kb: KnowledgeBase, question: str, word: str) -> None:
    assert _topic_terms(shared_kb, question)[word] is False


@pytest.mark.parametrize(("typed", "topic"), [
    ("轉化率係點計嘅?", {"转化率"}),  # 係點計 (how is it counted) cut as 系 / 点计: Cantonese phrasing, no topic word
    ("用成本加成嚟定價,具體步驟係點?", {"具体步骤"}),
    ("渠道布局幾耐要調整一次?", {"渠道", "布局", "调整"}),  # 幾耐 (how long) is one question word, not 几 / 耐要
])
def test_written_cantonese_grammar_is_no_topic_word(shared_kb: KnowledgeBase, typed: str, topic: set[str]) -> None:
    from knowledge.retriever import _analysis

    generation = shared_kb.loaded().generation
    assert generation is not None
    assert {t.text for t in generation.terms(_analysis(generation, typed)) if t.role == "topic"} == topic


def test_a_hong_kong_word_is_a_word_general_chinese_knows() -> None:
    from knowledge.wordweights import general_zipf, known_in_general

    assert known_in_general("老细") and known_in_general("几耐")  # boss, how long: Mandarin lists lack both
    assert general_zipf("几耐") > 4 and not known_in_general("细话")  # as common in Hong Kong as 调整 in Mandarin


@pytest.mark.parametrize(("question", "read", "not_read"), [
    ("優惠券嘅有效期設幾耐好？", "设几耐", "设计"),  # 设 + 几耐 (how long): no pinyin slip of 设计
    ("個門檻使唔使設高少少？", "使不使", "是不"),  # a modal asked A-not-A, no slip of 是不是
])
def test_written_cantonese_is_not_read_for_pinyin_slips(shared_kb: KnowledgeBase, question: str, read: str,
                                                        not_read: str) -> None:
    understood = shared_kb.search(question).understood
    assert read in understood and not_read not in understood


def test_a_mandarin_question_is_still_read_for_pinyin_slips(shared_kb: KnowledgeBase) -> None:
    assert "竞品" in shared_kb.search("竟品的价格怎么分析?").understood


def _weights(kb: KnowledgeBase, question: str) -> dict[str, float]:
    generation = kb.loaded().generation
    assert generation is not None
    return {t.text: t.weight for t in generation.terms(analyse(question))}


@pytest.mark.parametrize(("question", "fragment", "topic"), [
    ("老板老问我这次活动的回报率怎么算", "老问", "回报率"),
    ("来算一下定价的时候成本要考虑哪些", "来算", "定价"),
    ("顾客收到货反悔了老问能不能退货", "问能", "退货"),
])
def test_characters_the_segmenter_joined_by_chance_weigh_what_their_pieces_say(
        shared_kb: KnowledgeBase, question: str, fragment: str, topic: str) -> None:
    weights = _weights(shared_kb, question)
    assert fragment in weights and topic in weights
    # 老问 alone would weigh like a word general Chinese hardly writes (5.9); as 老 | 问 it says little
    assert weights[fragment] < 2.0 < informativeness(fragment)
    assert weights[fragment] < weights[topic]


@pytest.mark.parametrize(("question", "word"), [
    ("年会怎么策划比较好", "年会"),  # no commoner than 年 | 会 by chance, but the general word vectors know it
    ("团建拓展项目有哪些", "团建"),  # the vectors do not, CC-CEDICT does ("team building")
])
def test_a_word_a_lexicon_knows_keeps_its_own_weight(shared_kb: KnowledgeBase, question: str, word: str) -> None:
    assert chance_pieces(word)
    assert _weights(shared_kb, question)[word] == pytest.approx(informativeness(word))


@pytest.mark.parametrize(("question", "word"), [("这种促销方式到底有用吗", "有用"), ("国庆活动效果不错呀，还能怎么做", "不错")])
def test_a_sentence_particle_run_into_a_word_is_the_question_s_grammar(question: str, word: str) -> None:
    analysis = analyse(question)
    assert word in analysis.topic
    assert not any(t.endswith(("吗", "呀")) for t in analysis.topic)
    assert analysis.clauses[-1].asks


def test_a_word_ending_in_a_character_that_is_also_a_particle_stays_whole() -> None:
    assert "目的地" in analyse("活动目的地怎么选").topic  # 地 ends the word, it is no particle here


def test_a_planner_word_keeps_its_own_weight_where_the_guidebooks_never_write_it() -> None:
    # 满减 is no commoner in general Chinese than 满 | 减 by chance, but the glossary names it (planner_words.tsv)
    assert chance_pieces("满减") == ("满", "减")
    assert segment.is_planner_word("满减")
