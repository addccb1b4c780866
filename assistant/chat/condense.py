"""Follow-up questions made standalone before retrieval: 「那风险呢?」 after a budget question.

With a model, the condense prompt rewrites the question from the conversation. Offline, an
elliptical question (short, starting with 那/还有, ending in 呢, or leaning on 它/这个) borrows
the topic of the previous standalone question: 「活动预算一般包括哪些费用?」 + 「那风险呢?」 →
「活动风险一般包括哪些?」-like questions built from the previous topic and the new focus.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.chat.question import _jieba, bigrams, is_list_question, question_terms
from assistant.errors import ModelError
from assistant.llm.base import ChatModel, complete
from assistant.store.conversations import Turn
from knowledge.scripts import ScriptName, detect_script, to_script, to_simplified
from prompts import render

_LEADING = re.compile(r"^(?:那么|那|还有|另外|此外|然后|再问一下|再问|再说说|说说|and|what about|how about)\s*[,，、]?\s*",
                      re.I)
_TRAILING = re.compile(r"(?:呢|吗|呀|啊|怎么样|怎样|如何|又如何|又怎么样|怎么办)?\s*[?？!！。.]*\s*$")
_PRONOUNS = ("它", "它们", "这个", "那个", "这些", "那些", "其", "这方面", "那方面", "上述", "前面")
_MORE = re.compile(r"^(?:还有|还有吗|还有呢|还有别的|其他呢|别的呢|more|anything else)\W*$", re.I)
_MAX_FOLLOW_UP_CHARS = 12
# Models sometimes label their rewrite: 「独立问题：…」, "Standalone question: …".
_LABEL = re.compile(r"^\s*(?:standalone question|question|独立问题|獨立問題|改写后的问题|改寫後的問題|问题|問題)\s*[:：]\s*",
                    re.I)


def asks_for_more(question: str) -> bool:
    """True for 「还有呢?」-style follow-ups: the same question, wanting what was not shown yet."""
    return bool(_MORE.match(to_simplified(question).strip()))


def is_follow_up(question: str) -> bool:
    """True when ``question`` leans on the conversation (elliptical or pronoun-led)."""
    simplified = to_simplified(question).strip()
    if _MORE.match(simplified):
        return True
    short = len(simplified) <= _MAX_FOLLOW_UP_CHARS
    if short and (_LEADING.match(simplified) or re.search(r"呢\s*[?？]?\s*$", simplified)):
        return True
    return len(simplified) <= 2 * _MAX_FOLLOW_UP_CHARS and simplified.startswith(_PRONOUNS)


def _topic(standalone: str) -> str:
    """The leading run of topic words of a question: 「价格促销具体有哪些手段」 → 「价格促销」."""
    terms = set(question_terms(standalone))
    run: list[str] = []
    for word in _jieba().lcut(to_simplified(standalone)):
        if word in terms and len(run) < 3:
            run.append(word)
        elif run:
            break
    return "".join(run)


def _topic_context(standalone: str) -> str:
    """The topic without its last word: 「活动预算」 → 「活动」, 「预算」 → 「」."""
    terms = set(question_terms(standalone))
    run: list[str] = []
    for word in _jieba().lcut(to_simplified(standalone)):
        if word in terms and len(run) < 3:
            run.append(word)
        elif run:
            break
    return "".join(run[:-1])


def condense_offline(question: str, history: Sequence[Turn]) -> str:
    """``question`` as a standalone question, using the last turn's topic for elliptical follow-ups."""
    if not history or not is_follow_up(question):
        return question
    previous = to_simplified(history[-1].standalone_question)
    script: ScriptName = detect_script(question)
    simplified = to_simplified(question).strip()
    if _MORE.match(simplified):
        return to_script(previous, script)
    topic = _topic(previous)
    for pronoun in sorted(_PRONOUNS, key=len, reverse=True):
        if simplified.startswith(pronoun):
            rest = simplified[len(pronoun):]
            subject = topic or previous.rstrip("?？")
            return to_script(f"{subject}{rest if rest.startswith('的') else '的' + rest}", script)
    focus = _TRAILING.sub("", _LEADING.sub("", simplified)).strip()
    if not focus:
        return to_script(previous, script)
    frame = "有哪些?" if is_list_question(previous) else "?"
    if topic and bigrams(topic) & bigrams(focus):
        # Same kind of thing as before (价格促销 → 赠品促销): ask the previous question about it.
        combined = previous.replace(topic, focus, 1)
    elif topic:
        # The new focus replaces the last topic word (预算 → 风险); earlier words stay as context.
        combined = f"{_topic_context(previous)}{focus}{frame}"
    else:
        combined = f"{focus} {previous}"
    return to_script(combined, script)


def condense_with_model(model: ChatModel, question: str, history: Sequence[Turn], script: ScriptName) -> str:
    """The model's standalone rewrite of ``question``; the offline rewrite when the model fails."""
    if not history:
        return question
    prompt = render("condense", question=question, history=list(history)[-4:], language=language_name(script))
    try:
        rewritten = complete(model, [{"role": "user", "content": prompt}]).strip()
    except ModelError:
        return condense_offline(question, history)
    rewritten = rewritten.splitlines()[0].strip() if rewritten else ""
    rewritten = _LABEL.sub("", rewritten).strip().strip("「」“”\"'")
    if not rewritten or len(rewritten) > 4 * max(len(question), 40):
        return condense_offline(question, history)
    return rewritten


def language_name(script: ScriptName) -> str:
    """How prompts name the asker's language and script."""
    return {"zh-Hans": "Simplified Chinese (简体中文)", "zh-Hant": "Traditional Chinese (繁體中文)",
            "en": "English"}[script]
