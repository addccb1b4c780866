"""Guidebook-like passages the chat tests answer from (written for the tests, in the guidebooks' style)."""

from __future__ import annotations

from knowledge.passage import Passage

PASSAGES = [
    Passage(
        doc="promo", title="促销策略指导书", section="第三章 促销策略选择 > 3.1 促销策略类型", start=100, end=260,
        text="3.1.1价格促销策略价格促销是最常见的促销方式。价格促销的主要手段包括打折、优惠券、限时特价等,"
             "能够在短时间内刺激消费者购买。使用价格促销时应注意控制频率,避免损害品牌形象。",
    ),
    Passage(
        doc="promo", title="促销策略指导书", section="第四章 活动预算 > 4.1 预算构成", start=400, end=560,
        text="4.1预算构成活动预算一般包括以下几类费用:(1)场地费用:活动场地租赁及布置费用。"
             "(2)物料费用:宣传单、海报、礼品等物料的制作费用。(3)人员费用:临时促销人员的劳务费用。"
             "(4)推广费用:媒体广告投放费用。",
    ),
    Passage(
        doc="promo", title="促销策略指导书", section="第八章 活动监控 > 8.3 风险预防与应对", start=900, end=1060,
        text="8.3.1风险识别在活动策划阶段,对可能出现的风险进行识别,如活动场地、物资供应、人员安排等方面的风险。"
             "8.3.2风险预防针对识别出的风险,制定相应的应急预案,例如设备故障、突发事件、恶劣天气等。",
    ),
    Passage(
        doc="market", title="市场营销策略手册", section="第3章 市场细分 > 3.1 市场细分方法", start=50, end=230,
        text="市场细分主要采用以下几种方法:(1)地理细分:根据地理位置、气候、文化等因素将市场划分为不同区域。"
             "(2)人口细分:依据年龄、性别、收入等人口统计特征进行市场划分。(3)心理细分:根据消费者的个性、生活方式等"
             "心理因素进行市场划分。(4)行为细分:根据消费者的购买行为进行市场划分。",
    ),
]
