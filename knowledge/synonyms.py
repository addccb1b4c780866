"""Planners' everyday marketing words mapped to the words guidebooks use for the same thing.

Planners ask 「打广告」「大促」「分群」「电影院」 where guidebooks write 广告, 促销, 细分, 影城. Retrieval
adds the guidebook words to the query, and good_match counts a question word as covered when a
passage has any of its alternatives; a word with a known alternative is not "unknown to the corpus"
(which marks off-topic questions). The table is general marketing vocabulary, Simplified, lower case.
"""

from __future__ import annotations

import re

# colloquial or alternative word -> guidebook words for it
_TABLE: dict[str, tuple[str, ...]] = {
    # people
    "顾客": ("客户", "消费者"), "客人": ("客户", "消费者"), "买家": ("消费者", "客户"),
    "老客户": ("老客户", "忠诚"), "回头客": ("忠诚", "老客户"),
    "粉丝": ("粉丝", "关注"), "网红": ("意见领袖",), "达人": ("意见领袖",), "kol": ("意见领袖",),
    "人手": ("人员", "人力"), "分群": ("细分",), "分层": ("细分",),
    # media and channels
    "打广告": ("广告",), "投广告": ("广告",), "投放": ("投放", "广告", "媒体"),
    "传统媒体": ("电视", "广播", "报纸", "杂志"), "新媒体": ("社交媒体", "公众号", "微博", "抖音"),
    "自媒体": ("社交媒体", "公众号"), "朋友圈": ("社交媒体", "微信"),
    "电商": ("电子商务", "电商", "线上"),
    "网店": ("线上", "电子商务"), "实体店": ("门店", "线下"), "卖场": ("门店", "商场", "卖场"),
    "超市": ("门店", "商场", "超市"), "电影院": ("影城", "影院"),
    "影院": ("影城", "影院"), "代理商": ("经销商", "渠道", "代理"),
    "打法": ("策略",), "玩法": ("形式", "活动"),
    # prices and offers
    "大促": ("促销",), "搞活动": ("活动",), "打折": ("折扣", "打折"),
    "降价": ("降价", "折扣"), "便宜": ("价格", "折扣"), "价钱": ("价格",),
    "送礼": ("赠品", "礼品"), "送礼品": ("赠品", "礼品"), "礼物": ("礼品", "赠品"), "赠送": ("赠品", "赠送"),
    "券": ("优惠券",), "红包": ("优惠券", "红包"),
    # money and measurement
    "开支": ("费用", "预算", "成本"), "花费": ("费用", "预算", "成本"), "开销": ("费用", "预算", "成本"),
    "经费": ("预算", "费用"), "kpi": ("指标", "考核"),
    "复盘": ("总结", "评估"), "roi": ("投资回报率", "roi"),
    "4p": ("产品策略", "价格策略", "渠道策略", "促销策略"), "swot": ("优势", "劣势"),
    "转化": ("转化率", "转化"), "拉新": ("新客户", "新用户"), "引流": ("吸引", "流量"),
    # planning words
    "分级": ("级别", "等级", "级"), "颜色": ("色",), "配色": ("色",),
    "色调": ("色",), "靠谱": ("信誉", "可靠"), "判断": ("评估", "判断"), "意外": ("突发", "应急", "风险"),
    "口号": ("主题", "口号"), "名字": ("主题", "名称"), "起名": ("主题", "名称"),
    "搭建": ("构建", "建立", "搭建"), "建设": ("建设", "构建", "建立"), "客服": ("客服", "客户服务"),
    "赚钱": ("利润", "盈利"), "挣钱": ("利润", "盈利"), "赚不赚钱": ("利润", "盈利"), "晚会": ("活动", "晚会"),
    "派对": ("活动",), "路人": ("消费者", "客流"), "进店": ("进店", "门店"), "客流": ("客流", "流量"),
    "货品": ("商品", "产品"), "传单": ("宣传单",), "涨价": ("提价", "价格"), "销量": ("销量", "销售额"),
    "业绩": ("业绩", "销售额"), "招人": ("招聘", "人员"), "策划案": ("方案", "策划书"), "渠道商": ("经销商", "渠道"),
    "合作方": ("合作伙伴",), "上新": ("新品", "新产品"), "清仓": ("特卖", "促销"), "节假日": ("节日", "假日"),
    "周年庆": ("庆典",), "开业": ("开业", "庆典"), "搭配": ("组合", "搭配"),
    "过年": ("春节",), "年货": ("年货", "春节"), "会场": ("场地", "现场"),
    "调研": ("调研", "调查"), "调查": ("调查", "调研"), "摸清": ("了解",), "相信": ("信任", "信赖"), "参加": ("参与", "参加"), "搞清楚": ("了解",), "弄清楚": ("了解",), "摸底": ("了解", "调研"),
    # Taiwan and Hong Kong marketing words the script converter leaves as they are (通路 is the mainland's 渠道)
    "通路": ("渠道",), "通路商": ("经销商", "渠道"), "市占率": ("市场占有率", "市场份额"), "市占": ("市场占有率", "市场份额"),
    "客群": ("群体", "人群"), "族群": ("群体", "人群"), "企划": ("策划",), "企划书": ("策划书", "方案"),
    "企划案": ("方案", "策划书"), "文宣": ("宣传",), "广宣": ("宣传", "广告"),
    "折价券": ("优惠券",), "点数": ("积分",), "集点": ("积分",), "转换率": ("转化率",), "来客数": ("客流",),
}


def alternatives(term: str) -> tuple[str, ...]:
    """Guidebook words for ``term`` (Simplified, lower case), the term itself first."""
    found = _TABLE.get(term)
    if not found:
        return (term,)
    return (term, *(w for w in found if w != term))


def expand_query(query: str) -> str:
    """``query`` followed by the guidebook words for the everyday words in it (Simplified text)."""
    lowered = query.lower()
    extra: list[str] = []
    for word, found in _TABLE.items():
        if word in lowered and _whole(word, lowered):
            extra.extend(w for w in found if w not in lowered and w not in extra)
    return f"{query} {' '.join(extra)}" if extra else query


def _whole(word: str, text: str) -> bool:
    """Latin words match whole words only (「kpi」 in 「kpis」 yes, 「roi」 in 「heroic」 no)."""
    if not word.isascii():
        return True
    return re.search(rf"(?<![a-z]){re.escape(word)}", text) is not None
