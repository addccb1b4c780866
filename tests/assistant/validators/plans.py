"""Small plans for validator tests: a clean plan per script; each test changes one thing in it."""

from __future__ import annotations

from assistant.validators import validate_plan
from core.plan import Finding, Plan
from knowledge.templates import load_template

CLEAN_HANS = """# 「粽享端午」粽子礼盒促销方案

## 一、活动背景与目标
2026年端午节在6月19日。活动时间:2026年6月10日至6月19日,为期10天。总预算10万元。

## 二、活动主题与策略
「粽享端午」,买二送一。

## 三、目标客群与范围
社区家庭、企业福利采购。

## 四、时间与进度安排
| 阶段 | 开始 | 结束 | 工作内容 |
| --- | --- | --- | --- |
| 筹备 | 2026-05-25 | 2026-06-09 | 礼盒设计 |
| 执行 | 2026-06-10 | 2026-06-19 | 门店与社群销售 |
| 总结 | 2026-06-20 | 2026-06-30 | 复盘 |

## 五、宣传推广
社区团购群、门店海报,第一时间通知老客户。

## 六、产品、价格与促销方式
买二送一,满200减20。以旧换新补贴最高50元。

## 七、费用预算
| 项目 | 金额(元) | 占比 |
| --- | --- | --- |
| 物料 | 30,000 | 30% |
| 推广 | 50,000 | 50% |
| 备用金 | 20,000 | 20% |
| 合计 | 100,000 | 100% |

## 八、风险评估与应急预案
高温影响配送:冷链配送。第一阶段先在两家门店试点。

## 九、效果评估
销量、复购率。
"""

CLEAN_HANT = """「618家電節」促銷方案

一、活動背景與目標
活動時間:2026年6月1日至6月18日,共18天。總預算200萬元。

二、活動主題與策略
「煥新家」以舊換新。

三、目標客群
新婚家庭。

四、進度安排
| 階段 | 時間 |
| --- | --- |
| 籌備 | 2026/5/10-2026/5/31 |
| 活動執行 | 2026/6/1-2026/6/18 |
| 複盤 | 2026/6/19-2026/6/30 |

五、宣傳推廣
抖音直播、社區地推。

六、促銷方式
滿5000減300。

七、費用預算
| 項目 | 金額(萬元) | 佔比 |
| --- | --- | --- |
| 以舊換新補貼 | 100 | 50% |
| 直播與廣告 | 60 | 30% |
| 地推人員 | 30 | 15% |
| 備用金 | 10 | 5% |
| 合計 | 200 | 100% |

八、風險評估
庫存不足:提前備貨。

九、效果評估
銷售額、ROI。
"""

CLEAN_EN = """# Mid-Autumn Mooncake Promotion

## 1. Background and goals
Mid-Autumn Festival 2026 is on Sep 25. Campaign period: Sep 10 - Sep 25, 2026, for 16 days. Total budget CNY 300,000.

## 2. Theme and strategy
"Full moon, full table".

## 3. Target audience
Office buyers and families.

## 4. Timeline
| Phase | Start | End | Work |
| --- | --- | --- | --- |
| Preparation | 2026-08-20 | 2026-09-09 | Design |
| Execution | 2026-09-10 | 2026-09-25 | Sales |
| Review | 2026-09-26 | 2026-10-10 | Wrap-up |

## 5. Promotion channels
WeChat groups, Moments ads.

## 6. Offer mechanics
15% off for 100 boxes.

## 7. Budget
| Item | Amount (CNY) |
| --- | --- |
| Design | 80,000 |
| Ads | 120,000 |
| Channel incentives | 100,000 |
| Total | 300,000 |

## 8. Risks and contingency
Supply shortage: two factories.

## 9. Evaluation
Sales, ROI.
"""


def codes(text: str, **kwargs: object) -> list[str]:
    """The finding codes validate_plan reports for plan ``text``, in order."""
    return [f.code for f in findings(text, **kwargs)]


def findings(text: str, **kwargs: object) -> list[Finding]:
    """Every finding for plan ``text``."""
    template = kwargs.get("template") or load_template("promotion")
    return validate_plan(Plan.from_markdown(text, template), **kwargs)  # type: ignore[arg-type]


def change(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` (which must occur exactly once) replaced by ``new``."""
    assert text.count(old) == 1, old
    return text.replace(old, new)
