"""Briefs: amounts, dates, festivals, YAML/JSON files and natural-language requests."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from assistant.briefs import (
    brief_from_mapping,
    festival_date,
    load_brief,
    next_festival,
    parse_amount,
    parse_date,
    parse_request,
)
from core.errors import BriefError

TODAY = dt.date(2026, 11, 23)
D = dt.date


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("80万", 800_000), ("八十万", 800_000), ("¥50,000", 50_000), ("5千块", 5_000), ("3w", 30_000),
        ("1.5 million RMB", 1_500_000), ("200萬元", 2_000_000), ("30万元", 300_000), ("十万", 100_000),
        ("一百五十万", 1_500_000), ("两百万", 2_000_000), ("五万五", 55_000), ("1亿2000万", 120_000_000),
        ("1.5W", 15_000), ("10k", 10_000), ("1万5", 15_000), ("3千5", 3_500), ("1亿2", 120_000_000),
        ("2万8千", 28_000), ("￥３０，０００", 30_000), ("800000", 800_000), ("RMB 20000", 20_000),
    ],
)
def test_parse_amount(text: str, value: float) -> None:
    assert parse_amount(text) == value


def test_parse_amount_scales_bare_numbers_by_the_column_unit() -> None:
    assert parse_amount("100", default_unit=10_000) == 1_000_000
    assert parse_amount("8万元", default_unit=10_000) == 80_000


@pytest.mark.parametrize(("text", "value"), [
    ("80,000元", 80_000), ("NT$180,000", 180_000), ("HK$55,000", 55_000), ("港幣40,000", 40_000),
    ("US$5,000", 5_000), ("RMB 1,800,000", 1_800_000), ("18,000元", 18_000),
])
def test_an_amount_written_with_its_currency_keeps_its_own_unit_in_a_wan_column(text: str, value: float) -> None:
    """A 万元 table's cells written out in 元, NT$ or HK$ (mixed tables, as planners fill them) are not 万."""
    assert parse_amount(text, default_unit=10_000) == value


@pytest.mark.parametrize(("text", "value"), [
    ("3万港纸", 30_000), ("五萬港紙", 50_000), ("500 US$", 500), ("8000 NT$", 8_000), ("1200 HK$", 1_200),
])
def test_an_amount_followed_by_any_currency_word_is_read(text: str, value: float) -> None:
    """The words after an amount come from core.text.amounts.CURRENCY_WORDS, the one list: 港纸 and a trailing US$
    were left out of the hand-written suffix beside it, so 「3万港纸」 was no amount."""
    assert parse_amount(text) == value


def test_every_currency_word_may_follow_an_amount() -> None:
    import re

    from core.text.amounts import CURRENCY_WORDS

    for words in CURRENCY_WORDS.values():
        for word in words.split("|"):
            plain = word.replace("\\$", "$")
            for written in {plain.replace("?", ""), re.sub(r".\?", "", plain)}:  # 新?台币: 新台币 and 台币
                assert parse_amount(f"2万{written}") == 20_000, written


@pytest.mark.parametrize("text", ["八十万左右", "about 80", "", "3 apples"])
def test_parse_amount_rejects_what_is_not_an_amount(text: str) -> None:
    with pytest.raises(BriefError) as exc:
        parse_amount(text)
    assert exc.value.field == "budget"
    assert "write an amount such as 80万 or 800000" in str(exc.value)


@pytest.mark.parametrize(
    ("name", "year", "day"),
    [
        ("端午", 2026, D(2026, 6, 19)), ("端午節", 2027, D(2027, 6, 9)), ("中秋", 2026, D(2026, 9, 25)),
        ("春节", 2026, D(2026, 2, 17)), ("元宵", 2026, D(2026, 3, 3)), ("七夕", 2026, D(2026, 8, 19)),
        ("重阳", 2026, D(2026, 10, 18)), ("清明", 2026, D(2026, 4, 5)), ("清明", 2024, D(2024, 4, 4)),
        ("双十一", 2026, D(2026, 11, 11)), ("雙12", 2026, D(2026, 12, 12)), ("618", 2026, D(2026, 6, 18)),
        ("520", 2026, D(2026, 5, 20)), ("情人节", 2026, D(2026, 2, 14)), ("妇女节", 2026, D(2026, 3, 8)),
        ("五一", 2026, D(2026, 5, 1)), ("国庆", 2026, D(2026, 10, 1)), ("元旦", 2027, D(2027, 1, 1)),
        ("圣诞", 2026, D(2026, 12, 25)), ("母亲节", 2026, D(2026, 5, 10)), ("Mid-Autumn", 2026, D(2026, 9, 25)),
    ],
)
def test_festival_date(name: str, year: int, day: dt.date) -> None:
    assert festival_date(name, year) == day


@pytest.mark.parametrize(
    ("name", "year", "day"),
    [
        ("冬至", 2026, D(2026, 12, 22)), ("冬至节", 2027, D(2027, 12, 22)), ("立秋", 2026, D(2026, 8, 7)),
        ("立冬", 2026, D(2026, 11, 7)), ("立春", 2027, D(2027, 2, 4)), ("夏至", 2026, D(2026, 6, 21)),
        ("winter solstice", 2026, D(2026, 12, 22)), ("清明", 2099, D(2099, 4, 4)),
    ],
)
def test_festivals_on_solar_terms(name: str, year: int, day: dt.date) -> None:
    """冬至 (dumplings, 汤圆), 立秋 (「秋天的第一杯奶茶」), 立冬 and the rest fall on solar terms, not lunar dates."""
    assert festival_date(name, year) == day


def test_a_request_for_a_solar_term_promotion_reads_its_occasion_and_date() -> None:
    brief = parse_request("冬至当天想做个汤圆买二送一的活动，预算3万，帮我出个方案", today=TODAY)
    assert brief.occasion == "冬至"
    assert (brief.start, brief.end) == (D(2026, 12, 22), D(2026, 12, 22))


def test_next_festival_is_the_next_occurrence_after_today() -> None:
    assert next_festival("端午", TODAY) == D(2027, 6, 9)
    assert next_festival("圣诞", TODAY) == D(2026, 12, 25)
    assert next_festival("双十一", D(2026, 11, 11)) == D(2027, 11, 11)


def test_festival_years_outside_the_calendar_are_a_brief_error() -> None:
    with pytest.raises(BriefError) as exc:
        festival_date("中秋", 2200)
    assert exc.value.field == "occasion"
    assert "1901–2099" in str(exc.value)


def test_unknown_festival_names_ones_that_work() -> None:
    with pytest.raises(BriefError) as exc:
        festival_date("开斋节", 2026)
    assert exc.value.field == "occasion"
    assert "春节, 端午, 中秋" in str(exc.value)


@pytest.mark.parametrize(
    ("text", "day"),
    [("2026-11-01", D(2026, 11, 1)), ("2026/6/1", D(2026, 6, 1)), ("2026年6月1日", D(2026, 6, 1)),
     ("11月1日", D(2026, 11, 1)), ("10/20", D(2026, 10, 20)), ("Oct 20", D(2026, 10, 20)), ("6.1", D(2026, 6, 1)),
     ("20 October 2027", D(2027, 10, 20))],
)
def test_parse_date(text: str, day: dt.date) -> None:
    assert parse_date(text, 2026) == day


def test_parse_date_names_the_field_and_an_example() -> None:
    with pytest.raises(BriefError) as exc:
        parse_date("下周二左右", 2026, field="start", source="brief.yaml")
    assert str(exc.value) == "start '下周二左右' in brief.yaml: write a date such as 2026-11-01 or 11月1日"


# --------------------------------------------------------------------------------------- structured briefs


def test_yaml_brief_with_amount_text_and_yaml_dates(tmp_path: Path) -> None:
    path = tmp_path / "brief.yaml"
    path.write_text("title: 中秋月饼礼盒促销\noccasion: 中秋\nstart: 2026-09-10\nend: 2026-09-25\n"
                    "budget: 30万元\nchannels: [企业微信, 朋友圈广告, 门店]\ngoals: [\"礼盒销量3万盒\"]\n",
                    encoding="utf-8")
    brief = load_brief(path)
    assert (brief.budget, brief.start, brief.end) == (300_000, D(2026, 9, 10), D(2026, 9, 25))
    assert brief.channels == ["企业微信", "朋友圈广告", "门店"]
    assert brief.script == "zh-Hans"
    assert brief.missing() == []


def test_yaml_brief_in_traditional_script_with_numeric_occasion(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text("title: 618家電節促銷\noccasion: \"618\"\nbudget: 200萬元\nstart: 2026-06-01\nend: 2026-06-18\n",
                    encoding="utf-8")
    brief = load_brief(path)
    assert (brief.occasion, brief.budget, brief.script) == ("618", 2_000_000, "zh-Hant")


def test_json_brief(tmp_path: Path) -> None:
    path = tmp_path / "brief.json"
    path.write_text(json.dumps({"title": "Spring sale", "budget": "¥50,000", "start": "2027-03-01",
                                "end": "2027-03-07"}), encoding="utf-8")
    brief = load_brief(path)
    assert (brief.budget, brief.script) == (50_000, "en")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"budget": "八十万左右"}, "budget", "budget '八十万左右' in brief.yaml: write an amount such as 80万 or 800000"),
        ({"budget": "-5万"}, "budget", "budget '-5万' in brief.yaml: write an amount such as 80万 or 800000"),
        ({"budget": -50000}, "budget", "budget '-50000' in brief.yaml must be more than 0: write an amount such as "
                                       "80万 or 800000"),
        ({"budget": 2e11}, "budget", "budget '200000000000.0' in brief.yaml is over 1000亿 (1e11), which is not a "
                                     "campaign budget: write an amount such as 80万 or 800000"),
        ({"start": "2026-09-25", "end": "2026-09-10"}, "end",
         "end 2026-09-10 in brief.yaml is before start 2026-09-25: give an end on or after the start, e.g. 2026-09-25"),
        ({"start": "sometime"}, "start", "start 'sometime' in brief.yaml: write a date such as 2026-11-01 or 11月1日"),
        ({"budgett": "30万"}, "budgett", "unknown field 'budgett' in brief.yaml: use only title, brand, product, "
                                        "occasion, start, end, budget, currency, audience, channels, mechanics, "
                                        "goals, region, stores, kind, script"),
        ({"channels": {"a": 1}}, "channels", "channels in brief.yaml must be a list of text, e.g. [抖音, 小红书]"),
    ],
)
def test_bad_briefs_name_the_field_and_the_fix(data: dict, field: str, message: str) -> None:
    with pytest.raises(BriefError) as exc:
        brief_from_mapping(data, source="brief.yaml")
    assert exc.value.field == field
    assert str(exc.value) == message


def test_dates_without_a_year_mean_the_next_time_they_come() -> None:
    brief = brief_from_mapping({"start": "6月1日", "end": "6月18日"}, today=TODAY)
    assert (brief.start, brief.end) == (D(2027, 6, 1), D(2027, 6, 18))
    brief = brief_from_mapping({"start": "12月1日", "end": "12月7日"}, today=TODAY)
    assert (brief.start, brief.end) == (D(2026, 12, 1), D(2026, 12, 7))
    brief = brief_from_mapping({"start": "2026-06-01", "end": "2026-06-18"}, today=TODAY)
    assert (brief.start, brief.end) == (D(2026, 6, 1), D(2026, 6, 18))


def test_unreadable_brief_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("budget: [30万\n", encoding="utf-8")
    with pytest.raises(BriefError, match=r"brief file '.*bad.yaml' is not valid YAML \(line \d+\)"):
        load_brief(bad)
    with pytest.raises(BriefError, match="not found"):
        load_brief(tmp_path / "missing.yaml")
    empty = tmp_path / "empty.yaml"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(BriefError, match="is empty"):
        load_brief(empty)


# ------------------------------------------------------------------------------------ natural language


@pytest.mark.parametrize(
    ("text", "budget", "start", "end"),
    [
        ("帮我做一个双十一护肤品促销方案,预算80万,11月1日到11日,主要投抖音和小红书", 800_000, D(2027, 11, 1),
         D(2027, 11, 11)),
        ("端午節想給社區做個粽子禮盒活動,預算十萬,端午前十天開始", 100_000, D(2027, 5, 30), D(2027, 6, 9)),
        ("中秋前两周开始做月饼促销,预算5千块", 5_000, D(2027, 9, 1), D(2027, 9, 15)),
        ("國慶期間做一個門店促銷,預算3w", 30_000, D(2027, 10, 1), D(2027, 10, 7)),
        ("下个月搞个新品上市活动,为期一周,预算¥50,000", 50_000, D(2026, 12, 1), D(2026, 12, 7)),
        ("2027年1月10日开始年货节促销,为期两周,经费30万元", 300_000, D(2027, 1, 10), D(2027, 1, 23)),
        ("Plan a Mid-Autumn promotion with a budget of 1.5 million RMB from Oct 20 to Oct 27, 2027", 1_500_000,
         D(2027, 10, 20), D(2027, 10, 27)),
        ("预算200萬元,销售额目标3000万元,2027年6月1日至6月18日", 2_000_000, D(2027, 6, 1), D(2027, 6, 18)),
        ("圣诞节当天做一场快闪活动,预算八十万", 800_000, D(2026, 12, 25), D(2026, 12, 25)),
        ("五一期间做一场家居促销,预算50万元", 500_000, D(2027, 5, 1), D(2027, 5, 5)),
        ("七夕前一周开始做活动,预算两万", 20_000, D(2027, 8, 1), D(2027, 8, 8)),
        ("Need a Double 11 campaign, budget 3w, starting Nov 1 for 11 days", 30_000, D(2027, 11, 1),
         D(2027, 11, 11)),
        ("从12月1日开始,持续两周,预算100万", 1_000_000, D(2026, 12, 1), D(2026, 12, 14)),
        ("预算:30万;时间:2026/12/20-2027/1/5", 300_000, D(2026, 12, 20), D(2027, 1, 5)),
        ("双12当天,预算3千", 3_000, D(2026, 12, 12), D(2026, 12, 12)),
        ("下周开始为期3天的快闪店活动,预算5000元", 5_000, D(2026, 11, 30), D(2026, 12, 2)),
        ("春节前一个月开始年货促销,预算20万", 200_000, D(2027, 1, 6), D(2027, 2, 6)),
        ("双十一 11.1-11.11 预算3w", 30_000, D(2027, 11, 1), D(2027, 11, 11)),
        ("下周五开始为期3天的快闪,预算1万", 10_000, D(2026, 12, 4), D(2026, 12, 6)),
        ("明天开始,为期一周,预算5000元", 5_000, D(2026, 11, 24), D(2026, 11, 30)),
        ("12月1日开始,为期一个月,预算10万", 100_000, D(2026, 12, 1), D(2026, 12, 31)),
        ("为期半个月,下个月开始,预算2万", 20_000, D(2026, 12, 1), D(2026, 12, 15)),
        ("打8.8折,预算3.5万,12.1-12.12", 35_000, D(2026, 12, 1), D(2026, 12, 12)),
        ("Launch tomorrow for two weeks with a budget of 800k", 800_000, D(2026, 11, 24), D(2026, 12, 7)),
        ("A promotion during the National Day holiday, budget 300,000 yuan", 300_000, D(2027, 10, 1),
         D(2027, 10, 7)),
    ],
)
def test_parse_request_budget_and_dates(text: str, budget: float, start: dt.date, end: dt.date) -> None:
    brief = parse_request(text, today=TODAY)
    assert (brief.budget, brief.start, brief.end) == (budget, start, end)


def test_parse_request_reads_occasion_channels_and_script() -> None:
    brief = parse_request("帮我做一个双十一护肤品促销方案,预算80万,11月1日到11日,主要投抖音和小红书", today=TODAY)
    assert (brief.occasion, brief.channels, brief.script) == ("双十一", ["抖音", "小红书"], "zh-Hans")
    assert brief.title == "双十一护肤品促销方案"
    trad = parse_request("端午節想給社區做個粽子禮盒活動,預算十萬,端午前十天開始", today=TODAY)
    assert (trad.occasion, trad.script, trad.title) == ("端午", "zh-Hant", "粽子禮盒活動")


def test_english_request_naming_a_chinese_brand_stays_english() -> None:
    brief = parse_request("Plan a 中秋 mooncake promotion for 月满楼 with a budget of 50k", today=TODAY)
    assert (brief.script, brief.budget, brief.occasion) == ("en", 50_000, "Mid-Autumn Festival")


def test_parse_request_leaves_unknown_fields_missing() -> None:
    brief = parse_request("想做一个双十二的促销,主要在天猫和京东", today=TODAY)
    assert brief.budget is None and brief.start is None and brief.end is None
    assert brief.missing() == ["budget", "start", "end"]
    assert (brief.occasion, brief.channels) == ("双十二", ["天猫", "京东"])


@pytest.mark.parametrize("text, product", [
    ("七夕活动一般提前多久准备?", ""),  # was 「一般提」, which then headed a drafted plan (主推产品:一般提)
    ("圣诞节想搞个活动,有什么建议吗", ""),  # was 「有什么建议吗」
    ("我们想在双十一做满减活动,门槛一般怎么定?", ""),  # was 「门槛一般怎么定」
    ("圣诞活动怎么布置门店", ""),  # was 「怎么布置」
    ("烘焙店圣诞节活动怎么做比较好？", "烘焙"),  # before the campaign word, even in a question
    ("我们是做烘焙的,圣诞节想搞个活动,有什么建议吗", "烘焙"),  # what we do, said beside a question
])
def test_the_words_a_question_asks_with_are_not_a_product(text: str, product: str) -> None:
    assert parse_request(text, today=TODAY).product == product


@pytest.mark.parametrize("text", ["Write me a Qixi in-store campaign plan", "a Valentine's in-store event"])
def test_what_a_channel_leaves_of_a_compound_is_not_a_product(text: str) -> None:
    brief = parse_request(text, today=TODAY)
    assert (brief.product, brief.channels) == ("", ["store"])  # the product was 「in-」 (「s in-」)


@pytest.mark.parametrize("text", ["预算在30-50万之间", "预算30万-50万"])
def test_a_budget_range_is_left_for_the_chat_to_ask(text: str) -> None:
    assert parse_request(text, today=TODAY).budget is None


@pytest.mark.parametrize(
    ("text", "budget"),
    [("预算1万5左右,下周开始", 15_000), ("預算大概3萬5,下個月做", 35_000), ("这次给了1万2的预算", 12_000),
     ("budget 1.2万, next week", 12_000), ("预算3千5,就在门店做", 3_500)],
)
def test_the_spoken_short_form_of_an_amount_keeps_its_last_digit(text: str, budget: float) -> None:
    """「1万5」 is how planners say 15,000 in a chat; reading it as 1万 drops a third of the budget."""
    assert parse_request(text, today=TODAY).budget == budget


def test_a_digit_after_an_amount_that_counts_something_is_not_part_of_it() -> None:
    assert parse_request("预算1万,5个门店一起做", today=TODAY).budget == 10_000


def test_parse_request_does_not_take_counts_or_targets_for_the_budget() -> None:
    brief = parse_request("目标卖出3万盒,销售额3000万元,11月1日开始", today=TODAY)
    assert brief.budget is None


@pytest.mark.parametrize(
    ("text", "field"),
    [("预算-5万,下个月", "budget"), ("预算2000亿元", "budget"), ("11月20日到11月10日", "end"), ("   ", "text")],
)
def test_parse_request_rejects_impossible_requests(text: str, field: str) -> None:
    with pytest.raises(BriefError) as exc:
        parse_request(text, today=TODAY)
    assert exc.value.field == field


@pytest.mark.parametrize(
    "text",
    ["2026年9月10日(周四)至9月25日(周五)", "9月10日起至9月25日", "9月10日到25日", "2026/9/10-2026/9/25", "9.10-9.25",
     "Sep 10 - Sep 25", "9月10日—9月25日", "2026-09-10 ~ 2026-09-25", "從9月10日至9月25日"],
)
def test_date_ranges(text: str) -> None:
    from assistant.briefs import find_dates

    [found] = find_dates(text, 2026, dots=True)
    assert (found.start, found.end) == (D(2026, 9, 10), D(2026, 9, 25))
