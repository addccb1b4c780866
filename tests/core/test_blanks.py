"""A template's blanks read once (core.text.blanks), for the plan validator and the answer's note alike."""

from __future__ import annotations

import pytest

from core.text.blanks import blanks_as_written


@pytest.mark.parametrize(("text", "blanks"), [
    ("三、20__年春节活动时间:20__年_月_日—20__年_月_日", ["20__年", "20__年_月_日"]),
    ("8月_日七夕节,来__影城,看一部感人的爱情影片", ["8月_日", "__"]),
    ("确保顺利渡过xx年度“3·15”消费者权益保障日。\n根据上海**汽车“3.15”服务活动进行作业", ["xx年", "**"]),
    ("各门店门口处统一放置红地毯一条(6m_2m)。", []),
    ("活动时间定在春节前两周,持续7天。", []),
])
def test_blanks_are_named_with_the_date_they_stand_in(text: str, blanks: list[str]) -> None:
    assert blanks_as_written(text) == blanks
