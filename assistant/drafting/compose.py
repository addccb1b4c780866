"""Offline drafting: a deterministic composer that writes each section for this campaign — its kind,
product, mechanics, channels and scale — and quotes the retrieved guidance only where a sentence is
relevant to the section, with citation markers. Chinese text is Simplified (the pipeline converts it
to the plan's script); English briefs get English sentences, with guidebook quotes marked as quotes."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.drafting import kinds
from assistant.drafting.facts import window_sentence
from assistant.drafting.guidance import pick_quotes
from assistant.drafting.outline import SectionSpec
from assistant.drafting.result import PlanFacts, SectionDraft, SectionGuidance
from assistant.drafting.tables import budget_table, timeline_table
from assistant.drafting.timeline import phase_role
from core.plan import Brief
from core.text.lists import listed
from core.text.money import money
from core.text.scripts import to_simplified

UNSUPPORTED_NOTE = "(本节在指南中没有找到依据,以下仅列出简报事实,请补充。)"
UNSUPPORTED_NOTE_EN = "(The guidebooks say nothing on this section; it lists the brief's facts only — please add to it.)"

Composer = Callable[[SectionSpec, Brief, PlanFacts, SectionGuidance, bool], list[str]]

_METRICS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("销售额", "销售目标", "销量", "gmv", "sales"), "销售额与销量达成率", "Sales and units against target"),
    (("投入产出", "roi", "成本效益"), "投入产出比(ROI)", "Return on spend (ROI)"),
    (("转化",), "各渠道转化率", "Conversion rate by channel"),
    (("客单价",), "客单价", "Average order value"),
    (("新客", "新增客户", "会员", "拉新", "member"), "新增客户与会员数", "New customers and members"),
    (("曝光", "知名度", "品牌推广"), "曝光量与品牌搜索量", "Reach and brand searches"),
    (("满意度", "反馈"), "客户满意度与反馈", "Customer satisfaction and feedback"),
    (("复购", "repeat"), "复购率", "Repeat purchase rate"),
)
_KIND_METRICS: dict[str, tuple[tuple[str, str], ...]] = {
    "ecommerce": (("店铺访客与转化率", "Store visitors and conversion"), ("销售额与客单价", "Sales and order value")),
    "stores": (("进店客流与成交率", "Footfall and purchase rate"), ("单店销售额", "Sales per store")),
    "community": (("社群新增与活跃", "Community growth and activity"), ("复购率", "Repeat purchase rate")),
    "event": (("到场人数与互动参与", "Attendance and participation"), ("现场转化与留资", "Leads and sales on site")),
    "b2b": (("订货额与经销商到会率", "Orders and dealer turnout"), ("终端动销率", "Sell-through at outlets")),
    "service": (("服务单量与预约完成率", "Service jobs and bookings completed"),
                ("客户满意度与投诉率", "Satisfaction and complaint rate")),
    "annual": (("年度销售与市场份额", "Annual sales and market share"), ("季度目标达成率", "Quarterly targets met")),
    "promotion": (("销售额与销量达成率", "Sales and units against target"), ("投入产出比(ROI)", "Return on spend (ROI)")),
}

_CHANNEL_ROLES: dict[str, tuple[str, str]] = {
    "channel-online": ("承接流量并完成下单转化", "takes the traffic and converts it into orders"),
    "channel-media": ("内容种草与话题传播,扩大曝光", "seeds content and buzz to widen reach"),
    "channel-private": ("私域触达,发放专属优惠并跟进成交", "reaches our own customers with member offers and follow-up"),
    "channel-store": ("陈列与导购推荐,提供到店体验", "displays and staff recommendations for an in-person experience"),
    "channel-event": ("现场活动与地推,触达周边客群", "on-site activity and outreach to nearby customers"),
    "channel-b2b": ("政策宣讲与订货支持,带动终端动销", "briefings and order support that move stock through outlets"),
}
_LIVE = ("直播", "livestream")

_PROMOTION_BY_ROLE = {
    "prepare": ("内容与物料准备,确定投放计划", "prepare content and materials; fix the media plan"),
    "warmup": ("发布预告与种草内容,积累关注", "announce the campaign and seed content"),
    "execute": ("集中投放,配合促销推动转化", "concentrated spend alongside the offers"),
    "wrapup": ("晒单返场与口碑沉淀,总结投放效果", "follow-up content; review media results"),
}


def _quotes_block(spec: SectionSpec, guidance: SectionGuidance, english: bool, limit: int = 2
                  ) -> tuple[list[str], list[int]]:
    quotes = pick_quotes(guidance.numbered(), guidance.query or spec.purpose, limit=limit)
    if english:
        lines = [f"> Guidebook (quoted in Chinese): “{sentence}” [{number}]" for sentence, number in quotes]
    else:
        lines = [f"指南要点:“{sentence}”[{number}]" for sentence, number in quotes]
    return lines, [number for _, number in quotes]


def _terms(brief: Brief, channels: bool) -> list[str]:
    """The brief's mechanics (or channels) as it wrote them, in order."""
    return list(brief.channels if channels else brief.mechanics)


def _subject(brief: Brief, english: bool) -> str:
    if brief.title:
        return brief.title
    parts = [brief.occasion, brief.product] if not english else [brief.occasion, brief.product]
    text = (" " if english else "").join(p for p in parts if p)
    return text


def _background(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance, en: bool) -> list[str]:
    kind = kinds.kind_name(facts.kind, en)
    budget = money(brief.budget or 0, "en" if en else "zh-Hans", currency=facts.currency)
    subject = _subject(brief, en)
    if en:
        who = brief.brand or "The brand"
        article = "an" if kind[0] in "aeiou" else "a"
        opening = f"{who} plans {article} {kind}" + (f", “{subject}”." if subject else ".")
        lines = [f"{opening} {window_sentence(brief, True)} Total budget: {budget}."]
    else:
        who = brief.brand or "本品牌"
        opening = f"{who}计划开展「{subject}」{kind}。" if subject else f"{who}计划开展本次{kind}。"
        lines = [f"{opening}{window_sentence(brief)}总预算{budget}。"]
    if facts.festival:
        lines.append(facts.festival)
    if brief.product:
        lines.append(f"Product: {brief.product}." if en else f"主推产品:{brief.product}。")
    if brief.mechanics:
        lines.append(f"Mechanics asked for: {listed(brief.mechanics, english=en)}." if en
                     else f"活动玩法:{listed(brief.mechanics, english=en)}。")
    if brief.channels:
        lines.append(f"Channels: {listed(brief.channels, english=en)}." if en else f"渠道:{listed(brief.channels, english=en)}。")
    scope = _scope(brief, en)
    if scope:
        lines.append(scope)
    if brief.goals:
        lines.append("Goals:" if en else "活动目标:")
        lines.extend(f"- {goal}" for goal in brief.goals)
    return lines


def _scope(brief: Brief, en: bool) -> str:
    if not brief.region and not brief.stores:
        return ""
    if en:
        parts = [brief.region] if brief.region else []
        if brief.stores:
            parts.append(f"{brief.stores} stores")
        return f"Scope: {', '.join(parts)}."
    parts = [brief.region] if brief.region else []
    if brief.stores:
        parts.append(f"{brief.stores}家门店/网点")
    return f"覆盖范围:{'、'.join(parts)}。"


_FESTIVAL_MOTIFS: dict[str, tuple[str, str]] = {
    "春节": ("新春纳福", "New Year blessings"), "除夕": ("团圆守岁", "Together on New Year's Eve"),
    "元宵": ("元宵团圆", "Lantern-night reunion"), "端午": ("粽享端午", "Dragon Boat treats"),
    "七夕": ("七夕心意", "Qixi tokens of love"), "中秋": ("月满团圆", "Full moon, full table"),
    "重阳": ("九九敬老", "Honouring our elders"), "腊八": ("腊八暖冬", "A warm Laba"),
    "清明": ("春日踏青", "Spring outing"), "元旦": ("新年新气象", "New year, new start"),
    "情人节": ("爱意相随", "Love, delivered"), "妇女节": ("悦享女神季", "Celebrating women"),
    "劳动节": ("五一乐享", "May Day treats"), "520": ("520告白季", "Say it on 520"),
    "儿童节": ("童心童趣", "Childlike fun"), "618": ("年中焕新", "Mid-year refresh"),
    "教师节": ("感念师恩", "Thank you, teachers"), "国庆": ("国庆欢聚", "Golden Week together"),
    "万圣节": ("万圣奇趣", "Halloween fun"), "双十一": ("双11好物节", "Double 11 finds"),
    "双十二": ("双12年终好物", "Double 12 year-end finds"), "平安夜": ("平安夜暖心", "A warm Christmas Eve"),
    "圣诞": ("圣诞好礼", "Christmas gifts"), "母亲节": ("感恩母爱", "For Mum, with thanks"),
    "父亲节": ("致敬父爱", "For Dad"), "感恩节": ("感恩有你", "Thankful for you"),
}


def _motif(brief: Brief, en: bool) -> str:
    from assistant.briefs.festivals import festivals_in, find_festival

    for text in (brief.occasion, brief.title):
        if not text:
            continue
        festival = find_festival(text)
        if festival is None:
            found = festivals_in(to_simplified(text).lower())
            festival = found[0][0] if found else None
        if festival is not None and festival.name in _FESTIVAL_MOTIFS:
            return _FESTIVAL_MOTIFS[festival.name][1 if en else 0]
    return ""


def _theme(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance, en: bool) -> list[str]:
    motif = _motif(brief, en)
    offer = brief.product or brief.brand or ""
    topic = brief.title or _subject(brief, en) or kinds.kind_name(facts.kind, en)
    mechanics = kinds.mechanics(facts.kind, brief, en)
    if en:
        slogan = f"{motif}: {offer}" if motif and offer else motif or offer
        lines = [f"Theme: “{slogan}” — {topic}." if slogan else f"Theme: “{topic}”.", "Strategy:"]
        if brief.occasion:
            lines.append(f"- Build the campaign around {brief.occasion} and what people buy for it")
        if mechanics:
            lines.append(f"- Lead with {mechanics[0].split(':')[0].lower()} as the hook")
        if brief.channels:
            lines.append(f"- One theme and look across {listed(brief.channels, english=True)}")
        lines.append("- In phases: build interest, convert, then review and keep the customers")
        return lines
    slogan = f"{motif}·{offer}" if motif and offer else motif or offer
    lines = [f"活动主题:「{slogan}」——{topic}。" if slogan else f"活动主题:「{topic}」。", "策略:"]
    if brief.occasion:
        lines.append(f"- 借势{brief.occasion}节点,围绕节日消费需求设计活动内容与节奏")
    if mechanics:
        lines.append(f"- 以{mechanics[0].split(':')[0]}为核心抓手,带动{brief.product or '主推产品'}销售")
    if brief.channels:
        lines.append(f"- {listed(brief.channels, english=False)}统一主题与视觉,协同推进")
    lines.append("- 分阶段推进:预热蓄客、集中转化、复盘沉淀")
    return lines


_SEGMENT_SPLIT = re.compile(r"与|和|及|以及|、|,|，|/|\band\b")


def _audience(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance, en: bool) -> list[str]:
    partners = kinds.kind_lines(facts.kind, "partners", en)
    if partners:  # a dealer programme's audience is the partners it recruits
        where = _scope(brief, en)
        lines = [f"Target partners: {brief.audience}." if en else f"目标合作伙伴:{brief.audience}。"] if brief.audience else []
        lines += [f"- {line}" for line in partners]
        return [*lines, where] if where else lines
    if en:
        lines = [f"Core audience: {brief.audience}." if brief.audience
                 else f"Core audience: not given in the brief; choose from past buyers of {brief.product or 'the product'}."]
    else:
        lines = [f"核心客群:{brief.audience}。" if brief.audience
                 else f"核心客群:简报未指定,建议从{brief.product or '主推产品'}的历史购买数据中筛选。"]
    segments = [seg.strip() for seg in _SEGMENT_SPLIT.split(brief.audience) if len(seg.strip()) >= 2]
    if len(segments) > 1:
        lines.append("Segments:" if en else "分群触达:")
        lines.extend(f"- {seg}: content and offers matched to why they buy" if en
                     else f"- {seg}:结合其购买动机与触达习惯,设计专属内容与优惠" for seg in segments)
    scope = _scope(brief, en)
    if scope:
        lines.append(scope)
    if brief.channels:
        lines.append(f"Reached through: {listed(brief.channels, english=en)}." if en else f"触达渠道:{listed(brief.channels, english=en)}。")
    return lines


def _timeline(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance, en: bool) -> list[str]:
    lines = [window_sentence(brief, en), "", timeline_table(facts.phases, "en" if en else "zh-Hans"), ""]
    execute = [p for p in facts.phases if phase_role(p.name) == "execute"]
    if execute:
        lines.append(f"The {execute[0].name} phase is the campaign itself; the other phases run back to back."
                     if en else f"{execute[0].name}阶段与活动时间一致,其余阶段首尾相接、互不重叠。")
    if facts.timeline_note:
        lines.append(timeline_note_en(facts) if en else facts.timeline_note)
    return lines


def timeline_note_en(facts: PlanFacts) -> str:
    days = re.search(r"仅(\d+)天", facts.timeline_note)
    if days is None:
        return "The campaign starts now, with no time left to prepare: confirm the plan and start at once."
    return (f"Only {days.group(1)} days remain before the start, so preparation and warm-up are compressed "
            "into them, starting today; do the essential preparation first.")


def _channel_role(channel: str, en: bool) -> str:
    from assistant.briefs.entities import find_terms

    simple = to_simplified(channel).lower()
    found = find_terms(simple)
    if any(live in simple for live in _LIVE):
        return ("livestreams with limited-time offers that convert on the spot" if en
                else "直播讲解与限时优惠,集中转化")
    if found and found[0].term.kind in _CHANNEL_ROLES:
        return _CHANNEL_ROLES[found[0].term.kind][1 if en else 0]
    return ("one message and look, in step with the campaign" if en else "统一活动信息与视觉,配合整体节奏推广")


def _channels(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance, en: bool) -> list[str]:
    if not brief.channels:
        if en:
            return ["The brief names no channels. Choose them by reach, fit with the audience and cost, as the "
                    "guidebooks advise."]
        return ["简报未指定渠道。建议按指南评估渠道的覆盖范围、受众匹配度与成本效益后确定投放组合。"]
    lines = ["Channel roles:" if en else "渠道分工:"]
    for channel in brief.channels:
        lines.append(f"- {channel}: {_channel_role(channel, en)}" if en else f"- {channel}:{_channel_role(channel, en)}")
    if len(brief.channels) > 1:
        lines.append("All channels share one offer, one price and one schedule." if en
                     else "各渠道统一优惠口径、价格与节奏,线上线下互相导流。")
    return lines


def _offer(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance, en: bool) -> list[str]:
    found = kinds.mechanics(facts.kind, brief, en)
    if en:
        lines = [f"Product: {brief.product}." if brief.product else
                 f"Product: pick lead products for “{brief.title or brief.occasion or 'the campaign'}” and "
                 "bundle related items."]
        lines.append(kinds.kind_label(facts.kind, "offer_label", "Mechanics", True) + ":")
        lines.extend(f"- {m}" for m in found)
        lines.append("Set discount depths and thresholds from the margins and publish the rules on every channel.")
        return lines
    lines = [f"活动产品:{brief.product}。" if brief.product else
             f"活动产品:围绕「{brief.title or brief.occasion or '本次活动'}」选取主推产品,并搭配关联产品组合销售。"]
    lines.append(kinds.kind_label(facts.kind, "offer_label", "促销方式") + ":")
    lines.extend(f"- {m}" for m in found)
    lines.append("具体折扣力度与门槛按毛利测算后确定,并在各渠道明示规则。")
    return lines


def _budget(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance, en: bool) -> list[str]:
    total = facts.budget_total or 0
    if en:
        return [f"Total budget {money(total, 'en', currency=facts.currency)}, split the way a "
                f"{kinds.kind_name(facts.kind, True)} spends:", "",
                budget_table(facts.budget_lines, total, "en", facts.currency), "",
                "The contingency reserve covers unforeseen costs; spending it needs the project lead's approval."]
    return [f"总预算{money(total, currency=facts.currency)},按{kinds.kind_name(facts.kind)}的费用结构分配如下:", "",
            budget_table(facts.budget_lines, total, currency=facts.currency), "", "备用金用于应对不可预见的支出,动用需经项目负责人审批。"]


def _risk(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance, en: bool) -> list[str]:
    lines = ["Main risks and responses:" if en else "主要风险与应对:"]
    lines.extend(f"- {r}" for r in kinds.risks(facts.kind, brief, en))
    lines.append("Emergency costs come out of the contingency reserve." if en else "应急费用从预算中的备用金列支。")
    return lines


def _evaluation(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance, en: bool) -> list[str]:
    if en:
        lines = ["Goals and KPIs:" if spec.kind == "goals" else "Measures:"]
    else:
        lines = ["目标与关键指标:" if spec.kind == "goals" else "评估指标:"]
    lines.extend(f"- {goal}" for goal in brief.goals)
    text = to_simplified(" ".join(brief.goals + brief.mechanics)).lower()
    metrics = [m[2 if en else 1] for m in _METRICS if any(cue in text for cue in m[0])]
    metrics += [pair[1 if en else 0] for pair in _KIND_METRICS[facts.kind]]
    lines.extend(f"- {m}" for m in dict.fromkeys(metrics))
    wrap = [p for p in facts.phases if phase_role(p.name) == "wrapup"]
    if wrap:
        lines.append(f"The review is done in the {wrap[0].name} phase, with a written report." if en
                     else f"评估在{wrap[0].name}阶段完成,形成复盘报告。")
    return lines


def _product(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance, en: bool) -> list[str]:
    if en:
        return [f"Lead product: {brief.product}." if brief.product else "Lead product: pick by sales and margin.",
                "- Range: entry, profit and flagship items at different price points",
                "- Positioning: one clear difference from competitors, where the spend goes"]
    return [f"主推产品:{brief.product}。" if brief.product else "主推产品:简报未指定,建议按销量与毛利筛选。",
            "- 产品组合:引流款、利润款与形象款搭配,覆盖不同价位", "- 产品定位:明确与竞品的差异点,集中资源主推"]


def _promotion(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance, en: bool) -> list[str]:
    if en:
        lines = [f"Media mix: {listed(brief.channels, english=True)}." if brief.channels
                 else "Media mix: not given; choose by reach, audience fit and cost.", "Rhythm:"]
    else:
        lines = [f"媒体组合:{listed(brief.channels, english=False)}。" if brief.channels
                 else "媒体组合:简报未指定渠道,建议按覆盖范围、受众匹配度与成本效益选择。", "推广节奏:"]
    for phase in facts.phases:
        role = phase_role(phase.name)
        work = _PROMOTION_BY_ROLE[role][1 if en else 0] if role else phase.work
        lines.append(f"- {phase.name}: {work}" if en else f"- {phase.name}:{work}")
    return lines


def _staffing(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance, en: bool) -> list[str]:
    if en:
        return ["Roles:", "- Project lead: schedule, budget and risks", "- Planning and content: plan, creative, materials",
                "- Channel teams: media and on-the-ground execution", "- Data and service: tracking, enquiries, after-sales"]
    return ["分工:", "- 项目负责人:统筹进度、预算与风险", "- 策划与内容:方案、创意与物料",
            "- 渠道执行:各渠道投放与现场执行", "- 数据与客服:数据监测、客户咨询与售后",
            "执行前完成全员培训,明确每个关键节点的负责人。"]


def _service(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance, en: bool) -> list[str]:
    # A service campaign's measures are its offer (免费清洗, 上门检测): a service plan has no offer chapter.
    offered = kinds.mechanics(facts.kind, brief, en) if facts.kind == "service" else []
    lines = (["Services offered:", *(f"- {m}" for m in offered)] if en else ["服务内容:", *(f"- {m}" for m in offered)]
             ) if offered else []
    if en:
        return [*lines, "Service standard: quick answers to enquiries; after-sales issues closed within a set time.",
                "- One set of rules and after-sales terms on every channel"]
    return [*lines, "服务标准:咨询及时响应,售后问题限时处理。", "- 活动规则与售后政策在各渠道统一公示",
            "- 设立客诉快速响应机制,每日汇总客户反馈"]


def _venue(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance, en: bool) -> list[str]:
    setup = [p for p in facts.phases if phase_role(p.name) == "prepare"]
    where = (f"{brief.region} " if en and brief.channels else brief.region) + listed(brief.channels, english=en)
    if en:
        lines = [f"Venue: {where}; confirm the booking, capacity and set-up time early." if where
                 else "Venue: not given; choose by expected attendance, access and cost, and book early.",
                 "- Layout: main visual and visitor flow, sign-in, product display and interaction areas",
                 "- Materials: backdrop, posters and roll-up banners, signage, prizes and gifts",
                 "- Set-up and a rehearsal the day before, with a safety check of the structures"]
    else:
        lines = [f"场地:{where},提前确认档期、容量与搭建时间。" if where
                 else "场地:简报未指定,建议按预计到场人数、交通便利与成本选择,尽早预订。",
                 "- 布置:主视觉与动线,设签到区、产品展示区与互动区",
                 "- 物料:背景板、海报与易拉宝、指引标识、礼品与奖品",
                 "- 活动前一天完成搭建与彩排,搭建结构通过安全检查"]
    if setup:
        lines.append(f"Materials are produced in the {setup[0].name} phase." if en
                     else f"物料在{setup[0].name}阶段完成设计与制作。")
    return lines


def _generic(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance, en: bool) -> list[str]:
    subject = brief.title or brief.occasion or ("the campaign" if en else "本次活动")
    return [f"{spec.title} for “{subject}”, following the guidebooks:" if en
            else f"围绕「{subject}」,{spec.title}按指南要求安排如下:"]


_COMPOSERS: dict[str, Composer] = {
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
    "venue": _venue,
    "offer": _offer,
    "pricing": _offer,
    "budget": _budget,
    "risk": _risk,
    "evaluation": _evaluation,
}


def compose_section(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance) -> SectionDraft:
    """A section drafted without a model: the brief's facts for this kind of section and campaign, then
    up to two guidance quotes that are relevant to it, with citation markers; a section without
    supporting passages says so instead."""
    en = brief.script == "en"
    composer = _COMPOSERS.get(spec.kind, _generic)
    lines = composer(spec, brief, facts, guidance, en)
    citations: list[int] = []
    if guidance.supported:
        quotes, citations = _quotes_block(spec, guidance, en)
        if quotes:
            lines = [*lines, "", *quotes] if lines and lines[-1] != "" else [*lines, *quotes]
    else:
        lines = [UNSUPPORTED_NOTE_EN if en else UNSUPPORTED_NOTE, *lines]
    body = "\n".join(lines).strip()
    while "\n\n\n" in body:
        body = body.replace("\n\n\n", "\n\n")
    return SectionDraft(key=spec.key, heading=spec.heading, body=body, citations=citations,
                        supported=guidance.supported, source="composer")


def mechanics_in(text: str, english: bool = False) -> list[str]:
    """The offer mechanics a text names (「加个抽奖」 → 抽奖:…), as the offer chapter writes them."""
    return kinds.mechanic_lines(text, english)
