"""Follow-up questions made standalone before retrieval: 「那风险呢?」 after a budget question.

With a model, the condense prompt rewrites the question from the conversation. Offline, general
rules say what a planner means by an elliptical question, from the previous standalone question
(and, for 「第二点」, the previous answer):

- a new topic replaces the old one, keeping only the campaign frame (活动/促销/营销):
  「满减优惠怎么设置?」 + 「那风险呢?」 → 「风险有哪些?」, 「活动预算…」 + 「那风险呢?」 → 「活动风险有哪些?」;
- a topic of the same kind takes the old one's place in the old question: 「价格促销具体有哪些手段?」 +
  「那赠品促销呢?」 → 「赠品促销具体有哪些手段?」, 「线上渠道有哪些?」 + 「那线下呢?」 → 「线下渠道有哪些?」;
- something asked about the old topic keeps it: 「那原则呢?」, 「它的好处是什么?」 → 「市场细分的原则…」;
- 「还有呢?」 asks the previous question again (the service leaves out passages already cited);
- drill-down keeps the topic and the item referred to: 「第二点具体怎么做?」 → 「满减比例具体怎么做?」;
- a question with a topic and a question word of its own is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.chat.question import question_terms
from assistant.llm.base import ChatModel, complete
from assistant.store.conversations import Turn
from core.errors import ModelError
from core.text import segment
from core.text.numerals import parse_ordinal
from core.text.question import analyse
from core.text.scripts import Script, to_simplified
from prompts import render

_LEADING = re.compile(r"^(?:那么|那|还有|另外|此外|然后|再问一下|再问|再说说|说说|and|what about|how about)\s*[,，、]?\s*",
                      re.I)
_TRAILING = re.compile(r"(?:呢|吗|呀|啊|怎么样|怎样|如何|又如何|又怎么样|怎么办)?\s*[?？!！。.]*\s*$")
_PRONOUNS = ("它", "它们", "这个", "那个", "这些", "那些", "其", "这方面", "那方面", "上述", "前面")
# 「还有呢?」「还有别的方法吗?」「其他的呢?」「继续」: the same question, wanting what was not shown yet.
_MORE = re.compile(r"^(?:(?:那|另外)?还有(?:没有|吗|呢|么|嘛)?|(?:还有|那|另外)?(?:别的|其他|其它|更多)的?"
                   r"[\u4e00-\u9fff]{0,3}?(?:吗|呢|么|嘛|没有)?|继续|接着说|more|anything else)\W*$", re.I)
# 「第二点」「第3条」「第一种」: an item of the previous answer.
_ORDINAL = re.compile(r"第\s*([一二两三四五六七八九十\d]{1,3})\s*(?:点|个|条|种|项|步|类|方面|阶段|部分)")
# Asking for detail about what was just said; normalized to one question form.
_DRILL = re.compile(r"(?:再|请)?(?:展开|详细|具体|仔细|多)(?:说说|讲讲|谈谈|说一下|讲一下|介绍一下|一点|一些|点)|详细介绍")
_DRILL_FORM = "具体怎么做?"
# Words a question asks about a topic, not topics themselves: 「那原则呢?」 keeps the topic.
_ATTRIBUTES = frozenset("""原则 好处 作用 意义 优势 优点 缺点 劣势 方法 步骤 流程 目的 特点 要点 注意事项 标准 类型 种类
                           措施 方式 内容 定义 含义 原因 依据 手段 形式 要求 技巧 条件 具体 怎么做 实施 操作 展开 详细 说说""".split())
# The campaign frame a new topic keeps: 「活动预算…」 + 「那风险呢?」 → 「活动风险…」.
_FRAME = ("活动", "促销", "营销")
_QUESTION_WORDS = re.compile(r"什么|哪些|哪种|哪个|哪几|怎么|怎样|如何|几种|几个|多少|多久|为什么|是否|吗|有没有")
# Words after which a pronoun needs no 的: 「它包括哪些?」 → 「口碑营销包括哪些?」.
_PRONOUN_VERBS = ("的", "包括", "包含", "有", "是", "要", "需要", "应该", "应", "怎么", "如何", "能", "可以", "适合",
                  "遵循", "主要", "具体", "一般", "通常", "在")
_MARKERS = re.compile(r"\s*\[\d+(?:\s*[-,，]\s*\d+)*\]")
_ITEM_NUMBER = re.compile(r"^(?:[-•·]\s*)?(?:[(（]\s*(\d+)\s*[)）]|(\d+)\s*[.、)）]|([一二三四五六七八九十]+)、|"
                          r"([①②③④⑤⑥⑦⑧⑨⑩]))\s*")
_MAX_FOLLOW_UP_CHARS = 12
# Models sometimes label their rewrite: 「独立问题：…」, "Standalone question: …".
_LABEL = re.compile(r"^\s*(?:standalone question|question|独立问题|獨立問題|改写后的问题|改寫後的問題|问题|問題)\s*[:：]\s*",
                    re.I)


def asks_for_more(question: str) -> bool:
    """True for 「还有呢?」-style follow-ups: the same question, wanting what was not shown yet."""
    return bool(_MORE.match(to_simplified(question).strip()))


def _own_terms(simplified: str) -> list[str]:
    """The question's topic words that are not attributes of some other topic (原则, 好处, 怎么做)."""
    return [t for t in question_terms(simplified) if len(t) > 1 and t not in _ATTRIBUTES]


def is_follow_up(question: str) -> bool:
    """True when ``question`` leans on the conversation (elliptical, pronoun-led or pointing at an item)."""
    simplified = to_simplified(question).strip()
    if _MORE.match(simplified):
        return True
    short = len(simplified) <= _MAX_FOLLOW_UP_CHARS
    if short and (_LEADING.match(simplified) or re.search(r"呢\s*[?？]?\s*$", simplified)):
        return True
    if short and (_ORDINAL.search(simplified) or _DRILL.search(simplified) or not _own_terms(simplified)):
        return True
    return len(simplified) <= 2 * _MAX_FOLLOW_UP_CHARS and simplified.startswith(_PRONOUNS)


def _topic_words(standalone: str) -> list[str]:
    """The leading run of topic words of a question: 「价格促销具体有哪些手段」 → [价格, 促销]."""
    terms = set(question_terms(standalone))
    run: list[str] = []
    for word in segment.cut(to_simplified(standalone)):
        if word in terms and len(run) < 3:
            run.append(word)
        elif run:
            break
    return run


def _topic(standalone: str) -> str:
    """The leading run of topic words of a question: 「价格促销具体有哪些手段」 → 「价格促销」."""
    return "".join(_topic_words(standalone))


def _frame(previous: str, focus: str) -> str:
    """The campaign frame words of the previous question that the new focus does not already say."""
    return "".join(sorted((w for w in _FRAME if w in previous and w not in focus), key=previous.index))


def _answer_lists(answer: str) -> list[tuple[str, list[str]]]:
    """The quoted items of an answer, grouped: each lead-in line with the bullet lines under it
    (a line with no bullets under it is a list of one), as (lead-in, items)."""
    lines = [_MARKERS.sub("", line).strip() for line in to_simplified(answer).splitlines()]
    lists: list[tuple[str, list[str]]] = []
    lead_in = ""
    for line in lines:
        if line.startswith(("-", "•")):
            if lead_in or not lists:
                lists.append((lead_in, []))
                lead_in = ""
            lists[-1][1].append(line[1:].strip())
        elif line.endswith((":", "：")) or _is_heading(line):
            lead_in = line
        elif line:
            lists.append(("", [line]))
            lead_in = ""
    return [(context, items) for context, items in lists if items]


def _is_heading(line: str) -> bool:
    """A guidebook heading shown above its list (「9.2.2售后服务流程设计」): short, no sentence punctuation."""
    return len(line) <= 20 and not re.search(r"[,，。;；:：]", line)


def _item_number(item: str) -> int | None:
    match = _ITEM_NUMBER.match(item)
    if not match:
        return None
    arabic = match.group(1) or match.group(2)
    if arabic:
        return int(arabic)
    if match.group(3):
        return parse_ordinal(match.group(3)) or 0
    return "①②③④⑤⑥⑦⑧⑨⑩".index(match.group(4)) + 1


def _item_head(item: str) -> str:
    """What an answer item is about: 「(2)满减比例:消费者购物满…」 → 「满减比例」."""
    heading, sep, rest = item.partition("：")
    if sep and _ITEM_NUMBER.match(rest):  # 「9.2.2售后服务流程设计：(1)接收…」: the heading is context
        item = rest
    body = _ITEM_NUMBER.sub("", item, count=1).strip()
    label = re.split(r"[:：]", body, maxsplit=1)[0]
    if 2 <= len(label) <= 12 and label != body:
        return label
    clause = re.split(r"[,，。;；]", body, maxsplit=1)[0]
    return clause if len(clause) <= 12 else _topic(body) or clause[:12]


def _referenced_item(n: int, turn: Turn) -> str:
    """The head of the ``n``-th item of the turn's answer, or "". Of several lists, the one sharing
    most words with the question it answered; within it, the item numbered ``n``, else the ``n``-th."""
    if not turn.grounded:
        return ""
    lists = _answer_lists(turn.answer)
    terms = question_terms(turn.standalone_question)
    ranked = sorted((group for group in lists if len(group[1]) > 1),
                    key=lambda group: -sum(t in group[0] + "".join(group[1]) for t in terms))
    for _, items in ranked[:1]:
        numbered = [item for item in items if _item_number(item) == n]
        if len(numbered) == 1:
            return _item_head(numbered[0])
        if n <= len(items):
            return _item_head(items[n - 1])
    flat = [item for _, items in lists for item in items]
    return _item_head(flat[n - 1]) if 0 < n <= len(flat) else ""


def _drill_down(simplified: str, previous: str, turn: Turn) -> str:
    """「第二点具体怎么做?」 about the item it points at; 「展开说说」 about the previous topic."""
    ordinal = _ORDINAL.search(simplified)
    rest = _ORDINAL.sub("", _LEADING.sub("", simplified)).lstrip("的")
    if _DRILL.search(rest) or not _own_terms(rest) and not _QUESTION_WORDS.search(rest):
        rest = _DRILL_FORM
    subject = _referenced_item(parse_ordinal(ordinal.group(1)) or 0, turn) if ordinal else ""
    subject = subject or _topic(previous) or previous.rstrip("?？")
    rest = _TRAILING.sub("", rest) if rest == _DRILL_FORM else rest
    return f"{subject}{rest if re.search(r'[?？]$', rest) else rest + '?'}"


def _with_pronoun_replaced(simplified: str, previous: str) -> str | None:
    """「它的原则是什么?」 → 「市场细分的原则是什么?」; None when the question does not start with a pronoun."""
    for pronoun in sorted(_PRONOUNS, key=len, reverse=True):
        if simplified.startswith(pronoun):
            rest = simplified[len(pronoun):]
            if not _TRAILING.sub("", rest):
                return previous  # 「那它呢?」: the same question
            subject = _topic(previous) or previous.rstrip("?？")
            return f"{subject}{rest if rest.startswith(_PRONOUN_VERBS) else '的' + rest}"
    return None


def _same_kind(focus: str, topic_words: list[str], previous: str) -> str | None:
    """The previous question about ``focus`` when it is a thing of the same kind as the old topic:
    the same head word (价格促销 → 赠品促销) or a counterpart of one of its words (线上 → 线下)."""
    if not topic_words:
        return None
    topic = "".join(topic_words)
    focus_words = segment.cut(focus)
    if len(topic_words) > 1 and len(focus_words) > 1 and focus_words[-1] == topic_words[-1]:
        return previous.replace(topic, focus, 1)
    if len(focus_words) == 1 and len(focus) == 2:
        for word in topic_words[:-1]:  # 前期 → 后期 is a new topic: 「…准备」 belonged to 前期
            if len(word) == 2 and word != focus and (word[0] == focus[0] or word[1] == focus[1]):
                return previous.replace(word, focus, 1)
    return None


def condense_offline(question: str, history: Sequence[Turn]) -> str:
    """``question`` as a standalone question in Simplified, read against the last turn for elliptical
    follow-ups (the chat service shows it in the asker's script). Only what it asks is read so
    (「那风险呢?谢谢」 is 「那风险呢」); the asker's situation (「我们是奶茶店,那风险呢?」) stays in front
    of the rewrite, as search reads it."""
    if not history:
        return to_simplified(question)
    analysis = analyse(to_simplified(question).strip())
    asking = [c.text for c in analysis.clauses if c.asks]
    situation = [c.text for c in analysis.clauses if not (c.asks or c.courtesy)]
    asked = "，".join(asking)
    if analysis.guessed or asked == analysis.text or not is_follow_up(asked):
        return _condensed(question, history)
    return "，".join([*situation, _condensed(asked + "?", history)])


def _condensed(question: str, history: Sequence[Turn]) -> str:
    if not is_follow_up(question):
        return to_simplified(question)
    simplified = to_simplified(question).strip()
    turn = history[-1]
    previous = to_simplified(turn.standalone_question)
    if _MORE.match(simplified):
        return previous
    stripped = _LEADING.sub("", simplified)
    pronoun_led = _with_pronoun_replaced(stripped, previous)
    if pronoun_led is not None:
        return pronoun_led
    if _ORDINAL.search(simplified) or not _own_terms(stripped) and (
            _DRILL.search(stripped) or re.search(r"怎么做|怎么实施|怎么操作|如何做|如何实施", stripped)):
        return _drill_down(simplified, previous, turn)
    focus = _TRAILING.sub("", stripped).strip()
    if not focus:
        return previous
    if _QUESTION_WORDS.search(focus) and _own_terms(focus):
        return to_simplified(question)  # a question of its own: 「那会员促销有什么好处?」
    topic_words = _topic_words(previous)
    topic = "".join(topic_words)
    if not _own_terms(focus):
        # Something asked about the old topic: 「那原则呢?」 → 「市场细分的原则有哪些?」.
        form = "" if _QUESTION_WORDS.search(focus) else "有哪些?"
        subject = topic or previous.rstrip("?？")
        combined = f"{subject}的{focus}{form}" if form else f"{subject}{focus}?"
        return combined
    same = _same_kind(focus, topic_words, previous)
    if same is not None:
        return same
    # A new topic: only the campaign frame of the old question stays (满减优惠 is not about 风险).
    return f"{_frame(previous, focus)}{focus}有哪些?"


def condense_with_model(model: ChatModel, question: str, history: Sequence[Turn], script: Script) -> str:
    """The model's standalone rewrite of ``question`` (in Simplified); the offline rewrite when the model fails."""
    if not history:
        return to_simplified(question)
    prompt = render("condense", question=question, history=list(history)[-4:], language=language_name(script))
    try:
        rewritten = complete(model, [{"role": "user", "content": prompt}]).strip()
    except ModelError:
        return condense_offline(question, history)
    rewritten = rewritten.splitlines()[0].strip() if rewritten else ""
    rewritten = _LABEL.sub("", rewritten).strip().strip("「」“”\"'")
    if not rewritten or len(rewritten) > 4 * max(len(question), 40):
        return condense_offline(question, history)
    return to_simplified(rewritten)


def language_name(script: Script) -> str:
    """How prompts name the asker's language and script."""
    return {"zh-Hans": "Simplified Chinese (简体中文)", "zh-Hant": "Traditional Chinese (繁體中文)",
            "en": "English"}[script]
