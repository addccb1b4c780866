"""Offline drafting: a deterministic composer that writes each section from the brief's facts and
quotes from the retrieved guidance, with citation markers. Text is Simplified; the pipeline
converts it to the plan's script."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.drafting.facts import window_sentence
from assistant.drafting.guidance import pick_quotes
from assistant.drafting.outline import SectionSpec
from assistant.drafting.result import PlanFacts, SectionDraft, SectionGuidance
from assistant.drafting.tables import budget_table, timeline_table
from assistant.drafting.timeline import phase_role
from core.plan import Brief
from core.text.money import money
from core.text.scripts import to_simplified

UNSUPPORTED_NOTE = "(本节在指南中没有找到依据,以下仅列出简报事实,请补充。)"

# Promotion mechanics the guidebooks describe, how to recognise them, and how a plan applies them.
_MECHANICS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("满减",), "满减:设置阶梯满减门槛,提升客单价"),
    (("折扣", "打折"), "限时折扣:活动期内指定商品限时折扣"),
    (("赠品", "礼品", "买赠"), "买赠:达到指定金额赠送定制礼品"),
    (("优惠券", "代金券"), "优惠券:分渠道发放专属优惠券,便于追踪转化"),
    (("会员", "积分"), "会员权益:会员积分加倍或专享价,促进复购"),
    (("团购", "拼团"), "团购:按采购数量设置阶梯价"),
    (("预售", "定金"), "预售:定金锁客,提前锁定需求"),
    (("套餐", "组合"), "组合套餐:主推产品与关联产品组合销售"),
    (("抽奖",), "抽奖互动:消费满额参与抽奖,增加活动趣味"),
    (("以旧换新",), "以旧换新:旧品折价抵扣新品货款"),
)
_DEFAULT_MECHANICS = ("限时折扣:活动期内指定商品限时折扣", "买赠:达到指定金额赠送定制礼品",
                      "优惠券:分渠道发放专属优惠券,便于追踪转化")

# Risk categories the guidebooks name, their cues, and the contingency a plan writes for them.
_RISKS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("物资供应", "库存", "备货", "供应"), "库存与供应不足:提前备货并确认备用供应商,每日盘点库存"),
    (("物流", "配送"), "物流延误:与两家以上物流商合作,提前公布发货时效"),
    (("人员安排", "人员"), "人员安排不到位:明确分工与替补人员,上岗前完成培训"),
    (("场地",), "场地问题:提前确认场地并准备备用场地与布置方案"),
    (("天气",), "天气变化:准备雨天备案,户外环节可改为室内或线上"),
    (("参与人数不足", "参与度"), "参与人数不足:预热期追踪预约数据,不足时追加定向推广"),
    (("竞争对手",), "竞争对手反应:监测竞品价格与活动,预留调整空间"),
    (("市场环境变化", "市场变化"), "市场环境变化:按周复盘数据,及时调整活动方案"),
    (("系统", "技术", "线上平台"), "系统故障:活动前完成压力测试,准备人工下单与客服兜底"),
    (("投诉", "舆情", "负面", "危机"), "客诉与舆情:设立快速响应机制,统一对外口径"),
)
_DEFAULT_RISKS = (_RISKS[0][1], _RISKS[5][1], _RISKS[7][1])

_METRICS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("销售额", "销售目标", "销量"), "销售额与销量达成率"),
    (("投入产出", "roi", "成本效益"), "投入产出比(ROI)"),
    (("转化",), "各渠道转化率"),
    (("客单价",), "客单价"),
    (("新客", "新增客户", "会员"), "新增客户与会员数"),
    (("曝光", "知名度", "品牌推广"), "曝光量与品牌搜索量"),
    (("满意度", "反馈"), "客户满意度与反馈"),
    (("复购",), "复购率"),
)

_CHANNEL_ROLES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("直播",), "直播讲解与限时秒杀,集中转化"),
    (("抖音", "快手", "视频号", "短视频"), "短视频种草与信息流投放,扩大曝光"),
    (("小红书",), "达人笔记种草,沉淀口碑内容"),
    (("微博",), "话题造势与互动"),
    (("朋友圈",), "朋友圈广告定向触达目标人群"),
    (("企业微信", "社群", "私域", "微信群", "公众号", "团购群"), "私域社群运营,发放专属优惠并跟进成交"),
    (("天猫", "京东", "淘宝", "旗舰店", "电商", "拼多多"), "电商店铺承接流量,完成下单转化"),
    (("门店", "专柜", "商场", "店"), "门店陈列与导购推荐,提供到店体验"),
    (("地推", "社区", "快闪", "展会"), "线下地推与现场活动,触达周边客群"),
    (("短信", "邮件", "app", "APP"), "老客召回与活动提醒"),
)


def _quotes_block(spec: SectionSpec, guidance: SectionGuidance, limit: int = 2) -> tuple[list[str], list[int]]:
    quotes = pick_quotes(guidance.numbered(), guidance.query or spec.purpose, limit=limit)
    lines = [f"指南要点:“{sentence}”[{number}]" for sentence, number in quotes]
    return lines, [number for _, number in quotes]


def _found(cues_table: tuple[tuple[tuple[str, ...], str], ...], text: str) -> list[str]:
    return [line for cues, line in cues_table if any(cue in text for cue in cues)]


def _guidance_text(guidance: SectionGuidance) -> str:
    return to_simplified(" ".join(p.text for p in guidance.passages)).lower()


def _subject(brief: Brief) -> str:
    if brief.title:
        return brief.title
    if brief.occasion or brief.product:
        return f"{brief.occasion}{brief.product}促销"
    return ""


def _background(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance) -> list[str]:
    who = brief.brand or "本品牌"
    subject = _subject(brief)
    opening = f"{who}计划开展「{subject}」活动。" if subject else f"{who}计划开展本次营销活动。"
    lines = [f"{opening}{window_sentence(brief)}总预算{money(brief.budget or 0)}。"]
    if facts.festival:
        lines.append(facts.festival)
    if brief.product:
        lines.append(f"主推产品:{brief.product}。")
    if brief.goals:
        lines.append("活动目标:")
        lines.extend(f"- {goal}" for goal in brief.goals)
    return lines


# The mood each festival's campaigns are built around (a motif for the theme line, not a claim).
_FESTIVAL_MOTIFS: dict[str, str] = {
    "春节": "新春纳福", "除夕": "团圆守岁", "元宵": "元宵团圆", "端午": "粽享端午", "七夕": "七夕心意",
    "中秋": "月满团圆", "重阳": "九九敬老", "腊八": "腊八暖冬", "清明": "春日踏青", "元旦": "新年新气象",
    "情人节": "爱意相随", "妇女节": "悦享女神季", "劳动节": "五一乐享", "520": "520告白季", "儿童节": "童心童趣",
    "618": "年中焕新", "教师节": "感念师恩", "国庆": "国庆欢聚", "万圣节": "万圣奇趣", "双十一": "双11好物节",
    "双十二": "双12年终好物", "平安夜": "平安夜暖心", "圣诞": "圣诞好礼", "母亲节": "感恩母爱", "父亲节": "致敬父爱",
    "感恩节": "感恩有你",
}


def _motif(brief: Brief) -> str:
    from assistant.briefs.festivals import festivals_in, find_festival

    for text in (brief.occasion, brief.title):
        if not text:
            continue
        festival = find_festival(text)
        if festival is None:
            found = festivals_in(to_simplified(text))
            festival = found[0][0] if found else None
        if festival is not None:
            return _FESTIVAL_MOTIFS.get(festival.name, "")
    return ""


def _theme(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance) -> list[str]:
    topic = brief.title or f"{brief.brand}{brief.occasion}"
    motif = _motif(brief)
    offer = to_simplified(brief.product or brief.brand or "")
    slogan = f"{motif}·{offer}" if motif and offer else motif
    lines = [f"活动主题:「{slogan}」——{topic}。" if slogan else f"活动主题:「{topic}」。", "策略:"]
    if brief.occasion:
        lines.append(f"- 借势{brief.occasion}节点,围绕节日消费需求设计活动内容与节奏")
    if brief.channels:
        lines.append(f"- 线上线下联动:{'、'.join(brief.channels)}统一主题与视觉")
    lines.append("- 分阶段推进:预热蓄客、集中转化、复盘沉淀")
    return lines


_SEGMENT_SPLIT = re.compile(r"与|和|及|以及|、|,|，|/")
_SEGMENTATION_CUES = (("地理", "地域"), ("人口", "年龄", "收入"), ("心理", "生活方式"), ("行为", "购买记录", "购买行为"))
_SEGMENTATION_NAMES = ("地域", "人口特征", "生活方式", "购买行为")


def _audience(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance) -> list[str]:
    if not brief.audience:
        lines = ["核心客群:简报未指定,建议按指南从历史购买数据中筛选。"]
    else:
        lines = [f"核心客群:{brief.audience}。"]
        segments = [seg.strip() for seg in _SEGMENT_SPLIT.split(brief.audience) if len(seg.strip()) >= 2]
        if len(segments) > 1:
            lines.append("分群触达:")
            lines.extend(f"- {seg}:结合其购买动机与触达习惯,设计专属内容与优惠" for seg in segments)
    text = _guidance_text(guidance)
    bases = [name for cues, name in zip(_SEGMENTATION_CUES, _SEGMENTATION_NAMES, strict=True)
             if any(cue in text for cue in cues)]
    if len(bases) >= 2:
        lines.append(f"细分依据:按{'、'.join(bases)}等因素细分客群,优先触达转化意愿高的人群。")
    if brief.region:
        lines.append(f"活动范围:{brief.region}。")
    if brief.channels:
        lines.append(f"触达渠道:{'、'.join(brief.channels)}。")
    return lines


def _timeline(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance) -> list[str]:
    lines = [window_sentence(brief), "", timeline_table(facts.phases), ""]
    execute = [p for p in facts.phases if phase_role(p.name) == "execute"]
    if execute:
        lines.append(f"{execute[0].name}阶段与活动时间一致,其余阶段首尾相接、互不重叠。")
    return lines


def _channels(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance) -> list[str]:
    if not brief.channels:
        return ["简报未指定渠道。建议按指南评估渠道的覆盖范围、受众匹配度与成本效益后确定投放组合。"]
    lines = ["渠道分工:"]
    for channel in brief.channels:
        simple = to_simplified(channel)
        role = next((r for cues, r in _CHANNEL_ROLES if any(c in simple for c in cues)), "统一活动信息与视觉,配合整体节奏推广")
        lines.append(f"- {channel}:{role}")
    return lines


def _offer(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance) -> list[str]:
    found = _found(_MECHANICS, _guidance_text(guidance))[:4] or list(_DEFAULT_MECHANICS)
    if brief.product:
        lines = [f"活动产品:{brief.product}。"]
    else:
        lines = [f"活动产品:围绕「{brief.title or brief.occasion or '本次活动'}」选取主推产品,并搭配关联产品组合销售。"]
    lines.append("促销方式:")
    lines.extend(f"- {m}" for m in found)
    lines.append("具体折扣力度与门槛按毛利测算后确定,并在活动页面明示规则。")
    return lines


def _budget(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance) -> list[str]:
    total = facts.budget_total or 0
    lines = [f"总预算{money(total)},按指南的费用类别分配如下:", "", budget_table(facts.budget_lines, total), ""]
    lines.append("备用金用于应对不可预见的支出,动用需经项目负责人审批。")
    return lines


def _risk(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance) -> list[str]:
    text = _guidance_text(guidance) + " " + to_simplified(" ".join(brief.channels))
    found = _found(_RISKS, text)
    for default in _DEFAULT_RISKS:
        if len(found) >= 3:
            break
        if default not in found:
            found.append(default)
    lines = ["主要风险与应对:"]
    lines.extend(f"- {r}" for r in found[:5])
    lines.append("应急费用从预算中的备用金列支。")
    return lines


def _evaluation(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance) -> list[str]:
    lines = ["目标与关键指标:" if spec.kind == "goals" else "评估指标:"]
    lines.extend(f"- {goal}" for goal in brief.goals)
    metrics = _found(_METRICS, _guidance_text(guidance) + " " + " ".join(brief.goals))
    for metric in metrics or ["销售额与销量达成率", "投入产出比(ROI)"]:
        lines.append(f"- {metric}")
    wrap = [p for p in facts.phases if phase_role(p.name) == "wrapup"]
    if wrap:
        lines.append(f"评估在{wrap[0].name}阶段完成,形成复盘报告。")
    return lines


_PRODUCT_RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("组合", "产品线"), "产品组合:引流款、利润款与形象款搭配,覆盖不同价位"),
    (("生命周期",), "生命周期:新品重推广,成熟品重转化,衰退品清库存"),
    (("新产品", "新品", "开发"), "新品计划:结合消费者反馈确定新品方向与上市节点"),
    (("包装", "设计"), "包装与卖点:统一视觉与卖点表达,便于各渠道传播"),
    (("定位", "差异化"), "产品定位:明确与竞品的差异点,集中资源主推"),
)

_PROMOTION_BY_ROLE = {
    "prepare": "内容与物料准备,确定投放计划",
    "warmup": "发布预告与种草内容,积累关注",
    "execute": "集中投放,配合促销与直播推动转化",
    "wrapup": "晒单返场与口碑沉淀,总结投放效果",
}


def _product(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance) -> list[str]:
    lines = [f"主推产品:{brief.product}。" if brief.product else "主推产品:简报未指定,建议按销量与毛利筛选。"]
    rules = _found(_PRODUCT_RULES, _guidance_text(guidance))[:3] or [_PRODUCT_RULES[0][1], _PRODUCT_RULES[4][1]]
    lines.extend(f"- {rule}" for rule in rules)
    return lines


def _promotion(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance) -> list[str]:
    lines = [f"媒体组合:{'、'.join(brief.channels)}。" if brief.channels
             else "媒体组合:简报未指定渠道,建议按覆盖范围、受众匹配度与成本效益选择。", "推广节奏:"]
    for phase in facts.phases:
        role = phase_role(phase.name)
        lines.append(f"- {phase.name}:{_PROMOTION_BY_ROLE[role] if role else phase.work or '按节奏推进推广内容与投放'}")
    return lines


def _staffing(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance) -> list[str]:
    return ["分工:", "- 项目负责人:统筹进度、预算与风险", "- 策划与内容:方案、创意与物料",
            "- 渠道执行:各渠道投放与现场执行", "- 数据与客服:数据监测、客户咨询与售后",
            "执行前完成全员培训,明确每个关键节点的负责人。"]


def _service(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance) -> list[str]:
    return ["服务标准:咨询及时响应,售后问题限时处理。", "- 活动规则与售后政策在各渠道统一公示",
            "- 设立客诉快速响应机制,每日汇总客户反馈"]


def _generic(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance) -> list[str]:
    subject = brief.title or brief.occasion or "本次活动"
    return [f"围绕「{subject}」,{spec.title}按指南要求安排如下:"]


_COMPOSERS: dict[str, Callable[[SectionSpec, Brief, PlanFacts, SectionGuidance], list[str]]] = {
    "background": _background,
    "goals": _evaluation,
    "theme": _theme,
    "audience": _audience,
    "timeline": _timeline,
    "channels": _channels,
    "promotion": _promotion,
    "product": _product,
    "staffing": _staffing,
    "service": _service,
    "offer": _offer,
    "pricing": _offer,
    "budget": _budget,
    "risk": _risk,
    "evaluation": _evaluation,
}


def compose_section(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance) -> SectionDraft:
    """A section drafted without a model: the brief's facts for this kind of section, then up to two
    guidance quotes with citation markers; a section without supporting passages says so instead."""
    composer = _COMPOSERS.get(spec.kind, _generic)
    lines = composer(spec, brief, facts, guidance)
    citations: list[int] = []
    if guidance.supported:
        quotes, citations = _quotes_block(spec, guidance)
        if quotes:
            lines = [*lines, "", *quotes] if lines and lines[-1] != "" else [*lines, *quotes]
    else:
        lines = [UNSUPPORTED_NOTE, *lines]
    body = "\n".join(lines).strip()
    while "\n\n\n" in body:
        body = body.replace("\n\n\n", "\n\n")
    return SectionDraft(key=spec.key, heading=spec.heading, body=body, citations=citations,
                        supported=guidance.supported, source="composer")


def mechanics_in(text: str) -> list[str]:
    """The offer mechanics a text names (「加个抽奖」 → 抽奖互动:…), as the offer chapter writes them."""
    return _found(_MECHANICS, to_simplified(text).lower())
