"""Questions as planners type them: validated, classified and reduced to the terms that matter."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from core.errors import QuestionError
from core.text import cantonese, segment
from core.text.question import Analysis, analyse
from core.text.scripts import to_simplified
from knowledge.synonyms import alternatives

# Words that carry the shape of a question, not its topic, that the question analyser
# (``core.text.question``) does not already set aside as grammar, question words, modals, pronouns or
# courtesy: general adverbs and light verbs (一般, 具体, 进行, 做), and English function words.
_STOPWORDS = frozenset(
    """
    是 有 让 到 且 还有 问 请 一般 具体 主要 一下 一些 做 进行 开展 之前 之后 时 意思 指 方面
    what how which why when who is are the a an of to in for and or do does can should with on about
    """.split()
)
_LIST_CUES = ("有哪些", "哪几种", "哪几个", "哪些方面", "哪几类", "哪些类型", "包括哪些", "包含哪些", "有几种",
              "几种", "哪些", "列举", "有什么方法", "有什么手段", "思路")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_ALLOWED_CONTROL = {"\n", "\t", "\r"}


def validate_question(question: object, max_chars: int) -> str:
    """The question stripped of surrounding whitespace; QuestionError says what is wrong with it."""
    if not isinstance(question, str):
        raise QuestionError("question: must be text, e.g. 「预算一般包括哪些费用?」")
    text = question.strip()
    if not text:
        raise QuestionError("question is empty: type a question, e.g. 「预算一般包括哪些费用?」")
    if len(text) > max_chars:
        raise QuestionError(
            f"question is {len(text)} characters, over the limit of {max_chars}; "
            "ask a shorter question (CEHUA_MAX_QUESTION_CHARS sets the limit)"
        )
    bad = next((c for c in text if unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROL), None)
    if bad is not None:
        raise QuestionError(
            f"question contains the control character U+{ord(bad):04X}; remove it and ask again"
        )
    return text


def is_list_question(question: str) -> bool:
    """True for questions that ask for an enumeration (「有哪些」「哪几种」「哪些方面」)."""
    simplified = to_simplified(question)
    return any(cue in simplified for cue in _LIST_CUES)


# Question words that ask for a way to do something (steps, measures, what to do): 「怎么防」「如何调整」「第一步要干嘛」.
_HOW_CUES = ("怎么", "怎样", "如何", "咋", "干嘛", "干什么", "做什么", "点样", "方法", "办法", "措施", "步骤", "做法")
_ENGLISH_HOW = re.compile(r"\bhow (?:do|does|can|could|should|to|would|will|are|is)\b|\bwhat should\b|\bsteps?\b|"
                          r"\bways?\b|\bmeasures?\b", re.IGNORECASE)


def asks_how(question: str) -> bool:
    """True for questions that ask for a way to do something (「怎么拓展」「如何应对」「要干嘛」, "how should we"),
    whose answer is often the steps or measures a guidebook lists, not the sentence that names the topic."""
    if _ENGLISH_HOW.search(question):
        return True
    simplified = to_simplified(question)
    return any(cue in simplified for cue in _HOW_CUES)


# The quantities a question can ask for, each with how the question asks (Chinese, Cantonese, English) and how a
# guidebook writes one: 「客服多久要回复」 is answered by 「1小时内响应」, 「要多少人手」 by 「现场导购8名」. Frequency comes
# before duration: 「多久看一次」 asks how often.
_NUMBER = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千半几数]+)"
_MEASURES: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    ("frequency", re.compile(r"多久[^,，。?？]{0,6}一次|多频繁|频率|几次|how often", re.IGNORECASE),
     re.compile(rf"每{_NUMBER}?(?:个)?(?:小时|天|日|周|星期|月|季度|年)|{_NUMBER}次|定期")),
    ("duration", re.compile(r"多久|多长时间|多少时间|多长|多少天|几天|几周|几个月|提前多少|"
                            r"how (?:long|early|soon|quickly|far in advance)", re.IGNORECASE),
     re.compile(rf"{_NUMBER}\s*(?:个)?(?:小时|分钟|天|日|周|星期|月|季度|年|工作日)")),
    ("people", re.compile(r"多少人|几个人|几人|人手|多少名|几名|how many (?:people|staff|employees)", re.IGNORECASE),
     re.compile(rf"{_NUMBER}\s*(?:名|位|人)")),
    ("money", re.compile(r"多少钱|花多少|多少预算|预算多少|费用多少|价格多少|how much", re.IGNORECASE),
     re.compile(rf"{_NUMBER}\s*(?:元|万|块|千元)|[¥￥$]\s*\d")),
    ("share", re.compile(r"比例|占比|百分之|多少折|几折|打几|percentage|what share", re.IGNORECASE),
     re.compile(rf"\d+(?:\.\d+)?\s*[%％]|百分之|{_NUMBER}折")),
)


def asked_measure(question: str) -> str:
    """The kind of quantity ``question`` asks for (frequency, duration, people, money, share), or ''."""
    simplified = to_simplified(question)
    return next((kind for kind, asks, _ in _MEASURES if asks.search(simplified)), "")


def holds_measure(text: str, kind: str) -> bool:
    """True when ``text`` (Simplified) states a quantity of ``kind`` (see ``asked_measure``)."""
    return any(name == kind and written.search(text) is not None for name, _, written in _MEASURES)


# 「什么是联合促销」「联合促销是什么意思」「X是指什么」 "what is bundle pricing", "what does X mean": the definition answers,
# not the lists around it.
_DEFINES = re.compile(r"什么是|是什么[?？!！。~\s]*$|是什么意思|什么意思|啥意思|指什么|是指|是啥|定义|含义|意思是|係咩|是什么东西|"
                      r"\bwhat (?:is|are|'s)\b(?! the (?:best|steps|ways))|\bwhat does .+ mean|\bmeaning\b|\bdefin",
                      re.IGNORECASE)


def asks_definition(question: str) -> bool:
    """True for a question that asks what something is or means."""
    return _DEFINES.search(to_simplified(question)) is not None


def _analysed(question: str) -> Analysis:
    """``question`` analysed in Simplified, written Cantonese read as Hong Kong speech uses its words, as search
    reads it (「出之前使唔使試賣下先」: 唔使 is grammar, no topic word the quote must hold)."""
    simplified = to_simplified(question)
    return analyse(simplified.lower(), cantonese.is_written(simplified))


def asking_part(question: str) -> str:
    """What ``question`` asks, in Simplified: its asking clause(s) without the asker's situation
    (「我们是一家奶茶店,」), thanks or fillers — the same clauses search retrieves for."""
    return _analysed(question).asked


@lru_cache(maxsize=2048)
def question_terms(question: str) -> tuple[str, ...]:
    """The topic words of what ``question`` asks (see ``asking_part``) in Simplified, in order,
    without question words, grammar, courtesy or punctuation."""
    analysis = _analysed(question)
    asked = {i for i, c in enumerate(analysis.clauses)
             if (not c.courtesy if analysis.guessed else c.asks or i in analysis.leans)}
    terms: list[str] = []
    for word in analysis.words:
        if (word.clause in asked and word.role in ("topic", "context") and word.text not in _STOPWORDS
                and not _PUNCT.fullmatch(word.text) and word.text not in terms):
            terms.append(word.text)
    return tuple(terms)


@lru_cache(maxsize=2048)
def background_terms(question: str) -> tuple[str, ...]:
    """The words of the asker's situation in ``question`` (Simplified, in order): the topic and name words of the
    clauses that neither ask nor are pointed back at by one (「我们是奶茶店，双十一想做满减，」 of 「…，优惠券促销要
    注意什么？」: their shop, occasion, product), none of which the asking clause says itself. Empty when no clause
    asks in so many words (then every clause is taken as asked)."""
    analysis = _analysed(question)
    if analysis.guessed:
        return ()
    asked = set(question_terms(question))
    background = {i for i, c in enumerate(analysis.clauses) if not (c.asks or c.courtesy or i in analysis.leans)}
    terms: list[str] = []
    for word in analysis.words:
        if (word.clause in background and word.role in ("topic", "context") and word.text not in _STOPWORDS
                and not _PUNCT.fullmatch(word.text) and word.text not in asked and word.text not in terms):
            terms.append(word.text)
    return tuple(terms)


# What a question's form asks for, in the words guidebooks use for it (「多久一次」 → 频率).
_INTENT_WORDS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("多久", "多长时间", "多少时间", "一次", "多长"), ("频率", "周期", "时间", "提前", "小时", "每天")),
    (("好处", "作用", "意义", "优势", "优点", "价值"), ("好处", "作用", "意义", "优势", "有利于", "实现", "提高", "提升")),
    (("怎么办", "应对", "如何处理", "怎么处理"), ("应对", "措施", "调整", "处理")),
    (("什么意思", "是什么", "指什么", "定义", "含义"), ("是指", "就是", "即")),
    (("多少钱", "费用", "成本", "花费"), ("费用", "成本", "预算")),
    (("为什么", "原因"), ("原因", "因为", "由于", "目的")),
    (("原则", "遵循"), ("原则", "遵循")),
    (("步骤", "流程", "怎么做", "如何做"), ("步骤", "流程", "首先", "阶段")),
)


_ASKED_FOR = re.compile(r"(?:什么|哪些|哪种|哪几种|哪几个|哪类|哪几类|哪个)([\u4e00-\u9fff]{2,4})")
_ASKED_BEFORE = re.compile(r"([\u4e00-\u9fff]{2})(?:是什么(?!意思)|是哪些|有哪些|包括哪些|是怎样|怎么定|如何定)")
# Question words that name the kind of answer themselves.
_KIND_WORDS = (
    (("在哪里", "在哪儿", "什么地方", "哪里", "地点"), "地点"),
    (("什么时候", "何时", "哪天", "几号"), "时间"),
    (("多少钱", "花多少", "多少预算", "费用多少"), "预算"),
    (("哪些人", "什么人", "谁来", "人员"), "人员"),
)


def asked_for(question: str) -> str:
    """The kind of thing the question wants back: 「用什么主题」 → 「主题」, 「有哪些手段」 → 「手段」,
    「目的是什么」 → 「目的」, 「在哪里举办」 → 「地点」."""
    simplified = to_simplified(question)
    for cues, kind in _KIND_WORDS:
        if any(cue in simplified for cue in cues):
            return kind
    match = _ASKED_FOR.search(simplified)
    if match:
        words = segment.cut(match.group(1))
        word = words[0] if words else ""
        if len(word) >= 2 and word not in _STOPWORDS:
            return word
    before = _ASKED_BEFORE.search(simplified)
    if before and before.group(1) not in _STOPWORDS:
        return before.group(1)
    return ""


# A one-character verb right after the question word that asks how: what is to be done (「怎么防」「如何选」);
# not a light verb that only stands for deciding or doing (「主题怎么定」 asks for the theme).
_ACTION = re.compile(r"(?:怎么|怎样|如何|咋|点样)(?:才能|去|来)?([^\W\d_定做办弄搞])(?:[?？!！,，。~\s]|$)")


def expanded_terms(question: str) -> list[tuple[str, float, str]]:
    """Topic words (weight 1, single characters 0.3) and the words the question's form implies (0.5),
    each with the group it stands in: a topic word and the guidebooks' words for it are one group, the
    words one form implies another (an answer says 「频率」 or 「每天」, not both, for 「多久」)."""
    simplified = asking_part(question)
    action = _ACTION.search(simplified)
    acted = action.group(1) if action else ""
    # A single character weighs little (「店」「季」), but the action asked about (「技术风险怎么防」) is the point.
    result = [(t, 1.0 if len(t) > 1 or t == acted else 0.3, t) for t in question_terms(question)]
    seen = {t for t, _, _ in result}
    for term in [t for t, _, _ in result]:
        # The guidebooks' words for the planner's (分群 → 细分, 传统媒体 → 电视, 广播…) count nearly as much.
        for word in alternatives(term)[1:]:
            if word not in seen:
                seen.add(word)
                result.append((word, 0.8, term))
    for cues, words in _INTENT_WORDS:
        if any(cue in simplified for cue in cues):
            for word in words:
                if word not in seen:
                    seen.add(word)
                    result.append((word, 0.5, "·".join(cues)))
    return result


def bigrams(text: str) -> set[str]:
    """Character bigrams of ``text`` without punctuation or spaces (a segmentation-free overlap measure)."""
    chars = _PUNCT.sub("", text)
    return {chars[i:i + 2] for i in range(len(chars) - 1)}
