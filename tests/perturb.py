"""Questions as planners type them in a chat: the robustness variants of an evaluation question.

Every question gets four variants — a politeness suffix, a business-context prefix, a spoken
filler and a common typo — written in the question's own script. The variants rotate through
several phrasings (chosen by the question's position, so a run is reproducible), and the typos
are the input-method slips planners make (优惠卷, 那些 for 哪些, 竟品, 策化).
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


def _script(text: str, traditional: bool) -> str:
    return to_traditional(text) if traditional else text


def typo(question: str) -> str:
    """``question`` with the first common input-method slip that applies (itself when none does)."""
    for right, wrong in TYPOS:
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
