"""Marketing slang no dictionary holds, read as the guidebooks' words (the glossary's eng27 section).

CC-CEDICT glosses none of these keys with a word the guidebooks write ("slash" is 砍伤, "plateau" 高原, "tease"
捉弄; "dm", "upsell", "collab", "ugc" not at all) and WordNet gives no marketing sense either (a "deck" of cards, a
"drop" of water, "swag" as loot), so the hand glossary holds them. The section is kept short: every key is read in a
planner's ask below, and that ask finds the passage that answers it.
"""

from __future__ import annotations

import pytest

from knowledge import cedict
from knowledge.base import KnowledgeBase
from knowledge.evaluate import is_hit
from knowledge.glossary import GLOSSARY_PATH, read_english

SECTION = "marketing slang no dictionary holds"
MOST_KEYS = 25

# (ask, slang key as the glossary writes it, a phrase of the passage that answers the ask)
ASKS = [
    ("customers DM us with questions all day, what response time is the standard", "dm", "1小时内响应客户咨询"),
    ("people send us a direct message with questions, what response time do we promise", "direct message",
     "1小时内响应客户咨询"),
    ("what should a pitch deck for our event cover", "pitch deck", "明确活动目的、策略、形式、流程、预算"),
    ("what goes in the slide deck we hand the team before the campaign", "slide deck", "策划书需简洁明了"),
    ("how do we structure the recap after the promo ends", "recap", "总结经验教训"),
    ("what goes into a recap deck after a campaign", "recap deck", "活动概述"),
    ("rivals slashed their prices, do we follow", "slash", "跟随降价或保持原价"),
    ("the competitor slashed prices overnight, should we respond", "slash price", "跟随降价或保持原价"),
    ("our product's sales hit a plateau after years on the market, which strategy now", "plateau",
     "优化产品功能,提高性价比"),
    ("launching a new drop soon, should we trial it first", "new drop", "在新产品上市前进行试销"),
    ("how do we promote a product drop so the new release sells", "product drop", "新品"),
    ("another brand pitched a collab for our promotion, what's in it for us", "collab", "实现资源共享"),
    ("how do we encourage UGC and word of mouth about our brand", "ugc", "用户评价、案例分享、社交媒体互动"),
    ("we want more user generated content like reviews, how", "user generated content", "用户评价、案例分享"),
    ("what events raise foot traffic at the supermarket over new year", "foot traffic", "提高客流量和销售"),
    ("how do we upsell shoppers to high-end goods during the festival", "upsell", "高附加值的商品"),
    ("can we up-sell premium products during the shopping festival", "up sell", "高附加值的商品"),
    ("what swag should we prepare before the event", "swag", "提前准备好活动所需的物料、设备、礼品等"),
    ("which member perks keep loyal customers coming back", "perk", "积分兑换、专享折扣"),
    ("when should we start to tease the sale before it launches", "tease", "提前一个月开始预热"),
    ("how do we motivate each sales rep on the team", "sales rep", "销售激励"),
    ("shoppers collect pts on orders, what can they redeem them for", "pts", "积分可兑换礼品或抵扣现金"),
]


def _section() -> dict[str, tuple[str, ...]]:
    """The section's keys and their Chinese terms, as the file writes them."""
    entries, inside = {}, False
    for line in GLOSSARY_PATH.read_text(encoding="utf-8").splitlines():
        if line.startswith("# --- "):
            inside = line.startswith(f"# --- {SECTION}")
        elif inside and line and not line.startswith("#"):
            key, terms = line.split("\t")
            entries[key] = tuple(terms.split("|"))
    return entries


def _section_keys() -> list[str]:
    return list(_section())


def test_every_slang_key_is_read_in_an_ask_and_the_section_stays_short() -> None:
    keys = _section_keys()
    assert sorted(keys) == sorted(key for _, key, _ in ASKS)
    assert len(keys) <= MOST_KEYS


def test_no_dictionary_gives_a_slang_key_a_word_the_guidebooks_write(shared_kb: KnowledgeBase) -> None:
    known = shared_kb.loaded().generation.segments.contains
    written = {key: [w for w in cedict.chinese_for(key) if known(w)] for key in _section_keys()}
    assert {key: words for key, words in written.items() if words} == {}


@pytest.mark.parametrize(("ask", "key", "phrase"), ASKS)
def test_a_slang_ask_is_read_in_the_guidebooks_words_and_finds_its_passage(
        shared_kb: KnowledgeBase, ask: str, key: str, phrase: str) -> None:
    generation = shared_kb.loaded().generation
    read = read_english(ask, generation.segments.contains, senses=generation.senses)
    assert _section()[key] in [chinese for _, chinese in read.matches], read.matches
    assert any(generation.segments.contains(t) for t in _section()[key])
    passages = shared_kb.search(ask, 5).passages
    assert any(is_hit(p.text, [phrase]) for p in passages[:3]), [p.section for p in passages]
