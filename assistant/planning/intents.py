"""Whether a message asks for a plan or asks a question: the one rule every channel uses."""

from __future__ import annotations

import re

from assistant.briefs.entities import WHO_ASKS
from assistant.briefs.festivals import festivals_in
from assistant.briefs.request import find_budget, find_mechanics
from assistant.briefs.slips import without_slips
from core.text.amounts import normalize_number_text
from core.text.dates import find_dates
from core.text.scripts import as_mandarin, to_simplified

_PLAN_NOUN = re.compile(r"方案|策划案|策劃案|企划|企劃|计划书|計劃書|策划书|策劃書|(?<=[个個份])\s*(?:计划|計劃)|"
                        r"\bplans?\b|\bproposal\b", re.I)  # 计划 is a noun after a measure word (整個計劃)
_PLAN_VERB = re.compile(
    r"做|写|寫|出一份|出个|出個|起草|拟|擬|制定|製定|设计|設計|规划|規劃|生成|策划|策劃|搞|办|辦|出|"
    r"(?<!把)整(?=[个個份])|排(?=[个個份一])|"  # 「排個企劃」「排一下」: draw one up  # Hong Kong's 「整個計劃」: make one (not Mandarin's 把整个… "the whole")
    r"\b(?:draft|write|make|create|prepare|build|generate|put together|do|run|hold|push|launch)\b",
    re.I,
)
_EXPLICIT_ASK = re.compile(
    r"帮我|幫我|请帮|請幫|给我|給我|替我|麻烦|麻煩|帮我们|幫我們|你帮|你幫|(?:帮忙|幫忙)(?=\s*(?:做|写|寫|出|排|规划|規劃|策划|策劃|整|弄|搞|拟|擬|制定|製定|设计|設計))|想给|想給|想做|想搞|想要|需要|"
    r"想(?:在|趁|为|為|给|給)?[^,，。;；!！?？]{1,12}?(?:做|搞|办|辦)|"  # 「想在聖誕節做檔期活動」「想聖誕搞個推廣」
    r"(?:帮手|幫手)\s*(?=[做搞整写寫出]|规划|規劃)|"  # Hong Kong's 幫手 + a verb: help to (Mandarin's 帮手 is a helper)
    rf"{WHO_ASKS.pattern}|"  # 「老闆叫我規劃一下…」
    r"\b(?:please|can you|could you|help me|i need|we need|i want|we want|want to|would like to|i'd like|we'd like|"
    r"looking for|planning to|planning an?|thinking of|thinking about|considering)\b", re.I
)
# With an explicit ask, a campaign is as good as a plan: 「帮我策划一个春节年货节活动」, 「想做個開業優惠推廣」.
_CAMPAIGN_NOUN = re.compile(r"活动|活動|促销|促銷|大促|推广|推廣|\b(?:campaign|promotion|promo|sale|event)s?\b", re.I)
# A message that ends as a question (？, 吗, 呢) asks it, whatever campaign it tells of first (「老闆叫我做個檔期活動,
# 抽獎…的稅我們要先幫忙扣嗎？」), unless the question is the ask itself (「帮我搞个圣诞活动好吗?」, "can you…?").
_ENDS_ASKING = re.compile(r"(?:[?？]|[吗嗎呢][?？。.!！]?)\s*(?:谢谢|謝謝|唔该|唔該|thanks|thank you)?[。.!！~～]*\s*$", re.I)
_ASKS_FOR_IT = re.compile(r"好吗|好嗎|可以吗|可以嗎|行吗|行嗎|能不能|可不可以|可唔可以|得唔得|得不得|能帮|能幫|可以帮|可以幫|"
                          r"\b(?:can|could|would|will) (?:you|u)\b|\bplease\b|\bpls\b|\bplz\b", re.I)
_QUESTION_WORD = re.compile(
    r"怎么|怎麼|怎样|怎樣|如何|什么|什麼|啥|咋|为什么|為什麼|哪些|哪个|哪個|是否|吗|嗎|呢|[?？]|"
    r"\b(?:how|what|why|which|when|should|does|is)\b",
    re.I,
)
_ASKS = re.compile(
    r"怎么|怎麼|怎样|怎樣|如何|什么|什麼|啥|咋|为什么|為什麼|哪些|哪个|哪個|是否|吗|嗎|呢|[?？]|"
    r"(?:^|[.!,;]\s*)(?:how|what|why|which|when|where|who|should|does|do|is|are|can|could|would|will)\b",
    re.I,
)
# 「你帮我看看怎么弄」: a how with nothing to ask about but the doing itself asks for the campaign to be planned.
_HOW_WHOLE = re.compile(r"(?:怎么|怎样|如何|咋)\s*(?:弄|搞|做|办|整|安排|规划|策划|操作)\s*(?:好|才好|比较好|合适|呢|吧|啊)?"
                        r"\s*[?？。.!！~～]*\s*$")
_HOW = re.compile(r"怎么|怎麼|怎样|怎樣|如何|什么|什麼|啥|咋|为什么|為什麼|哪些|哪个|哪個|有没有|有沒有|要注意|"
                  r"\b(?:how|what|why|which)\b", re.I)


# "Need a plan for …", "Need a Christmas campaign for …" (no subject, no verb of making): asking for one is enough.
# The noun is what is needed ("a plan for our beans"), not a word before it ("a special event liquor license").
_NEED_ONE = re.compile(r"(?:^|[.!,;]\s*|\b(?:i|we)\s+)(?:need|looking for)\s+(?:a|an|some)\s+(?:[\w'-]+\s+){0,4}?"
                       r"(?:plans?|proposals?|campaigns?|promotions?|promos?|sales?|events?)"
                       r"(?=\s+(?:for|to|on|in|at|around|this|next|before|during)\b|\s*[,.!;]|\s*$)", re.I)


def wants_plan(text: str) -> bool:
    """True when the message asks Cehua to draft a plan rather than answer a question.

    A plan noun plus a making verb is a request ("帮我做个中秋促销方案", "draft a plan for ...");
    a question about plans ("促销方案应该包括哪些部分？", "how do I write a plan?") is not,
    unless it is an explicit ask ("帮我写个方案好吗？", "can you draft a plan?").
    """
    text = as_mandarin(without_slips(text))  # 「有咩建議」 asks as 「有啥建议」 does; 「方按」 is 方案
    text = _HOW_WHOLE.sub("做", to_simplified(text))
    if _PLAN_NOUN.search(text) and _EXPLICIT_ASK.search(text) and not _HOW.search(text):
        return True  # 「我需要一个方案」, "I need a plan for …": asking for one is enough
    if _NEED_ONE.search(text) and not _HOW.search(text) and not (_ENDS_ASKING.search(text) and not _ASKS_FOR_IT.search(text)):
        return True
    if not _PLAN_VERB.search(text):
        return False
    if not _PLAN_NOUN.search(text):
        # A campaign, or an occasion to run one for (「圣诞节想搞点什么」, "something for Christmas").
        # An offer mechanic (買二送一, BOGO) said with the money or the dates is one too: it tells a campaign.
        campaign = _CAMPAIGN_NOUN.search(text) or festivals_in(to_simplified(text)) or _tells_an_offer(text)
        asked = _ENDS_ASKING.search(text) and not _ASKS_FOR_IT.search(text)
        return bool(campaign and _EXPLICIT_ASK.search(text) and not _HOW.search(text) and not asked)
    # 「领导要我们出个618方案,一般包括哪些部分?」 asks how: answered, then offered a draft (wants_campaign_advice).
    return bool(_EXPLICIT_ASK.search(text)) and not _HOW.search(text) or not _QUESTION_WORD.search(text)


def _tells_an_offer(text: str) -> bool:
    """True when ``text`` names an offer mechanic and the campaign's budget or dates (「買二送一，預算八萬台幣」)."""
    s = normalize_number_text(text)
    if not find_mechanics(s):
        return False
    return find_budget(s) is not None or bool(find_dates(s, default_year=2000))  # any year: only whether one is said


def wants_campaign_advice(text: str) -> bool:
    """True when the planner wants a campaign and asks how to go about it (「圣诞节想搞个活动,有什么建议吗」,
    「我们想在双十一做满减活动,门槛一般怎么定?」, "we're thinking of running a Christmas promo, any tips
    on what works?"): a question for the guidebooks, and a plan Cehua may offer to draft."""
    text = as_mandarin(text)  # 「有咩建議」 asks as 「有啥建议」 does
    if wants_plan(text) or not _HOW.search(text) or not _EXPLICIT_ASK.search(text):
        return False
    return bool(_PLAN_NOUN.search(text) or _CAMPAIGN_NOUN.search(text) or festivals_in(to_simplified(text)))


_EXPORT = re.compile(r"导出|導出|匯出|下载|下載|存成|保存成|保存为|转成|轉成|\bexport\b|\bdownload\b|\bsave (?:it )?as\b", re.I)
# The plan asked for as a file without an export verb ("Can I get it as a Word file?", 「給我一份Word檔」).
_AS_FILE = re.compile(r"\b(?:word|markdown|md|json|docx)\s*(?:file|doc|document|version|copy)\b|\bas an? (?:word|markdown|json)\b|"
                      r"\bdocx\b|(?:word|markdown|json|docx)\s*(?:文件|文档|文檔|档|檔|版|格式)", re.I)
_EXPORT_FORMATS = (("docx", re.compile(r"word|docx|\bdoc\b|文档|文檔|文件", re.I)),
                   ("md", re.compile(r"markdown|\bmd\b", re.I)), ("json", re.compile(r"json", re.I)))


def export_format(text: str) -> str | None:
    """The file format a message asks the plan in (「导出word」 → docx, "download as markdown" → md;
    Word when it names none), or None when it asks for no export (「怎么导出数据?」 asks how)."""
    text = as_mandarin(text)  # 「有咩建議」 asks as 「有啥建议」 does
    if not (_EXPORT.search(text) or _AS_FILE.search(text)) or _HOW.search(text):
        return None
    return next((fmt for fmt, pattern in _EXPORT_FORMATS if pattern.search(text)), "docx")


def asks_anything(text: str) -> bool:
    """True when the message asks something: a question mark, a Chinese question word or particle
    (怎么, 哪些, 吗, 呢), or an English sentence that opens as a question ("how long…", "is it…");
    "budget is around 20k" states."""
    text = as_mandarin(text)  # 「有咩建議」 asks as 「有啥建议」 does
    return bool(_ASKS.search(text))


def asks_how(text: str) -> bool:
    """True when the message asks how/what/why (a question for the guidebooks, never an edit)."""
    text = as_mandarin(text)  # 「有咩建議」 asks as 「有啥建议」 does
    return bool(_HOW.search(text))


__all__ = ["asks_anything", "asks_how", "export_format", "wants_campaign_advice", "wants_plan"]
