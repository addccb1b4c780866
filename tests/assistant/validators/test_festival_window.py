"""A festival campaign whose execution starts after the festival is over (a 七夕 plan run 8/10–8/19 when 七夕 is
8/8) is almost always a date slip: the plan says so, unless it is written as a 返场 (after-the-festival) campaign."""

from __future__ import annotations

import pytest

from assistant.validation import validate_text

QIXI = """# {title}

## 一、活动背景与目标
{year}年七夕节在{festival}。活动时间:{start_text}至{end_text}。总预算3万元。

## 二、活动主题与策略
「浪漫七夕」,情侣套餐。

## 三、目标客群与范围
年轻情侣。

## 四、时间与进度安排
| 阶段 | 开始 | 结束 | 工作内容 |
| --- | --- | --- | --- |
| 执行 | {start} | {end} | 门店活动 |

## 五、宣传推广
小红书、门店海报。

## 六、产品、价格与促销方式
情侣套餐第二份半价。

## 七、费用预算
| 项目 | 金额(元) | 占比 |
| --- | --- | --- |
| 物料 | 10,000 | 33.3% |
| 推广 | 20,000 | 66.7% |
| 合计 | 30,000 | 100% |

## 八、风险评估与应急预案
客流过大:加派人手。

## 九、效果评估
到店人数、套餐销量。
"""


def _plan(start: str, end: str, title: str = "七夕门店活动方案", year: int = 2027, festival: str = "8月8日") -> str:
    def spoken(day: str) -> str:
        y, m, d = (int(x) for x in day.split("-"))
        return f"{y}年{m}月{d}日"
    return QIXI.format(title=title, year=year, festival=festival, start=start, end=end, start_text=spoken(start),
                       end_text=spoken(end))


def _after(text: str) -> list[str]:
    return [f.message for f in validate_text(text).findings if f.code == "campaign_after_festival"]


def test_a_festival_campaign_run_after_the_festival_is_warned() -> None:
    [message] = _after(_plan("2027-08-10", "2027-08-19"))
    assert "七夕" in message and "8月8日" in message and "2027-08-10" in message
    [finding] = [f for f in validate_text(_plan("2027-08-10", "2027-08-19")).findings if f.code == "campaign_after_festival"]
    assert finding.severity == "warning" and finding.chapter == "四、时间与进度安排"


@pytest.mark.parametrize(("start", "end", "title"), [
    ("2027-08-01", "2027-08-08", "七夕门店活动方案"),  # up to the day itself
    ("2027-08-08", "2027-08-10", "七夕门店活动方案"),  # from the day on
    ("2027-08-10", "2027-08-19", "七夕返场活动方案"),  # written as an after-the-festival campaign
    ("2027-08-10", "2027-08-19", "门店夏季活动方案"),  # no festival in the title: nothing to compare with
])
def test_a_campaign_up_to_or_on_its_festival_or_a_return_campaign_is_not(start: str, end: str, title: str) -> None:
    assert _after(_plan(start, end, title)) == []


def test_a_new_year_campaign_across_the_turn_of_the_year_is_measured_against_the_coming_festival() -> None:
    plan = _plan("2026-12-20", "2027-02-06", title="春节年货节活动方案").replace(
        "2027年七夕节在8月8日。", "2027年春节在2月6日。")
    assert _after(plan) == []
    late = _plan("2027-02-20", "2027-02-28", title="春节年货节活动方案").replace(
        "2027年七夕节在8月8日。", "2027年春节在2月6日。")
    assert len(_after(late)) == 1


def test_a_national_day_campaign_inside_the_holiday_week_is_not_after_it() -> None:
    plan = _plan("2027-10-03", "2027-10-07", title="国庆门店活动方案").replace("2027年七夕节在8月8日。", "")
    assert _after(plan) == []


def test_the_warning_is_in_the_plans_script() -> None:
    from core.text.scripts import to_traditional

    [message] = _after(to_traditional(_plan("2027-08-10", "2027-08-19")))
    assert "之後" in message or "結束" in message
