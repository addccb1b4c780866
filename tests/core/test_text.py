"""Chinese text utilities: one numeral reader (cn2an), one money formatter, one segmenter, one script converter."""

from __future__ import annotations

import pytest

from core.text import segment
from core.text.amounts import currency_in
from core.text.money import amount_header, money, table_amount
from core.text.numbering import numbered, strip_numbering
from core.text.numerals import chinese_numeral, parse_number, parse_ordinal
from core.text.scripts import detect_script, mainland_words, to_simplified, writing_script


@pytest.mark.parametrize(("text", "value"), [
    ("八十万", 800_000), ("1亿2000万", 120_000_000), ("五万五", 55_000), ("三千五", 3_500), ("两百万", 2_000_000),
    ("壹万贰仟", 12_000), ("一千零五", 1_005), ("2.5万", 25_000), ("十二", 12), ("〇", 0),
])
def test_chinese_numerals_read_as_planners_write_them(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "万", "abc", "1.2.3", "八十万左右"])
def test_what_is_not_a_numeral_reads_as_none(text: str) -> None:
    assert parse_number(text) is None


def test_ordinals_and_chapter_numbers_round_trip() -> None:
    assert [parse_ordinal(t) for t in ("3", "二", "十二", "第")] == [3, 2, 12, None]
    assert [chinese_numeral(n) for n in (1, 10, 11, 20)] == ["一", "十", "十一", "二十"]
    assert numbered(2, "目标客群") == "三、目标客群" and numbered(2, "Audience", chinese=False) == "3. Audience"
    assert strip_numbering(numbered(11, "费用预算")) == "费用预算"


def test_one_money_formatter_for_sentences_tables_and_scripts() -> None:
    assert [money(a) for a in (300_000, 15_000, 12_345, 5_000, 1_234.5)] == [
        "30万元", "1.5万元", "12,345元", "5,000元", "1,234.50元"]
    assert money(300_000, "zh-Hant") == "30萬元" and money(300_000, "en") == "CNY 300,000"
    assert money(15_000, wan_decimals=0) == "15,000元" and money(500_000, unit=False) == "50万"
    assert (table_amount(105_000), table_amount(99.5)) == ("105,000", "99.50")


def test_money_is_written_in_the_plans_currency_in_its_language() -> None:
    assert money(20_000, currency="USD") == "2万美元" and money(20_000, "en", currency="USD") == "USD 20,000"
    assert money(50_000, "zh-Hant", currency="TWD") == "新台幣5萬元" and money(50_000, currency="TWD") == "新台币5万元"
    assert money(150_000, "zh-Hant", currency="HKD") == "港幣15萬元" and money(150_000, "en", currency="HKD") == "HKD 150,000"
    assert money(1_500, currency="USD") == "1,500美元" and money(1.2e8, currency="USD") == "1.2亿美元"
    assert money(50_000, "zh-Hant", currency="TWD", unit=False) == "5萬"
    assert [amount_header("CNY"), amount_header("USD"), amount_header("TWD", "zh-Hant"), amount_header("USD", "en")] == [
        "金额(元)", "金额(美元)", "金額(新台幣元)", "Amount (USD)"]
    # What a currency is read as and how it is written agree: the written name reads back as its code.
    for code in ("CNY", "USD", "TWD", "HKD"):
        for written in (money(50_000, currency=code), money(50_000, "zh-Hant", currency=code)):
            assert currency_in(written) == (None if code == "CNY" else code), written
        assert currency_in(money(50_000, "en", currency=code)) == code


def test_one_segmenter_with_and_without_guessed_words() -> None:
    assert segment.cut("年会抽奖", hmm=False) != [] and segment.in_dictionary("预算")
    assert "预算" in segment.cut_for_search("活动预算怎么做")


def test_scripts_of_short_questions_and_long_texts() -> None:
    assert detect_script("預算怎麼做") == "zh-Hant" and detect_script("预算怎么做") == "zh-Hans"
    assert writing_script("A plan for 中秋 with a budget of 80k") == "en"


@pytest.mark.parametrize(("typed", "simplified"), [
    ("調查完之後,資料要怎麼分析?", "调查完之后,数据要怎么分析?"),
    ("行銷影片用什麼軟體剪?", "行销视频用什么软件剪?"),
])
def test_a_question_in_taiwan_words_reads_in_the_words_guidebooks_use(typed: str, simplified: str) -> None:
    assert mainland_words(to_simplified(typed), lambda mainland, written: True) == simplified
