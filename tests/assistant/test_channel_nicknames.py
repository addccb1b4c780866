"""Channel nicknames (channel_nicknames.tsv), the glossary's channel names, and what a brief keeps of them."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.briefs import parse_request
from assistant.briefs.entities import find_terms, nickname_rows, tactic_spans, term_named, vocabulary
from assistant.briefs.request import find_channels, money_spans

TODAY = dt.date(2026, 12, 2)


@pytest.mark.parametrize(("nickname", "name"), nickname_rows())
def test_each_nickname_names_a_channel_of_the_vocabulary(nickname: str, name: str) -> None:
    term = term_named(name)
    assert term is not None and term.is_channel and term.name == name, (
        f"channel_nicknames.tsv: {nickname!r} names {name!r}, which is no channel of vocabulary.tsv; write a channel's "
        "canonical name (the second column of vocabulary.tsv)")
    assert term_named(nickname) == term


def test_no_nickname_is_already_a_form_of_a_channel() -> None:
    written = {form.lower() for term in vocabulary() for form in (term.name, *term.forms) if form.lower() not in term.nicknames}
    doubled = [nickname for nickname, _ in nickname_rows() if nickname.lower() in written]
    assert doubled == [], f"channel_nicknames.tsv: {doubled} are vocabulary.tsv forms already; remove them from the nicknames"


@pytest.mark.parametrize(("text", "channels"), [
    ("主要投xhs和抖，谢谢", ["小红书", "抖音"]),
    ("投抖、视频号和朋友圈", ["抖音", "视频号", "朋友圈"]),
    ("渠道就红书、dy、公众号", ["小红书", "抖音", "公众号"]),
    ("主要在小红薯和朋友圈", ["小红书", "朋友圈"]),
    ("携程美团点评都上", ["携程", "美团", "大众点评"]),
    ("on xhs and dy", ["Xiaohongshu", "Douyin"]),
    ("天冷了手一直在发抖", []),
    ("抖一抖就好", []),
    ("视频画面有点抖", []),
    ("加上抖", ["抖音"]),
    ("主要落面书同ig", ["Facebook", "ig"]),  # Hong Kong's 面書 (find_channels reads normalized Simplified)
])
def test_nicknames_are_read_as_their_channel(text: str, channels: list[str]) -> None:
    assert find_channels(text) == channels


def test_a_brief_writes_the_channel_not_the_nickname() -> None:
    brief = parse_request("給我們的手工皂做個買一送一，預算10萬，1月5號到1月20號，主要在紅書跟ig", today=TODAY)
    assert brief.channels == ["小红书", "ig"]  # domain text is Simplified: the reply converts it
    english = parse_request("a bogo promo for our soap on xhs, budget 10k, Jan 5 to Jan 20", today=TODAY)
    assert english.channels == ["Xiaohongshu"]


def test_glossary_names_of_a_channel_count_unless_everyday_words() -> None:
    assert [m.term.name for m in find_terms("a billboard and our distributor")] == ["户外广告", "经销商"]
    assert find_terms("our community") == []  # an everyday word (Zipf ≥ 4.5) the vocabulary does not list


@pytest.mark.parametrize(("text", "product"), [
    ("给我们的护手霜做一波种草，预算3万，12月15号到31号", "护手霜"),
    ("情人节巧克力种草，预算8万，2月1号到2月14号", "巧克力"),
    ("年花快閃，預算八萬港幣，1月25號至2月5號", "年花"),
    ("幫手諗個新年推廣，賣年糕，預算三萬港幣，1月20號至2月5號", "年糕"),
])
def test_tactics_and_currencies_are_no_product(text: str, product: str) -> None:
    assert parse_request(text, today=TODAY).product == product


def test_tactic_and_money_spans() -> None:
    s = "巧克力种草，预算十二万港币"
    assert [s[a:b] for a, b in tactic_spans(s)] == ["种草"]
    assert "十二万港币" in [s[a:b] for a, b in money_spans(s)]


@pytest.mark.parametrize(("text", "product", "brand"), [
    ("双十二想给洗地机做个满减，预算三十万，12月5号到12号", "洗地机", ""),  # 「给X做」: X is what is sold
    ("给新品燕麦奶做一波种草，预算8万，1月6号到1月20号", "燕麦奶", ""),
    ("给稻香村做个中秋礼盒促销，预算8万", "礼盒", "稻香村"),  # the product is named elsewhere: X stays the brand
    ("春节前两周到元宵节,给稻香村的年货礼盒做个社群团购活动", "年货礼盒", "稻香村"),  # 「给X的Y」: X owns Y
    ("领导叫我们给新出的燕麦奶做个上市推广", "燕麦奶", ""),  # 新出 (a verb) is no brand, 上市 no product
    ("我哋係一間做車仔麵嘅小店，想喺農曆新年搞個推廣", "車仔麵", ""),
    ("we sell tea sets on tb and want to push a 618 flash sale", "tea sets", ""),
])
def test_what_is_sold_and_whose_it_is(text: str, product: str, brand: str) -> None:
    brief = parse_request(text, today=TODAY)
    assert (brief.product, brief.brand) == (product, brand)
