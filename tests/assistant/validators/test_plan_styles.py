"""Plans in the styles people write them: clean ones get no finding, each planted error exactly its code."""

from __future__ import annotations

import pytest

from tests.assistant.validators.plans import change, codes

# 一、 headings without '#', a 单位:万元 table with shares, a warm-up + peak timeline.
NUMBERED_WAN_TABLE = """**2026年双十一护肤品促销活动策划方案**

一、活动概述
1、活动目的：提升品牌知名度，冲刺双十一销售额。
2、活动时间：2026年10月20日-11月11日，为期23天。
3、活动预算：总预算80万元。

二、活动主题
主题：“焕亮双十一，美丽不打烊”。

三、活动对象
18-35岁女性消费者，以学生和白领为主。

四、活动内容与优惠
1. 预售期定金膨胀：定金50元抵100元。
2. 满300减50，满600减120。
3. 前1000名下单赠送试用装。

五、宣传方式
抖音达人种草、小红书笔记投放、微信公众号推文。选择转化效果最好的渠道追加投放。

六、活动进度安排
| 阶段 | 时间 | 主要工作 |
|---|---|---|
| 预热期 | 10月20日-10月31日 | 种草、预售 |
| 爆发期 | 11月1日-11月11日 | 全渠道销售 |
| 返场与复盘 | 11月12日-11月20日 | 数据复盘 |

七、预算明细
单位：万元
| 项目 | 金额 | 占比 |
|---|---|---|
| 达人合作 | 30 | 37.5% |
| 信息流广告 | 25 | 31.25% |
| 赠品与物料 | 15 | 18.75% |
| 备用金 | 10 | 12.5% |
| 合计 | 80 | 100% |

八、注意事项与应急预案
1、物流爆仓：提前与快递公司签订保障协议。
2、系统故障：准备备用支付通道。

九、预期效果
销售额目标500万元，新增会员2万人。
"""

# Traditional script, 第一章 headings, a timeline written as a list across the new year, 總計 row.
TRAD_CHAPTER_LIST_TIMELINE = """# 春節年貨節促銷方案

## 第一章 活動背景
2027年春節在2月6日。年貨需求集中在節前兩週。活動時間：2027年1月20日至2月5日，共17天。

## 第二章 活動主題與策略
「團圓年味」，家庭套裝+企業團購。

## 第三章 目標客群
家庭採購、企業福利。

## 第四章 時間安排
- 籌備期：2026年12月20日-2027年1月19日，選品與備貨
- 活動期：2027年1月20日-2月5日，門店與線上銷售
- 總結期：2027年2月10日-2月20日，復盤

## 第五章 推廣渠道
微信社群、門店海報、抖音同城。

## 第六章 優惠機制
滿199減30，企業團購9折。

## 第七章 經費預算
| 項目 | 金額(元) |
| --- | --- |
| 物料 | 20,000 |
| 廣告 | 50,000 |
| 人員 | 30,000 |
| 總計 | 100,000 |

## 第八章 風險控制
供貨不足：與兩家供應商簽約。

## 第九章 效果評估
銷售額、客單價、復購率。
"""

# English plan without a title, a Dates column, a Cost/Share table.
ENGLISH = """## 1. Background and objectives
The 2026 Qixi Festival falls on August 19. Campaign period: Aug 10 to Aug 19, 2026 (10 days). Total budget: CNY 150,000.

## 2. Theme
"Love in Bloom" flower gift boxes.

## 3. Audience
Young couples aged 20-35.

## 4. Schedule
| Stage | Dates | Tasks |
|---|---|---|
| Preparation | 2026-07-20 to 2026-08-09 | Sourcing |
| Launch | 2026-08-10 to 2026-08-19 | Sales |
| Review | 2026-08-20 to 2026-08-31 | Report |

## 5. Channels
WeChat, Xiaohongshu, in-store.

## 6. Offers
Buy one get one 50% off.

## 7. Budget
| Item | Cost (CNY) | Share |
|---|---|---|
| Flowers | 60,000 | 40% |
| Ads | 60,000 | 40% |
| Staff | 30,000 | 20% |
| Total | 150,000 | 100% |

## 8. Risks
Supply delays: backup florist.

## 9. Evaluation
Sales and new members.
"""

# 一、 headings, a timeline as numbered lines with dates in brackets, a 类别 | 项目 | 费用（元） table.
NUMBERED_CATEGORY_TABLE = """国庆黄金周门店促销方案

一、活动背景与目标
国庆节(10月1日)七天长假客流高峰。活动时间为2026年10月1日至10月7日。活动预算为5万元。

二、活动主题与策略
"国庆同庆·好礼相送"

三、活动对象与范围
本市三家门店的到店顾客。

四、活动时间与进度安排
1. 筹备阶段（9月15日-9月30日）：物料制作、人员培训。
2. 执行阶段（10月1日-10月7日）：门店活动执行。
3. 总结阶段（10月8日-10月15日）：数据复盘。

五、宣传推广
朋友圈广告、门店海报、社群。

六、促销方式
满100减20，第二件半价。

七、人员分工
店长负责统筹，第一时间处理客诉。

八、费用预算
| 类别 | 项目 | 费用（元） | 备注 |
| --- | --- | --- | --- |
| 物料 | 海报与展架 | 10000 | |
| 推广 | 朋友圈广告 | 25000 | |
| 礼品 | 满赠礼品 | 12000 | |
| 其他 | 备用金 | 3000 | |
| 合计 | | 50000 | |

九、风险评估
客流过大：增派人手，设置排队区。

十、效果评估
销售额、客流量、会员增长。
"""


@pytest.mark.parametrize("text", [NUMBERED_WAN_TABLE, TRAD_CHAPTER_LIST_TIMELINE, ENGLISH, NUMBERED_CATEGORY_TABLE], ids=["wan", "trad", "en", "category"])
def test_clean_plans_in_every_style_get_no_findings(text: str) -> None:
    assert codes(text) == []

@pytest.mark.parametrize(
    ("text", "old", "new", "expected"),
    [
        (NUMBERED_WAN_TABLE, "为期23天", "为期22天", ["timeline_duration_mismatch"]),
        (NUMBERED_WAN_TABLE, "| 信息流广告 | 25 | 31.25% |", "| 信息流广告 | 20 | 31.25% |", ["budget_share_mismatch", "budget_sum_mismatch"]),
        (NUMBERED_WAN_TABLE, "总预算80万元", "总预算90万元", ["budget_total_mismatch"]),
        (NUMBERED_WAN_TABLE, "| 爆发期 | 11月1日-11月11日 |", "| 爆发期 | 10月30日-11月11日 |", ["timeline_overlap"]),
        (NUMBERED_WAN_TABLE, "| 返场与复盘 | 11月12日-11月20日 |", "| 返场与复盘 | 11月20日-11月12日 |", ["timeline_order"]),
        (NUMBERED_WAN_TABLE, "八、注意事项与应急预案\n1、物流爆仓：提前与快递公司签订保障协议。\n2、系统故障：准备备用支付通道。\n", "", ["missing_chapter"]),
        (TRAD_CHAPTER_LIST_TIMELINE, "2027年春節在2月6日", "2027年春節在2月17日", ["festival_date_mismatch"]),
        (TRAD_CHAPTER_LIST_TIMELINE, "共17天", "共16天", ["timeline_duration_mismatch"]),
        (TRAD_CHAPTER_LIST_TIMELINE, "| 廣告 | 50,000 |", "| 廣告 | 60,000 |", ["budget_sum_mismatch"]),
        (TRAD_CHAPTER_LIST_TIMELINE, "- 活動期：2027年1月20日-2月5日", "- 活動期：2027年1月18日-2月5日", ["timeline_overlap", "timeline_window_mismatch"]),
        (ENGLISH, "falls on August 19", "falls on August 20", ["festival_date_mismatch"]),
        (ENGLISH, "(10 days)", "(9 days)", ["timeline_duration_mismatch"]),
        (ENGLISH, "| Staff | 30,000 | 20% |", "| Staff | 30,000 | 25% |", ["budget_share_mismatch", "budget_share_mismatch"]),
        (ENGLISH, "## 6. Offers\nBuy one get one 50% off.\n", "", ["missing_chapter"]),
        (NUMBERED_CATEGORY_TABLE, "国庆节(10月1日)", "国庆节(10月2日)", ["festival_date_mismatch"]),
        (NUMBERED_CATEGORY_TABLE, "活动预算为5万元", "活动预算为6万元", ["budget_total_mismatch"]),
        (NUMBERED_CATEGORY_TABLE, "2. 执行阶段（10月1日-10月7日）", "2. 执行阶段（10月1日-10月6日）", ["timeline_window_mismatch"]),
        (NUMBERED_CATEGORY_TABLE, "| 礼品 | 满赠礼品 | 12000 | |", "| 礼品 | 满赠礼品 | 15000 | |", ["budget_sum_mismatch"]),
        (NUMBERED_CATEGORY_TABLE, '"国庆同庆·好礼相送"', '"国庆同庆·全城最低价"', ["ad_law_wording"]),
    ],
)
def test_planted_errors_in_every_style(text: str, old: str, new: str, expected: list[str]) -> None:
    assert sorted(codes(change(text, old, new))) == sorted(expected)
