"""The offline extractive responder on small guidebook-shaped passages."""

from __future__ import annotations

import pytest

from assistant import script_boundary
from assistant.chat.extractive import ExtractiveResponder, _block_for, asks_for_list
from assistant.chat.passage_units import headings_of, passage_units, split_units, strip_headings
from core.text.scripts import Script, to_simplified
from knowledge.passage import Passage, quoted

LEAD = "根据指南原文："


def _answer(question: str, *passages: Passage, script: Script = "zh-Hans") -> tuple[str, list[int]]:
    """The offline answer as the asker sees it (in Simplified inside Cehua; shown in ``script``)."""
    text, cited = ExtractiveResponder().answer(question, list(passages), LEAD)
    return script_boundary.text(text, script, quoted(list(passages))), cited


@pytest.mark.parametrize(("text", "units"), [
    ("价格促销包括打折、优惠券等。使用时应控制频率;避免损害品牌。",
     ["价格促销包括打折、优惠券等。", "使用时应控制频率;", "避免损害品牌。"]),
    ("主要方法:(1)地理细分:按地区。(2)人口细分:按年龄。", ["主要方法:", "(1)地理细分:按地区。", "(2)人口细分:按年龄。"]),
    ("3.1.1市场细分方法市场细分采用以下方法", ["3.1.1市场细分方法市场细分采用以下方法"]),
    ("场外布置:\n\n1)制作条幅。\n\n2)放置红地毯。", ["场外布置:", "1)制作条幅。", "2)放置红地毯。"]),
    ("(一)预算规划。(二)资源分配。", ["(一)预算规划。", "(二)资源分配。"]),
    ("(3)阶梯折扣:如满100减10、满200减30。", ["(3)阶梯折扣:如满100减10、满200减30。"]),
    ("主要包括:1、调研费用。2、宣传费用。", ["主要包括:", "1、调研费用。", "2、宣传费用。"]),
])
def test_split_units_keeps_sentences_and_items_whole(text: str, units: list[str]) -> None:
    assert split_units(text) == units


@pytest.mark.parametrize(("text", "section", "expected"), [
    ("3.1.1价格促销策略价格促销策略是通过调整价格来吸引消费者。", "第三章 促销策略选择 > 3.1.1 价格促销策略",
     "价格促销策略是通过调整价格来吸引消费者。"),
    ("5.3价格促销策略5.3.1限时促销企业可通过限时降价等手段刺激购买。",
     "第5章 价格策略优化 > 5.3 价格促销策略 > 5.3.1 限时促销", "企业可通过限时降价等手段刺激购买。"),
    ("市场细分主要采用以下几种方法:", "第3章 市场细分 > 3.1 市场细分方法", "市场细分主要采用以下几种方法:"),
    ("活动主题与创意构思在营销活动策划的初期阶段确定主题。", "三、策划阶段 > 活动主题与创意构思",
     "在营销活动策划的初期阶段确定主题。"),
])
def test_glued_headings_are_stripped_but_a_sentence_keeps_its_subject(text: str, section: str, expected: str) -> None:
    assert strip_headings(text, headings_of(section)) == expected


def test_list_question_quotes_the_list_with_its_lead_in() -> None:
    passage = Passage(text="4.1预算构成活动预算一般包括以下几类费用:(1)场地费用:租赁及布置。(2)物料费用:海报、礼品。"
                           "(3)人员费用:劳务费用。", doc="d", section="第四章 活动预算 > 4.1 预算构成")
    text, cited = _answer("活动预算一般包括哪些费用?", passage)
    assert text == (f"{LEAD}\n活动预算一般包括以下几类费用:\n- (1)场地费用:租赁及布置。\n- (2)物料费用:海报、礼品。\n"
                    "- (3)人员费用:劳务费用。 [1]")
    assert cited == [0]


def test_short_unnumbered_lines_under_a_numbered_heading_are_its_list() -> None:
    passage = Passage(text="八、人员需求\n\n店面装饰人员\n\n收银人员2名\n\n现场导购8名\n\n总调度2名",
                      doc="plans", section="营销策划活动方案篇5 > 八、人员需求")
    text, _ = _answer("夏季特卖活动需要哪些人员?", passage)
    assert text == f"{LEAD}\n八、人员需求\n- 店面装饰人员\n- 收银人员2名\n- 现场导购8名\n- 总调度2名 [1]"


def test_a_heading_naming_the_asked_for_kind_is_quoted_with_its_content() -> None:
    background = Passage(text="一、活动背景\n\n夏季即将过完,影响到夏季服饰的销售。", doc="plans",
                         section="营销策划活动方案篇5 > 一、活动背景")
    theme = Passage(text="三、主题\n\n“清凉夏日,时尚感受”", doc="plans", section="营销策划活动方案篇5 > 三、主题")
    text, cited = _answer("夏季服装特卖活动用什么主题?", background, theme)
    assert "三、主题：“清凉夏日,时尚感受” [2]" in text.splitlines()
    assert 1 in cited


def test_nested_lists_keep_one_numbering_style() -> None:
    passage = Passage(text="四、春节活动布置策划:\n1.场外布置:\n1)门口放置红地毯。\n2)悬挂灯笼。\n2.场内布置:\n"
                           "1)悬挂春节吊旗。\n2)播放春节音乐。", doc="plans", section="营销策划活动方案篇3")
    text, _ = _answer("春节场内怎么布置?", passage)
    assert text.startswith(f"{LEAD}\n2.场内布置:\n- 1)悬挂春节吊旗。\n- 2)播放春节音乐。 [1]")
    # The other list, if quoted too, brings its own items along rather than a bare 「1.场外布置:」.
    assert "- 1.场外布置:" not in text.splitlines()


def test_traditional_script_is_applied_to_the_whole_answer() -> None:
    passage = Passage(text="价格促销的主要手段包括打折、优惠券、限时特价等。", doc="d", section="3.1 价格促销")
    text, _ = _answer("價格促銷有哪些手段?", passage, script="zh-Hant")
    assert text == "根據指南原文：\n價格促銷的主要手段包括打折、優惠券、限時特價等。 [1]"


def test_nothing_in_common_gives_no_answer() -> None:
    passage = Passage(text="价格促销的主要手段包括打折、优惠券、限时特价等。", doc="d", section="3.1 价格促销")
    assert _answer("怎么给电动车办理年检?", passage) == ("", [])


def test_sharing_only_characters_is_not_an_answer() -> None:
    passage = Passage(text="空调市场还有很大的潜力,发展趋势普遍看好。", doc="d", section="市场分析")
    assert _answer("还有呢?", passage) == ("", [])


def test_a_bare_heading_or_a_lead_in_without_its_list_is_never_quoted() -> None:
    empty_section = Passage(text="九、费用预算", doc="plans", section="营销策划活动方案篇5 > 九、费用预算")
    cut_list = Passage(text="促销策略类型主要包括以下几种:", doc="promo", section="3.1 促销策略类型")
    assert _answer("促销费用预算?", empty_section, cut_list) == ("", [])


def test_heading_lines_are_context_never_bullets_and_the_answering_sentence_is_found() -> None:
    limited = Passage(text="5.3价格促销策略\n5.3.1限时促销\n企业可通过限时降价、限时折扣等手段,刺激消费者在短时间内购买产品。",
                      doc="flow", section="第5章 价格策略优化 > 5.3 价格促销策略 > 5.3.1 限时促销")
    price = Passage(text="3.1.1价格促销策略\n价格促销策略是通过调整产品价格来吸引消费者的购买欲望,包括打折、优惠券、限时特价等。",
                    doc="promo", section="第三章 促销策略选择 > 3.1 促销策略类型 > 3.1.1 价格促销策略")
    text, _ = _answer("价格促销具体有哪些手段?", limited, price)
    assert "5.3价格促销策略" not in text and "- 5.3.1限时促销" not in text
    assert "价格促销策略是通过调整产品价格来吸引消费者的购买欲望,包括打折、优惠券、限时特价等。 [2]" in text.splitlines()


def test_a_list_answer_is_followed_by_another_passages_answer_with_its_own_marker() -> None:
    monitor = Passage(text="8.2.1制定监控指标\n根据活动目标,制定相应的监控指标,如活动参与人数、活动曝光量、活动销售额等。",
                      doc="promo", section="第八章 活动执行与监控 > 8.2 活动进度监控 > 8.2.1 制定监控指标")
    plan = Passage(text="活动进度的监控与调整\n1.制定监控计划:明确需要监控的关键指标,如活动参与度、用户反馈、销售数据等。"
                        "2.实施进度跟踪:对参与人数、互动数据、销售额等关键指标进行实时监控。",
                   doc="manage", section="四、执行阶段 > 活动进度的监控与调整")
    text, cited = _answer("活动进行中要监控哪些指标?", plan, monitor)
    lines = text.splitlines()
    assert "根据活动目标,制定相应的监控指标,如活动参与人数、活动曝光量、活动销售额等。 [2]" in lines
    assert "- 2.实施进度跟踪:对参与人数、互动数据、销售额等关键指标进行实时监控。 [1]" in lines
    assert cited == [0, 1]


def test_a_cut_list_still_shows_the_item_that_answers() -> None:
    filler = "涉及产品的设计、研发、生产、包装、定价、渠道、服务、品牌、售后、培训、物流、仓储、财务、人事、法务等诸多方面的具体工作安排与统筹。"
    mix = Passage(text="核心要素包括:" + "".join(f"({n})要素{n}:{filler}" for n in range(1, 5))
                  + "(5)促销策略:促销策略包括广告、公关、销售促进等多种形式。", doc="flow", section="第1章 概述 > 1.2 核心要素")
    text, _ = _answer("促销有哪些形式?", mix)
    assert "- (5)促销策略:促销策略包括广告、公关、销售促进等多种形式。 [1]" in text.splitlines()


def test_the_guidebooks_words_for_the_planners_word_count_when_choosing_a_sentence() -> None:
    media = Passage(text="应根据以下原则进行:(1)目标受众匹配:选择覆盖目标受众广泛的媒体,提高广告投放效果。", doc="flow",
                    section="第7章 > 7.1.2 媒体选择")
    offline = Passage(text="线下渠道包括电视、广播、报纸、杂志、户外广告等。", doc="promo", section="第七章 > 7.2.2 线下渠道")
    text, _ = _answer("传统媒体投放有哪些选择?", media, offline)  # 传统媒体 → 电视, 广播, 报纸, 杂志
    assert "线下渠道包括电视、广播、报纸、杂志、户外广告等。 [2]" in text.splitlines()


# ----- whole lists, recognised from the guidebook's own structure ------------------------------

CHANNEL_FLOW = Passage(text="6.1.2渠道设计流程\n市场调研:分析目标市场的消费需求和渠道现状。确定渠道目标:明确渠道设计的目标,如市场份额。"
                            "选择渠道类型:根据产品特性选择合适的渠道类型。渠道评估与优化:对渠道运营效果进行评估,不断优化渠道结构。",
                       doc="flow", section="第6章 渠道策略优化 > 6.1.2 渠道设计流程")
AFTER_SALES = Passage(text="9.2.2售后服务流程设计\n(1)接收客户售后服务需求,及时响应。(2)安排售后服务人员,提供专业解决方案。"
                           "(3)跟进服务进度,保证问题得到解决。(4)收集客户反馈,优化售后服务。",
                      doc="promo", section="第九章 客户服务与售后服务 > 9.2.2 售后服务流程设计")
DISCOUNTS = Passage(text="6.2.2优惠幅度\n(1)直接优惠:对部分产品实行直接降价。(2)满减优惠:设置满减门槛,鼓励消费者多买多优惠。"
                         "(3)折扣券:发放折扣券。(4)限时抢购:设置限时抢购产品。",
                    doc="fest", section="第六章 活动产品与价格策略 > 6.2.2 优惠幅度")


@pytest.mark.parametrize("question", ["渠道设计的流程分哪几步呀", "設計渠道一般走什麼流程?", "渠道设计流程是怎样的"])
def test_sentences_opening_with_a_label_and_a_colon_are_quoted_as_one_list(question: str) -> None:
    text, _ = _answer(question, CHANNEL_FLOW)
    bullets = [line for line in to_simplified(text).splitlines() if line.startswith("- ")]
    assert [b.split(":")[0] for b in bullets] == ["- 市场调研", "- 确定渠道目标", "- 选择渠道类型", "- 渠道评估与优化"]


@pytest.mark.parametrize("question", ["售后服务流程应该怎么设计?", "售后流程怎么走", "我们想把售后服务流程设计好,要怎么做"])
def test_a_question_about_a_lists_heading_gets_the_whole_list_not_its_first_item(question: str) -> None:
    text, _ = _answer(question, AFTER_SALES)
    assert all(f"({n})" in text for n in range(1, 5)), text


@pytest.mark.parametrize("question", ["满减优惠怎么设置?", "滿減門檻要怎麼設?"])
def test_a_question_about_one_item_gets_that_item_not_the_whole_list(question: str) -> None:
    text, _ = _answer(question, DISCOUNTS)
    assert "满减" in to_simplified(text) and "限时抢购" not in to_simplified(text)


@pytest.mark.parametrize(("question", "listy"), [
    ("What are the steps to plan a sales channel?", True),
    ("which channels should customers use to complain", True),
    ("what kinds of discounts are there", True),
    ("Which costs should we budget for?", True),
    ("What does bundle pricing mean?", False),
    ("How early should the warm-up start?", False),
    ("What is the process for returns?", False),
    ("售后流程有哪些步骤", True),
    ("满减优惠怎么设置?", False),
])
def test_english_and_chinese_questions_asking_for_an_enumeration_are_told_apart(question: str, listy: bool) -> None:
    assert asks_for_list(question) is listy


_CHANNELS = Passage(
    doc="market", title="营销手册", section="第7章 推广策略优化 > 7.3 网络营销策略 > 7.3.1 网络营销渠道拓展",
    text="7.3网络营销策略\n7.3.1网络营销渠道拓展\n网络营销渠道的拓展是提升网络营销效果的关键。以下渠道可供选择:"
         "(1)搜索引擎:通过搜索引擎优化(SEO)和搜索引擎营销(SEM)提高品牌曝光度。(2)社交媒体:利用微博、抖音等社交平台,"
         "进行品牌推广和互动营销。(3)电商平台:在淘宝、京东等电商平台开展促销活动,提高产品销量。")
_CRISIS = Passage(
    doc="market", title="营销手册", section="第7章 推广策略优化 > 7.2 公关策略与危机管理 > 7.2.2 危机管理",
    text="7.2.2危机管理\n危机管理是公关策略的重要组成部分。应对危机时,应遵循以下原则:(1)迅速响应:在危机发生后,"
         "迅速成立危机应对小组,制定应对策略。(2)透明公开:及时向公众通报危机处理进展,避免信息不对称导致恐慌。"
         "(3)积极沟通:主动与媒体、利益相关者沟通,争取理解和支持。")


@pytest.mark.parametrize(("question", "script", "expected"), [
    ("想做SEO和SEM,网络营销渠道还能怎么拓展", "zh-Hans", "(2)社交媒体"),
    ("网络营销渠道要如何拓展?谢谢", "zh-Hans", "(3)电商平台"),
    ("網絡營銷渠道可以點樣拓展?", "zh-Hant", "(2)社交媒體"),
    ("網路營銷渠道該怎麼拓展呢", "zh-Hant", "(1)搜索引擎"),
    ("品牌出了负面新闻,危机公关第一步要干嘛?", "zh-Hans", "(1)迅速响应"),
    ("危机管理具体怎么做", "zh-Hans", "(1)迅速响应"),
    ("出咗危機,危機管理應該點做?", "zh-Hant", "(1)迅速響應"),
])
def test_a_how_question_gets_the_ways_a_lead_in_announces_not_only_the_sentence_naming_the_topic(
        question: str, script: Script, expected: str) -> None:
    # 「…是提升网络营销效果的关键。」 names the topic; the ways are the list the next sentence announces.
    text, cited = _answer(question, _CHANNELS, _CRISIS, script=script)
    lines = text.splitlines()
    assert any(line.startswith(f"- {expected}") for line in lines), text
    assert len(cited) == 1


def test_a_list_brought_by_a_later_sentence_is_shown_around_the_item_that_answered_first() -> None:
    # Item 6 answers 「效果不好怎么调整」; the list's heading brings the whole list later, which must not push it out.
    items = "".join(
        f"{n}.{title}{'持续跟踪评估推广效果,收集反馈数据。根据实际情况及时调整推广策略,优化宣传内容和渠道选择。' if n == 6 else body}"
        for n, (title, body) in enumerate([
            ("市场分析与目标群体定位", "深入了解目标市场的特点,包括消费者的年龄、性别、职业、地域分布等关键信息。通过市场调研精准定位目标受众。"),
            ("多元化的宣传渠道选择", "根据目标群体的特点和活动性质,选择多元化的宣传渠道,结合线上与线下的策略进行推广。"),
            ("内容创意与宣传材料制作", "设计富有创意的宣传内容,吸引目标受众的注意力,制作海报、视频、图文结合的长文案等。"),
            ("推广时序与预算规划", "制定详细的推广时序计划,确定各个推广阶段的时间节点和重点任务,合理分配推广费用。"),
            ("合作伙伴与资源整合", "寻找合适的合作伙伴,共同推广营销活动,与行业内相关品牌进行资源互换。"),
            ("效果评估与调整策略", ""),
            ("跨部门的协同合作", "加强与市场部、运营部、产品部等部门的沟通与协作,确保宣传内容与实际活动高度一致。"),
        ], start=1))
    # Each item is long: the answer's room holds only some of them.
    items = items.replace("。", ",确保活动信息覆盖广泛,提高活动知名度和影响力。同时做好记录,为后续的宣传推广策略制定提供数据支撑。", 6)
    passage = Passage(doc="plan", title="全流程管理", section="三、策划阶段 > 宣传推广策略的制定",
                      text=f"宣传推广策略的制定\n{items}")
    text, _ = _answer("宣传推广做到一半效果不好,要怎么调整", passage)
    assert "持续跟踪评估推广效果" in text


_RISKS = [Passage(doc="fest", title="电商节方案", section=f"第九章 活动风险评估与应对 > {section}", text=text) for section, text in [
    ("9.1 风险因素分析 > 9.1.4 物流风险", "9.1.4物流风险\n在活动期间,大量订单可能导致物流压力增大,出现配送不及时、破损等问题。"),
    ("9.2 风险防范措施 > 9.2.4 物流防范", "9.2.4物流防范\n与优质物流合作伙伴密切沟通,提前预测物流需求,保证活动期间物流顺畅。"),
    ("9.1 风险因素分析 > 9.1.3 技术风险", "9.1.3技术风险\n活动期间,网站、APP等平台可能出现技术故障,导致活动无法正常进行,影响用户体验。"),
    ("9.2 风险防范措施 > 9.2.3 技术防范", "9.2.3技术防范\n提前对网站、APP等平台进行压力测试,保证活动期间技术稳定。"),
]]


@pytest.mark.parametrize(("question", "expected"), [
    ("技术风险怎么防?", "压力测试"),
    ("技术风险如何防?谢谢", "压力测试"),
    ("技術風險點樣防?", "壓力測試"),
    ("物流风险要怎么防", "提前预测物流需求"),
])
def test_a_how_question_quotes_the_measure_not_the_description_of_the_problem(question: str, expected: str) -> None:
    # 「怎么防」: the action asked about is the point, though it is one character.
    script: Script = "zh-Hant" if question != to_simplified(question) else "zh-Hans"
    text, _ = _answer(question, *_RISKS, script=script)
    assert expected in text, text


def test_each_part_of_a_two_part_how_question_gets_its_measure() -> None:
    # As search brings them: the four risk sections, and another chapter's 风险识别 further down.
    found = [*_RISKS, Passage(doc="manage", title="活动执行", section="第八章 活动执行与监控 > 8.3 风险预防与应对 > 8.3.1 风险识别",
                              text="8.3风险预防与应对\n8.3.1风险识别\n在活动策划阶段,对可能出现的风险进行识别,如活动场地、物资供应、"
                                   "人员安排等方面的风险。")]
    text, _ = ExtractiveResponder().answer_parts("技术风险怎么防?物流风险又怎么防?", ["技术风险怎么防?", "物流风险又怎么防?"],
                                                 found, LEAD)
    assert "压力测试" in text and "提前预测物流需求" in text, text


@pytest.mark.parametrize("question", ["活动创意构思有什么要求?", "活動創意構思有咩要求?", "我们要办个新品发布会,创意构思有啥要求啊"])
def test_a_sentence_followed_by_a_list_of_its_own_is_quoted_with_the_list(question: str) -> None:
    # No 「以下几点:」 announces the list: it simply follows, numbered in a style of its own.
    passage = Passage(doc="plan", title="全流程管理", section="三、策划阶段 > 活动主题与创意构思",
                      text="1.确定活动主题活动主题应当与公司品牌形象、产品特点以及市场定位紧密结合。2.创意构思有了明确的活动主题后,接下来便是围绕这一主题进行创意构思。创意构思要求新颖、独特,能够激发目标受众的"
                           "参与热情。(1)结合公司文化:创意构思应当体现公司的文化和价值观。(2)融入流行元素:关注当下的流行元素和热点话题。"
                           "(3)互动性强的设计:通过设计互动环节,让参与者更加积极地参与到活动中来。")
    script: Script = "zh-Hant" if question != to_simplified(question) else "zh-Hans"
    text, _ = _answer(question, passage, script=script)
    assert to_simplified(text).count("- (") == 3, text



def test_a_quote_runs_on_into_a_list_that_starts_there_not_into_the_next_item_of_an_outer_list() -> None:
    passage = Passage(doc="plan", title="全流程管理", section="四、执行阶段 > 团队协作与分工安排",
                      text="4.执行监控与调整机制活动进行中,团队需实时监控活动进展。活动结束后,团队需进行总结评估,分析活动效果。"
                           "5.后期总结与反馈机制建立活动结束后,整个团队需进行后期总结会议。6.持续改进对活动进行复盘。")
    units = passage_units([passage], False)[0]
    assert [u.text[:2] for u in units] == ["4.", "活动", "5.", "6."]
    block = _block_for(units, units[1], False, set(), into_list=True)
    assert block.items == [] and "5." not in block.lead
