"""Questions as planners type them in a chat: the robustness variants of an evaluation question.

Every question gets four variants — a politeness suffix, a business-context prefix, a spoken
filler and a common typo — written in the question's own script. The variants rotate through
several phrasings (chosen by the question's position, so a run is reproducible), and the typos
are the input-method slips planners make (优惠卷, 那些 for 哪些, 竟品, 策化).

``fresh_variants`` makes the same four kinds with phrasings and slips that no fit ever sees (the
relevance, ranking and quote fits train on ``variants``): ``bench_answers.py``'s ``robust-fresh`` set
asks them, so robustness is also measured on wording the models were not fitted to. Never train on them.
"""

from __future__ import annotations

from core.text.scripts import detect_script, to_traditional
from knowledge.evaluate import EvalItem

POLITE = ("谢谢!", "谢谢", "麻烦了,谢谢~", "多谢!", "先谢谢啦")
CONTEXT = ("我们是一家奶茶店,老板让我做个活动方案,", "我在一家服装公司做市场,", "双十一我们想做满减,",
           "老板让我下周交个推广计划,想问下", "我们是做母婴用品的,")
FILLER = ("嗯…那个,", "就是说,", "呃,我想问下,", "那个啥,", "额…")
# Input-method slips, most common first; the first that applies is used.
TYPOS = (("优惠券", "优惠卷"), ("哪些", "那些"), ("竞品", "竟品"), ("策划", "策化"), ("赠品", "增品"),
         ("布置", "部置"), ("反馈", "返馈"), ("怎么", "怎莫"), ("什么", "什莫"),
         ("渠道", "渠到"), ("一般", "一班"), ("促销", "促消"), ("营销", "营消"), ("活动", "活东"))
ENGLISH_POLITE = " Thanks!"
ENGLISH_CONTEXT = "We run a small bubble-tea shop and my boss asked me to plan a campaign. "
ENGLISH_FILLER = "Um, so, "

# Frozen on 2026-11-29 before their first measurement; only ever measured (see the module docstring).
FRESH_POLITE = ("谢谢大佬!", "感谢感谢", "拜托了🙏", "谢啦~", "求解答,谢谢", "辛苦啦")
FRESH_CONTEXT = ("我们门店下个月办周年庆,", "我是刚入职的运营,领导让我负责618,", "我们品牌主要做线下连锁烘焙,",
                 "公司预算不多,大概五万块,", "客户是做小家电的,下周要提案,", "我们在商场里开了个快闪店,")
FRESH_CONTEXT_HANT = ("我們門市下個月辦週年慶,", "小弟剛入職做行銷,主管叫我負責聖誕檔期,", "我們是做連鎖烘焙的,",
                      "公司預算不多,大概五萬台幣,", "客戶是做小家電的,下禮拜要提案,", "我哋喺商場開咗個pop-up store,")
FRESH_FILLER = ("emmm,", "请教一下,", "问个问题哈,", "哈喽,", "就想问问,", "急!")
# Same-sound input-method slips, none of them in TYPOS.
FRESH_TYPOS = (("推广", "推光"), ("目标", "目表"), ("渠道", "渠导"), ("折扣", "折口"), ("会员", "会圆"),
               ("门店", "门垫"), ("效果", "效过"), ("客户", "客护"), ("满减", "满剪"), ("时间", "时见"),
               ("预算", "预箅"), ("方案", "方按"), ("宣传", "宣船"), ("执行", "执型"))
FRESH_ENGLISH_POLITE = " thanks in advance"
FRESH_ENGLISH_CONTEXT = "I'm planning a Double 11 sale for our online store and I'm new to this. "
FRESH_ENGLISH_FILLER = "Quick question - "


def _script(text: str, traditional: bool) -> str:
    return to_traditional(text) if traditional else text


def typo(question: str, slips: tuple[tuple[str, str], ...] = TYPOS) -> str:
    """``question`` with the first of ``slips`` that applies (itself when none does)."""
    for right, wrong in slips:
        for r, w in ((right, wrong), (to_traditional(right), to_traditional(wrong))):
            if r in question:
                return question.replace(r, w, 1)
    return question


def variants(item: EvalItem, index: int) -> dict[str, EvalItem]:
    """The ``polite``, ``context``, ``filler`` and ``typo`` forms of ``item`` (same labels)."""
    question = item.question.strip()
    script = detect_script(question)
    out: dict[str, str]
    if script == "en":
        out = {"polite": question + ENGLISH_POLITE, "context": ENGLISH_CONTEXT + question,
               "filler": ENGLISH_FILLER + question[0].lower() + question[1:], "typo": question}
    else:
        traditional = script == "zh-Hant"
        out = {
            "polite": question + _script(POLITE[index % len(POLITE)], traditional),
            "context": _script(CONTEXT[index % len(CONTEXT)], traditional) + question,
            "filler": _script(FILLER[index % len(FILLER)], traditional) + question,
            "typo": typo(question),
        }
    return {kind: item.model_copy(update={"id": f"{item.id}-{kind}", "question": text})
            for kind, text in out.items()}


def fresh_variants(item: EvalItem, index: int) -> dict[str, EvalItem]:
    """The ``polite``, ``context``, ``filler`` and ``typo`` forms of ``item`` in the fresh phrasings (same
    labels); Traditional questions get Taiwan and Hong Kong context wording, not converted Simplified."""
    question = item.question.strip()
    script = detect_script(question)
    out: dict[str, str]
    if script == "en":
        out = {"polite": question + FRESH_ENGLISH_POLITE, "context": FRESH_ENGLISH_CONTEXT + question,
               "filler": FRESH_ENGLISH_FILLER + question[0].lower() + question[1:], "typo": question}
    else:
        traditional = script == "zh-Hant"
        context = FRESH_CONTEXT_HANT if traditional else FRESH_CONTEXT
        out = {
            "polite": question + _script(FRESH_POLITE[index % len(FRESH_POLITE)], traditional),
            "context": context[index % len(context)] + question,
            "filler": _script(FRESH_FILLER[index % len(FRESH_FILLER)], traditional) + question,
            "typo": typo(question, FRESH_TYPOS),
        }
    return {kind: item.model_copy(update={"id": f"{item.id}-fresh-{kind}", "question": text})
            for kind, text in out.items()}
