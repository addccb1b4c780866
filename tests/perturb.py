"""Questions as planners type them in a chat: the robustness variants of an evaluation question.

Every question gets four variants — a politeness suffix, a business-context prefix, a spoken
filler and a common typo — written in the question's own script. The variants rotate through
several phrasings (chosen by the question's position, so a run is reproducible), and the typos
are the input-method slips planners make (优惠卷, 那些 for 哪些, 竟品, 策化).

``fresh_variants`` makes the same four kinds in the ``FRESH`` wrappings, phrasings and slips that no fit
ever sees (the relevance, ranking and quote fits train on ``variants`` in the ``FITTED`` ones): ``bench_answers.py``'s ``robust-fresh`` set
asks them, so robustness is also measured on wording the models were not fitted to. Never train on them.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.text.scripts import detect_script, to_traditional
from knowledge.evaluate import EvalItem


@dataclass(frozen=True)
class Wrappings:
    """The phrasings one set of variants rotates through (``context_hant``: Traditional prefixes written
    as Taiwan and Hong Kong planners write them; empty: the Simplified ones converted)."""

    polite: tuple[str, ...]
    context: tuple[str, ...]
    filler: tuple[str, ...]
    typos: tuple[tuple[str, str], ...]  # input-method slips, most common first; the first that applies is used
    english_polite: str
    english_context: str
    english_filler: str
    context_hant: tuple[str, ...] = ()
    tag: str = ""  # put in each variant's id


FITTED = Wrappings(
    polite=("谢谢!", "谢谢", "麻烦了,谢谢~", "多谢!", "先谢谢啦"),
    context=("我们是一家奶茶店,老板让我做个活动方案,", "我在一家服装公司做市场,", "双十一我们想做满减,",
             "老板让我下周交个推广计划,想问下", "我们是做母婴用品的,"),
    filler=("嗯…那个,", "就是说,", "呃,我想问下,", "那个啥,", "额…"),
    typos=(("优惠券", "优惠卷"), ("哪些", "那些"), ("竞品", "竟品"), ("策划", "策化"), ("赠品", "增品"),
           ("布置", "部置"), ("反馈", "返馈"), ("怎么", "怎莫"), ("什么", "什莫"),
           ("渠道", "渠到"), ("一般", "一班"), ("促销", "促消"), ("营销", "营消"), ("活动", "活东")),
    english_polite=" Thanks!",
    english_context="We run a small bubble-tea shop and my boss asked me to plan a campaign. ",
    english_filler="Um, so, ",
)
# Frozen on 2026-11-29 before their first measurement; only ever measured (see the module docstring).
FRESH = Wrappings(
    polite=("谢谢大佬!", "感谢感谢", "拜托了🙏", "谢啦~", "求解答,谢谢", "辛苦啦"),
    context=("我们门店下个月办周年庆,", "我是刚入职的运营,领导让我负责618,", "我们品牌主要做线下连锁烘焙,",
             "公司预算不多,大概五万块,", "客户是做小家电的,下周要提案,", "我们在商场里开了个快闪店,"),
    context_hant=("我們門市下個月辦週年慶,", "小弟剛入職做行銷,主管叫我負責聖誕檔期,", "我們是做連鎖烘焙的,",
                  "公司預算不多,大概五萬台幣,", "客戶是做小家電的,下禮拜要提案,", "我哋喺商場開咗個pop-up store,"),
    filler=("emmm,", "请教一下,", "问个问题哈,", "哈喽,", "就想问问,", "急!"),
    # Same-sound input-method slips, none of them in FITTED's.
    typos=(("推广", "推光"), ("目标", "目表"), ("渠道", "渠导"), ("折扣", "折口"), ("会员", "会圆"),
           ("门店", "门垫"), ("效果", "效过"), ("客户", "客护"), ("满减", "满剪"), ("时间", "时见"),
           ("预算", "预箅"), ("方案", "方按"), ("宣传", "宣船"), ("执行", "执型")),
    english_polite=" thanks in advance",
    english_context="I'm planning a Double 11 sale for our online store and I'm new to this. ",
    english_filler="Quick question - ",
    tag="fresh-",
)


def _script(text: str, traditional: bool) -> str:
    return to_traditional(text) if traditional else text


def typo(question: str, slips: tuple[tuple[str, str], ...] = FITTED.typos) -> str:
    """``question`` with the first of ``slips`` that applies (itself when none does)."""
    for right, wrong in slips:
        for r, w in ((right, wrong), (to_traditional(right), to_traditional(wrong))):
            if r in question:
                return question.replace(r, w, 1)
    return question


def variants(item: EvalItem, index: int, wrappings: Wrappings = FITTED) -> dict[str, EvalItem]:
    """The ``polite``, ``context``, ``filler`` and ``typo`` forms of ``item`` (same labels)."""
    w = wrappings
    question = item.question.strip()
    script = detect_script(question)
    out: dict[str, str]
    if script == "en":
        out = {"polite": question + w.english_polite, "context": w.english_context + question,
               "filler": w.english_filler + question[0].lower() + question[1:], "typo": question}
    else:
        traditional = script == "zh-Hant"
        context = (w.context_hant if traditional and w.context_hant
                   else tuple(_script(c, traditional) for c in w.context))
        out = {
            "polite": question + _script(w.polite[index % len(w.polite)], traditional),
            "context": context[index % len(context)] + question,
            "filler": _script(w.filler[index % len(w.filler)], traditional) + question,
            "typo": typo(question, w.typos),
        }
    return {kind: item.model_copy(update={"id": f"{item.id}-{w.tag}{kind}", "question": text})
            for kind, text in out.items()}


def fresh_variants(item: EvalItem, index: int) -> dict[str, EvalItem]:
    """``variants`` in the ``FRESH`` wrappings, which no fit trains on."""
    return variants(item, index, FRESH)
